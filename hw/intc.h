/* SPDX-License-Identifier: MIT */
/*
 * hw/intc.h - the interrupt controller of a ke machine.
 *
 * Two delivery paths, as on a PC:
 *  - INTx lines: level-triggered and shareable. Each line owns one ke vector
 *    at the DIRQL chosen when it is created and a set of target vCPUs. The
 *    line is asserted while at least one of its sources asserts it. A
 *    deasserted-to-asserted transition requests the vector on a target; the
 *    end-of-interrupt callback requests it again while the line is still
 *    asserted after every ISR returned, so an interrupt storm shows up as
 *    counted re-assertions, never as silence.
 *  - MSI/MSI-X: a device's 32-bit "memory write" decoded the x86 way
 *    (address 0xFEE00000 | destination << 12, data = vector) into one
 *    ke_interrupt_request(). Writes that decode to nothing are counted and
 *    dropped.
 */
#ifndef NDISRT_HW_INTC_H
#define NDISRT_HW_INTC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdatomic.h>

#include "ke/ke.h"
#include "hw/irq_sink.h"

#define INTC_MSI_ADDR_BASE 0xFEE00000u
#define INTC_MSI_ADDR_MASK 0xFFF00000u
#define INTC_MSI_DEST_SHIFT 12

struct intc;
struct intc_line;

/*
 * One device's connection to the controller: an INTx source on a line (or
 * none) and the MSI path. Embedded in the device's owner; initialise with
 * intc_source_init() and hand intc_source_sink() to the device.
 *
 * Lock key: (c) constant after init  (a) atomic
 */
struct intc_source {
	struct intc *ic;	/* (c) */
	struct intc_line *line; /* (c) NULL: this source has no INTx pin */
	atomic_bool asserted;	/* (a) the level this source drives */
	atomic_uint rises;	/* (a) its deasserted -> asserted transitions */
};

struct intc_line_stats {
	uint64_t assertions;	   /* deasserted -> asserted transitions */
	uint64_t reassertions;	   /* requests made at EOI because the line stayed asserted */
	uint64_t pulses;	   /* spurious pulses injected by a device's host controls */
	unsigned sources_asserted; /* sources asserting it now */
};

struct intc_stats {
	uint64_t msi_delivered; /* writes decoded into an interrupt request */
	uint64_t msi_rejected;	/* writes that decoded to nothing */
};

/**
 * intc_create() - Create the interrupt controller of @m.
 * Context: host thread.
 * Return: the controller, or NULL with errno set.
 */
struct intc *intc_create(struct ke_machine *m);

/**
 * intc_free() - Free @ic. Every line must have been freed first.
 * Context: host thread; no device may signal through @ic any more.
 */
void intc_free(struct intc *ic);

struct ke_machine *intc_machine(const struct intc *ic);

/**
 * intc_line_create() - Create an INTx line at @irql delivered to @targets.
 * @irql: DIRQL of the line's vector (KE_DIRQL_MIN..KE_DIRQL_MAX).
 * @targets: bitmap of vCPUs the line may interrupt; 0 means vCPU 0. The
 *	line interrupts the lowest-numbered target on a new assertion, and
 *	re-asserts on the vCPU that signalled end-of-interrupt when it is a
 *	target (so a storm stays where it started).
 * Context: host thread.
 * Return: the line, or NULL with errno (EINVAL, ENOSPC: no vector at @irql).
 */
struct intc_line *intc_line_create(struct intc *ic, ke_irql_t irql, uint64_t targets);

/**
 * intc_line_free() - Release the line and its vector.
 * Context: host thread; every source on the line deasserted or gone, and
 * every ke_interrupt on the vector disconnected.
 */
void intc_line_free(struct intc_line *line);

unsigned intc_line_vector(const struct intc_line *line);
ke_irql_t intc_line_irql(const struct intc_line *line);
uint64_t intc_line_targets(const struct intc_line *line);
bool intc_line_asserted(const struct intc_line *line);
void intc_line_get_stats(const struct intc_line *line, struct intc_line_stats *out);

/**
 * intc_source_init() - Connect a device to @ic and, if @line, to that line.
 * Context: any thread; async-signal-safe.
 */
void intc_source_init(struct intc_source *src, struct intc *ic, struct intc_line *line);

/**
 * intc_source_level() - Whether @src asserts its line now; @rises (may be
 * NULL) receives how many times it went from deasserted to asserted. Two
 * calls with the same count and "not asserted" both times mean the source
 * did not assert in between (the verifier's false-claim check).
 * Context: any; async-signal-safe, lock-free.
 */
static inline bool intc_source_level(struct intc_source *src, unsigned *rises)
{
	if (rises)
		*rises = atomic_load_explicit(&src->rises, memory_order_seq_cst);
	return atomic_load_explicit(&src->asserted, memory_order_seq_cst);
}

/** intc_source_sink() - The irq sink a device signals @src through. */
struct hw_irq_sink intc_source_sink(struct intc_source *src);

/**
 * intc_source_set() - Drive @src's level on its line.
 * Context: any thread, any IRQL; async-signal-safe, lock-free.
 */
void intc_source_set(struct intc_source *src, bool asserted);

/**
 * intc_msi_compose() - The address/data pair that delivers @vector to @vcpu.
 * Context: any. This is what an OS writes into an MSI-X table entry.
 * Return: 0, or -EINVAL if @vcpu does not exist or @vector is not a device
 * vector (level KE_DIRQL_MIN..KE_DIRQL_MAX).
 */
int intc_msi_compose(const struct intc *ic, unsigned vector, unsigned vcpu, uint64_t *addr,
		     uint32_t *data);

/**
 * intc_msi_write() - A device's MSI memory write.
 * Context: any thread, any IRQL; async-signal-safe, lock-free.
 * Return: 0 if delivered; -EINVAL if it decoded to nothing (counted).
 */
int intc_msi_write(struct intc *ic, uint64_t addr, uint32_t data);

void intc_get_stats(const struct intc *ic, struct intc_stats *out);

#endif /* NDISRT_HW_INTC_H */
