/* SPDX-License-Identifier: MIT */
/*
 * ke/irql.c - per-vCPU IRQL with lazy masking, and delivery of pending work.
 *
 * Raising the IRQL is a store to the vCPU's own IRQL variable: interrupts are
 * never masked in the host sense. An interrupt that arrives while its level is
 * at or below the IRQL is left pending (a bit in the vCPU's pending bitmap);
 * lowering the IRQL looks at the bitmap and delivers what the new level
 * unmasks, highest level first. No system call and no fence on either path:
 * the fast paths are inline in ke.h; this file has the slow paths (host
 * threads, hooks, preemption points, bug checks) and delivery.
 *
 * Why lowering needs no fence: see the comment on ke_vcpu.pub_irql in
 * internal.h. In short, remote requesters only skip notifying a vCPU that is
 * inside ke_vcpu_deliver(), whose exit is fenced; any other masking window
 * gets a notification whose handler leaves the bit for the owner to find.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"

#include <errno.h>

__thread struct ke_vcpu *ke_self __attribute__((tls_model("initial-exec")));
__thread struct ke_irql_state *ke_tls_irql __attribute__((tls_model("initial-exec")));

/* IRQL of host threads (the test main thread, wires...): nothing interrupts them. */
static __thread ke_irql_t host_irql __attribute__((tls_model("initial-exec")));

struct ke_vcpu *ke_current(void)
{
	return ke_self;
}

struct ke_machine *ke_current_machine(void)
{
	return ke_self ? ke_self->m : NULL;
}

unsigned ke_current_number(void)
{
	return ke_self ? ke_self->number : 0;
}

ke_irql_t ke_irql_current_slow(void)
{
	return ke_self ? ke_vcpu_irql(ke_self) : host_irql;
}

ke_irql_t ke_irql_raise_slow(ke_irql_t new_irql)
{
	struct ke_vcpu *v = ke_self;
	ke_irql_t old = ke_irql_current_slow();

	if (new_irql < old || new_irql > KE_HIGH_LEVEL)
		ke_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, new_irql, old, 0, KE_CALLER(),
			    "KeRaiseIrql to a level below the current IRQL (raise only upward; "
			    "restore a saved IRQL with KeLowerIrql)");
	if (!v) {
		host_irql = new_irql;
		return old;
	}
	ke_irql_set_raw(v, new_irql);
	if (ke_hooks_on())
		ke_hook_irql_change(v, old, new_irql);
	ke_preempt_point(KE_PP_IRQL_CHANGE);
	return old;
}

void ke_irql_lower_slow(ke_irql_t new_irql)
{
	struct ke_vcpu *v = ke_self;
	ke_irql_t old = ke_irql_current_slow();

	if (new_irql > old)
		ke_bugcheck(KE_BUGCHECK_IRQL_NOT_LESS_OR_EQUAL, new_irql, old, 0, KE_CALLER(),
			    "KeLowerIrql to a level above the current IRQL (lower only to the "
			    "value the matching raise returned)");
	if (!v) {
		host_irql = new_irql;
		return;
	}
	ke_irql_set_raw(v, new_irql);
	/* Reported before what the lower unmasks runs, so that a tracer sees
	 * the new level first and the interrupts it lets in after. */
	if (ke_hooks_on())
		ke_hook_irql_change(v, old, new_irql);
	if (ke_pending_above(&v->st, new_irql))
		ke_vcpu_deliver(v);
	ke_preempt_point(KE_PP_IRQL_CHANGE);
}

void ke_irql_deliver_pending(void)
{
	ke_vcpu_deliver(ke_self);
}

/**
 * ke_vcpu_highest_pending() - Highest pending vector whose level is above @above.
 * Context: the owning vCPU (or its signal handler).
 * Return: the vector, or -1.
 */
int ke_vcpu_highest_pending(struct ke_vcpu *v, ke_irql_t above)
{
	for (;;) {
		unsigned levels = atomic_load_explicit(&v->st.levels, memory_order_seq_cst);
		unsigned mask = levels & (~0u << (above + 1));
		unsigned level, w;
		uint64_t bits;

		if (!mask)
			return -1;
		level = 31u - (unsigned)__builtin_clz(mask);
		w = level / 4; /* 16 vectors a level, 4 levels a word */
		bits = atomic_load_explicit(&v->st.pending[w], memory_order_seq_cst);
		bits = (bits >> ((level % 4) * 16)) & 0xFFFF;
		if (bits)
			return (int)(level * 16 + 15 -
				     ((unsigned)__builtin_clz((unsigned)bits) - 16));
		/*
		 * Stale summary bit: clear it, then look again. A requester sets
		 * the vector bit before the summary bit, so one that races with
		 * this clear either sets the summary again or is seen by the
		 * rescan.
		 */
		atomic_fetch_and_explicit(&v->st.levels, ~(1u << level), memory_order_seq_cst);
		bits = atomic_load_explicit(&v->st.pending[w], memory_order_seq_cst);
		if ((bits >> ((level % 4) * 16)) & 0xFFFF)
			atomic_fetch_or_explicit(&v->st.levels, 1u << level, memory_order_seq_cst);
	}
}

/**
 * ke_vcpu_deliver() - Run every pending vector the current IRQL unmasks.
 *
 * Context: the owning vCPU, from thread context or from its notification
 * signal handler (possibly nested: a higher-level interrupt may arrive while
 * a lower ISR runs, and the handler then runs this again one level up).
 * Each vector is claimed by clearing its bit; a nested run may have claimed
 * it first, so a failed claim just rescans. While a level runs it is
 * published in pub_irql so requesters at or below it need not notify; the
 * seq_cst restore before the rescan is what makes that safe.
 */
void ke_vcpu_deliver(struct ke_vcpu *v)
{
	for (;;) {
		ke_irql_t cur = ke_vcpu_irql(v);
		ke_irql_t pub = atomic_load_explicit(&v->pub_irql, memory_order_relaxed);
		int vec = ke_vcpu_highest_pending(v, cur);
		ke_irql_t level;
		unsigned in_rt;
		uint64_t bit, old, outer_latency = v->cur_latency_ns;

		if (vec < 0)
			return;
		bit = 1ULL << (vec & 63);
		old =
		    atomic_fetch_and_explicit(&v->st.pending[vec >> 6], ~bit, memory_order_acq_rel);
		if (!(old & bit))
			continue;
		level = ke_vector_irql((unsigned)vec);
		if (level >= KE_DIRQL_MIN) {
			uint64_t req = atomic_load_explicit(&v->req_ns[vec], memory_order_acquire);
			uint64_t now = v->m->engine->clock_ns(v->m);

			/* A requester racing with us may have stamped a newer time. */
			v->cur_latency_ns = now > req ? now - req : 0;
		}
		ke_irql_set_raw(v, level);
		atomic_store_explicit(&v->pub_irql, level, memory_order_relaxed);
		/* ISRs and DPCs are driver code: a higher request while they run
		 * must preempt them (a signal), not wait to be found. */
		in_rt = atomic_load_explicit(&v->in_rt, memory_order_relaxed);
		if (in_rt)
			atomic_store_explicit(&v->in_rt, 0, memory_order_seq_cst);
		v->nesting++;
		if (vec == KE_DPC_VECTOR)
			ke_dpc_drain(v);
		else
			ke_dispatch_vector(v, (unsigned)vec);
		v->nesting--;
		/* Back in the runtime: what is posted from here on is taken by
		 * the rescan below or at the runtime's exit. */
		if (in_rt)
			atomic_store_explicit(&v->in_rt, in_rt, memory_order_seq_cst);
		/* A nested delivery must not leave its latency to the ISR it interrupted. */
		v->cur_latency_ns = outer_latency;
		ke_irql_set_raw(v, cur);
		atomic_store_explicit(&v->pub_irql, pub, memory_order_seq_cst);
	}
}

/**
 * ke_vcpu_request() - Make @vector pending on @v and see that it is noticed.
 *
 * Context: any thread, any IRQL; async-signal-safe (atomics, tgkill, futex).
 * If the bit was already pending, whoever set it took care of notification:
 * a burst costs one notification (posted-interrupt semantics). If @v is
 * delivering at or above the vector's level (pub_irql), its fenced rescan
 * will find the bit. Otherwise at most one notification is kept
 * outstanding: the handler clears @notify before it scans.
 * Return: true if @vector was already pending (this request merged into it).
 */
bool ke_vcpu_request(struct ke_vcpu *v, unsigned vector)
{
	uint64_t bit = 1ULL << (vector & 63);
	uint64_t old;

	/* Stamp the request before it becomes visible, so that the vCPU
	 * taking it reads this time, not a previous request's. A request
	 * coalesced into a pending one keeps the first stamp (mostly: a
	 * racing requester may refresh it, which can only shorten the
	 * measured latency of that one delivery). */
	if (ke_vector_irql(vector) >= KE_DIRQL_MIN &&
	    !(atomic_load_explicit(&v->st.pending[vector >> 6], memory_order_relaxed) & bit))
		atomic_store_explicit(&v->req_ns[vector], v->m->engine->clock_ns(v->m),
				      memory_order_release);
	old = atomic_fetch_or_explicit(&v->st.pending[vector >> 6], bit, memory_order_seq_cst);
	if (old & bit)
		return true;
	atomic_fetch_or_explicit(&v->st.levels, 1u << ke_vector_irql(vector), memory_order_seq_cst);
	if (v == ke_self) {
		/* Requested on ourselves: taken at once if unmasked, as a
		 * self-IPI or a DPC request at low IRQL is on Windows. */
		if (ke_vector_irql(vector) > ke_vcpu_irql(v))
			ke_vcpu_deliver(v);
		return false;
	}
	if (ke_vector_irql(vector) <= atomic_load_explicit(&v->pub_irql, memory_order_seq_cst))
		return false;
	if (atomic_exchange_explicit(&v->notify, 1, memory_order_seq_cst))
		return false;
	/*
	 * In the runtime: it will rescan before it runs driver code again
	 * (ke_vcpu_runtime_exit()), which is as soon as hardware would have
	 * interrupted that code. notify stays set until that rescan clears it.
	 */
	if (v->m->engine->posts_in_runtime &&
	    atomic_load_explicit(&v->in_rt, memory_order_seq_cst)) {
		atomic_fetch_add_explicit(&v->st_posted, 1, memory_order_relaxed);
		return false;
	}
	v->m->engine->notify(v->m, v);
	return false;
}

/**
 * ke_vcpu_runtime_exit() - Leave the runtime for driver code: clear in_rt,
 * then take what requesters posted while it was set.
 * Context: the owning vCPU, thread context or its signal handler.
 */
void ke_vcpu_runtime_exit(struct ke_vcpu *v)
{
	atomic_store_explicit(&v->in_rt, 0, memory_order_seq_cst);
	/* A requester that posted left notify set; clear it before the scan,
	 * as the signal handler does, so later requests notify again. */
	atomic_store_explicit(&v->notify, 0, memory_order_seq_cst);
	if (ke_vcpu_highest_pending(v, ke_vcpu_irql(v)) >= 0)
		ke_vcpu_deliver(v);
}

unsigned ke_runtime_enter(void)
{
	struct ke_vcpu *v = ke_self;
	unsigned prev;

	if (!v || !v->m->engine->posts_in_runtime)
		return 1; /* nothing to undo */
	prev = atomic_load_explicit(&v->in_rt, memory_order_relaxed);
	atomic_store_explicit(&v->in_rt, 1, memory_order_relaxed);
	return prev;
}

void ke_runtime_exit(unsigned prev)
{
	struct ke_vcpu *v = ke_self;

	if (!v || prev)
		return;
	ke_vcpu_runtime_exit(v);
}

bool ke_interrupt_request(struct ke_machine *m, unsigned n, unsigned vector)
{
	if (n >= m->nr_vcpus || vector >= KE_NR_VECTORS || ke_vector_irql(vector) < KE_DIRQL_MIN)
		ke_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1F00, n, vector, 0,
			    "interrupt requested for a vCPU or vector that does not exist "
			    "(an interrupt-controller bug)");
	if (ke_hooks_on()) {
		struct ke_vcpu *v = m->vcpus[n];
		uint64_t bit = 1ULL << (vector & 63);

		ke_hook_interrupt_request(
		    m, vector, n,
		    atomic_load_explicit(&v->st.pending[vector >> 6], memory_order_relaxed) & bit);
	}
	return ke_vcpu_request(m->vcpus[n], vector);
}

uint64_t ke_interrupt_latency_ns(void)
{
	return ke_self ? ke_self->cur_latency_ns : 0;
}
