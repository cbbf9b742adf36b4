/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    virtqueue.c

Abstract:

    The driver's side of a split virtqueue ("Split Virtqueues"): the three
    areas in shared memory, their registration through the common
    configuration structure, adding buffers, notifying the device (honouring
    its VIRTQ_USED_F_NO_NOTIFY flag or, with VIRTIO_F_EVENT_IDX, its
    avail_event), consuming used buffers, and turning used buffer
    notifications off and on, which is this driver's interrupt moderation.

    Every routine except the allocation ones runs with the queue's lock
    held, or (VioNetQueueDisableInterrupts) from the ISR.

--*/

#include "virtio_net.h"

static
BOOLEAN
VioNetNeedEvent(
    _In_ USHORT EventIdx,
    _In_ USHORT NewIdx,
    _In_ USHORT OldIdx
    )
/*++

Routine Description:

    TRUE if moving an index from OldIdx to NewIdx passed EventIdx, the
    comparison the specification gives for VIRTIO_F_EVENT_IDX.

--*/
{
    return (USHORT)(NewIdx - EventIdx - 1) < (USHORT)(NewIdx - OldIdx);
}


_Use_decl_annotations_
NDIS_STATUS
VioNetAllocateQueue(
    PVIONET_ADAPTER Adapter,
    PVIONET_QUEUE Queue,
    USHORT Index,
    USHORT Size
    )
/*++

Routine Description:

    Reads the queue's maximum size, chooses the smaller of it and Size, and
    allocates the descriptor table (16-byte aligned), the driver area and
    the device area (4-byte aligned) in one block of shared memory.

Arguments:

    Adapter - The adapter.

    Queue - The queue to fill in.

    Index - The virtqueue index.

    Size - The size the driver would like (a power of two).

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_ADAPTER_NOT_FOUND if the device has no
    such queue, or NDIS_STATUS_RESOURCES.

IRQL:

    PASSIVE_LEVEL

--*/
{
    USHORT maximum;
    ULONG size;

    NdisZeroMemory(Queue, sizeof(VIONET_QUEUE));
    Queue->Adapter = Adapter;
    Queue->Index = Index;
    Queue->Vector = VIRTIO_MSI_NO_VECTOR;

    VioNetWrite16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_SELECT), Index);
    maximum = VioNetRead16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_SIZE));
    if (maximum == 0 || maximum == 0xFFFF) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }

    size = Size;
    while (size > maximum) {
        size >>= 1;
    }
    if (size < 2) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    Queue->Size = (USHORT)size;

    Queue->AvailOffset = 16 * size;
    Queue->UsedOffset = (Queue->AvailOffset + VIRTQ_AVAIL_BYTES(size) + 63) & ~63u;
    Queue->RingBytes = Queue->UsedOffset + VIRTQ_USED_BYTES(size);

    NdisMAllocateSharedMemory(Adapter->AdapterHandle,
                              Queue->RingBytes,
                              TRUE,
                              (PVOID *)&Queue->RingVa,
                              &Queue->RingPa);
    if (Queue->RingVa == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(Queue->RingVa, Queue->RingBytes);

    Queue->Desc = (PVIRTQ_DESC)Queue->RingVa;
    Queue->Avail = Queue->RingVa + Queue->AvailOffset;
    Queue->Used = Queue->RingVa + Queue->UsedOffset;

    NdisAllocateSpinLock(&Queue->Lock);
    Queue->LockAllocated = TRUE;
    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
VioNetFreeQueue(
    PVIONET_ADAPTER Adapter,
    PVIONET_QUEUE Queue
    )
/*++

Routine Description:

    Frees what VioNetAllocateQueue allocated. The device must have been
    reset (it no longer uses the memory).

IRQL:

    PASSIVE_LEVEL

--*/
{
    if (Queue->RingVa != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle,
                              Queue->RingBytes,
                              TRUE,
                              Queue->RingVa,
                              Queue->RingPa);
        Queue->RingVa = NULL;
    }
    if (Queue->LockAllocated) {
        NdisFreeSpinLock(&Queue->Lock);
        Queue->LockAllocated = FALSE;
    }
}


_Use_decl_annotations_
BOOLEAN
VioNetActivateQueue(
    PVIONET_ADAPTER Adapter,
    PVIONET_QUEUE Queue,
    USHORT Vector
    )
/*++

Routine Description:

    Tells the device the queue's size, the addresses of its three areas and
    its MSI-X vector, works out its Queue Notify address, and enables it
    ("Virtqueue Configuration").

Arguments:

    Adapter - The adapter.

    Queue - An allocated queue.

    Vector - Its MSI-X vector, or VIRTIO_MSI_NO_VECTOR.

Return Value:

    FALSE if the device refused the vector (it reads back NO_VECTOR).

IRQL:

    PASSIVE_LEVEL

--*/
{
    ULONGLONG address;
    USHORT notifyOff;

    VioNetWrite16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_SELECT), Queue->Index);
    VioNetWrite16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_SIZE), Queue->Size);

    address = (ULONGLONG)Queue->RingPa.QuadPart;
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_DESC), (ULONG)address);
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_DESC + 4), (ULONG)(address >> 32));
    address = (ULONGLONG)Queue->RingPa.QuadPart + Queue->AvailOffset;
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_DRIVER), (ULONG)address);
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_DRIVER + 4), (ULONG)(address >> 32));
    address = (ULONGLONG)Queue->RingPa.QuadPart + Queue->UsedOffset;
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_DEVICE), (ULONG)address);
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_DEVICE + 4), (ULONG)(address >> 32));

    if (Vector != VIRTIO_MSI_NO_VECTOR) {
        VioNetWrite16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_MSIX_VECTOR), Vector);
        if (VioNetRead16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_MSIX_VECTOR)) != Vector) {
            return FALSE;
        }
    }
    Queue->Vector = Vector;

    notifyOff = VioNetRead16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_NOTIFY_OFF));
    Queue->NotifyOffset = Adapter->NotifyOffset + (ULONG)notifyOff * Adapter->NotifyMultiplier;

    VioNetWrite16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_QUEUE_ENABLE), 1);
    return TRUE;
}


_Use_decl_annotations_
VOID
VioNetQueueAdd(
    PVIONET_QUEUE Queue,
    USHORT Head
    )
/*++

Routine Description:

    Puts a chain's head in the next available ring entry. The device does
    not see it before VioNetQueueKick publishes the index.

--*/
{
    *VIRTQ_AVAIL_RING(Queue->Avail, Queue->AvailIdx & (Queue->Size - 1)) = Head;
    Queue->AvailIdx++;
}


_Use_decl_annotations_
VOID
VioNetQueueKick(
    PVIONET_QUEUE Queue
    )
/*++

Routine Description:

    Publishes the available index, then sends an available buffer
    notification unless the device said it does not need one: with
    VIRTIO_F_EVENT_IDX, only if the new entries passed its avail_event;
    otherwise unless it set VIRTQ_USED_F_NO_NOTIFY
    ("Available Buffer Notification Suppression").

--*/
{
    PVIONET_ADAPTER adapter = Queue->Adapter;
    BOOLEAN notify;

    if (Queue->AvailIdx == Queue->KickedIdx) {
        return;
    }

    KeMemoryBarrier();
    *VIRTQ_AVAIL_IDX(Queue->Avail) = Queue->AvailIdx;
    KeMemoryBarrier();

    if (adapter->Features & VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX)) {
        notify = VioNetNeedEvent(*VIRTQ_AVAIL_EVENT(Queue->Used, Queue->Size),
                                 Queue->AvailIdx,
                                 Queue->KickedIdx);
    } else {
        notify = (*VIRTQ_USED_FLAGS(Queue->Used) & VIRTQ_USED_F_NO_NOTIFY) == 0;
    }
    Queue->KickedIdx = Queue->AvailIdx;

    if (notify && !adapter->SurpriseRemoved) {
        VioNetWrite16(adapter, Queue->NotifyOffset, Queue->Index);
        Queue->Notifications++;
    } else {
        Queue->NotificationsSuppressed++;
    }
}


_Use_decl_annotations_
BOOLEAN
VioNetQueueHasUsed(
    PVIONET_QUEUE Queue
    )
{
    return *VIRTQ_USED_IDX(Queue->Used) != Queue->LastUsed;
}


_Use_decl_annotations_
BOOLEAN
VioNetQueueGetUsed(
    PVIONET_QUEUE Queue,
    PUSHORT Id,
    PULONG Length
    )
/*++

Routine Description:

    Takes the next used buffer, if the device has put one in the used ring.
    The entry is read only after the index that covers it (the device
    writes the entry first).

--*/
{
    volatile VIRTQ_USED_ELEM *element;

    if (*VIRTQ_USED_IDX(Queue->Used) == Queue->LastUsed) {
        return FALSE;
    }
    KeMemoryBarrier();

    element = VIRTQ_USED_RING(Queue->Used, Queue->LastUsed & (Queue->Size - 1));
    *Id = (USHORT)element->Id;
    *Length = element->Length;
    Queue->LastUsed++;
    return TRUE;
}


_Use_decl_annotations_
VOID
VioNetQueueDisableInterrupts(
    PVIONET_QUEUE Queue
    )
/*++

Routine Description:

    Asks the device not to send used buffer notifications for this queue:
    VIRTQ_AVAIL_F_NO_INTERRUPT; with VIRTIO_F_EVENT_IDX nothing needs
    writing, because used_event stays where it is and the device has
    already passed it. Called from the ISR, without the queue lock; the
    DPC the ISR queues turns notifications on again.

IRQL:

    DIRQL or DISPATCH_LEVEL

--*/
{
    if ((Queue->Adapter->Features & VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX)) == 0) {
        *VIRTQ_AVAIL_FLAGS(Queue->Avail) = VIRTQ_AVAIL_F_NO_INTERRUPT;
    }
}


_Use_decl_annotations_
BOOLEAN
VioNetQueueEnableInterrupts(
    PVIONET_QUEUE Queue
    )
/*++

Routine Description:

    Turns used buffer notifications back on (used_event at the next entry
    the driver will consume, or the flag cleared) and then looks again: a
    buffer the device used before it saw the change raised no notification.

Return Value:

    TRUE if used buffers are waiting: the caller must process them.

--*/
{
    if (Queue->Adapter->Features & VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX)) {
        *VIRTQ_USED_EVENT(Queue->Avail, Queue->Size) = Queue->LastUsed;
    } else {
        *VIRTQ_AVAIL_FLAGS(Queue->Avail) = 0;
    }
    KeMemoryBarrier();
    return VioNetQueueHasUsed(Queue);
}
