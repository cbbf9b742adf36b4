/* SPDX-License-Identifier: MIT */
/*
 * tests/verifier/test_receive.c - the receive rules V1 and V2 (spec §20,
 * §18.1, §18.2), on a NIC of vdrv, a miniport that indicates
 * every frame the protocol sends it, from MiniportSendNetBufferLists at
 * PASSIVE_LEVEL. Each rule is proved twice: what the rule allows works,
 * and what it forbids is bug check 0xC4 with the rule's violation.
 */
#include "tests/host/thost.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION
#define VDRV(name) NDISRT_TDRV_DIR "/vdrv_" name ".so"
/* th_dev()'s line-based interrupt kind (0 in every device model's enum). */
#define LINE_KIND 0

/* What the protocol side saw: vdrv's frames are 64 bytes addressed to its MAC. */
static atomic_ulong rx_frames, rx_bad;

static void rx_sink(void *ctx, struct ndisrt_nic *n, const struct ndisrt_rx_info *info,
		    const void *frame, size_t len)
{
	static const uint8_t mac[6] = {0x02, 0x56, 0x44, 0x00, 0x00, 0x01};

	(void)ctx;
	(void)n;
	(void)info;
	atomic_fetch_add(&rx_frames, 1);
	if (len != 64 || memcmp(frame, mac, 6) != 0)
		atomic_fetch_add(&rx_bad, 1);
}

/* A host with one NIC of vdrv variant @variant (its interrupt is never used). */
static void start(struct th *t, const char *variant)
{
	th_init(t, 2);
	th_load(t, variant);
	th_dev(t, 0, LINE_KIND, 0, false);
	th_nic(t, 0, NDISRT_IRQ_LINE, 0, 0);
	ndisrt_nic_set_rx_sink(t->nic[0], rx_sink, NULL);
}

/* Send @count frames through the NIC (each comes back as one indication). */
static void loop(struct th *t, unsigned count)
{
	static uint8_t frame[60];
	const void *frames[8];
	size_t lens[8];

	cr_assert_leq(count, 8);
	for (unsigned i = 0; i < count; i++) {
		frames[i] = frame;
		lens[i] = sizeof(frame);
	}
	cr_assert_eq(ndisrt_nic_send(t->nic[0], 0, frames, lens, count), count);
}

static struct ndisrt_nic_stats stats(struct th *t)
{
	struct ndisrt_nic_stats s;

	ndisrt_nic_get_stats(t->nic[0], &s);
	return s;
}

Test(verifier_receive, V1_indication_with_the_adapters_source_handle_reaches_the_protocol)
{
	struct th t;

	start(&t, VDRV("ok"));
	loop(&t, 4);
	WAIT_UNTIL(atomic_load(&rx_frames) == 4);
	cr_assert_eq(atomic_load(&rx_bad), 0);
	cr_assert_eq(stats(&t).indications, 4);
	th_fini(&t);
}

Test(verifier_receive, V1_foreign_source_handle_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct th t;

	start(&t, VDRV("bad_source"));
	expect_bugcheck(C4, (1u << 0) | (1u << 3), NDISRT_VIOLATION_SOURCE_HANDLE, 0, 0,
			NDISRT_DDI_INDICATE_RECEIVE);
	loop(&t, 1);
	cr_assert_fail("an NBL with a foreign SourceHandle was indicated");
}

Test(verifier_receive, V1_dispatch_flag_at_passive_level_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct th t;

	start(&t, VDRV("dispatch_flag"));
	/* p3: the IRQL the caller was really at. */
	expect_bugcheck(C4, (1u << 0) | (1u << 2) | (1u << 3), NDISRT_VIOLATION_BAD_FLAGS, 0,
			KE_PASSIVE_LEVEL, NDISRT_DDI_INDICATE_RECEIVE);
	loop(&t, 1);
	cr_assert_fail("NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL at PASSIVE_LEVEL was accepted");
}

Test(verifier_receive, V2_nbls_stay_with_ndis_until_return_net_buffer_lists)
{
	struct th t;
	struct ndisrt_nic_stats s;

	start(&t, VDRV("ok"));
	ndisrt_nic_hold_returns(t.nic[0], true);
	loop(&t, 5);
	WAIT_UNTIL(atomic_load(&rx_frames) == 5);
	s = stats(&t);
	cr_assert_eq(s.indicated, 5);
	cr_assert_eq(s.returned, 0, "NBLs went back while the protocol holds them");
	cr_assert_eq(ndisrt_nic_outstanding(t.nic[0]), 5);
	ndisrt_nic_hold_returns(t.nic[0], false);
	WAIT_UNTIL(stats(&t).returned == 5);
	cr_assert_eq(ndisrt_nic_outstanding(t.nic[0]), 0);
	/* Back on the driver's free list: five more go through the same NBLs. */
	loop(&t, 5);
	WAIT_UNTIL(stats(&t).returned == 10);
	cr_assert_eq(atomic_load(&rx_frames), 10);
	th_fini(&t);
}

Test(verifier_receive, V2_resources_flag_nbl_is_the_drivers_again_on_return)
{
	struct th t;
	struct ndisrt_nic_stats s;

	start(&t, VDRV("resources"));
	/* Even a protocol that would hold NBLs cannot keep these: one NBL, reused at once. */
	ndisrt_nic_hold_returns(t.nic[0], true);
	loop(&t, 6);
	WAIT_UNTIL(atomic_load(&rx_frames) == 6);
	s = stats(&t);
	cr_assert_eq(s.indicated, 6);
	cr_assert_eq(s.resources_flag, 6);
	cr_assert_eq(s.returned, 0, "MiniportReturnNetBufferLists was called for _RESOURCES NBLs");
	cr_assert_eq(ndisrt_nic_outstanding(t.nic[0]), 0);
	ndisrt_nic_hold_returns(t.nic[0], false);
	th_fini(&t);
}

Test(verifier_receive, V2_indicating_an_nbl_ndis_holds_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct th t;

	start(&t, VDRV("reuse"));
	ndisrt_nic_hold_returns(t.nic[0], true);
	expect_bugcheck(C4, (1u << 0) | (1u << 3), NDISRT_VIOLATION_NBL_OWNERSHIP, 0, 0,
			NDISRT_DDI_INDICATE_RECEIVE);
	loop(&t, 2);
	cr_assert_fail("an NBL was indicated again before NDIS returned it");
}

/* ------------------------------------------- what the host checks around them */

/*
 * vdrv_hold_send keeps every send and completes its pause at once: the
 * pause before the halt finds the sends outstanding (D4).
 */
Test(verifier_receive, D4_pause_completed_with_sends_outstanding_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct th t;

	start(&t, VDRV("hold_send"));
	loop(&t, 3);
	cr_assert_eq(stats(&t).sent, 3);
	/* Parameter 3: receive NBLs still out (0); 4: sends not completed (3). */
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_PAUSE_OUTSTANDING, 0, 0, 3);
	ndisrt_nic_halt(t.nic[0]);
	cr_assert_fail("the pause completed over outstanding sends without a bug check");
}

/* Guard: vdrv_ok completes every send at once; pause and halt are silent. */
Test(verifier_receive, D4_pause_after_every_send_completed_is_silent)
{
	struct th t;

	start(&t, VDRV("ok"));
	loop(&t, 3);
	WAIT_UNTIL(atomic_load(&rx_frames) == 3);
	cr_assert_eq(stats(&t).send_completed, 3);
	th_fini(&t);
}

/* vdrv_no_general: MiniportInitializeEx succeeds without the general attributes (H2). */
Test(verifier_receive, H2_initialize_without_general_attributes_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct th t;

	th_init(&t, 2);
	th_load(&t, VDRV("no_general"));
	th_dev(&t, 0, LINE_KIND, 0, false);
	/* Parameter 3: which attributes are missing (2: the general ones). */
	expect_bugcheck(C4, 0x5, NDISRT_VIOLATION_BAD_ATTRIBUTES, 0, 2, 0);
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
	cr_assert_fail("initialize without general attributes did not bug check");
}

/* vdrv_bad_count: NumberOfNetBufferLists is not the chain's length (C2). */
Test(verifier_receive, C2_indication_whose_count_is_not_the_chains_length_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct th t;

	start(&t, VDRV("bad_count"));
	/* Parameter 3: the NBLs the chain really holds. */
	expect_bugcheck(C4, 0x5, NDISRT_VIOLATION_NBL_CHAIN, 0, 1, 0);
	loop(&t, 1);
	cr_assert_fail("a wrong NumberOfNetBufferLists did not bug check");
}
