/* SPDX-License-Identifier: MIT */
/*
 * ke/spinlock.c - spin locks with the IRQL discipline of KeAcquireSpinLock.
 *
 * A lock word holds its owner's identity (vCPU number + 1, or a host-thread
 * id above every vCPU number), so a recursive acquire (a sure deadlock) and a
 * release by a non-owner are reported as bug checks instead of hanging.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"

#include <sched.h>

static atomic_uint next_host_id = KE_MAX_VCPUS + 1;
__thread unsigned ke_tls_lock_id __attribute__((tls_model("initial-exec")));

unsigned ke_lock_id_slow(void)
{
	if (!ke_tls_lock_id)
		ke_tls_lock_id =
		    ke_self ? ke_self->number + 1
			    : atomic_fetch_add_explicit(&next_host_id, 1, memory_order_relaxed);
	return ke_tls_lock_id;
}

/* Lock events are reported for vCPUs only (host threads are not processors). */
static inline void lock_hook(struct ke_spinlock *l, bool acquire)
{
	if (ke_hooks_on() && ke_self)
		ke_hook_lock(ke_self, l, acquire);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

bool ke_spin_try_raw(struct ke_spinlock *l)
{
	unsigned expected = 0;

	if (!atomic_compare_exchange_strong_explicit(&l->owner, &expected, ke_lock_id(),
						     memory_order_acquire, memory_order_relaxed))
		return false;
	lock_hook(l, true);
	return true;
}

void ke_spin_acquire_raw_slow(struct ke_spinlock *l, unsigned me)
{
	unsigned spins = 0;
	bool waited = false;

	/* Here the fast path's compare-and-swap failed, or was skipped because
	 * hooks or preemption points are on. */
	if (atomic_load_explicit(&l->owner, memory_order_relaxed) == me)
		ke_bugcheck(KE_BUGCHECK_SPIN_LOCK_ALREADY_OWNED, (uintptr_t)l, me, 0, KE_CALLER(),
			    "spin lock acquired by the processor that already holds it "
			    "(spin locks are not recursive)");
	for (;;) {
		unsigned expected = 0;

		if (atomic_compare_exchange_weak_explicit(
			&l->owner, &expected, me, memory_order_acquire, memory_order_relaxed))
			break;
		/* Contended: a watchdog times the spin from here (vCPUs only). */
		if (!waited && ke_hooks_on() && ke_self) {
			unsigned owner = atomic_load_explicit(&l->owner, memory_order_relaxed);

			if (owner) {
				waited = true;
				ke_hook_spin_wait(ke_self, l, owner, true);
			}
		}
		/* Test-and-test-and-set: spin on a shared read. */
		while (atomic_load_explicit(&l->owner, memory_order_relaxed) != 0) {
			cpu_relax();
			ke_preempt_point(KE_PP_SPIN);
			/* More vCPUs than host cores: let the holder run. */
			if (++spins % 4096 == 0)
				ke_yield();
		}
	}
	if (waited)
		ke_hook_spin_wait(ke_self, l, 0, false);
	lock_hook(l, true);
}

void ke_spin_release_raw_slow(struct ke_spinlock *l, unsigned me)
{
	unsigned owner = atomic_load_explicit(&l->owner, memory_order_relaxed);

	if (owner != me)
		ke_bugcheck(KE_BUGCHECK_SPIN_LOCK_NOT_OWNED, (uintptr_t)l, owner, me, KE_CALLER(),
			    "spin lock released by a processor that does not hold it");
	lock_hook(l, false);
	atomic_store_explicit(&l->owner, 0, memory_order_release);
}

ke_irql_t ke_spin_acquire(struct ke_spinlock *l)
{
	ke_irql_t cur = ke_irql_current();
	ke_irql_t old;

	if (cur > KE_DISPATCH_LEVEL)
		ke_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, KE_DISPATCH_LEVEL, cur,
			    (uintptr_t)l, KE_CALLER(),
			    "spin lock acquired above DISPATCH_LEVEL (acquiring raises to "
			    "DISPATCH_LEVEL; state shared with an ISR needs "
			    "NdisMSynchronizeWithInterruptEx)");
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	ke_spin_acquire_raw(l);
	return old;
}

void ke_spin_release(struct ke_spinlock *l, ke_irql_t old_irql)
{
	ke_irql_t cur = ke_irql_current();

	if (cur != KE_DISPATCH_LEVEL)
		ke_bugcheck(KE_BUGCHECK_IRQL_NOT_DISPATCH_LEVEL, (uintptr_t)l, cur, old_irql,
			    KE_CALLER(), "spin lock released at an IRQL other than DISPATCH_LEVEL");
	ke_spin_release_raw(l);
	ke_irql_lower(old_irql);
}

void ke_spin_acquire_at_dpc(struct ke_spinlock *l)
{
	ke_irql_t cur = ke_irql_current();

	if (cur != KE_DISPATCH_LEVEL)
		ke_bugcheck(KE_BUGCHECK_IRQL_NOT_DISPATCH_LEVEL, (uintptr_t)l, cur, 0, KE_CALLER(),
			    "KeAcquireSpinLockAtDpcLevel / NdisDprAcquireSpinLock called at an "
			    "IRQL other than DISPATCH_LEVEL");
	ke_spin_acquire_raw(l);
}

void ke_spin_release_at_dpc(struct ke_spinlock *l)
{
	ke_irql_t cur = ke_irql_current();

	if (cur != KE_DISPATCH_LEVEL)
		ke_bugcheck(KE_BUGCHECK_IRQL_NOT_DISPATCH_LEVEL, (uintptr_t)l, cur, 0, KE_CALLER(),
			    "KeReleaseSpinLockFromDpcLevel / NdisDprReleaseSpinLock called at an "
			    "IRQL other than DISPATCH_LEVEL");
	ke_spin_release_raw(l);
}
