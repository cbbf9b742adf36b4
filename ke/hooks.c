/* SPDX-License-Identifier: MIT */
/*
 * ke/hooks.c - hook subscribers (the verifier, the tracer, tests), fanned out
 * in order, and the per-vCPU histograms.
 *
 * A machine's subscribers are a small set published whole: readers (hook
 * sites, on any thread, possibly in a signal handler) load the set pointer
 * and walk it; writers (ke_hooks_add/remove, host side, serialised by a
 * mutex) fill the machine's other set, publish it, and wait until no reader
 * can still be walking the old one. Readers announce themselves in a counter
 * of their own vCPU (one uncontended atomic add on a line the vCPU owns), or
 * of the machine on host threads. The ordering is the store-load pairing of
 * ke_interrupt_disconnect(): the reader increments its counter, then loads
 * the set (seq_cst); the writer stores the new set, then loads every counter
 * (seq_cst). A reader that loaded the old set had incremented before the
 * writer looked, so the writer waits for it; a reader that incremented later
 * sees the new set.
 *
 * Two global switches (ke.h): KE_HOOK_EVENTS is on while any machine has a
 * subscriber, and hook sites test it first (ke_hooks_on()), so with none
 * installed they cost one load and a predictable branch; KE_SLOW_HOOKS is on
 * only while some subscriber wants irql_change or lock events, the one case
 * that sends the inline fast paths of IRQL and spin locks out of line.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

static atomic_uint machines_with_hooks, machines_with_fast_hooks;

/* Does some subscriber of @s want the events of the inline fast paths? */
static bool wants_fast_paths(const struct ke_hook_set *s)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->h[i]->irql_change || s->h[i]->lock_acquire || s->h[i]->lock_release)
			return true;
	return false;
}

void ke_hooks_init(struct ke_machine *m)
{
	pthread_mutex_init(&m->hook_mutex, NULL);
	atomic_init(&m->hooks, &m->hook_sets[0]);
}

/* ------------------------------------------------------------- readers */

static inline atomic_uint *reader_count(struct ke_machine *m, struct ke_vcpu *v)
{
	return v && v->m == m ? &v->hook_readers : &m->hook_host_readers;
}

static inline const struct ke_hook_set *read_begin(atomic_uint *readers, struct ke_machine *m)
{
	atomic_fetch_add_explicit(readers, 1, memory_order_seq_cst);
	return atomic_load_explicit(&m->hooks, memory_order_seq_cst);
}

static inline void read_end(atomic_uint *readers)
{
	atomic_fetch_sub_explicit(readers, 1, memory_order_release);
}

/* Offer one event to every subscriber of @m, in order, skipping NULL members. */
#define FAN_OUT(m, v, member, ...)                                          \
	do {                                                                \
		atomic_uint *readers_ = reader_count((m), (v));             \
		const struct ke_hook_set *set_ = read_begin(readers_, (m)); \
                                                                            \
		for (unsigned i_ = 0; i_ < set_->n; i_++) {                 \
			const struct ke_hooks *h_ = set_->h[i_];            \
                                                                            \
			if (h_->member)                                     \
				h_->member(h_->ctx, __VA_ARGS__);           \
		}                                                           \
		read_end(readers_);                                         \
	} while (0)

void ke_hook_isr_enter(struct ke_vcpu *v, struct ke_interrupt *intr)
{
	FAN_OUT(v->m, v, isr_enter, intr);
}

void ke_hook_isr_exit(struct ke_vcpu *v, struct ke_interrupt *intr, bool claimed)
{
	FAN_OUT(v->m, v, isr_exit, intr, claimed);
}

void ke_hook_dpc_enter(struct ke_vcpu *v, struct ke_dpc *dpc)
{
	FAN_OUT(v->m, v, dpc_enter, dpc);
}

void ke_hook_dpc_exit(struct ke_vcpu *v, struct ke_dpc *dpc)
{
	FAN_OUT(v->m, v, dpc_exit, dpc);
}

void ke_hook_irql_change(struct ke_vcpu *v, ke_irql_t old_irql, ke_irql_t new_irql)
{
	FAN_OUT(v->m, v, irql_change, old_irql, new_irql);
}

void ke_hook_lock(struct ke_vcpu *v, struct ke_spinlock *l, bool acquire)
{
	if (acquire)
		FAN_OUT(v->m, v, lock_acquire, l);
	else
		FAN_OUT(v->m, v, lock_release, l);
}

void ke_hook_spin_wait(struct ke_vcpu *v, struct ke_spinlock *l, unsigned owner, bool begin)
{
	if (begin)
		FAN_OUT(v->m, v, spin_wait_begin, l, owner);
	else
		FAN_OUT(v->m, v, spin_wait_end, l);
}

void ke_hook_dpc_queue(struct ke_vcpu *v, struct ke_machine *m, struct ke_dpc *dpc, unsigned vcpu,
		       bool inserted)
{
	FAN_OUT(m, v, dpc_queue, dpc, vcpu, inserted);
}

void ke_hook_interrupt_request(struct ke_machine *m, unsigned vector, unsigned vcpu, bool coalesced)
{
	FAN_OUT(m, ke_self, interrupt_request, vector, vcpu, coalesced);
}

void ke_hook_stall(struct ke_vcpu *v, uint64_t cpu_ns)
{
	FAN_OUT(v->m, v, stall, cpu_ns);
}

void ke_sync_routine_hook(struct ke_interrupt *intr, bool enter)
{
	struct ke_vcpu *v = ke_self;

	if (!v)
		return;
	if (enter)
		FAN_OUT(v->m, v, sync_enter, intr);
	else
		FAN_OUT(v->m, v, sync_exit, intr);
}

/* ------------------------------------------------------------- writers */

/* Wait until no thread is inside a hook call of @m (so the set not published
 * is free). Context: not inside a hook. */
static void grace_period(struct ke_machine *m)
{
	for (unsigned i = 0; i < m->nr_vcpus; i++)
		while (atomic_load_explicit(&m->vcpus[i]->hook_readers, memory_order_seq_cst))
			sched_yield();
	while (atomic_load_explicit(&m->hook_host_readers, memory_order_seq_cst))
		sched_yield();
}

/* Publish @next in place of @cur (hook_mutex held), keep the global switch in
 * step, and wait out readers of @cur. */
static void publish(struct ke_machine *m, const struct ke_hook_set *cur,
		    const struct ke_hook_set *next)
{
	bool fast_cur = wants_fast_paths(cur), fast_next = wants_fast_paths(next);

	/* Switches go on before the set that needs them is visible, and off after
	 * the set that needed them is gone. */
	if (!cur->n && next->n && atomic_fetch_add(&machines_with_hooks, 1) == 0)
		atomic_fetch_or(&ke_slow_flags, KE_HOOK_EVENTS);
	if (!fast_cur && fast_next && atomic_fetch_add(&machines_with_fast_hooks, 1) == 0)
		atomic_fetch_or(&ke_slow_flags, KE_SLOW_HOOKS);
	atomic_store_explicit(&m->hooks, next, memory_order_seq_cst);
	if (fast_cur && !fast_next && atomic_fetch_sub(&machines_with_fast_hooks, 1) == 1)
		atomic_fetch_and(&ke_slow_flags, ~KE_SLOW_HOOKS);
	if (cur->n && !next->n && atomic_fetch_sub(&machines_with_hooks, 1) == 1)
		atomic_fetch_and(&ke_slow_flags, ~KE_HOOK_EVENTS);
	grace_period(m);
}

static struct ke_hook_set *other_set(struct ke_machine *m, const struct ke_hook_set *cur)
{
	return cur == &m->hook_sets[0] ? &m->hook_sets[1] : &m->hook_sets[0];
}

static int find(const struct ke_hook_set *s, const struct ke_hooks *h)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->h[i] == h)
			return (int)i;
	return -1;
}

int ke_hooks_add(struct ke_machine *m, const struct ke_hooks *h)
{
	const struct ke_hook_set *cur;
	struct ke_hook_set *next;
	int rc = 0;

	if (!m || !h)
		return -EINVAL;
	pthread_mutex_lock(&m->hook_mutex);
	cur = atomic_load_explicit(&m->hooks, memory_order_relaxed);
	if (find(cur, h) >= 0) {
		rc = -EEXIST;
	} else if (cur->n == KE_HOOKS_MAX) {
		rc = -ENOSPC;
	} else {
		next = other_set(m, cur);
		*next = *cur;
		next->h[next->n++] = h;
		publish(m, cur, next);
	}
	pthread_mutex_unlock(&m->hook_mutex);
	return rc;
}

int ke_hooks_remove(struct ke_machine *m, const struct ke_hooks *h)
{
	const struct ke_hook_set *cur;
	struct ke_hook_set *next;
	int at, rc = 0;

	if (!m || !h)
		return -EINVAL;
	pthread_mutex_lock(&m->hook_mutex);
	cur = atomic_load_explicit(&m->hooks, memory_order_relaxed);
	at = find(cur, h);
	if (at < 0) {
		rc = -ENOENT;
	} else {
		next = other_set(m, cur);
		next->n = 0;
		for (unsigned i = 0; i < cur->n; i++)
			if ((int)i != at)
				next->h[next->n++] = cur->h[i];
		publish(m, cur, next);
	}
	pthread_mutex_unlock(&m->hook_mutex);
	return rc;
}

unsigned ke_hooks_count(struct ke_machine *m)
{
	return atomic_load_explicit(&m->hooks, memory_order_acquire)->n;
}

/* Drop every subscriber (the machine is being freed). Context: host thread. */
void ke_hooks_fini(struct ke_machine *m)
{
	const struct ke_hook_set *cur;
	struct ke_hook_set *next;

	pthread_mutex_lock(&m->hook_mutex);
	cur = atomic_load_explicit(&m->hooks, memory_order_relaxed);
	if (cur->n) {
		next = other_set(m, cur);
		next->n = 0;
		publish(m, cur, next);
	}
	pthread_mutex_unlock(&m->hook_mutex);
	pthread_mutex_destroy(&m->hook_mutex);
}

/* ------------------------------------------------------------ histograms */

uint64_t ke_hist_bucket_upper(unsigned b)
{
	unsigned log;

	if (b < 8)
		return b;
	if (b >= KE_HIST_BUCKETS - 1)
		return UINT64_MAX;
	log = b / 8 + 2;
	return ((8ull + b % 8 + 1) << (log - 3)) - 1;
}

void ke_hist_add(struct ke_hist *h, uint64_t ns)
{
	h->bucket[ke_hist_bucket(ns)]++;
	h->n++;
	if (ns > h->max)
		h->max = ns;
}

void ke_hist_merge(struct ke_hist *into, const struct ke_hist *from)
{
	for (unsigned b = 0; b < KE_HIST_BUCKETS; b++)
		into->bucket[b] += from->bucket[b];
	into->n += from->n;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t ke_hist_quantile(const struct ke_hist *h, double q)
{
	uint64_t want, seen = 0;

	if (!h->n)
		return 0;
	want = (uint64_t)(q * (double)(h->n - 1)) + 1;
	for (unsigned b = 0; b < KE_HIST_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= want) {
			uint64_t up = ke_hist_bucket_upper(b);

			return up < h->max ? up : h->max;
		}
	}
	return h->max;
}

void ke_vcpu_get_hist(const struct ke_vcpu *v, enum ke_vcpu_hist which, struct ke_hist *out)
{
	const struct ke_hist_live *l;

	memset(out, 0, sizeof(*out));
	if ((unsigned)which >= KE_NR_VCPU_HISTS)
		return;
	l = &v->hist[which];
	for (unsigned b = 0; b < KE_HIST_BUCKETS; b++) {
		out->bucket[b] = atomic_load_explicit(&l->bucket[b], memory_order_relaxed);
		out->n += out->bucket[b];
	}
	out->max = atomic_load_explicit(&l->max, memory_order_relaxed);
}

void ke_machine_time_dpcs(struct ke_machine *m, bool on)
{
	atomic_store_explicit(&m->time_dpcs, on, memory_order_relaxed);
}

void ke_machine_time_routines(struct ke_machine *m, bool on)
{
	atomic_store_explicit(&m->time_dpcs, on, memory_order_relaxed);
	atomic_store_explicit(&m->time_isrs, on, memory_order_relaxed);
}

uint64_t ke_us_hist_read(const struct ke_us_hist *h, uint64_t *out)
{
	uint64_t n = 0;

	for (unsigned b = 0; b < KE_US_BUCKETS; b++) {
		out[b] = atomic_load_explicit(&h->bucket[b], memory_order_relaxed);
		n += out[b];
	}
	return n;
}

uint64_t ke_vcpu_get_us_hist(const struct ke_vcpu *v, enum ke_routine_kind kind, uint64_t *out)
{
	return ke_us_hist_read(&v->us[kind == KE_ROUTINE_DPC], out);
}
