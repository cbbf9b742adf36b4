/* SPDX-License-Identifier: MIT */
/*
 * tools/run.c - `ndisrt run`, the main job: boot a machine, hand a miniport
 * VN-1 NICs, push traffic through its interrupt path, and report what
 * happened, with every frame accounted for.
 *
 * Traffic. With --wire pair, NICs are cabled in pairs (0-1, 2-3, ...); the
 * host plays the protocol on the even NIC of each pair and sends generated
 * frames through the driver's MiniportSendNetBufferLists, so both the send
 * and the receive path run. With --wire gen or pcap:FILE, a generator (or a
 * capture replay) feeds every NIC's port directly.
 *
 * Conservation. Every frame offered (handed to a driver's send, or sent by a
 * generator) is, at the end, exactly one of: indicated by the receiving
 * driver, or counted as dropped somewhere we can name (send completed with
 * an error, the transmitting VN-1, the wire, the receiving VN-1). A frame in
 * none of these is lost, and the run fails.
 */
#include "tools/run.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/intc.h"
#include "hw/rss.h"
#include "hw/device.h"
#include "hw/wire.h"
#include "ke/ke.h"
#include "ke/sim/sim.h"
#include "ndisrt/host.h"
#include "ndisrt/ndis.h"
#include "ndisrt/params.h"
#include "ndisrt/phase.h"
#include "tools/findings.h"
#include "verifier/race.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"
#include "verifier/watchdog.h"

/* The Toeplitz key Microsoft's RSS verification examples use. */
static const uint8_t default_rss_key[40] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
    0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
    0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};

/* NDIS_HASH_IPV4 | TCP_IPV4 | IPV6 | TCP_IPV6 (ntddndis.h values) */
#define RUN_HASH_TYPES (0x100u | 0x200u | 0x400u | 0x1000u)
/* NDIS_PACKET_TYPE_DIRECTED | MULTICAST | BROADCAST */
/* NDIS_PACKET_TYPE_DIRECTED | MULTICAST | BROADCAST; a replayed capture
 * was addressed to other stations, so those NICs also get PROMISCUOUS. */
#define RUN_PACKET_FILTER (0x1u | 0x2u | 0x8u)
#define RUN_PACKET_TYPE_PROMISCUOUS 0x20u

static struct run_state run;

/*
 * The receive check's Toeplitz table for default_rss_key: prepared once in
 * ndisrt_cmd_run() before any frame moves, then only read (the key never
 * changes), so every vCPU may hash through it at once.
 */
static struct hw_toeplitz_table rx_rss_table;

/* ------------------------------------------------------------ protocol side */

static void rx_sink(void *ctx, struct ndisrt_nic *n, const struct ndisrt_rx_info *info,
		    const void *frame, size_t len)
{
	struct run_nic *rn = ctx;
	enum hw_rss_type type;
	uint32_t want;

	(void)n;
	atomic_fetch_add_explicit(&rn->rx_frames, 1, memory_order_relaxed);
	if (info->vcpu < RUN_MAX_CPUS)
		atomic_fetch_add_explicit(&run.vcpu[info->vcpu].frames, 1, memory_order_relaxed);
	/* RSS: an independent hash of the frame, and the processor it predicts
	 * (only when the driver accepted the RSS parameters). */
	if (rn->rss_status)
		return;
	want =
	    hw_rss_hash_frame_table(&rx_rss_table, default_rss_key,
				    HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_ALL_TYPES, frame, len, &type);
	if (type == HW_RSS_NONE)
		return;
	atomic_fetch_add_explicit(&rn->rss_frames, 1, memory_order_relaxed);
	if (info->hash_value != want)
		atomic_fetch_add_explicit(&rn->rss_bad_hash, 1, memory_order_relaxed);
	/* With one interrupt (line, MSI) there is one receive queue, and the
	 * driver indicates on its DPC's vCPU: only MSI-X has a placement. */
	if (run.o.irq == RUN_IRQ_MSIX && info->vcpu != run.rss_table[want % RUN_RSS_TABLE])
		atomic_fetch_add_explicit(&rn->rss_off_cpu, 1, memory_order_relaxed);
}

static void status_sink(void *ctx, struct ndisrt_nic *n, uint32_t code, const void *buf, size_t len)
{
	struct run_nic *rn = ctx;

	(void)n, (void)code, (void)buf, (void)len;
	atomic_fetch_add_explicit(&rn->status_indications, 1, memory_order_relaxed);
}

/* A verifier finding in warn mode: into the SARIF log with its rule and fix. */
static void run_finding(const struct vfy_finding *vf, void *ctx)
{
	const struct ndisrt_violation_info *vi = ndisrt_violation_info(vf->violation);
	struct ke_vcpu *v = ke_current();
	struct findings_item f = {
	    .level = FINDINGS_WARNING,
	    .rule = vi ? vi->rule : NULL,
	    .hint = vi ? vi->fix : NULL,
	    .message = vf->what,
	    .code = vi ? vi->bugcheck : 0,
	    .param = {vf->violation, vf->param[0], vf->param[1], vf->param[2]},
	    .vcpu = v ? (int)ke_vcpu_number(v) : -1,
	    .irql = ke_irql_current(),
	    .frames = vf->frames,
	    .nr_frames = vf->nr_frames,
	};

	(void)ctx;
	findings_report(&f);
}

static void put2(const char *s)
{
	(void)!write(2, s, strlen(s));
}

/*
 * A bug check ends the run: say so, print the report and, when it is a
 * line of the violation table, the rule it enforces and the fix; exit 1.
 */
static void run_bugcheck(const struct ke_bugcheck_report *r, void *ctx)
{
	static const char head[] = "\nndisrt run: the machine stopped with a bug check; the "
				   "driver broke a rule of the NDIS contract:\n";
	const struct ndisrt_violation_info *vi = ndisrt_violation_info((uint32_t)r->param[0]);

	if (vi && vi->bugcheck != r->code)
		vi = NULL;
	struct findings_item f = {
	    .level = FINDINGS_ERROR,
	    .rule = vi ? vi->rule : NULL,
	    .message = r->what ? r->what : ke_bugcheck_name(r->code),
	    .hint = vi ? vi->fix : NULL,
	    .code = r->code,
	    .param = {r->param[0], r->param[1], r->param[2], r->param[3]},
	    .vcpu = r->vcpu,
	    .irql = r->irql,
	    .frames = r->frames,
	    .nr_frames = r->nr_frames,
	};

	(void)ctx;
	(void)!write(2, head, sizeof(head) - 1);
	ke_bugcheck_print(2, r);
	if (vi) {
		/* "Violation: NBL_CHAIN (rule C2, docs/contract.md §20): ...", then the fix. */
		put2("Violation: ");
		put2(vi->name);
		put2(" (rule ");
		put2(vi->rule);
		put2(", docs/contract.md §20): ");
		put2(vi->message);
		put2("\nFix: ");
		put2(vi->fix);
		put2("\n");
	}
	findings_report(&f);
	(void)findings_close();
	/* The timeline up to the bug check (write(2) only; best effort). */
	if (run.trace && trace_write(run.trace) == 0)
		put2("ndisrt run: the trace up to the bug check is in --trace\n");
	_exit(1);
}

/* ------------------------------------------------------------------ set-up */

static int make_nic(unsigned i, char *err, size_t errlen)
{
	struct run_nic *rn = &run.nic[i];
	struct hw_device_params vc = {0};
	char why[200];

	vc.machine = run.m;
	vc.dma = ndisrt_host_dma(run.h);
	memcpy(vc.mac, (uint8_t[6]){0x02, 0x00, 0x4e, 0x44, 0x49, (uint8_t)(i + 1)}, 6);
	vc.mem_base = 0xF0000000ull + (uint64_t)i * 0x10000;
	/* 256 ports apart: the largest I/O BAR of a model (the RTL8139's), aligned to its size. */
	vc.port_base = (uint16_t)(0xC000 + i * 0x100);
	vc.irq_kind = run.o.irq == RUN_IRQ_LINE	 ? HW_IRQ_LINE
		      : run.o.irq == RUN_IRQ_MSI ? HW_IRQ_MSI
						 : HW_IRQ_MSIX;
	vc.nr_msgs = run.o.irq == RUN_IRQ_MSIX ? run.msix_messages : 1;
	rn->model = run.o.device[i % run.o.nr_devices];
	if (run.o.irq == RUN_IRQ_LINE && run.o.shared_line && i > 0) {
		/* --shared-line: NIC 0's line; it is freed with NIC 0. */
		rn->line = run.nic[0].line;
		rn->line_shared = true;
		vc.line_vector = (uint8_t)intc_line_vector(rn->line);
	} else if (run.o.irq == RUN_IRQ_LINE) {
		/* One INTx line per NIC, at DIRQL 5, on every vCPU. */
		rn->line = intc_line_create(run.ic, 5, ~0ull >> (64 - run.o.cpus));
		if (!rn->line) {
			snprintf(err, errlen, "cannot create an INTx line: %s", strerror(errno));
			return -1;
		}
		vc.line_vector = (uint8_t)intc_line_vector(rn->line);
	}
	intc_source_init(&rn->src, run.ic, rn->line);
	vc.sink = intc_source_sink(&rn->src);
	rn->dev = hw_device_create(rn->model, &vc, why, sizeof(why));
	if (!rn->dev) {
		snprintf(err, errlen, "cannot create device #%u: %s", i, why);
		return -1;
	}
	memcpy(rn->mac, vc.mac, 6);
	return 0;
}

static int start_nic(unsigned i, char *err, size_t errlen)
{
	struct run_nic *rn = &run.nic[i];
	struct ndisrt_nic_config nc;
	char why[256];

	ndisrt_nic_config_init(&nc, rn->dev);
	nc.irq = run.o.irq == RUN_IRQ_LINE  ? NDISRT_IRQ_LINE
		 : run.o.irq == RUN_IRQ_MSI ? NDISRT_IRQ_MSI
					    : NDISRT_IRQ_MSIX;
	nc.msix_messages = run.msix_messages;
	nc.line = rn->line;
	nc.max_nbls = run.o.max_nbls;
	nc.param_nic = (int)i;
	if (ndisrt_nic_start(run.drivers[rn->driver].drv, &nc, &rn->n, why, sizeof(why))) {
		snprintf(err, errlen, "NIC %u (%s): %s", i, rn->model, why);
		return -1;
	}
	ndisrt_nic_set_rx_sink(rn->n, rx_sink, rn);
	ndisrt_nic_set_status_sink(rn->n, status_sink, rn);
	rn->filter_status = ndisrt_nic_set_packet_filter(
	    rn->n,
	    RUN_PACKET_FILTER | (run.o.wire == RUN_WIRE_PCAP ? RUN_PACKET_TYPE_PROMISCUOUS : 0));
	rn->rss_status = ndisrt_nic_set_rss(rn->n, default_rss_key, RUN_HASH_TYPES, run.rss_table,
					    RUN_RSS_TABLE);
	return 0;
}

static int make_wires(char *err, size_t errlen)
{
	if (run.o.wire == RUN_WIRE_PAIR) {
		for (unsigned i = 0; i + 1 < run.o.nics; i += 2) {
			struct wire *w = wire_pair_create(run.m);

			if (!w) {
				snprintf(err, errlen, "cannot create a wire pair");
				return -1;
			}
			run.wire[run.nr_wires++] = w;
			hw_dev_wire_attach(run.nic[i].dev, w, 0);
			hw_dev_wire_attach(run.nic[i + 1].dev, w, 1);
			run.nic[i].sender = true;
			run.nic[i].peer = i + 1;
		}
		return 0;
	}
	for (unsigned i = 0; i < run.o.nics; i++) {
		struct wire *w;

		if (run.o.wire == RUN_WIRE_GEN) {
			struct wire_gen_config g = {0};

			run_gen_config(&run, i, &g);
			w = wire_gen_create(run.m, &g);
			if (!w) {
				snprintf(err, errlen, "cannot create the traffic generator: %s",
					 strerror(errno));
				return -1;
			}
		} else {
			struct wire_replay_config rc = {.rate_pps = run_rate_pps(&run)};

			w = wire_replay_create(run.m, run.o.pcap_in, &rc, err, errlen);
			if (!w)
				return -2;
		}
		run.wire[run.nr_wires++] = w;
		hw_dev_wire_attach(run.nic[i].dev, w, 0); /* a source sends into end 0 */
	}
	return 0;
}

static int open_capture(char *err, size_t errlen)
{
	if (!run.o.capture)
		return 0;
	run.cap = wire_capture_open(run.m, run.o.capture, err, errlen);
	if (!run.cap)
		return -1;
	for (unsigned i = 0; i < run.nr_wires; i++)
		wire_tap(run.wire[i], run.cap);
	return 0;
}

/* -------------------------------------------------------------- teardown */

static void teardown(void)
{
	for (unsigned i = 0; i < run.nr_wires; i++)
		if (run.o.wire != RUN_WIRE_PAIR)
			wire_source_stop(run.wire[i]);
	for (unsigned i = 0; i < run.o.nics; i++)
		if (run.nic[i].n)
			ndisrt_nic_halt(run.nic[i].n);
	for (unsigned i = 0; i < run.nr_drivers; i++)
		if (run.drivers[i].drv)
			ndisrt_driver_unload(run.drivers[i].drv);
	/* Devices detach from their wires as they are freed: wires after them,
	 * and the capture the wires feed last. */
	for (unsigned i = 0; i < run.o.nics; i++) {
		if (run.nic[i].dev)
			hw_device_free(run.nic[i].dev);
	}
	/* A shared line last: every device on it is gone. */
	for (unsigned i = 0; i < run.o.nics; i++)
		if (run.nic[i].line && !run.nic[i].line_shared)
			intc_line_free(run.nic[i].line);
	for (unsigned i = 0; i < run.nr_wires; i++)
		wire_close(run.wire[i]);
	if (run.cap) {
		struct wire_capture_stats cs;
		int err;

		wire_capture_get_stats(run.cap, &cs);
		err = wire_capture_close(run.cap);
		if (err == -ENOBUFS) {
			fprintf(stderr,
				"ndisrt run: the capture %s is incomplete: %llu frame(s) dropped "
				"because its writer fell behind (is the disk full or slow?)\n",
				run.o.capture, (unsigned long long)cs.dropped);
			run.output_failed = true;
		} else if (err) {
			fprintf(stderr, "ndisrt run: writing the capture %s failed: %s\n",
				run.o.capture, strerror(-err));
			run.output_failed = true;
		}
	}
	if (run.watchdog) {
		vfy_watchdog_counts(&run.wd);
		run.watchdog_on = true;
		vfy_watchdog_stop(run.m);
		run.watchdog = false;
	}
	vfy_race_disable(); /* unsubscribes from the machine: before it goes */
	if (run.h)
		ndisrt_host_free(run.h);
}

/* ------------------------------------------------------------------ trace */

/* --trace: subscribe before the NICs start, so the trace sees them come up. */
static int start_trace(char *err, size_t errlen)
{
	int rc;

	if (run.trace_fd < 0)
		return 0;
	run.trace = trace_create(run.m, run.o.trace_events, run.trace_fd);
	if (!run.trace) {
		snprintf(err, errlen, "--trace: out of memory for %u events", run.o.trace_events);
		return 71;
	}
	for (unsigned i = 0; i < run.o.nics; i++) {
		rc = trace_add_device(run.trace, run.nic[i].dev, i, run.nic[i].model);
		if (rc) {
			snprintf(err, errlen, "--trace: cannot watch NIC %u: %s", i, strerror(-rc));
			return 70;
		}
		/* A line several NICs share keeps its vector's name ("vector 0x5N"). */
		if (run.nic[i].line && !run.o.shared_line)
			trace_name_vector(run.trace, intc_line_vector(run.nic[i].line), i, 0xFFFF);
	}
	rc = trace_start(run.trace);
	if (rc) {
		snprintf(err, errlen, "--trace: cannot subscribe to the machine: %s",
			 strerror(-rc));
		return 70;
	}
	return 0;
}

/* Unsubscribe (before the devices go) and keep the tracer for the writing. */
static void stop_trace(void)
{
	if (run.trace)
		trace_stop(run.trace);
}

/* --trace: write the file from the rings; 0, or 74 when it cannot be written. */
static int finish_trace(void)
{
	int err, rc = 0;

	if (run.trace_fd < 0)
		return 0;
	if (run.trace) {
		err = trace_write(run.trace);
		if (!err && fsync(run.trace_fd) && errno != EINVAL && errno != EROFS)
			err = -errno;
		if (err) {
			fprintf(stderr, "ndisrt run: writing --trace %s failed: %s\n", run.o.trace,
				strerror(-err));
			rc = 74;
		}
	}
	if (close(run.trace_fd) && !rc) {
		fprintf(stderr, "ndisrt run: writing --trace %s failed: %s\n", run.o.trace,
			strerror(errno));
		rc = 74;
	}
	run.trace_fd = -1;
	return rc;
}

/* --trace: created before the run, so that an unwritable path costs no run. */
static int open_trace(void)
{
	if (!run.o.trace)
		return 0;
	run.trace_fd = open(run.o.trace, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (run.trace_fd < 0) {
		fprintf(stderr, "ndisrt run: cannot create --trace %s: %s\n", run.o.trace,
			strerror(errno));
		return 73;
	}
	return 0;
}

/* No run happened: leave no empty trace behind. */
static void drop_trace(void)
{
	if (run.trace_fd < 0)
		return;
	close(run.trace_fd);
	run.trace_fd = -1;
	unlink(run.o.trace);
}

/*
 * Is the driver compiled with -fsanitize=thread? Its dynamic symbol names
 * then include __tsan_func_entry, which it imports from ndisrt.
 */
static bool driver_instrumented(const char *path)
{
	static const char needle[] = "__tsan_func_entry";
	char buf[65536 + sizeof(needle)];
	size_t keep = 0, n;
	bool found = false;
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	while (!found && (n = fread(buf + keep, 1, sizeof(buf) - keep, f)) > 0) {
		n += keep;
		found = memmem(buf, n, needle, sizeof(needle) - 1) != NULL;
		keep = n < sizeof(needle) ? n : sizeof(needle) - 1;
		memmove(buf, buf + n - keep, keep);
	}
	fclose(f);
	return found;
}

/* ------------------------------------------------------------------- main */

/*
 * The watchdogs (verifier/watchdog.h): on with the verifier unless --watchdog
 * off; with --verifier off only when --watchdog is given.
 */
static int start_watchdog(char *err, size_t errlen)
{
	struct vfy_watchdog_config c;
	uint64_t *ms[4] = {&c.isr_ns, &c.dpc_ns, &c.spin_ns, &c.dispatch_ns};
	int rc;

	if (run.o.watchdog_off || (run.o.verifier == VFY_OFF && !run.o.watchdog_given))
		return 0;
	vfy_watchdog_defaults(&c);
	for (unsigned i = 0; i < 4; i++)
		if (run.o.watchdog_ms[i] >= 0)
			*ms[i] = (uint64_t)run.o.watchdog_ms[i] * 1000000u;
	if (run.o.watchdog_ms[4] >= 0)
		c.hold_warn_ns = (uint64_t)run.o.watchdog_ms[4] * 1000u;
	rc = vfy_watchdog_start(run.m, &c);
	if (rc) {
		snprintf(err, errlen, "cannot start the watchdog: %s", strerror(-rc));
		return rc;
	}
	run.watchdog = true;
	return 0;
}

static int set_up(char *err, size_t errlen)
{
	struct ndisrt_host_config hc = {.nr_vcpus = run.o.cpus};
	int rc;

	if (run.o.sim) {
		if (run_sim_configure(&run.o, err, errlen))
			return 64;
		hc.engine = ke_sim_engine();
	}
	run.h = ndisrt_host_create(&hc);
	if (!run.h) {
		snprintf(err, errlen, "cannot create a %u-vCPU machine: %s", run.o.cpus,
			 strerror(errno));
		return 70;
	}
	run.m = ndisrt_host_machine(run.h);
	run.ic = ndisrt_host_intc(run.h);
	for (unsigned i = 0; i < run.o.nr_params; i++) {
		int ret = ndisrt_param_parse(run.o.param[i]);

		if (ret) { /* checked when parsed: only a full store is left */
			snprintf(err, errlen, "--param %s: %s", run.o.param[i],
				 ret == -ENOSPC ? "too many parameters" : "not NAME=VALUE");
			return 64;
		}
	}
	if (start_watchdog(err, errlen))
		return 70;
	if (run.o.sim && (run.o.race == RUN_RACE_ON ||
			  (run.o.race == RUN_RACE_AUTO && driver_instrumented(run.driver_path)))) {
		rc = vfy_race_enable(run.m);
		if (rc) {
			snprintf(err, errlen, "--race: cannot start the race detector: %s",
				 strerror(-rc));
			return 70;
		}
	}
	for (unsigned i = 0; i < RUN_RSS_TABLE; i++)
		run.rss_table[i] = i % run.o.cpus;
	run.msix_messages =
	    run.o.msix_messages ? run.o.msix_messages : (run.o.cpus < 8 ? run.o.cpus : 8) + 1;
	for (unsigned i = 0; i < run.nr_drivers; i++) {
		struct run_driver *d = &run.drivers[i];

		if (ndisrt_driver_load(run.h, d->path, &d->drv, err, errlen))
			return 66;
		ndisrt_driver_version(d->drv, &d->major, &d->minor);
		if (!i || d->major * 100 + d->minor < run.drv_major * 100 + run.drv_minor)
			run.drv_major = d->major, run.drv_minor = d->minor;
	}
	run.drv = run.drivers[0].drv;
	if (run.drv_major < 6) {
		/* NDIS 5: NdisMRegisterInterrupt takes a line; no throttling. */
		if (run.o.irq_given && run.o.irq != RUN_IRQ_LINE) {
			snprintf(
			    err, errlen,
			    "--irq %s: %s is an NDIS %u.%u miniport, and NDIS 5 miniports take a "
			    "line-based interrupt only (NdisMRegisterInterrupt); use --irq line",
			    run.o.irq == RUN_IRQ_MSI ? "msi" : "msix", run.o.driver, run.drv_major,
			    run.drv_minor);
			return 64;
		}
		if (run.o.max_nbls_given) {
			snprintf(
			    err, errlen,
			    "--max-nbls: %s is an NDIS %u.%u miniport; MaxNblsToIndicate is an "
			    "NDIS 6 interrupt DPC parameter (leave the option out)",
			    run.o.driver, run.drv_major, run.drv_minor);
			return 64;
		}
		run.o.irq = RUN_IRQ_LINE;
	}
	for (unsigned i = 0; i < run.o.nics; i++)
		if (make_nic(i, err, errlen))
			return 70;
	rc = make_wires(err, errlen);
	if (rc)
		return rc == -2 ? 66 : 70;
	if (open_capture(err, errlen))
		return 73;
	/* Statistics come from counters ke keeps per vCPU (no hook, so no
	 * slow path); ISR and DPC durations need the clock read around each. */
	ke_machine_time_routines(run.m, true);
	rc = start_trace(err, errlen);
	if (rc)
		return rc;
	for (unsigned i = 0; i < run.o.nics; i++)
		if (start_nic(i, err, errlen))
			return 66;
	return 0;
}

/* An input must be a regular file: a FIFO or a device would block or never end. */
static int check_input(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		fprintf(stderr, "ndisrt run: %s %s: %s\n", what, path, strerror(errno));
		return 66;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "ndisrt run: %s %s: not a regular file (%s)\n", what, path,
			S_ISDIR(st.st_mode)    ? "a directory"
			: S_ISFIFO(st.st_mode) ? "a FIFO"
			: S_ISCHR(st.st_mode)  ? "a character device"
			: S_ISSOCK(st.st_mode) ? "a socket"
					       : "not a file");
		return 66;
	}
	return 0;
}

/*
 * The distinct drivers of the NICs (one, or one per model with mixed
 * samples), each resolved to a readable regular file; each NIC's index.
 * Return: 0, or the exit status (the line printed).
 */
static int resolve_drivers(char *err, size_t errlen)
{
	for (unsigned i = 0; i < run.o.nics; i++) {
		const char *name = run.o.drivers[i % run.o.nr_devices];
		unsigned d = 0;

		while (d < run.nr_drivers && strcmp(run.drivers[d].name, name))
			d++;
		run.nic[i].driver = d;
		if (d < run.nr_drivers)
			continue;
		const char *path = run_resolve_driver(name, err, errlen);
		int rc;

		if (!path) {
			fprintf(stderr, "ndisrt run: %s\n", err);
			return 66;
		}
		run.drivers[d].name = name;
		snprintf(run.drivers[d].path, sizeof(run.drivers[d].path), "%s", path);
		rc = check_input("--driver", run.drivers[d].path);
		if (rc)
			return rc;
		run.nr_drivers++;
	}
	run.driver_path = run.drivers[0].path;
	return 0;
}

/* --json: created before the run, so that an unwritable path costs no run. */
static int open_json(void)
{
	run.text = stdout;
	if (!run.o.json)
		return 0;
	if (!strcmp(run.o.json, "-")) {
		/* stdout carries the JSON alone; the human report goes to stderr. */
		run.json = stdout;
		run.text = stderr;
		return 0;
	}
	run.json = fopen(run.o.json, "w");
	if (!run.json) {
		fprintf(stderr, "ndisrt run: cannot create --json %s: %s\n", run.o.json,
			strerror(errno));
		return 73;
	}
	return 0;
}

static void apply_phase_timeouts(void)
{
	for (unsigned i = 0; i < NDISRT_NR_PHASES; i++)
		if (run.o.phase_timeout[i] >= 0)
			ndisrt_phase_set_timeout((enum ndisrt_phase)i,
						 (uint64_t)(run.o.phase_timeout[i] * 1e9));
}

int ndisrt_cmd_run(int argc, char **argv)
{
	char err[512] = "";
	int rc, trace_rc;

	memset(&run, 0, sizeof(run));
	run.text = stdout;
	run.trace_fd = -1;
	rc = run_options_parse(argc, argv, &run.o, stdout, stderr);
	if (rc)
		return rc == 1 ? 0 : rc;
	rc = resolve_drivers(err, sizeof(err));
	if (rc)
		return rc;
	if (!rc && run.o.wire == RUN_WIRE_PCAP)
		rc = check_input("--wire pcap:", run.o.pcap_in);
	if (!rc)
		rc = open_json();
	if (!rc) {
		rc = open_trace();
		if (rc && run.json && run.json != stdout) {
			fclose(run.json);
			unlink(run.o.json);
		}
	}
	if (rc)
		return rc;
	if (run.o.sarif && findings_open(run.o.sarif, run.driver_path, err, sizeof(err))) {
		fprintf(stderr, "ndisrt run: %s\n", err);
		if (run.json && run.json != stdout) {
			fclose(run.json);
			unlink(run.o.json);
		}
		drop_trace();
		return 73;
	}
	if (vfy_set_mode((enum vfy_mode)run.o.verifier)) {
		fprintf(stderr, "ndisrt run: --verifier: out of memory\n");
		return 71;
	}
	vfy_set_reporter(run_finding, NULL);
	apply_phase_timeouts();
	ke_bugcheck_set_handler(run_bugcheck, NULL);
	hw_toeplitz_prepare(&rx_rss_table, default_rss_key);
	rc = set_up(err, sizeof(err));
	if (!rc)
		rc = run_faults_check(&run, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "ndisrt run: %s\n", err);
		stop_trace();
		teardown();
		/* No report: leave no empty --json file behind. */
		if (run.json && run.json != stdout) {
			fclose(run.json);
			unlink(run.o.json);
		}
		trace_free(run.trace);
		run.trace = NULL;
		drop_trace();
		return rc;
	}
	run_traffic(&run);
	run_collect(&run);
	run_collect_ke(&run);
	stop_trace();
	teardown();
	run_sim_finish(&run.o);
	trace_rc = finish_trace();
	rc = run_report(&run);
	if (trace_rc && rc == 0)
		rc = trace_rc;
	trace_free(run.trace);
	run.trace = NULL;
	if (findings_close() != 0) {
		fprintf(stderr, "ndisrt run: the SARIF log %s was not written\n", run.o.sarif);
		if (rc == 0)
			rc = 74;
	}
	return rc;
}
