/* SPDX-License-Identifier: MIT */
/*
 * tests/host/test_contain.c - a driver cannot end the process or hang a
 * phase (docs/reliability.md): rules H5 and H6, in process. The end-to-end
 * escapes (stack overflows, bad jumps, every looping phase) are in
 * tests/tools/test_reliability.sh.
 */
#include "tests/host/thost.h"

#include "ndisrt/phase.h"
#include "verifier/violation.h"

#define TCONTAIN(name) NDISRT_TDRV_DIR "/tcontain_" name ".so"

Test(host_contain, H5_a_driver_calling_exit_is_a_bug_check_not_an_exit,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct th t;
	struct ndisrt_driver *d;

	th_init(&t, 1);
	/* P2 1: exit(); P3 its status, 0; P4 the call site (any). */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x7,
			NDISRT_VIOLATION_PROCESS_EXIT, 1, 0, 0);
	ndisrt_driver_load(t.h, TCONTAIN("exit"), &d, t.err, sizeof(t.err));
	cr_assert_fail("exit() in DriverEntry returned to the loader: %s", t.err);
}

Test(host_contain, H5_exit_in_an_elf_constructor_fails_the_load)
{
	struct th t;
	struct ndisrt_driver *d = (struct ndisrt_driver *)1;

	th_init(&t, 1);
	cr_assert_eq(ndisrt_driver_load(t.h, TCONTAIN("ctor_exit"), &d, t.err, sizeof(t.err)), -1);
	cr_assert_null(d);
	cr_assert_not_null(strstr(t.err, "its ELF constructor called exit(3)"), "%s", t.err);
	cr_assert_null(strchr(t.err, '\n'), "one line: %s", t.err);
	/* The process goes on (a failed constructor leaves the loader's lock
	 * taken by this thread, which is recursive: nothing else to check). */
}

Test(host_contain, H6_a_driver_entry_that_never_returns_meets_its_deadline,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .timeout = 60)
{
	struct th t;
	struct ndisrt_driver *d;

	th_init(&t, 1);
	ndisrt_phase_set_timeout(NDISRT_PHASE_ENTRY, 200000000); /* 0.2 s */
	/* 0x7C, P1 0x25 NDIS_BUGCHECK_WATCHDOG, P2 0x81 DriverEntry, P3 200 ms. */
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0x7, NDISRT_VIOLATION_WATCHDOG,
			NDISRT_WATCHDOG_DRIVER_ENTRY, 200, 0);
	ndisrt_driver_load(t.h, TCONTAIN("loop"), &d, t.err, sizeof(t.err));
	cr_assert_fail("a looping DriverEntry returned: %s", t.err);
}

Test(host_contain, K7_a_driver_sleeping_at_dispatch_level_is_a_bug_check,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct th t;
	struct ndisrt_driver *d;

	th_init(&t, 1);
	/* P2 2: usleep; P3 the IRQL, DISPATCH_LEVEL; P4 the call site (any). */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x7,
			NDISRT_VIOLATION_WAIT_AT_DISPATCH, 2, KE_DISPATCH_LEVEL, 0);
	ndisrt_driver_load(t.h, TCONTAIN("sleep_raised"), &d, t.err, sizeof(t.err));
	cr_assert_fail("usleep() at DISPATCH_LEVEL returned: %s", t.err);
}

Test(host_contain, K7_a_driver_sleeping_at_passive_level_sleeps)
{
	struct th t;
	struct ndisrt_driver *d = (struct ndisrt_driver *)1;

	th_init(&t, 1);
	/* DriverEntry sleeps, then fails with its own status: the load fails as usual. */
	cr_assert_eq(ndisrt_driver_load(t.h, TCONTAIN("sleep_passive"), &d, t.err, sizeof(t.err)),
		     -1);
	cr_assert_null(d);
	cr_assert_null(strstr(t.err, "bug check"), "%s", t.err);
}
