/*
 * ndis/io.h - hardware access: the resource list, PCI configuration space,
 * register mapping and access, I/O port ranges and port access,
 * scatter/gather DMA registration and shared memory.
 *
 * Part of <ndis.h>. CM_PARTIAL_RESOURCE_DESCRIPTOR is packed to 4 bytes as
 * in wdm.h (20 bytes on x64, the union at offset 4).
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/io.h>"
#endif
#ifndef _NDISRT_NDIS_IO_H_
#define _NDISRT_NDIS_IO_H_

/*
 * Resources, register and port access and shared memory are NDIS 5 and 6
 * interfaces; bus data and scatter/gather DMA registration are NDIS 6
 * (NDIS 5 reads PCI configuration space with NdisReadPciSlotInformation,
 * <ndis/ndis5.h>).
 */

typedef PHYSICAL_ADDRESS NDIS_PHYSICAL_ADDRESS, *PNDIS_PHYSICAL_ADDRESS;

/* The resource list: <wdm.h>. */
typedef CM_PARTIAL_RESOURCE_LIST NDIS_RESOURCE_LIST, *PNDIS_RESOURCE_LIST;

/* ------------------------------------------------------------ bus data */

#if NDIS_SUPPORT_NDIS6

#define PCI_WHICHSPACE_CONFIG 0x0
#define PCI_WHICHSPACE_ROM 0x52696350

/*
 * NdisMGetBusData: any IRQL. Reads PCI configuration space (WhichSpace
 * PCI_WHICHSPACE_CONFIG; other spaces read nothing).
 * Return: the bytes read.
 */
ULONG NdisMGetBusData(_In_ NDIS_HANDLE NdisMiniportHandle, _In_ ULONG WhichSpace, _In_ ULONG Offset,
		      _Out_writes_bytes_(Length) PVOID Buffer, _In_ ULONG Length);
/* NdisMSetBusData: any IRQL. Writes PCI configuration space (as NdisMGetBusData reads). */
ULONG NdisMSetBusData(_In_ NDIS_HANDLE NdisMiniportHandle, _In_ ULONG WhichSpace, _In_ ULONG Offset,
		      _In_reads_bytes_(Length) PVOID Buffer, _In_ ULONG Length);

#endif /* NDIS_SUPPORT_NDIS6 */

/* ---------------------------------------------------- memory-mapped I/O */

/*
 * NdisMMapIoSpace: PASSIVE_LEVEL, from MiniportInitialize[Ex]. Maps
 * [PhysicalAddress, +Length) of one of the adapter's memory resources.
 * The mapping is for NdisRead/WriteRegisterXxx only: in ndisrt it is not
 * memory, and dereferencing it faults (bug check 0x1E).
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMMapIoSpace(_Out_ PVOID *VirtualAddress, _In_ NDIS_HANDLE MiniportAdapterHandle,
		    _In_ NDIS_PHYSICAL_ADDRESS PhysicalAddress, _In_ UINT Length);

/* PASSIVE_LEVEL, from MiniportInitialize[Ex] or MiniportHalt[Ex]; the mapped Length. */
_IRQL_requires_(PASSIVE_LEVEL) VOID NdisMUnmapIoSpace(_In_ NDIS_HANDLE MiniportAdapterHandle,
						      _In_ PVOID VirtualAddress, _In_ UINT Length);

/*
 * NdisMRegisterIoPortRange: PASSIVE_LEVEL, from MiniportInitialize[Ex]
 * after the attributes (NdisMSetAttributes[Ex] / NdisMSetMiniportAttributes).
 * Claims [InitialPort, +NumberOfPorts) inside the adapter's port resource;
 * *PortOffset is the port itself (x86 I/O space is direct).
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMRegisterIoPortRange(_Out_ PVOID *PortOffset, _In_ NDIS_HANDLE MiniportAdapterHandle,
			     _In_ UINT InitialPort, _In_ UINT NumberOfPorts);

/* PASSIVE_LEVEL, from MiniportInitialize[Ex] or MiniportHalt[Ex]; the range as registered. */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMDeregisterIoPortRange(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ UINT InitialPort,
			       _In_ UINT NumberOfPorts, _In_ PVOID PortOffset);

/*
 * Register and port access: any IRQL, ISRs and synchronize routines
 * included. The WDK defines them as macros that cast Register / Port, so
 * drivers pass typed pointers, PUCHAR arithmetic and plain integers alike;
 * these macros convert whatever they get to ULONG_PTR and call the runtime
 * function below it. Register must lie inside an NdisMMapIoSpace mapping
 * and Port inside a range NdisMRegisterIoPortRange claimed (bug check 0x50
 * otherwise). The Buffer variants move Length elements, each to or from
 * the same register / port.
 */
UCHAR ndis_read_register_uchar(ULONG_PTR Register);
USHORT ndis_read_register_ushort(ULONG_PTR Register);
ULONG ndis_read_register_ulong(ULONG_PTR Register);
VOID ndis_write_register_uchar(ULONG_PTR Register, UCHAR Data);
VOID ndis_write_register_ushort(ULONG_PTR Register, USHORT Data);
VOID ndis_write_register_ulong(ULONG_PTR Register, ULONG Data);

#define NdisReadRegisterUchar(Register, Data) \
	(*(Data) = ndis_read_register_uchar((ULONG_PTR)(Register)))
#define NdisReadRegisterUshort(Register, Data) \
	(*(Data) = ndis_read_register_ushort((ULONG_PTR)(Register)))
#define NdisReadRegisterUlong(Register, Data) \
	(*(Data) = ndis_read_register_ulong((ULONG_PTR)(Register)))
#define NdisWriteRegisterUchar(Register, Data) \
	ndis_write_register_uchar((ULONG_PTR)(Register), (UCHAR)(Data))
#define NdisWriteRegisterUshort(Register, Data) \
	ndis_write_register_ushort((ULONG_PTR)(Register), (USHORT)(Data))
#define NdisWriteRegisterUlong(Register, Data) \
	ndis_write_register_ulong((ULONG_PTR)(Register), (ULONG)(Data))

UCHAR ndis_raw_read_port_uchar(ULONG_PTR Port);
USHORT ndis_raw_read_port_ushort(ULONG_PTR Port);
ULONG ndis_raw_read_port_ulong(ULONG_PTR Port);
VOID ndis_raw_write_port_uchar(ULONG_PTR Port, UCHAR Data);
VOID ndis_raw_write_port_ushort(ULONG_PTR Port, USHORT Data);
VOID ndis_raw_write_port_ulong(ULONG_PTR Port, ULONG Data);
VOID ndis_raw_read_port_buffer_uchar(ULONG_PTR Port, PUCHAR Buffer, ULONG Length);
VOID ndis_raw_read_port_buffer_ushort(ULONG_PTR Port, PUSHORT Buffer, ULONG Length);
VOID ndis_raw_read_port_buffer_ulong(ULONG_PTR Port, PULONG Buffer, ULONG Length);
VOID ndis_raw_write_port_buffer_uchar(ULONG_PTR Port, const UCHAR *Buffer, ULONG Length);
VOID ndis_raw_write_port_buffer_ushort(ULONG_PTR Port, const USHORT *Buffer, ULONG Length);
VOID ndis_raw_write_port_buffer_ulong(ULONG_PTR Port, const ULONG *Buffer, ULONG Length);

#define NdisRawReadPortUchar(Port, Data) (*(Data) = ndis_raw_read_port_uchar((ULONG_PTR)(Port)))
#define NdisRawReadPortUshort(Port, Data) (*(Data) = ndis_raw_read_port_ushort((ULONG_PTR)(Port)))
#define NdisRawReadPortUlong(Port, Data) (*(Data) = ndis_raw_read_port_ulong((ULONG_PTR)(Port)))
#define NdisRawWritePortUchar(Port, Data) \
	ndis_raw_write_port_uchar((ULONG_PTR)(Port), (UCHAR)(Data))
#define NdisRawWritePortUshort(Port, Data) \
	ndis_raw_write_port_ushort((ULONG_PTR)(Port), (USHORT)(Data))
#define NdisRawWritePortUlong(Port, Data) \
	ndis_raw_write_port_ulong((ULONG_PTR)(Port), (ULONG)(Data))
#define NdisRawReadPortBufferUchar(Port, Buffer, Length) \
	ndis_raw_read_port_buffer_uchar((ULONG_PTR)(Port), (PUCHAR)(Buffer), (ULONG)(Length))
#define NdisRawReadPortBufferUshort(Port, Buffer, Length) \
	ndis_raw_read_port_buffer_ushort((ULONG_PTR)(Port), (PUSHORT)(Buffer), (ULONG)(Length))
#define NdisRawReadPortBufferUlong(Port, Buffer, Length) \
	ndis_raw_read_port_buffer_ulong((ULONG_PTR)(Port), (PULONG)(Buffer), (ULONG)(Length))
#define NdisRawWritePortBufferUchar(Port, Buffer, Length)                            \
	ndis_raw_write_port_buffer_uchar((ULONG_PTR)(Port), (const UCHAR *)(Buffer), \
					 (ULONG)(Length))
#define NdisRawWritePortBufferUshort(Port, Buffer, Length)                             \
	ndis_raw_write_port_buffer_ushort((ULONG_PTR)(Port), (const USHORT *)(Buffer), \
					  (ULONG)(Length))
#define NdisRawWritePortBufferUlong(Port, Buffer, Length)                            \
	ndis_raw_write_port_buffer_ulong((ULONG_PTR)(Port), (const ULONG *)(Buffer), \
					 (ULONG)(Length))

/* ------------------------------------------------- DMA and shared memory */

/*
 * NdisMAllocateSharedMemory: PASSIVE_LEVEL (NDIS 6: after
 * NdisMRegisterScatterGatherDma). Zeroed memory the CPU uses at
 * *VirtualAddress and the device at *PhysicalAddress (a logical address,
 * unrelated to the virtual one); *VirtualAddress is NULL on failure.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMAllocateSharedMemory(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ ULONG Length,
			      _In_ BOOLEAN Cached, _Out_ PVOID *VirtualAddress,
			      _Out_ PNDIS_PHYSICAL_ADDRESS PhysicalAddress);
/* PASSIVE_LEVEL; exactly what NdisMAllocateSharedMemory returned. */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMFreeSharedMemory(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ ULONG Length,
			  _In_ BOOLEAN Cached, _In_ PVOID VirtualAddress,
			  _In_ NDIS_PHYSICAL_ADDRESS PhysicalAddress);

/* SCATTER_GATHER_LIST: <wdm.h>. */

#if NDIS_SUPPORT_NDIS6

typedef _Function_class_(MINIPORT_PROCESS_SG_LIST)
    VOID(MINIPORT_PROCESS_SG_LIST)(_In_ PDEVICE_OBJECT pDO, _In_ PVOID Reserved,
				   _In_ PSCATTER_GATHER_LIST pSGL, _In_ PVOID Context);
typedef MINIPORT_PROCESS_SG_LIST *MINIPORT_PROCESS_SG_LIST_HANDLER;

typedef _Function_class_(MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE)
    VOID(MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE)(_In_ NDIS_HANDLE MiniportAdapterContext,
						_In_ PVOID VirtualAddress,
						_In_ PNDIS_PHYSICAL_ADDRESS PhysicalAddress,
						_In_ ULONG Length, _In_ PVOID Context);
typedef MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE *MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE_HANDLER;

#define NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION 0x83

#define NDIS_SG_DMA_64_BIT_ADDRESS 0x00000001
#define NDIS_SG_DMA_DESCRIPTION_REVISION_1 1

typedef struct _NDIS_SG_DMA_DESCRIPTION {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	ULONG MaximumPhysicalMapping;
	MINIPORT_PROCESS_SG_LIST_HANDLER ProcessSGListHandler;
	MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE_HANDLER SharedMemAllocateCompleteHandler;
	ULONG ScatterGatherListSize;
} NDIS_SG_DMA_DESCRIPTION, *PNDIS_SG_DMA_DESCRIPTION;

#define NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_SG_DMA_DESCRIPTION, ScatterGatherListSize)

/*
 * NdisMRegisterScatterGatherDma: PASSIVE_LEVEL, from MiniportInitializeEx;
 * one per adapter; what NdisMAllocateSharedMemory and
 * NdisMAllocateNetBufferSGList require.
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMRegisterScatterGatherDma(_In_ NDIS_HANDLE MiniportAdapterHandle,
				  _Inout_ PNDIS_SG_DMA_DESCRIPTION DmaDescription,
				  _Out_ PNDIS_HANDLE NdisMiniportDmaHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMDeregisterScatterGatherDma(_In_ NDIS_HANDLE NdisMiniportDmaHandle);

/*
 * NdisMAllocateSharedMemoryAsyncEx: <= DISPATCH_LEVEL. NDIS_STATUS_PENDING:
 * the registration's SharedMemAllocateCompleteHandler gets the memory (or
 * NULL) later, at PASSIVE_LEVEL; NDIS_STATUS_FAILURE otherwise.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisMAllocateSharedMemoryAsyncEx(_In_ NDIS_HANDLE MiniportDmaHandle, _In_ ULONG Length,
				     _In_ BOOLEAN Cached, _In_ PVOID Context);

#endif /* NDIS_SUPPORT_NDIS6 */

#endif /* _NDISRT_NDIS_IO_H_ */
