/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/test_vn1_copies.c - the three hand copies of the VN-1
 * register map that drivers keep (they may include nothing but <ndis.h>):
 * drivers/vn1/hardware.h, drivers/vn1pio/hardware.h and
 * drivers/external/vn1_line.c, checked fact by fact against hw/ (hw/vn1.h,
 * hw/rss.h). The few facts hw/ has no constant for (descriptor byte
 * offsets, PCI header offsets, field masks) are the datasheet's numbers,
 * written once, here. docs/vn1.md has the map in prose.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "hw/rss.h"
#include "hw/vn1.h"
#include "tests/hw/vn1_copies.h"

#define Q(q, r) (VN1_RXQ0 + 0x40u * (q) + (r))
#define T(q, r) (VN1_TXQ0 + 0x40u * (q) + (r))
#define QUEUE(q)                                                                                \
	VN1_FACT("rxq" #q ".BAL", Q(q, VN1_Q_BAL)), VN1_FACT("rxq" #q ".BAH", Q(q, VN1_Q_BAH)), \
	    VN1_FACT("rxq" #q ".LEN", Q(q, VN1_Q_LEN)),                                         \
	    VN1_FACT("rxq" #q ".HEAD", Q(q, VN1_Q_HEAD)),                                       \
	    VN1_FACT("rxq" #q ".TAIL", Q(q, VN1_Q_TAIL)),                                       \
	    VN1_FACT("rxq" #q ".DCTL", Q(q, VN1_Q_DCTL)),                                       \
	    VN1_FACT("rxq" #q ".RBUFSZ", Q(q, VN1_Q_RBUFSZ)),                                   \
	    VN1_FACT("rxq" #q ".CNT", Q(q, VN1_Q_CNT)),                                         \
	    VN1_FACT("rxq" #q ".DROP", Q(q, VN1_Q_DROP)),                                       \
	    VN1_FACT("txq" #q ".BAL", T(q, VN1_Q_BAL)),                                         \
	    VN1_FACT("txq" #q ".BAH", T(q, VN1_Q_BAH)),                                         \
	    VN1_FACT("txq" #q ".LEN", T(q, VN1_Q_LEN)),                                         \
	    VN1_FACT("txq" #q ".HEAD", T(q, VN1_Q_HEAD)),                                       \
	    VN1_FACT("txq" #q ".TAIL", T(q, VN1_Q_TAIL)),                                       \
	    VN1_FACT("txq" #q ".DCTL", T(q, VN1_Q_DCTL)),                                       \
	    VN1_FACT("txq" #q ".CNT", T(q, VN1_Q_CNT)),                                         \
	    VN1_FACT("cause.RXQ" #q, VN1_CAUSE_RXQ(q)),                                         \
	    VN1_FACT("cause.TXQ" #q, VN1_CAUSE_TXQ(q)),
#define IVAR(c) VN1_FACT("reg.IVAR" #c, VN1_IVAR0 + 4u * (c)),
#define ITR(m) VN1_FACT("reg.ITR" #m, VN1_ITR0 + 4u * (m)),

/* The register map as hw/ implements it. */
static const struct vn1_fact hw[] = {
    VN1_FACT("pci.VENDOR", VN1_PCI_VENDOR),
    VN1_FACT("pci.DEVICE", VN1_PCI_DEVICE),
    VN1_FACT("pci.cfg.VENDOR", 0x00), /* datasheet §9 */
    VN1_FACT("pci.cfg.DEVICE", 0x02), /* datasheet §9 */
    VN1_FACT("pci.cfg.COMMAND", VN1_PCI_COMMAND),
    VN1_FACT("pci.cfg.REVISION", 0x08), /* datasheet §9 */
    VN1_FACT("pci.cfg.CAPS",
	     VN1_PCI_MSIX_CAP),	       /* the type 0 header ends where the capability starts */
    VN1_FACT("pci.cfg.BAR1", 0x14),    /* datasheet §9 */
    VN1_FACT("pci.cfg.INTLINE", 0x3C), /* datasheet §9 */
    VN1_FACT("pci.BAR_IO", 0x1),       /* datasheet §9: I/O BAR, bit 0 set */
    VN1_FACT("pci.BAR_IO_MASK", 0xFFFFFFFCu),
    VN1_FACT("bar0.LEN", VN1_BAR0_LEN),
    VN1_FACT("bar1.LEN", VN1_BAR1_LEN),
    VN1_FACT("reg.CTRL", VN1_CTRL),
    VN1_FACT("reg.STATUS", VN1_STATUS),
    VN1_FACT("reg.MAC_LO", VN1_MAC_LO),
    VN1_FACT("reg.MAC_HI", VN1_MAC_HI),
    VN1_FACT("reg.RXFILTER", VN1_RXFILTER),
    VN1_FACT("reg.ICR", VN1_ICR),
    VN1_FACT("reg.ICS", VN1_ICS),
    VN1_FACT("reg.IMS", VN1_IMS),
    VN1_FACT("reg.IMC", VN1_IMC),
    VN1_FACT("reg.IAM", VN1_IAM),
    VN1_FACT("reg.IMODE", VN1_IMODE),
    IVAR(0) IVAR(1) IVAR(2) IVAR(3) IVAR(4) IVAR(5) IVAR(6) IVAR(7) IVAR(8) IVAR(9) IVAR(10)
	IVAR(11) IVAR(12) IVAR(13) IVAR(14) IVAR(15) IVAR(16) IVAR(17) IVAR(18) ITR(0) ITR(1) ITR(2)
	    ITR(3) ITR(4) ITR(5) ITR(6) ITR(7) ITR(8) ITR(9) ITR(10) ITR(11) ITR(12) ITR(13) ITR(14)
		ITR(15) VN1_FACT("reg.MSGPEND", VN1_MSGPEND),
    VN1_FACT("reg.MRQC", VN1_MRQC),
    VN1_FACT("reg.RSSRK0", VN1_RSSRK0),
    VN1_FACT("reg.RSSRK9", VN1_RSSRK0 + 4u * (HW_RSS_KEY_LEN / 4 - 1)),
    VN1_FACT("reg.RETA0", VN1_RETA0),
    VN1_FACT("reg.RETA31", VN1_RETA0 + 4u * (HW_RSS_RETA_LEN / 4 - 1)),
    VN1_FACT("reg.GPRC", VN1_GPRC),
    VN1_FACT("reg.GPTC", VN1_GPTC),
    VN1_FACT("reg.MPC", VN1_MPC),
    VN1_FACT("reg.SPURIOUS", VN1_SPURIOUS),
    VN1_FACT("CTRL.RST", VN1_CTRL_RST),
    VN1_FACT("CTRL.RXEN", VN1_CTRL_RXEN),
    VN1_FACT("CTRL.TXEN", VN1_CTRL_TXEN),
    VN1_FACT("CTRL.LPBK", VN1_CTRL_LPBK),
    VN1_FACT("STATUS.LU", VN1_STATUS_LU),
    VN1_FACT("STATUS.SPEED_MASK", 3u << VN1_STATUS_SPEED_SHIFT),
    VN1_FACT("STATUS.SPEED_SHIFT", VN1_STATUS_SPEED_SHIFT),
    VN1_FACT("STATUS.FD", VN1_STATUS_FD),
    VN1_FACT("speed.10M", 0), /* datasheet §3 */
    VN1_FACT("speed.100M", 1),
    VN1_FACT("speed.1G", 2),
    VN1_FACT("speed.10G", 3),
    VN1_FACT("MAC_HI.MASK", 0xFFFFu), /* datasheet §3: bytes 4..5 in bits 15:0 */
    VN1_FACT("mac.LEN", 6),
    VN1_FACT("RXFILTER.UCAST", VN1_RXFILTER_UCAST),
    VN1_FACT("RXFILTER.MCAST", VN1_RXFILTER_MCAST),
    VN1_FACT("RXFILTER.BCAST", VN1_RXFILTER_BCAST),
    VN1_FACT("RXFILTER.PROMISC", VN1_RXFILTER_PROMISC),
    VN1_FACT("IMODE.LINE", VN1_IMODE_LINE),
    VN1_FACT("IMODE.MSI", VN1_IMODE_MSI),
    VN1_FACT("IMODE.MSIX", VN1_IMODE_MSIX),
    VN1_FACT("IVAR.MSG_MASK", VN1_IVAR_MSG_MASK),
    VN1_FACT("IVAR.VALID", VN1_IVAR_VALID),
    VN1_FACT("ITR.MASK", 0xFFFFu), /* datasheet §3: bits 15:0 */
    VN1_FACT("MRQC.RSS", HW_RSS_MRQC_ENABLE),
    VN1_FACT("MRQC.IPV4", HW_RSS_MRQC_IPV4),
    VN1_FACT("MRQC.TCP_IPV4", HW_RSS_MRQC_TCP_IPV4),
    VN1_FACT("MRQC.IPV6", HW_RSS_MRQC_IPV6),
    VN1_FACT("MRQC.TCP_IPV6", HW_RSS_MRQC_TCP_IPV6),
    VN1_FACT("MRQC.UDP_IPV4", HW_RSS_MRQC_UDP_IPV4),
    VN1_FACT("MRQC.UDP_IPV6", HW_RSS_MRQC_UDP_IPV6),
    VN1_FACT("rss.KEY_LEN", HW_RSS_KEY_LEN),
    VN1_FACT("rss.RETA_LEN", HW_RSS_RETA_LEN),
    VN1_FACT("nr.QUEUES", VN1_NR_QUEUES),
    VN1_FACT("nr.MSGS", VN1_NR_MSGS),
    VN1_FACT("nr.CAUSES", VN1_NR_CAUSES),
    VN1_FACT("cause.LSC_BIT", VN1_CAUSE_LSC_BIT),
    VN1_FACT("cause.RXO_BIT", VN1_CAUSE_RXO_BIT),
    VN1_FACT("cause.ERR_BIT", VN1_CAUSE_ERR_BIT),
    VN1_FACT("cause.LSC", VN1_CAUSE_LSC),
    VN1_FACT("cause.RXO", VN1_CAUSE_RXO),
    VN1_FACT("cause.ERR", VN1_CAUSE_ERR),
    VN1_FACT("cause.ALL", VN1_CAUSE_ALL),
    VN1_FACT("cause.RXQ_ALL", VN1_CAUSE_RXQ(0) * 0xFFu),
    VN1_FACT("cause.TXQ_ALL", VN1_CAUSE_TXQ(0) * 0xFFu),
    VN1_EACH_QUEUE(QUEUE) VN1_FACT("DCTL.ENABLE", VN1_DCTL_ENABLE),
    VN1_FACT("ring.ALIGN", 16), /* datasheet §5 */
    VN1_FACT("ring.MIN", 8),
    VN1_FACT("ring.MAX", 65536),
    VN1_FACT("RBUFSZ.MIN", 256),
    VN1_FACT("RBUFSZ.MAX", VN1_MAX_FRAME),
    VN1_FACT("RBUFSZ.DEFAULT", 2048), /* datasheet §2 */
    VN1_FACT("desc.SIZE", 16),	      /* datasheet §5: descriptor bytes */
    VN1_FACT("rxd.LENGTH_AT", 8),
    VN1_FACT("rxd.STATUS_AT", 10),
    VN1_FACT("rxd.RSSTYPE_AT", 11),
    VN1_FACT("rxd.RSSHASH_AT", 12),
    VN1_FACT("txd.LENGTH_AT", 8),
    VN1_FACT("txd.CMD_AT", 10),
    VN1_FACT("txd.STATUS_AT", 11),
    VN1_FACT("RXD.DD", VN1_RXD_STAT_DD),
    VN1_FACT("RXD.EOP", VN1_RXD_STAT_EOP),
    VN1_FACT("RXD.RSSV", VN1_RXD_STAT_RSSV),
    VN1_FACT("rsstype.NONE", HW_RSS_NONE),
    VN1_FACT("rsstype.IPV4", HW_RSS_IPV4),
    VN1_FACT("rsstype.TCP_IPV4", HW_RSS_TCP_IPV4),
    VN1_FACT("rsstype.IPV6", HW_RSS_IPV6),
    VN1_FACT("rsstype.TCP_IPV6", HW_RSS_TCP_IPV6),
    VN1_FACT("rsstype.UDP_IPV4", HW_RSS_UDP_IPV4),
    VN1_FACT("rsstype.UDP_IPV6", HW_RSS_UDP_IPV6),
    VN1_FACT("TXD.CMD_EOP", VN1_TXD_CMD_EOP),
    VN1_FACT("TXD.CMD_RS", VN1_TXD_CMD_RS),
    VN1_FACT("TXD.STAT_DD", VN1_TXD_STAT_DD),
    VN1_FACT("pio.ISR", VN1_PIO_ISR),
    VN1_FACT("pio.IMR", VN1_PIO_IMR),
    VN1_FACT("pio.CMD", VN1_PIO_CMD),
    VN1_FACT("pio.RXLEN", VN1_PIO_RXLEN),
    VN1_FACT("pio.DATA", VN1_PIO_DATA),
    VN1_FACT("pio.TXLEN", VN1_PIO_TXLEN),
    VN1_FACT("pio.STATUS", VN1_PIO_STATUS),
    VN1_FACT("pio.MAC", VN1_PIO_MAC),
    VN1_FACT("PIO_ISR.RX", VN1_PIO_ISR_RX),
    VN1_FACT("PIO_ISR.TX", VN1_PIO_ISR_TX),
    VN1_FACT("PIO_ISR.LSC", VN1_PIO_ISR_LSC),
    VN1_FACT("PIO_ISR.RXO", VN1_PIO_ISR_RXO),
    VN1_FACT("PIO_CMD.RX_NEXT", VN1_PIO_CMD_RX_NEXT),
    VN1_FACT("PIO_CMD.TX_GO", VN1_PIO_CMD_TX_GO),
    VN1_FACT("PIO_CMD.ENABLE", VN1_PIO_CMD_ENABLE),
    VN1_FACT("PIO_CMD.RESET", VN1_PIO_CMD_RESET),
    VN1_FACT("PIO_STATUS.LINK", 0x01), /* datasheet §7 */
    VN1_FACT("pio.FIFO", VN1_PIO_FIFO_FRAMES),
    VN1_FACT("frame.MAX", VN1_MAX_FRAME),
    VN1_FACT("frame.MIN", VN1_MIN_FRAME),
};

static const struct vn1_fact *hw_fact(const char *key)
{
	for (unsigned i = 0; i < sizeof(hw) / sizeof(hw[0]); i++)
		if (strcmp(hw[i].key, key) == 0)
			return &hw[i];
	return NULL;
}

/* Every fact a copy states is hw/'s fact, with hw/'s value. */
static void check_copy(const char *copy, const struct vn1_fact *facts, unsigned n,
		       unsigned at_least)
{
	cr_assert_geq(n, at_least, "%s: only %u facts read", copy, n);
	for (unsigned i = 0; i < n; i++) {
		const struct vn1_fact *h = hw_fact(facts[i].key);

		cr_assert_not_null(h, "%s states %s, which hw/ does not have", copy, facts[i].key);
		cr_expect_eq(facts[i].value, h->value, "%s: %s is 0x%llx, hw/ says 0x%llx", copy,
			     facts[i].key, (unsigned long long)facts[i].value,
			     (unsigned long long)h->value);
	}
}

Test(vn1_copies, driver_vn1_hardware_h_agrees_with_hw)
{
	check_copy("drivers/vn1/hardware.h", vn1_copy_driver, vn1_copy_driver_len, 200);
}

Test(vn1_copies, driver_vn1pio_hardware_h_agrees_with_hw)
{
	check_copy("drivers/vn1pio/hardware.h", vn1_copy_pio, vn1_copy_pio_len, 28);
}

Test(vn1_copies, driver_vn1_line_c_agrees_with_hw)
{
	check_copy("drivers/external/vn1_line.c", vn1_copy_line, vn1_copy_line_len, 50);
}
