/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    send.c

Abstract:

    Transmit queues of the virtio-net sample miniport
    ("Packet Transmission").

    A transmit queue has VIONET_TX_SLOTS slots of shared memory. Slot s
    owns descriptors 2s and 2s + 1 and holds a zeroed virtio-net header,
    an indirect table and a copy of the frame. Without
    VIRTIO_F_INDIRECT_DESC the frame goes out as a chain of two
    descriptors (header, frame); with it, descriptor 2s refers to the
    slot's two-entry indirect table. The used ring gives back the head,
    2s, so the slot follows from it.

    A sender picks the transmit queue of the pair that belongs to its
    processor; the device steers replies of a flow to the receive queue of
    the pair the flow was sent on. An NBL that finds too few free slots
    waits, in order, on the queue's wait list; the transmit DPC posts it
    when used buffers free enough slots.

--*/

#include "virtio_net.h"

static NDIS_STATUS VioNetSendNetBufferList(_In_ PVIONET_ADAPTER Adapter,
                                           _In_ PVIONET_TX_QUEUE Queue,
                                           _In_ PNET_BUFFER_LIST Nbl,
                                           _In_ BOOLEAN AtDispatchLevel,
                                           _Out_ PBOOLEAN Admitted);
static VOID VioNetSendNblsCompleted(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Count);
static VOID VioNetPostNblLocked(_In_ PVIONET_ADAPTER Adapter, _In_ PVIONET_TX_QUEUE Queue,
                                _In_ PNET_BUFFER_LIST Nbl, _In_ ULONG Count);
static VOID VioNetPostWaitingLocked(_In_ PVIONET_ADAPTER Adapter, _In_ PVIONET_TX_QUEUE Queue);

//
// MiniportReserved[0] of a queued NBL: how many of its NET_BUFFERs are
// still in the queue.
//
#define VIONET_NBL_PENDING(Nbl) ((ULONG_PTR)NET_BUFFER_LIST_MINIPORT_RESERVED(Nbl)[0])
#define VIONET_NBL_SET_PENDING(Nbl, Count) \
    (NET_BUFFER_LIST_MINIPORT_RESERVED(Nbl)[0] = (PVOID)(ULONG_PTR)(Count))


_Use_decl_annotations_
NDIS_STATUS
VioNetAllocateTxQueue(
    PVIONET_ADAPTER Adapter,
    PVIONET_TX_QUEUE Queue,
    USHORT Index,
    USHORT Size
    )
/*++

Routine Description:

    Allocates the virtqueue and the slot area.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_STATUS status;
    ULONG slots;
    ULONG i;

    status = VioNetAllocateQueue(Adapter, &Queue->Vq, Index, Size);
    if (status != NDIS_STATUS_SUCCESS) {
        return status;
    }

    slots = Queue->Vq.Size / 2;
    Queue->Slots = slots;
    Queue->SlotAreaBytes = slots * VIONET_TX_SLOT_SIZE;
    NdisMAllocateSharedMemory(Adapter->AdapterHandle,
                              Queue->SlotAreaBytes,
                              FALSE,
                              (PVOID *)&Queue->SlotArea,
                              &Queue->SlotAreaLogical);
    if (Queue->SlotArea == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(Queue->SlotArea, Queue->SlotAreaBytes);

    for (i = slots; i != 0; i--) {
        Queue->Free[Queue->FreeCount++] = (USHORT)(i - 1);
    }
    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
VioNetFreeTxQueue(
    PVIONET_ADAPTER Adapter,
    PVIONET_TX_QUEUE Queue
    )
/*++

Routine Description:

    Frees whatever part of the queue exists; the device has been reset.

IRQL:

    PASSIVE_LEVEL

--*/
{
    if (Queue->SlotArea != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle,
                              Queue->SlotAreaBytes,
                              FALSE,
                              Queue->SlotArea,
                              Queue->SlotAreaLogical);
        Queue->SlotArea = NULL;
    }
    VioNetFreeQueue(Adapter, &Queue->Vq);
}


_Use_decl_annotations_
VOID
VioNetSendNetBufferLists(
    NDIS_HANDLE MiniportAdapterContext,
    PNET_BUFFER_LIST NetBufferList,
    NDIS_PORT_NUMBER PortNumber,
    ULONG SendFlags
    )
/*++

Routine Description:

    Queues each NBL of the chain on the transmit queue of this processor's
    pair. NBLs that cannot be sent (paused, queue full, bad length) are
    completed at once with the reason in their status.

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportAdapterContext;
    BOOLEAN atDispatch = NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags);
    PVIONET_TX_QUEUE queue;
    PNET_BUFFER_LIST failed = NULL;
    PNET_BUFFER_LIST *failedLink = &failed;
    PNET_BUFFER_LIST nbl;
    PNET_BUFFER_LIST next;
    NDIS_STATUS status;
    BOOLEAN admitted;
    ULONG admittedFailures = 0;

    KIRQL oldIrql = DISPATCH_LEVEL;

    UNREFERENCED_PARAMETER(PortNumber);

    //
    // The processor index is only stable at DISPATCH_LEVEL: a sender at
    // PASSIVE_LEVEL raises for the moment it takes to read it.
    //
    if (!atDispatch) {
        NDIS_RAISE_IRQL_TO_DISPATCH(&oldIrql);
    }
    queue = &adapter->TxQueue[NdisCurrentProcessorIndex() % adapter->NumPairs];
    if (!atDispatch) {
        NDIS_LOWER_IRQL(oldIrql, DISPATCH_LEVEL);
    }

    for (nbl = NetBufferList; nbl != NULL; nbl = next) {
        next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;

        status = VioNetSendNetBufferList(adapter, queue, nbl, atDispatch, &admitted);
        if (status != NDIS_STATUS_SUCCESS) {
            if (admitted) {
                admittedFailures++;
            }
            NET_BUFFER_LIST_STATUS(nbl) = status;
            *failedLink = nbl;
            failedLink = &NET_BUFFER_LIST_NEXT_NBL(nbl);
        }
    }

    if (failed != NULL) {
        NdisMSendNetBufferListsComplete(adapter->AdapterHandle,
                                        failed,
                                        atDispatch ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
    }
    VioNetSendNblsCompleted(adapter, admittedFailures);
}


static
NDIS_STATUS
VioNetSendNetBufferList(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_TX_QUEUE Queue,
    _In_ PNET_BUFFER_LIST Nbl,
    _In_ BOOLEAN AtDispatchLevel,
    _Out_ PBOOLEAN Admitted
    )
/*++

Routine Description:

    Admits one NBL and puts it on the queue, one slot per NET_BUFFER
    (notifying the device), or on the wait list if it does not fit now.

Return Value:

    NDIS_STATUS_SUCCESS if the NBL is queued (it completes later),
    otherwise the status to complete it with now.

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    PNET_BUFFER nb;
    ULONG count = 0;
    ULONG length;
    BOOLEAN running;

    *Admitted = FALSE;

    for (nb = NET_BUFFER_LIST_FIRST_NB(Nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
        length = NET_BUFFER_DATA_LENGTH(nb);
        if (length < VIONET_ETH_HEADER_SIZE || length > VIONET_MAX_FRAME_SIZE) {
            return NDIS_STATUS_INVALID_LENGTH;
        }
        count++;
    }
    if (count == 0 || count > Queue->Slots) {
        return NDIS_STATUS_INVALID_LENGTH;
    }

    if (AtDispatchLevel) {
        NdisDprAcquireSpinLock(&Adapter->Lock);
    } else {
        NdisAcquireSpinLock(&Adapter->Lock);
    }
    running = (Adapter->State == VioNetAdapterRunning);
    if (running) {
        InterlockedIncrement(&Adapter->TxOutstanding);
    }
    if (AtDispatchLevel) {
        NdisDprReleaseSpinLock(&Adapter->Lock);
    } else {
        NdisReleaseSpinLock(&Adapter->Lock);
    }
    if (!running) {
        return NDIS_STATUS_PAUSED;
    }
    *Admitted = TRUE;

    if (AtDispatchLevel) {
        NdisDprAcquireSpinLock(&Queue->Vq.Lock);
    } else {
        NdisAcquireSpinLock(&Queue->Vq.Lock);
    }

    if (Queue->WaitHead != NULL || Queue->FreeCount < count) {
        //
        // Behind others, or no room: wait for the transmit DPC.
        //
        NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
        if (Queue->WaitTail != NULL) {
            NET_BUFFER_LIST_NEXT_NBL(Queue->WaitTail) = Nbl;
        } else {
            Queue->WaitHead = Nbl;
        }
        Queue->WaitTail = Nbl;
    } else {
        VioNetPostNblLocked(Adapter, Queue, Nbl, count);
        VioNetQueueKick(&Queue->Vq);
    }

    if (AtDispatchLevel) {
        NdisDprReleaseSpinLock(&Queue->Vq.Lock);
    } else {
        NdisReleaseSpinLock(&Queue->Vq.Lock);
    }

    return NDIS_STATUS_SUCCESS;
}


static
ULONG
VioNetNblCount(
    _In_ PNET_BUFFER_LIST Nbl
    )
{
    PNET_BUFFER nb;
    ULONG count = 0;

    for (nb = NET_BUFFER_LIST_FIRST_NB(Nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
        count++;
    }
    return count;
}


static
VOID
VioNetPostNblLocked(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_TX_QUEUE Queue,
    _In_ PNET_BUFFER_LIST Nbl,
    _In_ ULONG Count
    )
/*++

Routine Description:

    Copies each NET_BUFFER of the NBL into a free slot and makes its chain
    available. The caller checked that Count slots are free, holds the
    queue lock, and notifies the device afterwards.

--*/
{
    PVIRTQ_DESC table;
    PNET_BUFFER nb;
    PUCHAR slotVa;
    ULONGLONG slotPa;
    PVOID data;
    ULONG length;
    USHORT slot;
    USHORT head;

    NET_BUFFER_LIST_STATUS(Nbl) = NDIS_STATUS_SUCCESS;
    VIONET_NBL_SET_PENDING(Nbl, Count);

    for (nb = NET_BUFFER_LIST_FIRST_NB(Nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
        length = NET_BUFFER_DATA_LENGTH(nb);
        slot = Queue->Free[--Queue->FreeCount];
        Queue->SlotNbl[slot] = Nbl;
        slotVa = Queue->SlotArea + (ULONG)slot * VIONET_TX_SLOT_SIZE;
        slotPa = (ULONGLONG)Queue->SlotAreaLogical.QuadPart + (ULONG)slot * VIONET_TX_SLOT_SIZE;

        NdisZeroMemory(slotVa + VIONET_TX_SLOT_HDR, Adapter->HdrLen);
        data = NdisGetDataBuffer(nb, length, slotVa + VIONET_TX_SLOT_FRAME, 1, 0);
        if (data == NULL) {
            NdisZeroMemory(slotVa + VIONET_TX_SLOT_FRAME, length);
            NET_BUFFER_LIST_STATUS(Nbl) = NDIS_STATUS_RESOURCES;
        } else if (data != slotVa + VIONET_TX_SLOT_FRAME) {
            NdisMoveMemory(slotVa + VIONET_TX_SLOT_FRAME, data, length);
        }

        head = (USHORT)(2 * slot);
        if (Adapter->Features & VIRTIO_FEATURE(VIRTIO_F_INDIRECT_DESC)) {
            table = (PVIRTQ_DESC)(slotVa + VIONET_TX_SLOT_TABLE);
            table[0].Address = slotPa + VIONET_TX_SLOT_HDR;
            table[0].Length = Adapter->HdrLen;
            table[0].Flags = VIRTQ_DESC_F_NEXT;
            table[0].Next = 1;
            table[1].Address = slotPa + VIONET_TX_SLOT_FRAME;
            table[1].Length = length;
            table[1].Flags = 0;
            table[1].Next = 0;
            Queue->Vq.Desc[head].Address = slotPa + VIONET_TX_SLOT_TABLE;
            Queue->Vq.Desc[head].Length = 2 * sizeof(VIRTQ_DESC);
            Queue->Vq.Desc[head].Flags = VIRTQ_DESC_F_INDIRECT;
            Queue->Vq.Desc[head].Next = 0;
        } else {
            Queue->Vq.Desc[head].Address = slotPa + VIONET_TX_SLOT_HDR;
            Queue->Vq.Desc[head].Length = Adapter->HdrLen;
            Queue->Vq.Desc[head].Flags = VIRTQ_DESC_F_NEXT;
            Queue->Vq.Desc[head].Next = (USHORT)(head + 1);
            Queue->Vq.Desc[head + 1].Address = slotPa + VIONET_TX_SLOT_FRAME;
            Queue->Vq.Desc[head + 1].Length = length;
            Queue->Vq.Desc[head + 1].Flags = 0;
            Queue->Vq.Desc[head + 1].Next = 0;
        }
        VioNetQueueAdd(&Queue->Vq, head);
    }
}


static
VOID
VioNetPostWaitingLocked(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_TX_QUEUE Queue
    )
/*++

Routine Description:

    Posts waiting NBLs, in order, while their slots are free. The queue
    lock is held.

--*/
{
    PNET_BUFFER_LIST nbl;
    ULONG count;
    BOOLEAN posted = FALSE;

    while ((nbl = Queue->WaitHead) != NULL) {
        count = VioNetNblCount(nbl);
        if (Queue->FreeCount < count) {
            break;
        }
        Queue->WaitHead = NET_BUFFER_LIST_NEXT_NBL(nbl);
        if (Queue->WaitHead == NULL) {
            Queue->WaitTail = NULL;
        }
        NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
        VioNetPostNblLocked(Adapter, Queue, nbl, count);
        posted = TRUE;
    }
    if (posted) {
        VioNetQueueKick(&Queue->Vq);
    }
}


_Use_decl_annotations_
VOID
VioNetTransmitCompleteDpc(
    PVIONET_ADAPTER Adapter,
    PVIONET_TX_QUEUE Queue
    )
/*++

Routine Description:

    Takes the used buffers of one transmit queue, frees their slots and
    completes every NBL whose last NET_BUFFER went out, in one
    NdisMSendNetBufferListsComplete call.

IRQL:

    DISPATCH_LEVEL

--*/
{
    PNET_BUFFER_LIST completed = NULL;
    PNET_BUFFER_LIST *link = &completed;
    PNET_BUFFER_LIST nbl;
    ULONG count = 0;
    ULONG length;
    USHORT id;
    USHORT slot;

    NdisDprAcquireSpinLock(&Queue->Vq.Lock);

    while (VioNetQueueGetUsed(&Queue->Vq, &id, &length)) {
        slot = (USHORT)(id / 2);
        if ((id & 1) != 0 || slot >= Queue->Vq.Size / 2 || Queue->SlotNbl[slot] == NULL) {
            continue;
        }
        nbl = Queue->SlotNbl[slot];
        Queue->SlotNbl[slot] = NULL;
        Queue->Free[Queue->FreeCount++] = slot;
        Queue->FramesSent++;

        VIONET_NBL_SET_PENDING(nbl, VIONET_NBL_PENDING(nbl) - 1);
        if (VIONET_NBL_PENDING(nbl) == 0) {
            *link = nbl;
            link = &NET_BUFFER_LIST_NEXT_NBL(nbl);
            count++;
        }
    }

    VioNetPostWaitingLocked(Adapter, Queue);

    NdisDprReleaseSpinLock(&Queue->Vq.Lock);

    if (completed != NULL) {
        NdisMSendNetBufferListsComplete(Adapter->AdapterHandle,
                                        completed,
                                        NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL);
        VioNetSendNblsCompleted(Adapter, count);
    }
}


static
VOID
VioNetSendNblsCompleted(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ ULONG Count
    )
{
    if (Count != 0 &&
        InterlockedExchangeAdd(&Adapter->TxOutstanding, -(LONG)Count) == (LONG)Count) {

        VioNetTryCompletePause(Adapter);
    }
}


_Use_decl_annotations_
VOID
VioNetCancelSend(
    NDIS_HANDLE MiniportAdapterContext,
    PVOID CancelId
    )
/*++

Routine Description:

    NBLs in a virtqueue cannot be recalled, and the ones on the wait list
    complete as soon as slots free (every used buffer frees one): nothing
    is held long enough to be worth cancelling.

--*/
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(CancelId);
}
