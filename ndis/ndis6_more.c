/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis6_more.c - NDIS 6.0-6.30 support DDIs beyond buffers:
 * NdisSetOptionalHandlers, NDIS_RW_LOCK_EX, NdisMGetDmaAlignment,
 * NdisSetCoalescableTimerObject, strings, OID request clones, and the
 * refusals (SR-IOV, idle notification, direct OIDs) that answer with the
 * documented failure instead of a silent success.
 *
 * Lock key: an RW lock's word is atomic (readers > 0, a writer -1); the
 * rest is the caller's object.
 */
#include "ndis/host_internal.h"
#include "ndis/ndis6.h"

#include <sched.h>
#include <string.h>

/* NDIS_OBJECT_HEADER Type values of the structures NdisSetOptionalHandlers takes. */
#define OBJ_CLIENT_CHIMNEY_GENERIC 0x8E
#define OBJ_PROVIDER_CHIMNEY_GENERIC 0x8F
#define OBJ_CO_MINIPORT 0x91
#define OBJ_MINIPORT_PNP 0x92
#define OBJ_CLIENT_CHIMNEY_TCP 0x93
#define OBJ_PROVIDER_CHIMNEY_TCP 0x94
#define OBJ_CO_CALL_MANAGER_OPTIONAL 0xA5
#define OBJ_SHARED_MEMORY_PROVIDER 0xB0
#define OBJ_NDK_PROVIDER 0xB2
#define OBJ_MINIPORT_SS 0xB4

#define RWLOCK_MAGIC 0x4E44525752574C31ull /* 'NDRWRWL1' */
#define RWLOCK_FREED 0x4E44525752574C30ull
#define CLONE_OID_MAGIC 0x4E44524F49444331ull /* 'NDROIDC1' */

/* The handle a miniport's NDIS 6 allocation DDIs take: driver or adapter. */
static void check_ndis_handle(NDIS_HANDLE h, unsigned ddi, const char *what)
{
	enum ndis_lookup_error err;

	if (host_driver_from_handle(h) || ndis_handle_lookup(h, NDIS_HT_ADAPTER, &err))
		return;
	ndisrt_violation(NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)h, NDIS_HT_ADAPTER, ddi, what);
}

static void check_adapter(NDIS_HANDLE h, unsigned ddi, const char *what)
{
	enum ndis_lookup_error err;

	if (!ndis_handle_lookup(h, NDIS_HT_ADAPTER, &err))
		ndisrt_violation(err == NDIS_LOOKUP_STALE ? NDISRT_VIOLATION_STALE_HANDLE
							  : NDISRT_VIOLATION_BAD_HANDLE,
				 (uintptr_t)h, NDIS_HT_ADAPTER, ddi, what);
}

/* ------------------------------------------------- optional handlers */

/**
 * NdisSetOptionalHandlers() - Register optional miniport services.
 * @NdisHandle: the NdisDriverHandle MiniportSetOptions received.
 * Context: PASSIVE_LEVEL, inside MiniportSetOptions (0xC4 WRONG_CONTEXT
 * otherwise; BAD_HANDLE for another handle; BAD_PARAMETER for NULL).
 * Return: NDIS_STATUS_NOT_SUPPORTED for the structures a miniport may pass
 * (ndisrt provides none of those services); NDIS_STATUS_INVALID_PARAMETER
 * for any other header.
 */
NDIS_STATUS NdisSetOptionalHandlers(NDIS_HANDLE NdisHandle,
				    PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers)
{
	const NDIS_OBJECT_HEADER *hdr = (const NDIS_OBJECT_HEADER *)OptionalHandlers;
	struct ndisrt_driver *d;
	NDIS_STATUS st = NDIS_STATUS_INVALID_PARAMETER;

	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	d = host_driver_from_handle(NdisHandle);
	if (!d)
		ndisrt_violation(NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)NdisHandle, 0,
				 NDIS6_DDI_MISC,
				 "NdisSetOptionalHandlers: NdisHandle is not the NdisDriverHandle "
				 "MiniportSetOptions received");
	if (!atomic_load(&d->in_set_options))
		ndisrt_violation(NDISRT_VIOLATION_WRONG_CONTEXT, (uintptr_t)NdisHandle, 0,
				 NDIS6_DDI_MISC,
				 "NdisSetOptionalHandlers called outside MiniportSetOptions");
	if (!hdr)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)NdisHandle, 0,
				 NDIS6_DDI_MISC,
				 "NdisSetOptionalHandlers: OptionalHandlers is NULL");
	switch (hdr->Type) {
	case OBJ_CO_MINIPORT:
	case OBJ_MINIPORT_PNP:
	case OBJ_MINIPORT_SS:
	case OBJ_NDK_PROVIDER:
	case OBJ_CO_CALL_MANAGER_OPTIONAL:
	case OBJ_SHARED_MEMORY_PROVIDER:
	case OBJ_CLIENT_CHIMNEY_GENERIC:
	case OBJ_CLIENT_CHIMNEY_TCP:
	case OBJ_PROVIDER_CHIMNEY_GENERIC:
	case OBJ_PROVIDER_CHIMNEY_TCP:
		st = hdr->Revision && hdr->Size > sizeof(*hdr) ? NDIS_STATUS_NOT_SUPPORTED
							       : NDIS_STATUS_INVALID_PARAMETER;
		break;
	default:
		break;
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return st;
}

/* --------------------------------------------------- NDIS_RW_LOCK_EX */

struct _NDIS_RW_LOCK_EX {
	uint64_t magic;	   /* RWLOCK_MAGIC, RWLOCK_FREED */
	_Atomic long word; /* (a) readers, or -1: a writer */
};

#define LS_READ 1
#define LS_WRITE 2

/**
 * NdisAllocateRWLock() - A reader/writer lock.
 * Context: IRQL <= DISPATCH_LEVEL; @NdisHandle the driver's or an adapter's
 * (0xC4 BAD_HANDLE).
 * Return: the lock, or NULL (no memory).
 */
PNDIS_RW_LOCK_EX NdisAllocateRWLock(NDIS_HANDLE NdisHandle)
{
	PNDIS_RW_LOCK_EX l;

	ndis_ddi_enter(NDIS6_DDI_RW_LOCK, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	check_ndis_handle(NdisHandle, NDIS6_DDI_RW_LOCK,
			  "NdisAllocateRWLock: NdisHandle is neither the driver handle nor a "
			  "MiniportAdapterHandle");
	l = host_zalloc(sizeof(*l));
	if (l) {
		l->magic = RWLOCK_MAGIC;
		atomic_init(&l->word, 0);
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return l;
}

static void rw_check(PNDIS_RW_LOCK_EX l, const char *what)
{
	if (!l || l->magic != RWLOCK_MAGIC)
		ndisrt_violation(l && l->magic == RWLOCK_FREED ? NDISRT_VIOLATION_DOUBLE_FREE
							       : NDISRT_VIOLATION_BAD_OBJECT,
				 (uintptr_t)l, 0, NDIS6_DDI_RW_LOCK, what);
}

/*
 * Freed locks wait in a ring of the last 64 before their memory goes back
 * to malloc, so a second free of a recent one finds its FREED mark.
 * (S) rw_freed_lock.
 */
static PNDIS_RW_LOCK_EX rw_freed[64];
static unsigned rw_freed_next;
static struct ke_spinlock rw_freed_lock = KE_SPINLOCK_INIT;

static void rw_quarantine(PNDIS_RW_LOCK_EX l)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);
	PNDIS_RW_LOCK_EX evicted;

	ke_spin_acquire_raw(&rw_freed_lock);
	evicted = rw_freed[rw_freed_next];
	rw_freed[rw_freed_next] = l;
	rw_freed_next = (rw_freed_next + 1) % 64;
	ke_spin_release_raw(&rw_freed_lock);
	ke_irql_lower(old);
	host_free(evicted);
}

/**
 * NdisFreeRWLock() - Free a lock nobody holds.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT (not a lock, or held:
 * parameter 3 its state), DOUBLE_FREE.
 */
VOID NdisFreeRWLock(PNDIS_RW_LOCK_EX Lock)
{
	ndis_ddi_enter(NDIS6_DDI_RW_LOCK, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	rw_check(Lock, "NdisFreeRWLock: not a lock NdisAllocateRWLock returned (or freed twice)");
	if (atomic_load(&Lock->word))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Lock,
				 (uintptr_t)atomic_load(&Lock->word), NDIS6_DDI_RW_LOCK,
				 "NdisFreeRWLock on a lock that is held (parameter 3: readers, "
				 "or -1 for a writer)");
	Lock->magic = RWLOCK_FREED;
	rw_quarantine(Lock);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

static void rw_acquire(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, UCHAR Flags, bool write,
		       const char *what)
{
	ke_irql_t cur = ndis_ddi_enter(NDIS6_DDI_RW_LOCK, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	ke_irql_t old;

	rw_check(Lock, what);
	if (!LockState)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Lock, 0,
				 NDIS6_DDI_RW_LOCK,
				 "NdisAcquireRWLock{Read,Write}: LockState is NULL");
	if ((Flags & NDIS_RWL_AT_DISPATCH_LEVEL) && cur != KE_DISPATCH_LEVEL)
		ndisrt_violation(NDISRT_VIOLATION_BAD_FLAGS, (uintptr_t)Lock, cur,
				 NDIS6_DDI_RW_LOCK,
				 "NDIS_RWL_AT_DISPATCH_LEVEL given by a caller below "
				 "DISPATCH_LEVEL (parameter 3: its IRQL)");
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	for (;;) {
		long v = atomic_load_explicit(&Lock->word, memory_order_relaxed);

		if (write ? v == 0 : v >= 0) {
			if (atomic_compare_exchange_weak_explicit(
				&Lock->word, &v, write ? -1 : v + 1, memory_order_acquire,
				memory_order_relaxed))
				break;
			continue;
		}
		ke_yield(); /* held elsewhere: let the holder's vCPU run (2 host cores; sim: its turn) */
	}
	LockState->OldIrql = (KIRQL)old;
	LockState->LockState = write ? LS_WRITE : LS_READ;
	LockState->Flags = Flags;
}

/**
 * NdisAcquireRWLockRead() - Take @Lock shared (recursively allowed), at
 * DISPATCH_LEVEL; @LockState keeps the IRQL to go back to.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT, BAD_FLAGS
 * (NDIS_RWL_AT_DISPATCH_LEVEL below DISPATCH_LEVEL).
 */
VOID NdisAcquireRWLockRead(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, UCHAR Flags)
{
	rw_acquire(Lock, LockState, Flags, false,
		   "NdisAcquireRWLockRead: not a lock NdisAllocateRWLock returned");
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/** NdisAcquireRWLockWrite() - Take @Lock exclusively; as NdisAcquireRWLockRead. */
VOID NdisAcquireRWLockWrite(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, UCHAR Flags)
{
	rw_acquire(Lock, LockState, Flags, true,
		   "NdisAcquireRWLockWrite: not a lock NdisAllocateRWLock returned");
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisReleaseRWLock() - Release what @LockState took; back to its IRQL.
 * Context: DISPATCH_LEVEL (0xC4 IRQL). 0xC4 BAD_OBJECT: @LockState does not
 * hold @Lock (released twice, or never acquired).
 */
VOID NdisReleaseRWLock(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState)
{
	long v;
	KIRQL old;

	ndis_ddi_enter(NDIS6_DDI_RW_LOCK, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	rw_check(Lock, "NdisReleaseRWLock: not a lock NdisAllocateRWLock returned");
	v = LockState ? atomic_load(&Lock->word) : 0;
	if (!LockState || (LockState->LockState == LS_WRITE && v != -1) ||
	    (LockState->LockState == LS_READ && v <= 0) ||
	    (LockState->LockState != LS_READ && LockState->LockState != LS_WRITE))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Lock, (uintptr_t)LockState,
				 NDIS6_DDI_RW_LOCK,
				 "NdisReleaseRWLock: LockState does not hold the lock (released "
				 "twice, or never acquired)");
	if (LockState->LockState == LS_WRITE)
		atomic_store_explicit(&Lock->word, 0, memory_order_release);
	else
		atomic_fetch_sub_explicit(&Lock->word, 1, memory_order_release);
	LockState->LockState = 0;
	old = LockState->OldIrql;
	ke_irql_lower(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* --------------------------------------------------------- the rest */

/**
 * NdisMGetDmaAlignment() - The DMA alignment of the adapter: 64, the cache
 * line (what NdisGetSharedDataAlignment reports).
 * Context: PASSIVE_LEVEL (0xC4 IRQL); 0xC4 BAD_HANDLE for a bad handle.
 */
ULONG NdisMGetDmaAlignment(NDIS_HANDLE MiniportAdapterHandle)
{
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	check_adapter(MiniportAdapterHandle, NDIS6_DDI_MISC,
		      "NdisMGetDmaAlignment: not a MiniportAdapterHandle");
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NdisGetSharedDataAlignment();
}

/**
 * NdisSetCoalescableTimerObject() - NdisSetTimerObject; @Tolerance is
 * honoured trivially (the engine clock fires the timer at @DueTime).
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: TRUE if the timer was set before (as NdisSetTimerObject).
 */
BOOLEAN NdisSetCoalescableTimerObject(NDIS_HANDLE TimerObject, LARGE_INTEGER DueTime,
				      LONG MillisecondsPeriod, PVOID FunctionContext,
				      ULONG Tolerance)
{
	(void)Tolerance;
	return NdisSetTimerObject(TimerObject, DueTime, MillisecondsPeriod, FunctionContext);
}

/* ----------------------------------------------------------- strings */

/**
 * NdisInitializeString() - @Destination: a UTF-16 copy of the
 * NUL-terminated @Source (Latin-1), in memory NdisFreeString frees; an
 * empty string with no buffer when @Source is NULL or memory runs out.
 * Context: PASSIVE_LEVEL.
 */
VOID NdisInitializeString(PNDIS_STRING Destination, PUCHAR Source)
{
	size_t n = 0;
	PVOID buf = NULL;

	ndis_ddi_enter(NDIS6_DDI_STRING, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Destination)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDIS6_DDI_STRING,
				 "NdisInitializeString: Destination is NULL");
	memset(Destination, 0, sizeof(*Destination));
	if (Source) {
		while (Source[n] && n < 0x7FFE)
			n++;
		if (NdisAllocateMemoryWithTag(&buf, (UINT)((n + 1) * sizeof(WCHAR)), 0x4E737472u) ==
		    NDIS_STATUS_SUCCESS) {
			PWSTR w = buf;

			for (size_t i = 0; i < n; i++)
				w[i] = Source[i];
			w[n] = 0;
			Destination->Buffer = w;
			Destination->Length = (USHORT)(n * sizeof(WCHAR));
			Destination->MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* NdisAnsiStringToUnicodeString (macro): the caller's buffer; Latin-1. */
NDIS_STATUS ndis_ansi_string_to_unicode_string(PNDIS_STRING DestinationString,
					       PANSI_STRING SourceString)
{
	USHORT n;

	ndis_ddi_enter(NDIS6_DDI_STRING, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!DestinationString || !SourceString)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDIS6_DDI_STRING,
				 "NdisAnsiStringToUnicodeString: a NULL string");
	n = SourceString->Length;
	if ((size_t)n * sizeof(WCHAR) > DestinationString->MaximumLength)
		return NDIS_STATUS_BUFFER_OVERFLOW;
	for (USHORT i = 0; i < n; i++)
		DestinationString->Buffer[i] = (WCHAR)(UCHAR)SourceString->Buffer[i];
	DestinationString->Length = (USHORT)(n * sizeof(WCHAR));
	if (DestinationString->Length + sizeof(WCHAR) <= DestinationString->MaximumLength)
		DestinationString->Buffer[n] = 0;
	return NDIS_STATUS_SUCCESS;
}

/* NdisUnicodeStringToAnsiString (macro): the caller's buffer; '?' above 0xFF. */
NDIS_STATUS ndis_unicode_string_to_ansi_string(PANSI_STRING DestinationString,
					       PNDIS_STRING SourceString)
{
	USHORT n;

	ndis_ddi_enter(NDIS6_DDI_STRING, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!DestinationString || !SourceString)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDIS6_DDI_STRING,
				 "NdisUnicodeStringToAnsiString: a NULL string");
	n = (USHORT)(SourceString->Length / sizeof(WCHAR));
	if (n > DestinationString->MaximumLength)
		return NDIS_STATUS_BUFFER_OVERFLOW;
	for (USHORT i = 0; i < n; i++) {
		WCHAR c = SourceString->Buffer[i];

		DestinationString->Buffer[i] = (CHAR)(c > 0xFF ? '?' : c);
	}
	DestinationString->Length = n;
	if (n < DestinationString->MaximumLength)
		DestinationString->Buffer[n] = 0;
	return NDIS_STATUS_SUCCESS;
}

/* NdisUpcaseUnicodeString (macro): a-z and the Latin-1 letters; in place allowed. */
NDIS_STATUS ndis_upcase_unicode_string(PUNICODE_STRING DestinationString,
				       PUNICODE_STRING SourceString)
{
	USHORT n;

	ndis_ddi_enter(NDIS6_DDI_STRING, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!DestinationString || !SourceString)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDIS6_DDI_STRING,
				 "NdisUpcaseUnicodeString: a NULL string");
	n = (USHORT)(SourceString->Length / sizeof(WCHAR));
	if (SourceString->Length > DestinationString->MaximumLength)
		return NDIS_STATUS_BUFFER_OVERFLOW;
	for (USHORT i = 0; i < n; i++) {
		WCHAR c = SourceString->Buffer[i];

		if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
			c = (WCHAR)(c - 0x20);
		DestinationString->Buffer[i] = c;
	}
	DestinationString->Length = SourceString->Length;
	return NDIS_STATUS_SUCCESS;
}

/* ------------------------------------------------ OID request clones */

struct clone_oid {
	uint64_t magic; /* CLONE_OID_MAGIC */
	uint64_t pad;
	NDIS_OID_REQUEST req;
};

/**
 * NdisAllocateCloneOidRequest() - A copy of @OidRequest (the same
 * InformationBuffer) for the driver to pass on.
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: NDIS_STATUS_SUCCESS with *@ClonedOidRequest; NDIS_STATUS_RESOURCES.
 */
NDIS_STATUS NdisAllocateCloneOidRequest(NDIS_HANDLE SourceHandle, PNDIS_OID_REQUEST OidRequest,
					UINT PoolTag, PNDIS_OID_REQUEST *ClonedOidRequest)
{
	struct clone_oid *c;
	NDIS_STATUS st = NDIS_STATUS_RESOURCES;

	(void)PoolTag;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!OidRequest || !ClonedOidRequest)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)SourceHandle, 0, NDIS6_DDI_MISC,
		    "NdisAllocateCloneOidRequest: OidRequest or ClonedOidRequest is NULL");
	*ClonedOidRequest = NULL;
	c = host_zalloc(sizeof(*c));
	if (c) {
		c->magic = CLONE_OID_MAGIC;
		c->req = *OidRequest;
		memset(c->req.SourceReserved, 0, sizeof(c->req.SourceReserved));
		c->req.RequestHandle = SourceHandle;
		*ClonedOidRequest = &c->req;
		st = NDIS_STATUS_SUCCESS;
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return st;
}

/**
 * NdisFreeCloneOidRequest() - Free a request NdisAllocateCloneOidRequest made.
 * Context: IRQL <= DISPATCH_LEVEL. 0xC4 BAD_OBJECT otherwise.
 */
VOID NdisFreeCloneOidRequest(NDIS_HANDLE SourceHandle, PNDIS_OID_REQUEST Request)
{
	struct clone_oid *c;

	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	c = Request ? (struct clone_oid *)((char *)Request - offsetof(struct clone_oid, req))
		    : NULL;
	if (!c || c->magic != CLONE_OID_MAGIC)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Request, (uintptr_t)SourceHandle,
		    NDIS6_DDI_MISC,
		    "NdisFreeCloneOidRequest: not a request NdisAllocateCloneOidRequest "
		    "returned (or freed twice)");
	c->magic = 0;
	host_free(c);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ----------------------------------------------------------- refusals */

static void never_started(NDIS_HANDLE h, const char *what)
{
	ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)h, 0, NDIS6_DDI_MISC,
			 what);
}

/**
 * NdisMDirectOidRequestComplete() - ndisrt never calls
 * MiniportDirectOidRequest: bug check 0xC4 UNEXPECTED_COMPLETE.
 */
VOID NdisMDirectOidRequestComplete(NDIS_HANDLE MiniportAdapterHandle, PNDIS_OID_REQUEST OidRequest,
				   NDIS_STATUS Status)
{
	(void)OidRequest;
	(void)Status;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	never_started(MiniportAdapterHandle,
		      "NdisMDirectOidRequestComplete: ndisrt issued no direct OID request "
		      "(it never calls MiniportDirectOidRequest)");
}

/** NdisMIdleNotificationComplete() - 0xC4 UNEXPECTED_COMPLETE (see header). */
VOID NdisMIdleNotificationComplete(NDIS_HANDLE MiniportAdapterHandle)
{
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	never_started(MiniportAdapterHandle, "NdisMIdleNotificationComplete: ndisrt never calls "
					     "MiniportIdleNotification (no selective suspend)");
}

/** NdisMIdleNotificationConfirm() - 0xC4 UNEXPECTED_COMPLETE (see header). */
VOID NdisMIdleNotificationConfirm(NDIS_HANDLE MiniportAdapterHandle,
				  NDIS_DEVICE_POWER_STATE IdlePowerState)
{
	(void)IdlePowerState;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	never_started(MiniportAdapterHandle, "NdisMIdleNotificationConfirm: ndisrt never calls "
					     "MiniportIdleNotification (no selective suspend)");
}

/** NdisMEnableVirtualization() - NDIS_STATUS_NOT_SUPPORTED: no SR-IOV. PASSIVE_LEVEL. */
NDIS_STATUS NdisMEnableVirtualization(NDIS_HANDLE NdisMiniportHandle, USHORT NumVFs,
				      BOOLEAN EnableVFMigration, BOOLEAN EnableMigrationInterrupt,
				      BOOLEAN EnableVirtualization)
{
	(void)NumVFs;
	(void)EnableVFMigration;
	(void)EnableMigrationInterrupt;
	(void)EnableVirtualization;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	check_adapter(NdisMiniportHandle, NDIS6_DDI_MISC,
		      "NdisMEnableVirtualization: not a MiniportAdapterHandle");
	return NDIS_STATUS_NOT_SUPPORTED;
}

/** NdisMGetVirtualFunctionBusData() - 0 bytes: no virtual functions. <= DISPATCH_LEVEL. */
ULONG NdisMGetVirtualFunctionBusData(NDIS_HANDLE NdisMiniportHandle, NDIS_SRIOV_FUNCTION_ID VFId,
				     PVOID Buffer, ULONG Offset, ULONG Length)
{
	(void)VFId;
	(void)Buffer;
	(void)Offset;
	(void)Length;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	check_adapter(NdisMiniportHandle, NDIS6_DDI_MISC,
		      "NdisMGetVirtualFunctionBusData: not a MiniportAdapterHandle");
	return 0;
}

/** NdisMSetVirtualFunctionBusData() - 0 bytes: no virtual functions. <= DISPATCH_LEVEL. */
ULONG NdisMSetVirtualFunctionBusData(NDIS_HANDLE NdisMiniportHandle, NDIS_SRIOV_FUNCTION_ID VFId,
				     PVOID Buffer, ULONG Offset, ULONG Length)
{
	(void)VFId;
	(void)Buffer;
	(void)Offset;
	(void)Length;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	check_adapter(NdisMiniportHandle, NDIS6_DDI_MISC,
		      "NdisMSetVirtualFunctionBusData: not a MiniportAdapterHandle");
	return 0;
}

/** NdisMGetVirtualFunctionLocation() - NDIS_STATUS_NOT_SUPPORTED. PASSIVE_LEVEL. */
NDIS_STATUS NdisMGetVirtualFunctionLocation(NDIS_HANDLE NdisMiniportHandle,
					    NDIS_SRIOV_FUNCTION_ID VFId, PUSHORT SegmentNumber,
					    PUCHAR BusNumber, PUCHAR FunctionNumber)
{
	(void)VFId;
	(void)SegmentNumber;
	(void)BusNumber;
	(void)FunctionNumber;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	check_adapter(NdisMiniportHandle, NDIS6_DDI_MISC,
		      "NdisMGetVirtualFunctionLocation: not a MiniportAdapterHandle");
	return NDIS_STATUS_NOT_SUPPORTED;
}

/** NdisMReadConfigBlock() - NDIS_STATUS_NOT_SUPPORTED: no VF config blocks. <= APC_LEVEL. */
NDIS_STATUS NdisMReadConfigBlock(NDIS_HANDLE NdisMiniportHandle, ULONG BlockId, PVOID Buffer,
				 ULONG Length)
{
	(void)BlockId;
	(void)Buffer;
	(void)Length;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_APC_LEVEL);
	check_adapter(NdisMiniportHandle, NDIS6_DDI_MISC,
		      "NdisMReadConfigBlock: not a MiniportAdapterHandle");
	return NDIS_STATUS_NOT_SUPPORTED;
}

/** NdisMWriteConfigBlock() - NDIS_STATUS_NOT_SUPPORTED. <= APC_LEVEL. */
NDIS_STATUS NdisMWriteConfigBlock(NDIS_HANDLE NdisMiniportHandle, ULONG BlockId, PVOID Buffer,
				  ULONG Length)
{
	(void)BlockId;
	(void)Buffer;
	(void)Length;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_APC_LEVEL);
	check_adapter(NdisMiniportHandle, NDIS6_DDI_MISC,
		      "NdisMWriteConfigBlock: not a MiniportAdapterHandle");
	return NDIS_STATUS_NOT_SUPPORTED;
}

/** NdisMInvalidateConfigBlock() - 0xC4 UNEXPECTED_COMPLETE: there is no block. */
VOID NdisMInvalidateConfigBlock(NDIS_HANDLE NdisMiniportHandle, NDIS_SRIOV_FUNCTION_ID VFId,
				ULONGLONG BlockMask)
{
	(void)VFId;
	(void)BlockMask;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	never_started(NdisMiniportHandle,
		      "NdisMInvalidateConfigBlock: the machine has no virtual functions and no "
		      "VF configuration blocks");
}

/** NdisMQueryProbedBars() - NDIS_STATUS_NOT_SUPPORTED (no SR-IOV PF). PASSIVE_LEVEL. */
NDIS_STATUS NdisMQueryProbedBars(NDIS_HANDLE NdisMiniportHandle, PULONG BaseRegisterValues)
{
	(void)BaseRegisterValues;
	ndis_ddi_enter(NDIS6_DDI_MISC, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	check_adapter(NdisMiniportHandle, NDIS6_DDI_MISC,
		      "NdisMQueryProbedBars: not a MiniportAdapterHandle");
	return NDIS_STATUS_NOT_SUPPORTED;
}
