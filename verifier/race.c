/* SPDX-License-Identifier: MIT */
/*
 * verifier/race.c - the happens-before data-race detector (verifier/race.h)
 * and the __tsan_* entry points of drivers compiled with -fsanitize=thread.
 *
 * Single-threaded by construction: the detector runs only under the sim
 * engine, where every vCPU and the host share one host thread, so its
 * tables take no lock. Each access of the driver is checked against the
 * granule's recent accesses (8-byte granules in an open-addressing hash,
 * RACE_CELLS accesses each with a byte mask), FastTrack style: an earlier
 * access (context c, epoch e) happens before the current context's access
 * iff e <= C[current][c].
 *
 * Contexts: 3 per vCPU (passive, DPC, ISR; an activation stack per vCPU
 * says which runs) and one for the host thread. Call chains come from the
 * instrumentation itself (__tsan_func_entry/exit keep a shadow stack per
 * context), interned so that a cell stores a 32-bit id.
 */
#include "verifier/race.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ke/sim/sim.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"

/* Weak: the detector runs only where ke/sim is linked in, and must not pull
 * it into every program that links the verifier. */
#pragma weak ke_sim_vcpu_stack

#define RACE_CELLS 4	   /* accesses remembered per granule */
#define RACE_FRAMES 12	   /* frames kept per call chain */
#define RACE_SHADOW 64	   /* shadow stack depth per context */
#define RACE_ACT 8	   /* activation nesting per vCPU */
#define RACE_LEVELS 32	   /* IRQLs */
#define RACE_MAX_REPORTS 8 /* distinct races reported per run (warn mode) */
#define NO_STACK UINT32_MAX

enum { CLS_PASSIVE, CLS_DPC, CLS_ISR, NR_CLS };

int vfy_race_on;
/* What a volatile access means (__tsan_volatile_*): see volatile_slow(). */
static enum vfy_race_volatile race_volatile = VFY_RACE_VOLATILE_MS;

void vfy_race_set_volatile(enum vfy_race_volatile v)
{
	race_volatile = v;
}
const char vfy_race_lifecycle;
const char vfy_race_quiesce;

struct race_cell {
	uint32_t epoch;
	uint32_t stack; /* interned call chain (its first frame is the access) */
	uint16_t ctx;
	uint8_t mask; /* bytes of the granule */
	uint8_t write : 1, atomic : 1;
	uint8_t irql;
};

struct race_granule {
	uintptr_t key; /* address >> 3; 0: empty */
	uint8_t n;
	struct race_cell c[RACE_CELLS];
};

struct race_sync {
	uintptr_t key; /* 0: empty */
	uint32_t *vc;
};

struct race_chain {
	uint64_t hash;
	uint8_t n;
	void *f[RACE_FRAMES];
};

struct race_ctx {
	uint32_t *vc;
	void *shadow[RACE_SHADOW];
	unsigned depth;
};

struct race_act {
	uint8_t cls, floor; /* the activation and the lowest IRQL it excludes at */
};

static struct {
	struct ke_machine *m;
	unsigned nv, nctx;
	struct race_ctx *ctx;
	struct {
		struct race_act a[RACE_ACT];
		unsigned n;
	} * act;		      /* per vCPU */
	uint8_t (*held)[RACE_LEVELS]; /* per context: the IRQL pseudo-locks of its vCPU it holds */
	char (*pseudo)[RACE_LEVELS];  /* per vCPU: the pseudo-locks' keys */
	struct race_granule *g;
	size_t g_cap, g_used;
	struct race_sync *s;
	size_t s_cap, s_used;
	struct race_chain *ch;
	size_t ch_cap, ch_used;
	uint32_t *ch_idx; /* hash -> chain id + 1 */
	size_t ch_idx_cap;
	struct {
		uintptr_t lo, hi; /* 0, 0: not looked up yet */
	} * stack;		  /* per vCPU: its coroutine stack */
	uint64_t accesses, reports;
	void *reported[RACE_MAX_REPORTS][2];
	bool oom;
} R;

static struct ke_hooks race_hooks;
static struct {
	bool ran;
	uint64_t accesses, reports;
} last; /* of the last run, kept past vfy_race_disable() */

static inline uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* ------------------------------------------------------------- contexts */

static unsigned cur_ctx(void)
{
	struct ke_vcpu *v = ke_current();
	unsigned n;

	if (!v)
		return R.nctx - 1;
	n = ke_vcpu_number(v);
	if (n >= R.nv)
		return R.nctx - 1;
	return n * NR_CLS + (R.act[n].n ? R.act[n].a[R.act[n].n - 1].cls : CLS_PASSIVE);
}

static void vc_join(uint32_t *dst, const uint32_t *src)
{
	for (unsigned i = 0; i < R.nctx; i++)
		if (src[i] > dst[i])
			dst[i] = src[i];
}

/* ------------------------------------------------------------ sync vars */

static bool s_grow(void);

static uint32_t *sync_vc(uintptr_t key)
{
	size_t i, mask;

	if ((R.s_used + 1) * 2 > R.s_cap && !s_grow())
		return NULL;
	mask = R.s_cap - 1;
	for (i = hash64(key) & mask;; i = (i + 1) & mask) {
		if (R.s[i].key == key)
			return R.s[i].vc;
		if (!R.s[i].key) {
			R.s[i].vc = calloc(R.nctx, sizeof(uint32_t));
			if (!R.s[i].vc) {
				R.oom = true;
				return NULL;
			}
			R.s[i].key = key;
			R.s_used++;
			return R.s[i].vc;
		}
	}
}

static bool s_grow(void)
{
	size_t cap = R.s_cap ? R.s_cap * 2 : 1024, old = R.s_cap;
	struct race_sync *o = R.s, *n = calloc(cap, sizeof(*n));

	if (!n) {
		R.oom = true;
		return false;
	}
	R.s = n;
	R.s_cap = cap;
	for (size_t j = 0; j < old; j++)
		if (o[j].key) {
			size_t i = hash64(o[j].key) & (cap - 1);

			while (n[i].key)
				i = (i + 1) & (cap - 1);
			n[i] = o[j];
		}
	free(o);
	return true;
}

static void release_ctx(unsigned c, uintptr_t key)
{
	uint32_t *vc = sync_vc(key);

	if (!vc)
		return;
	vc_join(vc, R.ctx[c].vc);
	R.ctx[c].vc[c]++;
}

static void acquire_ctx(unsigned c, uintptr_t key)
{
	uint32_t *vc = sync_vc(key);

	if (vc)
		vc_join(R.ctx[c].vc, vc);
}

void vfy_race_release_slow(const void *obj)
{
	if (R.ctx)
		release_ctx(cur_ctx(), (uintptr_t)obj);
}

void vfy_race_acquire_slow(const void *obj)
{
	if (R.ctx)
		acquire_ctx(cur_ctx(), (uintptr_t)obj);
}

/*
 * IRQL exclusion on one vCPU: code of context c running at IRQL n holds
 * the pseudo-locks of levels floor..n of its vCPU, floor being where its
 * activation began (2 for passive code and DPCs, the sync IRQL for an ISR).
 * An ISR at level k thus orders with code at >= k on its vCPU and not with
 * code below it, which it can interrupt.
 */
static void pseudo_set(unsigned c, unsigned vcpu, unsigned lo, unsigned hi, bool hold)
{
	if (hi >= RACE_LEVELS)
		hi = RACE_LEVELS - 1;
	for (unsigned j = lo; j <= hi; j++) {
		uintptr_t key = (uintptr_t)&R.pseudo[vcpu][j];

		if (hold && !R.held[c][j]) {
			acquire_ctx(c, key);
			R.held[c][j] = 1;
		} else if (!hold && R.held[c][j]) {
			release_ctx(c, key);
			R.held[c][j] = 0;
		}
	}
}

static void act_push(unsigned vcpu, unsigned cls, unsigned floor)
{
	unsigned c;

	if (R.act[vcpu].n < RACE_ACT)
		R.act[vcpu].a[R.act[vcpu].n] = (struct race_act){(uint8_t)cls, (uint8_t)floor};
	R.act[vcpu].n++;
	c = cur_ctx();
	acquire_ctx(c, (uintptr_t)&vfy_race_lifecycle);
	pseudo_set(c, vcpu, floor, floor, true);
}

static void act_pop(unsigned vcpu)
{
	unsigned c = cur_ctx();

	pseudo_set(c, vcpu, 0, RACE_LEVELS - 1, false);
	release_ctx(c, (uintptr_t)&vfy_race_quiesce);
	if (R.act[vcpu].n)
		R.act[vcpu].n--;
}

static unsigned cur_vcpu(void)
{
	struct ke_vcpu *v = ke_current();

	return v ? ke_vcpu_number(v) : R.nv;
}

static void h_isr_enter(void *ctx, struct ke_interrupt *intr)
{
	unsigned v = cur_vcpu();

	(void)ctx;
	if (v < R.nv)
		act_push(v, CLS_ISR, intr->sync_irql);
}

static void h_isr_exit(void *ctx, struct ke_interrupt *intr, bool claimed)
{
	unsigned v = cur_vcpu();

	(void)ctx, (void)intr, (void)claimed;
	if (v < R.nv)
		act_pop(v);
}

static void h_dpc_enter(void *ctx, struct ke_dpc *dpc)
{
	unsigned v = cur_vcpu();

	(void)ctx;
	if (v >= R.nv)
		return;
	act_push(v, CLS_DPC, KE_DISPATCH_LEVEL);
	acquire_ctx(cur_ctx(), (uintptr_t)dpc);
}

static void h_dpc_exit(void *ctx, struct ke_dpc *dpc)
{
	unsigned v = cur_vcpu();

	(void)ctx, (void)dpc;
	if (v < R.nv)
		act_pop(v);
}

static void h_irql_change(void *ctx, ke_irql_t old_irql, ke_irql_t new_irql)
{
	unsigned v = cur_vcpu(), c, floor;

	(void)ctx;
	if (v >= R.nv)
		return;
	c = cur_ctx();
	floor = R.act[v].n ? R.act[v].a[R.act[v].n - 1].floor : KE_DISPATCH_LEVEL;
	if (new_irql > old_irql)
		pseudo_set(c, v, floor > old_irql + 1u ? floor : old_irql + 1u, new_irql, true);
	else if (new_irql < old_irql)
		pseudo_set(c, v, floor > new_irql + 1u ? floor : new_irql + 1u, old_irql, false);
}

static void h_lock_acquire(void *ctx, struct ke_spinlock *l)
{
	(void)ctx;
	acquire_ctx(cur_ctx(), (uintptr_t)l);
}

static void h_lock_release(void *ctx, struct ke_spinlock *l)
{
	(void)ctx;
	release_ctx(cur_ctx(), (uintptr_t)l);
}

/* ----------------------------------------------------------- call chains */

static bool ch_grow(void)
{
	size_t cap = R.ch_idx_cap ? R.ch_idx_cap * 2 : 4096;
	uint32_t *idx = calloc(cap, sizeof(*idx));

	if (!idx) {
		R.oom = true;
		return false;
	}
	for (size_t j = 0; j < R.ch_used; j++) {
		size_t i = R.ch[j].hash & (cap - 1);

		while (idx[i])
			i = (i + 1) & (cap - 1);
		idx[i] = (uint32_t)j + 1;
	}
	free(R.ch_idx);
	R.ch_idx = idx;
	R.ch_idx_cap = cap;
	return true;
}

/* The chain of context @c with @pc, the access, innermost. */
static uint32_t intern_chain(unsigned c, void *pc)
{
	struct race_chain k = {.n = 1, .f = {pc}};
	struct race_ctx *x = &R.ctx[c];
	uint64_t h = hash64((uintptr_t)pc);
	size_t i;

	for (unsigned d = x->depth < RACE_SHADOW ? x->depth : RACE_SHADOW;
	     d > 0 && k.n < RACE_FRAMES; d--) {
		k.f[k.n++] = x->shadow[d - 1];
		h = hash64(h ^ (uintptr_t)x->shadow[d - 1]);
	}
	k.hash = h;
	if ((R.ch_used + 1) * 2 > R.ch_idx_cap && !ch_grow())
		return NO_STACK;
	for (i = h & (R.ch_idx_cap - 1); R.ch_idx[i]; i = (i + 1) & (R.ch_idx_cap - 1)) {
		struct race_chain *e = &R.ch[R.ch_idx[i] - 1];

		if (e->hash == h && e->n == k.n && !memcmp(e->f, k.f, k.n * sizeof(void *)))
			return R.ch_idx[i] - 1;
	}
	if (R.ch_used == R.ch_cap) {
		size_t cap = R.ch_cap ? R.ch_cap * 2 : 4096;
		struct race_chain *n = realloc(R.ch, cap * sizeof(*n));

		if (!n) {
			R.oom = true;
			return NO_STACK;
		}
		R.ch = n;
		R.ch_cap = cap;
	}
	R.ch[R.ch_used] = k;
	R.ch_idx[i] = (uint32_t)R.ch_used + 1;
	return (uint32_t)R.ch_used++;
}

/* ---------------------------------------------------------------- shadow */

static bool g_grow(void)
{
	size_t cap = R.g_cap ? R.g_cap * 2 : 1u << 14, old = R.g_cap;
	struct race_granule *o = R.g, *n = calloc(cap, sizeof(*n));

	if (!n) {
		R.oom = true;
		return false;
	}
	R.g = n;
	R.g_cap = cap;
	for (size_t j = 0; j < old; j++)
		if (o[j].key) {
			size_t i = hash64(o[j].key) & (cap - 1);

			while (n[i].key)
				i = (i + 1) & (cap - 1);
			n[i] = o[j];
		}
	free(o);
	return true;
}

static struct race_granule *granule(uintptr_t key)
{
	size_t i, mask;

	if ((R.g_used + 1) * 2 > R.g_cap && !g_grow())
		return NULL;
	mask = R.g_cap - 1;
	for (i = hash64(key) & mask; R.g[i].key && R.g[i].key != key; i = (i + 1) & mask)
		;
	if (!R.g[i].key) {
		R.g[i].key = key;
		R.g_used++;
	}
	return &R.g[i];
}

static const char *ctx_name(unsigned c)
{
	static const char *const n[] = {"passive", "DPC", "ISR"};

	return c == R.nctx - 1 ? "host thread" : n[c % NR_CLS];
}

static void print_access(const char *title, uintptr_t addr, unsigned size,
			 const struct race_cell *x)
{
	char line[256];
	unsigned vcpu = x->ctx / NR_CLS;

	if (x->ctx == R.nctx - 1)
		snprintf(line, sizeof(line), "%s: %s%s of %u byte(s) at 0x%lx, host thread\n",
			 title, x->atomic ? "atomic " : "", x->write ? "write" : "read", size,
			 (unsigned long)addr);
	else
		snprintf(line, sizeof(line),
			 "%s: %s%s of %u byte(s) at 0x%lx, vCPU %u, %s context, IRQL %u\n", title,
			 x->atomic ? "atomic " : "", x->write ? "write" : "read", size,
			 (unsigned long)addr, vcpu, ctx_name(x->ctx), x->irql);
	(void)!write(2, line, strlen(line));
	if (x->stack != NO_STACK)
		ke_print_chain(2, "Call chain:", R.ch[x->stack].f, R.ch[x->stack].n);
}

static void report(uintptr_t addr, const struct race_cell *prev, const struct race_cell *now,
		   unsigned size)
{
	static const char head[] = "\nData race on driver memory:\n";
	static char what[512];
	void *pa = prev->stack != NO_STACK ? R.ch[prev->stack].f[0] : NULL;
	void *pb = now->stack != NO_STACK ? R.ch[now->stack].f[0] : NULL;
	unsigned k;

	for (k = 0; k < R.reports && k < RACE_MAX_REPORTS; k++)
		if ((R.reported[k][0] == pa && R.reported[k][1] == pb) ||
		    (R.reported[k][0] == pb && R.reported[k][1] == pa))
			return;
	if (R.reports >= RACE_MAX_REPORTS)
		return;
	R.reported[R.reports][0] = pa;
	R.reported[R.reports][1] = pb;
	R.reports++;
	(void)!write(2, head, sizeof(head) - 1);
	print_access("This access", addr, size, now);
	print_access("Earlier, unordered with it", addr, size, prev);
	snprintf(what, sizeof(what),
		 "data race: a %s in the %s context and an earlier %s in the %s context "
		 "(vCPU %u, %u) touch 0x%lx with no happens-before edge between them "
		 "(parameter 2 = the address, 3 = size | write << 8, 4 = the earlier access's pc)",
		 now->write ? "write" : "read", ctx_name(now->ctx), prev->write ? "write" : "read",
		 ctx_name(prev->ctx), now->ctx / NR_CLS, prev->ctx / NR_CLS, (unsigned long)addr);
	vfy_report(NDISRT_VIOLATION_DATA_RACE, addr, size | (now->write ? 0x100u : 0),
		   (uintptr_t)pa, what, now->stack != NO_STACK ? R.ch[now->stack].f : NULL,
		   now->stack != NO_STACK ? R.ch[now->stack].n : 0);
}

static void check_granule(uintptr_t addr, unsigned size, uint8_t mask, bool write, bool atomic,
			  void *pc)
{
	unsigned c = cur_ctx();
	struct race_ctx *x = &R.ctx[c];
	struct race_granule *g = granule(addr >> 3);
	struct race_cell now = {
	    .epoch = x->vc[c],
	    .stack = NO_STACK,
	    .ctx = (uint16_t)c,
	    .mask = mask,
	    .write = write,
	    .atomic = atomic,
	    .irql = (uint8_t)ke_irql_current(),
	};
	unsigned i, keep = 0;

	if (!g)
		return;
	for (i = 0; i < g->n; i++) {
		struct race_cell *p = &g->c[i];

		if (p->ctx == c || !(p->mask & mask) || (!p->write && !write) ||
		    (p->atomic && atomic) || p->epoch <= x->vc[p->ctx])
			continue;
		now.stack = intern_chain(c, pc);
		report(addr, p, &now, size);
		break;
	}
	/* Forget the accesses this one covers: the same context's, and (for a
	 * write) every access ordered before it. */
	for (i = 0; i < g->n; i++) {
		struct race_cell *p = &g->c[i];
		bool covered =
		    (p->mask & ~mask) == 0 &&
		    (p->ctx == c ? (write || !p->write) : write && p->epoch <= x->vc[p->ctx]);

		if (!covered)
			g->c[keep++] = *p;
	}
	g->n = (uint8_t)keep;
	if (now.stack == NO_STACK)
		now.stack = intern_chain(c, pc);
	if (g->n == RACE_CELLS) {
		memmove(&g->c[0], &g->c[1], (RACE_CELLS - 1) * sizeof(g->c[0]));
		g->n--;
	}
	g->c[g->n++] = now;
}

/*
 * Stack memory is private to the code running on it, but an ISR and a DPC
 * run on the stack of what they interrupted: its locals reuse addresses an
 * earlier activation used. Accesses to the running vCPU's stack (or the
 * host thread's) are not checked.
 */
static bool on_own_stack(uintptr_t addr)
{
	struct ke_vcpu *v = ke_current();
	unsigned n;

	if (!v) {
		uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

		/* The host thread: its live frames are above this one. */
		return addr >= sp - 4096 && addr < sp + (8u << 20);
	}
	n = ke_vcpu_number(v);
	if (n >= R.nv)
		return false;
	if (!R.stack[n].hi) {
		const void *lo;
		size_t size;

		if (!ke_sim_vcpu_stack || ke_sim_vcpu_stack(n, &lo, &size))
			return false;
		R.stack[n].lo = (uintptr_t)lo;
		R.stack[n].hi = (uintptr_t)lo + size;
	}
	return addr >= R.stack[n].lo && addr < R.stack[n].hi;
}

/* Unused in a ThreadSanitizer build of ndisrt (no entry points of ours). */
__attribute__((unused)) static void race_access(uintptr_t addr, unsigned size, bool write,
						bool atomic, void *pc)
{
	R.accesses++;
	if (!size || on_own_stack(addr))
		return;
	while (size) {
		unsigned off = addr & 7, n = 8 - off < size ? 8 - off : size;
		uint8_t mask = (uint8_t)(((1u << n) - 1) << off);

		check_granule(addr, n, mask, write, atomic, pc);
		addr += n;
		size -= n;
	}
}

/* --------------------------------------------------------------- control */

int vfy_race_enable(struct ke_machine *m)
{
	int rc;

	if (!m || !ke_machine_deterministic(m))
		return -EINVAL;
	vfy_race_disable();
	R.m = m;
	R.nv = ke_machine_vcpu_count(m);
	R.nctx = R.nv * NR_CLS + 1;
	R.ctx = calloc(R.nctx, sizeof(*R.ctx));
	R.act = calloc(R.nv, sizeof(*R.act));
	R.held = calloc(R.nctx, sizeof(*R.held));
	R.pseudo = calloc(R.nv, sizeof(*R.pseudo));
	R.stack = calloc(R.nv, sizeof(*R.stack));
	if (!R.ctx || !R.act || !R.held || !R.pseudo || !R.stack)
		goto nomem;
	for (unsigned i = 0; i < R.nctx; i++) {
		R.ctx[i].vc = calloc(R.nctx, sizeof(uint32_t));
		if (!R.ctx[i].vc)
			goto nomem;
		R.ctx[i].vc[i] = 1;
	}
	if (!g_grow() || !s_grow() || !ch_grow())
		goto nomem;
	race_hooks = (struct ke_hooks){
	    .isr_enter = h_isr_enter,
	    .isr_exit = h_isr_exit,
	    .dpc_enter = h_dpc_enter,
	    .dpc_exit = h_dpc_exit,
	    .irql_change = h_irql_change,
	    .lock_acquire = h_lock_acquire,
	    .lock_release = h_lock_release,
	};
	rc = ke_hooks_add(m, &race_hooks);
	if (rc) {
		vfy_race_disable();
		return rc;
	}
	vfy_race_on = 1;
	return 0;
nomem:
	vfy_race_disable();
	return -ENOMEM;
}

void vfy_race_disable(void)
{
	if (R.m && vfy_race_on) {
		ke_hooks_remove(R.m, &race_hooks);
		last.ran = true;
		last.accesses = R.accesses;
		last.reports = R.reports;
	}
	vfy_race_on = 0;
	if (R.ctx)
		for (unsigned i = 0; i < R.nctx; i++)
			free(R.ctx[i].vc);
	for (size_t i = 0; i < R.s_cap; i++)
		free(R.s[i].vc);
	free(R.ctx);
	free(R.act);
	free(R.held);
	free(R.pseudo);
	free(R.stack);
	free(R.g);
	free(R.s);
	free(R.ch);
	free(R.ch_idx);
	memset(&R, 0, sizeof(R));
}

uint64_t vfy_race_reports(void)
{
	return vfy_race_on ? R.reports : last.reports;
}

uint64_t vfy_race_accesses(void)
{
	return vfy_race_on ? R.accesses : last.accesses;
}

bool vfy_race_ran(void)
{
	return vfy_race_on || last.ran;
}

/* ------------------------------------------------ ThreadSanitizer's ABI */

/*
 * What gcc 12 and clang 14 emit for C compiled with -fsanitize=thread. In a
 * build of ndisrt that itself runs under ThreadSanitizer the real runtime
 * provides these, so they are left out (and instrumented drivers are not
 * built). Each is a preemption point of the sim engine; with the detector
 * on, a checked access.
 */
#if defined(__SANITIZE_THREAD__)
#define RACE_TSAN_RUNTIME 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RACE_TSAN_RUNTIME 1
#endif
#endif

#ifndef RACE_TSAN_RUNTIME

/*
 * With any -fsanitize= option gcc knows these names as built-ins, with
 * void pointers and unsigned types (and a pointer argument to
 * __tsan_func_exit). The definitions below use the types clang's
 * interface header gives; the two agree in the ABI (same sizes, same
 * registers), so gcc's complaint is moot.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wbuiltin-declaration-mismatch"
#endif

static inline bool sim_points(void)
{
	return __builtin_expect(
	    atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) & KE_SLOW_PREEMPT, 0);
}

/*
 * The preemption point comes first, then what the detector records: the
 * access itself happens when the entry point returns, so nothing may run
 * between the record (and its edges) and the access.
 */
__attribute__((noinline)) static void access_slow(const volatile void *a, unsigned size, bool write,
						  bool atomic, void *pc)
{
	ke_preempt_point_slow(ke_current_machine(), KE_PP_MEM_ACCESS);
	if (vfy_race_on)
		race_access((uintptr_t)a, size, write, atomic, pc);
}

/*
 * A volatile access, as compilers report it when asked to tell them apart
 * (gcc --param tsan-distinguish-volatile=1, clang -mllvm
 * -tsan-distinguish-volatile=1; without the flag they emit the plain
 * entry points). With the MSVC semantics (/volatile:ms, MSVC's default on
 * x86 and x64) a volatile read is an acquire and a volatile write a
 * release: the access counts as atomic, and makes the edge. Plain: like
 * any other access.
 */
__attribute__((noinline)) static void volatile_slow(const volatile void *a, unsigned size,
						    bool write, void *pc)
{
	ke_preempt_point_slow(ke_current_machine(), KE_PP_MEM_ACCESS);
	if (vfy_race_on) {
		if (race_volatile == VFY_RACE_VOLATILE_MS) {
			unsigned c = cur_ctx();

			race_access((uintptr_t)a, size, write, true, pc);
			if (write)
				release_ctx(c, (uintptr_t)a);
			else
				acquire_ctx(c, (uintptr_t)a);
		} else {
			race_access((uintptr_t)a, size, write, false, pc);
		}
	}
}

#define RACE_RW(kind, n, write)                                                       \
	void __tsan_##kind##n(void *a);                                               \
	void __tsan_##kind##n(void *a)                                                \
	{                                                                             \
		if (sim_points())                                                     \
			access_slow(a, n, write, false, __builtin_return_address(0)); \
	}                                                                             \
	void __tsan_unaligned_##kind##n(void *a);                                     \
	void __tsan_unaligned_##kind##n(void *a)                                      \
	{                                                                             \
		if (sim_points())                                                     \
			access_slow(a, n, write, false, __builtin_return_address(0)); \
	}                                                                             \
	void __tsan_volatile_##kind##n(void *a);                                      \
	void __tsan_volatile_##kind##n(void *a)                                       \
	{                                                                             \
		if (sim_points())                                                     \
			volatile_slow(a, n, write, __builtin_return_address(0));      \
	}                                                                             \
	void __tsan_##kind##n##_pc(void *a, void *pc);                                \
	void __tsan_##kind##n##_pc(void *a, void *pc)                                 \
	{                                                                             \
		if (sim_points())                                                     \
			access_slow(a, n, write, false, pc);                          \
	}

RACE_RW(read, 1, false)
RACE_RW(read, 2, false)
RACE_RW(read, 4, false)
RACE_RW(read, 8, false)
RACE_RW(read, 16, false)
RACE_RW(write, 1, true)
RACE_RW(write, 2, true)
RACE_RW(write, 4, true)
RACE_RW(write, 8, true)
RACE_RW(write, 16, true)

void __tsan_read_range(void *a, unsigned long size);
void __tsan_read_range(void *a, unsigned long size)
{
	if (sim_points())
		access_slow(a, (unsigned)size, false, false, __builtin_return_address(0));
}

void __tsan_write_range(void *a, unsigned long size);
void __tsan_write_range(void *a, unsigned long size)
{
	if (sim_points())
		access_slow(a, (unsigned)size, true, false, __builtin_return_address(0));
}

void __tsan_init(void);
void __tsan_init(void)
{
}

void __tsan_func_entry(void *pc);
void __tsan_func_entry(void *pc)
{
	if (__builtin_expect(vfy_race_on, 0)) {
		struct race_ctx *x = &R.ctx[cur_ctx()];

		if (x->depth < RACE_SHADOW)
			x->shadow[x->depth] = pc;
		x->depth++;
	}
}

void __tsan_func_exit(void);
void __tsan_func_exit(void)
{
	if (__builtin_expect(vfy_race_on, 0)) {
		struct race_ctx *x = &R.ctx[cur_ctx()];

		if (x->depth)
			x->depth--;
	}
}

/*
 * Atomics: the operation itself, sequentially consistent whatever the
 * order asked (stronger is always allowed), plus an acquire and a release
 * on the address for the detector: Interlocked* are full barriers.
 */
static void atomic_slow(volatile void *a, unsigned size, bool write, void *pc)
{
	ke_preempt_point_slow(ke_current_machine(), KE_PP_MEM_ACCESS);
	if (vfy_race_on) {
		unsigned c = cur_ctx();

		acquire_ctx(c, (uintptr_t)a);
		race_access((uintptr_t)a, size, write, true, pc);
		release_ctx(c, (uintptr_t)a);
	}
}

#define ATOMIC_PRE(n, write)                                                     \
	do {                                                                     \
		if (sim_points())                                                \
			atomic_slow((volatile void *)(uintptr_t)a, n / 8, write, \
				    __builtin_return_address(0));                \
	} while (0)

#define RACE_ATOMIC(n, T)                                                                          \
	T __tsan_atomic##n##_load(const volatile T *a, int mo);                                    \
	T __tsan_atomic##n##_load(const volatile T *a, int mo)                                     \
	{                                                                                          \
		(void)mo;                                                                          \
		ATOMIC_PRE(n, false);                                                              \
		return __atomic_load_n(a, __ATOMIC_SEQ_CST);                                       \
	}                                                                                          \
	void __tsan_atomic##n##_store(volatile T *a, T v, int mo);                                 \
	void __tsan_atomic##n##_store(volatile T *a, T v, int mo)                                  \
	{                                                                                          \
		(void)mo;                                                                          \
		ATOMIC_PRE(n, true);                                                               \
		__atomic_store_n(a, v, __ATOMIC_SEQ_CST);                                          \
	}                                                                                          \
	RACE_ATOMIC_RMW(n, T, exchange, __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST))               \
	RACE_ATOMIC_RMW(n, T, fetch_add, __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST))               \
	RACE_ATOMIC_RMW(n, T, fetch_sub, __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST))               \
	RACE_ATOMIC_RMW(n, T, fetch_and, __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST))               \
	RACE_ATOMIC_RMW(n, T, fetch_or, __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST))                 \
	RACE_ATOMIC_RMW(n, T, fetch_xor, __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST))               \
	RACE_ATOMIC_RMW(n, T, fetch_nand, __atomic_fetch_nand(a, v, __ATOMIC_SEQ_CST))             \
	int __tsan_atomic##n##_compare_exchange_strong(volatile T *a, T *c, T v, int mo, int fmo); \
	int __tsan_atomic##n##_compare_exchange_strong(volatile T *a, T *c, T v, int mo, int fmo)  \
	{                                                                                          \
		(void)mo, (void)fmo;                                                               \
		ATOMIC_PRE(n, true);                                                               \
		return __atomic_compare_exchange_n(a, c, v, false, __ATOMIC_SEQ_CST,               \
						   __ATOMIC_SEQ_CST);                              \
	}                                                                                          \
	int __tsan_atomic##n##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo);   \
	int __tsan_atomic##n##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo)    \
	{                                                                                          \
		(void)mo, (void)fmo;                                                               \
		ATOMIC_PRE(n, true);                                                               \
		return __atomic_compare_exchange_n(a, c, v, false, __ATOMIC_SEQ_CST,               \
						   __ATOMIC_SEQ_CST);                              \
	}                                                                                          \
	T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo);       \
	T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo)        \
	{                                                                                          \
		(void)mo, (void)fmo;                                                               \
		ATOMIC_PRE(n, true);                                                               \
		__atomic_compare_exchange_n(a, &c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);  \
		return c;                                                                          \
	}

#define RACE_ATOMIC_RMW(n, T, op, expr)                        \
	T __tsan_atomic##n##_##op(volatile T *a, T v, int mo); \
	T __tsan_atomic##n##_##op(volatile T *a, T v, int mo)  \
	{                                                      \
		(void)mo;                                      \
		ATOMIC_PRE(n, true);                           \
		return expr;                                   \
	}

RACE_ATOMIC(8, char)
RACE_ATOMIC(16, short)
RACE_ATOMIC(32, int)
RACE_ATOMIC(64, long long)

void __tsan_atomic_thread_fence(int mo);
void __tsan_atomic_thread_fence(int mo)
{
	(void)mo;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void __tsan_atomic_signal_fence(int mo);
void __tsan_atomic_signal_fence(int mo)
{
	(void)mo;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

#endif /* !RACE_TSAN_RUNTIME */
