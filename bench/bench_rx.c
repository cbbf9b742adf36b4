/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_rx.c - `ndisrt bench rx`: receive through the full path
 * against the poll-mode bound of the same device model, measured in the
 * same run (docs/performance.md, "ndisrt bench rx").
 *
 *  rx_full_vs_poll_64, rx_full_vs_poll_1514
 *      frames/s a host thread pushes into a VN-1 model through a
 *      wire that the vn1 sample takes through its whole interrupt
 *      path - MSI-X, ISR, DPC, NdisMIndicateReceiveNetBufferLists, the
 *      protocol's return - with 1 vCPU
 *                         vs the same model and the same ring size driven by
 *                            one loop: push a frame, take the descriptor,
 *                            give it back (no interrupts, DPCs or NDIS)
 *  rx_scaling_2_vs_1
 *      full path at 64 bytes, 2 vCPUs with RSS over 2 queues (one message
 *      per queue, each on its own vCPU)  vs  1 vCPU
 *  signals_per_interrupt
 *      of the 2-vCPU runs: signals sent to vCPUs (tgkill) per interrupt
 *      delivered; baseline 0.2 (the goal), so ratio <= 1 meets it
 *
 * Where the work runs: every measurement gets one host core per vCPU and
 * no more. The poll loop runs on core 0. In the full path, the wire work
 * for a receive queue (the sending thread, which also does the model's DMA
 * into the ring) runs on the core of the
 * vCPU that takes that queue's interrupt, so the 1-vCPU run has core 0 for
 * the wire, the device and the driver, like the poll loop, and the 2-vCPU run
 * has two such cores. A sender whose frame the model drops (ring full) gives
 * the core to its vCPU (sched_yield) instead of pushing into a full ring.
 *
 * Robust on a shared machine: each round runs full 1-vCPU, poll and full
 * 2-vCPU back to back, and the rows report the median over the rounds of
 * the per-round ratios, with their spread (min-max) and the rounds, so a
 * round that the host's other load starved on one side shows as spread
 * instead of moving the figure.
 *
 * Frames the device could not place (ring full) are dropped by the model
 * and not counted: each figure is frames received per second.
 */
#include "bench/bench.h"

#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "hw/device.h"
#include "hw/dma.h"
#include "hw/rss.h"
#include "hw/wire.h"
#include "ke/ke.h"
#include "ndisrt/host.h"

int ndisrt_bench_rx(int argc, char **argv, const char *driver_path);

#define RX_RING 256	   /* descriptors of the poll loop's ring (vn1 sample: VN1_RX_RING_SIZE) */
#define RX_BUF 2048	   /* bytes per receive buffer */
#define RX_FLOWS 64	   /* flows of the generated frames (RSS spreads them) */
#define RX_FRAMES_SET 1024 /* distinct frames, built before timing */

/*
 * The VN-1 registers the poll loop programs, from the datasheet
 * (docs/vn1.md): the bench reaches the model only through hw/device.h.
 */
#define VN1_CTRL 0x0000u
#define VN1_CTRL_RXEN (1u << 1)
#define VN1_CTRL_TXEN (1u << 2)
#define VN1_RXFILTER 0x0010u
#define VN1_RXFILTER_UCAST (1u << 0)
#define VN1_RXFILTER_BCAST (1u << 2)
#define VN1_RXQ0 0x1000u
#define VN1_Q_BAL 0x00u
#define VN1_Q_BAH 0x04u
#define VN1_Q_LEN 0x08u
#define VN1_Q_TAIL 0x18u
#define VN1_Q_DCTL 0x20u
#define VN1_Q_RBUFSZ 0x28u
#define VN1_DCTL_ENABLE (1u << 0)
#define VN1_RXD_STAT_DD (1u << 0)

static void reg_write(struct hw_device *dev, uint32_t off, uint32_t val)
{
	hw_dev_bar_write(dev, 0, off, 4, val);
}

static const uint8_t rx_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x0B, 0x01};
static const uint8_t rx_key[40] = {0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
				   0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
				   0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
				   0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};

struct rx_frames {
	uint8_t buf[RX_FRAMES_SET][1536];
	size_t len[RX_FRAMES_SET];
	uint32_t hash[RX_FRAMES_SET]; /* the RSS hash the model computes */
};

static struct rx_frames frames;

static void build_frames(unsigned size)
{
	struct wire_gen_config g;

	memset(&g, 0, sizeof(g));
	g.frames = RX_FRAMES_SET;
	g.size = size;
	g.flows = RX_FLOWS;
	g.family = 4;
	g.l4 = 6;
	memcpy(g.dst_mac, rx_mac, 6);
	for (unsigned i = 0; i < RX_FRAMES_SET; i++) {
		enum hw_rss_type type;

		frames.len[i] = wire_gen_frame(&g, i, frames.buf[i], sizeof(frames.buf[i]));
		frames.hash[i] = hw_rss_hash_frame(
		    rx_key, HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_IPV4 | HW_RSS_MRQC_TCP_IPV4,
		    frames.buf[i], frames.len[i], &type);
	}
}

static unsigned host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

static uint64_t coarse_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Pin the calling thread to host core @cpu (mod the cores there are). */
static void pin_to(unsigned cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % host_cpus(), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static struct hw_device *make_vn1(struct ke_machine *m, struct hw_dma_space *dma, unsigned msgs)
{
	struct hw_device_params p = {
	    .machine = m,
	    .dma = dma,
	    .mem_base = 0xF0000000ULL,
	    .port_base = 0xE000,
	    .irq_kind = HW_IRQ_MSIX,
	    .nr_msgs = msgs,
	};
	char err[256];

	memcpy(p.mac, rx_mac, 6);
	return hw_device_create("vn1", &p, err, sizeof(err));
}

/* ------------------------------------------------------- poll-mode bound */

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Frames/s of one loop that owns ring 0 of a VN-1 with no interrupt enabled. */
static double poll_rate(unsigned size, double seconds)
{
	struct ke_machine_config mc = {.nr_vcpus = 1};
	struct ke_machine *m = ke_machine_create(&mc);
	struct hw_dma_space *dma = hw_dma_space_create();
	struct wire *w = m ? wire_pair_create(m) : NULL;
	struct hw_device *dev = m && dma ? make_vn1(m, dma, 3) : NULL;
	uint8_t *desc = NULL, *buf[RX_RING];
	uint64_t desc_la = 0, buf_la[RX_RING];
	uint64_t got = 0, t0, t1;
	unsigned next = 0, tail, f = 0;
	double rate = 0;

	if (!dev || !w || hw_dev_wire_attach(dev, w, 0))
		goto out;
	desc = hw_dma_alloc(dma, 16u * RX_RING, &desc_la);
	if (!desc)
		goto out;
	for (unsigned i = 0; i < RX_RING; i++) {
		buf[i] = hw_dma_alloc(dma, RX_BUF, &buf_la[i]);
		if (!buf[i])
			goto out;
		put_le64(desc + 16 * i, buf_la[i]);
	}
	reg_write(dev, VN1_RXQ0 + VN1_Q_BAL, (uint32_t)desc_la);
	reg_write(dev, VN1_RXQ0 + VN1_Q_BAH, (uint32_t)(desc_la >> 32));
	reg_write(dev, VN1_RXQ0 + VN1_Q_LEN, RX_RING);
	reg_write(dev, VN1_RXQ0 + VN1_Q_RBUFSZ, RX_BUF);
	reg_write(dev, VN1_RXQ0 + VN1_Q_DCTL, VN1_DCTL_ENABLE);
	tail = RX_RING - 1;
	reg_write(dev, VN1_RXQ0 + VN1_Q_TAIL, tail);
	reg_write(dev, VN1_RXFILTER, VN1_RXFILTER_UCAST | VN1_RXFILTER_BCAST);
	reg_write(dev, VN1_CTRL, VN1_CTRL_RXEN | VN1_CTRL_TXEN);

	pin_to(0);
	t0 = bench_now_ns();
	t1 = t0 + (uint64_t)(seconds * 1e9);
	while (bench_now_ns() < t1) {
		/* A batch like the full path's DPC: push, then take and refill. */
		for (unsigned k = 0; k < 32; k++, f = (f + 1) % RX_FRAMES_SET)
			wire_send(w, 1, frames.buf[f], frames.len[f]);
		for (;;) {
			uint8_t *dd = desc + 16 * next;
			uint8_t st = __atomic_load_n(&dd[10], __ATOMIC_ACQUIRE);
			volatile uint8_t first;

			if (!(st & VN1_RXD_STAT_DD))
				break;
			/* Touch the frame, as a protocol would. */
			first = buf[next][(unsigned)dd[8] / 2];
			(void)first;
			__atomic_store_n(&dd[10], 0, __ATOMIC_RELAXED);
			next = (next + 1) % RX_RING;
			got++;
		}
		while (tail != (next + RX_RING - 1) % RX_RING) {
			put_le64(desc + 16 * tail, buf_la[tail]);
			tail = (tail + 1) % RX_RING;
		}
		reg_write(dev, VN1_RXQ0 + VN1_Q_TAIL, tail);
	}
	rate = (double)got / ((double)(bench_now_ns() - t0) / 1e9);
	(void)size;
out:
	if (dev)
		hw_device_free(dev);
	if (w)
		wire_close(w);
	if (m)
		ke_machine_free(m);
	if (dma)
		hw_dma_space_free(dma);
	return rate;
}

/* ------------------------------------------------------------ full path */

static atomic_ulong full_rx;

static void full_sink(void *ctx, struct ndisrt_nic *n, const struct ndisrt_rx_info *info,
		      const void *frame, size_t len)
{
	(void)ctx, (void)n, (void)info, (void)len;
	/* Touch the frame, as the poll loop does. */
	(void)*(const volatile uint8_t *)((const uint8_t *)frame + len / 2);
	atomic_fetch_add_explicit(&full_rx, 1, memory_order_relaxed);
}

struct full_result {
	double rate;
	uint64_t interrupts, signals_sent;
	int err;
};

/* One sender: the frames RSS steers to queue @queue, on that queue's core. */
struct full_sender {
	pthread_t thread;
	struct wire *w;
	unsigned queue, queues;
	uint64_t t_end;
	uint64_t sent;
};

static void *full_send_thread(void *arg)
{
	struct full_sender *s = arg;
	static __thread unsigned idx[RX_FRAMES_SET];
	unsigned n = 0, k = 0;

	pin_to(s->queue);
	for (unsigned i = 0; i < RX_FRAMES_SET; i++)
		if ((frames.hash[i] % HW_RSS_RETA_LEN) % s->queues == s->queue)
			idx[n++] = i;
	if (!n)
		return NULL;
	/* The deadline needs no nanoseconds: the coarse clock (a read of the
	 * kernel's tick time, no TSC read) per burst; the rate is timed with
	 * the precise clock around the whole run. */
	while (coarse_now_ns() < s->t_end) {
		for (unsigned b = 0; b < 32; b++, k = (k + 1) % n) {
			s->sent++;
			if (wire_send(s->w, 1, frames.buf[idx[k]], frames.len[idx[k]]) < 0) {
				/* Ring full: the vCPU's turn on this core. */
				sched_yield();
				break;
			}
		}
	}
	return NULL;
}

static void vcpu_totals(struct ndisrt_host *h, unsigned vcpus, uint64_t *ints, uint64_t *sigs)
{
	*ints = *sigs = 0;
	for (unsigned v = 0; v < vcpus; v++) {
		struct ke_vcpu_stats s;

		ke_vcpu_get_stats(ke_machine_vcpu(ndisrt_host_machine(h), v), &s);
		*ints += s.interrupts;
		*sigs += s.signals_sent;
	}
}

/* Frames/s through the vn1 sample with @vcpus vCPUs (RSS over @vcpus queues). */
static struct full_result full_rate(const char *driver, unsigned vcpus, double seconds)
{
	struct full_result res = {0};
	struct ndisrt_host_config hc = {.nr_vcpus = vcpus};
	struct ndisrt_host *h = ndisrt_host_create(&hc);
	struct ndisrt_driver *drv = NULL;
	struct ndisrt_nic *nic = NULL;
	struct hw_device *dev = NULL;
	struct wire *w = NULL;
	struct ndisrt_nic_config nc;
	struct full_sender snd[2];
	unsigned table[128], started = 0;
	char err[512];
	uint64_t t0, base, ints0, sig0;

	res.err = -1;
	if (!h)
		return res;
	if (vcpus < 1 || vcpus > 2)
		goto out;
	if (ndisrt_driver_load(h, driver, &drv, err, sizeof(err))) {
		fprintf(stderr, "ndisrt bench rx: %s\n", err);
		goto out;
	}
	w = wire_pair_create(ndisrt_host_machine(h));
	dev = make_vn1(ndisrt_host_machine(h), ndisrt_host_dma(h), vcpus + 1);
	if (!w || !dev || hw_dev_wire_attach(dev, w, 0))
		goto out;
	ndisrt_nic_config_init(&nc, dev);
	nc.irq = NDISRT_IRQ_MSIX;
	nc.msix_messages = vcpus + 1; /* one per receive queue, one for the rest */
	for (unsigned i = 0; i < 16; i++)
		nc.message_vcpu[i] = (int)(i % vcpus);
	if (ndisrt_nic_start(drv, &nc, &nic, err, sizeof(err))) {
		fprintf(stderr, "ndisrt bench rx: %s\n", err);
		goto out;
	}
	ndisrt_nic_set_rx_sink(nic, full_sink, NULL);
	ndisrt_nic_set_packet_filter(nic, 0x1u | 0x8u); /* DIRECTED | BROADCAST */
	for (unsigned i = 0; i < 128; i++)
		table[i] = i % vcpus;
	/* NDIS_HASH_IPV4 | TCP_IPV4 */
	ndisrt_nic_set_rss(nic, rx_key, 0x100u | 0x200u, table, 128);

	vcpu_totals(h, vcpus, &ints0, &sig0);
	base = atomic_load(&full_rx);
	t0 = bench_now_ns();
	for (unsigned q = 0; q < vcpus; q++) {
		snd[q] = (struct full_sender){
		    .w = w, .queue = q, .queues = vcpus, .t_end = t0 + (uint64_t)(seconds * 1e9)};
		if (pthread_create(&snd[q].thread, NULL, full_send_thread, &snd[q]))
			break;
		started++;
	}
	for (unsigned q = 0; q < started; q++)
		pthread_join(snd[q].thread, NULL);
	res.rate = (double)(atomic_load(&full_rx) - base) / ((double)(bench_now_ns() - t0) / 1e9);
	vcpu_totals(h, vcpus, &res.interrupts, &res.signals_sent);
	res.interrupts -= ints0;
	res.signals_sent -= sig0;
	if (getenv("NDISRT_BENCH_RX_DEBUG")) {
		fprintf(stderr, "vcpus=%u rate=%.0f\n", vcpus, res.rate);
		for (unsigned v = 0; v < vcpus; v++) {
			struct ke_vcpu_stats s;

			ke_vcpu_get_stats(ke_machine_vcpu(ndisrt_host_machine(h), v), &s);
			fprintf(stderr, "  vcpu%u sent=%llu ints=%llu wakeups=%llu sig=%llu\n", v,
				(unsigned long long)snd[v].sent, (unsigned long long)s.interrupts,
				(unsigned long long)s.wakeups, (unsigned long long)s.signals_sent);
		}
	}
	res.err = started == vcpus ? 0 : -1;
out:
	if (nic)
		ndisrt_nic_halt(nic);
	if (drv)
		ndisrt_driver_unload(drv);
	if (dev)
		hw_device_free(dev);
	if (w)
		wire_close(w);
	ndisrt_host_free(h);
	return res;
}

/* The median of @n; sorts @v. */
static double median(double *v, unsigned n)
{
	return bench_quantile(v, n, 0.5);
}

/*
 * A row whose ratio is the median of per-round ratios, with their spread:
 * the text table adds "(min-max, N rounds)", the JSON "ratio_min",
 * "ratio_max" and "rounds".
 */
static void rounds_row(struct bench_out *o, const char *name, double *val, double *base, unsigned n,
		       const char *unit, const char *goal)
{
	double ratio[16], v = median(val, n), b = median(base, n), r, lo, hi;

	for (unsigned i = 0; i < n; i++)
		ratio[i] = base[i] > 0 ? val[i] / base[i] : 0;
	r = median(ratio, n); /* sorted: [0] is the least */
	lo = ratio[0];
	hi = ratio[n - 1];
	o->rows++;
	if (o->json)
		fprintf(
		    o->f,
		    "{\"name\": \"%s\", \"value\": %.1f, \"baseline\": %.1f, \"ratio\": %.3f, "
		    "\"unit\": \"%s\", \"ratio_min\": %.3f, \"ratio_max\": %.3f, \"rounds\": %u}\n",
		    name, v, b, r, unit, lo, hi, n);
	else
		fprintf(o->f,
			"  %-44s %12.1f %12.1f %7.2fx  %s   goal %s  (%.2f-%.2fx, %u rounds)\n",
			name, v, b, r, unit, goal, lo, hi, n);
	fflush(o->f);
}

int ndisrt_bench_rx(int argc, char **argv, const char *driver_path)
{
	struct bench_out o = {.f = stdout};
	unsigned rounds = 5;
	double secs = 1.0;
	uint64_t ints = 0, sigs = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--quick")) {
			rounds = 1;
			secs = 0.3;
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			char *end;
			unsigned long n = strtoul(argv[++i], &end, 10);

			if (*end || n < 1 || n > 15) {
				fprintf(stderr, "ndisrt bench rx: --rounds takes 1..15\n");
				return 64;
			}
			rounds = (unsigned)n;
		} else {
			fprintf(stderr, "ndisrt bench rx: unknown option '%s'\n", argv[i]);
			return 64;
		}
	}
	if (!driver_path) {
		fprintf(stderr, "ndisrt bench rx: the vn1 sample driver was not found\n");
		return 66;
	}
	bench_begin(&o, "ndisrt bench rx: full receive path vs the poll-mode bound (same run)");

	/* 64 bytes: full 1 vCPU, poll, full 2 vCPUs, back to back each round. */
	double full[16], poll[16], two[16];

	build_frames(64);
	for (unsigned r = 0; r < rounds; r++) {
		struct full_result f1 = full_rate(driver_path, 1, secs);
		double p = poll_rate(64, secs);
		struct full_result f2 = full_rate(driver_path, 2, secs);

		if (f1.err || f2.err)
			return 70;
		full[r] = f1.rate;
		poll[r] = p;
		two[r] = f2.rate;
		ints += f2.interrupts;
		sigs += f2.signals_sent;
	}
	double one[16];

	memcpy(one, full, sizeof(one));
	rounds_row(&o, "rx_full_vs_poll_64", full, poll, rounds, "frames/s", ">= 0.5x");

	double full1514[16], poll1514[16];

	build_frames(1514);
	for (unsigned r = 0; r < rounds; r++) {
		struct full_result f1 = full_rate(driver_path, 1, secs);

		if (f1.err)
			return 70;
		full1514[r] = f1.rate;
		poll1514[r] = poll_rate(1514, secs);
	}
	rounds_row(&o, "rx_full_vs_poll_1514", full1514, poll1514, rounds, "frames/s", ">= 0.5x");
	rounds_row(&o, "rx_scaling_2_vs_1", two, one, rounds, "frames/s", ">= 1.6x");
	bench_row(&o, "signals_per_interrupt", ints ? (double)sigs / (double)ints : 0, 0.2,
		  "signals/interrupt", "<= 1x (0.2)");
	return 0;
}
