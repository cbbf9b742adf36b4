/* SPDX-License-Identifier: MIT */
/*
 * ndis/handle.c - NDIS handles, the grace period that lets an interrupt
 * object be freed safely, memory, and the layer's failure paths.
 *
 * A handle is not a pointer: it encodes a slot of a process-wide table, the
 * slot's generation and the object type, under a tag that no user-space
 * pointer has (bits 63..48 = 'ND'). A driver that keeps a handle after its
 * object is gone gets a lookup that fails as "stale" - a bug check naming
 * the rule - instead of a use after free; a garbage handle fails as "bad".
 * Lookups are lock-free and async-signal-safe (ISRs and DPCs make them).
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 2^32 reuses of one slot would wrap its generation: far beyond any run. */
struct ndis_handle_slot ndis_slots[NDIS_MAX_HANDLES];

static NDIS_HANDLE handle_encode(unsigned type, unsigned index, uint32_t gen)
{
	return (NDIS_HANDLE)(uintptr_t)((NDIS_HANDLE_TAG << 48) | ((uint64_t)type << 44) |
					((uint64_t)index << 32) | gen);
}

/* Return: the slot @h names (any generation), or NULL if @h is not a handle of @type. */
static struct ndis_handle_slot *handle_slot(NDIS_HANDLE h, unsigned type)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	unsigned index = (unsigned)(v >> 32) & 0xFFF;

	if ((v >> 48) != NDIS_HANDLE_TAG || ((v >> 44) & 0xF) != type || index >= NDIS_MAX_HANDLES)
		return NULL;
	return &ndis_slots[index];
}

NDIS_HANDLE ndis_handle_alloc(enum ndis_handle_type type, void *obj)
{
	for (unsigned i = 0; i < NDIS_MAX_HANDLES; i++) {
		struct ndis_handle_slot *s = &ndis_slots[i];
		unsigned expected = 0;

		if (atomic_load_explicit(&s->busy, memory_order_relaxed) ||
		    !atomic_compare_exchange_strong(&s->busy, &expected, 1))
			continue;
		atomic_store_explicit(&s->type, type, memory_order_relaxed);
		/* Release: a lookup that sees @obj sees the object initialised. */
		atomic_store_explicit(&s->obj, obj, memory_order_release);
		return handle_encode(type, i, atomic_load(&s->gen));
	}
	return NULL;
}

void ndis_handle_retire(NDIS_HANDLE h)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	struct ndis_handle_slot *s = handle_slot(h, (unsigned)(v >> 44) & 0xF);

	ndis_assert(s != NULL);
	/* Generation first: a lookup that still sees @obj then sees the new
	 * generation (stale) or the old one (it began before retirement, and
	 * the grace period that follows waits for it). */
	atomic_fetch_add_explicit(&s->gen, 1, memory_order_seq_cst);
	atomic_store_explicit(&s->obj, NULL, memory_order_seq_cst);
}

void ndis_handle_release(NDIS_HANDLE h)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	struct ndis_handle_slot *s = handle_slot(h, (unsigned)(v >> 44) & 0xF);

	ndis_assert(s != NULL && atomic_load(&s->obj) == NULL);
	atomic_store_explicit(&s->busy, 0, memory_order_release);
}

void *ndis_handle_lookup(NDIS_HANDLE h, enum ndis_handle_type type, enum ndis_lookup_error *err)
{
	void *obj = ndis_handle_peek(h, type);

	if (!obj)
		*err = handle_slot(h, type) ? NDIS_LOOKUP_STALE : NDIS_LOOKUP_BAD;
	return obj;
}

struct ndisrt_adapter *ndis_adapter_lookup(NDIS_HANDLE h, unsigned ddi)
{
	enum ndis_lookup_error err;
	struct ndisrt_adapter *a = ndis_handle_lookup(h, NDIS_HT_ADAPTER, &err);

	if (!a)
		ndisrt_violation(err == NDIS_LOOKUP_STALE ? NDISRT_VIOLATION_STALE_HANDLE
							  : NDISRT_VIOLATION_BAD_HANDLE,
				 (uintptr_t)h, NDIS_HT_ADAPTER, ddi,
				 "MiniportAdapterHandle is not the handle NDIS passed to "
				 "MiniportInitializeEx (or its adapter is gone)");
	return a;
}

_Noreturn void ndis_interrupt_lookup_failed(NDIS_HANDLE h, unsigned ddi)
{
	enum ndis_lookup_error err = NDIS_LOOKUP_BAD;

	(void)ndis_handle_lookup(h, NDIS_HT_INTERRUPT, &err);
	if (err == NDIS_LOOKUP_STALE)
		ndisrt_violation(
		    NDISRT_VIOLATION_STALE_HANDLE, (uintptr_t)h, NDIS_HT_INTERRUPT, ddi,
		    "NdisInterruptHandle names an interrupt that was deregistered: no "
		    "NDIS interrupt function may use it after NdisMDeregisterInterruptEx "
		    "returned (spec S2)");
	ndisrt_violation(NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)h, NDIS_HT_INTERRUPT, ddi,
			 "NdisInterruptHandle is not a handle NdisMRegisterInterruptEx returned");
}

/* ------------------------------------------------------- grace period */

static void flush_dpc(struct ke_dpc *dpc, void *ctx, void *arg1, void *arg2)
{
	struct ndisrt_adapter *a = ctx;

	(void)dpc, (void)arg1, (void)arg2;
	atomic_fetch_sub_explicit(&a->flush_pending, 1, memory_order_release);
}

/*
 * A DPC on every vCPU. Each starts only when its vCPU's IRQL is below
 * DISPATCH_LEVEL, so every DDI that was running there (at >= DISPATCH from
 * its lookup on) has returned; and a vCPU drains its DPC queue one routine
 * at a time, so every DPC routine of ours that ran there before has
 * returned to ke too. Queueing takes the target's DPC lock after our
 * retirement stores, and running takes it again, so a DDI that starts after
 * the flush DPC ran sees the handle retired.
 *
 * ke has no KeFlushQueuedDpcs; this is the equivalent built on ke_dpc_queue.
 * The flush DPC objects live in the adapter, which outlives the interrupt.
 */
void ndis_grace_period(struct ndisrt_adapter *a)
{
	atomic_store_explicit(&a->flush_pending, a->nr_vcpus, memory_order_relaxed);
	for (unsigned n = 0; n < a->nr_vcpus; n++) {
		ke_dpc_init(&a->flush[n], flush_dpc, a);
		ke_dpc_set_target(&a->flush[n], (int)n);
		ke_dpc_set_importance(&a->flush[n], KE_DPC_LOW);
		ndis_assert(ke_dpc_queue(a->m, &a->flush[n], NULL, NULL));
	}
	while (atomic_load_explicit(&a->flush_pending, memory_order_acquire) != 0)
		ke_yield();
}

/* ------------------------------------------------------------- memory */

void *ndis_zalloc(size_t size)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);
	void *p = calloc(1, size);

	ke_irql_lower(old);
	return p;
}

void ndis_free(void *p)
{
	ke_irql_t old;

	if (!p)
		return;
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	free(p);
	ke_irql_lower(old);
}

/* ------------------------------------------------------------ failure */

static void put(const char *s)
{
	(void)!write(2, s, strlen(s));
}

_Noreturn void ndis_assert_fail(const char *expr, const char *file, int line)
{
	char num[16];
	int i = (int)sizeof(num) - 1;

	num[i] = 0;
	do {
		num[--i] = (char)('0' + line % 10);
		line /= 10;
	} while (line && i > 0);
	/* Async-signal-safe: this can fire in an ISR. */
	put("ndisrt: internal assertion failed: ");
	put(expr);
	put(" at ");
	put(file);
	put(":");
	put(num + i);
	put("\n");
	abort();
}
