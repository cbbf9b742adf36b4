/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_phase.c - the deadline of every host call into a driver.
 *
 * The host marks each call into the driver with its phase just before it
 * posts it to a vCPU (host_phase_next()); ke/watchdog.c bounds the wait and,
 * when the deadline passes, bug-checks on that vCPU with the phase's
 * parameters (<ndisrt/phase.h>). Calls nobody marked get the "other" phase,
 * so no host wait on a vCPU is unbounded.
 *
 * Defaults: 12 s for an OID request, the bound Microsoft's NDIS verifier
 * rule NdisTimedOidComplete sets for completing one; 30 s for every other
 * phase (ndisrt's choice: NDIS documents watchdogs for pause, halt and OID
 * requests but not their length; 30 s is also how long the host waits for
 * a pended pause, restart or OID to complete); 60 s for an unmarked call.
 */
#include "ke/contain.h"
#include "ke/ke.h"
#include "ndisrt/phase.h"
#include "verifier/violation.h"

#include <stdatomic.h>
#include <string.h>

#define NS_PER_S 1000000000ull

_Static_assert(NDISRT_BUGCHECK_WATCHDOG == NDISRT_VIOLATION_WATCHDOG,
	       "verifier/violations.def WATCHDOG is the watchdog's parameter 1");

struct phase_def {
	const char *name;
	uint32_t op; /* parameter 2 */
	const char *what;
};

static const struct phase_def defs[NDISRT_NR_PHASES] = {
    [NDISRT_PHASE_ENTRY] = {"entry", NDISRT_WATCHDOG_DRIVER_ENTRY,
			    "watchdog: DriverEntry did not return before its deadline "
			    "(--phase-timeout entry=S); the call chain is what the vCPU runs"},
    [NDISRT_PHASE_INITIALIZE] = {"initialize", NDISRT_WATCHDOG_MINIPORT_INITIALIZE,
				 "watchdog: MiniportInitializeEx did not return before its "
				 "deadline (--phase-timeout initialize=S); the call chain is "
				 "what the vCPU runs"},
    [NDISRT_PHASE_OID] = {"oid", NDISRT_WATCHDOG_MINIPORT_OID,
			  "watchdog: MiniportOidRequest did not return before its deadline "
			  "(parameter 4: the OID; --phase-timeout oid=S); the call chain is "
			  "what the vCPU runs"},
    [NDISRT_PHASE_PAUSE] = {"pause", NDISRT_WATCHDOG_MINIPORT_PAUSE,
			    "watchdog: MiniportPause did not return before its deadline "
			    "(--phase-timeout pause=S); the call chain is what the vCPU runs"},
    [NDISRT_PHASE_RESTART] = {"restart", NDISRT_WATCHDOG_MINIPORT_RESTART,
			      "watchdog: MiniportRestart did not return before its deadline "
			      "(--phase-timeout restart=S); the call chain is what the vCPU "
			      "runs"},
    [NDISRT_PHASE_HALT] = {"halt", NDISRT_WATCHDOG_MINIPORT_HALT,
			   "watchdog: MiniportHaltEx did not return before its deadline "
			   "(--phase-timeout halt=S); the call chain is what the vCPU runs"},
    [NDISRT_PHASE_UNLOAD] = {"unload", NDISRT_WATCHDOG_DRIVER_UNLOAD,
			     "watchdog: MiniportDriverUnload did not return before its "
			     "deadline (--phase-timeout unload=S); the call chain is what the "
			     "vCPU runs"},
    [NDISRT_PHASE_SEND] = {"send", NDISRT_WATCHDOG_MINIPORT_SEND,
			   "watchdog: MiniportSendNetBufferLists did not return before its "
			   "deadline (--phase-timeout send=S), or the vCPU never got to call "
			   "it; the call chain is what the vCPU runs"},
    [NDISRT_PHASE_OTHER] = {"other", NDISRT_WATCHDOG_HOST_CALL,
			    "watchdog: a host call into a vCPU did not return before its "
			    "deadline (--phase-timeout other=S); the call chain is what the "
			    "vCPU runs"},
};

static _Atomic uint64_t timeouts[NDISRT_NR_PHASES] = {
    [NDISRT_PHASE_ENTRY] = 30 * NS_PER_S,   [NDISRT_PHASE_INITIALIZE] = 30 * NS_PER_S,
    [NDISRT_PHASE_OID] = 12 * NS_PER_S,	    [NDISRT_PHASE_PAUSE] = 30 * NS_PER_S,
    [NDISRT_PHASE_RESTART] = 30 * NS_PER_S, [NDISRT_PHASE_HALT] = 30 * NS_PER_S,
    [NDISRT_PHASE_UNLOAD] = 30 * NS_PER_S,  [NDISRT_PHASE_SEND] = 30 * NS_PER_S,
    [NDISRT_PHASE_OTHER] = 60 * NS_PER_S,
};

/* One per host thread: valid until the marked call returns. */
static __thread struct ke_phase tls_phase;
static struct ke_phase other_phase;

const char *ndisrt_phase_name(enum ndisrt_phase p)
{
	return (unsigned)p < NDISRT_NR_PHASES ? defs[p].name : "?";
}

int ndisrt_phase_by_name(const char *name)
{
	for (int i = 0; i < NDISRT_NR_PHASES; i++)
		if (!strcmp(name, defs[i].name))
			return i;
	return -1;
}

uint64_t ndisrt_phase_timeout_ns(enum ndisrt_phase p)
{
	return (unsigned)p < NDISRT_NR_PHASES ? atomic_load(&timeouts[p]) : 0;
}

static void fill(struct ke_phase *ph, enum ndisrt_phase p, uintptr_t arg)
{
	ph->what = defs[p].what;
	ph->code = KE_BUGCHECK_BUGCODE_NDIS_DRIVER;
	ph->timeout_ns = atomic_load(&timeouts[p]);
	ph->param[0] = NDISRT_BUGCHECK_WATCHDOG;
	ph->param[1] = defs[p].op;
	ph->param[2] = (uintptr_t)(ph->timeout_ns / 1000000u);
	ph->param[3] = arg;
}

void ndisrt_phase_set_timeout(enum ndisrt_phase p, uint64_t ns)
{
	if ((unsigned)p >= NDISRT_NR_PHASES)
		return;
	atomic_store(&timeouts[p], ns);
	if (p == NDISRT_PHASE_OTHER) {
		fill(&other_phase, p, 0);
		ke_phase_set_default(&other_phase);
	}
}

void host_phase_next(enum ndisrt_phase p, uintptr_t arg)
{
	static atomic_int default_set;

	if (!atomic_exchange(&default_set, 1) && !other_phase.what) {
		fill(&other_phase, NDISRT_PHASE_OTHER, 0);
		ke_phase_set_default(&other_phase);
	}
	fill(&tls_phase, p, arg);
	ke_phase_next(&tls_phase);
}
