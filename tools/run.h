/* SPDX-License-Identifier: MIT */
/*
 * tools/run.h - the state of one `ndisrt run`, shared by its parts:
 * run.c (set-up, teardown), run_traffic.c (traffic, draining, collection),
 * run_report.c (histograms, conservation, the report).
 */
#ifndef NDISRT_TOOLS_RUN_H
#define NDISRT_TOOLS_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hw/intc.h"
#include "hw/device.h"
#include "hw/wire.h"
#include "ke/ke.h"
#include "ndisrt/host.h"
#include "ndisrt/ndis.h"
#include "tools/run_options.h"
#include "tools/trace.h"
#include "verifier/watchdog.h"

#define RUN_RSS_TABLE 128

struct run_vcpu {
	atomic_ulong frames;		      /* frames indicated on this vCPU */
	struct ndisrt_interrupt_counters ctr; /* collected: all NICs, all messages */
};

/* What conservation needs of a device, by the names hw/device.h fixes. */
struct run_dev_stats {
	uint64_t rx_offered, rx_accepted, tx_sent, tx_dropped;
	/* transmits consumed unsent on a DMA fault and failed to the driver
	 * (an error status, or no write-back): not in tx_dropped */
	uint64_t tx_dma_fault;
};

/* A loaded miniport: one per distinct driver of the NICs (mixed models). */
struct run_driver {
	const char *name; /* as given: a sample's name or a path */
	char path[4096];
	struct ndisrt_driver *drv;
	unsigned major, minor;
};

struct run_nic {
	const char *model; /* --device: the model's name */
	unsigned driver;   /* index in run_state.drivers */
	struct hw_device *dev;
	struct intc_source src;
	struct intc_line *line;
	bool line_shared; /* --shared-line: @line is NIC 0's */
	struct ndisrt_nic *n;
	uint8_t mac[6];
	bool sender;	    /* --wire pair: the protocol sends from this NIC */
	unsigned peer;	    /* its receiver */
	uint64_t gen_index; /* next generated frame */
	uint32_t filter_status, rss_status;
	/* RSS placement is checked: MSI-X, or a driver with several receive
	 * queues behind one interrupt (a multi-DPC batch) */
	bool rss_placed;
	atomic_ulong rx_frames, rss_frames, rss_bad_hash, rss_off_cpu, status_indications;
	/* collected at the end */
	struct ndisrt_nic_stats st;
	struct run_dev_stats vs;
	uint64_t source_sent; /* gen/pcap: frames the source sent into this NIC */
	/* --fault surprise-remove: gone from then on, and what it had by then */
	atomic_bool removed;
	struct run_dev_stats at_removal;
	uint64_t at_removal_taken; /* interrupts taken when it was removed */
	unsigned nr_messages;
	struct ndisrt_interrupt_counters msg[NDISRT_MAX_MESSAGES];
	/* per message: ISR and DPC durations (collected; has_us: the NIC kind
	 * exposes its messages' interrupt objects) */
	bool has_us;
	uint8_t msg_vector[NDISRT_MAX_MESSAGES];
	uint64_t msg_isr_us[NDISRT_MAX_MESSAGES][KE_US_BUCKETS];
	uint64_t msg_dpc_us[NDISRT_MAX_MESSAGES][KE_US_BUCKETS];
};

struct run_state {
	struct run_options o;
	const char *driver_path;
	char driver_buf[4096];
	struct ndisrt_host *h;
	struct ke_machine *m;
	struct intc *ic;
	struct ndisrt_driver *drv;     /* drivers[0].drv */
	unsigned drv_major, drv_minor; /* the lowest version among the drivers */
	struct run_driver drivers[RUN_MAX_NICS];
	unsigned nr_drivers;
	unsigned msix_messages;
	struct run_nic nic[RUN_MAX_NICS];
	struct wire *wire[RUN_MAX_NICS];
	unsigned nr_wires;
	struct wire_capture *cap;
	struct wire_capture_stats cap_stats;
	unsigned rss_table[RUN_RSS_TABLE];
	struct run_vcpu vcpu[RUN_MAX_CPUS];
	/* collected from ke's per-vCPU histograms (run_collect_ke) */
	struct ke_hist isr_latency, dpc_duration;
	struct ke_vcpu_stats ke_total; /* ke's per-vCPU counters, summed (run_collect_ke) */
	/* --fault: per option, what was injected (injector thread, then host) */
	struct {
		uint64_t injected, refused;
	} fault[RUN_MAX_FAULTS];
	uint64_t signals_dropped, dma_faults_fired, wb_delayed; /* the devices' own counts */
	bool faults_not_started;
	/* interrupts: requested by the devices (intc) vs taken by the vCPUs (ke) */
	uint64_t irq_msi, irq_line, irq_taken, irq_merged, irq_isr_calls, irq_claimed;
	double elapsed_s;
	bool drain_timeout;
	char drain_msg[256];
	FILE *json;	     /* --json, opened before the run (stdout for '-') */
	struct trace *trace; /* --trace: the tracer, subscribed during the run */
	int trace_fd;	     /* --trace: the file, created before the run; -1: none */
	/* collected: xperf-style duration histograms (ke_us_hist buckets) */
	uint64_t isr_us[RUN_MAX_CPUS][KE_US_BUCKETS], dpc_us[RUN_MAX_CPUS][KE_US_BUCKETS];
	FILE *text;	    /* the human report: stdout, or stderr with --json - */
	bool output_failed; /* an output file could not be written: exit 74 */
	bool watchdog;	    /* verifier/watchdog.h watches the machine */
	bool watchdog_on;   /* it did: @wd holds its guidance counts */
	bool irqoff;	    /* verifier/irq_disabled.h watches the NICs (I13) */
	struct vfy_watchdog_counts wd;
};

int ndisrt_cmd_run(int argc, char **argv);

/* run_traffic.c */
const char *run_resolve_driver(const char *name, char *err, size_t errlen);
void run_gen_config(struct run_state *r, unsigned nic, struct wire_gen_config *g);
uint64_t run_rate_pps(const struct run_state *r);
void run_traffic(struct run_state *r);
void run_collect(struct run_state *r);
void run_dev_stats(struct hw_device *dev, struct run_dev_stats *out);
uint64_t run_interrupts_taken(const struct run_state *r);
void run_collect_interrupts(struct run_state *r);

/* run_fault.c: --fault (docs/reliability.md, "Fault knobs"). run_faults_check()
 * after set-up (Return: 0, or 64 with @err), start/stop around the sending. */
int run_faults_check(struct run_state *r, char *err, size_t errlen);
void run_faults_start(struct run_state *r);
void run_faults_stop(struct run_state *r);
void run_faults_collect(struct run_state *r);

/* run_sim.c: the deterministic engine's schedule (--engine sim). */
int run_sim_configure(const struct run_options *o, char *err, size_t errlen);
void run_sim_finish(const struct run_options *o);

/* run_report.c: run_collect_ke() merges ke's per-vCPU histograms (before the
 * machine is freed); run_report() prints the report. Return: the exit status. */
void run_collect_ke(struct run_state *r);
int run_report(struct run_state *r);

#endif /* NDISRT_TOOLS_RUN_H */
