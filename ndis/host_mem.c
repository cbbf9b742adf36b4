/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_mem.c - pool memory (NdisAllocateMemoryWithTagPriority, the
 * NDIS 5 NdisAllocateMemoryWithTag, NdisFreeMemory) and
 * KeGetProcessorIndexFromNumber. (Spin locks, processor counts and
 * NdisStallExecution: ndis/lock.c.)
 *
 * Every allocation carries a header (magic, tag, length, owner), so a free
 * of something that is not an allocation, a double free and memory still
 * allocated when the adapter halts (or the driver unloads) are bug checks
 * naming the address, not heap corruption. With the verifier on, each
 * allocation is a mapping of its own, poisoned and made inaccessible on free
 * and kept in quarantine (verifier/poison.h), so that touching it after the
 * free faults (rule H7).
 */
#include "ndis/host_internal.h"
#include "verifier/race.h"
#include "verifier/poison.h"
#include "verifier/vfy.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * 64 bytes, 64-aligned: the caller's memory is aligned to a cache line, more
 * than Windows' pool promises (MEMORY_ALLOCATION_ALIGNMENT, 16). Drivers embed
 * WDK structures declared DECLSPEC_CACHEALIGN (NPAGED_LOOKASIDE_LIST) in pool
 * memory; MSVC never checks that alignment, but ndisrt's own code reads those
 * structures through their declared type, so they must have it (UBSan).
 */
#define HOST_MEM_ALIGN 64
struct __attribute__((aligned(HOST_MEM_ALIGN))) host_mem_hdr {
	uint32_t magic; /* HOST_MEM_MAGIC, HOST_MEM_FREED once freed */
	uint32_t tag;
	uint32_t len;
	uint32_t poisoned;	  /* 1: from verifier/poison.c (a mapping of @maplen bytes) */
	struct host_owner *owner; /* NULL: an adapter no NIC hosts (ndis/ tests) */
	uint64_t maplen;
};

_Static_assert(sizeof(struct host_mem_hdr) == HOST_MEM_ALIGN, "a cache line");
_Static_assert(HOST_MEM_ALIGN % MEMORY_ALLOCATION_ALIGNMENT == 0, "alignment");

/* The account @NdisHandle charges: the driver's or the NIC's. */
static struct host_owner *mem_owner(NDIS_HANDLE h, unsigned ddi)
{
	struct ndisrt_driver *d = host_driver_from_handle(h);
	enum ndis_lookup_error err;
	struct ndisrt_adapter *a;
	struct ndisrt_nic *n;

	if (d)
		return &d->mem;
	a = ndis_handle_lookup(h, NDIS_HT_ADAPTER, &err);
	if (!a)
		ndisrt_violation(
		    err == NDIS_LOOKUP_STALE ? NDISRT_VIOLATION_STALE_HANDLE
					     : NDISRT_VIOLATION_BAD_HANDLE,
		    (uintptr_t)h, NDIS_HT_ADAPTER, ddi,
		    "NdisHandle is neither the driver handle nor a MiniportAdapterHandle");
	n = host_nic_of_adapter(a);
	return n ? &n->mem : NULL;
}

/* An allocation with its header, charged to @owner (may be NULL). Context: <= DISPATCH_LEVEL. */
static void *mem_alloc(struct host_owner *owner, UINT Length, ULONG Tag)
{
	struct host_mem_hdr *hdr;
	ke_irql_t old;

	if (Length == 0 || Length > (1u << 30))
		return NULL;
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	if (vfy_active) {
		/* Poisoned and quarantined on free (rule H7, verifier/poison.h). */
		size_t maplen = 0;

		hdr = vfy_poison_alloc(sizeof(*hdr) + Length, &maplen);
		if (hdr) {
			hdr->poisoned = 1;
			hdr->maplen = maplen;
		}
	} else {
		hdr = aligned_alloc(HOST_MEM_ALIGN, (sizeof(*hdr) + Length + HOST_MEM_ALIGN - 1) &
							~(size_t)(HOST_MEM_ALIGN - 1));
		if (hdr)
			hdr->poisoned = 0;
	}
	ke_irql_lower(old);
	if (!hdr)
		return NULL;
	hdr->magic = HOST_MEM_MAGIC;
	hdr->tag = Tag;
	hdr->len = Length;
	hdr->owner = owner;
	if (owner) {
		atomic_fetch_add(&owner->allocs, 1);
		atomic_fetch_add(&owner->bytes, Length);
	}
	/* Whoever freed this address last did so before (race detector). */
	vfy_race_acquire(hdr + 1);
	return hdr + 1;
}

/**
 * NdisAllocateMemoryWithTagPriority() - Pool memory.
 * @NdisHandle: the driver handle or a MiniportAdapterHandle (bug check
 *	0xC4 BAD_HANDLE otherwise); the allocation is charged to it.
 * @Length: bytes (0: NULL).
 * @Tag, @Priority: recorded / ignored.
 *
 * Context: IRQL <= DISPATCH_LEVEL (bug check 0xC4 IRQL). Allocates at
 * DISPATCH_LEVEL. The memory is not zeroed.
 * Return: MEMORY_ALLOCATION_ALIGNMENT-aligned memory, or NULL.
 */
PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
					EX_POOL_PRIORITY Priority)
{
	struct host_owner *owner;
	void *p;

	(void)Priority;
	ndis_ddi_enter(NDISRT_DDI_ALLOCATE_MEMORY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	owner = mem_owner(NdisHandle, NDISRT_DDI_ALLOCATE_MEMORY);
	p = mem_alloc(owner, Length, Tag);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return p;
}

/**
 * NdisAllocateMemoryWithTag() - Pool memory, the NDIS 5 form: no handle,
 * so charged to no adapter (not in the halt and unload leak checks).
 * @VirtualAddress: receives the memory, or NULL.
 * @Length: bytes (0: failure). @Tag: recorded.
 *
 * Context: IRQL <= DISPATCH_LEVEL (bug check 0xC4 IRQL). Not zeroed.
 * Return: NDIS_STATUS_SUCCESS, or NDIS_STATUS_FAILURE.
 */
NDIS_STATUS NdisAllocateMemoryWithTag(PVOID *VirtualAddress, UINT Length, ULONG Tag)
{
	ndis_ddi_enter(NDISRT_DDI_ALLOCATE_MEMORY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!VirtualAddress)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, Length,
				 NDISRT_DDI_ALLOCATE_MEMORY,
				 "NdisAllocateMemoryWithTag: VirtualAddress is NULL");
	*VirtualAddress = mem_alloc(NULL, Length, Tag);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return *VirtualAddress ? NDIS_STATUS_SUCCESS : NDIS_STATUS_FAILURE;
}

/**
 * NdisFreeMemory() - Free NdisAllocateMemoryWithTag[Priority] memory.
 * @Length: 0, or the length allocated. @MemoryFlags: 0.
 * Context: IRQL <= DISPATCH_LEVEL. Bug check 0xC4: BAD_OBJECT (not an
 * allocation), DOUBLE_FREE, BAD_PARAMETER (wrong length or flags).
 */
VOID NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags)
{
	struct host_mem_hdr *hdr;
	struct host_owner *owner;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_DDI_FREE_MEMORY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!VirtualAddress || ((uintptr_t)VirtualAddress % MEMORY_ALLOCATION_ALIGNMENT))
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)VirtualAddress, 0,
		    NDISRT_DDI_FREE_MEMORY,
		    "NdisFreeMemory: not memory NdisAllocateMemoryWithTag[Priority] returned");
	hdr = (struct host_mem_hdr *)VirtualAddress - 1;
	/* Quarantined memory is not readable: ask before looking at the header. */
	if (vfy_active && vfy_poison_quarantined(hdr))
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)VirtualAddress, 0,
				 NDISRT_DDI_FREE_MEMORY, "NdisFreeMemory: memory freed twice");
	if (hdr->magic == HOST_MEM_FREED)
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)VirtualAddress, hdr->tag,
				 NDISRT_DDI_FREE_MEMORY, "NdisFreeMemory: memory freed twice");
	if (hdr->magic != HOST_MEM_MAGIC)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)VirtualAddress, 0,
		    NDISRT_DDI_FREE_MEMORY,
		    "NdisFreeMemory: not memory NdisAllocateMemoryWithTag[Priority] returned "
		    "(or its header was overwritten)");
	if ((Length && Length != hdr->len) || MemoryFlags)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)VirtualAddress, Length,
				 NDISRT_DDI_FREE_MEMORY,
				 "NdisFreeMemory: Length must be 0 or the length allocated, and "
				 "MemoryFlags 0, for NdisAllocateMemoryWithTag[Priority] memory");
	owner = hdr->owner;
	if (owner) {
		atomic_fetch_sub(&owner->allocs, 1);
		atomic_fetch_sub(&owner->bytes, hdr->len);
	}
	hdr->magic = HOST_MEM_FREED;
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	vfy_race_release(VirtualAddress);
	if (hdr->poisoned)
		vfy_poison_free(hdr, hdr->maplen);
	else
		free(hdr);
	ke_irql_lower(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* @VirtualAddress's allocation has @Tag (and, with @h, is charged to @h). */
static void check_tag(PVOID VirtualAddress, ULONG Tag, NDIS_HANDLE h, bool by_handle,
		      const char *what)
{
	struct host_mem_hdr *hdr = (struct host_mem_hdr *)VirtualAddress - 1;

	if (!VirtualAddress || ((uintptr_t)VirtualAddress % MEMORY_ALLOCATION_ALIGNMENT) ||
	    (vfy_active && vfy_poison_quarantined(hdr)) || hdr->magic != HOST_MEM_MAGIC)
		return; /* NdisFreeMemory reports it */
	if (hdr->tag != Tag)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)VirtualAddress, Tag,
				 NDISRT_DDI_FREE_MEMORY, what);
	if (by_handle && mem_owner(h, NDISRT_DDI_FREE_MEMORY) != hdr->owner)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)VirtualAddress,
				 (uintptr_t)h, NDISRT_DDI_FREE_MEMORY,
				 "NdisFreeMemoryWithTagPriority: NdisHandle is not the handle the "
				 "memory was allocated with (parameter 3)");
}

/**
 * NdisFreeMemoryWithTag() - Free NdisAllocateMemoryWithTag[Priority] memory
 * allocated with @Tag.
 * Context: IRQL <= DISPATCH_LEVEL. Bug check 0xC4 BAD_PARAMETER (another
 * tag: parameter 3), else as NdisFreeMemory.
 */
VOID NdisFreeMemoryWithTag(PVOID VirtualAddress, ULONG Tag)
{
	ndis_ddi_enter(NDISRT_DDI_FREE_MEMORY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	check_tag(VirtualAddress, Tag, NULL, false,
		  "NdisFreeMemoryWithTag: the memory was allocated with another tag (parameter 3: "
		  "the tag given)");
	NdisFreeMemory(VirtualAddress, 0, 0);
}

/**
 * NdisFreeMemoryWithTagPriority() - Free NdisAllocateMemoryWithTagPriority
 * memory allocated through @NdisHandle with @Tag.
 * Context: IRQL <= DISPATCH_LEVEL. Bug check 0xC4 BAD_PARAMETER (another
 * tag or handle), else as NdisFreeMemory.
 */
VOID NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag)
{
	ndis_ddi_enter(NDISRT_DDI_FREE_MEMORY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	check_tag(VirtualAddress, Tag, NdisHandle, true,
		  "NdisFreeMemoryWithTagPriority: the memory was allocated with another tag "
		  "(parameter 3: the tag given)");
	NdisFreeMemory(VirtualAddress, 0, 0);
}

/* ---------------------------------------------------------- processors */

/**
 * KeGetProcessorIndexFromNumber() - System-wide index of a processor.
 * Group 0 only (a machine has at most 64 vCPUs); index = Number.
 * Context: any IRQL, on a vCPU.
 * Return: the index, or INVALID_PROCESSOR_INDEX for a processor that does not exist.
 */
ULONG KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber)
{
	struct ke_machine *m;
	ULONG idx = INVALID_PROCESSOR_INDEX;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDISRT_DDI_PROCESSOR_INDEX);
	if (!ProcNumber)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDISRT_DDI_PROCESSOR_INDEX,
				 "KeGetProcessorIndexFromNumber: ProcNumber is NULL");
	m = ke_current_machine();
	if (ProcNumber->Group == 0 && ProcNumber->Number < ke_machine_vcpu_count(m))
		idx = ProcNumber->Number;
	ke_preempt_point(KE_PP_DDI_EXIT);
	return idx;
}
