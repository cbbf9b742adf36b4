/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_rx.c - receive: filtering, RSS queue selection and the RX rings (§5).
 *
 * A frame is copied into driver memory through the DMA space (hw/dma.h), so
 * a bad address is an ERR cause and a counted drop, never a wild write. The
 * descriptor's status byte (DD) is written last, after a release fence: a
 * driver that sees DD with an acquire load sees the frame and the rest of
 * the write-back.
 *
 * The copy runs outside the device lock, so the vCPUs' ISR, DPC and the ITR
 * timer do not spin behind a producer's memcpy: under the lock the producer
 * filters, picks the queue, fetches the descriptor at RDH and marks the
 * queue busy (the descriptor is reserved; RDH does not move yet); without it
 * the producer copies the frame and writes the length and hash fields; under
 * the lock again it writes DD, moves RDH and raises the cause - or, if the
 * ring was reset or the device removed meanwhile (the queue's gen moved),
 * counts a drop and writes nothing more. One copy per queue is in flight at a
 * time: a second producer for the same queue waits for the first (rare: each
 * wire has one sending thread). IRQL stays at HIGH_LEVEL throughout, so an
 * interrupt on the copying vCPU cannot run a loopback send that waits for
 * the very copy it interrupted.
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"

#include <sched.h>
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
		vn1_rx_quiesce_locked(dev, q);
		r->len = val;
		r->head = r->tail = 0;
		r->gen++;
		return;
	case VN1_Q_TAIL:
		if (val >= r->len) {
			dev->st.bad_config_writes++;
			return;
		}
		r->tail = val;
		return;
	case VN1_Q_DCTL:
		if (!(val & VN1_DCTL_ENABLE)) {
			vn1_rx_quiesce_locked(dev, q);
			r->head = r->tail = 0;
			r->gen++;
		}
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

/**
 * vn1_rx_quiesce_locked() - Wait until no frame is being copied into ring
 * @q outside the lock. Called before the ring is reset, so that once the
 * driver's register write (or CTRL.RST, or removal) is done the device
 * writes nothing more into the old ring's buffers. The copier does not need
 * the lock to finish its copy, and runs at HIGH_LEVEL, so this ends.
 * Context: device lock held.
 */
void vn1_rx_quiesce_locked(struct vn1 *dev, unsigned q)
{
	unsigned spins = 0;

	while (atomic_load_explicit(&dev->rxq[q].copying, memory_order_acquire)) {
		ke_preempt_point(KE_PP_SPIN);
		if (++spins % 1024 == 0)
			ke_yield();
	}
}

/* A descriptor reserved under the lock, filled outside it. */
struct vn1_rx_slot {
	unsigned q;
	uint32_t gen, reset_gen;
	uint64_t desc, buf;
	uint32_t hash;
	enum hw_rss_type type;
};

#define VN1_RX_COPY 1 /* internal: a descriptor is reserved, copy the frame */
#define VN1_RX_BUSY 2 /* internal: the queue has a copy in flight, wait */

/*
 * Reserve the descriptor at RDH. A descriptor whose fetch faults is not
 * consumed: RDH stays, so the driver can repair it (and an injected fault
 * costs exactly one frame).
 */
static int vn1_rx_reserve_locked(struct vn1 *dev, struct vn1_rx_slot *s, size_t len)
{
	struct vn1_rxq *r = &dev->rxq[s->q];

	if (r->busy)
		return VN1_RX_BUSY;
	if (!(r->dctl & VN1_DCTL_ENABLE) || r->len == 0 || r->head == r->tail || len > r->bufsz)
		return vn1_rx_miss_locked(dev, r);
	if (dev->dma_fault_next) {
		dev->dma_fault_next--;
		dev->st.dma_faults_injected++;
		return vn1_rx_fault_locked(dev, r);
	}
	s->desc = ((uint64_t)r->bah << 32 | r->bal) + 16ULL * r->head;
	if (hw_dma_read(dev->cfg.dma, s->desc, &s->buf, 8))
		return vn1_rx_fault_locked(dev, r);
	s->gen = r->gen;
	s->reset_gen = dev->reset_gen;
	__atomic_store_n(&r->busy, true, __ATOMIC_RELAXED);
	atomic_store_explicit(&r->copying, true, memory_order_relaxed);
	return VN1_RX_COPY;
}

/* Outside the lock: the frame, then the length and hash fields. */
static bool vn1_rx_copy(struct vn1 *dev, const struct vn1_rx_slot *s, const uint8_t *frame,
			size_t len)
{
	uint8_t wb[8];
	bool ok;

	wb[0] = (uint8_t)len;
	wb[1] = (uint8_t)(len >> 8);
	wb[2] = 0;
	wb[3] = (uint8_t)s->type;
	for (int i = 0; i < 4; i++)
		wb[4 + i] = (uint8_t)(s->hash >> (8 * i));
	ok = !hw_dma_write(dev->cfg.dma, s->buf, frame, len) &&
	     !hw_dma_write(dev->cfg.dma, s->desc + 8, wb, 2) &&
	     !hw_dma_write(dev->cfg.dma, s->desc + 11, wb + 3, 5);
	atomic_store_explicit(&dev->rxq[s->q].copying, false, memory_order_release);
	return ok;
}

/* Under the lock again: write back DD and move RDH, unless the ring is gone. */
static int vn1_rx_publish_locked(struct vn1 *dev, const struct vn1_rx_slot *s, bool ok)
{
	struct vn1_rxq *r = &dev->rxq[s->q];
	uint8_t status = VN1_RXD_STAT_DD | VN1_RXD_STAT_EOP;

	__atomic_store_n(&r->busy, false, __ATOMIC_RELAXED);
	if (dev->removed)
		return dev->st.rx_removed++, VN1_RX_REMOVED;
	if (s->gen != r->gen || s->reset_gen != dev->reset_gen || !(r->dctl & VN1_DCTL_ENABLE)) {
		/* The ring was reset under the copy: the frame is lost. */
		r->drop++;
		dev->mpc++;
		dev->st.rx_missed++;
		return VN1_RX_MISSED;
	}
	if (!ok)
		return vn1_rx_fault_locked(dev, r);
	if (s->type != HW_RSS_NONE)
		status |= VN1_RXD_STAT_RSSV;
	r->head = (r->head + 1) & (r->len - 1);
	r->cnt++;
	dev->gprc++;
	dev->st.rx_accepted++;
	if (dev->wb_delay_ns) {
		vn1_rx_wb_defer_locked(dev, s->q, s->desc + 10, status);
		return VN1_RX_OK;
	}
	atomic_thread_fence(memory_order_release);
	hw_dma_write(dev->cfg.dma, s->desc + 10, &status, 1);
	vn1_cause_set_locked(dev, VN1_CAUSE_RXQ(s->q));
	return VN1_RX_OK;
}

static int vn1_receive_locked(struct vn1 *dev, const uint8_t *frame, size_t len, bool again,
			      struct vn1_rx_slot *s)
{
	if (!again)
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
	s->q = vn1_rx_queue_locked(dev, frame, len, &s->hash, &s->type);
	return vn1_rx_reserve_locked(dev, s, len);
}

int vn1_receive(struct vn1 *dev, const void *frame, size_t len)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);
	struct vn1_rx_slot s;
	unsigned spins = 0;
	int ret;

	for (;;) {
		vn1_acquire_yielding(dev);
		ret = vn1_receive_locked(dev, frame, len, spins != 0, &s);
		if (ret != VN1_RX_BUSY)
			break;
		/* Another producer's copy into this queue is in flight. */
		ke_spin_release_raw(&dev->lock);
		while (__atomic_load_n(&dev->rxq[s.q].busy, __ATOMIC_RELAXED)) {
			ke_preempt_point(KE_PP_SPIN);
			if (++spins % 1024 == 0)
				ke_yield();
		}
		spins |= 1;
	}
	if (ret == VN1_RX_COPY) {
		bool ok;

		ke_spin_release_raw(&dev->lock);
		ok = vn1_rx_copy(dev, &s, frame, len);
		vn1_acquire_yielding(dev);
		ret = vn1_rx_publish_locked(dev, &s, ok);
	}
	vn1_unlock(dev, old);
	return ret;
}
