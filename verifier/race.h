/* SPDX-License-Identifier: MIT */
/*
 * verifier/race.h - the happens-before data-race detector for driver memory
 * (docs/verifier.md, "Data races"), and the ThreadSanitizer entry points a
 * driver compiled with -fsanitize=thread calls (defined in race.c and
 * exported to drivers by the ndisrt binary).
 *
 * Every __tsan_* access of an instrumented driver is a preemption point of
 * the deterministic engine (ke/sim), so that an interrupt can land between
 * any two accesses; under the threads engine it costs one load and a
 * predictable branch. With the detector on (vfy_race_enable(), only under
 * the sim engine, where everything runs on one host thread), each access
 * is also checked against a vector clock per context: each vCPU's passive,
 * DPC and ISR contexts, plus the host thread.
 *
 * Edges: ke spin locks (NDIS spin locks, interrupt locks, so per message or
 * all messages with MsiSyncWithAllMessages), the driver's atomics
 * (Interlocked*), the IRQL on one vCPU (code at IRQL n excludes DPCs and
 * ISRs at or below n on the same vCPU), a DPC request before its DPC
 * (vfy_race_release() on the KDPC where ndis/ queues it), every ISR and DPC
 * before deregistration and halt, and lifecycle points (registration,
 * initialize) before every later ISR and DPC.
 */
#ifndef NDISRT_VERIFIER_RACE_H
#define NDISRT_VERIFIER_RACE_H

#include <stdbool.h>
#include <stdint.h>

#include "ke/ke.h"

#ifdef __cplusplus
extern "C" {
#endif

extern int vfy_race_on; /* non-zero while the detector is enabled */

/**
 * vfy_race_enable() - Check driver memory accesses on @m from now on.
 * Context: host thread, before the devices start; @m must run the sim
 * engine (one host thread). Return: 0, -EINVAL (not a deterministic
 * machine), -ENOMEM, or what ke_hooks_add() returns.
 */
int vfy_race_enable(struct ke_machine *m);

/* What a volatile access of an instrumented driver means to the detector. */
enum vfy_race_volatile {
	VFY_RACE_VOLATILE_MS,	 /* MSVC /volatile:ms: read acquires, write releases (default) */
	VFY_RACE_VOLATILE_PLAIN, /* ISO C: an ordinary access */
};

/**
 * vfy_race_set_volatile() - Choose what __tsan_volatile_* accesses mean (a
 * driver compiled with gcc --param tsan-distinguish-volatile=1 or clang
 * -mllvm -tsan-distinguish-volatile=1 makes them; without the flag a
 * volatile access arrives as a plain one). Context: host thread, before
 * the run. Spec: docs/sim.md "Volatile".
 */
void vfy_race_set_volatile(enum vfy_race_volatile v);

/** vfy_race_disable() - Stop checking and free the tables. Context: host thread. */
void vfy_race_disable(void);

/** vfy_race_reports() - Distinct races reported so far (warn mode keeps going). */
uint64_t vfy_race_reports(void);

/** vfy_race_accesses() - Instrumented accesses seen (loads, stores, atomics). */
uint64_t vfy_race_accesses(void);

/** vfy_race_ran() - Is the detector on, or was it on in the run that ended? */
bool vfy_race_ran(void);

/* The three above describe the running detector, or after
 * vfy_race_disable() the run it ended. */

/**
 * vfy_race_release() / vfy_race_acquire() - A happens-before edge through
 * @obj: everything the current context did before the release happens
 * before everything it does after a later acquire of the same @obj.
 * Releases accumulate (several releasers, one acquirer sees them all).
 * Context: the code that makes the edge (a DDI, ndis/'s DPC request).
 */
void vfy_race_release_slow(const void *obj);
void vfy_race_acquire_slow(const void *obj);

static inline void vfy_race_release(const void *obj)
{
	if (__builtin_expect(vfy_race_on, 0))
		vfy_race_release_slow(obj);
}

static inline void vfy_race_acquire(const void *obj)
{
	if (__builtin_expect(vfy_race_on, 0))
		vfy_race_acquire_slow(obj);
}

/* The objects of the lifecycle edges (their addresses are the keys). */
extern const char
    vfy_race_lifecycle; /* released at registration, initialize; acquired by ISRs and DPCs */
extern const char
    vfy_race_quiesce; /* released by every ISR and DPC; acquired at deregistration, halt */

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_VERIFIER_RACE_H */
