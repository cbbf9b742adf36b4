/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    miniport.c

Abstract:

    Driver and adapter lifetime of the virtio-net sample miniport:
    DriverEntry, MiniportInitializeEx, MiniportHaltEx, pause and restart,
    shutdown, reset and the PnP notifications.

    MiniportInitializeEx follows the virtio "Device Initialization"
    sequence inside the order Microsoft documents for initializing a
    miniport adapter: reset the device, ACKNOWLEDGE, DRIVER, read the
    offered features and write the subset this driver understands, set
    FEATURES_OK and read it back, set up the virtqueues and their MSI-X
    vectors, DRIVER_OK, and then (with several queue pairs) enable them
    through the control virtqueue. This driver uses the modern interface
    only (the virtio PCI capabilities in the memory BAR); a device without
    them is not one it can drive.

--*/

#include "virtio_net.h"

NDIS_HANDLE VioNetDriverHandle = NULL;

static NDIS_STATUS VioNetSetRegistrationAttributes(_In_ PVIONET_ADAPTER Adapter);
static NDIS_STATUS VioNetSetGeneralAttributes(_In_ PVIONET_ADAPTER Adapter);
static NDIS_STATUS VioNetParseResources(_In_ PVIONET_ADAPTER Adapter,
                                        _In_opt_ PNDIS_RESOURCE_LIST Resources);
static NDIS_STATUS VioNetFindCapabilities(_In_ PVIONET_ADAPTER Adapter);
static NDIS_STATUS VioNetResetDevice(_In_ PVIONET_ADAPTER Adapter);
static NDIS_STATUS VioNetNegotiate(_In_ PVIONET_ADAPTER Adapter);
static NDIS_STATUS VioNetRegisterDma(_In_ PVIONET_ADAPTER Adapter);
static NDIS_STATUS VioNetAllocateNblPool(_In_ PVIONET_ADAPTER Adapter);
static NDIS_STATUS VioNetAllocateQueues(_In_ PVIONET_ADAPTER Adapter);
static NDIS_STATUS VioNetActivateQueues(_In_ PVIONET_ADAPTER Adapter);
static BOOLEAN VioNetSetQueuePairs(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Pairs);
static VOID VioNetFillRssCapabilities(_In_ PVIONET_ADAPTER Adapter);
static VOID VioNetFreeQueues(_In_ PVIONET_ADAPTER Adapter);
static VOID VioNetFreeAdapter(_In_ PVIONET_ADAPTER Adapter);
static VOID VioNetStartWatchdog(_In_ PVIONET_ADAPTER Adapter);
static VOID VioNetStopWatchdog(_In_ PVIONET_ADAPTER Adapter);
static NDIS_TIMER_FUNCTION VioNetWatchdogTimer;

//
// Lost-interrupt watchdog period. A message can be lost on the way (the
// host can drop the next signal of a vector); the used buffers stay in
// their ring, and at the end of a burst no later notification brings them.
//
#define VIONET_WATCHDOG_PERIOD_MS 50


_Use_decl_annotations_
NTSTATUS
DriverEntry(
    PDRIVER_OBJECT DriverObject,
    PUNICODE_STRING RegistryPath
    )
/*++

Routine Description:

    Registers the miniport driver with NDIS.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_MINIPORT_DRIVER_CHARACTERISTICS characteristics;

    NdisZeroMemory(&characteristics, sizeof(characteristics));

    characteristics.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
    characteristics.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
    characteristics.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;

    characteristics.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
    characteristics.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
    characteristics.MajorDriverVersion = VIONET_MAJOR_DRIVER_VERSION;
    characteristics.MinorDriverVersion = VIONET_MINOR_DRIVER_VERSION;

    characteristics.InitializeHandlerEx = VioNetInitializeEx;
    characteristics.HaltHandlerEx = VioNetHaltEx;
    characteristics.UnloadHandler = VioNetUnload;
    characteristics.PauseHandler = VioNetPause;
    characteristics.RestartHandler = VioNetRestart;
    characteristics.OidRequestHandler = VioNetOidRequest;
    characteristics.SendNetBufferListsHandler = VioNetSendNetBufferLists;
    characteristics.ReturnNetBufferListsHandler = VioNetReturnNetBufferLists;
    characteristics.CancelSendHandler = VioNetCancelSend;
    characteristics.ResetHandlerEx = VioNetResetEx;
    characteristics.DevicePnPEventNotifyHandler = VioNetDevicePnPEventNotify;
    characteristics.ShutdownHandlerEx = VioNetShutdownEx;
    characteristics.CancelOidRequestHandler = VioNetCancelOidRequest;

    return (NTSTATUS)NdisMRegisterMiniportDriver(DriverObject,
                                                 RegistryPath,
                                                 NULL,
                                                 &characteristics,
                                                 &VioNetDriverHandle);
}


_Use_decl_annotations_
VOID
VioNetUnload(
    PDRIVER_OBJECT DriverObject
    )
{
    UNREFERENCED_PARAMETER(DriverObject);

    if (VioNetDriverHandle != NULL) {
        NdisMDeregisterMiniportDriver(VioNetDriverHandle);
        VioNetDriverHandle = NULL;
    }
}


_Use_decl_annotations_
NDIS_STATUS
VioNetInitializeEx(
    NDIS_HANDLE MiniportAdapterHandle,
    NDIS_HANDLE MiniportDriverContext,
    PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters
    )
/*++

Routine Description:

    Brings one virtio-net device into service. The adapter starts Paused.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_ADAPTER_NOT_FOUND (not a virtio-net
    device this driver can drive, or gone), NDIS_STATUS_NOT_SUPPORTED (the
    device refused the features), NDIS_STATUS_RESOURCES, or the failure
    status of the NDIS call that failed.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_STATUS status;
    PVIONET_ADAPTER adapter;
    ULONG p;

    UNREFERENCED_PARAMETER(MiniportDriverContext);

    adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle,
                                                sizeof(VIONET_ADAPTER),
                                                VIONET_POOL_TAG,
                                                NormalPoolPriority);
    if (adapter == NULL) {
        return NDIS_STATUS_RESOURCES;
    }

    NdisZeroMemory(adapter, sizeof(VIONET_ADAPTER));
    adapter->AdapterHandle = MiniportAdapterHandle;
    adapter->State = VioNetAdapterPaused;
    adapter->NumPairs = 1;
    adapter->LookAhead = VIONET_MAX_FRAME_SIZE - VIONET_ETH_HEADER_SIZE;
    adapter->HdrLen = sizeof(VIRTIO_NET_HDR);
    NdisAllocateSpinLock(&adapter->Lock);
    adapter->LockAllocated = TRUE;
    for (p = 0; p < VIONET_MAX_PAIRS; p++) {
        adapter->RxQueue[p].TargetProcessorIndex = VIONET_NO_TARGET_PROCESSOR;
    }

    status = VioNetSetRegistrationAttributes(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_adapter;
    }

    status = VioNetParseResources(adapter, MiniportInitParameters->AllocatedResources);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_adapter;
    }

    status = VioNetFindCapabilities(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_adapter;
    }

    status = NdisMMapIoSpace((PVOID *)&adapter->RegisterBase,
                             MiniportAdapterHandle,
                             adapter->BarAddress,
                             adapter->BarLength);
    if (status != NDIS_STATUS_SUCCESS) {
        adapter->RegisterBase = NULL;
        goto err_free_adapter;
    }

    status = VioNetResetDevice(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_unmap;
    }

    status = VioNetNegotiate(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_fail_device;
    }

    VioNetFillRssCapabilities(adapter);

    status = VioNetSetGeneralAttributes(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_fail_device;
    }

    status = VioNetRegisterDma(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_fail_device;
    }

    status = VioNetAllocateNblPool(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_deregister_dma;
    }

    status = VioNetAllocateQueues(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_queues;
    }

    //
    // Once the interrupt is registered the ISR can run: everything it
    // touches exists by now. The device sends nothing before DRIVER_OK.
    //
    status = VioNetRegisterInterrupt(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free_queues;
    }

    status = VioNetActivateQueues(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_deregister_interrupt;
    }

    VioNetWrite8(adapter, VioNetCommon(adapter, VIRTIO_COMMON_DEVICE_STATUS),
                 VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);

    if (adapter->NumPairs > 1 && !VioNetSetQueuePairs(adapter, adapter->NumPairs)) {
        //
        // The device did not take the command: it uses the first pair only.
        //
        adapter->NumPairs = 1;
    }

    adapter->PacketFilter = NDIS_PACKET_TYPE_DIRECTED |
                            NDIS_PACKET_TYPE_MULTICAST |
                            NDIS_PACKET_TYPE_BROADCAST;

    InterlockedExchange(&adapter->InterruptReady, 1);
    for (p = 0; p < adapter->NumPairs; p++) {
        VioNetStartRxQueue(adapter, &adapter->RxQueue[p]);
    }
    VioNetStartWatchdog(adapter);

    return NDIS_STATUS_SUCCESS;

err_deregister_interrupt:
    NdisMDeregisterInterruptEx(adapter->InterruptHandle);
    adapter->InterruptHandle = NULL;

err_free_queues:
    VioNetResetDevice(adapter);
    VioNetFreeQueues(adapter);
    if (adapter->NblPool != NULL) {
        NdisFreeNetBufferListPool(adapter->NblPool);
        adapter->NblPool = NULL;
    }

err_deregister_dma:
    NdisMDeregisterScatterGatherDma(adapter->DmaHandle);
    adapter->DmaHandle = NULL;

err_fail_device:
    VioNetWrite8(adapter, VioNetCommon(adapter, VIRTIO_COMMON_DEVICE_STATUS),
                 VIRTIO_STATUS_FAILED);

err_unmap:
    NdisMUnmapIoSpace(MiniportAdapterHandle, adapter->RegisterBase, adapter->BarLength);
    adapter->RegisterBase = NULL;

err_free_adapter:
    VioNetFreeAdapter(adapter);
    return status;
}


_Use_decl_annotations_
VOID
VioNetHaltEx(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_HALT_ACTION HaltAction
    )
/*++

Routine Description:

    Releases everything MiniportInitializeEx acquired. The interrupt goes
    first (until NdisMDeregisterInterruptEx returns the ISR and DPCs can
    still run), then a device reset stops every DMA into the queues, and
    only then does their memory go.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(HaltAction);

    VioNetStopWatchdog(adapter);
    InterlockedExchange(&adapter->InterruptReady, 0);

    NdisMDeregisterInterruptEx(adapter->InterruptHandle);
    adapter->InterruptHandle = NULL;

    if (!adapter->SurpriseRemoved) {
        VioNetResetDevice(adapter);
    }

    VioNetFreeQueues(adapter);
    NdisFreeNetBufferListPool(adapter->NblPool);
    adapter->NblPool = NULL;
    NdisMDeregisterScatterGatherDma(adapter->DmaHandle);
    adapter->DmaHandle = NULL;
    NdisMUnmapIoSpace(adapter->AdapterHandle, adapter->RegisterBase, adapter->BarLength);
    adapter->RegisterBase = NULL;

    VioNetFreeAdapter(adapter);
}


_Use_decl_annotations_
NDIS_STATUS
VioNetPause(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters
    )
/*++

Routine Description:

    Stops the data path: new sends fail with NDIS_STATUS_PAUSED and the
    receive DPCs post frames back instead of indicating them. The pause
    completes when every indicated NBL is back and every send completed.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportAdapterContext;
    NDIS_STATUS status;

    UNREFERENCED_PARAMETER(PauseParameters);

    NdisAcquireSpinLock(&adapter->Lock);
    if (adapter->RxOutstanding == 0 && adapter->TxOutstanding == 0) {
        adapter->State = VioNetAdapterPaused;
        status = NDIS_STATUS_SUCCESS;
    } else {
        adapter->State = VioNetAdapterPausing;
        status = NDIS_STATUS_PENDING;
    }
    NdisReleaseSpinLock(&adapter->Lock);

    return status;
}


_Use_decl_annotations_
VOID
VioNetTryCompletePause(
    PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Completes a pending pause once nothing is outstanding. The counts only
    rise under Adapter->Lock in the Running state, so whoever sees both at
    zero while Pausing completes the pause, once.

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    BOOLEAN complete = FALSE;

    NdisAcquireSpinLock(&Adapter->Lock);
    if (Adapter->State == VioNetAdapterPausing &&
        Adapter->RxOutstanding == 0 &&
        Adapter->TxOutstanding == 0) {

        Adapter->State = VioNetAdapterPaused;
        complete = TRUE;
    }
    NdisReleaseSpinLock(&Adapter->Lock);

    if (complete) {
        NdisMPauseComplete(Adapter->AdapterHandle);
    }
}


_Use_decl_annotations_
NDIS_STATUS
VioNetRestart(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters
    )
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(RestartParameters);

    NdisAcquireSpinLock(&adapter->Lock);
    adapter->State = VioNetAdapterRunning;
    NdisReleaseSpinLock(&adapter->Lock);

    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
VioNetShutdownEx(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_SHUTDOWN_ACTION ShutdownAction
    )
/*++

Routine Description:

    Quiets the device with a reset (status 0): no more DMA, no more
    interrupts. Only a register write: after a bug check this runs at any
    IRQL and may not call NDIS.

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(ShutdownAction);

    if (!adapter->SurpriseRemoved) {
        VioNetWrite8(adapter, VioNetCommon(adapter, VIRTIO_COMMON_DEVICE_STATUS), 0);
    }
}


_Use_decl_annotations_
VOID
VioNetDevicePnPEventNotify(
    NDIS_HANDLE MiniportAdapterContext,
    PNET_DEVICE_PNP_EVENT NetDevicePnPEvent
    )
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportAdapterContext;

    if (NetDevicePnPEvent->DevicePnPEvent == NdisDevicePnPEventSurpriseRemoved) {
        adapter->SurpriseRemoved = TRUE;
    }
}


_Use_decl_annotations_
NDIS_STATUS
VioNetResetEx(
    NDIS_HANDLE MiniportAdapterContext,
    PBOOLEAN AddressingReset
    )
/*++

Routine Description:

    Sends complete from the transmit DPCs and OIDs synchronously: there is
    nothing hung to recover, and the addresses are unchanged.

--*/
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);

    *AddressingReset = FALSE;
    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
VOID
VioNetProcessSGList(
    PDEVICE_OBJECT pDO,
    PVOID Reserved,
    PSCATTER_GATHER_LIST pSGL,
    PVOID Context
    )
/*++

Routine Description:

    Required by NdisMRegisterScatterGatherDma; never called, because every
    frame is copied into a transmit slot.

--*/
{
    UNREFERENCED_PARAMETER(pDO);
    UNREFERENCED_PARAMETER(Reserved);
    UNREFERENCED_PARAMETER(pSGL);
    UNREFERENCED_PARAMETER(Context);
}


static
NDIS_STATUS
VioNetSetRegistrationAttributes(
    _In_ PVIONET_ADAPTER Adapter
    )
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
VioNetSetGeneralAttributes(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Reports the medium, link, addresses, filters, supported OIDs and, with
    several queue pairs and VIRTIO_NET_F_RSS, the RSS capabilities. No
    wake-up.

--*/
{
    NDIS_MINIPORT_ADAPTER_ATTRIBUTES attributes;
    PNDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES general;
    NDIS_LINK_STATE linkState;

    VioNetFillLinkState(Adapter, &linkState);

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
    general->MediaType = NdisMedium802_3;
    general->PhysicalMediumType = NdisPhysicalMedium802_3;
    general->MtuSize = VIONET_MTU_SIZE;
    general->MaxXmitLinkSpeed = 10000000000ULL;
    general->MaxRcvLinkSpeed = 10000000000ULL;
    general->XmitLinkSpeed = linkState.XmitLinkSpeed;
    general->RcvLinkSpeed = linkState.RcvLinkSpeed;
    general->MediaConnectState = linkState.MediaConnectState;
    general->MediaDuplexState = linkState.MediaDuplexState;
    general->LookaheadSize = Adapter->LookAhead;
    general->MacOptions = NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA |
                          NDIS_MAC_OPTION_TRANSFERS_NOT_PEND |
                          NDIS_MAC_OPTION_NO_LOOPBACK;
    general->SupportedPacketFilters = NDIS_PACKET_TYPE_DIRECTED |
                                      NDIS_PACKET_TYPE_MULTICAST |
                                      NDIS_PACKET_TYPE_ALL_MULTICAST |
                                      NDIS_PACKET_TYPE_BROADCAST |
                                      NDIS_PACKET_TYPE_PROMISCUOUS;
    general->MaxMulticastListSize = VIONET_MAX_MULTICAST_LIST;
    general->MacAddressLength = VIONET_MAC_ADDRESS_LENGTH;
    NdisMoveMemory(general->PermanentMacAddress, Adapter->PermanentAddress,
                   VIONET_MAC_ADDRESS_LENGTH);
    NdisMoveMemory(general->CurrentMacAddress, Adapter->CurrentAddress,
                   VIONET_MAC_ADDRESS_LENGTH);
    general->RecvScaleCapabilities = Adapter->RssAvailable ? &Adapter->RssCapabilities : NULL;
    general->AccessType = NET_IF_ACCESS_BROADCAST;
    general->DirectionType = NET_IF_DIRECTION_SENDRECEIVE;
    general->ConnectionType = NET_IF_CONNECTION_DEDICATED;
    general->IfType = IF_TYPE_ETHERNET_CSMACD;
    general->IfConnectorPresent = TRUE;
    general->SupportedStatistics = NDIS_STATISTICS_XMIT_OK_SUPPORTED |
                                   NDIS_STATISTICS_RCV_OK_SUPPORTED |
                                   NDIS_STATISTICS_RCV_NO_BUFFER_SUPPORTED;
    general->SupportedPauseFunctions = NdisPauseFunctionsUnsupported;
    general->SupportedOidList = VioNetSupportedOids;
    general->SupportedOidListLength = VioNetSupportedOidsLength;
    general->AutoNegotiationFlags = 0;
    general->PowerManagementCapabilitiesEx = &Adapter->PmCapabilities;

    return NdisMSetMiniportAttributes(Adapter->AdapterHandle, &attributes);
}


static
NDIS_STATUS
VioNetParseResources(
    _In_ PVIONET_ADAPTER Adapter,
    _In_opt_ PNDIS_RESOURCE_LIST Resources
    )
/*++

Routine Description:

    Finds the memory BAR and the interrupt. The I/O BAR of a transitional
    device (the legacy interface) is not used by this driver.

Return Value:

    NDIS_STATUS_SUCCESS, or NDIS_STATUS_RESOURCE_CONFLICT.

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
            if (!memoryFound) {
                Adapter->BarAddress = descriptor->u.Memory.Start;
                Adapter->BarLength = descriptor->u.Memory.Length;
                memoryFound = TRUE;
            }
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
        Adapter->ResourceMessages = messageDescriptors > 1 ? messageDescriptors :
                                    (firstMessageCount >= 1 ? firstMessageCount : 1);
        if (Adapter->ResourceMessages > VIONET_MAX_MESSAGES) {
            Adapter->ResourceMessages = VIONET_MAX_MESSAGES;
        }
    } else {
        Adapter->ResourceMessages = 1;
    }
    return NDIS_STATUS_SUCCESS;
}


static
ULONG
VioNetConfig32(
    _In_reads_(VIRTIO_PCI_CFG_LENGTH) const UCHAR *Config,
    _In_ ULONG Offset
    )
{
    return (ULONG)Config[Offset] | ((ULONG)Config[Offset + 1] << 8) |
           ((ULONG)Config[Offset + 2] << 16) | ((ULONG)Config[Offset + 3] << 24);
}


static
NDIS_STATUS
VioNetFindCapabilities(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Checks the PCI identity and walks the capability list for the first
    common, notify, ISR and device configuration capabilities
    ("Virtio Device Configuration Layout Detection"). All four must be in
    the memory BAR the resources gave this driver.

Return Value:

    NDIS_STATUS_SUCCESS, or NDIS_STATUS_ADAPTER_NOT_FOUND.

--*/
{
    UCHAR config[VIRTIO_PCI_CFG_LENGTH];
    ULONG found = 0;
    ULONG bar = 0xFFFFFFFF;
    ULONG barValue;
    ULONG pointer;
    ULONG visited;
    ULONG type;
    ULONG offset;
    ULONG length;
    USHORT vendorId;
    USHORT deviceId;

    NdisZeroMemory(config, sizeof(config));
    if (NdisMGetBusData(Adapter->AdapterHandle, PCI_WHICHSPACE_CONFIG, 0,
                        config, sizeof(config)) != sizeof(config)) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }

    vendorId = (USHORT)(config[VIRTIO_PCI_CFG_VENDOR_ID] | (config[VIRTIO_PCI_CFG_VENDOR_ID + 1] << 8));
    deviceId = (USHORT)(config[VIRTIO_PCI_CFG_DEVICE_ID] | (config[VIRTIO_PCI_CFG_DEVICE_ID + 1] << 8));
    if (vendorId != VIRTIO_PCI_VENDOR_ID ||
        (deviceId != VIRTIO_PCI_DEVICE_ID_NET && deviceId != VIRTIO_PCI_DEVICE_ID_NET_TRANS)) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    if ((config[VIRTIO_PCI_CFG_STATUS] & VIRTIO_PCI_STATUS_CAP_LIST) == 0) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;   // a legacy-only device
    }

    pointer = config[VIRTIO_PCI_CFG_CAP_PTR] & ~3u;
    for (visited = 0; pointer >= 0x40 && pointer + 16 <= sizeof(config) && visited < 48; visited++) {
        if (config[pointer] == PCI_CAPABILITY_ID_VENDOR_SPECIFIC) {
            type = config[pointer + VIRTIO_PCI_CAP_OFF_CFG_TYPE];
            offset = VioNetConfig32(config, pointer + VIRTIO_PCI_CAP_OFF_OFFSET);
            length = VioNetConfig32(config, pointer + VIRTIO_PCI_CAP_OFF_LENGTH);

            if (type >= VIRTIO_PCI_CAP_COMMON_CFG && type <= VIRTIO_PCI_CAP_DEVICE_CFG &&
                (found & (1u << type)) == 0 &&
                config[pointer + VIRTIO_PCI_CAP_OFF_BAR] <= 5 &&
                (bar == 0xFFFFFFFF || bar == config[pointer + VIRTIO_PCI_CAP_OFF_BAR])) {

                bar = config[pointer + VIRTIO_PCI_CAP_OFF_BAR];
                found |= 1u << type;
                switch (type) {
                case VIRTIO_PCI_CAP_COMMON_CFG:
                    Adapter->CommonOffset = offset;
                    break;
                case VIRTIO_PCI_CAP_NOTIFY_CFG:
                    Adapter->NotifyOffset = offset;
                    Adapter->NotifyMultiplier =
                        VioNetConfig32(config, pointer + VIRTIO_PCI_CAP_OFF_NOTIFY_MULT);
                    break;
                case VIRTIO_PCI_CAP_ISR_CFG:
                    Adapter->IsrOffset = offset;
                    break;
                default:
                    Adapter->DeviceOffset = offset;
                    break;
                }
                if (offset + length > Adapter->BarLength || offset + length < offset) {
                    return NDIS_STATUS_ADAPTER_NOT_FOUND;
                }
            }
        }
        pointer = config[pointer + 1] & ~3u;
    }

    if (found != 0x1E) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }

    //
    // The structures must live in the memory BAR this driver was given.
    //
    barValue = VioNetConfig32(config, VIRTIO_PCI_CFG_BAR0 + 4 * bar);
    if ((barValue & 1) != 0 || (barValue & ~0xFu) != (Adapter->BarAddress.LowPart & ~0xFu)) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    Adapter->BarIndex = bar;
    return NDIS_STATUS_SUCCESS;
}


static
NDIS_STATUS
VioNetResetDevice(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Writes 0 to device_status and waits for it to read back 0 ("After
    writing 0 to device_status, the driver MUST wait for a read of
    device_status to return 0").

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_ADAPTER_NOT_FOUND (reads all ones), or
    NDIS_STATUS_FAILURE if the reset never completes.

--*/
{
    ULONG attempts;
    UCHAR status;

    VioNetWrite8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_STATUS), 0);
    for (attempts = 0; attempts < 1000; attempts++) {
        status = VioNetRead8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_STATUS));
        if (status == 0) {
            return NDIS_STATUS_SUCCESS;
        }
        if (status == 0xFF) {
            return NDIS_STATUS_ADAPTER_NOT_FOUND;
        }
        NdisStallExecution(10);
    }
    return NDIS_STATUS_FAILURE;
}


static
NDIS_STATUS
VioNetNegotiate(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    ACKNOWLEDGE, DRIVER, the number of queue pairs to use, the feature
    handshake and FEATURES_OK; then the MAC address and the link.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_ADAPTER_NOT_FOUND (no VERSION_1), or
    NDIS_STATUS_NOT_SUPPORTED (FEATURES_OK refused).

--*/
{
    ULONG64 offered;
    ULONG64 wanted;
    UCHAR status;
    ULONG i;
    ULONG pairs;

    VioNetWrite8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_STATUS),
                 VIRTIO_STATUS_ACKNOWLEDGE);
    VioNetWrite8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_STATUS),
                 VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_FEATURE_SELECT), 0);
    offered = VioNetRead32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_FEATURE));
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_FEATURE_SELECT), 1);
    offered |= (ULONG64)VioNetRead32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_FEATURE)) << 32;

    if ((offered & VIRTIO_FEATURE(VIRTIO_F_VERSION_1)) == 0) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }

    //
    // How many queue pairs: one per processor, as many as the device has
    // and the messages allow (a configuration message and one per queue).
    // max_virtqueue_pairs may be read before FEATURES_OK.
    //
    Adapter->MaxPairs = 1;
    if (offered & (VIRTIO_FEATURE(VIRTIO_NET_F_MQ) | VIRTIO_FEATURE(VIRTIO_NET_F_RSS))) {
        Adapter->MaxPairs = VioNetRead16(Adapter, Adapter->DeviceOffset + VIRTIO_NET_CONFIG_MAX_PAIRS);
        if (Adapter->MaxPairs == 0) {
            Adapter->MaxPairs = 1;
        }
    }
    pairs = 1;
    if ((offered & VIRTIO_FEATURE(VIRTIO_NET_F_MQ)) &&
        (offered & VIRTIO_FEATURE(VIRTIO_NET_F_CTRL_VQ)) &&
        Adapter->ResourceMessageBased && Adapter->ResourceMessages >= 5) {
        pairs = (Adapter->ResourceMessages - 1) / 2;
        if (pairs > Adapter->MaxPairs) {
            pairs = Adapter->MaxPairs;
        }
        if (pairs > VIONET_MAX_PAIRS) {
            pairs = VIONET_MAX_PAIRS;
        }
        if (pairs > (ULONG)NdisSystemProcessorCount()) {
            pairs = (ULONG)NdisSystemProcessorCount();
        }
        if (pairs == 0) {
            pairs = 1;
        }
    }
    Adapter->NumPairs = pairs;

    //
    // With one pair there is nothing to steer: no control queue, no MQ, no
    // RSS and no hash report.
    //
    wanted = offered & VIONET_WANTED_FEATURES;
    if (pairs == 1 || (wanted & VIRTIO_FEATURE(VIRTIO_NET_F_CTRL_VQ)) == 0) {
        wanted &= ~(VIRTIO_FEATURE(VIRTIO_NET_F_CTRL_VQ) | VIRTIO_FEATURE(VIRTIO_NET_F_MQ) |
                    VIRTIO_FEATURE(VIRTIO_NET_F_RSS) | VIRTIO_FEATURE(VIRTIO_NET_F_HASH_REPORT));
    }

    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DRIVER_FEATURE_SELECT), 0);
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DRIVER_FEATURE), (ULONG)wanted);
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DRIVER_FEATURE_SELECT), 1);
    VioNetWrite32(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DRIVER_FEATURE), (ULONG)(wanted >> 32));

    VioNetWrite8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_STATUS),
                 VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    status = VioNetRead8(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_DEVICE_STATUS));
    if ((status & VIRTIO_STATUS_FEATURES_OK) == 0) {
        return NDIS_STATUS_NOT_SUPPORTED;
    }
    Adapter->Features = wanted;

    if (wanted & VIRTIO_FEATURE(VIRTIO_NET_F_MAC)) {
        for (i = 0; i < VIONET_MAC_ADDRESS_LENGTH; i++) {
            Adapter->PermanentAddress[i] =
                VioNetRead8(Adapter, Adapter->DeviceOffset + VIRTIO_NET_CONFIG_MAC + i);
        }
    } else {
        //
        // No address from the device: a locally administered one.
        //
        Adapter->PermanentAddress[0] = 0x02;
        Adapter->PermanentAddress[5] = 0x01;
    }
    NdisMoveMemory(Adapter->CurrentAddress, Adapter->PermanentAddress, VIONET_MAC_ADDRESS_LENGTH);

    Adapter->LinkUp = VioNetReadLinkUp(Adapter);

    Adapter->HdrLen = (wanted & VIRTIO_FEATURE(VIRTIO_NET_F_HASH_REPORT)) ?
                      sizeof(VIRTIO_NET_HDR_HASH) : sizeof(VIRTIO_NET_HDR);
    Adapter->RssAvailable = (wanted & VIRTIO_FEATURE(VIRTIO_NET_F_RSS)) != 0 && pairs > 1;
    return NDIS_STATUS_SUCCESS;
}


static
NDIS_STATUS
VioNetRegisterDma(
    _In_ PVIONET_ADAPTER Adapter
    )
{
    NDIS_STATUS status;
    NDIS_SG_DMA_DESCRIPTION dma;

    NdisZeroMemory(&dma, sizeof(dma));
    dma.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
    dma.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
    dma.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
    dma.Flags = NDIS_SG_DMA_64_BIT_ADDRESS;
    dma.MaximumPhysicalMapping = VIONET_TX_SLOT_SIZE;
    dma.ProcessSGListHandler = VioNetProcessSGList;

    status = NdisMRegisterScatterGatherDma(Adapter->AdapterHandle, &dma, &Adapter->DmaHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        Adapter->DmaHandle = NULL;
    }
    return status;
}


static
NDIS_STATUS
VioNetAllocateNblPool(
    _In_ PVIONET_ADAPTER Adapter
    )
{
    NET_BUFFER_LIST_POOL_PARAMETERS poolParameters;

    NdisZeroMemory(&poolParameters, sizeof(poolParameters));
    poolParameters.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    poolParameters.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    poolParameters.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    poolParameters.ProtocolId = NDIS_PROTOCOL_ID_DEFAULT;
    poolParameters.fAllocateNetBuffer = TRUE;
    poolParameters.PoolTag = VIONET_POOL_TAG;

    Adapter->NblPool = NdisAllocateNetBufferListPool(Adapter->AdapterHandle, &poolParameters);
    return Adapter->NblPool != NULL ? NDIS_STATUS_SUCCESS : NDIS_STATUS_RESOURCES;
}


static
USHORT
VioNetControlQueueIndex(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    controlq is virtqueue 2N, N = max_virtqueue_pairs with VIRTIO_NET_F_MQ
    and 1 without ("Network Device / Virtqueues").

--*/
{
    return (USHORT)(2 * Adapter->MaxPairs);
}


static
NDIS_STATUS
VioNetAllocateQueues(
    _In_ PVIONET_ADAPTER Adapter
    )
{
    NDIS_STATUS status;
    ULONG p;

    for (p = 0; p < Adapter->NumPairs; p++) {
        status = VioNetAllocateRxQueue(Adapter, &Adapter->RxQueue[p], (USHORT)(2 * p),
                                       VIONET_QUEUE_SIZE);
        if (status != NDIS_STATUS_SUCCESS) {
            return status;
        }
        status = VioNetAllocateTxQueue(Adapter, &Adapter->TxQueue[p], (USHORT)(2 * p + 1),
                                       VIONET_QUEUE_SIZE);
        if (status != NDIS_STATUS_SUCCESS) {
            return status;
        }
    }

    if (Adapter->NumPairs > 1) {
        status = VioNetAllocateQueue(Adapter, &Adapter->CtrlQueue,
                                     VioNetControlQueueIndex(Adapter),
                                     VIONET_CTRL_QUEUE_SIZE);
        if (status != NDIS_STATUS_SUCCESS) {
            return status;
        }
        NdisMAllocateSharedMemory(Adapter->AdapterHandle, VIONET_CTRL_BUFFER_SIZE, FALSE,
                                  (PVOID *)&Adapter->CtrlBuffer,
                                  &Adapter->CtrlBufferLogical);
        if (Adapter->CtrlBuffer == NULL) {
            return NDIS_STATUS_RESOURCES;
        }
    }
    return NDIS_STATUS_SUCCESS;
}


static
NDIS_STATUS
VioNetActivateQueues(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Maps the configuration change event and each queue to its MSI-X vector
    (checking that each mapping reads back) and enables the queues.

Return Value:

    NDIS_STATUS_SUCCESS, or NDIS_STATUS_RESOURCES if the device refused a
    vector.

--*/
{
    USHORT rxVector = VIRTIO_MSI_NO_VECTOR;
    USHORT txVector = VIRTIO_MSI_NO_VECTOR;
    USHORT configVector = VIRTIO_MSI_NO_VECTOR;
    ULONG p;

    if (Adapter->InterruptMode != VioNetInterruptLine) {
        configVector = 0;
    }
    VioNetWrite16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_CONFIG_MSIX_VECTOR), configVector);
    if (VioNetRead16(Adapter, VioNetCommon(Adapter, VIRTIO_COMMON_CONFIG_MSIX_VECTOR)) != configVector) {
        return NDIS_STATUS_RESOURCES;
    }

    for (p = 0; p < Adapter->NumPairs; p++) {
        if (Adapter->InterruptMode == VioNetInterruptPerQueue) {
            rxVector = (USHORT)(1 + 2 * p);
            txVector = (USHORT)(2 + 2 * p);
        } else if (Adapter->InterruptMode == VioNetInterruptShared) {
            rxVector = 0;
            txVector = 0;
        }
        if (!VioNetActivateQueue(Adapter, &Adapter->RxQueue[p].Vq, rxVector) ||
            !VioNetActivateQueue(Adapter, &Adapter->TxQueue[p].Vq, txVector)) {
            return NDIS_STATUS_RESOURCES;
        }
    }

    if (Adapter->NumPairs > 1 &&
        !VioNetActivateQueue(Adapter, &Adapter->CtrlQueue, VIRTIO_MSI_NO_VECTOR)) {
        return NDIS_STATUS_RESOURCES;
    }
    return NDIS_STATUS_SUCCESS;
}


_Use_decl_annotations_
BOOLEAN
VioNetControlCommand(
    PVIONET_ADAPTER Adapter,
    ULONG Length
    )
/*++

Routine Description:

    Sends the command the caller put at the start of CtrlBuffer (class,
    command, data: one device-readable descriptor) with the ack in the
    buffer's last byte (one device-writable descriptor), and polls the
    control queue's used ring, with a bound: the queue has no vector, and
    its notifications are off (the flag, or a used_event the index will not
    reach for 65535 entries). OIDs and initialization are serialized, so
    one command is in flight at a time.

Return Value:

    TRUE if the device acknowledged the command with VIRTIO_NET_OK.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVIONET_QUEUE queue = &Adapter->CtrlQueue;
    ULONGLONG address = (ULONGLONG)Adapter->CtrlBufferLogical.QuadPart;
    PUCHAR ack = Adapter->CtrlBuffer + VIONET_CTRL_BUFFER_SIZE - 1;
    ULONG attempts;
    ULONG length;
    USHORT id;
    BOOLEAN done = FALSE;

    if (Adapter->CtrlBuffer == NULL || Length >= VIONET_CTRL_BUFFER_SIZE) {
        return FALSE;
    }
    *ack = 0xFF;

    NdisAcquireSpinLock(&queue->Lock);
    queue->Desc[0].Address = address;
    queue->Desc[0].Length = Length;
    queue->Desc[0].Flags = VIRTQ_DESC_F_NEXT;
    queue->Desc[0].Next = 1;
    queue->Desc[1].Address = address + VIONET_CTRL_BUFFER_SIZE - 1;
    queue->Desc[1].Length = 1;
    queue->Desc[1].Flags = VIRTQ_DESC_F_WRITE;
    queue->Desc[1].Next = 0;
    *VIRTQ_AVAIL_FLAGS(queue->Avail) = VIRTQ_AVAIL_F_NO_INTERRUPT;
    *VIRTQ_USED_EVENT(queue->Avail, queue->Size) = (USHORT)(queue->LastUsed - 1);
    VioNetQueueAdd(queue, 0);
    VioNetQueueKick(queue);
    NdisReleaseSpinLock(&queue->Lock);

    for (attempts = 0; attempts < 10000 && !done; attempts++) {
        NdisAcquireSpinLock(&queue->Lock);
        done = VioNetQueueGetUsed(queue, &id, &length);
        NdisReleaseSpinLock(&queue->Lock);
        if (!done) {
            NdisStallExecution(10);
        }
    }

    return done && *ack == VIRTIO_NET_OK;
}


static
BOOLEAN
VioNetSetQueuePairs(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ ULONG Pairs
    )
/*++

Routine Description:

    VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET: automatic receive steering over Pairs
    queue pairs.

--*/
{
    Adapter->CtrlBuffer[0] = VIRTIO_NET_CTRL_MQ;
    Adapter->CtrlBuffer[1] = VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET;
    Adapter->CtrlBuffer[2] = (UCHAR)Pairs;
    Adapter->CtrlBuffer[3] = (UCHAR)(Pairs >> 8);
    return VioNetControlCommand(Adapter, 4);
}


static
VOID
VioNetFillRssCapabilities(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    The RSS capabilities for the general attributes and
    OID_GEN_RECEIVE_SCALE_CAPABILITIES: Toeplitz over TCP/IPv4 and
    TCP/IPv6 (and the addresses of other IP packets), one receive queue per
    pair, each with its own MSI-X message.

--*/
{
    PNDIS_RECEIVE_SCALE_CAPABILITIES caps = &Adapter->RssCapabilities;

    NdisZeroMemory(caps, sizeof(NDIS_RECEIVE_SCALE_CAPABILITIES));
    caps->Header.Type = NDIS_OBJECT_TYPE_RSS_CAPABILITIES;
    caps->Header.Revision = NDIS_RECEIVE_SCALE_CAPABILITIES_REVISION_1;
    caps->Header.Size = NDIS_SIZEOF_RECEIVE_SCALE_CAPABILITIES_REVISION_1;
    caps->CapabilitiesFlags = NdisHashFunctionToeplitz |
                              NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4 |
                              NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6 |
                              NDIS_RSS_CAPS_MESSAGE_SIGNALED_INTERRUPTS |
                              NDIS_RSS_CAPS_CLASSIFICATION_AT_ISR |
                              NDIS_RSS_CAPS_USING_MSI_X;
    caps->NumberOfInterruptMessages = Adapter->ResourceMessages;
    caps->NumberOfReceiveQueues = Adapter->NumPairs;
}


static
VOID
VioNetFreeQueues(
    _In_ PVIONET_ADAPTER Adapter
    )
{
    ULONG p;

    for (p = 0; p < VIONET_MAX_PAIRS; p++) {
        VioNetFreeTxQueue(Adapter, &Adapter->TxQueue[p]);
        VioNetFreeRxQueue(Adapter, &Adapter->RxQueue[p]);
    }
    if (Adapter->CtrlBuffer != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle, VIONET_CTRL_BUFFER_SIZE, FALSE,
                              Adapter->CtrlBuffer, Adapter->CtrlBufferLogical);
        Adapter->CtrlBuffer = NULL;
    }
    VioNetFreeQueue(Adapter, &Adapter->CtrlQueue);
}


static
VOID
VioNetFreeAdapter(
    _In_ PVIONET_ADAPTER Adapter
    )
{
    if (Adapter->LockAllocated) {
        NdisFreeSpinLock(&Adapter->Lock);
        Adapter->LockAllocated = FALSE;
    }
    NdisFreeMemory(Adapter, 0, 0);
}


static
VOID
VioNetStartWatchdog(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Starts the lost-interrupt watchdog in the message modes (a line-based
    interrupt is a level: it is not lost). Without the timer object the
    adapter still works; it only cannot recover a lost message.

IRQL:

    PASSIVE_LEVEL

--*/
{
    NDIS_TIMER_CHARACTERISTICS timer;
    LARGE_INTEGER due;

    Adapter->WatchdogTimer = NULL;
    if (Adapter->InterruptMode == VioNetInterruptLine) {
        return;
    }

    NdisZeroMemory(&timer, sizeof(timer));
    timer.Header.Type = NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS;
    timer.Header.Revision = NDIS_TIMER_CHARACTERISTICS_REVISION_1;
    timer.Header.Size = NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1;
    timer.AllocationTag = VIONET_POOL_TAG;
    timer.TimerFunction = VioNetWatchdogTimer;
    timer.FunctionContext = Adapter;

    if (NdisAllocateTimerObject(Adapter->AdapterHandle, &timer, &Adapter->WatchdogTimer) !=
        NDIS_STATUS_SUCCESS) {
        Adapter->WatchdogTimer = NULL;
        return;
    }
    due.QuadPart = -10000LL * VIONET_WATCHDOG_PERIOD_MS;
    NdisSetTimerObject(Adapter->WatchdogTimer, due, VIONET_WATCHDOG_PERIOD_MS, NULL);
}


static
VOID
VioNetStopWatchdog(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Stops the watchdog: no run starts its work once Stopping is set, the
    timer is cancelled, and a run already inside the function (a DPC on
    another processor) is waited for before the timer is freed.

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
VioNetQueueStalled(
    _In_ PVIONET_QUEUE Queue,
    _Inout_ PULONG WatchUsed
    )
/*++

Routine Description:

    TRUE when the queue had used buffers at the previous tick and no DPC
    has consumed one since. Remembers this tick's state for the next.

IRQL:

    DISPATCH_LEVEL

--*/
{
    BOOLEAN stalled = FALSE;
    ULONG seen = 0;

    NdisDprAcquireSpinLock(&Queue->Lock);
    if (VioNetQueueHasUsed(Queue)) {
        seen = (ULONG)Queue->LastUsed + 1;
        stalled = (*WatchUsed == seen);
    }
    NdisDprReleaseSpinLock(&Queue->Lock);
    *WatchUsed = stalled ? 0 : seen;
    return stalled;
}


static
VOID
VioNetWatchdogTimer(
    PVOID SystemSpecific1,
    PVOID FunctionContext,
    PVOID SystemSpecific2,
    PVOID SystemSpecific3
    )
/*++

Routine Description:

    The lost-interrupt watchdog: a message one of whose queues has had used
    buffers for a whole period with no DPC to take them gets its DPC
    queued, on the processor its message targets, as its interrupt would
    have. Nothing happens while interrupts arrive.

IRQL:

    DISPATCH_LEVEL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)FunctionContext;
    GROUP_AFFINITY affinity;
    KAFFINITY target;
    ULONG message;
    ULONG q;
    BOOLEAN stalled;

    UNREFERENCED_PARAMETER(SystemSpecific1);
    UNREFERENCED_PARAMETER(SystemSpecific2);
    UNREFERENCED_PARAMETER(SystemSpecific3);

    InterlockedIncrement(&adapter->WatchdogActive);
    //
    // Halt sets WatchdogStopping with InterlockedExchange: read it
    // interlocked too, so the two are ordered (not a data race). The timer
    // runs only between VioNetStartWatchdog (after InterruptReady is set)
    // and VioNetStopWatchdog (before it is cleared): no need to look at it.
    //
    if (InterlockedOr(&adapter->WatchdogStopping, 0) != 0 || adapter->SurpriseRemoved) {
        InterlockedDecrement(&adapter->WatchdogActive);
        return;
    }

    for (message = 0; message < adapter->MessageCount; message++) {
        stalled = FALSE;
        for (q = 0; q < 2 * adapter->NumPairs; q++) {
            if ((adapter->MessageService[message] & (1u << q)) == 0) {
                continue;
            }
            if (VioNetQueueStalled((q & 1) ? &adapter->TxQueue[q / 2].Vq
                                           : &adapter->RxQueue[q / 2].Vq,
                                   &adapter->WatchUsed[q])) {
                stalled = TRUE;
            }
        }
        if (!stalled) {
            continue;
        }
        //
        // The lowest processor the message targets, as its interrupt would.
        //
        target = adapter->MessageInfoTable->MessageInfo[message].TargetProcessorSet;
        NdisZeroMemory(&affinity, sizeof(affinity));
        affinity.Mask = target & (~target + 1);
        if (affinity.Mask == 0) {
            affinity.Mask = (KAFFINITY)1 << NdisCurrentProcessorIndex();
        }
        InterlockedIncrement(&adapter->DpcsRequeuedByWatchdog);
        NdisMQueueDpcEx(adapter->InterruptHandle, message, &affinity, NULL);
    }
    InterlockedDecrement(&adapter->WatchdogActive);
}
