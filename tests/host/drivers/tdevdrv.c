/*
 * tests/host/drivers/tdevdrv.c - an NDIS 6.20 miniport for the "tdev" test
 * device (tests/host/tdev.h): maps BAR 0, checks the PCI identity, and
 * connects its interrupt. Message m's ISR acknowledges CAUSE bit m and
 * queues its DPC; the DPC writes m to DPC_DONE, so the device counts every
 * ISR -> DPC round trip. A line-based interrupt does the same for every
 * pending bit. No data path: sends complete with NDIS_STATUS_NOT_SUPPORTED.
 *
 * Compiled like a driver: <ndis.h> only.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

#define TDEV_TAG ((ULONG)0x76656474) /* 'tdev' */
#define TDEV_BAR0_LEN 0x1000
#define TDEV_REG_ID 0x00
#define TDEV_REG_CAUSE 0x04
#define TDEV_REG_DPC_DONE 0x08
#define TDEV_ID 0x7E570001u

typedef struct _TDEV_ADAPTER {
	NDIS_HANDLE Handle;
	NDIS_HANDLE Interrupt;
	PUCHAR Registers;
	NDIS_PHYSICAL_ADDRESS Bar0;
	LONG LinePending; /* line mode: cause bits the ISR took, for the DPC */
} TDEV_ADAPTER, *PTDEV_ADAPTER;

static NDIS_HANDLE TdevDriverHandle;
static NDIS_OID TdevOids[] = {OID_GEN_SUPPORTED_LIST};
static const UCHAR TdevMac[6] = {0x02, 0x54, 0x44, 0x45, 0x56, 0x01};

DRIVER_INITIALIZE DriverEntry;
MINIPORT_INITIALIZE TdevInitializeEx;
MINIPORT_HALT TdevHaltEx;
MINIPORT_UNLOAD TdevUnload;
MINIPORT_PAUSE TdevPause;
MINIPORT_RESTART TdevRestart;
MINIPORT_OID_REQUEST TdevOidRequest;
MINIPORT_CANCEL_OID_REQUEST TdevCancelOidRequest;
MINIPORT_SEND_NET_BUFFER_LISTS TdevSendNetBufferLists;
MINIPORT_CANCEL_SEND TdevCancelSend;
MINIPORT_RETURN_NET_BUFFER_LISTS TdevReturnNetBufferLists;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY TdevDevicePnPEventNotify;
MINIPORT_SHUTDOWN TdevShutdownEx;
MINIPORT_ISR TdevIsr;
MINIPORT_INTERRUPT_DPC TdevDpc;
MINIPORT_DISABLE_INTERRUPT TdevDisable;
MINIPORT_ENABLE_INTERRUPT TdevEnable;
MINIPORT_MESSAGE_INTERRUPT TdevMessageIsr;
MINIPORT_MESSAGE_INTERRUPT_DPC TdevMessageDpc;
MINIPORT_DISABLE_MESSAGE_INTERRUPT TdevDisableMessage;
MINIPORT_ENABLE_MESSAGE_INTERRUPT TdevEnableMessage;

static NDIS_STATUS TdevSetAttributes(PTDEV_ADAPTER Adapter)
{
	NDIS_MINIPORT_ADAPTER_ATTRIBUTES a;
	NDIS_PM_CAPABILITIES pm;
	NDIS_STATUS status;

	NdisZeroMemory(&a, sizeof(a));
	a.RegistrationAttributes.Header.Type =
	    NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	a.RegistrationAttributes.Header.Revision =
	    NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	a.RegistrationAttributes.Header.Size =
	    NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	a.RegistrationAttributes.MiniportAdapterContext = Adapter;
	a.RegistrationAttributes.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	a.RegistrationAttributes.InterfaceType = NdisInterfacePci;
	status = NdisMSetMiniportAttributes(Adapter->Handle, &a);
	if (status != NDIS_STATUS_SUCCESS)
		return status;

	NdisZeroMemory(&pm, sizeof(pm));
	pm.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	pm.Header.Revision = NDIS_PM_CAPABILITIES_REVISION_1;
	pm.Header.Size = NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_1;
	NdisZeroMemory(&a, sizeof(a));
	a.GeneralAttributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;
	a.GeneralAttributes.Header.Revision = NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
	a.GeneralAttributes.Header.Size =
	    NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
	a.GeneralAttributes.MediaType = NdisMedium802_3;
	a.GeneralAttributes.PhysicalMediumType = NdisPhysicalMedium802_3;
	a.GeneralAttributes.MtuSize = 1500;
	a.GeneralAttributes.MaxXmitLinkSpeed = a.GeneralAttributes.MaxRcvLinkSpeed = 1000000000ULL;
	a.GeneralAttributes.XmitLinkSpeed = a.GeneralAttributes.RcvLinkSpeed =
	    NDIS_LINK_SPEED_UNKNOWN;
	a.GeneralAttributes.MediaConnectState = MediaConnectStateUnknown;
	a.GeneralAttributes.MacAddressLength = 6;
	NdisMoveMemory(a.GeneralAttributes.PermanentMacAddress, TdevMac, 6);
	NdisMoveMemory(a.GeneralAttributes.CurrentMacAddress, TdevMac, 6);
	a.GeneralAttributes.AccessType = NET_IF_ACCESS_BROADCAST;
	a.GeneralAttributes.ConnectionType = NET_IF_CONNECTION_DEDICATED;
	a.GeneralAttributes.IfType = IF_TYPE_ETHERNET_CSMACD;
	a.GeneralAttributes.SupportedOidList = TdevOids;
	a.GeneralAttributes.SupportedOidListLength = sizeof(TdevOids);
	a.GeneralAttributes.PowerManagementCapabilitiesEx = &pm;
	return NdisMSetMiniportAttributes(Adapter->Handle, &a);
}

static NDIS_STATUS TdevConnectInterrupt(PTDEV_ADAPTER Adapter)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS ic;

	NdisZeroMemory(&ic, sizeof(ic));
	ic.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	ic.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	ic.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	ic.InterruptHandler = TdevIsr;
	ic.InterruptDpcHandler = TdevDpc;
	ic.DisableInterruptHandler = TdevDisable;
	ic.EnableInterruptHandler = TdevEnable;
	ic.MsiSupported = TRUE;
	ic.MsiSyncWithAllMessages = FALSE;
	ic.MessageInterruptHandler = TdevMessageIsr;
	ic.MessageInterruptDpcHandler = TdevMessageDpc;
	ic.DisableMessageInterruptHandler = TdevDisableMessage;
	ic.EnableMessageInterruptHandler = TdevEnableMessage;
	return NdisMRegisterInterruptEx(Adapter->Handle, Adapter, &ic, &Adapter->Interrupt);
}

_Use_decl_annotations_ NDIS_STATUS
TdevInitializeEx(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportDriverContext,
		 PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	PNDIS_RESOURCE_LIST res = MiniportInitParameters->AllocatedResources;
	PTDEV_ADAPTER adapter;
	NDIS_STATUS status;
	UCHAR config[4];
	ULONG i, id = 0;
	BOOLEAN found = FALSE;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(*adapter),
						    TDEV_TAG, NormalPoolPriority);
	if (adapter == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(adapter, sizeof(*adapter));
	adapter->Handle = MiniportAdapterHandle;
	for (i = 0; i < res->Count; i++)
		if (res->PartialDescriptors[i].Type == CmResourceTypeMemory && !found) {
			adapter->Bar0 = res->PartialDescriptors[i].u.Memory.Start;
			found = TRUE;
		}
	status = found ? NdisMMapIoSpace((PVOID *)&adapter->Registers, MiniportAdapterHandle,
					 adapter->Bar0, TDEV_BAR0_LEN)
		       : NDIS_STATUS_ADAPTER_NOT_FOUND;
	if (status != NDIS_STATUS_SUCCESS)
		goto err_free;
	NdisReadRegisterUlong((PULONG)(adapter->Registers + TDEV_REG_ID), &id);
	if (NdisMGetBusData(MiniportAdapterHandle, PCI_WHICHSPACE_CONFIG, 0, config, 4) != 4 ||
	    config[0] != 0x6E || config[1] != 0x1D || config[2] != 0x57 || config[3] != 0x7E ||
	    id != TDEV_ID) {
		status = NDIS_STATUS_ADAPTER_NOT_FOUND;
		goto err_unmap;
	}
	status = TdevSetAttributes(adapter);
	if (status != NDIS_STATUS_SUCCESS)
		goto err_unmap;
	status = TdevConnectInterrupt(adapter);
	if (status != NDIS_STATUS_SUCCESS)
		goto err_unmap;
	return NDIS_STATUS_SUCCESS;

err_unmap:
	NdisMUnmapIoSpace(MiniportAdapterHandle, adapter->Registers, TDEV_BAR0_LEN);
err_free:
	NdisFreeMemory(adapter, 0, 0);
	return status;
}

_Use_decl_annotations_ BOOLEAN TdevMessageIsr(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
					      PBOOLEAN QueueDefaultInterruptDpc,
					      PULONG TargetProcessors)
{
	PTDEV_ADAPTER adapter = MiniportInterruptContext;
	ULONG cause = 0;

	*TargetProcessors = 0;
	NdisReadRegisterUlong((PULONG)(adapter->Registers + TDEV_REG_CAUSE), &cause);
	if (!(cause & (1u << MessageId))) {
		*QueueDefaultInterruptDpc = FALSE;
		return FALSE;
	}
	NdisWriteRegisterUlong((PULONG)(adapter->Registers + TDEV_REG_CAUSE), 1u << MessageId);
	*QueueDefaultInterruptDpc = TRUE;
	return TRUE;
}

_Use_decl_annotations_ VOID TdevMessageDpc(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
					   PVOID MiniportDpcContext,
					   PVOID ReceiveThrottleParameters, PVOID NdisReserved2)
{
	PTDEV_ADAPTER adapter = MiniportInterruptContext;

	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(ReceiveThrottleParameters);
	UNREFERENCED_PARAMETER(NdisReserved2);
	NdisWriteRegisterUlong((PULONG)(adapter->Registers + TDEV_REG_DPC_DONE), MessageId);
}

_Use_decl_annotations_ VOID TdevDisableMessage(NDIS_HANDLE MiniportInterruptContext,
					       ULONG MessageId)
{
	UNREFERENCED_PARAMETER(MiniportInterruptContext);
	UNREFERENCED_PARAMETER(MessageId);
}

_Use_decl_annotations_ VOID TdevEnableMessage(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId)
{
	UNREFERENCED_PARAMETER(MiniportInterruptContext);
	UNREFERENCED_PARAMETER(MessageId);
}

_Use_decl_annotations_ BOOLEAN TdevIsr(NDIS_HANDLE MiniportInterruptContext,
				       PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
	PTDEV_ADAPTER adapter = MiniportInterruptContext;
	ULONG cause = 0;

	*TargetProcessors = 0;
	NdisReadRegisterUlong((PULONG)(adapter->Registers + TDEV_REG_CAUSE), &cause);
	if (!cause) {
		*QueueDefaultInterruptDpc = FALSE;
		return FALSE;
	}
	NdisWriteRegisterUlong((PULONG)(adapter->Registers + TDEV_REG_CAUSE), cause);
	InterlockedOr(&adapter->LinePending, (LONG)cause);
	*QueueDefaultInterruptDpc = TRUE;
	return TRUE;
}

_Use_decl_annotations_ VOID TdevDpc(NDIS_HANDLE MiniportInterruptContext, PVOID MiniportDpcContext,
				    PVOID ReceiveThrottleParameters, PVOID NdisReserved2)
{
	PTDEV_ADAPTER adapter = MiniportInterruptContext;
	LONG pending = InterlockedExchange(&adapter->LinePending, 0);
	ULONG m;

	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(ReceiveThrottleParameters);
	UNREFERENCED_PARAMETER(NdisReserved2);
	for (m = 0; m < 8; m++)
		if (pending & (1 << m))
			NdisWriteRegisterUlong((PULONG)(adapter->Registers + TDEV_REG_DPC_DONE), m);
}

_Use_decl_annotations_ VOID TdevDisable(NDIS_HANDLE MiniportInterruptContext)
{
	UNREFERENCED_PARAMETER(MiniportInterruptContext);
}

_Use_decl_annotations_ VOID TdevEnable(NDIS_HANDLE MiniportInterruptContext)
{
	UNREFERENCED_PARAMETER(MiniportInterruptContext);
}

_Use_decl_annotations_ VOID TdevHaltEx(NDIS_HANDLE MiniportAdapterContext,
				       NDIS_HALT_ACTION HaltAction)
{
	PTDEV_ADAPTER adapter = MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
	NdisMDeregisterInterruptEx(adapter->Interrupt);
	NdisMUnmapIoSpace(adapter->Handle, adapter->Registers, TDEV_BAR0_LEN);
	NdisFreeMemory(adapter, 0, 0);
}

_Use_decl_annotations_ VOID TdevUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(TdevDriverHandle);
}

_Use_decl_annotations_ NDIS_STATUS TdevPause(NDIS_HANDLE MiniportAdapterContext,
					     PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(PauseParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS TdevRestart(NDIS_HANDLE MiniportAdapterContext,
					       PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RestartParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS TdevOidRequest(NDIS_HANDLE MiniportAdapterContext,
						  PNDIS_OID_REQUEST OidRequest)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(OidRequest);
	return NDIS_STATUS_NOT_SUPPORTED;
}

_Use_decl_annotations_ VOID TdevCancelOidRequest(NDIS_HANDLE MiniportAdapterContext,
						 PVOID RequestId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RequestId);
}

_Use_decl_annotations_ VOID TdevSendNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
						   PNET_BUFFER_LIST NetBufferList,
						   NDIS_PORT_NUMBER PortNumber, ULONG SendFlags)
{
	PTDEV_ADAPTER adapter = MiniportAdapterContext;
	PNET_BUFFER_LIST nbl;

	UNREFERENCED_PARAMETER(PortNumber);
	for (nbl = NetBufferList; nbl != NULL; nbl = NET_BUFFER_LIST_NEXT_NBL(nbl))
		NET_BUFFER_LIST_STATUS(nbl) = NDIS_STATUS_NOT_SUPPORTED;
	NdisMSendNetBufferListsComplete(adapter->Handle, NetBufferList,
					NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags)
					    ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL
					    : 0);
}

_Use_decl_annotations_ VOID TdevCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(CancelId);
}

_Use_decl_annotations_ VOID TdevReturnNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
						     PNET_BUFFER_LIST NetBufferLists,
						     ULONG ReturnFlags)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetBufferLists);
	UNREFERENCED_PARAMETER(ReturnFlags);
}

_Use_decl_annotations_ VOID TdevDevicePnPEventNotify(NDIS_HANDLE MiniportAdapterContext,
						     PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetDevicePnPEvent);
}

_Use_decl_annotations_ VOID TdevShutdownEx(NDIS_HANDLE MiniportAdapterContext,
					   NDIS_SHUTDOWN_ACTION ShutdownAction)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(ShutdownAction);
}

_Use_decl_annotations_ NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
					    PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS c;

	NdisZeroMemory(&c, sizeof(c));
	c.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	c.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	c.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	c.MajorDriverVersion = 1;
	c.InitializeHandlerEx = TdevInitializeEx;
	c.HaltHandlerEx = TdevHaltEx;
	c.UnloadHandler = TdevUnload;
	c.PauseHandler = TdevPause;
	c.RestartHandler = TdevRestart;
	c.OidRequestHandler = TdevOidRequest;
	c.SendNetBufferListsHandler = TdevSendNetBufferLists;
	c.ReturnNetBufferListsHandler = TdevReturnNetBufferLists;
	c.CancelSendHandler = TdevCancelSend;
	c.DevicePnPEventNotifyHandler = TdevDevicePnPEventNotify;
	c.ShutdownHandlerEx = TdevShutdownEx;
	c.CancelOidRequestHandler = TdevCancelOidRequest;
	return (NTSTATUS)NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &c,
						     &TdevDriverHandle);
}
