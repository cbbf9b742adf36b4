/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_register.c - registration and the adapter lifecycle:
 * spec R1-R5 and D3, and NdisMSetMiniportAttributes.
 */
#include "tests/ndis/tndis.h"

#define LINE_IRQL 6

/* The environment every test below starts from (Criterion fixtures). */
static struct tenv e;

static void env_2cpu(void)
{
	tenv_init(&e, 2);
}

static void env_1cpu(void)
{
	tenv_init(&e, 1);
}

static void env_3cpu(void)
{
	tenv_init(&e, 3);
}

static void env_end(void)
{
	tenv_end(&e);
}

/* ------------------------------------------------------------------ R1 */

Test(ndis_register, R1_register_in_initialize_after_attributes_succeeds, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	tdrv_start(&t, 1);
	cr_assert_eq(t.register_status, NDIS_STATUS_SUCCESS);
	cr_assert_not_null(t.intr);
	cr_assert_eq(ndisrt_adapter_context(t.a), &t, "MiniportAdapterContext not recorded");
	tdrv_stop(&t, 1);
}

static int init_register_at_dispatch(void *handle, void *ctx)
{
	struct tdrv *t = ctx;
	ke_irql_t old;

	tdrv_set_attributes(handle, t);
	tdrv_fill_chars(t, &t->chars);
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	NdisMRegisterInterruptEx(handle, t, &t->chars, &t->intr);
	ke_irql_lower(old);
	return NDIS_STATUS_SUCCESS;
}

Test(ndis_register, R1_register_at_dispatch_level_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_2cpu)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF, NDISRT_VIOLATION_IRQL,
			KE_DISPATCH_LEVEL, NDISRT_IRQL_RANGE(0, 0), NDISRT_DDI_REGISTER_INTERRUPT);
	ndisrt_adapter_initialize(t.a, 0, init_register_at_dispatch, &t);
	cr_assert_fail("registering at DISPATCH_LEVEL did not bug check");
}

static void halt_nothing(void *handle, void *ctx)
{
	(void)handle, (void)ctx;
}

static int init_attributes_only(void *handle, void *ctx)
{
	return tdrv_set_attributes(handle, ctx);
}

static void register_now(void *arg)
{
	struct tdrv *t = arg;

	tdrv_fill_chars(t, &t->chars);
	t->register_status = NdisMRegisterInterruptEx(t->adapter_handle, t, &t->chars, &t->intr);
}

Test(ndis_register, R1_register_after_initialize_returned_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, init_attributes_only, &t),
		     NDIS_STATUS_SUCCESS);
	t.adapter_handle = ndisrt_adapter_handle(t.a);
	/* The adapter is running: a work item is not MiniportInitializeEx. */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_NOT_IN_INITIALIZE, (uintptr_t)t.adapter_handle,
			2 /* running */, NDISRT_DDI_REGISTER_INTERRUPT);
	on_vcpu(&env, 0, register_now, &t);
	cr_assert_fail("registering outside MiniportInitializeEx did not bug check");
}

static struct {
	struct tdrv *t;
	atomic_bool in_init;
} other;

static void initialize_and_wait(void *arg)
{
	struct tdrv *t = arg;

	ndisrt_adapter_initialize_begin(t->a);
	t->adapter_handle = ndisrt_adapter_handle(t->a);
	tdrv_set_attributes(t->adapter_handle, t);
	atomic_store(&other.in_init, true);
	/* MiniportInitializeEx keeps running here until the bug check. */
	SPIN_UNTIL(false);
	ndisrt_adapter_initialize_end(t->a, NDIS_STATUS_SUCCESS);
}

Test(ndis_register, R1_register_from_another_vcpu_during_initialize_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;
	static struct ke_work w;

	tenv_init(&env, 2);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	other.t = &t;
	ke_work_init(&w, initialize_and_wait, &t);
	ke_vcpu_post(ke_machine_vcpu(env.m, 0), &w);
	WAIT_UNTIL(atomic_load(&other.in_init));
	/* Initialize runs on vCPU 0; code on vCPU 1 is not inside it. */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_NOT_IN_INITIALIZE, (uintptr_t)t.adapter_handle,
			1 /* initializing */, NDISRT_DDI_REGISTER_INTERRUPT);
	on_vcpu(&env, 1, register_now, &t);
	cr_assert_fail("registering from outside MiniportInitializeEx did not bug check");
}

Test(ndis_register, R1_register_before_set_attributes_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	t.skip_attributes = true;
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xB,
			NDISRT_VIOLATION_NO_ATTRIBUTES, (uintptr_t)ndisrt_adapter_handle(t.a), 0,
			NDISRT_DDI_REGISTER_INTERRUPT);
	ndisrt_adapter_initialize(t.a, 0, tdrv_initialize, &t);
	cr_assert_fail("registering before NdisMSetMiniportAttributes did not bug check");
}

/* NdisMSetMiniportAttributes checks its header like the interrupt characteristics. */
static struct {
	NDIS_STATUS bad_revision, bad_size, other_type, null_attrs, good;
} attr;

static int init_attribute_variants(void *handle, void *ctx)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES reg;
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES *r = &reg;
	PNDIS_MINIPORT_ADAPTER_ATTRIBUTES u = (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&reg;

	memset(&reg, 0, sizeof(reg));
	r->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r->Header.Revision = 3;
	r->Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r->MiniportAdapterContext = (void *)0x1234;
	attr.bad_revision = NdisMSetMiniportAttributes(handle, u);
	r->Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r->Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 - 1;
	attr.bad_size = NdisMSetMiniportAttributes(handle, u);
	r->Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r->Header.Type = 0x9F; /* general attributes: not implemented yet */
	attr.other_type = NdisMSetMiniportAttributes(handle, u);
	attr.null_attrs = NdisMSetMiniportAttributes(handle, NULL);
	r->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r->Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2;
	r->MiniportAdapterContext = ctx;
	attr.good = NdisMSetMiniportAttributes(handle, u);
	return NDIS_STATUS_SUCCESS;
}

Test(ndis_register, R1_set_attributes_checks_its_header, .init = env_1cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, init_attribute_variants, &t),
		     NDIS_STATUS_SUCCESS);
	cr_assert_eq(attr.bad_revision, NDIS_STATUS_BAD_VERSION);
	cr_assert_eq(attr.bad_size, NDIS_STATUS_INVALID_PARAMETER);
	cr_assert_eq(attr.other_type, NDIS_STATUS_NOT_SUPPORTED);
	cr_assert_eq(attr.null_attrs, NDIS_STATUS_INVALID_PARAMETER);
	cr_assert_eq(attr.good, NDIS_STATUS_SUCCESS);
	/* None of the bad calls stored anything; the good one did. */
	cr_assert_eq(ndisrt_adapter_context(t.a), &t);
	ndisrt_adapter_halt(t.a, 0, halt_nothing, NULL, false);
}

/* ------------------------------------------------------------------ R2 */

#define SENTINEL_HANDLE ((NDIS_HANDLE)(uintptr_t)0x5E5E)

struct variant {
	const char *name;
	void (*spoil)(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c);
	NDIS_STATUS expect;
};

static void bad_type(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
}
static void bad_revision(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->Header.Revision = 0;
}
static void bad_size(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1 - 1;
}
static void no_isr(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->InterruptHandler = NULL;
}
static void no_dpc(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->InterruptDpcHandler = NULL;
}
static void no_disable(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->DisableInterruptHandler = NULL;
}
static void no_enable(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->EnableInterruptHandler = NULL;
}
static void msi_no_isr(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->MessageInterruptHandler = NULL;
}
static void msi_no_dpc(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->MessageInterruptDpcHandler = NULL;
}
static void msi_no_disable(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->DisableMessageInterruptHandler = NULL;
}
static void msi_no_enable(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	c->EnableMessageInterruptHandler = NULL;
}

static const struct variant variants[] = {
    {"wrong Header.Type", bad_type, NDIS_STATUS_INVALID_PARAMETER},
    {"Header.Revision 0", bad_revision, NDIS_STATUS_INVALID_PARAMETER},
    {"Header.Size below revision 1", bad_size, NDIS_STATUS_INVALID_PARAMETER},
    {"no InterruptHandler", no_isr, NDIS_STATUS_INVALID_PARAMETER},
    {"no InterruptDpcHandler", no_dpc, NDIS_STATUS_INVALID_PARAMETER},
    {"no DisableInterruptHandler", no_disable, NDIS_STATUS_INVALID_PARAMETER},
    {"no EnableInterruptHandler", no_enable, NDIS_STATUS_INVALID_PARAMETER},
    {"MsiSupported, no MessageInterruptHandler", msi_no_isr, NDIS_STATUS_INVALID_PARAMETER},
    {"MsiSupported, no MessageInterruptDpcHandler", msi_no_dpc, NDIS_STATUS_INVALID_PARAMETER},
    {"MsiSupported, no DisableMessageInterruptHandler", msi_no_disable,
     NDIS_STATUS_INVALID_PARAMETER},
    {"MsiSupported, no EnableMessageInterruptHandler", msi_no_enable,
     NDIS_STATUS_INVALID_PARAMETER},
};
#define NR_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static struct {
	NDIS_STATUS status[NR_VARIANTS];
	bool outputs_kept[NR_VARIANTS];
	NDIS_STATUS good;
} r2;

/* Every bad variant fails and writes nothing; a good call afterwards succeeds. */
static int init_header_variants(void *handle, void *ctx)
{
	struct tdrv *t = ctx;

	tdrv_set_attributes(handle, t);
	for (unsigned i = 0; i < NR_VARIANTS; i++) {
		NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c;
		NDIS_HANDLE h = SENTINEL_HANDLE;

		tdrv_fill_chars(t, &c);
		variants[i].spoil(&c);
		r2.status[i] = NdisMRegisterInterruptEx(handle, t, &c, &h);
		r2.outputs_kept[i] =
		    h == SENTINEL_HANDLE && c.InterruptType == 0x77 &&
		    c.MessageInfoTable == (PIO_INTERRUPT_MESSAGE_INFO)(uintptr_t)0x7777;
	}
	tdrv_fill_chars(t, &t->chars);
	r2.good = NdisMRegisterInterruptEx(handle, t, &t->chars, &t->intr);
	return r2.good;
}

Test(ndis_register, R2_bad_header_or_missing_handler_fails_and_changes_nothing, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 2, NULL, NULL);
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, init_header_variants, &t),
		     NDIS_STATUS_SUCCESS, "a valid registration after the bad ones failed: 0x%x",
		     (unsigned)r2.good);
	for (unsigned i = 0; i < NR_VARIANTS; i++) {
		cr_assert_eq(r2.status[i], variants[i].expect, "%s: status 0x%x", variants[i].name,
			     (unsigned)r2.status[i]);
		cr_assert(r2.outputs_kept[i], "%s: a failed call wrote its outputs",
			  variants[i].name);
	}
	tdrv_stop(&t, 0);
}

/* A structure embedded in a larger one (Size above revision 1's) is accepted. */
static int init_larger_size(void *handle, void *ctx)
{
	struct tdrv *t = ctx;
	static struct {
		NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c;
		char future[16];
	} big;

	tdrv_set_attributes(handle, t);
	tdrv_fill_chars(t, &big.c);
	big.c.Header.Size = sizeof(big);
	t->register_status = NdisMRegisterInterruptEx(handle, t, &big.c, &t->intr);
	return t->register_status;
}

Test(ndis_register, R2_size_above_revision_1_is_accepted, .init = env_1cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, init_larger_size, &t), NDIS_STATUS_SUCCESS);
	tdrv_stop(&t, 0);
}

Test(ndis_register, R2_msi_handlers_may_be_null_without_MsiSupported, .init = env_1cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	t.msi_supported = FALSE; /* tdrv_fill_chars leaves the four MSI handlers NULL */
	tdrv_start(&t, 0);
	cr_assert_eq(t.chars.InterruptType, NDIS_CONNECT_LINE_BASED);
	tdrv_stop(&t, 0);
}

/* ------------------------------------------------------------------ R3 */

static struct {
	atomic_bool init_done, isr_ran, isr_saw_init_running, dpc_ran;
	atomic_bool isr_seen_in_init;
	NDIS_HANDLE isr_ctx;
} r3;

static BOOLEAN r3_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	BOOLEAN mine = tdrv_default_isr(t, msg, queue_default, targets);

	atomic_store(&r3.isr_saw_init_running, !atomic_load(&r3.init_done));
	atomic_store(&r3.isr_ran, true);
	return mine;
}

static void r3_dpc(struct tdrv *t, ULONG msg, PVOID ctx, PNDIS_RECEIVE_THROTTLE_PARAMETERS tp)
{
	(void)t, (void)msg, (void)ctx, (void)tp;
	atomic_store(&r3.dpc_ran, true);
}

/* The device asserts its line before the driver registers; the ISR must come in while
 * MiniportInitializeEx is still running, i.e. the ISR was connected before the call
 * returned. */
static int init_with_device_already_interrupting(void *handle, void *ctx)
{
	struct tdrv *t = ctx;

	tdrv_set_attributes(handle, t);
	intc_source_set(&t->src, true);
	tdrv_fill_chars(t, &t->chars);
	t->register_status = NdisMRegisterInterruptEx(handle, t, &t->chars, &t->intr);
	atomic_store(&r3.isr_seen_in_init, SPIN_UNTIL(atomic_load(&r3.isr_ran)));
	atomic_store(&r3.init_done, true);
	return t->register_status;
}

Test(ndis_register, R3_isr_runs_before_initialize_returns, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;

	/* The line interrupts vCPU 0; initialize runs on vCPU 1. */
	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	t.isr = r3_isr;
	t.dpc = r3_dpc;
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 1, init_with_device_already_interrupting, &t),
		     NDIS_STATUS_SUCCESS);
	cr_assert(atomic_load(&r3.isr_seen_in_init),
		  "the ISR did not run while MiniportInitializeEx was still running");
	cr_assert(atomic_load(&r3.isr_saw_init_running));
	WAIT_UNTIL(atomic_load(&r3.dpc_ran));
	tdrv_stop(&t, 1);
}

/* Message variant: the device sends as soon as it learns its address. */
static void r3_fire_in_init(struct tdrv *t)
{
	uint64_t addr;
	uint32_t data;

	ndisrt_adapter_message_address(t->a, 0, &addr, &data);
	intc_msi_write(t->ic, addr, data);
	atomic_store(&r3.isr_seen_in_init, SPIN_UNTIL(atomic_load(&r3.isr_ran)));
}

Test(ndis_register, R3_message_isr_runs_before_initialize_returns, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	int vcpus[1] = {0};

	tenv_msi_adapter(&e, &t, 1, vcpus, NULL);
	t.isr = r3_isr;
	t.dpc = r3_dpc;
	t.in_init = r3_fire_in_init;
	tdrv_start(&t, 1);
	cr_assert(atomic_load(&r3.isr_seen_in_init),
		  "the message ISR did not run while MiniportInitializeEx was still running");
	WAIT_UNTIL(atomic_load(&r3.dpc_ran));
	tdrv_stop(&t, 1);
}

/* ------------------------------------------------------------------ R4 */

Test(ndis_register, R4_msi_capable_driver_may_be_granted_a_line, .init = env_2cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	t.msi_supported = TRUE;
	tdrv_start(&t, 1);
	cr_assert_eq(t.chars.InterruptType, NDIS_CONNECT_LINE_BASED);
	cr_assert_null(t.chars.MessageInfoTable, "a line grant must have MessageInfoTable = NULL");
	cr_assert_eq(ndisrt_adapter_interrupt_kind(t.a), NDISRT_INTERRUPT_LINE);
	intc_source_set(&t.src, true);
	WAIT_UNTIL(atomic_load(&t.dpc_calls[0]) == 1);
	cr_assert_eq(atomic_load(&t.line_isr_calls), 1);
	cr_assert_eq(atomic_load(&t.msg_isr_calls), 0, "a line grant called the message ISR");
	tdrv_stop(&t, 1);
}

#define R4_MSGS 3

static struct {
	IO_INTERRUPT_MESSAGE_INFO_ENTRY snapshot[R4_MSGS];
	PIO_INTERRUPT_MESSAGE_INFO table;
	atomic_bool unchanged_at_halt;
	atomic_uint isr_vcpu[R4_MSGS], isr_irql[R4_MSGS];
} r4;

static BOOLEAN r4_isr(struct tdrv *t, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	(void)t;
	atomic_store(&r4.isr_vcpu[msg], ke_current_number());
	atomic_store(&r4.isr_irql[msg], KeGetCurrentIrql());
	*queue_default = TRUE;
	*targets = 0;
	return TRUE;
}

static void r4_check_at_halt(struct tdrv *t)
{
	atomic_store(&r4.unchanged_at_halt,
		     t->chars.MessageInfoTable == r4.table &&
			 memcmp(r4.table->MessageInfo, r4.snapshot, sizeof(r4.snapshot)) == 0);
}

Test(ndis_register, R4_message_table_describes_every_message_until_deregistration, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;
	int vcpus[R4_MSGS] = {1, 0, 1};
	uint8_t irqls[R4_MSGS] = {5, 9, 7};
	PIO_INTERRUPT_MESSAGE_INFO mi;

	tenv_msi_adapter(&e, &t, R4_MSGS, vcpus, irqls);
	t.isr = r4_isr;
	t.in_halt = r4_check_at_halt;
	tdrv_start(&t, 0);
	cr_assert_eq(t.chars.InterruptType, NDIS_CONNECT_MESSAGE_BASED);
	mi = t.chars.MessageInfoTable;
	cr_assert_not_null(mi);
	cr_assert_eq(mi->MessageCount, R4_MSGS);
	cr_assert_eq(mi->UnifiedIrql, 9, "UnifiedIrql must be the highest message IRQL");
	for (unsigned i = 0; i < R4_MSGS; i++) {
		IO_INTERRUPT_MESSAGE_INFO_ENTRY *en = &mi->MessageInfo[i];
		uint64_t addr;
		uint32_t data;

		cr_assert_eq(en->Irql, irqls[i]);
		cr_assert_eq(en->Vector >> 4, irqls[i], "vector level and Irql disagree");
		cr_assert_eq(en->TargetProcessorSet, (KAFFINITY)1 << vcpus[i]);
		cr_assert_eq(en->Mode, Latched);
		cr_assert_eq(en->InterruptObject, (PKINTERRUPT)ndisrt_adapter_ke_interrupt(t.a, i));
		/* The address/data pair is the controller's real one for vector + vCPU. */
		cr_assert_eq(intc_msi_compose(e.ic, en->Vector, (unsigned)vcpus[i], &addr, &data),
			     0);
		cr_assert_eq((uint64_t)en->MessageAddress.QuadPart, addr);
		cr_assert_eq(en->MessageData, data);
	}
	memcpy(r4.snapshot, mi->MessageInfo, sizeof(r4.snapshot));
	r4.table = mi;
	/* A write of each entry's pair runs that message's ISR there, at its IRQL. */
	for (unsigned i = 0; i < R4_MSGS; i++) {
		IO_INTERRUPT_MESSAGE_INFO_ENTRY *en = &mi->MessageInfo[i];

		cr_assert_eq(
		    intc_msi_write(e.ic, (uint64_t)en->MessageAddress.QuadPart, en->MessageData),
		    0);
		WAIT_UNTIL(atomic_load(&t.dpc_calls[i]) == 1);
		cr_assert_eq(atomic_load(&t.isr_calls[i]), 1);
		cr_assert_eq(atomic_load(&r4.isr_vcpu[i]), (unsigned)vcpus[i]);
		cr_assert_eq(atomic_load(&r4.isr_irql[i]), irqls[i]);
	}
	cr_assert_eq(atomic_load(&t.line_isr_calls), 0);
	tdrv_stop(&t, 0);
	cr_assert(atomic_load(&r4.unchanged_at_halt),
		  "MessageInfoTable moved or changed before deregistration");
}

Test(ndis_register, R4_default_targets_are_message_modulo_vcpus, .init = env_3cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 5, NULL, NULL);
	tdrv_start(&t, 0);
	for (unsigned i = 0; i < 5; i++) {
		IO_INTERRUPT_MESSAGE_INFO_ENTRY *en = &t.chars.MessageInfoTable->MessageInfo[i];

		cr_assert_eq(en->TargetProcessorSet, (KAFFINITY)1 << (i % 3));
		cr_assert_eq(en->Irql, NDISRT_DEFAULT_MSI_IRQL);
	}
	tdrv_stop(&t, 0);
}

Test(ndis_register, R4_message_resources_without_MsiSupported_fail, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 2, NULL, NULL);
	t.msi_supported = FALSE;
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, tdrv_initialize, &t), NDIS_STATUS_FAILURE);
	cr_assert_eq(t.chars.InterruptType, 0x77, "a failed registration wrote InterruptType");
	cr_assert_eq(ndisrt_adapter_interrupt_kind(t.a), NDISRT_INTERRUPT_NONE);
}

Test(ndis_register, R4_no_interrupt_resource_fails_with_resources, .init = env_1cpu,
     .fini = env_end)
{
	static struct tdrv t;
	struct ndisrt_adapter_config cfg;

	ndisrt_adapter_config_init(&cfg, e.ic);
	tenv_adapter(&e, &t, &cfg);
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, tdrv_initialize, &t), NDIS_STATUS_RESOURCES);
}

static struct {
	NDIS_STATUS second;
} conflict;

static void register_again(struct tdrv *t)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c;
	NDIS_HANDLE h = SENTINEL_HANDLE;

	tdrv_fill_chars(t, &c);
	conflict.second = NdisMRegisterInterruptEx(t->adapter_handle, t, &c, &h);
}

Test(ndis_register, R4_second_registration_conflicts, .init = env_1cpu, .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	t.in_init = register_again;
	tdrv_start(&t, 0);
	cr_assert_eq(conflict.second, NDIS_STATUS_RESOURCE_CONFLICT);
	tdrv_stop(&t, 0);
}

/* ------------------------------------------------------------------ R5 */

Test(ndis_register, R5_deregister_in_failed_initialize_releases_everything, .init = env_2cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_msi_adapter(&e, &t, 2, NULL, NULL);
	t.fail_init = true;
	t.deregister_on_failure = true;
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, tdrv_initialize, &t), NDIS_STATUS_FAILURE);
	cr_assert_eq(ndisrt_adapter_interrupt_kind(t.a), NDISRT_INTERRUPT_NONE);
	/* Vectors, handle and adapter state are free again: a second try works. */
	t.fail_init = false;
	tdrv_start(&t, 1);
	tdrv_stop(&t, 1);
}

static void deregister_now(void *arg)
{
	NdisMDeregisterInterruptEx(((struct tdrv *)arg)->intr);
}

Test(ndis_register, R5_deregister_outside_initialize_and_halt_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_DEREGISTER_CONTEXT, (uintptr_t)t.intr, 2 /* running */,
			NDISRT_DDI_DEREGISTER_INTERRUPT);
	on_vcpu(&env, 0, deregister_now, &t);
	cr_assert_fail("deregistering while the adapter runs did not bug check");
}

static void deregister_null(struct tdrv *t)
{
	(void)t;
	NdisMDeregisterInterruptEx(NULL);
}

Test(ndis_register, R5_deregister_without_registration_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 1);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, init_attributes_only, &t),
		     NDIS_STATUS_SUCCESS);
	t.in_halt = deregister_null;
	t.skip_deregister = true;
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_BAD_HANDLE, 0, 2 /* NDIS_HT_INTERRUPT */,
			NDISRT_DDI_DEREGISTER_INTERRUPT);
	tdrv_stop(&t, 0);
	cr_assert_fail("deregistering a handle never registered did not bug check");
}

static void deregister_again(struct tdrv *t)
{
	NdisMDeregisterInterruptEx(t->intr);
}

Test(ndis_register, R5_deregister_twice_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	t.after_dereg = deregister_again;
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0xF,
			NDISRT_VIOLATION_STALE_HANDLE, (uintptr_t)t.intr, 2,
			NDISRT_DDI_DEREGISTER_INTERRUPT);
	tdrv_stop(&t, 0);
	cr_assert_fail("a second deregistration did not bug check");
}

/* ------------------------------------------------------------------ D3 */

Test(ndis_register, D3_halt_without_deregister_bugchecks_0x7C_08,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 2);
	tenv_msi_adapter(&env, &t, 2, NULL, NULL);
	tdrv_start(&t, 0);
	t.skip_deregister = true;
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0xF,
			NDISRT_VIOLATION_HALT_WITHOUT_INTERRUPT_DEREGISTER,
			(uintptr_t)ndisrt_adapter_handle(t.a), (uintptr_t)t.intr, 0);
	tdrv_stop(&t, 1);
	cr_assert_fail("halt without deregistering did not bug check");
}

static void expect_0B(struct tdrv *t)
{
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0xF,
			NDISRT_VIOLATION_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER,
			(uintptr_t)t->adapter_handle, (uintptr_t)t->intr, 0);
}

Test(ndis_register, D3_failed_initialize_without_deregister_bugchecks_0x7C_0B,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 1);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	t.fail_init = true;
	t.in_init = expect_0B;
	ndisrt_adapter_initialize(t.a, 0, tdrv_initialize, &t);
	cr_assert_fail("failing initialize with the interrupt registered did not bug check");
}

Test(ndis_register, D3_halt_from_initialize_without_deregister_bugchecks_0x7C_0D,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv env;
	static struct tdrv t;

	tenv_init(&env, 1);
	tenv_line_adapter(&env, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	t.skip_deregister = true;
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0xF,
			NDISRT_VIOLATION_HALT_INIT_WITHOUT_INTERRUPT_DEREGISTER,
			(uintptr_t)ndisrt_adapter_handle(t.a), (uintptr_t)t.intr, 0);
	ndisrt_adapter_halt(t.a, 0, tdrv_halt, &t, true);
	cr_assert_fail("halt from initialize without deregistering did not bug check");
}

Test(ndis_register, D3_halt_and_failed_initialize_after_deregister_are_silent, .init = env_1cpu,
     .fini = env_end)
{
	static struct tdrv t;

	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	t.fail_init = true;
	t.deregister_on_failure = true;
	cr_assert_eq(ndisrt_adapter_initialize(t.a, 0, tdrv_initialize, &t), NDIS_STATUS_FAILURE);
	t.fail_init = false;
	tdrv_start(&t, 0);
	ndisrt_adapter_halt(t.a, 0, tdrv_halt, &t, true);
}
