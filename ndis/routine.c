/* SPDX-License-Identifier: MIT */
/*
 * ndis/routine.c - the report of a miniport routine that returned otherwise
 * than it was entered (ndis/routine.h).
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"
#include "ndis/routine.h"

#include "verifier/violation.h"

/* The one-line report, built without stdio (a DPC may be in a signal handler). */
static __thread char what[320];

static void put(size_t *n, const char *s)
{
	while (*s && *n < sizeof(what) - 1)
		what[(*n)++] = *s++;
	what[*n] = 0;
}

void ndis_routine_exit_slow(const struct ndis_routine *r, unsigned held, ke_irql_t irql)
{
	size_t n = 0;

	put(&n, "the miniport's ");
	put(&n, r->name);
	if (held != r->held) {
		put(&n, " returned holding an NDIS spin lock it acquired (release every lock "
			"before the routine returns; parameter 2 = the routine, 3 = locks held on "
			"entry, 4 = on return)");
		ndisrt_violation(NDISRT_VIOLATION_SPIN_HELD_AT_RETURN, (uintptr_t)r->fn, r->held,
				 held, what);
	}
	put(&n, " returned at an IRQL other than the one it was called at (parameter 1 = the "
		"IRQL now, 2 = on entry, 3 = the routine; lower what you raised, release what "
		"you acquired)");
	ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, irql, r->irql, (uintptr_t)r->fn, 0, what);
}
