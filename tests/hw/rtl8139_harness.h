/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/rtl8139_harness.h - an RTL8139C behind the device seam on a
 * recording sink, register helpers, and a receive ring in DMA memory.
 * "DS" in the tests names a section of Realtek's RTL8139C(L) datasheet.
 */
#ifndef NDISRT_TESTS_HW_RTL8139_HARNESS_H
#define NDISRT_TESTS_HW_RTL8139_HARNESS_H

#include "harness.h"
#include "hw/device.h"
#include "hw/rtl8139/rtl8139.h"

static const uint8_t rx_mac[6] = {0x00, 0xE0, 0x4C, 0x12, 0x34, 0x56};

struct rx {
	struct hx h;
	struct hw_device *dev;
	uint8_t *ring; /* the receive buffer the driver gave (RBSTART) */
	uint64_t ring_la;
	uint32_t ring_bus;  /* its 32-bit window alias: what RBSTART holds */
	uint32_t ring_size; /* 8K << RBLEN */
	uint32_t rd;	    /* the driver's read offset */
};

static inline void rx_init(struct rx *t)
{
	struct hw_device_params p = {0};
	char err[128] = "";

	hx_init(&t->h, 1, 0);
	t->h.rec[0].m = t->h.m;
	p.machine = t->h.m;
	p.dma = t->h.dma;
	p.sink = rec_sink(&t->h.rec[0]);
	memcpy(p.mac, rx_mac, 6);
	p.port_base = 0xC000;
	p.mem_base = 0xFEB00000;
	p.line_vector = 11;
	t->dev = hw_device_create("rtl8139", &p, err, sizeof(err));
	cr_assert_not_null(t->dev, "create: %s", err);
	t->ring = NULL;
	t->rd = 0;
}

static inline void rx_fini(struct rx *t)
{
	hw_device_free(t->dev);
	hx_fini(&t->h);
}

static inline uint32_t rd8(struct rx *t, uint32_t off)
{
	return (uint32_t)hw_dev_bar_read(t->dev, RTL8139_BAR_IO, off, 1);
}
static inline uint32_t rd16(struct rx *t, uint32_t off)
{
	return (uint32_t)hw_dev_bar_read(t->dev, RTL8139_BAR_IO, off, 2);
}
static inline uint32_t rd32(struct rx *t, uint32_t off)
{
	return (uint32_t)hw_dev_bar_read(t->dev, RTL8139_BAR_MEM, off, 4);
}
static inline void wr8(struct rx *t, uint32_t off, uint32_t v)
{
	hw_dev_bar_write(t->dev, RTL8139_BAR_IO, off, 1, v);
}
static inline void wr16(struct rx *t, uint32_t off, uint32_t v)
{
	hw_dev_bar_write(t->dev, RTL8139_BAR_IO, off, 2, v);
}
static inline void wr32(struct rx *t, uint32_t off, uint32_t v)
{
	hw_dev_bar_write(t->dev, RTL8139_BAR_MEM, off, 4, v);
}

static inline bool rx_line(struct rx *t)
{
	return atomic_load(&t->h.rec[0].level);
}

/* A receive buffer of 8K << @rblen + 16 + 1500 (room for WRAP=1), RE on. */
static inline void rx_ring(struct rx *t, unsigned rblen, uint32_t rcr_extra)
{
	t->ring_size = 8192u << rblen;
	t->ring = hw_dma_alloc(t->h.dma, t->ring_size + 16 + 1536, &t->ring_la);
	cr_assert_not_null(t->ring);
	memset(t->ring, 0xEE, t->ring_size + 16 + 1536);
	cr_assert_eq(hw_dma_addr32(t->h.dma, t->ring_la, &t->ring_bus), 0);
	wr32(t, RTL_RBSTART, t->ring_bus);
	wr32(t, RTL_RCR, (rblen << RTL_RCR_RBLEN_SHIFT) | rcr_extra);
	wr8(t, RTL_CR, RTL_CR_RE | RTL_CR_TE);
	t->rd = 0;
}

/* Deliver a frame from the wire. Return: what the port did (0: taken). */
static inline int rx_offer(struct rx *t, const uint8_t *dst, unsigned len, uint8_t fill)
{
	uint8_t f[2048];
	struct wire *w = wire_pair_create(t->h.m);
	int rc;

	memset(f, fill, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x09", 6);
	f[12] = 0x08;
	f[13] = 0x00;
	hw_dev_wire_attach(t->dev, w, 1);
	rc = wire_send(w, 0, f, len);
	hw_dev_wire_attach(t->dev, NULL, 0);
	wire_close(w);
	return rc;
}

/* Byte @i of the ring from the read offset, wrapping as WRAP=0 does. */
static inline uint8_t rx_at(struct rx *t, uint32_t i)
{
	return t->ring[(t->rd + i) % t->ring_size];
}

/*
 * Take one packet the way the datasheet tells a driver to: header at the
 * read offset, then the frame, then advance to the next dword and write
 * CAPR = offset - 16. Return: false if CR.BUFE said empty.
 */
static inline bool rx_take(struct rx *t, uint16_t *status, uint16_t *len, uint8_t *fill)
{
	if (rd8(t, RTL_CR) & RTL_CR_BUFE)
		return false;
	*status = (uint16_t)(rx_at(t, 0) | rx_at(t, 1) << 8);
	*len = (uint16_t)(rx_at(t, 2) | rx_at(t, 3) << 8);
	if (fill)
		*fill = rx_at(t, 4 + 20);
	t->rd = (t->rd + *len + 4 + 3) & ~3u;
	t->rd %= t->ring_size;
	wr16(t, RTL_CAPR, (t->rd - RTL_CAPR_BIAS) & 0xFFFF);
	return true;
}

#endif /* NDISRT_TESTS_HW_RTL8139_HARNESS_H */
