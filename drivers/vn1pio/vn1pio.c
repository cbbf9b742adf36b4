/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    vn1pio.c

Abstract:

    NDIS 5.1 miniport for the VN-1 programmed-I/O window (datasheet §7), in
    the style of the NDIS 5 WDK samples.

    Interrupts: the INTx line is level-sensitive and may be shared with
    other VN-1s, so the interrupt is registered with RequestIsr and
    SharedInterrupt TRUE. MiniportISR reads PIO_ISR; if none of the causes
    it enabled is pending the interrupt is not this NIC's, and it returns
    not-recognized quickly, leaving the NIC's interrupts enabled. Otherwise
    it masks PIO_IMR (RX stays asserted while the FIFO holds a frame, so the
    ISR must mask it to dismiss the level), saves the causes and asks for
    MiniportHandleInterrupt, which drains the FIFO with
    NdisRawReadPortBufferUshort and indicates each frame with
    NdisMEthIndicateReceive. NDIS then calls MiniportEnableInterrupt, which
    unmasks PIO_IMR through NdisMSynchronizeWithInterrupt: every PIO_IMR
    update made below DIRQL goes through a MiniportSynchronizeISR routine,
    so it cannot interleave with the ISR's.

    Sends: MiniportSend copies the packet into PIO_DATA two bytes at a time
    and starts it with TX_GO; the device takes the frame at once, so the
    send completes synchronously.

    The miniport is serialized (no NDIS_ATTRIBUTE_DESERIALIZE): NDIS never
    runs two of MiniportSend, MiniportQuery/SetInformation and
    MiniportHandleInterrupt at the same time.

Environment:

    Kernel mode (ndisrt: a vCPU of the emulated machine).

--*/

#include "vn1pio.h"

//
// Function declarations, in the order NDIS uses them.
//
static NDIS_STATUS Vn1PioInitialize(PNDIS_STATUS OpenErrorStatus, PUINT SelectedMediumIndex,
                                    PNDIS_MEDIUM MediumArray, UINT MediumArraySize,
                                    NDIS_HANDLE MiniportAdapterHandle,
                                    NDIS_HANDLE WrapperConfigurationContext);
static VOID Vn1PioHalt(NDIS_HANDLE MiniportAdapterContext);
static VOID Vn1PioIsr(PBOOLEAN InterruptRecognized, PBOOLEAN QueueMiniportHandleInterrupt,
                      NDIS_HANDLE MiniportAdapterContext);
static VOID Vn1PioHandleInterrupt(NDIS_HANDLE MiniportAdapterContext);
static VOID Vn1PioDisableInterrupt(NDIS_HANDLE MiniportAdapterContext);
static VOID Vn1PioEnableInterrupt(NDIS_HANDLE MiniportAdapterContext);
static NDIS_STATUS Vn1PioSend(NDIS_HANDLE MiniportAdapterContext, PNDIS_PACKET Packet,
                              UINT Flags);
static NDIS_STATUS Vn1PioQueryInformation(NDIS_HANDLE MiniportAdapterContext, NDIS_OID Oid,
                                          PVOID InformationBuffer, ULONG InformationBufferLength,
                                          PULONG BytesWritten, PULONG BytesNeeded);
static NDIS_STATUS Vn1PioSetInformation(NDIS_HANDLE MiniportAdapterContext, NDIS_OID Oid,
                                        PVOID InformationBuffer, ULONG InformationBufferLength,
                                        PULONG BytesRead, PULONG BytesNeeded);
static NDIS_STATUS Vn1PioReset(PBOOLEAN AddressingReset, NDIS_HANDLE MiniportAdapterContext);
static BOOLEAN Vn1PioCheckForHang(NDIS_HANDLE MiniportAdapterContext);

//
// MiniportSynchronizeISR routines.
//
static BOOLEAN Vn1PioSyncUnmask(PVOID SynchronizeContext);
static BOOLEAN Vn1PioSyncMask(PVOID SynchronizeContext);
static BOOLEAN Vn1PioSyncStop(PVOID SynchronizeContext);
static BOOLEAN Vn1PioSyncTakeCauses(PVOID SynchronizeContext);

static const NDIS_OID Vn1PioSupportedOids[] = {
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

static const char Vn1PioVendorDescription[] = "ndisrt VN-1 PIO (NDIS 5.1 sample)";

NTSTATUS
DriverEntry(
    PDRIVER_OBJECT DriverObject,
    PUNICODE_STRING RegistryPath
    )
/*++

Routine Description:

    Registers the miniport with NDIS 5.1.

    IRQL: PASSIVE_LEVEL.

Return Value:

    STATUS_SUCCESS, or the failure NdisMRegisterMiniport returned.

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
    chars.MajorNdisVersion        = VN1PIO_NDIS_MAJOR_VERSION;
    chars.MinorNdisVersion        = VN1PIO_NDIS_MINOR_VERSION;
    chars.InitializeHandler       = Vn1PioInitialize;
    chars.HaltHandler             = Vn1PioHalt;
    chars.ISRHandler              = Vn1PioIsr;
    chars.HandleInterruptHandler  = Vn1PioHandleInterrupt;
    chars.DisableInterruptHandler = Vn1PioDisableInterrupt;
    chars.EnableInterruptHandler  = Vn1PioEnableInterrupt;
    chars.SendHandler             = Vn1PioSend;
    chars.QueryInformationHandler = Vn1PioQueryInformation;
    chars.SetInformationHandler   = Vn1PioSetInformation;
    chars.ResetHandler            = Vn1PioReset;
    chars.CheckForHangHandler     = Vn1PioCheckForHang;

    status = NdisMRegisterMiniport(wrapperHandle, &chars, sizeof(chars));
    if (status != NDIS_STATUS_SUCCESS) {
        NdisTerminateWrapper(wrapperHandle, NULL);
    }
    return status;
}

//
// ------------------------------------------------------------ port helpers
//

static __inline USHORT
Vn1PioRead16(
    PVN1PIO_ADAPTER Adapter,
    ULONG Port
    )
{
    USHORT value;

    NdisRawReadPortUshort(Adapter->IoBase + Port, &value);
    return value;
}

static __inline VOID
Vn1PioCommand(
    PVN1PIO_ADAPTER Adapter,
    UCHAR Command
    )
{
    //
    // ENABLE is sticky, but every command carries it so that no write can
    // leave PIO mode by accident.
    //
    NdisRawWritePortUchar(Adapter->IoBase + VN1_PIO_CMD, VN1_PIO_CMD_ENABLE | Command);
}

//
// --------------------------------------------------------- initialization
//

static NDIS_STATUS
Vn1PioFindDevice(
    PVN1PIO_ADAPTER Adapter,
    NDIS_HANDLE MiniportAdapterHandle
    )
/*++

Routine Description:

    Checks the PCI identity and reads the I/O BAR and the interrupt line.

    IRQL: PASSIVE_LEVEL.

--*/
{
    USHORT vendor = 0, device = 0;
    ULONG  bar1 = 0;
    UCHAR  line = 0;

    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, VN1_PCI_CFG_VENDOR_ID, &vendor,
                               sizeof(vendor));
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, VN1_PCI_CFG_DEVICE_ID, &device,
                               sizeof(device));
    if (vendor != VN1_PCI_VENDOR_ID || device != VN1_PCI_DEVICE_ID) {
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, VN1_PCI_CFG_BAR1, &bar1, sizeof(bar1));
    NdisReadPciSlotInformation(MiniportAdapterHandle, 0, VN1_PCI_CFG_INTERRUPT_LINE, &line,
                               sizeof(line));
    if (!(bar1 & VN1_PCI_BAR_IO_SPACE) || line == 0) {
        return NDIS_STATUS_RESOURCE_CONFLICT;
    }
    Adapter->InitialPort = bar1 & VN1_PCI_BAR_IO_MASK;
    Adapter->InterruptVector = line;
    return NDIS_STATUS_SUCCESS;
}

static VOID
Vn1PioResetDevice(
    PVN1PIO_ADAPTER Adapter
    )
/*++

Routine Description:

    Resets the PIO window (empties the FIFO, masks everything) and turns
    PIO mode on; reads the MAC address and the link.

    IRQL: PASSIVE_LEVEL, or DISPATCH_LEVEL from MiniportReset.

--*/
{
    UCHAR status;
    UINT  i;

    Vn1PioCommand(Adapter, VN1_PIO_CMD_RESET);
    for (i = 0; i < ETH_LENGTH_OF_ADDRESS; i++) {
        NdisRawReadPortUchar(Adapter->IoBase + VN1_PIO_MAC + i, &Adapter->PermanentAddress[i]);
    }
    NdisMoveMemory(Adapter->CurrentAddress, Adapter->PermanentAddress, ETH_LENGTH_OF_ADDRESS);
    NdisRawReadPortUchar(Adapter->IoBase + VN1_PIO_STATUS, &status);
    Adapter->MediaState = (status & VN1_PIO_STATUS_LINK_UP) ? NdisMediaStateConnected
                                                            : NdisMediaStateDisconnected;
}

static NDIS_STATUS
Vn1PioInitialize(
    PNDIS_STATUS OpenErrorStatus,
    PUINT SelectedMediumIndex,
    PNDIS_MEDIUM MediumArray,
    UINT MediumArraySize,
    NDIS_HANDLE MiniportAdapterHandle,
    NDIS_HANDLE WrapperConfigurationContext
    )
/*++

Routine Description:

    MiniportInitialize: selects 802.3, reports the attributes, claims the
    PIO window, resets the device, registers the shared interrupt last and
    then unmasks the causes it services.

    IRQL: PASSIVE_LEVEL.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_UNSUPPORTED_MEDIA,
    NDIS_STATUS_ADAPTER_NOT_FOUND, NDIS_STATUS_RESOURCES, or the failure of
    NdisMRegisterIoPortRange / NdisMRegisterInterrupt. Any failure undoes
    what was done.

--*/
{
    PVN1PIO_ADAPTER adapter = NULL;
    NDIS_STATUS     status;
    PVOID           portOffset = NULL;
    UINT            i;

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

    status = NdisAllocateMemoryWithTag((PVOID *)&adapter, sizeof(*adapter), VN1PIO_TAG);
    if (status != NDIS_STATUS_SUCCESS) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(adapter, sizeof(*adapter));
    adapter->MiniportAdapterHandle = MiniportAdapterHandle;
    adapter->Lookahead = ETH_MAX_DATA_SIZE;

    //
    // Attributes come first: port ranges and interrupts need them (L1).
    // No NDIS_ATTRIBUTE_DESERIALIZE: NDIS serializes this miniport.
    //
    NdisMSetAttributesEx(MiniportAdapterHandle, adapter, 0, 0, NdisInterfacePci);

    status = Vn1PioFindDevice(adapter, MiniportAdapterHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorFreeAdapter;
    }

    status = NdisMRegisterIoPortRange(&portOffset, MiniportAdapterHandle, adapter->InitialPort,
                                      VN1_BAR1_LENGTH);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorFreeAdapter;
    }
    adapter->IoBase = (ULONG_PTR)portOffset;
    adapter->PortsRegistered = TRUE;

    Vn1PioResetDevice(adapter);

    //
    // Shared, level-sensitive INTx: the ISR must be called for every
    // interrupt on the line (RequestIsr) and the line may carry others'.
    //
    status = NdisMRegisterInterrupt(&adapter->Interrupt, MiniportAdapterHandle,
                                    adapter->InterruptVector, adapter->InterruptVector,
                                    TRUE, TRUE, NdisInterruptLevelSensitive);
    if (status != NDIS_STATUS_SUCCESS) {
        goto ErrorDeregisterPorts;
    }
    adapter->InterruptRegistered = TRUE;

    //
    // The ISR can run from now on; it finds ImrShadow == 0 and does not
    // claim anything until the causes are unmasked here.
    //
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)Vn1PioSyncUnmask, adapter);
    return NDIS_STATUS_SUCCESS;

ErrorDeregisterPorts:
    Vn1PioCommand(adapter, VN1_PIO_CMD_RESET);
    NdisMDeregisterIoPortRange(MiniportAdapterHandle, adapter->InitialPort, VN1_BAR1_LENGTH,
                               portOffset);
ErrorFreeAdapter:
    NdisFreeMemory(adapter, sizeof(*adapter), 0);
    return status;
}

static VOID
Vn1PioHalt(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportHalt: masks the NIC's interrupts, deregisters the interrupt,
    resets the window and releases the ports.

    IRQL: PASSIVE_LEVEL.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;

    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)Vn1PioSyncStop, adapter);
    NdisMDeregisterInterrupt(&adapter->Interrupt);
    adapter->InterruptRegistered = FALSE;
    Vn1PioCommand(adapter, VN1_PIO_CMD_RESET);
    NdisMDeregisterIoPortRange(adapter->MiniportAdapterHandle, adapter->InitialPort,
                               VN1_BAR1_LENGTH, (PVOID)adapter->IoBase);
    adapter->PortsRegistered = FALSE;
    NdisFreeMemory(adapter, sizeof(*adapter), 0);
}

static NDIS_STATUS
Vn1PioReset(
    PBOOLEAN AddressingReset,
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportReset: resets the PIO window and unmasks again.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;

    *AddressingReset = FALSE;
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)Vn1PioSyncMask, adapter);
    Vn1PioResetDevice(adapter);
    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)Vn1PioSyncUnmask, adapter);
    return NDIS_STATUS_SUCCESS;
}

static BOOLEAN
Vn1PioCheckForHang(
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
Vn1PioSyncUnmask(
    PVOID SynchronizeContext
    )
/*++

Routine Description:

    MiniportSynchronizeISR: unmasks the serviced causes (unless halting).
    The device re-asserts the line at once if a cause is still pending, so
    nothing that arrived while masked is lost.

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)SynchronizeContext;

    if (adapter->Halting) {
        return FALSE;
    }
    adapter->ImrShadow = VN1PIO_INTERRUPT_MASK;
    NdisRawWritePortUshort(adapter->IoBase + VN1_PIO_IMR, adapter->ImrShadow);
    return TRUE;
}

static BOOLEAN
Vn1PioSyncMask(
    PVOID SynchronizeContext
    )
/*++

Routine Description:

    MiniportSynchronizeISR: masks every cause (reset).

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)SynchronizeContext;

    adapter->ImrShadow = 0;
    NdisRawWritePortUshort(adapter->IoBase + VN1_PIO_IMR, 0);
    return TRUE;
}

static BOOLEAN
Vn1PioSyncStop(
    PVOID SynchronizeContext
    )
/*++

Routine Description:

    MiniportSynchronizeISR: masks every cause for good (halt): a
    MiniportEnableInterrupt still to come does not unmask.

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)SynchronizeContext;

    adapter->Halting = TRUE;
    return Vn1PioSyncMask(SynchronizeContext);
}

static BOOLEAN
Vn1PioSyncTakeCauses(
    PVOID SynchronizeContext
    )
/*++

Routine Description:

    MiniportSynchronizeISR: hands the causes the ISR saved to the DPC.

    IRQL: DIRQL, interrupt lock held.

Return Value:

    TRUE if a link change was among them.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)SynchronizeContext;
    USHORT          causes = adapter->PendingCauses;

    adapter->PendingCauses = 0;
    return (causes & VN1_PIO_INT_LSC) != 0;
}

static VOID
Vn1PioIsr(
    PBOOLEAN InterruptRecognized,
    PBOOLEAN QueueMiniportHandleInterrupt,
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportISR. Called for every interrupt on the shared line.

    While every cause is masked this NIC cannot be asserting the line, and
    reading PIO_ISR would consume the TX/LSC/RXO bits: not ours, return at
    once. Otherwise read PIO_ISR once; if no enabled cause is pending the
    interrupt belongs to another device on the line (interrupts stay
    enabled). If one is, mask PIO_IMR - the level interrupt is dismissed -
    keep the causes for the DPC, and ask for MiniportHandleInterrupt.

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;
    USHORT          causes;

    *InterruptRecognized = FALSE;
    *QueueMiniportHandleInterrupt = FALSE;

    if (adapter->ImrShadow == 0) {
        return;
    }
    causes = Vn1PioRead16(adapter, VN1_PIO_ISR);
    if (causes == 0xFFFF) {
        //
        // All ones: the device is gone (surprise removal); a read of a
        // removed device returns all ones. Not ours, nothing to keep.
        //
        return;
    }
    adapter->PendingCauses |= causes & ~VN1_PIO_INT_RX;
    if ((causes & adapter->ImrShadow) == 0) {
        return;
    }

    adapter->ImrShadow = 0;
    NdisRawWritePortUshort(adapter->IoBase + VN1_PIO_IMR, 0);
    *InterruptRecognized = TRUE;
    *QueueMiniportHandleInterrupt = TRUE;
}

static VOID
Vn1PioDisableInterrupt(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportDisableInterrupt: masks every cause. NDIS calls it instead of
    the ISR only for a non-shared interrupt registered without RequestIsr;
    this driver registers with RequestIsr, so it is here for completeness.

    IRQL: DIRQL, interrupt lock held.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;

    adapter->ImrShadow = 0;
    NdisRawWritePortUshort(adapter->IoBase + VN1_PIO_IMR, 0);
}

static VOID
Vn1PioEnableInterrupt(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportEnableInterrupt: NDIS calls it after MiniportHandleInterrupt.
    It runs at DISPATCH_LEVEL and can be preempted by the ISR, so the
    PIO_IMR update goes through NdisMSynchronizeWithInterrupt.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;

    NdisMSynchronizeWithInterrupt(&adapter->Interrupt, (PVOID)Vn1PioSyncUnmask, adapter);
}

static BOOLEAN
Vn1PioAcceptFrame(
    PVN1PIO_ADAPTER Adapter,
    const UCHAR *Destination
    )
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
        return (filter & (NDIS_PACKET_TYPE_MULTICAST | NDIS_PACKET_TYPE_ALL_MULTICAST)) != 0;
    }
    return (filter & NDIS_PACKET_TYPE_DIRECTED) != 0 &&
           NdisEqualMemory(Destination, Adapter->CurrentAddress, ETH_LENGTH_OF_ADDRESS);
}

static VOID
Vn1PioHandleInterrupt(
    NDIS_HANDLE MiniportAdapterContext
    )
/*++

Routine Description:

    MiniportHandleInterrupt: takes the saved causes, drains the receive
    FIFO - including frames that arrived after the ISR ran, since one DPC
    may stand for several interrupts - and reports a link change. Does not
    unmask: NDIS calls MiniportEnableInterrupt next. A length of all ones
    means the device was removed: the loop stops.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;
    BOOLEAN         linkChanged;
    BOOLEAN         indicated = FALSE;
    USHORT          length;
    UCHAR           status;

    linkChanged = NdisMSynchronizeWithInterrupt(&adapter->Interrupt,
                                                (PVOID)Vn1PioSyncTakeCauses, adapter);

    while ((length = Vn1PioRead16(adapter, VN1_PIO_RXLEN)) != 0) {
        if (length == 0xFFFF) {
            //
            // All ones: the device is gone (surprise removal), and the FIFO
            // with it. Reading on would never end.
            //
            break;
        }
        if (length < ETH_MIN_PACKET_SIZE || length > VN1_MAX_FRAME_SIZE) {
            adapter->RcvError++;
            Vn1PioCommand(adapter, VN1_PIO_CMD_RX_NEXT);
            continue;
        }
        NdisRawReadPortBufferUshort(adapter->IoBase + VN1_PIO_DATA, (PUSHORT)adapter->RxFrame,
                                    (length + 1) / 2);
        Vn1PioCommand(adapter, VN1_PIO_CMD_RX_NEXT);
        if (!Vn1PioAcceptFrame(adapter, adapter->RxFrame)) {
            continue;
        }
        adapter->RcvOk++;
        NdisMEthIndicateReceive(adapter->MiniportAdapterHandle, adapter, adapter->RxFrame,
                                ETH_HEADER_SIZE, adapter->RxFrame + ETH_HEADER_SIZE,
                                length - ETH_HEADER_SIZE, length - ETH_HEADER_SIZE);
        indicated = TRUE;
    }
    if (indicated) {
        NdisMEthIndicateReceiveComplete(adapter->MiniportAdapterHandle);
    }

    if (linkChanged) {
        NdisRawReadPortUchar(adapter->IoBase + VN1_PIO_STATUS, &status);
        adapter->MediaState = (status & VN1_PIO_STATUS_LINK_UP) ? NdisMediaStateConnected
                                                                : NdisMediaStateDisconnected;
        NdisMIndicateStatus(adapter->MiniportAdapterHandle,
                            adapter->MediaState == NdisMediaStateConnected
                                ? NDIS_STATUS_MEDIA_CONNECT
                                : NDIS_STATUS_MEDIA_DISCONNECT,
                            NULL, 0);
        NdisMIndicateStatusComplete(adapter->MiniportAdapterHandle);
    }
}

//
// -------------------------------------------------------------------- send
//

static NDIS_STATUS
Vn1PioSend(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_PACKET Packet,
    UINT Flags
    )
/*++

Routine Description:

    MiniportSend: gathers the packet's buffers, writes them to PIO_DATA two
    bytes at a time, trims an odd length with PIO_TXLEN and starts the
    frame with TX_GO.

    IRQL: DISPATCH_LEVEL (serialized: NDIS holds the miniport lock).

Return Value:

    NDIS_STATUS_SUCCESS (the device has taken the frame), or
    NDIS_STATUS_INVALID_LENGTH.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;
    PNDIS_BUFFER    buffer;
    UINT            totalLength, copied = 0;
    PVOID           va;
    UINT            length;

    UNREFERENCED_PARAMETER(Flags);
    NdisQueryPacket(Packet, NULL, NULL, &buffer, &totalLength);
    if (totalLength < ETH_MIN_PACKET_SIZE || totalLength > ETH_MAX_PACKET_SIZE) {
        adapter->XmitError++;
        return NDIS_STATUS_INVALID_LENGTH;
    }
    while (buffer != NULL) {
        NdisQueryBufferSafe(buffer, &va, &length, NormalPagePriority);
        if (copied + length > totalLength) {
            length = totalLength - copied;
        }
        NdisMoveMemory(adapter->TxFrame + copied, va, length);
        copied += length;
        NdisGetNextBuffer(buffer, &buffer);
    }
    adapter->TxFrame[copied] = 0;

    NdisRawWritePortBufferUshort(adapter->IoBase + VN1_PIO_DATA, (PUSHORT)adapter->TxFrame,
                                 (copied + 1) / 2);
    if (copied & 1) {
        NdisRawWritePortUshort(adapter->IoBase + VN1_PIO_TXLEN, (USHORT)copied);
    }
    Vn1PioCommand(adapter, VN1_PIO_CMD_TX_GO);
    adapter->XmitOk++;
    return NDIS_STATUS_SUCCESS;
}

//
// -------------------------------------------------------------------- OIDs
//

static NDIS_STATUS
Vn1PioQueryInformation(
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
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;
    ULONG           ulong = 0;
    USHORT          ushort;
    ULONG64         ulong64 = 0;
    NDIS_MEDIUM     medium = NdisMedium802_3;
    const VOID     *source = &ulong;
    ULONG           size = sizeof(ulong);
    BOOLEAN         counter = FALSE;

    switch (Oid) {
    case OID_GEN_SUPPORTED_LIST:
        source = Vn1PioSupportedOids;
        size = sizeof(Vn1PioSupportedOids);
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
        ulong = VN1PIO_LINK_SPEED_100BPS;
        break;
    case OID_GEN_TRANSMIT_BUFFER_SPACE:
        ulong = ETH_MAX_PACKET_SIZE;
        break;
    case OID_GEN_RECEIVE_BUFFER_SPACE:
        ulong = ETH_MAX_PACKET_SIZE * VN1_PIO_FIFO_FRAMES;
        break;
    case OID_GEN_TRANSMIT_BLOCK_SIZE:
    case OID_GEN_RECEIVE_BLOCK_SIZE:
    case OID_GEN_MAXIMUM_TOTAL_SIZE:
        ulong = ETH_MAX_PACKET_SIZE;
        break;
    case OID_GEN_VENDOR_ID:
        ulong = ((ULONG)adapter->PermanentAddress[0] << 16) |
                ((ULONG)adapter->PermanentAddress[1] << 8) | adapter->PermanentAddress[2];
        break;
    case OID_GEN_VENDOR_DESCRIPTION:
        source = Vn1PioVendorDescription;
        size = sizeof(Vn1PioVendorDescription);
        break;
    case OID_GEN_CURRENT_PACKET_FILTER:
        ulong = adapter->PacketFilter;
        break;
    case OID_GEN_DRIVER_VERSION:
        ushort = (VN1PIO_NDIS_MAJOR_VERSION << 8) | VN1PIO_NDIS_MINOR_VERSION;
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
        ulong = VN1PIO_MAX_MCAST_LIST;
        break;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }

    if (counter) {
        //
        // Statistics: 64 bits if the buffer has room, else the low 32.
        //
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
Vn1PioSetInformation(
    NDIS_HANDLE MiniportAdapterContext,
    NDIS_OID Oid,
    PVOID InformationBuffer,
    ULONG InformationBufferLength,
    PULONG BytesRead,
    PULONG BytesNeeded
    )
/*++

Routine Description:

    MiniportSetInformation: packet filter, lookahead, multicast list.
    The VN-1 window takes frames to its own address, broadcast and
    multicast (datasheet §7, docs/vn1.md); the filter is applied here.

    IRQL: DISPATCH_LEVEL.

--*/
{
    PVN1PIO_ADAPTER adapter = (PVN1PIO_ADAPTER)MiniportAdapterContext;
    ULONG           value;

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
        return NDIS_STATUS_SUCCESS;
    case OID_802_3_MULTICAST_LIST:
        if (InformationBufferLength % ETH_LENGTH_OF_ADDRESS) {
            return NDIS_STATUS_INVALID_LENGTH;
        }
        if (InformationBufferLength / ETH_LENGTH_OF_ADDRESS > VN1PIO_MAX_MCAST_LIST) {
            return NDIS_STATUS_MULTICAST_FULL;
        }
        adapter->McastCount = InformationBufferLength / ETH_LENGTH_OF_ADDRESS;
        NdisMoveMemory(adapter->McastList, InformationBuffer, InformationBufferLength);
        *BytesRead = InformationBufferLength;
        return NDIS_STATUS_SUCCESS;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}
