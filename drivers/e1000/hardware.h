/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    hardware.h

Abstract:

    The Intel 82540EM gigabit Ethernet controller as this driver uses it,
    written from Intel's "PCI/PCI-X Family of Gigabit Ethernet Controllers
    Software Developer's Manual" (section numbers are the manual's).
    Nothing in this file knows about NDIS.

--*/

#ifndef _E1000_HARDWARE_H_
#define _E1000_HARDWARE_H_

//
// SDM 4.1 PCI configuration space.
//

#define E1000_PCI_VENDOR_ID             0x8086
#define E1000_PCI_DEVICE_ID_82540EM     0x100E

#define E1000_PCI_CFG_VENDOR_ID         0x00    // 2 bytes
#define E1000_PCI_CFG_DEVICE_ID         0x02    // 2 bytes
#define E1000_PCI_CFG_BAR0              0x10    // memory: the register set
#define E1000_PCI_CFG_BAR2              0x18    // I/O: IOADDR / IODATA
#define E1000_PCI_CFG_INTERRUPT_LINE    0x3C    // 1 byte

#define E1000_PCI_BAR_IO_SPACE          0x00000001
#define E1000_PCI_BAR_MEM_MASK          0xFFFFFFF0
#define E1000_PCI_BAR_IO_MASK           0xFFFFFFFC

#define E1000_CSR_LENGTH                0x20000 // 128 KiB of registers
#define E1000_IO_LENGTH                 0x40

//
// SDM 13.2 I/O-mapped access: IOADDR selects a register, IODATA reads or
// writes it.
//

#define E1000_IO_IOADDR                 0x00
#define E1000_IO_IODATA                 0x04

//
// SDM 13.3 register offsets in the memory BAR.
//

#define E1000_CTRL                      0x00000 // Device Control
#define E1000_STATUS                    0x00008 // Device Status
#define E1000_EECD                      0x00010 // EEPROM/Flash Control/Data
#define E1000_EERD                      0x00014 // EEPROM Read
#define E1000_MDIC                      0x00020 // MDI Control
#define E1000_ICR                       0x000C0 // Interrupt Cause Read
#define E1000_ITR                       0x000C4 // Interrupt Throttling
#define E1000_ICS                       0x000C8 // Interrupt Cause Set
#define E1000_IMS                       0x000D0 // Interrupt Mask Set/Read
#define E1000_IMC                       0x000D8 // Interrupt Mask Clear
#define E1000_RCTL                      0x00100 // Receive Control
#define E1000_TCTL                      0x00400 // Transmit Control
#define E1000_TIPG                      0x00410 // Transmit IPG
#define E1000_RDBAL                     0x02800 // Receive Descriptor Base Low
#define E1000_RDBAH                     0x02804 // Receive Descriptor Base High
#define E1000_RDLEN                     0x02808 // Receive Descriptor Length
#define E1000_RDH                       0x02810 // Receive Descriptor Head
#define E1000_RDT                       0x02818 // Receive Descriptor Tail
#define E1000_RDTR                      0x02820 // Receive Delay Timer
#define E1000_RADV                      0x0282C // Receive Interrupt Absolute Delay
#define E1000_TDBAL                     0x03800 // Transmit Descriptor Base Low
#define E1000_TDBAH                     0x03804 // Transmit Descriptor Base High
#define E1000_TDLEN                     0x03808 // Transmit Descriptor Length
#define E1000_TDH                       0x03810 // Transmit Descriptor Head
#define E1000_TDT                       0x03818 // Transmit Descriptor Tail
#define E1000_TIDV                      0x03820 // Transmit Interrupt Delay
#define E1000_MPC                       0x04010 // Missed Packets Count (clear on read)
#define E1000_GPRC                      0x04074 // Good Packets Received Count
#define E1000_GPTC                      0x04080 // Good Packets Transmitted Count
#define E1000_MTA                       0x05200 // Multicast Table Array, 128 dwords
#define E1000_RAL0                      0x05400 // Receive Address Low (+ 8 * n)
#define E1000_RAH0                      0x05404 // Receive Address High (+ 8 * n)

#define E1000_MTA_ENTRIES               128
#define E1000_RA_ENTRIES                16

// CTRL (SDM 13.4.1)
#define E1000_CTRL_FD                   0x00000001
#define E1000_CTRL_ASDE                 0x00000020
#define E1000_CTRL_SLU                  0x00000040
#define E1000_CTRL_FRCSPD               0x00000800
#define E1000_CTRL_FRCDPLX              0x00001000
#define E1000_CTRL_RST                  0x04000000
#define E1000_CTRL_PHY_RST              0x80000000

// STATUS (SDM 13.4.2)
#define E1000_STATUS_FD                 0x00000001
#define E1000_STATUS_LU                 0x00000002
#define E1000_STATUS_SPEED_MASK         0x000000C0
#define E1000_STATUS_SPEED_10           0x00000000
#define E1000_STATUS_SPEED_100          0x00000040
#define E1000_STATUS_SPEED_1000         0x00000080

// EERD (SDM 13.4.4, 82540EP/EM)
#define E1000_EERD_START                0x00000001
#define E1000_EERD_DONE                 0x00000010
#define E1000_EERD_ADDR_SHIFT           8
#define E1000_EERD_DATA_SHIFT           16

// MDIC (SDM 13.4.7)
#define E1000_MDIC_REG_SHIFT            16
#define E1000_MDIC_PHY_SHIFT            21
#define E1000_MDIC_OP_READ              0x08000000
#define E1000_MDIC_READY                0x10000000
#define E1000_MDIC_ERROR                0x40000000
#define E1000_PHY_ADDRESS               1
#define E1000_PHY_ID1                   2       // IEEE 802.3 PHY identifier, high
#define E1000_PHY_ID2                   3

// ICR / ICS / IMS / IMC (SDM 13.4.17 - SDM 13.4.21)
#define E1000_ICR_TXDW                  0x00000001
#define E1000_ICR_TXQE                  0x00000002
#define E1000_ICR_LSC                   0x00000004
#define E1000_ICR_RXDMT0                0x00000010
#define E1000_ICR_RXO                   0x00000040
#define E1000_ICR_RXT0                  0x00000080
#define E1000_ICR_ALL                   0x0001FFFF

// ITR (SDM 13.4.18): minimum inter-interrupt interval in 256 ns units.
#define E1000_ITR_UNIT_NS               256

// RCTL (SDM 13.4.22)
#define E1000_RCTL_EN                   0x00000002
#define E1000_RCTL_UPE                  0x00000008
#define E1000_RCTL_MPE                  0x00000010
#define E1000_RCTL_RDMTS_HALF           0x00000000
#define E1000_RCTL_MO_47_36             0x00000000
#define E1000_RCTL_BAM                  0x00008000
#define E1000_RCTL_BSIZE_2048           0x00000000
#define E1000_RCTL_SECRC                0x04000000

// TCTL (SDM 13.4.33), TIPG (SDM 13.4.34)
#define E1000_TCTL_EN                   0x00000002
#define E1000_TCTL_PSP                  0x00000008
#define E1000_TCTL_CT_SHIFT             4
#define E1000_TCTL_COLD_SHIFT           12
#define E1000_TCTL_CT_DEFAULT           0x0F
#define E1000_TCTL_COLD_FULL_DUPLEX     0x40
#define E1000_TIPG_COPPER_DEFAULT       0x00602008  // IPGT 8, IPGR1 8, IPGR2 6

// RAH (SDM 13.5.2)
#define E1000_RAH_AV                    0x80000000

//
// SDM 5.6 EEPROM: words 0-2 the Ethernet address; words 0x00-0x3F add up to
// 0xBABA.
//

#define E1000_EEPROM_WORDS              64
#define E1000_EEPROM_CHECKSUM           0xBABA

//
// SDM 3.2.3 legacy receive descriptor.
//

typedef struct _E1000_RX_DESC {
    ULONG64 BufferAddress;
    USHORT  Length;
    USHORT  Checksum;
    UCHAR   Status;
    UCHAR   Errors;
    USHORT  Special;
} E1000_RX_DESC, *PE1000_RX_DESC;

#define E1000_RXD_STAT_DD               0x01
#define E1000_RXD_STAT_EOP              0x02
#define E1000_RXD_ERR_MASK              0xF7    // CE, SE, SEQ, CXE, TCPE, IPE, RXE

//
// SDM 3.3.3 legacy transmit descriptor.
//

typedef struct _E1000_TX_DESC {
    ULONG64 BufferAddress;
    USHORT  Length;
    UCHAR   Cso;
    UCHAR   Command;
    UCHAR   Status;
    UCHAR   Css;
    USHORT  Special;
} E1000_TX_DESC, *PE1000_TX_DESC;

#define E1000_TXD_CMD_EOP               0x01
#define E1000_TXD_CMD_IFCS              0x02
#define E1000_TXD_CMD_RS                0x08
#define E1000_TXD_STAT_DD               0x01

C_ASSERT(sizeof(E1000_RX_DESC) == 16);
C_ASSERT(sizeof(E1000_TX_DESC) == 16);

#endif // _E1000_HARDWARE_H_
