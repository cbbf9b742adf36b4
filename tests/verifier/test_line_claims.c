/* SPDX-License-Identifier: MIT */
/*
 * What a line ISR does with its line (rules I11, I12; ndis/interrupt.c's
 * check_line_claim()), with the verifier on, fatal: two VN-1s, NICs of a
 * driver built from the sample's sources. The planted P4 (claims every
 * interrupt) on a shared line and P5 (never dismisses its level cause) stop
 * the machine with their rule's bug check; the sample on a shared line runs
 * clean, frames flowing both ways.
 */
#include <criterion/criterion.h>

#include "tests/host/thost.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"

#define RACY_P4_SO NDISRT_DRIVER_DIR "/racy_p4.so"
#define RACY_P5_SO NDISRT_DRIVER_DIR "/racy_p5.so"

/* Frames both ways, without waiting for completions (a storm may stop them). */
static void traffic(struct th *t, unsigned frames)
{
	static uint8_t buf[2048];
	struct wire_gen_config g = th_gen(128, 4);
	const void *f[1] = {buf};
	size_t len;

	for (unsigned i = 0; i < frames; i++) {
		len = th_frame(&g, i, buf);
		(void)ndisrt_nic_send(t->nic[i % 2], 0, f, &len, 1);
	}
}

static void start(struct th *t, const char *so, bool shared)
{
	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	th_init(t, 2);
	th_load(t, so);
	th_pair(t, HW_IRQ_LINE, NDISRT_IRQ_LINE, 0, 0, shared);
}

Test(line_claims, I11_isr_claiming_every_interrupt_on_a_shared_line_is_reported,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct th t;

	start(&t, RACY_P4_SO, true);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1,
			NDISRT_VIOLATION_ISR_FALSE_CLAIM, 0, 0, 0);
	traffic(&t, 64);
	WAIT_UNTIL(false);
}

Test(line_claims, I11_sample_on_a_shared_line_runs_clean)
{
	static struct th t;
	struct wire_gen_config g = th_gen(128, 4);

	start(&t, VN1_SO, true);
	th_send(&t, 0, 0, &g, 0, 200, 16);
	th_send(&t, 1, 1, &g, 0, 200, 16);
	WAIT_UNTIL(atomic_load(&t.rx[0].frames) == 200 && atomic_load(&t.rx[1].frames) == 200);
	th_fini(&t);
}

Test(line_claims, I12_isr_that_never_dismisses_is_an_interrupt_storm,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct th t;

	start(&t, RACY_P5_SO, false);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1,
			NDISRT_VIOLATION_INTERRUPT_STORM, 0, 0, 0);
	traffic(&t, 64);
	WAIT_UNTIL(false);
}
