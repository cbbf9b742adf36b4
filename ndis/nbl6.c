/* SPDX-License-Identifier: MIT */
/*
 * ndis/nbl6.c - the rest of the NDIS 6 buffer DDI: NET_BUFFER pools and
 * NET_BUFFERs, NdisAllocateNetBufferList, NBL contexts, retreating and
 * advancing the data start, copies between NET_BUFFERs and of NBL
 * information, clone / fragment / reassembled NBLs, the pool and protocol
 * id queries. NBL pools and NdisAllocateNetBufferAndNetBufferList are nbl.c.
 *
 * Lock key: none. Every object here belongs to the driver that allocated
 * it (the DDI's contract: a driver serializes its own calls on one
 * object); only the pools' live counters are shared, and they are atomic.
 */
#include "ndis/nbl_internal.h"
#include "ndis/ndis6.h"

#include <stdlib.h>
#include <string.h>

#define HOST_NBPOOL_MAGIC 0x4E4452564E42504Full /* 'NDRVNBPO' */
#define HOST_NB_MAGIC 0x4E4452564E423131ull	/* NET_BUFFER live */
#define HOST_NB_FREED 0x4E4452564E423130ull	/* NET_BUFFER freed */
#define HOST_CTX_MAGIC 0x4E44525643545831ull	/* an NBL context block */

/* NdisReserved[1] of an NBL this file allocates, by how it must be freed. */
#define HOST_NBL_KIND_CLONE ((PVOID)(uintptr_t)0x434C4F4E45ull)	      /* 'CLONE' */
#define HOST_NBL_KIND_FRAGMENT ((PVOID)(uintptr_t)0x46524147ull)      /* 'FRAG' */
#define HOST_NBL_KIND_REASSEMBLED ((PVOID)(uintptr_t)0x5245415353ull) /* 'REASS' */

/* ---------------------------------------------------- NET_BUFFER pools */

struct host_nb_pool {
	uint64_t magic; /* HOST_NBPOOL_MAGIC */
	NET_BUFFER_POOL_PARAMETERS params;
	atomic_long live; /* NET_BUFFERs allocated and not freed */
};

/*
 * A NET_BUFFER of a pool. The MDLs the runtime made for it (clone and
 * fragment copies, the pool's data MDL) are freed with it; the caller's
 * MdlChain is the caller's. NdisReserved[0] of the NET_BUFFER counts the
 * MDLs retreats chained in front, NdisReserved[1] has bit i set when the
 * i-th of them is the runtime's (else the driver's NetAllocateMdl's).
 */
struct host_nb {
	uint64_t magic; /* HOST_NB_MAGIC, HOST_NB_FREED */
	struct host_nb_pool *pool;
	PMDL own_mdls; /* runtime-made MDLs describing others' memory (linked by Next) */
	NET_BUFFER nb;
	struct host_mdl data_mdl; /* pool DataSize > 0 */
				  /* then the data */
};

/* A retreat's MDL with its buffer. */
struct host_retreat_mdl {
	struct host_mdl hm;
	uint8_t data[];
};

/* An NBL context block NdisAllocateNetBufferListContext added. */
struct host_ctx {
	uint64_t magic; /* HOST_CTX_MAGIC */
	uint64_t pad;
	NET_BUFFER_LIST_CONTEXT c;
};

/* The pools NDIS uses when a clone or fragment call passes none. */
static struct host_pool internal_nbl_pool = {.magic = HOST_POOL_MAGIC};
static struct host_nb_pool internal_nb_pool = {.magic = HOST_NBPOOL_MAGIC};

/*
 * Freed NET_BUFFERs and derived NBLs wait in a ring of the last 256 before
 * their memory goes back to malloc, so a second free of a recent one finds
 * its FREED mark (malloc reuses the first bytes of a free block at once).
 * (S) quarantine_lock.
 */
#define QUARANTINE 256
static void *quarantine[QUARANTINE];
static unsigned quarantine_next;
static struct ke_spinlock quarantine_lock = KE_SPINLOCK_INIT;

static void quarantine_free(void *p)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);
	void *evicted;

	ke_spin_acquire_raw(&quarantine_lock);
	evicted = quarantine[quarantine_next];
	quarantine[quarantine_next] = p;
	quarantine_next = (quarantine_next + 1) % QUARANTINE;
	ke_spin_release_raw(&quarantine_lock);
	ke_irql_lower(old);
	host_free(evicted);
}

static void bad(enum ndisrt_violation v, const void *obj, uintptr_t p2, unsigned ddi,
		const char *msg)
{
	ndisrt_violation(v, (uintptr_t)obj, p2, ddi, msg);
}

static struct host_nb_pool *nb_pool_of(NDIS_HANDLE h, unsigned ddi)
{
	struct host_nb_pool *p = h;

	if (!p)
		return &internal_nb_pool;
	if (p->magic != HOST_NBPOOL_MAGIC)
		bad(NDISRT_VIOLATION_BAD_OBJECT, h, 0, ddi,
		    "not a pool handle NdisAllocateNetBufferPool returned (or the pool was freed)");
	return p;
}

static struct host_pool *nbl_pool_of(NDIS_HANDLE h, unsigned ddi)
{
	struct host_pool *p = h;

	if (!p)
		return &internal_nbl_pool;
	if (p->magic != HOST_POOL_MAGIC)
		bad(NDISRT_VIOLATION_BAD_OBJECT, h, 0, ddi,
		    "not a pool handle NdisAllocateNetBufferListPool returned (or the pool was "
		    "freed)");
	return p;
}

/**
 * NdisAllocateNetBufferPool() - A pool of NET_BUFFERs.
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: the pool, or NULL (bad header, no memory).
 */
NDIS_HANDLE NdisAllocateNetBufferPool(NDIS_HANDLE NdisHandle,
				      PNET_BUFFER_POOL_PARAMETERS Parameters)
{
	struct host_nb_pool *p = NULL;

	(void)NdisHandle; /* the pool is charged to nobody: no per-NIC accounting */
	ndis_ddi_enter(NDIS6_DDI_NB_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!Parameters)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NULL, 0, NDIS6_DDI_NB_POOL,
		    "NdisAllocateNetBufferPool: Parameters is NULL");
	if (Parameters->Header.Type == NDIS_OBJECT_TYPE_DEFAULT &&
	    Parameters->Header.Revision >= NET_BUFFER_POOL_PARAMETERS_REVISION_1 &&
	    Parameters->Header.Size >= NDIS_SIZEOF_NET_BUFFER_POOL_PARAMETERS_REVISION_1 &&
	    Parameters->DataSize <= (1u << 24)) {
		p = host_zalloc(sizeof(*p));
		if (p) {
			p->magic = HOST_NBPOOL_MAGIC;
			p->params = *Parameters;
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return p;
}

/**
 * NdisFreeNetBufferPool() - Free a pool whose NET_BUFFERs are all freed.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT; RESOURCE_LEAK with
 * NET_BUFFERs still allocated (parameter 3: how many).
 */
VOID NdisFreeNetBufferPool(NDIS_HANDLE PoolHandle)
{
	struct host_nb_pool *p;

	ndis_ddi_enter(NDIS6_DDI_NB_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!PoolHandle)
		bad(NDISRT_VIOLATION_BAD_OBJECT, NULL, 0, NDIS6_DDI_NB_POOL,
		    "NdisFreeNetBufferPool: PoolHandle is NULL");
	p = nb_pool_of(PoolHandle, NDIS6_DDI_NB_POOL);
	if (atomic_load(&p->live))
		bad(NDISRT_VIOLATION_RESOURCE_LEAK, p, (uintptr_t)atomic_load(&p->live),
		    NDIS6_DDI_NB_POOL,
		    "NdisFreeNetBufferPool with NET_BUFFERs of the pool still allocated "
		    "(parameter 3: how many)");
	p->magic = 0;
	host_free(p);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* CurrentMdl/CurrentMdlOffset for the NET_BUFFER's DataOffset. */
static void nb_seek(PNET_BUFFER nb)
{
	PMDL m = nb->MdlChain;
	ULONG offset = nb->DataOffset;

	while (m && m->Next && offset >= m->ByteCount) {
		offset -= m->ByteCount;
		m = m->Next;
	}
	nb->CurrentMdl = m;
	nb->CurrentMdlOffset = m ? offset : 0;
}

/* A NET_BUFFER of @p (no checks, no IRQL), with @data bytes of pool data. */
static struct host_nb *nb_alloc(struct host_nb_pool *p, size_t data)
{
	struct host_nb *b = host_zalloc(sizeof(*b) + data);

	if (!b)
		return NULL;
	b->magic = HOST_NB_MAGIC;
	b->pool = p;
	b->nb.NdisPoolHandle = p;
	if (data) {
		host_mdl_init(&b->data_mdl, b + 1, (ULONG)data);
		b->nb.MdlChain = &b->data_mdl.mdl;
		b->nb.DataLength = (ULONG)data;
		nb_seek(&b->nb);
	}
	atomic_fetch_add(&p->live, 1);
	return b;
}

static struct host_nb *host_nb_of(PNET_BUFFER nb, unsigned ddi)
{
	struct host_nb *b;

	if (!nb)
		bad(NDISRT_VIOLATION_BAD_OBJECT, NULL, 0, ddi, "NET_BUFFER is NULL");
	b = container_of(nb, struct host_nb, nb);
	if (b->magic == HOST_NB_FREED)
		bad(NDISRT_VIOLATION_DOUBLE_FREE, nb, 0, ddi, "NET_BUFFER freed twice");
	if (b->magic != HOST_NB_MAGIC)
		bad(NDISRT_VIOLATION_BAD_OBJECT, nb, 0, ddi,
		    "not a NET_BUFFER NdisAllocateNetBuffer[MdlAndData] returned");
	return b;
}

static void retreat_mdls_free(PNET_BUFFER nb, NET_BUFFER_FREE_MDL *freeh, bool all);

static void nb_free(struct host_nb *b)
{
	PMDL m, next;

	retreat_mdls_free(&b->nb, NULL, true);
	for (m = b->own_mdls; m; m = next) {
		struct host_mdl *hm = container_of(m, struct host_mdl, mdl);

		next = (PMDL)hm->pad;
		hm->magic = HOST_MDL_FREED;
		host_free(hm);
	}
	atomic_fetch_sub(&b->pool->live, 1);
	b->magic = HOST_NB_FREED;
	quarantine_free(b);
}

/**
 * NdisAllocateNetBuffer() - A NET_BUFFER describing @DataLength bytes at
 * @DataOffset into @MdlChain (which stays the caller's).
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT for a bad pool.
 * Return: the NET_BUFFER, or NULL (no memory).
 */
PNET_BUFFER NdisAllocateNetBuffer(NDIS_HANDLE PoolHandle, PMDL MdlChain, ULONG DataOffset,
				  SIZE_T DataLength)
{
	struct host_nb_pool *p;
	struct host_nb *b;

	ndis_ddi_enter(NDIS6_DDI_NB, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!PoolHandle)
		bad(NDISRT_VIOLATION_BAD_OBJECT, NULL, 0, NDIS6_DDI_NB,
		    "NdisAllocateNetBuffer: PoolHandle is NULL");
	p = nb_pool_of(PoolHandle, NDIS6_DDI_NB);
	b = nb_alloc(p, 0);
	if (b) {
		b->nb.MdlChain = MdlChain;
		b->nb.DataOffset = DataOffset;
		b->nb.DataLength = (ULONG)DataLength;
		nb_seek(&b->nb);
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return b ? &b->nb : NULL;
}

/**
 * NdisAllocateNetBufferMdlAndData() - A NET_BUFFER with one MDL and the
 * pool's DataSize bytes of data (DataLength = DataSize, DataOffset 0).
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: the NET_BUFFER, or NULL (the pool has no DataSize; no memory).
 */
PNET_BUFFER NdisAllocateNetBufferMdlAndData(NDIS_HANDLE PoolHandle)
{
	struct host_nb_pool *p;
	struct host_nb *b = NULL;

	ndis_ddi_enter(NDIS6_DDI_NB, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!PoolHandle)
		bad(NDISRT_VIOLATION_BAD_OBJECT, NULL, 0, NDIS6_DDI_NB,
		    "NdisAllocateNetBufferMdlAndData: PoolHandle is NULL");
	p = nb_pool_of(PoolHandle, NDIS6_DDI_NB);
	if (p->params.DataSize)
		b = nb_alloc(p, p->params.DataSize);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return b ? &b->nb : NULL;
}

/**
 * NdisFreeNetBuffer() - Free a NET_BUFFER of NdisAllocateNetBuffer[MdlAndData]
 * (and the MDLs the runtime made for it).
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 DOUBLE_FREE, BAD_OBJECT.
 */
VOID NdisFreeNetBuffer(PNET_BUFFER NetBuffer)
{
	ndis_ddi_enter(NDIS6_DDI_NB, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	nb_free(host_nb_of(NetBuffer, NDIS6_DDI_NB));
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* An NBL of @p with no NET_BUFFER (and no context unless asked). */
static struct host_nbl *nbl_alloc_bare(struct host_pool *p, USHORT ctx_size, USHORT backfill)
{
	size_t want = (size_t)ctx_size + backfill + p->params.ContextSize;
	size_t ctx = want ? (sizeof(NET_BUFFER_LIST_CONTEXT) + want + 15) & ~(size_t)15 : 0;
	struct host_nbl *b = host_zalloc(sizeof(*b) + ctx);

	if (!b)
		return NULL;
	b->magic = HOST_NBL_MAGIC;
	b->pool = p;
	b->nbl.NdisPoolHandle = p;
	if (ctx) {
		PNET_BUFFER_LIST_CONTEXT c = (PNET_BUFFER_LIST_CONTEXT)(b + 1);

		c->Size = (USHORT)want;
		c->Offset = backfill;
		b->nbl.Context = c;
	}
	NET_BUFFER_LIST_INFO(&b->nbl, NetBufferListProtocolId) =
	    (PVOID)(uintptr_t)p->params.ProtocolId;
	atomic_fetch_add(&p->live, 1);
	return b;
}

static void nbl_free_bare(struct host_nbl *b)
{
	atomic_fetch_sub(&b->pool->live, 1);
	b->magic = HOST_NBL_FREED;
	quarantine_free(b);
}

/**
 * NdisAllocateNetBufferList() - An NBL from an NBL pool: without a
 * NET_BUFFER, or (pool with fAllocateNetBuffer) as
 * NdisAllocateNetBufferAndNetBufferList with the pool's data, if any.
 * Context: IRQL <= DISPATCH_LEVEL. Freed by NdisFreeNetBufferList.
 * Return: the NBL, or NULL (no memory).
 */
PNET_BUFFER_LIST NdisAllocateNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize,
					   USHORT ContextBackFill)
{
	struct host_pool *p;
	struct host_nbl *b;

	ndis_ddi_enter(NDIS6_DDI_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!PoolHandle)
		bad(NDISRT_VIOLATION_BAD_OBJECT, NULL, 0, NDIS6_DDI_NBL,
		    "NdisAllocateNetBufferList: PoolHandle is NULL");
	p = nbl_pool_of(PoolHandle, NDIS6_DDI_NBL);
	if (p->params.fAllocateNetBuffer)
		return NdisAllocateNetBufferAndNetBufferList(
		    PoolHandle, ContextSize, ContextBackFill, NULL, 0, p->params.DataSize);
	b = nbl_alloc_bare(p, ContextSize, ContextBackFill);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return b ? &b->nbl : NULL;
}

/** NdisGetPoolFromNetBuffer() - The pool @NetBuffer came from. Context: any IRQL. */
NDIS_HANDLE NdisGetPoolFromNetBuffer(PNET_BUFFER NetBuffer)
{
	return NetBuffer->NdisPoolHandle;
}

/** NdisGetPoolFromNetBufferList() - The pool @NetBufferList came from. Context: any IRQL. */
NDIS_HANDLE NdisGetPoolFromNetBufferList(PNET_BUFFER_LIST NetBufferList)
{
	return NetBufferList->NdisPoolHandle;
}

/**
 * NdisGetNetBufferListProtocolId() - The NBL's protocol id: its pool's
 * ProtocolId unless NdisSetNetBufferListProtocolId changed it.
 * Context: any IRQL.
 */
UCHAR NdisGetNetBufferListProtocolId(PNET_BUFFER_LIST NetBufferList)
{
	return *(PUCHAR)&NET_BUFFER_LIST_INFO(NetBufferList, NetBufferListProtocolId);
}

/* ------------------------------------------------------------- contexts */

/**
 * NdisAllocateNetBufferListContext() - @ContextSize more bytes of context
 * in front of the NBL's current context data: from the unused space of the
 * current block (its Offset), else in a new block of @ContextSize +
 * @ContextBackFill bytes chained in front.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_PARAMETER: @ContextSize not a
 * multiple of MEMORY_ALLOCATION_ALIGNMENT.
 * Return: NDIS_STATUS_SUCCESS, NDIS_STATUS_RESOURCES (no memory).
 */
NDIS_STATUS NdisAllocateNetBufferListContext(PNET_BUFFER_LIST NetBufferList, USHORT ContextSize,
					     USHORT ContextBackFill, ULONG PoolTag)
{
	PNET_BUFFER_LIST_CONTEXT c;
	struct host_ctx *hc;
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;

	(void)PoolTag;
	ndis_ddi_enter(NDIS6_DDI_NBL_CONTEXT, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!NetBufferList || ContextSize % MEMORY_ALLOCATION_ALIGNMENT)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NetBufferList, ContextSize,
		    NDIS6_DDI_NBL_CONTEXT,
		    "NdisAllocateNetBufferListContext: NULL NBL, or ContextSize not a multiple "
		    "of MEMORY_ALLOCATION_ALIGNMENT (parameter 3)");
	c = NetBufferList->Context;
	if (c && c->Offset >= ContextSize) {
		c->Offset = (USHORT)(c->Offset - ContextSize);
		goto out;
	}
	if ((size_t)ContextSize + ContextBackFill > 0xFFF0) {
		st = NDIS_STATUS_FAILURE;
		goto out;
	}
	hc = host_zalloc(sizeof(*hc) + ContextSize + ContextBackFill);
	if (!hc) {
		st = NDIS_STATUS_RESOURCES;
		goto out;
	}
	hc->magic = HOST_CTX_MAGIC;
	hc->c.Next = c;
	hc->c.Size = (USHORT)(ContextSize + ContextBackFill);
	hc->c.Offset = ContextBackFill;
	NetBufferList->Context = &hc->c;
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
	return st;
}

/**
 * NdisFreeNetBufferListContext() - Give back @ContextSize bytes of context
 * NdisAllocateNetBufferListContext took; a block it added goes once empty.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_PARAMETER: more than allocated.
 */
VOID NdisFreeNetBufferListContext(PNET_BUFFER_LIST NetBufferList, USHORT ContextSize)
{
	PNET_BUFFER_LIST_CONTEXT c;

	ndis_ddi_enter(NDIS6_DDI_NBL_CONTEXT, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	c = NetBufferList ? NetBufferList->Context : NULL;
	if (!c || (ULONG)c->Offset + ContextSize > c->Size)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NetBufferList, ContextSize,
		    NDIS6_DDI_NBL_CONTEXT,
		    "NdisFreeNetBufferListContext: frees more context than the NBL has "
		    "allocated (parameter 3: ContextSize)");
	c->Offset = (USHORT)(c->Offset + ContextSize);
	if (c->Offset == c->Size) {
		struct host_ctx *hc = container_of(c, struct host_ctx, c);

		if (hc->magic == HOST_CTX_MAGIC) {
			NetBufferList->Context = c->Next;
			hc->magic = 0;
			host_free(hc);
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ------------------------------------------------------- data start */

/* Free the MDLs retreats chained in front of @nb that the advance made
 * unused (all of them with @all), the runtime's itself, the driver's
 * through @freeh (kept when there is none). */
static void retreat_mdls_free(PNET_BUFFER nb, NET_BUFFER_FREE_MDL *freeh, bool all)
{
	uintptr_t count = (uintptr_t)nb->NdisReserved[0];
	uintptr_t ours = (uintptr_t)nb->NdisReserved[1];

	while (count && nb->MdlChain && (all || nb->DataOffset >= nb->MdlChain->ByteCount)) {
		PMDL m = nb->MdlChain;
		bool own = ours & 1;

		if (!own && !freeh && !all)
			break;
		nb->MdlChain = m->Next;
		if (nb->DataOffset >= m->ByteCount)
			nb->DataOffset -= m->ByteCount;
		else
			nb->DataOffset = 0;
		if (own) {
			struct host_retreat_mdl *r = container_of(
			    container_of(m, struct host_mdl, mdl), struct host_retreat_mdl, hm);

			r->hm.magic = HOST_MDL_FREED;
			host_free(r);
		} else if (freeh) {
			freeh(m);
		}
		count--;
		ours >>= 1;
	}
	nb->NdisReserved[0] = (PVOID)count;
	nb->NdisReserved[1] = (PVOID)ours;
}

static NDIS_STATUS nb_retreat(PNET_BUFFER nb, ULONG delta, ULONG backfill,
			      NET_BUFFER_ALLOCATE_MDL *alloch)
{
	uintptr_t count = (uintptr_t)nb->NdisReserved[0];
	ULONG need, size;
	PMDL m;
	bool own = false;

	if (delta <= nb->DataOffset) {
		nb->DataOffset -= delta;
		nb->DataLength += delta;
		nb_seek(nb);
		return NDIS_STATUS_SUCCESS;
	}
	need = delta - nb->DataOffset;
	if (count >= 8 * sizeof(void *) || (uint64_t)need + backfill > (1u << 24))
		return NDIS_STATUS_FAILURE;
	size = need + backfill;
	if (alloch) {
		ULONG got = size;

		m = alloch(&got);
		if (!m)
			return NDIS_STATUS_RESOURCES;
		if (m->ByteCount < need) {
			return NDIS_STATUS_FAILURE;
		}
	} else {
		struct host_retreat_mdl *r = host_zalloc(sizeof(*r) + size);

		if (!r)
			return NDIS_STATUS_RESOURCES;
		host_mdl_init(&r->hm, r->data, size);
		m = &r->hm.mdl;
		own = true;
	}
	m->Next = nb->MdlChain;
	nb->MdlChain = m;
	nb->DataOffset = m->ByteCount - need;
	nb->DataLength += delta;
	nb->NdisReserved[0] = (PVOID)(count + 1);
	nb->NdisReserved[1] = (PVOID)(((uintptr_t)nb->NdisReserved[1] << 1) | own);
	nb_seek(nb);
	return NDIS_STATUS_SUCCESS;
}

static void nb_advance(PNET_BUFFER nb, ULONG delta, BOOLEAN free_mdl, NET_BUFFER_FREE_MDL *freeh)
{
	if (delta > nb->DataLength)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, nb, delta, NDIS6_DDI_DATA_START,
		    "NdisAdvanceNetBuffer[List]DataStart: DataOffsetDelta (parameter 3) is more "
		    "than the NET_BUFFER's DataLength");
	nb->DataOffset += delta;
	nb->DataLength -= delta;
	if (free_mdl)
		retreat_mdls_free(nb, freeh, false);
	nb_seek(nb);
}

/**
 * NdisRetreatNetBufferDataStart() - Grow the used data space by
 * @DataOffsetDelta in front (DataOffset down, DataLength up); when
 * DataOffset is too small, a new MDL of the missing bytes + @DataBackFill
 * goes in front, from @AllocateMdlHandler or the runtime.
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: NDIS_STATUS_SUCCESS; _RESOURCES (no memory, or the handler gave
 * none); _FAILURE (the handler's MDL is too short; more than 64 retreat MDLs).
 */
NDIS_STATUS NdisRetreatNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta,
					  ULONG DataBackFill,
					  NET_BUFFER_ALLOCATE_MDL *AllocateMdlHandler)
{
	NDIS_STATUS st;

	ndis_ddi_enter(NDIS6_DDI_DATA_START, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!NetBuffer)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NULL, 0, NDIS6_DDI_DATA_START,
		    "NdisRetreatNetBufferDataStart: NetBuffer is NULL");
	st = nb_retreat(NetBuffer, DataOffsetDelta, DataBackFill, AllocateMdlHandler);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return st;
}

/**
 * NdisAdvanceNetBufferDataStart() - Give back @DataOffsetDelta bytes of
 * used data space; with @FreeMdl, MDLs retreats added that hold no data any
 * more are freed (the driver's through @FreeMdlHandler).
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_PARAMETER: more than DataLength.
 */
VOID NdisAdvanceNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, BOOLEAN FreeMdl,
				   NET_BUFFER_FREE_MDL *FreeMdlHandler)
{
	ndis_ddi_enter(NDIS6_DDI_DATA_START, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!NetBuffer)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NULL, 0, NDIS6_DDI_DATA_START,
		    "NdisAdvanceNetBufferDataStart: NetBuffer is NULL");
	nb_advance(NetBuffer, DataOffsetDelta, FreeMdl, FreeMdlHandler);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisRetreatNetBufferListDataStart() - NdisRetreatNetBufferDataStart on
 * every NET_BUFFER; on a failure the ones done are advanced back (their
 * new MDLs freed, the driver's through @FreeMdlHandler).
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: as NdisRetreatNetBufferDataStart.
 */
NDIS_STATUS NdisRetreatNetBufferListDataStart(PNET_BUFFER_LIST NetBufferList, ULONG DataOffsetDelta,
					      ULONG DataBackFill,
					      NET_BUFFER_ALLOCATE_MDL *AllocateMdlHandler,
					      NET_BUFFER_FREE_MDL *FreeMdlHandler)
{
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;
	PNET_BUFFER nb, undo;

	ndis_ddi_enter(NDIS6_DDI_DATA_START, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!NetBufferList)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NULL, 0, NDIS6_DDI_DATA_START,
		    "NdisRetreatNetBufferListDataStart: NetBufferList is NULL");
	for (nb = NetBufferList->FirstNetBuffer; nb; nb = nb->Next) {
		st = nb_retreat(nb, DataOffsetDelta, DataBackFill, AllocateMdlHandler);
		if (st != NDIS_STATUS_SUCCESS)
			break;
	}
	if (st != NDIS_STATUS_SUCCESS)
		for (undo = NetBufferList->FirstNetBuffer; undo != nb; undo = undo->Next)
			nb_advance(undo, DataOffsetDelta, TRUE, FreeMdlHandler);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return st;
}

/**
 * NdisAdvanceNetBufferListDataStart() - NdisAdvanceNetBufferDataStart on
 * every NET_BUFFER of the NBL.
 * Context: IRQL <= DISPATCH_LEVEL.
 */
VOID NdisAdvanceNetBufferListDataStart(PNET_BUFFER_LIST NetBufferList, ULONG DataOffsetDelta,
				       BOOLEAN FreeMdl, NET_BUFFER_FREE_MDL *FreeMdlMdlHandler)
{
	ndis_ddi_enter(NDIS6_DDI_DATA_START, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!NetBufferList)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NULL, 0, NDIS6_DDI_DATA_START,
		    "NdisAdvanceNetBufferListDataStart: NetBufferList is NULL");
	for (PNET_BUFFER nb = NetBufferList->FirstNetBuffer; nb; nb = nb->Next)
		nb_advance(nb, DataOffsetDelta, FreeMdl, FreeMdlMdlHandler);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisAdjustNetBufferCurrentMdl() - CurrentMdl and CurrentMdlOffset
 * recomputed from DataOffset.
 * Context: any IRQL.
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_FAILURE when the MDL chain is
 * shorter than DataOffset.
 */
NDIS_STATUS NdisAdjustNetBufferCurrentMdl(PNET_BUFFER NetBuffer)
{
	ULONG total = 0;

	for (PMDL m = NetBuffer->MdlChain; m; m = m->Next)
		total += m->ByteCount;
	if (NetBuffer->DataOffset > total)
		return NDIS_STATUS_FAILURE;
	nb_seek(NetBuffer);
	return NDIS_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- copies */

/* The MDL and offset @off bytes past @nb's current data (NULL: past the chain). */
static PMDL nb_at(PNET_BUFFER nb, ULONG off, ULONG *in_mdl)
{
	PMDL m = nb->CurrentMdl;

	off += nb->CurrentMdlOffset;
	while (m && off >= m->ByteCount) {
		off -= m->ByteCount;
		m = m->Next;
	}
	*in_mdl = off;
	return m;
}

/**
 * NdisCopyFromNetBufferToNetBuffer() - Copy up to @BytesToCopy bytes from
 * @SourceOffset past @Source's current data to @DestinationOffset past
 * @Destination's; stops when the source's data (DataLength) or the
 * destination's MDL chain ends. @Destination's fields are not changed.
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: NDIS_STATUS_SUCCESS, *@BytesCopied the bytes copied.
 */
NDIS_STATUS NdisCopyFromNetBufferToNetBuffer(PNET_BUFFER Destination, ULONG DestinationOffset,
					     ULONG BytesToCopy, PNET_BUFFER Source,
					     ULONG SourceOffset, PULONG BytesCopied)
{
	ULONG doff, soff, done = 0;
	PMDL d, s;

	ndis_ddi_enter(NDIS6_DDI_COPY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!Destination || !Source || !BytesCopied)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, Destination, (uintptr_t)Source, NDIS6_DDI_COPY,
		    "NdisCopyFromNetBufferToNetBuffer: a NULL parameter");
	if (SourceOffset >= Source->DataLength)
		BytesToCopy = 0;
	else if (BytesToCopy > Source->DataLength - SourceOffset)
		BytesToCopy = Source->DataLength - SourceOffset;
	d = nb_at(Destination, DestinationOffset, &doff);
	s = nb_at(Source, SourceOffset, &soff);
	while (done < BytesToCopy && d && s) {
		ULONG n = BytesToCopy - done;

		if (n > d->ByteCount - doff)
			n = d->ByteCount - doff;
		if (n > s->ByteCount - soff)
			n = s->ByteCount - soff;
		memmove((uint8_t *)d->MappedSystemVa + doff, (uint8_t *)s->MappedSystemVa + soff,
			n);
		done += n;
		doff += n;
		soff += n;
		if (doff == d->ByteCount) {
			d = d->Next;
			doff = 0;
		}
		if (soff == s->ByteCount) {
			s = s->Next;
			soff = 0;
		}
	}
	*BytesCopied = done;
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

static const NDIS_NET_BUFFER_LIST_INFO send_info[] = {
    TcpIpChecksumNetBufferListInfo,
    IPsecOffloadV1NetBufferListInfo,
    TcpLargeSendNetBufferListInfo,
    Ieee8021QNetBufferListInfo,
    MediaSpecificInformation,
    NetBufferListCancelId,
    NetBufferListProtocolId,
    IPsecOffloadV2TunnelNetBufferListInfo,
    IPsecOffloadV2HeaderNetBufferListInfo,
    NetBufferListFilteringInfo,
};

static const NDIS_NET_BUFFER_LIST_INFO receive_info[] = {
    TcpIpChecksumNetBufferListInfo,
    IPsecOffloadV1NetBufferListInfo,
    TcpReceiveNoPush,
    Ieee8021QNetBufferListInfo,
    MediaSpecificInformation,
    NetBufferListFrameType,
    NetBufferListHashValue,
    NetBufferListHashInfo,
    IPsecOffloadV2TunnelNetBufferListInfo,
    IPsecOffloadV2HeaderNetBufferListInfo,
    NetBufferListFilteringInfo,
};

static NDIS_STATUS copy_info(PNET_BUFFER_LIST dst, PNET_BUFFER_LIST src,
			     const NDIS_NET_BUFFER_LIST_INFO *ids, size_t n)
{
	ndis_ddi_enter(NDIS6_DDI_COPY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!dst || !src)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, dst, (uintptr_t)src, NDIS6_DDI_COPY,
		    "NdisCopy{Send,Receive}NetBufferListInfo: a NULL NBL");
	for (size_t i = 0; i < n; i++)
		NET_BUFFER_LIST_INFO(dst, ids[i]) = NET_BUFFER_LIST_INFO(src, ids[i]);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

/**
 * NdisCopySendNetBufferListInfo() - The send-path NetBufferListInfo slots
 * (checksum, IPsec v1/v2, LSO, 802.1Q, media-specific, cancel id, protocol
 * id, filtering) from @SrcNetBufferList to @DestNetBufferList.
 * Context: IRQL <= DISPATCH_LEVEL. Return: NDIS_STATUS_SUCCESS.
 */
NDIS_STATUS NdisCopySendNetBufferListInfo(PNET_BUFFER_LIST DestNetBufferList,
					  PNET_BUFFER_LIST SrcNetBufferList)
{
	return copy_info(DestNetBufferList, SrcNetBufferList, send_info,
			 sizeof(send_info) / sizeof(send_info[0]));
}

/**
 * NdisCopyReceiveNetBufferListInfo() - The receive-path slots (checksum,
 * IPsec v1/v2, no-push, 802.1Q, media-specific, frame type, RSS hash value
 * and info, filtering).
 * Context: IRQL <= DISPATCH_LEVEL. Return: NDIS_STATUS_SUCCESS.
 */
NDIS_STATUS NdisCopyReceiveNetBufferListInfo(PNET_BUFFER_LIST DestNetBufferList,
					     PNET_BUFFER_LIST SrcNetBufferList)
{
	return copy_info(DestNetBufferList, SrcNetBufferList, receive_info,
			 sizeof(receive_info) / sizeof(receive_info[0]));
}

/* ------------------------------------- clones, fragments, reassembled */

/* A runtime MDL describing @len bytes at @va, owned by @b (freed with it). */
static PMDL own_mdl(struct host_nb *b, void *va, ULONG len)
{
	struct host_mdl *hm = host_zalloc(sizeof(*hm));

	if (!hm)
		return NULL;
	host_mdl_init(hm, va, len);
	hm->pad = (uint64_t)(uintptr_t)b->own_mdls; /* the owner's list */
	b->own_mdls = &hm->mdl;
	return &hm->mdl;
}

/*
 * Append to @b's chain (*@tail) MDLs describing @len bytes at @off past
 * @src's current data. Return: false (no memory, or @src is shorter).
 */
static bool describe(struct host_nb *b, PMDL **tail, PNET_BUFFER src, ULONG off, ULONG len)
{
	ULONG in;
	PMDL s = nb_at(src, off, &in);

	while (len) {
		ULONG n;
		PMDL m;

		if (!s)
			return false;
		n = s->ByteCount - in < len ? s->ByteCount - in : len;
		m = own_mdl(b, (uint8_t *)s->MappedSystemVa + in, n);
		if (!m)
			return false;
		**tail = m;
		*tail = &m->Next;
		len -= n;
		s = s->Next;
		in = 0;
	}
	return true;
}

static void nbl_free_derived(PNET_BUFFER_LIST nbl, ULONG delta, PVOID kind, const char *what,
			     unsigned ddi)
{
	struct host_nbl *b;
	PNET_BUFFER nb, next;

	if (!nbl)
		bad(NDISRT_VIOLATION_BAD_OBJECT, NULL, 0, ddi, what);
	b = container_of(nbl, struct host_nbl, nbl);
	if (b->magic == HOST_NBL_FREED)
		bad(NDISRT_VIOLATION_DOUBLE_FREE, nbl, 0, ddi, what);
	if (b->magic != HOST_NBL_MAGIC || nbl->NdisReserved[1] != kind)
		bad(NDISRT_VIOLATION_BAD_OBJECT, nbl, 0, ddi, what);
	for (nb = nbl->FirstNetBuffer; nb; nb = next) {
		next = nb->Next;
		if (delta)
			nb_advance(nb, delta, TRUE, NULL);
		nb_free(host_nb_of(nb, ddi));
	}
	nbl_free_bare(b);
}

static PNET_BUFFER_LIST derived_fail(struct host_nbl *b)
{
	PNET_BUFFER nb, next;

	if (!b)
		return NULL;
	for (nb = b->nbl.FirstNetBuffer; nb; nb = next) {
		next = nb->Next;
		nb_free(container_of(nb, struct host_nb, nb));
	}
	nbl_free_bare(b);
	return NULL;
}

/**
 * NdisAllocateCloneNetBufferList() - An NBL whose NET_BUFFERs describe the
 * used data of @Original (OriginalNetBufferList)'s (no data copied): through the
 * original MDLs with NDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS, else through new
 * MDLs starting at each one's current data. ParentNetBufferList is the
 * original; no context; NetBufferListInfo is not copied (the caller uses
 * NdisCopySendNetBufferListInfo).
 * Context: IRQL <= DISPATCH_LEVEL. Pools NULL: the runtime's own.
 * Return: the clone (free it with NdisFreeCloneNetBufferList), or NULL.
 */
PNET_BUFFER_LIST NdisAllocateCloneNetBufferList(PNET_BUFFER_LIST Original,
						NDIS_HANDLE NetBufferListPoolHandle,
						NDIS_HANDLE NetBufferPoolHandle,
						ULONG AllocateCloneFlags)
{
	struct host_pool *lp;
	struct host_nb_pool *bp;
	struct host_nbl *c;
	PNET_BUFFER *link, nb;

	ndis_ddi_enter(NDIS6_DDI_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!Original)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NULL, 0, NDIS6_DDI_NBL,
		    "NdisAllocateCloneNetBufferList: OriginalNetBufferList is NULL");
	lp = nbl_pool_of(NetBufferListPoolHandle, NDIS6_DDI_NBL);
	bp = nb_pool_of(NetBufferPoolHandle, NDIS6_DDI_NBL);
	c = nbl_alloc_bare(lp, 0, 0);
	if (!c)
		goto out;
	c->nbl.NdisReserved[1] = HOST_NBL_KIND_CLONE;
	c->nbl.ParentNetBufferList = Original;
	link = &c->nbl.FirstNetBuffer;
	for (nb = Original->FirstNetBuffer; nb; nb = nb->Next) {
		struct host_nb *n = nb_alloc(bp, 0);
		PMDL *tail;

		if (!n) {
			c = (struct host_nbl *)derived_fail(c);
			goto out;
		}
		*link = &n->nb;
		link = &n->nb.Next;
		if (AllocateCloneFlags & NDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS) {
			n->nb.MdlChain = nb->MdlChain;
			n->nb.DataOffset = nb->DataOffset;
		} else {
			tail = &n->nb.MdlChain;
			if (!describe(n, &tail, nb, 0, nb->DataLength)) {
				c = (struct host_nbl *)derived_fail(c);
				goto out;
			}
		}
		n->nb.DataLength = nb->DataLength;
		nb_seek(&n->nb);
	}
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
	return c ? &c->nbl : NULL;
}

/**
 * NdisFreeCloneNetBufferList() - Free a clone, its NET_BUFFERs and the MDLs
 * made for it.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT (not a clone), DOUBLE_FREE.
 */
VOID NdisFreeCloneNetBufferList(PNET_BUFFER_LIST CloneNetBufferList, ULONG FreeCloneFlags)
{
	(void)FreeCloneFlags;
	ndis_ddi_enter(NDIS6_DDI_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	nbl_free_derived(CloneNetBufferList, 0, HOST_NBL_KIND_CLONE,
			 "NdisFreeCloneNetBufferList: not a live NBL of "
			 "NdisAllocateCloneNetBufferList",
			 NDIS6_DDI_NBL);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisAllocateFragmentNetBufferList() - An NBL whose NET_BUFFERs cut the
 * used data of each of @Original's, from @StartOffset on, into
 * pieces of at most @MaximumLength bytes (new MDLs over the same memory),
 * each then retreated by @DataOffsetDelta (@DataBackFill more if memory
 * must be allocated).
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: the fragment NBL (free it with NdisFreeFragmentNetBufferList),
 * or NULL (@MaximumLength 0, a NET_BUFFER shorter than @StartOffset, no memory).
 */
PNET_BUFFER_LIST NdisAllocateFragmentNetBufferList(PNET_BUFFER_LIST Original,
						   NDIS_HANDLE NetBufferListPool,
						   NDIS_HANDLE NetBufferPool, ULONG StartOffset,
						   ULONG MaximumLength, ULONG DataOffsetDelta,
						   ULONG DataBackFill, ULONG AllocateFragmentFlags)
{
	struct host_pool *lp;
	struct host_nb_pool *bp;
	struct host_nbl *f = NULL;
	PNET_BUFFER *link, nb;

	(void)AllocateFragmentFlags;
	ndis_ddi_enter(NDIS6_DDI_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!Original)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NULL, 0, NDIS6_DDI_NBL,
		    "NdisAllocateFragmentNetBufferList: OriginalNetBufferList is NULL");
	lp = nbl_pool_of(NetBufferListPool, NDIS6_DDI_NBL);
	bp = nb_pool_of(NetBufferPool, NDIS6_DDI_NBL);
	if (!MaximumLength)
		goto out;
	for (nb = Original->FirstNetBuffer; nb; nb = nb->Next)
		if (nb->DataLength < StartOffset)
			goto out;
	f = nbl_alloc_bare(lp, 0, 0);
	if (!f)
		goto out;
	f->nbl.NdisReserved[1] = HOST_NBL_KIND_FRAGMENT;
	f->nbl.ParentNetBufferList = Original;
	link = &f->nbl.FirstNetBuffer;
	for (nb = Original->FirstNetBuffer; nb; nb = nb->Next) {
		for (ULONG off = StartOffset; off < nb->DataLength; off += MaximumLength) {
			ULONG len = nb->DataLength - off < MaximumLength ? nb->DataLength - off
									 : MaximumLength;
			struct host_nb *n = nb_alloc(bp, 0);
			PMDL *tail;

			if (!n) {
				f = (struct host_nbl *)derived_fail(f);
				goto out;
			}
			*link = &n->nb;
			link = &n->nb.Next;
			tail = &n->nb.MdlChain;
			n->nb.DataLength = len;
			if (!describe(n, &tail, nb, off, len) ||
			    nb_retreat(&n->nb, DataOffsetDelta, DataBackFill, NULL) !=
				NDIS_STATUS_SUCCESS) {
				f = (struct host_nbl *)derived_fail(f);
				goto out;
			}
			nb_seek(&n->nb);
		}
	}
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
	return f ? &f->nbl : NULL;
}

/**
 * NdisFreeFragmentNetBufferList() - Advance each NET_BUFFER by
 * @DataOffsetDelta (freeing what the allocation's retreat added), then free
 * the fragment NBL, its NET_BUFFERs and MDLs.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT (not a fragment NBL), DOUBLE_FREE.
 */
VOID NdisFreeFragmentNetBufferList(PNET_BUFFER_LIST FragmentNetBufferList, ULONG DataOffsetDelta,
				   ULONG FreeFragmentFlags)
{
	(void)FreeFragmentFlags;
	ndis_ddi_enter(NDIS6_DDI_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	nbl_free_derived(FragmentNetBufferList, DataOffsetDelta, HOST_NBL_KIND_FRAGMENT,
			 "NdisFreeFragmentNetBufferList: not a live NBL of "
			 "NdisAllocateFragmentNetBufferList",
			 NDIS6_DDI_NBL);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisAllocateReassembledNetBufferList() - An NBL with one NET_BUFFER whose
 * MDL chain describes, in order, the used data of every NET_BUFFER of
 * @FragmentNetBufferList past its first @StartOffset bytes; then retreated
 * by @DataOffsetDelta (@DataBackFill more if memory must be allocated).
 * @NetBufferAndNetBufferListPoolHandle: an NBL pool (NULL: the runtime's).
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: the NBL (free it with NdisFreeReassembledNetBufferList) or NULL.
 */
PNET_BUFFER_LIST NdisAllocateReassembledNetBufferList(
    PNET_BUFFER_LIST FragmentNetBufferList, NDIS_HANDLE NetBufferAndNetBufferListPoolHandle,
    ULONG StartOffset, ULONG DataOffsetDelta, ULONG DataBackFill, ULONG AllocateReassembleFlags)
{
	struct host_pool *lp;
	struct host_nbl *r = NULL;
	struct host_nb *n;
	PNET_BUFFER nb;
	PMDL *tail;

	(void)AllocateReassembleFlags;
	ndis_ddi_enter(NDIS6_DDI_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!FragmentNetBufferList)
		bad(NDISRT_VIOLATION_BAD_PARAMETER, NULL, 0, NDIS6_DDI_NBL,
		    "NdisAllocateReassembledNetBufferList: FragmentNetBufferList is NULL");
	lp = nbl_pool_of(NetBufferAndNetBufferListPoolHandle, NDIS6_DDI_NBL);
	for (nb = FragmentNetBufferList->FirstNetBuffer; nb; nb = nb->Next)
		if (nb->DataLength < StartOffset)
			goto out;
	r = nbl_alloc_bare(lp, 0, 0);
	if (!r)
		goto out;
	r->nbl.NdisReserved[1] = HOST_NBL_KIND_REASSEMBLED;
	r->nbl.ParentNetBufferList = FragmentNetBufferList;
	n = nb_alloc(&internal_nb_pool, 0);
	if (!n) {
		r = (struct host_nbl *)derived_fail(r);
		goto out;
	}
	r->nbl.FirstNetBuffer = &n->nb;
	tail = &n->nb.MdlChain;
	for (nb = FragmentNetBufferList->FirstNetBuffer; nb; nb = nb->Next) {
		if (!describe(n, &tail, nb, StartOffset, nb->DataLength - StartOffset)) {
			r = (struct host_nbl *)derived_fail(r);
			goto out;
		}
		n->nb.DataLength += nb->DataLength - StartOffset;
	}
	if (nb_retreat(&n->nb, DataOffsetDelta, DataBackFill, NULL) != NDIS_STATUS_SUCCESS) {
		r = (struct host_nbl *)derived_fail(r);
		goto out;
	}
	nb_seek(&n->nb);
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
	return r ? &r->nbl : NULL;
}

/**
 * NdisFreeReassembledNetBufferList() - Advance by @DataOffsetDelta, then
 * free the reassembled NBL, its NET_BUFFER and MDLs.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT, DOUBLE_FREE.
 */
VOID NdisFreeReassembledNetBufferList(PNET_BUFFER_LIST ReassembledNetBufferList,
				      ULONG DataOffsetDelta, ULONG FreeReassembleFlags)
{
	(void)FreeReassembleFlags;
	ndis_ddi_enter(NDIS6_DDI_NBL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	nbl_free_derived(ReassembledNetBufferList, DataOffsetDelta, HOST_NBL_KIND_REASSEMBLED,
			 "NdisFreeReassembledNetBufferList: not a live NBL of "
			 "NdisAllocateReassembledNetBufferList",
			 NDIS6_DDI_NBL);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
