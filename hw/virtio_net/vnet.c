/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/vnet.c - life cycle, device and queue reset, host controls
 * and statistics.
 */
#define NDISRT_HW_VNET_INTERNAL
#include "hw/virtio_net/vnet_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int vnet_wire_rx(void *ctx, const void *frame, size_t len)
{
	return vnet_receive(ctx, frame, len);
}

static bool vnet_config_valid(const struct vnet_config *c)
{
	if (!c->machine || !c->dma || c->irq_kind > VNET_IRQ_MSIX)
		return false;
	if (c->irq_kind == VNET_IRQ_MSIX && (c->nr_msgs < 1 || c->nr_msgs > VNET_NR_VECTORS))
		return false;
	if (c->max_pairs > VNET_MAX_PAIRS)
		return false;
	if (c->queue_size && (c->queue_size < 2 || c->queue_size > VNET_QUEUE_SIZE_MAX ||
			      (c->queue_size & (c->queue_size - 1))))
		return false;
	return !(c->features & ~VNET_FEATURES_SUPPORTED);
}

struct vnet *vnet_create(const struct vnet_config *cfg)
{
	struct vnet *dev;

	if (!cfg || !vnet_config_valid(cfg)) {
		errno = EINVAL;
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	ke_spin_init(&dev->lock);
	dev->cfg = *cfg;
	if (!dev->cfg.max_pairs)
		dev->cfg.max_pairs = VNET_MAX_PAIRS;
	if (!dev->cfg.queue_size)
		dev->cfg.queue_size = VNET_QUEUE_SIZE_MAX;
	dev->offered = cfg->features ? cfg->features : VNET_FEATURES_SUPPORTED;
	/* A device offers no feature whose prerequisite it does not offer. */
	if (!(dev->offered & VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ)))
		dev->offered &= ~(VIRTIO_BIT(VIRTIO_NET_F_MQ) | VIRTIO_BIT(VIRTIO_NET_F_RSS) |
				  VIRTIO_BIT(VIRTIO_NET_F_HASH_REPORT));
	if (!(dev->offered & (VIRTIO_BIT(VIRTIO_NET_F_MQ) | VIRTIO_BIT(VIRTIO_NET_F_RSS))))
		dev->cfg.max_pairs = 1;
	if (cfg->modern_only)
		dev->offered |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
	dev->nq =
	    2 * dev->cfg.max_pairs + ((dev->offered & VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ)) ? 1 : 0);
	dev->sink = cfg->sink;
	dev->link_up = !cfg->link_down;
	dev->pci_command =
	    VNET_PCI_CMD_MEM | VNET_PCI_CMD_MASTER | (cfg->modern_only ? 0 : VNET_PCI_CMD_IO);
	for (unsigned v = 0; v < VNET_NR_VECTORS; v++)
		dev->msix[v].masked = true;
	vnet_rx_wb_init(dev);
	vnet_reset_locked(dev); /* not shared yet */
	vnet_device_init(dev);
	return dev;
}

void vnet_free(struct vnet *dev)
{
	if (!dev)
		return;
	if (dev->wire)
		wire_attach(dev->wire, dev->wire_end, NULL, NULL);
	hw_wbq_stop(&dev->wbq);
	if (dev->sink.ops && dev->line_out)
		dev->sink.ops->line_set(dev->sink.ctx, false);
	free(dev);
}

/*
 * Queue reset (virtio: Virtqueue Reset): the queue forgets its size, vector,
 * addresses and ring positions and is disabled. A transmission in flight
 * finishes on the wire but is not written back (its runner sees gen change).
 */
void vnet_queue_reset_locked(struct vnet *dev, unsigned q)
{
	struct vnet_vq *vq = &dev->vq[q];
	bool busy = vq->busy;
	uint32_t gen = vq->gen + 1;

	memset(vq, 0, sizeof(*vq));
	vq->size = q < dev->nq ? (uint16_t)dev->cfg.queue_size : 0;
	vq->vector = VIRTIO_MSI_NO_VECTOR;
	vq->busy = busy;
	vq->gen = gen;
	vq->reset_done = true;
}

/*
 * Device reset (status written 0, and power-on): everything the driver set
 * goes; what belongs to the PCI function or the host stays (MSI-X table and
 * capability, PCI Command, link, MAC, faults, statistics). Vectors read
 * NO_VECTOR afterwards (virtio: MSI-X Vector Configuration).
 */
void vnet_reset_locked(struct vnet *dev)
{
	dev->status = 0;
	dev->driver_features = dev->features = 0;
	dev->dfselect = dev->gfselect = 0;
	dev->config_vector = VIRTIO_MSI_NO_VECTOR;
	dev->queue_select = 0;
	dev->legacy = false;
	dev->isr = 0;
	dev->pairs = 1;
	dev->rss_on = false;
	dev->hash_types = 0;
	dev->rss_mask = 0;
	dev->rss_unclassified = 0;
	memset(dev->hash_key, 0, sizeof(dev->hash_key));
	memset(dev->rss_table, 0, sizeof(dev->rss_table));
	memset(dev->flow_pair, 0, sizeof(dev->flow_pair));
	for (unsigned q = 0; q < VNET_MAX_QUEUES; q++) {
		vnet_queue_reset_locked(dev, q);
		dev->vq[q].reset_done = false;
	}
	hw_wbq_drop_locked(&dev->wbq); /* the rings they point into are gone */
	dev->reset_gen++;
	vnet_irq_update_locked(dev);
}

/*
 * A malformed ring or a DMA fault: the device stops using the queues until
 * reset and says so (virtio: Device Status Field, DEVICE_NEEDS_RESET: "If
 * DRIVER_OK is set, after it sets DEVICE_NEEDS_RESET, the device MUST send a
 * device configuration change notification").
 */
void vnet_device_error_locked(struct vnet *dev)
{
	if (dev->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return;
	dev->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	dev->st.device_errors++;
	if (dev->status & VIRTIO_STATUS_DRIVER_OK)
		vnet_notify_config_locked(dev);
}

/*
 * receiveqN/transmitqN are 2(N-1), 2(N-1)+1; controlq is 2N, N = max pairs
 * with MQ or RSS negotiated, else 1.
 */
unsigned vnet_ctrl_queue(const struct vnet *dev)
{
	if (!(dev->offered & VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ)))
		return VNET_MAX_QUEUES;
	return vnet_has(dev, VIRTIO_NET_F_MQ) || vnet_has(dev, VIRTIO_NET_F_RSS)
		   ? 2 * dev->cfg.max_pairs
		   : 2;
}

void vnet_resources(const struct vnet *dev, struct vnet_resources *out)
{
	memset(out, 0, sizeof(*out));
	if (!dev->cfg.modern_only) {
		out->bar0_port = dev->cfg.bar0_port;
		out->bar0_len = VNET_BAR0_LEN;
	}
	out->bar1_addr = dev->cfg.bar1_addr;
	out->bar1_len = VNET_BAR1_LEN;
	out->irq_kind = dev->cfg.irq_kind;
	out->line_vector = dev->cfg.intx_vector;
	if (dev->cfg.irq_kind == VNET_IRQ_MSI)
		out->nr_msgs = 1;
	else if (dev->cfg.irq_kind == VNET_IRQ_MSIX)
		out->nr_msgs = dev->cfg.nr_msgs;
}

void vnet_set_sink(struct vnet *dev, struct hw_irq_sink sink)
{
	ke_irql_t old = vnet_lock(dev);

	dev->sink = sink;
	dev->line_out = false;
	vnet_irq_update_locked(dev);
	vnet_unlock(dev, old);
}

void vnet_wire_attach(struct vnet *dev, struct wire *w, unsigned end)
{
	if (dev->wire)
		wire_attach(dev->wire, dev->wire_end, NULL, NULL);
	dev->wire = w;
	dev->wire_end = end & 1;
	if (w)
		wire_attach(w, dev->wire_end, vnet_wire_rx, dev);
}

/* The link is the STATUS field of the device configuration: a change is a configuration change. */
void vnet_host_set_link(struct vnet *dev, bool up)
{
	ke_irql_t old = vnet_lock(dev);

	dev->st.inj_link_changes++;
	if (dev->link_up != up && !dev->removed) {
		dev->link_up = up;
		if (dev->offered & VIRTIO_BIT(VIRTIO_NET_F_STATUS)) {
			dev->config_dirty = true;
			if (dev->status & VIRTIO_STATUS_DRIVER_OK)
				vnet_notify_config_locked(dev);
		}
	} else {
		dev->link_up = up;
	}
	vnet_unlock(dev, old);
}

void vnet_host_surprise_remove(struct vnet *dev)
{
	ke_irql_t old = vnet_lock(dev);

	if (!dev->removed)
		dev->st.inj_surprise_removal++;
	dev->removed = true;
	hw_wbq_drop_locked(&dev->wbq); /* a removed device writes nothing more */
	vnet_irq_update_locked(dev);
	vnet_unlock(dev, old);
}

void vnet_host_dma_fault_next(struct vnet *dev)
{
	ke_irql_t old = vnet_lock(dev);

	dev->dma_fault_next++;
	dev->st.inj_dma_fault++;
	vnet_unlock(dev, old);
}

void vnet_reset(struct vnet *dev)
{
	ke_irql_t old = vnet_lock(dev);

	vnet_reset_locked(dev);
	vnet_unlock(dev, old);
}

void vnet_get_stats(struct vnet *dev, struct vnet_stats *out)
{
	ke_irql_t old = vnet_lock(dev);

	*out = dev->st;
	out->wb_delayed = dev->wbq.delayed;
	vnet_unlock(dev, old);
}

uint8_t vnet_device_status(struct vnet *dev)
{
	ke_irql_t old = vnet_lock(dev);
	uint8_t v = dev->status;

	vnet_unlock(dev, old);
	return v;
}

uint64_t vnet_driver_features(struct vnet *dev)
{
	ke_irql_t old = vnet_lock(dev);
	uint64_t v = dev->features;

	vnet_unlock(dev, old);
	return v;
}

unsigned vnet_active_pairs(struct vnet *dev)
{
	ke_irql_t old = vnet_lock(dev);
	unsigned v = dev->pairs;

	vnet_unlock(dev, old);
	return v;
}
