/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_irq.c - interrupt causes and masks (SDM 13.4.17 - SDM 13.4.21),
 * throttling (ITR, SDM 13.4.18) and the receive / transmit delay timers
 * (RDTR SDM 13.4.30, RADV SDM 13.4.31, TIDV, TADV; their operation SDM 3.2.7, SDM 3.4).
 *
 * The 82540EM has one interrupt output, the level-sensitive INTA# line. It
 * is asserted while ICR & IMS is non-zero, subject to ITR: after an
 * assertion the line stays deasserted until ITR.INTERVAL x 256 ns have
 * passed on the engine clock, however many causes arrive meanwhile. Every
 * path that changes ICR, IMS, ITR, a host fault or PCI Command.INTxDisable
 * ends in e1000_irq_update_locked().
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

#define E1000_ITR_UNIT_NS 256u
#define E1000_DELAY_UNIT_NS 1024u

static void e1000_itr_fire(struct ke_host_timer *t, void *ctx);
static void e1000_rx_fire(struct ke_host_timer *t, void *ctx);
static void e1000_tx_fire(struct ke_host_timer *t, void *ctx);

void e1000_irq_init(struct e1000 *dev)
{
	ke_host_timer_init(&dev->itr_timer, e1000_itr_fire, dev);
	ke_host_timer_init(&dev->rx_timer, e1000_rx_fire, dev);
	ke_host_timer_init(&dev->tx_timer, e1000_tx_fire, dev);
}

/* Context: host thread, no device lock (cancel waits for a running callback). */
void e1000_irq_stop(struct e1000 *dev)
{
	ke_host_timer_cancel(dev->cfg.machine, &dev->itr_timer);
	ke_host_timer_cancel(dev->cfg.machine, &dev->rx_timer);
	ke_host_timer_cancel(dev->cfg.machine, &dev->tx_timer);
}

void e1000_irq_reset_locked(struct e1000 *dev)
{
	dev->itr_wait = false;
	dev->sig_seen = false;
	dev->rx_pkt_due = dev->rx_abs_due = 0;
	dev->tx_pkt_due = dev->tx_abs_due = 0;
	e1000_irq_update_locked(dev);
}

static uint32_t e1000_pending_locked(struct e1000 *dev)
{
	return *e1000_r(dev, E1000_ICR) & *e1000_r(dev, E1000_IMS) & E1000_ICR_CAUSES;
}

static void e1000_line_drive_locked(struct e1000 *dev, bool level)
{
	if (level == dev->line_out)
		return;
	dev->line_out = level;
	if (level)
		dev->st.line_assertions++;
	if (dev->sink.ops && dev->sink.ops->line_set)
		dev->sink.ops->line_set(dev->sink.ctx, level);
}

void e1000_irq_update_locked(struct e1000 *dev)
{
	bool want = e1000_pending_locked(dev) != 0;
	uint64_t now, gap, due;

	dev->line_want = want || dev->stuck;
	if (dev->removed) {
		e1000_line_drive_locked(dev, false);
		return;
	}
	if (dev->stuck) {
		e1000_line_drive_locked(dev, true);
		return;
	}
	if (!want || (dev->pci_command & E1000_PCI_CMD_INTX_DISABLE)) {
		e1000_line_drive_locked(dev, false);
		return;
	}
	if (dev->line_out || dev->itr_wait)
		return;
	now = e1000_now(dev);
	gap = (uint64_t)(*e1000_r(dev, E1000_ITR) & 0xFFFF) * E1000_ITR_UNIT_NS;
	due = dev->last_assert_ns + gap;
	if (dev->sig_seen && gap && now < due) {
		dev->itr_wait = true;
		dev->st.itr_throttled++;
		ke_host_timer_arm(dev->cfg.machine, &dev->itr_timer, due);
		return;
	}
	dev->last_assert_ns = now;
	dev->sig_seen = true;
	e1000_line_drive_locked(dev, true);
}

void e1000_cause_set_locked(struct e1000 *dev, uint32_t causes)
{
	*e1000_r(dev, E1000_ICR) |= causes & E1000_ICR_CAUSES;
	e1000_irq_update_locked(dev);
}

/*
 * ICR read (SDM 13.4.17): every bit clears, which acknowledges the interrupt
 * and deasserts the line. Bit 31 (INT_ASSERTED) reads 1 when an enabled
 * cause was pending, so an ISR on a shared line can tell its own interrupt
 * from another device's with this one read.
 */
uint32_t e1000_icr_read_locked(struct e1000 *dev)
{
	uint32_t val = *e1000_r(dev, E1000_ICR);

	if (e1000_pending_locked(dev))
		val |= E1000_ICR_INT_ASSERTED;
	*e1000_r(dev, E1000_ICR) = 0;
	e1000_irq_update_locked(dev);
	return val;
}

static void e1000_itr_fire(struct ke_host_timer *t, void *ctx)
{
	struct e1000 *dev = ctx;
	ke_irql_t old = e1000_lock(dev);

	(void)t;
	if (dev->itr_wait) {
		dev->itr_wait = false;
		e1000_irq_update_locked(dev);
	}
	e1000_unlock(dev, old);
}

static uint64_t e1000_min_due(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/*
 * A packet reached host memory (SDM 3.2.7.1): RDTR = 0 interrupts at once;
 * otherwise the packet timer restarts at RDTR and, when RADV is non-zero,
 * the absolute timer starts at RADV if it is not already running.
 */
void e1000_rx_delay_locked(struct e1000 *dev)
{
	uint32_t rdtr = *e1000_r(dev, E1000_RDTR) & 0xFFFF;
	uint32_t radv = *e1000_r(dev, E1000_RADV) & 0xFFFF;
	uint64_t now;

	if (!rdtr) {
		dev->rx_pkt_due = dev->rx_abs_due = 0;
		e1000_cause_set_locked(dev, E1000_ICR_RXT0);
		return;
	}
	now = e1000_now(dev);
	dev->rx_pkt_due = now + (uint64_t)rdtr * E1000_DELAY_UNIT_NS;
	if (radv && !dev->rx_abs_due)
		dev->rx_abs_due = now + (uint64_t)radv * E1000_DELAY_UNIT_NS;
	ke_host_timer_arm(dev->cfg.machine, &dev->rx_timer,
			  e1000_min_due(dev->rx_pkt_due, dev->rx_abs_due));
}

/* RDTR.FPD: the timers expire now (SDM 13.4.30). */
void e1000_rx_flush_locked(struct e1000 *dev)
{
	dev->rx_pkt_due = dev->rx_abs_due = 0;
	e1000_cause_set_locked(dev, E1000_ICR_RXT0);
}

/*
 * A descriptor with RS was written back (SDM 3.4): with IDE and a non-zero
 * TIDV, TXDW waits for the transmit packet timer (restarted by each such
 * descriptor) or the absolute timer TADV, whichever expires first.
 */
void e1000_tx_delay_locked(struct e1000 *dev, bool ide)
{
	uint32_t tidv = *e1000_r(dev, E1000_TIDV) & 0xFFFF;
	uint32_t tadv = *e1000_r(dev, E1000_TADV) & 0xFFFF;
	uint64_t now;

	if (!ide || !tidv) {
		dev->tx_pkt_due = dev->tx_abs_due = 0;
		e1000_cause_set_locked(dev, E1000_ICR_TXDW);
		return;
	}
	now = e1000_now(dev);
	dev->tx_pkt_due = now + (uint64_t)tidv * E1000_DELAY_UNIT_NS;
	if (tadv && !dev->tx_abs_due)
		dev->tx_abs_due = now + (uint64_t)tadv * E1000_DELAY_UNIT_NS;
	ke_host_timer_arm(dev->cfg.machine, &dev->tx_timer,
			  e1000_min_due(dev->tx_pkt_due, dev->tx_abs_due));
}

/* Either timer expired: the cause, and both timers stop until the next packet. */
static void e1000_delay_fire(struct e1000 *dev, struct ke_host_timer *t, uint64_t *pkt,
			     uint64_t *abs, uint32_t cause)
{
	ke_irql_t old = e1000_lock(dev);
	uint64_t now = e1000_now(dev), next;

	if ((*pkt && now >= *pkt) || (*abs && now >= *abs)) {
		*pkt = *abs = 0;
		e1000_cause_set_locked(dev, cause);
	} else {
		next = e1000_min_due(*pkt, *abs);
		if (next)
			ke_host_timer_arm(dev->cfg.machine, t, next);
	}
	e1000_unlock(dev, old);
}

static void e1000_rx_fire(struct ke_host_timer *t, void *ctx)
{
	struct e1000 *dev = ctx;

	e1000_delay_fire(dev, t, &dev->rx_pkt_due, &dev->rx_abs_due, E1000_ICR_RXT0);
}

static void e1000_tx_fire(struct ke_host_timer *t, void *ctx)
{
	struct e1000 *dev = ctx;

	e1000_delay_fire(dev, t, &dev->tx_pkt_due, &dev->tx_abs_due, E1000_ICR_TXDW);
}
