/* SPDX-License-Identifier: MIT */
/*
 * verifier/watchdog.h - the DPC watchdog and the deadlock detector
 * (docs/verifier.md "Watchdogs").
 *
 * Subscribed to ke's hooks off the fast paths (ISR, DPC and contended-spin
 * events; lock events only when lock holds are timed), the watchdog keeps,
 * per vCPU, what it runs and since when on the engine clock, and a host
 * timer of the machine looks at it periodically; it samples each vCPU's IRQL
 * for the cumulative watchdog rather than hooking every IRQL change, so the
 * IRQL and spin-lock fast paths stay inline. An ISR, a DPC or a spin on a spin lock (an NDIS spin lock or
 * an interrupt lock) that lasts longer than its allotment, or a vCPU that
 * stays at DISPATCH_LEVEL or above longer than the cumulative allotment,
 * stops the machine with bug check 0x133 DPC_WATCHDOG_VIOLATION raised on
 * the stuck vCPU (so the report's chain is the stuck code's), after the
 * lock holder's chain; vCPUs spinning on each other's locks are a deadlock,
 * bug check 0xC4 0x1F80. Microsoft's guidance (an ISR within 25 us, a DPC
 * within 100 us, a lock held for less than 25 us) is counted, not enforced.
 */
#ifndef NDISRT_VERIFIER_WATCHDOG_H
#define NDISRT_VERIFIER_WATCHDOG_H

#include <stdint.h>

#include "ke/ke.h"

/* Allotments in nanoseconds on the engine clock; 0 turns that watchdog off. */
struct vfy_watchdog_config {
	uint64_t isr_ns;      /* one ISR (with what it spins on) */
	uint64_t dpc_ns;      /* one DPC routine */
	uint64_t spin_ns;     /* one contended spin-lock acquisition */
	uint64_t dispatch_ns; /* without a break below DISPATCH_LEVEL (P1 = 1) */
	/*
	 * Guidance: durations above these are counted (vfy_watchdog_counts).
	 * hold_warn_ns 0 (the default) times no lock hold: timing them takes
	 * every spin-lock operation out of ke's inline fast path (the lock hooks),
	 * which more than doubles the main job's CPU time (docs/performance.md).
	 */
	uint64_t isr_warn_ns, dpc_warn_ns, hold_warn_ns;
};

/* The defaults (docs/verifier.md): seconds, far above a loaded CI machine's noise. */
#define VFY_WD_ISR_MS 5000u
#define VFY_WD_DPC_MS 5000u
#define VFY_WD_SPIN_MS 5000u
#define VFY_WD_DISPATCH_MS 20000u
#define VFY_WD_ISR_WARN_NS 25000u
#define VFY_WD_DPC_WARN_NS 100000u
#define VFY_WD_HOLD_WARN_NS 25000u /* what `--watchdog hold-us` means without a number */

/** vfy_watchdog_defaults() - Fill @c with the defaults above. */
void vfy_watchdog_defaults(struct vfy_watchdog_config *c);

/**
 * vfy_watchdog_start() - Watch @m's vCPUs: subscribe to its hooks and arm
 * the periodic check. One machine at a time.
 * Context: host thread, before the machine runs drivers.
 * Return: 0; -EBUSY if a machine is already watched; -ENOMEM; or the error
 * of ke_hooks_add().
 */
int vfy_watchdog_start(struct ke_machine *m, const struct vfy_watchdog_config *c);

/**
 * vfy_watchdog_stop() - Stop watching @m (the counts stay readable).
 * Context: host thread, before @m is freed.
 */
void vfy_watchdog_stop(struct ke_machine *m);

/* The guidance counts: how many ISRs, DPCs and lock holds exceeded it, and the longest. */
struct vfy_watchdog_counts {
	uint64_t isr_over, dpc_over, hold_over;
	uint64_t isr_max_ns, dpc_max_ns, hold_max_ns;
	uint64_t isrs, dpcs, holds; /* how many were timed */
	uint64_t hold_warn_ns;	    /* the hold threshold; 0: holds were not timed */
};

/** vfy_watchdog_counts() - The guidance counts so far. Context: any. */
void vfy_watchdog_counts(struct vfy_watchdog_counts *out);

#endif /* NDISRT_VERIFIER_WATCHDOG_H */
