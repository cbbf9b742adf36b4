/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_irql.c - every DDI checks the IRQL of spec §21 and its
 * arguments (open point O-4): a violation is a bug check naming the rule,
 * the IRQL and the DDI, never undefined behaviour.
 */
#include "tests/ndis/tndis.h"

#include "ndisrt/host.h"

#define LINE_IRQL 6
#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

/* ------------------------------------------------- the IRQL of each DDI */

static void deregister_at_dispatch(struct tdrv *t)
{
	ke_irql_raise(DISPATCH_LEVEL);
	NdisMDeregisterInterruptEx(t->intr);
}

Test(ndis_irql, C1_deregister_at_dispatch_level_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	tenv_init(&e, 1);
	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	t.in_halt = deregister_at_dispatch;
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, DISPATCH_LEVEL, NDISRT_IRQL_RANGE(0, 0),
			NDISRT_DDI_DEREGISTER_INTERRUPT);
	tdrv_stop(&t, 0);
	cr_assert_fail("no bug check");
}

static int attributes_at_dispatch(void *handle, void *ctx)
{
	ke_irql_raise(DISPATCH_LEVEL);
	return tdrv_set_attributes(handle, ctx);
}

Test(ndis_irql, C1_set_attributes_at_dispatch_level_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	tenv_init(&e, 1);
	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, DISPATCH_LEVEL, NDISRT_IRQL_RANGE(0, 0),
			NDISRT_DDI_SET_ATTRIBUTES);
	ndisrt_adapter_initialize(t.a, 0, attributes_at_dispatch, &t);
	cr_assert_fail("no bug check");
}

static int register_at_apc(void *handle, void *ctx)
{
	struct tdrv *t = ctx;

	tdrv_set_attributes(handle, t);
	tdrv_fill_chars(t, &t->chars);
	ke_irql_raise(APC_LEVEL);
	return NdisMRegisterInterruptEx(handle, t, &t->chars, &t->intr);
}

Test(ndis_irql, C1_register_at_apc_level_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	tenv_init(&e, 1);
	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, APC_LEVEL, NDISRT_IRQL_RANGE(0, 0),
			NDISRT_DDI_REGISTER_INTERRUPT);
	ndisrt_adapter_initialize(t.a, 0, register_at_apc, &t);
	cr_assert_fail("no bug check");
}

static void processor_index_at_passive(void *arg)
{
	(void)arg;
	NdisCurrentProcessorIndex();
}

Test(ndis_irql, C1_current_processor_index_below_dispatch_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, PASSIVE_LEVEL,
			NDISRT_IRQL_RANGE(DISPATCH_LEVEL, HIGH_LEVEL),
			NDISRT_DDI_CURRENT_PROCESSOR_INDEX);
	ke_vcpu_call(ke_machine_vcpu(m, 0), processor_index_at_passive, NULL);
	cr_assert_fail("no bug check");
}

static void group_and_processor_at_apc(void *arg)
{
	(void)arg;
	ke_irql_raise(APC_LEVEL);
	NdisCurrentGroupAndProcessor();
}

Test(ndis_irql, C1_current_group_and_processor_below_dispatch_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, APC_LEVEL,
			NDISRT_IRQL_RANGE(DISPATCH_LEVEL, HIGH_LEVEL),
			NDISRT_DDI_CURRENT_GROUP_AND_PROCESSOR);
	ke_vcpu_call(ke_machine_vcpu(m, 0), group_and_processor_at_apc, NULL);
	cr_assert_fail("no bug check");
}

static struct {
	KIRQL irql[4];
	ULONG index[3];
	PROCESSOR_NUMBER pn[3];
} q;

static void queries(void *arg)
{
	ke_irql_t old;

	(void)arg;
	q.irql[0] = KeGetCurrentIrql();
	old = ke_irql_raise(APC_LEVEL);
	q.irql[1] = NDIS_CURRENT_IRQL();
	ke_irql_raise(DISPATCH_LEVEL);
	q.irql[2] = KeGetCurrentIrql();
	q.index[0] = NdisCurrentProcessorIndex();
	q.pn[0] = NdisCurrentGroupAndProcessor();
	ke_irql_raise(9);
	q.irql[3] = KeGetCurrentIrql();
	q.index[1] = NdisCurrentProcessorIndex();
	q.pn[1] = NdisCurrentGroupAndProcessor();
	ke_irql_raise(HIGH_LEVEL);
	q.index[2] = NdisCurrentProcessorIndex();
	q.pn[2] = NdisCurrentGroupAndProcessor();
	ke_irql_lower(old);
}

Test(ndis_irql, C1_queries_answer_at_every_allowed_level)
{
	struct ke_machine *m = harness_machine(3);

	ke_vcpu_call(ke_machine_vcpu(m, 2), queries, NULL);
	cr_assert_eq(q.irql[0], PASSIVE_LEVEL);
	cr_assert_eq(q.irql[1], APC_LEVEL);
	cr_assert_eq(q.irql[2], DISPATCH_LEVEL);
	cr_assert_eq(q.irql[3], 9);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(q.index[i], 2);
		cr_assert_eq(q.pn[i].Group, 0);
		cr_assert_eq(q.pn[i].Number, 2);
		cr_assert_eq(q.pn[i].Reserved, 0);
	}
	harness_end(m);
}

Test(ndis_irql, C1_ddi_from_a_host_thread_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;
	GROUP_AFFINITY ga = {.Mask = 1};

	tenv_init(&e, 1);
	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_NOT_ON_VCPU, 0, 0, NDISRT_DDI_QUEUE_DPC_EX);
	NdisMQueueDpcEx(t.intr, 0, &ga, NULL);
	cr_assert_fail("no bug check");
}

/* ----------------------------------------------- O-4: DPC request checks */

static struct {
	ULONG msg;
	USHORT group;
	KAFFINITY mask;
	bool null_target, old_api;
	NDIS_HANDLE handle; /* 0: the interrupt's */
	KAFFINITY result;
} o4;

static void o4_request(void *arg)
{
	struct tdrv *t = arg;
	GROUP_AFFINITY ga = {.Mask = o4.mask, .Group = o4.group};
	NDIS_HANDLE h = o4.handle ? o4.handle : t->intr;

	if (o4.old_api)
		o4.result = NdisMQueueDpc(h, o4.msg, (ULONG)o4.mask, NULL);
	else
		o4.result = NdisMQueueDpcEx(h, o4.msg, o4.null_target ? NULL : &ga, NULL);
}

static void o4_setup(struct tenv *e, struct tdrv *t, bool msi)
{
	tenv_init(e, 2);
	if (msi)
		tenv_msi_adapter(e, t, 2, NULL, NULL);
	else
		tenv_line_adapter(e, t, LINE_IRQL, 1);
	tdrv_start(t, 0);
}

Test(ndis_irql, O4_queue_dpc_with_out_of_range_message_id_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	o4_setup(&e, &t, true);
	o4.msg = 2;
	o4.mask = 1;
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_BAD_MESSAGE_ID, 2, 2, NDISRT_DDI_QUEUE_DPC_EX);
	on_vcpu(&e, 1, o4_request, &t);
	cr_assert_fail("no bug check");
}

Test(ndis_irql, C2_queue_dpc_for_another_group_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	o4_setup(&e, &t, true);
	o4.group = 1;
	o4.mask = 1;
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_BAD_PROCESSOR, 1, 1, 0x3);
	on_vcpu(&e, 1, o4_request, &t);
	cr_assert_fail("no bug check");
}

Test(ndis_irql, C2_queue_dpc_for_a_missing_processor_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	o4_setup(&e, &t, true);
	o4.mask = 0x5;
	o4.old_api = true;
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_BAD_PROCESSOR, 0, 0x5, 0x3);
	on_vcpu(&e, 1, o4_request, &t);
	cr_assert_fail("no bug check");
}

Test(ndis_irql, O4_queue_dpc_with_null_target_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	o4_setup(&e, &t, true);
	o4.null_target = true;
	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_BAD_PROCESSOR, 0xFFFF, 0, 0);
	on_vcpu(&e, 1, o4_request, &t);
	cr_assert_fail("no bug check");
}

static int not_a_handle;

Test(ndis_irql, C2_queue_dpc_with_a_garbage_handle_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	o4_setup(&e, &t, true);
	o4.handle = &not_a_handle;
	o4.mask = 1;
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)&not_a_handle, 2,
			NDISRT_DDI_QUEUE_DPC_EX);
	on_vcpu(&e, 1, o4_request, &t);
	cr_assert_fail("no bug check");
}

Test(ndis_irql, C2_queue_dpc_with_the_adapter_handle_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	o4_setup(&e, &t, false);
	o4.handle = ndisrt_adapter_handle(t.a);
	o4.mask = 1;
	o4.old_api = true;
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_BAD_HANDLE, (uintptr_t)o4.handle, 2,
			NDISRT_DDI_QUEUE_DPC);
	on_vcpu(&e, 1, o4_request, &t);
	cr_assert_fail("no bug check");
}

Test(ndis_irql, O4_line_interrupt_ignores_the_message_id)
{
	struct tenv e;
	static struct tdrv t;

	o4_setup(&e, &t, false);
	o4.msg = 5;
	o4.mask = 0x2;
	on_vcpu(&e, 0, o4_request, &t);
	cr_assert_eq(o4.result, 0x2);
	WAIT_UNTIL(atomic_load(&t.dpc_calls[0]) == 1);
	o4.mask = 0;
	on_vcpu(&e, 0, o4_request, &t);
	cr_assert_eq(o4.result, 0, "an empty mask queues nothing");
	tdrv_stop(&t, 0);
	tenv_end(&e);
}

/* A data-path DDI for an adapter ndis/ runs but no NIC of the host hosts. */
static void complete_send_on_an_unhosted_adapter(void *arg)
{
	struct tdrv *t = arg;
	KIRQL old;

	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisMSendNetBufferListsComplete(t->adapter_handle, NULL,
					NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis_irql, C2_data_path_ddi_on_an_adapter_no_nic_hosts_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct tenv e;
	static struct tdrv t;

	tenv_init(&e, 1);
	tenv_line_adapter(&e, &t, LINE_IRQL, 1);
	tdrv_start(&t, 0);
	cr_assert_not_null(t.adapter_handle);
	/* Parameter 2: the handle; 4: the DDI. Checked before the NULL NBL. */
	expect_bugcheck(C4, 0xB, NDISRT_VIOLATION_NOT_HOSTED, (uintptr_t)t.adapter_handle, 0,
			NDISRT_DDI_SEND_COMPLETE);
	on_vcpu(&e, 0, complete_send_on_an_unhosted_adapter, &t);
	cr_assert_fail("no bug check");
}
