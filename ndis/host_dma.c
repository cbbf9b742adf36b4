/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_dma.c - bus-master DMA for NDIS 6 miniports:
 * NdisMRegisterScatterGatherDma / NdisMDeregisterScatterGatherDma and the
 * shared memory it enables (NdisMAllocateSharedMemory /
 * NdisMFreeSharedMemory), registered in the machine's DMA space (hw/dma.h)
 * under logical addresses unrelated to the host's, so a driver that hands
 * its device a virtual address gets a DMA fault.
 */
#include "ndis/host_internal.h"
#include "ndis/routine.h"
#include "verifier/poison.h"
#include "verifier/vfy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------- DMA, shared memory */

/* Does the memory go in the 32-bit window (a 32-bit driver or device)? */
static bool shared_needs_w32(struct hw_device *dev, bool driver64)
{
	struct hw_resources r = {0};

	if (dev)
		hw_dev_resources(dev, &r);
	return !driver64 || (r.dma_address_bits && r.dma_address_bits < 64);
}

void *host_shared_memory_alloc(struct hw_dma_space *dma, struct hw_device *dev, bool driver64,
			       size_t len, uint64_t *logical)
{
	if (shared_needs_w32(dev, driver64))
		return hw_dma_alloc32(dma, len, logical);
	return hw_dma_alloc(dma, len, logical);
}

void *host_driver_shared_alloc(struct hw_dma_space *dma, struct hw_device *dev, bool driver64,
			       size_t len, uint64_t *logical)
{
	void *va;

	/* H7: with the verifier on, a mapping of its own, poisoned on free. */
	if (__builtin_expect(vfy_active, 0) && !shared_needs_w32(dev, driver64)) {
		va = vfy_poison_shared_alloc(len);
		if (va) {
			if (hw_dma_register(dma, va, len, logical) == 0)
				return va;
			(void)vfy_poison_shared_free(va);
			return NULL;
		}
	}
	return host_shared_memory_alloc(dma, dev, driver64, len, logical);
}

int host_driver_shared_free(struct hw_dma_space *dma, void *va)
{
	int rc = hw_dma_free(dma, va);

	/* The device can reach it no more: now poison and quarantine the CPU view. */
	if (rc == 0)
		(void)vfy_poison_shared_free(va);
	return rc;
}

/* An NdisMRegisterScatterGatherDma registration: what NdisMiniportDmaHandle names. */
struct host_dma {
	uint64_t magic; /* HOST_DMA_MAGIC */
	struct ndisrt_nic *n;
	ULONG flags;
	ULONG max_mapping;
	MINIPORT_PROCESS_SG_LIST_HANDLER process_sg;
	MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE_HANDLER alloc_complete; /* NULL: none */
};

/**
 * NdisMRegisterScatterGatherDma() - Register the adapter's bus-master DMA.
 * ndisrt builds no scatter/gather lists; the registration enables
 * NdisMAllocateSharedMemory. *ScatterGatherListSize is what a list for
 * MaximumPhysicalMapping bytes would take (SCATTER_GATHER_LIST layout).
 *
 * Context: PASSIVE_LEVEL, from MiniportInitializeEx (0xC4 WRONG_CONTEXT).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_INVALID_PARAMETER (header,
 * MaximumPhysicalMapping 0, no ProcessSGListHandler); NDIS_STATUS_FAILURE
 * (already registered); NDIS_STATUS_RESOURCES.
 */
NDIS_STATUS NdisMRegisterScatterGatherDma(NDIS_HANDLE MiniportAdapterHandle,
					  PNDIS_SG_DMA_DESCRIPTION DmaDescription,
					  PNDIS_HANDLE NdisMiniportDmaHandle)
{
	PNDIS_SG_DMA_DESCRIPTION dd = DmaDescription;
	struct ndisrt_nic *n;
	struct host_dma *dma;
	NDIS_STATUS status = NDIS_STATUS_SUCCESS;
	ULONG pages;

	ndis_ddi_enter(NDISRT_DDI_REGISTER_SG_DMA, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_REGISTER_SG_DMA);
	host_require_out(dd, NDISRT_DDI_REGISTER_SG_DMA,
			 "NdisMRegisterScatterGatherDma: DmaDescription is NULL");
	host_require_out(NdisMiniportDmaHandle, NDISRT_DDI_REGISTER_SG_DMA,
			 "NdisMRegisterScatterGatherDma: NdisMiniportDmaHandle is NULL");
	host_require_initialize(n->a, NDISRT_DDI_REGISTER_SG_DMA,
				"NdisMRegisterScatterGatherDma called outside the adapter's "
				"MiniportInitializeEx");
	*NdisMiniportDmaHandle = NULL;
	if (dd->Header.Type != NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION ||
	    dd->Header.Revision < NDIS_SG_DMA_DESCRIPTION_REVISION_1 ||
	    dd->Header.Size < NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1 ||
	    !dd->ProcessSGListHandler || dd->MaximumPhysicalMapping == 0) {
		status = NDIS_STATUS_INVALID_PARAMETER;
	} else if (atomic_load(&n->dma)) {
		status = NDIS_STATUS_FAILURE;
	} else if (!(dma = host_zalloc(sizeof(*dma)))) {
		status = NDIS_STATUS_RESOURCES;
	} else {
		dma->magic = HOST_DMA_MAGIC;
		dma->n = n;
		dma->flags = dd->Flags;
		dma->max_mapping = dd->MaximumPhysicalMapping;
		dma->process_sg = dd->ProcessSGListHandler;
		dma->alloc_complete = dd->SharedMemAllocateCompleteHandler;
		pages = (dd->MaximumPhysicalMapping + 4095) / 4096 + 1;
		/* SCATTER_GATHER_LIST: 16-byte header, 24-byte elements (x64). */
		dd->ScatterGatherListSize = 16 + 24 * pages;
		atomic_store(&n->dma, dma);
		*NdisMiniportDmaHandle = dma;
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return status;
}

/* The NIC whose registration @h is, or NULL. */
static struct ndisrt_nic *dma_owner(NDIS_HANDLE h)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *n = atomic_load(&host_nics[i]);

		if (n && h && (void *)atomic_load(&n->dma) == h)
			return n;
	}
	return NULL;
}

/**
 * NdisMDeregisterScatterGatherDma() - Undo NdisMRegisterScatterGatherDma.
 * Context: PASSIVE_LEVEL, from MiniportInitializeEx or MiniportHaltEx
 * (0xC4 WRONG_CONTEXT); a handle NdisMRegisterScatterGatherDma returned
 * (0xC4 BAD_OBJECT otherwise).
 */
VOID NdisMDeregisterScatterGatherDma(NDIS_HANDLE NdisMiniportDmaHandle)
{
	struct ndisrt_nic *n;
	struct host_dma *dma;

	ndis_ddi_enter(NDISRT_DDI_DEREGISTER_SG_DMA, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = dma_owner(NdisMiniportDmaHandle);
	if (!n)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)NdisMiniportDmaHandle, 0,
		    NDISRT_DDI_DEREGISTER_SG_DMA,
		    "NdisMDeregisterScatterGatherDma: not a handle "
		    "NdisMRegisterScatterGatherDma returned (or already deregistered)");
	host_require_init_or_halt(
	    n->a, NDISRT_DDI_DEREGISTER_SG_DMA,
	    "NdisMDeregisterScatterGatherDma called outside MiniportInitializeEx "
	    "and MiniportHaltEx");
	dma = atomic_exchange(&n->dma, NULL);
	dma->magic = 0;
	host_free(dma);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisMAllocateSharedMemory() - Memory the CPU and the device share.
 * The device sees it at *@PhysicalAddress, a logical address of the
 * machine's DMA space unrelated to *@VirtualAddress; it can DMA nowhere else.
 *
 * Context: PASSIVE_LEVEL, after NdisMRegisterScatterGatherDma (0xC4
 * NO_DMA otherwise; BAD_PARAMETER for NULL outputs).
 * *@VirtualAddress is NULL when @Length is 0 or memory is short.
 */
VOID NdisMAllocateSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached,
			       PVOID *VirtualAddress, PNDIS_PHYSICAL_ADDRESS PhysicalAddress)
{
	struct ndisrt_nic *n;
	uint64_t logical = 0;
	ke_irql_t old;
	void *va = NULL;

	(void)Cached;
	ndis_ddi_enter(NDISRT_DDI_ALLOCATE_SHARED_MEMORY, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (ndis5_shared_memory_alloc(MiniportAdapterHandle, Length, VirtualAddress,
				      PhysicalAddress)) {
		ke_preempt_point(KE_PP_DDI_EXIT);
		return;
	}
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_ALLOCATE_SHARED_MEMORY);
	host_require_out(VirtualAddress, NDISRT_DDI_ALLOCATE_SHARED_MEMORY,
			 "NdisMAllocateSharedMemory: VirtualAddress is NULL");
	host_require_out(PhysicalAddress, NDISRT_DDI_ALLOCATE_SHARED_MEMORY,
			 "NdisMAllocateSharedMemory: PhysicalAddress is NULL");
	if (!atomic_load(&n->dma))
		ndisrt_violation(
		    NDISRT_VIOLATION_NO_DMA, (uintptr_t)n->handle, Length,
		    NDISRT_DDI_ALLOCATE_SHARED_MEMORY,
		    "NdisMAllocateSharedMemory before NdisMRegisterScatterGatherDma (NDIS "
		    "requires the DMA registration first)");
	if (Length) {
		struct host_dma *dma = atomic_load(&n->dma);

		old = ke_irql_raise(KE_DISPATCH_LEVEL);
		va = host_driver_shared_alloc(n->h->dma, n->dev,
					      dma && (dma->flags & NDIS_SG_DMA_64_BIT_ADDRESS),
					      Length, &logical);
		ke_irql_lower(old);
	}
	if (va)
		atomic_fetch_add(&n->shared_allocs, 1);
	*VirtualAddress = va;
	PhysicalAddress->QuadPart = va ? (LONGLONG)logical : 0;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* An NdisMAllocateSharedMemoryAsyncEx request, carried out by an I/O work item. */
struct async_alloc {
	struct host_dma *dma;
	ULONG len;
	PVOID ctx;
};

static VOID async_alloc_run(PVOID ctx, NDIS_HANDLE item)
{
	struct async_alloc *a = ctx;
	struct ndisrt_nic *n = a->dma->n;
	MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE_HANDLER done = a->dma->alloc_complete;
	NDIS_PHYSICAL_ADDRESS pa = {0};
	struct ndis_routine r;
	PVOID va = NULL;

	NdisFreeIoWorkItem(item);
	NdisMAllocateSharedMemory(n->handle, a->len, TRUE, &va, &pa);
	ndis_routine_enter(&r, "MiniportSharedMemoryAllocateComplete", (const void *)done);
	done(ndisrt_adapter_context(n->a), va, &pa, a->len, a->ctx);
	ndis_routine_exit(&r);
	host_free(a);
}

/**
 * NdisMAllocateSharedMemoryAsyncEx() - NdisMAllocateSharedMemory later: the
 * memory (NULL and a zero address if none) goes to the
 * SharedMemAllocateCompleteHandler of the DMA registration, at
 * PASSIVE_LEVEL from an I/O work item on the next vCPU.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_HANDLE for a handle that is no
 * registration. A NIC halted before the completion ran is not checked.
 * Return: NDIS_STATUS_PENDING; NDIS_STATUS_FAILURE (no completion handler
 * registered, @Length 0, no memory for the request).
 */
NDIS_STATUS NdisMAllocateSharedMemoryAsyncEx(NDIS_HANDLE MiniportDmaHandle, ULONG Length,
					     BOOLEAN Cached, PVOID Context)
{
	struct host_dma *dma = MiniportDmaHandle;
	struct async_alloc *a = NULL;
	NDIS_HANDLE item = NULL;
	NDIS_STATUS st = NDIS_STATUS_FAILURE;

	(void)Cached;
	ndis_ddi_enter(NDISRT_DDI_ALLOCATE_SHARED_MEMORY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!dma || !dma_owner(dma) || dma->magic != HOST_DMA_MAGIC)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)MiniportDmaHandle, 0,
		    NDISRT_DDI_ALLOCATE_SHARED_MEMORY,
		    "NdisMAllocateSharedMemoryAsyncEx: not the NdisMiniportDmaHandle of "
		    "a NdisMRegisterScatterGatherDma registration");
	if (dma->alloc_complete && Length && (a = host_zalloc(sizeof(*a))) &&
	    (item = NdisAllocateIoWorkItem(dma->n->handle))) {
		a->dma = dma;
		a->len = Length;
		a->ctx = Context;
		NdisQueueIoWorkItem(item, async_alloc_run, a);
		st = NDIS_STATUS_PENDING;
	} else {
		host_free(a);
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return st;
}

/**
 * NdisMFreeSharedMemory() - Free what NdisMAllocateSharedMemory returned.
 * Waits until no device access to the memory is in flight; with the
 * verifier on, the memory is then poisoned and quarantined (H7), so a DPC
 * or ISR still reading it faults.
 * Context: PASSIVE_LEVEL. @VirtualAddress, @PhysicalAddress and @Length
 * must be an allocation of this adapter (0xC4 BAD_PARAMETER: p2 = address,
 * p3 = logical address).
 */
VOID NdisMFreeSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached,
			   PVOID VirtualAddress, NDIS_PHYSICAL_ADDRESS PhysicalAddress)
{
	struct ndisrt_nic *n;
	ke_irql_t old;
	int rc = -ENOENT;

	(void)Cached;
	ndis_ddi_enter(NDISRT_DDI_FREE_SHARED_MEMORY, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (ndis5_shared_memory_free(MiniportAdapterHandle, Length, VirtualAddress,
				     PhysicalAddress)) {
		ke_preempt_point(KE_PP_DDI_EXIT);
		return;
	}
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_FREE_SHARED_MEMORY);
	if (!VirtualAddress || !Length || atomic_load(&n->shared_allocs) <= 0 ||
	    hw_dma_translate(n->h->dma, (uint64_t)PhysicalAddress.QuadPart, Length) !=
		VirtualAddress)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)VirtualAddress,
		    (uintptr_t)PhysicalAddress.QuadPart, NDISRT_DDI_FREE_SHARED_MEMORY,
		    "NdisMFreeSharedMemory: not an allocation NdisMAllocateSharedMemory "
		    "made for this adapter (virtual address, logical address and length "
		    "must be what it returned)");
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	rc = host_driver_shared_free(n->h->dma, VirtualAddress);
	ke_irql_lower(old);
	if (rc)
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)VirtualAddress,
				 (uintptr_t)PhysicalAddress.QuadPart, NDISRT_DDI_FREE_SHARED_MEMORY,
				 "NdisMFreeSharedMemory: the memory does not start an allocation "
				 "(freed already, or an address inside one)");
	atomic_fetch_sub(&n->shared_allocs, 1);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* --------------------------------------------- per-NET_BUFFER SG lists */

#define HOST_SG_MAGIC 0x4E44534731ull /* 'NDSG1' */

/* What a list NdisMAllocateNetBufferSGList built keeps (its Reserved member points here). */
struct host_sg {
	uint64_t magic;
	struct host_dma *dma;
	void *bounce; /* the data's copy in the DMA space */
	ULONG len;
	ULONG flags;
	bool list_owned; /* the list is ours, not the caller's buffer */
	_Alignas(
	    8) unsigned char list[sizeof(SCATTER_GATHER_LIST) + sizeof(SCATTER_GATHER_ELEMENT)];
};

/* Copy @len bytes between @nb's data and @buf (@to_nb: into the NET_BUFFER). */
static void nb_copy(PNET_BUFFER nb, void *buf, ULONG len, bool to_nb)
{
	PMDL m = NET_BUFFER_CURRENT_MDL(nb);
	ULONG off = NET_BUFFER_CURRENT_MDL_OFFSET(nb), done = 0;

	for (; m && done < len; m = m->Next, off = 0) {
		ULONG k = m->ByteCount > off ? m->ByteCount - off : 0;

		if (k > len - done)
			k = len - done;
		if (!k)
			continue;
		if (to_nb)
			memcpy((unsigned char *)m->MappedSystemVa + off,
			       (unsigned char *)buf + done, k);
		else
			memcpy((unsigned char *)buf + done,
			       (unsigned char *)m->MappedSystemVa + off, k);
		done += k;
	}
}

/**
 * NdisMAllocateNetBufferSGList() - The scatter/gather list of @NetBuffer's
 * data, given to the driver's MiniportProcessSGList (from inside this call)
 * with @Context. The list has one element: a copy of the data in the
 * machine's DMA space (made now when @Flags has NDIS_SG_LIST_WRITE_TO_DEVICE;
 * copied back into the NET_BUFFER by NdisMFreeNetBufferSGList otherwise).
 * It is built in @ScatterGatherListBuffer when that holds it.
 *
 * Context: DISPATCH_LEVEL (0xC4 IRQL); a registered DMA handle (0xC4
 * BAD_OBJECT). Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_RESOURCES; also
 * for data longer than MaximumPhysicalMapping.
 */
NDIS_STATUS NdisMAllocateNetBufferSGList(NDIS_HANDLE NdisMiniportDmaHandle, PNET_BUFFER NetBuffer,
					 PVOID Context, ULONG Flags, PVOID ScatterGatherListBuffer,
					 ULONG ScatterGatherListBufferSize)
{
	struct host_dma *dma = NdisMiniportDmaHandle;
	PSCATTER_GATHER_LIST l;
	struct host_sg *sg;
	uint64_t logical = 0;
	ULONG len;

	ndis_ddi_enter(NDISRT_DDI_REGISTER_SG_DMA, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	if (!dma || !dma_owner(dma) || dma->magic != HOST_DMA_MAGIC || !NetBuffer)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)NdisMiniportDmaHandle,
				 (uintptr_t)NetBuffer, NDISRT_DDI_REGISTER_SG_DMA,
				 "NdisMAllocateNetBufferSGList: not a DMA handle "
				 "NdisMRegisterScatterGatherDma returned, or no NET_BUFFER");
	len = NET_BUFFER_DATA_LENGTH(NetBuffer);
	if (len == 0 || len > dma->max_mapping)
		return NDIS_STATUS_RESOURCES;
	sg = host_zalloc(sizeof(*sg));
	if (!sg)
		return NDIS_STATUS_RESOURCES;
	sg->bounce = host_shared_memory_alloc(
	    dma->n->h->dma, dma->n->dev, dma->flags & NDIS_SG_DMA_64_BIT_ADDRESS, len, &logical);
	if (!sg->bounce) {
		host_free(sg);
		return NDIS_STATUS_RESOURCES;
	}
	sg->magic = HOST_SG_MAGIC;
	sg->dma = dma;
	sg->len = len;
	sg->flags = Flags;
	if (Flags & NDIS_SG_LIST_WRITE_TO_DEVICE)
		nb_copy(NetBuffer, sg->bounce, len, false);
	if (ScatterGatherListBuffer && ScatterGatherListBufferSize >= sizeof(sg->list)) {
		l = ScatterGatherListBuffer;
	} else {
		l = (PSCATTER_GATHER_LIST)(void *)sg->list;
		sg->list_owned = true;
	}
	l->NumberOfElements = 1;
	l->Reserved = (ULONG_PTR)sg;
	l->Elements[0].Address.QuadPart = (LONGLONG)logical;
	l->Elements[0].Length = len;
	l->Elements[0].Reserved = 0;
	dma->process_sg(NULL, NULL, l, Context);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

/**
 * NdisMFreeNetBufferSGList() - The driver is done with @pSGL (the device
 * finished its transfer). For a list allocated without
 * NDIS_SG_LIST_WRITE_TO_DEVICE the device's data is copied into @NetBuffer.
 * Context: DISPATCH_LEVEL (0xC4 IRQL); a list NdisMAllocateNetBufferSGList
 * built for this DMA handle, freed once (0xC4 BAD_OBJECT otherwise).
 */
VOID NdisMFreeNetBufferSGList(NDIS_HANDLE NdisMiniportDmaHandle, PSCATTER_GATHER_LIST pSGL,
			      PNET_BUFFER NetBuffer)
{
	struct host_sg *sg = pSGL ? (struct host_sg *)(uintptr_t)pSGL->Reserved : NULL;
	struct host_dma *dma = NdisMiniportDmaHandle;

	ndis_ddi_enter(NDISRT_DDI_REGISTER_SG_DMA, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	if (!sg || !dma_owner(dma) || sg->magic != HOST_SG_MAGIC || sg->dma != dma)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)pSGL, (uintptr_t)NdisMiniportDmaHandle,
		    NDISRT_DDI_REGISTER_SG_DMA,
		    "NdisMFreeNetBufferSGList: not a list NdisMAllocateNetBufferSGList "
		    "built for this DMA handle (freed twice?)");
	if (!(sg->flags & NDIS_SG_LIST_WRITE_TO_DEVICE) && NetBuffer)
		nb_copy(NetBuffer, sg->bounce, sg->len, true);
	hw_dma_free(dma->n->h->dma, sg->bounce);
	sg->magic = 0;
	pSGL->Reserved = 0;
	host_free(sg);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
