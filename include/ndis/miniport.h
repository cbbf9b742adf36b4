/*
 * ndis/miniport.h - the NDIS 6 miniport driver: registration and
 * characteristics, the entry-point role types and their parameter
 * structures, the adapter's general attributes, pause/restart completion
 * and status indication.
 *
 * Part of <ndis.h>; NDIS 6 only, but for NDIS_DEVICE_PNP_EVENT, which
 * NDIS 5.1 miniports use too.
 */
#ifndef _NDIS_
#error "include <ndis.h>, not <ndis/miniport.h>"
#endif
#ifndef _NDISRT_NDIS_MINIPORT_H_
#define _NDISRT_NDIS_MINIPORT_H_

/* Shared with NDIS 5.1 (MiniportPnPEventNotify). */
typedef enum _NDIS_DEVICE_PNP_EVENT {
	NdisDevicePnPEventQueryRemoved,
	NdisDevicePnPEventRemoved,
	NdisDevicePnPEventSurpriseRemoved,
	NdisDevicePnPEventQueryStopped,
	NdisDevicePnPEventStopped,
	NdisDevicePnPEventPowerProfileChanged,
#if NDIS_SUPPORT_NDIS620
	NdisDevicePnPEventFilterListChanged,
#endif
	NdisDevicePnPEventMaximum
} NDIS_DEVICE_PNP_EVENT,
    *PNDIS_DEVICE_PNP_EVENT;

#if NDIS_SUPPORT_NDIS6

#define NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS 0x81
#define NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS 0x8A
#define NDIS_OBJECT_TYPE_STATUS_INDICATION 0x98
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES 0x9F

/* ------------------------------------------ entry-point parameters */

typedef struct _NDIS_PORT_AUTHENTICATION_PARAMETERS *PNDIS_PORT_AUTHENTICATION_PARAMETERS;
typedef struct _NDIS_PCI_DEVICE_CUSTOM_PROPERTIES *PNDIS_PCI_DEVICE_CUSTOM_PROPERTIES;
typedef struct _NDIS_RESTART_ATTRIBUTES *PNDIS_RESTART_ATTRIBUTES;

typedef struct _NDIS_MINIPORT_INIT_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	PNDIS_RESOURCE_LIST AllocatedResources;
	NDIS_HANDLE IMDeviceInstanceContext;
	NDIS_HANDLE MiniportAddDeviceContext;
	NET_IFINDEX IfIndex;
	NET_LUID NetLuid;
	PNDIS_PORT_AUTHENTICATION_PARAMETERS DefaultPortAuthStates;
#if NDIS_SUPPORT_NDIS61
	PNDIS_PCI_DEVICE_CUSTOM_PROPERTIES PciDeviceCustomProperties;
#endif
} NDIS_MINIPORT_INIT_PARAMETERS, *PNDIS_MINIPORT_INIT_PARAMETERS;

#define NDIS_MINIPORT_INIT_PARAMETERS_REVISION_1 1
#if NDIS_SUPPORT_NDIS61
#define NDIS_SIZEOF_MINIPORT_INIT_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_INIT_PARAMETERS, PciDeviceCustomProperties)
#else
#define NDIS_SIZEOF_MINIPORT_INIT_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_INIT_PARAMETERS, DefaultPortAuthStates)
#endif

/* PauseReason (deprecated from NDIS 6.40: always NDIS_PAUSE_NDIS_INTERNAL). */
#define NDIS_PAUSE_NDIS_INTERNAL 0x00000001
#define NDIS_PAUSE_LOW_POWER 0x00000002
#define NDIS_PAUSE_BIND_PROTOCOL 0x00000004
#define NDIS_PAUSE_UNBIND_PROTOCOL 0x00000008
#define NDIS_PAUSE_ATTACH_FILTER 0x00000010
#define NDIS_PAUSE_DETACH_FILTER 0x00000020
#define NDIS_PAUSE_FILTER_RESTART_STACK 0x00000040

typedef struct _NDIS_MINIPORT_PAUSE_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	ULONG Flags;
	ULONG PauseReason;
} NDIS_MINIPORT_PAUSE_PARAMETERS, *PNDIS_MINIPORT_PAUSE_PARAMETERS;

#define NDIS_MINIPORT_PAUSE_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_PAUSE_PARAMETERS, PauseReason)

typedef struct _NDIS_MINIPORT_RESTART_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
	PNDIS_RESTART_ATTRIBUTES RestartAttributes;
	ULONG Flags;
} NDIS_MINIPORT_RESTART_PARAMETERS, *PNDIS_MINIPORT_RESTART_PARAMETERS;

#define NDIS_MINIPORT_RESTART_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_RESTART_PARAMETERS, Flags)

typedef struct _NET_DEVICE_PNP_EVENT {
	NDIS_OBJECT_HEADER Header;
	NDIS_PORT_NUMBER PortNumber;
	NDIS_DEVICE_PNP_EVENT DevicePnPEvent;
	PVOID InformationBuffer;
	ULONG InformationBufferLength;
	UCHAR NdisReserved[2 * sizeof(PVOID)];
} NET_DEVICE_PNP_EVENT, *PNET_DEVICE_PNP_EVENT;

typedef enum _NDIS_HALT_ACTION {
	NdisHaltDeviceDisabled,
	NdisHaltDeviceInstanceDeInstalled,
	NdisHaltDevicePoweredDown,
	NdisHaltDeviceSurpriseRemoved,
	NdisHaltDeviceFailed,
	NdisHaltDeviceInitializationFailed,
	NdisHaltDeviceStopped
} NDIS_HALT_ACTION,
    *PNDIS_HALT_ACTION;

typedef enum _NDIS_SHUTDOWN_ACTION {
	NdisShutdownPowerOff,
	NdisShutdownBugCheck
} NDIS_SHUTDOWN_ACTION,
    *PNDIS_SHUTDOWN_ACTION;

/* ------------------------------------------------------ role types */

typedef _Function_class_(SET_OPTIONS)
    NDIS_STATUS(SET_OPTIONS)(_In_ NDIS_HANDLE NdisDriverHandle, _In_ NDIS_HANDLE DriverContext);
typedef SET_OPTIONS(*SET_OPTIONS_HANDLER);

typedef _Function_class_(MINIPORT_INITIALIZE) _IRQL_requires_(PASSIVE_LEVEL)
    NDIS_STATUS(MINIPORT_INITIALIZE)(_In_ NDIS_HANDLE NdisMiniportHandle,
				     _In_ NDIS_HANDLE MiniportDriverContext,
				     _In_ PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters);
typedef MINIPORT_INITIALIZE(*MINIPORT_INITIALIZE_HANDLER);

typedef _Function_class_(MINIPORT_HALT) _IRQL_requires_(PASSIVE_LEVEL)
    VOID(MINIPORT_HALT)(_In_ NDIS_HANDLE MiniportAdapterContext, _In_ NDIS_HALT_ACTION HaltAction);
typedef MINIPORT_HALT(*MINIPORT_HALT_HANDLER);

typedef _Function_class_(MINIPORT_UNLOAD) _IRQL_requires_(PASSIVE_LEVEL)
    VOID(MINIPORT_UNLOAD)(_In_ PDRIVER_OBJECT DriverObject);
typedef MINIPORT_UNLOAD(*MINIPORT_DRIVER_UNLOAD);

typedef _Function_class_(MINIPORT_PAUSE) _IRQL_requires_(PASSIVE_LEVEL)
    NDIS_STATUS(MINIPORT_PAUSE)(_In_ NDIS_HANDLE MiniportAdapterContext,
				_In_ PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters);
typedef MINIPORT_PAUSE(*MINIPORT_PAUSE_HANDLER);

typedef _Function_class_(MINIPORT_RESTART) _IRQL_requires_(PASSIVE_LEVEL)
    NDIS_STATUS(MINIPORT_RESTART)(_In_ NDIS_HANDLE MiniportAdapterContext,
				  _In_ PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters);
typedef MINIPORT_RESTART(*MINIPORT_RESTART_HANDLER);

typedef _Function_class_(MINIPORT_OID_REQUEST) _IRQL_requires_(PASSIVE_LEVEL)
    NDIS_STATUS(MINIPORT_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
				      _In_ PNDIS_OID_REQUEST OidRequest);
typedef MINIPORT_OID_REQUEST(*MINIPORT_OID_REQUEST_HANDLER);

typedef _Function_class_(MINIPORT_CANCEL_OID_REQUEST) _IRQL_requires_max_(DISPATCH_LEVEL)
    VOID(MINIPORT_CANCEL_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
				      _In_ PVOID RequestId);
typedef MINIPORT_CANCEL_OID_REQUEST(*MINIPORT_CANCEL_OID_REQUEST_HANDLER);

typedef _Function_class_(MINIPORT_SEND_NET_BUFFER_LISTS) _IRQL_requires_max_(DISPATCH_LEVEL)
    VOID(MINIPORT_SEND_NET_BUFFER_LISTS)(_In_ NDIS_HANDLE MiniportAdapterContext,
					 _In_ PNET_BUFFER_LIST NetBufferList,
					 _In_ NDIS_PORT_NUMBER PortNumber, _In_ ULONG SendFlags);
typedef MINIPORT_SEND_NET_BUFFER_LISTS(*MINIPORT_SEND_NET_BUFFER_LISTS_HANDLER);

typedef _Function_class_(MINIPORT_RETURN_NET_BUFFER_LISTS) _IRQL_requires_max_(DISPATCH_LEVEL)
    VOID(MINIPORT_RETURN_NET_BUFFER_LISTS)(_In_ NDIS_HANDLE MiniportAdapterContext,
					   _In_ PNET_BUFFER_LIST NetBufferLists,
					   _In_ ULONG ReturnFlags);
typedef MINIPORT_RETURN_NET_BUFFER_LISTS(*MINIPORT_RETURN_NET_BUFFER_LISTS_HANDLER);

typedef _Function_class_(MINIPORT_CANCEL_SEND) _IRQL_requires_max_(DISPATCH_LEVEL)
    VOID(MINIPORT_CANCEL_SEND)(_In_ NDIS_HANDLE MiniportAdapterContext, _In_ PVOID CancelId);
typedef MINIPORT_CANCEL_SEND(*MINIPORT_CANCEL_SEND_HANDLER);

typedef _Function_class_(MINIPORT_CHECK_FOR_HANG) _IRQL_requires_(PASSIVE_LEVEL)
    BOOLEAN(MINIPORT_CHECK_FOR_HANG)(_In_ NDIS_HANDLE MiniportAdapterContext);
typedef MINIPORT_CHECK_FOR_HANG(*MINIPORT_CHECK_FOR_HANG_HANDLER);

typedef _Function_class_(MINIPORT_RESET) _IRQL_requires_max_(DISPATCH_LEVEL)
    NDIS_STATUS(MINIPORT_RESET)(_In_ NDIS_HANDLE MiniportAdapterContext,
				_Out_ PBOOLEAN AddressingReset);
typedef MINIPORT_RESET(*MINIPORT_RESET_HANDLER);

typedef _Function_class_(MINIPORT_DEVICE_PNP_EVENT_NOTIFY) _IRQL_requires_(PASSIVE_LEVEL)
    VOID(MINIPORT_DEVICE_PNP_EVENT_NOTIFY)(_In_ NDIS_HANDLE MiniportAdapterContext,
					   _In_ PNET_DEVICE_PNP_EVENT NetDevicePnPEvent);
typedef MINIPORT_DEVICE_PNP_EVENT_NOTIFY(*MINIPORT_DEVICE_PNP_EVENT_NOTIFY_HANDLER);

typedef _Function_class_(MINIPORT_SHUTDOWN)
    VOID(MINIPORT_SHUTDOWN)(_In_ NDIS_HANDLE MiniportAdapterContext,
			    _In_ NDIS_SHUTDOWN_ACTION ShutdownAction);
typedef MINIPORT_SHUTDOWN(*MINIPORT_SHUTDOWN_HANDLER);

#if NDIS_SUPPORT_NDIS61
typedef _Function_class_(MINIPORT_DIRECT_OID_REQUEST) _IRQL_requires_max_(DISPATCH_LEVEL)
    NDIS_STATUS(MINIPORT_DIRECT_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
					     _In_ PNDIS_OID_REQUEST OidRequest);
typedef MINIPORT_DIRECT_OID_REQUEST(*MINIPORT_DIRECT_OID_REQUEST_HANDLER);

typedef _Function_class_(MINIPORT_CANCEL_DIRECT_OID_REQUEST) _IRQL_requires_max_(DISPATCH_LEVEL)
    VOID(MINIPORT_CANCEL_DIRECT_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
					     _In_ PVOID RequestId);
typedef MINIPORT_CANCEL_DIRECT_OID_REQUEST(*MINIPORT_CANCEL_DIRECT_OID_REQUEST_HANDLER);
#endif

/* ------------------------------------------ driver registration */

typedef struct _NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;
	UCHAR MajorNdisVersion;
	UCHAR MinorNdisVersion;
	UCHAR MajorDriverVersion;
	UCHAR MinorDriverVersion;
	ULONG Flags;
	SET_OPTIONS_HANDLER SetOptionsHandler;
	MINIPORT_INITIALIZE_HANDLER InitializeHandlerEx;
	MINIPORT_HALT_HANDLER HaltHandlerEx;
	MINIPORT_DRIVER_UNLOAD UnloadHandler;
	MINIPORT_PAUSE_HANDLER PauseHandler;
	MINIPORT_RESTART_HANDLER RestartHandler;
	MINIPORT_OID_REQUEST_HANDLER OidRequestHandler;
	MINIPORT_SEND_NET_BUFFER_LISTS_HANDLER SendNetBufferListsHandler;
	MINIPORT_RETURN_NET_BUFFER_LISTS_HANDLER ReturnNetBufferListsHandler;
	MINIPORT_CANCEL_SEND_HANDLER CancelSendHandler;
	MINIPORT_CHECK_FOR_HANG_HANDLER CheckForHangHandlerEx;
	MINIPORT_RESET_HANDLER ResetHandlerEx;
	MINIPORT_DEVICE_PNP_EVENT_NOTIFY_HANDLER DevicePnPEventNotifyHandler;
	MINIPORT_SHUTDOWN_HANDLER ShutdownHandlerEx;
	MINIPORT_CANCEL_OID_REQUEST_HANDLER CancelOidRequestHandler;
#if NDIS_SUPPORT_NDIS61
	MINIPORT_DIRECT_OID_REQUEST_HANDLER DirectOidRequestHandler;
	MINIPORT_CANCEL_DIRECT_OID_REQUEST_HANDLER CancelDirectOidRequestHandler;
#endif
} NDIS_MINIPORT_DRIVER_CHARACTERISTICS, *PNDIS_MINIPORT_DRIVER_CHARACTERISTICS;

#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, CancelOidRequestHandler)
#if NDIS_SUPPORT_NDIS61
#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 2
#define NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2         \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, \
				 CancelDirectOidRequestHandler)
#endif

/*
 * NdisMRegisterMiniportDriver: PASSIVE_LEVEL, from DriverEntry, once.
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_BAD_VERSION (an NDIS version
 * ndisrt does not host); NDIS_STATUS_BAD_CHARACTERISTICS (header, size or a
 * required handler); NDIS_STATUS_FAILURE (already registered).
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS NdisMRegisterMiniportDriver(
    _In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath,
    _In_opt_ NDIS_HANDLE MiniportDriverContext,
    _In_ PNDIS_MINIPORT_DRIVER_CHARACTERISTICS MiniportDriverCharacteristics,
    _Out_ PNDIS_HANDLE NdisMiniportDriverHandle);

/* PASSIVE_LEVEL: from MiniportDriverUnload (or DriverEntry, when it fails). */
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMDeregisterMiniportDriver(_In_ NDIS_HANDLE NdisMiniportDriverHandle);

/* ------------------------------------------------ general attributes */

typedef struct _NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	NDIS_MEDIUM MediaType;
	NDIS_PHYSICAL_MEDIUM PhysicalMediumType;
	ULONG MtuSize;
	ULONG64 MaxXmitLinkSpeed;
	ULONG64 XmitLinkSpeed;
	ULONG64 MaxRcvLinkSpeed;
	ULONG64 RcvLinkSpeed;
	NDIS_MEDIA_CONNECT_STATE MediaConnectState;
	NDIS_MEDIA_DUPLEX_STATE MediaDuplexState;
	ULONG LookaheadSize;
	PNDIS_PNP_CAPABILITIES PowerManagementCapabilities;
	ULONG MacOptions;
	ULONG SupportedPacketFilters;
	ULONG MaxMulticastListSize;
	USHORT MacAddressLength;
	UCHAR PermanentMacAddress[NDIS_MAX_PHYS_ADDRESS_LENGTH];
	UCHAR CurrentMacAddress[NDIS_MAX_PHYS_ADDRESS_LENGTH];
	PNDIS_RECEIVE_SCALE_CAPABILITIES RecvScaleCapabilities;
	NET_IF_ACCESS_TYPE AccessType;
	NET_IF_DIRECTION_TYPE DirectionType;
	NET_IF_CONNECTION_TYPE ConnectionType;
	NET_IFTYPE IfType;
	BOOLEAN IfConnectorPresent;
	ULONG SupportedStatistics;
	ULONG SupportedPauseFunctions;
	ULONG DataBackFillSize;
	ULONG ContextBackFillSize;
	PNDIS_OID SupportedOidList;
	ULONG SupportedOidListLength;
	ULONG AutoNegotiationFlags;
#if NDIS_SUPPORT_NDIS620
	PNDIS_PM_CAPABILITIES PowerManagementCapabilitiesEx;
#endif
} NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;

#define NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES, AutoNegotiationFlags)
#if NDIS_SUPPORT_NDIS620
#define NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 2
#define NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2         \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES, \
				 PowerManagementCapabilitiesEx)
#endif

/* ------------------------------------------- other attribute structures */

#define NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES 0xA4
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES 0xA0
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES 0xAF
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES 0xB3

/* From MiniportAddDevice (NDIS 6.0): the context MiniportInitializeEx gets. */
typedef struct _NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	NDIS_HANDLE MiniportAddDeviceContext;
	ULONG Flags;
} NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES,
    *PNDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES;

#define NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES, Flags)

/* The structures these point to are not declared yet (docs/ddi-coverage.md). */
typedef struct _NDIS_OFFLOAD *PNDIS_OFFLOAD;
typedef struct _NDIS_TCP_CONNECTION_OFFLOAD *PNDIS_TCP_CONNECTION_OFFLOAD;
typedef struct _NDIS_HD_SPLIT_ATTRIBUTES *PNDIS_HD_SPLIT_ATTRIBUTES;
typedef struct _NDIS_RECEIVE_FILTER_CAPABILITIES *PNDIS_RECEIVE_FILTER_CAPABILITIES;
typedef struct _NDIS_NIC_SWITCH_CAPABILITIES *PNDIS_NIC_SWITCH_CAPABILITIES;
typedef struct _NDIS_SRIOV_CAPABILITIES *PNDIS_SRIOV_CAPABILITIES;
typedef struct _NDIS_QOS_CAPABILITIES *PNDIS_QOS_CAPABILITIES;
typedef struct _NDIS_NDK_CAPABILITIES *PNDIS_NDK_CAPABILITIES;

typedef struct _NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	PNDIS_OFFLOAD DefaultOffloadConfiguration;
	PNDIS_OFFLOAD HardwareOffloadCapabilities;
	PNDIS_TCP_CONNECTION_OFFLOAD DefaultTcpConnectionOffloadConfiguration;
	PNDIS_TCP_CONNECTION_OFFLOAD TcpConnectionOffloadHardwareCapabilities;
} NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES;

#define NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1         \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, \
				 TcpConnectionOffloadHardwareCapabilities)

#if NDIS_SUPPORT_NDIS61
typedef struct _NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	PNDIS_HD_SPLIT_ATTRIBUTES HDSplitAttributes;
#if NDIS_SUPPORT_NDIS620
	PNDIS_RECEIVE_FILTER_CAPABILITIES HardwareReceiveFilterCapabilities;
	PNDIS_RECEIVE_FILTER_CAPABILITIES CurrentReceiveFilterCapabilities;
	PNDIS_NIC_SWITCH_CAPABILITIES HardwareNicSwitchCapabilities;
	PNDIS_NIC_SWITCH_CAPABILITIES CurrentNicSwitchCapabilities;
#endif
#if NDIS_SUPPORT_NDIS630
	PNDIS_SRIOV_CAPABILITIES HardwareSriovCapabilities;
	PNDIS_SRIOV_CAPABILITIES CurrentSriovCapabilities;
	PNDIS_QOS_CAPABILITIES HardwareQosCapabilities;
	PNDIS_QOS_CAPABILITIES CurrentQosCapabilities;
#endif
} NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES,
    *PNDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES;

#define NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_1         \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES, \
				 HDSplitAttributes)
#if NDIS_SUPPORT_NDIS620
#define NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_2 2
#define NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_2         \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES, \
				 CurrentNicSwitchCapabilities)
#endif
#if NDIS_SUPPORT_NDIS630
#define NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3 3
#define NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3         \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES, \
				 CurrentQosCapabilities)
#endif
#endif /* NDIS_SUPPORT_NDIS61 */

#if NDIS_SUPPORT_NDIS630
typedef struct _NDIS_MINIPORT_ADAPTER_NDK_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	BOOLEAN Enabled;
	PNDIS_NDK_CAPABILITIES NdkCapabilities;
} NDIS_MINIPORT_ADAPTER_NDK_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_NDK_ATTRIBUTES;

#define NDIS_MINIPORT_ADAPTER_NDK_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_ADAPTER_NDK_ATTRIBUTES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_NDK_ATTRIBUTES, NdkCapabilities)
#endif

/*
 * The attributes union NdisMSetMiniportAttributes takes (its typedef is in
 * <ndis.h>); NDIS reads Header.Type. The WDK's members in the WDK's order,
 * less the native 802.11 one (wireless: out of scope) and the packet
 * direct one (NDIS 6.50); both are smaller than the general attributes, so
 * the union's size is the WDK's (tests/ndis/test_layout_wdk.c).
 */
union _NDIS_MINIPORT_ADAPTER_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES AddDeviceRegistrationAttributes;
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES RegistrationAttributes;
	NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES GeneralAttributes;
	NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES OffloadAttributes;
#if NDIS_SUPPORT_NDIS61
	NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES HardwareAssistAttributes;
#endif
#if NDIS_SUPPORT_NDIS630
	NDIS_MINIPORT_ADAPTER_NDK_ATTRIBUTES NDKAttributes;
#endif
};

/* --------------------------------------------- pause and restart */

/* <= DISPATCH_LEVEL: completes a MiniportPause that returned NDIS_STATUS_PENDING. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisMPauseComplete(_In_ NDIS_HANDLE MiniportAdapterHandle);

/* <= DISPATCH_LEVEL: completes a MiniportRestart that returned NDIS_STATUS_PENDING. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMRestartComplete(_In_ NDIS_HANDLE MiniportAdapterHandle, _In_ NDIS_STATUS Status);

/* ------------------------------------------------- status indication */

typedef struct _NDIS_STATUS_INDICATION {
	NDIS_OBJECT_HEADER Header;
	NDIS_HANDLE SourceHandle;
	NDIS_PORT_NUMBER PortNumber;
	NDIS_STATUS StatusCode;
	ULONG Flags;
	NDIS_HANDLE DestinationHandle;
	PVOID RequestId;
	PVOID StatusBuffer;
	ULONG StatusBufferSize;
	GUID Guid;
	PVOID NdisReserved[4];
} NDIS_STATUS_INDICATION, *PNDIS_STATUS_INDICATION;

#define NDIS_STATUS_INDICATION_REVISION_1 1
#define NDIS_SIZEOF_STATUS_INDICATION_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_STATUS_INDICATION, NdisReserved)

/*
 * NdisMIndicateStatusEx: <= DISPATCH_LEVEL. SourceHandle must be the
 * MiniportAdapterHandle; the buffer is copied (or consumed) before return.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMIndicateStatusEx(_In_ NDIS_HANDLE MiniportAdapterHandle,
			  _In_ PNDIS_STATUS_INDICATION StatusIndication);

/* ------------------------------------------------ NDIS 6 status codes */

#define NDIS_STATUS_SEND_ABORTED ((NDIS_STATUS)0xC023000CL) /* STATUS_NDIS_REQUEST_ABORTED */
#define NDIS_STATUS_INVALID_PORT ((NDIS_STATUS)0xC023002DL) /* STATUS_NDIS_INVALID_PORT */
#define NDIS_STATUS_INVALID_PORT_STATE ((NDIS_STATUS)0xC023002EL)
#if NDIS_SUPPORT_NDIS61
#define NDIS_STATUS_INDICATION_REQUIRED \
	((NDIS_STATUS)0x40230001L) /* STATUS_NDIS_INDICATION_REQUIRED */
#endif
#if NDIS_SUPPORT_NDIS630
#define NDIS_STATUS_BUSY ((NDIS_STATUS)0x80000011L) /* STATUS_DEVICE_BUSY */
#define NDIS_STATUS_RECEIVE_FILTER_CURRENT_CAPABILITIES ((NDIS_STATUS)0x40020010L)
#define NDIS_STATUS_RECEIVE_FILTER_HARDWARE_CAPABILITIES ((NDIS_STATUS)0x40020020L)
#define NDIS_STATUS_RECEIVE_FILTER_QUEUE_PARAMETERS ((NDIS_STATUS)0x40020030L)
#define NDIS_STATUS_QOS_OPERATIONAL_PARAMETERS_CHANGE ((NDIS_STATUS)0x400200A0L)
#define NDIS_STATUS_QOS_REMOTE_PARAMETERS_CHANGE ((NDIS_STATUS)0x400200A1L)
#define NDIS_STATUS_PM_HARDWARE_CAPABILITIES ((NDIS_STATUS)0x40030054L)
#define NDIS_STATUS_PM_WAKE_REASON ((NDIS_STATUS)0x40030055L)
#endif

/* ---------------------------------------------- optional handlers (6.0) */

/*
 * A pointer to one of the characteristics structures NdisSetOptionalHandlers
 * takes (each begins with its NDIS_OBJECT_HEADER); incomplete here.
 */
typedef union _NDIS_DRIVER_OPTIONAL_HANDLERS NDIS_DRIVER_OPTIONAL_HANDLERS,
    *PNDIS_DRIVER_OPTIONAL_HANDLERS;

/*
 * NdisSetOptionalHandlers: PASSIVE_LEVEL, from MiniportSetOptions (which
 * NdisMRegisterMiniportDriver calls), with the NdisDriverHandle it got.
 * ndisrt offers none of the optional miniport services (no PnP manager to
 * call MiniportAddDevice, no selective suspend, no shared-memory provider,
 * no NDK, no CoNDIS, no chimney): NDIS_STATUS_NOT_SUPPORTED for each of
 * their structures, NDIS_STATUS_INVALID_PARAMETER for any other header.
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisSetOptionalHandlers(_In_ NDIS_HANDLE NdisHandle,
			    _In_ PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers);

/* ------------------------------------------ OID request clones (6.0) */

/*
 * NdisAllocateCloneOidRequest: <= DISPATCH_LEVEL. A copy of OidRequest
 * (same information buffer); NdisFreeCloneOidRequest frees it.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
    NdisAllocateCloneOidRequest(_In_ NDIS_HANDLE SourceHandle, _In_ PNDIS_OID_REQUEST OidRequest,
				_In_ UINT PoolTag, _Out_ PNDIS_OID_REQUEST *ClonedOidRequest);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisFreeCloneOidRequest(_In_ NDIS_HANDLE SourceHandle, _In_ PNDIS_OID_REQUEST Request);

/* -------------------------- refused (docs/ddi/refused.tsv gives why) */

#if NDIS_SUPPORT_NDIS61
/* ndisrt issues no direct OID requests: completing one is bug check 0xC4. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMDirectOidRequestComplete(_In_ NDIS_HANDLE MiniportAdapterHandle,
				  _In_ PNDIS_OID_REQUEST OidRequest, _In_ NDIS_STATUS Status);
#endif

#if NDIS_SUPPORT_NDIS630
typedef USHORT NDIS_SRIOV_FUNCTION_ID, *PNDIS_SRIOV_FUNCTION_ID;

/*
 * SR-IOV: the machine has no virtual functions and no configuration
 * blocks. The NDIS_STATUS functions return NDIS_STATUS_NOT_SUPPORTED, the
 * bus-data ones transfer 0 bytes, NdisMInvalidateConfigBlock is bug check
 * 0xC4 (there is no block to invalidate).
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMEnableVirtualization(_In_ NDIS_HANDLE NdisMiniportHandle, _In_ USHORT NumVFs,
			      _In_ BOOLEAN EnableVFMigration, _In_ BOOLEAN EnableMigrationInterrupt,
			      _In_ BOOLEAN EnableVirtualization);
_IRQL_requires_max_(DISPATCH_LEVEL) ULONG
    NdisMGetVirtualFunctionBusData(_In_ NDIS_HANDLE NdisMiniportHandle,
				   _In_ NDIS_SRIOV_FUNCTION_ID VFId, _Out_ PVOID Buffer,
				   _In_ ULONG Offset, _In_ ULONG Length);
_IRQL_requires_max_(DISPATCH_LEVEL) ULONG
    NdisMSetVirtualFunctionBusData(_In_ NDIS_HANDLE NdisMiniportHandle,
				   _In_ NDIS_SRIOV_FUNCTION_ID VFId, _In_ PVOID Buffer,
				   _In_ ULONG Offset, _In_ ULONG Length);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMGetVirtualFunctionLocation(_In_ NDIS_HANDLE NdisMiniportHandle,
				    _In_ NDIS_SRIOV_FUNCTION_ID VFId, _Out_ PUSHORT SegmentNumber,
				    _Out_ PUCHAR BusNumber, _Out_ PUCHAR FunctionNumber);
_IRQL_requires_max_(APC_LEVEL) NDIS_STATUS
    NdisMReadConfigBlock(_In_ NDIS_HANDLE NdisMiniportHandle, _In_ ULONG BlockId,
			 _Out_ PVOID Buffer, _In_ ULONG Length);
_IRQL_requires_max_(APC_LEVEL) NDIS_STATUS
    NdisMWriteConfigBlock(_In_ NDIS_HANDLE NdisMiniportHandle, _In_ ULONG BlockId,
			  _In_ PVOID Buffer, _In_ ULONG Length);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMInvalidateConfigBlock(_In_ NDIS_HANDLE NdisMiniportHandle,
			       _In_ NDIS_SRIOV_FUNCTION_ID VFId, _In_ ULONGLONG BlockMask);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMQueryProbedBars(_In_ NDIS_HANDLE NdisMiniportHandle, _Out_ PULONG BaseRegisterValues);

/*
 * Idle notification (selective suspend): ndisrt never calls
 * MiniportIdleNotification, so completing or confirming one is bug check
 * 0xC4.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
    NdisMIdleNotificationComplete(_In_ NDIS_HANDLE MiniportAdapterHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMIdleNotificationConfirm(_In_ NDIS_HANDLE MiniportAdapterHandle,
				 _In_ NDIS_DEVICE_POWER_STATE IdlePowerState);
#endif /* NDIS_SUPPORT_NDIS630 */

#endif /* NDIS_SUPPORT_NDIS6 */

#endif /* _NDISRT_NDIS_MINIPORT_H_ */
