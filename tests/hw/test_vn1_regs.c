/* SPDX-License-Identifier: MIT */
/*
 * VN-1 §2 reset defaults and §3 the register map, widths and layouts.
 */
#include "harness.h"

static struct hx h;
static struct vn1 *dev;

static void setup(void)
{
	hx_init(&h, 2, 1);
	dev = h.dev[0];
}

static void teardown(void)
{
	hx_fini(&h);
}

TestSuite(vn1_regs, .init = setup, .fini = teardown);

static void expect_defaults(void)
{
	cr_expect_eq(vn1_mmio_read32(dev, VN1_CTRL), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_STATUS),
		     VN1_STATUS_LU | (3u << VN1_STATUS_SPEED_SHIFT) | VN1_STATUS_FD);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MAC_LO), 0x314e5602u);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MAC_HI), 0x0100u);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXFILTER), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMS), 0, "all causes masked");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IAM), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMODE), 0, "line mode");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSGPEND), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MRQC), 0);
	for (unsigned c = 0; c < VN1_NR_CAUSES; c++)
		cr_expect_eq(vn1_mmio_read32(dev, VN1_IVAR0 + 4 * c), 0);
	for (unsigned m = 0; m < VN1_NR_MSGS; m++)
		cr_expect_eq(vn1_mmio_read32(dev, VN1_ITR0 + 4 * m), 0);
	for (unsigned q = 0; q < VN1_NR_QUEUES; q++) {
		for (uint32_t r = 0; r < 0x38; r += 4) {
			uint32_t want = r == VN1_Q_RBUFSZ ? 2048 : 0;

			cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + 0x40 * q + r), want,
				     "rxq %u reg 0x%x", q, r);
			cr_expect_eq(vn1_mmio_read32(dev, VN1_TXQ0 + 0x40 * q + r), 0);
		}
	}
	for (uint32_t off = VN1_RSSRK0; off < VN1_RETA0 + 128; off += 4)
		cr_expect_eq(vn1_mmio_read32(dev, off), 0);
	for (uint32_t off = VN1_GPRC; off <= VN1_SPURIOUS; off += 4)
		cr_expect_eq(vn1_mmio_read32(dev, off), 0);
}

Test(vn1_regs, s2_power_on_defaults)
{
	expect_defaults();
}

Test(vn1_regs, s2_ctrl_rst_restores_defaults_and_self_clears)
{
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_RXEN | VN1_CTRL_TXEN | VN1_CTRL_LPBK);
	vn1_mmio_write32(dev, VN1_MAC_LO, 0x11223344);
	vn1_mmio_write32(dev, VN1_RXFILTER, 0xF);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_ALL);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	vn1_mmio_write32(dev, VN1_IMODE, 2);
	vn1_mmio_write32(dev, VN1_IVAR0 + 8, 0x83);
	vn1_mmio_write32(dev, VN1_ITR0 + 4, 100);
	vn1_mmio_write32(dev, VN1_MRQC, 0x3F01);
	vn1_mmio_write32(dev, VN1_RSSRK0, 0xdeadbeef);
	vn1_mmio_write32(dev, VN1_RETA0 + 4, 0x01020304);
	vn1_mmio_write32(dev, VN1_RXQ0 + 0x40 + VN1_Q_RBUFSZ, 4096);
	vn1_mmio_write32(dev, VN1_TXQ0 + VN1_Q_LEN, 64);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_RST);
	expect_defaults();
}

Test(vn1_regs, s3_unlisted_offsets_read_zero_and_ignore_writes)
{
	static const uint32_t unlisted[] = {0x0014, 0x00C4, 0x00CC, 0x00E8, 0x014C,
					    0x0240, 0x0304, 0x0FFC, 0x2004, 0x2068,
					    0x2180, 0x4010, 0x5000, 0x1038, 0x7FFC};

	for (size_t i = 0; i < sizeof(unlisted) / sizeof(unlisted[0]); i++) {
		vn1_mmio_write32(dev, unlisted[i], 0xA5A5A5A5);
		cr_expect_eq(vn1_mmio_read32(dev, unlisted[i]), 0, "0x%04x", unlisted[i]);
	}
}

Test(vn1_regs, s3_read_only_registers_ignore_writes)
{
	static const uint32_t ro[] = {VN1_STATUS,
				      VN1_MSGPEND,
				      VN1_GPRC,
				      VN1_GPTC,
				      VN1_MPC,
				      VN1_SPURIOUS,
				      VN1_RXQ0 + VN1_Q_HEAD,
				      VN1_RXQ0 + VN1_Q_CNT,
				      VN1_RXQ0 + VN1_Q_DROP,
				      VN1_TXQ0 + VN1_Q_HEAD,
				      VN1_TXQ0 + VN1_Q_CNT};

	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		uint32_t before = vn1_mmio_read32(dev, ro[i]);

		vn1_mmio_write32(dev, ro[i], 0x5A5A5A5A);
		cr_expect_eq(vn1_mmio_read32(dev, ro[i]), before, "0x%04x", ro[i]);
	}
}

Test(vn1_regs, s3_rw_registers_hold_their_bits)
{
	vn1_mmio_write32(dev, VN1_MAC_HI, 0xFFFFFFFF);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MAC_HI), 0xFFFF);
	vn1_mmio_write32(dev, VN1_RXFILTER, 0xFFFFFFFF);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXFILTER), 0xF);
	vn1_mmio_write32(dev, VN1_ITR0 + 4 * 15, 0x12345678);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ITR0 + 4 * 15), 0x5678);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 18, 0xFFFFFFFF);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IVAR0 + 4 * 18), 0x8F);
	vn1_mmio_write32(dev, VN1_MRQC, 0xFFFFFFFF);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MRQC), 0x3F01);
	vn1_mmio_write32(dev, VN1_IAM, 0xFFFFFFFF);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IAM), VN1_CAUSE_ALL);
	vn1_mmio_write32(dev, VN1_CTRL, 0xFFFFFFFE);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_CTRL), 0xE, "RST reads 0");
}

Test(vn1_regs, s3_rss_key_and_reta_byte_layout)
{
	vn1_mmio_write32(dev, VN1_RSSRK0 + 4, 0x44332211);
	/* key byte i is byte (i mod 4) of RSSRK[i / 4]: bytes 4..7 */
	cr_expect_eq(vn1_mmio_read8(dev, VN1_RSSRK0 + 4), 0x11);
	cr_expect_eq(vn1_mmio_read8(dev, VN1_RSSRK0 + 7), 0x44);
	vn1_mmio_write8(dev, VN1_RETA0 + 126, 5);
	vn1_mmio_write8(dev, VN1_RETA0 + 125, 3);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RETA0 + 124), 0x00050300);
}

Test(vn1_regs, s3_sub_dword_access)
{
	vn1_mmio_write32(dev, VN1_MAC_LO, 0xAABBCCDD);
	cr_expect_eq(vn1_mmio_read8(dev, VN1_MAC_LO + 1), 0xCC);
	cr_expect_eq(vn1_mmio_read16(dev, VN1_MAC_LO + 2), 0xAABB);
	vn1_mmio_write16(dev, VN1_MAC_LO + 2, 0x1122);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MAC_LO), 0x1122CCDD, "RW: merged");
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(0));
	vn1_mmio_write8(dev, VN1_IMS + 2, 0x01); /* LSC */
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMS), VN1_CAUSE_RXQ(0) | VN1_CAUSE_LSC,
		     "action register: unwritten bytes are zeros, not a merge");
	vn1_mmio_write8(dev, VN1_IMC, 0x01);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMS), VN1_CAUSE_LSC);
	/* A byte read of ICR is a full read: read-to-clear clears every cause. */
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(1) | VN1_CAUSE_LSC);
	cr_expect_eq(vn1_mmio_read8(dev, VN1_ICR), VN1_CAUSE_RXQ(1));
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0);
}

Test(vn1_regs, s3_misaligned_and_out_of_range_refused)
{
	struct vn1_stats st;

	vn1_mmio_write32(dev, VN1_MAC_LO, 0x12345678);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MAC_LO + 1), 0);
	vn1_mmio_write32(dev, VN1_MAC_LO + 2, 0);
	cr_expect_eq(vn1_mmio_read16(dev, VN1_MAC_LO + 1), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_BAR0_LEN), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MAC_LO), 0x12345678);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.bad_accesses, 4);
}

Test(vn1_regs, s5_queue_register_ranges)
{
	struct vn1_stats st;
	uint32_t q1 = VN1_RXQ0 + 0x40;

	vn1_mmio_write32(dev, q1 + VN1_Q_LEN, 12);     /* not a power of two */
	vn1_mmio_write32(dev, q1 + VN1_Q_LEN, 4);      /* too small */
	vn1_mmio_write32(dev, q1 + VN1_Q_LEN, 131072); /* too big */
	cr_expect_eq(vn1_mmio_read32(dev, q1 + VN1_Q_LEN), 0);
	vn1_mmio_write32(dev, q1 + VN1_Q_LEN, 65536);
	cr_expect_eq(vn1_mmio_read32(dev, q1 + VN1_Q_LEN), 65536);
	vn1_mmio_write32(dev, q1 + VN1_Q_RBUFSZ, 255);
	vn1_mmio_write32(dev, q1 + VN1_Q_RBUFSZ, 16385);
	cr_expect_eq(vn1_mmio_read32(dev, q1 + VN1_Q_RBUFSZ), 2048);
	vn1_mmio_write32(dev, q1 + VN1_Q_RBUFSZ, 16384);
	cr_expect_eq(vn1_mmio_read32(dev, q1 + VN1_Q_RBUFSZ), 16384);
	vn1_mmio_write32(dev, q1 + VN1_Q_TAIL, 65536); /* not below RDLEN */
	cr_expect_eq(vn1_mmio_read32(dev, q1 + VN1_Q_TAIL), 0);
	vn1_mmio_write32(dev, q1 + VN1_Q_BAL, 0x1237);
	cr_expect_eq(vn1_mmio_read32(dev, q1 + VN1_Q_BAL), 0x1230, "16-byte aligned");
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.bad_config_writes, 6);
}

Test(vn1_regs, s1_resources)
{
	struct vn1_resources r;

	vn1_resources(dev, &r);
	cr_expect_eq(r.bar0_len, 0x8000);
	cr_expect_eq(r.bar1_len, 0x20);
	cr_expect_eq(r.bar0_addr, 0xF0000000ULL);
	cr_expect_eq(r.bar1_port, 0xE000);
	cr_expect_eq(r.irq_kind, VN1_IRQ_LINE);
	cr_expect_eq(r.line_vector, 0x50);
	cr_expect_eq(r.nr_msgs, 0);
	hx_dev_create(&h, 1, rec_sink(&h.rec[1]), VN1_IRQ_MSIX);
	vn1_resources(h.dev[1], &r);
	cr_expect_eq(r.irq_kind, VN1_IRQ_MSIX);
	cr_expect_eq(r.nr_msgs, 16);
}

struct hook_log {
	unsigned n[3];
	uint32_t last_off, last_val;
	bool last_write;
};

static void hook_access(void *ctx, struct vn1 *d, enum vn1_space sp, uint32_t off, unsigned size,
			uint32_t val, bool write)
{
	struct hook_log *l = ctx;

	(void)d;
	(void)size;
	l->n[sp]++;
	l->last_off = off;
	l->last_val = val;
	l->last_write = write;
}

/* The verifier's hook point sees every access, as the driver made it. */
Test(vn1_regs, s3_access_hook_sees_every_access)
{
	struct hook_log log = {0};
	struct vn1_hooks hk = {.ctx = &log, .access = hook_access};
	uint8_t b[4];

	vn1_hooks_install(dev, &hk);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC);
	cr_expect(log.last_write && log.last_off == VN1_IMS && log.last_val == VN1_CAUSE_LSC);
	(void)vn1_mmio_read16(dev, VN1_MAC_HI);
	cr_expect(!log.last_write && log.last_off == VN1_MAC_HI && log.last_val == 0x0100);
	(void)vn1_pio_read8(dev, VN1_PIO_STATUS);
	vn1_pci_config_read(dev, 0, b, 4);
	cr_expect_eq(log.n[VN1_SPACE_MMIO], 2);
	cr_expect_eq(log.n[VN1_SPACE_PIO], 1);
	cr_expect_eq(log.n[VN1_SPACE_CONFIG], 1);
	vn1_hooks_install(dev, NULL);
	(void)vn1_mmio_read32(dev, VN1_CTRL);
	cr_expect_eq(log.n[VN1_SPACE_MMIO], 2, "removed");
}
