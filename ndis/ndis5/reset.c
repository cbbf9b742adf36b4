/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/reset.c - MiniportCheckForHang and MiniportReset driven by
 * the host, and NdisMResetComplete (docs/ndis5.md).
 *
 * As Windows does, NDIS calls an NDIS 5 miniport's MiniportCheckForHang
 * every CheckForHangTimeInSeconds (NdisMSetAttributesEx; 0 means the
 * default, 2 seconds) from the time MiniportInitialize succeeded until
 * MiniportHalt; a TRUE return makes NDIS call MiniportReset. Both run at
 * DISPATCH_LEVEL, on the adapter's lifecycle vCPU, holding the miniport
 * lock for a serialized miniport. No check runs while a reset is in
 * progress. A reset that returned NDIS_STATUS_PENDING is completed by
 * NdisMResetComplete (IRQL <= DISPATCH_LEVEL); NdisMResetComplete with no
 * reset pending is bug check 0xC4 UNEXPECTED_COMPLETE.
 *
 * The timer is a ke host timer on the engine clock that queues hang_dpc on
 * the lifecycle vCPU; the DPC re-arms it from the previous deadline (no
 * drift). hang_in_flight counts the DPC from queueing to its end, so the
 * halt path can stop the timer and wait until no check or reset runs.
 *
 * Not done: NDIS also resets a miniport whose sends or requests time out
 * (unless NDIS_ATTRIBUTE_IGNORE_*_TIMEOUT); ndisrt does not, and an
 * AddressingReset TRUE does not make ndisrt set the packet filter and
 * multicast list again (the reset is counted).
 */
#include "ndis/host_internal.h"
#include "ndis/ndis5/internal.h"
#include "ndisrt/phase.h"

#include <sched.h>

#define HANG_DEFAULT_S 2u
#define RESET_WAIT_NS (30ull * 1000000000ull)

static void hang_expired(struct ke_host_timer *ht, void *ctx);
static void hang_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2);

void ndis5_hang_init(struct ndisrt_ndis5_nic *n)
{
	ke_host_timer_init(&n->hang_timer, hang_expired, n);
	ke_dpc_init(&n->hang_dpc, hang_dpc, n);
	ke_dpc_set_target(&n->hang_dpc, (int)n->vcpu);
}

/* A reset finished with @status: count it. Any context. */
static void reset_done(struct ndisrt_ndis5_nic *n, NDIS_STATUS status, BOOLEAN addressing)
{
	atomic_store(&n->last_reset_status, status);
	ndis5_count(&n->c.reset_completes);
	if (addressing)
		ndis5_count(&n->c.addressing_resets);
}

/*
 * MiniportReset at DISPATCH_LEVEL on this vCPU, the miniport lock held by
 * the caller for a serialized miniport. Return: its status.
 */
static NDIS_STATUS call_reset(struct ndisrt_ndis5_nic *n)
{
	W_RESET_HANDLER reset = n->drv->chars.ResetHandler;
	BOOLEAN addressing = FALSE;
	unsigned held = ndis_spin_held();
	NDIS_STATUS st;

	/* Armed before the call: the miniport may complete inside its handler. */
	atomic_store(&n->reset_pending, 1);
	ndis5_count(&n->c.resets);
	st = reset(&addressing, atomic_load(&n->context));
	ndis5_check_irql_after(KE_DISPATCH_LEVEL, (uintptr_t)reset,
			       "MiniportReset returned at an IRQL other than DISPATCH_LEVEL");
	ndis_check_spin_balance(held, (uintptr_t)reset);
	if (st != NDIS_STATUS_PENDING && atomic_exchange(&n->reset_pending, 0))
		reset_done(n, st, addressing);
	return st;
}

/* DISPATCH_LEVEL on the lifecycle vCPU. */
static void hang_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	struct ndisrt_ndis5_nic *n = ctx;
	W_CHECK_FOR_HANG_HANDLER check = n->drv->chars.CheckForHangHandler;
	bool serialized = !atomic_load(&n->deserialized);

	(void)kd, (void)arg1, (void)arg2;
	if (atomic_load(&n->hang_live) && !atomic_load(&n->reset_pending)) {
		unsigned held;
		BOOLEAN hung;

		if (serialized)
			ke_spin_acquire_at_dpc(&n->lock);
		held = ndis_spin_held();
		ndis5_count(&n->c.hang_checks);
		hung = check(atomic_load(&n->context));
		ndis5_check_irql_after(KE_DISPATCH_LEVEL, (uintptr_t)check,
				       "MiniportCheckForHang returned at an IRQL other than "
				       "DISPATCH_LEVEL");
		ndis_check_spin_balance(held, (uintptr_t)check);
		if (hung) {
			ndis5_count(&n->c.hangs);
			call_reset(n);
		}
		if (serialized)
			ke_spin_release_at_dpc(&n->lock);
	}
	if (atomic_load(&n->hang_live)) {
		n->hang_deadline_ns += n->hang_period_ns;
		ke_host_timer_arm(n->m, &n->hang_timer, n->hang_deadline_ns);
	}
	atomic_fetch_sub(&n->hang_in_flight, 1);
}

/* The machine's timer thread. */
static void hang_expired(struct ke_host_timer *ht, void *ctx)
{
	struct ndisrt_ndis5_nic *n = ctx;

	(void)ht;
	if (!atomic_load(&n->hang_live))
		return;
	atomic_fetch_add(&n->hang_in_flight, 1);
	if (!atomic_load(&n->hang_live) || !ke_dpc_queue(n->m, &n->hang_dpc, NULL, NULL))
		atomic_fetch_sub(&n->hang_in_flight, 1);
}

/* After a successful MiniportInitialize (the lifecycle vCPU). */
void ndis5_hang_start(struct ndisrt_ndis5_nic *n)
{
	unsigned s = n->check_for_hang ? n->check_for_hang : HANG_DEFAULT_S;

	if (!n->drv->chars.CheckForHangHandler)
		return;
	n->hang_period_ns = (uint64_t)s * 1000000000ull;
	n->hang_deadline_ns = ke_clock_ns(n->m) + n->hang_period_ns;
	atomic_store(&n->hang_live, true);
	ke_host_timer_arm(n->m, &n->hang_timer, n->hang_deadline_ns);
}

/* Wait (host thread) until no reset is pending, on the engine clock; else bug check 0xC4. */
static void wait_reset(struct ndisrt_ndis5_nic *n)
{
	uint64_t deadline = ke_clock_ns(n->m) + RESET_WAIT_NS;

	while (atomic_load(&n->reset_pending)) {
		if (ke_clock_ns(n->m) > deadline)
			ndisrt_violation(NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle,
					 0, NDISRT_NDIS5_DDI_RESET,
					 "MiniportReset returned NDIS_STATUS_PENDING and "
					 "NdisMResetComplete was not called within 30 s");
		ke_yield();
	}
}

void ndis5_hang_stop(struct ndisrt_ndis5_nic *n)
{
	atomic_store(&n->hang_live, false);
	ke_host_timer_cancel(n->m, &n->hang_timer);
	if (ke_dpc_remove(n->m, &n->hang_dpc))
		atomic_fetch_sub(&n->hang_in_flight, 1);
	while (atomic_load(&n->hang_in_flight))
		ke_yield();
	/* A DPC that saw the timer live before the store above may have re-armed it. */
	ke_host_timer_cancel(n->m, &n->hang_timer);
	wait_reset(n);
}

struct reset_call {
	struct ndisrt_ndis5_nic *n;
	NDIS_STATUS status;
};

/* On the lifecycle vCPU at PASSIVE_LEVEL. */
static void run_reset(void *arg)
{
	struct reset_call *r = arg;
	struct ndisrt_ndis5_nic *n = r->n;
	bool serialized = !atomic_load(&n->deserialized);
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	if (serialized)
		ke_spin_acquire_at_dpc(&n->lock);
	r->status = call_reset(n);
	if (serialized)
		ke_spin_release_at_dpc(&n->lock);
	ke_irql_lower(old);
}

uint32_t ndisrt_ndis5_nic_reset(struct ndisrt_ndis5_nic *n)
{
	struct reset_call r = {.n = n};

	/* One reset at a time: wait for one check-for-hang started. */
	wait_reset(n);
	host_phase_next(NDISRT_PHASE_OTHER, 0);
	ke_vcpu_call(ke_machine_vcpu(n->m, n->vcpu), run_reset, &r);
	if (r.status == NDIS_STATUS_PENDING) {
		wait_reset(n);
		r.status = atomic_load(&n->last_reset_status);
	}
	return (uint32_t)r.status;
}

/**
 * NdisMResetComplete() - A reset MiniportReset returned NDIS_STATUS_PENDING
 * for is done. @AddressingReset: TRUE if NDIS must restore the addressing
 * information (packet filter, multicast list).
 * Context: IRQL <= DISPATCH_LEVEL (0xC4 IRQL otherwise). With no reset
 * pending: 0xC4 UNEXPECTED_COMPLETE.
 */
VOID NdisMResetComplete(NDIS_HANDLE MiniportAdapterHandle, NDIS_STATUS Status,
			BOOLEAN AddressingReset)
{
	struct ndisrt_ndis5_nic *n;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_RESET, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_RESET);
	if (!atomic_load(&n->reset_pending))
		ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE,
				 (uintptr_t)MiniportAdapterHandle, (uint32_t)Status,
				 NDISRT_NDIS5_DDI_RESET,
				 "NdisMResetComplete without a reset in progress (MiniportReset "
				 "returned a final status, or the reset was completed already)");
	reset_done(n, Status, AddressingReset);
	atomic_store(&n->reset_pending, 0);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
