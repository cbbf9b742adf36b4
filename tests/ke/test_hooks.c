/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_hooks.c - hook subscribers (fan-out, order, removal, the
 * slow-path switch, the event set the verifier and the tracer need) and the
 * per-vCPU counters and histograms that replace the main job's hook.
 *
 * White-box only where it says so: ke_slow_flags is public (ke.h).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "tests/harness.h"

/* ------------------------------------------------------------ event log */

/*
 * Subscribers append (subscriber id, event) pairs for events about the
 * test's own interrupt object, lock or vector only, so the machine's own
 * locks and IRQL changes do not interleave with what a test checks.
 */
#define LOG_MAX 256

enum ev {
	EV_ISR_ENTER = 1,
	EV_ISR_EXIT,
	EV_IRQL,
	EV_SPIN_BEGIN,
	EV_SPIN_END,
	EV_ACQUIRE,
	EV_REQUEST,
	EV_DPC_ENTER,
	EV_DPC_EXIT,
	EV_SYNC_ENTER,
	EV_SYNC_EXIT,
	EV_RELEASE
};

static struct {
	atomic_uint n;
	uint8_t who[LOG_MAX], what[LOG_MAX];
	struct ke_interrupt *intr; /* the test's interrupt object */
	struct ke_spinlock *lock;  /* the test's lock */
	unsigned vector;	   /* the test's vector */
	atomic_uint spin_owner;	   /* owner seen by spin_wait_begin */
	atomic_uint req_vcpu, req_coalesced;
	atomic_uint irql_from, irql_to;
} lg;

static void log_ev(void *ctx, enum ev e)
{
	unsigned i = atomic_fetch_add(&lg.n, 1);

	if (i < LOG_MAX) {
		lg.who[i] = (uint8_t)(uintptr_t)ctx;
		lg.what[i] = (uint8_t)e;
	}
}

static void s_isr_enter(void *ctx, struct ke_interrupt *intr)
{
	if (intr == lg.intr)
		log_ev(ctx, EV_ISR_ENTER);
}

static void s_isr_exit(void *ctx, struct ke_interrupt *intr, bool claimed)
{
	(void)claimed;
	if (intr == lg.intr)
		log_ev(ctx, EV_ISR_EXIT);
}

static void s_irql(void *ctx, ke_irql_t o, ke_irql_t n)
{
	/* Only the test's own lower from DIRQL 5 to PASSIVE. */
	if (o == 5 && n == KE_PASSIVE_LEVEL) {
		atomic_store(&lg.irql_from, o);
		atomic_store(&lg.irql_to, n);
		log_ev(ctx, EV_IRQL);
	}
}

static void s_acquire(void *ctx, struct ke_spinlock *l)
{
	if (l == lg.lock)
		log_ev(ctx, EV_ACQUIRE);
}

static void s_release(void *ctx, struct ke_spinlock *l)
{
	if (l == lg.lock)
		log_ev(ctx, EV_RELEASE);
}

static void s_sync_enter(void *ctx, struct ke_interrupt *intr)
{
	if (intr == lg.intr)
		log_ev(ctx, EV_SYNC_ENTER);
}

static void s_sync_exit(void *ctx, struct ke_interrupt *intr)
{
	if (intr == lg.intr)
		log_ev(ctx, EV_SYNC_EXIT);
}

static void s_spin_begin(void *ctx, struct ke_spinlock *l, unsigned owner)
{
	if (l == lg.lock) {
		atomic_store(&lg.spin_owner, owner);
		log_ev(ctx, EV_SPIN_BEGIN);
	}
}

static void s_spin_end(void *ctx, struct ke_spinlock *l)
{
	if (l == lg.lock)
		log_ev(ctx, EV_SPIN_END);
}

static void s_request(void *ctx, unsigned vector, unsigned vcpu, bool coalesced)
{
	if (vector == lg.vector) {
		atomic_store(&lg.req_vcpu, vcpu);
		atomic_fetch_add(&lg.req_coalesced, coalesced);
		log_ev(ctx, EV_REQUEST);
	}
}

#define SUBSCRIBER(id)                                                                             \
	{                                                                                          \
		.ctx = (void *)(uintptr_t)(id), .isr_enter = s_isr_enter, .isr_exit = s_isr_exit,  \
		.irql_change = s_irql, .lock_acquire = s_acquire, .spin_wait_begin = s_spin_begin, \
		.spin_wait_end = s_spin_end, .interrupt_request = s_request,                       \
		.lock_release = s_release, .sync_enter = s_sync_enter, .sync_exit = s_sync_exit,   \
	}

static const struct ke_hooks sub_events = {.ctx = (void *)(uintptr_t)9,
					   .isr_enter = s_isr_enter,
					   .isr_exit = s_isr_exit,
					   .spin_wait_begin = s_spin_begin,
					   .spin_wait_end = s_spin_end};
static const struct ke_hooks sub_a = SUBSCRIBER(1), sub_b = SUBSCRIBER(2), sub_c = SUBSCRIBER(3),
			     sub_d = SUBSCRIBER(4), sub_e = SUBSCRIBER(5);

/* The log as a string of "<who><event>" pairs, e.g. "1a2a3a". */
static const char *log_str(void)
{
	static char buf[2 * LOG_MAX + 1];
	unsigned n = atomic_load(&lg.n), k = 0;

	for (unsigned i = 0; i < n && i < LOG_MAX; i++) {
		buf[k++] = (char)('0' + lg.who[i]);
		buf[k++] = (char)('a' + lg.what[i] - 1);
	}
	buf[k] = 0;
	return buf;
}

static void log_reset(void)
{
	atomic_store(&lg.n, 0);
}

static atomic_uint isr_runs;

static bool count_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	atomic_fetch_add(&isr_runs, 1);
	return true;
}

/* One interrupt on vCPU @n, waited for. */
static void one_interrupt(struct ke_machine *m, unsigned n)
{
	unsigned before = atomic_load(&isr_runs);

	ke_interrupt_request(m, n, lg.vector);
	WAIT_UNTIL(atomic_load(&isr_runs) == before + 1);
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
}

static struct ke_interrupt test_intr;

static struct ke_machine *machine_with_interrupt(unsigned nr_vcpus)
{
	struct ke_machine *m = harness_machine(nr_vcpus);
	int vec = ke_vector_alloc(m, 5);

	cr_assert_geq(vec, 0);
	memset(&lg, 0, sizeof(lg));
	lg.vector = (unsigned)vec;
	lg.intr = &test_intr;
	ke_interrupt_init(&test_intr, count_isr, NULL, (unsigned)vec, NULL, 5, ~0ull);
	ke_interrupt_connect(m, &test_intr);
	return m;
}

static void end_machine(struct ke_machine *m)
{
	ke_interrupt_disconnect(m, &test_intr);
	ke_vector_free(m, lg.vector);
	harness_end(m);
}

/* ---------------------------------------------------- fan-out and order */

Test(ke_hooks, several_subscribers_each_see_every_event_in_the_order_added)
{
	struct ke_machine *m = machine_with_interrupt(2);

	cr_assert_eq(ke_hooks_add(m, &sub_a), 0);
	cr_assert_eq(ke_hooks_add(m, &sub_b), 0);
	cr_assert_eq(ke_hooks_add(m, &sub_c), 0);
	cr_assert_eq(ke_hooks_count(m), 3);
	one_interrupt(m, 1);
	/* request (host thread), then ISR enter and exit (vCPU 1), each to 1, 2, 3 */
	cr_assert_str_eq(log_str(), "1g2g3g1a2a3a1b2b3b");
	cr_assert_eq(atomic_load(&lg.req_vcpu), 1);
	ke_hooks_remove(m, &sub_a);
	ke_hooks_remove(m, &sub_b);
	ke_hooks_remove(m, &sub_c);
	end_machine(m);
}

Test(ke_hooks, removing_one_subscriber_leaves_the_others_in_order)
{
	struct ke_machine *m = machine_with_interrupt(2);

	ke_hooks_add(m, &sub_a);
	ke_hooks_add(m, &sub_b);
	ke_hooks_add(m, &sub_c);
	cr_assert_eq(ke_hooks_remove(m, &sub_b), 0);
	cr_assert_eq(ke_hooks_count(m), 2);
	one_interrupt(m, 0);
	cr_assert_str_eq(log_str(), "1g3g1a3a1b3b");
	/* Added again, it comes last. */
	log_reset();
	cr_assert_eq(ke_hooks_add(m, &sub_b), 0);
	one_interrupt(m, 1);
	cr_assert_str_eq(log_str(), "1g3g2g1a3a2a1b3b2b");
	/* The first removed: the rest keep their order. */
	log_reset();
	ke_hooks_remove(m, &sub_a);
	one_interrupt(m, 0);
	cr_assert_str_eq(log_str(), "3g2g3a2a3b2b");
	ke_hooks_remove(m, &sub_c);
	ke_hooks_remove(m, &sub_b);
	/* None left: nobody is called. */
	log_reset();
	one_interrupt(m, 0);
	cr_assert_str_eq(log_str(), "");
	end_machine(m);
}

Test(ke_hooks, add_and_remove_report_misuse)
{
	struct ke_machine *m = harness_machine(1);

	cr_assert_eq(ke_hooks_add(m, NULL), -EINVAL);
	cr_assert_eq(ke_hooks_remove(m, &sub_a), -ENOENT);
	cr_assert_eq(ke_hooks_add(m, &sub_a), 0);
	cr_assert_eq(ke_hooks_add(m, &sub_a), -EEXIST);
	cr_assert_eq(ke_hooks_add(m, &sub_b), 0);
	cr_assert_eq(ke_hooks_add(m, &sub_c), 0);
	cr_assert_eq(ke_hooks_add(m, &sub_d), 0);
	cr_assert_eq(KE_HOOKS_MAX, 4);
	cr_assert_eq(ke_hooks_add(m, &sub_e), -ENOSPC);
	cr_assert_eq(ke_hooks_count(m), 4);
	cr_assert_eq(ke_hooks_remove(m, &sub_a), 0);
	cr_assert_eq(ke_hooks_remove(m, &sub_a), -ENOENT);
	ke_hooks_remove(m, &sub_b);
	ke_hooks_remove(m, &sub_c);
	ke_hooks_remove(m, &sub_d);
	cr_assert_eq(ke_hooks_count(m), 0);
	harness_end(m);
}

/* ------------------------------------------------------ the slow-path switch */

static bool slow_hooks(void)
{
	return atomic_load(&ke_slow_flags) & KE_SLOW_HOOKS;
}

Test(ke_hooks, slow_flag_is_set_only_while_some_machine_has_a_subscriber)
{
	struct ke_machine *m1 = harness_machine(1), *m2 = harness_machine(1);

	cr_assert_not(slow_hooks(), "no subscriber yet, slow path on");
	ke_hooks_add(m1, &sub_a);
	cr_assert(slow_hooks());
	ke_hooks_add(m1, &sub_b);
	ke_hooks_add(m2, &sub_c);
	ke_hooks_remove(m1, &sub_a);
	cr_assert(slow_hooks(), "m1 still has b, m2 has c");
	ke_hooks_remove(m1, &sub_b);
	cr_assert(slow_hooks(), "m2 still has c");
	ke_hooks_remove(m2, &sub_c);
	cr_assert_not(slow_hooks(), "no subscriber left, slow path still on");
	/* Freeing a machine drops its subscribers, and the switch with them. */
	ke_hooks_add(m2, &sub_a);
	cr_assert(slow_hooks());
	harness_end(m2);
	cr_assert_not(slow_hooks());
	/* A subscriber of ISR/DPC events only turns the event switch on, never the
	 * fast paths' (the verifier's watchdog is one). */
	ke_hooks_add(m1, &sub_events);
	cr_assert(atomic_load(&ke_slow_flags) & KE_HOOK_EVENTS);
	cr_assert_not(slow_hooks(), "an events-only subscriber sent the fast paths out of line");
	ke_hooks_add(m1, &sub_a);
	cr_assert(slow_hooks());
	ke_hooks_remove(m1, &sub_a);
	cr_assert_not(slow_hooks());
	cr_assert(atomic_load(&ke_slow_flags) & KE_HOOK_EVENTS);
	ke_hooks_remove(m1, &sub_events);
	cr_assert_eq(atomic_load(&ke_slow_flags), 0);
	/* The main job's counting (DPC timing) is not a subscriber. */
	ke_machine_time_dpcs(m1, true);
	cr_assert_eq(atomic_load(&ke_slow_flags), 0, "counting turned a slow path on");
	harness_end(m1);
}

/* ------------------------------------------- removal waits for calls in flight */

static atomic_bool in_slow_hook, leave_slow_hook, remove_returned;

static void slow_isr_enter(void *ctx, struct ke_interrupt *intr)
{
	(void)ctx;
	if (intr != lg.intr)
		return;
	atomic_store(&in_slow_hook, true);
	SPIN_UNTIL(atomic_load(&leave_slow_hook));
}

static const struct ke_hooks sub_slow = {.isr_enter = slow_isr_enter};

static void *remover(void *arg)
{
	ke_hooks_remove(arg, &sub_slow);
	atomic_store(&remove_returned, true);
	return NULL;
}

Test(ke_hooks, remove_returns_only_after_calls_in_flight_have_left)
{
	struct ke_machine *m = machine_with_interrupt(2);
	pthread_t th;
	uint64_t until;

	ke_hooks_add(m, &sub_slow);
	ke_interrupt_request(m, 1, lg.vector);
	WAIT_UNTIL(atomic_load(&in_slow_hook));
	pthread_create(&th, NULL, remover, m);
	/* While the hook runs on vCPU 1, remove must not return. */
	until = harness_now_ns() + 50 * 1000000ull;
	while (harness_now_ns() < until)
		cr_assert_not(atomic_load(&remove_returned),
			      "ke_hooks_remove returned while its hook was running");
	atomic_store(&leave_slow_hook, true);
	WAIT_UNTIL(atomic_load(&remove_returned));
	pthread_join(th, NULL);
	WAIT_UNTIL(atomic_load(&isr_runs) == 1);
	cr_assert_eq(ke_hooks_count(m), 0);
	end_machine(m);
}

/* ------------------------------------- the events the verifier and tracer need */

static struct ke_spinlock test_lock = KE_SPINLOCK_INIT;
static atomic_bool holder_in, release_now;

static void hold_test_lock(void *arg)
{
	ke_irql_t old = ke_spin_acquire(&test_lock);

	(void)arg;
	atomic_store(&holder_in, true);
	SPIN_UNTIL(atomic_load(&release_now));
	ke_spin_release(&test_lock, old);
}

static void take_test_lock(void *arg)
{
	(void)arg;
	ke_spin_release(&test_lock, ke_spin_acquire(&test_lock));
}

Test(ke_hooks, contended_spin_reports_wait_begin_with_the_owner_then_end_then_acquire)
{
	struct ke_machine *m = machine_with_interrupt(2);
	struct ke_work a, b;

	lg.lock = &test_lock;
	ke_hooks_add(m, &sub_a);
	ke_work_init(&a, hold_test_lock, NULL);
	ke_work_init(&b, take_test_lock, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &a);
	WAIT_UNTIL(atomic_load(&holder_in));
	ke_vcpu_post(ke_machine_vcpu(m, 1), &b);
	WAIT_UNTIL(atomic_load(&lg.n) >= 2); /* vCPU 0's acquire, vCPU 1's wait */
	atomic_store(&release_now, true);
	ke_work_wait(&a);
	ke_work_wait(&b);
	/* vCPU 0 acquires; vCPU 1 waits on it (owner id = vCPU number + 1);
	 * vCPU 0 releases; vCPU 1 ends its wait once it has the lock, then
	 * acquires and releases. */
	cr_assert_str_eq(log_str(), "1f1d1l1e1f1l");
	cr_assert_eq(atomic_load(&lg.spin_owner), 1);
	ke_hooks_remove(m, &sub_a);
	end_machine(m);
}

Test(ke_hooks, uncontended_acquire_reports_no_spin_wait)
{
	struct ke_machine *m = machine_with_interrupt(1);

	lg.lock = &test_lock;
	ke_hooks_add(m, &sub_a);
	ke_vcpu_call(ke_machine_vcpu(m, 0), take_test_lock, NULL);
	cr_assert_str_eq(log_str(), "1f1l");
	ke_hooks_remove(m, &sub_a);
	end_machine(m);
}

static struct ke_machine *self_m;

/* At DIRQL 5 the test's level-5 vector stays pending; the lower lets it in. */
static void request_while_masked(void *arg)
{
	(void)arg;
	ke_irql_t old = ke_irql_raise(5);

	ke_interrupt_request(self_m, 0, lg.vector);
	ke_interrupt_request(self_m, 0, lg.vector); /* coalesces */
	ke_irql_lower(old);
}

Test(ke_hooks, lower_is_reported_before_the_interrupt_it_unmasks_and_requests_coalesce)
{
	struct ke_machine *m = machine_with_interrupt(1);

	self_m = m;
	ke_hooks_add(m, &sub_a);
	ke_vcpu_call(ke_machine_vcpu(m, 0), request_while_masked, NULL);
	cr_assert_eq(atomic_load(&isr_runs), 1, "two requests while pending are one interrupt");
	/* request, request (coalesced), IRQL 5 -> 0, ISR enter, ISR exit */
	cr_assert_str_eq(log_str(), "1g1g1c1a1b");
	cr_assert_eq(atomic_load(&lg.req_coalesced), 1);
	cr_assert_eq(atomic_load(&lg.irql_from), 5);
	ke_hooks_remove(m, &sub_a);
	end_machine(m);
}

static atomic_uint sync_ran;

static bool sync_routine(void *ctx)
{
	(void)ctx;
	atomic_fetch_add(&sync_ran, 1);
	return true;
}

static void call_sync(void *arg)
{
	(void)arg;
	ke_synchronize_execution(&test_intr, sync_routine, NULL);
}

Test(ke_hooks, synchronize_routine_is_reported_inside_its_lock)
{
	struct ke_machine *m = machine_with_interrupt(1);

	lg.lock = test_intr.lock;
	ke_hooks_add(m, &sub_a);
	ke_hooks_add(m, &sub_b);
	ke_vcpu_call(ke_machine_vcpu(m, 0), call_sync, NULL);
	cr_assert_eq(atomic_load(&sync_ran), 1);
	/* lock acquire, sync enter, sync exit, lock release, then the lower
	 * from the sync IRQL (5) back to PASSIVE; each to a, then b */
	cr_assert_str_eq(log_str(), "1f2f1j2j1k2k1l2l1c2c");
	/* From a host thread nothing is reported (not a processor). */
	log_reset();
	call_sync(NULL);
	cr_assert_str_eq(log_str(), "");
	ke_hooks_remove(m, &sub_a);
	ke_hooks_remove(m, &sub_b);
	end_machine(m);
}

/* ------------------------------------------------ counters and histograms */

static bool decline_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	return false;
}

static struct ke_machine *dpc_m;
static atomic_uint dpcs_ran;

static void count_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	atomic_fetch_add(&dpcs_ran, 1);
}

/* A DPC that runs at least 1 ms of engine-clock time (a lower bound by
 * construction, not a timing measurement). */
static void long_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	uint64_t t0 = ke_clock_ns(dpc_m);

	(void)dpc, (void)ctx, (void)a1, (void)a2;
	while (ke_clock_ns(dpc_m) - t0 < 1000000)
		;
	atomic_fetch_add(&dpcs_ran, 1);
}

Test(ke_hooks, per_vcpu_counters_count_interrupts_isr_calls_claims_and_dpcs)
{
	struct ke_machine *m = harness_machine(2);
	struct ke_interrupt first, second;
	struct ke_vcpu_stats s0, s1;
	struct ke_hist h;
	struct ke_dpc dpc;
	int vec = ke_vector_alloc(m, 6);

	/* A shared vector: the first ISR declines, the second claims. */
	ke_interrupt_init(&first, decline_isr, NULL, (unsigned)vec, NULL, 6, ~0ull);
	ke_interrupt_init(&second, count_isr, NULL, (unsigned)vec, NULL, 6, ~0ull);
	ke_interrupt_connect(m, &first);
	ke_interrupt_connect(m, &second);
	for (unsigned i = 0; i < 5; i++) {
		ke_interrupt_request(m, 1, (unsigned)vec);
		WAIT_UNTIL(atomic_load(&isr_runs) == i + 1);
	}
	ke_dpc_init(&dpc, count_dpc, NULL);
	ke_dpc_set_target(&dpc, 0);
	for (unsigned i = 0; i < 3; i++) {
		ke_dpc_queue(m, &dpc, NULL, NULL);
		WAIT_UNTIL(atomic_load(&dpcs_ran) == i + 1);
	}
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	ke_vcpu_get_stats(ke_machine_vcpu(m, 0), &s0);
	ke_vcpu_get_stats(ke_machine_vcpu(m, 1), &s1);
	cr_assert_eq(s1.interrupts, 5);
	cr_assert_eq(s1.isr_calls, 10, "both ISRs of the shared vector, 5 times");
	cr_assert_eq(s1.isr_claimed, 5);
	cr_assert_eq(s0.interrupts, 0);
	cr_assert_eq(s0.isr_calls, 0);
	cr_assert_eq(s0.dpcs, 3);
	cr_assert_eq(s1.dpcs, 0);
	/* One latency sample per delivered interrupt, on the vCPU that took it. */
	ke_vcpu_get_hist(ke_machine_vcpu(m, 1), KE_HIST_INTERRUPT_LATENCY, &h);
	cr_assert_eq(h.n, 5);
	ke_vcpu_get_hist(ke_machine_vcpu(m, 0), KE_HIST_INTERRUPT_LATENCY, &h);
	cr_assert_eq(h.n, 0);
	/* DPC durations only while timing is on. */
	ke_vcpu_get_hist(ke_machine_vcpu(m, 0), KE_HIST_DPC_DURATION, &h);
	cr_assert_eq(h.n, 0, "DPCs timed while timing was off");
	ke_interrupt_disconnect(m, &first);
	ke_interrupt_disconnect(m, &second);
	ke_vector_free(m, (unsigned)vec);
	harness_end(m);
}

Test(ke_hooks, dpc_durations_are_recorded_while_timing_is_on)
{
	struct ke_machine *m = harness_machine(1);
	struct ke_dpc dpc;
	struct ke_hist h;

	dpc_m = m;
	ke_machine_time_dpcs(m, true);
	ke_dpc_init(&dpc, long_dpc, NULL);
	ke_dpc_set_target(&dpc, 0);
	for (unsigned i = 0; i < 2; i++) {
		ke_dpc_queue(m, &dpc, NULL, NULL);
		WAIT_UNTIL(atomic_load(&dpcs_ran) == i + 1);
	}
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	ke_machine_time_dpcs(m, false);
	ke_dpc_queue(m, &dpc, NULL, NULL);
	WAIT_UNTIL(atomic_load(&dpcs_ran) == 3);
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	ke_vcpu_get_hist(ke_machine_vcpu(m, 0), KE_HIST_DPC_DURATION, &h);
	cr_assert_eq(h.n, 2, "two DPCs ran with timing on");
	cr_assert_geq(h.max, 1000000, "a DPC of >= 1 ms recorded as %llu ns",
		      (unsigned long long)h.max);
	cr_assert_geq(ke_hist_quantile(&h, 0.5), 1000000);
	harness_end(m);
}

Test(ke_hooks, histogram_buckets_quantiles_and_merge)
{
	struct ke_hist a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	/* Exact below 8, then 8 buckets per power of two. */
	cr_assert_eq(ke_hist_bucket(7), 7);
	cr_assert_eq(ke_hist_bucket(8), 8);
	cr_assert_geq(ke_hist_bucket_upper(ke_hist_bucket(1000)), 1000);
	cr_assert_leq(ke_hist_bucket_upper(ke_hist_bucket(1000)), 1000 + 1000 / 8);
	cr_assert_eq(ke_hist_bucket(UINT64_MAX), KE_HIST_BUCKETS - 1);
	cr_assert_eq(ke_hist_bucket_upper(KE_HIST_BUCKETS - 1), UINT64_MAX);
	for (uint64_t ns = 8; ns < (1ull << 40); ns = ns * 3 / 2)
		cr_assert_leq(ns, ke_hist_bucket_upper(ke_hist_bucket(ns)), "%llu",
			      (unsigned long long)ns);
	cr_assert_eq(ke_hist_quantile(&a, 0.5), 0, "empty");
	for (unsigned i = 0; i < 99; i++)
		ke_hist_add(&a, 100);
	ke_hist_add(&b, 5000);
	ke_hist_merge(&a, &b);
	cr_assert_eq(a.n, 100);
	cr_assert_eq(a.max, 5000);
	cr_assert_geq(ke_hist_quantile(&a, 0.5), 100);
	cr_assert_leq(ke_hist_quantile(&a, 0.5), 100 + 100 / 8);
	cr_assert_eq(ke_hist_quantile(&a, 1.0), 5000, "the top quantile is capped at max");
}

/* ------------------------------- add and remove while hooks run in handlers */

static atomic_uint churn_calls, churn_inside;
static atomic_bool churn_stop;

static void churn_isr_enter(void *ctx, struct ke_interrupt *intr)
{
	(void)ctx, (void)intr;
	atomic_store(&churn_inside, 1);
	atomic_fetch_add(&churn_calls, 1);
	for (volatile unsigned i = 0; i < 200; i++)
		;
	atomic_store(&churn_inside, 0);
}

static const struct ke_hooks sub_churn = {.isr_enter = churn_isr_enter};

static void spin_until_churn_stop(void *arg)
{
	(void)arg;
	while (!atomic_load(&churn_stop))
		__builtin_ia32_pause();
}

static void *churn_requester(void *arg)
{
	struct ke_machine *m = arg;

	while (!atomic_load(&churn_stop)) {
		unsigned before = atomic_load(&isr_runs);

		ke_interrupt_request(m, 1, lg.vector);
		/* One at a time, so every request is an interrupt. */
		while (atomic_load(&isr_runs) == before && !atomic_load(&churn_stop))
			sched_yield();
	}
	return NULL;
}

Test(ke_hooks, after_remove_returns_the_subscriber_is_never_running_nor_called_again)
{
	struct ke_machine *m = machine_with_interrupt(2);
	struct ke_work busy;
	pthread_t th;

	/* vCPU 1 runs at PASSIVE_LEVEL, so its ISRs (and hooks) run in its
	 * signal handler, while this thread adds and removes the subscriber. */
	ke_work_init(&busy, spin_until_churn_stop, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 1), &busy);
	pthread_create(&th, NULL, churn_requester, m);
	for (unsigned r = 0; r < 200; r++) {
		unsigned calls, runs;

		cr_assert_eq(ke_hooks_add(m, &sub_churn), 0);
		calls = atomic_load(&churn_calls);
		WAIT_UNTIL(atomic_load(&churn_calls) > calls);
		cr_assert_eq(ke_hooks_remove(m, &sub_churn), 0);
		cr_assert_eq(atomic_load(&churn_inside), 0, "round %u: hook still running", r);
		calls = atomic_load(&churn_calls);
		runs = atomic_load(&isr_runs);
		WAIT_UNTIL(atomic_load(&isr_runs) >= runs + 2);
		cr_assert_eq(atomic_load(&churn_calls), calls, "round %u: called after removal", r);
	}
	atomic_store(&churn_stop, true);
	pthread_join(th, NULL);
	ke_work_wait(&busy);
	cr_assert_not(atomic_load(&ke_slow_flags) & KE_SLOW_HOOKS);
	end_machine(m);
}
