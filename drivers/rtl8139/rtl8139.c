/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    rtl8139.c

Abstract:

    NDIS 5.1 miniport for the Realtek RTL8139C(L), written from Realtek's
    datasheet in the style of the NDIS 5 WDK samples.

    Hardware: the registers are reached through the I/O window (BAR0,
    NdisMRegisterIoPortRange), as the part's classic drivers do. A reset
    is CR.RST, polled until the bit clears. The permanent address is read
    from the 93C46 serial EEPROM bit by bit through 9346CR (EEM = 10b:
    chip select, clock and data-in driven by software, data-out sampled),
    after the EEPROM's signature word is checked.

    DMA: the part's bus-master address registers (RBSTART, TSAD0-3) are 32
    bits wide, so NdisMInitializeScatterGatherDma is told FALSE for
    Dma64BitAddresses and every shared-memory address is checked to be
    below 4 GiB. Receive uses one 32 KiB ring buffer with RCR.WRAP set (a
    packet that passes the end continues linearly into the slack after the
    ring, so it is always contiguous); the driver reads packets at CAPR +
    16 until CR.BUFE and writes CAPR back. Transmit uses the four TSD/TSAD
    descriptors in round-robin order, one copied frame per descriptor.

    Interrupts: INTA# is level-sensitive and may be shared (RequestIsr,
    SharedInterrupt TRUE). MiniportISR reads ISR, and if a cause it enabled
    in IMR is set writes the bits back (ISR is write-1-to-clear), which
    drops the line; the causes are handed to MiniportHandleInterrupt, which
    drains the ring, reclaims transmit descriptors, starts queued sends and
    reports link changes (LinkChg -> NdisMIndicateStatus). IMR is written
    only under the interrupt lock (NdisMSynchronizeWithInterrupt).

    The miniport is serialized (no NDIS_ATTRIBUTE_DESERIALIZE).

Environment:

    Kernel mode (ndisrt: a vCPU of the emulated machine).

--*/

#include "rtl8139.h"

static NDIS_STATUS RtlInitialize(PNDIS_STATUS OpenErrorStatus, PUINT SelectedMediumIndex,
                                 PNDIS_MEDIUM MediumArray, UINT MediumArraySize,
                                 NDIS_HANDLE MiniportAdapterHandle,
                                 NDIS_HANDLE WrapperConfigurationContext);
static VOID RtlHalt(NDIS_HANDLE MiniportAdapterContext);
static VOID RtlIsr(PBOOLEAN InterruptRecognized, PBOOLEAN QueueMiniportHandleInterrupt,
                   NDIS_HANDLE MiniportAdapterContext);
static VOID RtlHandleInterrupt(NDIS_HANDLE MiniportAdapterContext);
static NDIS_STATUS RtlSend(NDIS_HANDLE MiniportAdapterContext, PNDIS_PACKET Packet, UINT Flags);
static NDIS_STATUS RtlQueryInformation(NDIS_HANDLE MiniportAdapterContext, NDIS_OID Oid,
                                       PVOID InformationBuffer, ULONG InformationBufferLength,
                                       PULONG BytesWritten, PULONG BytesNeeded);
static NDIS_STATUS RtlSetInformation(NDIS_HANDLE MiniportAdapterContext, NDIS_OID Oid,
                                     PVOID InformationBuffer, ULONG InformationBufferLength,
                                     PULONG BytesRead, PULONG BytesNeeded);
static NDIS_STATUS RtlReset(PBOOLEAN AddressingReset, NDIS_HANDLE MiniportAdapterContext);
static BOOLEAN RtlCheckForHang(NDIS_HANDLE MiniportAdapterContext);

static BOOLEAN RtlSyncUnmask(PVOID SynchronizeContext);
static BOOLEAN RtlSyncMask(PVOID SynchronizeContext);
static BOOLEAN RtlSyncStop(PVOID SynchronizeContext);
static BOOLEAN RtlSyncTakeCauses(PVOID SynchronizeContext);

static const NDIS_OID RtlSupportedOids[] = {
    OID_GEN_SUPPORTED_LIST,        OID_GEN_HARDWARE_STATUS,       OID_GEN_MEDIA_SUPPORTED,
    OID_GEN_MEDIA_IN_USE,          OID_GEN_MAXIMUM_LOOKAHEAD,     OID_GEN_MAXIMUM_FRAME_SIZE,
    OID_GEN_LINK_SPEED,            OID_GEN_TRANSMIT_BUFFER_SPACE, OID_GEN_RECEIVE_BUFFER_SPACE,
    OID_GEN_TRANSMIT_BLOCK_SIZE,   OID_GEN_RECEIVE_BLOCK_SIZE,    OID_GEN_VENDOR_ID,
    OID_GEN_VENDOR_DESCRIPTION,    OID_GEN_CURRENT_PACKET_FILTER, OID_GEN_CURRENT_LOOKAHEAD,
    OID_GEN_DRIVER_VERSION,        OID_GEN_MAXIMUM_TOTAL_SIZE,    OID_GEN_MAC_OPTIONS,
    OID_GEN_MEDIA_CONNECT_STATUS,  OID_GEN_MAXIMUM_SEND_PACKETS,  OID_GEN_VENDOR_DRIVER_VERSION,
    OID_GEN_XMIT_OK,               OID_GEN_RCV_OK,                OID_GEN_XMIT_ERROR,
    OID_GEN_RCV_ERROR,             OID_GEN_RCV_NO_BUFFER,         OID_802_3_PERMANENT_ADDRESS,
    OID_802_3_CURRENT_ADDRESS,     OID_802_3_MULTICAST_LIST,      OID_802_3_MAXIMUM_LIST_SIZE,
};

static const char RtlVendorDescription[] = "ndisrt Realtek RTL8139C (NDIS 5.1 sample)";

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
    chars.MajorNdisVersion        = RTL_NDIS_MAJOR_VERSION;
    chars.MinorNdisVersion        = RTL_NDIS_MINOR_VERSION;
    chars.InitializeHandler       = RtlInitialize;
    chars.HaltHandler             = RtlHalt;
    chars.ISRHandler              = RtlIsr;
    chars.HandleInterruptHandler  = RtlHandleInterrupt;
    chars.SendHandler             = RtlSend;
    chars.QueryInformationHandler = RtlQueryInformation;
    chars.SetInformationHandler   = RtlSetInformation;
    chars.ResetHandler            = RtlReset;
    chars.CheckForHangHandler     = RtlCheckForHang;

    status = NdisMRegisterMiniport(wrapperHandle, &chars, sizeof(chars));
    if (status != NDIS_STATUS_SUCCESS) {
        NdisTerminateWrapper(wrapperHandle, NULL);
    }
    return status;
}

//
// -------------------------------------------------------- register helpers
//

static __inline UCHAR
RtlRead8(PRTL_ADAPTER Adapter, ULONG Register)
{
    UCHAR value;

    NdisRawReadPortUchar(Adapter->IoBase + Register, &value);
    return value;
}

static __inline USHORT
RtlRead16(PRTL_ADAPTER Adapter, ULONG Register)
{
    USHORT value;

    NdisRawReadPortUshort(Adapter->IoBase + Register, &value);
    return value;
}

static __inline ULONG
RtlRead32(PRTL_ADAPTER Adapter, ULONG Register)
{
    ULONG value;

    NdisRawReadPortUlong(Adapter->IoBase + Register, &value);
    return value;
}

static __inline VOID
RtlWrite8(PRTL_ADAPTER Adapter, ULONG Register, UCHAR Value)
{
    NdisRawWritePortUchar(Adapter->IoBase + Register, Value);
}

static __inline VOID
RtlWrite16(PRTL_ADAPTER Adapter, ULONG Register, USHORT Value)
{
    NdisRawWritePortUshort(Adapter->IoBase + Register, Value);
}

static __inline VOID
RtlWrite32(PRTL_ADAPTER Adapter, ULONG Register, ULONG Value)
{
    NdisRawWritePortUlong(Adapter->IoBase + Register, Value);
}

//
// ------------------------------------------------------------------ EEPROM
//

static __inline VOID
RtlEepromPins(
    PRTL_ADAPTER Adapter,
    UCHAR Pins
    )
{
    RtlWrite8(Adapter, RTL_9346CR, RTL_9346_PROGRAM | Pins);
    NdisStallExecution(1);
}

static USHORT
RtlReadEepromWord(
    PRTL_ADAPTER Adapter,
    ULONG Word
    )
/*++

Routine Description:

    One 16-bit word of the 93C46 through 9346CR (DS: 93C46 Command
    Register, and the 93C46's READ cycle): with chip select high, clock in
    the start bit, the READ opcode 10b and the six address bits, MSB first,
    each on a rising edge of SK; then sixteen more rising edges each put a
    data bit (MSB first) on DO. Chip select low ends the cycle, and EEM
    goes back to normal operation.

    IRQL: <= DISPATCH_LEVEL.

--*/
{
    ULONG  command, bit, i;
    USHORT data = 0;
    UCHAR  di;

    command = (1u << (2 + RTL_EEPROM_ADDRESS_BITS)) |
              (RTL_EEPROM_READ_OPCODE << RTL_EEPROM_ADDRESS_BITS) |
              (Word & ((1u << RTL_EEPROM_ADDRESS_BITS) - 1));

    RtlEepromPins(Adapter, 0);
    RtlEepromPins(Adapter, RTL_9346_EECS);
    for (i = 0; i < 3 + RTL_EEPROM_ADDRESS_BITS; i++) {
        bit = (command >> (2 + RTL_EEPROM_ADDRESS_BITS - i)) & 1;
        di = bit ? RTL_9346_EEDI : 0;
        RtlEepromPins(Adapter, RTL_9346_EECS | di);
        RtlEepromPins(Adapter, RTL_9346_EECS | RTL_9346_EESK | di);
        RtlEepromPins(Adapter, RTL_9346_EECS | di);
    }
    for (i = 0; i < 16; i++) {
        RtlEepromPins(Adapter, RTL_9346_EECS | RTL_9346_EESK);
        data = (USHORT)((data << 1) | (RtlRead8(Adapter, RTL_9346CR) & RTL_9346_EEDO));
        RtlEepromPins(Adapter, RTL_9346_EECS);
    }
    RtlEepromPins(Adapter, 0);
    RtlWrite8(Adapter, RTL_9346CR, 0);
    return data;
}

static NDIS_STATUS
RtlReadMacAddress(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    Checks the EEPROM signature (word 0, 8129h) and takes the permanent
    address from words 7-9, low byte first (DS: EEPROM contents).

    IRQL: PASSIVE_LEVEL.

--*/
{
    USHORT word;
    ULONG  i;

    if (RtlReadEepromWord(Adapter, 0) != RTL_EEPROM_SIGNATURE) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    for (i = 0; i < ETH_LENGTH_OF_ADDRESS / 2; i++) {
        word = RtlReadEepromWord(Adapter, RTL_EEPROM_MAC_WORD + i);
        Adapter->PermanentAddress[2 * i] = (UCHAR)word;
        Adapter->PermanentAddress[2 * i + 1] = (UCHAR)(word >> 8);
    }
    if (Adapter->PermanentAddress[0] & 1) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND; // a multicast station address: blank EEPROM
    }
    return NDIS_STATUS_SUCCESS;
}

//
// --------------------------------------------------------------- hardware
//

static NDIS_STATUS
RtlFindDevice(
    PRTL_ADAPTER Adapter,
    NDIS_HANDLE MiniportAdapterHandle
    )
/*++

Routine Description:

    Checks the PCI identity, and reads the I/O base (BAR0) and the
    interrupt line.

    IRQL: PASSIVE_LEVEL.

--*/
{
    USHORT vendor = 0, device = 0;
    ULONG  ioar = 0;
    UCHAR  line = 0;

    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, RTL_PCI_CFG_VENDOR_ID, &vendor,
                               sizeof(vendor));
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, RTL_PCI_CFG_DEVICE_ID, &device,
                               sizeof(device));
    if (vendor != RTL_PCI_VENDOR_ID || device != RTL_PCI_DEVICE_ID) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, RTL_PCI_CFG_IOAR, &ioar, sizeof(ioar));
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, RTL_PCI_CFG_INTERRUPT_LINE, &line,
                               sizeof(line));
    if (!(ioar & RTL_PCI_BAR_IO_SPACE) || (ioar & RTL_PCI_BAR_IO_MASK) == 0 || line == 0) {
        return NDIS_STATUS_RESOURCE_CONFLICT;
    }
    Adapter->IoPort = ioar & RTL_PCI_BAR_IO_MASK;
    Adapter->InterruptVector = line;
    return NDIS_STATUS_SUCCESS;
}

static BOOLEAN
RtlResetHardware(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    Masks every interrupt, sets CR.RST and waits (about 1 ms at most) for
    the part to clear it (DS: Command Register), then acknowledges whatever
    was pending.

Return Value:

    FALSE if the reset never completed.

--*/
{
    UINT i;

    RtlWrite16(Adapter, RTL_IMR, 0);
    RtlWrite8(Adapter, RTL_CR, RTL_CR_RST);
    for (i = 0; i < 1000; i++) {
        if (!(RtlRead8(Adapter, RTL_CR) & RTL_CR_RST)) {
            RtlWrite16(Adapter, RTL_ISR, RTL_INT_ALL);
            return TRUE;
        }
        NdisStallExecution(1);
    }
    return FALSE;
}

static ULONG
RtlMulticastHash(
    const UCHAR *Address
    )
/*++

Routine Description:

    The MAR bit of a multicast address: the 6 most significant bits of the
    big-endian (MSB-first) CRC-32 of the address (DS: MAR0-7).

--*/
{
    ULONG crc = 0xFFFFFFFF, bit, i, j;
    UCHAR byte;

    for (i = 0; i < ETH_LENGTH_OF_ADDRESS; i++) {
        byte = Address[i];
        for (j = 0; j < 8; j++) {
            bit = (crc >> 31) ^ (byte & 1);
            byte >>= 1;
            crc <<= 1;
            if (bit) {
                crc ^= 0x04C11DB7;
            }
        }
    }
    return crc >> 26;
}

static VOID
RtlProgramFilter(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    The station address (IDR0-5), the multicast hash (MAR0-7) and the RCR
    accept bits from the packet filter NDIS set.

--*/
{
    const UCHAR *a = Adapter->CurrentAddress;
    ULONG        mar[2] = {0, 0};
    ULONG        rcr, hash, i;
    ULONG        filter = Adapter->PacketFilter;

    //
    // IDR0-5 are written with the configuration registers unlocked
    // (9346CR EEM = 11b), as dwords.
    //
    RtlWrite8(Adapter, RTL_9346CR, RTL_9346_CONFIG_WRITE);
    RtlWrite32(Adapter, RTL_IDR0,
               a[0] | ((ULONG)a[1] << 8) | ((ULONG)a[2] << 16) | ((ULONG)a[3] << 24));
    RtlWrite32(Adapter, RTL_IDR4, a[4] | ((ULONG)a[5] << 8));
    RtlWrite8(Adapter, RTL_9346CR, 0);

    if (filter & (NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_PROMISCUOUS)) {
        mar[0] = mar[1] = 0xFFFFFFFF;
    } else if (filter & NDIS_PACKET_TYPE_MULTICAST) {
        for (i = 0; i < Adapter->McastCount; i++) {
            hash = RtlMulticastHash(Adapter->McastList[i]);
            mar[hash >> 5] |= 1u << (hash & 31);
        }
    }
    RtlWrite32(Adapter, RTL_MAR0, mar[0]);
    RtlWrite32(Adapter, RTL_MAR4, mar[1]);

    rcr = RTL_RCR_RBLEN_32K | RTL_RCR_WRAP | RTL_RCR_MXDMA_UNLIMITED | RTL_RCR_RXFTH_NONE |
          RTL_RCR_APM;
    if (filter & NDIS_PACKET_TYPE_BROADCAST) {
        rcr |= RTL_RCR_AB;
    }
    if (filter & (NDIS_PACKET_TYPE_MULTICAST | NDIS_PACKET_TYPE_ALL_MULTICAST |
                  NDIS_PACKET_TYPE_PROMISCUOUS)) {
        rcr |= RTL_RCR_AM;
    }
    if (filter & NDIS_PACKET_TYPE_PROMISCUOUS) {
        rcr |= RTL_RCR_AAP;
    }
    RtlWrite32(Adapter, RTL_RCR, rcr);
}

static VOID
RtlUpdateLink(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    Media state and speed from MSR (DS: Media Status Register).

--*/
{
    UCHAR msr = RtlRead8(Adapter, RTL_MSR);

    Adapter->MediaState = (msr & RTL_MSR_LINKB) ? NdisMediaStateDisconnected
                                                : NdisMediaStateConnected;
    Adapter->LinkSpeed = (msr & RTL_MSR_SPEED_10) ? 100000 : 1000000;
}

static VOID
RtlStartHardware(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    After a reset: the receive buffer and transmit addresses, the
    configuration, and receive and transmit enabled (DS: the transmitter and
    receiver are enabled in CR before TCR and RCR are written). Interrupts
    stay masked.

--*/
{
    ULONG i;

    RtlWrite32(Adapter, RTL_RBSTART, Adapter->RxBufferPa.LowPart);
    for (i = 0; i < RTL_TX_DESCRIPTORS; i++) {
        RtlWrite32(Adapter, RTL_TSAD0 + 4 * i,
                   Adapter->TxBuffersPa.LowPart + i * RTL_TX_BUFFER_SIZE);
        Adapter->TxPacket[i] = NULL;
    }
    Adapter->RxOffset = 0;
    Adapter->TxNextToUse = 0;
    Adapter->TxNextToClean = 0;
    Adapter->TxFree = RTL_TX_DESCRIPTORS;

    RtlWrite8(Adapter, RTL_CR, RTL_CR_RE | RTL_CR_TE);
    RtlWrite32(Adapter, RTL_TCR, RTL_TCR_IFG_STANDARD | RTL_TCR_MXDMA_1024);
    RtlProgramFilter(Adapter);
    RtlWrite16(Adapter, RTL_CAPR, (USHORT)(0 - RTL_CAPR_BIAS));
    RtlWrite32(Adapter, RTL_MPC, 0);
    RtlUpdateLink(Adapter);
}

static VOID
RtlFreeSharedMemory(
    PRTL_ADAPTER Adapter
    )
{
    if (Adapter->RxBuffer != NULL) {
        NdisMFreeSharedMemory(Adapter->MiniportAdapterHandle, RTL_RX_BUFFER_SIZE, FALSE,
                              Adapter->RxBuffer, Adapter->RxBufferPa);
        Adapter->RxBuffer = NULL;
    }
    if (Adapter->TxBuffers != NULL) {
        NdisMFreeSharedMemory(Adapter->MiniportAdapterHandle,
                              RTL_TX_BUFFER_SIZE * RTL_TX_DESCRIPTORS, FALSE,
                              Adapter->TxBuffers, Adapter->TxBuffersPa);
        Adapter->TxBuffers = NULL;
    }
}

static NDIS_STATUS
RtlAllocateSharedMemory(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    The receive ring buffer and the transmit buffers. Both must lie below
    4 GiB: RBSTART and TSADn hold 32-bit addresses.

--*/
{
    NdisMAllocateSharedMemory(Adapter->MiniportAdapterHandle, RTL_RX_BUFFER_SIZE, FALSE,
                              (PVOID *)&Adapter->RxBuffer, &Adapter->RxBufferPa);
    NdisMAllocateSharedMemory(Adapter->MiniportAdapterHandle,
                              RTL_TX_BUFFER_SIZE * RTL_TX_DESCRIPTORS, FALSE,
                              (PVOID *)&Adapter->TxBuffers, &Adapter->TxBuffersPa);
    if (Adapter->RxBuffer == NULL || Adapter->TxBuffers == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    if (Adapter->RxBufferPa.HighPart != 0 || Adapter->TxBuffersPa.HighPart != 0 ||
        (Adapter->RxBufferPa.LowPart & 3) || (Adapter->TxBuffersPa.LowPart & 3)) {
        return NDIS_STATUS_RESOURCES; // not reachable through a 32-bit register
    }
    return NDIS_STATUS_SUCCESS;
}

static VOID
RtlReleaseResources(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    Undoes what RtlInitialize acquired, in reverse order. Shared memory is
    freed after the reset, when the part no longer uses it.

    IRQL: PASSIVE_LEVEL.

--*/
{
    if (Adapter->PortsRegistered) {
        RtlWrite16(Adapter, RTL_IMR, 0);
        RtlWrite8(Adapter, RTL_CR, RTL_CR_RST);
        NdisStallExecution(10);
    }
    RtlFreeSharedMemory(Adapter);
    if (Adapter->PortsRegistered) {
        NdisMDeregisterIoPortRange(Adapter->MiniportAdapterHandle, Adapter->IoPort,
                                   RTL_IO_LENGTH, (PVOID)Adapter->IoBase);
        Adapter->PortsRegistered = FALSE;
    }
}

static NDIS_STATUS
RtlInitialize(
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
    claims the I/O window, sets up 32-bit DMA and the buffers, resets the
    part, reads the EEPROM, starts receive and transmit, registers the
    shared interrupt last and then unmasks.

    IRQL: PASSIVE_LEVEL.

--*/
{
    PRTL_ADAPTER adapter = NULL;
    NDIS_STATUS  status;
    PVOID        portOffset = NULL;
    UINT         i;

    UNREFERENCED_PARAMETER(WrapperConfigurationContext);
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

    status = NdisAllocateMemoryWithTag((PVOID *)&adapter, sizeof(*adapter), RTL_TAG);
    if (status != NDIS_STATUS_SUCCESS) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(adapter, sizeof(*adapter));
    adapter->MiniportAdapterHandle = MiniportAdapterHandle;
    adapter->Lookahead = ETH_MAX_DATA_SIZE;
    adapter->PacketFilter = NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST;

    NdisMSetAttributesEx(MiniportAdapterHandle, adapter, 0, NDIS_ATTRIBUTE_BUS_MASTER,
                         NdisInterfacePci);

    status = RtlFindDevice(adapter, MiniportAdapterHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorFreeAdapter;
    }
    status = NdisMRegisterIoPortRange(&portOffset, MiniportAdapterHandle, adapter->IoPort,
                                      RTL_IO_LENGTH);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorFreeAdapter;
    }
    adapter->IoBase = (ULONG_PTR)portOffset;
    adapter->PortsRegistered = TRUE;

    //
    // 32-bit bus master: Dma64BitAddresses FALSE.
    //
    status = NdisMInitializeScatterGatherDma(MiniportAdapterHandle, FALSE, ETH_MAX_PACKET_SIZE);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }
    status = RtlAllocateSharedMemory(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }

    if (!RtlResetHardware(adapter)) {
        status = NDIS_STATUS_ADAPTER_NOT_FOUND;
        goto ErrorRelease;
    }
    status = RtlReadMacAddress(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }
    NdisMoveMemory(adapter->CurrentAddress, adapter->PermanentAddress, ETH_LENGTH_OF_ADDRESS);
    RtlStartHardware(adapter);

    status = NdisMRegisterInterrupt(&adapter->Interrupt, MiniportAdapterHandle,
                                    adapter->InterruptVector, adapter->InterruptVector,
                                    TRUE, TRUE, NdisInterruptLevelSensitive);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorRelease;
    }
    adapter->InterruptRegistered = TRUE;

    //
    // Unmask, then read the media state last: a change from here on is a
    // LinkChg the DPC reports.
    //
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)RtlSyncUnmask, adapter);
    RtlUpdateLink(adapter);
    return NDIS_STATUS_SUCCESS;

ErrorRelease:
    RtlReleaseResources(adapter);
ErrorFreeAdapter:
    NdisFreeMemory(adapter, sizeof(*adapter), 0);
    return status;
}

static VOID
RtlCompleteAllSends(
    PRTL_ADAPTER Adapter,
    NDIS_STATUS Status
    )
/*++

Routine Description:

    Gives every packet the driver holds back to NDIS with @Status: those
    on a descriptor and those queued behind them.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PNDIS_PACKET packet;
    ULONG        i;

    for (i = 0; i < RTL_TX_DESCRIPTORS; i++) {
        packet = Adapter->TxPacket[i];
        if (packet != NULL) {
            Adapter->TxPacket[i] = NULL;
            Adapter->XmitError++;
            NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, Status);
        }
    }
    while ((packet = Adapter->SendQueueHead) != NULL) {
        Adapter->SendQueueHead = RTL_PACKET_NEXT(packet);
        Adapter->XmitError++;
        NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, Status);
    }
    Adapter->SendQueueTail = NULL;
}

static VOID
RtlHalt(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportHalt: masks the interrupts for good, deregisters the interrupt,
    stops the part, gives back any packet still held, and frees everything.

    IRQL: PASSIVE_LEVEL.

--*/
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)MiniportAdapterContext;
    KIRQL        oldIrql;

    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)RtlSyncStop, adapter);
    NdisMDeregisterInterrupt(&adapter->Interrupt);
    adapter->InterruptRegistered = FALSE;
    RtlWrite8(adapter, RTL_CR, 0);
    NDIS_RAISE_IRQL_TO_DISPATCH(&oldIrql);
    RtlCompleteAllSends(adapter, NDIS_STATUS_FAILURE);
    NDIS_LOWER_IRQL(oldIrql, DISPATCH_LEVEL);
    RtlReleaseResources(adapter);
    NdisFreeMemory(adapter, sizeof(*adapter), 0);
}

static NDIS_STATUS
RtlReset(
    PBOOLEAN AddressingReset,
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportReset: masks, resets the part, fails every held packet, and
    starts again with the addresses and filter NDIS set.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)MiniportAdapterContext;

    *AddressingReset = FALSE;
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)RtlSyncMask, adapter);
    if (!RtlResetHardware(adapter)) {
        return NDIS_STATUS_HARD_ERRORS;
    }
    RtlCompleteAllSends(adapter, NDIS_STATUS_FAILURE);
    RtlStartHardware(adapter);
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)RtlSyncUnmask, adapter);
    return NDIS_STATUS_SUCCESS;
}

static BOOLEAN
RtlCheckForHang(
    NDIS_HANDLE MiniportAdapterContext
    )
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    return FALSE;
}

//
// -------------------------------------------------------------- interrupts
//

static BOOLEAN
RtlSyncUnmask(
    PVOID SynchronizeContext
    )
/*++

Routine Description:

    MiniportSynchronizeISR: unmasks the serviced causes (unless halting).
    A cause that is still set asserts the line again at once.

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)SynchronizeContext;

    if (adapter->Halting) {
        return FALSE;
    }
    adapter->ImrShadow = RTL_INTERRUPT_MASK;
    RtlWrite16(adapter, RTL_IMR, adapter->ImrShadow);
    return TRUE;
}

static BOOLEAN
RtlSyncMask(
    PVOID SynchronizeContext
    )
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)SynchronizeContext;

    adapter->ImrShadow = 0;
    RtlWrite16(adapter, RTL_IMR, 0);
    return TRUE;
}

static BOOLEAN
RtlSyncStop(
    PVOID SynchronizeContext
    )
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)SynchronizeContext;

    adapter->Halting = TRUE;
    return RtlSyncMask(SynchronizeContext);
}

static BOOLEAN
RtlSyncTakeCauses(
    PVOID SynchronizeContext
    )
/*++

Routine Description:

    MiniportSynchronizeISR: hands the causes the ISR acknowledged to the DPC.

    Return Value:

    TRUE if a link change was among them.

--*/
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)SynchronizeContext;
    USHORT       causes = adapter->PendingCauses;

    adapter->PendingCauses = 0;
    return (causes & RTL_INT_LINKCHG) != 0;
}

static VOID
RtlIsr(
    PBOOLEAN InterruptRecognized,
    PBOOLEAN QueueMiniportHandleInterrupt,
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportISR, for every interrupt on the shared line.

    While IMR is zero this NIC cannot be asserting the line: return at
    once. Otherwise read ISR; if no cause enabled in IMR is set the
    interrupt is another device's. If one is, write the bits read back to
    ISR - write-1-to-clear acknowledges exactly those causes, so one that
    arrives after the read stays set and asserts the line again - which
    drops INTA# and dismisses the level interrupt. Keep the causes and ask
    for MiniportHandleInterrupt, which works from the ring and the TSDs, so
    one DPC serves every interrupt it stands for.

    As in the e1000 sample, the ISR does not mask: NDIS 5 runs no
    MiniportHandleInterrupt for an interrupt taken during initialize or
    halt, so a mask set here could stay set for good.

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)MiniportAdapterContext;
    USHORT       isr;

    *InterruptRecognized = FALSE;
    *QueueMiniportHandleInterrupt = FALSE;

    if (adapter->ImrShadow == 0) {
        return;
    }
    isr = RtlRead16(adapter, RTL_ISR);
    if (isr == 0xFFFF || (isr & adapter->ImrShadow) == 0) {
        return; // not ours, or the part is gone (reads all-ones)
    }
    RtlWrite16(adapter, RTL_ISR, isr);
    adapter->PendingCauses |= isr & RTL_INT_ALL;
    *InterruptRecognized = TRUE;
    *QueueMiniportHandleInterrupt = TRUE;
}

static BOOLEAN
RtlAcceptFrame(
    PRTL_ADAPTER Adapter,
    const UCHAR *Destination
    )
/*++

Routine Description:

    The packet filter's last word: the MAR hash lets through multicast
    addresses that are not in the list.

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
RtlRestartReceiver(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    A packet header that makes no sense means the driver lost its place in
    the ring: reset the part and start over (the only way to bring CBR back
    to the start of the buffer). Transmits in flight are failed. Runs with
    interrupts masked.

    IRQL: DISPATCH_LEVEL.

--*/
{
    Adapter->RxResyncs++;
    NdisMSynchronizeWithInterrupt(&Adapter->Interrupt, (PVOID)RtlSyncMask, Adapter);
    if (RtlResetHardware(Adapter)) {
        RtlCompleteAllSends(Adapter, NDIS_STATUS_FAILURE);
        RtlStartHardware(Adapter);
    }
    NdisMSynchronizeWithInterrupt(&Adapter->Interrupt, (PVOID)RtlSyncUnmask, Adapter);
}

static VOID
RtlProcessReceive(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    Indicates every packet in the ring: while CR.BUFE is clear, the packet
    at the read offset is a 4-byte header (status, length with CRC) and the
    frame; the next one starts at the following dword boundary. CAPR is
    written back after each packet, as the read offset minus 16 (DS:
    CAPR), which gives the space back to the part. A header whose length
    reads 0xFFF0 is one the part has not finished writing (it is still
    copying the packet from its FIFO): the packet is left where it is and
    taken at the ROK interrupt that follows, not treated as an error.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PUCHAR  packet;
    USHORT  rxStatus;
    ULONG   length;
    BOOLEAN indicated = FALSE;

    while (!(RtlRead8(Adapter, RTL_CR) & RTL_CR_BUFE)) {
        packet = Adapter->RxBuffer + Adapter->RxOffset;
        KeMemoryBarrier();
        rxStatus = (USHORT)(packet[0] | (packet[1] << 8));
        length = (ULONG)(packet[2] | (packet[3] << 8));
        if (length == RTL_RX_EARLY_LENGTH) {
            break;
        }
        if (!(rxStatus & RTL_RXH_ROK) || (rxStatus & RTL_RXH_ERRORS) ||
            length < ETH_HEADER_SIZE + RTL_CRC_LENGTH || length > RTL_RX_MAX_LENGTH) {
            Adapter->RcvError++;
            RtlRestartReceiver(Adapter);
            break;
        }
        length -= RTL_CRC_LENGTH;
        packet += RTL_RX_HEADER;
        if (length > ETH_MAX_PACKET_SIZE) {
            Adapter->RcvError++; // a long frame, well delimited: skip it
        } else if (RtlAcceptFrame(Adapter, packet)) {
            Adapter->RcvOk++;
            NdisMEthIndicateReceive(Adapter->MiniportAdapterHandle, Adapter, packet,
                                    ETH_HEADER_SIZE, packet + ETH_HEADER_SIZE,
                                    length - ETH_HEADER_SIZE, length - ETH_HEADER_SIZE);
            indicated = TRUE;
        }
        Adapter->RxOffset = (Adapter->RxOffset + RTL_RX_HEADER + length + RTL_CRC_LENGTH + 3) &
                            ~3u;
        Adapter->RxOffset %= RTL_RX_RING_SIZE;
        RtlWrite16(Adapter, RTL_CAPR, (USHORT)(Adapter->RxOffset - RTL_CAPR_BIAS));
    }
    if (indicated) {
        NdisMEthIndicateReceiveComplete(Adapter->MiniportAdapterHandle);
    }
}

static BOOLEAN
RtlTransmitPacket(
    PRTL_ADAPTER Adapter,
    PNDIS_PACKET Packet
    )
/*++

Routine Description:

    Copies the packet into the next descriptor's buffer, pads it to the
    60-byte minimum (the part sends what it is given), and hands it to the
    part by writing the size with OWN clear into TSDn (DS: Transmit Status
    Register). The caller checked TxFree.

Return Value:

    FALSE if the packet cannot be sent (bad length): the caller fails it.

--*/
{
    PNDIS_BUFFER buffer;
    PUCHAR       data;
    PVOID        va;
    UINT         totalLength, length, copied = 0;
    ULONG        i = Adapter->TxNextToUse;

    NdisQueryPacket(Packet, NULL, NULL, &buffer, &totalLength);
    if (totalLength < ETH_HEADER_SIZE || totalLength > ETH_MAX_PACKET_SIZE) {
        return FALSE;
    }
    data = Adapter->TxBuffers + (ULONG_PTR)i * RTL_TX_BUFFER_SIZE;
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
    if (copied < ETH_MIN_PACKET_SIZE) {
        NdisZeroMemory(data + copied, ETH_MIN_PACKET_SIZE - copied);
        copied = ETH_MIN_PACKET_SIZE;
    }
    Adapter->TxPacket[i] = Packet;
    Adapter->TxFree--;
    Adapter->TxNextToUse = (i + 1) % RTL_TX_DESCRIPTORS;
    KeMemoryBarrier();
    RtlWrite32(Adapter, RTL_TSD0 + 4 * i, copied | (2u << RTL_TSD_ERTXTH_SHIFT));
    return TRUE;
}

static VOID
RtlStartQueuedSends(
    PRTL_ADAPTER Adapter
    )
{
    PNDIS_PACKET packet;

    while (Adapter->TxFree != 0 && (packet = Adapter->SendQueueHead) != NULL) {
        Adapter->SendQueueHead = RTL_PACKET_NEXT(packet);
        if (Adapter->SendQueueHead == NULL) {
            Adapter->SendQueueTail = NULL;
        }
        if (!RtlTransmitPacket(Adapter, packet)) {
            Adapter->XmitError++;
            NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, NDIS_STATUS_INVALID_LENGTH);
        }
    }
}

static VOID
RtlProcessTransmit(
    PRTL_ADAPTER Adapter
    )
/*++

Routine Description:

    Completes every packet whose descriptor the part finished (TOK, or an
    abort or underrun), in the order they were handed over, then starts
    packets that waited for a descriptor.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PNDIS_PACKET packet;
    ULONG        tsd;

    while (Adapter->TxFree < RTL_TX_DESCRIPTORS) {
        tsd = RtlRead32(Adapter, RTL_TSD0 + 4 * Adapter->TxNextToClean);
        if (!(tsd & RTL_TSD_DONE)) {
            break;
        }
        packet = Adapter->TxPacket[Adapter->TxNextToClean];
        Adapter->TxPacket[Adapter->TxNextToClean] = NULL;
        Adapter->TxNextToClean = (Adapter->TxNextToClean + 1) % RTL_TX_DESCRIPTORS;
        Adapter->TxFree++;
        if (packet == NULL) {
            continue;
        }
        if (tsd & RTL_TSD_TOK) {
            Adapter->XmitOk++;
            NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, NDIS_STATUS_SUCCESS);
        } else {
            Adapter->XmitError++;
            NdisMSendComplete(Adapter->MiniportAdapterHandle, packet, NDIS_STATUS_FAILURE);
        }
    }
    RtlStartQueuedSends(Adapter);
}

static VOID
RtlHandleInterrupt(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportHandleInterrupt: takes the acknowledged causes, drains the
    receive ring, reclaims transmit descriptors, counts missed packets
    after a ring overflow, and reports a link change.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PRTL_ADAPTER     adapter = (PRTL_ADAPTER)MiniportAdapterContext;
    NDIS_MEDIA_STATE was = adapter->MediaState;
    BOOLEAN          linkChanged;

    linkChanged = NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)RtlSyncTakeCauses,
                                                adapter);
    RtlProcessReceive(adapter);
    RtlProcessTransmit(adapter);

    if (linkChanged) {
        RtlUpdateLink(adapter);
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
RtlSend(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_PACKET Packet,
    UINT Flags
    )
/*++

Routine Description:

    MiniportSend: the packet goes to a descriptor if one is free and
    nothing waits ahead of it, otherwise at the end of the driver's queue;
    either way it is completed when its descriptor comes back.

    IRQL: DISPATCH_LEVEL (serialized).

Return Value:

    NDIS_STATUS_PENDING, or NDIS_STATUS_INVALID_LENGTH.

--*/
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(Flags);
    if (adapter->SendQueueHead == NULL && adapter->TxFree != 0) {
        if (!RtlTransmitPacket(adapter, Packet)) {
            adapter->XmitError++;
            return NDIS_STATUS_INVALID_LENGTH;
        }
        return NDIS_STATUS_PENDING;
    }
    RTL_PACKET_NEXT(Packet) = NULL;
    if (adapter->SendQueueTail != NULL) {
        RTL_PACKET_NEXT(adapter->SendQueueTail) = Packet;
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
RtlQueryInformation(
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
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)MiniportAdapterContext;
    ULONG        ulong = 0;
    USHORT       ushort;
    ULONG64      ulong64 = 0;
    NDIS_MEDIUM  medium = NdisMedium802_3;
    const VOID  *source = &ulong;
    ULONG        size = sizeof(ulong);
    BOOLEAN      counter = FALSE;

    switch (Oid) {
    case OID_GEN_SUPPORTED_LIST:
        source = RtlSupportedOids;
        size = sizeof(RtlSupportedOids);
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
        ulong = RTL_TX_BUFFER_SIZE * RTL_TX_DESCRIPTORS;
        break;
    case OID_GEN_RECEIVE_BUFFER_SPACE:
        ulong = RTL_RX_RING_SIZE;
        break;
    case OID_GEN_TRANSMIT_BLOCK_SIZE:
        ulong = RTL_TX_BUFFER_SIZE;
        break;
    case OID_GEN_RECEIVE_BLOCK_SIZE:
        ulong = ETH_MAX_PACKET_SIZE;
        break;
    case OID_GEN_MAXIMUM_TOTAL_SIZE:
        ulong = ETH_MAX_PACKET_SIZE;
        break;
    case OID_GEN_VENDOR_ID:
        ulong = ((ULONG)adapter->PermanentAddress[0] << 16) |
                ((ULONG)adapter->PermanentAddress[1] << 8) | adapter->PermanentAddress[2];
        break;
    case OID_GEN_VENDOR_DESCRIPTION:
        source = RtlVendorDescription;
        size = sizeof(RtlVendorDescription);
        break;
    case OID_GEN_CURRENT_PACKET_FILTER:
        ulong = adapter->PacketFilter;
        break;
    case OID_GEN_DRIVER_VERSION:
        ushort = (RTL_NDIS_MAJOR_VERSION << 8) | RTL_NDIS_MINOR_VERSION;
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
        //
        // MPC counts packets lost to a full ring; any write clears it (DS: MPC).
        //
        adapter->RcvNoBuffer += RtlRead32(adapter, RTL_MPC) & 0x00FFFFFF;
        RtlWrite32(adapter, RTL_MPC, 0);
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
        ulong = RTL_MAX_MCAST_LIST;
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
RtlSetInformation(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_OID Oid,
    PVOID InformationBuffer,
    ULONG InformationBufferLength,
    PULONG BytesRead,
    PULONG BytesNeeded
    )
/*++

Routine Description:

    MiniportSetInformation: packet filter (RCR AAP/AM/AB), lookahead,
    multicast list (MAR0-7).

    IRQL: DISPATCH_LEVEL.

--*/
{
    PRTL_ADAPTER adapter = (PRTL_ADAPTER)MiniportAdapterContext;
    ULONG        value;

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
        RtlProgramFilter(adapter);
        return NDIS_STATUS_SUCCESS;
    case OID_802_3_MULTICAST_LIST:
        if (InformationBufferLength % ETH_LENGTH_OF_ADDRESS) {
            return NDIS_STATUS_INVALID_LENGTH;
        }
        if (InformationBufferLength / ETH_LENGTH_OF_ADDRESS > RTL_MAX_MCAST_LIST) {
            return NDIS_STATUS_MULTICAST_FULL;
        }
        adapter->McastCount = InformationBufferLength / ETH_LENGTH_OF_ADDRESS;
        NdisMoveMemory(adapter->McastList, InformationBuffer, InformationBufferLength);
        *BytesRead = InformationBufferLength;
        RtlProgramFilter(adapter);
        return NDIS_STATUS_SUCCESS;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}
