/* SPDX-License-Identifier: MIT */
/*
 * VN-1 §5 DMA rings and RSS, §6 link: frames in through vn1_receive(), out
 * through a back-to-back wire, every drop counted where the datasheet says.
 */
#include "harness.h"

static struct hx h;
static struct vn1 *dev;
static struct rec_sink *rec;

static void setup(void)
{
	hx_init(&h, 2, 2);
	dev = h.dev[0];
	rec = &h.rec[0];
}

static void teardown(void)
{
	hx_fini(&h);
}

TestSuite(vn1_rings, .init = setup, .fini = teardown);

static void rx_on(struct vn1 *d)
{
	vn1_mmio_write32(d, VN1_RXFILTER, VN1_RXFILTER_UCAST | VN1_RXFILTER_BCAST);
	vn1_mmio_write32(d, VN1_CTRL, VN1_CTRL_RXEN | VN1_CTRL_TXEN);
}

static size_t frame_to(uint8_t *buf, unsigned i, unsigned size)
{
	return hx_frame(buf, hx_mac[0], i, 4, 17, size);
}

Test(vn1_rings, s5_rx_writeback)
{
	struct hx_ring r;
	uint8_t f[2048], got[2048], st, ty;
	unsigned len;
	uint32_t hash;
	size_t n = frame_to(f, 1, 200);

	hx_rx_ring(&r, dev, h.dma, 0, 8, 2048);
	rx_on(dev);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(0));
	cr_assert_eq(vn1_receive(dev, f, n), VN1_RX_OK);
	cr_assert(hx_rx_take(&r, got, &len, &st, &ty, &hash));
	cr_expect_eq(len, n);
	cr_expect_arr_eq(got, f, n);
	cr_expect_eq(st, VN1_RXD_STAT_DD | VN1_RXD_STAT_EOP, "no RSS: no RSSV");
	cr_expect_eq(ty, 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + VN1_Q_HEAD), 1);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + VN1_Q_CNT), 1);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_GPRC), 1);
	cr_expect(atomic_load(&rec->level), "RXQ0 asserts the line");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_RXQ(0));
	hx_ring_free(&r);
}

Test(vn1_rings, s5_rx_ring_wraparound)
{
	struct hx_ring r;
	uint8_t f[512], got[2048];
	unsigned len, taken = 0;

	hx_rx_ring(&r, dev, h.dma, 0, 8, 512);
	rx_on(dev);
	for (unsigned i = 0; i < 50; i++) {
		size_t n = frame_to(f, i, 64 + i);

		cr_assert_eq(vn1_receive(dev, f, n), VN1_RX_OK, "frame %u", i);
		cr_assert(hx_rx_take(&r, got, &len, NULL, NULL, NULL));
		cr_expect_eq(len, n);
		cr_expect_arr_eq(got, f, n);
		taken++;
		hx_rx_refill(&r);
	}
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + VN1_Q_HEAD), 50 % 8);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + VN1_Q_CNT), 50);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MPC), 0);
	hx_ring_free(&r);
}

static void expect_missed(unsigned q, uint32_t drops, uint32_t mpc)
{
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + 0x40 * q + VN1_Q_DROP), drops);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MPC), mpc);
	cr_expect(vn1_mmio_read32(dev, VN1_ICR) & VN1_CAUSE_RXO, "RXO raised");
}

Test(vn1_rings, s5_drop_no_free_descriptor)
{
	struct hx_ring r;
	uint8_t f[256];
	size_t n = frame_to(f, 0, 100);

	hx_rx_ring(&r, dev, h.dma, 0, 8, 2048); /* 7 descriptors given */
	rx_on(dev);
	for (int i = 0; i < 7; i++)
		cr_assert_eq(vn1_receive(dev, f, n), VN1_RX_OK);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_MISSED, "RDH == RDT");
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_MISSED);
	expect_missed(0, 2, 2);
	hx_ring_free(&r);
}

Test(vn1_rings, s5_drop_queue_disabled)
{
	uint8_t f[256];
	size_t n = frame_to(f, 0, 100);

	rx_on(dev);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_MISSED);
	expect_missed(0, 1, 1);
}

Test(vn1_rings, s5_drop_buffer_too_small)
{
	struct hx_ring r;
	uint8_t f[2048];
	size_t n = frame_to(f, 0, 300);

	hx_rx_ring(&r, dev, h.dma, 0, 8, 256);
	rx_on(dev);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_MISSED);
	expect_missed(0, 1, 1);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + VN1_Q_HEAD), 0, "nothing consumed");
	n = frame_to(f, 0, 256);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_OK, "a frame that fits exactly");
	hx_ring_free(&r);
}

/* RXEN off, link down and the filter drop too, but they are not "missed". */
Test(vn1_rings, s5_rxen_link_and_filter_drops_are_not_missed)
{
	struct hx_ring r;
	struct vn1_stats st;
	uint8_t f[256];
	size_t n = frame_to(f, 0, 100);

	hx_rx_ring(&r, dev, h.dma, 0, 8, 2048);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_DISABLED);
	rx_on(dev);
	vn1_host_set_link(dev, false);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_LINK_DOWN);
	vn1_host_set_link(dev, true);
	f[5] ^= 1; /* unicast to someone else */
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_FILTERED);
	cr_expect_eq(vn1_receive(dev, f, 10), VN1_RX_BAD_LENGTH);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MPC), 0);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.rx_offered, 4);
	cr_expect_eq(st.rx_disabled + st.rx_link_down + st.rx_filtered + st.rx_bad_length, 4);
	hx_ring_free(&r);
}

Test(vn1_rings, s5_rxfilter_classes)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
	static const uint8_t other[6] = {0x02, 0, 0, 0, 0, 0x99};
	static const struct {
		uint32_t filter;
		const uint8_t *dst;
		bool pass;
	} cases[] = {
	    {VN1_RXFILTER_UCAST, hx_mac[0], true}, {VN1_RXFILTER_UCAST, other, false},
	    {VN1_RXFILTER_UCAST, bcast, false},	   {VN1_RXFILTER_BCAST, bcast, true},
	    {VN1_RXFILTER_BCAST, mcast, false},	   {VN1_RXFILTER_MCAST, mcast, true},
	    {VN1_RXFILTER_MCAST, bcast, false},	   {VN1_RXFILTER_MCAST, hx_mac[0], false},
	    {VN1_RXFILTER_PROMISC, other, true},   {0, hx_mac[0], false},
	};
	struct hx_ring r;
	uint8_t f[256];

	hx_rx_ring(&r, dev, h.dma, 0, 64, 2048);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_RXEN);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = hx_frame(f, cases[i].dst, 0, 4, 6, 80);

		vn1_mmio_write32(dev, VN1_RXFILTER, cases[i].filter);
		cr_expect_eq(vn1_receive(dev, f, n) == VN1_RX_OK, cases[i].pass, "case %zu", i);
	}
	hx_ring_free(&r);
}

/* RSS: queue = RETA[hash mod 128], hash and type reported, checked independently. */
Test(vn1_rings, s5_rss_queue_hash_and_type)
{
	static const int fam[] = {4, 4, 6, 6};
	static const uint8_t l4[] = {6, 17, 6, 17};
	static const uint8_t type[] = {HW_RSS_TCP_IPV4, HW_RSS_UDP_IPV4, HW_RSS_TCP_IPV6,
				       HW_RSS_UDP_IPV6};
	struct hx_ring r[8];
	uint8_t f[512];

	for (unsigned q = 0; q < 8; q++)
		hx_rx_ring(&r[q], dev, h.dma, q, 256, 512);
	rx_on(dev);
	for (unsigned i = 0; i < 40; i++)
		vn1_mmio_write8(dev, VN1_RSSRK0 + i, hw_rss_default_key[i]);
	for (unsigned i = 0; i < 128; i++)
		vn1_mmio_write8(dev, VN1_RETA0 + i, (uint8_t)((i * 5 + 3) % 8));
	vn1_mmio_write32(dev, VN1_MRQC, HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_ALL_TYPES);
	for (unsigned k = 0; k < 4; k++) {
		for (unsigned flow = 0; flow < 40; flow++) {
			size_t n = hx_frame(f, hx_mac[0], flow, fam[k], l4[k], 120);
			struct hw_rss_tuple t;
			enum hw_rss_type ty;
			uint8_t st, gty;
			uint32_t gh, want;
			unsigned q, len;

			/* Expected: the tuple hashed by hw_toeplitz over bytes pulled by
			 * offset, independent of the device's parse path. */
			uint8_t in[36];
			size_t a = fam[k] == 4 ? 4 : 16, ip = 14;
			memcpy(in, f + ip + (fam[k] == 4 ? 12 : 8), 2 * a);
			memcpy(in + 2 * a, f + ip + (fam[k] == 4 ? 20 : 40), 4);
			want = hw_toeplitz(hw_rss_default_key, in, 2 * a + 4);
			hw_rss_parse(f, n, &t);
			(void)hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_ALL_TYPES, &t, &ty);
			q = ((want % 128) * 5 + 3) % 8;
			cr_assert_eq(vn1_receive(dev, f, n), VN1_RX_OK);
			cr_assert(hx_rx_take(&r[q], NULL, &len, &st, &gty, &gh),
				  "k %u flow %u: not on queue %u", k, flow, q);
			cr_expect_eq(gh, want);
			cr_expect_eq(gty, type[k]);
			cr_expect_eq(ty, type[k]);
			cr_expect(st & VN1_RXD_STAT_RSSV);
			hx_rx_refill(&r[q]);
		}
	}
	for (unsigned q = 0; q < 8; q++)
		hx_ring_free(&r[q]);
}

/* A hash type that is not enabled falls back to the 2-tuple, then to queue 0. */
Test(vn1_rings, s5_rss_types_follow_mrqc)
{
	struct hx_ring r[8];
	uint8_t f[512], st, ty;
	unsigned len;
	uint32_t hash;
	size_t n = hx_frame(f, hx_mac[0], 9, 4, 6, 100);

	for (unsigned q = 0; q < 8; q++)
		hx_rx_ring(&r[q], dev, h.dma, q, 8, 512);
	rx_on(dev);
	for (unsigned i = 0; i < 40; i++)
		vn1_mmio_write8(dev, VN1_RSSRK0 + i, hw_rss_default_key[i]);
	for (unsigned i = 0; i < 128; i++)
		vn1_mmio_write8(dev, VN1_RETA0 + i, 1 + i % 7);
	vn1_mmio_write32(dev, VN1_MRQC, HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_IPV4);
	cr_assert_eq(vn1_receive(dev, f, n), VN1_RX_OK);
	uint32_t want = hw_toeplitz(hw_rss_default_key, f + 14 + 12, 8);
	unsigned q = 1 + (want % 128) % 7;
	cr_assert(hx_rx_take(&r[q], NULL, &len, &st, &ty, &hash));
	cr_expect_eq(ty, HW_RSS_IPV4);
	cr_expect_eq(hash, want);
	vn1_mmio_write32(dev, VN1_MRQC, HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_IPV6);
	cr_assert_eq(vn1_receive(dev, f, n), VN1_RX_OK);
	cr_assert(hx_rx_take(&r[0], NULL, &len, &st, &ty, &hash), "no matching type: queue 0");
	cr_expect_eq(ty, HW_RSS_NONE);
	cr_expect_not(st & VN1_RXD_STAT_RSSV);
	for (unsigned q2 = 0; q2 < 8; q2++)
		hx_ring_free(&r[q2]);
}

/* Frames sent by one VN-1 arrive at the other through a back-to-back wire. */
Test(vn1_rings, s5_tx_rs_dd_cause_and_wraparound)
{
	struct vn1 *b = h.dev[1];
	struct wire *w = wire_pair_create(h.m);
	struct hx_ring tx, rx;
	struct wire_dir_stats ws;
	uint8_t f[512], got[2048];
	unsigned len;

	vn1_wire_attach(dev, w, 0);
	vn1_wire_attach(b, w, 1);
	hx_tx_ring(&tx, dev, h.dma, 3, 8);
	hx_rx_ring(&rx, b, h.dma, 0, 8, 2048);
	vn1_mmio_write32(b, VN1_RXFILTER, VN1_RXFILTER_PROMISC);
	vn1_mmio_write32(b, VN1_CTRL, VN1_CTRL_RXEN);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_TXEN);
	for (unsigned i = 0; i < 20; i++) {
		size_t n = hx_frame(f, hx_mac[1], i, 6, 6, 90 + i);
		unsigned slot = tx.tail;

		hx_tx_put(&tx, f, (unsigned)n, i % 2 == 0);
		hx_tx_kick(&tx);
		cr_expect_eq(hx_tx_status(&tx, slot) & VN1_TXD_STAT_DD, i % 2 == 0 ? 1 : 0,
			     "DD only with RS (frame %u)", i);
		cr_expect_eq(!!(vn1_mmio_read32(dev, VN1_ICR) & VN1_CAUSE_TXQ(3)), i % 2 == 0,
			     "TXQ3 only with RS (frame %u)", i);
		cr_assert(hx_rx_take(&rx, got, &len, NULL, NULL, NULL), "frame %u arrived", i);
		cr_expect_eq(len, n);
		cr_expect_arr_eq(got, f, n);
		hx_rx_refill(&rx);
	}
	cr_expect_eq(vn1_mmio_read32(dev, VN1_TXQ0 + 0x40 * 3 + VN1_Q_HEAD), 20 % 8);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_TXQ0 + 0x40 * 3 + VN1_Q_CNT), 20);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_GPTC), 20);
	wire_get_stats(w, 0, &ws);
	cr_expect_eq(ws.offered, 20);
	cr_expect_eq(ws.delivered + ws.dropped, ws.offered, "conservation");
	cr_expect_eq(ws.delivered, 20);
	vn1_wire_attach(dev, NULL, 0);
	vn1_wire_attach(b, NULL, 0);
	wire_close(w);
	hx_ring_free(&tx);
	hx_ring_free(&rx);
}

Test(vn1_rings, s5_tx_waits_for_txen_and_queue_enable)
{
	struct hx_ring tx;
	uint8_t f[128];
	size_t n = hx_frame(f, hx_mac[1], 0, 4, 17, 64);

	hx_tx_ring(&tx, dev, h.dma, 0, 8);
	hx_tx_put(&tx, f, (unsigned)n, true);
	hx_tx_kick(&tx);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_TXQ0 + VN1_Q_HEAD), 0, "TXEN clear: waits");
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_TXEN);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_TXQ0 + VN1_Q_HEAD), 1, "TXEN starts it");
	cr_expect(hx_tx_status(&tx, 0) & VN1_TXD_STAT_DD);
	hx_ring_free(&tx);
}

Test(vn1_rings, s5_tx_loopback)
{
	struct hx_ring tx, rx;
	uint8_t f[512], got[2048];
	unsigned len;
	size_t n = hx_frame(f, hx_mac[0], 4, 4, 6, 300);

	hx_tx_ring(&tx, dev, h.dma, 0, 8);
	hx_rx_ring(&rx, dev, h.dma, 0, 8, 2048);
	vn1_mmio_write32(dev, VN1_RXFILTER, VN1_RXFILTER_UCAST);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_RXEN | VN1_CTRL_TXEN | VN1_CTRL_LPBK);
	hx_tx_put(&tx, f, (unsigned)n, true);
	hx_tx_kick(&tx);
	cr_assert(hx_rx_take(&rx, got, &len, NULL, NULL, NULL), "looped back");
	cr_expect_arr_eq(got, f, n);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_RXQ(0) | VN1_CAUSE_TXQ(0));
	hx_ring_free(&tx);
	hx_ring_free(&rx);
}

/* A descriptor without EOP, or of length 0: consumed, not sent, ERR. */
Test(vn1_rings, s5_tx_bad_descriptor_is_err)
{
	struct hx_ring tx;
	struct vn1_stats st;
	uint8_t f[128];
	size_t n = hx_frame(f, hx_mac[1], 0, 4, 17, 64);

	hx_tx_ring(&tx, dev, h.dma, 0, 8);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_TXEN);
	hx_tx_put(&tx, f, (unsigned)n, true);
	tx.desc[10] = VN1_TXD_CMD_RS; /* no EOP */
	hx_tx_put(&tx, f, 0, true);
	hx_tx_kick(&tx);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_TXQ0 + VN1_Q_HEAD), 2);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_GPTC), 0);
	cr_expect(vn1_mmio_read32(dev, VN1_ICR) & VN1_CAUSE_ERR);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.tx_bad_desc, 2);
	hx_ring_free(&tx);
}

/* A bad address is an ERR cause and a counted drop, never a crash. */
Test(vn1_rings, s5_bad_dma_addresses_are_err_and_counted)
{
	struct hx_ring rx, tx;
	struct vn1_stats st;
	uint8_t f[256];
	size_t n = frame_to(f, 0, 100);

	hx_rx_ring(&rx, dev, h.dma, 0, 8, 2048);
	rx_on(dev);
	/* The host pointer instead of the logical address. */
	memcpy(rx.desc, &(uint64_t){(uintptr_t)rx.buf[0]}, 8);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_DMA_FAULT);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + VN1_Q_HEAD), 0, "not consumed");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_RXQ0 + VN1_Q_DROP), 1);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_ERR);
	/* Past the end of the region. */
	memcpy(rx.desc, &(uint64_t){rx.buf_la[0] + 2000}, 8);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_DMA_FAULT);
	/* Ring base itself bogus. */
	vn1_mmio_write32(dev, VN1_RXQ0 + VN1_Q_BAH, 0x7777);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_DMA_FAULT);
	hx_tx_ring(&tx, dev, h.dma, 1, 8);
	hx_tx_put(&tx, f, (unsigned)n, true);
	memcpy(tx.desc, &(uint64_t){0x12345678}, 8);
	hx_tx_kick(&tx);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_TXQ0 + 0x40 + VN1_Q_HEAD), 1, "TX skips it");
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.rx_dma_fault, 3);
	cr_expect_eq(st.tx_dma_fault, 1);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MPC), 0, "faults are not misses");
	hx_ring_free(&rx);
	hx_ring_free(&tx);
}

Test(vn1_rings, s6_link_down_up_sets_lsc_and_status)
{
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC);
	vn1_host_set_link(dev, false);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_STATUS) & VN1_STATUS_LU, 0);
	cr_expect(atomic_load(&rec->level));
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_LSC);
	vn1_host_set_link(dev, false);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0, "no change, no LSC");
	vn1_host_set_link(dev, true);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_STATUS) & VN1_STATUS_LU, VN1_STATUS_LU);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_LSC);
}

Test(vn1_rings, s6_tx_with_link_down_completes_without_delivery)
{
	struct wire *w = wire_pair_create(h.m);
	struct hx_ring tx;
	struct wire_dir_stats ws;
	struct vn1_stats st;
	uint8_t f[128];
	size_t n = hx_frame(f, hx_mac[1], 0, 4, 17, 64);

	vn1_wire_attach(dev, w, 0);
	vn1_wire_attach(h.dev[1], w, 1);
	hx_tx_ring(&tx, dev, h.dma, 0, 8);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_TXEN);
	vn1_host_set_link(dev, false);
	hx_tx_put(&tx, f, (unsigned)n, true);
	hx_tx_kick(&tx);
	cr_expect(hx_tx_status(&tx, 0) & VN1_TXD_STAT_DD, "completed");
	wire_get_stats(w, 0, &ws);
	cr_expect_eq(ws.offered, 0, "not delivered");
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.tx_link_down, 1);
	vn1_wire_attach(dev, NULL, 0);
	vn1_wire_attach(h.dev[1], NULL, 0);
	wire_close(w);
	hx_ring_free(&tx);
}
