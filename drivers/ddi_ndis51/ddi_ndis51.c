/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    ddi_ndis51.c

Abstract:

    A deserialized NDIS 5.1 bus-master miniport for the Intel 82540EM,
    written from Microsoft's NDIS 5.1 reference and the controller's
    documentation (docs/devices/e1000.md, Intel's 8254x SDM) to exercise
    the DDI a production NDIS 5.1 driver uses: configuration, resources and
    PCI identity, scatter/gather DMA with per-packet SG lists, shared
    memory, packet and buffer pools, a lookaside list, a periodic timer, a
    work item and an event, reset and check-for-hang, the error log, list
    routines and interlocked counters. README.md says which DDI does what.

    One source file; builds with the README's one cc line.

--*/

#define NDIS_MINIPORT_DRIVER 1
#define NDIS51_MINIPORT      1

#include <ndis.h>

//
// ------------------------------------------------------------ hardware
//
// Register offsets and bits of the 82540EM (SDM chapter 13).
//

#define REG_CTRL     0x0000
#define REG_STATUS   0x0008
#define REG_EERD     0x0014
#define REG_MDIC     0x0020
#define REG_ICR      0x00C0
#define REG_ITR      0x00C4
#define REG_IMS      0x00D0
#define REG_IMC      0x00D8
#define REG_RCTL     0x0100
#define REG_TCTL     0x0400
#define REG_RDBAL    0x2800
#define REG_RDBAH    0x2804
#define REG_RDLEN    0x2808
#define REG_RDH      0x2810
#define REG_RDT      0x2818
#define REG_RDTR     0x2820
#define REG_TDBAL    0x3800
#define REG_TDBAH    0x3804
#define REG_TDLEN    0x3808
#define REG_TDH      0x3810
#define REG_TDT      0x3818
#define REG_MPC      0x4010
#define REG_GPRC     0x4074
#define REG_GPTC     0x4080
#define REG_RNBC     0x40A0
#define REG_MTA      0x5200
#define REG_RAL0     0x5400
#define REG_RAH0     0x5404

#define CTRL_SLU        (1u << 6)
#define CTRL_RST        (1u << 26)
#define STATUS_FD       (1u << 0)
#define STATUS_LU       (1u << 1)
#define STATUS_SPEED(s) (((s) >> 6) & 3u)
#define EERD_START      (1u << 0)
#define EERD_DONE       (1u << 4)
#define MDIC_READ       (2u << 26)
#define MDIC_READY      (1u << 28)
#define MDIC_ERROR      (1u << 30)
#define ICR_TXDW        (1u << 0)
#define ICR_LSC         (1u << 2)
#define ICR_RXDMT0      (1u << 4)
#define ICR_RXO         (1u << 6)
#define ICR_RXT0        (1u << 7)
#define RCTL_EN         (1u << 1)
#define RCTL_UPE        (1u << 3)
#define RCTL_MPE        (1u << 4)
#define RCTL_BAM        (1u << 15)
#define RCTL_SECRC      (1u << 26)
#define TCTL_EN         (1u << 1)
#define TCTL_PSP        (1u << 3)
#define RAH_AV          (1u << 31)
#define RXD_DD          0x01
#define RXD_EOP         0x02
#define TXD_EOP         0x01
#define TXD_IFCS        0x02
#define TXD_RS          0x08
#define TXD_DD          0x01

#define PHY_ADDRESS     1
#define PHY_ID1         2
#define EEPROM_WORDS    64
#define EEPROM_SUM      0xBABA
#define PCI_VENDOR_INTEL 0x8086
#define PCI_DEVICE_82540EM 0x100E

#pragma pack(push, 1)
typedef struct _RX_DESC {
    ULONGLONG Address;
    USHORT    Length;
    USHORT    Checksum;
    UCHAR     Status;
    UCHAR     Errors;
    USHORT    Special;
} RX_DESC, *PRX_DESC;

typedef struct _TX_DESC {
    ULONGLONG Address;
    USHORT    Length;
    UCHAR     Cso;
    UCHAR     Command;
    UCHAR     Status;
    UCHAR     Css;
    USHORT    Special;
} TX_DESC, *PTX_DESC;
#pragma pack(pop)

C_ASSERT(sizeof(RX_DESC) == 16);
C_ASSERT(sizeof(TX_DESC) == 16);

//
// ------------------------------------------------------------- adapter
//

#define DDI_TAG            0x31354444 // 'DD51'
#define RX_RING            256        // descriptors (RDLEN a multiple of 128 bytes)
#define TX_RING            256
#define RX_BUFFER_SIZE     2048       // RCTL.BSIZE 00b
#define RX_BUFFERS_DEFAULT 512        // more buffers than descriptors: the stack may hold some
#define RX_BUFFERS_MIN     (RX_RING + 16)
#define RX_BUFFERS_MAX     1024
#define RX_LOW_WATER       16         // fewer free than this: indicate with NDIS_STATUS_RESOURCES
#define MAX_LOOKAHEAD      1500
#define MAX_FRAME          1514
#define MAX_MULTICAST      32
#define HANG_SECONDS       2
#define STATS_PERIOD_MS    1000
#define INDICATE_BATCH     32

typedef struct _RX_BUFFER {
    PNDIS_PACKET          Packet;
    PNDIS_BUFFER          Buffer;
    PUCHAR                Va;
    NDIS_PHYSICAL_ADDRESS Pa;
    SINGLE_LIST_ENTRY     Link;       // on the free list
} RX_BUFFER, *PRX_BUFFER;

//
// One packet on the transmit ring: taken from a lookaside list at send,
// given back at completion.
//
typedef struct _TCB {
    PNDIS_PACKET Packet;
    ULONG        Descriptors;
} TCB, *PTCB;

#define PACKET_LINK(_P)  ((PLIST_ENTRY)(_P)->MiniportReserved)
#define PACKET_OF(_L)    CONTAINING_RECORD((PUCHAR)(_L), NDIS_PACKET, MiniportReserved)
#define RX_OF_PACKET(_P) (*(PRX_BUFFER *)(PVOID)(_P)->MiniportReservedEx)

typedef struct _ADAPTER {
    NDIS_HANDLE          Handle;
    PUCHAR               Registers;
    ULONG                RegistersLength;
    NDIS_PHYSICAL_ADDRESS RegistersPa;
    NDIS_MINIPORT_INTERRUPT Interrupt;
    BOOLEAN              InterruptRegistered;
    ULONG                InterruptVector;
    ULONG                InterruptLevel;

    // configuration
    ULONG                RxBufferCount;
    BOOLEAN              Moderation;
    UCHAR                PermanentAddress[6];
    UCHAR                CurrentAddress[6];

    // interrupt: causes read by the ISR for the DPC
    LONG                 PendingCauses;
    ULONG                EnabledCauses;   // what IMS enables now (ICR latches masked causes too)

    // receive (RxLock, DISPATCH_LEVEL)
    NDIS_SPIN_LOCK       RxLock;
    PRX_DESC             RxRing;
    NDIS_PHYSICAL_ADDRESS RxRingPa;
    ULONG                RxNext;      // next descriptor the device writes back
    ULONG                RxTail;      // next descriptor to give the device
    ULONG                RxPosted;    // descriptors the device owns
    PRX_BUFFER           RxOnRing[RX_RING];
    SINGLE_LIST_ENTRY    RxFree;
    LONG                 RxFreeCount;
    LONG                 RxIndicated; // with the stack, not returned yet
    RX_BUFFER           *RxBuffers;
    PUCHAR               RxMemory;
    NDIS_PHYSICAL_ADDRESS RxMemoryPa;
    NDIS_HANDLE          PacketPool;
    NDIS_HANDLE          BufferPool;

    // transmit (TxLock)
    NDIS_SPIN_LOCK       TxLock;
    PTX_DESC             TxRing;
    NDIS_PHYSICAL_ADDRESS TxRingPa;
    ULONG                TxNext;      // next free descriptor
    ULONG                TxClean;     // oldest descriptor not completed
    ULONG                TxInUse;
    PTCB                 TxTcb[TX_RING]; // at a packet's last descriptor
    LIST_ENTRY           TxWaiting;   // packets for which the ring had no room
    NPAGED_LOOKASIDE_LIST TcbLookaside;
    ULONG                TxLastClean; // check-for-hang: TxClean at the last check
    ULONG                HangChecks;

    // filter and multicast
    ULONG                PacketFilter;
    ULONG                MulticastCount;
    UCHAR                Multicast[MAX_MULTICAST][6];

    // link: a work item reads it at PASSIVE_LEVEL
    NDIS_WORK_ITEM       LinkWork;
    LONG                 LinkWorkQueued;
    NDIS_EVENT           LinkWorkIdle;
    BOOLEAN              LinkUp;
    ULONG                LinkSpeed100bps;

    // statistics: the device's clear-on-read counters, added up by the timer
    NDIS_MINIPORT_TIMER  StatsTimer;
    NDIS_SPIN_LOCK       StatsLock;
    LARGE_INTEGER        GoodReceives;
    LARGE_INTEGER        GoodTransmits;
    LARGE_INTEGER        Missed;
    LARGE_INTEGER        NoBuffer;
    LONG                 TxOk;
    LONG                 RxOk;
    LONG                 Resets;
    BOOLEAN              Halting;
} ADAPTER, *PADAPTER;

static NDIS_HANDLE WrapperHandle;

static ULONG RegRead(PADAPTER A, ULONG Offset)
{
    ULONG v;
    NdisReadRegisterUlong((PULONG)(A->Registers + Offset), &v);
    return v;
}

static VOID RegWrite(PADAPTER A, ULONG Offset, ULONG Value)
{
    NdisWriteRegisterUlong((PULONG)(A->Registers + Offset), Value);
}

//
// ------------------------------------------------------ EEPROM and PHY
//

static BOOLEAN EepromRead(PADAPTER A, ULONG Word, PUSHORT Data)
{
    ULONG i, v;

    RegWrite(A, REG_EERD, EERD_START | (Word << 8));
    for (i = 0; i < 1000; i++) {
        v = RegRead(A, REG_EERD);
        if (v & EERD_DONE) {
            *Data = (USHORT)(v >> 16);
            return TRUE;
        }
        NdisStallExecution(5);
    }
    return FALSE;
}

static BOOLEAN PhyRead(PADAPTER A, ULONG Reg, PUSHORT Data)
{
    ULONG i, v;

    RegWrite(A, REG_MDIC, MDIC_READ | (PHY_ADDRESS << 21) | (Reg << 16));
    for (i = 0; i < 100; i++) {
        v = RegRead(A, REG_MDIC);
        if (v & MDIC_READY) {
            if (v & MDIC_ERROR)
                return FALSE;
            *Data = (USHORT)v;
            return TRUE;
        }
        NdisStallExecution(10);
    }
    return FALSE;
}

//
// ------------------------------------------------------- configuration
//

static ULONG ReadInteger(NDIS_HANDLE Config, PNDIS_STRING Keyword, ULONG Default, ULONG Min,
                         ULONG Max)
{
    PNDIS_CONFIGURATION_PARAMETER p;
    NDIS_STATUS status;

    NdisReadConfiguration(&status, &p, Config, Keyword, NdisParameterInteger);
    if (status != NDIS_STATUS_SUCCESS || p->ParameterType != NdisParameterInteger)
        return Default;
    if (p->ParameterData.IntegerData < Min || p->ParameterData.IntegerData > Max)
        return Default;
    return p->ParameterData.IntegerData;
}

static VOID ReadSettings(PADAPTER A, NDIS_HANDLE WrapperConfigurationContext)
{
    NDIS_STRING rxKey = NDIS_STRING_CONST("*ReceiveBuffers");
    NDIS_STRING modKey = NDIS_STRING_CONST("*InterruptModeration");
    NDIS_HANDLE config;
    NDIS_STATUS status;
    PVOID address;
    UINT length;

    A->RxBufferCount = RX_BUFFERS_DEFAULT;
    A->Moderation = TRUE;
    NdisOpenConfiguration(&status, &config, WrapperConfigurationContext);
    if (status != NDIS_STATUS_SUCCESS)
        return;
    A->RxBufferCount = ReadInteger(config, &rxKey, RX_BUFFERS_DEFAULT, RX_BUFFERS_MIN,
                                   RX_BUFFERS_MAX);
    A->Moderation = ReadInteger(config, &modKey, 1, 0, 1) != 0;
    //
    // A locally administered unicast address overrides the EEPROM's.
    //
    NdisReadNetworkAddress(&status, &address, &length, config);
    if (status == NDIS_STATUS_SUCCESS && length == 6 && !(((PUCHAR)address)[0] & 0x01)) {
        NdisMoveMemory(A->CurrentAddress, address, 6);
    }
    NdisCloseConfiguration(config);
}

//
// ------------------------------------------------------- resources, PCI
//

static NDIS_STATUS FindResources(PADAPTER A, NDIS_HANDLE WrapperConfigurationContext)
{
    UCHAR raw[sizeof(NDIS_RESOURCE_LIST) + 8 * sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR)];
    PNDIS_RESOURCE_LIST list = (PNDIS_RESOURCE_LIST)raw;
    UINT size = sizeof(raw);
    NDIS_STATUS status;
    BOOLEAN memory = FALSE, interrupt = FALSE;
    USHORT ids[2];
    ULONG i;

    if (NdisReadPciSlotInformation(A->Handle, 0, 0, ids, sizeof(ids)) != sizeof(ids) ||
        ids[0] != PCI_VENDOR_INTEL || ids[1] != PCI_DEVICE_82540EM) {
        NdisWriteErrorLogEntry(A->Handle, NDIS_ERROR_CODE_ADAPTER_NOT_FOUND, 2, ids[0], ids[1]);
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    NdisMQueryAdapterResources(&status, WrapperConfigurationContext, list, &size);
    if (status != NDIS_STATUS_SUCCESS)
        return NDIS_STATUS_RESOURCE_CONFLICT;
    for (i = 0; i < list->Count; i++) {
        PCM_PARTIAL_RESOURCE_DESCRIPTOR r = &list->PartialDescriptors[i];

        if (r->Type == CmResourceTypeMemory && !memory) {
            A->RegistersPa = r->u.Memory.Start;
            A->RegistersLength = r->u.Memory.Length;
            memory = TRUE;
        } else if (r->Type == CmResourceTypeInterrupt && !interrupt) {
            A->InterruptVector = r->u.Interrupt.Vector;
            A->InterruptLevel = r->u.Interrupt.Level;
            interrupt = TRUE;
        }
    }
    if (!memory || !interrupt || A->RegistersLength < 0x20000) {
        NdisWriteErrorLogEntry(A->Handle, NDIS_ERROR_CODE_RESOURCE_CONFLICT, 1, list->Count);
        return NDIS_STATUS_RESOURCE_CONFLICT;
    }
    return NDIS_STATUS_SUCCESS;
}

//
// -------------------------------------------------------- receive side
//

static PRX_BUFFER RxPop(PADAPTER A)
{
    PSINGLE_LIST_ENTRY e = PopEntryList(&A->RxFree);

    if (e == NULL)
        return NULL;
    InterlockedDecrement(&A->RxFreeCount);
    return CONTAINING_RECORD(e, RX_BUFFER, Link);
}

static VOID RxPush(PADAPTER A, PRX_BUFFER B)
{
    PushEntryList(&A->RxFree, &B->Link);
    InterlockedIncrement(&A->RxFreeCount);
}

//
// Give free buffers to the device (RxLock held). The device fills
// descriptors up to RDT; one descriptor stays unused so that RDH == RDT
// means "none to fill".
//
static VOID RxRefill(PADAPTER A)
{
    BOOLEAN posted = FALSE;

    while (A->RxPosted < RX_RING - 1) {
        PRX_BUFFER b = RxPop(A);
        PRX_DESC d;

        if (b == NULL)
            break;
        d = &A->RxRing[A->RxTail];
        NdisZeroMemory(d, sizeof(*d));
        d->Address = (ULONGLONG)b->Pa.QuadPart;
        A->RxOnRing[A->RxTail] = b;
        A->RxTail = (A->RxTail + 1) % RX_RING;
        A->RxPosted++;
        posted = TRUE;
    }
    if (posted) {
        KeMemoryBarrier();
        RegWrite(A, REG_RDT, A->RxTail);
    }
}

static VOID ReceiveFrames(PADAPTER A)
{
    PNDIS_PACKET batch[INDICATE_BATCH];
    ULONG count;

    do {
        count = 0;
        NdisDprAcquireSpinLock(&A->RxLock);
        while (count < INDICATE_BATCH && A->RxPosted > 0) {
            PRX_DESC d = &A->RxRing[A->RxNext];
            PRX_BUFFER b;
            UINT length;

            if (!(d->Status & RXD_DD))
                break;
            KeMemoryBarrier(); // the status before the rest of the descriptor
            b = A->RxOnRing[A->RxNext];
            A->RxOnRing[A->RxNext] = NULL;
            A->RxNext = (A->RxNext + 1) % RX_RING;
            A->RxPosted--;
            length = d->Length;
            if (!(d->Status & RXD_EOP) || d->Errors || length < 14 || length > MAX_FRAME) {
                RxPush(A, b); // a frame over several buffers is not one we asked for
                continue;
            }
            NdisAdjustBufferLength(b->Buffer, length);
            NdisRecalculatePacketCounts(b->Packet);
            NDIS_SET_PACKET_HEADER_SIZE(b->Packet, 14);
            //
            // Running short of buffers: the stack must copy and give the
            // packet back before NdisMIndicateReceivePacket returns.
            //
            NDIS_SET_PACKET_STATUS(b->Packet, A->RxFreeCount < RX_LOW_WATER
                                                  ? NDIS_STATUS_RESOURCES
                                                  : NDIS_STATUS_SUCCESS);
            batch[count++] = b->Packet;
        }
        NdisDprReleaseSpinLock(&A->RxLock);
        if (count == 0)
            break;
        InterlockedExchangeAdd(&A->RxIndicated, (LONG)count);
        InterlockedExchangeAdd(&A->RxOk, (LONG)count);
        NdisMIndicateReceivePacket(A->Handle, batch, count);
        //
        // Packets indicated with NDIS_STATUS_RESOURCES are ours again now.
        //
        NdisDprAcquireSpinLock(&A->RxLock);
        for (ULONG i = 0; i < count; i++) {
            if (NDIS_GET_PACKET_STATUS(batch[i]) == NDIS_STATUS_RESOURCES) {
                InterlockedDecrement(&A->RxIndicated);
                RxPush(A, RX_OF_PACKET(batch[i]));
            }
        }
        RxRefill(A);
        NdisDprReleaseSpinLock(&A->RxLock);
    } while (count == INDICATE_BATCH);
}

static VOID MpReturnPacket(NDIS_HANDLE MiniportAdapterContext, PNDIS_PACKET Packet)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;

    NdisAcquireSpinLock(&A->RxLock);
    InterlockedDecrement(&A->RxIndicated);
    RxPush(A, RX_OF_PACKET(Packet));
    if (!A->Halting)
        RxRefill(A);
    NdisReleaseSpinLock(&A->RxLock);
}

//
// ------------------------------------------------------- transmit side
//

//
// Put one packet on the ring (TxLock held). Return: FALSE when the ring
// has no room for its scatter/gather list.
//
static BOOLEAN TxPost(PADAPTER A, PNDIS_PACKET Packet)
{
    PSCATTER_GATHER_LIST sg = NDIS_PER_PACKET_INFO_FROM_PACKET(Packet, ScatterGatherListPacketInfo);
    PTCB tcb;
    ULONG i, index = A->TxNext;

    if (sg == NULL || sg->NumberOfElements == 0)
        return FALSE;
    if (A->TxInUse + sg->NumberOfElements > TX_RING - 1)
        return FALSE;
    tcb = (PTCB)NdisAllocateFromNPagedLookasideList(&A->TcbLookaside);
    if (tcb == NULL)
        return FALSE;
    tcb->Packet = Packet;
    tcb->Descriptors = sg->NumberOfElements;
    for (i = 0; i < sg->NumberOfElements; i++) {
        PTX_DESC d = &A->TxRing[index];

        NdisZeroMemory(d, sizeof(*d));
        d->Address = (ULONGLONG)sg->Elements[i].Address.QuadPart;
        d->Length = (USHORT)sg->Elements[i].Length;
        d->Command = TXD_IFCS;
        if (i == sg->NumberOfElements - 1) {
            d->Command |= TXD_EOP | TXD_RS;
            A->TxTcb[index] = tcb;
        } else {
            A->TxTcb[index] = NULL;
        }
        index = (index + 1) % TX_RING;
    }
    A->TxNext = index;
    A->TxInUse += sg->NumberOfElements;
    return TRUE;
}

static VOID MpSendPackets(NDIS_HANDLE MiniportAdapterContext, PPNDIS_PACKET PacketArray,
                          UINT NumberOfPackets)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    BOOLEAN kick = FALSE;
    UINT i;

    NdisAcquireSpinLock(&A->TxLock);
    for (i = 0; i < NumberOfPackets; i++) {
        PNDIS_PACKET p = PacketArray[i];

        //
        // Keep the order: once one waits, the rest wait behind it.
        //
        if (IsListEmpty(&A->TxWaiting) && TxPost(A, p))
            kick = TRUE;
        else
            InsertTailList(&A->TxWaiting, PACKET_LINK(p));
    }
    if (kick) {
        KeMemoryBarrier();
        RegWrite(A, REG_TDT, A->TxNext);
    }
    NdisReleaseSpinLock(&A->TxLock);
}

static VOID TransmitDone(PADAPTER A)
{
    PNDIS_PACKET done[TX_RING];
    ULONG count = 0, i;
    BOOLEAN kick = FALSE;

    NdisDprAcquireSpinLock(&A->TxLock);
    while (A->TxInUse > 0) {
        ULONG last = A->TxClean;
        PTCB tcb;

        // Find the packet's last descriptor: it alone has RS and a TCB.
        while (A->TxTcb[last] == NULL)
            last = (last + 1) % TX_RING;
        if (!(A->TxRing[last].Status & TXD_DD))
            break;
        tcb = A->TxTcb[last];
        A->TxTcb[last] = NULL;
        A->TxClean = (last + 1) % TX_RING;
        A->TxInUse -= tcb->Descriptors;
        done[count++] = tcb->Packet;
        NdisFreeToNPagedLookasideList(&A->TcbLookaside, tcb);
    }
    while (!IsListEmpty(&A->TxWaiting)) {
        PLIST_ENTRY e = A->TxWaiting.Flink;

        if (!TxPost(A, PACKET_OF(e)))
            break;
        RemoveEntryList(e);
        kick = TRUE;
    }
    if (kick) {
        KeMemoryBarrier();
        RegWrite(A, REG_TDT, A->TxNext);
    }
    NdisDprReleaseSpinLock(&A->TxLock);
    InterlockedExchangeAdd(&A->TxOk, (LONG)count);
    for (i = 0; i < count; i++)
        NdisMSendComplete(A->Handle, done[i], NDIS_STATUS_SUCCESS);
}

//
// ----------------------------------------------------------- interrupt
//

static VOID MpIsr(PBOOLEAN InterruptRecognized, PBOOLEAN QueueMiniportHandleInterrupt,
                  NDIS_HANDLE MiniportAdapterContext)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    ULONG causes = RegRead(A, REG_ICR); // read-to-clear: the line drops

    // ICR latches causes even while IMS masks them: only an enabled cause
    // means this device raised the line.
    causes &= A->EnabledCauses;
    if (causes == 0) {
        // Not ours: another device on the shared line.
        *InterruptRecognized = FALSE;
        *QueueMiniportHandleInterrupt = FALSE;
        return;
    }
    //
    // The read cleared the causes and dropped the line, so nothing needs
    // masking: causes that arrive while HandleInterrupt runs interrupt
    // again and are added here. (NDIS does not queue HandleInterrupt while
    // MiniportInitialize runs: those causes wait here for the next one.)
    //
    InterlockedOr(&A->PendingCauses, (LONG)causes);
    *InterruptRecognized = TRUE;
    *QueueMiniportHandleInterrupt = TRUE;
}

static VOID LinkWorkRoutine(PNDIS_WORK_ITEM WorkItem, PVOID Context);

static VOID ScheduleLinkCheck(PADAPTER A)
{
    if (InterlockedCompareExchange(&A->LinkWorkQueued, 1, 0) != 0)
        return; // one is queued: it will read the newest state
    NdisResetEvent(&A->LinkWorkIdle);
    NdisInitializeWorkItem(&A->LinkWork, LinkWorkRoutine, A);
    NdisScheduleWorkItem(&A->LinkWork);
}

static VOID ReadLink(PADAPTER A);

//
// A link change, from HandleInterrupt at DISPATCH_LEVEL: reported at once.
// (Not from a work item: MiniportHalt waits for the work item, and a work
// item queued from another processor may need the very processor the halt
// runs on.)
//
static VOID LinkChanged(PADAPTER A)
{
    BOOLEAN was = A->LinkUp;

    ReadLink(A);
    if (A->LinkUp != was) {
        NdisMIndicateStatus(A->Handle,
                            A->LinkUp ? NDIS_STATUS_MEDIA_CONNECT : NDIS_STATUS_MEDIA_DISCONNECT,
                            NULL, 0);
        NdisMIndicateStatusComplete(A->Handle);
    }
}

static VOID MpHandleInterrupt(NDIS_HANDLE MiniportAdapterContext)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    ULONG causes = (ULONG)InterlockedExchange(&A->PendingCauses, 0);

    if (causes & (ICR_RXT0 | ICR_RXDMT0 | ICR_RXO))
        ReceiveFrames(A);
    if (causes & ICR_TXDW)
        TransmitDone(A);
    if ((causes & ICR_LSC) && !A->Halting)
        LinkChanged(A);
}

//
// ---------------------------------------------------------------- link
//

static VOID ReadLink(PADAPTER A)
{
    ULONG status = RegRead(A, REG_STATUS);
    static const ULONG speeds[4] = {100000, 1000000, 10000000, 10000000};

    A->LinkUp = (status & STATUS_LU) != 0;
    A->LinkSpeed100bps = speeds[STATUS_SPEED(status)];
}

static VOID LinkWorkRoutine(PNDIS_WORK_ITEM WorkItem, PVOID Context)
{
    PADAPTER A = (PADAPTER)Context;
    BOOLEAN was = A->LinkUp;
    USHORT id;

    UNREFERENCED_PARAMETER(WorkItem);
    //
    // Let the PHY settle after a change before reading the result: the
    // work item runs at PASSIVE_LEVEL, so it may sleep.
    //
    NdisMSleep(100);
    if (!PhyRead(A, PHY_ID1, &id))
        NdisWriteErrorLogEntry(A->Handle, NDIS_ERROR_CODE_HARDWARE_FAILURE, 1, 0x11);
    ReadLink(A);
    if (A->LinkUp != was && !A->Halting) {
        NdisMIndicateStatus(A->Handle,
                            A->LinkUp ? NDIS_STATUS_MEDIA_CONNECT : NDIS_STATUS_MEDIA_DISCONNECT,
                            NULL, 0);
        NdisMIndicateStatusComplete(A->Handle);
    }
    InterlockedExchange(&A->LinkWorkQueued, 0);
    NdisSetEvent(&A->LinkWorkIdle);
}

//
// -------------------------------------------------------------- timers
//

static VOID StatsTimer(PVOID SystemSpecific1, PVOID FunctionContext, PVOID SystemSpecific2,
                       PVOID SystemSpecific3)
{
    PADAPTER A = (PADAPTER)FunctionContext;

    UNREFERENCED_PARAMETER(SystemSpecific1);
    UNREFERENCED_PARAMETER(SystemSpecific2);
    UNREFERENCED_PARAMETER(SystemSpecific3);
    // The counters clear on read: add them up under the lock the OIDs take.
    NdisDprAcquireSpinLock(&A->StatsLock);
    NdisInterlockedAddLargeStatistic(&A->GoodReceives, RegRead(A, REG_GPRC));
    NdisInterlockedAddLargeStatistic(&A->GoodTransmits, RegRead(A, REG_GPTC));
    NdisInterlockedAddLargeStatistic(&A->Missed, RegRead(A, REG_MPC));
    NdisInterlockedAddLargeStatistic(&A->NoBuffer, RegRead(A, REG_RNBC));
    NdisDprReleaseSpinLock(&A->StatsLock);
}

//
// ------------------------------------------------------ device control
//

//
// RCTL is written whole, never read back and modified: the filter OIDs
// program it under the interrupt lock, a reset outside it.
//
static VOID ProgramFilter(PADAPTER A)
{
    ULONG rctl = RCTL_SECRC; // BSIZE 00b: 2048-byte buffers
    ULONG mta[128] = {0};
    ULONG i;

    if (A->PacketFilter & NDIS_PACKET_TYPE_PROMISCUOUS)
        rctl |= RCTL_UPE | RCTL_MPE;
    if (A->PacketFilter & NDIS_PACKET_TYPE_ALL_MULTICAST)
        rctl |= RCTL_MPE;
    if (A->PacketFilter & NDIS_PACKET_TYPE_BROADCAST)
        rctl |= RCTL_BAM;
    if (A->PacketFilter & NDIS_PACKET_TYPE_MULTICAST) {
        // RCTL.MO 00b: the hash is bits 47:36 of the address.
        for (i = 0; i < A->MulticastCount; i++) {
            ULONG h = ((A->Multicast[i][4] >> 4) | ((ULONG)A->Multicast[i][5] << 4)) & 0xFFF;
            mta[h >> 5] |= 1u << (h & 31);
        }
    }
    for (i = 0; i < 128; i++)
        RegWrite(A, REG_MTA + 4 * i, mta[i]);
    if (A->PacketFilter == 0)
        rctl &= ~RCTL_EN;
    else
        rctl |= RCTL_EN;
    RegWrite(A, REG_RCTL, rctl);
}

static BOOLEAN ResetChip(PADAPTER A, BOOLEAN MaySleep)
{
    ULONG i;

    A->EnabledCauses = 0;
    RegWrite(A, REG_IMC, ~0u);
    RegWrite(A, REG_RCTL, 0);
    RegWrite(A, REG_TCTL, 0);
    RegWrite(A, REG_CTRL, RegRead(A, REG_CTRL) | CTRL_RST);
    for (i = 0; i < 100; i++) {
        if (!(RegRead(A, REG_CTRL) & CTRL_RST))
            break;
        if (MaySleep)
            NdisMSleep(1000);
        else
            NdisStallExecution(10);
    }
    if (RegRead(A, REG_CTRL) & CTRL_RST)
        return FALSE;
    A->EnabledCauses = 0;
    RegWrite(A, REG_IMC, ~0u); // the reset cleared ICR
    return TRUE;
}

static VOID StartChip(PADAPTER A)
{
    const UCHAR *m = A->CurrentAddress;

    RegWrite(A, REG_CTRL, RegRead(A, REG_CTRL) | CTRL_SLU);
    RegWrite(A, REG_RAL0, m[0] | (m[1] << 8) | (m[2] << 16) | ((ULONG)m[3] << 24));
    RegWrite(A, REG_RAH0, m[4] | (m[5] << 8) | RAH_AV);
    RegWrite(A, REG_RDBAL, NdisGetPhysicalAddressLow(A->RxRingPa));
    RegWrite(A, REG_RDBAH, NdisGetPhysicalAddressHigh(A->RxRingPa));
    RegWrite(A, REG_RDLEN, RX_RING * sizeof(RX_DESC));
    RegWrite(A, REG_RDH, 0);
    RegWrite(A, REG_RDT, 0);
    RegWrite(A, REG_RDTR, 0);
    RegWrite(A, REG_TDBAL, NdisGetPhysicalAddressLow(A->TxRingPa));
    RegWrite(A, REG_TDBAH, NdisGetPhysicalAddressHigh(A->TxRingPa));
    RegWrite(A, REG_TDLEN, TX_RING * sizeof(TX_DESC));
    RegWrite(A, REG_TDH, 0);
    RegWrite(A, REG_TDT, 0);
    // ITR counts 256 ns: 488 is about 8000 interrupts a second.
    RegWrite(A, REG_ITR, A->Moderation ? 488 : 0);
    A->RxNext = A->RxTail = A->RxPosted = 0;
    A->TxNext = A->TxClean = A->TxInUse = 0;
    RxRefill(A);
    RegWrite(A, REG_TCTL, TCTL_EN | TCTL_PSP);
    ProgramFilter(A); // RCTL: EN once a filter is set
    A->EnabledCauses = ICR_TXDW | ICR_LSC | ICR_RXDMT0 | ICR_RXO | ICR_RXT0;
    RegWrite(A, REG_IMS, A->EnabledCauses);
}

//
// ------------------------------------------------- initialize and halt
//

static VOID FreeAdapter(PADAPTER A)
{
    ULONG i;

    if (A->RxBuffers != NULL) {
        for (i = 0; i < A->RxBufferCount; i++) {
            if (A->RxBuffers[i].Buffer != NULL)
                NdisFreeBuffer(A->RxBuffers[i].Buffer);
            if (A->RxBuffers[i].Packet != NULL)
                NdisFreePacket(A->RxBuffers[i].Packet);
        }
        NdisFreeMemory(A->RxBuffers, 0, 0);
    }
    if (A->BufferPool != NULL)
        NdisFreeBufferPool(A->BufferPool);
    if (A->PacketPool != NULL)
        NdisFreePacketPool(A->PacketPool);
    if (A->RxMemory != NULL)
        NdisMFreeSharedMemory(A->Handle, A->RxBufferCount * RX_BUFFER_SIZE, TRUE, A->RxMemory,
                              A->RxMemoryPa);
    if (A->RxRing != NULL)
        NdisMFreeSharedMemory(A->Handle, RX_RING * sizeof(RX_DESC), FALSE, A->RxRing,
                              A->RxRingPa);
    if (A->TxRing != NULL)
        NdisMFreeSharedMemory(A->Handle, TX_RING * sizeof(TX_DESC), FALSE, A->TxRing,
                              A->TxRingPa);
    if (A->Registers != NULL)
        NdisMUnmapIoSpace(A->Handle, A->Registers, A->RegistersLength);
    NdisDeleteNPagedLookasideList(&A->TcbLookaside);
    NdisFreeSpinLock(&A->RxLock);
    NdisFreeSpinLock(&A->TxLock);
    NdisFreeSpinLock(&A->StatsLock);
    NdisFreeMemory(A, 0, 0);
}

static NDIS_STATUS AllocateRings(PADAPTER A)
{
    NDIS_STATUS status;
    ULONG i;

    NdisMAllocateSharedMemory(A->Handle, RX_RING * sizeof(RX_DESC), FALSE, (PVOID *)&A->RxRing,
                              &A->RxRingPa);
    NdisMAllocateSharedMemory(A->Handle, TX_RING * sizeof(TX_DESC), FALSE, (PVOID *)&A->TxRing,
                              &A->TxRingPa);
    NdisMAllocateSharedMemory(A->Handle, A->RxBufferCount * RX_BUFFER_SIZE, TRUE,
                              (PVOID *)&A->RxMemory, &A->RxMemoryPa);
    if (A->RxRing == NULL || A->TxRing == NULL || A->RxMemory == NULL)
        return NDIS_STATUS_RESOURCES;
    NdisZeroMemory(A->RxRing, RX_RING * sizeof(RX_DESC));
    NdisZeroMemory(A->TxRing, TX_RING * sizeof(TX_DESC));

    NdisAllocatePacketPool(&status, &A->PacketPool, A->RxBufferCount,
                           PROTOCOL_RESERVED_SIZE_IN_PACKET);
    if (status != NDIS_STATUS_SUCCESS)
        return status;
    NdisAllocateBufferPool(&status, &A->BufferPool, A->RxBufferCount);
    if (status != NDIS_STATUS_SUCCESS)
        return status;
    status = NdisAllocateMemoryWithTag((PVOID *)&A->RxBuffers,
                                       A->RxBufferCount * sizeof(RX_BUFFER), DDI_TAG);
    if (status != NDIS_STATUS_SUCCESS)
        return NDIS_STATUS_RESOURCES;
    NdisZeroMemory(A->RxBuffers, A->RxBufferCount * sizeof(RX_BUFFER));
    for (i = 0; i < A->RxBufferCount; i++) {
        PRX_BUFFER b = &A->RxBuffers[i];

        b->Va = A->RxMemory + i * RX_BUFFER_SIZE;
        b->Pa.QuadPart = A->RxMemoryPa.QuadPart + (LONGLONG)i * RX_BUFFER_SIZE;
        NdisAllocatePacket(&status, &b->Packet, A->PacketPool);
        if (status != NDIS_STATUS_SUCCESS)
            return status;
        NdisAllocateBuffer(&status, &b->Buffer, A->BufferPool, b->Va, RX_BUFFER_SIZE);
        if (status != NDIS_STATUS_SUCCESS)
            return status;
        NdisChainBufferAtFront(b->Packet, b->Buffer);
        RX_OF_PACKET(b->Packet) = b;
        RxPush(A, b);
    }
    return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS MpInitialize(PNDIS_STATUS OpenErrorStatus, PUINT SelectedMediumIndex,
                                PNDIS_MEDIUM MediumArray, UINT MediumArraySize,
                                NDIS_HANDLE MiniportAdapterHandle,
                                NDIS_HANDLE WrapperConfigurationContext)
{
    PADAPTER A = NULL;
    NDIS_STATUS status;
    USHORT word, sum = 0;
    UINT i;

    *OpenErrorStatus = NDIS_STATUS_SUCCESS;
    for (i = 0; i < MediumArraySize; i++)
        if (MediumArray[i] == NdisMedium802_3)
            break;
    if (i == MediumArraySize)
        return NDIS_STATUS_UNSUPPORTED_MEDIA;
    *SelectedMediumIndex = i;

    status = NdisAllocateMemoryWithTag((PVOID *)&A, sizeof(*A), DDI_TAG);
    if (status != NDIS_STATUS_SUCCESS)
        return NDIS_STATUS_RESOURCES;
    NdisZeroMemory(A, sizeof(*A));
    A->Handle = MiniportAdapterHandle;
    NdisAllocateSpinLock(&A->RxLock);
    NdisAllocateSpinLock(&A->TxLock);
    NdisAllocateSpinLock(&A->StatsLock);
    InitializeListHead(&A->TxWaiting);
    A->RxFree.Next = NULL;
    NdisInitializeNPagedLookasideList(&A->TcbLookaside, NULL, NULL, 0, sizeof(TCB), DDI_TAG, 0);
    NdisInitializeEvent(&A->LinkWorkIdle);
    NdisSetEvent(&A->LinkWorkIdle);
    A->PacketFilter = 0;

    ReadSettings(A, WrapperConfigurationContext);
    NdisMSetAttributesEx(MiniportAdapterHandle, A, HANG_SECONDS,
                         NDIS_ATTRIBUTE_DESERIALIZE | NDIS_ATTRIBUTE_BUS_MASTER,
                         NdisInterfacePci);
    status = FindResources(A, WrapperConfigurationContext);
    if (status != NDIS_STATUS_SUCCESS)
        goto fail;
    status = NdisMMapIoSpace((PVOID *)&A->Registers, MiniportAdapterHandle, A->RegistersPa,
                             A->RegistersLength);
    if (status != NDIS_STATUS_SUCCESS)
        goto fail;
    status = NdisMInitializeScatterGatherDma(MiniportAdapterHandle, TRUE, MAX_FRAME);
    if (status != NDIS_STATUS_SUCCESS)
        goto fail;
    if (!ResetChip(A, TRUE)) {
        NdisWriteErrorLogEntry(MiniportAdapterHandle, NDIS_ERROR_CODE_HARDWARE_FAILURE, 1, 1);
        status = NDIS_STATUS_HARD_ERRORS;
        goto fail;
    }
    //
    // The EEPROM: words 0..63 add up to 0xBABA; words 0..2 are the MAC.
    //
    for (i = 0; i < EEPROM_WORDS; i++) {
        if (!EepromRead(A, i, &word)) {
            NdisWriteErrorLogEntry(MiniportAdapterHandle, NDIS_ERROR_CODE_HARDWARE_FAILURE, 2,
                                   2, i);
            status = NDIS_STATUS_HARD_ERRORS;
            goto fail;
        }
        sum = (USHORT)(sum + word);
        if (i < 3) {
            A->PermanentAddress[2 * i] = (UCHAR)word;
            A->PermanentAddress[2 * i + 1] = (UCHAR)(word >> 8);
        }
    }
    if (sum != EEPROM_SUM) {
        NdisWriteErrorLogEntry(MiniportAdapterHandle, NDIS_ERROR_CODE_HARDWARE_FAILURE, 2, 3,
                               sum);
        status = NDIS_STATUS_HARD_ERRORS;
        goto fail;
    }
    {
        static const UCHAR zero[6] = {0};

        if (NdisEqualMemory(A->CurrentAddress, zero, 6))
            NdisMoveMemory(A->CurrentAddress, A->PermanentAddress, 6);
    }
    status = AllocateRings(A);
    if (status != NDIS_STATUS_SUCCESS)
        goto fail;

    status = NdisMRegisterInterrupt(&A->Interrupt, MiniportAdapterHandle, A->InterruptVector,
                                    A->InterruptLevel, TRUE, TRUE, NdisInterruptLevelSensitive);
    if (status != NDIS_STATUS_SUCCESS) {
        NdisWriteErrorLogEntry(MiniportAdapterHandle, NDIS_ERROR_CODE_INTERRUPT_CONNECT, 1,
                               A->InterruptVector);
        goto fail;
    }
    A->InterruptRegistered = TRUE;
    StartChip(A);
    ReadLink(A);
    NdisMInitializeTimer(&A->StatsTimer, MiniportAdapterHandle, StatsTimer, A);
    NdisMSetPeriodicTimer(&A->StatsTimer, STATS_PERIOD_MS);
    //
    // The PHY may still be negotiating: look again once we are running,
    // from a work item (it may sleep). Queued here, on the processor the
    // halt will run on too, it runs elsewhere and never waits for it.
    //
    ScheduleLinkCheck(A);
    return NDIS_STATUS_SUCCESS;

fail:
    if (A->InterruptRegistered)
        NdisMDeregisterInterrupt(&A->Interrupt);
    if (A->Registers != NULL)
        (void)ResetChip(A, TRUE);
    FreeAdapter(A);
    return status;
}

static VOID MpHalt(NDIS_HANDLE MiniportAdapterContext)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    BOOLEAN cancelled;

    A->Halting = TRUE;
    NdisMCancelTimer(&A->StatsTimer, &cancelled);
    NdisMDeregisterInterrupt(&A->Interrupt); // no ISR or HandleInterrupt after this
    //
    // The timer's function may be running elsewhere though it can no longer
    // be queued; and a link work item may be queued or running: it signals
    // the event when it is done with the adapter.
    //
    KeFlushQueuedDpcs();
    (void)NdisWaitEvent(&A->LinkWorkIdle, 0);
    (void)ResetChip(A, TRUE); // no more DMA after this
    // Sends still on the ring or waiting complete with an error.
    while (A->TxInUse > 0) {
        PTCB tcb = A->TxTcb[A->TxClean];

        if (tcb != NULL) {
            A->TxInUse -= tcb->Descriptors;
            NdisMSendComplete(A->Handle, tcb->Packet, NDIS_STATUS_FAILURE);
            NdisFreeToNPagedLookasideList(&A->TcbLookaside, tcb);
            A->TxTcb[A->TxClean] = NULL;
        }
        A->TxClean = (A->TxClean + 1) % TX_RING;
    }
    while (!IsListEmpty(&A->TxWaiting))
        NdisMSendComplete(A->Handle, PACKET_OF(RemoveHeadList(&A->TxWaiting)),
                          NDIS_STATUS_FAILURE);
    FreeAdapter(A);
}

static VOID MpShutdown(PVOID ShutdownContext)
{
    PADAPTER A = (PADAPTER)ShutdownContext;

    // Any IRQL, the system going down: stop DMA, touch nothing else.
    A->EnabledCauses = 0;
    RegWrite(A, REG_IMC, ~0u);
    RegWrite(A, REG_RCTL, 0);
    RegWrite(A, REG_TCTL, 0);
}

//
// ------------------------------------------------ reset, check-for-hang
//

static BOOLEAN MpCheckForHang(NDIS_HANDLE MiniportAdapterContext)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    BOOLEAN hung = FALSE;

    //
    // Hung: sends on the ring and none completed in two checks in a row.
    //
    NdisAcquireSpinLock(&A->TxLock);
    if (A->TxInUse > 0 && A->TxClean == A->TxLastClean)
        hung = ++A->HangChecks >= 2;
    else
        A->HangChecks = 0;
    A->TxLastClean = A->TxClean;
    NdisReleaseSpinLock(&A->TxLock);
    return hung;
}

static BOOLEAN ResetWithInterrupt(PVOID SynchronizeContext)
{
    PADAPTER A = (PADAPTER)SynchronizeContext;

    A->EnabledCauses = 0;
    RegWrite(A, REG_IMC, ~0u);
    (void)RegRead(A, REG_ICR);
    InterlockedExchange(&A->PendingCauses, 0);
    return TRUE;
}

static NDIS_STATUS MpReset(PBOOLEAN AddressingReset, NDIS_HANDLE MiniportAdapterContext)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    LIST_ENTRY failed;

    *AddressingReset = FALSE; // the filter and addresses are programmed again here
    InterlockedIncrement(&A->Resets);
    NdisWriteErrorLogEntry(A->Handle, NDIS_ERROR_CODE_HARDWARE_FAILURE, 1, 4);
    NdisMSynchronizeWithInterrupt(&A->Interrupt, ResetWithInterrupt, A);
    InitializeListHead(&failed);
    NdisAcquireSpinLock(&A->TxLock);
    (void)ResetChip(A, FALSE);
    while (A->TxInUse > 0) {
        PTCB tcb = A->TxTcb[A->TxClean];

        if (tcb != NULL) {
            A->TxInUse -= tcb->Descriptors;
            InsertTailList(&failed, PACKET_LINK(tcb->Packet));
            NdisFreeToNPagedLookasideList(&A->TcbLookaside, tcb);
            A->TxTcb[A->TxClean] = NULL;
        }
        A->TxClean = (A->TxClean + 1) % TX_RING;
    }
    A->HangChecks = 0;
    NdisDprAcquireSpinLock(&A->RxLock);
    while (A->RxPosted > 0) {
        RxPush(A, A->RxOnRing[A->RxNext]);
        A->RxOnRing[A->RxNext] = NULL;
        A->RxNext = (A->RxNext + 1) % RX_RING;
        A->RxPosted--;
    }
    StartChip(A);
    NdisDprReleaseSpinLock(&A->RxLock);
    NdisReleaseSpinLock(&A->TxLock);
    while (!IsListEmpty(&failed))
        NdisMSendComplete(A->Handle, PACKET_OF(RemoveHeadList(&failed)), NDIS_STATUS_FAILURE);
    return NDIS_STATUS_SUCCESS;
}

//
// ---------------------------------------------------------------- OIDs
//

static const NDIS_OID SupportedOids[] = {
    OID_GEN_SUPPORTED_LIST,        OID_GEN_HARDWARE_STATUS,     OID_GEN_MEDIA_SUPPORTED,
    OID_GEN_MEDIA_IN_USE,          OID_GEN_MAXIMUM_LOOKAHEAD,   OID_GEN_MAXIMUM_FRAME_SIZE,
    OID_GEN_LINK_SPEED,            OID_GEN_TRANSMIT_BUFFER_SPACE, OID_GEN_RECEIVE_BUFFER_SPACE,
    OID_GEN_TRANSMIT_BLOCK_SIZE,   OID_GEN_RECEIVE_BLOCK_SIZE,  OID_GEN_VENDOR_ID,
    OID_GEN_VENDOR_DESCRIPTION,    OID_GEN_CURRENT_PACKET_FILTER, OID_GEN_CURRENT_LOOKAHEAD,
    OID_GEN_DRIVER_VERSION,        OID_GEN_MAXIMUM_TOTAL_SIZE,  OID_GEN_MAC_OPTIONS,
    OID_GEN_MEDIA_CONNECT_STATUS,  OID_GEN_MAXIMUM_SEND_PACKETS, OID_GEN_VENDOR_DRIVER_VERSION,
    OID_GEN_XMIT_OK,               OID_GEN_RCV_OK,              OID_GEN_XMIT_ERROR,
    OID_GEN_RCV_ERROR,             OID_GEN_RCV_NO_BUFFER,       OID_802_3_PERMANENT_ADDRESS,
    OID_802_3_CURRENT_ADDRESS,     OID_802_3_MULTICAST_LIST,    OID_802_3_MAXIMUM_LIST_SIZE,
};

static NDIS_STATUS MpQueryInformation(NDIS_HANDLE MiniportAdapterContext, NDIS_OID Oid,
                                      PVOID InformationBuffer, ULONG InformationBufferLength,
                                      PULONG BytesWritten, PULONG BytesNeeded)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    static const char description[] = "ndisrt DDI test miniport (NDIS 5.1, Intel 82540EM)";
    const VOID *data;
    ULONG length = sizeof(ULONG), value = 0;
    ULONG64 value64 = 0;
    BOOLEAN is64 = FALSE;

    data = &value;
    switch (Oid) {
    case OID_GEN_SUPPORTED_LIST:
        data = SupportedOids;
        length = sizeof(SupportedOids);
        break;
    case OID_GEN_HARDWARE_STATUS:
        value = NdisHardwareStatusReady;
        break;
    case OID_GEN_MEDIA_SUPPORTED:
    case OID_GEN_MEDIA_IN_USE:
        value = NdisMedium802_3;
        break;
    case OID_GEN_MAXIMUM_LOOKAHEAD:
    case OID_GEN_CURRENT_LOOKAHEAD:
    case OID_GEN_MAXIMUM_FRAME_SIZE:
        value = MAX_LOOKAHEAD;
        break;
    case OID_GEN_MAXIMUM_TOTAL_SIZE:
    case OID_GEN_TRANSMIT_BLOCK_SIZE:
    case OID_GEN_RECEIVE_BLOCK_SIZE:
        value = MAX_FRAME;
        break;
    case OID_GEN_LINK_SPEED:
        value = A->LinkSpeed100bps;
        break;
    case OID_GEN_TRANSMIT_BUFFER_SPACE:
        value = MAX_FRAME * (TX_RING / 2);
        break;
    case OID_GEN_RECEIVE_BUFFER_SPACE:
        value = RX_BUFFER_SIZE * A->RxBufferCount;
        break;
    case OID_GEN_VENDOR_ID:
        value = A->PermanentAddress[0] | (A->PermanentAddress[1] << 8) |
                (A->PermanentAddress[2] << 16);
        break;
    case OID_GEN_VENDOR_DESCRIPTION:
        data = description;
        length = sizeof(description);
        break;
    case OID_GEN_CURRENT_PACKET_FILTER:
        value = A->PacketFilter;
        break;
    case OID_GEN_DRIVER_VERSION:
        value = (5 << 8) | 1;
        length = sizeof(USHORT);
        break;
    case OID_GEN_VENDOR_DRIVER_VERSION:
        value = 0x00010000;
        break;
    case OID_GEN_MAC_OPTIONS:
        value = NDIS_MAC_OPTION_TRANSFERS_NOT_PEND | NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA |
                NDIS_MAC_OPTION_NO_LOOPBACK;
        break;
    case OID_GEN_MEDIA_CONNECT_STATUS:
        value = A->LinkUp ? NdisMediaStateConnected : NdisMediaStateDisconnected;
        break;
    case OID_GEN_MAXIMUM_SEND_PACKETS:
        value = TX_RING / 2;
        break;
    case OID_GEN_XMIT_OK:
        value64 = (ULONG64)A->TxOk;
        is64 = TRUE;
        break;
    case OID_GEN_RCV_OK:
        value64 = (ULONG64)A->RxOk;
        is64 = TRUE;
        break;
    case OID_GEN_XMIT_ERROR:
        value = 0;
        break;
    case OID_GEN_RCV_ERROR:
        NdisAcquireSpinLock(&A->StatsLock);
        value = (ULONG)A->Missed.QuadPart;
        NdisReleaseSpinLock(&A->StatsLock);
        break;
    case OID_GEN_RCV_NO_BUFFER:
        NdisAcquireSpinLock(&A->StatsLock);
        value = (ULONG)A->NoBuffer.QuadPart;
        NdisReleaseSpinLock(&A->StatsLock);
        break;
    case OID_802_3_PERMANENT_ADDRESS:
        data = A->PermanentAddress;
        length = 6;
        break;
    case OID_802_3_CURRENT_ADDRESS:
        data = A->CurrentAddress;
        length = 6;
        break;
    case OID_802_3_MULTICAST_LIST:
        data = A->Multicast;
        length = A->MulticastCount * 6;
        break;
    case OID_802_3_MAXIMUM_LIST_SIZE:
        value = MAX_MULTICAST;
        break;
    default:
        *BytesWritten = 0;
        return NDIS_STATUS_NOT_SUPPORTED;
    }
    if (is64) {
        // Statistics: 32 bits if that is all the caller gave room for.
        data = &value64;
        length = InformationBufferLength < sizeof(ULONG64) ? sizeof(ULONG) : sizeof(ULONG64);
    }
    if (InformationBufferLength < length) {
        *BytesNeeded = length;
        *BytesWritten = 0;
        return NDIS_STATUS_INVALID_LENGTH;
    }
    NdisMoveMemory(InformationBuffer, data, length);
    *BytesWritten = length;
    return NDIS_STATUS_SUCCESS;
}

static BOOLEAN ApplyFilterWithInterrupt(PVOID SynchronizeContext)
{
    ProgramFilter((PADAPTER)SynchronizeContext);
    return TRUE;
}

static NDIS_STATUS MpSetInformation(NDIS_HANDLE MiniportAdapterContext, NDIS_OID Oid,
                                    PVOID InformationBuffer, ULONG InformationBufferLength,
                                    PULONG BytesRead, PULONG BytesNeeded)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    ULONG value;

    *BytesRead = 0;
    *BytesNeeded = 0;
    switch (Oid) {
    case OID_GEN_CURRENT_PACKET_FILTER:
        if (InformationBufferLength < sizeof(ULONG)) {
            *BytesNeeded = sizeof(ULONG);
            return NDIS_STATUS_INVALID_LENGTH;
        }
        NdisMoveMemory(&value, InformationBuffer, sizeof(ULONG));
        if (value & ~(ULONG)(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST |
                             NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_BROADCAST |
                             NDIS_PACKET_TYPE_PROMISCUOUS))
            return NDIS_STATUS_NOT_SUPPORTED;
        A->PacketFilter = value;
        NdisMSynchronizeWithInterrupt(&A->Interrupt, ApplyFilterWithInterrupt, A);
        *BytesRead = sizeof(ULONG);
        return NDIS_STATUS_SUCCESS;
    case OID_GEN_CURRENT_LOOKAHEAD:
        if (InformationBufferLength < sizeof(ULONG)) {
            *BytesNeeded = sizeof(ULONG);
            return NDIS_STATUS_INVALID_LENGTH;
        }
        *BytesRead = sizeof(ULONG); // whole frames are indicated: nothing to change
        return NDIS_STATUS_SUCCESS;
    case OID_802_3_MULTICAST_LIST:
        if (InformationBufferLength % 6 != 0)
            return NDIS_STATUS_INVALID_LENGTH;
        if (InformationBufferLength / 6 > MAX_MULTICAST)
            return NDIS_STATUS_MULTICAST_FULL;
        NdisMoveMemory(A->Multicast, InformationBuffer, InformationBufferLength);
        A->MulticastCount = InformationBufferLength / 6;
        NdisMSynchronizeWithInterrupt(&A->Interrupt, ApplyFilterWithInterrupt, A);
        *BytesRead = InformationBufferLength;
        return NDIS_STATUS_SUCCESS;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}

static VOID MpPnPEventNotify(NDIS_HANDLE MiniportAdapterContext, NDIS_DEVICE_PNP_EVENT PnPEvent,
                             PVOID InformationBuffer, ULONG InformationBufferLength)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(InformationBuffer);
    UNREFERENCED_PARAMETER(InformationBufferLength);
    if (PnPEvent == NdisDevicePnPEventSurpriseRemoved)
        A->Halting = TRUE; // the registers read all ones from now on
}

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NDIS51_MINIPORT_CHARACTERISTICS chars;
    NDIS_STATUS status;

    NdisMInitializeWrapper(&WrapperHandle, DriverObject, RegistryPath, NULL);
    if (WrapperHandle == NULL)
        return NDIS_STATUS_FAILURE;
    NdisZeroMemory(&chars, sizeof(chars));
    chars.MajorNdisVersion = 5;
    chars.MinorNdisVersion = 1;
    chars.InitializeHandler = MpInitialize;
    chars.HaltHandler = MpHalt;
    chars.QueryInformationHandler = MpQueryInformation;
    chars.SetInformationHandler = MpSetInformation;
    chars.ResetHandler = MpReset;
    chars.CheckForHangHandler = MpCheckForHang;
    chars.SendPacketsHandler = MpSendPackets;
    chars.ReturnPacketHandler = MpReturnPacket;
    chars.ISRHandler = MpIsr;
    chars.HandleInterruptHandler = MpHandleInterrupt;
    chars.AdapterShutdownHandler = MpShutdown;
    chars.PnPEventNotifyHandler = MpPnPEventNotify;
    status = NdisMRegisterMiniport(WrapperHandle, &chars, sizeof(chars));
    if (status != NDIS_STATUS_SUCCESS) {
        NdisTerminateWrapper(WrapperHandle, NULL);
        return status;
    }
    return NDIS_STATUS_SUCCESS;
}
