/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_ddi.c - the table of every DDI function ndisrt exports to
 * drivers.
 *
 * A driver's imports resolve against the program that loads it, so every
 * DDI must be linked into that program even if the program itself never
 * calls it. ndisrt_driver_load() references this table, which references
 * every DDI: linking the loader links them all (and the executable, built
 * with exported symbols, exports them). It is also the authoritative list
 * of implemented DDI functions (docs/hosting.md, docs/ndis5.md), NDIS 5
 * and NDIS 6 alike. Macros of <ndis.h> that expand to a runtime function
 * (register and port access, NDIS_RAISE_IRQL_TO_DISPATCH, NdisQueryPacket)
 * are here by that function; those that expand to builtins
 * (NdisZeroMemory, InterlockedIncrement, the NBL accessors...) are not.
 */
#include "ndis/host_internal.h"

typedef void ddi_fn(void);

/* used: kept (with its references) even where the compiler folds the count. */
__attribute__((used)) static ddi_fn *const ddi_table[] = {
    (ddi_fn *)KeGetCurrentIrql,
    (ddi_fn *)KeGetCurrentProcessorNumber,
    (ddi_fn *)KeGetProcessorIndexFromNumber,
    (ddi_fn *)NdisAcquireSpinLock,
    (ddi_fn *)NdisAllocateMdl,
    (ddi_fn *)NdisAllocateMemoryWithTag,
    (ddi_fn *)NdisAllocateMemoryWithTagPriority,
    (ddi_fn *)NdisAllocateNetBufferAndNetBufferList,
    (ddi_fn *)NdisAllocateNetBufferListPool,
    (ddi_fn *)NdisAllocateSpinLock,
    (ddi_fn *)NdisAllocateTimerObject,
    (ddi_fn *)NdisCurrentGroupAndProcessor,
    (ddi_fn *)NdisCurrentProcessorIndex,
    (ddi_fn *)NdisDprAcquireSpinLock,
    (ddi_fn *)NdisDprReleaseSpinLock,
    (ddi_fn *)NdisFreeMdl,
    (ddi_fn *)NdisFreeMemory,
    (ddi_fn *)NdisFreeNetBufferList,
    (ddi_fn *)NdisFreeNetBufferListPool,
    (ddi_fn *)NdisFreeSpinLock,
    (ddi_fn *)NdisFreeTimerObject,
    (ddi_fn *)NdisCancelTimerObject,
    (ddi_fn *)NdisSetTimerObject,
    (ddi_fn *)NdisGetDataBuffer,
    (ddi_fn *)NdisGroupActiveProcessorCount,
    (ddi_fn *)NdisGroupMaxProcessorCount,
    (ddi_fn *)NdisMAllocateSharedMemory,
    (ddi_fn *)NdisMDeregisterInterrupt,
    (ddi_fn *)NdisMDeregisterInterruptEx,
    (ddi_fn *)NdisMDeregisterIoPortRange,
    (ddi_fn *)NdisMDeregisterMiniportDriver,
    (ddi_fn *)NdisMDeregisterScatterGatherDma,
    (ddi_fn *)NdisMEthIndicateReceive,
    (ddi_fn *)NdisMEthIndicateReceiveComplete,
    (ddi_fn *)NdisMIndicateReceivePacket,
    (ddi_fn *)NdisMResetComplete,
    (ddi_fn *)NdisMAllocateNetBufferSGList,
    (ddi_fn *)NdisMFreeNetBufferSGList,
    (ddi_fn *)NdisMCreateLog,
    (ddi_fn *)NdisMCloseLog,
    (ddi_fn *)NdisMFlushLog,
    (ddi_fn *)NdisMWriteLogData,
    (ddi_fn *)NdisGeneratePartialCancelId,
    (ddi_fn *)NdisMQueryAdapterResources,
    (ddi_fn *)NdisMAllocateMapRegisters,
    (ddi_fn *)NdisMFreeMapRegisters,
    (ddi_fn *)NdisMStartBufferPhysicalMapping,
    (ddi_fn *)NdisMCompleteBufferPhysicalMapping,
    (ddi_fn *)NdisMAllocateSharedMemoryAsync,
    (ddi_fn *)NdisMGetDeviceProperty,
    (ddi_fn *)NdisMQueryAdapterInstanceName,
    (ddi_fn *)NdisMRemoveMiniport,
    (ddi_fn *)NdisMRegisterAdapterShutdownHandler,
    (ddi_fn *)NdisMDeregisterAdapterShutdownHandler,
    (ddi_fn *)NdisMRegisterUnloadHandler,
    (ddi_fn *)NdisImmediateReadPciSlotInformation,
    (ddi_fn *)NdisImmediateWritePciSlotInformation,
    (ddi_fn *)NdisMTransferDataComplete,
    (ddi_fn *)NdisCopyFromPacketToPacket,
    (ddi_fn *)NdisCopyFromPacketToPacketSafe,
    (ddi_fn *)NdisCopyBuffer,
    (ddi_fn *)NdisMFreeSharedMemory,
    (ddi_fn *)NdisMGetBusData,
    (ddi_fn *)NdisMIndicateReceiveNetBufferLists,
    (ddi_fn *)NdisMIndicateStatus,
    (ddi_fn *)NdisMIndicateStatusComplete,
    (ddi_fn *)NdisMIndicateStatusEx,
    (ddi_fn *)NdisMInitializeWrapper,
    (ddi_fn *)NdisMMapIoSpace,
    (ddi_fn *)NdisMInitializeScatterGatherDma,
    (ddi_fn *)NdisMOidRequestComplete,
    (ddi_fn *)NdisMPauseComplete,
    (ddi_fn *)NdisMQueryInformationComplete,
    (ddi_fn *)NdisMQueueDpc,
    (ddi_fn *)NdisMQueueDpcEx,
    (ddi_fn *)NdisMRegisterInterrupt,
    (ddi_fn *)NdisMRegisterInterruptEx,
    (ddi_fn *)NdisMRegisterIoPortRange,
    (ddi_fn *)NdisMRegisterMiniport,
    (ddi_fn *)NdisMRegisterMiniportDriver,
    (ddi_fn *)NdisMRegisterScatterGatherDma,
    (ddi_fn *)NdisMRestartComplete,
    (ddi_fn *)NdisMSendComplete,
    (ddi_fn *)NdisMSendNetBufferListsComplete,
    (ddi_fn *)NdisMSendResourcesAvailable,
    (ddi_fn *)NdisMSetAttributes,
    (ddi_fn *)NdisMSetAttributesEx,
    (ddi_fn *)NdisMSetInformationComplete,
    (ddi_fn *)NdisMSetMiniportAttributes,
    (ddi_fn *)NdisMSynchronizeWithInterrupt,
    (ddi_fn *)NdisMSynchronizeWithInterruptEx,
    (ddi_fn *)NdisMUnmapIoSpace,
    (ddi_fn *)NdisReadPciSlotInformation,
    (ddi_fn *)NdisReleaseSpinLock,
    (ddi_fn *)NdisStallExecution,
    (ddi_fn *)NdisSystemActiveProcessorCount,
    (ddi_fn *)NdisSystemProcessorCount,
    (ddi_fn *)NdisTerminateWrapper,
    (ddi_fn *)NdisWritePciSlotInformation,
    /* the runtime halves of DDIs <ndis.h> defines as macros */
    (ddi_fn *)ndis_lower_irql,
    (ddi_fn *)ndis_query_packet,
    (ddi_fn *)ndis_raise_irql_to_dispatch,
    (ddi_fn *)ndis_raw_read_port_buffer_uchar,
    (ddi_fn *)ndis_raw_read_port_buffer_ulong,
    (ddi_fn *)ndis_raw_read_port_buffer_ushort,
    (ddi_fn *)ndis_raw_read_port_uchar,
    (ddi_fn *)ndis_raw_read_port_ulong,
    (ddi_fn *)ndis_raw_read_port_ushort,
    (ddi_fn *)ndis_raw_write_port_buffer_uchar,
    (ddi_fn *)ndis_raw_write_port_buffer_ulong,
    (ddi_fn *)ndis_raw_write_port_buffer_ushort,
    (ddi_fn *)ndis_raw_write_port_uchar,
    (ddi_fn *)ndis_raw_write_port_ulong,
    (ddi_fn *)ndis_raw_write_port_ushort,
    (ddi_fn *)ndis_read_register_uchar,
    (ddi_fn *)ndis_read_register_ulong,
    (ddi_fn *)ndis_read_register_ushort,
    (ddi_fn *)ndis_write_register_uchar,
    (ddi_fn *)ndis_write_register_ulong,
    (ddi_fn *)ndis_write_register_ushort,
};

unsigned ndisrt_link_ddi_symbols(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(ddi_table) / sizeof(ddi_table[0]); i++)
		n += ddi_table[i] != NULL;
	return n;
}
