/*
 * ndis/nblinfo.h - the pointer-sized values a miniport reads and writes in
 * NET_BUFFER_LIST_INFO(Nbl, Id): checksum (TcpIpChecksumNetBufferListInfo),
 * large send (TcpLargeSendNetBufferListInfo), IPsec task offload versions
 * 1 and 2, 802.1Q tags (Ieee8021QNetBufferListInfo), receive filtering
 * (NetBufferListFilteringInfo), virtual subnets, receive segment
 * coalescing, encapsulated-packet offsets, and the media-specific
 * information chains.
 *
 * Part of <ndis.h> (ndis.h and its nbl*.h content). Each value is read
 * through its union's Value member or its bit fields.
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/nblinfo.h>"
#endif
#ifndef _NDISRT_NDIS_NBLINFO_H_
#define _NDISRT_NDIS_NBLINFO_H_

#if NDIS_SUPPORT_NDIS6

/* TcpIpChecksumNetBufferListInfo */
typedef struct _NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO {
	union {
		struct {
			ULONG IsIPv4 : 1;
			ULONG IsIPv6 : 1;
			ULONG TcpChecksum : 1;
			ULONG UdpChecksum : 1;
			ULONG IpHeaderChecksum : 1;
			ULONG Reserved : 11;
			ULONG TcpHeaderOffset : 10;
		} Transmit;
		struct {
			ULONG TcpChecksumFailed : 1;
			ULONG UdpChecksumFailed : 1;
			ULONG IpChecksumFailed : 1;
			ULONG TcpChecksumSucceeded : 1;
			ULONG UdpChecksumSucceeded : 1;
			ULONG IpChecksumSucceeded : 1;
			ULONG Loopback : 1;
#if NDIS_SUPPORT_NDIS630
			ULONG TcpChecksumValueInvalid : 1;
			ULONG IpChecksumValueInvalid : 1;
#endif
		} Receive;
		PVOID Value;
	};
} NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO, *PNDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO;

/* TcpLargeSendNetBufferListInfo: the Type bit selects the LSO version. */
#define NDIS_TCP_LARGE_SEND_OFFLOAD_V1_TYPE 0
#define NDIS_TCP_LARGE_SEND_OFFLOAD_V2_TYPE 1
#define NDIS_TCP_LARGE_SEND_OFFLOAD_IPv4 0
#define NDIS_TCP_LARGE_SEND_OFFLOAD_IPv6 1

typedef struct _NDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO {
	union {
		struct {
			ULONG Unused : 30;
			ULONG Type : 1;
			ULONG Reserved2 : 1;
		} Transmit;
		struct {
			ULONG MSS : 20;
			ULONG TcpHeaderOffset : 10;
			ULONG Type : 1;
			ULONG Reserved2 : 1;
		} LsoV1Transmit;
		struct {
			ULONG TcpPayload : 30;
			ULONG Type : 1;
			ULONG Reserved2 : 1;
		} LsoV1TransmitComplete;
		struct {
			ULONG MSS : 20;
			ULONG TcpHeaderOffset : 10;
			ULONG Type : 1;
			ULONG IPVersion : 1;
		} LsoV2Transmit;
		struct {
			ULONG Reserved : 30;
			ULONG Type : 1;
			ULONG Reserved2 : 1;
		} LsoV2TransmitComplete;
		PVOID Value;
	};
} NDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO,
    *PNDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO;

/* IPsecOffloadV1NetBufferListInfo */
typedef struct _NDIS_IPSEC_OFFLOAD_V1_NET_BUFFER_LIST_INFO {
	union {
		struct {
			NDIS_HANDLE OffloadHandle;
		} Transmit;
		struct {
			USHORT SaDeleteReq : 1;
			USHORT CryptoDone : 1;
			USHORT NextCryptoDone : 1;
			USHORT Pad : 13;
			USHORT CryptoStatus;
		} Receive;
	};
} NDIS_IPSEC_OFFLOAD_V1_NET_BUFFER_LIST_INFO, *PNDIS_IPSEC_OFFLOAD_V1_NET_BUFFER_LIST_INFO;

#if NDIS_SUPPORT_NDIS61
/* IPsecOffloadV2NetBufferListInfo */
typedef struct _NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO {
	union {
		struct {
			PVOID OffloadHandle;
		} Transmit;
		struct {
			ULONG SaDeleteReq : 1;
			ULONG CryptoDone : 1;
			ULONG NextCryptoDone : 1;
			ULONG Reserved : 13;
			ULONG CryptoStatus : 16;
		} Receive;
	};
} NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO, *PNDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO;

/* IPsecOffloadV2TunnelNetBufferListInfo */
typedef struct _NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO {
	struct {
		NDIS_HANDLE TunnelHandle;
	} Transmit;
} NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO,
    *PNDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO;

/* IPsecOffloadV2HeaderNetBufferListInfo */
typedef struct _NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO {
	union {
		struct {
			ULONG NextHeader : 8;
			ULONG PadLength : 8;
			ULONG AhHeaderOffset : 8;
			ULONG EspHeaderOffset : 8;
		} Transmit;
		struct {
			ULONG NextHeader : 8;
			ULONG PadLength : 8;
			ULONG HeaderInfoSet : 1;
		} Receive;
	};
} NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO,
    *PNDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO;
#endif /* NDIS_SUPPORT_NDIS61 */

/* Ieee8021QNetBufferListInfo */
typedef struct _NDIS_NET_BUFFER_LIST_8021Q_INFO {
	union {
		struct {
			UINT32 UserPriority : 3;
			UINT32 CanonicalFormatId : 1;
			UINT32 VlanId : 12;
			UINT32 Reserved : 16;
		} TagHeader;
		struct {
			UINT32 UserPriority : 3;
			UINT32 CanonicalFormatId : 1;
			UINT32 VlanId : 12;
			UINT32 WMMInfo : 4;
			UINT32 Reserved : 12;
		} WLanTagHeader;
		PVOID Value;
	};
} NDIS_NET_BUFFER_LIST_8021Q_INFO, *PNDIS_NET_BUFFER_LIST_8021Q_INFO;

#if NDIS_SUPPORT_NDIS620
/* NetBufferListFilteringInfo */
typedef struct _NDIS_NET_BUFFER_LIST_FILTERING_INFO {
	union {
		struct {
			USHORT FilterId;
			union {
				USHORT QueueId;
				USHORT VPortId;
			} QueueVPortInfo;
		} FilteringInfo;
		PVOID Value;
	};
} NDIS_NET_BUFFER_LIST_FILTERING_INFO, *PNDIS_NET_BUFFER_LIST_FILTERING_INFO;
#endif

#if NDIS_SUPPORT_NDIS630
/* VirtualSubnetInfo */
typedef struct _NDIS_NET_BUFFER_LIST_VIRTUAL_SUBNET_INFO {
	union {
		struct {
			UINT32 VirtualSubnetId : 24;
			UINT32 ReservedVsidBits : 8;
			UINT32 Reserved;
		};
		PVOID Value;
	};
} NDIS_NET_BUFFER_LIST_VIRTUAL_SUBNET_INFO, *PNDIS_NET_BUFFER_LIST_VIRTUAL_SUBNET_INFO;

/* TcpRecvSegCoalesceInfo */
typedef union _NDIS_RSC_NBL_INFO {
	struct {
		USHORT CoalescedSegCount;
		USHORT DupAckCount;
	} Info;
	PVOID Value;
} NDIS_RSC_NBL_INFO, *PNDIS_RSC_NBL_INFO;

/* TcpSendOffloadsSupplementalNetBufferListInfo */
typedef struct _NDIS_TCP_SEND_OFFLOADS_SUPPLEMENTAL_NET_BUFFER_LIST_INFO {
	union {
		struct {
			ULONG IsEncapsulatedPacket : 1;
			ULONG EncapsulatedPacketOffsetsValid : 1;
			ULONG InnerFrameOffset : 8;
			ULONG TransportIpHeaderRelativeOffset : 6;
			ULONG TcpHeaderRelativeOffset : 10;
			ULONG IsInnerIPv6 : 1;
			ULONG TcpOptionsPresent : 1;
			ULONG Reserved : 4;
		} EncapsulatedPacketOffsets;
		PVOID Value;
	};
} NDIS_TCP_SEND_OFFLOADS_SUPPLEMENTAL_NET_BUFFER_LIST_INFO,
    *PNDIS_TCP_SEND_OFFLOADS_SUPPLEMENTAL_NET_BUFFER_LIST_INFO;
#endif /* NDIS_SUPPORT_NDIS630 */

/* MediaSpecificInformation (NDIS 6.0), a chain of tagged blobs: <ndis/nbl.h>, with its macros. */

#if NDIS_SUPPORT_NDIS620
/* MediaSpecificInformationEx: the chain with object headers (NDIS 6.20). */
typedef struct _NDIS_NBL_MEDIA_SPECIFIC_INFORMATION_EX {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	struct _NDIS_NBL_MEDIA_SPECIFIC_INFORMATION_EX *NextEntry;
	ULONG Tag;
	PVOID Data;
} NDIS_NBL_MEDIA_SPECIFIC_INFORMATION_EX, *PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION_EX;

#define NDIS_NBL_MEDIA_SPECIFIC_INFO_REVISION_1 1
#define NDIS_SIZEOF_NBL_MEDIA_SPECIFIC_INFO_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_NBL_MEDIA_SPECIFIC_INFORMATION_EX, Data)
#endif

#endif /* NDIS_SUPPORT_NDIS6 */

#endif /* _NDISRT_NDIS_NBLINFO_H_ */
