/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/test_e1000_rings.c - receive and transmit rings (SDM 3.2, SDM 3.3),
 * buffer sizes (RCTL.BSIZE/BSEX SDM 13.4.22), address filtering (RAL/RAH
 * SDM 13.5.2, MTA SDM 13.5.1, RCTL UPE/MPE/BAM), RXDMT0, loopback, wires.
 */
#include "e1000_harness.h"
#include "hw/device.h"

static struct ex x;

static void setup(void)
{
	ex_init(&x);
	wr(&x, E1000_CTRL, E1000_CTRL_SLU);
	(void)rd(&x, E1000_ICR);
}

static void teardown(void)
{
	ex_fini(&x);
}

TestSuite(e1000_rings, .init = setup, .fini = teardown);

/* SDM 3.2.6: RDH chases RDT around the ring; the driver returns descriptors. */
Test(e1000_rings, s3_2_6_rx_ring_wraps)
{
	struct ex_ring r;
	uint8_t f[200];

	ex_rx_ring(&x, &r, 8, 2048, E1000_RCTL_SECRC);
	for (unsigned i = 0; i < 29; i++) {
		unsigned d = i % 8, len = 60 + i;

		cr_assert_eq(e1000_receive(x.dev, f, ex_frame(f, ex_mac, len, (uint8_t)i)), 0,
			     "frame %u", i);
		cr_assert_eq(ex_rx_status(&r, d),
			     E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP | E1000_RXD_STAT_IXSM);
		cr_assert_eq(ex_rx_len(&r, d), len);
		cr_assert_eq(memcmp(r.buf[d], f, len), 0);
		cr_assert_eq(rd(&x, E1000_RDH), (d + 1) % 8);
		ex_rx_return(&x, &r, d);
	}
}

/* SDM 3.2.6: RDH == RDT means no descriptors: the frame is missed (MPC, RNBC, RXO). */
Test(e1000_rings, s3_2_6_rx_no_descriptor_is_missed)
{
	struct ex_ring r;
	uint8_t f[64];

	ex_rx_ring(&x, &r, 8, 2048, E1000_RCTL_SECRC);
	for (unsigned i = 0; i < 7; i++)
		cr_assert_eq(e1000_receive(x.dev, f, ex_frame(f, ex_mac, 64, 0)), 0);
	cr_expect_eq(e1000_receive(x.dev, f, 64), E1000_RX_MISSED);
	cr_expect_eq(rd(&x, E1000_MPC), 1);
	cr_expect_eq(rd(&x, E1000_RNBC), 1);
	cr_expect(rd(&x, E1000_ICR) & E1000_ICR_RXO);
	ex_rx_return(&x, &r, 0);
	cr_expect_eq(e1000_receive(x.dev, f, 64), 0, "a returned descriptor is used again");
}

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

/*
 * SDM 13.4.22 BSIZE 11b = 256 bytes: a frame spans descriptors, EOP on the
 * last; without SECRC the 4-byte FCS is stored after the data.
 */
Test(e1000_rings, s13_4_22_bsize_256_spans_descriptors_with_fcs)
{
	struct ex_ring r;
	uint8_t f[600], got[604];
	unsigned at = 0;

	ex_rx_ring(&x, &r, 8, 256, 3u << E1000_RCTL_BSIZE_SHIFT);
	ex_frame(f, ex_mac, 600, 0x5A);
	for (unsigned i = 0; i < 600; i++)
		f[i] = i < 14 ? f[i] : (uint8_t)i;
	cr_assert_eq(e1000_receive(x.dev, f, 600), 0);
	for (unsigned d = 0; d < 3; d++) {
		uint8_t st = ex_rx_status(&r, d);

		cr_assert(st & E1000_RXD_STAT_DD);
		cr_expect_eq(!!(st & E1000_RXD_STAT_EOP), d == 2, "EOP on the last only");
		cr_expect_eq(ex_rx_len(&r, d), d < 2 ? 256u : 604u - 512u);
		memcpy(got + at, r.buf[d], ex_rx_len(&r, d));
		at += ex_rx_len(&r, d);
	}
	cr_expect_eq(at, 604);
	cr_expect_eq(memcmp(got, f, 600), 0);
	uint32_t fcs = crc32_ieee(f, 600);
	cr_expect_eq(got[600] | got[601] << 8 | got[602] << 16 | (uint32_t)got[603] << 24, fcs);
	cr_expect_eq(ex_rx_status(&r, 3), 0, "three descriptors used");
	cr_expect_eq(rd(&x, E1000_RDH), 3);
}

/* SDM 13.4.22: BSEX multiplies by 16: BSIZE 01b + BSEX = 16384 bytes, needs LPE. */
Test(e1000_rings, s13_4_22_bsex_16k_buffers_take_jumbo_frames)
{
	struct ex_ring r;
	static uint8_t f[9000];

	ex_rx_ring(&x, &r, 8, 16384,
		   E1000_RCTL_BSEX | 1u << E1000_RCTL_BSIZE_SHIFT | E1000_RCTL_SECRC);
	cr_expect_eq(e1000_receive(x.dev, f, ex_frame(f, ex_mac, 9000, 1)), E1000_RX_BAD_LENGTH,
		     "no LPE: oversize");
	cr_expect_eq(rd(&x, E1000_ROC), 1);
	wr(&x, E1000_RCTL, rd(&x, E1000_RCTL) | E1000_RCTL_LPE);
	cr_assert_eq(e1000_receive(x.dev, f, 9000), 0);
	cr_expect_eq(ex_rx_status(&r, 0),
		     E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP | E1000_RXD_STAT_IXSM);
	cr_expect_eq(ex_rx_len(&r, 0), 9000);
}

/* SDM 13.5.2 RAL/RAH, SDM 13.4.22 UPE/BAM: unicast needs a valid exact match. */
Test(e1000_rings, s13_5_2_ral_rah_unicast_filtering)
{
	struct ex_ring r;
	uint8_t f[64];
	static const uint8_t other[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

	ex_rx_ring(&x, &r, 16, 2048, E1000_RCTL_SECRC);
	cr_expect_eq(e1000_receive(x.dev, f, ex_frame(f, ex_mac, 64, 0)), 0,
		     "RA[0] from the EEPROM");
	cr_expect_eq(e1000_receive(x.dev, f, ex_frame(f, other, 64, 0)), E1000_RX_FILTERED);
	wr(&x, E1000_RAL0 + 8 * 3, 0x33221102);
	wr(&x, E1000_RAH0 + 8 * 3, 0x5544);
	cr_expect_eq(e1000_receive(x.dev, f, 64), E1000_RX_FILTERED, "AV clear: not valid");
	wr(&x, E1000_RAH0 + 8 * 3, 0x5544 | E1000_RAH_AV);
	cr_expect_eq(e1000_receive(x.dev, f, 64), 0, "RA[3] valid");
	wr(&x, E1000_RAH0, rd(&x, E1000_RAH0) & ~E1000_RAH_AV);
	cr_expect_eq(e1000_receive(x.dev, f, ex_frame(f, ex_mac, 64, 0)), E1000_RX_FILTERED);
	wr(&x, E1000_RCTL, rd(&x, E1000_RCTL) | E1000_RCTL_UPE);
	cr_expect_eq(e1000_receive(x.dev, f, 64), 0, "unicast promiscuous");
	cr_expect_eq(e1000_receive(x.dev, f, ex_frame(f, bcast, 64, 0)), E1000_RX_FILTERED,
		     "broadcast without BAM");
	wr(&x, E1000_RCTL, rd(&x, E1000_RCTL) | E1000_RCTL_BAM);
	cr_expect_eq(e1000_receive(x.dev, f, 64), 0);
	cr_expect_eq(rd(&x, E1000_BPRC), 1);
}

/* SDM 13.5.1 MTA with RCTL.MO 00b: bits 47:36 of the destination pick the bit. */
Test(e1000_rings, s13_5_1_mta_multicast_filtering)
{
	struct ex_ring r;
	uint8_t f[64];
	static const uint8_t mc[6] = {0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB}; /* 224.0.0.251 */
	unsigned h = (0xFBu << 4 | 0x00u >> 4) & 0xFFF;

	ex_rx_ring(&x, &r, 16, 2048, E1000_RCTL_SECRC);
	cr_expect_eq(e1000_receive(x.dev, f, ex_frame(f, mc, 64, 0)), E1000_RX_FILTERED);
	wr(&x, E1000_MTA + 4 * (h >> 5), 1u << (h & 31));
	cr_expect_eq(e1000_receive(x.dev, f, 64), 0, "hash bit set");
	cr_expect_eq(rd(&x, E1000_MPRC), 1);
	/* MO 11b uses bits 43:32: another bit, so the frame is dropped again */
	wr(&x, E1000_RCTL, rd(&x, E1000_RCTL) | 3u << E1000_RCTL_MO_SHIFT);
	cr_expect_eq(e1000_receive(x.dev, f, 64), E1000_RX_FILTERED);
	wr(&x, E1000_RCTL, rd(&x, E1000_RCTL) | E1000_RCTL_MPE);
	cr_expect_eq(e1000_receive(x.dev, f, 64), 0, "multicast promiscuous");
}

/* SDM 13.4.22 RDMTS: RXDMT0 when free descriptors fall to 1/2 of the ring. */
Test(e1000_rings, s13_4_22_rxdmt0_at_threshold)
{
	struct ex_ring r;
	uint8_t f[64];

	ex_rx_ring(&x, &r, 16, 2048, E1000_RCTL_SECRC); /* RDMTS 00b: 1/2; 15 free */
	ex_frame(f, ex_mac, 64, 0);
	for (unsigned i = 0; i < 6; i++)
		cr_assert_eq(e1000_receive(x.dev, f, 64), 0);
	cr_expect_eq(rd(&x, E1000_ICR) & E1000_ICR_RXDMT0, 0, "9 free");
	cr_assert_eq(e1000_receive(x.dev, f, 64), 0);
	cr_expect(rd(&x, E1000_ICR) & E1000_ICR_RXDMT0, "8 free: half the ring");
}

/* SDM 13.4.22 EN, STATUS.LU: the receiver takes nothing while off or without link. */
Test(e1000_rings, s13_4_22_rx_disabled_and_link_down_drop)
{
	struct ex_ring r;
	uint8_t f[64];

	ex_frame(f, ex_mac, 64, 0);
	cr_expect_eq(e1000_receive(x.dev, f, 64), E1000_RX_DISABLED);
	ex_rx_ring(&x, &r, 8, 2048, E1000_RCTL_SECRC);
	e1000_host_set_link(x.dev, false);
	cr_expect_eq(e1000_receive(x.dev, f, 64), E1000_RX_LINK_DOWN);
	e1000_host_set_link(x.dev, true);
	cr_expect_eq(e1000_receive(x.dev, f, 64), 0);
	cr_expect_eq(e1000_receive(x.dev, f, 10), E1000_RX_BAD_LENGTH);
	cr_expect_eq(rd(&x, E1000_RUC), 1);
}

struct sink {
	atomic_uint n;
	unsigned len[64];
	uint8_t data[64][256];
};

static int sink_rx(void *ctx, const void *frame, size_t len)
{
	struct sink *s = ctx;
	unsigned i = atomic_load(&s->n);

	if (i < 64 && len <= 256) {
		s->len[i] = (unsigned)len;
		memcpy(s->data[i], frame, len);
	}
	atomic_store(&s->n, i + 1);
	return 0;
}

/* SDM 3.3: TDH chases TDT around the ring; DD written back for RS; TXDW, TXQE. */
Test(e1000_rings, s3_3_tx_ring_wraps_and_writes_back)
{
	static struct sink s;
	struct wire *w = wire_pair_create(x.m);
	struct ex_ring t;
	uint8_t f[128];

	memset(&s, 0, sizeof(s));
	e1000_wire_attach(x.dev, w, 0);
	wire_attach(w, 1, sink_rx, &s);
	ex_tx_ring(&x, &t, 8, 2048);
	for (unsigned i = 0; i < 21; i++) {
		unsigned d = t.tail;

		ex_tx_put(&t, f, (unsigned)ex_frame(f, ex_mac, 64 + i, (uint8_t)i),
			  E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS);
		wr(&x, E1000_TDT, t.tail);
		cr_assert_eq(atomic_load(&s.n), i + 1, "frame %u on the wire", i);
		cr_assert_eq(s.len[i], 64 + i);
		cr_assert_eq(memcmp(s.data[i], f, 64 + i), 0);
		cr_assert_eq(t.desc[16 * d + 12] & E1000_TXD_STAT_DD, E1000_TXD_STAT_DD);
		cr_assert_eq(rd(&x, E1000_TDH), t.tail);
		cr_assert_eq(rd(&x, E1000_ICR) & (E1000_ICR_TXDW | E1000_ICR_TXQE),
			     E1000_ICR_TXDW | E1000_ICR_TXQE);
	}
	cr_expect_eq(rd(&x, E1000_GPTC), 21);
	cr_expect_eq(rd(&x, E1000_TPT), 21);
	e1000_wire_attach(x.dev, NULL, 0);
	wire_close(w);
}

/* SDM 3.3.3: a packet over several descriptors (EOP on the last); VLE inserts
 * an 802.1Q tag (VET, special); PSP pads to 60 bytes; no RS, no DD. */
Test(e1000_rings, s3_3_3_multi_descriptor_vlan_and_padding)
{
	static struct sink s;
	struct wire *w = wire_pair_create(x.m);
	struct ex_ring t;
	uint8_t f[100];

	memset(&s, 0, sizeof(s));
	e1000_wire_attach(x.dev, w, 0);
	wire_attach(w, 1, sink_rx, &s);
	ex_tx_ring(&x, &t, 8, 2048);
	ex_frame(f, ex_mac, 100, 7);
	ex_tx_put(&t, f, 30, 0);
	ex_tx_put(&t, f + 30, 70, E1000_TXD_CMD_EOP | E1000_TXD_CMD_VLE);
	t.desc[16 * 1 + 14] = 0x05; /* special: VLAN 5 (little-endian field) */
	wr(&x, E1000_TDT, t.tail);
	cr_assert_eq(atomic_load(&s.n), 1);
	cr_expect_eq(s.len[0], 104);
	cr_expect_eq(memcmp(s.data[0], f, 12), 0);
	cr_expect_eq(s.data[0][12], 0x81);
	cr_expect_eq(s.data[0][13], 0x00);
	cr_expect_eq(s.data[0][14], 0x00);
	cr_expect_eq(s.data[0][15], 0x05);
	cr_expect_eq(memcmp(s.data[0] + 16, f + 12, 88), 0);
	cr_expect_eq(t.desc[12], 0, "no RS: no write-back");
	ex_tx_put(&t, f, 20, E1000_TXD_CMD_EOP);
	wr(&x, E1000_TDT, t.tail);
	cr_assert_eq(atomic_load(&s.n), 2);
	cr_expect_eq(s.len[1], 60, "PSP pads a short packet");
	e1000_wire_attach(x.dev, NULL, 0);
	wire_close(w);
}

/* SDM 13.4.22 LBM 01b: MAC loopback turns transmit into receive, no link needed. */
Test(e1000_rings, s13_4_22_mac_loopback)
{
	struct ex_ring r, t;
	uint8_t f[80];

	e1000_host_set_link(x.dev, false);
	ex_rx_ring(&x, &r, 8, 2048, E1000_RCTL_SECRC | E1000_RCTL_LBM_MAC);
	ex_tx_ring(&x, &t, 8, 2048);
	ex_tx_put(&t, f, (unsigned)ex_frame(f, ex_mac, 80, 3), E1000_TXD_CMD_EOP);
	wr(&x, E1000_TDT, t.tail);
	cr_expect(ex_rx_status(&r, 0) & E1000_RXD_STAT_DD);
	cr_expect_eq(ex_rx_len(&r, 0), 80);
	cr_expect_eq(memcmp(r.buf[0], f, 80), 0);
}

/* Two 82540EMs back to back on a pair wire pass frames both ways. */
Test(e1000_rings, two_devices_on_a_pair)
{
	struct ex y = {.m = x.m, .dma = x.dma};
	struct wire *w = wire_pair_create(x.m);
	struct ex_ring rx, ty;
	uint8_t f[64];

	y.rec.m = x.m;
	ex_create(&y, false, 0);
	e1000_mmio_write32(y.dev, E1000_CTRL, E1000_CTRL_SLU);
	e1000_mmio_write32(y.dev, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_UPE);
	e1000_wire_attach(x.dev, w, 0);
	e1000_wire_attach(y.dev, w, 1);
	ex_rx_ring(&x, &rx, 8, 2048, E1000_RCTL_SECRC);
	{
		struct ex tmp = y;

		ex_tx_ring(&tmp, &ty, 8, 2048);
	}
	ex_tx_put(&ty, f, (unsigned)ex_frame(f, ex_mac, 64, 9), E1000_TXD_CMD_EOP);
	e1000_mmio_write32(y.dev, E1000_TDT, ty.tail);
	cr_expect(ex_rx_status(&rx, 0) & E1000_RXD_STAT_DD);
	cr_expect_eq(memcmp(rx.buf[0], f, 64), 0);
	struct wire_dir_stats ws;
	wire_get_stats(w, 1, &ws);
	cr_expect_eq(ws.offered, ws.delivered + ws.dropped);
	cr_expect_eq(ws.delivered, 1);
	e1000_wire_attach(x.dev, NULL, 0);
	e1000_wire_attach(y.dev, NULL, 0);
	wire_close(w);
	e1000_free(y.dev);
}

/* An injected DMA fault costs one frame, counted; the ring goes on. */
Test(e1000_rings, fault_dma_error_costs_one_frame)
{
	struct ex_ring r;
	uint8_t f[64];
	struct e1000_stats st;

	ex_rx_ring(&x, &r, 8, 2048, E1000_RCTL_SECRC);
	e1000_host_dma_fault_next(x.dev);
	ex_frame(f, ex_mac, 64, 0);
	cr_expect_eq(e1000_receive(x.dev, f, 64), E1000_RX_DMA_FAULT);
	cr_expect_eq(rd(&x, E1000_RDH), 0, "descriptor not consumed");
	cr_expect_eq(e1000_receive(x.dev, f, 64), 0);
	e1000_get_stats(x.dev, &st);
	cr_expect_eq(st.dma_faults_injected, 1);
	cr_expect_eq(st.rx_dma_fault, 1);
}

/*
 * HW_FAULT_DMA_WRITEBACK_DELAY: the frame is in its buffer and RDH has moved
 * past its descriptor, but DD and RXT0 wait for the delay. Turning the delay
 * off lands what waits; a short delay lands by itself on the engine clock.
 */
Test(e1000_rings, fault_dma_writeback_delay_holds_dd_and_the_cause)
{
	struct ex_ring r;
	uint8_t f[64];
	struct e1000_stats st;
	uint64_t due;
	uint8_t status;

	ex_rx_ring(&x, &r, 8, 2048, E1000_RCTL_SECRC);
	wr(&x, E1000_IMS, E1000_ICR_RXT0);
	cr_assert_eq(e1000_host_wb_delay(x.dev, 2000000000ull), -EINVAL, "at most a second");
	cr_assert_eq(e1000_host_wb_delay(x.dev, 1000000000ull), 0);
	ex_frame(f, ex_mac, 64, 0x5A);
	due = ke_clock_ns(x.m) + 1000000000ull;
	cr_assert_eq(e1000_receive(x.dev, f, 64), 0);
	status = ex_rx_status(&r, 0);
	if (ke_clock_ns(x.m) < due) { /* read before the write-back could be due */
		cr_assert_eq(status & E1000_RXD_STAT_DD, 0, "DD waits");
		cr_assert_not(e1000_line_asserted(x.dev), "so does the cause");
	}
	cr_assert_eq(rd(&x, E1000_RDH), 1, "RDH moved on at once");
	cr_assert_eq(r.buf[0][20], 0x5A, "the frame is in the buffer");
	cr_assert_eq(e1000_host_wb_delay(x.dev, 0), 0, "off: what waits lands now");
	cr_assert_neq(ex_rx_status(&r, 0) & E1000_RXD_STAT_DD, 0);
	cr_assert(e1000_line_asserted(x.dev));
	cr_assert_neq(rd(&x, E1000_ICR) & E1000_ICR_RXT0, 0);
	/* a short delay lands by itself, in order */
	cr_assert_eq(e1000_host_wb_delay(x.dev, 1000000ull), 0);
	cr_assert_eq(e1000_receive(x.dev, f, 64), 0);
	cr_assert_eq(e1000_receive(x.dev, f, 64), 0);
	WAIT_UNTIL(ex_rx_status(&r, 2) & E1000_RXD_STAT_DD);
	cr_assert_neq(ex_rx_status(&r, 1) & E1000_RXD_STAT_DD, 0);
	WAIT_UNTIL(e1000_line_asserted(x.dev));
	e1000_get_stats(x.dev, &st);
	cr_assert_eq(st.wb_delayed, 3);
	cr_assert_eq(st.inj_wb_delay, 2);
	cr_assert_eq(st.rx_accepted, 3);
}

/* A transmit descriptor whose fetch faults is consumed (TDH moves past it)
 * with no write-back and no frame: the driver must fail that send. */
Test(e1000_rings, fault_dma_error_on_transmit_consumes_without_write_back)
{
	struct ex_ring t;
	uint8_t f[64];
	struct e1000_stats st;

	ex_tx_ring(&x, &t, 8, 2048);
	ex_frame(f, ex_mac, 64, 1);
	ex_tx_put(&t, f, 64, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS);
	ex_tx_put(&t, f, 64, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS);
	e1000_host_dma_fault_next(x.dev);
	wr(&x, E1000_TDT, t.tail);
	WAIT_UNTIL(rd(&x, E1000_TDH) == 2);
	cr_assert_eq(t.desc[12] & E1000_TXD_STAT_DD, 0, "the faulted one: no DD");
	WAIT_UNTIL(__atomic_load_n(&t.desc[16 + 12], __ATOMIC_ACQUIRE) & E1000_TXD_STAT_DD);
	e1000_get_stats(x.dev, &st);
	cr_assert_eq(st.tx_dma_fault, 1);
	cr_assert_eq(st.dma_faults_injected, 1);
	/* The good frame found no wire (or link): that one is tx_dropped; the
	 * faulted one is not a silent drop, the driver sees it. */
	cr_assert_eq(st.tx_no_wire + st.tx_link_down, 1);
	cr_assert_eq(hw_device_stat(e1000_device(x.dev), "tx_dropped", NULL), 1);
}
