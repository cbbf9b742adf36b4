/* SPDX-License-Identifier: MIT */
/*
 * ndis/wdk_more.c - support DDIs both NDIS 5 and NDIS 6 miniports call
 * (<ndis/support.h>): the NDIS reader/writer lock, files, the NDIS
 * version, shared-data alignment, routine lookup, the event log and
 * configuration subkeys.
 *
 * The reader/writer lock keeps its state in the lock's own storage
 * (RefCountEx[0]: readers, or -1 for a writer), so it needs no table and
 * works at any IRQL up to DISPATCH_LEVEL; waiters spin at DISPATCH_LEVEL
 * as on Windows.
 */
#include "ndis/wdk.h"

#include <dlfcn.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

/* ---------------------------------------------------- reader/writer lock */

static _Atomic long *rw_word(PNDIS_RW_LOCK Lock)
{
	_Static_assert(sizeof(Lock->RefCountEx) >= sizeof(_Atomic long), "room for the word");
	return (_Atomic long *)(void *)Lock->RefCountEx;
}

#define RW_INIT_MAGIC ((PVOID)(uintptr_t)0x4E4452574C4Bull) /* 'NDRWLK' in Context */

/* NdisInitializeReadWriteLock() - Any IRQL. */
VOID NdisInitializeReadWriteLock(PNDIS_RW_LOCK Lock)
{
	if (!Lock)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, NDIS_WDK_DDI_RW_LOCK,
				 "NdisInitializeReadWriteLock: Lock is NULL");
	memset(Lock, 0, sizeof(*Lock));
	Lock->Context = RW_INIT_MAGIC;
	atomic_init(rw_word(Lock), 0);
}

static void rw_check(PNDIS_RW_LOCK Lock, PLOCK_STATE LockState, const char *ddi)
{
	if (!Lock || !LockState || Lock->Context != RW_INIT_MAGIC)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Lock, (uintptr_t)LockState,
				 NDIS_WDK_DDI_RW_LOCK, ddi);
}

/* At DISPATCH_LEVEL: take @Lock for read or write, spinning. */
static void rw_take(PNDIS_RW_LOCK Lock, BOOLEAN fWrite, PLOCK_STATE LockState)
{
	_Atomic long *w = rw_word(Lock);

	for (;;) {
		long v = atomic_load_explicit(w, memory_order_relaxed);

		if (fWrite ? v == 0 : v >= 0) {
			if (atomic_compare_exchange_weak_explicit(w, &v, fWrite ? -1 : v + 1,
								  memory_order_acquire,
								  memory_order_relaxed))
				break;
			continue;
		}
		ke_yield(); /* contended: let the holder run (2 host cores) */
	}
	LockState->LockState = fWrite ? 2 : 1;
}

static void rw_drop(PNDIS_RW_LOCK Lock, PLOCK_STATE LockState, const char *ddi)
{
	_Atomic long *w = rw_word(Lock);
	long v = atomic_load(w);

	if ((LockState->LockState == 2 && v != -1) || (LockState->LockState == 1 && v <= 0) ||
	    (LockState->LockState != 1 && LockState->LockState != 2))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Lock, (uintptr_t)LockState,
				 NDIS_WDK_DDI_RW_LOCK, ddi);
	if (LockState->LockState == 2)
		atomic_store_explicit(w, 0, memory_order_release);
	else
		atomic_fetch_sub_explicit(w, 1, memory_order_release);
	LockState->LockState = 0;
}

/**
 * NdisAcquireReadWriteLock() - Take @Lock for write (@fWrite) or read,
 * raising to DISPATCH_LEVEL; @LockState keeps what to release.
 * Context: IRQL <= DISPATCH_LEVEL (0xC4 IRQL). Not initialized: 0xC4 BAD_OBJECT.
 */
VOID NdisAcquireReadWriteLock(PNDIS_RW_LOCK Lock, BOOLEAN fWrite, PLOCK_STATE LockState)
{
	ke_irql_t old = ndis_check_irql(KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL, NDIS_WDK_DDI_RW_LOCK);

	rw_check(Lock, LockState, "NdisAcquireReadWriteLock: the lock was not initialized");
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	rw_take(Lock, fWrite, LockState);
	LockState->OldIrql = (KIRQL)old;
}

/** NdisReleaseReadWriteLock() - Release and return to the IRQL of the acquire. */
VOID NdisReleaseReadWriteLock(PNDIS_RW_LOCK Lock, PLOCK_STATE LockState)
{
	KIRQL old;

	ndis_check_irql(KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL, NDIS_WDK_DDI_RW_LOCK);
	rw_check(Lock, LockState, "NdisReleaseReadWriteLock: the lock was not initialized");
	old = LockState->OldIrql;
	rw_drop(Lock, LockState,
		"NdisReleaseReadWriteLock: LockState does not hold the lock (released twice?)");
	ke_irql_lower(old);
}

/** NdisDprAcquireReadWriteLock() - As NdisAcquireReadWriteLock, at DISPATCH_LEVEL. */
VOID NdisDprAcquireReadWriteLock(PNDIS_RW_LOCK Lock, BOOLEAN fWrite, PLOCK_STATE LockState)
{
	ndis_check_irql(KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL, NDIS_WDK_DDI_RW_LOCK);
	rw_check(Lock, LockState, "NdisDprAcquireReadWriteLock: the lock was not initialized");
	rw_take(Lock, fWrite, LockState);
	LockState->OldIrql = DISPATCH_LEVEL;
}

VOID NdisDprReleaseReadWriteLock(PNDIS_RW_LOCK Lock, PLOCK_STATE LockState)
{
	ndis_check_irql(KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL, NDIS_WDK_DDI_RW_LOCK);
	rw_check(Lock, LockState, "NdisDprReleaseReadWriteLock: the lock was not initialized");
	rw_drop(Lock, LockState,
		"NdisDprReleaseReadWriteLock: LockState does not hold the lock (released twice?)");
}

/* ------------------------------------------------------------------ files */

VOID NdisOpenFile(PNDIS_STATUS Status, PNDIS_HANDLE FileHandle, PUINT FileLength,
		  PNDIS_STRING FileName, NDIS_PHYSICAL_ADDRESS HighestAcceptableAddress)
{
	(void)FileName, (void)HighestAcceptableAddress;
	ndis_ddi_enter(NDIS_WDK_DDI_FILE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Status || !FileHandle || !FileLength)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status,
				 (uintptr_t)FileHandle, NDIS_WDK_DDI_FILE,
				 "NdisOpenFile: an output pointer is NULL");
	*FileHandle = NULL;
	*FileLength = 0;
	*Status = NDIS_STATUS_FILE_NOT_FOUND;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

static _Noreturn void no_file(NDIS_HANDLE h, const char *ddi)
{
	ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)h, 0, NDIS_WDK_DDI_FILE, ddi);
}

VOID NdisCloseFile(NDIS_HANDLE FileHandle)
{
	ndis_ddi_enter(NDIS_WDK_DDI_FILE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	no_file(FileHandle, "NdisCloseFile: not a file NdisOpenFile opened (ndisrt opens none)");
}

VOID NdisMapFile(PNDIS_STATUS Status, PVOID *MappedBuffer, NDIS_HANDLE FileHandle)
{
	(void)Status, (void)MappedBuffer;
	ndis_ddi_enter(NDIS_WDK_DDI_FILE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	no_file(FileHandle, "NdisMapFile: not a file NdisOpenFile opened (ndisrt opens none)");
}

VOID NdisUnmapFile(NDIS_HANDLE FileHandle)
{
	ndis_ddi_enter(NDIS_WDK_DDI_FILE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	no_file(FileHandle, "NdisUnmapFile: not a file NdisOpenFile opened (ndisrt opens none)");
}

/* ------------------------------------------------------------- the rest */

UINT NdisGetVersion(VOID)
{
	return (6u << 16) | 20u;
}

ULONG NdisGetSharedDataAlignment(VOID)
{
	return 64;
}

/**
 * NdisGetRoutineAddress() - The routine of that name the runtime exports to
 * drivers, or NULL (any other name, a name that is not ASCII).
 * Context: PASSIVE_LEVEL (0xC4 IRQL).
 */
PVOID NdisGetRoutineAddress(PNDIS_STRING NdisRoutineName)
{
	char name[128];
	unsigned n;
	void *p;

	ndis_ddi_enter(NDIS_WDK_DDI_FILE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!NdisRoutineName || !NdisRoutineName->Buffer)
		return NULL;
	n = NdisRoutineName->Length / sizeof(WCHAR);
	if (n == 0 || n >= sizeof(name))
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		WCHAR c = NdisRoutineName->Buffer[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return NULL;
		name[i] = (char)c;
	}
	name[n] = 0;
	/* Only the DDI: names the runtime defines for drivers start with these. */
	if (strncmp(name, "Ndis", 4) && strncmp(name, "Ke", 2) && strncmp(name, "Rtl", 3) &&
	    strncmp(name, "Dbg", 3) && strncmp(name, "Interlocked", 11))
		return NULL;
	p = dlsym(RTLD_DEFAULT, name);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return p;
}

static atomic_uint event_log_count;

/**
 * NdisWriteEventLogEntry() - One line on standard error: the event code,
 * the unique value, the number of strings and of data bytes.
 * Context: IRQL <= DISPATCH_LEVEL. Return: NDIS_STATUS_SUCCESS.
 */
NDIS_STATUS NdisWriteEventLogEntry(PVOID LogHandle, NDIS_STATUS EventCode, ULONG UniqueEventValue,
				   USHORT NumStrings, PVOID StringsList, ULONG DataSize, PVOID Data)
{
	char line[160];
	int n;

	(void)StringsList, (void)Data;
	ndis_ddi_enter(NDIS_WDK_DDI_ERROR_LOG, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	atomic_fetch_add(&event_log_count, 1);
	n = snprintf(line, sizeof(line),
		     "ndisrt: event log: driver %p code 0x%08X value 0x%X (%u strings, %u data "
		     "bytes)\n",
		     LogHandle, (unsigned)EventCode, (unsigned)UniqueEventValue,
		     (unsigned)NumStrings, (unsigned)DataSize);
	if (n > 0)
		(void)!write(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

/* Subkeys: the store is one flat key per NIC (ndis/config.c), so none exists. */
VOID NdisOpenConfigurationKeyByIndex(PNDIS_STATUS Status, NDIS_HANDLE ConfigurationHandle,
				     ULONG Index, PNDIS_STRING KeyName, PNDIS_HANDLE KeyHandle)
{
	(void)ConfigurationHandle, (void)Index, (void)KeyName;
	ndis_ddi_enter(NDIS_WDK_DDI_CONFIG, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Status || !KeyHandle)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status,
				 (uintptr_t)KeyHandle, NDIS_WDK_DDI_CONFIG,
				 "NdisOpenConfigurationKeyByIndex: Status or KeyHandle is NULL");
	*KeyHandle = NULL;
	*Status = NDIS_STATUS_FAILURE;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisOpenConfigurationKeyByName(PNDIS_STATUS Status, NDIS_HANDLE ConfigurationHandle,
				    PNDIS_STRING SubKeyName, PNDIS_HANDLE SubKeyHandle)
{
	(void)ConfigurationHandle, (void)SubKeyName;
	ndis_ddi_enter(NDIS_WDK_DDI_CONFIG, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Status || !SubKeyHandle)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status,
				 (uintptr_t)SubKeyHandle, NDIS_WDK_DDI_CONFIG,
				 "NdisOpenConfigurationKeyByName: Status or SubKeyHandle is NULL");
	*SubKeyHandle = NULL;
	*Status = NDIS_STATUS_FAILURE;
	ke_preempt_point(KE_PP_DDI_EXIT);
}
