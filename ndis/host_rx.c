/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_rx.c - NDIS 6 receive: NdisMIndicateReceiveNetBufferLists, the
 * return of indicated NBLs, and the receive-throttle tally of interrupt
 * DPCs (host_rx_dpc_begin/end, called through host_ndis6_ops).
 *
 * Receive (spec §18, V1, V2, D4): NdisMIndicateReceiveNetBufferLists runs
 * its checks, hands every frame to the NIC's rx sink on the indicating vCPU
 * and then either leaves the NBLs with the miniport
 * (NDIS_RECEIVE_FLAGS_RESOURCES) or keeps them: they go on that vCPU's
 * return queue, whose DPC gives them back through
 * MiniportReturnNetBufferLists once the indicating code has returned (as a
 * protocol returning NBLs from its own DPC would). Each NBL NDIS holds
 * carries HOST_NBL_WITH_NDIS in NdisReserved[0] (NDIS's slot): indicating
 * it again or freeing it before it comes back is a bug check.
 *
 * Everything per vCPU (return queue, tally, copy buffer) is touched only by
 * that vCPU at DISPATCH_LEVEL, so it needs no lock.
 */
#include "ndis/host_internal.h"
#include "ndis/routine.h"
#include "verifier/race.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ receive tally */

void host_rx_dpc_begin(struct ndisrt_adapter *a, uint32_t max)
{
	struct ndisrt_nic *n = host_nic_of_adapter(a);
	struct host_tally *t;

	if (!n)
		return;
	t = &n->tally[ke_current_number()];
	t->active = true;
	t->max = max;
	t->count = 0;
}

void host_rx_dpc_end(struct ndisrt_adapter *a, bool more_pending)
{
	struct ndisrt_nic *n = host_nic_of_adapter(a);
	struct host_tally *t;

	if (!n)
		return;
	t = &n->tally[ke_current_number()];
	if (t->max != NDISRT_INDICATE_ALL_NBLS && t->count > t->max)
		atomic_fetch_add(&n->throttle_exceeded, 1);
	/* I9 (a warning): "more to indicate", from a call that indicated nothing. */
	if (more_pending && t->count == 0)
		atomic_fetch_add(&n->more_pending_idle, 1);
	t->active = false;
}

static void tally_add(struct ndisrt_nic *n, unsigned cpu, uint32_t count)
{
	struct host_tally *t = &n->tally[cpu];
	unsigned long seen;

	if (!t->active)
		return;
	t->count += count;
	seen = atomic_load_explicit(&n->max_nbls_one_dpc, memory_order_relaxed);
	while (t->count > seen &&
	       !atomic_compare_exchange_weak(&n->max_nbls_one_dpc, &seen, t->count))
		;
}

/* ------------------------------------------------------------- returns */

/*
 * The return DPC of one vCPU: hands back what was indicated there.
 * Context: DISPATCH_LEVEL on that vCPU.
 */
static void return_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	struct host_return_q *q = ctx;
	struct ndisrt_nic *n = q->n;
	PNET_BUFFER_LIST chain = q->head;
	uint32_t count = q->count;
	struct ndis_routine r;

	(void)kd, (void)arg1, (void)arg2;
	if (chain && !atomic_load(&n->hold_returns)) {
		q->head = q->tail = NULL;
		q->count = 0;
		for (PNET_BUFFER_LIST nbl = chain; nbl; nbl = nbl->Next) {
			nbl->NdisReserved[0] = NULL;
			vfy_race_acquire(nbl); /* the indication before the return */
		}
		/* Before the call: the driver may complete a pause inside it. */
		atomic_fetch_sub(&n->outstanding_rx, count);
		atomic_fetch_add(&n->returned, count);
		ndis_routine_enter(&r, "MiniportReturnNetBufferLists",
				   (const void *)n->d->chars.ReturnNetBufferListsHandler);
		n->d->chars.ReturnNetBufferListsHandler(n->context, chain,
							NDIS_RETURN_FLAGS_DISPATCH_LEVEL);
		ndis_routine_exit(&r);
	}
	/* Last touch of @n by this run (wait_returns() waits for it). */
	atomic_fetch_sub_explicit(&n->returns_active, 1, memory_order_release);
}

static void queue_return(struct ndisrt_nic *n, unsigned cpu)
{
	atomic_fetch_add(&n->returns_active, 1);
	if (!ke_dpc_queue(n->h->m, &n->rq[cpu].dpc, NULL, NULL))
		atomic_fetch_sub(&n->returns_active, 1);
}

void host_rx_kick_returns(struct ndisrt_nic *n)
{
	for (unsigned i = 0; i < n->nr_vcpus; i++)
		queue_return(n, i);
}

static void flush_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	struct ndisrt_nic *n = ctx;

	(void)kd, (void)arg1, (void)arg2;
	atomic_fetch_sub_explicit(&n->flush_pending, 1, memory_order_release);
}

int host_rx_init(struct ndisrt_nic *n)
{
	n->rq = host_zalloc(sizeof(*n->rq) * n->nr_vcpus);
	n->tally = host_zalloc(sizeof(*n->tally) * n->nr_vcpus);
	n->scratch = host_zalloc((size_t)HOST_SCRATCH * n->nr_vcpus);
	n->flush = host_zalloc(sizeof(*n->flush) * n->nr_vcpus);
	if (!n->rq || !n->tally || !n->scratch || !n->flush) {
		host_free(n->rq);
		host_free(n->tally);
		host_free(n->scratch);
		host_free(n->flush);
		return -1;
	}
	for (unsigned i = 0; i < n->nr_vcpus; i++) {
		n->rq[i].n = n;
		ke_dpc_init(&n->rq[i].dpc, return_dpc, &n->rq[i]);
		ke_dpc_set_target(&n->rq[i].dpc, (int)i);
	}
	return 0;
}

/*
 * Wait until no DPC of ours can still be running or queued: a low-importance
 * DPC on every vCPU runs after everything queued there before it.
 */
void host_rx_fini(struct ndisrt_nic *n)
{
	uint64_t deadline = ke_clock_ns(n->h->m) + HOST_WAIT_NS;

	atomic_store(&n->flush_pending, n->nr_vcpus);
	for (unsigned i = 0; i < n->nr_vcpus; i++) {
		ke_dpc_init(&n->flush[i], flush_dpc, n);
		ke_dpc_set_target(&n->flush[i], (int)i);
		ke_dpc_set_importance(&n->flush[i], KE_DPC_LOW);
		ndis_assert(ke_dpc_queue(n->h->m, &n->flush[i], NULL, NULL));
	}
	while (atomic_load_explicit(&n->flush_pending, memory_order_acquire)) {
		if (ke_clock_ns(n->h->m) > deadline)
			ndis_assert(!"a vCPU did not run its DPCs within 30 s");
		ke_yield();
	}
	for (unsigned i = 0; i < n->nr_vcpus; i++)
		ndis_assert(!ke_dpc_is_queued(&n->rq[i].dpc));
	host_free(n->rq);
	host_free(n->tally);
	host_free(n->scratch);
	host_free(n->flush);
	n->rq = NULL;
	host_send_pool_fini(n);
}

/* ---------------------------------------------------------- indication */

static _Noreturn void chain_violation(NDIS_HANDLE h, uintptr_t p3, const char *what)
{
	ndisrt_violation(NDISRT_VIOLATION_NBL_CHAIN, (uintptr_t)h, p3, NDISRT_DDI_INDICATE_RECEIVE,
			 what);
}

/* The frame of @nb as one contiguous buffer (copied into @scratch if it spans MDLs). */
static const uint8_t *nb_frame(NDIS_HANDLE h, PNET_BUFFER nb, uint8_t *scratch, size_t *len)
{
	PMDL m = nb->CurrentMdl;
	ULONG off = nb->CurrentMdlOffset, left = nb->DataLength;
	uint8_t *dst = scratch;

	if (!m || left == 0 || left > HOST_SCRATCH)
		chain_violation(h, (uintptr_t)nb,
				"a NET_BUFFER indicated without a CurrentMdl, with DataLength 0 or "
				"longer than any frame (parameter 3: the NET_BUFFER)");
	*len = left;
	if (!host_mdl_is_ours(m))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)m, (uintptr_t)nb,
				 NDISRT_DDI_INDICATE_RECEIVE,
				 "a NET_BUFFER's MDL is not one NdisAllocateMdl made");
	if (off <= m->ByteCount && left <= m->ByteCount - off)
		return (const uint8_t *)m->MappedSystemVa + off;
	for (; left && m; m = m->Next, off = 0) {
		ULONG chunk;

		if (off >= m->ByteCount) {
			off -= m->ByteCount;
			continue;
		}
		chunk = m->ByteCount - off < left ? m->ByteCount - off : left;
		memcpy(dst, (uint8_t *)m->MappedSystemVa + off, chunk);
		dst += chunk;
		left -= chunk;
	}
	if (left)
		chain_violation(h, (uintptr_t)nb,
				"a NET_BUFFER's DataLength runs past the end of its MDL chain "
				"(parameter 3: the NET_BUFFER)");
	return scratch;
}

static bool indication_allowed(enum host_nic_state st)
{
	return st == HOST_NIC_RESTARTING || st == HOST_NIC_RUNNING || st == HOST_NIC_PAUSING;
}

/**
 * NdisMIndicateReceiveNetBufferLists() - Indicate received frames.
 * @MiniportAdapterHandle: the adapter (every NBL's SourceHandle too).
 * @NetBufferLists: a chain of @NumberOfNetBufferLists NBLs.
 * @PortNumber: NDIS_DEFAULT_PORT_NUMBER (no ports are allocated).
 * @ReceiveFlags: NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL only at DISPATCH_LEVEL;
 *	NDIS_RECEIVE_FLAGS_RESOURCES: the NBLs are the miniport's again on return.
 *
 * Every frame goes to the NIC's rx sink, on this vCPU, at DISPATCH_LEVEL,
 * with the NBL's RSS hash value and info. Without _RESOURCES the NBLs are
 * held and handed back later by MiniportReturnNetBufferLists (V2).
 *
 * Context: IRQL <= DISPATCH_LEVEL (0xC4 IRQL). Bug check 0xC4:
 * INDICATE_PAUSED (D4: the adapter is Paused, Initializing or Halting;
 * p3 = its state), NBL_CHAIN (count mismatch, empty chain, bad NB/MDL),
 * SOURCE_HANDLE, NBL_OWNERSHIP (an NBL NDIS already holds), BAD_FLAGS,
 * BAD_PARAMETER (a port other than the default).
 * Spec: §18.1, V1, V2, D4, I9 (the per-DPC tally).
 */
VOID NdisMIndicateReceiveNetBufferLists(NDIS_HANDLE MiniportAdapterHandle,
					PNET_BUFFER_LIST NetBufferLists,
					NDIS_PORT_NUMBER PortNumber, ULONG NumberOfNetBufferLists,
					ULONG ReceiveFlags)
{
	NDIS_HANDLE h = MiniportAdapterHandle;
	struct ndisrt_rx_info info;
	struct ndisrt_nic *n;
	struct host_return_q *q;
	enum host_nic_state st;
	PNET_BUFFER_LIST nbl, last = NULL;
	ndisrt_rx_fn *fn;
	void *fn_ctx;
	ke_irql_t cur, old;
	unsigned cpu, rt;
	ULONG count = 0;
	uint64_t bytes = 0;

	cur = ndis_ddi_enter(NDISRT_DDI_INDICATE_RECEIVE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	/* Runtime code only from here (the protocol's sink; returns go through a
	 * DPC): an interrupt for this vCPU is posted, taken before we go back. */
	rt = ke_runtime_enter();
	n = host_nic_lookup(h, NDISRT_DDI_INDICATE_RECEIVE);
	cpu = ke_current_number();
	if ((ReceiveFlags & NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL) && cur != KE_DISPATCH_LEVEL)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_FLAGS, (uintptr_t)h, cur, NDISRT_DDI_INDICATE_RECEIVE,
		    "NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL set by a caller not at "
		    "DISPATCH_LEVEL (set it only when the IRQL is known to be DISPATCH)");
	st = host_nic_state(n);
	if (!indication_allowed(st))
		ndisrt_violation(
		    NDISRT_VIOLATION_INDICATE_PAUSED, (uintptr_t)h, st, NDISRT_DDI_INDICATE_RECEIVE,
		    "receive indication while the adapter is not Running, Restarting or "
		    "Pausing (a paused miniport must not indicate; parameter 3: the state, "
		    "2 = Paused, 1 = Initializing, 6 = Halting)");
	if (PortNumber != NDIS_DEFAULT_PORT_NUMBER)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)h, PortNumber,
				 NDISRT_DDI_INDICATE_RECEIVE,
				 "receive indication on a port other than NDIS_DEFAULT_PORT_NUMBER "
				 "(no ports are allocated)");
	if (!NetBufferLists || NumberOfNetBufferLists == 0)
		chain_violation(h, NumberOfNetBufferLists,
				"receive indication of no NBLs (NULL chain or "
				"NumberOfNetBufferLists 0)");
	for (nbl = NetBufferLists; nbl; nbl = nbl->Next) {
		if (++count > NumberOfNetBufferLists)
			break;
		if (nbl->SourceHandle != h)
			ndisrt_violation(NDISRT_VIOLATION_SOURCE_HANDLE,
					 (uintptr_t)nbl->SourceHandle, (uintptr_t)h,
					 NDISRT_DDI_INDICATE_RECEIVE,
					 "an indicated NBL's SourceHandle is not the "
					 "MiniportAdapterHandle");
		if (nbl->NdisReserved[0] == HOST_NBL_WITH_NDIS)
			ndisrt_violation(NDISRT_VIOLATION_NBL_OWNERSHIP, (uintptr_t)nbl, 0,
					 NDISRT_DDI_INDICATE_RECEIVE,
					 "an NBL was indicated again before NDIS returned it");
		if (!nbl->FirstNetBuffer)
			chain_violation(h, (uintptr_t)nbl, "an indicated NBL has no NET_BUFFER");
		last = nbl;
	}
	if (count != NumberOfNetBufferLists)
		chain_violation(h, count,
				"NumberOfNetBufferLists is not the length of the NBL chain "
				"(parameter 3: NBLs counted, up to NumberOfNetBufferLists + 1)");

	/*
	 * Counted before the protocol sees a frame, so that whoever counts
	 * frames in its sink finds them already in the NIC's statistics
	 * (indicated, and outstanding until returned).
	 */
	atomic_fetch_add_explicit(&n->indicated, count, memory_order_relaxed);
	atomic_fetch_add_explicit(&n->indications, 1, memory_order_relaxed);
	if (ReceiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES)
		atomic_fetch_add_explicit(&n->resources_flag, count, memory_order_relaxed);
	else
		atomic_fetch_add(&n->outstanding_rx, count);
	fn = atomic_load(&n->rx_fn);
	fn_ctx = atomic_load(&n->rx_ctx);
	info.vcpu = cpu;
	info.receive_flags = ReceiveFlags;
	info.nbls_in_call = count;
	for (nbl = NetBufferLists; nbl; nbl = nbl->Next) {
		vfy_race_release(nbl); /* the driver's work before the return (race detector) */
		info.hash_value = PtrToUlong(NET_BUFFER_LIST_INFO(nbl, NetBufferListHashValue));
		info.hash_info = PtrToUlong(NET_BUFFER_LIST_INFO(nbl, NetBufferListHashInfo));
		for (PNET_BUFFER nb = nbl->FirstNetBuffer; nb; nb = nb->Next) {
			size_t len;
			const uint8_t *frame =
			    nb_frame(h, nb, n->scratch + (size_t)cpu * HOST_SCRATCH, &len);

			bytes += len;
			if (fn)
				fn(fn_ctx, n, &info, frame, len);
		}
	}
	atomic_fetch_add_explicit(&n->rx_bytes, bytes, memory_order_relaxed);
	tally_add(n, cpu, count);
	if (!(ReceiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES)) {
		/* V2: NDIS holds them until MiniportReturnNetBufferLists. */
		for (nbl = NetBufferLists; nbl; nbl = nbl->Next)
			nbl->NdisReserved[0] = HOST_NBL_WITH_NDIS;
		q = &n->rq[cpu];
		if (q->tail)
			q->tail->Next = NetBufferLists;
		else
			q->head = NetBufferLists;
		q->tail = last;
		q->count += count;
		if (!atomic_load(&n->hold_returns))
			queue_return(n, cpu);
	}
	ke_runtime_exit(rt);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
