/* SPDX-License-Identifier: MIT */
/*
 * Wires: a back-to-back pair under concurrent traffic both ways, the traffic
 * generator (headers, pacing, RSS spread, stop), and conservation in each:
 * frames offered = delivered + dropped, and the device accounts for each.
 */
#include "harness.h"

#include <pthread.h>

static struct hx h;

static void setup(void)
{
	hx_init(&h, 2, 2);
}

static atomic_bool pumps_stop;

/*
 * A failed assertion jumps here while pumps may still run on the vCPUs: stop
 * them and let the vCPUs go idle before the devices they use are freed.
 */
static void teardown(void)
{
	atomic_store(&pumps_stop, true);
	ke_machine_quiesce(h.m, 0);
	hx_fini(&h);
}

TestSuite(wire, .init = setup, .fini = teardown);

static void expect_conserved(struct wire *w, unsigned end, const char *what)
{
	struct wire_dir_stats s;

	wire_get_stats(w, end, &s);
	cr_expect_eq(s.offered, s.delivered + s.dropped, "%s: offered %llu != %llu + %llu", what,
		     (unsigned long long)s.offered, (unsigned long long)s.delivered,
		     (unsigned long long)s.dropped);
}

/* The device accounts for every frame the wire delivered to it or dropped at it. */
static void expect_device_accounts(struct vn1 *dev, struct wire *w, unsigned from_end)
{
	struct wire_dir_stats s;
	struct vn1_stats st;

	wire_get_stats(w, from_end, &s);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.rx_offered, s.offered);
	cr_expect_eq(st.rx_accepted, s.delivered);
	cr_expect_eq(st.rx_removed + st.rx_disabled + st.rx_link_down + st.rx_filtered +
			 st.rx_bad_length + st.rx_missed + st.rx_dma_fault + st.rx_fifo_full,
		     s.dropped);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_GPRC), st.rx_accepted);
}

struct pump {
	struct vn1 *dev;
	unsigned idx;
	unsigned frames;
	struct hx_ring tx, rx;
	atomic_bool done;
	unsigned received;
};

/* One "driver" on a vCPU: send @frames frames while draining its own RX ring. */
static void pump_main(void *arg)
{
	struct pump *p = arg;
	uint8_t f[2048];
	unsigned len;

	for (unsigned i = 0; i < p->frames && !atomic_load(&pumps_stop); i++) {
		size_t n = hx_frame(f, hx_mac[p->idx ^ 1], i, 4, 17, 64 + i % 900);

		/* Room for one more: TDH must not catch TDT (ring of 64). */
		while ((p->tx.tail + 1) % p->tx.n ==
			   vn1_mmio_read32(p->dev, VN1_TXQ0 + VN1_Q_HEAD) &&
		       !atomic_load(&pumps_stop))
			sched_yield();
		hx_tx_put(&p->tx, f, (unsigned)n, true);
		hx_tx_kick(&p->tx);
		while (hx_rx_take(&p->rx, NULL, &len, NULL, NULL, NULL))
			p->received++;
		hx_rx_refill(&p->rx);
	}
	atomic_store(&p->done, true);
}

Test(wire, pair_both_ways_concurrently_no_deadlock)
{
	struct wire *w = wire_pair_create(h.m);
	/* Static: a failed assertion leaves this frame while pumps still run. */
	static struct pump p[2];
	static struct ke_work work[2];
	unsigned len;

	for (unsigned i = 0; i < 2; i++) {
		p[i].dev = h.dev[i];
		p[i].idx = i;
		p[i].frames = 3000;
		vn1_wire_attach(h.dev[i], w, i);
		hx_tx_ring(&p[i].tx, h.dev[i], h.dma, 0, 64);
		hx_rx_ring(&p[i].rx, h.dev[i], h.dma, 0, 64, 2048);
		vn1_mmio_write32(h.dev[i], VN1_RXFILTER, VN1_RXFILTER_UCAST);
		vn1_mmio_write32(h.dev[i], VN1_CTRL, VN1_CTRL_RXEN | VN1_CTRL_TXEN);
	}
	for (unsigned i = 0; i < 2; i++) {
		ke_work_init(&work[i], pump_main, &p[i]);
		ke_vcpu_post(ke_machine_vcpu(h.m, i), &work[i]);
	}
	WAIT_UNTIL_MS(atomic_load(&p[0].done) && atomic_load(&p[1].done), 60000);
	ke_work_wait(&work[0]);
	ke_work_wait(&work[1]);
	cr_assert_eq(ke_machine_quiesce(h.m, 0), 0);
	for (unsigned i = 0; i < 2; i++)
		while (hx_rx_take(&p[i].rx, NULL, &len, NULL, NULL, NULL))
			p[i].received++;
	for (unsigned i = 0; i < 2; i++) {
		struct wire_dir_stats s;

		wire_get_stats(w, i, &s);
		cr_expect_eq(s.offered, 3000, "end %u sent everything", i);
		expect_conserved(w, i, "pair");
		expect_device_accounts(h.dev[i ^ 1], w, i);
		cr_expect_eq(p[i ^ 1].received, s.delivered,
			     "every delivered frame was seen: %u vs %llu (dropped %llu)",
			     p[i ^ 1].received, (unsigned long long)s.delivered,
			     (unsigned long long)s.dropped);
		cr_expect_eq(vn1_mmio_read32(h.dev[i], VN1_GPTC), 3000);
	}
	for (unsigned i = 0; i < 2; i++) {
		vn1_wire_attach(h.dev[i], NULL, 0);
		hx_ring_free(&p[i].tx);
		hx_ring_free(&p[i].rx);
	}
	wire_close(w);
}

static uint16_t csum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)sum;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

Test(wire, gen_frames_have_valid_headers)
{
	static const int fam[] = {4, 4, 6, 6};
	static const uint8_t l4[] = {6, 17, 6, 17};
	uint8_t f[WIRE_MAX_FRAME];

	for (int k = 0; k < 4; k++) {
		for (unsigned size = 60; size < 1600; size += 97) {
			struct wire_gen_config c = {
			    .frames = 1, .size = size, .flows = 7, .family = fam[k], .l4 = l4[k]};
			size_t n = wire_gen_frame(&c, size, f, sizeof(f));
			size_t iph = fam[k] == 4 ? 20 : 40, l4len = n - 14 - iph;
			const uint8_t *ip = f + 14, *seg = ip + iph;
			uint8_t pseudo[40];
			uint32_t ps = 0;

			cr_assert_geq(n, 14 + iph + (l4[k] == 6 ? 20 : 8));
			cr_expect_eq(be16(f + 12), fam[k] == 4 ? 0x0800 : 0x86DD);
			if (fam[k] == 4) {
				cr_expect_eq(be16(ip + 2), n - 14, "IPv4 total length");
				cr_expect_eq(csum(ip, 20, 0), 0xFFFF, "IPv4 header checksum");
				cr_expect_eq(ip[9], l4[k]);
				memcpy(pseudo, ip + 12, 8);
				ps = csum(pseudo, 8, 0);
			} else {
				cr_expect_eq(be16(ip + 4), l4len, "IPv6 payload length");
				cr_expect_eq(ip[6], l4[k]);
				memcpy(pseudo, ip + 8, 32);
				ps = csum(pseudo, 32, 0);
			}
			ps += l4[k] + (uint32_t)l4len;
			if (l4[k] == 17)
				cr_expect_eq(be16(seg + 4), l4len, "UDP length");
			cr_expect_eq(csum(seg, l4len, ps), 0xFFFF, "L4 checksum k=%d size=%u", k,
				     size);
			cr_expect_eq(be16(seg), 1024 + size % 7, "source port = 1024 + flow");
		}
	}
}

/* Generator -> VN-1 with RSS over 4 queues; the test drains like a driver. */
Test(wire, gen_paced_into_vn1_rss_spread_conserved)
{
	struct wire_gen_config c = {
	    .frames = 2000, .rate_pps = 40000, .size = 128, .flows = 16, .family = 4, .l4 = 17};
	struct vn1 *dev = h.dev[0];
	struct hx_ring r[4];
	unsigned per_q[4] = {0}, len, got = 0;
	struct wire *w;
	uint64_t t0, t1, deadline = harness_now_ns() + 60000000000ull;

	memcpy(c.dst_mac, hx_mac[0], 6);
	for (unsigned q = 0; q < 4; q++)
		hx_rx_ring(&r[q], dev, h.dma, q, 512, 256);
	for (unsigned i = 0; i < 40; i++)
		vn1_mmio_write8(dev, VN1_RSSRK0 + i, hw_rss_default_key[i]);
	for (unsigned i = 0; i < 128; i++)
		vn1_mmio_write8(dev, VN1_RETA0 + i, (uint8_t)(i % 4));
	vn1_mmio_write32(dev, VN1_MRQC, HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_ALL_TYPES);
	vn1_mmio_write32(dev, VN1_RXFILTER, VN1_RXFILTER_UCAST);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_RXEN);
	w = wire_gen_create(h.m, &c);
	cr_assert_not_null(w);
	vn1_wire_attach(dev, w, 0);
	t0 = ke_clock_ns(h.m);
	cr_assert_eq(wire_source_start(w), 0);
	while (wire_source_sent(w) < c.frames || got < c.frames) {
		struct wire_dir_stats s;

		for (unsigned q = 0; q < 4; q++) {
			uint8_t ty;
			uint32_t hash;

			while (hx_rx_take(&r[q], NULL, &len, NULL, &ty, &hash)) {
				cr_expect_eq(hash % 128 % 4, q);
				cr_expect_eq(ty, HW_RSS_UDP_IPV4);
				per_q[q]++;
				got++;
			}
			hx_rx_refill(&r[q]);
		}
		wire_get_stats(w, 1, &s);
		if (s.offered == c.frames && got + s.dropped == c.frames)
			break;
		if (harness_now_ns() > deadline)
			cr_assert_fail("generator traffic not settled after 60 s: got %u", got);
		sched_yield();
	}
	cr_assert_eq(wire_source_wait(w, 60000), 0);
	t1 = ke_clock_ns(h.m);
	cr_expect_geq(t1 - t0, (c.frames - 1) * (1000000000ULL / c.rate_pps),
		      "paced on the engine clock: not before");
	expect_conserved(w, 1, "generator");
	expect_device_accounts(dev, w, 1);
	for (unsigned q = 0; q < 4; q++)
		cr_expect_gt(per_q[q], 0, "queue %u got no flow", q);
	vn1_wire_attach(dev, NULL, 0);
	wire_close(w);
	for (unsigned q = 0; q < 4; q++)
		hx_ring_free(&r[q]);
}

Test(wire, gen_stop_is_bounded_and_frames_sent_back_are_absorbed)
{
	struct wire_gen_config c = {.frames = 1000000000ULL,
				    .rate_pps = 2000,
				    .size = 64,
				    .flows = 1,
				    .family = 6,
				    .l4 = 6};
	struct vn1 *dev = h.dev[0];
	struct hx_ring tx;
	struct wire_dir_stats s;
	uint8_t f[128];
	size_t n = hx_frame(f, hx_mac[1], 0, 4, 17, 64);
	struct wire *w = wire_gen_create(h.m, &c);

	cr_assert_not_null(w);
	vn1_wire_attach(dev, w, 0);
	hx_tx_ring(&tx, dev, h.dma, 0, 8);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_TXEN);
	hx_tx_put(&tx, f, (unsigned)n, true);
	hx_tx_kick(&tx);
	wire_get_stats(w, 0, &s);
	cr_expect_eq(s.offered, 1);
	cr_expect_eq(s.delivered, 1, "the generator absorbs what it is sent");
	cr_assert_eq(wire_source_start(w), 0);
	WAIT_UNTIL_MS(wire_source_sent(w) >= 5, 10000);
	wire_source_stop(w);
	cr_expect_lt(wire_source_sent(w), c.frames);
	expect_conserved(w, 1, "stopped generator");
	expect_device_accounts(dev, w, 1);
	cr_expect_eq(wire_source_wait(w, 1), -EINVAL, "stopped: nothing to wait for");
	vn1_wire_attach(dev, NULL, 0);
	wire_close(w);
	hx_ring_free(&tx);
}

Test(wire, gen_config_validated)
{
	struct wire_gen_config c = {.frames = 1, .family = 5, .l4 = 6};

	cr_expect_null(wire_gen_create(h.m, &c));
	c.family = 4;
	c.l4 = 1;
	cr_expect_null(wire_gen_create(h.m, &c));
	c.l4 = 6;
	c.frames = 0;
	cr_expect_null(wire_gen_create(h.m, &c));
	c.frames = 1;
	c.rate_pps = 10;
	cr_expect_null(wire_gen_create(NULL, &c), "pacing needs a clock");
}
