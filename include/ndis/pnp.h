/*
 * ndis/pnp.h - NDIS 6 miniport structures around Plug and Play and the
 * driver's own objects: the optional PnP handlers (AddDevice, RemoveDevice,
 * StartDevice, FilterResourceRequirements) and the NDIS 6.30 selective
 * suspend handlers a miniport registers with NdisSetOptionalHandlers, the
 * attributes of NdisRegisterDeviceEx, NDIS generic objects, MSI-X table
 * configuration (NdisMConfigMSIXTableEntry), the restart attributes NDIS
 * passes to MiniportRestart, the state of an NDIS_RW_LOCK_EX acquisition,
 * and the filter stack NdisEnumerateFilterModules reports.
 *
 * Part of <ndis.h> (ndis.h content).
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/pnp.h>"
#endif
#ifndef _NDISRT_NDIS_PNP_H_
#define _NDISRT_NDIS_PNP_H_

#if NDIS_SUPPORT_NDIS6

#define NDIS_OBJECT_TYPE_DEVICE_OBJECT_ATTRIBUTES 0x85
#define NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS 0x92
#define NDIS_OBJECT_TYPE_RESTART_GENERAL_ATTRIBUTES 0xA2
#define NDIS_OBJECT_TYPE_MINIPORT_SS_CHARACTERISTICS 0xB4

/* ------------------------------------------------ PnP handlers */

typedef struct _IRP *PIRP;

typedef _Function_class_(MINIPORT_ADD_DEVICE)
    NDIS_STATUS(MINIPORT_ADD_DEVICE)(_In_ NDIS_HANDLE NdisMiniportHandle,
				     _In_ NDIS_HANDLE MiniportDriverContext);
typedef MINIPORT_ADD_DEVICE(*MINIPORT_ADD_DEVICE_HANDLER);

typedef _Function_class_(MINIPORT_REMOVE_DEVICE)
    VOID(MINIPORT_REMOVE_DEVICE)(_In_ NDIS_HANDLE MiniportAddDeviceContext);
typedef MINIPORT_REMOVE_DEVICE(*MINIPORT_REMOVE_DEVICE_HANDLER);

typedef _Function_class_(MINIPORT_PNP_IRP)
    NDIS_STATUS(MINIPORT_PNP_IRP)(_In_ NDIS_HANDLE MiniportAddDeviceContext, _In_ PIRP Irp);
typedef MINIPORT_PNP_IRP MINIPORT_FILTER_RESOURCE_REQUIREMENTS;
typedef MINIPORT_FILTER_RESOURCE_REQUIREMENTS(*MINIPORT_FILTER_RESOURCE_REQUIREMENTS_HANDLER);
typedef MINIPORT_PNP_IRP MINIPORT_START_DEVICE;
typedef MINIPORT_START_DEVICE(*MINIPORT_START_DEVICE_HANDLER);

/* NdisSetOptionalHandlers' NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS. */
typedef struct _NDIS_MINIPORT_PNP_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS */
	MINIPORT_ADD_DEVICE_HANDLER MiniportAddDeviceHandler;
	MINIPORT_REMOVE_DEVICE_HANDLER MiniportRemoveDeviceHandler;
	MINIPORT_FILTER_RESOURCE_REQUIREMENTS_HANDLER MiniportFilterResourceRequirementsHandler;
	MINIPORT_START_DEVICE_HANDLER MiniportStartDeviceHandler;
	ULONG Flags;
} NDIS_MINIPORT_PNP_CHARACTERISTICS, *PNDIS_MINIPORT_PNP_CHARACTERISTICS;

#define NDIS_MINIPORT_PNP_CHARACTERISTICS_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_PNP_CHARACTERISTICS, Flags)

#if NDIS_SUPPORT_NDIS630
/* ------------------------------ selective suspend (NDIS 6.30) */

typedef _Function_class_(MINIPORT_IDLE_NOTIFICATION)
    NDIS_STATUS(MINIPORT_IDLE_NOTIFICATION)(_In_ NDIS_HANDLE MiniportAdapterContext,
					    _In_ BOOLEAN ForceIdle);
typedef MINIPORT_IDLE_NOTIFICATION(*MINIPORT_IDLE_NOTIFICATION_HANDLER);

typedef _Function_class_(MINIPORT_CANCEL_IDLE_NOTIFICATION)
    VOID(MINIPORT_CANCEL_IDLE_NOTIFICATION)(_In_ NDIS_HANDLE MiniportAdapterContext);
typedef MINIPORT_CANCEL_IDLE_NOTIFICATION(*MINIPORT_CANCEL_IDLE_NOTIFICATION_HANDLER);

typedef struct _NDIS_MINIPORT_SS_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_MINIPORT_SS_CHARACTERISTICS */
	ULONG Flags;
	MINIPORT_IDLE_NOTIFICATION_HANDLER IdleNotificationHandler;
	MINIPORT_CANCEL_IDLE_NOTIFICATION_HANDLER CancelIdleNotificationHandler;
} NDIS_MINIPORT_SS_CHARACTERISTICS, *PNDIS_MINIPORT_SS_CHARACTERISTICS;

#define NDIS_MINIPORT_SS_CHARACTERISTICS_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_SS_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_SS_CHARACTERISTICS, CancelIdleNotificationHandler)
#endif /* NDIS_SUPPORT_NDIS630 */

/* ---------------------------------- device objects, generic objects */

typedef _Function_class_(DRIVER_DISPATCH)
    NTSTATUS(DRIVER_DISPATCH)(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
typedef DRIVER_DISPATCH *PDRIVER_DISPATCH;

/* NdisRegisterDeviceEx's description of the device object to create. */
typedef struct _NDIS_DEVICE_OBJECT_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEVICE_OBJECT_ATTRIBUTES */
	PNDIS_STRING DeviceName;
	PNDIS_STRING SymbolicName;
	PDRIVER_DISPATCH *MajorFunctions;
	ULONG ExtensionSize;
	PCUNICODE_STRING DefaultSDDLString;
	LPCGUID DeviceClassGuid;
} NDIS_DEVICE_OBJECT_ATTRIBUTES, *PNDIS_DEVICE_OBJECT_ATTRIBUTES;

#define NDIS_DEVICE_OBJECT_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_DEVICE_OBJECT_ATTRIBUTES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_DEVICE_OBJECT_ATTRIBUTES, DeviceClassGuid)

/* NdisAllocateGenericObject's object: an NDIS handle for a driver component. */
typedef struct _NDIS_GENERIC_OBJECT {
	NDIS_OBJECT_HEADER Header;
	PVOID Caller;
	PVOID CallersCaller;
	PDRIVER_OBJECT DriverObject;
} NDIS_GENERIC_OBJECT, *PNDIS_GENERIC_OBJECT;

/* ------------------------------------- MSI-X table (NDIS 6.1) */

#if NDIS_SUPPORT_NDIS61
typedef enum _NDIS_MSIX_TABLE_CONFIG {
	NdisMSIXTableConfigSetTableEntry,
	NdisMSIXTableConfigMaskTableEntry,
	NdisMSIXTableConfigUnmaskTableEntry,
	NdisMSIXTableConfigMax
} NDIS_MSIX_TABLE_OPERATION,
    *PNDIS_MSIX_TABLE_OPERATION;

typedef struct _NDIS_MSIX_CONFIG_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	NDIS_MSIX_TABLE_OPERATION ConfigOperation;
	ULONG TableEntry;
	ULONG MessageNumber;
} NDIS_MSIX_CONFIG_PARAMETERS, *PNDIS_MSIX_CONFIG_PARAMETERS;

#define NDIS_MSIX_CONFIG_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_MSIX_CONFIG_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MSIX_CONFIG_PARAMETERS, MessageNumber)
#endif

/* ----------------------------------------------- restart attributes */

/* NDIS_MINIPORT_RESTART_PARAMETERS.RestartAttributes: a list of OID-tagged blobs. */
typedef struct _NDIS_RESTART_ATTRIBUTES {
	struct _NDIS_RESTART_ATTRIBUTES *Next;
	NDIS_OID Oid;
	ULONG DataLength;
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) UCHAR Data[1];
} NDIS_RESTART_ATTRIBUTES, *PNDIS_RESTART_ATTRIBUTES;

/* The Data of the OID_GEN_MINIPORT_RESTART_ATTRIBUTES entry. */
typedef struct _NDIS_RESTART_GENERAL_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_RESTART_GENERAL_ATTRIBUTES */
	ULONG MtuSize;
	ULONG64 MaxXmitLinkSpeed;
	ULONG64 MaxRcvLinkSpeed;
	ULONG LookaheadSize;
	ULONG MacOptions;
	ULONG SupportedPacketFilters;
	ULONG MaxMulticastListSize;
	PNDIS_RECEIVE_SCALE_CAPABILITIES RecvScaleCapabilities;
	NET_IF_ACCESS_TYPE AccessType;
	ULONG Flags;
	NET_IF_CONNECTION_TYPE ConnectionType;
	ULONG SupportedStatistics;
	ULONG DataBackFillSize;
	ULONG ContextBackFillSize;
	PNDIS_OID SupportedOidList;
	ULONG SupportedOidListLength;
#if NDIS_SUPPORT_NDIS620
	ULONG MaxLookaheadSizeAccessed;
#endif
} NDIS_RESTART_GENERAL_ATTRIBUTES, *PNDIS_RESTART_GENERAL_ATTRIBUTES;

#define NDIS_RESTART_GENERAL_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_RESTART_GENERAL_ATTRIBUTES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RESTART_GENERAL_ATTRIBUTES, SupportedOidListLength)
#if NDIS_SUPPORT_NDIS620
#define NDIS_RESTART_GENERAL_ATTRIBUTES_REVISION_2 2
#define NDIS_SIZEOF_RESTART_GENERAL_ATTRIBUTES_REVISION_2 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_RESTART_GENERAL_ATTRIBUTES, MaxLookaheadSizeAccessed)
#endif

/* ------------------------------- NDIS_RW_LOCK_EX state (NDIS 6.20) */

/* LOCK_STATE_EX (NDIS 6.20) is declared with the RW-lock DDIs, <ndis/support.h>. */

/* ------------------------------------------- the filter stack */

/* One module of the stack above a miniport adapter. */
typedef struct _NDIS_FILTER_INTERFACE {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	ULONG FilterType;
	ULONG FilterRunType;
	NET_IFINDEX IfIndex;
	NET_LUID NetLuid;
	NDIS_STRING FilterClass;
	NDIS_STRING FilterInstanceName;
} NDIS_FILTER_INTERFACE, *PNDIS_FILTER_INTERFACE;

#define NDIS_FILTER_INTERFACE_REVISION_1 1
#define NDIS_SIZEOF_FILTER_INTERFACE_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_FILTER_INTERFACE, FilterInstanceName)

/* NdisEnumerateFilterModules' buffer: the stack, top-most module first. */
typedef struct _NDIS_ENUM_FILTERS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	ULONG NumberOfFilters;
	ULONG OffsetFirstFilter;
	NDIS_FILTER_INTERFACE Filter[1];
} NDIS_ENUM_FILTERS, *PNDIS_ENUM_FILTERS;

#define NDIS_ENUM_FILTERS_REVISION_1 1
#define NDIS_SIZEOF_ENUM_FILTERS_REVISION_1 RTL_SIZEOF_THROUGH_FIELD(NDIS_ENUM_FILTERS, Filter)

#endif /* NDIS_SUPPORT_NDIS6 */

#endif /* _NDISRT_NDIS_PNP_H_ */
