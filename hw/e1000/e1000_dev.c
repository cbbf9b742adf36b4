/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_dev.c - the 82540EM behind the device seam (hw/device.h):
 * model "e1000" in the registry and its struct hw_device_ops.
 *
 * BARs as the PCI configuration space shows them (SDM 4.1): BAR 0 the memory
 * registers (128 KiB), BAR 1 the flash window (no flash fitted: not
 * implemented), BAR 2 the I/O window (IOADDR/IODATA). Interrupt: INTA#
 * only; the 82540EM has neither MSI nor MSI-X.
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define E1000_BAR_MEM 0u
#define E1000_BAR_IO 2u

static struct e1000 *to_e1000(struct hw_device *d)
{
	return (struct e1000 *)((char *)d - offsetof(struct e1000, base));
}

static uint64_t e1000_dev_bar_read(struct hw_device *d, unsigned bar, uint32_t off, unsigned width)
{
	struct e1000 *dev = to_e1000(d);

	if (bar == E1000_BAR_MEM) {
		switch (width) {
		case 1:
			return e1000_mmio_read8(dev, off);
		case 2:
			return e1000_mmio_read16(dev, off);
		case 4:
			return e1000_mmio_read32(dev, off);
		}
	} else if (bar == E1000_BAR_IO) {
		switch (width) {
		case 1:
			return e1000_io_read8(dev, off);
		case 2:
			return e1000_io_read16(dev, off);
		case 4:
			return e1000_io_read32(dev, off);
		}
	}
	return ~0ull; /* nothing decodes it */
}

static void e1000_dev_bar_write(struct hw_device *d, unsigned bar, uint32_t off, unsigned width,
				uint64_t v)
{
	struct e1000 *dev = to_e1000(d);

	if (bar == E1000_BAR_MEM) {
		switch (width) {
		case 1:
			e1000_mmio_write8(dev, off, (uint8_t)v);
			return;
		case 2:
			e1000_mmio_write16(dev, off, (uint16_t)v);
			return;
		case 4:
			e1000_mmio_write32(dev, off, (uint32_t)v);
			return;
		}
	} else if (bar == E1000_BAR_IO) {
		switch (width) {
		case 1:
			e1000_io_write8(dev, off, (uint8_t)v);
			return;
		case 2:
			e1000_io_write16(dev, off, (uint16_t)v);
			return;
		case 4:
			e1000_io_write32(dev, off, (uint32_t)v);
			return;
		}
	}
}

static size_t e1000_dev_config_read(struct hw_device *d, uint32_t off, void *buf, size_t len)
{
	return e1000_pci_config_read(to_e1000(d), off, buf, len);
}

static size_t e1000_dev_config_write(struct hw_device *d, uint32_t off, const void *buf, size_t len)
{
	return e1000_pci_config_write(to_e1000(d), off, buf, len);
}

static void e1000_dev_resources(struct hw_device *d, struct hw_resources *out)
{
	struct e1000_resources r;

	e1000_resources(to_e1000(d), &r);
	memset(out, 0, sizeof(*out));
	out->bar[E1000_BAR_MEM] = (struct hw_bar){HW_BAR_MEM, r.bar0_addr, r.bar0_len};
	out->bar[E1000_BAR_IO] = (struct hw_bar){HW_BAR_PORT, r.io_port, r.io_len};
	out->irq_kind = HW_IRQ_LINE;
	out->has_line = true;
	out->line_vector = r.line_vector;
}

static void e1000_dev_set_sink(struct hw_device *d, struct hw_irq_sink sink)
{
	e1000_set_sink(to_e1000(d), sink);
}

static bool e1000_dev_line_asserted(struct hw_device *d)
{
	return e1000_line_asserted(to_e1000(d));
}

static void e1000_dev_wire_attach(struct hw_device *d, struct wire *w, unsigned end)
{
	e1000_wire_attach(to_e1000(d), w, end);
}

static void e1000_dev_reset(struct hw_device *d)
{
	e1000_reset(to_e1000(d));
}

static int e1000_dev_fault(struct hw_device *d, enum hw_fault f, uint64_t arg)
{
	struct e1000 *dev = to_e1000(d);

	switch (f) {
	case HW_FAULT_LINK:
		if (arg > 1)
			return -EINVAL;
		e1000_host_set_link(dev, arg != 0);
		return 0;
	case HW_FAULT_SPURIOUS_IRQ:
		if (arg != 0)
			return -EINVAL; /* one line, no messages */
		e1000_host_inject_spurious(dev);
		return 0;
	case HW_FAULT_STUCK_LINE:
		if (arg > 1)
			return -EINVAL;
		e1000_host_set_stuck_line(dev, arg != 0);
		return 0;
	case HW_FAULT_DMA_ERROR:
		if (arg)
			return -EINVAL; /* takes no argument */
		e1000_host_dma_fault_next(dev);
		return 0;
	case HW_FAULT_SURPRISE_REMOVE:
		if (arg)
			return -EINVAL; /* takes no argument */
		e1000_host_surprise_remove(dev);
		return 0;
	case HW_FAULT_DMA_WRITEBACK_DELAY:
		return e1000_host_wb_delay(dev, arg);
	case HW_FAULT_DROP_MSG: /* no message interrupts */
	default:
		return -EOPNOTSUPP;
	}
}

/* clang-format off: one statistic a line */
#define E1000_STATS_LIST(X)     \
	X(rx_offered)           \
	X(rx_accepted)          \
	X(rx_removed)           \
	X(rx_disabled)          \
	X(rx_link_down)         \
	X(rx_filtered)          \
	X(rx_bad_length)        \
	X(rx_missed)            \
	X(rx_dma_fault)         \
	X(tx_sent)              \
	X(tx_link_down)         \
	X(tx_no_wire)           \
	X(tx_bad_desc)          \
	X(tx_dma_fault)         \
	X(line_assertions)      \
	X(itr_throttled)        \
	X(inj_link_changes)     \
	X(inj_spurious)         \
	X(inj_stuck_line)       \
	X(inj_surprise_removal) \
	X(inj_dma_fault)        \
	X(dma_faults_injected)  \
	X(inj_wb_delay)         \
	X(wb_delayed)           \
	X(bad_accesses)         \
	X(eeprom_reads)         \
	X(mdic_ops)             \
	X(resets)
/* clang-format on */

#define STAT_NAME(f) #f,
/* tx_dropped (the seam's convention for frame conservation) is derived. */
static const char *const e1000_stat_names[] = {E1000_STATS_LIST(STAT_NAME) "tx_dropped"};
#define NR_STATS (sizeof(e1000_stat_names) / sizeof(e1000_stat_names[0]))

static size_t e1000_dev_stats(struct hw_device *d, struct hw_stat *out, size_t cap)
{
	struct e1000_stats s;
	uint64_t v[NR_STATS];
	size_t i = 0;

	e1000_get_stats(to_e1000(d), &s);
#define STAT_VALUE(f) v[i++] = s.f;
	E1000_STATS_LIST(STAT_VALUE)
#undef STAT_VALUE
	v[i++] = s.tx_link_down + s.tx_no_wire +
		 s.tx_bad_desc; /* not tx_dma_fault: failed to the driver */
	return hw_stats_fill(out, cap, e1000_stat_names, v, NR_STATS);
}

static void e1000_dev_destroy(struct hw_device *d)
{
	e1000_free(to_e1000(d));
}

/*
 * SDM 13.4.17 - 13.4.21: ICR is read-to-clear, ICS and IMS are W1S, IMC
 * clears IMS bits (the registers are 32-bit).
 */
static unsigned e1000_dev_reg_attr(struct hw_device *d, unsigned bar, uint32_t off, unsigned width)
{
	(void)d;
	if (bar != E1000_BAR_MEM)
		return 0;
	for (uint32_t reg = E1000_ICR; reg <= E1000_IMC; reg += 8)
		if (off < reg + 4 && reg < off + width)
			return reg == E1000_ICR	  ? HW_REG_READ_CLEARS
			       : reg == E1000_IMC ? HW_REG_W1C
						  : HW_REG_W1S;
	return 0;
}

static const struct hw_device_ops e1000_dev_ops = {
    .bar_read = e1000_dev_bar_read,
    .bar_write = e1000_dev_bar_write,
    .config_read = e1000_dev_config_read,
    .config_write = e1000_dev_config_write,
    .resources = e1000_dev_resources,
    .set_sink = e1000_dev_set_sink,
    .line_asserted = e1000_dev_line_asserted,
    .wire_attach = e1000_dev_wire_attach,
    .reset = e1000_dev_reset,
    .fault = e1000_dev_fault,
    .stats = e1000_dev_stats,
    .destroy = e1000_dev_destroy,
    .reg_attr = e1000_dev_reg_attr,
};

extern const struct hw_device_model hw_model_e1000;

void e1000_device_init(struct e1000 *dev)
{
	static const struct hw_pci_id id = {
	    .vendor = E1000_PCI_VENDOR,
	    .device = E1000_PCI_DEVICE,
	    .subsys_vendor = E1000_PCI_VENDOR,
	    .subsys_device = E1000_PCI_SUBSYS,
	    .revision = E1000_PCI_REVISION,
	    .class_code = 0x02,
	};

	hw_device_init(&dev->base, &e1000_dev_ops, &id);
	dev->base.model = &hw_model_e1000;
}

struct hw_device *e1000_device(struct e1000 *dev)
{
	return &dev->base;
}

struct e1000 *e1000_from_device(struct hw_device *d)
{
	return d && d->ops == &e1000_dev_ops ? to_e1000(d) : NULL;
}

/* ------------------------------------------------------ model "e1000" */

/* The one option: "speed=10|100|1000" (what the link partner negotiates). */
static int e1000_option(void *ctx, const char *item)
{
	struct e1000_config *c = ctx;

	if (strcmp(item, "speed=10") == 0)
		c->speed_mbps = 10;
	else if (strcmp(item, "speed=100") == 0)
		c->speed_mbps = 100;
	else if (strcmp(item, "speed=1000") == 0)
		c->speed_mbps = 1000;
	else
		return -1;
	return 0;
}

static struct hw_device *e1000_model_create(const struct hw_device_params *p, char *err,
					    size_t errlen)
{
	static const struct hw_param_limits lim = {
	    .model = "e1000",
	    .part = "the 82540EM",
	    .max_queues = 1,
	};
	struct e1000_config c = {0};
	struct e1000 *dev;

	if (hw_params_check(p, &lim, NULL, err, errlen) ||
	    hw_options_parse(p->options, "e1000", "speed=10|100|1000", e1000_option, &c, err,
			     errlen))
		return NULL;
	c.machine = p->machine;
	c.dma = p->dma;
	c.sink = p->sink;
	memcpy(c.mac, p->mac, 6);
	c.bar0_addr = p->mem_base;
	c.io_port = p->port_base;
	c.intx_vector = p->line_vector;
	c.link_down = p->link_down;
	dev = e1000_create(&c);
	if (!dev) {
		snprintf(err, errlen, "e1000: cannot create the device: %s", strerror(errno));
		return NULL;
	}
	return &dev->base;
}

const struct hw_device_model hw_model_e1000 = {
    .name = "e1000",
    .summary = "Intel 82540EM gigabit controller: one RX/TX ring pair, INTx, ITR "
	       "(docs/devices/e1000.md)",
    .create = e1000_model_create,
    .sample_driver = "e1000",
};
