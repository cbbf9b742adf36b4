/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/interrupt.c - the NDIS 5 interrupt model: NdisMRegisterInterrupt,
 * NdisMDeregisterInterrupt, NdisMSynchronizeWithInterrupt, and the
 * trampolines that call MiniportISR / MiniportDisableInterrupt at DIRQL and
 * MiniportHandleInterrupt / MiniportEnableInterrupt at DISPATCH_LEVEL
 * (spec §14, rules L1-L10).
 *
 * The interrupt is a ke interrupt object chained on the INTx line's vector
 * (with every other adapter on the line), so ke runs the trampoline at the
 * line's DIRQL holding the object's own lock - which serializes
 * MiniportISR / MiniportDisableInterrupt per NIC and is the lock
 * NdisMSynchronizeWithInterrupt takes (L7, L8) - and walks the chain until
 * one claims the interrupt. At end of interrupt the controller requests the
 * vector again while the line is still asserted (L10).
 */
#include "ndis/ndis5/internal.h"
#include "verifier/vfy.h"

#include <sched.h>
#include <string.h>

/* Outputs of MiniportISR before it writes them: a value no driver writes. */
#define NDIS5_UNSET ((BOOLEAN)0xA5)

/* Serializes the sharing check with publication (registration only, never at DIRQL). */
static struct ke_spinlock reg_lock = KE_SPINLOCK_INIT;

/* -------------------------------------------------------- DPC request */

/*
 * Queue MiniportHandleInterrupt on this vCPU. Refused while
 * MiniportInitialize or MiniportHalt runs (L4); coalesced with one already
 * queued (L6). Context: DIRQL (the trampoline) or PASSIVE (after initialize).
 */
static bool request_dpc(struct ndis5_interrupt *ni)
{
	struct ndisrt_ndis5_nic *n = ni->mp;
	struct ndis_counters *ac = ndis_counters_of(n->a, 0, ke_current_number());

	ndis5_count(&n->c.dpc_requests);
	atomic_fetch_add_explicit(&ac->dpc_requests, 1, memory_order_relaxed);
	/* Count, then look (seq_cst both): pairs with ndis5_interrupt_quiesce(). */
	atomic_fetch_add_explicit(&ni->active_dpcs, 1, memory_order_seq_cst);
	if (ndis5_lifecycle_running(n) ||
	    atomic_load_explicit(&ni->state, memory_order_seq_cst) != NDIS5_INTR_LIVE) {
		ndis5_count(&n->c.dpc_suppressed);
		atomic_fetch_add_explicit(&ac->dpc_refused, 1, memory_order_relaxed);
		atomic_fetch_sub_explicit(&ni->active_dpcs, 1, memory_order_release);
		return false;
	}
	if (!ke_dpc_queue(n->m, &ni->dpc, NULL, NULL)) {
		ndis5_count(&n->c.dpc_coalesced);
		atomic_fetch_add_explicit(&ac->dpc_already_queued, 1, memory_order_relaxed);
		atomic_fetch_sub_explicit(&ni->active_dpcs, 1, memory_order_release);
		return false;
	}
	return true;
}

/*
 * MiniportHandleInterrupt, then MiniportEnableInterrupt if the driver has
 * one (L5), at DISPATCH_LEVEL on the vCPU the interrupt was taken on,
 * holding the miniport lock (serialized miniport) or the handle-interrupt
 * lock (deserialized): one HandleInterrupt at a time per NIC (L7).
 * MiniportISR can preempt it here and run on other vCPUs meanwhile (L6).
 */
static void ndis5_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	struct ndis5_interrupt *ni = ctx;
	struct ndisrt_ndis5_nic *n = ni->mp;
	const NDIS51_MINIPORT_CHARACTERISTICS *ch = &n->drv->chars;
	struct ke_spinlock *lock = atomic_load(&n->deserialized) ? &n->dpc_lock : &n->lock;
	NDIS_HANDLE ac = atomic_load(&n->context);
	unsigned held;

	(void)kd, (void)arg1, (void)arg2;
	ke_spin_acquire_at_dpc(lock);
	held = ndis_spin_held();
	ndis5_count(&n->c.handle_interrupts);
	ndis_count_local(&ndis_counters_of(n->a, 0, ke_current_number())->dpcs);
	ch->HandleInterruptHandler(ac);
	ndis5_check_irql_after(KE_DISPATCH_LEVEL, (uintptr_t)ch->HandleInterruptHandler,
			       "MiniportHandleInterrupt returned at an IRQL other than "
			       "DISPATCH_LEVEL");
	ndis_check_spin_balance(held, (uintptr_t)ch->HandleInterruptHandler);
	if (ch->EnableInterruptHandler) {
		ndis5_count(&n->c.enables);
		ch->EnableInterruptHandler(ac);
		ndis5_check_irql_after(KE_DISPATCH_LEVEL, (uintptr_t)ch->EnableInterruptHandler,
				       "MiniportEnableInterrupt returned at an IRQL other than "
				       "DISPATCH_LEVEL");
		ndis_check_spin_balance(held, (uintptr_t)ch->EnableInterruptHandler);
	}
	ke_spin_release_at_dpc(lock);
	/* Last touch of @ni by this run (see NdisMDeregisterInterrupt()). */
	atomic_fetch_sub_explicit(&ni->active_dpcs, 1, memory_order_release);
}

/* ----------------------------------------------------------- the ISR */

/* L2: MiniportISR, not MiniportDisableInterrupt, for this interrupt? */
static bool isr_wanted(const struct ndis5_interrupt *ni, const NDIS51_MINIPORT_CHARACTERISTICS *ch,
		       bool lifecycle)
{
	if (!ch->DisableInterruptHandler)
		return true; /* §14.3: no Disable handler, the ISR on every interrupt */
	return ni->request_isr || ni->shared || (lifecycle && ch->ISRHandler);
}

/*
 * Context: the line's DIRQL holding the object's lock, on the vCPU that took
 * the interrupt (inside its signal handler).
 * Return: InterruptRecognized (TRUE for the disable path): a shared line's
 * chain stops at the first object that claims.
 * Spec: L2, L3, L4, L6, L10; I11, I12 (with the verifier on).
 */
static bool ndis5_isr(struct ke_interrupt *ki, void *ctx)
{
	struct ndis5_interrupt *ni = ctx;
	struct ndisrt_ndis5_nic *n = ni->mp;
	const NDIS51_MINIPORT_CHARACTERISTICS *ch = &n->drv->chars;
	NDIS_HANDLE ac = atomic_load(&n->context);
	bool lifecycle = ndis5_lifecycle_running(n);
	BOOLEAN recognized = NDIS5_UNSET, queue = NDIS5_UNSET;
	struct ndis_counters *ctr = ndis_counters_of(n->a, 0, ke_current_number());
	/* I11, I12 with the verifier on: the device's pin around MiniportISR. */
	bool watch = __builtin_expect(vfy_active, 0) && n->pin;
	unsigned rises_before = 0, rises_after;
	bool pin_before = false, pin_after;

	ndis5_count(&n->c.interrupts);
	ndis_count_local(&ctr->isrs);
	if (!isr_wanted(ni, ch, lifecycle)) {
		/* L2, L3 (§24 C-18): disable, then always the DPC. */
		ndis5_count(&n->c.disables);
		ch->DisableInterruptHandler(ac);
		ndis5_check_irql_after(ki->sync_irql, (uintptr_t)ch->DisableInterruptHandler,
				       "MiniportDisableInterrupt returned at an IRQL other than "
				       "its DIRQL");
		if (!request_dpc(ni) && atomic_load(&n->a->state) == NDIS_ADAPTER_INITIALIZING)
			atomic_store(&ni->deferred, true);
		ndis_count_local(&ctr->isrs_claimed);
		return true;
	}
	ndis5_count(&n->c.isrs);
	if (watch)
		pin_before = intc_source_level(n->pin, &rises_before);
	ch->ISRHandler(&recognized, &queue, ac);
	ndis5_check_irql_after(ki->sync_irql, (uintptr_t)ch->ISRHandler,
			       "MiniportISR returned at an IRQL other than its DIRQL");
	if (recognized == NDIS5_UNSET || queue == NDIS5_UNSET)
		ndisrt_violation(
		    NDISRT_VIOLATION_ISR_OUTPUT, (uintptr_t)ni->storage,
		    recognized == NDIS5_UNSET ? 1 : 2, NDISRT_NDIS5_DDI_ISR,
		    "MiniportISR returned without setting *InterruptRecognized (p3 = 1) "
		    "or *QueueMiniportHandleInterrupt (p3 = 2): set both on every path");
	if (watch) {
		pin_after = intc_source_level(n->pin, &rises_after);
		ndis_line_watch_return(&ni->watch, (uintptr_t)ni->storage,
				       (const void *)ch->ISRHandler, recognized != FALSE,
				       pin_before, rises_before, pin_after, rises_after);
	}
	if (!recognized)
		return false; /* L3: not ours, nothing queued whatever Queue says */
	ndis5_count(&n->c.isrs_recognized);
	ndis_count_local(&ctr->isrs_claimed);
	if (queue)
		request_dpc(ni);
	return true;
}

/* ----------------------------------------------------- registration */

/* The object @Interrupt's storage names; bug check 0xC4 if none. Context: >= DISPATCH_LEVEL. */
static struct ndis5_interrupt *intr_lookup(PNDIS_MINIPORT_INTERRUPT Interrupt, unsigned ddi)
{
	enum ndis_lookup_error err = NDIS_LOOKUP_BAD;
	struct ndis5_interrupt *ni = NULL;

	if (Interrupt)
		ni = ndis_handle_lookup(Interrupt->Reserved, NDIS5_HT_INTERRUPT, &err);
	if (__builtin_expect(!ni, 0))
		ndisrt_violation(
		    err == NDIS_LOOKUP_STALE ? NDISRT_VIOLATION_STALE_HANDLE
					     : NDISRT_VIOLATION_BAD_HANDLE,
		    (uintptr_t)Interrupt, NDIS5_HT_INTERRUPT, ddi,
		    err == NDIS_LOOKUP_STALE
			? "an NDIS_MINIPORT_INTERRUPT used after NdisMDeregisterInterrupt "
			  "(spec L9)"
			: "not an NDIS_MINIPORT_INTERRUPT that NdisMRegisterInterrupt "
			  "initialized");
	return ni;
}

/*
 * Another NDIS 5 interrupt on @line that forbids sharing with this one
 * (either side registered SharedInterrupt = FALSE). Context: reg_lock held.
 */
static bool line_conflict(struct ndisrt_ndis5_nic *self, struct intc_line *line, bool shared)
{
	for (unsigned i = 0; i < NDIS5_MAX_MINIPORTS; i++) {
		struct ndisrt_ndis5_nic *o = ndis5_nic_at(i);
		struct ndis5_interrupt *oi;

		if (!o || o == self || o->line != line)
			continue;
		oi = atomic_load(&o->intr);
		if (oi && (!shared || !oi->shared))
			return true;
	}
	return false;
}

/* Validate everything (L1 and §14.1's return values) before changing anything. */
static NDIS_STATUS check_register(struct ndisrt_ndis5_nic *n, PNDIS_MINIPORT_INTERRUPT Interrupt,
				  UINT vector, UINT level, BOOLEAN request_isr, BOOLEAN shared,
				  NDIS_INTERRUPT_MODE mode)
{
	const NDIS51_MINIPORT_CHARACTERISTICS *ch = &n->drv->chars;

	if (!Interrupt || !ch->HandleInterruptHandler)
		return NDIS_STATUS_FAILURE;
	/* §14.1 rule 4, §14.5: sharing or RequestIsr need an ISR; so does no Disable handler. */
	if ((request_isr || shared || !ch->DisableInterruptHandler) && !ch->ISRHandler)
		return NDIS_STATUS_FAILURE;
	/* The adapter's resource: the line's vector; level = its DIRQL or, as ISA drivers pass, the vector. */
	if (!n->line || vector != intc_line_vector(n->line) ||
	    (level != intc_line_irql(n->line) && level != vector))
		return NDIS_STATUS_FAILURE;
	/* INTx lines are level-sensitive (PCI); ndisrt has no latched lines. */
	if (mode != NdisInterruptLevelSensitive)
		return NDIS_STATUS_FAILURE;
	if (atomic_load(&n->intr))
		return NDIS_STATUS_RESOURCE_CONFLICT;
	return NDIS_STATUS_SUCCESS;
}

static struct ndis5_interrupt *interrupt_create(struct ndisrt_ndis5_nic *n,
						PNDIS_MINIPORT_INTERRUPT Interrupt,
						BOOLEAN request_isr, BOOLEAN shared,
						NDIS_INTERRUPT_MODE mode)
{
	struct ndis5_interrupt *ni = ndis_zalloc(sizeof(*ni));
	unsigned vector = intc_line_vector(n->line);

	if (!ni)
		return NULL;
	ni->mp = n;
	ni->storage = Interrupt;
	ni->request_isr = request_isr != FALSE;
	ni->shared = shared != FALSE;
	ni->mode = mode;
	atomic_init(&ni->state, NDIS5_INTR_LIVE);
	ndis_assert(ke_interrupt_init(&ni->ki, ndis5_isr, ni, vector, NULL, intc_line_irql(n->line),
				      intc_line_targets(n->line)) == 0);
	ke_dpc_init(&ni->dpc, ndis5_dpc, ni);
	ni->handle = ndis_handle_alloc(NDIS5_HT_INTERRUPT, ni);
	if (!ni->handle) {
		ndis_free(ni);
		return NULL;
	}
	return ni;
}

/* The driver-visible storage (before connecting: the ISR may run at once). */
static void fill_storage(struct ndis5_interrupt *ni)
{
	PNDIS_MINIPORT_INTERRUPT s = ni->storage;
	const NDIS51_MINIPORT_CHARACTERISTICS *ch = &ni->mp->drv->chars;

	memset(s, 0, sizeof(*s));
	s->InterruptObject = (PKINTERRUPT)&ni->ki;
	s->Reserved = ni->handle;
	s->MiniportIsr = ch->ISRHandler;
	s->MiniportDpc = ch->HandleInterruptHandler;
	s->Miniport = (PNDIS_MINIPORT_BLOCK)ni->mp->handle;
	s->SharedInterrupt = ni->shared;
	s->IsrRequested = ni->request_isr;
}

/**
 * NdisMRegisterInterrupt() - Connect the NIC's interrupt.
 * @Interrupt: caller-allocated resident storage, initialized here.
 * @MiniportAdapterHandle: the handle MiniportInitialize received.
 * @InterruptVector: the adapter's vector (the INTx line's).
 * @InterruptLevel: its DIRQL, or the vector (as ISA-era drivers pass).
 * @RequestIsr: MiniportISR on every interrupt (else MiniportDisableInterrupt).
 * @SharedInterrupt: other devices may use the line.
 * @InterruptMode: NdisInterruptLevelSensitive (a PCI INTx line).
 *
 * MiniportISR may run before this returns (§14.1 rule 5).
 *
 * Context: PASSIVE_LEVEL, from MiniportInitialize after NdisMSetAttributes[Ex]
 * (bug check 0xC4 IRQL, NOT_IN_INITIALIZE, NO_ATTRIBUTES otherwise).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_RESOURCE_CONFLICT (already
 * registered, or the line is claimed without sharing by this or another
 * registration); NDIS_STATUS_RESOURCES (memory); NDIS_STATUS_FAILURE (no
 * HandleInterrupt handler, an ISR needed and missing, not the adapter's
 * vector/level, latched mode, NULL @Interrupt).
 * Spec: L1, L2, §14.1, §24 C-11.
 */
NDIS_STATUS NdisMRegisterInterrupt(PNDIS_MINIPORT_INTERRUPT Interrupt,
				   NDIS_HANDLE MiniportAdapterHandle, UINT InterruptVector,
				   UINT InterruptLevel, BOOLEAN RequestIsr, BOOLEAN SharedInterrupt,
				   NDIS_INTERRUPT_MODE InterruptMode)
{
	struct ndisrt_ndis5_nic *n;
	struct ndis5_interrupt *ni;
	NDIS_STATUS status;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_REGISTER_INTERRUPT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_REGISTER_INTERRUPT);
	if (!ndis5_in_initialize(n))
		ndisrt_violation(NDISRT_VIOLATION_NOT_IN_INITIALIZE,
				 (uintptr_t)MiniportAdapterHandle, atomic_load(&n->a->state),
				 NDISRT_NDIS5_DDI_REGISTER_INTERRUPT,
				 "NdisMRegisterInterrupt called outside the adapter's "
				 "MiniportInitialize (spec L1)");
	if (!atomic_load(&n->attributes_set))
		ndisrt_violation(
		    NDISRT_VIOLATION_NO_ATTRIBUTES, (uintptr_t)MiniportAdapterHandle, 0,
		    NDISRT_NDIS5_DDI_REGISTER_INTERRUPT,
		    "NdisMRegisterInterrupt called before NdisMSetAttributes[Ex] (spec L1)");
	status = check_register(n, Interrupt, InterruptVector, InterruptLevel, RequestIsr,
				SharedInterrupt, InterruptMode);
	if (status != NDIS_STATUS_SUCCESS)
		goto out;
	ni = interrupt_create(n, Interrupt, RequestIsr, SharedInterrupt, InterruptMode);
	if (!ni) {
		status = NDIS_STATUS_RESOURCES;
		goto out;
	}
	/* Commit: claim the line (sharing check and publication under one lock). */
	old = ke_spin_acquire(&reg_lock);
	if (line_conflict(n, n->line, ni->shared)) {
		ke_spin_release(&reg_lock, old);
		ndis_handle_retire(ni->handle);
		ndis_handle_release(ni->handle);
		ndis_free(ni);
		status = NDIS_STATUS_RESOURCE_CONFLICT;
		goto out;
	}
	atomic_store(&n->intr, ni);
	ke_spin_release(&reg_lock, old);
	fill_storage(ni);
	ndis_assert(ke_interrupt_connect(n->m, &ni->ki) == 0);
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
	return status;
}

/* ---------------------------------------------------- deregistration */

void ndis5_interrupt_quiesce(struct ndisrt_ndis5_nic *n)
{
	struct ndis5_interrupt *ni = atomic_load(&n->intr);

	if (!ni)
		return;
	if (ke_dpc_remove(n->m, &ni->dpc))
		atomic_fetch_sub_explicit(&ni->active_dpcs, 1, memory_order_release);
	while (atomic_load_explicit(&ni->active_dpcs, memory_order_seq_cst) != 0)
		ke_yield();
}

void ndis5_interrupt_after_initialize(struct ndisrt_ndis5_nic *n)
{
	struct ndis5_interrupt *ni = atomic_load(&n->intr);

	if (ni && atomic_exchange(&ni->deferred, false))
		request_dpc(ni);
}

void ndis5_check_deregistered(struct ndisrt_ndis5_nic *n, uint32_t subcode, const char *what)
{
	struct ndis5_interrupt *ni = atomic_load(&n->intr);

	if (ni)
		ndisrt_violation(subcode, (uintptr_t)n->handle, (uintptr_t)ni->storage, 0, what);
}

/**
 * NdisMDeregisterInterrupt() - Disconnect the NIC's interrupt.
 * @Interrupt: what NdisMRegisterInterrupt initialized.
 *
 * Disconnects the ISR (waiting for one that runs), removes a queued
 * MiniportHandleInterrupt and waits for a running one. After return
 * neither MiniportISR, MiniportDisableInterrupt nor MiniportHandleInterrupt
 * is called, and @Interrupt is stale (NdisMSynchronizeWithInterrupt with it
 * is bug check 0xC4 STALE_HANDLE). InterruptObject is left as it was: the
 * driver may clear it.
 *
 * Context: PASSIVE_LEVEL, from MiniportInitialize or MiniportHalt, after a
 * successful NdisMRegisterInterrupt (0xC4 IRQL, DEREGISTER_CONTEXT,
 * BAD_HANDLE, STALE_HANDLE otherwise).
 * Spec: L9, D2.
 */
VOID NdisMDeregisterInterrupt(PNDIS_MINIPORT_INTERRUPT Interrupt)
{
	struct ndis5_interrupt *ni;
	struct ndisrt_ndis5_nic *n;
	unsigned expected = NDIS5_INTR_LIVE;
	NDIS_HANDLE h;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_DEREGISTER_INTERRUPT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	old = ndis_enter_dispatch();
	ni = intr_lookup(Interrupt, NDISRT_NDIS5_DDI_DEREGISTER_INTERRUPT);
	n = ni->mp;
	if (!(ndis5_in_initialize(n) || ndis5_in_halt(n)))
		ndisrt_violation(NDISRT_VIOLATION_DEREGISTER_CONTEXT, (uintptr_t)Interrupt,
				 atomic_load(&n->a->state), NDISRT_NDIS5_DDI_DEREGISTER_INTERRUPT,
				 "NdisMDeregisterInterrupt called outside MiniportInitialize and "
				 "MiniportHalt (spec L9)");
	if (!atomic_compare_exchange_strong(&ni->state, &expected, NDIS5_INTR_DEREGISTERING))
		ndisrt_violation(NDISRT_VIOLATION_STALE_HANDLE, (uintptr_t)Interrupt,
				 NDIS5_HT_INTERRUPT, NDISRT_NDIS5_DDI_DEREGISTER_INTERRUPT,
				 "NdisMDeregisterInterrupt called twice for one interrupt");
	ndis_leave_dispatch(old);
	h = ni->handle;
	ke_interrupt_disconnect(n->m, &ni->ki);
	ndis5_interrupt_quiesce(n);
	atomic_store(&n->intr, NULL);
	ndis_handle_retire(h);
	/* Lookups begun before the retirement have returned; ke is done with our DPC. */
	ndis_grace_period(n->a);
	ndis_free(ni);
	ndis_handle_release(h);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ---------------------------------------------------- synchronization */

/**
 * NdisMSynchronizeWithInterrupt() - Run a MiniportSynchronizeISR at the
 * interrupt's DIRQL holding its lock: neither MiniportISR nor
 * MiniportDisableInterrupt of this NIC runs meanwhile, on any vCPU.
 * @Interrupt: a registered interrupt.
 * @SynchronizeFunction: BOOLEAN (*)(PVOID).
 * @SynchronizeContext: passed to it unchanged.
 *
 * Context: IRQL <= the interrupt's DIRQL, on a vCPU (0xC4 IRQL); not after
 * NdisMDeregisterInterrupt (0xC4 STALE_HANDLE, L9); the routine must
 * return at DIRQL (0xC8).
 * Return: the routine's BOOLEAN, unchanged.
 * Spec: L8, §14.7, §14.8.
 */
BOOLEAN NdisMSynchronizeWithInterrupt(PNDIS_MINIPORT_INTERRUPT Interrupt, PVOID SynchronizeFunction,
				      PVOID SynchronizeContext)
{
	ndis5_sync_fn *fn = (ndis5_sync_fn *)SynchronizeFunction;
	struct ndis5_interrupt *ni;
	struct ke_interrupt *ki;
	ke_irql_t cur;
	BOOLEAN result;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDISRT_NDIS5_DDI_SYNCHRONIZE);
	cur = ke_irql_current();
	if (cur < KE_DISPATCH_LEVEL)
		ke_irql_raise(KE_DISPATCH_LEVEL);
	ni = intr_lookup(Interrupt, NDISRT_NDIS5_DDI_SYNCHRONIZE);
	ki = &ni->ki;
	if (cur > ki->sync_irql)
		ndisrt_violation(
		    NDISRT_VIOLATION_IRQL, cur, NDISRT_IRQL_RANGE(0, ki->sync_irql),
		    NDISRT_NDIS5_DDI_SYNCHRONIZE,
		    "NdisMSynchronizeWithInterrupt called above the interrupt's DIRQL");
	if (!fn)
		ndisrt_violation(
		    NDISRT_VIOLATION_NULL_ROUTINE, (uintptr_t)Interrupt, 0,
		    NDISRT_NDIS5_DDI_SYNCHRONIZE,
		    "NdisMSynchronizeWithInterrupt called with SynchronizeFunction = NULL");
	ke_irql_raise(ki->sync_irql);
	ke_spin_acquire_raw(ki->lock);
	ndis5_count(&ni->mp->c.syncs);
	ndis_count_local(&ndis_counters_of(ni->mp->a, 0, ke_current_number())->syncs);
	ke_sync_routine_enter(ki); /* the hooks' sync_enter/exit (tracer) */
	result = fn(SynchronizeContext);
	ke_sync_routine_exit(ki);
	ke_spin_release_raw(ki->lock);
	ndis5_check_irql_after(
	    ki->sync_irql, (uintptr_t)fn,
	    "a MiniportSynchronizeISR routine returned at an IRQL other than its "
	    "DIRQL");
	ke_irql_lower(cur);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return result;
}
