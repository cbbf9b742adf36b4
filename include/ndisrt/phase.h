/* SPDX-License-Identifier: MIT */
/*
 * <ndisrt/phase.h> - the deadlines of a driver's phases (docs/reliability.md).
 *
 * Every call the host makes into a driver (DriverEntry, MiniportInitializeEx,
 * MiniportOidRequest, MiniportPause, MiniportRestart, MiniportHaltEx,
 * MiniportDriverUnload, MiniportSendNetBufferLists) has a deadline on the
 * engine clock. When it passes, the vCPU the call runs on bug-checks with
 * 0x7C BUGCODE_NDIS_DRIVER, parameter 1 0x25 NDIS_BUGCHECK_WATCHDOG,
 * parameter 2 the operation, 3 the deadline in milliseconds, 4 the OID (for
 * an OID request); its call chain is what that vCPU was running.
 */
#ifndef NDISRT_PHASE_H
#define NDISRT_PHASE_H

#include <stdint.h>

enum ndisrt_phase {
	NDISRT_PHASE_ENTRY,	 /* DriverEntry */
	NDISRT_PHASE_INITIALIZE, /* MiniportInitializeEx / MiniportInitialize */
	NDISRT_PHASE_OID,	 /* MiniportOidRequest / Query- and SetInformation */
	NDISRT_PHASE_PAUSE,	 /* MiniportPause */
	NDISRT_PHASE_RESTART,	 /* MiniportRestart */
	NDISRT_PHASE_HALT,	 /* MiniportHaltEx / MiniportHalt */
	NDISRT_PHASE_UNLOAD,	 /* MiniportDriverUnload */
	NDISRT_PHASE_SEND,	 /* MiniportSendNetBufferLists / MiniportSend(Packets) */
	NDISRT_PHASE_OTHER,	 /* any other host call into a vCPU */
	NDISRT_NR_PHASES
};

/* Parameter 2 of the watchdog bug check: NDIS's documented values for pause,
 * halt and OID (NDIS_BUGCHECK_WATCHDOG_MINIPORT_*), ndisrt's own (0x8x) for
 * the phases NDIS does not document a watchdog for. */
#define NDISRT_WATCHDOG_MINIPORT_PAUSE 0x21
#define NDISRT_WATCHDOG_MINIPORT_HALT 0x22
#define NDISRT_WATCHDOG_MINIPORT_OID 0x23
#define NDISRT_WATCHDOG_DRIVER_ENTRY 0x81
#define NDISRT_WATCHDOG_MINIPORT_INITIALIZE 0x82
#define NDISRT_WATCHDOG_MINIPORT_RESTART 0x83
#define NDISRT_WATCHDOG_DRIVER_UNLOAD 0x84
#define NDISRT_WATCHDOG_MINIPORT_SEND 0x85
#define NDISRT_WATCHDOG_HOST_CALL 0x86
/* Parameter 1: NDIS_BUGCHECK_WATCHDOG. */
#define NDISRT_BUGCHECK_WATCHDOG 0x25

/** ndisrt_phase_name() - "initialize", "oid", ... (the option's spelling). */
const char *ndisrt_phase_name(enum ndisrt_phase p);

/** ndisrt_phase_by_name() - The phase spelled @name, or -1. */
int ndisrt_phase_by_name(const char *name);

/** ndisrt_phase_timeout_ns() - The phase's deadline (defaults: docs/reliability.md). */
uint64_t ndisrt_phase_timeout_ns(enum ndisrt_phase p);

/**
 * ndisrt_phase_set_timeout() - Change a phase's deadline (0: none).
 * Context: host thread, before the calls it should bound.
 */
void ndisrt_phase_set_timeout(enum ndisrt_phase p, uint64_t ns);

/*
 * host_phase_next() - Runtime-internal (ndis/): mark the calling host
 * thread's next ke_vcpu_call() as phase @p (@arg: parameter 4).
 */
void host_phase_next(enum ndisrt_phase p, uintptr_t arg);

#endif /* NDISRT_PHASE_H */
