/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_seam.c - hook points (every event kind, one subscriber) and the engine seam.
 *
 * White-box: a test engine wraps the threads engine to count preemption
 * points, which needs the engine ops table from ke/internal.h.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"
#include "tests/harness.h"

/* --- hooks fire for every event kind, on the vCPU where it happens ------- */

static struct {
	atomic_uint isr_enter, isr_exit, isr_claimed, dpc_enter, dpc_exit;
	atomic_uint raises, lowers, acquires, releases;
	atomic_int isr_enter_irql, dpc_enter_irql;
} hk;

static void h_isr_enter(void *ctx, struct ke_interrupt *intr)
{
	(void)ctx, (void)intr;
	atomic_store(&hk.isr_enter_irql, ke_irql_current());
	atomic_fetch_add(&hk.isr_enter, 1);
}

static void h_isr_exit(void *ctx, struct ke_interrupt *intr, bool claimed)
{
	(void)ctx, (void)intr;
	atomic_fetch_add(&hk.isr_exit, 1);
	atomic_fetch_add(&hk.isr_claimed, claimed);
}

static void h_dpc_enter(void *ctx, struct ke_dpc *dpc)
{
	(void)ctx, (void)dpc;
	atomic_store(&hk.dpc_enter_irql, ke_irql_current());
	atomic_fetch_add(&hk.dpc_enter, 1);
}

static void h_dpc_exit(void *ctx, struct ke_dpc *dpc)
{
	(void)ctx, (void)dpc;
	atomic_fetch_add(&hk.dpc_exit, 1);
}

static void h_irql(void *ctx, ke_irql_t o, ke_irql_t n)
{
	(void)ctx;
	atomic_fetch_add(n > o ? &hk.raises : &hk.lowers, 1);
}

static void h_acquire(void *ctx, struct ke_spinlock *l)
{
	(void)ctx, (void)l;
	atomic_fetch_add(&hk.acquires, 1);
}

static void h_release(void *ctx, struct ke_spinlock *l)
{
	(void)ctx, (void)l;
	atomic_fetch_add(&hk.releases, 1);
}

static const struct ke_hooks hooks = {
    .isr_enter = h_isr_enter,
    .isr_exit = h_isr_exit,
    .dpc_enter = h_dpc_enter,
    .dpc_exit = h_dpc_exit,
    .irql_change = h_irql,
    .lock_acquire = h_acquire,
    .lock_release = h_release,
};

static struct ke_spinlock user_lock = KE_SPINLOCK_INIT;
static atomic_uint dpc_ran;

static bool hook_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	return true;
}

static void hook_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	atomic_fetch_add(&dpc_ran, 1);
}

static void take_user_lock(void *arg)
{
	(void)arg;
	ke_spin_release(&user_lock, ke_spin_acquire(&user_lock));
}

Test(ke_seam, hooks_see_isr_dpc_irql_and_lock_events)
{
	struct ke_machine *m = harness_machine(2);
	struct ke_interrupt intr;
	struct ke_dpc dpc;
	int vec = ke_vector_alloc(m, 4);

	cr_assert_eq(ke_hooks_add(m, &hooks), 0);
	ke_interrupt_init(&intr, hook_isr, NULL, (unsigned)vec, NULL, 4, 1);
	ke_interrupt_connect(m, &intr);
	ke_interrupt_request(m, 0, (unsigned)vec);
	WAIT_UNTIL(atomic_load(&hk.isr_exit) == 1);
	ke_dpc_init(&dpc, hook_dpc, NULL);
	ke_dpc_set_target(&dpc, 1);
	ke_dpc_queue(m, &dpc, NULL, NULL);
	WAIT_UNTIL(atomic_load(&dpc_ran) == 1);
	unsigned acquires_before = atomic_load(&hk.acquires);

	ke_vcpu_call(ke_machine_vcpu(m, 0), take_user_lock, NULL);
	cr_assert_eq(atomic_load(&hk.isr_enter), 1);
	cr_assert_eq(atomic_load(&hk.isr_claimed), 1);
	cr_assert_eq(atomic_load(&hk.isr_enter_irql), 4);
	cr_assert_eq(atomic_load(&hk.dpc_enter), 1);
	cr_assert_eq(atomic_load(&hk.dpc_exit), 1);
	cr_assert_eq(atomic_load(&hk.dpc_enter_irql), KE_DISPATCH_LEVEL);
	cr_assert_gt(atomic_load(&hk.acquires), acquires_before);
	cr_assert_gt(atomic_load(&hk.raises), 0);
	cr_assert_gt(atomic_load(&hk.lowers), 0);
	ke_interrupt_disconnect(m, &intr);
	cr_assert_eq(ke_hooks_remove(m, &hooks), 0);
	cr_assert_eq(atomic_load(&ke_slow_flags) & KE_SLOW_HOOKS, 0, "slow path left on");
	harness_end(m);
	/* Balanced across the whole run (the machine's own locks included). */
	cr_assert_eq(atomic_load(&hk.acquires), atomic_load(&hk.releases));
}

/* --- the engine seam: preemption points reach the engine ------------------ */

static atomic_uint pp_count[KE_PP_IRQL_CHANGE + 1];

static void counting_preempt_point(struct ke_machine *m, enum ke_preempt_reason why)
{
	(void)m;
	atomic_fetch_add(&pp_count[why], 1);
}

static struct ke_engine_ops counting_engine;

static void raise_lower_and_contend(void *arg)
{
	(void)arg;
	ke_irql_lower(ke_irql_raise(KE_DISPATCH_LEVEL));
	ke_preempt_point(KE_PP_DDI_ENTER);
	ke_preempt_point(KE_PP_REG_ACCESS);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

Test(ke_seam, an_engine_that_wants_preemption_points_gets_every_kind)
{
	struct ke_machine_config cfg = {.nr_vcpus = 1, .engine = &counting_engine};
	struct ke_machine *m;

	counting_engine = ke_threads_engine;
	counting_engine.name = "counting";
	counting_engine.wants_preempt_points = true;
	counting_engine.preempt_point = counting_preempt_point;
	m = ke_machine_create(&cfg);
	cr_assert_not_null(m);
	cr_assert(atomic_load(&ke_slow_flags) & KE_SLOW_PREEMPT);
	ke_vcpu_call(ke_machine_vcpu(m, 0), raise_lower_and_contend, NULL);
	cr_assert_geq(atomic_load(&pp_count[KE_PP_IRQL_CHANGE]), 2);
	cr_assert_eq(atomic_load(&pp_count[KE_PP_DDI_ENTER]), 1);
	cr_assert_eq(atomic_load(&pp_count[KE_PP_DDI_EXIT]), 1);
	cr_assert_eq(atomic_load(&pp_count[KE_PP_REG_ACCESS]), 1);
	harness_end(m);
	cr_assert_eq(atomic_load(&ke_slow_flags) & KE_SLOW_PREEMPT, 0);
}

/* A contended spin is a preemption point (the sim engine switches there). */
static struct ke_spinlock contended = KE_SPINLOCK_INIT;
static atomic_bool holder_in, release_now;

static void hold_lock(void *arg)
{
	ke_irql_t old = ke_spin_acquire(&contended);

	(void)arg;
	atomic_store(&holder_in, true);
	SPIN_UNTIL(atomic_load(&release_now));
	ke_spin_release(&contended, old);
}

static void wait_for_lock(void *arg)
{
	(void)arg;
	ke_spin_release(&contended, ke_spin_acquire(&contended));
}

Test(ke_seam, contended_spin_is_a_preemption_point)
{
	struct ke_machine_config cfg = {.nr_vcpus = 2, .engine = &counting_engine};
	struct ke_work a, b;
	struct ke_machine *m;

	counting_engine = ke_threads_engine;
	counting_engine.wants_preempt_points = true;
	counting_engine.preempt_point = counting_preempt_point;
	m = ke_machine_create(&cfg);
	ke_work_init(&a, hold_lock, NULL);
	ke_work_init(&b, wait_for_lock, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &a);
	WAIT_UNTIL(atomic_load(&holder_in));
	ke_vcpu_post(ke_machine_vcpu(m, 1), &b);
	WAIT_UNTIL(atomic_load(&pp_count[KE_PP_SPIN]) > 0);
	atomic_store(&release_now, true);
	ke_work_wait(&a);
	ke_work_wait(&b);
	harness_end(m);
}
