/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_nic.c - the host (machine, interrupt controller, DMA space) and
 * the NICs: a VN-1 with an adapter of a loaded driver on it. Start
 * (MiniportInitializeEx with the VN-1's resources, MSI-X programming,
 * MiniportRestart), pause and restart, halt; the general attributes;
 * NdisMPauseComplete, NdisMRestartComplete, NdisMIndicateStatusEx; OID
 * requests (NdisMOidRequestComplete); sends from the protocol side.
 *
 * The NDIS 6 data-path state machine of each NIC (host_nic_state): Halted
 * -> Initializing -> Paused -> Restarting -> Running -> Pausing -> Paused
 * ... -> Halting -> Halted. Receive indications are legal in Restarting,
 * Running and Pausing (D4, docs/hosting.md).
 */
#include "ndis/host_internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Atomic(struct ndisrt_nic *) host_nics[HOST_MAX_NICS];

_Noreturn void host_violation(uint32_t rule, uintptr_t p2, uintptr_t p3, uintptr_t p4,
			      const char *what)
{
	ke_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, rule, p2, p3, p4, what);
}

const char *ndisrt_host_violation_name(uint32_t p1)
{
	static const char *const names[] = {
	    "BAD_OBJECT",	   "DOUBLE_FREE",
	    "NBL_CHAIN",	   "SOURCE_HANDLE",
	    "INDICATE_PAUSED",	   "NBL_OWNERSHIP",
	    "UNEXPECTED_COMPLETE", "PAUSE_OUTSTANDING",
	    "COMPLETION_TIMEOUT",  "RESOURCE_LEAK",
	    "WRONG_CONTEXT",	   "BAD_FLAGS",
	    "BAD_PARAMETER",	   "NO_DMA",
	    "NOT_HOSTED",	   "BAD_ATTRIBUTES",
	    "LOCK_HELD",	   "SPIN_NOT_ALLOCATED",
	    "SPIN_MISMATCH",	   "SPIN_HELD_AT_RETURN",
	    "LOWER_IRQL",	   "STALL_DELAY",
	};

	if (p1 < NDISRT_VIOLATION_BAD_OBJECT ||
	    p1 - NDISRT_VIOLATION_BAD_OBJECT >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[p1 - NDISRT_VIOLATION_BAD_OBJECT];
}

/* ---------------------------------------------------------------- host */

struct ndisrt_host *ndisrt_host_create(const struct ndisrt_host_config *cfg)
{
	struct ke_machine_config mc = {0};
	struct ndisrt_host *h;

	if (!cfg || cfg->nr_vcpus == 0 || cfg->nr_vcpus > KE_MAX_VCPUS) {
		errno = EINVAL;
		return NULL;
	}
	if (host_io_arena_init()) {
		errno = ENOMEM;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	mc.nr_vcpus = cfg->nr_vcpus;
	h->nr_vcpus = cfg->nr_vcpus;
	h->m = ke_machine_create(&mc);
	if (!h->m)
		goto err_free_host;
	h->ic = intc_create(h->m);
	if (!h->ic)
		goto err_free_machine;
	h->dma = hw_dma_space_create();
	if (!h->dma)
		goto err_free_intc;
	return h;

err_free_intc:
	intc_free(h->ic);
err_free_machine:
	ke_machine_free(h->m);
err_free_host:
	free(h);
	return NULL;
}

void ndisrt_host_free(struct ndisrt_host *h)
{
	if (!h)
		return;
	/* Drivers are unloaded and devices freed by the caller first. */
	intc_free(h->ic);
	ke_machine_free(h->m);
	hw_dma_space_free(h->dma);
	free(h);
}

struct ke_machine *ndisrt_host_machine(struct ndisrt_host *h)
{
	return h->m;
}

struct intc *ndisrt_host_intc(struct ndisrt_host *h)
{
	return h->ic;
}

struct hw_dma_space *ndisrt_host_dma(struct ndisrt_host *h)
{
	return h->dma;
}

/* ------------------------------------------------------------ registry */

struct ndisrt_nic *host_nic_of_adapter(struct ndisrt_adapter *a)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *n = atomic_load_explicit(&host_nics[i], memory_order_acquire);

		if (n && n->a == a)
			return n;
	}
	return NULL;
}

struct ndisrt_nic *host_nic_of_handle(NDIS_HANDLE h)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *n = atomic_load_explicit(&host_nics[i], memory_order_acquire);

		if (n && n->handle == h)
			return n;
	}
	return NULL;
}

struct ndisrt_nic *host_nic_lookup(NDIS_HANDLE h, unsigned ddi)
{
	struct ndisrt_adapter *a = ndis_adapter_lookup(h, ddi);
	struct ndisrt_nic *n = host_nic_of_adapter(a);

	if (!n)
		host_violation(NDISRT_VIOLATION_NOT_HOSTED, (uintptr_t)h, 0, ddi,
			       "an NDIS data-path or hardware function was called for an adapter "
			       "that no NIC hosts (ndisrt_nic_start creates them)");
	return n;
}

bool host_nic_slot_add(_Atomic(struct ndisrt_nic *) *slots, struct ndisrt_nic *n)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *expected = NULL;

		if (atomic_compare_exchange_strong(&slots[i], &expected, n))
			return true;
	}
	return false;
}

void host_nic_slot_remove(_Atomic(struct ndisrt_nic *) *slots, struct ndisrt_nic *n)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *expected = n;

		atomic_compare_exchange_strong(&slots[i], &expected, NULL);
	}
}

bool host_in_initialize(struct ndisrt_nic *n)
{
	return ndis_adapter_in_initialize(n->a);
}

bool host_in_init_or_halt(struct ndisrt_nic *n)
{
	unsigned st = atomic_load(&n->a->state);

	return (st == NDIS_ADAPTER_INITIALIZING || st == NDIS_ADAPTER_HALTING) &&
	       atomic_load(&n->a->owner_vcpu) == ke_current_number();
}

/* --------------------------------------------------- general attributes */

static NDIS_STATUS copy_general(struct ndisrt_nic *n,
				const NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES *g)
{
	struct ndisrt_nic_attributes at;
	const NDIS_RECEIVE_SCALE_CAPABILITIES *rss = g->RecvScaleCapabilities;
	bool rev2 = g->Header.Revision >= NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 &&
		    g->Header.Size >= NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
	const NDIS_PM_CAPABILITIES *pm = rev2 ? g->PowerManagementCapabilitiesEx : NULL;

	if (g->MacAddressLength > NDIS_MAX_PHYS_ADDRESS_LENGTH)
		return NDIS_STATUS_INVALID_PARAMETER;
	if (rss && (rss->Header.Type != NDIS_OBJECT_TYPE_RSS_CAPABILITIES ||
		    rss->Header.Revision < NDIS_RECEIVE_SCALE_CAPABILITIES_REVISION_1 ||
		    rss->Header.Size < NDIS_SIZEOF_RECEIVE_SCALE_CAPABILITIES_REVISION_1))
		return NDIS_STATUS_INVALID_PARAMETER;
	if (pm && (pm->Header.Type != NDIS_OBJECT_TYPE_DEFAULT ||
		   pm->Header.Revision < NDIS_PM_CAPABILITIES_REVISION_1 ||
		   pm->Header.Size < NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_1))
		return NDIS_STATUS_INVALID_PARAMETER;
	if (g->SupportedOidList && g->SupportedOidListLength % sizeof(NDIS_OID))
		return NDIS_STATUS_INVALID_PARAMETER;
	if (!n)
		return NDIS_STATUS_SUCCESS; /* an adapter of the ndis/ tests: validated only */
	memset(&at, 0, sizeof(at));
	memcpy(at.permanent_mac, g->PermanentMacAddress,
	       g->MacAddressLength < 6 ? g->MacAddressLength : 6);
	memcpy(at.current_mac, g->CurrentMacAddress,
	       g->MacAddressLength < 6 ? g->MacAddressLength : 6);
	at.mtu = g->MtuSize;
	at.lookahead = g->LookaheadSize;
	at.media_type = g->MediaType;
	at.supported_filters = g->SupportedPacketFilters;
	at.max_multicast = g->MaxMulticastListSize;
	at.max_link_speed = g->MaxRcvLinkSpeed;
	at.media_connect_state = g->MediaConnectState;
	if (rss) {
		at.rss_flags = rss->CapabilitiesFlags;
		at.rss_messages = rss->NumberOfInterruptMessages;
		at.rss_queues = rss->NumberOfReceiveQueues;
	}
	at.supported_oids = g->SupportedOidList ? g->SupportedOidListLength / sizeof(NDIS_OID) : 0;
	at.pm_capabilities = pm != NULL;
	at.attribute_flags = n->a->attribute_flags;
	n->attrs = at;
	atomic_store(&n->link_connect, g->MediaConnectState);
	atomic_store(&n->link_speed, g->RcvLinkSpeed);
	atomic_store(&n->general_set, true);
	return NDIS_STATUS_SUCCESS;
}

/**
 * ndis_host_set_general_attributes() - NdisMSetMiniportAttributes for
 * NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES (called by adapter.c, which has
 * checked the IRQL, the handle and that the call is inside the adapter's
 * MiniportInitializeEx). Copies what the host needs: the driver's
 * structures (the RSS and PM capabilities may be on its stack) are not
 * kept.
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_BAD_VERSION (revision not 1 or
 * 2); NDIS_STATUS_INVALID_PARAMETER (size, MAC length, a capabilities
 * header, an odd SupportedOidListLength).
 * Bug check 0xC4 WRONG_CONTEXT before the registration attributes.
 */
NDIS_STATUS ndis_host_set_general_attributes(struct ndisrt_adapter *a,
					     const NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES *g)
{
	if (!atomic_load(&a->attributes_set))
		host_violation(NDISRT_VIOLATION_WRONG_CONTEXT, (uintptr_t)a->handle, 0,
			       NDISRT_DDI_SET_GENERAL_ATTRIBUTES,
			       "general attributes given before the registration attributes "
			       "(NdisMSetMiniportAttributes with the registration attributes comes "
			       "first)");
	if (g->Header.Revision < NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1 ||
	    g->Header.Revision > NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2)
		return NDIS_STATUS_BAD_VERSION;
	if (g->Header.Size < NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1)
		return NDIS_STATUS_INVALID_PARAMETER;
	return copy_general(host_nic_of_adapter(a), g);
}

/* ----------------------------------------------------------- resources */

/*
 * AllocatedResources in datasheet §1 order: BAR0 (memory), BAR1 (port),
 * then the interrupt. A message-signaled interrupt is one translated
 * CmResourceTypeInterrupt descriptor per message (as Windows gives a
 * miniport the translated list), each with CM_RESOURCE_INTERRUPT_MESSAGE.
 */
static PCM_PARTIAL_RESOURCE_LIST build_resources(struct ndisrt_nic *n, unsigned nr_msgs)
{
	unsigned count = 2 + (nr_msgs ? nr_msgs : 1);
	PCM_PARTIAL_RESOURCE_LIST l;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR r;

	l = host_zalloc(sizeof(*l) + count * sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR));
	if (!l)
		return NULL;
	l->Version = 1;
	l->Revision = 1;
	l->Count = count;
	r = &l->PartialDescriptors[0];
	r->Type = CmResourceTypeMemory;
	r->ShareDisposition = CmResourceShareDeviceExclusive;
	r->Flags = CM_RESOURCE_MEMORY_READ_WRITE;
	r->u.Memory.Start.QuadPart = (LONGLONG)n->res.bar0_addr;
	r->u.Memory.Length = n->res.bar0_len;
	r = &l->PartialDescriptors[1];
	r->Type = CmResourceTypePort;
	r->ShareDisposition = CmResourceShareDeviceExclusive;
	r->Flags = CM_RESOURCE_PORT_IO;
	r->u.Port.Start.QuadPart = n->res.bar1_port;
	r->u.Port.Length = n->res.bar1_len;
	if (!nr_msgs) {
		r = &l->PartialDescriptors[2];
		r->Type = CmResourceTypeInterrupt;
		r->ShareDisposition = CmResourceShareShared;
		r->Flags = CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE;
		r->u.Interrupt.Level = intc_line_irql(n->cfg.line);
		r->u.Interrupt.Group = 0;
		r->u.Interrupt.Vector = intc_line_vector(n->cfg.line);
		r->u.Interrupt.Affinity = (KAFFINITY)intc_line_targets(n->cfg.line);
		return l;
	}
	for (unsigned i = 0; i < nr_msgs; i++) {
		int vcpu =
		    n->cfg.message_vcpu[i] >= 0 ? n->cfg.message_vcpu[i] : (int)(i % n->nr_vcpus);

		r = &l->PartialDescriptors[2 + i];
		r->Type = CmResourceTypeInterrupt;
		r->ShareDisposition = CmResourceShareDeviceExclusive;
		r->Flags = CM_RESOURCE_INTERRUPT_LATCHED | CM_RESOURCE_INTERRUPT_MESSAGE;
		/* Vectors are assigned when the driver connects (NdisMRegisterInterruptEx). */
		r->u.MessageInterrupt.Translated.Level = NDISRT_DEFAULT_MSI_IRQL;
		r->u.MessageInterrupt.Translated.Group = 0;
		r->u.MessageInterrupt.Translated.Vector = 0;
		r->u.MessageInterrupt.Translated.Affinity = (KAFFINITY)1 << vcpu;
	}
	return l;
}

/* ----------------------------------------------------------- lifecycle */

static int init_trampoline(void *adapter_handle, void *ctx)
{
	struct ndisrt_nic *n = ctx;

	return n->d->chars.InitializeHandlerEx(adapter_handle, n->d->context, &n->init);
}

static void halt_trampoline(void *adapter_handle, void *ctx)
{
	struct ndisrt_nic *n = ctx;

	(void)adapter_handle;
	n->d->chars.HaltHandlerEx(n->context, NdisHaltDeviceDisabled);
}

/* Wait (host thread) until *@flag is non-zero, on the engine clock. Return: false on timeout. */
static bool wait_flag(struct ndisrt_nic *n, atomic_uint *flag)
{
	uint64_t deadline = ke_clock_ns(n->h->m) + HOST_WAIT_NS;

	while (!atomic_load(flag)) {
		if (ke_clock_ns(n->h->m) > deadline)
			return false;
		sched_yield();
	}
	return true;
}

/* Everything the driver acquired through the DDI must be released by now. */
static void check_released(struct ndisrt_nic *n, const char *when)
{
	uintptr_t kind = 0, count = 0;

	if (atomic_load(&n->io_maps)) {
		kind = 1;
		count = (uintptr_t)atomic_load(&n->io_maps);
	} else if (atomic_load(&n->shared_allocs)) {
		kind = 2;
		count = (uintptr_t)atomic_load(&n->shared_allocs);
	} else if (atomic_load(&n->dma)) {
		kind = 3;
		count = 1;
	} else if (atomic_load(&n->pools)) {
		kind = 4;
		count = (uintptr_t)atomic_load(&n->pools);
	} else if (atomic_load(&n->mem.allocs)) {
		kind = 5;
		count = (uintptr_t)atomic_load(&n->mem.allocs);
	}
	if (kind)
		host_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)n->handle, count, kind,
			       when);
}

/* Undo what nic_start set up around the adapter. Context: host thread, adapter halted. */
static void nic_teardown(struct ndisrt_nic *n)
{
	/* An OS disconnecting the interrupt: messages off, the device's pin released. */
	for (unsigned i = 0; i < VN1_NR_MSGS; i++)
		vn1_msix_set_masked(n->dev, i, true);
	vn1_msix_set_enabled(n->dev, false);
	vn1_set_sink(n->dev, (struct hw_irq_sink){0});
	intc_source_set(&n->src, false);
	host_rx_fini(n);
	host_nic_slot_remove(host_nics, n);
	atomic_fetch_sub(&n->d->nics, 1);
	ndis_assert(ndisrt_adapter_free(n->a) == 0);
	host_free(n->resources);
	pthread_mutex_destroy(&n->oid_lock);
	n->magic = 0;
	free(n);
}

struct call {
	struct ndisrt_nic *n;
	NDIS_STATUS status;
};

static void run_pause(void *arg)
{
	struct call *c = arg;
	NDIS_MINIPORT_PAUSE_PARAMETERS p;

	memset(&p, 0, sizeof(p));
	p.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	p.Header.Revision = NDIS_MINIPORT_PAUSE_PARAMETERS_REVISION_1;
	p.Header.Size = NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1;
	p.PauseReason = NDIS_PAUSE_NDIS_INTERNAL;
	c->status = c->n->d->chars.PauseHandler(c->n->context, &p);
}

static void run_restart(void *arg)
{
	struct call *c = arg;
	NDIS_MINIPORT_RESTART_PARAMETERS p;

	memset(&p, 0, sizeof(p));
	p.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	p.Header.Revision = NDIS_MINIPORT_RESTART_PARAMETERS_REVISION_1;
	p.Header.Size = NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1;
	c->status = c->n->d->chars.RestartHandler(c->n->context, &p);
}

/* Wait for the return DPCs (and the NBLs they hand back) to finish. */
static void wait_returns(struct ndisrt_nic *n)
{
	uint64_t deadline = ke_clock_ns(n->h->m) + HOST_WAIT_NS;

	while (atomic_load(&n->returns_active)) {
		if (ke_clock_ns(n->h->m) > deadline)
			host_violation(NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle,
				       atomic_load(&n->returns_active), NDISRT_DDI_HOST,
				       "MiniportReturnNetBufferLists did not return within 30 s");
		sched_yield();
	}
}

static NDIS_STATUS nic_pause(struct ndisrt_nic *n)
{
	struct call c = {.n = n};

	if (host_nic_state(n) != HOST_NIC_RUNNING)
		return NDIS_STATUS_SUCCESS;
	atomic_store(&n->pause_completes, 0);
	atomic_store(&n->state, HOST_NIC_PAUSING);
	host_phase_next(NDISRT_PHASE_PAUSE, 0);
	ke_vcpu_call(ke_machine_vcpu(n->h->m, 0), run_pause, &c);
	if (c.status == NDIS_STATUS_PENDING) {
		atomic_fetch_add(&n->pauses_pended, 1);
		/* NDIS's protocols give back what they hold while the miniport pauses. */
		ndisrt_nic_hold_returns(n, false);
		if (!wait_flag(n, &n->pause_completes))
			host_violation(
			    NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle,
			    (uintptr_t)atomic_load(&n->outstanding_rx), NDISRT_DDI_PAUSE_COMPLETE,
			    "MiniportPause returned NDIS_STATUS_PENDING and "
			    "NdisMPauseComplete was not called within 30 s (parameter 3: "
			    "NBLs still not returned to NDIS)");
	} else if (c.status == NDIS_STATUS_SUCCESS) {
		if (atomic_load(&n->pause_completes))
			host_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)n->handle,
				       1, NDISRT_DDI_PAUSE_COMPLETE,
				       "MiniportPause returned NDIS_STATUS_SUCCESS after calling "
				       "NdisMPauseComplete (complete a pause one way only)");
		atomic_store(&n->state, HOST_NIC_PAUSED);
	} else {
		host_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)n->handle,
			       (uint32_t)c.status, NDISRT_DDI_HOST,
			       "MiniportPause returned a status other than NDIS_STATUS_SUCCESS or "
			       "NDIS_STATUS_PENDING");
	}
	/* Paused: everything indicated came back and every send completed (D4). */
	wait_returns(n);
	if (atomic_load(&n->outstanding_rx) || atomic_load(&n->outstanding_tx))
		host_violation(NDISRT_VIOLATION_PAUSE_OUTSTANDING, (uintptr_t)n->handle,
			       (uintptr_t)atomic_load(&n->outstanding_rx),
			       (uintptr_t)atomic_load(&n->outstanding_tx),
			       "the pause completed while received NBLs were not returned or sends "
			       "not completed (parameter 3: receive NBLs, 4: sends)");
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS nic_restart(struct ndisrt_nic *n)
{
	struct call c = {.n = n};

	if (host_nic_state(n) != HOST_NIC_PAUSED)
		return NDIS_STATUS_SUCCESS;
	atomic_store(&n->restart_completes, 0);
	atomic_store(&n->state, HOST_NIC_RESTARTING);
	host_phase_next(NDISRT_PHASE_RESTART, 0);
	ke_vcpu_call(ke_machine_vcpu(n->h->m, 0), run_restart, &c);
	if (c.status == NDIS_STATUS_PENDING) {
		if (!wait_flag(n, &n->restart_completes))
			host_violation(NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle, 0,
				       NDISRT_DDI_RESTART_COMPLETE,
				       "MiniportRestart returned NDIS_STATUS_PENDING and "
				       "NdisMRestartComplete was not called within 30 s");
		return atomic_load(&n->restart_status);
	}
	if (atomic_load(&n->restart_completes))
		host_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)n->handle, 2,
			       NDISRT_DDI_RESTART_COMPLETE,
			       "MiniportRestart returned a final status after calling "
			       "NdisMRestartComplete (complete a restart one way only)");
	atomic_store(&n->state,
		     c.status == NDIS_STATUS_SUCCESS ? HOST_NIC_RUNNING : HOST_NIC_PAUSED);
	return c.status;
}

static void nic_halt_adapter(struct ndisrt_nic *n)
{
	atomic_store(&n->state, HOST_NIC_HALTING);
	ndisrt_adapter_halt(n->a, 0, halt_trampoline, n, false);
	atomic_store(&n->state, HOST_NIC_HALTED);
	check_released(n,
		       "MiniportHaltEx returned with resources still held (parameter 3: what, "
		       "1 register/port mappings, 2 shared memory, 3 the DMA registration, 4 NBL "
		       "pools, 5 memory charged to the adapter handle; parameter 2: how many)");
}

/* Program the MSI-X table from the granted messages and enable it, as an OS does. */
static void program_msix(struct ndisrt_nic *n)
{
	uint64_t addr;
	uint32_t data;

	if (ndisrt_adapter_interrupt_kind(n->a) != NDISRT_INTERRUPT_MESSAGE)
		return;
	for (unsigned i = 0; i < NDISRT_MAX_MESSAGES && i < VN1_NR_MSGS; i++) {
		if (ndisrt_adapter_message_address(n->a, i, &addr, &data))
			break;
		vn1_msix_program(n->dev, i, addr, data);
		vn1_msix_set_masked(n->dev, i, false);
	}
	vn1_msix_set_enabled(n->dev, true);
}

void ndisrt_nic_config_init(struct ndisrt_nic_config *cfg, struct vn1 *dev)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->dev = dev;
	for (unsigned i = 0; i < 16; i++)
		cfg->message_vcpu[i] = -1;
	cfg->max_nbls = NDISRT_DEFAULT_MAX_NBLS;
}

static const char *irq_name(enum ndisrt_irq_mode m)
{
	return m == NDISRT_IRQ_LINE ? "line" : m == NDISRT_IRQ_MSI ? "MSI" : "MSI-X";
}

int ndisrt_nic_start(struct ndisrt_driver *d, const struct ndisrt_nic_config *cfg,
		     struct ndisrt_nic **out, char *err, size_t errlen)
{
	struct ndisrt_adapter_config ac;
	struct ndisrt_nic *n;
	unsigned nr_msgs = 0;
	NDIS_STATUS status;
	char st[64];

	*out = NULL;
	if (!d || d->magic != HOST_DRIVER_MAGIC || !cfg || !cfg->dev) {
		snprintf(err, errlen, "ndisrt_nic_start: no driver or no device");
		return -1;
	}
	if (d->legacy)
		return host_legacy_nic_start(d, cfg, out, err, errlen);
	n = calloc(1, sizeof(*n));
	if (!n) {
		snprintf(err, errlen, "%s: out of memory", d->path);
		return -1;
	}
	n->magic = HOST_NIC_MAGIC;
	n->d = d;
	n->h = d->h;
	n->dev = cfg->dev;
	n->cfg = *cfg;
	n->nr_vcpus = d->h->nr_vcpus;
	pthread_mutex_init(&n->oid_lock, NULL);
	vn1_resources(cfg->dev, &n->res);
	if ((cfg->irq == NDISRT_IRQ_LINE) != (n->res.irq_kind == VN1_IRQ_LINE) ||
	    (cfg->irq == NDISRT_IRQ_LINE && !cfg->line) || cfg->irq > NDISRT_IRQ_MSIX) {
		snprintf(err, errlen,
			 "%s: the NIC asks for %s interrupts but the VN-1 offers %s (or no line "
			 "was given)",
			 d->path, irq_name(cfg->irq),
			 n->res.irq_kind == VN1_IRQ_LINE ? "a line" : "messages");
		goto err_free_nic;
	}
	ndisrt_adapter_config_init(&ac, d->h->ic);
	if (cfg->irq == NDISRT_IRQ_LINE) {
		ac.line = cfg->line;
	} else {
		nr_msgs =
		    cfg->irq == NDISRT_IRQ_MSI ? 1 : (cfg->msix_messages ? cfg->msix_messages : 16);
		if (nr_msgs > n->res.nr_msgs)
			nr_msgs = n->res.nr_msgs;
		if (nr_msgs > NDISRT_MAX_MESSAGES)
			nr_msgs = NDISRT_MAX_MESSAGES;
		ac.nr_messages = nr_msgs;
		for (unsigned i = 0; i < NDISRT_MAX_MESSAGES; i++)
			ac.message_vcpu[i] = cfg->message_vcpu[i];
	}
	ac.max_nbls_to_indicate = cfg->max_nbls ? cfg->max_nbls : NDISRT_DEFAULT_MAX_NBLS;
	n->a = ndisrt_adapter_create(d->h->m, &ac);
	if (!n->a) {
		snprintf(err, errlen, "%s: cannot create the adapter: %s", d->path,
			 strerror(errno));
		goto err_free_nic;
	}
	n->handle = ndisrt_adapter_handle(n->a);
	n->resources = build_resources(n, nr_msgs);
	if (!n->resources || host_rx_init(n)) {
		snprintf(err, errlen, "%s: out of memory", d->path);
		goto err_free_adapter;
	}
	n->init.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS;
	n->init.Header.Revision = NDIS_MINIPORT_INIT_PARAMETERS_REVISION_1;
	n->init.Header.Size = NDIS_SIZEOF_MINIPORT_INIT_PARAMETERS_REVISION_1;
	n->init.AllocatedResources = n->resources;
	n->init.IfIndex = atomic_fetch_add(&d->h->next_ifindex, 1) + 1;
	n->init.NetLuid.Info.IfType = IF_TYPE_ETHERNET_CSMACD;
	n->init.NetLuid.Info.NetLuidIndex = n->init.IfIndex;

	intc_source_init(&n->src, d->h->ic, cfg->irq == NDISRT_IRQ_LINE ? cfg->line : NULL);
	vn1_set_sink(cfg->dev, intc_source_sink(&n->src));
	if (!host_nic_slot_add(host_nics, n)) {
		snprintf(err, errlen, "%s: too many NICs (%u)", d->path, HOST_MAX_NICS);
		vn1_set_sink(cfg->dev, (struct hw_irq_sink){0});
		host_rx_fini(n);
		goto err_free_adapter;
	}
	atomic_fetch_add(&d->nics, 1);
	atomic_store(&n->state, HOST_NIC_INITIALIZING);
	status = ndisrt_adapter_initialize(n->a, 0, init_trampoline, n);
	if (status != NDIS_STATUS_SUCCESS) {
		atomic_store(&n->state, HOST_NIC_HALTED);
		check_released(n, "MiniportInitializeEx failed without releasing what it acquired "
				  "(parameter 3: what, as for a halt; parameter 2: how many)");
		snprintf(err, errlen, "%s: MiniportInitializeEx failed with %s", d->path,
			 host_status_text((uint32_t)status, st, sizeof(st)));
		nic_teardown(n);
		return -1;
	}
	n->context = ndisrt_adapter_context(n->a);
	if (!atomic_load(&n->general_set))
		host_violation(NDISRT_VIOLATION_BAD_ATTRIBUTES, (uintptr_t)n->handle, 2,
			       NDISRT_DDI_HOST,
			       "MiniportInitializeEx succeeded without NdisMSetMiniportAttributes "
			       "giving the general attributes (NDIS 6 requires them)");
	atomic_store(&n->state, HOST_NIC_PAUSED);
	program_msix(n);
	status = nic_restart(n);
	if (status != NDIS_STATUS_SUCCESS) {
		snprintf(err, errlen, "%s: MiniportRestart failed with %s", d->path,
			 host_status_text((uint32_t)status, st, sizeof(st)));
		nic_halt_adapter(n);
		nic_teardown(n);
		return -1;
	}
	*out = n;
	return 0;

err_free_adapter:
	ndisrt_adapter_free(n->a);
	host_free(n->resources);
err_free_nic:
	pthread_mutex_destroy(&n->oid_lock);
	free(n);
	return -1;
}

void ndisrt_nic_halt(struct ndisrt_nic *n)
{
	if (!n)
		return;
	if (n->legacy) {
		host_legacy_nic_halt(n);
		return;
	}
	ndisrt_nic_hold_returns(n, false);
	nic_pause(n);
	wait_returns(n);
	nic_halt_adapter(n);
	nic_teardown(n);
}

uint32_t ndisrt_nic_pause(struct ndisrt_nic *n)
{
	if (n->legacy)
		return NDIS_STATUS_SUCCESS; /* NDIS 5 has no pause */
	return (uint32_t)nic_pause(n);
}

uint32_t ndisrt_nic_restart(struct ndisrt_nic *n)
{
	if (n->legacy)
		return NDIS_STATUS_SUCCESS;
	return (uint32_t)nic_restart(n);
}

struct ndisrt_adapter *ndisrt_nic_adapter(struct ndisrt_nic *n)
{
	return n->a;
}

struct vn1 *ndisrt_nic_vn1(struct ndisrt_nic *n)
{
	return n->dev;
}

void ndisrt_nic_set_rx_sink(struct ndisrt_nic *n, ndisrt_rx_fn *fn, void *ctx)
{
	if (n->legacy) {
		host_legacy_set_rx_sink(n, fn, ctx);
		return;
	}
	/* Context first: an indication that sees @fn sees its context. */
	atomic_store(&n->rx_ctx, ctx);
	atomic_store(&n->rx_fn, fn);
}

void ndisrt_nic_set_status_sink(struct ndisrt_nic *n, ndisrt_status_fn *fn, void *ctx)
{
	if (n->legacy) {
		host_legacy_set_status_sink(n, fn, ctx);
		return;
	}
	atomic_store(&n->status_ctx, ctx);
	atomic_store(&n->status_fn, fn);
}

void ndisrt_nic_get_stats(struct ndisrt_nic *n, struct ndisrt_nic_stats *out)
{
	if (n->legacy) {
		host_legacy_get_stats(n, out);
		return;
	}
	memset(out, 0, sizeof(*out));
	out->sent = atomic_load(&n->sent);
	out->send_completed = atomic_load(&n->send_completed);
	out->send_failed = atomic_load(&n->send_failed);
	out->indicated = atomic_load(&n->indicated);
	out->indications = atomic_load(&n->indications);
	out->returned = atomic_load(&n->returned);
	out->resources_flag = atomic_load(&n->resources_flag);
	out->max_nbls_one_dpc = atomic_load(&n->max_nbls_one_dpc);
	out->status_indications = atomic_load(&n->status_indications);
	out->throttle_exceeded = atomic_load(&n->throttle_exceeded);
	out->rx_bytes = atomic_load(&n->rx_bytes);
	out->pauses_pended = atomic_load(&n->pauses_pended);
}

uint64_t ndisrt_nic_outstanding(struct ndisrt_nic *n)
{
	if (n->legacy)
		return host_legacy_outstanding(n);
	long v = atomic_load(&n->outstanding_rx);

	return v > 0 ? (uint64_t)v : 0;
}

void ndisrt_nic_hold_returns(struct ndisrt_nic *n, bool hold)
{
	if (n->legacy)
		return; /* NDIS 5 frames are copied at indication: nothing to hold */
	bool was = atomic_exchange(&n->hold_returns, hold);

	if (was && !hold)
		host_rx_kick_returns(n);
}

void ndisrt_nic_get_attributes(struct ndisrt_nic *n, struct ndisrt_nic_attributes *out)
{
	if (n->legacy) {
		host_legacy_get_attributes(n, out);
		return;
	}
	*out = n->attrs;
}

bool ndisrt_nic_link_up(struct ndisrt_nic *n, uint64_t *speed)
{
	if (n->legacy)
		return host_legacy_link_up(n, speed);
	if (speed)
		*speed = atomic_load(&n->link_speed);
	return atomic_load(&n->link_connect) == MediaConnectStateConnected;
}

/* ------------------------------------------------- pause/restart DDIs */

/**
 * NdisMPauseComplete() - Complete a MiniportPause that returned NDIS_STATUS_PENDING.
 * From now on the adapter is Paused: a receive indication is bug check
 * 0xC4 INDICATE_PAUSED.
 * Context: IRQL <= DISPATCH_LEVEL; a pause in progress (0xC4
 * UNEXPECTED_COMPLETE otherwise).
 */
VOID NdisMPauseComplete(NDIS_HANDLE MiniportAdapterHandle)
{
	struct ndisrt_nic *n;
	ke_irql_t old;
	unsigned expected = HOST_NIC_PAUSING;

	ndis_ddi_enter(NDISRT_DDI_PAUSE_COMPLETE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_PAUSE_COMPLETE);
	if (!atomic_compare_exchange_strong(&n->state, &expected, HOST_NIC_PAUSED))
		host_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE,
			       (uintptr_t)MiniportAdapterHandle, expected,
			       NDISRT_DDI_PAUSE_COMPLETE,
			       "NdisMPauseComplete without a pause in progress (parameter 3: the "
			       "adapter's state, docs/hosting.md)");
	atomic_fetch_add(&n->pause_completes, 1);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisMRestartComplete() - Complete a MiniportRestart that returned NDIS_STATUS_PENDING.
 * Context: IRQL <= DISPATCH_LEVEL; a restart in progress (0xC4
 * UNEXPECTED_COMPLETE otherwise).
 */
VOID NdisMRestartComplete(NDIS_HANDLE MiniportAdapterHandle, NDIS_STATUS Status)
{
	struct ndisrt_nic *n;
	ke_irql_t old;
	unsigned expected = HOST_NIC_RESTARTING;

	ndis_ddi_enter(NDISRT_DDI_RESTART_COMPLETE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_RESTART_COMPLETE);
	if (!atomic_compare_exchange_strong(&n->state, &expected,
					    Status == NDIS_STATUS_SUCCESS ? HOST_NIC_RUNNING
									  : HOST_NIC_PAUSED))
		host_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE,
			       (uintptr_t)MiniportAdapterHandle, expected,
			       NDISRT_DDI_RESTART_COMPLETE,
			       "NdisMRestartComplete without a restart in progress");
	atomic_store(&n->restart_status, Status);
	atomic_fetch_add(&n->restart_completes, 1);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* --------------------------------------------------- status indication */

/**
 * NdisMIndicateStatusEx() - Pass a status indication up (to the NIC's
 * status sink). NDIS_STATUS_LINK_STATE also updates the NIC's link state.
 * Context: IRQL <= DISPATCH_LEVEL. Bug check 0xC4: BAD_PARAMETER (NULL,
 * bad header, a size without a buffer), SOURCE_HANDLE.
 */
VOID NdisMIndicateStatusEx(NDIS_HANDLE MiniportAdapterHandle,
			   PNDIS_STATUS_INDICATION StatusIndication)
{
	PNDIS_STATUS_INDICATION s = StatusIndication;
	struct ndisrt_nic *n;
	ndisrt_status_fn *fn;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_DDI_INDICATE_STATUS, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_INDICATE_STATUS);
	if (!s || s->Header.Type != NDIS_OBJECT_TYPE_STATUS_INDICATION ||
	    s->Header.Revision < NDIS_STATUS_INDICATION_REVISION_1 ||
	    s->Header.Size < NDIS_SIZEOF_STATUS_INDICATION_REVISION_1 ||
	    (s->StatusBufferSize && !s->StatusBuffer))
		host_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)s, s ? s->Header.Type : 0,
		    NDISRT_DDI_INDICATE_STATUS,
		    "NdisMIndicateStatusEx: NULL, a bad NDIS_STATUS_INDICATION header, or "
		    "a StatusBufferSize without a StatusBuffer");
	if (s->SourceHandle != MiniportAdapterHandle)
		host_violation(
		    NDISRT_VIOLATION_SOURCE_HANDLE, (uintptr_t)s->SourceHandle,
		    (uintptr_t)MiniportAdapterHandle, NDISRT_DDI_INDICATE_STATUS,
		    "NdisMIndicateStatusEx: SourceHandle must be the MiniportAdapterHandle");
	if ((uint32_t)s->StatusCode == (uint32_t)NDIS_STATUS_LINK_STATE &&
	    s->StatusBufferSize >= NDIS_SIZEOF_LINK_STATE_REVISION_1) {
		const NDIS_LINK_STATE *ls = s->StatusBuffer;

		atomic_store(&n->link_speed, ls->RcvLinkSpeed);
		atomic_store(&n->link_connect, ls->MediaConnectState);
	}
	atomic_fetch_add(&n->status_indications, 1);
	fn = atomic_load(&n->status_fn);
	if (fn)
		fn(atomic_load(&n->status_ctx), n, (uint32_t)s->StatusCode, s->StatusBuffer,
		   s->StatusBufferSize);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ----------------------------------------------------------------- OIDs */

struct oid_call {
	struct ndisrt_nic *n;
	PNDIS_OID_REQUEST req;
	NDIS_STATUS status;
};

static void run_oid(void *arg)
{
	struct oid_call *c = arg;

	c->status = c->n->d->chars.OidRequestHandler(c->n->context, c->req);
}

uint32_t ndisrt_nic_oid(struct ndisrt_nic *n, bool set, uint32_t oid, void *buf, uint32_t len,
			uint32_t *bytes, uint32_t *needed)
{
	static atomic_ulong request_ids;
	NDIS_OID_REQUEST req;
	struct oid_call c = {.n = n, .req = &req};
	enum host_nic_state st = host_nic_state(n);

	if (n->legacy)
		return host_legacy_oid(n, set, oid, buf, len, bytes, needed);
	if (st == HOST_NIC_HALTED || st == HOST_NIC_HALTING || st == HOST_NIC_INITIALIZING)
		return (uint32_t)NDIS_STATUS_FAILURE;
	memset(&req, 0, sizeof(req));
	req.Header.Type = NDIS_OBJECT_TYPE_OID_REQUEST;
	req.Header.Revision = NDIS_OID_REQUEST_REVISION_1;
	req.Header.Size = NDIS_SIZEOF_OID_REQUEST_REVISION_1;
	req.RequestType = set ? NdisRequestSetInformation : NdisRequestQueryInformation;
	req.PortNumber = NDIS_DEFAULT_PORT_NUMBER;
	req.RequestId = (PVOID)(uintptr_t)(atomic_fetch_add(&request_ids, 1) + 1);
	req.RequestHandle = n;
	if (set) {
		req.DATA.SET_INFORMATION.Oid = oid;
		req.DATA.SET_INFORMATION.InformationBuffer = buf;
		req.DATA.SET_INFORMATION.InformationBufferLength = len;
	} else {
		req.DATA.QUERY_INFORMATION.Oid = oid;
		req.DATA.QUERY_INFORMATION.InformationBuffer = buf;
		req.DATA.QUERY_INFORMATION.InformationBufferLength = len;
	}
	pthread_mutex_lock(&n->oid_lock);
	atomic_store(&n->oid_completes, 0);
	atomic_store(&n->oid_pending, &req);
	host_phase_next(NDISRT_PHASE_OID, oid);
	ke_vcpu_call(ke_machine_vcpu(n->h->m, 0), run_oid, &c);
	if (c.status == NDIS_STATUS_PENDING) {
		if (!wait_flag(n, &n->oid_completes))
			host_violation(
			    NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle, oid,
			    NDISRT_DDI_OID_COMPLETE,
			    "MiniportOidRequest returned NDIS_STATUS_PENDING and "
			    "NdisMOidRequestComplete was not called within 30 s (parameter "
			    "3: the OID)");
		c.status = atomic_load(&n->oid_status);
	} else if (atomic_load(&n->oid_completes)) {
		host_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)n->handle, 3,
			       NDISRT_DDI_OID_COMPLETE,
			       "MiniportOidRequest returned a final status after calling "
			       "NdisMOidRequestComplete");
	}
	atomic_store(&n->oid_pending, NULL);
	pthread_mutex_unlock(&n->oid_lock);
	if (bytes)
		*bytes = set ? req.DATA.SET_INFORMATION.BytesRead
			     : req.DATA.QUERY_INFORMATION.BytesWritten;
	if (needed)
		*needed = set ? req.DATA.SET_INFORMATION.BytesNeeded
			      : req.DATA.QUERY_INFORMATION.BytesNeeded;
	return (uint32_t)c.status;
}

/**
 * NdisMOidRequestComplete() - Complete the OID request MiniportOidRequest pended.
 * Context: IRQL <= DISPATCH_LEVEL; @OidRequest is the pending request
 * (0xC4 UNEXPECTED_COMPLETE otherwise).
 */
VOID NdisMOidRequestComplete(NDIS_HANDLE MiniportAdapterHandle, PNDIS_OID_REQUEST OidRequest,
			     NDIS_STATUS Status)
{
	struct ndisrt_nic *n;
	PNDIS_OID_REQUEST expected = OidRequest;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_DDI_OID_COMPLETE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_OID_COMPLETE);
	if (!OidRequest || !atomic_compare_exchange_strong(&n->oid_pending, &expected, NULL))
		host_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE,
			       (uintptr_t)MiniportAdapterHandle, (uintptr_t)OidRequest,
			       NDISRT_DDI_OID_COMPLETE,
			       "NdisMOidRequestComplete for a request that is not pending");
	atomic_store(&n->oid_status, Status);
	atomic_fetch_add(&n->oid_completes, 1);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

uint32_t ndisrt_nic_set_rss(struct ndisrt_nic *n, const uint8_t key[40], uint32_t hash_types,
			    const unsigned *table, unsigned entries)
{
	size_t off_table = (sizeof(NDIS_RECEIVE_SCALE_PARAMETERS) + 7) & ~(size_t)7;
	size_t off_key = off_table + (size_t)entries * sizeof(PROCESSOR_NUMBER);
	size_t off_masks = (off_key + 40 + 7) & ~(size_t)7;
	size_t total = off_masks + sizeof(GROUP_AFFINITY);
	PNDIS_RECEIVE_SCALE_PARAMETERS p;
	PPROCESSOR_NUMBER pn;
	GROUP_AFFINITY *mask;
	uint8_t *buf;
	uint32_t status;

	if (entries > 0xFFFF / sizeof(PROCESSOR_NUMBER))
		return (uint32_t)NDIS_STATUS_INVALID_PARAMETER;
	buf = calloc(1, total);
	if (!buf)
		return (uint32_t)NDIS_STATUS_RESOURCES;
	p = (PNDIS_RECEIVE_SCALE_PARAMETERS)buf;
	pn = (PPROCESSOR_NUMBER)(buf + off_table);
	mask = (GROUP_AFFINITY *)(buf + off_masks);
	p->Header.Type = NDIS_OBJECT_TYPE_RSS_PARAMETERS;
	p->Header.Revision = NDIS_RECEIVE_SCALE_PARAMETERS_REVISION_2;
	p->Header.Size = NDIS_SIZEOF_RECEIVE_SCALE_PARAMETERS_REVISION_2;
	p->Flags = (entries == 0 || hash_types == 0) ? NDIS_RSS_PARAM_FLAG_DISABLE_RSS : 0;
	p->BaseCpuNumber = 0;
	p->HashInformation =
	    hash_types ? NDIS_RSS_HASH_INFO_FROM_TYPE_AND_FUNC(hash_types, NdisHashFunctionToeplitz)
		       : 0;
	p->IndirectionTableSize = (USHORT)(entries * sizeof(PROCESSOR_NUMBER));
	p->IndirectionTableOffset = (ULONG)off_table;
	p->HashSecretKeySize = 40;
	p->HashSecretKeyOffset = (ULONG)off_key;
	p->ProcessorMasksOffset = (ULONG)off_masks;
	p->NumberOfProcessorMasks = 1;
	p->ProcessorMasksEntrySize = sizeof(GROUP_AFFINITY);
	for (unsigned i = 0; i < entries; i++) {
		pn[i].Group = 0;
		pn[i].Number = (UCHAR)table[i];
		mask->Mask |= (KAFFINITY)1 << (table[i] % 64);
	}
	if (key)
		memcpy(buf + off_key, key, 40);
	status = ndisrt_nic_oid(n, true, OID_GEN_RECEIVE_SCALE_PARAMETERS, buf, (uint32_t)total,
				NULL, NULL);
	free(buf);
	return status;
}

uint32_t ndisrt_nic_set_packet_filter(struct ndisrt_nic *n, uint32_t filter)
{
	ULONG f = filter;

	return ndisrt_nic_oid(n, true, OID_GEN_CURRENT_PACKET_FILTER, &f, sizeof(f), NULL, NULL);
}

/* ----------------------------------------------------------------- send */

struct send_call {
	struct ndisrt_nic *n;
	const void *const *frames;
	const size_t *lens;
	unsigned count;
	unsigned handed;
};

static void run_send(void *arg)
{
	struct send_call *c = arg;
	struct ndisrt_nic *n = c->n;
	PNET_BUFFER_LIST head = NULL, *link = &head;
	unsigned k = 0;

	for (unsigned i = 0; i < c->count; i++) {
		PNET_BUFFER_LIST nbl = host_send_nbl_alloc(n, c->frames[i], c->lens[i]);

		if (!nbl)
			break;
		*link = nbl;
		link = &nbl->Next;
		k++;
	}
	c->handed = k;
	if (!k)
		return;
	atomic_fetch_add(&n->outstanding_tx, k);
	atomic_fetch_add(&n->sent, k);
	n->d->chars.SendNetBufferListsHandler(n->context, head, NDIS_DEFAULT_PORT_NUMBER, 0);
}

unsigned ndisrt_nic_send(struct ndisrt_nic *n, unsigned vcpu, const void *const *frames,
			 const size_t *lens, unsigned count)
{
	struct send_call c = {.n = n, .frames = frames, .lens = lens, .count = count};
	struct ke_vcpu *v = ke_machine_vcpu(n->h->m, vcpu);

	if (n->legacy)
		return host_legacy_send(n, vcpu, frames, lens, count);
	/* NDIS sends nothing to a miniport that is not Running. */
	if (!count || !v || host_nic_state(n) != HOST_NIC_RUNNING)
		return 0;
	host_phase_next(NDISRT_PHASE_SEND, 0);
	ke_vcpu_call(v, run_send, &c);
	return c.handed;
}
