/* SPDX-License-Identifier: MIT */
/*
 * verifier/vfy.h - the verifier's run-time checks, as ndis/ calls them
 * (docs/verifier.md).
 *
 * One verifier per process (ndisrt runs one machine). It is off until
 * vfy_set_mode() turns it on; every entry point below then costs one load
 * and a predictable branch while off. ndis/ calls it from its DDIs, where
 * the driver's own return address is at hand, so findings name the driver's
 * frames.
 *
 * Modes: VFY_FATAL stops the machine with the finding's bug check (its line
 * in verifier/violations.def); VFY_WARN prints it, counts it and goes on.
 */
#ifndef NDISRT_VERIFIER_VFY_H
#define NDISRT_VERIFIER_VFY_H

#include <stdbool.h>
#include <stdint.h>

#include "ke/ke.h"

enum vfy_mode {
	VFY_OFF = 0,
	VFY_WARN = 1,
	VFY_FATAL = 2,
};

/* A finding in warn mode, for the host's report (and SARIF). */
struct vfy_finding {
	uint32_t violation;  /* enum ndisrt_violation: its line in violations.def */
	uintptr_t param[3];  /* parameters 2..4 */
	const char *what;    /* one line */
	void *const *frames; /* where: return addresses, innermost first */
	int nr_frames;
};

typedef void vfy_reporter_fn(const struct vfy_finding *f, void *ctx);

extern int vfy_active; /* non-zero while the mode is not VFY_OFF (read on every hook) */

/**
 * vfy_set_mode() - Turn the verifier on or off. Allocates its tables the
 * first time it is turned on.
 * Context: host thread, before the machine runs drivers.
 * Return: 0, or -ENOMEM.
 */
int vfy_set_mode(enum vfy_mode mode);
enum vfy_mode vfy_mode(void);

/**
 * vfy_set_reporter() - Who hears about warn-mode findings besides stderr
 * (NULL: nobody). @fn runs on the finding's vCPU, possibly in a signal
 * handler: it must be async-signal-safe.
 */
void vfy_set_reporter(vfy_reporter_fn *fn, void *ctx);

/**
 * vfy_report() - A finding of one of the verifier's checks: in fatal mode
 * the bug check of @violation's line (does not return); in warn mode a
 * line on stderr with @frames, a count, and the reporter.
 * Context: any thread, any IRQL, async-signal-safe.
 */
void vfy_report(uint32_t violation, uintptr_t p2, uintptr_t p3, uintptr_t p4, const char *what,
		void *const *frames, int nr_frames);

/** vfy_warnings() - Findings reported in warn mode so far. */
uint64_t vfy_warnings(void);

/* ------------------------------------------------------------ lock order */

/**
 * vfy_lock_site() - @lock (an NDIS spin lock) was set up at @site, the
 * address NdisAllocateSpinLock returns to: the lock's class, so that locks
 * allocated by one line of code (one per queue, say) are one class.
 * Context: any IRQL, async-signal-safe.
 */
void vfy_lock_site_slow(const void *lock, void *site);

static inline void vfy_lock_site(const void *lock, void *site)
{
	if (__builtin_expect(vfy_active, 0))
		vfy_lock_site_slow(lock, site);
}

/**
 * vfy_lock_acquired() - This vCPU takes (or has just taken) @lock, to be
 * held at @irql; @pc is where the driver takes it. @name names the kind of
 * lock ("NDIS spin lock", "interrupt lock"). Checks the order against every
 * lock this vCPU holds. Call it before spinning where possible: an inversion
 * is then reported even by the acquisition that would deadlock.
 * Context: any IRQL on a vCPU.
 */
void vfy_lock_acquired_slow(const void *lock, const char *name, ke_irql_t irql, void *pc);

static inline void vfy_lock_acquired(const void *lock, const char *name, ke_irql_t irql, void *pc)
{
	if (__builtin_expect(vfy_active, 0))
		vfy_lock_acquired_slow(lock, name, irql, pc);
}

/** vfy_lock_releasing() - This vCPU is about to release @lock. */
void vfy_lock_releasing_slow(const void *lock);

static inline void vfy_lock_releasing(const void *lock)
{
	if (__builtin_expect(vfy_active, 0))
		vfy_lock_releasing_slow(lock);
}

#endif /* NDISRT_VERIFIER_VFY_H */
