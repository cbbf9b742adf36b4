/* SPDX-License-Identifier: MIT */
/*
 * ndis/lists.c - NDIS's locked list helpers (NdisInterlockedInsertHeadList,
 * NdisInterlockedInsertTailList, NdisInterlockedRemoveHeadList), sequenced
 * singly linked lists (NdisInterlockedPush/PopEntrySList,
 * NdisQueryDepthSList) and nonpaged lookaside lists (<ndis/support.h>).
 *
 * SLISTs: the header's Region holds the first entry, HeaderX64.Depth the
 * depth; one process-wide raw ke spin lock, taken at HIGH_LEVEL for a few
 * instructions, makes push and pop atomic at any IRQL. Lookaside lists
 * keep their own raw lock in Future[0] (taken at DISPATCH_LEVEL) and a tag
 * in Future[1], so a list that is not initialized is recognized.
 */
#include "ndis/wdk.h"

#include <string.h>

#define LOOKASIDE_TAG 0x4E444C4Bu /* 'NDLK' */
#define LOOKASIDE_DEPTH 256

/* ------------------------------------------------------- locked lists */

PLIST_ENTRY NdisInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
					  PNDIS_SPIN_LOCK SpinLock)
{
	PLIST_ENTRY first;

	NdisAcquireSpinLock(SpinLock);
	first = IsListEmpty(ListHead) ? NULL : ListHead->Flink;
	InsertHeadList(ListHead, ListEntry);
	NdisReleaseSpinLock(SpinLock);
	return first;
}

PLIST_ENTRY NdisInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
					  PNDIS_SPIN_LOCK SpinLock)
{
	PLIST_ENTRY last;

	NdisAcquireSpinLock(SpinLock);
	last = IsListEmpty(ListHead) ? NULL : ListHead->Blink;
	InsertTailList(ListHead, ListEntry);
	NdisReleaseSpinLock(SpinLock);
	return last;
}

PLIST_ENTRY NdisInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PNDIS_SPIN_LOCK SpinLock)
{
	PLIST_ENTRY e = NULL;

	NdisAcquireSpinLock(SpinLock);
	if (!IsListEmpty(ListHead))
		e = RemoveHeadList(ListHead);
	NdisReleaseSpinLock(SpinLock);
	return e;
}

/* ------------------------------------------------------------ SLISTs */

static struct ke_spinlock slist_lock = KE_SPINLOCK_INIT;

static ke_irql_t slist_take(void)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&slist_lock);
	return old;
}

static void slist_drop(ke_irql_t old)
{
	ke_spin_release_raw(&slist_lock);
	ke_irql_lower(old);
}

VOID NdisInitializeSListHead(PSLIST_HEADER SListHead)
{
	memset(SListHead, 0, sizeof(*SListHead));
}

PSINGLE_LIST_ENTRY NdisInterlockedPushEntrySList(PSLIST_HEADER SListHead,
						 PSINGLE_LIST_ENTRY SListEntry,
						 PKSPIN_LOCK SpinLock)
{
	PSINGLE_LIST_ENTRY first;
	ke_irql_t old;

	(void)SpinLock;
	old = slist_take();
	first = (PSINGLE_LIST_ENTRY)(uintptr_t)SListHead->Region;
	SListEntry->Next = first;
	SListHead->Region = (ULONGLONG)(uintptr_t)SListEntry;
	SListHead->HeaderX64.Depth++;
	slist_drop(old);
	return first;
}

PSINGLE_LIST_ENTRY NdisInterlockedPopEntrySList(PSLIST_HEADER SListHead, PKSPIN_LOCK SpinLock)
{
	PSINGLE_LIST_ENTRY first;
	ke_irql_t old;

	(void)SpinLock;
	old = slist_take();
	first = (PSINGLE_LIST_ENTRY)(uintptr_t)SListHead->Region;
	if (first) {
		SListHead->Region = (ULONGLONG)(uintptr_t)first->Next;
		SListHead->HeaderX64.Depth--;
	}
	slist_drop(old);
	return first;
}

USHORT NdisQueryDepthSList(PSLIST_HEADER SListHead)
{
	return (USHORT)SListHead->HeaderX64.Depth;
}

/* -------------------------------------------------------- lookasides */

static struct ke_spinlock *lookaside_lock(PNPAGED_LOOKASIDE_LIST l)
{
	return (struct ke_spinlock *)(void *)&l->L.Future[0];
}

_Static_assert(sizeof(struct ke_spinlock) <= sizeof(ULONG), "lock fits in Future[0]");

static void lookaside_check(PNPAGED_LOOKASIDE_LIST l, const char *what)
{
	if (!l || l->L.Future[1] != LOOKASIDE_TAG)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)l, 0,
				 NDIS_WDK_DDI_LOOKASIDE, what);
}

/* NdisInitializeNPagedLookasideList() - IRQL <= DISPATCH_LEVEL. */
VOID NdisInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
				       PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
				       ULONG Flags, ULONG Size, ULONG Tag, USHORT Depth)
{
	ndis_ddi_enter(NDIS_WDK_DDI_LOOKASIDE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	(void)Flags;
	(void)Depth; /* reserved: the system chooses */
	memset(Lookaside, 0, sizeof(*Lookaside));
	Lookaside->L.MaximumDepth = LOOKASIDE_DEPTH;
	Lookaside->L.Type = NonPagedPool;
	Lookaside->L.Tag = Tag;
	Lookaside->L.Size = Size < sizeof(SINGLE_LIST_ENTRY) ? sizeof(SINGLE_LIST_ENTRY) : Size;
	Lookaside->L.Allocate = Allocate;
	Lookaside->L.Free = Free;
	InitializeListHead(&Lookaside->L.ListEntry);
	ke_spin_init(lookaside_lock(Lookaside));
	Lookaside->L.Future[1] = LOOKASIDE_TAG;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

static void entry_free(PNPAGED_LOOKASIDE_LIST l, void *e)
{
	if (l->L.Free)
		l->L.Free(e);
	else
		ndis_free(e);
}

/* NdisAllocateFromNPagedLookasideList() - IRQL <= DISPATCH_LEVEL. NULL if no memory. */
PVOID NdisAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
	PSINGLE_LIST_ENTRY e;
	ke_irql_t old;

	old = ndis_ddi_enter(NDIS_WDK_DDI_LOOKASIDE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	lookaside_check(Lookaside, "NdisAllocateFromNPagedLookasideList: not an initialized "
				   "lookaside list (or deleted)");
	if (old < KE_DISPATCH_LEVEL)
		ke_irql_raise(KE_DISPATCH_LEVEL);
	ke_spin_acquire_raw(lookaside_lock(Lookaside));
	e = PopEntryList(&Lookaside->L.SingleListHead);
	Lookaside->L.TotalAllocates++;
	if (e)
		Lookaside->L.Depth--;
	else
		Lookaside->L.AllocateMisses++;
	ke_spin_release_raw(lookaside_lock(Lookaside));
	if (!e)
		e = Lookaside->L.Allocate
			? Lookaside->L.Allocate(NonPagedPool, Lookaside->L.Size, Lookaside->L.Tag)
			: ndis_zalloc(Lookaside->L.Size);
	if (old < KE_DISPATCH_LEVEL)
		ke_irql_lower(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return e;
}

/* NdisFreeToNPagedLookasideList() - IRQL <= DISPATCH_LEVEL. */
VOID NdisFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
	bool keep;
	ke_irql_t old;

	old = ndis_ddi_enter(NDIS_WDK_DDI_LOOKASIDE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	lookaside_check(Lookaside, "NdisFreeToNPagedLookasideList: not an initialized lookaside "
				   "list (or deleted)");
	if (old < KE_DISPATCH_LEVEL)
		ke_irql_raise(KE_DISPATCH_LEVEL);
	ke_spin_acquire_raw(lookaside_lock(Lookaside));
	Lookaside->L.TotalFrees++;
	keep = Lookaside->L.Depth < Lookaside->L.MaximumDepth;
	if (keep) {
		PushEntryList(&Lookaside->L.SingleListHead, (PSINGLE_LIST_ENTRY)Entry);
		Lookaside->L.Depth++;
	} else {
		Lookaside->L.FreeMisses++;
	}
	ke_spin_release_raw(lookaside_lock(Lookaside));
	if (!keep)
		entry_free(Lookaside, Entry);
	if (old < KE_DISPATCH_LEVEL)
		ke_irql_lower(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* NdisDeleteNPagedLookasideList() - IRQL <= DISPATCH_LEVEL: frees the kept entries. */
VOID NdisDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
	PSINGLE_LIST_ENTRY e;

	ndis_ddi_enter(NDIS_WDK_DDI_LOOKASIDE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	lookaside_check(Lookaside, "NdisDeleteNPagedLookasideList: not an initialized lookaside "
				   "list (deleted twice?)");
	Lookaside->L.Future[1] = 0;
	while ((e = PopEntryList(&Lookaside->L.SingleListHead)) != NULL)
		entry_free(Lookaside, e);
	Lookaside->L.Depth = 0;
	ke_preempt_point(KE_PP_DDI_EXIT);
}
