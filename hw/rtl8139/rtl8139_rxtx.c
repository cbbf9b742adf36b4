/* SPDX-License-Identifier: MIT */
/*
 * hw/rtl8139/rtl8139_rxtx.c - the receive ring buffer (DS: "Receive
 * Buffer", RBSTART, CAPR/CBR, RCR) and the four transmit descriptors
 * (DS: "Transmit Status Register", TSD0-3 / TSAD0-3).
 *
 * Receive: each accepted frame is written at CBR as a 4-byte header
 * (receive status word, then the length including the 4-byte CRC) followed
 * by the frame and its CRC, and CBR advances to the next dword boundary.
 * The driver reads from CAPR + 16 and writes CAPR back as (its read offset
 * - 16), the datasheet's convention; CR.BUFE is set when CAPR + 16 reaches
 * CBR. A frame that does not fit before the read offset is dropped with
 * ISR.RXOVW and counted in MPC.
 *
 * Transmit: the driver writes a buffer address into TSADn and the size with
 * OWN = 0 into TSDn; the transmitter serves the descriptors in round-robin
 * order starting at TSD0 after reset, copies the buffer (OWN = 1), sends it
 * and sets TOK and ISR.TOK (or TABT and ISR.TER).
 */
#define NDISRT_HW_RTL8139_INTERNAL
#include "hw/rtl8139/rtl8139_internal.h"

#include <string.h>

/* IEEE 802.3 CRC-32 (reflected, poly 0xEDB88320), bitwise: no tables. */
uint32_t rtl8139_ether_crc(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* Multicast hash: the 6 most significant bits of the big-endian CRC-32 of
 * the destination address index MAR0-7 (DS: MAR0-7). */
static bool rtl_mar_hit(const struct rtl8139 *d, const uint8_t *da)
{
	uint32_t crc = 0xFFFFFFFFu;
	unsigned idx;

	for (unsigned i = 0; i < 6; i++) {
		uint8_t byte = da[i];

		for (int b = 0; b < 8; b++, byte >>= 1) {
			uint32_t top = (crc >> 31) ^ (byte & 1u);

			crc <<= 1;
			if (top)
				crc ^= 0x04C11DB7u;
		}
	}
	idx = crc >> 26;
	return (d->reg[RTL_MAR0 + (idx >> 3)] >> (idx & 7)) & 1;
}

/* RCR filtering (DS: RCR AAP/APM/AM/AB). Return: header status bits, or 0: reject. */
static uint16_t rtl_filter(const struct rtl8139 *d, const uint8_t *da)
{
	uint32_t rcr = rtl_get(d, RTL_RCR, 4);
	static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

	if (memcmp(da, bcast, 6) == 0)
		return (rcr & RTL_RCR_AB) ? RTL_RXH_BAR : 0;
	if (da[0] & 1) {
		if (rcr & RTL_RCR_AAP)
			return RTL_RXH_MAR;
		return ((rcr & RTL_RCR_AM) && rtl_mar_hit(d, da)) ? RTL_RXH_MAR : 0;
	}
	if ((rcr & RTL_RCR_APM) && memcmp(da, &d->reg[RTL_IDR0], 6) == 0)
		return RTL_RXH_PAM;
	return (rcr & RTL_RCR_AAP) ? RTL_RXH_ROK /* accepted, no address flag */ : 0;
}

static int rtl_ring_write(struct rtl8139 *d, uint32_t base, uint32_t size, bool wrap_linear,
			  uint32_t off, const void *src, size_t len)
{
	const uint8_t *s = src;

	if (!wrap_linear && off >= size)
		off -= size;
	if (wrap_linear || off + len <= size)
		return hw_dma_write(d->dma, (uint64_t)base + off, s, len);
	if (hw_dma_write(d->dma, (uint64_t)base + off, s, size - off))
		return -1;
	return hw_dma_write(d->dma, base, s + (size - off), len - (size - off));
}

/* ------------------------------------------- delayed write-back (host fault) */

/*
 * While the part is still moving a packet from its FIFO into the ring, the
 * packet's header reads as status 0, length 0xFFF0 (the value RealTek's
 * and Linux's drivers test for: "packet copy from FIFO still in progress");
 * CBR has already moved past the packet, so CR.BUFE is clear. The delayed
 * write-back holds the header in that state for the delay: then the real
 * header lands and ISR.ROK is set.
 */
#define RTL_RX_EARLY_LEN 0xFFF0u

static void rtl_rx_wb_land(void *ctx, const struct hw_wb *w)
{
	struct rtl8139 *d = ctx;

	atomic_thread_fence(memory_order_release);
	if (hw_dma_write(d->dma, w->addr, w->data, w->len) == 0)
		rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | RTL_INT_ROK);
	rtl8139_irq_update_locked(d);
}

static void rtl_rx_wb_fire(struct ke_host_timer *t, void *ctx)
{
	struct rtl8139 *d = ctx;
	ke_irql_t old = rtl_lock(d);

	(void)t;
	hw_wbq_flush_locked(&d->wbq, false);
	rtl_unlock(d, old);
}

void rtl8139_rx_wb_init(struct rtl8139 *d)
{
	hw_wbq_init(&d->wbq, d->machine, rtl_rx_wb_land, d, rtl_rx_wb_fire, d);
}

int rtl8139_receive(void *ctx, const void *frame, size_t len)
{
	struct rtl8139 *d = ctx;
	const uint8_t *f = frame;
	uint8_t hdr[4], crc[4],
	    early[4] = {0, 0, (uint8_t)RTL_RX_EARLY_LEN, (uint8_t)(RTL_RX_EARLY_LEN >> 8)};
	uint32_t rcr, size, rd, free_b, need, base, c;
	uint16_t status;
	bool linear;
	ke_irql_t old = rtl_lock(d);
	int ret = -1;

	d->st.rx_offered++;
	if (d->removed) {
		d->st.rx_removed++;
		goto out;
	}
	if (!(d->reg[RTL_CR] & RTL_CR_RE) || !d->cable) {
		d->st.rx_disabled++;
		goto out;
	}
	rcr = rtl_get(d, RTL_RCR, 4);
	if (len < 14 || len + 4 > 4096 || (len + 4 < 64 && !(rcr & RTL_RCR_AR))) {
		d->st.rx_bad_length++;
		goto out;
	}
	status = rtl_filter(d, f);
	if (!status) {
		d->st.rx_filtered++;
		goto out;
	}
	status = (uint16_t)((status & (RTL_RXH_BAR | RTL_RXH_PAM | RTL_RXH_MAR)) | RTL_RXH_ROK |
			    (len + 4 < 64 ? RTL_RXH_RUNT : 0));
	size = 8192u << ((rcr & RTL_RCR_RBLEN_MASK) >> RTL_RCR_RBLEN_SHIFT);
	linear = (rcr & RTL_RCR_WRAP) && size < 65536u;
	rd = ((rtl_get(d, RTL_CAPR, 2) + RTL_CAPR_BIAS) & 0xFFFF) % size;
	free_b = rd > d->rx_wr ? rd - d->rx_wr : size - d->rx_wr + rd;
	need = (RTL_RX_HDR + (uint32_t)len + 4 + 3) & ~3u;
	if (need >= free_b) {
		d->st.rx_overflow++;
		rtl_put(d, RTL_MPC, 4, (rtl_get(d, RTL_MPC, 4) + 1) & 0xFFFFFF);
		rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | RTL_INT_RXOVW);
		rtl8139_irq_update_locked(d);
		goto out;
	}
	base = rtl_get(d, RTL_RBSTART, 4);
	hdr[0] = (uint8_t)status;
	hdr[1] = (uint8_t)(status >> 8);
	hdr[2] = (uint8_t)(len + 4);
	hdr[3] = (uint8_t)((len + 4) >> 8);
	c = rtl8139_ether_crc(f, len);
	for (unsigned i = 0; i < 4; i++)
		crc[i] = (uint8_t)(c >> (8 * i));
	if (d->dma_fault_next ||
	    rtl_ring_write(d, base, size, linear, d->rx_wr, hw_wbq_active(&d->wbq) ? early : hdr,
			   4) ||
	    rtl_ring_write(d, base, size, linear, d->rx_wr + 4, f, len) ||
	    rtl_ring_write(d, base, size, linear,
			   (d->rx_wr + 4 + (uint32_t)len) % (linear ? ~0u : size), crc, 4)) {
		if (d->dma_fault_next) {
			d->dma_fault_next--;
			d->st.dma_faults_injected++;
		}
		d->st.rx_dma_fault++;
		rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | RTL_INT_RER);
		rtl8139_irq_update_locked(d);
		goto out;
	}
	if (hw_wbq_active(&d->wbq))
		/* the header (dword aligned: never split by the ring's end) */
		hw_wbq_push_locked(&d->wbq, (uint64_t)base + d->rx_wr, hdr, 4, 0);
	d->rx_wr = (d->rx_wr + need) % size;
	d->st.rx_accepted++;
	if (!hw_wbq_active(&d->wbq)) {
		rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | RTL_INT_ROK);
		rtl8139_irq_update_locked(d);
	}
	ret = 0;
out:
	rtl_unlock(d, old);
	return ret;
}

size_t rtl8139_tx_step_locked(struct rtl8139 *d, uint8_t *frame)
{
	unsigned n = d->tx_next;
	uint32_t tsd, size, addr;

	if (d->removed || !(d->reg[RTL_CR] & RTL_CR_TE) || !(d->tx_armed & (1u << n)))
		return (size_t)-1;
	d->tx_armed &= (uint8_t) ~(1u << n);
	d->tx_next = (n + 1) & 3;
	tsd = rtl_get(d, RTL_TSD0 + 4 * n, 4);
	size = tsd & RTL_TSD_SIZE_MASK;
	addr = rtl_get(d, RTL_TSAD0 + 4 * n, 4);
	if (size < 14 || size > RTL_TX_MAX) {
		d->st.tx_bad_size++;
		rtl_put(d, RTL_TSD0 + 4 * n, 4, tsd | RTL_TSD_OWN | RTL_TSD_TABT);
		rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | RTL_INT_TER);
		rtl8139_irq_update_locked(d);
		return 0;
	}
	if (d->dma_fault_next || hw_dma_read(d->dma, addr, frame, size)) {
		if (d->dma_fault_next) {
			d->dma_fault_next--;
			d->st.dma_faults_injected++;
		}
		d->st.tx_dma_fault++;
		rtl_put(d, RTL_TSD0 + 4 * n, 4, tsd | RTL_TSD_OWN | RTL_TSD_TABT);
		rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | RTL_INT_TER);
		rtl8139_irq_update_locked(d);
		return 0;
	}
	/* Copied to the FIFO (OWN) and sent (TOK). Without carrier the frame
	 * is lost on the wire: CRS, still TOK (completed to the driver). */
	tsd |= RTL_TSD_OWN | RTL_TSD_TOK;
	if (!d->cable) {
		tsd |= RTL_TSD_CRS;
		d->st.tx_link_down++;
		size = 0;
	} else if (!d->wire) {
		d->st.tx_no_wire++;
		size = 0;
	} else {
		d->st.tx_sent++;
	}
	rtl_put(d, RTL_TSD0 + 4 * n, 4, tsd);
	rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | RTL_INT_TOK);
	rtl8139_irq_update_locked(d);
	return size;
}

void rtl8139_tx_send(struct rtl8139 *d, const uint8_t *frame, size_t len)
{
	struct wire *w = d->wire;

	if (w)
		wire_send(w, d->wire_end, frame, len);
}
