/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_host.c - the NDIS 5 sample, drivers/vn1pio.so, loaded
 * and run through <ndisrt/host.h> exactly as `ndisrt run` runs a driver:
 * load, NICs on two cabled VN-1s, the packet filter by OID, traffic both
 * ways at once on 1 and 2 vCPUs with every frame accounted for, then halt
 * and unload. And what an NDIS 5 NIC refuses (message interrupts).
 */
#include "tests/host/thost.h"
#include "hw/vn1.h" /* the subject: vn1pio.so on a VN-1 */

#define VN1PIO_SO NDISRT_DRIVER_DIR "/vn1pio.so"

/* The host API has no WDK names: the values a protocol uses. */
#define ST_SUCCESS 0x00000000u	     /* NDIS_STATUS_SUCCESS */
#define ST_NOT_SUPPORTED 0xC00000BBu /* NDIS_STATUS_NOT_SUPPORTED */
#define OID_FILTER 0x0001010Eu	     /* OID_GEN_CURRENT_PACKET_FILTER */
#define FILTER 0x0000000Bu	     /* DIRECTED | MULTICAST | BROADCAST */
#define MEDIUM_802_3 0u		     /* NdisMedium802_3 */

#define FRAMES 600
#define WINDOW 8 /* frames in flight per direction: below the 16-frame PIO FIFO */

/* Both NICs of the loaded sample, their packet filter set as a protocol sets it. */
static void start_pair(struct th *t, unsigned vcpus, bool share_line)
{
	th_init(t, vcpus);
	th_load(t, VN1PIO_SO);
	th_pair(t, HW_IRQ_LINE, NDISRT_IRQ_LINE, 0, 0, share_line);
	for (unsigned i = 0; i < 2; i++) {
		cr_assert_eq(ndisrt_nic_set_packet_filter(t->nic[i], FILTER), ST_SUCCESS,
			     "OID_GEN_CURRENT_PACKET_FILTER through host.h");
		t->rx[i].expect_len = 0;
	}
}

/* Frames @first.. of direction @from -> 1 - @from, directed to the peer. */
static unsigned send_window(struct th *t, unsigned from, unsigned vcpu, unsigned first,
			    unsigned count)
{
	static uint8_t bufs[2][WINDOW][2048];
	struct wire_gen_config g = th_gen(0, 4);
	const void *frames[WINDOW];
	size_t lens[WINDOW];

	memcpy(g.src_mac, th_mac[from], 6);
	memcpy(g.dst_mac, th_mac[1 - from], 6);
	for (unsigned k = 0; k < count; k++) {
		/* 64..1514 bytes, odd and even: PIO_TXLEN trims odd ones. */
		g.size = 64 + ((first + k) * 37u) % 1451u;
		lens[k] = th_frame(&g, first + k, bufs[from][k]);
		frames[k] = bufs[from][k];
	}
	return ndisrt_nic_send(t->nic[from], vcpu, frames, lens, count);
}

/*
 * Conservation for direction @from -> @to: every frame handed to the
 * sending driver completed, went on the wire, and was indicated by the
 * receiving NIC once and intact (none dropped at this pace).
 */
static void check_direction(struct th *t, unsigned from, unsigned to, unsigned total)
{
	struct ndisrt_nic_stats s;
	struct vn1_stats v;

	ndisrt_nic_get_stats(t->nic[from], &s);
	cr_assert_eq(s.sent, total);
	cr_assert_eq(s.send_completed, total, "every MiniportSend completed with success");
	cr_assert_eq(s.send_failed, 0);
	vn1_get_stats(vn1_from_device(t->dev[from]), &v);
	cr_assert_eq(v.tx_sent, total, "VN-1 %u put every frame on the wire", from);
	cr_assert_eq(v.tx_pio_busy, 0);
	cr_assert_eq(atomic_load(&t->rx[to].frames), total, "NIC %u indicated every frame", to);
	cr_assert_eq(th_rx_drops(t->dev[to]), 0, "no frame dropped at this pace");
	cr_assert_eq(atomic_load(&t->rx[to].bad), 0, "corrupt frames");
	for (unsigned i = 0; i < total; i++)
		cr_assert_eq(atomic_load(&t->rx[to].seen[i]), 1, "frame %u of %u -> %u", i, from,
			     to);
	ndisrt_nic_get_stats(t->nic[to], &s);
	cr_assert_eq(s.indicated, total);
	cr_assert_eq(s.returned, s.indicated, "NDIS 5 frames are copied: nothing outstanding");
	cr_assert_eq(ndisrt_nic_outstanding(t->nic[to]), 0);
}

static void traffic_both_ways(unsigned vcpus, bool share_line)
{
	struct ndisrt_interrupt_counters c;
	struct th t;

	start_pair(&t, vcpus, share_line);
	for (unsigned first = 0; first < FRAMES; first += WINDOW) {
		unsigned k = FRAMES - first < WINDOW ? FRAMES - first : WINDOW;

		cr_assert_eq(send_window(&t, 0, vcpus - 1, first, k), k);
		cr_assert_eq(send_window(&t, 1, 0, first, k), k);
		WAIT_UNTIL(atomic_load(&t.rx[1].frames) >= first + k &&
			   atomic_load(&t.rx[0].frames) >= first + k);
	}
	cr_assert_eq(ke_machine_quiesce(ndisrt_host_machine(t.h), 30000), 0);
	check_direction(&t, 0, 1, FRAMES);
	check_direction(&t, 1, 0, FRAMES);
	/* The adapter's interrupt counters (what `ndisrt run` reports) count NDIS 5 too. */
	for (unsigned i = 0; i < 2; i++) {
		cr_assert_eq(
		    ndisrt_adapter_counters(ndisrt_nic_adapter(t.nic[i]), 0, NDISRT_ALL, &c), 0);
		cr_assert_gt(c.isrs_claimed, 0);
		cr_assert_gt(c.dpcs, 0);
		cr_assert_geq(c.isrs, c.isrs_claimed);
	}
	th_fini(&t);
}

Test(ndis5_host, loads_the_sample_as_ndis_5_1)
{
	struct th t;
	unsigned major, minor;

	th_init(&t, 1);
	th_load(&t, VN1PIO_SO);
	ndisrt_driver_version(t.drv, &major, &minor);
	cr_assert_eq(major, 5);
	cr_assert_eq(minor, 1);
	th_fini(&t);
}

Test(ndis5_host, traffic_both_ways_is_conserved_on_1_vcpu, .timeout = 120)
{
	traffic_both_ways(1, false);
}

Test(ndis5_host, traffic_both_ways_is_conserved_on_2_vcpus, .timeout = 120)
{
	traffic_both_ways(2, false);
}

Test(ndis5_host, traffic_on_one_shared_line_is_conserved_on_2_vcpus, .timeout = 120)
{
	traffic_both_ways(2, true);
}

Test(ndis5_host, attributes_link_oids_and_pause_through_host_h)
{
	struct ndisrt_nic_attributes at;
	struct th t;
	uint32_t filter = 0, bytes = 0;
	uint64_t speed = 0;

	start_pair(&t, 2, false);
	ndisrt_nic_get_attributes(t.nic[1], &at);
	cr_assert_arr_eq(at.permanent_mac, th_mac[1], 6, "OID_802_3_PERMANENT_ADDRESS");
	cr_assert_arr_eq(at.current_mac, th_mac[1], 6);
	cr_assert_eq(at.mtu, 1500);
	cr_assert_eq(at.media_type, MEDIUM_802_3);
	cr_assert_gt(at.supported_oids, 0);
	cr_assert(ndisrt_nic_link_up(t.nic[1], &speed));
	cr_assert_eq(speed, 1000000000ull, "OID_GEN_LINK_SPEED, in units of 100 bps");
	cr_assert_eq(
	    ndisrt_nic_oid(t.nic[1], false, OID_FILTER, &filter, sizeof(filter), &bytes, NULL),
	    ST_SUCCESS);
	cr_assert_eq(bytes, sizeof(filter));
	cr_assert_eq(filter, FILTER);
	/* NDIS 5 has neither pause nor RSS. */
	cr_assert_eq(ndisrt_nic_pause(t.nic[1]), ST_SUCCESS);
	cr_assert_eq(ndisrt_nic_restart(t.nic[1]), ST_SUCCESS);
	cr_assert_eq(ndisrt_nic_set_rss(t.nic[1], NULL, 0, NULL, 0), ST_NOT_SUPPORTED);
	/* Traffic still flows after the no-op pause. */
	cr_assert_eq(send_window(&t, 0, 1, 0, 4), 4);
	WAIT_UNTIL(atomic_load(&t.rx[1].frames) == 4);
	th_fini(&t);
}

Test(ndis5_host, message_interrupts_are_refused_with_one_line)
{
	struct ndisrt_nic_config cfg;
	struct ndisrt_nic *n = (struct ndisrt_nic *)1;
	struct th t;

	th_init(&t, 2);
	th_load(&t, VN1PIO_SO);
	th_dev(&t, 0, HW_IRQ_MSIX, 16, false);
	ndisrt_nic_config_init(&cfg, t.dev[0]);
	cfg.irq = NDISRT_IRQ_MSIX;
	cr_assert_eq(ndisrt_nic_start(t.drv, &cfg, &n, t.err, sizeof(t.err)), -1);
	cr_assert_null(n);
	cr_assert_not_null(strstr(t.err, VN1PIO_SO), "names the driver: %s", t.err);
	cr_assert_not_null(strstr(t.err, "line-based"), "%s", t.err);
	cr_assert_null(strchr(t.err, '\n'));
	th_fini(&t);
}

Test(ndis5_host, unload_halts_the_nics_still_started)
{
	struct th t;

	start_pair(&t, 2, false);
	cr_assert_eq(send_window(&t, 1, 0, 0, 4), 4);
	WAIT_UNTIL(atomic_load(&t.rx[0].frames) == 4);
	ndisrt_driver_unload(t.drv); /* MiniportHalt of both, then the wrapper */
	t.drv = NULL;
	t.nic[0] = t.nic[1] = NULL;
	th_fini(&t);
}

/* A sink that counts rising edges: what the device signals when hosting does not own it. */
static void count_rise(void *ctx, bool asserted)
{
	if (asserted)
		atomic_fetch_add((atomic_uint *)ctx, 1);
}

static void no_msi(void *ctx, uint64_t addr, uint32_t data)
{
	(void)ctx;
	(void)addr;
	(void)data;
}

static const struct hw_irq_sink_ops counting_ops = {.line_set = count_rise, .msi_write = no_msi};

/* The NDIS 5 kind owns the pin from start to halt and gives the caller's sink back. */
Test(ndis5_host, halt_gives_back_the_callers_interrupt_sink)
{
	atomic_uint rises = 0;
	struct th t;

	th_init(&t, 2);
	th_load(&t, VN1PIO_SO);
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	hw_dev_set_sink(t.dev[0], (struct hw_irq_sink){.ops = &counting_ops, .ctx = &rises});
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
	cr_expect_neq(hw_dev_sink(t.dev[0]).ctx, (void *)(uintptr_t)&rises, "hosting took the pin");
	ndisrt_nic_halt(t.nic[0]);
	t.nic[0] = NULL;
	cr_expect_eq(hw_dev_sink(t.dev[0]).ops, &counting_ops, "the halt gave the pin back");
	cr_expect_eq(hw_dev_sink(t.dev[0]).ctx, (void *)(uintptr_t)&rises);
	cr_assert_eq(hw_dev_fault(t.dev[0], HW_FAULT_STUCK_LINE, 1), 0);
	cr_expect_eq(atomic_load(&rises), 1, "the caller's sink hears the device again");
	cr_assert_eq(hw_dev_fault(t.dev[0], HW_FAULT_STUCK_LINE, 0), 0);
	th_fini(&t);
}
