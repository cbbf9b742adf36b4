/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_bugcheck.c - the bug-check report: code, four parameters,
 * vCPU, IRQL, and a call chain that names every frame it can, static
 * functions included.
 */
#include "tests/harness.h"

#include <execinfo.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* Read what ke_bugcheck_print() wrote for @r. */
static void print_report(const struct ke_bugcheck_report *r, char *out, size_t cap)
{
	int fd = memfd_create("report", 0);
	ssize_t n;

	cr_assert_geq(fd, 0);
	ke_bugcheck_print(fd, r);
	cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
	n = read(fd, out, cap - 1);
	cr_assert_gt(n, 0);
	out[n] = 0;
	close(fd);
}

/* Static and not inlined: exported by nothing, so only .symtab names it. */
static __attribute__((noinline)) int static_frame_for_the_call_chain(void **frames, int max)
{
	int n = backtrace(frames, max);

	__asm__ volatile("" ::: "memory"); /* keep this frame a real call */
	return n;
}

Test(ke_bugcheck, report_has_code_parameters_vcpu_irql_and_a_named_call_chain)
{
	struct ke_bugcheck_report r;
	static char out[16384];

	memset(&r, 0, sizeof(r));
	r.code = KE_BUGCHECK_IRQL_NOT_LESS_OR_EQUAL;
	r.param[0] = 0x1234;
	r.param[1] = 2;
	r.param[2] = 1;
	r.param[3] = 0xFFFF800012345678ull;
	r.vcpu = 1;
	r.irql = KE_DISPATCH_LEVEL;
	r.what = "a test report";
	r.nr_frames = static_frame_for_the_call_chain(r.frames, KE_BUGCHECK_MAX_FRAMES);
	print_report(&r, out, sizeof(out));
	cr_assert(strstr(out, "*** STOP: 0x0000000A (0x0000000000001234,0x0000000000000002,"
			      "0x0000000000000001,0xFFFF800012345678)"),
		  "%s", out);
	cr_assert(strstr(out, "*** IRQL_NOT_LESS_OR_EQUAL"), "%s", out);
	cr_assert(strstr(out, "vCPU 1 at IRQL 2 (DISPATCH_LEVEL)"), "%s", out);
	cr_assert(strstr(out, "What: a test report"), "%s", out);
	/* #0 is it, or #1 under ASan (whose backtrace() interceptor is a frame). */
	cr_assert(strstr(out, "   static_frame_for_the_call_chain"), "%s", out);
	cr_assert(strstr(out, "report_has_code_parameters_vcpu_irql_and_a_named_call_chain"),
		  "the test's own frame is named too:\n%s", out);
}

Test(ke_bugcheck, frames_outside_any_module_are_printed_not_dereferenced)
{
	struct ke_bugcheck_report r;
	static char out[4096];

	memset(&r, 0, sizeof(r));
	r.code = KE_BUGCHECK_KMODE_EXCEPTION_NOT_HANDLED;
	r.vcpu = -1;
	r.frames[0] = (void *)(uintptr_t)0x10;
	r.nr_frames = 1;
	print_report(&r, out, sizeof(out));
	cr_assert(strstr(out, "*** KMODE_EXCEPTION_NOT_HANDLED"), "%s", out);
	cr_assert(strstr(out, "host thread at IRQL"), "%s", out);
	cr_assert(strstr(out, "  #0   ?+0x10  (?)"), "%s", out);
}
