/* SPDX-License-Identifier: MIT */
/*
 * ndis/lock.c - what NDIS 5 and NDIS 6 miniports share for synchronization
 * and the processor: NDIS spin locks, the IRQL macros' runtime halves,
 * processor queries and NdisStallExecution (spec §15, §21, §23).
 *
 * An NDIS_SPIN_LOCK holds a ke spin lock (so IRQL errors, 0x8 / 0x9, are
 * ke's bug checks, named as Windows names them) plus what the NDIS rules
 * need. Recursion and a release by a processor that does not hold the lock
 * are checked here first and reported as Driver Verifier's deadlock
 * detection reports them: 0xC4 0x1000 (self-deadlock) and 0xC4 0x1007
 * (unacquired resource), parameter 2 the lock. Also: an "allocated" tag
 * (use before NdisAllocateSpinLock or after NdisFreeSpinLock), the IRQL to
 * restore (stored in the lock, as the WDK does: spec §15.1 rule 2) and the
 * flavour of the acquire (NdisAcquireSpinLock vs NdisDprAcquireSpinLock,
 * rule 3). The bug check of every misuse: docs/ndis5.md.
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"
#include "verifier/poison.h"
#include "verifier/vfy.h"

#include <stddef.h>
#include <string.h>
#include <time.h>

#include "ndisrt/host.h"

/* ------------------------------------------------------------ spin locks */

#define SPIN_MAGIC 0x4E53504Cu /* 'NSPL' */

enum { SPIN_FREE = 0, SPIN_BY_ACQUIRE = 1, SPIN_BY_DPR = 2 };

/*
 * The runtime's view of NDIS_SPIN_LOCK's storage. Lock key: (L) the lock
 * itself (its holder), (c) from NdisAllocateSpinLock to NdisFreeSpinLock.
 */
struct ndis_spin {
	struct ke_spinlock kl; /* KSPIN_LOCK's low half */
	uint32_t magic;	       /* (c) KSPIN_LOCK's high half */
	KIRQL old_irql;	       /* (L) OldIrql */
	uint8_t flavour;       /* (L) padding of the WDK structure */
};

_Static_assert(sizeof(struct ndis_spin) <= sizeof(NDIS_SPIN_LOCK), "NDIS_SPIN_LOCK too small");
_Static_assert(offsetof(struct ndis_spin, old_irql) == offsetof(NDIS_SPIN_LOCK, OldIrql),
	       "OldIrql where the WDK has it");
_Static_assert(offsetof(struct ndis_spin, magic) + sizeof(uint32_t) <= sizeof(KSPIN_LOCK),
	       "the tag stays inside KSPIN_LOCK");

/*
 * NDIS spin locks held by each vCPU (a host thread: its own count). Only the
 * vCPU itself and its interrupt handlers touch its count, and handlers leave
 * it as they found it (an ISR cannot take an NDIS spin lock: it runs above
 * DISPATCH_LEVEL). Per vCPU, not per thread: the deterministic engine runs
 * every vCPU on one host thread.
 */
static __thread unsigned spin_held_host;
static unsigned spin_held_vcpu[KE_MAX_VCPUS];

static inline unsigned *held_count(void)
{
	struct ke_vcpu *v = ke_current();

	return v ? &spin_held_vcpu[ke_vcpu_number(v)] : &spin_held_host;
}

#define spin_held (*held_count())

unsigned ndis_spin_held(void)
{
	return spin_held;
}

void ndis_check_spin_balance(unsigned before, uintptr_t handler)
{
	if (__builtin_expect(spin_held != before, 0))
		ndisrt_violation(
		    NDISRT_VIOLATION_SPIN_HELD_AT_RETURN, handler, before, spin_held,
		    "a miniport handler returned holding an NDIS spin lock it acquired "
		    "(SDV rules SpinLock/SpinLockDpr: release before the handler exits; "
		    "parameter 3 = locks held on entry, 4 = on return)");
}

static struct ndis_spin *spin_of(PNDIS_SPIN_LOCK l)
{
	struct ndis_spin *s = (struct ndis_spin *)l;

	ke_preempt_point(KE_PP_DDI_ENTER);
	/* A lock in freed driver memory: never read it (H7, verifier/poison.h). */
	if (__builtin_expect(vfy_active, 0) && vfy_poison_quarantined(l))
		ndisrt_violation(NDISRT_VIOLATION_USE_AFTER_FREE, (uintptr_t)l, 0,
				 NDISRT_DDI_SPIN_LOCK,
				 "an NDIS spin lock in memory the driver already freed "
				 "(NdisFreeMemory) was used");
	if (__builtin_expect(!l || s->magic != SPIN_MAGIC, 0))
		ndisrt_violation(NDISRT_VIOLATION_SPIN_NOT_ALLOCATED, (uintptr_t)l, 0,
				 NDISRT_DDI_SPIN_LOCK,
				 "an NDIS spin lock was used before NdisAllocateSpinLock or after "
				 "NdisFreeSpinLock (spec §15.1 rules 1, 9)");
	return s;
}

/*
 * SDV SpinlockRelease: never release a lock this processor does not hold.
 * Driver Verifier's deadlock detection: 0xC4 0x1007 (UNACQUIRED_RESOURCE).
 */
static void check_owner(struct ndis_spin *s)
{
	unsigned owner = atomic_load_explicit(&s->kl.owner, memory_order_relaxed);

	if (__builtin_expect(owner != ke_lock_id(), 0))
		ndisrt_violation(NDISRT_VIOLATION_SPIN_NOT_HELD, (uintptr_t)s, owner,
				 NDISRT_DDI_SPIN_LOCK,
				 "NDIS spin lock released by a processor that does not hold it "
				 "(SDV rule SpinlockRelease; parameter 3 = the holder's lock id, "
				 "0 if nobody holds it)");
}

/*
 * Spin locks are not recursive: the holder acquiring again would spin for
 * ever. Driver Verifier's deadlock detection: 0xC4 0x1000 (SELF_DEADLOCK).
 * Checked before ke_spin_acquire(), whose own check is 0xF.
 */
static void check_recursion(struct ndis_spin *s)
{
	unsigned owner = atomic_load_explicit(&s->kl.owner, memory_order_relaxed);

	if (__builtin_expect(owner && owner == ke_lock_id(), 0))
		ndisrt_violation(
		    NDISRT_VIOLATION_SPIN_RECURSION, (uintptr_t)s, s->flavour, NDISRT_DDI_SPIN_LOCK,
		    "NDIS spin lock acquired by the processor that already holds it "
		    "(parameter 3 = how the holder acquired it: 1 NdisAcquireSpinLock, "
		    "2 NdisDprAcquireSpinLock)");
}

static void check_flavour(struct ndis_spin *s, uint8_t want)
{
	if (__builtin_expect(s->flavour != want, 0))
		ndisrt_violation(NDISRT_VIOLATION_SPIN_MISMATCH, (uintptr_t)s, s->flavour, want,
				 "NdisReleaseSpinLock pairs with NdisAcquireSpinLock and "
				 "NdisDprReleaseSpinLock with NdisDprAcquireSpinLock (spec §15.1 "
				 "rule 3; parameter 3 = how it was acquired: 1 Acquire, 2 Dpr)");
}

/**
 * NdisAllocateSpinLock() - Initialize caller storage as a free spin lock.
 * Context: any IRQL. Spec: §15.1 rule 1.
 */
VOID NdisAllocateSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct ndis_spin *s = (struct ndis_spin *)SpinLock;

	if (!SpinLock)
		ndisrt_violation(NDISRT_VIOLATION_SPIN_NOT_ALLOCATED, 0, 0, NDISRT_DDI_SPIN_LOCK,
				 "NdisAllocateSpinLock(NULL)");
	memset(SpinLock, 0, sizeof(*SpinLock));
	ke_spin_init(&s->kl);
	s->magic = SPIN_MAGIC;
	vfy_lock_site(SpinLock, __builtin_return_address(0));
}

/**
 * NdisFreeSpinLock() - The storage no longer is a lock.
 * Context: any IRQL; the lock must be allocated (0xC4 SPIN_NOT_ALLOCATED)
 * and not held (0xC4 LOCK_HELD). Spec: §15.1 rule 9.
 */
VOID NdisFreeSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct ndis_spin *s = spin_of(SpinLock);

	if (ke_spin_is_held(&s->kl))
		ndisrt_violation(
		    NDISRT_VIOLATION_LOCK_HELD, (uintptr_t)SpinLock, atomic_load(&s->kl.owner),
		    NDISRT_DDI_SPIN_LOCK,
		    "NdisFreeSpinLock on a lock that is held (freeing is not releasing: "
		    "spec §15.1 rule 9; parameter 3 = the holder's lock id)");
	s->magic = 0;
}

/**
 * NdisAcquireSpinLock() - Raise to DISPATCH_LEVEL, take the lock, store the
 * previous IRQL in it.
 * Context: IRQL <= DISPATCH_LEVEL (bug check 0x9 above). Recursion: 0xC4
 * 0x1000 SPIN_RECURSION.
 * Spec: §15.1 rules 2, 3; §21.
 */
VOID NdisAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct ndis_spin *s = spin_of(SpinLock);
	ke_irql_t old = ke_irql_current();

	/*
	 * Raised before the lock is recorded: a DPC that interrupts us below
	 * DISPATCH_LEVEL must not find it among this vCPU's held locks (a
	 * false inversion). Above DISPATCH_LEVEL ke_spin_acquire() bug-checks.
	 */
	if (old <= KE_DISPATCH_LEVEL) {
		ke_irql_raise(KE_DISPATCH_LEVEL);
		check_recursion(s); /* above DISPATCH_LEVEL, ke's 0x9 comes first */
	}
	/* Checked before spinning, so an inversion is reported even if this one would deadlock. */
	vfy_lock_acquired(SpinLock, "NDIS spin lock", KE_DISPATCH_LEVEL,
			  __builtin_return_address(0));
	(void)ke_spin_acquire(&s->kl);
	s->old_irql = old;
	s->flavour = SPIN_BY_ACQUIRE;
	spin_held++;
}

/**
 * NdisReleaseSpinLock() - Release and restore the IRQL stored in the lock.
 * Context: DISPATCH_LEVEL holding the lock (0xC4 0x1007 SPIN_NOT_HELD if this
 * processor does not hold it, 0x8 if not at DISPATCH_LEVEL - which is how the forbidden
 * Acquire(A), Acquire(B), Release(A), Release(B) pattern of rule 2 ends),
 * taken with NdisAcquireSpinLock (0xC4 SPIN_MISMATCH).
 */
VOID NdisReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct ndis_spin *s = spin_of(SpinLock);
	KIRQL old;

	check_owner(s);
	check_flavour(s, SPIN_BY_ACQUIRE);
	/* Read before releasing: the next owner overwrites it. */
	old = s->old_irql;
	s->flavour = SPIN_FREE;
	spin_held--;
	vfy_lock_releasing(SpinLock);
	ke_spin_release(&s->kl, old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisDprAcquireSpinLock() - Take the lock without changing IRQL.
 * Context: DISPATCH_LEVEL exactly (bug check 0x8 otherwise); recursion is
 * 0xC4 0x1000 SPIN_RECURSION. Spec: §15.1 rule 4.
 */
VOID NdisDprAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct ndis_spin *s = spin_of(SpinLock);

	if (ke_irql_current() == KE_DISPATCH_LEVEL)
		check_recursion(s); /* at another IRQL, ke's 0x8 comes first */
	vfy_lock_acquired(SpinLock, "NDIS spin lock", KE_DISPATCH_LEVEL,
			  __builtin_return_address(0));
	ke_spin_acquire_at_dpc(&s->kl);
	s->flavour = SPIN_BY_DPR;
	spin_held++;
}

/**
 * NdisDprReleaseSpinLock() - Release without changing IRQL.
 * Context: DISPATCH_LEVEL (0x8) holding the lock (0xC4 0x1007), taken with
 * NdisDprAcquireSpinLock (0xC4 SPIN_MISMATCH).
 */
VOID NdisDprReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct ndis_spin *s = spin_of(SpinLock);

	check_owner(s);
	check_flavour(s, SPIN_BY_DPR);
	s->flavour = SPIN_FREE;
	spin_held--;
	vfy_lock_releasing(SpinLock);
	ke_spin_release_at_dpc(&s->kl);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ------------------------------------------------------------ IRQL macros */

/*
 * The IRQLs NDIS_RAISE_IRQL_TO_DISPATCH saved on this thread (a vCPU),
 * innermost last. Interrupt handlers on the thread push and pop in matched
 * pairs, and the depth moves before (push) and after (pop) the slot is
 * touched, so a handler nesting between the two never overwrites a live
 * slot. Raises deeper than the stack are counted but not checked.
 */
#define RAISE_DEPTH 32
static __thread KIRQL raise_stack[RAISE_DEPTH];
static __thread unsigned raise_depth;

/**
 * ndis_raise_irql_to_dispatch() - NDIS_RAISE_IRQL_TO_DISPATCH: store the
 * current IRQL in *@OldIrql and raise to DISPATCH_LEVEL.
 * Context: IRQL <= DISPATCH_LEVEL; above it bug check 0x9 (spec §15.2).
 */
VOID ndis_raise_irql_to_dispatch(PKIRQL OldIrql)
{
	ke_irql_t cur = ke_irql_current();
	unsigned d;

	ke_preempt_point(KE_PP_DDI_ENTER);
	if (cur > KE_DISPATCH_LEVEL)
		ke_bugcheck(KE_BUGCHECK_IRQL_NOT_GREATER_OR_EQUAL, KE_DISPATCH_LEVEL, cur, 0,
			    (uintptr_t)__builtin_return_address(0),
			    "NDIS_RAISE_IRQL_TO_DISPATCH called above DISPATCH_LEVEL (spec §15.2)");
	d = raise_depth++;
	atomic_signal_fence(memory_order_seq_cst);
	if (d < RAISE_DEPTH)
		raise_stack[d] = cur;
	*OldIrql = ke_irql_raise(KE_DISPATCH_LEVEL);
}

/**
 * ndis_lower_irql() - NDIS_LOWER_IRQL: lower to @OldIrql unless it is the
 * current IRQL.
 * Context: any IRQL. @OldIrql must be what the immediately preceding
 * NDIS_RAISE_IRQL_TO_DISPATCH on this processor stored, and @CurIrql the
 * current IRQL: otherwise bug check 0xC4 LOWER_IRQL ("fatal error", spec
 * §15.2).
 */
VOID ndis_lower_irql(KIRQL OldIrql, KIRQL CurIrql)
{
	ke_irql_t cur = ke_irql_current();
	unsigned d = raise_depth;
	unsigned expect = 0x100; /* no raise to match */

	if (d > 0 && d <= RAISE_DEPTH)
		expect = raise_stack[d - 1];
	if (d == 0 || (d <= RAISE_DEPTH && expect != OldIrql) || CurIrql != cur)
		ndisrt_violation(
		    NDISRT_VIOLATION_LOWER_IRQL, OldIrql, expect, cur,
		    "NDIS_LOWER_IRQL: _OldIrql_ is not the value the preceding "
		    "NDIS_RAISE_IRQL_TO_DISPATCH stored, or _CurIrql_ is not the current "
		    "IRQL (spec §15.2; parameter 3 = the saved value, 0x100 if no raise "
		    "is outstanding, 4 = current IRQL)");
	atomic_signal_fence(memory_order_seq_cst);
	raise_depth = d - 1;
	if (OldIrql != cur)
		ke_irql_lower(OldIrql);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ----------------------------------------------------- processor queries */

static unsigned nr_vcpus_here(void)
{
	struct ke_machine *m = ke_current_machine();

	return m ? ke_machine_vcpu_count(m) : 1;
}

/**
 * KeGetCurrentProcessorNumber() - The current vCPU's number; what
 * NDIS_CURRENT_PROCESSOR_NUMBER expands to.
 * Context: IRQL >= DISPATCH_LEVEL on a vCPU (0xC4 IRQL / NOT_ON_VCPU
 * otherwise): below it the answer may be stale at once (spec §24 C-20).
 */
ULONG KeGetCurrentProcessorNumber(VOID)
{
	ndis_require_vcpu(NDISRT_DDI_PROCESSOR);
	ndis_check_irql(KE_DISPATCH_LEVEL, KE_HIGH_LEVEL, NDISRT_DDI_PROCESSOR);
	return ke_current_number();
}

/**
 * NdisSystemProcessorCount() - Number of vCPUs.
 * Context: PASSIVE_LEVEL on a vCPU (0xC4 IRQL otherwise). Spec: §15.3.
 */
CCHAR NdisSystemProcessorCount(VOID)
{
	ndis_require_vcpu(NDISRT_DDI_PROCESSOR);
	ndis_check_irql(KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL, NDISRT_DDI_PROCESSOR);
	return (CCHAR)nr_vcpus_here();
}

static KAFFINITY all_mask(unsigned n)
{
	return n >= 64 ? ~(KAFFINITY)0 : ((KAFFINITY)1 << n) - 1;
}

/** NdisSystemActiveProcessorCount() - Count and mask of vCPUs (group 0). Context: any. */
ULONG NdisSystemActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
	unsigned n = nr_vcpus_here();

	if (ActiveProcessors)
		*ActiveProcessors = all_mask(n);
	return n;
}

/** NdisGroupMaxProcessorCount() - vCPUs in @Group (only group 0 exists). Context: any. */
ULONG NdisGroupMaxProcessorCount(USHORT Group)
{
	return Group == 0 || Group == ALL_PROCESSOR_GROUPS ? nr_vcpus_here() : 0;
}

/** NdisGroupActiveProcessorCount() - Active vCPUs in @Group (all of them). Context: any. */
ULONG NdisGroupActiveProcessorCount(USHORT Group)
{
	return NdisGroupMaxProcessorCount(Group);
}

/* ---------------------------------------------------------------- stall */

#define STALL_MAX_US 50

static uint64_t host_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/**
 * NdisStallExecution() - Busy-wait @MicrosecondsToStall on the engine
 * clock (the host's monotonic clock on a host thread). Each spin is a
 * preemption point (KE_PP_SPIN).
 * Context: any IRQL. More than 50 us is bug check 0xC4 STALL_DELAY (p2 =
 * the microseconds asked, p3 = 50, p4 = NDISRT_DDI_STALL): the SDV rule
 * NdisStallExecution_Delay (spec §23), made a run-time check because a
 * long stall at DIRQL is the latency bug the rule exists for.
 */
VOID NdisStallExecution(ULONG MicrosecondsToStall)
{
	struct ke_machine *m = ke_current_machine();
	uint64_t limit = (uint64_t)MicrosecondsToStall * 1000u, t0;

	ke_preempt_point(KE_PP_DDI_ENTER);
	if (MicrosecondsToStall > STALL_MAX_US)
		ndisrt_violation(NDISRT_VIOLATION_STALL_DELAY, MicrosecondsToStall, STALL_MAX_US,
				 NDISRT_DDI_STALL,
				 "NdisStallExecution for more than 50 microseconds (SDV rule "
				 "NdisStallExecution_Delay; use a timer or NdisMSleep)");
	if (!m) {
		t0 = host_clock_ns();
		while (host_clock_ns() - t0 < limit)
			__builtin_ia32_pause();
	} else {
		t0 = ke_clock_ns(m);
		while (ke_clock_ns(m) - t0 < limit) {
			ke_preempt_point(KE_PP_SPIN);
			__builtin_ia32_pause();
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
}
