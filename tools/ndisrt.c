/* SPDX-License-Identifier: MIT */
/*
 * tools/ndisrt.c - the ndisrt command line: one binary, subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "explore/explore.h"
#include "tools/findings.h"

#define EX_USAGE 64

int ndisrt_cmd_rss(int argc, char **argv);
int ndisrt_cmd_run(int argc, char **argv);
int ndisrt_bench_ndis(int argc, char **argv);
int ndisrt_bench_rx(int argc, char **argv, const char *driver_path);
const char *run_resolve_driver(const char *name, char *err, size_t errlen);
int ndisrt_bench_verifier(int argc, char **argv);

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ndisrt <command> [options]\n"
		"\n"
		"ndisrt runs NDIS miniport interrupt code in user space: a virtual multiprocessor\n"
		"with IRQL, preemptive interrupts and DPCs, the NDIS DDI and simulated VN-1 NICs.\n"
		"\n"
		"commands:\n"
		"  run               load a miniport, give it VN-1 NICs, push traffic, report\n"
		"                    (with no option: the sample driver on two NICs, MSI-X, RSS)\n"
		"  explore           run a miniport under many deterministic schedules, report\n"
		"                    every distinct failure with the command that replays it\n"
		"  replay BUNDLE     run a failure bundle's schedule again\n"
		"  bench core        measure the processor model against raw primitives\n"
		"  bench ndis        measure the NDIS interrupt DDI\n"
		"  bench sim         measure the deterministic engine\n"
		"  bench rx          receive through the vn1 sample vs the poll-mode bound\n"
		"  bench verifier    the main job with the verifier on vs off\n"
		"  rss               compute the RSS (Toeplitz) hash and queue of a flow\n"
		"  version           print the version\n"
		"\n"
		"Run 'ndisrt <command> --help' for a command's options.\n");
}

static int cmd_bench(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: ndisrt bench <core|ndis|rx|sim|verifier> [--json] [--quick]\n");
		return argc < 2 ? EX_USAGE : 0;
	}
	if (!strcmp(argv[1], "core"))
		return ndisrt_bench_core(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ndis"))
		return ndisrt_bench_ndis(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sim"))
		return ndisrt_bench_sim(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rx")) {
		char err[512];
		const char *vn1 = run_resolve_driver("vn1", err, sizeof(err));

		if (!vn1)
			fprintf(stderr, "ndisrt bench rx: %s\n", err);
		return ndisrt_bench_rx(argc - 1, argv + 1, vn1);
	}
	if (!strcmp(argv[1], "verifier"))
		return ndisrt_bench_verifier(argc - 1, argv + 1);
	fprintf(stderr, "ndisrt bench: unknown benchmark '%s' (try 'ndisrt bench --help')\n",
		argv[1]);
	return EX_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("ndisrt 0.1.0\n");
		return 0;
	}
	if (!strcmp(argv[1], "bench"))
		return cmd_bench(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rss"))
		return ndisrt_cmd_rss(argc - 1, argv + 1);
	if (!strcmp(argv[1], "__sarif-writer"))
		return ndisrt_cmd_sarif_writer(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return ndisrt_cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "explore"))
		return explore_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return explore_replay_main(argc - 1, argv + 1);
	fprintf(stderr, "ndisrt: unknown command '%s' (try 'ndisrt --help')\n", argv[1]);
	return EX_USAGE;
}
