/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/dma.c - bus-master DMA for NDIS 5 miniports:
 * NdisMInitializeScatterGatherDma (NDIS 5.1) and the NDIS 5 side of
 * NdisMAllocateSharedMemory / NdisMFreeSharedMemory.
 *
 * A bus master (NDIS_ATTRIBUTE_BUS_MASTER) sets up DMA once, from
 * MiniportInitialize; shared memory is then allocated in the machine's DMA
 * space (hw/dma.h) under logical addresses unrelated to the host's, as for
 * NDIS 6 (ndis/host_dma.c). Once set up, every packet the host sends
 * carries a SCATTER_GATHER_LIST at NDIS_PER_PACKET_INFO_FROM_PACKET(p,
 * ScatterGatherListPacketInfo): one element, the frame's copy in DMA space
 * (packet.c), valid until the packet is completed. An NDIS 5 miniport has no call to
 * undo the set-up: NDIS does it when MiniportHalt returns or
 * MiniportInitialize fails, and then every shared allocation must have been
 * freed (bug check 0xC4 RESOURCE_LEAK otherwise, as for NDIS 6).
 */
#include "ndis/host_internal.h"
#include "ndis/ndis5/internal.h"

#include "hw/dma.h"

#define NDIS5_DMA_SLOTS NDIS5_MAX_MINIPORTS

/* Lock key: (a) atomic. A slot belongs to an adapter from set-up to release. */
static struct ndis5_dma {
	_Atomic(const struct ndisrt_ndis5_nic *) n; /* (a) NULL: free */
	atomic_int allocs;			    /* (a) shared allocations held */
	atomic_bool dma64;			    /* (a) Dma64BitAddresses */
} ndis5_dma[NDIS5_DMA_SLOTS];

static struct ndis5_dma *dma_slot(const struct ndisrt_ndis5_nic *n)
{
	for (unsigned i = 0; i < NDIS5_DMA_SLOTS; i++)
		if (atomic_load(&ndis5_dma[i].n) == n)
			return &ndis5_dma[i];
	return NULL;
}

/**
 * NdisMInitializeScatterGatherDma() - Set up bus-master DMA (NDIS 5.1).
 * @Dma64BitAddresses: FALSE for a 32-bit bus master: its shared memory is
 * then allocated below 4 GiB (as it is when the device itself says it has
 * 32-bit address registers: host_shared_memory_alloc()).
 * @MaximumPhysicalMapping: accepted (each send's SG list has one element).
 * Context: PASSIVE_LEVEL, from MiniportInitialize of an NDIS 5 adapter
 * (0xC4 WRONG_CONTEXT otherwise; NOT_NDIS5 for an NDIS 6 adapter).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_NOT_SUPPORTED if the miniport
 * did not declare itself a bus master (NdisMSetAttributesEx) or the NIC has
 * no DMA space; NDIS_STATUS_FAILURE if already set up; NDIS_STATUS_RESOURCES.
 */
NDIS_STATUS NdisMInitializeScatterGatherDma(NDIS_HANDLE MiniportAdapterHandle,
					    BOOLEAN Dma64BitAddresses, ULONG MaximumPhysicalMapping)
{
	struct ndisrt_ndis5_nic *n;
	NDIS_STATUS status = NDIS_STATUS_RESOURCES;

	(void)MaximumPhysicalMapping;
	ndis_ddi_enter(NDISRT_DDI_REGISTER_SG_DMA, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_REGISTER_SG_DMA);
	host_require_initialize(n->a, NDISRT_DDI_REGISTER_SG_DMA,
				"NdisMInitializeScatterGatherDma called outside the adapter's "
				"MiniportInitialize");
	if (!(n->attribute_flags & NDIS_ATTRIBUTE_BUS_MASTER) || !n->dma) {
		status = NDIS_STATUS_NOT_SUPPORTED;
	} else if (dma_slot(n)) {
		status = NDIS_STATUS_FAILURE;
	} else {
		for (unsigned i = 0; i < NDIS5_DMA_SLOTS; i++) {
			const struct ndisrt_ndis5_nic *expected = NULL;

			if (atomic_compare_exchange_strong(&ndis5_dma[i].n, &expected, n)) {
				atomic_store(&ndis5_dma[i].allocs, 0);
				atomic_store(&ndis5_dma[i].dma64, Dma64BitAddresses != FALSE);
				status = NDIS_STATUS_SUCCESS;
				break;
			}
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return status;
}

/* The NDIS 5 adapter @h names, or NULL for an NDIS 6 one (bug check for garbage). */
static struct ndisrt_ndis5_nic *ndis5_of_handle(NDIS_HANDLE h, unsigned ddi)
{
	return ndis5_nic_of_adapter(ndis_adapter_lookup(h, ddi));
}

bool ndis5_sg_active(const struct ndisrt_ndis5_nic *n)
{
	return n->dma && dma_slot(n);
}

void *ndis5_dma_alloc(struct ndisrt_ndis5_nic *n, size_t len, uint64_t *logical)
{
	struct ndis5_dma *slot = dma_slot(n);

	return host_shared_memory_alloc(n->dma, n->dev, slot ? atomic_load(&slot->dma64) : true,
					len, logical);
}

bool ndis5_shared_memory_alloc(NDIS_HANDLE h, ULONG len, PVOID *va, PNDIS_PHYSICAL_ADDRESS pa)
{
	struct ndisrt_ndis5_nic *n = ndis5_of_handle(h, NDISRT_DDI_ALLOCATE_SHARED_MEMORY);
	struct ndis5_dma *slot;
	uint64_t logical = 0;
	void *p = NULL;
	ke_irql_t old;

	if (!n)
		return false;
	host_require_out(va, NDISRT_DDI_ALLOCATE_SHARED_MEMORY,
			 "NdisMAllocateSharedMemory: VirtualAddress is NULL");
	host_require_out(pa, NDISRT_DDI_ALLOCATE_SHARED_MEMORY,
			 "NdisMAllocateSharedMemory: PhysicalAddress is NULL");
	slot = dma_slot(n);
	if (!slot)
		ndisrt_violation(
		    NDISRT_VIOLATION_NO_DMA, (uintptr_t)h, len, NDISRT_DDI_ALLOCATE_SHARED_MEMORY,
		    "NdisMAllocateSharedMemory before NdisMInitializeScatterGatherDma (an "
		    "NDIS 5 bus master sets up DMA first, from MiniportInitialize)");
	if (len) {
		old = ke_irql_raise(KE_DISPATCH_LEVEL);
		p = host_driver_shared_alloc(n->dma, n->dev, atomic_load(&slot->dma64), len,
					     &logical);
		ke_irql_lower(old);
	}
	if (p)
		atomic_fetch_add(&slot->allocs, 1);
	*va = p;
	pa->QuadPart = p ? (LONGLONG)logical : 0;
	return true;
}

bool ndis5_shared_memory_free(NDIS_HANDLE h, ULONG len, PVOID va, NDIS_PHYSICAL_ADDRESS pa)
{
	struct ndisrt_ndis5_nic *n = ndis5_of_handle(h, NDISRT_DDI_FREE_SHARED_MEMORY);
	struct ndis5_dma *slot;
	ke_irql_t old;
	int rc;

	if (!n)
		return false;
	slot = dma_slot(n);
	if (!va || !len || !slot || atomic_load(&slot->allocs) <= 0 ||
	    hw_dma_translate(n->dma, (uint64_t)pa.QuadPart, len) != va)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)va, (uintptr_t)pa.QuadPart,
		    NDISRT_DDI_FREE_SHARED_MEMORY,
		    "NdisMFreeSharedMemory: not an allocation NdisMAllocateSharedMemory "
		    "made for this adapter (virtual address, logical address and length "
		    "must be what it returned)");
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	rc = host_driver_shared_free(n->dma, va);
	ke_irql_lower(old);
	if (rc)
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)va,
				 (uintptr_t)pa.QuadPart, NDISRT_DDI_FREE_SHARED_MEMORY,
				 "NdisMFreeSharedMemory: the memory does not start an allocation "
				 "(freed already, or an address inside one)");
	atomic_fetch_sub(&slot->allocs, 1);
	return true;
}

void ndis5_sg_dma_release(struct ndisrt_ndis5_nic *n, const char *when)
{
	struct ndis5_dma *slot = dma_slot(n);
	int held;

	if (!slot)
		return;
	held = atomic_load(&slot->allocs);
	/* As for NDIS 6 (host_nic.c): parameter 3 how many, 4 the kind (2: shared memory). */
	if (held)
		ndisrt_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)n->handle,
				 (uintptr_t)held, 2, when);
	atomic_store(&slot->allocs, 0);
	atomic_store(&slot->n, NULL);
}
