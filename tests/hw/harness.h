/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/harness.h - a machine, a DMA space and VN-1s in one call, a
 * recording irq sink and ring helpers; waits and bug checks are tests/harness.h.
 */
#ifndef NDISRT_TESTS_HW_HARNESS_H
#define NDISRT_TESTS_HW_HARNESS_H

#include "tests/harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ke/ke.h"
#include "hw/dma.h"
#include "hw/intc.h"
#include "hw/rss.h"
#include "hw/vn1.h"
#include "hw/wire.h"

#define REC_MAX 4096

struct rec_msi {
	uint64_t addr;
	uint32_t data;
	uint64_t ns;
};

/* A sink that records everything, lock-free (it runs under the device lock). */
struct rec_sink {
	struct ke_machine *m;
	atomic_bool level;
	atomic_uint rises, falls, pulses;
	atomic_uint nmsi;
	struct rec_msi msi[REC_MAX];
	uint64_t rise_ns[REC_MAX];
};

extern const struct hw_irq_sink_ops rec_sink_ops;

static inline struct hw_irq_sink rec_sink(struct rec_sink *r)
{
	return (struct hw_irq_sink){.ops = &rec_sink_ops, .ctx = r};
}

/* Messages recorded with data == @data (the harness programs entry m with data m). */
unsigned rec_count_msg(struct rec_sink *r, uint32_t data);

struct hx {
	struct ke_machine *m;
	struct hw_dma_space *dma;
	struct rec_sink rec[4];
	struct vn1 *dev[4];
	unsigned ndev;
};

extern const uint8_t hx_mac[4][6];

/* A machine of @vcpus vCPUs, a DMA space, and @ndev VN-1s on recording sinks. */
void hx_init(struct hx *h, unsigned vcpus, unsigned ndev);
void hx_fini(struct hx *h);
struct vn1 *hx_dev_create(struct hx *h, unsigned i, struct hw_irq_sink sink,
			  enum vn1_irq_kind kind);

/*
 * Message mode on a recording sink: IMODE, MSI-X enabled, entry m programmed
 * with address 0xFEE00000 and data m, unmasked.
 */
void hx_msix_setup(struct vn1 *dev, unsigned imode, unsigned nmsgs);

/* A ring of @n descriptors on RX queue @q, all given to the device except one slot. */
struct hx_ring {
	struct vn1 *dev;
	struct hw_dma_space *dma;
	unsigned q, n, bufsz;
	uint8_t *desc;
	uint64_t desc_la;
	uint8_t **buf;
	uint64_t *buf_la;
	unsigned next; /* next descriptor the driver expects back */
	unsigned tail; /* RDT / TDT as written */
};

void hx_rx_ring(struct hx_ring *r, struct vn1 *dev, struct hw_dma_space *dma, unsigned q,
		unsigned n, unsigned bufsz);
/* Give every descriptor back that the driver has consumed (driver refill). */
void hx_rx_refill(struct hx_ring *r);
/* Return: true and the frame's details if descriptor @r->next is done; advances. */
bool hx_rx_take(struct hx_ring *r, uint8_t *frame, unsigned *len, uint8_t *status, uint8_t *type,
		uint32_t *hash);
void hx_ring_free(struct hx_ring *r);

void hx_tx_ring(struct hx_ring *r, struct vn1 *dev, struct hw_dma_space *dma, unsigned q,
		unsigned n);
/* Queue one frame (copied into the descriptor's buffer); does not write TDT. */
void hx_tx_put(struct hx_ring *r, const void *frame, unsigned len, bool rs);
void hx_tx_kick(struct hx_ring *r);
uint8_t hx_tx_status(struct hx_ring *r, unsigned i);

/* Ethernet/IPv4/UDP frame to @dst (flow @f) built with the generator. */
size_t hx_frame(uint8_t *buf, const uint8_t *dst, unsigned f, int family, uint8_t l4,
		unsigned size);

#endif /* NDISRT_TESTS_HW_HARNESS_H */
