/*
 * tests/host/drivers/tdrv.c - a small NDIS 6.20 miniport for the hosting
 * tests, built once per variant (-DTDRV_<VARIANT>) as its own .so. The
 * default variant brings a VN-1 up without an interrupt and halts cleanly;
 * each other variant breaks one thing the loader or the DDI must catch.
 *
 * Compiled like a driver: <ndis.h> only.
 */
#define NDIS_MINIPORT_DRIVER 1
#if defined(TDRV_SG_ASYNC)
#define TDRV_SG 1 /* the sg variant, which also allocates shared memory asynchronously */
#endif
#if defined(TDRV_OPTIONS)
#define NDIS630_MINIPORT 1 /* the SR-IOV refusals are NDIS 6.30 */
#else
#define NDIS620_MINIPORT 1
#endif
#include <ndis.h>

#define TDRV_TAG ((ULONG)0x76726474) /* 'tdrv' */

typedef struct _TDRV_ADAPTER {
	NDIS_HANDLE Handle;
	PUCHAR Registers;
	NDIS_PHYSICAL_ADDRESS Bar0;
	UCHAR Mac[6];
	NDIS_HANDLE Dma;
	PVOID Shared;
	NDIS_PHYSICAL_ADDRESS SharedPa;
} TDRV_ADAPTER, *PTDRV_ADAPTER;

#if defined(TDRV_DMA32) || defined(TDRV_DMA64)
/*
 * Bus-master DMA without NDIS_SG_DMA_64_BIT_ADDRESS (dma32) or with it
 * (dma64), then one shared allocation: initialize fails with
 * NDIS_STATUS_RESOURCES unless its logical address is below 4 GiB (dma32)
 * or above (dma64 on a 64-bit device).
 */
static VOID TdrvProcessSGList(PDEVICE_OBJECT pDO, PVOID Reserved, PSCATTER_GATHER_LIST pSGL,
			      PVOID Context)
{
	UNREFERENCED_PARAMETER(pDO);
	UNREFERENCED_PARAMETER(Reserved);
	UNREFERENCED_PARAMETER(pSGL);
	UNREFERENCED_PARAMETER(Context);
}

static NDIS_STATUS TdrvSetUpDma(PTDRV_ADAPTER Adapter)
{
	NDIS_SG_DMA_DESCRIPTION dma;
	NDIS_STATUS status;

	NdisZeroMemory(&dma, sizeof(dma));
	dma.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
	dma.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
	dma.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
#if defined(TDRV_DMA64)
	dma.Flags = NDIS_SG_DMA_64_BIT_ADDRESS;
#endif
	dma.MaximumPhysicalMapping = 1514;
	dma.ProcessSGListHandler = TdrvProcessSGList;
	status = NdisMRegisterScatterGatherDma(Adapter->Handle, &dma, &Adapter->Dma);
	if (status != NDIS_STATUS_SUCCESS)
		return status;
	NdisMAllocateSharedMemory(Adapter->Handle, 4096, FALSE, &Adapter->Shared,
				  &Adapter->SharedPa);
	if (Adapter->Shared == NULL)
		return NDIS_STATUS_RESOURCES;
#if defined(TDRV_DMA32)
	if (Adapter->SharedPa.HighPart != 0)
		return NDIS_STATUS_RESOURCES;
#else
	if (Adapter->SharedPa.HighPart == 0)
		return NDIS_STATUS_RESOURCES;
#endif
	return NDIS_STATUS_SUCCESS;
}

static VOID TdrvTearDownDma(PTDRV_ADAPTER Adapter)
{
	if (Adapter->Shared != NULL)
		NdisMFreeSharedMemory(Adapter->Handle, 4096, FALSE, Adapter->Shared,
				      Adapter->SharedPa);
	if (Adapter->Dma != NULL)
		NdisMDeregisterScatterGatherDma(Adapter->Dma);
}
#endif

static NDIS_HANDLE TdrvDriverHandle;
static NDIS_OID TdrvOids[] = {OID_GEN_SUPPORTED_LIST};

#if defined(TDRV_BAD_IMPORT)
/* A DDI ndisrt does not implement: the loader must name it. */
VOID NdisFooBar(VOID);
#endif

DRIVER_INITIALIZE DriverEntry;
MINIPORT_INITIALIZE TdrvInitializeEx;
MINIPORT_HALT TdrvHaltEx;
MINIPORT_UNLOAD TdrvUnload;
MINIPORT_PAUSE TdrvPause;
MINIPORT_RESTART TdrvRestart;
MINIPORT_OID_REQUEST TdrvOidRequest;
MINIPORT_CANCEL_OID_REQUEST TdrvCancelOidRequest;
MINIPORT_SEND_NET_BUFFER_LISTS TdrvSendNetBufferLists;
MINIPORT_CANCEL_SEND TdrvCancelSend;
MINIPORT_RETURN_NET_BUFFER_LISTS TdrvReturnNetBufferLists;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY TdrvDevicePnPEventNotify;
MINIPORT_SHUTDOWN TdrvShutdownEx;

#if defined(TDRV_SG)
static NDIS_HANDLE TdrvSgDma;
static PSCATTER_GATHER_LIST TdrvSgList; /* kept until halt, for the test to read */

/* MiniportProcessSGList: log the list, check the device sees the data, free it. */
static VOID TdrvProcessSGList(PDEVICE_OBJECT pDO, PVOID Reserved, PSCATTER_GATHER_LIST pSGL,
			      PVOID Context)
{
	PNET_BUFFER_LIST nbl = NULL;

	UNREFERENCED_PARAMETER(pDO);
	UNREFERENCED_PARAMETER(Reserved);
	UNREFERENCED_PARAMETER(nbl);
	NdisWriteErrorLogEntry(Context, 0xC0DE0002, 5, pSGL->NumberOfElements,
			       pSGL->Elements[0].Length, (ULONG)pSGL->Elements[0].Address.LowPart,
			       (ULONG)pSGL->Elements[0].Address.HighPart,
			       (ULONG)KeGetCurrentIrql());
	TdrvSgList = pSGL;
}

/*
 * MiniportSharedMemoryAllocateComplete for NdisMAllocateSharedMemoryAsyncEx:
 * log (code 0xC0DE0003) the IRQL, whether the context came back, whether
 * there is memory and a device address, the length; then free it.
 */
static NDIS_HANDLE TdrvSgHandle;
static UCHAR TdrvAsyncMarker;

static VOID TdrvSharedMemComplete(NDIS_HANDLE MiniportAdapterContext, PVOID VirtualAddress,
				  PNDIS_PHYSICAL_ADDRESS PhysicalAddress, ULONG Length,
				  PVOID Context)
{
	ULONG irql = (ULONG)KeGetCurrentIrql(), have = VirtualAddress != NULL;
	ULONG addr = PhysicalAddress->QuadPart != 0;

	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	if (VirtualAddress)
		NdisMFreeSharedMemory(TdrvSgHandle, Length, TRUE, VirtualAddress, *PhysicalAddress);
	NdisWriteErrorLogEntry(TdrvSgHandle, 0xC0DE0003, 5, irql,
			       (ULONG)(Context == &TdrvAsyncMarker), have, addr, Length);
}
#endif

#if defined(TDRV_OPTIONS) || defined(TDRV_OPTIONS_FAIL)
/*
 * MiniportSetOptions: what it saw, for MiniportInitializeEx to put in the
 * error log (code 0xC0DE0601): runs, IRQL, whether DriverContext and the
 * handle were the registration's, the status of NdisSetOptionalHandlers
 * for PnP characteristics and for an unknown header.
 */
static ULONG TdrvOptions[5];
static UCHAR TdrvContextMarker;

static NDIS_STATUS TdrvSetOptions(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext)
{
	struct {
		NDIS_OBJECT_HEADER Header;
		ULONG Flags;
		PVOID Handlers[4];
	} pnp;

	TdrvOptions[0]++;
	TdrvOptions[1] = KeGetCurrentIrql();
	TdrvOptions[2] = DriverContext == &TdrvContextMarker && NdisDriverHandle != NULL;
	NdisZeroMemory(&pnp, sizeof(pnp));
	pnp.Header.Type = 0x92; /* NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS */
	pnp.Header.Revision = 1;
	pnp.Header.Size = sizeof(pnp);
	TdrvOptions[3] =
	    (ULONG)NdisSetOptionalHandlers(NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&pnp);
	pnp.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	TdrvOptions[4] =
	    (ULONG)NdisSetOptionalHandlers(NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&pnp);
#if defined(TDRV_OPTIONS_FAIL)
	return NDIS_STATUS_RESOURCES;
#else
	return NDIS_STATUS_SUCCESS;
#endif
}
#endif

static NDIS_STATUS TdrvSetAttributes(PTDRV_ADAPTER Adapter)
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
	NdisMoveMemory(a.GeneralAttributes.PermanentMacAddress, Adapter->Mac, 6);
	NdisMoveMemory(a.GeneralAttributes.CurrentMacAddress, Adapter->Mac, 6);
	a.GeneralAttributes.AccessType = NET_IF_ACCESS_BROADCAST;
	a.GeneralAttributes.ConnectionType = NET_IF_CONNECTION_DEDICATED;
	a.GeneralAttributes.IfType = IF_TYPE_ETHERNET_CSMACD;
	a.GeneralAttributes.SupportedOidList = TdrvOids;
	a.GeneralAttributes.SupportedOidListLength = sizeof(TdrvOids);
	a.GeneralAttributes.PowerManagementCapabilitiesEx = &pm;
	return NdisMSetMiniportAttributes(Adapter->Handle, &a);
}

_Use_decl_annotations_ NDIS_STATUS
TdrvInitializeEx(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportDriverContext,
		 PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	PNDIS_RESOURCE_LIST res = MiniportInitParameters->AllocatedResources;
	PTDRV_ADAPTER adapter;
	NDIS_STATUS status;
	UCHAR config[4];
	ULONG i, value;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(*adapter),
						    TDRV_TAG, NormalPoolPriority);
	if (adapter == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(adapter, sizeof(*adapter));
	adapter->Handle = MiniportAdapterHandle;
	for (i = 0; i < res->Count; i++)
		if (res->PartialDescriptors[i].Type == CmResourceTypeMemory)
			adapter->Bar0 = res->PartialDescriptors[i].u.Memory.Start;
	status = NdisMMapIoSpace((PVOID *)&adapter->Registers, MiniportAdapterHandle, adapter->Bar0,
				 0x8000);
	if (status != NDIS_STATUS_SUCCESS)
		goto err_free;
	if (NdisMGetBusData(MiniportAdapterHandle, PCI_WHICHSPACE_CONFIG, 0, config, 4) != 4 ||
	    config[0] != 0x6E || config[1] != 0x1D) {
		status = NDIS_STATUS_ADAPTER_NOT_FOUND;
		goto err_unmap;
	}
	NdisReadRegisterUlong((PULONG)(adapter->Registers + 0x8), &value);
	adapter->Mac[0] = (UCHAR)value;
	adapter->Mac[1] = (UCHAR)(value >> 8);
	adapter->Mac[2] = (UCHAR)(value >> 16);
	adapter->Mac[3] = (UCHAR)(value >> 24);
	NdisReadRegisterUlong((PULONG)(adapter->Registers + 0xC), &value);
	adapter->Mac[4] = (UCHAR)value;
	adapter->Mac[5] = (UCHAR)(value >> 8);

#if defined(TDRV_TOUCH_MMIO)
	/* Wrong: the mapping is for NdisReadRegisterXxx only. */
	value = *(volatile ULONG *)(adapter->Registers + 0x4);
#elif defined(TDRV_BAD_REGISTER)
	/* Wrong: not inside any mapping. */
	NdisReadRegisterUlong((PULONG)(ULONG_PTR)0x1000, &value);
#elif defined(TDRV_NULL_DEREF)
	value = *(volatile ULONG *)(ULONG_PTR)value; /* MAC_HI bytes: a small address */
#endif
	UNREFERENCED_PARAMETER(value);

#if defined(TDRV_SG)
	{
		/*
		 * A NET_BUFFER's SG list, as a bus master builds one to send:
		 * register SG DMA, describe 100 bytes (two MDLs) with an NBL,
		 * ask for the list at DISPATCH_LEVEL, log what
		 * MiniportProcessSGList got (code 0xC0DE0002: elements, length,
		 * address low, address high, the IRQL), then free the list.
		 */
		static UCHAR data[100];
		NDIS_SG_DMA_DESCRIPTION dd;
		NET_BUFFER_LIST_POOL_PARAMETERS pp;
		NDIS_HANDLE dma, pool;
		PNET_BUFFER_LIST nbl;
		PMDL m1, m2;
		KIRQL old;

		for (i = 0; i < sizeof(data); i++)
			data[i] = (UCHAR)(i + 1);
		NdisZeroMemory(&dd, sizeof(dd));
		dd.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
		dd.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
		dd.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
		dd.Flags = NDIS_SG_DMA_64_BIT_ADDRESS;
		dd.MaximumPhysicalMapping = 4096;
		dd.ProcessSGListHandler = TdrvProcessSGList;
		dd.SharedMemAllocateCompleteHandler = TdrvSharedMemComplete;
		TdrvSgHandle = MiniportAdapterHandle;
		if (NdisMRegisterScatterGatherDma(MiniportAdapterHandle, &dd, &dma) ==
		    NDIS_STATUS_SUCCESS) {
#if defined(TDRV_SG_ASYNC)
			/* code 0xC0DE0004: what NdisMAllocateSharedMemoryAsyncEx returned */
			NdisWriteErrorLogEntry(MiniportAdapterHandle, 0xC0DE0004, 1,
					       (ULONG)NdisMAllocateSharedMemoryAsyncEx(
						   dma, 256, TRUE, &TdrvAsyncMarker));
#endif
			NdisZeroMemory(&pp, sizeof(pp));
			pp.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
			pp.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
			pp.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
			pp.fAllocateNetBuffer = TRUE;
			pool = NdisAllocateNetBufferListPool(MiniportAdapterHandle, &pp);
			m1 = NdisAllocateMdl(MiniportAdapterHandle, data, 40);
			m2 = NdisAllocateMdl(MiniportAdapterHandle, data + 40, 60);
			m1->Next = m2;
			nbl = NdisAllocateNetBufferAndNetBufferList(pool, 0, 0, m1, 0, 100);
			TdrvSgDma = dma;
			NDIS_RAISE_IRQL_TO_DISPATCH(&old);
			NdisMAllocateNetBufferSGList(dma, NET_BUFFER_LIST_FIRST_NB(nbl),
						     MiniportAdapterHandle,
						     NDIS_SG_LIST_WRITE_TO_DEVICE, NULL, 0);
			NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
			NdisFreeNetBufferList(nbl);
			NdisFreeMdl(m2);
			NdisFreeMdl(m1);
			NdisFreeNetBufferListPool(pool);
		}
	}
#endif

#if defined(TDRV_OPTIONS)
	{
		/*
		 * Code 0xC0DE0601: what MiniportSetOptions saw (5 values), the
		 * bytes NdisMSetBusData wrote, whether the PCI command register
		 * read back with the bus-master bit set, NdisMGetDmaAlignment.
		 * Code 0xC0DE0602: NdisMEnableVirtualization's status and the
		 * bytes NdisMGetVirtualFunctionBusData read.
		 */
		USHORT cmd = 0, back = 0, set;
		ULONG wrote, vf;
		UCHAR vfbuf[4];

		NdisMGetBusData(MiniportAdapterHandle, PCI_WHICHSPACE_CONFIG, 4, &cmd, 2);
		set = (USHORT)(cmd | 0x4);
		wrote = NdisMSetBusData(MiniportAdapterHandle, PCI_WHICHSPACE_CONFIG, 4, &set, 2);
		NdisMGetBusData(MiniportAdapterHandle, PCI_WHICHSPACE_CONFIG, 4, &back, 2);
		NdisWriteErrorLogEntry(MiniportAdapterHandle, 0xC0DE0601, 8, TdrvOptions[0],
				       TdrvOptions[1], TdrvOptions[2], TdrvOptions[3],
				       TdrvOptions[4], wrote, (ULONG)((back & 0x4) != 0),
				       NdisMGetDmaAlignment(MiniportAdapterHandle));
		vf = NdisMGetVirtualFunctionBusData(MiniportAdapterHandle, 1, vfbuf, 0, 4);
		NdisWriteErrorLogEntry(
		    MiniportAdapterHandle, 0xC0DE0602, 2,
		    (ULONG)NdisMEnableVirtualization(MiniportAdapterHandle, 1, FALSE, FALSE, TRUE),
		    vf);
	}
#endif

#if defined(TDRV_CONFIG)
	{
		/*
		 * Read this adapter's configuration as a real driver reads its
		 * registry keywords, and put what came back in the error log
		 * (the test reads it there): code 0xC0DE0001, values: the
		 * integer TdrvValue (or ~0), the override MAC's last byte (or
		 * ~0), the number of items of the multi-string TdrvList (or ~0).
		 */
		static const WCHAR value_kw[] = {'T', 'd', 'r', 'v', 'V', 'a', 'l', 'u', 'e', 0};
		static const WCHAR list_kw[] = {'T', 'd', 'r', 'v', 'L', 'i', 's', 't', 0};
		NDIS_CONFIGURATION_OBJECT co;
		PNDIS_CONFIGURATION_PARAMETER p;
		NDIS_STRING kw;
		NDIS_HANDLE ch;
		NDIS_STATUS st;
		PUCHAR mac;
		UINT mac_len;
		ULONG v[3] = {~0u, ~0u, ~0u};

		NdisZeroMemory(&co, sizeof(co));
		co.Header.Type = NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT;
		co.Header.Revision = NDIS_CONFIGURATION_OBJECT_REVISION_1;
		co.Header.Size = NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1;
		co.NdisHandle = MiniportAdapterHandle;
		if (NdisOpenConfigurationEx(&co, &ch) == NDIS_STATUS_SUCCESS) {
			NdisInitUnicodeString(&kw, value_kw);
			NdisReadConfiguration(&st, &p, ch, &kw, NdisParameterInteger);
			if (st == NDIS_STATUS_SUCCESS)
				v[0] = p->ParameterData.IntegerData;
			NdisReadNetworkAddress(&st, (PVOID *)&mac, &mac_len, ch);
			if (st == NDIS_STATUS_SUCCESS && mac_len == 6)
				v[1] = mac[5];
			NdisInitUnicodeString(&kw, list_kw);
			NdisReadConfiguration(&st, &p, ch, &kw, NdisParameterMultiString);
			if (st == NDIS_STATUS_SUCCESS) {
				USHORT n = p->ParameterData.StringData.Length / sizeof(WCHAR);

				v[2] = 0;
				for (i = 0; i < n; i++)
					if (p->ParameterData.StringData.Buffer[i] == 0)
						v[2]++;
			}
			NdisCloseConfiguration(ch);
		}
		NdisWriteErrorLogEntry(MiniportAdapterHandle, 0xC0DE0001, 3, v[0], v[1], v[2]);
	}
#endif

	status = TdrvSetAttributes(adapter);
	if (status != NDIS_STATUS_SUCCESS)
		goto err_unmap;

#if defined(TDRV_INDICATE_PAUSED)
	{
		/* Wrong: the adapter is Paused until MiniportRestart. */
		NET_BUFFER_LIST_POOL_PARAMETERS pp;
		NDIS_HANDLE pool;
		PNET_BUFFER_LIST nbl;
		PMDL mdl;
		static UCHAR frame[64];

		NdisZeroMemory(&pp, sizeof(pp));
		pp.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
		pp.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
		pp.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
		pp.fAllocateNetBuffer = TRUE;
		pool = NdisAllocateNetBufferListPool(MiniportAdapterHandle, &pp);
		mdl = NdisAllocateMdl(MiniportAdapterHandle, frame, sizeof(frame));
		nbl = NdisAllocateNetBufferAndNetBufferList(pool, 0, 0, mdl, 0, sizeof(frame));
		nbl->SourceHandle = MiniportAdapterHandle;
		NdisMIndicateReceiveNetBufferLists(MiniportAdapterHandle, nbl,
						   NDIS_DEFAULT_PORT_NUMBER, 1, 0);
	}
#endif

#if defined(TDRV_DMA32) || defined(TDRV_DMA64)
	status = TdrvSetUpDma(adapter);
	if (status != NDIS_STATUS_SUCCESS) {
		TdrvTearDownDma(adapter);
		goto err_unmap;
	}
#endif

#if defined(TDRV_INIT_FAILS)
	status = NDIS_STATUS_ADAPTER_NOT_FOUND;
	goto err_unmap;
#else
	return NDIS_STATUS_SUCCESS;
#endif

err_unmap:
	NdisMUnmapIoSpace(MiniportAdapterHandle, adapter->Registers, 0x8000);
err_free:
	NdisFreeMemory(adapter, 0, 0);
	return status;
}

_Use_decl_annotations_ VOID TdrvHaltEx(NDIS_HANDLE MiniportAdapterContext,
				       NDIS_HALT_ACTION HaltAction)
{
	PTDRV_ADAPTER adapter = MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
#if defined(TDRV_SG)
	if (TdrvSgDma) {
		KIRQL old;

		NDIS_RAISE_IRQL_TO_DISPATCH(&old);
		if (TdrvSgList)
			NdisMFreeNetBufferSGList(TdrvSgDma, TdrvSgList, NULL);
		NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
		NdisMDeregisterScatterGatherDma(TdrvSgDma);
	}
#endif
#if defined(TDRV_DMA32) || defined(TDRV_DMA64)
	TdrvTearDownDma(adapter);
#endif
#if !defined(TDRV_LEAK)
	NdisMUnmapIoSpace(adapter->Handle, adapter->Registers, 0x8000);
#endif
	NdisFreeMemory(adapter, 0, 0);
}

_Use_decl_annotations_ VOID TdrvUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(TdrvDriverHandle);
}

_Use_decl_annotations_ NDIS_STATUS TdrvPause(NDIS_HANDLE MiniportAdapterContext,
					     PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(PauseParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS TdrvRestart(NDIS_HANDLE MiniportAdapterContext,
					       PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RestartParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS TdrvOidRequest(NDIS_HANDLE MiniportAdapterContext,
						  PNDIS_OID_REQUEST OidRequest)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(OidRequest);
	return NDIS_STATUS_NOT_SUPPORTED;
}

_Use_decl_annotations_ VOID TdrvCancelOidRequest(NDIS_HANDLE MiniportAdapterContext,
						 PVOID RequestId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RequestId);
}

_Use_decl_annotations_ VOID TdrvSendNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
						   PNET_BUFFER_LIST NetBufferList,
						   NDIS_PORT_NUMBER PortNumber, ULONG SendFlags)
{
	PTDRV_ADAPTER adapter = MiniportAdapterContext;
	PNET_BUFFER_LIST nbl;

	UNREFERENCED_PARAMETER(PortNumber);
	for (nbl = NetBufferList; nbl != NULL; nbl = NET_BUFFER_LIST_NEXT_NBL(nbl))
		NET_BUFFER_LIST_STATUS(nbl) = NDIS_STATUS_NOT_SUPPORTED;
	NdisMSendNetBufferListsComplete(adapter->Handle, NetBufferList,
					NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags)
					    ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL
					    : 0);
}

_Use_decl_annotations_ VOID TdrvCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(CancelId);
}

_Use_decl_annotations_ VOID TdrvReturnNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
						     PNET_BUFFER_LIST NetBufferLists,
						     ULONG ReturnFlags)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetBufferLists);
	UNREFERENCED_PARAMETER(ReturnFlags);
}

_Use_decl_annotations_ VOID TdrvDevicePnPEventNotify(NDIS_HANDLE MiniportAdapterContext,
						     PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetDevicePnPEvent);
}

_Use_decl_annotations_ VOID TdrvShutdownEx(NDIS_HANDLE MiniportAdapterContext,
					   NDIS_SHUTDOWN_ACTION ShutdownAction)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(ShutdownAction);
}

#if defined(TDRV_NO_ENTRY)
#define DriverEntry TdrvEntry /* exported under another name: no DriverEntry */
NTSTATUS TdrvEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
#endif

_Use_decl_annotations_ NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
					    PUNICODE_STRING RegistryPath)
{
#if !defined(TDRV_ENTRY_FAILS) && !defined(TDRV_NO_REGISTER)
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS c;
#endif

#if defined(TDRV_BAD_IMPORT)
	NdisFooBar();
#endif
#if defined(TDRV_ENTRY_FAILS)
	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	return (NTSTATUS)NDIS_STATUS_RESOURCES;
#elif defined(TDRV_NO_REGISTER)
	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	return STATUS_SUCCESS;
#else
	NdisZeroMemory(&c, sizeof(c));
	c.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	c.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	c.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	c.MajorDriverVersion = 1;
	c.InitializeHandlerEx = TdrvInitializeEx;
	c.HaltHandlerEx = TdrvHaltEx;
	c.UnloadHandler = TdrvUnload;
	c.PauseHandler = TdrvPause;
	c.RestartHandler = TdrvRestart;
	c.OidRequestHandler = TdrvOidRequest;
#if !defined(TDRV_BAD_CHARS)
	c.SendNetBufferListsHandler = TdrvSendNetBufferLists;
#endif
	c.ReturnNetBufferListsHandler = TdrvReturnNetBufferLists;
	c.CancelSendHandler = TdrvCancelSend;
	c.DevicePnPEventNotifyHandler = TdrvDevicePnPEventNotify;
	c.ShutdownHandlerEx = TdrvShutdownEx;
	c.CancelOidRequestHandler = TdrvCancelOidRequest;
#if defined(TDRV_OPTIONS) || defined(TDRV_OPTIONS_FAIL) || defined(TDRV_OPTIONS_OUTSIDE)
	{
		NDIS_STATUS st;

#if defined(TDRV_OPTIONS_OUTSIDE)
		st = NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &c,
						 &TdrvDriverHandle);
		/* Wrong: NdisSetOptionalHandlers belongs in MiniportSetOptions. */
		if (st == NDIS_STATUS_SUCCESS) {
			NDIS_OBJECT_HEADER h = {0x92, 1, 16};

			st = NdisSetOptionalHandlers(TdrvDriverHandle,
						     (PNDIS_DRIVER_OPTIONAL_HANDLERS)&h);
		}
#else
		c.SetOptionsHandler = TdrvSetOptions;
		st = NdisMRegisterMiniportDriver(DriverObject, RegistryPath, &TdrvContextMarker, &c,
						 &TdrvDriverHandle);
#endif
		return (NTSTATUS)st;
	}
#else
	return (NTSTATUS)NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &c,
						     &TdrvDriverHandle);
#endif
#endif
}
