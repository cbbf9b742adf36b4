/*++

Module Name:

    interrupt.c

Abstract:

    Interrupt handling of the sample miniport: line-based and MSI-X
    registration, ISRs, DPCs with receive side throttling, and the routines
    that share the device's interrupt state through
    NdisMSynchronizeWithInterruptEx.

Environment:

    Kernel mode (ndisrt: a vCPU of the emulated machine).

--*/

#include "sample.h"

//
// Function role types: every entry point NDIS calls is declared with its
// role, as SDV and Code Analysis require.
//
MINIPORT_ISR                            SampleInterrupt;
MINIPORT_INTERRUPT_DPC                  SampleInterruptDpc;
MINIPORT_ENABLE_INTERRUPT               SampleEnableInterrupt;
MINIPORT_DISABLE_INTERRUPT              SampleDisableInterrupt;
MINIPORT_MESSAGE_INTERRUPT              SampleMessageInterrupt;
MINIPORT_MESSAGE_INTERRUPT_DPC          SampleMessageInterruptDpc;
MINIPORT_ENABLE_MESSAGE_INTERRUPT       SampleEnableMessageInterrupt;
MINIPORT_DISABLE_MESSAGE_INTERRUPT      SampleDisableMessageInterrupt;
MINIPORT_SYNCHRONIZE_INTERRUPT          SampleSynchronizeLineUnmask;
MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT  SampleSynchronizeTakeCause;
MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT  SampleSynchronizeMessageUnmask;

typedef struct _SAMPLE_SYNC_CONTEXT {
    PSAMPLE_ADAPTER Adapter;
    ULONG           MessageId;
    ULONG           Cause;
} SAMPLE_SYNC_CONTEXT, *PSAMPLE_SYNC_CONTEXT;

_Use_decl_annotations_
BOOLEAN
SampleSynchronizeTakeCause(
    NDIS_HANDLE SynchronizeContext
    )
/*++

Routine Description:

    Moves the causes the ISR saved for one queue into the DPC's context.

    IRQL: DIRQL of the queue's message (or of the line), interrupt lock held.

Return Value:

    TRUE if there was a cause.

--*/
{
    PSAMPLE_SYNC_CONTEXT Sync = (PSAMPLE_SYNC_CONTEXT)SynchronizeContext;

    Sync->Cause = Sync->Adapter->SavedCause[Sync->MessageId];
    Sync->Adapter->SavedCause[Sync->MessageId] = 0;
    return Sync->Cause != 0;
}

_Use_decl_annotations_
BOOLEAN
SampleSynchronizeMessageUnmask(
    NDIS_HANDLE SynchronizeContext
    )
/*++

Routine Description:

    Unmasks one message on the device at the end of its DPC batch.

    IRQL: DIRQL of the message, interrupt lock held.

--*/
{
    PSAMPLE_SYNC_CONTEXT Sync = (PSAMPLE_SYNC_CONTEXT)SynchronizeContext;

    Sync->Adapter->Registers->MessageMask &= ~(1u << Sync->MessageId);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN
SampleSynchronizeLineUnmask(
    NDIS_HANDLE SynchronizeContext
    )
/*++

Routine Description:

    Unmasks the INTx interrupt at the end of the DPC batch.

    IRQL: DIRQL of the line, interrupt lock held.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)SynchronizeContext;

    Adapter->Registers->LineMask = 0;
    return TRUE;
}

//
// Receive processing shared by both DPCs: indicate at most the throttle's
// budget, and say whether frames are left (then the interrupt stays masked).
//
static
BOOLEAN
SampleReceive(
    _In_ PSAMPLE_ADAPTER                    Adapter,
    _In_ ULONG                              Queue,
    _Inout_ PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle
    )
{
    PSAMPLE_REGISTERS Registers = Adapter->Registers;
    ULONG Budget = Throttle->MaxNblsToIndicate;
    ULONG Count = Registers->RxPending[Queue];

    if (Count > Budget) {
        Count = Budget;
    }

    //
    // A real driver builds NET_BUFFER_LISTs here and calls
    // NdisMIndicateReceiveNetBufferLists on this processor.
    //
    Registers->RxPending[Queue] -= Count;
    Adapter->Indicated[Queue] += Count;
    Adapter->DpcCount[Queue] += 1;
    if (Count > Adapter->MaxIndicatedPerDpc) {
        Adapter->MaxIndicatedPerDpc = Count;
    }

    if (Registers->RxPending[Queue] != 0 && Budget != NDIS_INDICATE_ALL_NBLS) {
        Throttle->MoreNblsPending = TRUE;
        return TRUE;
    }

    Throttle->MoreNblsPending = FALSE;
    return FALSE;
}

_Use_decl_annotations_
BOOLEAN
SampleInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    PBOOLEAN    QueueDefaultInterruptDpc,
    PULONG      TargetProcessors
    )
/*++

Routine Description:

    Line-based ISR. The line may be shared: return FALSE at once when the
    device did not interrupt.

    IRQL: DIRQL of the line.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportInterruptContext;
    PSAMPLE_REGISTERS Registers = Adapter->Registers;
    ULONG Cause;

    *TargetProcessors = 0;
    Cause = Registers->Cause[0];
    if (Cause == 0 || Registers->LineMask != 0) {
        *QueueDefaultInterruptDpc = FALSE;
        return FALSE;
    }

    //
    // Dismiss the interrupt, mask further ones until the DPC batch ends,
    // and keep the cause for the DPC.
    //
    Registers->Cause[0] = 0;
    Registers->LineMask = 1;
    Adapter->SavedCause[0] |= Cause;
    *QueueDefaultInterruptDpc = TRUE;
    return TRUE;
}

_Use_decl_annotations_
VOID
SampleInterruptDpc(
    NDIS_HANDLE MiniportInterruptContext,
    PVOID       MiniportDpcContext,
    PVOID       ReceiveThrottleParameters,
    PVOID       NdisReserved2
    )
/*++

Routine Description:

    Line-based DPC: receive within the throttle, then unmask the line.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportInterruptContext;
    SAMPLE_SYNC_CONTEXT Sync;

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);

    Sync.Adapter = Adapter;
    Sync.MessageId = 0;
    Sync.Cause = 0;
    (VOID)NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle,
                                          0,
                                          SampleSynchronizeTakeCause,
                                          &Sync);

    if (SampleReceive(Adapter,
                      0,
                      (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters)) {
        return;
    }

    (VOID)NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle,
                                          0,
                                          SampleSynchronizeLineUnmask,
                                          Adapter);
}

_Use_decl_annotations_
BOOLEAN
SampleMessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG       MessageId,
    PBOOLEAN    QueueDefaultInterruptDpc,
    PULONG      TargetProcessors
    )
/*++

Routine Description:

    MSI-X ISR: one message per receive queue. Masks only this message.

    IRQL: DIRQL of the message.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportInterruptContext;
    PSAMPLE_REGISTERS Registers = Adapter->Registers;
    ULONG Cause = Registers->Cause[MessageId];

    *TargetProcessors = 0;
    *QueueDefaultInterruptDpc = FALSE;
    if (Cause == 0) {
        return FALSE;
    }

    Registers->Cause[MessageId] = 0;
    Registers->MessageMask |= 1u << MessageId;
    Adapter->SavedCause[MessageId] |= Cause;
    *QueueDefaultInterruptDpc = TRUE;
    return TRUE;
}

_Use_decl_annotations_
VOID
SampleMessageInterruptDpc(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG       MessageId,
    PVOID       MiniportDpcContext,
    PVOID       ReceiveThrottleParameters,
    PVOID       NdisReserved2
    )
/*++

Routine Description:

    MSI-X DPC for one queue: receive within the throttle; the last DPC of
    the batch unmasks the message.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportInterruptContext;
    SAMPLE_SYNC_CONTEXT Sync;

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);

    Sync.Adapter = Adapter;
    Sync.MessageId = MessageId;
    Sync.Cause = 0;
    (VOID)NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle,
                                          MessageId,
                                          SampleSynchronizeTakeCause,
                                          &Sync);

    if (SampleReceive(Adapter,
                      MessageId,
                      (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters)) {
        return;
    }

    (VOID)NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle,
                                          MessageId,
                                          SampleSynchronizeMessageUnmask,
                                          &Sync);
}

_Use_decl_annotations_
VOID
SampleEnableInterrupt(
    NDIS_HANDLE MiniportInterruptContext
    )
/*++

Routine Description:

    Diagnostic: unmask INTx. IRQL: DIRQL.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportInterruptContext;

    Adapter->Registers->LineMask = 0;
    Adapter->DiagnosticCalls++;
}

_Use_decl_annotations_
VOID
SampleDisableInterrupt(
    NDIS_HANDLE MiniportInterruptContext
    )
/*++

Routine Description:

    Diagnostic: mask INTx. IRQL: DIRQL.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportInterruptContext;

    Adapter->Registers->LineMask = 1;
    Adapter->DiagnosticCalls++;
}

_Use_decl_annotations_
VOID
SampleEnableMessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG       MessageId
    )
/*++

Routine Description:

    Diagnostic: unmask one message. IRQL: DIRQL of the message.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportInterruptContext;

    Adapter->Registers->MessageMask &= ~(1u << MessageId);
    Adapter->DiagnosticCalls++;
}

_Use_decl_annotations_
VOID
SampleDisableMessageInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    ULONG       MessageId
    )
/*++

Routine Description:

    Diagnostic: mask one message. IRQL: DIRQL of the message.

--*/
{
    PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportInterruptContext;

    Adapter->Registers->MessageMask |= 1u << MessageId;
    Adapter->DiagnosticCalls++;
}

_Use_decl_annotations_
NDIS_STATUS
SampleSetAttributesAndRegisterInterrupt(
    NDIS_HANDLE     MiniportAdapterHandle,
    PSAMPLE_ADAPTER Adapter,
    BOOLEAN         MsiSupported
    )
/*++

Routine Description:

    The interrupt part of MiniportInitializeEx: registration attributes
    first, then the interrupt, last of the resources.

    IRQL: PASSIVE_LEVEL.

--*/
{
    NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES RegistrationAttributes = {0};
    NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Interrupt = {0};
    NDIS_STATUS Status;

    Adapter->AdapterHandle = MiniportAdapterHandle;

    RegistrationAttributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
    RegistrationAttributes.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2;
    RegistrationAttributes.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2;
    RegistrationAttributes.MiniportAdapterContext = Adapter;
    RegistrationAttributes.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE |
                                            NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
    RegistrationAttributes.CheckForHangTimeInSeconds = 0;
    RegistrationAttributes.InterfaceType = NdisInterfacePci;

    Status = NdisMSetMiniportAttributes(MiniportAdapterHandle,
                                        (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&RegistrationAttributes);
    if (Status != NDIS_STATUS_SUCCESS) {
        return Status;
    }

    Interrupt.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
    Interrupt.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
    Interrupt.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;

    Interrupt.InterruptHandler = SampleInterrupt;
    Interrupt.InterruptDpcHandler = SampleInterruptDpc;
    Interrupt.DisableInterruptHandler = SampleDisableInterrupt;
    Interrupt.EnableInterruptHandler = SampleEnableInterrupt;

    if (MsiSupported) {
        Interrupt.MsiSupported = TRUE;
        Interrupt.MsiSyncWithAllMessages = FALSE;
        Interrupt.MessageInterruptHandler = SampleMessageInterrupt;
        Interrupt.MessageInterruptDpcHandler = SampleMessageInterruptDpc;
        Interrupt.DisableMessageInterruptHandler = SampleDisableMessageInterrupt;
        Interrupt.EnableMessageInterruptHandler = SampleEnableMessageInterrupt;
    }

    Status = NdisMRegisterInterruptEx(MiniportAdapterHandle,
                                      Adapter,
                                      &Interrupt,
                                      &Adapter->InterruptHandle);
    if (Status != NDIS_STATUS_SUCCESS) {
        return Status;
    }

    //
    // NDIS may grant a line even to an MSI-capable driver.
    //
    Adapter->InterruptType = Interrupt.InterruptType;
    Adapter->MessageInfo = Interrupt.MessageInfoTable;
    if (Adapter->InterruptType == NDIS_CONNECT_MESSAGE_BASED &&
        Adapter->MessageInfo->MessageCount > SAMPLE_MAX_MESSAGES) {
        NdisMDeregisterInterruptEx(Adapter->InterruptHandle);
        return NDIS_STATUS_RESOURCES;
    }

    return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID
SampleDeregisterInterrupt(
    PSAMPLE_ADAPTER Adapter
    )
/*++

Routine Description:

    The interrupt part of MiniportHaltEx: mask the device, then deregister
    early (the ISR may run until the call returns).

    IRQL: PASSIVE_LEVEL.

--*/
{
    Adapter->Registers->MessageMask = ~0u;
    Adapter->Registers->LineMask = 1;
    NdisMDeregisterInterruptEx(Adapter->InterruptHandle);
    Adapter->InterruptHandle = NULL;
}
