/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: any byte string handed to the pcap loader either loads
 * or yields an error line naming the file and a record; it never crashes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/wire.h"

/* libFuzzer calls it; declared here for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_pcap_frames fr;
	char err[512];
	FILE *fp;

	if (size == 0)
		return 0;
	/* read-only ("rb"): fmemopen does not write through the pointer */
	fp = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (!fp)
		return 0;
	if (wire_pcap_load_fp(fp, "fuzz.pcap", &fr, err, sizeof(err)) == 0) {
		wire_pcap_frames_free(&fr);
	} else if (!strstr(err, "fuzz.pcap: record ")) {
		fprintf(stderr, "error without file and record: %s\n", err);
		abort();
	}
	return 0;
}
