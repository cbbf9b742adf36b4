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

/* ------------------------------------------------------------ ntdef.h */

/* Repeatable at file scope (C11 _Static_assert). */
#define C_ASSERT(e) _Static_assert((e), #e)

/* basetsd.h */
#define UlongToPtr(ul) ((PVOID)(ULONG_PTR)(ULONG)(ul))
#define PtrToUlong(p) ((ULONG)(ULONG_PTR)(p))

/* x64 pool and structure alignment (MEMORY_ALLOCATION_ALIGNMENT). */
#define MEMORY_ALLOCATION_ALIGNMENT 16

/* Windows' WCHAR is 16 bits (UTF-16), whatever wchar_t is on the host. */
typedef unsigned short WCHAR, *PWCHAR, *PWSTR;
typedef const WCHAR *PCWSTR;

typedef struct _UNICODE_STRING {
	USHORT Length;	      /* bytes, without a terminator */
	USHORT MaximumLength; /* bytes */
	PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;

typedef UNICODE_STRING NDIS_STRING, *PNDIS_STRING;

typedef struct _GUID {
	ULONG Data1;
	USHORT Data2;
	USHORT Data3;
	UCHAR Data4[8];
} GUID;

/* Opaque to a miniport: only passed through. */
typedef struct _DRIVER_OBJECT *PDRIVER_OBJECT;
typedef struct _DEVICE_OBJECT *PDEVICE_OBJECT;

typedef _Function_class_(DRIVER_INITIALIZE) NTSTATUS(DRIVER_INITIALIZE)(
	_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;

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

/* ------------------------------------------------ interlocked, barrier */

/*
 * Compiler intrinsics in the WDK (any IRQL); full barriers, 32-bit LONG.
 * Increment/Decrement return the new value, the others the old one.
 */
#define InterlockedIncrement(Addend) ((LONG)__atomic_add_fetch((Addend), 1, __ATOMIC_SEQ_CST))
#define InterlockedDecrement(Addend) ((LONG)__atomic_sub_fetch((Addend), 1, __ATOMIC_SEQ_CST))
#define InterlockedExchange(Target, Value)                                                        \
	((LONG)__atomic_exchange_n((Target), (LONG)(Value), __ATOMIC_SEQ_CST))
#define InterlockedExchangeAdd(Addend, Value)                                                     \
	((LONG)__atomic_fetch_add((Addend), (LONG)(Value), __ATOMIC_SEQ_CST))
#define InterlockedOr(Destination, Value)                                                         \
	((LONG)__atomic_fetch_or((Destination), (LONG)(Value), __ATOMIC_SEQ_CST))
#define InterlockedAnd(Destination, Value)                                                        \
	((LONG)__atomic_fetch_and((Destination), (LONG)(Value), __ATOMIC_SEQ_CST))

/* KeMemoryBarrier: a full fence (a FORCEINLINE function in the WDK). */
#define KeMemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)

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

#define INVALID_PROCESSOR_INDEX 0xffffffff
#define ALL_PROCESSOR_GROUPS 0xffff

/*
 * KeGetProcessorIndexFromNumber: any IRQL. Group 0 only; the index of
 * processor n is n (the index space of NdisCurrentProcessorIndex).
 */
_IRQL_requires_max_(HIGH_LEVEL) ULONG
	KeGetProcessorIndexFromNumber(_In_ PPROCESSOR_NUMBER ProcNumber);

/*
 * KeGetCurrentProcessorNumber / NDIS_CURRENT_PROCESSOR_NUMBER: the current
 * processor's number. IRQL >= DISPATCH_LEVEL (below it the caller may move
 * to another processor; spec §24 C-20): bug check 0xC4 otherwise.
 */
_IRQL_requires_min_(DISPATCH_LEVEL) ULONG KeGetCurrentProcessorNumber(VOID);
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

typedef enum _EX_POOL_PRIORITY {
	LowPoolPriority,
	LowPoolPrioritySpecialPoolOverrun = 8,
	LowPoolPrioritySpecialPoolUnderrun = 9,
	NormalPoolPriority = 16,
	NormalPoolPrioritySpecialPoolOverrun = 24,
	NormalPoolPrioritySpecialPoolUnderrun = 25,
	HighPoolPriority = 32,
	HighPoolPrioritySpecialPoolOverrun = 40,
	HighPoolPrioritySpecialPoolUnderrun = 41
} EX_POOL_PRIORITY;

/* <= DISPATCH_LEVEL. Not zeroed; MEMORY_ALLOCATION_ALIGNMENT-aligned. */
_IRQL_requires_max_(DISPATCH_LEVEL) PVOID
	NdisAllocateMemoryWithTagPriority(_In_ NDIS_HANDLE NdisHandle, _In_ UINT Length,
					  _In_ ULONG Tag, _In_ EX_POOL_PRIORITY Priority);

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

/* Macros in the WDK (RtlZeroMemory & co.): any IRQL. */
#define RtlZeroMemory(Destination, Length) ((void)__builtin_memset((Destination), 0, (Length)))
#define RtlCopyMemory(Destination, Source, Length)                                                \
	((void)__builtin_memcpy((Destination), (Source), (Length)))
#define RtlMoveMemory(Destination, Source, Length)                                                \
	((void)__builtin_memmove((Destination), (Source), (Length)))
#define RtlFillMemory(Destination, Length, Fill)                                                  \
	((void)__builtin_memset((Destination), (Fill), (Length)))
#define RtlEqualMemory(Source1, Source2, Length)                                                  \
	(!__builtin_memcmp((Source1), (Source2), (Length)))

#define NdisZeroMemory(Destination, Length) RtlZeroMemory(Destination, Length)
#define NdisMoveMemory(Destination, Source, Length) RtlCopyMemory(Destination, Source, Length)
#define NdisFillMemory(Destination, Length, Fill) RtlFillMemory(Destination, Length, Fill)
#define NdisEqualMemory(Source1, Source2, Length) RtlEqualMemory(Source1, Source2, Length)

/* wdm.h: how urgently a mapping is needed (NdisQueryBufferSafe, MmGetSystemAddressForMdlSafe). */
typedef enum _MM_PAGE_PRIORITY {
	LowPagePriority,
	NormalPagePriority = 16,
	HighPagePriority = 32
} MM_PAGE_PRIORITY;

/* ----------------------------------------------------------------- MDL */

/*
 * wdm.h's memory descriptor list, x64 layout (0x30 bytes). NDIS 6 chains
 * them under NET_BUFFERs; NDIS 5's NDIS_BUFFER is one (<ndis/ndis5.h>).
 */

typedef struct _MDL {
	struct _MDL *Next;
	CSHORT Size;
	CSHORT MdlFlags;
	struct _EPROCESS *Process;
	PVOID MappedSystemVa;
	PVOID StartVa;
	ULONG ByteCount;
	ULONG ByteOffset;
} MDL, *PMDL;

#define MDL_MAPPED_TO_SYSTEM_VA 0x0001
#define MDL_SOURCE_IS_NONPAGED_POOL 0x0004

#define MmGetMdlByteCount(Mdl) ((Mdl)->ByteCount)
#define MmGetMdlByteOffset(Mdl) ((Mdl)->ByteOffset)
#define MmGetMdlVirtualAddress(Mdl) ((PVOID)((PCHAR)((Mdl)->StartVa) + (Mdl)->ByteOffset))
/* Every MDL the runtime builds describes mapped, nonpaged memory. */
#define MmGetSystemAddressForMdlSafe(Mdl, Priority) ((void)(Priority), (Mdl)->MappedSystemVa)

/* ---------------------------------------------------------- spin locks */

typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;

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
