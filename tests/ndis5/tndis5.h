/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/tndis5.h - a configurable NDIS 5.1 test miniport and the
 * machine around it, for the NDIS 5 interrupt, lock and I/O tests.
 *
 * The test files are NDIS 5.1 drivers and hosts at once. Code that runs on
 * a vCPU never asserts: it records into atomics (t5check()) and an ordered
 * event log, and the test's main thread asserts on them afterwards.
 */
#ifndef NDISRT_TESTS_NDIS5_TNDIS5_H
#define NDISRT_TESTS_NDIS5_TNDIS5_H

#define NDIS_MINIPORT_DRIVER
#define NDIS51_MINIPORT

#include "tests/harness.h"

#include <string.h>

#include "hw/dma.h"
#include "hw/intc.h"
#include "hw/vn1.h"
#include "ndisrt/host.h"
#include "ndisrt/ndis.h"
#include "ndis/ndis5/host.h"

#include <ndis.h>

#define T5_LINE_IRQL 5

/* ------------------------------------------------------------ event log */

enum t5_ev {
	EV_ISR = 1,
	EV_DISABLE,
	EV_DPC_START,
	EV_DPC_END,
	EV_ENABLE,
	EV_SYNC_START,
	EV_SYNC_END,
	EV_INIT_END,
	EV_HALT,
};

struct t5_event {
	uint8_t ev, nic, vcpu, irql;
};

#define T5_MAX_EV 8192
static atomic_uint t5_nev;
static struct t5_event t5_evs[T5_MAX_EV];

static inline void t5_log(unsigned ev, unsigned nic)
{
	unsigned i = atomic_fetch_add(&t5_nev, 1);

	if (i < T5_MAX_EV)
		t5_evs[i] = (struct t5_event){(uint8_t)ev, (uint8_t)nic,
					      (uint8_t)ke_current_number(), ke_irql_current()};
}

/* Index of the first event @ev of @nic at or after @from, or -1. */
static inline int t5_find(unsigned ev, unsigned nic, int from)
{
	unsigned n = atomic_load(&t5_nev);

	for (unsigned i = (unsigned)from; i < n && i < T5_MAX_EV; i++)
		if (t5_evs[i].ev == ev && t5_evs[i].nic == nic)
			return (int)i;
	return -1;
}

/* ----------------------------------------------------------- the driver */

struct t5;
typedef void t5_isr_fn(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue);
typedef void t5_step_fn(struct t5 *t);

/* Driver-wide options (the characteristics are registered once). */
struct t5_driver_opts {
	bool no_isr, no_disable, no_enable;
	bool send_packets; /* register MiniportSendPackets instead of MiniportSend */
};

static struct t5_driver_opts t5_opts;

struct t5 {
	/* set by the test */
	unsigned index;
	struct intc_source src; /* the device's INTx pin */
	struct vn1 *dev;	/* optional: ports (test_io.c) */
	BOOLEAN request_isr, shared;
	NDIS_INTERRUPT_MODE mode;
	bool deserialize, skip_attributes, skip_register, skip_deregister;
	bool fail_init, deregister_on_failure, register_ports;
	UINT vector_override;
	t5_isr_fn *isr;
	t5_step_fn *dpc, *enable, *disable, *in_init, *in_halt, *after_dereg, *send;
	void *user;
	/* results */
	struct ndisrt_ndis5_nic *nic;
	NDIS_HANDLE handle;
	NDIS_MINIPORT_INTERRUPT intr;
	NDIS_STATUS register_status;
	PVOID port_offset;
	atomic_ulong isr_calls, disable_calls, dpc_calls, enable_calls, send_calls;
	atomic_uint running_init, running_halt, in_dpc, in_send, in_sync;
	atomic_uint bad;
	char bad_what[160];
};

#define t5check(t, cond, ...)                                                        \
	do {                                                                         \
		if (!(cond) && atomic_fetch_add(&(t)->bad, 1) == 0)                  \
			snprintf((t)->bad_what, sizeof((t)->bad_what), __VA_ARGS__); \
	} while (0)

#define t5_assert_good(t)                                                                  \
	cr_assert_eq(atomic_load(&(t)->bad), 0, "%u vCPU-side check(s) failed; first: %s", \
		     atomic_load(&(t)->bad), (t)->bad_what)

static struct t5 *t5_next; /* the adapter MiniportInitialize is about to set up */

/* Default MiniportISR behaviour: ours if the pin is asserted; dismiss it; DPC. */
static inline void t5_default_isr(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	bool mine = atomic_load(&t->src.asserted);

	if (mine)
		intc_source_set(&t->src, false);
	*recognized = mine;
	*queue = mine;
}

static VOID t5_isr(PBOOLEAN recognized, PBOOLEAN queue, NDIS_HANDLE ctx)
{
	struct t5 *t = ctx;

	t5_log(EV_ISR, t->index);
	atomic_fetch_add(&t->isr_calls, 1);
	t5check(t, ke_irql_current() == T5_LINE_IRQL, "ISR at IRQL %u", ke_irql_current());
	(t->isr ? t->isr : t5_default_isr)(t, recognized, queue);
}

static VOID t5_disable(NDIS_HANDLE ctx)
{
	struct t5 *t = ctx;

	t5_log(EV_DISABLE, t->index);
	atomic_fetch_add(&t->disable_calls, 1);
	t5check(t, ke_irql_current() == T5_LINE_IRQL, "Disable at IRQL %u", ke_irql_current());
	/* The NIC's interrupts are off: its pin drops. */
	intc_source_set(&t->src, false);
	if (t->disable)
		t->disable(t);
}

static VOID t5_handle_interrupt(NDIS_HANDLE ctx)
{
	struct t5 *t = ctx;

	t5_log(EV_DPC_START, t->index);
	atomic_fetch_add(&t->in_dpc, 1);
	atomic_fetch_add(&t->dpc_calls, 1);
	t5check(t, ke_irql_current() == DISPATCH_LEVEL, "HandleInterrupt at IRQL %u",
		ke_irql_current());
	t5check(t, !atomic_load(&t->running_init), "HandleInterrupt ran during MiniportInitialize");
	t5check(t, !atomic_load(&t->running_halt), "HandleInterrupt ran during MiniportHalt");
	if (t->dpc)
		t->dpc(t);
	atomic_fetch_sub(&t->in_dpc, 1);
	t5_log(EV_DPC_END, t->index);
}

static VOID t5_enable(NDIS_HANDLE ctx)
{
	struct t5 *t = ctx;

	t5_log(EV_ENABLE, t->index);
	atomic_fetch_add(&t->enable_calls, 1);
	t5check(t, ke_irql_current() == DISPATCH_LEVEL, "Enable at IRQL %u", ke_irql_current());
	if (t->enable)
		t->enable(t);
}

static NDIS_STATUS t5_initialize(PNDIS_STATUS open_error, PUINT medium, PNDIS_MEDIUM media,
				 UINT nmedia, NDIS_HANDLE handle, NDIS_HANDLE config)
{
	struct t5 *t = t5_next;
	struct vn1_resources res;

	(void)config, (void)nmedia;
	*open_error = NDIS_STATUS_SUCCESS;
	*medium = 0;
	t5check(t, media[0] == NdisMedium802_3, "medium array");
	t->handle = handle;
	atomic_store(&t->running_init, 1);
	if (!t->skip_attributes)
		NdisMSetAttributesEx(handle, t, 0, t->deserialize ? NDIS_ATTRIBUTE_DESERIALIZE : 0,
				     NdisInterfacePci);
	if (t->register_ports && t->dev) {
		vn1_resources(t->dev, &res);
		if (NdisMRegisterIoPortRange(&t->port_offset, handle, res.bar1_port,
					     res.bar1_len) != NDIS_STATUS_SUCCESS)
			t5check(t, false, "NdisMRegisterIoPortRange failed");
	}
	if (!t->skip_register && t->src.line) {
		UINT v = t->vector_override ? t->vector_override : intc_line_vector(t->src.line);

		t->register_status = NdisMRegisterInterrupt(&t->intr, handle, v, v, t->request_isr,
							    t->shared, t->mode);
	}
	if (t->in_init)
		t->in_init(t);
	atomic_store(&t->running_init, 0);
	t5_log(EV_INIT_END, t->index);
	if (t->fail_init) {
		if (t->deregister_on_failure && t->register_status == NDIS_STATUS_SUCCESS)
			NdisMDeregisterInterrupt(&t->intr);
		return NDIS_STATUS_FAILURE;
	}
	return t->register_status;
}

static VOID t5_halt(NDIS_HANDLE ctx)
{
	struct t5 *t = ctx;

	atomic_store(&t->running_halt, 1);
	t5_log(EV_HALT, t->index);
	t5check(t, atomic_load(&t->in_dpc) == 0, "MiniportHalt entered while HandleInterrupt runs");
	if (t->in_halt)
		t->in_halt(t);
	if (!t->skip_register && !t->skip_deregister && t->register_status == NDIS_STATUS_SUCCESS)
		NdisMDeregisterInterrupt(&t->intr);
	if (t->after_dereg)
		t->after_dereg(t);
	if (t->port_offset) {
		struct vn1_resources res;

		vn1_resources(t->dev, &res);
		NdisMDeregisterIoPortRange(t->handle, res.bar1_port, res.bar1_len, t->port_offset);
	}
	atomic_store(&t->running_halt, 0);
}

static NDIS_STATUS t5_query(NDIS_HANDLE ctx, NDIS_OID oid, PVOID buf, ULONG len, PULONG written,
			    PULONG needed)
{
	(void)ctx, (void)oid, (void)buf, (void)len;
	*written = 0;
	*needed = 0;
	return NDIS_STATUS_NOT_SUPPORTED;
}

static NDIS_STATUS t5_set(NDIS_HANDLE ctx, NDIS_OID oid, PVOID buf, ULONG len, PULONG read,
			  PULONG needed)
{
	(void)ctx, (void)oid, (void)buf, (void)len;
	*read = 0;
	*needed = 0;
	return NDIS_STATUS_NOT_SUPPORTED;
}

static NDIS_STATUS t5_reset(PBOOLEAN addressing_reset, NDIS_HANDLE ctx)
{
	(void)ctx;
	*addressing_reset = FALSE;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS t5_send(NDIS_HANDLE ctx, PNDIS_PACKET packet, UINT flags)
{
	struct t5 *t = ctx;

	(void)packet, (void)flags;
	atomic_store(&t->in_send, 1);
	atomic_fetch_add(&t->send_calls, 1);
	t5check(t, ke_irql_current() == DISPATCH_LEVEL, "Send at IRQL %u", ke_irql_current());
	if (t->send)
		t->send(t);
	atomic_store(&t->in_send, 0);
	return NDIS_STATUS_SUCCESS;
}

static NTSTATUS t5_driver_entry(PVOID driver_object, PVOID registry_path)
{
	NDIS_MINIPORT_CHARACTERISTICS c;
	NDIS_HANDLE wrapper;

	NdisMInitializeWrapper(&wrapper, driver_object, registry_path, NULL);
	if (!wrapper)
		return STATUS_UNSUCCESSFUL;
	memset(&c, 0, sizeof(c));
	c.MajorNdisVersion = 5;
	c.MinorNdisVersion = 1;
	c.InitializeHandler = t5_initialize;
	c.HaltHandler = t5_halt;
	c.ISRHandler = t5_opts.no_isr ? NULL : t5_isr;
	c.HandleInterruptHandler = t5_handle_interrupt;
	c.DisableInterruptHandler = t5_opts.no_disable ? NULL : t5_disable;
	c.EnableInterruptHandler = t5_opts.no_enable ? NULL : t5_enable;
	c.QueryInformationHandler = t5_query;
	c.SetInformationHandler = t5_set;
	c.ResetHandler = t5_reset;
	c.SendHandler = t5_send;
	return NdisMRegisterMiniport(wrapper, &c, sizeof(c));
}

/* ------------------------------------------------------------- machine */

struct t5env {
	struct ke_machine *m;
	struct intc *ic;
	struct intc_line *line;
	struct hw_dma_space *dma;
	struct ndisrt_ndis5_driver *drv;
	int driver_object;
	struct vn1 *devs[4];
	unsigned nr_devs;
};

/* A machine of @nr_vcpus with one INTx line delivered to @targets (0: vCPU 0). */
static inline void t5env_init(struct t5env *e, unsigned nr_vcpus, uint64_t targets)
{
	char err[256];

	memset(e, 0, sizeof(*e));
	atomic_store(&t5_nev, 0);
	e->m = harness_machine(nr_vcpus);
	e->ic = intc_create(e->m);
	cr_assert_not_null(e->ic);
	e->line = intc_line_create(e->ic, T5_LINE_IRQL, targets);
	cr_assert_not_null(e->line);
	cr_assert_eq(ndisrt_ndis5_driver_entry(e->m, t5_driver_entry, &e->driver_object, &e->drv,
					       err, sizeof(err)),
		     0, "%s", err);
}

static inline void t5_init(struct t5 *t, unsigned index)
{
	memset(t, 0, sizeof(*t));
	t->index = index;
	t->request_isr = TRUE;
	t->shared = TRUE;
	t->mode = NdisInterruptLevelSensitive;
}

/* Start @t's adapter on the line; Return: 0 or -1 (initialize failed). */
static inline int t5_try_start(struct t5env *e, struct t5 *t, unsigned vcpu)
{
	struct ndisrt_ndis5_nic_config cfg = {.m = e->m,
					      .line = e->line,
					      .dev = t->dev ? vn1_device(t->dev) : NULL,
					      .vcpu = vcpu,
					      .pin = &t->src};
	char err[256];

	intc_source_init(&t->src, e->ic, e->line);
	t5_next = t;
	return ndisrt_ndis5_nic_start(e->drv, &cfg, &t->nic, err, sizeof(err));
}

static inline void t5_start(struct t5env *e, struct t5 *t, unsigned vcpu)
{
	cr_assert_eq(t5_try_start(e, t, vcpu), 0, "start failed (register 0x%x)",
		     (unsigned)t->register_status);
}

static inline void t5_stop(struct t5 *t)
{
	ndisrt_ndis5_nic_halt(t->nic);
	t->nic = NULL;
}

static inline void t5env_end(struct t5env *e)
{
	cr_assert_eq(ke_machine_quiesce(e->m, 30000), 0, "machine did not go quiet");
	for (unsigned i = 0; i < e->nr_devs; i++)
		vn1_free(e->devs[i]);
	ndisrt_ndis5_driver_free(e->drv);
	intc_line_free(e->line);
	intc_free(e->ic);
	if (e->dma)
		hw_dma_space_free(e->dma);
	harness_end(e->m);
}

/* A VN-1 on the environment's line, its pin @src, port base 0xC000 + 0x40 * i. */
static inline struct vn1 *t5env_vn1(struct t5env *e, struct intc_source *src)
{
	struct vn1_config vc = {0};
	unsigned i = e->nr_devs;

	if (!e->dma)
		e->dma = hw_dma_space_create();
	cr_assert_not_null(e->dma);
	vc.machine = e->m;
	vc.dma = e->dma;
	intc_source_init(src, e->ic, e->line);
	vc.sink = intc_source_sink(src);
	memcpy(vc.mac, (uint8_t[6]){0x02, 0x00, 0x4e, 0x35, 0x00, (uint8_t)(i + 1)}, 6);
	vc.bar0_addr = 0xF0000000ull + (uint64_t)i * 0x10000;
	vc.bar1_port = (uint16_t)(0xC000 + i * 0x40);
	vc.intx_vector = (uint8_t)intc_line_vector(e->line);
	vc.irq_kind = VN1_IRQ_LINE;
	e->devs[e->nr_devs++] = vn1_create(&vc);
	cr_assert_not_null(e->devs[i]);
	return e->devs[i];
}

/* Run @fn(@arg) at PASSIVE_LEVEL on vCPU @n and wait. */
static inline void t5_on_vcpu(struct t5env *e, unsigned n, ke_work_fn *fn, void *arg)
{
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(e->m, n), fn, arg), 0);
}

/* Assert the device's pin (a level interrupt until an ISR dismisses it). */
static inline void t5_fire(struct t5 *t)
{
	intc_source_set(&t->src, true);
}

#define T5_WINDOW_NS (20ull * 1000000ull) /* a window in which something must NOT happen */

static inline struct ndisrt_ndis5_stats t5_stats(struct t5 *t)
{
	struct ndisrt_ndis5_stats s;

	ndisrt_ndis5_nic_get_stats(t->nic, &s);
	return s;
}

#endif /* NDISRT_TESTS_NDIS5_TNDIS5_H */
