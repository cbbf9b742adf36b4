/*
 * A miniport whose MiniportInitializeEx fails: registers, then refuses
 * every adapter with NDIS_STATUS_ADAPTER_NOT_FOUND. ndisrt must report the
 * failure in one line and exit non-zero, without a crash or a bug check
 * (it registered no interrupt, so there is nothing to deregister).
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

MINIPORT_INITIALIZE FailInitialize;
MINIPORT_HALT FailHalt;
MINIPORT_UNLOAD FailUnload;
MINIPORT_PAUSE FailPause;
MINIPORT_RESTART FailRestart;
MINIPORT_OID_REQUEST FailOidRequest;
MINIPORT_SEND_NET_BUFFER_LISTS FailSend;
MINIPORT_RETURN_NET_BUFFER_LISTS FailReturn;
MINIPORT_CANCEL_SEND FailCancelSend;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY FailPnp;
MINIPORT_SHUTDOWN FailShutdown;
MINIPORT_RESET FailReset;
MINIPORT_CANCEL_OID_REQUEST FailCancelOid;

static NDIS_HANDLE FailDriverHandle;

_Use_decl_annotations_ NDIS_STATUS
FailInitialize(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportDriverContext,
	       PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterHandle);
	UNREFERENCED_PARAMETER(MiniportDriverContext);
	UNREFERENCED_PARAMETER(MiniportInitParameters);
	return NDIS_STATUS_ADAPTER_NOT_FOUND;
}

_Use_decl_annotations_ VOID FailHalt(NDIS_HANDLE MiniportAdapterContext,
				     NDIS_HALT_ACTION HaltAction)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(HaltAction);
}

_Use_decl_annotations_ VOID FailUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(FailDriverHandle);
}

_Use_decl_annotations_ NDIS_STATUS FailPause(NDIS_HANDLE MiniportAdapterContext,
					     PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(PauseParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS FailRestart(NDIS_HANDLE MiniportAdapterContext,
					       PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RestartParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS FailOidRequest(NDIS_HANDLE MiniportAdapterContext,
						  PNDIS_OID_REQUEST OidRequest)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(OidRequest);
	return NDIS_STATUS_NOT_SUPPORTED;
}

_Use_decl_annotations_ VOID FailSend(NDIS_HANDLE MiniportAdapterContext,
				     PNET_BUFFER_LIST NetBufferLists, NDIS_PORT_NUMBER PortNumber,
				     ULONG SendFlags)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetBufferLists);
	UNREFERENCED_PARAMETER(PortNumber);
	UNREFERENCED_PARAMETER(SendFlags);
}

_Use_decl_annotations_ VOID FailReturn(NDIS_HANDLE MiniportAdapterContext,
				       PNET_BUFFER_LIST NetBufferLists, ULONG ReturnFlags)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetBufferLists);
	UNREFERENCED_PARAMETER(ReturnFlags);
}

_Use_decl_annotations_ VOID FailCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(CancelId);
}

_Use_decl_annotations_ VOID FailPnp(NDIS_HANDLE MiniportAdapterContext,
				    PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetDevicePnPEvent);
}

_Use_decl_annotations_ VOID FailShutdown(NDIS_HANDLE MiniportAdapterContext,
					 NDIS_SHUTDOWN_ACTION ShutdownAction)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(ShutdownAction);
}

_Use_decl_annotations_ NDIS_STATUS FailReset(NDIS_HANDLE MiniportAdapterContext,
					     PBOOLEAN AddressingReset)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	*AddressingReset = FALSE;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ VOID FailCancelOid(NDIS_HANDLE MiniportAdapterContext, PVOID RequestId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RequestId);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

_Use_decl_annotations_ NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
					    PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS mc;

	NdisZeroMemory(&mc, sizeof(mc));
	mc.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	mc.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	mc.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	mc.MajorNdisVersion = 6;
	mc.MinorNdisVersion = 20;
	mc.InitializeHandlerEx = FailInitialize;
	mc.HaltHandlerEx = FailHalt;
	mc.UnloadHandler = FailUnload;
	mc.PauseHandler = FailPause;
	mc.RestartHandler = FailRestart;
	mc.OidRequestHandler = FailOidRequest;
	mc.SendNetBufferListsHandler = FailSend;
	mc.ReturnNetBufferListsHandler = FailReturn;
	mc.CancelSendHandler = FailCancelSend;
	mc.DevicePnPEventNotifyHandler = FailPnp;
	mc.ShutdownHandlerEx = FailShutdown;
	mc.ResetHandlerEx = FailReset;
	mc.CancelOidRequestHandler = FailCancelOid;
	return NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &mc,
					   &FailDriverHandle);
}
