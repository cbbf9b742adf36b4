/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    vn1_line.c

Abstract:

    A complete NDIS 6.20 miniport for the VN-1 NIC with a line-based
    interrupt and one queue pair, in one file, built the way a user builds
    a driver for ndisrt:

        cc -shared -fPIC -I include vn1_line.c -o vn1_line.so

    It asks for a line-based interrupt only (MsiSupported is FALSE), so the
    VN-1 must be configured with an INTx resource. One receive ring, one
    transmit ring, frames copied to and from buffers in shared memory.

    Interrupt path:
      MiniportInterrupt     reads ICR once (read-to-clear). Zero: the
                            shared line belongs to another device. Otherwise
                            masks every cause with IMC and asks for the DPC.
      MiniportInterruptDPC  completes sends, indicates received frames one
                            NBL per NdisMIndicateReceiveNetBufferLists call
                            (at most MaxNblsToIndicate), then unmasks through
                            NdisMSynchronizeWithInterruptEx, unless frames
                            remain, in which case MoreNblsPending is set.

--*/

#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1

#include <ndis.h>

//
// VN-1 registers and bits (VN-1 datasheet §3-§5, §9).
//
#define MM_PCI_VENDOR_ID        0x1D6E
#define MM_PCI_DEVICE_ID        0x0001
#define MM_BAR0_LENGTH          0x8000

#define MM_REG_CTRL             0x0000
#define MM_REG_STATUS           0x0004
#define MM_REG_MAC_LO           0x0008
#define MM_REG_MAC_HI           0x000C
#define MM_REG_RXFILTER         0x0010
#define MM_REG_ICR              0x00C0
#define MM_REG_IMS              0x00D0
#define MM_REG_IMC              0x00D8
#define MM_REG_IMODE            0x00E4
#define MM_REG_RDBAL            0x1000
#define MM_REG_RDBAH            0x1004
#define MM_REG_RDLEN            0x1008
#define MM_REG_RDT              0x1018
#define MM_REG_RXDCTL           0x1020
#define MM_REG_RBUFSZ           0x1028
#define MM_REG_TDBAL            0x1200
#define MM_REG_TDBAH            0x1204
#define MM_REG_TDLEN            0x1208
#define MM_REG_TDT              0x1218
#define MM_REG_TXDCTL           0x1220

#define MM_CTRL_RST             0x00000001
#define MM_CTRL_RXEN            0x00000002
#define MM_CTRL_TXEN            0x00000004
#define MM_STATUS_LU            0x00000001
#define MM_RXFILTER_UCAST       0x00000001
#define MM_RXFILTER_MCAST       0x00000002
#define MM_RXFILTER_BCAST       0x00000004
#define MM_RXFILTER_PROMISC     0x00000008
#define MM_DCTL_ENABLE          0x00000001

#define MM_ICR_RXQ0             ((ULONG)0x00000001)
#define MM_ICR_TXQ0             ((ULONG)0x00000100)
#define MM_ICR_LSC              ((ULONG)0x00010000)
#define MM_ICR_RXO              ((ULONG)0x00020000)
#define MM_ICR_ERR              ((ULONG)0x00040000)
#define MM_ICR_ALL              ((ULONG)0x0007FFFF)
#define MM_ICR_SERVICED         (MM_ICR_RXQ0 | MM_ICR_TXQ0 | MM_ICR_LSC | MM_ICR_RXO | MM_ICR_ERR)

typedef struct _MM_DESC {           // receive and transmit descriptors, 16 bytes
    ULONGLONG   BufferAddress;
    USHORT      Length;
    UCHAR       StatusOrCommand;    // RX: status; TX: command
    UCHAR       TxStatus;           // RX: RSS type; TX: status
    ULONG       RssHash;
} MM_DESC, *PMM_DESC;

#define MM_RXD_DD               0x01
#define MM_RXD_EOP              0x02
#define MM_TXD_CMD_EOP          0x01
#define MM_TXD_CMD_RS           0x02
#define MM_TXD_STAT_DD          0x01

#define MM_RING_SIZE            64
#define MM_RING_MASK            (MM_RING_SIZE - 1)
#define MM_BUFFER_SIZE          2048
#define MM_MAX_FRAME            1514
#define MM_MIN_FRAME            14
#define MM_TAG                  ((ULONG)0x4D4D4E56)

typedef struct _MM_ADAPTER {
    NDIS_HANDLE             AdapterHandle;
    NDIS_HANDLE             InterruptHandle;
    NDIS_HANDLE             DmaHandle;
    NDIS_HANDLE             NblPool;
    NDIS_PHYSICAL_ADDRESS   Bar0;
    PUCHAR                  Registers;
    UCHAR                   MacAddress[6];
    ULONG                   PacketFilter;
    volatile LONG           PendingCauses;      // ICR bits saved by the ISR

    NDIS_SPIN_LOCK          Lock;               // everything below
    BOOLEAN                 Running;
    BOOLEAN                 Pausing;
    LONG                    Outstanding;        // indicated NBLs + queued sends

    PMM_DESC                RxRing;
    NDIS_PHYSICAL_ADDRESS   RxRingPa;
    PUCHAR                  RxBuffers;
    NDIS_PHYSICAL_ADDRESS   RxBuffersPa;
    PNET_BUFFER_LIST        RxNbl[MM_RING_SIZE];    // NBL of buffer i
    PMDL                    RxMdl[MM_RING_SIZE];
    BOOLEAN                 RxHeld[MM_RING_SIZE];   // indicated, not yet returned
    ULONG                   RxNext;                 // next slot the device completes
    ULONG                   RxTail;                 // RDT

    PMM_DESC                TxRing;
    NDIS_PHYSICAL_ADDRESS   TxRingPa;
    PUCHAR                  TxBuffers;
    NDIS_PHYSICAL_ADDRESS   TxBuffersPa;
    PNET_BUFFER_LIST        TxNbl[MM_RING_SIZE];
    ULONG                   TxNext;                 // next slot to reap
    ULONG                   TxReserved;             // next slot for a sender
    ULONG                   TxPublished;            // TDT
    ULONG                   TxInUse;
    ULONG                   TxFilling;              // senders copying outside the lock
} MM_ADAPTER, *PMM_ADAPTER;

typedef struct _MM_SYNC_CONTEXT {
    PMM_ADAPTER Adapter;
    ULONG       DisableCauses;      // to IMC
    ULONG       EnableCauses;       // then to IMS
} MM_SYNC_CONTEXT, *PMM_SYNC_CONTEXT;

DRIVER_INITIALIZE DriverEntry;
MINIPORT_INITIALIZE MmInitializeEx;
MINIPORT_HALT MmHaltEx;
MINIPORT_UNLOAD MmUnload;
MINIPORT_PAUSE MmPause;
MINIPORT_RESTART MmRestart;
MINIPORT_OID_REQUEST MmOidRequest;
MINIPORT_CANCEL_OID_REQUEST MmCancelOidRequest;
MINIPORT_SEND_NET_BUFFER_LISTS MmSendNetBufferLists;
MINIPORT_CANCEL_SEND MmCancelSend;
MINIPORT_RETURN_NET_BUFFER_LISTS MmReturnNetBufferLists;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY MmDevicePnPEventNotify;
MINIPORT_SHUTDOWN MmShutdownEx;
MINIPORT_RESET MmResetEx;
MINIPORT_PROCESS_SG_LIST MmProcessSGList;
MINIPORT_ISR MmInterrupt;
MINIPORT_INTERRUPT_DPC MmInterruptDpc;
MINIPORT_ENABLE_INTERRUPT MmEnableInterrupt;
MINIPORT_DISABLE_INTERRUPT MmDisableInterrupt;
MINIPORT_SYNCHRONIZE_INTERRUPT MmSynchronizeMask;

static NDIS_HANDLE MmDriverHandle;

static NDIS_OID MmSupportedOids[] = {
    OID_GEN_SUPPORTED_LIST,
    OID_GEN_MEDIA_SUPPORTED,
    OID_GEN_MEDIA_IN_USE,
    OID_GEN_MAXIMUM_FRAME_SIZE,
    OID_GEN_MAXIMUM_TOTAL_SIZE,
    OID_GEN_CURRENT_PACKET_FILTER,
    OID_GEN_INTERRUPT_MODERATION,
    OID_802_3_PERMANENT_ADDRESS,
    OID_802_3_CURRENT_ADDRESS,
};

static __inline ULONG
MmRead(_In_ PMM_ADAPTER Adapter, _In_ ULONG Offset)
{
    ULONG value;

    NdisReadRegisterUlong((PULONG)(Adapter->Registers + Offset), &value);
    return value;
}

static __inline VOID
MmWrite(_In_ PMM_ADAPTER Adapter, _In_ ULONG Offset, _In_ ULONG Value)
{
    NdisWriteRegisterUlong((PULONG)(Adapter->Registers + Offset), Value);
}


/*++

Routine Description:

    Drops one reference on the data path; the last one completes a pending
    pause.

IRQL:

    <= DISPATCH_LEVEL

--*/
static VOID
MmDereference(
    _In_ PMM_ADAPTER Adapter,
    _In_ LONG Count
    )
{
    BOOLEAN complete = FALSE;

    if (Count == 0) {
        return;
    }
    NdisAcquireSpinLock(&Adapter->Lock);
    Adapter->Outstanding -= Count;
    if (Adapter->Pausing && Adapter->Outstanding == 0) {
        Adapter->Pausing = FALSE;
        complete = TRUE;
    }
    NdisReleaseSpinLock(&Adapter->Lock);

    if (complete) {
        NdisMPauseComplete(Adapter->AdapterHandle);
    }
}


/*++

Routine Description:

    Registers the miniport driver with NDIS.

IRQL:

    PASSIVE_LEVEL

--*/
_Use_decl_annotations_
NTSTATUS
DriverEntry(
    PDRIVER_OBJECT DriverObject,
    PUNICODE_STRING RegistryPath
    )
{
    NDIS_MINIPORT_DRIVER_CHARACTERISTICS chars;

    NdisZeroMemory(&chars, sizeof(chars));
    chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
    chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
    chars.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
    chars.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
    chars.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
    chars.MajorDriverVersion = 1;
    chars.MinorDriverVersion = 0;

    chars.InitializeHandlerEx = MmInitializeEx;
    chars.HaltHandlerEx = MmHaltEx;
    chars.UnloadHandler = MmUnload;
    chars.PauseHandler = MmPause;
    chars.RestartHandler = MmRestart;
    chars.OidRequestHandler = MmOidRequest;
    chars.SendNetBufferListsHandler = MmSendNetBufferLists;
    chars.ReturnNetBufferListsHandler = MmReturnNetBufferLists;
    chars.CancelSendHandler = MmCancelSend;
    chars.ResetHandlerEx = MmResetEx;
    chars.DevicePnPEventNotifyHandler = MmDevicePnPEventNotify;
    chars.ShutdownHandlerEx = MmShutdownEx;
    chars.CancelOidRequestHandler = MmCancelOidRequest;

    return (NTSTATUS)NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL,
                                                 &chars, &MmDriverHandle);
}


/*++

Routine Description:

    Deregisters the driver.

IRQL:

    PASSIVE_LEVEL

--*/
_Use_decl_annotations_
VOID
MmUnload(
    PDRIVER_OBJECT DriverObject
    )
{
    UNREFERENCED_PARAMETER(DriverObject);
    NdisMDeregisterMiniportDriver(MmDriverHandle);
}


/*++

Routine Description:

    Frees the rings, the receive NBLs and MDLs, the pool and the DMA
    registration: whatever part of them exists.

IRQL:

    PASSIVE_LEVEL

--*/
static VOID
MmFreeResources(
    _In_ PMM_ADAPTER Adapter
    )
{
    ULONG i;

    for (i = 0; i < MM_RING_SIZE; i++) {
        if (Adapter->RxNbl[i] != NULL) {
            NdisFreeNetBufferList(Adapter->RxNbl[i]);
        }
        if (Adapter->RxMdl[i] != NULL) {
            NdisFreeMdl(Adapter->RxMdl[i]);
        }
    }
    if (Adapter->TxBuffers != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle, MM_RING_SIZE * MM_BUFFER_SIZE, FALSE,
                              Adapter->TxBuffers, Adapter->TxBuffersPa);
    }
    if (Adapter->TxRing != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle, MM_RING_SIZE * sizeof(MM_DESC), FALSE,
                              Adapter->TxRing, Adapter->TxRingPa);
    }
    if (Adapter->RxBuffers != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle, MM_RING_SIZE * MM_BUFFER_SIZE, FALSE,
                              Adapter->RxBuffers, Adapter->RxBuffersPa);
    }
    if (Adapter->RxRing != NULL) {
        NdisMFreeSharedMemory(Adapter->AdapterHandle, MM_RING_SIZE * sizeof(MM_DESC), FALSE,
                              Adapter->RxRing, Adapter->RxRingPa);
    }
    if (Adapter->NblPool != NULL) {
        NdisFreeNetBufferListPool(Adapter->NblPool);
    }
    if (Adapter->DmaHandle != NULL) {
        NdisMDeregisterScatterGatherDma(Adapter->DmaHandle);
    }
    if (Adapter->Registers != NULL) {
        NdisMUnmapIoSpace(Adapter->AdapterHandle, Adapter->Registers, MM_BAR0_LENGTH);
    }
    NdisFreeSpinLock(&Adapter->Lock);
    NdisFreeMemory(Adapter, 0, 0);
}


/*++

Routine Description:

    Allocates the DMA channel, the NBL pool, both rings and one NBL + MDL
    per receive buffer.

IRQL:

    PASSIVE_LEVEL

--*/
static NDIS_STATUS
MmAllocateResources(
    _In_ PMM_ADAPTER Adapter
    )
{
    NDIS_SG_DMA_DESCRIPTION dma;
    NET_BUFFER_LIST_POOL_PARAMETERS pool;
    NDIS_STATUS status;
    ULONG i;

    NdisZeroMemory(&dma, sizeof(dma));
    dma.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
    dma.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
    dma.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
    dma.Flags = NDIS_SG_DMA_64_BIT_ADDRESS;
    dma.MaximumPhysicalMapping = MM_BUFFER_SIZE;
    dma.ProcessSGListHandler = MmProcessSGList;
    status = NdisMRegisterScatterGatherDma(Adapter->AdapterHandle, &dma, &Adapter->DmaHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        Adapter->DmaHandle = NULL;
        return status;
    }

    NdisZeroMemory(&pool, sizeof(pool));
    pool.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    pool.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    pool.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    pool.ProtocolId = NDIS_PROTOCOL_ID_DEFAULT;
    pool.fAllocateNetBuffer = TRUE;
    pool.PoolTag = MM_TAG;
    Adapter->NblPool = NdisAllocateNetBufferListPool(Adapter->AdapterHandle, &pool);
    if (Adapter->NblPool == NULL) {
        return NDIS_STATUS_RESOURCES;
    }

    NdisMAllocateSharedMemory(Adapter->AdapterHandle, MM_RING_SIZE * sizeof(MM_DESC), FALSE,
                              (PVOID *)&Adapter->RxRing, &Adapter->RxRingPa);
    NdisMAllocateSharedMemory(Adapter->AdapterHandle, MM_RING_SIZE * MM_BUFFER_SIZE, FALSE,
                              (PVOID *)&Adapter->RxBuffers, &Adapter->RxBuffersPa);
    NdisMAllocateSharedMemory(Adapter->AdapterHandle, MM_RING_SIZE * sizeof(MM_DESC), FALSE,
                              (PVOID *)&Adapter->TxRing, &Adapter->TxRingPa);
    NdisMAllocateSharedMemory(Adapter->AdapterHandle, MM_RING_SIZE * MM_BUFFER_SIZE, FALSE,
                              (PVOID *)&Adapter->TxBuffers, &Adapter->TxBuffersPa);
    if (Adapter->RxRing == NULL || Adapter->RxBuffers == NULL ||
        Adapter->TxRing == NULL || Adapter->TxBuffers == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(Adapter->RxRing, MM_RING_SIZE * sizeof(MM_DESC));
    NdisZeroMemory(Adapter->TxRing, MM_RING_SIZE * sizeof(MM_DESC));

    for (i = 0; i < MM_RING_SIZE; i++) {
        Adapter->RxMdl[i] = NdisAllocateMdl(Adapter->AdapterHandle,
                                            Adapter->RxBuffers + i * MM_BUFFER_SIZE,
                                            MM_BUFFER_SIZE);
        if (Adapter->RxMdl[i] == NULL) {
            return NDIS_STATUS_RESOURCES;
        }
        Adapter->RxNbl[i] = NdisAllocateNetBufferAndNetBufferList(Adapter->NblPool, 0, 0,
                                                                  Adapter->RxMdl[i], 0, 0);
        if (Adapter->RxNbl[i] == NULL) {
            return NDIS_STATUS_RESOURCES;
        }
        // The slot index travels with the NBL, for MiniportReturnNetBufferLists.
        NET_BUFFER_LIST_MINIPORT_RESERVED(Adapter->RxNbl[i])[0] = (PVOID)(ULONG_PTR)i;
    }

    return NDIS_STATUS_SUCCESS;
}


/*++

Routine Description:

    Points the device at the rings, posts every receive buffer but one,
    and turns on receive and transmit.

IRQL:

    PASSIVE_LEVEL

--*/
static VOID
MmStartDevice(
    _In_ PMM_ADAPTER Adapter
    )
{
    ULONG i;

    for (i = 0; i < MM_RING_SIZE; i++) {
        Adapter->RxRing[i].BufferAddress =
            (ULONGLONG)(Adapter->RxBuffersPa.QuadPart + (LONGLONG)i * MM_BUFFER_SIZE);
    }
    Adapter->RxNext = 0;
    Adapter->RxTail = MM_RING_SIZE - 1;

    MmWrite(Adapter, MM_REG_IMODE, 0);
    MmWrite(Adapter, MM_REG_RDBAL, Adapter->RxRingPa.LowPart);
    MmWrite(Adapter, MM_REG_RDBAH, (ULONG)Adapter->RxRingPa.HighPart);
    MmWrite(Adapter, MM_REG_RDLEN, MM_RING_SIZE);
    MmWrite(Adapter, MM_REG_RBUFSZ, MM_BUFFER_SIZE);
    MmWrite(Adapter, MM_REG_RDT, Adapter->RxTail);
    MmWrite(Adapter, MM_REG_RXDCTL, MM_DCTL_ENABLE);

    MmWrite(Adapter, MM_REG_TDBAL, Adapter->TxRingPa.LowPart);
    MmWrite(Adapter, MM_REG_TDBAH, (ULONG)Adapter->TxRingPa.HighPart);
    MmWrite(Adapter, MM_REG_TDLEN, MM_RING_SIZE);
    Adapter->TxNext = Adapter->TxReserved = Adapter->TxPublished = 0;
    MmWrite(Adapter, MM_REG_TDT, 0);
    MmWrite(Adapter, MM_REG_TXDCTL, MM_DCTL_ENABLE);

    MmWrite(Adapter, MM_REG_RXFILTER, MM_RXFILTER_UCAST | MM_RXFILTER_MCAST | MM_RXFILTER_BCAST);
    MmWrite(Adapter, MM_REG_CTRL, MM_CTRL_RXEN | MM_CTRL_TXEN);
}


/*++

Routine Description:

    Reports the adapter to NDIS: Ethernet, the MAC address, the link.

IRQL:

    PASSIVE_LEVEL

--*/
static NDIS_STATUS
MmSetGeneralAttributes(
    _In_ PMM_ADAPTER Adapter
    )
{
    NDIS_MINIPORT_ADAPTER_ATTRIBUTES attributes;
    PNDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES general = &attributes.GeneralAttributes;
    NDIS_PM_CAPABILITIES pm;
    BOOLEAN up = (MmRead(Adapter, MM_REG_STATUS) & MM_STATUS_LU) != 0;

    NdisZeroMemory(&pm, sizeof(pm));
    pm.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    pm.Header.Revision = NDIS_PM_CAPABILITIES_REVISION_1;
    pm.Header.Size = NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_1;

    NdisZeroMemory(&attributes, sizeof(attributes));
    general->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;
    general->Header.Revision = NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
    general->Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
    general->MediaType = NdisMedium802_3;
    general->PhysicalMediumType = NdisPhysicalMedium802_3;
    general->MtuSize = MM_MAX_FRAME - MM_MIN_FRAME;
    general->MaxXmitLinkSpeed = general->MaxRcvLinkSpeed = 10000000000ULL;
    general->XmitLinkSpeed = general->RcvLinkSpeed = up ? 10000000000ULL : NDIS_LINK_SPEED_UNKNOWN;
    general->MediaConnectState = up ? MediaConnectStateConnected : MediaConnectStateDisconnected;
    general->MediaDuplexState = MediaDuplexStateFull;
    general->LookaheadSize = MM_MAX_FRAME - MM_MIN_FRAME;
    general->MacOptions = NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA |
                          NDIS_MAC_OPTION_TRANSFERS_NOT_PEND |
                          NDIS_MAC_OPTION_NO_LOOPBACK;
    general->SupportedPacketFilters = NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST |
                                      NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_BROADCAST |
                                      NDIS_PACKET_TYPE_PROMISCUOUS;
    general->MacAddressLength = 6;
    NdisMoveMemory(general->PermanentMacAddress, Adapter->MacAddress, 6);
    NdisMoveMemory(general->CurrentMacAddress, Adapter->MacAddress, 6);
    general->AccessType = NET_IF_ACCESS_BROADCAST;
    general->DirectionType = NET_IF_DIRECTION_SENDRECEIVE;
    general->ConnectionType = NET_IF_CONNECTION_DEDICATED;
    general->IfType = IF_TYPE_ETHERNET_CSMACD;
    general->IfConnectorPresent = TRUE;
    general->SupportedPauseFunctions = NdisPauseFunctionsUnsupported;
    general->SupportedOidList = MmSupportedOids;
    general->SupportedOidListLength = sizeof(MmSupportedOids);
    general->PowerManagementCapabilitiesEx = &pm;

    return NdisMSetMiniportAttributes(Adapter->AdapterHandle, &attributes);
}


/*++

Routine Description:

    Claims BAR0 and the line-based interrupt of a VN-1, resets it and
    brings it up. Interrupts are registered last.

IRQL:

    PASSIVE_LEVEL

--*/
_Use_decl_annotations_
NDIS_STATUS
MmInitializeEx(
    NDIS_HANDLE MiniportAdapterHandle,
    NDIS_HANDLE MiniportDriverContext,
    PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters
    )
{
    NDIS_MINIPORT_ADAPTER_ATTRIBUTES attributes;
    NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS interrupt;
    PNDIS_RESOURCE_LIST resources = MiniportInitParameters->AllocatedResources;
    MM_SYNC_CONTEXT sync;
    PMM_ADAPTER adapter;
    NDIS_STATUS status;
    UCHAR config[4];
    BOOLEAN bar0Found = FALSE;
    ULONG value;
    ULONG i;

    UNREFERENCED_PARAMETER(MiniportDriverContext);

    adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(MM_ADAPTER),
                                                MM_TAG, NormalPoolPriority);
    if (adapter == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(adapter, sizeof(MM_ADAPTER));
    adapter->AdapterHandle = MiniportAdapterHandle;
    adapter->PacketFilter = NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST |
                            NDIS_PACKET_TYPE_BROADCAST;
    NdisAllocateSpinLock(&adapter->Lock);

    NdisZeroMemory(&attributes, sizeof(attributes));
    attributes.RegistrationAttributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
    attributes.RegistrationAttributes.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
    attributes.RegistrationAttributes.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
    attributes.RegistrationAttributes.MiniportAdapterContext = adapter;
    attributes.RegistrationAttributes.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE |
                                                       NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
    attributes.RegistrationAttributes.InterfaceType = NdisInterfacePci;
    status = NdisMSetMiniportAttributes(MiniportAdapterHandle, &attributes);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free;
    }

    for (i = 0; resources != NULL && i < resources->Count; i++) {
        if (resources->PartialDescriptors[i].Type == CmResourceTypeMemory && !bar0Found) {
            adapter->Bar0 = resources->PartialDescriptors[i].u.Memory.Start;
            bar0Found = TRUE;
        }
    }
    if (!bar0Found) {
        status = NDIS_STATUS_RESOURCE_CONFLICT;
        goto err_free;
    }

    status = NdisMMapIoSpace((PVOID *)&adapter->Registers, MiniportAdapterHandle,
                             adapter->Bar0, MM_BAR0_LENGTH);
    if (status != NDIS_STATUS_SUCCESS) {
        adapter->Registers = NULL;
        goto err_free;
    }

    if (NdisMGetBusData(MiniportAdapterHandle, PCI_WHICHSPACE_CONFIG, 0, config, 4) != 4 ||
        (config[0] | (config[1] << 8)) != MM_PCI_VENDOR_ID ||
        (config[2] | (config[3] << 8)) != MM_PCI_DEVICE_ID) {
        status = NDIS_STATUS_ADAPTER_NOT_FOUND;
        goto err_free;
    }

    MmWrite(adapter, MM_REG_CTRL, MM_CTRL_RST);
    for (i = 0; i < 100 && (MmRead(adapter, MM_REG_CTRL) & MM_CTRL_RST); i++) {
        NdisStallExecution(10);
    }

    value = MmRead(adapter, MM_REG_MAC_LO);
    adapter->MacAddress[0] = (UCHAR)value;
    adapter->MacAddress[1] = (UCHAR)(value >> 8);
    adapter->MacAddress[2] = (UCHAR)(value >> 16);
    adapter->MacAddress[3] = (UCHAR)(value >> 24);
    value = MmRead(adapter, MM_REG_MAC_HI);
    adapter->MacAddress[4] = (UCHAR)value;
    adapter->MacAddress[5] = (UCHAR)(value >> 8);

    status = MmSetGeneralAttributes(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free;
    }

    status = MmAllocateResources(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free;
    }

    NdisZeroMemory(&interrupt, sizeof(interrupt));
    interrupt.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
    interrupt.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
    interrupt.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
    interrupt.InterruptHandler = MmInterrupt;
    interrupt.InterruptDpcHandler = MmInterruptDpc;
    interrupt.DisableInterruptHandler = MmDisableInterrupt;
    interrupt.EnableInterruptHandler = MmEnableInterrupt;
    interrupt.MsiSupported = FALSE;
    status = NdisMRegisterInterruptEx(MiniportAdapterHandle, adapter, &interrupt,
                                      &adapter->InterruptHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        goto err_free;
    }

    MmStartDevice(adapter);

    sync.Adapter = adapter;
    sync.DisableCauses = 0;
    sync.EnableCauses = MM_ICR_SERVICED;
    NdisMSynchronizeWithInterruptEx(adapter->InterruptHandle, 0, MmSynchronizeMask, &sync);
    return NDIS_STATUS_SUCCESS;

err_free:
    MmFreeResources(adapter);
    return status;
}


/*++

Routine Description:

    Masks the device, deregisters the interrupt, stops the device and frees
    everything.

IRQL:

    PASSIVE_LEVEL

--*/
_Use_decl_annotations_
VOID
MmHaltEx(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_HALT_ACTION HaltAction
    )
{
    PMM_ADAPTER adapter = (PMM_ADAPTER)MiniportAdapterContext;
    MM_SYNC_CONTEXT sync;

    UNREFERENCED_PARAMETER(HaltAction);

    sync.Adapter = adapter;
    sync.DisableCauses = MM_ICR_ALL;
    sync.EnableCauses = 0;
    NdisMSynchronizeWithInterruptEx(adapter->InterruptHandle, 0, MmSynchronizeMask, &sync);
    NdisMDeregisterInterruptEx(adapter->InterruptHandle);
    MmWrite(adapter, MM_REG_IMC, MM_ICR_ALL);   // a DPC may have unmasked before it ended
    MmWrite(adapter, MM_REG_CTRL, MM_CTRL_RST);
    MmFreeResources(adapter);
}


/*++

Routine Description:

    Stops indicating and sending; completes once every indicated NBL and
    every queued send is back.

IRQL:

    PASSIVE_LEVEL

--*/
_Use_decl_annotations_
NDIS_STATUS
MmPause(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters
    )
{
    PMM_ADAPTER adapter = (PMM_ADAPTER)MiniportAdapterContext;
    NDIS_STATUS status = NDIS_STATUS_SUCCESS;

    UNREFERENCED_PARAMETER(PauseParameters);

    NdisAcquireSpinLock(&adapter->Lock);
    adapter->Running = FALSE;
    if (adapter->Outstanding != 0) {
        adapter->Pausing = TRUE;
        status = NDIS_STATUS_PENDING;
    }
    NdisReleaseSpinLock(&adapter->Lock);
    return status;
}


/*++

Routine Description:

    Resumes the data path.

IRQL:

    PASSIVE_LEVEL

--*/
_Use_decl_annotations_
NDIS_STATUS
MmRestart(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters
    )
{
    PMM_ADAPTER adapter = (PMM_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(RestartParameters);

    NdisAcquireSpinLock(&adapter->Lock);
    adapter->Running = TRUE;
    NdisReleaseSpinLock(&adapter->Lock);
    return NDIS_STATUS_SUCCESS;
}


/*++

Routine Description:

    Line-based ISR: reads ICR once. The line may be shared, so a zero ICR
    means another device interrupted. While every cause is masked (a DPC is
    pending) this VN-1 cannot be asserting the line, and ICR is left alone:
    reading it would clear the causes that must re-assert the line when the
    DPC unmasks them.

IRQL:

    DIRQL

--*/
_Use_decl_annotations_
BOOLEAN
MmInterrupt(
    NDIS_HANDLE MiniportInterruptContext,
    PBOOLEAN QueueDefaultInterruptDpc,
    PULONG TargetProcessors
    )
{
    PMM_ADAPTER adapter = (PMM_ADAPTER)MiniportInterruptContext;
    ULONG icr;

    *QueueDefaultInterruptDpc = FALSE;
    *TargetProcessors = 0;

    if (MmRead(adapter, MM_REG_IMS) == 0) {
        return FALSE;
    }

    icr = MmRead(adapter, MM_REG_ICR);
    if (icr == 0 || icr == 0xFFFFFFFF) {
        return FALSE;
    }

    MmWrite(adapter, MM_REG_IMC, MM_ICR_ALL);
    InterlockedOr(&adapter->PendingCauses, (LONG)icr);
    *QueueDefaultInterruptDpc = TRUE;
    return TRUE;
}


/*++

Routine Description:

    Masks and unmasks causes under the interrupt lock, so that the change
    cannot interleave with MmInterrupt. Unmasking re-asserts the line at
    once if a cause arrived while masked.

IRQL:

    DIRQL

--*/
_Use_decl_annotations_
BOOLEAN
MmSynchronizeMask(
    NDIS_HANDLE SynchronizeContext
    )
{
    PMM_SYNC_CONTEXT sync = (PMM_SYNC_CONTEXT)SynchronizeContext;

    if (sync->DisableCauses != 0) {
        MmWrite(sync->Adapter, MM_REG_IMC, sync->DisableCauses);
    }
    if (sync->EnableCauses != 0) {
        MmWrite(sync->Adapter, MM_REG_IMS, sync->EnableCauses);
    }
    return TRUE;
}


/*++

Routine Description:

    Completes finished sends.

IRQL:

    DISPATCH_LEVEL

--*/
static VOID
MmCompleteSends(
    _In_ PMM_ADAPTER Adapter
    )
{
    PNET_BUFFER_LIST done = NULL;
    PNET_BUFFER_LIST *link = &done;
    LONG count = 0;

    NdisDprAcquireSpinLock(&Adapter->Lock);
    while (Adapter->TxNext != Adapter->TxPublished &&
           (*(volatile UCHAR *)&Adapter->TxRing[Adapter->TxNext].TxStatus & MM_TXD_STAT_DD)) {
        KeMemoryBarrier();
        if (Adapter->TxNbl[Adapter->TxNext] != NULL) {
            *link = Adapter->TxNbl[Adapter->TxNext];
            link = &NET_BUFFER_LIST_NEXT_NBL(*link);
            Adapter->TxNbl[Adapter->TxNext] = NULL;
            count++;
        }
        Adapter->TxNext = (Adapter->TxNext + 1) & MM_RING_MASK;
        Adapter->TxInUse--;
    }
    NdisDprReleaseSpinLock(&Adapter->Lock);

    if (done != NULL) {
        NdisMSendNetBufferListsComplete(Adapter->AdapterHandle, done,
                                        NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL);
        MmDereference(Adapter, count);
    }
}


/*++

Routine Description:

    Buffer i always lives in slot i, so buffers go back to the device in
    ring order: RDT advances over every slot whose buffer is home, keeping
    one slot empty (RDH == RDT means "nothing to fill").

IRQL:

    <= DISPATCH_LEVEL, adapter lock held

--*/
static VOID
MmRepostLocked(
    _In_ PMM_ADAPTER Adapter
    )
{
    ULONG tail = Adapter->RxTail;

    while (((tail + 1) & MM_RING_MASK) != Adapter->RxNext && !Adapter->RxHeld[tail]) {
        Adapter->RxRing[tail].StatusOrCommand = 0;
        tail = (tail + 1) & MM_RING_MASK;
    }
    if (tail != Adapter->RxTail) {
        Adapter->RxTail = tail;
        KeMemoryBarrier();
        MmWrite(Adapter, MM_REG_RDT, tail);
    }
}


/*++

Routine Description:

    Indicates received frames, one NBL per call, up to the throttle limit.
    While paused, frames are dropped and their buffers reposted.

Return Value:

    TRUE if completed frames remain.

IRQL:

    DISPATCH_LEVEL

--*/
static BOOLEAN
MmReceive(
    _In_ PMM_ADAPTER Adapter,
    _In_ ULONG Budget
    )
{
    PNET_BUFFER_LIST nbl;
    PNET_BUFFER nb;
    PMM_DESC desc;
    ULONG slot;
    ULONG length;
    UCHAR status;
    BOOLEAN indicate;

    for (;;) {
        NdisDprAcquireSpinLock(&Adapter->Lock);
        slot = Adapter->RxNext;
        desc = &Adapter->RxRing[slot];
        status = *(volatile UCHAR *)&desc->StatusOrCommand;
        if (slot == Adapter->RxTail || (status & MM_RXD_DD) == 0) {
            NdisDprReleaseSpinLock(&Adapter->Lock);
            return FALSE;
        }
        if (Budget == 0) {
            NdisDprReleaseSpinLock(&Adapter->Lock);
            return TRUE;
        }
        KeMemoryBarrier();
        Budget--;
        length = desc->Length;
        Adapter->RxNext = (slot + 1) & MM_RING_MASK;
        indicate = Adapter->Running && (status & MM_RXD_EOP) &&
                   length >= MM_MIN_FRAME && length <= MM_BUFFER_SIZE;
        if (indicate) {
            Adapter->RxHeld[slot] = TRUE;
            Adapter->Outstanding++;
        } else {
            MmRepostLocked(Adapter);    // dropped: the buffer is home already
        }
        NdisDprReleaseSpinLock(&Adapter->Lock);

        if (indicate) {
            nbl = Adapter->RxNbl[slot];
            nb = NET_BUFFER_LIST_FIRST_NB(nbl);
            NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
            NET_BUFFER_LIST_STATUS(nbl) = NDIS_STATUS_SUCCESS;
            nbl->SourceHandle = Adapter->AdapterHandle;
            NET_BUFFER_CURRENT_MDL(nb) = NET_BUFFER_FIRST_MDL(nb);
            NET_BUFFER_CURRENT_MDL_OFFSET(nb) = 0;
            NET_BUFFER_DATA_OFFSET(nb) = 0;
            NET_BUFFER_DATA_LENGTH(nb) = length;
            NdisMIndicateReceiveNetBufferLists(Adapter->AdapterHandle, nbl,
                                               NDIS_DEFAULT_PORT_NUMBER, 1,
                                               NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL);
        }
    }
}


/*++

Routine Description:

    Line-based DPC: services sends and receives, then unmasks the device
    unless received frames remain beyond the throttle limit.

IRQL:

    DISPATCH_LEVEL

--*/
_Use_decl_annotations_
VOID
MmInterruptDpc(
    NDIS_HANDLE MiniportInterruptContext,
    PVOID MiniportDpcContext,
    PVOID ReceiveThrottleParameters,
    PVOID NdisReserved2
    )
{
    PMM_ADAPTER adapter = (PMM_ADAPTER)MiniportInterruptContext;
    PNDIS_RECEIVE_THROTTLE_PARAMETERS throttle =
        (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters;
    MM_SYNC_CONTEXT sync;
    ULONG budget;
    BOOLEAN all;

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);

    InterlockedExchange(&adapter->PendingCauses, 0);
    throttle->MoreNblsPending = FALSE;
    all = (throttle->MaxNblsToIndicate == NDIS_INDICATE_ALL_NBLS);
    budget = all ? MM_RING_SIZE : throttle->MaxNblsToIndicate;

    MmCompleteSends(adapter);

    if (MmReceive(adapter, budget) && !all) {
        throttle->MoreNblsPending = TRUE;   // stay masked; NDIS calls again
        return;
    }

    sync.Adapter = adapter;
    sync.DisableCauses = 0;
    sync.EnableCauses = MM_ICR_SERVICED;
    NdisMSynchronizeWithInterruptEx(adapter->InterruptHandle, 0, MmSynchronizeMask, &sync);
}


/*++

Routine Description:

    Diagnostics: unmask / mask every cause. NDIS holds the interrupt lock.

IRQL:

    DIRQL

--*/
_Use_decl_annotations_
VOID
MmEnableInterrupt(
    NDIS_HANDLE MiniportInterruptContext
    )
{
    MmWrite((PMM_ADAPTER)MiniportInterruptContext, MM_REG_IMS, MM_ICR_SERVICED);
}

_Use_decl_annotations_
VOID
MmDisableInterrupt(
    NDIS_HANDLE MiniportInterruptContext
    )
{
    MmWrite((PMM_ADAPTER)MiniportInterruptContext, MM_REG_IMC, MM_ICR_ALL);
}


/*++

Routine Description:

    Reposts returned receive buffers.

IRQL:

    <= DISPATCH_LEVEL

--*/
_Use_decl_annotations_
VOID
MmReturnNetBufferLists(
    NDIS_HANDLE MiniportAdapterContext,
    PNET_BUFFER_LIST NetBufferLists,
    ULONG ReturnFlags
    )
{
    PMM_ADAPTER adapter = (PMM_ADAPTER)MiniportAdapterContext;
    PNET_BUFFER_LIST nbl;
    ULONG slot;
    LONG count = 0;

    UNREFERENCED_PARAMETER(ReturnFlags);

    NdisAcquireSpinLock(&adapter->Lock);
    for (nbl = NetBufferLists; nbl != NULL; nbl = NET_BUFFER_LIST_NEXT_NBL(nbl)) {
        slot = (ULONG)(ULONG_PTR)NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0];
        adapter->RxHeld[slot] = FALSE;
        count++;
    }
    MmRepostLocked(adapter);
    NdisReleaseSpinLock(&adapter->Lock);

    MmDereference(adapter, count);
}


/*++

Routine Description:

    Copies each NET_BUFFER into a transmit slot and starts transmission.

    Slots are reserved under the lock, filled without it (NdisGetDataBuffer
    is an NDIS call), and published by whichever sender finishes filling
    last: TDT only ever covers slots whose copy is complete.

IRQL:

    <= DISPATCH_LEVEL

--*/
_Use_decl_annotations_
VOID
MmSendNetBufferLists(
    NDIS_HANDLE MiniportAdapterContext,
    PNET_BUFFER_LIST NetBufferList,
    NDIS_PORT_NUMBER PortNumber,
    ULONG SendFlags
    )
{
    PMM_ADAPTER adapter = (PMM_ADAPTER)MiniportAdapterContext;
    PNET_BUFFER_LIST failed = NULL;
    PNET_BUFFER_LIST nbl;
    PNET_BUFFER_LIST next;
    PNET_BUFFER nb;
    PMM_DESC desc;
    PUCHAR slotBuffer;
    PVOID data;
    NDIS_STATUS status;
    ULONG count;
    ULONG length;
    ULONG slot;

    UNREFERENCED_PARAMETER(PortNumber);

    for (nbl = NetBufferList; nbl != NULL; nbl = next) {
        next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
        NET_BUFFER_LIST_STATUS(nbl) = NDIS_STATUS_SUCCESS;
        status = NDIS_STATUS_SUCCESS;

        count = 0;
        for (nb = NET_BUFFER_LIST_FIRST_NB(nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
            length = NET_BUFFER_DATA_LENGTH(nb);
            if (length < MM_MIN_FRAME || length > MM_MAX_FRAME) {
                status = NDIS_STATUS_INVALID_LENGTH;
            }
            count++;
        }
        if (count == 0) {
            status = NDIS_STATUS_INVALID_LENGTH;
        }

        NdisAcquireSpinLock(&adapter->Lock);
        if (status == NDIS_STATUS_SUCCESS && !adapter->Running) {
            status = NDIS_STATUS_PAUSED;
        }
        if (status == NDIS_STATUS_SUCCESS && MM_RING_SIZE - 1 - adapter->TxInUse < count) {
            status = NDIS_STATUS_RESOURCES;
        }
        slot = adapter->TxReserved;
        if (status == NDIS_STATUS_SUCCESS) {
            adapter->TxReserved = (slot + count) & MM_RING_MASK;
            adapter->TxInUse += count;
            adapter->TxFilling++;
            adapter->Outstanding++;
        }
        NdisReleaseSpinLock(&adapter->Lock);

        if (status != NDIS_STATUS_SUCCESS) {
            NET_BUFFER_LIST_STATUS(nbl) = status;
            NET_BUFFER_LIST_NEXT_NBL(nbl) = failed;
            failed = nbl;
            continue;
        }

        for (nb = NET_BUFFER_LIST_FIRST_NB(nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
            length = NET_BUFFER_DATA_LENGTH(nb);
            slotBuffer = adapter->TxBuffers + slot * MM_BUFFER_SIZE;
            data = NdisGetDataBuffer(nb, length, slotBuffer, 1, 0);
            if (data == NULL) {
                NdisZeroMemory(slotBuffer, length);
                NET_BUFFER_LIST_STATUS(nbl) = NDIS_STATUS_RESOURCES;
            } else if (data != slotBuffer) {
                NdisMoveMemory(slotBuffer, data, length);
            }
            desc = &adapter->TxRing[slot];
            desc->BufferAddress = (ULONGLONG)(adapter->TxBuffersPa.QuadPart +
                                              (LONGLONG)slot * MM_BUFFER_SIZE);
            desc->Length = (USHORT)length;
            desc->StatusOrCommand = MM_TXD_CMD_EOP | MM_TXD_CMD_RS;
            desc->TxStatus = 0;
            adapter->TxNbl[slot] = (NET_BUFFER_NEXT_NB(nb) == NULL) ? nbl : NULL;
            slot = (slot + 1) & MM_RING_MASK;
        }

        NdisAcquireSpinLock(&adapter->Lock);
        adapter->TxFilling--;
        if (adapter->TxFilling == 0 && adapter->TxPublished != adapter->TxReserved) {
            adapter->TxPublished = adapter->TxReserved;
            KeMemoryBarrier();
            MmWrite(adapter, MM_REG_TDT, adapter->TxPublished);
        }
        NdisReleaseSpinLock(&adapter->Lock);
    }

    if (failed != NULL) {
        NdisMSendNetBufferListsComplete(adapter->AdapterHandle, failed,
                                        NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags) ?
                                        NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
    }
}


/*++

Routine Description:

    A few mandatory queries and the packet filter; everything else is
    NDIS_STATUS_NOT_SUPPORTED. Completes synchronously.

IRQL:

    PASSIVE_LEVEL

--*/
_Use_decl_annotations_
NDIS_STATUS
MmOidRequest(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_OID_REQUEST OidRequest
    )
{
    PMM_ADAPTER adapter = (PMM_ADAPTER)MiniportAdapterContext;
    NDIS_INTERRUPT_MODERATION_PARAMETERS moderation;
    NDIS_MEDIUM medium = NdisMedium802_3;
    PVOID source = &medium;
    ULONG length = sizeof(ULONG);
    ULONG value = 0;
    ULONG filter;

    if (OidRequest->RequestType == NdisRequestSetInformation) {
        if (OidRequest->DATA.SET_INFORMATION.Oid != OID_GEN_CURRENT_PACKET_FILTER) {
            return NDIS_STATUS_NOT_SUPPORTED;
        }
        if (OidRequest->DATA.SET_INFORMATION.InformationBufferLength < sizeof(ULONG)) {
            OidRequest->DATA.SET_INFORMATION.BytesNeeded = sizeof(ULONG);
            return NDIS_STATUS_INVALID_LENGTH;
        }
        NdisMoveMemory(&adapter->PacketFilter, OidRequest->DATA.SET_INFORMATION.InformationBuffer,
                       sizeof(ULONG));
        filter = 0;
        if (adapter->PacketFilter & NDIS_PACKET_TYPE_DIRECTED) {
            filter |= MM_RXFILTER_UCAST;
        }
        if (adapter->PacketFilter & (NDIS_PACKET_TYPE_MULTICAST | NDIS_PACKET_TYPE_ALL_MULTICAST)) {
            filter |= MM_RXFILTER_MCAST;
        }
        if (adapter->PacketFilter & NDIS_PACKET_TYPE_BROADCAST) {
            filter |= MM_RXFILTER_BCAST;
        }
        if (adapter->PacketFilter & NDIS_PACKET_TYPE_PROMISCUOUS) {
            filter |= MM_RXFILTER_PROMISC;
        }
        MmWrite(adapter, MM_REG_RXFILTER, filter);
        OidRequest->DATA.SET_INFORMATION.BytesRead = sizeof(ULONG);
        return NDIS_STATUS_SUCCESS;
    }

    if (OidRequest->RequestType != NdisRequestQueryInformation &&
        OidRequest->RequestType != NdisRequestQueryStatistics) {
        return NDIS_STATUS_NOT_SUPPORTED;
    }

    switch (OidRequest->DATA.QUERY_INFORMATION.Oid) {
    case OID_GEN_SUPPORTED_LIST:
        source = MmSupportedOids;
        length = sizeof(MmSupportedOids);
        break;
    case OID_GEN_MEDIA_SUPPORTED:
    case OID_GEN_MEDIA_IN_USE:
        length = sizeof(medium);
        break;
    case OID_GEN_MAXIMUM_FRAME_SIZE:
        value = MM_MAX_FRAME - MM_MIN_FRAME;
        source = &value;
        break;
    case OID_GEN_MAXIMUM_TOTAL_SIZE:
        value = MM_MAX_FRAME;
        source = &value;
        break;
    case OID_GEN_CURRENT_PACKET_FILTER:
        value = adapter->PacketFilter;
        source = &value;
        break;
    case OID_GEN_INTERRUPT_MODERATION:
        NdisZeroMemory(&moderation, sizeof(moderation));
        moderation.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
        moderation.Header.Revision = NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        moderation.Header.Size = NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        moderation.InterruptModeration = NdisInterruptModerationNotSupported;
        source = &moderation;
        length = NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        break;
    case OID_802_3_PERMANENT_ADDRESS:
    case OID_802_3_CURRENT_ADDRESS:
        source = adapter->MacAddress;
        length = 6;
        break;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }

    if (OidRequest->DATA.QUERY_INFORMATION.InformationBufferLength < length) {
        OidRequest->DATA.QUERY_INFORMATION.BytesNeeded = length;
        return NDIS_STATUS_BUFFER_TOO_SHORT;
    }
    NdisMoveMemory(OidRequest->DATA.QUERY_INFORMATION.InformationBuffer, source, length);
    OidRequest->DATA.QUERY_INFORMATION.BytesWritten = length;
    return NDIS_STATUS_SUCCESS;
}


/*++

Routine Description:

    Entry points with nothing to do in this driver: no software send queue,
    synchronous OIDs, nothing to recover on reset, no scatter/gather lists.

IRQL:

    See the role type of each.

--*/
_Use_decl_annotations_
VOID
MmCancelOidRequest(NDIS_HANDLE MiniportAdapterContext, PVOID RequestId)
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(RequestId);
}

_Use_decl_annotations_
VOID
MmCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(CancelId);
}

_Use_decl_annotations_
NDIS_STATUS
MmResetEx(NDIS_HANDLE MiniportAdapterContext, PBOOLEAN AddressingReset)
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    *AddressingReset = FALSE;
    return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID
MmDevicePnPEventNotify(NDIS_HANDLE MiniportAdapterContext, PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(NetDevicePnPEvent);
}

_Use_decl_annotations_
VOID
MmShutdownEx(NDIS_HANDLE MiniportAdapterContext, NDIS_SHUTDOWN_ACTION ShutdownAction)
{
    UNREFERENCED_PARAMETER(ShutdownAction);
    MmWrite((PMM_ADAPTER)MiniportAdapterContext, MM_REG_IMC, MM_ICR_ALL);
    MmWrite((PMM_ADAPTER)MiniportAdapterContext, MM_REG_CTRL, MM_CTRL_RST);
}

_Use_decl_annotations_
VOID
MmProcessSGList(PDEVICE_OBJECT pDO, PVOID Reserved, PSCATTER_GATHER_LIST pSGL, PVOID Context)
{
    UNREFERENCED_PARAMETER(pDO);
    UNREFERENCED_PARAMETER(Reserved);
    UNREFERENCED_PARAMETER(pSGL);
    UNREFERENCED_PARAMETER(Context);
}
