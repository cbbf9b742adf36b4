/* SPDX-License-Identifier: MIT */
/*
 * ke/dpc.c - deferred procedure calls.
 *
 * Each vCPU has a DPC queue. A DPC object is in at most one queue at a time
 * (queued_on is set by compare-and-swap under the target's DPC lock). The
 * queue's pending bit is the vector KE_DPC_VECTOR at DISPATCH_LEVEL, so the
 * delivery machinery of interrupts runs DPCs too: when the target's IRQL
 * drops below DISPATCH_LEVEL, its queue is drained at DISPATCH_LEVEL.
 *
 * Importance, as KeInsertQueueDpc orders it: High goes to the head of the
 * queue, every other importance to the tail. Windows may hold back a Low or
 * Medium DPC aimed at another processor until that processor's next clock
 * tick; this machine has no periodic tick, so every importance requests the
 * target at once (docs/ke.md).
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"

void ke_dpc_init(struct ke_dpc *dpc, ke_dpc_fn *routine, void *ctx)
{
	dpc->routine = routine;
	dpc->ctx = ctx;
	dpc->arg1 = dpc->arg2 = NULL;
	dpc->target = KE_DPC_TARGET_CURRENT;
	dpc->importance = KE_DPC_MEDIUM;
	atomic_init(&dpc->queued_on, 0);
	dpc->next = dpc->prev = NULL;
	atomic_init(&dpc->origin, NULL);
}

void ke_dpc_set_target(struct ke_dpc *dpc, int vcpu)
{
	dpc->target = vcpu;
}

void ke_dpc_set_importance(struct ke_dpc *dpc, enum ke_dpc_importance imp)
{
	dpc->importance = (uint8_t)imp;
}

static void dpc_link(struct ke_vcpu *t, struct ke_dpc *dpc)
{
	if (dpc->importance == KE_DPC_HIGH) {
		dpc->prev = NULL;
		dpc->next = t->dpc_head;
		if (t->dpc_head)
			t->dpc_head->prev = dpc;
		else
			t->dpc_tail = dpc;
		t->dpc_head = dpc;
	} else {
		dpc->next = NULL;
		dpc->prev = t->dpc_tail;
		if (t->dpc_tail)
			t->dpc_tail->next = dpc;
		else
			t->dpc_head = dpc;
		t->dpc_tail = dpc;
	}
	atomic_fetch_add_explicit(&t->dpc_depth, 1, memory_order_relaxed);
}

static void dpc_unlink(struct ke_vcpu *t, struct ke_dpc *dpc)
{
	if (dpc->prev)
		dpc->prev->next = dpc->next;
	else
		t->dpc_head = dpc->next;
	if (dpc->next)
		dpc->next->prev = dpc->prev;
	else
		t->dpc_tail = dpc->prev;
	dpc->next = dpc->prev = NULL;
	atomic_fetch_sub_explicit(&t->dpc_depth, 1, memory_order_relaxed);
}

/* The DPC lock is taken at HIGH_LEVEL so no interrupt on this vCPU can try
 * to queue a DPC (and take the same lock) while we hold it. */
static ke_irql_t dpc_lock(struct ke_vcpu *t)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&t->dpc_lock);
	return old;
}

static void dpc_unlock(struct ke_vcpu *t, ke_irql_t old)
{
	ke_spin_release_raw(&t->dpc_lock);
	ke_irql_lower(old);
}

bool ke_dpc_queue(struct ke_machine *m, struct ke_dpc *dpc, void *arg1, void *arg2)
{
	unsigned n = dpc->target >= 0 ? (unsigned)dpc->target : ke_current_number();
	struct ke_vcpu *t, *self = ke_self;
	ke_irql_t old;
	int expected = 0;

	if (n >= m->nr_vcpus)
		ke_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1F01, (uintptr_t)dpc,
			    n, m->nr_vcpus, "DPC targeted at a processor that does not exist");
	t = m->vcpus[n];
	old = dpc_lock(t);
	if (!atomic_compare_exchange_strong(&dpc->queued_on, &expected, (int)n + 1)) {
		if (ke_hooks_on())
			ke_hook_dpc_queue(self, m, dpc, n, false);
		dpc_unlock(t, old);
		return false;
	}
	dpc->arg1 = arg1;
	dpc->arg2 = arg2;
	if (self && self->m == m && self->cur_isr)
		atomic_store_explicit(&dpc->origin, self->cur_isr, memory_order_relaxed);
	dpc_link(t, dpc);
	if (ke_hooks_on())
		ke_hook_dpc_queue(self, m, dpc, n, true);
	/* Still at HIGH_LEVEL: a request on ourselves stays pending until we lower. */
	ke_vcpu_request(t, KE_DPC_VECTOR);
	dpc_unlock(t, old);
	return true;
}

bool ke_dpc_remove(struct ke_machine *m, struct ke_dpc *dpc)
{
	int q = atomic_load(&dpc->queued_on);
	struct ke_vcpu *t;
	ke_irql_t old;
	bool removed = false;

	if (!q)
		return false;
	t = m->vcpus[q - 1];
	old = dpc_lock(t);
	if (atomic_load(&dpc->queued_on) == q) {
		dpc_unlink(t, dpc);
		atomic_store(&dpc->queued_on, 0);
		removed = true;
	}
	dpc_unlock(t, old);
	return removed;
}

static struct ke_dpc *dpc_pop(struct ke_vcpu *v, void **arg1, void **arg2)
{
	ke_irql_t old = dpc_lock(v);
	struct ke_dpc *dpc = v->dpc_head;

	if (dpc) {
		dpc_unlink(v, dpc);
		*arg1 = dpc->arg1;
		*arg2 = dpc->arg2;
		/* Cleared before the routine runs, so it may queue itself again. */
		atomic_store_explicit(&dpc->queued_on, 0, memory_order_release);
	}
	dpc_unlock(v, old);
	return dpc;
}

/**
 * ke_dpc_drain() - Run this vCPU's queued DPCs.
 * Context: the owning vCPU at DISPATCH_LEVEL, from ke_vcpu_deliver().
 * Every routine must return at DISPATCH_LEVEL, as KiRetireDpcList checks.
 */
void ke_dpc_drain(struct ke_vcpu *v)
{
	struct ke_machine *m = v->m;
	bool timed = atomic_load_explicit(&m->time_dpcs, memory_order_relaxed);
	struct ke_dpc *dpc;
	void *a1, *a2;

	while ((dpc = dpc_pop(v, &a1, &a2)) != NULL) {
		ke_dpc_fn *routine = dpc->routine;
		/* Read before the routine runs: once it has, the DPC object may be
		 * freed or reused (by the routine itself, or by a thread it let go). */
		struct ke_interrupt *from =
		    atomic_load_explicit(&dpc->origin, memory_order_relaxed);
		ke_irql_t after;
		uint64_t t0 = 0;

		if (ke_hooks_on())
			ke_hook_dpc_enter(v, dpc);
		v->current_dpc = dpc;
		if (timed)
			t0 = m->engine->clock_ns(m);
		routine(dpc, dpc->ctx, a1, a2);
		if (timed) {
			uint64_t ns = m->engine->clock_ns(m) - t0;

			ke_hist_live_add(&v->hist[KE_HIST_DPC_DURATION], ns);
			ke_us_hist_add(&v->us[KE_ROUTINE_DPC], ns);
			if (from)
				ke_us_hist_add(&from->dpc_us, ns);
		}
		v->current_dpc = NULL;
		after = ke_vcpu_irql(v);
		if (after != KE_DISPATCH_LEVEL)
			ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, after, KE_DISPATCH_LEVEL,
				    (uintptr_t)routine, (uintptr_t)dpc,
				    "a DPC routine returned at an IRQL other than DISPATCH_LEVEL");
		if (ke_hooks_on())
			ke_hook_dpc_exit(v, dpc);
		atomic_fetch_add_explicit(&v->st_dpcs, 1, memory_order_relaxed);
	}
}
