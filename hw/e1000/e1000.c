/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000.c - 82540EM life cycle, reset (SDM 14.9 / CTRL.RST), link and
 * host controls, statistics.
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int e1000_wire_rx(void *ctx, const void *frame, size_t len)
{
	return e1000_receive(ctx, frame, len);
}

struct e1000 *e1000_create(const struct e1000_config *cfg)
{
	struct e1000 *dev;

	if (!cfg || !cfg->machine || !cfg->dma ||
	    (cfg->speed_mbps != 0 && cfg->speed_mbps != 10 && cfg->speed_mbps != 100 &&
	     cfg->speed_mbps != 1000)) {
		errno = EINVAL;
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	ke_spin_init(&dev->lock);
	dev->cfg = *cfg;
	if (!dev->cfg.speed_mbps)
		dev->cfg.speed_mbps = 1000;
	dev->sink = cfg->sink;
	dev->cable = !cfg->link_down;
	/* The host's PnP enabled decoding and bus mastering before the driver. */
	dev->pci_command = E1000_PCI_CMD_IO | E1000_PCI_CMD_MEM | E1000_PCI_CMD_MASTER;
	e1000_eeprom_build(dev);
	e1000_irq_init(dev);
	e1000_rx_wb_init(dev);
	e1000_phy_reset_locked(dev);
	e1000_reset_locked(dev); /* not shared yet */
	dev->st.resets = 0;
	e1000_device_init(dev);
	dev->base.sink = cfg->sink;
	return dev;
}

void e1000_free(struct e1000 *dev)
{
	if (!dev)
		return;
	if (dev->wire)
		wire_attach(dev->wire, dev->wire_end, NULL, NULL);
	e1000_irq_stop(dev);
	hw_wbq_stop(&dev->wbq);
	if (dev->sink.ops && dev->line_out)
		dev->sink.ops->line_set(dev->sink.ctx, false);
	free(dev);
}

/*
 * CTRL.RST and power-on: every register to its initial value (SDM 13.4), the
 * receive address 0 and the IDs reloaded from the EEPROM. What survives:
 * the PHY (it has its own reset, CTRL.PHY_RST), the PCI function, the
 * cable, injected faults and the host statistics. Pending timers are not
 * cancelled here (cancel may wait for a callback that needs this lock);
 * they find nothing due and do nothing.
 */
void e1000_reset_locked(struct e1000 *dev)
{
	const uint16_t *w = dev->ee.word;

	memset(dev->reg, 0, sizeof(dev->reg));
	dev->gorc = dev->gotc = dev->tor = dev->tot = 0;
	dev->ioaddr = 0;
	*e1000_r(dev, E1000_CTRL) =
	    E1000_CTRL_FD | E1000_CTRL_ASDE | (2u << E1000_CTRL_SPEED_SHIFT);
	*e1000_r(dev, E1000_EECD) = 1u << E1000_EECD_FWE_SHIFT; /* flash writes disabled */
	*e1000_r(dev, E1000_MDIC) = E1000_MDIC_READY;
	*e1000_r(dev, E1000_VET) = 0x8100;
	*e1000_r(dev, E1000_PBA) = 0x0030; /* 48 KiB receive, 16 KiB transmit */
	*e1000_r(dev, E1000_TCTL) = (0x0Fu << 4) | (0x40u << 12);
	*e1000_r(dev, E1000_TXDCTL) = 1u << 24; /* GRAN */
	*e1000_r(dev, E1000_LEDCTL) = 0x07068302;
	*e1000_r(dev, E1000_RXCSUM) = 1u << 9; /* IPOFLD */
	*e1000_r(dev, E1000_RAL0) = (uint32_t)w[0] | (uint32_t)w[1] << 16;
	*e1000_r(dev, E1000_RAH0) = (uint32_t)w[2] | E1000_RAH_AV;
	dev->ee.state = EE_IDLE;
	dev->ee.dout = false;
	dev->tx_len = 0;
	dev->tx_bad = false;
	/* Delayed write-backs point into rings that are no longer the device's. */
	hw_wbq_drop_locked(&dev->wbq);
	dev->reset_gen++;
	dev->st.resets++;
	dev->lu = e1000_status_lu_locked(dev);
	e1000_irq_reset_locked(dev);
}

/*
 * STATUS.LU (SDM 13.4.2): the MAC sees the PHY's link once software has set
 * CTRL.SLU, the PHY is neither reset nor powered down, and a partner is on
 * the cable.
 */
bool e1000_status_lu_locked(const struct e1000 *dev)
{
	uint32_t ctrl = dev->reg[E1000_CTRL >> 2];

	return dev->cable && !dev->removed && (ctrl & E1000_CTRL_SLU) &&
	       !(ctrl & E1000_CTRL_PHY_RST) &&
	       !(dev->phy[E1000_PHY_CTRL] & E1000_PHY_CTRL_POWER_DOWN);
}

/* Recompute STATUS.LU; a change is ICR.LSC (SDM 13.4.17). */
void e1000_link_update_locked(struct e1000 *dev)
{
	bool lu = e1000_status_lu_locked(dev);

	if (lu == dev->lu)
		return;
	dev->lu = lu;
	e1000_cause_set_locked(dev, E1000_ICR_LSC);
}

void e1000_resources(const struct e1000 *dev, struct e1000_resources *out)
{
	memset(out, 0, sizeof(*out));
	out->bar0_addr = dev->cfg.bar0_addr;
	out->bar0_len = E1000_BAR0_LEN;
	out->io_port = dev->cfg.io_port;
	out->io_len = E1000_IO_LEN;
	out->line_vector = dev->cfg.intx_vector;
}

void e1000_set_sink(struct e1000 *dev, struct hw_irq_sink sink)
{
	ke_irql_t old = e1000_lock(dev);

	dev->sink = sink;
	dev->base.sink = sink;
	dev->line_out = false;
	e1000_irq_update_locked(dev);
	e1000_unlock(dev, old);
}

void e1000_wire_attach(struct e1000 *dev, struct wire *w, unsigned end)
{
	if (dev->wire)
		wire_attach(dev->wire, dev->wire_end, NULL, NULL);
	dev->wire = w;
	dev->wire_end = end & 1;
	if (w)
		wire_attach(w, dev->wire_end, e1000_wire_rx, dev);
}

void e1000_reset(struct e1000 *dev)
{
	ke_irql_t old = e1000_lock(dev);

	e1000_reset_locked(dev);
	e1000_unlock(dev, old);
}

void e1000_get_stats(struct e1000 *dev, struct e1000_stats *out)
{
	ke_irql_t old = e1000_lock(dev);

	*out = dev->st;
	out->wb_delayed = dev->wbq.delayed;
	e1000_unlock(dev, old);
}

bool e1000_line_asserted(struct e1000 *dev)
{
	ke_irql_t old = e1000_lock(dev);
	bool out = dev->line_out;

	e1000_unlock(dev, old);
	return out;
}

uint16_t e1000_eeprom_word(struct e1000 *dev, unsigned i)
{
	return i < E1000_EEPROM_WORDS ? dev->ee.word[i] : 0xFFFF;
}

/* Saturating add to a 32-bit statistics register (SDM 13.7). */
void e1000_stat_add(struct e1000 *dev, uint32_t off, uint32_t n)
{
	uint32_t *r = e1000_r(dev, off);

	*r = *r > UINT32_MAX - n ? UINT32_MAX : *r + n;
}

/* ------------------------------------------------------ host controls */

/* The cable: the PHY's link status latches low on a loss (IEEE 802.3 22.2.4.2.13). */
void e1000_host_set_link(struct e1000 *dev, bool up)
{
	ke_irql_t old = e1000_lock(dev);

	dev->st.inj_link_changes++;
	if (dev->cable && !up)
		dev->phy_link_latched_low = true;
	dev->cable = up;
	e1000_link_update_locked(dev);
	e1000_unlock(dev, old);
}

/* An interrupt request with no cause in ICR: the line pulses once. */
void e1000_host_inject_spurious(struct e1000 *dev)
{
	ke_irql_t old = e1000_lock(dev);

	dev->st.inj_spurious++;
	if (!dev->removed && dev->sink.ops) {
		if (dev->sink.ops->line_pulse) {
			dev->sink.ops->line_pulse(dev->sink.ctx);
		} else if (!dev->line_out) {
			dev->sink.ops->line_set(dev->sink.ctx, true);
			dev->sink.ops->line_set(dev->sink.ctx, false);
		}
	}
	e1000_unlock(dev, old);
}

void e1000_host_set_stuck_line(struct e1000 *dev, bool stuck)
{
	ke_irql_t old = e1000_lock(dev);

	if (stuck && !dev->stuck)
		dev->st.inj_stuck_line++;
	dev->stuck = stuck;
	e1000_irq_update_locked(dev);
	e1000_unlock(dev, old);
}

/* Gone from the bus: reads return all ones, writes vanish, the pin floats. */
void e1000_host_surprise_remove(struct e1000 *dev)
{
	ke_irql_t old = e1000_lock(dev);

	if (!dev->removed)
		dev->st.inj_surprise_removal++;
	dev->removed = true;
	hw_wbq_drop_locked(&dev->wbq); /* a removed device writes nothing more */
	e1000_irq_update_locked(dev);
	e1000_unlock(dev, old);
}

int e1000_host_wb_delay(struct e1000 *dev, uint64_t ns)
{
	ke_irql_t old = e1000_lock(dev);
	int rc = hw_wbq_set_delay_locked(&dev->wbq, ns);

	if (rc == 0 && ns)
		dev->st.inj_wb_delay++;
	e1000_unlock(dev, old);
	return rc;
}

void e1000_host_dma_fault_next(struct e1000 *dev)
{
	ke_irql_t old = e1000_lock(dev);

	dev->dma_fault_next++;
	dev->st.inj_dma_fault++;
	e1000_unlock(dev, old);
}
