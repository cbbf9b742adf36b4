/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    receive.c

Abstract:

    Receive rings of the VN-1 sample miniport.

    Each receive queue owns a descriptor ring and a buffer area in shared
    memory. Every buffer has an MDL and a preallocated NET_BUFFER_LIST for
    its whole life; receiving a frame means filling in the NBL and
    indicating it, and MiniportReturnNetBufferLists puts the buffer back on
    the ring.

    Ring bookkeeping, under the queue's spin lock: the device owns the
    Posted slots from NextToClean up to (not including) Tail, the value last
    written to RDT. The DPC harvests completed slots at NextToClean; refill
    posts free buffers at Tail. Returns can arrive on any processor while a
    DPC runs, hence the lock; the ISR never touches the rings.

--*/

#include "vn1.h"

#define VN1_RX_RING_MASK (VN1_RX_RING_SIZE - 1)

C_ASSERT(sizeof(VN1_RX_DESC) == 16);
C_ASSERT((VN1_RX_RING_SIZE & VN1_RX_RING_MASK) == 0);

static VOID Vn1RefillRxRingLocked(_In_ PVN1_ADAPTER Adapter, _In_ PVN1_RX_QUEUE Queue);
static VOID Vn1RecycleReceiveChain(_In_ PVN1_ADAPTER Adapter, _In_ PVN1_RX_QUEUE Queue,
                                   _In_ PNET_BUFFER_LIST NetBufferLists,
                                   _In_ BOOLEAN AtDispatchLevel);
static VOID Vn1ReceiveNblsReturned(_In_ PVN1_ADAPTER Adapter, _In_ ULONG Count);


_Use_decl_annotations_
NDIS_STATUS
Vn1AllocateRxQueue(
    PVN1_ADAPTER Adapter,
    PVN1_RX_QUEUE Queue
    )
/*++

Routine Description:

    Allocates one receive queue: its ring, its buffer area, and an MDL and
    an NBL for every buffer. On failure the caller frees whatever part
    exists with Vn1FreeRxQueue.

Arguments:

    Adapter - The adapter.

    Queue - The queue to set up.

Return Value:

    NDIS_STATUS_SUCCESS or NDIS_STATUS_RESOURCES.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVN1_RX_BUFFER buffer;
    ULONG i;

    NdisAllocateSpinLock(&Queue->Lock);
    Queue->LockAllocated = TRUE;

    Queue->RingBytes = VN1_RX_RING_SIZE * sizeof(VN1_RX_DESC);
    NdisMAllocateSharedMemory(Adapter->AdapterHandle,
                              Queue->RingBytes,
                              FALSE,
                              (PVOID *)&Queue->Ring,
                              &Queue->RingLogical);
    if (Queue->Ring == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(Queue->Ring, Queue->RingBytes);

    Queue->BufferAreaBytes = VN1_RX_BUFFERS_PER_QUEUE * VN1_RX_BUFFER_SIZE;
    NdisMAllocateSharedMemory(Adapter->AdapterHandle,
                              Queue->BufferAreaBytes,
                              FALSE,
                              (PVOID *)&Queue->BufferArea,
                              &Queue->BufferAreaLogical);
    if (Queue->BufferArea == NULL) {
        return NDIS_STATUS_RESOURCES;
    }

    Queue->Buffers = NdisAllocateMemoryWithTagPriority(Adapter->AdapterHandle,
                                                       VN1_RX_BUFFERS_PER_QUEUE * sizeof(VN1_RX_BUFFER),
                                                       VN1_POOL_TAG,
                                                       NormalPoolPriority);
    if (Queue->Buffers == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(Queue->Buffers, VN1_RX_BUFFERS_PER_QUEUE * sizeof(VN1_RX_BUFFER));

    for (i = 0; i < VN1_RX_BUFFERS_PER_QUEUE; i++) {
        buffer = &Queue->Buffers[i];
        buffer->Queue = Queue;
        buffer->VirtualAddress = Queue->BufferArea + i * VN1_RX_BUFFER_SIZE;
        buffer->LogicalAddress.QuadPart =
            Queue->BufferAreaLogical.QuadPart + (LONGLONG)i * VN1_RX_BUFFER_SIZE;

        buffer->Mdl = NdisAllocateMdl(Adapter->AdapterHandle,
                                      buffer->VirtualAddress,
                                      VN1_RX_BUFFER_SIZE);
        if (buffer->Mdl == NULL) {
            return NDIS_STATUS_RESOURCES;
        }

        buffer->Nbl = NdisAllocateNetBufferAndNetBufferList(Adapter->NblPool,
                                                            0,
                                                            0,
                                                            buffer->Mdl,
                                                            0,
                                                            0);
        if (buffer->Nbl == NULL) {
            NdisFreeMdl(buffer->Mdl);
            buffer->Mdl = NULL;
            return NDIS_STATUS_RESOURCES;
        }

        NET_BUFFER_LIST_MINIPORT_RESERVED(buffer->Nbl)[0] = buffer;
        buffer->Nbl->SourceHandle = Adapter->AdapterHandle;
        Queue->BuffersAllocated++;

        buffer->Next = Queue->FreeList;
        Queue->FreeList = buffer;
    }

    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
Vn1FreeRxQueue(
    PVN1_ADAPTER Adapter,
    PVN1_RX_QUEUE Queue
    )
/*++

Routine Description:

    Frees whatever part of a receive queue exists. The device must have
    stopped using the ring, and every NBL must be back from NDIS.

Arguments:

    Adapter - The adapter.

    Queue - The queue.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    ULONG i;

    if (Queue->Buffers != NULL) {
        for (i = 0; i < Queue->BuffersAllocated; i++) {
            NdisFreeNetBufferList(Queue->Buffers[i].Nbl);
            NdisFreeMdl(Queue->Buffers[i].Mdl);
        }
        NdisFreeMemory(Queue->Buffers, 0, 0);
        Queue->Buffers = NULL;
        Queue->BuffersAllocated = 0;
        Queue->FreeList = NULL;
    }

    if (Queue->BufferArea != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle,
                              Queue->BufferAreaBytes,
                              FALSE,
                              Queue->BufferArea,
                              Queue->BufferAreaLogical);
        Queue->BufferArea = NULL;
    }

    if (Queue->Ring != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle,
                              Queue->RingBytes,
                              FALSE,
                              Queue->Ring,
                              Queue->RingLogical);
        Queue->Ring = NULL;
    }

    if (Queue->LockAllocated) {
        NdisFreeSpinLock(&Queue->Lock);
        Queue->LockAllocated = FALSE;
    }
}


_Use_decl_annotations_
VOID
Vn1StartRxQueue(
    PVN1_ADAPTER Adapter,
    PVN1_RX_QUEUE Queue
    )
/*++

Routine Description:

    Gives the ring to the device, posts every buffer it can hold and
    enables the queue.

Arguments:

    Adapter - The adapter.

    Queue - A queue in use.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    ULONG q = Queue->QueueIndex;

    Vn1WriteRegister(Adapter, VN1_REG_RDBAL(q), Queue->RingLogical.LowPart);
    Vn1WriteRegister(Adapter, VN1_REG_RDBAH(q), (ULONG)Queue->RingLogical.HighPart);
    Vn1WriteRegister(Adapter, VN1_REG_RDLEN(q), VN1_RX_RING_SIZE);
    Vn1WriteRegister(Adapter, VN1_REG_RBUFSZ(q), VN1_RX_BUFFER_SIZE);

    NdisAcquireSpinLock(&Queue->Lock);
    Queue->NextToClean = 0;
    Queue->Tail = 0;
    Queue->Posted = 0;
    Vn1RefillRxRingLocked(Adapter, Queue);
    NdisReleaseSpinLock(&Queue->Lock);

    Vn1WriteRegister(Adapter, VN1_REG_RXDCTL(q), VN1_DCTL_ENABLE);
}


static
VOID
Vn1RefillRxRingLocked(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PVN1_RX_QUEUE Queue
    )
/*++

Routine Description:

    Posts free buffers at the tail of the ring, leaving one slot empty
    (RDH == RDT means "nothing to fill"), and moves RDT.

Arguments:

    Adapter - The adapter.

    Queue - The queue; its lock is held.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL (queue lock held)

--*/
{
    PVN1_RX_BUFFER buffer;
    PVN1_RX_DESC descriptor;
    ULONG posted = 0;

    while (Queue->Posted < VN1_RX_RING_SIZE - 1 && Queue->FreeList != NULL) {
        buffer = Queue->FreeList;
        Queue->FreeList = buffer->Next;
        buffer->Next = NULL;

        descriptor = &Queue->Ring[Queue->Tail];
        descriptor->BufferAddress = (ULONGLONG)buffer->LogicalAddress.QuadPart;
        descriptor->Length = 0;
        descriptor->RssType = 0;
        descriptor->RssHash = 0;
        descriptor->Status = 0;

        Queue->SlotBuffer[Queue->Tail] = buffer;
        Queue->Tail = (Queue->Tail + 1) & VN1_RX_RING_MASK;
        Queue->Posted++;
        posted++;
    }

    if (posted != 0) {
        //
        // The descriptors must be in memory before the device may use them.
        //
        KeMemoryBarrier();
        Vn1WriteRegister(Adapter, VN1_REG_RDT(Queue->QueueIndex), Queue->Tail);
    }
}


static
ULONG
Vn1NdisHashType(
    _In_ UCHAR RssType
    )
/*++

Routine Description:

    Maps the descriptor's RSS type (datasheet §5) to an NDIS hash type.

Arguments:

    RssType - Byte 11 of the receive descriptor.

Return Value:

    The NDIS_HASH_Xxx type, or 0 if the type cannot be reported.

IRQL:

    Any

--*/
{
    switch (RssType) {
    case VN1_RXD_RSSTYPE_IPV4:
        return NDIS_HASH_IPV4;
    case VN1_RXD_RSSTYPE_TCP_IPV4:
        return NDIS_HASH_TCP_IPV4;
    case VN1_RXD_RSSTYPE_IPV6:
        return NDIS_HASH_IPV6;
    case VN1_RXD_RSSTYPE_TCP_IPV6:
        return NDIS_HASH_TCP_IPV6;
#if defined(NDIS_HASH_UDP_IPV4)
    case VN1_RXD_RSSTYPE_UDP_IPV4:
        return NDIS_HASH_UDP_IPV4;
#endif
#if defined(NDIS_HASH_UDP_IPV6)
    case VN1_RXD_RSSTYPE_UDP_IPV6:
        return NDIS_HASH_UDP_IPV6;
#endif
    default:
        return 0;
    }
}


static
VOID
Vn1PrepareReceiveNbl(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PVN1_RX_BUFFER Buffer,
    _In_ ULONG Length,
    _In_ UCHAR Status,
    _In_ UCHAR RssType,
    _In_ ULONG RssHash
    )
/*++

Routine Description:

    Describes a received frame in its buffer's NBL: data length, source
    handle and, when the device computed one, the RSS hash.

Arguments:

    Adapter - The adapter.

    Buffer - The buffer holding the frame.

    Length - Frame length in bytes.

    Status, RssType, RssHash - From the written-back descriptor.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    PNET_BUFFER_LIST nbl = Buffer->Nbl;
    PNET_BUFFER nb = NET_BUFFER_LIST_FIRST_NB(nbl);
    ULONG hashType;

    NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
    NET_BUFFER_LIST_STATUS(nbl) = NDIS_STATUS_SUCCESS;
    nbl->SourceHandle = Adapter->AdapterHandle;

    NET_BUFFER_CURRENT_MDL(nb) = NET_BUFFER_FIRST_MDL(nb);
    NET_BUFFER_CURRENT_MDL_OFFSET(nb) = 0;
    NET_BUFFER_DATA_OFFSET(nb) = 0;
    NET_BUFFER_DATA_LENGTH(nb) = Length;

    NET_BUFFER_LIST_INFO(nbl, NetBufferListHashValue) = NULL;
    NET_BUFFER_LIST_INFO(nbl, NetBufferListHashInfo) = NULL;

    if (Status & VN1_RXD_STAT_RSSV) {
        hashType = Vn1NdisHashType(RssType);
        if (hashType != 0) {
            NET_BUFFER_LIST_SET_HASH_VALUE(nbl, RssHash);
            NET_BUFFER_LIST_SET_HASH_TYPE(nbl, hashType);
            NET_BUFFER_LIST_SET_HASH_FUNCTION(nbl, NdisHashFunctionToeplitz);
        }
    }
}


_Use_decl_annotations_
BOOLEAN
Vn1ReceiveQueueDpc(
    PVN1_ADAPTER Adapter,
    PVN1_RX_QUEUE Queue,
    PULONG Budget
    )
/*++

Routine Description:

    Harvests up to *Budget completed frames from one queue and indicates
    them in a single NdisMIndicateReceiveNetBufferLists call.

    While the adapter is not Running the frames are not indicated: their
    buffers go straight back to the ring. When few buffers are left posted
    to the device, the batch is indicated with NDIS_RECEIVE_FLAGS_RESOURCES
    and reclaimed as soon as the call returns.

Arguments:

    Adapter - The adapter.

    Queue - The queue.

    Budget - NBLs this DPC may still indicate; decremented.

Return Value:

    TRUE if completed frames remain in the ring.

IRQL:

    DISPATCH_LEVEL

--*/
{
    PNET_BUFFER_LIST head = NULL;
    PNET_BUFFER_LIST *link = &head;
    PVN1_RX_BUFFER buffer;
    PVN1_RX_DESC descriptor;
    ULONG count = 0;
    ULONG posted;
    ULONG length;
    ULONG flags;
    UCHAR status;
    BOOLEAN more;
    BOOLEAN running;

    NdisDprAcquireSpinLock(&Queue->Lock);

    while (count < *Budget && Queue->Posted != 0) {
        descriptor = &Queue->Ring[Queue->NextToClean];
        status = *(volatile UCHAR *)&descriptor->Status;
        if ((status & VN1_RXD_STAT_DD) == 0) {
            break;
        }

        //
        // The device writes the status byte last: read the rest of the
        // descriptor only after seeing DD.
        //
        KeMemoryBarrier();

        buffer = Queue->SlotBuffer[Queue->NextToClean];
        Queue->SlotBuffer[Queue->NextToClean] = NULL;
        Queue->NextToClean = (Queue->NextToClean + 1) & VN1_RX_RING_MASK;
        Queue->Posted--;

        length = descriptor->Length;
        if ((status & VN1_RXD_STAT_EOP) == 0 ||
            length < VN1_ETH_HEADER_SIZE ||
            length > VN1_RX_BUFFER_SIZE) {

            Queue->FramesBad++;
            buffer->Next = Queue->FreeList;
            Queue->FreeList = buffer;
            continue;
        }

        Vn1PrepareReceiveNbl(Adapter, buffer, length, status,
                             descriptor->RssType, descriptor->RssHash);

        *link = buffer->Nbl;
        link = &NET_BUFFER_LIST_NEXT_NBL(buffer->Nbl);
        Queue->BytesIndicated += length;
        count++;
    }

    more = (Queue->Posted != 0 &&
            (*(volatile UCHAR *)&Queue->Ring[Queue->NextToClean].Status & VN1_RXD_STAT_DD) != 0);

    Vn1RefillRxRingLocked(Adapter, Queue);
    posted = Queue->Posted;

    NdisDprReleaseSpinLock(&Queue->Lock);

    *Budget -= count;
    if (count == 0) {
        return more;
    }

    //
    // Count the NBLs as outstanding before indicating, under the adapter
    // lock and only while Running, so MiniportPause sees them.
    //
    NdisDprAcquireSpinLock(&Adapter->Lock);
    running = (Adapter->State == Vn1AdapterRunning);
    if (running) {
        InterlockedExchangeAdd(&Adapter->RxOutstanding, (LONG)count);
    }
    NdisDprReleaseSpinLock(&Adapter->Lock);

    if (!running) {
        Vn1RecycleReceiveChain(Adapter, Queue, head, TRUE);
        NdisDprAcquireSpinLock(&Queue->Lock);
        Queue->FramesDroppedPaused += count;
        NdisDprReleaseSpinLock(&Queue->Lock);
        return more;
    }

    flags = NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
    if (posted < VN1_RX_LOW_WATER) {
        flags |= NDIS_RECEIVE_FLAGS_RESOURCES;
    }

    NdisMIndicateReceiveNetBufferLists(Adapter->AdapterHandle,
                                       head,
                                       NDIS_DEFAULT_PORT_NUMBER,
                                       count,
                                       flags);

    if (flags & NDIS_RECEIVE_FLAGS_RESOURCES) {
        //
        // Ownership came back with the return from the call; NDIS will not
        // call MiniportReturnNetBufferLists for these.
        //
        Vn1RecycleReceiveChain(Adapter, Queue, head, TRUE);
        Vn1ReceiveNblsReturned(Adapter, count);
    }

    NdisDprAcquireSpinLock(&Queue->Lock);
    Queue->FramesIndicated += count;
    if (flags & NDIS_RECEIVE_FLAGS_RESOURCES) {
        Queue->LowResourceIndications++;
    }
    NdisDprReleaseSpinLock(&Queue->Lock);

    return more;
}


static
VOID
Vn1RecycleReceiveChain(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PVN1_RX_QUEUE Queue,
    _In_ PNET_BUFFER_LIST NetBufferLists,
    _In_ BOOLEAN AtDispatchLevel
    )
/*++

Routine Description:

    Puts the buffers of a chain of this queue's NBLs back on the free list
    and refills the ring.

Arguments:

    Adapter - The adapter.

    Queue - The queue every NBL of the chain belongs to.

    NetBufferLists - The chain.

    AtDispatchLevel - TRUE if the caller is known to run at DISPATCH_LEVEL.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    PNET_BUFFER_LIST nbl;
    PNET_BUFFER_LIST next;
    PVN1_RX_BUFFER buffer;

    if (AtDispatchLevel) {
        NdisDprAcquireSpinLock(&Queue->Lock);
    } else {
        NdisAcquireSpinLock(&Queue->Lock);
    }

    for (nbl = NetBufferLists; nbl != NULL; nbl = next) {
        next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;

        buffer = (PVN1_RX_BUFFER)NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0];
        buffer->Next = Queue->FreeList;
        Queue->FreeList = buffer;
    }

    Vn1RefillRxRingLocked(Adapter, Queue);

    if (AtDispatchLevel) {
        NdisDprReleaseSpinLock(&Queue->Lock);
    } else {
        NdisReleaseSpinLock(&Queue->Lock);
    }
}


static
VOID
Vn1ReceiveNblsReturned(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG Count
    )
/*++

Routine Description:

    Accounts for NBLs that came back, and completes a pending pause when
    the last one does.

Arguments:

    Adapter - The adapter.

    Count - NBLs returned.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    if (Count != 0 &&
        InterlockedExchangeAdd(&Adapter->RxOutstanding, -(LONG)Count) == (LONG)Count) {

        Vn1TryCompletePause(Adapter);
    }
}


_Use_decl_annotations_
VOID
Vn1ReturnNetBufferLists(
    NDIS_HANDLE MiniportAdapterContext,
    PNET_BUFFER_LIST NetBufferLists,
    ULONG ReturnFlags
    )
/*++

Routine Description:

    NDIS returns indicated NBLs, possibly from several indications and
    several queues in one chain. Each run of NBLs from one queue is
    recycled under that queue's lock.

Arguments:

    MiniportAdapterContext - The adapter.

    NetBufferLists - The returned chain.

    ReturnFlags - NDIS_RETURN_FLAGS_DISPATCH_LEVEL if at DISPATCH_LEVEL.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportAdapterContext;
    BOOLEAN atDispatch = NDIS_TEST_RETURN_AT_DISPATCH_LEVEL(ReturnFlags);
    PNET_BUFFER_LIST nbl = NetBufferLists;
    PNET_BUFFER_LIST last;
    PNET_BUFFER_LIST next;
    PVN1_RX_QUEUE queue;
    ULONG returned = 0;

    while (nbl != NULL) {
        queue = ((PVN1_RX_BUFFER)NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0])->Queue;

        last = nbl;
        returned++;
        next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        while (next != NULL &&
               ((PVN1_RX_BUFFER)NET_BUFFER_LIST_MINIPORT_RESERVED(next)[0])->Queue == queue) {
            last = next;
            returned++;
            next = NET_BUFFER_LIST_NEXT_NBL(next);
        }
        NET_BUFFER_LIST_NEXT_NBL(last) = NULL;

        Vn1RecycleReceiveChain(adapter, queue, nbl, atDispatch);
        nbl = next;
    }

    Vn1ReceiveNblsReturned(adapter, returned);
}
