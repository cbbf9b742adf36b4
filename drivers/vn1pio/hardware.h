/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    hardware.h

Abstract:

    The VN-1 programmed-I/O window (BAR1) and the PCI configuration fields
    an NDIS 5 PIO driver needs, named after the VN-1 datasheet (revision 1),
    §7 and §9. Nothing in this file knows about NDIS.

--*/

#ifndef _VN1PIO_HARDWARE_H_
#define _VN1PIO_HARDWARE_H_

//
// §9 PCI configuration space.
//

#define VN1_PCI_VENDOR_ID               0x1D6E
#define VN1_PCI_DEVICE_ID               0x0001

#define VN1_PCI_CFG_VENDOR_ID           0x00    // 2 bytes
#define VN1_PCI_CFG_DEVICE_ID           0x02    // 2 bytes
#define VN1_PCI_CFG_BAR1                0x14    // 4 bytes: I/O BAR, bit 0 set
#define VN1_PCI_CFG_INTERRUPT_LINE      0x3C    // 1 byte: the INTx vector

#define VN1_PCI_BAR_IO_SPACE            0x00000001
#define VN1_PCI_BAR_IO_MASK             0xFFFFFFFC

//
// §7 PIO window: port offsets from the BAR1 base, and their widths.
//

#define VN1_BAR1_LENGTH                 0x20

#define VN1_PIO_ISR                     0x00    // 16: interrupt status (read clears TX, LSC, RXO)
#define VN1_PIO_IMR                     0x02    // 16: interrupt mask
#define VN1_PIO_CMD                     0x04    // 8:  command
#define VN1_PIO_RXLEN                   0x06    // 16: length of the head frame, 0 if none
#define VN1_PIO_DATA                    0x08    // 16: two bytes of the frame, first in bits 7:0
#define VN1_PIO_TXLEN                   0x0A    // 16: bytes written for transmission
#define VN1_PIO_STATUS                  0x0C    // 8:  link
#define VN1_PIO_MAC                     0x10    // 8 x 6: MAC address

// PIO_ISR / PIO_IMR
#define VN1_PIO_INT_RX                  0x0001  // receive FIFO not empty (level)
#define VN1_PIO_INT_TX                  0x0002  // transmit done
#define VN1_PIO_INT_LSC                 0x0004  // link status changed
#define VN1_PIO_INT_RXO                 0x0008  // FIFO full, a frame was dropped

// PIO_CMD
#define VN1_PIO_CMD_RX_NEXT             0x01    // drop the rest of the head frame
#define VN1_PIO_CMD_TX_GO               0x02    // send the frame written so far
#define VN1_PIO_CMD_ENABLE              0x40    // PIO mode on (sticky)
#define VN1_PIO_CMD_RESET               0x80

// PIO_STATUS
#define VN1_PIO_STATUS_LINK_UP          0x01

#define VN1_PIO_FIFO_FRAMES             16
#define VN1_MAX_FRAME_SIZE              16384

#endif // _VN1PIO_HARDWARE_H_
