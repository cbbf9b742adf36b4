/* SPDX-License-Identifier: MIT */
/*
 * hw/wbq.h - delayed DMA write-back, the host fault
 * HW_FAULT_DMA_WRITEBACK_DELAY (hw/device.h), for the models that share it
 * (e1000, virtio-net, rtl8139; the VN-1 has its own, hw/vn1_rx.c).
 *
 * A model that would make a received frame visible to its driver (a
 * descriptor's DD, a used ring's idx, a ring header) and raise the cause
 * that says so, instead queues the write-back here while a delay is set.
 * The queue lands each entry @delay_ns of engine time later, in the order
 * queued, through the model's @land callback, which writes what the entry
 * describes and raises its cause: until then the frame's bytes are in
 * driver memory but the driver has no sign of them. Turning the delay off
 * lands everything still queued at once; a full queue lands its oldest
 * entry early (order is kept either way).
 *
 * Lock key: (L) the model's device lock, which every call below needs
 * except hw_wbq_init() and hw_wbq_stop() (host thread, device quiet).
 */
#ifndef NDISRT_HW_WBQ_H
#define NDISRT_HW_WBQ_H

#include <stdbool.h>
#include <stdint.h>

#include "ke/ke.h"

#define HW_WBQ_LEN 512u		    /* write-backs held at once */
#define HW_WBQ_MAX_NS 1000000000ull /* the longest delay: a second */

/* One queued write-back: what the model needs to land it. */
struct hw_wb {
	uint64_t due_ns; /* engine clock */
	uint64_t addr;	 /* bus address of the bytes to write */
	uint64_t cookie; /* the model's: queue, ring state at queueing, ... */
	uint8_t len;	 /* bytes of @data */
	uint8_t data[7];
};

/* Write back @w and raise what it stands for. Context: device lock held. */
typedef void hw_wb_land_fn(void *ctx, const struct hw_wb *w);

struct hw_wbq {
	struct ke_machine *machine; /* (c) */
	hw_wb_land_fn *land;	    /* (c) */
	void *ctx;		    /* (c) */
	struct ke_host_timer timer; /* fires the model's timer callback */
	uint64_t delay_ns;	    /* (L) 0: write-backs are immediate */
	unsigned head, count;	    /* (L) FIFO */
	uint64_t delayed;	    /* (L) write-backs landed late (a statistic) */
	uint64_t armed;		    /* (L) times a delay was set (a statistic) */
	struct hw_wb q[HW_WBQ_LEN]; /* (L) */
};

/**
 * hw_wbq_init() - Set up @w. @fire is the model's timer callback: it takes
 * the device lock and calls hw_wbq_flush_locked(@w, false).
 * Context: host thread, at create.
 */
void hw_wbq_init(struct hw_wbq *w, struct ke_machine *m, hw_wb_land_fn *land, void *ctx,
		 ke_host_timer_fn *fire, void *fire_ctx);

/** hw_wbq_active() - Is a delay set (queue write-backs, do not write them)? */
static inline bool hw_wbq_active(const struct hw_wbq *w)
{
	return w->delay_ns != 0;
}

/**
 * hw_wbq_set_delay_locked() - The fault: delay by @ns (0: off, landing what
 * waits). Return: 0, or -EINVAL for more than HW_WBQ_MAX_NS.
 */
int hw_wbq_set_delay_locked(struct hw_wbq *w, uint64_t ns);

/** hw_wbq_push_locked() - Queue a write-back of @len (<= 7) bytes to @addr. */
void hw_wbq_push_locked(struct hw_wbq *w, uint64_t addr, const void *data, unsigned len,
			uint64_t cookie);

/** hw_wbq_flush_locked() - Land what is due (everything if @all); re-arm the timer. */
void hw_wbq_flush_locked(struct hw_wbq *w, bool all);

/**
 * hw_wbq_drop_locked() - Forget every queued write-back (a reset: the rings
 * they point into are no longer the device's; a surprise removal).
 * Return: how many were dropped.
 */
unsigned hw_wbq_drop_locked(struct hw_wbq *w);

/** hw_wbq_stop() - Cancel the timer. Context: host thread, at destroy. */
void hw_wbq_stop(struct hw_wbq *w);

#endif /* NDISRT_HW_WBQ_H */
