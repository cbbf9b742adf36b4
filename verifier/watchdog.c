/* SPDX-License-Identifier: MIT */
/*
 * verifier/watchdog.c - the DPC watchdog, the spin watchdog and the
 * deadlock detector (verifier/watchdog.h, docs/verifier.md "Watchdogs").
 *
 * Each vCPU keeps a small stack of what it runs now - an ISR, a DPC, a
 * contended spin - each with the engine-clock time it began; interrupts nest
 * on the stack of the code they interrupt. Only the vCPU writes its stack
 * (its hooks, and its signal handlers nested LIFO); the machine's timer
 * thread reads it. A push reserves its slot before it fills it, so a nested
 * handler never overwrites it, and an entry is live once its start time is
 * non-zero; a reader may see an entry just popped, whose age is then short.
 *
 * Lock key: (v) written by the owning vCPU only, read by the timer thread
 *           (atomic)  (T) the timer callback only  (c) constant while watched
 */
#include "verifier/watchdog.h"

#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "verifier/violation.h"

#define WD_DEPTH 16 /* nesting tracked per vCPU (deeper entries are counted, not timed) */

enum wd_kind {
	WD_ISR = 1,
	WD_DPC = 2,
	WD_SPIN = 3,
};

struct wd_entry {
	_Atomic uint64_t start; /* (v) engine clock; 0: being filled in */
	atomic_uint kind;	/* (v) enum wd_kind */
	_Atomic uintptr_t obj;	/* (v) the ke_interrupt, ke_dpc or ke_spinlock */
	atomic_uint owner;	/* (v) WD_SPIN: the holder's lock identity */
};

struct wd_hold {
	const struct ke_spinlock *l;
	uint64_t since;
};

struct wd_vcpu {
	atomic_uint depth; /* (v) entries pushed (may exceed WD_DEPTH) */
	struct wd_entry e[WD_DEPTH];
	uint64_t raised_seen;  /* (T) first check that saw it at >= DISPATCH_LEVEL; 0: below */
	unsigned raised_epoch; /* (T) its below-DISPATCH count then (ke_vcpu_irql_sample) */
	unsigned nheld;	       /* (v) vCPU-private */
	struct wd_hold held[WD_DEPTH];
};

static struct {
	struct ke_machine *m; /* (c) */
	struct vfy_watchdog_config c;
	unsigned nr;	    /* (c) vCPUs */
	struct wd_vcpu *v;  /* (c) one per vCPU */
	uint64_t period_ns; /* (c) */
	struct ke_host_timer timer;
	struct ke_hooks hooks;
	atomic_int fired;
} wd;

/* The guidance counts (vfy_watchdog_counts). */
static _Atomic uint64_t n_isr, n_dpc, n_hold, over_isr, over_dpc, over_hold;
static _Atomic uint64_t max_isr, max_dpc, max_hold;

static inline uint64_t now_ns(void)
{
	return ke_clock_ns(wd.m);
}

static inline struct wd_vcpu *self(void)
{
	struct ke_vcpu *v = ke_current();

	if (!v || !wd.v)
		return NULL;
	return &wd.v[ke_vcpu_number(v)];
}

static void push(enum wd_kind kind, const void *obj, unsigned owner)
{
	struct wd_vcpu *s = self();
	unsigned d;

	if (!s)
		return;
	d = atomic_load_explicit(&s->depth, memory_order_relaxed);
	if (d < WD_DEPTH)
		atomic_store_explicit(&s->e[d].start, 0, memory_order_relaxed);
	atomic_store_explicit(&s->depth, d + 1, memory_order_relaxed);
	atomic_signal_fence(memory_order_seq_cst);
	if (d >= WD_DEPTH)
		return;
	atomic_store_explicit(&s->e[d].kind, kind, memory_order_relaxed);
	atomic_store_explicit(&s->e[d].obj, (uintptr_t)obj, memory_order_relaxed);
	atomic_store_explicit(&s->e[d].owner, owner, memory_order_relaxed);
	atomic_store_explicit(&s->e[d].start, now_ns() | 1, memory_order_release);
}

/* Pop the innermost entry. Return: how long it ran (0 if it was not timed). */
static uint64_t pop(void)
{
	struct wd_vcpu *s = self();
	unsigned d;
	uint64_t start = 0, now;

	if (!s)
		return 0;
	d = atomic_load_explicit(&s->depth, memory_order_relaxed);
	if (!d)
		return 0;
	if (d <= WD_DEPTH) {
		start = atomic_load_explicit(&s->e[d - 1].start, memory_order_relaxed);
		atomic_store_explicit(&s->e[d - 1].start, 0, memory_order_relaxed);
	}
	atomic_signal_fence(memory_order_seq_cst);
	atomic_store_explicit(&s->depth, d - 1, memory_order_release);
	now = now_ns();
	return start && now > start ? now - start : 0;
}

static void count(_Atomic uint64_t *n, _Atomic uint64_t *over, _Atomic uint64_t *max, uint64_t ns,
		  uint64_t limit)
{
	uint64_t m = atomic_load_explicit(max, memory_order_relaxed);

	atomic_fetch_add_explicit(n, 1, memory_order_relaxed);
	if (limit && ns > limit)
		atomic_fetch_add_explicit(over, 1, memory_order_relaxed);
	while (ns > m && !atomic_compare_exchange_weak_explicit(max, &m, ns, memory_order_relaxed,
								memory_order_relaxed))
		;
}

/* ------------------------------------------------------------------ hooks */

static void h_isr_enter(void *ctx, struct ke_interrupt *intr)
{
	(void)ctx;
	push(WD_ISR, intr, 0);
}

static void h_isr_exit(void *ctx, struct ke_interrupt *intr, bool claimed)
{
	(void)ctx, (void)intr, (void)claimed;
	count(&n_isr, &over_isr, &max_isr, pop(), wd.c.isr_warn_ns);
}

static void h_dpc_enter(void *ctx, struct ke_dpc *dpc)
{
	(void)ctx;
	push(WD_DPC, dpc, 0);
}

static void h_dpc_exit(void *ctx, struct ke_dpc *dpc)
{
	(void)ctx, (void)dpc;
	count(&n_dpc, &over_dpc, &max_dpc, pop(), wd.c.dpc_warn_ns);
}

static void h_spin_begin(void *ctx, struct ke_spinlock *l, unsigned owner)
{
	(void)ctx;
	push(WD_SPIN, l, owner);
}

static void h_spin_end(void *ctx, struct ke_spinlock *l)
{
	(void)ctx, (void)l;
	(void)pop();
}

static void h_lock_acquire(void *ctx, struct ke_spinlock *l)
{
	struct wd_vcpu *s = self();
	unsigned n;

	(void)ctx;
	if (!s)
		return;
	n = s->nheld;
	s->nheld = n + 1;
	atomic_signal_fence(memory_order_seq_cst);
	if (n < WD_DEPTH) {
		s->held[n].l = l;
		s->held[n].since = now_ns();
	}
}

static void h_lock_release(void *ctx, struct ke_spinlock *l)
{
	struct wd_vcpu *s = self();
	unsigned n;

	(void)ctx;
	if (!s)
		return;
	n = s->nheld < WD_DEPTH ? s->nheld : WD_DEPTH;
	for (unsigned i = n; i-- > 0;) {
		if (s->held[i].l != l)
			continue;
		count(&n_hold, &over_hold, &max_hold, now_ns() - s->held[i].since,
		      wd.c.hold_warn_ns);
		s->held[i].l = NULL;
		break;
	}
	/* Locks are mostly released last-in first-out: pop the released tail. */
	while (s->nheld && (s->nheld > WD_DEPTH || !s->held[s->nheld - 1].l)) {
		s->nheld--;
		if (s->nheld < WD_DEPTH)
			break;
	}
}

/* ----------------------------------------------------------------- firing */

/* What the stuck vCPU bug-checks with (set before it is interrupted). */
static struct {
	enum ndisrt_violation v;
	uintptr_t p2, p3, p4;
	char what[384];
} verdict;

static char holder_title[KE_MAX_VCPUS][160];
static atomic_int holder_done[KE_MAX_VCPUS];

static void say(const char *s)
{
	(void)!write(2, s, strlen(s));
}

static void bugcheck_nmi(void *ctx)
{
	(void)ctx;
	ndisrt_violation(verdict.v, verdict.p2, verdict.p3, verdict.p4, verdict.what);
}

static void chain_nmi(void *ctx)
{
	unsigned n = (unsigned)(uintptr_t)ctx;
	void *frames[KE_BUGCHECK_MAX_FRAMES];
	int k = backtrace(frames, KE_BUGCHECK_MAX_FRAMES);

	ke_print_chain(2, holder_title[n], frames, k);
	atomic_store(&holder_done[n], 1);
}

static void pause_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)ms * 1000000L};

	nanosleep(&ts, NULL);
}

/* Have vCPU @n print its call chain under @title; wait a second at most. */
static void print_holder_chain(unsigned n)
{
	atomic_store(&holder_done[n], 0);
	if (ke_vcpu_nmi(ke_machine_vcpu(wd.m, n), chain_nmi, (void *)(uintptr_t)n)) {
		say(holder_title[n]);
		say(" (not available: this engine cannot interrupt a vCPU)\n");
		return;
	}
	for (int i = 0; i < 1000 && !atomic_load(&holder_done[n]); i++)
		pause_ms(1);
	if (!atomic_load(&holder_done[n])) {
		say(holder_title[n]);
		say(" (the vCPU did not answer within a second)\n");
	}
}

/* Stop the machine on vCPU @n with the verdict; from this thread if it cannot. */
static _Noreturn void stop_on(unsigned n)
{
	struct ke_vcpu *self = ke_current();

	/* Already on it (the deterministic engine's stall handler). */
	if (self && ke_vcpu_number(self) == n)
		ndisrt_violation(verdict.v, verdict.p2, verdict.p3, verdict.p4, verdict.what);
	if (!ke_vcpu_nmi(ke_machine_vcpu(wd.m, n), bugcheck_nmi, NULL))
		for (int i = 0; i < 2000; i++)
			pause_ms(1);
	ndisrt_violation(verdict.v, verdict.p2, verdict.p3, verdict.p4, verdict.what);
}

/* The innermost entry of vCPU @n's stack that is live, or -1. */
static int innermost(unsigned n, struct wd_entry *out)
{
	struct wd_vcpu *s = &wd.v[n];
	unsigned d = atomic_load_explicit(&s->depth, memory_order_acquire);

	for (unsigned i = d < WD_DEPTH ? d : WD_DEPTH; i-- > 0;) {
		uint64_t start = atomic_load_explicit(&s->e[i].start, memory_order_acquire);

		if (!start)
			continue;
		atomic_store_explicit(&out->start, start, memory_order_relaxed);
		atomic_store_explicit(&out->kind, atomic_load(&s->e[i].kind), memory_order_relaxed);
		atomic_store_explicit(&out->obj, atomic_load(&s->e[i].obj), memory_order_relaxed);
		atomic_store_explicit(&out->owner, atomic_load(&s->e[i].owner),
				      memory_order_relaxed);
		return (int)i;
	}
	return -1;
}

static const char *kind_name(unsigned kind)
{
	return kind == WD_ISR ? "an ISR" : kind == WD_DPC ? "a DPC routine" : "a spin-lock spin";
}

/*
 * vCPU @n spins on @lock held by lock identity @owner: follow who each
 * holder spins on. Return: the vCPUs of a cycle back to @n in @cyc (their
 * count), or 0 when the chain ends at a vCPU that is not spinning.
 */
static unsigned find_cycle(unsigned n, unsigned owner, unsigned *cyc)
{
	unsigned len = 0, cur = n, who = owner;

	cyc[len++] = n;
	while (who >= 1 && who <= wd.nr && len <= wd.nr) {
		struct wd_entry e;
		unsigned h = who - 1;

		if (h == n)
			return len;
		for (unsigned i = 0; i < len; i++)
			if (cyc[i] == h)
				return 0; /* a cycle that does not include @n: its own report */
		if (innermost(h, &e) < 0 || atomic_load(&e.kind) != WD_SPIN)
			return 0;
		cyc[len++] = h;
		cur = h;
		who = atomic_load(&e.owner);
	}
	(void)cur;
	return 0;
}

static _Noreturn void fire_spin(unsigned n, const struct wd_entry *e, uint64_t age)
{
	unsigned owner = atomic_load(&e->owner), cyc[KE_MAX_VCPUS];
	uintptr_t lock = atomic_load(&e->obj);
	unsigned len = find_cycle(n, owner, cyc);
	char line[256];

	if (len) {
		say("\nndisrt watchdog: deadlock: ");
		for (unsigned i = 0; i < len; i++) {
			struct wd_entry x;

			if (innermost(cyc[i], &x) < 0)
				continue;
			snprintf(
			    line, sizeof(line),
			    "%svCPU %u spins on lock %#lx held by vCPU %u (for %llu ms)",
			    i ? "; " : "", cyc[i], (unsigned long)atomic_load(&x.obj),
			    atomic_load(&x.owner) - 1,
			    (unsigned long long)((now_ns() - atomic_load(&x.start)) / 1000000));
			say(line);
		}
		say(". No vCPU in the cycle can go on.\n");
		for (unsigned i = 1; i < len; i++) {
			snprintf(holder_title[cyc[i]], sizeof(holder_title[0]),
				 "vCPU %u (holds a lock vCPU %u spins on) is here:", cyc[i],
				 cyc[i - 1]);
			print_holder_chain(cyc[i]);
		}
		verdict.v = NDISRT_VIOLATION_DEADLOCK;
		verdict.p2 = lock;
		verdict.p3 = owner - 1;
		verdict.p4 = len;
		snprintf(verdict.what, sizeof(verdict.what),
			 "deadlock: %u vCPUs spin on spin locks each other holds (parameter 2 = "
			 "the lock this vCPU spins on, 3 = its holder's vCPU, 4 = vCPUs in the "
			 "cycle); take the locks in one order on every path",
			 len);
		stop_on(n);
	}
	snprintf(line, sizeof(line),
		 "\nndisrt watchdog: vCPU %u has spun on spin lock %#lx for %llu ms (allotment "
		 "%llu ms, --watchdog spin=MS)",
		 n, (unsigned long)lock, (unsigned long long)(age / 1000000),
		 (unsigned long long)(wd.c.spin_ns / 1000000));
	say(line);
	if (owner >= 1 && owner <= wd.nr) {
		snprintf(line, sizeof(line), "; vCPU %u holds it\n", owner - 1);
		say(line);
		snprintf(holder_title[owner - 1], sizeof(holder_title[0]),
			 "The lock holder, vCPU %u, is here:", owner - 1);
		print_holder_chain(owner - 1);
	} else {
		say("; a host thread holds it\n");
	}
	verdict.v = NDISRT_VIOLATION_WATCHDOG_SINGLE;
	verdict.p2 = age / 1000000;
	verdict.p3 = wd.c.spin_ns / 1000000;
	verdict.p4 = lock;
	snprintf(verdict.what, sizeof(verdict.what),
		 "DPC watchdog: this vCPU spun on a spin lock for %llu ms, over its allotment "
		 "(parameter 2 = ms spent, 3 = the allotment in ms, 4 = the lock); the holder "
		 "keeps it too long or never releases it",
		 (unsigned long long)(age / 1000000));
	stop_on(n);
}

static _Noreturn void fire(unsigned n, const struct wd_entry *e, uint64_t age, uint64_t allot)
{
	unsigned kind = atomic_load(&e->kind);
	char line[256];

	if (kind == WD_SPIN)
		fire_spin(n, e, age);
	snprintf(line, sizeof(line),
		 "\nndisrt watchdog: vCPU %u has run %s for %llu ms (allotment %llu ms, "
		 "--watchdog %s=MS)\n",
		 n, kind_name(kind), (unsigned long long)(age / 1000000),
		 (unsigned long long)(allot / 1000000), kind == WD_ISR ? "isr" : "dpc");
	say(line);
	verdict.v = NDISRT_VIOLATION_WATCHDOG_SINGLE;
	verdict.p2 = age / 1000000;
	verdict.p3 = allot / 1000000;
	verdict.p4 = atomic_load(&e->obj);
	snprintf(verdict.what, sizeof(verdict.what),
		 "DPC watchdog: %s ran for %llu ms, over its allotment (parameter 2 = ms spent, "
		 "3 = the allotment in ms, 4 = the %s); return promptly: an ISR within 25 us, a "
		 "DPC within 100 us, and never loop waiting on another processor",
		 kind_name(kind), (unsigned long long)(age / 1000000),
		 kind == WD_ISR ? "interrupt object" : "DPC object");
	stop_on(n);
}

static _Noreturn void fire_cumulative(unsigned n, uint64_t age)
{
	char line[200];

	snprintf(line, sizeof(line),
		 "\nndisrt watchdog: vCPU %u has stayed at DISPATCH_LEVEL or above for %llu ms "
		 "(allotment %llu ms, --watchdog dispatch=MS)\n",
		 n, (unsigned long long)(age / 1000000),
		 (unsigned long long)(wd.c.dispatch_ns / 1000000));
	say(line);
	verdict.v = NDISRT_VIOLATION_WATCHDOG_CUMULATIVE;
	verdict.p2 = age / 1000000;
	verdict.p3 = wd.c.dispatch_ns / 1000000;
	verdict.p4 = 0;
	snprintf(verdict.what, sizeof(verdict.what),
		 "DPC watchdog: this vCPU stayed at DISPATCH_LEVEL or above for %llu ms "
		 "(parameter 2 = ms, 3 = the allotment in ms); lower the IRQL, release the lock, "
		 "or do the long work at PASSIVE_LEVEL",
		 (unsigned long long)(age / 1000000));
	stop_on(n);
}

static uint64_t allotment(unsigned kind)
{
	switch (kind) {
	case WD_ISR:
		return wd.c.isr_ns;
	case WD_DPC:
		return wd.c.dpc_ns;
	case WD_SPIN:
		return wd.c.spin_ns;
	default:
		return 0;
	}
}

/*
 * Look at vCPU @n: its first entry over its allotment fires. @stalled: called
 * from the deterministic engine's stall handler on top of @n.
 */
static void check_vcpu(unsigned n, uint64_t now, bool stalled)
{
	struct wd_vcpu *s = &wd.v[n];
	unsigned d = atomic_load_explicit(&s->depth, memory_order_acquire);

	for (unsigned i = d < WD_DEPTH ? d : WD_DEPTH; i-- > 0;) {
		uint64_t start = atomic_load_explicit(&s->e[i].start, memory_order_acquire);
		unsigned kind = atomic_load_explicit(&s->e[i].kind, memory_order_relaxed);
		uint64_t allot = allotment(kind);
		struct wd_entry copy;

		if (!start || !allot || now <= start || now - start <= allot)
			continue;
		/* Still the same entry (not one that ended as we looked)? */
		if (innermost(n, &copy) < 0 || atomic_load(&s->e[i].start) != start)
			continue;
		if (atomic_exchange(&wd.fired, 1))
			return;
		copy.start = start;
		atomic_store(&copy.kind, kind);
		atomic_store(&copy.obj, atomic_load(&s->e[i].obj));
		atomic_store(&copy.owner, atomic_load(&s->e[i].owner));
		fire(n, &copy, now - start, allot);
	}
	/*
	 * The deterministic engine's virtual clock moves at the schedule's pace
	 * - it jumps to the next device timer while the vCPUs wait, with a DPC
	 * batch still on a vCPU - so time at DISPATCH_LEVEL is only meaningful
	 * there across stalls, where it is CPU time the stuck code burned.
	 */
	if (wd.c.dispatch_ns && (stalled || !ke_machine_deterministic(wd.m))) {
		unsigned epoch, irql = ke_vcpu_irql_sample(ke_machine_vcpu(wd.m, n), &epoch);

		/* Sampled, not hooked: the IRQL fast paths stay inline. The time
		 * counts from the first look that saw the vCPU raised without a
		 * break below DISPATCH_LEVEL since. */
		if (irql < KE_DISPATCH_LEVEL) {
			s->raised_seen = 0;
		} else if (!s->raised_seen || epoch != s->raised_epoch) {
			s->raised_seen = now;
			s->raised_epoch = epoch;
		} else if (now - s->raised_seen > wd.c.dispatch_ns) {
			if (atomic_exchange(&wd.fired, 1))
				return;
			fire_cumulative(n, now - s->raised_seen);
		}
	}
}

/* The machine's timer: look at every vCPU. */
static void check(struct ke_host_timer *t, void *ctx)
{
	uint64_t now = now_ns();

	(void)ctx;
	for (unsigned n = 0; n < wd.nr; n++) {
		check_vcpu(n, now, false);
		if (atomic_load(&wd.fired))
			return;
	}
	ke_host_timer_arm(wd.m, t, now_ns() + wd.period_ns);
}

/*
 * The deterministic engine found this vCPU running without a preemption
 * point and charged the time to the virtual clock (ke_hooks.stall): its
 * timer cannot run, so look at this vCPU here, on top of the stuck code (on
 * that engine the timer and this handler share one thread, so the (T) fields
 * are still the timer's alone).
 */
static void h_stall(void *ctx, uint64_t cpu_ns)
{
	struct ke_vcpu *v = ke_current();

	(void)ctx, (void)cpu_ns;
	if (v && wd.v)
		check_vcpu(ke_vcpu_number(v), now_ns(), true);
}

/* ------------------------------------------------------------------- API */

void vfy_watchdog_defaults(struct vfy_watchdog_config *c)
{
	c->isr_ns = VFY_WD_ISR_MS * 1000000ull;
	c->dpc_ns = VFY_WD_DPC_MS * 1000000ull;
	c->spin_ns = VFY_WD_SPIN_MS * 1000000ull;
	c->dispatch_ns = VFY_WD_DISPATCH_MS * 1000000ull;
	c->isr_warn_ns = VFY_WD_ISR_WARN_NS;
	c->dpc_warn_ns = VFY_WD_DPC_WARN_NS;
	c->hold_warn_ns = 0; /* opt-in: see struct vfy_watchdog_config */
}

int vfy_watchdog_start(struct ke_machine *m, const struct vfy_watchdog_config *c)
{
	uint64_t least = UINT64_MAX;
	int rc;

	if (wd.m)
		return -EBUSY;
	wd.nr = ke_machine_vcpu_count(m);
	wd.v = calloc(wd.nr, sizeof(*wd.v));
	if (!wd.v)
		return -ENOMEM;
	wd.m = m;
	wd.c = *c;
	atomic_store(&wd.fired, 0);
	for (unsigned i = 0; i < 4; i++) {
		uint64_t a = i == 0   ? c->isr_ns
			     : i == 1 ? c->dpc_ns
			     : i == 2 ? c->spin_ns
				      : c->dispatch_ns;

		if (a && a < least)
			least = a;
	}
	/* Look 8 times per shortest allotment, between every 1 ms and every 100 ms. */
	wd.period_ns = least == UINT64_MAX ? 100000000u : least / 8;
	if (wd.period_ns < 1000000u)
		wd.period_ns = 1000000u;
	if (wd.period_ns > 100000000u)
		wd.period_ns = 100000000u;
	memset(&wd.hooks, 0, sizeof(wd.hooks));
	wd.hooks.isr_enter = h_isr_enter;
	wd.hooks.isr_exit = h_isr_exit;
	wd.hooks.dpc_enter = h_dpc_enter;
	wd.hooks.dpc_exit = h_dpc_exit;
	wd.hooks.spin_wait_begin = h_spin_begin;
	wd.hooks.spin_wait_end = h_spin_end;
	wd.hooks.stall = h_stall;
	if (c->hold_warn_ns) {
		wd.hooks.lock_acquire = h_lock_acquire;
		wd.hooks.lock_release = h_lock_release;
	}
	rc = ke_hooks_add(m, &wd.hooks);
	if (rc) {
		free(wd.v);
		wd.v = NULL;
		wd.m = NULL;
		return rc;
	}
	if (least != UINT64_MAX) {
		ke_host_timer_init(&wd.timer, check, NULL);
		ke_host_timer_arm(m, &wd.timer, ke_clock_ns(m) + wd.period_ns);
	}
	return 0;
}

void vfy_watchdog_stop(struct ke_machine *m)
{
	if (!wd.m || wd.m != m)
		return;
	ke_host_timer_cancel(m, &wd.timer);
	ke_hooks_remove(m, &wd.hooks);
	free(wd.v);
	wd.v = NULL;
	wd.m = NULL;
}

void vfy_watchdog_counts(struct vfy_watchdog_counts *out)
{
	out->isrs = atomic_load(&n_isr);
	out->dpcs = atomic_load(&n_dpc);
	out->holds = atomic_load(&n_hold);
	out->isr_over = atomic_load(&over_isr);
	out->dpc_over = atomic_load(&over_dpc);
	out->hold_over = atomic_load(&over_hold);
	out->isr_max_ns = atomic_load(&max_isr);
	out->dpc_max_ns = atomic_load(&max_dpc);
	out->hold_max_ns = atomic_load(&max_hold);
	out->hold_warn_ns = wd.c.hold_warn_ns;
}
