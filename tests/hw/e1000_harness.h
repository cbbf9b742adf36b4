/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/e1000_harness.h - an 82540EM on a recording sink, ring helpers
 * written the way a driver programs the rings (manual SDM 3.2, SDM 3.3, SDM 14).
 */
#ifndef NDISRT_TESTS_HW_E1000_HARNESS_H
#define NDISRT_TESTS_HW_E1000_HARNESS_H

#include "harness.h"
#include "hw/e1000/e1000.h"

#include <stdlib.h>

struct ex {
	struct ke_machine *m;
	struct hw_dma_space *dma;
	struct rec_sink rec;
	struct e1000 *dev;
};

static const uint8_t ex_mac[6] = {0x02, 0x00, 0x86, 0x80, 0x0E, 0x10};

static inline struct e1000 *ex_create(struct ex *x, bool link_down, unsigned speed)
{
	struct e1000_config c = {
	    .machine = x->m,
	    .dma = x->dma,
	    .sink = rec_sink(&x->rec),
	    .bar0_addr = 0xFEBC0000u,
	    .io_port = 0xC000,
	    .intx_vector = 0x51,
	    .link_down = link_down,
	    .speed_mbps = speed,
	};

	memcpy(c.mac, ex_mac, 6);
	x->dev = e1000_create(&c);
	cr_assert_not_null(x->dev, "e1000_create");
	return x->dev;
}

static inline void ex_init(struct ex *x)
{
	struct ke_machine_config mc = {.nr_vcpus = 1};

	memset(x, 0, sizeof(*x));
	x->m = ke_machine_create(&mc);
	cr_assert_not_null(x->m);
	x->dma = hw_dma_space_create();
	cr_assert_not_null(x->dma);
	x->rec.m = x->m;
	ex_create(x, false, 0);
}

static inline void ex_fini(struct ex *x)
{
	e1000_free(x->dev);
	ke_machine_free(x->m);
	hw_dma_space_free(x->dma);
}

static inline uint32_t rd(struct ex *x, uint32_t off)
{
	return e1000_mmio_read32(x->dev, off);
}

static inline void wr(struct ex *x, uint32_t off, uint32_t v)
{
	e1000_mmio_write32(x->dev, off, v);
}

/* A descriptor ring and one buffer per descriptor, in DMA memory. */
struct ex_ring {
	unsigned n, bufsz;
	uint8_t *desc;
	uint64_t desc_la;
	uint8_t *buf[256];
	uint64_t buf_la[256];
	unsigned next, tail;
};

static inline void ex_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void ex_ring_alloc(struct ex *x, struct ex_ring *r, unsigned n, unsigned bufsz)
{
	memset(r, 0, sizeof(*r));
	cr_assert(n <= 256);
	r->n = n;
	r->bufsz = bufsz;
	r->desc = hw_dma_alloc(x->dma, 16u * n, &r->desc_la);
	cr_assert_not_null(r->desc);
	for (unsigned i = 0; i < n; i++) {
		r->buf[i] = hw_dma_alloc(x->dma, bufsz, &r->buf_la[i]);
		cr_assert_not_null(r->buf[i]);
	}
}

/* Receive ring: every descriptor but one given to the hardware (SDM 3.2.6). */
static inline void ex_rx_ring(struct ex *x, struct ex_ring *r, unsigned n, unsigned bufsz,
			      uint32_t rctl)
{
	ex_ring_alloc(x, r, n, bufsz);
	for (unsigned i = 0; i < n; i++)
		ex_put64(r->desc + 16 * i, r->buf_la[i]);
	wr(x, E1000_RDBAL, (uint32_t)r->desc_la);
	wr(x, E1000_RDBAH, (uint32_t)(r->desc_la >> 32));
	wr(x, E1000_RDLEN, 16u * n);
	wr(x, E1000_RDH, 0);
	r->tail = n - 1;
	wr(x, E1000_RDT, r->tail);
	wr(x, E1000_RCTL, rctl | E1000_RCTL_EN);
}

static inline uint8_t ex_rx_status(struct ex_ring *r, unsigned i)
{
	return __atomic_load_n(&r->desc[16 * i + 12], __ATOMIC_ACQUIRE);
}

static inline unsigned ex_rx_len(struct ex_ring *r, unsigned i)
{
	return r->desc[16 * i + 8] | (unsigned)r->desc[16 * i + 9] << 8;
}

/* Hand descriptor @i back to the hardware (status cleared) and move RDT. */
static inline void ex_rx_return(struct ex *x, struct ex_ring *r, unsigned i)
{
	r->desc[16 * i + 12] = 0;
	r->tail = (i + r->n) % r->n;
	wr(x, E1000_RDT, r->tail);
}

/* Transmit ring, empty (TDH == TDT == 0). */
static inline void ex_tx_ring(struct ex *x, struct ex_ring *r, unsigned n, unsigned bufsz)
{
	ex_ring_alloc(x, r, n, bufsz);
	wr(x, E1000_TDBAL, (uint32_t)r->desc_la);
	wr(x, E1000_TDBAH, (uint32_t)(r->desc_la >> 32));
	wr(x, E1000_TDLEN, 16u * n);
	wr(x, E1000_TDH, 0);
	wr(x, E1000_TDT, 0);
	wr(x, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP);
}

/* Fill the next legacy descriptor (SDM 3.3.3) with @len bytes; no TDT write. */
static inline void ex_tx_put(struct ex_ring *r, const void *data, unsigned len, uint8_t cmd)
{
	uint8_t *d = r->desc + 16 * r->tail;

	memcpy(r->buf[r->tail], data, len);
	memset(d, 0, 16);
	ex_put64(d, r->buf_la[r->tail]);
	d[8] = (uint8_t)len;
	d[9] = (uint8_t)(len >> 8);
	d[11] = cmd;
	r->tail = (r->tail + 1) % r->n;
}

/* A frame addressed to @dst from 02:00:00:00:00:99, payload byte @tag. */
static inline size_t ex_frame(uint8_t *f, const uint8_t *dst, unsigned len, uint8_t tag)
{
	static const uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x99};

	memset(f, tag, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xB5; /* local experimental EtherType */
	return len;
}

#endif /* NDISRT_TESTS_HW_E1000_HARNESS_H */
