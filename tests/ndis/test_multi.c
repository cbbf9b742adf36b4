/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_multi.c - several vCPUs at once: overlapping ISRs and DPCs
 * of two messages, and which ISRs a synchronize routine excludes (I1, I5,
 * I6, S1 across vCPUs).
 */
#include "tests/ndis/tndis.h"

#define MS 1000000ull

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

/* ---------------------------- two messages, two vCPUs, overlapping paths */

#define M1_ROUNDS 500

static int m1_ctx[2];

static struct {
	atomic_bool isr_in[2], dpc_in[2];
	atomic_bool isrs_overlapped, dpcs_overlapped;
	atomic_uint dpcs[2][2]; /* [msg][vcpu] */
	atomic_uint isrs;
} m1;

/* Message m belongs to vCPU m; its DPCs run here (context NULL) and on the other vCPU. */
static BOOLEAN m1_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	GROUP_AFFINITY other = {.Mask = (KAFFINITY)1 << (1 - msg)};
	unsigned me = ke_current_number();

	tcheck(t, me == msg, "message %lu's ISR ran on vCPU %u", (unsigned long)msg, me);
	tcheck(t, KeGetCurrentIrql() == t->chars.MessageInfoTable->MessageInfo[msg].Irql,
	       "message ISR not at its DIRQL");
	atomic_store(&m1.isr_in[msg], true);
	/* First round: each ISR waits for the other one to be inside too. */
	if (!atomic_load(&m1.isrs_overlapped) &&
	    SPIN_FOR(atomic_load(&m1.isr_in[1 - msg]), 50 * MS))
		atomic_store(&m1.isrs_overlapped, true);
	NdisMQueueDpcEx(t->intr, msg, &other, &m1_ctx[msg]);
	atomic_store(&m1.isr_in[msg], false);
	atomic_fetch_add(&m1.isrs, 1);
	*queue_default = TRUE;
	*targets = 0;
	return TRUE;
}

static void m1_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	unsigned me = NdisCurrentProcessorIndex();

	(void)tp;
	tcheck(t, msg < 2, "DPC with MessageId %lu", (unsigned long)msg);
	if (ctx == NULL)
		tcheck(t, me == msg, "default DPC of message %lu on vCPU %u", (unsigned long)msg,
		       me);
	else
		tcheck(t, ctx == &m1_ctx[msg] && me == 1 - msg,
		       "DPC of message %lu with context %p on vCPU %u", (unsigned long)msg, ctx,
		       me);
	atomic_store(&m1.dpc_in[me], true);
	if (!atomic_load(&m1.dpcs_overlapped) && SPIN_FOR(atomic_load(&m1.dpc_in[1 - me]), 50 * MS))
		atomic_store(&m1.dpcs_overlapped, true);
	atomic_store(&m1.dpc_in[me], false);
	atomic_fetch_add(&m1.dpcs[msg][me], 1);
}

Test(ndis_multi, two_messages_on_two_vcpus_overlap_and_each_dpc_is_the_right_one, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	int vcpus[2] = {0, 1};
	struct ndisrt_interrupt_counters c;

	tenv_msi_adapter(&e, &t, 2, vcpus, NULL);
	t.isr = m1_isr;
	t.dpc = m1_dpc;
	tdrv_start(&t, 0);
	for (unsigned r = 0; r < M1_ROUNDS; r++) {
		tdrv_fire(&t, 0);
		tdrv_fire(&t, 1);
		WAIT_UNTIL(atomic_load(&m1.isrs) == 2 * (r + 1));
	}
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	tdrv_assert_good(&t);
	cr_assert(atomic_load(&m1.isrs_overlapped), "the two ISRs never ran at the same time");
	cr_assert(atomic_load(&m1.dpcs_overlapped), "DPCs on the two vCPUs never overlapped");
	/* Every DPC that ran was requested and not merged away (I5 accounting). */
	for (unsigned m = 0; m < 2; m++) {
		unsigned runs = atomic_load(&m1.dpcs[m][0]) + atomic_load(&m1.dpcs[m][1]);

		cr_assert_eq(ndisrt_adapter_counters(t.a, m, NDISRT_ALL, &c), 0);
		cr_assert_eq(c.isrs, M1_ROUNDS);
		cr_assert_eq(c.dpcs, runs);
		cr_assert_eq(c.dpc_requests - c.dpc_already_queued, runs,
			     "message %u: %llu requests, %llu already queued, %u runs", m,
			     (unsigned long long)c.dpc_requests,
			     (unsigned long long)c.dpc_already_queued, runs);
		cr_assert_geq(atomic_load(&m1.dpcs[m][m]), 1);
		cr_assert_geq(atomic_load(&m1.dpcs[m][1 - m]), 1);
	}
	tdrv_stop(&t, 0);
}

/* ------------------- a sync routine excludes its own message's ISR only */

static struct {
	atomic_bool in_sync, isr_entered[2];
	atomic_int fire; /* message the main thread must send, -1 none */
	atomic_bool entered_during_sync;
	unsigned wait_for; /* message whose ISR the routine watches */
	bool expect_entry; /* the test expects that ISR to run during the sync */
	struct tdrv *t;
} m2;

static BOOLEAN m2_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	atomic_store(&m2.isr_entered[msg], true);
	return tdrv_default_isr(t, msg, queue_default, targets);
}

static BOOLEAN m2_routine(NDIS_HANDLE ctx)
{
	struct tdrv *t = ctx;
	unsigned w = m2.wait_for;

	atomic_store(&m2.in_sync, true);
	/*
	 * Wait until vCPU 1 is taking the interrupt, then watch its ISR: for as
	 * long as it takes when it should come in (a loaded host may be slow),
	 * for 5 ms when it should not (a broken lock lets it in at once).
	 */
	SPIN_UNTIL(tisr_in_service(t, w) || atomic_load(&m2.isr_entered[w]));
	if (m2.expect_entry)
		atomic_store(&m2.entered_during_sync, SPIN_UNTIL(atomic_load(&m2.isr_entered[w])));
	else
		atomic_store(&m2.entered_during_sync,
			     SPIN_FOR(atomic_load(&m2.isr_entered[w]), 5 * MS));
	atomic_store(&m2.in_sync, false);
	return TRUE;
}

static void m2_sync_msg0(void *arg)
{
	struct tdrv *t = arg;

	NdisMSynchronizeWithInterruptEx(t->intr, 0, m2_routine, t);
}

/* Sync on message 0 from vCPU 0 while message @fire interrupts vCPU 1. */
static bool m2_round(struct tenv *env, struct tdrv *t, unsigned fire, bool expect_entry)
{
	struct ke_work w;
	unsigned long before = atomic_load(&t->dpc_calls[fire]);

	m2.expect_entry = expect_entry;
	atomic_store(&m2.isr_entered[0], false);
	atomic_store(&m2.isr_entered[1], false);
	atomic_store(&m2.in_sync, false);
	m2.wait_for = fire;
	ke_work_init(&w, m2_sync_msg0, t);
	ke_vcpu_post(ke_machine_vcpu(env->m, 0), &w);
	WAIT_UNTIL(atomic_load(&m2.in_sync));
	tdrv_fire(t, fire);
	ke_work_wait(&w);
	WAIT_UNTIL(atomic_load(&t->dpc_calls[fire]) == before + 1);
	return atomic_load(&m2.entered_during_sync);
}

Test(ndis_multi, S1_sync_on_vcpu0_excludes_its_messages_isr_on_vcpu1_not_anothers, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	int vcpus[2] = {1, 1};

	tenv_msi_adapter(&e, &t, 2, vcpus, NULL);
	t.isr = m2_isr;
	tdrv_start(&t, 0);
	for (int i = 0; i < 20; i++) {
		cr_assert_not(m2_round(&e, &t, 0, false),
			      "message 0's ISR ran while a sync on message 0 held its lock");
		cr_assert(m2_round(&e, &t, 1, true),
			  "message 1's ISR was held off by a sync on message 0");
	}
	tdrv_stop(&t, 0);
}

Test(ndis_multi, S1_with_all_messages_a_sync_excludes_every_messages_isr, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	int vcpus[2] = {1, 1};

	tenv_msi_adapter(&e, &t, 2, vcpus, NULL);
	t.isr = m2_isr;
	t.sync_all = TRUE;
	tdrv_start(&t, 0);
	for (int i = 0; i < 20; i++) {
		cr_assert_not(m2_round(&e, &t, 0, false));
		cr_assert_not(m2_round(&e, &t, 1, false),
			      "MsiSyncWithAllMessages: message 1's ISR ran during a sync on 0");
	}
	tdrv_stop(&t, 0);
}

/* ------------------------------ I1: ISRs of two messages with/without sync-all */

static struct {
	atomic_bool in0, entered1, overlapped;
	bool expect_overlap;
	struct tdrv *t;
} m3;

static BOOLEAN m3_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	if (msg == 1) {
		atomic_store(&m3.entered1, true);
	} else {
		atomic_store(&m3.in0, true);
		SPIN_UNTIL(tisr_in_service(t, 1) || atomic_load(&m3.entered1));
		/* Long when the overlap must happen, short when it must not. */
		if (m3.expect_overlap)
			atomic_store(&m3.overlapped, SPIN_UNTIL(atomic_load(&m3.entered1)));
		else
			atomic_store(&m3.overlapped, SPIN_FOR(atomic_load(&m3.entered1), 20 * MS));
	}
	return tdrv_default_isr(t, msg, queue_default, targets);
}

static bool m3_run(bool sync_all)
{
	struct tenv env;
	static struct tdrv t;
	int vcpus[2] = {0, 1};
	bool overlapped;

	memset(&t, 0, sizeof(t));
	memset(&m3, 0, sizeof(m3));
	m3.expect_overlap = !sync_all;
	tenv_init(&env, 2);
	tenv_msi_adapter(&env, &t, 2, vcpus, NULL);
	t.isr = m3_isr;
	t.sync_all = sync_all;
	tdrv_start(&t, 0);
	tdrv_fire(&t, 0);
	WAIT_UNTIL(atomic_load(&m3.in0));
	tdrv_fire(&t, 1);
	WAIT_UNTIL(atomic_load(&t.dpc_calls[0]) == 1 && atomic_load(&t.dpc_calls[1]) == 1);
	overlapped = atomic_load(&m3.overlapped);
	tdrv_stop(&t, 0);
	tenv_end(&env);
	return overlapped;
}

Test(ndis_multi, I1_isrs_of_different_messages_run_concurrently)
{
	cr_assert(m3_run(false), "message ISRs were serialized without MsiSyncWithAllMessages");
}

Test(ndis_multi, I1_sync_with_all_messages_serializes_every_message_isr)
{
	cr_assert_not(m3_run(true), "MsiSyncWithAllMessages: two message ISRs overlapped");
}
