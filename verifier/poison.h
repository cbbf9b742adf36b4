/* SPDX-License-Identifier: MIT */
/*
 * verifier/poison.h - driver memory poisoned and quarantined on free (rule
 * H7, docs/verifier.md).
 *
 * While the verifier is on, hosting takes a driver's pool allocations
 * (NdisAllocateMemoryWithTag[Priority]) from here: each is a mapping of its
 * own. Freeing one fills it with POISON_FREE, then makes it inaccessible
 * (PROT_NONE) and keeps it mapped in a quarantine of the last
 * VFY_POISON_QUARANTINE frees, so that a DPC or ISR that touches memory
 * halt already freed faults - a certain bug check by the containment, not
 * luck - and ndisrt itself can ask whether an address lies in freed memory
 * before it reads it (vfy_poison_quarantined()).
 */
#ifndef NDISRT_VERIFIER_POISON_H
#define NDISRT_VERIFIER_POISON_H

#include <stdbool.h>
#include <stddef.h>

#define VFY_POISON_FREE 0x6Bu	   /* the byte freed memory is filled with */
#define VFY_POISON_QUARANTINE 256u /* frees kept inaccessible (the oldest is unmapped) */

/**
 * vfy_poison_alloc() - @len bytes, page-aligned, in a mapping of their own;
 * *@maplen receives the mapping's length (give it back to the free).
 * Context: IRQL <= DISPATCH_LEVEL. Return: the memory (zeroed), or NULL.
 */
void *vfy_poison_alloc(size_t len, size_t *maplen);

/**
 * vfy_poison_free() - Poison, protect and quarantine what vfy_poison_alloc
 * returned. Context: IRQL <= DISPATCH_LEVEL.
 */
void vfy_poison_free(void *p, size_t maplen);

/**
 * vfy_poison_quarantined() - Whether @p lies in freed, quarantined memory.
 * Context: any; lock-free, async-signal-safe.
 */
bool vfy_poison_quarantined(const void *p);

/*
 * Shared memory (NdisMAllocateSharedMemory, NDIS 5 and 6) the same way: the
 * CPU view of each allocation is a mapping of its own, remembered here from
 * allocation to free so the free needs only the address. On free it is
 * poisoned and quarantined like pool memory, so a DPC or ISR that still
 * reads a freed ring faults. At most VFY_POISON_SHARED_LIVE allocations are
 * poisoned at once; beyond that vfy_poison_shared_alloc() says no and the
 * caller allocates ordinary memory.
 */
#define VFY_POISON_SHARED_LIVE 1024u

/**
 * vfy_poison_shared_alloc() - @len zeroed bytes, page-aligned, in a mapping
 * of their own, remembered until vfy_poison_shared_free().
 * Context: IRQL <= DISPATCH_LEVEL. Return: the memory, or NULL.
 */
void *vfy_poison_shared_alloc(size_t len);

/**
 * vfy_poison_shared_free() - If @p is what vfy_poison_shared_alloc()
 * returned, poison, protect and quarantine it and return true; otherwise
 * (ordinary memory) false. Context: IRQL <= DISPATCH_LEVEL.
 */
bool vfy_poison_shared_free(void *p);

#endif /* NDISRT_VERIFIER_POISON_H */
