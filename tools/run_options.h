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
	double seconds;
	unsigned size;
	unsigned flows;
	uint32_t max_nbls; /* NDIS_INDICATE_ALL_NBLS = 0xFFFFFFFF */
	const char *capture;
	const char *json;
	const char *sarif;   /* --sarif FILE: findings as a SARIF 2.1.0 log */
	int verifier;	     /* enum vfy_mode: --verifier fatal|warn|off */
	bool quiet;	     /* no progress line */
	bool shared_line;    /* --shared-line: every NIC's INTx on one line */
	bool driver_given;   /* --driver was on the command line */
	bool irq_given;	     /* --irq was on the command line */
	bool max_nbls_given; /* --max-nbls was on the command line */
	bool seconds_given;  /* --seconds was on the command line */
	/* --phase-timeout: seconds per phase; < 0: the default */
	double phase_timeout[NDISRT_NR_PHASES];
	/* The engine (docs/sim.md). */
	bool sim;      /* --engine sim */
	uint64_t seed; /* --seed */
	bool seed_given;
	const char *sim_strategy; /* --sim-strategy (ndisrt explore/replay) */
	const char *sim_log;	  /* --sim-log FILE: the deviations as they are taken */
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
