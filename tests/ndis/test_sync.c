/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_sync.c - NdisMSynchronizeWithInterruptEx: spec S1, S2 and
 * the open point O-5.
 *
 * S3 and S4 are rules on the driver's NDIS spin locks. The part of S3 the
 * runtime provides - the one way to share state with an ISR - is what S1
 * tests; an NDIS spin lock taken in an ISR is tests/ndis5/test_lock.c's
 * S3 test. S4's checkable parts are here: an NDIS call that needs a lower
 * IRQL, made while holding a spin lock, and a second acquire of the same
 * lock (nested locks on the same data). Lock order is the verifier's.
 */
#include "tests/ndis/tndis.h"

#define LINE_IRQL 6

/* The environment every test below starts from (Criterion fixtures). */
static struct tenv e;

static void env_2cpu(void)
{
	tenv_init(&e, 2);
}

static void env_1cpu(void)
{
	tenv_init(&e, 1);
}

static void env_end(void)
{
	tenv_end(&e);
}

static int sync_ctx_token;

static struct {
	atomic_uint irql, calls;
	atomic_bool held_lock, held_other_lock, ctx_ok;
	atomic_uint ret; /* what the routine returns */
	struct tdrv *t;
	unsigned msg, other;
} s1;

static BOOLEAN s1_routine(NDIS_HANDLE ctx)
{
	atomic_store(&s1.irql, KeGetCurrentIrql());
	atomic_store(&s1.held_lock, tholds_isr_lock(s1.t, s1.msg));
	atomic_store(&s1.held_other_lock, tholds_isr_lock(s1.t, s1.other));
	atomic_store(&s1.ctx_ok, ctx == &sync_ctx_token);
	atomic_fetch_add(&s1.calls, 1);
	return (BOOLEAN)atomic_load(&s1.ret);
}

static struct {
	BOOLEAN r[4];
	KIRQL after[4];
} s1_out;

static void s1_calls(void *arg)
{
	struct tdrv *t = arg;
	static const KIRQL from[4] = {PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL, LINE_IRQL};
	static const BOOLEAN ret[4] = {0x5A, FALSE, TRUE, 0xFF};

	for (unsigned i = 0; i < 4; i++) {
		ke_irql_t old = ke_irql_raise(from[i]);

		atomic_store(&s1.ret, ret[i]);
		/* MessageId is ignored for a line: pass nonsense. */
		s1_out.r[i] =
		    NdisMSynchronizeWithInterruptEx(t->intr, 7 * i, s1_routine, &sync_ctx_token);
		s1_out.after[i] = KeGetCurrentIrql();
		ke_irql_lower(old);
	}
}

Test(ndis_sync, S1_runs_at_dirql_holding_the_isr_lock_and_returns_its_boolean, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	static const BOOLEAN ret[4] = {0x5A, FALSE, TRUE, 0xFF};
	static const KIRQL from[4] = {PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL, LINE_IRQL};

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	s1.t = &t;
	on_vcpu(&e, 1, s1_calls, &t);
	cr_assert_eq(atomic_load(&s1.calls), 4);
	cr_assert_eq(atomic_load(&s1.irql), LINE_IRQL);
	cr_assert(atomic_load(&s1.held_lock), "the routine did not hold the ISR's lock");
	cr_assert(atomic_load(&s1.ctx_ok), "SynchronizeContext was not passed through");
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(s1_out.r[i], ret[i], "call %u returned 0x%x, routine 0x%x", i,
			     s1_out.r[i], ret[i]);
		cr_assert_eq(s1_out.after[i], from[i], "call %u did not restore the IRQL", i);
	}
	{
		struct ndisrt_interrupt_counters c;

		ndisrt_adapter_counters(t.a, 0, NDISRT_ALL, &c);
		cr_assert_eq(c.syncs, 4);
	}
	tdrv_stop(&t, 0);
}

static void s1_sync_msg(void *arg)
{
	struct tdrv *t = arg;

	atomic_store(&s1.ret, TRUE);
	NdisMSynchronizeWithInterruptEx(t->intr, s1.msg, s1_routine, &sync_ctx_token);
}

Test(ndis_sync, S1_message_sync_takes_that_messages_lock_at_its_dirql, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	uint8_t irqls[2] = {5, 9};

	tenv_msi_adapter(&e, &t, 2, NULL, irqls);
	tdrv_start(&t, 0);
	s1.t = &t;
	for (unsigned m = 0; m < 2; m++) {
		s1.msg = m;
		s1.other = 1 - m;
		on_vcpu(&e, 1, s1_sync_msg, &t);
		cr_assert_eq(atomic_load(&s1.irql), irqls[m]);
		cr_assert(atomic_load(&s1.held_lock));
		cr_assert_not(atomic_load(&s1.held_other_lock),
			      "without MsiSyncWithAllMessages, message %u took message %u's lock",
			      m, 1 - m);
	}
	tdrv_stop(&t, 0);
}

Test(ndis_sync, S1_sync_with_all_messages_takes_one_lock_at_unified_irql, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	uint8_t irqls[2] = {5, 9};

	tenv_msi_adapter(&e, &t, 2, NULL, irqls);
	t.sync_all = TRUE;
	tdrv_start(&t, 0);
	cr_assert_eq(t.chars.MessageInfoTable->UnifiedIrql, 9);
	cr_assert_eq(ndisrt_adapter_ke_interrupt(t.a, 0)->lock,
		     ndisrt_adapter_ke_interrupt(t.a, 1)->lock, "messages do not share a lock");
	s1.t = &t;
	s1.msg = 0;
	s1.other = 1;
	on_vcpu(&e, 1, s1_sync_msg, &t);
	cr_assert_eq(atomic_load(&s1.irql), 9, "the shared lock must be taken at UnifiedIrql");
	cr_assert(atomic_load(&s1.held_lock));
	cr_assert(atomic_load(&s1.held_other_lock));
	tdrv_stop(&t, 0);
}

static BOOLEAN nop_routine(NDIS_HANDLE ctx)
{
	(void)ctx;
	return TRUE;
}

static void sync_above_dirql(void *arg)
{
	struct tdrv *t = arg;
	ke_irql_t old = ke_irql_raise(LINE_IRQL + 1);

	NdisMSynchronizeWithInterruptEx(t->intr, 0, nop_routine, NULL);
	ke_irql_lower(old);
}

Test(ndis_sync, S1_sync_above_dirql_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_2cpu)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF, NDISRT_VIOLATION_IRQL,
			LINE_IRQL + 1, NDISRT_IRQL_RANGE(0, LINE_IRQL), NDISRT_DDI_SYNCHRONIZE);
	on_vcpu(&e, 1, sync_above_dirql, &t);
	cr_assert_fail("synchronizing above DIRQL did not bug check");
}

static BOOLEAN lowering_routine(NDIS_HANDLE ctx)
{
	(void)ctx;
	ke_irql_lower(DISPATCH_LEVEL);
	return TRUE;
}

static void sync_lowering(void *arg)
{
	NdisMSynchronizeWithInterruptEx(((struct tdrv *)arg)->intr, 0, lowering_routine, NULL);
}

Test(ndis_sync, S1_routine_returning_at_another_irql_bugchecks_0xC8,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, 0x7, DISPATCH_LEVEL, LINE_IRQL,
			(uintptr_t)lowering_routine, 0);
	on_vcpu(&env, 1, sync_lowering, &t);
	cr_assert_fail("a routine that lowered the IRQL did not bug check");
}

static void sync_null(void *arg)
{
	NdisMSynchronizeWithInterruptEx(((struct tdrv *)arg)->intr, 0, NULL, NULL);
}

Test(ndis_sync, S1_null_routine_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = env_1cpu)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x9,
			NDISRT_VIOLATION_NULL_ROUTINE, 0, 0, NDISRT_DDI_SYNCHRONIZE);
	on_vcpu(&e, 0, sync_null, &t);
	cr_assert_fail("a NULL routine did not bug check");
}

/* ----------------------------------------------------------------- O-5 */

static void sync_bad_message(void *arg)
{
	NdisMSynchronizeWithInterruptEx(((struct tdrv *)arg)->intr, 2, nop_routine, NULL);
}

Test(ndis_sync, O5_sync_with_out_of_range_message_id_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_msi_adapter(&env, &t, 2, NULL, NULL);
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_BAD_MESSAGE_ID, 2, 2, NDISRT_DDI_SYNCHRONIZE);
	on_vcpu(&env, 1, sync_bad_message, &t);
	cr_assert_fail("MessageId == MessageCount did not bug check");
}

/* ------------------------------------------------------------------ S2 */

static void sync_after_deregister(struct tdrv *t)
{
	NdisMSynchronizeWithInterruptEx(t->intr, 0, nop_routine, NULL);
}

Test(ndis_sync, S2_sync_after_deregistration_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_2cpu)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	tdrv_start(&t, 0);
	t.after_dereg = sync_after_deregister;
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_STALE_HANDLE, (uintptr_t)t.intr, 2,
			NDISRT_DDI_SYNCHRONIZE);
	tdrv_stop(&t, 1);
	cr_assert_fail("synchronizing after deregistration did not bug check");
}

/* A handle stays stale even when its slot is reused by a new registration. */
static struct {
	NDIS_HANDLE old;
} s2;

static void sync_with_old_handle(void *arg)
{
	(void)arg;
	NdisMSynchronizeWithInterruptEx(s2.old, 0, nop_routine, NULL);
}

Test(ndis_sync, S2_old_handle_stays_stale_after_reregistration,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	s2.old = t.intr;
	tdrv_stop(&t, 0);
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_STALE_HANDLE, (uintptr_t)s2.old, 2,
			NDISRT_DDI_SYNCHRONIZE);
	on_vcpu(&env, 1, sync_with_old_handle, NULL);
	cr_assert_fail("an old handle worked after re-registration");
}

static void queue_after_deregister(struct tdrv *t)
{
	GROUP_AFFINITY ga = {.Mask = 1};

	NdisMQueueDpcEx(t->intr, 0, &ga, NULL);
}

Test(ndis_sync, S2_queue_dpc_after_deregistration_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_2cpu)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	tdrv_start(&t, 0);
	t.after_dereg = queue_after_deregister;
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_STALE_HANDLE, (uintptr_t)t.intr, 2,
			NDISRT_DDI_QUEUE_DPC_EX);
	tdrv_stop(&t, 1);
	cr_assert_fail("queueing a DPC after deregistration did not bug check");
}

/* ------------------------------------------------------------------ S4 */

static NDIS_SPIN_LOCK s4_lock;

static void deregister_holding_a_spin_lock(struct tdrv *t)
{
	NdisAllocateSpinLock(&s4_lock);
	NdisAcquireSpinLock(&s4_lock);
	/* A PASSIVE_LEVEL DDI under a spin lock: the lock has the IRQL at DISPATCH. */
	NdisMDeregisterInterruptEx(t->intr);
}

Test(ndis_sync, S4_passive_level_call_while_holding_a_spin_lock_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 1);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	t.in_halt = deregister_holding_a_spin_lock;
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF, NDISRT_VIOLATION_IRQL,
			DISPATCH_LEVEL, NDISRT_IRQL_RANGE(0, 0), NDISRT_DDI_DEREGISTER_INTERRUPT);
	tdrv_stop(&t, 0);
	cr_assert_fail("NdisMDeregisterInterruptEx under a spin lock did not bug check");
}

static BOOLEAN s4_sync_takes_the_lock_again(NDIS_HANDLE ctx)
{
	(void)ctx;
	/* Above DISPATCH_LEVEL: an NDIS spin lock cannot be taken here at all. */
	NdisDprAcquireSpinLock(&s4_lock);
	return TRUE;
}

static void sync_holding_a_spin_lock(void *arg)
{
	struct tdrv *t = arg;

	NdisAllocateSpinLock(&s4_lock);
	NdisAcquireSpinLock(&s4_lock);
	/* Allowed: synchronizing while holding a spin lock (DISPATCH <= DIRQL)... */
	cr_assert(NdisMSynchronizeWithInterruptEx(t->intr, 0, nop_routine, NULL));
	/* ...but not taking a spin lock again inside the routine. */
	NdisMSynchronizeWithInterruptEx(t->intr, 0, s4_sync_takes_the_lock_again, NULL);
}

Test(ndis_sync, S4_spin_lock_taken_again_under_the_interrupt_lock_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_IRQL_NOT_DISPATCH_LEVEL, 0x0, 0, 0, 0, 0);
	on_vcpu(&env, 0, sync_holding_a_spin_lock, &t);
	cr_assert_fail("a spin lock taken at DIRQL did not bug check");
}

static void acquire_twice(void *arg)
{
	(void)arg;
	NdisAllocateSpinLock(&s4_lock);
	NdisAcquireSpinLock(&s4_lock);
	NdisDprAcquireSpinLock(&s4_lock);
}

Test(ndis_sync, S4_nested_acquire_of_the_same_lock_is_0xC4_0x1000,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;

	tenv_init(&env, 1);
	/* Driver Verifier's self-deadlock; parameter 3: the holder took it with NdisAcquireSpinLock. */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x7,
			NDISRT_VIOLATION_SPIN_RECURSION, (uintptr_t)&s4_lock, 1, 0);
	on_vcpu(&env, 0, acquire_twice, NULL);
	cr_assert_fail("acquiring a held spin lock again did not bug check");
}
