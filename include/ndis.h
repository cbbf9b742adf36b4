/*
 * ndis.h - the NDIS DDI as ndisrt implements it.
 *
 * Source-compatible with the WDK's ndis.h for everything it declares: the
 * same names, types, parameter order, constants and function role types, so
 * a miniport written from Microsoft's documentation compiles against it
 * unchanged. It declares only what ndisrt implements. Targets x64 (LP64 on
 * Linux: ULONG and LONG are 32 bits, pointers 64).
 *
 * SAL annotations are accepted and ignored.
 */
#ifndef _NDIS_
#define _NDIS_

#include <wdm.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef PVOID NDIS_HANDLE, *PNDIS_HANDLE;
typedef int NDIS_STATUS, *PNDIS_STATUS;

/* --------------------------------------------------------- status codes */

#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)0x00000000L)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)0x00000103L)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)0xC0000001L)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)0xC000009AL)
#define NDIS_STATUS_NOT_SUPPORTED ((NDIS_STATUS)0xC00000BBL)
#define NDIS_STATUS_INVALID_PARAMETER ((NDIS_STATUS)0xC000000DL)
#define NDIS_STATUS_INVALID_DATA ((NDIS_STATUS)0xC0010015L)
#define NDIS_STATUS_RESOURCE_CONFLICT ((NDIS_STATUS)0xC001001EL)

#define NDIS_STATUS_BAD_VERSION ((NDIS_STATUS)0xC0010004L)

/* ------------------------------------------------------- NDIS versions */

/*
 * The WDK's scheme: a miniport defines NDIS_MINIPORT_DRIVER and one (or, to
 * run one binary on several NDIS versions, more) of NDISxxx_MINIPORT; the
 * highest picks NDIS_MINIPORT_MAJOR/MINOR_VERSION, and NDIS_SUPPORT_NDISxxx
 * is 1 for that version and every earlier one. A driver may force an
 * NDIS_SUPPORT_NDISxxx value by defining it first. The runtime itself is
 * built with NDIS_WRAPPER, which enables everything (as the WDK does for
 * ndis.sys). NDIS_SUPPORT_60_COMPATIBLE_API exposes the NDIS 6.0/6.1
 * interfaces that 6.20 made obsolete (NdisMQueueDpc) to drivers that also
 * define NDIS60_MINIPORT or NDIS61_MINIPORT.
 */
#if defined(NDIS_MINIPORT_MAJOR_VERSION) || defined(NDIS_MINIPORT_MINOR_VERSION)
#error "NDIS: Driver is re-defining NDIS reserved macros"
#endif

#if defined(NDIS_MINIPORT_DRIVER)
#if defined(NDIS689_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 89
#elif defined(NDIS688_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 88
#elif defined(NDIS687_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 87
#elif defined(NDIS686_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 86
#elif defined(NDIS685_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 85
#elif defined(NDIS684_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 84
#elif defined(NDIS683_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 83
#elif defined(NDIS682_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 82
#elif defined(NDIS681_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 81
#elif defined(NDIS680_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 80
#elif defined(NDIS670_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 70
#elif defined(NDIS660_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 60
#elif defined(NDIS651_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 51
#elif defined(NDIS650_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 50
#elif defined(NDIS640_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 40
#elif defined(NDIS630_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 30
#elif defined(NDIS620_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 20
#elif defined(NDIS61_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 1
#elif defined(NDIS60_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 0
#elif defined(NDIS51_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 5
#define NDIS_MINIPORT_MINOR_VERSION 1
#elif defined(NDIS50_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 5
#define NDIS_MINIPORT_MINOR_VERSION 0
#else
#error "NDIS: Only NDIS miniport drivers with version >= 5 are supported (define NDISxxx_MINIPORT)"
#endif
#endif /* NDIS_MINIPORT_DRIVER */

/* Private helpers of the version scheme: 620 for NDIS 6.20, 601 for 6.1. */
#if defined(NDIS_WRAPPER)
#define NDIS_VERSION_AT_LEAST__(v) 1
#elif defined(NDIS_MINIPORT_MAJOR_VERSION)
#define NDIS_VERSION_AT_LEAST__(v) \
	((NDIS_MINIPORT_MAJOR_VERSION * 100 + NDIS_MINIPORT_MINOR_VERSION) >= (v))
#else
#define NDIS_VERSION_AT_LEAST__(v) 0
#endif

#if !defined(NDIS_SUPPORT_NDIS689)
#define NDIS_SUPPORT_NDIS689 NDIS_VERSION_AT_LEAST__(689)
#endif
#if !defined(NDIS_SUPPORT_NDIS688)
#define NDIS_SUPPORT_NDIS688 (NDIS_SUPPORT_NDIS689 || NDIS_VERSION_AT_LEAST__(688))
#endif
#if !defined(NDIS_SUPPORT_NDIS687)
#define NDIS_SUPPORT_NDIS687 (NDIS_SUPPORT_NDIS688 || NDIS_VERSION_AT_LEAST__(687))
#endif
#if !defined(NDIS_SUPPORT_NDIS686)
#define NDIS_SUPPORT_NDIS686 (NDIS_SUPPORT_NDIS687 || NDIS_VERSION_AT_LEAST__(686))
#endif
#if !defined(NDIS_SUPPORT_NDIS685)
#define NDIS_SUPPORT_NDIS685 (NDIS_SUPPORT_NDIS686 || NDIS_VERSION_AT_LEAST__(685))
#endif
#if !defined(NDIS_SUPPORT_NDIS684)
#define NDIS_SUPPORT_NDIS684 (NDIS_SUPPORT_NDIS685 || NDIS_VERSION_AT_LEAST__(684))
#endif
#if !defined(NDIS_SUPPORT_NDIS683)
#define NDIS_SUPPORT_NDIS683 (NDIS_SUPPORT_NDIS684 || NDIS_VERSION_AT_LEAST__(683))
#endif
#if !defined(NDIS_SUPPORT_NDIS682)
#define NDIS_SUPPORT_NDIS682 (NDIS_SUPPORT_NDIS683 || NDIS_VERSION_AT_LEAST__(682))
#endif
#if !defined(NDIS_SUPPORT_NDIS681)
#define NDIS_SUPPORT_NDIS681 (NDIS_SUPPORT_NDIS682 || NDIS_VERSION_AT_LEAST__(681))
#endif
#if !defined(NDIS_SUPPORT_NDIS680)
#define NDIS_SUPPORT_NDIS680 (NDIS_SUPPORT_NDIS681 || NDIS_VERSION_AT_LEAST__(680))
#endif
#if !defined(NDIS_SUPPORT_NDIS670)
#define NDIS_SUPPORT_NDIS670 (NDIS_SUPPORT_NDIS680 || NDIS_VERSION_AT_LEAST__(670))
#endif
#if !defined(NDIS_SUPPORT_NDIS660)
#define NDIS_SUPPORT_NDIS660 (NDIS_SUPPORT_NDIS670 || NDIS_VERSION_AT_LEAST__(660))
#endif
#if !defined(NDIS_SUPPORT_NDIS651)
#define NDIS_SUPPORT_NDIS651 (NDIS_SUPPORT_NDIS660 || NDIS_VERSION_AT_LEAST__(651))
#endif
#if !defined(NDIS_SUPPORT_NDIS650)
#define NDIS_SUPPORT_NDIS650 (NDIS_SUPPORT_NDIS651 || NDIS_VERSION_AT_LEAST__(650))
#endif
#if !defined(NDIS_SUPPORT_NDIS640)
#define NDIS_SUPPORT_NDIS640 (NDIS_SUPPORT_NDIS650 || NDIS_VERSION_AT_LEAST__(640))
#endif
#if !defined(NDIS_SUPPORT_NDIS630)
#define NDIS_SUPPORT_NDIS630 (NDIS_SUPPORT_NDIS640 || NDIS_VERSION_AT_LEAST__(630))
#endif
#if !defined(NDIS_SUPPORT_NDIS620)
#define NDIS_SUPPORT_NDIS620 (NDIS_SUPPORT_NDIS630 || NDIS_VERSION_AT_LEAST__(620))
#endif
#if !defined(NDIS_SUPPORT_NDIS61)
#define NDIS_SUPPORT_NDIS61 (NDIS_SUPPORT_NDIS620 || NDIS_VERSION_AT_LEAST__(601))
#endif
#if !defined(NDIS_SUPPORT_NDIS6)
#define NDIS_SUPPORT_NDIS6 (NDIS_SUPPORT_NDIS61 || NDIS_VERSION_AT_LEAST__(600))
#endif

#if defined(NDIS61_MINIPORT) || defined(NDIS60_MINIPORT) || defined(NDIS_WRAPPER)
#define NDIS_SUPPORT_60_COMPATIBLE_API 1
#else
#define NDIS_SUPPORT_60_COMPATIBLE_API 0
#endif

/*
 * NDIS 5.x miniports (NdisMRegisterMiniport, NDIS_PACKET, the legacy
 * interrupt model; <ndis/ndis5.h>): visible, as in the WDK, when the
 * driver builds for NDIS 5.0 or 5.1 (its highest NDISxxx_MINIPORT) and to
 * the runtime; a driver may force it by defining it first.
 */
#if !defined(NDIS_LEGACY_MINIPORT)
#if (defined(NDIS_MINIPORT_DRIVER) && NDIS_MINIPORT_MAJOR_VERSION < 6) || defined(NDIS_WRAPPER)
#define NDIS_LEGACY_MINIPORT 1
#else
#define NDIS_LEGACY_MINIPORT 0
#endif
#endif

/* --------------------------------------------------- NDIS object header */

typedef struct _NDIS_OBJECT_HEADER {
	UCHAR Type;
	UCHAR Revision;
	USHORT Size;
} NDIS_OBJECT_HEADER, *PNDIS_OBJECT_HEADER;

#define NDIS_OBJECT_TYPE_DEFAULT 0x80
#define NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT 0x84
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES 0x9E

/* Bus types, numbered as the HAL's INTERFACE_TYPE. */
typedef enum _NDIS_INTERFACE_TYPE {
	NdisInterfaceInternal = 0,
	NdisInterfaceIsa = 1,
	NdisInterfaceEisa = 2,
	NdisInterfaceMca = 3,
	NdisInterfaceTurboChannel = 4,
	NdisInterfacePci = 5,
	NdisInterfacePcMcia = 8,
	NdisInterfaceCBus = 9,
	NdisInterfaceMPIBus = 10,
	NdisInterfaceMPSABus = 11,
	NdisInterfaceProcessorInternal = 12,
	NdisInterfaceInternalPowerBus = 13,
	NdisInterfacePNPISABus = 14,
	NdisInterfacePNPBus = 15,
	NdisInterfaceUSB,
	NdisInterfaceIrda,
	NdisInterface1394,
	NdisMaximumInterfaceType
} NDIS_INTERFACE_TYPE,
    *PNDIS_INTERFACE_TYPE;

#if NDIS_SUPPORT_NDIS6

/* ------------------------------------------- miniport adapter attributes */

#define NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE 0x00000001
#define NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM 0x00000002
#define NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK 0x00000004
#define NDIS_MINIPORT_ATTRIBUTES_NOT_CO_NDIS 0x00000008
#define NDIS_MINIPORT_ATTRIBUTES_DO_NOT_BIND_TO_ALL_CO 0x00000010
#define NDIS_MINIPORT_ATTRIBUTES_NO_HALT_ON_SUSPEND 0x00000020
#define NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER 0x00000040
#define NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT 0x00000080
#if NDIS_SUPPORT_NDIS630
#define NDIS_MINIPORT_ATTRIBUTES_NO_PAUSE_ON_SUSPEND 0x00000100
#define NDIS_MINIPORT_ATTRIBUTES_NO_OID_INTERCEPT_ON_NONDEFAULT_PORTS 0x00000200
#define NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK 0x00000400
#endif

typedef struct _NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	NDIS_HANDLE MiniportAdapterContext;
	ULONG AttributeFlags;
	UINT CheckForHangTimeInSeconds;
	NDIS_INTERFACE_TYPE InterfaceType;
} NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;

#define NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, InterfaceType)
#if NDIS_SUPPORT_NDIS630
#define NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2 2
#define NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, InterfaceType)
#endif

/*
 * The WDK's union of every attributes structure. Its members are declared
 * where the attributes structures are (<ndis/miniport.h> completes it);
 * here it is the type NdisMSetMiniportAttributes takes: drivers pass one
 * attributes structure cast to it, as the WDK samples do, and NDIS reads
 * its Header.Type.
 */
typedef union _NDIS_MINIPORT_ADAPTER_ATTRIBUTES NDIS_MINIPORT_ADAPTER_ATTRIBUTES,
    *PNDIS_MINIPORT_ADAPTER_ATTRIBUTES;

_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
    NdisMSetMiniportAttributes(_In_ NDIS_HANDLE NdisMiniportHandle,
			       _In_ PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes);

/* ------------------------------------------------ interrupt callbacks */

typedef _Function_class_(MINIPORT_ISR)
    BOOLEAN(NTAPI MINIPORT_ISR)(_In_ NDIS_HANDLE MiniportInterruptContext,
				_Out_ PBOOLEAN QueueDefaultInterruptDpc,
				_Out_ PULONG TargetProcessors);
typedef MINIPORT_ISR *MINIPORT_ISR_HANDLER;

typedef _Function_class_(MINIPORT_INTERRUPT_DPC) _IRQL_requires_(DISPATCH_LEVEL)
    VOID(NTAPI MINIPORT_INTERRUPT_DPC)(_In_ NDIS_HANDLE MiniportInterruptContext,
				       _In_ PVOID MiniportDpcContext,
#if NDIS_SUPPORT_NDIS620
				       _In_ PVOID ReceiveThrottleParameters,
				       _In_ PVOID NdisReserved2
#else
				       _In_ PULONG NdisReserved1, _In_ PULONG NdisReserved2
#endif
    );
typedef MINIPORT_INTERRUPT_DPC *MINIPORT_INTERRUPT_DPC_HANDLER;

typedef _Function_class_(MINIPORT_DISABLE_INTERRUPT)
    VOID(NTAPI MINIPORT_DISABLE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext);
typedef MINIPORT_DISABLE_INTERRUPT *MINIPORT_DISABLE_INTERRUPT_HANDLER;

typedef _Function_class_(MINIPORT_ENABLE_INTERRUPT)
    VOID(NTAPI MINIPORT_ENABLE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext);
typedef MINIPORT_ENABLE_INTERRUPT *MINIPORT_ENABLE_INTERRUPT_HANDLER;

typedef _Function_class_(MINIPORT_MESSAGE_INTERRUPT)
    BOOLEAN(NTAPI MINIPORT_MESSAGE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext,
					      _In_ ULONG MessageId,
					      _Out_ PBOOLEAN QueueDefaultInterruptDpc,
					      _Out_ PULONG TargetProcessors);
typedef MINIPORT_MESSAGE_INTERRUPT *MINIPORT_MSI_ISR_HANDLER;

typedef _Function_class_(MINIPORT_MESSAGE_INTERRUPT_DPC) _IRQL_requires_(DISPATCH_LEVEL)
    VOID(NTAPI MINIPORT_MESSAGE_INTERRUPT_DPC)(_In_ NDIS_HANDLE MiniportInterruptContext,
					       _In_ ULONG MessageId, _In_ PVOID MiniportDpcContext,
#if NDIS_SUPPORT_NDIS620
					       _In_ PVOID ReceiveThrottleParameters,
					       _In_ PVOID NdisReserved2
#else
					       _In_ PULONG NdisReserved1, _In_ PULONG NdisReserved2
#endif
    );
typedef MINIPORT_MESSAGE_INTERRUPT_DPC *MINIPORT_MSI_INTERRUPT_DPC_HANDLER;

typedef _Function_class_(MINIPORT_DISABLE_MESSAGE_INTERRUPT)
    VOID(NTAPI MINIPORT_DISABLE_MESSAGE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext,
						   _In_ ULONG MessageId);
typedef MINIPORT_DISABLE_MESSAGE_INTERRUPT *MINIPORT_DISABLE_MSI_INTERRUPT_HANDLER;

typedef _Function_class_(MINIPORT_ENABLE_MESSAGE_INTERRUPT)
    VOID(NTAPI MINIPORT_ENABLE_MESSAGE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext,
						  _In_ ULONG MessageId);
typedef MINIPORT_ENABLE_MESSAGE_INTERRUPT *MINIPORT_ENABLE_MSI_INTERRUPT_HANDLER;

typedef _Function_class_(MINIPORT_SYNCHRONIZE_INTERRUPT)
    BOOLEAN(NTAPI MINIPORT_SYNCHRONIZE_INTERRUPT)(_In_ NDIS_HANDLE SynchronizeContext);
typedef MINIPORT_SYNCHRONIZE_INTERRUPT *MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER;
typedef MINIPORT_SYNCHRONIZE_INTERRUPT MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT;
typedef MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT *MINIPORT_SYNCHRONIZE_MSI_INTERRUPT_HANDLER;

/* ------------------------------------------------ interrupt registration */

/* InterruptType values. (There is no NDIS_CONNECT_FULLY_SPECIFIED.) */
typedef enum _NDIS_INTERRUPT_TYPE {
	NDIS_CONNECT_LINE_BASED = 1,
	NDIS_CONNECT_MESSAGE_BASED
} NDIS_INTERRUPT_TYPE,
    *PNDIS_INTERRUPT_TYPE;

typedef struct _NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS {
	_In_ NDIS_OBJECT_HEADER Header;
	_In_ MINIPORT_ISR_HANDLER InterruptHandler;
	_In_ MINIPORT_INTERRUPT_DPC_HANDLER InterruptDpcHandler;
	_In_ MINIPORT_DISABLE_INTERRUPT_HANDLER DisableInterruptHandler;
	_In_ MINIPORT_ENABLE_INTERRUPT_HANDLER EnableInterruptHandler;
	_In_ BOOLEAN MsiSupported;
	_In_ BOOLEAN MsiSyncWithAllMessages;
	_In_ MINIPORT_MSI_ISR_HANDLER MessageInterruptHandler;
	_In_ MINIPORT_MSI_INTERRUPT_DPC_HANDLER MessageInterruptDpcHandler;
	_In_ MINIPORT_DISABLE_MSI_INTERRUPT_HANDLER DisableMessageInterruptHandler;
	_In_ MINIPORT_ENABLE_MSI_INTERRUPT_HANDLER EnableMessageInterruptHandler;
	_Out_ NDIS_INTERRUPT_TYPE InterruptType;
	_Out_ PIO_INTERRUPT_MESSAGE_INFO MessageInfoTable;
} NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, *PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS;

#define NDIS_MINIPORT_INTERRUPT_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInfoTable)

_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS NdisMRegisterInterruptEx(
    _In_ NDIS_HANDLE MiniportAdapterHandle, _In_ NDIS_HANDLE MiniportInterruptContext,
    _In_ PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS MiniportInterruptCharacteristics,
    _Out_ PNDIS_HANDLE NdisInterruptHandle);

_IRQL_requires_(PASSIVE_LEVEL) VOID
    NdisMDeregisterInterruptEx(_In_ NDIS_HANDLE NdisInterruptHandle);

/*
 * Four parameters (spec §24 C-1): the third is the synchronize routine,
 * typed for NDIS 6.20+ builds and PVOID before; the ABI is the same.
 */
_IRQL_requires_max_(HIGH_LEVEL) BOOLEAN
    NdisMSynchronizeWithInterruptEx(_In_ NDIS_HANDLE NdisInterruptHandle, _In_ ULONG MessageId,
#if NDIS_SUPPORT_NDIS620
				    _In_ MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER SynchronizeFunction,
#else
				    _In_ PVOID SynchronizeFunction,
#endif
				    _In_ PVOID SynchronizeContext);

#if NDIS_SUPPORT_60_COMPATIBLE_API
_IRQL_requires_max_(HIGH_LEVEL) ULONG
    NdisMQueueDpc(_In_ NDIS_HANDLE NdisInterruptHandle, _In_ ULONG MessageId,
		  _In_ ULONG TargetProcessors, _In_opt_ PVOID MiniportDpcContext);
#endif

#if NDIS_SUPPORT_NDIS620

/* ------------------------------------------------- receive side throttle */

typedef struct _NDIS_RECEIVE_THROTTLE_PARAMETERS {
	ULONG MaxNblsToIndicate;
	ULONG MoreNblsPending : 1;
} NDIS_RECEIVE_THROTTLE_PARAMETERS, *PNDIS_RECEIVE_THROTTLE_PARAMETERS;

/*
 * The WDK writes (~0UL), which is 32 bits on Windows (LLP64). Here ULONG is
 * 32 bits but unsigned long is 64, so the cast keeps comparisons with
 * MaxNblsToIndicate true.
 */
#define NDIS_INDICATE_ALL_NBLS ((ULONG)~0UL)

_IRQL_requires_max_(HIGH_LEVEL) KAFFINITY
    NdisMQueueDpcEx(_In_ NDIS_HANDLE NdisInterruptHandle, _In_ ULONG MessageId,
		    _In_ PGROUP_AFFINITY TargetProcessors, _In_opt_ PVOID MiniportDpcContext);

/* ------------------------------------------------ processor information */

_IRQL_requires_min_(DISPATCH_LEVEL) ULONG NdisCurrentProcessorIndex(VOID);
_IRQL_requires_min_(DISPATCH_LEVEL) PROCESSOR_NUMBER NdisCurrentGroupAndProcessor(VOID);

#endif /* NDIS_SUPPORT_NDIS620 */

#endif /* NDIS_SUPPORT_NDIS6 */

/*
 * Hosting and the NDIS 6 data path (docs/hosting.md): base types, memory,
 * spin locks, IRQL macros, processor queries, hardware access (shared with
 * NDIS 5), NBLs, OIDs, miniport registration; then the NDIS 5.x miniport
 * DDI (docs/ndis5.md), which is empty unless NDIS_LEGACY_MINIPORT.
 */
#include <ndis/base.h>
#include <ndis/io.h>
#include <ndis/nbl.h>
#include <ndis/oid.h>
#include <ndis/offload.h>
#include <ndis/pm.h>
#include <ndis/rxfilter.h>
#include <ndis/sriov.h>
#include <ndis/qos.h>
#include <ndis/ndk.h>
#include <ndis/system.h>
#include <ndis/port.h>
#include <ndis/nblinfo.h>
#include <ndis/pnp.h>
#include <ndis/sharedmem.h>
#include <ndis/miniport.h>
#include <ndis/ndis5.h>
#include <ndis/support.h>

#ifdef __cplusplus
}
#endif

#endif /* _NDIS_ */
