/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/test_virtio_net.c - the virtio-net model against the OASIS virtio
 * 1.x specification; each test names the section whose behaviour it proves.
 */
#include "virtio_net_harness.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <unistd.h>

#define F(b) VIRTIO_BIT(b)
#define F_BASE (F(VIRTIO_F_VERSION_1) | F(VIRTIO_NET_F_MAC) | F(VIRTIO_NET_F_STATUS))

/* virtio: PCI Device Discovery; Virtio Structure PCI Capabilities */
Test(virtio_net, pci_identity_and_capability_chain)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_MSIX};
	struct vx x;
	uint8_t cs[256];
	unsigned types = 0;

	vx_init(&x, &cfg);
	cr_assert_eq(vnet_pci_config_read(x.dev, 0, cs, sizeof(cs)), 256);
	cr_assert_eq(vx_get16(cs), 0x1AF4);
	cr_assert_eq(vx_get16(cs + 2), 0x1000, "transitional network device");
	cr_assert_eq(cs[8], 0, "transitional devices MUST have revision 0");
	cr_assert_eq(vx_get16(cs + 0x2E), VIRTIO_ID_NET, "subsystem device = device ID");
	cr_assert_eq(vx_get32(cs + 0x10) & 1, 1, "BAR0 is the legacy I/O block");
	for (unsigned p = cs[0x34]; p; p = cs[p + 1]) {
		if (cs[p] == 0x11) {
			cr_assert_eq(vx_get16(cs + p + 2) & 0x7FF, VNET_NR_VECTORS - 1);
			continue;
		}
		cr_assert_eq(cs[p], 0x09, "vendor-specific capability");
		if (cs[p + 3] != VIRTIO_PCI_CAP_PCI_CFG) /* its bar is the driver's to set */
			cr_assert_eq(cs[p + 4], 1, "in BAR1");
		types |= 1u << cs[p + 3];
		if (cs[p + 3] == VIRTIO_PCI_CAP_NOTIFY_CFG)
			cr_assert_eq(vx_get32(cs + p + 16), VNET_NOTIFY_MULTIPLIER);
	}
	cr_assert_eq(types, 0x3Eu, "common, notify, ISR, device and PCI-cfg structures");
	vx_fini(&x);

	cfg = (struct vnet_config){.modern_only = true};
	vx_init(&x, &cfg);
	vnet_pci_config_read(x.dev, 0, cs, sizeof(cs));
	cr_assert_eq(vx_get16(cs + 2), 0x1041, "0x1040 + device ID 1");
	cr_assert_geq(cs[8], 1);
	cr_assert_eq(vx_get32(cs + 0x10), 0, "no legacy BAR");
	vx_fini(&x);
}

/* virtio: Feature Bits ("otherwise it MUST fail to set the FEATURES_OK device status bit") */
Test(virtio_net, features_ok_refused_for_unsupported_features)
{
	struct vnet_config cfg = {.features =
				      F_BASE | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ)};
	struct vx x;
	struct vnet_stats st;

	vx_init(&x, &cfg);
	cr_assert_eq(CR32(&x, VIRTIO_COMMON_DF) & F(VIRTIO_F_EVENT_IDX), 0);
	/* a feature the device did not offer */
	cr_assert_eq(vx_negotiate(&x, F_BASE | F(VIRTIO_F_EVENT_IDX)) & VIRTIO_STATUS_FEATURES_OK,
		     0);
	/* MQ without the control queue it depends on */
	cr_assert_eq(vx_negotiate(&x, F_BASE | F(VIRTIO_NET_F_MQ)) & VIRTIO_STATUS_FEATURES_OK, 0);
	/* the modern interface without VERSION_1 */
	cr_assert_eq(vx_negotiate(&x, F(VIRTIO_NET_F_MAC)) & VIRTIO_STATUS_FEATURES_OK, 0);
	vnet_get_stats(x.dev, &st);
	cr_assert_eq(st.features_refused, 3);
	cr_assert_eq(vnet_driver_features(x.dev), 0, "nothing negotiated");
	/* a valid subset is accepted, and fixed from then on */
	cr_assert_neq(vx_negotiate(&x, F_BASE | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ)) &
			  VIRTIO_STATUS_FEATURES_OK,
		      0);
	CW32(&x, VIRTIO_COMMON_GFSELECT, 0);
	CW32(&x, VIRTIO_COMMON_GF, 0);
	cr_assert_eq(vnet_driver_features(x.dev),
		     F_BASE | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ));
	vx_fini(&x);
}

/* virtio: ISR status capability ("The device MUST reset ISR status to 0 on driver read") */
Test(virtio_net, isr_read_to_clear_deasserts_intx)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	struct vx x;
	struct vx_tq rx;
	uint8_t f[128];

	vx_init(&x, &cfg);
	cr_assert(vx_negotiate(&x, F_BASE) & VIRTIO_STATUS_FEATURES_OK);
	vx_tq_modern(&x, &rx, 0, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	vx_rx_give(&rx, 0, 2048);
	cr_assert_eq(vnet_receive(x.dev, f, hx_frame(f, hx_mac[0], 0, 4, 17, 100)), 0);
	cr_assert(vnet_line_asserted(x.dev), "a used buffer asserts INTx");
	vnet_host_set_link(x.dev, false);
	cr_assert_eq(vnet_mmio_read8(x.dev, VNET_BAR1_ISR), VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG);
	cr_assert_not(vnet_line_asserted(x.dev), "the read deasserts the line");
	cr_assert_eq(vnet_mmio_read8(x.dev, VNET_BAR1_ISR), 0, "and cleared the byte");
	cr_assert_eq(atomic_load(&x.rec.rises), 1);
	cr_assert_eq(atomic_load(&x.rec.falls), 1);
	vx_fini(&x);
}

/* virtio: The Virtqueue Used Ring; Available Ring (free-running indices, ring of size N) */
Test(virtio_net, ring_wrap_keeps_order_and_data)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	struct vx x;
	struct vx_tq rx;
	uint8_t f[256];

	vx_init(&x, &cfg);
	vx_negotiate(&x, F_BASE);
	vx_tq_modern(&x, &rx, 0, 4, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	for (unsigned i = 0; i < 4; i++)
		vx_rx_give(&rx, i, 2048);
	for (unsigned n = 0; n < 11; n++) {
		size_t len = hx_frame(f, hx_mac[0], n, 4, 17, 100 + n);
		uint32_t id, ulen;

		cr_assert_eq(vnet_receive(x.dev, f, len), 0, "frame %u", n);
		cr_assert_eq(vx_used_idx(&rx), (uint16_t)(n + 1));
		vx_used_entry(&rx, (uint16_t)n, &id, &ulen);
		cr_assert_eq(id, n % 4, "entries come back in order around the ring");
		cr_assert_eq(ulen, VIRTIO_NET_HDR_LEN + len);
		cr_assert_eq(memcmp(rx.buf[id] + VIRTIO_NET_HDR_LEN, f, len), 0);
		cr_assert_eq(vx_get16(rx.buf[id] + 10), 1, "num_buffers");
		vx_rx_give(&rx, id, 2048);
	}
	vx_fini(&x);
}

/* virtio: The Virtqueue Descriptor Table; Indirect Descriptors */
Test(virtio_net, chained_and_indirect_descriptors)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	struct vx x;
	struct vx_tq tx;
	uint8_t f[200], *tbl;
	uint64_t tbl_la;
	size_t len;

	vx_init(&x, &cfg);
	vx_negotiate(&x, F_BASE | F(VIRTIO_F_INDIRECT_DESC));
	vx_tq_modern(&x, &tx, 1, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	len = hx_frame(f, hx_mac[1], 0, 4, 17, 200);
	/* a chain of three: header, then the frame in two pieces */
	memset(tx.buf[0], 0, VIRTIO_NET_HDR_LEN);
	memcpy(tx.buf[1], f, 50);
	memcpy(tx.buf[2], f + 50, len - 50);
	vx_desc(&tx, 0, tx.buf_la[0], VIRTIO_NET_HDR_LEN, VIRTQ_DESC_F_NEXT, 5);
	vx_desc(&tx, 5, tx.buf_la[1], 50, VIRTQ_DESC_F_NEXT, 3);
	vx_desc(&tx, 3, tx.buf_la[2], (uint32_t)(len - 50), 0, 0);
	vx_avail(&tx, 0);
	vx_notify(&x, 1);
	cr_assert_eq(x.nframes, 1);
	cr_assert_eq(x.flen[0], len);
	cr_assert_eq(memcmp(x.frame[0], f, len), 0, "the pieces joined in chain order");
	/* the same frame through an indirect table of two entries */
	tbl = hw_dma_alloc(x.h.dma, 32, &tbl_la);
	for (int k = 0; k < 8; k++) {
		tbl[k] = (uint8_t)(tx.buf_la[0] >> (8 * k));
		tbl[16 + k] = (uint8_t)(tx.buf_la[4] >> (8 * k));
	}
	memcpy(tx.buf[4], f, len);
	vx_put16(tbl + 8, VIRTIO_NET_HDR_LEN);
	vx_put16(tbl + 12, VIRTQ_DESC_F_NEXT);
	vx_put16(tbl + 14, 1);
	vx_put16(tbl + 24, (uint16_t)len);
	/* WRITE on the descriptor that refers to the table is ignored */
	vx_desc(&tx, 6, tbl_la, 32, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_WRITE, 0);
	vx_avail(&tx, 6);
	vx_notify(&x, 1);
	cr_assert_eq(x.nframes, 2);
	cr_assert_eq(memcmp(x.frame[1], f, len), 0);
	cr_assert_eq(vx_used_idx(&tx), 2);
	cr_assert_eq(vnet_device_status(x.dev) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
	/* INDIRECT together with NEXT is malformed: the device needs a reset */
	vx_desc(&tx, 7, tbl_la, 32, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 0);
	vx_avail(&tx, 7);
	vx_notify(&x, 1);
	cr_assert_eq(x.nframes, 2);
	cr_assert_neq(vnet_device_status(x.dev) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
	cr_assert_eq(vnet_mmio_read8(x.dev, VNET_BAR1_ISR), VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG,
		     "NEEDS_RESET after DRIVER_OK sends a configuration change");
	vx_fini(&x);
}

/* virtio: Indirect Descriptors ("MUST NOT set ... INDIRECT unless ... negotiated"); loops */
Test(virtio_net, indirect_without_feature_and_loops_are_device_errors)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	struct vx x;
	struct vx_tq tx;

	vx_init(&x, &cfg);
	vx_negotiate(&x, F_BASE);
	vx_tq_modern(&x, &tx, 1, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	vx_desc(&tx, 0, tx.buf_la[0], 32, VIRTQ_DESC_F_INDIRECT, 0);
	vx_avail(&tx, 0);
	vx_notify(&x, 1);
	cr_assert_neq(vnet_device_status(x.dev) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
	cr_assert_eq(x.nframes, 0);
	vx_fini(&x);

	vx_init(&x, &cfg);
	vx_negotiate(&x, F_BASE);
	vx_tq_modern(&x, &tx, 1, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	vx_desc(&tx, 0, tx.buf_la[0], 12, VIRTQ_DESC_F_NEXT, 1);
	vx_desc(&tx, 1, tx.buf_la[1], 60, VIRTQ_DESC_F_NEXT, 0); /* back to 0: a loop */
	vx_avail(&tx, 0);
	vx_notify(&x, 1);
	cr_assert_neq(vnet_device_status(x.dev) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
	cr_assert_eq(x.nframes, 0, "a looping chain is never sent");
	vx_fini(&x);
}

/* virtio: Used Buffer Notification Suppression (flags, and VIRTIO_F_EVENT_IDX) */
Test(virtio_net, event_idx_and_flags_suppress_used_notifications)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_MSIX};
	struct vx x;
	struct vx_tq rx;
	struct vnet_stats st;
	uint8_t f[128];
	size_t len;

	vx_init(&x, &cfg);
	vx_msix(&x);
	vx_negotiate(&x, F_BASE | F(VIRTIO_F_EVENT_IDX));
	vx_tq_modern(&x, &rx, 0, 8, 2048, 1);
	vx_driver_ok(&x);
	for (unsigned i = 0; i < 8; i++)
		vx_rx_give(&rx, i, 2048);
	len = hx_frame(f, hx_mac[0], 0, 4, 17, 100);
	/* used_event = 2: interrupt only when the entry at used index 2 is added */
	vx_put16(rx.avail + 4 + 2 * 8, 2);
	vx_put16(rx.avail, VIRTQ_AVAIL_F_NO_INTERRUPT); /* ignored with EVENT_IDX */
	for (unsigned n = 0; n < 4; n++) {
		cr_assert_eq(vnet_receive(x.dev, f, len), 0);
		cr_assert_eq(rec_count_msg(&x.rec, 1), n >= 2 ? 1u : 0u, "after frame %u", n);
	}
	cr_assert_eq(vx_get16(rx.used + 4 + 8 * 8), 4, "avail_event: where the device is");
	vx_fini(&x);

	vx_init(&x, &cfg);
	vx_msix(&x);
	vx_negotiate(&x, F_BASE);
	vx_tq_modern(&x, &rx, 0, 8, 2048, 1);
	vx_driver_ok(&x);
	for (unsigned i = 0; i < 8; i++)
		vx_rx_give(&rx, i, 2048);
	vx_put16(rx.avail, VIRTQ_AVAIL_F_NO_INTERRUPT);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	cr_assert_eq(rec_count_msg(&x.rec, 1), 0, "NO_INTERRUPT holds the notification");
	vx_put16(rx.avail, 0);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	cr_assert_eq(rec_count_msg(&x.rec, 1), 1, "flags 0: the device MUST notify");
	vnet_get_stats(x.dev, &st);
	cr_assert_eq(st.used_suppressed[0], 1);
	cr_assert_eq(st.used_notifies[0], 1);
	vx_fini(&x);
}

/* virtio: MSI-X Vector Configuration; Used Buffer Notifications; Notification of Device
 * Configuration Changes */
Test(virtio_net, msix_vectors_route_queue_and_config_events)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_MSIX};
	struct vx x;
	struct vx_tq rx, tx;
	uint8_t f[128];
	size_t len;

	vx_init(&x, &cfg);
	vx_msix(&x);
	vx_negotiate(&x, F_BASE);
	CW16(&x, VIRTIO_COMMON_MSIX, 0);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_MSIX), 0);
	CW16(&x, VIRTIO_COMMON_MSIX, VNET_NR_VECTORS); /* past the table: mapping fails */
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_MSIX), VIRTIO_MSI_NO_VECTOR);
	CW16(&x, VIRTIO_COMMON_MSIX, 3);
	vx_tq_modern(&x, &rx, 0, 8, 2048, 1);
	vx_tq_modern(&x, &tx, 1, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	CW16(&x, VIRTIO_COMMON_Q_SELECT, 0);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_Q_MSIX), 1);
	vx_driver_ok(&x);
	vx_rx_give(&rx, 0, 2048);
	len = hx_frame(f, hx_mac[0], 0, 4, 17, 100);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	cr_assert_eq(rec_count_msg(&x.rec, 1), 1, "receive queue on its vector");
	vx_tx_frame(&x, &tx, 0, f, (unsigned)len);
	cr_assert_eq(x.nframes, 1);
	vnet_host_set_link(x.dev, false);
	cr_assert_eq(rec_count_msg(&x.rec, 3), 1, "configuration change on config_msix_vector");
	cr_assert_eq(atomic_load(&x.rec.nmsi), 2, "the NO_VECTOR queue sent nothing");
	cr_assert_not(vnet_line_asserted(x.dev), "no INTx with MSI-X on");
	/* a masked vector pends in the PBA and is sent once on unmask */
	vnet_msix_set_masked(x.dev, 3, true);
	vnet_host_set_link(x.dev, true);
	cr_assert_eq(vnet_mmio_read32(x.dev, VNET_BAR1_MSIX_PBA), 1u << 3);
	vnet_msix_set_masked(x.dev, 3, false);
	cr_assert_eq(rec_count_msg(&x.rec, 3), 2);
	cr_assert_eq(vnet_mmio_read32(x.dev, VNET_BAR1_MSIX_PBA), 0);
	vx_fini(&x);
}

/* virtio: Virtqueue Reset; Common configuration structure layout (queue_reset) */
Test(virtio_net, queue_reset_disables_and_forgets_one_queue)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_MSIX};
	struct vx x;
	struct vx_tq rx, rx2;
	uint8_t f[128];
	size_t len;

	vx_init(&x, &cfg);
	vx_msix(&x);
	cr_assert(vx_negotiate(&x, F_BASE | F(VIRTIO_F_RING_RESET)) & VIRTIO_STATUS_FEATURES_OK);
	vx_tq_modern(&x, &rx, 0, 8, 2048, 1);
	vx_driver_ok(&x);
	vx_rx_give(&rx, 0, 2048);
	len = hx_frame(f, hx_mac[0], 0, 4, 17, 100);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	CW16(&x, VIRTIO_COMMON_Q_SELECT, 0);
	CW16(&x, VIRTIO_COMMON_Q_RESET, 1);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_Q_RESET), 0, "reset complete");
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_Q_ENABLE), 0);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_Q_MSIX), VIRTIO_MSI_NO_VECTOR);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_Q_SIZE), VNET_QUEUE_SIZE_MAX);
	cr_assert_eq(CR32(&x, VIRTIO_COMMON_Q_DESCLO), 0);
	cr_assert_eq(vnet_receive(x.dev, f, len), VNET_RX_NO_BUFFER, "a reset queue takes nothing");
	/* re-enabled with new memory and a new size, it starts from index 0 */
	vx_tq_modern(&x, &rx2, 0, 4, 2048, 2);
	vx_rx_give(&rx2, 0, 2048);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	cr_assert_eq(vx_used_idx(&rx2), 1);
	cr_assert_eq(rec_count_msg(&x.rec, 2), 1);
	cr_assert_eq(vnet_device_status(x.dev) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
	vx_fini(&x);
}

/* virtio: Device Status Field; Common configuration ("MUST reset when 0 is written") */
Test(virtio_net, device_reset_returns_everything_to_defaults)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_MSIX};
	struct vx x;
	struct vx_tq rx;
	uint8_t f[128];

	vx_init(&x, &cfg);
	vx_msix(&x);
	vx_negotiate(&x, F_BASE);
	CW16(&x, VIRTIO_COMMON_MSIX, 0);
	vx_tq_modern(&x, &rx, 0, 8, 2048, 1);
	vx_driver_ok(&x);
	CW8(&x, VIRTIO_COMMON_STATUS, 0);
	cr_assert_eq(CR8(&x, VIRTIO_COMMON_STATUS), 0);
	cr_assert_eq(CR32(&x, VIRTIO_COMMON_GF), 0);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_MSIX), VIRTIO_MSI_NO_VECTOR);
	CW16(&x, VIRTIO_COMMON_Q_SELECT, 0);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_Q_ENABLE), 0);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_Q_MSIX), VIRTIO_MSI_NO_VECTOR);
	vx_rx_give(&rx, 0, 2048);
	cr_assert_eq(vnet_receive(x.dev, f, hx_frame(f, hx_mac[0], 0, 4, 17, 100)),
		     VNET_RX_NOT_READY, "no buffers are consumed before DRIVER_OK");
	cr_assert_eq(vx_used_idx(&rx), 0);
	vx_fini(&x);
}

/*
 * virtio: Legacy Interfaces: A Note on PCI Device Layout, on Virtqueue Layout;
 * Network Device / Device Operation (10-byte header without MRG_RXBUF)
 */
Test(virtio_net, legacy_interface_pfn_layout_and_moving_config)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	struct vx x;
	struct vx_tq rx;
	uint8_t f[128];
	size_t len;
	uint32_t id, ulen;

	vx_init(&x, &cfg);
	cr_assert_eq(vnet_pio_read32(x.dev, VIRTIO_LEGACY_HOST_FEATURES) & F(VIRTIO_NET_F_MAC),
		     F(VIRTIO_NET_F_MAC));
	for (unsigned i = 0; i < 6; i++)
		cr_assert_eq(vnet_pio_read8(x.dev, 0x14 + i), hx_mac[0][i], "config at 20");
	vnet_pio_write8(x.dev, VIRTIO_LEGACY_STATUS,
			VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vnet_pio_write32(x.dev, VIRTIO_LEGACY_GUEST_FEATURES, F(VIRTIO_NET_F_MAC));
	vnet_pio_write16(x.dev, VIRTIO_LEGACY_QUEUE_SEL, 0);
	cr_assert_eq(vnet_pio_read16(x.dev, VIRTIO_LEGACY_QUEUE_NUM), VNET_QUEUE_SIZE_MAX);
	vx_tq_alloc(&x, &rx, 0, VNET_QUEUE_SIZE_MAX, 2048);
	vnet_pio_write32(x.dev, VIRTIO_LEGACY_QUEUE_PFN, (uint32_t)(rx.la / 4096));
	vnet_pio_write8(x.dev, VIRTIO_LEGACY_STATUS,
			VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
	vx_rx_give(&rx, 0, 2048);
	len = hx_frame(f, hx_mac[0], 0, 4, 17, 100);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	vx_used_entry(&rx, 0, &id, &ulen);
	cr_assert_eq(vx_used_idx(&rx), 1, "used ring at the next 4096 boundary");
	cr_assert_eq(ulen, VIRTIO_NET_HDR_LEN_LEGACY + len);
	cr_assert_eq(memcmp(rx.buf[0] + VIRTIO_NET_HDR_LEN_LEGACY, f, len), 0);
	cr_assert_eq(vnet_pio_read8(x.dev, VIRTIO_LEGACY_ISR), VIRTIO_ISR_QUEUE);
	cr_assert_eq(vnet_pio_read8(x.dev, VIRTIO_LEGACY_ISR), 0);
	vx_msix(&x);
	cr_assert_eq(vnet_pio_read8(x.dev, 0x18), hx_mac[0][0], "MSI-X on: config moves to 24");
	vnet_pio_write16(x.dev, VIRTIO_LEGACY_QUEUE_VECTOR, 2);
	cr_assert_eq(vnet_pio_read16(x.dev, VIRTIO_LEGACY_QUEUE_VECTOR), 2);
	vx_fini(&x);
}

/* virtio: Setting Up Receive Buffers / Processing of Incoming Packets (MRG_RXBUF) */
Test(virtio_net, mergeable_buffers_spread_a_frame_with_num_buffers)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	struct vx x;
	struct vx_tq rx;
	uint8_t f[1600], got[1600];
	size_t len, off = 0;

	vx_init(&x, &cfg);
	vx_negotiate(&x, F_BASE | F(VIRTIO_NET_F_MRG_RXBUF));
	vx_tq_modern(&x, &rx, 0, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	for (unsigned i = 0; i < 8; i++)
		vx_rx_give(&rx, i, 512);
	len = hx_frame(f, hx_mac[0], 0, 4, 17, 1500);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	cr_assert_eq(vx_used_idx(&rx), 3, "12 + 1500 bytes in 512-byte buffers");
	cr_assert_eq(vx_get16(rx.buf[0] + 10), 3, "num_buffers");
	for (uint16_t i = 0; i < 3; i++) {
		uint32_t id, ulen;
		unsigned skip = i ? 0 : VIRTIO_NET_HDR_LEN;

		vx_used_entry(&rx, i, &id, &ulen);
		memcpy(got + off, rx.buf[id] + skip, ulen - skip);
		off += ulen - skip;
	}
	cr_assert_eq(off, len);
	cr_assert_eq(memcmp(got, f, len), 0);
	/* a buffer smaller than the header is the driver's error: NEEDS_RESET */
	for (unsigned i = 3; i < 8; i++)
		vx_rx_give(&rx, i, 8);
	cr_assert_eq(vnet_receive(x.dev, f, len), VNET_RX_DEVICE_ERROR);
	cr_assert_neq(vnet_device_status(x.dev) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
	vx_fini(&x);
}

/* virtio: Control Virtqueue; Automatic receive steering in multiqueue mode */
Test(virtio_net, mq_pairs_set_then_reply_follows_its_transmit_queue)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_MSIX, .max_pairs = 4};
	struct vx x;
	struct vx_tq q[9];
	uint8_t f[128], *cmd;
	uint64_t cmd_la;
	size_t len;
	struct vnet_stats st;

	vx_init(&x, &cfg);
	vx_msix(&x);
	cr_assert(vx_negotiate(&x, F_BASE | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ)) &
		  VIRTIO_STATUS_FEATURES_OK);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_NUMQ), 9);
	cr_assert_eq(vnet_mmio_read16(x.dev, VNET_BAR1_DEVICE + VIRTIO_NET_CFG_MAX_PAIRS), 4);
	for (unsigned i = 0; i < 9; i++)
		vx_tq_modern(&x, &q[i], i, 8, 2048, (uint16_t)i);
	vx_driver_ok(&x);
	cmd = hw_dma_alloc(x.h.dma, 8, &cmd_la);
	cmd[0] = VIRTIO_NET_CTRL_MQ;
	cmd[1] = VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET;
	vx_put16(cmd + 2, 4);
	cmd[4] = 0xEE;
	vx_desc(&q[8], 0, cmd_la, 4, VIRTQ_DESC_F_NEXT, 1);
	vx_desc(&q[8], 1, cmd_la + 4, 1, VIRTQ_DESC_F_WRITE, 0);
	vx_avail(&q[8], 0);
	vx_notify(&x, 8);
	cr_assert_eq(cmd[4], VIRTIO_NET_OK);
	cr_assert_eq(vnet_active_pairs(x.dev), 4);
	/* a flow sent on transmitq3 (queue 5): its reply lands in receiveq3 (queue 4) */
	for (unsigned i = 0; i < 8; i++)
		vx_rx_give(&q[4], i, 2048);
	len = hx_frame(f, hx_mac[1], 7, 4, 17, 100);
	vx_tx_frame(&x, &q[5], 0, f, (unsigned)len);
	cr_assert_eq(x.nframes, 1);
	/* the reply: addresses and ports swapped */
	memcpy(f, hx_mac[0], 6);
	for (int i = 0; i < 4; i++) {
		uint8_t t = f[26 + i];

		f[26 + i] = f[30 + i];
		f[30 + i] = t;
	}
	for (int i = 0; i < 2; i++) {
		uint8_t t = f[34 + i];

		f[34 + i] = f[36 + i];
		f[36 + i] = t;
	}
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	vnet_get_stats(x.dev, &st);
	cr_assert_eq(st.rx_queue[2], 1, "steered to receiveq3");
	vx_fini(&x);
}

/* Fault knobs: surprise removal reads all-ones; dropped message; stuck line */
Test(virtio_net, faults_removal_dropped_message_stuck_line)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_MSIX};
	struct vx x;
	uint8_t cs[4];

	vx_init(&x, &cfg);
	vx_msix(&x);
	vx_negotiate(&x, F_BASE);
	CW16(&x, VIRTIO_COMMON_MSIX, 0);
	vx_driver_ok(&x);
	vnet_host_drop_next_signal(x.dev, 0);
	vnet_host_set_link(x.dev, false);
	cr_assert_eq(atomic_load(&x.rec.nmsi), 0, "the message was lost");
	vnet_host_set_link(x.dev, true);
	cr_assert_eq(atomic_load(&x.rec.nmsi), 1);
	vnet_msix_set_enabled(x.dev, false);
	vnet_host_set_stuck_line(x.dev, true);
	cr_assert(vnet_line_asserted(x.dev));
	vnet_host_set_stuck_line(x.dev, false);
	vnet_host_surprise_remove(x.dev);
	cr_assert_not(vnet_line_asserted(x.dev));
	cr_assert_eq(vnet_mmio_read32(x.dev, 0), 0xFFFFFFFFu);
	cr_assert_eq(vnet_pio_read8(x.dev, VIRTIO_LEGACY_ISR), 0xFF);
	vnet_pci_config_read(x.dev, 0, cs, 4);
	cr_assert_eq(vx_get32(cs), 0xFFFFFFFFu);
	vx_fini(&x);
}

/* virtio: PCI configuration access capability (the window into a BAR) */
Test(virtio_net, pci_cfg_window_reaches_the_bar)
{
	struct vnet_config cfg = {0};
	struct vx x;
	uint8_t b[4] = {0};
	uint32_t off = VNET_BAR1_DEVICE, len = 4;
	uint8_t bar = 1;

	vx_init(&x, &cfg);
	vnet_pci_config_write(x.dev, VNET_PCI_CAP_PCICFG + 4, &bar, 1);
	vnet_pci_config_write(x.dev, VNET_PCI_CAP_PCICFG + 8, &off, 4);
	vnet_pci_config_write(x.dev, VNET_PCI_CAP_PCICFG + 12, &len, 4);
	vnet_pci_config_read(x.dev, VNET_PCI_CAP_PCICFG + 16, b, 4);
	cr_assert_eq(memcmp(b, hx_mac[0], 4), 0, "the MAC through the window");
	vx_fini(&x);
}

/* A capture tapped on the device's wire opens with libpcap and holds the frames sent. */
Test(virtio_net, pcap_capture_holds_the_frames_sent)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	struct vx x;
	struct vx_tq tx;
	struct wire_capture *cap;
	char path[] = "/tmp/vnet_pcapXXXXXX", err[256], ebuf[PCAP_ERRBUF_SIZE];
	uint8_t f[8][300];
	size_t len[8];
	struct pcap_pkthdr *ph;
	const u_char *data;
	pcap_t *pd;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	close(fd);
	vx_init(&x, &cfg);
	cap = wire_capture_open(x.h.m, path, err, sizeof(err));
	cr_assert_not_null(cap, "%s", err);
	wire_tap(x.w, cap);
	vx_negotiate(&x, F_BASE);
	vx_tq_modern(&x, &tx, 1, 16, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	for (unsigned i = 0; i < 8; i++) {
		len[i] = hx_frame(f[i], hx_mac[1], i, 4, 17, 100 + 20 * i);
		vx_tx_frame(&x, &tx, i, f[i], (unsigned)len[i]);
	}
	cr_assert_eq(x.nframes, 8);
	vnet_free(x.dev);
	x.dev = NULL;
	wire_close(x.w); /* detaches the tap */
	x.w = NULL;
	cr_assert_eq(wire_capture_close(cap), 0);
	pd = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	cr_assert_not_null(pd, "%s", ebuf);
	cr_assert_eq(pcap_datalink(pd), DLT_EN10MB);
	for (unsigned i = 0; i < 8; i++) {
		cr_assert_eq(pcap_next_ex(pd, &ph, &data), 1, "record %u", i + 1);
		cr_assert_eq(ph->caplen, len[i]);
		cr_assert_eq(memcmp(data, f[i], len[i]), 0, "record %u is frame %u", i + 1, i);
	}
	cr_assert_eq(pcap_next_ex(pd, &ph, &data), PCAP_ERROR_BREAK, "nothing else");
	pcap_close(pd);
	unlink(path);
	hx_fini(&x.h);
}

/* Send one control command (@len bytes at @cmd) on queue @q; Return: the ack. */
static uint8_t vx_ctrl(struct vx *x, struct vx_tq *cq, const uint8_t *cmd, size_t len)
{
	uint8_t *b;
	uint64_t la;
	uint16_t slot = (uint16_t)((2 * (cq->avail_idx % (cq->size / 2))) % cq->size);

	b = hw_dma_alloc(x->h.dma, len + 1, &la);
	cr_assert_not_null(b);
	memcpy(b, cmd, len);
	b[len] = 0xEE;
	vx_desc(cq, slot, la, (uint32_t)len, VIRTQ_DESC_F_NEXT, (uint16_t)(slot + 1));
	vx_desc(cq, slot + 1u, la + len, 1, VIRTQ_DESC_F_WRITE, 0);
	vx_avail(cq, slot);
	vx_notify(x, cq->q);
	return b[len];
}

/* struct virtio_net_rss_config for @entries table entries of @table, key hw_rss_default_key. */
static size_t vx_rss_config(uint8_t *c, uint32_t types, const uint16_t *table, unsigned entries,
			    uint16_t unclassified)
{
	size_t n = 0;

	c[n++] = VIRTIO_NET_CTRL_MQ;
	c[n++] = VIRTIO_NET_CTRL_MQ_RSS_CONFIG;
	for (int i = 0; i < 4; i++)
		c[n++] = (uint8_t)(types >> (8 * i));
	vx_put16(c + n, (uint16_t)(entries - 1));
	vx_put16(c + n + 2, unclassified);
	n += 4;
	for (unsigned i = 0; i < entries; i++, n += 2)
		vx_put16(c + n, table[i]);
	vx_put16(c + n, 4); /* max_tx_vq */
	n += 2;
	c[n++] = HW_RSS_KEY_LEN;
	memcpy(c + n, hw_rss_default_key, HW_RSS_KEY_LEN);
	return n + HW_RSS_KEY_LEN;
}

/* virtio: Receive-side scaling (RSS) / RSS processing */
Test(virtio_net, rss_config_steers_by_toeplitz_hash_and_unclassified_queue)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE, .max_pairs = 4};
	static const uint16_t table[8] = {0, 1, 2, 3, 3, 2, 1, 0};
	struct vx x;
	struct vx_tq q[9];
	struct vnet_stats st;
	uint8_t c[512], f[256];
	unsigned expect[4] = {0};
	size_t len;

	vx_init(&x, &cfg);
	cr_assert(vx_negotiate(&x, F_BASE | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ) |
				       F(VIRTIO_NET_F_RSS)) &
		  VIRTIO_STATUS_FEATURES_OK);
	cr_assert_eq(vnet_mmio_read8(x.dev, VNET_BAR1_DEVICE + VIRTIO_NET_CFG_RSS_MAX_KEY), 40);
	cr_assert_eq(vnet_mmio_read16(x.dev, VNET_BAR1_DEVICE + VIRTIO_NET_CFG_RSS_MAX_TABLE), 128);
	cr_assert_eq(vnet_mmio_read32(x.dev, VNET_BAR1_DEVICE + VIRTIO_NET_CFG_HASH_TYPES), 0x3F);
	for (unsigned i = 0; i < 9; i++)
		vx_tq_modern(&x, &q[i], i, 16, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	for (unsigned p = 0; p < 4; p++)
		for (unsigned i = 0; i < 16; i++)
			vx_rx_give(&q[2 * p], i, 2048);
	cr_assert_eq(
	    vx_ctrl(&x, &q[8], c, vx_rss_config(c, VIRTIO_NET_HASH_TYPE_TCPv4, table, 8, 2)),
	    VIRTIO_NET_OK);
	for (unsigned flow = 0; flow < 12; flow++) {
		enum hw_rss_type t;
		uint32_t h;

		len = hx_frame(f, hx_mac[0], flow, 4, 6, 120);
		h = hw_rss_hash_frame(hw_rss_default_key, HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_TCP_IPV4,
				      f, len, &t);
		cr_assert_eq(t, HW_RSS_TCP_IPV4);
		expect[table[h & 7]]++;
		cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	}
	/* UDP is not an enabled type: unclassified, to receive queue 2 (virtqueue 4) */
	len = hx_frame(f, hx_mac[0], 0, 4, 17, 120);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	expect[2]++;
	vnet_get_stats(x.dev, &st);
	for (unsigned p = 0; p < 4; p++)
		cr_assert_eq(st.rx_queue[p], expect[p], "receive queue %u", p);
	cr_assert_eq(st.rx_rss_hashed, 12);
	cr_assert_eq(st.rx_rss_unclassified, 1);
	/* VQ_PAIRS_SET afterwards: the last MQ command decides, RSS is off */
	c[0] = VIRTIO_NET_CTRL_MQ;
	c[1] = VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET;
	vx_put16(c + 2, 4);
	cr_assert_eq(vx_ctrl(&x, &q[8], c, 4), VIRTIO_NET_OK);
	len = hx_frame(f, hx_mac[0], 1, 4, 6, 120);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	vnet_get_stats(x.dev, &st);
	cr_assert_eq(st.rx_rss_hashed, 12, "automatic steering again");
	vx_fini(&x);
}

/* virtio: Setting RSS parameters (driver requirements the device checks) */
Test(virtio_net, rss_config_refuses_bad_tables_types_and_queues)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE, .max_pairs = 2};
	static const uint16_t ok[4] = {0, 1, 0, 1}, bad_q[4] = {0, 1, 2, 0};
	struct vx x;
	struct vx_tq q[5];
	uint8_t c[512];
	struct vnet_stats st;

	vx_init(&x, &cfg);
	vx_negotiate(&x, F_BASE | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_RSS));
	for (unsigned i = 0; i < 5; i++)
		vx_tq_modern(&x, &q[i], i, 16, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	/* three entries: not a power of two */
	cr_assert_eq(vx_ctrl(&x, &q[4], c, vx_rss_config(c, VIRTIO_NET_HASH_TYPE_IPv4, ok, 3, 0)),
		     VIRTIO_NET_ERR);
	/* a hash type the device does not support (IP_EX) */
	cr_assert_eq(vx_ctrl(&x, &q[4], c, vx_rss_config(c, 1u << 6, ok, 4, 0)), VIRTIO_NET_ERR);
	/* a receive queue past max_virtqueue_pairs */
	cr_assert_eq(
	    vx_ctrl(&x, &q[4], c, vx_rss_config(c, VIRTIO_NET_HASH_TYPE_IPv4, bad_q, 4, 0)),
	    VIRTIO_NET_ERR);
	cr_assert_eq(vx_ctrl(&x, &q[4], c, vx_rss_config(c, VIRTIO_NET_HASH_TYPE_IPv4, ok, 4, 5)),
		     VIRTIO_NET_ERR, "unclassified queue out of range");
	cr_assert_eq(vx_ctrl(&x, &q[4], c, vx_rss_config(c, VIRTIO_NET_HASH_TYPE_IPv4, ok, 4, 1)),
		     VIRTIO_NET_OK);
	vnet_get_stats(x.dev, &st);
	cr_assert_eq(st.ctrl_errs, 4);
	vx_fini(&x);

	/* RSS without the control queue it depends on: FEATURES_OK refused */
	cfg = (struct vnet_config){.irq_kind = VNET_IRQ_LINE};
	vx_init(&x, &cfg);
	cr_assert_eq(vx_negotiate(&x, F_BASE | F(VIRTIO_NET_F_RSS)) & VIRTIO_STATUS_FEATURES_OK, 0);
	vx_fini(&x);
}

/* virtio: Hash reporting for incoming packets; Automatic receive steering / Hash calculation */
Test(virtio_net, hash_report_fills_the_20_byte_header)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE, .max_pairs = 1};
	struct vx x;
	struct vx_tq q[3];
	uint8_t c[64], f[256];
	size_t len, n = 0;
	uint32_t id, ulen, h;
	enum hw_rss_type t;

	vx_init(&x, &cfg);
	cr_assert(vx_negotiate(&x, F_BASE | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_HASH_REPORT)) &
		  VIRTIO_STATUS_FEATURES_OK);
	for (unsigned i = 0; i < 3; i++)
		vx_tq_modern(&x, &q[i], i, 16, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	for (unsigned i = 0; i < 4; i++)
		vx_rx_give(&q[0], i, 2048);
	len = hx_frame(f, hx_mac[0], 3, 4, 17, 150);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	vx_used_entry(&q[0], 0, &id, &ulen);
	cr_assert_eq(ulen, VIRTIO_NET_HDR_LEN_HASH + len, "20-byte header");
	cr_assert_eq(vx_get16(q[0].buf[id] + 16), VIRTIO_NET_HASH_REPORT_NONE,
		     "nothing enabled yet: NONE");
	cr_assert_eq(memcmp(q[0].buf[id] + VIRTIO_NET_HDR_LEN_HASH, f, len), 0);
	c[n++] = VIRTIO_NET_CTRL_MQ;
	c[n++] = VIRTIO_NET_CTRL_MQ_HASH_CONFIG;
	c[n++] = VIRTIO_NET_HASH_TYPE_UDPv4 | VIRTIO_NET_HASH_TYPE_IPv4;
	memset(c + n, 0, 11); /* rest of hash_types, reserved[4] */
	n += 11;
	c[n++] = HW_RSS_KEY_LEN;
	memcpy(c + n, hw_rss_default_key, HW_RSS_KEY_LEN);
	n += HW_RSS_KEY_LEN;
	cr_assert_eq(vx_ctrl(&x, &q[2], c, n), VIRTIO_NET_OK);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	h = hw_rss_hash_frame(hw_rss_default_key, HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_UDP_IPV4, f, len,
			      &t);
	vx_used_entry(&q[0], 1, &id, &ulen);
	cr_assert_eq(vx_get32(q[0].buf[id] + 12), h, "hash_value");
	cr_assert_eq(vx_get16(q[0].buf[id] + 16), VIRTIO_NET_HASH_REPORT_UDPv4, "hash_report");
	/* TCP is not enabled, IPv4 is: an address-only hash */
	len = hx_frame(f, hx_mac[0], 3, 4, 6, 150);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	vx_used_entry(&q[0], 2, &id, &ulen);
	cr_assert_eq(vx_get16(q[0].buf[id] + 16), VIRTIO_NET_HASH_REPORT_IPv4);
	vx_fini(&x);
}

/*
 * virtio: Virtqueue Reset. The queue is reset, set up again and notified
 * while its transmission is still on the wire (from the receiver, in the
 * sender's context): the runner that owns the queue voids the old chain and
 * goes on with the new queue, so the notification that found it busy is not
 * lost.
 */
struct reset_in_flight {
	struct vx_tq *tq2;
	uint8_t frame[128];
	size_t len;
	uint16_t reset_read;
};

static void reset_on_first_frame(struct vx *x, unsigned n)
{
	struct reset_in_flight *r = x->ctx;

	if (n != 1)
		return;
	CW16(x, VIRTIO_COMMON_Q_SELECT, 1);
	CW16(x, VIRTIO_COMMON_Q_RESET, 1);
	r->reset_read = CR16(x, VIRTIO_COMMON_Q_RESET);
	vx_tq_modern(x, r->tq2, 1, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_tx_frame(x, r->tq2, 0, r->frame, (unsigned)r->len);
}

Test(virtio_net, queue_reset_while_transmitting_keeps_the_next_notification)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	static struct vx_tq tx, tx2;
	static struct reset_in_flight r;
	struct vx x;
	uint8_t f[128];
	size_t len;

	vx_init(&x, &cfg);
	vx_negotiate(&x, F_BASE | F(VIRTIO_F_RING_RESET));
	vx_tq_modern(&x, &tx, 1, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	r.tq2 = &tx2;
	r.len = hx_frame(r.frame, hx_mac[1], 9, 4, 17, 100);
	x.ctx = &r;
	x.on_frame = reset_on_first_frame;
	len = hx_frame(f, hx_mac[1], 1, 4, 17, 90);
	vx_tx_frame(&x, &tx, 0, f, (unsigned)len);
	cr_assert_eq(r.reset_read, 1, "queue_reset reads 1 while the old frame is on the wire");
	cr_assert_eq(x.nframes, 2, "the frame of the re-enabled queue went out too");
	cr_assert_eq(x.flen[1], r.len);
	cr_assert_eq(vx_used_idx(&tx), 0, "the voided chain is never written back");
	cr_assert_eq(vx_used_idx(&tx2), 1);
	CW16(&x, VIRTIO_COMMON_Q_SELECT, 1);
	cr_assert_eq(CR16(&x, VIRTIO_COMMON_Q_RESET), 0, "reset complete once the runner is done");
	vx_fini(&x);
}

/*
 * HW_FAULT_DMA_WRITEBACK_DELAY: the frame and its used element are written,
 * but the used ring's idx (and with it the used buffer notification) waits
 * for the delay, or until the delay is turned off.
 */
Test(virtio_net, fault_dma_writeback_delay_holds_the_used_idx_and_notification)
{
	struct vnet_config cfg = {.irq_kind = VNET_IRQ_LINE};
	struct vx x;
	struct vx_tq rx;
	struct vnet_stats st;
	uint8_t f[1600];
	size_t len;
	uint64_t due;
	uint16_t idx;

	vx_init(&x, &cfg);
	vx_negotiate(&x, F_BASE);
	vx_tq_modern(&x, &rx, 0, 8, 2048, VIRTIO_MSI_NO_VECTOR);
	vx_driver_ok(&x);
	for (unsigned i = 0; i < 8; i++)
		vx_rx_give(&rx, i, 2048);
	len = hx_frame(f, hx_mac[0], 0, 4, 17, 200);
	cr_assert_eq(vnet_host_wb_delay(x.dev, 2000000000ull), -EINVAL, "at most a second");
	cr_assert_eq(vnet_host_wb_delay(x.dev, 1000000000ull), 0);
	due = ke_clock_ns(x.h.m) + 1000000000ull;
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	idx = vx_used_idx(&rx);
	if (ke_clock_ns(x.h.m) < due) { /* read before the idx could land */
		cr_assert_eq(idx, 0, "used idx waits");
		cr_assert_not(vnet_line_asserted(x.dev), "so does the notification");
	}
	cr_assert_eq(vnet_host_wb_delay(x.dev, 0), 0, "off: what waits lands now");
	cr_assert_eq(vx_used_idx(&rx), 1);
	cr_assert(vnet_line_asserted(x.dev));
	/* a short delay lands by itself, in order */
	cr_assert_eq(vnet_host_wb_delay(x.dev, 1000000ull), 0);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	cr_assert_eq(vnet_receive(x.dev, f, len), 0);
	WAIT_UNTIL(vx_used_idx(&rx) == 3);
	vnet_get_stats(x.dev, &st);
	cr_assert_eq(st.wb_delayed, 3);
	cr_assert_eq(st.inj_wb_delay, 2);
	cr_assert_eq(st.rx_accepted, 3);
	vx_fini(&x);
}
