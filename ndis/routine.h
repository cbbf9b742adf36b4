/* SPDX-License-Identifier: MIT */
/*
 * ndis/routine.h - every miniport routine NDIS calls returns as it was
 * entered: at the IRQL it was called at, holding no NDIS spin lock it did not
 * hold on entry (rule K3; docs/verifier.md "Routines return as entered").
 *
 * A caller brackets the call with ndis_routine_enter() / ndis_routine_exit();
 * a routine that returns otherwise is reported against itself, by name, not
 * against the code of ndisrt that called it.
 */
#ifndef NDISRT_NDIS_ROUTINE_H
#define NDISRT_NDIS_ROUTINE_H

#include <stdint.h>

#include "ke/ke.h"

struct ndis_routine {
	const char *name; /* "MiniportInterruptDPC", ... */
	const void *fn;	  /* the driver's routine */
	unsigned held;	  /* NDIS spin locks this vCPU held on entry */
	ke_irql_t irql;	  /* the IRQL on entry */
};

unsigned ndis_spin_held(void); /* ndis/lock.c */

static inline void ndis_routine_enter(struct ndis_routine *r, const char *name, const void *fn)
{
	r->name = name;
	r->fn = fn;
	r->held = ndis_spin_held();
	r->irql = ke_irql_current();
}

/**
 * ndis_routine_exit_slow() - @r's routine returned otherwise than entered:
 * bug check 0xC4 SPIN_HELD_AT_RETURN (a lock still held; P2 the routine,
 * P3 locks on entry, P4 on return), else 0xC8 IRQL_UNEXPECTED_VALUE (P1 the
 * IRQL now, P2 the IRQL on entry, P3 the routine). Does not return.
 * Context: the vCPU that ran the routine.
 */
_Noreturn void ndis_routine_exit_slow(const struct ndis_routine *r, unsigned held, ke_irql_t irql);

static inline void ndis_routine_exit(const struct ndis_routine *r)
{
	unsigned held = ndis_spin_held();
	ke_irql_t irql = ke_irql_current();

	if (__builtin_expect(held != r->held || irql != r->irql, 0))
		ndis_routine_exit_slow(r, held, irql);
}

#endif /* NDISRT_NDIS_ROUTINE_H */
