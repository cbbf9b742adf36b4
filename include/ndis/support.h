/*
 * ndis/support.h - the support DDIs NDIS 5 and NDIS 6 miniports share:
 * configuration (the registry parameters of the adapter), time and delays,
 * events, timers (NDIS 5 miniport timers, NDIS 6 timer objects), work items
 * (NDIS 5 and NDIS 6 I/O work items), raw kernel DPCs, debug output, bug
 * checks and the error log.
 *
 * Part of <ndis.h>; never included on its own. Each declaration says the
 * IRQL it needs and what happens otherwise; docs/ddi/README.md says where
 * they are implemented (ndis/config.c, misc.c, event.c, timer.c, workitem.c).
 * Layouts are the x64 WDK's (tests/ndis/test_layout_wdk.c).
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/support.h>"
#endif
#ifndef _NDISRT_NDIS_SUPPORT_H_
#define _NDISRT_NDIS_SUPPORT_H_

/* ------------------------------------------------ kernel objects (wdm.h) */

/* The header every dispatcher object starts with (x64: 24 bytes). */
typedef struct _DISPATCHER_HEADER {
	LONG Lock; /* Type, Signalling, Size, Reserved1 as one word */
	LONG SignalState;
	LIST_ENTRY WaitListHead;
} DISPATCHER_HEADER, *PDISPATCHER_HEADER;

typedef struct _KEVENT {
	DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT, *PRKEVENT;

typedef struct _KDPC KDPC, *PKDPC, *PRKDPC;

typedef _Function_class_(KDEFERRED_ROUTINE) _IRQL_requires_(DISPATCH_LEVEL) VOID
    KDEFERRED_ROUTINE(_In_ struct _KDPC *Dpc, _In_opt_ PVOID DeferredContext,
		      _In_opt_ PVOID SystemArgument1, _In_opt_ PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

/* A kernel DPC object (x64: 64 bytes). ndisrt keeps its own state elsewhere. */
struct _KDPC {
	union {
		ULONG TargetInfoAsUlong;
		struct {
			UCHAR Type;
			UCHAR Importance;
			volatile USHORT Number;
		};
	};
	SINGLE_LIST_ENTRY DpcListEntry;
	KAFFINITY ProcessorHistory;
	PKDEFERRED_ROUTINE DeferredRoutine;
	PVOID DeferredContext;
	PVOID SystemArgument1;
	PVOID SystemArgument2;
	PVOID DpcData;
};

typedef enum _KDPC_IMPORTANCE {
	LowImportance,
	MediumImportance,
	HighImportance,
	MediumHighImportance
} KDPC_IMPORTANCE;

/* A kernel timer (x64: 64 bytes); storage only in ndisrt. */
typedef struct _KTIMER {
	DISPATCHER_HEADER Header;
	ULARGE_INTEGER DueTime;
	LIST_ENTRY TimerListEntry;
	struct _KDPC *Dpc;
	ULONG Processor;
	ULONG Period;
} KTIMER, *PKTIMER, *PRKTIMER;

/*
 * KeInitializeDpc: any IRQL. KeInsertQueueDpc: any IRQL; FALSE if the DPC
 * was already queued. KeRemoveQueueDpc: any IRQL; TRUE if it was queued.
 * The routine runs at DISPATCH_LEVEL on the target processor (the one that
 * queued it unless KeSetTargetProcessorDpc[Ex] chose one). ndisrt tracks up
 * to 4096 KDPCs at a time: initializing one more is bug check 0xC4.
 */
VOID KeInitializeDpc(_Out_ PRKDPC Dpc, _In_ PKDEFERRED_ROUTINE DeferredRoutine,
		     _In_opt_ PVOID DeferredContext);
BOOLEAN KeInsertQueueDpc(_Inout_ PRKDPC Dpc, _In_opt_ PVOID SystemArgument1,
			 _In_opt_ PVOID SystemArgument2);
BOOLEAN KeRemoveQueueDpc(_Inout_ PRKDPC Dpc);
VOID KeSetImportanceDpc(_Inout_ PRKDPC Dpc, _In_ KDPC_IMPORTANCE Importance);
VOID KeSetTargetProcessorDpc(_Inout_ PRKDPC Dpc, _In_ CCHAR Number);
/* STATUS_INVALID_PARAMETER for a group other than 0 or a missing processor. */
NTSTATUS KeSetTargetProcessorDpcEx(_Inout_ PKDPC Dpc, _In_ PPROCESSOR_NUMBER ProcNumber);
/* PASSIVE_LEVEL: returns when every DPC queued before the call has run. */
_IRQL_requires_max_(PASSIVE_LEVEL) VOID KeFlushQueuedDpcs(VOID);

/* ------------------------------------------------------ debug, bug check */

/* Any IRQL. Written to standard error, prefixed with the vCPU. */
ULONG DbgPrint(_In_z_ _Printf_format_string_ PCSTR Format, ...)
    __attribute__((format(printf, 1, 2)));
ULONG DbgPrintEx(_In_ ULONG ComponentId, _In_ ULONG Level,
		 _In_z_ _Printf_format_string_ PCSTR Format, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * DbgBreakPoint: with no kernel debugger attached, a breakpoint in kernel
 * mode is an unhandled exception: bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED
 * with P1 = 0x80000003 (STATUS_BREAKPOINT).
 */
VOID DbgBreakPoint(VOID);
/* Any IRQL: stops the machine with the driver's code and parameters. */
DECLSPEC_NORETURN VOID KeBugCheckEx(_In_ ULONG BugCheckCode, _In_ ULONG_PTR BugCheckParameter1,
				    _In_ ULONG_PTR BugCheckParameter2,
				    _In_ ULONG_PTR BugCheckParameter3,
				    _In_ ULONG_PTR BugCheckParameter4);

#define DPFLTR_IHVNETWORK_ID 0x5A
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3

/* -------------------------------------------------------- time, delays */

/* Any IRQL: 100 ns units since 1601-01-01 (ndisrt's clock starts 2026-01-01). */
VOID NdisGetCurrentSystemTime(_Out_ PLARGE_INTEGER pSystemTime);
/* Any IRQL: milliseconds since the machine started. */
VOID NdisGetSystemUpTime(_Out_ PULONG pSystemUpTime);
ULONG NdisGetSystemUpTimeEx(_Out_ PLARGE_INTEGER pSystemUpTime);
/*
 * NdisMSleep: IRQL < DISPATCH_LEVEL (bug check 0xC4 otherwise). The caller
 * sleeps at least MicrosecondsToSleep on the engine clock; its vCPU still
 * takes interrupts and DPCs meanwhile.
 */
_IRQL_requires_max_(APC_LEVEL) VOID NdisMSleep(_In_ ULONG MicrosecondsToSleep);

/* ------------------------------------------------------- interlocked */

/* Any IRQL. The spin lock is not taken: the operation is one atomic. */
#define NdisInterlockedIncrement(Addend) InterlockedIncrement(Addend)
#define NdisInterlockedDecrement(Addend) InterlockedDecrement(Addend)
#define NdisInterlockedExchange(Target, Value) InterlockedExchange((Target), (Value))
#define NdisInterlockedExchangePointer(Target, Value) InterlockedExchangePointer((Target), (Value))
#define NdisInterlockedCompareExchange(Destination, ExChange, Comperand) \
	InterlockedCompareExchange((Destination), (ExChange), (Comperand))
/* Return: the value before the addition (ExInterlockedAddUlong). */
#define NdisInterlockedAddUlong(Addend, Increment, SpinLock) \
	((void)(SpinLock),                                   \
	 (ULONG)InterlockedExchangeAdd((LONG volatile *)(Addend), (LONG)(Increment)))
#define NdisInterlockedAddLargeInteger(Addend, Increment, Lock) \
	((void)(Lock),                                          \
	 InterlockedExchangeAdd64(&((PLARGE_INTEGER)(Addend))->QuadPart, (Increment).QuadPart))

/* ---------------------------------------------------------------- events */

typedef struct _NDIS_EVENT {
	KEVENT Event;
} NDIS_EVENT, *PNDIS_EVENT;

/* Any IRQL: not signalled, notification (stays signalled until reset). */
VOID NdisInitializeEvent(_Out_ PNDIS_EVENT Event);
/* <= DISPATCH_LEVEL (bug check 0xC4 otherwise): wakes every waiter. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisSetEvent(_In_ PNDIS_EVENT Event);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisResetEvent(_In_ PNDIS_EVENT Event);
/*
 * NdisWaitEvent: PASSIVE_LEVEL (bug check 0x7C, P1 0x14
 * NDIS_BUGCHECK_WAIT_EVENT_HIGH_IRQL, P2 the IRQL, otherwise). MsToWait 0
 * waits without a bound. Return: TRUE if the event is signalled, FALSE
 * after MsToWait on the engine clock.
 */
_IRQL_requires_(PASSIVE_LEVEL) BOOLEAN NdisWaitEvent(_In_ PNDIS_EVENT Event, _In_ UINT MsToWait);

/* --------------------------------------------------------------- timers */

typedef _Function_class_(NDIS_TIMER_FUNCTION) _IRQL_requires_(DISPATCH_LEVEL) VOID
    NDIS_TIMER_FUNCTION(_In_ PVOID SystemSpecific1, _In_ PVOID FunctionContext,
			_In_ PVOID SystemSpecific2, _In_ PVOID SystemSpecific3);
typedef NDIS_TIMER_FUNCTION *PNDIS_TIMER_FUNCTION;

#if NDIS_SUPPORT_NDIS6

#define NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS 0x97
#define NDIS_TIMER_CHARACTERISTICS_REVISION_1 1

typedef struct _NDIS_TIMER_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;
	ULONG AllocationTag;
	PNDIS_TIMER_FUNCTION TimerFunction;
	PVOID FunctionContext;
} NDIS_TIMER_CHARACTERISTICS, *PNDIS_TIMER_CHARACTERISTICS;

#define NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_TIMER_CHARACTERISTICS, FunctionContext)

/*
 * NdisAllocateTimerObject: <= DISPATCH_LEVEL; NdisHandle a miniport driver
 * or adapter handle. Return: NDIS_STATUS_SUCCESS, NDIS_STATUS_INVALID_PARAMETER
 * (header), NDIS_STATUS_RESOURCES.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisAllocateTimerObject(_In_ NDIS_HANDLE NdisHandle,
			    _In_ PNDIS_TIMER_CHARACTERISTICS TimerCharacteristics,
			    _Out_ PNDIS_HANDLE pTimerObject);
/*
 * NdisSetTimerObject: <= DISPATCH_LEVEL. DueTime in 100 ns units, negative
 * relative, positive an absolute system time; MillisecondsPeriod 0 for a
 * one-shot timer. FunctionContext non-NULL replaces the allocation's.
 * Return: TRUE if the timer was already set (it is reset). The function
 * runs at DISPATCH_LEVEL on the processor that set the timer.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) BOOLEAN
    NdisSetTimerObject(_In_ NDIS_HANDLE TimerObject, _In_ LARGE_INTEGER DueTime,
		       _In_opt_ LONG MillisecondsPeriod, _In_opt_ PVOID FunctionContext);
/* <= DISPATCH_LEVEL. Return: TRUE if the timer was set (it will not fire). */
_IRQL_requires_max_(DISPATCH_LEVEL) BOOLEAN NdisCancelTimerObject(_In_ NDIS_HANDLE TimerObject);
/* <= DISPATCH_LEVEL; cancels the timer first. A second free is bug check 0xC4. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeTimerObject(_In_ NDIS_HANDLE TimerObject);

#endif /* NDIS_SUPPORT_NDIS6 */

#if NDIS_LEGACY_MINIPORT

/* NDIS 5 miniport timer: resident caller storage (x64: 160 bytes). */
typedef struct _NDIS_MINIPORT_TIMER {
	KTIMER Timer;
	KDPC Dpc;
	PNDIS_TIMER_FUNCTION MiniportTimerFunction;
	PVOID MiniportTimerContext;
	PNDIS_MINIPORT_BLOCK Miniport;
	struct _NDIS_MINIPORT_TIMER *NextDeferredTimer;
} NDIS_MINIPORT_TIMER, *PNDIS_MINIPORT_TIMER;

/*
 * NdisMInitializeTimer: PASSIVE_LEVEL (bug check 0xC4 otherwise), the
 * adapter's MiniportAdapterHandle. Re-initializing a timer that is set
 * cancels it. The function runs at DISPATCH_LEVEL on the processor that
 * set the timer, with SystemSpecific1 the timer's KDPC.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMInitializeTimer(_Out_ PNDIS_MINIPORT_TIMER Timer, _In_ NDIS_HANDLE MiniportAdapterHandle,
			 _In_ PNDIS_TIMER_FUNCTION TimerFunction, _In_ PVOID FunctionContext);
/* <= DISPATCH_LEVEL: one shot after MillisecondsToDelay (re-setting moves it). */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMSetTimer(_In_ PNDIS_MINIPORT_TIMER Timer, _In_ UINT MillisecondsToDelay);
/* <= DISPATCH_LEVEL: every MillisecondPeriod until cancelled. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMSetPeriodicTimer(_In_ PNDIS_MINIPORT_TIMER Timer, _In_ UINT MillisecondPeriod);
/* <= DISPATCH_LEVEL. *TimerCancelled: TRUE if it was set and will not fire. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMCancelTimer(_In_ PNDIS_MINIPORT_TIMER Timer, _Out_ PBOOLEAN TimerCancelled);

/* ------------------------------------------------ NDIS 5 timers (NDIS_TIMER) */

typedef struct _NDIS_TIMER {
	KTIMER Timer;
	KDPC Dpc;
} NDIS_TIMER, *PNDIS_TIMER;

/*
 * The non-miniport timer (an NDIS 5 protocol's, used by some miniports):
 * as NdisMInitializeTimer without an adapter. NdisInitializeTimer:
 * PASSIVE_LEVEL; NdisSetTimer / NdisCancelTimer: <= DISPATCH_LEVEL.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisInitializeTimer(_Inout_ PNDIS_TIMER Timer, _In_ PNDIS_TIMER_FUNCTION TimerFunction,
			_In_opt_ PVOID FunctionContext);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisSetTimer(_In_ PNDIS_TIMER Timer, _In_ UINT MillisecondsToDelay);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisCancelTimer(_In_ PNDIS_TIMER Timer, _Out_ PBOOLEAN TimerCancelled);

/* ----------------------------------------------------- NDIS 5 work items */

struct _NDIS_WORK_ITEM;
typedef VOID (*NDIS_PROC)(_In_ struct _NDIS_WORK_ITEM *WorkItem, _In_opt_ PVOID Context);

/* Caller storage; WrapperReserved holds ndisrt's queue entry. */
typedef struct _NDIS_WORK_ITEM {
	PVOID Context;
	NDIS_PROC Routine;
	UCHAR WrapperReserved[8 * sizeof(PVOID)];
} NDIS_WORK_ITEM, *PNDIS_WORK_ITEM;

/* Also clears WrapperReserved, where ndisrt marks the item scheduled. */
#define NdisInitializeWorkItem(_WI_, _R_, _C_)                                           \
	do {                                                                             \
		(_WI_)->Context = (_C_);                                                 \
		(_WI_)->Routine = (_R_);                                                 \
		RtlZeroMemory((_WI_)->WrapperReserved, sizeof((_WI_)->WrapperReserved)); \
	} while (0)

/*
 * NdisScheduleWorkItem: <= DISPATCH_LEVEL. The routine runs once at
 * PASSIVE_LEVEL on a vCPU. Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_FAILURE
 * on a host thread with no machine. Scheduling it again before it ran is
 * bug check 0xC4.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS NdisScheduleWorkItem(_In_ PNDIS_WORK_ITEM WorkItem);

#endif /* NDIS_LEGACY_MINIPORT */

/* ---------------------------------------------------- NDIS 6 I/O work items */

#if NDIS_SUPPORT_NDIS6

typedef _Function_class_(NDIS_IO_WORKITEM_FUNCTION) _IRQL_requires_(PASSIVE_LEVEL) VOID
    NDIS_IO_WORKITEM_FUNCTION(_In_opt_ PVOID WorkItemContext,
			      _In_ NDIS_HANDLE NdisIoWorkItemHandle);
typedef NDIS_IO_WORKITEM_FUNCTION *NDIS_IO_WORKITEM_ROUTINE;

/* <= DISPATCH_LEVEL. Return: the work item, or NULL (no memory). */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_HANDLE
    NdisAllocateIoWorkItem(_In_ NDIS_HANDLE NdisObjectHandle);
/*
 * <= DISPATCH_LEVEL. The routine runs once at PASSIVE_LEVEL on a vCPU;
 * queueing the item again before it ran is bug check 0xC4.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisQueueIoWorkItem(_In_ NDIS_HANDLE NdisIoWorkItemHandle,
			_In_ NDIS_IO_WORKITEM_ROUTINE Routine, _In_ PVOID WorkItemContext);
/* <= DISPATCH_LEVEL; not while queued (bug check 0xC4), not twice. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeIoWorkItem(_In_ NDIS_HANDLE NdisIoWorkItemHandle);

#endif /* NDIS_SUPPORT_NDIS6 */

/* ----------------------------------------------------------- error log */

typedef ULONG NDIS_ERROR_CODE, *PNDIS_ERROR_CODE;

#define NDIS_ERROR_CODE_RESOURCE_CONFLICT 0xC0001080L
#define NDIS_ERROR_CODE_OUT_OF_RESOURCES 0xC0001081L
#define NDIS_ERROR_CODE_HARDWARE_FAILURE 0xC0001082L
#define NDIS_ERROR_CODE_ADAPTER_NOT_FOUND 0xC0001083L
#define NDIS_ERROR_CODE_INTERRUPT_CONNECT 0xC0001084L
#define NDIS_ERROR_CODE_DRIVER_FAILURE 0xC0001085L
#define NDIS_ERROR_CODE_BAD_VERSION 0xC0001086L
#define NDIS_ERROR_CODE_TIMEOUT 0xC0001087L
#define NDIS_ERROR_CODE_NETWORK_ADDRESS 0xC0001088L
#define NDIS_ERROR_CODE_UNSUPPORTED_CONFIGURATION 0xC0001089L
#define NDIS_ERROR_CODE_INVALID_VALUE_FROM_ADAPTER 0xC000108AL
#define NDIS_ERROR_CODE_MISSING_CONFIGURATION_PARAMETER 0xC000108BL
#define NDIS_ERROR_CODE_BAD_IO_BASE_ADDRESS 0xC000108CL
#define NDIS_ERROR_CODE_RECEIVE_SPACE_SMALL 0xC000108DL
#define NDIS_ERROR_CODE_ADAPTER_DISABLED 0xC000108EL

/*
 * NdisWriteErrorLogEntry: <= DISPATCH_LEVEL. Records the code and up to 8
 * values (more are dropped) for the run report and prints one line on
 * standard error; NdisAdapterHandle is the MiniportAdapterHandle.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisWriteErrorLogEntry(_In_ NDIS_HANDLE NdisAdapterHandle, _In_ NDIS_ERROR_CODE ErrorCode,
			   _In_ ULONG NumberOfErrorValues, ...);

/* -------------------------------------------------------- configuration */

typedef enum _NDIS_PARAMETER_TYPE {
	NdisParameterInteger,
	NdisParameterHexInteger,
	NdisParameterString,
	NdisParameterMultiString,
	NdisParameterBinary
} NDIS_PARAMETER_TYPE,
    *PNDIS_PARAMETER_TYPE;

typedef struct _BINARY_DATA {
	USHORT Length;
	PVOID Buffer;
} BINARY_DATA;

typedef struct _NDIS_CONFIGURATION_PARAMETER {
	NDIS_PARAMETER_TYPE ParameterType;
	union {
		ULONG IntegerData;
		NDIS_STRING StringData;
		BINARY_DATA BinaryData;
	} ParameterData;
} NDIS_CONFIGURATION_PARAMETER, *PNDIS_CONFIGURATION_PARAMETER;

/*
 * NdisReadConfiguration: PASSIVE_LEVEL (bug check 0xC4 otherwise). Keyword
 * matches case-insensitively. *Status: NDIS_STATUS_SUCCESS with
 * *ParameterValue valid until NdisCloseConfiguration; NDIS_STATUS_FAILURE
 * when the keyword is not set (the usual case: the driver keeps its
 * default). An integer parameter read as NdisParameterString is returned
 * as its decimal string; a string read as an integer is parsed (decimal, or
 * hex for NdisParameterHexInteger) and fails if it is not a number.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisReadConfiguration(_Out_ PNDIS_STATUS Status,
			  _Out_ PNDIS_CONFIGURATION_PARAMETER *ParameterValue,
			  _In_ NDIS_HANDLE ConfigurationHandle, _In_ PNDIS_STRING Keyword,
			  _In_ NDIS_PARAMETER_TYPE ParameterType);
/* PASSIVE_LEVEL. Stores the value for later reads (this run only). */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisWriteConfiguration(_Out_ PNDIS_STATUS Status, _In_ NDIS_HANDLE ConfigurationHandle,
			   _In_ PNDIS_STRING Keyword,
			   _In_ PNDIS_CONFIGURATION_PARAMETER ParameterValue);
/*
 * NdisReadNetworkAddress: PASSIVE_LEVEL. The "NetworkAddress" parameter as
 * 12 hex digits (separators '-' or ':' allowed). *Status NDIS_STATUS_FAILURE
 * if it is not set or not a MAC address; the buffer lives until
 * NdisCloseConfiguration.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisReadNetworkAddress(_Out_ PNDIS_STATUS Status, _Out_ PVOID *NetworkAddress,
			   _Out_ PUINT NetworkAddressLength, _In_ NDIS_HANDLE ConfigurationHandle);
/* PASSIVE_LEVEL. Frees what reads returned; closing twice is bug check 0xC4. */
_IRQL_requires_(PASSIVE_LEVEL) VOID NdisCloseConfiguration(_In_ NDIS_HANDLE ConfigurationHandle);

#if NDIS_SUPPORT_NDIS6

#define NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT 0xA9
#define NDIS_CONFIGURATION_OBJECT_REVISION_1 1
#define NDIS_CONFIG_FLAG_FILTER_INSTANCE_CONFIGURATION 0x00000001

typedef struct _NDIS_CONFIGURATION_OBJECT {
	NDIS_OBJECT_HEADER Header;
	NDIS_HANDLE NdisHandle;
	ULONG Flags;
} NDIS_CONFIGURATION_OBJECT, *PNDIS_CONFIGURATION_OBJECT;

#define NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_CONFIGURATION_OBJECT, Flags)

/*
 * NdisOpenConfigurationEx: PASSIVE_LEVEL. ConfigObject->NdisHandle is the
 * MiniportAdapterHandle (the adapter's parameters) or the driver handle.
 * Return: NDIS_STATUS_SUCCESS, NDIS_STATUS_INVALID_PARAMETER (header),
 * NDIS_STATUS_RESOURCES.
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisOpenConfigurationEx(_In_ PNDIS_CONFIGURATION_OBJECT ConfigObject,
			    _Out_ PNDIS_HANDLE ConfigurationHandle);

#endif /* NDIS_SUPPORT_NDIS6 */

#if NDIS_LEGACY_MINIPORT
/* NDIS 5: PASSIVE_LEVEL, from MiniportInitialize with its WrapperConfigurationContext. */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisOpenConfiguration(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_HANDLE ConfigurationHandle,
			  _In_ NDIS_HANDLE WrapperConfigurationContext);
#endif

/* --------------------------------------------- lists, SLISTs, lookasides */

/* Any IRQL. */
#define NdisInitializeListHead(_ListHead) InitializeListHead(_ListHead)
/*
 * <= DISPATCH_LEVEL, holding @SpinLock (an allocated NDIS_SPIN_LOCK) for
 * the operation. Return: the entry that was first (insert) / removed, or
 * NULL when the list was empty.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) PLIST_ENTRY
    NdisInterlockedInsertHeadList(_In_ PLIST_ENTRY ListHead, _In_ PLIST_ENTRY ListEntry,
				  _In_ PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_max_(DISPATCH_LEVEL) PLIST_ENTRY
    NdisInterlockedInsertTailList(_In_ PLIST_ENTRY ListHead, _In_ PLIST_ENTRY ListEntry,
				  _In_ PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_max_(DISPATCH_LEVEL) PLIST_ENTRY
    NdisInterlockedRemoveHeadList(_In_ PLIST_ENTRY ListHead, _In_ PNDIS_SPIN_LOCK SpinLock);

/*
 * Sequenced singly linked lists. Entries are 16-byte aligned, as on x64.
 * Any IRQL; @SpinLock is accepted and not needed (the push and pop are
 * atomic with respect to each other). Pop returns NULL when empty.
 */
typedef SINGLE_LIST_ENTRY SLIST_ENTRY, *PSLIST_ENTRY;
VOID NdisInitializeSListHead(_Out_ PSLIST_HEADER SListHead);
PSINGLE_LIST_ENTRY NdisInterlockedPushEntrySList(_Inout_ PSLIST_HEADER SListHead,
						 _Inout_ PSINGLE_LIST_ENTRY SListEntry,
						 _In_ PKSPIN_LOCK SpinLock);
PSINGLE_LIST_ENTRY NdisInterlockedPopEntrySList(_Inout_ PSLIST_HEADER SListHead,
						_In_ PKSPIN_LOCK SpinLock);
USHORT NdisQueryDepthSList(_In_ PSLIST_HEADER SListHead);

typedef enum _POOL_TYPE {
	NonPagedPool,
	NonPagedPoolExecute = NonPagedPool,
	PagedPool,
	NonPagedPoolMustSucceed = NonPagedPool + 2,
	DontUseThisType,
	NonPagedPoolCacheAligned = NonPagedPool + 4,
	PagedPoolCacheAligned,
	NonPagedPoolCacheAlignedMustS = NonPagedPool + 6,
	MaxPoolType,
	NonPagedPoolNx = 512
} POOL_TYPE;

typedef _Function_class_(ALLOCATE_FUNCTION) PVOID
    ALLOCATE_FUNCTION(_In_ POOL_TYPE PoolType, _In_ SIZE_T NumberOfBytes, _In_ ULONG Tag);
typedef ALLOCATE_FUNCTION *PALLOCATE_FUNCTION;
typedef _Function_class_(FREE_FUNCTION) VOID FREE_FUNCTION(_In_ PVOID Buffer);
typedef FREE_FUNCTION *PFREE_FUNCTION;

/* x64: 0x80 bytes, cache aligned. ndisrt keeps its lock in Future[0]. */
typedef struct DECLSPEC_CACHEALIGN _GENERAL_LOOKASIDE {
	union {
		SLIST_HEADER ListHead;
		SINGLE_LIST_ENTRY SingleListHead;
	};
	USHORT Depth;
	USHORT MaximumDepth;
	ULONG TotalAllocates;
	union {
		ULONG AllocateMisses;
		ULONG AllocateHits;
	};
	ULONG TotalFrees;
	union {
		ULONG FreeMisses;
		ULONG FreeHits;
	};
	POOL_TYPE Type;
	ULONG Tag;
	ULONG Size;
	union {
		PVOID AllocateEx;
		PALLOCATE_FUNCTION Allocate;
	};
	union {
		PVOID FreeEx;
		PFREE_FUNCTION Free;
	};
	LIST_ENTRY ListEntry;
	ULONG LastTotalAllocates;
	union {
		ULONG LastAllocateMisses;
		ULONG LastAllocateHits;
	};
	ULONG Future[2];
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct _NPAGED_LOOKASIDE_LIST {
	GENERAL_LOOKASIDE L;
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;

/*
 * <= DISPATCH_LEVEL. Entries of @Size bytes, from @Allocate/@Free if given,
 * else from ndisrt's pool; up to 256 freed entries are kept for reuse.
 * Delete frees them; allocating from a deleted or never initialized list
 * is bug check 0xC4 BAD_OBJECT.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisInitializeNPagedLookasideList(_Out_ PNPAGED_LOOKASIDE_LIST Lookaside,
				      _In_opt_ PALLOCATE_FUNCTION Allocate,
				      _In_opt_ PFREE_FUNCTION Free, _In_ ULONG Flags,
				      _In_ ULONG Size, _In_ ULONG Tag, _In_ USHORT Depth);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisDeleteNPagedLookasideList(_Inout_ PNPAGED_LOOKASIDE_LIST Lookaside);
_IRQL_requires_max_(DISPATCH_LEVEL) PVOID
    NdisAllocateFromNPagedLookasideList(_Inout_ PNPAGED_LOOKASIDE_LIST Lookaside);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeToNPagedLookasideList(_Inout_ PNPAGED_LOOKASIDE_LIST Lookaside, _In_ PVOID Entry);

/* ------------------------------------------------------------- strings */

/* Macros over the Rtl routines, as in the WDK. Any IRQL. */
#define NdisInitUnicodeString(Destination, Source) RtlInitUnicodeString((Destination), (Source))
#define NdisInitAnsiString(Destination, Source) RtlInitString((Destination), (Source))
#define NdisEqualString(String1, String2, CaseInsensitive) \
	RtlEqualUnicodeString((String1), (String2), (CaseInsensitive))
#define NdisEqualUnicodeString(String1, String2, CaseInsensitive) \
	RtlEqualUnicodeString((String1), (String2), (CaseInsensitive))
#define NdisStoreUlong(Address, Value) RtlStoreUlong((Address), (Value))
#define NdisRetrieveUlong(DestinationAddress, SourceAddress) \
	RtlRetrieveUlong((DestinationAddress), (SourceAddress))

/* ------------------------------------------------------ processor groups */

/* Any IRQL. ndisrt has one processor group (group 0). */
USHORT NdisActiveGroupCount(VOID);
USHORT NdisMaxGroupCount(VOID);
/* The vCPUs of @Group (group 0), 0 for any other group. */
KAFFINITY NdisGroupActiveProcessorMask(_In_ USHORT Group);

#if NDIS_SUPPORT_NDIS6
/* NBL flags (NblFlags). */
#define NdisSetNblFlag(_NBL, _F) ((_NBL)->NblFlags |= (_F))
#define NdisClearNblFlag(_NBL, _F) ((_NBL)->NblFlags &= ~(_F))
#define NdisTestNblFlag(_NBL, _F) (((_NBL)->NblFlags & (_F)) != 0)
#define NdisTestNblFlags(_NBL, _F) (((_NBL)->NblFlags & (_F)) == (_F))
/*
 * NdisQueryNetBufferPhysicalCount: any IRQL. The 4 KiB pages the data of
 * @NetBuffer (from CurrentMdl/CurrentMdlOffset, DataLength bytes) spans.
 */
ULONG NdisQueryNetBufferPhysicalCount(_In_ PNET_BUFFER NetBuffer);

#if NDIS_SUPPORT_NDIS6
#define NDIS_SG_LIST_WRITE_TO_DEVICE 0x000000001

/*
 * DISPATCH_LEVEL. The SG list of a NET_BUFFER's data goes to
 * MiniportProcessSGList (ndisrt: from inside the call; one element, a copy
 * in the DMA space); NdisMFreeNetBufferSGList (DISPATCH_LEVEL) ends it and,
 * for a device write, copies the data into the NET_BUFFER.
 */
_IRQL_requires_(DISPATCH_LEVEL) NDIS_STATUS
    NdisMAllocateNetBufferSGList(_In_ NDIS_HANDLE NdisMiniportDmaHandle, _In_ PNET_BUFFER NetBuffer,
				 _In_ PVOID Context, _In_ ULONG Flags,
				 _In_opt_ PVOID ScatterGatherListBuffer,
				 _In_ ULONG ScatterGatherListBufferSize);
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisMFreeNetBufferSGList(_In_ NDIS_HANDLE NdisMiniportDmaHandle, _In_ PSCATTER_GATHER_LIST pSGL,
			     _In_ PNET_BUFFER NetBuffer);

#endif
#endif

/* ------------------------------------------------------------ Ethernet */

#define ETH_LENGTH_OF_ADDRESS 6
#define ETH_IS_MULTICAST(Address) ((BOOLEAN)(((PUCHAR)(Address))[0] & ((UCHAR)0x01)))
#define ETH_IS_BROADCAST(Address)                               \
	((BOOLEAN)((((PUCHAR)(Address))[0] == ((UCHAR)0xff)) && \
		   (((PUCHAR)(Address))[1] == ((UCHAR)0xff)) && \
		   (((PUCHAR)(Address))[2] == ((UCHAR)0xff)) && \
		   (((PUCHAR)(Address))[3] == ((UCHAR)0xff)) && \
		   (((PUCHAR)(Address))[4] == ((UCHAR)0xff)) && \
		   (((PUCHAR)(Address))[5] == ((UCHAR)0xff))))
/* *Result: 0 when equal, -1 / 1 as memcmp orders them. */
#define ETH_COMPARE_NETWORK_ADDRESSES(_A, _B, _Result)                              \
	do {                                                                        \
		int eth_cmp_ = __builtin_memcmp((_A), (_B), ETH_LENGTH_OF_ADDRESS); \
		*(_Result) = eth_cmp_ < 0 ? -1 : eth_cmp_ > 0 ? 1 : 0;              \
	} while (0)
#define ETH_COMPARE_NETWORK_ADDRESSES_EQ(_A, _B, _Result) \
	(*(_Result) = __builtin_memcmp((_A), (_B), ETH_LENGTH_OF_ADDRESS) != 0)

/* ------------------------------------------------------ physical addresses */

#define NdisGetPhysicalAddressHigh(_PhysicalAddress) ((_PhysicalAddress).HighPart)
#define NdisGetPhysicalAddressLow(_PhysicalAddress) ((_PhysicalAddress).LowPart)
#define NdisSetPhysicalAddressHigh(_PhysicalAddress, _Value) \
	((_PhysicalAddress).HighPart) = (_Value)
#define NdisSetPhysicalAddressLow(_PhysicalAddress, _Value) ((_PhysicalAddress).LowPart) = (_Value)
#define NDIS_PHYSICAL_ADDRESS_CONST(_Low, _High)     \
	{                                            \
		{                                    \
			(ULONG)(_Low), (LONG)(_High) \
		}                                    \
	}

/* ------------------------------------------------ reader/writer locks */

typedef union _NDIS_RW_LOCK_REFCOUNT {
	UINT RefCount;
	UCHAR cacheLine[16];
} NDIS_RW_LOCK_REFCOUNT;

#ifndef MAXIMUM_PROCESSORS
#define MAXIMUM_PROCESSORS 64
#endif

typedef struct _NDIS_RW_LOCK {
	union {
		struct {
			KSPIN_LOCK SpinLock;
			PVOID Context;
		};
		UCHAR Reserved[16];
	};
	union {
		NDIS_RW_LOCK_REFCOUNT RefCount[MAXIMUM_PROCESSORS];
		ULONG
		RefCountEx[sizeof(NDIS_RW_LOCK_REFCOUNT) / sizeof(ULONG) * MAXIMUM_PROCESSORS];
		struct {
			KSPIN_LOCK RefCountLock;
			volatile ULONG SharedRefCount;
			volatile BOOLEAN WriterWaiting;
		};
	};
} NDIS_RW_LOCK, *PNDIS_RW_LOCK;

typedef struct _LOCK_STATE {
	USHORT LockState;
	KIRQL OldIrql;
} LOCK_STATE, *PLOCK_STATE;

/*
 * The NDIS 5 reader/writer lock: any number of readers or one writer,
 * at DISPATCH_LEVEL while held. A processor holding it for read may take
 * it for read again. NdisInitializeReadWriteLock: any IRQL;
 * NdisAcquireReadWriteLock: <= DISPATCH_LEVEL (raises to DISPATCH_LEVEL,
 * LockState keeps the IRQL to return to); the Dpr forms at DISPATCH_LEVEL.
 */
VOID NdisInitializeReadWriteLock(_Out_ PNDIS_RW_LOCK Lock);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisAcquireReadWriteLock(_Inout_ PNDIS_RW_LOCK Lock, _In_ BOOLEAN fWrite,
			     _Out_ PLOCK_STATE LockState);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisReleaseReadWriteLock(_Inout_ PNDIS_RW_LOCK Lock, _In_ PLOCK_STATE LockState);
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisDprAcquireReadWriteLock(_Inout_ PNDIS_RW_LOCK Lock, _In_ BOOLEAN fWrite,
				_Out_ PLOCK_STATE LockState);
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisDprReleaseReadWriteLock(_Inout_ PNDIS_RW_LOCK Lock, _In_ PLOCK_STATE LockState);

/* ---------------------------------------------- files, version, misc */

/*
 * Files (firmware images on Windows): ndisrt has no file store, so
 * NdisOpenFile fails with NDIS_STATUS_FILE_NOT_FOUND (PASSIVE_LEVEL) and no
 * file handle exists: NdisCloseFile, NdisMapFile and NdisUnmapFile on any
 * handle are 0xC4 BAD_OBJECT.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisOpenFile(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_HANDLE FileHandle, _Out_ PUINT FileLength,
		 _In_ PNDIS_STRING FileName, _In_ NDIS_PHYSICAL_ADDRESS HighestAcceptableAddress);
_IRQL_requires_(PASSIVE_LEVEL) VOID NdisCloseFile(_In_ NDIS_HANDLE FileHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMapFile(_Out_ PNDIS_STATUS Status, _Out_ PVOID *MappedBuffer, _In_ NDIS_HANDLE FileHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID NdisUnmapFile(_In_ NDIS_HANDLE FileHandle);

/* The NDIS version ndisrt implements: 6.20 (0x00060014). Any IRQL. */
UINT NdisGetVersion(VOID);
/* The alignment that keeps shared data on its own cache line: 64. Any IRQL. */
ULONG NdisGetSharedDataAlignment(VOID);
/* PASSIVE_LEVEL: the address of the DDI routine named, or NULL. */
_IRQL_requires_(PASSIVE_LEVEL) PVOID NdisGetRoutineAddress(_In_ PNDIS_STRING NdisRoutineName);
/*
 * <= DISPATCH_LEVEL: an event-log entry (printed on one line and counted;
 * LogHandle is the DriverObject). Return: NDIS_STATUS_SUCCESS.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisWriteEventLogEntry(_In_ PVOID LogHandle, _In_ NDIS_STATUS EventCode,
			   _In_ ULONG UniqueEventValue, _In_ USHORT NumStrings,
			   _In_opt_ PVOID StringsList, _In_ ULONG DataSize, _In_opt_ PVOID Data);

/* Macros in the WDK. */
#define NdisZeroMappedMemory(Destination, Length) RtlZeroMemory(Destination, Length)
#define NdisInterlockedAddLargeStatistic(_Addend, _Increment)                                     \
	((void)__atomic_fetch_add(&((PLARGE_INTEGER)(_Addend))->QuadPart, (LONGLONG)(_Increment), \
				  __ATOMIC_SEQ_CST))

/*
 * Configuration subkeys: ndisrt's parameter store is one flat key per NIC,
 * so no subkey exists: *Status NDIS_STATUS_FAILURE, *KeyHandle NULL.
 * PASSIVE_LEVEL.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisOpenConfigurationKeyByIndex(_Out_ PNDIS_STATUS Status, _In_ NDIS_HANDLE ConfigurationHandle,
				    _In_ ULONG Index, _Out_ PNDIS_STRING KeyName,
				    _Out_ PNDIS_HANDLE KeyHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisOpenConfigurationKeyByName(_Out_ PNDIS_STATUS Status, _In_ NDIS_HANDLE ConfigurationHandle,
				   _In_ PNDIS_STRING SubKeyName, _Out_ PNDIS_HANDLE SubKeyHandle);

/* ------------------------------------------------ NDIS 6 support (6.0+) */

#if NDIS_SUPPORT_NDIS6

/*
 * NdisMGetDmaAlignment: PASSIVE_LEVEL. The alignment, in bytes, DMA
 * buffers of the adapter need (the cache line; ndisrt's shared memory and
 * pool data are aligned to it).
 */
_IRQL_requires_(PASSIVE_LEVEL) ULONG NdisMGetDmaAlignment(_In_ NDIS_HANDLE MiniportAdapterHandle);

/*
 * Strings. NdisInitializeString: PASSIVE_LEVEL; a UTF-16 copy of the
 * NUL-terminated ANSI Source in memory NdisFreeString frees. The
 * conversions take ANSI as Latin-1 (ndisrt has no code pages): a UTF-16
 * character above 0xFF becomes '?'. Destination buffers are the caller's
 * (NDIS_STATUS_BUFFER_OVERFLOW when too short).
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisInitializeString(_Out_ PNDIS_STRING Destination, _In_opt_ PUCHAR Source);
#define NdisFreeString(String) NdisFreeMemory((String).Buffer, (String).MaximumLength, 0)
NDIS_STATUS ndis_ansi_string_to_unicode_string(_Inout_ PNDIS_STRING DestinationString,
					       _In_ PANSI_STRING SourceString);
NDIS_STATUS ndis_unicode_string_to_ansi_string(_Inout_ PANSI_STRING DestinationString,
					       _In_ PNDIS_STRING SourceString);
NDIS_STATUS ndis_upcase_unicode_string(_Inout_ PUNICODE_STRING DestinationString,
				       _In_ PUNICODE_STRING SourceString);
#define NdisAnsiStringToUnicodeString(_us, _as) ndis_ansi_string_to_unicode_string(_us, _as)
#define NdisUnicodeStringToAnsiString(_as, _us) ndis_unicode_string_to_ansi_string(_as, _us)
#define NdisUpcaseUnicodeString(_d, _s) ndis_upcase_unicode_string(_d, _s)

/* NET_LUID from an IANA interface type and a NET_LUID index. */
#define NDIS_MAKE_NET_LUID(_pNetLuid, _IfType, _NetLuidIndex)     \
	do {                                                      \
		(_pNetLuid)->Info.IfType = (_IfType);             \
		(_pNetLuid)->Info.NetLuidIndex = (_NetLuidIndex); \
		(_pNetLuid)->Info.Reserved = 0;                   \
	} while (0)

#endif /* NDIS_SUPPORT_NDIS6 */

#if NDIS_SUPPORT_NDIS620

/*
 * NdisSetCoalescableTimerObject: <= DISPATCH_LEVEL. NdisSetTimerObject
 * with a Tolerance (ms) the timer may fire late by; ndisrt's engine clock
 * fires it at DueTime, which is within any tolerance.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) BOOLEAN
    NdisSetCoalescableTimerObject(_In_ NDIS_HANDLE TimerObject, _In_ LARGE_INTEGER DueTime,
				  _In_opt_ LONG MillisecondsPeriod, _In_opt_ PVOID FunctionContext,
				  _In_opt_ ULONG Tolerance);

/* ------------------------------------------------- NDIS_RW_LOCK_EX */

struct _NDIS_RW_LOCK_EX;
typedef struct _NDIS_RW_LOCK_EX NDIS_RW_LOCK_EX;
typedef struct _NDIS_RW_LOCK_EX *PNDIS_RW_LOCK_EX;

typedef struct _LOCK_STATE_EX {
	KIRQL OldIrql;
	UCHAR LockState;
	UCHAR Flags;
} LOCK_STATE_EX, *PLOCK_STATE_EX;

#define NDIS_RWL_AT_DISPATCH_LEVEL 1

/*
 * NdisAllocateRWLock: <= DISPATCH_LEVEL; NdisHandle the driver's or an
 * adapter's. Acquire (read: shared, recursive; write: exclusive) raises to
 * DISPATCH_LEVEL and saves the IRQL in LockState; NDIS_RWL_AT_DISPATCH_LEVEL
 * says the caller is at DISPATCH_LEVEL already. Release restores it.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) PNDIS_RW_LOCK_EX
    NdisAllocateRWLock(_In_ NDIS_HANDLE NdisHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeRWLock(_In_ PNDIS_RW_LOCK_EX Lock);
_IRQL_raises_(DISPATCH_LEVEL) VOID
    NdisAcquireRWLockRead(_In_ PNDIS_RW_LOCK_EX Lock, _Out_ PLOCK_STATE_EX LockState,
			  _In_ UCHAR Flags);
_IRQL_raises_(DISPATCH_LEVEL) VOID
    NdisAcquireRWLockWrite(_In_ PNDIS_RW_LOCK_EX Lock, _Out_ PLOCK_STATE_EX LockState,
			   _In_ UCHAR Flags);
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisReleaseRWLock(_In_ PNDIS_RW_LOCK_EX Lock, _In_ PLOCK_STATE_EX LockState);

#endif /* NDIS_SUPPORT_NDIS620 */

#endif /* _NDISRT_NDIS_SUPPORT_H_ */
