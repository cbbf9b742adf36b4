/* SPDX-License-Identifier: MIT */
/*
 * ke/machine.c - machines, vCPU main loops, work items, host timers, statistics.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"
#include "ke/contain.h"

#include <errno.h>
#include <execinfo.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

atomic_uint ke_slow_flags;
static atomic_uint machines_with_preempt;
/* The one machine of a deterministic engine (sim), or NULL. */
static _Atomic(struct ke_machine *) det_machine;

struct ke_machine *ke_deterministic_machine(void)
{
	return atomic_load_explicit(&det_machine, memory_order_acquire);
}

bool ke_machine_deterministic(const struct ke_machine *m)
{
	return m->engine->deterministic;
}

struct ke_machine *ke_machine_create(const struct ke_machine_config *cfg)
{
	struct ke_machine *m;
	void *warm[1];

	if (!cfg || cfg->nr_vcpus == 0 || cfg->nr_vcpus > KE_MAX_VCPUS) {
		errno = EINVAL;
		return NULL;
	}
	/* backtrace() loads libgcc on first use; do that now, not in a bug check. */
	backtrace(warm, 1);
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nr_vcpus = cfg->nr_vcpus;
	m->engine = cfg->engine ? cfg->engine : &ke_threads_engine;
	ke_hooks_init(m);
	ke_spin_init(&m->vector_lock);
	ke_spin_init(&m->timer_lock);
	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		struct ke_vcpu *v = calloc(1, sizeof(*v));

		if (!v)
			goto err_free_vcpus;
		v->m = m;
		v->number = i;
		ke_spin_init(&v->dpc_lock);
		m->vcpus[i] = v;
	}
	m->no_pin = cfg->no_pin;
	if (m->engine->deterministic) {
		struct ke_machine *none = NULL;

		if (!atomic_compare_exchange_strong(&det_machine, &none, m)) {
			errno = EBUSY; /* one deterministic machine at a time */
			goto err_free_vcpus;
		}
	}
	if (m->engine->wants_preempt_points && atomic_fetch_add(&machines_with_preempt, 1) == 0)
		atomic_fetch_or(&ke_slow_flags, KE_SLOW_PREEMPT);
	if (m->engine->start(m) != 0)
		goto err_drop_preempt;
	return m;

err_drop_preempt:
	if (m->engine->wants_preempt_points && atomic_fetch_sub(&machines_with_preempt, 1) == 1)
		atomic_fetch_and(&ke_slow_flags, ~KE_SLOW_PREEMPT);
	if (m->engine->deterministic)
		atomic_store(&det_machine, NULL);

err_free_vcpus:
	ke_hooks_fini(m);
	for (unsigned i = 0; i < m->nr_vcpus; i++)
		free(m->vcpus[i]);
	free(m);
	return NULL;
}

void ke_machine_free(struct ke_machine *m)
{
	if (!m)
		return;
	ke_hooks_fini(m);
	atomic_store(&m->stopping, true);
	m->engine->stop(m);
	if (m->engine->wants_preempt_points && atomic_fetch_sub(&machines_with_preempt, 1) == 1)
		atomic_fetch_and(&ke_slow_flags, ~KE_SLOW_PREEMPT);
	if (m->engine->deterministic)
		atomic_store(&det_machine, NULL);
	for (unsigned i = 0; i < m->nr_vcpus; i++)
		free(m->vcpus[i]);
	free(m);
}

unsigned ke_machine_vcpu_count(const struct ke_machine *m)
{
	return m->nr_vcpus;
}

struct ke_vcpu *ke_machine_vcpu(struct ke_machine *m, unsigned n)
{
	return n < m->nr_vcpus ? m->vcpus[n] : NULL;
}

unsigned ke_vcpu_number(const struct ke_vcpu *v)
{
	return v->number;
}

struct ke_machine *ke_vcpu_machine(const struct ke_vcpu *v)
{
	return v->m;
}

unsigned ke_vcpu_irql_sample(const struct ke_vcpu *v, unsigned *below_dispatch)
{
	unsigned irql = atomic_load_explicit(&v->st.irql, memory_order_relaxed);

	*below_dispatch = atomic_load_explicit(&v->st.below_dispatch, memory_order_relaxed);
	return irql;
}

uint64_t ke_clock_ns(struct ke_machine *m)
{
	return m->engine->clock_ns(m);
}

void ke_preempt_point_slow(struct ke_machine *m, enum ke_preempt_reason why)
{
	if (m && m->engine->preempt_point)
		m->engine->preempt_point(m, why);
}

void ke_vcpu_get_stats(const struct ke_vcpu *v, struct ke_vcpu_stats *out)
{
	out->interrupts = atomic_load_explicit(&v->st_interrupts, memory_order_relaxed);
	out->isr_calls = atomic_load_explicit(&v->st_isr_calls, memory_order_relaxed);
	out->isr_claimed = atomic_load_explicit(&v->st_isr_claimed, memory_order_relaxed);
	out->dpcs = atomic_load_explicit(&v->st_dpcs, memory_order_relaxed);
	out->signals = atomic_load_explicit(&v->st_signals, memory_order_relaxed);
	out->wakeups = atomic_load_explicit(&v->st_wakeups, memory_order_relaxed);
	out->spurious = atomic_load_explicit(&v->st_spurious, memory_order_relaxed);
	out->signals_sent = atomic_load_explicit(&v->st_signals_sent, memory_order_relaxed);
	out->posted = atomic_load_explicit(&v->st_posted, memory_order_relaxed);
}

/* ------------------------------------------------------------ work items */

void ke_vcpu_post(struct ke_vcpu *v, struct ke_work *w)
{
	struct ke_work *head = atomic_load_explicit(&v->work_in, memory_order_relaxed);

	atomic_store_explicit(&w->done, 0, memory_order_relaxed);
	do {
		w->next = head;
	} while (!atomic_compare_exchange_weak_explicit(&v->work_in, &head, w, memory_order_seq_cst,
							memory_order_relaxed));
	/* seq_cst push, then read state: pairs with the idle loop's state store. */
	if (atomic_load_explicit(&v->state, memory_order_seq_cst) == KE_VCPU_IDLE)
		v->m->engine->wake(v->m, v);
}

/* Move posted work (LIFO) to the vCPU's FIFO. Context: owning vCPU. */
static void work_collect(struct ke_vcpu *v)
{
	struct ke_work *lifo = atomic_exchange_explicit(&v->work_in, NULL, memory_order_acquire);
	struct ke_work *fifo = NULL;

	while (lifo) {
		struct ke_work *next = lifo->next;

		lifo->next = fifo;
		fifo = lifo;
		lifo = next;
	}
	if (!fifo)
		return;
	if (v->work_tail)
		v->work_tail->next = fifo;
	else
		v->work_head = fifo;
	while (fifo->next)
		fifo = fifo->next;
	v->work_tail = fifo;
}

static void work_run_one(struct ke_vcpu *v)
{
	struct ke_work *w = v->work_head;
	ke_irql_t after;

	v->work_head = w->next;
	if (!v->work_head)
		v->work_tail = NULL;
	atomic_store(&v->busy, true);
	w->fn(w->arg);
	after = ke_irql_current();
	if (after != KE_PASSIVE_LEVEL)
		ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, after, KE_PASSIVE_LEVEL,
			    (uintptr_t)w->fn, 0,
			    "a PASSIVE_LEVEL routine returned with the IRQL still raised");
	atomic_store(&v->busy, false);
	/* w may be freed by its waiter as soon as done is set. */
	atomic_store_explicit(&w->done, 1, memory_order_release);
	ke_futex_wake_all(&w->done);
}

bool ke_vcpu_has_work(struct ke_vcpu *v)
{
	return v->work_head || atomic_load_explicit(&v->work_in, memory_order_seq_cst);
}

/**
 * ke_vcpu_loop() - A vCPU's life: run work at PASSIVE_LEVEL, deliver what is
 * pending, and sleep when there is nothing to do.
 * Context: the vCPU's own thread (threads engine) or coroutine (sim).
 */
void ke_vcpu_loop(struct ke_vcpu *v)
{
	/*
	 * With an engine that posts in the runtime, the loop is runtime
	 * (in_rt): it leaves it, and so rescans, before each work item (driver
	 * code) and before it goes idle, where requesters must see in_rt
	 * clear and wake it.
	 */
	bool post = v->m->engine->posts_in_runtime;

	if (post)
		atomic_store_explicit(&v->in_rt, 1, memory_order_relaxed);
	for (;;) {
		unsigned seq;

		work_collect(v);
		if (v->work_head) {
			if (post)
				ke_vcpu_runtime_exit(v);
			work_run_one(v);
			if (post)
				atomic_store_explicit(&v->in_rt, 1, memory_order_relaxed);
			continue;
		}
		if (atomic_load(&v->m->stopping))
			return;
		if (post)
			atomic_store_explicit(&v->in_rt, 0, memory_order_seq_cst);
		atomic_store_explicit(&v->state, KE_VCPU_IDLE, memory_order_seq_cst);
		seq = atomic_load_explicit(&v->wake_seq, memory_order_seq_cst);
		/*
		 * Clear notify only now, after reading wake_seq. A requester
		 * that set it earlier (while we were delivering, or between
		 * the two stores above) may have spent its wake on a wake_seq
		 * we have already read; leaving notify set would make every
		 * later requester skip notifying, and we would sleep with a
		 * vector pending. From here on a requester either sees its
		 * bit found by the scan below or, finding notify clear and
		 * us IDLE, moves wake_seq past @seq so that idle() returns.
		 */
		atomic_store_explicit(&v->notify, 0, memory_order_seq_cst);
		if (ke_vcpu_highest_pending(v, KE_PASSIVE_LEVEL) < 0 && !ke_vcpu_has_work(v) &&
		    !atomic_load(&v->m->stopping))
			v->m->engine->idle(v->m, v, seq);
		atomic_store_explicit(&v->state, KE_VCPU_RUNNING, memory_order_seq_cst);
		atomic_store_explicit(&v->notify, 0, memory_order_seq_cst);
		if (ke_vcpu_highest_pending(v, KE_PASSIVE_LEVEL) >= 0)
			ke_vcpu_deliver(v);
		if (post)
			atomic_store_explicit(&v->in_rt, 1, memory_order_relaxed);
	}
}

void ke_work_wait(struct ke_work *w)
{
	while (!atomic_load_explicit(&w->done, memory_order_acquire)) {
		struct ke_machine *dm = ke_deterministic_machine();

		/* A deterministic engine runs the vCPUs on this very thread. */
		if (dm && !ke_self)
			dm->engine->host_yield(dm);
		else
			ke_futex_wait(&w->done, 0, 0);
	}
}

int ke_vcpu_call(struct ke_vcpu *v, ke_work_fn *fn, void *arg)
{
	struct ke_work w;

	if (ke_self)
		return -EINVAL;
	ke_work_init(&w, fn, arg);
	ke_vcpu_post(v, &w);
	ke_phase_wait(v->m, v, &w); /* ke/watchdog.c: bounded under a phase */
	return 0;
}

/* ------------------------------------------------------------- quiescence */

static bool vcpu_quiet(struct ke_vcpu *v)
{
	return atomic_load(&v->state) == KE_VCPU_IDLE && !atomic_load(&v->busy) &&
	       !ke_vcpu_has_work(v) && atomic_load(&v->dpc_depth) == 0 &&
	       ke_vcpu_highest_pending(v, KE_PASSIVE_LEVEL) < 0;
}

int ke_machine_quiesce(struct ke_machine *m, unsigned timeout_ms)
{
	uint64_t deadline = ke_clock_ns(m) + (uint64_t)(timeout_ms ? timeout_ms : 60000) * 1000000;

	for (;;) {
		unsigned quiet = 0;

		for (unsigned i = 0; i < m->nr_vcpus; i++)
			quiet += vcpu_quiet(m->vcpus[i]);
		if (quiet == m->nr_vcpus)
			return 0;
		if (ke_clock_ns(m) > deadline)
			break;
		if (m->engine->host_yield)
			m->engine->host_yield(m);
		else
			nanosleep(&(struct timespec){.tv_nsec = 200000}, NULL);
	}
	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		struct ke_vcpu *v = m->vcpus[i];

		fprintf(stderr, "ke: vCPU %u not quiet: state=%u busy=%d irql=%u dpcs=%u work=%d\n",
			i, atomic_load(&v->state), atomic_load(&v->busy), ke_vcpu_irql(v),
			atomic_load(&v->dpc_depth), ke_vcpu_has_work(v));
	}
	return -ETIMEDOUT;
}

/* ------------------------------------------------------------ host timers */

void ke_host_timer_init(struct ke_host_timer *t, ke_host_timer_fn *fn, void *ctx)
{
	t->fn = fn;
	t->ctx = ctx;
	t->deadline = 0;
	t->armed = false;
	t->next = NULL;
}

static void timer_unlink_locked(struct ke_machine *m, struct ke_host_timer *t)
{
	for (struct ke_host_timer **pp = &m->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = false;
	t->next = NULL;
}

void ke_host_timer_arm(struct ke_machine *m, struct ke_host_timer *t, uint64_t deadline_ns)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);
	struct ke_host_timer **pp;

	ke_spin_acquire_raw(&m->timer_lock);
	if (t->armed)
		timer_unlink_locked(m, t);
	t->deadline = deadline_ns;
	for (pp = &m->timers; *pp && (*pp)->deadline <= deadline_ns; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = true;
	ke_spin_release_raw(&m->timer_lock);
	ke_irql_lower(old);
	m->engine->timer_kick(m);
}

bool ke_host_timer_cancel(struct ke_machine *m, struct ke_host_timer *t)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);
	bool was_armed;

	ke_spin_acquire_raw(&m->timer_lock);
	was_armed = t->armed;
	if (was_armed)
		timer_unlink_locked(m, t);
	ke_spin_release_raw(&m->timer_lock);
	ke_irql_lower(old);
	while (atomic_load_explicit(&m->timer_running, memory_order_acquire) == t)
		sched_yield();
	return was_armed;
}

uint64_t ke_timers_next_deadline(struct ke_machine *m)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);
	uint64_t d;

	ke_spin_acquire_raw(&m->timer_lock);
	d = m->timers ? m->timers->deadline : UINT64_MAX;
	ke_spin_release_raw(&m->timer_lock);
	ke_irql_lower(old);
	return d;
}

/**
 * ke_timers_run() - Fire every timer whose deadline has passed.
 * Context: the machine's timer thread. A callback may re-arm its own timer.
 */
void ke_timers_run(struct ke_machine *m)
{
	for (;;) {
		uint64_t now = ke_clock_ns(m);
		struct ke_host_timer *t = NULL;
		ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

		ke_spin_acquire_raw(&m->timer_lock);
		if (m->timers && m->timers->deadline <= now) {
			t = m->timers;
			timer_unlink_locked(m, t);
			atomic_store_explicit(&m->timer_running, t, memory_order_release);
		}
		ke_spin_release_raw(&m->timer_lock);
		ke_irql_lower(old);
		if (!t)
			return;
		t->fn(t, t->ctx);
		atomic_store_explicit(&m->timer_running, NULL, memory_order_release);
	}
}
