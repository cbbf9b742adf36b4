/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    interrupt.c

Abstract:

    Interrupt handling of the VN-1 sample miniport.

    Message layout (MSI-X, IMODE 2):
        message q, q < NumRxQueues      RXQ[q]
        message MessageCount - 1        TXQ[0], LSC, RXO, ERR ("other")
    With a single message (MSI, IMODE 1) or a line (IMODE 0) every cause
    lands on the one interrupt, and there is a receive queue per processor:
    the ISR starts an interrupt DPC batch, a DPC on each processor with
    work, and the last DPC of the batch unmasks (Vn1StartDpcBatch).

    Masking: in the message modes IAM holds every serviced cause, so the
    device masks a message's causes the moment it signals the message; the
    DPC unmasks them through NdisMSynchronizeWithInterruptEx when it is done,
    and the device re-signals at once if anything arrived meanwhile (the
    re-arm rule of datasheet §4), so no event is lost. On the line the ISR
    reads ICR once (read-to-clear) and masks everything with IMC.

    Receive DPC placement: a receive message's DPC runs on the processor the
    RSS indirection table assigns to that queue. If the ISR is already
    there it asks for the default DPC; otherwise it queues the DPC on the
    target with NdisMQueueDpcEx.

    Planted interleaving bugs (drivers/racy, docs/sim.md), compiled in only
    with their flag; VN1_RACY_FIXED with it builds the fixed twin:
        VN1_RACY_P1    line: the DPC reads the pending-cause word, re-arms,
                       services, then clears it; the ISR overwrites it.
        VN1_RACY_P2    MSI-X: a shadow interrupt mask updated by ISRs and
                       DPCs without synchronization.
        VN1_RACY_P6    line, MSI: the batch counts the processors requested
                       from NdisMQueueDpcEx, not those it returned.
        VN1_RACY_P7    line, MSI: every DPC of a batch unmasks the device,
                       not only the last one.
        VN1_RACY_XMSG  MSI-X: a counter shared by two messages' ISRs and a
                       synchronize routine on a third message, registered
                       with MsiSyncWithAllMessages = FALSE.

--*/

#include "vn1.h"
#ifdef VN1_RACY_DPC_SLEEP
#include <unistd.h>
#endif

static BOOLEAN Vn1ServiceAllCauses(_In_ PVN1_ADAPTER Adapter,
                                   _In_ ULONG Causes,
                                   _In_ BOOLEAN CausesKnown,
                                   _In_ ULONG Budget,
                                   _Out_ PULONG PendingCauses);
static VOID Vn1ServiceOtherCauses(_In_ PVN1_ADAPTER Adapter,
                                  _In_ ULONG Causes,
                                  _In_ BOOLEAN CausesKnown);
static ULONG Vn1ReceiveBudget(_In_opt_ PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle,
                              _Out_ PBOOLEAN IndicateAll);
static VOID Vn1IndicateLinkState(_In_ PVN1_ADAPTER Adapter,
                                 _In_ PNDIS_LINK_STATE LinkState);


_Use_decl_annotations_
ULONG
Vn1MessageCauses(
    PVN1_ADAPTER Adapter,
    ULONG MessageId
    )
/*++

Routine Description:

    Returns the cause bits that signal the given message.

Arguments:

    Adapter - The adapter.

    MessageId - A message id; ignored for a line-based interrupt.

Return Value:

    The IMS/IMC bits of the message, 0 for a message nothing is routed to.

IRQL:

    Any

--*/
{
    if (Adapter->InterruptMode != VN1_IMODE_MSIX) {
        return Adapter->EnabledCauses;
    }
    if (MessageId < Adapter->NumRxQueues) {
        return VN1_ICR_RXQ(MessageId);
    }
    if (MessageId == Adapter->OtherMessageId) {
        return VN1_ICR_OTHER;
    }
    return 0;
}


_Use_decl_annotations_
NDIS_STATUS
Vn1RegisterInterrupt(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Registers the line-based and the message-signaled handlers and records
    what NDIS granted.

Arguments:

    Adapter - The adapter; passed back as MiniportInterruptContext.

Return Value:

    The status of NdisMRegisterInterruptEx.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_STATUS status;
    NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS interrupt;

    NdisZeroMemory(&interrupt, sizeof(interrupt));

    interrupt.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
    interrupt.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
    interrupt.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;

    interrupt.InterruptHandler = Vn1Interrupt;
    interrupt.InterruptDpcHandler = Vn1InterruptDpc;
    interrupt.DisableInterruptHandler = Vn1DisableInterrupt;
    interrupt.EnableInterruptHandler = Vn1EnableInterrupt;

    interrupt.MsiSupported = TRUE;
#if defined(VN1_RACY_XMSG) && defined(VN1_RACY_FIXED)
    //
    // The counter below is shared by several messages: one lock for all.
    //
    interrupt.MsiSyncWithAllMessages = TRUE;
#else
    interrupt.MsiSyncWithAllMessages = FALSE;
#endif
    interrupt.MessageInterruptHandler = Vn1MessageInterrupt;
    interrupt.MessageInterruptDpcHandler = Vn1MessageInterruptDpc;
    interrupt.DisableMessageInterruptHandler = Vn1DisableMessageInterrupt;
    interrupt.EnableMessageInterruptHandler = Vn1EnableMessageInterrupt;

    status = NdisMRegisterInterruptEx(Adapter->AdapterHandle,
                                      (NDIS_HANDLE)Adapter,
                                      &interrupt,
                                      &Adapter->InterruptHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        Adapter->InterruptHandle = NULL;
        return status;
    }

    Adapter->InterruptType = interrupt.InterruptType;
    if (interrupt.InterruptType == NDIS_CONNECT_MESSAGE_BASED &&
        interrupt.MessageInfoTable != NULL) {

        Adapter->MessageInfoTable = interrupt.MessageInfoTable;
        Adapter->MessageCount = interrupt.MessageInfoTable->MessageCount;
        if (Adapter->MessageCount > VN1_MAX_MSIX_MESSAGES) {
            Adapter->MessageCount = VN1_MAX_MSIX_MESSAGES;
        }
    } else {
        Adapter->MessageInfoTable = NULL;
        Adapter->MessageCount = 1;
    }

    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
Vn1ProgramInterrupts(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Chooses the interrupt mode and the number of receive queues from what
    NDIS granted, then programs IMODE, IVAR, IAM and ITR. Every cause stays
    masked; Vn1EnableAllInterrupts unmasks them.

    With fewer messages than receive queues plus one, fewer receive queues
    are used: each queue needs a message of its own.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    ULONG q;
    ULONG cause;
    ULONG message;

    if (Adapter->InterruptType != NDIS_CONNECT_MESSAGE_BASED) {
        Adapter->InterruptMode = VN1_IMODE_LINE;
        Adapter->NumRxQueues = 1;
        Adapter->OtherMessageId = 0;
    } else if (Adapter->MessageCount < 2) {
        Adapter->InterruptMode = VN1_IMODE_MSI;
        Adapter->NumRxQueues = 1;
        Adapter->OtherMessageId = 0;
    } else {
        Adapter->InterruptMode = VN1_IMODE_MSIX;
    }

    if (Adapter->InterruptMode != VN1_IMODE_MSIX) {
#ifdef VN1_DPC_BATCH
        //
        // One interrupt, a queue per processor: the device hashes and
        // queues, the ISR queues a DPC on every processor with work.
        //
        Adapter->NumRxQueues = Adapter->RxQueuesAllocated;
#endif
    } else {
        Adapter->InterruptMode = VN1_IMODE_MSIX;
        Adapter->NumRxQueues = Adapter->MessageCount - 1;
        if (Adapter->NumRxQueues > Adapter->RxQueuesAllocated) {
            Adapter->NumRxQueues = Adapter->RxQueuesAllocated;
        }
        Adapter->OtherMessageId = Adapter->MessageCount - 1;
    }

    Adapter->EnabledCauses = VN1_ICR_OTHER;
    for (q = 0; q < Adapter->NumRxQueues; q++) {
        Adapter->RxQueue[q].MessageId = (Adapter->InterruptMode == VN1_IMODE_MSIX) ? q : 0;
        Adapter->EnabledCauses |= VN1_ICR_RXQ(q);
    }

    //
    // Every cause is still masked (IMS is 0 after reset), so nothing here
    // races with the ISR; IMS itself is only ever written under the
    // interrupt lock.
    //
    Vn1WriteRegister(Adapter, VN1_REG_IMODE, Adapter->InterruptMode);

    if (Adapter->InterruptMode == VN1_IMODE_MSIX) {
        for (cause = 0; cause < VN1_CAUSE_COUNT; cause++) {
            Vn1WriteRegister(Adapter, VN1_REG_IVAR(cause), 0);
        }
        for (q = 0; q < Adapter->NumRxQueues; q++) {
            Vn1WriteRegister(Adapter,
                             VN1_REG_IVAR(VN1_CAUSE_INDEX_RXQ(q)),
                             (q & VN1_IVAR_MSG_MASK) | VN1_IVAR_VALID);
        }
        message = (Adapter->OtherMessageId & VN1_IVAR_MSG_MASK) | VN1_IVAR_VALID;
        Vn1WriteRegister(Adapter, VN1_REG_IVAR(VN1_CAUSE_INDEX_TXQ(VN1_TX_QUEUE_INDEX)), message);
        Vn1WriteRegister(Adapter, VN1_REG_IVAR(VN1_CAUSE_INDEX_LSC), message);
        Vn1WriteRegister(Adapter, VN1_REG_IVAR(VN1_CAUSE_INDEX_RXO), message);
        Vn1WriteRegister(Adapter, VN1_REG_IVAR(VN1_CAUSE_INDEX_ERR), message);
    }

    //
    // Auto-mask applies in the message modes only; on the line the ISR
    // masks with IMC itself.
    //
    Vn1WriteRegister(Adapter,
                     VN1_REG_IAM,
                     Adapter->InterruptMode == VN1_IMODE_LINE ? 0 : Adapter->EnabledCauses);

    //
    // Moderation as configured (*InterruptModeration, Vn1ReadConfiguration)
    // or last set through OID_GEN_INTERRUPT_MODERATION.
    //
    for (message = 0; message < Adapter->MessageCount; message++) {
        Vn1WriteRegister(Adapter, VN1_REG_ITR(message),
                         Adapter->InterruptModerationUs & VN1_ITR_INTERVAL_MASK);
    }
}


static
VOID
Vn1SynchronizeCauses(
    _In_ PVN1_SYNC_CONTEXT Context
    )
/*++

Routine Description:

    The body of both synchronize routines: mask, unmask, then raise causes.
    Unmasking with IMS re-arms the device, so a cause that became pending
    while masked signals again at once.

Arguments:

    Context - What to write.

Return Value:

    None

IRQL:

    DIRQL, holding the interrupt lock.

--*/
{
    if (Context->NotDuringBatch && InterlockedOr(&Context->Adapter->BatchDpcs, 0) != 0) {
        return;
    }
    if (Context->DisableCauses != 0) {
        Vn1WriteRegister(Context->Adapter, VN1_REG_IMC, Context->DisableCauses);
    }
    if (Context->EnableCauses != 0) {
        Vn1WriteRegister(Context->Adapter, VN1_REG_IMS, Context->EnableCauses);
    }
    if (Context->RaiseCauses != 0) {
        Vn1WriteRegister(Context->Adapter, VN1_REG_ICS, Context->RaiseCauses);
    }
}


_Use_decl_annotations_
BOOLEAN
Vn1SynchronizeInterrupt(
    NDIS_HANDLE SynchronizeContext
    )
/*++

Routine Description:

    Changes the interrupt mask while holding the line-based interrupt's
    lock, so that it cannot interleave with Vn1Interrupt, which reads IMS
    and ICR.

Arguments:

    SynchronizeContext - A VN1_SYNC_CONTEXT.

Return Value:

    TRUE

IRQL:

    DIRQL

--*/
{
    Vn1SynchronizeCauses((PVN1_SYNC_CONTEXT)SynchronizeContext);
    return TRUE;
}


_Use_decl_annotations_
BOOLEAN
Vn1SynchronizeMessageInterrupt(
    NDIS_HANDLE SynchronizeContext
    )
/*++

Routine Description:

    Changes the interrupt mask while holding one message's interrupt lock,
    serialized with Vn1MessageInterrupt for that message.

Arguments:

    SynchronizeContext - A VN1_SYNC_CONTEXT.

Return Value:

    TRUE

IRQL:

    DIRQL of the message.

--*/
{
#ifdef VN1_RACY_XMSG
    PVN1_SYNC_CONTEXT context = (PVN1_SYNC_CONTEXT)SynchronizeContext;

    if (context->TakeRxMessageEvents) {
        context->Adapter->RxMessageEventsTaken += context->Adapter->RxMessageEvents;
        context->Adapter->RxMessageEvents = 0; // XMSG: races with messages 0 and 1
    }
#endif
    Vn1SynchronizeCauses((PVN1_SYNC_CONTEXT)SynchronizeContext);
    return TRUE;
}


_Use_decl_annotations_
BOOLEAN
Vn1SynchronizeSetTarget(
    NDIS_HANDLE SynchronizeContext
    )
/*++

Routine Description:

    Updates a receive queue's DPC target while holding its message's
    interrupt lock, so the ISR never sees an index and an affinity that
    disagree.

Arguments:

    SynchronizeContext - A VN1_TARGET_CONTEXT.

Return Value:

    TRUE

IRQL:

    DIRQL of the queue's message.

--*/
{
    PVN1_TARGET_CONTEXT context = (PVN1_TARGET_CONTEXT)SynchronizeContext;

    context->Queue->TargetProcessorIndex = context->ProcessorIndex;
    context->Queue->TargetAffinity = context->Affinity;
    return TRUE;
}


_Use_decl_annotations_
VOID
Vn1SetQueueTarget(
    PVN1_ADAPTER Adapter,
    PVN1_RX_QUEUE Queue,
    ULONG ProcessorIndex,
    PPROCESSOR_NUMBER ProcessorNumber
    )
/*++

Routine Description:

    Records the processor whose DPC should service a receive queue.

Arguments:

    Adapter - The adapter.

    Queue - A receive queue in use.

    ProcessorIndex - The target's system-wide index, or
        VN1_NO_TARGET_PROCESSOR to run the DPC wherever the ISR ran.

    ProcessorNumber - The target's group and number; NULL with
        VN1_NO_TARGET_PROCESSOR.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    VN1_TARGET_CONTEXT context;

    NdisZeroMemory(&context, sizeof(context));
    context.Queue = Queue;
    context.ProcessorIndex = ProcessorIndex;
    if (ProcessorNumber != NULL && ProcessorIndex != VN1_NO_TARGET_PROCESSOR) {
        context.Affinity.Group = ProcessorNumber->Group;
        context.Affinity.Mask = (KAFFINITY)1 << ProcessorNumber->Number;
    } else {
        context.ProcessorIndex = VN1_NO_TARGET_PROCESSOR;
    }

    NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle,
                                    Queue->MessageId,
                                    Vn1SynchronizeSetTarget,
                                    &context);
}


_Use_decl_annotations_
VOID
Vn1EnableAllInterrupts(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Unmasks every serviced cause, each message under its own lock.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    VN1_SYNC_CONTEXT context;
    ULONG message;

    NdisZeroMemory(&context, sizeof(context));
    context.Adapter = Adapter;

    if (Adapter->InterruptMode == VN1_IMODE_LINE) {
        context.EnableCauses = Adapter->EnabledCauses;
        NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, 0,
                                        Vn1SynchronizeInterrupt, &context);
        return;
    }

#ifdef VN1_RACY_P2
    Adapter->PendingCauses = (LONG)Adapter->EnabledCauses; // P2: the shadow
#endif
    for (message = 0; message < Adapter->MessageCount; message++) {
        context.EnableCauses = Vn1MessageCauses(Adapter, message);
        if (context.EnableCauses != 0) {
            NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, message,
                                            Vn1SynchronizeMessageInterrupt, &context);
        }
    }
}


_Use_decl_annotations_
VOID
Vn1DisableAllInterrupts(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Masks every serviced cause, each message under its own lock.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    VN1_SYNC_CONTEXT context;
    ULONG message;

    NdisZeroMemory(&context, sizeof(context));
    context.Adapter = Adapter;

    if (Adapter->InterruptMode == VN1_IMODE_LINE) {
        context.DisableCauses = VN1_ICR_ALL;
        NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, 0,
                                        Vn1SynchronizeInterrupt, &context);
        return;
    }

#ifdef VN1_RACY_P2
    Adapter->PendingCauses = 0; // P2: the shadow
#endif
    for (message = 0; message < Adapter->MessageCount; message++) {
        context.DisableCauses = Vn1MessageCauses(Adapter, message);
        if (context.DisableCauses != 0) {
            NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, message,
                                            Vn1SynchronizeMessageInterrupt, &context);
        }
    }
}


#ifdef VN1_DPC_BATCH

static
ULONG
Vn1CountProcessors(
    _In_ KAFFINITY Mask
    )
/*++

Routine Description:

    Number of processors in an affinity mask.

Arguments:

    Mask - The mask.

Return Value:

    The number of bits set.

IRQL:

    Any

--*/
{
    ULONG count = 0;

    while (Mask != 0) {
        Mask &= Mask - 1;
        count++;
    }
    return count;
}


static
VOID
Vn1EndBatchLocked(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Ends an interrupt DPC batch: unmasks every serviced cause and raises
    the receive causes of queues that still hold frames, so they come back
    through a fresh interrupt. Does nothing if an ISR started another batch
    since the caller's DPC finished: that batch's last DPC unmasks.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    DIRQL, holding the interrupt lock (message 0 in MSI mode).

--*/
{
    ULONG raise;

    if (InterlockedOr(&Adapter->BatchDpcs, 0) != 0) {
        return;
    }
    raise = (ULONG)InterlockedExchange(&Adapter->BatchRaise, 0);
    Vn1WriteRegister(Adapter, VN1_REG_IMS, Adapter->EnabledCauses);
    if (raise != 0) {
        Vn1WriteRegister(Adapter, VN1_REG_ICS, raise);
    }
}


_Use_decl_annotations_
BOOLEAN
Vn1SynchronizeBatchEnd(
    NDIS_HANDLE SynchronizeContext
    )
/*++

Routine Description:

    The last DPC of a batch unmasks here, serialized with the ISR.

Arguments:

    SynchronizeContext - The adapter.

Return Value:

    TRUE

IRQL:

    DIRQL

--*/
{
    Vn1EndBatchLocked((PVN1_ADAPTER)SynchronizeContext);
    return TRUE;
}


static
VOID
Vn1StartDpcBatch(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG MessageId,
    _In_ ULONG Causes,
    _In_ BOOLEAN CausesKnown
    )
/*++

Routine Description:

    Called by the ISR of the line or the MSI message once the device is
    masked: hands each processor the receive queues it owns that have
    work, and queues one DPC on each of them, plus one on this processor
    for the other causes and the queues no processor owns. All of them go
    through NdisMQueueDpcEx (the ISR's TargetProcessors output is obsolete
    in NDIS 6.20), so that the mask it returns accounts for every DPC of
    the batch: a processor missing from it already had the DPC queued
    (I5), and that queued run will do the work handed to it here.

    The batch count is raised by what is requested before anything is
    queued, so a DPC that runs at once on another processor cannot see it
    reach zero early, and then lowered by what NdisMQueueDpcEx did not
    queue. An ISR that runs while a batch is in progress (a spurious
    message) extends that batch the same way.

Arguments:

    Adapter - The adapter.

    MessageId - 0 (the line, or the one MSI message).

    Causes - The ICR bits the ISR read (line).

    CausesKnown - FALSE in MSI mode: ICR was auto-cleared, every queue
        that has a processor gets a DPC.

Return Value:

    None

IRQL:

    DIRQL, holding the interrupt lock.

--*/
{
    GROUP_AFFINITY affinity;
    PVN1_RX_QUEUE queue;
    KAFFINITY queued;
    ULONG current = NdisCurrentProcessorIndex();
    ULONG handOver;
    ULONG target;
    ULONG q;
    LONG requested;
    LONG missing;

    //
    // ndisrt has one processor group, and a processor's index is its number
    // in group 0; a multi-group driver would use KeGetCurrentProcessorNumberEx.
    //
    NdisZeroMemory(&affinity, sizeof(affinity));
    affinity.Group = 0;
    affinity.Mask = (KAFFINITY)1 << current;
    handOver = CausesKnown ? (Causes & VN1_ICR_OTHER) : VN1_ICR_OTHER;

    for (q = 0; q < Adapter->NumRxQueues; q++) {
        queue = &Adapter->RxQueue[q];
        if (CausesKnown && (Causes & VN1_ICR_RXQ(q)) == 0) {
            continue;
        }
        target = queue->TargetProcessorIndex;
        if (target == VN1_NO_TARGET_PROCESSOR || target >= VN1_BATCH_PROCESSORS ||
            queue->TargetAffinity.Group != 0) {
            handOver |= VN1_ICR_RXQ(q);
            continue;
        }
        InterlockedOr(&Adapter->BatchWork[target], (LONG)VN1_ICR_RXQ(q));
        if (InterlockedOr(&Adapter->BatchActive[target], 0) == 0) {
            affinity.Mask |= queue->TargetAffinity.Mask;
        }
    }
    if (current < VN1_BATCH_PROCESSORS) {
        InterlockedOr(&Adapter->BatchWork[current], (LONG)handOver);
        if (InterlockedOr(&Adapter->BatchActive[current], 0) != 0) {
            affinity.Mask &= ~((KAFFINITY)1 << current);
        }
    }
    if (affinity.Mask == 0) {
        //
        // Every processor with work has its batch DPC running: each looks
        // at its work again before it counts itself out.
        //
        return;
    }

    requested = (LONG)Vn1CountProcessors(affinity.Mask);
    InterlockedIncrement(&Adapter->Batches);
    InterlockedExchangeAdd(&Adapter->BatchDpcs, requested);
    queued = NdisMQueueDpcEx(Adapter->InterruptHandle, MessageId, &affinity, Adapter);

    missing = requested - (LONG)Vn1CountProcessors(queued & affinity.Mask);
    if (missing != 0) {
        InterlockedExchangeAdd(&Adapter->BatchDpcsRefused, missing);
#if defined(VN1_RACY_P6) && !defined(VN1_RACY_FIXED)
        //
        // Planted bug P6 (drivers/racy): the batch count stays at what was
        // requested. A DPC that was already queued runs once, not twice, so
        // the count never reaches zero and the device stays masked.
        //
#else
        if (InterlockedExchangeAdd(&Adapter->BatchDpcs, -missing) == missing) {
            //
            // Every DPC of the batch finished already (deregistration
            // refuses new ones): end it here, under the interrupt lock.
            //
            Vn1EndBatchLocked(Adapter);
        }
#endif
    }
}


static
VOID
Vn1BatchDpc(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG MessageId,
    _In_opt_ PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle,
    _In_ BOOLEAN CausesKnown
    )
/*++

Routine Description:

    One DPC of a line or MSI batch: services the work the ISR handed to
    this processor - its receive queues, and on the ISR's processor the
    other causes and the queues no processor owns - within its own NBL
    budget. Throttled, it keeps its work and sets MoreNblsPending (NDIS runs
    it again here; the batch goes on). Otherwise it counts itself out of
    the batch; the last one unmasks the device (rule I8: with several DPCs,
    an atomic count tells which one is last).

Arguments:

    Adapter - The adapter.

    MessageId - 0.

    Throttle - The DPC's throttle parameters.

    CausesKnown - TRUE on the line, where the ISR read ICR.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    ULONG current = NdisCurrentProcessorIndex();
    BOOLEAN indicateAll;
    ULONG budget;
    ULONG work;
    ULONG left = 0;
    ULONG q;

    if (current >= VN1_BATCH_PROCESSORS) {
        InterlockedDecrement(&Adapter->BatchDpcs);
        return;
    }
    InterlockedExchange(&Adapter->BatchActive[current], 1);
    budget = Vn1ReceiveBudget(Throttle, &indicateAll);

again:
    work = (ULONG)InterlockedExchange(&Adapter->BatchWork[current], 0);
#ifdef VN1_RACY_P3
    //
    // Planted bug P3 (drivers/racy): poll ICR for causes that arrived since
    // the ISR, outside the interrupt lock. On the line ICR is read-to-clear:
    // a cause this read consumes while the ISR needs it is lost to the ISR,
    // and an ISR between the two reads steals the DPC's. The sample hands
    // causes over only through the batch's work words (rule S5).
    //
    work |= Vn1ReadRegister(Adapter, VN1_REG_ICR) & Adapter->EnabledCauses;
#endif

    if (work & VN1_ICR_OTHER) {
        Vn1ServiceOtherCauses(Adapter, work & VN1_ICR_OTHER, CausesKnown);
    }
    for (q = 0; q < Adapter->NumRxQueues; q++) {
        if ((work & VN1_ICR_RXQ(q)) != 0 &&
            Vn1ReceiveQueueDpc(Adapter, &Adapter->RxQueue[q], &budget)) {
            left |= VN1_ICR_RXQ(q);
        }
    }

    if (left != 0 && !indicateAll) {
        //
        // Receive work is left: keep it, keep the device masked, and let
        // NDIS run this DPC again.
        //
        InterlockedOr(&Adapter->BatchWork[current], (LONG)left);
        Throttle->MoreNblsPending = TRUE;
        return;
    }

    //
    // Done, or our own limit reached under NDIS_INDICATE_ALL_NBLS: frames
    // already in a ring raise no new cause, so the last DPC raises theirs
    // with ICS as it unmasks.
    //
    if (left != 0) {
        InterlockedOr(&Adapter->BatchRaise, (LONG)left);
        left = 0;
    }

    //
    // An ISR that found this DPC running handed it work without queueing
    // it again: look once more after saying it no longer runs.
    //
    InterlockedExchange(&Adapter->BatchActive[current], 0);
    if (InterlockedOr(&Adapter->BatchWork[current], 0) != 0) {
        InterlockedExchange(&Adapter->BatchActive[current], 1);
        goto again;
    }

#if defined(VN1_RACY_P7) && !defined(VN1_RACY_FIXED)
    //
    // Planted bug P7 (drivers/racy): every DPC of the batch unmasks the
    // device as it finishes, not only the last one (rule I8).
    //
    InterlockedDecrement(&Adapter->BatchDpcs);
    {
        VN1_SYNC_CONTEXT context;

        NdisZeroMemory(&context, sizeof(context));
        context.Adapter = Adapter;
        context.EnableCauses = Adapter->EnabledCauses;
        context.RaiseCauses = (ULONG)InterlockedExchange(&Adapter->BatchRaise, 0);
        NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, MessageId,
                                        Adapter->InterruptMode == VN1_IMODE_LINE ?
                                            Vn1SynchronizeInterrupt :
                                            Vn1SynchronizeMessageInterrupt,
                                        &context);
    }
#else
    if (InterlockedDecrement(&Adapter->BatchDpcs) == 0) {
        NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, MessageId,
                                        Vn1SynchronizeBatchEnd, Adapter);
    }
#endif
}

#endif // VN1_DPC_BATCH


_Use_decl_annotations_
BOOLEAN
Vn1Interrupt(
    NDIS_HANDLE MiniportInterruptContext,
    PBOOLEAN QueueDefaultInterruptDpc,
    PULONG TargetProcessors
    )
/*++

Routine Description:

    Line-based ISR. The line may be shared, so the interrupt is claimed only
    if this VN-1 has an enabled cause pending.

    A VN-1 with every cause masked cannot be asserting the line; in that
    state ICR is not read at all, because reading it would consume causes
    that must re-assert the line when the DPC unmasks them.

Arguments:

    MiniportInterruptContext - The adapter.

    QueueDefaultInterruptDpc - Receives TRUE to run Vn1InterruptDpc on this
        processor.

    TargetProcessors - Receives 0 (obsolete in NDIS 6.20).

Return Value:

    TRUE if this VN-1 interrupted, FALSE otherwise.

IRQL:

    DIRQL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportInterruptContext;
    ULONG mask;
    ULONG icr;

    *QueueDefaultInterruptDpc = FALSE;
    *TargetProcessors = 0;

#ifdef VN1_RACY_ISR_LOOP
    //
    // Planted bug (drivers/racy, rule K6): the ISR waits for a register
    // value the device never shows - it never returns.
    //
    while (Vn1ReadRegister(adapter, VN1_REG_IMS) != 0xDEADBEEF) {
        KeMemoryBarrier();
    }
#endif
#ifdef VN1_RACY_ISR_SPIN_LOCK
    //
    // Planted bug (drivers/racy, rule C1): an NDIS spin lock taken at DIRQL.
    //
    NdisAcquireSpinLock(&adapter->Lock);
    NdisReleaseSpinLock(&adapter->Lock);
#endif
    mask = Vn1ReadRegister(adapter, VN1_REG_IMS);
#ifdef VN1_RACY_P4
    //
    // Planted bug P4 (drivers/racy): on a shared line, claim every
    // interrupt, ours or not. The other device's ISR is never called, its
    // level cause is never dismissed. The sample claims only its own causes.
    //
    if (mask == 0) {
        return TRUE;
    }
#else
    if (mask == 0) {
        return FALSE;
    }
#endif

#ifdef VN1_RACY_P5
    //
    // Planted bug P5 (drivers/racy): claim the interrupt and ask for the DPC
    // without reading ICR (read-to-clear) or masking: the level cause is
    // never dismissed, so the line re-asserts as soon as the ISR returns.
    //
    *QueueDefaultInterruptDpc = TRUE;
    return TRUE;
#else
    icr = Vn1ReadRegister(adapter, VN1_REG_ICR);
#ifdef VN1_RACY_P4
    if (icr == 0xFFFFFFFF || (icr & adapter->EnabledCauses) == 0) {
        return TRUE;
    }
#else
    if (icr == 0xFFFFFFFF || (icr & adapter->EnabledCauses) == 0) {
        return FALSE;
    }
#endif
#endif

    Vn1WriteRegister(adapter, VN1_REG_IMC, VN1_ICR_ALL);
#ifdef VN1_DPC_BATCH
    Vn1StartDpcBatch(adapter, 0, icr & adapter->EnabledCauses, TRUE);
#else
#if defined(VN1_RACY_P1) && !defined(VN1_RACY_FIXED)
    adapter->PendingCauses = (LONG)icr; // P1: overwrites the word the DPC reads
#else
    InterlockedOr(&adapter->PendingCauses, (LONG)icr);
#endif

    *QueueDefaultInterruptDpc = TRUE;
#endif
    return TRUE;
}


_Use_decl_annotations_
VOID
Vn1InterruptDpc(
    NDIS_HANDLE MiniportInterruptContext,
    PVOID MiniportDpcContext,
    PVOID ReceiveThrottleParameters,
    PVOID NdisReserved2
    )
/*++

Routine Description:

    Line-based DPC: services every cause the ISR saved, indicates at most
    the throttle's NBL count, and unmasks the device when no receive work
    is left.

Arguments:

    MiniportInterruptContext - The adapter.

    MiniportDpcContext - NULL (the ISR asked for the default DPC).

    ReceiveThrottleParameters - PNDIS_RECEIVE_THROTTLE_PARAMETERS.

    NdisReserved2 - Reserved.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportInterruptContext;
    PNDIS_RECEIVE_THROTTLE_PARAMETERS throttle =
        (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters;
    VN1_SYNC_CONTEXT context;
    BOOLEAN indicateAll;
    ULONG budget;
    ULONG causes;
    ULONG pending;

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);

    if (throttle != NULL) {
        throttle->MoreNblsPending = FALSE;
    }

    if (adapter->InterruptReady == 0) {
#ifdef VN1_DPC_BATCH
        if (MiniportDpcContext == adapter) {
            InterlockedDecrement(&adapter->BatchDpcs);
        }
#endif
        return;
    }

#ifdef VN1_RACY_DPC_LOCK_HELD
    //
    // Planted bug (drivers/racy, rule K3): the DPC returns holding the
    // adapter lock.
    //
    NdisDprAcquireSpinLock(&adapter->Lock);
    return;
#endif
#ifdef VN1_RACY_DPC_SLEEP
    //
    // Planted bug (drivers/racy, rule K7): the DPC "waits a little" for the
    // device - a sleep at DISPATCH_LEVEL.
    //
    usleep(100);
#endif
#ifdef VN1_RACY_DPC_LOOP
    //
    // Planted bug (drivers/racy, rule K6): the DPC polls for a cause that
    // never comes - it never returns.
    //
    while (adapter->PendingCauses != -1) {
        KeMemoryBarrier();
    }
#endif
#ifdef VN1_DPC_BATCH
    if (MiniportDpcContext == adapter) {
        Vn1BatchDpc(adapter, 0, throttle, TRUE);
        return;
    }
#endif
#ifdef VN1_RACY_P1
    {
        BOOLEAN more;

#ifdef VN1_RACY_FIXED
        causes = (ULONG)InterlockedExchange(&adapter->PendingCauses, 0);
#else
        causes = (ULONG)adapter->PendingCauses; // P1: read here, cleared below
#endif
        budget = Vn1ReceiveBudget(throttle, &indicateAll);

        //
        // Re-arm the causes about to be serviced right away: a frame that
        // arrives while this DPC runs interrupts again instead of waiting.
        //
        NdisZeroMemory(&context, sizeof(context));
        context.Adapter = adapter;
        context.EnableCauses = causes & adapter->EnabledCauses;
        if (context.EnableCauses != 0) {
            NdisMSynchronizeWithInterruptEx(adapter->InterruptHandle, 0,
                                            Vn1SynchronizeInterrupt, &context);
        }

        more = Vn1ServiceAllCauses(adapter, causes, TRUE, budget, &pending);
#ifndef VN1_RACY_FIXED
        adapter->PendingCauses = 0; // P1: loses what an ISR saved since the read
#endif
        if (more && !indicateAll) {
            throttle->MoreNblsPending = TRUE;
            return;
        }

        //
        // Frames already in the ring raise no new cause: raise theirs with ICS.
        //
        if (pending != 0) {
            NdisZeroMemory(&context, sizeof(context));
            context.Adapter = adapter;
            context.RaiseCauses = pending;
            NdisMSynchronizeWithInterruptEx(adapter->InterruptHandle, 0,
                                            Vn1SynchronizeInterrupt, &context);
        }
        return;
    }
#endif

    causes = (ULONG)InterlockedExchange(&adapter->PendingCauses, 0);
#ifdef VN1_RACY_P3
    //
    // Planted bug P3 (drivers/racy): poll ICR for causes that arrived since
    // the ISR, outside the interrupt lock. On the line ICR is read-to-clear:
    // a cause this read consumes while the ISR needs it is lost to the ISR,
    // and an ISR between the two reads steals the DPC's. The sample hands
    // causes over only through PendingCauses (rule S5).
    //
    causes |= Vn1ReadRegister(adapter, VN1_REG_ICR) & adapter->EnabledCauses;
#endif
    budget = Vn1ReceiveBudget(throttle, &indicateAll);

    if (Vn1ServiceAllCauses(adapter, causes, TRUE, budget, &pending) && !indicateAll) {
        //
        // Receive work is left: keep the device masked and let NDIS call
        // this DPC again.
        //
        throttle->MoreNblsPending = TRUE;
        return;
    }

    //
    // Done, or our own limit reached under NDIS_INDICATE_ALL_NBLS: unmask.
    // Frames already in the ring raise no new cause, so in the latter case
    // raise their cause with ICS to come back through a fresh interrupt.
    //
    NdisZeroMemory(&context, sizeof(context));
    context.Adapter = adapter;
    context.EnableCauses = adapter->EnabledCauses;
    context.RaiseCauses = pending;

    NdisMSynchronizeWithInterruptEx(adapter->InterruptHandle, 0,
                                    Vn1SynchronizeInterrupt, &context);
}


_Use_decl_annotations_
BOOLEAN
Vn1MessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG MessageId,
    PBOOLEAN QueueDefaultInterruptDpc,
    PULONG TargetProcessors
    )
/*++

Routine Description:

    Message-signaled ISR. The message's causes are already masked (IAM);
    the ISR only decides where the DPC runs.

Arguments:

    MiniportInterruptContext - The adapter.

    MessageId - The message that fired.

    QueueDefaultInterruptDpc - Receives TRUE to run the DPC on this
        processor, FALSE when it was queued elsewhere with NdisMQueueDpcEx.

    TargetProcessors - Receives 0 (obsolete in NDIS 6.20).

Return Value:

    TRUE: message interrupts are never shared.

IRQL:

    DIRQL of the message.

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportInterruptContext;
    PVN1_RX_QUEUE queue;
    GROUP_AFFINITY affinity;
    ULONG causes;
    ULONG target;

    *TargetProcessors = 0;
    *QueueDefaultInterruptDpc = TRUE;

#ifdef VN1_RACY_ISR_LOOP
    //
    // Planted bug (drivers/racy, rule K6): the ISR waits for a register
    // value the device never shows - it never returns.
    //
    while (Vn1ReadRegister(adapter, VN1_REG_IMS) != 0xDEADBEEF) {
        KeMemoryBarrier();
    }
#endif
#ifdef VN1_RACY_ISR_SPIN_LOCK
    //
    // Planted bug (drivers/racy, rule C1): an NDIS spin lock taken at DIRQL.
    //
    NdisAcquireSpinLock(&adapter->Lock);
    NdisReleaseSpinLock(&adapter->Lock);
#endif

    //
    // IAM masked these causes when the device signalled the message. The
    // explicit IMC keeps them masked even if IAM is cleared for diagnostics.
    //
    causes = Vn1MessageCauses(adapter, MessageId);
    if (causes != 0) {
        Vn1WriteRegister(adapter, VN1_REG_IMC, causes);
#ifdef VN1_RACY_P2
        if (adapter->InterruptMode == VN1_IMODE_MSIX) {
#ifdef VN1_RACY_FIXED
            InterlockedAnd(&adapter->PendingCauses, ~(LONG)causes);
#else
            adapter->PendingCauses &= ~(LONG)causes; // P2: unsynchronized
#endif
        }
#endif
    }

#ifdef VN1_RACY_XMSG
    //
    // XMSG: the receive messages 0 and 1 count their interrupts in one
    // word; the "other" message's synchronize routine takes the count.
    // With MsiSyncWithAllMessages = FALSE each holds only its own
    // message's lock, so nothing orders the three (the fixed twin
    // registers with MsiSyncWithAllMessages = TRUE).
    //
    if (MessageId < 2 && MessageId != adapter->OtherMessageId) {
        adapter->RxMessageEvents++;
    }
#endif

#ifdef VN1_DPC_BATCH
    if (adapter->InterruptMode != VN1_IMODE_MSIX) {
        //
        // MSI: one message for every cause and queue. ICR was auto-cleared
        // as it was signalled, so every queue with a processor gets a DPC.
        //
        Vn1StartDpcBatch(adapter, MessageId, 0, FALSE);
        *QueueDefaultInterruptDpc = FALSE;
        return TRUE;
    }
#endif

    if (adapter->InterruptMode == VN1_IMODE_MSIX && MessageId < adapter->NumRxQueues) {
        queue = &adapter->RxQueue[MessageId];
        target = queue->TargetProcessorIndex;

        if (target != VN1_NO_TARGET_PROCESSOR && target != NdisCurrentProcessorIndex()) {
            affinity = queue->TargetAffinity;
            NdisMQueueDpcEx(adapter->InterruptHandle, MessageId, &affinity, queue);
            *QueueDefaultInterruptDpc = FALSE;
        }
    }

    return TRUE;
}


_Use_decl_annotations_
VOID
Vn1MessageInterruptDpc(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG MessageId,
    PVOID MiniportDpcContext,
    PVOID ReceiveThrottleParameters,
    PVOID NdisReserved2
    )
/*++

Routine Description:

    Message-signaled DPC. A receive message's DPC indicates from its own
    queue, at most MaxNblsToIndicate NBLs; if frames remain it sets
    MoreNblsPending and leaves the message masked. Otherwise, and for the
    other message, it unmasks the message's causes under the message's
    interrupt lock.

Arguments:

    MiniportInterruptContext - The adapter.

    MessageId - The message whose work this DPC does.

    MiniportDpcContext - The receive queue when queued by NdisMQueueDpcEx,
        NULL for the default DPC; the queue follows from MessageId anyway.

    ReceiveThrottleParameters - PNDIS_RECEIVE_THROTTLE_PARAMETERS.

    NdisReserved2 - Reserved.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportInterruptContext;
    PNDIS_RECEIVE_THROTTLE_PARAMETERS throttle =
        (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters;
    VN1_SYNC_CONTEXT context;
    BOOLEAN indicateAll;
    BOOLEAN more;
    ULONG budget;
    ULONG pending;

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);

    if (throttle != NULL) {
        throttle->MoreNblsPending = FALSE;
    }

    if (adapter->InterruptReady == 0) {
#ifdef VN1_DPC_BATCH
        if (MiniportDpcContext == adapter) {
            InterlockedDecrement(&adapter->BatchDpcs);
        }
#endif
        return;
    }

#ifdef VN1_RACY_DPC_LOCK_HELD
    //
    // Planted bug (drivers/racy, rule K3): the DPC returns holding the
    // adapter lock.
    //
    NdisDprAcquireSpinLock(&adapter->Lock);
    return;
#endif
#ifdef VN1_RACY_DPC_SLEEP
    //
    // Planted bug (drivers/racy, rule K7): the DPC "waits a little" for the
    // device - a sleep at DISPATCH_LEVEL.
    //
    usleep(100);
#endif
#ifdef VN1_RACY_DPC_LOOP
    //
    // Planted bug (drivers/racy, rule K6): the DPC polls for a cause that
    // never comes - it never returns.
    //
    while (adapter->PendingCauses != -1) {
        KeMemoryBarrier();
    }
#endif

#ifdef VN1_DPC_BATCH
    if (MiniportDpcContext == adapter) {
        Vn1BatchDpc(adapter, MessageId, throttle, FALSE);
        return;
    }
#endif

    NdisZeroMemory(&context, sizeof(context));
    context.Adapter = adapter;
    budget = Vn1ReceiveBudget(throttle, &indicateAll);

    if (adapter->InterruptMode != VN1_IMODE_MSIX) {
        //
        // One MSI message carries every cause; ICR was auto-cleared when it
        // was signalled, so look at the rings and STATUS instead.
        //
        more = Vn1ServiceAllCauses(adapter, 0, FALSE, budget, &pending);
        context.EnableCauses = adapter->EnabledCauses;

    } else if (MessageId < adapter->NumRxQueues) {
        more = Vn1ReceiveQueueDpc(adapter, &adapter->RxQueue[MessageId], &budget);
        pending = more ? VN1_ICR_RXQ(MessageId) : 0;
        context.EnableCauses = VN1_ICR_RXQ(MessageId);

    } else if (MessageId == adapter->OtherMessageId) {
        //
        // Not a receive message: the throttle does not apply.
        //
        Vn1ServiceOtherCauses(adapter, 0, FALSE);
        more = FALSE;
        pending = 0;
        context.EnableCauses = VN1_ICR_OTHER;

    } else {
        return;
    }

    if (more && !indicateAll) {
        throttle->MoreNblsPending = TRUE;
        return;
    }

#ifdef VN1_RACY_P2
    if (adapter->InterruptMode == VN1_IMODE_MSIX) {
        //
        // Unmask through the shadow: write IMS only if the shadow says the
        // causes are masked.
        //
#ifdef VN1_RACY_FIXED
        LONG old = InterlockedOr(&adapter->PendingCauses, (LONG)context.EnableCauses);

        if (((ULONG)old & context.EnableCauses) != context.EnableCauses) {
            Vn1WriteRegister(adapter, VN1_REG_IMS, context.EnableCauses);
        }
#else
        LONG shadow = adapter->PendingCauses; // P2: read ...

        //
        // A surprise-removed device reads all ones: do not unmask it.
        //
        if (Vn1ReadRegister(adapter, VN1_REG_STATUS) == 0xFFFFFFFF) {
            return;
        }
        adapter->PendingCauses = shadow | (LONG)context.EnableCauses; // ... store
        if (((ULONG)shadow & context.EnableCauses) != context.EnableCauses) {
            Vn1WriteRegister(adapter, VN1_REG_IMS, context.EnableCauses);
        }
#endif
        context.EnableCauses = 0;
        if (pending == 0) {
            return;
        }
    }
#endif
#ifdef VN1_RACY_XMSG
    context.TakeRxMessageEvents = (MessageId == adapter->OtherMessageId);
#endif
    context.RaiseCauses = pending;
    NdisMSynchronizeWithInterruptEx(adapter->InterruptHandle, MessageId,
                                    Vn1SynchronizeMessageInterrupt, &context);
}


_Use_decl_annotations_
VOID
Vn1EnableInterrupt(
    NDIS_HANDLE MiniportInterruptContext
    )
/*++

Routine Description:

    Unmasks every serviced cause (diagnostics; NDIS holds the interrupt
    lock).

Arguments:

    MiniportInterruptContext - The adapter.

Return Value:

    None

IRQL:

    DIRQL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportInterruptContext;

    Vn1WriteRegister(adapter, VN1_REG_IMS, adapter->EnabledCauses);
}


_Use_decl_annotations_
VOID
Vn1DisableInterrupt(
    NDIS_HANDLE MiniportInterruptContext
    )
/*++

Routine Description:

    Masks every cause (diagnostics; NDIS holds the interrupt lock).

Arguments:

    MiniportInterruptContext - The adapter.

Return Value:

    None

IRQL:

    DIRQL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportInterruptContext;

    Vn1WriteRegister(adapter, VN1_REG_IMC, VN1_ICR_ALL);
}


_Use_decl_annotations_
VOID
Vn1EnableMessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG MessageId
    )
/*++

Routine Description:

    Unmasks one message's causes (diagnostics).

Arguments:

    MiniportInterruptContext - The adapter.

    MessageId - The message.

Return Value:

    None

IRQL:

    DIRQL of the message.

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportInterruptContext;
    ULONG causes = Vn1MessageCauses(adapter, MessageId);

    if (causes != 0) {
        Vn1WriteRegister(adapter, VN1_REG_IMS, causes);
    }
}


_Use_decl_annotations_
VOID
Vn1DisableMessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG MessageId
    )
/*++

Routine Description:

    Masks one message's causes (diagnostics).

Arguments:

    MiniportInterruptContext - The adapter.

    MessageId - The message.

Return Value:

    None

IRQL:

    DIRQL of the message.

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportInterruptContext;
    ULONG causes = Vn1MessageCauses(adapter, MessageId);

    if (causes != 0) {
        Vn1WriteRegister(adapter, VN1_REG_IMC, causes);
    }
}


static
ULONG
Vn1ReceiveBudget(
    _In_opt_ PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle,
    _Out_ PBOOLEAN IndicateAll
    )
/*++

Routine Description:

    Turns the receive throttle into a count of NBLs this DPC may indicate.
    Under NDIS_INDICATE_ALL_NBLS the driver applies its own limit, and
    MoreNblsPending must stay FALSE even if frames remain.

Arguments:

    Throttle - The DPC's throttle parameters.

    IndicateAll - Receives TRUE if NDIS set no limit.

Return Value:

    The NBL budget.

IRQL:

    DISPATCH_LEVEL

--*/
{
    if (Throttle == NULL || Throttle->MaxNblsToIndicate == NDIS_INDICATE_ALL_NBLS) {
        *IndicateAll = TRUE;
        return VN1_RX_DPC_LIMIT;
    }

    *IndicateAll = FALSE;
#ifdef VN1_RACY_THROTTLE
    //
    // Planted bug (drivers/racy, rule I9): eight times what NDIS allows.
    //
    return Throttle->MaxNblsToIndicate * 8;
#else
    return Throttle->MaxNblsToIndicate;
#endif
}


static
BOOLEAN
Vn1ServiceAllCauses(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG Causes,
    _In_ BOOLEAN CausesKnown,
    _In_ ULONG Budget,
    _Out_ PULONG PendingCauses
    )
/*++

Routine Description:

    Services every cause on the single interrupt of the line and MSI modes:
    transmit completion, link, counters, then the receive queues within one
    shared NBL budget.

Arguments:

    Adapter - The adapter.

    Causes - The ICR bits the ISR saved (line mode).

    CausesKnown - FALSE in MSI mode, where ICR is auto-cleared.

    Budget - NBLs that may be indicated.

    PendingCauses - Receives the RXQ bits of queues with frames left.

Return Value:

    TRUE if receive work is left.

IRQL:

    DISPATCH_LEVEL

--*/
{
    ULONG q;

    *PendingCauses = 0;

    Vn1ServiceOtherCauses(Adapter, Causes, CausesKnown);

    for (q = 0; q < Adapter->NumRxQueues; q++) {
        if (Vn1ReceiveQueueDpc(Adapter, &Adapter->RxQueue[q], &Budget)) {
            *PendingCauses |= VN1_ICR_RXQ(q);
        }
    }

    return (*PendingCauses != 0);
}


static
VOID
Vn1ServiceOtherCauses(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG Causes,
    _In_ BOOLEAN CausesKnown
    )
/*++

Routine Description:

    Services TXQ, LSC, RXO and ERR. Without the ICR bits (message modes)
    the transmit ring and STATUS tell what happened; both checks are cheap.

Arguments:

    Adapter - The adapter.

    Causes - ICR bits, if CausesKnown.

    CausesKnown - TRUE on the line, where the ISR read ICR.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    Vn1TransmitCompleteDpc(Adapter);

    if (!CausesKnown || (Causes & VN1_ICR_LSC)) {
        Vn1CheckLinkState(Adapter);
    }

    if (CausesKnown) {
        if (Causes & VN1_ICR_RXO) {
            InterlockedIncrement(&Adapter->RxOverrunEvents);
        }
        if (Causes & VN1_ICR_ERR) {
            InterlockedIncrement(&Adapter->DmaErrorEvents);
        }
    } else {
        InterlockedIncrement(&Adapter->OtherInterrupts);
    }
}


_Use_decl_annotations_
VOID
Vn1ReadLinkState(
    PVN1_ADAPTER Adapter,
    PNDIS_LINK_STATE LinkState
    )
/*++

Routine Description:

    Reads STATUS into an NDIS_LINK_STATE.

Arguments:

    Adapter - The adapter.

    LinkState - Receives the state.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    static const ULONG64 speeds[4] = {
        10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL
    };
    ULONG status = Vn1ReadRegister(Adapter, VN1_REG_STATUS);

    NdisZeroMemory(LinkState, sizeof(NDIS_LINK_STATE));
    LinkState->Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    LinkState->Header.Revision = NDIS_LINK_STATE_REVISION_1;
    LinkState->Header.Size = NDIS_SIZEOF_LINK_STATE_REVISION_1;
    LinkState->PauseFunctions = NdisPauseFunctionsUnsupported;

    if (status != 0xFFFFFFFF && (status & VN1_STATUS_LU)) {
        LinkState->MediaConnectState = MediaConnectStateConnected;
        LinkState->MediaDuplexState = (status & VN1_STATUS_FD) ?
                                      MediaDuplexStateFull : MediaDuplexStateHalf;
        LinkState->XmitLinkSpeed =
            speeds[(status & VN1_STATUS_SPEED_MASK) >> VN1_STATUS_SPEED_SHIFT];
        LinkState->RcvLinkSpeed = LinkState->XmitLinkSpeed;
        LinkState->AutoNegotiationFlags = NDIS_LINK_STATE_XMIT_LINK_SPEED_AUTO_NEGOTIATED |
                                          NDIS_LINK_STATE_RCV_LINK_SPEED_AUTO_NEGOTIATED |
                                          NDIS_LINK_STATE_DUPLEX_AUTO_NEGOTIATED;
    } else {
        LinkState->MediaConnectState = MediaConnectStateDisconnected;
        LinkState->MediaDuplexState = MediaDuplexStateUnknown;
        LinkState->XmitLinkSpeed = NDIS_LINK_SPEED_UNKNOWN;
        LinkState->RcvLinkSpeed = NDIS_LINK_SPEED_UNKNOWN;
    }
}


_Use_decl_annotations_
VOID
Vn1CheckLinkState(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Compares STATUS with the last reported link state and indicates
    NDIS_STATUS_LINK_STATE if it changed.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    NDIS_LINK_STATE linkState;
    BOOLEAN linkUp;
    BOOLEAN changed = FALSE;

    Vn1ReadLinkState(Adapter, &linkState);
    linkUp = (linkState.MediaConnectState == MediaConnectStateConnected);

    NdisDprAcquireSpinLock(&Adapter->Lock);
    if (linkUp != Adapter->LinkUp ||
        linkState.XmitLinkSpeed != Adapter->LinkSpeed ||
        linkState.MediaDuplexState != Adapter->DuplexState) {

        Adapter->LinkUp = linkUp;
        Adapter->LinkSpeed = linkState.XmitLinkSpeed;
        Adapter->DuplexState = linkState.MediaDuplexState;
        changed = TRUE;
    }
    NdisDprReleaseSpinLock(&Adapter->Lock);

    if (changed) {
        InterlockedIncrement(&Adapter->LinkChangeEvents);
        Vn1IndicateLinkState(Adapter, &linkState);
    }
}


static
VOID
Vn1IndicateLinkState(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PNDIS_LINK_STATE LinkState
    )
/*++

Routine Description:

    Indicates NDIS_STATUS_LINK_STATE.

Arguments:

    Adapter - The adapter.

    LinkState - The new state.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    NDIS_STATUS_INDICATION indication;

    NdisZeroMemory(&indication, sizeof(indication));
    indication.Header.Type = NDIS_OBJECT_TYPE_STATUS_INDICATION;
    indication.Header.Revision = NDIS_STATUS_INDICATION_REVISION_1;
    indication.Header.Size = NDIS_SIZEOF_STATUS_INDICATION_REVISION_1;
    indication.SourceHandle = Adapter->AdapterHandle;
    indication.PortNumber = NDIS_DEFAULT_PORT_NUMBER;
    indication.StatusCode = NDIS_STATUS_LINK_STATE;
    indication.StatusBuffer = LinkState;
    indication.StatusBufferSize = sizeof(NDIS_LINK_STATE);

    NdisMIndicateStatusEx(Adapter->AdapterHandle, &indication);
}
