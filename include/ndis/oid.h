/*
 * ndis/oid.h - what ntddndis.h, ifdef.h and oidrequest.h contribute to a
 * miniport: media and link types, power-management and RSS capabilities,
 * RSS parameters, interrupt moderation, packet filters, the OIDs the sample
 * drivers answer, and NDIS_OID_REQUEST.
 *
 * Part of <ndis.h>. The medium, packet filters, MAC options and the
 * general and 802.3 OIDs are shared with NDIS 5; the rest is NDIS 6.
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/oid.h>"
#endif
#ifndef _NDISRT_NDIS_OID_H_
#define _NDISRT_NDIS_OID_H_

/*
 * Shared with NDIS 5 miniports: the medium, packet filters, MAC options,
 * the hardware status and the OIDs both kinds of miniport answer.
 */

typedef enum _NDIS_MEDIUM {
	NdisMedium802_3,
	NdisMedium802_5,
	NdisMediumFddi,
	NdisMediumWan,
	NdisMediumLocalTalk,
	NdisMediumDix,
	NdisMediumArcnetRaw,
	NdisMediumArcnet878_2,
	NdisMediumAtm,
	NdisMediumWirelessWan,
	NdisMediumIrda,
	NdisMediumBpc,
	NdisMediumCoWan,
	NdisMedium1394,
	NdisMediumInfiniBand,
	NdisMediumTunnel,
	NdisMediumNative802_11,
	NdisMediumLoopback,
	NdisMediumWiMAX,
	NdisMediumIP,
	NdisMediumMax
} NDIS_MEDIUM, *PNDIS_MEDIUM;

typedef enum _NDIS_HARDWARE_STATUS {
	NdisHardwareStatusReady,
	NdisHardwareStatusInitializing,
	NdisHardwareStatusReset,
	NdisHardwareStatusClosing,
	NdisHardwareStatusNotReady
} NDIS_HARDWARE_STATUS, *PNDIS_HARDWARE_STATUS;

/* Packet filters (OID_GEN_CURRENT_PACKET_FILTER). */
#define NDIS_PACKET_TYPE_DIRECTED 0x00000001
#define NDIS_PACKET_TYPE_MULTICAST 0x00000002
#define NDIS_PACKET_TYPE_ALL_MULTICAST 0x00000004
#define NDIS_PACKET_TYPE_BROADCAST 0x00000008
#define NDIS_PACKET_TYPE_SOURCE_ROUTING 0x00000010
#define NDIS_PACKET_TYPE_PROMISCUOUS 0x00000020

#define NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA 0x00000001
#define NDIS_MAC_OPTION_RECEIVE_SERIALIZED 0x00000002
#define NDIS_MAC_OPTION_TRANSFERS_NOT_PEND 0x00000004
#define NDIS_MAC_OPTION_NO_LOOPBACK 0x00000008

/* --------------------------------------------------------------- OIDs */

typedef ULONG NDIS_OID, *PNDIS_OID;

#define OID_GEN_SUPPORTED_LIST 0x00010101
#define OID_GEN_HARDWARE_STATUS 0x00010102
#define OID_GEN_MEDIA_SUPPORTED 0x00010103
#define OID_GEN_MEDIA_IN_USE 0x00010104
#define OID_GEN_MAXIMUM_LOOKAHEAD 0x00010105
#define OID_GEN_MAXIMUM_FRAME_SIZE 0x00010106
#define OID_GEN_LINK_SPEED 0x00010107
#define OID_GEN_TRANSMIT_BUFFER_SPACE 0x00010108
#define OID_GEN_RECEIVE_BUFFER_SPACE 0x00010109
#define OID_GEN_TRANSMIT_BLOCK_SIZE 0x0001010A
#define OID_GEN_RECEIVE_BLOCK_SIZE 0x0001010B
#define OID_GEN_VENDOR_ID 0x0001010C
#define OID_GEN_VENDOR_DESCRIPTION 0x0001010D
#define OID_GEN_CURRENT_PACKET_FILTER 0x0001010E
#define OID_GEN_CURRENT_LOOKAHEAD 0x0001010F
#define OID_GEN_DRIVER_VERSION 0x00010110
#define OID_GEN_MAXIMUM_TOTAL_SIZE 0x00010111
#define OID_GEN_MAC_OPTIONS 0x00010113
#define OID_GEN_MEDIA_CONNECT_STATUS 0x00010114
#define OID_GEN_MAXIMUM_SEND_PACKETS 0x00010115
#define OID_GEN_VENDOR_DRIVER_VERSION 0x00010116
#define OID_GEN_RECEIVE_SCALE_CAPABILITIES 0x00010203
#define OID_GEN_RECEIVE_SCALE_PARAMETERS 0x00010204
#define OID_GEN_INTERRUPT_MODERATION 0x00010209
#define OID_GEN_MEDIA_CONNECT_STATUS_EX 0x0001028A
#define OID_GEN_LINK_SPEED_EX 0x0001028B
#define OID_GEN_XMIT_OK 0x00020101
#define OID_GEN_RCV_OK 0x00020102
#define OID_GEN_XMIT_ERROR 0x00020103
#define OID_GEN_RCV_ERROR 0x00020104
#define OID_GEN_RCV_NO_BUFFER 0x00020105
#define OID_802_3_PERMANENT_ADDRESS 0x01010101
#define OID_802_3_CURRENT_ADDRESS 0x01010102
#define OID_802_3_MULTICAST_LIST 0x01010103
#define OID_802_3_MAXIMUM_LIST_SIZE 0x01010104

/*
 * ntddndis.h content, visible to NDIS 5 and NDIS 6 miniports alike (the
 * WDK guards it by the Windows version targeted, not by the NDIS version).
 */
#define NDIS_OBJECT_TYPE_RSS_CAPABILITIES 0x88
#define NDIS_OBJECT_TYPE_RSS_PARAMETERS 0x89

/* ------------------------------------------------------ media and link */

typedef enum _NDIS_PHYSICAL_MEDIUM {
	NdisPhysicalMediumUnspecified,
	NdisPhysicalMediumWirelessLan,
	NdisPhysicalMediumCableModem,
	NdisPhysicalMediumPhoneLine,
	NdisPhysicalMediumPowerLine,
	NdisPhysicalMediumDSL,
	NdisPhysicalMediumFibreChannel,
	NdisPhysicalMedium1394,
	NdisPhysicalMediumWirelessWan,
	NdisPhysicalMediumNative802_11,
	NdisPhysicalMediumBluetooth,
	NdisPhysicalMediumInfiniband,
	NdisPhysicalMediumWiMax,
	NdisPhysicalMediumUWB,
	NdisPhysicalMedium802_3,
	NdisPhysicalMedium802_5,
	NdisPhysicalMediumIrda,
	NdisPhysicalMediumWiredWAN,
	NdisPhysicalMediumWiredCoWan,
	NdisPhysicalMediumOther,
	NdisPhysicalMediumMax
} NDIS_PHYSICAL_MEDIUM, *PNDIS_PHYSICAL_MEDIUM;

/* ifdef.h */
typedef enum _NET_IF_MEDIA_CONNECT_STATE {
	MediaConnectStateUnknown,
	MediaConnectStateConnected,
	MediaConnectStateDisconnected
} NET_IF_MEDIA_CONNECT_STATE, *PNET_IF_MEDIA_CONNECT_STATE;
typedef NET_IF_MEDIA_CONNECT_STATE NDIS_MEDIA_CONNECT_STATE, *PNDIS_MEDIA_CONNECT_STATE;

typedef enum _NET_IF_MEDIA_DUPLEX_STATE {
	MediaDuplexStateUnknown,
	MediaDuplexStateHalf,
	MediaDuplexStateFull
} NET_IF_MEDIA_DUPLEX_STATE, *PNET_IF_MEDIA_DUPLEX_STATE;
typedef NET_IF_MEDIA_DUPLEX_STATE NDIS_MEDIA_DUPLEX_STATE, *PNDIS_MEDIA_DUPLEX_STATE;

typedef enum _NET_IF_ACCESS_TYPE {
	NET_IF_ACCESS_LOOPBACK = 1,
	NET_IF_ACCESS_BROADCAST = 2,
	NET_IF_ACCESS_POINT_TO_POINT = 3,
	NET_IF_ACCESS_POINT_TO_MULTI_POINT = 4,
	NET_IF_ACCESS_MAXIMUM = 5
} NET_IF_ACCESS_TYPE, *PNET_IF_ACCESS_TYPE;

typedef enum _NET_IF_DIRECTION_TYPE {
	NET_IF_DIRECTION_SENDRECEIVE,
	NET_IF_DIRECTION_SENDONLY,
	NET_IF_DIRECTION_RECEIVEONLY,
	NET_IF_DIRECTION_MAXIMUM
} NET_IF_DIRECTION_TYPE, *PNET_IF_DIRECTION_TYPE;

typedef enum _NET_IF_CONNECTION_TYPE {
	NET_IF_CONNECTION_DEDICATED = 1,
	NET_IF_CONNECTION_PASSIVE = 2,
	NET_IF_CONNECTION_DEMAND = 3,
	NET_IF_CONNECTION_MAXIMUM = 4
} NET_IF_CONNECTION_TYPE, *PNET_IF_CONNECTION_TYPE;

typedef USHORT NET_IFTYPE, *PNET_IFTYPE;
#define IF_TYPE_ETHERNET_CSMACD 6

typedef ULONG NET_IFINDEX, *PNET_IFINDEX;

typedef union _NET_LUID_LH {
	ULONG64 Value;
	struct {
		ULONG64 Reserved : 24;
		ULONG64 NetLuidIndex : 24;
		ULONG64 IfType : 16;
	} Info;
} NET_LUID_LH, *PNET_LUID_LH;
typedef NET_LUID_LH NET_LUID, *PNET_LUID;

typedef enum _NDIS_SUPPORTED_PAUSE_FUNCTIONS {
	NdisPauseFunctionsUnsupported,
	NdisPauseFunctionsSendOnly,
	NdisPauseFunctionsReceiveOnly,
	NdisPauseFunctionsSendAndReceive,
	NdisPauseFunctionsUnknown
} NDIS_SUPPORTED_PAUSE_FUNCTIONS, *PNDIS_SUPPORTED_PAUSE_FUNCTIONS;

#define NDIS_LINK_SPEED_UNKNOWN ((ULONG64)-1)

#define NDIS_LINK_STATE_XMIT_LINK_SPEED_AUTO_NEGOTIATED 0x00000001
#define NDIS_LINK_STATE_RCV_LINK_SPEED_AUTO_NEGOTIATED 0x00000002
#define NDIS_LINK_STATE_DUPLEX_AUTO_NEGOTIATED 0x00000004
#define NDIS_LINK_STATE_PAUSE_FUNCTIONS_AUTO_NEGOTIATED 0x00000008

typedef struct _NDIS_LINK_STATE {
	NDIS_OBJECT_HEADER Header;
	NDIS_MEDIA_CONNECT_STATE MediaConnectState;
	NDIS_MEDIA_DUPLEX_STATE MediaDuplexState;
	ULONG64 XmitLinkSpeed;
	ULONG64 RcvLinkSpeed;
	NDIS_SUPPORTED_PAUSE_FUNCTIONS PauseFunctions;
	ULONG AutoNegotiationFlags;
} NDIS_LINK_STATE, *PNDIS_LINK_STATE;

#define NDIS_LINK_STATE_REVISION_1 1
#define NDIS_SIZEOF_LINK_STATE_REVISION_1 RTL_SIZEOF_THROUGH_FIELD(NDIS_LINK_STATE, AutoNegotiationFlags)

typedef struct _NDIS_LINK_SPEED {
	ULONG64 XmitLinkSpeed;
	ULONG64 RcvLinkSpeed;
} NDIS_LINK_SPEED, *PNDIS_LINK_SPEED;

#define NDIS_STATISTICS_XMIT_OK_SUPPORTED 0x00000001
#define NDIS_STATISTICS_RCV_OK_SUPPORTED 0x00000002
#define NDIS_STATISTICS_XMIT_ERROR_SUPPORTED 0x00000004
#define NDIS_STATISTICS_RCV_ERROR_SUPPORTED 0x00000008
#define NDIS_STATISTICS_RCV_NO_BUFFER_SUPPORTED 0x00000010

#define NDIS_MAX_PHYS_ADDRESS_LENGTH 32

/* --------------------------------------------------- power management */

typedef enum _NDIS_DEVICE_POWER_STATE {
	NdisDeviceStateUnspecified,
	NdisDeviceStateD0,
	NdisDeviceStateD1,
	NdisDeviceStateD2,
	NdisDeviceStateD3,
	NdisDeviceStateMaximum
} NDIS_DEVICE_POWER_STATE, *PNDIS_DEVICE_POWER_STATE;

/* The lowest device power states a wake-up event can be signalled from. */
typedef struct _NDIS_PM_WAKE_UP_CAPABILITIES {
	NDIS_DEVICE_POWER_STATE MinMagicPacketWakeUp;
	NDIS_DEVICE_POWER_STATE MinPatternWakeUp;
	NDIS_DEVICE_POWER_STATE MinLinkChangeWakeUp;
} NDIS_PM_WAKE_UP_CAPABILITIES, *PNDIS_PM_WAKE_UP_CAPABILITIES;

/* Flags of NDIS_PNP_CAPABILITIES. */
#define NDIS_DEVICE_WAKE_UP_ENABLE 0x00000001
#define NDIS_DEVICE_WAKE_ON_PATTERN_MATCH_ENABLE 0x00000002
#define NDIS_DEVICE_WAKE_ON_MAGIC_PACKET_ENABLE 0x00000004

/* OID_PNP_CAPABILITIES (NDIS 5.1, and NDIS 6 general attributes). */
typedef struct _NDIS_PNP_CAPABILITIES {
	ULONG Flags;
	NDIS_PM_WAKE_UP_CAPABILITIES WakeUpCapabilities;
} NDIS_PNP_CAPABILITIES, *PNDIS_PNP_CAPABILITIES;

#if NDIS_SUPPORT_NDIS620
typedef struct _NDIS_PM_CAPABILITIES {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	ULONG SupportedWoLPacketPatterns;
	ULONG NumTotalWoLPatterns;
	ULONG MaxWoLPatternSize;
	ULONG MaxWoLPatternOffset;
	ULONG MaxWoLPacketSaveBuffer;
	ULONG SupportedProtocolOffloads;
	ULONG NumArpOffloadIPv4Addresses;
	ULONG NumNSOffloadIPv6Addresses;
	NDIS_DEVICE_POWER_STATE MinMagicPacketWakeUp;
	NDIS_DEVICE_POWER_STATE MinPatternWakeUp;
	NDIS_DEVICE_POWER_STATE MinLinkChangeWakeUp;
#if NDIS_SUPPORT_NDIS630
	ULONG SupportedWakeUpEvents;
	ULONG MediaSpecificWakeUpEvents;
#endif
} NDIS_PM_CAPABILITIES, *PNDIS_PM_CAPABILITIES;

#define NDIS_PM_CAPABILITIES_REVISION_1 1
#define NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_1                                                \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_PM_CAPABILITIES, MinLinkChangeWakeUp)
#if NDIS_SUPPORT_NDIS630
#define NDIS_PM_CAPABILITIES_REVISION_2 2
#define NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_2                                                \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_PM_CAPABILITIES, MediaSpecificWakeUpEvents)
#endif
#endif

/* ---------------------------------------------------------------- RSS */

typedef ULONG NDIS_RSS_CAPS_FLAGS, *PNDIS_RSS_CAPS_FLAGS;

#define NDIS_RSS_CAPS_MESSAGE_SIGNALED_INTERRUPTS 0x01000000
#define NDIS_RSS_CAPS_CLASSIFICATION_AT_ISR 0x02000000
#define NDIS_RSS_CAPS_CLASSIFICATION_AT_DPC 0x04000000
#if NDIS_SUPPORT_NDIS620
#define NDIS_RSS_CAPS_USING_MSI_X 0x08000000
#endif
#if NDIS_SUPPORT_NDIS630
#define NDIS_RSS_CAPS_SUPPORTS_MSI_X 0x20000000
#endif
#define NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4 0x00000100
#define NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6 0x00000200
#define NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6_EX 0x00000400
#if NDIS_SUPPORT_NDIS680
#define NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV4 0x00000800
#define NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6 0x00001000
#define NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6_EX 0x00002000
#endif

typedef struct _NDIS_RECEIVE_SCALE_CAPABILITIES {
	NDIS_OBJECT_HEADER Header;
	NDIS_RSS_CAPS_FLAGS CapabilitiesFlags;
	ULONG NumberOfInterruptMessages;
	ULONG NumberOfReceiveQueues;
#if NDIS_SUPPORT_NDIS630
	USHORT NumberOfIndirectionTableEntries;
#endif
} NDIS_RECEIVE_SCALE_CAPABILITIES, *PNDIS_RECEIVE_SCALE_CAPABILITIES;

#define NDIS_RECEIVE_SCALE_CAPABILITIES_REVISION_1 1
#define NDIS_SIZEOF_RECEIVE_SCALE_CAPABILITIES_REVISION_1                                          \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RECEIVE_SCALE_CAPABILITIES, NumberOfReceiveQueues)
#if NDIS_SUPPORT_NDIS630
#define NDIS_RECEIVE_SCALE_CAPABILITIES_REVISION_2 2
#define NDIS_SIZEOF_RECEIVE_SCALE_CAPABILITIES_REVISION_2                                          \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RECEIVE_SCALE_CAPABILITIES, NumberOfIndirectionTableEntries)
#endif

#define NDIS_RSS_PARAM_FLAG_BASE_CPU_UNCHANGED 0x0001
#define NDIS_RSS_PARAM_FLAG_HASH_INFO_UNCHANGED 0x0002
#define NDIS_RSS_PARAM_FLAG_ITABLE_UNCHANGED 0x0004
#define NDIS_RSS_PARAM_FLAG_HASH_KEY_UNCHANGED 0x0008
#define NDIS_RSS_PARAM_FLAG_DISABLE_RSS 0x0010

typedef struct _NDIS_RECEIVE_SCALE_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	USHORT Flags;
	USHORT BaseCpuNumber;
	ULONG HashInformation;
	USHORT IndirectionTableSize;   /* bytes */
	ULONG IndirectionTableOffset;  /* from the start of this structure */
	USHORT HashSecretKeySize;
	ULONG HashSecretKeyOffset;
#if NDIS_SUPPORT_NDIS620
	ULONG ProcessorMasksOffset;
	ULONG NumberOfProcessorMasks;
	ULONG ProcessorMasksEntrySize;
#endif
#if NDIS_SUPPORT_NDIS630
	PROCESSOR_NUMBER DefaultProcessorNumber;
#endif
} NDIS_RECEIVE_SCALE_PARAMETERS, *PNDIS_RECEIVE_SCALE_PARAMETERS;

#define NDIS_RECEIVE_SCALE_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_RECEIVE_SCALE_PARAMETERS_REVISION_1                                            \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RECEIVE_SCALE_PARAMETERS, HashSecretKeyOffset)
#if NDIS_SUPPORT_NDIS620
#define NDIS_RECEIVE_SCALE_PARAMETERS_REVISION_2 2
#define NDIS_SIZEOF_RECEIVE_SCALE_PARAMETERS_REVISION_2                                            \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RECEIVE_SCALE_PARAMETERS, ProcessorMasksEntrySize)
#endif
#if NDIS_SUPPORT_NDIS630
#define NDIS_RECEIVE_SCALE_PARAMETERS_REVISION_3 3
#define NDIS_SIZEOF_RECEIVE_SCALE_PARAMETERS_REVISION_3                                            \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RECEIVE_SCALE_PARAMETERS, DefaultProcessorNumber)
#endif

/* ------------------------------------------------ interrupt moderation */

typedef enum _NDIS_INTERRUPT_MODERATION {
	NdisInterruptModerationUnknown,
	NdisInterruptModerationNotSupported,
	NdisInterruptModerationEnabled,
	NdisInterruptModerationDisabled
} NDIS_INTERRUPT_MODERATION, *PNDIS_INTERRUPT_MODERATION;

#define NDIS_INTERRUPT_MODERATION_CHANGE_NEEDS_RESET 0x00000001
#define NDIS_INTERRUPT_MODERATION_CHANGE_NEEDS_REINITIALIZE 0x00000002

typedef struct _NDIS_INTERRUPT_MODERATION_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	NDIS_INTERRUPT_MODERATION InterruptModeration;
} NDIS_INTERRUPT_MODERATION_PARAMETERS, *PNDIS_INTERRUPT_MODERATION_PARAMETERS;

#define NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1                                     \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_INTERRUPT_MODERATION_PARAMETERS, InterruptModeration)

/* -------------------------------------------------------- OID requests */

#if NDIS_SUPPORT_NDIS6

#define NDIS_OBJECT_TYPE_OID_REQUEST 0x96

typedef enum _NDIS_REQUEST_TYPE {
	NdisRequestQueryInformation,
	NdisRequestSetInformation,
	NdisRequestQueryStatistics,
	NdisRequestOpen,
	NdisRequestClose,
	NdisRequestSend,
	NdisRequestTransferData,
	NdisRequestReset,
	NdisRequestGeneric1,
	NdisRequestGeneric2,
	NdisRequestGeneric3,
	NdisRequestGeneric4,
	NdisRequestMethod
} NDIS_REQUEST_TYPE, *PNDIS_REQUEST_TYPE;

#define NDIS_OID_REQUEST_NDIS_RESERVED_SIZE 16

/* NIC switch and VPort identifiers (SR-IOV, VMQ; NDIS 6.30). */
typedef ULONG NDIS_NIC_SWITCH_ID, *PNDIS_NIC_SWITCH_ID;
typedef ULONG NDIS_NIC_SWITCH_VPORT_ID, *PNDIS_NIC_SWITCH_VPORT_ID;
#define NDIS_DEFAULT_SWITCH_ID 0
#define NDIS_DEFAULT_VPORT_ID 0

typedef struct _NDIS_OID_REQUEST {
	NDIS_OBJECT_HEADER Header;
	NDIS_REQUEST_TYPE RequestType;
	NDIS_PORT_NUMBER PortNumber;
	UINT Timeout; /* seconds */
	PVOID RequestId;
	NDIS_HANDLE RequestHandle;
	union _REQUEST_DATA {
		struct _QUERY {
			NDIS_OID Oid;
			PVOID InformationBuffer;
			UINT InformationBufferLength;
			UINT BytesWritten;
			UINT BytesNeeded;
		} QUERY_INFORMATION;
		struct _SET {
			NDIS_OID Oid;
			PVOID InformationBuffer;
			UINT InformationBufferLength;
			UINT BytesRead;
			UINT BytesNeeded;
		} SET_INFORMATION;
		struct _METHOD {
			NDIS_OID Oid;
			PVOID InformationBuffer;
			ULONG InputBufferLength;
			ULONG OutputBufferLength;
			ULONG MethodId;
			UINT BytesWritten;
			UINT BytesRead;
			UINT BytesNeeded;
		} METHOD_INFORMATION;
	} DATA;
	UCHAR NdisReserved[NDIS_OID_REQUEST_NDIS_RESERVED_SIZE * sizeof(PVOID)];
	UCHAR MiniportReserved[2 * sizeof(PVOID)];
	UCHAR SourceReserved[2 * sizeof(PVOID)];
	UCHAR SupportedRevision;
	UCHAR Reserved1;
	USHORT Reserved2;
#if NDIS_SUPPORT_NDIS650
	NDIS_NIC_SWITCH_ID SwitchId;
	NDIS_NIC_SWITCH_VPORT_ID VPortId;
	ULONG Flags;
#endif
} NDIS_OID_REQUEST, *PNDIS_OID_REQUEST;

#define NDIS_OID_REQUEST_REVISION_1 1
#define NDIS_SIZEOF_OID_REQUEST_REVISION_1 RTL_SIZEOF_THROUGH_FIELD(NDIS_OID_REQUEST, Reserved2)
#if NDIS_SUPPORT_NDIS650
#define NDIS_OID_REQUEST_REVISION_2 2
#define NDIS_SIZEOF_OID_REQUEST_REVISION_2 RTL_SIZEOF_THROUGH_FIELD(NDIS_OID_REQUEST, Flags)
/* Flags: VPortId names the VPort the request is for. */
#define NDIS_OID_REQUEST_FLAGS_VPORT_ID_VALID 0x0001
#endif

/*
 * NdisMOidRequestComplete: <= DISPATCH_LEVEL. Completes the request
 * MiniportOidRequest returned NDIS_STATUS_PENDING for.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisMOidRequestComplete(_In_ NDIS_HANDLE MiniportAdapterHandle,
				_In_ PNDIS_OID_REQUEST OidRequest, _In_ NDIS_STATUS Status);

#endif /* NDIS_SUPPORT_NDIS6 */

#endif /* _NDISRT_NDIS_OID_H_ */
