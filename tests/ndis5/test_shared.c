/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_shared.c - the sample NDIS 5 miniport (drivers/vn1pio,
 * linked in) on two VN-1s that share one INTx line and are cabled to each
 * other: both send and receive at once, each ISR claims only its own
 * interrupts, and no frame is lost or duplicated.
 */
#include "tests/ndis5/tndis5.h"

#include "hw/wire.h"

/* drivers/vn1pio, linked in with DriverEntry renamed (tests/ndis5/CMakeLists.txt). */
DRIVER_INITIALIZE Vn1PioDriverEntry;

#define FRAMES_PER_NIC 3000
#define WINDOW 8 /* frames in flight per direction: below the 16-frame FIFO */

struct side {
	struct vn1 *dev;
	struct intc_source src;
	struct ndisrt_ndis5_nic *nic;
	uint8_t mac[6];
	atomic_ulong rx, rx_bad, rx_dup;
	atomic_uint_least64_t seen[FRAMES_PER_NIC / 64 + 1];
};

static size_t frame_len(unsigned seq)
{
	return 60 + (seq * 37u) % 1455u; /* 60..1514, odd and even */
}

static size_t make_frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], unsigned seq)
{
	size_t len = frame_len(seq);

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xB5;
	memcpy(f + 14, &seq, 4);
	for (size_t i = 18; i < len; i++)
		f[i] = (uint8_t)(seq + i);
	return len;
}

/* At DISPATCH_LEVEL on the indicating vCPU: check and count, no asserts. */
static void rx_sink(void *ctx, struct ndisrt_ndis5_nic *n, unsigned vcpu, const void *frame,
		    size_t len)
{
	struct side *s = ctx;
	const uint8_t *f = frame;
	unsigned seq;
	bool ok;

	(void)n, (void)vcpu;
	memcpy(&seq, f + 14, 4);
	ok =
	    len >= 18 && seq < FRAMES_PER_NIC && len == frame_len(seq) && memcmp(f, s->mac, 6) == 0;
	for (size_t i = 18; ok && i < len; i++)
		ok = f[i] == (uint8_t)(seq + i);
	if (!ok) {
		atomic_fetch_add(&s->rx_bad, 1);
		return;
	}
	if (atomic_fetch_or(&s->seen[seq / 64], 1ull << (seq % 64)) & (1ull << (seq % 64)))
		atomic_fetch_add(&s->rx_dup, 1);
	atomic_fetch_add(&s->rx, 1);
}

static void make_side(struct t5env *e, struct side *s, unsigned i)
{
	s->dev = t5env_vn1(e, &s->src);
	memcpy(s->mac, ((uint8_t[6]){0x02, 0x00, 0x4e, 0x35, 0x00, (uint8_t)(i + 1)}), 6);
}

static void start_side(struct t5env *e, struct ndisrt_ndis5_driver *drv, struct side *s)
{
	struct ndisrt_ndis5_nic_config cfg = {
	    .m = e->m, .line = e->line, .dev = vn1_device(s->dev)};
	uint32_t filter =
	    NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST | NDIS_PACKET_TYPE_MULTICAST;
	uint8_t mac[6];
	uint32_t done;
	char err[256];

	cr_assert_eq(ndisrt_ndis5_nic_start(drv, &cfg, &s->nic, err, sizeof(err)), 0, "%s", err);
	ndisrt_ndis5_nic_set_rx_sink(s->nic, rx_sink, s);
	cr_assert_eq(ndisrt_ndis5_nic_set(s->nic, OID_GEN_CURRENT_PACKET_FILTER, &filter,
					  sizeof(filter), &done),
		     NDIS_STATUS_SUCCESS);
	cr_assert_eq(ndisrt_ndis5_nic_query(s->nic, OID_802_3_CURRENT_ADDRESS, mac, 6, &done),
		     NDIS_STATUS_SUCCESS);
	cr_assert_arr_eq(mac, s->mac, 6);
}

static void send_window(struct side *from, struct side *to, unsigned first, unsigned count,
			unsigned vcpu)
{
	static uint8_t buf[WINDOW][1600];
	const void *frames[WINDOW];
	size_t lens[WINDOW];

	for (unsigned k = 0; k < count; k++) {
		lens[k] = make_frame(buf[k], to->mac, from->mac, first + k);
		frames[k] = buf[k];
	}
	cr_assert_eq(ndisrt_ndis5_nic_send(from->nic, vcpu, frames, lens, count), count);
}

static void run_traffic(unsigned nr_vcpus)
{
	struct t5env e;
	struct side a = {0}, b = {0};
	struct wire *w;
	struct ndisrt_ndis5_stats sa, sb;
	struct vn1_stats va, vb;

	memset(&e, 0, sizeof(e));
	e.m = harness_machine(nr_vcpus);
	e.ic = intc_create(e.m);
	e.line = intc_line_create(e.ic, T5_LINE_IRQL, nr_vcpus == 1 ? 1 : 3);
	cr_assert_not_null(e.line);
	cr_assert_eq(ndisrt_ndis5_driver_entry(e.m, (ndisrt_ndis5_entry_fn *)Vn1PioDriverEntry,
					       &e.driver_object, &e.drv, (char[128]){0}, 128),
		     0);
	make_side(&e, &a, 0);
	make_side(&e, &b, 1);
	w = wire_pair_create(e.m);
	cr_assert_not_null(w);
	vn1_wire_attach(a.dev, w, 0);
	vn1_wire_attach(b.dev, w, 1);
	start_side(&e, e.drv, &a);
	start_side(&e, e.drv, &b);

	for (unsigned first = 0; first < FRAMES_PER_NIC; first += WINDOW) {
		unsigned count = FRAMES_PER_NIC - first < WINDOW ? FRAMES_PER_NIC - first : WINDOW;

		send_window(&a, &b, first, count, 0);
		send_window(&b, &a, first, count, nr_vcpus - 1);
		WAIT_UNTIL(atomic_load(&b.rx) == first + count &&
			   atomic_load(&a.rx) == first + count);
	}
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);

	ndisrt_ndis5_nic_get_stats(a.nic, &sa);
	ndisrt_ndis5_nic_get_stats(b.nic, &sb);
	vn1_get_stats(a.dev, &va);
	vn1_get_stats(b.dev, &vb);
	cr_assert_eq(atomic_load(&a.rx_bad) + atomic_load(&b.rx_bad), 0, "corrupt frames");
	cr_assert_eq(atomic_load(&a.rx_dup) + atomic_load(&b.rx_dup), 0, "duplicated frames");
	cr_assert_eq(atomic_load(&a.rx), FRAMES_PER_NIC);
	cr_assert_eq(atomic_load(&b.rx), FRAMES_PER_NIC);
	cr_assert_eq(sa.send_completed, FRAMES_PER_NIC);
	cr_assert_eq(sb.send_completed, FRAMES_PER_NIC);
	cr_assert_eq(va.rx_fifo_full + vb.rx_fifo_full, 0, "FIFO overflow");
	cr_assert_eq(va.tx_sent, FRAMES_PER_NIC);
	cr_assert_eq(vb.tx_sent, FRAMES_PER_NIC);
	/* Both ISRs ran for interrupts that were not theirs and claimed none of them. */
	cr_assert_gt(sa.isrs_recognized, 0);
	cr_assert_gt(sb.isrs_recognized, 0);
	/* Whichever ISR is first on the line ran for the other NIC's interrupts. */
	cr_assert(sa.isrs > sa.isrs_recognized || sb.isrs > sb.isrs_recognized,
		  "an ISR saw the other NIC's interrupts and did not claim them");
	cr_assert_eq(sa.handle_interrupts, sa.enables, "L5 for each HandleInterrupt");

	ndisrt_ndis5_nic_halt(a.nic);
	ndisrt_ndis5_nic_halt(b.nic);
	/* The devices leave the wire before it is closed. */
	for (unsigned i = 0; i < e.nr_devs; i++)
		vn1_free(e.devs[i]);
	e.nr_devs = 0;
	wire_close(w);
	t5env_end(&e);
}

Test(ndis5_shared, two_vn1pio_on_one_shared_line_lose_nothing_1_vcpu, .timeout = 120)
{
	run_traffic(1);
}

Test(ndis5_shared, two_vn1pio_on_one_shared_line_lose_nothing_2_vcpus, .timeout = 120)
{
	run_traffic(2);
}
