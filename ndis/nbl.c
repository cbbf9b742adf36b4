/* SPDX-License-Identifier: MIT */
/*
 * ndis/nbl.c - the NDIS 6 data path: MDLs, NET_BUFFER_LIST pools and
 * NBLs, NdisGetDataBuffer, receive indication and the return of indicated
 * NBLs, send NBLs and their completion, and the receive-throttle tally of
 * interrupt DPCs.
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

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

/* --------------------------------------------------------------- MDLs */

struct host_mdl {
	uint64_t magic; /* HOST_MDL_MAGIC, HOST_MDL_FREED */
	uint64_t pad;
	MDL mdl;
};

static void mdl_init(struct host_mdl *hm, void *va, ULONG len)
{
	memset(hm, 0, sizeof(*hm));
	hm->magic = HOST_MDL_MAGIC;
	hm->mdl.Size = (CSHORT)sizeof(MDL);
	hm->mdl.MdlFlags = MDL_SOURCE_IS_NONPAGED_POOL;
	hm->mdl.MappedSystemVa = va;
	hm->mdl.StartVa = (PVOID)((uintptr_t)va & ~(uintptr_t)0xFFF);
	hm->mdl.ByteOffset = (ULONG)((uintptr_t)va & 0xFFF);
	hm->mdl.ByteCount = len;
}

static bool mdl_is_ours(PMDL m)
{
	return container_of(m, struct host_mdl, mdl)->magic == HOST_MDL_MAGIC;
}

/* NdisHandle of the allocation DDIs: the driver's handle or an adapter's. */
static void check_ndis_handle(NDIS_HANDLE h, unsigned ddi)
{
	enum ndis_lookup_error err;

	if (host_driver_from_handle(h) || ndis_handle_lookup(h, NDIS_HT_ADAPTER, &err))
		return;
	ndis_violation(NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)h, NDIS_HT_ADAPTER, ddi,
		       "NdisHandle is neither the driver handle nor a MiniportAdapterHandle");
}

/**
 * NdisAllocateMdl() - An MDL describing @Length bytes at @VirtualAddress
 * (nonpaged memory the caller keeps owning).
 * Context: IRQL <= DISPATCH_LEVEL. @NdisHandle: driver or adapter handle.
 * Return: the MDL, or NULL (no memory, @VirtualAddress NULL, @Length 0).
 */
PMDL NdisAllocateMdl(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, UINT Length)
{
	struct host_mdl *hm = NULL;

	ndis_ddi_enter(NDISRT_DDI_ALLOCATE_MDL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	check_ndis_handle(NdisHandle, NDISRT_DDI_ALLOCATE_MDL);
	if (VirtualAddress && Length) {
		hm = host_zalloc(sizeof(*hm));
		if (hm)
			mdl_init(hm, VirtualAddress, Length);
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return hm ? &hm->mdl : NULL;
}

/**
 * NdisFreeMdl() - Free an NdisAllocateMdl MDL.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 DOUBLE_FREE / BAD_OBJECT.
 */
VOID NdisFreeMdl(PMDL Mdl)
{
	struct host_mdl *hm;

	ndis_ddi_enter(NDISRT_DDI_FREE_MDL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!Mdl)
		host_violation(NDISRT_VIOLATION_BAD_OBJECT, 0, 0, NDISRT_DDI_FREE_MDL,
			       "NdisFreeMdl: Mdl is NULL");
	hm = container_of(Mdl, struct host_mdl, mdl);
	if (hm->magic == HOST_MDL_FREED)
		host_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)Mdl, 0, NDISRT_DDI_FREE_MDL,
			       "NdisFreeMdl: MDL freed twice");
	if (hm->magic != HOST_MDL_MAGIC)
		host_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Mdl, 0, NDISRT_DDI_FREE_MDL,
			       "NdisFreeMdl: not an MDL NdisAllocateMdl returned");
	hm->magic = HOST_MDL_FREED;
	host_free(hm);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* -------------------------------------------------------------- pools */

struct host_pool {
	uint64_t magic;	      /* HOST_POOL_MAGIC */
	struct ndisrt_nic *n; /* charged to (NULL: the driver handle or none) */
	NET_BUFFER_LIST_POOL_PARAMETERS params;
	atomic_long live; /* NBLs allocated and not freed */
};

/* An NBL of a pool, with its NET_BUFFER, context and data (if the pool has them). */
struct host_nbl {
	uint64_t magic; /* HOST_NBL_MAGIC, HOST_NBL_FREED */
	struct host_pool *pool;
	NET_BUFFER_LIST nbl;
	NET_BUFFER nb;
	struct host_mdl data_mdl; /* pool DataSize > 0 */
				  /* then: context (ContextSize + backfill), then data */
};

static struct host_pool *pool_of(NDIS_HANDLE h, unsigned ddi)
{
	struct host_pool *p = h;

	if (!p || p->magic != HOST_POOL_MAGIC)
		host_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)h, 0, ddi,
			       "not a pool handle NdisAllocateNetBufferListPool returned (or the "
			       "pool was freed)");
	return p;
}

/**
 * NdisAllocateNetBufferListPool() - A pool of NBLs (with one NET_BUFFER
 * each when fAllocateNetBuffer; with a DataSize data buffer too).
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: the pool, or NULL (bad header, ContextSize not a multiple of
 * MEMORY_ALLOCATION_ALIGNMENT, DataSize without fAllocateNetBuffer, no memory).
 */
NDIS_HANDLE NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle,
					  PNET_BUFFER_LIST_POOL_PARAMETERS Parameters)
{
	PNET_BUFFER_LIST_POOL_PARAMETERS pp = Parameters;
	struct ndisrt_nic *n = NULL;
	struct host_pool *p = NULL;

	ndis_ddi_enter(NDISRT_DDI_ALLOCATE_NBL_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (NdisHandle) {
		check_ndis_handle(NdisHandle, NDISRT_DDI_ALLOCATE_NBL_POOL);
		n = host_nic_of_handle(NdisHandle);
	}
	if (!pp)
		host_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDISRT_DDI_ALLOCATE_NBL_POOL,
			       "NdisAllocateNetBufferListPool: Parameters is NULL");
	if (pp->Header.Type == NDIS_OBJECT_TYPE_DEFAULT &&
	    pp->Header.Revision >= NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 &&
	    pp->Header.Size >= NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 &&
	    pp->ContextSize % MEMORY_ALLOCATION_ALIGNMENT == 0 &&
	    (pp->DataSize == 0 || pp->fAllocateNetBuffer) && pp->DataSize <= (1u << 24)) {
		p = host_zalloc(sizeof(*p));
		if (p) {
			p->magic = HOST_POOL_MAGIC;
			p->n = n;
			p->params = *pp;
			if (n)
				atomic_fetch_add(&n->pools, 1);
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return p;
}

/**
 * NdisFreeNetBufferListPool() - Free a pool whose NBLs are all freed.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT; RESOURCE_LEAK with
 * NBLs still allocated (p3 = how many).
 */
VOID NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle)
{
	struct host_pool *p;

	ndis_ddi_enter(NDISRT_DDI_FREE_NBL_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	p = pool_of(PoolHandle, NDISRT_DDI_FREE_NBL_POOL);
	if (atomic_load(&p->live))
		host_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)PoolHandle,
			       (uintptr_t)atomic_load(&p->live), NDISRT_DDI_FREE_NBL_POOL,
			       "NdisFreeNetBufferListPool with NBLs of the pool still allocated "
			       "(parameter 3: how many)");
	if (p->n)
		atomic_fetch_sub(&p->n->pools, 1);
	p->magic = 0;
	host_free(p);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* CurrentMdl/CurrentMdlOffset for @offset bytes into the chain. */
static void nb_seek(PNET_BUFFER nb, ULONG offset)
{
	PMDL m = nb->MdlChain;

	while (m && m->Next && offset >= m->ByteCount) {
		offset -= m->ByteCount;
		m = m->Next;
	}
	nb->CurrentMdl = m;
	nb->CurrentMdlOffset = m ? offset : 0;
}

/**
 * NdisAllocateNetBufferAndNetBufferList() - An NBL with one NET_BUFFER
 * describing @DataLength bytes at @DataOffset into @MdlChain (the pool's
 * own data buffer when the pool has a DataSize and @MdlChain is NULL).
 * @ContextSize, @ContextBackFill: an NBL context of that size.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT for a bad pool.
 * Return: the NBL, or NULL (pool without fAllocateNetBuffer, no memory).
 */
PNET_BUFFER_LIST NdisAllocateNetBufferAndNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize,
						       USHORT ContextBackFill, PMDL MdlChain,
						       ULONG DataOffset, SIZE_T DataLength)
{
	struct host_pool *p;
	struct host_nbl *b = NULL;
	size_t ctx, size;

	ndis_ddi_enter(NDISRT_DDI_ALLOCATE_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	p = pool_of(PoolHandle, NDISRT_DDI_ALLOCATE_NBL);
	if (!p->params.fAllocateNetBuffer)
		goto out;
	ctx = (size_t)ContextSize + ContextBackFill + p->params.ContextSize;
	ctx = ctx ? (sizeof(NET_BUFFER_LIST_CONTEXT) + ctx + 15) & ~(size_t)15 : 0;
	size = sizeof(*b) + ctx + p->params.DataSize;
	b = host_zalloc(size);
	if (!b)
		goto out;
	b->magic = HOST_NBL_MAGIC;
	b->pool = p;
	b->nbl.NdisPoolHandle = p;
	b->nbl.FirstNetBuffer = &b->nb;
	if (ctx) {
		PNET_BUFFER_LIST_CONTEXT c = (PNET_BUFFER_LIST_CONTEXT)(b + 1);

		c->Size = (USHORT)(ContextSize + ContextBackFill + p->params.ContextSize);
		c->Offset = ContextBackFill;
		b->nbl.Context = c;
	}
	b->nb.NdisPoolHandle = p;
	if (!MdlChain && p->params.DataSize) {
		mdl_init(&b->data_mdl, (uint8_t *)(b + 1) + ctx, p->params.DataSize);
		MdlChain = &b->data_mdl.mdl;
	}
	b->nb.MdlChain = MdlChain;
	b->nb.DataOffset = DataOffset;
	b->nb.DataLength = (ULONG)DataLength;
	nb_seek(&b->nb, DataOffset);
	atomic_fetch_add(&p->live, 1);
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
	return b ? &b->nbl : NULL;
}

/**
 * NdisFreeNetBufferList() - Free an NBL of NdisAllocateNetBufferAndNetBufferList.
 * Its MDLs are the caller's (except a pool data buffer, freed with it).
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4: DOUBLE_FREE, BAD_OBJECT,
 * NBL_OWNERSHIP (NDIS still holds it: indicated and not returned).
 */
VOID NdisFreeNetBufferList(PNET_BUFFER_LIST NetBufferList)
{
	struct host_nbl *b;

	ndis_ddi_enter(NDISRT_DDI_FREE_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!NetBufferList)
		host_violation(NDISRT_VIOLATION_BAD_OBJECT, 0, 0, NDISRT_DDI_FREE_NBL,
			       "NdisFreeNetBufferList: NULL");
	b = container_of(NetBufferList, struct host_nbl, nbl);
	if (b->magic == HOST_NBL_FREED)
		host_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)NetBufferList, 0,
			       NDISRT_DDI_FREE_NBL, "NdisFreeNetBufferList: NBL freed twice");
	if (b->magic != HOST_NBL_MAGIC)
		host_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)NetBufferList, 0, NDISRT_DDI_FREE_NBL,
		    "NdisFreeNetBufferList: not an NBL NdisAllocateNetBufferAndNetBufferList "
		    "returned");
	if (NetBufferList->NdisReserved[0] == HOST_NBL_WITH_NDIS)
		host_violation(
		    NDISRT_VIOLATION_NBL_OWNERSHIP, (uintptr_t)NetBufferList, 1,
		    NDISRT_DDI_FREE_NBL,
		    "NdisFreeNetBufferList on an NBL NDIS still holds (indicated and not "
		    "yet returned through MiniportReturnNetBufferLists)");
	atomic_fetch_sub(&b->pool->live, 1);
	b->magic = HOST_NBL_FREED;
	host_free(b);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisGetDataBuffer() - @BytesNeeded contiguous bytes at the NET_BUFFER's data.
 * @AlignMultiple: a power of two (1: none); @AlignOffset: the offset from
 * such a multiple the pointer must have.
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: a pointer into the MDL chain if the bytes are contiguous and
 * aligned there; else @Storage with the bytes copied in (NULL if no
 * @Storage); NULL if the NET_BUFFER holds fewer bytes (or its MDL chain does).
 */
PVOID NdisGetDataBuffer(PNET_BUFFER NetBuffer, ULONG BytesNeeded, PVOID Storage, UINT AlignMultiple,
			UINT AlignOffset)
{
	PMDL m;
	ULONG off, left;
	uint8_t *dst = Storage;
	PVOID result = NULL;

	ndis_ddi_enter(NDISRT_DDI_GET_DATA_BUFFER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!NetBuffer)
		host_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDISRT_DDI_GET_DATA_BUFFER,
			       "NdisGetDataBuffer: NetBuffer is NULL");
	m = NetBuffer->CurrentMdl;
	off = NetBuffer->CurrentMdlOffset;
	if (BytesNeeded == 0 || BytesNeeded > NetBuffer->DataLength || !m)
		goto out;
	if (off <= m->ByteCount && BytesNeeded <= m->ByteCount - off) {
		uint8_t *p = (uint8_t *)m->MappedSystemVa + off;

		if (AlignMultiple <= 1 || ((uintptr_t)p % AlignMultiple) == AlignOffset) {
			result = p;
			goto out;
		}
	}
	if (!dst)
		goto out;
	for (left = BytesNeeded; left && m; m = m->Next, off = 0) {
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
	if (!left)
		result = Storage;
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
	return result;
}

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

void host_rx_dpc_end(struct ndisrt_adapter *a)
{
	struct ndisrt_nic *n = host_nic_of_adapter(a);
	struct host_tally *t;

	if (!n)
		return;
	t = &n->tally[ke_current_number()];
	if (t->max != NDISRT_INDICATE_ALL_NBLS && t->count > t->max)
		atomic_fetch_add(&n->throttle_exceeded, 1);
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

	(void)kd, (void)arg1, (void)arg2;
	if (chain && !atomic_load(&n->hold_returns)) {
		q->head = q->tail = NULL;
		q->count = 0;
		for (PNET_BUFFER_LIST nbl = chain; nbl; nbl = nbl->Next)
			nbl->NdisReserved[0] = NULL;
		/* Before the call: the driver may complete a pause inside it. */
		atomic_fetch_sub(&n->outstanding_rx, count);
		atomic_fetch_add(&n->returned, count);
		n->d->chars.ReturnNetBufferListsHandler(n->context, chain,
							NDIS_RETURN_FLAGS_DISPATCH_LEVEL);
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
		sched_yield();
	}
	for (unsigned i = 0; i < n->nr_vcpus; i++)
		ndis_assert(!ke_dpc_is_queued(&n->rq[i].dpc));
	host_free(n->rq);
	host_free(n->tally);
	host_free(n->scratch);
	host_free(n->flush);
	n->rq = NULL;
}

/* ---------------------------------------------------------- indication */

static _Noreturn void chain_violation(NDIS_HANDLE h, uintptr_t p3, const char *what)
{
	host_violation(NDISRT_VIOLATION_NBL_CHAIN, (uintptr_t)h, p3, NDISRT_DDI_INDICATE_RECEIVE,
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
	if (!mdl_is_ours(m))
		host_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)m, (uintptr_t)nb,
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
	unsigned cpu;
	ULONG count = 0;
	uint64_t bytes = 0;

	cur = ndis_ddi_enter(NDISRT_DDI_INDICATE_RECEIVE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	n = host_nic_lookup(h, NDISRT_DDI_INDICATE_RECEIVE);
	cpu = ke_current_number();
	if ((ReceiveFlags & NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL) && cur != KE_DISPATCH_LEVEL)
		host_violation(
		    NDISRT_VIOLATION_BAD_FLAGS, (uintptr_t)h, cur, NDISRT_DDI_INDICATE_RECEIVE,
		    "NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL set by a caller not at "
		    "DISPATCH_LEVEL (set it only when the IRQL is known to be DISPATCH)");
	st = host_nic_state(n);
	if (!indication_allowed(st))
		host_violation(
		    NDISRT_VIOLATION_INDICATE_PAUSED, (uintptr_t)h, st, NDISRT_DDI_INDICATE_RECEIVE,
		    "receive indication while the adapter is not Running, Restarting or "
		    "Pausing (a paused miniport must not indicate; parameter 3: the state, "
		    "2 = Paused, 1 = Initializing, 6 = Halting)");
	if (PortNumber != NDIS_DEFAULT_PORT_NUMBER)
		host_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)h, PortNumber,
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
			host_violation(NDISRT_VIOLATION_SOURCE_HANDLE, (uintptr_t)nbl->SourceHandle,
				       (uintptr_t)h, NDISRT_DDI_INDICATE_RECEIVE,
				       "an indicated NBL's SourceHandle is not the "
				       "MiniportAdapterHandle");
		if (nbl->NdisReserved[0] == HOST_NBL_WITH_NDIS)
			host_violation(NDISRT_VIOLATION_NBL_OWNERSHIP, (uintptr_t)nbl, 0,
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
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ---------------------------------------------------------------- send */

/* An NBL the host sends: NBL, NB, MDL and a copy of the frame in one block. */
struct host_send_nbl {
	uint64_t magic; /* HOST_NBL_MAGIC */
	struct ndisrt_nic *n;
	NET_BUFFER_LIST nbl;
	NET_BUFFER nb;
	struct host_mdl mdl;
	uint8_t data[];
};

PNET_BUFFER_LIST host_send_nbl_alloc(struct ndisrt_nic *n, const void *frame, size_t len)
{
	struct host_send_nbl *s;

	if (!len || len > HOST_SCRATCH)
		return NULL;
	s = host_zalloc(sizeof(*s) + len);
	if (!s)
		return NULL;
	s->magic = HOST_NBL_MAGIC;
	s->n = n;
	memcpy(s->data, frame, len);
	mdl_init(&s->mdl, s->data, (ULONG)len);
	s->nb.MdlChain = s->nb.CurrentMdl = &s->mdl.mdl;
	s->nb.DataLength = (ULONG)len;
	s->nbl.FirstNetBuffer = &s->nb;
	s->nbl.SourceHandle = n; /* NDIS: the sender's handle; opaque to the miniport */
	s->nbl.NdisReserved[0] = HOST_NBL_WITH_MINIPORT;
	return &s->nbl;
}

/**
 * NdisMSendNetBufferListsComplete() - Hand back NBLs of MiniportSendNetBufferLists.
 * NET_BUFFER_LIST_STATUS of each counts as completed (success) or failed.
 * Context: IRQL <= DISPATCH_LEVEL. Bug check 0xC4: BAD_FLAGS
 * (NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL not at DISPATCH_LEVEL),
 * NBL_OWNERSHIP (an NBL NDIS did not send through this adapter, or one
 * completed twice), BAD_PARAMETER (NULL).
 */
VOID NdisMSendNetBufferListsComplete(NDIS_HANDLE MiniportAdapterHandle,
				     PNET_BUFFER_LIST NetBufferList, ULONG SendCompleteFlags)
{
	struct ndisrt_nic *n;
	PNET_BUFFER_LIST nbl, next;
	ke_irql_t cur, old;
	unsigned long ok = 0, bad = 0;

	cur = ndis_ddi_enter(NDISRT_DDI_SEND_COMPLETE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_SEND_COMPLETE);
	if ((SendCompleteFlags & NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL) &&
	    cur != KE_DISPATCH_LEVEL)
		host_violation(NDISRT_VIOLATION_BAD_FLAGS, (uintptr_t)MiniportAdapterHandle, cur,
			       NDISRT_DDI_SEND_COMPLETE,
			       "NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL set by a caller not at "
			       "DISPATCH_LEVEL");
	if (!NetBufferList)
		host_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)MiniportAdapterHandle, 0,
			       NDISRT_DDI_SEND_COMPLETE, "NdisMSendNetBufferListsComplete: NULL");
	for (nbl = NetBufferList; nbl; nbl = next) {
		struct host_send_nbl *s = container_of(nbl, struct host_send_nbl, nbl);

		next = nbl->Next;
		if (s->magic != HOST_NBL_MAGIC || s->n != n ||
		    nbl->NdisReserved[0] != HOST_NBL_WITH_MINIPORT)
			host_violation(
			    NDISRT_VIOLATION_NBL_OWNERSHIP, (uintptr_t)nbl, 2,
			    NDISRT_DDI_SEND_COMPLETE,
			    "NdisMSendNetBufferListsComplete on an NBL that NDIS did not "
			    "send to this adapter, or that was completed already");
		if (NET_BUFFER_LIST_STATUS(nbl) == NDIS_STATUS_SUCCESS)
			ok++;
		else
			bad++;
		nbl->NdisReserved[0] = NULL;
		s->magic = HOST_NBL_FREED;
		host_free(s);
	}
	atomic_fetch_add(&n->send_completed, ok);
	atomic_fetch_add(&n->send_failed, bad);
	atomic_fetch_sub(&n->outstanding_tx, (long)(ok + bad));
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
