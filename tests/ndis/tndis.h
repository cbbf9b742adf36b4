/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/tndis.h - a configurable test miniport and the machine around
 * it, for the NDIS interrupt tests.
 *
 * The test files are drivers (NDIS 6.30 with the 6.0 compatible API, so
 * both NdisMQueueDpc and NdisMQueueDpcEx are visible) and hosts at once.
 * Code that runs on a vCPU never asserts: it records into the driver's
 * atomics (tcheck()), and the test's main thread asserts on them.
 */
#ifndef NDISRT_TESTS_NDIS_TNDIS_H
#define NDISRT_TESTS_NDIS_TNDIS_H

#define NDIS_MINIPORT_DRIVER
#define NDIS630_MINIPORT
#define NDIS60_MINIPORT

#include "tests/harness.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "hw/intc.h"
#include "ndisrt/ndis.h"

#include <ndis.h>

#define T_MAX_VCPUS 4

struct tdrv;
/* Behaviour hooks; NULL means the default described at each handler. */
typedef BOOLEAN tdrv_isr_fn(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets);
typedef void tdrv_dpc_fn(struct tdrv *t, ULONG msg, PVOID ctx,
			 PNDIS_RECEIVE_THROTTLE_PARAMETERS tp);
typedef void tdrv_step_fn(struct tdrv *t);

struct tdrv {
	/* set by the test */
	struct ndisrt_adapter *a;
	struct intc *ic;
	struct intc_source src; /* the device's INTx pin (line adapters) */
	BOOLEAN msi_supported, sync_all;
	bool skip_attributes;	    /* R1: register without attributes */
	bool fail_init;		    /* initialize returns a failure after registering */
	bool deregister_on_failure; /* ...having deregistered first */
	bool skip_deregister;	    /* halt does not deregister */
	tdrv_isr_fn *isr;
	tdrv_dpc_fn *dpc;
	tdrv_step_fn *in_init;	   /* inside initialize, after registering */
	tdrv_step_fn *in_halt;	   /* inside halt, before deregistering */
	tdrv_step_fn *after_dereg; /* inside halt, after deregistering */
	void (*on_endis)(struct tdrv *t, ULONG msg, bool enable); /* in Enable/Disable */
	void *user;
	/* results */
	NDIS_HANDLE adapter_handle;
	NDIS_HANDLE intr;
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS chars;
	NDIS_STATUS register_status;
	atomic_ulong isr_calls[NDISRT_MAX_MESSAGES];
	atomic_ulong dpc_calls[NDISRT_MAX_MESSAGES];
	atomic_ulong line_isr_calls, msg_isr_calls;
	atomic_ulong enable_calls, disable_calls;
	atomic_uint bad;
	char bad_what[160];
};

/* A check on a vCPU: record the first failure for the main thread. */
#define tcheck(t, cond, ...)                                                         \
	do {                                                                         \
		if (!(cond) && atomic_fetch_add(&(t)->bad, 1) == 0)                  \
			snprintf((t)->bad_what, sizeof((t)->bad_what), __VA_ARGS__); \
	} while (0)

#define tdrv_assert_good(t)                                                                \
	cr_assert_eq(atomic_load(&(t)->bad), 0, "%u vCPU-side check(s) failed; first: %s", \
		     atomic_load(&(t)->bad), (t)->bad_what)

/* ---------------------------------------------------------- handlers */

/* Default line ISR: the device is ours if its pin is asserted; dismiss it, DPC here. */
static inline BOOLEAN tdrv_default_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default,
				       PULONG targets)
{
	bool mine = msg != 0 || !t->src.line || atomic_load(&t->src.asserted);

	if (t->src.line)
		intc_source_set(&t->src, false);
	*queue_default = mine;
	*targets = 0;
	return mine;
}

static inline BOOLEAN t_line_isr(NDIS_HANDLE ctx, PBOOLEAN queue_default, PULONG targets)
{
	struct tdrv *t = ctx;

	atomic_fetch_add(&t->isr_calls[0], 1);
	atomic_fetch_add(&t->line_isr_calls, 1);
	return (t->isr ? t->isr : tdrv_default_isr)(t, 0, queue_default, targets);
}

static inline BOOLEAN t_msg_isr(NDIS_HANDLE ctx, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	struct tdrv *t = ctx;

	if (msg < NDISRT_MAX_MESSAGES)
		atomic_fetch_add(&t->isr_calls[msg], 1);
	atomic_fetch_add(&t->msg_isr_calls, 1);
	return (t->isr ? t->isr : tdrv_default_isr)(t, msg, queue_default, targets);
}

static inline void t_line_dpc(NDIS_HANDLE ctx, PVOID dpc_ctx, PVOID throttle, PVOID reserved)
{
	struct tdrv *t = ctx;

	tcheck(t, throttle != NULL, "line DPC got ReceiveThrottleParameters = NULL");
	tcheck(t, reserved == NULL, "line DPC got NdisReserved2 != NULL");
	atomic_fetch_add(&t->dpc_calls[0], 1);
	if (t->dpc)
		t->dpc(t, 0, dpc_ctx, throttle);
}

static inline void t_msg_dpc(NDIS_HANDLE ctx, ULONG msg, PVOID dpc_ctx, PVOID throttle,
			     PVOID reserved)
{
	struct tdrv *t = ctx;

	tcheck(t, throttle != NULL, "message DPC got ReceiveThrottleParameters = NULL");
	tcheck(t, reserved == NULL, "message DPC got NdisReserved2 != NULL");
	if (msg < NDISRT_MAX_MESSAGES)
		atomic_fetch_add(&t->dpc_calls[msg], 1);
	if (t->dpc)
		t->dpc(t, msg, dpc_ctx, throttle);
}

static inline void t_endis(struct tdrv *t, ULONG msg, bool enable)
{
	atomic_fetch_add(enable ? &t->enable_calls : &t->disable_calls, 1);
	if (t->on_endis)
		t->on_endis(t, msg, enable);
}

static inline void t_enable(NDIS_HANDLE ctx)
{
	t_endis(ctx, 0, true);
}

static inline void t_disable(NDIS_HANDLE ctx)
{
	t_endis(ctx, 0, false);
}

static inline void t_msg_enable(NDIS_HANDLE ctx, ULONG msg)
{
	t_endis(ctx, msg, true);
}

static inline void t_msg_disable(NDIS_HANDLE ctx, ULONG msg)
{
	t_endis(ctx, msg, false);
}

/* A complete, valid characteristics structure for @t. */
static inline void tdrv_fill_chars(struct tdrv *t, NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	memset(c, 0, sizeof(*c));
	c->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	c->Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	c->Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	c->InterruptHandler = t_line_isr;
	c->InterruptDpcHandler = t_line_dpc;
	c->DisableInterruptHandler = t_disable;
	c->EnableInterruptHandler = t_enable;
	c->MsiSupported = t->msi_supported;
	c->MsiSyncWithAllMessages = t->sync_all;
	if (t->msi_supported) {
		c->MessageInterruptHandler = t_msg_isr;
		c->MessageInterruptDpcHandler = t_msg_dpc;
		c->DisableMessageInterruptHandler = t_msg_disable;
		c->EnableMessageInterruptHandler = t_msg_enable;
	}
	/* Garbage in the outputs: the runtime must write them. */
	c->InterruptType = (NDIS_INTERRUPT_TYPE)0x77;
	c->MessageInfoTable = (PIO_INTERRUPT_MESSAGE_INFO)(uintptr_t)0x7777;
}

static inline NDIS_STATUS tdrv_set_attributes(NDIS_HANDLE handle, void *context)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES r;

	memset(&r, 0, sizeof(r));
	r.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.MiniportAdapterContext = context;
	r.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	r.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(handle, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&r);
}

/* MiniportInitializeEx of the test driver. */
static inline int tdrv_initialize(void *handle, void *ctx)
{
	struct tdrv *t = ctx;
	NDIS_STATUS status;

	t->adapter_handle = handle;
	if (!t->skip_attributes) {
		status = tdrv_set_attributes(handle, t);
		if (status != NDIS_STATUS_SUCCESS)
			return status;
	}
	tdrv_fill_chars(t, &t->chars);
	t->register_status = NdisMRegisterInterruptEx(handle, t, &t->chars, &t->intr);
	if (t->in_init)
		t->in_init(t);
	if (t->register_status != NDIS_STATUS_SUCCESS)
		return t->register_status;
	if (t->fail_init) {
		if (t->deregister_on_failure)
			NdisMDeregisterInterruptEx(t->intr);
		return NDIS_STATUS_FAILURE;
	}
	return NDIS_STATUS_SUCCESS;
}

/* MiniportHaltEx of the test driver. */
static inline void tdrv_halt(void *handle, void *ctx)
{
	struct tdrv *t = ctx;

	(void)handle;
	if (t->in_halt)
		t->in_halt(t);
	if (!t->skip_deregister)
		NdisMDeregisterInterruptEx(t->intr);
	if (t->after_dereg)
		t->after_dereg(t);
}

/* ---------------------------------------------------------- machine */

struct tenv {
	struct ke_machine *m;
	struct intc *ic;
	struct intc_line *line;
	struct ndisrt_adapter *adapters[4];
	unsigned nr_adapters;
};

static inline void tenv_init(struct tenv *e, unsigned nr_vcpus)
{
	memset(e, 0, sizeof(*e));
	e->m = harness_machine(nr_vcpus);
	e->ic = intc_create(e->m);
	cr_assert_not_null(e->ic);
}

static inline struct ndisrt_adapter *tenv_adapter(struct tenv *e, struct tdrv *t,
						  const struct ndisrt_adapter_config *cfg)
{
	struct ndisrt_adapter *a = ndisrt_adapter_create(e->m, cfg);

	cr_assert_not_null(a, "ndisrt_adapter_create failed");
	cr_assert_lt(e->nr_adapters, 4);
	e->adapters[e->nr_adapters++] = a;
	t->a = a;
	t->ic = e->ic;
	return a;
}

/* An adapter on the environment's INTx line (created on first use, then shared). */
static inline struct ndisrt_adapter *tenv_line_adapter(struct tenv *e, struct tdrv *t,
						       ke_irql_t irql, uint64_t targets)
{
	struct ndisrt_adapter_config cfg;

	if (!e->line) {
		e->line = intc_line_create(e->ic, irql, targets);
		cr_assert_not_null(e->line);
	}
	intc_source_init(&t->src, e->ic, e->line);
	ndisrt_adapter_config_init(&cfg, e->ic);
	cfg.line = e->line;
	return tenv_adapter(e, t, &cfg);
}

/* An adapter with @n messages; @vcpus / @irqls may be NULL for the defaults. */
static inline struct ndisrt_adapter *tenv_msi_adapter(struct tenv *e, struct tdrv *t, unsigned n,
						      const int *vcpus, const uint8_t *irqls)
{
	struct ndisrt_adapter_config cfg;

	ndisrt_adapter_config_init(&cfg, e->ic);
	cfg.nr_messages = n;
	for (unsigned i = 0; i < n; i++) {
		if (vcpus)
			cfg.message_vcpu[i] = vcpus[i];
		if (irqls)
			cfg.message_irql[i] = irqls[i];
	}
	t->msi_supported = TRUE;
	return tenv_adapter(e, t, &cfg);
}

/* Initialize @t's adapter on vCPU @vcpu; assert it registered. */
static inline void tdrv_start(struct tdrv *t, unsigned vcpu)
{
	int status = ndisrt_adapter_initialize(t->a, vcpu, tdrv_initialize, t);

	cr_assert_eq(status, NDIS_STATUS_SUCCESS, "initialize failed: 0x%x (register 0x%x)",
		     (unsigned)status, (unsigned)t->register_status);
}

static inline void tdrv_stop(struct tdrv *t, unsigned vcpu)
{
	ndisrt_adapter_halt(t->a, vcpu, tdrv_halt, t, false);
}

/* The device sends message @msg. */
static inline void tdrv_fire(struct tdrv *t, unsigned msg)
{
	uint64_t addr;
	uint32_t data;

	cr_assert_eq(ndisrt_adapter_message_address(t->a, msg, &addr, &data), 0);
	cr_assert_eq(intc_msi_write(t->ic, addr, data), 0);
}

/* The same from a vCPU (no assertion there). Return: 0 if delivered. */
static inline int tdrv_fire_raw(struct tdrv *t, unsigned msg)
{
	uint64_t addr;
	uint32_t data;

	if (ndisrt_adapter_message_address(t->a, msg, &addr, &data))
		return -1;
	return intc_msi_write(t->ic, addr, data);
}

static inline void tenv_end(struct tenv *e)
{
	cr_assert_eq(ke_machine_quiesce(e->m, 30000), 0, "machine did not go quiet");
	for (unsigned i = 0; i < e->nr_adapters; i++)
		cr_assert_eq(ndisrt_adapter_free(e->adapters[i]), 0);
	if (e->line)
		intc_line_free(e->line);
	intc_free(e->ic);
	harness_end(e->m);
}

/* Run @fn(@arg) at PASSIVE_LEVEL on vCPU @n and wait. */
static inline void on_vcpu(struct tenv *e, unsigned n, ke_work_fn *fn, void *arg)
{
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(e->m, n), fn, arg), 0);
}

/* Does this vCPU hold the lock the ISR of @msg runs under? (Test code may look at ke.) */
static inline bool tholds_isr_lock(struct tdrv *t, unsigned msg)
{
	struct ke_interrupt *ki = ndisrt_adapter_ke_interrupt(t->a, msg);

	return ki && atomic_load(&ki->lock->owner) == ke_current_number() + 1;
}

/* Is the ISR of @msg entered (spinning on its lock or running) on some vCPU? */
static inline bool tisr_in_service(struct tdrv *t, unsigned msg)
{
	struct ke_interrupt *ki = ndisrt_adapter_ke_interrupt(t->a, msg);

	return ki && atomic_load(&ki->in_service) != 0;
}

#endif /* NDISRT_TESTS_NDIS_TNDIS_H */
