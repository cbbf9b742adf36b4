/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_tx.c - transmit (SDM 3.3): the descriptor ring (TDBAL/TDBAH/
 * TDLEN/TDH/TDT SDM 13.4.37-41), legacy descriptors (SDM 3.3.3) and the data and
 * context descriptors of SDM 3.3.5-3.3.7 as far as moving bytes goes.
 *
 * One thread at a time runs the ring (tx_busy): the one whose TDT or TCTL
 * write found it idle with work. It takes one descriptor under the lock,
 * gathers its buffer into the staging frame, and when the descriptor ends a
 * packet (EOP) drops the lock to hand the frame to the wire, then retakes
 * it to write status back and advance TDH; it loops until TDH reaches TDT.
 * No device lock is held while a frame travels.
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

#include <string.h>

static bool e1000_tx_ready_locked(struct e1000 *dev)
{
	uint32_t n = *e1000_r(dev, E1000_TDLEN) / 16, head = *e1000_r(dev, E1000_TDH);
	uint32_t tail = *e1000_r(dev, E1000_TDT);

	return (*e1000_r(dev, E1000_TCTL) & E1000_TCTL_EN) && !dev->removed && n && head < n &&
	       tail < n && head != tail;
}

bool e1000_tx_claim_locked(struct e1000 *dev)
{
	if (dev->tx_busy || !e1000_tx_ready_locked(dev))
		return false;
	dev->tx_busy = true;
	return true;
}

/* Hand a frame to the wire or, in MAC loopback (RCTL.LBM 01b), to ourselves. */
static void e1000_deliver(struct e1000 *dev, const uint8_t *frame, size_t len)
{
	ke_irql_t old = e1000_lock(dev);
	bool lpbk = (*e1000_r(dev, E1000_RCTL) & E1000_RCTL_LBM_MASK) == E1000_RCTL_LBM_MAC;
	bool up = dev->lu;
	struct wire *w = dev->wire;

	if (!lpbk && !up)
		dev->st.tx_link_down++;
	else if (!lpbk && !w)
		dev->st.tx_no_wire++;
	else
		dev->st.tx_sent++;
	if (lpbk)
		e1000_receive_locked(dev, frame, len, true);
	e1000_unlock(dev, old);
	if (!lpbk && up && w)
		wire_send(w, dev->wire_end, frame, len);
}

static void e1000_tx_count_locked(struct e1000 *dev, const uint8_t *frame, size_t len)
{
	e1000_stat_add(dev, E1000_GPTC, 1);
	e1000_stat_add(dev, E1000_TPT, 1);
	dev->gotc = dev->gotc + len + 4 < dev->gotc ? UINT64_MAX : dev->gotc + len + 4;
	dev->tot = dev->tot + len + 4 < dev->tot ? UINT64_MAX : dev->tot + len + 4;
	if (frame[0] & 1)
		e1000_stat_add(dev,
			       (frame[0] & frame[1] & frame[2] & frame[3] & frame[4] & frame[5]) ==
				       0xFF
				   ? E1000_BPTC
				   : E1000_MPTC,
			       1);
	if (len + 4 <= 64)
		e1000_stat_add(dev, E1000_PTC64, 1);
	else if (len + 4 <= 127)
		e1000_stat_add(dev, E1000_PTC127, 1);
	else if (len + 4 <= 255)
		e1000_stat_add(dev, E1000_PTC255, 1);
	else if (len + 4 <= 511)
		e1000_stat_add(dev, E1000_PTC511, 1);
	else if (len + 4 <= 1023)
		e1000_stat_add(dev, E1000_PTC1023, 1);
	else if (len + 4 <= 1522)
		e1000_stat_add(dev, E1000_PTC1522, 1);
}

struct e1000_txd {
	uint64_t desc; /* its bus address */
	uint8_t cmd;
	bool data; /* carries buffer bytes (legacy, or extended data) */
	bool eop;
	uint16_t special;
};

/*
 * Fetch the descriptor at TDH and gather its bytes into the staging frame.
 * Return: false if the descriptor could not be read at all (it is then
 * consumed with no write-back and the packet in progress is dropped).
 */
static bool e1000_tx_fetch_locked(struct e1000 *dev, struct e1000_txd *t)
{
	uint64_t base = (uint64_t)*e1000_r(dev, E1000_TDBAH) << 32 | *e1000_r(dev, E1000_TDBAL);
	uint8_t d[16];
	uint64_t buf = 0;
	size_t len;

	t->desc = base + 16ULL * *e1000_r(dev, E1000_TDH);
	if (dev->dma_fault_next) {
		dev->dma_fault_next--;
		dev->st.dma_faults_injected++;
		goto fault;
	}
	if (hw_dma_read(dev->cfg.dma, t->desc, d, sizeof(d)))
		goto fault;
	for (int i = 7; i >= 0; i--)
		buf = buf << 8 | d[i];
	t->cmd = d[11];
	t->special = (uint16_t)(d[14] | d[15] << 8);
	if (t->cmd & E1000_TXD_CMD_DEXT) {
		/* Extended: DTYP 0000b context (no data), 0001b data, length 19:0. */
		uint32_t dw2 = (uint32_t)d[8] | (uint32_t)d[9] << 8 | (uint32_t)d[10] << 16 |
			       (uint32_t)d[11] << 24;

		t->data = ((dw2 >> 20) & 0xF) == 1;
		len = dw2 & 0xFFFFF;
	} else {
		t->data = true;
		len = (size_t)d[8] | (size_t)d[9] << 8;
	}
	t->eop = t->data && (t->cmd & E1000_TXD_CMD_EOP);
	if (!t->data || len == 0)
		return true;
	if (dev->tx_len + len > E1000_MAX_FRAME) {
		dev->tx_bad = true;
		return true;
	}
	if (hw_dma_read(dev->cfg.dma, buf, dev->tx_stage + dev->tx_len, len)) {
		/* The descriptor is written back: the frame counts as bad
		 * (tx_bad_desc), not as a fetch fault the driver sees. */
		dev->tx_bad = true;
		return true;
	}
	dev->tx_len += len;
	return true;
fault:
	dev->st.tx_dma_fault++;
	dev->tx_len = 0;
	dev->tx_bad = false;
	return false;
}

/*
 * The frame gathered so far, finished: an 802.1Q tag inserted after the
 * addresses when VLE asked for one (VET, special field), padded to 60 bytes
 * when TCTL.PSP is set. Return: its length, or 0 if it cannot be sent.
 */
static size_t e1000_tx_finish_locked(struct e1000 *dev, const struct e1000_txd *t)
{
	size_t len = dev->tx_len;
	uint8_t *f = dev->tx_stage;
	uint16_t vet = (uint16_t)*e1000_r(dev, E1000_VET);

	if (dev->tx_bad || len < E1000_MIN_FRAME) {
		dev->st.tx_bad_desc++;
		return 0;
	}
	if (t->cmd & E1000_TXD_CMD_VLE) {
		if (len + 4 > E1000_MAX_FRAME) {
			dev->st.tx_bad_desc++;
			return 0;
		}
		memmove(f + 16, f + 12, len - 12);
		f[12] = (uint8_t)(vet >> 8);
		f[13] = (uint8_t)vet;
		f[14] = (uint8_t)(t->special >> 8);
		f[15] = (uint8_t)t->special;
		len += 4;
	}
	if ((*e1000_r(dev, E1000_TCTL) & E1000_TCTL_PSP) && len < 60) {
		memset(f + len, 0, 60 - len);
		len = 60;
	}
	return len;
}

void e1000_tx_run(struct e1000 *dev)
{
	struct e1000_txd t;
	size_t len;
	uint32_t gen, n, head;
	uint8_t dd = E1000_TXD_STAT_DD;
	ke_irql_t old = e1000_lock(dev);

	while (e1000_tx_ready_locked(dev)) {
		gen = dev->reset_gen;
		len = 0;
		if (!e1000_tx_fetch_locked(dev, &t)) {
			t.cmd = 0; /* not readable: no write-back */
			t.eop = false;
		} else if (t.eop) {
			len = e1000_tx_finish_locked(dev, &t);
			if (len)
				e1000_tx_count_locked(dev, dev->tx_stage, len);
			dev->tx_bad = false;
		}
		if (len) {
			e1000_unlock(dev, old);
			e1000_deliver(dev, dev->tx_stage, len);
			old = e1000_lock(dev);
			if (gen != dev->reset_gen || !e1000_tx_ready_locked(dev))
				continue; /* a reset voided the descriptor */
		}
		if (t.eop)
			dev->tx_len = 0;
		if (t.cmd & E1000_TXD_CMD_RS) {
			atomic_thread_fence(memory_order_release);
			if (hw_dma_write(dev->cfg.dma, t.desc + 12, &dd, 1) == 0)
				e1000_tx_delay_locked(dev, (t.cmd & E1000_TXD_CMD_IDE) != 0);
		}
		n = *e1000_r(dev, E1000_TDLEN) / 16;
		head = (*e1000_r(dev, E1000_TDH) + 1) % n;
		*e1000_r(dev, E1000_TDH) = head;
		if (head == *e1000_r(dev, E1000_TDT))
			e1000_cause_set_locked(dev, E1000_ICR_TXQE);
	}
	dev->tx_busy = false;
	e1000_unlock(dev, old);
}
