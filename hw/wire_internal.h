/* SPDX-License-Identifier: MIT */
/*
 * hw/wire_internal.h - shared between hw/wire*.c only.
 */
#ifndef NDISRT_HW_WIRE_INTERNAL_H
#define NDISRT_HW_WIRE_INTERNAL_H

#include "hw/wire.h"

void wire_init(struct wire *w, const struct wire_ops *ops, struct ke_machine *m);
int wire_deliver(struct wire *w, unsigned end, const void *frame, size_t len);

/*
 * A source wire: a host thread sends frames from end 1 into end 0. A kind
 * supplies the frames; the source paces them on the engine clock.
 */
struct wire_source;

struct wire_source_kind {
	/* Frame @i (0-based): its bytes and when to send it, in ns after start. */
	const uint8_t *(*frame)(struct wire_source *s, uint64_t i, size_t *len, uint64_t *due_ns);
	void (*destroy)(struct wire_source *s);
};

struct wire_source *wire_source_create(struct ke_machine *m, const struct wire_source_kind *kind,
				       uint64_t total, void *priv);
void *wire_source_priv(struct wire_source *s);
struct wire *wire_source_wire(struct wire_source *s);

#endif /* NDISRT_HW_WIRE_INTERNAL_H */
