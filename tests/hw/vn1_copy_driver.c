/* SPDX-License-Identifier: MIT */
/* tests/hw/vn1_copy_driver.c - what drivers/vn1/hardware.h states. */
#include <stdint.h>

typedef uint8_t UCHAR;
typedef uint16_t USHORT;
typedef uint32_t ULONG;
typedef uint64_t ULONGLONG;

#include "drivers/vn1/hardware.h"
#include "tests/hw/vn1_copies.h"

#define RXQ(q)                                                                                     \
	VN1_FACT("rxq" #q ".BAL", VN1_REG_RDBAL(q)), VN1_FACT("rxq" #q ".BAH", VN1_REG_RDBAH(q)),  \
	    VN1_FACT("rxq" #q ".LEN", VN1_REG_RDLEN(q)),                                           \
	    VN1_FACT("rxq" #q ".HEAD", VN1_REG_RDH(q)),                                            \
	    VN1_FACT("rxq" #q ".TAIL", VN1_REG_RDT(q)),                                            \
	    VN1_FACT("rxq" #q ".DCTL", VN1_REG_RXDCTL(q)),                                         \
	    VN1_FACT("rxq" #q ".RBUFSZ", VN1_REG_RBUFSZ(q)),                                       \
	    VN1_FACT("rxq" #q ".CNT", VN1_REG_RXCNT(q)),                                           \
	    VN1_FACT("rxq" #q ".DROP", VN1_REG_RXDROP(q)),                                         \
	    VN1_FACT("txq" #q ".BAL", VN1_REG_TDBAL(q)),                                           \
	    VN1_FACT("txq" #q ".BAH", VN1_REG_TDBAH(q)),                                           \
	    VN1_FACT("txq" #q ".LEN", VN1_REG_TDLEN(q)),                                           \
	    VN1_FACT("txq" #q ".HEAD", VN1_REG_TDH(q)),                                            \
	    VN1_FACT("txq" #q ".TAIL", VN1_REG_TDT(q)),                                            \
	    VN1_FACT("txq" #q ".DCTL", VN1_REG_TXDCTL(q)),                                         \
	    VN1_FACT("txq" #q ".CNT", VN1_REG_TXCNT(q)), VN1_FACT("cause.RXQ" #q, VN1_ICR_RXQ(q)), \
	    VN1_FACT("cause.TXQ" #q, VN1_ICR_TXQ(q)),
#define IVAR(c) VN1_FACT("reg.IVAR" #c, VN1_REG_IVAR(c)),
#define ITR(m) VN1_FACT("reg.ITR" #m, VN1_REG_ITR(m)),

const struct vn1_fact vn1_copy_driver[] = {
    VN1_FACT("pci.VENDOR", VN1_PCI_VENDOR_ID),
    VN1_FACT("pci.DEVICE", VN1_PCI_DEVICE_ID),
    VN1_FACT("pci.cfg.VENDOR", VN1_PCI_CFG_VENDOR_ID),
    VN1_FACT("pci.cfg.DEVICE", VN1_PCI_CFG_DEVICE_ID),
    VN1_FACT("pci.cfg.COMMAND", VN1_PCI_CFG_COMMAND),
    VN1_FACT("pci.cfg.REVISION", VN1_PCI_CFG_REVISION_ID),
    VN1_FACT("pci.cfg.CAPS", VN1_PCI_CFG_HEADER_LENGTH),
    VN1_FACT("bar0.LEN", VN1_BAR0_LENGTH),
    VN1_FACT("bar1.LEN", VN1_BAR1_LENGTH),
    VN1_FACT("reg.CTRL", VN1_REG_CTRL),
    VN1_FACT("reg.STATUS", VN1_REG_STATUS),
    VN1_FACT("reg.MAC_LO", VN1_REG_MAC_LO),
    VN1_FACT("reg.MAC_HI", VN1_REG_MAC_HI),
    VN1_FACT("reg.RXFILTER", VN1_REG_RXFILTER),
    VN1_FACT("reg.ICR", VN1_REG_ICR),
    VN1_FACT("reg.ICS", VN1_REG_ICS),
    VN1_FACT("reg.IMS", VN1_REG_IMS),
    VN1_FACT("reg.IMC", VN1_REG_IMC),
    VN1_FACT("reg.IAM", VN1_REG_IAM),
    VN1_FACT("reg.IMODE", VN1_REG_IMODE),
    IVAR(0) IVAR(1) IVAR(2) IVAR(3) IVAR(4) IVAR(5) IVAR(6) IVAR(7) IVAR(8) IVAR(9) IVAR(10)
	IVAR(11) IVAR(12) IVAR(13) IVAR(14) IVAR(15) IVAR(16) IVAR(17) IVAR(18) ITR(0) ITR(1) ITR(2)
	    ITR(3) ITR(4) ITR(5) ITR(6) ITR(7) ITR(8) ITR(9) ITR(10) ITR(11) ITR(12) ITR(13) ITR(14)
		ITR(15) VN1_FACT("reg.MSGPEND", VN1_REG_MSGPEND),
    VN1_FACT("reg.MRQC", VN1_REG_MRQC),
    VN1_FACT("reg.RSSRK0", VN1_REG_RSSRK(0)),
    VN1_FACT("reg.RSSRK9", VN1_REG_RSSRK(VN1_RSS_KEY_REGISTERS - 1)),
    VN1_FACT("reg.RETA0", VN1_REG_RETA(0)),
    VN1_FACT("reg.RETA31", VN1_REG_RETA(VN1_RETA_REGISTERS - 1)),
    VN1_FACT("reg.GPRC", VN1_REG_GPRC),
    VN1_FACT("reg.GPTC", VN1_REG_GPTC),
    VN1_FACT("reg.MPC", VN1_REG_MPC),
    VN1_FACT("reg.SPURIOUS", VN1_REG_SPURIOUS),
    VN1_FACT("CTRL.RST", VN1_CTRL_RST),
    VN1_FACT("CTRL.RXEN", VN1_CTRL_RXEN),
    VN1_FACT("CTRL.TXEN", VN1_CTRL_TXEN),
    VN1_FACT("CTRL.LPBK", VN1_CTRL_LPBK),
    VN1_FACT("STATUS.LU", VN1_STATUS_LU),
    VN1_FACT("STATUS.SPEED_MASK", VN1_STATUS_SPEED_MASK),
    VN1_FACT("STATUS.SPEED_SHIFT", VN1_STATUS_SPEED_SHIFT),
    VN1_FACT("STATUS.FD", VN1_STATUS_FD),
    VN1_FACT("speed.10M", VN1_SPEED_10M),
    VN1_FACT("speed.100M", VN1_SPEED_100M),
    VN1_FACT("speed.1G", VN1_SPEED_1G),
    VN1_FACT("speed.10G", VN1_SPEED_10G),
    VN1_FACT("MAC_HI.MASK", VN1_MAC_HI_MASK),
    VN1_FACT("mac.LEN", VN1_MAC_ADDRESS_LENGTH),
    VN1_FACT("RXFILTER.UCAST", VN1_RXFILTER_UCAST),
    VN1_FACT("RXFILTER.MCAST", VN1_RXFILTER_MCAST),
    VN1_FACT("RXFILTER.BCAST", VN1_RXFILTER_BCAST),
    VN1_FACT("RXFILTER.PROMISC", VN1_RXFILTER_PROMISC),
    VN1_FACT("IMODE.LINE", VN1_IMODE_LINE),
    VN1_FACT("IMODE.MSI", VN1_IMODE_MSI),
    VN1_FACT("IMODE.MSIX", VN1_IMODE_MSIX),
    VN1_FACT("IVAR.MSG_MASK", VN1_IVAR_MSG_MASK),
    VN1_FACT("IVAR.VALID", VN1_IVAR_VALID),
    VN1_FACT("ITR.MASK", VN1_ITR_INTERVAL_MASK),
    VN1_FACT("MRQC.RSS", VN1_MRQC_RSS_ENABLE),
    VN1_FACT("MRQC.IPV4", VN1_MRQC_HASH_IPV4),
    VN1_FACT("MRQC.TCP_IPV4", VN1_MRQC_HASH_TCP_IPV4),
    VN1_FACT("MRQC.IPV6", VN1_MRQC_HASH_IPV6),
    VN1_FACT("MRQC.TCP_IPV6", VN1_MRQC_HASH_TCP_IPV6),
    VN1_FACT("MRQC.UDP_IPV4", VN1_MRQC_HASH_UDP_IPV4),
    VN1_FACT("MRQC.UDP_IPV6", VN1_MRQC_HASH_UDP_IPV6),
    VN1_FACT("rss.KEY_LEN", VN1_RSS_KEY_SIZE),
    VN1_FACT("rss.RETA_LEN", VN1_RETA_ENTRIES),
    VN1_FACT("nr.QUEUES", VN1_MAX_RX_QUEUES),
    VN1_FACT("nr.QUEUES", VN1_MAX_TX_QUEUES),
    VN1_FACT("nr.MSGS", VN1_MAX_MSIX_MESSAGES),
    VN1_FACT("nr.CAUSES", VN1_CAUSE_COUNT),
    VN1_FACT("cause.LSC_BIT", VN1_CAUSE_INDEX_LSC),
    VN1_FACT("cause.RXO_BIT", VN1_CAUSE_INDEX_RXO),
    VN1_FACT("cause.ERR_BIT", VN1_CAUSE_INDEX_ERR),
    VN1_FACT("cause.LSC", VN1_ICR_LSC),
    VN1_FACT("cause.RXO", VN1_ICR_RXO),
    VN1_FACT("cause.ERR", VN1_ICR_ERR),
    VN1_FACT("cause.ALL", VN1_ICR_ALL),
    VN1_FACT("cause.RXQ_ALL", VN1_ICR_RXQ_ALL),
    VN1_FACT("cause.TXQ_ALL", VN1_ICR_TXQ_ALL),
    VN1_EACH_QUEUE(RXQ) VN1_FACT("DCTL.ENABLE", VN1_DCTL_ENABLE),
    VN1_FACT("ring.ALIGN", VN1_RING_ALIGNMENT),
    VN1_FACT("ring.MIN", VN1_RING_MIN_DESCRIPTORS),
    VN1_FACT("ring.MAX", VN1_RING_MAX_DESCRIPTORS),
    VN1_FACT("RBUFSZ.MIN", VN1_RBUFSZ_MIN),
    VN1_FACT("RBUFSZ.MAX", VN1_RBUFSZ_MAX),
    VN1_FACT("RBUFSZ.DEFAULT", VN1_RBUFSZ_DEFAULT),
    VN1_FACT("desc.SIZE", sizeof(VN1_RX_DESC)),
    VN1_FACT("desc.SIZE", sizeof(VN1_TX_DESC)),
    VN1_FACT("rxd.LENGTH_AT", __builtin_offsetof(VN1_RX_DESC, Length)),
    VN1_FACT("rxd.STATUS_AT", __builtin_offsetof(VN1_RX_DESC, Status)),
    VN1_FACT("rxd.RSSTYPE_AT", __builtin_offsetof(VN1_RX_DESC, RssType)),
    VN1_FACT("rxd.RSSHASH_AT", __builtin_offsetof(VN1_RX_DESC, RssHash)),
    VN1_FACT("txd.LENGTH_AT", __builtin_offsetof(VN1_TX_DESC, Length)),
    VN1_FACT("txd.CMD_AT", __builtin_offsetof(VN1_TX_DESC, Command)),
    VN1_FACT("txd.STATUS_AT", __builtin_offsetof(VN1_TX_DESC, Status)),
    VN1_FACT("RXD.DD", VN1_RXD_STAT_DD),
    VN1_FACT("RXD.EOP", VN1_RXD_STAT_EOP),
    VN1_FACT("RXD.RSSV", VN1_RXD_STAT_RSSV),
    VN1_FACT("rsstype.NONE", VN1_RXD_RSSTYPE_NONE),
    VN1_FACT("rsstype.IPV4", VN1_RXD_RSSTYPE_IPV4),
    VN1_FACT("rsstype.TCP_IPV4", VN1_RXD_RSSTYPE_TCP_IPV4),
    VN1_FACT("rsstype.IPV6", VN1_RXD_RSSTYPE_IPV6),
    VN1_FACT("rsstype.TCP_IPV6", VN1_RXD_RSSTYPE_TCP_IPV6),
    VN1_FACT("rsstype.UDP_IPV4", VN1_RXD_RSSTYPE_UDP_IPV4),
    VN1_FACT("rsstype.UDP_IPV6", VN1_RXD_RSSTYPE_UDP_IPV6),
    VN1_FACT("TXD.CMD_EOP", VN1_TXD_CMD_EOP),
    VN1_FACT("TXD.CMD_RS", VN1_TXD_CMD_RS),
    VN1_FACT("TXD.STAT_DD", VN1_TXD_STAT_DD),
};

const unsigned vn1_copy_driver_len = sizeof(vn1_copy_driver) / sizeof(vn1_copy_driver[0]);
