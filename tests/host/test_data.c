/* SPDX-License-Identifier: MIT */
/*
 * tests/host/test_data.c - the sample drivers moving traffic between two
 * VN-1s: every frame received or counted as dropped, intact, on the vCPU
 * RSS predicts, within MaxNblsToIndicate per DPC; link changes, pause and
 * halt under traffic.
 */
#include "tests/host/thost.h"

/* The environment every test below starts from (Criterion fixtures). */
static struct th t;

static void host_2cpu(void)
{
	th_init(&t, 2);
}

static void host_end(void)
{
	th_fini(&t);
}

/*
 * Conservation: every frame NIC 0 handed to its driver was sent on the
 * wire and either indicated by NIC 1 or counted as dropped by its VN-1,
 * and each indicated frame arrived once and intact.
 */
static void check_conservation(struct th *th, unsigned first, unsigned count)
{
	struct ndisrt_nic_stats s0;
	uint64_t total = first + count;

	ndisrt_nic_get_stats(th->nic[0], &s0);
	cr_assert_eq(s0.send_failed, 0, "sends failed");
	cr_assert_eq(s0.send_completed, s0.sent);
	cr_assert_eq(hw_device_stat(th->dev[0], "tx_sent", NULL), total,
		     "device 0 put every frame on the wire");
	WAIT_UNTIL(atomic_load(&th->rx[1].frames) + th_rx_drops(th->dev[1]) >= total);
	cr_assert_eq(atomic_load(&th->rx[1].frames) + th_rx_drops(th->dev[1]), total,
		     "received %lu + dropped %lu != sent %lu", atomic_load(&th->rx[1].frames),
		     (unsigned long)th_rx_drops(th->dev[1]), (unsigned long)total);
	cr_assert_eq(atomic_load(&th->rx[1].bad), 0, "corrupt frames");
	for (unsigned i = first; i < first + count && i < REC_FRAMES; i++)
		cr_assert_leq(atomic_load(&th->rx[1].seen[i]), 1, "frame %u arrived twice", i);
}

/* Send @count frames 0 -> 1 and check them all arrived (no drops at this pace). */
static void exchange(struct th *th, unsigned first, unsigned count, unsigned batch)
{
	struct wire_gen_config g = th_gen(200, 8);
	struct ndisrt_nic_stats s1;

	th->rx[1].expect_len = 200;
	th_send(th, 0, 1, &g, first, count, batch);
	check_conservation(th, first, count);
	cr_assert_eq(th_rx_drops(th->dev[1]), 0, "no frame should be dropped at this pace");
	for (unsigned i = first; i < first + count; i++)
		cr_assert_eq(atomic_load(&th->rx[1].seen[i]), 1, "frame %u missing", i);
	/* Every indicated NBL comes back to the driver. */
	WAIT_UNTIL(ndisrt_nic_outstanding(th->nic[1]) == 0);
	ndisrt_nic_get_stats(th->nic[1], &s1);
	cr_assert_eq(s1.indicated, s1.returned + s1.resources_flag);
}

Test(host_data, vn1_line_based, .init = host_2cpu, .fini = host_end)
{
	th_load(&t, VN1_SO);
	th_pair(&t, HW_IRQ_LINE, NDISRT_IRQ_LINE, 0, 0, false);
	exchange(&t, 0, 500, 32);
	cr_assert_eq(ndisrt_adapter_interrupt_kind(ndisrt_nic_adapter(t.nic[1])),
		     NDISRT_INTERRUPT_LINE);
}

Test(host_data, vn1_shared_line, .init = host_2cpu, .fini = host_end)
{
	th_load(&t, VN1_SO);
	th_pair(&t, HW_IRQ_LINE, NDISRT_IRQ_LINE, 0, 0, true);
	exchange(&t, 0, 500, 32);
}

Test(host_data, vn1_msi, .init = host_2cpu, .fini = host_end)
{
	th_load(&t, VN1_SO);
	th_pair(&t, HW_IRQ_MSI, NDISRT_IRQ_MSI, 1, 0, false);
	exchange(&t, 0, 500, 32);
	cr_assert_eq(ndisrt_adapter_interrupt_kind(ndisrt_nic_adapter(t.nic[1])),
		     NDISRT_INTERRUPT_MESSAGE);
}

Test(host_data, vn1_msix, .init = host_2cpu, .fini = host_end)
{
	struct ndisrt_nic_attributes at;

	th_load(&t, VN1_SO);
	th_pair(&t, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 5, 0, false);
	ndisrt_nic_get_attributes(t.nic[1], &at);
	cr_assert_eq(at.rss_messages, 5, "RSS capabilities from the general attributes");
	cr_assert_eq(at.rss_queues, 4);
	cr_assert(at.rss_flags & 0x08000000u, "NDIS_RSS_CAPS_USING_MSI_X");
	exchange(&t, 0, 1000, 64);
}

Test(host_data, vn1_line_sample_line_based, .init = host_2cpu, .fini = host_end)
{
	th_load(&t, VN1_LINE_SO);
	th_pair(&t, HW_IRQ_LINE, NDISRT_IRQ_LINE, 0, 0, false);
	exchange(&t, 0, 500, 32);
}

Test(host_data, packet_filter_oid, .init = host_2cpu, .fini = host_end)
{
	uint32_t filter = 0, bytes = 0;

	th_load(&t, VN1_SO);
	th_pair(&t, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 3, 0, false);
	cr_assert_eq(ndisrt_nic_set_packet_filter(t.nic[1], 0x1 | 0x8), 0, "directed|broadcast");
	cr_assert_eq(
	    ndisrt_nic_oid(t.nic[1], false, 0x0001010E, &filter, sizeof(filter), &bytes, NULL), 0);
	cr_assert_eq(bytes, 4);
	cr_assert_eq(filter, 0x9u);
	/* An OID the driver does not know. */
	cr_assert_eq(ndisrt_nic_oid(t.nic[1], false, 0x00FFFFFF, &filter, 4, NULL, NULL),
		     0xC00000BBu, "NDIS_STATUS_NOT_SUPPORTED");
	exchange(&t, 0, 100, 32);
}

/* ------------------------------------------------------------------ RSS */

Test(host_data, rss_frames_arrive_on_the_predicted_vcpu)
{
	static const unsigned nframes = 512;
	struct wire_gen_config g = th_gen(128, 32);
	unsigned table[128];
	uint8_t key[40], frame[2048];
	uint32_t seed = 12345;
	unsigned checked = 0, hops = 0;
	struct th th;

	th_init(&th, 2);
	th_load(&th, VN1_SO);
	/* 3 messages: receive queues 0 and 1 (messages 0, 1 on vCPUs 0, 1) and the rest. */
	th_pair(&th, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 3, 0, false);
	for (unsigned i = 0; i < 40; i++)
		key[i] = (uint8_t)(hw_rss_default_key[i] ^ (i * 37));
	/*
	 * Entry 0 is processor 1, so queue 0 (message 0, delivered to vCPU 0)
	 * has its DPC on vCPU 1: the ISR must queue it there (NdisMQueueDpcEx).
	 */
	for (unsigned i = 0; i < 128; i++) {
		seed = seed * 1103515245u + 12345u;
		table[i] = i == 0 ? 1 : (seed >> 16) & 1;
	}
	cr_assert_eq(ndisrt_nic_set_rss(th.nic[1], key, 0x100 | 0x200, table, 128), 0,
		     "OID_GEN_RECEIVE_SCALE_PARAMETERS");
	th.rx[1].expect_len = 128;
	/* Paced by the receiver (a batch at a time), so that a slow receiving
	 * vCPU on a loaded host cannot overflow the receive ring. */
	for (unsigned first = 0; first < nframes; first += 32) {
		th_send(&th, 0, 0, &g, first, 32, 32);
		WAIT_UNTIL(atomic_load(&th.rx[1].frames) >= first + 32);
	}
	check_conservation(&th, 0, nframes);
	cr_assert_eq(th_rx_drops(th.dev[1]), 0);
	for (unsigned i = 0; i < nframes; i++) {
		struct hw_rss_tuple tp;
		uint8_t in[12];
		uint32_t hash;
		size_t len = th_frame(&g, i, frame);

		hw_rss_parse(frame, len, &tp);
		cr_assert_eq(tp.family, 4);
		cr_assert_eq(tp.l4, 6);
		memcpy(in, tp.src, 4);
		memcpy(in + 4, tp.dst, 4);
		memcpy(in + 8, tp.sport, 2);
		memcpy(in + 10, tp.dport, 2);
		hash = hw_toeplitz(key, in, sizeof(in));
		cr_assert_eq(atomic_load(&th.rx[1].seen[i]), 1, "frame %u", i);
		cr_assert_eq(atomic_load(&th.rx[1].hash[i]), hash,
			     "frame %u: hash %08x, expected %08x", i,
			     atomic_load(&th.rx[1].hash[i]), hash);
		cr_assert_eq(atomic_load(&th.rx[1].hinfo[i]), 0x200u | 0x1u,
			     "NDIS_HASH_TCP_IPV4 | NdisHashFunctionToeplitz");
		cr_assert_eq(atomic_load(&th.rx[1].vcpu[i]), table[hash & 127],
			     "frame %u (hash %08x) indicated on vCPU %u, the table says %u", i,
			     hash, atomic_load(&th.rx[1].vcpu[i]), table[hash & 127]);
		hops += table[hash & 127] == 1 && (hash & 127) < 128;
		checked++;
	}
	cr_assert_eq(checked, nframes);
	cr_assert_gt(atomic_load(&th.rx[1].per_vcpu[0]), 0, "some flows on vCPU 0");
	cr_assert_gt(atomic_load(&th.rx[1].per_vcpu[1]), 0, "some flows on vCPU 1");
	(void)hops;
	th_fini(&th);
}

/* ------------------------------------------------------- throttling */

static void throttled(enum hw_irq_kind kind, enum ndisrt_irq_mode irq, unsigned msgs)
{
	struct wire_gen_config g = th_gen(100, 4);
	struct ndisrt_nic_stats s;
	struct th th;

	th_init(&th, 2);
	th_load(&th, VN1_SO);
	th_pair(&th, kind, irq, msgs, 4, false);
	th.rx[1].expect_len = 100;
	/* One burst the receive ring can hold (256 buffers): nothing may be lost. */
	th_send(&th, 0, 0, &g, 0, 200, 64);
	check_conservation(&th, 0, 200);
	cr_assert_eq(th_rx_drops(th.dev[1]), 0);
	ndisrt_nic_get_stats(th.nic[1], &s);
	cr_assert_eq(s.indicated, 200);
	cr_assert_leq(s.max_nbls_one_dpc, 4, "a DPC indicated %lu NBLs with MaxNblsToIndicate 4",
		      (unsigned long)s.max_nbls_one_dpc);
	cr_assert_gt(s.max_nbls_one_dpc, 0, "the tally saw the DPCs");
	cr_assert_eq(s.throttle_exceeded, 0);
	cr_assert_geq(s.indications, 50, "at most 4 NBLs per indication");
	cr_assert_leq(atomic_load(&th.rx[1].max_in_call), 4);
	th_fini(&th);
}

Test(host_data, max_nbls_4_msix)
{
	throttled(HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 3);
}

Test(host_data, max_nbls_4_line)
{
	throttled(HW_IRQ_LINE, NDISRT_IRQ_LINE, 0);
}

/* ------------------------------------------------------------ status */

static void link_flap(enum hw_irq_kind kind, enum ndisrt_irq_mode irq, unsigned msgs)
{
	struct th th;
	uint64_t speed;

	th_init(&th, 2);
	th_load(&th, VN1_SO);
	th_pair(&th, kind, irq, msgs, 0, false);
	cr_assert(ndisrt_nic_link_up(th.nic[1], NULL), "link up after start");
	hw_dev_fault(th.dev[1], HW_FAULT_LINK, 0);
	WAIT_UNTIL(atomic_load(&th.st[1].link_states) >= 1);
	cr_assert_eq(atomic_load(&th.st[1].last_connect), 2, "MediaConnectStateDisconnected");
	cr_assert(!ndisrt_nic_link_up(th.nic[1], NULL));
	hw_dev_fault(th.dev[1], HW_FAULT_LINK, 1);
	WAIT_UNTIL(atomic_load(&th.st[1].link_states) >= 2);
	cr_assert_eq(atomic_load(&th.st[1].last_connect), 1, "MediaConnectStateConnected");
	cr_assert(ndisrt_nic_link_up(th.nic[1], &speed));
	cr_assert_eq(speed, 10000000000ull, "10 Gb/s");
	/* And traffic still flows. */
	exchange(&th, 0, 64, 32);
	th_fini(&th);
}

Test(host_data, link_change_msix)
{
	link_flap(HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 4);
}

Test(host_data, link_change_line)
{
	link_flap(HW_IRQ_LINE, NDISRT_IRQ_LINE, 0);
}

/* ------------------------------------------------------ pause, halt */

Test(host_data, D4_pause_pends_until_nbls_return, .init = host_2cpu, .fini = host_end)
{
	struct wire_gen_config g = th_gen(100, 4);
	struct ndisrt_nic_stats s;

	th_load(&t, VN1_SO);
	th_pair(&t, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 3, 0, false);
	ndisrt_nic_hold_returns(t.nic[1], true);
	th_send(&t, 0, 0, &g, 0, 20, 20);
	WAIT_UNTIL(atomic_load(&t.rx[1].frames) == 20);
	cr_assert_eq(ndisrt_nic_outstanding(t.nic[1]), 20, "the protocol side holds them");
	/* The driver must pend the pause until they come back (D4). */
	cr_assert_eq(ndisrt_nic_pause(t.nic[1]), 0);
	ndisrt_nic_get_stats(t.nic[1], &s);
	cr_assert_eq(s.pauses_pended, 1, "MiniportPause returned NDIS_STATUS_PENDING");
	cr_assert_eq(ndisrt_nic_outstanding(t.nic[1]), 0);
	cr_assert_eq(s.returned, 20);
	/* Paused: frames are received by the device but not indicated. */
	th_send(&t, 0, 0, &g, 20, 10, 10);
	WAIT_UNTIL(hw_device_stat(t.dev[1], "rx_offered", NULL) >= 30);
	cr_assert_eq(ndisrt_nic_send(t.nic[1], 0, (const void *const *)&g, (size_t[]){1}, 1), 0,
		     "no send to a paused NIC");
	cr_assert_eq(ndisrt_nic_restart(t.nic[1]), 0);
	th_send(&t, 0, 0, &g, 100, 10, 10);
	WAIT_UNTIL(atomic_load(&t.rx[1].seen[109]) == 1);
	ndisrt_nic_get_stats(t.nic[1], &s);
	cr_assert_geq(s.indicated, 30);
}

Test(host_data, halt_with_traffic_flowing, .init = host_2cpu, .fini = host_end)
{
	struct wire_gen_config g = th_gen(256, 16);
	struct ndisrt_nic_config cfg;
	struct wire_dir_stats ws;

	th_load(&t, VN1_SO);
	g.frames = 2000000;
	t.w = wire_gen_create(ndisrt_host_machine(t.h), &g);
	cr_assert_not_null(t.w);
	th_dev(&t, 1, HW_IRQ_MSIX, 16, false);
	hw_dev_wire_attach(t.dev[1], t.w, 0); /* the generator sends from end 1 */
	ndisrt_nic_config_init(&cfg, t.dev[1]);
	cfg.irq = NDISRT_IRQ_MSIX;
	cfg.msix_messages = 5;
	cr_assert_eq(ndisrt_nic_start(t.drv, &cfg, &t.nic[1], t.err, sizeof(t.err)), 0, "%s",
		     t.err);
	ndisrt_nic_set_rx_sink(t.nic[1], th_rx_sink, &t.rx[1]);
	cr_assert_eq(wire_source_start(t.w), 0);
	WAIT_UNTIL(atomic_load(&t.rx[1].frames) >= 2000);
	/* Pause (with NBLs in flight) and halt while frames keep arriving. */
	ndisrt_nic_halt(t.nic[1]);
	t.nic[1] = NULL;
	wire_source_stop(t.w);
	wire_get_stats(t.w, 1, &ws);
	cr_assert_eq(ws.offered, ws.delivered + ws.dropped, "wire conservation");
	cr_assert_eq(atomic_load(&t.rx[1].bad), 0);
}
