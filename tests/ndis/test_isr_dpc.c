/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_isr_dpc.c - the ISR -> DPC path: spec I1-I8 and I10.
 * (I9, the receive throttle, is in test_throttle.c.)
 */
#include "tests/ndis/tndis.h"

#define LINE_IRQL 6
#define MS 1000000ull

/* The environment every test below starts from (Criterion fixtures). */
static struct tenv e;

static void env_2cpu(void)
{
	tenv_init(&e, 2);
}

static void env_3cpu(void)
{
	tenv_init(&e, 3);
}

static void env_end(void)
{
	tenv_end(&e);
}

/* ------------------------------------------------------------------ I1 */

static struct {
	atomic_bool in_sync, isr_entered, isr_entered_during_sync, isr_saw_in_sync;
	atomic_uint isr_irql, sync_irql;
	atomic_bool isr_held_lock, sync_held_lock;
	struct tdrv *t;
} i1;

static BOOLEAN i1_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	atomic_store(&i1.isr_irql, KeGetCurrentIrql());
	atomic_store(&i1.isr_held_lock, tholds_isr_lock(t, 0));
	atomic_store(&i1.isr_saw_in_sync, atomic_load(&i1.in_sync));
	atomic_store(&i1.isr_entered, true);
	return tdrv_default_isr(t, msg, queue_default, targets);
}

static BOOLEAN i1_sync(NDIS_HANDLE ctx)
{
	struct tdrv *t = ctx;

	atomic_store(&i1.sync_irql, KeGetCurrentIrql());
	atomic_store(&i1.sync_held_lock, tholds_isr_lock(t, 0));
	atomic_store(&i1.in_sync, true);
	/* The main thread now asserts the line; wait until vCPU 0 is taking the
	 * interrupt, then give its ISR every chance to run during the sync. */
	SPIN_UNTIL(tisr_in_service(t, 0));
	atomic_store(&i1.isr_entered_during_sync, SPIN_FOR(atomic_load(&i1.isr_entered), 5 * MS));
	atomic_store(&i1.in_sync, false);
	return TRUE;
}

static void i1_sync_from_vcpu(void *arg)
{
	struct tdrv *t = arg;

	NdisMSynchronizeWithInterruptEx(t->intr, 0, i1_sync, t);
}

Test(ndis_isr, I1_line_isr_runs_at_dirql_holding_the_lock_sync_holds, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	struct ke_work w;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1); /* interrupts vCPU 0 */
	t.isr = i1_isr;
	tdrv_start(&t, 1);
	ke_work_init(&w, i1_sync_from_vcpu, &t);
	ke_vcpu_post(ke_machine_vcpu(e.m, 1), &w);
	WAIT_UNTIL(atomic_load(&i1.in_sync));
	intc_source_set(&t.src, true);
	ke_work_wait(&w);
	WAIT_UNTIL(atomic_load(&t.dpc_calls[0]) == 1);
	cr_assert_not(atomic_load(&i1.isr_entered_during_sync),
		      "the ISR ran while NdisMSynchronizeWithInterruptEx held the lock");
	cr_assert_not(atomic_load(&i1.isr_saw_in_sync));
	cr_assert_eq(atomic_load(&i1.isr_irql), LINE_IRQL);
	cr_assert_eq(atomic_load(&i1.sync_irql), LINE_IRQL);
	cr_assert(atomic_load(&i1.isr_held_lock), "the ISR did not hold its interrupt lock");
	cr_assert(atomic_load(&i1.sync_held_lock), "the sync routine did not hold the ISR's lock");
	tdrv_stop(&t, 1);
}

/* ------------------------------------------------------------------ I2 */

Test(ndis_isr, I2_shared_line_calls_each_isr_until_one_claims, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv ta, tb;

	tenv_line_adapter(&e, &ta, LINE_IRQL, 1);
	tenv_line_adapter(&e, &tb, LINE_IRQL, 1); /* the same line */
	tdrv_start(&ta, 1);
	tdrv_start(&tb, 1);
	/* B's device interrupts: A's ISR (connected first) says "not mine", B's claims. */
	intc_source_set(&tb.src, true);
	WAIT_UNTIL(atomic_load(&tb.dpc_calls[0]) == 1);
	cr_assert_eq(atomic_load(&ta.isr_calls[0]), 1, "A's ISR was not asked");
	cr_assert_eq(atomic_load(&tb.isr_calls[0]), 1);
	/* A's device interrupts: A claims, so B's ISR is not called. */
	intc_source_set(&ta.src, true);
	WAIT_UNTIL(atomic_load(&ta.dpc_calls[0]) == 1);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&ta.isr_calls[0]), 2);
	cr_assert_eq(atomic_load(&tb.isr_calls[0]), 1, "B's ISR was called after A claimed");
	cr_assert_eq(atomic_load(&ta.dpc_calls[0]), 1);
	cr_assert_eq(atomic_load(&tb.dpc_calls[0]), 1);
	tdrv_stop(&tb, 1);
	tdrv_stop(&ta, 1);
}

/* ------------------------------------------------------------------ I3 */

static struct {
	atomic_uint ret, queue_default, targets;
	atomic_ulong dpc_vcpus; /* bit per vCPU a DPC ran on */
	atomic_uint dpcs;
	atomic_uint isr_vcpu;
} i3;

static BOOLEAN i3_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	(void)msg;
	if (t->src.line)
		intc_source_set(&t->src, false);
	atomic_store(&i3.isr_vcpu, ke_current_number());
	*queue_default = (BOOLEAN)atomic_load(&i3.queue_default);
	*targets = atomic_load(&i3.targets);
	return (BOOLEAN)atomic_load(&i3.ret);
}

static void i3_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	(void)msg, (void)tp;
	tcheck(t, ctx == NULL, "an ISR-requested DPC got context %p", ctx);
	atomic_fetch_or(&i3.dpc_vcpus, 1ul << ke_current_number());
	atomic_fetch_add(&i3.dpcs, 1);
}

static const struct {
	BOOLEAN ret, queue_default;
	ULONG targets;
	unsigned expect_dpcs;
	unsigned long expect_mask; /* ~0: the ISR's vCPU */
} i3_cases[] = {
    {FALSE, TRUE, 0, 1, ~0ul},	 /* not claimed, default DPC: queued anyway */
    {TRUE, FALSE, 0, 0, 0},	 /* claimed, no DPC requested: none */
    {FALSE, FALSE, 0x5, 2, 0x5}, /* not claimed, targets 0 and 2: both */
    {TRUE, TRUE, 0x6, 1, ~0ul},	 /* default wins over targets */
    {TRUE, FALSE, 0x7, 3, 0x7},	 /* claimed, every vCPU */
};

static void i3_run(struct tenv *env, struct tdrv *t, bool line)
{
	for (unsigned c = 0; c < sizeof(i3_cases) / sizeof(i3_cases[0]); c++) {
		unsigned long isrs = atomic_load(&t->isr_calls[0]);
		unsigned long mask;

		atomic_store(&i3.ret, i3_cases[c].ret);
		atomic_store(&i3.queue_default, i3_cases[c].queue_default);
		atomic_store(&i3.targets, i3_cases[c].targets);
		atomic_store(&i3.dpcs, 0);
		atomic_store(&i3.dpc_vcpus, 0);
		if (line)
			intc_source_set(&t->src, true);
		else
			tdrv_fire(t, 0);
		WAIT_UNTIL(atomic_load(&t->isr_calls[0]) == isrs + 1);
		cr_assert_eq(ke_machine_quiesce(env->m, 30000), 0);
		mask = i3_cases[c].expect_mask == ~0ul ? 1ul << atomic_load(&i3.isr_vcpu)
						       : i3_cases[c].expect_mask;
		cr_assert_eq(atomic_load(&i3.dpcs), i3_cases[c].expect_dpcs,
			     "case %u (%s): %u DPCs, expected %u", c, line ? "line" : "message",
			     atomic_load(&i3.dpcs), i3_cases[c].expect_dpcs);
		cr_assert_eq(atomic_load(&i3.dpc_vcpus), i3_cases[c].expect_dpcs ? mask : 0,
			     "case %u (%s): DPCs on vCPUs 0x%lx", c, line ? "line" : "message",
			     atomic_load(&i3.dpc_vcpus));
	}
}

Test(ndis_isr, I3_message_isr_outputs_queue_dpcs_whatever_it_returns, .init = env_3cpu,
     .fini = env_end)
{
	static struct tdrv t;
	int vcpus[1] = {1};

	tenv_msi_adapter(&e, &t, 1, vcpus, NULL);
	t.isr = i3_isr;
	t.dpc = i3_dpc;
	tdrv_start(&t, 0);
	i3_run(&e, &t, false);
	tdrv_assert_good(&t);
	tdrv_stop(&t, 0);
}

Test(ndis_isr, I3_line_isr_outputs_queue_dpcs_whatever_it_returns, .init = env_3cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 2); /* interrupts vCPU 1 */
	t.isr = i3_isr;
	t.dpc = i3_dpc;
	tdrv_start(&t, 0);
	i3_run(&e, &t, true);
	tdrv_assert_good(&t);
	tdrv_stop(&t, 0);
}

static BOOLEAN forgetful_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	(void)t, (void)msg, (void)targets;
	*queue_default = FALSE; /* and *TargetProcessors left unwritten */
	return TRUE;
}

Test(ndis_isr, I3_isr_that_leaves_target_processors_unset_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_msi_adapter(&env, &t, 1, NULL, NULL);
	t.isr = forgetful_isr;
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_ISR_OUTPUT, (uintptr_t)t.intr, 0, 2);
	tdrv_fire(&t, 0);
	WAIT_UNTIL(false);
}

static BOOLEAN isr_targets_missing_cpu(struct tdrv *t, ULONG msg, PBOOLEAN queue_default,
				       PULONG targets)
{
	(void)t, (void)msg;
	*queue_default = FALSE;
	*targets = 0x4; /* vCPU 2 of a 2-vCPU machine */
	return TRUE;
}

Test(ndis_isr, I3_isr_targeting_a_missing_processor_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_2cpu)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	t.isr = isr_targets_missing_cpu;
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_BAD_PROCESSOR, 0, 0x4, 0x3);
	tdrv_fire(&t, 0);
	WAIT_UNTIL(false);
}

/* ------------------------------------------------------------------ I4 */

static int i4_ctx_a, i4_ctx_b;

static struct {
	atomic_uint phase;
	_Atomic(void *) seen[8];
	atomic_uint n;
} i4;

static BOOLEAN i4_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	(void)t, (void)msg;
	/* phase 0: default DPC; phase 1: a TargetProcessors bit. */
	*queue_default = atomic_load(&i4.phase) == 0;
	*targets = atomic_load(&i4.phase) == 0 ? 0 : 0x2;
	return TRUE;
}

static void i4_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	(void)t, (void)msg, (void)tp;
	atomic_store(&i4.seen[atomic_fetch_add(&i4.n, 1) % 8], ctx);
}

static void i4_queue_with_contexts(void *arg)
{
	struct tdrv *t = arg;
	GROUP_AFFINITY ga = {.Mask = 0x2, .Group = 0};

	NdisMQueueDpcEx(t->intr, 0, &ga, &i4_ctx_a);
	SPIN_UNTIL(atomic_load(&i4.n) == 3);
	NdisMQueueDpc(t->intr, 0, 0x2, &i4_ctx_b);
	SPIN_UNTIL(atomic_load(&i4.n) == 4);
	NdisMQueueDpcEx(t->intr, 0, &ga, NULL);
}

Test(ndis_isr, I4_isr_dpcs_get_null_context_queued_dpcs_get_the_callers, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	t.isr = i4_isr;
	t.dpc = i4_dpc;
	tdrv_start(&t, 0);
	tdrv_fire(&t, 0);
	WAIT_UNTIL(atomic_load(&i4.n) == 1);
	atomic_store(&i4.phase, 1);
	tdrv_fire(&t, 0);
	WAIT_UNTIL(atomic_load(&i4.n) == 2);
	on_vcpu(&e, 0, i4_queue_with_contexts, &t);
	WAIT_UNTIL(atomic_load(&i4.n) == 5);
	cr_assert_null(atomic_load(&i4.seen[0]), "QueueDefaultInterruptDpc DPC: context not NULL");
	cr_assert_null(atomic_load(&i4.seen[1]), "TargetProcessors DPC: context not NULL");
	cr_assert_eq(atomic_load(&i4.seen[2]), &i4_ctx_a, "NdisMQueueDpcEx context lost");
	cr_assert_eq(atomic_load(&i4.seen[3]), &i4_ctx_b, "NdisMQueueDpc context lost");
	cr_assert_null(atomic_load(&i4.seen[4]));
	tdrv_stop(&t, 0);
}

/* ------------------------------------------------------------------ I5 */

static int i5_ctx_a, i5_ctx_b;

static struct {
	atomic_bool hold0, holding0;
	KAFFINITY first, second, other_msg, old_api;
	atomic_uint runs[2][2]; /* [msg][vcpu] */
	_Atomic(void *) ctx[2][2];
	struct tdrv *t;
} i5;

static void i5_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	unsigned v = NdisCurrentProcessorIndex();

	(void)t, (void)tp;
	atomic_fetch_add(&i5.runs[msg][v], 1);
	atomic_store(&i5.ctx[msg][v], ctx);
}

static void i5_hold_vcpu0(void *arg)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	(void)arg;
	atomic_store(&i5.holding0, true);
	SPIN_UNTIL(!atomic_load(&i5.hold0));
	ke_irql_lower(old);
}

static void i5_requests_on_vcpu1(void *arg)
{
	struct tdrv *t = arg;
	GROUP_AFFINITY both = {.Mask = 0x3}, one = {.Mask = 0x2};
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	/* Both vCPUs are at DISPATCH_LEVEL: nothing queued here can run yet. */
	i5.first = NdisMQueueDpcEx(t->intr, 0, &both, &i5_ctx_a);
	i5.second = NdisMQueueDpcEx(t->intr, 0, &both, &i5_ctx_b);
	i5.old_api = NdisMQueueDpc(t->intr, 0, 0x2, &i5_ctx_b);
	i5.other_msg = NdisMQueueDpcEx(t->intr, 1, &one, &i5_ctx_b);
	/* The device interrupts here too: message 0's ISR asks for a default DPC
	 * on this vCPU, whose (message 0, vCPU 1) DPC is already queued. */
	tdrv_fire_raw(t, 0);
	ke_irql_lower(old);
}

Test(ndis_isr, I5_a_queued_pair_is_not_queued_again_and_is_left_out_of_the_mask, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	struct ke_work hold;
	struct ndisrt_interrupt_counters c;
	int vcpus[2] = {1, 1};

	tenv_msi_adapter(&e, &t, 2, vcpus, NULL);
	t.dpc = i5_dpc;
	tdrv_start(&t, 0);
	atomic_store(&i5.hold0, true);
	ke_work_init(&hold, i5_hold_vcpu0, NULL);
	ke_vcpu_post(ke_machine_vcpu(e.m, 0), &hold);
	WAIT_UNTIL(atomic_load(&i5.holding0));
	on_vcpu(&e, 1, i5_requests_on_vcpu1, &t);
	atomic_store(&i5.hold0, false);
	ke_work_wait(&hold);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(i5.first, 0x3);
	cr_assert_eq(i5.second, 0, "already-queued pairs were reported as queued: 0x%lx",
		     (unsigned long)i5.second);
	cr_assert_eq(i5.old_api, 0, "NdisMQueueDpc reported an already-queued pair");
	cr_assert_eq(i5.other_msg, 0x2, "another message on the same vCPU is a distinct DPC");
	/* Each pair ran once, with the context it was first queued with (O-1). */
	cr_assert_eq(atomic_load(&i5.runs[0][0]), 1);
	cr_assert_eq(atomic_load(&i5.runs[0][1]), 1, "(message 0, vCPU 1) ran %u times",
		     atomic_load(&i5.runs[0][1]));
	cr_assert_eq(atomic_load(&i5.runs[1][1]), 1);
	cr_assert_eq(atomic_load(&i5.runs[1][0]), 0);
	cr_assert_eq(atomic_load(&i5.ctx[0][0]), &i5_ctx_a);
	cr_assert_eq(atomic_load(&i5.ctx[0][1]), &i5_ctx_a, "the pending DPC's context changed");
	cr_assert_eq(atomic_load(&i5.ctx[1][1]), &i5_ctx_b);
	cr_assert_eq(ndisrt_adapter_counters(t.a, 0, 1, &c), 0);
	cr_assert_eq(c.dpc_requests, 4); /* first, second, old API, ISR */
	cr_assert_eq(c.dpc_already_queued, 3);
	cr_assert_eq(c.isrs, 1);
	tdrv_stop(&t, 0);
}

/* ------------------------------------------------------------------ I6 */

static struct {
	atomic_ulong vcpus;
	atomic_uint runs, bad_irql, bad_number;
} i6;

static void i6_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	PROCESSOR_NUMBER pn = NdisCurrentGroupAndProcessor();
	ULONG index = NdisCurrentProcessorIndex();

	(void)msg, (void)tp;
	if (KeGetCurrentIrql() != DISPATCH_LEVEL || NDIS_CURRENT_IRQL() != DISPATCH_LEVEL)
		atomic_fetch_add(&i6.bad_irql, 1);
	if (pn.Group != 0 || pn.Number != index || index != ke_current_number() ||
	    (uintptr_t)ctx != index)
		atomic_fetch_add(&i6.bad_number, 1);
	tcheck(t, (uintptr_t)ctx == index, "DPC for vCPU %lu ran on vCPU %u",
	       (unsigned long)(uintptr_t)ctx, index);
	atomic_fetch_or(&i6.vcpus, 1ul << index);
	atomic_fetch_add(&i6.runs, 1);
}

static void i6_queue_each(void *arg)
{
	struct tdrv *t = arg;

	/* One request per vCPU, its number as context: the DPC must run there. */
	for (unsigned v = 0; v < 3; v++) {
		GROUP_AFFINITY ga = {.Mask = (KAFFINITY)1 << v};

		NdisMQueueDpcEx(t->intr, 0, &ga, (PVOID)(uintptr_t)v);
	}
}

Test(ndis_isr, I6_dpc_runs_at_dispatch_level_on_the_requested_vcpu, .init = env_3cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	t.dpc = i6_dpc;
	tdrv_start(&t, 0);
	for (int round = 0; round < 20; round++) {
		on_vcpu(&e, (unsigned)round % 3, i6_queue_each, &t);
		WAIT_UNTIL(atomic_load(&i6.runs) == 3u * (unsigned)(round + 1));
	}
	cr_assert_eq(atomic_load(&i6.vcpus), 0x7);
	cr_assert_eq(atomic_load(&i6.bad_irql), 0, "a DPC ran below/above DISPATCH_LEVEL");
	cr_assert_eq(atomic_load(&i6.bad_number), 0, "a DPC ran on another vCPU");
	tdrv_assert_good(&t);
	tdrv_stop(&t, 0);
}

/* ------------------------------------------------------------------ I7 */

static struct {
	atomic_uint dpcs;
	KAFFINITY got[8];
	atomic_uint isr_queued, sync_queued;
	struct tdrv *t;
} i7;

static void i7_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	(void)t, (void)msg, (void)ctx, (void)tp;
	atomic_fetch_add(&i7.dpcs, 1);
}

static BOOLEAN i7_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	GROUP_AFFINITY ga = {.Mask = 0x2};

	/* From the ISR, at DIRQL: the 6.20 way. */
	atomic_store(&i7.isr_queued, (unsigned)NdisMQueueDpcEx(t->intr, msg, &ga, NULL));
	*queue_default = FALSE;
	*targets = 0;
	return TRUE;
}

static BOOLEAN i7_sync(NDIS_HANDLE ctx)
{
	struct tdrv *t = ctx;
	GROUP_AFFINITY ga = {.Mask = 0x2};

	atomic_store(&i7.sync_queued, (unsigned)NdisMQueueDpcEx(t->intr, 0, &ga, NULL));
	return TRUE;
}

static void i7_at_every_irql(void *arg)
{
	struct tdrv *t = arg;
	static const ke_irql_t levels[] = {PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL, 7, 12,
					   HIGH_LEVEL};
	GROUP_AFFINITY ga = {.Mask = 0x2};

	for (unsigned i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		unsigned before = atomic_load(&i7.dpcs);
		ke_irql_t old = ke_irql_raise(levels[i]);

		i7.got[i] = i % 2 ? NdisMQueueDpc(t->intr, 0, 0x2, NULL)
				  : NdisMQueueDpcEx(t->intr, 0, &ga, NULL);
		/* vCPU 1 runs it whatever this vCPU's IRQL is. */
		SPIN_UNTIL(atomic_load(&i7.dpcs) == before + 1);
		ke_irql_lower(old);
	}
	NdisMSynchronizeWithInterruptEx(t->intr, 0, i7_sync, t);
}

Test(ndis_isr, I7_dpcs_can_be_queued_at_any_irql, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;
	int vcpus[1] = {0};

	tenv_msi_adapter(&e, &t, 1, vcpus, NULL);
	t.dpc = i7_dpc;
	t.isr = i7_isr;
	tdrv_start(&t, 0);
	on_vcpu(&e, 0, i7_at_every_irql, &t);
	for (unsigned i = 0; i < 6; i++)
		cr_assert_eq(i7.got[i], 0x2, "request %u returned 0x%lx", i,
			     (unsigned long)i7.got[i]);
	WAIT_UNTIL(atomic_load(&i7.dpcs) == 7);
	cr_assert_eq(atomic_load(&i7.sync_queued), 0x2, "queueing from a sync routine failed");
	tdrv_fire(&t, 0);
	WAIT_UNTIL(atomic_load(&i7.dpcs) == 8);
	cr_assert_eq(atomic_load(&i7.isr_queued), 0x2, "queueing from the ISR failed");
	tdrv_stop(&t, 0);
}

/* ------------------------------------------------------------------ I8 */

/*
 * The driver's own interrupt re-enable (I8): the ISR masks the device and
 * queues DPCs on both vCPUs with an atomic count; the last DPC unmasks the
 * device through NdisMSynchronizeWithInterruptEx. The runtime must not
 * re-enable anything itself (no MiniportEnableInterruptEx call, as NDIS 5's
 * model would make, §24 C-9) nor queue DPCs nobody asked for.
 */
#define I8_BATCHES 200

static struct {
	atomic_bool device_enabled;
	atomic_int batch_left;
	atomic_uint batches_done, dpcs, fired_while_masked;
	atomic_uint reenables;
} i8;

static BOOLEAN i8_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	(void)msg;
	tcheck(t, atomic_load(&i8.device_enabled), "interrupt while the device was masked");
	atomic_store(&i8.device_enabled, false);
	atomic_store(&i8.batch_left, 2);
	*queue_default = FALSE;
	*targets = 0x3;
	return TRUE;
}

static BOOLEAN i8_unmask(NDIS_HANDLE ctx)
{
	(void)ctx;
	atomic_store(&i8.device_enabled, true);
	atomic_fetch_add(&i8.reenables, 1);
	return TRUE;
}

static void i8_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	(void)ctx, (void)tp;
	atomic_fetch_add(&i8.dpcs, 1);
	if (atomic_fetch_sub(&i8.batch_left, 1) == 1) {
		NdisMSynchronizeWithInterruptEx(t->intr, msg, i8_unmask, t);
		atomic_fetch_add(&i8.batches_done, 1);
	}
}

Test(ndis_isr, I8_only_the_driver_reenables_its_interrupt, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	t.isr = i8_isr;
	t.dpc = i8_dpc;
	atomic_store(&i8.device_enabled, true);
	tdrv_start(&t, 0);
	for (unsigned b = 0; b < I8_BATCHES; b++) {
		/* The device sends only while unmasked, as hardware would. */
		WAIT_UNTIL(atomic_load(&i8.device_enabled));
		tdrv_fire(&t, 0);
		WAIT_UNTIL(atomic_load(&i8.batches_done) == b + 1);
	}
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&i8.dpcs), 2 * I8_BATCHES,
		     "the runtime ran DPCs nobody asked for");
	cr_assert_eq(atomic_load(&i8.reenables), I8_BATCHES);
	cr_assert_eq(atomic_load(&t.enable_calls), 0,
		     "the runtime called MiniportEnableInterruptEx");
	cr_assert_eq(atomic_load(&t.disable_calls), 0,
		     "the runtime called MiniportDisableInterruptEx");
	tdrv_assert_good(&t);
	tdrv_stop(&t, 0);
}

/* ----------------------------------------------------------------- I10 */

static struct {
	atomic_uint irql, msg, calls;
	atomic_bool held_lock;
	atomic_int which; /* +1 enable, -1 disable */
} i10;

static void i10_endis(struct tdrv *t, ULONG msg, bool enable)
{
	atomic_store(&i10.irql, KeGetCurrentIrql());
	atomic_store(&i10.msg, msg);
	atomic_store(&i10.held_lock, tholds_isr_lock(t, msg));
	atomic_store(&i10.which, enable ? 1 : -1);
	atomic_fetch_add(&i10.calls, 1);
}

static void i10_busy_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	static atomic_int left = 3;

	(void)t, (void)msg, (void)ctx;
	/* A throttled batch too: the runtime must not re-enable after it either. */
	tp->MoreNblsPending = atomic_fetch_sub(&left, 1) > 1;
}

Test(ndis_isr, I10_enable_disable_only_from_the_diagnostic_call_at_dirql_under_the_lock,
     .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;
	uint8_t irqls[2] = {5, 9};

	tenv_msi_adapter(&e, &t, 2, NULL, irqls);
	t.on_endis = i10_endis;
	t.dpc = i10_busy_dpc;
	tdrv_start(&t, 0);
	for (unsigned i = 0; i < 50; i++)
		tdrv_fire(&t, i % 2);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&i10.calls), 0, "the runtime called Enable/Disable on its own");
	/* The diagnostic hook: at the message's DIRQL, holding its ISR's lock. */
	cr_assert_eq(ndisrt_adapter_disable_interrupt(t.a, 1), 0);
	cr_assert_eq(atomic_load(&i10.calls), 1);
	cr_assert_eq(atomic_load(&i10.which), -1);
	cr_assert_eq(atomic_load(&i10.msg), 1);
	cr_assert_eq(atomic_load(&i10.irql), 9);
	cr_assert(atomic_load(&i10.held_lock));
	cr_assert_eq(ndisrt_adapter_enable_interrupt(t.a, 0), 0);
	cr_assert_eq(atomic_load(&i10.which), 1);
	cr_assert_eq(atomic_load(&i10.msg), 0);
	cr_assert_eq(atomic_load(&i10.irql), 5);
	cr_assert(atomic_load(&i10.held_lock));
	cr_assert_eq(ndisrt_adapter_enable_interrupt(t.a, 2), -EINVAL);
	tdrv_stop(&t, 0);
	cr_assert_eq(ndisrt_adapter_enable_interrupt(t.a, 0), -ENOENT);
	cr_assert_eq(atomic_load(&i10.calls), 2);
}

Test(ndis_isr, I10_line_diagnostic_call_uses_the_line_handlers, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	t.msi_supported = TRUE; /* granted a line anyway: the line handlers apply */
	t.on_endis = i10_endis;
	tdrv_start(&t, 1);
	cr_assert_eq(ndisrt_adapter_disable_interrupt(t.a, 0), 0);
	cr_assert_eq(atomic_load(&t.disable_calls), 1);
	cr_assert_eq(atomic_load(&i10.irql), LINE_IRQL);
	cr_assert(atomic_load(&i10.held_lock));
	tdrv_stop(&t, 1);
}
