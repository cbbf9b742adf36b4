/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_rx.c - receive: filtering, RSS queue selection and the RX rings (§5).
 *
 * A frame is copied into driver memory under the device lock, through the
 * DMA space (hw/dma.h), so a bad address is an ERR cause and a counted drop,
 * never a wild write. The descriptor's status byte (DD) is written last,
 * after a release fence: a driver that sees DD with an acquire load sees the
 * frame and the rest of the write-back.
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"

#include <string.h>

static bool vn1_ring_len_ok(uint32_t len)
{
	return len >= 8 && len <= 65536 && (len & (len - 1)) == 0;
}

uint32_t vn1_rxq_read_locked(struct vn1 *dev, unsigned q, uint32_t reg)
{
	const struct vn1_rxq *r = &dev->rxq[q];

	switch (reg) {
	case VN1_Q_BAL:
		return r->bal;
	case VN1_Q_BAH:
		return r->bah;
	case VN1_Q_LEN:
		return r->len;
	case VN1_Q_HEAD:
		return r->head;
	case VN1_Q_TAIL:
		return r->tail;
	case VN1_Q_DCTL:
		return r->dctl;
	case VN1_Q_RBUFSZ:
		return r->bufsz;
	case VN1_Q_CNT:
		return r->cnt;
	case VN1_Q_DROP:
		return r->drop;
	}
	return 0;
}

/*
 * Writes outside a register's documented range are ignored and counted
 * (RDLEN not a power of two in 8..65536, RBUFSZ outside 256..16384, RDT not
 * below RDLEN). Writing RDLEN or clearing ENABLE resets RDH and RDT to 0.
 */
void vn1_rxq_write_locked(struct vn1 *dev, unsigned q, uint32_t reg, uint32_t val)
{
	struct vn1_rxq *r = &dev->rxq[q];

	switch (reg) {
	case VN1_Q_BAL:
		r->bal = val & ~0xFu;
		return;
	case VN1_Q_BAH:
		r->bah = val;
		return;
	case VN1_Q_LEN:
		if (!vn1_ring_len_ok(val)) {
			dev->st.bad_config_writes++;
			return;
		}
		r->len = val;
		r->head = r->tail = 0;
		return;
	case VN1_Q_TAIL:
		if (val >= r->len) {
			dev->st.bad_config_writes++;
			return;
		}
		r->tail = val;
		return;
	case VN1_Q_DCTL:
		if (!(val & VN1_DCTL_ENABLE))
			r->head = r->tail = 0;
		r->dctl = val & VN1_DCTL_ENABLE;
		return;
	case VN1_Q_RBUFSZ:
		if (val < 256 || val > VN1_MAX_FRAME) {
			dev->st.bad_config_writes++;
			return;
		}
		r->bufsz = val;
		return;
	}
}

static uint64_t vn1_mac_of(uint32_t lo, uint32_t hi)
{
	return (uint64_t)(hi & 0xFFFF) << 32 | lo;
}

static uint64_t vn1_frame_dst(const uint8_t *frame)
{
	return (uint64_t)frame[0] | (uint64_t)frame[1] << 8 | (uint64_t)frame[2] << 16 |
	       (uint64_t)frame[3] << 24 | (uint64_t)frame[4] << 32 | (uint64_t)frame[5] << 40;
}

/*
 * RXFILTER: a frame passes if one enabled class matches its destination:
 * unicast to our MAC, any multicast (group bit, not broadcast), broadcast,
 * or anything (promiscuous). The PIO window has no RXFILTER of its own: it
 * takes our unicast, broadcast and multicast, or everything when
 * RXFILTER.PROMISC is set.
 */
bool vn1_rx_filter_pass(const struct vn1 *dev, const uint8_t *frame, bool pio)
{
	uint64_t dst = vn1_frame_dst(frame);
	uint32_t f = pio ? (VN1_RXFILTER_UCAST | VN1_RXFILTER_MCAST | VN1_RXFILTER_BCAST |
			    (dev->rxfilter & VN1_RXFILTER_PROMISC))
			 : dev->rxfilter;

	if (f & VN1_RXFILTER_PROMISC)
		return true;
	if (dst == 0xFFFFFFFFFFFFULL)
		return f & VN1_RXFILTER_BCAST;
	if (frame[0] & 1)
		return f & VN1_RXFILTER_MCAST;
	return (f & VN1_RXFILTER_UCAST) && dst == vn1_mac_of(dev->mac_lo, dev->mac_hi);
}

/* §5: RSS picks RETA[hash mod 128] when enabled and a type matches; else queue 0. */
static unsigned vn1_rx_queue_locked(struct vn1 *dev, const uint8_t *frame, size_t len,
				    uint32_t *hash, enum hw_rss_type *type)
{
	*hash = 0;
	*type = HW_RSS_NONE;
	if (!(dev->mrqc & HW_RSS_MRQC_ENABLE))
		return 0;
	*hash = hw_rss_hash_frame_table(&dev->rss_table, dev->rss_key, dev->mrqc, frame, len, type);
	if (*type == HW_RSS_NONE)
		return 0;
	return dev->reta[*hash % HW_RSS_RETA_LEN] % VN1_NR_QUEUES;
}

static int vn1_rx_miss_locked(struct vn1 *dev, struct vn1_rxq *r)
{
	r->drop++;
	dev->mpc++;
	dev->st.rx_missed++;
	vn1_cause_set_locked(dev, VN1_CAUSE_RXO);
	return VN1_RX_MISSED;
}

/* ------------------------------------------- delayed write-back (host fault) */

static void vn1_rx_wb_fire(struct ke_host_timer *t, void *ctx);

void vn1_rx_wb_init(struct vn1 *dev)
{
	ke_host_timer_init(&dev->wb_timer, vn1_rx_wb_fire, dev);
}

/* Write back the oldest pending descriptor: its DD byte, then its cause. */
static void vn1_rx_wb_pop_locked(struct vn1 *dev)
{
	struct vn1_wb *w = &dev->wbq[dev->wb_head];

	atomic_thread_fence(memory_order_release);
	hw_dma_write(dev->cfg.dma, w->status_addr, &w->status, 1);
	vn1_cause_set_locked(dev, VN1_CAUSE_RXQ(w->queue));
	dev->wb_head = (dev->wb_head + 1) % VN1_WB_PENDING;
	dev->wb_count--;
	dev->st.wb_delayed++;
}

/**
 * vn1_rx_wb_flush_locked() - Write back what is due (every pending one if
 * @all: the delay was turned off), in ring order, and arm the timer for the
 * next. Context: device lock held.
 */
void vn1_rx_wb_flush_locked(struct vn1 *dev, bool all)
{
	uint64_t now = dev->wb_count ? vn1_now(dev) : 0;

	while (dev->wb_count && (all || dev->wbq[dev->wb_head].due_ns <= now))
		vn1_rx_wb_pop_locked(dev);
	if (dev->wb_count)
		ke_host_timer_arm(dev->cfg.machine, &dev->wb_timer, dev->wbq[dev->wb_head].due_ns);
}

static void vn1_rx_wb_fire(struct ke_host_timer *t, void *ctx)
{
	struct vn1 *dev = ctx;
	ke_irql_t old = vn1_lock(dev);

	(void)t;
	vn1_rx_wb_flush_locked(dev, false);
	vn1_unlock(dev, old);
}

/*
 * The frame is in the buffer and RDH has moved past its descriptor, but DD
 * and the cause wait @wb_delay_ns: the window a driver that trusts RDH (or
 * the interrupt) rather than DD would read a descriptor not yet written.
 */
static void vn1_rx_wb_defer_locked(struct vn1 *dev, unsigned q, uint64_t status_addr,
				   uint8_t status)
{
	struct vn1_wb *w;

	if (dev->wb_count == VN1_WB_PENDING)
		vn1_rx_wb_pop_locked(dev); /* full: the oldest goes now, in order */
	w = &dev->wbq[(dev->wb_head + dev->wb_count) % VN1_WB_PENDING];
	w->due_ns = vn1_now(dev) + dev->wb_delay_ns;
	w->status_addr = status_addr;
	w->status = status;
	w->queue = (uint8_t)q;
	if (dev->wb_count++ == 0)
		ke_host_timer_arm(dev->cfg.machine, &dev->wb_timer, w->due_ns);
}

static int vn1_rx_fault_locked(struct vn1 *dev, struct vn1_rxq *r)
{
	r->drop++;
	dev->st.rx_dma_fault++;
	vn1_cause_set_locked(dev, VN1_CAUSE_ERR);
	return VN1_RX_DMA_FAULT;
}

/*
 * Copy a frame into the descriptor at RDH and write it back. A descriptor
 * whose fetch or buffer faults is not consumed: RDH stays, so the driver can
 * repair it (and an injected fault costs exactly one frame).
 */
static int vn1_rx_ring_locked(struct vn1 *dev, unsigned q, const uint8_t *frame, size_t len,
			      uint32_t hash, enum hw_rss_type type)
{
	struct vn1_rxq *r = &dev->rxq[q];
	uint64_t desc = ((uint64_t)r->bah << 32 | r->bal) + 16ULL * r->head, buf;
	uint8_t wb[8], status = VN1_RXD_STAT_DD | VN1_RXD_STAT_EOP;

	if (!(r->dctl & VN1_DCTL_ENABLE) || r->len == 0 || r->head == r->tail || len > r->bufsz)
		return vn1_rx_miss_locked(dev, r);
	if (dev->dma_fault_next) {
		dev->dma_fault_next--;
		dev->st.dma_faults_injected++;
		return vn1_rx_fault_locked(dev, r);
	}
	if (hw_dma_read(dev->cfg.dma, desc, &buf, 8) || hw_dma_write(dev->cfg.dma, buf, frame, len))
		return vn1_rx_fault_locked(dev, r);
	wb[0] = (uint8_t)len;
	wb[1] = (uint8_t)(len >> 8);
	wb[3] = (uint8_t)type;
	for (int i = 0; i < 4; i++)
		wb[4 + i] = (uint8_t)(hash >> (8 * i));
	if (type != HW_RSS_NONE)
		status |= VN1_RXD_STAT_RSSV;
	wb[2] = 0;
	if (hw_dma_write(dev->cfg.dma, desc + 8, wb, 2) ||
	    hw_dma_write(dev->cfg.dma, desc + 11, wb + 3, 5))
		return vn1_rx_fault_locked(dev, r);
	r->head = (r->head + 1) & (r->len - 1);
	r->cnt++;
	dev->gprc++;
	dev->st.rx_accepted++;
	if (dev->wb_delay_ns) {
		vn1_rx_wb_defer_locked(dev, q, desc + 10, status);
		return VN1_RX_OK;
	}
	atomic_thread_fence(memory_order_release);
	hw_dma_write(dev->cfg.dma, desc + 10, &status, 1);
	vn1_cause_set_locked(dev, VN1_CAUSE_RXQ(q));
	return VN1_RX_OK;
}

static int vn1_receive_locked(struct vn1 *dev, const uint8_t *frame, size_t len)
{
	enum hw_rss_type type;
	uint32_t hash;
	unsigned q;

	dev->st.rx_offered++;
	if (dev->removed)
		return dev->st.rx_removed++, VN1_RX_REMOVED;
	if (len < VN1_MIN_FRAME || len > VN1_MAX_FRAME)
		return dev->st.rx_bad_length++, VN1_RX_BAD_LENGTH;
	if (!dev->pio.enabled && !(dev->ctrl & VN1_CTRL_RXEN))
		return dev->st.rx_disabled++, VN1_RX_DISABLED;
	if (!dev->link_up)
		return dev->st.rx_link_down++, VN1_RX_LINK_DOWN;
	if (!vn1_rx_filter_pass(dev, frame, dev->pio.enabled))
		return dev->st.rx_filtered++, VN1_RX_FILTERED;
	if (dev->pio.enabled)
		return vn1_pio_receive_locked(dev, frame, len);
	q = vn1_rx_queue_locked(dev, frame, len, &hash, &type);
	return vn1_rx_ring_locked(dev, q, frame, len, hash, type);
}

int vn1_receive(struct vn1 *dev, const void *frame, size_t len)
{
	ke_irql_t old = vn1_lock(dev);
	int ret = vn1_receive_locked(dev, frame, len);

	vn1_unlock(dev, old);
	return ret;
}
