/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/virtio_net_harness.h - a driver's side of the virtio-net model for
 * unit tests: a device on a recording sink, modern/legacy bring-up, split
 * virtqueues in DMA memory, and a wire end that keeps what was sent.
 */
#ifndef NDISRT_TESTS_HW_VIRTIO_NET_HARNESS_H
#define NDISRT_TESTS_HW_VIRTIO_NET_HARNESS_H

#include "harness.h"
#include "hw/virtio_net/virtio_net.h"

#define VX_MAX_FRAMES 64

struct vx_tq {
	unsigned q, size;
	uint8_t *mem; /* desc | avail | pad | used (legacy layout, 4096 aligned) */
	uint64_t la;
	uint8_t *desc, *avail, *used;
	uint64_t desc_la, avail_la, used_la;
	uint16_t avail_idx, used_seen;
	uint8_t *buf[VNET_QUEUE_SIZE_MAX];
	uint64_t buf_la[VNET_QUEUE_SIZE_MAX];
};

struct vx {
	struct hx h;
	struct rec_sink rec;
	struct vnet *dev;
	struct wire *w;
	unsigned nframes;
	/* Called for each frame the wire brings to end 1, in the sender's context. */
	void (*on_frame)(struct vx *x, unsigned n);
	void *ctx;
	size_t flen[VX_MAX_FRAMES];
	uint8_t frame[VX_MAX_FRAMES][2048];
};

static inline void vx_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline uint16_t vx_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t vx_get32(const uint8_t *p)
{
	return (uint32_t)vx_get16(p) | (uint32_t)vx_get16(p + 2) << 16;
}

static int vx_wire_rx(void *ctx, const void *frame, size_t len)
{
	struct vx *x = ctx;

	if (x->nframes < VX_MAX_FRAMES && len <= sizeof(x->frame[0])) {
		memcpy(x->frame[x->nframes], frame, len);
		x->flen[x->nframes] = len;
	}
	x->nframes++;
	if (x->on_frame)
		x->on_frame(x, x->nframes);
	return 0;
}

/* A device (@cfg fields machine/dma/sink filled in here) with its port on a recording wire. */
static inline void vx_init(struct vx *x, struct vnet_config *cfg)
{
	memset(x, 0, sizeof(*x));
	hx_init(&x->h, 1, 0);
	x->rec.m = x->h.m;
	cfg->machine = x->h.m;
	cfg->dma = x->h.dma;
	cfg->sink = rec_sink(&x->rec);
	cfg->bar0_port = 0xC000;
	cfg->bar1_addr = 0xFE000000ULL;
	cfg->intx_vector = 0x50;
	if (cfg->irq_kind == VNET_IRQ_MSIX && !cfg->nr_msgs)
		cfg->nr_msgs = VNET_NR_VECTORS;
	memcpy(cfg->mac, hx_mac[0], 6);
	x->dev = vnet_create(cfg);
	cr_assert_not_null(x->dev, "vnet_create");
	x->w = wire_pair_create(NULL);
	cr_assert_not_null(x->w);
	vnet_wire_attach(x->dev, x->w, 0);
	wire_attach(x->w, 1, vx_wire_rx, x);
}

static inline void vx_fini(struct vx *x)
{
	vnet_free(x->dev);
	wire_close(x->w);
	hx_fini(&x->h);
}

/* MSI-X on, entry v programmed with data v and unmasked. */
static inline void vx_msix(struct vx *x)
{
	for (unsigned v = 0; v < VNET_NR_VECTORS; v++) {
		cr_assert_eq(vnet_msix_program(x->dev, v, 0xFEE00000u, v), 0);
		cr_assert_eq(vnet_msix_set_masked(x->dev, v, false), 0);
	}
	vnet_msix_set_enabled(x->dev, true);
}

#define CW8(x, o, v) vnet_mmio_write8((x)->dev, VNET_BAR1_COMMON + (o), (uint8_t)(v))
#define CW16(x, o, v) vnet_mmio_write16((x)->dev, VNET_BAR1_COMMON + (o), (uint16_t)(v))
#define CW32(x, o, v) vnet_mmio_write32((x)->dev, VNET_BAR1_COMMON + (o), (uint32_t)(v))
#define CR8(x, o) vnet_mmio_read8((x)->dev, VNET_BAR1_COMMON + (o))
#define CR16(x, o) vnet_mmio_read16((x)->dev, VNET_BAR1_COMMON + (o))
#define CR32(x, o) vnet_mmio_read32((x)->dev, VNET_BAR1_COMMON + (o))

/* Modern bring-up up to FEATURES_OK. Return: the status read back. */
static inline uint8_t vx_negotiate(struct vx *x, uint64_t features)
{
	CW8(x, VIRTIO_COMMON_STATUS, 0);
	CW8(x, VIRTIO_COMMON_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	CW8(x, VIRTIO_COMMON_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	CW32(x, VIRTIO_COMMON_GFSELECT, 0);
	CW32(x, VIRTIO_COMMON_GF, (uint32_t)features);
	CW32(x, VIRTIO_COMMON_GFSELECT, 1);
	CW32(x, VIRTIO_COMMON_GF, (uint32_t)(features >> 32));
	CW8(x, VIRTIO_COMMON_STATUS,
	    VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	return CR8(x, VIRTIO_COMMON_STATUS);
}

static inline void vx_driver_ok(struct vx *x)
{
	CW8(x, VIRTIO_COMMON_STATUS,
	    VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
		VIRTIO_STATUS_DRIVER_OK);
}

/* A queue of @size entries in one 4096-aligned block (also the legacy layout). */
static inline void vx_tq_alloc(struct vx *x, struct vx_tq *t, unsigned q, unsigned size,
			       unsigned bufsz)
{
	size_t avail_end = 16u * size + 6 + 2u * size;
	size_t used_off = (avail_end + 4095) & ~(size_t)4095;

	memset(t, 0, sizeof(*t));
	t->q = q;
	t->size = size;
	t->mem = hw_dma_alloc(x->h.dma, used_off + 6 + 8u * size, &t->la);
	cr_assert_not_null(t->mem);
	t->desc = t->mem;
	t->avail = t->mem + 16u * size;
	t->used = t->mem + used_off;
	t->desc_la = t->la;
	t->avail_la = t->la + 16u * size;
	t->used_la = t->la + used_off;
	for (unsigned i = 0; i < size; i++) {
		t->buf[i] = hw_dma_alloc(x->h.dma, bufsz, &t->buf_la[i]);
		cr_assert_not_null(t->buf[i]);
	}
}

/* Modern queue setup through the common configuration. */
static inline void vx_tq_modern(struct vx *x, struct vx_tq *t, unsigned q, unsigned size,
				unsigned bufsz, uint16_t vector)
{
	vx_tq_alloc(x, t, q, size, bufsz);
	CW16(x, VIRTIO_COMMON_Q_SELECT, q);
	CW16(x, VIRTIO_COMMON_Q_SIZE, size);
	CW32(x, VIRTIO_COMMON_Q_DESCLO, (uint32_t)t->desc_la);
	CW32(x, VIRTIO_COMMON_Q_DESCHI, (uint32_t)(t->desc_la >> 32));
	CW32(x, VIRTIO_COMMON_Q_AVAILLO, (uint32_t)t->avail_la);
	CW32(x, VIRTIO_COMMON_Q_AVAILHI, (uint32_t)(t->avail_la >> 32));
	CW32(x, VIRTIO_COMMON_Q_USEDLO, (uint32_t)t->used_la);
	CW32(x, VIRTIO_COMMON_Q_USEDHI, (uint32_t)(t->used_la >> 32));
	CW16(x, VIRTIO_COMMON_Q_MSIX, vector);
	CW16(x, VIRTIO_COMMON_Q_ENABLE, 1);
}

static inline void vx_desc(struct vx_tq *t, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
			   uint16_t next)
{
	uint8_t *d = t->desc + 16 * i;

	for (int k = 0; k < 8; k++)
		d[k] = (uint8_t)(addr >> (8 * k));
	for (int k = 0; k < 4; k++)
		d[8 + k] = (uint8_t)(len >> (8 * k));
	vx_put16(d + 12, flags);
	vx_put16(d + 14, next);
}

/* Make head @head available (does not notify). */
static inline void vx_avail(struct vx_tq *t, uint16_t head)
{
	vx_put16(t->avail + 4 + 2 * (t->avail_idx % t->size), head);
	t->avail_idx++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	vx_put16(t->avail + 2, t->avail_idx);
}

static inline void vx_notify(struct vx *x, unsigned q)
{
	vnet_mmio_write16(x->dev, VNET_BAR1_NOTIFY + VNET_NOTIFY_MULTIPLIER * q, (uint16_t)q);
}

static inline uint16_t vx_used_idx(struct vx_tq *t)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return vx_get16(t->used + 2);
}

/* Used entry @i (free-running index): id and len. */
static inline void vx_used_entry(struct vx_tq *t, uint16_t i, uint32_t *id, uint32_t *len)
{
	const uint8_t *e = t->used + 4 + 8 * (i % t->size);

	*id = vx_get32(e);
	*len = vx_get32(e + 4);
}

/* Transmit one frame as [header][frame] in descriptors 2i, 2i+1 (i = slot). */
static inline void vx_tx_frame(struct vx *x, struct vx_tq *t, unsigned slot, const void *frame,
			       unsigned len)
{
	unsigned d0 = (2 * slot) % t->size, d1 = (2 * slot + 1) % t->size;

	memset(t->buf[d0], 0, VIRTIO_NET_HDR_LEN);
	memcpy(t->buf[d1], frame, len);
	vx_desc(t, d0, t->buf_la[d0], VIRTIO_NET_HDR_LEN, VIRTQ_DESC_F_NEXT, (uint16_t)d1);
	vx_desc(t, d1, t->buf_la[d1], len, 0, 0);
	vx_avail(t, (uint16_t)d0);
	vx_notify(x, t->q);
}

/* Give receive buffer @i (one writable descriptor of @len bytes). */
static inline void vx_rx_give(struct vx_tq *t, unsigned i, uint32_t len)
{
	vx_desc(t, i, t->buf_la[i], len, VIRTQ_DESC_F_WRITE, 0);
	vx_avail(t, (uint16_t)i);
}

#endif /* NDISRT_TESTS_HW_VIRTIO_NET_HARNESS_H */
