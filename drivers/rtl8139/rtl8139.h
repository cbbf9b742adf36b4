/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    rtl8139.h

Abstract:

    Registers of the Realtek RTL8139C(L) as its datasheet ("DS") describes
    them, and the adapter context of the NDIS 5.1 sample: a bus-master
    miniport on a shareable, level-sensitive INTx line, with the receive
    ring buffer and the four transmit buffers in shared memory below 4 GiB
    (the part's bus-master address registers are 32 bits wide).

--*/

#ifndef _RTL8139_H_
#define _RTL8139_H_

#define NDIS_MINIPORT_DRIVER            1
#define NDIS51_MINIPORT                 1

#include <ndis.h>

#define RTL_NDIS_MAJOR_VERSION          5
#define RTL_NDIS_MINOR_VERSION          1
#define RTL_TAG                         0x39383152  // 'R189'

//
// PCI function (DS: PCI configuration space table).
//
#define RTL_PCI_VENDOR_ID               0x10EC
#define RTL_PCI_DEVICE_ID               0x8139
#define RTL_PCI_CFG_VENDOR_ID           0x00
#define RTL_PCI_CFG_DEVICE_ID           0x02
#define RTL_PCI_CFG_IOAR                0x10        // BAR0: I/O base
#define RTL_PCI_CFG_INTERRUPT_LINE      0x3C
#define RTL_PCI_BAR_IO_SPACE            0x1
#define RTL_PCI_BAR_IO_MASK             0xFFFFFFFC
#define RTL_IO_LENGTH                   0x100

//
// Operational registers, offsets from the I/O base (DS: Register Descriptions).
//
#define RTL_IDR0                        0x00        // station address, 6 bytes
#define RTL_IDR4                        0x04
#define RTL_MAR0                        0x08        // multicast hash, 8 bytes
#define RTL_MAR4                        0x0C
#define RTL_TSD0                        0x10        // transmit status, 4 x ULONG
#define RTL_TSAD0                       0x20        // transmit start address, 4 x ULONG
#define RTL_RBSTART                     0x30        // receive buffer start address
#define RTL_CR                          0x37        // command (UCHAR)
#define RTL_CAPR                        0x38        // current address of packet read (USHORT)
#define RTL_CBR                         0x3A        // current buffer address (USHORT)
#define RTL_IMR                         0x3C        // interrupt mask (USHORT)
#define RTL_ISR                         0x3E        // interrupt status (USHORT)
#define RTL_TCR                         0x40        // transmit configuration
#define RTL_RCR                         0x44        // receive configuration
#define RTL_MPC                         0x4C        // missed packet counter (24 bits)
#define RTL_9346CR                      0x50        // 93C46 command (UCHAR)
#define RTL_MSR                         0x58        // media status (UCHAR)

//
// CR
//
#define RTL_CR_BUFE                     0x01        // receive buffer empty
#define RTL_CR_TE                       0x04
#define RTL_CR_RE                       0x08
#define RTL_CR_RST                      0x10

//
// ISR / IMR
//
#define RTL_INT_ROK                     0x0001
#define RTL_INT_RER                     0x0002
#define RTL_INT_TOK                     0x0004
#define RTL_INT_TER                     0x0008
#define RTL_INT_RXOVW                   0x0010
#define RTL_INT_LINKCHG                 0x0020      // PUN/LinkChg
#define RTL_INT_FOVW                    0x0040
#define RTL_INT_LENCHG                  0x2000
#define RTL_INT_TIMEOUT                 0x4000
#define RTL_INT_SERR                    0x8000
#define RTL_INT_ALL                     0xE07F

//
// TSD0-3
//
#define RTL_TSD_OWN                     0x00002000
#define RTL_TSD_TUN                     0x00004000
#define RTL_TSD_TOK                     0x00008000
#define RTL_TSD_ERTXTH_SHIFT            16          // early Tx threshold, 32-byte units
#define RTL_TSD_TABT                    0x40000000
#define RTL_TSD_DONE                    (RTL_TSD_TOK | RTL_TSD_TUN | RTL_TSD_TABT)

//
// TCR: standard inter-frame gap, 1024-byte DMA bursts.
//
#define RTL_TCR_IFG_STANDARD            0x03000000
#define RTL_TCR_MXDMA_1024              0x00000600

//
// RCR
//
#define RTL_RCR_AAP                     0x00000001
#define RTL_RCR_APM                     0x00000002
#define RTL_RCR_AM                      0x00000004
#define RTL_RCR_AB                      0x00000008
#define RTL_RCR_WRAP                    0x00000080
#define RTL_RCR_MXDMA_UNLIMITED         0x00000700
#define RTL_RCR_RBLEN_32K               0x00001000  // bits 12:11 = 10b
#define RTL_RCR_RXFTH_NONE              0x0000E000  // no receive FIFO threshold

//
// Receive packet header: status word, then the length with the CRC.
//
#define RTL_RXH_ROK                     0x0001
#define RTL_RXH_ERRORS                  0x003E      // FAE, CRC, LONG, RUNT, ISE
#define RTL_RX_HEADER                   4
#define RTL_CRC_LENGTH                  4
#define RTL_CAPR_BIAS                   16          // CAPR = read offset - 16
#define RTL_RX_MAX_LENGTH               4096        // a header's length beyond this is nonsense
#define RTL_RX_EARLY_LENGTH             0xFFF0      // header not written yet: copy from the FIFO in progress

//
// 9346CR: EEM 10b hands the pins of the 93C46 to software.
//
#define RTL_9346_EEDO                   0x01
#define RTL_9346_EEDI                   0x02
#define RTL_9346_EESK                   0x04
#define RTL_9346_EECS                   0x08
#define RTL_9346_PROGRAM                0x80        // EEM 10b
#define RTL_9346_CONFIG_WRITE           0xC0        // EEM 11b
#define RTL_EEPROM_READ_OPCODE          0x2         // 10b
#define RTL_EEPROM_ADDRESS_BITS         6           // 93C46, 16-bit organisation
#define RTL_EEPROM_SIGNATURE            0x8129      // word 0
#define RTL_EEPROM_MAC_WORD             7           // words 7-9: Ethernet ID

//
// MSR
//
#define RTL_MSR_LINKB                   0x04        // 1: no link
#define RTL_MSR_SPEED_10                0x08

//
// Buffers: a 32 KiB receive ring (+16 bytes, + room for the longest
// frame, which runs past the end with RCR.WRAP set), four 2 KiB transmit buffers
// (TSAD must be 32-bit aligned; a frame is at most 1792 bytes).
//
#define RTL_RX_RING_SIZE                32768
#define RTL_RX_BUFFER_SIZE              (RTL_RX_RING_SIZE + 16 + RTL_RX_MAX_LENGTH)
#define RTL_TX_DESCRIPTORS              4
#define RTL_TX_BUFFER_SIZE              2048

#define ETH_HEADER_SIZE                 14
#define ETH_MAX_DATA_SIZE               1500
#define ETH_MAX_PACKET_SIZE             (ETH_HEADER_SIZE + ETH_MAX_DATA_SIZE)
#define ETH_MIN_PACKET_SIZE             60          // without the CRC: the driver pads
#define ETH_LENGTH_OF_ADDRESS           6
#define RTL_MAX_MCAST_LIST              32

//
// The causes the driver services.
//
#define RTL_INTERRUPT_MASK              (RTL_INT_ROK | RTL_INT_RER | RTL_INT_TOK | RTL_INT_TER | \
                                         RTL_INT_RXOVW | RTL_INT_LINKCHG | RTL_INT_FOVW)

//
// A packet waiting for a transmit descriptor, linked through MiniportReserved.
//
#define RTL_PACKET_NEXT(_Packet)        (*(PNDIS_PACKET *)&(_Packet)->MiniportReserved[0])

typedef struct _RTL_ADAPTER {
    NDIS_HANDLE             MiniportAdapterHandle;

    //
    // Resources.
    //
    UINT                    IoPort;             // BAR0
    ULONG_PTR               IoBase;             // NdisMRegisterIoPortRange
    UINT                    InterruptVector;
    NDIS_MINIPORT_INTERRUPT Interrupt;
    BOOLEAN                 PortsRegistered;
    BOOLEAN                 InterruptRegistered;

    //
    // Shared memory (32-bit logical addresses).
    //
    PUCHAR                  RxBuffer;
    NDIS_PHYSICAL_ADDRESS   RxBufferPa;
    PUCHAR                  TxBuffers;
    NDIS_PHYSICAL_ADDRESS   TxBuffersPa;

    //
    // Shared with MiniportISR: touched only at DIRQL (the ISR, or a
    // MiniportSynchronizeISR routine under NdisMSynchronizeWithInterrupt).
    //
    USHORT                  ImrShadow;          // what IMR holds
    USHORT                  PendingCauses;      // ISR bits acknowledged, not yet serviced
    BOOLEAN                 Halting;

    //
    // DISPATCH_LEVEL, serialized by NDIS.
    //
    ULONG                   RxOffset;           // next packet header in the ring
    ULONG                   TxNextToUse;
    ULONG                   TxNextToClean;
    ULONG                   TxFree;
    PNDIS_PACKET            TxPacket[RTL_TX_DESCRIPTORS];
    PNDIS_PACKET            SendQueueHead;
    PNDIS_PACKET            SendQueueTail;

    UCHAR                   PermanentAddress[ETH_LENGTH_OF_ADDRESS];
    UCHAR                   CurrentAddress[ETH_LENGTH_OF_ADDRESS];
    ULONG                   PacketFilter;
    ULONG                   McastCount;
    UCHAR                   McastList[RTL_MAX_MCAST_LIST][ETH_LENGTH_OF_ADDRESS];
    NDIS_MEDIA_STATE        MediaState;
    ULONG                   LinkSpeed;          // OID_GEN_LINK_SPEED units (100 bps)
    ULONG                   Lookahead;
    ULONG64                 XmitOk;
    ULONG64                 XmitError;
    ULONG64                 RcvOk;
    ULONG64                 RcvError;
    ULONG64                 RcvNoBuffer;
    ULONG                   RxResyncs;          // receiver restarted after a bad header
} RTL_ADAPTER, *PRTL_ADAPTER;

DRIVER_INITIALIZE DriverEntry;

#endif // _RTL8139_H_
