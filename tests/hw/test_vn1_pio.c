/* SPDX-License-Identifier: MIT */
/*
 * VN-1 §7: the programmed-I/O window (BAR1).
 */
#include "harness.h"

static struct hx h;
static struct vn1 *dev;
static struct rec_sink *rec;

static void setup(void)
{
	hx_init(&h, 2, 2);
	dev = h.dev[0];
	rec = &h.rec[0];
}

static void teardown(void)
{
	hx_fini(&h);
}

TestSuite(vn1_pio, .init = setup, .fini = teardown);

static size_t frame(uint8_t *f, unsigned i, unsigned size)
{
	return hx_frame(f, hx_mac[0], i, 4, 17, size);
}

static void read_frame(uint8_t *out, unsigned len)
{
	for (unsigned k = 0; k < len; k += 2) {
		uint16_t v = vn1_pio_read16(dev, VN1_PIO_DATA);

		out[k] = (uint8_t)v;
		if (k + 1 < len)
			out[k + 1] = (uint8_t)(v >> 8);
	}
}

Test(vn1_pio, s7_fifo_receive_and_read)
{
	uint8_t f[256], got[256];
	size_t n = frame(f, 3, 101); /* odd length */

	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	cr_expect_eq(vn1_pio_read8(dev, VN1_PIO_CMD), VN1_PIO_CMD_ENABLE);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_RXLEN), 0, "empty");
	cr_assert_eq(vn1_receive(dev, f, n), VN1_RX_OK, "no RXEN needed in PIO mode");
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_RXLEN), n);
	cr_expect(vn1_pio_read16(dev, VN1_PIO_ISR) & VN1_PIO_ISR_RX);
	read_frame(got, (unsigned)n);
	cr_expect_arr_eq(got, f, n);
	cr_expect(vn1_pio_read16(dev, VN1_PIO_ISR) & VN1_PIO_ISR_RX, "RX stays until RX_NEXT");
	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_RX_NEXT);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_RXLEN), 0);
	cr_expect_not(vn1_pio_read16(dev, VN1_PIO_ISR) & VN1_PIO_ISR_RX);
	cr_expect_eq(vn1_pio_read8(dev, VN1_PIO_CMD), VN1_PIO_CMD_ENABLE, "ENABLE sticks");
}

Test(vn1_pio, s7_rx_next_drops_rest_of_head_frame)
{
	uint8_t f1[256], f2[256], got[256];
	size_t n1 = frame(f1, 1, 80), n2 = frame(f2, 2, 90);

	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	vn1_receive(dev, f1, n1);
	vn1_receive(dev, f2, n2);
	(void)vn1_pio_read16(dev, VN1_PIO_DATA);
	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_RX_NEXT);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_RXLEN), n2);
	read_frame(got, (unsigned)n2);
	cr_expect_arr_eq(got, f2, n2);
}

Test(vn1_pio, s7_fifo_full_drops_with_rxo)
{
	struct vn1_stats st;
	uint8_t f[128];
	size_t n = frame(f, 0, 64);

	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	for (unsigned i = 0; i < VN1_PIO_FIFO_FRAMES; i++)
		cr_assert_eq(vn1_receive(dev, f, n), VN1_RX_OK, "frame %u", i);
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_FIFO_FULL);
	uint16_t isr = vn1_pio_read16(dev, VN1_PIO_ISR);
	cr_expect_eq(isr, VN1_PIO_ISR_RX | VN1_PIO_ISR_RXO);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_ISR), VN1_PIO_ISR_RX,
		     "reading clears RXO, RX stays while not empty");
	vn1_get_stats(dev, &st);
	cr_expect_eq(st.rx_fifo_full, 1);
	cr_expect_eq(st.rx_accepted, VN1_PIO_FIFO_FRAMES);
}

Test(vn1_pio, s7_intx_follows_isr_and_imr)
{
	uint8_t f[128];
	size_t n = frame(f, 0, 64);

	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	vn1_receive(dev, f, n);
	cr_expect_not(atomic_load(&rec->level), "masked");
	vn1_pio_write16(dev, VN1_PIO_IMR, VN1_PIO_ISR_RX | VN1_PIO_ISR_LSC);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_IMR), VN1_PIO_ISR_RX | VN1_PIO_ISR_LSC);
	cr_expect(atomic_load(&rec->level));
	(void)vn1_pio_read16(dev, VN1_PIO_ISR);
	cr_expect(atomic_load(&rec->level), "RX is not cleared by reading");
	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_RX_NEXT);
	cr_expect_not(atomic_load(&rec->level));
	vn1_host_set_link(dev, false);
	cr_expect(atomic_load(&rec->level), "LSC");
	cr_expect_eq(vn1_pio_read8(dev, VN1_PIO_STATUS), 0);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_ISR), VN1_PIO_ISR_LSC);
	cr_expect_not(atomic_load(&rec->level), "LSC cleared by the read");
}

Test(vn1_pio, s7_transmit)
{
	struct wire *w = wire_pair_create(h.m);
	struct vn1 *b = h.dev[1];
	uint8_t f[256], got[256];
	size_t n = hx_frame(f, hx_mac[1], 5, 4, 6, 77);

	vn1_wire_attach(dev, w, 0);
	vn1_wire_attach(b, w, 1);
	vn1_pio_write8(b, VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	for (size_t k = 0; k < n; k += 2)
		vn1_pio_write16(dev, VN1_PIO_DATA,
				(uint16_t)(f[k] | (k + 1 < n ? f[k + 1] << 8 : 0)));
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_TXLEN), 78, "two bytes per write");
	vn1_pio_write16(dev, VN1_PIO_TXLEN, (uint16_t)n); /* trim to the odd length */
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_TXLEN), n);
	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_TX_GO);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_TXLEN), 0);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_ISR), VN1_PIO_ISR_TX);
	cr_expect_eq(vn1_pio_read16(b, VN1_PIO_RXLEN), n);
	for (unsigned k = 0; k < n; k++)
		got[k] = vn1_pio_read8(b, VN1_PIO_DATA);
	cr_expect_arr_eq(got, f, n);
	vn1_wire_attach(dev, NULL, 0);
	vn1_wire_attach(b, NULL, 0);
	wire_close(w);
}

Test(vn1_pio, s7_status_mac_and_reset)
{
	uint8_t f[128];
	size_t n = frame(f, 0, 64);

	for (unsigned i = 0; i < 6; i++)
		cr_expect_eq(vn1_pio_read8(dev, VN1_PIO_MAC + i), hx_mac[0][i]);
	cr_expect_eq(vn1_pio_read8(dev, VN1_PIO_STATUS), 1);
	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	vn1_receive(dev, f, n);
	vn1_pio_write16(dev, VN1_PIO_IMR, 0xF);
	vn1_pio_write16(dev, VN1_PIO_DATA, 0x1234);
	vn1_pio_write8(dev, VN1_PIO_CMD, VN1_PIO_CMD_RESET);
	cr_expect_eq(vn1_pio_read8(dev, VN1_PIO_CMD), 0, "RESET leaves PIO mode");
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_RXLEN), 0);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_IMR), 0);
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_TXLEN), 0);
	cr_expect_not(atomic_load(&rec->level));
	cr_expect_eq(vn1_receive(dev, f, n), VN1_RX_DISABLED, "rings again, RXEN clear");
}

Test(vn1_pio, s7_wide_and_narrow_accesses)
{
	vn1_pio_write32(dev, VN1_PIO_ISR, 0x000F0000); /* ISR (RO) then IMR = 0xF */
	cr_expect_eq(vn1_pio_read16(dev, VN1_PIO_IMR), 0xF);
	vn1_pio_write8(dev, VN1_PIO_IMR, 0x3);
	cr_expect_eq(vn1_pio_read8(dev, VN1_PIO_IMR), 0x3);
	cr_expect_eq(vn1_pio_read32(dev, VN1_PIO_MAC), 0x314e5602u);
	cr_expect_eq(vn1_pio_read8(dev, 0x1F), 0, "unlisted port");
}
