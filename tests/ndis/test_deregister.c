/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_deregister.c - deregistration: spec D1 and D2, over many
 * iterations with the device interrupting and DPCs queued and running.
 */
#include "tests/ndis/tndis.h"

#include <pthread.h>

#define US 1000ull

/* The environment every test below starts from (Criterion fixtures). */
static struct tenv e;

static void env_2cpu(void)
{
	tenv_init(&e, 2);
}

static void env_end(void)
{
	tenv_end(&e);
}

/* ------------------------------------------------------------------ D1 */

#define D1_ITERATIONS 50

static struct {
	atomic_bool returned, stop;
	atomic_uint late_isr, late_dpc;
	atomic_ulong writes, writes_after_return;
	atomic_ulong isrs_at_return, dpcs_at_return;
	uint64_t addr[2];
	uint32_t data[2];
	struct intc *ic;
} d1;

static BOOLEAN d1_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	if (atomic_load(&d1.returned))
		atomic_fetch_add(&d1.late_isr, 1);
	return tdrv_default_isr(t, msg, queue_default, targets);
}

static void d1_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	(void)t, (void)msg, (void)ctx, (void)tp;
	if (atomic_load(&d1.returned))
		atomic_fetch_add(&d1.late_dpc, 1);
}

static void d1_after_dereg(struct tdrv *t)
{
	atomic_store(&d1.returned, true);
	atomic_store(&d1.isrs_at_return, atomic_load(&t->msg_isr_calls));
	atomic_store(&d1.dpcs_at_return,
		     atomic_load(&t->dpc_calls[0]) + atomic_load(&t->dpc_calls[1]));
}

/* The device: sends both messages as fast as it can, before, during and after. */
static void *d1_device(void *arg)
{
	(void)arg;
	while (!atomic_load(&d1.stop)) {
		for (int m = 0; m < 2; m++)
			intc_msi_write(d1.ic, d1.addr[m], d1.data[m]);
		atomic_fetch_add(&d1.writes, 1);
		if (atomic_load(&d1.returned))
			atomic_fetch_add(&d1.writes_after_return, 1);
	}
	return NULL;
}

Test(ndis_deregister, D1_isrs_run_until_deregistration_returns_and_never_after, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	int vcpus[2] = {0, 1};

	tenv_msi_adapter(&e, &t, 2, vcpus, NULL);
	t.isr = d1_isr;
	t.dpc = d1_dpc;
	t.after_dereg = d1_after_dereg;
	d1.ic = e.ic;
	for (unsigned it = 0; it < D1_ITERATIONS; it++) {
		pthread_t dev;
		unsigned long isrs0;

		atomic_store(&d1.returned, false);
		atomic_store(&d1.stop, false);
		atomic_store(&d1.writes_after_return, 0);
		tdrv_start(&t, it % 2);
		for (unsigned m = 0; m < 2; m++)
			cr_assert_eq(
			    ndisrt_adapter_message_address(t.a, m, &d1.addr[m], &d1.data[m]), 0);
		isrs0 = atomic_load(&t.msg_isr_calls);
		cr_assert_eq(pthread_create(&dev, NULL, d1_device, NULL), 0);
		WAIT_UNTIL(atomic_load(&t.msg_isr_calls) >= isrs0 + 20);
		/* Halt while the device keeps interrupting (the driver "forgot" to
		 * disable it first: D1 says the ISR may run until the call returns). */
		tdrv_stop(&t, (it + 1) % 2);
		WAIT_UNTIL(atomic_load(&d1.writes_after_return) >= 2000);
		atomic_store(&d1.stop, true);
		pthread_join(dev, NULL);
		cr_assert_eq(atomic_load(&d1.late_isr), 0, "iteration %u: ISR after return", it);
		cr_assert_eq(atomic_load(&d1.late_dpc), 0, "iteration %u: DPC after return", it);
		cr_assert_eq(atomic_load(&t.msg_isr_calls), atomic_load(&d1.isrs_at_return));
		cr_assert_eq(atomic_load(&t.dpc_calls[0]) + atomic_load(&t.dpc_calls[1]),
			     atomic_load(&d1.dpcs_at_return));
	}
	tdrv_assert_good(&t);
}

/* ------------------------------------------------------------------ D2 */

#define D2_ITERATIONS 200
#define D2_NBLS 24 /* at 8 per run: 3 runs per batch, 2 of them re-runs */

static int d2_mark;

static struct {
	atomic_bool returned, dereg_started;
	atomic_int pending[2];
	atomic_uint entries, exits, late, incomplete, in_flight_at_start, marked_runs;
	atomic_uint over_limit;
} d2;

static BOOLEAN d2_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	(void)t;
	if (atomic_load(&d2.returned))
		atomic_fetch_add(&d2.late, 1);
	atomic_store(&d2.pending[msg], D2_NBLS);
	*queue_default = TRUE;
	*targets = 0;
	return TRUE;
}

static void d2_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	int left, n;

	(void)t;
	atomic_fetch_add(&d2.entries, 1);
	if (atomic_load(&d2.returned))
		atomic_fetch_add(&d2.late, 1);
	if (ctx == &d2_mark) {
		/* Queued by the halt just before it deregisters: still running
		 * (and then re-run) while deregistration waits. */
		atomic_fetch_add(&d2.marked_runs, 1);
		SPIN_UNTIL(atomic_load(&d2.dereg_started));
		SPIN_FOR(false, 20 * US);
	}
	left = atomic_load(&d2.pending[msg]);
	n = left < (int)tp->MaxNblsToIndicate ? left : (int)tp->MaxNblsToIndicate;
	if (n > 8)
		atomic_fetch_add(&d2.over_limit, 1);
	atomic_fetch_sub(&d2.pending[msg], n);
	tp->MoreNblsPending = left - n > 0;
	if (atomic_load(&d2.returned))
		atomic_fetch_add(&d2.late, 1);
	atomic_fetch_add(&d2.exits, 1);
}

static void d2_in_halt(struct tdrv *t)
{
	GROUP_AFFINITY ga = {.Mask = 0x2};
	KAFFINITY q0, q1;

	atomic_store(&d2.pending[0], D2_NBLS);
	atomic_store(&d2.pending[1], D2_NBLS);
	q0 = NdisMQueueDpcEx(t->intr, 0, &ga, &d2_mark);
	q1 = NdisMQueueDpcEx(t->intr, 1, &ga, &d2_mark);
	if (q0 || q1)
		atomic_fetch_add(&d2.in_flight_at_start, 1);
	atomic_store(&d2.dereg_started, true);
}

static void d2_after_dereg(struct tdrv *t)
{
	(void)t;
	atomic_store(&d2.returned, true);
	if (atomic_load(&d2.entries) != atomic_load(&d2.exits) ||
	    atomic_load(&d2.pending[0]) != 0 || atomic_load(&d2.pending[1]) != 0)
		atomic_fetch_add(&d2.incomplete, 1);
}

Test(ndis_deregister, D2_deregistration_waits_for_queued_and_running_dpcs_and_reruns,
     .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;
	int vcpus[2] = {0, 1};
	struct ndisrt_interrupt_counters c;

	tenv_msi_adapter(&e, &t, 2, vcpus, NULL);
	ndisrt_adapter_set_max_nbls(t.a, 8);
	t.isr = d2_isr;
	t.dpc = d2_dpc;
	t.in_halt = d2_in_halt;
	t.after_dereg = d2_after_dereg;
	for (unsigned it = 0; it < D2_ITERATIONS; it++) {
		atomic_store(&d2.returned, false);
		atomic_store(&d2.dereg_started, false);
		tdrv_start(&t, 0);
		/* Interrupts in flight too, then halt at once. */
		tdrv_fire(&t, 0);
		tdrv_fire(&t, 1);
		tdrv_stop(&t, 0);
		cr_assert_eq(atomic_load(&d2.incomplete), 0,
			     "iteration %u: deregistration returned with DPC work left", it);
		cr_assert_eq(atomic_load(&d2.late), 0, "iteration %u: ISR/DPC after return", it);
	}
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&d2.late), 0, "an ISR or DPC ran after deregistration returned");
	cr_assert_eq(atomic_load(&d2.in_flight_at_start), D2_ITERATIONS);
	cr_assert_geq(atomic_load(&d2.marked_runs), D2_ITERATIONS);
	cr_assert_eq(atomic_load(&d2.over_limit), 0);
	/* Deregistration refused nothing it should have run, and re-runs happened. */
	cr_assert_eq(ndisrt_adapter_counters(t.a, NDISRT_ALL, NDISRT_ALL, &c), 0);
	cr_assert_gt(c.dpc_reruns, 0);
	cr_assert_eq(c.dpcs, atomic_load(&d2.entries));
}

/* ----------------------------------------------- D2: requests are refused */

static struct {
	atomic_bool dereg_started;
	atomic_uint refused_seen, queued_seen;
	atomic_bool first;
} d2r;

static void d2r_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	GROUP_AFFINITY ga = {.Mask = 0x1};

	(void)msg, (void)tp;
	if (ctx != &d2_mark)
		return;
	/* Running on vCPU 1 while vCPU 0 deregisters: ask for DPCs on vCPU 0
	 * until the runtime refuses (deregistration has begun). */
	SPIN_UNTIL(atomic_load(&d2r.dereg_started));
	for (unsigned i = 0; i < 1000000; i++) {
		if (NdisMQueueDpcEx(t->intr, 0, &ga, NULL) == 0) {
			atomic_fetch_add(&d2r.refused_seen, 1);
			break;
		}
		atomic_fetch_add(&d2r.queued_seen, 1);
	}
}

static void d2r_in_halt(struct tdrv *t)
{
	GROUP_AFFINITY ga = {.Mask = 0x2};

	NdisMQueueDpcEx(t->intr, 0, &ga, &d2_mark);
	atomic_store(&d2r.dereg_started, true);
}

Test(ndis_deregister, D2_dpc_requests_during_deregistration_are_refused, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	struct ndisrt_interrupt_counters c;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	t.dpc = d2r_dpc;
	t.in_halt = d2r_in_halt;
	tdrv_start(&t, 0);
	tdrv_stop(&t, 0);
	cr_assert_eq(atomic_load(&d2r.refused_seen), 1,
		     "NdisMQueueDpcEx kept queueing during deregistration (%u queued)",
		     atomic_load(&d2r.queued_seen));
	cr_assert_eq(ndisrt_adapter_counters(t.a, 0, 0, &c), 0);
	cr_assert_eq(c.dpc_refused, 1);
}
