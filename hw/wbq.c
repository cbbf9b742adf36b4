/* SPDX-License-Identifier: MIT */
/*
 * hw/wbq.c - delayed DMA write-back shared by the e1000, virtio-net and
 * rtl8139 models (hw/wbq.h).
 */
#include "hw/wbq.h"

#include <errno.h>
#include <string.h>

void hw_wbq_init(struct hw_wbq *w, struct ke_machine *m, hw_wb_land_fn *land, void *ctx,
		 ke_host_timer_fn *fire, void *fire_ctx)
{
	memset(w, 0, sizeof(*w));
	w->machine = m;
	w->land = land;
	w->ctx = ctx;
	ke_host_timer_init(&w->timer, fire, fire_ctx);
}

static void hw_wbq_pop_locked(struct hw_wbq *w)
{
	struct hw_wb e = w->q[w->head];

	w->head = (w->head + 1) % HW_WBQ_LEN;
	w->count--;
	w->delayed++;
	w->land(w->ctx, &e);
}

void hw_wbq_flush_locked(struct hw_wbq *w, bool all)
{
	uint64_t now = w->count ? ke_clock_ns(w->machine) : 0;

	while (w->count && (all || w->q[w->head].due_ns <= now))
		hw_wbq_pop_locked(w);
	if (w->count)
		ke_host_timer_arm(w->machine, &w->timer, w->q[w->head].due_ns);
}

int hw_wbq_set_delay_locked(struct hw_wbq *w, uint64_t ns)
{
	if (ns > HW_WBQ_MAX_NS)
		return -EINVAL;
	w->delay_ns = ns;
	if (ns)
		w->armed++;
	else
		hw_wbq_flush_locked(w, true);
	return 0;
}

void hw_wbq_push_locked(struct hw_wbq *w, uint64_t addr, const void *data, unsigned len,
			uint64_t cookie)
{
	struct hw_wb *e;

	if (w->count == HW_WBQ_LEN)
		hw_wbq_pop_locked(w); /* full: the oldest lands now, in order */
	e = &w->q[(w->head + w->count) % HW_WBQ_LEN];
	e->due_ns = ke_clock_ns(w->machine) + w->delay_ns;
	e->addr = addr;
	e->cookie = cookie;
	e->len = (uint8_t)(len < sizeof(e->data) ? len : sizeof(e->data));
	memcpy(e->data, data, e->len);
	if (w->count++ == 0)
		ke_host_timer_arm(w->machine, &w->timer, e->due_ns);
}

unsigned hw_wbq_drop_locked(struct hw_wbq *w)
{
	unsigned n = w->count;

	w->head = w->count = 0;
	return n;
}

void hw_wbq_stop(struct hw_wbq *w)
{
	ke_host_timer_cancel(w->machine, &w->timer);
}
