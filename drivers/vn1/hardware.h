/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    hardware.h

Abstract:

    Register-level definitions of the VN-1 virtual Ethernet controller,
    named and numbered after the VN-1 datasheet (revision 1). Nothing in
    this file knows about NDIS; it describes the device only.

    Section references (§n) are to the datasheet.

--*/

#ifndef _VN1_HARDWARE_H_
#define _VN1_HARDWARE_H_

//
// §9 PCI configuration space.
//

#define VN1_PCI_VENDOR_ID               0x1D6E
#define VN1_PCI_DEVICE_ID               0x0001

#define VN1_PCI_CFG_VENDOR_ID           0x00    // 2 bytes
#define VN1_PCI_CFG_DEVICE_ID           0x02    // 2 bytes
#define VN1_PCI_CFG_COMMAND             0x04    // 2 bytes
#define VN1_PCI_CFG_REVISION_ID         0x08    // 1 byte
#define VN1_PCI_CFG_HEADER_LENGTH       0x40    // the part of the header we read

//
// §1 Resources, in AllocatedResources order.
//

#define VN1_BAR0_LENGTH                 0x8000  // CmResourceTypeMemory: registers
#define VN1_BAR1_LENGTH                 0x20    // CmResourceTypePort: PIO window

//
// §3 Register map (BAR0). All registers are 32 bits wide.
//

#define VN1_REG_CTRL                    0x0000
#define VN1_REG_STATUS                  0x0004
#define VN1_REG_MAC_LO                  0x0008
#define VN1_REG_MAC_HI                  0x000C
#define VN1_REG_RXFILTER                0x0010
#define VN1_REG_ICR                     0x00C0
#define VN1_REG_ICS                     0x00C8
#define VN1_REG_IMS                     0x00D0
#define VN1_REG_IMC                     0x00D8
#define VN1_REG_IAM                     0x00E0
#define VN1_REG_IMODE                   0x00E4
#define VN1_REG_IVAR(_Cause)            (0x0100 + 4 * (_Cause))
#define VN1_REG_ITR(_Message)           (0x0200 + 4 * (_Message))
#define VN1_REG_MSGPEND                 0x0300
#define VN1_REG_MRQC                    0x2000
#define VN1_REG_RSSRK(_Index)           (0x2040 + 4 * (_Index))
#define VN1_REG_RETA(_Index)            (0x2100 + 4 * (_Index))
#define VN1_REG_GPRC                    0x4000
#define VN1_REG_GPTC                    0x4004
#define VN1_REG_MPC                     0x4008
#define VN1_REG_SPURIOUS                0x400C

// CTRL
#define VN1_CTRL_RST                    0x00000001  // self-clearing
#define VN1_CTRL_RXEN                   0x00000002
#define VN1_CTRL_TXEN                   0x00000004
#define VN1_CTRL_LPBK                   0x00000008

// STATUS
#define VN1_STATUS_LU                   0x00000001
#define VN1_STATUS_SPEED_MASK           0x00000006
#define VN1_STATUS_SPEED_SHIFT          1
#define VN1_STATUS_FD                   0x00000008

#define VN1_SPEED_10M                   0
#define VN1_SPEED_100M                  1
#define VN1_SPEED_1G                    2
#define VN1_SPEED_10G                   3

// MAC_HI holds address bytes 4..5 in bits 15:0
#define VN1_MAC_HI_MASK                 0x0000FFFF
#define VN1_MAC_ADDRESS_LENGTH          6

// RXFILTER
#define VN1_RXFILTER_UCAST              0x00000001
#define VN1_RXFILTER_MCAST              0x00000002  // all multicast
#define VN1_RXFILTER_BCAST              0x00000004
#define VN1_RXFILTER_PROMISC            0x00000008

// IMODE
#define VN1_IMODE_LINE                  0
#define VN1_IMODE_MSI                   1
#define VN1_IMODE_MSIX                  2

// IVAR[c]
#define VN1_IVAR_MSG_MASK               0x0000000F
#define VN1_IVAR_VALID                  0x00000080

// ITR[m]: bits 15:0, minimum microseconds between two signals
#define VN1_ITR_INTERVAL_MASK           0x0000FFFF

// MRQC
#define VN1_MRQC_RSS_ENABLE             0x00000001
#define VN1_MRQC_HASH_IPV4              0x00000100
#define VN1_MRQC_HASH_TCP_IPV4          0x00000200
#define VN1_MRQC_HASH_IPV6              0x00000400
#define VN1_MRQC_HASH_TCP_IPV6          0x00000800
#define VN1_MRQC_HASH_UDP_IPV4          0x00001000
#define VN1_MRQC_HASH_UDP_IPV6          0x00002000

#define VN1_RSS_KEY_SIZE                40      // bytes, RSSRK[0..9]
#define VN1_RSS_KEY_REGISTERS           10
#define VN1_RETA_ENTRIES                128     // one byte each, 4 per register
#define VN1_RETA_REGISTERS              (VN1_RETA_ENTRIES / 4)

//
// §4 Interrupt cause bits (ICR, ICS, IMS, IMC, IAM; also the IVAR index).
//

#define VN1_MAX_RX_QUEUES               8
#define VN1_MAX_TX_QUEUES               8
#define VN1_MAX_MSIX_MESSAGES           16

#define VN1_CAUSE_INDEX_RXQ(_Queue)     (_Queue)
#define VN1_CAUSE_INDEX_TXQ(_Queue)     (8 + (_Queue))
#define VN1_CAUSE_INDEX_LSC             16
#define VN1_CAUSE_INDEX_RXO             17
#define VN1_CAUSE_INDEX_ERR             18
#define VN1_CAUSE_COUNT                 19

#define VN1_ICR_RXQ(_Queue)             ((ULONG)1 << VN1_CAUSE_INDEX_RXQ(_Queue))
#define VN1_ICR_TXQ(_Queue)             ((ULONG)1 << VN1_CAUSE_INDEX_TXQ(_Queue))
#define VN1_ICR_RXQ_ALL                 ((ULONG)0x000000FF)
#define VN1_ICR_TXQ_ALL                 ((ULONG)0x0000FF00)
#define VN1_ICR_LSC                     ((ULONG)1 << VN1_CAUSE_INDEX_LSC)
#define VN1_ICR_RXO                     ((ULONG)1 << VN1_CAUSE_INDEX_RXO)
#define VN1_ICR_ERR                     ((ULONG)1 << VN1_CAUSE_INDEX_ERR)
#define VN1_ICR_ALL                     ((ULONG)0x0007FFFF)

//
// §5 Descriptor rings. Queue registers are offsets from the queue's base.
//

#define VN1_RXQ_BASE(_Queue)            (0x1000 + 0x40 * (_Queue))
#define VN1_TXQ_BASE(_Queue)            (0x1200 + 0x40 * (_Queue))

#define VN1_REG_RDBAL(_Queue)           (VN1_RXQ_BASE(_Queue) + 0x00)
#define VN1_REG_RDBAH(_Queue)           (VN1_RXQ_BASE(_Queue) + 0x04)
#define VN1_REG_RDLEN(_Queue)           (VN1_RXQ_BASE(_Queue) + 0x08)
#define VN1_REG_RDH(_Queue)             (VN1_RXQ_BASE(_Queue) + 0x10)
#define VN1_REG_RDT(_Queue)             (VN1_RXQ_BASE(_Queue) + 0x18)
#define VN1_REG_RXDCTL(_Queue)          (VN1_RXQ_BASE(_Queue) + 0x20)
#define VN1_REG_RBUFSZ(_Queue)          (VN1_RXQ_BASE(_Queue) + 0x28)
#define VN1_REG_RXCNT(_Queue)           (VN1_RXQ_BASE(_Queue) + 0x30)
#define VN1_REG_RXDROP(_Queue)          (VN1_RXQ_BASE(_Queue) + 0x34)

#define VN1_REG_TDBAL(_Queue)           (VN1_TXQ_BASE(_Queue) + 0x00)
#define VN1_REG_TDBAH(_Queue)           (VN1_TXQ_BASE(_Queue) + 0x04)
#define VN1_REG_TDLEN(_Queue)           (VN1_TXQ_BASE(_Queue) + 0x08)
#define VN1_REG_TDH(_Queue)             (VN1_TXQ_BASE(_Queue) + 0x10)
#define VN1_REG_TDT(_Queue)             (VN1_TXQ_BASE(_Queue) + 0x18)
#define VN1_REG_TXDCTL(_Queue)          (VN1_TXQ_BASE(_Queue) + 0x20)
#define VN1_REG_TXCNT(_Queue)           (VN1_TXQ_BASE(_Queue) + 0x30)

#define VN1_DCTL_ENABLE                 0x00000001

#define VN1_RING_ALIGNMENT              16
#define VN1_RING_MIN_DESCRIPTORS        8
#define VN1_RING_MAX_DESCRIPTORS        65536
#define VN1_RBUFSZ_MIN                  256
#define VN1_RBUFSZ_MAX                  16384
#define VN1_RBUFSZ_DEFAULT              2048

//
// Receive descriptor, 16 bytes. The driver writes BufferAddress and clears
// Status; the device writes back Length, Status, RssType and RssHash.
//
typedef struct _VN1_RX_DESC {
    ULONGLONG   BufferAddress;      // bytes 0..7
    USHORT      Length;             // bytes 8..9
    UCHAR       Status;             // byte 10
    UCHAR       RssType;            // byte 11
    ULONG       RssHash;            // bytes 12..15
} VN1_RX_DESC, *PVN1_RX_DESC;

#define VN1_RXD_STAT_DD                 0x01
#define VN1_RXD_STAT_EOP                0x02
#define VN1_RXD_STAT_RSSV               0x04

#define VN1_RXD_RSSTYPE_NONE            0
#define VN1_RXD_RSSTYPE_IPV4            1
#define VN1_RXD_RSSTYPE_TCP_IPV4        2
#define VN1_RXD_RSSTYPE_IPV6            3
#define VN1_RXD_RSSTYPE_TCP_IPV6        4
#define VN1_RXD_RSSTYPE_UDP_IPV4        5
#define VN1_RXD_RSSTYPE_UDP_IPV6        6

//
// Transmit descriptor, 16 bytes.
//
typedef struct _VN1_TX_DESC {
    ULONGLONG   BufferAddress;      // bytes 0..7
    USHORT      Length;             // bytes 8..9
    UCHAR       Command;            // byte 10
    UCHAR       Status;             // byte 11
    ULONG       Reserved;           // bytes 12..15
} VN1_TX_DESC, *PVN1_TX_DESC;

#define VN1_TXD_CMD_EOP                 0x01    // must be set
#define VN1_TXD_CMD_RS                  0x02    // report status (DD)
#define VN1_TXD_STAT_DD                 0x01

#endif // _VN1_HARDWARE_H_
