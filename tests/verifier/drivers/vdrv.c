/*
 * tests/verifier/drivers/vdrv.c - an NDIS 6.20 miniport that loops every
 * frame the protocol sends back as a receive indication, from
 * MiniportSendNetBufferLists, so that tests can make indications in any
 * way the receive rules (V1, V2) allow or forbid. Built once per variant
 * (-DVDRV_<VARIANT>) as its own .so:
 *
 *   OK             one receive NBL of a free list per frame; the NBL goes back
 *                  on the list only in MiniportReturnNetBufferLists
 *   RESOURCES      one NBL for every frame, indicated with
 *                  NDIS_RECEIVE_FLAGS_RESOURCES and reused at once
 *   REUSE          one NBL for every frame without that flag (V2 broken)
 *   BAD_SOURCE     SourceHandle is the adapter context, not its handle (V1)
 *   DISPATCH_FLAG  NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL at PASSIVE_LEVEL (V1)
 *   HOLD_SEND      keeps every send NBL, completing none, and still completes
 *                  MiniportPause at once (D4: PAUSE_OUTSTANDING)
 *   NO_GENERAL     initialize succeeds without the general attributes (H2:
 *                  BAD_ATTRIBUTES)
 *   BAD_COUNT      NumberOfNetBufferLists says 2 for a chain of one (C2:
 *                  NBL_CHAIN)
 *   PEND_PAUSE     MiniportPause returns NDIS_STATUS_PENDING and never calls
 *                  NdisMPauseComplete (H1: COMPLETION_TIMEOUT)
 *
 * Compiled like a driver: <ndis.h> only.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

#define VDRV_TAG ((ULONG)0x76726476) /* 'vdrv' */
#define VDRV_RX 32
#define VDRV_FRAME 64

typedef struct _VDRV_ADAPTER {
	NDIS_HANDLE Handle;
	NDIS_HANDLE Pool;
	NDIS_SPIN_LOCK Lock;
	PNET_BUFFER_LIST Free;	      /* receive NBLs the driver owns, by ->Next */
	PNET_BUFFER_LIST Rx[VDRV_RX]; /* every receive NBL */
	PMDL Mdl[VDRV_RX];
	UCHAR Frame[VDRV_RX][VDRV_FRAME]; /* what each indicates */
	PNET_BUFFER_LIST Held;		  /* HOLD_SEND: sends never completed */
} VDRV_ADAPTER, *PVDRV_ADAPTER;

static NDIS_HANDLE VdrvDriverHandle;
static NDIS_OID VdrvOids[] = {OID_GEN_SUPPORTED_LIST};
static const UCHAR VdrvMac[6] = {0x02, 0x56, 0x44, 0x00, 0x00, 0x01};

DRIVER_INITIALIZE DriverEntry;
MINIPORT_INITIALIZE VdrvInitializeEx;
MINIPORT_HALT VdrvHaltEx;
MINIPORT_UNLOAD VdrvUnload;
MINIPORT_PAUSE VdrvPause;
MINIPORT_RESTART VdrvRestart;
MINIPORT_OID_REQUEST VdrvOidRequest;
MINIPORT_CANCEL_OID_REQUEST VdrvCancelOidRequest;
MINIPORT_SEND_NET_BUFFER_LISTS VdrvSendNetBufferLists;
MINIPORT_CANCEL_SEND VdrvCancelSend;
MINIPORT_RETURN_NET_BUFFER_LISTS VdrvReturnNetBufferLists;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY VdrvDevicePnPEventNotify;
MINIPORT_SHUTDOWN VdrvShutdownEx;

static NDIS_STATUS VdrvSetAttributes(PVDRV_ADAPTER Adapter)
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
#if defined(VDRV_NO_GENERAL)
	return NDIS_STATUS_SUCCESS; /* wrong: NDIS 6 requires the general attributes */
#endif
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
	NdisMoveMemory(a.GeneralAttributes.PermanentMacAddress, VdrvMac, 6);
	NdisMoveMemory(a.GeneralAttributes.CurrentMacAddress, VdrvMac, 6);
	a.GeneralAttributes.AccessType = NET_IF_ACCESS_BROADCAST;
	a.GeneralAttributes.ConnectionType = NET_IF_CONNECTION_DEDICATED;
	a.GeneralAttributes.IfType = IF_TYPE_ETHERNET_CSMACD;
	a.GeneralAttributes.SupportedOidList = VdrvOids;
	a.GeneralAttributes.SupportedOidListLength = sizeof(VdrvOids);
	a.GeneralAttributes.PowerManagementCapabilitiesEx = &pm;
	return NdisMSetMiniportAttributes(Adapter->Handle, &a);
}

static VOID VdrvFreeRx(PVDRV_ADAPTER Adapter)
{
	ULONG i;

	for (i = 0; i < VDRV_RX; i++) {
		if (Adapter->Rx[i] != NULL)
			NdisFreeNetBufferList(Adapter->Rx[i]);
		if (Adapter->Mdl[i] != NULL)
			NdisFreeMdl(Adapter->Mdl[i]);
	}
	if (Adapter->Pool != NULL)
		NdisFreeNetBufferListPool(Adapter->Pool);
}

_Use_decl_annotations_ NDIS_STATUS
VdrvInitializeEx(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportDriverContext,
		 PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	NET_BUFFER_LIST_POOL_PARAMETERS pp;
	PVDRV_ADAPTER adapter;
	NDIS_STATUS status;
	ULONG i;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	UNREFERENCED_PARAMETER(MiniportInitParameters);
	adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(*adapter),
						    VDRV_TAG, NormalPoolPriority);
	if (adapter == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(adapter, sizeof(*adapter));
	adapter->Handle = MiniportAdapterHandle;
	NdisAllocateSpinLock(&adapter->Lock);
	status = VdrvSetAttributes(adapter);
	if (status != NDIS_STATUS_SUCCESS)
		goto err;

	NdisZeroMemory(&pp, sizeof(pp));
	pp.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	pp.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	pp.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	pp.fAllocateNetBuffer = TRUE;
	pp.PoolTag = VDRV_TAG;
	adapter->Pool = NdisAllocateNetBufferListPool(MiniportAdapterHandle, &pp);
	status = NDIS_STATUS_RESOURCES;
	if (adapter->Pool == NULL)
		goto err;
	for (i = 0; i < VDRV_RX; i++) {
		NdisFillMemory(adapter->Frame[i], VDRV_FRAME, (UCHAR)i);
		NdisMoveMemory(adapter->Frame[i], VdrvMac, 6); /* to us */
		adapter->Mdl[i] =
		    NdisAllocateMdl(MiniportAdapterHandle, adapter->Frame[i], VDRV_FRAME);
		if (adapter->Mdl[i] == NULL)
			goto err;
		adapter->Rx[i] = NdisAllocateNetBufferAndNetBufferList(
		    adapter->Pool, 0, 0, adapter->Mdl[i], 0, VDRV_FRAME);
		if (adapter->Rx[i] == NULL)
			goto err;
		adapter->Rx[i]->SourceHandle = MiniportAdapterHandle;
		NET_BUFFER_LIST_NEXT_NBL(adapter->Rx[i]) = adapter->Free;
		adapter->Free = adapter->Rx[i];
	}
	return NDIS_STATUS_SUCCESS;

err:
	VdrvFreeRx(adapter);
	NdisFreeSpinLock(&adapter->Lock);
	NdisFreeMemory(adapter, 0, 0);
	return status;
}

_Use_decl_annotations_ VOID VdrvHaltEx(NDIS_HANDLE MiniportAdapterContext,
				       NDIS_HALT_ACTION HaltAction)
{
	PVDRV_ADAPTER adapter = MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
	VdrvFreeRx(adapter);
	NdisFreeSpinLock(&adapter->Lock);
	NdisFreeMemory(adapter, 0, 0);
}

_Use_decl_annotations_ VOID VdrvUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(VdrvDriverHandle);
}

_Use_decl_annotations_ NDIS_STATUS VdrvPause(NDIS_HANDLE MiniportAdapterContext,
					     PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(PauseParameters);
#if defined(VDRV_PEND_PAUSE)
	return NDIS_STATUS_PENDING; /* wrong: NdisMPauseComplete never follows */
#else
	return NDIS_STATUS_SUCCESS;
#endif
}

_Use_decl_annotations_ NDIS_STATUS VdrvRestart(NDIS_HANDLE MiniportAdapterContext,
					       PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RestartParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS VdrvOidRequest(NDIS_HANDLE MiniportAdapterContext,
						  PNDIS_OID_REQUEST OidRequest)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(OidRequest);
	return NDIS_STATUS_NOT_SUPPORTED;
}

_Use_decl_annotations_ VOID VdrvCancelOidRequest(NDIS_HANDLE MiniportAdapterContext,
						 PVOID RequestId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RequestId);
}

/* The NBL the next frame is indicated in, or NULL when every NBL is with NDIS. */
static PNET_BUFFER_LIST VdrvTakeRx(PVDRV_ADAPTER Adapter)
{
	PNET_BUFFER_LIST nbl;

#if defined(VDRV_RESOURCES) || defined(VDRV_REUSE)
	return Adapter->Rx[0]; /* the same NBL every time */
#endif
	NdisAcquireSpinLock(&Adapter->Lock);
	nbl = Adapter->Free;
	if (nbl != NULL)
		Adapter->Free = NET_BUFFER_LIST_NEXT_NBL(nbl);
	NdisReleaseSpinLock(&Adapter->Lock);
	if (nbl != NULL)
		NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
	return nbl;
}

static VOID VdrvIndicate(PVDRV_ADAPTER Adapter, PNET_BUFFER_LIST Nbl, ULONG SendFlags)
{
	ULONG flags = 0;

	UNREFERENCED_PARAMETER(SendFlags);
	NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
	Nbl->SourceHandle = Adapter->Handle;
#if defined(VDRV_BAD_SOURCE)
	Nbl->SourceHandle = Adapter; /* wrong: the context, not the handle */
#endif
#if defined(VDRV_DISPATCH_FLAG)
	flags |= NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL; /* wrong: guessed, not known */
#else
	if (NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags))
		flags |= NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
#endif
#if defined(VDRV_RESOURCES)
	flags |= NDIS_RECEIVE_FLAGS_RESOURCES;
#endif
#if defined(VDRV_BAD_COUNT)
	NdisMIndicateReceiveNetBufferLists(Adapter->Handle, Nbl, NDIS_DEFAULT_PORT_NUMBER, 2,
					   flags); /* wrong: the chain holds one */
#else
	NdisMIndicateReceiveNetBufferLists(Adapter->Handle, Nbl, NDIS_DEFAULT_PORT_NUMBER, 1,
					   flags);
#endif
}

_Use_decl_annotations_ VOID VdrvSendNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
						   PNET_BUFFER_LIST NetBufferList,
						   NDIS_PORT_NUMBER PortNumber, ULONG SendFlags)
{
	PVDRV_ADAPTER adapter = MiniportAdapterContext;
	PNET_BUFFER_LIST nbl, rx;

	UNREFERENCED_PARAMETER(PortNumber);
#if defined(VDRV_HOLD_SEND)
	/* Wrong: kept for ever (a lost transmit completion). */
	UNREFERENCED_PARAMETER(rx);
	UNREFERENCED_PARAMETER(SendFlags);
	for (nbl = NetBufferList; NET_BUFFER_LIST_NEXT_NBL(nbl) != NULL;
	     nbl = NET_BUFFER_LIST_NEXT_NBL(nbl))
		;
	NdisAcquireSpinLock(&adapter->Lock);
	NET_BUFFER_LIST_NEXT_NBL(nbl) = adapter->Held;
	adapter->Held = NetBufferList;
	NdisReleaseSpinLock(&adapter->Lock);
	return;
#endif
	for (nbl = NetBufferList; nbl != NULL; nbl = NET_BUFFER_LIST_NEXT_NBL(nbl)) {
		rx = VdrvTakeRx(adapter);
		NET_BUFFER_LIST_STATUS(nbl) =
		    rx != NULL ? NDIS_STATUS_SUCCESS : NDIS_STATUS_RESOURCES;
		if (rx != NULL)
			VdrvIndicate(adapter, rx, SendFlags);
	}
	NdisMSendNetBufferListsComplete(adapter->Handle, NetBufferList,
					NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags)
					    ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL
					    : 0);
}

_Use_decl_annotations_ VOID VdrvCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(CancelId);
}

_Use_decl_annotations_ VOID VdrvReturnNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
						     PNET_BUFFER_LIST NetBufferLists,
						     ULONG ReturnFlags)
{
	PVDRV_ADAPTER adapter = MiniportAdapterContext;
	PNET_BUFFER_LIST nbl, next;

	UNREFERENCED_PARAMETER(ReturnFlags);
	for (nbl = NetBufferLists; nbl != NULL; nbl = next) {
		next = NET_BUFFER_LIST_NEXT_NBL(nbl);
		NdisAcquireSpinLock(&adapter->Lock);
		NET_BUFFER_LIST_NEXT_NBL(nbl) = adapter->Free;
		adapter->Free = nbl;
		NdisReleaseSpinLock(&adapter->Lock);
	}
}

_Use_decl_annotations_ VOID VdrvDevicePnPEventNotify(NDIS_HANDLE MiniportAdapterContext,
						     PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetDevicePnPEvent);
}

_Use_decl_annotations_ VOID VdrvShutdownEx(NDIS_HANDLE MiniportAdapterContext,
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
	c.InitializeHandlerEx = VdrvInitializeEx;
	c.HaltHandlerEx = VdrvHaltEx;
	c.UnloadHandler = VdrvUnload;
	c.PauseHandler = VdrvPause;
	c.RestartHandler = VdrvRestart;
	c.OidRequestHandler = VdrvOidRequest;
	c.SendNetBufferListsHandler = VdrvSendNetBufferLists;
	c.ReturnNetBufferListsHandler = VdrvReturnNetBufferLists;
	c.CancelSendHandler = VdrvCancelSend;
	c.DevicePnPEventNotifyHandler = VdrvDevicePnPEventNotify;
	c.ShutdownHandlerEx = VdrvShutdownEx;
	c.CancelOidRequestHandler = VdrvCancelOidRequest;
	return (NTSTATUS)NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &c,
						     &VdrvDriverHandle);
}
