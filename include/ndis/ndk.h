/*
 * ndis/ndk.h - what an NDK-capable (Network Direct kernel) NDIS 6.30
 * miniport reports through NDIS: the NDK capabilities of
 * NDIS_MINIPORT_ADAPTER_NDK_ATTRIBUTES, and the answers to
 * OID_NDK_STATISTICS, OID_NDK_CONNECTIONS and OID_NDK_LOCAL_ENDPOINTS,
 * with the socket addresses they carry (ws2def.h / ws2ipdef.h). The NDK
 * provider interface itself (ndkpi.h) is out of ndisrt's scope:
 * NDK_ADAPTER_INFO is declared, not defined.
 *
 * Part of <ndis.h> (ntddndis.h content).
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/ndk.h>"
#endif
#ifndef _NDISRT_NDIS_NDK_H_
#define _NDISRT_NDIS_NDK_H_

#if NDIS_SUPPORT_NDIS630

/* ----------------------------------------------- socket addresses */

typedef USHORT ADDRESS_FAMILY;

typedef struct in_addr {
	union {
		struct {
			UCHAR s_b1, s_b2, s_b3, s_b4;
		} S_un_b;
		struct {
			USHORT s_w1, s_w2;
		} S_un_w;
		ULONG S_addr;
	} S_un;
} IN_ADDR, *PIN_ADDR;

typedef struct in6_addr {
	union {
		UCHAR Byte[16];
		USHORT Word[8];
	} u;
} IN6_ADDR, *PIN6_ADDR;

typedef struct sockaddr_in {
	ADDRESS_FAMILY sin_family;
	USHORT sin_port;
	IN_ADDR sin_addr;
	CHAR sin_zero[8];
} SOCKADDR_IN, *PSOCKADDR_IN;

typedef struct {
	union {
		struct {
			ULONG Zone : 28;
			ULONG Level : 4;
		};
		ULONG Value;
	};
} SCOPE_ID, *PSCOPE_ID;

typedef struct sockaddr_in6 {
	ADDRESS_FAMILY sin6_family;
	USHORT sin6_port;
	ULONG sin6_flowinfo;
	IN6_ADDR sin6_addr;
	union {
		ULONG sin6_scope_id;
		SCOPE_ID sin6_scope_struct;
	};
} SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH;
typedef SOCKADDR_IN6_LH SOCKADDR_IN6;
typedef SOCKADDR_IN6_LH *PSOCKADDR_IN6;

typedef union _SOCKADDR_INET {
	SOCKADDR_IN Ipv4;
	SOCKADDR_IN6 Ipv6;
	ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

/* ---------------------------------------------------------- NDK */

typedef struct _NDK_ADAPTER_INFO NDK_ADAPTER_INFO; /* ndkinfo.h; not defined here */

typedef struct _NDIS_NDK_CAPABILITIES {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	ULONG MaxQpCount;
	ULONG MaxCqCount;
	ULONG MaxMrCount;
	ULONG MaxPdCount;
	ULONG MaxInboundReadLimit;
	ULONG MaxOutboundReadLimit;
	ULONG MaxMwCount;
	ULONG MaxSrqCount;
	ULONG64 MissingCounterMask;
	NDK_ADAPTER_INFO *NdkInfo;
} NDIS_NDK_CAPABILITIES, *PNDIS_NDK_CAPABILITIES;

#define NDIS_NDK_CAPABILITIES_REVISION_1 1
#define NDIS_SIZEOF_NDK_CAPABILITIES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_NDK_CAPABILITIES, NdkInfo)

typedef struct _NDIS_NDK_PERFORMANCE_COUNTERS {
	ULONG64 Connect;
	ULONG64 Accept;
	ULONG64 ConnectFailure;
	ULONG64 ConnectionError;
	ULONG64 ActiveConnection;
	ULONG64 Reserved01;
	ULONG64 Reserved02;
	ULONG64 Reserved03;
	ULONG64 Reserved04;
	ULONG64 Reserved05;
	ULONG64 Reserved06;
	ULONG64 Reserved07;
	ULONG64 Reserved08;
	ULONG64 Reserved09;
	ULONG64 Reserved10;
	ULONG64 Reserved11;
	ULONG64 Reserved12;
	ULONG64 Reserved13;
	ULONG64 Reserved14;
	ULONG64 Reserved15;
	ULONG64 Reserved16;
	ULONG64 Reserved17;
	ULONG64 Reserved18;
	ULONG64 Reserved19;
	ULONG64 Reserved20;
	ULONG64 CQError;
	ULONG64 RDMAInOctets;
	ULONG64 RDMAOutOctets;
	ULONG64 RDMAInFrames;
	ULONG64 RDMAOutFrames;
} NDIS_NDK_PERFORMANCE_COUNTERS, *PNDIS_NDK_PERFORMANCE_COUNTERS;

/* OID_NDK_STATISTICS */
typedef struct _NDIS_NDK_STATISTICS_INFO {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	NDIS_NDK_PERFORMANCE_COUNTERS CounterSet;
} NDIS_NDK_STATISTICS_INFO;

#define NDIS_NDK_STATISTICS_INFO_REVISION_1 1
#define NDIS_SIZEOF_NDK_STATISTICS_INFO_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_NDK_STATISTICS_INFO, CounterSet)

typedef struct _NDIS_NDK_CONNECTION_ENTRY {
	SOCKADDR_INET Local;
	SOCKADDR_INET Remote;
	BOOLEAN UserModeOwner;
	ULONG OwnerPid;
} NDIS_NDK_CONNECTION_ENTRY;

/* OID_NDK_CONNECTIONS: Count entries. */
typedef struct _NDIS_NDK_CONNECTIONS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	ULONG Count;
	BOOLEAN NDConnectionsMappedtoTCPConnections;
	NDIS_NDK_CONNECTION_ENTRY Connections[1];
} NDIS_NDK_CONNECTIONS;

#define NDIS_NDK_CONNECTIONS_REVISION_1 1

typedef struct _NDIS_NDK_LOCAL_ENDPOINT_ENTRY {
	SOCKADDR_INET Local;
	BOOLEAN UserModeOwner;
	BOOLEAN Listener;
	ULONG OwnerPid;
} NDIS_NDK_LOCAL_ENDPOINT_ENTRY;

/* OID_NDK_LOCAL_ENDPOINTS: Count entries. */
typedef struct _NDIS_NDK_LOCAL_ENDPOINTS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	ULONG Count;
	BOOLEAN NDLocalEndpointsMappedtoTCPLocalEndpoints;
	NDIS_NDK_LOCAL_ENDPOINT_ENTRY LocalEndpoints[1];
} NDIS_NDK_LOCAL_ENDPOINTS;

#define NDIS_NDK_LOCAL_ENDPOINTS_REVISION_1 1

#endif /* NDIS_SUPPORT_NDIS630 */

#endif /* _NDISRT_NDIS_NDK_H_ */
