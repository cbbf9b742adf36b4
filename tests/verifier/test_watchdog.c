/* SPDX-License-Identifier: MIT */
/*
 * tests/verifier/test_watchdog.c - the DPC watchdog and the deadlock
 * detector (verifier/watchdog.h, rule K6): a DPC, an ISR or a spin that
 * never ends, a vCPU stuck at DISPATCH_LEVEL and two vCPUs spinning on each
 * other's locks each end in their bug check instead of a hang; short work
 * stays silent, and Microsoft's 25 us / 100 us guidance is counted, never
 * fatal.
 */
#include "tests/harness.h"

#include "verifier/violation.h"
#include "verifier/watchdog.h"

#define MS 1000000ull

static void start(struct ke_machine *m, uint64_t isr, uint64_t dpc, uint64_t spin,
		  uint64_t dispatch)
{
	struct vfy_watchdog_config c;

	vfy_watchdog_defaults(&c);
	c.isr_ns = isr;
	c.dpc_ns = dpc;
	c.spin_ns = spin;
	c.dispatch_ns = dispatch;
	c.hold_warn_ns = VFY_WD_HOLD_WARN_NS; /* opt-in in ndisrt run; these tests time holds */
	cr_assert_eq(vfy_watchdog_start(m, &c), 0);
}

/* The watchdog must end the process within this bound, or the test fails. */
static void wait_for_the_watchdog(void)
{
	WAIT_UNTIL_MS(false, 20000);
	cr_assert_fail("the watchdog did not fire");
}

static void busy_ns(uint64_t ns)
{
	uint64_t end = harness_now_ns() + ns;

	while (harness_now_ns() < end)
		__builtin_ia32_pause();
}

/* ------------------------------------------------------------ a DPC loops */

static atomic_int looping;

static void dpc_loops(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	atomic_store(&looping, 1);
	for (;;)
		__builtin_ia32_pause();
}

static struct ke_dpc loop_dpc;

Test(vfy_watchdog, K6_a_dpc_that_never_returns_is_0x133_p1_0_with_the_dpc,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	start(m, 0, 200 * MS, 0, 0);
	ke_dpc_init(&loop_dpc, dpc_loops, NULL);
	/* P1 = 0 (one routine), P3 = the allotment in ms, P4 = the DPC. */
	expect_bugcheck(KE_BUGCHECK_DPC_WATCHDOG_VIOLATION, 0xD, 0, 0, 200, (uintptr_t)&loop_dpc);
	ke_dpc_queue(m, &loop_dpc, NULL, NULL);
	wait_for_the_watchdog();
}

/* ----------------------------------------------------------- an ISR loops */

static bool isr_loops(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	atomic_store(&looping, 1);
	for (;;)
		__builtin_ia32_pause();
	return true;
}

static struct ke_interrupt loop_intr;

Test(vfy_watchdog, K6_an_isr_that_never_returns_is_0x133_p1_0_with_the_interrupt,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);
	unsigned vector = (5 << 4) | 1;

	start(m, 200 * MS, 0, 0, 0);
	cr_assert_eq(ke_interrupt_init(&loop_intr, isr_loops, NULL, vector, NULL, 5, 1), 0);
	cr_assert_eq(ke_interrupt_connect(m, &loop_intr), 0);
	expect_bugcheck(KE_BUGCHECK_DPC_WATCHDOG_VIOLATION, 0xD, 0, 0, 200, (uintptr_t)&loop_intr);
	ke_interrupt_request(m, 0, vector);
	wait_for_the_watchdog();
}

/* ------------------------------------------- a vCPU stuck at DISPATCH_LEVEL */

static struct ke_spinlock churn_lock = KE_SPINLOCK_INIT;

static void raise_and_loop(void *arg)
{
	(void)arg;
	ke_irql_raise(KE_DISPATCH_LEVEL);
	for (;;)
		__builtin_ia32_pause();
}

static struct ke_work stuck_work;

Test(vfy_watchdog, K6_a_vcpu_left_at_dispatch_level_is_0x133_p1_1,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	start(m, 0, 0, 0, 300 * MS);
	expect_bugcheck(KE_BUGCHECK_DPC_WATCHDOG_VIOLATION, 0x5, 1, 0, 300, 0);
	ke_work_init(&stuck_work, raise_and_loop, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &stuck_work);
	wait_for_the_watchdog();
}

/*
 * The cumulative watchdog samples the IRQL. A vCPU that is raised nearly all
 * the time but drops below DISPATCH_LEVEL between holds has never stayed at
 * DISPATCH_LEVEL: nearly every sample sees it raised, yet it must stay silent.
 */
static atomic_int churn_done;

static void raise_lower_churn(void *arg)
{
	uint64_t end = harness_now_ns() + *(uint64_t *)arg;

	while (harness_now_ns() < end) {
		ke_irql_t old = ke_spin_acquire(&churn_lock);

		busy_ns(50000); /* 50 us raised, then a moment at PASSIVE_LEVEL */
		ke_spin_release(&churn_lock, old);
	}
	atomic_store(&churn_done, 1);
}

Test(vfy_watchdog, K6_raised_nearly_always_but_lowered_between_holds_is_not_cumulative)
{
	struct ke_machine *m = harness_machine(1);
	static uint64_t run_ns = 2500 * MS;
	static struct ke_work churn;

	/* Two and a half allotments, sampled every 125 ms (the allotment is far
	 * above what a loaded host deschedules a thread for). */
	start(m, 0, 0, 0, 1000 * MS);
	ke_work_init(&churn, raise_lower_churn, &run_ns);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &churn);
	WAIT_UNTIL_MS(atomic_load(&churn_done), 60000);
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	vfy_watchdog_stop(m);
	harness_end(m);
}

/* The default configuration times no lock hold, so it sends no IRQL or lock
 * operation out of ke's inline fast path: the main job keeps its speed. */
Test(vfy_watchdog, K6_default_watchdog_leaves_the_irql_and_lock_fast_paths_inline)
{
	struct ke_machine *m = harness_machine(1);
	struct vfy_watchdog_config c;
	struct vfy_watchdog_counts n;

	vfy_watchdog_defaults(&c);
	cr_assert_eq(c.hold_warn_ns, 0);
	cr_assert_eq(vfy_watchdog_start(m, &c), 0);
	cr_assert(atomic_load(&ke_slow_flags) & KE_HOOK_EVENTS, "the ISR/DPC events are watched");
	cr_assert_not(atomic_load(&ke_slow_flags) & KE_SLOW_HOOKS,
		      "the watchdog sent the IRQL and lock fast paths out of line");
	vfy_watchdog_counts(&n);
	cr_assert_eq(n.hold_warn_ns, 0);
	vfy_watchdog_stop(m);
	/* Timing holds is the one choice that needs the lock events. */
	c.hold_warn_ns = VFY_WD_HOLD_WARN_NS;
	cr_assert_eq(vfy_watchdog_start(m, &c), 0);
	cr_assert(atomic_load(&ke_slow_flags) & KE_SLOW_HOOKS);
	vfy_watchdog_stop(m);
	cr_assert_not(atomic_load(&ke_slow_flags) & KE_SLOW_HOOKS);
	harness_end(m);
}

/* ---------------------------------------------- a spin on a lock held long */

static struct ke_spinlock lock_a = KE_SPINLOCK_INIT, lock_b = KE_SPINLOCK_INIT;
static atomic_int holding_a, holding_b;

static void hold_a_for_ever(void *arg)
{
	(void)arg;
	ke_spin_acquire(&lock_a);
	atomic_store(&holding_a, 1);
	for (;;)
		__builtin_ia32_pause();
}

static void take_a(void *arg)
{
	ke_irql_t old;

	(void)arg;
	while (!atomic_load(&holding_a))
		__builtin_ia32_pause();
	old = ke_spin_acquire(&lock_a);
	ke_spin_release(&lock_a, old);
}

static struct ke_work w0, w1;

Test(vfy_watchdog, K6_a_spin_on_a_lock_held_too_long_is_0x133_p1_0_with_the_lock,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(2);

	/* Only the spin is watched: the holder's own time at DISPATCH is not. */
	start(m, 0, 0, 200 * MS, 0);
	expect_bugcheck(KE_BUGCHECK_DPC_WATCHDOG_VIOLATION, 0xD, 0, 0, 200, (uintptr_t)&lock_a);
	ke_work_init(&w0, hold_a_for_ever, NULL);
	ke_work_init(&w1, take_a, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &w0);
	ke_vcpu_post(ke_machine_vcpu(m, 1), &w1);
	wait_for_the_watchdog();
}

/* ------------------------------------------------- a real 2-vCPU deadlock */

static void a_then_b(void *arg)
{
	(void)arg;
	ke_spin_acquire(&lock_a);
	atomic_store(&holding_a, 1);
	while (!atomic_load(&holding_b))
		__builtin_ia32_pause();
	ke_spin_acquire(&lock_b);
}

static void b_then_a(void *arg)
{
	(void)arg;
	ke_spin_acquire(&lock_b);
	atomic_store(&holding_b, 1);
	while (!atomic_load(&holding_a))
		__builtin_ia32_pause();
	ke_spin_acquire(&lock_a);
}

Test(vfy_watchdog, K6_two_vcpus_spinning_on_each_others_locks_are_a_deadlock_0x1F80,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(2);

	start(m, 0, 0, 200 * MS, 0);
	/* P1 = 0x1F80, P4 = two vCPUs in the cycle. */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x9,
			NDISRT_VIOLATION_DEADLOCK, 0, 0, 2);
	ke_work_init(&w0, a_then_b, NULL);
	ke_work_init(&w1, b_then_a, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &w0);
	ke_vcpu_post(ke_machine_vcpu(m, 1), &w1);
	wait_for_the_watchdog();
}

/* ------------------------------------------------- false-positive guards */

static atomic_int dpcs_run, isrs_run;
static struct ke_dpc short_dpc[2];
static struct ke_interrupt short_intr;

static void short_dpc_fn(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	ke_irql_t old;

	(void)dpc, (void)ctx, (void)a1, (void)a2;
	old = ke_spin_acquire(&lock_a);
	busy_ns(2000);
	ke_spin_release(&lock_a, old);
	atomic_fetch_add(&dpcs_run, 1);
}

static bool short_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	atomic_fetch_add(&isrs_run, 1);
	return true;
}

Test(vfy_watchdog, K6_short_isrs_dpcs_and_contended_spins_stay_silent)
{
	struct ke_machine *m = harness_machine(2);
	unsigned vector = (5 << 4) | 2;
	struct vfy_watchdog_counts c;

	start(m, 200 * MS, 200 * MS, 200 * MS, 1000 * MS);
	cr_assert_eq(ke_interrupt_init(&short_intr, short_isr, NULL, vector, NULL, 5, 3), 0);
	cr_assert_eq(ke_interrupt_connect(m, &short_intr), 0);
	for (int i = 0; i < 2; i++) {
		ke_dpc_init(&short_dpc[i], short_dpc_fn, NULL);
		ke_dpc_set_target(&short_dpc[i], i);
	}
	/* Two vCPUs contend for lock_a from their DPCs, interrupts in between. */
	for (int round = 0; round < 2000; round++) {
		int before = atomic_load(&dpcs_run);

		ke_dpc_queue(m, &short_dpc[0], NULL, NULL);
		ke_dpc_queue(m, &short_dpc[1], NULL, NULL);
		ke_interrupt_request(m, (unsigned)round & 1, vector);
		WAIT_UNTIL(atomic_load(&dpcs_run) >= before + 1);
	}
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	vfy_watchdog_counts(&c);
	cr_assert_geq(c.dpcs, 2000, "every DPC was timed (%llu)", (unsigned long long)c.dpcs);
	cr_assert_gt(c.isrs, 0);
	cr_assert_gt(c.holds, 0);
	vfy_watchdog_stop(m);
	ke_interrupt_disconnect(m, &short_intr);
	harness_end(m);
}

static void slow_dpc_fn(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	ke_irql_t old;

	(void)dpc, (void)ctx, (void)a1, (void)a2;
	old = ke_spin_acquire(&lock_b);
	busy_ns(300000); /* 300 us: over both the DPC and the lock-hold guidance */
	ke_spin_release(&lock_b, old);
	atomic_fetch_add(&dpcs_run, 1);
}

static bool slow_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	busy_ns(60000); /* 60 us: over the ISR guidance */
	atomic_fetch_add(&isrs_run, 1);
	return true;
}

Test(vfy_watchdog, K6_the_25us_and_100us_guidance_is_counted_not_fatal)
{
	struct ke_machine *m = harness_machine(1);
	unsigned vector = (5 << 4) | 3;
	struct vfy_watchdog_counts before, after;
	struct ke_dpc d;

	vfy_watchdog_counts(&before);
	start(m, 5000 * MS, 5000 * MS, 5000 * MS, 5000 * MS);
	cr_assert_eq(ke_interrupt_init(&short_intr, slow_isr, NULL, vector, NULL, 5, 1), 0);
	cr_assert_eq(ke_interrupt_connect(m, &short_intr), 0);
	ke_dpc_init(&d, slow_dpc_fn, NULL);
	atomic_store(&dpcs_run, 0);
	atomic_store(&isrs_run, 0);
	ke_dpc_queue(m, &d, NULL, NULL);
	WAIT_UNTIL(atomic_load(&dpcs_run) == 1);
	ke_interrupt_request(m, 0, vector);
	WAIT_UNTIL(atomic_load(&isrs_run) == 1);
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	vfy_watchdog_counts(&after);
	cr_assert_geq(after.dpc_over - before.dpc_over, 1);
	cr_assert_geq(after.isr_over - before.isr_over, 1);
	cr_assert_geq(after.hold_over - before.hold_over, 1);
	cr_assert_geq(after.dpc_max_ns, 300000);
	cr_assert_geq(after.isr_max_ns, 60000);
	vfy_watchdog_stop(m);
	ke_interrupt_disconnect(m, &short_intr);
	harness_end(m);
}
