/* SPDX-License-Identifier: MIT */
/*
 * verifier/violation.h - the one table of contract violations
 * (verifier/violations.def) and the one function that raises them.
 *
 * Every check in ndis/ that stops the machine because a driver broke a rule
 * calls ndisrt_violation() with an NDISRT_VIOLATION_* value; the table gives
 * the Windows bug check (0xC4 or 0x7C), parameter 1, the rule it enforces
 * (verifier/rules.def), what parameters 2..4 carry, a message and a fix.
 * docs/contract.md (§23) lists them.
 */
#ifndef NDISRT_VERIFIER_VIOLATION_H
#define NDISRT_VERIFIER_VIOLATION_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameter 1 of the bug check of each violation (0xC4: ndisrt's rule number; 0x7C: subcode). */
enum ndisrt_violation {
#define VIOLATION(name, bugcheck, p1, rule, p2, p3, p4, message, fix) NDISRT_VIOLATION_##name = p1,
#include "verifier/violations.def"
#undef VIOLATION
};

/* One line of verifier/violations.def. */
struct ndisrt_violation_info {
	uint32_t bugcheck;    /* KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, ... */
	uint32_t p1;	      /* enum ndisrt_violation */
	const char *name;     /* "IRQL", ... */
	const char *rule;     /* "C1", ... : an id of verifier/rules.def */
	const char *param[3]; /* what parameters 2, 3 and 4 carry */
	const char *message;  /* what went wrong */
	const char *fix;      /* what the driver should do instead */
};

/* The table, in the order of verifier/violations.def. */
extern const struct ndisrt_violation_info ndisrt_violations[];
extern const unsigned ndisrt_nr_violations;

/**
 * ndisrt_violation_info() - The line of @v, or NULL if no line has it.
 * Context: any (async-signal-safe).
 */
const struct ndisrt_violation_info *ndisrt_violation_info(uint32_t v);

/**
 * ndisrt_violation_name() - "IRQL", "NBL_CHAIN", ... for @v, or NULL.
 * Context: any (async-signal-safe).
 */
const char *ndisrt_violation_name(uint32_t v);

/**
 * ndisrt_violation() - Stop the machine: the driver broke the rule @v
 * enforces. Raises the bug check of @v's line with parameter 1 = @v and
 * @p2..@p4 as the line says; @what is the one-line report of this call site
 * (the line's message when NULL).
 * Context: any thread, any IRQL, async-signal-safe. Does not return.
 */
_Noreturn void ndisrt_violation(enum ndisrt_violation v, uintptr_t p2, uintptr_t p3, uintptr_t p4,
				const char *what);

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_VERIFIER_VIOLATION_H */
