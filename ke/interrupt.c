/* SPDX-License-Identifier: MIT */
/*
 * ke/interrupt.c - interrupt objects, vectors, dispatch and
 * KeSynchronizeExecution.
 *
 * An interrupt object is chained on its vector (a shared INTx line is one
 * vector with several objects). Dispatch walks the chain lock-free; the
 * per-vector walker count and the per-object in-service count let
 * disconnect wait until no vCPU can still reach the object, the way Linux's
 * synchronize_irq() waits for a descriptor's handlers.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"

#include <errno.h>
#include <sched.h>

int ke_interrupt_init(struct ke_interrupt *intr, ke_isr_fn *isr, void *ctx, unsigned vector,
		      struct ke_spinlock *shared_lock, ke_irql_t sync_irql, uint64_t affinity)
{
	ke_irql_t irql = ke_vector_irql(vector);

	if (!isr || vector >= KE_NR_VECTORS || irql < KE_DIRQL_MIN || irql > KE_DIRQL_MAX)
		return -EINVAL;
	if (sync_irql < irql || sync_irql > KE_DIRQL_MAX)
		return -EINVAL;
	intr->isr = isr;
	intr->ctx = ctx;
	intr->vector = (uint8_t)vector;
	intr->irql = irql;
	intr->sync_irql = sync_irql;
	ke_spin_init(&intr->own_lock);
	intr->lock = shared_lock ? shared_lock : &intr->own_lock;
	intr->affinity = affinity;
	atomic_init(&intr->in_service, 0);
	atomic_init(&intr->connected, false);
	atomic_init(&intr->count, 0);
	atomic_init(&intr->claimed, 0);
	intr->next = NULL;
	for (unsigned b = 0; b < KE_US_BUCKETS; b++) {
		atomic_init(&intr->isr_us.bucket[b], 0);
		atomic_init(&intr->dpc_us.bucket[b], 0);
	}
	return 0;
}

static ke_irql_t vector_lock(struct ke_machine *m)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&m->vector_lock);
	return old;
}

static void vector_unlock(struct ke_machine *m, ke_irql_t old)
{
	ke_spin_release_raw(&m->vector_lock);
	ke_irql_lower(old);
}

int ke_interrupt_connect(struct ke_machine *m, struct ke_interrupt *intr)
{
	ke_irql_t old;
	struct ke_interrupt **pp;

	if (atomic_load(&intr->connected))
		return -EBUSY;
	old = vector_lock(m);
	/* Append, so a shared line's ISRs are called in connection order. */
	/* Under the vector lock the chain is ours to walk; links are published atomically. */
	pp = (struct ke_interrupt **)(uintptr_t)&m->vectors[intr->vector];
	while (*pp)
		pp = &(*pp)->next;
	intr->next = NULL;
	atomic_store(&intr->connected, true);
	atomic_store_explicit((_Atomic(struct ke_interrupt *) *)(uintptr_t)pp, intr,
			      memory_order_release);
	vector_unlock(m, old);
	return 0;
}

void ke_interrupt_disconnect(struct ke_machine *m, struct ke_interrupt *intr)
{
	ke_irql_t old;
	struct ke_interrupt **pp;

	old = vector_lock(m);
	for (pp = (struct ke_interrupt **)(uintptr_t)&m->vectors[intr->vector]; *pp;
	     pp = &(*pp)->next) {
		if (*pp == intr) {
			atomic_store_explicit((_Atomic(struct ke_interrupt *) *)(uintptr_t)pp,
					      intr->next, memory_order_release);
			break;
		}
	}
	/*
	 * seq_cst: a dispatcher increments in_service, then reads connected;
	 * we clear connected, then read in_service. One of us sees the other.
	 */
	atomic_store_explicit(&intr->connected, false, memory_order_seq_cst);
	vector_unlock(m, old);
	/* A walker that read the chain before the unlink may still hold @intr. */
	while (atomic_load_explicit(&m->vector_active[intr->vector], memory_order_seq_cst) ||
	       atomic_load_explicit(&intr->in_service, memory_order_seq_cst))
		ke_yield();
}

int ke_vector_alloc(struct ke_machine *m, ke_irql_t irql)
{
	ke_irql_t old;
	int vector = -ENOSPC;

	if (irql < KE_DIRQL_MIN || irql > KE_DIRQL_MAX)
		return -EINVAL;
	old = vector_lock(m);
	for (unsigned v = (unsigned)irql << 4; v < ((unsigned)irql + 1) << 4; v++) {
		if (!(m->vector_used[v / 64] & (1ULL << (v % 64)))) {
			m->vector_used[v / 64] |= 1ULL << (v % 64);
			vector = (int)v;
			break;
		}
	}
	vector_unlock(m, old);
	return vector;
}

void ke_vector_free(struct ke_machine *m, unsigned vector)
{
	ke_irql_t old = vector_lock(m);

	m->vector_used[vector / 64] &= ~(1ULL << (vector % 64));
	m->eoi_fn[vector] = NULL;
	m->eoi_ctx[vector] = NULL;
	vector_unlock(m, old);
}

void ke_vector_set_eoi(struct ke_machine *m, unsigned vector, ke_eoi_fn *fn, void *ctx)
{
	ke_irql_t old = vector_lock(m);

	m->eoi_fn[vector] = fn;
	m->eoi_ctx[vector] = ctx;
	vector_unlock(m, old);
}

/* Run one object's ISR at its sync IRQL holding its lock. */
static bool run_isr(struct ke_vcpu *v, struct ke_interrupt *intr)
{
	ke_irql_t level = ke_vcpu_irql(v);
	ke_irql_t after;
	struct ke_interrupt *outer = v->cur_isr;
	bool timed = atomic_load_explicit(&v->m->time_isrs, memory_order_relaxed);
	uint64_t t0 = 0;
	bool claimed;

	if (intr->sync_irql > level)
		ke_irql_set_raw(v, intr->sync_irql);
	if (ke_hooks_on())
		ke_hook_isr_enter(v, intr);
	/* ke_dpc_queue() charges a DPC queued from here to @intr (dpc->origin). */
	v->cur_isr = intr;
	ke_spin_acquire_raw(intr->lock);
	if (timed)
		t0 = v->m->engine->clock_ns(v->m);
	claimed = intr->isr(intr, intr->ctx);
	if (timed) {
		uint64_t ns = v->m->engine->clock_ns(v->m) - t0;

		ke_hist_live_add(&v->hist[KE_HIST_ISR_DURATION], ns);
		ke_us_hist_add(&v->us[KE_ROUTINE_ISR], ns);
		ke_us_hist_add(&intr->isr_us, ns);
	}
	ke_spin_release_raw(intr->lock);
	v->cur_isr = outer;
	after = ke_vcpu_irql(v);
	if (after != intr->sync_irql)
		ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, after, intr->sync_irql,
			    (uintptr_t)intr->isr, 0,
			    "an interrupt service routine returned at an IRQL other than the one "
			    "it was called at");
	if (ke_hooks_on())
		ke_hook_isr_exit(v, intr, claimed);
	ke_irql_set_raw(v, level);
	atomic_fetch_add_explicit(&intr->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&v->st_isr_calls, 1, memory_order_relaxed);
	if (claimed) {
		atomic_fetch_add_explicit(&intr->claimed, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&v->st_isr_claimed, 1, memory_order_relaxed);
	}
	return claimed;
}

/**
 * ke_dispatch_vector() - Call the ISRs chained on @vector until one claims it.
 * Context: the owning vCPU at the vector's level, from ke_vcpu_deliver().
 */
void ke_dispatch_vector(struct ke_vcpu *v, unsigned vector)
{
	struct ke_machine *m = v->m;
	struct ke_interrupt *intr;
	ke_eoi_fn *eoi;

	atomic_fetch_add_explicit(&m->vector_active[vector], 1, memory_order_seq_cst);
	intr = atomic_load_explicit(&m->vectors[vector], memory_order_acquire);
	/* Request -> delivery latency, taken by ke_vcpu_deliver() anyway: one
	 * sample per interrupt that has a service routine to run. */
	if (intr)
		ke_hist_live_add(&v->hist[KE_HIST_INTERRUPT_LATENCY], v->cur_latency_ns);
	for (; intr; intr = intr->next) {
		atomic_fetch_add_explicit(&intr->in_service, 1, memory_order_seq_cst);
		if (atomic_load_explicit(&intr->connected, memory_order_seq_cst) &&
		    run_isr(v, intr)) {
			atomic_fetch_sub_explicit(&intr->in_service, 1, memory_order_release);
			break;
		}
		atomic_fetch_sub_explicit(&intr->in_service, 1, memory_order_release);
	}
	eoi = m->eoi_fn[vector];
	atomic_fetch_sub_explicit(&m->vector_active[vector], 1, memory_order_release);
	atomic_fetch_add_explicit(&v->st_interrupts, 1, memory_order_relaxed);
	if (eoi)
		eoi(m, vector, v->number, m->eoi_ctx[vector]);
}

bool ke_synchronize_execution(struct ke_interrupt *intr, bool (*fn)(void *ctx), void *ctx)
{
	ke_irql_t cur = ke_irql_current();
	ke_irql_t old;
	bool result;

	if (cur > intr->sync_irql)
		ke_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, intr->sync_irql, cur,
			    (uintptr_t)intr, KE_CALLER(),
			    "synchronize-with-interrupt called above the interrupt's IRQL");
	old = ke_irql_raise(intr->sync_irql);
	ke_spin_acquire_raw(intr->lock);
	ke_sync_routine_enter(intr);
	result = fn(ctx);
	ke_sync_routine_exit(intr);
	ke_spin_release_raw(intr->lock);
	if (ke_irql_current() != intr->sync_irql)
		ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, ke_irql_current(), intr->sync_irql,
			    (uintptr_t)fn, 0,
			    "a synchronize routine returned at an IRQL other than the one it was "
			    "called at");
	ke_irql_lower(old);
	return result;
}
