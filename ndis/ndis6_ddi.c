/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis6_ddi.c - links the NDIS 6.0-6.30 support DDIs of ndis/nbl6.c
 * and ndis/ndis6_more.c into every program that links ndisrt_ndis, and
 * exports them from the ndisrt binary (tools/CMakeLists.txt reads this
 * table as it reads ndis/host_ddi.c's and ndis/wdk_ddi.c's).
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"

typedef void ddi_fn(void);

__attribute__((used)) static ddi_fn *const ndis6_ddi_table[] = {
    (ddi_fn *)NdisAllocateNetBufferPool,
    (ddi_fn *)NdisFreeNetBufferPool,
    (ddi_fn *)NdisAllocateNetBuffer,
    (ddi_fn *)NdisAllocateNetBufferMdlAndData,
    (ddi_fn *)NdisFreeNetBuffer,
    (ddi_fn *)NdisAllocateNetBufferList,
    (ddi_fn *)NdisGetPoolFromNetBuffer,
    (ddi_fn *)NdisGetPoolFromNetBufferList,
    (ddi_fn *)NdisGetNetBufferListProtocolId,
    (ddi_fn *)NdisAllocateNetBufferListContext,
    (ddi_fn *)NdisFreeNetBufferListContext,
    (ddi_fn *)NdisRetreatNetBufferDataStart,
    (ddi_fn *)NdisAdvanceNetBufferDataStart,
    (ddi_fn *)NdisRetreatNetBufferListDataStart,
    (ddi_fn *)NdisAdvanceNetBufferListDataStart,
    (ddi_fn *)NdisAdjustNetBufferCurrentMdl,
    (ddi_fn *)NdisCopyFromNetBufferToNetBuffer,
    (ddi_fn *)NdisCopySendNetBufferListInfo,
    (ddi_fn *)NdisCopyReceiveNetBufferListInfo,
    (ddi_fn *)NdisAllocateCloneNetBufferList,
    (ddi_fn *)NdisFreeCloneNetBufferList,
    (ddi_fn *)NdisAllocateFragmentNetBufferList,
    (ddi_fn *)NdisFreeFragmentNetBufferList,
    (ddi_fn *)NdisAllocateReassembledNetBufferList,
    (ddi_fn *)NdisFreeReassembledNetBufferList,
    (ddi_fn *)NdisSetOptionalHandlers,
    (ddi_fn *)NdisAllocateRWLock,
    (ddi_fn *)NdisFreeRWLock,
    (ddi_fn *)NdisAcquireRWLockRead,
    (ddi_fn *)NdisAcquireRWLockWrite,
    (ddi_fn *)NdisReleaseRWLock,
    (ddi_fn *)NdisMGetDmaAlignment,
    (ddi_fn *)NdisSetCoalescableTimerObject,
    (ddi_fn *)NdisInitializeString,
    (ddi_fn *)ndis_ansi_string_to_unicode_string,
    (ddi_fn *)ndis_unicode_string_to_ansi_string,
    (ddi_fn *)ndis_upcase_unicode_string,
    (ddi_fn *)NdisAllocateCloneOidRequest,
    (ddi_fn *)NdisFreeCloneOidRequest,
    (ddi_fn *)NdisFreeMemoryWithTag,
    (ddi_fn *)NdisFreeMemoryWithTagPriority,
    (ddi_fn *)NdisMSetBusData,
    (ddi_fn *)NdisMDirectOidRequestComplete,
    (ddi_fn *)NdisMIdleNotificationComplete,
    (ddi_fn *)NdisMIdleNotificationConfirm,
    (ddi_fn *)NdisMEnableVirtualization,
    (ddi_fn *)NdisMGetVirtualFunctionBusData,
    (ddi_fn *)NdisMSetVirtualFunctionBusData,
    (ddi_fn *)NdisMGetVirtualFunctionLocation,
    (ddi_fn *)NdisMReadConfigBlock,
    (ddi_fn *)NdisMWriteConfigBlock,
    (ddi_fn *)NdisMInvalidateConfigBlock,
    (ddi_fn *)NdisMQueryProbedBars,
    (ddi_fn *)NdisMAllocateSharedMemoryAsyncEx,
};

unsigned ndisrt_link_ndis6_ddi_symbols(void);

unsigned ndisrt_link_ndis6_ddi_symbols(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(ndis6_ddi_table) / sizeof(ndis6_ddi_table[0]); i++)
		n += ndis6_ddi_table[i] != NULL;
	return n;
}
