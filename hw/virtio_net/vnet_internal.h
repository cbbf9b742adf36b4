/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/vnet_internal.h - the virtio-net model's state, shared by
 * the files of hw/virtio_net only.
 *
 * Lock order: the device lock is a leaf. Under it the model calls only the
 * irq sink (async-signal-safe by its contract) and the DMA space (lock-free).
 * Frames leave the device after the lock is dropped, so two devices sending
 * to each other never hold both locks.
 */
#ifndef NDISRT_HW_VNET_INTERNAL_H
#define NDISRT_HW_VNET_INTERNAL_H

#ifndef NDISRT_HW_VNET_INTERNAL
#error "vnet_internal.h is private to hw/virtio_net; include hw/virtio_net/virtio_net.h"
#endif

#include "hw/virtio_net/virtio_net.h"
#include "hw/device.h"
#include "hw/dma.h"
#include "hw/wbq.h"
#include "hw/wire.h"

#define VNET_FLOWS 64u /* automatic receive steering table (direct-mapped) */

/* Lock key: (L) device lock at HIGH_LEVEL  (c) constant after create
 * (r) owned by the queue's single active runner (busy) */

struct vnet_vq {
	uint16_t size;		    /* (L) queue_size (driver may lower it) */
	uint16_t vector;	    /* (L) queue_msix_vector */
	bool enabled;		    /* (L) queue_enable, or a legacy PFN set */
	bool reset_done;	    /* (L) queue_reset reads 1 after a queue reset */
	uint32_t pfn;		    /* (L) legacy Queue Address */
	uint64_t desc, avail, used; /* (L) bus addresses of the three areas */
	uint16_t last_avail;	    /* (L) next available ring entry the device takes */
	uint16_t used_idx;	    /* (L) the used idx the device last published */
	uint32_t gen;		    /* (L) bumped by every reset of the queue */
	bool busy;		    /* (L) a runner owns the queue's transmissions */
};

struct vnet_msix_entry {
	uint64_t addr; /* (L) */
	uint32_t data; /* (L) */
	bool masked;   /* (L) */
};

/* One segment of a descriptor chain, as the walker found it. */
struct vnet_seg {
	uint64_t addr;
	uint32_t len;
	bool write;
};

struct vnet {
	struct hw_device base;	/* (c) the device seam (vnet_dev.c) */
	struct vnet_config cfg; /* (c) */
	uint64_t offered;	/* (c) features offered */
	unsigned nq;		/* (c) num_queues: 2 * max_pairs + 1 */
	struct ke_spinlock lock;

	/* virtio common state (L) */
	uint8_t status;
	uint64_t driver_features; /* what the driver wrote */
	uint64_t features;	  /* negotiated: valid after FEATURES_OK (legacy: at once) */
	uint32_t dfselect, gfselect;
	uint16_t config_vector;
	uint16_t queue_select;
	uint8_t config_generation;
	bool config_dirty; /* changed since the driver last read it */
	bool legacy;	   /* the driver uses the legacy interface */
	uint8_t isr;
	unsigned pairs;			    /* active queue pairs (MQ) */
	bool rss_on;			    /* RSS steering: the last MQ command was RSS_CONFIG */
	uint32_t hash_types;		    /* enabled VIRTIO_NET_HASH_TYPE_* */
	uint8_t hash_key[VNET_RSS_KEY_MAX]; /* zero-padded */
	uint16_t rss_mask;		    /* indirection_table_mask */
	uint8_t rss_unclassified;	    /* receive queue index (virtqueue 2 x this) */
	uint8_t rss_table[VNET_RSS_TABLE_MAX]; /* receive queue indices */
	struct vnet_vq vq[VNET_MAX_QUEUES];
	uint8_t flow_pair[VNET_FLOWS]; /* pair + 1 of the flow's last transmit; 0 none */
	uint32_t reset_gen;

	/* link and PCI (L) */
	bool link_up;
	bool removed;
	bool stuck;
	bool line_out;
	uint16_t pci_command;
	uint16_t msix_ctrl;
	struct vnet_msix_entry msix[VNET_NR_VECTORS];
	uint32_t pba;
	unsigned drop_next[VNET_NR_VECTORS];
	unsigned dma_fault_next; /* descriptor fetches to fail */
	struct hw_wbq wbq;	 /* delayed receive used-idx write-backs (hw/wbq.h) */
	struct {
		uint8_t bar;
		uint32_t offset, length;
		uint8_t data[4];
	} pcicfg;
	struct hw_irq_sink sink;

	struct wire *wire; /* host thread only */
	unsigned wire_end;

	struct vnet_seg segs[VNET_QUEUE_SIZE_MAX]; /* (L) chain walker scratch */
	uint8_t ctrl_buf[512];			   /* (L) a control command */
	uint16_t rx_heads[VNET_QUEUE_SIZE_MAX];	   /* (L) MRG_RXBUF scratch */
	uint32_t rx_lens[VNET_QUEUE_SIZE_MAX];	   /* (L) */
	uint8_t tx_stage[VNET_MAX_PAIRS][VNET_MAX_FRAME + VIRTIO_NET_HDR_LEN_HASH]; /* (r) */
	struct vnet_stats st;							    /* (L) */
};

static inline ke_irql_t vnet_lock(struct vnet *dev)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&dev->lock);
	return old;
}

static inline void vnet_unlock(struct vnet *dev, ke_irql_t old)
{
	ke_spin_release_raw(&dev->lock);
	ke_irql_lower(old);
}

static inline bool vnet_has(const struct vnet *dev, unsigned bit)
{
	return (dev->features >> bit) & 1;
}

static inline bool vnet_msix_on(const struct vnet *dev)
{
	return dev->msix_ctrl & VNET_MSIX_CTRL_ENABLE;
}

/* vnet_dev.c */
void vnet_device_init(struct vnet *dev);

/* vnet.c */
void vnet_reset_locked(struct vnet *dev);
void vnet_queue_reset_locked(struct vnet *dev, unsigned q);
void vnet_device_error_locked(struct vnet *dev);
unsigned vnet_ctrl_queue(const struct vnet *dev);

/* vnet_irq.c */
void vnet_irq_update_locked(struct vnet *dev);
void vnet_notify_queue_locked(struct vnet *dev, unsigned q);
void vnet_notify_config_locked(struct vnet *dev);
uint8_t vnet_isr_read_locked(struct vnet *dev);
uint32_t vnet_msix_read_locked(struct vnet *dev, uint32_t off);
uint16_t vnet_vector_filter(const struct vnet *dev, uint16_t v);

/* vnet_vq.c: the split virtqueue engine */
uint16_t vnet_vq_avail_idx_locked(struct vnet *dev, unsigned q, bool *ok);
/* Walk the chain at @head; fills dev->segs. Return: segment count, -1 on a malformed chain. */
int vnet_vq_walk_locked(struct vnet *dev, unsigned q, uint16_t head);
int vnet_vq_pop_locked(struct vnet *dev, unsigned q, uint16_t *head);
int vnet_vq_push_locked(struct vnet *dev, unsigned q, uint16_t head, uint32_t len);
void vnet_vq_publish_locked(struct vnet *dev, unsigned q, uint16_t old_used);
/* Publish used idx @new_idx (moving from @old_used) and notify as due. */
void vnet_vq_publish_idx_locked(struct vnet *dev, unsigned q, uint16_t new_idx, uint16_t old_used);
void vnet_rx_wb_init(struct vnet *dev);
void vnet_vq_set_legacy_layout(struct vnet_vq *vq);

/* vnet_net.c */
void vnet_queue_kick(struct vnet *dev, unsigned q);
unsigned vnet_hdr_len(const struct vnet *dev);

/* vnet_regs.c */
uint32_t vnet_device_cfg_read_locked(struct vnet *dev, uint32_t off, unsigned size);
#endif /* NDISRT_HW_VNET_INTERNAL_H */
