/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    virtio_net.h

Abstract:

    Shared definitions of the virtio-net sample miniport (NDIS 6.20): the
    adapter context, the virtqueues, tunables and the role-type
    declarations of every entry point NDIS calls.

    Lock key used on the fields below:
        (A) Adapter->Lock            (adapter state, pause bookkeeping)
        (Q) Queue->Lock              (one virtqueue and what hangs off it)
        (I) interrupt lock: written only inside a MINIPORT_SYNCHRONIZE_*
            routine, read by the ISR
        (OID) OID requests (PASSIVE_LEVEL, serialized by NDIS)
        (a) interlocked operations only
        (c) constant after MiniportInitializeEx returns

    Lock order: Adapter->Lock is never held while a queue lock is taken,
    and no spin lock is held across an NdisXxx call that can call back
    into the driver.

--*/

#ifndef _VIRTIO_NET_H_
#define _VIRTIO_NET_H_

#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1

#include <ndis.h>

#include "hardware.h"

//
// Driver identity.
//
#define VIONET_MAJOR_DRIVER_VERSION     1
#define VIONET_MINOR_DRIVER_VERSION     0
#define VIONET_VENDOR_DRIVER_VERSION    ((VIONET_MAJOR_DRIVER_VERSION << 16) | VIONET_MINOR_DRIVER_VERSION)
#define VIONET_VENDOR_DESCRIPTION       "virtio-net adapter (ndisrt sample)"
#define VIONET_POOL_TAG                 ((ULONG)0x74656E56)  // 'VNet' in a pool dump

//
// Ethernet sizes.
//
#define VIONET_ETH_HEADER_SIZE          14
#define VIONET_MTU_SIZE                 1500
#define VIONET_MAX_FRAME_SIZE           (VIONET_MTU_SIZE + VIONET_ETH_HEADER_SIZE)
#define VIONET_MAC_ADDRESS_LENGTH       6
#define VIONET_MAX_MULTICAST_LIST       32

//
// Queues. The driver asks the device for queues of VIONET_QUEUE_SIZE
// entries (or the device's maximum, if smaller). A receive buffer holds the
// header and a whole frame, so MRG_RXBUF is never needed. A transmit slot
// holds the header, an indirect table and the frame; each frame uses two
// descriptors (header, frame) or, with VIRTIO_F_INDIRECT_DESC, one.
//
#define VIONET_MAX_PAIRS                4
#define VIONET_QUEUE_SIZE               256
#define VIONET_RX_BUFFER_SIZE           2048
#define VIONET_TX_SLOTS                 (VIONET_QUEUE_SIZE / 2)
#define VIONET_TX_SLOT_SIZE             2048
#define VIONET_TX_SLOT_HDR              0       // VIRTIO_NET_HDR(_HASH)
#define VIONET_TX_SLOT_TABLE            32      // two VIRTQ_DESC (indirect)
#define VIONET_TX_SLOT_FRAME            64      // the frame
#define VIONET_CTRL_QUEUE_SIZE          16
#define VIONET_CTRL_BUFFER_SIZE         512     // a command, then the ack at the end
#define VIONET_RSS_KEY_SIZE             40
#define VIONET_RSS_TABLE_MAX            128
#define VIONET_NO_TARGET_PROCESSOR      ((ULONG)0xFFFFFFFF)

//
// The driver's own bound on NBLs indicated per receive DPC when NDIS passes
// NDIS_INDICATE_ALL_NBLS.
//
#define VIONET_RX_DPC_LIMIT             128

//
// What the driver asks for. CSUM is accepted (the device completes a
// checksum the driver asks for); this sample never asks.
//
#define VIONET_WANTED_FEATURES          (VIRTIO_FEATURE(VIRTIO_F_VERSION_1) |          \
                                         VIRTIO_FEATURE(VIRTIO_NET_F_MAC) |            \
                                         VIRTIO_FEATURE(VIRTIO_NET_F_STATUS) |         \
                                         VIRTIO_FEATURE(VIRTIO_NET_F_CSUM) |           \
                                         VIRTIO_FEATURE(VIRTIO_NET_F_CTRL_VQ) |        \
                                         VIRTIO_FEATURE(VIRTIO_NET_F_MQ) |             \
                                         VIRTIO_FEATURE(VIRTIO_F_INDIRECT_DESC) |      \
                                         VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX) |          \
                                         VIRTIO_FEATURE(VIRTIO_NET_F_RSS) |            \
                                         VIRTIO_FEATURE(VIRTIO_NET_F_HASH_REPORT))

#define VIONET_MAX_MESSAGES             16
#define VIONET_CONFIG_SERVICE           0x80000000u     // in a message's service mask

typedef struct _VIONET_ADAPTER VIONET_ADAPTER, *PVIONET_ADAPTER;

typedef enum _VIONET_ADAPTER_STATE {
    VioNetAdapterPaused = 0,
    VioNetAdapterPausing,
    VioNetAdapterRunning
} VIONET_ADAPTER_STATE;

typedef enum _VIONET_INTERRUPT_MODE {
    VioNetInterruptLine = 0,    // INTx: the ISR status byte says what happened
    VioNetInterruptShared,      // one message for the configuration and every queue
    VioNetInterruptPerQueue     // a configuration message and one per queue
} VIONET_INTERRUPT_MODE;

//
// One split virtqueue in shared memory: descriptor table, driver area
// (available ring), device area (used ring), each at its alignment.
//
typedef struct _VIONET_QUEUE {
    PVIONET_ADAPTER         Adapter;        // (c)
    USHORT                  Index;          // (c) virtqueue index
    USHORT                  Size;           // (c) entries, a power of two
    USHORT                  Vector;         // (c) MSI-X vector, VIRTIO_MSI_NO_VECTOR on a line
    ULONG                   NotifyOffset;   // (c) Queue Notify address within the BAR
    BOOLEAN                 LockAllocated;  // (c)
    NDIS_SPIN_LOCK          Lock;

    PUCHAR                  RingVa;         // (c) shared memory of the three areas
    NDIS_PHYSICAL_ADDRESS   RingPa;         // (c)
    ULONG                   RingBytes;      // (c)
    PVIRTQ_DESC             Desc;           // (c)
    PUCHAR                  Avail;          // (c)
    PUCHAR                  Used;           // (c)
    ULONG                   AvailOffset;    // (c) within the ring memory
    ULONG                   UsedOffset;     // (c)

    USHORT                  AvailIdx;       // (Q) the driver's next available index
    USHORT                  LastUsed;       // (Q) next used index to consume
    USHORT                  KickedIdx;      // (Q) AvailIdx at the last notification
    ULONG64                 Notifications;  // (Q) available buffer notifications sent
    ULONG64                 NotificationsSuppressed; // (Q)
} VIONET_QUEUE, *PVIONET_QUEUE;

typedef struct _VIONET_RX_BUFFER {
    PNET_BUFFER_LIST        Nbl;            // (c)
    PMDL                    Mdl;            // (c) the frame part, after the header
    PUCHAR                  VirtualAddress; // (c)
    NDIS_PHYSICAL_ADDRESS   LogicalAddress; // (c)
    struct _VIONET_RX_QUEUE *Queue;         // (c)
    USHORT                  Id;             // (c) its descriptor
} VIONET_RX_BUFFER, *PVIONET_RX_BUFFER;

typedef struct _VIONET_RX_QUEUE {
    VIONET_QUEUE            Vq;
    PUCHAR                  BufferArea;     // (c)
    NDIS_PHYSICAL_ADDRESS   BufferAreaLogical; // (c)
    ULONG                   BufferAreaBytes;   // (c)
    ULONG                   BuffersAllocated;  // (c)
    VIONET_RX_BUFFER        Buffers[VIONET_QUEUE_SIZE]; // (c)
    USHORT                  Free[VIONET_QUEUE_SIZE];    // (Q) stack of buffers not posted
    ULONG                   FreeCount;      // (Q)
    ULONG                   Posted;         // (Q) buffers owned by the device

    ULONG                   MessageId;      // (c) its MSI-X message (per-queue mode)
    ULONG                   TargetProcessorIndex; // (I) RSS: where its DPC runs, or none
    GROUP_AFFINITY          TargetAffinity;       // (I)

    ULONG64                 FramesIndicated;        // (Q)
    ULONG64                 BytesIndicated;         // (Q)
    ULONG64                 FramesDroppedPaused;    // (Q)
    ULONG64                 FramesBad;              // (Q)
} VIONET_RX_QUEUE, *PVIONET_RX_QUEUE;

typedef struct _VIONET_TARGET_CONTEXT {
    struct _VIONET_RX_QUEUE *Queue;
    ULONG                   ProcessorIndex;
    GROUP_AFFINITY          Affinity;
} VIONET_TARGET_CONTEXT, *PVIONET_TARGET_CONTEXT;

typedef struct _VIONET_TX_QUEUE {
    VIONET_QUEUE            Vq;
    PUCHAR                  SlotArea;       // (c) VIONET_TX_SLOT_SIZE per slot
    NDIS_PHYSICAL_ADDRESS   SlotAreaLogical;   // (c)
    ULONG                   SlotAreaBytes;     // (c)
    PNET_BUFFER_LIST        SlotNbl[VIONET_TX_SLOTS]; // (Q)
    USHORT                  Free[VIONET_TX_SLOTS];    // (Q) stack of free slots
    ULONG                   FreeCount;      // (Q)
    ULONG                   Slots;          // (c) Vq.Size / 2
    PNET_BUFFER_LIST        WaitHead;       // (Q) admitted NBLs waiting for slots, in order
    PNET_BUFFER_LIST        WaitTail;       // (Q)

    ULONG64                 FramesSent;     // (Q)
    ULONG64                 BytesSent;      // (Q)
    ULONG64                 SendsFailed;    // (Q)
} VIONET_TX_QUEUE, *PVIONET_TX_QUEUE;

struct _VIONET_ADAPTER {
    NDIS_HANDLE             AdapterHandle;  // (c)
    NDIS_HANDLE             InterruptHandle;// (c)
    NDIS_HANDLE             DmaHandle;      // (c)
    NDIS_HANDLE             NblPool;        // (c)

    // The memory BAR and where the virtio structures are in it.
    NDIS_PHYSICAL_ADDRESS   BarAddress;     // (c)
    ULONG                   BarLength;      // (c)
    ULONG                   BarIndex;       // (c) which BAR that is
    PUCHAR                  RegisterBase;   // (c) NdisMMapIoSpace; NdisRead/WriteRegisterXxx only
    ULONG                   CommonOffset;   // (c)
    ULONG                   NotifyOffset;   // (c)
    ULONG                   NotifyMultiplier; // (c)
    ULONG                   IsrOffset;      // (c)
    ULONG                   DeviceOffset;   // (c)
    BOOLEAN                 ResourceMessageBased; // (c)
    ULONG                   ResourceMessages;     // (c)

    // What was negotiated.
    ULONG64                 Features;       // (c)
    ULONG                   HdrLen;         // (c) 12, or 20 with VIRTIO_NET_F_HASH_REPORT
    ULONG                   MaxPairs;       // (c) the device's max_virtqueue_pairs
    ULONG                   NumPairs;       // (c) pairs in use

    // Interrupts.
    VIONET_INTERRUPT_MODE   InterruptMode;  // (c)
    PIO_INTERRUPT_MESSAGE_INFO MessageInfoTable; // (c)
    ULONG                   MessageCount;   // (c)
    ULONG                   MessageService[VIONET_MAX_MESSAGES]; // (c) queues (bit q) + config
    volatile LONG           PendingIsr;     // (a) line: ISR status bits saved by the ISR
    volatile LONG           InterruptReady; // (a)

    // Queues: receiveq p is virtqueue 2p, transmitq p is 2p + 1.
    VIONET_RX_QUEUE         RxQueue[VIONET_MAX_PAIRS];
    VIONET_TX_QUEUE         TxQueue[VIONET_MAX_PAIRS];
    VIONET_QUEUE            CtrlQueue;
    PUCHAR                  CtrlBuffer;     // (c) command + ack, shared memory
    NDIS_PHYSICAL_ADDRESS   CtrlBufferLogical; // (c)

    BOOLEAN                 LockAllocated;  // (c)
    NDIS_SPIN_LOCK          Lock;
    VIONET_ADAPTER_STATE    State;          // (A)
    volatile LONG           RxOutstanding;  // (a)
    volatile LONG           TxOutstanding;  // (a)

    // Link, from the status field of the device configuration.
    BOOLEAN                 LinkUp;         // (A)

    // Configuration set through OIDs.
    UCHAR                   PermanentAddress[VIONET_MAC_ADDRESS_LENGTH];
    UCHAR                   CurrentAddress[VIONET_MAC_ADDRESS_LENGTH];
    ULONG                   PacketFilter;
    ULONG                   LookAhead;
    ULONG                   MulticastListCount;
    UCHAR                   MulticastList[VIONET_MAX_MULTICAST_LIST][VIONET_MAC_ADDRESS_LENGTH];
    BOOLEAN                 InterruptModeration;
    BOOLEAN                 RssAvailable;   // (c) RSS negotiated and several pairs
    BOOLEAN                 RssEnabled;     // (OID)
    ULONG                   RssHashInformation; // (OID)
    NDIS_RECEIVE_SCALE_CAPABILITIES RssCapabilities; // (c)

    NDIS_PM_CAPABILITIES    PmCapabilities; // (c)

    // Event counters (a).
    volatile LONG           LinkChangeEvents;
    volatile LONG           ConfigInterrupts;
    volatile LONG           DeviceErrors;
    volatile LONG           SpuriousInterrupts;

    BOOLEAN                 SurpriseRemoved;

    // Lost-interrupt watchdog (miniport.c): a periodic timer that queues
    // the DPC of a message whose queue has had used buffers and no DPC for
    // a period (message modes only).
    NDIS_HANDLE             WatchdogTimer;  // (c) NDIS timer object, or NULL
    ULONG                   WatchUsed[2 * VIONET_MAX_PAIRS]; // (W) 1 + LastUsed seen pending
    volatile LONG           WatchdogStopping;  // (a) set by halt: do nothing more
    volatile LONG           WatchdogActive;    // (a) runs inside the timer function
    volatile LONG           DpcsRequeuedByWatchdog; // (a)
};

//
// Register access: the BAR mapping is only touched through
// NdisRead/WriteRegisterXxx, each field at its natural width.
//
static __inline UCHAR
VioNetRead8(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Offset)
{
    UCHAR value;

    NdisReadRegisterUchar((PUCHAR)(Adapter->RegisterBase + Offset), &value);
    return value;
}

static __inline USHORT
VioNetRead16(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Offset)
{
    USHORT value;

    NdisReadRegisterUshort((PUSHORT)(Adapter->RegisterBase + Offset), &value);
    return value;
}

static __inline ULONG
VioNetRead32(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Offset)
{
    ULONG value;

    NdisReadRegisterUlong((PULONG)(Adapter->RegisterBase + Offset), &value);
    return value;
}

static __inline VOID
VioNetWrite8(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Offset, _In_ UCHAR Value)
{
    NdisWriteRegisterUchar((PUCHAR)(Adapter->RegisterBase + Offset), Value);
}

static __inline VOID
VioNetWrite16(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Offset, _In_ USHORT Value)
{
    NdisWriteRegisterUshort((PUSHORT)(Adapter->RegisterBase + Offset), Value);
}

static __inline VOID
VioNetWrite32(_In_ PVIONET_ADAPTER Adapter, _In_ ULONG Offset, _In_ ULONG Value)
{
    NdisWriteRegisterUlong((PULONG)(Adapter->RegisterBase + Offset), Value);
}

#define VioNetCommon(Adapter, Field)    ((Adapter)->CommonOffset + (Field))

//
// NDIS entry points (role-type declarations).
//
DRIVER_INITIALIZE DriverEntry;
MINIPORT_INITIALIZE VioNetInitializeEx;
MINIPORT_HALT VioNetHaltEx;
MINIPORT_UNLOAD VioNetUnload;
MINIPORT_PAUSE VioNetPause;
MINIPORT_RESTART VioNetRestart;
MINIPORT_OID_REQUEST VioNetOidRequest;
MINIPORT_CANCEL_OID_REQUEST VioNetCancelOidRequest;
MINIPORT_SEND_NET_BUFFER_LISTS VioNetSendNetBufferLists;
MINIPORT_CANCEL_SEND VioNetCancelSend;
MINIPORT_RETURN_NET_BUFFER_LISTS VioNetReturnNetBufferLists;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY VioNetDevicePnPEventNotify;
MINIPORT_SHUTDOWN VioNetShutdownEx;
MINIPORT_RESET VioNetResetEx;
MINIPORT_PROCESS_SG_LIST VioNetProcessSGList;

MINIPORT_ISR VioNetInterrupt;
MINIPORT_INTERRUPT_DPC VioNetInterruptDpc;
MINIPORT_ENABLE_INTERRUPT VioNetEnableInterrupt;
MINIPORT_DISABLE_INTERRUPT VioNetDisableInterrupt;
MINIPORT_MESSAGE_INTERRUPT VioNetMessageInterrupt;
MINIPORT_MESSAGE_INTERRUPT_DPC VioNetMessageInterruptDpc;
MINIPORT_ENABLE_MESSAGE_INTERRUPT VioNetEnableMessageInterrupt;
MINIPORT_DISABLE_MESSAGE_INTERRUPT VioNetDisableMessageInterrupt;
MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT VioNetSynchronizeSetTarget;

//
// virtqueue.c
//
_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS
VioNetAllocateQueue(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_QUEUE Queue,
    _In_ USHORT Index,
    _In_ USHORT Size
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
VioNetFreeQueue(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_QUEUE Queue
    );

_IRQL_requires_(PASSIVE_LEVEL)
BOOLEAN
VioNetActivateQueue(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_QUEUE Queue,
    _In_ USHORT Vector
    );

VOID
VioNetQueueAdd(
    _In_ PVIONET_QUEUE Queue,
    _In_ USHORT Head
    );

VOID
VioNetQueueKick(
    _In_ PVIONET_QUEUE Queue
    );

BOOLEAN
VioNetQueueHasUsed(
    _In_ PVIONET_QUEUE Queue
    );

BOOLEAN
VioNetQueueGetUsed(
    _In_ PVIONET_QUEUE Queue,
    _Out_ PUSHORT Id,
    _Out_ PULONG Length
    );

VOID
VioNetQueueDisableInterrupts(
    _In_ PVIONET_QUEUE Queue
    );

BOOLEAN
VioNetQueueEnableInterrupts(
    _In_ PVIONET_QUEUE Queue
    );

//
// receive.c / send.c
//
_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS
VioNetAllocateRxQueue(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_RX_QUEUE Queue,
    _In_ USHORT Index,
    _In_ USHORT Size
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
VioNetFreeRxQueue(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_RX_QUEUE Queue
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
VioNetStartRxQueue(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_RX_QUEUE Queue
    );

_IRQL_requires_(DISPATCH_LEVEL)
BOOLEAN
VioNetReceiveQueueDpc(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_RX_QUEUE Queue,
    _Inout_ PULONG Budget
    );

_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS
VioNetAllocateTxQueue(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_TX_QUEUE Queue,
    _In_ USHORT Index,
    _In_ USHORT Size
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
VioNetFreeTxQueue(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_TX_QUEUE Queue
    );

_IRQL_requires_(DISPATCH_LEVEL)
VOID
VioNetTransmitCompleteDpc(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_TX_QUEUE Queue
    );

//
// interrupt.c
//
_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS
VioNetRegisterInterrupt(
    _In_ PVIONET_ADAPTER Adapter
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
BOOLEAN
VioNetReadLinkUp(
    _In_ PVIONET_ADAPTER Adapter
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
VioNetFillLinkState(
    _In_ PVIONET_ADAPTER Adapter,
    _Out_ PNDIS_LINK_STATE LinkState
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
VioNetSetQueueTarget(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ PVIONET_RX_QUEUE Queue,
    _In_ ULONG ProcessorIndex,
    _In_opt_ PPROCESSOR_NUMBER ProcessorNumber
    );

//
// miniport.c / oid.c
//
_IRQL_requires_(PASSIVE_LEVEL)
BOOLEAN
VioNetControlCommand(
    _In_ PVIONET_ADAPTER Adapter,
    _In_ ULONG Length
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
VioNetTryCompletePause(
    _In_ PVIONET_ADAPTER Adapter
    );

extern NDIS_OID VioNetSupportedOids[];
extern ULONG VioNetSupportedOidsLength;

#endif // _VIRTIO_NET_H_
