/* SPDX-License-Identifier: MIT */
/*
 * ndis/interrupt.c - NdisMRegisterInterruptEx, NdisMDeregisterInterruptEx
 * and the ISR trampoline.
 *
 * A registered interrupt is one ke interrupt object per message (a line
 * interrupt has one message, id 0, chained on the line's vector with every
 * other adapter sharing the line), plus one DPC per (message, vCPU) pair,
 * all allocated at registration so that nothing on the interrupt path
 * allocates. ke runs each ISR at DIRQL holding the object's lock and, on a
 * shared line, calls the chained ISRs until one claims the interrupt; the
 * trampoline here calls the miniport's ISR and turns its outputs into DPC
 * requests whatever it returned (spec I3).
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"
#include "verifier/race.h"
#include "verifier/vfy.h"

#include <errno.h>
#include <execinfo.h>
#include <sched.h>

/*
 * What the ISR outputs hold until the miniport writes them: a value no
 * driver writes, so an ISR that forgets one is caught (spec §4.1: both are
 * _Out_; TargetProcessors is read only when QueueDefaultInterruptDpc is FALSE).
 */
#define NDIS_ISR_UNSET_BOOL ((BOOLEAN)0xA5)
#define NDIS_ISR_UNSET_TARGETS 0xA5A5A5A5u

/* ------------------------------------------------------------- the ISR */

static uint64_t vcpu_mask(unsigned nr_vcpus)
{
	return nr_vcpus >= 64 ? ~0ull : (1ull << nr_vcpus) - 1;
}

/* Turn the ISR's outputs into DPC requests with context NULL (I3, I4, O-2). */
void ndis_isr_queue_dpcs(struct ndis_interrupt *ni, struct ndis_message *msg, unsigned cpu,
			 BOOLEAN queue_default, ULONG targets)
{
	if (queue_default == NDIS_ISR_UNSET_BOOL)
		ndisrt_violation(
		    NDISRT_VIOLATION_ISR_OUTPUT, (uintptr_t)ni->handle, msg->id, 1,
		    "the miniport's ISR returned without setting "
		    "*QueueDefaultInterruptDpc (set it to TRUE or FALSE on every path)");
	if (queue_default) {
		ndis_dpc_request(ni, msg->id, cpu, NULL);
		return;
	}
	if (targets == NDIS_ISR_UNSET_TARGETS)
		ndisrt_violation(NDISRT_VIOLATION_ISR_OUTPUT, (uintptr_t)ni->handle, msg->id, 2,
				 "the miniport's ISR set *QueueDefaultInterruptDpc = FALSE without "
				 "setting *TargetProcessors (set it to 0 for no DPC)");
	if (!targets)
		return;
	if (targets & ~vcpu_mask(ni->nr_vcpus))
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PROCESSOR, 0, targets, vcpu_mask(ni->nr_vcpus),
		    "the ISR's *TargetProcessors names a processor that does not exist "
		    "(parameter 3 = the mask, 4 = the processors of group 0)");
	ndis_dpc_request_mask(ni, msg->id, targets, NULL);
}

/* Claims in a row of an interrupt the device did not raise before I11 is reported. */
#define NDIS_FALSE_CLAIMS 3u
/* ISR returns in a row that left the device's pin asserted throughout before I12. */
#define NDIS_STORM_RETURNS 256u

static void line_report(enum ndisrt_violation v, struct ndis_interrupt *ni, uintptr_t p4,
			const char *what)
{
	void *frames[17];
	int n;

	/* The ISR itself first (it has returned: the chain is its caller's). */
	frames[0] = (void *)ni->line_isr;
	n = 1 + backtrace(frames + 1, 16);
	ke_print_chain(2, "\nThe line ISR:", frames, 1);
	vfy_report(v, (uintptr_t)ni->handle, (uintptr_t)ni->line_isr, p4, what, frames, n);
}

/*
 * The verifier's look at one line ISR return (I11, I12): @pin_before and
 * @rises_before are the device's INTx pin as the ISR was called. A claim
 * while the pin was low and never rose during the ISR is a claim of an
 * interrupt the device did not raise: on a shared line it starves the ISRs
 * after this one. A return (claimed or not) with the pin high all along
 * dismissed nothing: a level line re-asserts at once, an interrupt storm.
 * Each is reported when it happens several times in a row (a single one
 * can be benign: a cause the device holds back for moderation).
 * Context: as ndis_isr(), under the line ISR's lock (the counters are ours).
 */
static void check_line_claim(struct ndis_interrupt *ni, bool claimed, bool pin_before,
			     unsigned rises_before)
{
	struct ndisrt_adapter *a = ni->adapter;
	unsigned rises_after;
	bool pin_after = a->host->line_level(a, &rises_after);
	bool never_rose = rises_after == rises_before;

	if (claimed && !pin_before && !pin_after && never_rose) {
		if (++ni->false_claims >= NDIS_FALSE_CLAIMS)
			line_report(
			    NDISRT_VIOLATION_ISR_FALSE_CLAIM, ni, ni->false_claims,
			    "the line ISR claimed (returned TRUE) interrupts its device did "
			    "not raise, several in a row: on a shared line the ISRs of the "
			    "device that did are never called (parameter 2 = the interrupt "
			    "handle, 3 = the ISR, 4 = claims in a row)");
	} else {
		ni->false_claims = 0;
	}
	if (pin_before && pin_after && never_rose) {
		if (++ni->storm_returns >= NDIS_STORM_RETURNS) {
			ni->storm_returns = 0;
			line_report(
			    NDISRT_VIOLATION_INTERRUPT_STORM, ni, claimed,
			    "interrupt storm: the device kept its level-triggered line "
			    "asserted through every one of its ISR's last returns: the ISR "
			    "does not dismiss the interrupt (Windows: bug check 0xF2 "
			    "HARDWARE_INTERRUPT_STORM; parameter 2 = the interrupt handle, 3 = "
			    "the ISR, 4 = whether the last return claimed it)");
		}
	} else {
		ni->storm_returns = 0;
	}
}

/*
 * Context: DIRQL (the object's sync IRQL), holding its lock, on the vCPU
 * the interrupt was delivered to; inside the vCPU's signal handler.
 * Spec: I1, I2 (ke walks the chain), I3, I4, I11, I12.
 */
bool ndis_isr(struct ke_interrupt *ki, void *ctx)
{
	struct ndis_message *msg = ctx;
	struct ndis_interrupt *ni = msg->intr;
	unsigned cpu = ndis_current_vcpu();
	struct ndis_counters *ctr = &msg->ctr[cpu];
	BOOLEAN queue_default = NDIS_ISR_UNSET_BOOL;
	ULONG targets = NDIS_ISR_UNSET_TARGETS;
	BOOLEAN claimed;
	ke_irql_t after;

	bool watch_line = !ni->message_based && __builtin_expect(vfy_active, 0) &&
			  ni->adapter->host && ni->adapter->host->line_level;
	unsigned rises_before = 0;
	bool pin_before = false;

	ndis_count_local(&ctr->isrs);
	if (watch_line)
		pin_before = ni->adapter->host->line_level(ni->adapter, &rises_before);
	/* ke holds the object's lock around this routine: the ISR is its holder. */
	vfy_lock_acquired(ki->lock, "interrupt lock", ki->sync_irql,
			  ni->message_based ? (void *)ni->msg_isr : (void *)ni->line_isr);
	if (ni->message_based)
		claimed = ni->msg_isr(ni->context, msg->id, &queue_default, &targets);
	else
		claimed = ni->line_isr(ni->context, &queue_default, &targets);
	vfy_lock_releasing(ki->lock);
	after = ke_irql_current();
	if (after != ki->sync_irql)
		ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, after, ki->sync_irql,
			    ni->message_based ? (uintptr_t)ni->msg_isr : (uintptr_t)ni->line_isr, 0,
			    "the miniport's ISR returned at an IRQL other than the one it was "
			    "called at");
	if (claimed)
		ndis_count_local(&ctr->isrs_claimed);
	if (watch_line)
		check_line_claim(ni, claimed != FALSE, pin_before, rises_before);
	ndis_isr_queue_dpcs(ni, msg, cpu, queue_default, targets);
	return claimed != FALSE;
}

/* ----------------------------------------------------- registration */

/* Spec R2 and §24 C-12: header, the four line handlers, the four MSI handlers if MsiSupported. */
static NDIS_STATUS check_characteristics(const NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	if (c->Header.Type != NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT ||
	    c->Header.Revision < NDIS_MINIPORT_INTERRUPT_REVISION_1 ||
	    c->Header.Size < NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1)
		return NDIS_STATUS_INVALID_PARAMETER;
	if (!c->InterruptHandler || !c->InterruptDpcHandler || !c->DisableInterruptHandler ||
	    !c->EnableInterruptHandler)
		return NDIS_STATUS_INVALID_PARAMETER;
	if (c->MsiSupported &&
	    (!c->MessageInterruptHandler || !c->MessageInterruptDpcHandler ||
	     !c->DisableMessageInterruptHandler || !c->EnableMessageInterruptHandler))
		return NDIS_STATUS_INVALID_PARAMETER;
	return NDIS_STATUS_SUCCESS;
}

/*
 * Spec R4, §2 rule 9: messages when the adapter was given message resources
 * and the driver supports MSI; a line when it was given a line (whatever
 * MsiSupported says); message resources with a driver that does not support
 * MSI fail, as on Windows when they were not filtered out.
 */
static NDIS_STATUS grant(const struct ndisrt_adapter *a,
			 const NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c, bool *message)
{
	if (a->cfg.nr_messages) {
		if (!c->MsiSupported) {
			atomic_store((atomic_bool *)(uintptr_t)&a->msi_refused, true);
			return NDIS_STATUS_FAILURE;
		}
		*message = true;
		return NDIS_STATUS_SUCCESS;
	}
	if (a->cfg.line) {
		*message = false;
		return NDIS_STATUS_SUCCESS;
	}
	return NDIS_STATUS_RESOURCES;
}

/* A vector at @want, or (want == 0) at the default level or the nearest with one free. */
static int alloc_vector(struct ke_machine *m, ke_irql_t want)
{
	int v;

	if (want)
		return ke_vector_alloc(m, want);
	for (int l = NDISRT_DEFAULT_MSI_IRQL; l <= KE_DIRQL_MAX; l++)
		if ((v = ke_vector_alloc(m, (ke_irql_t)l)) >= 0)
			return v;
	for (int l = NDISRT_DEFAULT_MSI_IRQL - 1; l >= KE_DIRQL_MIN; l--)
		if ((v = ke_vector_alloc(m, (ke_irql_t)l)) >= 0)
			return v;
	return -1;
}

static void setup_line(struct ndis_interrupt *ni, struct intc_line *line)
{
	struct ndis_message *msg = &ni->msgs[0];
	uint64_t targets = intc_line_targets(line);

	msg->vector = intc_line_vector(line);
	msg->irql = intc_line_irql(line);
	msg->vcpu = (unsigned)__builtin_ctzll(targets);
	ni->unified_irql = msg->irql;
	ndis_assert(
	    ke_interrupt_init(&msg->ki, ndis_isr, msg, msg->vector, NULL, msg->irql, targets) == 0);
}

static void fill_entry(PIO_INTERRUPT_MESSAGE_INFO_ENTRY e, struct ndis_message *msg, uint64_t addr,
		       uint32_t data)
{
	e->MessageAddress.QuadPart = (LONGLONG)addr;
	e->TargetProcessorSet = (KAFFINITY)1 << msg->vcpu;
	e->InterruptObject = (PKINTERRUPT)&msg->ki;
	e->MessageData = data;
	e->Vector = msg->vector;
	e->Irql = msg->irql;
	e->Mode = Latched;
	e->Polarity = InterruptRisingEdge;
}

/* Vectors, ke objects and the IO_INTERRUPT_MESSAGE_INFO table (§10). */
static NDIS_STATUS setup_messages(struct ndis_interrupt *ni)
{
	struct ndisrt_adapter *a = ni->adapter;
	uint64_t addr[NDISRT_MAX_MESSAGES];
	uint32_t data[NDISRT_MAX_MESSAGES];

	for (ULONG i = 0; i < ni->nr_messages; i++) {
		struct ndis_message *msg = &ni->msgs[i];
		int cfg_vcpu = a->cfg.message_vcpu[i];
		int vector = alloc_vector(ni->m, a->cfg.message_irql[i]);

		if (vector < 0)
			return NDIS_STATUS_RESOURCES;
		msg->vector = (unsigned)vector;
		msg->own_vector = true;
		msg->irql = ke_vector_irql(msg->vector);
		msg->vcpu = cfg_vcpu >= 0 ? (unsigned)cfg_vcpu : i % ni->nr_vcpus;
		ndis_assert(
		    intc_msi_compose(a->cfg.ic, msg->vector, msg->vcpu, &addr[i], &data[i]) == 0);
		if (msg->irql > ni->unified_irql)
			ni->unified_irql = msg->irql;
	}
	ni->table_size = offsetof(IO_INTERRUPT_MESSAGE_INFO, MessageInfo) +
			 ni->nr_messages * sizeof(IO_INTERRUPT_MESSAGE_INFO_ENTRY);
	ni->table = ndis_zalloc(ni->table_size);
	if (!ni->table)
		return NDIS_STATUS_RESOURCES;
	ni->table->UnifiedIrql = ni->unified_irql;
	ni->table->MessageCount = ni->nr_messages;
	for (ULONG i = 0; i < ni->nr_messages; i++) {
		struct ndis_message *msg = &ni->msgs[i];

		/* MsiSyncWithAllMessages: one lock, taken at UnifiedIrql (§10, O-5). */
		ndis_assert(ke_interrupt_init(&msg->ki, ndis_isr, msg, msg->vector,
					      ni->sync_all ? &ni->unified_lock : NULL,
					      ni->sync_all ? ni->unified_irql : msg->irql,
					      1ull << msg->vcpu) == 0);
		fill_entry(&ni->table->MessageInfo[i], msg, addr[i], data[i]);
		a->msi_addr[i] = addr[i];
		a->msi_data[i] = data[i];
	}
	return NDIS_STATUS_SUCCESS;
}

static void interrupt_free(struct ndis_interrupt *ni)
{
	if (ni->msgs)
		for (ULONG i = 0; i < ni->nr_messages; i++)
			if (ni->msgs[i].own_vector)
				ke_vector_free(ni->m, ni->msgs[i].vector);
	ndis_free(ni->table);
	ndis_free(ni->dpcs);
	ndis_free(ni->msgs);
	ndis_free(ni);
}

static void copy_handlers(struct ndis_interrupt *ni,
			  const NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	ni->line_isr = c->InterruptHandler;
	ni->line_dpc = c->InterruptDpcHandler;
	ni->line_disable = c->DisableInterruptHandler;
	ni->line_enable = c->EnableInterruptHandler;
	ni->msg_isr = c->MessageInterruptHandler;
	ni->msg_dpc = c->MessageInterruptDpcHandler;
	ni->msg_disable = c->DisableMessageInterruptHandler;
	ni->msg_enable = c->EnableMessageInterruptHandler;
	ni->sync_all = c->MsiSyncWithAllMessages != FALSE;
}

/* Everything but connecting; on failure nothing is left behind. */
static NDIS_STATUS interrupt_create(struct ndisrt_adapter *a, NDIS_HANDLE context,
				    const NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c, bool message,
				    struct ndis_interrupt **out)
{
	struct ndis_interrupt *ni = ndis_zalloc(sizeof(*ni));
	NDIS_STATUS status = NDIS_STATUS_RESOURCES;

	if (!ni)
		return status;
	ni->adapter = a;
	ni->m = a->m;
	ni->context = context;
	ni->message_based = message;
	ni->nr_messages = message ? a->cfg.nr_messages : 1;
	ni->nr_vcpus = a->nr_vcpus;
	copy_handlers(ni, c);
	ke_spin_init(&ni->unified_lock);
	atomic_init(&ni->state, NDIS_INTR_LIVE);
	atomic_init(&ni->active_dpcs, 0);
	ni->msgs = ndis_zalloc(sizeof(*ni->msgs) * ni->nr_messages);
	ni->dpcs = ndis_zalloc(sizeof(*ni->dpcs) * ni->nr_messages * ni->nr_vcpus);
	if (!ni->msgs || !ni->dpcs)
		goto err_free_interrupt;
	for (ULONG i = 0; i < ni->nr_messages; i++) {
		ni->msgs[i].intr = ni;
		ni->msgs[i].id = i;
		ni->msgs[i].ctr = ndis_counters_of(a, i, 0);
	}
	if (message) {
		status = setup_messages(ni);
		if (status != NDIS_STATUS_SUCCESS)
			goto err_free_interrupt;
	} else {
		setup_line(ni, a->cfg.line);
	}
	ndis_dpc_init_all(ni);
	ni->handle = ndis_handle_alloc(NDIS_HT_INTERRUPT, ni);
	if (!ni->handle) {
		status = NDIS_STATUS_RESOURCES;
		goto err_free_interrupt;
	}
	*out = ni;
	return NDIS_STATUS_SUCCESS;

err_free_interrupt:
	interrupt_free(ni);
	return status;
}

static NDIS_STATUS register_interrupt(struct ndisrt_adapter *a, NDIS_HANDLE context,
				      PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c, PNDIS_HANDLE out)
{
	struct ndis_interrupt *ni;
	NDIS_STATUS status;
	bool message;

	if (!c || !out)
		return NDIS_STATUS_INVALID_PARAMETER;
	status = check_characteristics(c);
	if (status != NDIS_STATUS_SUCCESS)
		return status;
	/* One interrupt per adapter: the resource is already claimed. */
	if (atomic_load(&a->interrupt))
		return NDIS_STATUS_RESOURCE_CONFLICT;
	status = grant(a, c, &message);
	if (status != NDIS_STATUS_SUCCESS)
		return status;
	status = interrupt_create(a, context, c, message, &ni);
	if (status != NDIS_STATUS_SUCCESS)
		return status;
	/*
	 * Commit. The outputs are written before the ISRs are connected, so an
	 * ISR that fires during registration (R3) finds the handle wherever the
	 * driver asked for it (typically its own context). What the driver
	 * did before registering happens before its ISRs (race detector).
	 */
	vfy_race_release(&vfy_race_lifecycle);
	atomic_store(&a->interrupt, ni);
	atomic_store(&a->kind, message ? NDISRT_INTERRUPT_MESSAGE : NDISRT_INTERRUPT_LINE);
	c->InterruptType = message ? NDIS_CONNECT_MESSAGE_BASED : NDIS_CONNECT_LINE_BASED;
	c->MessageInfoTable = message ? ni->table : NULL;
	*out = ni->handle;
	for (ULONG i = 0; i < ni->nr_messages; i++) {
		ndis_assert(ke_interrupt_connect(ni->m, &ni->msgs[i].ki) == 0);
		ni->msgs[i].connected = true;
	}
	return NDIS_STATUS_SUCCESS;
}

/**
 * NdisMRegisterInterruptEx() - Register the adapter's interrupt.
 * @MiniportAdapterHandle: the handle MiniportInitializeEx received.
 * @MiniportInterruptContext: passed back unchanged to every callback.
 * @MiniportInterruptCharacteristics: in: header and handlers; out:
 *	InterruptType and MessageInfoTable (NULL for a line).
 * @NdisInterruptHandle: receives the interrupt's handle.
 *
 * The ISRs are connected before this returns, so they may run before it
 * does (R3). Validates everything before changing anything.
 *
 * Context: PASSIVE_LEVEL, from the adapter's MiniportInitializeEx, after
 * NdisMSetMiniportAttributes (else bug check 0xC4: IRQL, NOT_IN_INITIALIZE,
 * NO_ATTRIBUTES). Allocates (at DISPATCH_LEVEL, see ndis_zalloc()).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_INVALID_PARAMETER (NULL
 * pointers, a bad header, a missing handler); NDIS_STATUS_RESOURCE_CONFLICT
 * (an interrupt is already registered); NDIS_STATUS_FAILURE (message
 * resources but MsiSupported is FALSE); NDIS_STATUS_RESOURCES (no interrupt
 * resource, no vector or no memory).
 * Spec: R1, R2, R3, R4.
 */
NDIS_STATUS
NdisMRegisterInterruptEx(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportInterruptContext,
			 PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS MiniportInterruptCharacteristics,
			 PNDIS_HANDLE NdisInterruptHandle)
{
	struct ndisrt_adapter *a;
	NDIS_STATUS status;

	ndis_ddi_enter(NDISRT_DDI_REGISTER_INTERRUPT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	a = ndis_adapter_lookup(MiniportAdapterHandle, NDISRT_DDI_REGISTER_INTERRUPT);
	if (!ndis_adapter_in_initialize(a))
		ndisrt_violation(NDISRT_VIOLATION_NOT_IN_INITIALIZE,
				 (uintptr_t)MiniportAdapterHandle, atomic_load(&a->state),
				 NDISRT_DDI_REGISTER_INTERRUPT,
				 "NdisMRegisterInterruptEx called outside the adapter's "
				 "MiniportInitializeEx (spec R1)");
	if (!atomic_load(&a->attributes_set))
		ndisrt_violation(
		    NDISRT_VIOLATION_NO_ATTRIBUTES, (uintptr_t)MiniportAdapterHandle, 0,
		    NDISRT_DDI_REGISTER_INTERRUPT,
		    "NdisMRegisterInterruptEx called before NdisMSetMiniportAttributes "
		    "gave the registration attributes (spec R1)");
	status = register_interrupt(a, MiniportInterruptContext, MiniportInterruptCharacteristics,
				    NdisInterruptHandle);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return status;
}

/* ---------------------------------------------------- deregistration */

/*
 * Context: PASSIVE_LEVEL; the caller won the LIVE -> DEREGISTERING
 * transition, so it alone frees @ni.
 */
static void interrupt_teardown(struct ndis_interrupt *ni)
{
	struct ndisrt_adapter *a = ni->adapter;
	NDIS_HANDLE h = ni->handle;

	/* ISRs: ke waits until none runs, and none will (D1, D2). */
	for (ULONG i = 0; i < ni->nr_messages; i++)
		if (ni->msgs[i].connected)
			ke_interrupt_disconnect(ni->m, &ni->msgs[i].ki);
	/* DPCs: requests are refused now; wait for the queued and running
	 * ones, throttled re-runs included (D2, I9). */
	while (atomic_load_explicit(&ni->active_dpcs, memory_order_seq_cst) != 0)
		sched_yield();
	/* Every ISR and DPC that ran happens before what follows (race detector). */
	vfy_race_acquire(&vfy_race_quiesce);
	atomic_store(&a->kind, NDISRT_INTERRUPT_NONE);
	atomic_store(&a->interrupt, NULL);
	ndis_handle_retire(h);
	/* Lookups that began before the retirement have returned, and ke is
	 * done with our DPC objects: now it can go. */
	ndis_grace_period(a);
	interrupt_free(ni);
	ndis_handle_release(h);
}

/**
 * NdisMDeregisterInterruptEx() - Release the interrupt.
 * @NdisInterruptHandle: from NdisMRegisterInterruptEx.
 *
 * Disconnects the ISRs (waiting for any that runs), refuses DPC requests
 * from then on (NdisMQueueDpc[Ex] returns 0), waits for every DPC queued or
 * running (re-runs of a throttled batch included), then frees. When it
 * returns nothing of the interrupt runs any more, and the handle is stale.
 *
 * Context: PASSIVE_LEVEL, from the adapter's MiniportInitializeEx or
 * MiniportHaltEx (else bug check 0xC4: IRQL, DEREGISTER_CONTEXT); a handle
 * that was never registered or is already deregistered is bug check 0xC4
 * BAD_HANDLE / STALE_HANDLE.
 * Spec: R5, D1, D2.
 */
VOID NdisMDeregisterInterruptEx(NDIS_HANDLE NdisInterruptHandle)
{
	struct ndis_interrupt *ni;
	struct ndisrt_adapter *a;
	unsigned expected = NDIS_INTR_LIVE;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_DDI_DEREGISTER_INTERRUPT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	old = ndis_enter_dispatch();
	ni = ndis_interrupt_lookup(NdisInterruptHandle, NDISRT_DDI_DEREGISTER_INTERRUPT);
	a = ni->adapter;
	if (!(ndis_adapter_in_initialize(a) ||
	      (atomic_load(&a->state) == NDIS_ADAPTER_HALTING &&
	       atomic_load(&a->owner_vcpu) == ke_current_number())))
		ndisrt_violation(
		    NDISRT_VIOLATION_DEREGISTER_CONTEXT, (uintptr_t)NdisInterruptHandle,
		    atomic_load(&a->state), NDISRT_DDI_DEREGISTER_INTERRUPT,
		    "NdisMDeregisterInterruptEx called outside MiniportInitializeEx and "
		    "MiniportHaltEx (spec R5)");
	if (!atomic_compare_exchange_strong(&ni->state, &expected, NDIS_INTR_DEREGISTERING))
		ndisrt_violation(NDISRT_VIOLATION_STALE_HANDLE, (uintptr_t)NdisInterruptHandle,
				 NDIS_HT_INTERRUPT, NDISRT_DDI_DEREGISTER_INTERRUPT,
				 "NdisMDeregisterInterruptEx called twice for one interrupt");
	/* From here on we alone may free @ni: no need to stay at DISPATCH_LEVEL. */
	ndis_leave_dispatch(old);
	interrupt_teardown(ni);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ---------------------------------------------------------- host API */

enum ndisrt_interrupt_kind ndisrt_adapter_interrupt_kind(const struct ndisrt_adapter *a)
{
	return (enum ndisrt_interrupt_kind)atomic_load(&a->kind);
}

int ndisrt_adapter_message_address(const struct ndisrt_adapter *a, unsigned msg, uint64_t *addr,
				   uint32_t *data)
{
	if (ndisrt_adapter_interrupt_kind(a) != NDISRT_INTERRUPT_MESSAGE)
		return -ENOENT;
	if (msg >= a->cfg.nr_messages)
		return -EINVAL;
	*addr = a->msi_addr[msg];
	*data = a->msi_data[msg];
	return 0;
}

struct ke_interrupt *ndisrt_adapter_ke_interrupt(const struct ndisrt_adapter *a, unsigned msg)
{
	struct ndis_interrupt *ni = atomic_load(&a->interrupt);

	if (!ni || msg >= ni->nr_messages)
		return NULL;
	return &ni->msgs[msg].ki;
}
