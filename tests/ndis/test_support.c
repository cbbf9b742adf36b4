/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_support.c - the support DDIs of <ndis/support.h>:
 * configuration, events, timers, work items, raw DPCs, time, debug, bug
 * checks and the error log, and the wdm.h inline routines; each with its
 * documented IRQL and failure behaviour.
 *
 * Driver-side code runs on vCPUs (ke_vcpu_call) and records what it saw;
 * the test's main thread asserts. Waits are on conditions, never sleeps.
 */
#define NDIS_WRAPPER 1
#include <ndis.h>

#include "tests/harness.h"

#include <errno.h>
#include <string.h>

#include "ndisrt/host.h"
#include "ndisrt/ndis.h"
#include "ndisrt/params.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION
#define DDI_CONFIG 0x401
#define DDI_EVENT 0x403
#define DDI_TIMER_OBJECT 0x405
#define DDI_WORK_ITEM 0x406

/* The machine every test below starts from (Criterion fixtures). */
static struct ke_machine *m;

static void machine_1cpu(void)
{
	m = harness_machine(1);
}

static void machine_2cpu(void)
{
	m = harness_machine(2);
}

static void machine_end(void)
{
	harness_end(m);
}

static NDIS_STRING kw(const WCHAR *s)
{
	NDIS_STRING k;
	USHORT n = 0;

	while (s[n])
		n++;
	k.Buffer = (PWSTR)(uintptr_t)s; /* UNICODE_STRING.Buffer is not const */
	k.Length = (USHORT)(n * sizeof(WCHAR));
	k.MaximumLength = (USHORT)(k.Length + sizeof(WCHAR));
	return k;
}

static const WCHAR W_SPEED[] = {'s', 'P', 'E', 'E', 'D', 0};
static const WCHAR W_HEX[] = {'M', 'a', 's', 'k', 0};
static const WCHAR W_NAME[] = {'N', 'a', 'm', 'e', 0};
static const WCHAR W_MISSING[] = {'M', 'i', 's', 's', 'i', 'n', 'g', 0};
static const WCHAR W_WRITTEN[] = {'W', 'r', 'i', 't', 't', 'e', 'n', 0};

/* --------------------------------------------------------- configuration */

struct config_run {
	NDIS_STATUS open, open5, speed_st, speed_str_st, hex_st, missing_st, name_int_st, name_st;
	NDIS_STATUS mac_st, write_st, written_st, bad_header;
	ULONG speed, hex, written;
	WCHAR speed_str[8];
	USHORT speed_str_len;
	char name[8];
	UCHAR mac[6];
	UINT mac_len;
};

static void config_on_vcpu(void *arg)
{
	struct config_run *r = arg;
	NDIS_CONFIGURATION_OBJECT co = {0};
	NDIS_CONFIGURATION_PARAMETER wp = {0};
	PNDIS_CONFIGURATION_PARAMETER p;
	NDIS_HANDLE h = NULL, h5 = NULL, bad = (NDIS_HANDLE)1;
	NDIS_STRING k;
	PVOID mac;

	co.Header.Type = NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT;
	co.Header.Revision = NDIS_CONFIGURATION_OBJECT_REVISION_1;
	co.Header.Size = NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1;
	co.NdisHandle = (NDIS_HANDLE)0x1234;
	r->open = NdisOpenConfigurationEx(&co, &h);

	k = kw(W_SPEED);
	NdisReadConfiguration(&r->speed_st, &p, h, &k, NdisParameterInteger);
	if (r->speed_st == NDIS_STATUS_SUCCESS)
		r->speed = p->ParameterData.IntegerData;
	NdisReadConfiguration(&r->speed_str_st, &p, h, &k, NdisParameterString);
	if (r->speed_str_st == NDIS_STATUS_SUCCESS) {
		r->speed_str_len = p->ParameterData.StringData.Length;
		memcpy(r->speed_str, p->ParameterData.StringData.Buffer, r->speed_str_len);
	}
	k = kw(W_HEX);
	NdisReadConfiguration(&r->hex_st, &p, h, &k, NdisParameterHexInteger);
	if (r->hex_st == NDIS_STATUS_SUCCESS)
		r->hex = p->ParameterData.IntegerData;
	k = kw(W_MISSING);
	NdisReadConfiguration(&r->missing_st, &p, h, &k, NdisParameterInteger);
	k = kw(W_NAME);
	NdisReadConfiguration(&r->name_int_st, &p, h, &k, NdisParameterInteger);
	NdisReadConfiguration(&r->name_st, &p, h, &k, NdisParameterString);
	if (r->name_st == NDIS_STATUS_SUCCESS)
		for (unsigned i = 0; i < p->ParameterData.StringData.Length / 2 && i < 7; i++)
			r->name[i] = (char)p->ParameterData.StringData.Buffer[i];
	NdisReadNetworkAddress(&r->mac_st, &mac, &r->mac_len, h);
	if (r->mac_st == NDIS_STATUS_SUCCESS)
		memcpy(r->mac, mac, 6);
	k = kw(W_WRITTEN);
	wp.ParameterType = NdisParameterInteger;
	wp.ParameterData.IntegerData = 4242;
	NdisWriteConfiguration(&r->write_st, h, &k, &wp);
	NdisReadConfiguration(&r->written_st, &p, h, &k, NdisParameterInteger);
	if (r->written_st == NDIS_STATUS_SUCCESS)
		r->written = p->ParameterData.IntegerData;
	NdisCloseConfiguration(h);

	NdisOpenConfiguration(&r->open5, &h5, (NDIS_HANDLE)0x5555);
	if (r->open5 == NDIS_STATUS_SUCCESS)
		NdisCloseConfiguration(h5);
	co.Header.Type = 0x80;
	r->bad_header = NdisOpenConfigurationEx(&co, &bad);
	if (bad != NULL)
		r->bad_header = 12345;
}

Test(ndis_support, config_reads_what_the_host_set_typed_as_the_driver_asks, .init = machine_1cpu,
     .fini = machine_end)
{
	static struct config_run r;
	char buf[16];

	cr_assert_eq(ndisrt_param_parse("Speed=100"), 0);
	cr_assert_eq(ndisrt_param_set("Mask", "ff"), 0);
	cr_assert_eq(ndisrt_param_set("Name", "abc"), 0);
	cr_assert_eq(ndisrt_param_parse("NetworkAddress=02-11-22-33-44-5F"), 0);
	cr_assert_eq(ndisrt_param_parse("NoEquals"), -EINVAL);
	cr_assert_eq(ndisrt_param_parse("=1"), -EINVAL);
	cr_assert_eq(ndisrt_param_set("Bad Name", "1"), -EINVAL);
	cr_assert_eq(ndisrt_param_set("Ctl", "a\nb"), -EINVAL);
	cr_assert_eq(ndisrt_param_get("speed", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "100");
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), config_on_vcpu, &r), 0);
	cr_assert_eq(r.open, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.speed_st, NDIS_STATUS_SUCCESS, "keywords match case-insensitively");
	cr_assert_eq(r.speed, 100);
	cr_assert_eq(r.speed_str_st, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.speed_str_len, 6);
	cr_assert(r.speed_str[0] == '1' && r.speed_str[1] == '0' && r.speed_str[2] == '0');
	cr_assert_eq(r.hex_st, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.hex, 0xFF);
	cr_assert_eq(r.missing_st, NDIS_STATUS_FAILURE, "a keyword not set fails");
	cr_assert_eq(r.name_int_st, NDIS_STATUS_FAILURE, "text read as an integer fails");
	cr_assert_eq(r.name_st, NDIS_STATUS_SUCCESS);
	cr_assert_str_eq(r.name, "abc");
	cr_assert_eq(r.mac_st, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.mac_len, 6);
	cr_assert(r.mac[0] == 0x02 && r.mac[1] == 0x11 && r.mac[5] == 0x5F);
	cr_assert_eq(r.write_st, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.written_st, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.written, 4242);
	cr_assert_eq(r.open5, NDIS_STATUS_SUCCESS, "NDIS 5 NdisOpenConfiguration");
	cr_assert_eq(r.bad_header, NDIS_STATUS_INVALID_PARAMETER);
	cr_assert_eq(ndisrt_param_get("Written", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "4242");
	ndisrt_params_clear();
	cr_assert_eq(ndisrt_param_get("Speed", buf, sizeof(buf)), -ENOENT);
}

static void close_twice(void *arg)
{
	NDIS_STATUS st;
	NDIS_HANDLE h;

	(void)arg;
	NdisOpenConfiguration(&st, &h, (NDIS_HANDLE)0x5555);
	NdisCloseConfiguration(h);
	NdisCloseConfiguration(h);
}

Test(ndis_support, config_closed_twice_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_BAD_OBJECT, 0, 0, DDI_CONFIG);
	ke_vcpu_call(ke_machine_vcpu(m, 0), close_twice, NULL);
	cr_assert_fail("no bug check");
}

static void read_at_dispatch(void *arg)
{
	NDIS_CONFIGURATION_PARAMETER *p;
	NDIS_STATUS st;
	NDIS_STRING k = kw(W_SPEED);
	NDIS_HANDLE h;

	(void)arg;
	NdisOpenConfiguration(&st, &h, (NDIS_HANDLE)0x5555);
	ke_irql_raise(DISPATCH_LEVEL);
	NdisReadConfiguration(&st, &p, h, &k, NdisParameterInteger);
}

Test(ndis_support, config_read_at_dispatch_level_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, DISPATCH_LEVEL, NDISRT_IRQL_RANGE(0, 0),
			DDI_CONFIG);
	ke_vcpu_call(ke_machine_vcpu(m, 0), read_at_dispatch, NULL);
	cr_assert_fail("no bug check");
}

/* ----------------------------------------------------- events, work items */

struct event_run {
	NDIS_EVENT ev;
	BOOLEAN waited, timed_out;
	atomic_uint work_irql, work_vcpu, work_runs;
	NDIS_HANDLE item;
};

static void io_work(PVOID ctx, NDIS_HANDLE item)
{
	struct event_run *r = ctx;

	atomic_store(&r->work_irql, KeGetCurrentIrql());
	atomic_store(&r->work_vcpu, ke_current_number());
	atomic_fetch_add(&r->work_runs, 1);
	NdisFreeIoWorkItem(item); /* its own routine may free it */
	NdisSetEvent(&r->ev);
}

static void wait_on_vcpu(void *arg)
{
	struct event_run *r = arg;
	NDIS_EVENT never;

	NdisInitializeEvent(&r->ev);
	r->item = NdisAllocateIoWorkItem((NDIS_HANDLE)0x1234);
	NdisQueueIoWorkItem(r->item, io_work, r);
	r->waited = NdisWaitEvent(&r->ev, 0);
	NdisInitializeEvent(&never);
	r->timed_out = NdisWaitEvent(&never, 5);
}

Test(ndis_support, event_set_by_a_work_item_ends_the_wait_and_a_timeout_returns_false,
     .init = machine_2cpu, .fini = machine_end)
{
	static struct event_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), wait_on_vcpu, &r), 0);
	cr_assert_eq(r.waited, TRUE);
	cr_assert_eq(r.timed_out, FALSE);
	cr_assert_eq(atomic_load(&r.work_runs), 1);
	cr_assert_eq(atomic_load(&r.work_irql), PASSIVE_LEVEL, "work items run at PASSIVE_LEVEL");
	cr_assert_eq(atomic_load(&r.work_vcpu), 1, "on the next vCPU, not the waiting one");
}

static void wait_at_dispatch(void *arg)
{
	NDIS_EVENT ev;

	(void)arg;
	NdisInitializeEvent(&ev);
	ke_irql_raise(DISPATCH_LEVEL);
	NdisWaitEvent(&ev, 1);
}

Test(ndis_support, event_wait_above_passive_bugchecks_0x7c_0x14,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_1cpu)
{
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0x3, 0x14, DISPATCH_LEVEL, 0, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), wait_at_dispatch, NULL);
	cr_assert_fail("no bug check");
}

static void set_uninitialized(void *arg)
{
	static NDIS_EVENT ev; /* zeroed, never initialized */

	(void)arg;
	NdisSetEvent(&ev);
}

Test(ndis_support, event_never_initialized_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_BAD_OBJECT, 0, 0, DDI_EVENT);
	ke_vcpu_call(ke_machine_vcpu(m, 0), set_uninitialized, NULL);
	cr_assert_fail("no bug check");
}

struct wi5_run {
	NDIS_WORK_ITEM wi;
	atomic_uint runs, irql;
	NDIS_STATUS st;
};

static VOID wi5_routine(PNDIS_WORK_ITEM wi, PVOID ctx)
{
	struct wi5_run *r = ctx;

	(void)wi;
	atomic_store(&r->irql, KeGetCurrentIrql());
	atomic_fetch_add(&r->runs, 1);
}

static void schedule5(void *arg)
{
	struct wi5_run *r = arg;
	KIRQL old;

	NdisInitializeWorkItem(&r->wi, wi5_routine, r);
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	r->st = NdisScheduleWorkItem(&r->wi);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis_support, ndis5_work_item_scheduled_at_dispatch_runs_once_at_passive, .init = machine_2cpu)
{
	static struct wi5_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), schedule5, &r), 0);
	cr_assert_eq(r.st, NDIS_STATUS_SUCCESS);
	WAIT_UNTIL(atomic_load(&r.runs) == 1);
	cr_assert_eq(atomic_load(&r.irql), PASSIVE_LEVEL);
	harness_end(m);
	cr_assert_eq(atomic_load(&r.runs), 1);
}

static void schedule5_twice(void *arg)
{
	struct wi5_run *r = arg;
	KIRQL old;

	NdisInitializeWorkItem(&r->wi, wi5_routine, r);
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	/* One vCPU at DISPATCH_LEVEL: the first cannot have run yet. */
	NdisScheduleWorkItem(&r->wi);
	NdisScheduleWorkItem(&r->wi);
}

Test(ndis_support, ndis5_work_item_scheduled_twice_before_it_ran_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_1cpu)
{
	static struct wi5_run r;

	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_BAD_OBJECT, 0, 0, DDI_WORK_ITEM);
	ke_vcpu_call(ke_machine_vcpu(m, 0), schedule5_twice, &r);
	cr_assert_fail("no bug check");
}

static void io_nothing(PVOID ctx, NDIS_HANDLE item)
{
	(void)ctx;
	(void)item;
}

static void free_queued(void *arg)
{
	NDIS_HANDLE item = NdisAllocateIoWorkItem((NDIS_HANDLE)0x1234);
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisQueueIoWorkItem(item, io_nothing, NULL);
	NdisFreeIoWorkItem(item);
}

Test(ndis_support, io_work_item_freed_while_queued_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_BAD_OBJECT, 0, 1, DDI_WORK_ITEM);
	ke_vcpu_call(ke_machine_vcpu(m, 0), free_queued, NULL);
	cr_assert_fail("no bug check");
}

/* ----------------------------------------------------------------- timers */

struct timer_run {
	NDIS_MINIPORT_TIMER t5;
	NDIS_HANDLE t6;
	atomic_uint fired, bad_irql, last_vcpu;
	BOOLEAN cancelled, cancelled_again, set_again;
	NDIS_STATUS alloc;
};

static VOID timer_fn(PVOID s1, PVOID ctx, PVOID s2, PVOID s3)
{
	struct timer_run *r = ctx;

	(void)s1;
	(void)s2;
	(void)s3;
	if (KeGetCurrentIrql() != DISPATCH_LEVEL)
		atomic_fetch_add(&r->bad_irql, 1);
	atomic_store(&r->last_vcpu, ke_current_number());
	atomic_fetch_add(&r->fired, 1);
}

static void periodic_start(void *arg)
{
	struct timer_run *r = arg;

	NdisMInitializeTimer(&r->t5, (NDIS_HANDLE)0x1234, timer_fn, r);
	NdisMSetPeriodicTimer(&r->t5, 1);
}

static void periodic_cancel(void *arg)
{
	struct timer_run *r = arg;

	NdisMCancelTimer(&r->t5, &r->cancelled);
	NdisMCancelTimer(&r->t5, &r->cancelled_again);
}

Test(ndis_support, ndis5_periodic_timer_runs_at_dispatch_on_its_vcpu_until_cancelled,
     .init = machine_2cpu, .fini = machine_end)
{
	static struct timer_run r;
	unsigned after;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 1), periodic_start, &r), 0);
	WAIT_UNTIL(atomic_load(&r.fired) >= 3);
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 1), periodic_cancel, &r), 0);
	cr_assert_eq(r.cancelled, TRUE, "a periodic timer is set until cancelled");
	cr_assert_eq(r.cancelled_again, FALSE);
	cr_assert_eq(atomic_load(&r.bad_irql), 0, "timer functions run at DISPATCH_LEVEL");
	cr_assert_eq(atomic_load(&r.last_vcpu), 1, "on the vCPU that set the timer");
	after = atomic_load(&r.fired);
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	cr_assert_eq(atomic_load(&r.fired), after, "no run after the cancel returned");
}

static void oneshot_start(void *arg)
{
	struct timer_run *r = arg;

	NdisMInitializeTimer(&r->t5, (NDIS_HANDLE)0x1234, timer_fn, r);
	NdisMSetTimer(&r->t5, 1);
}

static void oneshot_cancel(void *arg)
{
	struct timer_run *r = arg;

	NdisMCancelTimer(&r->t5, &r->cancelled);
}

Test(ndis_support, ndis5_one_shot_timer_fires_once_then_cancel_reports_false, .init = machine_1cpu)
{
	static struct timer_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), oneshot_start, &r), 0);
	WAIT_UNTIL(atomic_load(&r.fired) == 1);
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), oneshot_cancel, &r), 0);
	cr_assert_eq(r.cancelled, FALSE, "it already fired");
	harness_end(m);
	cr_assert_eq(atomic_load(&r.fired), 1);
}

static void object_start(void *arg)
{
	struct timer_run *r = arg;
	NDIS_TIMER_CHARACTERISTICS tc = {0};
	LARGE_INTEGER due;

	tc.Header.Type = NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS;
	tc.Header.Revision = NDIS_TIMER_CHARACTERISTICS_REVISION_1;
	tc.Header.Size = NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1;
	tc.TimerFunction = timer_fn;
	tc.FunctionContext = r;
	r->alloc = NdisAllocateTimerObject((NDIS_HANDLE)0x1234, &tc, &r->t6);
	due.QuadPart = -10000; /* 1 ms */
	r->set_again = NdisSetTimerObject(r->t6, due, 1, NULL);
}

static void object_stop(void *arg)
{
	struct timer_run *r = arg;

	r->cancelled = NdisCancelTimerObject(r->t6);
	r->cancelled_again = NdisCancelTimerObject(r->t6);
	NdisFreeTimerObject(r->t6);
}

Test(ndis_support, ndis6_timer_object_periodic_until_cancelled_then_freed, .init = machine_2cpu,
     .fini = machine_end)
{
	static struct timer_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), object_start, &r), 0);
	cr_assert_eq(r.alloc, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.set_again, FALSE, "it was not set before");
	WAIT_UNTIL(atomic_load(&r.fired) >= 2);
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), object_stop, &r), 0);
	cr_assert_eq(r.cancelled, TRUE);
	cr_assert_eq(r.cancelled_again, FALSE);
	cr_assert_eq(atomic_load(&r.bad_irql), 0);
	cr_assert_eq(atomic_load(&r.last_vcpu), 0);
}

static void object_free_twice(void *arg)
{
	struct timer_run *r = arg;
	NDIS_TIMER_CHARACTERISTICS tc = {0};

	tc.Header.Type = NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS;
	tc.Header.Revision = NDIS_TIMER_CHARACTERISTICS_REVISION_1;
	tc.Header.Size = NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1;
	tc.TimerFunction = timer_fn;
	NdisAllocateTimerObject((NDIS_HANDLE)0x1234, &tc, &r->t6);
	NdisFreeTimerObject(r->t6);
	NdisFreeTimerObject(r->t6);
}

Test(ndis_support, ndis6_timer_object_freed_twice_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	static struct timer_run r;

	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_DOUBLE_FREE, 0, 0, DDI_TIMER_OBJECT);
	ke_vcpu_call(ke_machine_vcpu(m, 0), object_free_twice, &r);
	cr_assert_fail("no bug check");
}

static void object_bad_header(void *arg)
{
	struct timer_run *r = arg;
	NDIS_TIMER_CHARACTERISTICS tc = {0};

	tc.TimerFunction = timer_fn;
	r->alloc = NdisAllocateTimerObject((NDIS_HANDLE)0x1234, &tc, &r->t6);
}

Test(ndis_support, ndis6_timer_object_with_a_bad_header_is_invalid_parameter, .init = machine_1cpu,
     .fini = machine_end)
{
	static struct timer_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), object_bad_header, &r), 0);
	cr_assert_eq(r.alloc, NDIS_STATUS_INVALID_PARAMETER);
	cr_assert_null(r.t6);
}

/* -------------------------------------------------------------- raw DPCs */

struct kdpc_run {
	KDPC dpc;
	atomic_uint ran, vcpu, irql;
	atomic_uintptr_t a1, a2;
	NTSTATUS bad_group, bad_number, good;
	BOOLEAN inserted;
	atomic_uint flushed_saw;
	atomic_uint release;
};

static VOID kdpc_fn(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
	struct kdpc_run *r = ctx;

	(void)dpc;
	atomic_store(&r->vcpu, ke_current_number());
	atomic_store(&r->irql, KeGetCurrentIrql());
	atomic_store(&r->a1, (uintptr_t)a1);
	atomic_store(&r->a2, (uintptr_t)a2);
	/* Hold the target vCPU until the flusher is waiting. */
	SPIN_UNTIL(atomic_load(&r->release));
	atomic_store(&r->ran, 1);
}

static void kdpc_queue_and_flush(void *arg)
{
	struct kdpc_run *r = arg;
	PROCESSOR_NUMBER pn = {0};

	KeInitializeDpc(&r->dpc, kdpc_fn, r);
	pn.Group = 1;
	r->bad_group = KeSetTargetProcessorDpcEx(&r->dpc, &pn);
	pn.Group = 0;
	pn.Number = 7;
	r->bad_number = KeSetTargetProcessorDpcEx(&r->dpc, &pn);
	pn.Number = 1;
	r->good = KeSetTargetProcessorDpcEx(&r->dpc, &pn);
	r->inserted = KeInsertQueueDpc(&r->dpc, (PVOID)0x11, (PVOID)0x22);
	atomic_store(&r->release, 1);
	KeFlushQueuedDpcs();
	atomic_store(&r->flushed_saw, atomic_load(&r->ran));
}

Test(ndis_support, kdpc_runs_on_its_target_at_dispatch_and_flush_waits_for_it, .init = machine_2cpu,
     .fini = machine_end)
{
	static struct kdpc_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), kdpc_queue_and_flush, &r), 0);
	cr_assert_eq(r.bad_group, STATUS_INVALID_PARAMETER);
	cr_assert_eq(r.bad_number, STATUS_INVALID_PARAMETER);
	cr_assert_eq(r.good, STATUS_SUCCESS);
	cr_assert_eq(r.inserted, TRUE);
	cr_assert_eq(atomic_load(&r.flushed_saw), 1,
		     "KeFlushQueuedDpcs returned before the DPC ran");
	cr_assert_eq(atomic_load(&r.vcpu), 1);
	cr_assert_eq(atomic_load(&r.irql), DISPATCH_LEVEL);
	cr_assert_eq(atomic_load(&r.a1), 0x11);
	cr_assert_eq(atomic_load(&r.a2), 0x22);
}

/* --------------------------------------------- time, sleep, debug, error log */

struct time_run {
	LARGE_INTEGER t0, t1;
	uint64_t c0, c1;
	ULONG up;
};

static void sleep_on_vcpu(void *arg)
{
	struct time_run *r = arg;

	NdisGetCurrentSystemTime(&r->t0);
	r->c0 = ke_clock_ns(ke_current_machine());
	NdisMSleep(2000);
	r->c1 = ke_clock_ns(ke_current_machine());
	NdisGetCurrentSystemTime(&r->t1);
	NdisGetSystemUpTime(&r->up);
}

Test(ndis_support, sleep_lasts_at_least_its_interval_on_the_engine_clock, .init = machine_1cpu,
     .fini = machine_end)
{
	static struct time_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), sleep_on_vcpu, &r), 0);
	cr_assert_geq(r.c1 - r.c0, 2000000ull, "NdisMSleep(2000) returned early");
	cr_assert_geq(r.t1.QuadPart - r.t0.QuadPart, 20000ll, "system time follows the clock");
	cr_assert_geq(r.t0.QuadPart, 134116992000000000ll, "system time starts at 2026-01-01");
}

static void sleep_at_dispatch(void *arg)
{
	(void)arg;
	ke_irql_raise(DISPATCH_LEVEL);
	NdisMSleep(1);
}

Test(ndis_support, sleep_at_dispatch_level_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, DISPATCH_LEVEL, NDISRT_IRQL_RANGE(0, 1),
			0x402);
	ke_vcpu_call(ke_machine_vcpu(m, 0), sleep_at_dispatch, NULL);
	cr_assert_fail("no bug check");
}

static void break_point(void *arg)
{
	(void)arg;
	DbgPrint("about to break (%d)\n", 1);
	DbgBreakPoint();
}

Test(ndis_support, breakpoint_without_debugger_bugchecks_0x1e, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(KE_BUGCHECK_KMODE_EXCEPTION_NOT_HANDLED, 0x1, 0x80000003u, 0, 0, 0);
	ke_vcpu_call(ke_machine_vcpu(m, 0), break_point, NULL);
	cr_assert_fail("no bug check");
}

static void driver_bugcheck(void *arg)
{
	(void)arg;
	KeBugCheckEx(0xE2, 1, 2, 3, 4);
}

Test(ndis_support, kebugcheckex_stops_with_the_drivers_code, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(0xE2, 0xF, 1, 2, 3, 4);
	ke_vcpu_call(ke_machine_vcpu(m, 0), driver_bugcheck, NULL);
	cr_assert_fail("no bug check");
}

static void log_error(void *arg)
{
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisWriteErrorLogEntry((NDIS_HANDLE)0x1234, NDIS_ERROR_CODE_HARDWARE_FAILURE, 2, 0xAAu,
			       0xBBu);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis_support, error_log_entries_reach_the_host, .init = machine_1cpu, .fini = machine_end)
{
	struct ndisrt_error_log_entry e;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), log_error, NULL), 0);
	cr_assert_eq(ndisrt_error_log_count(), 1);
	cr_assert_eq(ndisrt_error_log_get(0, &e), 0);
	cr_assert_eq(e.code, NDIS_ERROR_CODE_HARDWARE_FAILURE);
	cr_assert_eq(e.nr_values, 2);
	cr_assert_eq(e.values[0], 0xAA);
	cr_assert_eq(e.values[1], 0xBB);
	cr_assert_eq(e.adapter, (void *)0x1234);
	cr_assert_eq(ndisrt_error_log_get(1, &e), -ENOENT);
}

/* -------------------------------------------- wdm.h inline routines, macros */

struct node {
	ULONG value;
	LIST_ENTRY link;
	SINGLE_LIST_ENTRY slink;
};

Test(ndis_support, list_routines_and_interlocked_family_behave_as_wdm_documents)
{
	LIST_ENTRY head;
	SINGLE_LIST_ENTRY shead = {NULL};
	struct node n[3] = {{1, {0}, {0}}, {2, {0}, {0}}, {3, {0}, {0}}};
	LONG volatile l = 5;
	LONG64 volatile l64 = 1;
	PVOID volatile p = NULL;
	ULONG volatile u = 10;

	InitializeListHead(&head);
	cr_assert(IsListEmpty(&head));
	InsertTailList(&head, &n[1].link);
	InsertHeadList(&head, &n[0].link);
	InsertTailList(&head, &n[2].link);
	cr_assert_eq(CONTAINING_RECORD(head.Flink, struct node, link)->value, 1);
	cr_assert_eq(CONTAINING_RECORD(head.Blink, struct node, link)->value, 3);
	cr_assert_eq(CONTAINING_RECORD(RemoveTailList(&head), struct node, link)->value, 3);
	cr_assert_eq(RemoveEntryList(&n[0].link), FALSE, "one entry left");
	cr_assert_eq(CONTAINING_RECORD(RemoveHeadList(&head), struct node, link)->value, 2);
	cr_assert(IsListEmpty(&head));
	PushEntryList(&shead, &n[0].slink);
	PushEntryList(&shead, &n[1].slink);
	cr_assert_eq(CONTAINING_RECORD(PopEntryList(&shead), struct node, slink)->value, 2);
	cr_assert_eq(CONTAINING_RECORD(PopEntryList(&shead), struct node, slink)->value, 1);
	cr_assert_null(PopEntryList(&shead));

	cr_assert_eq(InterlockedIncrement(&l), 6, "new value");
	cr_assert_eq(InterlockedExchangeAdd(&l, 4), 6, "old value");
	cr_assert_eq(InterlockedCompareExchange(&l, 0, 99), 10, "no exchange: returns current");
	cr_assert_eq(l, 10);
	cr_assert_eq(_InterlockedCompareExchange(&l, 7, 10), 10);
	cr_assert_eq(l, 7);
	cr_assert_eq(NdisInterlockedDecrement(&l), 6);
	cr_assert_eq(NdisInterlockedAddUlong(&u, 5, NULL), 10, "old value");
	cr_assert_eq(u, 15);
	cr_assert_eq(InterlockedIncrement64(&l64), 2);
	cr_assert_eq(InterlockedCompareExchange64(&l64, 9, 2), 2);
	cr_assert_eq(l64, 9);
	cr_assert_null(InterlockedCompareExchangePointer(&p, (PVOID)(uintptr_t)&l, NULL));
	cr_assert_eq(InterlockedExchangePointer(&p, NULL), (PVOID)(uintptr_t)&l);
	cr_assert_eq(ARRAYSIZE(n), 3);
	cr_assert_eq(FIELD_OFFSET(struct node, link), 8);
}

/* ------------------------------------------- locked lists, SLISTs, lookasides */

struct lists_run {
	NDIS_SPIN_LOCK lock;
	LIST_ENTRY head;
	struct node n[2];
	PLIST_ENTRY first_insert, second_insert, removed, removed_empty;
	DECLSPEC_ALIGN(16) SLIST_HEADER sh;
	DECLSPEC_ALIGN(16) SINGLE_LIST_ENTRY se[2];
	USHORT depth2, depth0;
	PSINGLE_LIST_ENTRY popped, popped_empty;
	NPAGED_LOOKASIDE_LIST la;
	PVOID a, b, c;
	ULONG misses, allocates;
};

static void lists_on_vcpu(void *arg)
{
	struct lists_run *r = arg;
	KIRQL old;

	NdisAllocateSpinLock(&r->lock);
	NdisInitializeListHead(&r->head);
	r->first_insert = NdisInterlockedInsertTailList(&r->head, &r->n[0].link, &r->lock);
	r->second_insert = NdisInterlockedInsertHeadList(&r->head, &r->n[1].link, &r->lock);
	r->removed = NdisInterlockedRemoveHeadList(&r->head, &r->lock);
	NdisInterlockedRemoveHeadList(&r->head, &r->lock);
	r->removed_empty = NdisInterlockedRemoveHeadList(&r->head, &r->lock);
	NdisFreeSpinLock(&r->lock);

	NdisInitializeSListHead(&r->sh);
	NdisInterlockedPushEntrySList(&r->sh, &r->se[0], NULL);
	NdisInterlockedPushEntrySList(&r->sh, &r->se[1], NULL);
	r->depth2 = NdisQueryDepthSList(&r->sh);
	r->popped = NdisInterlockedPopEntrySList(&r->sh, NULL);
	NdisInterlockedPopEntrySList(&r->sh, NULL);
	r->popped_empty = NdisInterlockedPopEntrySList(&r->sh, NULL);
	r->depth0 = NdisQueryDepthSList(&r->sh);

	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisInitializeNPagedLookasideList(&r->la, NULL, NULL, 0, 100, 0x74736554, 0);
	r->a = NdisAllocateFromNPagedLookasideList(&r->la);
	NdisFreeToNPagedLookasideList(&r->la, r->a);
	r->b = NdisAllocateFromNPagedLookasideList(&r->la); /* the entry just freed */
	r->c = NdisAllocateFromNPagedLookasideList(&r->la);
	r->misses = r->la.L.AllocateMisses;
	r->allocates = r->la.L.TotalAllocates;
	NdisFreeToNPagedLookasideList(&r->la, r->b);
	NdisFreeToNPagedLookasideList(&r->la, r->c);
	NdisDeleteNPagedLookasideList(&r->la);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis_support, locked_lists_slists_and_lookasides_behave_as_documented, .init = machine_1cpu,
     .fini = machine_end)
{
	static struct lists_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), lists_on_vcpu, &r), 0);
	cr_assert_null(r.first_insert, "the list was empty");
	cr_assert_eq(r.second_insert, &r.n[0].link, "returns the entry that was first");
	cr_assert_eq(r.removed, &r.n[1].link);
	cr_assert_null(r.removed_empty);
	cr_assert_eq(r.depth2, 2);
	cr_assert_eq(r.popped, &r.se[1], "last in, first out");
	cr_assert_null(r.popped_empty);
	cr_assert_eq(r.depth0, 0);
	cr_assert_not_null(r.a);
	cr_assert_eq(r.b, r.a, "a freed entry is reused");
	cr_assert_not_null(r.c);
	cr_assert_neq(r.c, r.a);
	cr_assert_eq(r.allocates, 3);
	cr_assert_eq(r.misses, 2);
}

static void lookaside_uninitialized(void *arg)
{
	static NPAGED_LOOKASIDE_LIST la;

	(void)arg;
	NdisAllocateFromNPagedLookasideList(&la);
}

Test(ndis_support, lookaside_never_initialized_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_BAD_OBJECT, 0, 0, 0x409);
	ke_vcpu_call(ke_machine_vcpu(m, 0), lookaside_uninitialized, NULL);
	cr_assert_fail("no bug check");
}

Test(ndis_support, ethernet_and_ndis5_buffer_macros)
{
	UCHAR bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, mc[6] = {0x01, 0, 0x5e, 0, 0, 1};
	UCHAR uc[6] = {0x02, 0, 0, 0, 0, 1};
	UCHAR data[100];
	NDIS_BUFFER b = {0};
	UINT off, len, pages;
	int res;

	cr_assert(ETH_IS_BROADCAST(bc) && ETH_IS_MULTICAST(bc));
	cr_assert(!ETH_IS_BROADCAST(mc) && ETH_IS_MULTICAST(mc));
	cr_assert(!ETH_IS_MULTICAST(uc));
	ETH_COMPARE_NETWORK_ADDRESSES_EQ(uc, uc, &res);
	cr_assert_eq(res, 0);
	ETH_COMPARE_NETWORK_ADDRESSES_EQ(uc, mc, &res);
	cr_assert_neq(res, 0);
	b.MappedSystemVa = data;
	b.ByteOffset = 5;
	b.ByteCount = sizeof(data);
	NdisAdjustBufferLength(&b, 60);
	cr_assert_eq(NdisBufferLength(&b), 60, "NdisAdjustBufferLength writes ByteCount");
	NdisQueryBufferOffset(&b, &off, &len);
	cr_assert(off == 5 && len == 60);
	NdisGetBufferPhysicalArraySize(&b, &pages);
	cr_assert(pages >= 1 && pages <= 2);
	NdisAdjustMdlLength(&b, 10);
	cr_assert_eq(b.ByteCount, 10);
}

/* --------------------------------------------- NDIS 5 packet and buffer pools */

struct pool_run {
	NDIS_STATUS st_pool, st_bpool, st_p1, st_p2, st_p3, st_b1, st_b2;
	NDIS_HANDLE pool, bpool;
	PNDIS_PACKET p1, p2, p3;
	PNDIS_BUFFER b1, b2, first, un_front, un_back;
	UINT usage, phys, count, total, usage_after;
	UCHAR d1[60], d2[40];
	NDIS_STATUS oob_status;
	UINT hdr;
};

static void pools_on_vcpu(void *arg)
{
	struct pool_run *r = arg;
	KIRQL old;

	NdisAllocatePacketPool(&r->st_pool, &r->pool, 2, 16);
	NdisAllocateBufferPool(&r->st_bpool, &r->bpool, 4);
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisDprAllocatePacket(&r->st_p1, &r->p1, r->pool);
	NdisAllocatePacket(&r->st_p2, &r->p2, r->pool);
	NdisAllocatePacket(&r->st_p3, &r->p3, r->pool); /* the pool has two */
	r->usage = NdisPacketPoolUsage(r->pool);
	NdisAllocateBuffer(&r->st_b1, &r->b1, r->bpool, r->d1, sizeof(r->d1));
	NdisAllocateBuffer(&r->st_b2, &r->b2, r->bpool, r->d2, sizeof(r->d2));
	NdisChainBufferAtBack(r->p1, r->b2);
	NdisChainBufferAtFront(r->p1, r->b1);
	NdisQueryPacket(r->p1, &r->phys, &r->count, &r->first, &r->total);
	r->oob_status = NDIS_GET_PACKET_STATUS(r->p1);
	NDIS_SET_PACKET_HEADER_SIZE(r->p1, 14);
	r->hdr = NDIS_GET_PACKET_HEADER_SIZE(r->p1);
	r->p1->ProtocolReserved[15] = 0xAB; /* the reserved area the pool was asked for */
	NdisUnchainBufferAtBack(r->p1, &r->un_back);
	NdisUnchainBufferAtFront(r->p1, &r->un_front);
	NdisFreeBuffer(r->b1);
	NdisFreeBuffer(r->b2);
	NdisDprFreePacket(r->p1);
	NdisFreePacket(r->p2);
	r->usage_after = NdisPacketPoolUsage(r->pool);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
	NdisFreeBufferPool(r->bpool);
	NdisFreePacketPool(r->pool);
}

Test(ndis_support, ndis5_packet_and_buffer_pools_allocate_chain_query_and_free,
     .init = machine_1cpu, .fini = machine_end)
{
	static struct pool_run r;

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), pools_on_vcpu, &r), 0);
	cr_assert_eq(r.st_pool, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.st_bpool, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.st_p1, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.st_p2, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.st_p3, NDIS_STATUS_RESOURCES, "a pool of two has no third packet");
	cr_assert_null(r.p3);
	cr_assert_eq(r.usage, 2);
	cr_assert_eq(r.count, 2);
	cr_assert_eq(r.total, 100);
	cr_assert_eq(r.first, r.b1, "chained at the front");
	cr_assert_eq(r.oob_status, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.hdr, 14);
	cr_assert_eq(r.un_back, r.b2);
	cr_assert_eq(r.un_front, r.b1);
	cr_assert_eq(r.usage_after, 0);
}

static void packet_freed_twice(void *arg)
{
	NDIS_STATUS st;
	NDIS_HANDLE pool;
	PNDIS_PACKET p;

	(void)arg;
	NdisAllocatePacketPool(&st, &pool, 1, 0);
	NdisAllocatePacket(&st, &p, pool);
	NdisFreePacket(p);
	NdisFreePacket(p);
}

Test(ndis_support, ndis5_packet_freed_twice_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_DOUBLE_FREE, 0, 0, 0x40A);
	ke_vcpu_call(ke_machine_vcpu(m, 0), packet_freed_twice, NULL);
	cr_assert_fail("no bug check");
}

static void pool_freed_with_packets(void *arg)
{
	NDIS_STATUS st;
	NDIS_HANDLE pool;
	PNDIS_PACKET p;

	(void)arg;
	NdisAllocatePacketPool(&st, &pool, 1, 0);
	NdisAllocatePacket(&st, &p, pool);
	NdisFreePacketPool(pool);
}

Test(ndis_support, ndis5_packet_pool_freed_with_packets_out_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_RESOURCE_LEAK, 0, 1, 0x40A);
	ke_vcpu_call(ke_machine_vcpu(m, 0), pool_freed_with_packets, NULL);
	cr_assert_fail("no bug check");
}

static void dpr_allocate_at_passive(void *arg)
{
	NDIS_STATUS st;
	NDIS_HANDLE pool;
	PNDIS_PACKET p;

	(void)arg;
	NdisAllocatePacketPool(&st, &pool, 1, 0);
	NdisDprAllocatePacket(&st, &p, pool);
}

Test(ndis_support, ndis5_dpr_allocate_below_dispatch_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, PASSIVE_LEVEL, NDISRT_IRQL_RANGE(2, 2),
			0x40A);
	ke_vcpu_call(ke_machine_vcpu(m, 0), dpr_allocate_at_passive, NULL);
	cr_assert_fail("no bug check");
}

/* ------------------------------------ strings, groups, NET_BUFFER page counts */

static void groups_on_vcpu(void *arg)
{
	KAFFINITY *mask = arg;

	mask[0] = NdisGroupActiveProcessorMask(0);
	mask[1] = NdisGroupActiveProcessorMask(1);
	mask[2] = NdisActiveGroupCount() + 10 * NdisMaxGroupCount();
}

Test(ndis_support, strings_groups_nbl_flags_and_physical_count)
{
	static const WCHAR a[] = {'S', 'p', 'e', 'e', 'd', 0}, b[] = {'s', 'P', 'E', 'E', 'D', 0};
	struct ke_machine *mach = harness_machine(3);
	static KAFFINITY mask[3];
	static UCHAR data[3 * 4096] __attribute__((aligned(4096)));
	NDIS_STRING s1, s2;
	NET_BUFFER nb;
	NET_BUFFER_LIST nbl;
	MDL m1 = {0}, m2 = {0};
	UCHAR u[8];
	ULONG v;

	NdisInitUnicodeString(&s1, a);
	NdisInitUnicodeString(&s2, b);
	cr_assert_eq(s1.Length, 10);
	cr_assert_eq(s1.MaximumLength, 12);
	cr_assert(NdisEqualString(&s1, &s2, TRUE));
	cr_assert(!NdisEqualUnicodeString(&s1, &s2, FALSE));
	NdisStoreUlong(&u[1], 0x11223344u);
	NdisRetrieveUlong(&v, &u[1]);
	cr_assert_eq(v, 0x11223344u);

	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(mach, 0), groups_on_vcpu, mask), 0);
	cr_assert_eq(mask[0], 0x7);
	cr_assert_eq(mask[1], 0);
	cr_assert_eq(mask[2], 11);

	memset(&nbl, 0, sizeof(nbl));
	NdisSetNblFlag(&nbl, 0x10 | 0x20);
	NdisClearNblFlag(&nbl, 0x20);
	cr_assert(NdisTestNblFlag(&nbl, 0x10) && !NdisTestNblFlags(&nbl, 0x30));

	/* 100 bytes ending 50 bytes into page 1, then 5000 bytes from page 2's start. */
	m1.StartVa = data;
	m1.ByteOffset = 4096 - 150;
	m1.ByteCount = 200;
	m1.Next = &m2;
	m2.StartVa = data + 8192;
	m2.ByteCount = 4096;
	memset(&nb, 0, sizeof(nb));
	NET_BUFFER_FIRST_MDL(&nb) = &m1;
	NET_BUFFER_CURRENT_MDL(&nb) = &m1;
	NET_BUFFER_CURRENT_MDL_OFFSET(&nb) = 100;
	NET_BUFFER_DATA_LENGTH(&nb) = 100 + 10;
	cr_assert_eq(NdisQueryNetBufferPhysicalCount(&nb), 3,
		     "page 0, page 1 (first MDL), page 2 (second)");
	NET_BUFFER_CURRENT_MDL_OFFSET(&nb) = 0;
	NET_BUFFER_DATA_LENGTH(&nb) = 100;
	cr_assert_eq(NdisQueryNetBufferPhysicalCount(&nb), 1);
	harness_end(mach);
}
