/* SPDX-License-Identifier: MIT */
/*
 * tools/run_report.c - `ndisrt run`: latency histograms, the conservation
 * check, and the report (text on stdout, JSON on request).
 */
#include "tools/run.h"
#include "verifier/vfy.h"
#include "verifier/watchdog.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ----------------------------------------------------------- histograms */

/*
 * The latency figures come from ke's per-vCPU histograms, kept without a
 * hook (docs/performance.md, "What the run's latency figures measure").
 */
void run_collect_ke(struct run_state *r)
{
	struct ke_hist h;

	memset(&r->isr_latency, 0, sizeof(r->isr_latency));
	memset(&r->dpc_duration, 0, sizeof(r->dpc_duration));
	memset(&r->ke_total, 0, sizeof(r->ke_total));
	for (unsigned v = 0; v < r->o.cpus; v++) {
		struct ke_vcpu *vc = ke_machine_vcpu(r->m, v);
		struct ke_vcpu_stats s;

		ke_vcpu_get_stats(vc, &s);
		r->ke_total.interrupts += s.interrupts;
		r->ke_total.signals_sent += s.signals_sent;
		r->ke_total.posted += s.posted;
		r->ke_total.wakeups += s.wakeups;

		ke_vcpu_get_hist(vc, KE_HIST_INTERRUPT_LATENCY, &h);
		ke_hist_merge(&r->isr_latency, &h);
		ke_vcpu_get_hist(vc, KE_HIST_DPC_DURATION, &h);
		ke_hist_merge(&r->dpc_duration, &h);
		ke_vcpu_get_us_hist(vc, KE_ROUTINE_ISR, r->isr_us[v]);
		ke_vcpu_get_us_hist(vc, KE_ROUTINE_DPC, r->dpc_us[v]);
	}
	/* Per message: the interrupt object's own histograms (ke charges each
	 * DPC to the ISR that queued it). */
	for (unsigned i = 0; i < r->o.nics; i++) {
		struct run_nic *rn = &r->nic[i];
		struct ndisrt_adapter *a = rn->n ? ndisrt_nic_adapter(rn->n) : NULL;

		rn->has_us = false;
		for (unsigned m = 0; a && m < rn->nr_messages && m < NDISRT_MAX_MESSAGES; m++) {
			struct ke_interrupt *ki = ndisrt_adapter_ke_interrupt(a, m);

			if (!ki)
				break;
			rn->has_us = true;
			rn->msg_vector[m] = ki->vector;
			ke_us_hist_read(&ki->isr_us, rn->msg_isr_us[m]);
			ke_us_hist_read(&ki->dpc_us, rn->msg_dpc_us[m]);
		}
	}
}

/* ------------------------------------------------- xperf-style histograms */

/* The highest bucket any row uses, + 1 (at least 4: 0-1 .. 4-8 µs). */
static unsigned us_columns(const struct run_state *r)
{
	unsigned cols = 4;

	for (unsigned v = 0; v < r->o.cpus; v++)
		for (unsigned b = 0; b < KE_US_BUCKETS; b++)
			if ((r->isr_us[v][b] || r->dpc_us[v][b]) && b + 1 > cols)
				cols = b + 1;
	return cols;
}

/* Bucket @b's range in µs: "0-1", "1-2", ..., ">=4194304" for the last. */
static void us_label(unsigned b, char *buf, size_t len)
{
	if (b == KE_US_BUCKETS - 1)
		snprintf(buf, len, ">=%llu", 1ull << (b - 1));
	else if (b == 0)
		snprintf(buf, len, "0-1");
	else
		snprintf(buf, len, "%llu-%llu", 1ull << (b - 1), 1ull << b);
}

static void us_row(FILE *f, const char *what, const uint64_t *h, unsigned cols)
{
	uint64_t n = 0;

	for (unsigned b = 0; b < KE_US_BUCKETS; b++)
		n += h[b];
	fprintf(f, "  %-20s", what);
	for (unsigned b = 0; b < cols; b++)
		fprintf(f, " %10llu", (unsigned long long)h[b]);
	fprintf(f, " %10llu\n", (unsigned long long)n);
}

static void print_us_hists(FILE *f, const struct run_state *r)
{
	unsigned cols = us_columns(r);
	char label[64];

	fprintf(f, "\nISR/DPC durations (count per µs bucket, as xperf's DPC/ISR report)\n");
	fprintf(f, "  %-20s", "");
	for (unsigned b = 0; b < cols; b++) {
		us_label(b, label, sizeof(label));
		fprintf(f, " %10s", label);
	}
	fprintf(f, " %10s\n", "total");
	for (unsigned v = 0; v < r->o.cpus; v++) {
		snprintf(label, sizeof(label), "ISR vCPU %u", v);
		us_row(f, label, r->isr_us[v], cols);
		snprintf(label, sizeof(label), "DPC vCPU %u", v);
		us_row(f, label, r->dpc_us[v], cols);
	}
	for (unsigned i = 0; i < r->o.nics; i++) {
		const struct run_nic *rn = &r->nic[i];

		for (unsigned m = 0; rn->has_us && m < rn->nr_messages; m++) {
			if (!rn->msg[m].isrs)
				continue; /* a message that never interrupted */
			snprintf(label, sizeof(label), "ISR NIC %u msg %u", i, m);
			us_row(f, label, rn->msg_isr_us[m], cols);
			snprintf(label, sizeof(label), "DPC NIC %u msg %u", i, m);
			us_row(f, label, rn->msg_dpc_us[m], cols);
		}
	}
}

static void json_us(FILE *f, const uint64_t *h)
{
	fputc('[', f);
	for (unsigned b = 0; b < KE_US_BUCKETS; b++)
		fprintf(f, "%s%llu", b ? ", " : "", (unsigned long long)h[b]);
	fputc(']', f);
}

static void print_us_json(FILE *f, const struct run_state *r)
{
	bool first = true;

	fprintf(f, " \"durations_us\": {\"bucket_lower_us\": [");
	for (unsigned b = 0; b < KE_US_BUCKETS; b++)
		fprintf(f, "%s%llu", b ? ", " : "", b ? 1ull << (b - 1) : 0ull);
	fprintf(f, "],\n  \"vcpus\": [");
	for (unsigned v = 0; v < r->o.cpus; v++) {
		fprintf(f, "%s{\"vcpu\": %u, \"isr\": ", v ? ",\n   " : "", v);
		json_us(f, r->isr_us[v]);
		fprintf(f, ", \"dpc\": ");
		json_us(f, r->dpc_us[v]);
		fputc('}', f);
	}
	fprintf(f, "],\n  \"messages\": [");
	for (unsigned i = 0; i < r->o.nics; i++)
		for (unsigned m = 0; r->nic[i].has_us && m < r->nic[i].nr_messages; m++) {
			fprintf(f, "%s{\"nic\": %u, \"message\": %u, \"vector\": %u, \"isr\": ",
				first ? "" : ",\n   ", i, m, r->nic[i].msg_vector[m]);
			json_us(f, r->nic[i].msg_isr_us[m]);
			fprintf(f, ", \"dpc\": ");
			json_us(f, r->nic[i].msg_dpc_us[m]);
			fputc('}', f);
			first = false;
		}
	fprintf(f, "]},\n");
}

/* @num / @den, 0 when nothing was counted. */
static double ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : 0.0;
}

/* --------------------------------------------------------- conservation */

struct tally {
	uint64_t offered;     /* handed to a driver's send, or sent by a source */
	uint64_t received;    /* indicated by a receiving driver */
	uint64_t drop_driver; /* sends the driver completed with an error */
	uint64_t drop_tx_dev; /* transmitting device: link down, no wire, bad descriptor, DMA */
	uint64_t drop_rx_dev; /* receiving device: no descriptor, filtered, link down, ... */
	uint64_t lost_tx;     /* accepted by a sending driver, never completed or sent */
	uint64_t lost_rx;     /* accepted by a receiving device, never indicated */
	uint64_t destroyed;   /* --fault surprise-remove: held by or sent to a removed NIC */
};

static void tally_rx(const struct run_nic *rn, struct tally *t)
{
	uint64_t indicated = atomic_load(&rn->rx_frames);

	if (atomic_load(&rn->removed)) {
		/* Drops before the removal are the device's; from the removal on,
		 * every frame offered to it and every frame it had accepted but
		 * the driver had not indicated is destroyed by the fault. */
		const struct run_dev_stats *a = &rn->at_removal;

		t->received += indicated;
		t->drop_rx_dev += a->rx_offered - a->rx_accepted;
		t->destroyed +=
		    (rn->vs.rx_offered - a->rx_offered) - (rn->vs.rx_accepted - a->rx_accepted);
		if (rn->vs.rx_accepted > indicated)
			t->destroyed += rn->vs.rx_accepted - indicated;
		return;
	}
	t->received += atomic_load(&rn->rx_frames);
	t->drop_rx_dev += rn->vs.rx_offered - rn->vs.rx_accepted;
	if (rn->vs.rx_accepted > atomic_load(&rn->rx_frames))
		t->lost_rx += rn->vs.rx_accepted - atomic_load(&rn->rx_frames);
}

static void tally(const struct run_state *r, struct tally *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < r->o.nics; i++) {
		const struct run_nic *rn = &r->nic[i];

		if (r->o.wire != RUN_WIRE_PAIR) {
			t->offered += rn->source_sent;
			tally_rx(rn, t);
			continue;
		}
		if (!rn->sender)
			continue;
		const struct run_dev_stats *vs = &rn->vs;
		uint64_t dev_drops = vs->tx_dropped;
		uint64_t accounted = rn->st.send_failed + dev_drops + vs->tx_sent;

		t->offered += rn->st.sent;
		t->drop_driver += rn->st.send_failed;
		t->drop_tx_dev += dev_drops;
		if (rn->st.sent > accounted)
			t->lost_tx += rn->st.sent - accounted;
		tally_rx(&r->nic[rn->peer], t);
	}
}

static uint64_t dropped(const struct tally *t)
{
	return t->drop_driver + t->drop_tx_dev + t->drop_rx_dev;
}

static bool conserved(const struct tally *t)
{
	return t->offered == t->received + dropped(t) + t->destroyed;
}

/* Interrupts the devices requested that no vCPU took, and the reverse. */
static uint64_t irq_requested(const struct run_state *r)
{
	return r->irq_msi + r->irq_line;
}

/* Every request is an interrupt taken, or merged into one that was pending. */
static uint64_t irq_accounted(const struct run_state *r)
{
	return r->irq_taken + r->irq_merged;
}

static uint64_t irq_lost(const struct run_state *r)
{
	return irq_requested(r) > irq_accounted(r) ? irq_requested(r) - irq_accounted(r) : 0;
}

static uint64_t irq_duplicated(const struct run_state *r)
{
	return irq_accounted(r) > irq_requested(r) ? irq_accounted(r) - irq_requested(r) : 0;
}

/* --------------------------------------------------------------- text */

static const char *irq_name(const struct run_state *r)
{
	static char buf[32];

	if (r->o.irq == RUN_IRQ_LINE)
		return r->o.shared_line && r->o.nics > 1
			   ? "line-based (INTx), one line shared by every NIC"
			   : "line-based (INTx)";
	if (r->o.irq == RUN_IRQ_MSI)
		return "MSI (1 message)";
	snprintf(buf, sizeof(buf), "MSI-X (%u messages)", r->msix_messages);
	return buf;
}

static void us(FILE *f, uint64_t ns)
{
	fprintf(f, "%9.1f", (double)ns / 1000.0);
}

static void print_latency(FILE *f, const char *what, const struct ke_hist *h)
{
	fprintf(f, "  %-22s", what);
	us(f, ke_hist_quantile(h, 0.5));
	us(f, ke_hist_quantile(h, 0.99));
	us(f, h->max);
	fprintf(f, "   (%llu samples)\n", (unsigned long long)h->n);
}

/* "VN-1" for the default model (the header as it always was); else the --device list. */
static const char *device_label(const struct run_state *r, char *buf, size_t len)
{
	size_t at = 0;

	if (r->o.nr_devices == 1 && !strcmp(r->o.device[0], "vn1"))
		return "VN-1";
	buf[0] = 0;
	for (unsigned i = 0; i < r->o.nr_devices && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? "," : "", r->o.device[i]);
	return buf;
}

static void print_faults(FILE *f, const struct run_state *r, const struct tally *t)
{
	if (!r->o.nr_faults)
		return;
	fprintf(f, "Faults injected (--fault, seed %llu)\n", (unsigned long long)r->o.seed);
	for (unsigned i = 0; i < r->o.nr_faults; i++) {
		int kind = r->o.fault[i].kind;

		fprintf(f, "  %-16s %s %-9llu injected %llu", hw_fault_name((enum hw_fault)kind),
			kind == HW_FAULT_SURPRISE_REMOVE ? "after" : "every",
			(unsigned long long)r->o.fault[i].every,
			(unsigned long long)r->fault[i].injected);
		if (r->fault[i].refused)
			fprintf(f, "   refused by the device %llu",
				(unsigned long long)r->fault[i].refused);
		if (kind == HW_FAULT_DROP_MSG)
			fprintf(f, "   signals the devices dropped %llu",
				(unsigned long long)r->signals_dropped);
		if (kind == HW_FAULT_DMA_ERROR)
			fprintf(f, "   descriptor fetches that faulted %llu",
				(unsigned long long)r->dma_faults_fired);
		if (kind == HW_FAULT_DMA_WRITEBACK_DELAY)
			fprintf(f, "   receive write-backs delayed %llu",
				(unsigned long long)r->wb_delayed);
		if (kind == HW_FAULT_SURPRISE_REMOVE && r->fault[i].injected) {
			const struct run_nic *rn = NULL;

			for (unsigned n = 0; n < r->o.nics; n++)
				if (atomic_load(&r->nic[n].removed))
					rn = &r->nic[n];
			if (rn)
				fprintf(
				    f,
				    "   NIC %u gone after %llu interrupts; %llu frames destroyed",
				    (unsigned)(rn - r->nic),
				    (unsigned long long)rn->at_removal_taken,
				    (unsigned long long)t->destroyed);
		}
		fputc('\n', f);
	}
	if (r->faults_not_started)
		fprintf(f, "  (the injector thread could not be started: nothing was injected)\n");
	fputc('\n', f);
}

static void print_text(FILE *f, const struct run_state *r, const struct tally *t, bool ok,
		       const char *why)
{
	char label[128];

	uint64_t rss = 0, rss_bad = 0, rss_off = 0, links = 0, max_one = 0;
	uint64_t over_limit = 0, more_idle = 0;
	unsigned rss_refused = 0;

	fprintf(f,
		"\nndisrt run: %s (NDIS %u.%u), %u %s NIC%s, %u vCPU%s, %s, wire %s, "
		"%.1f s\n\n",
		r->o.driver, r->drv_major, r->drv_minor, r->o.nics,
		device_label(r, label, sizeof(label)), r->o.nics > 1 ? "s" : "", r->o.cpus,
		r->o.cpus > 1 ? "s" : "", irq_name(r),
		r->o.wire == RUN_WIRE_PAIR  ? "pair"
		: r->o.wire == RUN_WIRE_GEN ? "gen"
					    : "pcap",
		r->elapsed_s);
	fprintf(f, "Frames\n");
	fprintf(f,
		"  offered %llu   received %llu   dropped %llu  (driver %llu, sending NIC "
		"%llu, receiving NIC %llu)\n",
		(unsigned long long)t->offered, (unsigned long long)t->received,
		(unsigned long long)dropped(t), (unsigned long long)t->drop_driver,
		(unsigned long long)t->drop_tx_dev, (unsigned long long)t->drop_rx_dev);
	if (t->destroyed || r->o.nr_faults)
		fprintf(f, "  destroyed by a fault %llu\n", (unsigned long long)t->destroyed);
	fprintf(f, "  conservation: %s\n",
		!conserved(t)  ? "FAILS"
		: t->destroyed ? "holds (offered = received + dropped + destroyed by a fault)"
			       : "holds (offered = received + dropped)");
	fprintf(f, "  rate: %.0f frames/s received\n",
		r->elapsed_s > 0 ? (double)t->received / r->elapsed_s : 0.0);
	fprintf(f,
		"  interrupts: %.3f per frame (%llu); signals: %.3f per interrupt (%llu sent, "
		"%llu taken without one, %llu wakeups)\n\n",
		ratio(r->ke_total.interrupts, t->received),
		(unsigned long long)r->ke_total.interrupts,
		ratio(r->ke_total.signals_sent, r->ke_total.interrupts),
		(unsigned long long)r->ke_total.signals_sent,
		(unsigned long long)r->ke_total.posted, (unsigned long long)r->ke_total.wakeups);
	print_faults(f, r, t);
	fprintf(f, "Interrupts\n");
	fprintf(f,
		"  requested by the devices %llu (MSI writes %llu, line requests %llu)   taken "
		"by the vCPUs %llu (ISR calls %llu, claimed %llu), merged into a pending one "
		"%llu\n",
		(unsigned long long)irq_requested(r), (unsigned long long)r->irq_msi,
		(unsigned long long)r->irq_line, (unsigned long long)r->irq_taken,
		(unsigned long long)r->irq_isr_calls, (unsigned long long)r->irq_claimed,
		(unsigned long long)r->irq_merged);
	fprintf(f, "  lost %llu   duplicated %llu%s\n\n", (unsigned long long)irq_lost(r),
		(unsigned long long)irq_duplicated(r),
		r->o.interrupts ? "" : "  (a verdict with --interrupts)");
	fprintf(f, "Per vCPU      %12s %12s %10s %10s %14s\n", "ISRs", "DPCs", "re-runs", "syncs",
		"frames indic.");
	for (unsigned v = 0; v < r->o.cpus; v++)
		fprintf(f, "  vCPU %-6u %12llu %12llu %10llu %10llu %14lu\n", v,
			(unsigned long long)r->vcpu[v].ctr.isrs,
			(unsigned long long)r->vcpu[v].ctr.dpcs,
			(unsigned long long)r->vcpu[v].ctr.dpc_reruns,
			(unsigned long long)r->vcpu[v].ctr.syncs, atomic_load(&r->vcpu[v].frames));
	fprintf(f, "\nPer message   %12s %12s %10s %10s %14s %10s\n", "ISRs", "DPCs", "re-runs",
		"syncs", "DPC requests", "dup.");
	for (unsigned i = 0; i < r->o.nics; i++) {
		const struct run_nic *rn = &r->nic[i];

		for (unsigned m = 0; m < rn->nr_messages; m++)
			fprintf(f, "  NIC %u msg %-2u %12llu %12llu %10llu %10llu %14llu %10llu\n",
				i, m, (unsigned long long)rn->msg[m].isrs,
				(unsigned long long)rn->msg[m].dpcs,
				(unsigned long long)rn->msg[m].dpc_reruns,
				(unsigned long long)rn->msg[m].syncs,
				(unsigned long long)rn->msg[m].dpc_requests,
				(unsigned long long)rn->msg[m].dpc_already_queued);
		rss += atomic_load(&rn->rss_frames);
		rss_bad += atomic_load(&rn->rss_bad_hash);
		rss_refused += rn->rss_status != 0;
		rss_off += atomic_load(&rn->rss_off_cpu);
		links += atomic_load(&rn->status_indications);
		if (rn->st.max_nbls_one_dpc > max_one)
			max_one = rn->st.max_nbls_one_dpc;
		over_limit += rn->st.throttle_exceeded;
		more_idle += rn->st.more_pending_idle;
	}
	fprintf(f, "\nLatency (µs)  %19s %9s %9s\n", "p50", "p99", "max");
	print_latency(f, "interrupt -> ISR", &r->isr_latency);
	print_latency(f, "DPC duration", &r->dpc_duration);
	print_us_hists(f, r);
	if (r->watchdog_on) {
		const struct vfy_watchdog_counts *w = &r->wd;

		/* Microsoft's guidance: counted, never a failure (docs/verifier.md). */
		fprintf(f,
			"Guidance (warnings, not failures): %llu of %llu ISRs over 25 µs (max "
			"%.1f), %llu of %llu DPCs over 100 µs (max %.1f), ",
			(unsigned long long)w->isr_over, (unsigned long long)w->isrs,
			(double)w->isr_max_ns / 1000.0, (unsigned long long)w->dpc_over,
			(unsigned long long)w->dpcs, (double)w->dpc_max_ns / 1000.0);
		if (w->hold_warn_ns)
			fprintf(f, "%llu of %llu spin-lock holds over %llu µs (max %.1f)\n",
				(unsigned long long)w->hold_over, (unsigned long long)w->holds,
				(unsigned long long)(w->hold_warn_ns / 1000),
				(double)w->hold_max_ns / 1000.0);
		else
			fprintf(f,
				"spin-lock holds not timed (--watchdog hold-us=25 times them)\n");
	}
	if (rss_refused == r->o.nics)
		fprintf(f,
			"\nRSS: off (the driver answered OID_GEN_RECEIVE_SCALE_PARAMETERS with "
			"0x%08x)\n",
			r->nic[0].rss_status);
	else if (r->o.irq != RUN_IRQ_MSIX)
		fprintf(f,
			"\nRSS: %llu frames hashed, %llu with a wrong hash; placement not "
			"checked (one interrupt: one receive queue)\n",
			(unsigned long long)rss, (unsigned long long)rss_bad);
	else
		fprintf(f,
			"\nRSS: %llu frames hashed, %llu with a wrong hash, %llu on another vCPU "
			"than hash -> table -> processor predicts%s\n",
			(unsigned long long)rss, (unsigned long long)rss_bad,
			(unsigned long long)rss_off,
			rss_refused ? " (NICs whose driver refused RSS not counted)" : "");
	if (r->drv_major < 6)
		fprintf(f,
			"Throttle: none (NDIS %u.%u: MiniportHandleInterrupt has no "
			"MaxNblsToIndicate)\n",
			r->drv_major, r->drv_minor);
	else if (r->o.max_nbls == 0xFFFFFFFFu)
		fprintf(f, "Throttle: MaxNblsToIndicate = all; most NBLs in one DPC: %llu\n",
			(unsigned long long)max_one);
	else
		fprintf(f, "Throttle: MaxNblsToIndicate = %u; most NBLs in one DPC: %llu\n",
			r->o.max_nbls, (unsigned long long)max_one);
	/* I9 warnings: counted, not a failure (docs/verifier.md). */
	if (over_limit || more_idle)
		fprintf(
		    f,
		    "Throttle warnings (rule I9, not failures): %llu DPC call(s) indicated more "
		    "than MaxNblsToIndicate, %llu set MoreNblsPending having indicated nothing\n",
		    (unsigned long long)over_limit, (unsigned long long)more_idle);
	fprintf(f, "Status indications: %llu\n", (unsigned long long)links);
	if (r->cap && r->output_failed)
		fprintf(f,
			"Capture: writing %s failed (%llu frames queued; the file is incomplete)\n",
			r->o.capture, (unsigned long long)r->cap_stats.queued);
	else if (r->cap)
		fprintf(f, "Capture: %llu frames written to %s\n",
			(unsigned long long)r->cap_stats.written, r->o.capture);
	fprintf(f, "\nResult: %s%s%s\n", ok ? "OK" : "FAILED", ok ? "" : " - ", ok ? "" : why);
}

/* --------------------------------------------------------------- JSON */

/* @s as a JSON string's contents (quotes, backslashes and controls escaped). */
static void json_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

static void print_json(FILE *f, const struct run_state *r, const struct tally *t, bool ok,
		       const char *why)
{
	fprintf(f, "{\"driver\": \"");
	json_str(f, r->o.driver);
	fprintf(f,
		"\", \"ndis_version\": \"%u.%u\", \"cpus\": %u, \"nics\": %u, "
		"\"irq\": \"%s\", \"messages\": %u, \"seconds\": %.3f,\n",
		r->drv_major, r->drv_minor, r->o.cpus, r->o.nics,
		r->o.irq == RUN_IRQ_LINE  ? "line"
		: r->o.irq == RUN_IRQ_MSI ? "msi"
					  : "msix",
		r->o.irq == RUN_IRQ_MSIX ? r->msix_messages : 1, r->elapsed_s);
	fprintf(f,
		" \"frames\": {\"offered\": %llu, \"received\": %llu, \"dropped\": %llu, "
		"\"dropped_driver\": %llu, \"dropped_tx_nic\": %llu, \"dropped_rx_nic\": %llu, "
		"\"lost\": %llu, \"destroyed_by_fault\": %llu, \"conservation\": %s},\n",
		(unsigned long long)t->offered, (unsigned long long)t->received,
		(unsigned long long)dropped(t), (unsigned long long)t->drop_driver,
		(unsigned long long)t->drop_tx_dev, (unsigned long long)t->drop_rx_dev,
		(unsigned long long)(t->lost_tx + t->lost_rx), (unsigned long long)t->destroyed,
		conserved(t) ? "true" : "false");
	fprintf(f, " \"faults\": [");
	for (unsigned i = 0; i < r->o.nr_faults; i++)
		fprintf(f,
			"%s{\"kind\": \"%s\", \"every\": %llu, \"injected\": %llu, "
			"\"refused\": %llu}",
			i ? ", " : "", hw_fault_name((enum hw_fault)r->o.fault[i].kind),
			(unsigned long long)r->o.fault[i].every,
			(unsigned long long)r->fault[i].injected,
			(unsigned long long)r->fault[i].refused);
	fprintf(f,
		"],\n \"fault_effects\": {\"signals_dropped\": %llu, \"dma_faults\": %llu, "
		"\"writebacks_delayed\": %llu, \"destroyed_by_fault\": %llu},\n",
		(unsigned long long)r->signals_dropped, (unsigned long long)r->dma_faults_fired,
		(unsigned long long)r->wb_delayed, (unsigned long long)t->destroyed);
	fprintf(f,
		" \"interrupts\": {\"requested\": %llu, \"msi_writes\": %llu, "
		"\"line_requests\": %llu, \"taken\": %llu, \"merged\": %llu, \"isr_calls\": %llu, "
		"\"claimed\": %llu, \"lost\": %llu, \"duplicated\": %llu},\n",
		(unsigned long long)irq_requested(r), (unsigned long long)r->irq_msi,
		(unsigned long long)r->irq_line, (unsigned long long)r->irq_taken,
		(unsigned long long)r->irq_merged, (unsigned long long)r->irq_isr_calls,
		(unsigned long long)r->irq_claimed, (unsigned long long)irq_lost(r),
		(unsigned long long)irq_duplicated(r));
	fprintf(f, " \"vcpus\": [");
	for (unsigned v = 0; v < r->o.cpus; v++)
		fprintf(f,
			"%s{\"vcpu\": %u, \"isrs\": %llu, \"dpcs\": %llu, \"dpc_reruns\": %llu, "
			"\"syncs\": %llu, \"frames_indicated\": %lu}",
			v ? ", " : "", v, (unsigned long long)r->vcpu[v].ctr.isrs,
			(unsigned long long)r->vcpu[v].ctr.dpcs,
			(unsigned long long)r->vcpu[v].ctr.dpc_reruns,
			(unsigned long long)r->vcpu[v].ctr.syncs, atomic_load(&r->vcpu[v].frames));
	fprintf(f, "],\n \"messages\": [");
	bool first = true;

	for (unsigned i = 0; i < r->o.nics; i++)
		for (unsigned m = 0; m < r->nic[i].nr_messages; m++, first = false)
			fprintf(f,
				"%s{\"nic\": %u, \"message\": %u, \"isrs\": %llu, \"dpcs\": %llu, "
				"\"dpc_reruns\": %llu, \"syncs\": %llu}",
				first ? "" : ", ", i, m, (unsigned long long)r->nic[i].msg[m].isrs,
				(unsigned long long)r->nic[i].msg[m].dpcs,
				(unsigned long long)r->nic[i].msg[m].dpc_reruns,
				(unsigned long long)r->nic[i].msg[m].syncs);
	fprintf(f,
		"],\n \"latency_ns\": {\"isr\": {\"p50\": %llu, \"p99\": %llu, \"max\": %llu}, "
		"\"dpc\": {\"p50\": %llu, \"p99\": %llu, \"max\": %llu}},\n",
		(unsigned long long)ke_hist_quantile(&r->isr_latency, 0.5),
		(unsigned long long)ke_hist_quantile(&r->isr_latency, 0.99),
		(unsigned long long)r->isr_latency.max,
		(unsigned long long)ke_hist_quantile(&r->dpc_duration, 0.5),
		(unsigned long long)ke_hist_quantile(&r->dpc_duration, 0.99),
		(unsigned long long)r->dpc_duration.max);
	print_us_json(f, r);
	uint64_t max_one = 0, rss_off = 0, rss = 0, over_limit = 0, more_idle = 0;
	unsigned rss_nics = 0;

	for (unsigned i = 0; i < r->o.nics; i++) {
		rss_nics += r->nic[i].rss_status == 0;
		if (r->nic[i].st.max_nbls_one_dpc > max_one)
			max_one = r->nic[i].st.max_nbls_one_dpc;
		rss_off += atomic_load(&r->nic[i].rss_off_cpu);
		rss += atomic_load(&r->nic[i].rss_frames);
		over_limit += r->nic[i].st.throttle_exceeded;
		more_idle += r->nic[i].st.more_pending_idle;
	}
	fprintf(f,
		" \"throttle_warnings\": {\"over_max_nbls\": %llu, \"more_pending_idle\": %llu},\n",
		(unsigned long long)over_limit, (unsigned long long)more_idle);
	fprintf(f,
		" \"max_nbls_to_indicate\": %u, \"max_nbls_in_one_dpc\": %llu, "
		"\"rss_nics\": %u, \"rss_frames\": %llu, \"rss_off_cpu\": %llu,\n",
		r->o.max_nbls, (unsigned long long)max_one, rss_nics, (unsigned long long)rss,
		(unsigned long long)rss_off);
	fprintf(f,
		" \"interrupts_delivered\": %llu, \"interrupts_per_frame\": %.4f, "
		"\"signals_sent\": %llu, "
		"\"signals_per_interrupt\": %.4f,\n",
		(unsigned long long)r->ke_total.interrupts,
		ratio(r->ke_total.interrupts, t->received),
		(unsigned long long)r->ke_total.signals_sent,
		ratio(r->ke_total.signals_sent, r->ke_total.interrupts));
	if (r->watchdog_on)
		fprintf(f,
			" \"guidance\": {\"isrs\": %llu, \"isrs_over_25us\": %llu, \"isr_max_ns\": "
			"%llu, \"dpcs\": %llu, \"dpcs_over_100us\": %llu, \"dpc_max_ns\": %llu, "
			"\"lock_holds\": %llu, \"lock_holds_over_threshold\": %llu, "
			"\"lock_hold_max_ns\": "
			"%llu, \"lock_hold_threshold_ns\": %llu},\n",
			(unsigned long long)r->wd.isrs, (unsigned long long)r->wd.isr_over,
			(unsigned long long)r->wd.isr_max_ns, (unsigned long long)r->wd.dpcs,
			(unsigned long long)r->wd.dpc_over, (unsigned long long)r->wd.dpc_max_ns,
			(unsigned long long)r->wd.holds, (unsigned long long)r->wd.hold_over,
			(unsigned long long)r->wd.hold_max_ns,
			(unsigned long long)r->wd.hold_warn_ns);
	fprintf(f, " \"result\": \"%s\", \"reason\": \"", ok ? "ok" : "failed");
	json_str(f, why);
	fprintf(f, "\"}\n");
}

int run_report(struct run_state *r)
{
	struct tally t;
	char why[384] = "";
	bool ok;

	tally(r, &t);
	ok = !r->drain_timeout && conserved(&t) && t.received > 0 && !r->faults_not_started;
	if (r->drain_timeout)
		snprintf(why, sizeof(why), "%s", r->drain_msg);
	else if (!conserved(&t))
		snprintf(why, sizeof(why),
			 "conservation fails: %llu frames unaccounted for (%llu accepted by a "
			 "sending driver but never sent or completed, %llu received by a NIC but "
			 "never indicated)",
			 (unsigned long long)(t.offered - t.received - dropped(&t) - t.destroyed),
			 (unsigned long long)t.lost_tx, (unsigned long long)t.lost_rx);
	else if (t.received == 0)
		snprintf(why, sizeof(why), "no frame was received (%llu offered, all dropped)",
			 (unsigned long long)t.offered);
	else if (r->faults_not_started)
		snprintf(why, sizeof(why), "--fault: the injector thread could not be started");
	/* A soak (--interrupts) proves every requested interrupt was taken once. */
	if (ok && r->o.interrupts && (irq_lost(r) || irq_duplicated(r))) {
		ok = false;
		snprintf(why, sizeof(why),
			 "interrupts: %llu requested by the devices, %llu taken by the vCPUs or "
			 "merged (%llu lost, %llu duplicated)",
			 (unsigned long long)irq_requested(r), (unsigned long long)irq_accounted(r),
			 (unsigned long long)irq_lost(r), (unsigned long long)irq_duplicated(r));
	}
	/* --verifier warn reports every finding and goes on; the run still fails. */
	if (ok && vfy_warnings()) {
		ok = false;
		snprintf(why, sizeof(why),
			 "the verifier found %llu contract violation(s) (--verifier warn; each is "
			 "above)",
			 (unsigned long long)vfy_warnings());
	}
	if (r->output_failed) {
		ok = false;
		snprintf(why, sizeof(why), "the capture %s could not be written", r->o.capture);
	}
	print_text(r->text ? r->text : stdout, r, &t, ok, why);
	if (r->json) {
		FILE *f = r->json;
		bool failed;

		print_json(f, r, &t, ok, why);
		failed = fflush(f) != 0 || ferror(f);
		if (f != stdout)
			failed = fclose(f) != 0 || failed;
		r->json = NULL;
		if (failed) {
			fprintf(stderr, "ndisrt run: writing --json %s failed: %s\n",
				strcmp(r->o.json, "-") ? r->o.json : "(stdout)", strerror(errno));
			return 74;
		}
	}
	if (r->output_failed)
		return 74;
	/* The human report on stdout must have reached it too. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ndisrt run: writing the report to stdout failed: %s\n",
			strerror(errno));
		return 74;
	}
	return ok ? 0 : 1;
}
