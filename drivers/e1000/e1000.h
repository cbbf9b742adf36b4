/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    e1000.h

Abstract:

    Adapter context and constants of the 82540EM sample: an NDIS 5.1
    bus-master miniport on a shareable, level-sensitive INTx line, with one
    legacy receive ring and one legacy transmit ring in shared memory.

--*/

#ifndef _E1000_H_
#define _E1000_H_

#define NDIS_MINIPORT_DRIVER            1
#define NDIS51_MINIPORT                 1

#include <ndis.h>

#include "hardware.h"

#define E1000_NDIS_MAJOR_VERSION        5
#define E1000_NDIS_MINOR_VERSION        1

#define E1000_TAG                       0x30303145  // 'E100'
#define ETH_HEADER_SIZE                 14
#define ETH_MAX_DATA_SIZE               1500
#define ETH_MAX_PACKET_SIZE             (ETH_HEADER_SIZE + ETH_MAX_DATA_SIZE)
#define ETH_MIN_PACKET_SIZE             ETH_HEADER_SIZE
#define ETH_LENGTH_OF_ADDRESS           6
#define E1000_MAX_MCAST_LIST            32

//
// Rings: a power of two each (the index arithmetic masks), RDLEN/TDLEN a
// multiple of 128 bytes (SDM 13.4.27). 2048-byte buffers take a whole
// standard frame (RCTL.BSIZE 00b, no LPE), so every frame is one
// descriptor.
//
#define E1000_RX_RING_SIZE              128
#define E1000_TX_RING_SIZE              64
#define E1000_BUFFER_SIZE               2048

//
// Interrupt moderation: at most ~8000 interrupts a second
// (ITR = 10^9 / (256 x 8000) = 488, SDM 13.4.18).
//
#define E1000_INTERRUPTS_PER_SECOND     8000
#define E1000_ITR_DEFAULT               (1000000000 / (E1000_ITR_UNIT_NS * E1000_INTERRUPTS_PER_SECOND))

//
// The causes the driver services.
//
#define E1000_INTERRUPT_MASK            (E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0 | \
                                         E1000_ICR_TXDW | E1000_ICR_LSC)

//
// A packet waiting for a transmit descriptor is linked through its
// MiniportReserved area.
//
#define E1000_PACKET_NEXT(_Packet)      (*(PNDIS_PACKET *)&(_Packet)->MiniportReserved[0])

typedef struct _E1000_ADAPTER {
    NDIS_HANDLE             MiniportAdapterHandle;

    //
    // Resources.
    //
    NDIS_PHYSICAL_ADDRESS   CsrPhysical;
    PUCHAR                  CsrBase;            // NdisMMapIoSpace of BAR0
    UINT                    IoPort;             // BAR2
    ULONG_PTR               IoBase;
    UINT                    InterruptVector;
    NDIS_MINIPORT_INTERRUPT Interrupt;
    BOOLEAN                 Mapped;
    BOOLEAN                 PortsRegistered;
    ULONG                   InterruptThrottle;  // ITR value: *InterruptModeration

    BOOLEAN                 InterruptRegistered;

    //
    // Shared memory: the two rings and their buffers.
    //
    PE1000_RX_DESC          RxRing;
    NDIS_PHYSICAL_ADDRESS   RxRingPa;
    PUCHAR                  RxBuffers;
    NDIS_PHYSICAL_ADDRESS   RxBuffersPa;
    PE1000_TX_DESC          TxRing;
    NDIS_PHYSICAL_ADDRESS   TxRingPa;
    PUCHAR                  TxBuffers;
    NDIS_PHYSICAL_ADDRESS   TxBuffersPa;

    //
    // Shared with MiniportISR: touched only at DIRQL, by the ISR or by a
    // MiniportSynchronizeISR routine under NdisMSynchronizeWithInterrupt.
    //
    ULONG                   ImsShadow;          // what IMS holds
    ULONG                   PendingCauses;      // ICR bits the ISR read, not yet serviced
    BOOLEAN                 Halting;

    //
    // DISPATCH_LEVEL, serialized by NDIS (MiniportSend, MiniportHandleInterrupt,
    // MiniportQuery/SetInformation and MiniportReset never run at once).
    //
    ULONG                   RxNext;             // next descriptor the hardware fills
    ULONG                   TxNextToUse;
    ULONG                   TxNextToClean;
    ULONG                   TxFree;
    PNDIS_PACKET            TxPacket[E1000_TX_RING_SIZE];
    PNDIS_PACKET            SendQueueHead;
    PNDIS_PACKET            SendQueueTail;

    UCHAR                   PermanentAddress[ETH_LENGTH_OF_ADDRESS];
    UCHAR                   CurrentAddress[ETH_LENGTH_OF_ADDRESS];
    ULONG                   PacketFilter;
    ULONG                   McastCount;
    UCHAR                   McastList[E1000_MAX_MCAST_LIST][ETH_LENGTH_OF_ADDRESS];
    NDIS_MEDIA_STATE        MediaState;
    ULONG                   LinkSpeed;          // OID_GEN_LINK_SPEED units (100 bps)
    ULONG                   Lookahead;
    ULONG64                 XmitOk;
    ULONG64                 XmitError;
    ULONG64                 RcvOk;
    ULONG64                 RcvError;
    ULONG64                 RcvNoBuffer;
} E1000_ADAPTER, *PE1000_ADAPTER;

DRIVER_INITIALIZE DriverEntry;

#endif // _E1000_H_
