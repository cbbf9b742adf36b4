/*++

Module Name:

    sample.h

Abstract:

    A sample NDIS 6.30 miniport's interrupt path: adapter context and the
    device's register block. Written against the WDK's ndis.h contract only;
    ndisrt compiles it with -I include and nothing else.

--*/

#pragma once

#ifndef NDIS_MINIPORT_DRIVER
#define NDIS_MINIPORT_DRIVER 1
#endif
#ifndef NDIS630_MINIPORT
#define NDIS630_MINIPORT 1
#endif

#include <ndis.h>

#define SAMPLE_MAX_MESSAGES 4

#define SAMPLE_CAUSE_RX 0x00000001
#define SAMPLE_CAUSE_TX 0x00000002

//
// The device's registers. On real hardware this block is memory-mapped and
// read with NdisReadRegisterUlong; here the host's device model shares it.
//
typedef struct _SAMPLE_REGISTERS {
    volatile ULONG Cause[SAMPLE_MAX_MESSAGES];     // per queue; the ISR clears it
    volatile ULONG RxPending[SAMPLE_MAX_MESSAGES]; // frames in each receive ring
    volatile ULONG MessageMask;                    // bit m: message m masked
    volatile ULONG LineMask;                       // 1: INTx masked
} SAMPLE_REGISTERS, *PSAMPLE_REGISTERS;

typedef struct _SAMPLE_ADAPTER {
    NDIS_HANDLE                 AdapterHandle;
    NDIS_HANDLE                 InterruptHandle;
    PSAMPLE_REGISTERS           Registers;
    NDIS_INTERRUPT_TYPE         InterruptType;
    PIO_INTERRUPT_MESSAGE_INFO  MessageInfo;

    //
    // Causes saved by the ISR for its DPC; touched only under the interrupt
    // lock (ISR, or NdisMSynchronizeWithInterruptEx).
    //
    ULONG                       SavedCause[SAMPLE_MAX_MESSAGES];

    //
    // Statistics, written by the DPC of each queue only.
    //
    ULONG                       Indicated[SAMPLE_MAX_MESSAGES];
    ULONG                       DpcCount[SAMPLE_MAX_MESSAGES];
    ULONG                       MaxIndicatedPerDpc;
    ULONG                       DiagnosticCalls;
} SAMPLE_ADAPTER, *PSAMPLE_ADAPTER;

_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS
SampleSetAttributesAndRegisterInterrupt(
    _In_ NDIS_HANDLE     MiniportAdapterHandle,
    _In_ PSAMPLE_ADAPTER Adapter,
    _In_ BOOLEAN         MsiSupported
    );

_IRQL_requires_(PASSIVE_LEVEL)
VOID
SampleDeregisterInterrupt(
    _In_ PSAMPLE_ADAPTER Adapter
    );
