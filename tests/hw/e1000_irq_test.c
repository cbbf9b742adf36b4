/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/e1000_irq_test.c - ICR/ICS/IMS/IMC (SDM 13.4.17-21), INTA# as a
 * level, ITR throttling on the engine clock (SDM 13.4.18), the receive and
 * transmit delay timers (SDM 13.4.30, SDM 13.4.31, SDM 3.2.7, SDM 3.4) and the
 * interrupt faults.
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

TestSuite(e1000_irq, .init = setup, .fini = teardown);

static bool level(void)
{
	return atomic_load(&x.rec.level);
}

/* SDM 13.4.17: every bit clears on read; the read acknowledges (line drops). */
Test(e1000_irq, s13_4_17_icr_read_clears_all_causes)
{
	wr(&x, E1000_IMS, E1000_ICR_RXT0 | E1000_ICR_TXDW);
	wr(&x, E1000_ICS, E1000_ICR_RXT0 | E1000_ICR_TXDW | E1000_ICR_RXO);
	cr_assert(level());
	cr_expect_eq(rd(&x, E1000_ICR) & E1000_ICR_CAUSES,
		     E1000_ICR_RXT0 | E1000_ICR_TXDW | E1000_ICR_RXO,
		     "masked causes are latched too");
	cr_expect_not(level());
	cr_expect_eq(rd(&x, E1000_ICR), 0, "all clear");
	cr_expect_eq(atomic_load(&x.rec.rises), 1);
	cr_expect_eq(atomic_load(&x.rec.falls), 1);
}

/* SDM 13.4.17: writing 1b clears that bit, 0b leaves it. */
Test(e1000_irq, s13_4_17_icr_write_one_clears)
{
	wr(&x, E1000_ICS, E1000_ICR_LSC | E1000_ICR_RXO);
	wr(&x, E1000_ICR, E1000_ICR_LSC);
	cr_expect_eq(rd(&x, E1000_ICR), E1000_ICR_RXO);
}

/* INT_ASSERTED (bit 31): set only when an enabled cause was pending. */
Test(e1000_irq, icr_int_asserted_marks_an_enabled_cause)
{
	wr(&x, E1000_ICS, E1000_ICR_RXO);
	cr_expect_eq(rd(&x, E1000_ICR), E1000_ICR_RXO, "masked cause: not asserted");
	wr(&x, E1000_IMS, E1000_ICR_RXO);
	wr(&x, E1000_ICS, E1000_ICR_RXO);
	cr_expect_eq(rd(&x, E1000_ICR), E1000_ICR_RXO | E1000_ICR_INT_ASSERTED);
	cr_expect_eq(rd(&x, E1000_ICR), 0, "nothing pending: 0, the shared-line answer");
}

/* SDM 13.4.19-21: ICS sets causes, IMS enables, IMC disables; reads of IMS. */
Test(e1000_irq, s13_4_20_ims_imc_masking)
{
	wr(&x, E1000_ICS, E1000_ICR_LSC);
	cr_expect_not(level(), "LSC not enabled");
	wr(&x, E1000_IMS, E1000_ICR_LSC);
	cr_expect(level(), "enabling a pending cause asserts the line");
	cr_expect_eq(rd(&x, E1000_IMS), E1000_ICR_LSC);
	wr(&x, E1000_IMS, E1000_ICR_RXT0);
	cr_expect_eq(rd(&x, E1000_IMS), E1000_ICR_LSC | E1000_ICR_RXT0, "0b bits unchanged");
	wr(&x, E1000_IMC, E1000_ICR_LSC);
	cr_expect_not(level(), "IMC masks it");
	cr_expect_eq(rd(&x, E1000_IMS), E1000_ICR_RXT0);
	cr_expect_eq(rd(&x, E1000_IMC), 0, "IMC is write-only");
	cr_expect_eq(rd(&x, E1000_ICR), E1000_ICR_LSC, "still latched");
	/* sub-dword writes to IMS set only the bytes written */
	e1000_mmio_write8(x.dev, E1000_IMS + 1, 0x02); /* bit 9: MDAC */
	cr_expect_eq(rd(&x, E1000_IMS), E1000_ICR_RXT0 | E1000_ICR_MDAC);
}

/* PCI Command.INTxDisable gates the pin; Status.INTx still shows the request. */
Test(e1000_irq, pci_intx_disable_gates_line)
{
	uint16_t cmd, st;

	wr(&x, E1000_IMS, E1000_ICR_LSC);
	e1000_pci_config_read(x.dev, E1000_PCI_COMMAND, &cmd, 2);
	cmd |= E1000_PCI_CMD_INTX_DISABLE;
	e1000_pci_config_write(x.dev, E1000_PCI_COMMAND, &cmd, 2);
	wr(&x, E1000_ICS, E1000_ICR_LSC);
	cr_expect_not(level());
	e1000_pci_config_read(x.dev, E1000_PCI_STATUS, &st, 2);
	cr_expect(st & E1000_PCI_STATUS_INTX);
	cmd &= (uint16_t)~E1000_PCI_CMD_INTX_DISABLE;
	e1000_pci_config_write(x.dev, E1000_PCI_COMMAND, &cmd, 2);
	cr_expect(level());
}

/* SDM 13.4.18: successive assertions at least ITR x 256 ns apart on the engine clock. */
Test(e1000_irq, s13_4_18_itr_spacing_on_engine_clock)
{
	const uint32_t itr = 7813; /* 2.000128 ms */
	const uint64_t gap = itr * 256ull;

	wr(&x, E1000_ITR, itr);
	cr_expect_eq(rd(&x, E1000_ITR), itr);
	wr(&x, E1000_IMS, E1000_ICR_RXT0);
	for (unsigned i = 0; i < 4; i++) {
		wr(&x, E1000_ICS, E1000_ICR_RXT0);
		HX_WAIT(atomic_load(&x.rec.rises) == i + 1, 10000);
		cr_assert_eq(rd(&x, E1000_ICR), E1000_ICR_RXT0 | E1000_ICR_INT_ASSERTED);
	}
	for (unsigned i = 1; i < 4; i++)
		cr_expect_geq(x.rec.rise_ns[i] - x.rec.rise_ns[i - 1], gap,
			      "assertion %u came %llu ns after the previous", i,
			      (unsigned long long)(x.rec.rise_ns[i] - x.rec.rise_ns[i - 1]));
	struct e1000_stats st;
	e1000_get_stats(x.dev, &st);
	cr_expect_geq(st.itr_throttled, 1, "at least one assertion was held back");
}

/*
 * SDM 13.4.18: a throttled assertion is dropped if the cause is gone when ITR
 * ends. The cause must be cleared inside the interval; a test thread
 * descheduled past it tries again (the device is reset in between).
 */
Test(e1000_irq, s13_4_18_itr_asserts_only_if_still_pending)
{
	const uint64_t gap = 65535 * 256ull; /* ~16.8 ms */
	uint64_t t_assert = 0;
	unsigned rises = 0;
	bool cleared_in_time = false;

	for (int attempt = 0; attempt < 10 && !cleared_in_time; attempt++) {
		bool lvl;

		wr(&x, E1000_CTRL, E1000_CTRL_RST);
		wr(&x, E1000_ITR, 65535);
		wr(&x, E1000_IMS, E1000_ICR_LSC);
		rises = atomic_load(&x.rec.rises);
		wr(&x, E1000_ICS, E1000_ICR_LSC);
		cr_assert(level());
		t_assert = x.rec.rise_ns[rises];
		(void)rd(&x, E1000_ICR);
		wr(&x, E1000_ICS, E1000_ICR_LSC);
		lvl = level();
		wr(&x, E1000_ICR, E1000_ICR_LSC); /* polled away */
		cleared_in_time = ke_clock_ns(x.m) < t_assert + gap;
		if (cleared_in_time)
			cr_expect_not(lvl, "held off by ITR");
	}
	cr_assert(cleared_in_time, "never cleared the cause inside a 16.8 ms interval");
	HX_WAIT(ke_clock_ns(x.m) > t_assert + gap, 10000);
	wr(&x, E1000_ICS, E1000_ICR_LSC); /* the interval is over: asserts at once */
	HX_WAIT(atomic_load(&x.rec.rises) == rises + 2, 10000);
	cr_expect_eq(atomic_load(&x.rec.rises), rises + 2, "the cleared cause never asserted");
	cr_expect_geq(x.rec.rise_ns[rises + 1] - t_assert, gap);
}

/* SDM 13.4.18: INTERVAL 0 disables throttling: back-to-back assertions. */
Test(e1000_irq, s13_4_18_itr_zero_is_unthrottled)
{
	wr(&x, E1000_IMS, E1000_ICR_LSC);
	for (unsigned i = 0; i < 50; i++) {
		wr(&x, E1000_ICS, E1000_ICR_LSC);
		cr_assert(level(), "assertion %u immediate", i);
		(void)rd(&x, E1000_ICR);
	}
	cr_expect_eq(atomic_load(&x.rec.rises), 50);
}

static void rx_one(struct ex_ring *r)
{
	uint8_t f[64];

	(void)r;
	cr_assert_eq(e1000_receive(x.dev, f, ex_frame(f, ex_mac, 64, 1)), 0);
}

static void rx_setup(struct ex_ring *r)
{
	wr(&x, E1000_CTRL, E1000_CTRL_SLU);
	(void)rd(&x, E1000_ICR);
	ex_rx_ring(&x, r, 64, 2048, E1000_RCTL_SECRC | (3u << E1000_RCTL_RDMTS_SHIFT));
}

/* SDM 13.4.30: RDTR 0 is no delay: RXT0 with the packet. */
Test(e1000_irq, s13_4_30_rdtr_zero_interrupts_per_packet)
{
	struct ex_ring r;

	rx_setup(&r);
	wr(&x, E1000_IMS, E1000_ICR_RXT0);
	rx_one(&r);
	cr_expect(level());
	cr_expect(rd(&x, E1000_ICR) & E1000_ICR_RXT0);
}

/*
 * SDM 13.4.30, SDM 3.2.7.1.1: with RDTR set, RXT0 waits RDTR x 1.024 us after the
 * last packet; a packet inside the interval restarts the timer.
 */
Test(e1000_irq, s13_4_30_rdtr_delays_and_restarts)
{
	const uint64_t delay = 2000 * 1024ull;
	struct ex_ring r;
	uint64_t t1, t2, last;
	bool lvl;

	rx_setup(&r);
	wr(&x, E1000_RDTR, 2000);
	wr(&x, E1000_IMS, E1000_ICR_RXT0);
	t1 = ke_clock_ns(x.m);
	rx_one(&r);
	lvl = level();
	if (ke_clock_ns(x.m) < t1 + delay)
		cr_expect_not(lvl, "not yet");
	last = t1;
	HX_WAIT(ke_clock_ns(x.m) > t1 + delay / 2, 10000);
	if (atomic_load(&x.rec.rises) == 0) { /* still inside the interval: restart it */
		t2 = ke_clock_ns(x.m);
		rx_one(&r);
		last = t2;
	}
	HX_WAIT(atomic_load(&x.rec.rises) == 1, 10000);
	cr_expect_geq(x.rec.rise_ns[0], last + delay, "RXT0 %llu ns after the last packet",
		      (unsigned long long)(x.rec.rise_ns[0] - last));
	cr_expect(rd(&x, E1000_ICR) & E1000_ICR_RXT0);
}

/* SDM 13.4.30: writing FPD expires the timer at once; FPD reads 0. */
Test(e1000_irq, s13_4_30_rdtr_fpd_flushes_now)
{
	struct ex_ring r;

	uint64_t t0;
	bool lvl;

	rx_setup(&r);
	wr(&x, E1000_RDTR, 65535);
	wr(&x, E1000_IMS, E1000_ICR_RXT0);
	t0 = ke_clock_ns(x.m);
	rx_one(&r);
	lvl = level();
	wr(&x, E1000_RDTR, 65535 | E1000_RDTR_FPD);
	cr_expect(level(), "FPD: RXT0 now");
	if (ke_clock_ns(x.m) < t0 + 65535 * 1024ull)
		cr_expect_not(lvl, "before FPD the timer was running");
	cr_expect_eq(rd(&x, E1000_RDTR), 65535, "FPD self-clears");
}

/*
 * SDM 13.4.31, SDM 3.2.7.1.2: RADV bounds the delay from the first packet even
 * while packets keep restarting a long RDTR.
 */
Test(e1000_irq, s13_4_31_radv_bounds_a_restarting_rdtr)
{
	const uint64_t radv = 2000 * 1024ull;
	struct ex_ring r;
	uint64_t t0, t;
	unsigned sent = 0;

	rx_setup(&r);
	wr(&x, E1000_RDTR, 50000); /* 51 ms, restarted every 0.25 ms below */
	wr(&x, E1000_RADV, 2000);
	wr(&x, E1000_IMS, E1000_ICR_RXT0);
	t0 = ke_clock_ns(x.m);
	while (atomic_load(&x.rec.rises) == 0 && sent < 400) {
		t = ke_clock_ns(x.m);
		rx_one(&r);
		ex_rx_return(&x, &r, sent % r.n);
		sent++;
		HX_WAIT(ke_clock_ns(x.m) > t + 250000, 10000);
	}
	HX_WAIT(atomic_load(&x.rec.rises) == 1, 10000);
	cr_expect_geq(x.rec.rise_ns[0], t0 + radv);
	cr_expect_lt(sent, 400, "the absolute timer fired while packets kept coming");
}

/* SDM 3.4, TIDV: a descriptor with IDE waits TIDV x 1.024 us for TXDW; without IDE, none. */
Test(e1000_irq, s3_4_tidv_delays_txdw_for_ide_descriptors)
{
	const uint64_t delay = 2000 * 1024ull;
	struct ex_ring t;
	uint8_t f[60];
	uint64_t t0;
	bool lvl;

	ex_tx_ring(&x, &t, 8, 2048);
	wr(&x, E1000_TIDV, 2000);
	wr(&x, E1000_IMS, E1000_ICR_TXDW);
	ex_tx_put(&t, f, (unsigned)ex_frame(f, ex_mac, 60, 0),
		  E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS);
	wr(&x, E1000_TDT, t.tail);
	cr_expect(level(), "no IDE: TXDW at once");
	cr_expect_eq(rd(&x, E1000_ICR) & (E1000_ICR_TXDW | E1000_ICR_TXQE),
		     E1000_ICR_TXDW | E1000_ICR_TXQE);
	t0 = ke_clock_ns(x.m);
	ex_tx_put(&t, f, 60, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS | E1000_TXD_CMD_IDE);
	wr(&x, E1000_TDT, t.tail);
	lvl = level();
	if (ke_clock_ns(x.m) < t0 + delay)
		cr_expect_not(lvl, "IDE: delayed");
	HX_WAIT(atomic_load(&x.rec.rises) == 2, 10000);
	cr_expect_geq(x.rec.rise_ns[1], t0 + delay);
	cr_expect(rd(&x, E1000_ICR) & E1000_ICR_TXDW);
}

/* Host faults: a stuck line stays high with nothing pending; a spurious
 * interrupt pulses the line and leaves ICR empty. */
Test(e1000_irq, fault_stuck_line_and_spurious)
{
	struct e1000_stats st;

	e1000_host_set_stuck_line(x.dev, true);
	cr_expect(level());
	cr_expect_eq(rd(&x, E1000_ICR), 0, "no cause behind it");
	cr_expect(level(), "reading ICR does not release it");
	e1000_host_set_stuck_line(x.dev, false);
	cr_expect_not(level());
	e1000_host_inject_spurious(x.dev);
	cr_expect_eq(atomic_load(&x.rec.pulses), 1);
	cr_expect_eq(rd(&x, E1000_ICR), 0);
	e1000_get_stats(x.dev, &st);
	cr_expect_eq(st.inj_stuck_line, 1);
	cr_expect_eq(st.inj_spurious, 1);
}
