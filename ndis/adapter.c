/* SPDX-License-Identifier: MIT */
/*
 * ndis/adapter.c - the miniport adapter: what MiniportAdapterHandle names.
 *
 * The host gives each adapter its interrupt resources and brackets the
 * driver's MiniportInitializeEx and MiniportHaltEx with lifecycle calls, so
 * the DDI knows whether it is called from inside them (spec R1, R5) and the
 * end of each can check that the interrupt was deregistered (D3).
 * NdisMSetMiniportAttributes lives here: R1 orders registration after it.
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"
#include "ndisrt/phase.h"
#include "verifier/race.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void ndisrt_adapter_config_init(struct ndisrt_adapter_config *cfg, struct intc *ic)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ic = ic;
	for (unsigned i = 0; i < NDISRT_MAX_MESSAGES; i++)
		cfg->message_vcpu[i] = -1;
	cfg->max_nbls_to_indicate = NDISRT_DEFAULT_MAX_NBLS;
}

static bool config_valid(struct ke_machine *m, const struct ndisrt_adapter_config *cfg)
{
	unsigned n = ke_machine_vcpu_count(m);

	if (cfg->nr_messages > NDISRT_MAX_MESSAGES || (cfg->line && cfg->nr_messages) ||
	    cfg->max_nbls_to_indicate == 0)
		return false;
	if (cfg->nr_messages && (!cfg->ic || intc_machine(cfg->ic) != m))
		return false;
	for (unsigned i = 0; i < cfg->nr_messages; i++) {
		if (cfg->message_vcpu[i] < -1 || cfg->message_vcpu[i] >= (int)n)
			return false;
		if (cfg->message_irql[i] &&
		    (cfg->message_irql[i] < KE_DIRQL_MIN || cfg->message_irql[i] > KE_DIRQL_MAX))
			return false;
	}
	return true;
}

struct ndisrt_adapter *ndisrt_adapter_create(struct ke_machine *m,
					     const struct ndisrt_adapter_config *cfg)
{
	struct ndisrt_adapter *a;

	if (!m || !cfg || !config_valid(m, cfg)) {
		errno = EINVAL;
		return NULL;
	}
	a = ndis_zalloc(sizeof(*a));
	if (!a)
		goto err_nomem;
	a->m = m;
	a->nr_vcpus = ke_machine_vcpu_count(m);
	a->cfg = *cfg;
	a->counters = ndis_zalloc(sizeof(*a->counters) * NDISRT_MAX_MESSAGES * a->nr_vcpus);
	if (!a->counters)
		goto err_free_adapter;
	atomic_init(&a->state, NDIS_ADAPTER_HALTED);
	atomic_init(&a->max_nbls, cfg->max_nbls_to_indicate);
	a->handle = ndis_handle_alloc(NDIS_HT_ADAPTER, a);
	if (!a->handle) {
		ndis_free(a->counters);
		ndis_free(a);
		errno = ENOSPC;
		return NULL;
	}
	return a;

err_free_adapter:
	ndis_free(a);
err_nomem:
	errno = ENOMEM;
	return NULL;
}

int ndisrt_adapter_free(struct ndisrt_adapter *a)
{
	if (!a)
		return 0;
	if (atomic_load(&a->state) != NDIS_ADAPTER_HALTED || atomic_load(&a->interrupt))
		return -EBUSY;
	/*
	 * The host frees an adapter only when nothing of its driver runs, so
	 * no lookup can be in flight: retire and release at once.
	 */
	ndis_handle_retire(a->handle);
	ndis_handle_release(a->handle);
	ndis_free(a->counters);
	ndis_free(a);
	return 0;
}

void *ndisrt_adapter_handle(const struct ndisrt_adapter *a)
{
	return a->handle;
}

void *ndisrt_adapter_context(const struct ndisrt_adapter *a)
{
	return atomic_load(&a->adapter_context);
}

bool ndisrt_adapter_msi_refused(const struct ndisrt_adapter *a)
{
	return atomic_load(&a->msi_refused);
}

struct ke_machine *ndisrt_adapter_machine(const struct ndisrt_adapter *a)
{
	return a->m;
}

int ndisrt_adapter_set_max_nbls(struct ndisrt_adapter *a, uint32_t max_nbls)
{
	if (max_nbls == 0)
		return -EINVAL;
	atomic_store(&a->max_nbls, max_nbls);
	return 0;
}

/* --------------------------------------------------------- lifecycle */

static unsigned current_vcpu(void)
{
	struct ke_vcpu *v = ke_current();

	/* The lifecycle calls run where the driver's routine runs: on a vCPU. */
	ndis_assert(v != NULL);
	ndis_assert(ke_irql_current() == KE_PASSIVE_LEVEL);
	return ke_vcpu_number(v);
}

void ndisrt_adapter_initialize_begin(struct ndisrt_adapter *a)
{
	unsigned me = current_vcpu();

	ndis_assert(atomic_load(&a->state) == NDIS_ADAPTER_HALTED);
	atomic_store(&a->owner_vcpu, me);
	atomic_store(&a->attributes_set, false);
	atomic_store(&a->halt_from_init, false);
	atomic_store(&a->state, NDIS_ADAPTER_INITIALIZING);
}

/* D3: the interrupt must be gone when initialize fails or halt returns. */
static void check_deregistered(struct ndisrt_adapter *a, uint32_t subcode, const char *what)
{
	struct ndis_interrupt *ni = atomic_load(&a->interrupt);

	if (ni)
		ndisrt_violation(subcode, (uintptr_t)a->handle, (uintptr_t)ni->handle, 0, what);
}

void ndisrt_adapter_initialize_end(struct ndisrt_adapter *a, int status)
{
	ndis_assert(atomic_load(&a->state) == NDIS_ADAPTER_INITIALIZING);
	ndis_assert(atomic_load(&a->owner_vcpu) == current_vcpu());
	if (status != NDIS_STATUS_SUCCESS) {
		check_deregistered(
		    a, NDISRT_VIOLATION_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER,
		    "MiniportInitializeEx failed without deregistering its interrupt "
		    "(call NdisMDeregisterInterruptEx before returning a failure)");
		atomic_store(&a->state, NDIS_ADAPTER_HALTED);
		return;
	}
	atomic_store(&a->state, NDIS_ADAPTER_RUNNING);
	vfy_race_release(&vfy_race_lifecycle);
}

void ndisrt_adapter_halt_begin(struct ndisrt_adapter *a, bool from_init)
{
	unsigned me = current_vcpu();

	ndis_assert(atomic_load(&a->state) == NDIS_ADAPTER_RUNNING);
	atomic_store(&a->owner_vcpu, me);
	atomic_store(&a->halt_from_init, from_init);
	atomic_store(&a->state, NDIS_ADAPTER_HALTING);
	/* Every ISR and DPC that ran happens before halt (race detector). */
	vfy_race_acquire(&vfy_race_quiesce);
}

void ndisrt_adapter_halt_end(struct ndisrt_adapter *a)
{
	ndis_assert(atomic_load(&a->state) == NDIS_ADAPTER_HALTING);
	ndis_assert(atomic_load(&a->owner_vcpu) == current_vcpu());
	if (atomic_load(&a->halt_from_init))
		check_deregistered(
		    a, NDISRT_VIOLATION_HALT_INIT_WITHOUT_INTERRUPT_DEREGISTER,
		    "MiniportHaltEx (called from the initialize path) returned without "
		    "deregistering the interrupt (call NdisMDeregisterInterruptEx in "
		    "MiniportHaltEx)");
	else
		check_deregistered(a, NDISRT_VIOLATION_HALT_WITHOUT_INTERRUPT_DEREGISTER,
				   "MiniportHaltEx returned without deregistering the interrupt "
				   "(call NdisMDeregisterInterruptEx in MiniportHaltEx)");
	atomic_store(&a->state, NDIS_ADAPTER_HALTED);
}

struct lifecycle_call {
	struct ndisrt_adapter *a;
	ndisrt_initialize_fn *init;
	ndisrt_halt_fn *halt;
	void *ctx;
	bool from_init;
	int status;
};

static void run_initialize(void *arg)
{
	struct lifecycle_call *c = arg;

	ndisrt_adapter_initialize_begin(c->a);
	c->status = c->init(c->a->handle, c->ctx);
	ndisrt_adapter_initialize_end(c->a, c->status);
}

static void run_halt(void *arg)
{
	struct lifecycle_call *c = arg;

	ndisrt_adapter_halt_begin(c->a, c->from_init);
	c->halt(c->a->handle, c->ctx);
	ndisrt_adapter_halt_end(c->a);
}

int ndisrt_adapter_initialize(struct ndisrt_adapter *a, unsigned vcpu, ndisrt_initialize_fn *fn,
			      void *ctx)
{
	struct lifecycle_call c = {.a = a, .init = fn, .ctx = ctx};
	struct ke_vcpu *v = ke_machine_vcpu(a->m, vcpu);

	ndis_assert(v != NULL && ke_current() == NULL);
	host_phase_next(NDISRT_PHASE_INITIALIZE, 0);
	ke_vcpu_call(v, run_initialize, &c);
	return c.status;
}

void ndisrt_adapter_halt(struct ndisrt_adapter *a, unsigned vcpu, ndisrt_halt_fn *fn, void *ctx,
			 bool from_init)
{
	struct lifecycle_call c = {.a = a, .halt = fn, .ctx = ctx, .from_init = from_init};
	struct ke_vcpu *v = ke_machine_vcpu(a->m, vcpu);

	ndis_assert(v != NULL && ke_current() == NULL);
	host_phase_next(NDISRT_PHASE_HALT, 0);
	ke_vcpu_call(v, run_halt, &c);
}

/* --------------------------------------------------------- attributes */

/* The driver's own routine, on the vCPU running it: spec R1's "from MiniportInitializeEx". */
bool ndis_adapter_in_initialize(struct ndisrt_adapter *a)
{
	return atomic_load(&a->state) == NDIS_ADAPTER_INITIALIZING &&
	       atomic_load(&a->owner_vcpu) == ke_current_number();
}

static NDIS_STATUS set_registration(struct ndisrt_adapter *a,
				    const NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES *r)
{
	if (r->Header.Revision < NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 ||
	    r->Header.Revision > NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2)
		return NDIS_STATUS_BAD_VERSION;
	if (r->Header.Size < NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1)
		return NDIS_STATUS_INVALID_PARAMETER;
	a->attribute_flags = r->AttributeFlags;
	a->check_for_hang_seconds = r->CheckForHangTimeInSeconds;
	a->interface_type = r->InterfaceType;
	atomic_store(&a->adapter_context, r->MiniportAdapterContext);
	atomic_store(&a->attributes_set, true);
	return NDIS_STATUS_SUCCESS;
}

/**
 * NdisMSetMiniportAttributes() - Give NDIS the adapter's attributes.
 * @NdisMiniportHandle: the handle MiniportInitializeEx received.
 * @MiniportAttributes: one attributes structure, identified by Header.Type.
 *
 * Only the registration attributes are implemented in this issue; any other
 * type returns NDIS_STATUS_NOT_SUPPORTED.
 *
 * Context: PASSIVE_LEVEL, from MiniportInitializeEx (bug check 0xC4 otherwise).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_BAD_VERSION (Revision not 1 or
 * 2); NDIS_STATUS_INVALID_PARAMETER (NULL, or Size below revision 1's);
 * NDIS_STATUS_NOT_SUPPORTED (another attributes type).
 * Spec: R1 (registration must come after it).
 */
NDIS_STATUS NdisMSetMiniportAttributes(NDIS_HANDLE NdisMiniportHandle,
				       PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes)
{
	struct ndisrt_adapter *a;
	NDIS_STATUS status;

	ndis_ddi_enter(NDISRT_DDI_SET_ATTRIBUTES, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	a = ndis_adapter_lookup(NdisMiniportHandle, NDISRT_DDI_SET_ATTRIBUTES);
	if (!ndis_adapter_in_initialize(a))
		ndisrt_violation(NDISRT_VIOLATION_NOT_IN_INITIALIZE, (uintptr_t)NdisMiniportHandle,
				 atomic_load(&a->state), NDISRT_DDI_SET_ATTRIBUTES,
				 "NdisMSetMiniportAttributes called outside the adapter's "
				 "MiniportInitializeEx");
	/* Every member of the union starts with an NDIS_OBJECT_HEADER. */
	if (!MiniportAttributes)
		status = NDIS_STATUS_INVALID_PARAMETER;
	else if (((PNDIS_OBJECT_HEADER)MiniportAttributes)->Type ==
		     NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES &&
		 a->host && a->host->set_general_attributes)
		/* Hosting (docs/hosting.md), for an adapter it hosts. */
		status = a->host->set_general_attributes(a, &MiniportAttributes->GeneralAttributes);
	else if (((PNDIS_OBJECT_HEADER)MiniportAttributes)->Type !=
		 NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES)
		status = NDIS_STATUS_NOT_SUPPORTED;
	else
		status = set_registration(
		    a, (PNDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES)MiniportAttributes);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return status;
}

/* ----------------------------------------------------------- counters */

static void add_counters(struct ndisrt_interrupt_counters *out, struct ndis_counters *c)
{
	out->isrs += atomic_load_explicit(&c->isrs, memory_order_relaxed);
	out->isrs_claimed += atomic_load_explicit(&c->isrs_claimed, memory_order_relaxed);
	out->dpcs += atomic_load_explicit(&c->dpcs, memory_order_relaxed);
	out->dpc_reruns += atomic_load_explicit(&c->dpc_reruns, memory_order_relaxed);
	out->syncs += atomic_load_explicit(&c->syncs, memory_order_relaxed);
	out->dpc_requests += atomic_load_explicit(&c->dpc_requests, memory_order_relaxed);
	out->dpc_already_queued +=
	    atomic_load_explicit(&c->dpc_already_queued, memory_order_relaxed);
	out->dpc_refused += atomic_load_explicit(&c->dpc_refused, memory_order_relaxed);
}

int ndisrt_adapter_counters(const struct ndisrt_adapter *ca, unsigned msg, unsigned vcpu,
			    struct ndisrt_interrupt_counters *out)
{
	/* Read only, through atomics: the const is the caller's promise, kept. */
	struct ndisrt_adapter *a = (struct ndisrt_adapter *)(uintptr_t)ca;

	if ((msg != NDISRT_ALL && msg >= NDISRT_MAX_MESSAGES) ||
	    (vcpu != NDISRT_ALL && vcpu >= a->nr_vcpus) || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (unsigned mi = 0; mi < NDISRT_MAX_MESSAGES; mi++) {
		if (msg != NDISRT_ALL && mi != msg)
			continue;
		for (unsigned v = 0; v < a->nr_vcpus; v++)
			if (vcpu == NDISRT_ALL || v == vcpu)
				add_counters(out, ndis_counters_of(a, mi, v));
	}
	return 0;
}

static const char *state_name(unsigned s)
{
	static const char *const names[] = {"halted", "initializing", "running", "halting"};

	return s < 4 ? names[s] : "?";
}

void ndisrt_adapter_dump(const struct ndisrt_adapter *ca, FILE *f)
{
	/* Read only, through atomics: the const is the caller's promise, kept. */
	struct ndisrt_adapter *a = (struct ndisrt_adapter *)(uintptr_t)ca;
	unsigned kind = atomic_load(&a->kind);
	unsigned nr_msgs = a->cfg.nr_messages ? a->cfg.nr_messages : 1;
	static const char *const kinds[] = {"no", "line", "message"};

	fprintf(f, "adapter %p: %s, %s interrupt, MaxNblsToIndicate %u\n", a->handle,
		state_name(atomic_load(&a->state)), kinds[kind % 3], atomic_load(&a->max_nbls));
	for (unsigned mi = 0; mi < nr_msgs; mi++) {
		for (unsigned v = 0; v < a->nr_vcpus; v++) {
			struct ndisrt_interrupt_counters c;

			ndisrt_adapter_counters(a, mi, v, &c);
			if (!c.isrs && !c.dpcs && !c.syncs && !c.dpc_requests)
				continue;
			fprintf(f,
				"  msg %2u vCPU %2u: isr %llu (claimed %llu)  dpc %llu (reruns "
				"%llu)  sync %llu  dpc requests %llu (already queued %llu, refused "
				"%llu)\n",
				mi, v, (unsigned long long)c.isrs,
				(unsigned long long)c.isrs_claimed, (unsigned long long)c.dpcs,
				(unsigned long long)c.dpc_reruns, (unsigned long long)c.syncs,
				(unsigned long long)c.dpc_requests,
				(unsigned long long)c.dpc_already_queued,
				(unsigned long long)c.dpc_refused);
		}
	}
}
