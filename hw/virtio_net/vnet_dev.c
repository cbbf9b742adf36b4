/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/vnet_dev.c - the virtio-net model behind the device seam
 * (hw/device.h): model "virtio-net" and its struct hw_device_ops.
 *
 * BAR 0 is the legacy I/O block (absent on a modern-only device), BAR 1 the
 * memory BAR with the modern structures and the MSI-X table; every op
 * forwards to the model's own entry points, which keep their locking and
 * signal-safety contract.
 */
#define NDISRT_HW_VNET_INTERNAL
#include "hw/virtio_net/vnet_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct hw_device_model hw_model_virtio_net;

static struct vnet *to_vnet(struct hw_device *d)
{
	return (struct vnet *)((char *)d - offsetof(struct vnet, base));
}

static uint64_t vnet_dev_bar_read(struct hw_device *d, unsigned bar, uint32_t off, unsigned width)
{
	struct vnet *dev = to_vnet(d);

	if (bar == 0 && !dev->cfg.modern_only) {
		switch (width) {
		case 1:
			return vnet_pio_read8(dev, off);
		case 2:
			return vnet_pio_read16(dev, off);
		case 4:
			return vnet_pio_read32(dev, off);
		}
	} else if (bar == 1) {
		switch (width) {
		case 1:
			return vnet_mmio_read8(dev, off);
		case 2:
			return vnet_mmio_read16(dev, off);
		case 4:
			return vnet_mmio_read32(dev, off);
		}
	}
	return ~0ull; /* nothing decodes it */
}

static void vnet_dev_bar_write(struct hw_device *d, unsigned bar, uint32_t off, unsigned width,
			       uint64_t v)
{
	struct vnet *dev = to_vnet(d);

	if (bar == 0 && !dev->cfg.modern_only) {
		switch (width) {
		case 1:
			vnet_pio_write8(dev, off, (uint8_t)v);
			return;
		case 2:
			vnet_pio_write16(dev, off, (uint16_t)v);
			return;
		case 4:
			vnet_pio_write32(dev, off, (uint32_t)v);
			return;
		}
	} else if (bar == 1) {
		switch (width) {
		case 1:
			vnet_mmio_write8(dev, off, (uint8_t)v);
			return;
		case 2:
			vnet_mmio_write16(dev, off, (uint16_t)v);
			return;
		case 4:
			vnet_mmio_write32(dev, off, (uint32_t)v);
			return;
		}
	}
}

static size_t vnet_dev_config_read(struct hw_device *d, uint32_t off, void *buf, size_t len)
{
	return vnet_pci_config_read(to_vnet(d), off, buf, len);
}

static size_t vnet_dev_config_write(struct hw_device *d, uint32_t off, const void *buf, size_t len)
{
	return vnet_pci_config_write(to_vnet(d), off, buf, len);
}

static void vnet_dev_resources(struct hw_device *d, struct hw_resources *out)
{
	struct vnet_resources r;

	vnet_resources(to_vnet(d), &r);
	memset(out, 0, sizeof(*out));
	if (r.bar0_len)
		out->bar[0] = (struct hw_bar){HW_BAR_PORT, r.bar0_port, r.bar0_len};
	out->bar[1] = (struct hw_bar){HW_BAR_MEM, r.bar1_addr, r.bar1_len};
	out->irq_kind = r.irq_kind == VNET_IRQ_LINE  ? HW_IRQ_LINE
			: r.irq_kind == VNET_IRQ_MSI ? HW_IRQ_MSI
						     : HW_IRQ_MSIX;
	out->has_line = true;
	out->line_vector = r.line_vector;
	out->message_count = r.nr_msgs;
}

static int vnet_dev_msix_program(struct hw_device *d, unsigned msg, uint64_t addr, uint32_t data)
{
	return vnet_msix_program(to_vnet(d), msg, addr, data);
}

static int vnet_dev_msix_mask(struct hw_device *d, unsigned msg, bool masked)
{
	return vnet_msix_set_masked(to_vnet(d), msg, masked);
}

static void vnet_dev_msix_enable(struct hw_device *d, bool enabled)
{
	vnet_msix_set_enabled(to_vnet(d), enabled);
}

static void vnet_dev_msix_function_mask(struct hw_device *d, bool masked)
{
	vnet_msix_set_function_mask(to_vnet(d), masked);
}

static void vnet_dev_set_sink(struct hw_device *d, struct hw_irq_sink sink)
{
	vnet_set_sink(to_vnet(d), sink);
}

static bool vnet_dev_line_asserted(struct hw_device *d)
{
	return vnet_line_asserted(to_vnet(d));
}

static void vnet_dev_wire_attach(struct hw_device *d, struct wire *w, unsigned end)
{
	vnet_wire_attach(to_vnet(d), w, end);
}

static void vnet_dev_reset(struct hw_device *d)
{
	vnet_reset(to_vnet(d));
}

static int vnet_dev_fault(struct hw_device *d, enum hw_fault f, uint64_t arg)
{
	struct vnet *dev = to_vnet(d);

	switch (f) {
	case HW_FAULT_LINK:
		if (arg > 1)
			return -EINVAL;
		vnet_host_set_link(dev, arg != 0);
		return 0;
	case HW_FAULT_SPURIOUS_IRQ:
		return arg >= VNET_NR_VECTORS ? -EINVAL
					      : vnet_host_inject_spurious(dev, (unsigned)arg);
	case HW_FAULT_STUCK_LINE:
		if (arg > 1)
			return -EINVAL;
		vnet_host_set_stuck_line(dev, arg != 0);
		return 0;
	case HW_FAULT_DROP_MSG:
		return arg >= VNET_NR_VECTORS ? -EINVAL
					      : vnet_host_drop_next_signal(dev, (unsigned)arg);
	case HW_FAULT_DMA_ERROR:
		if (arg)
			return -EINVAL; /* takes no argument */
		vnet_host_dma_fault_next(dev);
		return 0;
	case HW_FAULT_SURPRISE_REMOVE:
		if (arg)
			return -EINVAL; /* takes no argument */
		vnet_host_surprise_remove(dev);
		return 0;
	case HW_FAULT_DMA_WRITEBACK_DELAY:
		return vnet_host_wb_delay(dev, arg);
	default:
		return -EOPNOTSUPP;
	}
}

/* ------------------------------------------------------------ statistics */

/* clang-format off: one statistic a line */
#define VNET_SCALAR_STATS(X)    \
	X(rx_offered)           \
	X(rx_accepted)          \
	X(rx_removed)           \
	X(rx_not_ready)         \
	X(rx_link_down)         \
	X(rx_bad_length)        \
	X(rx_no_buffer)         \
	X(rx_device_error)      \
	X(tx_chains)            \
	X(tx_sent)              \
	X(tx_link_down)         \
	X(tx_no_wire)           \
	X(tx_bad)               \
	X(tx_dropped)           \
	X(tx_csum)              \
	X(ctrl_cmds)            \
	X(ctrl_errs)            \
	X(rx_rss_hashed)        \
	X(rx_rss_unclassified)  \
	X(device_errors)        \
	X(features_refused)     \
	X(resets)               \
	X(queue_resets)         \
	X(line_assertions)      \
	X(isr_reads)            \
	X(msgs_no_vector)       \
	X(inj_link_changes)     \
	X(inj_spurious)         \
	X(inj_stuck_line)       \
	X(inj_drop_signal)      \
	X(signals_dropped)      \
	X(inj_surprise_removal) \
	X(inj_dma_fault)        \
	X(dma_faults_injected)  \
	X(inj_wb_delay)         \
	X(wb_delayed)           \
	X(bad_accesses)         \
	X(msix_table_writes)
/* clang-format on */

/* clang-format off: one statistic a line */
#define VNET_ARRAY_STATS(X)   \
	X(rx_queue, 4)        \
	X(driver_notifies, 9) \
	X(used_notifies, 9)   \
	X(used_suppressed, 9) \
	X(msgs_sent, 16)      \
	X(msgs_pba_pended, 16)
/* clang-format on */

#define N4(a) #a ".0", #a ".1", #a ".2", #a ".3",
#define N9(a) N4(a) #a ".4", #a ".5", #a ".6", #a ".7", #a ".8",
#define N16(a) N9(a) #a ".9", #a ".10", #a ".11", #a ".12", #a ".13", #a ".14", #a ".15",
#define SCALAR_NAME(f) #f,
#define ARRAY_NAMES(f, n) N##n(f)

static const char *const vnet_stat_names[] = {VNET_SCALAR_STATS(SCALAR_NAME)
						  VNET_ARRAY_STATS(ARRAY_NAMES)};

#define NR_STATS (sizeof(vnet_stat_names) / sizeof(vnet_stat_names[0]))
_Static_assert(VNET_MAX_PAIRS == 4 && VNET_MAX_QUEUES == 9 && VNET_NR_VECTORS == 16,
	       "the stat name lists follow the array sizes");

static size_t vnet_dev_stats(struct hw_device *d, struct hw_stat *out, size_t cap)
{
	struct vnet_stats s;
	uint64_t v[NR_STATS];
	size_t i = 0;

	vnet_get_stats(to_vnet(d), &s);
#define SCALAR_VALUE(f) v[i++] = s.f;
#define ARRAY_VALUES(f, n)                 \
	for (unsigned k = 0; k < (n); k++) \
		v[i++] = s.f[k];
	VNET_SCALAR_STATS(SCALAR_VALUE)
	VNET_ARRAY_STATS(ARRAY_VALUES)
#undef SCALAR_VALUE
#undef ARRAY_VALUES
	return hw_stats_fill(out, cap, vnet_stat_names, v, NR_STATS);
}

static void vnet_dev_destroy(struct hw_device *d)
{
	vnet_free(to_vnet(d));
}

static const struct hw_device_ops vnet_dev_ops = {
    .bar_read = vnet_dev_bar_read,
    .bar_write = vnet_dev_bar_write,
    .config_read = vnet_dev_config_read,
    .config_write = vnet_dev_config_write,
    .resources = vnet_dev_resources,
    .msix_program = vnet_dev_msix_program,
    .msix_mask = vnet_dev_msix_mask,
    .msix_enable = vnet_dev_msix_enable,
    .msix_function_mask = vnet_dev_msix_function_mask,
    .set_sink = vnet_dev_set_sink,
    .line_asserted = vnet_dev_line_asserted,
    .wire_attach = vnet_dev_wire_attach,
    .reset = vnet_dev_reset,
    .fault = vnet_dev_fault,
    .stats = vnet_dev_stats,
    .destroy = vnet_dev_destroy,
};

void vnet_device_init(struct vnet *dev)
{
	struct hw_pci_id id = {
	    .vendor = VIRTIO_PCI_VENDOR,
	    .device = dev->cfg.modern_only ? VIRTIO_PCI_DEVICE_NET_MODERN
					   : VIRTIO_PCI_DEVICE_NET_TRANSITIONAL,
	    .subsys_vendor = VIRTIO_PCI_VENDOR,
	    .subsys_device = dev->cfg.modern_only ? 0x0040 : VIRTIO_ID_NET,
	    .revision = dev->cfg.modern_only ? 1 : 0,
	    .class_code = 0x02,
	};

	hw_device_init(&dev->base, &vnet_dev_ops, &id);
	dev->base.model = &hw_model_virtio_net;
}

struct hw_device *vnet_device(struct vnet *dev)
{
	return &dev->base;
}

struct vnet *vnet_from_device(struct hw_device *d)
{
	return d && d->ops == &vnet_dev_ops ? to_vnet(d) : NULL;
}

/* ------------------------------------------------ model "virtio-net" */

/*
 * Options: "modern" (1AF4:1041, no legacy BAR), "qsize=N" (power of two
 * 2..256), "features=0xHEX" (the offered subset of what the model supports).
 */
static int vnet_option(void *ctx, const char *item)
{
	struct vnet_config *vc = ctx;
	unsigned long long x;
	int used = 0;

	if (strcmp(item, "modern") == 0) {
		vc->modern_only = true;
	} else if (sscanf(item, "qsize=%llu%n", &x, &used) == 1 && !item[used] && x >= 2 &&
		   x <= VNET_QUEUE_SIZE_MAX && !(x & (x - 1))) {
		vc->queue_size = (unsigned)x;
	} else if (sscanf(item, "features=%llx%n", &x, &used) == 1 && !item[used] && x &&
		   !(x & ~VNET_FEATURES_SUPPORTED)) {
		vc->features = x;
	} else {
		return -1;
	}
	return 0;
}

static struct hw_device *vnet_model_create(const struct hw_device_params *p, char *err,
					   size_t errlen)
{
	static const struct hw_param_limits lim = {
	    .model = "virtio-net",
	    .part = "the device",
	    .msi = true,
	    .msix = true,
	    .max_msgs = VNET_NR_VECTORS,
	    .max_queues = VNET_MAX_PAIRS,
	};
	struct vnet_config vc = {0};
	struct vnet *dev;
	char known[128];

	snprintf(known, sizeof(known),
		 "modern, qsize=2..256 power of two, features=0xHEX within 0x%" PRIx64,
		 (uint64_t)VNET_FEATURES_SUPPORTED);
	if (hw_params_check(p, &lim, &vc.nr_msgs, err, errlen) ||
	    hw_options_parse(p->options, "virtio-net", known, vnet_option, &vc, err, errlen))
		return NULL;
	vc.machine = p->machine;
	vc.dma = p->dma;
	vc.sink = p->sink;
	memcpy(vc.mac, p->mac, 6);
	vc.bar1_addr = p->mem_base;
	vc.bar0_port = p->port_base;
	vc.intx_vector = p->line_vector;
	vc.irq_kind = p->irq_kind == HW_IRQ_LINE  ? VNET_IRQ_LINE
		      : p->irq_kind == HW_IRQ_MSI ? VNET_IRQ_MSI
						  : VNET_IRQ_MSIX;
	vc.max_pairs = p->nr_queues;
	vc.link_down = p->link_down;
	dev = vnet_create(&vc);
	if (!dev) {
		snprintf(err, errlen, "virtio-net: cannot create the device: %s", strerror(errno));
		return NULL;
	}
	return &dev->base;
}

const struct hw_device_model hw_model_virtio_net = {
    .name = "virtio-net",
    .summary = "virtio-net (OASIS virtio 1.x): transitional 1AF4:1000 (legacy I/O + modern "
	       "BAR), split virtqueues, up to 4 queue pairs, MSI-X (16), INTx "
	       "(docs/devices/virtio-net.md)",
    .create = vnet_model_create,
    .sample_driver = "virtio_net",
};
