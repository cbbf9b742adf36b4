/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    interrupt.c

Abstract:

    Interrupts of the virtio-net sample miniport: registration, the line
    and message ISRs and DPCs, and the link state.

    Line (INTx): the ISR reads the ISR status byte, which clears it and
    deasserts the line ("ISR status capability"). Zero means another device
    on the shared line: not ours. Otherwise the ISR saves the bits, turns
    used buffer notifications off on every queue and queues the DPC.

    Messages: what a message services is fixed at initialization
    (MessageService): the configuration vector, one vector per queue, or
    one vector for everything when NDIS grants a single message. The ISR
    turns notifications off on the message's queues and queues the DPC.

    The DPC does the work and turns notifications on again, then looks once
    more, since the device may have used a buffer before it saw the change.
    Turning notifications off and on is the interrupt moderation of this
    driver: no register is written to mask or unmask anything, so the DPC
    needs no NdisMSynchronizeWithInterruptEx.

--*/

#include "virtio_net.h"

static BOOLEAN VioNetServiceQueues(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Service,
                                   _In_opt_ PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle);
static VOID VioNetServiceConfig(_In_ PVIONET_ADAPTER Adapter);
static VOID VioNetDisableQueues(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Service);
static VOID VioNetIndicateLinkState(_In_ PVIONET_ADAPTER Adapter);


_Use_decl_annotations_
NDIS_STATUS
VioNetRegisterInterrupt(
    PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Registers the line-based and the message-signaled handlers and decides
    from what NDIS granted what each message services.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_STATUS status;
    NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS interrupt;
    ULONG p;

    NdisZeroMemory(&interrupt, sizeof(interrupt));
    interrupt.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
    interrupt.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
    interrupt.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;

    interrupt.InterruptHandler = VioNetInterrupt;
    interrupt.InterruptDpcHandler = VioNetInterruptDpc;
    interrupt.DisableInterruptHandler = VioNetDisableInterrupt;
    interrupt.EnableInterruptHandler = VioNetEnableInterrupt;

    interrupt.MsiSupported = TRUE;
    interrupt.MsiSyncWithAllMessages = FALSE;
    interrupt.MessageInterruptHandler = VioNetMessageInterrupt;
    interrupt.MessageInterruptDpcHandler = VioNetMessageInterruptDpc;
    interrupt.DisableMessageInterruptHandler = VioNetDisableMessageInterrupt;
    interrupt.EnableMessageInterruptHandler = VioNetEnableMessageInterrupt;

    NdisZeroMemory(Adapter->MessageService, sizeof(Adapter->MessageService));

    status = NdisMRegisterInterruptEx(Adapter->AdapterHandle,
                                      (NDIS_HANDLE)Adapter,
                                      &interrupt,
                                      &Adapter->InterruptHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        Adapter->InterruptHandle = NULL;
        return status;
    }

    if (interrupt.InterruptType != NDIS_CONNECT_MESSAGE_BASED ||
        interrupt.MessageInfoTable == NULL) {

        Adapter->InterruptMode = VioNetInterruptLine;
        Adapter->MessageCount = 1;
        return NDIS_STATUS_SUCCESS;
    }

    Adapter->MessageInfoTable = interrupt.MessageInfoTable;
    Adapter->MessageCount = interrupt.MessageInfoTable->MessageCount;
    if (Adapter->MessageCount > VIONET_MAX_MESSAGES) {
        Adapter->MessageCount = VIONET_MAX_MESSAGES;
    }

    if (Adapter->MessageCount >= 1 + 2 * Adapter->NumPairs) {
        //
        // Vector 0: configuration changes; 1 + 2p: receiveq p; 2 + 2p:
        // transmitq p.
        //
        Adapter->InterruptMode = VioNetInterruptPerQueue;
        Adapter->MessageService[0] = VIONET_CONFIG_SERVICE;
        for (p = 0; p < Adapter->NumPairs; p++) {
            Adapter->MessageService[1 + 2 * p] = 1u << (2 * p);
            Adapter->MessageService[2 + 2 * p] = 1u << (2 * p + 1);
            Adapter->RxQueue[p].MessageId = 1 + 2 * p;
        }
    } else {
        //
        // Fewer messages than that: everything on message 0.
        //
        Adapter->InterruptMode = VioNetInterruptShared;
        Adapter->MessageService[0] = VIONET_CONFIG_SERVICE;
        for (p = 0; p < Adapter->NumPairs; p++) {
            Adapter->MessageService[0] |= 3u << (2 * p);
        }
    }

    return NDIS_STATUS_SUCCESS;
}


static
VOID
VioNetDisableQueues(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ ULONG Service
    )
{
    ULONG p;

    for (p = 0; p < Adapter->NumPairs; p++) {
        if (Service & (1u << (2 * p))) {
            VioNetQueueDisableInterrupts(&Adapter->RxQueue[p].Vq);
        }
        if (Service & (1u << (2 * p + 1))) {
            VioNetQueueDisableInterrupts(&Adapter->TxQueue[p].Vq);
        }
    }
}


static
BOOLEAN
VioNetServiceQueues(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ ULONG Service,
    _In_opt_ PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle
    )
/*++

Routine Description:

    Does the work of the queues in Service and turns their notifications
    back on. A receive queue is serviced up to the receive throttle; if
    buffers remain when the budget runs out, its notifications stay off.

Return Value:

    TRUE if receive work was left with notifications off: the caller must
    come back (MoreNblsPending, or a queued DPC).

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVIONET_RX_QUEUE rx;
    PVIONET_TX_QUEUE tx;
    BOOLEAN left = FALSE;
    BOOLEAN more;
    ULONG budget;
    ULONG p;

    if (Throttle == NULL || Throttle->MaxNblsToIndicate == NDIS_INDICATE_ALL_NBLS) {
        budget = VIONET_RX_DPC_LIMIT;
    } else {
        budget = Throttle->MaxNblsToIndicate;
    }

    for (p = 0; p < Adapter->NumPairs; p++) {
        if (Service & (1u << (2 * p + 1))) {
            tx = &Adapter->TxQueue[p];
            do {
                VioNetTransmitCompleteDpc(Adapter, tx);
                NdisDprAcquireSpinLock(&tx->Vq.Lock);
                more = VioNetQueueEnableInterrupts(&tx->Vq);
                NdisDprReleaseSpinLock(&tx->Vq.Lock);
            } while (more);
        }
    }

    for (p = 0; p < Adapter->NumPairs; p++) {
        if ((Service & (1u << (2 * p))) == 0) {
            continue;
        }
        rx = &Adapter->RxQueue[p];
        for (;;) {
            more = VioNetReceiveQueueDpc(Adapter, rx, &budget);
            if (more) {
                if (budget == 0) {
                    left = TRUE;
                    break;
                }
                continue;
            }
            NdisDprAcquireSpinLock(&rx->Vq.Lock);
            more = VioNetQueueEnableInterrupts(&rx->Vq);
            if (more) {
                VioNetQueueDisableInterrupts(&rx->Vq);
            }
            NdisDprReleaseSpinLock(&rx->Vq.Lock);
            if (!more) {
                break;
            }
            if (budget == 0) {
                left = TRUE;
                break;
            }
        }
    }

    return left;
}


static
VOID
VioNetRequeueDpc(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ ULONG MessageId
    )
/*++

Routine Description:

    The driver's own receive limit was reached under NDIS_INDICATE_ALL_NBLS
    with buffers left and their notifications off: run the DPC again on
    this processor rather than wait for an interrupt that will not come.

IRQL:

    DISPATCH_LEVEL

--*/
{
    GROUP_AFFINITY affinity;

    NdisZeroMemory(&affinity, sizeof(affinity));
    affinity.Group = 0;
    affinity.Mask = (KAFFINITY)1 << NdisCurrentProcessorIndex();
    NdisMQueueDpcEx(Adapter->InterruptHandle, MessageId, &affinity, NULL);
}


_Use_decl_annotations_
BOOLEAN
VioNetInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    PBOOLEAN QueueDefaultInterruptDpc,
    PULONG TargetProcessors
    )
/*++

Routine Description:

    Line-based ISR. One read of the ISR status byte says whether this
    device interrupted and why, clears it and deasserts the line.

Return Value:

    TRUE if this device interrupted.

IRQL:

    DIRQL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportInterruptContext;
    UCHAR isr;

    *QueueDefaultInterruptDpc = FALSE;
    *TargetProcessors = 0;

    isr = VioNetRead8(adapter, adapter->IsrOffset);
    if (isr == 0 || isr == 0xFF) {
        //
        // Another device on the line, or the device is gone (all ones).
        //
        return FALSE;
    }

    if (adapter->InterruptReady == 0) {
        return TRUE;
    }

    VioNetDisableQueues(adapter, 0xFFFFFFFFu);
    InterlockedOr(&adapter->PendingIsr, (LONG)isr);
    *QueueDefaultInterruptDpc = TRUE;
    return TRUE;
}


_Use_decl_annotations_
VOID
VioNetInterruptDpc(
    NDIS_HANDLE MiniportInterruptContext,
    PVOID MiniportDpcContext,
    PVOID ReceiveThrottleParameters,
    PVOID NdisReserved2
    )
/*++

Routine Description:

    Line-based DPC: the configuration if the ISR saw its bit, then every
    queue (the queue bit does not say which).

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportInterruptContext;
    PNDIS_RECEIVE_THROTTLE_PARAMETERS throttle =
        (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters;
    LONG isr;

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);

    if (throttle != NULL) {
        throttle->MoreNblsPending = FALSE;
    }
    if (adapter->InterruptReady == 0) {
        return;
    }

    isr = InterlockedExchange(&adapter->PendingIsr, 0);
    if (isr & VIRTIO_ISR_CONFIG) {
        VioNetServiceConfig(adapter);
    }

    if (VioNetServiceQueues(adapter, 0xFFFFFFFFu & ~VIONET_CONFIG_SERVICE, throttle)) {
        if (throttle != NULL && throttle->MaxNblsToIndicate != NDIS_INDICATE_ALL_NBLS) {
            throttle->MoreNblsPending = TRUE;
        } else {
            VioNetRequeueDpc(adapter, 0);
        }
    }
}


_Use_decl_annotations_
BOOLEAN
VioNetMessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG MessageId,
    PBOOLEAN QueueDefaultInterruptDpc,
    PULONG TargetProcessors
    )
/*++

Routine Description:

    Message-signaled ISR: a message is never shared, so it is always ours.
    Turns off the notifications of the queues the message services and
    queues the DPC.

IRQL:

    DIRQL of the message

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportInterruptContext;
    PVIONET_RX_QUEUE queue;
    GROUP_AFFINITY affinity;
    ULONG service;
    ULONG target;
    ULONG p;

    *QueueDefaultInterruptDpc = FALSE;
    *TargetProcessors = 0;

    if (MessageId >= adapter->MessageCount || adapter->InterruptReady == 0) {
        return TRUE;
    }

    service = adapter->MessageService[MessageId];
    VioNetDisableQueues(adapter, service);
    *QueueDefaultInterruptDpc = TRUE;

    //
    // RSS: a receive queue's DPC runs on the processor the indirection
    // table gave the queue.
    //
    if (adapter->InterruptMode == VioNetInterruptPerQueue && (MessageId & 1) != 0) {
        p = (MessageId - 1) / 2;
        queue = &adapter->RxQueue[p];
        target = queue->TargetProcessorIndex;
        if (p < adapter->NumPairs && target != VIONET_NO_TARGET_PROCESSOR &&
            target != NdisCurrentProcessorIndex()) {
            affinity = queue->TargetAffinity;
            NdisMQueueDpcEx(adapter->InterruptHandle, MessageId, &affinity, queue);
            *QueueDefaultInterruptDpc = FALSE;
        }
    }
    return TRUE;
}


_Use_decl_annotations_
BOOLEAN
VioNetSynchronizeSetTarget(
    NDIS_HANDLE SynchronizeContext
    )
/*++

Routine Description:

    Sets a receive queue's DPC target under its message's interrupt lock,
    so the ISR reads the processor index and affinity as one.

IRQL:

    DIRQL of the message

--*/
{
    PVIONET_TARGET_CONTEXT context = (PVIONET_TARGET_CONTEXT)SynchronizeContext;

    context->Queue->TargetProcessorIndex = context->ProcessorIndex;
    context->Queue->TargetAffinity = context->Affinity;
    return TRUE;
}


_Use_decl_annotations_
VOID
VioNetSetQueueTarget(
    PVIONET_ADAPTER Adapter,
    PVIONET_RX_QUEUE Queue,
    ULONG ProcessorIndex,
    PPROCESSOR_NUMBER ProcessorNumber
    )
/*++

Routine Description:

    Records the processor whose DPC services a receive queue
    (VIONET_NO_TARGET_PROCESSOR: wherever the ISR ran).

IRQL:

    PASSIVE_LEVEL

--*/
{
    VIONET_TARGET_CONTEXT context;

    NdisZeroMemory(&context, sizeof(context));
    context.Queue = Queue;
    context.ProcessorIndex = VIONET_NO_TARGET_PROCESSOR;
    if (ProcessorNumber != NULL && ProcessorIndex != VIONET_NO_TARGET_PROCESSOR) {
        context.ProcessorIndex = ProcessorIndex;
        context.Affinity.Group = ProcessorNumber->Group;
        context.Affinity.Mask = (KAFFINITY)1 << ProcessorNumber->Number;
    }

    if (Adapter->InterruptMode == VioNetInterruptPerQueue) {
        NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, Queue->MessageId,
                                        VioNetSynchronizeSetTarget, &context);
    }
}


_Use_decl_annotations_
VOID
VioNetMessageInterruptDpc(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG MessageId,
    PVOID MiniportDpcContext,
    PVOID ReceiveThrottleParameters,
    PVOID NdisReserved2
    )
/*++

Routine Description:

    Message-signaled DPC: the configuration if this is the configuration
    vector ("re-examine the configuration space"), then the message's
    queues.

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportInterruptContext;
    PNDIS_RECEIVE_THROTTLE_PARAMETERS throttle =
        (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters;
    ULONG service;

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);

    if (throttle != NULL) {
        throttle->MoreNblsPending = FALSE;
    }
    if (adapter->InterruptReady == 0 || MessageId >= adapter->MessageCount) {
        return;
    }

    service = adapter->MessageService[MessageId];
    if (service & VIONET_CONFIG_SERVICE) {
        VioNetServiceConfig(adapter);
    }
    if (service & ~VIONET_CONFIG_SERVICE) {
        if (VioNetServiceQueues(adapter, service & ~VIONET_CONFIG_SERVICE, throttle)) {
            if (throttle != NULL && throttle->MaxNblsToIndicate != NDIS_INDICATE_ALL_NBLS) {
                throttle->MoreNblsPending = TRUE;
            } else {
                VioNetRequeueDpc(adapter, MessageId);
            }
        }
    }
}


_Use_decl_annotations_
VOID
VioNetEnableInterrupt(
    NDIS_HANDLE MiniportInterruptContext
    )
/*++

Routine Description:

    Turns used buffer notifications on for every queue. A queue with used
    buffers already waiting gets no notification for them, so the DPC is
    queued to pick them up.

IRQL:

    DIRQL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportInterruptContext;
    BOOLEAN more = FALSE;
    ULONG p;

    for (p = 0; p < adapter->NumPairs; p++) {
        more |= VioNetQueueEnableInterrupts(&adapter->RxQueue[p].Vq);
        more |= VioNetQueueEnableInterrupts(&adapter->TxQueue[p].Vq);
    }
    if (more && adapter->InterruptReady) {
        VioNetRequeueDpc(adapter, 0);
    }
}


_Use_decl_annotations_
VOID
VioNetDisableInterrupt(
    NDIS_HANDLE MiniportInterruptContext
    )
{
    VioNetDisableQueues((PVIONET_ADAPTER)MiniportInterruptContext, 0xFFFFFFFFu);
}


_Use_decl_annotations_
VOID
VioNetEnableMessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG MessageId
    )
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportInterruptContext;
    ULONG service;
    BOOLEAN more = FALSE;
    ULONG p;

    if (MessageId >= adapter->MessageCount) {
        return;
    }
    service = adapter->MessageService[MessageId];
    for (p = 0; p < adapter->NumPairs; p++) {
        if (service & (1u << (2 * p))) {
            more |= VioNetQueueEnableInterrupts(&adapter->RxQueue[p].Vq);
        }
        if (service & (1u << (2 * p + 1))) {
            more |= VioNetQueueEnableInterrupts(&adapter->TxQueue[p].Vq);
        }
    }
    if (more && adapter->InterruptReady) {
        VioNetRequeueDpc(adapter, MessageId);
    }
}


_Use_decl_annotations_
VOID
VioNetDisableMessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG MessageId
    )
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportInterruptContext;

    if (MessageId < adapter->MessageCount) {
        VioNetDisableQueues(adapter, adapter->MessageService[MessageId]);
    }
}


_Use_decl_annotations_
BOOLEAN
VioNetReadLinkUp(
    PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Reads the status field of the device configuration, retrying until
    config_generation is the same before and after
    ("Device Configuration Space"). Without VIRTIO_NET_F_STATUS the link
    is up.

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    UCHAR before;
    UCHAR after;
    USHORT status = 0;
    ULONG attempts;

    if ((Adapter->Features & VIRTIO_FEATURE(VIRTIO_NET_F_STATUS)) == 0) {
        return TRUE;
    }
    for (attempts = 0; attempts < 16; attempts++) {
        before = VioNetRead8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_CONFIG_GENERATION));
        status = VioNetRead16(Adapter, Adapter->DeviceOffset + VIRTIO_NET_CONFIG_STATUS);
        after = VioNetRead8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_CONFIG_GENERATION));
        if (before == after) {
            break;
        }
    }
    return status != 0xFFFF && (status & VIRTIO_NET_S_LINK_UP) != 0;
}


_Use_decl_annotations_
VOID
VioNetFillLinkState(
    PVIONET_ADAPTER Adapter,
    PNDIS_LINK_STATE LinkState
    )
/*++

Routine Description:

    The link as NDIS describes it. A virtio-net device without
    VIRTIO_NET_F_SPEED_DUPLEX reports no speed; this driver reports
    10 Gb/s full duplex for a connected link.

--*/
{
    NdisZeroMemory(LinkState, sizeof(NDIS_LINK_STATE));
    LinkState->Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    LinkState->Header.Revision = NDIS_LINK_STATE_REVISION_1;
    LinkState->Header.Size = NDIS_SIZEOF_LINK_STATE_REVISION_1;
    LinkState->PauseFunctions = NdisPauseFunctionsUnsupported;

    if (Adapter->LinkUp) {
        LinkState->MediaConnectState = MediaConnectStateConnected;
        LinkState->MediaDuplexState = MediaDuplexStateFull;
        LinkState->XmitLinkSpeed = 10000000000ULL;
        LinkState->RcvLinkSpeed = 10000000000ULL;
    } else {
        LinkState->MediaConnectState = MediaConnectStateDisconnected;
        LinkState->MediaDuplexState = MediaDuplexStateUnknown;
        LinkState->XmitLinkSpeed = NDIS_LINK_SPEED_UNKNOWN;
        LinkState->RcvLinkSpeed = NDIS_LINK_SPEED_UNKNOWN;
    }
}


static
VOID
VioNetServiceConfig(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    A configuration change: the device may have set DEVICE_NEEDS_RESET,
    or the link may have changed. A link change is indicated with
    NDIS_STATUS_LINK_STATE.

IRQL:

    DISPATCH_LEVEL

--*/
{
    UCHAR status;
    BOOLEAN up;
    BOOLEAN changed;

    InterlockedIncrement(&Adapter->ConfigInterrupts);

    status = VioNetRead8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_STATUS));
    if (status != 0xFF && (status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)) {
        InterlockedIncrement(&Adapter->DeviceErrors);
    }

    up = VioNetReadLinkUp(Adapter);
    NdisDprAcquireSpinLock(&Adapter->Lock);
    changed = (up != Adapter->LinkUp);
    Adapter->LinkUp = up;
    NdisDprReleaseSpinLock(&Adapter->Lock);

    if (changed) {
        InterlockedIncrement(&Adapter->LinkChangeEvents);
        VioNetIndicateLinkState(Adapter);
    }
}


static
VOID
VioNetIndicateLinkState(
    _In_ PVIONET_ADAPTER Adapter
    )
{
    NDIS_STATUS_INDICATION indication;
    NDIS_LINK_STATE linkState;

    VioNetFillLinkState(Adapter, &linkState);

    NdisZeroMemory(&indication, sizeof(indication));
    indication.Header.Type = NDIS_OBJECT_TYPE_STATUS_INDICATION;
    indication.Header.Revision = NDIS_STATUS_INDICATION_REVISION_1;
    indication.Header.Size = NDIS_SIZEOF_STATUS_INDICATION_REVISION_1;
    indication.SourceHandle = Adapter->AdapterHandle;
    indication.PortNumber = NDIS_DEFAULT_PORT_NUMBER;
    indication.StatusCode = NDIS_STATUS_LINK_STATE;
    indication.StatusBuffer = &linkState;
    indication.StatusBufferSize = sizeof(NDIS_LINK_STATE);

    NdisMIndicateStatusEx(Adapter->AdapterHandle, &indication);
}
