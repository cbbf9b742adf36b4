/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    oid.c

Abstract:

    OID requests of the VN-1 sample miniport. Every request completes
    synchronously.

    Receive side scaling: OID_GEN_RECEIVE_SCALE_PARAMETERS programs the
    Toeplitz key (RSSRK), the hash types (MRQC) and the device's 128-entry
    redirection table (RETA). Each distinct processor in the NDIS
    indirection table gets a receive queue of its own, up to the number of
    queues; that queue's MSI-X message DPC then runs on that processor.

--*/

#include "vn1.h"

NDIS_OID Vn1SupportedOids[] = {
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

ULONG Vn1SupportedOidsLength = sizeof(Vn1SupportedOids);

#define VN1_SUPPORTED_PACKET_FILTERS (NDIS_PACKET_TYPE_DIRECTED |        \
                                      NDIS_PACKET_TYPE_MULTICAST |       \
                                      NDIS_PACKET_TYPE_ALL_MULTICAST |   \
                                      NDIS_PACKET_TYPE_BROADCAST |       \
                                      NDIS_PACKET_TYPE_PROMISCUOUS)

static NDIS_STATUS Vn1QueryInformation(_In_ PVN1_ADAPTER Adapter, _Inout_ PNDIS_OID_REQUEST Request);
static NDIS_STATUS Vn1SetInformation(_In_ PVN1_ADAPTER Adapter, _Inout_ PNDIS_OID_REQUEST Request);
static NDIS_STATUS Vn1SetRssParameters(_In_ PVN1_ADAPTER Adapter,
                                       _In_reads_bytes_(Length) PVOID Buffer,
                                       _In_ ULONG Length,
                                       _Out_ PULONG BytesNeeded);
static VOID Vn1DisableRss(_In_ PVN1_ADAPTER Adapter);


_Use_decl_annotations_
VOID
Vn1FillRssCapabilities(
    PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Describes the RSS capabilities for the general attributes and for
    OID_GEN_RECEIVE_SCALE_CAPABILITIES. With MSI-X resources each receive
    queue interrupts its own processor; otherwise one queue is serviced by
    the DPC.

Arguments:

    Adapter - The adapter; its resources and queue count are known.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    PNDIS_RECEIVE_SCALE_CAPABILITIES caps = &Adapter->RssCapabilities;
    BOOLEAN msix = (Adapter->ResourceMessageBased && Adapter->ResourceMessages >= 2);

    NdisZeroMemory(caps, sizeof(NDIS_RECEIVE_SCALE_CAPABILITIES));
    caps->Header.Type = NDIS_OBJECT_TYPE_RSS_CAPABILITIES;
#if defined(NDIS_SUPPORT_NDIS630) && NDIS_SUPPORT_NDIS630
    caps->Header.Revision = NDIS_RECEIVE_SCALE_CAPABILITIES_REVISION_2;
    caps->Header.Size = NDIS_SIZEOF_RECEIVE_SCALE_CAPABILITIES_REVISION_2;
    caps->NumberOfIndirectionTableEntries = VN1_RETA_ENTRIES;
#else
    caps->Header.Revision = NDIS_RECEIVE_SCALE_CAPABILITIES_REVISION_1;
    caps->Header.Size = NDIS_SIZEOF_RECEIVE_SCALE_CAPABILITIES_REVISION_1;
#endif

    caps->CapabilitiesFlags = NdisHashFunctionToeplitz |
                              NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4 |
                              NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6;
#if defined(NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV4) && defined(NDIS_HASH_UDP_IPV4)
    caps->CapabilitiesFlags |= NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV4;
#endif
#if defined(NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6) && defined(NDIS_HASH_UDP_IPV6)
    caps->CapabilitiesFlags |= NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6;
#endif

    if (msix) {
        caps->CapabilitiesFlags |= NDIS_RSS_CAPS_MESSAGE_SIGNALED_INTERRUPTS |
                                   NDIS_RSS_CAPS_CLASSIFICATION_AT_ISR |
                                   NDIS_RSS_CAPS_USING_MSI_X;
#if defined(NDIS_SUPPORT_NDIS630) && NDIS_SUPPORT_NDIS630
        caps->CapabilitiesFlags |= NDIS_RSS_CAPS_SUPPORTS_MSI_X;
#endif
        caps->NumberOfInterruptMessages = Adapter->ResourceMessages;
    } else {
        caps->CapabilitiesFlags |= NDIS_RSS_CAPS_CLASSIFICATION_AT_DPC;
        caps->NumberOfInterruptMessages = 1;
    }
    caps->NumberOfReceiveQueues = Adapter->RxQueuesAllocated;
}


_Use_decl_annotations_
NDIS_STATUS
Vn1OidRequest(
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
    PVN1_ADAPTER adapter = (PVN1_ADAPTER)MiniportAdapterContext;

    switch (OidRequest->RequestType) {
    case NdisRequestQueryInformation:
    case NdisRequestQueryStatistics:
        return Vn1QueryInformation(adapter, OidRequest);

    case NdisRequestSetInformation:
        return Vn1SetInformation(adapter, OidRequest);

    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}


_Use_decl_annotations_
VOID
Vn1CancelOidRequest(
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
Vn1QueryInformation(
    _In_ PVN1_ADAPTER Adapter,
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
        source = Vn1SupportedOids;
        sourceLength = Vn1SupportedOidsLength;
        break;

    case OID_GEN_MEDIA_SUPPORTED:
    case OID_GEN_MEDIA_IN_USE:
        medium = NdisMedium802_3;
        source = &medium;
        sourceLength = sizeof(medium);
        break;

    case OID_GEN_MAXIMUM_LOOKAHEAD:
        value = VN1_MAX_FRAME_SIZE - VN1_ETH_HEADER_SIZE;
        break;

    case OID_GEN_CURRENT_LOOKAHEAD:
        value = Adapter->LookAhead;
        break;

    case OID_GEN_MAXIMUM_FRAME_SIZE:
        value = VN1_MTU_SIZE;
        break;

    case OID_GEN_MAXIMUM_TOTAL_SIZE:
        value = VN1_MAX_FRAME_SIZE;
        break;

    case OID_GEN_CURRENT_PACKET_FILTER:
        value = Adapter->PacketFilter;
        break;

    case OID_GEN_LINK_SPEED_EX:
        NdisAcquireSpinLock(&Adapter->Lock);
        linkSpeed.XmitLinkSpeed = Adapter->LinkUp ? Adapter->LinkSpeed : NDIS_LINK_SPEED_UNKNOWN;
        linkSpeed.RcvLinkSpeed = linkSpeed.XmitLinkSpeed;
        NdisReleaseSpinLock(&Adapter->Lock);
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
        source = VN1_VENDOR_DESCRIPTION;
        sourceLength = sizeof(VN1_VENDOR_DESCRIPTION);
        break;

    case OID_GEN_VENDOR_DRIVER_VERSION:
        value = VN1_VENDOR_DRIVER_VERSION;
        break;

    case OID_GEN_DRIVER_VERSION:
        value16 = (USHORT)((NDIS_MINIPORT_MAJOR_VERSION << 8) | NDIS_MINIPORT_MINOR_VERSION);
        source = &value16;
        sourceLength = sizeof(value16);
        break;

    case OID_GEN_XMIT_OK:
        NdisAcquireSpinLock(&Adapter->TxQueue.Lock);
        value64 = Adapter->TxQueue.FramesSent;
        NdisReleaseSpinLock(&Adapter->TxQueue.Lock);
        source = &value64;
        sourceLength = sizeof(value64);
        break;

    case OID_GEN_RCV_OK:
        for (q = 0; q < Adapter->NumRxQueues; q++) {
            NdisAcquireSpinLock(&Adapter->RxQueue[q].Lock);
            value64 += Adapter->RxQueue[q].FramesIndicated;
            NdisReleaseSpinLock(&Adapter->RxQueue[q].Lock);
        }
        source = &value64;
        sourceLength = sizeof(value64);
        break;

    case OID_GEN_RCV_NO_BUFFER:
        value64 = Vn1ReadRegister(Adapter, VN1_REG_MPC);
        source = &value64;
        sourceLength = sizeof(value64);
        break;

    case OID_GEN_INTERRUPT_MODERATION:
        NdisZeroMemory(&moderation, sizeof(moderation));
        moderation.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
        moderation.Header.Revision = NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        moderation.Header.Size = NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        moderation.Flags = 0;
        moderation.InterruptModeration = Adapter->InterruptModerationUs != 0 ?
                                         NdisInterruptModerationEnabled :
                                         NdisInterruptModerationDisabled;
        source = &moderation;
        sourceLength = NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        break;

    case OID_GEN_RECEIVE_SCALE_CAPABILITIES:
        source = &Adapter->RssCapabilities;
        sourceLength = Adapter->RssCapabilities.Header.Size;
        break;

    case OID_802_3_PERMANENT_ADDRESS:
        source = Adapter->PermanentAddress;
        sourceLength = VN1_MAC_ADDRESS_LENGTH;
        break;

    case OID_802_3_CURRENT_ADDRESS:
        source = Adapter->CurrentAddress;
        sourceLength = VN1_MAC_ADDRESS_LENGTH;
        break;

    case OID_802_3_MULTICAST_LIST:
        source = Adapter->MulticastList;
        sourceLength = Adapter->MulticastListCount * VN1_MAC_ADDRESS_LENGTH;
        break;

    case OID_802_3_MAXIMUM_LIST_SIZE:
        value = VN1_MAX_MULTICAST_LIST;
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
Vn1SetInformation(
    _In_ PVN1_ADAPTER Adapter,
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
    ULONG message;

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
        if (value & ~VN1_SUPPORTED_PACKET_FILTERS) {
            status = NDIS_STATUS_NOT_SUPPORTED;
            break;
        }
        Adapter->PacketFilter = value;
        Vn1ApplyPacketFilter(Adapter);
        break;

    case OID_GEN_CURRENT_LOOKAHEAD:
        needed = sizeof(ULONG);
        if (bufferLength < needed) {
            status = NDIS_STATUS_INVALID_LENGTH;
            break;
        }
        NdisMoveMemory(&value, buffer, sizeof(ULONG));
        if (value > VN1_MAX_FRAME_SIZE - VN1_ETH_HEADER_SIZE) {
            status = NDIS_STATUS_INVALID_DATA;
            break;
        }
        Adapter->LookAhead = value;
        break;

    case OID_802_3_MULTICAST_LIST:
        needed = bufferLength;
        if (bufferLength % VN1_MAC_ADDRESS_LENGTH != 0) {
            status = NDIS_STATUS_INVALID_LENGTH;
            break;
        }
        if (bufferLength / VN1_MAC_ADDRESS_LENGTH > VN1_MAX_MULTICAST_LIST) {
            status = NDIS_STATUS_MULTICAST_FULL;
            break;
        }
        Adapter->MulticastListCount = bufferLength / VN1_MAC_ADDRESS_LENGTH;
        if (bufferLength != 0) {
            NdisMoveMemory(Adapter->MulticastList, buffer, bufferLength);
        }
        Vn1ApplyPacketFilter(Adapter);
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
        if (moderation->InterruptModeration == NdisInterruptModerationEnabled) {
            Adapter->InterruptModerationUs = VN1_ITR_MODERATION_US;
        } else if (moderation->InterruptModeration == NdisInterruptModerationDisabled) {
            Adapter->InterruptModerationUs = 0;
        } else {
            status = NDIS_STATUS_INVALID_DATA;
            break;
        }
        //
        // ITR is not shared with the ISR; no synchronization is needed.
        //
        for (message = 0; message < Adapter->MessageCount; message++) {
            Vn1WriteRegister(Adapter, VN1_REG_ITR(message),
                             Adapter->InterruptModerationUs & VN1_ITR_INTERVAL_MASK);
        }
        break;

    case OID_GEN_RECEIVE_SCALE_PARAMETERS:
        needed = bufferLength;
        status = Vn1SetRssParameters(Adapter, buffer, bufferLength, &needed);
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
ULONG
Vn1MrqcHashTypes(
    _In_ ULONG HashInformation
    )
/*++

Routine Description:

    Converts the NDIS hash types to MRQC bits. Types the VN-1 cannot hash
    (the _EX types) are left out: the device then reports no hash for such
    frames, as RSS requires.

Arguments:

    HashInformation - NDIS hash type and function.

Return Value:

    The MRQC hash-type bits.

IRQL:

    Any

--*/
{
    ULONG hashType = NDIS_RSS_HASH_TYPE_FROM_HASH_INFO(HashInformation);
    ULONG mrqc = 0;

    if (hashType & NDIS_HASH_IPV4) {
        mrqc |= VN1_MRQC_HASH_IPV4;
    }
    if (hashType & NDIS_HASH_TCP_IPV4) {
        mrqc |= VN1_MRQC_HASH_TCP_IPV4;
    }
    if (hashType & NDIS_HASH_IPV6) {
        mrqc |= VN1_MRQC_HASH_IPV6;
    }
    if (hashType & NDIS_HASH_TCP_IPV6) {
        mrqc |= VN1_MRQC_HASH_TCP_IPV6;
    }
#if defined(NDIS_HASH_UDP_IPV4)
    if (hashType & NDIS_HASH_UDP_IPV4) {
        mrqc |= VN1_MRQC_HASH_UDP_IPV4;
    }
#endif
#if defined(NDIS_HASH_UDP_IPV6)
    if (hashType & NDIS_HASH_UDP_IPV6) {
        mrqc |= VN1_MRQC_HASH_UDP_IPV6;
    }
#endif
    return mrqc;
}


static
NDIS_STATUS
Vn1SetRssParameters(
    _In_ PVN1_ADAPTER Adapter,
    _In_reads_bytes_(Length) PVOID Buffer,
    _In_ ULONG Length,
    _Out_ PULONG BytesNeeded
    )
/*++

Routine Description:

    Applies NDIS_RECEIVE_SCALE_PARAMETERS. Everything is validated before
    anything is written, so a rejected request changes nothing.

    Queue assignment: walking the indirection table in order, each new
    processor gets the next free receive queue. Once every queue is taken,
    a further processor shares the queue (processor index mod queue count);
    its packets are then processed on that queue's processor. RETA entry i
    (0..127) names the queue of table entry i mod table size, which matches
    NDIS's "hash & (entries - 1)" for any power-of-two table size up to 128.

Arguments:

    Adapter - The adapter.

    Buffer - The NDIS_RECEIVE_SCALE_PARAMETERS with its key and table.

    Length - Bytes in Buffer.

    BytesNeeded - Receives the length needed when it is too short.

Return Value:

    NDIS_STATUS_SUCCESS, NDIS_STATUS_INVALID_LENGTH or
    NDIS_STATUS_INVALID_PARAMETER.

IRQL:

    PASSIVE_LEVEL

--*/
{
    PNDIS_RECEIVE_SCALE_PARAMETERS params = (PNDIS_RECEIVE_SCALE_PARAMETERS)Buffer;
    PROCESSOR_NUMBER queueProcessor[VN1_MAX_RX_QUEUES];
    ULONG queueProcessorIndex[VN1_MAX_RX_QUEUES];
    UCHAR entryQueue[VN1_RETA_ENTRIES];
    PPROCESSOR_NUMBER table = NULL;
    PUCHAR key = NULL;
    PROCESSOR_NUMBER processor;
    ULONG hashInformation;
    ULONG entries = 0;
    ULONG distinct = 0;
    ULONG processorIndex;
    ULONG mrqc;
    ULONG value;
    ULONG i;
    ULONG j;
    ULONG q;

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

    hashInformation = (params->Flags & NDIS_RSS_PARAM_FLAG_HASH_INFO_UNCHANGED) ?
                      Adapter->RssHashInformation : params->HashInformation;

    if ((params->Flags & NDIS_RSS_PARAM_FLAG_DISABLE_RSS) ||
        NDIS_RSS_HASH_FUNC_FROM_HASH_INFO(hashInformation) == 0) {
        Vn1DisableRss(Adapter);
        return NDIS_STATUS_SUCCESS;
    }

    if (NDIS_RSS_HASH_FUNC_FROM_HASH_INFO(hashInformation) != NdisHashFunctionToeplitz) {
        return NDIS_STATUS_INVALID_PARAMETER;
    }

    mrqc = Vn1MrqcHashTypes(hashInformation);
    if (mrqc == 0) {
        return NDIS_STATUS_INVALID_PARAMETER;
    }

    if ((params->Flags & NDIS_RSS_PARAM_FLAG_HASH_KEY_UNCHANGED) == 0) {
        if (params->HashSecretKeySize != VN1_RSS_KEY_SIZE ||
            params->HashSecretKeyOffset > Length ||
            Length - params->HashSecretKeyOffset < VN1_RSS_KEY_SIZE) {
            return NDIS_STATUS_INVALID_PARAMETER;
        }
        key = (PUCHAR)Buffer + params->HashSecretKeyOffset;
    }

    if ((params->Flags & NDIS_RSS_PARAM_FLAG_ITABLE_UNCHANGED) == 0) {
        entries = params->IndirectionTableSize / sizeof(PROCESSOR_NUMBER);
        if (params->IndirectionTableSize % sizeof(PROCESSOR_NUMBER) != 0 ||
            entries == 0 ||
            entries > VN1_RETA_ENTRIES ||
            (entries & (entries - 1)) != 0 ||
            params->IndirectionTableOffset > Length ||
            Length - params->IndirectionTableOffset < params->IndirectionTableSize) {
            return NDIS_STATUS_INVALID_PARAMETER;
        }
        table = (PPROCESSOR_NUMBER)((PUCHAR)Buffer + params->IndirectionTableOffset);

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
                if (distinct < Adapter->NumRxQueues) {
                    queueProcessor[distinct] = processor;
                    queueProcessorIndex[distinct] = processorIndex;
                    distinct++;
                } else {
                    j = processorIndex % Adapter->NumRxQueues;
                }
            }
            entryQueue[i] = (UCHAR)j;
        }
    }

    //
    // Commit: table first (and the DPC targets that go with it), then the
    // key, then the hash types that turn RSS on.
    //
    if (table != NULL) {
        for (i = 0; i < VN1_RETA_REGISTERS; i++) {
            value = 0;
            for (j = 0; j < 4; j++) {
                value |= (ULONG)entryQueue[(i * 4 + j) % entries] << (8 * j);
            }
            Vn1WriteRegister(Adapter, VN1_REG_RETA(i), value);
        }

        for (q = 0; q < Adapter->NumRxQueues; q++) {
            if (q < distinct) {
                Vn1SetQueueTarget(Adapter, &Adapter->RxQueue[q],
                                  queueProcessorIndex[q], &queueProcessor[q]);
            } else {
                Vn1SetQueueTarget(Adapter, &Adapter->RxQueue[q],
                                  VN1_NO_TARGET_PROCESSOR, NULL);
            }
        }
    }

    if (key != NULL) {
        for (i = 0; i < VN1_RSS_KEY_REGISTERS; i++) {
            value = (ULONG)key[4 * i] |
                    ((ULONG)key[4 * i + 1] << 8) |
                    ((ULONG)key[4 * i + 2] << 16) |
                    ((ULONG)key[4 * i + 3] << 24);
            Vn1WriteRegister(Adapter, VN1_REG_RSSRK(i), value);
        }
    }

    Vn1WriteRegister(Adapter, VN1_REG_MRQC, mrqc | VN1_MRQC_RSS_ENABLE);
    Adapter->RssEnabled = TRUE;
    Adapter->RssHashInformation = hashInformation;

    return NDIS_STATUS_SUCCESS;
}


static
VOID
Vn1DisableRss(
    _In_ PVN1_ADAPTER Adapter
    )
/*++

Routine Description:

    Returns to non-RSS receive: every frame to queue 0, whose DPC runs
    wherever its interrupt is taken.

Arguments:

    Adapter - The adapter.

Return Value:

    None

IRQL:

    PASSIVE_LEVEL

--*/
{
    ULONG i;
    ULONG q;

    Vn1WriteRegister(Adapter, VN1_REG_MRQC, 0);
    for (i = 0; i < VN1_RETA_REGISTERS; i++) {
        Vn1WriteRegister(Adapter, VN1_REG_RETA(i), 0);
    }
    for (q = 0; q < Adapter->NumRxQueues; q++) {
        Vn1SetQueueTarget(Adapter, &Adapter->RxQueue[q], VN1_NO_TARGET_PROCESSOR, NULL);
    }

    Adapter->RssEnabled = FALSE;
}
