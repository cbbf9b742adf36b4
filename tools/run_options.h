/* SPDX-License-Identifier: MIT */
/*
 * tools/run_options.h - the options of `ndisrt run`, parsed and validated.
 */
#ifndef NDISRT_TOOLS_RUN_OPTIONS_H
#define NDISRT_TOOLS_RUN_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ndisrt/phase.h"

enum run_irq { RUN_IRQ_LINE, RUN_IRQ_MSI, RUN_IRQ_MSIX };
enum run_wire { RUN_WIRE_PAIR, RUN_WIRE_GEN, RUN_WIRE_PCAP };

#define RUN_MAX_CPUS 64
#define RUN_MAX_NICS 8
#define RUN_MAX_MSIX 16
#define RUN_MAX_FAULTS 8

/* --fault KIND[:N]: one host fault (enum hw_fault) every N interrupts taken. */
struct run_fault_opt {
	int kind;	/* enum hw_fault */
	uint64_t every; /* N; surprise-remove: once, after N */
};

#define RUN_MAX_PARAMS 64

struct run_options {
	const char *driver;		   /* path to a .so, or a built-in sample's name; with
					   * mixed samples their names joined by '+' */
	const char *drivers[RUN_MAX_NICS]; /* the driver of each --device entry */
	char driver_label[256];		   /* storage for a joined @driver */
	const char *device[RUN_MAX_NICS];  /* --device: model per NIC, cycled */
	unsigned nr_devices;		   /* 1..RUN_MAX_NICS */
	char device_buf[256];		   /* storage for @device */
	unsigned cpus;
	unsigned nics;
	enum run_irq irq;
	unsigned msix_messages; /* 0: as many as the driver can use */
	enum run_wire wire;
	const char *pcap_in; /* --wire pcap:FILE */
	uint64_t frames;     /* 0: run for @seconds */
	uint64_t interrupts; /* --interrupts N (soak): stop after N interrupts; 0: off */
	struct run_fault_opt fault[RUN_MAX_FAULTS]; /* --fault, repeatable */
	unsigned nr_faults;
	double seconds;
	unsigned size;
	unsigned flows;
	uint32_t max_nbls; /* NDIS_INDICATE_ALL_NBLS = 0xFFFFFFFF */
	const char *capture;
	const char *json;
	const char *trace;     /* --trace FILE: Chrome trace-event JSON timeline */
	unsigned trace_events; /* --trace-events N: events the trace keeps */
	const char *sarif;     /* --sarif FILE: findings as a SARIF 2.1.0 log */
	int verifier;	       /* enum vfy_mode: --verifier fatal|warn|off */
	bool quiet;	       /* no progress line */
	bool shared_line;      /* --shared-line: every NIC's INTx on one line */
	bool driver_given;     /* --driver was on the command line */
	bool irq_given;	       /* --irq was on the command line */
	bool max_nbls_given;   /* --max-nbls was on the command line */
	bool seconds_given;    /* --seconds was on the command line */
	/* --phase-timeout: seconds per phase; < 0: the default */
	double phase_timeout[NDISRT_NR_PHASES];
	/* --watchdog: allotments in ms (isr, dpc, spin, dispatch); < 0: the default */
	long watchdog_ms[5]; /* isr, dpc, spin, dispatch (ms); hold-us (µs); -1: default */
	bool watchdog_off;   /* --watchdog off */
	bool watchdog_given; /* --watchdog was on the command line */
	/* The engine (docs/sim.md). */
	bool sim;      /* --engine sim */
	uint64_t seed; /* --seed */
	bool seed_given;
	const char *sim_strategy; /* --sim-strategy (ndisrt explore/replay) */
	const char *sim_log;	  /* --sim-log FILE: the deviations as they are taken */
	/* --param [NIC:]Name=Value, in command-line order (checked, not yet stored). */
	const char *param[RUN_MAX_PARAMS];
	unsigned nr_params;
	int race; /* --race: RUN_RACE_AUTO (on under sim for an instrumented driver), _ON, _OFF */
};

enum { RUN_RACE_AUTO = 0, RUN_RACE_ON = 1, RUN_RACE_OFF = 2 };

/**
 * run_options_parse() - Parse argv (argv[0] is "run") into @o, with defaults.
 * On a bad option writes one line to @err naming it and what to do.
 * Return: 0, 1 if --help was printed to @out, or 64 (EX_USAGE).
 */
int run_options_parse(int argc, char **argv, struct run_options *o, FILE *out, FILE *err);

void run_options_usage(FILE *f);

#endif /* NDISRT_TOOLS_RUN_OPTIONS_H */
