/* SPDX-License-Identifier: MIT */
/*
 * verifier/lockdep.c - the lock-order graph (verifier/lockdep.h).
 *
 * Cost model: an acquisition looks its class up in an open-addressing hash
 * and walks the held stack (a few entries); only a dependency never seen
 * before takes the graph lock's slow work — a breadth-first search for the
 * opposite path and a backtrace(). Nothing allocates, so every entry point
 * is async-signal-safe (backtrace() is warmed up by ke when a machine is
 * created, as for bug checks).
 */
#include "verifier/lockdep.h"

#include <execinfo.h>
#include <string.h>

void vfy_lockdep_init(struct vfy_lockdep *ld)
{
	memset(ld, 0, sizeof(*ld));
	ke_spin_init(&ld->lock);
}

/*
 * The chain from @pc (the driver's return address, where it took the lock)
 * outwards: the verifier's own frames above it say nothing. When @pc is not
 * a frame (an ISR's entry address), skip ld_capture and its caller.
 */
static void ld_capture_from(struct vfy_ld_chain *c, void *pc)
{
	void *buf[VFY_LD_CHAIN + 8];
	int n = backtrace(buf, VFY_LD_CHAIN + 8);
	int skip = n > 2 ? 2 : n;

	for (int i = 0; i < n; i++)
		if (buf[i] == pc) {
			skip = i;
			break;
		}

	c->n = (unsigned)(n - skip);
	if (c->n > VFY_LD_CHAIN)
		c->n = VFY_LD_CHAIN;
	memcpy(c->pc, buf + skip, c->n * sizeof(void *));
}

/* Serialize the graph against every vCPU and against interrupts on this one. */
static ke_irql_t ld_lock(struct vfy_lockdep *ld)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&ld->lock);
	return old;
}

static void ld_unlock(struct vfy_lockdep *ld, ke_irql_t old)
{
	ke_spin_release_raw(&ld->lock);
	ke_irql_lower(old);
}

static unsigned ld_hash(uintptr_t key)
{
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;

	return (unsigned)(h >> 40) % (2 * VFY_LD_MAX_CLASSES);
}

/*
 * Lock-free look-ups. Classes, hash slots and edges are append-only: a slot
 * or a list link, once published (release store under the graph lock), never
 * changes, so a reader that sees it (acquire load) sees the entry it points
 * to complete. Nothing here takes the graph lock.
 */
static int ld_find_class(const struct vfy_lockdep *ld, uintptr_t key)
{
	unsigned i = ld_hash(key);

	for (unsigned probes = 0; probes < 2 * VFY_LD_MAX_CLASSES; probes++) {
		unsigned slot = __atomic_load_n(&ld->hash[i], __ATOMIC_ACQUIRE);

		if (slot == 0)
			return -1;
		if (ld->classes[slot - 1].key == key)
			return (int)slot - 1;
		i = (i + 1) % (2 * VFY_LD_MAX_CLASSES);
	}
	return -1;
}

static bool ld_knows_edge(const struct vfy_lockdep *ld, unsigned from, unsigned to)
{
	for (uint32_t e = __atomic_load_n(&ld->classes[from].first_out, __ATOMIC_ACQUIRE); e;
	     e = __atomic_load_n(&ld->edges[e - 1].next_out, __ATOMIC_ACQUIRE))
		if (ld->edges[e - 1].to == to)
			return true;
	return false;
}

/* Would this acquisition teach the graph nothing? Then it needs no lock. */
static bool ld_nothing_new(const struct vfy_lockdep *ld, const __typeof__(ld->stacks[0]) *s,
			   int cls, ke_irql_t irql)
{
	const struct vfy_ld_class *c;

	if (cls < 0)
		return false;
	c = &ld->classes[cls];
	if (irql < __atomic_load_n(&c->min_held, __ATOMIC_RELAXED) ||
	    irql > __atomic_load_n(&c->max_held, __ATOMIC_RELAXED))
		return false;
	for (unsigned i = 0; i < s->depth; i++)
		if (s->held[i].lock && s->held[i].cls != (unsigned)cls &&
		    !ld_knows_edge(ld, s->held[i].cls, (unsigned)cls))
			return false;
	return true;
}

/* The class of @key, created if new. Context: (G). Return: index, or -1 when full. */
static int ld_class_locked(struct vfy_lockdep *ld, uintptr_t key, const char *name, ke_irql_t irql)
{
	unsigned i = ld_hash(key);

	for (;;) {
		unsigned slot = ld->hash[i];

		if (slot == 0)
			break;
		if (ld->classes[slot - 1].key == key)
			return (int)slot - 1;
		i = (i + 1) % (2 * VFY_LD_MAX_CLASSES);
	}
	if (ld->nr_classes == VFY_LD_MAX_CLASSES)
		return -1;
	struct vfy_ld_class *c = &ld->classes[ld->nr_classes];

	c->key = key;
	c->name = name;
	c->min_held = c->max_held = irql;
	__atomic_store_n(&ld->hash[i], (uint16_t)(++ld->nr_classes), __ATOMIC_RELEASE);
	return (int)ld->nr_classes - 1;
}

static bool ld_has_edge_locked(const struct vfy_lockdep *ld, unsigned from, unsigned to)
{
	for (uint32_t e = ld->classes[from].first_out; e; e = ld->edges[e - 1].next_out)
		if (ld->edges[e - 1].to == to)
			return true;
	return false;
}

/*
 * Is @target reachable from @start? If so, return the edge (index + 1) that
 * leaves @start on a shortest path and the path's length in *@len.
 * Context: (G).
 */
static uint32_t ld_path_locked(struct vfy_lockdep *ld, unsigned start, unsigned target,
			       unsigned *len)
{
	unsigned head = 0, tail = 0;
	uint32_t gen = ++ld->bfs_gen;

	ld->bfs_mark[start] = gen;
	ld->bfs_via[start] = 0;
	ld->bfs_queue[tail++] = (uint16_t)start;
	while (head < tail) {
		unsigned c = ld->bfs_queue[head++];

		for (uint32_t e = ld->classes[c].first_out; e; e = ld->edges[e - 1].next_out) {
			unsigned to = ld->edges[e - 1].to;

			if (ld->bfs_mark[to] == gen)
				continue;
			ld->bfs_mark[to] = gen;
			ld->bfs_via[to] = e;
			if (to == target) {
				/* Walk back to the edge that leaves @start. */
				uint32_t first = e;

				*len = 1;
				for (unsigned n = ld->edges[e - 1].from; n != start;
				     n = ld->edges[first - 1].from) {
					first = ld->bfs_via[n];
					++*len;
				}
				return first;
			}
			ld->bfs_queue[tail++] = (uint16_t)to;
		}
	}
	return 0;
}

/*
 * Record "@h held, then @to taken". Context: (G).
 * Return: VFY_LD_CYCLE (with @r filled) when the edge closes a cycle.
 */
static enum vfy_ld_finding ld_add_edge_locked(struct vfy_lockdep *ld, const struct vfy_ld_held *h,
					      unsigned to, void *pc, struct vfy_ld_report *r)
{
	unsigned from = h->cls, len = 0;
	uint32_t back;
	struct vfy_ld_edge *e;

	if (from == to || ld_has_edge_locked(ld, from, to))
		return VFY_LD_OK;
	back = ld_path_locked(ld, to, from, &len);
	if (back) {
		/* The opposite order is on record: keep the graph acyclic, report once. */
		if (ld->cycle_reported)
			return VFY_LD_OK;
		ld->cycle_reported = true;
		memset(r, 0, sizeof(*r));
		r->what = VFY_LD_CYCLE;
		r->held = &ld->classes[from];
		r->acquired = &ld->classes[to];
		r->this_held_pc = h->pc;
		ld_capture_from(&r->this_acq, pc);
		r->other_held_pc = ld->edges[back - 1].held_pc;
		r->other_acq = ld->edges[back - 1].acq_chain;
		r->path_len = len;
		return VFY_LD_CYCLE;
	}
	if (ld->nr_edges == VFY_LD_MAX_EDGES) {
		if (ld->full_reported)
			return VFY_LD_OK;
		ld->full_reported = true;
		memset(r, 0, sizeof(*r));
		r->what = VFY_LD_FULL;
		return VFY_LD_FULL;
	}
	e = &ld->edges[ld->nr_edges++];
	e->from = (uint16_t)from;
	e->to = (uint16_t)to;
	e->held_pc = h->pc;
	ld_capture_from(&e->acq_chain, pc);
	e->next_out = ld->classes[from].first_out;
	__atomic_store_n(&ld->classes[from].first_out, ld->nr_edges, __ATOMIC_RELEASE);
	return VFY_LD_OK;
}

/*
 * A class held at a device IRQL and below it: an interrupt at that IRQL can
 * arrive on the vCPU that holds the lock below it, and its routine then
 * spins on a lock its own vCPU holds. Context: (G).
 */
static enum vfy_ld_finding ld_note_irql_locked(struct vfy_lockdep *ld, unsigned cls, ke_irql_t irql,
					       void *pc, struct vfy_ld_report *r)
{
	struct vfy_ld_class *c = &ld->classes[cls];
	bool learned = false;

	if (irql < c->min_held || c->low_chain.n == 0) {
		__atomic_store_n(&c->min_held, irql, __ATOMIC_RELAXED);
		ld_capture_from(&c->low_chain, pc);
		learned = true;
	}
	if (irql > c->max_held || c->high_chain.n == 0) {
		__atomic_store_n(&c->max_held, irql, __ATOMIC_RELAXED);
		ld_capture_from(&c->high_chain, pc);
		learned = true;
	}
	if (!learned || c->max_held <= KE_DISPATCH_LEVEL || c->min_held >= c->max_held ||
	    ld->inversion_reported)
		return VFY_LD_OK;
	ld->inversion_reported = true;
	memset(r, 0, sizeof(*r));
	r->what = VFY_LD_IRQL_INVERSION;
	r->held = c;
	r->irql_low = c->min_held;
	r->irql_high = c->max_held;
	r->this_acq = irql == c->max_held ? c->high_chain : c->low_chain;
	r->other_acq = irql == c->max_held ? c->low_chain : c->high_chain;
	return VFY_LD_IRQL_INVERSION;
}

enum vfy_ld_finding vfy_lockdep_acquire(struct vfy_lockdep *ld, unsigned stack, uintptr_t key,
					const char *name, const void *lock, ke_irql_t irql,
					void *pc, struct vfy_ld_report *r)
{
	enum vfy_ld_finding f = VFY_LD_OK;
	ke_irql_t old;
	int cls;

	if (stack >= VFY_LD_MAX_STACKS)
		return VFY_LD_OK;
	__typeof__(ld->stacks[0]) *s = &ld->stacks[stack];

	for (unsigned i = 0; i < s->depth; i++) {
		if (s->held[i].lock == lock) {
			memset(r, 0, sizeof(*r));
			r->what = VFY_LD_RECURSION;
			r->held = &ld->classes[s->held[i].cls];
			r->other_held_pc = s->held[i].pc;
			ld_capture_from(&r->this_acq, pc);
			return VFY_LD_RECURSION;
		}
	}
	cls = ld_find_class(ld, key);
	if (ld_nothing_new(ld, s, cls, irql))
		goto push;
	old = ld_lock(ld);
	cls = ld_class_locked(ld, key, name, irql);
	if (cls < 0) {
		if (!ld->full_reported) {
			ld->full_reported = true;
			memset(r, 0, sizeof(*r));
			r->what = f = VFY_LD_FULL;
		}
		ld_unlock(ld, old);
		return f;
	}
	for (unsigned i = 0; i < s->depth && f == VFY_LD_OK; i++)
		if (s->held[i].lock) /* NULL: a push in progress that we interrupted */
			f = ld_add_edge_locked(ld, &s->held[i], (unsigned)cls, pc, r);
	if (f == VFY_LD_OK)
		f = ld_note_irql_locked(ld, (unsigned)cls, irql, pc, r);
	ld_unlock(ld, old);
push:
	/*
	 * The stack is this vCPU's own: an interrupt nests on it, and pops what
	 * it pushes. The slot is claimed (depth) before it is filled, so an
	 * interrupt between the two pushes above it instead of overwriting
	 * it; until @lock is set last, nested scans skip the slot.
	 */
	if (s->depth < VFY_LD_MAX_HELD) {
		struct vfy_ld_held *h = &s->held[s->depth];

		h->lock = NULL;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		s->depth++;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		h->cls = (uint16_t)cls;
		h->irql = irql;
		h->pc = pc;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		h->lock = lock;
	}
	return f;
}

enum vfy_ld_finding vfy_lockdep_release(struct vfy_lockdep *ld, unsigned stack, const void *lock)
{
	if (stack >= VFY_LD_MAX_STACKS)
		return VFY_LD_OK;
	__typeof__(ld->stacks[0]) *s = &ld->stacks[stack];

	for (unsigned i = s->depth; i-- > 0;) {
		if (s->held[i].lock != lock)
			continue;
		/* Locks may be released out of order: close the gap. */
		memmove(&s->held[i], &s->held[i + 1], (s->depth - i - 1) * sizeof(s->held[0]));
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		s->depth--;
		return VFY_LD_OK;
	}
	return VFY_LD_NOT_HELD;
}

unsigned vfy_lockdep_depth(const struct vfy_lockdep *ld, unsigned stack)
{
	return stack < VFY_LD_MAX_STACKS ? ld->stacks[stack].depth : 0;
}

const struct vfy_ld_held *vfy_lockdep_held(const struct vfy_lockdep *ld, unsigned stack, unsigned i)
{
	if (stack >= VFY_LD_MAX_STACKS || i >= ld->stacks[stack].depth)
		return NULL;
	return &ld->stacks[stack].held[i];
}

const struct vfy_ld_class *vfy_lockdep_class_of(const struct vfy_lockdep *ld,
						const struct vfy_ld_held *h)
{
	return &ld->classes[h->cls];
}
