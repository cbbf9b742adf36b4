/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/dma.c - NdisMInitializeScatterGatherDma, the NDIS 5.1 way for
 * a bus-master miniport to set up DMA before NdisMAllocateSharedMemory.
 *
 * ndisrt builds no scatter/gather lists for NDIS 5 sends (MiniportSendPackets
 * gets no SG list; drivers copy into shared memory), so the call only
 * registers the adapter's DMA the way NdisMRegisterScatterGatherDma does for
 * NDIS 6, which is what NdisMAllocateSharedMemory checks. NDIS releases the
 * registration itself when MiniportHalt returns or MiniportInitialize fails
 * (ndis5_sg_dma_release(), called by the NDIS 5 layer): an NDIS 5 miniport
 * has no call to undo it.
 */
#include "ndis/ndis5/internal.h"

#include <stdatomic.h>

#define NDIS5_DMA_SLOTS 64u

/* Lock key: (a) atomic; a slot is claimed by CAS on @adapter. */
static struct {
	_Atomic(NDIS_HANDLE) adapter;	/* (a) NULL: free */
	_Atomic(NDIS_HANDLE) dma;	/* (a) what NdisMRegisterScatterGatherDma returned */
} ndis5_dma[NDIS5_DMA_SLOTS];

/* Never called: ndisrt hands NDIS 5 miniports no SG lists. */
static VOID ndis5_dma_no_sg_list(PDEVICE_OBJECT pDO, PVOID Reserved, PSCATTER_GATHER_LIST pSGL,
				 PVOID Context)
{
	(void)pDO, (void)Reserved, (void)pSGL, (void)Context;
}

/**
 * NdisMInitializeScatterGatherDma() - Set up bus-master DMA for an NDIS 5.1
 * miniport.
 * Context: PASSIVE_LEVEL, from MiniportInitialize (0xC4 otherwise, as for
 * NdisMRegisterScatterGatherDma, whose checks it shares).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_FAILURE if DMA is set up already;
 * NDIS_STATUS_RESOURCES.
 */
NDIS_STATUS NdisMInitializeScatterGatherDma(NDIS_HANDLE MiniportAdapterHandle,
					    BOOLEAN Dma64BitAddresses,
					    ULONG MaximumPhysicalMapping)
{
	NDIS_SG_DMA_DESCRIPTION dd = {0};
	NDIS_HANDLE dma = NULL;
	NDIS_STATUS status;
	unsigned i;

	dd.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
	dd.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
	dd.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
	dd.Flags = Dma64BitAddresses ? NDIS_SG_DMA_64_BIT_ADDRESS : 0;
	dd.MaximumPhysicalMapping = MaximumPhysicalMapping ? MaximumPhysicalMapping : 1;
	dd.ProcessSGListHandler = ndis5_dma_no_sg_list;
	status = NdisMRegisterScatterGatherDma(MiniportAdapterHandle, &dd, &dma);
	if (status != NDIS_STATUS_SUCCESS)
		return status;
	for (i = 0; i < NDIS5_DMA_SLOTS; i++) {
		NDIS_HANDLE expected = NULL;

		if (atomic_compare_exchange_strong(&ndis5_dma[i].adapter, &expected,
						   MiniportAdapterHandle)) {
			atomic_store(&ndis5_dma[i].dma, dma);
			return NDIS_STATUS_SUCCESS;
		}
	}
	NdisMDeregisterScatterGatherDma(dma);
	return NDIS_STATUS_RESOURCES;
}

/*
 * ndis5_sg_dma_release() - Undo NdisMInitializeScatterGatherDma for
 * @adapter, if it was called. Context: the vCPU running MiniportInitialize
 * (after a failure) or MiniportHalt (after it returned), at PASSIVE_LEVEL.
 */
void ndis5_sg_dma_release(NDIS_HANDLE adapter)
{
	for (unsigned i = 0; i < NDIS5_DMA_SLOTS; i++) {
		if (atomic_load(&ndis5_dma[i].adapter) != adapter)
			continue;
		NdisMDeregisterScatterGatherDma(atomic_exchange(&ndis5_dma[i].dma, NULL));
		atomic_store(&ndis5_dma[i].adapter, NULL);
		return;
	}
}
