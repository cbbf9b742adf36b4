/* SPDX-License-Identifier: MIT */
/*
 * ndis/timer.c - timers and raw DPCs: NDIS 5 miniport timers
 * (NdisMInitializeTimer, NdisMSetTimer, NdisMSetPeriodicTimer,
 * NdisMCancelTimer), NDIS 6 timer objects (NdisAllocateTimerObject,
 * NdisSetTimerObject, NdisCancelTimerObject, NdisFreeTimerObject), kernel
 * DPCs a miniport drives itself (KeInitializeDpc, KeInsertQueueDpc,
 * KeRemoveQueueDpc, KeSetTargetProcessorDpc[Ex], KeSetImportanceDpc) and
 * KeFlushQueuedDpcs (<ndis/support.h>).
 *
 * A timer is a ke host timer on the engine clock that, when it expires,
 * queues a ke DPC on the vCPU that set it; the DPC runs the driver's
 * function at DISPATCH_LEVEL. A periodic timer is re-armed (deadline +
 * period, so it does not drift) before the function runs. Every set and
 * cancel moves the timer's generation on; an expiry or DPC of an older
 * generation does nothing, so a cancel is final even when it races the
 * expiry. NdisMCancelTimer / NdisCancelTimerObject report TRUE when the
 * timer was set and its function will not run for that setting.
 *
 * The runtime state of a KDPC or NDIS_MINIPORT_TIMER (caller storage,
 * initialized at any IRQL and never freed) lives in a fixed table keyed by
 * the caller's address: no allocation, so KeInitializeDpc works at any
 * IRQL. Lock key: (T) table_lock, a raw ke spin lock taken at HIGH_LEVEL.
 * NDIS 6 timer objects are allocated (they have a free).
 */
#include "ndis/wdk.h"
#include "verifier/race.h"

#include <sched.h>
#include <string.h>

#define TIMER_OBJECT_MAGIC 0x4E4454494D4552ull /* 'NDTIMER' */
#define TIMER_OBJECT_FREED 0x4E4454494D4530ull

/* One timer or DPC. */
struct wdk_timer {
	struct ke_machine *m;	 /* (c) */
	struct ke_host_timer ht; /* expiry, on the machine's timer thread */
	struct ke_dpc kd;	 /* the driver's function at DISPATCH_LEVEL */
	atomic_uint gen;	 /* moves on at every set and cancel */
	atomic_bool set;	 /* set and not yet expired (or periodic) */
	uint64_t deadline_ns;	 /* (s) the setter: last expiry */
	uint64_t period_ns;	 /* (s) 0: one shot */
	void (*call)(struct wdk_timer *t, void *a1, void *a2);
	/* what the driver gave */
	void *fn;
	void *ctx;
	void *storage;	/* KDPC / NDIS_MINIPORT_TIMER, or NULL for a timer object */
	uint64_t magic; /* timer objects */
};

/* -------------------------------------------------- the address table */

#define TABLE_SIZE 4096u

struct table_slot {
	void *key;
	struct wdk_timer t;
};

static struct table_slot table[TABLE_SIZE]; /* (T) keys; the timers are (a)/(s) */
static struct ke_spinlock table_lock = KE_SPINLOCK_INIT;

static ke_irql_t table_lock_take(void)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&table_lock);
	return old;
}

static void table_lock_drop(ke_irql_t old)
{
	ke_spin_release_raw(&table_lock);
	ke_irql_lower(old);
}

static unsigned table_hash(const void *key)
{
	uintptr_t k = (uintptr_t)key >> 3;

	return (unsigned)((k * 0x9E3779B97F4A7C15ull) >> 52) & (TABLE_SIZE - 1);
}

/* (T) The slot of @key, or the free slot it would take, or NULL if full. */
static struct table_slot *table_probe(const void *key)
{
	unsigned h = table_hash(key);

	for (unsigned i = 0; i < TABLE_SIZE; i++) {
		struct table_slot *s = &table[(h + i) & (TABLE_SIZE - 1)];

		if (s->key == key || s->key == NULL)
			return s;
	}
	return NULL;
}

/* The timer of @key, or NULL if it was never initialized. Any IRQL. */
static struct wdk_timer *table_find(const void *key)
{
	ke_irql_t old = table_lock_take();
	struct table_slot *s = table_probe(key);
	struct wdk_timer *t = s && s->key == key ? &s->t : NULL;

	table_lock_drop(old);
	return t;
}

/* ----------------------------------------------------------- mechanics */

static void timer_expired(struct ke_host_timer *ht, void *ctx);
static void timer_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2);

static void timer_init(struct wdk_timer *t, struct ke_machine *m)
{
	t->m = m;
	ke_host_timer_init(&t->ht, timer_expired, t);
	ke_dpc_init(&t->kd, timer_dpc, t);
	atomic_fetch_add(&t->gen, 1);
	atomic_store(&t->set, false);
}

/* Stop @t: no expiry or DPC of an earlier setting will run the function. */
static bool timer_stop(struct wdk_timer *t)
{
	bool was_set;

	atomic_fetch_add(&t->gen, 1);
	was_set = atomic_exchange(&t->set, false);
	if (t->m) {
		ke_host_timer_cancel(t->m, &t->ht);
		ke_dpc_remove(t->m, &t->kd);
	}
	return was_set;
}

/* Arm @t @due_ns from now (then every @period_ns if non-zero), on this vCPU. */
static bool timer_start(struct wdk_timer *t, uint64_t due_ns, uint64_t period_ns)
{
	bool was_set = timer_stop(t);

	t->period_ns = period_ns;
	t->deadline_ns = ke_clock_ns(t->m) + due_ns;
	ke_dpc_set_target(&t->kd, (int)ke_current_number());
	atomic_store(&t->set, true);
	vfy_race_release(&t->kd); /* the setter before the timer's DPC */
	ke_host_timer_arm(t->m, &t->ht, t->deadline_ns);
	return was_set;
}

/* Timer thread: queue the DPC, tagged with the generation that armed it. */
static void timer_expired(struct ke_host_timer *ht, void *ctx)
{
	struct wdk_timer *t = ctx;

	(void)ht;
	ke_dpc_queue(t->m, &t->kd, (void *)(uintptr_t)atomic_load(&t->gen), NULL);
}

/* DISPATCH_LEVEL on the target vCPU. */
static void timer_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	struct wdk_timer *t = ctx;
	unsigned gen = (unsigned)(uintptr_t)arg1;

	(void)kd;
	(void)arg2;
	if (gen == atomic_load(&t->gen) && atomic_load(&t->set)) {
		if (t->period_ns) {
			t->deadline_ns += t->period_ns;
			ke_host_timer_arm(t->m, &t->ht, t->deadline_ns);
		} else {
			atomic_store(&t->set, false);
		}
		t->call(t, NULL, NULL);
	}
}

/* ------------------------------------------------- NDIS 5 miniport timers */

static void miniport_timer_call(struct wdk_timer *t, void *a1, void *a2)
{
	PNDIS_MINIPORT_TIMER Timer = t->storage;

	(void)a1;
	(void)a2;
	((PNDIS_TIMER_FUNCTION)t->fn)(&Timer->Dpc, t->ctx, NULL, NULL);
}

/*
 * NdisMInitializeTimer() - Make @Timer a timer of the adapter that runs
 * @TimerFunction(&Timer->Dpc, @FunctionContext, NULL, NULL).
 * Context: PASSIVE_LEVEL on a vCPU (0xC4 IRQL / NOT_ON_VCPU otherwise).
 */
VOID NdisMInitializeTimer(PNDIS_MINIPORT_TIMER Timer, NDIS_HANDLE MiniportAdapterHandle,
			  PNDIS_TIMER_FUNCTION TimerFunction, PVOID FunctionContext)
{
	struct table_slot *s;
	struct wdk_timer *t;
	ke_irql_t old;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Timer || !TimerFunction)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Timer,
				 (uintptr_t)TimerFunction, NDIS_WDK_DDI_TIMER,
				 "NdisMInitializeTimer: Timer or TimerFunction is NULL");
	t = table_find(Timer);
	if (t) /* initialized again: stop the earlier setting */
		timer_stop(t);
	old = table_lock_take();
	s = table_probe(Timer);
	if (s)
		s->key = Timer;
	table_lock_drop(old);
	if (!s)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Timer, TABLE_SIZE,
		    NDIS_WDK_DDI_TIMER,
		    "NdisMInitializeTimer: more timers and KDPCs than ndisrt tracks (4096)");
	t = &s->t;
	timer_init(t, ke_current_machine());
	t->call = miniport_timer_call;
	t->fn = (void *)TimerFunction;
	t->ctx = FunctionContext;
	t->storage = Timer;
	memset(&Timer->Timer, 0, sizeof(Timer->Timer));
	memset(&Timer->Dpc, 0, sizeof(Timer->Dpc));
	Timer->Dpc.DeferredContext = FunctionContext;
	Timer->MiniportTimerFunction = TimerFunction;
	Timer->MiniportTimerContext = FunctionContext;
	Timer->Miniport = (PNDIS_MINIPORT_BLOCK)MiniportAdapterHandle;
	Timer->NextDeferredTimer = NULL;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

static void ndis_timer_call(struct wdk_timer *t, void *a1, void *a2);

/* An NDIS_MINIPORT_TIMER (or an NDIS_TIMER: NdisSetTimer and NdisCancelTimer come here). */
static struct wdk_timer *miniport_timer(PNDIS_MINIPORT_TIMER Timer, const char *what)
{
	struct wdk_timer *t = Timer ? table_find(Timer) : NULL;

	if (!t || (t->call != miniport_timer_call && t->call != ndis_timer_call))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Timer, 0,
				 NDIS_WDK_DDI_TIMER, what);
	return t;
}

/* NdisMSetTimer() - Fire once after @MillisecondsToDelay. IRQL <= DISPATCH_LEVEL. */
VOID NdisMSetTimer(PNDIS_MINIPORT_TIMER Timer, UINT MillisecondsToDelay)
{
	struct wdk_timer *t;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	t = miniport_timer(Timer, "NdisMSetTimer: the timer was not initialized "
				  "(NdisMInitializeTimer)");
	timer_start(t, (uint64_t)MillisecondsToDelay * 1000000ull, 0);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* NdisMSetPeriodicTimer() - Fire every @MillisecondPeriod. IRQL <= DISPATCH_LEVEL. */
VOID NdisMSetPeriodicTimer(PNDIS_MINIPORT_TIMER Timer, UINT MillisecondPeriod)
{
	struct wdk_timer *t;
	uint64_t period = (uint64_t)(MillisecondPeriod ? MillisecondPeriod : 1) * 1000000ull;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	t = miniport_timer(Timer, "NdisMSetPeriodicTimer: the timer was not initialized "
				  "(NdisMInitializeTimer)");
	timer_start(t, period, period);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* NdisMCancelTimer() - IRQL <= DISPATCH_LEVEL. *TimerCancelled: it was set. */
VOID NdisMCancelTimer(PNDIS_MINIPORT_TIMER Timer, PBOOLEAN TimerCancelled)
{
	struct wdk_timer *t;
	bool was_set;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	t = miniport_timer(Timer, "NdisMCancelTimer: the timer was not initialized "
				  "(NdisMInitializeTimer)");
	was_set = timer_stop(t);
	if (TimerCancelled)
		*TimerCancelled = was_set ? TRUE : FALSE;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ------------------------------------------- NDIS 5 non-miniport timers */

static void ndis_timer_call(struct wdk_timer *t, void *a1, void *a2)
{
	PNDIS_TIMER Timer = t->storage;

	(void)a1;
	(void)a2;
	((PNDIS_TIMER_FUNCTION)t->fn)(&Timer->Dpc, t->ctx, NULL, NULL);
}

/*
 * NdisInitializeTimer() - As NdisMInitializeTimer, without an adapter: the
 * function runs at DISPATCH_LEVEL on the processor that set the timer,
 * with SystemSpecific1 the timer's KDPC. Context: PASSIVE_LEVEL.
 */
VOID NdisInitializeTimer(PNDIS_TIMER Timer, PNDIS_TIMER_FUNCTION TimerFunction,
			 PVOID FunctionContext)
{
	struct table_slot *s;
	struct wdk_timer *t;
	ke_irql_t old;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Timer || !TimerFunction)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Timer,
				 (uintptr_t)TimerFunction, NDIS_WDK_DDI_TIMER,
				 "NdisInitializeTimer: Timer or TimerFunction is NULL");
	t = table_find(Timer);
	if (t)
		timer_stop(t);
	old = table_lock_take();
	s = table_probe(Timer);
	if (s)
		s->key = Timer;
	table_lock_drop(old);
	if (!s)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Timer, TABLE_SIZE,
		    NDIS_WDK_DDI_TIMER,
		    "NdisInitializeTimer: more timers and KDPCs than ndisrt tracks (4096)");
	t = &s->t;
	timer_init(t, ke_current_machine());
	t->call = ndis_timer_call;
	t->fn = (void *)TimerFunction;
	t->ctx = FunctionContext;
	t->storage = Timer;
	memset(Timer, 0, sizeof(*Timer));
	Timer->Dpc.DeferredContext = FunctionContext;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* NdisSetTimer() - One shot after @MillisecondsToDelay. IRQL <= DISPATCH_LEVEL. */
VOID NdisSetTimer(PNDIS_TIMER Timer, UINT MillisecondsToDelay)
{
	NdisMSetTimer((PNDIS_MINIPORT_TIMER)(void *)Timer, MillisecondsToDelay);
}

/* NdisCancelTimer() - IRQL <= DISPATCH_LEVEL. *TimerCancelled: it was set. */
VOID NdisCancelTimer(PNDIS_TIMER Timer, PBOOLEAN TimerCancelled)
{
	NdisMCancelTimer((PNDIS_MINIPORT_TIMER)(void *)Timer, TimerCancelled);
}

/* ----------------------------------------------------- NDIS 6 timer objects */

static void timer_object_call(struct wdk_timer *t, void *a1, void *a2)
{
	(void)a1;
	(void)a2;
	((PNDIS_TIMER_FUNCTION)t->fn)(NULL, t->ctx, NULL, NULL);
}

/*
 * NdisAllocateTimerObject() - Context: IRQL <= DISPATCH_LEVEL on a vCPU.
 * Return: SUCCESS; INVALID_PARAMETER (header, no function); RESOURCES.
 */
NDIS_STATUS NdisAllocateTimerObject(NDIS_HANDLE NdisHandle,
				    PNDIS_TIMER_CHARACTERISTICS TimerCharacteristics,
				    PNDIS_HANDLE pTimerObject)
{
	struct wdk_timer *t;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER_OBJECT, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!pTimerObject || !TimerCharacteristics)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)TimerCharacteristics,
		    (uintptr_t)pTimerObject, NDIS_WDK_DDI_TIMER_OBJECT,
		    "NdisAllocateTimerObject: TimerCharacteristics or pTimerObject is NULL");
	*pTimerObject = NULL;
	(void)NdisHandle;
	if (TimerCharacteristics->Header.Type != NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS ||
	    TimerCharacteristics->Header.Revision < NDIS_TIMER_CHARACTERISTICS_REVISION_1 ||
	    TimerCharacteristics->Header.Size < NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1 ||
	    !TimerCharacteristics->TimerFunction)
		return NDIS_STATUS_INVALID_PARAMETER;
	t = ndis_zalloc(sizeof(*t));
	if (!t)
		return NDIS_STATUS_RESOURCES;
	timer_init(t, ke_current_machine());
	t->magic = TIMER_OBJECT_MAGIC;
	t->call = timer_object_call;
	t->fn = (void *)TimerCharacteristics->TimerFunction;
	t->ctx = TimerCharacteristics->FunctionContext;
	*pTimerObject = t;
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

static struct wdk_timer *timer_object(NDIS_HANDLE h, const char *what)
{
	struct wdk_timer *t = h;

	if (!t)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, 0, 0, NDIS_WDK_DDI_TIMER_OBJECT,
				 what);
	if (t->magic == TIMER_OBJECT_FREED)
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)h, 0,
				 NDIS_WDK_DDI_TIMER_OBJECT, what);
	if (t->magic != TIMER_OBJECT_MAGIC)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)h, 0,
				 NDIS_WDK_DDI_TIMER_OBJECT, what);
	return t;
}

/*
 * NdisSetTimerObject() - Context: IRQL <= DISPATCH_LEVEL. @DueTime: 100 ns
 * units, negative relative, positive absolute system time (a time already
 * past fires at once). Return: TRUE if the timer was set.
 */
BOOLEAN NdisSetTimerObject(NDIS_HANDLE TimerObject, LARGE_INTEGER DueTime, LONG MillisecondsPeriod,
			   PVOID FunctionContext)
{
	struct wdk_timer *t;
	LARGE_INTEGER now;
	uint64_t due_ns;
	bool was_set;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER_OBJECT, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	t = timer_object(TimerObject, "NdisSetTimerObject: not a timer object "
				      "(NdisAllocateTimerObject), or freed");
	if (MillisecondsPeriod < 0)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)TimerObject,
				 (uintptr_t)(LONG_PTR)MillisecondsPeriod, NDIS_WDK_DDI_TIMER_OBJECT,
				 "NdisSetTimerObject: a negative MillisecondsPeriod");
	if (DueTime.QuadPart < 0) {
		due_ns = (uint64_t)(-DueTime.QuadPart) * 100;
	} else {
		NdisGetCurrentSystemTime(&now);
		due_ns = DueTime.QuadPart > now.QuadPart
			     ? (uint64_t)(DueTime.QuadPart - now.QuadPart) * 100
			     : 0;
	}
	if (FunctionContext)
		t->ctx = FunctionContext;
	was_set = timer_start(t, due_ns, (uint64_t)MillisecondsPeriod * 1000000ull);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return was_set ? TRUE : FALSE;
}

/* NdisCancelTimerObject() - IRQL <= DISPATCH_LEVEL. Return: TRUE if it was set. */
BOOLEAN NdisCancelTimerObject(NDIS_HANDLE TimerObject)
{
	struct wdk_timer *t;
	bool was_set;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER_OBJECT, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	t = timer_object(TimerObject, "NdisCancelTimerObject: not a timer object, or freed");
	was_set = timer_stop(t);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return was_set ? TRUE : FALSE;
}

/*
 * Freed timer objects are kept (reachable, never reused): a DPC that was
 * already running when its timer was freed still finds its memory, and a
 * second free is recognized. (S) freed_lock.
 */
static struct wdk_timer *freed_list[1024];
static unsigned freed_count;
static struct ke_spinlock freed_lock = KE_SPINLOCK_INIT;

/*
 * NdisFreeTimerObject() - Cancel and free. IRQL <= DISPATCH_LEVEL. Freeing
 * twice is bug check 0xC4 DOUBLE_FREE.
 */
VOID NdisFreeTimerObject(NDIS_HANDLE TimerObject)
{
	struct wdk_timer *t;
	ke_irql_t old;

	ndis_ddi_enter(NDIS_WDK_DDI_TIMER_OBJECT, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	t = timer_object(TimerObject, "NdisFreeTimerObject: not a timer object, or freed twice");
	timer_stop(t);
	t->magic = TIMER_OBJECT_FREED;
	old = ke_irql_raise(KE_HIGH_LEVEL);
	ke_spin_acquire_raw(&freed_lock);
	if (freed_count < sizeof(freed_list) / sizeof(freed_list[0]))
		freed_list[freed_count++] = t;
	ke_spin_release_raw(&freed_lock);
	ke_irql_lower(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ----------------------------------------------------------- raw KDPCs */

static void kdpc_call(struct wdk_timer *t, void *a1, void *a2)
{
	PKDPC Dpc = t->storage;

	((PKDEFERRED_ROUTINE)t->fn)(Dpc, t->ctx, a1, a2);
}

static void kdpc_routine(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	struct wdk_timer *t = ctx;

	(void)kd;
	kdpc_call(t, arg1, arg2);
}

/* KeInitializeDpc() - Any IRQL (a vCPU or a host thread). */
VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
	struct table_slot *s;
	struct wdk_timer *t;
	ke_irql_t old;

	if (!Dpc || !DeferredRoutine)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Dpc,
				 (uintptr_t)DeferredRoutine, NDIS_WDK_DDI_KDPC,
				 "KeInitializeDpc: Dpc or DeferredRoutine is NULL");
	t = table_find(Dpc);
	if (t && t->m)
		ke_dpc_remove(t->m, &t->kd);
	old = table_lock_take();
	s = table_probe(Dpc);
	if (s)
		s->key = Dpc;
	table_lock_drop(old);
	if (!s)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Dpc, TABLE_SIZE, NDIS_WDK_DDI_KDPC,
		    "KeInitializeDpc: more KDPCs and timers than ndisrt tracks (4096)");
	t = &s->t;
	memset(t, 0, sizeof(*t));
	ke_dpc_init(&t->kd, kdpc_routine, t);
	t->call = kdpc_call;
	t->fn = (void *)DeferredRoutine;
	t->ctx = DeferredContext;
	t->storage = Dpc;
	memset(Dpc, 0, sizeof(*Dpc));
	Dpc->Type = 0x13; /* DpcObject */
	Dpc->Importance = MediumImportance;
	Dpc->DeferredRoutine = DeferredRoutine;
	Dpc->DeferredContext = DeferredContext;
}

static struct wdk_timer *kdpc_of(PRKDPC Dpc, const char *what)
{
	struct wdk_timer *t = Dpc ? table_find(Dpc) : NULL;

	if (!t || t->call != kdpc_call)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)Dpc, 0, NDIS_WDK_DDI_KDPC,
				 what);
	return t;
}

/*
 * KeInsertQueueDpc() - Queue the DPC on its target processor (the current
 * one by default). Context: any IRQL on a vCPU. Return: FALSE if queued.
 */
BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
	struct wdk_timer *t;
	BOOLEAN queued;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDIS_WDK_DDI_KDPC);
	t = kdpc_of(Dpc, "KeInsertQueueDpc: the KDPC was not initialized (KeInitializeDpc)");
	t->m = ke_current_machine();
	Dpc->SystemArgument1 = SystemArgument1;
	Dpc->SystemArgument2 = SystemArgument2;
	vfy_race_release(&t->kd);
	queued = ke_dpc_queue(t->m, &t->kd, SystemArgument1, SystemArgument2) ? TRUE : FALSE;
	ke_preempt_point(KE_PP_DDI_EXIT);
	return queued;
}

/* KeRemoveQueueDpc() - Any IRQL. Return: TRUE if it was queued (it will not run). */
BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
	struct wdk_timer *t = kdpc_of(Dpc, "KeRemoveQueueDpc: the KDPC was not initialized");

	return t->m && ke_dpc_remove(t->m, &t->kd) ? TRUE : FALSE;
}

/* KeSetImportanceDpc() - Any IRQL; High goes to the head of the queue. */
VOID KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance)
{
	struct wdk_timer *t = kdpc_of(Dpc, "KeSetImportanceDpc: the KDPC was not initialized");

	Dpc->Importance = (UCHAR)Importance;
	ke_dpc_set_importance(&t->kd, (enum ke_dpc_importance)Importance);
}

/* KeSetTargetProcessorDpc() - Any IRQL; processor @Number of group 0. */
VOID KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number)
{
	struct wdk_timer *t = kdpc_of(Dpc, "KeSetTargetProcessorDpc: the KDPC was not initialized");
	struct ke_machine *m = ke_current_machine();

	if (Number < 0 || (m && (unsigned)Number >= ke_machine_vcpu_count(m)))
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Dpc, (uintptr_t)Number,
				 NDIS_WDK_DDI_KDPC, "KeSetTargetProcessorDpc: no such processor");
	Dpc->Number = (USHORT)Number;
	ke_dpc_set_target(&t->kd, Number);
}

/*
 * KeSetTargetProcessorDpcEx() - Any IRQL. Return: STATUS_SUCCESS, or
 * STATUS_INVALID_PARAMETER (a group other than 0, a processor that does not
 * exist).
 */
NTSTATUS KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber)
{
	struct wdk_timer *t = kdpc_of(Dpc, "KeSetTargetProcessorDpcEx: the KDPC was not "
					   "initialized");
	struct ke_machine *m = ke_current_machine();

	if (!ProcNumber || ProcNumber->Group != 0 ||
	    (m && ProcNumber->Number >= ke_machine_vcpu_count(m)) ||
	    ProcNumber->Number >= KE_MAX_VCPUS)
		return STATUS_INVALID_PARAMETER;
	Dpc->Number = ProcNumber->Number;
	ke_dpc_set_target(&t->kd, ProcNumber->Number);
	return STATUS_SUCCESS;
}

/* ------------------------------------------------------ KeFlushQueuedDpcs */

static void flush_marker(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	(void)kd;
	(void)arg1;
	(void)arg2;
	atomic_store_explicit((atomic_uint *)ctx, 1, memory_order_release);
}

/*
 * KeFlushQueuedDpcs() - Return once every DPC queued on any processor
 * before the call has run: a low-importance marker DPC queued behind them
 * on each vCPU has run. Context: PASSIVE_LEVEL on a vCPU. A vCPU that does
 * not drain its DPCs within 30 s is bug check 0xC4 COMPLETION_TIMEOUT.
 */
VOID KeFlushQueuedDpcs(VOID)
{
	struct ke_machine *m;
	unsigned n;

	ndis_ddi_enter(NDIS_WDK_DDI_KDPC, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	m = ke_current_machine();
	n = ke_machine_vcpu_count(m);
	for (unsigned i = 0; i < n; i++) {
		struct ke_dpc marker;
		atomic_uint done;
		uint64_t deadline = ke_clock_ns(m) + 30ull * 1000000000ull;

		atomic_init(&done, 0);
		ke_dpc_init(&marker, flush_marker, &done);
		ke_dpc_set_target(&marker, (int)i);
		ke_dpc_set_importance(&marker, KE_DPC_LOW);
		ke_dpc_queue(m, &marker, NULL, NULL);
		while (!atomic_load_explicit(&done, memory_order_acquire)) {
			if (ke_clock_ns(m) > deadline)
				ndisrt_violation(
				    NDISRT_VIOLATION_COMPLETION_TIMEOUT, i, 0, NDIS_WDK_DDI_KDPC,
				    "KeFlushQueuedDpcs: a processor did not run its DPCs "
				    "within 30 s");
			ke_yield();
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
}
