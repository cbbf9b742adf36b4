/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_lock.c - NDIS spin locks, the IRQL macros, processor
 * queries and NdisStallExecution: spec §15, §21 and the SDV rules of §23.
 * Every misuse has a test that commits it and expects the bug check, and
 * a twin that stays silent.
 */
#include "tests/ndis5/tndis5.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

static struct ke_machine *lock_machine(unsigned n)
{
	return harness_machine(n);
}

static void on(struct ke_machine *m, unsigned n, ke_work_fn *fn, void *arg)
{
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, n), fn, arg), 0);
}

struct seen {
	KIRQL irql[8];
	unsigned n;
	ULONG value[4];
};

static void note(struct seen *s)
{
	if (s->n < 8)
		s->irql[s->n++] = NDIS_CURRENT_IRQL();
}

/* ------------------------------------------------------------ §15.1 */

static NDIS_SPIN_LOCK lock_a, lock_b;

static void acquire_release_passive(void *arg)
{
	struct seen *s = arg;

	NdisAllocateSpinLock(&lock_a);
	note(s); /* PASSIVE */
	NdisAcquireSpinLock(&lock_a);
	note(s); /* DISPATCH */
	NdisReleaseSpinLock(&lock_a);
	note(s); /* PASSIVE again: the IRQL stored in the lock */
	ke_irql_raise(KE_DISPATCH_LEVEL);
	NdisAcquireSpinLock(&lock_a);
	NdisReleaseSpinLock(&lock_a);
	note(s); /* still DISPATCH */
	NdisDprAcquireSpinLock(&lock_a);
	note(s); /* DISPATCH, unchanged */
	NdisDprReleaseSpinLock(&lock_a);
	note(s);
	ke_irql_lower(KE_PASSIVE_LEVEL);
	NdisFreeSpinLock(&lock_a);
}

Test(ndis5_lock, S15_1_acquire_raises_to_dispatch_release_restores_the_stored_irql)
{
	struct ke_machine *m = lock_machine(1);
	struct seen s = {0};

	on(m, 0, acquire_release_passive, &s);
	cr_assert_eq(s.n, 6);
	cr_assert_eq(s.irql[0], PASSIVE_LEVEL);
	cr_assert_eq(s.irql[1], DISPATCH_LEVEL);
	cr_assert_eq(s.irql[2], PASSIVE_LEVEL);
	cr_assert_eq(s.irql[3], DISPATCH_LEVEL);
	cr_assert_eq(s.irql[4], DISPATCH_LEVEL);
	cr_assert_eq(s.irql[5], DISPATCH_LEVEL);
	cr_assert_eq(sizeof(NDIS_SPIN_LOCK), 16);
	harness_end(m);
}

static atomic_uint shared_counter, shared_bad, inside;

static void hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		NdisAcquireSpinLock(&lock_a);
		if (atomic_fetch_add(&inside, 1) != 0)
			atomic_fetch_add(&shared_bad, 1);
		atomic_store(&shared_counter, atomic_load(&shared_counter) + 1);
		atomic_fetch_sub(&inside, 1);
		NdisReleaseSpinLock(&lock_a);
	}
}

Test(ndis5_lock, S15_1_lock_excludes_the_other_vcpu)
{
	struct ke_machine *m = lock_machine(2);
	struct ke_work w0, w1;

	NdisAllocateSpinLock(&lock_a);
	ke_work_init(&w0, hammer, NULL);
	ke_work_init(&w1, hammer, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &w0);
	ke_vcpu_post(ke_machine_vcpu(m, 1), &w1);
	ke_work_wait(&w0);
	ke_work_wait(&w1);
	cr_assert_eq(atomic_load(&shared_bad), 0);
	cr_assert_eq(atomic_load(&shared_counter), 40000);
	harness_end(m);
}

static void acquire_above_dispatch(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_a);
	ke_irql_raise(5);
	NdisAcquireSpinLock(&lock_a);
}

Test(ndis5_lock, S15_1_acquire_above_dispatch_bugchecks_0x9, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, 0x3, KE_DISPATCH_LEVEL, 5, 0, 0);
	on(m, 0, acquire_above_dispatch, NULL);
}

static void dpr_acquire_at_passive(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_a);
	NdisDprAcquireSpinLock(&lock_a);
}

Test(ndis5_lock, S15_1_dpr_acquire_below_dispatch_bugchecks_0x8,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_DISPATCH_LEVEL, 0x3, (uintptr_t)&lock_a, PASSIVE_LEVEL,
			0, 0);
	on(m, 0, dpr_acquire_at_passive, NULL);
}

static void dpr_release_at_passive(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_a);
	ke_irql_raise(KE_DISPATCH_LEVEL);
	NdisDprAcquireSpinLock(&lock_a);
	ke_irql_lower(KE_PASSIVE_LEVEL);
	NdisDprReleaseSpinLock(&lock_a);
}

Test(ndis5_lock, S15_1_dpr_release_below_dispatch_bugchecks_0x8,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_DISPATCH_LEVEL, 0x3, (uintptr_t)&lock_a, PASSIVE_LEVEL,
			0, 0);
	on(m, 0, dpr_release_at_passive, NULL);
}

static void release_unheld(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_a);
	ke_irql_raise(KE_DISPATCH_LEVEL);
	NdisReleaseSpinLock(&lock_a);
}

Test(ndis5_lock, K1_release_of_an_unheld_lock_is_0xC4_0x1007, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_SPIN_NOT_HELD, (uintptr_t)&lock_a, 0,
			NDISRT_DDI_SPIN_LOCK);
	on(m, 0, release_unheld, NULL);
}

static atomic_uint held_by_0;

static void hold_forever(void *arg)
{
	(void)arg;
	NdisAcquireSpinLock(&lock_a);
	atomic_store(&held_by_0, 1);
	while (1)
		__builtin_ia32_pause();
}

static void release_other(void *arg)
{
	(void)arg;
	ke_irql_raise(KE_DISPATCH_LEVEL);
	NdisReleaseSpinLock(&lock_a);
}

Test(ndis5_lock, K1_release_of_a_lock_another_vcpu_holds_is_0xC4_0x1007,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(2);
	struct ke_work w;

	NdisAllocateSpinLock(&lock_a);
	ke_work_init(&w, hold_forever, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &w);
	WAIT_UNTIL(atomic_load(&held_by_0));
	/* Parameter 3: the holder's lock id (vCPU 0's), not this processor's. */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xB,
			NDISRT_VIOLATION_SPIN_NOT_HELD, (uintptr_t)&lock_a, 0,
			NDISRT_DDI_SPIN_LOCK);
	on(m, 1, release_other, NULL);
}

static void recursive(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_a);
	NdisAcquireSpinLock(&lock_a);
	NdisDprAcquireSpinLock(&lock_a);
}

Test(ndis5_lock, K1_recursive_acquire_is_0xC4_0x1000, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_SPIN_RECURSION, (uintptr_t)&lock_a, 1,
			NDISRT_DDI_SPIN_LOCK);
	on(m, 0, recursive, NULL);
}

static void use_unallocated(void *arg)
{
	(void)arg;
	memset(&lock_b, 0, sizeof(lock_b));
	NdisAcquireSpinLock(&lock_b);
}

Test(ndis5_lock, K1_use_before_allocate_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_SPIN_NOT_ALLOCATED, (uintptr_t)&lock_b, 0, 0);
	on(m, 0, use_unallocated, NULL);
}

static void use_after_free(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_b);
	NdisFreeSpinLock(&lock_b);
	NdisAcquireSpinLock(&lock_b);
}

Test(ndis5_lock, K1_use_after_free_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_SPIN_NOT_ALLOCATED, (uintptr_t)&lock_b, 0, 0);
	on(m, 0, use_after_free, NULL);
}

static void free_held(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_b);
	NdisAcquireSpinLock(&lock_b);
	NdisFreeSpinLock(&lock_b);
}

Test(ndis5_lock, K1_free_of_a_held_lock_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_LOCK_HELD, (uintptr_t)&lock_b, 0, 0);
	on(m, 0, free_held, NULL);
}

static void mismatched(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_b);
	NdisAcquireSpinLock(&lock_b);
	NdisDprReleaseSpinLock(&lock_b); /* would leave the caller at DISPATCH_LEVEL */
}

Test(ndis5_lock, K2_release_of_the_other_flavour_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_SPIN_MISMATCH, (uintptr_t)&lock_b, 1, 2);
	on(m, 0, mismatched, NULL);
}

static void mismatched_reverse(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_b);
	ke_irql_raise(KE_DISPATCH_LEVEL);
	NdisDprAcquireSpinLock(&lock_b);
	NdisReleaseSpinLock(&lock_b); /* would restore an IRQL no acquire stored */
}

Test(ndis5_lock, K2_release_of_a_dpr_acquire_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_SPIN_MISMATCH, (uintptr_t)&lock_b, 2, 1);
	on(m, 0, mismatched_reverse, NULL);
}

static void allocate_free_at_dirql(void *arg)
{
	struct seen *s = arg;
	ke_irql_t old = ke_irql_raise(T5_LINE_IRQL);

	NdisAllocateSpinLock(&lock_b);
	note(s);
	NdisFreeSpinLock(&lock_b);
	note(s);
	ke_irql_lower(old);
}

Test(ndis5_lock, S21_allocate_and_free_at_any_irql_are_silent)
{
	struct ke_machine *m = lock_machine(1);
	struct seen s = {0};

	on(m, 0, allocate_free_at_dirql, &s);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.irql[1], T5_LINE_IRQL);
	harness_end(m);
}

static void crossed(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&lock_a);
	NdisAllocateSpinLock(&lock_b);
	NdisAcquireSpinLock(&lock_a); /* stores PASSIVE */
	NdisAcquireSpinLock(&lock_b); /* stores DISPATCH */
	NdisReleaseSpinLock(&lock_a); /* back to PASSIVE while holding B */
	NdisReleaseSpinLock(&lock_b); /* at PASSIVE: the forbidden pattern's fault */
}

Test(ndis5_lock, S15_1_rule2_crossed_release_order_bugchecks_0x8,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_DISPATCH_LEVEL, 0x3, (uintptr_t)&lock_b, PASSIVE_LEVEL,
			0, 0);
	on(m, 0, crossed, NULL);
}

static NDIS_SPIN_LOCK dpc_lock;

/* S3: state an ISR shares is guarded by NdisMSynchronizeWithInterrupt, never a spin lock. */
static void isr_takes_spin_lock(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	NdisAcquireSpinLock(&dpc_lock);
	t5_default_isr(t, recognized, queue);
}

Test(ndis5_lock, S3_spin_lock_in_an_isr_bugchecks_0x9, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env e;
	struct t5 t;

	NdisAllocateSpinLock(&dpc_lock);
	t5env_init(&e, 1, 0);
	t5_init(&t, 0);
	t.isr = isr_takes_spin_lock;
	t5_start(&e, &t, 0);
	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, 0x3, KE_DISPATCH_LEVEL, T5_LINE_IRQL,
			0, 0);
	t5_fire(&t);
	WAIT_UNTIL(false);
}

static void dpc_keeps_lock(struct t5 *t)
{
	(void)t;
	NdisDprAcquireSpinLock(&dpc_lock);
}

Test(ndis5_lock, K3_handler_returning_with_a_lock_held_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env e;
	struct t5 t;

	NdisAllocateSpinLock(&dpc_lock);
	t5env_init(&e, 1, 0);
	t5_init(&t, 0);
	t.dpc = dpc_keeps_lock;
	t5_start(&e, &t, 0);
	expect_bugcheck(C4, 0x5, NDISRT_VIOLATION_SPIN_HELD_AT_RETURN, 0, 0, 0);
	t5_fire(&t);
	WAIT_UNTIL(false);
}

static void dpc_balanced(struct t5 *t)
{
	(void)t;
	NdisDprAcquireSpinLock(&dpc_lock);
	NdisDprReleaseSpinLock(&dpc_lock);
}

Test(ndis5_lock, K3_handler_releasing_its_lock_is_silent)
{
	struct t5env e;
	struct t5 t;

	NdisAllocateSpinLock(&dpc_lock);
	t5env_init(&e, 1, 0);
	t5_init(&t, 0);
	t.dpc = dpc_balanced;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.dpc_calls) == 1);
	t5_stop(&t);
	t5_assert_good(&t);
	t5env_end(&e);
}

/* ------------------------------------------------------------ §15.2 */

static void raise_lower(void *arg)
{
	struct seen *s = arg;
	KIRQL old1, old2;

	note(s);
	NDIS_RAISE_IRQL_TO_DISPATCH(&old1);
	note(s);
	NDIS_RAISE_IRQL_TO_DISPATCH(&old2); /* from DISPATCH: stays */
	note(s);
	NDIS_LOWER_IRQL(old2, DISPATCH_LEVEL);
	note(s);
	NDIS_LOWER_IRQL(old1, DISPATCH_LEVEL);
	note(s);
	s->value[0] = old1;
	s->value[1] = old2;
}

Test(ndis5_lock, S15_2_raise_saves_the_old_irql_and_lower_restores_it)
{
	struct ke_machine *m = lock_machine(1);
	struct seen s = {0};

	on(m, 0, raise_lower, &s);
	cr_assert_eq(s.irql[0], PASSIVE_LEVEL);
	cr_assert_eq(s.irql[1], DISPATCH_LEVEL);
	cr_assert_eq(s.irql[2], DISPATCH_LEVEL);
	cr_assert_eq(s.irql[3], DISPATCH_LEVEL);
	cr_assert_eq(s.irql[4], PASSIVE_LEVEL);
	cr_assert_eq(s.value[0], PASSIVE_LEVEL);
	cr_assert_eq(s.value[1], DISPATCH_LEVEL);
	harness_end(m);
}

static void raise_above(void *arg)
{
	KIRQL old;

	(void)arg;
	ke_irql_raise(4);
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
}

Test(ndis5_lock, S15_2_raise_above_dispatch_bugchecks_0x9, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, 0x3, KE_DISPATCH_LEVEL, 4, 0, 0);
	on(m, 0, raise_above, NULL);
}

static void lower_wrong_value(void *arg)
{
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NDIS_LOWER_IRQL(APC_LEVEL, DISPATCH_LEVEL); /* old is PASSIVE */
}

Test(ndis5_lock, K4_lower_to_a_value_not_from_the_raise_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_LOWER_IRQL, APC_LEVEL, PASSIVE_LEVEL,
			DISPATCH_LEVEL);
	on(m, 0, lower_wrong_value, NULL);
}

static void lower_without_raise(void *arg)
{
	(void)arg;
	ke_irql_raise(KE_DISPATCH_LEVEL);
	NDIS_LOWER_IRQL(PASSIVE_LEVEL, DISPATCH_LEVEL);
}

Test(ndis5_lock, K4_lower_without_a_raise_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0x7, NDISRT_VIOLATION_LOWER_IRQL, PASSIVE_LEVEL, 0x100, 0);
	on(m, 0, lower_without_raise, NULL);
}

static void lower_wrong_current(void *arg)
{
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NDIS_LOWER_IRQL(old, APC_LEVEL);
}

Test(ndis5_lock, K4_lower_with_a_wrong_current_irql_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_LOWER_IRQL, 0, 0, DISPATCH_LEVEL);
	on(m, 0, lower_wrong_current, NULL);
}

static void current_irql_in_isr(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	t5check(t, NDIS_CURRENT_IRQL() == T5_LINE_IRQL, "NDIS_CURRENT_IRQL in the ISR");
	t5_default_isr(t, recognized, queue);
}

Test(ndis5_lock, S15_2_current_irql_at_passive_dispatch_and_dirql)
{
	struct t5env e;
	struct t5 t;

	t5env_init(&e, 1, 0);
	t5_init(&t, 0);
	t.isr = current_irql_in_isr;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.enable_calls) == 1); /* DPC and Enable check DISPATCH */
	t5_stop(&t);
	t5_assert_good(&t);
	t5env_end(&e);
}

/* ------------------------------------------------------------ §15.3 */

static void processors(void *arg)
{
	struct seen *s = arg;
	KAFFINITY mask = 0;
	KIRQL old;

	s->value[0] = (ULONG)NdisSystemProcessorCount();
	s->value[1] = NdisSystemActiveProcessorCount(&mask);
	s->value[2] = (ULONG)mask;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	s->value[3] = NDIS_CURRENT_PROCESSOR_NUMBER;
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis5_lock, S15_3_processor_counts_and_current_number)
{
	struct ke_machine *m = lock_machine(3);
	struct seen s = {0};

	on(m, 2, processors, &s);
	cr_assert_eq(s.value[0], 3);
	cr_assert_eq(s.value[1], 3);
	cr_assert_eq(s.value[2], 0x7);
	cr_assert_eq(s.value[3], 2);
	cr_assert_eq(NdisGroupMaxProcessorCount(0), 1, "host thread: no machine, 1");
	harness_end(m);
}

static void processors_at_dirql(void *arg)
{
	struct seen *s = arg;
	KAFFINITY mask = 0;
	ke_irql_t old = ke_irql_raise(T5_LINE_IRQL);

	s->value[0] = NdisSystemActiveProcessorCount(&mask);
	s->value[1] = NdisGroupMaxProcessorCount(ALL_PROCESSOR_GROUPS);
	s->value[2] = NdisGroupActiveProcessorCount(0) + NdisGroupMaxProcessorCount(1);
	s->value[3] = KeGetCurrentProcessorNumber();
	note(s);
	ke_irql_lower(old);
}

Test(ndis5_lock, S21_processor_queries_at_dirql)
{
	struct ke_machine *m = lock_machine(2);
	struct seen s = {0};

	on(m, 1, processors_at_dirql, &s);
	cr_assert_eq(s.irql[0], T5_LINE_IRQL);
	cr_assert_eq(s.value[0], 2);
	cr_assert_eq(s.value[1], 2);
	cr_assert_eq(s.value[2], 2, "group 1 does not exist");
	cr_assert_eq(s.value[3], 1);
	harness_end(m);
}

static void ke_number_at_passive(void *arg)
{
	(void)arg;
	(void)KeGetCurrentProcessorNumber();
}

Test(ndis5_lock, S15_3_ke_get_current_processor_number_below_dispatch_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0xB, NDISRT_VIOLATION_IRQL, PASSIVE_LEVEL, 0, NDISRT_DDI_PROCESSOR);
	on(m, 0, ke_number_at_passive, NULL);
}

static void count_at_dispatch(void *arg)
{
	(void)arg;
	ke_irql_raise(KE_DISPATCH_LEVEL);
	NdisSystemProcessorCount();
}

Test(ndis5_lock, S15_3_system_processor_count_above_passive_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_IRQL, DISPATCH_LEVEL, 0, 0);
	on(m, 0, count_at_dispatch, NULL);
}

static void number_at_passive(void *arg)
{
	(void)arg;
	(void)NDIS_CURRENT_PROCESSOR_NUMBER;
}

Test(ndis5_lock, S15_3_current_processor_number_below_dispatch_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);

	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_IRQL, PASSIVE_LEVEL, 0, 0);
	on(m, 0, number_at_passive, NULL);
}

/* ------------------------------------------------------------- §23 */

/* The stall's length on the engine clock, the clock it is defined on. */
static void stall(void *arg)
{
	ULONG us = *(ULONG *)arg;
	struct ke_machine *m = ke_current_machine();
	uint64_t t0 = ke_clock_ns(m);

	NdisStallExecution(us);
	*(ULONG *)arg = (ULONG)((ke_clock_ns(m) - t0) / 1000);
}

Test(ndis5_lock, K5_stall_of_50us_waits_at_least_that_on_the_engine_clock)
{
	struct ke_machine *m = lock_machine(1);
	ULONG us = 50;

	on(m, 0, stall, &us);
	cr_assert_geq(us, 50);
	harness_end(m);
}

Test(ndis5_lock, K5_stall_over_50us_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = lock_machine(1);
	ULONG us = 51;

	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_STALL_DELAY, 51, 50, NDISRT_DDI_STALL);
	on(m, 0, stall, &us);
}
