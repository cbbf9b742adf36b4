/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1.c - VN-1 life cycle, reset, host controls and statistics.
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int vn1_wire_rx(void *ctx, const void *frame, size_t len)
{
	return vn1_receive(ctx, frame, len);
}

static bool vn1_config_valid(const struct vn1_config *cfg)
{
	if (!cfg->machine || !cfg->dma || cfg->irq_kind > VN1_IRQ_MSIX)
		return false;
	if (cfg->irq_kind == VN1_IRQ_MSIX && (cfg->nr_msgs < 1 || cfg->nr_msgs > VN1_NR_MSGS))
		return false;
	return !(cfg->speed_set && cfg->speed > 3);
}

struct vn1 *vn1_create(const struct vn1_config *cfg)
{
	struct vn1 *dev;

	if (!cfg || !vn1_config_valid(cfg)) {
		errno = EINVAL;
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	vn1_device_init(dev);
	ke_spin_init(&dev->lock);
	dev->cfg = *cfg;
	if (!dev->cfg.speed_set)
		dev->cfg.speed = 3;
	dev->sink = cfg->sink;
	dev->base.sink = cfg->sink;
	dev->link_up = !cfg->link_down;
	/* The host's PnP has enabled decoding and bus mastering, as an OS does
	 * before it starts a driver. */
	dev->pci_command = VN1_PCI_CMD_IO | VN1_PCI_CMD_MEM | VN1_PCI_CMD_MASTER;
	for (unsigned m = 0; m < VN1_NR_MSGS; m++)
		dev->msix[m].ctrl = VN1_MSIX_ENTRY_MASKED;
	vn1_irq_init(dev);
	vn1_reset_locked(dev); /* not shared yet: no lock needed */
	return dev;
}

void vn1_free(struct vn1 *dev)
{
	if (!dev)
		return;
	if (dev->wire)
		wire_attach(dev->wire, dev->wire_end, NULL, NULL);
	/* Cancel waits for a running callback, which takes the device lock:
	 * never called with it held. */
	for (unsigned m = 0; m < VN1_NR_MSGS; m++)
		ke_host_timer_cancel(dev->cfg.machine, &dev->itr_timer[m]);
	ke_host_timer_cancel(dev->cfg.machine, &dev->wb_timer);
	if (dev->sink.ops && dev->line_out)
		dev->sink.ops->line_set(dev->sink.ctx, false);
	free(dev);
}

/*
 * CTRL.RST and power-on: every register to its §2 default. What belongs to
 * the host or the PCI function survives: MAC assignment, link, MSI-X table
 * and capability, PCI Command, injected faults, statistics. Pending ITR
 * timers are not cancelled here (cancel may wait for a callback that needs
 * this lock); they find itr_wait clear and do nothing.
 */
void vn1_reset_locked(struct vn1 *dev)
{
	const uint8_t *mac = dev->cfg.mac;

	dev->ctrl = 0;
	dev->rxfilter = 0;
	dev->mac_lo = (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
		      (uint32_t)mac[3] << 24;
	dev->mac_hi = (uint32_t)mac[4] | (uint32_t)mac[5] << 8;
	dev->mrqc = 0;
	memset(dev->rss_key, 0, sizeof(dev->rss_key));
	memset(dev->reta, 0, sizeof(dev->reta));
	dev->gprc = dev->gptc = dev->mpc = dev->spurious = 0;
	/* Write-backs still delayed belong to rings that are gone: dropped
	 * (the timer finds none); the delay itself is a host fault and stays. */
	dev->wb_head = dev->wb_count = 0;
	for (unsigned q = 0; q < VN1_NR_QUEUES; q++) {
		bool busy = dev->txq[q].busy, rx_busy;
		uint32_t rx_gen;

		vn1_rx_quiesce_locked(dev, q); /* no DMA into the old rings after this */
		rx_busy = dev->rxq[q].busy;
		rx_gen = dev->rxq[q].gen;
		memset(&dev->rxq[q], 0, sizeof(dev->rxq[q]));
		dev->rxq[q].bufsz = 2048;
		/* Likewise a receive copy in flight: it sees gen move and drops. */
		dev->rxq[q].busy = rx_busy;
		dev->rxq[q].gen = rx_gen + 1;
		memset(&dev->txq[q], 0, sizeof(dev->txq[q]));
		/* A transmitter in flight keeps ownership of its staging buffer;
		 * it sees reset_gen change and discards its write-back. */
		dev->txq[q].busy = busy;
	}
	dev->reset_gen++;
	vn1_pio_reset_locked(dev);
	vn1_irq_reset_locked(dev);
}

void vn1_reset(struct vn1 *dev)
{
	ke_irql_t old = vn1_lock(dev);

	vn1_reset_locked(dev);
	vn1_unlock(dev, old);
}

void vn1_resources(const struct vn1 *dev, struct vn1_resources *out)
{
	memset(out, 0, sizeof(*out));
	out->bar0_addr = dev->cfg.bar0_addr;
	out->bar0_len = VN1_BAR0_LEN;
	out->bar1_port = dev->cfg.bar1_port;
	out->bar1_len = VN1_BAR1_LEN;
	out->irq_kind = dev->cfg.irq_kind;
	out->line_vector = dev->cfg.intx_vector;
	if (dev->cfg.irq_kind == VN1_IRQ_MSI)
		out->nr_msgs = 1;
	else if (dev->cfg.irq_kind == VN1_IRQ_MSIX)
		out->nr_msgs = dev->cfg.nr_msgs;
}

void vn1_set_sink(struct vn1 *dev, struct hw_irq_sink sink)
{
	ke_irql_t old = vn1_lock(dev);

	dev->sink = sink;
	dev->base.sink = sink; /* the seam's view (hw_dev_sink()) follows */
	dev->line_out = false;
	vn1_irq_update_locked(dev, 0);
	vn1_unlock(dev, old);
}

void vn1_wire_attach(struct vn1 *dev, struct wire *w, unsigned end)
{
	if (dev->wire)
		wire_attach(dev->wire, dev->wire_end, NULL, NULL);
	dev->wire = w;
	dev->wire_end = end & 1;
	if (w)
		wire_attach(w, dev->wire_end, vn1_wire_rx, dev);
}

void vn1_hooks_install(struct vn1 *dev, const struct vn1_hooks *h)
{
	if (h)
		dev->hooks = *h;
	else
		memset(&dev->hooks, 0, sizeof(dev->hooks));
}

void vn1_get_stats(struct vn1 *dev, struct vn1_stats *out)
{
	ke_irql_t old = vn1_lock(dev);

	*out = dev->st;
	out->irq_masked_pending = dev->removed ? 0 : dev->icr & dev->ims_ever & ~dev->ims;
	out->irq_unmasked = dev->removed ? 0 : dev->ims;
	vn1_unlock(dev, old);
}

bool vn1_line_asserted(struct vn1 *dev)
{
	ke_irql_t old = vn1_lock(dev);
	bool out = dev->line_out;

	vn1_unlock(dev, old);
	return out;
}

/* ------------------------------------------------------ host controls */

void vn1_host_set_link(struct vn1 *dev, bool up)
{
	ke_irql_t old = vn1_lock(dev);

	dev->st.inj_link_changes++;
	if (dev->link_up != up && !dev->removed) {
		dev->link_up = up;
		dev->pio.isr |= VN1_PIO_ISR_LSC;
		vn1_cause_set_locked(dev, VN1_CAUSE_LSC);
	} else {
		dev->link_up = up;
	}
	vn1_unlock(dev, old);
}

/*
 * A spurious interrupt carries no cause: nothing in ICR changes. Line mode
 * pulses INTx; message modes send message @msg exactly as a signal would be
 * delivered (so a masked entry pends it in the PBA), without auto-clear or
 * auto-mask. Counted in SPURIOUS when it leaves the device.
 */
int vn1_host_inject_spurious(struct vn1 *dev, unsigned msg)
{
	ke_irql_t old;

	if (msg >= VN1_NR_MSGS)
		return -EINVAL;
	old = vn1_lock(dev);
	dev->st.inj_spurious++;
	if (dev->removed || !dev->sink.ops) {
		vn1_unlock(dev, old);
		return 0;
	}
	dev->spurious++;
	if (dev->imode != VN1_IMODE_LINE) {
		vn1_msix_deliver_locked(dev, msg);
	} else if (dev->sink.ops->line_pulse) {
		dev->sink.ops->line_pulse(dev->sink.ctx);
	} else if (!dev->line_out) {
		dev->sink.ops->line_set(dev->sink.ctx, true);
		dev->sink.ops->line_set(dev->sink.ctx, false);
	}
	vn1_unlock(dev, old);
	return 0;
}

void vn1_host_set_stuck_line(struct vn1 *dev, bool stuck)
{
	ke_irql_t old = vn1_lock(dev);

	if (stuck && !dev->stuck)
		dev->st.inj_stuck_line++;
	dev->stuck = stuck;
	vn1_irq_update_locked(dev, 0);
	vn1_unlock(dev, old);
}

int vn1_host_wb_delay(struct vn1 *dev, uint64_t ns)
{
	ke_irql_t old;

	if (ns > 1000000000ull)
		return -EINVAL; /* at most a second */
	old = vn1_lock(dev);
	dev->wb_delay_ns = ns;
	if (ns)
		dev->st.inj_wb_delay++;
	else
		vn1_rx_wb_flush_locked(dev, true);
	vn1_unlock(dev, old);
	return 0;
}

int vn1_host_drop_next_signal(struct vn1 *dev, unsigned msg)
{
	ke_irql_t old;

	if (msg >= VN1_NR_MSGS)
		return -EINVAL;
	old = vn1_lock(dev);
	dev->drop_next[msg]++;
	dev->st.inj_drop_signal++;
	vn1_unlock(dev, old);
	return 0;
}

void vn1_host_surprise_remove(struct vn1 *dev)
{
	ke_irql_t old = vn1_lock(dev);

	if (!dev->removed)
		dev->st.inj_surprise_removal++;
	dev->removed = true;
	for (unsigned q = 0; q < VN1_NR_QUEUES; q++)
		vn1_rx_quiesce_locked(dev, q);
	dev->wb_head = dev->wb_count = 0; /* a removed device writes nothing more */
	vn1_irq_update_locked(dev, 0);	  /* the pin floats: deasserted */
	vn1_unlock(dev, old);
}

void vn1_host_dma_fault_next(struct vn1 *dev)
{
	ke_irql_t old = vn1_lock(dev);

	dev->dma_fault_next++;
	dev->st.inj_dma_fault++;
	vn1_unlock(dev, old);
}
