/*
 * ndis/nbl.h - MDL, NET_BUFFER, NET_BUFFER_LIST, their pools and
 * accessors, the RSS hash slots, receive indication and send completion.
 *
 * Part of <ndis.h>. Layouts are the WDK's on x64 (checked against the
 * type information of Windows 7 x64 ndis.sys: NET_BUFFER 0xB0 bytes,
 * NET_BUFFER_LIST's NetBufferListInfo at 0x90, MDL 0x30), member order and
 * 16-byte alignments included. NetBufferListInfo has the NDIS 6.20 slots.
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/nbl.h>"
#endif
#ifndef _NDISRT_NDIS_NBL_H_
#define _NDISRT_NDIS_NBL_H_

#if NDIS_SUPPORT_NDIS6

/* ------------------------------------------------------------- ports */

typedef ULONG NDIS_PORT_NUMBER, *PNDIS_PORT_NUMBER;
#define NDIS_DEFAULT_PORT_NUMBER ((NDIS_PORT_NUMBER)0)

/* MDL and the Mm accessors: <ndis/base.h> (NDIS 5 and 6). */

#define NDIS_MDL_LINKAGE(Mdl) ((Mdl)->Next)
#define NdisGetNextMdl(CurrentMdl, NextMdl)      \
	do {                                     \
		*(NextMdl) = (CurrentMdl)->Next; \
	} while (0)
#define NdisQueryMdl(Mdl, VirtualAddress, Length, Priority)                                       \
	do {                                                                                      \
		if ((VirtualAddress) != NULL)                                                     \
			*(PVOID *)(VirtualAddress) = MmGetSystemAddressForMdlSafe(Mdl, Priority); \
		*(Length) = MmGetMdlByteCount(Mdl);                                               \
	} while (0)
/* Any IRQL: sets the MDL's ByteCount (the driver owns the MDL). */
#define NdisAdjustMdlLength(_Mdl, _Length) ((_Mdl)->ByteCount = (ULONG)(_Length))
#define NdisQueryMdlOffset(Mdl, Offset, Length)      \
	do {                                         \
		*(Offset) = MmGetMdlByteOffset(Mdl); \
		*(Length) = MmGetMdlByteCount(Mdl);  \
	} while (0)

/*
 * NdisAllocateMdl: <= DISPATCH_LEVEL. An MDL for [VirtualAddress,
 * VirtualAddress + Length) of nonpaged memory (no copy is made).
 */
_IRQL_requires_max_(DISPATCH_LEVEL) PMDL
    NdisAllocateMdl(_In_ NDIS_HANDLE NdisHandle, _In_ PVOID VirtualAddress, _In_ UINT Length);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeMdl(_In_ PMDL Mdl);

/* ---------------------------------------------------------- NET_BUFFER */

typedef struct _NET_BUFFER NET_BUFFER, *PNET_BUFFER;
typedef struct _NET_BUFFER_LIST NET_BUFFER_LIST, *PNET_BUFFER_LIST;
typedef struct _NET_BUFFER_LIST_CONTEXT NET_BUFFER_LIST_CONTEXT, *PNET_BUFFER_LIST_CONTEXT;
typedef struct _NET_BUFFER_SHARED_MEMORY *PNET_BUFFER_SHARED_MEMORY; /* opaque here */

typedef union _NET_BUFFER_DATA_LENGTH {
	ULONG DataLength;
	SIZE_T stDataLength;
} NET_BUFFER_DATA_LENGTH, *PNET_BUFFER_DATA_LENGTH;

typedef struct _NET_BUFFER_DATA {
	PNET_BUFFER Next;
	PMDL CurrentMdl;
	ULONG CurrentMdlOffset;
	union {
		ULONG DataLength;
		SIZE_T stDataLength;
	};
	PMDL MdlChain;
	ULONG DataOffset;
} NET_BUFFER_DATA, *PNET_BUFFER_DATA;

typedef union _NET_BUFFER_HEADER {
	NET_BUFFER_DATA NetBufferData;
	SLIST_HEADER Link;
} NET_BUFFER_HEADER, *PNET_BUFFER_HEADER;

struct _NET_BUFFER {
	union {
		struct {
			PNET_BUFFER Next;
			PMDL CurrentMdl;
			ULONG CurrentMdlOffset;
			union {
				ULONG DataLength;
				SIZE_T stDataLength;
			};
			PMDL MdlChain;
			ULONG DataOffset;
		};
		SLIST_HEADER Link;
		NET_BUFFER_HEADER NetBufferHeader;
	};
	USHORT ChecksumBias;
	USHORT Reserved;
	NDIS_HANDLE NdisPoolHandle;
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) PVOID NdisReserved[2];
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) PVOID ProtocolReserved[6];
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) PVOID MiniportReserved[4];
	NDIS_PHYSICAL_ADDRESS DataPhysicalAddress;
	union {
		PNET_BUFFER_SHARED_MEMORY SharedMemoryInfo;
		PSCATTER_GATHER_LIST ScatterGatherList;
	};
};

/* ----------------------------------------------------- NET_BUFFER_LIST */

struct _NET_BUFFER_LIST_CONTEXT {
	PNET_BUFFER_LIST_CONTEXT Next;
	USHORT Size;
	USHORT Offset;
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) UCHAR ContextData[];
};

/*
 * NetBufferListInfo slots (the rendered enum on learn.microsoft.com drops
 * the "= alias" initializers and misnumbers everything after them; these
 * are the header's numbers: HashValue 8, HashInfo 9).
 */
typedef enum _NDIS_NET_BUFFER_LIST_INFO {
	TcpIpChecksumNetBufferListInfo,
	TcpOffloadBytesTransferred = TcpIpChecksumNetBufferListInfo,
	IPsecOffloadV1NetBufferListInfo,
#if NDIS_SUPPORT_NDIS61
	IPsecOffloadV2NetBufferListInfo = IPsecOffloadV1NetBufferListInfo,
#endif
	TcpLargeSendNetBufferListInfo,
	TcpReceiveNoPush = TcpLargeSendNetBufferListInfo,
	ClassificationHandleNetBufferListInfo,
	Ieee8021QNetBufferListInfo,
	NetBufferListCancelId,
	MediaSpecificInformation,
	NetBufferListFrameType,
	NetBufferListProtocolId = NetBufferListFrameType,
	NetBufferListHashValue,
	NetBufferListHashInfo,
	WfpNetBufferListInfo,
#if NDIS_SUPPORT_NDIS61
	IPsecOffloadV2TunnelNetBufferListInfo,
	IPsecOffloadV2HeaderNetBufferListInfo,
#endif
#if NDIS_SUPPORT_NDIS620
	NetBufferListCorrelationId,
	NetBufferListFilteringInfo,
	MediaSpecificInformationEx,
	NblOriginalInterfaceIfIndex,
	NblReAuthWfpFlowContext = NblOriginalInterfaceIfIndex,
	TcpReceiveBytesTransferred,
#endif
	MaxNetBufferListInfo
} NDIS_NET_BUFFER_LIST_INFO,
    *PNDIS_NET_BUFFER_LIST_INFO;

typedef struct _NET_BUFFER_LIST_DATA {
	PNET_BUFFER_LIST Next;
	PNET_BUFFER FirstNetBuffer;
} NET_BUFFER_LIST_DATA, *PNET_BUFFER_LIST_DATA;

typedef union _NET_BUFFER_LIST_HEADER {
	NET_BUFFER_LIST_DATA NetBufferListData;
	SLIST_HEADER Link;
} NET_BUFFER_LIST_HEADER, *PNET_BUFFER_LIST_HEADER;

struct _NET_BUFFER_LIST {
	union {
		struct {
			PNET_BUFFER_LIST Next;
			PNET_BUFFER FirstNetBuffer;
		};
		SLIST_HEADER Link;
		NET_BUFFER_LIST_HEADER NetBufferListHeader;
	};
	PNET_BUFFER_LIST_CONTEXT Context;
	PNET_BUFFER_LIST ParentNetBufferList;
	NDIS_HANDLE NdisPoolHandle;
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) PVOID NdisReserved[2];
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) PVOID ProtocolReserved[4];
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) PVOID MiniportReserved[2];
	PVOID Scratch;
	NDIS_HANDLE SourceHandle;
	ULONG NblFlags;
	LONG ChildRefCount;
	ULONG Flags;
	union {
		NDIS_STATUS Status;
		ULONG NdisReserved2;
	};
	PVOID NetBufferListInfo[MaxNetBufferListInfo];
};

/* Accessors: lvalues, as in the WDK. */
#define NET_BUFFER_NEXT_NB(_NB) ((_NB)->Next)
#define NET_BUFFER_FIRST_MDL(_NB) ((_NB)->MdlChain)
#define NET_BUFFER_DATA_LENGTH(_NB) ((_NB)->DataLength)
#define NET_BUFFER_DATA_OFFSET(_NB) ((_NB)->DataOffset)
#define NET_BUFFER_CURRENT_MDL(_NB) ((_NB)->CurrentMdl)
#define NET_BUFFER_CURRENT_MDL_OFFSET(_NB) ((_NB)->CurrentMdlOffset)
#define NET_BUFFER_MINIPORT_RESERVED(_NB) ((_NB)->MiniportReserved)

#define NET_BUFFER_LIST_NEXT_NBL(_NBL) ((_NBL)->Next)
#define NET_BUFFER_LIST_FIRST_NB(_NBL) ((_NBL)->FirstNetBuffer)
#define NET_BUFFER_LIST_FLAGS(_NBL) ((_NBL)->Flags)
#define NET_BUFFER_LIST_NBL_FLAGS(_NBL) ((_NBL)->NblFlags)
#define NET_BUFFER_LIST_STATUS(_NBL) ((_NBL)->Status)
#define NET_BUFFER_LIST_MINIPORT_RESERVED(_NBL) ((_NBL)->MiniportReserved)
#define NET_BUFFER_LIST_CONTEXT_DATA_START(_NBL) \
	((PUCHAR)(((_NBL)->Context) + 1) + (_NBL)->Context->Offset)
#define NET_BUFFER_LIST_CONTEXT_DATA_SIZE(_NBL) \
	(((_NBL)->Context->Size) - ((_NBL)->Context->Offset))
#define NET_BUFFER_LIST_INFO(_NBL, _Id) ((_NBL)->NetBufferListInfo[(_Id)])

/* -------------------------------------------------------------- pools */

#define NDIS_PROTOCOL_ID_DEFAULT 0x00
#define NDIS_PROTOCOL_ID_TCP_IP 0x02
#define NDIS_PROTOCOL_ID_IPX 0x06
#define NDIS_PROTOCOL_ID_NBF 0x07
#define NDIS_PROTOCOL_ID_MAX 0x0F
#define NDIS_PROTOCOL_ID_MASK 0x0F

typedef struct _NET_BUFFER_LIST_POOL_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	UCHAR ProtocolId;
	BOOLEAN fAllocateNetBuffer;
	USHORT ContextSize;
	ULONG PoolTag;
	ULONG DataSize;
} NET_BUFFER_LIST_POOL_PARAMETERS, *PNET_BUFFER_LIST_POOL_PARAMETERS;

#define NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NET_BUFFER_LIST_POOL_PARAMETERS, DataSize)

/*
 * NdisAllocateNetBufferListPool: <= DISPATCH_LEVEL. Header Type
 * NDIS_OBJECT_TYPE_DEFAULT, revision 1. With fAllocateNetBuffer each NBL
 * comes with one NET_BUFFER; DataSize > 0 also gives it a data buffer of
 * that size described by one MDL (freed with the NBL).
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_HANDLE
    NdisAllocateNetBufferListPool(_In_opt_ NDIS_HANDLE NdisHandle,
				  _In_ PNET_BUFFER_LIST_POOL_PARAMETERS Parameters);
/* <= DISPATCH_LEVEL; every NBL of the pool must have been freed. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeNetBufferListPool(_In_ NDIS_HANDLE PoolHandle);

/*
 * NdisAllocateNetBufferAndNetBufferList: <= DISPATCH_LEVEL, from a pool
 * with fAllocateNetBuffer. The NET_BUFFER describes DataLength bytes at
 * DataOffset into MdlChain (which the caller keeps owning).
 */
_IRQL_requires_max_(DISPATCH_LEVEL) PNET_BUFFER_LIST
    NdisAllocateNetBufferAndNetBufferList(_In_ NDIS_HANDLE PoolHandle, _In_ USHORT ContextSize,
					  _In_ USHORT ContextBackFill, _In_opt_ PMDL MdlChain,
					  _In_ ULONG DataOffset, _In_ SIZE_T DataLength);
/* <= DISPATCH_LEVEL; not while NDIS owns it (indicated and not returned). */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeNetBufferList(_In_ PNET_BUFFER_LIST NetBufferList);

/*
 * NdisGetDataBuffer: <= DISPATCH_LEVEL. A pointer to BytesNeeded
 * contiguous bytes at the NET_BUFFER's current data: inside the MDL chain
 * when they are contiguous there (and aligned as asked), else copied into
 * Storage (if given) and Storage returned; NULL if the data is shorter.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) PVOID
    NdisGetDataBuffer(_In_ PNET_BUFFER NetBuffer, _In_ ULONG BytesNeeded, _In_opt_ PVOID Storage,
		      _In_ UINT AlignMultiple, _In_ UINT AlignOffset);

/* --------------------------------------------------------- RSS hashes */

#define NdisHashFunctionToeplitz 0x00000001
#define NdisHashFunctionReserved1 0x00000002
#define NdisHashFunctionReserved2 0x00000004
#define NdisHashFunctionReserved3 0x00000008
#define NDIS_HASH_FUNCTION_MASK 0x000000FF
#define NDIS_HASH_TYPE_MASK 0x00FFFF00

#define NDIS_HASH_IPV4 0x00000100
#define NDIS_HASH_TCP_IPV4 0x00000200
#define NDIS_HASH_IPV6 0x00000400
#define NDIS_HASH_IPV6_EX 0x00000800
#define NDIS_HASH_TCP_IPV6 0x00001000
#define NDIS_HASH_TCP_IPV6_EX 0x00002000
#if NDIS_SUPPORT_NDIS680
#define NDIS_HASH_UDP_IPV4 0x00004000
#define NDIS_HASH_UDP_IPV6 0x00008000
#define NDIS_HASH_UDP_IPV6_EX 0x00010000
#endif

#define NDIS_RSS_HASH_TYPE_FROM_HASH_INFO(_HashInfo) ((_HashInfo) & (NDIS_HASH_TYPE_MASK))
#define NDIS_RSS_HASH_FUNC_FROM_HASH_INFO(_HashInfo) ((_HashInfo) & (NDIS_HASH_FUNCTION_MASK))
#define NDIS_RSS_HASH_INFO_FROM_TYPE_AND_FUNC(_HashType, _HashFunction) \
	(((_HashType) & (NDIS_HASH_TYPE_MASK)) | ((_HashFunction) & (NDIS_HASH_FUNCTION_MASK)))

#define NET_BUFFER_LIST_GET_HASH_VALUE(_NBL) \
	(PtrToUlong(NET_BUFFER_LIST_INFO(_NBL, NetBufferListHashValue)))
#define NET_BUFFER_LIST_GET_HASH_TYPE(_NBL) \
	(NDIS_RSS_HASH_TYPE_FROM_HASH_INFO( \
	    PtrToUlong(NET_BUFFER_LIST_INFO(_NBL, NetBufferListHashInfo))))
#define NET_BUFFER_LIST_GET_HASH_FUNCTION(_NBL) \
	(NDIS_RSS_HASH_FUNC_FROM_HASH_INFO(     \
	    PtrToUlong(NET_BUFFER_LIST_INFO(_NBL, NetBufferListHashInfo))))
#define NET_BUFFER_LIST_SET_HASH_VALUE(_NBL, _HashValue) \
	(NET_BUFFER_LIST_INFO(_NBL, NetBufferListHashValue) = UlongToPtr(_HashValue))
#define NET_BUFFER_LIST_SET_HASH_TYPE(_NBL, _HashType)                                    \
	(NET_BUFFER_LIST_INFO(_NBL, NetBufferListHashInfo) =                              \
	     UlongToPtr(((PtrToUlong(NET_BUFFER_LIST_INFO(_NBL, NetBufferListHashInfo)) & \
			  (~NDIS_HASH_TYPE_MASK)) |                                       \
			 ((_HashType) & (NDIS_HASH_TYPE_MASK)))))
#define NET_BUFFER_LIST_SET_HASH_FUNCTION(_NBL, _HashFunction)                            \
	(NET_BUFFER_LIST_INFO(_NBL, NetBufferListHashInfo) =                              \
	     UlongToPtr(((PtrToUlong(NET_BUFFER_LIST_INFO(_NBL, NetBufferListHashInfo)) & \
			  (~NDIS_HASH_FUNCTION_MASK)) |                                   \
			 ((_HashFunction) & (NDIS_HASH_FUNCTION_MASK)))))

/* ---------------------------------------------------- receive and send */

#define NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_RECEIVE_FLAGS_RESOURCES 0x00000002
#define NDIS_RECEIVE_FLAGS_SINGLE_ETHER_TYPE 0x00000100
#define NDIS_RECEIVE_FLAGS_SINGLE_VLAN 0x00000200
#define NDIS_RECEIVE_FLAGS_PERFECT_FILTERED 0x00000400
#define NDIS_TEST_RECEIVE_AT_DISPATCH_LEVEL(_Flags) \
	(((_Flags)&NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL) ? TRUE : FALSE)
#define NDIS_TEST_RECEIVE_CANNOT_PEND(_Flags) \
	(((_Flags)&NDIS_RECEIVE_FLAGS_RESOURCES) ? TRUE : FALSE)

#define NDIS_RETURN_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_TEST_RETURN_AT_DISPATCH_LEVEL(_Flags) \
	(((_Flags)&NDIS_RETURN_FLAGS_DISPATCH_LEVEL) ? TRUE : FALSE)

#define NDIS_SEND_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_TEST_SEND_AT_DISPATCH_LEVEL(_Flags) \
	(((_Flags)&NDIS_SEND_FLAGS_DISPATCH_LEVEL) ? TRUE : FALSE)

#define NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_TEST_SEND_COMPLETE_AT_DISPATCH_LEVEL(_Flags) \
	(((_Flags)&NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL) ? TRUE : FALSE)

/*
 * NdisMIndicateReceiveNetBufferLists: <= DISPATCH_LEVEL. A chain of
 * NumberOfNetBufferLists NBLs, each with SourceHandle = MiniportAdapterHandle,
 * from a Running (or Pausing/Restarting) adapter. Without
 * NDIS_RECEIVE_FLAGS_RESOURCES the NBLs come back through
 * MiniportReturnNetBufferLists; with it they are the miniport's again when
 * the call returns.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMIndicateReceiveNetBufferLists(_In_ NDIS_HANDLE MiniportAdapterHandle,
				       _In_ PNET_BUFFER_LIST NetBufferLists,
				       _In_ NDIS_PORT_NUMBER PortNumber,
				       _In_ ULONG NumberOfNetBufferLists, _In_ ULONG ReceiveFlags);

/* <= DISPATCH_LEVEL: hands back NBLs MiniportSendNetBufferLists received. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMSendNetBufferListsComplete(_In_ NDIS_HANDLE MiniportAdapterHandle,
				    _In_ PNET_BUFFER_LIST NetBufferList,
				    _In_ ULONG SendCompleteFlags);

/* ------------------------------------------- more accessors (nblaccessors.h) */

#define NET_BUFFER_CHECKSUM_BIAS(_NB) ((_NB)->ChecksumBias)
#define NET_BUFFER_DATA_PHYSICAL_ADDRESS(_NB) ((_NB)->DataPhysicalAddress)
#define NET_BUFFER_PROTOCOL_RESERVED(_NB) ((_NB)->ProtocolReserved)
#define NET_BUFFER_LIST_PROTOCOL_RESERVED(_NBL) ((_NBL)->ProtocolReserved)
/* On a PNET_BUFFER_SHARED_MEMORY (NET_BUFFER's SharedMemoryInfo). */
#define NET_BUFFER_SHARED_MEM_NEXT_SEGMENT(_SHI) ((_SHI)->NextSharedMemorySegment)
#define NET_BUFFER_SHARED_MEM_FLAGS(_SHI) ((_SHI)->SharedMemoryFlags)
#define NET_BUFFER_SHARED_MEM_HANDLE(_SHI) ((_SHI)->SharedMemoryHandle)
#define NET_BUFFER_SHARED_MEM_OFFSET(_SHI) ((_SHI)->SharedMemoryOffset)
#define NET_BUFFER_SHARED_MEM_LENGTH(_SHI) ((_SHI)->SharedMemoryLength)

/* The protocol id lives in the low byte of the NetBufferListProtocolId slot. */
#define NdisSetNetBufferListProtocolId(_NBL, _ProtocolId) \
	*((PUCHAR)(&NET_BUFFER_LIST_INFO(_NBL, NetBufferListProtocolId))) = (_ProtocolId)
/* Any IRQL: the NBL's protocol id (NDIS_PROTOCOL_ID_*). */
UCHAR NdisGetNetBufferListProtocolId(_In_ PNET_BUFFER_LIST NetBufferList);

/* Cancel ids (NetBufferListCancelId) and media-specific information. */
#define NDIS_SET_NET_BUFFER_LIST_CANCEL_ID(_NBL, _CancelId) \
	(NET_BUFFER_LIST_INFO(_NBL, NetBufferListCancelId) = (_CancelId))
#define NDIS_GET_NET_BUFFER_LIST_CANCEL_ID(_NBL) (NET_BUFFER_LIST_INFO(_NBL, NetBufferListCancelId))

typedef struct _NDIS_NBL_MEDIA_MEDIA_SPECIFIC_INFORMATION NDIS_NBL_MEDIA_SPECIFIC_INFORMATION,
    *PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION;
struct _NDIS_NBL_MEDIA_MEDIA_SPECIFIC_INFORMATION {
	PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION NextEntry;
	ULONG Tag;
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) UCHAR Data[1];
};
#define NDIS_NBL_ADD_MEDIA_SPECIFIC_INFO(_NBL, _MediaSpecificInfo)                               \
	do {                                                                                     \
		PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION HeadEntry = NULL;                           \
		if (NET_BUFFER_LIST_INFO((_NBL), MediaSpecificInformation) != NULL)              \
			HeadEntry = (PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION)(NET_BUFFER_LIST_INFO( \
			    (_NBL), MediaSpecificInformation));                                  \
		NET_BUFFER_LIST_INFO((_NBL), MediaSpecificInformation) = (_MediaSpecificInfo);   \
		(_MediaSpecificInfo)->NextEntry = HeadEntry;                                     \
	} while (0)
#define NDIS_NBL_REMOVE_MEDIA_SPECIFIC_INFO(_NBL, _MediaSpecificInfo)              \
	do {                                                                       \
		PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION *HeadEntry;                   \
		HeadEntry = (PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION *)&(             \
		    NET_BUFFER_LIST_INFO((_NBL), MediaSpecificInformation));       \
		for (; *HeadEntry != NULL; HeadEntry = &(*HeadEntry)->NextEntry) { \
			if ((*HeadEntry)->Tag == (_MediaSpecificInfo)->Tag) {      \
				*HeadEntry = (*HeadEntry)->NextEntry;              \
				break;                                             \
			}                                                          \
		}                                                                  \
	} while (0)
#define NDIS_NBL_GET_MEDIA_SPECIFIC_INFO(_NBL, _Tag, _MediaSpecificInfo)                 \
	do {                                                                             \
		PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION HeadEntry;                          \
		(_MediaSpecificInfo) = NULL;                                             \
		HeadEntry = (PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION)(NET_BUFFER_LIST_INFO( \
		    (_NBL), MediaSpecificInformation));                                  \
		for (; HeadEntry != NULL; HeadEntry = HeadEntry->NextEntry) {            \
			if (HeadEntry->Tag == (_Tag)) {                                  \
				(_MediaSpecificInfo) = HeadEntry;                        \
				break;                                                   \
			}                                                                \
		}                                                                        \
	} while (0)

#if NDIS_SUPPORT_NDIS620
/* The receive filter and queue of an NBL (NDIS_NET_BUFFER_LIST_FILTERING_INFO). */
#define NET_BUFFER_LIST_RECEIVE_FILTER_ID(_NBL)                                                    \
	(((PNDIS_NET_BUFFER_LIST_FILTERING_INFO)&NET_BUFFER_LIST_INFO(_NBL,                        \
								      NetBufferListFilteringInfo)) \
	     ->FilteringInfo.FilterId)
#define NET_BUFFER_LIST_RECEIVE_QUEUE_ID(_NBL)                                                     \
	(((PNDIS_NET_BUFFER_LIST_FILTERING_INFO)&NET_BUFFER_LIST_INFO(_NBL,                        \
								      NetBufferListFilteringInfo)) \
	     ->FilteringInfo.QueueVPortInfo.QueueId)
#endif
#if NDIS_SUPPORT_NDIS630
#define NET_BUFFER_LIST_RECEIVE_FILTER_VPORT_ID(_NBL)                                              \
	(((PNDIS_NET_BUFFER_LIST_FILTERING_INFO)&NET_BUFFER_LIST_INFO(_NBL,                        \
								      NetBufferListFilteringInfo)) \
	     ->FilteringInfo.QueueVPortInfo.VPortId)
#endif

/* ------------------------------------------------ NET_BUFFER pools (6.0) */

typedef struct _NET_BUFFER_POOL_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	ULONG PoolTag;
	ULONG DataSize;
} NET_BUFFER_POOL_PARAMETERS, *PNET_BUFFER_POOL_PARAMETERS;

#define NET_BUFFER_POOL_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_NET_BUFFER_POOL_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NET_BUFFER_POOL_PARAMETERS, DataSize)

/*
 * NdisAllocateNetBufferPool: <= DISPATCH_LEVEL. Header Type
 * NDIS_OBJECT_TYPE_DEFAULT, revision 1. DataSize > 0: the pool's
 * NET_BUFFERs come from NdisAllocateNetBufferMdlAndData with that much data.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_HANDLE
    NdisAllocateNetBufferPool(_In_opt_ NDIS_HANDLE NdisHandle,
			      _In_ PNET_BUFFER_POOL_PARAMETERS Parameters);
/* <= DISPATCH_LEVEL; every NET_BUFFER of the pool must have been freed. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeNetBufferPool(_In_ NDIS_HANDLE PoolHandle);
/* <= DISPATCH_LEVEL: DataLength bytes at DataOffset into MdlChain (the caller's). */
_IRQL_requires_max_(DISPATCH_LEVEL) PNET_BUFFER
    NdisAllocateNetBuffer(_In_ NDIS_HANDLE PoolHandle, _In_opt_ PMDL MdlChain,
			  _In_ ULONG DataOffset, _In_ SIZE_T DataLength);
/* <= DISPATCH_LEVEL: from a pool with DataSize; an MDL and DataSize bytes of data. */
_IRQL_requires_max_(DISPATCH_LEVEL) PNET_BUFFER
    NdisAllocateNetBufferMdlAndData(_In_ NDIS_HANDLE PoolHandle);
/* <= DISPATCH_LEVEL. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeNetBuffer(_In_ PNET_BUFFER NetBuffer);
/*
 * NdisAllocateNetBufferList: <= DISPATCH_LEVEL. No NET_BUFFER, unless the
 * pool has fAllocateNetBuffer (then NBL, NET_BUFFER, MDL and data).
 */
_IRQL_requires_max_(DISPATCH_LEVEL) PNET_BUFFER_LIST
    NdisAllocateNetBufferList(_In_ NDIS_HANDLE PoolHandle, _In_ USHORT ContextSize,
			      _In_ USHORT ContextBackFill);

/* Any IRQL: the pool a NET_BUFFER / NBL came from. */
NDIS_HANDLE NdisGetPoolFromNetBuffer(_In_ PNET_BUFFER NetBuffer);
NDIS_HANDLE NdisGetPoolFromNetBufferList(_In_ PNET_BUFFER_LIST NetBufferList);

/* ----------------------------------------- contexts, data start (6.0) */

/* <= DISPATCH_LEVEL. ContextSize: a multiple of MEMORY_ALLOCATION_ALIGNMENT. */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisAllocateNetBufferListContext(_In_ PNET_BUFFER_LIST NetBufferList, _In_ USHORT ContextSize,
				     _In_ USHORT ContextBackFill, _In_ ULONG PoolTag);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeNetBufferListContext(_In_ PNET_BUFFER_LIST NetBufferList, _In_ USHORT ContextSize);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(NET_BUFFER_ALLOCATE_MDL)
    PMDL(NET_BUFFER_ALLOCATE_MDL)(_Inout_ PULONG BufferSize);
typedef NET_BUFFER_ALLOCATE_MDL *PNET_BUFFER_ALLOCATE_MDL;
typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(NET_BUFFER_FREE_MDL)
    VOID(NET_BUFFER_FREE_MDL)(_In_ PMDL Mdl);
typedef NET_BUFFER_FREE_MDL *PNET_BUFFER_FREE_MDL;

/*
 * NdisRetreatNetBufferDataStart: <= DISPATCH_LEVEL. Grows the used data
 * space by DataOffsetDelta at its front; if DataOffset is too small, a new
 * MDL of (the missing bytes + DataBackFill) is chained in front (from
 * AllocateMdlHandler if given). NdisAdvanceNetBufferDataStart undoes it and,
 * with FreeMdl, frees the MDLs the retreats allocated once unused.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisRetreatNetBufferDataStart(_In_ PNET_BUFFER NetBuffer, _In_ ULONG DataOffsetDelta,
				  _In_ ULONG DataBackFill,
				  _In_opt_ NET_BUFFER_ALLOCATE_MDL *AllocateMdlHandler);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisAdvanceNetBufferDataStart(_In_ PNET_BUFFER NetBuffer, _In_ ULONG DataOffsetDelta,
				  _In_ BOOLEAN FreeMdl,
				  _In_opt_ NET_BUFFER_FREE_MDL *FreeMdlHandler);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisRetreatNetBufferListDataStart(_In_ PNET_BUFFER_LIST NetBufferList,
				      _In_ ULONG DataOffsetDelta, _In_ ULONG DataBackFill,
				      _In_opt_ NET_BUFFER_ALLOCATE_MDL *AllocateMdlHandler,
				      _In_opt_ NET_BUFFER_FREE_MDL *FreeMdlHandler);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisAdvanceNetBufferListDataStart(_In_ PNET_BUFFER_LIST NetBufferList,
				      _In_ ULONG DataOffsetDelta, _In_ BOOLEAN FreeMdl,
				      _In_opt_ NET_BUFFER_FREE_MDL *FreeMdlMdlHandler);
/* Any IRQL: CurrentMdl/CurrentMdlOffset recomputed from DataOffset. */
NDIS_STATUS NdisAdjustNetBufferCurrentMdl(_In_ PNET_BUFFER NetBuffer);

/* ------------------------------------ copies, clones, fragments (6.0) */

/* <= DISPATCH_LEVEL. Offsets count from each NET_BUFFER's current data. */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisCopyFromNetBufferToNetBuffer(_In_ PNET_BUFFER Destination, _In_ ULONG DestinationOffset,
				     _In_ ULONG BytesToCopy, _In_ PNET_BUFFER Source,
				     _In_ ULONG SourceOffset, _Out_ PULONG BytesCopied);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisCopySendNetBufferListInfo(_In_ PNET_BUFFER_LIST DestNetBufferList,
				  _In_ PNET_BUFFER_LIST SrcNetBufferList);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisCopyReceiveNetBufferListInfo(_In_ PNET_BUFFER_LIST DestNetBufferList,
				     _In_ PNET_BUFFER_LIST SrcNetBufferList);

#define NDIS_CLONE_FLAGS_RESERVED 0x00000001
#define NDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS 0x00000002

/* <= DISPATCH_LEVEL. Pools NULL: NDIS's own. */
_IRQL_requires_max_(DISPATCH_LEVEL) PNET_BUFFER_LIST
    NdisAllocateCloneNetBufferList(_In_ PNET_BUFFER_LIST OriginalNetBufferList,
				   _In_opt_ NDIS_HANDLE NetBufferListPoolHandle,
				   _In_opt_ NDIS_HANDLE NetBufferPoolHandle,
				   _In_ ULONG AllocateCloneFlags);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeCloneNetBufferList(_In_ PNET_BUFFER_LIST CloneNetBufferList, _In_ ULONG FreeCloneFlags);
_IRQL_requires_max_(DISPATCH_LEVEL) PNET_BUFFER_LIST
    NdisAllocateFragmentNetBufferList(_In_ PNET_BUFFER_LIST OriginalNetBufferList,
				      _In_opt_ NDIS_HANDLE NetBufferListPool,
				      _In_opt_ NDIS_HANDLE NetBufferPool, _In_ ULONG StartOffset,
				      _In_ ULONG MaximumLength, _In_ ULONG DataOffsetDelta,
				      _In_ ULONG DataBackFill, _In_ ULONG AllocateFragmentFlags);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeFragmentNetBufferList(_In_ PNET_BUFFER_LIST FragmentNetBufferList,
				  _In_ ULONG DataOffsetDelta, _In_ ULONG FreeFragmentFlags);
_IRQL_requires_max_(DISPATCH_LEVEL) PNET_BUFFER_LIST
    NdisAllocateReassembledNetBufferList(_In_ PNET_BUFFER_LIST FragmentNetBufferList,
					 _In_opt_ NDIS_HANDLE NetBufferAndNetBufferListPoolHandle,
					 _In_ ULONG StartOffset, _In_ ULONG DataOffsetDelta,
					 _In_ ULONG DataBackFill,
					 _In_ ULONG AllocateReassembleFlags);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeReassembledNetBufferList(_In_ PNET_BUFFER_LIST ReassembledNetBufferList,
				     _In_ ULONG DataOffsetDelta, _In_ ULONG FreeReassembleFlags);

#endif /* NDIS_SUPPORT_NDIS6 */

#endif /* _NDISRT_NDIS_NBL_H_ */
