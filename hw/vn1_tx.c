/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_tx.c - transmit rings (§5) and the way out to the wire.
 *
 * One thread at a time runs a queue (txq.busy): the one whose TDT write (or
 * TXEN / ENABLE write) found it idle. It takes one descriptor under the lock,
 * copies the frame into the queue's staging buffer, drops the lock, hands the
 * frame to the wire (or to this device in loopback), then retakes the lock
 * to write back and advance TDH; it loops until TDH reaches TDT. Other
 * writers of TDT only move TDT. So no device lock is held while a frame
 * travels, and two devices sending to each other cannot deadlock.
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"

uint32_t vn1_txq_read_locked(struct vn1 *dev, unsigned q, uint32_t reg)
{
	const struct vn1_txq *t = &dev->txq[q];

	switch (reg) {
	case VN1_Q_BAL:
		return t->bal;
	case VN1_Q_BAH:
		return t->bah;
	case VN1_Q_LEN:
		return t->len;
	case VN1_Q_HEAD:
		return t->head;
	case VN1_Q_TAIL:
		return t->tail;
	case VN1_Q_DCTL:
		return t->dctl;
	case VN1_Q_CNT:
		return t->cnt;
	}
	return 0;
}

static bool vn1_txq_ready(const struct vn1 *dev, const struct vn1_txq *t)
{
	return (dev->ctrl & VN1_CTRL_TXEN) && (t->dctl & VN1_DCTL_ENABLE) && t->len &&
	       t->head != t->tail && !dev->removed;
}

/* Mark idle queues of @queues that have work as busy. Return: those queues. */
uint32_t vn1_tx_claim_locked(struct vn1 *dev, uint32_t queues)
{
	uint32_t claimed = 0;

	for (unsigned q = 0; q < VN1_NR_QUEUES; q++) {
		struct vn1_txq *t = &dev->txq[q];

		if (!(queues & (1u << q)) || t->busy || !vn1_txq_ready(dev, t))
			continue;
		t->busy = true;
		claimed |= 1u << q;
	}
	return claimed;
}

/* Same range rules as RX (vn1_rxq_write_locked()). Return: run @q after unlock. */
bool vn1_txq_write_locked(struct vn1 *dev, unsigned q, uint32_t reg, uint32_t val)
{
	struct vn1_txq *t = &dev->txq[q];

	switch (reg) {
	case VN1_Q_BAL:
		t->bal = val & ~0xFu;
		return false;
	case VN1_Q_BAH:
		t->bah = val;
		return false;
	case VN1_Q_LEN:
		if (val < 8 || val > 65536 || (val & (val - 1))) {
			dev->st.bad_config_writes++;
			return false;
		}
		t->len = val;
		t->head = t->tail = 0;
		return false;
	case VN1_Q_TAIL:
		if (val >= t->len) {
			dev->st.bad_config_writes++;
			return false;
		}
		t->tail = val;
		break;
	case VN1_Q_DCTL:
		if (!(val & VN1_DCTL_ENABLE))
			t->head = t->tail = 0;
		t->dctl = val & VN1_DCTL_ENABLE;
		break;
	default:
		return false;
	}
	return vn1_tx_claim_locked(dev, 1u << q) != 0;
}

enum vn1_tx_verdict { TX_SEND, TX_SKIP };

/*
 * Fetch the descriptor at TDH and stage its frame. Return: TX_SEND with
 * *@len set, or TX_SKIP for a descriptor that is consumed without sending
 * (ERR raised and counted). *@wb: where to write DD back, 0 for nowhere.
 */
static enum vn1_tx_verdict vn1_tx_fetch_locked(struct vn1 *dev, unsigned q, size_t *len,
					       uint64_t *wb)
{
	struct vn1_txq *t = &dev->txq[q];
	uint64_t desc = ((uint64_t)t->bah << 32 | t->bal) + 16ULL * t->head;
	uint8_t d[16];
	uint64_t buf;

	*wb = 0;
	if (dev->dma_fault_next) {
		dev->dma_fault_next--;
		dev->st.dma_faults_injected++;
		goto fault;
	}
	if (hw_dma_read(dev->cfg.dma, desc, d, sizeof(d)))
		goto fault;
	buf = 0;
	for (int i = 7; i >= 0; i--)
		buf = buf << 8 | d[i];
	*len = (size_t)d[8] | (size_t)d[9] << 8;
	if (d[10] & VN1_TXD_CMD_RS)
		*wb = desc + 11;
	if (!(d[10] & VN1_TXD_CMD_EOP) || *len == 0 || *len > VN1_MAX_FRAME) {
		dev->st.tx_bad_desc++;
		vn1_cause_set_locked(dev, VN1_CAUSE_ERR);
		return TX_SKIP;
	}
	if (hw_dma_read(dev->cfg.dma, buf, dev->tx_stage[q], *len))
		goto fault;
	return TX_SEND;
fault:
	dev->st.tx_dma_fault++;
	vn1_cause_set_locked(dev, VN1_CAUSE_ERR);
	return TX_SKIP;
}

/* Hand a frame to the wire or, in loopback, to ourselves. Context: no device lock. */
void vn1_deliver(struct vn1 *dev, const void *frame, size_t len)
{
	ke_irql_t old = vn1_lock(dev);
	bool lpbk = dev->ctrl & VN1_CTRL_LPBK, up = dev->link_up;
	struct wire *w = dev->wire;

	/* Loopback turns the port around inside the device: no wire, no link. */
	if (!lpbk && !up)
		dev->st.tx_link_down++;
	else if (!lpbk && !w)
		dev->st.tx_no_wire++;
	else
		dev->st.tx_sent++;
	vn1_unlock(dev, old);
	if (lpbk)
		vn1_receive(dev, frame, len);
	else if (up && w)
		wire_send(w, dev->wire_end, frame, len);
}

/* Write back DD (when RS asked for it), advance TDH, count, raise TXQ. */
static void vn1_tx_complete_locked(struct vn1 *dev, unsigned q, uint64_t wb, bool sent)
{
	struct vn1_txq *t = &dev->txq[q];
	uint8_t dd = VN1_TXD_STAT_DD;

	if (sent) {
		t->cnt++;
		dev->gptc++;
	}
	t->head = (t->head + 1) & (t->len - 1);
	if (wb) {
		atomic_thread_fence(memory_order_release);
		if (hw_dma_write(dev->cfg.dma, wb, &dd, 1) == 0)
			vn1_cause_set_locked(dev, VN1_CAUSE_TXQ(q));
	}
}

void vn1_tx_run(struct vn1 *dev, unsigned q)
{
	struct vn1_txq *t = &dev->txq[q];
	enum vn1_tx_verdict v;
	uint32_t gen;
	uint64_t wb;
	size_t len = 0;
	ke_irql_t old = vn1_lock(dev);

	while (vn1_txq_ready(dev, t)) {
		gen = dev->reset_gen;
		v = vn1_tx_fetch_locked(dev, q, &len, &wb);
		vn1_unlock(dev, old);
		if (v == TX_SEND)
			vn1_deliver(dev, dev->tx_stage[q], len);
		old = vn1_lock(dev);
		/* A reset while the frame travelled voids the descriptor. */
		if (gen == dev->reset_gen && (t->dctl & VN1_DCTL_ENABLE) && t->len &&
		    t->head != t->tail)
			vn1_tx_complete_locked(dev, q, wb, v == TX_SEND);
	}
	t->busy = false;
	vn1_unlock(dev, old);
}

void vn1_tx_kick(struct vn1 *dev, uint32_t queues)
{
	for (unsigned q = 0; queues; q++, queues >>= 1)
		if (queues & 1)
			vn1_tx_run(dev, q);
}
