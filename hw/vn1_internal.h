/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_internal.h - the VN-1's state, shared by hw/vn1*.c only.
 *
 * Lock order: a device lock is a leaf. Nothing is called with it held except
 * the irq sink's line_set (async-signal-safe, lock-free by its contract; MSI-X
 * writes wait for vn1_unlock()), the DMA space accessors (lock-free) and
 * ke_host_timer_arm() (async-signal-safe). Frames
 * leave the device only after the lock is dropped, so two devices sending
 * to each other never hold both locks.
 */
#ifndef NDISRT_HW_VN1_INTERNAL_H
#define NDISRT_HW_VN1_INTERNAL_H

#ifndef NDISRT_HW_VN1_INTERNAL
#error "hw/vn1_internal.h is private to hw/vn1*.c; include hw/vn1.h"
#endif

#include "hw/vn1.h"
#include "hw/device.h"
#include "hw/dma.h"
#include "hw/rss.h"
#include "hw/wire.h"

#define VN1_PIO_TX_SLOTS 4u
#define VN1_MSI_OUTBOX 16u  /* MSI-X writes held until unlock; more: sent at once */
#define VN1_WB_PENDING 512u /* delayed write-backs held at once; more: the oldest goes */
#define VN1_RXQ_BASE(q) (VN1_RXQ0 + 0x40u * (q))
#define VN1_TXQ_BASE(q) (VN1_TXQ0 + 0x40u * (q))

/* Lock key for everything below: (L) device lock at HIGH_LEVEL  (c) constant
 * after create  (q) owned by the queue's single active transmitter (@busy) */

struct vn1_rxq {
	uint32_t bal, bah;   /* (L) ring base; low 4 bits read as 0 */
	uint32_t len;	     /* (L) descriptors; 0 or a power of two 8..65536 */
	uint32_t head, tail; /* (L) */
	uint32_t dctl;	     /* (L) */
	uint32_t bufsz;	     /* (L) 256..16384 */
	uint32_t cnt, drop;  /* (L) RXCNT, RXDROP */
	/* A frame being copied into the descriptor at @head outside the lock
	 * (hw/vn1_rx.c): set and cleared under (L), read without it by a
	 * second producer waiting for its turn. @gen is bumped whenever the
	 * ring is reset, so the copier can tell its descriptor is gone. */
	bool busy;	     /* (L) a descriptor is reserved, not yet written back */
	uint32_t gen;	     /* (L) */
	atomic_bool copying; /* set under (L); cleared by the copier when its copy is done */
};

struct vn1_txq {
	uint32_t bal, bah, len, head, tail, dctl, cnt; /* (L) */
	bool busy; /* (L) a thread is running vn1_tx_run() for this queue */
};

struct vn1_msix_entry {
	uint32_t addr_lo, addr_hi, data, ctrl; /* (L) */
};

struct vn1_pio {
	bool enabled;			/* (L) */
	uint16_t isr;			/* (L) latched TX, LSC, RXO; RX is computed from the FIFO */
	uint16_t imr;			/* (L) */
	unsigned fifo_head, fifo_count; /* (L) */
	uint16_t rx_off;		/* (L) bytes of the head frame already read */
	uint16_t fifo_len[VN1_PIO_FIFO_FRAMES];		  /* (L) */
	uint8_t fifo[VN1_PIO_FIFO_FRAMES][VN1_MAX_FRAME]; /* (L) */
	uint16_t txlen;					  /* (L) */
	uint8_t txbuf[VN1_MAX_FRAME];			  /* (L) */
	/* Staged frames on their way out: filled under (L), sent after unlock
	 * by the thread that filled the slot, then released under (L). */
	bool slot_busy[VN1_PIO_TX_SLOTS];	       /* (L) */
	uint16_t slot_len[VN1_PIO_TX_SLOTS];	       /* (owner of the slot) */
	uint8_t slot[VN1_PIO_TX_SLOTS][VN1_MAX_FRAME]; /* (owner of the slot) */
};

struct vn1 {
	struct hw_device base; /* (c) the device seam (hw/vn1_dev.c) */
	struct ke_spinlock lock;
	struct vn1_config cfg;	 /* (c) */
	struct hw_irq_sink sink; /* (c) replaced only while quiet */
	struct vn1_hooks hooks;	 /* (c) */
	struct wire *wire;	 /* (c) changed only while quiet */
	unsigned wire_end;	 /* (c) */

	/* registers (L) */
	uint32_t ctrl, rxfilter, mac_lo, mac_hi;
	uint32_t icr, ims, iam, imode;
	uint32_t ims_ever; /* every cause IMS has enabled since reset (irq_masked_pending) */
	uint32_t ivar[VN1_NR_CAUSES], itr[VN1_NR_MSGS];
	uint32_t route[VN1_NR_MSGS]; /* causes routed to each message (from IMODE/IVAR) */
	uint32_t mrqc;
	uint8_t rss_key[HW_RSS_KEY_LEN];
	struct hw_toeplitz_table rss_table; /* rss_key prepared (rebuilt when it changes) */
	uint8_t reta[HW_RSS_RETA_LEN];
	uint32_t gprc, gptc, mpc, spurious;
	struct vn1_rxq rxq[VN1_NR_QUEUES];
	struct vn1_txq txq[VN1_NR_QUEUES];
	uint32_t reset_gen; /* (L) bumped by CTRL.RST */

	/* link and host faults (L) */
	bool link_up, removed, stuck;
	unsigned drop_next[VN1_NR_MSGS];
	unsigned dma_fault_next;
	/* delayed receive write-back: the DD byte and the cause lag the data */
	uint64_t wb_delay_ns; /* 0: write back at once */
	struct vn1_wb {
		uint64_t due_ns;
		uint64_t status_addr; /* the descriptor's status byte */
		uint8_t status;
		uint8_t queue;
	} wbq[VN1_WB_PENDING]; /* FIFO, in ring order */
	unsigned wb_head, wb_count;
	struct ke_host_timer wb_timer;

	/* signalling (L) */
	uint32_t p_prev;	    /* P(m) at the last evaluation */
	bool line_out;		    /* level driven on the sink */
	bool line_want;		    /* level before INTx disable (PCI Status bit 3) */
	bool sig_seen[VN1_NR_MSGS]; /* message (line: [0]) signalled since reset */
	uint64_t last_sig_ns[VN1_NR_MSGS];
	bool itr_wait[VN1_NR_MSGS]; /* a throttled signal waits for its timer */
	struct ke_host_timer itr_timer[VN1_NR_MSGS];
	/* MSI-X writes decided under the lock, put on the bus by vn1_unlock()
	 * after the lock is dropped (hw/vn1_irq.c, vn1_unlock_post()). */
	unsigned msi_n;
	struct vn1_msi_write {
		uint64_t addr;
		uint32_t data;
	} msi_q[VN1_MSI_OUTBOX];

	/* PCI function state (L) */
	uint16_t pci_command;
	uint16_t msix_ctrl; /* enable and function mask bits */
	uint32_t pba;
	struct vn1_msix_entry msix[VN1_NR_MSGS];

	struct vn1_pio pio;
	struct vn1_stats st;				/* (L) */
	uint8_t tx_stage[VN1_NR_QUEUES][VN1_MAX_FRAME]; /* (q) */
};

static inline ke_irql_t vn1_lock(struct vn1 *dev)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&dev->lock);
	return old;
}

void vn1_unlock_post(struct vn1 *dev, ke_irql_t old);
void vn1_acquire_yielding(struct vn1 *dev);

/*
 * Drop the lock; then, if messages were signalled under it, write them to
 * the bus. The write wakes or signals a vCPU: done under the lock, the host
 * could switch to that vCPU (same core) while this thread still held the
 * lock the vCPU's ISR needs first, and the ISR would spin.
 */
static inline void vn1_unlock(struct vn1 *dev, ke_irql_t old)
{
	if (dev->msi_n) {
		vn1_unlock_post(dev, old);
		return;
	}
	ke_spin_release_raw(&dev->lock);
	ke_irql_lower(old);
}

static inline uint64_t vn1_now(struct vn1 *dev)
{
	return ke_clock_ns(dev->cfg.machine);
}

/* vn1.c */
void vn1_reset_locked(struct vn1 *dev);

/* vn1_dev.c */
extern const struct hw_device_model hw_model_vn1;
void vn1_device_init(struct vn1 *dev);

/* vn1_irq.c: causes and signalling. Context: all (L). */
void vn1_irq_init(struct vn1 *dev);
void vn1_rx_wb_init(struct vn1 *dev);
void vn1_rx_wb_flush_locked(struct vn1 *dev, bool all);
void vn1_rx_quiesce_locked(struct vn1 *dev, unsigned q);
void vn1_irq_update_locked(struct vn1 *dev, uint32_t rearm_causes);
void vn1_cause_set_locked(struct vn1 *dev, uint32_t causes);
uint32_t vn1_irq_read_locked(struct vn1 *dev, uint32_t off, bool *handled);
bool vn1_irq_write_locked(struct vn1 *dev, uint32_t off, uint32_t val);
void vn1_irq_reset_locked(struct vn1 *dev);
void vn1_msix_deliver_locked(struct vn1 *dev, unsigned m);
uint32_t vn1_msix_read_locked(struct vn1 *dev, uint32_t off);

/* vn1_rx.c / vn1_tx.c */
uint32_t vn1_rxq_read_locked(struct vn1 *dev, unsigned q, uint32_t reg);
void vn1_rxq_write_locked(struct vn1 *dev, unsigned q, uint32_t reg, uint32_t val);
uint32_t vn1_txq_read_locked(struct vn1 *dev, unsigned q, uint32_t reg);
/* Return: true if the caller must run vn1_tx_run(@q) after unlocking. */
bool vn1_txq_write_locked(struct vn1 *dev, unsigned q, uint32_t reg, uint32_t val);
uint32_t vn1_tx_claim_locked(struct vn1 *dev, uint32_t queues);
void vn1_tx_run(struct vn1 *dev, unsigned q);
void vn1_tx_kick(struct vn1 *dev, uint32_t queues);
void vn1_deliver(struct vn1 *dev, const void *frame, size_t len);
bool vn1_rx_filter_pass(const struct vn1 *dev, const uint8_t *frame, bool pio);

/* vn1_pio.c */
void vn1_pio_reset_locked(struct vn1 *dev);
bool vn1_pio_line_want_locked(const struct vn1 *dev);
int vn1_pio_receive_locked(struct vn1 *dev, const uint8_t *frame, size_t len);

/* vn1_regs.c */
uint32_t vn1_reg_read_locked(struct vn1 *dev, uint32_t off);
/* Return: bitmap of TX queues the caller must run after unlocking. */
uint32_t vn1_reg_write_locked(struct vn1 *dev, uint32_t off, uint32_t val);
uint32_t vn1_reg_peek_locked(struct vn1 *dev, uint32_t off);

#endif /* NDISRT_HW_VN1_INTERNAL_H */
