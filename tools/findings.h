/* SPDX-License-Identifier: MIT */
/*
 * tools/findings.h - where a run's findings (bug checks and verifier
 * warnings) go besides the terminal: a SARIF 2.1.0 log for CI code scanning
 * (docs/verifier.md#sarif).
 *
 * A finding can happen in an ISR, inside a signal handler, in a process that
 * is about to end. So the run does not write the log itself: --sarif starts
 * a writer process (`ndisrt __sarif-writer`) at start-up, and each finding
 * is one record written to its pipe with write(2) — async-signal-safe, one
 * atomic write per record. The writer names the frames (function, source
 * file and line from the driver's DWARF, through libdw) in a clean process
 * of its own and writes the log when the pipe closes: at the end of the run,
 * after a bug check, or if the run dies. The run waits for it and fails if
 * the log could not be written.
 */
#ifndef NDISRT_TOOLS_FINDINGS_H
#define NDISRT_TOOLS_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

enum findings_level {
	FINDINGS_ERROR = 0,   /* a bug check: the run stopped */
	FINDINGS_WARNING = 1, /* a warning-class rule: the run went on */
};

/* One finding; every string is static or lives until findings_report() returns. */
struct findings_item {
	enum findings_level level;
	const char *rule;    /* contract rule or verifier rule id, e.g. "S2"; NULL: "bugcheck" */
	const char *message; /* one line */
	const char *hint;    /* one line, or NULL */
	uint32_t code;	     /* bug-check code */
	uintptr_t param[4];
	int vcpu; /* -1: a host thread */
	unsigned irql;
	void *const *frames; /* return addresses, innermost first */
	int nr_frames;
};

/**
 * findings_open() - Open @sarif_path for writing (created or truncated now,
 * so a bad path fails before the run) and start the writer process.
 * @driver_path: the driver under test; its frames become the finding's
 * location (NULL: the first frame with a source line).
 * Context: host thread, at start-up.
 * Return: 0; or -1 with one line in @err.
 */
int findings_open(const char *sarif_path, const char *driver_path, char *err, size_t errlen);

/**
 * findings_report() - Send one finding to the writer (no-op without --sarif).
 * Context: any thread, any IRQL; async-signal-safe.
 */
void findings_report(const struct findings_item *f);

/**
 * findings_close() - End the log: close the pipe and wait for the writer.
 * Context: any thread; async-signal-safe (a bug-check handler calls it).
 * Return: 0 when the log was written (or none was asked for); -1 when the
 * writer failed (it said why on stderr).
 */
int findings_close(void);

/** ndisrt_cmd_sarif_writer() - The writer process's main (`ndisrt __sarif-writer FD DRIVER`). */
int ndisrt_cmd_sarif_writer(int argc, char **argv);

#endif /* NDISRT_TOOLS_FINDINGS_H */
