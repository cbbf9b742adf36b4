/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_rx.c - receive (SDM 3.2): address filtering (SDM 13.4.22 RCTL,
 * MTA SDM 13.5.1, RAL/RAH SDM 13.5.2), the legacy receive descriptor ring
 * (RDBAL/RDBAH/RDLEN/RDH/RDT SDM 13.4.24-29, descriptor format SDM 3.2.3) and
 * buffer sizes (RCTL.BSIZE / BSEX).
 *
 * A frame is copied into driver memory under the device lock through the
 * DMA space (hw/dma.h), so a bad address is a counted drop, never a wild
 * write. A descriptor's status byte (DD, EOP) is written last, after a
 * release fence: a driver that sees DD with an acquire load sees the rest.
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

/* RCTL.BSIZE with BSEX (SDM 13.4.22): 2048/1024/512/256, or x16 with BSEX. */
static uint32_t e1000_rx_bufsz(uint32_t rctl)
{
	unsigned b = (rctl & E1000_RCTL_BSIZE_MASK) >> E1000_RCTL_BSIZE_SHIFT;

	if (!(rctl & E1000_RCTL_BSEX))
		return 2048u >> b;
	return b == 0 ? 2048u : 32768u >> b; /* 01b 16384, 10b 8192, 11b 4096 */
}

/* MTA index (SDM 13.5.1): 12 bits of the destination chosen by RCTL.MO. */
static unsigned e1000_mta_hash(const uint8_t *dst, unsigned mo)
{
	switch (mo) {
	case 0:
		return ((unsigned)dst[4] >> 4 | (unsigned)dst[5] << 4) & 0xFFF;
	case 1:
		return ((unsigned)dst[4] >> 3 | (unsigned)dst[5] << 5) & 0xFFF;
	case 2:
		return ((unsigned)dst[4] >> 2 | (unsigned)dst[5] << 6) & 0xFFF;
	default:
		return ((unsigned)dst[4] | (unsigned)dst[5] << 8) & 0xFFF;
	}
}

/* An exact match in one of the 16 receive addresses with AV set. */
static bool e1000_ra_match(struct e1000 *dev, const uint8_t *dst)
{
	uint32_t lo = (uint32_t)dst[0] | (uint32_t)dst[1] << 8 | (uint32_t)dst[2] << 16 |
		      (uint32_t)dst[3] << 24;
	uint32_t hi = (uint32_t)dst[4] | (uint32_t)dst[5] << 8;

	for (unsigned n = 0; n < E1000_NR_RA; n++) {
		uint32_t ral = *e1000_r(dev, E1000_RAL0 + 8 * n);
		uint32_t rah = *e1000_r(dev, E1000_RAH0 + 8 * n);

		/* AS (bits 17:16) 00b: match the destination address. */
		if ((rah & E1000_RAH_AV) && !(rah & 0x30000u) && ral == lo && (rah & 0xFFFF) == hi)
			return true;
	}
	return false;
}

/*
 * Filtering (SDM 3.2.1, RCTL): broadcast passes with BAM; unicast with UPE or
 * an exact receive-address match; multicast (broadcast without BAM too)
 * with MPE, an exact match, or its bit set in the MTA.
 */
bool e1000_rx_filter_pass(struct e1000 *dev, const uint8_t *frame)
{
	uint32_t rctl = *e1000_r(dev, E1000_RCTL);
	static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	unsigned h;

	if (!__builtin_memcmp(frame, bcast, 6) && (rctl & E1000_RCTL_BAM))
		return true;
	if (!(frame[0] & 1))
		return (rctl & E1000_RCTL_UPE) || e1000_ra_match(dev, frame);
	if ((rctl & E1000_RCTL_MPE) || e1000_ra_match(dev, frame))
		return true;
	h = e1000_mta_hash(frame, (rctl & E1000_RCTL_MO_MASK) >> E1000_RCTL_MO_SHIFT);
	return (*e1000_r(dev, E1000_MTA + 4 * (h >> 5)) >> (h & 31)) & 1;
}

/* The Ethernet FCS (IEEE 802.3 CRC-32) of @len bytes. */
static uint32_t e1000_fcs(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* Count a good frame of @len bytes (FCS included) in the size bins of SDM 13.7. */
static void e1000_size_bin(struct e1000 *dev, uint32_t base64, size_t len)
{
	static const size_t top[] = {64, 127, 255, 511, 1023, 1522};

	for (unsigned i = 0; i < 6; i++)
		if (len <= top[i]) {
			e1000_stat_add(dev, base64 + 4 * i, 1);
			return;
		}
}

static uint64_t sat_add64(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int e1000_rx_missed_locked(struct e1000 *dev)
{
	e1000_stat_add(dev, E1000_MPC, 1);
	e1000_stat_add(dev, E1000_RNBC, 1);
	dev->st.rx_missed++;
	e1000_cause_set_locked(dev, E1000_ICR_RXO);
	return E1000_RX_MISSED;
}

/* ------------------------------------------- delayed write-back (host fault) */

/* cookie: bit 0, the frame's last descriptor (its cause comes with it) */
#define WB_LAST 1u

/* A status byte lands: DD visible; after a frame's last one, its cause. */
static void e1000_rx_wb_land(void *ctx, const struct hw_wb *w)
{
	struct e1000 *dev = ctx;

	atomic_thread_fence(memory_order_release);
	hw_dma_write(dev->cfg.dma, w->addr, w->data, w->len);
	if (w->cookie & WB_LAST)
		e1000_rx_delay_locked(dev);
}

static void e1000_rx_wb_fire(struct ke_host_timer *t, void *ctx)
{
	struct e1000 *dev = ctx;
	ke_irql_t old = e1000_lock(dev);

	(void)t;
	hw_wbq_flush_locked(&dev->wbq, false);
	e1000_unlock(dev, old);
}

void e1000_rx_wb_init(struct e1000 *dev)
{
	hw_wbq_init(&dev->wbq, dev->cfg.machine, e1000_rx_wb_land, dev, e1000_rx_wb_fire, dev);
}

static int e1000_rx_fault_locked(struct e1000 *dev)
{
	dev->st.rx_dma_fault++;
	return E1000_RX_DMA_FAULT;
}

/*
 * Store the frame (and its FCS unless RCTL.SECRC) into as many descriptors
 * from RDH as it needs; drop it whole if fewer are available (MPC, RNBC,
 * RXO). A descriptor whose fetch faults is not consumed.
 */
static int e1000_rx_ring_locked(struct e1000 *dev, const uint8_t *frame, size_t len)
{
	uint32_t rctl = *e1000_r(dev, E1000_RCTL), bufsz = e1000_rx_bufsz(rctl);
	uint32_t n = *e1000_r(dev, E1000_RDLEN) / 16, head = *e1000_r(dev, E1000_RDH);
	uint32_t tail = *e1000_r(dev, E1000_RDT), avail, need, thresh, free_after;
	uint64_t base = (uint64_t)*e1000_r(dev, E1000_RDBAH) << 32 | *e1000_r(dev, E1000_RDBAL);
	size_t total = len + ((rctl & E1000_RCTL_SECRC) ? 0 : 4), pos = 0;
	uint32_t fcs = e1000_fcs(frame, len);
	uint8_t fcsb[4] = {(uint8_t)fcs, (uint8_t)(fcs >> 8), (uint8_t)(fcs >> 16),
			   (uint8_t)(fcs >> 24)};

	if (n == 0 || head >= n || tail >= n)
		return e1000_rx_missed_locked(dev);
	avail = (tail + n - head) % n;
	need = (uint32_t)((total + bufsz - 1) / bufsz);
	if (avail < need)
		return e1000_rx_missed_locked(dev);
	if (dev->dma_fault_next) {
		dev->dma_fault_next--;
		dev->st.dma_faults_injected++;
		return e1000_rx_fault_locked(dev);
	}
	for (uint32_t i = 0; i < need; i++) {
		uint64_t desc = base + 16ULL * head, buf;
		size_t chunk = total - pos < bufsz ? total - pos : bufsz, fr = 0;
		uint8_t wb[6] = {(uint8_t)chunk, (uint8_t)(chunk >> 8), 0, 0, 0, 0};
		uint8_t status = E1000_RXD_STAT_DD | E1000_RXD_STAT_IXSM;

		if (hw_dma_read(dev->cfg.dma, desc, &buf, 8))
			return e1000_rx_fault_locked(dev);
		if (pos < len) {
			fr = len - pos < chunk ? len - pos : chunk;
			if (hw_dma_write(dev->cfg.dma, buf, frame + pos, fr))
				return e1000_rx_fault_locked(dev);
		}
		if (chunk > fr &&
		    hw_dma_write(dev->cfg.dma, buf + fr, fcsb + (pos + fr - len), chunk - fr))
			return e1000_rx_fault_locked(dev);
		pos += chunk;
		if (pos == total)
			status |= E1000_RXD_STAT_EOP;
		/* length, checksum 0; then errors 0 and special 0 */
		if (hw_dma_write(dev->cfg.dma, desc + 8, wb, 4) ||
		    hw_dma_write(dev->cfg.dma, desc + 13, wb + 2, 3))
			return e1000_rx_fault_locked(dev);
		if (hw_wbq_active(&dev->wbq)) {
			/* The frame is in the buffer and RDH moves on, but DD
			 * (and, after the last descriptor, the cause) wait. */
			hw_wbq_push_locked(&dev->wbq, desc + 12, &status, 1,
					   pos == total ? WB_LAST : 0);
		} else {
			atomic_thread_fence(memory_order_release);
			hw_dma_write(dev->cfg.dma, desc + 12, &status, 1);
		}
		head = (head + 1) % n;
		*e1000_r(dev, E1000_RDH) = head;
	}
	e1000_stat_add(dev, E1000_GPRC, 1);
	dev->gorc = sat_add64(dev->gorc, len + 4);
	if (frame[0] & 1)
		e1000_stat_add(dev,
			       (frame[0] & frame[1] & frame[2] & frame[3] & frame[4] & frame[5]) ==
				       0xFF
				   ? E1000_BPRC
				   : E1000_MPRC,
			       1);
	e1000_size_bin(dev, E1000_PRC64, len + 4);
	dev->st.rx_accepted++;
	/* RXDMT0 (SDM 13.4.22 RDMTS): free descriptors fell to 1/2, 1/4 or 1/8. */
	thresh = n >> (1 + ((rctl & E1000_RCTL_RDMTS_MASK) >> E1000_RCTL_RDMTS_SHIFT > 2
				? 2
				: (rctl & E1000_RCTL_RDMTS_MASK) >> E1000_RCTL_RDMTS_SHIFT));
	free_after = (tail + n - head) % n;
	if (avail > thresh && free_after <= thresh)
		e1000_cause_set_locked(dev, E1000_ICR_RXDMT0);
	if (!hw_wbq_active(&dev->wbq))
		e1000_rx_delay_locked(dev); /* delayed: the last write-back raises it */
	return E1000_RX_OK;
}

/* @loop: the frame comes from our own transmitter in MAC loopback (no link needed). */
int e1000_receive_locked(struct e1000 *dev, const uint8_t *frame, size_t len, bool loop)
{
	uint32_t rctl = *e1000_r(dev, E1000_RCTL);
	size_t max = (rctl & E1000_RCTL_LPE) ? E1000_MAX_FRAME : E1000_STD_FRAME;

	dev->st.rx_offered++;
	if (dev->removed)
		return dev->st.rx_removed++, E1000_RX_REMOVED;
	if (!(rctl & E1000_RCTL_EN))
		return dev->st.rx_disabled++, E1000_RX_DISABLED;
	if (!loop && !dev->lu)
		return dev->st.rx_link_down++, E1000_RX_LINK_DOWN;
	if (len < E1000_MIN_FRAME || len > max) {
		e1000_stat_add(dev, len < E1000_MIN_FRAME ? E1000_RUC : E1000_ROC, 1);
		return dev->st.rx_bad_length++, E1000_RX_BAD_LENGTH;
	}
	e1000_stat_add(dev, E1000_TPR, 1);
	dev->tor = sat_add64(dev->tor, len + 4);
	if (!e1000_rx_filter_pass(dev, frame))
		return dev->st.rx_filtered++, E1000_RX_FILTERED;
	return e1000_rx_ring_locked(dev, frame, len);
}

int e1000_receive(struct e1000 *dev, const void *frame, size_t len)
{
	ke_irql_t old = e1000_lock(dev);
	int ret = e1000_receive_locked(dev, frame, len, false);

	e1000_unlock(dev, old);
	return ret;
}
