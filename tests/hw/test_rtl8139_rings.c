/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/test_rtl8139_rings.c - the RTL8139C's receive ring buffer (DS §5
 * RBSTART, CAPR, CBR, CR.BUFE, RCR.RBLEN/WRAP; DS "Receive Status Register
 * in Rx packet header"), RCR address filtering (AAP/APM/AM/AB, MAR0-7), and
 * the transmit descriptors TSD0-3/TSAD0-3 (DS "Transmit Status Register").
 */
#include "rtl8139_harness.h"

#include <pthread.h>

static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

/* Every test starts from a freshly created RTL8139 on its own machine. */
static struct rx t;

static void rx_setup(void)
{
	rx_init(&t);
}

static void rx_teardown(void)
{
	rx_fini(&t);
}

TestSuite(rtl8139_rx, .init = rx_setup, .fini = rx_teardown);

/* DS receive buffer: header (status, length with CRC) then the frame, next
 * packet on a dword boundary; WRAP = 0 continues at the buffer start; the
 * driver's CAPR = read offset - 16; BUFE when drained. */
Test(rtl8139_rx, ring_wraps_with_headers_and_CAPR)
{
	unsigned wrapped = 0, got = 0;
	uint16_t st, len;
	uint8_t fill;

	rx_ring(&t, 0, RTL_RCR_AB); /* 8K + 16, WRAP = 0 */
	for (unsigned i = 0; i < 40; i++) {
		unsigned flen = 601 + i; /* odd sizes: exercise the dword rounding */
		uint32_t before = t.rd;

		cr_assert_eq(rx_offer(&t, bcast, flen, (uint8_t)(0x30 + i)), 0, "frame %u", i);
		cr_assert_eq(rd16(&t, RTL_CBR), (before + ((4 + flen + 4 + 3) & ~3u)) % 8192,
			     "CBR after frame %u", i);
		cr_assert_eq(rd16(&t, RTL_ISR) & RTL_INT_ROK, RTL_INT_ROK);
		wr16(&t, RTL_ISR, RTL_INT_ROK);
		if (before + 4 + flen + 4 > 8192)
			wrapped++;
		cr_assert(rx_take(&t, &st, &len, &fill));
		cr_assert_eq(st, RTL_RXH_ROK | RTL_RXH_BAR, "status %#x", st);
		cr_assert_eq(len, flen + 4, "length includes the CRC");
		cr_assert_eq(fill, 0x30 + i, "payload of frame %u (read across the wrap)", i);
		cr_assert_eq(t.rd & 3, 0);
		cr_assert_eq(rd8(&t, RTL_CR) & RTL_CR_BUFE, RTL_CR_BUFE, "drained");
		got++;
	}
	cr_assert_eq(got, 40);
	cr_assert_geq(wrapped, 2, "packets straddled the end of the ring");
	cr_assert_eq(hw_device_stat(t.dev, "rx_accepted", NULL), 40);
}

/* DS RCR.WRAP = 1: a packet running past the end goes on linearly into the
 * area after the ring; the next one starts at the wrapped offset. */
Test(rtl8139_rx, WRAP_1_writes_past_the_end)
{
	uint16_t st, len;
	uint32_t at;

	rx_ring(&t, 0, RTL_RCR_AB | RTL_RCR_WRAP);
	/* move the write offset to 8192 - 256 with frames taken at once */
	for (unsigned i = 0; i < 7; i++) {
		cr_assert_eq(rx_offer(&t, bcast, 1144, 1), 0); /* 4 + 1148 = 1152 each */
		cr_assert(rx_take(&t, &st, &len, NULL));
	}
	at = t.rd;
	cr_assert_eq(at, 7 * 1152);
	memset(t.ring, 0xEE, 1024); /* what the first packets left there */
	cr_assert_eq(rx_offer(&t, bcast, 1000, 0x77), 0);
	/* the frame's bytes lie contiguous from at + 4, past 8192 */
	cr_assert_eq(t.ring[at + 4 + 999], 0x77);
	cr_assert_eq(t.ring[8192 + 100], 0x77, "linear past the end");
	cr_assert_eq(t.ring[100], 0xEE, "start of the ring untouched");
	cr_assert_eq(rd16(&t, RTL_CBR), (at + 1008) % 8192);
}

/* DS ISR.RxOVW and MPC: a packet that does not fit before CAPR + 16 is
 * dropped and counted; the ring is never overwritten. */
Test(rtl8139_rx, full_ring_sets_RXOVW_and_counts_MPC)
{
	unsigned ok = 0;
	uint16_t st, len;

	rx_ring(&t, 0, RTL_RCR_AB);
	wr16(&t, RTL_IMR, RTL_INT_RXOVW);
	while (rx_offer(&t, bcast, 1000, 5) == 0)
		ok++;
	cr_assert_eq(ok, 8192 / 1008, "as many as fit without catching the read offset");
	cr_assert_neq(rd16(&t, RTL_ISR) & RTL_INT_RXOVW, 0);
	cr_assert(rx_line(&t));
	cr_assert_eq(rd32(&t, RTL_MPC), 1);
	wr32(&t, RTL_MPC, 0);
	cr_assert_eq(rd32(&t, RTL_MPC), 0, "a write clears MPC");
	for (unsigned i = 0; i < ok; i++)
		cr_assert(rx_take(&t, &st, &len, NULL));
	cr_assert_not(rx_take(&t, &st, &len, NULL), "BUFE");
	cr_assert_eq(rx_offer(&t, bcast, 1000, 5), 0, "room again");
	cr_assert_eq(hw_device_stat(t.dev, "rx_overflow", NULL), 1);
}

/* RBLEN selects 8K/16K/32K/64K. */
Test(rtl8139_rx, RBLEN_sizes_the_ring)
{
	/* A fresh device per size, besides the fixture's. */
	for (unsigned rblen = 0; rblen < 4; rblen++) {
		struct rx u;
		unsigned ok = 0;

		rx_init(&u);
		rx_ring(&u, rblen, RTL_RCR_AB);
		while (rx_offer(&u, bcast, 1016, 1) == 0) /* 1024 a packet */
			ok++;
		cr_assert_eq(ok, (8192u << rblen) / 1024 - 1, "RBLEN %u", rblen);
		rx_fini(&u);
	}
}

static uint32_t test_crc_reflected(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return c; /* not inverted */
}

/* DS MAR0-7: bit = top 6 bits of the big-endian CRC-32 of the destination,
 * i.e. the bit-reversed low 6 bits of the reflected CRC register. */
static unsigned test_mar_index(const uint8_t *da)
{
	uint32_t r = test_crc_reflected(da, 6);
	unsigned idx = 0;

	for (int b = 0; b < 6; b++)
		idx |= ((r >> b) & 1u) << (5 - b);
	return idx;
}

/* DS RCR: AB broadcast, APM own address (PAM), AAP any physical address,
 * AM multicast through the MAR hash (MAR flag). */
Test(rtl8139_rx, RCR_filters_broadcast_physical_multicast)
{
	static const uint8_t other[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	static const uint8_t mc[6] = {0x01, 0x00, 0x5E, 0x00, 0x00, 0x01};
	unsigned idx = test_mar_index(mc);
	uint16_t st, len;

	rx_ring(&t, 0, 0);
	cr_assert_eq(rx_offer(&t, bcast, 64, 1), -1, "AB clear");
	cr_assert_eq(rx_offer(&t, rx_mac, 64, 1), -1, "APM clear");
	wr32(&t, RTL_RCR, RTL_RCR_APM);
	cr_assert_eq(rx_offer(&t, rx_mac, 64, 1), 0);
	cr_assert(rx_take(&t, &st, &len, NULL));
	cr_assert_eq(st, RTL_RXH_ROK | RTL_RXH_PAM);
	cr_assert_eq(rx_offer(&t, other, 64, 1), -1, "not ours without AAP");
	wr32(&t, RTL_RCR, RTL_RCR_APM | RTL_RCR_AAP);
	cr_assert_eq(rx_offer(&t, other, 64, 1), 0);
	cr_assert(rx_take(&t, &st, &len, NULL));
	cr_assert_eq(st, RTL_RXH_ROK, "accepted by AAP: no PAM");
	wr32(&t, RTL_RCR, RTL_RCR_AM);
	cr_assert_eq(rx_offer(&t, mc, 64, 1), -1, "MAR all clear");
	for (unsigned bit = 0; bit < 64; bit++) {
		for (unsigned i = 0; i < 8; i++)
			wr8(&t, RTL_MAR0 + i, i == bit / 8 ? 1u << (bit % 8) : 0);
		if (bit == idx) {
			cr_assert_eq(rx_offer(&t, mc, 64, 1), 0, "hash bit %u", bit);
			cr_assert(rx_take(&t, &st, &len, NULL));
			cr_assert_eq(st, RTL_RXH_ROK | RTL_RXH_MAR);
		} else {
			cr_assert_eq(rx_offer(&t, mc, 64, 1), -1, "bit %u is not the hash", bit);
		}
	}
	wr32(&t, RTL_RCR, RTL_RCR_AB);
	cr_assert_eq(rx_offer(&t, bcast, 64, 1), 0);
	cr_assert(rx_take(&t, &st, &len, NULL));
	cr_assert_eq(st, RTL_RXH_ROK | RTL_RXH_BAR);
	cr_assert_eq(rx_offer(&t, bcast, 40, 1), -1, "runt without AR");
	wr32(&t, RTL_RCR, RTL_RCR_AB | RTL_RCR_AR);
	cr_assert_eq(rx_offer(&t, bcast, 40, 1), 0);
	cr_assert(rx_take(&t, &st, &len, NULL));
	cr_assert_eq(st, RTL_RXH_ROK | RTL_RXH_BAR | RTL_RXH_RUNT);
	cr_assert_eq(hw_device_stat(t.dev, "rx_filtered", NULL), 4 + 63);
}

/* ------------------------------------------------------------ transmit */

struct catcher {
	unsigned n;
	size_t len[8];
	uint8_t first[8];
};

static int catch_rx(void *ctx, const void *frame, size_t len)
{
	struct catcher *c = ctx;

	if (c->n < 8) {
		c->len[c->n] = len;
		c->first[c->n] = ((const uint8_t *)frame)[14];
	}
	c->n++;
	return 0;
}

static uint32_t tx_buf(struct rx *r, unsigned len, uint8_t fill)
{
	uint64_t la;
	uint32_t bus;
	uint8_t *b = hw_dma_alloc(r->h.dma, 2048, &la);

	cr_assert_not_null(b);
	memset(b, fill, len);
	memcpy(b, bcast, 6);
	cr_assert_eq(hw_dma_addr32(r->h.dma, la, &bus), 0);
	return bus;
}

/* DS Transmit Status Register: writing SIZE with OWN = 0 starts the
 * descriptor; the device sets OWN when the buffer is in its FIFO and TOK
 * when sent, and ISR.TOK; descriptors are served in round-robin order from
 * TSD0. */
Test(rtl8139_tx, TSD_OWN_TOK_round_robin)
{
	struct rx u;
	struct catcher c = {0};
	struct wire *w;
	uint32_t tsd;

	rx_init(&u);
	w = wire_pair_create(u.h.m);
	hw_dev_wire_attach(u.dev, w, 0);
	wire_attach(w, 1, catch_rx, &c);
	wr16(&u, RTL_IMR, RTL_INT_TOK | RTL_INT_TER);
	for (unsigned i = 0; i < 4; i++)
		wr32(&u, RTL_TSAD0 + 4 * i, tx_buf(&u, 100 + i, (uint8_t)(0xA0 + i)));
	/* TE off: a started descriptor waits */
	wr32(&u, RTL_TSD0, 100);
	cr_assert_eq(rd32(&u, RTL_TSD0) & (RTL_TSD_OWN | RTL_TSD_TOK), 0, "owned by the device");
	cr_assert_eq(c.n, 0);
	wr8(&u, RTL_CR, RTL_CR_TE);
	cr_assert_eq(c.n, 1);
	tsd = rd32(&u, RTL_TSD0);
	cr_assert_eq(tsd & (RTL_TSD_OWN | RTL_TSD_TOK), RTL_TSD_OWN | RTL_TSD_TOK, "%#x", tsd);
	cr_assert_eq(c.len[0], 100);
	cr_assert_eq(c.first[0], 0xA0);
	cr_assert_eq(rd16(&u, RTL_ISR) & RTL_INT_TOK, RTL_INT_TOK);
	cr_assert(rx_line(&u));
	wr16(&u, RTL_ISR, RTL_INT_TOK);
	cr_assert_not(rx_line(&u));
	cr_assert_eq(rd16(&u, RTL_TSAD) & 0x1111, 0x1001, "TSAD: TOK0, OWN0");
	/* out of order: TSD2 before TSD1 waits for TSD1 */
	wr32(&u, RTL_TSD0 + 8, 102);
	cr_assert_eq(c.n, 1, "TSD2 waits: the transmitter serves TSD1 next");
	wr32(&u, RTL_TSD0 + 4, 101);
	cr_assert_eq(c.n, 3);
	cr_assert_eq(c.first[1], 0xA1);
	cr_assert_eq(c.first[2], 0xA2);
	/* a bad size aborts: TABT, ISR.TER; the driver sees the abort, so it
	 * is not among the frames completed as sent but dropped */
	wr32(&u, RTL_TSD0 + 12, RTL_TX_MAX + 1);
	cr_assert_neq(rd32(&u, RTL_TSD0 + 12) & RTL_TSD_TABT, 0);
	cr_assert_neq(rd16(&u, RTL_ISR) & RTL_INT_TER, 0);
	cr_assert_eq(hw_device_stat(u.dev, "tx_sent", NULL), 3);
	cr_assert_eq(hw_device_stat(u.dev, "tx_dropped", NULL), 0);
	/* link down: completed (TOK) with CRS, not on the wire, dropped */
	hw_dev_fault(u.dev, HW_FAULT_LINK, 0);
	wr32(&u, RTL_TSD0, 100);
	cr_assert_eq(rd32(&u, RTL_TSD0) & (RTL_TSD_TOK | RTL_TSD_CRS), RTL_TSD_TOK | RTL_TSD_CRS);
	cr_assert_eq(c.n, 3);
	cr_assert_eq(hw_device_stat(u.dev, "tx_dropped", NULL), 1);
	/* DMA error fault: the next buffer fetch aborts */
	hw_dev_fault(u.dev, HW_FAULT_LINK, 1);
	cr_assert_eq(hw_dev_fault(u.dev, HW_FAULT_DMA_ERROR, 0), 0);
	wr32(&u, RTL_TSD0 + 4, 100);
	cr_assert_neq(rd32(&u, RTL_TSD0 + 4) & RTL_TSD_TABT, 0);
	cr_assert_neq(rd16(&u, RTL_ISR) & RTL_INT_TER, 0);
	cr_assert_eq(hw_device_stat(u.dev, "tx_dma_fault", NULL), 1);
	cr_assert_eq(hw_device_stat(u.dev, "tx_dropped", NULL), 1, "an abort is not a silent drop");
	hw_dev_wire_attach(u.dev, NULL, 0);
	wire_close(w);
	rx_fini(&u);
}

/* Two RTL8139s back to back: a frame sent by one lands in the other's ring. */
Test(rtl8139_tx, pair_end_to_end)
{
	struct rx a, b;
	struct wire *w;
	uint16_t st, len;
	uint8_t fill;
	struct wire_dir_stats ws;

	rx_init(&a);
	rx_init(&b);
	w = wire_pair_create(a.h.m);
	hw_dev_wire_attach(a.dev, w, 0);
	hw_dev_wire_attach(b.dev, w, 1);
	rx_ring(&b, 1, RTL_RCR_AB | RTL_RCR_APM);
	wr8(&a, RTL_CR, RTL_CR_TE);
	wr32(&a, RTL_TSAD0, tx_buf(&a, 300, 0x5C));
	/* a's buffer lives in a's DMA space: b writes into its own */
	wr32(&a, RTL_TSD0, 300);
	cr_assert(rx_take(&b, &st, &len, &fill));
	cr_assert_eq(len, 304);
	cr_assert_eq(fill, 0x5C);
	cr_assert_eq(st, RTL_RXH_ROK | RTL_RXH_BAR);
	wire_get_stats(w, 0, &ws);
	cr_assert_eq(ws.delivered, 1);
	hw_dev_wire_attach(a.dev, NULL, 0);
	hw_dev_wire_attach(b.dev, NULL, 0);
	wire_close(w);
	rx_fini(&b);
	rx_fini(&a);
}

/* hw/dma.h 32-bit window: what a 32-bit bus master (RBSTART, TSADn) reaches. */
Test(rtl8139_dma, window_32bit_aliases_small_regions_only)
{
	struct hw_dma_space *s = hw_dma_space_create();
	uint64_t la, big_la;
	uint32_t bus;
	uint8_t *p = hw_dma_alloc(s, 4096, &la), v = 0;

	cr_assert_not_null(p);
	cr_assert_not_null(hw_dma_alloc(s, HW_DMA_W32_SPAN + 1, &big_la));
	cr_assert_eq(hw_dma_addr32(s, la + 16, &bus), 0);
	cr_assert_geq(bus, HW_DMA_W32_BASE);
	p[16] = 0x42;
	cr_assert_eq(hw_dma_read(s, bus, &v, 1), 0);
	cr_assert_eq(v, 0x42);
	cr_assert_eq(hw_dma_read(s, bus + 4096, &v, 1), -EFAULT, "past the region");
	cr_assert_eq(hw_dma_read(s, 0x1000, &v, 1), -EFAULT, "below the window");
	cr_assert_eq(hw_dma_addr32(s, big_la, &bus), -ERANGE, "too big for a window slot");
	cr_assert_eq(hw_dma_free(s, p), 0);
	cr_assert_eq(hw_dma_addr32(s, la, &bus), -ERANGE, "freed");
	hw_dma_space_free(s);
}

/* ------------------------------------------------------- concurrency */

struct feeder {
	struct rx *t;
	struct wire *w;
	unsigned n;
	atomic_uint taken, dropped;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	uint8_t fr[200];

	memset(fr, 0, sizeof(fr));
	memcpy(fr, bcast, 6);
	for (unsigned i = 0; i < f->n; i++) {
		memcpy(fr + 14, &i, sizeof(i));
		if (wire_send(f->w, 0, fr, 60 + (i % 128)) == 0)
			atomic_fetch_add(&f->taken, 1);
		else
			atomic_fetch_add(&f->dropped, 1);
	}
	return NULL;
}

/* A receiver thread feeds the ring while this thread drains it through the
 * registers as a driver would (ISR ack, CAPR): every accepted frame is read
 * once, in order, intact, and rx_offered = accepted + counted drops. */
Test(rtl8139_rx, concurrent_feed_and_drain_conserve_frames)
{
	struct feeder f = {0};
	pthread_t th;
	uint16_t st, len;
	unsigned got = 0;
	uint32_t last = 0;
	bool first = true;
	uint64_t t0;

	rx_ring(&t, 0, RTL_RCR_AB);
	f.t = &t;
	f.n = 20000;
	f.w = wire_pair_create(t.h.m);
	hw_dev_wire_attach(t.dev, f.w, 1);
	cr_assert_eq(pthread_create(&th, NULL, feed, &f), 0);
	t0 = (harness_now_ns() / 1000000u);
	for (;;) {
		bool done = atomic_load(&f.taken) + atomic_load(&f.dropped) == f.n;

		wr16(&t, RTL_ISR, RTL_INT_ROK | RTL_INT_RXOVW);
		for (;;) {
			uint32_t seq = 0;

			if (rd8(&t, RTL_CR) & RTL_CR_BUFE)
				break;
			/* read the frame before CAPR hands its space back */
			for (unsigned b = 0; b < 4; b++) /* the frame's bytes 14..17 */
				seq |= (uint32_t)rx_at(&t, 4 + 14 + b) << (8 * b);
			cr_assert(rx_take(&t, &st, &len, NULL));
			cr_assert_eq(st, RTL_RXH_ROK | RTL_RXH_BAR);
			cr_assert_eq(len, 60 + (seq % 128) + 4, "frame %u length", seq);
			cr_assert(first || seq > last, "in order: %u after %u", seq, last);
			first = false;
			last = seq;
			got++;
		}
		if (done && (rd8(&t, RTL_CR) & RTL_CR_BUFE))
			break;
		cr_assert_lt((harness_now_ns() / 1000000u) - t0, 60000, "drain stalled: %u taken",
			     got);
	}
	pthread_join(th, NULL);
	cr_assert_eq(got, atomic_load(&f.taken));
	cr_assert_eq(hw_device_stat(t.dev, "rx_offered", NULL), f.n);
	cr_assert_eq(hw_device_stat(t.dev, "rx_accepted", NULL), got);
	cr_assert_eq(
	    hw_device_stat(t.dev, "rx_overflow", NULL), atomic_load(&f.dropped),
	    "overflow %llu dropped %u filtered %llu bad_length %llu disabled %llu dma %llu",
	    (unsigned long long)hw_device_stat(t.dev, "rx_overflow", NULL), atomic_load(&f.dropped),
	    (unsigned long long)hw_device_stat(t.dev, "rx_filtered", NULL),
	    (unsigned long long)hw_device_stat(t.dev, "rx_bad_length", NULL),
	    (unsigned long long)hw_device_stat(t.dev, "rx_disabled", NULL),
	    (unsigned long long)hw_device_stat(t.dev, "rx_dma_fault", NULL));
	hw_dev_wire_attach(t.dev, NULL, 0);
	wire_close(f.w);
}

/* A packet whose header ends exactly at the end of the ring: its frame
 * starts at RBSTART (WRAP = 0), with no empty DMA piece at the seam. */
Test(rtl8139_rx, header_ending_at_the_ring_end)
{
	uint16_t st, len;
	uint8_t fill;

	rx_ring(&t, 0, RTL_RCR_AB);
	/* bring CBR to 8188 = 7 * 1024 + 1020 with packets taken at once */
	for (unsigned i = 0; i < 7; i++) {
		cr_assert_eq(rx_offer(&t, bcast, 1016, 1), 0); /* 4 + 1020 = 1024 */
		cr_assert(rx_take(&t, &st, &len, NULL));
	}
	cr_assert_eq(rx_offer(&t, bcast, 1012, 1), 0); /* 4 + 1016 = 1020 */
	cr_assert(rx_take(&t, &st, &len, NULL));
	cr_assert_eq(t.rd, 8188);
	cr_assert_eq(rx_offer(&t, bcast, 100, 0x66), 0, "no DMA fault at the seam");
	cr_assert(rx_take(&t, &st, &len, &fill));
	cr_assert_eq(len, 104);
	cr_assert_eq(fill, 0x66);
	cr_assert_eq(t.ring[0], bcast[0], "the frame starts at RBSTART");
	cr_assert_eq(hw_device_stat(t.dev, "rx_dma_fault", NULL), 0);
}

/*
 * HW_FAULT_DMA_WRITEBACK_DELAY: CBR moves past the packet at once (BUFE
 * clears) and its bytes are in the ring, but its header reads length 0xFFF0
 * ("copy from the FIFO in progress") and ROK waits, until the delay passes
 * or is turned off.
 */
Test(rtl8139_rx, fault_dma_writeback_delay_holds_the_header_and_ROK)
{
	uint16_t st, len;
	uint8_t fill;
	uint64_t due;
	unsigned hdr_len;

	rx_ring(&t, 0, RTL_RCR_AB);
	wr16(&t, RTL_IMR, RTL_INT_ROK);
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_DMA_WRITEBACK_DELAY, 2000000000ull), -EINVAL);
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_DMA_WRITEBACK_DELAY, 1000000000ull), 0);
	due = ke_clock_ns(t.h.m) + 1000000000ull;
	cr_assert_eq(rx_offer(&t, bcast, 100, 0x77), 0);
	hdr_len = (unsigned)(rx_at(&t, 2) | rx_at(&t, 3) << 8);
	if (ke_clock_ns(t.h.m) < due) { /* read before the header could land */
		cr_assert_eq(hdr_len, 0xFFF0, "early header: %#x", hdr_len);
		cr_assert_eq(rd16(&t, RTL_ISR) & RTL_INT_ROK, 0, "ROK waits");
		cr_assert_not(rx_line(&t));
	}
	cr_assert_eq(rd8(&t, RTL_CR) & RTL_CR_BUFE, 0, "CBR moved: not empty");
	cr_assert_eq(rx_at(&t, 4 + 20), 0x77, "the frame is in the ring");
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_DMA_WRITEBACK_DELAY, 0), 0);
	cr_assert_eq(rd16(&t, RTL_ISR) & RTL_INT_ROK, RTL_INT_ROK);
	cr_assert(rx_line(&t));
	wr16(&t, RTL_ISR, RTL_INT_ROK);
	cr_assert(rx_take(&t, &st, &len, &fill));
	cr_assert_eq(st, RTL_RXH_ROK | RTL_RXH_BAR);
	cr_assert_eq(len, 104);
	cr_assert_eq(fill, 0x77);
	/* a short delay lands by itself */
	cr_assert_eq(hw_dev_fault(t.dev, HW_FAULT_DMA_WRITEBACK_DELAY, 1000000ull), 0);
	cr_assert_eq(rx_offer(&t, bcast, 80, 0x78), 0);
	WAIT_UNTIL((rd16(&t, RTL_ISR) & RTL_INT_ROK) != 0);
	cr_assert(rx_take(&t, &st, &len, &fill));
	cr_assert_eq(len, 84);
	cr_assert_eq(fill, 0x78);
	cr_assert_eq(hw_device_stat(t.dev, "wb_delayed", NULL), 2);
	cr_assert_eq(hw_device_stat(t.dev, "inj_wb_delay", NULL), 2);
}
