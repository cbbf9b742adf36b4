/* SPDX-License-Identifier: MIT */
/*
 * ndis/wdk.h - private to the support DDIs of <ndis/support.h>
 * (ndis/config.c, misc.c, event.c, timer.c, workitem.c): the numbers that
 * name them in bug-check parameter 4, and what they share.
 */
#ifndef NDISRT_NDIS_WDK_H
#define NDISRT_NDIS_WDK_H

#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"

#include "ndisrt/host.h"

/* Which support DDI raised a violation (bug check parameter 4). */
enum ndis_wdk_ddi {
	NDIS_WDK_DDI_CONFIG =
	    0x401,		   /* NdisOpen/Read/Write/CloseConfiguration, ReadNetworkAddress */
	NDIS_WDK_DDI_SLEEP,	   /* NdisMSleep */
	NDIS_WDK_DDI_EVENT,	   /* NdisSetEvent, NdisResetEvent, NdisWaitEvent */
	NDIS_WDK_DDI_TIMER,	   /* NDIS 5 miniport timers */
	NDIS_WDK_DDI_TIMER_OBJECT, /* NDIS 6 timer objects */
	NDIS_WDK_DDI_WORK_ITEM,	   /* NdisScheduleWorkItem, I/O work items */
	NDIS_WDK_DDI_KDPC,	   /* KeInitializeDpc & co. */
	NDIS_WDK_DDI_ERROR_LOG,	   /* NdisWriteErrorLogEntry */
	NDIS_WDK_DDI_LOOKASIDE,	   /* NdisXxxNPagedLookasideList */
	NDIS_WDK_DDI_POOL,	   /* NDIS 5 packet and buffer pools */
	NDIS_WDK_DDI_RW_LOCK,	   /* NdisAcquire/ReleaseReadWriteLock (0x40B) */
	NDIS_WDK_DDI_FILE,	   /* NdisOpen/Close/Map/UnmapFile, NdisGetRoutineAddress */
};

/* NDIS bug check 0x7C parameter 1 (bug-check-0x7c--bugcode-ndis-driver). */
#define NDIS_BUGCHECK_WAIT_EVENT_HIGH_IRQL 0x14

/* The machine of the calling vCPU; bug check 0xC4 NOT_ON_VCPU on a host thread. */
static inline struct ke_machine *wdk_machine(unsigned ddi)
{
	ndis_require_vcpu(ddi);
	return ke_current_machine();
}

/* The machine's clock, 0 on a host thread. */
static inline uint64_t wdk_clock_ns(void)
{
	struct ke_machine *m = ke_current_machine();

	return m ? ke_clock_ns(m) : 0;
}

/* Wait (sleeping, not spinning) until @deadline_ns on @m's clock. PASSIVE/APC. */
void wdk_sleep_until(struct ke_machine *m, uint64_t deadline_ns);

#endif /* NDISRT_NDIS_WDK_H */
