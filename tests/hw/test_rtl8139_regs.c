/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/test_rtl8139_regs.c - the RTL8139C model's registers through the
 * device seam: identity and resources, ISR write-1-to-clear, IMR masking
 * and the INTA# level, the 93C46 EEPROM read bit by bit, reset, faults,
 * statistics. "DS" names a section of Realtek's RTL8139C(L) datasheet.
 */
#include "rtl8139_harness.h"

/* Every test starts from a freshly created RTL8139 on its own machine. */
static struct rx t;

static void rx_setup(void)
{
	rx_init(&t);
}

static void rx_teardown(void)
{
	rx_fini(&t);
}

TestSuite(rtl8139, .init = rx_setup, .fini = rx_teardown);

/* DS §7 PCI configuration space; DS §5: IDR0-5 loaded from the EEPROM. */
Test(rtl8139, identity_bars_and_intx_only)
{
	struct hw_resources r;
	uint8_t cs[64];
	struct hw_device_params p = {0};
	char err[128] = "";

	cr_assert_str_eq(t.dev->model->name, "rtl8139");
	cr_assert_eq(t.dev->id.vendor, 0x10EC);
	cr_assert_eq(t.dev->id.device, 0x8139);
	hw_dev_resources(t.dev, &r);
	cr_assert_eq(r.bar[0].kind, HW_BAR_PORT);
	cr_assert_eq(r.bar[0].base, 0xC000);
	cr_assert_eq(r.bar[0].len, 256);
	cr_assert_eq(r.bar[1].kind, HW_BAR_MEM);
	cr_assert_eq(r.bar[1].base, 0xFEB00000);
	cr_assert_eq(r.irq_kind, HW_IRQ_LINE);
	cr_assert(r.has_line);
	cr_assert_eq(r.line_vector, 11);
	cr_assert_eq(hw_dev_config_read(t.dev, 0, cs, sizeof(cs)), sizeof(cs));
	cr_assert_eq(cs[0] | cs[1] << 8, 0x10EC);
	cr_assert_eq(cs[2] | cs[3] << 8, 0x8139);
	cr_assert_eq(cs[0x10] & 1, 1, "BAR0 is I/O");
	cr_assert_eq(cs[0x14] & 1, 0, "BAR1 is memory");
	cr_assert_eq(cs[0x3D], 1, "INTA#");
	cr_assert_eq(cs[0x3C], 11);
	for (unsigned i = 0; i < 6; i++) {
		cr_assert_eq(rd8(&t, RTL_IDR0 + i), rx_mac[i], "IDR%u", i);
		cr_assert_eq(hw_dev_bar_read(t.dev, RTL8139_BAR_MEM, RTL_IDR0 + i, 1), rx_mac[i]);
	}
	/* no MSI / MSI-X, no options */
	cr_assert_eq(hw_dev_msix_enable(t.dev, true), -EOPNOTSUPP);
	p.machine = t.h.m;
	p.dma = t.h.dma;
	p.irq_kind = HW_IRQ_MSIX;
	cr_assert_null(hw_device_create("rtl8139", &p, err, sizeof(err)));
	cr_assert(strstr(err, "INTA#"), "%s", err);
	p.irq_kind = HW_IRQ_LINE;
	p.options = "speed=10";
	cr_assert_null(hw_device_create("rtl8139", &p, err, sizeof(err)));
	cr_assert(strstr(err, "bad option"), "%s", err);
}

/* DS §5 ISR: bits are cleared by writing 1; writing 0 leaves them; reading
 * does not clear. */
Test(rtl8139, ISR_write_1_to_clear)
{
	static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

	rx_ring(&t, 0, RTL_RCR_AB);
	cr_assert_eq(rx_offer(&t, bcast, 64, 1), 0);
	hw_dev_fault(t.dev, HW_FAULT_LINK, 0); /* PUN/LinkChg */
	cr_assert_eq(rd16(&t, RTL_ISR), RTL_INT_ROK | RTL_INT_PUN);
	cr_assert_eq(rd16(&t, RTL_ISR), RTL_INT_ROK | RTL_INT_PUN, "a read does not clear");
	wr16(&t, RTL_ISR, 0);
	cr_assert_eq(rd16(&t, RTL_ISR), RTL_INT_ROK | RTL_INT_PUN, "0 bits do nothing");
	wr16(&t, RTL_ISR, RTL_INT_ROK);
	cr_assert_eq(rd16(&t, RTL_ISR), RTL_INT_PUN, "only the 1 bit cleared");
	wr8(&t, RTL_ISR, RTL_INT_PUN); /* byte write: the other byte is 0, not kept */
	cr_assert_eq(rd16(&t, RTL_ISR), 0);
}

/* DS §5 IMR / ISR: INTA# is asserted while ISR & IMR != 0, level sensitive. */
Test(rtl8139, IMR_masks_and_INTx_follows_ISR_and_IMR)
{
	uint8_t cmd[2];

	hw_dev_fault(t.dev, HW_FAULT_LINK, 0);
	cr_assert_eq(rd16(&t, RTL_ISR), RTL_INT_PUN);
	cr_assert_not(rx_line(&t), "IMR 0: the cause is latched, the line stays low");
	cr_assert_not(t.dev->ops->line_asserted(t.dev));
	wr16(&t, RTL_IMR, RTL_INT_ROK);
	cr_assert_not(rx_line(&t), "masked cause");
	wr16(&t, RTL_IMR, RTL_INT_ROK | RTL_INT_PUN);
	cr_assert(rx_line(&t), "unmasked: asserted");
	cr_assert(t.dev->ops->line_asserted(t.dev));
	cr_assert_eq(atomic_load(&t.h.rec[0].rises), 1);
	wr16(&t, RTL_IMR, RTL_INT_ROK);
	cr_assert_not(rx_line(&t), "masking again deasserts (level)");
	wr16(&t, RTL_IMR, RTL_INT_PUN);
	cr_assert(rx_line(&t));
	/* PCI Command.InterruptDisable silences the pin */
	hw_dev_config_read(t.dev, 4, cmd, 2);
	cmd[1] |= 0x04;
	hw_dev_config_write(t.dev, 4, cmd, 2);
	cr_assert_not(rx_line(&t));
	cmd[1] &= (uint8_t)~0x04;
	hw_dev_config_write(t.dev, 4, cmd, 2);
	cr_assert(rx_line(&t));
	wr16(&t, RTL_ISR, RTL_INT_PUN);
	cr_assert_not(rx_line(&t), "acknowledged: deasserted");
	cr_assert_eq(atomic_load(&t.h.rec[0].rises), 3);
}

/* One rising edge of EESK with @bits on the 93C46 pins (EEM = 10). */
static void ee_clock(struct rx *r, uint32_t bits)
{
	wr8(r, RTL_9346CR, RTL_9346_EEM_PROGRAM | RTL_9346_EECS | bits);
	wr8(r, RTL_9346CR, RTL_9346_EEM_PROGRAM | RTL_9346_EECS | RTL_9346_EESK | bits);
}

static uint16_t ee_read(struct rx *r, unsigned addr)
{
	uint32_t cmd = 0x6u << 6 | (addr & 0x3F); /* start 1, READ 10, 6 address bits */
	uint16_t v = 0;

	wr8(r, RTL_9346CR, RTL_9346_EEM_PROGRAM);
	for (int b = 8; b >= 0; b--)
		ee_clock(r, ((cmd >> b) & 1) ? RTL_9346_EEDI : 0);
	cr_assert_eq(rd8(r, RTL_9346CR) & RTL_9346_EEDO, 0, "the dummy zero");
	for (int b = 0; b < 16; b++) {
		ee_clock(r, 0);
		v = (uint16_t)(v << 1 | (rd8(r, RTL_9346CR) & RTL_9346_EEDO));
	}
	wr8(r, RTL_9346CR, RTL_9346_EEM_PROGRAM); /* CS low */
	wr8(r, RTL_9346CR, RTL_9346_EEM_NORMAL);
	return v;
}

/* DS §5 9346CR and DS §6 EEPROM contents: the ID word 8129h, the vendor and
 * device, and the station address at byte 0Eh, read through EECS/EESK/EEDI/EEDO. */
Test(rtl8139, EEPROM_93C46_bitbang_gives_the_MAC)
{
	uint16_t w;

	cr_assert_eq(ee_read(&t, 0), RTL_EEPROM_SIG);
	cr_assert_eq(ee_read(&t, 1), 0x10EC);
	cr_assert_eq(ee_read(&t, 2), 0x8139);
	for (unsigned i = 0; i < 3; i++) {
		w = ee_read(&t, RTL_EEPROM_MAC_WORD + i);
		cr_assert_eq(w & 0xFF, rx_mac[2 * i], "word %u low", 7 + i);
		cr_assert_eq(w >> 8, rx_mac[2 * i + 1], "word %u high", 7 + i);
	}
	cr_assert_eq(hw_device_stat(t.dev, "eeprom_reads", NULL), 6);
	/* Auto-load (EEM = 01) reloads IDR from the EEPROM after a driver changed it */
	wr32(&t, RTL_IDR0, 0x44332211);
	cr_assert_eq(rd8(&t, RTL_IDR0), 0x11);
	wr8(&t, RTL_9346CR, RTL_9346_EEM_AUTOLOAD);
	cr_assert_eq(rd8(&t, RTL_IDR0), rx_mac[0]);
	cr_assert_eq(rd8(&t, RTL_9346CR) & RTL_9346_EEM_MASK, RTL_9346_EEM_NORMAL);
}

/* DS §5 CONFIG1/3/4: writable only with 9346CR EEM = 11. */
Test(rtl8139, CONFIG_registers_need_EEM_11)
{

	wr8(&t, RTL_CONFIG1, 0x5A);
	cr_assert_eq(rd8(&t, RTL_CONFIG1), 0, "locked");
	wr8(&t, RTL_9346CR, RTL_9346_EEM_CFGWE);
	wr8(&t, RTL_CONFIG1, 0x5A);
	wr8(&t, RTL_9346CR, RTL_9346_EEM_NORMAL);
	cr_assert_eq(rd8(&t, RTL_CONFIG1), 0x5A);
}

/* DS §5 CR.RST: TE/RE off, Rx buffer empty (CBR 0, CAPR FFF0h), transmit back
 * at TSD0 with every descriptor OWN; IDR and MAR unchanged; the bit reads 0
 * when done. A function-level reset restores every default. */
Test(rtl8139, CR_RST_and_function_reset)
{
	static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

	cr_assert_eq(rd16(&t, RTL_CAPR), 0xFFF0, "power-on CAPR");
	cr_assert_eq(rd16(&t, RTL_CBR), 0);
	cr_assert_eq(rd8(&t, RTL_CR), RTL_CR_BUFE);
	cr_assert_eq(rd32(&t, RTL_TCR), RTL_TCR_HWVER_8139C, "RTL8139C version bits");
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(rd32(&t, RTL_TSD0 + 4 * i), RTL_TSD_OWN);
	cr_assert_eq(rd16(&t, RTL_TSAD), 0x000F, "TSAD: OWN0-3");
	rx_ring(&t, 0, RTL_RCR_AB);
	wr8(&t, RTL_MAR0 + 3, 0x80);
	cr_assert_eq(rx_offer(&t, bcast, 100, 2), 0);
	cr_assert_neq(rd16(&t, RTL_CBR), 0);
	cr_assert_eq(rd8(&t, RTL_CR), RTL_CR_RE | RTL_CR_TE);
	wr8(&t, RTL_CR, RTL_CR_RST);
	cr_assert_eq(rd8(&t, RTL_CR), RTL_CR_BUFE, "RST done, TE/RE off, buffer empty");
	cr_assert_eq(rd16(&t, RTL_CBR), 0);
	cr_assert_eq(rd16(&t, RTL_CAPR), 0xFFF0);
	cr_assert_eq(rd8(&t, RTL_IDR0 + 5), rx_mac[5], "IDR kept");
	cr_assert_eq(rd8(&t, RTL_MAR0 + 3), 0x80, "MAR kept");
	cr_assert_eq(rx_offer(&t, bcast, 100, 2), -1, "receiver off after RST");
	/* function-level reset */
	wr16(&t, RTL_IMR, 0xFFFF);
	wr32(&t, RTL_IDR0, 0);
	t.dev->ops->reset(t.dev);
	cr_assert_eq(rd16(&t, RTL_IMR), 0);
	cr_assert_eq(rd16(&t, RTL_ISR), 0);
	cr_assert_eq(rd32(&t, RTL_RCR), 0);
	cr_assert_eq(rd8(&t, RTL_MAR0 + 3), 0);
	cr_assert_eq(rd8(&t, RTL_IDR0), rx_mac[0], "reloaded from the EEPROM");
	cr_assert_eq(hw_device_stat(t.dev, "resets", NULL), 1);
}

/* docs/devices.md: faults, bad accesses, statistics names. */
Test(rtl8139, faults_and_statistics)
{
	bool found;

	cr_assert_eq(rd8(&t, RTL_MSR) & RTL_MSR_LINKB, 0, "link up");
	cr_assert_neq(rd16(&t, RTL_BMSR) & RTL_BMSR_LINK, 0);
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_LINK, 0), 0);
	cr_assert_neq(rd8(&t, RTL_MSR) & RTL_MSR_LINKB, 0, "link fail");
	cr_assert_eq(rd16(&t, RTL_BMSR) & RTL_BMSR_LINK, 0);
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_DROP_MSG, 0), -EOPNOTSUPP);
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_DMA_WRITEBACK_DELAY, UINT64_MAX), -EINVAL);
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_STUCK_LINE, 2), -EINVAL);
	/* spurious: one pulse, no cause */
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_SPURIOUS_IRQ, 0), 0);
	cr_assert_eq(atomic_load(&t.h.rec[0].pulses), 1);
	/* stuck line: asserted with IMR 0 */
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_STUCK_LINE, 1), 0);
	cr_assert(rx_line(&t));
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_STUCK_LINE, 0), 0);
	cr_assert_not(rx_line(&t));
	/* bad accesses: misaligned, past the block, wrong width */
	cr_assert_eq(hw_dev_bar_read(t.dev, 0, 0x3D, 2), 0);
	cr_assert_eq(hw_dev_bar_read(t.dev, 0, 0x100, 1), 0);
	hw_dev_bar_write(t.dev, 0, 0x10, 8, 0);
	cr_assert_eq(hw_device_stat(t.dev, "bad_accesses", NULL), 3);
	/* surprise removal: all-ones, writes ignored, the pin floats */
	wr16(&t, RTL_IMR, RTL_INT_PUN);
	cr_assert(rx_line(&t));
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_SURPRISE_REMOVE, 0), 0);
	cr_assert_not(rx_line(&t));
	cr_assert_eq(rd8(&t, RTL_CR), 0xFF);
	cr_assert_eq(rd16(&t, RTL_ISR), 0xFFFF);
	cr_assert_eq(rd32(&t, RTL_TSD0), 0xFFFFFFFFu);
	for (const char *const *n =
		 (const char *const[]){"rx_offered", "rx_accepted", "tx_sent", "tx_dropped", NULL};
	     *n; n++) {
		hw_device_stat(t.dev, *n, &found);
		cr_assert(found, "%s", *n);
	}
	cr_assert_eq(hw_device_stat(t.dev, "inj_surprise_removal", NULL), 1);
}

/* DS §5 TCTR / TimerInt: TCTR counts up and restarts from 0 on a write;
 * with TimerInt non-zero, ISR.TimeOut is set when TCTR reaches it (the
 * model counts the 33 MHz PCI clock on the engine clock). */
Test(rtl8139, TCTR_counts_and_TimerInt_sets_TimeOut)
{
	uint64_t ns0, ns1;
	uint32_t a, b;

	a = rd32(&t, RTL_TCTR);
	WAIT_UNTIL_MS(rd32(&t, RTL_TCTR) > a, 5000);
	ns0 = ke_clock_ns(t.h.m);
	wr32(&t, RTL_TCTR, 0x12345678); /* the value is ignored: restart */
	b = rd32(&t, RTL_TCTR);
	ns1 = ke_clock_ns(t.h.m);
	cr_assert_leq(b, (ns1 - ns0) * 33 / 1000 + 1, "restarted from 0: %u", b);
	cr_assert_eq(rd16(&t, RTL_ISR) & RTL_INT_TIMEOUT, 0, "TimerInt 0: never");
	wr16(&t, RTL_IMR, RTL_INT_TIMEOUT);
	wr32(&t, RTL_TCTR, 0);
	wr32(&t, RTL_TIMERINT, 33 * 2000); /* 2 ms */
	cr_assert_eq(rd32(&t, RTL_TIMERINT), 33 * 2000);
	WAIT_UNTIL_MS(rd16(&t, RTL_ISR) & RTL_INT_TIMEOUT, 10000);
	cr_assert_geq(rd32(&t, RTL_TCTR), 33 * 2000, "TimeOut only once TCTR reached TimerInt");
	cr_assert(rx_line(&t));
	wr16(&t, RTL_ISR, RTL_INT_TIMEOUT);
	cr_assert_not(rx_line(&t));
	/* reset: TimerInt back to 0 */
	t.dev->ops->reset(t.dev);
	cr_assert_eq(rd32(&t, RTL_TIMERINT), 0);
}
