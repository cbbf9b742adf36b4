/* SPDX-License-Identifier: MIT */
#include "harness.h"

#include <stdlib.h>

const uint8_t hx_mac[4][6] = {
    {0x02, 0x56, 0x4e, 0x31, 0x00, 0x01},
    {0x02, 0x56, 0x4e, 0x31, 0x00, 0x02},
    {0x02, 0x56, 0x4e, 0x31, 0x00, 0x03},
    {0x02, 0x56, 0x4e, 0x31, 0x00, 0x04},
};

static void rec_line_set(void *ctx, bool asserted)
{
	struct rec_sink *r = ctx;

	if (atomic_exchange(&r->level, asserted) == asserted)
		return;
	if (asserted) {
		/*
		 * Stamp first, publish the count after (release): a test that
		 * sees rises == n reads rise_ns[n - 1] complete. A device calls
		 * line_set under its own lock, so one writer at a time.
		 */
		unsigned i = atomic_load_explicit(&r->rises, memory_order_relaxed);

		if (i < REC_MAX)
			r->rise_ns[i] = r->m ? ke_clock_ns(r->m) : 0;
		atomic_store_explicit(&r->rises, i + 1, memory_order_release);
	} else {
		atomic_fetch_add(&r->falls, 1);
	}
}

static void rec_line_pulse(void *ctx)
{
	struct rec_sink *r = ctx;

	atomic_fetch_add(&r->pulses, 1);
}

static void rec_msi_write(void *ctx, uint64_t addr, uint32_t data)
{
	struct rec_sink *r = ctx;
	unsigned i = atomic_load(&r->nmsi);

	if (i >= REC_MAX)
		return;
	r->msi[i].addr = addr;
	r->msi[i].data = data;
	r->msi[i].ns = r->m ? ke_clock_ns(r->m) : 0;
	/* Release: the entry is complete before the count shows it. */
	atomic_store_explicit(&r->nmsi, i + 1, memory_order_release);
}

const struct hw_irq_sink_ops rec_sink_ops = {
    .line_set = rec_line_set,
    .line_pulse = rec_line_pulse,
    .msi_write = rec_msi_write,
};

unsigned rec_count_msg(struct rec_sink *r, uint32_t data)
{
	unsigned n = atomic_load_explicit(&r->nmsi, memory_order_acquire), c = 0;

	for (unsigned i = 0; i < n; i++)
		c += r->msi[i].data == data;
	return c;
}

struct vn1 *hx_dev_create(struct hx *h, unsigned i, struct hw_irq_sink sink, enum vn1_irq_kind kind)
{
	struct vn1_config cfg = {
	    .machine = h->m,
	    .dma = h->dma,
	    .sink = sink,
	    .bar0_addr = 0xF0000000ULL + 0x10000ULL * i,
	    .bar1_port = (uint16_t)(0xE000 + 0x20 * i),
	    .intx_vector = 0x50,
	    .irq_kind = kind,
	    .nr_msgs = kind == VN1_IRQ_MSIX ? 16 : 0,
	};

	memcpy(cfg.mac, hx_mac[i], 6);
	h->dev[i] = vn1_create(&cfg);
	cr_assert_not_null(h->dev[i], "vn1_create");
	return h->dev[i];
}

void hx_init(struct hx *h, unsigned vcpus, unsigned ndev)
{
	memset(h, 0, sizeof(*h));
	h->m = harness_machine(vcpus);
	h->dma = hw_dma_space_create();
	cr_assert_not_null(h->dma);
	h->ndev = ndev;
	for (unsigned i = 0; i < ndev; i++) {
		h->rec[i].m = h->m;
		hx_dev_create(h, i, rec_sink(&h->rec[i]), VN1_IRQ_LINE);
	}
}

void hx_fini(struct hx *h)
{
	for (unsigned i = 0; i < 4; i++)
		vn1_free(h->dev[i]);
	ke_machine_free(h->m);
	hw_dma_space_free(h->dma);
}

void hx_msix_setup(struct vn1 *dev, unsigned imode, unsigned nmsgs)
{
	for (unsigned m = 0; m < nmsgs; m++) {
		cr_assert_eq(vn1_msix_program(dev, m, 0xFEE00000u, m), 0);
		cr_assert_eq(vn1_msix_set_masked(dev, m, false), 0);
	}
	vn1_msix_set_enabled(dev, true);
	vn1_mmio_write32(dev, VN1_IMODE, imode);
}

static void hx_ring_alloc(struct hx_ring *r, struct vn1 *dev, struct hw_dma_space *dma, unsigned q,
			  unsigned n, unsigned bufsz)
{
	memset(r, 0, sizeof(*r));
	r->dev = dev;
	r->dma = dma;
	r->q = q;
	r->n = n;
	r->bufsz = bufsz;
	r->desc = hw_dma_alloc(dma, 16u * n, &r->desc_la);
	cr_assert_not_null(r->desc);
	r->buf = calloc(n, sizeof(*r->buf));
	r->buf_la = calloc(n, sizeof(*r->buf_la));
	for (unsigned i = 0; i < n; i++) {
		r->buf[i] = hw_dma_alloc(dma, bufsz, &r->buf_la[i]);
		cr_assert_not_null(r->buf[i]);
	}
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void hx_rx_ring(struct hx_ring *r, struct vn1 *dev, struct hw_dma_space *dma, unsigned q,
		unsigned n, unsigned bufsz)
{
	uint32_t base = VN1_RXQ0 + 0x40 * q;

	hx_ring_alloc(r, dev, dma, q, n, bufsz);
	for (unsigned i = 0; i < n; i++)
		put64(r->desc + 16 * i, r->buf_la[i]);
	vn1_mmio_write32(dev, base + VN1_Q_BAL, (uint32_t)r->desc_la);
	vn1_mmio_write32(dev, base + VN1_Q_BAH, (uint32_t)(r->desc_la >> 32));
	vn1_mmio_write32(dev, base + VN1_Q_LEN, n);
	vn1_mmio_write32(dev, base + VN1_Q_RBUFSZ, bufsz);
	vn1_mmio_write32(dev, base + VN1_Q_DCTL, VN1_DCTL_ENABLE);
	r->tail = n - 1;
	vn1_mmio_write32(dev, base + VN1_Q_TAIL, r->tail);
}

void hx_rx_refill(struct hx_ring *r)
{
	/* Every descriptor up to (not including) r->next is the driver's again. */
	unsigned want = (r->next + r->n - 1) % r->n;

	while (r->tail != want) {
		r->desc[16 * r->tail + 10] = 0;
		put64(r->desc + 16 * r->tail, r->buf_la[r->tail]);
		r->tail = (r->tail + 1) % r->n;
	}
	vn1_mmio_write32(r->dev, VN1_RXQ0 + 0x40 * r->q + VN1_Q_TAIL, r->tail);
}

bool hx_rx_take(struct hx_ring *r, uint8_t *frame, unsigned *len, uint8_t *status, uint8_t *type,
		uint32_t *hash)
{
	uint8_t *d = r->desc + 16 * r->next;
	uint8_t st = __atomic_load_n(&d[10], __ATOMIC_ACQUIRE);

	if (!(st & VN1_RXD_STAT_DD))
		return false;
	*len = (unsigned)d[8] | (unsigned)d[9] << 8;
	if (frame)
		memcpy(frame, r->buf[r->next], *len);
	if (status)
		*status = st;
	if (type)
		*type = d[11];
	if (hash)
		*hash = (uint32_t)d[12] | (uint32_t)d[13] << 8 | (uint32_t)d[14] << 16 |
			(uint32_t)d[15] << 24;
	/* The driver clears the status before the slot can be given back, so a
	 * descriptor never shows a stale DD when the ring comes round to it. */
	__atomic_store_n(&d[10], 0, __ATOMIC_RELAXED);
	r->next = (r->next + 1) % r->n;
	return true;
}

void hx_ring_free(struct hx_ring *r)
{
	for (unsigned i = 0; i < r->n; i++)
		hw_dma_free(r->dma, r->buf[i]);
	hw_dma_free(r->dma, r->desc);
	free(r->buf);
	free(r->buf_la);
}

void hx_tx_ring(struct hx_ring *r, struct vn1 *dev, struct hw_dma_space *dma, unsigned q,
		unsigned n)
{
	uint32_t base = VN1_TXQ0 + 0x40 * q;

	hx_ring_alloc(r, dev, dma, q, n, VN1_MAX_FRAME);
	vn1_mmio_write32(dev, base + VN1_Q_BAL, (uint32_t)r->desc_la);
	vn1_mmio_write32(dev, base + VN1_Q_BAH, (uint32_t)(r->desc_la >> 32));
	vn1_mmio_write32(dev, base + VN1_Q_LEN, n);
	vn1_mmio_write32(dev, base + VN1_Q_DCTL, VN1_DCTL_ENABLE);
}

void hx_tx_put(struct hx_ring *r, const void *frame, unsigned len, bool rs)
{
	uint8_t *d = r->desc + 16 * r->tail;

	memcpy(r->buf[r->tail], frame, len);
	put64(d, r->buf_la[r->tail]);
	d[8] = (uint8_t)len;
	d[9] = (uint8_t)(len >> 8);
	d[10] = (uint8_t)(VN1_TXD_CMD_EOP | (rs ? VN1_TXD_CMD_RS : 0));
	d[11] = 0;
	r->tail = (r->tail + 1) % r->n;
}

void hx_tx_kick(struct hx_ring *r)
{
	vn1_mmio_write32(r->dev, VN1_TXQ0 + 0x40 * r->q + VN1_Q_TAIL, r->tail);
}

uint8_t hx_tx_status(struct hx_ring *r, unsigned i)
{
	return __atomic_load_n(&r->desc[16 * i + 11], __ATOMIC_ACQUIRE);
}

size_t hx_frame(uint8_t *buf, const uint8_t *dst, unsigned f, int family, uint8_t l4, unsigned size)
{
	struct wire_gen_config c = {
	    .frames = 1,
	    .size = size,
	    .flows = 65536,
	    .family = family,
	    .l4 = l4,
	};

	memcpy(c.dst_mac, dst, 6);
	return wire_gen_frame(&c, f, buf, VN1_MAX_FRAME);
}
