/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    send.c

Abstract:

    Transmit path of the VN-1 sample miniport.

    One transmit ring (TX queue 0) with a preallocated 2 KB buffer per slot
    in shared memory. Each NET_BUFFER is copied into its slot's buffer and
    described by one descriptor with EOP and RS set; the NBL is completed
    when the device has written DD on the descriptor of its last NET_BUFFER.
    A descriptor the device consumed without writing DD back (TDH moved past
    it: its fetch faulted, and the device raised ERR) fails its NBL with
    NDIS_STATUS_FAILURE, so a transmit DMA error never leaves a send stuck.

    Concurrent senders reserve slots under the ring lock, copy into them
    without holding it (no NDIS call is made under a spin lock), then
    publish: TDT only ever advances over a contiguous run of filled slots,
    so the device never sees a slot that another sender is still filling.

--*/

#include "vn1.h"

#ifdef VN1_RACY_DEADLOCK
//
// drivers/racy: wait (bounded) until *Other is set, so that the two paths
// hold their first lock at once. Only the first attempts wait.
//
static VOID
Vn1RacyRendezvous(
    _In_ PVN1_ADAPTER Adapter,
    _In_ volatile LONG *Other
    )
{
    ULONG spins;

    if (InterlockedIncrement(&Adapter->RacyRendezvous) > 256) {
        return;
    }
    for (spins = 0; spins < 2000000 && *Other == 0; spins++) {
        KeMemoryBarrier();
    }
}
#endif

#define VN1_TX_RING_MASK (VN1_TX_RING_SIZE - 1)

C_ASSERT(sizeof(VN1_TX_DESC) == 16);
C_ASSERT((VN1_TX_RING_SIZE & VN1_TX_RING_MASK) == 0);

static NDIS_STATUS Vn1SendNetBufferList(_In_ PVN1_ADAPTER Adapter,
                                        _In_ PNET_BUFFER_LIST Nbl,
                                        _In_ BOOLEAN AtDispatchLevel,
                                        _Out_ PBOOLEAN Admitted);
static VOID Vn1SendNblsCompleted(_In_ PVN1_ADAPTER Adapter, _In_ ULONG Count);


_Use_decl_annotations_
NDIS_STATUS
Vn1AllocateTxQueue(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Allocates the transmit ring and its buffers in shared memory.

Arguments:

    Adapter - The adapter.

Return Value:

    NDIS_STATUS_SUCCESS or NDIS_STATUS_RESOURCES.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVN1_TX_QUEUE tx = &Adapter->TxQueue;

    NdisAllocateSpinLock(&tx->Lock);
    tx->LockAllocated = TRUE;

    tx->RingBytes = VN1_TX_RING_SIZE * sizeof(VN1_TX_DESC);
    NdisMAllocateSharedMemory(Adapter->AdapterHandle,
                              tx->RingBytes,
                              FALSE,
                              (PVOID *)&tx->Ring,
                              &tx->RingLogical);
    if (tx->Ring == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(tx->Ring, tx->RingBytes);

    tx->BufferAreaBytes = VN1_TX_RING_SIZE * VN1_TX_BUFFER_SIZE;
    NdisMAllocateSharedMemory(Adapter->AdapterHandle,
                              tx->BufferAreaBytes,
                              FALSE,
                              (PVOID *)&tx->BufferArea,
                              &tx->BufferAreaLogical);
    if (tx->BufferArea == NULL) {
        return NDIS_STATUS_RESOURCES;
    }

    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
Vn1FreeTxQueue(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Frees whatever part of the transmit ring exists. The device must have
    stopped.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVN1_TX_QUEUE tx = &Adapter->TxQueue;

    if (tx->BufferArea != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle,
                              tx->BufferAreaBytes,
                              FALSE,
                              tx->BufferArea,
                              tx->BufferAreaLogical);
        tx->BufferArea = NULL;
    }

    if (tx->Ring != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle,
                              tx->RingBytes,
                              FALSE,
                              tx->Ring,
                              tx->RingLogical);
        tx->Ring = NULL;
    }

    if (tx->LockAllocated) {
        NdisFreeSpinLock(&tx->Lock);
        tx->LockAllocated = FALSE;
    }
}


_Use_decl_annotations_
VOID
Vn1StartTxQueue(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Gives the empty transmit ring to the device and enables the queue.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVN1_TX_QUEUE tx = &Adapter->TxQueue;
    ULONG q = VN1_TX_QUEUE_INDEX;

    NdisAcquireSpinLock(&tx->Lock);
    tx->Reserve = 0;
    tx->Tail = 0;
    tx->NextToClean = 0;
    tx->InUse = 0;
    NdisReleaseSpinLock(&tx->Lock);

    Vn1WriteRegister(Adapter, VN1_REG_TDBAL(q), tx->RingLogical.LowPart);
    Vn1WriteRegister(Adapter, VN1_REG_TDBAH(q), (ULONG)tx->RingLogical.HighPart);
    Vn1WriteRegister(Adapter, VN1_REG_TDLEN(q), VN1_TX_RING_SIZE);
    Vn1WriteRegister(Adapter, VN1_REG_TDT(q), 0);
    Vn1WriteRegister(Adapter, VN1_REG_TXDCTL(q), VN1_DCTL_ENABLE);
}


_Use_decl_annotations_
VOID
Vn1SendNetBufferLists(
    NDIS_HANDLE MiniportAdapterContext,
    PNET_BUFFER_LIST NetBufferList,
    NDIS_PORT_NUMBER PortNumber,
    ULONG SendFlags
    )
/*++

Routine Description:

    Queues each NBL of the chain on the transmit ring. NBLs that cannot be
    sent (adapter paused, ring full, bad length) are completed at once with
    the reason in their status.

Arguments:

    MiniportAdapterContext - The adapter.

    NetBufferList - The chain to send.

    PortNumber - The NDIS port (only the default port exists).

    SendFlags - NDIS_SEND_FLAGS_DISPATCH_LEVEL if at DISPATCH_LEVEL.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportAdapterContext;
    BOOLEAN atDispatch = NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags);
    PNET_BUFFER_LIST failed = NULL;
    PNET_BUFFER_LIST *failedLink = &failed;
    PNET_BUFFER_LIST nbl;
    PNET_BUFFER_LIST next;
    NDIS_STATUS status;
    BOOLEAN admitted;
    ULONG admittedFailures = 0;

    UNREFERENCED_PARAMETER(PortNumber);

    for (nbl = NetBufferList; nbl != NULL; nbl = next) {
        next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;

        status = Vn1SendNetBufferList(adapter, nbl, atDispatch, &admitted);
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

    //
    // Only now, with those NBLs completed, may a pending pause complete.
    //
    Vn1SendNblsCompleted(adapter, admittedFailures);
}


static
NDIS_STATUS
Vn1SendNetBufferList(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PNET_BUFFER_LIST Nbl,
    _In_ BOOLEAN AtDispatchLevel,
    _Out_ PBOOLEAN Admitted
    )
/*++

Routine Description:

    Puts one NBL on the ring: one descriptor per NET_BUFFER.

Arguments:

    Adapter - The adapter.

    Nbl - The NBL, detached from its chain.

    AtDispatchLevel - TRUE if the caller runs at DISPATCH_LEVEL.

    Admitted - Receives TRUE if the NBL was counted in TxOutstanding; on
        failure the caller uncounts it after completing it.

Return Value:

    NDIS_STATUS_SUCCESS if the NBL is on the ring (it completes later),
    otherwise the status to complete it with now.

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    PVN1_TX_QUEUE tx = &Adapter->TxQueue;
    PNET_BUFFER nb;
    PVN1_TX_DESC descriptor;
    PUCHAR slotBuffer;
    PVOID data;
    ULONG count = 0;
    ULONG length;
    ULONG first;
    ULONG slot;
    ULONG i;
    ULONG published;
    BOOLEAN running;

    *Admitted = FALSE;

    for (nb = NET_BUFFER_LIST_FIRST_NB(Nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
        length = NET_BUFFER_DATA_LENGTH(nb);
        if (length < VN1_ETH_HEADER_SIZE || length > VN1_MAX_FRAME_SIZE) {
            return NDIS_STATUS_INVALID_LENGTH;
        }
        count++;
    }
    if (count == 0 || count >= VN1_TX_RING_SIZE) {
        return NDIS_STATUS_INVALID_LENGTH;
    }

    //
    // Admit the NBL only while Running, counting it under the adapter lock
    // so that MiniportPause waits for it.
    //
    if (AtDispatchLevel) {
        NdisDprAcquireSpinLock(&Adapter->Lock);
    } else {
        NdisAcquireSpinLock(&Adapter->Lock);
    }
    running = (Adapter->State == Vn1AdapterRunning);
    if (running) {
        InterlockedIncrement(&Adapter->TxOutstanding);
    }
#ifdef VN1_RACY_LOCK_ORDER
    //
    // Planted bug (drivers/racy, rule S4): peek at the ring while holding
    // the adapter lock - adapter lock, then transmit lock. The transmit
    // completion DPC takes them the other way round.
    //
#ifdef VN1_RACY_DEADLOCK
    //
    // Planted bug (drivers/racy, rule K6): widen the window until the
    // completion DPC holds the transmit lock, so that the inversion really
    // deadlocks two vCPUs (a bounded wait, for the first attempts only).
    //
    Adapter->RacyHoldingAdapterLock = 1;
    Vn1RacyRendezvous(Adapter, &Adapter->RacyHoldingTxLock);
#endif
    NdisDprAcquireSpinLock(&tx->Lock);
    tx->SendsAdmittedUnderAdapterLock++;
    NdisDprReleaseSpinLock(&tx->Lock);
#ifdef VN1_RACY_DEADLOCK
    Adapter->RacyHoldingAdapterLock = 0;
#endif
#endif
    if (AtDispatchLevel) {
        NdisDprReleaseSpinLock(&Adapter->Lock);
    } else {
        NdisReleaseSpinLock(&Adapter->Lock);
    }
    if (!running) {
        return NDIS_STATUS_PAUSED;
    }
    *Admitted = TRUE;

    //
    // Reserve the slots.
    //
    if (AtDispatchLevel) {
        NdisDprAcquireSpinLock(&tx->Lock);
    } else {
        NdisAcquireSpinLock(&tx->Lock);
    }
    if (VN1_TX_RING_SIZE - 1 - tx->InUse < count) {
        tx->SendsFailed++;
        if (AtDispatchLevel) {
            NdisDprReleaseSpinLock(&tx->Lock);
        } else {
            NdisReleaseSpinLock(&tx->Lock);
        }
        return NDIS_STATUS_RESOURCES;
    }
    first = tx->Reserve;
    for (i = 0; i < count; i++) {
        slot = (first + i) & VN1_TX_RING_MASK;
        tx->SlotState[slot] = Vn1TxSlotReserved;
        tx->SlotNbl[slot] = NULL;
    }
    tx->SlotNbl[(first + count - 1) & VN1_TX_RING_MASK] = Nbl;
    tx->Reserve = (first + count) & VN1_TX_RING_MASK;
    tx->InUse += count;
    if (AtDispatchLevel) {
        NdisDprReleaseSpinLock(&tx->Lock);
    } else {
        NdisReleaseSpinLock(&tx->Lock);
    }

    //
    // Fill them. The slots are this sender's until published.
    //
    NET_BUFFER_LIST_STATUS(Nbl) = NDIS_STATUS_SUCCESS;
    slot = first;
    for (nb = NET_BUFFER_LIST_FIRST_NB(Nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
        length = NET_BUFFER_DATA_LENGTH(nb);
        slotBuffer = tx->BufferArea + slot * VN1_TX_BUFFER_SIZE;

        data = NdisGetDataBuffer(nb, length, slotBuffer, 1, 0);
        if (data == NULL) {
            //
            // The data could not be mapped. The slot is already reserved,
            // so it still goes out (as zeros) and the NBL completes with an
            // error.
            //
            NdisZeroMemory(slotBuffer, length);
            NET_BUFFER_LIST_STATUS(Nbl) = NDIS_STATUS_RESOURCES;
        } else if (data != slotBuffer) {
            NdisMoveMemory(slotBuffer, data, length);
        }

        descriptor = &tx->Ring[slot];
        descriptor->BufferAddress = (ULONGLONG)(tx->BufferAreaLogical.QuadPart +
                                                (LONGLONG)slot * VN1_TX_BUFFER_SIZE);
        descriptor->Length = (USHORT)length;
        descriptor->Command = VN1_TXD_CMD_EOP | VN1_TXD_CMD_RS;
        descriptor->Status = 0;
        descriptor->Reserved = 0;

        slot = (slot + 1) & VN1_TX_RING_MASK;
    }

    //
    // Publish: advance TDT over every filled slot in ring order.
    //
    if (AtDispatchLevel) {
        NdisDprAcquireSpinLock(&tx->Lock);
    } else {
        NdisAcquireSpinLock(&tx->Lock);
    }
    for (i = 0; i < count; i++) {
        tx->SlotState[(first + i) & VN1_TX_RING_MASK] = Vn1TxSlotReady;
    }
    published = 0;
    while (tx->Tail != tx->Reserve && tx->SlotState[tx->Tail] == Vn1TxSlotReady) {
        tx->SlotState[tx->Tail] = Vn1TxSlotInHardware;
        tx->Tail = (tx->Tail + 1) & VN1_TX_RING_MASK;
        published++;
    }
    if (published != 0) {
        KeMemoryBarrier();
        Vn1WriteRegister(Adapter, VN1_REG_TDT(VN1_TX_QUEUE_INDEX), tx->Tail);
    }
    if (AtDispatchLevel) {
        NdisDprReleaseSpinLock(&tx->Lock);
    } else {
        NdisReleaseSpinLock(&tx->Lock);
    }

    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
Vn1TransmitCompleteDpc(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Reaps descriptors the device has finished (DD) and completes their
    NBLs in one NdisMSendNetBufferListsComplete call.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVN1_TX_QUEUE tx = &Adapter->TxQueue;
    PNET_BUFFER_LIST completed = NULL;
    PNET_BUFFER_LIST *link = &completed;
    PNET_BUFFER_LIST nbl;
    PVN1_TX_DESC descriptor;
    ULONG count = 0;
    ULONG slot;

    NdisDprAcquireSpinLock(&tx->Lock);

    while (tx->NextToClean != tx->Tail) {
        descriptor = &tx->Ring[tx->NextToClean];
        if ((*(volatile UCHAR *)&descriptor->Status & VN1_TXD_STAT_DD) == 0) {
            //
            // Not written back. If TDH has not moved past it the device
            // is still on it. If TDH has, the device consumed it without
            // a write-back: its fetch faulted (datasheet: ERR, a DMA
            // fault), and DD will never come. The device writes DD before
            // it advances TDH, so DD read again after TDH is final.
            //
            if (Vn1ReadRegister(Adapter, VN1_REG_TDH(VN1_TX_QUEUE_INDEX)) ==
                tx->NextToClean) {
                break;
            }
            KeMemoryBarrier();
            if ((*(volatile UCHAR *)&descriptor->Status & VN1_TXD_STAT_DD) == 0) {
                //
                // Fail the NBL this descriptor belongs to: its pointer is on
                // its last slot, at or after this one.
                //
                for (slot = tx->NextToClean; slot != tx->Tail;
                     slot = (slot + 1) & VN1_TX_RING_MASK) {
                    if (tx->SlotNbl[slot] != NULL) {
                        NET_BUFFER_LIST_STATUS(tx->SlotNbl[slot]) = NDIS_STATUS_FAILURE;
                        break;
                    }
                }
                tx->SendsFailed++;
                goto reclaim;
            }
        }
        KeMemoryBarrier();

        tx->FramesSent++;
        tx->BytesSent += descriptor->Length;

reclaim:
        nbl = tx->SlotNbl[tx->NextToClean];
        tx->SlotNbl[tx->NextToClean] = NULL;
        tx->SlotState[tx->NextToClean] = Vn1TxSlotFree;
        tx->NextToClean = (tx->NextToClean + 1) & VN1_TX_RING_MASK;
        tx->InUse--;

        if (nbl != NULL) {
            *link = nbl;
            link = &NET_BUFFER_LIST_NEXT_NBL(nbl);
            count++;
        }
    }

#ifdef VN1_RACY_LOCK_ORDER
    //
    // Planted bug (drivers/racy, rule S4): transmit lock, then adapter lock.
    //
#ifdef VN1_RACY_DEADLOCK
    Adapter->RacyHoldingTxLock = 1;
    Vn1RacyRendezvous(Adapter, &Adapter->RacyHoldingAdapterLock);
#endif
    NdisDprAcquireSpinLock(&Adapter->Lock);
    Adapter->TxCompletionsUnderTxLock += count;
    NdisDprReleaseSpinLock(&Adapter->Lock);
#ifdef VN1_RACY_DEADLOCK
    Adapter->RacyHoldingTxLock = 0;
#endif
#endif
    NdisDprReleaseSpinLock(&tx->Lock);

    if (completed != NULL) {
        NdisMSendNetBufferListsComplete(Adapter->AdapterHandle,
                                        completed,
                                        NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL);
        Vn1SendNblsCompleted(Adapter, count);
    }
}


static
VOID
Vn1SendNblsCompleted(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG Count
    )
/*++

Routine Description:

    Accounts for completed sends, and completes a pending pause when the
    last one finishes.

Arguments:

    Adapter - The adapter.

    Count - NBLs completed.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    if (Count != 0 &&
        InterlockedExchangeAdd(&Adapter->TxOutstanding, -(LONG)Count) == (LONG)Count) {

        Vn1TryCompletePause(Adapter);
    }
}


_Use_decl_annotations_
VOID
Vn1CancelSend(
    NDIS_HANDLE MiniportAdapterContext,
    PVOID CancelId
    )
/*++

Routine Description:

    Every accepted send is on the ring already and cannot be recalled;
    the driver keeps no software queue, so there is nothing to cancel.

Arguments:

    MiniportAdapterContext - The adapter.

    CancelId - The cancellation identifier.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(CancelId);
}
