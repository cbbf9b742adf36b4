/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/vn1_copy_line.c - what drivers/external/vn1_line.c states.
 * That driver is one file by design, so CMake copies its register block
 * (from MM_PCI_VENDOR_ID up to the adapter structure) into vn1_line_regs.h.
 */
#include <stdint.h>

typedef uint8_t UCHAR;
typedef uint16_t USHORT;
typedef uint32_t ULONG;
typedef uint64_t ULONGLONG;

#include "vn1_line_regs.h"
#include "tests/hw/vn1_copies.h"

const struct vn1_fact vn1_copy_line[] = {
    VN1_FACT("pci.VENDOR", MM_PCI_VENDOR_ID),
    VN1_FACT("pci.DEVICE", MM_PCI_DEVICE_ID),
    VN1_FACT("bar0.LEN", MM_BAR0_LENGTH),
    VN1_FACT("reg.CTRL", MM_REG_CTRL),
    VN1_FACT("reg.STATUS", MM_REG_STATUS),
    VN1_FACT("reg.MAC_LO", MM_REG_MAC_LO),
    VN1_FACT("reg.MAC_HI", MM_REG_MAC_HI),
    VN1_FACT("reg.RXFILTER", MM_REG_RXFILTER),
    VN1_FACT("reg.ICR", MM_REG_ICR),
    VN1_FACT("reg.IMS", MM_REG_IMS),
    VN1_FACT("reg.IMC", MM_REG_IMC),
    VN1_FACT("reg.IMODE", MM_REG_IMODE),
    VN1_FACT("rxq0.BAL", MM_REG_RDBAL),
    VN1_FACT("rxq0.BAH", MM_REG_RDBAH),
    VN1_FACT("rxq0.LEN", MM_REG_RDLEN),
    VN1_FACT("rxq0.TAIL", MM_REG_RDT),
    VN1_FACT("rxq0.DCTL", MM_REG_RXDCTL),
    VN1_FACT("rxq0.RBUFSZ", MM_REG_RBUFSZ),
    VN1_FACT("txq0.BAL", MM_REG_TDBAL),
    VN1_FACT("txq0.BAH", MM_REG_TDBAH),
    VN1_FACT("txq0.LEN", MM_REG_TDLEN),
    VN1_FACT("txq0.TAIL", MM_REG_TDT),
    VN1_FACT("txq0.DCTL", MM_REG_TXDCTL),
    VN1_FACT("CTRL.RST", MM_CTRL_RST),
    VN1_FACT("CTRL.RXEN", MM_CTRL_RXEN),
    VN1_FACT("CTRL.TXEN", MM_CTRL_TXEN),
    VN1_FACT("STATUS.LU", MM_STATUS_LU),
    VN1_FACT("RXFILTER.UCAST", MM_RXFILTER_UCAST),
    VN1_FACT("RXFILTER.MCAST", MM_RXFILTER_MCAST),
    VN1_FACT("RXFILTER.BCAST", MM_RXFILTER_BCAST),
    VN1_FACT("RXFILTER.PROMISC", MM_RXFILTER_PROMISC),
    VN1_FACT("DCTL.ENABLE", MM_DCTL_ENABLE),
    VN1_FACT("cause.RXQ0", MM_ICR_RXQ0),
    VN1_FACT("cause.TXQ0", MM_ICR_TXQ0),
    VN1_FACT("cause.LSC", MM_ICR_LSC),
    VN1_FACT("cause.RXO", MM_ICR_RXO),
    VN1_FACT("cause.ERR", MM_ICR_ERR),
    VN1_FACT("cause.ALL", MM_ICR_ALL),
    VN1_FACT("desc.SIZE", sizeof(MM_DESC)),
    VN1_FACT("rxd.LENGTH_AT", __builtin_offsetof(MM_DESC, Length)),
    VN1_FACT("rxd.STATUS_AT", __builtin_offsetof(MM_DESC, StatusOrCommand)),
    VN1_FACT("txd.CMD_AT", __builtin_offsetof(MM_DESC, StatusOrCommand)),
    VN1_FACT("txd.STATUS_AT", __builtin_offsetof(MM_DESC, TxStatus)),
    VN1_FACT("rxd.RSSHASH_AT", __builtin_offsetof(MM_DESC, RssHash)),
    VN1_FACT("RXD.DD", MM_RXD_DD),
    VN1_FACT("RXD.EOP", MM_RXD_EOP),
    VN1_FACT("TXD.CMD_EOP", MM_TXD_CMD_EOP),
    VN1_FACT("TXD.CMD_RS", MM_TXD_CMD_RS),
    VN1_FACT("TXD.STAT_DD", MM_TXD_STAT_DD),
    VN1_FACT("frame.MIN", MM_MIN_FRAME),
};

const unsigned vn1_copy_line_len = sizeof(vn1_copy_line) / sizeof(vn1_copy_line[0]);
