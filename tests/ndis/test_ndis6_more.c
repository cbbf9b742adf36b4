/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_ndis6_more.c - NDIS 6 support DDIs of ndis/ndis6_more.c
 * and the tagged frees of ndis/host_mem.c: NDIS_RW_LOCK_EX, strings, OID
 * request clones, NdisFreeMemoryWithTag[Priority],
 * NdisSetCoalescableTimerObject, the refusals; with their failures.
 * (MiniportSetOptions, NdisMSetBusData, NdisMGetDmaAlignment on a hosted
 * NIC: tests/host/test_options.c.)
 */
#define NDIS_WRAPPER 1
#include <ndis.h>

#include "tests/harness.h"

#include <string.h>

#include "ndisrt/host.h"
#include "ndisrt/ndis.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION
#define DDI_RW_LOCK 0x507
#define DDI_MISC 0x50B

static struct ke_machine *m;
static struct ndisrt_adapter *a;

static void machine_2cpu(void)
{
	struct ndisrt_adapter_config cfg;

	m = harness_machine(2);
	ndisrt_adapter_config_init(&cfg, NULL);
	a = ndisrt_adapter_create(m, &cfg);
	cr_assert_not_null(a);
}

static void machine_end(void)
{
	cr_assert_eq(ndisrt_adapter_free(a), 0);
	harness_end(m);
}

static void on_vcpu(unsigned cpu, void (*fn)(void *), void *arg)
{
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, cpu), fn, arg), 0);
}

/* ------------------------------------------------------------ RW lock */

struct rw_run {
	PNDIS_RW_LOCK_EX lock;
	NDIS_HANDLE item;
	atomic_int writer_trying, writer_in;
	KIRQL irql_in, irql_in_dpc_flag, irql_after, writer_irql;
	bool two_readers, writer_got_in_early;
};

/* A work item on vCPU 1 (PASSIVE_LEVEL): take the lock for write. */
static VOID rw_writer(PVOID ctx, NDIS_HANDLE item)
{
	struct rw_run *r = ctx;
	LOCK_STATE_EX sw;

	NdisFreeIoWorkItem(item);
	atomic_store(&r->writer_trying, 1);
	NdisAcquireRWLockWrite(r->lock, &sw, 0);
	r->writer_irql = KeGetCurrentIrql();
	atomic_store(&r->writer_in, 1);
	NdisReleaseRWLock(r->lock, &sw);
}

static void rw_reader(void *arg)
{
	struct rw_run *r = arg;
	LOCK_STATE_EX s1, s2;

	r->lock = NdisAllocateRWLock(ndisrt_adapter_handle(a));
	NdisAcquireRWLockRead(r->lock, &s1, 0);
	r->irql_in = KeGetCurrentIrql();
	NdisAcquireRWLockRead(r->lock, &s2, NDIS_RWL_AT_DISPATCH_LEVEL); /* recursive read */
	r->irql_in_dpc_flag = KeGetCurrentIrql();
	r->two_readers = true;
	NdisReleaseRWLock(r->lock, &s2);
	r->item = NdisAllocateIoWorkItem((NDIS_HANDLE)0x1234);
	NdisQueueIoWorkItem(r->item, rw_writer, r); /* runs on vCPU 1 */
	r->writer_got_in_early = !SPIN_UNTIL(atomic_load(&r->writer_trying) == 1) ||
				 SPIN_FOR(atomic_load(&r->writer_in) == 1, 20000000ull);
	NdisReleaseRWLock(r->lock, &s1);
	r->irql_after = KeGetCurrentIrql();
}

static void rw_free(void *arg)
{
	struct rw_run *r = arg;

	NdisFreeRWLock(r->lock);
}

Test(ndis6_more, rw_lock_readers_share_a_writer_waits_irql_saved_and_restored, .init = machine_2cpu,
     .fini = machine_end)
{
	static struct rw_run r;

	on_vcpu(0, rw_reader, &r);
	cr_assert(r.two_readers);
	cr_assert_eq(r.irql_in, DISPATCH_LEVEL, "acquire raises to DISPATCH_LEVEL");
	cr_assert_eq(r.irql_in_dpc_flag, DISPATCH_LEVEL);
	cr_assert_eq(r.irql_after, PASSIVE_LEVEL, "release restores the saved IRQL");
	cr_assert(!r.writer_got_in_early, "no writer while a reader holds the lock");
	WAIT_UNTIL(atomic_load(&r.writer_in) == 1); /* the writer got in after the reader */
	cr_assert_eq(r.writer_irql, DISPATCH_LEVEL);
	on_vcpu(0, rw_free, &r);
}

static void rw_flag_below_dispatch(void *arg)
{
	LOCK_STATE_EX s;
	PNDIS_RW_LOCK_EX l = NdisAllocateRWLock(ndisrt_adapter_handle(a));

	(void)arg;
	NdisAcquireRWLockRead(l, &s, NDIS_RWL_AT_DISPATCH_LEVEL);
}

Test(ndis6_more, rw_lock_at_dispatch_flag_below_dispatch_bugchecks_bad_flags,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_2cpu)
{
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_BAD_FLAGS, 0, PASSIVE_LEVEL, DDI_RW_LOCK);
	on_vcpu(0, rw_flag_below_dispatch, NULL);
	cr_assert_fail("no bug check");
}

static void rw_release_twice(void *arg)
{
	LOCK_STATE_EX s;
	PNDIS_RW_LOCK_EX l = NdisAllocateRWLock(ndisrt_adapter_handle(a));

	(void)arg;
	NdisAcquireRWLockWrite(l, &s, 0);
	NdisReleaseRWLock(l, &s);
	ke_irql_raise(KE_DISPATCH_LEVEL);
	NdisReleaseRWLock(l, &s);
}

Test(ndis6_more, rw_lock_released_twice_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_2cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_BAD_OBJECT, 0, 0, DDI_RW_LOCK);
	on_vcpu(0, rw_release_twice, NULL);
	cr_assert_fail("no bug check");
}

static void rw_free_twice(void *arg)
{
	PNDIS_RW_LOCK_EX l = NdisAllocateRWLock(ndisrt_adapter_handle(a));

	(void)arg;
	NdisFreeRWLock(l);
	NdisFreeRWLock(l);
}

Test(ndis6_more, rw_lock_freed_twice_bugchecks_double_free, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_2cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_DOUBLE_FREE, 0, 0, DDI_RW_LOCK);
	on_vcpu(0, rw_free_twice, NULL);
	cr_assert_fail("no bug check");
}

static void rw_bad_handle(void *arg)
{
	(void)arg;
	(void)NdisAllocateRWLock((NDIS_HANDLE)0x1234);
}

Test(ndis6_more, rw_lock_with_a_handle_that_is_no_driver_or_adapter_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_2cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_BAD_HANDLE, 0, 0, DDI_RW_LOCK);
	on_vcpu(0, rw_bad_handle, NULL);
	cr_assert_fail("no bug check");
}

/* ------------------------------------------- memory, timers, strings */

static void free_with_wrong_tag(void *arg)
{
	PVOID p = NULL;

	(void)arg;
	NdisAllocateMemoryWithTag(&p, 32, 0x41414141);
	NdisFreeMemoryWithTag(p, 0x42424242);
}

Test(ndis6_more, free_memory_with_another_tag_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_2cpu)
{
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_BAD_PARAMETER, 0, 0x42424242,
			NDISRT_DDI_FREE_MEMORY);
	on_vcpu(0, free_with_wrong_tag, NULL);
	cr_assert_fail("no bug check");
}

static void free_priority_with_other_handle(void *arg)
{
	PVOID p;

	(void)arg;
	p = NdisAllocateMemoryWithTagPriority(ndisrt_adapter_handle(a), 32, 0x41414141,
					      NormalPoolPriority);
	NdisFreeMemoryWithTagPriority((NDIS_HANDLE)0x1234, p, 0x41414141);
}

Test(ndis6_more, free_memory_with_tag_priority_checks_the_handle,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_2cpu)
{
	expect_bugcheck(C4, 0x1, NDISRT_VIOLATION_BAD_HANDLE, 0, 0, 0);
	on_vcpu(0, free_priority_with_other_handle, NULL);
	cr_assert_fail("no bug check");
}

struct misc_run {
	bool tagged_ok, tagged_prio_ok;
	atomic_int timer_runs;
	BOOLEAN timer_alloc_ok;
	NDIS_HANDLE timer;
	USHORT ustr_len, ustr_max;
	WCHAR ustr[8];
	NDIS_STATUS a2u, a2u_short, u2a, up;
	CHAR astr[8];
	WCHAR upper[8];
	NDIS_STATUS clone_st;
	bool clone_ok;
	NET_LUID luid;
};

static VOID coalescable_fn(PVOID SystemSpecific1, PVOID FunctionContext, PVOID SystemSpecific2,
			   PVOID SystemSpecific3)
{
	struct misc_run *r = FunctionContext;

	(void)SystemSpecific1;
	(void)SystemSpecific2;
	(void)SystemSpecific3;
	atomic_fetch_add(&r->timer_runs, 1);
}

static void misc_on_vcpu(void *arg)
{
	struct misc_run *r = arg;
	NDIS_TIMER_CHARACTERISTICS tc = {0};
	LARGE_INTEGER due;
	PVOID p = NULL;
	NDIS_STRING s;
	static const WCHAR w_hi[] = {'h', 0x00E9, 0x263A, 'z', 0};
	static CHAR latin[] = "caf\xE9";
	ANSI_STRING as, ad;
	UNICODE_STRING us, ud;
	WCHAR wbuf[8], wshort[2];
	CHAR abuf[8];
	NDIS_OID_REQUEST req = {0}, *clone = NULL;
	ULONG info = 7;

	NdisAllocateMemoryWithTag(&p, 48, 0x41414141);
	NdisFreeMemoryWithTag(p, 0x41414141);
	r->tagged_ok = true;
	p = NdisAllocateMemoryWithTagPriority(ndisrt_adapter_handle(a), 48, 0x43434343,
					      NormalPoolPriority);
	NdisFreeMemoryWithTagPriority(ndisrt_adapter_handle(a), p, 0x43434343);
	r->tagged_prio_ok = true;

	tc.Header.Type = NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS;
	tc.Header.Revision = NDIS_TIMER_CHARACTERISTICS_REVISION_1;
	tc.Header.Size = NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1;
	tc.TimerFunction = coalescable_fn;
	r->timer_alloc_ok =
	    NdisAllocateTimerObject((NDIS_HANDLE)0x1234, &tc, &r->timer) == NDIS_STATUS_SUCCESS;
	due.QuadPart = -10000; /* 1 ms */
	NdisSetCoalescableTimerObject(r->timer, due, 0, r, 50);

	NdisInitializeString(&s, (PUCHAR)latin);
	r->ustr_len = s.Length;
	r->ustr_max = s.MaximumLength;
	memcpy(r->ustr, s.Buffer, s.MaximumLength);
	NdisFreeString(s);

	as.Buffer = latin;
	as.Length = 4;
	as.MaximumLength = 5;
	ud.Buffer = wbuf;
	ud.Length = 0;
	ud.MaximumLength = sizeof(wbuf);
	r->a2u = NdisAnsiStringToUnicodeString(&ud, &as);
	ud.Buffer = wshort;
	ud.MaximumLength = sizeof(wshort);
	r->a2u_short = NdisAnsiStringToUnicodeString(&ud, &as);

	us.Buffer = (PWSTR)(uintptr_t)w_hi;
	us.Length = 4 * sizeof(WCHAR);
	us.MaximumLength = 5 * sizeof(WCHAR);
	ad.Buffer = abuf;
	ad.Length = 0;
	ad.MaximumLength = sizeof(abuf);
	r->u2a = NdisUnicodeStringToAnsiString(&ad, &us);
	memcpy(r->astr, abuf, ad.Length);
	ud.Buffer = r->upper;
	ud.MaximumLength = sizeof(r->upper);
	r->up = NdisUpcaseUnicodeString(&ud, &us);

	req.Header.Type = NDIS_OBJECT_TYPE_OID_REQUEST;
	req.Header.Revision = NDIS_OID_REQUEST_REVISION_1;
	req.Header.Size = NDIS_SIZEOF_OID_REQUEST_REVISION_1;
	req.RequestType = NdisRequestQueryInformation;
	req.DATA.QUERY_INFORMATION.Oid = OID_GEN_LINK_SPEED;
	req.DATA.QUERY_INFORMATION.InformationBuffer = &info;
	req.DATA.QUERY_INFORMATION.InformationBufferLength = sizeof(info);
	r->clone_st =
	    NdisAllocateCloneOidRequest(ndisrt_adapter_handle(a), &req, 0x4F4F4F4F, &clone);
	r->clone_ok = clone && clone != &req &&
		      clone->DATA.QUERY_INFORMATION.Oid == OID_GEN_LINK_SPEED &&
		      clone->DATA.QUERY_INFORMATION.InformationBuffer == &info;
	if (clone)
		NdisFreeCloneOidRequest(ndisrt_adapter_handle(a), clone);

	NDIS_MAKE_NET_LUID(&r->luid, 6, 42);
}

static void timer_free(void *arg)
{
	struct misc_run *r = arg;

	NdisFreeTimerObject(r->timer);
}

Test(ndis6_more, tagged_frees_coalescable_timer_strings_clones_and_luid, .init = machine_2cpu,
     .fini = machine_end)
{
	static struct misc_run r;
	static const WCHAR cafe[] = {'c', 'a', 'f', 0xE9, 0};
	static const WCHAR upper[] = {'H', 0xC9, 0x263A, 'Z'};

	on_vcpu(0, misc_on_vcpu, &r);
	cr_assert(r.tagged_ok && r.tagged_prio_ok);
	cr_assert(r.timer_alloc_ok);
	WAIT_UNTIL(atomic_load(&r.timer_runs) == 1); /* the coalescable timer fired */
	on_vcpu(0, timer_free, &r);
	cr_assert_eq(r.ustr_len, 8);
	cr_assert_eq(r.ustr_max, 10, "the NUL counted in MaximumLength, freed by NdisFreeString");
	cr_assert_eq(memcmp(r.ustr, cafe, sizeof(cafe)), 0, "Latin-1 to UTF-16");
	cr_assert_eq(r.a2u, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.a2u_short, NDIS_STATUS_BUFFER_OVERFLOW, "the caller's buffer is too short");
	cr_assert_eq(r.u2a, NDIS_STATUS_SUCCESS);
	cr_assert_eq(memcmp(r.astr, "h\xE9?z", 4), 0, "above 0xFF: '?'");
	cr_assert_eq(r.up, NDIS_STATUS_SUCCESS);
	cr_assert_eq(memcmp(r.upper, upper, sizeof(upper)), 0);
	cr_assert_eq(r.clone_st, NDIS_STATUS_SUCCESS);
	cr_assert(r.clone_ok, "a copy sharing the information buffer");
	cr_assert_eq(r.luid.Info.IfType, 6);
	cr_assert_eq(r.luid.Info.NetLuidIndex, 42);
	cr_assert_eq(r.luid.Info.Reserved, 0);
}

/* ------------------------------------------------------------ refusals */

struct refuse_run {
	NDIS_STATUS enable, location, read_block, write_block, bars;
	ULONG vf_get, vf_set;
};

static void refusals(void *arg)
{
	struct refuse_run *r = arg;
	NDIS_HANDLE h = ndisrt_adapter_handle(a);
	UCHAR buf[4];
	USHORT seg;
	UCHAR bus, fn;
	ULONG bars[6];

	r->enable = NdisMEnableVirtualization(h, 4, FALSE, FALSE, TRUE);
	r->vf_get = NdisMGetVirtualFunctionBusData(h, 1, buf, 0, 4);
	r->vf_set = NdisMSetVirtualFunctionBusData(h, 1, buf, 0, 4);
	r->location = NdisMGetVirtualFunctionLocation(h, 1, &seg, &bus, &fn);
	r->read_block = NdisMReadConfigBlock(h, 0, buf, 4);
	r->write_block = NdisMWriteConfigBlock(h, 0, buf, 4);
	r->bars = NdisMQueryProbedBars(h, bars);
}

Test(ndis6_more, sr_iov_calls_fail_as_documented_never_silently, .init = machine_2cpu,
     .fini = machine_end)
{
	static struct refuse_run r;

	on_vcpu(0, refusals, &r);
	cr_assert_eq(r.enable, NDIS_STATUS_NOT_SUPPORTED);
	cr_assert_eq(r.vf_get, 0);
	cr_assert_eq(r.vf_set, 0);
	cr_assert_eq(r.location, NDIS_STATUS_NOT_SUPPORTED);
	cr_assert_eq(r.read_block, NDIS_STATUS_NOT_SUPPORTED);
	cr_assert_eq(r.write_block, NDIS_STATUS_NOT_SUPPORTED);
	cr_assert_eq(r.bars, NDIS_STATUS_NOT_SUPPORTED);
}

static void idle_complete(void *arg)
{
	(void)arg;
	NdisMIdleNotificationComplete(ndisrt_adapter_handle(a));
}

Test(ndis6_more, idle_notification_complete_without_a_notification_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_2cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_UNEXPECTED_COMPLETE, 0, 0, DDI_MISC);
	on_vcpu(0, idle_complete, NULL);
	cr_assert_fail("no bug check");
}

static void direct_complete(void *arg)
{
	NDIS_OID_REQUEST req = {0};

	(void)arg;
	NdisMDirectOidRequestComplete(ndisrt_adapter_handle(a), &req, NDIS_STATUS_SUCCESS);
}

Test(ndis6_more, direct_oid_complete_without_a_direct_request_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_2cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_UNEXPECTED_COMPLETE, 0, 0, DDI_MISC);
	on_vcpu(0, direct_complete, NULL);
	cr_assert_fail("no bug check");
}
