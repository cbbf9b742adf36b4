/* SPDX-License-Identifier: MIT */
/*
 * VN-1 §4: causes, masks and signalling, observed on a recording sink.
 */
#include "harness.h"

static struct hx h;
static struct vn1 *dev;
static struct rec_sink *rec;

static void setup(void)
{
	hx_init(&h, 2, 1);
	dev = h.dev[0];
	rec = &h.rec[0];
}

static void teardown(void)
{
	hx_fini(&h);
}

TestSuite(vn1_irq, .init = setup, .fini = teardown);

static unsigned nmsi(void)
{
	return atomic_load(&rec->nmsi);
}

Test(vn1_irq, s4_line_asserted_while_icr_and_ims)
{
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_expect_not(atomic_load(&rec->level), "masked cause must not assert");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMS), 0);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC);
	cr_expect(atomic_load(&rec->level));
	cr_expect_eq(atomic_load(&rec->rises), 1);
	vn1_mmio_write32(dev, VN1_IMC, VN1_CAUSE_LSC);
	cr_expect_not(atomic_load(&rec->level), "IMC deasserts");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMS), 0);
}

Test(vn1_irq, s4_line_read_to_clear)
{
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_ALL);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(3) | VN1_CAUSE_ERR);
	cr_assert(atomic_load(&rec->level));
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_RXQ(3) | VN1_CAUSE_ERR);
	cr_expect_not(atomic_load(&rec->level), "read-to-clear deasserts");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0, "second read: nothing (not ours)");
}

Test(vn1_irq, s4_line_icr_write_ignored)
{
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_TXQ(1));
	vn1_mmio_write32(dev, VN1_ICR, ~0u);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_TXQ(1));
}

Test(vn1_irq, s4_causes_accumulate_while_masked)
{
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(0));
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_TXQ(0));
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_RXQ(0) | VN1_CAUSE_TXQ(0));
	cr_expect_eq(atomic_load(&rec->rises), 0);
}

Test(vn1_irq, s4_msg_icr_not_cleared_on_read_and_w1c)
{
	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(2) | VN1_CAUSE_LSC);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_RXQ(2) | VN1_CAUSE_LSC);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_RXQ(2) | VN1_CAUSE_LSC,
		     "message modes: a read does not clear");
	vn1_mmio_write32(dev, VN1_ICR, VN1_CAUSE_LSC);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_RXQ(2), "W1C clears only the 1s");
	cr_expect_eq(nmsi(), 0, "nothing enabled, nothing signalled");
}

Test(vn1_irq, s4_msi_every_cause_signals_message0_and_auto_clears)
{
	hx_msix_setup(dev, VN1_IMODE_MSI, 1);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_ALL);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_TXQ(7));
	cr_assert_eq(nmsi(), 1);
	cr_expect_eq(rec->msi[0].addr, 0xFEE00000u);
	cr_expect_eq(rec->msi[0].data, 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0, "auto-clear at signal time");
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_ERR);
	cr_expect_eq(nmsi(), 2, "a new cause is a new edge");
	cr_expect_eq(rec->msi[1].data, 0);
	cr_expect_not(atomic_load(&rec->level), "no INTx in message mode");
}

Test(vn1_irq, s4_masked_cause_signalled_once_on_ims_enable)
{
	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 0, VN1_IVAR_VALID | 3);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(0));
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(0));
	cr_expect_eq(nmsi(), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSGPEND), 0, "masked: not pending");
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(0));
	cr_expect_eq(nmsi(), 1, "exactly once");
	cr_expect_eq(rec->msi[0].data, 3);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(0));
	cr_expect_eq(nmsi(), 1, "re-enabling with nothing pending sends nothing");
}

/* A driver's ISR auto-masks; a cause arrives during its DPC; re-enabling re-arms. */
Test(vn1_irq, s4_rearm_on_ims_write)
{
	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 1, VN1_IVAR_VALID | 5);
	vn1_mmio_write32(dev, VN1_IAM, VN1_CAUSE_RXQ(1));
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(1));
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(1));
	cr_assert_eq(nmsi(), 1);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMS), 0, "auto-masked");
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(1)); /* arrives "during the DPC" */
	cr_expect_eq(nmsi(), 1);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_RXQ(1));
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(1));
	cr_expect_eq(nmsi(), 2, "re-arm: the event that arrived while masked is not lost");
	cr_expect_eq(rec->msi[1].data, 5);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0);
}

Test(vn1_irq, s4_auto_mask_clears_only_iam_bits)
{
	hx_msix_setup(dev, VN1_IMODE_MSI, 1);
	vn1_mmio_write32(dev, VN1_IAM, VN1_CAUSE_RXQ(0) | VN1_CAUSE_TXQ(0));
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(0) | VN1_CAUSE_LSC);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_assert_eq(nmsi(), 1);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMS), VN1_CAUSE_LSC,
		     "IAM clears its bits of the signalled message: RXQ0 (routed to 0 too)");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IAM), VN1_CAUSE_RXQ(0) | VN1_CAUSE_TXQ(0));
}

Test(vn1_irq, s4_ivar_routing)
{
	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	for (unsigned c = 0; c < VN1_NR_CAUSES; c++)
		vn1_mmio_write32(dev, VN1_IVAR0 + 4 * c, VN1_IVAR_VALID | (15 - c % 16));
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 18, 2); /* ERR: no VALID */
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_ALL);
	for (unsigned c = 0; c < VN1_NR_CAUSES; c++) {
		unsigned before = nmsi();

		vn1_mmio_write32(dev, VN1_ICS, 1u << c);
		if (c == 18) {
			cr_expect_eq(nmsi(), before, "a cause without VALID signals nothing");
			cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_ERR);
			continue;
		}
		cr_assert_eq(nmsi(), before + 1, "cause %u", c);
		cr_expect_eq(rec->msi[before].data, 15 - c % 16, "cause %u routed", c);
	}
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IVAR0 + 4 * 3), VN1_IVAR_VALID | 12);
}

/* Two causes on one message while it is pending: one signal (edge). */
Test(vn1_irq, s4_signal_on_edge_only)
{
	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 0, VN1_IVAR_VALID | 0);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 8, VN1_IVAR_VALID | 0);
	vn1_mmio_write32(dev, VN1_ITR0, 50000); /* 50 ms: the second waits */
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(0) | VN1_CAUSE_TXQ(0));
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(0));
	cr_assert_eq(nmsi(), 1);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(0));
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_TXQ(0));
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSGPEND), 1, "throttled: pending, not signalled");
	WAIT_UNTIL_MS(nmsi() == 2, 10000);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSGPEND), 0);
}

Test(vn1_irq, s4_itr_spacing_on_engine_clock)
{
	const unsigned itr_us = 2000;

	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 4, VN1_IVAR_VALID | 7);
	vn1_mmio_write32(dev, VN1_ITR0 + 4 * 7, itr_us);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(4));
	for (int i = 0; i < 5; i++) {
		unsigned want = (unsigned)i + 1;

		vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(4));
		WAIT_UNTIL_MS(nmsi() == want, 10000);
	}
	for (int i = 1; i < 5; i++)
		cr_expect_geq(rec->msi[i].ns - rec->msi[i - 1].ns, itr_us * 1000ULL,
			      "signal %d came %llu ns after the previous one", i,
			      (unsigned long long)(rec->msi[i].ns - rec->msi[i - 1].ns));
}

/* Throttled, then the cause is cleared: nothing is sent when the timer fires. */
Test(vn1_irq, s4_itr_sends_only_if_still_pending)
{
	struct vn1_stats st;

	hx_msix_setup(dev, VN1_IMODE_MSI, 1);
	vn1_mmio_write32(dev, VN1_ITR0, 3000);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC | VN1_CAUSE_RXO);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_assert_eq(nmsi(), 1);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXO);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSGPEND), 1);
	vn1_mmio_write32(dev, VN1_ICR, VN1_CAUSE_RXO); /* the driver polled it */
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSGPEND), 0);
	/* Wait for the throttle timer to have fired, then check nothing went out. */
	uint64_t until = ke_clock_ns(h.m) + 3000 * 1000ULL;
	WAIT_UNTIL_MS(ke_clock_ns(h.m) > until, 10000);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.msgs_throttled[0], 1);
	/* The timer may fire late; a new cause after it proves it ran and sent nothing. */
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	WAIT_UNTIL_MS(nmsi() == 2, 10000);
	cr_expect_geq(rec->msi[1].ns - rec->msi[0].ns, 3000 * 1000ULL);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.msgs_signaled[0], 2, "only two signals ever: the cleared one was not sent");
}

Test(vn1_irq, s4_itr_line_mode_holds_reassertion)
{
	const unsigned itr_us = 2000;

	vn1_mmio_write32(dev, VN1_ITR0, itr_us);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC);
	for (unsigned i = 0; i < 4; i++) {
		vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
		WAIT_UNTIL_MS(atomic_load(&rec->rises) == i + 1, 10000);
		cr_assert_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_LSC);
		cr_assert_not(atomic_load(&rec->level));
	}
	for (int i = 1; i < 4; i++)
		cr_expect_geq(rec->rise_ns[i] - rec->rise_ns[i - 1], itr_us * 1000ULL);
}

Test(vn1_irq, s4_msgpend_line_mode_shows_held_line)
{
	vn1_mmio_write32(dev, VN1_ITR0, 60000);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_assert_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_LSC);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_expect_not(atomic_load(&rec->level), "held off by ITR[0]");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSGPEND), 1);
}

Test(vn1_irq, s4_imode_invalid_value_ignored)
{
	vn1_mmio_write32(dev, VN1_IMODE, 3);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMODE), 0);
	vn1_mmio_write32(dev, VN1_IMODE, 2);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_IMODE), 2);
}
