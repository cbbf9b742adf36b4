/* SPDX-License-Identifier: MIT */
/*
 * hw/rtl8139/rtl8139_dev.c - the RTL8139C behind the device seam
 * (hw/device.h): model "rtl8139". BAR0 is the I/O window and BAR1 the
 * memory window onto the same 256 registers; INTA# only.
 */
#define NDISRT_HW_RTL8139_INTERNAL
#include "hw/rtl8139/rtl8139_internal.h"

#include <string.h>

static struct rtl8139 *to_rtl(struct hw_device *d)
{
	return (struct rtl8139 *)d;
}

static uint64_t rtl_dev_bar_read(struct hw_device *d, unsigned bar, uint32_t off, unsigned width)
{
	if (bar != RTL8139_BAR_IO && bar != RTL8139_BAR_MEM)
		return ~0ull; /* nothing decodes it */
	return rtl8139_reg_read(to_rtl(d), off, width);
}

static void rtl_dev_bar_write(struct hw_device *d, unsigned bar, uint32_t off, unsigned width,
			      uint64_t v)
{
	if (bar == RTL8139_BAR_IO || bar == RTL8139_BAR_MEM)
		rtl8139_reg_write(to_rtl(d), off, width, (uint32_t)v);
}

static size_t rtl_dev_config_read(struct hw_device *d, uint32_t off, void *buf, size_t len)
{
	return rtl8139_config_read(to_rtl(d), off, buf, len);
}

static size_t rtl_dev_config_write(struct hw_device *d, uint32_t off, const void *buf, size_t len)
{
	return rtl8139_config_write(to_rtl(d), off, buf, len);
}

static void rtl_dev_resources(struct hw_device *d, struct hw_resources *out)
{
	struct rtl8139 *r = to_rtl(d);

	memset(out, 0, sizeof(*out));
	out->bar[RTL8139_BAR_IO] = (struct hw_bar){HW_BAR_PORT, r->port_base, RTL8139_REGS_LEN};
	out->bar[RTL8139_BAR_MEM] = (struct hw_bar){HW_BAR_MEM, r->mem_base, RTL8139_REGS_LEN};
	out->irq_kind = HW_IRQ_LINE;
	out->has_line = true;
	out->line_vector = r->line_vector;
	out->dma_address_bits = 32; /* RBSTART, TSAD0-3 */
}

static void rtl_dev_set_sink(struct hw_device *d, struct hw_irq_sink sink)
{
	rtl8139_set_sink(to_rtl(d), sink);
}

static bool rtl_dev_line_asserted(struct hw_device *d)
{
	return rtl8139_line_asserted(to_rtl(d));
}

static void rtl_dev_wire_attach(struct hw_device *d, struct wire *w, unsigned end)
{
	rtl8139_wire_attach(to_rtl(d), w, end);
}

static void rtl_dev_reset(struct hw_device *d)
{
	struct rtl8139 *r = to_rtl(d);
	ke_irql_t old = rtl_lock(r);

	rtl8139_power_reset_locked(r);
	rtl_unlock(r, old);
}

static int rtl_dev_fault(struct hw_device *d, enum hw_fault f, uint64_t arg)
{
	return rtl8139_fault(to_rtl(d), f, arg);
}

#define RTL_STATS_LIST(X)       \
	X(rx_offered)           \
	X(rx_accepted)          \
	X(rx_removed)           \
	X(rx_disabled)          \
	X(rx_filtered)          \
	X(rx_bad_length)        \
	X(rx_overflow)          \
	X(rx_dma_fault)         \
	X(tx_sent)              \
	X(tx_link_down)         \
	X(tx_no_wire)           \
	X(tx_bad_size)          \
	X(tx_dma_fault)         \
	X(line_assertions)      \
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
	X(resets)

#define STAT_NAME(f) #f,
/* tx_dropped (the seam's convention for frame conservation) is derived. */
static const char *const rtl_stat_names[] = {RTL_STATS_LIST(STAT_NAME) "tx_dropped"};
#define NR_STATS (sizeof(rtl_stat_names) / sizeof(rtl_stat_names[0]))

static size_t rtl_dev_stats(struct hw_device *d, struct hw_stat *out, size_t cap)
{
	struct rtl8139_stats s;
	uint64_t v[NR_STATS];
	size_t i = 0;

	rtl8139_get_stats(to_rtl(d), &s);
#define STAT_VALUE(f) v[i++] = s.f;
	RTL_STATS_LIST(STAT_VALUE)
#undef STAT_VALUE
	/* Completed as sent but not on the wire. An abort (TABT: a bad size,
	 * a DMA fault) is completed to the driver as failed, so not here. */
	v[i++] = s.tx_link_down + s.tx_no_wire;
	return hw_stats_fill(out, cap, rtl_stat_names, v, NR_STATS);
}

static void rtl_dev_destroy(struct hw_device *d)
{
	rtl8139_free(to_rtl(d));
}

static const struct hw_device_ops rtl_dev_ops = {
    .bar_read = rtl_dev_bar_read,
    .bar_write = rtl_dev_bar_write,
    .config_read = rtl_dev_config_read,
    .config_write = rtl_dev_config_write,
    .resources = rtl_dev_resources,
    .set_sink = rtl_dev_set_sink,
    .line_asserted = rtl_dev_line_asserted,
    .wire_attach = rtl_dev_wire_attach,
    .reset = rtl_dev_reset,
    .fault = rtl_dev_fault,
    .stats = rtl_dev_stats,
    .destroy = rtl_dev_destroy,
};

static struct hw_device *rtl_model_create(const struct hw_device_params *p, char *err,
					  size_t errlen)
{
	static const struct hw_pci_id id = {
	    .vendor = RTL8139_PCI_VENDOR,
	    .device = RTL8139_PCI_DEVICE,
	    .subsys_vendor = RTL8139_PCI_VENDOR,
	    .subsys_device = RTL8139_PCI_DEVICE,
	    .revision = RTL8139_PCI_REVISION,
	    .class_code = 0x02,
	};
	struct rtl8139 *r = rtl8139_create(p, err, errlen);

	if (!r)
		return NULL;
	/* hw_device_init() clears the base: keep the lock and state after it */
	r->base.ops = &rtl_dev_ops;
	r->base.id = id;
	return &r->base;
}

const struct hw_device_model hw_model_rtl8139 = {
    .name = "rtl8139",
    .summary = "Realtek RTL8139C fast Ethernet: receive ring buffer, 4 transmit descriptors, "
	       "INTx (docs/devices/rtl8139.md)",
    .create = rtl_model_create,
    .sample_driver = "rtl8139",
};
