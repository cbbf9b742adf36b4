/* SPDX-License-Identifier: MIT */
/*
 * ndis/workitem.c - work items: NDIS 5 NdisScheduleWorkItem and NDIS 6 I/O
 * work items (NdisAllocateIoWorkItem, NdisQueueIoWorkItem,
 * NdisFreeIoWorkItem); <ndis/support.h>.
 *
 * A queued item runs once at PASSIVE_LEVEL as a ke work item on a vCPU:
 * the next vCPU after the one that queued it, so that a driver waiting at
 * PASSIVE_LEVEL for its work item (NdisWaitEvent) does not wait for its
 * own processor; on a one-vCPU machine, the same one. The ke work entry
 * lives in a fixed pool, not in the driver's item, because ke marks it
 * done after the routine returns - by then the routine may have freed the
 * item (the usual NDIS 6 pattern). Pool slot states: FREE, then CLAIMED by
 * a queuer, then POSTED until ke sets its done word; a posted slot whose
 * work is done is free again.
 */
#include "ndis/wdk.h"

#include <string.h>

#define POOL_SIZE 1024u

enum { SLOT_FREE = 0, SLOT_CLAIMED = 1, SLOT_POSTED = 2 };

struct work_slot {
	struct ke_work w;
	atomic_uint state;
	void (*run)(struct work_slot *s);
	void *item;    /* NDIS_WORK_ITEM, or the I/O work item */
	void *routine; /* copied at queue time */
	void *ctx;
};

static struct work_slot pool[POOL_SIZE];
static atomic_uint pool_hint;

static void slot_run(void *arg)
{
	struct work_slot *s = arg;

	s->run(s);
}

/* A slot for one queueing, or NULL if POOL_SIZE items are queued. Any IRQL. */
static struct work_slot *slot_claim(void)
{
	unsigned start = atomic_fetch_add(&pool_hint, 1);

	for (unsigned i = 0; i < POOL_SIZE; i++) {
		struct work_slot *s = &pool[(start + i) % POOL_SIZE];
		unsigned st = atomic_load(&s->state);

		if (st == SLOT_POSTED && atomic_load_explicit(&s->w.done, memory_order_acquire))
			st = SLOT_POSTED; /* done: may be claimed */
		else if (st != SLOT_FREE)
			continue;
		if (atomic_compare_exchange_strong(&s->state, &st, SLOT_CLAIMED))
			return s;
	}
	return NULL;
}

/* Post @s to the vCPU after the current one. */
static void slot_post(struct ke_machine *m, struct work_slot *s)
{
	unsigned n = ke_machine_vcpu_count(m);
	unsigned target = n > 1 ? (ke_current_number() + 1) % n : 0;

	ke_work_init(&s->w, slot_run, s);
	atomic_store(&s->state, SLOT_POSTED);
	ke_vcpu_post(ke_machine_vcpu(m, target), &s->w);
}

/* --------------------------------------------------------------- NDIS 5 */

#define WORK_ITEM_QUEUED 0x4E445751u /* 'NDWQ' in WrapperReserved */

static atomic_uint *ndis5_mark(PNDIS_WORK_ITEM wi)
{
	return (atomic_uint *)(void *)wi->WrapperReserved;
}

static void ndis5_run(struct work_slot *s)
{
	PNDIS_WORK_ITEM wi = s->item;
	NDIS_PROC routine = (NDIS_PROC)s->routine;
	void *ctx = s->ctx;

	atomic_store(ndis5_mark(wi), 0);
	routine(wi, ctx);
	ndis_check_irql(KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL, NDIS_WDK_DDI_WORK_ITEM);
}

/*
 * NdisScheduleWorkItem() - Run @WorkItem->Routine(@WorkItem, ->Context)
 * once at PASSIVE_LEVEL. Context: IRQL <= DISPATCH_LEVEL. Return:
 * NDIS_STATUS_SUCCESS; NDIS_STATUS_FAILURE from a host thread or with
 * 1024 items queued. Scheduling it again before it ran is bug check 0xC4.
 */
NDIS_STATUS NdisScheduleWorkItem(PNDIS_WORK_ITEM WorkItem)
{
	struct ke_machine *m = ke_current_machine();
	struct work_slot *s;
	unsigned expected = 0;

	ke_preempt_point(KE_PP_DDI_ENTER);
	if (!m)
		return NDIS_STATUS_FAILURE;
	ndis_check_irql(KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL, NDIS_WDK_DDI_WORK_ITEM);
	if (!WorkItem || !WorkItem->Routine)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)WorkItem, 0,
				 NDIS_WDK_DDI_WORK_ITEM,
				 "NdisScheduleWorkItem: no work item or no routine "
				 "(NdisInitializeWorkItem)");
	if (!atomic_compare_exchange_strong(ndis5_mark(WorkItem), &expected, WORK_ITEM_QUEUED))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)WorkItem, 0,
				 NDIS_WDK_DDI_WORK_ITEM,
				 "NdisScheduleWorkItem: the work item is already scheduled and has "
				 "not run yet");
	s = slot_claim();
	if (!s) {
		atomic_store(ndis5_mark(WorkItem), 0);
		return NDIS_STATUS_FAILURE;
	}
	s->run = ndis5_run;
	s->item = WorkItem;
	s->routine = (void *)WorkItem->Routine;
	s->ctx = WorkItem->Context;
	slot_post(m, s);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

/* --------------------------------------------------------------- NDIS 6 */

#define IO_WORK_ITEM_MAGIC 0x4E44494F574Bull /* 'NDIOWK' */
#define IO_WORK_ITEM_FREED 0x4E44494F5730ull

struct io_work_item {
	uint64_t magic;
	NDIS_HANDLE owner;
	atomic_bool queued;
};

static void io_run(struct work_slot *s)
{
	struct io_work_item *wi = s->item;
	NDIS_IO_WORKITEM_ROUTINE routine = (NDIS_IO_WORKITEM_ROUTINE)s->routine;

	atomic_store(&wi->queued, false);
	/* The routine may free the item: it is not touched after this call. */
	routine(s->ctx, wi);
	ndis_check_irql(KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL, NDIS_WDK_DDI_WORK_ITEM);
}

/*
 * NdisAllocateIoWorkItem() - Context: IRQL <= DISPATCH_LEVEL on a vCPU.
 * @NdisObjectHandle: the miniport's adapter or driver handle.
 * Return: the item, or NULL (no memory, NULL handle).
 */
NDIS_HANDLE NdisAllocateIoWorkItem(NDIS_HANDLE NdisObjectHandle)
{
	struct io_work_item *wi;

	ndis_ddi_enter(NDIS_WDK_DDI_WORK_ITEM, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!NdisObjectHandle)
		return NULL;
	wi = ndis_zalloc(sizeof(*wi));
	if (wi) {
		wi->magic = IO_WORK_ITEM_MAGIC;
		wi->owner = NdisObjectHandle;
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return wi;
}

static struct io_work_item *io_item(NDIS_HANDLE h, const char *what)
{
	struct io_work_item *wi = h;

	if (!wi)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, 0, 0, NDIS_WDK_DDI_WORK_ITEM, what);
	if (wi->magic == IO_WORK_ITEM_FREED)
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)h, 0,
				 NDIS_WDK_DDI_WORK_ITEM, what);
	if (wi->magic != IO_WORK_ITEM_MAGIC)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)h, 0,
				 NDIS_WDK_DDI_WORK_ITEM, what);
	return wi;
}

/*
 * NdisQueueIoWorkItem() - Run @Routine(@WorkItemContext, item) once at
 * PASSIVE_LEVEL. Context: IRQL <= DISPATCH_LEVEL on a vCPU. Queueing it
 * again before it ran, or with 1024 items queued, is bug check 0xC4.
 */
VOID NdisQueueIoWorkItem(NDIS_HANDLE NdisIoWorkItemHandle, NDIS_IO_WORKITEM_ROUTINE Routine,
			 PVOID WorkItemContext)
{
	struct io_work_item *wi;
	struct work_slot *s;
	bool expected = false;

	ndis_ddi_enter(NDIS_WDK_DDI_WORK_ITEM, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	wi = io_item(NdisIoWorkItemHandle, "NdisQueueIoWorkItem: not an I/O work item "
					   "(NdisAllocateIoWorkItem), or freed");
	if (!Routine)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)NdisIoWorkItemHandle, 0,
				 NDIS_WDK_DDI_WORK_ITEM, "NdisQueueIoWorkItem: Routine is NULL");
	if (!atomic_compare_exchange_strong(&wi->queued, &expected, true))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)NdisIoWorkItemHandle, 0,
				 NDIS_WDK_DDI_WORK_ITEM,
				 "NdisQueueIoWorkItem: the work item is already queued and has not "
				 "run yet");
	s = slot_claim();
	if (!s)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)NdisIoWorkItemHandle,
				 POOL_SIZE, NDIS_WDK_DDI_WORK_ITEM,
				 "NdisQueueIoWorkItem: more than 1024 work items queued at once");
	s->run = io_run;
	s->item = wi;
	s->routine = (void *)Routine;
	s->ctx = WorkItemContext;
	slot_post(ke_current_machine(), s);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/*
 * NdisFreeIoWorkItem() - Context: IRQL <= DISPATCH_LEVEL (its own routine
 * may free it). Freeing a queued item, or freeing twice, is bug check 0xC4.
 */
VOID NdisFreeIoWorkItem(NDIS_HANDLE NdisIoWorkItemHandle)
{
	struct io_work_item *wi;

	ndis_ddi_enter(NDIS_WDK_DDI_WORK_ITEM, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	wi = io_item(NdisIoWorkItemHandle, "NdisFreeIoWorkItem: not an I/O work item, or freed "
					   "twice");
	if (atomic_load(&wi->queued))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)NdisIoWorkItemHandle, 1,
				 NDIS_WDK_DDI_WORK_ITEM,
				 "NdisFreeIoWorkItem: the work item is queued and has not run yet");
	wi->magic = IO_WORK_ITEM_FREED;
	ndis_free(wi);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
