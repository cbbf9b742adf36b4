/* SPDX-License-Identifier: MIT */
/*
 * verifier/violation.c - the table of verifier/violations.def as data, and
 * ndisrt_violation(), the one function every driver-rule check ends in.
 */
#include "verifier/violation.h"

#include "ke/ke.h"

/* Each line's rule is an id of verifier/rules.def: a misspelt one does not compile. */
enum {
#define RULE(id, family, statement) VERIFIER_RULE_##id,
#include "verifier/rules.def"
#undef RULE
};
#define VIOLATION(name, bugcheck, p1, rule, p2, p3, p4, message, fix) \
	_Static_assert(VERIFIER_RULE_##rule >= 0, #name ": its rule is in rules.def");
#include "verifier/violations.def"
#undef VIOLATION

const struct ndisrt_violation_info ndisrt_violations[] = {
#define VIOLATION(name_, bugcheck_, p1_, rule_, p2_, p3_, p4_, message_, fix_) \
	{.bugcheck = KE_BUGCHECK_##bugcheck_,                                  \
	 .p1 = p1_,                                                            \
	 .name = #name_,                                                       \
	 .rule = #rule_,                                                       \
	 .param = {p2_, p3_, p4_},                                             \
	 .message = message_,                                                  \
	 .fix = fix_},
#include "verifier/violations.def"
#undef VIOLATION
};

const unsigned ndisrt_nr_violations = sizeof(ndisrt_violations) / sizeof(ndisrt_violations[0]);

/* The index of @v's line; a parameter 1 given twice is a duplicate case label. */
static int violation_index(uint32_t v)
{
	enum {
#define VIOLATION(name, bugcheck, p1, rule, p2, p3, p4, message, fix) VERIFIER_LINE_##name,
#include "verifier/violations.def"
#undef VIOLATION
	};

	switch (v) {
#define VIOLATION(name, bugcheck, p1, rule, p2, p3, p4, message, fix) \
	case p1:                                                      \
		return VERIFIER_LINE_##name;
#include "verifier/violations.def"
#undef VIOLATION
	default:
		return -1;
	}
}

const struct ndisrt_violation_info *ndisrt_violation_info(uint32_t v)
{
	int i = violation_index(v);

	return i < 0 ? NULL : &ndisrt_violations[i];
}

const char *ndisrt_violation_name(uint32_t v)
{
	const struct ndisrt_violation_info *vi = ndisrt_violation_info(v);

	return vi ? vi->name : NULL;
}

_Noreturn void ndisrt_violation(enum ndisrt_violation v, uintptr_t p2, uintptr_t p3, uintptr_t p4,
				const char *what)
{
	const struct ndisrt_violation_info *vi = ndisrt_violation_info(v);

	/* Every enumerator has a line; anything else is a runtime bug, reported as 0xC4 all the same. */
	ke_bugcheck(vi ? vi->bugcheck : KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, v, p2, p3,
		    p4,
		    what ? what
		    : vi ? vi->message
			 : "unknown violation");
}
