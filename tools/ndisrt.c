/* SPDX-License-Identifier: MIT */
/*
 * tools/ndisrt.c - the ndisrt command line: one binary, subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"

#define EX_USAGE 64

#ifdef NDISRT_HAVE_RSS
int ndisrt_cmd_rss(int argc, char **argv);
#endif
#ifdef NDISRT_HAVE_BENCH_NDIS
int ndisrt_bench_ndis(int argc, char **argv);
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ndisrt <command> [options]\n"
		"\n"
		"ndisrt runs NDIS miniport interrupt code in user space: a virtual multiprocessor\n"
		"with IRQL, preemptive interrupts and DPCs, the NDIS DDI and simulated VN-1 NICs.\n"
		"\n"
		"commands:\n"
		"  bench core        measure the processor model against raw primitives\n"
#ifdef NDISRT_HAVE_BENCH_NDIS
		"  bench ndis        measure the NDIS interrupt DDI\n"
#endif
#ifdef NDISRT_HAVE_RSS
		"  rss               compute the RSS (Toeplitz) hash and queue of a flow\n"
#endif
		"  version           print the version\n"
		"\n"
		"Run 'ndisrt <command> --help' for a command's options.\n");
}

static int cmd_bench(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: ndisrt bench <core%s> [--json] [--quick]\n",
#ifdef NDISRT_HAVE_BENCH_NDIS
			"|ndis"
#else
			""
#endif
		);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (!strcmp(argv[1], "core"))
		return ndisrt_bench_core(argc - 1, argv + 1);
#ifdef NDISRT_HAVE_BENCH_NDIS
	if (!strcmp(argv[1], "ndis"))
		return ndisrt_bench_ndis(argc - 1, argv + 1);
#endif
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
#ifdef NDISRT_HAVE_RSS
	if (!strcmp(argv[1], "rss"))
		return ndisrt_cmd_rss(argc - 1, argv + 1);
#endif
	fprintf(stderr, "ndisrt: unknown command '%s' (try 'ndisrt --help')\n", argv[1]);
	return EX_USAGE;
}
