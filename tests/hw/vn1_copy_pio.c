/* SPDX-License-Identifier: MIT */
/* tests/hw/vn1_copy_pio.c - what drivers/vn1pio/hardware.h states. */
#include "drivers/vn1pio/hardware.h"
#include "tests/hw/vn1_copies.h"

const struct vn1_fact vn1_copy_pio[] = {
    VN1_FACT("pci.VENDOR", VN1_PCI_VENDOR_ID),
    VN1_FACT("pci.DEVICE", VN1_PCI_DEVICE_ID),
    VN1_FACT("pci.cfg.VENDOR", VN1_PCI_CFG_VENDOR_ID),
    VN1_FACT("pci.cfg.DEVICE", VN1_PCI_CFG_DEVICE_ID),
    VN1_FACT("pci.cfg.BAR1", VN1_PCI_CFG_BAR1),
    VN1_FACT("pci.cfg.INTLINE", VN1_PCI_CFG_INTERRUPT_LINE),
    VN1_FACT("pci.BAR_IO", VN1_PCI_BAR_IO_SPACE),
    VN1_FACT("pci.BAR_IO_MASK", VN1_PCI_BAR_IO_MASK),
    VN1_FACT("bar1.LEN", VN1_BAR1_LENGTH),
    VN1_FACT("pio.ISR", VN1_PIO_ISR),
    VN1_FACT("pio.IMR", VN1_PIO_IMR),
    VN1_FACT("pio.CMD", VN1_PIO_CMD),
    VN1_FACT("pio.RXLEN", VN1_PIO_RXLEN),
    VN1_FACT("pio.DATA", VN1_PIO_DATA),
    VN1_FACT("pio.TXLEN", VN1_PIO_TXLEN),
    VN1_FACT("pio.STATUS", VN1_PIO_STATUS),
    VN1_FACT("pio.MAC", VN1_PIO_MAC),
    VN1_FACT("PIO_ISR.RX", VN1_PIO_INT_RX),
    VN1_FACT("PIO_ISR.TX", VN1_PIO_INT_TX),
    VN1_FACT("PIO_ISR.LSC", VN1_PIO_INT_LSC),
    VN1_FACT("PIO_ISR.RXO", VN1_PIO_INT_RXO),
    VN1_FACT("PIO_CMD.RX_NEXT", VN1_PIO_CMD_RX_NEXT),
    VN1_FACT("PIO_CMD.TX_GO", VN1_PIO_CMD_TX_GO),
    VN1_FACT("PIO_CMD.ENABLE", VN1_PIO_CMD_ENABLE),
    VN1_FACT("PIO_CMD.RESET", VN1_PIO_CMD_RESET),
    VN1_FACT("PIO_STATUS.LINK", VN1_PIO_STATUS_LINK_UP),
    VN1_FACT("pio.FIFO", VN1_PIO_FIFO_FRAMES),
    VN1_FACT("frame.MAX", VN1_MAX_FRAME_SIZE),
};

const unsigned vn1_copy_pio_len = sizeof(vn1_copy_pio) / sizeof(vn1_copy_pio[0]);
