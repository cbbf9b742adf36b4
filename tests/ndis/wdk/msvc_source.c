/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/wdk/msvc_source.c - a driver source written as WDK sources are
 * (MSVC dialect), compiled by the flags_* tests with the Cflags of
 * ndisrt.pc (tests/ndis/CMakeLists.txt). Each construct needs one flag:
 *
 *   NDISRT_NEEDS_SHORT_WCHAR   L"..." initializes a WCHAR array and an
 *                              NDIS_STRING (-fshort-wchar)
 *   NDISRT_NEEDS_MS_EXTENSIONS an unnamed member of a named structure type
 *                              (-fms-extensions)
 *
 * and the rest (FORCEINLINE with and without static, __declspec, __int64,
 * list routines, CONTAINING_RECORD, the _Interlocked intrinsics, SAL) needs
 * none. Compiled with -DNDISRT_ONLY=<construct> and a flag removed, the
 * file must fail: that is what proves each flag is there for a reason.
 */
#define NDIS_MINIPORT_DRIVER
#define NDIS51_MINIPORT
#include <ndis.h>

#if !defined(NDISRT_ONLY) || NDISRT_ONLY == 1
/* -fshort-wchar */
static WCHAR KeywordSpeed[] = L"Speed";
static NDIS_STRING KeywordDuplex = NDIS_STRING_CONST("Duplex");
C_ASSERT(sizeof(KeywordSpeed) == 6 * sizeof(WCHAR));
#endif

#if !defined(NDISRT_ONLY) || NDISRT_ONLY == 2
/* -fms-extensions: LIST_ENTRY's Flink/Blink become members of the block. */
typedef struct _RX_BLOCK {
	LIST_ENTRY;
	ULONG Length;
} RX_BLOCK, *PRX_BLOCK;
static ULONG rx_block_length(PLIST_ENTRY Entry)
{
	PRX_BLOCK Block = CONTAINING_RECORD(Entry, RX_BLOCK, Flink);

	return Block->Flink == Entry->Flink ? Block->Length : 0;
}
#endif

/* An NDIS 5.1 build sees the ntddndis.h types and complete structures. */
C_ASSERT(sizeof(NDIS_PNP_CAPABILITIES) == 16);
C_ASSERT(sizeof(NDIS_LINK_STATE) == 40);
C_ASSERT(NdisPhysicalMedium802_3 == 14 && NdisDeviceStateD3 == 4);
C_ASSERT(sizeof(SCATTER_GATHER_LIST) == 16 && sizeof(SCATTER_GATHER_ELEMENT) == 24);
C_ASSERT(sizeof(NDIS_BUFFER) == sizeof(MDL));
C_ASSERT(sizeof(UINT32) == 4 && sizeof(UINT64) == 8 && sizeof(INT64) == 8 && sizeof(LONG64) == 8);

/* No flag needed. */
typedef struct _ADAPTER {
	LIST_ENTRY RxList;
	SINGLE_LIST_ENTRY FreeList;
	LONG volatile RefCount;
	__int64 Bytes;
	__declspec(align(16)) UCHAR Aligned[16];
} ADAPTER, *PADAPTER;
C_ASSERT(FIELD_OFFSET(ADAPTER, Aligned) % 16 == 0);

#define POOL_TAG 'tseT' /* -Wno-multichar */
C_ASSERT(POOL_TAG == 0x74736554);

static FORCEINLINE LONG AdapterReference(_Inout_ PADAPTER Adapter)
{
	return _InterlockedIncrement(&Adapter->RefCount);
}

_IRQL_requires_max_(DISPATCH_LEVEL) __drv_sameIRQL ULONG
	msvc_source_run(_Inout_ PADAPTER Adapter, _In_reads_(Count) PLIST_ENTRY Entries,
			_In_ ULONG Count);

ULONG msvc_source_run(PADAPTER Adapter, PLIST_ENTRY Entries, ULONG Count)
{
	ULONG i, n = 0;
	LONG old = 0;

	InitializeListHead(&Adapter->RxList);
	for (i = 0; i < Count; i++)
		InsertTailList(&Adapter->RxList, &Entries[i]);
	while (!IsListEmpty(&Adapter->RxList)) {
		RemoveHeadList(&Adapter->RxList);
		n++;
	}
	AdapterReference(Adapter);
	old = InterlockedCompareExchange(&Adapter->RefCount, 7, 1);
	ASSERT(old == 1);
	UNREFERENCED_PARAMETER(old);
#if !defined(NDISRT_ONLY) || NDISRT_ONLY == 1
	n += KeywordDuplex.Length / sizeof(WCHAR) == 6 && KeywordSpeed[0] == 'S';
#endif
#if !defined(NDISRT_ONLY) || NDISRT_ONLY == 2
	n += rx_block_length(&Entries[0]) != 0;
#endif
	return n + (ULONG)ARRAYSIZE(Adapter->Aligned);
}
