/* SPDX-License-Identifier: MIT */
/*
 * hw/irq_sink.h - the wire between a device's interrupt pins and whatever
 * receives them.
 *
 * A device model signals interrupts only through this table, so it never
 * knows whether an interrupt controller on a ke machine (hw/intc.h) or a
 * test's recording sink is listening.
 */
#ifndef NDISRT_HW_IRQ_SINK_H
#define NDISRT_HW_IRQ_SINK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Obligations of an implementation (the device may call every member with
 * its own spin lock held, at HIGH_LEVEL, from a vCPU thread, a host thread or
 * a real-time signal handler):
 *  - every member is async-signal-safe, lock-free and never blocks;
 *  - every member is callable concurrently from several threads;
 *  - no member calls back into the device.
 */
struct hw_irq_sink_ops {
	/*
	 * The device's INTx output changed level. The device calls it only on
	 * a change, but an implementation must tolerate repeats.
	 */
	void (*line_set)(void *ctx, bool asserted);
	/*
	 * Pulse the INTx output: one interrupt request with no change of
	 * level (host fault injection, "spurious interrupt"). May be NULL: the
	 * device then asserts and deasserts the line.
	 */
	void (*line_pulse)(void *ctx);
	/* A message-signalled interrupt: a 32-bit memory write of @data at @addr. */
	void (*msi_write)(void *ctx, uint64_t addr, uint32_t data);
};

struct hw_irq_sink {
	const struct hw_irq_sink_ops *ops;
	void *ctx;
};

#endif /* NDISRT_HW_IRQ_SINK_H */
