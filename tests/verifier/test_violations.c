/* SPDX-License-Identifier: MIT */
/*
 * tests/verifier/test_violations.c - the one table of violations
 * (verifier/violations.def): every line complete and found by its number,
 * the numbers reports have always carried unchanged, and ndisrt_violation()
 * raising exactly the bug check and parameters of its line.
 */
#include "tests/harness.h"

#include <string.h>

#include "verifier/violation.h"

Test(verifier_table, every_line_is_complete_and_found_by_its_number)
{
	cr_assert_gt(ndisrt_nr_violations, 0);
	for (unsigned i = 0; i < ndisrt_nr_violations; i++) {
		const struct ndisrt_violation_info *vi = &ndisrt_violations[i];

		cr_assert_eq(ndisrt_violation_info(vi->p1), vi, "line %u (%s)", i, vi->name);
		cr_assert_str_eq(ndisrt_violation_name(vi->p1), vi->name);
		cr_assert(vi->bugcheck == KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION ||
			      vi->bugcheck == KE_BUGCHECK_BUGCODE_NDIS_DRIVER ||
			      vi->bugcheck == KE_BUGCHECK_DPC_WATCHDOG_VIOLATION,
			  "%s: bug check 0x%x", vi->name, vi->bugcheck);
		cr_assert_str_neq(ke_bugcheck_name(vi->bugcheck), "UNKNOWN_BUGCHECK");
		if (vi->bugcheck == KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION)
			cr_assert(
			    (vi->p1 >= 0x2000 && vi->p1 < 0x2400) ||
				(vi->p1 >= 0x1000 && vi->p1 < 0x1010) ||
				(vi->p1 >= 0x1F80 && vi->p1 < 0x2000) ||
				(vi->p1 >= 0x92000 && vi->p1 < 0x93000),
			    "%s: 0xC4 numbers are ndisrt's 0x20xx..0x23xx, Driver Verifier's "
			    "deadlock-detection 0x100x or NDIS rule 0x92xxx, or the verifier's own "
			    "0x1F8x.. (ke/ has 0x1F00..0x1F7F)",
			    vi->name);
		else if (vi->bugcheck == KE_BUGCHECK_DPC_WATCHDOG_VIOLATION)
			cr_assert_leq(vi->p1, 1, "%s: 0x133 has parameter 1 = 0 or 1", vi->name);
		else
			cr_assert_lt(vi->p1, 0x100, "%s: a 0x7C subcode", vi->name);
		cr_assert(vi->rule && vi->rule[0], "%s", vi->name);
		for (int p = 0; p < 3; p++)
			cr_assert(vi->param[p] && vi->param[p][0], "%s: parameter %d", vi->name,
				  p + 2);
		cr_assert(vi->message && strlen(vi->message) > 10, "%s", vi->name);
		cr_assert(vi->fix && strlen(vi->fix) > 10, "%s", vi->name);
	}
	cr_assert_null(ndisrt_violation_info(0x1F00),
		       "ke/'s own numbers are not driver violations");
	cr_assert_null(ndisrt_violation_info(0x1F01),
		       "ke/'s own numbers are not driver violations");
	cr_assert_null(ndisrt_violation_name(0x2000));
}

/* The numbers tests and reports have always used: a line may be added, never renumbered. */
Test(verifier_table, numbers_reports_carry_are_unchanged)
{
	static const struct {
		uint32_t v, p1, bugcheck;
		const char *name;
	} pinned[] = {
#define PIN(n, p, bc) {NDISRT_VIOLATION_##n, p, KE_BUGCHECK_##bc, #n}
	    PIN(WATCHDOG, 0x25, BUGCODE_NDIS_DRIVER),
	    PIN(HALT_WITHOUT_INTERRUPT_DEREGISTER, 0x08, BUGCODE_NDIS_DRIVER),
	    PIN(INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER, 0x0B, BUGCODE_NDIS_DRIVER),
	    PIN(HALT_INIT_WITHOUT_INTERRUPT_DEREGISTER, 0x0D, BUGCODE_NDIS_DRIVER),
	    PIN(IRQL, 0x2001, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(BAD_HANDLE, 0x2002, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(STALE_HANDLE, 0x2003, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NOT_IN_INITIALIZE, 0x2004, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NO_ATTRIBUTES, 0x2005, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(DEREGISTER_CONTEXT, 0x2006, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(BAD_MESSAGE_ID, 0x2007, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(BAD_PROCESSOR, 0x2008, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(ISR_OUTPUT, 0x2009, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NOT_ON_VCPU, 0x200A, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NULL_ROUTINE, 0x200B, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(DATA_RACE, 0x20D0, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(BAD_OBJECT, 0x2101, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(DOUBLE_FREE, 0x2102, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NBL_CHAIN, 0x2103, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(SOURCE_HANDLE, 0x2104, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(INDICATE_PAUSED, 0x2105, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NBL_OWNERSHIP, 0x2106, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(UNEXPECTED_COMPLETE, 0x2107, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(PAUSE_OUTSTANDING, 0x2108, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(COMPLETION_TIMEOUT, 0x2109, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(RESOURCE_LEAK, 0x210A, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(WRONG_CONTEXT, 0x210B, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(BAD_FLAGS, 0x210C, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(BAD_PARAMETER, 0x210D, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NO_DMA, 0x210E, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NOT_HOSTED, 0x210F, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(BAD_ATTRIBUTES, 0x2110, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(LOCK_HELD, 0x2111, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(SPIN_NOT_ALLOCATED, 0x2112, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(SPIN_MISMATCH, 0x2113, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(SPIN_HELD_AT_RETURN, 0x2114, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(LOWER_IRQL, 0x2115, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(STALL_DELAY, 0x2116, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(PROCESS_EXIT, 0x2117, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(USE_AFTER_FREE, 0x2118, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(WRAPPER, 0x2201, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(SEND_COMPLETE, 0x2202, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(NOT_NDIS5, 0x2203, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(LOCK_ORDER, 0x1001, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(SPIN_RECURSION, 0x1000, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(SPIN_NOT_HELD, 0x1007, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(LEAKED_NBL, 0x27, BUGCODE_NDIS_DRIVER),
	    PIN(ISR_SHARED_READ_CLEAR, 0x2301, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(ISR_SHARED_RMW, 0x2302, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(ISR_FALSE_CLAIM, 0x2303, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(INTERRUPT_STORM, 0x2304, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(WATCHDOG_SINGLE, 0x0, DPC_WATCHDOG_VIOLATION),
	    PIN(WATCHDOG_CUMULATIVE, 0x1, DPC_WATCHDOG_VIOLATION),
	    PIN(DEADLOCK, 0x1F80, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(WAIT_AT_DISPATCH, 0x1F81, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(EARLY_REENABLE, 0x2020, DRIVER_VERIFIER_DETECTED_VIOLATION),
	    PIN(INTERRUPTS_LEFT_DISABLED, 0x9200F, DRIVER_VERIFIER_DETECTED_VIOLATION),
#undef PIN
	};

	for (unsigned i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
		const struct ndisrt_violation_info *vi = ndisrt_violation_info(pinned[i].p1);

		cr_assert_eq(pinned[i].v, pinned[i].p1, "%s", pinned[i].name);
		cr_assert_not_null(vi, "%s", pinned[i].name);
		cr_assert_eq(vi->bugcheck, pinned[i].bugcheck, "%s", pinned[i].name);
		cr_assert_str_eq(vi->name, pinned[i].name);
	}
	cr_assert_eq(ndisrt_nr_violations, sizeof(pinned) / sizeof(pinned[0]),
		     "a new line of violations.def gets a pin here");
}

Test(verifier_raise, a_verifier_line_raises_0xC4_with_its_number_and_the_callers_parameters,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_NBL_CHAIN, 0x1111, 0x2222, 0x3333);
	ndisrt_violation(NDISRT_VIOLATION_NBL_CHAIN, 0x1111, 0x2222, 0x3333, NULL);
}

Test(verifier_raise, a_0x7C_line_raises_bugcode_ndis_driver_with_its_subcode,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0xF,
			NDISRT_VIOLATION_HALT_WITHOUT_INTERRUPT_DEREGISTER, 0xA, 0xB, 0);
	ndisrt_violation(NDISRT_VIOLATION_HALT_WITHOUT_INTERRUPT_DEREGISTER, 0xA, 0xB, 0,
			 "a test report");
}
