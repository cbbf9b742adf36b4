/* SPDX-License-Identifier: MIT */
/*
 * ndis/wdk_ddi.c - links the support DDIs of <ndis/support.h> into every
 * program that links ndisrt_ndis.
 *
 * A driver's imports resolve against the program that loads it, so each
 * DDI must be in that program even if the program never calls it. The
 * library's users are told (ndis/CMakeLists.txt: --undefined) to need
 * ndisrt_link_wdk_ddi_symbols, defined here; this table references every
 * support DDI, so linking this object links them all.
 */
#include "ndis/wdk.h"

typedef void ddi_fn(void);

__attribute__((used)) static ddi_fn *const wdk_ddi_table[] = {
    (ddi_fn *)DbgBreakPoint,
    (ddi_fn *)DbgPrint,
    (ddi_fn *)DbgPrintEx,
    (ddi_fn *)KeBugCheckEx,
    (ddi_fn *)KeFlushQueuedDpcs,
    (ddi_fn *)KeInitializeDpc,
    (ddi_fn *)KeInsertQueueDpc,
    (ddi_fn *)KeRemoveQueueDpc,
    (ddi_fn *)KeSetImportanceDpc,
    (ddi_fn *)KeSetTargetProcessorDpc,
    (ddi_fn *)KeSetTargetProcessorDpcEx,
    (ddi_fn *)NdisAllocateIoWorkItem,
    (ddi_fn *)NdisAllocateTimerObject,
    (ddi_fn *)NdisCancelTimerObject,
    (ddi_fn *)NdisCloseConfiguration,
    (ddi_fn *)NdisFreeIoWorkItem,
    (ddi_fn *)NdisFreeTimerObject,
    (ddi_fn *)NdisGetCurrentSystemTime,
    (ddi_fn *)NdisGetSystemUpTime,
    (ddi_fn *)NdisGetSystemUpTimeEx,
    (ddi_fn *)NdisInitializeEvent,
    (ddi_fn *)NdisMCancelTimer,
    (ddi_fn *)NdisMInitializeTimer,
    (ddi_fn *)NdisInitializeReadWriteLock,
    (ddi_fn *)NdisAcquireReadWriteLock,
    (ddi_fn *)NdisReleaseReadWriteLock,
    (ddi_fn *)NdisDprAcquireReadWriteLock,
    (ddi_fn *)NdisDprReleaseReadWriteLock,
    (ddi_fn *)NdisOpenFile,
    (ddi_fn *)NdisCloseFile,
    (ddi_fn *)NdisMapFile,
    (ddi_fn *)NdisUnmapFile,
    (ddi_fn *)NdisGetVersion,
    (ddi_fn *)NdisGetSharedDataAlignment,
    (ddi_fn *)NdisGetRoutineAddress,
    (ddi_fn *)NdisWriteEventLogEntry,
    (ddi_fn *)NdisOpenConfigurationKeyByIndex,
    (ddi_fn *)NdisOpenConfigurationKeyByName,
    (ddi_fn *)NdisInitializeTimer,
    (ddi_fn *)NdisSetTimer,
    (ddi_fn *)NdisCancelTimer,
    (ddi_fn *)NdisMSetPeriodicTimer,
    (ddi_fn *)NdisMSetTimer,
    (ddi_fn *)NdisMSleep,
    (ddi_fn *)NdisOpenConfiguration,
    (ddi_fn *)NdisOpenConfigurationEx,
    (ddi_fn *)NdisQueueIoWorkItem,
    (ddi_fn *)NdisReadConfiguration,
    (ddi_fn *)NdisReadNetworkAddress,
    (ddi_fn *)NdisResetEvent,
    (ddi_fn *)NdisScheduleWorkItem,
    (ddi_fn *)NdisSetEvent,
    (ddi_fn *)NdisSetTimerObject,
    (ddi_fn *)NdisWaitEvent,
    (ddi_fn *)NdisWriteConfiguration,
    (ddi_fn *)NdisWriteErrorLogEntry,
    (ddi_fn *)NdisInterlockedInsertHeadList,
    (ddi_fn *)NdisInterlockedInsertTailList,
    (ddi_fn *)NdisInterlockedRemoveHeadList,
    (ddi_fn *)NdisInitializeSListHead,
    (ddi_fn *)NdisInterlockedPushEntrySList,
    (ddi_fn *)NdisInterlockedPopEntrySList,
    (ddi_fn *)NdisQueryDepthSList,
    (ddi_fn *)NdisInitializeNPagedLookasideList,
    (ddi_fn *)NdisDeleteNPagedLookasideList,
    (ddi_fn *)NdisAllocateFromNPagedLookasideList,
    (ddi_fn *)NdisFreeToNPagedLookasideList,
    (ddi_fn *)NdisAllocatePacketPool,
    (ddi_fn *)NdisAllocatePacketPoolEx,
    (ddi_fn *)NdisFreePacketPool,
    (ddi_fn *)NdisPacketPoolUsage,
    (ddi_fn *)NdisAllocatePacket,
    (ddi_fn *)NdisDprAllocatePacket,
    (ddi_fn *)NdisFreePacket,
    (ddi_fn *)NdisDprFreePacket,
    (ddi_fn *)NdisAllocateBufferPool,
    (ddi_fn *)NdisFreeBufferPool,
    (ddi_fn *)NdisAllocateBuffer,
    (ddi_fn *)NdisFreeBuffer,
    (ddi_fn *)NdisUnchainBufferAtFront,
    (ddi_fn *)NdisUnchainBufferAtBack,
    (ddi_fn *)NdisActiveGroupCount,
    (ddi_fn *)NdisMaxGroupCount,
    (ddi_fn *)NdisGroupActiveProcessorMask,
    (ddi_fn *)NdisQueryNetBufferPhysicalCount,
};

unsigned ndisrt_link_wdk_ddi_symbols(void);

unsigned ndisrt_link_wdk_ddi_symbols(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(wdk_ddi_table) / sizeof(wdk_ddi_table[0]); i++)
		n += wdk_ddi_table[i] != NULL;
	return n;
}
