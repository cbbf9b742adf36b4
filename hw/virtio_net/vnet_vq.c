/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/vnet_vq.c - the device side of a split virtqueue
 * (virtio: Split Virtqueues).
 *
 * Every access to the three areas goes through the DMA space, so a driver
 * that hands the device a bad address gets a device error (NEEDS_RESET), not
 * a wild access. All functions run under the device lock.
 */
#define NDISRT_HW_VNET_INTERNAL
#include "hw/virtio_net/vnet_internal.h"

#include <stdatomic.h>

static int rd16(struct vnet *dev, uint64_t a, uint16_t *v)
{
	uint8_t b[2];

	if (hw_dma_read(dev->cfg.dma, a, b, 2))
		return -1;
	*v = (uint16_t)(b[0] | b[1] << 8);
	return 0;
}

static int wr16(struct vnet *dev, uint64_t a, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

	return hw_dma_write(dev->cfg.dma, a, b, 2);
}

/*
 * Legacy interface: one block at PFN * 4096 holding the descriptor table,
 * the available ring, padding to the next 4096 boundary and the used ring
 * (virtio: Legacy Interfaces: A Note on Virtqueue Layout).
 */
void vnet_vq_set_legacy_layout(struct vnet_vq *vq)
{
	uint64_t base = (uint64_t)vq->pfn * VIRTIO_LEGACY_QUEUE_ALIGN;
	uint64_t avail_end;

	vq->desc = base;
	vq->avail = base + 16ULL * vq->size;
	avail_end = vq->avail + 6 + 2ULL * vq->size;
	vq->used = (avail_end + VIRTIO_LEGACY_QUEUE_ALIGN - 1) &
		   ~(uint64_t)(VIRTIO_LEGACY_QUEUE_ALIGN - 1);
}

uint16_t vnet_vq_avail_idx_locked(struct vnet *dev, unsigned q, bool *ok)
{
	uint16_t idx = 0;

	*ok = rd16(dev, dev->vq[q].avail + 2, &idx) == 0;
	atomic_thread_fence(memory_order_acquire);
	return idx;
}

/*
 * Take the next available head. Return: 1 and *@head, 0 when the ring is
 * empty, -1 when the driver's idx is more than a ring ahead or a read
 * faulted (virtio: The Virtqueue Available Ring).
 */
int vnet_vq_pop_locked(struct vnet *dev, unsigned q, uint16_t *head)
{
	struct vnet_vq *vq = &dev->vq[q];
	bool ok;
	uint16_t idx = vnet_vq_avail_idx_locked(dev, q, &ok);

	if (!ok)
		return -1;
	if (idx == vq->last_avail)
		return 0;
	if ((uint16_t)(idx - vq->last_avail) > vq->size)
		return -1;
	if (rd16(dev, vq->avail + 4 + 2ULL * (vq->last_avail & (vq->size - 1)), head))
		return -1;
	if (*head >= vq->size)
		return -1;
	vq->last_avail++;
	return 1;
}

static int vnet_desc_read(struct vnet *dev, uint64_t at, struct vnet_seg *s, uint16_t *flags,
			  uint16_t *next)
{
	uint8_t d[16];
	uint64_t addr = 0;

	if (dev->dma_fault_next) {
		dev->dma_fault_next--;
		dev->st.dma_faults_injected++;
		return -1;
	}
	if (hw_dma_read(dev->cfg.dma, at, d, sizeof(d)))
		return -1;
	for (int i = 7; i >= 0; i--)
		addr = addr << 8 | d[i];
	s->addr = addr;
	s->len =
	    (uint32_t)d[8] | (uint32_t)d[9] << 8 | (uint32_t)d[10] << 16 | (uint32_t)d[11] << 24;
	*flags = (uint16_t)(d[12] | d[13] << 8);
	*next = (uint16_t)(d[14] | d[15] << 8);
	s->write = *flags & VIRTQ_DESC_F_WRITE;
	return 0;
}

/*
 * Follow a chain (virtio: The Virtqueue Descriptor Table; Indirect
 * Descriptors). A chain is malformed, and the walk returns -1, when:
 *  - a next index or the chain length leaves the table (a loop);
 *  - an indirect descriptor is used without VIRTIO_F_INDIRECT_DESC, also has
 *    NEXT, has a length that is not a non-zero multiple of 16, or appears
 *    inside an indirect table;
 *  - a device-readable segment follows a device-writable one;
 *  - a read faults.
 * The WRITE flag of the descriptor that refers to an indirect table is
 * ignored, as the specification requires.
 */
int vnet_vq_walk_locked(struct vnet *dev, unsigned q, uint16_t head)
{
	struct vnet_vq *vq = &dev->vq[q];
	uint64_t table = vq->desc;
	uint32_t limit = vq->size, count = 0, i = head;
	bool indirect = false, seen_write = false;
	int n = 0;

	for (;;) {
		struct vnet_seg s;
		uint16_t flags, next;

		if (i >= limit || count++ >= limit)
			return -1;
		if (vnet_desc_read(dev, table + 16ULL * i, &s, &flags, &next))
			return -1;
		if (flags & VIRTQ_DESC_F_INDIRECT) {
			if (indirect || !vnet_has(dev, VIRTIO_F_INDIRECT_DESC) ||
			    (flags & VIRTQ_DESC_F_NEXT) || s.len == 0 || (s.len & 15) ||
			    s.len / 16 > VNET_QUEUE_SIZE_MAX)
				return -1;
			indirect = true;
			table = s.addr;
			limit = s.len / 16;
			count = 0;
			i = 0;
			continue;
		}
		if (s.len) {
			if (!s.write && seen_write)
				return -1;
			seen_write |= s.write;
			if (n >= (int)VNET_QUEUE_SIZE_MAX)
				return -1;
			dev->segs[n++] = s;
		}
		if (!(flags & VIRTQ_DESC_F_NEXT))
			return n;
		i = next;
	}
}

/* Put @head with @len written bytes in the used ring (not yet visible). */
int vnet_vq_push_locked(struct vnet *dev, unsigned q, uint16_t head, uint32_t len)
{
	struct vnet_vq *vq = &dev->vq[q];
	uint8_t e[8];
	uint32_t id = head;

	for (int k = 0; k < 4; k++) {
		e[k] = (uint8_t)(id >> (8 * k));
		e[4 + k] = (uint8_t)(len >> (8 * k));
	}
	if (hw_dma_write(dev->cfg.dma, vq->used + 4 + 8ULL * (vq->used_idx & (vq->size - 1)), e,
			 sizeof(e)))
		return -1;
	vq->used_idx++;
	return 0;
}

/* vring_need_event: did the used idx pass @event moving from @old to @new? */
static bool vnet_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/*
 * Make the entries pushed since @old_used visible (len before idx: the
 * release fence), tell the driver where we are in the available ring
 * (avail_event, with VIRTIO_F_EVENT_IDX), then decide on a used buffer
 * notification (virtio: Used Buffer Notification Suppression):
 *  - without EVENT_IDX: send unless the driver set VIRTQ_AVAIL_F_NO_INTERRUPT;
 *  - with EVENT_IDX: send only if the used idx moved past used_event.
 */
void vnet_vq_publish_locked(struct vnet *dev, unsigned q, uint16_t old_used)
{
	vnet_vq_publish_idx_locked(dev, q, dev->vq[q].used_idx, old_used);
}

void vnet_vq_publish_idx_locked(struct vnet *dev, unsigned q, uint16_t new_idx, uint16_t old_used)
{
	struct vnet_vq *vq = &dev->vq[q];
	uint16_t v = 0;
	bool need;

	if (new_idx == old_used)
		return;
	atomic_thread_fence(memory_order_release);
	if (wr16(dev, vq->used + 2, new_idx)) {
		vnet_device_error_locked(dev);
		return;
	}
	if (vnet_has(dev, VIRTIO_F_EVENT_IDX))
		(void)wr16(dev, vq->used + 4 + 8ULL * vq->size, vq->last_avail);
	/* The driver's suppression state is read after idx is published. */
	atomic_thread_fence(memory_order_seq_cst);
	if (vnet_has(dev, VIRTIO_F_EVENT_IDX)) {
		if (rd16(dev, vq->avail + 4 + 2ULL * vq->size, &v))
			need = true;
		else
			need = vnet_need_event(v, new_idx, old_used);
	} else {
		need = rd16(dev, vq->avail, &v) || !(v & VIRTQ_AVAIL_F_NO_INTERRUPT);
	}
	if (need)
		vnet_notify_queue_locked(dev, q);
	else
		dev->st.used_suppressed[q]++;
}
