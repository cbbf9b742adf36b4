/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_nic.c - the NDIS 6 NIC kind (struct host_nic_kind): a device
 * with an adapter of a loaded NDIS 6 driver on it. Start
 * (MiniportInitializeEx with the device's resources, MSI-X programming,
 * MiniportRestart), pause and restart, halt; the general attributes;
 * NdisMPauseComplete, NdisMRestartComplete. (OIDs, RSS and status:
 * host_oid.c; sends: host_send.c; the host and the NIC registry: host.c.)
 *
 * The NDIS 6 data-path state machine of each NIC (host_nic_state): Halted
 * -> Initializing -> Paused -> Restarting -> Running -> Pausing -> Paused
 * ... -> Halting -> Halted. Receive indications are legal in Restarting,
 * Running and Pausing (D4, docs/hosting.md).
 */
#include "ndis/host_internal.h"
#include "ndis/routine.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * host_set_general_attributes() - NdisMSetMiniportAttributes for
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
NDIS_STATUS host_set_general_attributes(struct ndisrt_adapter *a,
					const NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES *g)
{
	if (!atomic_load(&a->attributes_set))
		ndisrt_violation(
		    NDISRT_VIOLATION_WRONG_CONTEXT, (uintptr_t)a->handle, 0,
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

/* The NIC's INTx pin, for the false-claim check (I11). Context: DIRQL, lock-free. */
static bool host_line_level(struct ndisrt_adapter *a, unsigned *rises)
{
	struct ndisrt_nic *n = host_nic_of_adapter(a);

	if (!n) {
		*rises = 0;
		return true; /* unknown: never a false claim */
	}
	return intc_source_level(&n->src, rises);
}

const struct ndis_host_ops host_ndis6_ops = {
    .set_general_attributes = host_set_general_attributes,
    .line_level = host_line_level,
    .dpc_begin = host_rx_dpc_begin,
    .dpc_end = host_rx_dpc_end,
};

/* ----------------------------------------------------------- resources */

/*
 * AllocatedResources in the device's BAR order (memory and port BARs as
 * CmResourceTypeMemory / CmResourceTypePort), then the interrupt. A
 * message-signaled interrupt is one translated CmResourceTypeInterrupt
 * descriptor per message (as Windows gives a miniport the translated list),
 * each with CM_RESOURCE_INTERRUPT_MESSAGE.
 */
static PCM_PARTIAL_RESOURCE_LIST build_resources(struct ndisrt_nic *n, unsigned nr_msgs)
{
	unsigned nr_bars = 0, count;
	PCM_PARTIAL_RESOURCE_LIST l;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR r;

	for (unsigned b = 0; b < HW_MAX_BARS; b++)
		nr_bars += n->res.bar[b].kind != HW_BAR_NONE;
	count = nr_bars + (nr_msgs ? nr_msgs : 1);
	l = host_zalloc(sizeof(*l) + count * sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR));
	if (!l)
		return NULL;
	l->Version = 1;
	l->Revision = 1;
	l->Count = count;
	r = &l->PartialDescriptors[0];
	for (unsigned b = 0; b < HW_MAX_BARS; b++) {
		const struct hw_bar *bar = &n->res.bar[b];

		if (bar->kind == HW_BAR_MEM) {
			r->Type = CmResourceTypeMemory;
			r->ShareDisposition = CmResourceShareDeviceExclusive;
			r->Flags = CM_RESOURCE_MEMORY_READ_WRITE;
			r->u.Memory.Start.QuadPart = (LONGLONG)bar->base;
			r->u.Memory.Length = bar->len;
			r++;
		} else if (bar->kind == HW_BAR_PORT) {
			r->Type = CmResourceTypePort;
			r->ShareDisposition = CmResourceShareDeviceExclusive;
			r->Flags = CM_RESOURCE_PORT_IO;
			r->u.Port.Start.QuadPart = (LONGLONG)bar->base;
			r->u.Port.Length = bar->len;
			r++;
		}
	}
	if (!nr_msgs) {
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

		r = &l->PartialDescriptors[nr_bars + i];
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

static void ndis6_hold_returns(struct ndisrt_nic *n, bool hold);

static int init_trampoline(void *adapter_handle, void *ctx)
{
	struct ndisrt_nic *n = ctx;
	struct ndis_routine r;
	int status;

	ndis_routine_enter(&r, "MiniportInitializeEx",
			   (const void *)n->d->chars.InitializeHandlerEx);
	status = n->d->chars.InitializeHandlerEx(adapter_handle, n->d->context, &n->init);
	ndis_routine_exit(&r);
	return status;
}

static void halt_trampoline(void *adapter_handle, void *ctx)
{
	struct ndisrt_nic *n = ctx;

	struct ndis_routine r;

	(void)adapter_handle;
	ndis_routine_enter(&r, "MiniportHaltEx", (const void *)n->d->chars.HaltHandlerEx);
	n->d->chars.HaltHandlerEx(n->context, NdisHaltDeviceDisabled);
	ndis_routine_exit(&r);
}

/* Wait (host thread) until *@flag is non-zero, on the engine clock. Return: false on timeout. */
bool host_wait_flag(struct ndisrt_nic *n, atomic_uint *flag)
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
		ndisrt_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)n->handle, count, kind,
				 when);
}

/* Undo what nic_start set up around the adapter. Context: host thread, adapter halted. */
static void nic_teardown(struct ndisrt_nic *n)
{
	ndis_config_unbind(n->handle);
	/* An OS disconnecting the interrupt: messages off, the device's pin
	 * released and given back to whoever had it before the start. */
	if (n->res.irq_kind != HW_IRQ_LINE) {
		for (unsigned i = 0; i < n->res.message_count; i++)
			hw_dev_msix_mask(n->dev, i, true);
		hw_dev_msix_enable(n->dev, false);
	}
	hw_dev_set_sink(n->dev, n->caller_sink);
	intc_source_set(&n->src, false);
	vfy_regs_detach(n->dev);
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
	struct ndis_routine r;

	memset(&p, 0, sizeof(p));
	p.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	p.Header.Revision = NDIS_MINIPORT_PAUSE_PARAMETERS_REVISION_1;
	p.Header.Size = NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1;
	p.PauseReason = NDIS_PAUSE_NDIS_INTERNAL;
	ndis_routine_enter(&r, "MiniportPause", (const void *)c->n->d->chars.PauseHandler);
	c->status = c->n->d->chars.PauseHandler(c->n->context, &p);
	ndis_routine_exit(&r);
}

static void run_restart(void *arg)
{
	struct call *c = arg;
	NDIS_MINIPORT_RESTART_PARAMETERS p;
	struct ndis_routine r;

	memset(&p, 0, sizeof(p));
	p.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	p.Header.Revision = NDIS_MINIPORT_RESTART_PARAMETERS_REVISION_1;
	p.Header.Size = NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1;
	ndis_routine_enter(&r, "MiniportRestart", (const void *)c->n->d->chars.RestartHandler);
	c->status = c->n->d->chars.RestartHandler(c->n->context, &p);
	ndis_routine_exit(&r);
}

/* Wait for the return DPCs (and the NBLs they hand back) to finish. */
static void wait_returns(struct ndisrt_nic *n)
{
	uint64_t deadline = ke_clock_ns(n->h->m) + HOST_WAIT_NS;

	while (atomic_load(&n->returns_active)) {
		if (ke_clock_ns(n->h->m) > deadline)
			ndisrt_violation(NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle,
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
		ndis6_hold_returns(n, false);
		if (!host_wait_flag(n, &n->pause_completes))
			ndisrt_violation(
			    NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle,
			    (uintptr_t)atomic_load(&n->outstanding_rx), NDISRT_DDI_PAUSE_COMPLETE,
			    "MiniportPause returned NDIS_STATUS_PENDING and "
			    "NdisMPauseComplete was not called within 30 s (parameter 3: "
			    "NBLs still not returned to NDIS)");
	} else if (c.status == NDIS_STATUS_SUCCESS) {
		if (atomic_load(&n->pause_completes))
			ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)n->handle,
					 1, NDISRT_DDI_PAUSE_COMPLETE,
					 "MiniportPause returned NDIS_STATUS_SUCCESS after calling "
					 "NdisMPauseComplete (complete a pause one way only)");
		atomic_store(&n->state, HOST_NIC_PAUSED);
	} else {
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)n->handle, (uint32_t)c.status,
		    NDISRT_DDI_HOST,
		    "MiniportPause returned a status other than NDIS_STATUS_SUCCESS or "
		    "NDIS_STATUS_PENDING");
	}
	/* Paused: everything indicated came back and every send completed (D4). */
	wait_returns(n);
	if (atomic_load(&n->outstanding_rx) || atomic_load(&n->outstanding_tx))
		ndisrt_violation(
		    NDISRT_VIOLATION_PAUSE_OUTSTANDING, (uintptr_t)n->handle,
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
		if (!host_wait_flag(n, &n->restart_completes))
			ndisrt_violation(NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle,
					 0, NDISRT_DDI_RESTART_COMPLETE,
					 "MiniportRestart returned NDIS_STATUS_PENDING and "
					 "NdisMRestartComplete was not called within 30 s");
		return atomic_load(&n->restart_status);
	}
	if (atomic_load(&n->restart_completes))
		ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)n->handle, 2,
				 NDISRT_DDI_RESTART_COMPLETE,
				 "MiniportRestart returned a final status after calling "
				 "NdisMRestartComplete (complete a restart one way only)");
	atomic_store(&n->state,
		     c.status == NDIS_STATUS_SUCCESS ? HOST_NIC_RUNNING : HOST_NIC_PAUSED);
	return c.status;
}

static void nic_halt_adapter(struct ndisrt_nic *n)
{
	vfy_regs_set_live(n->dev, false); /* halt may touch registers freely (S5) */
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
	if (n->res.irq_kind == HW_IRQ_LINE)
		return;
	for (unsigned i = 0; i < NDISRT_MAX_MESSAGES && i < n->res.message_count; i++) {
		if (ndisrt_adapter_message_address(n->a, i, &addr, &data))
			break;
		hw_dev_msix_program(n->dev, i, addr, data);
		hw_dev_msix_mask(n->dev, i, false);
	}
	hw_dev_msix_enable(n->dev, true);
}

static const char *irq_name(enum ndisrt_irq_mode m)
{
	return m == NDISRT_IRQ_LINE ? "line" : m == NDISRT_IRQ_MSI ? "MSI" : "MSI-X";
}

static int ndis6_start(struct ndisrt_driver *d, const struct ndisrt_nic_config *cfg,
		       struct ndisrt_nic **out, char *err, size_t errlen)
{
	struct ndisrt_adapter_config ac;
	struct ndisrt_nic *n;
	unsigned nr_msgs = 0;
	NDIS_STATUS status;
	char st[64];

	n = calloc(1, sizeof(*n));
	if (!n) {
		snprintf(err, errlen, "%s: out of memory", d->path);
		return -1;
	}
	n->magic = HOST_NIC_MAGIC;
	n->kind = &host_nic_ndis6;
	n->d = d;
	n->h = d->h;
	n->dev = cfg->dev;
	n->cfg = *cfg;
	n->nr_vcpus = d->h->nr_vcpus;
	pthread_mutex_init(&n->oid_lock, NULL);
	hw_dev_resources(cfg->dev, &n->res);
	if ((cfg->irq == NDISRT_IRQ_LINE) != (n->res.irq_kind == HW_IRQ_LINE) ||
	    (cfg->irq == NDISRT_IRQ_LINE && !cfg->line) || cfg->irq > NDISRT_IRQ_MSIX) {
		snprintf(err, errlen,
			 "%s: the NIC asks for %s interrupts but the %s offers %s (or no line "
			 "was given)",
			 d->path, irq_name(cfg->irq), host_device_name(cfg->dev),
			 n->res.irq_kind == HW_IRQ_LINE ? "a line" : "messages");
		goto err_free_nic;
	}
	ndisrt_adapter_config_init(&ac, d->h->ic);
	if (cfg->irq == NDISRT_IRQ_LINE) {
		ac.line = cfg->line;
	} else {
		nr_msgs =
		    cfg->irq == NDISRT_IRQ_MSI ? 1 : (cfg->msix_messages ? cfg->msix_messages : 16);
		if (nr_msgs > n->res.message_count)
			nr_msgs = n->res.message_count;
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
	ndis_adapter_set_host(n->a, &host_ndis6_ops);
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
	n->caller_sink = hw_dev_sink(cfg->dev);
	hw_dev_set_sink(cfg->dev, intc_source_sink(&n->src));
	if (!host_nic_slot_add(host_nics, n)) {
		snprintf(err, errlen, "%s: too many NICs (%u)", d->path, HOST_MAX_NICS);
		hw_dev_set_sink(cfg->dev, n->caller_sink);
		host_rx_fini(n);
		goto err_free_adapter;
	}
	atomic_fetch_add(&d->nics, 1);
	/* NdisOpenConfigurationEx names the adapter by its MiniportAdapterHandle. */
	if (cfg->param_nic >= 0)
		ndis_assert(ndis_config_bind(n->handle, cfg->param_nic) == 0);
	/* ISR-shared registers (S5): learnt from now on, judged after initialize. */
	(void)vfy_regs_attach(n->dev);
	atomic_store(&n->state, HOST_NIC_INITIALIZING);
	status = ndisrt_adapter_initialize(n->a, 0, init_trampoline, n);
	if (status != NDIS_STATUS_SUCCESS) {
		atomic_store(&n->state, HOST_NIC_HALTED);
		check_released(n, "MiniportInitializeEx failed without releasing what it acquired "
				  "(parameter 3: what, as for a halt; parameter 2: how many)");
		snprintf(err, errlen, "%s: MiniportInitializeEx failed with %s%s", d->path,
			 host_status_text((uint32_t)status, st, sizeof(st)),
			 ndisrt_adapter_msi_refused(n->a)
			     ? " (a line-only driver: it registered MsiSupported = FALSE, "
			       "the NIC has message interrupts; use --irq line)"
			     : "");
		nic_teardown(n);
		return -1;
	}
	n->context = ndisrt_adapter_context(n->a);
	if (!atomic_load(&n->general_set))
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_ATTRIBUTES, (uintptr_t)n->handle, 2, NDISRT_DDI_HOST,
		    "MiniportInitializeEx succeeded without NdisMSetMiniportAttributes "
		    "giving the general attributes (NDIS 6 requires them)");
	atomic_store(&n->state, HOST_NIC_PAUSED);
	vfy_regs_set_live(n->dev, true);
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

static void ndis6_halt(struct ndisrt_nic *n)
{
	ndis6_hold_returns(n, false);
	nic_pause(n);
	wait_returns(n);
	nic_halt_adapter(n);
	nic_teardown(n);
}

static uint32_t ndis6_pause(struct ndisrt_nic *n)
{
	return (uint32_t)nic_pause(n);
}

static uint32_t ndis6_restart(struct ndisrt_nic *n)
{
	return (uint32_t)nic_restart(n);
}

static void ndis6_set_rx_sink(struct ndisrt_nic *n, ndisrt_rx_fn *fn, void *ctx)
{
	/* Context first: an indication that sees @fn sees its context. */
	atomic_store(&n->rx_ctx, ctx);
	atomic_store(&n->rx_fn, fn);
}

static void ndis6_set_status_sink(struct ndisrt_nic *n, ndisrt_status_fn *fn, void *ctx)
{
	atomic_store(&n->status_ctx, ctx);
	atomic_store(&n->status_fn, fn);
}

static void ndis6_get_stats(struct ndisrt_nic *n, struct ndisrt_nic_stats *out)
{
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
	out->more_pending_idle = atomic_load(&n->more_pending_idle);
}

static uint64_t ndis6_outstanding(struct ndisrt_nic *n)
{
	long v = atomic_load(&n->outstanding_rx);

	return v > 0 ? (uint64_t)v : 0;
}

static void ndis6_hold_returns(struct ndisrt_nic *n, bool hold)
{
	bool was = atomic_exchange(&n->hold_returns, hold);

	if (was && !hold)
		host_rx_kick_returns(n);
}

static void ndis6_get_attributes(struct ndisrt_nic *n, struct ndisrt_nic_attributes *out)
{
	*out = n->attrs;
}

static bool ndis6_link_up(struct ndisrt_nic *n, uint64_t *speed)
{
	if (speed)
		*speed = atomic_load(&n->link_speed);
	return atomic_load(&n->link_connect) == MediaConnectStateConnected;
}

static void ndis6_driver_version(const struct ndisrt_driver *d, unsigned *major, unsigned *minor)
{
	*major = d->chars.MajorNdisVersion;
	*minor = d->chars.MinorNdisVersion;
}

/* The NDIS 6 NIC kind: what <ndisrt/host.h> does for an NDIS 6 miniport. */
const struct host_nic_kind host_nic_ndis6 = {
    .name = "NDIS 6",
    .start = ndis6_start,
    .halt = ndis6_halt,
    .pause = ndis6_pause,
    .restart = ndis6_restart,
    .set_rx_sink = ndis6_set_rx_sink,
    .set_status_sink = ndis6_set_status_sink,
    .send = host_ndis6_send,
    .oid = host_ndis6_oid,
    .get_stats = ndis6_get_stats,
    .outstanding = ndis6_outstanding,
    .hold_returns = ndis6_hold_returns,
    .get_attributes = ndis6_get_attributes,
    .link_up = ndis6_link_up,
    .driver_version = ndis6_driver_version,
    .driver_unload = NULL,
};

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
		ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE,
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
		ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE,
				 (uintptr_t)MiniportAdapterHandle, expected,
				 NDISRT_DDI_RESTART_COMPLETE,
				 "NdisMRestartComplete without a restart in progress");
	atomic_store(&n->restart_status, Status);
	atomic_fetch_add(&n->restart_completes, 1);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
