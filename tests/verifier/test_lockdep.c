/* SPDX-License-Identifier: MIT */
/*
 * The lock-order graph (verifier/lockdep.h): orders that can deadlock are
 * found from runs that did not deadlock; consistent orders stay silent.
 * Locks are plain objects here: the graph never touches them.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "verifier/lockdep.h"

static struct vfy_lockdep *ld;
static int lock_a, lock_b, lock_c, lock_d;

/* Classes are keyed by the lock's address here (a site in real use). */
#define KEY(l) ((uintptr_t) & (l))

static void setup(void)
{
	ld = malloc(sizeof(*ld));
	cr_assert_not_null(ld);
	vfy_lockdep_init(ld);
}

static void teardown(void)
{
	free(ld);
}

TestSuite(lockdep, .init = setup, .fini = teardown);

static enum vfy_ld_finding take(unsigned stack, int *l, const char *name, ke_irql_t irql,
				struct vfy_ld_report *r)
{
	return vfy_lockdep_acquire(ld, stack, (uintptr_t)l, name, l, irql,
				   __builtin_return_address(0), r);
}

static void drop(unsigned stack, int *l)
{
	cr_assert_eq(vfy_lockdep_release(ld, stack, l), VFY_LD_OK);
}

Test(lockdep, S4_inverted_pair_reported_without_deadlock)
{
	struct vfy_ld_report r;

	/* vCPU 0: A then B.  Later vCPU 1: B then A. They never overlapped. */
	cr_assert_eq(take(0, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(0, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	drop(0, &lock_b);
	drop(0, &lock_a);
	cr_assert_eq(take(1, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(1, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_CYCLE);
	cr_assert_str_eq(r.held->name, "B");
	cr_assert_str_eq(r.acquired->name, "A");
	cr_assert_eq(r.path_len, 1);
	cr_assert_gt(r.this_acq.n, 0, "this acquisition's chain is recorded");
	cr_assert_gt(r.other_acq.n, 0, "the opposite order's chain is recorded");
	cr_assert_not_null(r.this_held_pc);
	cr_assert_not_null(r.other_held_pc);
}

Test(lockdep, S4_consistent_order_is_silent)
{
	struct vfy_ld_report r;

	for (unsigned stack = 0; stack < 4; stack++) {
		cr_assert_eq(take(stack, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
		cr_assert_eq(take(stack, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
		cr_assert_eq(take(stack, &lock_c, "C", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
		drop(stack, &lock_c);
		drop(stack, &lock_b);
		drop(stack, &lock_a);
		/* B alone, then C under B: still the same order. */
		cr_assert_eq(take(stack, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
		cr_assert_eq(take(stack, &lock_c, "C", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
		drop(stack, &lock_c);
		drop(stack, &lock_b);
	}
	cr_assert_eq(ld->nr_classes, 3);
	cr_assert_eq(ld->nr_edges, 3, "A->B, A->C, B->C");
}

Test(lockdep, S4_three_lock_cycle_names_the_path)
{
	struct vfy_ld_report r;

	cr_assert_eq(take(0, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(0, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	drop(0, &lock_b);
	drop(0, &lock_a);
	cr_assert_eq(take(1, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(1, &lock_c, "C", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	drop(1, &lock_c);
	drop(1, &lock_b);
	cr_assert_eq(take(2, &lock_c, "C", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(2, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_CYCLE);
	cr_assert_str_eq(r.held->name, "C");
	cr_assert_str_eq(r.acquired->name, "A");
	cr_assert_eq(r.path_len, 2, "A->B->C closes with C->A");
}

Test(lockdep, S4_a_cycle_is_reported_once)
{
	struct vfy_ld_report r;

	cr_assert_eq(take(0, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(0, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	drop(0, &lock_b);
	drop(0, &lock_a);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(take(1, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
		cr_assert_eq(take(1, &lock_a, "A", KE_DISPATCH_LEVEL, &r),
			     i == 0 ? VFY_LD_CYCLE : VFY_LD_OK);
		drop(1, &lock_a);
		drop(1, &lock_b);
	}
}

Test(lockdep, S3_lock_held_at_dirql_and_below_is_an_inversion)
{
	struct vfy_ld_report r;

	/* An ISR takes D at DIRQL 5 ... */
	cr_assert_eq(take(0, &lock_d, "D", 5, &r), VFY_LD_OK);
	drop(0, &lock_d);
	/* ... and a DPC takes D at DISPATCH_LEVEL: the ISR can interrupt the DPC. */
	cr_assert_eq(take(1, &lock_d, "D", KE_DISPATCH_LEVEL, &r), VFY_LD_IRQL_INVERSION);
	cr_assert_str_eq(r.held->name, "D");
	cr_assert_eq(r.irql_low, KE_DISPATCH_LEVEL);
	cr_assert_eq(r.irql_high, 5);
	cr_assert_gt(r.this_acq.n, 0);
	cr_assert_gt(r.other_acq.n, 0);
}

Test(lockdep, S3_one_irql_only_is_silent)
{
	struct vfy_ld_report r;

	/* An interrupt lock: always held at its DIRQL. */
	for (unsigned s = 0; s < 3; s++) {
		cr_assert_eq(take(s, &lock_d, "D", 7, &r), VFY_LD_OK);
		drop(s, &lock_d);
	}
	/* A spin lock taken at PASSIVE (held at DISPATCH) and in a DPC: same level. */
	for (unsigned s = 0; s < 3; s++) {
		cr_assert_eq(take(s, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
		drop(s, &lock_a);
	}
}

Test(lockdep, S4_recursion_on_the_same_lock)
{
	struct vfy_ld_report r;

	cr_assert_eq(take(0, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(0, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_RECURSION);
	cr_assert_str_eq(r.held->name, "A");
	cr_assert_not_null(r.other_held_pc);
}

Test(lockdep, S4_release_not_held_and_out_of_order)
{
	struct vfy_ld_report r;

	cr_assert_eq(vfy_lockdep_release(ld, 0, &lock_a), VFY_LD_NOT_HELD);
	cr_assert_eq(take(0, &lock_a, "A", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(0, &lock_b, "B", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	cr_assert_eq(take(0, &lock_c, "C", KE_DISPATCH_LEVEL, &r), VFY_LD_OK);
	drop(0, &lock_a); /* the oldest first */
	cr_assert_eq(vfy_lockdep_depth(ld, 0), 2);
	cr_assert_eq(vfy_lockdep_held(ld, 0, 0)->lock, &lock_b);
	cr_assert_eq(vfy_lockdep_held(ld, 0, 1)->lock, &lock_c);
	cr_assert_null(vfy_lockdep_held(ld, 0, 2));
	cr_assert_str_eq(vfy_lockdep_class_of(ld, vfy_lockdep_held(ld, 0, 1))->name, "C");
	drop(0, &lock_c);
	drop(0, &lock_b);
	cr_assert_eq(vfy_lockdep_depth(ld, 0), 0);
	cr_assert_eq(vfy_lockdep_release(ld, 0, &lock_b), VFY_LD_NOT_HELD);
}

Test(lockdep, the_class_table_filling_up_is_reported_once)
{
	static int many[VFY_LD_MAX_CLASSES + 2];
	struct vfy_ld_report r;
	int full = 0;

	for (unsigned i = 0; i < VFY_LD_MAX_CLASSES + 2; i++) {
		enum vfy_ld_finding f = take(0, &many[i], "many", KE_DISPATCH_LEVEL, &r);

		if (f == VFY_LD_FULL)
			full++;
		else
			cr_assert_eq(f, VFY_LD_OK);
		/* Past the table's end a lock is not tracked: nothing to release. */
		if (vfy_lockdep_depth(ld, 0) == 1)
			drop(0, &many[i]);
	}
	cr_assert_eq(full, 1);
	cr_assert_eq(ld->nr_classes, VFY_LD_MAX_CLASSES);
}
