/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_throttle.c - receive-side throttling: spec I9 and the
 * re-run choice O-7.
 */
#include "tests/ndis/tndis.h"

#define LINE_IRQL 6
#define TOTAL 100

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

static int th_ctx;

static struct {
	atomic_int pending;
	atomic_uint runs, over, indicated, other_vcpu, other_ctx, max_seen, first_vcpu;
	_Atomic(void *) first_ctx;
	atomic_bool queued_by_isr;
} th;

/* A driver that follows the contract: at most MaxNblsToIndicate per DPC. */
static void th_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	int left = atomic_load(&th.pending);
	ULONG max = tp->MaxNblsToIndicate;
	int n = max == NDIS_INDICATE_ALL_NBLS || (ULONG)left < max ? left : (int)max;
	unsigned run = atomic_fetch_add(&th.runs, 1);

	(void)t, (void)msg;
	tcheck(t, tp->MoreNblsPending == 0, "MoreNblsPending not cleared on entry");
	if (run == 0) {
		atomic_store(&th.first_vcpu, NdisCurrentProcessorIndex());
		atomic_store(&th.first_ctx, ctx);
	} else {
		if (NdisCurrentProcessorIndex() != atomic_load(&th.first_vcpu))
			atomic_fetch_add(&th.other_vcpu, 1);
		if (ctx != atomic_load(&th.first_ctx))
			atomic_fetch_add(&th.other_ctx, 1);
	}
	if (max != NDIS_INDICATE_ALL_NBLS && (ULONG)n > max)
		atomic_fetch_add(&th.over, 1);
	atomic_store(&th.max_seen, max);
	atomic_fetch_add(&th.indicated, (unsigned)n);
	atomic_fetch_sub(&th.pending, n);
	/* More left: say so, and leave interrupts disabled (nothing to do here). */
	tp->MoreNblsPending = left - n > 0 && max != NDIS_INDICATE_ALL_NBLS;
}

static BOOLEAN th_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	(void)msg;
	if (t->src.line)
		intc_source_set(&t->src, false); /* dismiss the level-triggered line */
	atomic_store(&th.pending, TOTAL);
	*queue_default = TRUE;
	*targets = 0;
	return TRUE;
}

static void th_reset(void)
{
	memset(&th, 0, sizeof(th));
}

static void th_expect(struct tenv *env, unsigned runs, ULONG max)
{
	WAIT_UNTIL(atomic_load(&th.indicated) == TOTAL);
	cr_assert_eq(ke_machine_quiesce(env->m, 30000), 0);
	cr_assert_eq(atomic_load(&th.runs), runs, "%u DPC runs, expected %u", atomic_load(&th.runs),
		     runs);
	cr_assert_eq(atomic_load(&th.indicated), TOTAL);
	cr_assert_eq(atomic_load(&th.over), 0, "a run indicated more than MaxNblsToIndicate");
	cr_assert_eq(atomic_load(&th.max_seen), max);
	cr_assert_eq(atomic_load(&th.other_vcpu), 0, "a re-run moved to another vCPU");
	cr_assert_eq(atomic_load(&th.other_ctx), 0, "a re-run got another context");
}

Test(ndis_throttle, I9_100_nbls_at_8_per_dpc_take_13_runs, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;
	struct ndisrt_interrupt_counters c;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	cr_assert_eq(ndisrt_adapter_set_max_nbls(t.a, 8), 0);
	t.isr = th_isr;
	t.dpc = th_dpc;
	tdrv_start(&t, 0);
	th_reset();
	tdrv_fire(&t, 0);
	th_expect(&e, 13, 8);
	cr_assert_null(atomic_load(&th.first_ctx));
	cr_assert_eq(ndisrt_adapter_counters(t.a, 0, NDISRT_ALL, &c), 0);
	cr_assert_eq(c.dpcs, 13);
	cr_assert_eq(c.dpc_reruns, 12);
	tdrv_assert_good(&t);
	tdrv_stop(&t, 0);
}

Test(ndis_throttle, I9_line_based_dpc_is_throttled_the_same_way, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 2);
	ndisrt_adapter_set_max_nbls(t.a, 8);
	t.isr = th_isr;
	t.dpc = th_dpc;
	tdrv_start(&t, 0);
	th_reset();
	intc_source_set(&t.src, true);
	th_expect(&e, 13, 8);
	cr_assert_eq(atomic_load(&th.first_vcpu), 1);
	tdrv_stop(&t, 0);
}

static void th_queue_with_context(void *arg)
{
	struct tdrv *t = arg;
	GROUP_AFFINITY ga = {.Mask = 0x2};

	atomic_store(&th.pending, TOTAL);
	NdisMQueueDpcEx(t->intr, 0, &ga, &th_ctx);
}

Test(ndis_throttle, O7_reruns_stay_on_the_same_vcpu_with_the_same_context, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	ndisrt_adapter_set_max_nbls(t.a, 8);
	t.dpc = th_dpc;
	tdrv_start(&t, 0);
	th_reset();
	on_vcpu(&e, 0, th_queue_with_context, &t);
	th_expect(&e, 13, 8);
	cr_assert_eq(atomic_load(&th.first_vcpu), 1);
	cr_assert_eq(atomic_load(&th.first_ctx), &th_ctx);
	tdrv_stop(&t, 0);
}

Test(ndis_throttle, I9_indicate_all_nbls_takes_one_run, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;
	struct ndisrt_adapter_config cfg;

	ndisrt_adapter_config_init(&cfg, e.ic);
	cfg.nr_messages = 1;
	cfg.max_nbls_to_indicate = NDISRT_INDICATE_ALL_NBLS;
	t.msi_supported = TRUE;
	tenv_adapter(&e, &t, &cfg);
	t.isr = th_isr;
	t.dpc = th_dpc;
	tdrv_start(&t, 0);
	th_reset();
	tdrv_fire(&t, 0);
	th_expect(&e, 1, NDIS_INDICATE_ALL_NBLS);
	tdrv_stop(&t, 0);
}

Test(ndis_throttle, I9_default_limit_is_64, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 1, NULL, NULL);
	t.isr = th_isr;
	t.dpc = th_dpc;
	tdrv_start(&t, 0);
	th_reset();
	tdrv_fire(&t, 0);
	th_expect(&e, 2, NDISRT_DEFAULT_MAX_NBLS);
	tdrv_stop(&t, 0);
}
