/* SPDX-License-Identifier: MIT */
/*
 * hw/wire.c - wire bookkeeping shared by every kind, and the back-to-back pair.
 */
#include "hw/wire.h"
#include "hw/wire_internal.h"

#include <errno.h>
#include <stdlib.h>

void wire_attach(struct wire *w, unsigned end, wire_rx_fn *rx, void *ctx)
{
	w->ep[end & 1].rx = rx;
	w->ep[end & 1].ctx = rx ? ctx : NULL;
}

/*
 * Account and carry one frame from @end to the far end. The offered count
 * is bumped first and exactly one of delivered/dropped after, so once no
 * send is in flight the three balance.
 */
int wire_deliver(struct wire *w, unsigned end, const void *frame, size_t len)
{
	unsigned far = (end & 1) ^ 1;
	int ret = -ENOLINK;

	atomic_fetch_add_explicit(&w->offered[end & 1], 1, memory_order_relaxed);
	if (w->tap)
		wire_capture_frame(w->tap, frame, len);
	if (w->ep[far].rx)
		ret = w->ep[far].rx(w->ep[far].ctx, frame, len);
	if (ret == 0)
		atomic_fetch_add_explicit(&w->delivered[end & 1], 1, memory_order_release);
	else
		atomic_fetch_add_explicit(&w->dropped[end & 1], 1, memory_order_release);
	return ret;
}

int wire_send(struct wire *w, unsigned end, const void *frame, size_t len)
{
	return w->ops->send(w, end, frame, len);
}

void wire_close(struct wire *w)
{
	if (w)
		w->ops->close(w);
}

void wire_get_stats(struct wire *w, unsigned end, struct wire_dir_stats *out)
{
	/* Read the outcomes before the offers: a send in flight then shows as
	 * offered but not yet settled, never as settled but not offered. */
	out->delivered = atomic_load_explicit(&w->delivered[end & 1], memory_order_acquire);
	out->dropped = atomic_load_explicit(&w->dropped[end & 1], memory_order_acquire);
	out->offered = atomic_load_explicit(&w->offered[end & 1], memory_order_acquire);
}

void wire_tap(struct wire *w, struct wire_capture *cap)
{
	w->tap = cap;
}

void wire_init(struct wire *w, const struct wire_ops *ops, struct ke_machine *m)
{
	w->ops = ops;
	w->m = m;
	for (int e = 0; e < 2; e++) {
		w->ep[e].rx = NULL;
		w->ep[e].ctx = NULL;
		atomic_init(&w->offered[e], 0);
		atomic_init(&w->delivered[e], 0);
		atomic_init(&w->dropped[e], 0);
	}
	w->tap = NULL;
}

/* ---------------------------------------------------------------- pair */

static int wire_pair_send(struct wire *w, unsigned end, const void *frame, size_t len)
{
	return wire_deliver(w, end, frame, len);
}

static void wire_pair_close(struct wire *w)
{
	free(w);
}

static const struct wire_ops wire_pair_ops = {
    .send = wire_pair_send,
    .close = wire_pair_close,
};

struct wire *wire_pair_create(struct ke_machine *m)
{
	struct wire *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	wire_init(w, &wire_pair_ops, m);
	return w;
}
