/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    ddi_ndis6.c

Abstract:

    A deserialized NDIS 6.20 bus-master miniport for VN-1, written from
    Microsoft's NDIS 6 reference and the VN-1 datasheet alone, to exercise
    the DDI a production NDIS 6 driver uses: NdisOpenConfigurationEx and
    keyword reads, NBL pools and MDLs, NdisMRegisterScatterGatherDma with
    per-NET_BUFFER SG lists, shared memory, line/MSI/MSI-X interrupts with
    the 6.20 receive throttle, timer objects, I/O work items and events,
    lookaside lists, reset and check-for-hang, pause/restart, the error log,
    list routines and interlocked counters. README.md says which DDI does
    what.

    One source file; builds with the README's one cc line.

--*/

#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT     1

#include <ndis.h>

//
// ------------------------------------------------------------ hardware
//
// VN-1 datasheet, section 3 (registers) and 5 (rings). One queue pair.
//

#define VN_CTRL        0x0000
#define VN_STATUS      0x0004
#define VN_MAC_LO      0x0008
#define VN_MAC_HI      0x000C
#define VN_RXFILTER    0x0010
#define VN_ICR         0x00C0
#define VN_IMS         0x00D0
#define VN_IMC         0x00D8
#define VN_IAM         0x00E0
#define VN_IMODE       0x00E4
#define VN_IVAR(c)     (0x0100 + 4 * (c))
#define VN_ITR(m)      (0x0200 + 4 * (m))
#define VN_RXQ         0x1000           // queue 0
#define VN_TXQ         0x1200
#define VN_Q_BAL       0x00
#define VN_Q_BAH       0x04
#define VN_Q_LEN       0x08
#define VN_Q_HEAD      0x10
#define VN_Q_TAIL      0x18
#define VN_Q_CTL       0x20
#define VN_Q_BUFSZ     0x28
#define VN_GPRC        0x4000
#define VN_GPTC        0x4004
#define VN_MPC         0x4008

#define CTRL_RST       (1u << 0)
#define CTRL_RXEN      (1u << 1)
#define CTRL_TXEN      (1u << 2)
#define STATUS_LU      (1u << 0)
#define STATUS_SPEED(s) (((s) >> 1) & 3u)
#define STATUS_FD      (1u << 3)
#define FILTER_UNICAST (1u << 0)
#define FILTER_ALLMULTI (1u << 1)
#define FILTER_BROADCAST (1u << 2)
#define FILTER_PROMISC (1u << 3)
#define CAUSE_RXQ0     (1u << 0)
#define CAUSE_TXQ0     (1u << 8)
#define CAUSE_LSC      (1u << 16)
#define CAUSE_RXO      (1u << 17)
#define CAUSE_ERR      (1u << 18)
#define IVAR_VALID     0x80
#define IMODE_LINE     0
#define IMODE_MSI      1
#define IMODE_MSIX     2
#define RXD_DD         0x01
#define RXD_EOP        0x02
#define TXD_EOP        0x01
#define TXD_RS         0x02
#define TXD_DD         0x01
#define VN_VENDOR      0x1D6E
#define VN_DEVICE      0x0001

#pragma pack(push, 1)
typedef struct _VN_RX_DESC {
    ULONGLONG Address;
    USHORT    Length;
    UCHAR     Status;
    UCHAR     HashType;
    ULONG     Hash;
} VN_RX_DESC, *PVN_RX_DESC;

typedef struct _VN_TX_DESC {
    ULONGLONG Address;
    USHORT    Length;
    UCHAR     Command;
    UCHAR     Status;
    ULONG     Reserved;
} VN_TX_DESC, *PVN_TX_DESC;
#pragma pack(pop)

C_ASSERT(sizeof(VN_RX_DESC) == 16);
C_ASSERT(sizeof(VN_TX_DESC) == 16);

//
// ------------------------------------------------------------- adapter
//

#define DDI_TAG          0x36444444 // 'DDD6'
#define RX_RING          256
#define TX_RING          256
#define BUFFER_SIZE      2048
#define RX_BUFFERS_DEFAULT 512
#define RX_BUFFERS_MIN   (RX_RING + 16)
#define RX_BUFFERS_MAX   2048
#define RX_LOW_WATER     16
#define MTU              1500
#define MAX_FRAME        1514
#define MAX_MULTICAST    32
#define HANG_SECONDS     2
#define STATS_PERIOD_MS  1000
#define LINK_SPEED_1G    1000000000ull

// Where each kind of cause is signalled (message modes).
enum { ROUTE_RX, ROUTE_TX, ROUTE_OTHER, ROUTES };

typedef struct _RX_BUFFER {
    PNET_BUFFER_LIST      Nbl;
    PMDL                  Mdl;
    PUCHAR                Va;
    NDIS_PHYSICAL_ADDRESS Pa;
    SINGLE_LIST_ENTRY     Link;
} RX_BUFFER, *PRX_BUFFER;

// One NET_BUFFER on the transmit ring (from a lookaside list).
typedef struct _TCB {
    PNET_BUFFER          Nb;
    PNET_BUFFER_LIST     Nbl;
    PSCATTER_GATHER_LIST Sg;
    ULONG                Slot;
} TCB, *PTCB;

//
// The miniport's reserved words: an NBL being sent holds its outstanding
// NET_BUFFER count in [0] and the adapter in [1]; a receive NBL its
// RX_BUFFER in [0]; a NET_BUFFER waiting for ring room the next one in
// [0] and its NBL in [1].
//
#define NBL_PENDING_SLOT(_L) (&NET_BUFFER_LIST_MINIPORT_RESERVED(_L)[0])
#define NB_NEXT(_B)          ((PNET_BUFFER)NET_BUFFER_MINIPORT_RESERVED(_B)[0])
#define NB_SET_NEXT(_B, _N)  (NET_BUFFER_MINIPORT_RESERVED(_B)[0] = (PVOID)(_N))
#define NB_NBL(_B)           ((PNET_BUFFER_LIST)NET_BUFFER_MINIPORT_RESERVED(_B)[1])
#define RX_OF_NBL(_L)        ((PRX_BUFFER)NET_BUFFER_LIST_MINIPORT_RESERVED(_L)[0])

// One NET_BUFFER of the NBL done. Return: how many are left.
static LONG_PTR NblPendingDecrement(PNET_BUFFER_LIST Nbl)
{
    PVOID *slot = NBL_PENDING_SLOT(Nbl);
    PVOID old, now;

    do {
        old = *slot;
        now = (PVOID)((LONG_PTR)old - 1);
    } while (InterlockedCompareExchangePointer(slot, now, old) != old);
    return (LONG_PTR)now;
}

typedef enum _ADAPTER_STATE { StatePaused, StateRunning, StatePausing } ADAPTER_STATE;

typedef struct _ADAPTER {
    NDIS_HANDLE           Handle;
    PUCHAR                Registers;
    NDIS_PHYSICAL_ADDRESS RegistersPa;
    ULONG                 RegistersLength;
    NDIS_HANDLE           Interrupt;
    NDIS_HANDLE           DmaHandle;
    ULONG                 SgListSize;
    NDIS_INTERRUPT_TYPE   InterruptType;
    ULONG                 Messages;
    ULONG                 Route[ROUTES];
    ULONG                 Imode;

    // configuration
    ULONG                 RxBufferCount;
    BOOLEAN               Moderation;
    UCHAR                 PermanentAddress[6];
    UCHAR                 CurrentAddress[6];

    // state (Lock)
    NDIS_SPIN_LOCK        Lock;
    ADAPTER_STATE         State;
    BOOLEAN               Halting;
    BOOLEAN               SurpriseRemoved;
    LONG                  PendingSends;   // NBLs not completed
    LONG                  RxIndicated;    // NBLs with NDIS

    // receive (RxLock)
    NDIS_SPIN_LOCK        RxLock;
    PVN_RX_DESC           RxRing;
    NDIS_PHYSICAL_ADDRESS RxRingPa;
    ULONG                 RxNext, RxTail, RxPosted;
    PRX_BUFFER            RxOnRing[RX_RING];
    SINGLE_LIST_ENTRY     RxFree;
    LONG                  RxFreeCount;
    PRX_BUFFER            RxBuffers;
    PUCHAR                RxMemory;
    NDIS_PHYSICAL_ADDRESS RxMemoryPa;
    NDIS_HANDLE           NblPool;

    // transmit (TxLock)
    NDIS_SPIN_LOCK        TxLock;
    PVN_TX_DESC           TxRing;
    NDIS_PHYSICAL_ADDRESS TxRingPa;
    PUCHAR                TxBounce;       // one buffer per slot, for multi-element SG lists
    NDIS_PHYSICAL_ADDRESS TxBouncePa;
    ULONG                 TxNext, TxClean, TxInUse;
    PTCB                  TxTcb[TX_RING];
    PNET_BUFFER           TxWaitHead, TxWaitTail;
    NPAGED_LOOKASIDE_LIST TcbLookaside;
    ULONG                 TxLastClean, HangChecks;

    // filter
    ULONG                 PacketFilter;
    ULONG                 MulticastCount;
    UCHAR                 Multicast[MAX_MULTICAST][6];

    // link: reported from an I/O work item
    NDIS_HANDLE           LinkWork;
    LONG                  LinkWorkQueued;
    NDIS_EVENT            LinkWorkIdle;
    BOOLEAN               LinkUp;
    ULONG64               LinkSpeed;

    // statistics (a timer object reads the device's counters)
    NDIS_HANDLE           StatsTimer;
    ULONG64               DeviceReceived, DeviceSent, DeviceMissed;
    LONG                  TxOk, RxOk, TxErrors, Resets;
} ADAPTER, *PADAPTER;

static NDIS_HANDLE DriverHandle;

static ULONG Rd(PADAPTER A, ULONG Offset)
{
    ULONG v;
    NdisReadRegisterUlong((PULONG)(A->Registers + Offset), &v);
    return v;
}

static VOID Wr(PADAPTER A, ULONG Offset, ULONG Value)
{
    NdisWriteRegisterUlong((PULONG)(A->Registers + Offset), Value);
}

static ULONG CausesOf(PADAPTER A, ULONG MessageId)
{
    ULONG c = 0;

    if (A->InterruptType == NDIS_CONNECT_LINE_BASED || A->Route[ROUTE_RX] == MessageId)
        c |= CAUSE_RXQ0 | CAUSE_RXO;
    if (A->InterruptType == NDIS_CONNECT_LINE_BASED || A->Route[ROUTE_TX] == MessageId)
        c |= CAUSE_TXQ0;
    if (A->InterruptType == NDIS_CONNECT_LINE_BASED || A->Route[ROUTE_OTHER] == MessageId)
        c |= CAUSE_LSC | CAUSE_ERR;
    return c;
}

#define ALL_CAUSES (CAUSE_RXQ0 | CAUSE_RXO | CAUSE_TXQ0 | CAUSE_LSC | CAUSE_ERR)

//
// ------------------------------------------------------- configuration
//

static ULONG ReadKeyword(NDIS_HANDLE Config, PCWSTR Name, ULONG Default, ULONG Min, ULONG Max)
{
    PNDIS_CONFIGURATION_PARAMETER p;
    NDIS_STRING keyword;
    NDIS_STATUS status;

    NdisInitUnicodeString(&keyword, Name);
    NdisReadConfiguration(&status, &p, Config, &keyword, NdisParameterInteger);
    if (status != NDIS_STATUS_SUCCESS || p->ParameterType != NdisParameterInteger ||
        p->ParameterData.IntegerData < Min || p->ParameterData.IntegerData > Max)
        return Default;
    return p->ParameterData.IntegerData;
}

static VOID ReadSettings(PADAPTER A)
{
    NDIS_CONFIGURATION_OBJECT object;
    NDIS_HANDLE config;
    NDIS_STATUS status;
    PVOID address;
    UINT length;

    A->RxBufferCount = RX_BUFFERS_DEFAULT;
    A->Moderation = TRUE;
    NdisZeroMemory(&object, sizeof(object));
    object.Header.Type = NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT;
    object.Header.Revision = NDIS_CONFIGURATION_OBJECT_REVISION_1;
    object.Header.Size = NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1;
    object.NdisHandle = A->Handle;
    object.Flags = 0;
    if (NdisOpenConfigurationEx(&object, &config) != NDIS_STATUS_SUCCESS)
        return;
    A->RxBufferCount = ReadKeyword(config, L"*ReceiveBuffers", RX_BUFFERS_DEFAULT,
                                   RX_BUFFERS_MIN, RX_BUFFERS_MAX);
    A->Moderation = ReadKeyword(config, L"*InterruptModeration", 1, 0, 1) != 0;
    NdisReadNetworkAddress(&status, &address, &length, config);
    if (status == NDIS_STATUS_SUCCESS && length == 6 && !(((PUCHAR)address)[0] & 0x01))
        NdisMoveMemory(A->CurrentAddress, address, 6);
    NdisCloseConfiguration(config);
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

// Give free buffers to the device (RxLock held); one descriptor stays empty.
static VOID RxRefill(PADAPTER A)
{
    BOOLEAN posted = FALSE;

    while (A->RxPosted < RX_RING - 1) {
        PRX_BUFFER b = RxPop(A);
        PVN_RX_DESC d;

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
        Wr(A, VN_RXQ + VN_Q_TAIL, A->RxTail);
    }
}

static VOID PauseCompleteIfIdle(PADAPTER A);

//
// Indicate at most Max frames. Return: TRUE if written-back descriptors
// are left for the next DPC.
//
static BOOLEAN ReceiveFrames(PADAPTER A, ULONG Max)
{
    PNET_BUFFER_LIST head = NULL, tail = NULL;
    ULONG count = 0, flags = NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
    BOOLEAN more;

    NdisDprAcquireSpinLock(&A->RxLock);
    while (count < Max && A->RxPosted > 0) {
        PVN_RX_DESC d = &A->RxRing[A->RxNext];
        PRX_BUFFER b;
        ULONG length;

        if (!(d->Status & RXD_DD))
            break;
        KeMemoryBarrier();
        b = A->RxOnRing[A->RxNext];
        A->RxOnRing[A->RxNext] = NULL;
        A->RxNext = (A->RxNext + 1) % RX_RING;
        A->RxPosted--;
        length = d->Length;
        // Not running (paused, pausing): NDIS may not see frames; recycle.
        if (!(d->Status & RXD_EOP) || length < 14 || length > BUFFER_SIZE ||
            A->State != StateRunning) {
            RxPush(A, b);
            continue;
        }
        NdisAdjustMdlLength(b->Mdl, length);
        NET_BUFFER_DATA_LENGTH(NET_BUFFER_LIST_FIRST_NB(b->Nbl)) = length;
        NET_BUFFER_DATA_OFFSET(NET_BUFFER_LIST_FIRST_NB(b->Nbl)) = 0;
        NET_BUFFER_LIST_STATUS(b->Nbl) = NDIS_STATUS_SUCCESS;
        NET_BUFFER_LIST_NEXT_NBL(b->Nbl) = NULL;
        if (tail == NULL)
            head = b->Nbl;
        else
            NET_BUFFER_LIST_NEXT_NBL(tail) = b->Nbl;
        tail = b->Nbl;
        count++;
    }
    more = A->RxPosted > 0 && (A->RxRing[A->RxNext].Status & RXD_DD) != 0;
    //
    // Buffers running out: NDIS must copy, and the NBLs are ours again
    // when the indication returns.
    //
    if (A->RxFreeCount < RX_LOW_WATER)
        flags |= NDIS_RECEIVE_FLAGS_RESOURCES;
    NdisDprReleaseSpinLock(&A->RxLock);
    if (count == 0)
        return more;
    InterlockedExchangeAdd(&A->RxOk, (LONG)count);
    InterlockedExchangeAdd(&A->RxIndicated, (LONG)count);
    NdisMIndicateReceiveNetBufferLists(A->Handle, head, NDIS_DEFAULT_PORT_NUMBER, count, flags);
    NdisDprAcquireSpinLock(&A->RxLock);
    if (flags & NDIS_RECEIVE_FLAGS_RESOURCES) {
        while (head != NULL) {
            PNET_BUFFER_LIST next = NET_BUFFER_LIST_NEXT_NBL(head);

            RxPush(A, RX_OF_NBL(head));
            head = next;
        }
        InterlockedExchangeAdd(&A->RxIndicated, -(LONG)count);
    }
    RxRefill(A);
    NdisDprReleaseSpinLock(&A->RxLock);
    if (flags & NDIS_RECEIVE_FLAGS_RESOURCES)
        PauseCompleteIfIdle(A);
    return more;
}

static VOID MpReturnNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
                                   PNET_BUFFER_LIST NetBufferLists, ULONG ReturnFlags)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    LONG count = 0;

    if (NDIS_TEST_RETURN_AT_DISPATCH_LEVEL(ReturnFlags))
        NdisDprAcquireSpinLock(&A->RxLock);
    else
        NdisAcquireSpinLock(&A->RxLock);
    while (NetBufferLists != NULL) {
        PNET_BUFFER_LIST next = NET_BUFFER_LIST_NEXT_NBL(NetBufferLists);

        NET_BUFFER_LIST_NEXT_NBL(NetBufferLists) = NULL;
        RxPush(A, RX_OF_NBL(NetBufferLists));
        NetBufferLists = next;
        count++;
    }
    if (!A->Halting)
        RxRefill(A);
    if (NDIS_TEST_RETURN_AT_DISPATCH_LEVEL(ReturnFlags))
        NdisDprReleaseSpinLock(&A->RxLock);
    else
        NdisReleaseSpinLock(&A->RxLock);
    if (InterlockedExchangeAdd(&A->RxIndicated, -count) == count)
        PauseCompleteIfIdle(A);
}

//
// ------------------------------------------------------- transmit side
//

static VOID CompleteNbl(PADAPTER A, PNET_BUFFER_LIST Nbl, NDIS_STATUS Status, BOOLEAN AtDispatch)
{
    if (Status != NDIS_STATUS_SUCCESS)
        NET_BUFFER_LIST_STATUS(Nbl) = Status;
    if (NblPendingDecrement(Nbl) != 0)
        return;
    NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
    NdisMSendNetBufferListsComplete(A->Handle, Nbl,
                                    AtDispatch ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
    if (InterlockedDecrement(&A->PendingSends) == 0)
        PauseCompleteIfIdle(A);
}

//
// MiniportProcessSGList: the NET_BUFFER's SG list, at DISPATCH_LEVEL. One
// descriptor per frame (EOP must be set): a list of one element goes to the
// device as it is, a longer one is gathered into the slot's bounce buffer.
//
static VOID MpProcessSGList(PDEVICE_OBJECT DeviceObject, PVOID Reserved,
                            PSCATTER_GATHER_LIST Sg, PVOID Context)
{
    PTCB tcb = (PTCB)Context;
    PADAPTER A = (PADAPTER)NET_BUFFER_LIST_MINIPORT_RESERVED(tcb->Nbl)[1];
    PVN_TX_DESC d = &A->TxRing[tcb->Slot];
    ULONG length = NET_BUFFER_DATA_LENGTH(tcb->Nb);

    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Reserved);
    tcb->Sg = Sg;
    NdisZeroMemory(d, sizeof(*d));
    if (Sg->NumberOfElements == 1) {
        d->Address = (ULONGLONG)Sg->Elements[0].Address.QuadPart;
    } else {
        PUCHAR to = A->TxBounce + tcb->Slot * BUFFER_SIZE;
        PMDL mdl = NET_BUFFER_CURRENT_MDL(tcb->Nb);
        ULONG offset = NET_BUFFER_CURRENT_MDL_OFFSET(tcb->Nb), done = 0;

        while (mdl != NULL && done < length) {
            PVOID va;
            UINT n;

            NdisQueryMdl(mdl, &va, &n, NormalPagePriority);
            if (va == NULL)
                break;
            n -= offset;
            if (n > length - done)
                n = length - done;
            NdisMoveMemory(to + done, (PUCHAR)va + offset, n);
            done += n;
            offset = 0;
            mdl = NDIS_MDL_LINKAGE(mdl);
        }
        d->Address = (ULONGLONG)(A->TxBouncePa.QuadPart + (LONGLONG)tcb->Slot * BUFFER_SIZE);
    }
    d->Length = (USHORT)length;
    d->Command = TXD_EOP | TXD_RS;
}

// Put waiting NET_BUFFERs on the ring (TxLock held). Return: any posted.
static BOOLEAN TxPostWaiting(PADAPTER A)
{
    BOOLEAN posted = FALSE;

    while (A->TxWaitHead != NULL && A->TxInUse < TX_RING - 1) {
        PNET_BUFFER nb = A->TxWaitHead;
        PTCB tcb = (PTCB)NdisAllocateFromNPagedLookasideList(&A->TcbLookaside);
        NDIS_STATUS status;

        if (tcb == NULL)
            break;
        A->TxWaitHead = NB_NEXT(nb);
        if (A->TxWaitHead == NULL)
            A->TxWaitTail = NULL;
        tcb->Nb = nb;
        tcb->Nbl = NB_NBL(nb);
        tcb->Sg = NULL;
        tcb->Slot = A->TxNext;
        status = NdisMAllocateNetBufferSGList(A->DmaHandle, nb, tcb, NDIS_SG_LIST_WRITE_TO_DEVICE,
                                              NULL, 0);
        if (status != NDIS_STATUS_SUCCESS || tcb->Sg == NULL) {
            //
            // NDIS calls MpProcessSGList from inside the call here; a
            // system that defers it would need the slot reserved until
            // then (not done: the ring write below assumes the list).
            //
            NdisFreeToNPagedLookasideList(&A->TcbLookaside, tcb);
            InterlockedIncrement(&A->TxErrors);
            NdisDprReleaseSpinLock(&A->TxLock);
            CompleteNbl(A, NB_NBL(nb), NDIS_STATUS_RESOURCES, TRUE);
            NdisDprAcquireSpinLock(&A->TxLock);
            continue;
        }
        A->TxTcb[A->TxNext] = tcb;
        A->TxNext = (A->TxNext + 1) % TX_RING;
        A->TxInUse++;
        posted = TRUE;
    }
    if (posted) {
        KeMemoryBarrier();
        Wr(A, VN_TXQ + VN_Q_TAIL, A->TxNext);
    }
    return posted;
}

static VOID MpSendNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
                                 PNET_BUFFER_LIST NetBufferLists, NDIS_PORT_NUMBER PortNumber,
                                 ULONG SendFlags)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    BOOLEAN dispatch = NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags) ? TRUE : FALSE;
    KIRQL old = DISPATCH_LEVEL;
    PNET_BUFFER_LIST nbl, next;

    UNREFERENCED_PARAMETER(PortNumber);
    if (!dispatch)
        NDIS_RAISE_IRQL_TO_DISPATCH(&old);
    NdisDprAcquireSpinLock(&A->TxLock);
    for (nbl = NetBufferLists; nbl != NULL; nbl = next) {
        PNET_BUFFER nb;
        LONG n = 0;

        next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
        NET_BUFFER_LIST_STATUS(nbl) = NDIS_STATUS_SUCCESS;
        NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[1] = A;
        for (nb = NET_BUFFER_LIST_FIRST_NB(nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb))
            n++;
        if (A->State != StateRunning || n == 0) {
            // Paused (or pausing): fail it at once, as NDIS requires.
            NdisDprReleaseSpinLock(&A->TxLock);
            NET_BUFFER_LIST_STATUS(nbl) = n == 0 ? NDIS_STATUS_INVALID_PARAMETER : NDIS_STATUS_PAUSED;
            NdisMSendNetBufferListsComplete(A->Handle, nbl, NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL);
            NdisDprAcquireSpinLock(&A->TxLock);
            continue;
        }
        *NBL_PENDING_SLOT(nbl) = (PVOID)(LONG_PTR)n;
        InterlockedIncrement(&A->PendingSends);
        for (nb = NET_BUFFER_LIST_FIRST_NB(nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
            NB_SET_NEXT(nb, NULL);
            NET_BUFFER_MINIPORT_RESERVED(nb)[1] = nbl;
            if (A->TxWaitTail == NULL)
                A->TxWaitHead = nb;
            else
                NB_SET_NEXT(A->TxWaitTail, nb);
            A->TxWaitTail = nb;
        }
    }
    (void)TxPostWaiting(A);
    NdisDprReleaseSpinLock(&A->TxLock);
    if (!dispatch)
        NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

static VOID TransmitDone(PADAPTER A)
{
    PTCB done[TX_RING];
    ULONG count = 0, i;

    NdisDprAcquireSpinLock(&A->TxLock);
    while (A->TxInUse > 0 && (A->TxRing[A->TxClean].Status & TXD_DD)) {
        done[count++] = A->TxTcb[A->TxClean];
        A->TxTcb[A->TxClean] = NULL;
        A->TxClean = (A->TxClean + 1) % TX_RING;
        A->TxInUse--;
    }
    (void)TxPostWaiting(A);
    NdisDprReleaseSpinLock(&A->TxLock);
    for (i = 0; i < count; i++) {
        PTCB tcb = done[i];
        PNET_BUFFER_LIST nbl = tcb->Nbl;

        NdisMFreeNetBufferSGList(A->DmaHandle, tcb->Sg, tcb->Nb);
        NdisFreeToNPagedLookasideList(&A->TcbLookaside, tcb);
        InterlockedIncrement(&A->TxOk);
        CompleteNbl(A, nbl, NDIS_STATUS_SUCCESS, TRUE);
    }
}

static VOID MpCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
    // Sends wait only for ring room, which completions always make.
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(CancelId);
}

//
// ---------------------------------------------------------------- link
//

static VOID ReadLink(PADAPTER A)
{
    static const ULONG64 speeds[4] = {10000000ull, 100000000ull, 1000000000ull, 10000000000ull};
    ULONG s = Rd(A, VN_STATUS);

    A->LinkUp = (s & STATUS_LU) != 0;
    A->LinkSpeed = speeds[STATUS_SPEED(s)];
}

static VOID IndicateLink(PADAPTER A)
{
    NDIS_STATUS_INDICATION indication;
    NDIS_LINK_STATE state;

    NdisZeroMemory(&state, sizeof(state));
    state.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    state.Header.Revision = NDIS_LINK_STATE_REVISION_1;
    state.Header.Size = NDIS_SIZEOF_LINK_STATE_REVISION_1;
    state.MediaConnectState = A->LinkUp ? MediaConnectStateConnected : MediaConnectStateDisconnected;
    state.MediaDuplexState = MediaDuplexStateFull;
    state.XmitLinkSpeed = state.RcvLinkSpeed = A->LinkUp ? A->LinkSpeed : NDIS_LINK_SPEED_UNKNOWN;
    state.PauseFunctions = NdisPauseFunctionsUnsupported;
    NdisZeroMemory(&indication, sizeof(indication));
    indication.Header.Type = NDIS_OBJECT_TYPE_STATUS_INDICATION;
    indication.Header.Revision = NDIS_STATUS_INDICATION_REVISION_1;
    indication.Header.Size = NDIS_SIZEOF_STATUS_INDICATION_REVISION_1;
    indication.SourceHandle = A->Handle;
    indication.StatusCode = NDIS_STATUS_LINK_STATE;
    indication.StatusBuffer = &state;
    indication.StatusBufferSize = sizeof(state);
    NdisMIndicateStatusEx(A->Handle, &indication);
}

static VOID LinkWorkRoutine(PVOID WorkItemContext, NDIS_HANDLE NdisIoWorkItemHandle)
{
    PADAPTER A = (PADAPTER)WorkItemContext;
    BOOLEAN was = A->LinkUp;

    UNREFERENCED_PARAMETER(NdisIoWorkItemHandle);
    NdisMSleep(50); // let a flapping link settle before reporting it
    ReadLink(A);
    if (A->LinkUp != was && !A->Halting)
        IndicateLink(A);
    InterlockedExchange(&A->LinkWorkQueued, 0);
    NdisSetEvent(&A->LinkWorkIdle);
}

static VOID ScheduleLinkCheck(PADAPTER A)
{
    if (A->Halting || InterlockedCompareExchange(&A->LinkWorkQueued, 1, 0) != 0)
        return;
    NdisResetEvent(&A->LinkWorkIdle);
    NdisQueueIoWorkItem(A->LinkWork, LinkWorkRoutine, A);
}

//
// ----------------------------------------------------------- interrupt
//

static BOOLEAN MpInterrupt(NDIS_HANDLE MiniportInterruptContext, PBOOLEAN QueueDefaultInterruptDpc,
                           PULONG TargetProcessors)
{
    PADAPTER A = (PADAPTER)MiniportInterruptContext;
    ULONG causes;

    *TargetProcessors = 0;
    *QueueDefaultInterruptDpc = FALSE;
    //
    // Line mode, maybe shared. Every cause masked (our DPC is pending):
    // this VN-1 cannot be asserting the line, and ICR is left for later.
    // Otherwise ICR is read-to-clear; zero (or all ones: the device is
    // gone) is another device's interrupt.
    //
    if (Rd(A, VN_IMS) == 0)
        return FALSE;
    causes = Rd(A, VN_ICR);
    if (causes == 0 || causes == 0xFFFFFFFF)
        return FALSE;
    Wr(A, VN_IMC, 0xFFFFFFFF); // the DPC opens it again
    *QueueDefaultInterruptDpc = TRUE;
    return TRUE;
}

static VOID ServiceCauses(PADAPTER A, ULONG Causes, PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle)
{
    BOOLEAN more = FALSE;
    BOOLEAN was;

    if (Causes & CAUSE_RXQ0)
        more = ReceiveFrames(A, Throttle->MaxNblsToIndicate);
    if (Causes & CAUSE_TXQ0)
        TransmitDone(A);
    //
    // A link change is reported at once, at DISPATCH_LEVEL: not from a work
    // item, which MiniportHaltEx would have to wait for, and which, queued
    // from another processor, may need the very processor the halt runs on.
    //
    if ((Causes & CAUSE_LSC) && !A->Halting) {
        was = A->LinkUp;
        ReadLink(A);
        if (A->LinkUp != was)
            IndicateLink(A);
    }
    //
    // More frames than MaxNblsToIndicate allowed: NDIS calls the DPC again.
    //
    Throttle->MoreNblsPending = more ? 1 : 0;
}

static VOID MpInterruptDpc(NDIS_HANDLE MiniportInterruptContext, PVOID MiniportDpcContext,
                           PVOID ReceiveThrottleParameters, PVOID NdisReserved2)
{
    PADAPTER A = (PADAPTER)MiniportInterruptContext;

    PNDIS_RECEIVE_THROTTLE_PARAMETERS t = (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters;

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);
    // The ISR's ICR read cleared the causes: look at every ring.
    ServiceCauses(A, ALL_CAUSES, t);
    if (!t->MoreNblsPending && !A->Halting)
        Wr(A, VN_IMS, ALL_CAUSES); // causes that came meanwhile assert the line again
}

static VOID MpDisableInterrupt(NDIS_HANDLE MiniportInterruptContext)
{
    Wr((PADAPTER)MiniportInterruptContext, VN_IMC, ALL_CAUSES);
}

static VOID MpEnableInterrupt(NDIS_HANDLE MiniportInterruptContext)
{
    Wr((PADAPTER)MiniportInterruptContext, VN_IMS, ALL_CAUSES);
}

//
// Message modes: the device auto-clears the message's causes in ICR and,
// with IAM, masks them in IMS when it signals; the DPC services them and
// opens IMS again, which re-signals if causes arrived meanwhile.
//
static BOOLEAN MpMessageInterrupt(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
                                  PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
    UNREFERENCED_PARAMETER(MiniportInterruptContext);
    UNREFERENCED_PARAMETER(MessageId);
    *TargetProcessors = 0;
    *QueueDefaultInterruptDpc = TRUE;
    return TRUE;
}

static VOID MpMessageInterruptDpc(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
                                  PVOID MiniportDpcContext, PVOID ReceiveThrottleParameters,
                                  PVOID NdisReserved2)
{
    PADAPTER A = (PADAPTER)MiniportInterruptContext;
    PNDIS_RECEIVE_THROTTLE_PARAMETERS t = (PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters;
    ULONG causes = CausesOf(A, MessageId);

    UNREFERENCED_PARAMETER(MiniportDpcContext);
    UNREFERENCED_PARAMETER(NdisReserved2);
    ServiceCauses(A, causes, t);
    if (!t->MoreNblsPending && !A->Halting)
        Wr(A, VN_IMS, causes);
}

static VOID MpDisableMessageInterrupt(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId)
{
    PADAPTER A = (PADAPTER)MiniportInterruptContext;

    Wr(A, VN_IMC, CausesOf(A, MessageId));
}

static VOID MpEnableMessageInterrupt(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId)
{
    PADAPTER A = (PADAPTER)MiniportInterruptContext;

    Wr(A, VN_IMS, CausesOf(A, MessageId));
}

static NDIS_STATUS RegisterInterrupt(PADAPTER A)
{
    NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS ic;
    NDIS_STATUS status;
    ULONG m;

    NdisZeroMemory(&ic, sizeof(ic));
    ic.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
    ic.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
    ic.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
    ic.InterruptHandler = MpInterrupt;
    ic.InterruptDpcHandler = MpInterruptDpc;
    ic.DisableInterruptHandler = MpDisableInterrupt;
    ic.EnableInterruptHandler = MpEnableInterrupt;
    ic.MsiSupported = TRUE;
    ic.MsiSyncWithAllMessages = FALSE;
    ic.MessageInterruptHandler = MpMessageInterrupt;
    ic.MessageInterruptDpcHandler = MpMessageInterruptDpc;
    ic.DisableMessageInterruptHandler = MpDisableMessageInterrupt;
    ic.EnableMessageInterruptHandler = MpEnableMessageInterrupt;
    status = NdisMRegisterInterruptEx(A->Handle, A, &ic, &A->Interrupt);
    if (status != NDIS_STATUS_SUCCESS)
        return status;
    A->InterruptType = ic.InterruptType;
    A->Messages = 1;
    if (ic.InterruptType == NDIS_CONNECT_MESSAGE_BASED && ic.MessageInfoTable != NULL)
        A->Messages = ic.MessageInfoTable->MessageCount;
    //
    // Receive on message 0, transmit on 1, link and errors on 2, as far as
    // the messages granted go; IMODE 1 (MSI) puts every cause on message 0.
    //
    for (m = 0; m < ROUTES; m++)
        A->Route[m] = m < A->Messages ? m : A->Messages - 1;
    if (ic.InterruptType != NDIS_CONNECT_MESSAGE_BASED)
        A->Imode = IMODE_LINE;
    else if (A->Messages == 1)
        A->Imode = IMODE_MSI;
    else
        A->Imode = IMODE_MSIX;
    return NDIS_STATUS_SUCCESS;
}

static VOID ProgramInterrupts(PADAPTER A)
{
    ULONG m;

    Wr(A, VN_IMC, 0xFFFFFFFF);
    Wr(A, VN_IMODE, A->Imode);
    if (A->Imode == IMODE_MSIX) {
        Wr(A, VN_IVAR(0), IVAR_VALID | A->Route[ROUTE_RX]);   // RXQ0
        Wr(A, VN_IVAR(17), IVAR_VALID | A->Route[ROUTE_RX]);  // RXO
        Wr(A, VN_IVAR(8), IVAR_VALID | A->Route[ROUTE_TX]);   // TXQ0
        Wr(A, VN_IVAR(16), IVAR_VALID | A->Route[ROUTE_OTHER]); // LSC
        Wr(A, VN_IVAR(18), IVAR_VALID | A->Route[ROUTE_OTHER]); // ERR
    }
    Wr(A, VN_IAM, A->Imode == IMODE_LINE ? 0 : ALL_CAUSES);
    // At most about 8000 signals a second per message (ITR in microseconds).
    for (m = 0; m < A->Messages; m++)
        Wr(A, VN_ITR(m), A->Moderation ? 125 : 0);
    Wr(A, VN_IMS, ALL_CAUSES);
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
    if (A->SurpriseRemoved)
        return;
    NdisDprAcquireSpinLock(&A->Lock);
    A->DeviceReceived = Rd(A, VN_GPRC);
    A->DeviceSent = Rd(A, VN_GPTC);
    A->DeviceMissed = Rd(A, VN_MPC);
    NdisDprReleaseSpinLock(&A->Lock);
}

//
// ------------------------------------------------------ device control
//

static VOID ProgramFilter(PADAPTER A)
{
    ULONG f = 0;

    if (A->PacketFilter & NDIS_PACKET_TYPE_DIRECTED)
        f |= FILTER_UNICAST;
    if (A->PacketFilter & (NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_MULTICAST))
        f |= FILTER_ALLMULTI; // VN-1 has no multicast table: take them all
    if (A->PacketFilter & NDIS_PACKET_TYPE_BROADCAST)
        f |= FILTER_BROADCAST;
    if (A->PacketFilter & NDIS_PACKET_TYPE_PROMISCUOUS)
        f |= FILTER_PROMISC;
    Wr(A, VN_RXFILTER, f);
}

static BOOLEAN ResetDevice(PADAPTER A, BOOLEAN MaySleep)
{
    ULONG i;

    Wr(A, VN_CTRL, CTRL_RST);
    for (i = 0; i < 100 && (Rd(A, VN_CTRL) & CTRL_RST); i++) {
        if (MaySleep)
            NdisMSleep(100);
        else
            NdisStallExecution(10);
    }
    return (Rd(A, VN_CTRL) & CTRL_RST) == 0;
}

static VOID StartDevice(PADAPTER A)
{
    const UCHAR *m = A->CurrentAddress;

    Wr(A, VN_MAC_LO, m[0] | (m[1] << 8) | (m[2] << 16) | ((ULONG)m[3] << 24));
    Wr(A, VN_MAC_HI, m[4] | (m[5] << 8));
    Wr(A, VN_RXQ + VN_Q_BAL, NdisGetPhysicalAddressLow(A->RxRingPa));
    Wr(A, VN_RXQ + VN_Q_BAH, NdisGetPhysicalAddressHigh(A->RxRingPa));
    Wr(A, VN_RXQ + VN_Q_LEN, RX_RING);
    Wr(A, VN_RXQ + VN_Q_BUFSZ, BUFFER_SIZE);
    Wr(A, VN_TXQ + VN_Q_BAL, NdisGetPhysicalAddressLow(A->TxRingPa));
    Wr(A, VN_TXQ + VN_Q_BAH, NdisGetPhysicalAddressHigh(A->TxRingPa));
    Wr(A, VN_TXQ + VN_Q_LEN, TX_RING);
    A->RxNext = A->RxTail = A->RxPosted = 0;
    A->TxNext = A->TxClean = A->TxInUse = 0;
    Wr(A, VN_RXQ + VN_Q_TAIL, 0);
    Wr(A, VN_TXQ + VN_Q_TAIL, 0);
    Wr(A, VN_RXQ + VN_Q_CTL, 1);
    Wr(A, VN_TXQ + VN_Q_CTL, 1);
    RxRefill(A);
    ProgramFilter(A);
    ProgramInterrupts(A);
    Wr(A, VN_CTRL, CTRL_RXEN | CTRL_TXEN);
}

//
// ------------------------------------------------- initialize and halt
//

static VOID FreeAdapter(PADAPTER A)
{
    ULONG i;

    if (A->RxBuffers != NULL) {
        for (i = 0; i < A->RxBufferCount; i++) {
            if (A->RxBuffers[i].Nbl != NULL)
                NdisFreeNetBufferList(A->RxBuffers[i].Nbl);
            if (A->RxBuffers[i].Mdl != NULL)
                NdisFreeMdl(A->RxBuffers[i].Mdl);
        }
        NdisFreeMemory(A->RxBuffers, 0, 0);
    }
    if (A->NblPool != NULL)
        NdisFreeNetBufferListPool(A->NblPool);
    if (A->RxMemory != NULL)
        NdisMFreeSharedMemory(A->Handle, A->RxBufferCount * BUFFER_SIZE, TRUE, A->RxMemory,
                              A->RxMemoryPa);
    if (A->TxBounce != NULL)
        NdisMFreeSharedMemory(A->Handle, TX_RING * BUFFER_SIZE, TRUE, A->TxBounce, A->TxBouncePa);
    if (A->RxRing != NULL)
        NdisMFreeSharedMemory(A->Handle, RX_RING * sizeof(VN_RX_DESC), FALSE, A->RxRing,
                              A->RxRingPa);
    if (A->TxRing != NULL)
        NdisMFreeSharedMemory(A->Handle, TX_RING * sizeof(VN_TX_DESC), FALSE, A->TxRing,
                              A->TxRingPa);
    if (A->DmaHandle != NULL)
        NdisMDeregisterScatterGatherDma(A->DmaHandle);
    if (A->Registers != NULL)
        NdisMUnmapIoSpace(A->Handle, A->Registers, A->RegistersLength);
    if (A->StatsTimer != NULL)
        NdisFreeTimerObject(A->StatsTimer);
    if (A->LinkWork != NULL)
        NdisFreeIoWorkItem(A->LinkWork);
    NdisDeleteNPagedLookasideList(&A->TcbLookaside);
    NdisFreeSpinLock(&A->Lock);
    NdisFreeSpinLock(&A->RxLock);
    NdisFreeSpinLock(&A->TxLock);
    NdisFreeMemory(A, 0, 0);
}

static NDIS_STATUS FindResources(PADAPTER A, PNDIS_MINIPORT_INIT_PARAMETERS P)
{
    PCM_PARTIAL_RESOURCE_LIST list = P->AllocatedResources;
    USHORT ids[2] = {0, 0};
    ULONG i;

    if (NdisMGetBusData(A->Handle, PCI_WHICHSPACE_CONFIG, 0, ids, sizeof(ids)) != sizeof(ids) ||
        ids[0] != VN_VENDOR || ids[1] != VN_DEVICE) {
        NdisWriteErrorLogEntry(A->Handle, NDIS_ERROR_CODE_ADAPTER_NOT_FOUND, 2, ids[0], ids[1]);
        return NDIS_STATUS_ADAPTER_NOT_FOUND;
    }
    for (i = 0; list != NULL && i < list->Count; i++) {
        PCM_PARTIAL_RESOURCE_DESCRIPTOR r = &list->PartialDescriptors[i];

        if (r->Type == CmResourceTypeMemory && A->RegistersLength == 0) {
            A->RegistersPa = r->u.Memory.Start;
            A->RegistersLength = r->u.Memory.Length;
        }
    }
    if (A->RegistersLength < 0x8000) {
        NdisWriteErrorLogEntry(A->Handle, NDIS_ERROR_CODE_RESOURCE_CONFLICT, 1,
                               list != NULL ? list->Count : 0);
        return NDIS_STATUS_RESOURCE_CONFLICT;
    }
    return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS AllocateMemory(PADAPTER A)
{
    NET_BUFFER_LIST_POOL_PARAMETERS pool;
    NDIS_SG_DMA_DESCRIPTION dma;
    NDIS_STATUS status;
    ULONG i;

    NdisZeroMemory(&dma, sizeof(dma));
    dma.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
    dma.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
    dma.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
    dma.Flags = NDIS_SG_DMA_64_BIT_ADDRESS;
    dma.MaximumPhysicalMapping = BUFFER_SIZE;
    dma.ProcessSGListHandler = MpProcessSGList;
    status = NdisMRegisterScatterGatherDma(A->Handle, &dma, &A->DmaHandle);
    if (status != NDIS_STATUS_SUCCESS)
        return status;
    A->SgListSize = dma.ScatterGatherListSize;

    NdisMAllocateSharedMemory(A->Handle, RX_RING * sizeof(VN_RX_DESC), FALSE,
                              (PVOID *)&A->RxRing, &A->RxRingPa);
    NdisMAllocateSharedMemory(A->Handle, TX_RING * sizeof(VN_TX_DESC), FALSE,
                              (PVOID *)&A->TxRing, &A->TxRingPa);
    NdisMAllocateSharedMemory(A->Handle, A->RxBufferCount * BUFFER_SIZE, TRUE,
                              (PVOID *)&A->RxMemory, &A->RxMemoryPa);
    NdisMAllocateSharedMemory(A->Handle, TX_RING * BUFFER_SIZE, TRUE, (PVOID *)&A->TxBounce,
                              &A->TxBouncePa);
    if (A->RxRing == NULL || A->TxRing == NULL || A->RxMemory == NULL || A->TxBounce == NULL)
        return NDIS_STATUS_RESOURCES;

    NdisZeroMemory(&pool, sizeof(pool));
    pool.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    pool.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    pool.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    pool.ProtocolId = NDIS_PROTOCOL_ID_DEFAULT;
    pool.fAllocateNetBuffer = TRUE;
    pool.ContextSize = 0;
    pool.PoolTag = DDI_TAG;
    pool.DataSize = 0; // the data is ours: shared memory, one MDL each
    A->NblPool = NdisAllocateNetBufferListPool(A->Handle, &pool);
    if (A->NblPool == NULL)
        return NDIS_STATUS_RESOURCES;
    status = NdisAllocateMemoryWithTag((PVOID *)&A->RxBuffers,
                                       A->RxBufferCount * sizeof(RX_BUFFER), DDI_TAG);
    if (status != NDIS_STATUS_SUCCESS)
        return NDIS_STATUS_RESOURCES;
    NdisZeroMemory(A->RxBuffers, A->RxBufferCount * sizeof(RX_BUFFER));
    for (i = 0; i < A->RxBufferCount; i++) {
        PRX_BUFFER b = &A->RxBuffers[i];

        b->Va = A->RxMemory + i * BUFFER_SIZE;
        b->Pa.QuadPart = A->RxMemoryPa.QuadPart + (LONGLONG)i * BUFFER_SIZE;
        b->Mdl = NdisAllocateMdl(A->Handle, b->Va, BUFFER_SIZE);
        if (b->Mdl == NULL)
            return NDIS_STATUS_RESOURCES;
        b->Nbl = NdisAllocateNetBufferAndNetBufferList(A->NblPool, 0, 0, b->Mdl, 0, BUFFER_SIZE);
        if (b->Nbl == NULL)
            return NDIS_STATUS_RESOURCES;
        b->Nbl->SourceHandle = A->Handle;
        NET_BUFFER_LIST_MINIPORT_RESERVED(b->Nbl)[0] = b;
        RxPush(A, b);
    }
    return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS SetAttributes(PADAPTER A)
{
    static const NDIS_OID oids[] = {
        OID_GEN_SUPPORTED_LIST, OID_GEN_HARDWARE_STATUS, OID_GEN_MEDIA_SUPPORTED,
        OID_GEN_MEDIA_IN_USE, OID_GEN_MAXIMUM_FRAME_SIZE, OID_GEN_MAXIMUM_LOOKAHEAD,
        OID_GEN_CURRENT_LOOKAHEAD, OID_GEN_MAXIMUM_TOTAL_SIZE, OID_GEN_LINK_SPEED,
        OID_GEN_VENDOR_ID, OID_GEN_VENDOR_DESCRIPTION, OID_GEN_VENDOR_DRIVER_VERSION,
        OID_GEN_CURRENT_PACKET_FILTER, OID_GEN_MEDIA_CONNECT_STATUS, OID_GEN_XMIT_OK,
        OID_GEN_RCV_OK, OID_GEN_XMIT_ERROR, OID_GEN_RCV_ERROR, OID_GEN_RCV_NO_BUFFER,
        OID_802_3_PERMANENT_ADDRESS, OID_802_3_CURRENT_ADDRESS, OID_802_3_MULTICAST_LIST,
        OID_802_3_MAXIMUM_LIST_SIZE,
    };
    static NDIS_OID supported[sizeof(oids) / sizeof(oids[0])];
    NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES reg;
    NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES gen;
    NDIS_STATUS status;

    NdisZeroMemory(&reg, sizeof(reg));
    reg.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
    reg.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
    reg.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
    reg.MiniportAdapterContext = A;
    reg.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE | NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
    reg.CheckForHangTimeInSeconds = HANG_SECONDS;
    reg.InterfaceType = NdisInterfacePci;
    status = NdisMSetMiniportAttributes(A->Handle, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&reg);
    if (status != NDIS_STATUS_SUCCESS)
        return status;

    NdisMoveMemory(supported, oids, sizeof(oids));
    NdisZeroMemory(&gen, sizeof(gen));
    gen.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;
    gen.Header.Revision = NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
    gen.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
    gen.MediaType = NdisMedium802_3;
    gen.PhysicalMediumType = NdisPhysicalMedium802_3;
    gen.MtuSize = MTU;
    gen.MaxXmitLinkSpeed = gen.MaxRcvLinkSpeed = 10000000000ull;
    gen.XmitLinkSpeed = gen.RcvLinkSpeed = A->LinkUp ? A->LinkSpeed : NDIS_LINK_SPEED_UNKNOWN;
    gen.MediaConnectState = A->LinkUp ? MediaConnectStateConnected : MediaConnectStateDisconnected;
    gen.MediaDuplexState = MediaDuplexStateFull;
    gen.LookaheadSize = MTU;
    gen.MacOptions = NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA | NDIS_MAC_OPTION_TRANSFERS_NOT_PEND |
                     NDIS_MAC_OPTION_NO_LOOPBACK;
    gen.SupportedPacketFilters = NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST |
                                 NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_BROADCAST |
                                 NDIS_PACKET_TYPE_PROMISCUOUS;
    gen.MaxMulticastListSize = MAX_MULTICAST;
    gen.MacAddressLength = 6;
    NdisMoveMemory(gen.PermanentMacAddress, A->PermanentAddress, 6);
    NdisMoveMemory(gen.CurrentMacAddress, A->CurrentAddress, 6);
    gen.RecvScaleCapabilities = NULL;
    gen.AccessType = NET_IF_ACCESS_BROADCAST;
    gen.DirectionType = NET_IF_DIRECTION_SENDRECEIVE;
    gen.ConnectionType = NET_IF_CONNECTION_DEDICATED;
    gen.IfType = IF_TYPE_ETHERNET_CSMACD;
    gen.IfConnectorPresent = TRUE;
    gen.SupportedStatistics = 0;
    gen.SupportedPauseFunctions = NdisPauseFunctionsUnsupported;
    gen.SupportedOidList = supported;
    gen.SupportedOidListLength = sizeof(supported);
    return NdisMSetMiniportAttributes(A->Handle, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&gen);
}

static NDIS_STATUS MpInitializeEx(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportDriverContext,
                                  PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
    NDIS_TIMER_CHARACTERISTICS timer;
    PADAPTER A = NULL;
    NDIS_STATUS status;
    ULONG lo, hi;

    UNREFERENCED_PARAMETER(MiniportDriverContext);
    A = (PADAPTER)NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(*A), DDI_TAG,
                                                   NormalPoolPriority);
    if (A == NULL)
        return NDIS_STATUS_RESOURCES;
    NdisZeroMemory(A, sizeof(*A));
    A->Handle = MiniportAdapterHandle;
    A->State = StatePaused;
    NdisAllocateSpinLock(&A->Lock);
    NdisAllocateSpinLock(&A->RxLock);
    NdisAllocateSpinLock(&A->TxLock);
    NdisInitializeNPagedLookasideList(&A->TcbLookaside, NULL, NULL, 0, sizeof(TCB), DDI_TAG, 0);
    NdisInitializeEvent(&A->LinkWorkIdle);
    NdisSetEvent(&A->LinkWorkIdle);
    A->RxFree.Next = NULL;

    ReadSettings(A);
    status = FindResources(A, MiniportInitParameters);
    if (status != NDIS_STATUS_SUCCESS)
        goto fail;
    status = NdisMMapIoSpace((PVOID *)&A->Registers, MiniportAdapterHandle, A->RegistersPa,
                             A->RegistersLength);
    if (status != NDIS_STATUS_SUCCESS)
        goto fail;
    if (!ResetDevice(A, TRUE)) {
        NdisWriteErrorLogEntry(MiniportAdapterHandle, NDIS_ERROR_CODE_HARDWARE_FAILURE, 1, 1);
        status = NDIS_STATUS_HARD_ERRORS;
        goto fail;
    }
    lo = Rd(A, VN_MAC_LO);
    hi = Rd(A, VN_MAC_HI);
    A->PermanentAddress[0] = (UCHAR)lo;
    A->PermanentAddress[1] = (UCHAR)(lo >> 8);
    A->PermanentAddress[2] = (UCHAR)(lo >> 16);
    A->PermanentAddress[3] = (UCHAR)(lo >> 24);
    A->PermanentAddress[4] = (UCHAR)hi;
    A->PermanentAddress[5] = (UCHAR)(hi >> 8);
    {
        static const UCHAR zero[6] = {0};

        if (NdisEqualMemory(A->CurrentAddress, zero, 6))
            NdisMoveMemory(A->CurrentAddress, A->PermanentAddress, 6);
    }
    ReadLink(A);
    status = SetAttributes(A);
    if (status != NDIS_STATUS_SUCCESS)
        goto fail;
    status = AllocateMemory(A);
    if (status != NDIS_STATUS_SUCCESS)
        goto fail;

    A->LinkWork = NdisAllocateIoWorkItem(MiniportAdapterHandle);
    NdisZeroMemory(&timer, sizeof(timer));
    timer.Header.Type = NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS;
    timer.Header.Revision = NDIS_TIMER_CHARACTERISTICS_REVISION_1;
    timer.Header.Size = NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1;
    timer.AllocationTag = DDI_TAG;
    timer.TimerFunction = StatsTimer;
    timer.FunctionContext = A;
    status = NdisAllocateTimerObject(MiniportAdapterHandle, &timer, &A->StatsTimer);
    if (status != NDIS_STATUS_SUCCESS || A->LinkWork == NULL) {
        status = NDIS_STATUS_RESOURCES;
        goto fail;
    }

    status = RegisterInterrupt(A);
    if (status != NDIS_STATUS_SUCCESS) {
        NdisWriteErrorLogEntry(MiniportAdapterHandle, NDIS_ERROR_CODE_INTERRUPT_CONNECT, 1, status);
        goto fail;
    }
    NdisAcquireSpinLock(&A->RxLock);
    StartDevice(A);
    NdisReleaseSpinLock(&A->RxLock);
    {
        LARGE_INTEGER due;

        due.QuadPart = -10 * 1000 * (LONGLONG)STATS_PERIOD_MS; // relative, 100 ns units
        NdisSetTimerObject(A->StatsTimer, due, STATS_PERIOD_MS, NULL);
    }
    // The link may still be coming up: look again after a settle time.
    ScheduleLinkCheck(A);
    return NDIS_STATUS_SUCCESS;

fail:
    if (A->Interrupt != NULL)
        NdisMDeregisterInterruptEx(A->Interrupt);
    if (A->Registers != NULL)
        (void)ResetDevice(A, TRUE);
    FreeAdapter(A);
    return status;
}

static VOID MpHaltEx(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(HaltAction);
    A->Halting = TRUE;
    if (!NdisCancelTimerObject(A->StatsTimer))
        KeFlushQueuedDpcs(); // it may be running: wait for it
    if (!A->SurpriseRemoved) {
        Wr(A, VN_IMC, 0xFFFFFFFF);
        Wr(A, VN_CTRL, 0);
    }
    NdisMDeregisterInterruptEx(A->Interrupt);
    (void)NdisWaitEvent(&A->LinkWorkIdle, 0); // the link work item is done with us
    if (!A->SurpriseRemoved)
        (void)ResetDevice(A, TRUE); // no more DMA after this
    FreeAdapter(A);
}

static VOID MpShutdownEx(NDIS_HANDLE MiniportAdapterContext, NDIS_SHUTDOWN_ACTION ShutdownAction)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(ShutdownAction);
    if (!A->SurpriseRemoved) {
        Wr(A, VN_IMC, 0xFFFFFFFF);
        Wr(A, VN_CTRL, 0); // stop DMA; touch nothing else
    }
}

static VOID MpDevicePnPEventNotify(NDIS_HANDLE MiniportAdapterContext,
                                   PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;

    if (NetDevicePnPEvent->DevicePnPEvent == NdisDevicePnPEventSurpriseRemoved)
        A->SurpriseRemoved = TRUE;
}

//
// ------------------------------------------------------- pause/restart
//

static VOID PauseCompleteIfIdle(PADAPTER A)
{
    BOOLEAN complete = FALSE;

    NdisAcquireSpinLock(&A->Lock);
    if (A->State == StatePausing && A->PendingSends == 0 && A->RxIndicated == 0) {
        A->State = StatePaused;
        complete = TRUE;
    }
    NdisReleaseSpinLock(&A->Lock);
    if (complete)
        NdisMPauseComplete(A->Handle);
}

static NDIS_STATUS MpPause(NDIS_HANDLE MiniportAdapterContext,
                           PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    NDIS_STATUS status = NDIS_STATUS_PENDING;

    UNREFERENCED_PARAMETER(PauseParameters);
    NdisAcquireSpinLock(&A->TxLock);
    NdisDprAcquireSpinLock(&A->Lock);
    A->State = StatePausing;
    if (A->PendingSends == 0 && A->RxIndicated == 0) {
        A->State = StatePaused;
        status = NDIS_STATUS_SUCCESS;
    }
    NdisDprReleaseSpinLock(&A->Lock);
    NdisReleaseSpinLock(&A->TxLock);
    return status;
}

static NDIS_STATUS MpRestart(NDIS_HANDLE MiniportAdapterContext,
                             PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;

    UNREFERENCED_PARAMETER(RestartParameters);
    NdisAcquireSpinLock(&A->TxLock);
    A->State = StateRunning;
    NdisReleaseSpinLock(&A->TxLock);
    return NDIS_STATUS_SUCCESS;
}

//
// ------------------------------------------------ reset, check-for-hang
//

static BOOLEAN MpCheckForHangEx(NDIS_HANDLE MiniportAdapterContext)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    BOOLEAN hung = FALSE;

    NdisAcquireSpinLock(&A->TxLock);
    if (A->TxInUse > 0 && A->TxClean == A->TxLastClean)
        hung = ++A->HangChecks >= 2;
    else
        A->HangChecks = 0;
    A->TxLastClean = A->TxClean;
    NdisReleaseSpinLock(&A->TxLock);
    return hung;
}

static NDIS_STATUS MpResetEx(NDIS_HANDLE MiniportAdapterContext, PBOOLEAN AddressingReset)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;
    PTCB failed[TX_RING];
    ULONG count = 0, i;

    *AddressingReset = FALSE;
    InterlockedIncrement(&A->Resets);
    NdisWriteErrorLogEntry(A->Handle, NDIS_ERROR_CODE_HARDWARE_FAILURE, 1, 4);
    NdisAcquireSpinLock(&A->TxLock);
    NdisDprAcquireSpinLock(&A->RxLock);
    (void)ResetDevice(A, FALSE);
    while (A->TxInUse > 0) {
        failed[count++] = A->TxTcb[A->TxClean];
        A->TxTcb[A->TxClean] = NULL;
        A->TxClean = (A->TxClean + 1) % TX_RING;
        A->TxInUse--;
    }
    while (A->RxPosted > 0) {
        RxPush(A, A->RxOnRing[A->RxNext]);
        A->RxOnRing[A->RxNext] = NULL;
        A->RxNext = (A->RxNext + 1) % RX_RING;
        A->RxPosted--;
    }
    A->HangChecks = 0;
    StartDevice(A);
    NdisDprReleaseSpinLock(&A->RxLock);
    NdisReleaseSpinLock(&A->TxLock);
    for (i = 0; i < count; i++) {
        KIRQL old;

        NDIS_RAISE_IRQL_TO_DISPATCH(&old);
        NdisMFreeNetBufferSGList(A->DmaHandle, failed[i]->Sg, failed[i]->Nb);
        CompleteNbl(A, failed[i]->Nbl, NDIS_STATUS_REQUEST_ABORTED, TRUE);
        NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
        NdisFreeToNPagedLookasideList(&A->TcbLookaside, failed[i]);
    }
    return NDIS_STATUS_SUCCESS;
}

//
// ---------------------------------------------------------------- OIDs
//

static NDIS_STATUS QueryOid(PADAPTER A, PNDIS_OID_REQUEST R)
{
    static const char description[] = "ndisrt DDI test miniport (NDIS 6.20, VN-1)";
    PVOID buffer = R->DATA.QUERY_INFORMATION.InformationBuffer;
    ULONG size = R->DATA.QUERY_INFORMATION.InformationBufferLength;
    const VOID *data;
    ULONG length = sizeof(ULONG), value = 0;
    ULONG64 value64 = 0;
    BOOLEAN is64 = FALSE;

    data = &value;
    switch (R->DATA.QUERY_INFORMATION.Oid) {
    case OID_GEN_HARDWARE_STATUS:
        value = NdisHardwareStatusReady;
        break;
    case OID_GEN_MEDIA_SUPPORTED:
    case OID_GEN_MEDIA_IN_USE:
        value = NdisMedium802_3;
        break;
    case OID_GEN_MAXIMUM_FRAME_SIZE:
    case OID_GEN_MAXIMUM_LOOKAHEAD:
    case OID_GEN_CURRENT_LOOKAHEAD:
        value = MTU;
        break;
    case OID_GEN_MAXIMUM_TOTAL_SIZE:
        value = MAX_FRAME;
        break;
    case OID_GEN_LINK_SPEED:
        value = (ULONG)(A->LinkSpeed / 100);
        break;
    case OID_GEN_VENDOR_ID:
        value = A->PermanentAddress[0] | (A->PermanentAddress[1] << 8) |
                (A->PermanentAddress[2] << 16);
        break;
    case OID_GEN_VENDOR_DESCRIPTION:
        data = description;
        length = sizeof(description);
        break;
    case OID_GEN_VENDOR_DRIVER_VERSION:
        value = 0x00010000;
        break;
    case OID_GEN_CURRENT_PACKET_FILTER:
        value = A->PacketFilter;
        break;
    case OID_GEN_MEDIA_CONNECT_STATUS:
        value = A->LinkUp ? 0 : 1; // NdisMediaStateConnected / Disconnected
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
        value = (ULONG)A->TxErrors;
        break;
    case OID_GEN_RCV_ERROR:
    case OID_GEN_RCV_NO_BUFFER:
        NdisAcquireSpinLock(&A->Lock);
        value = (ULONG)A->DeviceMissed;
        NdisReleaseSpinLock(&A->Lock);
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
        return NDIS_STATUS_NOT_SUPPORTED;
    }
    if (is64) {
        data = &value64;
        length = size < sizeof(ULONG64) ? sizeof(ULONG) : sizeof(ULONG64);
    }
    if (size < length) {
        R->DATA.QUERY_INFORMATION.BytesNeeded = length;
        return NDIS_STATUS_BUFFER_TOO_SHORT;
    }
    NdisMoveMemory(buffer, data, length);
    R->DATA.QUERY_INFORMATION.BytesWritten = length;
    return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS SetOid(PADAPTER A, PNDIS_OID_REQUEST R)
{
    PVOID buffer = R->DATA.SET_INFORMATION.InformationBuffer;
    ULONG size = R->DATA.SET_INFORMATION.InformationBufferLength;
    ULONG value;

    switch (R->DATA.SET_INFORMATION.Oid) {
    case OID_GEN_CURRENT_PACKET_FILTER:
        if (size < sizeof(ULONG)) {
            R->DATA.SET_INFORMATION.BytesNeeded = sizeof(ULONG);
            return NDIS_STATUS_INVALID_LENGTH;
        }
        NdisMoveMemory(&value, buffer, sizeof(ULONG));
        if (value & ~(ULONG)(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST |
                             NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_BROADCAST |
                             NDIS_PACKET_TYPE_PROMISCUOUS))
            return NDIS_STATUS_NOT_SUPPORTED;
        A->PacketFilter = value;
        ProgramFilter(A);
        R->DATA.SET_INFORMATION.BytesRead = sizeof(ULONG);
        return NDIS_STATUS_SUCCESS;
    case OID_GEN_CURRENT_LOOKAHEAD:
        if (size < sizeof(ULONG)) {
            R->DATA.SET_INFORMATION.BytesNeeded = sizeof(ULONG);
            return NDIS_STATUS_INVALID_LENGTH;
        }
        R->DATA.SET_INFORMATION.BytesRead = sizeof(ULONG);
        return NDIS_STATUS_SUCCESS;
    case OID_802_3_MULTICAST_LIST:
        if (size % 6 != 0)
            return NDIS_STATUS_INVALID_LENGTH;
        if (size / 6 > MAX_MULTICAST)
            return NDIS_STATUS_MULTICAST_FULL;
        NdisMoveMemory(A->Multicast, buffer, size);
        A->MulticastCount = size / 6;
        ProgramFilter(A);
        R->DATA.SET_INFORMATION.BytesRead = size;
        return NDIS_STATUS_SUCCESS;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}

static NDIS_STATUS MpOidRequest(NDIS_HANDLE MiniportAdapterContext, PNDIS_OID_REQUEST OidRequest)
{
    PADAPTER A = (PADAPTER)MiniportAdapterContext;

    switch (OidRequest->RequestType) {
    case NdisRequestQueryInformation:
    case NdisRequestQueryStatistics:
        return QueryOid(A, OidRequest);
    case NdisRequestSetInformation:
        return SetOid(A, OidRequest);
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}

static VOID MpCancelOidRequest(NDIS_HANDLE MiniportAdapterContext, PVOID RequestId)
{
    // Every request completes synchronously: nothing to cancel.
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(RequestId);
}

//
// -------------------------------------------------------------- driver
//

static NDIS_STATUS MpSetOptions(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext)
{
    // No optional handlers (no offloads, no power management).
    UNREFERENCED_PARAMETER(NdisDriverHandle);
    UNREFERENCED_PARAMETER(DriverContext);
    return NDIS_STATUS_SUCCESS;
}

static VOID MpDriverUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    NdisMDeregisterMiniportDriver(DriverHandle);
}

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NDIS_MINIPORT_DRIVER_CHARACTERISTICS chars;

    NdisZeroMemory(&chars, sizeof(chars));
    chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
    chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
    chars.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
    chars.MajorNdisVersion = 6;
    chars.MinorNdisVersion = 20;
    chars.MajorDriverVersion = 1;
    chars.MinorDriverVersion = 0;
    chars.SetOptionsHandler = MpSetOptions;
    chars.InitializeHandlerEx = MpInitializeEx;
    chars.HaltHandlerEx = MpHaltEx;
    chars.UnloadHandler = MpDriverUnload;
    chars.PauseHandler = MpPause;
    chars.RestartHandler = MpRestart;
    chars.OidRequestHandler = MpOidRequest;
    chars.SendNetBufferListsHandler = MpSendNetBufferLists;
    chars.ReturnNetBufferListsHandler = MpReturnNetBufferLists;
    chars.CancelSendHandler = MpCancelSend;
    chars.CheckForHangHandlerEx = MpCheckForHangEx;
    chars.ResetHandlerEx = MpResetEx;
    chars.DevicePnPEventNotifyHandler = MpDevicePnPEventNotify;
    chars.ShutdownHandlerEx = MpShutdownEx;
    chars.CancelOidRequestHandler = MpCancelOidRequest;
    return NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &chars, &DriverHandle);
}
