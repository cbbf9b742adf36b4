/* SPDX-License-Identifier: MIT */
/*
 * tools/run_traffic.c - `ndisrt run`: finding the driver, generating
 * traffic, draining in-flight frames with bounded waits, and collecting
 * the counters.
 */
#include "tools/run.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ke/ke.h"

#define RUN_BATCH 64	      /* frames per MiniportSendNetBufferLists call */
#define RUN_MAX_IN_FLIGHT 224 /* sent, not yet completed: back-pressure */
#define RUN_DRAIN_NS (20ull * 1000000000ull)
#define RUN_GEN_PPS 100000 /* --wire gen / pcap pacing */

static const char *const samples[] = {"vn1",   "vn1_line",   "vn1pio",
				      "e1000", "virtio_net", "rtl8139"};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/**
 * run_resolve_driver() - A sample's name to its .so; a path as it is.
 * A sample is looked for in $NDISRT_DRIVER_DIR if set, else next to the
 * binary (build/drivers/NAME.so), else where `make install` put it.
 * Return: the path, or NULL with @err saying what is wrong.
 */
const char *run_resolve_driver(const char *name, char *err, size_t errlen)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX], here[PATH_MAX], *bindir;
	const char *dir = getenv("NDISRT_DRIVER_DIR");
	ssize_t n;

	if (strchr(name, '/') || strstr(name, ".so")) {
		if (access(name, R_OK)) {
			snprintf(err, errlen, "--driver %s: %s", name, strerror(errno));
			return NULL;
		}
		return name;
	}
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		if (strcmp(name, samples[i]))
			continue;
		if (dir) {
			snprintf(path, sizeof(path), "%s/%s.so", dir, name);
		} else {
			n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
			if (n < 0) {
				snprintf(err, errlen, "cannot find the sample drivers: %s",
					 strerror(errno));
				return NULL;
			}
			exe[n] = 0;
			bindir = dirname(exe);
			snprintf(here, sizeof(here), "%s/drivers/%s.so", bindir, name);
			snprintf(path, sizeof(path), "%s", here);
			/* Installed: <prefix>/bin/ndisrt, <prefix>/lib/ndisrt/drivers. */
			if (access(path, R_OK))
				snprintf(path, sizeof(path), "%s/%s/%s.so", bindir,
					 NDISRT_INSTALL_DRIVER_DIR, name);
		}
		if (access(path, R_OK)) {
			snprintf(err, errlen,
				 "sample driver '%s' not found at %s (build it with 'make', or set "
				 "NDISRT_DRIVER_DIR)",
				 name, dir ? path : here);
			return NULL;
		}
		return path;
	}
	snprintf(err, errlen,
		 "--driver '%s' is neither a .so path nor a sample (samples: vn1, "
		 "vn1_line, vn1pio, e1000, virtio_net)",
		 name);
	return NULL;
}

uint64_t run_rate_pps(const struct run_state *r)
{
	(void)r;
	return RUN_GEN_PPS;
}

/* --frames, --seconds, or both: whichever comes first. */
static uint64_t frames_wanted(const struct run_state *r)
{
	uint64_t by_time = (uint64_t)(r->o.seconds * RUN_GEN_PPS);

	if (r->o.frames && r->o.seconds_given)
		return r->o.frames < by_time ? r->o.frames : by_time;
	if (r->o.frames)
		return r->o.frames;
	return by_time;
}

/* The end of the sending: --seconds when given (or by default), else none. */
static bool time_bounded(const struct run_state *r)
{
	return (!r->o.frames && !r->o.interrupts) || r->o.seconds_given;
}

/**
 * run_interrupts_taken() - Interrupts the vCPUs have taken so far (ISR
 * chains run, one per delivered vector), from ke's per-vCPU counters.
 * Context: host thread; exact per vCPU, not a snapshot across them.
 */
uint64_t run_interrupts_taken(const struct run_state *r)
{
	uint64_t n = 0;

	for (unsigned v = 0; v < r->o.cpus; v++) {
		struct ke_vcpu_stats st;

		ke_vcpu_get_stats(ke_machine_vcpu(r->m, v), &st);
		n += st.interrupts;
	}
	return n;
}

void run_gen_config(struct run_state *r, unsigned nic, struct wire_gen_config *g)
{
	memset(g, 0, sizeof(*g));
	g->frames = frames_wanted(r);
	g->rate_pps = RUN_GEN_PPS;
	g->size = r->o.size;
	g->flows = r->o.flows;
	g->family = 4;
	g->l4 = 6;
	memcpy(g->dst_mac, r->nic[nic].mac, 6);
}

/* ------------------------------------------------------------ progress */

static void progress(struct run_state *r, uint64_t start, uint64_t offered, bool last)
{
	static uint64_t next;
	uint64_t t = now_ns(), received = 0;
	bool tty = isatty(2);

	if (r->o.quiet || (!last && t < next))
		return;
	if (r->o.interrupts) {
		/* A soak: a bar on a terminal, a line every 10 s into a file. */
		uint64_t taken = run_interrupts_taken(r);
		double f = (double)taken / (double)r->o.interrupts;
		char bar[41];
		unsigned fill = f >= 1 ? 40 : (unsigned)(f * 40);

		next = t + (tty ? 250000000ull : 10000000000ull);
		memset(bar, '#', fill);
		memset(bar + fill, '.', 40 - fill);
		bar[40] = 0;
		fprintf(stderr, "%s[ndisrt run] [%s] %5.1f%%  %llu / %llu interrupts  %.0f s%s",
			tty ? "\r" : "", bar, f > 1 ? 100.0 : f * 100, (unsigned long long)taken,
			(unsigned long long)r->o.interrupts, (double)(t - start) / 1e9,
			tty && !last ? "" : "\n");
		fflush(stderr);
		return;
	}
	next = t + (tty ? 250000000ull : 1000000000ull);
	for (unsigned i = 0; i < r->o.nics; i++)
		received += atomic_load(&r->nic[i].rx_frames);
	fprintf(stderr, "%s[ndisrt run] %5.1f s  offered %10llu  received %10llu%s",
		tty ? "\r" : "", (double)(t - start) / 1e9, (unsigned long long)offered,
		(unsigned long long)received, tty && !last ? "" : "\n");
	fflush(stderr);
}

/* ------------------------------------------------------------- sending */

/* The clock --seconds and the drain bounds count on: the engine's (virtual
 * time under sim, so that a stuck run ends as fast as a good one). */
static uint64_t traffic_ns(const struct run_state *r)
{
	return r->o.sim ? ke_clock_ns(r->m) : now_ns();
}

static uint64_t in_flight(struct ndisrt_nic *n)
{
	struct ndisrt_nic_stats s;

	ndisrt_nic_get_stats(n, &s);
	return s.sent - s.send_completed - s.send_failed;
}

/* Wait (bounded) until @n has fewer than @limit sends in flight. */
static bool wait_in_flight(struct run_state *r, struct ndisrt_nic *n, uint64_t limit)
{
	uint64_t deadline = traffic_ns(r) + RUN_DRAIN_NS;

	while (in_flight(n) >= limit) {
		if (traffic_ns(r) > deadline)
			return false;
		ke_yield();
	}
	return true;
}

static void send_batch(struct run_state *r, struct run_nic *rn, unsigned vcpu, unsigned count)
{
	static uint8_t buf[RUN_BATCH][1600];
	const void *frames[RUN_BATCH];
	size_t lens[RUN_BATCH];
	struct wire_gen_config g;

	run_gen_config(r, rn->peer, &g);
	memcpy(g.src_mac, rn->mac, 6);
	for (unsigned k = 0; k < count; k++) {
		/* Alternate IPv4 and IPv6, TCP, over the flows. */
		g.family = (rn->gen_index / g.flows) % 2 ? 6 : 4;
		lens[k] = wire_gen_frame(&g, rn->gen_index++, buf[k], sizeof(buf[k]));
		frames[k] = buf[k];
	}
	ndisrt_nic_send(rn->n, vcpu, frames, lens, count);
}

static void run_pair_traffic(struct run_state *r, uint64_t start)
{
	uint64_t want = r->o.frames, offered = 0;
	uint64_t end = traffic_ns(r) + (uint64_t)(r->o.seconds * 1e9);
	unsigned batch = 0;

	for (;;) {
		if ((want && offered >= want) || (time_bounded(r) && traffic_ns(r) >= end))
			break;
		if (r->o.interrupts && batch % 16 == 0 &&
		    run_interrupts_taken(r) >= r->o.interrupts)
			break;
		for (unsigned i = 0; i < r->o.nics; i++) {
			struct run_nic *rn = &r->nic[i];
			unsigned count = RUN_BATCH;

			if (!rn->sender || atomic_load(&rn->removed))
				continue;
			if (want && want - offered < count)
				count = (unsigned)(want - offered);
			if (!count)
				break;
			if (!wait_in_flight(r, rn->n, RUN_MAX_IN_FLIGHT)) {
				r->drain_timeout = true;
				snprintf(r->drain_msg, sizeof(r->drain_msg),
					 "NIC %u: the driver completed no send for 20 s "
					 "(%llu in flight)",
					 i, (unsigned long long)in_flight(rn->n));
				return;
			}
			send_batch(r, rn, batch++ % r->o.cpus, count);
			offered += count;
		}
		progress(r, start, offered, false);
	}
	progress(r, start, offered, true);
}

static void run_source_traffic(struct run_state *r, uint64_t start)
{
	/* A paced source takes about frames / rate (a replay, its capture's
	 * length): it gets a minute more; with --seconds given it stops then. */
	uint64_t paced = (uint64_t)((double)frames_wanted(r) / RUN_GEN_PPS * 1e9);
	uint64_t end = start + (r->o.seconds_given ? (uint64_t)(r->o.seconds * 1e9)
						   : paced + 60ull * 1000000000ull);
	bool done = false;

	for (unsigned i = 0; i < r->nr_wires; i++)
		wire_source_start(r->wire[i]);
	while (!done && now_ns() < end) {
		uint64_t offered = 0;

		done = true;
		for (unsigned i = 0; i < r->nr_wires; i++) {
			offered += wire_source_sent(r->wire[i]);
			done = done && wire_source_wait(r->wire[i], 1) == 0;
		}
		progress(r, start, offered, false);
		if (!done)
			ke_yield();
	}
	for (unsigned i = 0; i < r->nr_wires; i++)
		wire_source_stop(r->wire[i]);
	progress(r, start, 0, true);
}

/* ------------------------------------------------------------ draining */

/* Frames that reached @rn's device and are not yet indicated or dropped. */
static uint64_t rx_pending(struct run_nic *rn)
{
	struct run_dev_stats vs;

	/* A removed NIC indicates nothing more: what it held is destroyed. */
	if (atomic_load(&rn->removed))
		return 0;
	run_dev_stats(rn->dev, &vs);
	return vs.rx_accepted - atomic_load(&rn->rx_frames);
}

static void drain(struct run_state *r)
{
	uint64_t deadline = traffic_ns(r) + RUN_DRAIN_NS;

	for (unsigned i = 0; i < r->o.nics; i++) {
		struct run_nic *rn = &r->nic[i];

		while ((rn->sender && in_flight(rn->n)) || rx_pending(rn)) {
			if (traffic_ns(r) > deadline) {
				r->drain_timeout = true;
				snprintf(r->drain_msg, sizeof(r->drain_msg),
					 "NIC %u: after 20 s, %llu sends still not completed and "
					 "%llu received frames still not indicated",
					 i, (unsigned long long)(rn->sender ? in_flight(rn->n) : 0),
					 (unsigned long long)rx_pending(rn));
				return;
			}
			ke_yield();
		}
	}
	ke_machine_quiesce(r->m, 20000);
}

void run_traffic(struct run_state *r)
{
	uint64_t start = now_ns();

	run_faults_start(r);
	if (r->o.wire == RUN_WIRE_PAIR)
		run_pair_traffic(r, start);
	else
		run_source_traffic(r, start);
	run_faults_stop(r);
	r->elapsed_s = (double)(now_ns() - start) / 1e9;
	if (!r->drain_timeout)
		drain(r);
}

/* ----------------------------------------------------------- collection */

void run_dev_stats(struct hw_device *dev, struct run_dev_stats *out)
{
	struct hw_stat st[256];
	size_t n = dev->ops->stats(dev, st, sizeof(st) / sizeof(st[0]));

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n && i < sizeof(st) / sizeof(st[0]); i++) {
		if (!strcmp(st[i].name, "rx_offered"))
			out->rx_offered = st[i].value;
		else if (!strcmp(st[i].name, "rx_accepted"))
			out->rx_accepted = st[i].value;
		else if (!strcmp(st[i].name, "tx_sent"))
			out->tx_sent = st[i].value;
		else if (!strcmp(st[i].name, "tx_dropped"))
			out->tx_dropped = st[i].value;
		else if (!strcmp(st[i].name, "tx_dma_fault"))
			out->tx_dma_fault = st[i].value;
	}
}

void run_collect(struct run_state *r)
{
	unsigned cpus = r->o.cpus;

	for (unsigned i = 0; i < r->o.nics; i++) {
		struct run_nic *rn = &r->nic[i];
		struct ndisrt_adapter *a = ndisrt_nic_adapter(rn->n);

		ndisrt_nic_get_stats(rn->n, &rn->st);
		run_dev_stats(rn->dev, &rn->vs);
		if (r->o.wire != RUN_WIRE_PAIR)
			rn->source_sent = wire_source_sent(r->wire[i]);
		rn->nr_messages = r->o.irq == RUN_IRQ_MSIX ? r->msix_messages : 1;
		for (unsigned m = 0; m < rn->nr_messages && m < NDISRT_MAX_MESSAGES; m++) {
			for (unsigned v = 0; v < cpus; v++) {
				struct ndisrt_interrupt_counters c;

				if (ndisrt_adapter_counters(a, m, v, &c))
					continue;
				rn->msg[m].isrs += c.isrs;
				rn->msg[m].dpcs += c.dpcs;
				rn->msg[m].dpc_reruns += c.dpc_reruns;
				rn->msg[m].syncs += c.syncs;
				rn->msg[m].dpc_requests += c.dpc_requests;
				rn->msg[m].dpc_already_queued += c.dpc_already_queued;
				r->vcpu[v].ctr.isrs += c.isrs;
				r->vcpu[v].ctr.dpcs += c.dpcs;
				r->vcpu[v].ctr.dpc_reruns += c.dpc_reruns;
				r->vcpu[v].ctr.syncs += c.syncs;
			}
		}
	}
	if (r->cap)
		wire_capture_get_stats(r->cap, &r->cap_stats);
	run_collect_interrupts(r);
	run_faults_collect(r);
}

/*
 * The two ends of every interrupt: what the devices requested (the
 * controller counts each MSI write it decoded and each vector request a line
 * made: an assertion that found no request in service, a re-assertion at
 * end-of-interrupt, an injected pulse) and
 * what the vCPUs took (ISR chains run).
 */
void run_collect_interrupts(struct run_state *r)
{
	struct intc_stats is;

	intc_get_stats(r->ic, &is);
	r->irq_msi = is.msi_delivered;
	r->irq_merged = is.msi_merged;
	r->irq_line = 0;
	for (unsigned i = 0; i < r->o.nics; i++) {
		struct intc_line_stats ls;

		if (!r->nic[i].line)
			continue;
		intc_line_get_stats(r->nic[i].line, &ls);
		r->irq_line += ls.requests;
		r->irq_merged += ls.merged;
	}
	r->irq_taken = r->irq_isr_calls = r->irq_claimed = 0;
	for (unsigned v = 0; v < r->o.cpus; v++) {
		struct ke_vcpu_stats st;

		ke_vcpu_get_stats(ke_machine_vcpu(r->m, v), &st);
		r->irq_taken += st.interrupts;
		r->irq_isr_calls += st.isr_calls;
		r->irq_claimed += st.isr_claimed;
	}
}
