/* SPDX-License-Identifier: MIT */
/*
 * verifier/vfy.c - the verifier's run-time state (verifier/vfy.h): the
 * mode, the lock-order graph, where each NDIS spin lock was allocated, and
 * what a finding costs.
 */
#include "verifier/vfy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verifier/lockdep.h"
#include "verifier/violation.h"

#define VFY_SITES 8192u /* NDIS spin locks whose allocation site is remembered */

int vfy_active;

static enum vfy_mode mode;
static struct vfy_lockdep *graph;
static vfy_reporter_fn *reporter;
static void *reporter_ctx;
static uint64_t warnings;

/*
 * Lock address -> allocation site. Open addressing; a slot's key is claimed
 * once with a compare-and-swap and never given back (a lock allocated again
 * at the same address updates its site), so readers need no lock.
 */
static struct {
	uintptr_t lock;
	void *site;
} sites[VFY_SITES];

int vfy_set_mode(enum vfy_mode m)
{
	if (m != VFY_OFF && !graph) {
		graph = malloc(sizeof(*graph));
		if (!graph)
			return -ENOMEM;
		vfy_lockdep_init(graph);
	}
	mode = m;
	__atomic_store_n(&vfy_active, m != VFY_OFF, __ATOMIC_RELEASE);
	return 0;
}

enum vfy_mode vfy_mode(void)
{
	return mode;
}

void vfy_set_reporter(vfy_reporter_fn *fn, void *ctx)
{
	reporter_ctx = ctx;
	reporter = fn;
}

uint64_t vfy_warnings(void)
{
	return __atomic_load_n(&warnings, __ATOMIC_RELAXED);
}

static unsigned site_slot(uintptr_t lock)
{
	return (unsigned)(((uint64_t)lock * 0x9E3779B97F4A7C15ull) >> 40) % VFY_SITES;
}

void vfy_lock_site_slow(const void *lock, void *site)
{
	uintptr_t key = (uintptr_t)lock;
	unsigned i = site_slot(key);

	for (unsigned probes = 0; probes < VFY_SITES; probes++, i = (i + 1) % VFY_SITES) {
		uintptr_t cur = __atomic_load_n(&sites[i].lock, __ATOMIC_ACQUIRE);

		if (cur == 0 &&
		    !__atomic_compare_exchange_n(&sites[i].lock, &cur, key, false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE) &&
		    cur != key)
			continue;
		if (cur != 0 && cur != key)
			continue;
		__atomic_store_n(&sites[i].site, site, __ATOMIC_RELEASE);
		return;
	}
	/* Full: the lock is its own class (still checked, only less grouped). */
}

/* The class of @lock: its allocation site if known, else the lock itself. */
static uintptr_t lock_class(const void *lock)
{
	uintptr_t key = (uintptr_t)lock;
	unsigned i = site_slot(key);

	for (unsigned probes = 0; probes < VFY_SITES; probes++, i = (i + 1) % VFY_SITES) {
		uintptr_t cur = __atomic_load_n(&sites[i].lock, __ATOMIC_ACQUIRE);

		if (cur == 0)
			break;
		if (cur == key) {
			void *site = __atomic_load_n(&sites[i].site, __ATOMIC_ACQUIRE);

			return site ? (uintptr_t)site : key;
		}
	}
	return key;
}

/* What a finding costs: a bug check in fatal mode; a line, a count and the reporter in warn mode. */
void vfy_report(uint32_t violation, uintptr_t p2, uintptr_t p3, uintptr_t p4, const char *what,
		void *const *frames, int nr_frames)
{
	static const char head[] = "ndisrt verifier: warning: ";
	struct vfy_finding f = {
	    .violation = violation,
	    .param = {p2, p3, p4},
	    .what = what,
	    .frames = frames,
	    .nr_frames = nr_frames,
	};

	if (mode == VFY_FATAL)
		ndisrt_violation((enum ndisrt_violation)violation, p2, p3, p4, what);
	__atomic_fetch_add(&warnings, 1, __ATOMIC_RELAXED);
	(void)!write(2, head, sizeof(head) - 1);
	(void)!write(2, what, strlen(what));
	(void)!write(2, "\n", 1);
	ke_print_chain(2, "Call chain:", frames, nr_frames);
	if (reporter)
		reporter(&f, reporter_ctx);
}

static void report_cycle(const void *lock, const struct vfy_ld_report *r)
{
	void *held_pc[1] = {r->this_held_pc}, *other_pc[1] = {r->other_held_pc};

	/* Both orders, before the bug check's own chain (this acquisition's). */
	(void)!write(2, "\n", 1);
	ke_print_chain(2, "Lock order inversion: this vCPU holds a lock taken at", held_pc, 1);
	ke_print_chain(2, "and takes another here:", r->this_acq.pc, (int)r->this_acq.n);
	ke_print_chain(2, "The opposite order was seen earlier: the lock held then was taken at",
		       other_pc, 1);
	ke_print_chain(2, "and the other one taken here:", r->other_acq.pc, (int)r->other_acq.n);
	vfy_report(NDISRT_VIOLATION_LOCK_ORDER, (uintptr_t)lock, r->held->key, r->acquired->key,
		   "two locks are taken in both orders: two vCPUs running these paths at once "
		   "deadlock (parameter 2 = the lock being acquired, 3 and 4 = the classes: "
		   "where the held and the acquired lock were allocated)",
		   r->this_acq.pc, (int)r->this_acq.n);
}

void vfy_lock_acquired_slow(const void *lock, const char *name, ke_irql_t irql, void *pc)
{
	struct ke_vcpu *v = ke_current();
	struct vfy_ld_report r;

	if (!v || !graph)
		return;
	switch (vfy_lockdep_acquire(graph, ke_vcpu_number(v), lock_class(lock), name, lock, irql,
				    pc, &r)) {
	case VFY_LD_CYCLE:
		report_cycle(lock, &r);
		break;
	default:
		/*
		 * Recursion on one lock is reported before this runs (an
		 * NDIS spin lock: 0xC4 0x1000 by ndis/lock.c; an interrupt
		 * lock: ke's 0xF); an IRQL inversion needs a lock that is held both at
		 * and below DIRQL, which no NDIS lock type can be; a full
		 * table stops the check quietly (docs/verifier.md).
		 */
		break;
	}
}

void vfy_lock_releasing_slow(const void *lock)
{
	struct ke_vcpu *v = ke_current();

	if (v && graph)
		(void)vfy_lockdep_release(graph, ke_vcpu_number(v), lock);
}
