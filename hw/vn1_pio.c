/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_pio.c - the programmed-I/O window on BAR1 (§7).
 *
 * Port widths follow the datasheet: PIO_ISR, PIO_IMR, PIO_RXLEN, PIO_DATA
 * and PIO_TXLEN are 16-bit, PIO_CMD, PIO_STATUS and PIO_MAC bytes are 8-bit.
 * An access of the natural width at a port's offset is the port access. Any
 * other access is split into byte accesses at consecutive offsets, and a
 * byte access to one half of a 16-bit port is a read or write of that port
 * that only delivers / changes those 8 bits (reading either half of PIO_ISR
 * clears its TX, LSC and RXO bits; a byte write to PIO_DATA appends one byte).
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"

#include <string.h>

void vn1_pio_reset_locked(struct vn1 *dev)
{
	struct vn1_pio *p = &dev->pio;

	p->enabled = false;
	p->isr = p->imr = 0;
	p->fifo_head = p->fifo_count = 0;
	p->rx_off = 0;
	p->txlen = 0;
}

static uint16_t vn1_pio_isr_locked(const struct vn1 *dev)
{
	return (uint16_t)(dev->pio.isr | (dev->pio.fifo_count ? VN1_PIO_ISR_RX : 0));
}

bool vn1_pio_line_want_locked(const struct vn1 *dev)
{
	return dev->pio.enabled && (vn1_pio_isr_locked(dev) & dev->pio.imr);
}

int vn1_pio_receive_locked(struct vn1 *dev, const uint8_t *frame, size_t len)
{
	struct vn1_pio *p = &dev->pio;
	unsigned slot;

	if (p->fifo_count == VN1_PIO_FIFO_FRAMES) {
		dev->st.rx_fifo_full++;
		p->isr |= VN1_PIO_ISR_RXO;
		vn1_irq_update_locked(dev, 0);
		return VN1_RX_FIFO_FULL;
	}
	slot = (p->fifo_head + p->fifo_count) % VN1_PIO_FIFO_FRAMES;
	memcpy(p->fifo[slot], frame, len);
	p->fifo_len[slot] = (uint16_t)len;
	p->fifo_count++;
	dev->gprc++;
	dev->st.rx_accepted++;
	vn1_irq_update_locked(dev, 0);
	return VN1_RX_OK;
}

static void vn1_pio_rx_next_locked(struct vn1 *dev)
{
	struct vn1_pio *p = &dev->pio;

	if (!p->fifo_count)
		return;
	p->fifo_head = (p->fifo_head + 1) % VN1_PIO_FIFO_FRAMES;
	p->fifo_count--;
	p->rx_off = 0;
}

/* Next @n (1 or 2) bytes of the head frame; past its end reads 0. */
static uint16_t vn1_pio_data_read_locked(struct vn1 *dev, unsigned n)
{
	struct vn1_pio *p = &dev->pio;
	uint16_t v = 0;

	for (unsigned i = 0; i < n && p->fifo_count; i++) {
		unsigned h = p->fifo_head;

		if (p->rx_off < p->fifo_len[h])
			v |= (uint16_t)(p->fifo[h][p->rx_off++] << (8 * i));
	}
	return v;
}

static void vn1_pio_data_write_locked(struct vn1 *dev, uint16_t v, unsigned n)
{
	struct vn1_pio *p = &dev->pio;

	for (unsigned i = 0; i < n; i++) {
		if (p->txlen >= VN1_MAX_FRAME) {
			dev->st.bad_config_writes++;
			return;
		}
		p->txbuf[p->txlen++] = (uint8_t)(v >> (8 * i));
	}
}

/*
 * TX_GO: stage the frame in a free slot; the caller sends it after
 * unlocking. Return: the slot + 1, or 0 if nothing is to be sent. The frame
 * counts as transmitted (PIO_ISR.TX) at once, as a FIFO-based NIC reports
 * "transmit done" when the frame has left its buffer.
 */
static unsigned vn1_pio_tx_go_locked(struct vn1 *dev)
{
	struct vn1_pio *p = &dev->pio;
	unsigned s;

	if (p->txlen == 0)
		return 0;
	for (s = 0; s < VN1_PIO_TX_SLOTS && p->slot_busy[s]; s++)
		;
	if (s == VN1_PIO_TX_SLOTS) {
		dev->st.tx_pio_busy++;
		p->txlen = 0;
		return 0;
	}
	p->slot_busy[s] = true;
	memcpy(p->slot[s], p->txbuf, p->txlen);
	p->slot_len[s] = p->txlen;
	p->txlen = 0;
	dev->gptc++;
	p->isr |= VN1_PIO_ISR_TX;
	vn1_irq_update_locked(dev, 0);
	return s + 1;
}

/* Command bits act in this order: RESET, ENABLE, RX_NEXT, TX_GO. */
static unsigned vn1_pio_cmd_locked(struct vn1 *dev, uint8_t cmd)
{
	if (cmd & VN1_PIO_CMD_RESET)
		vn1_pio_reset_locked(dev);
	if (cmd & VN1_PIO_CMD_ENABLE)
		dev->pio.enabled = true;
	if (cmd & VN1_PIO_CMD_RX_NEXT)
		vn1_pio_rx_next_locked(dev);
	vn1_irq_update_locked(dev, 0);
	if (cmd & VN1_PIO_CMD_TX_GO)
		return vn1_pio_tx_go_locked(dev);
	return 0;
}

static uint8_t vn1_mac_byte(const struct vn1 *dev, unsigned i)
{
	return (uint8_t)(i < 4 ? dev->mac_lo >> (8 * i) : dev->mac_hi >> (8 * (i - 4)));
}

/* One port read. @port is the port's own offset; @n is 1 or 2 bytes wanted. */
static uint16_t vn1_pio_port_read_locked(struct vn1 *dev, uint32_t port, unsigned n)
{
	uint16_t v;

	switch (port) {
	case VN1_PIO_ISR:
		v = vn1_pio_isr_locked(dev);
		dev->pio.isr &= (uint16_t) ~(VN1_PIO_ISR_TX | VN1_PIO_ISR_LSC | VN1_PIO_ISR_RXO);
		vn1_irq_update_locked(dev, 0);
		return v;
	case VN1_PIO_IMR:
		return dev->pio.imr;
	case VN1_PIO_CMD:
		return dev->pio.enabled ? VN1_PIO_CMD_ENABLE : 0;
	case VN1_PIO_RXLEN:
		return dev->pio.fifo_count ? dev->pio.fifo_len[dev->pio.fifo_head] : 0;
	case VN1_PIO_DATA:
		return vn1_pio_data_read_locked(dev, n);
	case VN1_PIO_TXLEN:
		return dev->pio.txlen;
	case VN1_PIO_STATUS:
		return dev->link_up ? 1 : 0;
	}
	if (port >= VN1_PIO_MAC && port < VN1_PIO_MAC + 6)
		return vn1_mac_byte(dev, port - VN1_PIO_MAC);
	return 0;
}

/*
 * One port write of @n bytes (@half selects the byte of a 16-bit port a
 * byte write lands in). PIO_TXLEN may be written to trim the frame (values
 * above the bytes appended are refused and counted). Return: slot + 1 to send.
 */
static unsigned vn1_pio_port_write_locked(struct vn1 *dev, uint32_t port, uint16_t v, unsigned n,
					  unsigned half)
{
	uint16_t mask = n == 2 ? 0xFFFF : (uint16_t)(0xFF << (8 * half));

	v = n == 2 ? v : (uint16_t)(v << (8 * half));
	switch (port) {
	case VN1_PIO_IMR:
		dev->pio.imr = (uint16_t)(((dev->pio.imr & ~mask) | (v & mask)) & 0xF);
		vn1_irq_update_locked(dev, 0);
		return 0;
	case VN1_PIO_CMD:
		return vn1_pio_cmd_locked(dev, (uint8_t)v);
	case VN1_PIO_DATA:
		vn1_pio_data_write_locked(dev, n == 2 ? v : (uint16_t)(v >> (8 * half)), n);
		return 0;
	case VN1_PIO_TXLEN: {
		uint16_t len = (uint16_t)((dev->pio.txlen & ~mask) | (v & mask));

		if (len <= dev->pio.txlen)
			dev->pio.txlen = len;
		else
			dev->st.bad_config_writes++;
		return 0;
	}
	}
	return 0; /* ISR, RXLEN, STATUS, MAC and unlisted ports are read-only */
}

static bool vn1_pio_is_wide(uint32_t port)
{
	return port <= VN1_PIO_TXLEN && port != VN1_PIO_CMD && !(port & 1);
}

static void vn1_pio_send_slot(struct vn1 *dev, unsigned slot1)
{
	ke_irql_t old;

	if (!slot1)
		return;
	vn1_deliver(dev, dev->pio.slot[slot1 - 1], dev->pio.slot_len[slot1 - 1]);
	old = vn1_lock(dev);
	dev->pio.slot_busy[slot1 - 1] = false;
	vn1_unlock(dev, old);
}

static void vn1_pio_hook(struct vn1 *dev, uint32_t port, unsigned size, uint32_t val, bool wr)
{
	if (__builtin_expect(dev->hooks.access != NULL, 0))
		dev->hooks.access(dev->hooks.ctx, dev, VN1_SPACE_PIO, port, size, val, wr);
}

/* Read @size bytes at @port: natural-width port accesses, else byte by byte. */
static uint32_t vn1_pio_read(struct vn1 *dev, uint32_t port, unsigned size)
{
	uint32_t val = 0;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	old = vn1_lock(dev);
	for (unsigned i = 0; i < size;) {
		uint32_t p = port + i;

		if (dev->removed || p >= VN1_BAR1_LEN) {
			val |= (dev->removed ? 0xFFu : 0u) << (8 * i);
			i++;
		} else if (vn1_pio_is_wide(p) && size - i >= 2) {
			val |= (uint32_t)vn1_pio_port_read_locked(dev, p, 2) << (8 * i);
			i += 2;
		} else {
			uint32_t base = vn1_pio_is_wide(p & ~1u) ? p & ~1u : p;
			uint16_t v = vn1_pio_port_read_locked(dev, base, 1);

			/* PIO_DATA's byte read returns the next byte itself. */
			if (base != p && base != VN1_PIO_DATA)
				v >>= 8;
			val |= (uint32_t)(v & 0xFF) << (8 * i);
			i++;
		}
	}
	vn1_unlock(dev, old);
	vn1_pio_hook(dev, port, size, val, false);
	return val;
}

static void vn1_pio_write(struct vn1 *dev, uint32_t port, unsigned size, uint32_t val)
{
	unsigned send[4] = {0}, nsend = 0;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	old = vn1_lock(dev);
	for (unsigned i = 0; i < size && !dev->removed;) {
		uint32_t p = port + i;
		unsigned s;

		if (p >= VN1_BAR1_LEN)
			break;
		if (vn1_pio_is_wide(p) && size - i >= 2) {
			s = vn1_pio_port_write_locked(dev, p, (uint16_t)(val >> (8 * i)), 2, 0);
			i += 2;
		} else {
			uint32_t base = vn1_pio_is_wide(p & ~1u) ? p & ~1u : p;

			s = vn1_pio_port_write_locked(dev, base, (uint8_t)(val >> (8 * i)), 1,
						      base == VN1_PIO_DATA ? 0 : p - base);
			i++;
		}
		if (s)
			send[nsend++] = s;
	}
	vn1_unlock(dev, old);
	for (unsigned i = 0; i < nsend; i++)
		vn1_pio_send_slot(dev, send[i]);
	vn1_pio_hook(dev, port, size, val, true);
}

uint8_t vn1_pio_read8(struct vn1 *dev, uint32_t port)
{
	return (uint8_t)vn1_pio_read(dev, port, 1);
}

uint16_t vn1_pio_read16(struct vn1 *dev, uint32_t port)
{
	return (uint16_t)vn1_pio_read(dev, port, 2);
}

uint32_t vn1_pio_read32(struct vn1 *dev, uint32_t port)
{
	return vn1_pio_read(dev, port, 4);
}

void vn1_pio_write8(struct vn1 *dev, uint32_t port, uint8_t val)
{
	vn1_pio_write(dev, port, 1, val);
}

void vn1_pio_write16(struct vn1 *dev, uint32_t port, uint16_t val)
{
	vn1_pio_write(dev, port, 2, val);
}

void vn1_pio_write32(struct vn1 *dev, uint32_t port, uint32_t val)
{
	vn1_pio_write(dev, port, 4, val);
}
