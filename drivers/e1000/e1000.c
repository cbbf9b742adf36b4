/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    e1000.c

Abstract:

    NDIS 5.1 miniport for the Intel 82540EM, written from Intel's software
    developer's manual in the style of the NDIS 5 WDK samples.

    Hardware: the registers are memory-mapped (BAR0, NdisMMapIoSpace); the
    I/O window (BAR2, IOADDR/IODATA) is claimed and used once at start to
    check that it reaches the same registers. The MAC address comes from
    the EEPROM through EERD, after the image's checksum is verified. One
    legacy receive ring and one legacy transmit ring live in shared memory
    (NdisMAllocateSharedMemory after NdisMInitializeScatterGatherDma).

    Interrupts: INTA# is level-sensitive and may be shared, so the
    interrupt is registered with RequestIsr and SharedInterrupt TRUE.
    MiniportISR reads ICR once - the read acknowledges every cause and
    drops the line - and if none of the causes it enabled is set, the
    interrupt belongs to another device on the line. Otherwise it saves the
    causes and asks for MiniportHandleInterrupt, which drains the receive
    ring (NdisMEthIndicateReceive), reclaims transmit descriptors
    (NdisMSendComplete), starts queued sends and reports link changes
    (LSC -> NdisMIndicateStatus). IMS is written through
    NdisMSynchronizeWithInterrupt (start, reset) and IMC masks everything
    at reset and halt; ITR limits the interrupt rate (E1000Isr says why the
    ISR itself does not mask).

    The miniport is serialized (no NDIS_ATTRIBUTE_DESERIALIZE).

Environment:

    Kernel mode (ndisrt: a vCPU of the emulated machine).

--*/

#include "e1000.h"

static NDIS_STATUS E1000Initialize(PNDIS_STATUS OpenErrorStatus, PUINT SelectedMediumIndex,
                                   PNDIS_MEDIUM MediumArray, UINT MediumArraySize,
                                   NDIS_HANDLE MiniportAdapterHandle,
                                   NDIS_HANDLE WrapperConfigurationContext);
static VOID E1000Halt(NDIS_HANDLE MiniportAdapterContext);
static VOID E1000Isr(PBOOLEAN InterruptRecognized, PBOOLEAN QueueMiniportHandleInterrupt,
                     NDIS_HANDLE MiniportAdapterContext);
static VOID E1000HandleInterrupt(NDIS_HANDLE MiniportAdapterContext);
static NDIS_STATUS E1000Send(NDIS_HANDLE MiniportAdapterContext, PNDIS_PACKET Packet,
                             UINT Flags);
static NDIS_STATUS E1000QueryInformation(NDIS_HANDLE MiniportAdapterContext, NDIS_OID Oid,
                                         PVOID InformationBuffer, ULONG InformationBufferLength,
                                         PULONG BytesWritten, PULONG BytesNeeded);
static NDIS_STATUS E1000SetInformation(NDIS_HANDLE MiniportAdapterContext, NDIS_OID Oid,
                                       PVOID InformationBuffer, ULONG InformationBufferLength,
                                       PULONG BytesRead, PULONG BytesNeeded);
static NDIS_STATUS E1000Reset(PBOOLEAN AddressingReset, NDIS_HANDLE MiniportAdapterContext);
static BOOLEAN E1000CheckForHang(NDIS_HANDLE MiniportAdapterContext);

static BOOLEAN E1000SyncUnmask(PVOID SynchronizeContext);
static BOOLEAN E1000SyncMask(PVOID SynchronizeContext);
static BOOLEAN E1000SyncStop(PVOID SynchronizeContext);
static BOOLEAN E1000SyncTakeCauses(PVOID SynchronizeContext);
static VOID E1000ProcessTransmit(PE1000_ADAPTER Adapter);

static const NDIS_OID E1000SupportedOids[] = {
    OID_GEN_SUPPORTED_LIST,        OID_GEN_HARDWARE_STATUS,      OID_GEN_MEDIA_SUPPORTED,
    OID_GEN_MEDIA_IN_USE,          OID_GEN_MAXIMUM_LOOKAHEAD,    OID_GEN_MAXIMUM_FRAME_SIZE,
    OID_GEN_LINK_SPEED,            OID_GEN_TRANSMIT_BUFFER_SPACE, OID_GEN_RECEIVE_BUFFER_SPACE,
    OID_GEN_TRANSMIT_BLOCK_SIZE,   OID_GEN_RECEIVE_BLOCK_SIZE,   OID_GEN_VENDOR_ID,
    OID_GEN_VENDOR_DESCRIPTION,    OID_GEN_CURRENT_PACKET_FILTER, OID_GEN_CURRENT_LOOKAHEAD,
    OID_GEN_DRIVER_VERSION,        OID_GEN_MAXIMUM_TOTAL_SIZE,   OID_GEN_MAC_OPTIONS,
    OID_GEN_MEDIA_CONNECT_STATUS,  OID_GEN_MAXIMUM_SEND_PACKETS, OID_GEN_VENDOR_DRIVER_VERSION,
    OID_GEN_XMIT_OK,               OID_GEN_RCV_OK,               OID_GEN_XMIT_ERROR,
    OID_GEN_RCV_ERROR,             OID_GEN_RCV_NO_BUFFER,        OID_802_3_PERMANENT_ADDRESS,
    OID_802_3_CURRENT_ADDRESS,     OID_802_3_MULTICAST_LIST,     OID_802_3_MAXIMUM_LIST_SIZE,
};

static const char E1000VendorDescription[] = "ndisrt Intel 82540EM (NDIS 5.1 sample)";

NTSTATUS
DriverEntry(
    PDRIVER_OBJECT DriverObject,
    PUNICODE_STRING RegistryPath
    )
/*++

Routine Description:

    Registers the miniport with NDIS 5.1.

    IRQL: PASSIVE_LEVEL.

--*/
{
    NDIS_MINIPORT_CHARACTERISTICS chars;
    NDIS_HANDLE                   wrapperHandle;
    NDIS_STATUS                   status;

    NdisMInitializeWrapper(&wrapperHandle, DriverObject, RegistryPath, NULL);
    if (wrapperHandle == NULL) {
        return STATUS_UNSUCCESSFUL;
    }

    NdisZeroMemory(&chars, sizeof(chars));
    chars.MajorNdisVersion        = E1000_NDIS_MAJOR_VERSION;
    chars.MinorNdisVersion        = E1000_NDIS_MINOR_VERSION;
    chars.InitializeHandler       = E1000Initialize;
    chars.HaltHandler             = E1000Halt;
    chars.ISRHandler              = E1000Isr;
    chars.HandleInterruptHandler  = E1000HandleInterrupt;
    chars.SendHandler             = E1000Send;
    chars.QueryInformationHandler = E1000QueryInformation;
    chars.SetInformationHandler   = E1000SetInformation;
    chars.ResetHandler            = E1000Reset;
    chars.CheckForHangHandler     = E1000CheckForHang;

    status = NdisMRegisterMiniport(wrapperHandle, &chars, sizeof(chars));
    if (status != NDIS_STATUS_SUCCESS) {
        NdisTerminateWrapper(wrapperHandle, NULL);
    }
    return status;
}

//
// -------------------------------------------------------- register helpers
//

static __inline ULONG
E1000Read(
    PE1000_ADAPTER Adapter,
    ULONG Register
    )
{
    ULONG value;

    NdisReadRegisterUlong(Adapter->CsrBase + Register, &value);
    return value;
}

static __inline VOID
E1000Write(
    PE1000_ADAPTER Adapter,
    ULONG Register,
    ULONG Value
    )
{
    NdisWriteRegisterUlong(Adapter->CsrBase + Register, Value);
}

//
// --------------------------------------------------------- initialization
//

static NDIS_STATUS
E1000FindDevice(
    PE1000_ADAPTER Adapter,
    NDIS_HANDLE MiniportAdapterHandle
    )
/*++

Routine Description:

    Checks the PCI identity and reads BAR0 (memory), BAR2 (I/O) and the
    interrupt line.

    IRQL: PASSIVE_LEVEL.

--*/
{
    USHORT vendor = 0, device = 0;
    ULONG  bar0 = 0, bar2 = 0;
    UCHAR  line = 0;

    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, E1000_PCI_CFG_VENDOR_ID, &vendor,
                               sizeof(vendor));
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, E1000_PCI_CFG_DEVICE_ID, &device,
                               sizeof(device));
    if (vendor != E1000_PCI_VENDOR_ID || device != E1000_PCI_DEVICE_ID_82540EM) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, E1000_PCI_CFG_BAR0, &bar0, sizeof(bar0));
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, E1000_PCI_CFG_BAR2, &bar2, sizeof(bar2));
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, E1000_PCI_CFG_INTERRUPT_LINE, &line,
                               sizeof(line));
    if ((bar0 & E1000_PCI_BAR_IO_SPACE) || (bar0 & E1000_PCI_BAR_MEM_MASK) == 0 ||
        !(bar2 & E1000_PCI_BAR_IO_SPACE) || line == 0) {
        return NDIS_STATUS_RESOURCE_CONFLICT;
    }
    Adapter->CsrPhysical.QuadPart = bar0 & E1000_PCI_BAR_MEM_MASK;
    Adapter->IoPort = bar2 & E1000_PCI_BAR_IO_MASK;
    Adapter->InterruptVector = line;
    return NDIS_STATUS_SUCCESS;
}

static BOOLEAN
E1000ReadEeprom(
    PE1000_ADAPTER Adapter,
    ULONG Word,
    PUSHORT Data
    )
/*++

Routine Description:

    Reads one EEPROM word through EERD (SDM 5.3.1): address and START, then
    poll DONE. Gives up after about 1 ms.

    IRQL: <= DISPATCH_LEVEL.

--*/
{
    ULONG value;
    UINT  i;

    E1000Write(Adapter, E1000_EERD, (Word << E1000_EERD_ADDR_SHIFT) | E1000_EERD_START);
    for (i = 0; i < 1000; i++) {
        value = E1000Read(Adapter, E1000_EERD);
        if (value & E1000_EERD_DONE) {
            *Data = (USHORT)(value >> E1000_EERD_DATA_SHIFT);
            return TRUE;
        }
        NdisStallExecution(1);
    }
    return FALSE;
}

static NDIS_STATUS
E1000ReadMacAddress(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Verifies the EEPROM checksum (words 0x00-0x3F sum to 0xBABA, SDM 5.6) and
    takes the permanent address from words 0-2.

    IRQL: PASSIVE_LEVEL, or DISPATCH_LEVEL from MiniportReset.

--*/
{
    USHORT word, sum = 0;
    ULONG  i;

    for (i = 0; i < E1000_EEPROM_WORDS; i++) {
        if (!E1000ReadEeprom(Adapter, i, &word)) {
            return NDIS_STATUS_FAILURE;
        }
        sum = (USHORT)(sum + word);
        if (i < ETH_LENGTH_OF_ADDRESS / 2) {
            Adapter->PermanentAddress[2 * i] = (UCHAR)word;
            Adapter->PermanentAddress[2 * i + 1] = (UCHAR)(word >> 8);
        }
    }
    if (sum != E1000_EEPROM_CHECKSUM) {
        return NDIS_STATUS_FAILURE;
    }
    return NDIS_STATUS_SUCCESS;
}

static BOOLEAN
E1000ReadPhy(
    PE1000_ADAPTER Adapter,
    ULONG Register,
    PUSHORT Data
    )
/*++

Routine Description:

    A PHY register through MDIC (SDM 13.4.7): the read, then poll READY.

    IRQL: <= DISPATCH_LEVEL.

--*/
{
    ULONG value;
    UINT  i;

    E1000Write(Adapter, E1000_MDIC,
               (Register << E1000_MDIC_REG_SHIFT) | (E1000_PHY_ADDRESS << E1000_MDIC_PHY_SHIFT) |
                   E1000_MDIC_OP_READ);
    for (i = 0; i < 1000; i++) {
        value = E1000Read(Adapter, E1000_MDIC);
        if (value & E1000_MDIC_READY) {
            *Data = (USHORT)value;
            return (value & E1000_MDIC_ERROR) == 0;
        }
        NdisStallExecution(1);
    }
    return FALSE;
}

static VOID
E1000UpdateLink(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Media state and speed from STATUS (SDM 13.4.2).

--*/
{
    ULONG status = E1000Read(Adapter, E1000_STATUS);

    Adapter->MediaState = (status & E1000_STATUS_LU) ? NdisMediaStateConnected
                                                     : NdisMediaStateDisconnected;
    switch (status & E1000_STATUS_SPEED_MASK) {
    case E1000_STATUS_SPEED_10:
        Adapter->LinkSpeed = 100000;
        break;
    case E1000_STATUS_SPEED_100:
        Adapter->LinkSpeed = 1000000;
        break;
    default:
        Adapter->LinkSpeed = 10000000;
        break;
    }
}

static VOID
E1000ProgramFilter(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Receive address 0 (SDM 13.5.2), the multicast table (SDM 13.5.1, RCTL.MO 00b:
    bits 47:36 of the address select the bit) and the RCTL filter bits
    from the packet filter NDIS set.

--*/
{
    ULONG mta[E1000_MTA_ENTRIES];
    ULONG rctl, i, hash;
    const UCHAR *a = Adapter->CurrentAddress;

    E1000Write(Adapter, E1000_RAL0,
               a[0] | ((ULONG)a[1] << 8) | ((ULONG)a[2] << 16) | ((ULONG)a[3] << 24));
    E1000Write(Adapter, E1000_RAH0, a[4] | ((ULONG)a[5] << 8) | E1000_RAH_AV);
    for (i = 1; i < E1000_RA_ENTRIES; i++) {
        E1000Write(Adapter, E1000_RAH0 + 8 * i, 0);
        E1000Write(Adapter, E1000_RAL0 + 8 * i, 0);
    }

    NdisZeroMemory(mta, sizeof(mta));
    for (i = 0; i < Adapter->McastCount; i++) {
        hash = ((Adapter->McastList[i][4] >> 4) | ((ULONG)Adapter->McastList[i][5] << 4)) & 0xFFF;
        mta[hash >> 5] |= 1u << (hash & 31);
    }
    for (i = 0; i < E1000_MTA_ENTRIES; i++) {
        E1000Write(Adapter, E1000_MTA + 4 * i, mta[i]);
    }

    rctl = E1000Read(Adapter, E1000_RCTL) & ~(E1000_RCTL_UPE | E1000_RCTL_MPE | E1000_RCTL_BAM);
    if (Adapter->PacketFilter & NDIS_PACKET_TYPE_PROMISCUOUS) {
        rctl |= E1000_RCTL_UPE | E1000_RCTL_MPE;
    }
    if (Adapter->PacketFilter & NDIS_PACKET_TYPE_ALL_MULTICAST) {
        rctl |= E1000_RCTL_MPE;
    }
    if (Adapter->PacketFilter & NDIS_PACKET_TYPE_BROADCAST) {
        rctl |= E1000_RCTL_BAM;
    }
    E1000Write(Adapter, E1000_RCTL, rctl);
}

static VOID
E1000InitRings(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Fills the receive ring with its buffers and empties the transmit ring
    (SDM 14.4, SDM 14.5).

--*/
{
    ULONG i;

    NdisZeroMemory(Adapter->RxRing, sizeof(E1000_RX_DESC) * E1000_RX_RING_SIZE);
    for (i = 0; i < E1000_RX_RING_SIZE; i++) {
        Adapter->RxRing[i].BufferAddress =
            (ULONG64)Adapter->RxBuffersPa.QuadPart + (ULONG64)i * E1000_BUFFER_SIZE;
    }
    NdisZeroMemory(Adapter->TxRing, sizeof(E1000_TX_DESC) * E1000_TX_RING_SIZE);
    Adapter->RxNext = 0;
    Adapter->TxNextToUse = 0;
    Adapter->TxNextToClean = 0;
    Adapter->TxFree = E1000_TX_RING_SIZE - 1;
}

static VOID
E1000ResetHardware(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Global reset (CTRL.RST) with every interrupt masked before and after
    (SDM 14.3), then link set-up (SLU, speed and duplex from the PHY).

--*/
{
    ULONG ctrl;

    E1000Write(Adapter, E1000_IMC, E1000_ICR_ALL);
    E1000Write(Adapter, E1000_RCTL, 0);
    E1000Write(Adapter, E1000_TCTL, 0);
    E1000Write(Adapter, E1000_CTRL, E1000Read(Adapter, E1000_CTRL) | E1000_CTRL_RST);
    NdisStallExecution(10);
    E1000Write(Adapter, E1000_IMC, E1000_ICR_ALL);
    (VOID)E1000Read(Adapter, E1000_ICR);

    ctrl = E1000Read(Adapter, E1000_CTRL);
    ctrl &= ~(E1000_CTRL_FRCSPD | E1000_CTRL_FRCDPLX | E1000_CTRL_PHY_RST);
    ctrl |= E1000_CTRL_SLU | E1000_CTRL_ASDE;
    E1000Write(Adapter, E1000_CTRL, ctrl);
}

static VOID
E1000ReadConfiguration(
    PE1000_ADAPTER Adapter,
    NDIS_HANDLE WrapperConfigurationContext
    )
/*++

Routine Description:

    Reads the standardized keyword *InterruptModeration (0 disabled, 1
    enabled; enabled when absent): enabled programs ITR with
    E1000_ITR_DEFAULT, disabled with 0 (no throttling).

    IRQL: PASSIVE_LEVEL.

--*/
{
    static WCHAR keyword[] = {'*', 'I', 'n', 't', 'e', 'r', 'r', 'u', 'p', 't',
                              'M', 'o', 'd', 'e', 'r', 'a', 't', 'i', 'o', 'n', 0};
    NDIS_HANDLE                   config;
    NDIS_STRING                   name;
    PNDIS_CONFIGURATION_PARAMETER value;
    NDIS_STATUS                   status;

    Adapter->InterruptThrottle = E1000_ITR_DEFAULT;
    NdisOpenConfiguration(&status, &config, WrapperConfigurationContext);
    if (status != NDIS_STATUS_SUCCESS) {
        return;
    }
    name.Buffer = keyword;
    name.Length = (USHORT)(sizeof(keyword) - sizeof(WCHAR));
    name.MaximumLength = (USHORT)sizeof(keyword);
    NdisReadConfiguration(&status, &value, config, &name, NdisParameterInteger);
    if (status == NDIS_STATUS_SUCCESS && value->ParameterData.IntegerData == 0) {
        Adapter->InterruptThrottle = 0;
    }
    NdisCloseConfiguration(config);
}

static VOID
E1000StartHardware(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Programs the rings, moderation and filters and enables receive and
    transmit (SDM 14.4, SDM 14.5). Interrupts stay masked.

--*/
{
    E1000InitRings(Adapter);

    E1000Write(Adapter, E1000_RDBAL, Adapter->RxRingPa.LowPart);
    E1000Write(Adapter, E1000_RDBAH, (ULONG)Adapter->RxRingPa.HighPart);
    E1000Write(Adapter, E1000_RDLEN, sizeof(E1000_RX_DESC) * E1000_RX_RING_SIZE);
    E1000Write(Adapter, E1000_RDH, 0);
    E1000Write(Adapter, E1000_RDT, E1000_RX_RING_SIZE - 1);
    E1000Write(Adapter, E1000_RDTR, 0);
    E1000Write(Adapter, E1000_RADV, 0);

    E1000Write(Adapter, E1000_TDBAL, Adapter->TxRingPa.LowPart);
    E1000Write(Adapter, E1000_TDBAH, (ULONG)Adapter->TxRingPa.HighPart);
    E1000Write(Adapter, E1000_TDLEN, sizeof(E1000_TX_DESC) * E1000_TX_RING_SIZE);
    E1000Write(Adapter, E1000_TDH, 0);
    E1000Write(Adapter, E1000_TDT, 0);
    E1000Write(Adapter, E1000_TIDV, 0);
    E1000Write(Adapter, E1000_TIPG, E1000_TIPG_COPPER_DEFAULT);

    E1000Write(Adapter, E1000_ITR, Adapter->InterruptThrottle);

    E1000Write(Adapter, E1000_RCTL,
               E1000_RCTL_EN | E1000_RCTL_BSIZE_2048 | E1000_RCTL_SECRC |
                   E1000_RCTL_RDMTS_HALF | E1000_RCTL_MO_47_36);
    E1000ProgramFilter(Adapter);
    E1000Write(Adapter, E1000_TCTL,
               E1000_TCTL_EN | E1000_TCTL_PSP |
                   (E1000_TCTL_CT_DEFAULT << E1000_TCTL_CT_SHIFT) |
                   (E1000_TCTL_COLD_FULL_DUPLEX << E1000_TCTL_COLD_SHIFT));
    E1000UpdateLink(Adapter);
}

static NDIS_STATUS
E1000AllocateSharedMemory(
    PE1000_ADAPTER Adapter
    )
{
    NdisMAllocateSharedMemory(Adapter->MiniportAdapterHandle,
                              sizeof(E1000_RX_DESC) * E1000_RX_RING_SIZE, FALSE,
                              (PVOID *)&Adapter->RxRing, &Adapter->RxRingPa);
    NdisMAllocateSharedMemory(Adapter->MiniportAdapterHandle,
                              E1000_BUFFER_SIZE * E1000_RX_RING_SIZE, FALSE,
                              (PVOID *)&Adapter->RxBuffers, &Adapter->RxBuffersPa);
    NdisMAllocateSharedMemory(Adapter->MiniportAdapterHandle,
                              sizeof(E1000_TX_DESC) * E1000_TX_RING_SIZE, FALSE,
                              (PVOID *)&Adapter->TxRing, &Adapter->TxRingPa);
    NdisMAllocateSharedMemory(Adapter->MiniportAdapterHandle,
                              E1000_BUFFER_SIZE * E1000_TX_RING_SIZE, FALSE,
                              (PVOID *)&Adapter->TxBuffers, &Adapter->TxBuffersPa);
    if (Adapter->RxRing == NULL || Adapter->RxBuffers == NULL || Adapter->TxRing == NULL ||
        Adapter->TxBuffers == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    return NDIS_STATUS_SUCCESS;
}

static VOID
E1000FreeSharedMemory(
    PE1000_ADAPTER Adapter
    )
{
    if (Adapter->RxRing != NULL) {
        NdisMFreeSharedMemory(Adapter->MiniportAdapterHandle,
                              sizeof(E1000_RX_DESC) * E1000_RX_RING_SIZE, FALSE,
                              Adapter->RxRing, Adapter->RxRingPa);
    }
    if (Adapter->RxBuffers != NULL) {
        NdisMFreeSharedMemory(Adapter->MiniportAdapterHandle,
                              E1000_BUFFER_SIZE * E1000_RX_RING_SIZE, FALSE,
                              Adapter->RxBuffers, Adapter->RxBuffersPa);
    }
    if (Adapter->TxRing != NULL) {
        NdisMFreeSharedMemory(Adapter->MiniportAdapterHandle,
                              sizeof(E1000_TX_DESC) * E1000_TX_RING_SIZE, FALSE,
                              Adapter->TxRing, Adapter->TxRingPa);
    }
    if (Adapter->TxBuffers != NULL) {
        NdisMFreeSharedMemory(Adapter->MiniportAdapterHandle,
                              E1000_BUFFER_SIZE * E1000_TX_RING_SIZE, FALSE,
                              Adapter->TxBuffers, Adapter->TxBuffersPa);
    }
}

static VOID
E1000ReleaseResources(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Undoes what E1000Initialize acquired, in reverse order. Shared memory
    is freed after the reset, when the device no longer uses it.

    IRQL: PASSIVE_LEVEL.

--*/
{
    if (Adapter->Mapped) {
        E1000Write(Adapter, E1000_IMC, E1000_ICR_ALL);
        E1000Write(Adapter, E1000_CTRL, E1000_CTRL_RST);
        NdisStallExecution(10);
    }
    E1000FreeSharedMemory(Adapter);
    if (Adapter->PortsRegistered) {
        NdisMDeregisterIoPortRange(Adapter->MiniportAdapterHandle, Adapter->IoPort,
                                   E1000_IO_LENGTH, (PVOID)Adapter->IoBase);
        Adapter->PortsRegistered = FALSE;
    }
    if (Adapter->Mapped) {
        NdisMUnmapIoSpace(Adapter->MiniportAdapterHandle, Adapter->CsrBase, E1000_CSR_LENGTH);
        Adapter->Mapped = FALSE;
    }
}

static NDIS_STATUS
E1000Initialize(
    PNDIS_STATUS OpenErrorStatus,
    PUINT SelectedMediumIndex,
    PNDIS_MEDIUM MediumArray,
    UINT MediumArraySize,
    NDIS_HANDLE MiniportAdapterHandle,
    NDIS_HANDLE WrapperConfigurationContext
    )
/*++

Routine Description:

    MiniportInitialize: selects 802.3, reports the attributes (bus master),
    maps the registers, claims the I/O window, sets up DMA and the rings,
    resets the controller, reads and checks the EEPROM, starts receive and
    transmit, registers the shared interrupt last and then unmasks.

    IRQL: PASSIVE_LEVEL.

--*/
{
    PE1000_ADAPTER adapter = NULL;
    NDIS_STATUS    status;
    PVOID          portOffset = NULL;
    USHORT         id1 = 0, id2 = 0;
    ULONG          viaIo;
    UINT           i;

    *OpenErrorStatus = NDIS_STATUS_SUCCESS;

    for (i = 0; i < MediumArraySize; i++) {
        if (MediumArray[i] == NdisMedium802_3) {
            break;
        }
    }
    if (i == MediumArraySize) {
        return NDIS_STATUS_UNSUPPORTED_MEDIA;
    }
    *SelectedMediumIndex = i;

    status = NdisAllocateMemoryWithTag((PVOID *)&adapter, sizeof(*adapter), E1000_TAG);
    if (status != NDIS_STATUS_SUCCESS) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(adapter, sizeof(*adapter));
    adapter->MiniportAdapterHandle = MiniportAdapterHandle;
    adapter->Lookahead = ETH_MAX_DATA_SIZE;
    adapter->PacketFilter = NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST;
    E1000ReadConfiguration(adapter, WrapperConfigurationContext);

    NdisMSetAttributesEx(MiniportAdapterHandle, adapter, 0, NDIS_ATTRIBUTE_BUS_MASTER,
                         NdisInterfacePci);

    status = E1000FindDevice(adapter, MiniportAdapterHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorFreeAdapter;
    }

    status = NdisMMapIoSpace((PVOID *)&adapter->CsrBase, MiniportAdapterHandle,
                             adapter->CsrPhysical, E1000_CSR_LENGTH);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorFreeAdapter;
    }
    adapter->Mapped = TRUE;

    status = NdisMRegisterIoPortRange(&portOffset, MiniportAdapterHandle, adapter->IoPort,
                                      E1000_IO_LENGTH);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }
    adapter->IoBase = (ULONG_PTR)portOffset;
    adapter->PortsRegistered = TRUE;

    //
    // The I/O window reaches the same registers (SDM 13.2): STATUS through
    // IOADDR/IODATA must read what the memory BAR reads.
    //
    NdisRawWritePortUlong(adapter->IoBase + E1000_IO_IOADDR, E1000_STATUS);
    NdisRawReadPortUlong(adapter->IoBase + E1000_IO_IODATA, &viaIo);
    if (viaIo != E1000Read(adapter, E1000_STATUS)) {
        status = NDIS_STATUS_ADAPTER_NOT_FOUND;
        goto ErrorRelease;
    }

    status = NdisMInitializeScatterGatherDma(MiniportAdapterHandle, TRUE, ETH_MAX_PACKET_SIZE);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }
    status = E1000AllocateSharedMemory(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }

    E1000ResetHardware(adapter);
    status = E1000ReadMacAddress(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }
    NdisMoveMemory(adapter->CurrentAddress, adapter->PermanentAddress, ETH_LENGTH_OF_ADDRESS);
    if (!E1000ReadPhy(adapter, E1000_PHY_ID1, &id1) || !E1000ReadPhy(adapter, E1000_PHY_ID2, &id2) ||
        id1 == 0xFFFF) {
        status = NDIS_STATUS_ADAPTER_NOT_FOUND;
        goto ErrorRelease;
    }
    E1000StartHardware(adapter);

    status = NdisMRegisterInterrupt(&adapter->Interrupt, MiniportAdapterHandle,
                                    adapter->InterruptVector, adapter->InterruptVector,
                                    TRUE, TRUE, NdisInterruptLevelSensitive);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }
    adapter->InterruptRegistered = TRUE;

    //
    // Link-up raised LSC while masked: acknowledge it, unmask, and read the
    // media state last, so a change from here on is an LSC the DPC reports.
    //
    (VOID)E1000Read(adapter, E1000_ICR);
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)E1000SyncUnmask, adapter);
    E1000UpdateLink(adapter);
    return NDIS_STATUS_SUCCESS;

ErrorRelease:
    E1000ReleaseResources(adapter);
ErrorFreeAdapter:
    NdisFreeMemory(adapter, sizeof(*adapter), 0);
    return status;
}

static VOID
E1000CompleteAllSends(
    PE1000_ADAPTER Adapter,
    NDIS_STATUS Status
    )
/*++

Routine Description:

    Gives every packet the driver holds back to NDIS with @Status: those
    on the ring and those queued behind it.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PNDIS_PACKET packet;
    ULONG        i;

    for (i = 0; i < E1000_TX_RING_SIZE; i++) {
        packet = Adapter->TxPacket[i];
        if (packet != NULL) {
            Adapter->TxPacket[i] = NULL;
            Adapter->XmitError++;
            NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, Status);
        }
    }
    while ((packet = Adapter->SendQueueHead) != NULL) {
        Adapter->SendQueueHead = E1000_PACKET_NEXT(packet);
        Adapter->XmitError++;
        NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, Status);
    }
    Adapter->SendQueueTail = NULL;
}

static VOID
E1000Halt(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportHalt: masks the interrupts for good, deregisters the interrupt,
    resets the controller, gives back any packet still held, and frees
    everything.

    IRQL: PASSIVE_LEVEL.

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)MiniportAdapterContext;
    KIRQL          oldIrql;

    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)E1000SyncStop, adapter);
    NdisMDeregisterInterrupt(&adapter->Interrupt);
    adapter->InterruptRegistered = FALSE;
    E1000Write(adapter, E1000_RCTL, 0);
    E1000Write(adapter, E1000_TCTL, 0);
    NDIS_RAISE_IRQL_TO_DISPATCH(&oldIrql);
    E1000CompleteAllSends(adapter, NDIS_STATUS_FAILURE);
    NDIS_LOWER_IRQL(oldIrql, DISPATCH_LEVEL);
    E1000ReleaseResources(adapter);
    NdisFreeMemory(adapter, sizeof(*adapter), 0);
}

static NDIS_STATUS
E1000Reset(
    PBOOLEAN AddressingReset,
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportReset: masks, resets the controller, fails every held packet,
    and starts again with the addresses and filter NDIS set.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)MiniportAdapterContext;

    *AddressingReset = FALSE;
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)E1000SyncMask, adapter);
    E1000ResetHardware(adapter);
    E1000CompleteAllSends(adapter, NDIS_STATUS_FAILURE);
    E1000StartHardware(adapter);
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)E1000SyncUnmask, adapter);
    return NDIS_STATUS_SUCCESS;
}

static BOOLEAN
E1000CheckForHang(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportCheckForHang: reclaims the transmit ring. The last packet sent
    before traffic stops raises no further interrupt if its descriptor's
    fetch failed (no write-back, no cause), so the periodic check is what
    completes it. Nothing here needs a reset.

    IRQL: DISPATCH_LEVEL (serialized: the miniport lock is held).

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)MiniportAdapterContext;

    if (adapter->TxFree < E1000_TX_RING_SIZE - 1) {
        E1000ProcessTransmit(adapter);
    }
    return FALSE;
}

//
// -------------------------------------------------------------- interrupts
//

static BOOLEAN
E1000SyncUnmask(
    PVOID SynchronizeContext
    )
/*++

Routine Description:

    MiniportSynchronizeISR: unmasks the serviced causes (unless halting).
    A cause that is still set asserts the line again at once: nothing that
    arrived while masked is lost.

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)SynchronizeContext;

    if (adapter->Halting) {
        return FALSE;
    }
    adapter->ImsShadow = E1000_INTERRUPT_MASK;
    E1000Write(adapter, E1000_IMS, adapter->ImsShadow);
    return TRUE;
}

static BOOLEAN
E1000SyncMask(
    PVOID SynchronizeContext
    )
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)SynchronizeContext;

    adapter->ImsShadow = 0;
    E1000Write(adapter, E1000_IMC, E1000_ICR_ALL);
    return TRUE;
}

static BOOLEAN
E1000SyncStop(
    PVOID SynchronizeContext
    )
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)SynchronizeContext;

    adapter->Halting = TRUE;
    return E1000SyncMask(SynchronizeContext);
}

static BOOLEAN
E1000SyncTakeCauses(
    PVOID SynchronizeContext
    )
/*++

Routine Description:

    MiniportSynchronizeISR: hands the causes the ISR saved to the DPC.

    Return Value:

    TRUE if a link change was among them.

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)SynchronizeContext;
    ULONG          causes = adapter->PendingCauses;

    adapter->PendingCauses = 0;
    return (causes & E1000_ICR_LSC) != 0;
}

static VOID
E1000Isr(
    PBOOLEAN InterruptRecognized,
    PBOOLEAN QueueMiniportHandleInterrupt,
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportISR, for every interrupt on the shared line.

    While every cause is masked this NIC cannot be asserting the line:
    return at once without touching ICR. Otherwise read ICR once: the read
    clears every cause and deasserts the line, which dismisses the level
    interrupt (L10). If no enabled cause was set, the interrupt is another
    device's. If one was, keep the causes and ask for
    MiniportHandleInterrupt.

    The ISR does not mask IMS: NDIS 5 does not run MiniportHandleInterrupt
    (nor MiniportEnableInterrupt after it) for an interrupt taken while
    MiniportInitialize or MiniportHalt runs (L4), so a mask set here could
    stay set for good. Interrupts taken while the DPC runs are claimed the
    same way and fold into the queued DPC (L6); ITR bounds their rate. The
    work of an interrupt taken during MiniportInitialize waits for the next
    interrupt's DPC (the rings are processed by descriptor status).

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)MiniportAdapterContext;
    ULONG          icr;

    *InterruptRecognized = FALSE;
    *QueueMiniportHandleInterrupt = FALSE;

    if (adapter->ImsShadow == 0) {
        return;
    }
    icr = E1000Read(adapter, E1000_ICR);
    if ((icr & adapter->ImsShadow) == 0) {
        return;
    }
    adapter->PendingCauses |= icr & E1000_ICR_ALL;
    *InterruptRecognized = TRUE;
    *QueueMiniportHandleInterrupt = TRUE;
}

static BOOLEAN
E1000AcceptFrame(
    PE1000_ADAPTER Adapter,
    const UCHAR *Destination
    )
/*++

Routine Description:

    The packet filter's last word: the hardware passes our address,
    broadcast (BAM) and the multicast hash, which can let through addresses
    not in the list.

--*/
{
    ULONG filter = Adapter->PacketFilter;
    UINT  i;

    if (filter & NDIS_PACKET_TYPE_PROMISCUOUS) {
        return TRUE;
    }
    if (Destination[0] & 1) {
        for (i = 0; i < ETH_LENGTH_OF_ADDRESS && Destination[i] == 0xFF; i++) {
        }
        if (i == ETH_LENGTH_OF_ADDRESS) {
            return (filter & NDIS_PACKET_TYPE_BROADCAST) != 0;
        }
        if (filter & NDIS_PACKET_TYPE_ALL_MULTICAST) {
            return TRUE;
        }
        if (!(filter & NDIS_PACKET_TYPE_MULTICAST)) {
            return FALSE;
        }
        for (i = 0; i < Adapter->McastCount; i++) {
            if (NdisEqualMemory(Destination, Adapter->McastList[i], ETH_LENGTH_OF_ADDRESS)) {
                return TRUE;
            }
        }
        return FALSE;
    }
    return (filter & NDIS_PACKET_TYPE_DIRECTED) != 0 &&
           NdisEqualMemory(Destination, Adapter->CurrentAddress, ETH_LENGTH_OF_ADDRESS);
}

static VOID
E1000ProcessReceive(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Indicates every frame the hardware has finished (DD set), gives the
    descriptors back by moving RDT to the last one taken (SDM 3.2.6).

    IRQL: DISPATCH_LEVEL.

--*/
{
    PE1000_RX_DESC desc;
    PUCHAR         frame;
    ULONG          last = E1000_RX_RING_SIZE;
    UINT           length;
    BOOLEAN        indicated = FALSE;

    for (;;) {
        desc = &Adapter->RxRing[Adapter->RxNext];
        if (!(*(volatile UCHAR *)&desc->Status & E1000_RXD_STAT_DD)) {
            break;
        }
        KeMemoryBarrier();
        frame = Adapter->RxBuffers + (ULONG_PTR)Adapter->RxNext * E1000_BUFFER_SIZE;
        length = desc->Length;
        if (!(desc->Status & E1000_RXD_STAT_EOP) || (desc->Errors & E1000_RXD_ERR_MASK) ||
            length < ETH_MIN_PACKET_SIZE || length > E1000_BUFFER_SIZE) {
            Adapter->RcvError++;
        } else if (E1000AcceptFrame(Adapter, frame)) {
            Adapter->RcvOk++;
            NdisMEthIndicateReceive(Adapter->MiniportAdapterHandle, Adapter, frame,
                                    ETH_HEADER_SIZE, frame + ETH_HEADER_SIZE,
                                    length - ETH_HEADER_SIZE, length - ETH_HEADER_SIZE);
            indicated = TRUE;
        }
        desc->Status = 0;
        last = Adapter->RxNext;
        Adapter->RxNext = (Adapter->RxNext + 1) & (E1000_RX_RING_SIZE - 1);
    }
    if (last != E1000_RX_RING_SIZE) {
        E1000Write(Adapter, E1000_RDT, last);
    }
    if (indicated) {
        NdisMEthIndicateReceiveComplete(Adapter->MiniportAdapterHandle);
    }
}

static BOOLEAN
E1000TransmitPacket(
    PE1000_ADAPTER Adapter,
    PNDIS_PACKET Packet
    )
/*++

Routine Description:

    Copies the packet into the next descriptor's buffer and hands it to
    the hardware (EOP, IFCS, RS: SDM 3.3.3). The caller checked TxFree.

    Return Value:

    FALSE if the packet cannot be sent (bad length): the caller fails it.

--*/
{
    PE1000_TX_DESC desc;
    PNDIS_BUFFER   buffer;
    PUCHAR         data;
    PVOID          va;
    UINT           totalLength, length, copied = 0;
    ULONG          i = Adapter->TxNextToUse;

    NdisQueryPacket(Packet, NULL, NULL, &buffer, &totalLength);
    if (totalLength < ETH_MIN_PACKET_SIZE || totalLength > ETH_MAX_PACKET_SIZE) {
        return FALSE;
    }
    data = Adapter->TxBuffers + (ULONG_PTR)i * E1000_BUFFER_SIZE;
    while (buffer != NULL && copied < totalLength) {
        NdisQueryBufferSafe(buffer, &va, &length, NormalPagePriority);
        if (va == NULL) {
            return FALSE;
        }
        if (copied + length > totalLength) {
            length = totalLength - copied;
        }
        NdisMoveMemory(data + copied, va, length);
        copied += length;
        NdisGetNextBuffer(buffer, &buffer);
    }

    desc = &Adapter->TxRing[i];
    desc->BufferAddress = (ULONG64)Adapter->TxBuffersPa.QuadPart + (ULONG64)i * E1000_BUFFER_SIZE;
    desc->Length = (USHORT)copied;
    desc->Cso = 0;
    desc->Css = 0;
    desc->Special = 0;
    desc->Status = 0;
    desc->Command = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
    Adapter->TxPacket[i] = Packet;
    Adapter->TxFree--;
    Adapter->TxNextToUse = (i + 1) & (E1000_TX_RING_SIZE - 1);
    KeMemoryBarrier();
    E1000Write(Adapter, E1000_TDT, Adapter->TxNextToUse);
    return TRUE;
}

static VOID
E1000StartQueuedSends(
    PE1000_ADAPTER Adapter
    )
{
    PNDIS_PACKET packet;

    while (Adapter->TxFree != 0 && (packet = Adapter->SendQueueHead) != NULL) {
        Adapter->SendQueueHead = E1000_PACKET_NEXT(packet);
        if (Adapter->SendQueueHead == NULL) {
            Adapter->SendQueueTail = NULL;
        }
        if (!E1000TransmitPacket(Adapter, packet)) {
            Adapter->XmitError++;
            NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, NDIS_STATUS_INVALID_LENGTH);
        }
    }
}

static VOID
E1000ProcessTransmit(
    PE1000_ADAPTER Adapter
    )
/*++

Routine Description:

    Completes every packet whose descriptor the hardware wrote back (DD),
    then starts packets that waited for a descriptor. A descriptor the
    hardware consumed without a write-back - TDH moved past it, DD still
    clear: its fetch failed on the bus, and the 82540EM reports that in no
    register - fails its packet (NDIS_STATUS_FAILURE) instead of holding
    the ring forever.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PE1000_TX_DESC desc;
    PNDIS_PACKET   packet;
    BOOLEAN        failed;

    while (Adapter->TxFree < E1000_TX_RING_SIZE - 1) {
        desc = &Adapter->TxRing[Adapter->TxNextToClean];
        failed = FALSE;
        if (!(*(volatile UCHAR *)&desc->Status & E1000_TXD_STAT_DD)) {
            //
            // The hardware writes DD before it advances TDH: with TDH past
            // the descriptor, DD read again is final.
            //
            if (E1000Read(Adapter, E1000_TDH) == Adapter->TxNextToClean) {
                break;
            }
            KeMemoryBarrier();
            failed = !(*(volatile UCHAR *)&desc->Status & E1000_TXD_STAT_DD);
        }
        packet = Adapter->TxPacket[Adapter->TxNextToClean];
        Adapter->TxPacket[Adapter->TxNextToClean] = NULL;
        Adapter->TxNextToClean = (Adapter->TxNextToClean + 1) & (E1000_TX_RING_SIZE - 1);
        Adapter->TxFree++;
        if (packet != NULL && failed) {
            Adapter->XmitError++;
            NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, NDIS_STATUS_FAILURE);
        } else if (packet != NULL) {
            Adapter->XmitOk++;
            NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, NDIS_STATUS_SUCCESS);
        }
    }
    E1000StartQueuedSends(Adapter);
}

static VOID
E1000HandleInterrupt(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportHandleInterrupt: takes the saved causes, drains the receive
    ring and reclaims the transmit ring - both by descriptor status, so one
    DPC serves every interrupt it stands for - and reports a link change.


    IRQL: DISPATCH_LEVEL.

--*/
{
    PE1000_ADAPTER   adapter = (PE1000_ADAPTER)MiniportAdapterContext;
    NDIS_MEDIA_STATE was = adapter->MediaState;
    BOOLEAN          linkChanged;

    linkChanged = NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)E1000SyncTakeCauses,
                                                adapter);
    E1000ProcessReceive(adapter);
    E1000ProcessTransmit(adapter);

    if (linkChanged) {
        E1000UpdateLink(adapter);
        if (adapter->MediaState != was) {
            NdisMIndicateStatus(adapter->MiniportAdapterHandle,
                                adapter->MediaState == NdisMediaStateConnected
                                    ? NDIS_STATUS_MEDIA_CONNECT
                                    : NDIS_STATUS_MEDIA_DISCONNECT,
                                NULL, 0);
            NdisMIndicateStatusComplete(adapter->MiniportAdapterHandle);
        }
    }
}

//
// -------------------------------------------------------------------- send
//

static NDIS_STATUS
E1000Send(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_PACKET Packet,
    UINT Flags
    )
/*++

Routine Description:

    MiniportSend: the packet goes on the ring if a descriptor is free and
    nothing waits ahead of it, otherwise at the end of the driver's queue.
    Either way it is completed with NdisMSendComplete when its descriptor
    comes back (E1000ProcessTransmit).

    IRQL: DISPATCH_LEVEL (serialized).

Return Value:

    NDIS_STATUS_PENDING, or NDIS_STATUS_INVALID_LENGTH.

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(Flags);
    if (adapter->SendQueueHead == NULL && adapter->TxFree != 0) {
        if (!E1000TransmitPacket(adapter, Packet)) {
            adapter->XmitError++;
            return NDIS_STATUS_INVALID_LENGTH;
        }
        return NDIS_STATUS_PENDING;
    }
    E1000_PACKET_NEXT(Packet) = NULL;
    if (adapter->SendQueueTail != NULL) {
        E1000_PACKET_NEXT(adapter->SendQueueTail) = Packet;
    } else {
        adapter->SendQueueHead = Packet;
    }
    adapter->SendQueueTail = Packet;
    return NDIS_STATUS_PENDING;
}

//
// -------------------------------------------------------------------- OIDs
//

static NDIS_STATUS
E1000QueryInformation(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_OID Oid,
    PVOID InformationBuffer,
    ULONG InformationBufferLength,
    PULONG BytesWritten,
    PULONG BytesNeeded
    )
/*++

Routine Description:

    MiniportQueryInformation.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)MiniportAdapterContext;
    ULONG          ulong = 0;
    USHORT         ushort;
    ULONG64        ulong64 = 0;
    NDIS_MEDIUM    medium = NdisMedium802_3;
    const VOID    *source = &ulong;
    ULONG          size = sizeof(ulong);
    BOOLEAN        counter = FALSE;

    switch (Oid) {
    case OID_GEN_SUPPORTED_LIST:
        source = E1000SupportedOids;
        size = sizeof(E1000SupportedOids);
        break;
    case OID_GEN_HARDWARE_STATUS:
        ulong = NdisHardwareStatusReady;
        break;
    case OID_GEN_MEDIA_SUPPORTED:
    case OID_GEN_MEDIA_IN_USE:
        source = &medium;
        size = sizeof(medium);
        break;
    case OID_GEN_MAXIMUM_LOOKAHEAD:
    case OID_GEN_MAXIMUM_FRAME_SIZE:
        ulong = ETH_MAX_DATA_SIZE;
        break;
    case OID_GEN_CURRENT_LOOKAHEAD:
        ulong = adapter->Lookahead;
        break;
    case OID_GEN_LINK_SPEED:
        ulong = adapter->LinkSpeed;
        break;
    case OID_GEN_TRANSMIT_BUFFER_SPACE:
        ulong = E1000_BUFFER_SIZE * E1000_TX_RING_SIZE;
        break;
    case OID_GEN_RECEIVE_BUFFER_SPACE:
        ulong = E1000_BUFFER_SIZE * E1000_RX_RING_SIZE;
        break;
    case OID_GEN_TRANSMIT_BLOCK_SIZE:
    case OID_GEN_RECEIVE_BLOCK_SIZE:
        ulong = E1000_BUFFER_SIZE;
        break;
    case OID_GEN_MAXIMUM_TOTAL_SIZE:
        ulong = ETH_MAX_PACKET_SIZE;
        break;
    case OID_GEN_VENDOR_ID:
        ulong = ((ULONG)adapter->PermanentAddress[0] << 16) |
                ((ULONG)adapter->PermanentAddress[1] << 8) | adapter->PermanentAddress[2];
        break;
    case OID_GEN_VENDOR_DESCRIPTION:
        source = E1000VendorDescription;
        size = sizeof(E1000VendorDescription);
        break;
    case OID_GEN_CURRENT_PACKET_FILTER:
        ulong = adapter->PacketFilter;
        break;
    case OID_GEN_DRIVER_VERSION:
        ushort = (E1000_NDIS_MAJOR_VERSION << 8) | E1000_NDIS_MINOR_VERSION;
        source = &ushort;
        size = sizeof(ushort);
        break;
    case OID_GEN_VENDOR_DRIVER_VERSION:
        ulong = 0x00010000;
        break;
    case OID_GEN_MAC_OPTIONS:
        ulong = NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA | NDIS_MAC_OPTION_TRANSFERS_NOT_PEND |
                NDIS_MAC_OPTION_NO_LOOPBACK;
        break;
    case OID_GEN_MEDIA_CONNECT_STATUS:
        ulong = adapter->MediaState;
        break;
    case OID_GEN_MAXIMUM_SEND_PACKETS:
        ulong = 1;
        break;
    case OID_GEN_XMIT_OK:
        ulong64 = adapter->XmitOk;
        counter = TRUE;
        break;
    case OID_GEN_RCV_OK:
        ulong64 = adapter->RcvOk;
        counter = TRUE;
        break;
    case OID_GEN_XMIT_ERROR:
        ulong64 = adapter->XmitError;
        counter = TRUE;
        break;
    case OID_GEN_RCV_ERROR:
        ulong64 = adapter->RcvError;
        counter = TRUE;
        break;
    case OID_GEN_RCV_NO_BUFFER:
        adapter->RcvNoBuffer += E1000Read(adapter, E1000_MPC); // clear on read (SDM 13.7)
        ulong64 = adapter->RcvNoBuffer;
        counter = TRUE;
        break;
    case OID_802_3_PERMANENT_ADDRESS:
        source = adapter->PermanentAddress;
        size = ETH_LENGTH_OF_ADDRESS;
        break;
    case OID_802_3_CURRENT_ADDRESS:
        source = adapter->CurrentAddress;
        size = ETH_LENGTH_OF_ADDRESS;
        break;
    case OID_802_3_MULTICAST_LIST:
        source = adapter->McastList;
        size = adapter->McastCount * ETH_LENGTH_OF_ADDRESS;
        break;
    case OID_802_3_MAXIMUM_LIST_SIZE:
        ulong = E1000_MAX_MCAST_LIST;
        break;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }

    if (counter) {
        if (InformationBufferLength >= sizeof(ULONG64)) {
            source = &ulong64;
            size = sizeof(ULONG64);
        } else {
            ulong = (ULONG)ulong64;
        }
    }
    if (size > InformationBufferLength) {
        *BytesNeeded = size;
        *BytesWritten = 0;
        return NDIS_STATUS_BUFFER_TOO_SHORT;
    }
    NdisMoveMemory(InformationBuffer, source, size);
    *BytesWritten = size;
    *BytesNeeded = 0;
    return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS
E1000SetInformation(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_OID Oid,
    PVOID InformationBuffer,
    ULONG InformationBufferLength,
    PULONG BytesRead,
    PULONG BytesNeeded
    )
/*++

Routine Description:

    MiniportSetInformation: packet filter (RCTL UPE/MPE/BAM), lookahead,
    multicast list (the MTA).

    IRQL: DISPATCH_LEVEL.

--*/
{
    PE1000_ADAPTER adapter = (PE1000_ADAPTER)MiniportAdapterContext;
    ULONG          value;

    *BytesRead = 0;
    *BytesNeeded = 0;
    switch (Oid) {
    case OID_GEN_CURRENT_PACKET_FILTER:
    case OID_GEN_CURRENT_LOOKAHEAD:
        if (InformationBufferLength < sizeof(ULONG)) {
            *BytesNeeded = sizeof(ULONG);
            return NDIS_STATUS_INVALID_LENGTH;
        }
        NdisMoveMemory(&value, InformationBuffer, sizeof(value));
        *BytesRead = sizeof(ULONG);
        if (Oid == OID_GEN_CURRENT_LOOKAHEAD) {
            if (value > ETH_MAX_DATA_SIZE) {
                return NDIS_STATUS_INVALID_DATA;
            }
            adapter->Lookahead = value;
            return NDIS_STATUS_SUCCESS;
        }
        if (value & ~(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST |
                      NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_BROADCAST |
                      NDIS_PACKET_TYPE_PROMISCUOUS)) {
            return NDIS_STATUS_NOT_SUPPORTED;
        }
        adapter->PacketFilter = value;
        E1000ProgramFilter(adapter);
        return NDIS_STATUS_SUCCESS;
    case OID_802_3_MULTICAST_LIST:
        if (InformationBufferLength % ETH_LENGTH_OF_ADDRESS) {
            return NDIS_STATUS_INVALID_LENGTH;
        }
        if (InformationBufferLength / ETH_LENGTH_OF_ADDRESS > E1000_MAX_MCAST_LIST) {
            return NDIS_STATUS_MULTICAST_FULL;
        }
        adapter->McastCount = InformationBufferLength / ETH_LENGTH_OF_ADDRESS;
        NdisMoveMemory(adapter->McastList, InformationBuffer, InformationBufferLength);
        *BytesRead = InformationBufferLength;
        E1000ProgramFilter(adapter);
        return NDIS_STATUS_SUCCESS;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}
