/* SPDX-License-Identifier: MIT */
/*
 * tests/verifier/test_irq_disabled.c - rule I13, interrupts left disabled
 * (verifier/irq_disabled.h): a device holding masked causes with no DPC of
 * its interrupt queued or running past the allotment is 0xC4/0x9200F naming
 * the DPC handler; masked causes while a DPC is active, or for less than the
 * allotment, are not. The device is a stand-in behind the device seam whose
 * "irq_masked_pending" statistic the test sets.
 */
#include "tests/harness.h"

#include "hw/device.h"
#include "verifier/irq_disabled.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"

/* Short for the report; long for the guards, so that a test thread the host
 * deschedules for a while cannot make a short mask look long. */
#define REPORT_MS 40u
#define GUARD_MS 1000u

static _Atomic uint64_t masked_pending;

static size_t fake_stats(struct hw_device *dev, struct hw_stat *out, size_t cap)
{
	static const char *const names[] = {"rx_offered", "irq_masked_pending"};
	uint64_t v[2] = {0, atomic_load(&masked_pending)};

	(void)dev;
	return hw_stats_fill(out, cap, names, v, 2);
}

static const struct hw_device_ops fake_ops = {.stats = fake_stats};
static struct hw_device fake;
static atomic_uint active_dpcs;

/* Stands for the miniport's DPC handler the report names. */
static void the_dpc_handler(void)
{
}

static struct vfy_irqoff *watch(struct ke_machine *m, unsigned allot_ms)
{
	struct vfy_irqoff *w;

	hw_device_init(&fake, &fake_ops, NULL);
	cr_assert_eq(vfy_irqoff_start(m, allot_ms), 0);
	w = vfy_irqoff_watch(&fake, &active_dpcs, (const void *)(uintptr_t)the_dpc_handler);
	cr_assert_not_null(w, "the stand-in device has irq_masked_pending: it must be watched");
	return w;
}

/* Wait until the checker has looked @n more times (its period: the allotment / 8). */
static void wait_checks(uint64_t n)
{
	uint64_t until = vfy_irqoff_checks() + n;

	WAIT_UNTIL_MS(vfy_irqoff_checks() >= until, 20000);
}

Test(vfy_irqoff, I13_masked_causes_with_no_dpc_past_the_allotment_are_0xc4_0x9200f,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);
	struct vfy_irqoff *w = watch(m, REPORT_MS);

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	/* A DPC ran on vCPU 0 for message 0, then left causes 0x1 masked. */
	vfy_irqoff_dpc_done(w, 0, 0);
	/* P1 = 0x9200F (NdisTimedDataHang), P2 = the causes, P4 = the DPC handler. */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xB,
			NDISRT_VIOLATION_INTERRUPTS_LEFT_DISABLED, 0x1, 0,
			(uintptr_t)the_dpc_handler);
	atomic_store(&masked_pending, 0x1);
	WAIT_UNTIL_MS(false, 20000);
	cr_assert_fail("interrupts left disabled were not reported");
}

Test(vfy_irqoff, I13_causes_masked_while_a_dpc_is_active_are_not_reported)
{
	struct ke_machine *m = harness_machine(1);
	struct vfy_irqoff *w = watch(m, GUARD_MS);

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	/* A long batch: masked the whole time, but a DPC is queued or running. */
	atomic_store(&active_dpcs, 1);
	atomic_store(&masked_pending, 0x3);
	wait_checks(24); /* three allotments */
	/* The batch ends and its last DPC unmasks: nothing is left masked. */
	atomic_store(&masked_pending, 0);
	atomic_store(&active_dpcs, 0);
	vfy_irqoff_dpc_done(w, 0, 0);
	wait_checks(16);
	cr_assert_eq(vfy_warnings(), 0);
	vfy_irqoff_unwatch(w);
	vfy_irqoff_stop(m);
}

Test(vfy_irqoff, I13_a_device_masked_for_less_than_the_allotment_is_not_reported)
{
	struct ke_machine *m = harness_machine(1);
	struct vfy_irqoff *w = watch(m, GUARD_MS);

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	/* Masked between an ISR and its DPC, over and over, never for long:
	 * each look that finds a DPC active starts the count over. */
	for (int i = 0; i < 6; i++) {
		atomic_store(&masked_pending, 0x1);
		wait_checks(2); /* seen masked, with no DPC: the count has begun */
		atomic_store(&active_dpcs, 1);
		wait_checks(1);
		atomic_store(&active_dpcs, 0);
		atomic_store(&masked_pending, 0);
		wait_checks(1);
	}
	/* And a watch that ended (deregistration) is not looked at any more. */
	vfy_irqoff_unwatch(w);
	atomic_store(&masked_pending, 0x1);
	wait_checks(16);
	cr_assert_eq(vfy_warnings(), 0);
	vfy_irqoff_stop(m);
}
