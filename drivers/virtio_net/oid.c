/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    oid.c

Abstract:

    OID requests of the virtio-net sample miniport. Every request
    completes synchronously.

    A virtio-net device without VIRTIO_NET_F_CTRL_RX has no receive
    filter: it delivers every frame on the wire. The packet filter and the
    multicast list are recorded and reported back; nothing else.

    Receive side scaling (with VIRTIO_NET_F_RSS and several queue pairs):
    OID_GEN_RECEIVE_SCALE_PARAMETERS becomes VIRTIO_NET_CTRL_MQ_RSS_CONFIG.
    Each distinct processor of the NDIS indirection table gets a receive
    queue, in order, and that queue's DPC runs on it; once every queue is
    taken, a further processor shares queue (index mod pairs). Without RSS
    the device steers automatically (a flow comes back on the pair it was
    sent on).

--*/

#include "virtio_net.h"

NDIS_OID VioNetSupportedOids[] = {
    OID_GEN_SUPPORTED_LIST,
    OID_GEN_MEDIA_SUPPORTED,
    OID_GEN_MEDIA_IN_USE,
    OID_GEN_MAXIMUM_LOOKAHEAD,
    OID_GEN_MAXIMUM_FRAME_SIZE,
    OID_GEN_MAXIMUM_TOTAL_SIZE,
    OID_GEN_CURRENT_LOOKAHEAD,
    OID_GEN_CURRENT_PACKET_FILTER,
    OID_GEN_LINK_SPEED_EX,
    OID_GEN_MEDIA_CONNECT_STATUS_EX,
    OID_GEN_VENDOR_ID,
    OID_GEN_VENDOR_DESCRIPTION,
    OID_GEN_VENDOR_DRIVER_VERSION,
    OID_GEN_DRIVER_VERSION,
    OID_GEN_XMIT_OK,
    OID_GEN_RCV_OK,
    OID_GEN_RCV_NO_BUFFER,
    OID_GEN_INTERRUPT_MODERATION,
    OID_GEN_RECEIVE_SCALE_CAPABILITIES,
    OID_GEN_RECEIVE_SCALE_PARAMETERS,
    OID_802_3_PERMANENT_ADDRESS,
    OID_802_3_CURRENT_ADDRESS,
    OID_802_3_MULTICAST_LIST,
    OID_802_3_MAXIMUM_LIST_SIZE,
};

ULONG VioNetSupportedOidsLength = sizeof(VioNetSupportedOids);

#define VIONET_SUPPORTED_PACKET_FILTERS (NDIS_PACKET_TYPE_DIRECTED |        \
                                         NDIS_PACKET_TYPE_MULTICAST |       \
                                         NDIS_PACKET_TYPE_ALL_MULTICAST |   \
                                         NDIS_PACKET_TYPE_BROADCAST |       \
                                         NDIS_PACKET_TYPE_PROMISCUOUS)

static NDIS_STATUS VioNetQueryInformation(_In_ PVIONET_ADAPTER Adapter,
                                          _Inout_ PNDIS_OID_REQUEST Request);
static NDIS_STATUS VioNetSetInformation(_In_ PVIONET_ADAPTER Adapter,
                                        _Inout_ PNDIS_OID_REQUEST Request);
static NDIS_STATUS VioNetSetRssParameters(_In_ PVIONET_ADAPTER Adapter,
                                          _In_reads_bytes_(Length) PVOID Buffer,
                                          _In_ ULONG Length,
                                          _Out_ PULONG BytesNeeded);


_Use_decl_annotations_
NDIS_STATUS
VioNetOidRequest(
    NDIS_HANDLE MiniportAdapterContext,
    PNDIS_OID_REQUEST OidRequest
    )
/*++

Routine Description:

    Dispatches an OID request.

Arguments:

    MiniportAdapterContext - The adapter.

    OidRequest - The request.

Return Value:

    The request's status; never NDIS_STATUS_PENDING.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVIONET_ADAPTER adapter = (PVIONET_ADAPTER)MiniportAdapterContext;

    switch (OidRequest->RequestType) {
    case NdisRequestQueryInformation:
    case NdisRequestQueryStatistics:
        return VioNetQueryInformation(adapter, OidRequest);

    case NdisRequestSetInformation:
        return VioNetSetInformation(adapter, OidRequest);

    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}


_Use_decl_annotations_
VOID
VioNetCancelOidRequest(
    NDIS_HANDLE MiniportAdapterContext,
    PVOID RequestId
    )
/*++

Routine Description:

    OID requests complete synchronously, so none is ever pending.

Arguments:

    MiniportAdapterContext - The adapter.

    RequestId - The request to cancel.

Return Value:

    None

IRQL:

    <= DISPATCH_LEVEL

--*/
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(RequestId);
}


static
NDIS_STATUS
VioNetQueryInformation(
    _In_ PVIONET_ADAPTER Adapter,
    _Inout_ PNDIS_OID_REQUEST Request
    )
/*++

Routine Description:

    Answers a query.

Arguments:

    Adapter - The adapter.

    Request - A query request.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_BUFFER_TOO_SHORT (BytesNeeded set) or
    NDIS_STATUS_NOT_SUPPORTED.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVOID buffer = Request->DATA.QUERY_INFORMATION.InformationBuffer;
    ULONG bufferLength = Request->DATA.QUERY_INFORMATION.InformationBufferLength;
    NDIS_INTERRUPT_MODERATION_PARAMETERS moderation;
    NDIS_MEDIA_CONNECT_STATE connectState;
    NDIS_LINK_SPEED linkSpeed;
    NDIS_LINK_STATE linkState;
    NDIS_MEDIUM medium;
    PVOID source;
    ULONG sourceLength = sizeof(ULONG);
    ULONG64 value64 = 0;
    ULONG value = 0;
    USHORT value16;
    ULONG q;

    source = &value;

    switch (Request->DATA.QUERY_INFORMATION.Oid) {
    case OID_GEN_SUPPORTED_LIST:
        source = VioNetSupportedOids;
        sourceLength = VioNetSupportedOidsLength;
        break;

    case OID_GEN_MEDIA_SUPPORTED:
    case OID_GEN_MEDIA_IN_USE:
        medium = NdisMedium802_3;
        source = &medium;
        sourceLength = sizeof(medium);
        break;

    case OID_GEN_MAXIMUM_LOOKAHEAD:
        value = VIONET_MAX_FRAME_SIZE - VIONET_ETH_HEADER_SIZE;
        break;

    case OID_GEN_CURRENT_LOOKAHEAD:
        value = Adapter->LookAhead;
        break;

    case OID_GEN_MAXIMUM_FRAME_SIZE:
        value = VIONET_MTU_SIZE;
        break;

    case OID_GEN_MAXIMUM_TOTAL_SIZE:
        value = VIONET_MAX_FRAME_SIZE;
        break;

    case OID_GEN_CURRENT_PACKET_FILTER:
        value = Adapter->PacketFilter;
        break;

    case OID_GEN_LINK_SPEED_EX:
        NdisAcquireSpinLock(&Adapter->Lock);
        VioNetFillLinkState(Adapter, &linkState);
        NdisReleaseSpinLock(&Adapter->Lock);
        linkSpeed.XmitLinkSpeed = linkState.XmitLinkSpeed;
        linkSpeed.RcvLinkSpeed = linkState.RcvLinkSpeed;
        source = &linkSpeed;
        sourceLength = sizeof(linkSpeed);
        break;

    case OID_GEN_MEDIA_CONNECT_STATUS_EX:
        NdisAcquireSpinLock(&Adapter->Lock);
        connectState = Adapter->LinkUp ? MediaConnectStateConnected : MediaConnectStateDisconnected;
        NdisReleaseSpinLock(&Adapter->Lock);
        source = &connectState;
        sourceLength = sizeof(connectState);
        break;

    case OID_GEN_VENDOR_ID:
        //
        // The OUI of the permanent address in the low three bytes.
        //
        value = ((ULONG)Adapter->PermanentAddress[0] << 16) |
                ((ULONG)Adapter->PermanentAddress[1] << 8) |
                (ULONG)Adapter->PermanentAddress[2];
        break;

    case OID_GEN_VENDOR_DESCRIPTION:
        source = VIONET_VENDOR_DESCRIPTION;
        sourceLength = sizeof(VIONET_VENDOR_DESCRIPTION);
        break;

    case OID_GEN_VENDOR_DRIVER_VERSION:
        value = VIONET_VENDOR_DRIVER_VERSION;
        break;

    case OID_GEN_DRIVER_VERSION:
        value16 = (USHORT)((NDIS_MINIPORT_MAJOR_VERSION << 8) | NDIS_MINIPORT_MINOR_VERSION);
        source = &value16;
        sourceLength = sizeof(value16);
        break;

    case OID_GEN_XMIT_OK:
        for (q = 0; q < Adapter->NumPairs; q++) {
            NdisAcquireSpinLock(&Adapter->TxQueue[q].Vq.Lock);
            value64 += Adapter->TxQueue[q].FramesSent;
            NdisReleaseSpinLock(&Adapter->TxQueue[q].Vq.Lock);
        }
        source = &value64;
        sourceLength = sizeof(value64);
        break;

    case OID_GEN_RCV_OK:
        for (q = 0; q < Adapter->NumPairs; q++) {
            NdisAcquireSpinLock(&Adapter->RxQueue[q].Vq.Lock);
            value64 += Adapter->RxQueue[q].FramesIndicated;
            NdisReleaseSpinLock(&Adapter->RxQueue[q].Vq.Lock);
        }
        source = &value64;
        sourceLength = sizeof(value64);
        break;

    case OID_GEN_RCV_NO_BUFFER:
        //
        // A virtio-net device does not count the frames it had no buffer
        // for; the driver knows only the ones it dropped itself.
        //
        for (q = 0; q < Adapter->NumPairs; q++) {
            NdisAcquireSpinLock(&Adapter->RxQueue[q].Vq.Lock);
            value64 += Adapter->RxQueue[q].FramesBad + Adapter->RxQueue[q].FramesDroppedPaused;
            NdisReleaseSpinLock(&Adapter->RxQueue[q].Vq.Lock);
        }
        source = &value64;
        sourceLength = sizeof(value64);
        break;

    case OID_GEN_INTERRUPT_MODERATION:
        NdisZeroMemory(&moderation, sizeof(moderation));
        moderation.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
        moderation.Header.Revision = NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        moderation.Header.Size = NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        moderation.Flags = 0;
        //
        // Used buffer notifications are off while a DPC works a queue: that
        // moderation is how this driver runs, and cannot be turned off.
        //
        moderation.InterruptModeration = NdisInterruptModerationEnabled;
        source = &moderation;
        sourceLength = NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        break;

    case OID_GEN_RECEIVE_SCALE_CAPABILITIES:
        if (!Adapter->RssAvailable) {
            return NDIS_STATUS_NOT_SUPPORTED;
        }
        source = &Adapter->RssCapabilities;
        sourceLength = Adapter->RssCapabilities.Header.Size;
        break;

    case OID_802_3_PERMANENT_ADDRESS:
        source = Adapter->PermanentAddress;
        sourceLength = VIONET_MAC_ADDRESS_LENGTH;
        break;

    case OID_802_3_CURRENT_ADDRESS:
        source = Adapter->CurrentAddress;
        sourceLength = VIONET_MAC_ADDRESS_LENGTH;
        break;

    case OID_802_3_MULTICAST_LIST:
        source = Adapter->MulticastList;
        sourceLength = Adapter->MulticastListCount * VIONET_MAC_ADDRESS_LENGTH;
        break;

    case OID_802_3_MAXIMUM_LIST_SIZE:
        value = VIONET_MAX_MULTICAST_LIST;
        break;

    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }

    //
    // Statistics may be read as a ULONG when the buffer is that small.
    //
    if (source == &value64 && bufferLength >= sizeof(ULONG) && bufferLength < sizeof(ULONG64)) {
        value = (ULONG)value64;
        source = &value;
        sourceLength = sizeof(ULONG);
    }

    if (bufferLength < sourceLength) {
        Request->DATA.QUERY_INFORMATION.BytesNeeded = sourceLength;
        Request->DATA.QUERY_INFORMATION.BytesWritten = 0;
        return NDIS_STATUS_BUFFER_TOO_SHORT;
    }

    NdisMoveMemory(buffer, source, sourceLength);
    Request->DATA.QUERY_INFORMATION.BytesWritten = sourceLength;
    Request->DATA.QUERY_INFORMATION.BytesNeeded = 0;
    return NDIS_STATUS_SUCCESS;
}


static
NDIS_STATUS
VioNetSetInformation(
    _In_ PVIONET_ADAPTER Adapter,
    _Inout_ PNDIS_OID_REQUEST Request
    )
/*++

Routine Description:

    Applies a set request.

Arguments:

    Adapter - The adapter.

    Request - A set request.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_INVALID_LENGTH (BytesNeeded set),
    NDIS_STATUS_INVALID_DATA, NDIS_STATUS_INVALID_PARAMETER,
    NDIS_STATUS_MULTICAST_FULL or NDIS_STATUS_NOT_SUPPORTED.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PVOID buffer = Request->DATA.SET_INFORMATION.InformationBuffer;
    ULONG bufferLength = Request->DATA.SET_INFORMATION.InformationBufferLength;
    PNDIS_INTERRUPT_MODERATION_PARAMETERS moderation;
    NDIS_STATUS status = NDIS_STATUS_SUCCESS;
    ULONG needed = 0;
    ULONG value;

    Request->DATA.SET_INFORMATION.BytesRead = 0;
    Request->DATA.SET_INFORMATION.BytesNeeded = 0;

    switch (Request->DATA.SET_INFORMATION.Oid) {
    case OID_GEN_CURRENT_PACKET_FILTER:
        needed = sizeof(ULONG);
        if (bufferLength < needed) {
            status = NDIS_STATUS_INVALID_LENGTH;
            break;
        }
        NdisMoveMemory(&value, buffer, sizeof(ULONG));
        if (value & ~VIONET_SUPPORTED_PACKET_FILTERS) {
            status = NDIS_STATUS_NOT_SUPPORTED;
            break;
        }
        Adapter->PacketFilter = value;
        break;

    case OID_GEN_CURRENT_LOOKAHEAD:
        needed = sizeof(ULONG);
        if (bufferLength < needed) {
            status = NDIS_STATUS_INVALID_LENGTH;
            break;
        }
        NdisMoveMemory(&value, buffer, sizeof(ULONG));
        if (value > VIONET_MAX_FRAME_SIZE - VIONET_ETH_HEADER_SIZE) {
            status = NDIS_STATUS_INVALID_DATA;
            break;
        }
        Adapter->LookAhead = value;
        break;

    case OID_802_3_MULTICAST_LIST:
        needed = bufferLength;
        if (bufferLength % VIONET_MAC_ADDRESS_LENGTH != 0) {
            status = NDIS_STATUS_INVALID_LENGTH;
            break;
        }
        if (bufferLength / VIONET_MAC_ADDRESS_LENGTH > VIONET_MAX_MULTICAST_LIST) {
            status = NDIS_STATUS_MULTICAST_FULL;
            break;
        }
        Adapter->MulticastListCount = bufferLength / VIONET_MAC_ADDRESS_LENGTH;
        if (bufferLength != 0) {
            NdisMoveMemory(Adapter->MulticastList, buffer, bufferLength);
        }
        break;

    case OID_GEN_INTERRUPT_MODERATION:
        needed = NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        if (bufferLength < needed) {
            status = NDIS_STATUS_INVALID_LENGTH;
            break;
        }
        moderation = (PNDIS_INTERRUPT_MODERATION_PARAMETERS)buffer;
        if (moderation->Header.Type != NDIS_OBJECT_TYPE_DEFAULT ||
            moderation->Header.Revision < NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1 ||
            moderation->Header.Size < NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1) {
            status = NDIS_STATUS_INVALID_PARAMETER;
            break;
        }
        if (moderation->InterruptModeration != NdisInterruptModerationEnabled) {
            status = NDIS_STATUS_INVALID_DATA;
        }
        break;

    case OID_GEN_RECEIVE_SCALE_PARAMETERS:
        if (!Adapter->RssAvailable) {
            return NDIS_STATUS_NOT_SUPPORTED;
        }
        needed = bufferLength;
        status = VioNetSetRssParameters(Adapter, buffer, bufferLength, &needed);
        break;

    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
    if (status == NDIS_STATUS_SUCCESS) {
        Request->DATA.SET_INFORMATION.BytesRead = needed;
    } else if (status == NDIS_STATUS_INVALID_LENGTH) {
        Request->DATA.SET_INFORMATION.BytesNeeded = needed;
    }
    return status;
}


static
VOID
VioNetDisableRss(
    _In_ PVIONET_ADAPTER Adapter
    )
/*++

Routine Description:

    Back to automatic steering (VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET: the last
    multiqueue command decides) and DPCs wherever their ISR runs.

--*/
{
    ULONG p;

    Adapter->CtrlBuffer[0] = VIRTIO_NET_CTRL_MQ;
    Adapter->CtrlBuffer[1] = VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET;
    Adapter->CtrlBuffer[2] = (UCHAR)Adapter->NumPairs;
    Adapter->CtrlBuffer[3] = (UCHAR)(Adapter->NumPairs >> 8);
    (VOID)VioNetControlCommand(Adapter, 4);

    for (p = 0; p < Adapter->NumPairs; p++) {
        VioNetSetQueueTarget(Adapter, &Adapter->RxQueue[p], VIONET_NO_TARGET_PROCESSOR, NULL);
    }
    Adapter->RssEnabled = FALSE;
}


static
NDIS_STATUS
VioNetSetRssParameters(
    _In_ PVIONET_ADAPTER Adapter,
    _In_reads_bytes_(Length) PVOID Buffer,
    _In_ ULONG Length,
    _Out_ PULONG BytesNeeded
    )
/*++

Routine Description:

    Applies NDIS_RECEIVE_SCALE_PARAMETERS through
    VIRTIO_NET_CTRL_MQ_RSS_CONFIG. Everything is validated before the
    command is sent; the DPC targets change only once the device took it.
    The "unchanged" flags are not supported (this driver keeps no copy of
    the key and table): a request must carry both.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_INVALID_LENGTH,
    NDIS_STATUS_INVALID_PARAMETER, or NDIS_STATUS_FAILURE if the device
    refused the configuration.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PNDIS_RECEIVE_SCALE_PARAMETERS params = (PNDIS_RECEIVE_SCALE_PARAMETERS)Buffer;
    PROCESSOR_NUMBER queueProcessor[VIONET_MAX_PAIRS];
    ULONG queueProcessorIndex[VIONET_MAX_PAIRS];
    PPROCESSOR_NUMBER table;
    PROCESSOR_NUMBER processor;
    PUCHAR key;
    PUCHAR c = Adapter->CtrlBuffer;
    ULONG hashInformation;
    ULONG hashType;
    ULONG types = 0;
    ULONG entries;
    ULONG distinct = 0;
    ULONG processorIndex;
    ULONG n;
    ULONG i;
    ULONG j;

    *BytesNeeded = NDIS_SIZEOF_RECEIVE_SCALE_PARAMETERS_REVISION_2;
    if (Length < NDIS_SIZEOF_RECEIVE_SCALE_PARAMETERS_REVISION_2) {
        return NDIS_STATUS_INVALID_LENGTH;
    }
    *BytesNeeded = Length;

    if (params->Header.Type != NDIS_OBJECT_TYPE_RSS_PARAMETERS ||
        params->Header.Revision < NDIS_RECEIVE_SCALE_PARAMETERS_REVISION_2 ||
        params->Header.Size < NDIS_SIZEOF_RECEIVE_SCALE_PARAMETERS_REVISION_2) {
        return NDIS_STATUS_INVALID_PARAMETER;
    }

    hashInformation = params->HashInformation;
    if ((params->Flags & NDIS_RSS_PARAM_FLAG_DISABLE_RSS) ||
        NDIS_RSS_HASH_FUNC_FROM_HASH_INFO(hashInformation) == 0) {
        VioNetDisableRss(Adapter);
        return NDIS_STATUS_SUCCESS;
    }
    if ((params->Flags & (NDIS_RSS_PARAM_FLAG_HASH_INFO_UNCHANGED |
                          NDIS_RSS_PARAM_FLAG_HASH_KEY_UNCHANGED |
                          NDIS_RSS_PARAM_FLAG_ITABLE_UNCHANGED)) ||
        NDIS_RSS_HASH_FUNC_FROM_HASH_INFO(hashInformation) != NdisHashFunctionToeplitz) {
        return NDIS_STATUS_INVALID_PARAMETER;
    }

    hashType = NDIS_RSS_HASH_TYPE_FROM_HASH_INFO(hashInformation);
    if (hashType & NDIS_HASH_IPV4) {
        types |= VIRTIO_NET_HASH_TYPE_IPv4;
    }
    if (hashType & NDIS_HASH_TCP_IPV4) {
        types |= VIRTIO_NET_HASH_TYPE_TCPv4;
    }
    if (hashType & NDIS_HASH_IPV6) {
        types |= VIRTIO_NET_HASH_TYPE_IPv6;
    }
    if (hashType & NDIS_HASH_TCP_IPV6) {
        types |= VIRTIO_NET_HASH_TYPE_TCPv6;
    }
    if (types == 0) {
        return NDIS_STATUS_INVALID_PARAMETER;
    }

    if (params->HashSecretKeySize != VIONET_RSS_KEY_SIZE ||
        params->HashSecretKeyOffset > Length ||
        Length - params->HashSecretKeyOffset < VIONET_RSS_KEY_SIZE) {
        return NDIS_STATUS_INVALID_PARAMETER;
    }
    key = (PUCHAR)Buffer + params->HashSecretKeyOffset;

    entries = params->IndirectionTableSize / sizeof(PROCESSOR_NUMBER);
    if (params->IndirectionTableSize % sizeof(PROCESSOR_NUMBER) != 0 ||
        entries == 0 || entries > VIONET_RSS_TABLE_MAX || (entries & (entries - 1)) != 0 ||
        params->IndirectionTableOffset > Length ||
        Length - params->IndirectionTableOffset < params->IndirectionTableSize) {
        return NDIS_STATUS_INVALID_PARAMETER;
    }
    table = (PPROCESSOR_NUMBER)((PUCHAR)Buffer + params->IndirectionTableOffset);

    //
    // struct virtio_net_rss_config: hash_types, indirection_table_mask,
    // unclassified_queue (receiveq1), the table of receive queue ids,
    // max_tx_vq, the key.
    //
    c[0] = VIRTIO_NET_CTRL_MQ;
    c[1] = VIRTIO_NET_CTRL_MQ_RSS_CONFIG;
    c[2] = (UCHAR)types;
    c[3] = c[4] = c[5] = 0;
    c[6] = (UCHAR)(entries - 1);
    c[7] = (UCHAR)((entries - 1) >> 8);
    c[8] = c[9] = 0;
    n = 10;
    for (i = 0; i < entries; i++) {
        NdisMoveMemory(&processor, &table[i], sizeof(processor));
        processorIndex = KeGetProcessorIndexFromNumber(&processor);
        if (processorIndex == INVALID_PROCESSOR_INDEX) {
            return NDIS_STATUS_INVALID_PARAMETER;
        }
        for (j = 0; j < distinct; j++) {
            if (queueProcessorIndex[j] == processorIndex) {
                break;
            }
        }
        if (j == distinct) {
            if (distinct < Adapter->NumPairs) {
                queueProcessor[distinct] = processor;
                queueProcessorIndex[distinct] = processorIndex;
                distinct++;
            } else {
                j = processorIndex % Adapter->NumPairs;
            }
        }
        c[n++] = (UCHAR)j;
        c[n++] = 0;
    }
    c[n++] = (UCHAR)Adapter->NumPairs;
    c[n++] = (UCHAR)(Adapter->NumPairs >> 8);
    c[n++] = VIONET_RSS_KEY_SIZE;
    NdisMoveMemory(c + n, key, VIONET_RSS_KEY_SIZE);
    n += VIONET_RSS_KEY_SIZE;

    if (!VioNetControlCommand(Adapter, n)) {
        return NDIS_STATUS_FAILURE;
    }

    for (j = 0; j < Adapter->NumPairs; j++) {
        if (j < distinct) {
            VioNetSetQueueTarget(Adapter, &Adapter->RxQueue[j],
                                 queueProcessorIndex[j], &queueProcessor[j]);
        } else {
            VioNetSetQueueTarget(Adapter, &Adapter->RxQueue[j], VIONET_NO_TARGET_PROCESSOR, NULL);
        }
    }
    Adapter->RssEnabled = TRUE;
    Adapter->RssHashInformation = hashInformation;
    return NDIS_STATUS_SUCCESS;
}
