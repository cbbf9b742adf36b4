/* SPDX-License-Identifier: MIT */
/*
 * A pended pause that never completes (rule H1, 0xC4 COMPLETION_TIMEOUT):
 * NDIS waits a bounded time on the engine clock (30 s, HOST_WAIT_NS), so
 * the test runs on the deterministic engine, whose virtual time jumps
 * ahead while nothing can run: the report comes at once, not after 30 s.
 * vdrv_pend_pause returns NDIS_STATUS_PENDING from MiniportPause and never
 * calls NdisMPauseComplete; vdrv_ok's pause completes and the halt is
 * silent on the same engine (the guard).
 */
#include "tests/host/thost.h"

#include "ke/sim/sim.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION
#define VDRV(name) NDISRT_TDRV_DIR "/vdrv_" name ".so"

/* One NIC of @so on a sim machine (default schedule, so the run is the same every time). */
static void start_sim(struct th *t, const char *so)
{
	struct ndisrt_host_config hc = {.nr_vcpus = 2, .engine = ke_sim_engine()};
	struct ke_sim_config c;

	ke_sim_config_init(&c);
	c.strategy = KE_SIM_STRATEGY_DEFAULT;
	cr_assert_eq(ke_sim_configure(&c), 0);
	memset(t, 0, sizeof(*t));
	t->h = ndisrt_host_create(&hc);
	cr_assert_not_null(t->h);
	th_load(t, so);
	th_dev(t, 0, 0 /* line */, 0, false);
	th_nic(t, 0, NDISRT_IRQ_LINE, 0, 0);
}

Test(verifier_completion, H1_pended_pause_never_completed_is_reported_after_its_bound,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct th t;

	start_sim(&t, VDRV("pend_pause"));
	/* Parameter 3: receive NBLs still out (0); 4: the DDI NdisMPauseComplete. */
	expect_bugcheck(C4, 0x5, NDISRT_VIOLATION_COMPLETION_TIMEOUT, 0, 0, 0);
	ndisrt_nic_halt(t.nic[0]); /* pauses first */
	cr_assert_fail("a pause pended for ever did not bug check");
}

Test(verifier_completion, H1_pause_completed_at_once_on_the_same_engine_is_silent)
{
	static struct th t;

	start_sim(&t, VDRV("ok"));
	ndisrt_nic_halt(t.nic[0]);
	t.nic[0] = NULL;
	ndisrt_driver_unload(t.drv);
	hw_device_free(t.dev[0]);
	intc_line_free(t.line[0]);
	ndisrt_host_free(t.h);
}
