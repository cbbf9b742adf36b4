/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/misc51.c - the rest of the NDIS 5.1 miniport DDI
 * (<ndis/ndis5.h>, docs/ndis5.md): adapter resources, map registers,
 * asynchronous shared memory, the shutdown and unload handlers, the
 * obsolete PCI forms, packet-to-packet copies and NdisCopyBuffer, partial
 * cancel IDs, and NdisMTransferDataComplete.
 *
 * Map registers are bounce buffers in the machine's DMA space (hw/dma.h):
 * a device sees only logical addresses there, as behind an IOMMU, so
 * NdisMStartBufferPhysicalMapping copies the buffer in (WriteToDevice) and
 * NdisMCompleteBufferPhysicalMapping copies it back (a device write).
 */
#include "ndis/host_internal.h"
#include "ndis/ndis5/internal.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hw/dma.h"

/* One map register. (o) set up in initialize; (M) its mapping: one transfer at a time. */
struct ndis5_map {
	void *va;	  /* (o) bounce buffer */
	uint64_t la;	  /* (o) its logical address */
	PNDIS_BUFFER buf; /* (M) the buffer mapped, or NULL */
	bool to_device;	  /* (M) */
};

struct ndisrt_ndis5_nic *ndis5_nic_of_wrapper_context(NDIS_HANDLE ctx, unsigned ddi)
{
	for (unsigned i = 0; i < NDIS5_MAX_MINIPORTS; i++)
		if (ctx && ndis5_nic_at(i) == (struct ndisrt_ndis5_nic *)ctx)
			return ctx;
	ndisrt_violation(NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)ctx, 0, ddi,
			 "not the WrapperConfigurationContext MiniportInitialize was given");
}

/* ------------------------------------------------------------ resources */

/*
 * The adapter's resources, as NdisMQueryAdapterResources and
 * NdisMGetDeviceProperty give them: each memory and port BAR, then its
 * INTx interrupt (level, vector, the line's targets). Fills @l when it is
 * not NULL. Return: the number of descriptors.
 */
static unsigned ndis5_fill_resources(struct ndisrt_ndis5_nic *n, PCM_PARTIAL_RESOURCE_LIST l)
{
	struct hw_resources res = {0};
	PCM_PARTIAL_RESOURCE_DESCRIPTOR r;
	unsigned count = 0;

	if (n->dev)
		hw_dev_resources(n->dev, &res);
	for (unsigned b = 0; b < HW_MAX_BARS; b++)
		count += res.bar[b].kind != HW_BAR_NONE;
	count += n->line != NULL;
	if (!l)
		return count;
	memset(l, 0, sizeof(*l) + count * sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR));
	l->Version = 1;
	l->Revision = 1;
	l->Count = count;
	r = &l->PartialDescriptors[0];
	for (unsigned b = 0; b < HW_MAX_BARS; b++) {
		const struct hw_bar *bar = &res.bar[b];

		if (bar->kind == HW_BAR_MEM) {
			r->Type = CmResourceTypeMemory;
			r->ShareDisposition = CmResourceShareDeviceExclusive;
			r->Flags = CM_RESOURCE_MEMORY_READ_WRITE;
			r->u.Memory.Start.QuadPart = (LONGLONG)bar->base;
			r->u.Memory.Length = bar->len;
			r++;
		} else if (bar->kind == HW_BAR_PORT) {
			r->Type = CmResourceTypePort;
			r->ShareDisposition = CmResourceShareDeviceExclusive;
			r->Flags = CM_RESOURCE_PORT_IO;
			r->u.Port.Start.QuadPart = (LONGLONG)bar->base;
			r->u.Port.Length = bar->len;
			r++;
		}
	}
	if (n->line) {
		r->Type = CmResourceTypeInterrupt;
		r->ShareDisposition = CmResourceShareShared;
		r->Flags = CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE;
		r->u.Interrupt.Level = intc_line_irql(n->line);
		r->u.Interrupt.Vector = intc_line_vector(n->line);
		r->u.Interrupt.Affinity = (KAFFINITY)intc_line_targets(n->line);
	}
	return count;
}

/**
 * NdisMQueryAdapterResources() - The adapter's resources (ndis5_fill_resources()).
 * Context: PASSIVE_LEVEL (0xC4 IRQL). *Status: NDIS_STATUS_SUCCESS, or
 * NDIS_STATUS_RESOURCES with *BufferSize the bytes needed.
 */
VOID NdisMQueryAdapterResources(PNDIS_STATUS Status, NDIS_HANDLE WrapperConfigurationContext,
				PNDIS_RESOURCE_LIST ResourceList, PUINT BufferSize)
{
	struct ndisrt_ndis5_nic *n;
	size_t need;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Status || !BufferSize)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status,
				 (uintptr_t)BufferSize, NDISRT_NDIS5_DDI_HANDLER,
				 "NdisMQueryAdapterResources: Status or BufferSize is NULL");
	n = ndis5_nic_of_wrapper_context(WrapperConfigurationContext, NDISRT_NDIS5_DDI_HANDLER);
	need = sizeof(*ResourceList) +
	       ndis5_fill_resources(n, NULL) * sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR);
	if (!ResourceList || *BufferSize < need) {
		*BufferSize = (UINT)need;
		*Status = NDIS_STATUS_RESOURCES;
		goto out;
	}
	ndis5_fill_resources(n, ResourceList);
	*BufferSize = (UINT)need;
	*Status = NDIS_STATUS_SUCCESS;
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ------------------------------------------- device properties, removal */

/*
 * The device objects NdisMGetDeviceProperty hands out: opaque, distinct
 * for each adapter and role, never dereferenced (ndisrt has no I/O
 * manager). The handle's address plus the role keeps them distinct.
 */
static PDEVICE_OBJECT device_object_of(struct ndisrt_adapter *a, unsigned role)
{
	return (PDEVICE_OBJECT)((uintptr_t)a + 1 + role);
}

/* The adapter's CM_RESOURCE_LIST; NULL when out of memory. */
static PCM_RESOURCE_LIST device_resources(struct ndisrt_adapter *a)
{
	struct ndisrt_ndis5_nic *n5 = ndis5_nic_of_adapter(a);
	PCM_PARTIAL_RESOURCE_LIST part;
	PCM_RESOURCE_LIST l, none = NULL;
	unsigned count;

	if (!n5) {
		/* NDIS 6: the list MiniportInitializeEx was given, in its CM_RESOURCE_LIST. */
		struct ndisrt_nic *n = host_nic_of_adapter(a);

		if (!n || !n->resources)
			return NULL;
		return CONTAINING_RECORD(n->resources, CM_RESOURCE_LIST,
					 List[0].PartialResourceList);
	}
	l = atomic_load(&n5->dev_res);
	if (l)
		return l;
	count = ndis5_fill_resources(n5, NULL);
	l = ndis_zalloc(offsetof(CM_RESOURCE_LIST, List[0].PartialResourceList) +
			sizeof(CM_PARTIAL_RESOURCE_LIST) +
			count * sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR));
	if (!l)
		return NULL;
	l->Count = 1;
	l->List[0].InterfaceType = PCIBus;
	l->List[0].BusNumber = 0;
	part = &l->List[0].PartialResourceList;
	ndis5_fill_resources(n5, part);
	/* Two callers may race to build it: the first one's list stays. */
	if (!atomic_compare_exchange_strong(&n5->dev_res, &none, l)) {
		ndis_free(l);
		l = none;
	}
	return l;
}

/**
 * NdisMGetDeviceProperty() - The adapter's device objects (opaque handles)
 * and resource lists. Raw and translated lists are the same list: the
 * machine has no HAL translation. The lists live until the adapter is
 * freed after MiniportHalt[Ex]. Every output is optional.
 * Context: PASSIVE_LEVEL (0xC4 IRQL); an NDIS 5 or NDIS 6 adapter handle
 * (0xC4 BAD_HANDLE otherwise).
 */
VOID NdisMGetDeviceProperty(NDIS_HANDLE MiniportAdapterHandle, PDEVICE_OBJECT *PhysicalDeviceObject,
			    PDEVICE_OBJECT *FunctionalDeviceObject,
			    PDEVICE_OBJECT *NextDeviceObject, PCM_RESOURCE_LIST *AllocatedResources,
			    PCM_RESOURCE_LIST *AllocatedResourcesTranslated)
{
	struct ndisrt_adapter *a;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_DEVICE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	a = ndis_adapter_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_DEVICE);
	if (PhysicalDeviceObject)
		*PhysicalDeviceObject = device_object_of(a, 0);
	if (FunctionalDeviceObject)
		*FunctionalDeviceObject = device_object_of(a, 1);
	if (NextDeviceObject)
		*NextDeviceObject = device_object_of(a, 0); /* the FDO sits on the PDO */
	if (AllocatedResources || AllocatedResourcesTranslated) {
		PCM_RESOURCE_LIST l = device_resources(a);

		if (AllocatedResources)
			*AllocatedResources = l;
		if (AllocatedResourcesTranslated)
			*AllocatedResourcesTranslated = l;
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisMQueryAdapterInstanceName() - The adapter's friendly name,
 * "ndisrt NIC N" (N: the NIC's index, as --param NIC:Name=Value counts;
 * "ndisrt adapter 0x..." for an adapter hosted without one),
 * in memory from NdisAllocateMemoryWithTag that the caller frees with
 * NdisFreeMemory. Context: PASSIVE_LEVEL (0xC4 IRQL).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_RESOURCES.
 */
NDIS_STATUS NdisMQueryAdapterInstanceName(PNDIS_STRING AdapterInstanceName,
					  NDIS_HANDLE MiniportAdapterHandle)
{
	struct ndisrt_adapter *a;
	struct ndisrt_ndis5_nic *n5;
	struct ndisrt_nic *n6;
	char name[48];
	int nic;
	PWSTR buf = NULL;
	int len;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_DEVICE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!AdapterInstanceName)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDISRT_NDIS5_DDI_DEVICE,
				 "NdisMQueryAdapterInstanceName: AdapterInstanceName is NULL");
	a = ndis_adapter_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_DEVICE);
	n5 = ndis5_nic_of_adapter(a);
	n6 = n5 ? NULL : host_nic_of_adapter(a);
	nic = n5 ? n5->param_nic : n6 ? n6->cfg.param_nic : -1;
	if (nic >= 0)
		len = snprintf(name, sizeof(name), "ndisrt NIC %d", nic);
	else
		len = snprintf(name, sizeof(name), "ndisrt adapter %p", MiniportAdapterHandle);
	if (NdisAllocateMemoryWithTag((PVOID *)&buf, (UINT)(len + 1) * sizeof(WCHAR),
				      0x4E64734E /* "NsdN" */) != NDIS_STATUS_SUCCESS) {
		ke_preempt_point(KE_PP_DDI_EXIT);
		return NDIS_STATUS_RESOURCES;
	}
	for (int i = 0; i <= len; i++)
		buf[i] = (WCHAR)(unsigned char)name[i];
	AdapterInstanceName->Buffer = buf;
	AdapterInstanceName->Length = (USHORT)(len * sizeof(WCHAR));
	AdapterInstanceName->MaximumLength = (USHORT)((len + 1) * sizeof(WCHAR));
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

/* ------------------------------------------------------- map registers */

/**
 * NdisMAllocateMapRegisters() - @BaseMapRegistersNeeded map registers of
 * @MaximumPhysicalMapping bytes each, for a bus master.
 * Context: PASSIVE_LEVEL, from MiniportInitialize (0xC4 WRONG_CONTEXT).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_NOT_SUPPORTED (not a bus master,
 * no DMA space, a system DMA channel asked for: DmaChannel is ignored for a
 * bus master, as documented); NDIS_STATUS_RESOURCES; NDIS_STATUS_FAILURE
 * (allocated already).
 */
NDIS_STATUS NdisMAllocateMapRegisters(NDIS_HANDLE MiniportAdapterHandle, UINT DmaChannel,
				      UCHAR DmaSize, ULONG BaseMapRegistersNeeded,
				      ULONG MaximumPhysicalMapping)
{
	struct ndisrt_ndis5_nic *n;
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;
	ke_irql_t old;

	(void)DmaChannel, (void)DmaSize;
	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_HANDLER);
	host_require_initialize(n->a, NDISRT_NDIS5_DDI_HANDLER,
				"NdisMAllocateMapRegisters called outside MiniportInitialize");
	if (!(n->attribute_flags & NDIS_ATTRIBUTE_BUS_MASTER) || !n->dma)
		return NDIS_STATUS_NOT_SUPPORTED;
	if (n->maps)
		return NDIS_STATUS_FAILURE;
	if (!BaseMapRegistersNeeded || !MaximumPhysicalMapping ||
	    MaximumPhysicalMapping > 16u * 1024 * 1024 || BaseMapRegistersNeeded > 4096)
		return NDIS_STATUS_RESOURCES;
	n->maps = ndis_zalloc(BaseMapRegistersNeeded * sizeof(*n->maps));
	if (!n->maps)
		return NDIS_STATUS_RESOURCES;
	n->nr_maps = BaseMapRegistersNeeded;
	n->map_len = MaximumPhysicalMapping;
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	for (ULONG i = 0; i < n->nr_maps && st == NDIS_STATUS_SUCCESS; i++) {
		n->maps[i].va = ndis5_dma_alloc(n, n->map_len, &n->maps[i].la);
		if (!n->maps[i].va)
			st = NDIS_STATUS_RESOURCES;
	}
	ke_irql_lower(old);
	if (st != NDIS_STATUS_SUCCESS)
		NdisMFreeMapRegisters(MiniportAdapterHandle);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return st;
}

static void maps_free(struct ndisrt_ndis5_nic *n)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	for (ULONG i = 0; i < n->nr_maps; i++)
		if (n->maps[i].va)
			hw_dma_free(n->dma, n->maps[i].va);
	ke_irql_lower(old);
	ndis_free(n->maps);
	n->maps = NULL;
	n->nr_maps = 0;
}

/**
 * NdisMFreeMapRegisters() - Free the adapter's map registers.
 * Context: PASSIVE_LEVEL, from MiniportInitialize or MiniportHalt (0xC4).
 */
VOID NdisMFreeMapRegisters(NDIS_HANDLE MiniportAdapterHandle)
{
	struct ndisrt_ndis5_nic *n;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_HANDLER);
	host_require_init_or_halt(n->a, NDISRT_NDIS5_DDI_HANDLER,
				  "NdisMFreeMapRegisters called outside MiniportInitialize and "
				  "MiniportHalt");
	if (n->maps)
		maps_free(n);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

static struct ndis5_map *map_of(struct ndisrt_ndis5_nic *n, ULONG reg, PNDIS_BUFFER b,
				const char *ddi)
{
	if (!n->maps || reg >= n->nr_maps || !b)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)n->handle, reg,
				 NDISRT_NDIS5_DDI_HANDLER, ddi);
	return &n->maps[reg];
}

/**
 * NdisMStartBufferPhysicalMapping() - Map @Buffer through map register
 * @PhysicalMapRegister: one element, the register's logical address. For
 * @WriteToDevice the buffer's bytes are copied there now.
 * Context: DISPATCH_LEVEL (0xC4 IRQL). A register already mapped, a buffer
 * longer than the registers' MaximumPhysicalMapping, no such register:
 * 0xC4 BAD_PARAMETER.
 */
VOID NdisMStartBufferPhysicalMapping(NDIS_HANDLE MiniportAdapterHandle, PNDIS_BUFFER Buffer,
				     ULONG PhysicalMapRegister, BOOLEAN WriteToDevice,
				     PNDIS_PHYSICAL_ADDRESS_UNIT PhysicalAddressArray,
				     PUINT ArraySize)
{
	struct ndisrt_ndis5_nic *n;
	struct ndis5_map *m;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_HANDLER);
	m = map_of(n, PhysicalMapRegister, Buffer,
		   "NdisMStartBufferPhysicalMapping: no such map register, or no buffer");
	if (m->buf || Buffer->ByteCount > n->map_len || !PhysicalAddressArray || !ArraySize)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)MiniportAdapterHandle,
				 PhysicalMapRegister, NDISRT_NDIS5_DDI_HANDLER,
				 "NdisMStartBufferPhysicalMapping: the register is mapped already "
				 "(complete it first), the buffer is longer than "
				 "MaximumPhysicalMapping, or an output is NULL");
	m->buf = Buffer;
	m->to_device = WriteToDevice;
	if (WriteToDevice && Buffer->ByteCount)
		memcpy(m->va, Buffer->MappedSystemVa, Buffer->ByteCount);
	PhysicalAddressArray[0].PhysicalAddress.QuadPart = (LONGLONG)m->la;
	PhysicalAddressArray[0].Length = Buffer->ByteCount;
	*ArraySize = 1;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisMCompleteBufferPhysicalMapping() - The transfer through the register
 * is over; for a device write the bytes are copied into the buffer.
 * Context: DISPATCH_LEVEL. A register not mapped to @Buffer: 0xC4 BAD_PARAMETER.
 */
VOID NdisMCompleteBufferPhysicalMapping(NDIS_HANDLE MiniportAdapterHandle, PNDIS_BUFFER Buffer,
					ULONG PhysicalMapRegister)
{
	struct ndisrt_ndis5_nic *n;
	struct ndis5_map *m;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_HANDLER);
	m = map_of(n, PhysicalMapRegister, Buffer,
		   "NdisMCompleteBufferPhysicalMapping: no such map register, or no buffer");
	if (m->buf != Buffer)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)MiniportAdapterHandle,
				 PhysicalMapRegister, NDISRT_NDIS5_DDI_HANDLER,
				 "NdisMCompleteBufferPhysicalMapping: the register does not map "
				 "this buffer");
	if (!m->to_device && Buffer->ByteCount)
		memcpy(Buffer->MappedSystemVa, m->va, Buffer->ByteCount);
	m->buf = NULL;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ----------------------------------------------- shared memory, async */

struct async_alloc {
	struct ke_dpc dpc;
	struct ndisrt_ndis5_nic *n;
	ULONG len;
	PVOID ctx;
};

static void async_alloc_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	struct async_alloc *a = ctx;
	struct ndisrt_ndis5_nic *n = a->n;
	W_ALLOCATE_COMPLETE_HANDLER done = n->drv->chars.AllocateCompleteHandler;
	NDIS_PHYSICAL_ADDRESS pa = {0};
	PVOID va = NULL;

	(void)kd, (void)arg1, (void)arg2;
	ndis5_shared_memory_alloc(n->handle, a->len, &va, &pa);
	done(atomic_load(&n->context), va, &pa, a->len, a->ctx);
	ndis5_check_irql_after(KE_DISPATCH_LEVEL, (uintptr_t)done,
			       "MiniportAllocateComplete returned at an IRQL other than "
			       "DISPATCH_LEVEL");
	ndis_free(a);
}

/**
 * NdisMAllocateSharedMemoryAsync() - Allocate shared memory later: the
 * result (NULL on failure) goes to MiniportAllocateComplete at
 * DISPATCH_LEVEL from a DPC on this vCPU.
 * Context: IRQL <= DISPATCH_LEVEL (0xC4 IRQL). Return: NDIS_STATUS_PENDING;
 * NDIS_STATUS_FAILURE (no MiniportAllocateComplete, or DMA not set up:
 * NdisMInitializeScatterGatherDma first); NDIS_STATUS_RESOURCES.
 */
NDIS_STATUS NdisMAllocateSharedMemoryAsync(NDIS_HANDLE MiniportAdapterHandle, ULONG Length,
					   BOOLEAN Cached, PVOID Context)
{
	struct ndisrt_ndis5_nic *n;
	struct async_alloc *a;

	(void)Cached;
	ndis_ddi_enter(NDISRT_DDI_ALLOCATE_SHARED_MEMORY, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_ALLOCATE_SHARED_MEMORY);
	if (!n->drv->chars.AllocateCompleteHandler || !n->dma || !Length)
		return NDIS_STATUS_FAILURE;
	a = ndis_zalloc(sizeof(*a));
	if (!a)
		return NDIS_STATUS_RESOURCES;
	a->n = n;
	a->len = Length;
	a->ctx = Context;
	ke_dpc_init(&a->dpc, async_alloc_dpc, a);
	ke_dpc_queue(n->m, &a->dpc, NULL, NULL);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_PENDING;
}

/* ---------------------------------------------------- shutdown, unload */

/**
 * NdisMRegisterAdapterShutdownHandler() - What ndisrt_ndis5_nic_shutdown()
 * (the machine shutting down) calls. Context: PASSIVE_LEVEL, from
 * MiniportInitialize (0xC4). NdisMDeregisterAdapterShutdownHandler undoes
 * it (PASSIVE_LEVEL, MiniportHalt); a handler still registered when
 * MiniportHalt returns is 0xC4 RESOURCE_LEAK.
 */
VOID NdisMRegisterAdapterShutdownHandler(NDIS_HANDLE MiniportHandle, PVOID ShutdownContext,
					 ADAPTER_SHUTDOWN_HANDLER ShutdownHandler)
{
	struct ndisrt_ndis5_nic *n;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = ndis5_nic_lookup(MiniportHandle, NDISRT_NDIS5_DDI_HANDLER);
	host_require_initialize(n->a, NDISRT_NDIS5_DDI_HANDLER,
				"NdisMRegisterAdapterShutdownHandler called outside "
				"MiniportInitialize");
	if (!ShutdownHandler)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)MiniportHandle, 0,
				 NDISRT_NDIS5_DDI_HANDLER,
				 "NdisMRegisterAdapterShutdownHandler: ShutdownHandler is NULL");
	atomic_store(&n->shutdown_ctx, ShutdownContext);
	atomic_store(&n->shutdown_fn, ShutdownHandler);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisMDeregisterAdapterShutdownHandler(NDIS_HANDLE MiniportHandle)
{
	struct ndisrt_ndis5_nic *n;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = ndis5_nic_lookup(MiniportHandle, NDISRT_NDIS5_DDI_HANDLER);
	atomic_store(&n->shutdown_fn, NULL);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

static void run_shutdown(void *arg)
{
	struct ndisrt_ndis5_nic *n = arg;
	ADAPTER_SHUTDOWN_HANDLER fn = atomic_load(&n->shutdown_fn);

	if (fn)
		fn(atomic_load(&n->shutdown_ctx));
}

int ndisrt_ndis5_nic_shutdown(struct ndisrt_ndis5_nic *n)
{
	if (!atomic_load(&n->shutdown_fn))
		return 0;
	host_phase_next(NDISRT_PHASE_OTHER, 0);
	ke_vcpu_call(ke_machine_vcpu(n->m, n->vcpu), run_shutdown, n);
	return 1;
}

void ndis5_misc_release(struct ndisrt_ndis5_nic *n, const char *when)
{
	(void)when;
	if (atomic_load(&n->shutdown_fn))
		ndisrt_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)n->handle, 1, 4,
				 "MiniportHalt returned with its shutdown handler still "
				 "registered (NdisMDeregisterAdapterShutdownHandler in "
				 "MiniportHalt)");
	if (n->maps)
		ndisrt_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)n->handle, n->nr_maps,
				 5,
				 "MiniportHalt returned with map registers still allocated "
				 "(parameter 3: how many; NdisMFreeMapRegisters in MiniportHalt)");
}

/**
 * NdisMRegisterUnloadHandler() - @UnloadHandler runs at PASSIVE_LEVEL when
 * the host frees the driver. Context: PASSIVE_LEVEL (0xC4 IRQL).
 */
VOID NdisMRegisterUnloadHandler(NDIS_HANDLE NdisWrapperHandle, PDRIVER_UNLOAD UnloadHandler)
{
	struct ndisrt_ndis5_driver *d;
	enum ndis_lookup_error err;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_REGISTER_MINIPORT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	d = ndis_handle_lookup(NdisWrapperHandle, NDIS5_HT_WRAPPER, &err);
	if (!d)
		ndisrt_violation(NDISRT_VIOLATION_WRAPPER, (uintptr_t)NdisWrapperHandle, 0,
				 NDISRT_NDIS5_DDI_REGISTER_MINIPORT,
				 "NdisMRegisterUnloadHandler: not an NdisWrapperHandle");
	atomic_store(&d->unload, UnloadHandler);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ------------------------------------------------------ obsolete PCI */

VOID NdisImmediateReadPciSlotInformation(NDIS_HANDLE WrapperConfigurationContext, ULONG SlotNumber,
					 ULONG Offset, PVOID Buffer, ULONG Length)
{
	struct ndisrt_ndis5_nic *n =
	    ndis5_nic_of_wrapper_context(WrapperConfigurationContext, NDISRT_DDI_PCI_SLOT);

	NdisReadPciSlotInformation(n->handle, SlotNumber, Offset, Buffer, Length);
}

VOID NdisImmediateWritePciSlotInformation(NDIS_HANDLE WrapperConfigurationContext, ULONG SlotNumber,
					  ULONG Offset, PVOID Buffer, ULONG Length)
{
	struct ndisrt_ndis5_nic *n =
	    ndis5_nic_of_wrapper_context(WrapperConfigurationContext, NDISRT_DDI_PCI_SLOT);

	NdisWritePciSlotInformation(n->handle, SlotNumber, Offset, Buffer, Length);
}

/* ---------------------------------------------------- packets, buffers */

VOID NdisMTransferDataComplete(NDIS_HANDLE MiniportAdapterHandle, PNDIS_PACKET Packet,
			       NDIS_STATUS Status, UINT BytesTransferred)
{
	(void)BytesTransferred;
	ndis_ddi_enter(NDISRT_NDIS5_DDI_RECEIVE, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	(void)ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_RECEIVE);
	ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)MiniportAdapterHandle,
			 (uintptr_t)Packet, NDISRT_NDIS5_DDI_RECEIVE,
			 "NdisMTransferDataComplete with no transfer pending (ndisrt never "
			 "calls MiniportTransferData: every indication holds the whole frame)");
	(void)Status;
}

/* Copy @len bytes at @off of @src's buffers into @dst's at @doff. Return: bytes copied. */
static UINT packet_copy(PNDIS_PACKET dst, UINT doff, UINT len, PNDIS_PACKET src, UINT soff)
{
	PNDIS_BUFFER d = dst->Private.Head, s = src->Private.Head;
	UINT done = 0;

	while (d && doff >= d->ByteCount) {
		doff -= d->ByteCount;
		d = d->Next;
	}
	while (s && soff >= s->ByteCount) {
		soff -= s->ByteCount;
		s = s->Next;
	}
	while (d && s && done < len) {
		UINT k = len - done;

		if (k > d->ByteCount - doff)
			k = d->ByteCount - doff;
		if (k > s->ByteCount - soff)
			k = s->ByteCount - soff;
		memmove((PUCHAR)d->MappedSystemVa + doff, (PUCHAR)s->MappedSystemVa + soff, k);
		done += k;
		doff += k;
		soff += k;
		if (doff == d->ByteCount) {
			d = d->Next;
			doff = 0;
		}
		if (soff == s->ByteCount) {
			s = s->Next;
			soff = 0;
		}
	}
	return done;
}

/**
 * NdisCopyFromPacketToPacket[Safe]() - Copy up to @BytesToCopy bytes from
 * @Source at @SourceOffset into @Destination at @DestinationOffset, as far
 * as both buffer chains reach; *@BytesCopied says how many.
 * Context: IRQL <= DISPATCH_LEVEL (0xC4 IRQL).
 */
VOID NdisCopyFromPacketToPacket(PNDIS_PACKET Destination, UINT DestinationOffset, UINT BytesToCopy,
				PNDIS_PACKET Source, UINT SourceOffset, PUINT BytesCopied)
{
	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!Destination || !Source || !BytesCopied)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Destination,
				 (uintptr_t)Source, NDISRT_NDIS5_DDI_HANDLER,
				 "NdisCopyFromPacketToPacket: a packet or BytesCopied is NULL");
	*BytesCopied =
	    packet_copy(Destination, DestinationOffset, BytesToCopy, Source, SourceOffset);
}

VOID NdisCopyFromPacketToPacketSafe(PNDIS_PACKET Destination, UINT DestinationOffset,
				    UINT BytesToCopy, PNDIS_PACKET Source, UINT SourceOffset,
				    PUINT BytesCopied, MM_PAGE_PRIORITY Priority)
{
	(void)Priority;
	NdisCopyFromPacketToPacket(Destination, DestinationOffset, BytesToCopy, Source,
				   SourceOffset, BytesCopied);
}

/**
 * NdisCopyBuffer() - A buffer descriptor from @PoolHandle for [@Offset,
 * @Offset + @Length) of the memory @MemoryDescriptor (an NDIS_BUFFER)
 * describes. Context: IRQL <= DISPATCH_LEVEL. *Status as NdisAllocateBuffer.
 */
VOID NdisCopyBuffer(PNDIS_STATUS Status, PNDIS_BUFFER *Buffer, NDIS_HANDLE PoolHandle,
		    PVOID MemoryDescriptor, UINT Offset, UINT Length)
{
	PNDIS_BUFFER src = MemoryDescriptor;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!src || Offset > src->ByteCount || Length > src->ByteCount - Offset)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)MemoryDescriptor,
				 Offset, NDISRT_NDIS5_DDI_HANDLER,
				 "NdisCopyBuffer: no MemoryDescriptor, or Offset + Length past "
				 "its end");
	NdisAllocateBuffer(Status, Buffer, PoolHandle, (PUCHAR)src->MappedSystemVa + Offset,
			   Length);
}

/* ------------------------------------------------------------- cancel IDs */

/**
 * NdisGeneratePartialCancelId() - The high byte of the cancel IDs of one
 * caller: a new value at each call (wrapping after 256).
 * Context: IRQL <= DISPATCH_LEVEL.
 */
UCHAR NdisGeneratePartialCancelId(VOID)
{
	static atomic_uint next;

	ndis_check_irql(KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL, NDISRT_NDIS5_DDI_HANDLER);
	return (UCHAR)(atomic_fetch_add(&next, 1) + 1);
}

/* ------------------------------------------------------------- miniport logs */

#define LOG_MAGIC 0x4E444C4F47ull /* 'NDLOG' */
#define LOG_MAX (1u << 20)

struct ndis5_log {
	uint64_t magic;
	struct ke_spinlock lock; /* DISPATCH */
	UINT size, used;	 /* (lock) */
	NDIS_HANDLE adapter;
	UCHAR data[];
};

static struct ndis5_log *log_of(NDIS_HANDLE h, const char *ddi)
{
	struct ndis5_log *l = h;

	if (!l || l->magic != LOG_MAGIC)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)h, 0,
				 NDISRT_NDIS5_DDI_HANDLER, ddi);
	return l;
}

/**
 * NdisMCreateLog() - A log of @Size bytes for the adapter.
 * Context: PASSIVE_LEVEL (0xC4 IRQL). Return: NDIS_STATUS_SUCCESS;
 * NDIS_STATUS_RESOURCES (no memory, or more than 1 MiB).
 */
NDIS_STATUS NdisMCreateLog(NDIS_HANDLE MiniportAdapterHandle, UINT Size, PNDIS_HANDLE LogHandle)
{
	struct ndis5_log *l;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	(void)ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_HANDLER);
	if (!LogHandle)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)MiniportAdapterHandle,
				 0, NDISRT_NDIS5_DDI_HANDLER, "NdisMCreateLog: LogHandle is NULL");
	*LogHandle = NULL;
	if (Size > LOG_MAX)
		return NDIS_STATUS_RESOURCES;
	l = ndis_zalloc(sizeof(*l) + Size);
	if (!l)
		return NDIS_STATUS_RESOURCES;
	l->magic = LOG_MAGIC;
	ke_spin_init(&l->lock);
	l->size = Size;
	l->adapter = MiniportAdapterHandle;
	*LogHandle = l;
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

/** NdisMCloseLog() - Free the log. PASSIVE_LEVEL; not a log: 0xC4 BAD_OBJECT. */
VOID NdisMCloseLog(NDIS_HANDLE LogHandle)
{
	struct ndis5_log *l;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	l = log_of(LogHandle, "NdisMCloseLog: not a log NdisMCreateLog made (closed twice?)");
	l->magic = 0;
	ndis_free(l);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/** NdisMFlushLog() - Empty the log. IRQL <= DISPATCH_LEVEL. */
VOID NdisMFlushLog(NDIS_HANDLE LogHandle)
{
	struct ndis5_log *l;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	l = log_of(LogHandle, "NdisMFlushLog: not a log NdisMCreateLog made");
	old = ke_spin_acquire(&l->lock);
	l->used = 0;
	ke_spin_release(&l->lock, old);
}

/**
 * NdisMWriteLogData() - Append @LogBufferSize bytes. IRQL <= DISPATCH_LEVEL.
 * Return: NDIS_STATUS_SUCCESS, or NDIS_STATUS_BUFFER_OVERFLOW (nothing
 * written: the bytes do not fit in what is left).
 */
NDIS_STATUS NdisMWriteLogData(NDIS_HANDLE LogHandle, PVOID LogBuffer, UINT LogBufferSize)
{
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;
	struct ndis5_log *l;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	l = log_of(LogHandle, "NdisMWriteLogData: not a log NdisMCreateLog made");
	old = ke_spin_acquire(&l->lock);
	if (LogBufferSize > l->size - l->used) {
		st = NDIS_STATUS_BUFFER_OVERFLOW;
	} else if (LogBufferSize) {
		memcpy(l->data + l->used, LogBuffer, LogBufferSize);
		l->used += LogBufferSize;
	}
	ke_spin_release(&l->lock, old);
	return st;
}

/**
 * NdisMRemoveMiniport() - A miniport asking NDIS to remove an adapter it
 * found unrecoverable. ndisrt has no PnP manager that could take a device
 * away while the machine runs, so the request fails as the page allows
 * (NDIS_STATUS_FAILURE: "an attempt to remove the miniport adapter
 * failed"); it is printed (one line on standard error) and counted in
 * ndisrt_remove_requests(), and the adapter keeps running until the host
 * halts it. Context: IRQL <= DISPATCH_LEVEL (0xC4 IRQL).
 */
static atomic_ulong remove_requests;

NDIS_STATUS NdisMRemoveMiniport(NDIS_HANDLE MiniportAdapterHandle)
{
	char line[128];
	int len;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_DEVICE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	(void)ndis_adapter_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_DEVICE);
	atomic_fetch_add(&remove_requests, 1);
	len = snprintf(line, sizeof(line),
		       "ndisrt: adapter %p asked to be removed (NdisMRemoveMiniport): "
		       "NDIS_STATUS_FAILURE, no PnP manager\n",
		       MiniportAdapterHandle);
	(void)!write(2, line, (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_FAILURE;
}

unsigned long ndisrt_remove_requests(void)
{
	return atomic_load(&remove_requests);
}
