/* SPDX-License-Identifier: MIT */
/*
 * ndis/event.c - NDIS events: NdisInitializeEvent, NdisSetEvent,
 * NdisResetEvent, NdisWaitEvent (<ndis/support.h>).
 *
 * An NDIS_EVENT is a notification event: once set it stays set, and every
 * waiter returns, until it is reset. The state is KEVENT's SignalState
 * (a futex word); Header.Lock holds a tag NdisInitializeEvent writes, so
 * using an event that was never initialized is a bug check, not a hang.
 * A waiter sleeps on the futex; its vCPU still takes interrupts and DPCs
 * (a signal ends the sleep, the wait resumes).
 */
#include "ndis/wdk.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EVENT_TAG 0x4E445645 /* 'NDVE' */

static LONG *event_word(PNDIS_EVENT e)
{
	return &e->Event.Header.SignalState;
}

/* NdisInitializeEvent() - Any IRQL, any thread: not signalled. */
VOID NdisInitializeEvent(PNDIS_EVENT Event)
{
	Event->Event.Header.Lock = EVENT_TAG;
	__atomic_store_n(event_word(Event), 0, __ATOMIC_RELEASE);
	InitializeListHead(&Event->Event.Header.WaitListHead);
}

static void event_check(PNDIS_EVENT Event, const char *what)
{
	if (!Event || Event->Event.Header.Lock != EVENT_TAG)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Event, 0,
				 NDIS_WDK_DDI_EVENT, what);
}

/* NdisSetEvent() - Signal and wake every waiter. IRQL <= DISPATCH_LEVEL. */
VOID NdisSetEvent(PNDIS_EVENT Event)
{
	ndis_ddi_enter(NDIS_WDK_DDI_EVENT, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	event_check(Event, "NdisSetEvent: the event was not initialized (NdisInitializeEvent)");
	if (__atomic_exchange_n(event_word(Event), 1, __ATOMIC_ACQ_REL) == 0)
		syscall(SYS_futex, event_word(Event), FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* NdisResetEvent() - Not signalled. IRQL <= DISPATCH_LEVEL. */
VOID NdisResetEvent(PNDIS_EVENT Event)
{
	ndis_ddi_enter(NDIS_WDK_DDI_EVENT, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	event_check(Event, "NdisResetEvent: the event was not initialized (NdisInitializeEvent)");
	__atomic_store_n(event_word(Event), 0, __ATOMIC_RELEASE);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/*
 * NdisWaitEvent() - Wait until the event is signalled, at most @MsToWait
 * ms on the engine clock (0: no bound). Context: PASSIVE_LEVEL on a vCPU;
 * at a higher IRQL bug check 0x7C/0x14 NDIS_BUGCHECK_WAIT_EVENT_HIGH_IRQL
 * (P2 the IRQL). Return: TRUE if signalled.
 */
BOOLEAN NdisWaitEvent(PNDIS_EVENT Event, UINT MsToWait)
{
	struct ke_machine *m;
	ke_irql_t irql;
	uint64_t deadline;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDIS_WDK_DDI_EVENT);
	irql = ke_irql_current();
	if (irql != KE_PASSIVE_LEVEL)
		ke_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, NDIS_BUGCHECK_WAIT_EVENT_HIGH_IRQL,
			    irql, 0, 0,
			    "NdisWaitEvent above PASSIVE_LEVEL (a wait there would block "
			    "the processor): wait from a work item or MiniportInitialize");
	event_check(Event, "NdisWaitEvent: the event was not initialized (NdisInitializeEvent)");
	m = ke_current_machine();
	deadline = ke_clock_ns(m) + (uint64_t)MsToWait * 1000000ull;
	while (!__atomic_load_n(event_word(Event), __ATOMIC_ACQUIRE)) {
		struct timespec ts, *tsp = NULL;

		/* The deterministic engine: one host thread, virtual time. A
		 * futex wait would stop the vCPU that is to set the event: yield
		 * to the schedule, which moves the clock on, and look again. */
		if (ke_machine_deterministic(m)) {
			if (MsToWait && ke_clock_ns(m) >= deadline)
				break;
			ke_preempt_point(KE_PP_SPIN);
			continue;
		}

		if (MsToWait) {
			uint64_t now = ke_clock_ns(m);

			if (now >= deadline)
				break;
			ts.tv_sec = (time_t)((deadline - now) / 1000000000ull);
			ts.tv_nsec = (long)((deadline - now) % 1000000000ull);
			tsp = &ts;
		}
		/* EINTR (an interrupt for this vCPU), EAGAIN (set meanwhile), timeout: recheck. */
		syscall(SYS_futex, event_word(Event), FUTEX_WAIT_PRIVATE, 0, tsp, NULL, 0);
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return __atomic_load_n(event_word(Event), __ATOMIC_ACQUIRE) ? TRUE : FALSE;
}
