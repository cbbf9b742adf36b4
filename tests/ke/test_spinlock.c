/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_spinlock.c - spin locks and KeSynchronizeExecution.
 */
#include "tests/harness.h"

static struct ke_spinlock lock = KE_SPINLOCK_INIT;
static struct {
	atomic_int old_from_passive, irql_held, irql_after;
	atomic_int old_from_dispatch, irql_after_dispatch;
	atomic_int irql_at_dpc_held;
} sl;

static void acquire_release_levels(void *arg)
{
	ke_irql_t old;

	(void)arg;
	old = ke_spin_acquire(&lock);
	atomic_store(&sl.old_from_passive, old);
	atomic_store(&sl.irql_held, ke_irql_current());
	ke_spin_release(&lock, old);
	atomic_store(&sl.irql_after, ke_irql_current());

	ke_irql_t raised = ke_irql_raise(KE_DISPATCH_LEVEL);

	old = ke_spin_acquire(&lock);
	atomic_store(&sl.old_from_dispatch, old);
	ke_spin_release(&lock, old);
	atomic_store(&sl.irql_after_dispatch, ke_irql_current());
	ke_spin_acquire_at_dpc(&lock);
	atomic_store(&sl.irql_at_dpc_held, ke_irql_current());
	ke_spin_release_at_dpc(&lock);
	ke_irql_lower(raised);
}

Test(ke_spinlock, acquire_raises_to_dispatch_and_release_restores)
{
	struct ke_machine *m = harness_machine(1);

	ke_vcpu_call(ke_machine_vcpu(m, 0), acquire_release_levels, NULL);
	cr_assert_eq(atomic_load(&sl.old_from_passive), KE_PASSIVE_LEVEL);
	cr_assert_eq(atomic_load(&sl.irql_held), KE_DISPATCH_LEVEL);
	cr_assert_eq(atomic_load(&sl.irql_after), KE_PASSIVE_LEVEL);
	cr_assert_eq(atomic_load(&sl.old_from_dispatch), KE_DISPATCH_LEVEL);
	cr_assert_eq(atomic_load(&sl.irql_after_dispatch), KE_DISPATCH_LEVEL);
	cr_assert_eq(atomic_load(&sl.irql_at_dpc_held), KE_DISPATCH_LEVEL);
	cr_assert_not(ke_spin_is_held(&lock));
	harness_end(m);
}

static void acquire_at_dirql(void *arg)
{
	(void)arg;
	ke_irql_raise(5);
	ke_spin_acquire(&lock);
}

Test(ke_spinlock, acquire_above_dispatch_bugchecks_0x9, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	/* P1 = the level acquiring raises to, P2 = the current IRQL, P3 = the lock. */
	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, 0x7, KE_DISPATCH_LEVEL, 5,
			(uintptr_t)&lock, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), acquire_at_dirql, NULL);
	cr_assert_fail("no bug check");
}

static void acquire_twice(void *arg)
{
	(void)arg;
	ke_spin_acquire(&lock);
	ke_spin_acquire(&lock);
}

Test(ke_spinlock, recursive_acquire_bugchecks_0xF, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	expect_bugcheck(KE_BUGCHECK_SPIN_LOCK_ALREADY_OWNED, 0x1, (uintptr_t)&lock, 0, 0, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), acquire_twice, NULL);
	cr_assert_fail("no bug check");
}

static void release_unowned(void *arg)
{
	(void)arg;
	ke_irql_raise(KE_DISPATCH_LEVEL);
	ke_spin_release(&lock, KE_PASSIVE_LEVEL);
}

Test(ke_spinlock, release_of_unheld_lock_bugchecks_0x10, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	expect_bugcheck(KE_BUGCHECK_SPIN_LOCK_NOT_OWNED, 0x1, (uintptr_t)&lock, 0, 0, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), release_unowned, NULL);
	cr_assert_fail("no bug check");
}

static void dpr_acquire_at_passive(void *arg)
{
	(void)arg;
	ke_spin_acquire_at_dpc(&lock);
}

Test(ke_spinlock, acquire_at_dpc_level_below_dispatch_bugchecks_0x8,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_DISPATCH_LEVEL, 0x3, (uintptr_t)&lock,
			KE_PASSIVE_LEVEL, 0, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), dpr_acquire_at_passive, NULL);
	cr_assert_fail("no bug check");
}

/* --- KeSynchronizeExecution excludes the ISR running on another vCPU ----- */

#define SYNC_IRQL 6

static struct {
	struct ke_interrupt intr;
	atomic_bool in_sync, requested, isr_entered;
	atomic_uint violations, isr_runs, sync_irql_seen, sync_result_irql;
	atomic_uint isr_saw_sync_done;
	atomic_bool sync_done;
	atomic_int result;
} sx;

static bool sx_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	atomic_store(&sx.isr_entered, true);
	if (atomic_load(&sx.in_sync))
		atomic_fetch_add(&sx.violations, 1);
	atomic_store(&sx.isr_saw_sync_done, atomic_load(&sx.sync_done));
	atomic_fetch_add(&sx.isr_runs, 1);
	return true;
}

static bool sx_routine(void *ctx)
{
	(void)ctx;
	atomic_store(&sx.sync_irql_seen, ke_irql_current());
	atomic_store(&sx.in_sync, true);
	SPIN_UNTIL(atomic_load(&sx.requested));
	/* The ISR was requested on vCPU 0 and is spinning on our lock. */
	for (unsigned long i = 0; i < 50000000; i++)
		if (atomic_load_explicit(&sx.isr_entered, memory_order_relaxed))
			atomic_fetch_add(&sx.violations, 1);
	atomic_store(&sx.in_sync, false);
	atomic_store(&sx.sync_done, true);
	return false; /* returned unchanged by ke_synchronize_execution */
}

static void sx_caller(void *arg)
{
	(void)arg;
	atomic_store(&sx.result, ke_synchronize_execution(&sx.intr, sx_routine, NULL));
	atomic_store(&sx.sync_result_irql, ke_irql_current());
}

Test(ke_spinlock, synchronize_execution_excludes_isr_on_another_vcpu)
{
	struct ke_machine *m = harness_machine(2);
	int vec = ke_vector_alloc(m, SYNC_IRQL);
	struct ke_work w;

	atomic_store(&sx.result, -1);
	ke_interrupt_init(&sx.intr, sx_isr, NULL, (unsigned)vec, NULL, SYNC_IRQL, 0x3);
	ke_interrupt_connect(m, &sx.intr);
	ke_work_init(&w, sx_caller, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 1), &w);
	WAIT_UNTIL(atomic_load(&sx.in_sync));
	ke_interrupt_request(m, 0, (unsigned)vec);
	atomic_store(&sx.requested, true);
	ke_work_wait(&w);
	WAIT_UNTIL(atomic_load(&sx.isr_runs) == 1);
	cr_assert_eq(atomic_load(&sx.violations), 0, "ISR ran inside the synchronize routine");
	cr_assert(atomic_load(&sx.isr_saw_sync_done), "ISR did not wait for the routine");
	cr_assert_eq(atomic_load(&sx.sync_irql_seen), SYNC_IRQL);
	cr_assert_eq(atomic_load(&sx.sync_result_irql), KE_PASSIVE_LEVEL);
	cr_assert_eq(atomic_load(&sx.result), 0, "routine's FALSE not returned unchanged");
	ke_interrupt_disconnect(m, &sx.intr);
	harness_end(m);
}

static void sync_above(void *arg)
{
	(void)arg;
	ke_irql_raise(SYNC_IRQL + 1);
	ke_synchronize_execution(&sx.intr, sx_routine, NULL);
}

Test(ke_spinlock, synchronize_execution_above_its_irql_bugchecks_0x9,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);
	int vec = ke_vector_alloc(m, SYNC_IRQL);

	ke_interrupt_init(&sx.intr, sx_isr, NULL, (unsigned)vec, NULL, SYNC_IRQL, 0x1);
	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, 0x3, SYNC_IRQL, SYNC_IRQL + 1, 0, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), sync_above, NULL);
	cr_assert_fail("no bug check");
}
