/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_routine_stats.c - what the tracer and the xperf-style report
 * take from ke: the dpc_queue hook (ISR -> DPC arrows), the DPC's origin
 * interrupt, and the per-vCPU and per-interrupt duration histograms in
 * xperf's buckets.
 */
#include <string.h>

#include "tests/harness.h"

/* ------------------------------------------------------------ buckets */

Test(ke_routine_stats, us_buckets_are_xperfs_0_1_2_4_8_microseconds)
{
	cr_assert_eq(ke_us_bucket(0), 0);
	cr_assert_eq(ke_us_bucket(999), 0);
	cr_assert_eq(ke_us_bucket(1000), 1);
	cr_assert_eq(ke_us_bucket(1999), 1);
	cr_assert_eq(ke_us_bucket(2000), 2);
	cr_assert_eq(ke_us_bucket(3999), 2);
	cr_assert_eq(ke_us_bucket(4000), 3);
	cr_assert_eq(ke_us_bucket(7999), 3);
	cr_assert_eq(ke_us_bucket(8000), 4);
	cr_assert_eq(ke_us_bucket(UINT64_MAX), KE_US_BUCKETS - 1);
}

/* --------------------------------------------- an ISR that queues a DPC */

static struct {
	struct ke_machine *m;
	struct ke_interrupt intr;
	struct ke_dpc dpc;
	atomic_uint isrs, dpcs;
	atomic_uint queued, already; /* dpc_queue: inserted / not */
	atomic_uint queue_vcpu;
	_Atomic(struct ke_interrupt *) origin_at_queue;
	unsigned vector;
} s;

static void dpc_routine(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	atomic_fetch_add(&s.dpcs, 1);
}

static bool isr_queue_twice(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	ke_dpc_queue(s.m, &s.dpc, NULL, NULL);
	ke_dpc_queue(s.m, &s.dpc, NULL, NULL); /* already queued */
	atomic_fetch_add(&s.isrs, 1);
	return true;
}

static void on_dpc_queue(void *ctx, struct ke_dpc *dpc, unsigned vcpu, bool inserted)
{
	(void)ctx;
	cr_assert_eq(dpc, &s.dpc);
	atomic_store(&s.queue_vcpu, vcpu);
	atomic_store(&s.origin_at_queue, atomic_load(&dpc->origin));
	atomic_fetch_add(inserted ? &s.queued : &s.already, 1);
}

static const struct ke_hooks sub = {.dpc_queue = on_dpc_queue};

static void set_up(unsigned nr_vcpus)
{
	int vec;

	memset(&s, 0, sizeof(s));
	s.m = harness_machine(nr_vcpus);
	vec = ke_vector_alloc(s.m, 5);
	cr_assert_geq(vec, 0);
	s.vector = (unsigned)vec;
	ke_dpc_init(&s.dpc, dpc_routine, NULL);
	ke_dpc_set_target(&s.dpc, 0);
	cr_assert_eq(ke_interrupt_init(&s.intr, isr_queue_twice, NULL, s.vector, NULL, 5, ~0ull),
		     0);
	cr_assert_eq(ke_interrupt_connect(s.m, &s.intr), 0);
}

static void tear_down(void)
{
	ke_interrupt_disconnect(s.m, &s.intr);
	ke_vector_free(s.m, s.vector);
	harness_end(s.m);
}

static uint64_t total(const uint64_t *h)
{
	uint64_t n = 0;

	for (unsigned b = 0; b < KE_US_BUCKETS; b++)
		n += h[b];
	return n;
}

Test(ke_routine_stats, dpc_queue_hook_reports_inserted_then_already_queued_with_the_isr_as_origin)
{
	set_up(1);
	cr_assert_eq(ke_hooks_add(s.m, &sub), 0);
	ke_interrupt_request(s.m, 0, s.vector);
	WAIT_UNTIL(atomic_load(&s.dpcs) == 1);
	cr_assert_eq(ke_machine_quiesce(s.m, 30000), 0);
	cr_assert_eq(atomic_load(&s.queued), 1);
	cr_assert_eq(atomic_load(&s.already), 1);
	cr_assert_eq(atomic_load(&s.queue_vcpu), 0);
	/* Stamped before the hook runs, so the hook sees the ISR that queued it. */
	cr_assert_eq(atomic_load(&s.origin_at_queue), &s.intr);
	ke_hooks_remove(s.m, &sub);
	tear_down();
}

Test(ke_routine_stats, timed_routines_land_in_the_vcpu_and_in_the_interrupt_histograms)
{
	uint64_t h[KE_US_BUCKETS];
	struct ke_vcpu *v;

	set_up(1);
	v = ke_machine_vcpu(s.m, 0);
	/* Off by default: nothing counted. */
	ke_interrupt_request(s.m, 0, s.vector);
	WAIT_UNTIL(atomic_load(&s.dpcs) == 1);
	cr_assert_eq(ke_machine_quiesce(s.m, 30000), 0);
	cr_assert_eq(ke_vcpu_get_us_hist(v, KE_ROUTINE_ISR, h), 0);
	cr_assert_eq(ke_us_hist_read(&s.intr.isr_us, h), 0);

	ke_machine_time_routines(s.m, true);
	for (unsigned i = 0; i < 3; i++) {
		ke_interrupt_request(s.m, 0, s.vector);
		WAIT_UNTIL(atomic_load(&s.dpcs) == 2 + i);
		cr_assert_eq(ke_machine_quiesce(s.m, 30000), 0);
	}
	cr_assert_eq(ke_vcpu_get_us_hist(v, KE_ROUTINE_ISR, h), 3);
	cr_assert_eq(total(h), 3);
	cr_assert_eq(ke_vcpu_get_us_hist(v, KE_ROUTINE_DPC, h), 3);
	/* The DPC the ISR queued is charged to that interrupt. */
	cr_assert_eq(ke_us_hist_read(&s.intr.isr_us, h), 3);
	cr_assert_eq(ke_us_hist_read(&s.intr.dpc_us, h), 3);
	cr_assert_eq(atomic_load(&s.dpc.origin), &s.intr);
	ke_machine_time_routines(s.m, false);
	tear_down();
}

static void queue_at_passive(void *arg)
{
	(void)arg;
	ke_dpc_queue(s.m, &s.dpc, NULL, NULL);
}

Test(ke_routine_stats, a_dpc_queued_outside_an_isr_has_no_origin)
{
	set_up(1);
	ke_machine_time_routines(s.m, true);
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(s.m, 0), queue_at_passive, NULL), 0);
	WAIT_UNTIL(atomic_load(&s.dpcs) == 1);
	cr_assert_eq(ke_machine_quiesce(s.m, 30000), 0);
	cr_assert_null(atomic_load(&s.dpc.origin));
	{
		uint64_t h[KE_US_BUCKETS];

		cr_assert_eq(ke_us_hist_read(&s.intr.dpc_us, h), 0);
		cr_assert_eq(ke_vcpu_get_us_hist(ke_machine_vcpu(s.m, 0), KE_ROUTINE_DPC, h), 1);
	}
	tear_down();
}
