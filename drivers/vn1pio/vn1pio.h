/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    vn1pio.h

Abstract:

    Adapter context and entry-point declarations of the VN-1 PIO sample:
    an NDIS 5.1 miniport that drives the VN-1 through its programmed-I/O
    window on a shareable, level-sensitive INTx line.

--*/

#ifndef _VN1PIO_H_
#define _VN1PIO_H_

//
// An NDIS 5.1 miniport: <ndis.h> then declares the NDIS 5 DDI
// (NdisMRegisterMiniport, NDIS_PACKET, NdisMRegisterInterrupt, ...).
//
#define NDIS_MINIPORT_DRIVER            1
#define NDIS51_MINIPORT                 1

#include <ndis.h>

#include "hardware.h"

#define VN1PIO_NDIS_MAJOR_VERSION       5
#define VN1PIO_NDIS_MINOR_VERSION       1

#define VN1PIO_TAG                      0x4F495056  // 'VPIO'
#define ETH_HEADER_SIZE                 14
#define ETH_MAX_DATA_SIZE               1500
#define ETH_MAX_PACKET_SIZE             (ETH_HEADER_SIZE + ETH_MAX_DATA_SIZE)
#define ETH_MIN_PACKET_SIZE             ETH_HEADER_SIZE
#define ETH_LENGTH_OF_ADDRESS           6
#define VN1PIO_MAX_MCAST_LIST           32
#define VN1PIO_LINK_SPEED_100BPS        10000000    // OID_GEN_LINK_SPEED: units of 100 bps (1 Gb/s)

//
// The causes the driver services. TX is not enabled: a frame is done as
// soon as TX_GO takes it (datasheet §7), so sends complete synchronously.
//
#define VN1PIO_INTERRUPT_MASK           (VN1_PIO_INT_RX | VN1_PIO_INT_LSC | VN1_PIO_INT_RXO)

typedef struct _VN1PIO_ADAPTER {
    NDIS_HANDLE             MiniportAdapterHandle;

    //
    // Resources.
    //
    UINT                    InitialPort;
    ULONG_PTR               IoBase;             // PortOffset from NdisMRegisterIoPortRange
    BOOLEAN                 PortsRegistered;
    UINT                    InterruptVector;
    NDIS_MINIPORT_INTERRUPT Interrupt;
    BOOLEAN                 InterruptRegistered;

    //
    // Shared with MiniportISR: touched only at DIRQL, by the ISR or by a
    // MiniportSynchronizeISR routine under NdisMSynchronizeWithInterrupt.
    //
    USHORT                  ImrShadow;          // what PIO_IMR holds
    USHORT                  PendingCauses;      // PIO_ISR bits the ISR read, not yet serviced
    BOOLEAN                 Halting;            // no more unmasking

    //
    // Used at DISPATCH_LEVEL only. NDIS serializes this miniport's
    // MiniportSend, MiniportQuery/SetInformation and MiniportHandleInterrupt.
    //
    UCHAR                   PermanentAddress[ETH_LENGTH_OF_ADDRESS];
    UCHAR                   CurrentAddress[ETH_LENGTH_OF_ADDRESS];
    ULONG                   PacketFilter;
    ULONG                   McastCount;
    UCHAR                   McastList[VN1PIO_MAX_MCAST_LIST][ETH_LENGTH_OF_ADDRESS];
    NDIS_MEDIA_STATE        MediaState;
    ULONG                   Lookahead;
    ULONG64                 XmitOk;
    ULONG64                 XmitError;
    ULONG64                 RcvOk;
    ULONG64                 RcvError;
    ULONG64                 RcvNoBuffer;

    //
    // Frame buffers (the DPC's and the send path's), one each: their users
    // are serialized.
    //
    UCHAR                   RxFrame[VN1_MAX_FRAME_SIZE + 2];
    UCHAR                   TxFrame[ETH_MAX_PACKET_SIZE + 2];
} VN1PIO_ADAPTER, *PVN1PIO_ADAPTER;

//
// Entry points, declared for every file that refers to them.
//
DRIVER_INITIALIZE DriverEntry;

#endif // _VN1PIO_H_
