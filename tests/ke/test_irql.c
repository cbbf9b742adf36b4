/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_irql.c - IRQL, preemption and delivery order.
 */
#include "tests/harness.h"

#include <pthread.h>

#define LOW_IRQL 5
#define HIGH_IRQL 8

/* --- an interrupt preempts a vCPU spinning at PASSIVE_LEVEL ------------- */

static struct {
	atomic_bool spinning, isr_ran;
	atomic_ulong iterations_before, iterations_after;
	pthread_t loop_thread, isr_thread;
	atomic_uint isr_vcpu, isr_irql, loop_irql_seen_by_isr;
	atomic_bool loop_completed;
} pre;

static bool preempt_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr;
	(void)ctx;
	pre.isr_thread = pthread_self();
	atomic_store(&pre.isr_vcpu, ke_current_number());
	atomic_store(&pre.isr_irql, ke_irql_current());
	atomic_store(&pre.isr_ran, true);
	return true;
}

static void spin_at_passive(void *arg)
{
	unsigned long n = 0;

	(void)arg;
	pre.loop_thread = pthread_self();
	atomic_store(&pre.spinning, true);
	/* A loop that never yields, never calls ke/: only a real preemption
	 * can run the ISR on this vCPU while it is here. */
	while (!atomic_load_explicit(&pre.isr_ran, memory_order_relaxed) && n < 20000000000ul)
		n++;
	atomic_store(&pre.iterations_before, n);
	for (unsigned long i = 0; i < 1000; i++)
		n++;
	atomic_store(&pre.iterations_after, n);
	atomic_store(&pre.loop_completed, true);
}

Test(ke_irql, interrupt_preempts_vcpu_spinning_at_passive)
{
	struct ke_machine *m = harness_machine(2);
	struct ke_interrupt intr;
	struct ke_work w;
	int vec = ke_vector_alloc(m, LOW_IRQL);

	cr_assert_geq(vec, 0);
	cr_assert_eq(ke_interrupt_init(&intr, preempt_isr, NULL, (unsigned)vec, NULL, LOW_IRQL, 1),
		     0);
	ke_interrupt_connect(m, &intr);
	ke_work_init(&w, spin_at_passive, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &w);
	WAIT_UNTIL(atomic_load(&pre.spinning));
	ke_interrupt_request(m, 0, (unsigned)vec);
	ke_work_wait(&w);
	cr_assert(atomic_load(&pre.isr_ran));
	cr_assert(pthread_equal(pre.isr_thread, pre.loop_thread), "ISR ran on another thread");
	cr_assert_eq(atomic_load(&pre.isr_vcpu), 0);
	cr_assert_eq(atomic_load(&pre.isr_irql), LOW_IRQL);
	cr_assert_lt(atomic_load(&pre.iterations_before), 20000000000ul,
		     "the loop ran to its bound: the ISR did not preempt it");
	ke_interrupt_disconnect(m, &intr);
	harness_end(m);
}

/* --- a masked interrupt runs exactly once when the IRQL drops ------------ */

static struct {
	atomic_bool raised, requested;
	atomic_uint isr_count, dpc_count, isr_count_before_lower;
	atomic_uint order[4];
	atomic_uint order_len;
	struct ke_interrupt intr;
	struct ke_dpc dpc;
	struct ke_machine *m;
} msk;

static bool masked_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr;
	(void)ctx;
	atomic_fetch_add(&msk.isr_count, 1);
	msk.order[atomic_fetch_add(&msk.order_len, 1) & 3] = 'I';
	return true;
}

static void masked_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	atomic_fetch_add(&msk.dpc_count, 1);
	msk.order[atomic_fetch_add(&msk.order_len, 1) & 3] = 'D';
}

static void raise_wait_lower(void *arg)
{
	ke_irql_t old = ke_irql_raise(LOW_IRQL);

	(void)arg;
	atomic_store(&msk.raised, true);
	SPIN_UNTIL(atomic_load(&msk.requested));
	/* Lower-level work queued while masked: must run after the ISR. */
	ke_dpc_queue(msk.m, &msk.dpc, NULL, NULL);
	atomic_store(&msk.isr_count_before_lower, atomic_load(&msk.isr_count));
	ke_irql_lower(old);
}

Test(ke_irql, masked_interrupt_runs_once_when_irql_drops_before_lower_work)
{
	struct ke_machine *m = harness_machine(2);
	int vec = ke_vector_alloc(m, LOW_IRQL);

	msk.m = m;
	ke_interrupt_init(&msk.intr, masked_isr, NULL, (unsigned)vec, NULL, LOW_IRQL, 1);
	ke_interrupt_connect(m, &msk.intr);
	ke_dpc_init(&msk.dpc, masked_dpc, NULL);
	struct ke_work w;

	ke_work_init(&w, raise_wait_lower, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &w);
	WAIT_UNTIL(atomic_load(&msk.raised));
	/* Three requests while masked are one interrupt (edge semantics). */
	for (int i = 0; i < 3; i++)
		ke_interrupt_request(m, 0, (unsigned)vec);
	atomic_store(&msk.requested, true);
	ke_work_wait(&w);
	cr_assert_eq(atomic_load(&msk.isr_count_before_lower), 0, "ISR ran while masked");
	cr_assert_eq(atomic_load(&msk.isr_count), 1, "ISR ran %u times",
		     atomic_load(&msk.isr_count));
	cr_assert_eq(atomic_load(&msk.dpc_count), 1);
	cr_assert_eq(msk.order[0], 'I', "lower-level work ran before the pending interrupt");
	cr_assert_eq(msk.order[1], 'D');
	ke_interrupt_disconnect(m, &msk.intr);
	harness_end(m);
}

/* --- a higher DIRQL preempts a lower ISR, and not the reverse ------------ */

static struct {
	struct ke_machine *m;
	unsigned low_vec, high_vec;
	atomic_bool in_low, in_high, high_ran, low_ran, low_requested;
	atomic_uint high_irql_seen, high_saw_low_in_progress, low_ran_during_high;
	atomic_uint seq, low_end_seq, high_end_seq;
	atomic_bool phase2;
} nest;

static bool low_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	atomic_store(&nest.low_ran, true);
	if (!atomic_load(&nest.phase2)) {
		atomic_store(&nest.in_low, true);
		SPIN_UNTIL(atomic_load(&nest.high_ran));
		atomic_store(&nest.in_low, false);
	}
	atomic_store(&nest.low_end_seq, atomic_fetch_add(&nest.seq, 1) + 1);
	return true;
}

static bool high_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	atomic_store(&nest.high_irql_seen, ke_irql_current());
	atomic_store(&nest.high_saw_low_in_progress, atomic_load(&nest.in_low));
	if (atomic_load(&nest.phase2)) {
		atomic_store(&nest.in_high, true);
		SPIN_UNTIL(atomic_load(&nest.low_requested));
		/* The low interrupt is pending now; it must not run in here. */
		for (unsigned long i = 0; i < 20000000; i++)
			if (atomic_load_explicit(&nest.low_ran, memory_order_relaxed))
				atomic_store(&nest.low_ran_during_high, 1);
		atomic_store(&nest.in_high, false);
	}
	atomic_store(&nest.high_end_seq, atomic_fetch_add(&nest.seq, 1) + 1);
	atomic_store(&nest.high_ran, true);
	return true;
}

Test(ke_irql, higher_dirql_preempts_lower_isr_and_not_the_reverse)
{
	struct ke_machine *m = harness_machine(2);
	struct ke_interrupt lo, hi;

	nest.m = m;
	nest.low_vec = (unsigned)ke_vector_alloc(m, LOW_IRQL);
	nest.high_vec = (unsigned)ke_vector_alloc(m, HIGH_IRQL);
	ke_interrupt_init(&lo, low_isr, NULL, nest.low_vec, NULL, LOW_IRQL, 1);
	ke_interrupt_init(&hi, high_isr, NULL, nest.high_vec, NULL, HIGH_IRQL, 1);
	ke_interrupt_connect(m, &lo);
	ke_interrupt_connect(m, &hi);

	/* Phase 1: high arrives while low's ISR runs on vCPU 0: it preempts. */
	ke_interrupt_request(m, 0, nest.low_vec);
	WAIT_UNTIL(atomic_load(&nest.in_low));
	ke_interrupt_request(m, 0, nest.high_vec);
	WAIT_UNTIL(atomic_load(&nest.low_end_seq) != 0);
	cr_assert(atomic_load(&nest.high_saw_low_in_progress), "high ISR did not preempt low ISR");
	cr_assert_eq(atomic_load(&nest.high_irql_seen), HIGH_IRQL);
	cr_assert_lt(atomic_load(&nest.high_end_seq), atomic_load(&nest.low_end_seq));

	/* Phase 2: low arrives while high's ISR runs: it waits for high to end. */
	atomic_store(&nest.phase2, true);
	atomic_store(&nest.low_ran, false);
	atomic_store(&nest.high_ran, false);
	atomic_store(&nest.low_end_seq, 0);
	ke_interrupt_request(m, 0, nest.high_vec);
	WAIT_UNTIL(atomic_load(&nest.in_high));
	ke_interrupt_request(m, 0, nest.low_vec);
	atomic_store(&nest.low_requested, true);
	WAIT_UNTIL(atomic_load(&nest.low_end_seq) != 0);
	cr_assert_eq(atomic_load(&nest.low_ran_during_high), 0, "low ISR preempted a higher one");
	cr_assert_gt(atomic_load(&nest.low_end_seq), atomic_load(&nest.high_end_seq));
	ke_interrupt_disconnect(m, &lo);
	ke_interrupt_disconnect(m, &hi);
	harness_end(m);
}

/* --- raise/lower checks ---------------------------------------------------- */

static atomic_uint walk_ok;

static void walk_every_level(void *arg)
{
	(void)arg;
	/* Like ReactOS's KeIrql test: raise through every level and back. */
	for (ke_irql_t l = KE_PASSIVE_LEVEL; l <= KE_HIGH_LEVEL; l++) {
		ke_irql_t old = ke_irql_raise(l);

		if (ke_irql_current() != l || old != KE_PASSIVE_LEVEL)
			return;
		ke_irql_lower(old);
		if (ke_irql_current() != KE_PASSIVE_LEVEL)
			return;
	}
	atomic_store(&walk_ok, 1);
}

Test(ke_irql, raise_and_lower_through_every_level)
{
	struct ke_machine *m = harness_machine(1);

	ke_vcpu_call(ke_machine_vcpu(m, 0), walk_every_level, NULL);
	cr_assert_eq(atomic_load(&walk_ok), 1);
	harness_end(m);
}

static void lower_to_higher(void *arg)
{
	(void)arg;
	ke_irql_raise(KE_DISPATCH_LEVEL);
	ke_irql_lower(LOW_IRQL);
}

Test(ke_irql, lowering_to_a_higher_irql_bugchecks_0xA, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	/* P1 = the requested IRQL, P2 = the current IRQL. */
	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_LESS_OR_EQUAL, 0x3, LOW_IRQL, KE_DISPATCH_LEVEL, 0, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), lower_to_higher, NULL);
	cr_assert_fail("no bug check");
}

static void raise_to_lower(void *arg)
{
	(void)arg;
	ke_irql_raise(LOW_IRQL);
	ke_irql_raise(KE_DISPATCH_LEVEL);
}

Test(ke_irql, raising_to_a_lower_irql_bugchecks_0x9, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, 0x3, KE_DISPATCH_LEVEL, LOW_IRQL, 0,
			0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), raise_to_lower, NULL);
	cr_assert_fail("no bug check");
}

static void return_raised(void *arg)
{
	(void)arg;
	ke_irql_raise(KE_DISPATCH_LEVEL);
}

Test(ke_irql, passive_routine_returning_raised_bugchecks_0xC8, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	expect_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, 0x3, KE_DISPATCH_LEVEL, KE_PASSIVE_LEVEL,
			0, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), return_raised, NULL);
	cr_assert_fail("no bug check");
}

/* --- delivery without a signal: posted in the runtime, taken at its exit -- */

static struct {
	atomic_bool in_runtime, requested, done;
	atomic_uint isr_count, isr_count_in_runtime, isr_count_after_exit;
	struct ke_vcpu_stats before, in_rt;
} post;

static bool post_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr;
	(void)ctx;
	atomic_fetch_add(&post.isr_count, 1);
	return true;
}

static void runtime_then_driver(void *arg)
{
	struct ke_vcpu *v = arg;
	unsigned rt = ke_runtime_enter();

	atomic_store(&post.in_runtime, true);
	/* The host requests now. While we are in the runtime it is posted:
	 * nothing may run the ISR here (a signal would). */
	if (!SPIN_UNTIL(atomic_load(&post.requested)))
		return;
	(void)SPIN_FOR(atomic_load(&post.isr_count) != 0, 20000000ull);
	atomic_store(&post.isr_count_in_runtime, atomic_load(&post.isr_count));
	ke_vcpu_get_stats(v, &post.in_rt);
	ke_runtime_exit(rt);
	/* Taken at the exit, before any more "driver code" runs. */
	atomic_store(&post.isr_count_after_exit, atomic_load(&post.isr_count));
	atomic_store(&post.done, true);
}

Test(ke_irql, interrupt_to_vcpu_in_runtime_is_posted_and_taken_at_runtime_exit)
{
	struct ke_machine *m = harness_machine(2);
	struct ke_vcpu *v = ke_machine_vcpu(m, 0);
	struct ke_interrupt intr;
	struct ke_work w;
	int vec = ke_vector_alloc(m, LOW_IRQL);

	cr_assert_geq(vec, 0);
	cr_assert_eq(ke_interrupt_init(&intr, post_isr, NULL, (unsigned)vec, NULL, LOW_IRQL, 1), 0);
	ke_interrupt_connect(m, &intr);
	ke_work_init(&w, runtime_then_driver, v);
	ke_vcpu_post(v, &w);
	WAIT_UNTIL(atomic_load(&post.in_runtime));
	ke_vcpu_get_stats(v, &post.before);
	ke_interrupt_request(m, 0, (unsigned)vec);
	atomic_store(&post.requested, true);
	ke_work_wait(&w);
	cr_assert(atomic_load(&post.done), "the work item gave up waiting for the request");
	cr_assert_eq(atomic_load(&post.isr_count_in_runtime), 0,
		     "the ISR ran inside the runtime section: a signal was sent");
	cr_assert_eq(post.in_rt.signals_sent, post.before.signals_sent, "a signal was sent");
	cr_assert_eq(post.in_rt.posted, post.before.posted + 1, "the request was not posted");
	cr_assert_eq(atomic_load(&post.isr_count_after_exit), 1,
		     "ke_runtime_exit() did not take the posted interrupt");
	ke_interrupt_disconnect(m, &intr);
	harness_end(m);
}
