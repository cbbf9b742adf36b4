/* SPDX-License-Identifier: MIT */
/*
 * tests/host/tdev.c - the "tdev" test device model (tests/host/tdev.h).
 * Includes hw/device.h and nothing else of hw/: scripts/check-layers.sh
 * keeps it that way.
 */
#include "tests/host/tdev.h"

#include "ke/ke.h" /* ke_preempt_point: each access is a preemption point */

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tdev_entry {
	_Atomic uint64_t addr;
	atomic_uint data;
	atomic_bool masked;
};

/* Lock key: (c) constant after create  (a) atomic */
struct tdev {
	struct hw_device base;
	struct hw_resources res;			  /* (c) */
	unsigned nr_msgs;				  /* (c) */
	_Atomic(const struct hw_irq_sink_ops *) sink_ops; /* (a) */
	_Atomic(void *) sink_ctx;			  /* (a) */
	atomic_uint cause;				  /* (a) */
	atomic_uint pba;				  /* (a) */
	atomic_bool msix_enabled, fmask, removed, line_out, stuck;
	struct tdev_entry msix[TDEV_MAX_MSGS];
	atomic_ulong raised[TDEV_MAX_MSGS], isr_acks[TDEV_MAX_MSGS], dpcs[TDEV_MAX_MSGS];
	atomic_ulong msgs_sent[TDEV_MAX_MSGS], msgs_pended[TDEV_MAX_MSGS];
	atomic_ulong line_assertions, bad_accesses, dropped;
	atomic_uint drop_next; /* bit m: lose the next signal of m */
};

static struct tdev *to_tdev(struct hw_device *d)
{
	return (struct tdev *)d; /* base is the first member */
}

static bool deliverable(struct tdev *t, unsigned m)
{
	return atomic_load(&t->msix_enabled) && !atomic_load(&t->fmask) &&
	       !atomic_load(&t->msix[m].masked);
}

static void send_msg(struct tdev *t, unsigned m)
{
	const struct hw_irq_sink_ops *ops = atomic_load(&t->sink_ops);

	if (atomic_fetch_and(&t->drop_next, ~(1u << m)) & (1u << m)) {
		atomic_fetch_add(&t->dropped, 1);
		return;
	}
	if (!deliverable(t, m)) {
		atomic_fetch_or(&t->pba, 1u << m);
		atomic_fetch_add(&t->msgs_pended[m], 1);
		return;
	}
	atomic_fetch_add(&t->msgs_sent[m], 1);
	if (ops)
		ops->msi_write(atomic_load(&t->sink_ctx), atomic_load(&t->msix[m].addr),
			       atomic_load(&t->msix[m].data));
}

/* Send what the PBA holds and may go now. */
static void flush_pba(struct tdev *t)
{
	for (unsigned m = 0; m < t->nr_msgs; m++)
		if (deliverable(t, m) && (atomic_fetch_and(&t->pba, ~(1u << m)) & (1u << m)))
			send_msg(t, m);
}

/* Drive INTx: asserted while a cause is pending (or stuck), unless MSI-X took over. */
static void update_line(struct tdev *t)
{
	bool want = !atomic_load(&t->removed) && !atomic_load(&t->msix_enabled) &&
		    (atomic_load(&t->cause) != 0 || atomic_load(&t->stuck));
	const struct hw_irq_sink_ops *ops = atomic_load(&t->sink_ops);

	if (atomic_exchange(&t->line_out, want) == want)
		return;
	if (want)
		atomic_fetch_add(&t->line_assertions, 1);
	if (ops)
		ops->line_set(atomic_load(&t->sink_ctx), want);
}

void tdev_raise(struct hw_device *dev, unsigned m)
{
	struct tdev *t = to_tdev(dev);

	if (m >= t->nr_msgs || atomic_load(&t->removed))
		return;
	atomic_fetch_add(&t->raised[m], 1);
	atomic_fetch_or(&t->cause, 1u << m);
	if (atomic_load(&t->msix_enabled))
		send_msg(t, m);
	else
		update_line(t);
}

/* ------------------------------------------------------------------ ops */

static uint64_t tdev_bar_read(struct hw_device *d, unsigned bar, uint32_t off, unsigned width)
{
	struct tdev *t = to_tdev(d);

	ke_preempt_point(KE_PP_REG_ACCESS);
	if (atomic_load(&t->removed))
		return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
	if (bar != 0 || width != 4 || off % 4 || off >= TDEV_BAR0_LEN) {
		atomic_fetch_add(&t->bad_accesses, 1);
		return 0;
	}
	switch (off) {
	case TDEV_REG_ID:
		return TDEV_ID;
	case TDEV_REG_CAUSE:
		return atomic_load(&t->cause);
	case TDEV_REG_NR_MSGS:
		return t->nr_msgs;
	default:
		return 0;
	}
}

static void tdev_bar_write(struct hw_device *d, unsigned bar, uint32_t off, unsigned width,
			   uint64_t v)
{
	struct tdev *t = to_tdev(d);

	ke_preempt_point(KE_PP_REG_ACCESS);
	if (atomic_load(&t->removed))
		return;
	if (bar != 0 || width != 4 || off % 4 || off >= TDEV_BAR0_LEN) {
		atomic_fetch_add(&t->bad_accesses, 1);
		return;
	}
	if (off == TDEV_REG_CAUSE) {
		unsigned acked = atomic_fetch_and(&t->cause, ~(uint32_t)v) & (uint32_t)v;

		for (unsigned m = 0; m < t->nr_msgs; m++)
			if (acked & (1u << m))
				atomic_fetch_add(&t->isr_acks[m], 1);
		update_line(t);
	} else if (off == TDEV_REG_DPC_DONE && v < t->nr_msgs) {
		atomic_fetch_add(&t->dpcs[v], 1);
	} else {
		atomic_fetch_add(&t->bad_accesses, 1);
	}
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void config_image(struct tdev *t, uint8_t cs[HW_PCI_CONFIG_LEN])
{
	const struct hw_pci_id *id = &t->base.id;
	uint32_t bar0 = (uint32_t)t->res.bar[0].base;

	memset(cs, 0, HW_PCI_CONFIG_LEN);
	if (atomic_load(&t->removed)) {
		memset(cs, 0xFF, HW_PCI_CONFIG_LEN);
		return;
	}
	put16(cs + 0x00, id->vendor);
	put16(cs + 0x02, id->device);
	put16(cs + 0x04, (uint16_t)(0x6 | (atomic_load(&t->msix_enabled) ? 0x400 : 0)));
	put16(cs + 0x06, 0x10); /* capabilities list */
	cs[0x08] = id->revision;
	cs[0x09] = id->prog_if;
	cs[0x0A] = id->subclass;
	cs[0x0B] = id->class_code;
	put16(cs + 0x10, (uint16_t)bar0);
	put16(cs + 0x12, (uint16_t)(bar0 >> 16));
	put16(cs + 0x2C, id->subsys_vendor);
	put16(cs + 0x2E, id->subsys_device);
	cs[0x34] = 0x40;
	cs[0x3C] = t->res.line_vector;
	cs[0x3D] = 1;
	cs[0x40] = 0x11; /* MSI-X */
	put16(cs + 0x42,
	      (uint16_t)((t->nr_msgs - 1) | (atomic_load(&t->msix_enabled) ? 0x8000 : 0) |
			 (atomic_load(&t->fmask) ? 0x4000 : 0)));
}

static size_t tdev_config_read(struct hw_device *d, uint32_t off, void *buf, size_t len)
{
	uint8_t cs[HW_PCI_CONFIG_LEN];

	ke_preempt_point(KE_PP_REG_ACCESS);
	if (off >= HW_PCI_CONFIG_LEN)
		return 0;
	if (len > HW_PCI_CONFIG_LEN - off)
		len = HW_PCI_CONFIG_LEN - off;
	config_image(to_tdev(d), cs);
	memcpy(buf, cs + off, len);
	return len;
}

static size_t tdev_config_write(struct hw_device *d, uint32_t off, const void *buf, size_t len)
{
	(void)d;
	(void)buf;
	ke_preempt_point(KE_PP_REG_ACCESS);
	if (off >= HW_PCI_CONFIG_LEN)
		return 0;
	return len > HW_PCI_CONFIG_LEN - off ? HW_PCI_CONFIG_LEN - off : len; /* all read-only */
}

static void tdev_resources(struct hw_device *d, struct hw_resources *out)
{
	*out = to_tdev(d)->res;
}

static int tdev_msix_program(struct hw_device *d, unsigned m, uint64_t addr, uint32_t data)
{
	struct tdev *t = to_tdev(d);

	if (m >= t->nr_msgs)
		return -EINVAL;
	atomic_store(&t->msix[m].addr, addr);
	atomic_store(&t->msix[m].data, data);
	return 0;
}

static int tdev_msix_mask(struct hw_device *d, unsigned m, bool masked)
{
	struct tdev *t = to_tdev(d);

	if (m >= t->nr_msgs)
		return -EINVAL;
	atomic_store(&t->msix[m].masked, masked);
	flush_pba(t);
	return 0;
}

static void tdev_msix_enable(struct hw_device *d, bool enabled)
{
	struct tdev *t = to_tdev(d);

	atomic_store(&t->msix_enabled, enabled);
	update_line(t);
	flush_pba(t);
}

static void tdev_msix_function_mask(struct hw_device *d, bool masked)
{
	struct tdev *t = to_tdev(d);

	atomic_store(&t->fmask, masked);
	flush_pba(t);
}

static void tdev_set_sink(struct hw_device *d, struct hw_irq_sink sink)
{
	struct tdev *t = to_tdev(d);

	atomic_store(&t->sink_ctx, sink.ctx);
	atomic_store(&t->sink_ops, sink.ops);
	atomic_store(&t->line_out, false);
	update_line(t);
}

static bool tdev_line_asserted(struct hw_device *d)
{
	return atomic_load(&to_tdev(d)->line_out);
}

static void tdev_reset(struct hw_device *d)
{
	struct tdev *t = to_tdev(d);

	atomic_store(&t->cause, 0);
	update_line(t);
}

static int tdev_fault(struct hw_device *d, enum hw_fault f, uint64_t arg)
{
	struct tdev *t = to_tdev(d);

	switch (f) {
	case HW_FAULT_SPURIOUS_IRQ: /* a message with no cause */
		if (arg >= t->nr_msgs)
			return -EINVAL;
		if (atomic_load(&t->msix_enabled))
			send_msg(t, (unsigned)arg);
		return 0;
	case HW_FAULT_STUCK_LINE:
		atomic_store(&t->stuck, arg != 0);
		update_line(t);
		return 0;
	case HW_FAULT_DROP_MSG:
		if (arg >= t->nr_msgs)
			return -EINVAL;
		atomic_fetch_or(&t->drop_next, 1u << arg);
		return 0;
	case HW_FAULT_SURPRISE_REMOVE:
		atomic_store(&t->removed, true);
		update_line(t);
		return 0;
	default:
		return -EOPNOTSUPP; /* no link, no DMA */
	}
}

#define M8(a) #a ".0", #a ".1", #a ".2", #a ".3", #a ".4", #a ".5", #a ".6", #a ".7"

static const char *const tdev_stat_names[] = {
    M8(raised),	     M8(isr_acks),	M8(dpcs),	M8(msgs_sent),
    M8(msgs_pended), "line_assertions", "bad_accesses", "dropped",
};

#define NR_STATS (sizeof(tdev_stat_names) / sizeof(tdev_stat_names[0]))
_Static_assert(TDEV_MAX_MSGS == 8, "M8 names 8 messages");

static size_t tdev_stats(struct hw_device *d, struct hw_stat *out, size_t cap)
{
	struct tdev *t = to_tdev(d);
	atomic_ulong *arrays[] = {t->raised, t->isr_acks, t->dpcs, t->msgs_sent, t->msgs_pended};
	uint64_t v[NR_STATS];
	size_t i = 0;

	for (size_t a = 0; a < sizeof(arrays) / sizeof(arrays[0]); a++)
		for (unsigned m = 0; m < TDEV_MAX_MSGS; m++)
			v[i++] = atomic_load(&arrays[a][m]);
	v[i++] = atomic_load(&t->line_assertions);
	v[i++] = atomic_load(&t->bad_accesses);
	v[i++] = atomic_load(&t->dropped);
	for (i = 0; i < NR_STATS && i < cap; i++)
		out[i] = (struct hw_stat){tdev_stat_names[i], v[i]};
	return NR_STATS;
}

static void tdev_destroy(struct hw_device *d)
{
	struct tdev *t = to_tdev(d);
	const struct hw_irq_sink_ops *ops = atomic_load(&t->sink_ops);

	if (ops && atomic_load(&t->line_out))
		ops->line_set(atomic_load(&t->sink_ctx), false);
	free(t);
}

static const struct hw_device_ops tdev_ops = {
    .bar_read = tdev_bar_read,
    .bar_write = tdev_bar_write,
    .config_read = tdev_config_read,
    .config_write = tdev_config_write,
    .resources = tdev_resources,
    .msix_program = tdev_msix_program,
    .msix_mask = tdev_msix_mask,
    .msix_enable = tdev_msix_enable,
    .msix_function_mask = tdev_msix_function_mask,
    .set_sink = tdev_set_sink,
    .line_asserted = tdev_line_asserted,
    .wire_attach = NULL, /* no port */
    .reset = tdev_reset,
    .fault = tdev_fault,
    .stats = tdev_stats,
    .destroy = tdev_destroy,
};

static struct hw_device *tdev_create(const struct hw_device_params *p, char *err, size_t errlen)
{
	static const struct hw_pci_id id = {
	    .vendor = TDEV_VENDOR,
	    .device = TDEV_DEVICE,
	    .subsys_vendor = TDEV_VENDOR,
	    .subsys_device = TDEV_DEVICE,
	    .revision = 1,
	    .class_code = 0xFF,
	};
	unsigned nr = p->irq_kind == HW_IRQ_MSIX ? (p->nr_msgs ? p->nr_msgs : TDEV_MAX_MSGS) : 1;
	struct tdev *t;

	if (nr > TDEV_MAX_MSGS || p->irq_kind > HW_IRQ_MSIX) {
		snprintf(err, errlen, "tdev: %u messages asked for, it has 1..%u", nr,
			 TDEV_MAX_MSGS);
		return NULL;
	}
	if (p->options && *p->options) {
		snprintf(err, errlen, "tdev: no options (got '%s')", p->options);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "tdev: out of memory");
		return NULL;
	}
	hw_device_init(&t->base, &tdev_ops, &id);
	t->nr_msgs = nr;
	t->res.bar[0] = (struct hw_bar){HW_BAR_MEM, p->mem_base, TDEV_BAR0_LEN};
	t->res.irq_kind = p->irq_kind;
	t->res.has_line = true;
	t->res.line_vector = p->line_vector;
	t->res.message_count = p->irq_kind == HW_IRQ_LINE ? 0 : nr;
	for (unsigned m = 0; m < TDEV_MAX_MSGS; m++)
		atomic_store(&t->msix[m].masked, true);
	atomic_store(&t->sink_ctx, p->sink.ctx);
	atomic_store(&t->sink_ops, p->sink.ops);
	return &t->base;
}

const struct hw_device_model tdev_model = {
    .name = "tdev",
    .summary = "test device: one cause bit per MSI-X message (tests/host/tdev.h)",
    .create = tdev_create,
};
