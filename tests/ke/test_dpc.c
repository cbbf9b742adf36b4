/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_dpc.c - DPC queueing, targeting and importance.
 */
#include "tests/harness.h"

static struct {
	struct ke_machine *m;
	struct ke_dpc dpc;
	atomic_uint runs, first_queue, second_queue;
	atomic_int vcpu_seen, irql_seen;
} twice;

static void count_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	atomic_store(&twice.vcpu_seen, (int)ke_current_number());
	atomic_store(&twice.irql_seen, ke_irql_current());
	atomic_fetch_add(&twice.runs, 1);
}

static void queue_twice_at_dispatch(void *arg)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	(void)arg;
	atomic_store(&twice.first_queue, ke_dpc_queue(twice.m, &twice.dpc, NULL, NULL));
	atomic_store(&twice.second_queue, ke_dpc_queue(twice.m, &twice.dpc, NULL, NULL));
	ke_irql_lower(old);
}

Test(ke_dpc, dpc_queued_twice_runs_once)
{
	struct ke_machine *m = harness_machine(2);

	twice.m = m;
	ke_dpc_init(&twice.dpc, count_dpc, NULL);
	ke_vcpu_call(ke_machine_vcpu(m, 1), queue_twice_at_dispatch, NULL);
	cr_assert_eq(atomic_load(&twice.first_queue), 1);
	cr_assert_eq(atomic_load(&twice.second_queue), 0, "second queue of a queued DPC succeeded");
	cr_assert_eq(atomic_load(&twice.runs), 1);
	/* Target "current": it ran where it was queued. */
	cr_assert_eq(atomic_load(&twice.vcpu_seen), 1);
	/* Once it has run it can be queued again. */
	cr_assert(ke_dpc_queue(m, &twice.dpc, NULL, NULL));
	WAIT_UNTIL(atomic_load(&twice.runs) == 2);
	harness_end(m);
}

static struct {
	atomic_int vcpu[4], irql[4];
	atomic_uint runs;
	void *arg1[4];
} tgt;

static void target_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	unsigned i = (unsigned)(uintptr_t)ctx;

	(void)dpc, (void)a2;
	atomic_store(&tgt.vcpu[i], (int)ke_current_number());
	atomic_store(&tgt.irql[i], ke_irql_current());
	tgt.arg1[i] = a1;
	atomic_fetch_add(&tgt.runs, 1);
}

Test(ke_dpc, dpc_runs_at_dispatch_level_on_its_target_vcpu)
{
	struct ke_machine *m = harness_machine(4);
	struct ke_dpc d[4];

	for (unsigned i = 0; i < 4; i++) {
		ke_dpc_init(&d[i], target_dpc, (void *)(uintptr_t)i);
		ke_dpc_set_target(&d[i], (int)(3 - i));
		cr_assert(ke_dpc_queue(m, &d[i], (void *)(uintptr_t)(0x100 + i), NULL));
	}
	WAIT_UNTIL(atomic_load(&tgt.runs) == 4);
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(atomic_load(&tgt.vcpu[i]), (int)(3 - i), "DPC %u ran on vCPU %d", i,
			     atomic_load(&tgt.vcpu[i]));
		cr_assert_eq(atomic_load(&tgt.irql[i]), KE_DISPATCH_LEVEL);
		cr_assert_eq(tgt.arg1[i], (void *)(uintptr_t)(0x100 + i));
	}
	harness_end(m);
}

/* Importance: High goes to the head of the queue, the rest to the tail. */
static struct {
	struct ke_machine *m;
	struct ke_dpc d[4];
	char order[5];
	atomic_uint n;
} imp;

static void order_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)a1, (void)a2;
	imp.order[atomic_fetch_add(&imp.n, 1)] = (char)(uintptr_t)ctx;
}

static void queue_mixed_importance(void *arg)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	(void)arg;
	for (int i = 0; i < 4; i++)
		ke_dpc_queue(imp.m, &imp.d[i], NULL, NULL);
	ke_irql_lower(old);
}

Test(ke_dpc, high_importance_dpc_runs_first_others_in_queue_order)
{
	struct ke_machine *m = harness_machine(1);
	static const char names[4] = {'a', 'b', 'H', 'c'};
	static const enum ke_dpc_importance how[4] = {KE_DPC_MEDIUM, KE_DPC_LOW, KE_DPC_HIGH,
						      KE_DPC_MEDIUM_HIGH};

	imp.m = m;
	for (int i = 0; i < 4; i++) {
		ke_dpc_init(&imp.d[i], order_dpc, (void *)(uintptr_t)names[i]);
		ke_dpc_set_importance(&imp.d[i], how[i]);
	}
	ke_vcpu_call(ke_machine_vcpu(m, 0), queue_mixed_importance, NULL);
	cr_assert_str_eq(imp.order, "Habc");
	harness_end(m);
}

static struct {
	struct ke_machine *m;
	struct ke_dpc dpc;
	atomic_uint runs, removed;
} rem;

static void rem_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	atomic_fetch_add(&rem.runs, 1);
}

static void queue_then_remove(void *arg)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	(void)arg;
	ke_dpc_queue(rem.m, &rem.dpc, NULL, NULL);
	atomic_store(&rem.removed, ke_dpc_remove(rem.m, &rem.dpc));
	ke_irql_lower(old);
}

Test(ke_dpc, removed_dpc_does_not_run)
{
	struct ke_machine *m = harness_machine(1);

	rem.m = m;
	ke_dpc_init(&rem.dpc, rem_dpc, NULL);
	ke_vcpu_call(ke_machine_vcpu(m, 0), queue_then_remove, NULL);
	cr_assert_eq(atomic_load(&rem.removed), 1);
	cr_assert_eq(atomic_load(&rem.runs), 0);
	cr_assert_not(ke_dpc_remove(m, &rem.dpc));
	harness_end(m);
}

static void dpc_lowers_irql(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	ke_irql_lower(KE_PASSIVE_LEVEL);
}

Test(ke_dpc, dpc_returning_below_dispatch_bugchecks_0xC8, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);
	static struct ke_dpc d;

	expect_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, 0x3, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL,
			0, 0);
	ke_dpc_init(&d, dpc_lowers_irql, NULL);
	ke_dpc_set_target(&d, 0);
	ke_dpc_queue(m, &d, NULL, NULL);
	WAIT_UNTIL(false);
}
