/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    miniport.c

Abstract:

    Driver and adapter lifetime of the VN-1 sample miniport: DriverEntry,
    MiniportInitializeEx, MiniportHaltEx, pause and restart, shutdown, reset
    and the PnP notifications.

    MiniportInitializeEx follows the order Microsoft documents for
    "Initializing a Miniport Adapter": registration attributes first, then
    the hardware resources, memory, pools and shared memory, and the
    interrupt last of all. Every failure path releases exactly what was
    acquired before it, in reverse order, and deregisters the interrupt if it
    was registered.

--*/

#include "vn1.h"

NDIS_HANDLE Vn1DriverHandle = NULL;

static NDIS_STATUS Vn1SetRegistrationAttributes(_In_ PVN1_ADAPTER Adapter);
static NDIS_STATUS Vn1SetGeneralAttributes(_In_ PVN1_ADAPTER Adapter);
static NDIS_STATUS Vn1ParseResources(_In_ PVN1_ADAPTER Adapter,
                                     _In_opt_ PNDIS_RESOURCE_LIST Resources);
static NDIS_STATUS Vn1CheckPciIdentity(_In_ PVN1_ADAPTER Adapter);
static NDIS_STATUS Vn1ResetHardware(_In_ PVN1_ADAPTER Adapter);
static NDIS_STATUS Vn1RegisterDma(_In_ PVN1_ADAPTER Adapter);
static NDIS_STATUS Vn1AllocateNblPool(_In_ PVN1_ADAPTER Adapter);
static VOID Vn1FreeQueues(_In_ PVN1_ADAPTER Adapter);
static VOID Vn1FreeAdapter(_In_ PVN1_ADAPTER Adapter);
static NDIS_STATUS Vn1StartWatchdog(_In_ PVN1_ADAPTER Adapter);
static VOID Vn1StopWatchdog(_In_ PVN1_ADAPTER Adapter);

//
// Lost-interrupt watchdog period. A message signal can be lost on the way
// (VN-1 datasheet §8: the host can drop the next signal of a message);
// the cause was auto-cleared and auto-masked when it was signalled, so
// without a re-arm that queue would never interrupt again.
//
#define VN1_WATCHDOG_PERIOD_MS 50


_Use_decl_annotations_
NTSTATUS
DriverEntry(
    PDRIVER_OBJECT DriverObject,
    PUNICODE_STRING RegistryPath
    )
/*++

Routine Description:

    Registers the miniport driver with NDIS.

Arguments:

    DriverObject - The driver object the system created for this driver.

    RegistryPath - The driver's service key.

Return Value:

    The status NdisMRegisterMiniportDriver returned.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_STATUS status;
    NDIS_MINIPORT_DRIVER_CHARACTERISTICS characteristics;

    NdisZeroMemory(&characteristics, sizeof(characteristics));

    characteristics.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
    characteristics.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
    characteristics.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;

    characteristics.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
    characteristics.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
    characteristics.MajorDriverVersion = VN1_MAJOR_DRIVER_VERSION;
    characteristics.MinorDriverVersion = VN1_MINOR_DRIVER_VERSION;
    characteristics.Flags = 0;

    characteristics.SetOptionsHandler = NULL;
    characteristics.InitializeHandlerEx = Vn1InitializeEx;
    characteristics.HaltHandlerEx = Vn1HaltEx;
    characteristics.UnloadHandler = Vn1Unload;
    characteristics.PauseHandler = Vn1Pause;
    characteristics.RestartHandler = Vn1Restart;
    characteristics.OidRequestHandler = Vn1OidRequest;
    characteristics.SendNetBufferListsHandler = Vn1SendNetBufferLists;
    characteristics.ReturnNetBufferListsHandler = Vn1ReturnNetBufferLists;
    characteristics.CancelSendHandler = Vn1CancelSend;
    characteristics.CheckForHangHandlerEx = NULL;
    characteristics.ResetHandlerEx = Vn1ResetEx;
    characteristics.DevicePnPEventNotifyHandler = Vn1DevicePnPEventNotify;
    characteristics.ShutdownHandlerEx = Vn1ShutdownEx;
    characteristics.CancelOidRequestHandler = Vn1CancelOidRequest;

    status = NdisMRegisterMiniportDriver(DriverObject,
                                         RegistryPath,
                                         NULL,
                                         &characteristics,
                                         &Vn1DriverHandle);
    return (NTSTATUS)status;
}


_Use_decl_annotations_
VOID
Vn1Unload(
    PDRIVER_OBJECT DriverObject
    )
/*++

Routine Description:

    Undoes DriverEntry. Every adapter has been halted by now.

Arguments:

    DriverObject - The driver object passed to DriverEntry.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    UNREFERENCED_PARAMETER(DriverObject);

    if (Vn1DriverHandle != NULL) {
        NdisMDeregisterMiniportDriver(Vn1DriverHandle);
        Vn1DriverHandle = NULL;
    }
}


static
VOID
Vn1ReadConfiguration(
    _Inout_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Reads the adapter's configuration parameters. The one the sample knows
    is the standardized keyword *InterruptModeration (0 disabled, 1
    enabled): enabled, and the default when the keyword is absent or the
    configuration cannot be opened, Vn1ProgramInterrupts writes
    VN1_ITR_MODERATION_US to every message's ITR, as production drivers
    program their moderation at initialization.

Arguments:

    Adapter - The adapter being initialized (AdapterHandle set).

IRQL:

    PASSIVE_LEVEL

--*/
{
    static WCHAR keyword[] = {'*', 'I', 'n', 't', 'e', 'r', 'r', 'u', 'p', 't',
                              'M', 'o', 'd', 'e', 'r', 'a', 't', 'i', 'o', 'n', 0};
    NDIS_CONFIGURATION_OBJECT object;
    NDIS_HANDLE config = NULL;
    NDIS_STRING name;
    PNDIS_CONFIGURATION_PARAMETER value;
    NDIS_STATUS status;

    Adapter->InterruptModerationUs = VN1_ITR_MODERATION_US;

    NdisZeroMemory(&object, sizeof(object));
    object.Header.Type = NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT;
    object.Header.Revision = NDIS_CONFIGURATION_OBJECT_REVISION_1;
    object.Header.Size = NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1;
    object.NdisHandle = Adapter->AdapterHandle;
    if (NdisOpenConfigurationEx(&object, &config) != NDIS_STATUS_SUCCESS) {
        return;
    }

    name.Buffer = keyword;
    name.Length = (USHORT)(sizeof(keyword) - sizeof(WCHAR));
    name.MaximumLength = (USHORT)sizeof(keyword);
    NdisReadConfiguration(&status, &value, config, &name, NdisParameterInteger);
    if (status == NDIS_STATUS_SUCCESS && value->ParameterData.IntegerData == 0) {
        Adapter->InterruptModerationUs = 0;
    }
    NdisCloseConfiguration(config);
}


_Use_decl_annotations_
NDIS_STATUS
Vn1InitializeEx(
    NDIS_HANDLE MiniportAdapterHandle,
    NDIS_HANDLE MiniportDriverContext,
    PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters
    )
/*++

Routine Description:

    Brings one VN-1 into service: claims its resources, checks that the
    device is a VN-1, resets it, reports the adapter's attributes to NDIS,
    allocates the rings and receive buffers, registers the interrupt and
    finally programs and enables the device. The adapter starts Paused; NDIS
    calls MiniportRestart before any traffic flows.

Arguments:

    MiniportAdapterHandle - NDIS's handle for this adapter.

    MiniportDriverContext - The context given to NdisMRegisterMiniportDriver
        (unused).

    MiniportInitParameters - Initialization parameters, including the
        translated hardware resources.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_ADAPTER_NOT_FOUND if the device is not
    a VN-1, NDIS_STATUS_RESOURCES, or the failure status of the NDIS call
    that failed.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_STATUS status;
    PVN1_ADAPTER adapter;
    ULONG q;

    UNREFERENCED_PARAMETER(MiniportDriverContext);

    adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle,
                                                sizeof(VN1_ADAPTER),
                                                VN1_POOL_TAG,
                                                NormalPoolPriority);
    if (adapter == NULL) {
        return NDIS_STATUS_RESOURCES;
    }

    NdisZeroMemory(adapter, sizeof(VN1_ADAPTER));
    adapter->AdapterHandle = MiniportAdapterHandle;
    adapter->State = Vn1AdapterPaused;
    adapter->MessageCount = 1;
    adapter->LookAhead = VN1_MAX_FRAME_SIZE - VN1_ETH_HEADER_SIZE;
    NdisAllocateSpinLock(&adapter->Lock);
    adapter->LockAllocated = TRUE;

    for (q = 0; q < VN1_MAX_RX_QUEUES; q++) {
        adapter->RxQueue[q].Adapter = adapter;
        adapter->RxQueue[q].QueueIndex = q;
        adapter->RxQueue[q].MessageId = q;
        adapter->RxQueue[q].TargetProcessorIndex = VN1_NO_TARGET_PROCESSOR;
    }

    //
    // The registration attributes must be the first thing NDIS hears about
    // the adapter: they carry the context every later callback receives.
    //
    status = Vn1SetRegistrationAttributes(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_adapter;
    }

    Vn1ReadConfiguration(adapter);

    status = Vn1ParseResources(adapter, MiniportInitParameters->AllocatedResources);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_adapter;
    }

    status = NdisMMapIoSpace((PVOID *)&adapter->RegisterBase,
                             MiniportAdapterHandle,
                             adapter->Bar0Address,
                             adapter->Bar0Length);
    if (status != NDIS_STATUS_SUCCESS) {
        adapter->RegisterBase = NULL;
        goto err_free_adapter;
    }

    status = Vn1CheckPciIdentity(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_unmap_registers;
    }

    status = Vn1ResetHardware(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_unmap_registers;
    }

    //
    // The number of receive queues follows from the interrupt resources:
    // with MSI-X, one message per receive queue plus one for everything
    // else; with MSI or a line, one queue per processor (the device hashes
    // and queues, one interrupt carries them all, and the ISR queues a DPC
    // on each processor with work: interrupt.c).
    //
    if (adapter->ResourceMessageBased && adapter->ResourceMessages >= 2) {
        adapter->RxQueuesAllocated = adapter->ResourceMessages - 1;
    } else {
#ifdef VN1_DPC_BATCH
        adapter->RxQueuesAllocated = NdisGroupActiveProcessorCount(ALL_PROCESSOR_GROUPS);
        if (adapter->RxQueuesAllocated == 0) {
            adapter->RxQueuesAllocated = 1;
        }
#else
        adapter->RxQueuesAllocated = 1;
#endif
    }
    if (adapter->RxQueuesAllocated > VN1_MAX_RX_QUEUES) {
        adapter->RxQueuesAllocated = VN1_MAX_RX_QUEUES;
    }

    Vn1FillRssCapabilities(adapter);

    status = Vn1SetGeneralAttributes(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_unmap_registers;
    }

    status = Vn1RegisterDma(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_unmap_registers;
    }

    status = Vn1AllocateNblPool(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_deregister_dma;
    }

#if defined(VN1_RACY_P8) && !defined(VN1_RACY_FIXED)
    //
    // Planted bug P8 (drivers/racy): the interrupt is registered and
    // unmasked before the rings its DPC services exist. An interrupt that
    // arrives now runs the DPC on queues that are still zero.
    //
    status = Vn1RegisterInterrupt(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_queues;
    }
    Vn1ProgramInterrupts(adapter);
    InterlockedExchange(&adapter->InterruptReady, 1);
    Vn1EnableAllInterrupts(adapter);
#endif

    for (q = 0; q < adapter->RxQueuesAllocated; q++) {
        status = Vn1AllocateRxQueue(adapter, &adapter->RxQueue[q]);
        if (status != NDIS_STATUS_SUCCESS) {
            goto err_free_queues;
        }
    }

    status = Vn1AllocateTxQueue(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_queues;
    }

    //
    // The interrupt comes last: once it is registered the ISR can run at
    // any moment, so everything it touches must already exist. The device
    // still has every cause masked (IMS is 0 after reset).
    //
#if !defined(VN1_RACY_P8) || defined(VN1_RACY_FIXED)
    status = Vn1RegisterInterrupt(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_queues;
    }

    Vn1ProgramInterrupts(adapter);
#endif

    for (q = 0; q < adapter->NumRxQueues; q++) {
        Vn1StartRxQueue(adapter, &adapter->RxQueue[q]);
    }
    Vn1StartTxQueue(adapter);

    //
    // Until NDIS sets OID_GEN_CURRENT_PACKET_FILTER, accept what a typical
    // protocol asks for. Nothing is indicated before MiniportRestart.
    //
    adapter->PacketFilter = NDIS_PACKET_TYPE_DIRECTED |
                            NDIS_PACKET_TYPE_MULTICAST |
                            NDIS_PACKET_TYPE_BROADCAST;
    Vn1ApplyPacketFilter(adapter);

    Vn1WriteRegister(adapter, VN1_REG_CTRL, VN1_CTRL_RXEN | VN1_CTRL_TXEN);

    InterlockedExchange(&adapter->InterruptReady, 1);
    Vn1EnableAllInterrupts(adapter);

    status = Vn1StartWatchdog(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        InterlockedExchange(&adapter->InterruptReady, 0);
        Vn1DisableAllInterrupts(adapter);
        NdisMDeregisterInterruptEx(adapter->InterruptHandle);
        adapter->InterruptHandle = NULL;
        Vn1WriteRegister(adapter, VN1_REG_CTRL, VN1_CTRL_RST);
        goto err_free_queues;
    }

    return NDIS_STATUS_SUCCESS;

err_free_queues:
    Vn1FreeQueues(adapter);
    NdisFreeNetBufferListPool(adapter->NblPool);
    adapter->NblPool = NULL;

err_deregister_dma:
    NdisMDeregisterScatterGatherDma(adapter->DmaHandle);
    adapter->DmaHandle = NULL;

err_unmap_registers:
    NdisMUnmapIoSpace(MiniportAdapterHandle, adapter->RegisterBase, adapter->Bar0Length);
    adapter->RegisterBase = NULL;

err_free_adapter:
    Vn1FreeAdapter(adapter);
    return status;
}


_Use_decl_annotations_
VOID
Vn1HaltEx(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_HALT_ACTION HaltAction
    )
/*++

Routine Description:

    Releases everything MiniportInitializeEx acquired. NDIS has paused the
    adapter first, so no receive indication and no send is outstanding.

    Interrupts are masked on the device first and the interrupt is
    deregistered as early as possible: until NdisMDeregisterInterruptEx
    returns, the ISR and DPCs can still run, and it does not return before
    every scheduled DPC has finished.

Arguments:

    MiniportAdapterContext - The adapter.

    HaltAction - Why the adapter is halted (unused).

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(HaltAction);

    //
    // The watchdog first: it re-arms interrupts. Then a DPC that is still
    // running must not unmask what we mask here.
    //
    Vn1StopWatchdog(adapter);
    InterlockedExchange(&adapter->InterruptReady, 0);
    Vn1DisableAllInterrupts(adapter);

    NdisMDeregisterInterruptEx(adapter->InterruptHandle);
    adapter->InterruptHandle = NULL;

    //
    // No ISR can run any more. Reset the device, which masks every cause and
    // stops both rings, before their memory goes away.
    //
    Vn1WriteRegister(adapter, VN1_REG_IMC, VN1_ICR_ALL);
    Vn1WriteRegister(adapter, VN1_REG_CTRL, VN1_CTRL_RST);

    Vn1FreeQueues(adapter);
    NdisFreeNetBufferListPool(adapter->NblPool);
    adapter->NblPool = NULL;
    NdisMDeregisterScatterGatherDma(adapter->DmaHandle);
    adapter->DmaHandle = NULL;
    NdisMUnmapIoSpace(adapter->AdapterHandle, adapter->RegisterBase, adapter->Bar0Length);
    adapter->RegisterBase = NULL;

    Vn1FreeAdapter(adapter);
}


_Use_decl_annotations_
NDIS_STATUS
Vn1Pause(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters
    )
/*++

Routine Description:

    Stops the data path. New sends are failed with NDIS_STATUS_PAUSED and
    the receive DPCs stop indicating (they recycle frames instead). The
    pause completes when every indicated NBL has come back and every
    posted send has completed.

Arguments:

    MiniportAdapterContext - The adapter.

    PauseParameters - Unused.

Return Value:

    NDIS_STATUS_SUCCESS if nothing is outstanding; otherwise
    NDIS_STATUS_PENDING, and Vn1TryCompletePause calls NdisMPauseComplete
    when the last NBL comes home.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportAdapterContext;
    NDIS_STATUS status;

    UNREFERENCED_PARAMETER(PauseParameters);

    NdisAcquireSpinLock(&adapter->Lock);

    if (adapter->RxOutstanding == 0 && adapter->TxOutstanding == 0) {
        adapter->State = Vn1AdapterPaused;
        status = NDIS_STATUS_SUCCESS;
    } else {
        adapter->State = Vn1AdapterPausing;
        status = NDIS_STATUS_PENDING;
    }

    NdisReleaseSpinLock(&adapter->Lock);

    return status;
}


_Use_decl_annotations_
VOID
Vn1TryCompletePause(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Completes a pending pause once nothing is outstanding. Called whenever
    an outstanding count drops to zero.

    The data path increments RxOutstanding and TxOutstanding only while
    holding Adapter->Lock and only in the Running state, so once the state
    is Pausing the counts can only fall, and whoever sees them both at zero
    under the lock completes the pause exactly once.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    BOOLEAN complete = FALSE;

    NdisAcquireSpinLock(&Adapter->Lock);

    if (Adapter->State == Vn1AdapterPausing &&
        Adapter->RxOutstanding == 0 &&
        Adapter->TxOutstanding == 0) {

        Adapter->State = Vn1AdapterPaused;
        complete = TRUE;
    }

    NdisReleaseSpinLock(&Adapter->Lock);

    if (complete) {
        NdisMPauseComplete(Adapter->AdapterHandle);
    }
}


_Use_decl_annotations_
NDIS_STATUS
Vn1Restart(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters
    )
/*++

Routine Description:

    Resumes the data path after MiniportInitializeEx or MiniportPause.

Arguments:

    MiniportAdapterContext - The adapter.

    RestartParameters - Unused.

Return Value:

    NDIS_STATUS_SUCCESS

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(RestartParameters);

    NdisAcquireSpinLock(&adapter->Lock);
    adapter->State = Vn1AdapterRunning;
    NdisReleaseSpinLock(&adapter->Lock);
#ifdef VN1_RACY_RESTART_RAISED
    //
    // Planted bug (drivers/racy): MiniportRestart returns at DISPATCH_LEVEL.
    //
    {
        KIRQL oldIrql;

        NDIS_RAISE_IRQL_TO_DISPATCH(&oldIrql);
    }
#endif

    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
Vn1ShutdownEx(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_SHUTDOWN_ACTION ShutdownAction
    )
/*++

Routine Description:

    Puts the device in a quiet state for a shutdown or a bug check: every
    cause masked, DMA stopped. Only register writes happen here, because
    after a bug check this runs at any IRQL and may not call NDIS.

Arguments:

    MiniportAdapterContext - The adapter.

    ShutdownAction - NdisShutdownPowerOff or NdisShutdownBugCheck.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL for a power-off, any IRQL for a bug check.

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(ShutdownAction);

    if (adapter->SurpriseRemoved) {
        return;
    }

    Vn1WriteRegister(adapter, VN1_REG_IMC, VN1_ICR_ALL);
    Vn1WriteRegister(adapter, VN1_REG_CTRL, VN1_CTRL_RST);
}


_Use_decl_annotations_
VOID
Vn1DevicePnPEventNotify(
    NDIS_HANDLE MiniportAdapterContext,
    PNET_DEVICE_PNP_EVENT NetDevicePnPEvent
    )
/*++

Routine Description:

    Records a surprise removal, after which the device reads all ones and
    ignores writes. Other PnP events need no action.

Arguments:

    MiniportAdapterContext - The adapter.

    NetDevicePnPEvent - The event.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportAdapterContext;

    switch (NetDevicePnPEvent->DevicePnPEvent) {
    case NdisDevicePnPEventSurpriseRemoved:
        adapter->SurpriseRemoved = TRUE;
        break;

    default:
        break;
    }
}


_Use_decl_annotations_
NDIS_STATUS
Vn1ResetEx(
    NDIS_HANDLE MiniportAdapterContext,
    PBOOLEAN AddressingReset
    )
/*++

Routine Description:

    NDIS asks for a reset when a send or an OID appears hung. Sends are
    completed by the transmit DPC and OIDs complete synchronously, so there
    is nothing to recover; the addressing information is unchanged.

Arguments:

    MiniportAdapterContext - The adapter.

    AddressingReset - Receives FALSE: NDIS need not restore addresses.

Return Value:

    NDIS_STATUS_SUCCESS

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);

    *AddressingReset = FALSE;
    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
Vn1ProcessSGList(
    PDEVICE_OBJECT pDO,
    PVOID Reserved,
    PSCATTER_GATHER_LIST pSGL,
    PVOID Context
    )
/*++

Routine Description:

    Required by NdisMRegisterScatterGatherDma. This driver copies every
    frame into a preallocated transmit buffer and never asks NDIS for a
    scatter/gather list, so NDIS never calls this routine.

Arguments:

    pDO, Reserved, pSGL, Context - Unused.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    UNREFERENCED_PARAMETER(pDO);
    UNREFERENCED_PARAMETER(Reserved);
    UNREFERENCED_PARAMETER(pSGL);
    UNREFERENCED_PARAMETER(Context);
}


_Use_decl_annotations_
VOID
Vn1ApplyPacketFilter(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Translates the NDIS packet filter into RXFILTER. The VN-1 has no
    multicast hash table, so a multicast list is served by receiving all
    multicast frames.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    ULONG filter = 0;
    ULONG packetFilter = Adapter->PacketFilter;

    if (packetFilter & NDIS_PACKET_TYPE_DIRECTED) {
        filter |= VN1_RXFILTER_UCAST;
    }
    if (packetFilter & (NDIS_PACKET_TYPE_MULTICAST | NDIS_PACKET_TYPE_ALL_MULTICAST)) {
        filter |= VN1_RXFILTER_MCAST;
    }
    if (packetFilter & NDIS_PACKET_TYPE_BROADCAST) {
        filter |= VN1_RXFILTER_BCAST;
    }
    if (packetFilter & NDIS_PACKET_TYPE_PROMISCUOUS) {
        filter |= VN1_RXFILTER_PROMISC | VN1_RXFILTER_UCAST |
                  VN1_RXFILTER_MCAST | VN1_RXFILTER_BCAST;
    }

    Vn1WriteRegister(Adapter, VN1_REG_RXFILTER, filter);
}


static
NDIS_STATUS
Vn1SetRegistrationAttributes(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Tells NDIS the adapter context and that this is a bus-mastering PCI
    device.

Arguments:

    Adapter - The adapter.

Return Value:

    The status of NdisMSetMiniportAttributes.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_MINIPORT_ADAPTER_ATTRIBUTES attributes;
    PNDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES registration;

    NdisZeroMemory(&attributes, sizeof(attributes));
    registration = &attributes.RegistrationAttributes;

    registration->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
    registration->Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
    registration->Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;

    registration->MiniportAdapterContext = (NDIS_HANDLE)Adapter;
    registration->AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE |
                                   NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
    registration->CheckForHangTimeInSeconds = 0;
    registration->InterfaceType = NdisInterfacePci;

    return NdisMSetMiniportAttributes(Adapter->AdapterHandle, &attributes);
}


static
NDIS_STATUS
Vn1SetGeneralAttributes(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Reports the medium, link, addresses, filters, supported OIDs and the RSS
    and power-management capabilities.

Arguments:

    Adapter - The adapter; its addresses, link state and capabilities are
        filled in already.

Return Value:

    The status of NdisMSetMiniportAttributes.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_MINIPORT_ADAPTER_ATTRIBUTES attributes;
    PNDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES general;
    NDIS_LINK_STATE linkState;

    Vn1ReadLinkState(Adapter, &linkState);

    //
    // NDIS 6.20 drivers report power management through
    // PowerManagementCapabilitiesEx; the VN-1 has no wake-up support.
    //
    NdisZeroMemory(&Adapter->PmCapabilities, sizeof(Adapter->PmCapabilities));
    Adapter->PmCapabilities.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    Adapter->PmCapabilities.Header.Revision = NDIS_PM_CAPABILITIES_REVISION_1;
    Adapter->PmCapabilities.Header.Size = NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_1;
    Adapter->PmCapabilities.MinMagicPacketWakeUp = NdisDeviceStateUnspecified;
    Adapter->PmCapabilities.MinPatternWakeUp = NdisDeviceStateUnspecified;
    Adapter->PmCapabilities.MinLinkChangeWakeUp = NdisDeviceStateUnspecified;

    NdisZeroMemory(&attributes, sizeof(attributes));
    general = &attributes.GeneralAttributes;

    general->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;
    general->Header.Revision = NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
    general->Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;

    general->Flags = 0;
    general->MediaType = NdisMedium802_3;
    general->PhysicalMediumType = NdisPhysicalMedium802_3;
    general->MtuSize = VN1_MTU_SIZE;
    general->MaxXmitLinkSpeed = 10000000000ULL;
    general->MaxRcvLinkSpeed = 10000000000ULL;
    general->XmitLinkSpeed = linkState.XmitLinkSpeed;
    general->RcvLinkSpeed = linkState.RcvLinkSpeed;
    general->MediaConnectState = linkState.MediaConnectState;
    general->MediaDuplexState = linkState.MediaDuplexState;
    general->LookaheadSize = Adapter->LookAhead;
    general->PowerManagementCapabilities = NULL;
    general->MacOptions = NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA |
                          NDIS_MAC_OPTION_TRANSFERS_NOT_PEND |
                          NDIS_MAC_OPTION_NO_LOOPBACK;
    general->SupportedPacketFilters = NDIS_PACKET_TYPE_DIRECTED |
                                      NDIS_PACKET_TYPE_MULTICAST |
                                      NDIS_PACKET_TYPE_ALL_MULTICAST |
                                      NDIS_PACKET_TYPE_BROADCAST |
                                      NDIS_PACKET_TYPE_PROMISCUOUS;
    general->MaxMulticastListSize = VN1_MAX_MULTICAST_LIST;
    general->MacAddressLength = VN1_MAC_ADDRESS_LENGTH;
    NdisMoveMemory(general->PermanentMacAddress, Adapter->PermanentAddress, VN1_MAC_ADDRESS_LENGTH);
    NdisMoveMemory(general->CurrentMacAddress, Adapter->CurrentAddress, VN1_MAC_ADDRESS_LENGTH);
    general->RecvScaleCapabilities = &Adapter->RssCapabilities;
    general->AccessType = NET_IF_ACCESS_BROADCAST;
    general->DirectionType = NET_IF_DIRECTION_SENDRECEIVE;
    general->ConnectionType = NET_IF_CONNECTION_DEDICATED;
    general->IfType = IF_TYPE_ETHERNET_CSMACD;
    general->IfConnectorPresent = TRUE;
    general->SupportedStatistics = NDIS_STATISTICS_XMIT_OK_SUPPORTED |
                                   NDIS_STATISTICS_RCV_OK_SUPPORTED |
                                   NDIS_STATISTICS_RCV_NO_BUFFER_SUPPORTED;
    general->SupportedPauseFunctions = NdisPauseFunctionsUnsupported;
    general->DataBackFillSize = 0;
    general->ContextBackFillSize = 0;
    general->SupportedOidList = Vn1SupportedOids;
    general->SupportedOidListLength = Vn1SupportedOidsLength;
    general->AutoNegotiationFlags = NDIS_LINK_STATE_XMIT_LINK_SPEED_AUTO_NEGOTIATED |
                                    NDIS_LINK_STATE_RCV_LINK_SPEED_AUTO_NEGOTIATED |
                                    NDIS_LINK_STATE_DUPLEX_AUTO_NEGOTIATED;
    general->PowerManagementCapabilitiesEx = &Adapter->PmCapabilities;

    return NdisMSetMiniportAttributes(Adapter->AdapterHandle, &attributes);
}


static
NDIS_STATUS
Vn1ParseResources(
    _In_ PVN1_ADAPTER Adapter,
    _In_opt_ PNDIS_RESOURCE_LIST Resources
    )
/*++

Routine Description:

    Finds BAR0, BAR1 and the interrupt in the translated resource list
    (datasheet §1).

    A message-signaled interrupt appears either as one descriptor per
    message (the translated form) or as one descriptor whose
    u.MessageInterrupt.Raw.MessageCount gives the count (the raw form); both
    are accepted. The count only sizes the RSS capabilities; what NDIS
    grants is read from MessageInfoTable after NdisMRegisterInterruptEx.

Arguments:

    Adapter - The adapter.

    Resources - MiniportInitParameters->AllocatedResources.

Return Value:

    NDIS_STATUS_SUCCESS, or NDIS_STATUS_RESOURCE_CONFLICT if the register
    BAR or the interrupt is missing.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PCM_PARTIAL_RESOURCE_DESCRIPTOR descriptor;
    BOOLEAN memoryFound = FALSE;
    BOOLEAN interruptFound = FALSE;
    ULONG messageDescriptors = 0;
    ULONG firstMessageCount = 0;
    ULONG i;

    if (Resources == NULL) {
        return NDIS_STATUS_RESOURCE_CONFLICT;
    }

    for (i = 0; i < Resources->Count; i++) {
        descriptor = &Resources->PartialDescriptors[i];

        switch (descriptor->Type) {
        case CmResourceTypeMemory:
            if (!memoryFound && descriptor->u.Memory.Length >= VN1_BAR0_LENGTH) {
                Adapter->Bar0Address = descriptor->u.Memory.Start;
                Adapter->Bar0Length = VN1_BAR0_LENGTH;
                memoryFound = TRUE;
            }
            break;

        case CmResourceTypePort:
            Adapter->PortBase = descriptor->u.Port.Start.LowPart;
            Adapter->PortLength = descriptor->u.Port.Length;
            break;

        case CmResourceTypeInterrupt:
            interruptFound = TRUE;
            if (descriptor->Flags & CM_RESOURCE_INTERRUPT_MESSAGE) {
                if (messageDescriptors == 0) {
                    firstMessageCount = descriptor->u.MessageInterrupt.Raw.MessageCount;
                }
                messageDescriptors++;
            }
            break;

        default:
            break;
        }
    }

    if (!memoryFound || !interruptFound) {
        return NDIS_STATUS_RESOURCE_CONFLICT;
    }

    if (messageDescriptors != 0) {
        Adapter->ResourceMessageBased = TRUE;
        if (messageDescriptors > 1) {
            Adapter->ResourceMessages = messageDescriptors;
        } else if (firstMessageCount >= 1 && firstMessageCount <= VN1_MAX_MSIX_MESSAGES) {
            Adapter->ResourceMessages = firstMessageCount;
        } else {
            Adapter->ResourceMessages = 1;
        }
        if (Adapter->ResourceMessages > VN1_MAX_MSIX_MESSAGES) {
            Adapter->ResourceMessages = VN1_MAX_MSIX_MESSAGES;
        }
    } else {
        Adapter->ResourceMessages = 1;
    }

    return NDIS_STATUS_SUCCESS;
}


static
NDIS_STATUS
Vn1CheckPciIdentity(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Reads the PCI configuration header and checks the vendor and device IDs
    (datasheet §9).

Arguments:

    Adapter - The adapter.

Return Value:

    NDIS_STATUS_SUCCESS, or NDIS_STATUS_ADAPTER_NOT_FOUND.

IRQL:

    PASSIVE_LEVEL

--*/
{
    UCHAR config[VN1_PCI_CFG_HEADER_LENGTH];
    ULONG bytesRead;
    USHORT vendorId;
    USHORT deviceId;

    NdisZeroMemory(config, sizeof(config));

    bytesRead = NdisMGetBusData(Adapter->AdapterHandle,
                                PCI_WHICHSPACE_CONFIG,
                                0,
                                config,
                                sizeof(config));
    if (bytesRead != sizeof(config)) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }

    vendorId = (USHORT)(config[VN1_PCI_CFG_VENDOR_ID] |
                        (config[VN1_PCI_CFG_VENDOR_ID + 1] << 8));
    deviceId = (USHORT)(config[VN1_PCI_CFG_DEVICE_ID] |
                        (config[VN1_PCI_CFG_DEVICE_ID + 1] << 8));

    if (vendorId != VN1_PCI_VENDOR_ID || deviceId != VN1_PCI_DEVICE_ID) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }

    return NDIS_STATUS_SUCCESS;
}


static
NDIS_STATUS
Vn1ResetHardware(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Resets the device with CTRL.RST, waits for the bit to clear, and reads
    the host-assigned MAC address and the link state.

Arguments:

    Adapter - The adapter.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_ADAPTER_NOT_FOUND if the device reads
    all ones (gone), or NDIS_STATUS_FAILURE if the reset never completes.

IRQL:

    PASSIVE_LEVEL

--*/
{
    ULONG ctrl;
    ULONG macLo;
    ULONG macHi;
    ULONG attempts;
    NDIS_LINK_STATE linkState;

    Vn1WriteRegister(Adapter, VN1_REG_CTRL, VN1_CTRL_RST);

    for (attempts = 0; attempts < 100; attempts++) {
        ctrl = Vn1ReadRegister(Adapter, VN1_REG_CTRL);
        if (ctrl == 0xFFFFFFFF) {
            return NDIS_STATUS_ADAPTER_NOT_FOUND;
        }
        if ((ctrl & VN1_CTRL_RST) == 0) {
            break;
        }
        NdisStallExecution(10);
    }
    if (attempts == 100) {
        return NDIS_STATUS_FAILURE;
    }

    macLo = Vn1ReadRegister(Adapter, VN1_REG_MAC_LO);
    macHi = Vn1ReadRegister(Adapter, VN1_REG_MAC_HI);

    Adapter->PermanentAddress[0] = (UCHAR)(macLo);
    Adapter->PermanentAddress[1] = (UCHAR)(macLo >> 8);
    Adapter->PermanentAddress[2] = (UCHAR)(macLo >> 16);
    Adapter->PermanentAddress[3] = (UCHAR)(macLo >> 24);
    Adapter->PermanentAddress[4] = (UCHAR)(macHi);
    Adapter->PermanentAddress[5] = (UCHAR)(macHi >> 8);
    NdisMoveMemory(Adapter->CurrentAddress, Adapter->PermanentAddress, VN1_MAC_ADDRESS_LENGTH);

    Vn1ReadLinkState(Adapter, &linkState);
    Adapter->LinkUp = (linkState.MediaConnectState == MediaConnectStateConnected);
    Adapter->LinkSpeed = linkState.XmitLinkSpeed;
    Adapter->DuplexState = linkState.MediaDuplexState;

    return NDIS_STATUS_SUCCESS;
}


static
NDIS_STATUS
Vn1RegisterDma(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Registers a scatter/gather DMA channel, which NDIS requires before
    NdisMAllocateSharedMemory. The device takes 64-bit addresses.

Arguments:

    Adapter - The adapter.

Return Value:

    The status of NdisMRegisterScatterGatherDma.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_STATUS status;
    NDIS_SG_DMA_DESCRIPTION dma;

    NdisZeroMemory(&dma, sizeof(dma));
    dma.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
    dma.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
    dma.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
    dma.Flags = NDIS_SG_DMA_64_BIT_ADDRESS;
    dma.MaximumPhysicalMapping = VN1_TX_BUFFER_SIZE;
    dma.ProcessSGListHandler = Vn1ProcessSGList;
    dma.SharedMemAllocateCompleteHandler = NULL;

    status = NdisMRegisterScatterGatherDma(Adapter->AdapterHandle, &dma, &Adapter->DmaHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        Adapter->DmaHandle = NULL;
    }
    return status;
}


static
NDIS_STATUS
Vn1AllocateNblPool(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Allocates the pool the receive NET_BUFFER_LISTs come from; each NBL
    carries one NET_BUFFER.

Arguments:

    Adapter - The adapter.

Return Value:

    NDIS_STATUS_SUCCESS or NDIS_STATUS_RESOURCES.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NET_BUFFER_LIST_POOL_PARAMETERS poolParameters;

    NdisZeroMemory(&poolParameters, sizeof(poolParameters));
    poolParameters.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    poolParameters.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    poolParameters.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    poolParameters.ProtocolId = NDIS_PROTOCOL_ID_DEFAULT;
    poolParameters.fAllocateNetBuffer = TRUE;
    poolParameters.ContextSize = 0;
    poolParameters.PoolTag = VN1_POOL_TAG;
    poolParameters.DataSize = 0;

    Adapter->NblPool = NdisAllocateNetBufferListPool(Adapter->AdapterHandle, &poolParameters);
    if (Adapter->NblPool == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    return NDIS_STATUS_SUCCESS;
}


static
VOID
Vn1FreeQueues(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Frees the receive and transmit rings, whatever part of them exists.
    The device must not be doing DMA any more.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    ULONG q;

    Vn1FreeTxQueue(Adapter);
    for (q = 0; q < VN1_MAX_RX_QUEUES; q++) {
        Vn1FreeRxQueue(Adapter, &Adapter->RxQueue[q]);
    }
}


static
VOID
Vn1FreeAdapter(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Frees the adapter context itself.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    if (Adapter->LockAllocated) {
        NdisFreeSpinLock(&Adapter->Lock);
        Adapter->LockAllocated = FALSE;
    }
    NdisFreeMemory(Adapter, 0, 0);
}


static
NDIS_STATUS
Vn1StartWatchdog(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Allocates and starts the lost-interrupt watchdog, a periodic NDIS timer
    object.

Arguments:

    Adapter - The adapter.

Return Value:

    NDIS_STATUS_SUCCESS, or what NdisAllocateTimerObject returned.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_TIMER_CHARACTERISTICS timer;
    LARGE_INTEGER due;
    NDIS_STATUS status;

#ifdef VN1_NO_WATCHDOG
    //
    // drivers/racy: the planted-bug twins keep the sample as it was before
    // the watchdog. Its re-arm would heal P1's lost causes, and so hide the
    // very symptom ndisrt explore looks for.
    //
    UNREFERENCED_PARAMETER(timer);
    UNREFERENCED_PARAMETER(due);
    UNREFERENCED_PARAMETER(status);
    Adapter->WatchdogTimer = NULL;
    return NDIS_STATUS_SUCCESS;
#else
    NdisZeroMemory(&timer, sizeof(timer));
    timer.Header.Type = NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS;
    timer.Header.Revision = NDIS_TIMER_CHARACTERISTICS_REVISION_1;
    timer.Header.Size = NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1;
    timer.AllocationTag = VN1_POOL_TAG;
    timer.TimerFunction = Vn1WatchdogTimer;
    timer.FunctionContext = Adapter;

    status = NdisAllocateTimerObject(Adapter->AdapterHandle, &timer, &Adapter->WatchdogTimer);
    if (status != NDIS_STATUS_SUCCESS) {
        Adapter->WatchdogTimer = NULL;
        return status;
    }

    due.QuadPart = -10000LL * VN1_WATCHDOG_PERIOD_MS;
    NdisSetTimerObject(Adapter->WatchdogTimer, due, VN1_WATCHDOG_PERIOD_MS, NULL);
    return NDIS_STATUS_SUCCESS;
#endif
}


static
VOID
Vn1StopWatchdog(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Stops the watchdog: no new run starts its work once Stopping is set,
    the timer is cancelled, and a run already inside its function (a DPC
    on another processor) is waited for before the timer is freed.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    if (Adapter->WatchdogTimer == NULL) {
        return;
    }
    InterlockedExchange(&Adapter->WatchdogStopping, 1);
    NdisCancelTimerObject(Adapter->WatchdogTimer);
    while (Adapter->WatchdogActive != 0) {
        NdisStallExecution(100);
    }
    NdisFreeTimerObject(Adapter->WatchdogTimer);
    Adapter->WatchdogTimer = NULL;
}


static
BOOLEAN
Vn1RxRingStalled(
    _In_ PVN1_RX_QUEUE Queue,
    _Inout_ PULONG WatchSlot
    )
/*++

Routine Description:

    TRUE when the slot the driver cleans next was already done (DD) at the
    previous tick and no DPC has moved past it since: its interrupt was
    lost. Remembers this tick's slot for the next one.

Arguments:

    Queue - The receive queue.

    WatchSlot - 1 + the slot seen done at the previous tick, 0 for none.

Return Value:

    TRUE if the queue needs a re-arm.

IRQL:

    DISPATCH_LEVEL

--*/
{
    BOOLEAN stalled = FALSE;
    ULONG seen = 0;

    NdisDprAcquireSpinLock(&Queue->Lock);
    if (Queue->Posted != 0 &&
        (*(volatile UCHAR *)&Queue->Ring[Queue->NextToClean].Status & VN1_RXD_STAT_DD)) {
        seen = Queue->NextToClean + 1;
        stalled = (*WatchSlot == seen);
    }
    NdisDprReleaseSpinLock(&Queue->Lock);
    *WatchSlot = stalled ? 0 : seen;
    return stalled;
}


static
BOOLEAN
Vn1TxRingStalled(
    _In_ PVN1_TX_QUEUE Queue,
    _Inout_ PULONG WatchSlot
    )
/*++

Routine Description:

    As Vn1RxRingStalled, for the transmit ring: a sent descriptor the
    device is done with that no completion DPC has reaped for a tick. Done
    is DD written, or TDH moved past it: a descriptor whose fetch faulted
    gets no DD, and its ERR interrupt may be the signal that was lost.

Arguments:

    Queue - The transmit queue.

    WatchSlot - 1 + the slot seen done at the previous tick, 0 for none.

Return Value:

    TRUE if the transmit completion needs a re-arm.

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVN1_ADAPTER adapter = CONTAINING_RECORD(Queue, VN1_ADAPTER, TxQueue);
    BOOLEAN stalled = FALSE;
    ULONG seen = 0;

    NdisDprAcquireSpinLock(&Queue->Lock);
    if (Queue->NextToClean != Queue->Tail &&
        ((*(volatile UCHAR *)&Queue->Ring[Queue->NextToClean].Status & VN1_TXD_STAT_DD) ||
         Vn1ReadRegister(adapter, VN1_REG_TDH(VN1_TX_QUEUE_INDEX)) != Queue->NextToClean)) {
        seen = Queue->NextToClean + 1;
        stalled = (*WatchSlot == seen);
    }
    NdisDprReleaseSpinLock(&Queue->Lock);
    *WatchSlot = stalled ? 0 : seen;
    return stalled;
}


static
VOID
Vn1Rearm(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG MessageId,
    _In_ ULONG Causes
    )
/*++

Routine Description:

    Re-arms one message the way its DPC would: unmask its causes and raise
    the stalled ones through ICS (a software interrupt), under the
    message's interrupt lock. The datasheet's re-arm rule signals the
    message again, so the ring is serviced by its own ISR and DPC.

Arguments:

    Adapter - The adapter.

    MessageId - The message (0 on a line-based interrupt).

    Causes - The causes to raise.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    VN1_SYNC_CONTEXT context;

    NdisZeroMemory(&context, sizeof(context));
    context.Adapter = Adapter;
    context.EnableCauses = Vn1MessageCauses(Adapter, MessageId);
    context.RaiseCauses = Causes;
    //
    // Line and MSI: a batch that began since the timer looked keeps the
    // device masked until its last DPC (checked under the interrupt lock).
    //
    context.NotDuringBatch = (Adapter->InterruptMode != VN1_IMODE_MSIX);
    InterlockedIncrement(&Adapter->InterruptsRearmed);

    if (Adapter->InterruptMode == VN1_IMODE_LINE) {
        NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, 0,
                                        Vn1SynchronizeInterrupt, &context);
    } else {
        NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, MessageId,
                                        Vn1SynchronizeMessageInterrupt, &context);
    }
}


_Use_decl_annotations_
VOID
Vn1WatchdogTimer(
    PVOID SystemSpecific1,
    PVOID FunctionContext,
    PVOID SystemSpecific2,
    PVOID SystemSpecific3
    )
/*++

Routine Description:

    The lost-interrupt watchdog: every VN1_WATCHDOG_PERIOD_MS, a ring whose
    next completed descriptor has waited a whole period with no DPC to
    take it gets its message re-armed. Nothing happens while interrupts
    arrive, so a healthy adapter sees no extra interrupt.

Arguments:

    SystemSpecific1 - Unused.

    FunctionContext - The adapter.

    SystemSpecific2 - Unused.

    SystemSpecific3 - Unused.

Return Value:

    None

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)FunctionContext;
    ULONG q;

    UNREFERENCED_PARAMETER(SystemSpecific1);
    UNREFERENCED_PARAMETER(SystemSpecific2);
    UNREFERENCED_PARAMETER(SystemSpecific3);

    InterlockedIncrement(&adapter->WatchdogActive);
    if (adapter->WatchdogStopping || adapter->InterruptReady == 0 ||
        adapter->SurpriseRemoved) {
        InterlockedDecrement(&adapter->WatchdogActive);
        return;
    }

    //
    // Line and MSI: while a DPC batch is in progress the device is masked on
    // purpose, and the batch's DPCs will look at every ring; re-arming now
    // would unmask it under them.
    //
    if (adapter->InterruptMode != VN1_IMODE_MSIX &&
        InterlockedOr(&adapter->BatchDpcs, 0) != 0) {
        InterlockedDecrement(&adapter->WatchdogActive);
        return;
    }

    for (q = 0; q < adapter->NumRxQueues; q++) {
        if (Vn1RxRingStalled(&adapter->RxQueue[q], &adapter->RxWatchSlot[q])) {
            Vn1Rearm(adapter,
                     adapter->InterruptMode == VN1_IMODE_MSIX ?
                         adapter->RxQueue[q].MessageId : 0,
                     VN1_ICR_RXQ(q));
        }
    }
    if (Vn1TxRingStalled(&adapter->TxQueue, &adapter->TxWatchSlot)) {
        Vn1Rearm(adapter,
                 adapter->InterruptMode == VN1_IMODE_MSIX ? adapter->OtherMessageId : 0,
                 VN1_ICR_TXQ(VN1_TX_QUEUE_INDEX));
    }
    InterlockedDecrement(&adapter->WatchdogActive);
}
