/*
 * wdm.h - what the WDK's wdm.h gives a miniport, as ndisrt provides it:
 * IRQL and processors, interrupt modes and message information, the
 * driver object, interlocked operations and the _Interlocked intrinsics,
 * list routines, memory descriptor lists, the Rtl memory macros, the
 * resource list, ASSERT.
 *
 * <ndis.h> includes it; a miniport may include it (or <ntddk.h>) first, as
 * WDK sources do. Everything here is independent of the NDIS version.
 * Layouts are those of 64-bit Windows (tests/ndis/test_layout_wdk.c).
 */
#ifndef _WDMDDK_
#define _WDMDDK_

#include <ntdef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------- IRQL */

typedef UCHAR KIRQL, *PKIRQL;

#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define CMCI_LEVEL 5
#define CLOCK_LEVEL 13
#define IPI_LEVEL 14
#define DRS_LEVEL 14
#define POWER_LEVEL 14
#define PROFILE_LEVEL 15
#define HIGH_LEVEL 15

typedef ULONG_PTR KAFFINITY, *PKAFFINITY;

/* ------------------------------------------------ processors, interrupts */

typedef struct _GROUP_AFFINITY {
	KAFFINITY Mask;
	USHORT Group;
	USHORT Reserved[3];
} GROUP_AFFINITY, *PGROUP_AFFINITY;

typedef struct _PROCESSOR_NUMBER {
	USHORT Group;
	UCHAR Number;
	UCHAR Reserved;
} PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;

typedef enum _KINTERRUPT_MODE { LevelSensitive, Latched } KINTERRUPT_MODE;

typedef enum _KINTERRUPT_POLARITY {
	InterruptPolarityUnknown,
	InterruptActiveHigh,
	InterruptRisingEdge = InterruptActiveHigh,
	InterruptActiveLow,
	InterruptFallingEdge = InterruptActiveLow,
	InterruptActiveBoth,
	InterruptActiveBothTriggerLow = InterruptActiveBoth,
	InterruptActiveBothTriggerHigh
} KINTERRUPT_POLARITY,
    *PKINTERRUPT_POLARITY;

/* An interrupt object: opaque to drivers. */
typedef struct _KINTERRUPT *PKINTERRUPT;

typedef struct _IO_INTERRUPT_MESSAGE_INFO_ENTRY {
	PHYSICAL_ADDRESS MessageAddress;
	KAFFINITY TargetProcessorSet;
	PKINTERRUPT InterruptObject;
	ULONG MessageData;
	ULONG Vector;
	KIRQL Irql;
	KINTERRUPT_MODE Mode;
	KINTERRUPT_POLARITY Polarity;
} IO_INTERRUPT_MESSAGE_INFO_ENTRY, *PIO_INTERRUPT_MESSAGE_INFO_ENTRY;

typedef struct _IO_INTERRUPT_MESSAGE_INFO {
	KIRQL UnifiedIrql;
	ULONG MessageCount;
	IO_INTERRUPT_MESSAGE_INFO_ENTRY MessageInfo[1];
} IO_INTERRUPT_MESSAGE_INFO, *PIO_INTERRUPT_MESSAGE_INFO;

/* KeGetCurrentIrql: any IRQL. */
_IRQL_requires_max_(HIGH_LEVEL) KIRQL KeGetCurrentIrql(VOID);

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

/* ------------------------------------------------------ driver object */

/* Opaque to a miniport: only passed through. */
typedef struct _DRIVER_OBJECT *PDRIVER_OBJECT;
typedef struct _DEVICE_OBJECT *PDEVICE_OBJECT;
typedef struct _IRP *PIRP;

typedef _Function_class_(DRIVER_INITIALIZE)
    NTSTATUS(DRIVER_INITIALIZE)(_In_ PDRIVER_OBJECT DriverObject,
				_In_ PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;

typedef _Function_class_(DRIVER_UNLOAD) _IRQL_requires_(PASSIVE_LEVEL)
    VOID(DRIVER_UNLOAD)(_In_ PDRIVER_OBJECT DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;

/* A dispatch routine for IRPs (NdisMRegisterDevice's MajorFunctions). */
typedef _Function_class_(DRIVER_DISPATCH) _IRQL_requires_max_(DISPATCH_LEVEL)
    NTSTATUS(DRIVER_DISPATCH)(_Inout_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
typedef DRIVER_DISPATCH *PDRIVER_DISPATCH;

/* ------------------------------------------------ interlocked, barrier */

/*
 * Compiler intrinsics in the WDK: any IRQL, full barriers. The LONG forms
 * take a LONG volatile *, the 64-bit forms a LONG64 volatile *, the
 * pointer forms a PVOID volatile *. Increment/Decrement/Add return the
 * new value; Exchange, ExchangeAdd, CompareExchange, Or, And and Xor the
 * initial one. The Acquire/Release/NoFence variants are full barriers
 * here (stronger than required, never weaker).
 */
#define NDISRT_ILK_SEQ__ __ATOMIC_SEQ_CST
static FORCEINLINE LONG InterlockedIncrement(_Inout_ _Interlocked_operand_ LONG volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG InterlockedDecrement(_Inout_ _Interlocked_operand_ LONG volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG InterlockedExchange(_Inout_ _Interlocked_operand_ LONG volatile *Target,
					    _In_ LONG Value)
{
	return __atomic_exchange_n(Target, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG InterlockedExchangeAdd(_Inout_ _Interlocked_operand_ LONG volatile *Addend,
					       _In_ LONG Value)
{
	return __atomic_fetch_add(Addend, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG InterlockedAdd(_Inout_ _Interlocked_operand_ LONG volatile *Addend,
				       _In_ LONG Value)
{
	return __atomic_add_fetch(Addend, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG
InterlockedCompareExchange(_Inout_ _Interlocked_operand_ LONG volatile *Destination,
			   _In_ LONG ExChange, _In_ LONG Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, NDISRT_ILK_SEQ__,
				    NDISRT_ILK_SEQ__);
	return Comperand;
}
static FORCEINLINE LONG InterlockedOr(_Inout_ _Interlocked_operand_ LONG volatile *Destination,
				      _In_ LONG Value)
{
	return __atomic_fetch_or(Destination, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG InterlockedAnd(_Inout_ _Interlocked_operand_ LONG volatile *Destination,
				       _In_ LONG Value)
{
	return __atomic_fetch_and(Destination, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG InterlockedXor(_Inout_ _Interlocked_operand_ LONG volatile *Destination,
				       _In_ LONG Value)
{
	return __atomic_fetch_xor(Destination, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE SHORT InterlockedIncrement16(_Inout_ SHORT volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, NDISRT_ILK_SEQ__);
}
static FORCEINLINE SHORT InterlockedDecrement16(_Inout_ SHORT volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, NDISRT_ILK_SEQ__);
}
static FORCEINLINE SHORT InterlockedCompareExchange16(_Inout_ SHORT volatile *Destination,
						      _In_ SHORT ExChange, _In_ SHORT Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, NDISRT_ILK_SEQ__,
				    NDISRT_ILK_SEQ__);
	return Comperand;
}
static FORCEINLINE LONG64 InterlockedIncrement64(_Inout_ LONG64 volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG64 InterlockedDecrement64(_Inout_ LONG64 volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG64 InterlockedExchange64(_Inout_ LONG64 volatile *Target, _In_ LONG64 Value)
{
	return __atomic_exchange_n(Target, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG64 InterlockedExchangeAdd64(_Inout_ LONG64 volatile *Addend,
						   _In_ LONG64 Value)
{
	return __atomic_fetch_add(Addend, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG64 InterlockedAdd64(_Inout_ LONG64 volatile *Addend, _In_ LONG64 Value)
{
	return __atomic_add_fetch(Addend, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG64 InterlockedCompareExchange64(_Inout_ LONG64 volatile *Destination,
						       _In_ LONG64 ExChange, _In_ LONG64 Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, NDISRT_ILK_SEQ__,
				    NDISRT_ILK_SEQ__);
	return Comperand;
}
static FORCEINLINE LONG64 InterlockedOr64(_Inout_ LONG64 volatile *Destination, _In_ LONG64 Value)
{
	return __atomic_fetch_or(Destination, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG64 InterlockedAnd64(_Inout_ LONG64 volatile *Destination, _In_ LONG64 Value)
{
	return __atomic_fetch_and(Destination, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE LONG64 InterlockedXor64(_Inout_ LONG64 volatile *Destination, _In_ LONG64 Value)
{
	return __atomic_fetch_xor(Destination, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE PVOID InterlockedExchangePointer(_Inout_ PVOID volatile *Target,
						    _In_opt_ PVOID Value)
{
	return __atomic_exchange_n(Target, Value, NDISRT_ILK_SEQ__);
}
static FORCEINLINE PVOID InterlockedCompareExchangePointer(_Inout_ PVOID volatile *Destination,
							   _In_opt_ PVOID ExChange,
							   _In_opt_ PVOID Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, NDISRT_ILK_SEQ__,
				    NDISRT_ILK_SEQ__);
	return Comperand;
}

/* The intrinsic spellings (intrin.h) and the fenced variants. */
#define _InterlockedIncrement InterlockedIncrement
#define _InterlockedDecrement InterlockedDecrement
#define _InterlockedExchange InterlockedExchange
#define _InterlockedExchangeAdd InterlockedExchangeAdd
#define _InterlockedCompareExchange InterlockedCompareExchange
#define _InterlockedOr InterlockedOr
#define _InterlockedAnd InterlockedAnd
#define _InterlockedXor InterlockedXor
#define _InterlockedIncrement16 InterlockedIncrement16
#define _InterlockedDecrement16 InterlockedDecrement16
#define _InterlockedCompareExchange16 InterlockedCompareExchange16
#define _InterlockedIncrement64 InterlockedIncrement64
#define _InterlockedDecrement64 InterlockedDecrement64
#define _InterlockedExchange64 InterlockedExchange64
#define _InterlockedExchangeAdd64 InterlockedExchangeAdd64
#define _InterlockedCompareExchange64 InterlockedCompareExchange64
#define _InterlockedOr64 InterlockedOr64
#define _InterlockedAnd64 InterlockedAnd64
#define _InterlockedXor64 InterlockedXor64
#define _InterlockedExchangePointer InterlockedExchangePointer
#define _InterlockedCompareExchangePointer InterlockedCompareExchangePointer
#define InterlockedIncrementAcquire InterlockedIncrement
#define InterlockedIncrementRelease InterlockedIncrement
#define InterlockedIncrementNoFence InterlockedIncrement
#define InterlockedDecrementAcquire InterlockedDecrement
#define InterlockedDecrementRelease InterlockedDecrement
#define InterlockedDecrementNoFence InterlockedDecrement
#define InterlockedExchangeAcquire InterlockedExchange
#define InterlockedExchangeNoFence InterlockedExchange
#define InterlockedCompareExchangeAcquire InterlockedCompareExchange
#define InterlockedCompareExchangeRelease InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence InterlockedCompareExchange
#define InterlockedOrAcquire InterlockedOr
#define InterlockedOrRelease InterlockedOr
#define InterlockedOrNoFence InterlockedOr
#define InterlockedAndAcquire InterlockedAnd
#define InterlockedAndRelease InterlockedAnd
#define InterlockedAndNoFence InterlockedAnd
#define InterlockedExchangeAddSizeT(a, b) \
	((SIZE_T)InterlockedExchangeAdd64((LONG64 volatile *)(a), (LONG64)(b)))
#define InterlockedIncrementSizeT(a) ((SIZE_T)InterlockedIncrement64((LONG64 volatile *)(a)))
#define InterlockedDecrementSizeT(a) ((SIZE_T)InterlockedDecrement64((LONG64 volatile *)(a)))

/* KeMemoryBarrier: a full fence (a FORCEINLINE function in the WDK). */
#define KeMemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define KeMemoryBarrierWithoutFence() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define _ReadWriteBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define YieldProcessor() __builtin_ia32_pause()

/* ---------------------------------------------------- list routines */

/* FORCEINLINE in wdm.h: any IRQL, no locking (the caller serializes). */
static FORCEINLINE VOID InitializeListHead(_Out_ PLIST_ENTRY ListHead)
{
	ListHead->Flink = ListHead->Blink = ListHead;
}
static FORCEINLINE BOOLEAN IsListEmpty(_In_ const LIST_ENTRY *ListHead)
{
	return (BOOLEAN)(ListHead->Flink == ListHead);
}
/* Return: TRUE if the list is empty afterwards. */
static FORCEINLINE BOOLEAN RemoveEntryList(_In_ PLIST_ENTRY Entry)
{
	PLIST_ENTRY Flink = Entry->Flink, Blink = Entry->Blink;

	Blink->Flink = Flink;
	Flink->Blink = Blink;
	return (BOOLEAN)(Flink == Blink);
}
static FORCEINLINE PLIST_ENTRY RemoveHeadList(_Inout_ PLIST_ENTRY ListHead)
{
	PLIST_ENTRY Entry = ListHead->Flink, Flink = Entry->Flink;

	ListHead->Flink = Flink;
	Flink->Blink = ListHead;
	return Entry;
}
static FORCEINLINE PLIST_ENTRY RemoveTailList(_Inout_ PLIST_ENTRY ListHead)
{
	PLIST_ENTRY Entry = ListHead->Blink, Blink = Entry->Blink;

	ListHead->Blink = Blink;
	Blink->Flink = ListHead;
	return Entry;
}
static FORCEINLINE VOID InsertTailList(_Inout_ PLIST_ENTRY ListHead, _Out_ PLIST_ENTRY Entry)
{
	PLIST_ENTRY Blink = ListHead->Blink;

	Entry->Flink = ListHead;
	Entry->Blink = Blink;
	Blink->Flink = Entry;
	ListHead->Blink = Entry;
}
static FORCEINLINE VOID InsertHeadList(_Inout_ PLIST_ENTRY ListHead, _Out_ PLIST_ENTRY Entry)
{
	PLIST_ENTRY Flink = ListHead->Flink;

	Entry->Flink = Flink;
	Entry->Blink = ListHead;
	Flink->Blink = Entry;
	ListHead->Flink = Entry;
}
/* Appends the list ListToAppend heads (an entry of it, not a separate head). */
static FORCEINLINE VOID AppendTailList(_Inout_ PLIST_ENTRY ListHead,
				       _Inout_ PLIST_ENTRY ListToAppend)
{
	PLIST_ENTRY ListEnd = ListHead->Blink;

	ListHead->Blink->Flink = ListToAppend;
	ListHead->Blink = ListToAppend->Blink;
	ListToAppend->Blink->Flink = ListHead;
	ListToAppend->Blink = ListEnd;
}
static FORCEINLINE VOID PushEntryList(_Inout_ PSINGLE_LIST_ENTRY ListHead,
				      _Inout_ PSINGLE_LIST_ENTRY Entry)
{
	Entry->Next = ListHead->Next;
	ListHead->Next = Entry;
}
static FORCEINLINE PSINGLE_LIST_ENTRY PopEntryList(_Inout_ PSINGLE_LIST_ENTRY ListHead)
{
	PSINGLE_LIST_ENTRY First = ListHead->Next;

	if (First != NULL)
		ListHead->Next = First->Next;
	return First;
}

/* ------------------------------------------------------------- ASSERT */

/*
 * As in a free (DBG=0) build of the WDK: ASSERT and its relatives compile
 * to nothing and do not evaluate their argument. (Drivers that want
 * checked-build asserts define DBG=1; ndisrt then gives them C's assert.)
 */
#if defined(DBG) && DBG
#include <assert.h>
#define ASSERT(exp) assert(exp)
#define ASSERTMSG(msg, exp) assert(exp)
#define NT_ASSERT(exp) assert(exp)
#define NT_ASSERTMSG(msg, exp) assert(exp)
#else
#define ASSERT(exp) ((void)0)
#define ASSERTMSG(msg, exp) ((void)0)
#define NT_ASSERT(exp) ((void)0)
#define NT_ASSERTMSG(msg, exp) ((void)0)
#endif
#define NT_VERIFY(exp) ((exp) ? TRUE : FALSE)
#define NT_ANALYSIS_ASSUME(exp) ((void)0)

/* ------------------------------------------------------------- memory */

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

/* Macros in the WDK (RtlZeroMemory & co.): any IRQL. */
#define RtlZeroMemory(Destination, Length) ((void)__builtin_memset((Destination), 0, (Length)))
#define RtlCopyMemory(Destination, Source, Length) \
	((void)__builtin_memcpy((Destination), (Source), (Length)))
#define RtlMoveMemory(Destination, Source, Length) \
	((void)__builtin_memmove((Destination), (Source), (Length)))
#define RtlFillMemory(Destination, Length, Fill) \
	((void)__builtin_memset((Destination), (Fill), (Length)))
#define RtlEqualMemory(Source1, Source2, Length) (!__builtin_memcmp((Source1), (Source2), (Length)))

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

/* KSPIN_LOCK: storage of a kernel spin lock. */
typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;

/* --------------------------------------------------- SLIST (layout only) */

typedef union DECLSPEC_ALIGN(16) _SLIST_HEADER {
	struct {
		ULONGLONG Alignment;
		ULONGLONG Region;
	};
	struct {
		ULONGLONG Depth : 16;
		ULONGLONG Sequence : 48;
		ULONGLONG HeaderType : 1;
		ULONGLONG Reserved : 3;
		ULONGLONG NextEntry : 60;
	} HeaderX64;
} SLIST_HEADER, *PSLIST_HEADER;

/* ------------------------------------------------------ resource list */

#define CmResourceTypeNull 0
#define CmResourceTypePort 1
#define CmResourceTypeInterrupt 2
#define CmResourceTypeMemory 3
#define CmResourceTypeDma 4
#define CmResourceTypeDeviceSpecific 5
#define CmResourceTypeBusNumber 6

typedef enum _CM_SHARE_DISPOSITION {
	CmResourceShareUndetermined = 0,
	CmResourceShareDeviceExclusive,
	CmResourceShareDriverExclusive,
	CmResourceShareShared
} CM_SHARE_DISPOSITION;

/* Flags of an interrupt descriptor. */
#define CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE 0
#define CM_RESOURCE_INTERRUPT_LATCHED 1
#define CM_RESOURCE_INTERRUPT_MESSAGE 2
/* Flags of a memory descriptor. */
#define CM_RESOURCE_MEMORY_READ_WRITE 0x0000
/* Flags of a port descriptor. */
#define CM_RESOURCE_PORT_MEMORY 0x0000
#define CM_RESOURCE_PORT_IO 0x0001

#pragma pack(push, 4)
typedef struct _CM_PARTIAL_RESOURCE_DESCRIPTOR {
	UCHAR Type;
	UCHAR ShareDisposition;
	USHORT Flags;
	union {
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} Generic;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} Port;
		struct {
			USHORT Level;
			USHORT Group;
			ULONG Vector;
			KAFFINITY Affinity;
		} Interrupt;
		struct {
			union {
				struct {
					USHORT Group;
					USHORT MessageCount;
					ULONG Vector;
					KAFFINITY Affinity;
				} Raw;
				struct {
					USHORT Level;
					USHORT Group;
					ULONG Vector;
					KAFFINITY Affinity;
				} Translated;
			};
		} MessageInterrupt;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} Memory;
		struct {
			ULONG Channel;
			ULONG Port;
			ULONG Reserved1;
		} Dma;
		struct {
			ULONG Data[3];
		} DevicePrivate;
		struct {
			ULONG Start;
			ULONG Length;
			ULONG Reserved;
		} BusNumber;
		struct {
			ULONG DataSize;
			ULONG Reserved1;
			ULONG Reserved2;
		} DeviceSpecificData;
	} u;
} CM_PARTIAL_RESOURCE_DESCRIPTOR, *PCM_PARTIAL_RESOURCE_DESCRIPTOR;

typedef struct _CM_PARTIAL_RESOURCE_LIST {
	USHORT Version;
	USHORT Revision;
	ULONG Count;
	CM_PARTIAL_RESOURCE_DESCRIPTOR PartialDescriptors[1];
} CM_PARTIAL_RESOURCE_LIST, *PCM_PARTIAL_RESOURCE_LIST;

/* The bus a resource list is for (the HAL's numbering). */
typedef enum _INTERFACE_TYPE {
	InterfaceTypeUndefined = -1,
	Internal,
	Isa,
	Eisa,
	MicroChannel,
	TurboChannel,
	PCIBus,
	VMEBus,
	NuBus,
	PCMCIABus,
	CBus,
	MPIBus,
	MPSABus,
	ProcessorInternal,
	InternalPowerBus,
	PNPISABus,
	PNPBus,
	Vmcs,
	ACPIBus,
	MaximumInterfaceType
} INTERFACE_TYPE,
    *PINTERFACE_TYPE;

/* One bus's resources, then the whole list (what NdisMGetDeviceProperty returns). */
typedef struct _CM_FULL_RESOURCE_DESCRIPTOR {
	INTERFACE_TYPE InterfaceType;
	ULONG BusNumber;
	CM_PARTIAL_RESOURCE_LIST PartialResourceList;
} CM_FULL_RESOURCE_DESCRIPTOR, *PCM_FULL_RESOURCE_DESCRIPTOR;

typedef struct _CM_RESOURCE_LIST {
	ULONG Count;
	CM_FULL_RESOURCE_DESCRIPTOR List[1];
} CM_RESOURCE_LIST, *PCM_RESOURCE_LIST;
#pragma pack(pop)

/* System (ISA slave) DMA transfer width and timing. */
typedef enum _DMA_WIDTH {
	Width8Bits,
	Width16Bits,
	Width32Bits,
	Width64Bits,
	WidthNoWrap,
	MaximumDmaWidth
} DMA_WIDTH,
    *PDMA_WIDTH;

typedef enum _DMA_SPEED {
	Compatible,
	TypeA,
	TypeB,
	TypeC,
	TypeF,
	MaximumDmaSpeed
} DMA_SPEED,
    *PDMA_SPEED;

/* ------------------------------------------------------------ strings */

/* Any IRQL (wdm.h): a counted string over @Source (NULL: empty). */
static FORCEINLINE VOID RtlInitUnicodeString(_Out_ PUNICODE_STRING DestinationString,
					     _In_opt_z_ PCWSTR SourceString)
{
	USHORT n = 0;

	if (SourceString)
		while (SourceString[n] && n < 0x7FFE)
			n++;
	DestinationString->Length = (USHORT)(n * sizeof(WCHAR));
	DestinationString->MaximumLength = SourceString ? (USHORT)((n + 1) * sizeof(WCHAR)) : 0;
	/* The string stays the caller's: RtlInit* keep the pointer, as the WDK's do. */
	DestinationString->Buffer = (PWSTR)(ULONG_PTR)SourceString;
}
static FORCEINLINE VOID RtlInitString(_Out_ PSTRING DestinationString,
				      _In_opt_z_ PCSTR SourceString)
{
	USHORT n = 0;

	if (SourceString)
		while (SourceString[n] && n < 0xFFFE)
			n++;
	DestinationString->Length = n;
	DestinationString->MaximumLength = SourceString ? (USHORT)(n + 1) : 0;
	DestinationString->Buffer = (PCHAR)(ULONG_PTR)SourceString;
}
#define RtlInitAnsiString RtlInitString
/* Case-insensitive comparison folds ASCII letters only. */
static FORCEINLINE BOOLEAN RtlEqualUnicodeString(_In_ PCUNICODE_STRING String1,
						 _In_ PCUNICODE_STRING String2,
						 _In_ BOOLEAN CaseInSensitive)
{
	USHORT n = String1->Length / sizeof(WCHAR);

	if (String1->Length != String2->Length)
		return FALSE;
	for (USHORT i = 0; i < n; i++) {
		WCHAR a = String1->Buffer[i], b = String2->Buffer[i];

		if (CaseInSensitive) {
			a = (WCHAR)(a >= 'a' && a <= 'z' ? a - 32 : a);
			b = (WCHAR)(b >= 'a' && b <= 'z' ? b - 32 : b);
		}
		if (a != b)
			return FALSE;
	}
	return TRUE;
}
/* Unaligned 32-bit store and load (RtlStoreUlong / RtlRetrieveUlong). */
#define RtlStoreUlong(Address, Value)                                         \
	do {                                                                  \
		ULONG rtl_su_ = (ULONG)(Value);                               \
		__builtin_memcpy((void *)(Address), &rtl_su_, sizeof(ULONG)); \
	} while (0)
#define RtlRetrieveUlong(DestinationAddress, SourceAddress) \
	__builtin_memcpy((void *)(DestinationAddress), (const void *)(SourceAddress), sizeof(ULONG))

/* -------------------------------------------------- scatter/gather */

/* One physically contiguous piece of a DMA transfer (x64: 24 bytes). */
typedef struct _SCATTER_GATHER_ELEMENT {
	PHYSICAL_ADDRESS Address;
	ULONG Length;
	ULONG_PTR Reserved;
} SCATTER_GATHER_ELEMENT, *PSCATTER_GATHER_ELEMENT;

/* A DMA transfer's pieces; Elements has NumberOfElements entries. */
typedef struct _SCATTER_GATHER_LIST {
	ULONG NumberOfElements;
	ULONG_PTR Reserved;
	SCATTER_GATHER_ELEMENT Elements[];
} SCATTER_GATHER_LIST, *PSCATTER_GATHER_LIST;

#ifdef __cplusplus
}
#endif

#endif /* _WDMDDK_ */
