/* SPDX-License-Identifier: MIT */
/*
 * tools/trace.h - `--trace FILE`: a timeline of a machine's interrupt path in
 * the Chrome trace-event format (Perfetto, chrome://tracing; docs/trace.md).
 *
 * The tracer is a ke hook subscriber (ke_hooks_add) and a device irq hook
 * (hw_device_irq_hook_set). While it is subscribed every event lands in a
 * ring buffer: one per vCPU (written by the vCPU and its signal handler) and
 * one for host threads (device models, timers); each keeps its last events,
 * so the file's size is bounded by --trace-events whatever the run's length.
 * The file is written once, after the run (or at a bug check).
 */
#ifndef NDISRT_TOOLS_TRACE_H
#define NDISRT_TOOLS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ke_machine;
struct hw_device;
struct trace;

/* --trace-events: the events kept over all rings. */
#define TRACE_EVENTS_DEFAULT 120000u
#define TRACE_EVENTS_MIN 1024u
#define TRACE_EVENTS_MAX (1u << 26)
/*
 * The most one kept event writes (it becomes at most two JSON lines, each
 * under 256 bytes): the file is below events x TRACE_MAX_EVENT_BYTES +
 * TRACE_MAX_META_BYTES, 61.5 MB at the default.
 */
#define TRACE_MAX_EVENT_BYTES 512u
#define TRACE_MAX_META_BYTES 65536u

/**
 * trace_create() - A tracer of @m keeping about @events events in all,
 * writing to the open descriptor @fd. Nothing is subscribed yet.
 * Context: host thread. Return: the tracer, or NULL (out of memory).
 */
struct trace *trace_create(struct ke_machine *m, unsigned events, int fd);

/**
 * trace_add_device() - Draw @dev's interrupt output on a track "NIC @nic
 * (@model)", and install its irq hook. Before trace_start() or while the device
 * is quiet. Context: host thread. Return: 0, or a negative errno.
 */
int trace_add_device(struct trace *t, struct hw_device *dev, unsigned nic, const char *model);

/**
 * trace_name_vector() - Call @vector's ISR and DPC slices "... NIC @nic msg
 * @msg" (message programming names them too; a line needs this).
 */
void trace_name_vector(struct trace *t, unsigned vector, unsigned nic, unsigned msg);

/** trace_start() - Subscribe to @m's hooks. Return: 0, or a negative errno. */
int trace_start(struct trace *t);

/** trace_stop() - Unsubscribe (hooks and devices). Context: host thread, not in a hook. */
void trace_stop(struct trace *t);

/**
 * trace_write() - Write the JSON file from the rings. After trace_stop(), or
 * at a bug check (then only write(2) and the tracer's own memory are used).
 * Return: 0, or a negative errno of the first failed write.
 */
int trace_write(struct trace *t);

/** trace_bytes() - Bytes trace_write() wrote; trace_kept(): events in the file. */
uint64_t trace_bytes(const struct trace *t);
uint64_t trace_kept(const struct trace *t);

/** trace_free() - Stop if needed and free. NULL-safe. Does not close the fd. */
void trace_free(struct trace *t);

#endif /* NDISRT_TOOLS_TRACE_H */
