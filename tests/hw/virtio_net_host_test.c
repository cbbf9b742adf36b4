/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/virtio_net_host_test.c - the virtio_net sample miniport
 * (drivers/virtio_net) hosted on two virtio-net models back to back, end to
 * end: every interrupt mode, several vCPUs, multi-queue steering, link
 * change indications, what the driver negotiated. The model is reached
 * through hw/device.h, as hosting reaches it.
 */
#include "tests/harness.h"

#include <stdatomic.h>
#include <string.h>

#include "hw/device.h"
#include "hw/intc.h"
#include "hw/rss.h"
#include "hw/virtio_net/virtio_net.h"
#include "hw/wire.h"
#include "ndisrt/host.h"

#ifndef NDISRT_DRIVER_DIR
#error "NDISRT_DRIVER_DIR: the build directory of drivers/"
#endif
#define VIRTIO_NET_SO NDISRT_DRIVER_DIR "/virtio_net.so"

#define NFRAMES 2000u
#define HDRS_TCP4 54u /* wire_gen_frame: Ethernet + IPv4 + TCP */

struct rx_rec {
	atomic_ulong frames, bad;
	atomic_uint seen[NFRAMES];
	atomic_uint vcpu[NFRAMES]; /* where frame i was indicated */
	atomic_uint hash[NFRAMES]; /* its NetBufferListHashValue */
};

struct st_rec {
	atomic_ulong link_states;
	atomic_int last_connect;
};

struct vt {
	struct ndisrt_host *h;
	struct ndisrt_driver *drv;
	struct hw_device *dev[2];
	struct intc_line *line[2];
	struct ndisrt_nic *nic[2];
	struct wire *w;
	struct rx_rec rx[2];
	struct st_rec st[2];
	struct wire_gen_config g;
	char err[256];
};

static void rx_sink(void *ctx, struct ndisrt_nic *n, const struct ndisrt_rx_info *info,
		    const void *frame, size_t len)
{
	struct rx_rec *r = ctx;
	const uint8_t *f = frame;
	uint64_t i = 0;

	(void)n;
	(void)info;
	atomic_fetch_add(&r->frames, 1);
	if (len < HDRS_TCP4 + 8) {
		atomic_fetch_add(&r->bad, 1);
		return;
	}
	for (int k = 0; k < 8; k++)
		i = i << 8 | f[HDRS_TCP4 + k];
	for (size_t k = HDRS_TCP4 + 8; k < len; k++)
		if (f[k] != (uint8_t)(i + k)) {
			atomic_fetch_add(&r->bad, 1);
			return;
		}
	if (i < NFRAMES) {
		atomic_store(&r->vcpu[i], info->vcpu);
		atomic_store(&r->hash[i], info->hash_value);
		atomic_fetch_add(&r->seen[i], 1);
	} else
		atomic_fetch_add(&r->bad, 1);
}

static void status_sink(void *ctx, struct ndisrt_nic *n, uint32_t code, const void *buf, size_t len)
{
	struct st_rec *s = ctx;
	int connect;

	(void)n;
	if (code != 0x40010017u || len < 8) /* NDIS_STATUS_LINK_STATE */
		return;
	memcpy(&connect, (const uint8_t *)buf + 4, sizeof(connect)); /* MediaConnectState */
	atomic_store(&s->last_connect, connect);
	atomic_fetch_add(&s->link_states, 1);
}

static void vt_start_opts(struct vt *t, unsigned vcpus, enum hw_irq_kind kind,
			  enum ndisrt_irq_mode irq, unsigned msgs, const char *options)
{
	struct ndisrt_host_config hc = {.nr_vcpus = vcpus};

	memset(t, 0, sizeof(*t));
	t->h = ndisrt_host_create(&hc);
	cr_assert_not_null(t->h);
	cr_assert_eq(ndisrt_driver_load(t->h, VIRTIO_NET_SO, &t->drv, t->err, sizeof(t->err)), 0,
		     "%s", t->err);
	t->w = wire_pair_create(ndisrt_host_machine(t->h));
	cr_assert_not_null(t->w);
	for (unsigned i = 0; i < 2; i++) {
		struct hw_device_params p = {
		    .machine = ndisrt_host_machine(t->h),
		    .dma = ndisrt_host_dma(t->h),
		    .mem_base = 0xF0000000ULL + 0x100000ULL * i,
		    .port_base = (uint16_t)(0xC000 + 0x40 * i),
		    .irq_kind = kind,
		    .nr_msgs = kind == HW_IRQ_MSIX ? msgs : 1,
		    .options = options,
		};

		p.mac[0] = 0x02;
		p.mac[5] = (uint8_t)(i + 1);
		if (kind == HW_IRQ_LINE) {
			t->line[i] = intc_line_create(ndisrt_host_intc(t->h), 5, 0x1);
			cr_assert_not_null(t->line[i]);
			p.line_vector = (uint8_t)intc_line_vector(t->line[i]);
		}
		t->dev[i] = hw_device_create("virtio-net", &p, t->err, sizeof(t->err));
		cr_assert_not_null(t->dev[i], "%s", t->err);
		cr_assert_eq(hw_dev_wire_attach(t->dev[i], t->w, i), 0);
	}
	for (unsigned i = 0; i < 2; i++) {
		struct ndisrt_nic_config c;

		ndisrt_nic_config_init(&c, t->dev[i]);
		c.irq = irq;
		c.msix_messages = msgs;
		c.line = t->line[i];
		cr_assert_eq(ndisrt_nic_start(t->drv, &c, &t->nic[i], t->err, sizeof(t->err)), 0,
			     "ndisrt_nic_start: %s", t->err);
		ndisrt_nic_set_rx_sink(t->nic[i], rx_sink, &t->rx[i]);
		ndisrt_nic_set_status_sink(t->nic[i], status_sink, &t->st[i]);
	}
	t->g =
	    (struct wire_gen_config){.frames = 1, .size = 300, .flows = 16, .family = 4, .l4 = 6};
}

static void vt_start(struct vt *t, unsigned vcpus, enum hw_irq_kind kind, enum ndisrt_irq_mode irq,
		     unsigned msgs)
{
	vt_start_opts(t, vcpus, kind, irq, msgs, NULL);
}

static void vt_fini(struct vt *t)
{
	for (unsigned i = 0; i < 2; i++)
		ndisrt_nic_halt(t->nic[i]);
	ndisrt_driver_unload(t->drv);
	for (unsigned i = 0; i < 2; i++)
		hw_device_free(t->dev[i]);
	wire_close(t->w);
	for (unsigned i = 0; i < 2; i++)
		if (t->line[i])
			intc_line_free(t->line[i]);
	cr_assert_eq(ke_machine_quiesce(ndisrt_host_machine(t->h), 30000), 0);
	ndisrt_host_free(t->h);
}

/*
 * NIC 0 sends frames [0, NFRAMES) from every vCPU in turn, in batches of
 * @batch; with @paced, each batch must arrive before the next is sent (so a
 * small receive queue never overflows).
 */
static void vt_send_paced(struct vt *t, unsigned vcpus, unsigned batch, bool paced)
{
	static uint8_t bufs[32][2048];
	const void *frames[32];
	size_t lens[32];
	struct ndisrt_nic_stats s;

	for (unsigned done = 0, b = 0; done < NFRAMES; b++) {
		unsigned k = NFRAMES - done < batch ? NFRAMES - done : batch;

		for (unsigned j = 0; j < k; j++) {
			lens[j] = wire_gen_frame(&t->g, done + j, bufs[j], sizeof(bufs[j]));
			frames[j] = bufs[j];
		}
		cr_assert_eq(ndisrt_nic_send(t->nic[0], b % vcpus, frames, lens, k), k);
		done += k;
		WAIT_UNTIL((ndisrt_nic_get_stats(t->nic[0], &s),
			    s.send_completed + s.send_failed >= done));
		if (paced)
			WAIT_UNTIL(atomic_load(&t->rx[1].frames) >= done);
	}
	cr_assert_eq(s.send_failed, 0, "every send completed with NDIS_STATUS_SUCCESS");
}

static void vt_send_all(struct vt *t, unsigned vcpus)
{
	vt_send_paced(t, vcpus, 32, false);
}

/* Every frame arrived once, intact; the device's count of accepted frames matches. */
static void vt_check_received(struct vt *t)
{
	WAIT_UNTIL(atomic_load(&t->rx[1].frames) >= NFRAMES);
	cr_assert_eq(atomic_load(&t->rx[1].bad), 0, "frames intact");
	for (unsigned i = 0; i < NFRAMES; i++)
		cr_assert_eq(atomic_load(&t->rx[1].seen[i]), 1, "frame %u seen once", i);
	cr_assert_eq(hw_device_stat(t->dev[1], "rx_accepted", NULL), NFRAMES);
	cr_assert_eq(hw_device_stat(t->dev[0], "tx_sent", NULL), NFRAMES);
}

static void traffic(unsigned vcpus, enum hw_irq_kind kind, enum ndisrt_irq_mode irq, unsigned msgs)
{
	struct vt t;

	vt_start(&t, vcpus, kind, irq, msgs);
	vt_send_all(&t, vcpus);
	vt_check_received(&t);
	vt_fini(&t);
}

Test(virtio_net_host, line_1_vcpu)
{
	traffic(1, HW_IRQ_LINE, NDISRT_IRQ_LINE, 0);
}

Test(virtio_net_host, line_4_vcpus)
{
	traffic(4, HW_IRQ_LINE, NDISRT_IRQ_LINE, 0);
}

Test(virtio_net_host, msi_2_vcpus)
{
	traffic(2, HW_IRQ_MSI, NDISRT_IRQ_MSI, 1);
}

Test(virtio_net_host, msix_4_vcpus)
{
	traffic(4, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 16);
}

/*
 * With 16 messages on 4 vCPUs the driver runs 4 queue pairs (MQ through
 * the control queue), a vector per queue, and the device spreads flows over
 * the receive queues; the negotiated features include event-index and
 * indirect descriptors, and the device is DRIVER_OK.
 */
Test(virtio_net_host, msix_multiqueue_negotiation_and_vectors)
{
	struct vt t;
	struct vnet *v;
	unsigned used = 0;
	uint64_t f;

	vt_start(&t, 4, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 16);
	v = vnet_from_device(t.dev[1]);
	cr_assert_not_null(v);
	f = vnet_driver_features(v);
	cr_assert(f & VIRTIO_BIT(VIRTIO_F_VERSION_1));
	cr_assert(f & VIRTIO_BIT(VIRTIO_F_EVENT_IDX));
	cr_assert(f & VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC));
	cr_assert(f & VIRTIO_BIT(VIRTIO_NET_F_MQ));
	cr_assert_eq(vnet_device_status(v) & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK |
					      VIRTIO_STATUS_DEVICE_NEEDS_RESET),
		     VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK);
	cr_assert_eq(vnet_active_pairs(v), 4, "VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET 4 accepted");
	vt_send_all(&t, 4);
	vt_check_received(&t);
	for (unsigned q = 0; q < 4; q++) {
		char name[32];

		snprintf(name, sizeof(name), "rx_queue.%u", q);
		if (hw_device_stat(t.dev[1], name, NULL) == 0)
			continue;
		used++;
		/* receiveq q+1 signals vector 1 + 2q */
		snprintf(name, sizeof(name), "msgs_sent.%u", 1 + 2 * q);
		cr_assert_gt(hw_device_stat(t.dev[1], name, NULL), 0, "%s", name);
	}
	cr_assert_geq(used, 2, "flows spread over several receive queues (%u)", used);
	cr_assert_gt(hw_device_stat(t.dev[0], "msgs_sent.2", NULL), 0, "transmitq1 on vector 2");
	cr_assert_eq(hw_device_stat(t.dev[0], "line_assertions", NULL), 0, "no INTx with MSI-X");
	vt_fini(&t);
}

/* The STATUS field of the device configuration -> NDIS_STATUS_LINK_STATE. */
static void link_flap(enum hw_irq_kind kind, enum ndisrt_irq_mode irq, unsigned msgs)
{
	struct vt t;

	vt_start(&t, 2, kind, irq, msgs);
	cr_assert(ndisrt_nic_link_up(t.nic[1], NULL));
	cr_assert_eq(hw_dev_fault(t.dev[1], HW_FAULT_LINK, 0), 0);
	WAIT_UNTIL(atomic_load(&t.st[1].link_states) >= 1);
	cr_assert_eq(atomic_load(&t.st[1].last_connect), 2, "MediaConnectStateDisconnected");
	cr_assert(!ndisrt_nic_link_up(t.nic[1], NULL));
	cr_assert_eq(hw_dev_fault(t.dev[1], HW_FAULT_LINK, 1), 0);
	WAIT_UNTIL(atomic_load(&t.st[1].link_states) >= 2);
	cr_assert_eq(atomic_load(&t.st[1].last_connect), 1, "MediaConnectStateConnected");
	cr_assert(ndisrt_nic_link_up(t.nic[1], NULL));
	vt_fini(&t);
}

Test(virtio_net_host, link_change_msix)
{
	link_flap(HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 16);
}

Test(virtio_net_host, link_change_line_through_isr_config_bit)
{
	link_flap(HW_IRQ_LINE, NDISRT_IRQ_LINE, 0);
}

Test(virtio_net_host, link_change_msi_shared_vector)
{
	link_flap(HW_IRQ_MSI, NDISRT_IRQ_MSI, 1);
}

/* A spurious interrupt on the line (ISR status reads 0): the driver carries on. */
Test(virtio_net_host, spurious_line_interrupt_then_traffic_flows)
{
	struct vt t;

	vt_start(&t, 2, HW_IRQ_LINE, NDISRT_IRQ_LINE, 0);
	cr_assert_eq(hw_dev_fault(t.dev[1], HW_FAULT_SPURIOUS_IRQ, 0), 0);
	vt_send_all(&t, 2);
	vt_check_received(&t);
	cr_assert_eq(hw_device_stat(t.dev[1], "inj_spurious", NULL), 1);
	vt_fini(&t);
}

/*
 * A non-transitional device (1AF4:1041, no legacy I/O BAR) with 16-entry
 * queues: 8 transmit slots, so batches of 12 make NBLs wait for slots, and
 * every index wraps many times.
 */
Test(virtio_net_host, modern_only_device_small_queues_wrap)
{
	struct vt t;
	uint8_t cs[4];

	vt_start_opts(&t, 2, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 16, "modern,qsize=16");
	hw_dev_config_read(t.dev[1], 0, cs, sizeof(cs));
	cr_assert_eq(cs[2] | cs[3] << 8, 0x1041);
	vt_send_paced(&t, 2, 12, true);
	vt_check_received(&t);
	vt_fini(&t);
}

/*
 * RSS: OID_GEN_RECEIVE_SCALE_PARAMETERS becomes VIRTIO_NET_CTRL_MQ_RSS_CONFIG;
 * every TCP frame carries the device's Toeplitz hash and is indicated on
 * the processor hash -> indirection table -> processor names.
 */
Test(virtio_net_host, rss_hash_and_processor_follow_the_indirection_table)
{
	static const unsigned table[8] = {3, 2, 1, 0, 0, 1, 2, 3};
	struct vt t;
	uint8_t f[2048];

	vt_start(&t, 4, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 16);
	cr_assert_eq(
	    ndisrt_nic_set_rss(t.nic[1], hw_rss_default_key, 0x00000100 | 0x00000200, table, 8), 0,
	    "NDIS_HASH_IPV4 | NDIS_HASH_TCP_IPV4 accepted");
	vt_send_all(&t, 4);
	vt_check_received(&t);
	for (unsigned i = 0; i < NFRAMES; i++) {
		enum hw_rss_type ty;
		size_t len = wire_gen_frame(&t.g, i, f, sizeof(f));
		uint32_t h = hw_rss_hash_frame(
		    hw_rss_default_key,
		    HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_IPV4 | HW_RSS_MRQC_TCP_IPV4, f, len, &ty);

		cr_assert_eq(ty, HW_RSS_TCP_IPV4);
		cr_assert_eq(atomic_load(&t.rx[1].hash[i]), h, "frame %u: hash", i);
		cr_assert_eq(atomic_load(&t.rx[1].vcpu[i]), table[h & 7], "frame %u: vCPU", i);
	}
	cr_assert_eq(hw_device_stat(t.dev[1], "rx_rss_hashed", NULL), NFRAMES);
	vt_fini(&t);
}
