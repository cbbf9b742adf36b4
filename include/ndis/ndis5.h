/*
 * ndis/ndis5.h - the NDIS 5.x miniport DDI as ndisrt implements it: the
 * legacy interrupt model (NdisMRegisterInterrupt, MiniportISR,
 * MiniportHandleInterrupt, MiniportDisableInterrupt/EnableInterrupt,
 * NdisMSynchronizeWithInterrupt), NDIS 4.0-5.1 miniport registration and
 * initialization, NDIS_PACKET send and NdisMEthIndicateReceive receive,
 * PCI slot information.
 *
 * Part of <ndis.h>, never included on its own; its declarations exist
 * only when NDIS_LEGACY_MINIPORT is 1 (an NDIS 5.0/5.1 miniport build, or
 * the runtime), as in the WDK. What NDIS 5 and NDIS 6 miniports share -
 * spin locks, the IRQL macros, processor queries, NdisStallExecution,
 * memory, register and port access, I/O port ranges, the medium, OIDs and
 * packet filters - is in <ndis/base.h>, <ndis/io.h> and <ndis/oid.h>.
 *
 * Source-compatible with the WDK's ndis.h for what it declares (names,
 * parameter order, types; spec §14, docs/ndis5.md). Where the WDK defines
 * a DDI as a macro (packet and buffer queries), so does this header.
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/ndis5.h>"
#endif
#ifndef _NDISRT_NDIS_NDIS5_H_
#define _NDISRT_NDIS_NDIS5_H_

#if NDIS_LEGACY_MINIPORT

typedef enum _NDIS_MEDIA_STATE {
	NdisMediaStateConnected,
	NdisMediaStateDisconnected
} NDIS_MEDIA_STATE,
    *PNDIS_MEDIA_STATE;

/* ------------------------------------------------ NDIS_PACKET, NDIS_BUFFER */

/*
 * NDIS_BUFFER is an MDL, as in the WDK: drivers that write ByteCount
 * (NdisAdjustBufferLength) or walk Next see the same members.
 */
typedef MDL NDIS_BUFFER, *PNDIS_BUFFER;

typedef struct _NDIS_PACKET NDIS_PACKET, *PNDIS_PACKET, **PPNDIS_PACKET;

/* The WDK's shape. */
typedef struct _NDIS_PACKET_PRIVATE {
	UINT PhysicalCount;
	UINT TotalLength;
	PNDIS_BUFFER Head;
	PNDIS_BUFFER Tail;
	PVOID Pool;
	UINT Count;
	ULONG Flags;
	BOOLEAN ValidCounts;
	UCHAR NdisPacketFlags;
	USHORT NdisPacketOobOffset;
} NDIS_PACKET_PRIVATE, *PNDIS_PACKET_PRIVATE;

struct _NDIS_PACKET {
	NDIS_PACKET_PRIVATE Private;
	union {
		struct {
			UCHAR MiniportReserved[2 * sizeof(PVOID)];
			UCHAR WrapperReserved[2 * sizeof(PVOID)];
		};
		struct {
			UCHAR MiniportReservedEx[3 * sizeof(PVOID)];
			UCHAR WrapperReservedEx[sizeof(PVOID)];
		};
		struct {
			UCHAR MacReserved[4 * sizeof(PVOID)];
		};
	};
	ULONG_PTR Reserved[2];
	UCHAR ProtocolReserved[1];
};

/* Out-of-band data, at NdisPacketOobOffset from the packet (the WDK's shape). */
typedef struct _NDIS_PACKET_OOB_DATA {
	union {
		ULONGLONG TimeToSend;
		ULONGLONG TimeSent;
	};
	ULONGLONG TimeReceived;
	UINT HeaderSize;
	UINT SizeMediaSpecificInfo;
	PVOID MediaSpecificInformation;
	NDIS_STATUS Status;
} NDIS_PACKET_OOB_DATA, *PNDIS_PACKET_OOB_DATA;

#define NDIS_OOB_DATA_FROM_PACKET(_P) \
	((PNDIS_PACKET_OOB_DATA)((PUCHAR)(_P) + (_P)->Private.NdisPacketOobOffset))
#define NDIS_GET_PACKET_STATUS(_P) (NDIS_OOB_DATA_FROM_PACKET(_P)->Status)
#define NDIS_SET_PACKET_STATUS(_P, _S) (NDIS_OOB_DATA_FROM_PACKET(_P)->Status = (_S))
#define NDIS_GET_PACKET_HEADER_SIZE(_P) (NDIS_OOB_DATA_FROM_PACKET(_P)->HeaderSize)
#define NDIS_SET_PACKET_HEADER_SIZE(_P, _S) (NDIS_OOB_DATA_FROM_PACKET(_P)->HeaderSize = (_S))

/* The WDK's macros; any IRQL <= DISPATCH_LEVEL. Optional outputs may be NULL. */
VOID ndis_query_packet(_In_ PNDIS_PACKET Packet, _Out_opt_ PUINT PhysicalBufferCount,
		       _Out_opt_ PUINT BufferCount, _Out_opt_ PNDIS_BUFFER *FirstBuffer,
		       _Out_opt_ PUINT TotalPacketLength);
#define NdisQueryPacket(_Packet, _PhysicalBufferCount, _BufferCount, _FirstBuffer,           \
			_TotalPacketLength)                                                  \
	ndis_query_packet((_Packet), (_PhysicalBufferCount), (_BufferCount), (_FirstBuffer), \
			  (_TotalPacketLength))
#define NdisQueryPacketLength(_Packet, _TotalPacketLength) \
	ndis_query_packet((_Packet), NULL, NULL, NULL, (_TotalPacketLength))
#define NdisQueryBuffer(_Buffer, _VirtualAddress, _Length)                      \
	do {                                                                    \
		PNDIS_BUFFER ndis_qb_ = (_Buffer);                              \
		if ((_VirtualAddress) != NULL)                                  \
			*(PVOID *)(_VirtualAddress) = ndis_qb_->MappedSystemVa; \
		*(_Length) = ndis_qb_->ByteCount;                               \
	} while (0)
#define NdisQueryBufferSafe(_Buffer, _VirtualAddress, _Length, _Priority) \
	do {                                                              \
		(void)(_Priority);                                        \
		NdisQueryBuffer((_Buffer), (_VirtualAddress), (_Length)); \
	} while (0)
#define NdisGetNextBuffer(_CurrentBuffer, _NextBuffer) (*(_NextBuffer) = (_CurrentBuffer)->Next)
#define NdisBufferLength(_Buffer) ((_Buffer)->ByteCount)
#define NdisBufferVirtualAddress(_Buffer) ((_Buffer)->MappedSystemVa)
#define NdisGetFirstBufferFromPacketSafe(_Packet, _FirstBuffer, _FirstBufferVA,             \
					 _FirstBufferLength, _TotalBufferLength, _Priority) \
	do {                                                                                \
		PNDIS_PACKET ndis_gf_ = (_Packet);                                          \
		(void)(_Priority);                                                          \
		*(_FirstBuffer) = ndis_gf_->Private.Head;                                   \
		*(PVOID *)(_FirstBufferVA) =                                                \
		    ndis_gf_->Private.Head ? ndis_gf_->Private.Head->MappedSystemVa : NULL; \
		*(_FirstBufferLength) =                                                     \
		    ndis_gf_->Private.Head ? ndis_gf_->Private.Head->ByteCount : 0;         \
		*(_TotalBufferLength) = ndis_gf_->Private.TotalLength;                      \
	} while (0)
#define NdisGetFirstBufferFromPacket(_Packet, _FirstBuffer, _FirstBufferVA, _FirstBufferLength, \
				     _TotalBufferLength)                                        \
	NdisGetFirstBufferFromPacketSafe(_Packet, _FirstBuffer, _FirstBufferVA,                 \
					 _FirstBufferLength, _TotalBufferLength,                \
					 NormalPagePriority)

/* NDIS_BUFFER helpers (macros in the WDK; any IRQL <= DISPATCH_LEVEL). */
#define NdisAdjustBufferLength(_Buffer, _Length) (((_Buffer)->ByteCount) = (ULONG)(_Length))
#define NdisQueryBufferOffset(_Buffer, _Offset, _Length) \
	do {                                             \
		*(_Offset) = (_Buffer)->ByteOffset;      \
		*(_Length) = (_Buffer)->ByteCount;       \
	} while (0)
#define NdisBufferVirtualAddressSafe(_Buffer, _Priority) \
	((void)(_Priority), (_Buffer)->MappedSystemVa)
/* Pages the buffer spans (ADDRESS_AND_SIZE_TO_SPAN_PAGES, 4 KiB pages). */
#define NdisGetBufferPhysicalArraySize(_Buffer, _ArraySize)                       \
	(*(_ArraySize) = (UINT)((((ULONG_PTR)(_Buffer)->MappedSystemVa & 0xFFF) + \
				 (_Buffer)->ByteCount + 0xFFF) >>                 \
				12))

/* Packet flags and counts (NDIS_PACKET_PRIVATE). */
#define NdisGetPacketFlags(_Packet) ((_Packet)->Private.Flags)
#define NdisSetPacketFlags(_Packet, _Flags) ((_Packet)->Private.Flags |= (_Flags))
#define NdisClearPacketFlags(_Packet, _Flags) ((_Packet)->Private.Flags &= ~(_Flags))
#define NdisQuerySendFlags(_Packet, _SendFlags) (*(_SendFlags) = (_Packet)->Private.Flags)
#define NdisSetSendFlags(_Packet, _Flags) ((_Packet)->Private.Flags = (_Flags))
#define NDIS_PACKET_FIRST_NDIS_BUFFER(_Packet) ((_Packet)->Private.Head)
#define NDIS_PACKET_LAST_NDIS_BUFFER(_Packet) ((_Packet)->Private.Tail)
#define NDIS_PACKET_VALID_COUNTS(_Packet) ((_Packet)->Private.ValidCounts)
#define NdisRecalculatePacketCounts(_Packet)                     \
	do {                                                     \
		PNDIS_BUFFER ndis_rc_ = (_Packet)->Private.Head; \
		if (ndis_rc_ != NULL) {                          \
			while (ndis_rc_->Next != NULL)           \
				ndis_rc_ = ndis_rc_->Next;       \
			(_Packet)->Private.Tail = ndis_rc_;      \
		}                                                \
		(_Packet)->Private.ValidCounts = FALSE;          \
	} while (0)

/* Out-of-band data of a packet. */
#define NDIS_GET_PACKET_TIME_TO_SEND(_P) (NDIS_OOB_DATA_FROM_PACKET(_P)->TimeToSend)
#define NDIS_SET_PACKET_TIME_TO_SEND(_P, _T) (NDIS_OOB_DATA_FROM_PACKET(_P)->TimeToSend = (_T))
#define NDIS_GET_PACKET_TIME_SENT(_P) (NDIS_OOB_DATA_FROM_PACKET(_P)->TimeSent)
#define NDIS_SET_PACKET_TIME_SENT(_P, _T) (NDIS_OOB_DATA_FROM_PACKET(_P)->TimeSent = (_T))
#define NDIS_GET_PACKET_TIME_RECEIVED(_P) (NDIS_OOB_DATA_FROM_PACKET(_P)->TimeReceived)
#define NDIS_SET_PACKET_TIME_RECEIVED(_P, _T) (NDIS_OOB_DATA_FROM_PACKET(_P)->TimeReceived = (_T))
#define NDIS_GET_PACKET_MEDIA_SPECIFIC_INFO(_P, _Info, _Size)                       \
	do {                                                                        \
		*(_Info) = NDIS_OOB_DATA_FROM_PACKET(_P)->MediaSpecificInformation; \
		*(_Size) = NDIS_OOB_DATA_FROM_PACKET(_P)->SizeMediaSpecificInfo;    \
	} while (0)
#define NDIS_SET_PACKET_MEDIA_SPECIFIC_INFO(_P, _Info, _Size)                      \
	do {                                                                       \
		NDIS_OOB_DATA_FROM_PACKET(_P)->MediaSpecificInformation = (_Info); \
		NDIS_OOB_DATA_FROM_PACKET(_P)->SizeMediaSpecificInfo = (_Size);    \
	} while (0)

/* ------------------------------------------------ packet and buffer pools */

/* The ProtocolReservedLength a miniport gives for packets it indicates. */
#define PROTOCOL_RESERVED_SIZE_IN_PACKET (4 * sizeof(PVOID))

/*
 * Pools of NDIS_PACKET and NDIS_BUFFER descriptors (ndis/ndis5/pool.c).
 * All at IRQL <= DISPATCH_LEVEL (the Dpr forms at DISPATCH_LEVEL exactly);
 * bug check 0xC4 otherwise. *Status: NDIS_STATUS_SUCCESS, or
 * NDIS_STATUS_RESOURCES (no memory, pool exhausted). A packet comes zeroed
 * with no buffers, ProtocolReservedLength bytes of ProtocolReserved and
 * its out-of-band block. Freeing a descriptor twice is 0xC4 DOUBLE_FREE,
 * one that is not a pool's 0xC4 BAD_OBJECT, a pool with descriptors still
 * allocated 0xC4 RESOURCE_LEAK.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisAllocatePacketPool(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_HANDLE PoolHandle,
			   _In_ UINT NumberOfDescriptors, _In_ UINT ProtocolReservedLength);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisAllocatePacketPoolEx(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_HANDLE PoolHandle,
			     _In_ UINT NumberOfDescriptors, _In_ UINT NumberOfOverflowDescriptors,
			     _In_ UINT ProtocolReservedLength);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreePacketPool(_In_ NDIS_HANDLE PoolHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) UINT NdisPacketPoolUsage(_In_ NDIS_HANDLE PoolHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisAllocatePacket(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_PACKET *Packet,
		       _In_ NDIS_HANDLE PoolHandle);
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisDprAllocatePacket(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_PACKET *Packet,
			  _In_ NDIS_HANDLE PoolHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreePacket(_In_ PNDIS_PACKET Packet);
_IRQL_requires_(DISPATCH_LEVEL) VOID NdisDprFreePacket(_In_ PNDIS_PACKET Packet);
#define NdisReinitializePacket(Packet)                       \
	do {                                                 \
		(Packet)->Private.Head = (PNDIS_BUFFER)NULL; \
		(Packet)->Private.ValidCounts = FALSE;       \
	} while (0)

_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisAllocateBufferPool(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_HANDLE PoolHandle,
			   _In_ UINT NumberOfDescriptors);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeBufferPool(_In_ NDIS_HANDLE PoolHandle);
/* A buffer descriptor (an MDL) for [VirtualAddress, +Length), nonpaged memory. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisAllocateBuffer(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_BUFFER *Buffer,
		       _In_opt_ NDIS_HANDLE PoolHandle, _In_ PVOID VirtualAddress,
		       _In_ UINT Length);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisFreeBuffer(_In_ PNDIS_BUFFER Buffer);

/* Chain a buffer (or a chain of them) at the front / back of a packet. */
#define NdisChainBufferAtFront(_Packet, _Buffer)            \
	do {                                                \
		PNDIS_BUFFER ndis_cb_ = (_Buffer);          \
		while (ndis_cb_->Next != NULL)              \
			ndis_cb_ = ndis_cb_->Next;          \
		if ((_Packet)->Private.Head == NULL)        \
			(_Packet)->Private.Tail = ndis_cb_; \
		ndis_cb_->Next = (_Packet)->Private.Head;   \
		(_Packet)->Private.Head = (_Buffer);        \
		(_Packet)->Private.ValidCounts = FALSE;     \
	} while (0)
#define NdisChainBufferAtBack(_Packet, _Buffer)                    \
	do {                                                       \
		PNDIS_BUFFER ndis_cb_ = (_Buffer);                 \
		while (ndis_cb_->Next != NULL)                     \
			ndis_cb_ = ndis_cb_->Next;                 \
		if ((_Packet)->Private.Head != NULL)               \
			(_Packet)->Private.Tail->Next = (_Buffer); \
		else                                               \
			(_Packet)->Private.Head = (_Buffer);       \
		(_Packet)->Private.Tail = ndis_cb_;                \
		(_Packet)->Private.ValidCounts = FALSE;            \
	} while (0)
/* Take the first / last buffer off the packet; *Buffer NULL if it has none. */
VOID NdisUnchainBufferAtFront(_Inout_ PNDIS_PACKET Packet, _Out_ PNDIS_BUFFER *Buffer);
VOID NdisUnchainBufferAtBack(_Inout_ PNDIS_PACKET Packet, _Out_ PNDIS_BUFFER *Buffer);

/* ------------------------------------------- legacy interrupt object */

typedef KINTERRUPT_MODE NDIS_INTERRUPT_MODE, *PNDIS_INTERRUPT_MODE;
#define NdisInterruptLevelSensitive LevelSensitive
#define NdisInterruptLatched Latched

/* Legacy miniport callbacks (spec §14.3-§14.8, §14.9). */
typedef VOID (*W_ISR_HANDLER)(_Out_ PBOOLEAN InterruptRecognized,
			      _Out_ PBOOLEAN QueueMiniportHandleInterrupt,
			      _In_ NDIS_HANDLE MiniportAdapterContext);
typedef VOID (*W_HANDLE_INTERRUPT_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext);
typedef VOID (*W_DISABLE_INTERRUPT_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext);
typedef VOID (*W_ENABLE_INTERRUPT_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext);
typedef BOOLEAN (*W_CHECK_FOR_HANG_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext);
typedef VOID (*W_HALT_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext);
typedef NDIS_STATUS (*W_INITIALIZE_HANDLER)(_Out_ PNDIS_STATUS OpenErrorStatus,
					    _Out_ PUINT SelectedMediumIndex,
					    _In_ PNDIS_MEDIUM MediumArray,
					    _In_ UINT MediumArraySize,
					    _In_ NDIS_HANDLE MiniportAdapterHandle,
					    _In_ NDIS_HANDLE WrapperConfigurationContext);
typedef NDIS_STATUS (*W_QUERY_INFORMATION_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext,
						   _In_ NDIS_OID Oid, _In_ PVOID InformationBuffer,
						   _In_ ULONG InformationBufferLength,
						   _Out_ PULONG BytesWritten,
						   _Out_ PULONG BytesNeeded);
typedef NDIS_STATUS (*W_RECONFIGURE_HANDLER)(_Out_ PNDIS_STATUS OpenErrorStatus,
					     _In_ NDIS_HANDLE MiniportAdapterContext,
					     _In_ NDIS_HANDLE WrapperConfigurationContext);
typedef NDIS_STATUS (*W_RESET_HANDLER)(_Out_ PBOOLEAN AddressingReset,
				       _In_ NDIS_HANDLE MiniportAdapterContext);
typedef NDIS_STATUS (*W_SEND_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext,
				      _In_ PNDIS_PACKET Packet, _In_ UINT Flags);
typedef NDIS_STATUS (*W_SET_INFORMATION_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext,
						 _In_ NDIS_OID Oid, _In_ PVOID InformationBuffer,
						 _In_ ULONG InformationBufferLength,
						 _Out_ PULONG BytesRead, _Out_ PULONG BytesNeeded);
typedef NDIS_STATUS (*W_TRANSFER_DATA_HANDLER)(_Out_ PNDIS_PACKET Packet,
					       _Out_ PUINT BytesTransferred,
					       _In_ NDIS_HANDLE MiniportAdapterContext,
					       _In_ NDIS_HANDLE MiniportReceiveContext,
					       _In_ UINT ByteOffset, _In_ UINT BytesToTransfer);
typedef VOID (*W_RETURN_PACKET_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext,
					_In_ PNDIS_PACKET Packet);
typedef VOID (*W_SEND_PACKETS_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext,
				       _In_ PPNDIS_PACKET PacketArray, _In_ UINT NumberOfPackets);
typedef VOID (*W_ALLOCATE_COMPLETE_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext,
					    _In_ PVOID VirtualAddress,
					    _In_ PNDIS_PHYSICAL_ADDRESS PhysicalAddress,
					    _In_ ULONG Length, _In_ PVOID Context);
/* Connection-oriented (CoNDIS) entry points: not implemented; must be NULL. */
typedef PVOID W_CO_CREATE_VC_HANDLER, W_CO_DELETE_VC_HANDLER, W_CO_ACTIVATE_VC_HANDLER,
    W_CO_DEACTIVATE_VC_HANDLER, W_CO_SEND_PACKETS_HANDLER, W_CO_REQUEST_HANDLER;
typedef VOID (*W_CANCEL_SEND_PACKETS_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext,
					      _In_ PVOID CancelId);
typedef VOID (*W_PNP_EVENT_NOTIFY_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext,
					   _In_ NDIS_DEVICE_PNP_EVENT PnPEvent,
					   _In_ PVOID InformationBuffer,
					   _In_ ULONG InformationBufferLength);
typedef VOID (*W_MINIPORT_SHUTDOWN_HANDLER)(_In_ NDIS_HANDLE MiniportAdapterContext);

/*
 * NDIS_MINIPORT_CHARACTERISTICS. The WDK nests NDIS30/40/50 structures as
 * unnamed members (a Microsoft extension); ndisrt spells the same members
 * out flat, which gives the same layout and the same member names in C11.
 * NDIS 3.0/4.0 members: spec §14.9; 5.0 and 5.1 tails: docs/ndis5.md (§24
 * O-8). USHORT Filler is the WDK's padding member.
 */
#define NDIS_MINIPORT_CHARACTERISTICS_40_MEMBERS__           \
	UCHAR MajorNdisVersion;                              \
	UCHAR MinorNdisVersion;                              \
	USHORT Filler;                                       \
	UINT Reserved;                                       \
	W_CHECK_FOR_HANG_HANDLER CheckForHangHandler;        \
	W_DISABLE_INTERRUPT_HANDLER DisableInterruptHandler; \
	W_ENABLE_INTERRUPT_HANDLER EnableInterruptHandler;   \
	W_HALT_HANDLER HaltHandler;                          \
	W_HANDLE_INTERRUPT_HANDLER HandleInterruptHandler;   \
	W_INITIALIZE_HANDLER InitializeHandler;              \
	W_ISR_HANDLER ISRHandler;                            \
	W_QUERY_INFORMATION_HANDLER QueryInformationHandler; \
	W_RECONFIGURE_HANDLER ReconfigureHandler;            \
	W_RESET_HANDLER ResetHandler;                        \
	W_SEND_HANDLER SendHandler;                          \
	W_SET_INFORMATION_HANDLER SetInformationHandler;     \
	W_TRANSFER_DATA_HANDLER TransferDataHandler;         \
	W_RETURN_PACKET_HANDLER ReturnPacketHandler;         \
	W_SEND_PACKETS_HANDLER SendPacketsHandler;           \
	W_ALLOCATE_COMPLETE_HANDLER AllocateCompleteHandler;

#define NDIS_MINIPORT_CHARACTERISTICS_50_MEMBERS__        \
	NDIS_MINIPORT_CHARACTERISTICS_40_MEMBERS__        \
	W_CO_CREATE_VC_HANDLER CoCreateVcHandler;         \
	W_CO_DELETE_VC_HANDLER CoDeleteVcHandler;         \
	W_CO_ACTIVATE_VC_HANDLER CoActivateVcHandler;     \
	W_CO_DEACTIVATE_VC_HANDLER CoDeactivateVcHandler; \
	W_CO_SEND_PACKETS_HANDLER CoSendPacketsHandler;   \
	W_CO_REQUEST_HANDLER CoRequestHandler;

typedef struct _NDIS40_MINIPORT_CHARACTERISTICS {
	NDIS_MINIPORT_CHARACTERISTICS_40_MEMBERS__
} NDIS40_MINIPORT_CHARACTERISTICS;

typedef struct _NDIS50_MINIPORT_CHARACTERISTICS {
	NDIS_MINIPORT_CHARACTERISTICS_50_MEMBERS__
} NDIS50_MINIPORT_CHARACTERISTICS;

typedef struct _NDIS51_MINIPORT_CHARACTERISTICS {
	NDIS_MINIPORT_CHARACTERISTICS_50_MEMBERS__
	W_CANCEL_SEND_PACKETS_HANDLER CancelSendPacketsHandler;
	W_PNP_EVENT_NOTIFY_HANDLER PnPEventNotifyHandler;
	W_MINIPORT_SHUTDOWN_HANDLER AdapterShutdownHandler;
	PVOID Reserved1;
	PVOID Reserved2;
	PVOID Reserved3;
	PVOID Reserved4;
} NDIS51_MINIPORT_CHARACTERISTICS;

#if defined(NDIS50_MINIPORT) && !defined(NDIS51_MINIPORT)
typedef NDIS50_MINIPORT_CHARACTERISTICS NDIS_MINIPORT_CHARACTERISTICS;
#else
typedef NDIS51_MINIPORT_CHARACTERISTICS NDIS_MINIPORT_CHARACTERISTICS;
#endif
typedef NDIS_MINIPORT_CHARACTERISTICS *PNDIS_MINIPORT_CHARACTERISTICS;

/* The miniport block: opaque (NDIS_MINIPORT_INTERRUPT.Miniport points to it). */
typedef struct _NDIS_MINIPORT_BLOCK NDIS_MINIPORT_BLOCK, *PNDIS_MINIPORT_BLOCK;

/*
 * The legacy interrupt object: resident storage the driver allocates
 * (usually inside its adapter context) and NdisMRegisterInterrupt fills.
 * The WDK's members and x64 layout; the kernel objects it embeds (a KDPC
 * and a KEVENT) are opaque storage here. InterruptObject is non-NULL once
 * registered: drivers may read it, and some clear it after
 * NdisMDeregisterInterrupt - the runtime never relies on it. The runtime's
 * own reference is Reserved (a generation-checked handle, so a use after
 * deregistration is a named bug check). SharedInterrupt and IsrRequested
 * are what the driver registered.
 */
typedef struct _NDIS_MINIPORT_INTERRUPT {
	PKINTERRUPT InterruptObject;
	KSPIN_LOCK DpcCountLock;
	PVOID Reserved;
	W_ISR_HANDLER MiniportIsr;
	W_HANDLE_INTERRUPT_HANDLER MiniportDpc;
	ULONG_PTR InterruptDpc[8]; /* KDPC */
	PNDIS_MINIPORT_BLOCK Miniport;
	UCHAR DpcCount;
	BOOLEAN Filler1;
	ULONG_PTR DpcsCompletedEvent[3]; /* KEVENT */
	BOOLEAN SharedInterrupt;
	BOOLEAN IsrRequested;
} NDIS_MINIPORT_INTERRUPT, *PNDIS_MINIPORT_INTERRUPT;

/* ----------------------------------------------- legacy interrupt DDI */

/*
 * Seven parameters, Interrupt first (spec §24 C-11). PASSIVE_LEVEL, from
 * MiniportInitialize after NdisMSetAttributes[Ex] (L1).
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMRegisterInterrupt(_Out_ PNDIS_MINIPORT_INTERRUPT Interrupt,
			   _In_ NDIS_HANDLE MiniportAdapterHandle, _In_ UINT InterruptVector,
			   _In_ UINT InterruptLevel, _In_ BOOLEAN RequestIsr,
			   _In_ BOOLEAN SharedInterrupt, _In_ NDIS_INTERRUPT_MODE InterruptMode);

/* PASSIVE_LEVEL, from MiniportInitialize or MiniportHalt after a successful register (L9). */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMDeregisterInterrupt(_In_ PNDIS_MINIPORT_INTERRUPT Interrupt);

/*
 * <= DIRQL. Runs SynchronizeFunction (a MiniportSynchronizeISR:
 * BOOLEAN (PVOID)) at DIRQL holding the interrupt's lock, excluding
 * MiniportISR and MiniportDisableInterrupt; returns its BOOLEAN (L8).
 */
_IRQL_requires_max_(HIGH_LEVEL) BOOLEAN
    NdisMSynchronizeWithInterrupt(_In_ PNDIS_MINIPORT_INTERRUPT Interrupt,
				  _In_ PVOID SynchronizeFunction, _In_ PVOID SynchronizeContext);

/* ------------------------------------------------ registration, init */

/* PASSIVE_LEVEL, from DriverEntry; SystemSpecific1/2 are DriverEntry's arguments. */
VOID NdisMInitializeWrapper(_Out_ PNDIS_HANDLE NdisWrapperHandle, _In_ PVOID SystemSpecific1,
			    _In_ PVOID SystemSpecific2, _In_ PVOID SystemSpecific3);
VOID NdisTerminateWrapper(_In_ NDIS_HANDLE NdisWrapperHandle, _In_ PVOID SystemSpecific);
/* PASSIVE_LEVEL. */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMRegisterMiniport(_In_ NDIS_HANDLE NdisWrapperHandle,
			  _In_ PNDIS_MINIPORT_CHARACTERISTICS MiniportCharacteristics,
			  _In_ UINT CharacteristicsLength);

#define NDIS_ATTRIBUTE_IGNORE_PACKET_TIMEOUT 0x00000001
#define NDIS_ATTRIBUTE_IGNORE_REQUEST_TIMEOUT 0x00000002
#define NDIS_ATTRIBUTE_IGNORE_TOKEN_RING_ERRORS 0x00000004
#define NDIS_ATTRIBUTE_BUS_MASTER 0x00000008
#define NDIS_ATTRIBUTE_INTERMEDIATE_DRIVER 0x00000010
#define NDIS_ATTRIBUTE_DESERIALIZE 0x00000020
#define NDIS_ATTRIBUTE_NO_HALT_ON_SUSPEND 0x00000040
#define NDIS_ATTRIBUTE_SURPRISE_REMOVE_OK 0x00000080
#define NDIS_ATTRIBUTE_NOT_CO_NDIS 0x00000100
#define NDIS_ATTRIBUTE_USES_SAFE_BUFFER_APIS 0x00000200

/* PASSIVE_LEVEL, from MiniportInitialize, before NdisMRegisterInterrupt. */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMSetAttributesEx(_In_ NDIS_HANDLE MiniportAdapterHandle,
			 _In_ NDIS_HANDLE MiniportAdapterContext,
			 _In_opt_ UINT CheckForHangTimeInSeconds, _In_ ULONG AttributeFlags,
			 _In_opt_ NDIS_INTERFACE_TYPE AdapterType);
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMSetAttributes(_In_ NDIS_HANDLE MiniportAdapterHandle,
		       _In_ NDIS_HANDLE MiniportAdapterContext, _In_ BOOLEAN BusMaster,
		       _In_ NDIS_INTERFACE_TYPE AdapterType);

/*
 * NdisMInitializeScatterGatherDma (NDIS 5.1): PASSIVE_LEVEL, from
 * MiniportInitialize of a bus master (NDIS_ATTRIBUTE_BUS_MASTER set), once.
 * What NdisMAllocateSharedMemory requires of an NDIS 5 miniport in ndisrt.
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMInitializeScatterGatherDma(_In_ NDIS_HANDLE MiniportAdapterHandle,
				    _In_ BOOLEAN Dma64BitAddresses,
				    _In_ ULONG MaximumPhysicalMapping);

/*
 * PCI configuration space of the adapter (SlotNumber is ignored: the
 * adapter has one function). PASSIVE_LEVEL. Return: bytes read / written.
 */
_IRQL_requires_(PASSIVE_LEVEL) ULONG
    NdisReadPciSlotInformation(_In_ NDIS_HANDLE NdisAdapterHandle, _In_ ULONG SlotNumber,
			       _In_ ULONG Offset, _Out_ PVOID Buffer, _In_ ULONG Length);
_IRQL_requires_(PASSIVE_LEVEL) ULONG
    NdisWritePciSlotInformation(_In_ NDIS_HANDLE NdisAdapterHandle, _In_ ULONG SlotNumber,
				_In_ ULONG Offset, _In_ PVOID Buffer, _In_ ULONG Length);

/* -------------------------------------------------- send and receive */

/* <= DISPATCH_LEVEL. Completes a send that MiniportSend returned PENDING for. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMSendComplete(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ PNDIS_PACKET Packet,
		      _In_ NDIS_STATUS Status);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMSendResourcesAvailable(_In_ NDIS_HANDLE MiniportAdapterHandle);

/*
 * DISPATCH_LEVEL. A received Ethernet frame: header, then lookahead data;
 * PacketSize counts the bytes after the header. ndisrt delivers frames whose
 * lookahead holds all of them (MiniportTransferData is not implemented).
 */
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisMEthIndicateReceive(_In_ NDIS_HANDLE MiniportAdapterHandle,
			    _In_ NDIS_HANDLE MiniportReceiveContext, _In_ PVOID HeaderBuffer,
			    _In_ UINT HeaderBufferSize, _In_ PVOID LookaheadBuffer,
			    _In_ UINT LookaheadBufferSize, _In_ UINT PacketSize);
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisMEthIndicateReceiveComplete(_In_ NDIS_HANDLE MiniportAdapterHandle);

/*
 * <= DISPATCH_LEVEL. Received frames, one packet each. A packet whose
 * out-of-band status is NDIS_STATUS_RESOURCES is the miniport's again when
 * the call returns; any other is NDIS's until MiniportReturnPacket (its
 * status then reads NDIS_STATUS_PENDING). The array stays the miniport's.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMIndicateReceivePacket(_In_ NDIS_HANDLE MiniportAdapterHandle,
			       _In_reads_(NumberOfPackets) PPNDIS_PACKET PacketArray,
			       _In_ UINT NumberOfPackets);

/*
 * <= DISPATCH_LEVEL. Completes a MiniportReset that returned
 * NDIS_STATUS_PENDING (0xC4 UNEXPECTED_COMPLETE if none is pending).
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMResetComplete(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ NDIS_STATUS Status,
		       _In_ BOOLEAN AddressingReset);

/* <= DISPATCH_LEVEL. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMIndicateStatus(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ NDIS_STATUS GeneralStatus,
			_In_ PVOID StatusBuffer, _In_ UINT StatusBufferSize);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMIndicateStatusComplete(_In_ NDIS_HANDLE MiniportAdapterHandle);

/* <= DISPATCH_LEVEL: complete a query or set that returned NDIS_STATUS_PENDING. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMQueryInformationComplete(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ NDIS_STATUS Status);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMSetInformationComplete(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ NDIS_STATUS Status);

/* ------------------------------------------- per-packet information */

/*
 * The per-packet information block that follows a packet's out-of-band
 * data (the WDK's order; MaxPerPacketInfo entries). Every NDIS_PACKET
 * ndisrt makes (host sends, NdisAllocatePacket) has one. A bus master that
 * called NdisMInitializeScatterGatherDma finds each sent packet's
 * SCATTER_GATHER_LIST at ScatterGatherListPacketInfo.
 */
typedef enum _NDIS_PER_PACKET_INFO {
	TcpIpChecksumPacketInfo,
	IpSecPacketInfo,
	TcpLargeSendPacketInfo,
	ClassificationHandlePacketInfo,
	NdisReserved,
	ScatterGatherListPacketInfo,
	Ieee8021QInfo,
	OriginalPacketInfo,
	PacketCancelId,
	OriginalNetBufferList,
	CachedNetBufferList,
	ShortPacketPaddingInfo,
	MaxPerPacketInfo
} NDIS_PER_PACKET_INFO,
    *PNDIS_PER_PACKET_INFO;

typedef struct _NDIS_PACKET_EXTENSION {
	PVOID NdisPacketInfo[MaxPerPacketInfo];
} NDIS_PACKET_EXTENSION, *PNDIS_PACKET_EXTENSION;

#define NDIS_PACKET_EXTENSION_FROM_PACKET(_P)                                        \
	((PNDIS_PACKET_EXTENSION)((PUCHAR)(_P) + (_P)->Private.NdisPacketOobOffset + \
				  sizeof(NDIS_PACKET_OOB_DATA)))
#define NDIS_PER_PACKET_INFO_FROM_PACKET(_P, _Id) \
	(NDIS_PACKET_EXTENSION_FROM_PACKET(_P)->NdisPacketInfo[(_Id)])
#define NDIS_GET_ORIGINAL_PACKET(_P) NDIS_PER_PACKET_INFO_FROM_PACKET(_P, OriginalPacketInfo)
#define NDIS_SET_ORIGINAL_PACKET(_P, _OP) \
	(NDIS_PER_PACKET_INFO_FROM_PACKET(_P, OriginalPacketInfo) = (_OP))
#define NDIS_GET_PACKET_CANCEL_ID(_P) NDIS_PER_PACKET_INFO_FROM_PACKET(_P, PacketCancelId)
#define NDIS_SET_PACKET_CANCEL_ID(_P, _cId) \
	(NDIS_PER_PACKET_INFO_FROM_PACKET(_P, PacketCancelId) = (_cId))

/* <= DISPATCH_LEVEL: the high byte of a cancel ID unique to the caller. */
_IRQL_requires_max_(DISPATCH_LEVEL) UCHAR NdisGeneratePartialCancelId(VOID);

/* ------------------------------------------------- task offload (NDIS 5) */

typedef enum _NDIS_TASK {
	TcpIpChecksumNdisTask,
	IpSecNdisTask,
	TcpLargeSendNdisTask,
	MaxNdisTask
} NDIS_TASK,
    *PNDIS_TASK;

typedef enum _NDIS_ENCAPSULATION {
	UNSPECIFIED_Encapsulation,
	NULL_Encapsulation,
	IEEE_802_3_Encapsulation,
	IEEE_802_5_Encapsulation,
	LLC_SNAP_ROUTED_Encapsulation,
	LLC_SNAP_BRIDGED_Encapsulation
} NDIS_ENCAPSULATION;

typedef struct _NDIS_ENCAPSULATION_FORMAT {
	NDIS_ENCAPSULATION Encapsulation;
	struct {
		ULONG FixedHeaderSize : 1;
		ULONG Reserved : 31;
	} Flags;
	ULONG EncapsulationHeaderSize;
} NDIS_ENCAPSULATION_FORMAT, *PNDIS_ENCAPSULATION_FORMAT;

#define NDIS_TASK_OFFLOAD_VERSION 1

typedef struct _NDIS_TASK_OFFLOAD_HEADER {
	ULONG Version;
	ULONG Size;
	ULONG Reserved;
	ULONG OffsetFirstTask;
	NDIS_ENCAPSULATION_FORMAT EncapsulationFormat;
} NDIS_TASK_OFFLOAD_HEADER, *PNDIS_TASK_OFFLOAD_HEADER;

typedef struct _NDIS_TASK_OFFLOAD {
	ULONG Version;
	ULONG Size;
	NDIS_TASK Task;
	ULONG OffsetNextTask;
	ULONG TaskBufferLength;
	UCHAR TaskBuffer[1];
} NDIS_TASK_OFFLOAD, *PNDIS_TASK_OFFLOAD;

typedef struct _NDIS_TASK_TCP_IP_CHECKSUM {
	struct {
		ULONG IpOptionsSupported : 1;
		ULONG TcpOptionsSupported : 1;
		ULONG TcpChecksum : 1;
		ULONG UdpChecksum : 1;
		ULONG IpChecksum : 1;
	} V4Transmit;
	struct {
		ULONG IpOptionsSupported : 1;
		ULONG TcpOptionsSupported : 1;
		ULONG TcpChecksum : 1;
		ULONG UdpChecksum : 1;
		ULONG IpChecksum : 1;
	} V4Receive;
	struct {
		ULONG IpOptionsSupported : 1;
		ULONG TcpOptionsSupported : 1;
		ULONG TcpChecksum : 1;
		ULONG UdpChecksum : 1;
	} V6Transmit;
	struct {
		ULONG IpOptionsSupported : 1;
		ULONG TcpOptionsSupported : 1;
		ULONG TcpChecksum : 1;
		ULONG UdpChecksum : 1;
	} V6Receive;
} NDIS_TASK_TCP_IP_CHECKSUM, *PNDIS_TASK_TCP_IP_CHECKSUM;

#define NDIS_TASK_TCP_LARGE_SEND_V0 0

typedef struct _NDIS_TASK_TCP_LARGE_SEND {
	ULONG Version;
	ULONG MaxOffLoadSize;
	ULONG MinSegmentCount;
	BOOLEAN TcpOptions;
	BOOLEAN IpOptions;
} NDIS_TASK_TCP_LARGE_SEND, *PNDIS_TASK_TCP_LARGE_SEND;

/* ------------------------------------------- resources, DMA, shutdown */

/*
 * PASSIVE_LEVEL, from MiniportInitialize: the adapter's bus-relative
 * resources (its BARs and its interrupt), copied into ResourceList of
 * *BufferSize bytes. *Status: NDIS_STATUS_SUCCESS, or
 * NDIS_STATUS_RESOURCES with *BufferSize the size needed.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMQueryAdapterResources(_Out_ PNDIS_STATUS Status,
			       _In_ NDIS_HANDLE WrapperConfigurationContext,
			       _Out_ PNDIS_RESOURCE_LIST ResourceList, _Inout_ PUINT BufferSize);

/* Map registers (NDIS 5 bus masters that do not use NdisMInitializeScatterGatherDma). */
typedef struct _NDIS_PHYSICAL_ADDRESS_UNIT {
	NDIS_PHYSICAL_ADDRESS PhysicalAddress;
	UINT Length;
} NDIS_PHYSICAL_ADDRESS_UNIT, *PNDIS_PHYSICAL_ADDRESS_UNIT;

#define NDIS_DMA_24BITS ((UCHAR)0)
#define NDIS_DMA_32BITS ((UCHAR)1)
#define NDIS_DMA_64BITS ((UCHAR)2)

/*
 * PASSIVE_LEVEL, from MiniportInitialize of a bus master: BaseMapRegistersNeeded
 * map registers of up to MaximumPhysicalMapping bytes each. Each is a bounce
 * buffer in the machine's DMA space; the mapping copies (WriteToDevice) or
 * the completion copies back (device writes).
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMAllocateMapRegisters(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ UINT DmaChannel,
			      _In_ UCHAR DmaSize, _In_ ULONG BaseMapRegistersNeeded,
			      _In_ ULONG MaximumPhysicalMapping);
/* PASSIVE_LEVEL, from MiniportHalt (or a failing MiniportInitialize). */
_IRQL_requires_(PASSIVE_LEVEL) VOID NdisMFreeMapRegisters(_In_ NDIS_HANDLE MiniportAdapterHandle);
/* DISPATCH_LEVEL: the device-visible address of Buffer through map register PhysicalMapRegister. */
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisMStartBufferPhysicalMapping(_In_ NDIS_HANDLE MiniportAdapterHandle,
				    _In_ PNDIS_BUFFER Buffer, _In_ ULONG PhysicalMapRegister,
				    _In_ BOOLEAN WriteToDevice,
				    _Out_ PNDIS_PHYSICAL_ADDRESS_UNIT PhysicalAddressArray,
				    _Out_ PUINT ArraySize);
/* DISPATCH_LEVEL: the transfer is over; for a device write the data lands in Buffer. */
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisMCompleteBufferPhysicalMapping(_In_ NDIS_HANDLE MiniportAdapterHandle,
				       _In_ PNDIS_BUFFER Buffer, _In_ ULONG PhysicalMapRegister);

/*
 * <= DISPATCH_LEVEL: NdisMAllocateSharedMemory done later; the result goes
 * to MiniportAllocateComplete at DISPATCH_LEVEL (NULL VirtualAddress on
 * failure). Return: NDIS_STATUS_PENDING, or NDIS_STATUS_FAILURE (no
 * MiniportAllocateComplete, DMA not set up).
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisMAllocateSharedMemoryAsync(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ ULONG Length,
				   _In_ BOOLEAN Cached, _In_ PVOID Context);
/* Coherent DMA space: nothing to flush. */
#define NdisMUpdateSharedMemory(_H, _L, _V, _P) ((void)(_H), (void)(_L), (void)(_V), (void)(_P))

typedef VOID (*ADAPTER_SHUTDOWN_HANDLER)(_In_ PVOID ShutdownContext);
/* PASSIVE_LEVEL, from MiniportInitialize; NdisMDeregisterAdapterShutdownHandler from MiniportHalt. */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMRegisterAdapterShutdownHandler(_In_ NDIS_HANDLE MiniportHandle, _In_ PVOID ShutdownContext,
					_In_ ADAPTER_SHUTDOWN_HANDLER ShutdownHandler);
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMDeregisterAdapterShutdownHandler(_In_ NDIS_HANDLE MiniportHandle);

/* PASSIVE_LEVEL, from DriverEntry: called when the driver unloads. */
_IRQL_requires_(PASSIVE_LEVEL) VOID NdisMRegisterUnloadHandler(_In_ NDIS_HANDLE NdisWrapperHandle,
							       _In_ PDRIVER_UNLOAD UnloadHandler);

/* Obsolete PCI forms: the adapter's own function (SlotNumber ignored). PASSIVE_LEVEL. */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisImmediateReadPciSlotInformation(_In_ NDIS_HANDLE WrapperConfigurationContext,
					_In_ ULONG SlotNumber, _In_ ULONG Offset,
					_Out_ PVOID Buffer, _In_ ULONG Length);
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisImmediateWritePciSlotInformation(_In_ NDIS_HANDLE WrapperConfigurationContext,
					 _In_ ULONG SlotNumber, _In_ ULONG Offset,
					 _In_ PVOID Buffer, _In_ ULONG Length);

/*
 * ndisrt never calls MiniportTransferData (every indication holds the whole
 * frame), so no transfer is ever pending: a call is 0xC4 UNEXPECTED_COMPLETE.
 */
_IRQL_requires_(DISPATCH_LEVEL) VOID
    NdisMTransferDataComplete(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ PNDIS_PACKET Packet,
			      _In_ NDIS_STATUS Status, _In_ UINT BytesTransferred);

/* <= DISPATCH_LEVEL: copy between packets' buffer chains. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisCopyFromPacketToPacket(_In_ PNDIS_PACKET Destination, _In_ UINT DestinationOffset,
			       _In_ UINT BytesToCopy, _In_ PNDIS_PACKET Source,
			       _In_ UINT SourceOffset, _Out_ PUINT BytesCopied);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisCopyFromPacketToPacketSafe(_In_ PNDIS_PACKET Destination, _In_ UINT DestinationOffset,
				   _In_ UINT BytesToCopy, _In_ PNDIS_PACKET Source,
				   _In_ UINT SourceOffset, _Out_ PUINT BytesCopied,
				   _In_ MM_PAGE_PRIORITY Priority);
/* <= DISPATCH_LEVEL: a buffer from PoolHandle describing [Offset, +Length) of MemoryDescriptor. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisCopyBuffer(_Out_ PNDIS_STATUS Status, _Out_ PNDIS_BUFFER *Buffer,
		   _In_ NDIS_HANDLE PoolHandle, _In_ PVOID MemoryDescriptor, _In_ UINT Offset,
		   _In_ UINT Length);

/* --------------------------------------------- logs, misc NDIS 5 DDIs */

/*
 * A miniport log (read by a user-mode application through the miniport's
 * device on Windows; ndisrt keeps it in memory). NdisMCreateLog: PASSIVE_LEVEL,
 * one log per adapter (NDIS_STATUS_FAILURE for a second), NDIS_STATUS_RESOURCES.
 * NdisMWriteLogData: <= DISPATCH_LEVEL; NDIS_STATUS_BUFFER_OVERFLOW when the
 * data does not fit in what is left. NdisMFlushLog empties it; NdisMCloseLog
 * frees it (PASSIVE_LEVEL; an unknown handle is 0xC4 BAD_OBJECT).
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMCreateLog(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ UINT Size,
		   _Out_ PNDIS_HANDLE LogHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID NdisMCloseLog(_In_ NDIS_HANDLE LogHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisMFlushLog(_In_ NDIS_HANDLE LogHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisMWriteLogData(_In_ NDIS_HANDLE LogHandle, _In_ PVOID LogBuffer, _In_ UINT LogBufferSize);

/* System (ISA slave) DMA: refused (docs/ddi/refused.tsv). */
VOID NdisMDeregisterDmaChannel(_In_ NDIS_HANDLE MiniportDmaHandle);
VOID NdisMSetupDmaTransfer(_Out_ PNDIS_STATUS Status, _In_ NDIS_HANDLE MiniportDmaHandle,
			   _In_ PNDIS_BUFFER Buffer, _In_ ULONG Offset, _In_ ULONG Length,
			   _In_ BOOLEAN WriteToDevice);
VOID NdisMCompleteDmaTransfer(_Out_ PNDIS_STATUS Status, _In_ NDIS_HANDLE MiniportDmaHandle,
			      _In_ PNDIS_BUFFER Buffer, _In_ ULONG Offset, _In_ ULONG Length,
			      _In_ BOOLEAN WriteToDevice);
ULONG NdisMReadDmaCounter(_In_ NDIS_HANDLE MiniportDmaHandle);
/*
 * System DMA needs its channel registered first: refused like the rest
 * (an NDIS_DMA_DESCRIPTION describes the ISA channel's mode).
 */
typedef struct _NDIS_DMA_DESCRIPTION {
	BOOLEAN DemandMode;
	BOOLEAN AutoInitialize;
	BOOLEAN DmaChannelSpecified;
	DMA_WIDTH DmaWidth;
	DMA_SPEED DmaSpeed;
	ULONG DmaPort;
	ULONG DmaChannel;
} NDIS_DMA_DESCRIPTION, *PNDIS_DMA_DESCRIPTION;
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMRegisterDmaChannel(_Out_ PNDIS_HANDLE MiniportDmaHandle,
			    _In_ NDIS_HANDLE MiniportAdapterHandle, _In_ UINT DmaChannel,
			    _In_ BOOLEAN Dma32BitAddresses,
			    _In_ PNDIS_DMA_DESCRIPTION DmaDescription, _In_ ULONG MaximumLength);
/* Device objects for IOCTLs (NDIS 5.1 only; NDIS 6 has NdisRegisterDeviceEx): refused. */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMRegisterDevice(_In_ NDIS_HANDLE NdisWrapperHandle, _In_ PNDIS_STRING DeviceName,
			_In_ PNDIS_STRING SymbolicName, _In_ PDRIVER_DISPATCH MajorFunctions[],
			_Out_ PDEVICE_OBJECT *pDeviceObject, _Out_ NDIS_HANDLE *NdisDeviceHandle);
NDIS_STATUS NdisMDeregisterDevice(_In_ NDIS_HANDLE NdisDeviceHandle);
/* Obsolete resource assignment: refused (NdisMQueryAdapterResources is implemented). */
NDIS_STATUS NdisMPciAssignResources(_In_ NDIS_HANDLE MiniportHandle, _In_ ULONG SlotNumber,
				    _Out_ PNDIS_RESOURCE_LIST *AssignedResources);
/* Processor accounting: refused. */
VOID NdisGetCurrentProcessorCounts(_Out_ PULONG pIdleCount, _Out_ PULONG pKernelAndUser,
				   _Out_ PULONG pIndex);
VOID NdisGetCurrentProcessorCpuUsage(_Out_ PULONG pCpuUsage);
/* Protocol-side calls (a binding handle): refused. */
VOID NdisCancelSendPackets(_In_ NDIS_HANDLE NdisBindingHandle, _In_ PVOID CancelId);
PNDIS_PACKET NdisGetReceivedPacket(_In_ NDIS_HANDLE NdisBindingHandle, _In_ NDIS_HANDLE MacContext);
NDIS_STATUS NdisQueryAdapterInstanceName(_Out_ PNDIS_STRING pAdapterInstanceName,
					 _In_ NDIS_HANDLE NdisBindingHandle);
NDIS_STATUS NdisQueryBindInstanceName(_Out_ PNDIS_STRING pAdapterInstanceName,
				      _In_ NDIS_HANDLE BindingContext);

#endif /* NDIS_LEGACY_MINIPORT */

/*
 * NDIS 5.1 miniport calls that NDIS 6 keeps (MiniportAdapterHandle of
 * either version): declared for both, as in the WDK.
 *
 * NdisMGetDeviceProperty: PASSIVE_LEVEL. The device objects are opaque
 * handles (ndisrt has no I/O manager: nothing accepts an IRP sent to
 * them); the resource lists are the adapter's (raw = translated: there is
 * no HAL translation) and live until MiniportHalt returns. Each output is
 * optional.
 * NdisMQueryAdapterInstanceName: PASSIVE_LEVEL; the friendly name in
 * memory the caller frees with NdisFreeMemory; NDIS_STATUS_RESOURCES.
 * NdisMRemoveMiniport: <= DISPATCH_LEVEL; NDIS halts the adapter
 * (MiniportHalt) on a worker, after the caller returned.
 */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMGetDeviceProperty(_In_ NDIS_HANDLE MiniportAdapterHandle,
			   _Inout_opt_ PDEVICE_OBJECT *PhysicalDeviceObject,
			   _Inout_opt_ PDEVICE_OBJECT *FunctionalDeviceObject,
			   _Inout_opt_ PDEVICE_OBJECT *NextDeviceObject,
			   _Inout_opt_ PCM_RESOURCE_LIST *AllocatedResources,
			   _Inout_opt_ PCM_RESOURCE_LIST *AllocatedResourcesTranslated);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMQueryAdapterInstanceName(_Out_ PNDIS_STRING AdapterInstanceName,
				  _In_ NDIS_HANDLE MiniportAdapterHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisMRemoveMiniport(_In_ NDIS_HANDLE MiniportAdapterHandle);

#endif /* _NDISRT_NDIS_NDIS5_H_ */
