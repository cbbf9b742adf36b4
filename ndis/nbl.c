/* SPDX-License-Identifier: MIT */
/*
 * ndis/nbl.c - NDIS 6 buffers: MDLs, NET_BUFFER_LIST pools and NBLs,
 * NdisGetDataBuffer, the NBLs the host sends and their completion
 * (NdisMSendNetBufferListsComplete). Receive indication is host_rx.c.
 */
#include "ndis/nbl_internal.h"
#include "verifier/race.h"

#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define mdl_init host_mdl_init /* ndis/nbl_internal.h */

/* --------------------------------------------------------------- MDLs */

bool host_mdl_is_ours(PMDL m)
{
	return container_of(m, struct host_mdl, mdl)->magic == HOST_MDL_MAGIC;
}

/* NdisHandle of the allocation DDIs: the driver's handle or an adapter's. */
static void check_ndis_handle(NDIS_HANDLE h, unsigned ddi)
{
	enum ndis_lookup_error err;

	if (host_driver_from_handle(h) || ndis_handle_lookup(h, NDIS_HT_ADAPTER, &err))
		return;
	ndisrt_violation(NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)h, NDIS_HT_ADAPTER, ddi,
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
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, 0, 0, NDISRT_DDI_FREE_MDL,
				 "NdisFreeMdl: Mdl is NULL");
	hm = container_of(Mdl, struct host_mdl, mdl);
	if (hm->magic == HOST_MDL_FREED)
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)Mdl, 0,
				 NDISRT_DDI_FREE_MDL, "NdisFreeMdl: MDL freed twice");
	if (hm->magic != HOST_MDL_MAGIC)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Mdl, 0,
				 NDISRT_DDI_FREE_MDL,
				 "NdisFreeMdl: not an MDL NdisAllocateMdl returned");
	hm->magic = HOST_MDL_FREED;
	host_free(hm);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* -------------------------------------------------------------- pools */

/* struct host_pool, struct host_nbl: ndis/nbl_internal.h. */

static struct host_pool *pool_of(NDIS_HANDLE h, unsigned ddi)
{
	struct host_pool *p = h;

	if (!p || p->magic != HOST_POOL_MAGIC)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)h, 0, ddi,
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
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDISRT_DDI_ALLOCATE_NBL_POOL,
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
		ndisrt_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)PoolHandle,
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
	/* NdisGetNetBufferListProtocolId (ndis/nbl6.c): the pool's protocol id. */
	NET_BUFFER_LIST_INFO(&b->nbl, NetBufferListProtocolId) =
	    (PVOID)(uintptr_t)p->params.ProtocolId;
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
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, 0, 0, NDISRT_DDI_FREE_NBL,
				 "NdisFreeNetBufferList: NULL");
	b = container_of(NetBufferList, struct host_nbl, nbl);
	if (b->magic == HOST_NBL_FREED)
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)NetBufferList, 0,
				 NDISRT_DDI_FREE_NBL, "NdisFreeNetBufferList: NBL freed twice");
	if (b->magic != HOST_NBL_MAGIC)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)NetBufferList, 0, NDISRT_DDI_FREE_NBL,
		    "NdisFreeNetBufferList: not an NBL NdisAllocateNetBufferAndNetBufferList "
		    "returned");
	if (NetBufferList->NdisReserved[1])
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)NetBufferList, 2, NDISRT_DDI_FREE_NBL,
		    "NdisFreeNetBufferList on a clone, fragment or reassembled NBL "
		    "(free it with NdisFree{Clone,Fragment,Reassembled}NetBufferList)");
	if (NetBufferList->NdisReserved[0] == HOST_NBL_WITH_NDIS)
		ndisrt_violation(
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
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDISRT_DDI_GET_DATA_BUFFER,
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

/* ---------------------------------------------------------------- send */

/*
 * An NBL the host sends: NBL, NB, MDL and a copy of the frame in one block.
 * Blocks with room for HOST_SEND_POOL_DATA bytes (every standard Ethernet
 * frame) are recycled through the NIC's free list: once the ring of sends
 * in flight has been filled once, sending allocates nothing. A longer
 * (jumbo) frame gets a block of its own, freed at completion.
 */
#define HOST_SEND_POOL_DATA 2048u

struct host_send_nbl {
	uint64_t magic; /* HOST_NBL_MAGIC; HOST_NBL_FREED while free */
	struct ndisrt_nic *n;
	struct host_send_nbl *next_free; /* (P) on n->send_free */
	bool pooled;			 /* HOST_SEND_POOL_DATA bytes of data, recycled */
	NET_BUFFER_LIST nbl;
	NET_BUFFER nb;
	struct host_mdl mdl;
	uint8_t data[];
};

static struct host_send_nbl *send_pool_get(struct ndisrt_nic *n)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);
	struct host_send_nbl *s;

	ke_spin_acquire_raw(&n->send_pool_lock);
	s = n->send_free;
	if (s)
		n->send_free = s->next_free;
	ke_spin_release_raw(&n->send_pool_lock);
	ke_irql_lower(old);
	return s;
}

static void send_pool_put(struct ndisrt_nic *n, struct host_send_nbl *s)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	ke_spin_acquire_raw(&n->send_pool_lock);
	s->next_free = n->send_free;
	n->send_free = s;
	ke_spin_release_raw(&n->send_pool_lock);
	ke_irql_lower(old);
}

void host_send_pool_fini(struct ndisrt_nic *n)
{
	struct host_send_nbl *s = n->send_free, *next;

	for (; s; s = next) {
		next = s->next_free;
		host_free(s);
	}
	n->send_free = NULL;
}

PNET_BUFFER_LIST host_send_nbl_alloc(struct ndisrt_nic *n, const void *frame, size_t len)
{
	struct host_send_nbl *s;
	bool pooled = len <= HOST_SEND_POOL_DATA;

	if (!len || len > HOST_SCRATCH)
		return NULL;
	s = pooled ? send_pool_get(n) : NULL;
	if (s)
		memset(s, 0, offsetof(struct host_send_nbl, data));
	else
		s = host_zalloc(sizeof(*s) + (pooled ? HOST_SEND_POOL_DATA : len));
	if (!s)
		return NULL;
	s->pooled = pooled;
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
		ndisrt_violation(NDISRT_VIOLATION_BAD_FLAGS, (uintptr_t)MiniportAdapterHandle, cur,
				 NDISRT_DDI_SEND_COMPLETE,
				 "NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL set by a caller not at "
				 "DISPATCH_LEVEL");
	if (!NetBufferList)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)MiniportAdapterHandle,
				 0, NDISRT_DDI_SEND_COMPLETE,
				 "NdisMSendNetBufferListsComplete: NULL");
	for (nbl = NetBufferList; nbl; nbl = next) {
		struct host_send_nbl *s = container_of(nbl, struct host_send_nbl, nbl);

		next = nbl->Next;
		if (s->magic != HOST_NBL_MAGIC || s->n != n ||
		    nbl->NdisReserved[0] != HOST_NBL_WITH_MINIPORT)
			ndisrt_violation(
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
		vfy_race_release(nbl); /* the driver is done with it (race detector) */
		if (s->pooled)
			send_pool_put(n, s);
		else
			host_free(s);
	}
	atomic_fetch_add(&n->send_completed, ok);
	atomic_fetch_add(&n->send_failed, bad);
	atomic_fetch_sub(&n->outstanding_tx, (long)(ok + bad));
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
