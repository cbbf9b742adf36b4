/* SPDX-License-Identifier: MIT */
/*
 * ndis/nbl_internal.h - private to ndis/nbl.c and ndis/nbl6.c: the runtime's
 * wrappers around MDLs, NBL pools and NBLs, shared by the NBL pool DDIs
 * (nbl.c) and the NET_BUFFER pool, clone, fragment, context and data-start
 * DDIs (nbl6.c).
 */
#ifndef NDISRT_NDIS_NBL_INTERNAL_H
#define NDISRT_NDIS_NBL_INTERNAL_H

#include "ndis/host_internal.h"

#include <string.h>

#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

/* An MDL the runtime allocated (NdisAllocateMdl, pool data, clones). */
struct host_mdl {
	uint64_t magic; /* HOST_MDL_MAGIC, HOST_MDL_FREED */
	uint64_t pad;
	MDL mdl;
};

static inline void host_mdl_init(struct host_mdl *hm, void *va, ULONG len)
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

/* An NBL pool (NdisAllocateNetBufferListPool). */
struct host_pool {
	uint64_t magic;	      /* HOST_POOL_MAGIC */
	struct ndisrt_nic *n; /* charged to (NULL: the driver handle or none) */
	NET_BUFFER_LIST_POOL_PARAMETERS params;
	atomic_long live; /* NBLs allocated and not freed */
};

/*
 * An NBL of a pool, with its NET_BUFFER, context and data (if the pool has
 * them). nbl.NdisReserved[1] is NULL for an NBL NdisFreeNetBufferList frees,
 * else the HOST_NBL_KIND_* of nbl6.c (clone, fragment, reassembled).
 */
struct host_nbl {
	uint64_t magic; /* HOST_NBL_MAGIC, HOST_NBL_FREED */
	struct host_pool *pool;
	NET_BUFFER_LIST nbl;
	NET_BUFFER nb;
	struct host_mdl data_mdl; /* pool DataSize > 0 */
				  /* then: context (ContextSize + backfill), then data */
};

#endif /* NDISRT_NDIS_NBL_INTERNAL_H */
