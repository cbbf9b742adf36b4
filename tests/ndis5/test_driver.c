/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_driver.c - NDIS 5 miniport hosting (spec §14.9,
 * docs/ndis5.md): NdisMRegisterMiniport's checks, the wrapper handle,
 * medium selection and NdisMSetAttributesEx in MiniportInitialize,
 * MiniportSendPackets with pended packets and NdisMSendComplete, pended
 * OID requests, and NDIS 5 DDIs on an adapter NDIS 5 does not run.
 */
#include "tests/ndis5/tndis5.h"

#include <pthread.h>

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

/* The environment every test below starts from (Criterion fixtures). */
static struct t5env e;

static void env_1cpu(void)
{
	t5env_init(&e, 1, 0);
}

static void env_2cpu(void)
{
	t5env_init(&e, 2, 0);
}

static void env_end(void)
{
	t5env_end(&e);
}

/* ------------------------------------------------------ registration */

static NDIS_STATUS reg_status[8];
static NDIS_HANDLE bad_wrapper = (NDIS_HANDLE)0x1234;

static void valid_chars(NDIS_MINIPORT_CHARACTERISTICS *c, UCHAR major, UCHAR minor)
{
	memset(c, 0, sizeof(*c));
	c->MajorNdisVersion = major;
	c->MinorNdisVersion = minor;
	c->InitializeHandler = t5_initialize;
	c->HaltHandler = t5_halt;
	c->ISRHandler = t5_isr;
	c->HandleInterruptHandler = t5_handle_interrupt;
	c->QueryInformationHandler = t5_query;
	c->SetInformationHandler = t5_set;
	c->ResetHandler = t5_reset;
	c->SendHandler = t5_send;
}

/* Every way NdisMRegisterMiniport refuses, then a valid NDIS 4.0 registration. */
static NTSTATUS entry_checks(PVOID driver_object, PVOID registry_path)
{
	NDIS_MINIPORT_CHARACTERISTICS c;
	NDIS_HANDLE w;

	NdisMInitializeWrapper(&w, driver_object, registry_path, NULL);
	valid_chars(&c, 6, 0);
	reg_status[0] = NdisMRegisterMiniport(w, &c, sizeof(c));
	valid_chars(&c, 5, 1);
	reg_status[1] = NdisMRegisterMiniport(w, &c, sizeof(NDIS50_MINIPORT_CHARACTERISTICS));
	valid_chars(&c, 5, 1);
	c.HaltHandler = NULL;
	reg_status[2] = NdisMRegisterMiniport(w, &c, sizeof(c));
	valid_chars(&c, 5, 1);
	c.SendHandler = NULL;
	reg_status[3] = NdisMRegisterMiniport(w, &c, sizeof(c));
	valid_chars(&c, 5, 0);
	c.CoCreateVcHandler = (PVOID)t5_send;
	reg_status[4] = NdisMRegisterMiniport(w, &c, sizeof(c));
	valid_chars(&c, 4, 0);
	reg_status[5] = NdisMRegisterMiniport(w, &c, sizeof(NDIS40_MINIPORT_CHARACTERISTICS));
	return reg_status[5];
}

Test(ndis5_driver, S14_9_register_miniport_checks_version_length_and_handlers, .init = env_1cpu,
     .fini = env_end)
{
	struct ndisrt_ndis5_driver *d;
	unsigned major, minor;
	int object;
	char err[256];

	cr_assert_eq(ndisrt_ndis5_driver_entry(e.m, entry_checks, &object, &d, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(reg_status[0], NDIS_STATUS_BAD_VERSION, "NDIS 6 characteristics");
	cr_assert_eq(reg_status[1], NDIS_STATUS_BAD_CHARACTERISTICS, "5.1 with the 5.0 length");
	cr_assert_eq(reg_status[2], NDIS_STATUS_BAD_CHARACTERISTICS, "no MiniportHalt");
	cr_assert_eq(reg_status[3], NDIS_STATUS_BAD_CHARACTERISTICS,
		     "neither Send nor SendPackets");
	cr_assert_eq(reg_status[4], NDIS_STATUS_BAD_CHARACTERISTICS, "CoNDIS handlers");
	cr_assert_eq(reg_status[5], NDIS_STATUS_SUCCESS, "NDIS 4.0");
	ndisrt_ndis5_driver_version(d, &major, &minor);
	cr_assert_eq(major * 10 + minor, 40);
	ndisrt_ndis5_driver_free(d);
}

static NTSTATUS entry_bad_wrapper(PVOID driver_object, PVOID registry_path)
{
	NDIS_MINIPORT_CHARACTERISTICS c;

	(void)driver_object, (void)registry_path;
	valid_chars(&c, 5, 1);
	return NdisMRegisterMiniport(bad_wrapper, &c, sizeof(c));
}

Test(ndis5_driver, C2_register_miniport_with_a_foreign_wrapper_handle_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct ndisrt_ndis5_driver *d;
	int object;
	char err[256];

	t5env_init(&env, 1, 0);
	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_WRAPPER, (uintptr_t)bad_wrapper, 0, 0);
	ndisrt_ndis5_driver_entry(env.m, entry_bad_wrapper, &object, &d, err, sizeof(err));
}

static NTSTATUS entry_no_registration(PVOID driver_object, PVOID registry_path)
{
	NDIS_HANDLE w;

	NdisMInitializeWrapper(&w, driver_object, registry_path, NULL);
	NdisTerminateWrapper(w, NULL);
	return STATUS_SUCCESS;
}

Test(ndis5_driver, S14_9_driver_entry_without_registration_is_an_error, .init = env_1cpu,
     .fini = env_end)
{
	struct ndisrt_ndis5_driver *d = (void *)1;
	int object;
	char err[256];

	cr_assert_eq(
	    ndisrt_ndis5_driver_entry(e.m, entry_no_registration, &object, &d, err, sizeof(err)),
	    -1);
	cr_assert_null(d);
	cr_assert_not_null(strstr(err, "NdisMRegisterMiniport"), "%s", err);
	ndisrt_ndis5_driver_forget(&object);
}

/* --------------------------------------------- initialize: the medium */

static UINT pick_medium;

static NDIS_STATUS init_wrong_medium(PNDIS_STATUS open_error, PUINT medium, PNDIS_MEDIUM media,
				     UINT nmedia, NDIS_HANDLE handle, NDIS_HANDLE config)
{
	NDIS_STATUS s = t5_initialize(open_error, medium, media, nmedia, handle, config);

	*medium = pick_medium;
	return s;
}

static NTSTATUS entry_wrong_medium(PVOID driver_object, PVOID registry_path)
{
	NDIS_MINIPORT_CHARACTERISTICS c;
	NDIS_HANDLE w;

	NdisMInitializeWrapper(&w, driver_object, registry_path, NULL);
	valid_chars(&c, 5, 1);
	c.InitializeHandler = init_wrong_medium;
	c.DisableInterruptHandler = t5_disable;
	c.EnableInterruptHandler = t5_enable;
	return NdisMRegisterMiniport(w, &c, sizeof(c));
}

Test(ndis5_driver, S14_initialize_selecting_a_medium_not_offered_fails_the_start, .init = env_1cpu,
     .fini = env_end)
{
	struct ndisrt_ndis5_driver *d;
	struct ndisrt_ndis5_nic *n = NULL;
	struct ndisrt_ndis5_nic_config cfg;
	struct t5 t;
	int object;
	char err[256];

	cr_assert_eq(
	    ndisrt_ndis5_driver_entry(e.m, entry_wrong_medium, &object, &d, err, sizeof(err)), 0);
	t5_init(&t, 0);
	intc_source_init(&t.src, e.ic, e.line);
	cfg = (struct ndisrt_ndis5_nic_config){.m = e.m, .line = e.line};
	pick_medium = 1; /* only {NdisMedium802_3} is offered */
	t5_next = &t;
	cr_assert_eq(ndisrt_ndis5_nic_start(d, &cfg, &n, err, sizeof(err)), -1);
	cr_assert_null(n);
	cr_assert_not_null(strstr(err, "medium index 1"), "%s", err);
	/* The start halted the adapter it had initialized: the interrupt is gone. */
	cr_assert_eq(atomic_load(&t.running_halt), 0);
	t5_assert_good(&t);
	ndisrt_ndis5_driver_free(d);
}

/* ---------------------------------------------------- attributes */

static void set_attributes_now(void *arg)
{
	struct t5 *t = arg;

	NdisMSetAttributesEx(t->handle, t, 0, 0, NdisInterfacePci);
}

Test(ndis5_driver, S14_set_attributes_outside_initialize_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct t5 t;

	t5env_init(&env, 1, 0);
	t5_init(&t, 0);
	t5_start(&env, &t, 0);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_NOT_IN_INITIALIZE, 0, 0,
			NDISRT_NDIS5_DDI_SET_ATTRIBUTES);
	t5_on_vcpu(&env, 0, set_attributes_now, &t);
}

/* The NDIS 5 DDI on an adapter no NDIS 5 driver runs (an NDIS 6 one). */
static void attributes_on(void *arg)
{
	NdisMSetAttributesEx(arg, NULL, 0, 0, NdisInterfacePci);
}

Test(ndis5_driver, C2_ndis5_ddi_on_an_ndis6_adapter_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);
	struct ndisrt_adapter_config ac;
	struct ndisrt_adapter *a;

	ndisrt_adapter_config_init(&ac, NULL);
	a = ndisrt_adapter_create(m, &ac);
	cr_assert_not_null(a);
	expect_bugcheck(C4, 0xB, NDISRT_VIOLATION_NOT_NDIS5, (uintptr_t)ndisrt_adapter_handle(a), 0,
			NDISRT_NDIS5_DDI_SET_ATTRIBUTES);
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), attributes_on, ndisrt_adapter_handle(a)),
		     0);
}

/* -------------------------------------- MiniportSendPackets, completion */

static PNDIS_PACKET pended[64];
static atomic_uint nr_pended, sp_calls;
static NDIS_HANDLE sp_handle;
static KIRQL sp_irql;

/* Even packets complete at once (OOB status), odd ones are pended. */
static VOID send_packets(NDIS_HANDLE ctx, PPNDIS_PACKET packets, UINT count)
{
	(void)ctx;
	sp_irql = NDIS_CURRENT_IRQL();
	atomic_fetch_add(&sp_calls, 1);
	for (UINT i = 0; i < count; i++) {
		UINT len = 0;

		NdisQueryPacketLength(packets[i], &len);
		if (len % 2 == 0) {
			NDIS_SET_PACKET_STATUS(packets[i], NDIS_STATUS_SUCCESS);
		} else {
			NDIS_SET_PACKET_STATUS(packets[i], NDIS_STATUS_PENDING);
			pended[atomic_fetch_add(&nr_pended, 1)] = packets[i];
		}
	}
}

static NDIS_STATUS init_send_packets(PNDIS_STATUS open_error, PUINT medium, PNDIS_MEDIUM media,
				     UINT nmedia, NDIS_HANDLE handle, NDIS_HANDLE config)
{
	sp_handle = handle;
	return t5_initialize(open_error, medium, media, nmedia, handle, config);
}

static NTSTATUS entry_send_packets(PVOID driver_object, PVOID registry_path)
{
	NDIS_MINIPORT_CHARACTERISTICS c;
	NDIS_HANDLE w;

	NdisMInitializeWrapper(&w, driver_object, registry_path, NULL);
	valid_chars(&c, 5, 1);
	c.InitializeHandler = init_send_packets;
	c.SendHandler = NULL;
	c.SendPacketsHandler = send_packets;
	return NdisMRegisterMiniport(w, &c, sizeof(c));
}

static void complete_pended(void *arg)
{
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	for (unsigned i = 0; i < atomic_load(&nr_pended); i++)
		NdisMSendComplete(sp_handle, pended[i],
				  i == 0 ? NDIS_STATUS_FAILURE : NDIS_STATUS_SUCCESS);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

static void complete_first_again(void *arg)
{
	(void)arg;
	NdisMSendComplete(sp_handle, pended[0], NDIS_STATUS_SUCCESS);
}

static void send_packets_env(struct t5env *env, struct t5 *t, struct ndisrt_ndis5_driver **d)
{
	struct ndisrt_ndis5_nic_config cfg;
	static int object;
	char err[256];

	t5env_init(env, 2, 0);
	cr_assert_eq(
	    ndisrt_ndis5_driver_entry(env->m, entry_send_packets, &object, d, err, sizeof(err)), 0,
	    "%s", err);
	t5_init(t, 0);
	intc_source_init(&t->src, env->ic, env->line);
	cfg = (struct ndisrt_ndis5_nic_config){.m = env->m, .line = env->line};
	t5_next = t;
	cr_assert_eq(ndisrt_ndis5_nic_start(*d, &cfg, &t->nic, err, sizeof(err)), 0, "%s", err);
}

static void send_six(struct t5 *t)
{
	static uint8_t frame[128];
	const void *frames[6];
	size_t lens[6];

	for (unsigned i = 0; i < 6; i++) {
		frames[i] = frame;
		lens[i] = 60 + i; /* 60, 62, 64 complete at once; 61, 63, 65 pend */
	}
	cr_assert_eq(ndisrt_ndis5_nic_send(t->nic, 1, frames, lens, 6), 6);
}

Test(ndis5_driver, S14_send_packets_status_pending_and_ndismsendcomplete)
{
	struct t5env env;
	struct t5 t;
	struct ndisrt_ndis5_driver *d;
	struct ndisrt_ndis5_stats s;

	send_packets_env(&env, &t, &d);
	send_six(&t);
	cr_assert_eq(atomic_load(&sp_calls), 1, "one MiniportSendPackets call for the batch");
	cr_assert_eq(sp_irql, DISPATCH_LEVEL);
	cr_assert_eq(atomic_load(&nr_pended), 3);
	cr_assert_eq(ndisrt_ndis5_nic_sends_outstanding(t.nic), 3);
	t5_on_vcpu(&env, 0, complete_pended, NULL);
	cr_assert_eq(ndisrt_ndis5_nic_sends_outstanding(t.nic), 0);
	ndisrt_ndis5_nic_get_stats(t.nic, &s);
	cr_assert_eq(s.sent, 6);
	cr_assert_eq(s.send_completed, 5);
	cr_assert_eq(s.send_failed, 1);
	t5_stop(&t);
	ndisrt_ndis5_driver_free(d);
	t5_assert_good(&t);
	t5env_end(&env);
}

Test(ndis5_driver, H1_send_complete_of_a_packet_completed_already_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct t5 t;
	struct ndisrt_ndis5_driver *d;
	NDIS_PACKET *first;

	send_packets_env(&env, &t, &d);
	send_six(&t);
	first = pended[1];
	pended[1] = pended[0];
	pended[0] = first;
	atomic_store(&nr_pended, 1);
	t5_on_vcpu(&env, 0, complete_pended, NULL);
	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_SEND_COMPLETE, (uintptr_t)pended[0], 0, 0);
	t5_on_vcpu(&env, 0, complete_first_again, NULL);
}

/* The driver halts with three packets it pended and never gave back. */
Test(ndis5_driver, H1_halt_returning_with_sends_not_completed_is_0x7C_0x27,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct t5 t;
	struct ndisrt_ndis5_driver *d;

	send_packets_env(&env, &t, &d);
	send_six(&t);
	cr_assert_eq(ndisrt_ndis5_nic_sends_outstanding(t.nic), 3);
	/* NDIS_BUGCHECK_LEAKED_NBL, parameter 2 = 1 (the NBL tracker), 3 and 4 = 0. */
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0xF, NDISRT_VIOLATION_LEAKED_NBL, 1, 0, 0);
	t5_stop(&t);
	cr_assert_fail("a halt leaving sends with the driver did not bug check");
}

static void complete_pended_in_halt(struct t5 *t)
{
	(void)t;
	complete_pended(NULL);
}

/* Guard: packets still pended when NDIS calls MiniportHalt, given back inside it. */
Test(ndis5_driver, H1_sends_completed_inside_halt_are_not_a_leak)
{
	struct t5env env;
	struct t5 t;
	struct ndisrt_ndis5_driver *d;
	struct ndisrt_ndis5_stats s;

	send_packets_env(&env, &t, &d);
	send_six(&t);
	cr_assert_eq(ndisrt_ndis5_nic_sends_outstanding(t.nic), 3);
	t.in_halt = complete_pended_in_halt;
	ndisrt_ndis5_nic_get_stats(t.nic, &s);
	cr_assert_eq(s.send_completed, 3, "only the even packets completed before the halt");
	t5_stop(&t);
	ndisrt_ndis5_driver_free(d);
	t5_assert_good(&t);
	t5env_end(&env);
}

/* ------------------------------------------------------ OID requests */

static atomic_uint query_pended;
static NDIS_HANDLE query_handle;

static NDIS_STATUS query_pends(NDIS_HANDLE ctx, NDIS_OID oid, PVOID buf, ULONG len, PULONG written,
			       PULONG needed)
{
	(void)ctx, (void)oid, (void)len;
	*(ULONG *)buf = 0x5A5A;
	*written = sizeof(ULONG);
	*needed = 0;
	atomic_store(&query_pended, 1);
	return NDIS_STATUS_PENDING;
}

static NDIS_STATUS init_query(PNDIS_STATUS open_error, PUINT medium, PNDIS_MEDIUM media,
			      UINT nmedia, NDIS_HANDLE handle, NDIS_HANDLE config)
{
	query_handle = handle;
	return t5_initialize(open_error, medium, media, nmedia, handle, config);
}

static NTSTATUS entry_query(PVOID driver_object, PVOID registry_path)
{
	NDIS_MINIPORT_CHARACTERISTICS c;
	NDIS_HANDLE w;

	NdisMInitializeWrapper(&w, driver_object, registry_path, NULL);
	valid_chars(&c, 5, 1);
	c.InitializeHandler = init_query;
	c.QueryInformationHandler = query_pends;
	return NdisMRegisterMiniport(w, &c, sizeof(c));
}

static void complete_query(void *arg)
{
	(void)arg;
	NdisMQueryInformationComplete(query_handle, NDIS_STATUS_MULTICAST_FULL);
}

struct query_call {
	struct t5 *t;
	uint32_t status;
	ULONG value;
};

static void *query_thread(void *arg)
{
	struct query_call *q = arg;
	uint32_t done;

	q->status = ndisrt_ndis5_nic_query(q->t->nic, OID_GEN_VENDOR_ID, &q->value,
					   sizeof(q->value), &done);
	return NULL;
}

Test(ndis5_driver, S14_pended_query_completes_with_ndismqueryinformationcomplete, .init = env_2cpu,
     .fini = env_end)
{
	struct t5 t;
	struct ndisrt_ndis5_driver *d;
	struct ndisrt_ndis5_nic_config cfg;
	struct query_call q = {.t = &t};
	pthread_t th;
	int object;
	char err[256];

	cr_assert_eq(ndisrt_ndis5_driver_entry(e.m, entry_query, &object, &d, err, sizeof(err)), 0);
	t5_init(&t, 0);
	intc_source_init(&t.src, e.ic, e.line);
	cfg = (struct ndisrt_ndis5_nic_config){.m = e.m, .line = e.line};
	t5_next = &t;
	cr_assert_eq(ndisrt_ndis5_nic_start(d, &cfg, &t.nic, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(pthread_create(&th, NULL, query_thread, &q), 0);
	WAIT_UNTIL(atomic_load(&query_pended));
	t5_on_vcpu(&e, 1, complete_query, NULL);
	pthread_join(th, NULL);
	cr_assert_eq(q.status, (uint32_t)NDIS_STATUS_MULTICAST_FULL, "the completion's status");
	cr_assert_eq(q.value, 0x5A5A);
	t5_stop(&t);
	ndisrt_ndis5_driver_free(d);
}

static void complete_nothing(void *arg)
{
	(void)arg;
	NdisMSetInformationComplete(query_handle, NDIS_STATUS_SUCCESS);
}

Test(ndis5_driver, H1_request_completion_without_a_request_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct t5 t;
	struct ndisrt_ndis5_driver *d;
	struct ndisrt_ndis5_nic_config cfg;
	int object;
	char err[256];

	t5env_init(&env, 1, 0);
	cr_assert_eq(ndisrt_ndis5_driver_entry(env.m, entry_query, &object, &d, err, sizeof(err)),
		     0);
	t5_init(&t, 0);
	intc_source_init(&t.src, env.ic, env.line);
	cfg = (struct ndisrt_ndis5_nic_config){.m = env.m, .line = env.line};
	t5_next = &t;
	cr_assert_eq(ndisrt_ndis5_nic_start(d, &cfg, &t.nic, err, sizeof(err)), 0, "%s", err);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_UNEXPECTED_COMPLETE, 0, 0,
			NDISRT_NDIS5_DDI_HANDLER);
	t5_on_vcpu(&env, 0, complete_nothing, NULL);
}
