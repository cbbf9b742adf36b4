/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_internal.h - the 82540EM's state, shared by hw/e1000/ only.
 *
 * Lock order: the device lock is a leaf. Nothing is called with it held
 * except the irq sink (async-signal-safe, lock-free by contract), the DMA
 * space accessors (lock-free) and ke_host_timer_arm() (async-signal-safe).
 * Frames leave the device only after the lock is dropped, so two devices
 * sending to each other never hold both locks.
 */
#ifndef NDISRT_HW_E1000_INTERNAL_H
#define NDISRT_HW_E1000_INTERNAL_H

#ifndef NDISRT_HW_E1000_INTERNAL
#error "hw/e1000/e1000_internal.h is private to hw/e1000/; include hw/e1000/e1000.h"
#endif

#include "hw/e1000/e1000.h"
#include "hw/device.h"
#include "hw/dma.h"
#include "hw/wbq.h"
#include "hw/wire.h"

#define E1000_NR_REGS (E1000_BAR0_LEN / 4)
#define E1000_NR_PHY_REGS 32u

/* Microwire state machine of the EEPROM behind EECD (SDM 5.3). */
enum e1000_ee_state {
	EE_IDLE,   /* CS low, or waiting for the start bit */
	EE_OPCODE, /* shifting in 2 opcode bits */
	EE_ADDR,   /* shifting in 6 address bits */
	EE_DATA,   /* shifting out 16 data bits per word (sequential read) */
	EE_IGNORE, /* an opcode this model does not perform; until CS drops */
};

struct e1000_eeprom {
	uint16_t word[E1000_EEPROM_WORDS]; /* (c) after create */
	enum e1000_ee_state state;	   /* (L) */
	unsigned bits;			   /* (L) bits shifted in this phase */
	uint32_t shift;			   /* (L) */
	unsigned op;			   /* (L) opcode shifted in */
	unsigned addr;			   /* (L) */
	bool dout;			   /* (L) level on DO */
};

/* Lock key: (L) device lock at HIGH_LEVEL  (c) constant after create
 * (t) owned by the single active transmitter (tx_busy) */
struct e1000 {
	struct hw_device base; /* (c) the seam; first, for e1000_from_device() */
	struct ke_spinlock lock;
	struct e1000_config cfg; /* (c) */
	struct hw_irq_sink sink; /* (c) replaced only while quiet */
	struct wire *wire;	 /* (c) changed only while quiet */
	unsigned wire_end;	 /* (c) */

	/*
	 * (L) The register file. Registers without behaviour are plain storage
	 * here; the ones with behaviour (ICR, IMS, STATUS, EECD, EERD, MDIC,
	 * RDH/RDT, statistics, ...) are decoded in e1000_regs.c and keep their
	 * state in this array too, except where noted below.
	 */
	uint32_t reg[E1000_NR_REGS];
	uint32_t ioaddr;		 /* (L) I/O BAR IOADDR */
	uint64_t gorc, gotc, tor, tot;	 /* (L) 64-bit statistics pairs */
	uint16_t phy[E1000_NR_PHY_REGS]; /* (L) */
	bool phy_link_latched_low;	 /* (L) PHY status bit 2 latches low */
	struct e1000_eeprom ee;
	uint32_t reset_gen; /* (L) bumped by every reset */

	/* link and host faults (L) */
	bool cable, removed, stuck;
	bool lu; /* STATUS.LU as last computed (LSC on change) */
	unsigned dma_fault_next;
	struct hw_wbq wbq; /* delayed receive write-backs (hw/wbq.h) */

	/* interrupt signalling (L) */
	bool line_out;	/* level driven on the sink */
	bool line_want; /* (ICR & IMS) != 0 or stuck: PCI Status.INTx */
	bool itr_wait;	/* an assertion waits for the ITR timer */
	bool sig_seen;	/* asserted at least once since reset */
	uint64_t last_assert_ns;
	struct ke_host_timer itr_timer;

	/* delayed interrupts (L): 0 = timer not running */
	uint64_t rx_pkt_due, rx_abs_due, tx_pkt_due, tx_abs_due;
	struct ke_host_timer rx_timer, tx_timer;

	/* transmit (t while tx_busy) */
	bool tx_busy;			       /* (L) */
	size_t tx_len;			       /* (t) bytes staged of the frame in progress */
	bool tx_bad;			       /* (t) the frame in progress is dropped */
	uint8_t tx_stage[E1000_MAX_FRAME + 4]; /* (t) */

	uint16_t pci_command;  /* (L) */
	struct e1000_stats st; /* (L) */
};

static inline ke_irql_t e1000_lock(struct e1000 *dev)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&dev->lock);
	return old;
}

static inline void e1000_unlock(struct e1000 *dev, ke_irql_t old)
{
	ke_spin_release_raw(&dev->lock);
	ke_irql_lower(old);
}

static inline uint64_t e1000_now(struct e1000 *dev)
{
	return ke_clock_ns(dev->cfg.machine);
}

static inline uint32_t *e1000_r(struct e1000 *dev, uint32_t off)
{
	return &dev->reg[off >> 2];
}

/* e1000_dev.c */
void e1000_device_init(struct e1000 *dev);

/* e1000.c */
void e1000_reset_locked(struct e1000 *dev);
void e1000_link_update_locked(struct e1000 *dev);
bool e1000_status_lu_locked(const struct e1000 *dev);

/* e1000_irq.c: causes, masks, ITR and the delay timers. Context: all (L). */
void e1000_irq_init(struct e1000 *dev);
void e1000_irq_reset_locked(struct e1000 *dev);
void e1000_irq_update_locked(struct e1000 *dev);
void e1000_cause_set_locked(struct e1000 *dev, uint32_t causes);
uint32_t e1000_icr_read_locked(struct e1000 *dev);
void e1000_rx_delay_locked(struct e1000 *dev);
void e1000_rx_flush_locked(struct e1000 *dev);
void e1000_tx_delay_locked(struct e1000 *dev, bool ide);
void e1000_irq_stop(struct e1000 *dev);

/* e1000_eeprom.c */
void e1000_eeprom_build(struct e1000 *dev);
uint32_t e1000_eecd_read_locked(struct e1000 *dev);
void e1000_eecd_write_locked(struct e1000 *dev, uint32_t val);
void e1000_eerd_write_locked(struct e1000 *dev, uint32_t val);

/* e1000_phy.c */
void e1000_phy_reset_locked(struct e1000 *dev);
void e1000_mdic_write_locked(struct e1000 *dev, uint32_t val);
uint16_t e1000_phy_speed_bits(const struct e1000 *dev);

/* e1000_rx.c / e1000_tx.c */
bool e1000_rx_filter_pass(struct e1000 *dev, const uint8_t *frame);
void e1000_rx_wb_init(struct e1000 *dev);
int e1000_receive_locked(struct e1000 *dev, const uint8_t *frame, size_t len, bool loop);
bool e1000_tx_claim_locked(struct e1000 *dev);
void e1000_tx_run(struct e1000 *dev);
void e1000_stat_add(struct e1000 *dev, uint32_t off, uint32_t n);

/* e1000_regs.c */
uint32_t e1000_reg_read_locked(struct e1000 *dev, uint32_t off);
/* Return: true if the caller must run e1000_tx_run() after unlocking. */
bool e1000_reg_write_locked(struct e1000 *dev, uint32_t off, uint32_t val);
uint32_t e1000_reg_peek_locked(struct e1000 *dev, uint32_t off);

#endif /* NDISRT_HW_E1000_INTERNAL_H */
