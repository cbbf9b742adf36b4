/* SPDX-License-Identifier: MIT */
/*
 * ndis/dpc.c - interrupt DPCs: NdisMQueueDpc, NdisMQueueDpcEx, the DPC
 * trampoline and receive-side throttling.
 *
 * One ke DPC per (message, vCPU) pair, preallocated at registration (spec
 * I5): requesting a pair that is already queued changes nothing - it keeps
 * the context it was queued with (O-1) and is left out of the returned
 * mask - and the ISR's requests and NdisMQueueDpc[Ex]'s use the same
 * objects (O-3). The MiniportDpcContext travels as the ke DPC's arg1.
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"
#include "ndis/routine.h"
#include "verifier/irq_disabled.h"
#include "verifier/race.h"

/*
 * Context: DISPATCH_LEVEL on the pair's vCPU (ke drains it there).
 * Spec: I4, I6, I9.
 */
void ndis_dpc_routine(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	struct ndis_dpc *d = ctx;
	struct ndis_interrupt *ni = d->intr;
	NDIS_RECEIVE_THROTTLE_PARAMETERS tp;
	struct ndis_routine r;
	ke_irql_t after;

	(void)arg2;
	tp.MaxNblsToIndicate = atomic_load_explicit(&ni->adapter->max_nbls, memory_order_relaxed);
	tp.MoreNblsPending = 0;
	ndis_count_local(&d->ctr->dpcs);
	if (ni->adapter->host)
		ni->adapter->host->dpc_begin(ni->adapter, tp.MaxNblsToIndicate);
	atomic_fetch_sub_explicit(&ni->queued_dpcs, 1, memory_order_relaxed);
	atomic_store_explicit(&d->running, true, memory_order_relaxed);
	ndis_routine_enter(
	    &r, ni->message_based ? "MiniportMessageInterruptDPC" : "MiniportInterruptDPC",
	    ni->message_based ? (const void *)ni->msg_dpc : (const void *)ni->line_dpc);
	if (ni->message_based)
		ni->msg_dpc(ni->context, d->msg, arg1, &tp, NULL);
	else
		ni->line_dpc(ni->context, arg1, &tp, NULL);
	atomic_store_explicit(&d->running, false, memory_order_relaxed);
	if (ni->adapter->host)
		ni->adapter->host->dpc_end(ni->adapter, tp.MoreNblsPending != 0);
	if (ni->irqoff)
		vfy_irqoff_dpc_done(ni->irqoff, ke_current_number(), d->msg);
	/* K3: a DPC returning with a lock is blamed now, not on the next routine. */
	if (__builtin_expect(ndis_spin_held() != r.held, 0))
		ndis_routine_exit_slow(&r, ndis_spin_held(), ke_irql_current());
	after = ke_irql_current();
	if (after != KE_DISPATCH_LEVEL)
		ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, after, KE_DISPATCH_LEVEL,
			    ni->message_based ? (uintptr_t)ni->msg_dpc : (uintptr_t)ni->line_dpc,
			    (uintptr_t)kd,
			    "the miniport's interrupt DPC returned at an IRQL other than "
			    "DISPATCH_LEVEL");
	/*
	 * I9, O-7: more to indicate - run the same pair again later, on the
	 * same vCPU with the same context, behind what is queued there now.
	 * Allowed during deregistration, which waits for the batch to end.
	 * If the pair was queued again meanwhile, that run serves as the re-run.
	 */
	if (tp.MoreNblsPending) {
		atomic_fetch_add_explicit(&ni->active_dpcs, 1, memory_order_seq_cst);
		vfy_race_release(kd);
		atomic_fetch_add_explicit(&ni->queued_dpcs, 1, memory_order_relaxed);
		if (ke_dpc_queue(ni->m, kd, arg1, NULL)) {
			ndis_count_local(&d->ctr->dpc_reruns);
		} else {
			atomic_fetch_sub_explicit(&ni->queued_dpcs, 1, memory_order_relaxed);
			atomic_fetch_sub_explicit(&ni->active_dpcs, 1, memory_order_release);
		}
	}
	/* Last touch of @ni by this run (see interrupt_teardown()). */
	atomic_fetch_sub_explicit(&ni->active_dpcs, 1, memory_order_release);
}

void ndis_dpc_init_all(struct ndis_interrupt *ni)
{
	for (ULONG msg = 0; msg < ni->nr_messages; msg++) {
		for (unsigned v = 0; v < ni->nr_vcpus; v++) {
			struct ndis_dpc *d = ndis_dpc_of(ni, msg, v);

			ke_dpc_init(&d->kd, ndis_dpc_routine, d);
			ke_dpc_set_target(&d->kd, (int)v);
			d->intr = ni;
			d->msg = msg;
			d->ctr = ndis_counters_of(ni->adapter, msg, v);
		}
	}
}

bool ndis_dpc_request(struct ndis_interrupt *ni, ULONG msg, unsigned vcpu, PVOID ctx)
{
	struct ndis_dpc *d = ndis_dpc_of(ni, msg, vcpu);

	atomic_fetch_add_explicit(&d->ctr->dpc_requests, 1, memory_order_relaxed);
	/* Count first, then look at the state: pairs with deregistration,
	 * which sets the state, then waits for the count (both seq_cst). */
	atomic_fetch_add_explicit(&ni->active_dpcs, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&ni->state, memory_order_seq_cst) != NDIS_INTR_LIVE) {
		atomic_fetch_add_explicit(&d->ctr->dpc_refused, 1, memory_order_relaxed);
		atomic_fetch_sub_explicit(&ni->active_dpcs, 1, memory_order_release);
		return false;
	}
	/* The requester's work happens before the DPC's (race detector). */
	vfy_race_release(&d->kd);
	atomic_fetch_add_explicit(&ni->queued_dpcs, 1, memory_order_relaxed);
	if (!ke_dpc_queue(ni->m, &d->kd, ctx, NULL)) {
		atomic_fetch_sub_explicit(&ni->queued_dpcs, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&d->ctr->dpc_already_queued, 1, memory_order_relaxed);
		atomic_fetch_sub_explicit(&ni->active_dpcs, 1, memory_order_release);
		return false;
	}
	return true;
}

uint64_t ndis_dpc_request_mask(struct ndis_interrupt *ni, ULONG msg, uint64_t mask, PVOID ctx)
{
	uint64_t done = 0;

	while (mask) {
		unsigned cpu = (unsigned)__builtin_ctzll(mask);

		mask &= mask - 1;
		if (ndis_dpc_request(ni, msg, cpu, ctx))
			done |= 1ull << cpu;
	}
	return done;
}

/* O-4: a message id beyond the table is a driver bug; a line ignores it (§9.1). */
static ULONG dpc_message(struct ndis_interrupt *ni, ULONG MessageId, unsigned ddi)
{
	if (!ni->message_based)
		return 0;
	if (MessageId >= ni->nr_messages)
		ndisrt_violation(NDISRT_VIOLATION_BAD_MESSAGE_ID, MessageId, ni->nr_messages, ddi,
				 "MessageId is not an index of the interrupt's MessageInfoTable");
	return MessageId;
}

/* O-4: only group 0 exists (at most 64 vCPUs); every bit must name a vCPU. */
static void check_processors(struct ndis_interrupt *ni, unsigned group, uint64_t mask)
{
	uint64_t all = ni->nr_vcpus >= 64 ? ~0ull : (1ull << ni->nr_vcpus) - 1;

	if (group != 0 || (mask & ~all))
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PROCESSOR, group, mask, all,
		    "DPC requested for a processor group or processor that does not "
		    "exist (parameter 2 = group, 3 = mask, 4 = the processors of group 0)");
}

/**
 * NdisMQueueDpc() - Queue the interrupt DPC on processors of group 0 (NDIS 6.0/6.1).
 * @NdisInterruptHandle: from NdisMRegisterInterruptEx.
 * @MessageId: the message (ignored for a line interrupt).
 * @TargetProcessors: bit i = processor i.
 * @MiniportDpcContext: given to the DPC (may be NULL).
 *
 * Context: any IRQL, on a vCPU. Bug check 0xC4 for a bad or deregistered
 * handle, a MessageId out of range, a processor that does not exist.
 * Return: the processors queued now; a pair already queued is left out,
 * and after deregistration began nothing is queued (0).
 * Spec: I4, I5, I7.
 */
ULONG NdisMQueueDpc(NDIS_HANDLE NdisInterruptHandle, ULONG MessageId, ULONG TargetProcessors,
		    PVOID MiniportDpcContext)
{
	struct ndis_interrupt *ni;
	ke_irql_t old;
	ULONG done;
	ULONG msg;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDISRT_DDI_QUEUE_DPC);
	old = ndis_enter_dispatch();
	ni = ndis_interrupt_lookup(NdisInterruptHandle, NDISRT_DDI_QUEUE_DPC);
	msg = dpc_message(ni, MessageId, NDISRT_DDI_QUEUE_DPC);
	check_processors(ni, 0, TargetProcessors);
	done = (ULONG)ndis_dpc_request_mask(ni, msg, TargetProcessors, MiniportDpcContext);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return done;
}

/**
 * NdisMQueueDpcEx() - Queue the interrupt DPC on processors of a group (NDIS 6.20+).
 * @NdisInterruptHandle: from NdisMRegisterInterruptEx.
 * @MessageId: the message (ignored for a line interrupt).
 * @TargetProcessors: group and mask; only group 0 exists here.
 * @MiniportDpcContext: given to the DPC (may be NULL, §24 C-6).
 *
 * Context: any IRQL, on a vCPU. Bug checks as NdisMQueueDpc(), and for a
 * NULL @TargetProcessors or a group other than 0.
 * Return: the processors of the group queued now (see NdisMQueueDpc()).
 * Spec: I4, I5, I7.
 */
KAFFINITY NdisMQueueDpcEx(NDIS_HANDLE NdisInterruptHandle, ULONG MessageId,
			  PGROUP_AFFINITY TargetProcessors, PVOID MiniportDpcContext)
{
	struct ndis_interrupt *ni;
	KAFFINITY done;
	ke_irql_t old;
	ULONG msg;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDISRT_DDI_QUEUE_DPC_EX);
	old = ndis_enter_dispatch();
	ni = ndis_interrupt_lookup(NdisInterruptHandle, NDISRT_DDI_QUEUE_DPC_EX);
	msg = dpc_message(ni, MessageId, NDISRT_DDI_QUEUE_DPC_EX);
	if (!TargetProcessors)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PROCESSOR, 0xFFFF, 0, 0,
				 "NdisMQueueDpcEx called with TargetProcessors = NULL");
	check_processors(ni, TargetProcessors->Group, TargetProcessors->Mask);
	done =
	    (KAFFINITY)ndis_dpc_request_mask(ni, msg, TargetProcessors->Mask, MiniportDpcContext);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return done;
}
