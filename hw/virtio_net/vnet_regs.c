/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/vnet_regs.c - the two register interfaces: the modern
 * structures in BAR1 (virtio: PCI Device Layout) and the legacy block in
 * BAR0 (virtio: Legacy Interfaces: A Note on PCI Device Layout), and the
 * device status / feature negotiation they share (virtio: Device Status
 * Field; Feature Bits; Device Initialization).
 *
 * A read composes the addressed bytes from the fields it covers, so any
 * width reads what the natural widths would; only the ISR status byte has a
 * read side effect. A write must hit one field at its natural width (or one
 * 32-bit half of a 64-bit field): anything else is ignored and counted.
 */
#define NDISRT_HW_VNET_INTERNAL
#include "hw/virtio_net/vnet_internal.h"

#define NO_KICK (-1)

unsigned vnet_hdr_len(const struct vnet *dev)
{
	if (vnet_has(dev, VIRTIO_NET_F_HASH_REPORT))
		return VIRTIO_NET_HDR_LEN_HASH;
	if (vnet_has(dev, VIRTIO_F_VERSION_1) || vnet_has(dev, VIRTIO_NET_F_MRG_RXBUF))
		return VIRTIO_NET_HDR_LEN;
	return VIRTIO_NET_HDR_LEN_LEGACY;
}

/* ------------------------------------------------ status and features */

/*
 * FEATURES_OK is accepted only for a valid subset (virtio: Feature Bits,
 * "otherwise it MUST fail to set the FEATURES_OK device status bit"):
 * nothing that was not offered, no feature without the one it depends on
 * (MQ and RSS need CTRL_VQ), and VERSION_1 through the modern interface.
 */
static bool vnet_features_valid(const struct vnet *dev, uint64_t f)
{
	if (f & ~dev->offered)
		return false;
	if ((f & (VIRTIO_BIT(VIRTIO_NET_F_MQ) | VIRTIO_BIT(VIRTIO_NET_F_RSS))) &&
	    !(f & VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ)))
		return false;
	if (!dev->legacy && !(f & VIRTIO_BIT(VIRTIO_F_VERSION_1)))
		return false;
	return true;
}

/* The driver may set bits, never clear them; 0 resets; NEEDS_RESET is the device's. */
static void vnet_status_write_locked(struct vnet *dev, uint8_t val)
{
	uint8_t now;

	if (val == 0) {
		dev->st.resets++;
		vnet_reset_locked(dev);
		return;
	}
	now = (uint8_t)((val & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET) |
			(dev->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET));
	if ((now & VIRTIO_STATUS_FEATURES_OK) && !(dev->status & VIRTIO_STATUS_FEATURES_OK)) {
		if (vnet_features_valid(dev, dev->driver_features)) {
			dev->features = dev->driver_features;
		} else {
			now &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
			dev->st.features_refused++;
		}
	}
	dev->status = now;
}

/* ------------------------------------------------ device configuration */

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/*
 * struct virtio_net_config: a field that exists only with a feature reads
 * 0 when the device does not offer that feature.
 */
uint32_t vnet_device_cfg_read_locked(struct vnet *dev, uint32_t off, unsigned size)
{
	uint8_t img[VIRTIO_NET_CFG_LEN] = {0};
	uint64_t o = dev->offered;
	bool hashing = o & (VIRTIO_BIT(VIRTIO_NET_F_RSS) | VIRTIO_BIT(VIRTIO_NET_F_HASH_REPORT));
	uint32_t v = 0;

	for (unsigned i = 0; i < 6; i++)
		img[VIRTIO_NET_CFG_MAC + i] = dev->cfg.mac[i];
	if ((o & VIRTIO_BIT(VIRTIO_NET_F_STATUS)) && dev->link_up)
		put16(img + VIRTIO_NET_CFG_STATUS, VIRTIO_NET_S_LINK_UP);
	put16(img + VIRTIO_NET_CFG_MAX_PAIRS,
	      (o & (VIRTIO_BIT(VIRTIO_NET_F_MQ) | VIRTIO_BIT(VIRTIO_NET_F_RSS)))
		  ? dev->cfg.max_pairs
		  : 1);
	if (hashing) {
		img[VIRTIO_NET_CFG_RSS_MAX_KEY] = VNET_RSS_KEY_MAX;
		put16(img + VIRTIO_NET_CFG_HASH_TYPES, VNET_HASH_TYPES);
	}
	if (o & VIRTIO_BIT(VIRTIO_NET_F_RSS))
		put16(img + VIRTIO_NET_CFG_RSS_MAX_TABLE, VNET_RSS_TABLE_MAX);
	/* The note's scheme: a change since the last read bumps the generation
	 * when the driver reads the configuration next. */
	if (dev->config_dirty) {
		dev->config_generation++;
		dev->config_dirty = false;
	}
	for (unsigned i = 0; i < size; i++)
		if (off + i < VIRTIO_NET_CFG_LEN)
			v |= (uint32_t)img[off + i] << (8 * i);
	return v;
}

/* --------------------------------------------------- common configuration */

static struct vnet_vq *vnet_selected(struct vnet *dev)
{
	return dev->queue_select < dev->nq ? &dev->vq[dev->queue_select] : NULL;
}

/* One field's value; @w: its width. Return: false for a hole. */
static bool vnet_common_field(struct vnet *dev, uint32_t f, uint32_t *v, unsigned *w)
{
	struct vnet_vq *vq = vnet_selected(dev);
	uint64_t feat;

	*w = 2;
	switch (f) {
	case VIRTIO_COMMON_DFSELECT:
		*w = 4;
		*v = dev->dfselect;
		return true;
	case VIRTIO_COMMON_DF:
		*w = 4;
		*v = dev->dfselect < 2 ? (uint32_t)(dev->offered >> (32 * dev->dfselect)) : 0;
		return true;
	case VIRTIO_COMMON_GFSELECT:
		*w = 4;
		*v = dev->gfselect;
		return true;
	case VIRTIO_COMMON_GF:
		*w = 4;
		feat = dev->driver_features;
		*v = dev->gfselect < 2 ? (uint32_t)(feat >> (32 * dev->gfselect)) : 0;
		return true;
	case VIRTIO_COMMON_MSIX:
		*v = dev->config_vector;
		return true;
	case VIRTIO_COMMON_NUMQ:
		*v = dev->nq;
		return true;
	case VIRTIO_COMMON_STATUS:
		*w = 1;
		*v = dev->status;
		return true;
	case VIRTIO_COMMON_CFGGENERATION:
		*w = 1;
		*v = dev->config_generation;
		return true;
	case VIRTIO_COMMON_Q_SELECT:
		*v = dev->queue_select;
		return true;
	case VIRTIO_COMMON_Q_SIZE:
		*v = vq ? vq->size : 0;
		return true;
	case VIRTIO_COMMON_Q_MSIX:
		*v = vq ? vq->vector : VIRTIO_MSI_NO_VECTOR;
		return true;
	case VIRTIO_COMMON_Q_ENABLE:
		*v = vq && vq->enabled;
		return true;
	case VIRTIO_COMMON_Q_NOFF:
	case VIRTIO_COMMON_Q_NDATA:
		*v = dev->queue_select;
		return true;
	case VIRTIO_COMMON_Q_RESET:
		/* 1 while a reset is ongoing: a transmission still in flight. */
		*v = vq && vq->reset_done && vq->busy;
		return true;
	}
	*w = 4;
	if (f >= VIRTIO_COMMON_Q_DESCLO && f <= VIRTIO_COMMON_Q_USEDHI) {
		uint64_t a = 0;

		if (vq)
			a = f < VIRTIO_COMMON_Q_AVAILLO	 ? vq->desc
			    : f < VIRTIO_COMMON_Q_USEDLO ? vq->avail
							 : vq->used;
		*v = (f & 4) ? (uint32_t)(a >> 32) : (uint32_t)a;
		return true;
	}
	return false;
}

static uint32_t vnet_common_read_locked(struct vnet *dev, uint32_t off, unsigned size)
{
	uint32_t out = 0;

	for (unsigned i = 0; i < size; i++) {
		uint32_t at = off + i, v;
		unsigned w;

		for (uint32_t back = 0; back < 4 && back <= at; back++) {
			uint32_t f = at - back;

			if (vnet_common_field(dev, f, &v, &w) && at < f + w) {
				out |= ((v >> (8 * (at - f))) & 0xFF) << (8 * i);
				break;
			}
		}
	}
	return out;
}

static void vnet_set_addr(uint64_t *a, bool hi, uint32_t v)
{
	if (hi)
		*a = (*a & 0xFFFFFFFFULL) | (uint64_t)v << 32;
	else
		*a = (*a & ~0xFFFFFFFFULL) | v;
}

/* Return: false if (@off, @size) is not a writable field at its width. */
static bool vnet_common_write_locked(struct vnet *dev, uint32_t off, unsigned size, uint32_t v)
{
	struct vnet_vq *vq = vnet_selected(dev);
	uint32_t cur;
	unsigned w;

	if (!vnet_common_field(dev, off, &cur, &w) || w != size)
		return false;
	switch (off) {
	case VIRTIO_COMMON_DFSELECT:
		dev->dfselect = v;
		return true;
	case VIRTIO_COMMON_GFSELECT:
		dev->gfselect = v;
		return true;
	case VIRTIO_COMMON_GF:
		dev->legacy = false;
		/* Features are fixed once FEATURES_OK is set; selects > 1 hold nothing. */
		if (dev->gfselect < 2 && !(dev->status & VIRTIO_STATUS_FEATURES_OK)) {
			unsigned sh = 32 * dev->gfselect;

			dev->driver_features =
			    (dev->driver_features & ~(0xFFFFFFFFULL << sh)) | (uint64_t)v << sh;
		}
		return true;
	case VIRTIO_COMMON_MSIX:
		dev->config_vector = vnet_vector_filter(dev, (uint16_t)v);
		return true;
	case VIRTIO_COMMON_STATUS:
		dev->legacy = false;
		vnet_status_write_locked(dev, (uint8_t)v);
		return true;
	case VIRTIO_COMMON_Q_SELECT:
		dev->queue_select = (uint16_t)v;
		return true;
	}
	if (!vq)
		return false;
	switch (off) {
	case VIRTIO_COMMON_Q_SIZE:
		/* A power of two no larger than the maximum, before the queue is enabled. */
		if (vq->enabled || v == 0 || (v & (v - 1)) || v > dev->cfg.queue_size)
			return false;
		vq->size = (uint16_t)v;
		return true;
	case VIRTIO_COMMON_Q_MSIX:
		vq->vector = vnet_vector_filter(dev, (uint16_t)v);
		return true;
	case VIRTIO_COMMON_Q_ENABLE:
		if (v != 1) /* "The driver MUST NOT write a 0 to queue_enable." */
			return false;
		vq->enabled = true;
		vq->reset_done = false;
		vq->last_avail = vq->used_idx = 0;
		return true;
	case VIRTIO_COMMON_Q_RESET:
		if (v != 1 || !vnet_has(dev, VIRTIO_F_RING_RESET))
			return false;
		vnet_queue_reset_locked(dev, dev->queue_select);
		dev->st.queue_resets++;
		return true;
	}
	if (off >= VIRTIO_COMMON_Q_DESCLO && off <= VIRTIO_COMMON_Q_USEDHI) {
		uint64_t *a = off < VIRTIO_COMMON_Q_AVAILLO  ? &vq->desc
			      : off < VIRTIO_COMMON_Q_USEDLO ? &vq->avail
							     : &vq->used;

		if (vq->enabled)
			return false;
		vnet_set_addr(a, off & 4, v);
		return true;
	}
	return false; /* read-only: DF, NUMQ, CFGGENERATION, Q_NOFF, Q_NDATA */
}

/* ---------------------------------------------------------------- BAR1 */

static uint32_t vnet_bar1_read_locked(struct vnet *dev, uint32_t off, unsigned size)
{
	if (off < VIRTIO_COMMON_LEN)
		return vnet_common_read_locked(dev, off, size);
	if (off >= VNET_BAR1_ISR && off < VNET_BAR1_ISR + 4)
		return off == VNET_BAR1_ISR ? vnet_isr_read_locked(dev) : 0;
	if (off >= VNET_BAR1_DEVICE && off < VNET_BAR1_DEVICE + VIRTIO_NET_CFG_LEN)
		return vnet_device_cfg_read_locked(dev, off - VNET_BAR1_DEVICE, size);
	if (off >= VNET_BAR1_MSIX_TABLE && off < VNET_BAR1_LEN) {
		uint32_t v = vnet_msix_read_locked(dev, off & ~3u);

		return v >> (8 * (off & 3));
	}
	return 0;
}

/* Return: the queue a notification names, or NO_KICK. */
static int vnet_bar1_write_locked(struct vnet *dev, uint32_t off, unsigned size, uint32_t v)
{
	if (off < VIRTIO_COMMON_LEN) {
		if (!vnet_common_write_locked(dev, off, size, v))
			dev->st.bad_accesses++;
		return NO_KICK;
	}
	if (off >= VNET_BAR1_NOTIFY && off < VNET_BAR1_NOTIFY + VNET_NOTIFY_MULTIPLIER * dev->nq) {
		/* A 16-bit write of the queue index (no NOTIFICATION_DATA). */
		if (size != 2 || v >= dev->nq) {
			dev->st.bad_accesses++;
			return NO_KICK;
		}
		return (int)v;
	}
	if (off >= VNET_BAR1_MSIX_TABLE && off < VNET_BAR1_LEN) {
		dev->st.msix_table_writes++;
		return NO_KICK;
	}
	dev->st.bad_accesses++;
	return NO_KICK;
}

/* ---------------------------------------------------------------- BAR0 */

static uint32_t vnet_legacy_field(struct vnet *dev, uint32_t f, unsigned *w)
{
	struct vnet_vq *vq = vnet_selected(dev);

	*w = 4;
	switch (f) {
	case VIRTIO_LEGACY_HOST_FEATURES:
		return (uint32_t)dev->offered;
	case VIRTIO_LEGACY_GUEST_FEATURES:
		return (uint32_t)dev->driver_features;
	case VIRTIO_LEGACY_QUEUE_PFN:
		return vq ? vq->pfn : 0;
	}
	*w = 2;
	switch (f) {
	case VIRTIO_LEGACY_QUEUE_NUM:
		return vq ? vq->size : 0;
	case VIRTIO_LEGACY_QUEUE_SEL:
		return dev->queue_select;
	case VIRTIO_LEGACY_QUEUE_NOTIFY:
		return 0;
	}
	*w = 1;
	if (f == VIRTIO_LEGACY_STATUS)
		return dev->status;
	*w = 0;
	return 0;
}

static uint32_t vnet_bar0_read_locked(struct vnet *dev, uint32_t off, unsigned size)
{
	uint32_t cfg = VIRTIO_LEGACY_CONFIG_OFF(vnet_msix_on(dev)), out = 0;

	if (off >= cfg)
		return vnet_device_cfg_read_locked(dev, off - cfg, size);
	for (unsigned i = 0; i < size; i++) {
		uint32_t at = off + i, v = 0;
		unsigned w = 0;

		if (at == VIRTIO_LEGACY_ISR) {
			v = vnet_isr_read_locked(dev);
		} else if (at >= VIRTIO_LEGACY_CONFIG_VECTOR && at < cfg) {
			struct vnet_vq *vq = vnet_selected(dev);
			uint16_t vec = at < VIRTIO_LEGACY_QUEUE_VECTOR
					   ? dev->config_vector
					   : (vq ? vq->vector : VIRTIO_MSI_NO_VECTOR);

			v = (uint32_t)vec >> (8 * (at & 1));
		} else {
			for (uint32_t back = 0; back < 4 && back <= at; back++) {
				uint32_t f = at - back, fv = vnet_legacy_field(dev, f, &w);

				if (w && at < f + w) {
					v = fv >> (8 * (at - f));
					break;
				}
			}
		}
		out |= (v & 0xFF) << (8 * i);
	}
	return out;
}

static int vnet_bar0_write_locked(struct vnet *dev, uint32_t off, unsigned size, uint32_t v)
{
	struct vnet_vq *vq = vnet_selected(dev);
	bool msix = vnet_msix_on(dev);

	if (off == VIRTIO_LEGACY_GUEST_FEATURES && size == 4) {
		/* No FEATURES_OK in the legacy interface: features apply at once,
		 * bits 0..31 only, limited to what was offered. */
		dev->legacy = true;
		dev->driver_features = v;
		dev->features = v & dev->offered & 0xFFFFFFFFULL;
		return NO_KICK;
	}
	if (off == VIRTIO_LEGACY_QUEUE_PFN && size == 4) {
		dev->legacy = true;
		if (!vq)
			goto bad;
		if (v == 0) {
			vnet_queue_reset_locked(dev, dev->queue_select);
			return NO_KICK;
		}
		vq->pfn = v;
		vq->size = (uint16_t)dev->cfg.queue_size;
		vnet_vq_set_legacy_layout(vq);
		vq->enabled = true;
		vq->last_avail = vq->used_idx = 0;
		return NO_KICK;
	}
	if (off == VIRTIO_LEGACY_QUEUE_SEL && size == 2) {
		dev->queue_select = (uint16_t)v;
		return NO_KICK;
	}
	if (off == VIRTIO_LEGACY_QUEUE_NOTIFY && size == 2) {
		if (v >= dev->nq)
			goto bad;
		return (int)v;
	}
	if (off == VIRTIO_LEGACY_STATUS && size == 1) {
		dev->legacy = true;
		vnet_status_write_locked(dev, (uint8_t)v);
		return NO_KICK;
	}
	if (msix && off == VIRTIO_LEGACY_CONFIG_VECTOR && size == 2) {
		dev->config_vector = vnet_vector_filter(dev, (uint16_t)v);
		return NO_KICK;
	}
	if (msix && off == VIRTIO_LEGACY_QUEUE_VECTOR && size == 2) {
		if (!vq)
			goto bad;
		vq->vector = vnet_vector_filter(dev, (uint16_t)v);
		return NO_KICK;
	}
bad:
	dev->st.bad_accesses++;
	return NO_KICK;
}

/* ----------------------------------------------------------- entry points */

static uint32_t vnet_read(struct vnet *dev, bool io, uint32_t off, unsigned size)
{
	uint32_t mask = size == 4 ? ~0u : (1u << (8 * size)) - 1, v;
	uint32_t len = io ? VNET_BAR0_LEN : VNET_BAR1_LEN;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	old = vnet_lock(dev);
	if (dev->removed)
		v = ~0u;
	else if ((io && dev->cfg.modern_only) || off >= len || size > len - off) {
		dev->st.bad_accesses++;
		v = 0;
	} else {
		v = io ? vnet_bar0_read_locked(dev, off, size)
		       : vnet_bar1_read_locked(dev, off, size);
	}
	vnet_unlock(dev, old);
	return v & mask;
}

static void vnet_write(struct vnet *dev, bool io, uint32_t off, unsigned size, uint32_t v)
{
	uint32_t mask = size == 4 ? ~0u : (1u << (8 * size)) - 1;
	uint32_t len = io ? VNET_BAR0_LEN : VNET_BAR1_LEN;
	int kick = NO_KICK;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	old = vnet_lock(dev);
	if (dev->removed) {
		/* writes vanish */
	} else if ((io && dev->cfg.modern_only) || off >= len || size > len - off) {
		dev->st.bad_accesses++;
	} else {
		kick = io ? vnet_bar0_write_locked(dev, off, size, v & mask)
			  : vnet_bar1_write_locked(dev, off, size, v & mask);
		if (kick != NO_KICK)
			dev->st.driver_notifies[kick]++;
	}
	vnet_unlock(dev, old);
	if (kick != NO_KICK)
		vnet_queue_kick(dev, (unsigned)kick);
}

uint8_t vnet_mmio_read8(struct vnet *dev, uint32_t off)
{
	return (uint8_t)vnet_read(dev, false, off, 1);
}

uint16_t vnet_mmio_read16(struct vnet *dev, uint32_t off)
{
	return (uint16_t)vnet_read(dev, false, off, 2);
}

uint32_t vnet_mmio_read32(struct vnet *dev, uint32_t off)
{
	return vnet_read(dev, false, off, 4);
}

void vnet_mmio_write8(struct vnet *dev, uint32_t off, uint8_t val)
{
	vnet_write(dev, false, off, 1, val);
}

void vnet_mmio_write16(struct vnet *dev, uint32_t off, uint16_t val)
{
	vnet_write(dev, false, off, 2, val);
}

void vnet_mmio_write32(struct vnet *dev, uint32_t off, uint32_t val)
{
	vnet_write(dev, false, off, 4, val);
}

uint8_t vnet_pio_read8(struct vnet *dev, uint32_t port)
{
	return (uint8_t)vnet_read(dev, true, port, 1);
}

uint16_t vnet_pio_read16(struct vnet *dev, uint32_t port)
{
	return (uint16_t)vnet_read(dev, true, port, 2);
}

uint32_t vnet_pio_read32(struct vnet *dev, uint32_t port)
{
	return vnet_read(dev, true, port, 4);
}

void vnet_pio_write8(struct vnet *dev, uint32_t port, uint8_t val)
{
	vnet_write(dev, true, port, 1, val);
}

void vnet_pio_write16(struct vnet *dev, uint32_t port, uint16_t val)
{
	vnet_write(dev, true, port, 2, val);
}

void vnet_pio_write32(struct vnet *dev, uint32_t port, uint32_t val)
{
	vnet_write(dev, true, port, 4, val);
}
