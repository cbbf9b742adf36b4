/*
 * ndis/system.h - what NDIS tells a miniport about the machine it runs
 * on: processor topology (NdisGetProcessorInformation, NDIS 6.0, and
 * NdisGetProcessorInformationEx, NDIS 6.20), the processors RSS may use
 * (NdisGetRssProcessorInformation), the hypervisor (NdisGetHypervisorInfo),
 * and the PCI Express properties of OID_GEN_PCI_DEVICE_CUSTOM_PROPERTIES.
 *
 * Part of <ndis.h> (ntddndis.h content; NDIS_PROCESSOR_INFO and
 * NDIS_SYSTEM_PROCESSOR_INFO are ndis.h's).
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/system.h>"
#endif
#ifndef _NDISRT_NDIS_SYSTEM_H_
#define _NDISRT_NDIS_SYSTEM_H_

#if NDIS_SUPPORT_NDIS6

/* Processors in a processor group (wdm.h; 64 on x64). */
#ifndef MAXIMUM_PROC_PER_GROUP
#define MAXIMUM_PROC_PER_GROUP 64
#endif

/* -------------------------------------- PCI Express device properties */

typedef struct _NDIS_PCI_DEVICE_CUSTOM_PROPERTIES {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	UINT32 DeviceType;
	UINT32 CurrentSpeedAndMode;
	UINT32 CurrentPayloadSize;
	UINT32 MaxPayloadSize;
	UINT32 MaxReadRequestSize;
	UINT32 CurrentLinkSpeed;
	UINT32 CurrentLinkWidth;
	UINT32 MaxLinkSpeed;
	UINT32 MaxLinkWidth;
#if NDIS_SUPPORT_NDIS620
	UINT32 PciExpressVersion;
	UINT32 InterruptType;
	UINT32 MaxInterruptMessages;
#endif
} NDIS_PCI_DEVICE_CUSTOM_PROPERTIES, *PNDIS_PCI_DEVICE_CUSTOM_PROPERTIES;

#define NDIS_OBJECT_TYPE_PCI_DEVICE_CUSTOM_PROPERTIES_REVISION_1 1
#define NDIS_SIZEOF_PCI_DEVICE_CUSTOM_PROPERTIES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_PCI_DEVICE_CUSTOM_PROPERTIES, MaxLinkWidth)
#if NDIS_SUPPORT_NDIS620
#define NDIS_OBJECT_TYPE_PCI_DEVICE_CUSTOM_PROPERTIES_REVISION_2 2
#define NDIS_SIZEOF_PCI_DEVICE_CUSTOM_PROPERTIES_REVISION_2 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_PCI_DEVICE_CUSTOM_PROPERTIES, MaxInterruptMessages)
#endif

/* ------------------------------------------------------- processors */

typedef enum _NDIS_PROCESSOR_VENDOR {
	NdisProcessorVendorUnknown,
	NdisProcessorVendorGenuinIntel,
	NdisProcessorVendorGenuineIntel = NdisProcessorVendorGenuinIntel,
	NdisProcessorVendorAuthenticAMD
} NDIS_PROCESSOR_VENDOR,
    *PNDIS_PROCESSOR_VENDOR;

/* One processor of NDIS_SYSTEM_PROCESSOR_INFO (NDIS 6.0, group 0 only). */
typedef struct _NDIS_PROCESSOR_INFO {
	ULONG CpuNumber;
	ULONG PhysicalPackageId;
	ULONG CoreId;
	ULONG HyperThreadID;
} NDIS_PROCESSOR_INFO, *PNDIS_PROCESSOR_INFO;

/* NdisGetProcessorInformation's answer (NDIS 6.0). */
typedef struct _NDIS_SYSTEM_PROCESSOR_INFO {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	NDIS_PROCESSOR_VENDOR ProcessorVendor;
	ULONG NumPhysicalPackages;
	ULONG NumCores;
	ULONG NumCoresPerPhysicalPackage;
	ULONG MaxHyperThreadingCpusPerCore;
	ULONG RssBaseCpu;
	ULONG RssCpuCount;
	PUCHAR RssProcessors;
	NDIS_PROCESSOR_INFO CpuInfo[MAXIMUM_PROC_PER_GROUP];
} NDIS_SYSTEM_PROCESSOR_INFO, *PNDIS_SYSTEM_PROCESSOR_INFO;

#define NDIS_SYSTEM_PROCESSOR_INFO_REVISION_1 1
#define NDIS_SIZEOF_SYSTEM_PROCESSOR_INFO_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_SYSTEM_PROCESSOR_INFO, CpuInfo)

#if NDIS_SUPPORT_NDIS620

/* NDIS_HYPERVISOR_INFO.Flags */
#define NDIS_HYPERVISOR_INFO_FLAG_HYPERVISOR_PRESENT 0x00000001

typedef struct _NDIS_RSS_PROCESSOR {
	PROCESSOR_NUMBER ProcNum;
	USHORT PreferenceIndex;
	USHORT Reserved;
} NDIS_RSS_PROCESSOR, *PNDIS_RSS_PROCESSOR;

#define NDIS_SIZEOF_RSS_PROCESSOR_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RSS_PROCESSOR, PreferenceIndex)

#if NDIS_SUPPORT_NDIS630
typedef enum _NDIS_RSS_PROFILE {
	NdisRssProfileClosest = 1,
	NdisRssProfileClosestStatic,
	NdisRssProfileNuma,
	NdisRssProfileNumaStatic,
	NdisRssProfileConservative,
	NdisRssProfileMaximum
} NDIS_RSS_PROFILE,
    *PNDIS_RSS_PROFILE;
#endif

/* NdisGetRssProcessorInformation's answer: the NDIS_RSS_PROCESSOR array follows. */
typedef struct _NDIS_RSS_PROCESSOR_INFO {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_RSS_PROCESSOR_INFO */
	ULONG Flags;
	PROCESSOR_NUMBER RssBaseProcessor;
	ULONG MaxNumRssProcessors;
	USHORT PreferredNumaNode;
	ULONG RssProcessorArrayOffset;
	ULONG RssProcessorCount;
	ULONG RssProcessorEntrySize;
#if NDIS_SUPPORT_NDIS630
	PROCESSOR_NUMBER RssMaxProcessor;
	NDIS_RSS_PROFILE RssProfile;
#endif
} NDIS_RSS_PROCESSOR_INFO, *PNDIS_RSS_PROCESSOR_INFO;

#define NDIS_OBJECT_TYPE_RSS_PROCESSOR_INFO 0xB1
#define NDIS_RSS_PROCESSOR_INFO_REVISION_1 1
#define NDIS_SIZEOF_RSS_PROCESSOR_INFO_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RSS_PROCESSOR_INFO, RssProcessorEntrySize)
#if NDIS_SUPPORT_NDIS630
#define NDIS_RSS_PROCESSOR_INFO_REVISION_2 2
#define NDIS_SIZEOF_RSS_PROCESSOR_INFO_REVISION_2 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RSS_PROCESSOR_INFO, RssProfile)
#endif

/* One processor of NDIS_SYSTEM_PROCESSOR_INFO_EX. */
typedef struct _NDIS_PROCESSOR_INFO_EX {
	PROCESSOR_NUMBER ProcNum;
	ULONG SocketId;
	ULONG CoreId;
	ULONG HyperThreadId;
	USHORT NodeId;
	USHORT NodeDistance;
} NDIS_PROCESSOR_INFO_EX, *PNDIS_PROCESSOR_INFO_EX;

/* NdisGetProcessorInformationEx's answer: the NDIS_PROCESSOR_INFO_EX array follows. */
typedef struct _NDIS_SYSTEM_PROCESSOR_INFO_EX {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	NDIS_PROCESSOR_VENDOR ProcessorVendor;
	ULONG NumSockets;
	ULONG NumCores;
	ULONG NumCoresPerSocket;
	ULONG MaxHyperThreadingProcsPerCore;
	ULONG ProcessorInfoOffset;
	ULONG NumberOfProcessors;
	ULONG ProcessorInfoEntrySize;
} NDIS_SYSTEM_PROCESSOR_INFO_EX, *PNDIS_SYSTEM_PROCESSOR_INFO_EX;

#define NDIS_SYSTEM_PROCESSOR_INFO_EX_REVISION_1 1
#define NDIS_SIZEOF_SYSTEM_PROCESSOR_INFO_EX_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_SYSTEM_PROCESSOR_INFO_EX, ProcessorInfoEntrySize)

/* ------------------------------------------------------- hypervisor */

typedef enum _NDIS_HYPERVISOR_PARTITION_TYPE {
	NdisHypervisorPartitionTypeUnknown,
	NdisHypervisorPartitionTypeMsHvParent,
	NdisHypervisorPartitionMsHvChild,
	NdisHypervisorPartitionTypeMax
} NDIS_HYPERVISOR_PARTITION_TYPE,
    *PNDIS_HYPERVISOR_PARTITION_TYPE;

typedef struct _NDIS_HYPERVISOR_INFO {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	NDIS_HYPERVISOR_PARTITION_TYPE PartitionType;
} NDIS_HYPERVISOR_INFO, *PNDIS_HYPERVISOR_INFO;

#define NDIS_HYPERVISOR_INFO_REVISION_1 1
#define NDIS_SIZEOF_HYPERVISOR_INFO_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_HYPERVISOR_INFO, PartitionType)

#endif /* NDIS_SUPPORT_NDIS620 */

#endif /* NDIS_SUPPORT_NDIS6 */

#endif /* _NDISRT_NDIS_SYSTEM_H_ */
