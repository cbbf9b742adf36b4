/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_reset.c - what NDIS drives in an NDIS 5 miniport besides
 * its interrupt (docs/ndis5.md): MiniportCheckForHang every
 * CheckForHangTimeInSeconds (2 by default) and MiniportReset when it
 * returns TRUE, NdisMResetComplete, and NdisMIndicateReceivePacket with
 * MiniportReturnPacket - each at its documented IRQL.
 */
#include "tests/ndis5/tndis5.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

/* What the driver below saw; written on vCPUs, read by the test. */
static UINT hang_seconds;	   /* CheckForHangTimeInSeconds it passes */
static atomic_uint checks, resets; /* handler calls */
static atomic_uint hang_on_call;   /* CheckForHang returns TRUE on this call (1-based; 0 never) */
static atomic_uint reset_pends;	   /* MiniportReset returns NDIS_STATUS_PENDING */
static atomic_uint reset_open;	   /* a pended reset not completed yet */
static atomic_uint bad_irql, check_during_reset;
static atomic_ullong first_check_ns, init_ns;
static struct ke_machine *machine;
static NDIS_HANDLE adapter;

static BOOLEAN check_for_hang(NDIS_HANDLE ctx)
{
	unsigned n = atomic_load(&checks) + 1; /* checks run one at a time */

	(void)ctx;
	if (n == 1) /* before the count: the test waits on the count, then reads this */
		atomic_store(&first_check_ns, ke_clock_ns(machine));
	atomic_store(&checks, n);
	if (NDIS_CURRENT_IRQL() != DISPATCH_LEVEL)
		atomic_fetch_add(&bad_irql, 1);
	if (atomic_load(&reset_open))
		atomic_fetch_add(&check_during_reset, 1);
	return n == atomic_load(&hang_on_call);
}

static NDIS_STATUS reset(PBOOLEAN addressing, NDIS_HANDLE ctx)
{
	(void)ctx;
	atomic_fetch_add(&resets, 1);
	if (NDIS_CURRENT_IRQL() != DISPATCH_LEVEL)
		atomic_fetch_add(&bad_irql, 1);
	*addressing = FALSE;
	if (atomic_load(&reset_pends)) {
		atomic_store(&reset_open, 1);
		return NDIS_STATUS_PENDING;
	}
	return NDIS_STATUS_SUCCESS;
}

/* Received packets the driver indicated, and which came back. */
#define RX_PACKETS 3
static NDIS_HANDLE packet_pool, buffer_pool;
static PNDIS_PACKET rx[RX_PACKETS];
static UCHAR rx_data[RX_PACKETS][64];
static NDIS_STATUS status_after[RX_PACKETS];
static atomic_uint returned[RX_PACKETS], returns, return_bad_irql, returns_at_halt;

static VOID return_packet(NDIS_HANDLE ctx, PNDIS_PACKET p)
{
	(void)ctx;
	if (NDIS_CURRENT_IRQL() != DISPATCH_LEVEL)
		atomic_fetch_add(&return_bad_irql, 1);
	for (unsigned i = 0; i < RX_PACKETS; i++)
		if (rx[i] == p)
			atomic_fetch_add(&returned[i], 1);
	atomic_fetch_add(&returns, 1);
}

static NDIS_STATUS initialize(PNDIS_STATUS open_error, PUINT medium, PNDIS_MEDIUM media,
			      UINT nmedia, NDIS_HANDLE handle, NDIS_HANDLE config)
{
	struct t5 *t = t5_next;
	NDIS_STATUS st;

	adapter = handle;
	atomic_store(&init_ns, ke_clock_ns(machine));
	NdisMSetAttributesEx(handle, t, hang_seconds, NDIS_ATTRIBUTE_DESERIALIZE, NdisInterfacePci);
	t->skip_attributes = true;
	NdisAllocatePacketPool(&st, &packet_pool, RX_PACKETS, 16);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	NdisAllocateBufferPool(&st, &buffer_pool, RX_PACKETS);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	for (unsigned i = 0; i < RX_PACKETS; i++) {
		PNDIS_BUFFER b;

		NdisAllocatePacket(&st, &rx[i], packet_pool);
		if (st != NDIS_STATUS_SUCCESS)
			return st;
		memset(rx_data[i], 0xA0 + i, sizeof(rx_data[i]));
		NdisAllocateBuffer(&st, &b, buffer_pool, rx_data[i], 60 + i);
		if (st != NDIS_STATUS_SUCCESS)
			return st;
		NdisChainBufferAtFront(rx[i], b);
	}
	return t5_initialize(open_error, medium, media, nmedia, handle, config);
}

static VOID halt(NDIS_HANDLE ctx)
{
	atomic_store(&returns_at_halt, atomic_load(&returns));
	for (unsigned i = 0; i < RX_PACKETS; i++) {
		PNDIS_BUFFER b;

		NdisUnchainBufferAtFront(rx[i], &b);
		if (b)
			NdisFreeBuffer(b);
		NdisFreePacket(rx[i]);
	}
	NdisFreeBufferPool(buffer_pool);
	NdisFreePacketPool(packet_pool);
	t5_halt(ctx);
}

static NTSTATUS entry(PVOID driver_object, PVOID registry_path)
{
	NDIS_MINIPORT_CHARACTERISTICS c;
	NDIS_HANDLE w;

	NdisMInitializeWrapper(&w, driver_object, registry_path, NULL);
	memset(&c, 0, sizeof(c));
	c.MajorNdisVersion = 5;
	c.MinorNdisVersion = 1;
	c.InitializeHandler = initialize;
	c.HaltHandler = halt;
	c.ISRHandler = t5_isr;
	c.HandleInterruptHandler = t5_handle_interrupt;
	c.QueryInformationHandler = t5_query;
	c.SetInformationHandler = t5_set;
	c.ResetHandler = reset;
	c.SendHandler = t5_send;
	c.CheckForHangHandler = check_for_hang;
	c.ReturnPacketHandler = return_packet;
	return NdisMRegisterMiniport(w, &c, sizeof(c));
}

struct env {
	struct t5env e;
	struct t5 t;
	struct ndisrt_ndis5_driver *d;
};

static void start(struct env *x, UINT seconds)
{
	struct ndisrt_ndis5_nic_config cfg;
	static int object;
	char err[256];

	hang_seconds = seconds;
	t5env_init(&x->e, 2, 0);
	machine = x->e.m;
	cr_assert_eq(ndisrt_ndis5_driver_entry(x->e.m, entry, &object, &x->d, err, sizeof(err)), 0,
		     "%s", err);
	t5_init(&x->t, 0);
	intc_source_init(&x->t.src, x->e.ic, x->e.line);
	cfg = (struct ndisrt_ndis5_nic_config){.m = x->e.m, .line = x->e.line};
	t5_next = &x->t;
	cr_assert_eq(ndisrt_ndis5_nic_start(x->d, &cfg, &x->t.nic, err, sizeof(err)), 0, "%s", err);
}

static void stop(struct env *x)
{
	t5_stop(&x->t);
	ndisrt_ndis5_driver_free(x->d);
	t5_assert_good(&x->t);
	t5env_end(&x->e);
}

static void complete_reset(void *arg)
{
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	atomic_store(&reset_open, 0);
	NdisMResetComplete(adapter, NDIS_STATUS_SUCCESS, TRUE);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis5_reset, S14_check_for_hang_true_calls_reset_and_ndismresetcomplete_ends_it)
{
	struct ndisrt_ndis5_stats s;
	struct env x;

	atomic_store(&hang_on_call, 2);
	atomic_store(&reset_pends, 1);
	start(&x, 1);
	WAIT_UNTIL(atomic_load(&resets) == 1);
	ndisrt_ndis5_nic_get_stats(x.t.nic, &s);
	cr_assert_eq(s.hangs, 1, "the second check said hung");
	cr_assert_eq(s.resets, 1);
	cr_assert_eq(s.reset_completes, 0, "pended: not complete before NdisMResetComplete");
	t5_on_vcpu(&x.e, 1, complete_reset, NULL);
	ndisrt_ndis5_nic_get_stats(x.t.nic, &s);
	cr_assert_eq(s.reset_completes, 1);
	cr_assert_eq(s.addressing_resets, 1);
	cr_assert_eq(s.last_reset_status, NDIS_STATUS_SUCCESS);
	WAIT_UNTIL(atomic_load(&checks) >= 3); /* checking goes on after the reset */
	cr_assert_eq(atomic_load(&resets), 1, "only a TRUE return resets");
	cr_assert_eq(atomic_load(&bad_irql), 0, "CheckForHang and Reset run at DISPATCH_LEVEL");
	cr_assert_eq(atomic_load(&check_during_reset), 0, "no check while a reset is pending");
	stop(&x);
}

Test(ndis5_reset, S14_check_for_hang_every_two_seconds_by_default)
{
	struct env x;

	atomic_store(&hang_on_call, 0);
	start(&x, 0);
	WAIT_UNTIL(atomic_load(&checks) >= 1);
	/*
	 * A lower bound only, from inside MiniportInitialize (the timer is
	 * armed after it returns): the timer cannot fire early; how late it
	 * fires is timing.
	 */
	cr_assert_geq(
	    atomic_load(&first_check_ns), atomic_load(&init_ns) + 2000000000ull,
	    "CheckForHangTimeInSeconds 0 means every 2 s (first check %llu ns after initialize)",
	    (unsigned long long)(atomic_load(&first_check_ns) - atomic_load(&init_ns)));
	stop(&x);
}

Test(ndis5_reset, S14_host_reset_completes_at_once_when_reset_returns_success)
{
	struct ndisrt_ndis5_stats s;
	struct env x;

	atomic_store(&hang_on_call, 0);
	atomic_store(&reset_pends, 0);
	start(&x, 30);
	cr_assert_eq(ndisrt_ndis5_nic_reset(x.t.nic), NDIS_STATUS_SUCCESS);
	ndisrt_ndis5_nic_get_stats(x.t.nic, &s);
	cr_assert_eq(s.resets, 1);
	cr_assert_eq(s.reset_completes, 1);
	cr_assert_eq(s.addressing_resets, 0);
	cr_assert_eq(atomic_load(&bad_irql), 0);
	stop(&x);
}

static void complete_unasked(void *arg)
{
	(void)arg;
	NdisMResetComplete(adapter, NDIS_STATUS_SUCCESS, FALSE);
}

Test(ndis5_reset, H1_reset_complete_without_a_reset_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct env x;

	start(&x, 30);
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)adapter,
			NDIS_STATUS_SUCCESS, NDISRT_NDIS5_DDI_RESET);
	t5_on_vcpu(&x.e, 0, complete_unasked, NULL);
	cr_assert_fail("no bug check");
}

/* ----------------------------------------------------- receive packets */

static struct {
	atomic_uint frames;
	atomic_uint bad;
} sink;

static void rx_sink(void *ctx, struct ndisrt_ndis5_nic *n, unsigned vcpu, const void *frame,
		    size_t len)
{
	const UCHAR *f = frame;

	(void)ctx, (void)n, (void)vcpu;
	if (len < 60 || len > 62 || f[0] != 0xA0 + (len - 60) || f[len - 1] != f[0])
		atomic_fetch_add(&sink.bad, 1);
	atomic_fetch_add(&sink.frames, 1);
}

/* Packets 0 and 2 go to NDIS, packet 1 with NDIS_STATUS_RESOURCES stays ours. */
static void indicate(void *arg)
{
	KIRQL old;

	(void)arg;
	for (unsigned i = 0; i < RX_PACKETS; i++)
		NDIS_SET_PACKET_STATUS(rx[i], i == 1 ? NDIS_STATUS_RESOURCES : NDIS_STATUS_SUCCESS);
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisMIndicateReceivePacket(adapter, rx, RX_PACKETS);
	for (unsigned i = 0; i < RX_PACKETS; i++)
		status_after[i] = NDIS_GET_PACKET_STATUS(rx[i]);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis5_reset, S14_indicate_receive_packet_returns_what_ndis_kept_through_returnpacket)
{
	struct ndisrt_ndis5_stats s;
	struct env x;

	start(&x, 30);
	ndisrt_ndis5_nic_set_rx_sink(x.t.nic, rx_sink, NULL);
	t5_on_vcpu(&x.e, 1, indicate, NULL);
	cr_assert_eq(atomic_load(&sink.frames), 3, "every packet's frame reached the protocol");
	cr_assert_eq(atomic_load(&sink.bad), 0, "the frames are the packets' buffers");
	cr_assert_eq(status_after[1], NDIS_STATUS_RESOURCES, "RESOURCES: the miniport's again");
	cr_assert_eq(status_after[0], NDIS_STATUS_PENDING, "kept: comes back by ReturnPacket");
	cr_assert_eq(status_after[2], NDIS_STATUS_PENDING);
	/* The runtime counts a return after MiniportReturnPacket returned: wait for the count. */
	WAIT_UNTIL((ndisrt_ndis5_nic_get_stats(x.t.nic, &s), s.packets_returned == 2));
	cr_assert_eq(atomic_load(&returned[0]), 1);
	cr_assert_eq(atomic_load(&returned[1]), 0, "a RESOURCES packet is never returned");
	cr_assert_eq(atomic_load(&returned[2]), 1);
	cr_assert_eq(atomic_load(&return_bad_irql), 0, "MiniportReturnPacket at DISPATCH_LEVEL");
	ndisrt_ndis5_nic_get_stats(x.t.nic, &s);
	cr_assert_eq(s.packets_indicated, 3);
	cr_assert_eq(s.packets_returned, 2);
	cr_assert_eq(s.indicated, 3);
	stop(&x);
	cr_assert_eq(atomic_load(&returns_at_halt), 2);
}

Test(ndis5_reset, S14_every_kept_packet_is_returned_before_miniporthalt)
{
	struct env x;

	start(&x, 30);
	t5_on_vcpu(&x.e, 0, indicate, NULL);
	stop(&x); /* at once: the return DPC may not have run yet */
	cr_assert_eq(atomic_load(&returns_at_halt), 2,
		     "MiniportHalt ran with packets still held by NDIS");
}
