/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/driver.c - NDIS 5 miniport drivers and adapters:
 * NdisMInitializeWrapper, NdisMRegisterMiniport, NdisMSetAttributes[Ex],
 * MiniportInitialize (medium selection) and MiniportHalt, OID requests,
 * status indications; and the host API that drives them.
 *
 * An NDIS 5 adapter is an ndisrt_adapter (ndis/adapter.c: the handle the
 * driver gets, the lifecycle state the DDIs check) plus the block of
 * ndis5/internal.h, found from the adapter through a small table.
 *
 * Serialization (spec L7, docs/ndis5.md): unless the driver set
 * NDIS_ATTRIBUTE_DESERIALIZE, MiniportSend[Packets], MiniportQuery/
 * SetInformation and MiniportHandleInterrupt (+ MiniportEnableInterrupt) run
 * at DISPATCH_LEVEL holding the miniport's lock, so none of them runs
 * concurrently with another; MiniportInitialize and MiniportHalt run at
 * PASSIVE_LEVEL with nothing else of the miniport running.
 */
#include "ndis/host_internal.h"
#include "ndis/ndis5/internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static _Atomic(struct ndisrt_ndis5_driver *) drivers[NDIS5_MAX_DRIVERS];
static _Atomic(struct ndisrt_ndis5_nic *) nics[NDIS5_MAX_MINIPORTS];

/* ------------------------------------------------------------ lookups */

struct ndisrt_ndis5_nic *ndis5_nic_at(unsigned i)
{
	return i < NDIS5_MAX_MINIPORTS ? atomic_load_explicit(&nics[i], memory_order_acquire)
				       : NULL;
}

struct ndisrt_ndis5_nic *ndis5_nic_of_adapter(const struct ndisrt_adapter *a)
{
	for (unsigned i = 0; i < NDIS5_MAX_MINIPORTS; i++) {
		struct ndisrt_ndis5_nic *n = atomic_load_explicit(&nics[i], memory_order_acquire);

		if (n && n->a == a)
			return n;
	}
	return NULL;
}

struct ndisrt_ndis5_nic *ndis5_nic_lookup(NDIS_HANDLE h, unsigned ddi)
{
	struct ndisrt_adapter *a = ndis_adapter_lookup(h, ddi);
	struct ndisrt_ndis5_nic *n = ndis5_nic_of_adapter(a);

	if (__builtin_expect(!n, 0))
		ndisrt_violation(
		    NDISRT_VIOLATION_NOT_NDIS5, (uintptr_t)h, 0, ddi,
		    "an NDIS 5 function was called with the handle of an adapter that an "
		    "NDIS 6 driver runs");
	return n;
}

static struct ndisrt_ndis5_driver *driver_lookup(NDIS_HANDLE h)
{
	enum ndis_lookup_error err;
	struct ndisrt_ndis5_driver *d = ndis_handle_lookup(h, NDIS5_HT_WRAPPER, &err);

	if (!d)
		ndisrt_violation(
		    NDISRT_VIOLATION_WRAPPER, (uintptr_t)h, err, NDISRT_NDIS5_DDI_REGISTER_MINIPORT,
		    "NdisMRegisterMiniport called with a handle NdisMInitializeWrapper did "
		    "not return");
	return d;
}

bool ndis5_io_target(struct ndisrt_adapter *a, struct host_io_target *t)
{
	struct ndisrt_ndis5_nic *n = ndis5_nic_of_adapter(a);

	if (!n)
		return false;
	*t = (struct host_io_target){.owner = n, .a = a, .dev = n->dev, .maps = &n->io_maps};
	if (n->dev)
		hw_dev_resources(n->dev, &t->res);
	return true;
}

struct ndisrt_ndis5_driver *ndisrt_ndis5_driver_find(const void *driver_object)
{
	for (unsigned i = 0; i < NDIS5_MAX_DRIVERS; i++) {
		struct ndisrt_ndis5_driver *d = atomic_load(&drivers[i]);

		if (d && d->driver_object == driver_object && atomic_load(&d->registered))
			return d;
	}
	return NULL;
}

/* --------------------------------------------------- driver registration */

/**
 * NdisMInitializeWrapper() - Begin registering an NDIS 5 miniport driver.
 * @NdisWrapperHandle: receives the handle for NdisMRegisterMiniport (NULL
 *	on failure).
 * @SystemSpecific1: DriverEntry's DriverObject. @SystemSpecific2: its
 *	RegistryPath. @SystemSpecific3: NULL.
 * Context: PASSIVE_LEVEL, from DriverEntry.
 */
VOID NdisMInitializeWrapper(PNDIS_HANDLE NdisWrapperHandle, PVOID SystemSpecific1,
			    PVOID SystemSpecific2, PVOID SystemSpecific3)
{
	struct ndisrt_ndis5_driver *d;

	(void)SystemSpecific2, (void)SystemSpecific3;
	ndis_ddi_enter(NDISRT_NDIS5_DDI_REGISTER_MINIPORT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	*NdisWrapperHandle = NULL;
	if (!SystemSpecific1)
		return;
	d = ndis_zalloc(sizeof(*d));
	if (!d)
		return;
	d->driver_object = SystemSpecific1;
	d->wrapper = ndis_handle_alloc(NDIS5_HT_WRAPPER, d);
	for (unsigned i = 0; d->wrapper && i < NDIS5_MAX_DRIVERS; i++) {
		struct ndisrt_ndis5_driver *expected = NULL;

		if (atomic_compare_exchange_strong(&drivers[i], &expected, d)) {
			*NdisWrapperHandle = d->wrapper;
			return;
		}
	}
	if (d->wrapper)
		ndis_handle_release(d->wrapper);
	ndis_free(d);
}

/** NdisTerminateWrapper() - DriverEntry gives up (after a failed registration). */
VOID NdisTerminateWrapper(NDIS_HANDLE NdisWrapperHandle, PVOID SystemSpecific)
{
	(void)SystemSpecific;
	atomic_store(&driver_lookup(NdisWrapperHandle)->registered, false);
}

static size_t chars_size(UCHAR major, UCHAR minor)
{
	if (major == 5 && minor == 1)
		return sizeof(NDIS51_MINIPORT_CHARACTERISTICS);
	if (major == 5 && minor == 0)
		return sizeof(NDIS50_MINIPORT_CHARACTERISTICS);
	if (major == 4 && minor == 0)
		return sizeof(NDIS40_MINIPORT_CHARACTERISTICS);
	return 0;
}

/**
 * NdisMRegisterMiniport() - Register the driver's MiniportXxx functions.
 * @NdisWrapperHandle: from NdisMInitializeWrapper.
 * @MiniportCharacteristics: NDIS 4.0, 5.0 or 5.1 layout (copied).
 * @CharacteristicsLength: at least the size of that version's structure.
 *
 * Context: PASSIVE_LEVEL, from DriverEntry.
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_BAD_VERSION (not 4.0, 5.0, 5.1);
 * NDIS_STATUS_BAD_CHARACTERISTICS (short length, a required handler
 * missing: Initialize, Halt, QueryInformation, SetInformation, Reset,
 * Send or SendPackets; or CoNDIS handlers, which ndisrt does not host).
 */
NDIS_STATUS NdisMRegisterMiniport(NDIS_HANDLE NdisWrapperHandle,
				  PNDIS_MINIPORT_CHARACTERISTICS MiniportCharacteristics,
				  UINT CharacteristicsLength)
{
	const NDIS51_MINIPORT_CHARACTERISTICS *c = (const void *)MiniportCharacteristics;
	struct ndisrt_ndis5_driver *d;
	size_t want;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_REGISTER_MINIPORT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	d = driver_lookup(NdisWrapperHandle);
	if (!c)
		return NDIS_STATUS_BAD_CHARACTERISTICS;
	want = chars_size(c->MajorNdisVersion, c->MinorNdisVersion);
	if (!want)
		return NDIS_STATUS_BAD_VERSION;
	if (CharacteristicsLength < want)
		return NDIS_STATUS_BAD_CHARACTERISTICS;
	if (!c->InitializeHandler || !c->HaltHandler || !c->QueryInformationHandler ||
	    !c->SetInformationHandler || !c->ResetHandler ||
	    (!c->SendHandler && !c->SendPacketsHandler))
		return NDIS_STATUS_BAD_CHARACTERISTICS;
	memset(&d->chars, 0, sizeof(d->chars));
	memcpy(&d->chars, c, want);
	if (want >= sizeof(NDIS50_MINIPORT_CHARACTERISTICS) &&
	    (d->chars.CoCreateVcHandler || d->chars.CoDeleteVcHandler ||
	     d->chars.CoActivateVcHandler || d->chars.CoDeactivateVcHandler ||
	     d->chars.CoSendPacketsHandler || d->chars.CoRequestHandler))
		return NDIS_STATUS_BAD_CHARACTERISTICS;
	d->major = c->MajorNdisVersion;
	d->minor = c->MinorNdisVersion;
	atomic_store(&d->registered, true);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return NDIS_STATUS_SUCCESS;
}

/* ------------------------------------------------------------ attributes */

static void set_attributes(NDIS_HANDLE h, NDIS_HANDLE ctx, UINT hang, ULONG flags)
{
	struct ndisrt_ndis5_nic *n;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_SET_ATTRIBUTES, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	n = ndis5_nic_lookup(h, NDISRT_NDIS5_DDI_SET_ATTRIBUTES);
	if (!ndis5_in_initialize(n))
		ndisrt_violation(NDISRT_VIOLATION_NOT_IN_INITIALIZE, (uintptr_t)h, 0,
				 NDISRT_NDIS5_DDI_SET_ATTRIBUTES,
				 "NdisMSetAttributes[Ex] called outside MiniportInitialize");
	n->attribute_flags = flags;
	n->check_for_hang = hang;
	atomic_store(&n->deserialized, (flags & NDIS_ATTRIBUTE_DESERIALIZE) != 0);
	atomic_store(&n->context, ctx);
	atomic_store(&n->a->adapter_context, ctx);
	atomic_store(&n->attributes_set, true);
	/* What the shared DDIs check (NdisMRegisterIoPortRange: attributes first). */
	atomic_store(&n->a->attributes_set, true);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisMSetAttributesEx() - Give NDIS the adapter context and attributes.
 * Context: PASSIVE_LEVEL, from MiniportInitialize (0xC4 otherwise); before
 * NdisMRegisterInterrupt and NdisMRegisterIoPortRange (L1).
 */
VOID NdisMSetAttributesEx(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportAdapterContext,
			  UINT CheckForHangTimeInSeconds, ULONG AttributeFlags,
			  NDIS_INTERFACE_TYPE AdapterType)
{
	(void)AdapterType;
	set_attributes(MiniportAdapterHandle, MiniportAdapterContext, CheckForHangTimeInSeconds,
		       AttributeFlags);
}

/** NdisMSetAttributes() - The NDIS 3.0 form: a serialized miniport. */
VOID NdisMSetAttributes(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportAdapterContext,
			BOOLEAN BusMaster, NDIS_INTERFACE_TYPE AdapterType)
{
	(void)AdapterType;
	set_attributes(MiniportAdapterHandle, MiniportAdapterContext, 0,
		       BusMaster ? NDIS_ATTRIBUTE_BUS_MASTER : 0);
}

/* ---------------------------------------------------- status indications */

/** NdisMIndicateStatus() - Pass a status to the host's status sink. IRQL <= DISPATCH_LEVEL. */
VOID NdisMIndicateStatus(NDIS_HANDLE MiniportAdapterHandle, NDIS_STATUS GeneralStatus,
			 PVOID StatusBuffer, UINT StatusBufferSize)
{
	struct ndisrt_ndis5_nic *n;
	ndisrt_ndis5_status_fn *fn;

	ndis_require_vcpu(NDISRT_NDIS5_DDI_STATUS);
	ndis_check_irql(KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL, NDISRT_NDIS5_DDI_STATUS);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_STATUS);
	ndis5_count(&n->c.status_indications);
	fn = atomic_load(&n->status_fn);
	if (fn)
		fn(atomic_load(&n->status_ctx), n, (uint32_t)GeneralStatus, StatusBuffer,
		   StatusBufferSize);
}

VOID NdisMIndicateStatusComplete(NDIS_HANDLE MiniportAdapterHandle)
{
	ndis_require_vcpu(NDISRT_NDIS5_DDI_STATUS);
	ndis_check_irql(KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL, NDISRT_NDIS5_DDI_STATUS);
	(void)ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_STATUS);
}

/* ------------------------------------------------------- host: drivers */

struct entry_call {
	ndisrt_ndis5_entry_fn *entry;
	void *driver_object;
	int32_t status;
};

static void run_entry(void *arg)
{
	struct entry_call *c = arg;

	c->status = c->entry(c->driver_object, NULL);
}

int ndisrt_ndis5_driver_entry(struct ke_machine *m, ndisrt_ndis5_entry_fn *entry,
			      void *driver_object, struct ndisrt_ndis5_driver **out, char *err,
			      size_t errlen)
{
	struct entry_call c = {.entry = entry, .driver_object = driver_object};

	*out = NULL;
	host_phase_next(NDISRT_PHASE_ENTRY, 0);
	if (ke_vcpu_call(ke_machine_vcpu(m, 0), run_entry, &c)) {
		snprintf(err, errlen, "DriverEntry must be started from a host thread");
		return -1;
	}
	if (c.status < 0) {
		snprintf(err, errlen, "DriverEntry failed with 0x%08X", (unsigned)c.status);
		return -1;
	}
	*out = ndisrt_ndis5_driver_find(driver_object);
	if (*out)
		(*out)->m = m;
	if (!*out) {
		snprintf(err, errlen,
			 "DriverEntry returned 0x%08X without registering a miniport "
			 "(NdisMInitializeWrapper + NdisMRegisterMiniport)",
			 (unsigned)c.status);
		return -1;
	}
	return 0;
}

void ndisrt_ndis5_driver_version(const struct ndisrt_ndis5_driver *d, unsigned *major,
				 unsigned *minor)
{
	*major = d->major;
	*minor = d->minor;
}

void ndisrt_ndis5_driver_forget(const void *driver_object)
{
	for (unsigned i = 0; i < NDIS5_MAX_DRIVERS; i++) {
		struct ndisrt_ndis5_driver *d = atomic_load(&drivers[i]);

		if (d && d->driver_object == driver_object)
			ndisrt_ndis5_driver_free(d);
	}
}

static void run_unload(void *arg)
{
	struct ndisrt_ndis5_driver *d = arg;

	atomic_load (&d->unload)((PDRIVER_OBJECT)(uintptr_t)d->driver_object);
}

void ndisrt_ndis5_driver_free(struct ndisrt_ndis5_driver *d)
{
	/* The handler NdisMRegisterUnloadHandler gave, at PASSIVE_LEVEL on vCPU 0. */
	if (atomic_load(&d->unload) && d->m) {
		host_phase_next(NDISRT_PHASE_UNLOAD, 0);
		ke_vcpu_call(ke_machine_vcpu(d->m, 0), run_unload, d);
	}
	for (unsigned i = 0; i < NDIS5_MAX_DRIVERS; i++) {
		struct ndisrt_ndis5_driver *expected = d;

		atomic_compare_exchange_strong(&drivers[i], &expected, NULL);
	}
	ndis_handle_retire(d->wrapper);
	ndis_handle_release(d->wrapper);
	ndis_free(d);
}

/* ---------------------------------------------------------- host: NICs */

static bool nic_publish(struct ndisrt_ndis5_nic *n)
{
	for (unsigned i = 0; i < NDIS5_MAX_MINIPORTS; i++) {
		struct ndisrt_ndis5_nic *expected = NULL;

		if (atomic_compare_exchange_strong(&nics[i], &expected, n))
			return true;
	}
	return false;
}

static void nic_unpublish(struct ndisrt_ndis5_nic *n)
{
	for (unsigned i = 0; i < NDIS5_MAX_MINIPORTS; i++) {
		struct ndisrt_ndis5_nic *expected = n;

		atomic_compare_exchange_strong(&nics[i], &expected, NULL);
	}
}

/* Every register and port mapping must be released by now (as for NDIS 6). */
static void check_released(struct ndisrt_ndis5_nic *n, const char *what)
{
	int maps = atomic_load(&n->io_maps);

	if (maps)
		ndisrt_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)n->handle,
				 (uintptr_t)maps, 1, what);
}

/*
 * H1: NDIS calls MiniportHalt with sends still pended, and the driver gives
 * every one back before it returns; a packet still held is NDIS's leaked-NBL
 * bug check, 0x7C 0x27 with Windows' parameters (2: 1, the tracker).
 */
static void check_sends_completed(struct ndisrt_ndis5_nic *n)
{
	char what[200];
	uint64_t out = atomic_load(&n->sends_outstanding);

	if (__builtin_expect(out == 0, 1))
		return;
	snprintf(what, sizeof(what),
		 "MiniportHalt returned with %llu send packet(s) never given back with "
		 "NdisMSendComplete (adapter %p)",
		 (unsigned long long)out, (void *)n->handle);
	ndisrt_violation(NDISRT_VIOLATION_LEAKED_NBL, 1, 0, 0, what);
}

struct lifecycle {
	struct ndisrt_ndis5_nic *n;
	NDIS_STATUS status;
	NDIS_STATUS open_error;
	UINT medium;
};

/* On the lifecycle vCPU at PASSIVE_LEVEL. Spec L1, L4, D3. */
static void run_initialize(void *arg)
{
	struct lifecycle *c = arg;
	struct ndisrt_ndis5_nic *n = c->n;
	W_INITIALIZE_HANDLER init = n->drv->chars.InitializeHandler;
	NDIS_MEDIUM media[1] = {NdisMedium802_3};
	unsigned held = ndis_spin_held();

	ndisrt_adapter_initialize_begin(n->a);
	c->medium = ~0u;
	c->status = init(&c->open_error, &c->medium, media, 1, n->handle, (NDIS_HANDLE)n);
	ndis5_check_irql_after(KE_PASSIVE_LEVEL, (uintptr_t)init,
			       "MiniportInitialize returned at an IRQL other than PASSIVE_LEVEL");
	ndis_check_spin_balance(held, (uintptr_t)init);
	if (c->status == NDIS_STATUS_SUCCESS && !atomic_load(&n->attributes_set))
		ndisrt_violation(
		    NDISRT_VIOLATION_NO_ATTRIBUTES, (uintptr_t)n->handle, 0,
		    NDISRT_NDIS5_DDI_HANDLER,
		    "MiniportInitialize succeeded without calling NdisMSetAttributesEx");
	if (c->status != NDIS_STATUS_SUCCESS) {
		ndis5_sg_dma_release(n, "MiniportInitialize failed with shared memory still "
					"allocated (parameter 3: how many; NdisMFreeSharedMemory "
					"them)");
		ndis5_check_deregistered(n,
					 NDISRT_VIOLATION_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER,
					 "MiniportInitialize failed without deregistering its "
					 "interrupt (call NdisMDeregisterInterrupt first)");
		check_released(n, "MiniportInitialize failed without releasing its register and "
				  "port mappings (parameter 3: how many; NdisMUnmapIoSpace / "
				  "NdisMDeregisterIoPortRange them)");
	}
	ndisrt_adapter_initialize_end(n->a, c->status);
	if (c->status == NDIS_STATUS_SUCCESS) {
		ndis5_interrupt_after_initialize(n);
		ndis5_hang_start(n);
	}
}

static void run_halt(void *arg)
{
	struct lifecycle *c = arg;
	struct ndisrt_ndis5_nic *n = c->n;
	W_HALT_HANDLER halt = n->drv->chars.HaltHandler;
	unsigned held = ndis_spin_held();

	ndisrt_adapter_halt_begin(n->a, false);
	/* L4: no MiniportHandleInterrupt queued or running while MiniportHalt runs. */
	ndis5_interrupt_quiesce(n);
	/* Every packet the driver indicated is back before MiniportHalt. */
	ndis5_receive_return_all(n);
	halt(atomic_load(&n->context));
	check_sends_completed(n);
	ndis5_misc_release(n, "MiniportHalt returned");
	ndis5_sg_dma_release(n, "MiniportHalt returned with shared memory still allocated "
				"(parameter 3: how many; NdisMFreeSharedMemory them)");
	ndis5_check_irql_after(KE_PASSIVE_LEVEL, (uintptr_t)halt,
			       "MiniportHalt returned at an IRQL other than PASSIVE_LEVEL");
	ndis_check_spin_balance(held, (uintptr_t)halt);
	ndis5_check_deregistered(n, NDISRT_VIOLATION_HALT_WITHOUT_INTERRUPT_DEREGISTER,
				 "MiniportHalt returned without deregistering the interrupt (call "
				 "NdisMDeregisterInterrupt in MiniportHalt)");
	check_released(n, "MiniportHalt returned with register or port mappings still held "
			  "(parameter 3: how many; NdisMUnmapIoSpace / NdisMDeregisterIoPortRange "
			  "them)");
	ndisrt_adapter_halt_end(n->a);
}

static void nic_free(struct ndisrt_ndis5_nic *n)
{
	ndis_config_unbind(n);
	nic_unpublish(n);
	host_io_release_owner(n);
	ndis5_packet_free_all(n);
	ndis_free(atomic_load(&n->dev_res));
	if (n->a)
		ndis_assert(ndisrt_adapter_free(n->a) == 0);
	ndis_free(n);
}

static const char *status_name(NDIS_STATUS s)
{
	switch ((uint32_t)s) {
	case 0xC0000001u:
		return "NDIS_STATUS_FAILURE";
	case 0xC000009Au:
		return "NDIS_STATUS_RESOURCES";
	case 0xC0010006u:
		return "NDIS_STATUS_ADAPTER_NOT_FOUND";
	case 0xC0010019u:
		return "NDIS_STATUS_UNSUPPORTED_MEDIA";
	case 0xC001001Eu:
		return "NDIS_STATUS_RESOURCE_CONFLICT";
	default:
		return "an NDIS status";
	}
}

int ndisrt_ndis5_nic_start(struct ndisrt_ndis5_driver *d, const struct ndisrt_ndis5_nic_config *cfg,
			   struct ndisrt_ndis5_nic **out, char *err, size_t errlen)
{
	struct ndisrt_adapter_config ac;
	struct ndisrt_ndis5_nic *n;
	struct lifecycle c = {0};

	*out = NULL;
	if (!d || !cfg || !cfg->m || cfg->vcpu >= ke_machine_vcpu_count(cfg->m)) {
		snprintf(err, errlen, "bad NDIS 5 NIC configuration");
		return -1;
	}
	n = ndis_zalloc(sizeof(*n));
	if (!n) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n->drv = d;
	n->m = cfg->m;
	n->line = cfg->line;
	n->dev = cfg->dev;
	n->pin = cfg->pin;
	n->dma = cfg->dma;
	n->vcpu = cfg->vcpu;
	ke_spin_init(&n->lock);
	ke_spin_init(&n->dpc_lock);
	ke_spin_init(&n->pkt_lock);
	ndis5_receive_init(n);
	ndis5_hang_init(n);
	ndisrt_adapter_config_init(&ac, NULL);
	ac.line = cfg->line;
	n->a = ndisrt_adapter_create(cfg->m, &ac);
	if (!n->a || !nic_publish(n)) {
		snprintf(err, errlen, "cannot create the adapter: %s",
			 strerror(errno ? errno : ENOSPC));
		nic_free(n);
		return -1;
	}
	n->handle = ndisrt_adapter_handle(n->a);
	n->param_nic = cfg->param_nic;
	/* The WrapperConfigurationContext MiniportInitialize gets is n. */
	if (cfg->param_nic >= 0 && ndis_config_bind(n, cfg->param_nic)) {
		snprintf(err, errlen, "cannot bind the NIC's parameters (too many NICs)");
		nic_free(n);
		return -1;
	}
	c.n = n;
	host_phase_next(NDISRT_PHASE_INITIALIZE, 0);
	ke_vcpu_call(ke_machine_vcpu(cfg->m, cfg->vcpu), run_initialize, &c);
	if (c.status != NDIS_STATUS_SUCCESS) {
		snprintf(err, errlen, "MiniportInitialize failed with %s (0x%08X)",
			 status_name(c.status), (unsigned)c.status);
		nic_free(n);
		return -1;
	}
	if (c.medium != 0) {
		snprintf(err, errlen,
			 "MiniportInitialize selected medium index %u; only index 0 "
			 "(NdisMedium802_3) was offered",
			 c.medium);
		ndisrt_ndis5_nic_halt(n);
		return -1;
	}
	*out = n;
	return 0;
}

void ndisrt_ndis5_nic_halt(struct ndisrt_ndis5_nic *n)
{
	struct lifecycle c = {.n = n};

	ndis5_hang_stop(n);
	host_phase_next(NDISRT_PHASE_HALT, 0);
	ke_vcpu_call(ke_machine_vcpu(n->m, n->vcpu), run_halt, &c);
	nic_free(n);
}

struct ndisrt_adapter *ndisrt_ndis5_nic_adapter(struct ndisrt_ndis5_nic *n)
{
	return n->a;
}

void *ndisrt_ndis5_nic_context(struct ndisrt_ndis5_nic *n)
{
	return atomic_load(&n->context);
}

struct hw_device *ndisrt_ndis5_nic_device(struct ndisrt_ndis5_nic *n)
{
	return n->dev;
}

void ndisrt_ndis5_nic_set_rx_sink(struct ndisrt_ndis5_nic *n, ndisrt_ndis5_rx_fn *fn, void *ctx)
{
	atomic_store(&n->rx_ctx, ctx);
	atomic_store(&n->rx_fn, fn);
}

void ndisrt_ndis5_nic_set_status_sink(struct ndisrt_ndis5_nic *n, ndisrt_ndis5_status_fn *fn,
				      void *ctx)
{
	atomic_store(&n->status_ctx, ctx);
	atomic_store(&n->status_fn, fn);
}

#define LOAD(f) atomic_load_explicit(&n->c.f, memory_order_relaxed)

void ndisrt_ndis5_nic_get_stats(struct ndisrt_ndis5_nic *n, struct ndisrt_ndis5_stats *out)
{
	*out = (struct ndisrt_ndis5_stats){
	    .interrupts = LOAD(interrupts),
	    .isrs = LOAD(isrs),
	    .isrs_recognized = LOAD(isrs_recognized),
	    .disables = LOAD(disables),
	    .dpc_requests = LOAD(dpc_requests),
	    .dpc_coalesced = LOAD(dpc_coalesced),
	    .dpc_suppressed = LOAD(dpc_suppressed),
	    .handle_interrupts = LOAD(handle_interrupts),
	    .enables = LOAD(enables),
	    .syncs = LOAD(syncs),
	    .sent = LOAD(sent),
	    .send_completed = LOAD(send_completed),
	    .send_failed = LOAD(send_failed),
	    .indicated = LOAD(indicated),
	    .indicate_completes = LOAD(indicate_completes),
	    .rx_truncated = LOAD(rx_truncated),
	    .status_indications = LOAD(status_indications),
	    .rx_bytes = LOAD(rx_bytes),
	    .packets_indicated = LOAD(packets_indicated),
	    .packets_returned = LOAD(packets_returned),
	    .hang_checks = LOAD(hang_checks),
	    .hangs = LOAD(hangs),
	    .resets = LOAD(resets),
	    .reset_completes = LOAD(reset_completes),
	    .addressing_resets = LOAD(addressing_resets),
	    .last_reset_status = atomic_load(&n->last_reset_status),
	};
}

/* ------------------------------------------------------ OID requests */

/*
 * NdisMQueryInformationComplete / NdisMSetInformationComplete: the request
 * in progress completes with @status (0xC4 UNEXPECTED_COMPLETE if none is).
 * Context: IRQL <= DISPATCH_LEVEL.
 */
static void request_complete(NDIS_HANDLE h, NDIS_STATUS status)
{
	struct ndisrt_ndis5_nic *n;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_HANDLER, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	n = ndis5_nic_lookup(h, NDISRT_NDIS5_DDI_HANDLER);
	if (!atomic_load(&n->request_pending))
		ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)h,
				 (uint32_t)status, NDISRT_NDIS5_DDI_HANDLER,
				 "NdisMQuery/SetInformationComplete without a request in progress");
	atomic_store(&n->request_status, status);
	/* Release: the host thread that sees 0 sees the status. */
	atomic_store_explicit(&n->request_pending, 0, memory_order_release);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisMQueryInformationComplete(NDIS_HANDLE MiniportAdapterHandle, NDIS_STATUS Status)
{
	request_complete(MiniportAdapterHandle, Status);
}

VOID NdisMSetInformationComplete(NDIS_HANDLE MiniportAdapterHandle, NDIS_STATUS Status)
{
	request_complete(MiniportAdapterHandle, Status);
}

struct request_call {
	struct ndisrt_ndis5_nic *n;
	bool set;
	NDIS_OID oid;
	PVOID buf;
	ULONG len;
	ULONG done, needed;
	NDIS_STATUS status;
};

/* On a vCPU at PASSIVE_LEVEL: the handler at DISPATCH_LEVEL, locked if serialized (L7). */
static void run_request(void *arg)
{
	struct request_call *r = arg;
	struct ndisrt_ndis5_nic *n = r->n;
	const NDIS51_MINIPORT_CHARACTERISTICS *ch = &n->drv->chars;
	uintptr_t handler =
	    r->set ? (uintptr_t)ch->SetInformationHandler : (uintptr_t)ch->QueryInformationHandler;
	bool serialized = !atomic_load(&n->deserialized);
	unsigned held;
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	if (serialized)
		ke_spin_acquire_at_dpc(&n->lock);
	held = ndis_spin_held();
	if (r->set)
		r->status = ch->SetInformationHandler(atomic_load(&n->context), r->oid, r->buf,
						      r->len, &r->done, &r->needed);
	else
		r->status = ch->QueryInformationHandler(atomic_load(&n->context), r->oid, r->buf,
							r->len, &r->done, &r->needed);
	ndis5_check_irql_after(KE_DISPATCH_LEVEL, handler,
			       "MiniportQuery/SetInformation returned at an IRQL other than "
			       "DISPATCH_LEVEL");
	ndis_check_spin_balance(held, handler);
	if (serialized)
		ke_spin_release_at_dpc(&n->lock);
	ke_irql_lower(old);
}

#define NDIS5_REQUEST_WAIT_NS (30ull * 1000000000ull)

/*
 * One query or set; a pended one is waited for on the host thread, on the
 * engine clock, for at most 30 s (then bug check 0xC4 COMPLETION_TIMEOUT).
 * Context: host thread; requests to one NIC are not concurrent.
 */
static uint32_t request(struct ndisrt_ndis5_nic *n, bool set, uint32_t oid, void *buf, uint32_t len,
			uint32_t *done)
{
	struct request_call r = {.n = n, .set = set, .oid = oid, .buf = buf, .len = len};
	uint64_t deadline;

	/* Armed before the call: the miniport may complete inside its handler. */
	atomic_store(&n->request_pending, 1);
	host_phase_next(NDISRT_PHASE_OID, oid);
	ke_vcpu_call(ke_machine_vcpu(n->m, n->vcpu), run_request, &r);
	if (r.status == NDIS_STATUS_PENDING) {
		deadline = ke_clock_ns(n->m) + NDIS5_REQUEST_WAIT_NS;
		while (atomic_load_explicit(&n->request_pending, memory_order_acquire)) {
			if (ke_clock_ns(n->m) > deadline)
				ndisrt_violation(
				    NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle, oid,
				    NDISRT_NDIS5_DDI_HANDLER,
				    "MiniportQuery/SetInformation returned "
				    "NDIS_STATUS_PENDING and NdisMQuery/"
				    "SetInformationComplete was not called within 30 s "
				    "(parameter 3: the OID)");
			ke_yield();
		}
		r.status = atomic_load(&n->request_status);
	}
	atomic_store(&n->request_pending, 0);
	if (done)
		*done = r.done;
	return (uint32_t)r.status;
}

uint32_t ndisrt_ndis5_nic_query(struct ndisrt_ndis5_nic *n, uint32_t oid, void *buf, uint32_t len,
				uint32_t *done)
{
	return request(n, false, oid, buf, len, done);
}

uint32_t ndisrt_ndis5_nic_set(struct ndisrt_ndis5_nic *n, uint32_t oid, const void *buf,
			      uint32_t len, uint32_t *done)
{
	/* A set: the driver only reads InformationBuffer (its prototype is not const). */
	return request(n, true, oid, (void *)(uintptr_t)buf, len, done);
}
