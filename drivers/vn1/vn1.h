/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    vn1.h

Abstract:

    Shared definitions of the VN-1 sample miniport: the adapter context,
    the per-queue state, tunables and the role-type declarations of every
    entry point NDIS calls.

    Lock key used on the fields below:
        (A) Adapter->Lock            (adapter state, pause bookkeeping)
        (R) RxQueue->Lock            (one receive ring)
        (T) TxQueue->Lock            (the transmit ring)
        (I) interrupt lock: written only inside a MINIPORT_SYNCHRONIZE_*
            routine, read by the ISR
        (a) interlocked operations only
        (c) constant after MiniportInitializeEx returns

    Lock order: Adapter->Lock is never held while a queue lock is taken,
    and no spin lock is held across an NdisXxx call that can call back
    into the driver.

--*/

#ifndef _VN1_H_
#define _VN1_H_

#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1

#include <ndis.h>

#include "hardware.h"

//
// Driver identity.
//
#define VN1_MAJOR_DRIVER_VERSION        1
#define VN1_MINOR_DRIVER_VERSION        0
#define VN1_VENDOR_DRIVER_VERSION       ((VN1_MAJOR_DRIVER_VERSION << 16) | VN1_MINOR_DRIVER_VERSION)
#define VN1_VENDOR_DESCRIPTION          "VN-1 virtual Ethernet adapter (ndisrt sample)"
#define VN1_POOL_TAG                    ((ULONG)0x314E5656)  // 'VVN1' in a pool dump

//
// Ethernet sizes.
//
#define VN1_ETH_HEADER_SIZE             14
#define VN1_MTU_SIZE                    1500
#define VN1_MAX_FRAME_SIZE              (VN1_MTU_SIZE + VN1_ETH_HEADER_SIZE)
#define VN1_MAX_MULTICAST_LIST          32

//
// Rings. Sizes are powers of two; the receive buffer size is the device's
// reset default for RBUFSZ, which holds any 1514-byte frame.
//
#define VN1_RX_RING_SIZE                256
#define VN1_RX_BUFFER_SIZE              VN1_RBUFSZ_DEFAULT
#define VN1_RX_BUFFERS_PER_QUEUE        VN1_RX_RING_SIZE
#define VN1_TX_RING_SIZE                256
#define VN1_TX_BUFFER_SIZE              2048

//
// When fewer than this many buffers remain posted to a receive ring, the
// DPC indicates with NDIS_RECEIVE_FLAGS_RESOURCES so that the buffers come
// straight back instead of waiting on the protocols.
//
#define VN1_RX_LOW_WATER                (VN1_RX_RING_SIZE / 8)

//
// The driver's own bound on NBLs indicated per receive DPC when NDIS passes
// NDIS_INDICATE_ALL_NBLS (receive side throttling leaves the limit to us).
//
#define VN1_RX_DPC_LIMIT                128

//
// Interrupt moderation interval written to ITR when moderation is enabled:
// by default, unless the keyword *InterruptModeration is 0, and through
// OID_GEN_INTERRUPT_MODERATION.
//
#define VN1_ITR_MODERATION_US           50

//
// Causes, per message: the TX queue in use, link change, receive overrun
// and DMA error all share the "other" message.
//
#define VN1_TX_QUEUE_INDEX              0
#define VN1_ICR_OTHER                   (VN1_ICR_TXQ(VN1_TX_QUEUE_INDEX) | \
                                         VN1_ICR_LSC | VN1_ICR_RXO | VN1_ICR_ERR)

#define VN1_NO_TARGET_PROCESSOR         ((ULONG)0xFFFFFFFF)

//
// Line and MSI modes: one receive queue per processor, serviced by a
// multi-DPC batch (interrupt.c). The planted bugs P1 and P5 live on the
// single-DPC line path and keep it: one queue, the ISR's default DPC.
//
#if !defined(VN1_RACY_P1) && !defined(VN1_RACY_P5)
#define VN1_DPC_BATCH                   1
#endif
#define VN1_BATCH_PROCESSORS            64      // bits of a KAFFINITY

typedef struct _VN1_ADAPTER VN1_ADAPTER, *PVN1_ADAPTER;

typedef enum _VN1_ADAPTER_STATE {
    Vn1AdapterPaused = 0,       // after MiniportInitializeEx and MiniportPause
    Vn1AdapterPausing,          // MiniportPause returned NDIS_STATUS_PENDING
    Vn1AdapterRunning           // after MiniportRestart
} VN1_ADAPTER_STATE;

//
// One receive buffer: a slice of the queue's shared-memory buffer area,
// described by an MDL and wrapped in a preallocated NET_BUFFER_LIST. The
// NBL's MiniportReserved[0] points back here.
//
typedef struct _VN1_RX_BUFFER {
    struct _VN1_RX_BUFFER  *Next;           // (R) free list
    struct _VN1_RX_QUEUE   *Queue;          // (c)
    PNET_BUFFER_LIST        Nbl;            // (c)
    PMDL                    Mdl;            // (c)
    PUCHAR                  VirtualAddress; // (c)
    NDIS_PHYSICAL_ADDRESS   LogicalAddress; // (c)
} VN1_RX_BUFFER, *PVN1_RX_BUFFER;

typedef struct _VN1_RX_QUEUE {
    PVN1_ADAPTER            Adapter;        // (c)
    ULONG                   QueueIndex;     // (c)
    ULONG                   MessageId;      // (c) MSI-X message of this queue
    BOOLEAN                 LockAllocated;  // (c)
    NDIS_SPIN_LOCK          Lock;

    // Shared memory: the descriptor ring and the buffer area.
    PVN1_RX_DESC            Ring;           // (c)
    NDIS_PHYSICAL_ADDRESS   RingLogical;    // (c)
    ULONG                   RingBytes;      // (c)
    PUCHAR                  BufferArea;     // (c)
    NDIS_PHYSICAL_ADDRESS   BufferAreaLogical; // (c)
    ULONG                   BufferAreaBytes;   // (c)

    PVN1_RX_BUFFER          Buffers;        // (c) array of VN1_RX_BUFFERS_PER_QUEUE
    ULONG                   BuffersAllocated; // (c) how many have an MDL and NBL
    PVN1_RX_BUFFER          SlotBuffer[VN1_RX_RING_SIZE]; // (R) buffer posted in each slot
    PVN1_RX_BUFFER          FreeList;       // (R) buffers owned by the driver, not posted

    ULONG                   NextToClean;    // (R) next slot the device completes
    ULONG                   Tail;           // (R) value last written to RDT
    ULONG                   Posted;         // (R) slots owned by the device

    // DPC placement, from the RSS indirection table.
    ULONG                   TargetProcessorIndex; // (I) VN1_NO_TARGET_PROCESSOR: ISR's CPU
    GROUP_AFFINITY          TargetAffinity;       // (I)

    // Statistics, (R).
    ULONG64                 FramesIndicated;
    ULONG64                 BytesIndicated;
    ULONG64                 FramesDroppedPaused;
    ULONG64                 FramesBad;
    ULONG64                 LowResourceIndications;
} VN1_RX_QUEUE, *PVN1_RX_QUEUE;

typedef enum _VN1_TX_SLOT_STATE {
    Vn1TxSlotFree = 0,          // owned by nobody
    Vn1TxSlotReserved,          // a sender is filling it
    Vn1TxSlotReady,             // filled, not yet handed to the device
    Vn1TxSlotInHardware         // behind TDT
} VN1_TX_SLOT_STATE;

typedef struct _VN1_TX_QUEUE {
    BOOLEAN                 LockAllocated;  // (c)
    NDIS_SPIN_LOCK          Lock;

    PVN1_TX_DESC            Ring;           // (c)
    NDIS_PHYSICAL_ADDRESS   RingLogical;    // (c)
    ULONG                   RingBytes;      // (c)
    PUCHAR                  BufferArea;     // (c) VN1_TX_BUFFER_SIZE per slot
    NDIS_PHYSICAL_ADDRESS   BufferAreaLogical; // (c)
    ULONG                   BufferAreaBytes;   // (c)

    PNET_BUFFER_LIST        SlotNbl[VN1_TX_RING_SIZE];   // (T) set on an NBL's last slot
    UCHAR                   SlotState[VN1_TX_RING_SIZE]; // (T) VN1_TX_SLOT_STATE

    ULONG                   Reserve;        // (T) next slot handed to a sender
    ULONG                   Tail;           // (T) value last written to TDT
    ULONG                   NextToClean;    // (T) next slot the device completes
    ULONG                   InUse;          // (T) slots not free

    ULONG64                 FramesSent;     // (T)
    ULONG64                 BytesSent;      // (T)
    ULONG64                 SendsFailed;    // (T)
#ifdef VN1_RACY_LOCK_ORDER
    ULONG64                 SendsAdmittedUnderAdapterLock; // (T) drivers/racy
#endif
} VN1_TX_QUEUE, *PVN1_TX_QUEUE;

//
// Context passed to the MINIPORT_SYNCHRONIZE_* routines, which run at the
// DIRQL of the interrupt (or message) and so are serialized with the ISR.
//
typedef struct _VN1_SYNC_CONTEXT {
    PVN1_ADAPTER            Adapter;
    ULONG                   DisableCauses;  // written to IMC first
    ULONG                   EnableCauses;   // then to IMS (re-arms pending causes)
    ULONG                   RaiseCauses;    // then to ICS (software interrupt)
    BOOLEAN                 NotDuringBatch; // do nothing if a DPC batch is in progress
#ifdef VN1_RACY_XMSG
    BOOLEAN                 TakeRxMessageEvents; // drivers/racy: XMSG
#endif
} VN1_SYNC_CONTEXT, *PVN1_SYNC_CONTEXT;

typedef struct _VN1_TARGET_CONTEXT {
    PVN1_RX_QUEUE           Queue;
    ULONG                   ProcessorIndex;
    GROUP_AFFINITY          Affinity;
} VN1_TARGET_CONTEXT, *PVN1_TARGET_CONTEXT;

struct _VN1_ADAPTER {
    NDIS_HANDLE             AdapterHandle;  // (c) MiniportAdapterHandle
    NDIS_HANDLE             InterruptHandle;// (c) from NdisMRegisterInterruptEx
    NDIS_HANDLE             DmaHandle;      // (c) from NdisMRegisterScatterGatherDma
    NDIS_HANDLE             NblPool;        // (c)

    // Resources (§1).
    NDIS_PHYSICAL_ADDRESS   Bar0Address;    // (c)
    ULONG                   Bar0Length;     // (c)
    PUCHAR                  RegisterBase;   // (c) NdisMMapIoSpace; NdisRead/WriteRegisterUlong only
    ULONG                   PortBase;       // (c) BAR1, not claimed by this driver
    ULONG                   PortLength;     // (c)
    BOOLEAN                 ResourceMessageBased; // (c) interrupt resource is MSI/MSI-X
    ULONG                   ResourceMessages;     // (c) messages the resources offer

    // Interrupts.
    NDIS_INTERRUPT_TYPE     InterruptType;  // (c) what NDIS granted
    PIO_INTERRUPT_MESSAGE_INFO MessageInfoTable; // (c) NDIS-owned, read-only
    ULONG                   MessageCount;   // (c) 1 for line-based
    ULONG                   InterruptMode;  // (c) VN1_IMODE_*
    ULONG                   OtherMessageId; // (c) message of VN1_ICR_OTHER (MSI-X)
    ULONG                   EnabledCauses;  // (c) every cause the driver services
    volatile LONG           PendingCauses;  // (a) line-based: ICR bits saved by the ISR
    volatile LONG           InterruptReady; // (a) set once the device is programmed

    // The interrupt DPC batch of the line and MSI modes (interrupt.c): the
    // DPCs the ISRs queued that have not finished yet, and the receive
    // causes the last of them raises with ICS as it unmasks.
    volatile LONG           BatchDpcs;      // (a)
    volatile LONG           BatchWork[VN1_BATCH_PROCESSORS]; // (a) work handed to each processor
    volatile LONG           BatchActive[VN1_BATCH_PROCESSORS]; // (a) its batch DPC is running
    volatile LONG           BatchRaise;     // (a)
    volatile LONG           Batches;        // (a) batches started
    volatile LONG           BatchDpcsRefused; // (a) requested, already queued

    // Queues.
    ULONG                   RxQueuesAllocated; // (c) rings with memory
    ULONG                   NumRxQueues;    // (c) rings in use (<= allocated)
    VN1_RX_QUEUE            RxQueue[VN1_MAX_RX_QUEUES];
    VN1_TX_QUEUE            TxQueue;

    // Data-path state and pause bookkeeping.
    BOOLEAN                 LockAllocated;  // (c)
    NDIS_SPIN_LOCK          Lock;
    VN1_ADAPTER_STATE       State;          // (A)
    volatile LONG           RxOutstanding;  // (a) NBLs NDIS has not returned yet
    volatile LONG           TxOutstanding;  // (a) send NBLs not completed yet
#ifdef VN1_RACY_LOCK_ORDER
    ULONG64                 TxCompletionsUnderTxLock; // (L) drivers/racy
#endif
#ifdef VN1_RACY_DEADLOCK
    volatile LONG           RacyHoldingAdapterLock; // (a) drivers/racy: rendezvous
    volatile LONG           RacyHoldingTxLock;      // (a)
    volatile LONG           RacyRendezvous;         // (a) attempts left
#endif
#ifdef VN1_RACY_XMSG
    ULONG                   RxMessageEvents;      // drivers/racy: XMSG, see interrupt.c
    ULONG64                 RxMessageEventsTaken; // drivers/racy: XMSG
#endif

    // Link (§6), updated by the DPC that services LSC.
    BOOLEAN                 LinkUp;         // (A)
    ULONG64                 LinkSpeed;      // (A) bits per second
    NDIS_MEDIA_DUPLEX_STATE DuplexState;    // (A)

    // Configuration set through OIDs (PASSIVE_LEVEL, serialized by NDIS).
    UCHAR                   PermanentAddress[VN1_MAC_ADDRESS_LENGTH];
    UCHAR                   CurrentAddress[VN1_MAC_ADDRESS_LENGTH];
    ULONG                   PacketFilter;
    ULONG                   LookAhead;
    ULONG                   MulticastListCount;
    UCHAR                   MulticastList[VN1_MAX_MULTICAST_LIST][VN1_MAC_ADDRESS_LENGTH];
    ULONG                   InterruptModerationUs;
    BOOLEAN                 RssEnabled;
    ULONG                   RssHashInformation;

    // Capabilities reported in the general attributes (c).
    NDIS_RECEIVE_SCALE_CAPABILITIES RssCapabilities;
    NDIS_PM_CAPABILITIES    PmCapabilities;

    // Event counters (a).
    volatile LONG           LinkChangeEvents;
    volatile LONG           RxOverrunEvents;
    volatile LONG           DmaErrorEvents;
    volatile LONG           OtherInterrupts;

    BOOLEAN                 SurpriseRemoved;

    // Lost-interrupt watchdog (miniport.c): a periodic timer that re-arms a
    // message whose ring has had completed work and no DPC for a period.
    NDIS_HANDLE             WatchdogTimer;  // (c) NDIS timer object, or NULL
    ULONG                   RxWatchSlot[VN1_MAX_RX_QUEUES]; // (W) 1 + slot seen done, 0: none
    ULONG                   TxWatchSlot;    // (W) likewise for the transmit ring
    volatile LONG           InterruptsRearmed; // (a) re-arms the watchdog made
    volatile LONG           WatchdogStopping;  // (a) set by halt: do nothing more
    volatile LONG           WatchdogActive;    // (a) runs inside the timer function
};

//
// Register access. BAR0 is only touched through NdisRead/WriteRegisterUlong:
// the mapping must never be dereferenced directly.
//
static __inline
ULONG
Vn1ReadRegister(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG Offset
    )
{
    ULONG value;

    NdisReadRegisterUlong((PULONG)(Adapter->RegisterBase + Offset), &value);
    return value;
}

static __inline
VOID
Vn1WriteRegister(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG Offset,
    _In_ ULONG Value
    )
{
    NdisWriteRegisterUlong((PULONG)(Adapter->RegisterBase + Offset), Value);
}

//
// NDIS entry points (role-type declarations).
//
DRIVER_INITIALIZE DriverEntry;
MINIPORT_INITIALIZE Vn1InitializeEx;
MINIPORT_HALT Vn1HaltEx;
MINIPORT_UNLOAD Vn1Unload;
MINIPORT_PAUSE Vn1Pause;
MINIPORT_RESTART Vn1Restart;
MINIPORT_OID_REQUEST Vn1OidRequest;
MINIPORT_CANCEL_OID_REQUEST Vn1CancelOidRequest;
MINIPORT_SEND_NET_BUFFER_LISTS Vn1SendNetBufferLists;
MINIPORT_CANCEL_SEND Vn1CancelSend;
MINIPORT_RETURN_NET_BUFFER_LISTS Vn1ReturnNetBufferLists;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY Vn1DevicePnPEventNotify;
MINIPORT_SHUTDOWN Vn1ShutdownEx;
MINIPORT_RESET Vn1ResetEx;
MINIPORT_PROCESS_SG_LIST Vn1ProcessSGList;

MINIPORT_ISR Vn1Interrupt;
MINIPORT_INTERRUPT_DPC Vn1InterruptDpc;
MINIPORT_ENABLE_INTERRUPT Vn1EnableInterrupt;
MINIPORT_DISABLE_INTERRUPT Vn1DisableInterrupt;
MINIPORT_MESSAGE_INTERRUPT Vn1MessageInterrupt;
MINIPORT_MESSAGE_INTERRUPT_DPC Vn1MessageInterruptDpc;
MINIPORT_ENABLE_MESSAGE_INTERRUPT Vn1EnableMessageInterrupt;
MINIPORT_DISABLE_MESSAGE_INTERRUPT Vn1DisableMessageInterrupt;
MINIPORT_SYNCHRONIZE_INTERRUPT Vn1SynchronizeInterrupt;
MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT Vn1SynchronizeMessageInterrupt;
MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT Vn1SynchronizeSetTarget;
MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT Vn1SynchronizeBatchEnd;
NDIS_TIMER_FUNCTION Vn1WatchdogTimer;

//
// interrupt.c
//
_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS
Vn1RegisterInterrupt(
    _In_ PVN1_ADAPTER Adapter
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
Vn1ProgramInterrupts(
    _In_ PVN1_ADAPTER Adapter
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
Vn1EnableAllInterrupts(
    _In_ PVN1_ADAPTER Adapter
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
Vn1DisableAllInterrupts(
    _In_ PVN1_ADAPTER Adapter
    );

ULONG
Vn1MessageCauses(
    _In_ PVN1_ADAPTER Adapter,
    _In_ ULONG MessageId
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
Vn1SetQueueTarget(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PVN1_RX_QUEUE Queue,
    _In_ ULONG ProcessorIndex,
    _In_opt_ PPROCESSOR_NUMBER ProcessorNumber
    );

_IRQL_requires_(DISPATCH_LEVEL)
VOID
Vn1CheckLinkState(
    _In_ PVN1_ADAPTER Adapter
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
Vn1ReadLinkState(
    _In_ PVN1_ADAPTER Adapter,
    _Out_ PNDIS_LINK_STATE LinkState
    );

//
// receive.c
//
_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS
Vn1AllocateRxQueue(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PVN1_RX_QUEUE Queue
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
Vn1FreeRxQueue(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PVN1_RX_QUEUE Queue
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
Vn1StartRxQueue(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PVN1_RX_QUEUE Queue
    );

_IRQL_requires_(DISPATCH_LEVEL)
BOOLEAN
Vn1ReceiveQueueDpc(
    _In_ PVN1_ADAPTER Adapter,
    _In_ PVN1_RX_QUEUE Queue,
    _Inout_ PULONG Budget
    );

//
// send.c
//
_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS
Vn1AllocateTxQueue(
    _In_ PVN1_ADAPTER Adapter
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
Vn1FreeTxQueue(
    _In_ PVN1_ADAPTER Adapter
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
Vn1StartTxQueue(
    _In_ PVN1_ADAPTER Adapter
    );

_IRQL_requires_(DISPATCH_LEVEL)
VOID
Vn1TransmitCompleteDpc(
    _In_ PVN1_ADAPTER Adapter
    );

//
// miniport.c
//
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
Vn1TryCompletePause(
    _In_ PVN1_ADAPTER Adapter
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
Vn1ApplyPacketFilter(
    _In_ PVN1_ADAPTER Adapter
    );

//
// oid.c
//
_IRQL_requires_(PASSIVE_LEVEL)
VOID
Vn1FillRssCapabilities(
    _In_ PVN1_ADAPTER Adapter
    );

extern NDIS_OID Vn1SupportedOids[];
extern ULONG Vn1SupportedOidsLength;

#endif // _VN1_H_
