/* SPDX-License-Identifier: MIT */
/*
 * ndis/sync.c - NdisMSynchronizeWithInterruptEx and the diagnostic
 * enable/disable calls.
 *
 * Both run a routine at the interrupt's sync IRQL holding the lock its ISR
 * runs under - the ke object's own lock, or for MsiSyncWithAllMessages the
 * lock all messages share, taken at UnifiedIrql (spec S1, O-5).
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"
#include "hw/device.h"
#include "verifier/vfy.h"

#include <errno.h>

/* S1: MessageId is ignored for a line; O-5: out of range is a driver bug. */
static struct ndis_message *sync_message(struct ndis_interrupt *ni, ULONG MessageId)
{
	if (!ni->message_based)
		return &ni->msgs[0];
	if (MessageId >= ni->nr_messages)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_MESSAGE_ID, MessageId, ni->nr_messages,
		    NDISRT_DDI_SYNCHRONIZE,
		    "NdisMSynchronizeWithInterruptEx: MessageId is not an index of the "
		    "interrupt's MessageInfoTable");
	return &ni->msgs[MessageId];
}

/* Does the device have an enabled cause unmasked? (I8; hw/device.h "irq_unmasked") */
static bool device_unmasked(struct hw_device *dev)
{
	return hw_device_stat(dev, "irq_unmasked", NULL) != 0;
}

/*
 * I8 (the last DPC of the batch re-enables): the routine, run for a DPC of
 * @ni on this vCPU, unmasked the device while other DPCs of @ni are queued
 * and have not begun - they belong to the batch it re-enabled under. Checked
 * under the interrupt lock, so no ISR can start a new batch in between.
 * Context: the sync IRQL, holding the interrupt lock.
 */
static BOOLEAN sync_checking_i8(struct ndis_interrupt *ni,
				MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER fn, PVOID ctx, void *caller)
{
	unsigned v = ndis_current_vcpu();
	bool in_dpc = v < ni->nr_vcpus &&
		      atomic_load_explicit(&ndis_dpc_of(ni, 0, v)->running, memory_order_relaxed);
	bool before = in_dpc && device_unmasked(ni->i8_dev);
	BOOLEAN result = fn(ctx);
	unsigned queued;

	if (!in_dpc || before || !device_unmasked(ni->i8_dev))
		return result;
	queued = atomic_load_explicit(&ni->queued_dpcs, memory_order_relaxed);
	if (queued) {
		void *frames[1] = {caller};

		vfy_report(
		    NDISRT_VIOLATION_EARLY_REENABLE,
		    (uintptr_t)(ni->message_based ? (const void *)ni->msg_dpc
						  : (const void *)ni->line_dpc),
		    queued, v,
		    "a DPC of an interrupt DPC batch re-enabled its device while other DPCs "
		    "of the batch were still queued (parameter 2 = the DPC handler, 3 = DPCs "
		    "still queued, 4 = the vCPU of the DPC that re-enabled): only the last "
		    "DPC of the batch may (rule I8)",
		    frames, 1);
	}
	return result;
}

/**
 * NdisMSynchronizeWithInterruptEx() - Run @SynchronizeFunction at DIRQL
 * holding the lock the interrupt's ISR holds.
 * @NdisInterruptHandle: from NdisMRegisterInterruptEx.
 * @MessageId: the message to synchronize with (ignored for a line).
 * @SynchronizeFunction: MiniportSynchronize[Message]Interrupt.
 * @SynchronizeContext: passed to it unchanged.
 *
 * This is KeSynchronizeExecution (ke_synchronize_execution()) done inline:
 * the IRQL goes up once, from the caller's level (or DISPATCH_LEVEL, where
 * the handle lookup runs) to the sync IRQL, and down once.
 *
 * Context: IRQL <= the interrupt's (or the message's, or UnifiedIrql's)
 * DIRQL, on a vCPU (bug check 0xC4 IRQL otherwise); the handle must not be
 * deregistered (0xC4 STALE_HANDLE, spec S2). The routine must return at the
 * IRQL it was called at (0xC8 otherwise).
 * Return: the routine's BOOLEAN, unchanged.
 * Spec: S1, S2, I1.
 */
BOOLEAN NdisMSynchronizeWithInterruptEx(NDIS_HANDLE NdisInterruptHandle, ULONG MessageId,
					MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER SynchronizeFunction,
					PVOID SynchronizeContext)
{
	struct ke_irql_state *st = ke_tls_irql; /* this vCPU's IRQL; NULL on a host thread */
	struct ndis_interrupt *ni;
	struct ndis_message *msg;
	struct ke_interrupt *ki;
	ke_irql_t cur, after;
	BOOLEAN result;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDISRT_DDI_SYNCHRONIZE);
	cur = atomic_load_explicit(&st->irql, memory_order_relaxed);
	if (cur < KE_DISPATCH_LEVEL)
		ke_irql_raise(KE_DISPATCH_LEVEL);
	ni = ndis_interrupt_lookup(NdisInterruptHandle, NDISRT_DDI_SYNCHRONIZE);
	msg = sync_message(ni, MessageId);
	ki = &msg->ki;
	if (__builtin_expect(cur > ki->sync_irql, 0))
		ndisrt_violation(
		    NDISRT_VIOLATION_IRQL, cur, NDISRT_IRQL_RANGE(0, ki->sync_irql),
		    NDISRT_DDI_SYNCHRONIZE,
		    "NdisMSynchronizeWithInterruptEx called above the interrupt's DIRQL");
	if (__builtin_expect(!SynchronizeFunction, 0))
		ndisrt_violation(
		    NDISRT_VIOLATION_NULL_ROUTINE, (uintptr_t)NdisInterruptHandle, MessageId,
		    NDISRT_DDI_SYNCHRONIZE,
		    "NdisMSynchronizeWithInterruptEx called with SynchronizeFunction = "
		    "NULL");
	ke_irql_raise(ki->sync_irql);
	/*
	 * Exact without an atomic add: nothing at or below the sync IRQL can
	 * run on this vCPU now, and nothing above may call us (see above).
	 */
	ndis_count_local(&msg->ctr[ndis_current_vcpu()].syncs);
	vfy_lock_acquired(ki->lock, "interrupt lock", ki->sync_irql, __builtin_return_address(0));
	ke_spin_acquire_raw(ki->lock);
	ke_sync_routine_enter(ki); /* the hooks' sync_enter/exit (tracer) */
	if (__builtin_expect(ni->i8_dev != NULL && vfy_active, 0))
		result = sync_checking_i8(ni, SynchronizeFunction, SynchronizeContext,
					  __builtin_return_address(0));
	else
		result = SynchronizeFunction(SynchronizeContext);
	ke_sync_routine_exit(ki);
	vfy_lock_releasing(ki->lock);
	ke_spin_release_raw(ki->lock);
	after = atomic_load_explicit(&st->irql, memory_order_relaxed);
	if (__builtin_expect(after != ki->sync_irql, 0))
		ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, after, ki->sync_irql,
			    (uintptr_t)SynchronizeFunction, 0,
			    "a MiniportSynchronizeInterrupt routine returned at an IRQL other than "
			    "the one it was called at");
	ke_irql_lower(cur);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return result;
}

/* ---------------------------------------------------- diagnostics (I10) */

struct diag_call {
	struct ndisrt_adapter *a;
	struct ndis_interrupt *ni;
	unsigned msg;
	bool enable;
	int rc;
};

static bool diag_routine(void *arg)
{
	struct diag_call *c = arg;
	struct ndis_interrupt *ni = c->ni;

	if (ni->message_based && c->enable)
		ni->msg_enable(ni->context, c->msg);
	else if (ni->message_based)
		ni->msg_disable(ni->context, c->msg);
	else if (c->enable)
		ni->line_enable(ni->context);
	else
		ni->line_disable(ni->context);
	return true;
}

/* Context: a vCPU at IRQL <= the interrupt's DIRQL. */
static void diag_on_vcpu(void *arg)
{
	struct diag_call *c = arg;
	ke_irql_t old = ndis_enter_dispatch();
	struct ndis_interrupt *ni = atomic_load(&c->a->interrupt);
	struct ke_interrupt *ki;

	if (!ni || atomic_load(&ni->state) != NDIS_INTR_LIVE) {
		c->rc = -ENOENT;
	} else if (c->msg >= ni->nr_messages) {
		c->rc = -EINVAL;
	} else {
		ki = &ni->msgs[c->msg].ki;
		c->ni = ni;
		if (old > ki->sync_irql) {
			c->rc = -EINVAL;
		} else {
			ke_synchronize_execution(ki, diag_routine, c);
			c->rc = 0;
		}
	}
	ndis_leave_dispatch(old);
}

static int diag(struct ndisrt_adapter *a, unsigned msg, bool enable)
{
	struct diag_call c = {.a = a, .msg = msg, .enable = enable};

	if (ke_current())
		diag_on_vcpu(&c);
	else
		ke_vcpu_call(ke_machine_vcpu(a->m, 0), diag_on_vcpu, &c);
	return c.rc;
}

int ndisrt_adapter_disable_interrupt(struct ndisrt_adapter *a, unsigned msg)
{
	return diag(a, msg, false);
}

int ndisrt_adapter_enable_interrupt(struct ndisrt_adapter *a, unsigned msg)
{
	return diag(a, msg, true);
}
