/*
 * ndis/sharedmem.h - NDIS 6.20 shared memory for receive queues and
 * virtualization: what a shared-memory provider registers, what
 * NdisAllocateSharedMemory asks for, how NdisBuildScatterGatherList is
 * parameterized, and the shared-memory segments a NET_BUFFER may carry.
 *
 * Part of <ndis.h> (ndis.h and nbl.h content).
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/sharedmem.h>"
#endif
#ifndef _NDISRT_NDIS_SHAREDMEM_H_
#define _NDISRT_NDIS_SHAREDMEM_H_

#if NDIS_SUPPORT_NDIS620

#define NDIS_OBJECT_TYPE_SHARED_MEMORY_PROVIDER_CHARACTERISTICS 0xB0

/* A NUMA node preference (wdm.h). */
typedef ULONG NODE_REQUIREMENT;
#define MM_ANY_NODE_OK 0x80000000

typedef enum _NDIS_SHARED_MEMORY_USAGE {
	NdisSharedMemoryUsageUndefined,
	NdisSharedMemoryUsageXmit,
	NdisSharedMemoryUsageXmitHeader,
	NdisSharedMemoryUsageXmitData,
	NdisSharedMemoryUsageReceive,
	NdisSharedMemoryUsageReceiveLookahead,
	NdisSharedMemoryUsageReceivePostLookahead,
	NdisSharedMemoryUsageReceiveHeader,
	NdisSharedMemoryUsageReceiveData,
	NdisSharedMemoryUsageOther,
	NdisSharedMemoryUsageMax
} NDIS_SHARED_MEMORY_USAGE,
    *PNDIS_SHARED_MEMORY_USAGE;

/* NDIS_SHARED_MEMORY_PARAMETERS.Flags (both spellings are the WDK's). */
#define NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS 0x00000001
#define NDIS_SHARED_MEM_PARAMETERS_CONTIGOUS NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS

typedef struct _NDIS_SHARED_MEMORY_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	NDIS_RECEIVE_QUEUE_ID QueueId;
	NDIS_HANDLE SharedMemoryHandle;
	NODE_REQUIREMENT PreferredNode;
	NDIS_SHARED_MEMORY_USAGE Usage;
	ULONG Length;
	PVOID VirtualAddress;
	ULONG SGListBufferLength;
	PSCATTER_GATHER_LIST SGListBuffer;
#if NDIS_SUPPORT_NDIS630
	NDIS_NIC_SWITCH_VPORT_ID VPortId;
#endif
} NDIS_SHARED_MEMORY_PARAMETERS, *PNDIS_SHARED_MEMORY_PARAMETERS;

#define NDIS_SHARED_MEMORY_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_SHARED_MEMORY_PARAMETERS, SGListBuffer)
#if NDIS_SUPPORT_NDIS630
#define NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2 2
#define NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_SHARED_MEMORY_PARAMETERS, VPortId)
#endif

/* The provider's handlers (function pointer types, as the WDK declares them). */
typedef NDIS_STATUS (*ALLOCATE_SHARED_MEMORY_HANDLER)(
    _In_ NDIS_HANDLE ProviderContext, _In_ PNDIS_SHARED_MEMORY_PARAMETERS SharedMemoryParameters,
    _Inout_ PNDIS_HANDLE pSharedMemoryProviderContext);
typedef VOID (*FREE_SHARED_MEMORY_HANDLER)(_In_ NDIS_HANDLE ProviderContext,
					   _In_ NDIS_HANDLE SharedMemoryProviderContext);

typedef struct _NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_SHARED_MEMORY_PROVIDER_CHARACTERISTICS */
	ULONG Flags;
	NDIS_HANDLE ProviderContext;
	ALLOCATE_SHARED_MEMORY_HANDLER AllocateSharedMemoryHandler;
	FREE_SHARED_MEMORY_HANDLER FreeSharedMemoryHandler;
} NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS, *PNDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS;

#define NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1 1
#define NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1         \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS, \
				 FreeSharedMemoryHandler)

/* NdisBuildScatterGatherList's callback. */
typedef _Function_class_(NDIS_PROCESS_SG_LIST)
    VOID(NDIS_PROCESS_SG_LIST)(_In_ PDEVICE_OBJECT DeviceObject, _In_opt_ PVOID Reserved,
			       _In_ PSCATTER_GATHER_LIST ScatterGatherListBuffer,
			       _In_ PVOID Context);
typedef NDIS_PROCESS_SG_LIST(*NDIS_PROCESS_SG_LIST_HANDLER);

/* NDIS_SCATTER_GATHER_LIST_PARAMETERS.Flags */
#define NDIS_SG_LIST_WRITE_TO_DEVICE 0x000000001

typedef struct _NDIS_SCATTER_GATHER_LIST_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	NDIS_RECEIVE_QUEUE_ID QueueId;
	NDIS_SHARED_MEMORY_USAGE SharedMemoryUsage;
	PMDL Mdl;
	PVOID CurrentVa;
	ULONG Length;
	NDIS_PROCESS_SG_LIST_HANDLER ProcessSGListHandler;
	PVOID Context;
	PSCATTER_GATHER_LIST ScatterGatherListBuffer;
	ULONG ScatterGatherListBufferSize;
	ULONG ScatterGatherListBufferSizeNeeded;
} NDIS_SCATTER_GATHER_LIST_PARAMETERS, *PNDIS_SCATTER_GATHER_LIST_PARAMETERS;

#define NDIS_SCATTER_GATHER_LIST_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_SCATTER_GATHER_LIST_PARAMETERS_REVISION_1         \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_SCATTER_GATHER_LIST_PARAMETERS, \
				 ScatterGatherListBufferSizeNeeded)

/* NET_BUFFER.SharedMemoryInfo: the shared-memory segments holding the data. */
typedef struct _NET_BUFFER_SHARED_MEMORY {
	struct _NET_BUFFER_SHARED_MEMORY *NextSharedMemorySegment;
	ULONG SharedMemoryFlags;
	NDIS_HANDLE SharedMemoryHandle;
	ULONG SharedMemoryOffset;
	ULONG SharedMemoryLength;
} NET_BUFFER_SHARED_MEMORY, *PNET_BUFFER_SHARED_MEMORY;

#endif /* NDIS_SUPPORT_NDIS620 */

#endif /* _NDISRT_NDIS_SHAREDMEM_H_ */
