/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/e1000_regs_test.c - 82540EM identity, EEPROM, PHY, link, reset,
 * statistics and the I/O window. Each test names the manual section it
 * checks (Intel PCI/PCI-X Family of Gigabit Ethernet Controllers SDM).
 */
#include "e1000_harness.h"

static struct ex x;

static void setup(void)
{
	ex_init(&x);
}

static void teardown(void)
{
	ex_fini(&x);
}

TestSuite(e1000_regs, .init = setup, .fini = teardown);

/* SDM 4.1: PCI identity, class, BARs, interrupt pin. */
Test(e1000_regs, s4_1_pci_identity_and_bars)
{
	uint8_t cs[256];

	cr_assert_eq(e1000_pci_config_read(x.dev, 0, cs, sizeof(cs)), 256);
	cr_expect_eq(cs[0] | cs[1] << 8, 0x8086);
	cr_expect_eq(cs[2] | cs[3] << 8, 0x100E);
	cr_expect_eq(cs[0x0B], 0x02, "network controller");
	cr_expect_eq(cs[0x0A], 0x00, "Ethernet");
	uint32_t bar0 = cs[0x10] | cs[0x11] << 8 | cs[0x12] << 16 | (uint32_t)cs[0x13] << 24;
	uint32_t bar2 = cs[0x18] | cs[0x19] << 8 | cs[0x1A] << 16 | (uint32_t)cs[0x1B] << 24;
	cr_expect_eq(bar0, 0xFEBC0000u, "memory BAR, 32-bit, non-prefetchable");
	cr_expect_eq(bar2, 0xC001u, "I/O BAR: bit 0 set");
	cr_expect_eq(cs[0x3C], 0x51);
	cr_expect_eq(cs[0x3D], 1, "INTA#");
	cr_expect_eq(cs[0x2C] | cs[0x2D] << 8, 0x8086, "subsystem vendor from the EEPROM");
}

/* SDM 5.6: words 0x00..0x3F sum to 0xBABA; words 0..2 hold the MAC. */
Test(e1000_regs, s5_6_eeprom_checksum_and_mac)
{
	uint16_t sum = 0;

	for (unsigned i = 0; i < 64; i++)
		sum = (uint16_t)(sum + e1000_eeprom_word(x.dev, i));
	cr_expect_eq(sum, 0xBABA);
	for (unsigned i = 0; i < 3; i++)
		cr_expect_eq(e1000_eeprom_word(x.dev, i), ex_mac[2 * i] | ex_mac[2 * i + 1] << 8);
	cr_expect_eq(e1000_eeprom_word(x.dev, 0x0D), 0x100E);
	cr_expect_eq(e1000_eeprom_word(x.dev, 0x0E), 0x8086);
}

static uint16_t eerd_read(unsigned addr)
{
	uint32_t v;

	wr(&x, E1000_EERD, addr << 8 | E1000_EERD_START);
	v = rd(&x, E1000_EERD);
	cr_assert(v & E1000_EERD_DONE, "EERD.DONE after a read of word %u", addr);
	cr_expect_eq((v >> 8) & 0xFF, addr);
	return (uint16_t)(v >> 16);
}

/* SDM 13.4.4 / SDM 5.3.1: EERD reads a word; the checksum holds through it too. */
Test(e1000_regs, s13_4_4_eerd_reads_every_word)
{
	uint16_t sum = 0;

	for (unsigned i = 0; i < 64; i++) {
		uint16_t w = eerd_read(i);

		cr_expect_eq(w, e1000_eeprom_word(x.dev, i), "word %u", i);
		sum = (uint16_t)(sum + w);
	}
	cr_expect_eq(sum, 0xBABA);
	wr(&x, E1000_EERD, 5u << 8); /* no START: nothing read, DONE clear */
	cr_expect_eq(rd(&x, E1000_EERD) & E1000_EERD_DONE, 0);
}

/* Bit-banged Microwire READ through EECD, as SDM 5.3.1 describes it. */
static void ee_pins(uint32_t v)
{
	wr(&x, E1000_EECD, v);
}

static uint16_t eecd_read_word(unsigned addr)
{
	uint32_t base = E1000_EECD_REQ | E1000_EECD_CS;
	uint32_t bits =
	    1u << 8 | E1000_EEPROM_OP_READ << 6 | addr; /* start, opcode, 6-bit address */
	uint16_t w = 0;

	ee_pins(base);
	for (int i = 8; i >= 0; i--) {
		uint32_t di = (bits >> i) & 1 ? E1000_EECD_DI : 0;

		ee_pins(base | di);
		ee_pins(base | di | E1000_EECD_SK);
		ee_pins(base | di);
	}
	cr_expect_eq(rd(&x, E1000_EECD) & E1000_EECD_DO, 0, "the dummy 0 after the address");
	for (int i = 0; i < 16; i++) {
		ee_pins(base | E1000_EECD_SK);
		w = (uint16_t)(w << 1 | ((rd(&x, E1000_EECD) & E1000_EECD_DO) ? 1 : 0));
		ee_pins(base);
	}
	ee_pins(E1000_EECD_REQ); /* CS low ends the command */
	return w;
}

Test(e1000_regs, s5_3_eecd_microwire_read_matches_eerd)
{
	cr_expect_eq(rd(&x, E1000_EECD) & (E1000_EECD_GNT | E1000_EECD_PRES), E1000_EECD_PRES,
		     "present, not granted before a request");
	ee_pins(E1000_EECD_REQ);
	cr_assert(rd(&x, E1000_EECD) & E1000_EECD_GNT, "EE_GNT follows EE_REQ");
	for (unsigned i = 0; i < 64; i++)
		cr_expect_eq(eecd_read_word(i), eerd_read(i), "word %u", i);
	ee_pins(0);
	cr_expect_eq(rd(&x, E1000_EECD) & E1000_EECD_GNT, 0);
}

/* Without EE_REQ the pins do not reach the part: no start bit is taken. */
Test(e1000_regs, s5_3_eecd_ignored_without_grant)
{
	for (int i = 0; i < 30; i++) {
		ee_pins(E1000_EECD_CS | E1000_EECD_DI);
		ee_pins(E1000_EECD_CS | E1000_EECD_DI | E1000_EECD_SK);
	}
	cr_expect_eq(rd(&x, E1000_EECD) & E1000_EECD_DO, 0);
}

static uint32_t mdic(uint32_t op, unsigned phy, unsigned reg, uint16_t data)
{
	wr(&x, E1000_MDIC, op | phy << 21 | reg << 16 | data);
	uint32_t v = rd(&x, E1000_MDIC);

	cr_assert(v & E1000_MDIC_READY, "MDIC.R after the operation");
	return v;
}

/* SDM 13.4.7 MDIC, SDM 13.5 PHY registers: IDs, status, speed, error on a wrong address. */
Test(e1000_regs, s13_4_7_mdic_phy_reads)
{
	uint32_t v;

	cr_expect_eq(mdic(E1000_MDIC_OP_READ, 1, 2, 0) & 0xFFFF, 0x0141);
	cr_expect_eq(mdic(E1000_MDIC_OP_READ, 1, 3, 0) & 0xFFFF, 0x0C20);
	v = mdic(E1000_MDIC_OP_READ, 1, 1, 0);
	cr_expect(v & E1000_PHY_STATUS_LINK, "cable in: PHY link");
	cr_expect(v & E1000_PHY_STATUS_AN_DONE);
	cr_expect_eq(v & E1000_MDIC_ERROR, 0);
	v = mdic(E1000_MDIC_OP_READ, 1, 17, 0);
	cr_expect_eq((v >> 14) & 3, 2, "1000 Mb/s resolved");
	cr_expect(v & E1000_PHY_SSTAT_FD);
	v = mdic(E1000_MDIC_OP_READ, 2, 2, 0);
	cr_expect(v & E1000_MDIC_ERROR, "no PHY at address 2");
	cr_expect_eq(v & 0xFFFF, 0xFFFF);
	/* a write, read back; RESTART_AN self-clears */
	mdic(E1000_MDIC_OP_WRITE, 1, 4, 0x0DE1);
	cr_expect_eq(mdic(E1000_MDIC_OP_READ, 1, 4, 0) & 0xFFFF, 0x0DE1);
	mdic(E1000_MDIC_OP_WRITE, 1, 0, 0x1340);
	cr_expect_eq(mdic(E1000_MDIC_OP_READ, 1, 0, 0) & 0xFFFF, 0x1140);
}

/* SDM 13.4.7: MDIC.I raises ICR.MDAC when the access completes. */
Test(e1000_regs, s13_4_7_mdic_interrupt_enable_raises_mdac)
{
	mdic(E1000_MDIC_OP_READ, 1, 2, 0);
	cr_expect_eq(rd(&x, E1000_ICR) & E1000_ICR_MDAC, 0);
	mdic(E1000_MDIC_OP_READ | E1000_MDIC_INT, 1, 2, 0);
	cr_expect(rd(&x, E1000_ICR) & E1000_ICR_MDAC);
}

/* IEEE 802.3 22.2.4.2.13 (PHY status bit 2): link loss latches until read. */
Test(e1000_regs, s13_5_phy_link_status_latches_low)
{
	e1000_host_set_link(x.dev, false);
	e1000_host_set_link(x.dev, true);
	cr_expect_eq(mdic(E1000_MDIC_OP_READ, 1, 1, 0) & E1000_PHY_STATUS_LINK, 0, "latched low");
	cr_expect(mdic(E1000_MDIC_OP_READ, 1, 1, 0) & E1000_PHY_STATUS_LINK, "then current");
}

/* SDM 13.4.1 CTRL.SLU, SDM 13.4.2 STATUS.LU/SPEED, SDM 13.4.17 LSC on every change. */
Test(e1000_regs, s13_4_2_status_lu_follows_slu_and_cable)
{
	cr_expect_eq(rd(&x, E1000_STATUS) & E1000_STATUS_LU, 0, "SLU clear after reset");
	wr(&x, E1000_CTRL, rd(&x, E1000_CTRL) | E1000_CTRL_SLU);
	cr_expect(rd(&x, E1000_STATUS) & E1000_STATUS_LU);
	cr_expect_eq(rd(&x, E1000_STATUS) & E1000_STATUS_SPEED_MASK, E1000_STATUS_SPEED_1000);
	cr_expect(rd(&x, E1000_STATUS) & E1000_STATUS_FD);
	cr_expect_eq(rd(&x, E1000_ICR), E1000_ICR_LSC, "link came up: LSC");
	e1000_host_set_link(x.dev, false);
	cr_expect_eq(rd(&x, E1000_STATUS) & E1000_STATUS_LU, 0);
	cr_expect_eq(rd(&x, E1000_ICR), E1000_ICR_LSC, "link went down: LSC");
	e1000_host_set_link(x.dev, false);
	cr_expect_eq(rd(&x, E1000_ICR), 0, "no change: no LSC");
	/* PHY power down takes the link too */
	e1000_host_set_link(x.dev, true);
	(void)rd(&x, E1000_ICR);
	mdic(E1000_MDIC_OP_WRITE, 1, 0, 0x1140 | E1000_PHY_CTRL_POWER_DOWN);
	cr_expect_eq(rd(&x, E1000_STATUS) & E1000_STATUS_LU, 0);
	cr_expect_eq(rd(&x, E1000_ICR), E1000_ICR_LSC);
}

Test(e1000_regs, s13_4_2_status_speed_100)
{
	e1000_free(x.dev);
	ex_create(&x, false, 100);
	wr(&x, E1000_CTRL, E1000_CTRL_SLU);
	cr_expect_eq(rd(&x, E1000_STATUS) & E1000_STATUS_SPEED_MASK, E1000_STATUS_SPEED_100);
	cr_expect_eq((mdic(E1000_MDIC_OP_READ, 1, 17, 0) >> 14) & 3, 1);
}

/* SDM 13.4.1 CTRL.RST: registers to their initial values, RAL0/RAH0 from the EEPROM. */
Test(e1000_regs, s13_4_1_ctrl_rst_resets_registers)
{
	wr(&x, E1000_IMS, E1000_ICR_RXT0);
	wr(&x, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM);
	wr(&x, E1000_RDLEN, 4096);
	wr(&x, E1000_ITR, 1000);
	wr(&x, E1000_RAL0, 0x12345678);
	wr(&x, E1000_MTA + 8, 0xFFFF);
	wr(&x, E1000_CTRL, E1000_CTRL_SLU | E1000_CTRL_RST);
	cr_expect_eq(rd(&x, E1000_CTRL) & (E1000_CTRL_RST | E1000_CTRL_SLU), 0,
		     "RST self-clears; SLU back to 0");
	cr_expect_eq(rd(&x, E1000_IMS), 0);
	cr_expect_eq(rd(&x, E1000_RCTL), 0);
	cr_expect_eq(rd(&x, E1000_RDLEN), 0);
	cr_expect_eq(rd(&x, E1000_ITR), 0);
	cr_expect_eq(rd(&x, E1000_MTA + 8), 0);
	cr_expect_eq(rd(&x, E1000_RAL0),
		     ex_mac[0] | ex_mac[1] << 8 | ex_mac[2] << 16 | (uint32_t)ex_mac[3] << 24);
	cr_expect_eq(rd(&x, E1000_RAH0), (ex_mac[4] | ex_mac[5] << 8) | E1000_RAH_AV);
	cr_expect_eq(rd(&x, E1000_MDIC) & E1000_MDIC_READY, E1000_MDIC_READY);
	/* the PHY keeps its state over a MAC reset */
	cr_expect_eq(mdic(E1000_MDIC_OP_READ, 1, 2, 0) & 0xFFFF, 0x0141);
}

/* SDM 13.7: statistics clear on read; a 64-bit pair when its high dword is read. */
Test(e1000_regs, s13_7_statistics_clear_on_read)
{
	struct ex_ring r;
	uint8_t f[100];

	wr(&x, E1000_CTRL, E1000_CTRL_SLU);
	ex_rx_ring(&x, &r, 8, 2048, E1000_RCTL_BAM | E1000_RCTL_SECRC);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(e1000_receive(x.dev, f, ex_frame(f, ex_mac, 100, (uint8_t)i)), 0);
	cr_expect_eq(rd(&x, E1000_GPRC), 3);
	cr_expect_eq(rd(&x, E1000_GPRC), 0, "read cleared it");
	cr_expect_eq(rd(&x, E1000_TPR), 3);
	cr_expect_eq(rd(&x, E1000_TPR), 0);
	cr_expect_eq(rd(&x, E1000_PRC127), 3, "104-byte frames with FCS");
	cr_expect_eq(rd(&x, E1000_GORCL), 3 * 104, "octets include the FCS");
	cr_expect_eq(rd(&x, E1000_GORCL), 3 * 104, "the low dword does not clear");
	cr_expect_eq(rd(&x, E1000_GORCH), 0);
	cr_expect_eq(rd(&x, E1000_GORCL), 0, "reading GORCH cleared the pair");
	wr(&x, E1000_GPRC, 77);
	cr_expect_eq(rd(&x, E1000_GPRC), 0, "read-only");
}

/* SDM 13.2: IOADDR selects a register, IODATA accesses it with its side effects. */
Test(e1000_regs, s13_2_io_window_reaches_registers)
{
	e1000_io_write32(x.dev, E1000_IOADDR, E1000_STATUS);
	cr_expect_eq(e1000_io_read32(x.dev, E1000_IOADDR), E1000_STATUS);
	cr_expect_eq(e1000_io_read32(x.dev, E1000_IODATA), rd(&x, E1000_STATUS));
	e1000_io_write32(x.dev, E1000_IOADDR, E1000_IMS);
	e1000_io_write32(x.dev, E1000_IODATA, E1000_ICR_LSC);
	cr_expect_eq(rd(&x, E1000_IMS), E1000_ICR_LSC);
	wr(&x, E1000_ICS, E1000_ICR_LSC);
	cr_expect(atomic_load(&x.rec.level));
	e1000_io_write32(x.dev, E1000_IOADDR, E1000_ICR);
	cr_expect_eq(e1000_io_read32(x.dev, E1000_IODATA), E1000_ICR_LSC | E1000_ICR_INT_ASSERTED);
	cr_expect_not(atomic_load(&x.rec.level), "the ICR read through IODATA cleared it");
	cr_expect_eq(e1000_io_read16(x.dev, E1000_IODATA), 0, "dword accesses only");
	struct e1000_stats st;
	e1000_get_stats(x.dev, &st);
	cr_expect_eq(st.bad_accesses, 1);
}

/* Surprise removal: every read is all ones, writes vanish. */
Test(e1000_regs, fault_surprise_removal_reads_all_ones)
{
	uint32_t cfg;

	wr(&x, E1000_IMS, E1000_ICR_LSC);
	wr(&x, E1000_ICS, E1000_ICR_LSC);
	cr_assert(atomic_load(&x.rec.level));
	e1000_host_surprise_remove(x.dev);
	cr_expect_not(atomic_load(&x.rec.level), "the pin floats");
	cr_expect_eq(rd(&x, E1000_STATUS), 0xFFFFFFFFu);
	cr_expect_eq(rd(&x, E1000_ICR), 0xFFFFFFFFu);
	cr_expect_eq(e1000_mmio_read16(x.dev, E1000_CTRL), 0xFFFF);
	cr_expect_eq(e1000_io_read32(x.dev, E1000_IODATA), 0xFFFFFFFFu);
	e1000_pci_config_read(x.dev, 0, &cfg, 4);
	cr_expect_eq(cfg, 0xFFFFFFFFu);
	uint8_t f[64];
	cr_expect_eq(e1000_receive(x.dev, f, ex_frame(f, ex_mac, 64, 0)), E1000_RX_REMOVED);
}

/* Misaligned and out-of-range accesses: 0, ignored, counted. */
Test(e1000_regs, bad_accesses_are_refused_and_counted)
{
	struct e1000_stats st;

	cr_expect_eq(e1000_mmio_read32(x.dev, 0x2), 0);
	cr_expect_eq(e1000_mmio_read32(x.dev, E1000_BAR0_LEN), 0);
	e1000_mmio_write32(x.dev, E1000_BAR0_LEN + 4, 1);
	e1000_get_stats(x.dev, &st);
	cr_expect_eq(st.bad_accesses, 3);
	/* sub-dword: a 16-bit write merges into the register */
	wr(&x, E1000_RDTR, 0x1234);
	e1000_mmio_write16(x.dev, E1000_RDTR, 0x0056);
	cr_expect_eq(rd(&x, E1000_RDTR), 0x0056);
	wr(&x, E1000_TIPG, 0x00602008);
	e1000_mmio_write8(x.dev, E1000_TIPG + 1, 0xAA);
	cr_expect_eq(rd(&x, E1000_TIPG), 0x0060AA08);
}
