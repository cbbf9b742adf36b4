/*
 * ndis/base.h - WDK base declarations beyond those at the top of <ndis.h>:
 * ntdef/basetsd helpers, strings, the driver object, status codes,
 * interlocked operations, memory, spin locks, the IRQL macros, processor
 * queries and NdisStallExecution. Everything here is shared by NDIS 5 and
 * NDIS 6 miniports (docs/ndis5.md).
 *
 * Part of <ndis.h>; never included on its own. Source-compatible with the
 * WDK for everything declared (names, types, values, parameter order);
 * x64 conventions of <ndis.h> (ULONG 32 bits, pointers 64).
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/base.h>"
#endif
#ifndef _NDISRT_NDIS_BASE_H_
#define _NDISRT_NDIS_BASE_H_

/* NDIS_STRING: a counted UTF-16 string. */
typedef UNICODE_STRING NDIS_STRING, *PNDIS_STRING;

/*
 * NDIS_STRING_CONST("Name"): an NDIS_STRING initializer from a literal
 * (NdisReadConfiguration keywords). Needs -fshort-wchar, as L"..." must
 * be 16-bit (pkg-config --cflags ndisrt).
 */
#define NDIS_STRING_CONST(x)                                                                \
	{                                                                                   \
		(USHORT)(sizeof(L##x) - sizeof(WCHAR)), (USHORT)sizeof(L##x), (PWSTR)(L##x) \
	}

/* ------------------------------------------------------- status codes */

/* (Codes <ndis.h> already defines are not repeated.) */
#define NDIS_STATUS_LINK_STATE ((NDIS_STATUS)0x40010017L)
#define NDIS_STATUS_BAD_CHARACTERISTICS ((NDIS_STATUS)0xC0010005L)
#define NDIS_STATUS_ADAPTER_NOT_FOUND ((NDIS_STATUS)0xC0010006L)
#define NDIS_STATUS_MULTICAST_FULL ((NDIS_STATUS)0xC0010009L)
#define NDIS_STATUS_INVALID_LENGTH ((NDIS_STATUS)0xC0010014L)
#define NDIS_STATUS_BUFFER_TOO_SHORT ((NDIS_STATUS)0xC0010016L)
#define NDIS_STATUS_INVALID_OID ((NDIS_STATUS)0xC0010017L)
#define NDIS_STATUS_PAUSED ((NDIS_STATUS)0xC023002AL)
#define NDIS_STATUS_NOT_ACCEPTED ((NDIS_STATUS)0x00010003L)
#define NDIS_STATUS_MEDIA_CONNECT ((NDIS_STATUS)0x4001000BL)
#define NDIS_STATUS_MEDIA_DISCONNECT ((NDIS_STATUS)0x4001000CL)
#define NDIS_STATUS_UNSUPPORTED_MEDIA ((NDIS_STATUS)0xC0010019L)

/* Further status codes (returned, or indicated with NdisM[Indicate]Status[Ex]). */
#define NDIS_STATUS_ALREADY_MAPPED ((NDIS_STATUS)0xC001001DL)
#define NDIS_STATUS_CLOSING ((NDIS_STATUS)0xC0010002L)
#define NDIS_STATUS_CLOSING_INDICATING ((NDIS_STATUS)0xC001000EL)
#define NDIS_STATUS_INVALID_PACKET \
	((NDIS_STATUS)0xC001000FL) /* NDIS 5 send/receive: a malformed packet */
#define NDIS_STATUS_ERROR_READING_FILE ((NDIS_STATUS)0xC001001CL)
#define NDIS_STATUS_FILE_NOT_FOUND ((NDIS_STATUS)0xC001001BL)
#define NDIS_STATUS_HARD_ERRORS ((NDIS_STATUS)0x80010004L)
#define NDIS_STATUS_HD_SPLIT_CURRENT_CONFIG ((NDIS_STATUS)0x4002000CL)
#define NDIS_STATUS_LINK_SPEED_CHANGE ((NDIS_STATUS)0x40010013L)
#define NDIS_STATUS_MEDIA_BUSY ((NDIS_STATUS)0x40010011L)
#define NDIS_STATUS_MEDIA_SPECIFIC_INDICATION ((NDIS_STATUS)0x40010012L)
#define NDIS_STATUS_WW_INDICATION NDIS_STATUS_MEDIA_SPECIFIC_INDICATION
#define NDIS_STATUS_TAPI_INDICATION ((NDIS_STATUS)0x40010080L)
#define NDIS_STATUS_BUFFER_OVERFLOW ((NDIS_STATUS)0x80000005L)
#define NDIS_STATUS_NETWORK_CHANGE ((NDIS_STATUS)0x40010018L)
#define NDIS_STATUS_NOT_RECOGNIZED ((NDIS_STATUS)0x00010001L)
#define NDIS_STATUS_OFFLOAD_ENCASPULATION_CHANGE ((NDIS_STATUS)0x40020008L)
#define NDIS_STATUS_OFFLOAD_RESUME ((NDIS_STATUS)0x40020003L)
#define NDIS_STATUS_OPER_STATUS ((NDIS_STATUS)0x40010023L)
#define NDIS_STATUS_PACKET_FILTER ((NDIS_STATUS)0x40010024L)
#define NDIS_STATUS_PM_CAPABILITIES_CHANGE ((NDIS_STATUS)0x40030053L)
#define NDIS_STATUS_PM_OFFLOAD_REJECTED ((NDIS_STATUS)0x40030052L)
#define NDIS_STATUS_PM_WOL_PATTERN_REJECTED ((NDIS_STATUS)0x40030051L)
#define NDIS_STATUS_PORT_STATE ((NDIS_STATUS)0x40010022L)
#define NDIS_STATUS_RECEIVE_QUEUE_STATE ((NDIS_STATUS)0x4002000DL)
#define NDIS_STATUS_REQUEST_ABORTED ((NDIS_STATUS)0xC001000CL)
#define NDIS_STATUS_RESET_END ((NDIS_STATUS)0x40010005L)
#define NDIS_STATUS_RESET_IN_PROGRESS ((NDIS_STATUS)0xC001000DL)
#define NDIS_STATUS_RESET_START ((NDIS_STATUS)0x40010004L)
#define NDIS_STATUS_RING_STATUS ((NDIS_STATUS)0x40010006L)
#define NDIS_STATUS_SOFT_ERRORS ((NDIS_STATUS)0x80010003L)
#define NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG ((NDIS_STATUS)0x40020006L)
#define NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES ((NDIS_STATUS)0x40020007L)
#define NDIS_STATUS_TCP_CONNECTION_OFFLOAD_HARDWARE_CAPABILITIES ((NDIS_STATUS)0x4002000BL)

/* ---------------------------------------------------------------- IRQL */

/* Any IRQL (KeGetCurrentIrql). */
#define NDIS_CURRENT_IRQL() KeGetCurrentIrql()

/*
 * NDIS_RAISE_IRQL_TO_DISPATCH and NDIS_LOWER_IRQL are macros in the WDK;
 * these are their runtime halves, which check the rules of spec §15.2:
 * raising above DISPATCH_LEVEL is bug check 0x9; lowering with a value the
 * immediately preceding raise of this processor did not store, with no
 * raise outstanding, or with a _CurIrql_ that is not the current IRQL is
 * bug check 0xC4 (docs/ndis5.md).
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID ndis_raise_irql_to_dispatch(_Out_ PKIRQL OldIrql);
VOID ndis_lower_irql(_In_ KIRQL OldIrql, _In_ KIRQL CurIrql);

#define NDIS_RAISE_IRQL_TO_DISPATCH(_pIrql_) ndis_raise_irql_to_dispatch(_pIrql_)
#define NDIS_LOWER_IRQL(_OldIrql_, _CurIrql_) ndis_lower_irql((_OldIrql_), (_CurIrql_))

/* ---------------------------------------------------------- processors */

#define NDIS_CURRENT_PROCESSOR_NUMBER KeGetCurrentProcessorNumber()

/* NdisSystemProcessorCount: PASSIVE_LEVEL (bug check 0xC4 otherwise). */
_IRQL_requires_(PASSIVE_LEVEL) CCHAR NdisSystemProcessorCount(VOID);

/*
 * Any IRQL; group 0 only. On a host thread (no machine) they report one
 * processor.
 */
ULONG NdisSystemActiveProcessorCount(_Out_opt_ PKAFFINITY ActiveProcessors);
ULONG NdisGroupMaxProcessorCount(_In_ USHORT Group);
ULONG NdisGroupActiveProcessorCount(_In_ USHORT Group);

/*
 * NdisStallExecution: busy-waits on the engine clock, any IRQL. More than
 * 50 us is bug check 0xC4 (the SDV rule NdisStallExecution_Delay).
 */
_IRQL_requires_max_(HIGH_LEVEL) VOID NdisStallExecution(_In_ ULONG MicrosecondsToStall);

/* -------------------------------------------------------------- memory */

/* <= DISPATCH_LEVEL. Not zeroed; MEMORY_ALLOCATION_ALIGNMENT-aligned. */
_IRQL_requires_max_(DISPATCH_LEVEL) PVOID
    NdisAllocateMemoryWithTagPriority(_In_ NDIS_HANDLE NdisHandle, _In_ UINT Length, _In_ ULONG Tag,
				      _In_ EX_POOL_PRIORITY Priority);

/*
 * NdisAllocateMemoryWithTag: the NDIS 5 form, charged to no adapter.
 * <= DISPATCH_LEVEL. Not zeroed. Return: NDIS_STATUS_SUCCESS, or
 * NDIS_STATUS_FAILURE with *VirtualAddress NULL.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisAllocateMemoryWithTag(_Out_ PVOID *VirtualAddress, _In_ UINT Length, _In_ ULONG Tag);

/* <= DISPATCH_LEVEL. Length may be 0 for tagged memory; MemoryFlags 0. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeMemory(_In_ PVOID VirtualAddress, _In_ UINT Length, _In_ UINT MemoryFlags);

#if NDIS_SUPPORT_NDIS620
/* <= DISPATCH_LEVEL. The tag (and handle) the memory was allocated with. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeMemoryWithTag(_In_ PVOID VirtualAddress, _In_ ULONG Tag);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeMemoryWithTagPriority(_In_ NDIS_HANDLE NdisHandle, _In_ PVOID VirtualAddress,
				  _In_ ULONG Tag);
#endif

#define NdisZeroMemory(Destination, Length) RtlZeroMemory(Destination, Length)
#define NdisMoveMemory(Destination, Source, Length) RtlCopyMemory(Destination, Source, Length)
#define NdisFillMemory(Destination, Length, Fill) RtlFillMemory(Destination, Length, Fill)
#define NdisEqualMemory(Source1, Source2, Length) RtlEqualMemory(Source1, Source2, Length)

/* ---------------------------------------------------------- spin locks */

/*
 * Caller storage, resident; opaque (the runtime keeps a ke spin lock and an
 * "allocated" tag in SpinLock). The rules of spec §15.1 are checked: see
 * docs/ndis5.md for the bug check of each misuse.
 */
typedef struct _NDIS_SPIN_LOCK {
	KSPIN_LOCK SpinLock;
	KIRQL OldIrql;
} NDIS_SPIN_LOCK, *PNDIS_SPIN_LOCK;

/* Any IRQL. Before any other use of the lock. */
VOID NdisAllocateSpinLock(_Out_ PNDIS_SPIN_LOCK SpinLock);
/* Any IRQL; the lock must be allocated and not held. */
VOID NdisFreeSpinLock(_In_ PNDIS_SPIN_LOCK SpinLock);
/* <= DISPATCH_LEVEL: raises to DISPATCH_LEVEL, saves the old IRQL in the lock. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisAcquireSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);
/* DISPATCH_LEVEL, holding the lock: restores the IRQL saved by the acquire. */
_IRQL_requires_(DISPATCH_LEVEL) VOID NdisReleaseSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);
/* DISPATCH_LEVEL exactly; the IRQL does not change. */
_IRQL_requires_(DISPATCH_LEVEL) VOID NdisDprAcquireSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_(DISPATCH_LEVEL) VOID NdisDprReleaseSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);

#endif /* _NDISRT_NDIS_BASE_H_ */
