/* SPDX-License-Identifier: MIT */
/*
 * hw/rtl8139/rtl8139_internal.h - the RTL8139C's state, shared by
 * hw/rtl8139/ only.
 *
 * Lock order: the device lock is a leaf. Nothing is called with it held
 * except the irq sink (async-signal-safe, lock-free by contract) and the DMA
 * space accessors (lock-free). Frames leave the device only after the lock
 * is dropped, so two devices sending to each other never hold both locks.
 */
#ifndef NDISRT_HW_RTL8139_INTERNAL_H
#define NDISRT_HW_RTL8139_INTERNAL_H

#ifndef NDISRT_HW_RTL8139_INTERNAL
#error "hw/rtl8139/rtl8139_internal.h is private to hw/rtl8139/"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "hw/device.h"
#include "hw/dma.h"
#include "hw/rtl8139/rtl8139.h"
#include "hw/wbq.h"
#include "hw/wire.h"
#include "ke/ke.h"

/* Microwire state machine of the 93C46 behind 9346CR (DS: 93C46 Command Register). */
enum rtl_ee_state {
	RTL_EE_IDLE,   /* CS high, waiting for the start bit */
	RTL_EE_OPCODE, /* 2 opcode bits */
	RTL_EE_ADDR,   /* 6 address bits */
	RTL_EE_DATA,   /* 16 data bits out per word (a dummy 0 first) */
	RTL_EE_IGNORE, /* an opcode not modelled: until CS drops */
};

struct rtl8139_stats {
	uint64_t rx_offered, rx_accepted;
	uint64_t rx_removed, rx_disabled, rx_filtered, rx_bad_length, rx_overflow, rx_dma_fault;
	uint64_t tx_sent, tx_link_down, tx_no_wire, tx_bad_size, tx_dma_fault;
	uint64_t line_assertions;
	uint64_t inj_link_changes, inj_spurious, inj_stuck_line, inj_surprise_removal;
	uint64_t inj_dma_fault, dma_faults_injected; /* armed / armed that fired */
	uint64_t inj_wb_delay, wb_delayed;	     /* delays set / ring headers landed late */
	uint64_t bad_accesses, eeprom_reads, resets;
};

/* Lock key: (L) device lock at HIGH_LEVEL  (c) constant after create, or
 * changed only while the device is quiet */
struct rtl8139 {
	struct hw_device base; /* (c) the seam; first */
	struct ke_spinlock lock;
	struct ke_machine *machine; /* (c) */
	struct hw_dma_space *dma;   /* (c) */
	struct hw_irq_sink sink;    /* (c) */
	struct wire *wire;	    /* (c) */
	unsigned wire_end;	    /* (c) */
	uint64_t mem_base;	    /* (c) */
	uint16_t port_base;	    /* (c) */
	uint8_t line_vector;	    /* (c) */

	uint8_t reg[RTL8139_REGS_LEN];	   /* (L) plain storage; behaviour in rtl8139.c */
	uint16_t eeprom[RTL_EEPROM_WORDS]; /* (c) */

	/* 93C46 wire state (L) */
	enum rtl_ee_state ee_state;
	unsigned ee_bits, ee_op, ee_addr;
	uint32_t ee_shift;
	bool ee_dout, ee_sk;

	/* receive ring (L): offsets into the ring */
	uint32_t rx_wr;	  /* CBR: where the next packet's header goes */
	unsigned tx_next; /* the descriptor the transmitter serves next */
	uint8_t tx_armed; /* bit n: TSDn written with OWN 0, not yet served */

	/* general-purpose timer (L): TCTR counts RTL_TCTR_HZ from tctr_epoch */
	uint64_t tctr_epoch;
	uint64_t timer_due; /* 0: no TimeOut pending */
	struct ke_host_timer timer;

	/* link and faults (L) */
	bool cable, removed, stuck;
	unsigned dma_fault_next;
	struct hw_wbq wbq; /* delayed ring-header write-backs (hw/wbq.h) */
	bool line_out;
	uint16_t pci_command;
	struct rtl8139_stats st;
};

static inline ke_irql_t rtl_lock(struct rtl8139 *d)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&d->lock);
	return old;
}

static inline void rtl_unlock(struct rtl8139 *d, ke_irql_t old)
{
	ke_spin_release_raw(&d->lock);
	ke_irql_lower(old);
}

static inline uint32_t rtl_get(const struct rtl8139 *d, uint32_t off, unsigned width)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)d->reg[off + i] << (8 * i);
	return v;
}

static inline void rtl_put(struct rtl8139 *d, uint32_t off, unsigned width, uint32_t v)
{
	for (unsigned i = 0; i < width; i++)
		d->reg[off + i] = (uint8_t)(v >> (8 * i));
}

#define RTL_TCTR_HZ 33000000ull /* the PCI clock */

/* rtl8139.c */
struct rtl8139 *rtl8139_create(const struct hw_device_params *p, char *err, size_t errlen);
void rtl8139_free(struct rtl8139 *d);
void rtl8139_power_reset_locked(struct rtl8139 *d);
void rtl8139_irq_update_locked(struct rtl8139 *d);
uint32_t rtl8139_reg_read(struct rtl8139 *d, uint32_t off, unsigned width);
void rtl8139_reg_write(struct rtl8139 *d, uint32_t off, unsigned width, uint32_t v);
size_t rtl8139_config_read(struct rtl8139 *d, uint32_t off, void *buf, size_t len);
size_t rtl8139_config_write(struct rtl8139 *d, uint32_t off, const void *buf, size_t len);
void rtl8139_set_sink(struct rtl8139 *d, struct hw_irq_sink sink);
bool rtl8139_line_asserted(struct rtl8139 *d);
void rtl8139_wire_attach(struct rtl8139 *d, struct wire *w, unsigned end);
int rtl8139_fault(struct rtl8139 *d, enum hw_fault f, uint64_t arg);
void rtl8139_get_stats(struct rtl8139 *d, struct rtl8139_stats *out);

/* rtl8139_rxtx.c */
int rtl8139_receive(void *ctx, const void *frame, size_t len);
/* Serve armed descriptors; Return: bytes of a frame staged in @frame to send
 * after unlocking (0: none). Called repeatedly until 0. */
size_t rtl8139_tx_step_locked(struct rtl8139 *d, uint8_t *frame);
void rtl8139_tx_send(struct rtl8139 *d, const uint8_t *frame, size_t len);
uint32_t rtl8139_ether_crc(const uint8_t *p, size_t n);
void rtl8139_rx_wb_init(struct rtl8139 *d);

#endif /* NDISRT_HW_RTL8139_INTERNAL_H */
