/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_dev.c - the VN-1 behind the device seam (hw/device.h): the model
 * "vn1" in the registry, and its struct hw_device_ops.
 *
 * BAR 0 is the register window (memory), BAR 1 the PIO window (ports);
 * every op forwards to the VN-1's own entry points (hw/vn1.h), which keep
 * their locking and signal-safety contract.
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"
#include "hw/device.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct vn1 *to_vn1(struct hw_device *d)
{
	return (struct vn1 *)((char *)d - offsetof(struct vn1, base));
}

static uint64_t vn1_dev_bar_read(struct hw_device *d, unsigned bar, uint32_t off, unsigned width)
{
	struct vn1 *dev = to_vn1(d);

	if (bar == 0) {
		switch (width) {
		case 1:
			return vn1_mmio_read8(dev, off);
		case 2:
			return vn1_mmio_read16(dev, off);
		case 4:
			return vn1_mmio_read32(dev, off);
		}
	} else if (bar == 1) {
		switch (width) {
		case 1:
			return vn1_pio_read8(dev, off);
		case 2:
			return vn1_pio_read16(dev, off);
		case 4:
			return vn1_pio_read32(dev, off);
		}
	}
	return ~0ull; /* no such BAR or width: nothing decodes it */
}

static void vn1_dev_bar_write(struct hw_device *d, unsigned bar, uint32_t off, unsigned width,
			      uint64_t v)
{
	struct vn1 *dev = to_vn1(d);

	if (bar == 0) {
		switch (width) {
		case 1:
			vn1_mmio_write8(dev, off, (uint8_t)v);
			return;
		case 2:
			vn1_mmio_write16(dev, off, (uint16_t)v);
			return;
		case 4:
			vn1_mmio_write32(dev, off, (uint32_t)v);
			return;
		}
	} else if (bar == 1) {
		switch (width) {
		case 1:
			vn1_pio_write8(dev, off, (uint8_t)v);
			return;
		case 2:
			vn1_pio_write16(dev, off, (uint16_t)v);
			return;
		case 4:
			vn1_pio_write32(dev, off, (uint32_t)v);
			return;
		}
	}
}

static size_t vn1_dev_config_read(struct hw_device *d, uint32_t off, void *buf, size_t len)
{
	return vn1_pci_config_read(to_vn1(d), off, buf, len);
}

static size_t vn1_dev_config_write(struct hw_device *d, uint32_t off, const void *buf, size_t len)
{
	return vn1_pci_config_write(to_vn1(d), off, buf, len);
}

static void vn1_dev_resources(struct hw_device *d, struct hw_resources *out)
{
	struct vn1_resources r;

	vn1_resources(to_vn1(d), &r);
	memset(out, 0, sizeof(*out));
	out->bar[0] = (struct hw_bar){HW_BAR_MEM, r.bar0_addr, r.bar0_len};
	out->bar[1] = (struct hw_bar){HW_BAR_PORT, r.bar1_port, r.bar1_len};
	out->irq_kind = r.irq_kind == VN1_IRQ_LINE  ? HW_IRQ_LINE
			: r.irq_kind == VN1_IRQ_MSI ? HW_IRQ_MSI
						    : HW_IRQ_MSIX;
	out->has_line = true;
	out->line_vector = r.line_vector;
	out->message_count = r.nr_msgs;
}

static int vn1_dev_msix_program(struct hw_device *d, unsigned msg, uint64_t addr, uint32_t data)
{
	return vn1_msix_program(to_vn1(d), msg, addr, data);
}

static int vn1_dev_msix_mask(struct hw_device *d, unsigned msg, bool masked)
{
	return vn1_msix_set_masked(to_vn1(d), msg, masked);
}

static void vn1_dev_msix_enable(struct hw_device *d, bool enabled)
{
	vn1_msix_set_enabled(to_vn1(d), enabled);
}

static void vn1_dev_msix_function_mask(struct hw_device *d, bool masked)
{
	vn1_msix_set_function_mask(to_vn1(d), masked);
}

static void vn1_dev_set_sink(struct hw_device *d, struct hw_irq_sink sink)
{
	vn1_set_sink(to_vn1(d), sink);
}

static bool vn1_dev_line_asserted(struct hw_device *d)
{
	return vn1_line_asserted(to_vn1(d));
}

static void vn1_dev_wire_attach(struct hw_device *d, struct wire *w, unsigned end)
{
	vn1_wire_attach(to_vn1(d), w, end);
}

static void vn1_dev_reset(struct hw_device *d)
{
	vn1_reset(to_vn1(d));
}

static int vn1_dev_fault(struct hw_device *d, enum hw_fault f, uint64_t arg)
{
	struct vn1 *dev = to_vn1(d);

	switch (f) {
	case HW_FAULT_LINK:
		if (arg > 1)
			return -EINVAL;
		vn1_host_set_link(dev, arg != 0);
		return 0;
	case HW_FAULT_SPURIOUS_IRQ:
		return arg >= VN1_NR_MSGS ? -EINVAL : vn1_host_inject_spurious(dev, (unsigned)arg);
	case HW_FAULT_STUCK_LINE:
		if (arg > 1)
			return -EINVAL;
		vn1_host_set_stuck_line(dev, arg != 0);
		return 0;
	case HW_FAULT_DROP_MSG:
		return arg >= VN1_NR_MSGS ? -EINVAL : vn1_host_drop_next_signal(dev, (unsigned)arg);
	case HW_FAULT_DMA_ERROR:
		if (arg)
			return -EINVAL; /* takes no argument */
		vn1_host_dma_fault_next(dev);
		return 0;
	case HW_FAULT_SURPRISE_REMOVE:
		if (arg)
			return -EINVAL; /* takes no argument */
		vn1_host_surprise_remove(dev);
		return 0;
	case HW_FAULT_DMA_WRITEBACK_DELAY:
		return vn1_host_wb_delay(dev, arg);
	default:
		return -EOPNOTSUPP;
	}
}

/* ------------------------------------------------------------ statistics */

/* clang-format off: one statistic a line */
#define VN1_SCALAR_STATS(X)     \
	X(rx_offered)           \
	X(rx_accepted)          \
	X(rx_removed)           \
	X(rx_disabled)          \
	X(rx_link_down)         \
	X(rx_filtered)          \
	X(rx_bad_length)        \
	X(rx_missed)            \
	X(rx_dma_fault)         \
	X(rx_fifo_full)         \
	X(tx_sent)              \
	X(tx_link_down)         \
	X(tx_no_wire)           \
	X(tx_bad_desc)          \
	X(tx_dma_fault)         \
	X(tx_pio_busy)          \
	X(line_assertions)      \
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
	X(bad_config_writes)    \
	X(msix_table_writes)    \
	X(irq_masked_pending)   \
	X(irq_unmasked)
/* clang-format on */

/* Derived: the conventional network-model totals (hw/device.h). */
#define VN1_DERIVED_STATS(X) X(tx_dropped)

#define VN1_ARRAY_STATS(X) X(msgs_signaled) X(msgs_sent) X(msgs_throttled) X(msgs_pba_pended)

#define M16(a)                                                                                    \
#a ".0", #a ".1", #a ".2", #a ".3", #a ".4", #a ".5", #a ".6", #a ".7", #a ".8", #a ".9", \
	    #a ".10", #a ".11", #a ".12", #a ".13", #a ".14", #a ".15",
#define SCALAR_NAME(f) #f,
#define ARRAY_NAMES(f) M16(f)

static const char *const vn1_stat_names[] = {
    VN1_SCALAR_STATS(SCALAR_NAME) VN1_DERIVED_STATS(SCALAR_NAME) VN1_ARRAY_STATS(ARRAY_NAMES)};

#define NR_STATS (sizeof(vn1_stat_names) / sizeof(vn1_stat_names[0]))
_Static_assert(VN1_NR_MSGS == 16, "M16 names 16 messages");

static size_t vn1_dev_stats(struct hw_device *d, struct hw_stat *out, size_t cap)
{
	struct vn1_stats s;
	uint64_t v[NR_STATS];
	size_t i = 0;

	vn1_get_stats(to_vn1(d), &s);
#define SCALAR_VALUE(f) v[i++] = s.f;
#define ARRAY_VALUES(f)                            \
	for (unsigned m = 0; m < VN1_NR_MSGS; m++) \
		v[i++] = s.f[m];
	VN1_SCALAR_STATS(SCALAR_VALUE)
	/* tx_dropped; not tx_dma_fault (no DD: the driver fails those) */
	v[i++] = s.tx_link_down + s.tx_no_wire + s.tx_bad_desc;
	VN1_ARRAY_STATS(ARRAY_VALUES)
#undef SCALAR_VALUE
#undef ARRAY_VALUES
	return hw_stats_fill(out, cap, vn1_stat_names, v, NR_STATS);
}

static void vn1_dev_destroy(struct hw_device *d)
{
	vn1_free(to_vn1(d));
}

/* An access of @width at @off covers register @reg (32-bit registers; PIO_ISR is 16). */
static bool covers(uint32_t off, unsigned width, uint32_t reg, unsigned reg_len)
{
	return off < reg + reg_len && reg < off + width;
}

/*
 * Datasheet §3, §4, §7: ICR is read-to-clear on the line (IMODE 0) and W1C
 * in the message modes; ICS and IMS are W1S, IMC clears IMS; PIO_ISR is
 * read-to-clear (TX, LSC, RXO). IMODE is read without the device lock: a
 * driver changes it only while every cause is masked.
 */
static unsigned vn1_dev_reg_attr(struct hw_device *d, unsigned bar, uint32_t off, unsigned width)
{
	struct vn1 *dev = to_vn1(d);

	if (bar == 1)
		return covers(off, width, VN1_PIO_ISR, 2) ? HW_REG_READ_CLEARS : 0;
	if (bar != 0)
		return 0;
	if (covers(off, width, VN1_ICR, 4))
		return __atomic_load_n(&dev->imode, __ATOMIC_RELAXED) == VN1_IMODE_LINE
			   ? HW_REG_READ_CLEARS
			   : HW_REG_W1C;
	if (covers(off, width, VN1_ICS, 4) || covers(off, width, VN1_IMS, 4))
		return HW_REG_W1S;
	if (covers(off, width, VN1_IMC, 4))
		return HW_REG_W1C;
	return 0;
}

static const struct hw_device_ops vn1_dev_ops = {
    .bar_read = vn1_dev_bar_read,
    .bar_write = vn1_dev_bar_write,
    .config_read = vn1_dev_config_read,
    .config_write = vn1_dev_config_write,
    .resources = vn1_dev_resources,
    .msix_program = vn1_dev_msix_program,
    .msix_mask = vn1_dev_msix_mask,
    .msix_enable = vn1_dev_msix_enable,
    .msix_function_mask = vn1_dev_msix_function_mask,
    .set_sink = vn1_dev_set_sink,
    .line_asserted = vn1_dev_line_asserted,
    .wire_attach = vn1_dev_wire_attach,
    .reset = vn1_dev_reset,
    .fault = vn1_dev_fault,
    .stats = vn1_dev_stats,
    .destroy = vn1_dev_destroy,
    .reg_attr = vn1_dev_reg_attr,
};

void vn1_device_init(struct vn1 *dev)
{
	static const struct hw_pci_id id = {
	    .vendor = VN1_PCI_VENDOR,
	    .device = VN1_PCI_DEVICE,
	    .subsys_vendor = VN1_PCI_VENDOR,
	    .subsys_device = VN1_PCI_DEVICE,
	    .revision = 0x01,
	    .class_code = 0x02,
	};

	hw_device_init(&dev->base, &vn1_dev_ops, &id);
	dev->base.model = &hw_model_vn1;
}

struct hw_device *vn1_device(struct vn1 *dev)
{
	return &dev->base;
}

struct vn1 *vn1_from_device(struct hw_device *d)
{
	return d && d->ops == &vn1_dev_ops ? to_vn1(d) : NULL;
}

/* ------------------------------------------------------- model "vn1" */

/* "speed=N" (STATUS speed code 0..3) is the one VN-1 option. */
static int vn1_option(void *ctx, const char *item)
{
	struct vn1_config *vc = ctx;
	unsigned speed;
	int used = 0;

	if (sscanf(item, "speed=%1u%n", &speed, &used) != 1 || item[used] || speed > 3)
		return -1;
	vc->speed = (uint8_t)speed;
	vc->speed_set = true;
	return 0;
}

static struct hw_device *vn1_model_create(const struct hw_device_params *p, char *err,
					  size_t errlen)
{
	static const struct hw_param_limits lim = {
	    .model = "vn1",
	    .part = "the VN-1",
	    .msi = true,
	    .msix = true,
	    .max_msgs = VN1_NR_MSGS,
	    .max_queues = VN1_NR_QUEUES,
	};
	struct vn1_config vc = {0};
	struct vn1 *dev;

	if (hw_params_check(p, &lim, &vc.nr_msgs, err, errlen) ||
	    hw_options_parse(p->options, "vn1", "speed=0..3", vn1_option, &vc, err, errlen))
		return NULL;
	vc.machine = p->machine;
	vc.dma = p->dma;
	vc.sink = p->sink;
	memcpy(vc.mac, p->mac, 6);
	vc.bar0_addr = p->mem_base;
	vc.bar1_port = p->port_base;
	vc.intx_vector = p->line_vector;
	vc.irq_kind = p->irq_kind == HW_IRQ_LINE  ? VN1_IRQ_LINE
		      : p->irq_kind == HW_IRQ_MSI ? VN1_IRQ_MSI
						  : VN1_IRQ_MSIX;
	vc.link_down = p->link_down;
	dev = vn1_create(&vc);
	if (!dev) {
		snprintf(err, errlen, "vn1: cannot create the device: %s", strerror(errno));
		return NULL;
	}
	return &dev->base;
}

const struct hw_device_model hw_model_vn1 = {
    .name = "vn1",
    .summary = "VN-1, the project's own controller: 8 queue pairs, MSI-X (16), MSI, "
	       "INTx, PIO window (docs/vn1.md)",
    .create = vn1_model_create,
    .sample_driver = "vn1",
};
