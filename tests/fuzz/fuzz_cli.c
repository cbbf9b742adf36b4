/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the `ndisrt run` command line. The input is split at
 * NUL bytes into arguments. Whatever they are, the parser returns 0 (with
 * every option inside its documented range), 1 (help printed) or 64 with
 * exactly one line on the error stream that starts with "ndisrt run: ";
 * it never crashes, never accepts a number it should not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/device.h"
#include "tools/run_options.h"

#define MAX_ARGS 32

static void check_options(const struct run_options *o)
{
	if (o->cpus < 1 || o->cpus > RUN_MAX_CPUS || o->nics < 1 || o->nics > RUN_MAX_NICS ||
	    o->size < 64 || o->size > 1514 || o->flows < 1 || o->flows > 1000000 ||
	    !(o->seconds > 0) || o->seconds > 86400 || o->max_nbls < 1 ||
	    o->msix_messages > RUN_MAX_MSIX || !o->driver || !*o->driver ||
	    (o->wire == RUN_WIRE_PCAP && (!o->pcap_in || !*o->pcap_in)) ||
	    (o->wire == RUN_WIRE_PAIR && o->nics % 2))
		abort();
	if (o->nr_faults > RUN_MAX_FAULTS || (o->interrupts && o->wire != RUN_WIRE_PAIR))
		abort();
	for (unsigned i = 0; i < o->nr_faults; i++)
		if (o->fault[i].kind < 0 || o->fault[i].kind >= HW_FAULT_COUNT ||
		    !o->fault[i].every)
			abort();
	for (unsigned i = 0; i < NDISRT_NR_PHASES; i++)
		if (o->phase_timeout[i] != -1 &&
		    !(o->phase_timeout[i] >= 0 && o->phase_timeout[i] <= 86400))
			abort();
}

/* libFuzzer calls it; declared here for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
	char *errbuf = NULL, *outbuf = NULL;
	size_t errlen = 0, outlen = 0;
	struct run_options o;
	FILE *out, *err;
	int argc = 1, rc;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = 0;
	argv[0] = "run";
	for (size_t i = 0; i <= size && argc <= MAX_ARGS;) {
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[argc] = NULL;
	out = open_memstream(&outbuf, &outlen);
	err = open_memstream(&errbuf, &errlen);
	if (!out || !err)
		abort();
	rc = run_options_parse(argc, argv, &o, out, err);
	fclose(out);
	fclose(err);
	if (rc == 0) {
		if (errlen)
			abort(); /* accepted, yet complained */
		check_options(&o);
	} else if (rc == 64) {
		/* One line, naming the command. */
		if (errlen < 12 || strncmp(errbuf, "ndisrt run: ", 12) ||
		    strchr(errbuf, '\n') != errbuf + errlen - 1)
			abort();
	} else if (rc != 1) {
		abort();
	}
	free(outbuf);
	free(errbuf);
	free(copy);
	return 0;
}
