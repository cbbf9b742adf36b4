/* SPDX-License-Identifier: MIT */
/*
 * tools/run_report.c - `ndisrt run`: latency histograms, the conservation
 * check, and the report (text on stdout, JSON on request).
 */
#include "tools/run.h"
#include "verifier/vfy.h"

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
	for (unsigned v = 0; v < r->o.cpus; v++) {
		struct ke_vcpu *vc = ke_machine_vcpu(r->m, v);

		ke_vcpu_get_hist(vc, KE_HIST_INTERRUPT_LATENCY, &h);
		ke_hist_merge(&r->isr_latency, &h);
		ke_vcpu_get_hist(vc, KE_HIST_DPC_DURATION, &h);
		ke_hist_merge(&r->dpc_duration, &h);
	}
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
};

static void tally_rx(const struct run_nic *rn, struct tally *t)
{
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

static void print_text(FILE *f, const struct run_state *r, const struct tally *t, bool ok,
		       const char *why)
{
	char label[128];

	uint64_t rss = 0, rss_bad = 0, rss_off = 0, links = 0, max_one = 0;
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
	fprintf(f, "  conservation: %s\n",
		t->offered == t->received + dropped(t) ? "holds (offered = received + dropped)"
						       : "FAILS");
	fprintf(f, "  rate: %.0f frames/s received\n\n",
		r->elapsed_s > 0 ? (double)t->received / r->elapsed_s : 0.0);

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
	}
	fprintf(f, "\nLatency (µs)  %19s %9s %9s\n", "p50", "p99", "max");
	print_latency(f, "interrupt -> ISR", &r->isr_latency);
	print_latency(f, "DPC duration", &r->dpc_duration);
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
		"\"lost\": %llu, \"conservation\": %s},\n",
		(unsigned long long)t->offered, (unsigned long long)t->received,
		(unsigned long long)dropped(t), (unsigned long long)t->drop_driver,
		(unsigned long long)t->drop_tx_dev, (unsigned long long)t->drop_rx_dev,
		(unsigned long long)(t->lost_tx + t->lost_rx),
		t->offered == t->received + dropped(t) ? "true" : "false");
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
	uint64_t max_one = 0, rss_off = 0, rss = 0;
	unsigned rss_nics = 0;

	for (unsigned i = 0; i < r->o.nics; i++) {
		rss_nics += r->nic[i].rss_status == 0;
		if (r->nic[i].st.max_nbls_one_dpc > max_one)
			max_one = r->nic[i].st.max_nbls_one_dpc;
		rss_off += atomic_load(&r->nic[i].rss_off_cpu);
		rss += atomic_load(&r->nic[i].rss_frames);
	}
	fprintf(f,
		" \"max_nbls_to_indicate\": %u, \"max_nbls_in_one_dpc\": %llu, "
		"\"rss_nics\": %u, \"rss_frames\": %llu, \"rss_off_cpu\": %llu,\n",
		r->o.max_nbls, (unsigned long long)max_one, rss_nics, (unsigned long long)rss,
		(unsigned long long)rss_off);
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
	ok = !r->drain_timeout && t.offered == t.received + dropped(&t) && t.received > 0;
	if (r->drain_timeout)
		snprintf(why, sizeof(why), "%s", r->drain_msg);
	else if (t.offered != t.received + dropped(&t))
		snprintf(why, sizeof(why),
			 "conservation fails: %llu frames unaccounted for (%llu accepted by a "
			 "sending driver but never sent or completed, %llu received by a NIC but "
			 "never indicated)",
			 (unsigned long long)(t.offered - t.received - dropped(&t)),
			 (unsigned long long)t.lost_tx, (unsigned long long)t.lost_rx);
	else if (t.received == 0)
		snprintf(why, sizeof(why), "no frame was received (%llu offered, all dropped)",
			 (unsigned long long)t.offered);
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
