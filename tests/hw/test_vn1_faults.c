/* SPDX-License-Identifier: MIT */
/*
 * VN-1 §8 host controls: every injected fault does what it says and is
 * counted. §9 PCI configuration space and the MSI-X table / PBA.
 */
#include "harness.h"

static struct hx h;
static struct vn1 *dev;
static struct rec_sink *rec;

static void setup(void)
{
	hx_init(&h, 2, 1);
	dev = h.dev[0];
	rec = &h.rec[0];
}

static void teardown(void)
{
	hx_fini(&h);
}

TestSuite(vn1_faults, .init = setup, .fini = teardown);
TestSuite(vn1_pci, .init = setup, .fini = teardown);

Test(vn1_faults, s8_link_control_counted)
{
	struct vn1_stats st;

	vn1_host_set_link(dev, false);
	vn1_host_set_link(dev, true);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.inj_link_changes, 2);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_LSC);
}

Test(vn1_faults, s8_spurious_line_pulse)
{
	struct vn1_stats st;

	cr_assert_eq(vn1_host_inject_spurious(dev, 0), 0);
	cr_expect_eq(atomic_load(&rec->pulses), 1);
	cr_expect_not(atomic_load(&rec->level));
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0, "no cause");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_SPURIOUS), 1);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.inj_spurious, 1);
	cr_expect_eq(vn1_host_inject_spurious(dev, 16), -EINVAL);
}

Test(vn1_faults, s8_spurious_message)
{
	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	cr_assert_eq(vn1_host_inject_spurious(dev, 9), 0);
	cr_assert_eq(atomic_load(&rec->nmsi), 1);
	cr_expect_eq(rec->msi[0].data, 9);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_SPURIOUS), 1);
}

Test(vn1_faults, s8_stuck_line)
{
	struct vn1_stats st;

	vn1_host_set_stuck_line(dev, true);
	cr_expect(atomic_load(&rec->level));
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0);
	vn1_mmio_write32(dev, VN1_IMC, ~0u);
	cr_expect(atomic_load(&rec->level), "asserted whatever the driver does");
	uint8_t status;
	vn1_pci_config_read(dev, VN1_PCI_STATUS, &status, 1);
	cr_expect(status & VN1_PCI_STATUS_INTX);
	vn1_host_set_stuck_line(dev, false);
	cr_expect_not(atomic_load(&rec->level));
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.inj_stuck_line, 1);
}

Test(vn1_faults, s8_drop_next_signal)
{
	struct vn1_stats st;

	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 16, VN1_IVAR_VALID | 4);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC);
	cr_assert_eq(vn1_host_drop_next_signal(dev, 4), 0);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_expect_eq(atomic_load(&rec->nmsi), 0, "lost");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0, "the device believes it signalled");
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_expect_eq(atomic_load(&rec->nmsi), 1, "only the next one is dropped");
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.inj_drop_signal, 1);
	cr_expect_eq(st.signals_dropped, 1);
	cr_expect_eq(st.msgs_signaled[4], 2);
	cr_expect_eq(st.msgs_sent[4], 1);
}

Test(vn1_faults, s8_surprise_removal)
{
	struct vn1_stats st;
	uint8_t cs[16], f[128];
	size_t n = hx_frame(f, hx_mac[0], 0, 4, 17, 64);

	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_assert(atomic_load(&rec->level));
	vn1_host_surprise_remove(dev);
	cr_expect_not(atomic_load(&rec->level), "no interrupt from a removed device");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_CTRL), 0xFFFFFFFF);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), 0xFFFFFFFF);
	cr_expect_eq(vn1_mmio_read16(dev, VN1_STATUS), 0xFFFF);
	cr_expect_eq(vn1_mmio_read8(dev, VN1_GPRC), 0xFF);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_ISR), 0xFFFF);
	cr_expect_eq(vn1_pio_read32(dev, VN1_PIO_MAC), 0xFFFFFFFF);
	vn1_pci_config_read(dev, 0, cs, sizeof(cs));
	for (int i = 0; i < 16; i++)
		cr_expect_eq(cs[i], 0xFF);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_ALL);
	vn1_host_set_link(dev, false);
	vn1_host_inject_spurious(dev, 0);
	cr_expect_eq(atomic_load(&rec->rises), 1);
	cr_expect_eq(atomic_load(&rec->pulses), 0);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_REMOVED);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.inj_surprise_removal, 1);
	cr_expect_eq(st.rx_removed, 1);
}

Test(vn1_faults, s8_dma_fault_on_next_descriptor)
{
	struct hx_ring rx, tx;
	struct vn1_stats st;
	uint8_t f[256];
	unsigned len;
	size_t n = hx_frame(f, hx_mac[0], 0, 4, 17, 100);

	hx_rx_ring(&rx, dev, h.dma, 0, 8, 2048);
	hx_tx_ring(&tx, dev, h.dma, 0, 8);
	vn1_mmio_write32(dev, VN1_RXFILTER, VN1_RXFILTER_UCAST);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_RXEN | VN1_CTRL_TXEN);
	vn1_host_dma_fault_next(dev);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_DMA_FAULT);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR), VN1_CAUSE_ERR);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_OK, "one fault, one frame");
	cr_expect(hx_rx_take(&rx, NULL, &len, NULL, NULL, NULL));
	vn1_host_dma_fault_next(dev);
	hx_tx_put(&tx, f, (unsigned)n, true);
	hx_tx_put(&tx, f, (unsigned)n, true);
	hx_tx_kick(&tx);
	cr_expect_eq(hx_tx_status(&tx, 0), 0, "faulted descriptor: no write-back");
	cr_expect_eq(hx_tx_status(&tx, 1), VN1_TXD_STAT_DD);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_GPTC), 1);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.inj_dma_fault, 2);
	cr_expect_eq(st.dma_faults_injected, 2);
	cr_expect_eq(st.rx_dma_fault, 1);
	cr_expect_eq(st.tx_dma_fault, 1);
	hx_ring_free(&rx);
	hx_ring_free(&tx);
}

/*
 * Delayed write-back: the frame is received (counted, the descriptor taken)
 * but its DD byte and its cause come @delay later; turning the delay off
 * writes back what waits at once; a delay above a second is refused.
 */
Test(vn1_faults, s8_delayed_writeback)
{
	struct hx_ring rx;
	struct vn1_stats st;
	uint8_t f[256];
	unsigned len;
	size_t n = hx_frame(f, hx_mac[0], 0, 4, 17, 100);

	hx_rx_ring(&rx, dev, h.dma, 0, 8, 2048);
	vn1_mmio_write32(dev, VN1_RXFILTER, VN1_RXFILTER_UCAST);
	vn1_mmio_write32(dev, VN1_CTRL, VN1_CTRL_RXEN);
	cr_expect_eq(vn1_host_wb_delay(dev, 2000000000ull), -EINVAL);
	cr_assert_eq(vn1_host_wb_delay(dev, 1000000000ull), 0);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_OK);
	cr_expect_not(hx_rx_take(&rx, NULL, &len, NULL, NULL, NULL), "DD waits (1 s)");
	cr_expect_eq(vn1_mmio_read32(dev, VN1_ICR) & VN1_CAUSE_RXQ(0), 0, "so does the cause");
	cr_assert_eq(vn1_host_wb_delay(dev, 0), 0);
	cr_expect(hx_rx_take(&rx, NULL, &len, NULL, NULL, NULL), "written back when turned off");
	cr_expect_eq(len, n);
	cr_expect_neq(vn1_mmio_read32(dev, VN1_ICR) & VN1_CAUSE_RXQ(0), 0);
	/* A short delay: the device's timer writes it back by itself. */
	cr_assert_eq(vn1_host_wb_delay(dev, 100000), 0);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_OK);
	WAIT_UNTIL(hx_rx_take(&rx, NULL, &len, NULL, NULL, NULL));
	cr_expect_eq(len, n);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.inj_wb_delay, 2);
	cr_expect_eq(st.wb_delayed, 2);
	cr_expect_eq(st.rx_accepted, 2);
	hx_ring_free(&rx);
}

/* ------------------------------------------------------------------ §9 */

static uint32_t cfg_read(uint32_t off, unsigned size)
{
	uint8_t b[4] = {0};

	cr_assert_eq(vn1_pci_config_read(dev, off, b, size), size);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

Test(vn1_pci, s9_config_space_fields)
{
	cr_expect_eq(cfg_read(0x00, 2), 0x1D6E);
	cr_expect_eq(cfg_read(0x02, 2), 0x0001);
	cr_expect_eq(cfg_read(0x04, 2), 0x0007);
	cr_expect_eq(cfg_read(0x06, 2), VN1_PCI_STATUS_CAPS);
	cr_expect_eq(cfg_read(0x08, 1), 0x01);
	cr_expect_eq(cfg_read(0x08, 4) >> 8, 0x020000, "class code");
	cr_expect_eq(cfg_read(0x10, 4), 0xF0000000u);
	cr_expect_eq(cfg_read(0x14, 4), 0xE001u, "I/O BAR, bit 0 set");
	cr_expect_eq(cfg_read(0x2C, 2), 0x1D6E);
	cr_expect_eq(cfg_read(0x2E, 2), 0x0001);
	cr_expect_eq(cfg_read(0x34, 1), 0x40);
	cr_expect_eq(cfg_read(0x3C, 1), 0x50);
	cr_expect_eq(cfg_read(0x3D, 1), 1);
	cr_expect_eq(cfg_read(0x40, 1), 0x11, "MSI-X capability");
	cr_expect_eq(cfg_read(0x41, 1), 0, "last");
	cr_expect_eq(cfg_read(0x42, 2), 15, "table size - 1, disabled, unmasked");
	cr_expect_eq(cfg_read(0x44, 4), 0x6000);
	cr_expect_eq(cfg_read(0x48, 4), 0x7000);
	cr_expect_eq(cfg_read(0xFC, 4), 0);
	uint8_t big[300];
	cr_expect_eq(vn1_pci_config_read(dev, 0, big, sizeof(big)), 256);
	cr_expect_eq(vn1_pci_config_read(dev, 256, big, 4), 0);
}

Test(vn1_pci, s9_read_only_fields_ignore_writes)
{
	uint8_t ones[256];

	memset(ones, 0xFF, sizeof(ones));
	cr_expect_eq(vn1_pci_config_write(dev, 0, ones, sizeof(ones)), 256);
	cr_expect_eq(cfg_read(0x00, 4), 0x00011D6E);
	cr_expect_eq(cfg_read(0x04, 2), 0x0407, "only Command bits 0, 1, 2, 10 are writable");
	cr_expect_eq(cfg_read(0x10, 4), 0xF0000000u);
	cr_expect_eq(cfg_read(0x3C, 1), 0x50);
	cr_expect_eq(cfg_read(0x42, 2), 15, "MSI-X control is the host's");
	uint16_t cmd = 0x0006;
	vn1_pci_config_write(dev, 0x04, &cmd, 2);
	cr_expect_eq(cfg_read(0x04, 2), 0x0006);
}

Test(vn1_pci, s9_intx_disable_and_status_bit)
{
	uint16_t cmd = VN1_PCI_CMD_MEM | VN1_PCI_CMD_INTX_DISABLE;

	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_LSC);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_LSC);
	cr_expect(atomic_load(&rec->level));
	cr_expect(cfg_read(0x06, 2) & VN1_PCI_STATUS_INTX);
	vn1_pci_config_write(dev, 0x04, &cmd, 2);
	cr_expect_not(atomic_load(&rec->level), "INTx disable gates the pin");
	cr_expect(cfg_read(0x06, 2) & VN1_PCI_STATUS_INTX, "status still shows the cause");
	vn1_msix_set_enabled(dev, true);
	cr_expect_eq(cfg_read(0x42, 2), 0x8000 | 15);
	cr_expect(cfg_read(0x04, 2) & VN1_PCI_CMD_INTX_DISABLE);
}

Test(vn1_pci, s9_msix_table_and_pba_from_the_driver)
{
	struct vn1_stats st;

	cr_assert_eq(vn1_msix_program(dev, 2, 0x00000000FEE01000ULL, 0x61), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSIX_TABLE + 16 * 2 + 0), 0xFEE01000u);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSIX_TABLE + 16 * 2 + 4), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSIX_TABLE + 16 * 2 + 8), 0x61);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSIX_TABLE + 16 * 2 + 12), 1, "masked at reset");
	vn1_mmio_write32(dev, VN1_MSIX_TABLE + 16 * 2 + 8, 0x99);
	vn1_mmio_write32(dev, VN1_MSIX_PBA, 0xFFFF);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSIX_TABLE + 16 * 2 + 8), 0x61);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSIX_PBA), 0);
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.msix_table_writes, 2);
	cr_expect_eq(vn1_msix_program(dev, 16, 0, 0), -EINVAL);
}

/* A masked entry pends in the PBA and is delivered once on unmask. */
Test(vn1_pci, s9_masked_entry_pends_then_delivers_on_unmask)
{
	hx_msix_setup(dev, VN1_IMODE_MSIX, 16);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 17, VN1_IVAR_VALID | 6);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXO);
	vn1_msix_set_masked(dev, 6, true);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXO);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXO);
	cr_expect_eq(atomic_load(&rec->nmsi), 0);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSIX_PBA), 1u << 6);
	vn1_msix_set_masked(dev, 6, false);
	cr_expect_eq(atomic_load(&rec->nmsi), 1, "delivered once");
	cr_expect_eq(rec->msi[0].data, 6);
	cr_expect_eq(vn1_mmio_read32(dev, VN1_MSIX_PBA), 0);
	/* Function mask and MSI-X disable pend the same way. */
	vn1_msix_set_function_mask(dev, true);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXO);
	cr_expect_eq(atomic_load(&rec->nmsi), 1);
	vn1_msix_set_function_mask(dev, false);
	cr_expect_eq(atomic_load(&rec->nmsi), 2);
	vn1_msix_set_enabled(dev, false);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXO);
	cr_expect_eq(atomic_load(&rec->nmsi), 2);
	vn1_msix_set_enabled(dev, true);
	cr_expect_eq(atomic_load(&rec->nmsi), 3);
}
