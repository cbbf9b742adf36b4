/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    receive.c

Abstract:

    Receive queues of the virtio-net sample miniport
    ("Setting Up Receive Buffers", "Processing of Incoming Packets").

    Each receive queue owns one buffer per queue entry in shared memory;
    buffer i always sits in descriptor i, a single device-writable
    descriptor holding the virtio-net header and a whole frame. The buffer's
    MDL starts after the header, so the NBL describes the frame alone.

--*/

#include "virtio_net.h"

static VOID VioNetPostRxBuffersLocked(_In_ PVIONET_RX_QUEUE Queue);
static VOID VioNetRecycleReceiveChain(_In_ PVIONET_RX_QUEUE Queue,
                                      _In_ PNET_BUFFER_LIST NetBufferLists,
                                      _In_ BOOLEAN AtDispatchLevel);
static VOID VioNetReceiveNblsReturned(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Count);


_Use_decl_annotations_
NDIS_STATUS
VioNetAllocateRxQueue(
    PVIONET_ADAPTER Adapter,
    PVIONET_RX_QUEUE Queue,
    USHORT Index,
    USHORT Size
    )
/*++

Routine Description:

    Allocates the virtqueue, the buffer area, and an MDL and an NBL for
    every buffer. On failure the caller frees with VioNetFreeRxQueue.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_RESOURCES, or the virtqueue's failure.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVIONET_RX_BUFFER buffer;
    NDIS_STATUS status;
    ULONG i;

    status = VioNetAllocateQueue(Adapter, &Queue->Vq, Index, Size);
    if (status != NDIS_STATUS_SUCCESS) {
        return status;
    }

    Queue->BufferAreaBytes = (ULONG)Queue->Vq.Size * VIONET_RX_BUFFER_SIZE;
    NdisMAllocateSharedMemory(Adapter->AdapterHandle,
                              Queue->BufferAreaBytes,
                              FALSE,
                              (PVOID *)&Queue->BufferArea,
                              &Queue->BufferAreaLogical);
    if (Queue->BufferArea == NULL) {
        return NDIS_STATUS_RESOURCES;
    }

    for (i = 0; i < Queue->Vq.Size; i++) {
        buffer = &Queue->Buffers[i];
        buffer->Queue = Queue;
        buffer->Id = (USHORT)i;
        buffer->VirtualAddress = Queue->BufferArea + i * VIONET_RX_BUFFER_SIZE;
        buffer->LogicalAddress.QuadPart =
            Queue->BufferAreaLogical.QuadPart + (LONGLONG)i * VIONET_RX_BUFFER_SIZE;

        buffer->Mdl = NdisAllocateMdl(Adapter->AdapterHandle,
                                      buffer->VirtualAddress + Adapter->HdrLen,
                                      VIONET_RX_BUFFER_SIZE - Adapter->HdrLen);
        if (buffer->Mdl == NULL) {
            return NDIS_STATUS_RESOURCES;
        }

        buffer->Nbl = NdisAllocateNetBufferAndNetBufferList(Adapter->NblPool, 0, 0,
                                                            buffer->Mdl, 0, 0);
        if (buffer->Nbl == NULL) {
            NdisFreeMdl(buffer->Mdl);
            buffer->Mdl = NULL;
            return NDIS_STATUS_RESOURCES;
        }

        NET_BUFFER_LIST_MINIPORT_RESERVED(buffer->Nbl)[0] = buffer;
        buffer->Nbl->SourceHandle = Adapter->AdapterHandle;
        Queue->BuffersAllocated++;

        //
        // Descriptor i describes buffer i for the queue's whole life.
        //
        Queue->Vq.Desc[i].Address = (ULONGLONG)buffer->LogicalAddress.QuadPart;
        Queue->Vq.Desc[i].Length = VIONET_RX_BUFFER_SIZE;
        Queue->Vq.Desc[i].Flags = VIRTQ_DESC_F_WRITE;
        Queue->Vq.Desc[i].Next = 0;

        Queue->Free[Queue->FreeCount++] = (USHORT)i;
    }

    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
VioNetFreeRxQueue(
    PVIONET_ADAPTER Adapter,
    PVIONET_RX_QUEUE Queue
    )
/*++

Routine Description:

    Frees whatever part of the queue exists. The device has been reset and
    every indicated NBL has come back.

IRQL:

    PASSIVE_LEVEL

--*/
{
    ULONG i;

    for (i = 0; i < Queue->BuffersAllocated; i++) {
        NdisFreeNetBufferList(Queue->Buffers[i].Nbl);
        NdisFreeMdl(Queue->Buffers[i].Mdl);
    }
    Queue->BuffersAllocated = 0;

    if (Queue->BufferArea != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle,
                              Queue->BufferAreaBytes,
                              FALSE,
                              Queue->BufferArea,
                              Queue->BufferAreaLogical);
        Queue->BufferArea = NULL;
    }

    VioNetFreeQueue(Adapter, &Queue->Vq);
}


static
VOID
VioNetPostRxBuffersLocked(
    _In_ PVIONET_RX_QUEUE Queue
    )
/*++

Routine Description:

    Makes every free buffer available to the device and notifies it.
    The queue lock is held.

--*/
{
    while (Queue->FreeCount != 0) {
        VioNetQueueAdd(&Queue->Vq, Queue->Free[--Queue->FreeCount]);
        Queue->Posted++;
    }
    VioNetQueueKick(&Queue->Vq);
}


_Use_decl_annotations_
VOID
VioNetStartRxQueue(
    PVIONET_ADAPTER Adapter,
    PVIONET_RX_QUEUE Queue
    )
/*++

Routine Description:

    Posts every buffer. Called after DRIVER_OK.

IRQL:

    PASSIVE_LEVEL

--*/
{
    UNREFERENCED_PARAMETER(Adapter);

    NdisAcquireSpinLock(&Queue->Vq.Lock);
    VioNetPostRxBuffersLocked(Queue);
    NdisReleaseSpinLock(&Queue->Vq.Lock);
}


_Use_decl_annotations_
BOOLEAN
VioNetReceiveQueueDpc(
    PVIONET_ADAPTER Adapter,
    PVIONET_RX_QUEUE Queue,
    PULONG Budget
    )
/*++

Routine Description:

    Takes up to *Budget used buffers from one receive queue and indicates
    them in one NdisMIndicateReceiveNetBufferLists call. While the adapter
    is not Running they are not indicated but posted again.

Arguments:

    Adapter - The adapter.

    Queue - The queue.

    Budget - NBLs this DPC may still indicate; decremented.

Return Value:

    TRUE if used buffers remain in the queue.

IRQL:

    DISPATCH_LEVEL

--*/
{
    PNET_BUFFER_LIST head = NULL;
    PNET_BUFFER_LIST *link = &head;
    PVIONET_RX_BUFFER buffer;
    PNET_BUFFER nb;
    PVIRTIO_NET_HDR header;
    PVIRTIO_NET_HDR_HASH hashed;
    ULONG hashType;
    ULONG count = 0;
    ULONG length;
    USHORT id;
    BOOLEAN more;
    BOOLEAN running;

    NdisDprAcquireSpinLock(&Queue->Vq.Lock);

    while (count < *Budget && VioNetQueueGetUsed(&Queue->Vq, &id, &length)) {
        if (id >= Queue->Vq.Size) {
            //
            // Not a buffer of ours: nothing sensible can be done with it.
            //
            Queue->FramesBad++;
            continue;
        }
        buffer = &Queue->Buffers[id];
        Queue->Posted--;
        header = (PVIRTIO_NET_HDR)buffer->VirtualAddress;

        if (length < Adapter->HdrLen + VIONET_ETH_HEADER_SIZE ||
            length > VIONET_RX_BUFFER_SIZE ||
            header->NumBuffers != 1) {

            Queue->FramesBad++;
            Queue->Free[Queue->FreeCount++] = id;
            continue;
        }
        length -= Adapter->HdrLen;

        nb = NET_BUFFER_LIST_FIRST_NB(buffer->Nbl);
        NET_BUFFER_LIST_NEXT_NBL(buffer->Nbl) = NULL;
        NET_BUFFER_LIST_STATUS(buffer->Nbl) = NDIS_STATUS_SUCCESS;
        NET_BUFFER_CURRENT_MDL(nb) = NET_BUFFER_FIRST_MDL(nb);
        NET_BUFFER_CURRENT_MDL_OFFSET(nb) = 0;
        NET_BUFFER_DATA_OFFSET(nb) = 0;
        NET_BUFFER_DATA_LENGTH(nb) = length;

        //
        // The device's hash (VIRTIO_NET_F_HASH_REPORT), in NDIS terms.
        //
        NET_BUFFER_LIST_INFO(buffer->Nbl, NetBufferListHashValue) = NULL;
        NET_BUFFER_LIST_INFO(buffer->Nbl, NetBufferListHashInfo) = NULL;
        if (Adapter->HdrLen == sizeof(VIRTIO_NET_HDR_HASH) && Adapter->RssEnabled) {
            hashed = (PVIRTIO_NET_HDR_HASH)buffer->VirtualAddress;
            switch (hashed->HashReport) {
            case VIRTIO_NET_HASH_REPORT_IPv4:  hashType = NDIS_HASH_IPV4; break;
            case VIRTIO_NET_HASH_REPORT_TCPv4: hashType = NDIS_HASH_TCP_IPV4; break;
            case VIRTIO_NET_HASH_REPORT_IPv6:  hashType = NDIS_HASH_IPV6; break;
            case VIRTIO_NET_HASH_REPORT_TCPv6: hashType = NDIS_HASH_TCP_IPV6; break;
            default:                           hashType = 0; break;
            }
            if (hashType != 0) {
                NET_BUFFER_LIST_SET_HASH_VALUE(buffer->Nbl, hashed->HashValue);
                NET_BUFFER_LIST_SET_HASH_TYPE(buffer->Nbl, hashType);
                NET_BUFFER_LIST_SET_HASH_FUNCTION(buffer->Nbl, NdisHashFunctionToeplitz);
            }
        }

        *link = buffer->Nbl;
        link = &NET_BUFFER_LIST_NEXT_NBL(buffer->Nbl);
        Queue->BytesIndicated += length;
        count++;
    }

    more = VioNetQueueHasUsed(&Queue->Vq);

    //
    // Buffers found bad go straight back to the device.
    //
    VioNetPostRxBuffersLocked(Queue);

    NdisDprReleaseSpinLock(&Queue->Vq.Lock);

    *Budget -= count;
    if (count == 0) {
        return more;
    }

    NdisDprAcquireSpinLock(&Adapter->Lock);
    running = (Adapter->State == VioNetAdapterRunning);
    if (running) {
        InterlockedExchangeAdd(&Adapter->RxOutstanding, (LONG)count);
    }
    NdisDprReleaseSpinLock(&Adapter->Lock);

    if (!running) {
        VioNetRecycleReceiveChain(Queue, head, TRUE);
        NdisDprAcquireSpinLock(&Queue->Vq.Lock);
        Queue->FramesDroppedPaused += count;
        NdisDprReleaseSpinLock(&Queue->Vq.Lock);
        return more;
    }

    NdisMIndicateReceiveNetBufferLists(Adapter->AdapterHandle,
                                       head,
                                       NDIS_DEFAULT_PORT_NUMBER,
                                       count,
                                       NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL);

    NdisDprAcquireSpinLock(&Queue->Vq.Lock);
    Queue->FramesIndicated += count;
    NdisDprReleaseSpinLock(&Queue->Vq.Lock);

    return more;
}


static
VOID
VioNetRecycleReceiveChain(
    _In_ PVIONET_RX_QUEUE Queue,
    _In_ PNET_BUFFER_LIST NetBufferLists,
    _In_ BOOLEAN AtDispatchLevel
    )
/*++

Routine Description:

    Gives the buffers of a chain of this queue's NBLs back to the device.

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    PNET_BUFFER_LIST nbl;
    PNET_BUFFER_LIST next;
    PVIONET_RX_BUFFER buffer;

    if (AtDispatchLevel) {
        NdisDprAcquireSpinLock(&Queue->Vq.Lock);
    } else {
        NdisAcquireSpinLock(&Queue->Vq.Lock);
    }

    for (nbl = NetBufferLists; nbl != NULL; nbl = next) {
        next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
        buffer = (PVIONET_RX_BUFFER)NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0];
        Queue->Free[Queue->FreeCount++] = buffer->Id;
    }

    VioNetPostRxBuffersLocked(Queue);

    if (AtDispatchLevel) {
        NdisDprReleaseSpinLock(&Queue->Vq.Lock);
    } else {
        NdisReleaseSpinLock(&Queue->Vq.Lock);
    }
}


static
VOID
VioNetReceiveNblsReturned(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ ULONG Count
    )
{
    if (Count != 0 &&
        InterlockedExchangeAdd(&Adapter->RxOutstanding, -(LONG)Count) == (LONG)Count) {

        VioNetTryCompletePause(Adapter);
    }
}


_Use_decl_annotations_
VOID
VioNetReturnNetBufferLists(
    NDIS_HANDLE MiniportAdapterContext,
    PNET_BUFFER_LIST NetBufferLists,
    ULONG ReturnFlags
    )
/*++

Routine Description:

    NDIS returns indicated NBLs, possibly of several queues in one chain;
    each run of one queue's NBLs is recycled under that queue's lock.

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportAdapterContext;
    BOOLEAN atDispatch = NDIS_TEST_RETURN_AT_DISPATCH_LEVEL(ReturnFlags);
    PNET_BUFFER_LIST nbl = NetBufferLists;
    PNET_BUFFER_LIST last;
    PNET_BUFFER_LIST next;
    PVIONET_RX_QUEUE queue;
    ULONG returned = 0;

    while (nbl != NULL) {
        queue = ((PVIONET_RX_BUFFER)NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0])->Queue;

        last = nbl;
        returned++;
        next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        while (next != NULL &&
               ((PVIONET_RX_BUFFER)NET_BUFFER_LIST_MINIPORT_RESERVED(next)[0])->Queue == queue) {
            last = next;
            returned++;
            next = NET_BUFFER_LIST_NEXT_NBL(next);
        }
        NET_BUFFER_LIST_NEXT_NBL(last) = NULL;

        VioNetRecycleReceiveChain(queue, nbl, atDispatch);
        nbl = next;
    }

    VioNetReceiveNblsReturned(adapter, returned);
}
