/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_irq.c - interrupt causes, masks, throttling and signalling (§4),
 * and the MSI-X table and PBA (§9).
 *
 * Every path that changes ICR, IMS, IMODE, IVAR, the PIO causes, the link,
 * a host fault or the PCI INTx-disable bit ends in vn1_irq_update_locked(),
 * which recomputes what the pins should do now:
 *  - line mode (and the PIO window): the INTx level, held off by ITR[0];
 *  - message modes: P(m) for each message; a message is signalled when P(m)
 *    rises, or when an IMS write enables one of its causes while P(m) holds.
 * Signalling auto-clears the message's causes from ICR, so P(m) is true
 * exactly while the message has enabled causes that were not signalled yet:
 * that is MSGPEND.
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

static void vn1_itr_fire(struct ke_host_timer *t, void *ctx);

void vn1_irq_init(struct vn1 *dev)
{
	for (unsigned m = 0; m < VN1_NR_MSGS; m++)
		ke_host_timer_init(&dev->itr_timer[m], vn1_itr_fire, dev);
	vn1_rx_wb_init(dev);
}

/* IMODE and IVAR decide which causes each message carries. */
static void vn1_route_update_locked(struct vn1 *dev)
{
	for (unsigned m = 0; m < VN1_NR_MSGS; m++)
		dev->route[m] = 0;
	if (dev->imode == VN1_IMODE_MSI) {
		dev->route[0] = VN1_CAUSE_ALL;
		return;
	}
	if (dev->imode != VN1_IMODE_MSIX)
		return;
	for (unsigned c = 0; c < VN1_NR_CAUSES; c++)
		if (dev->ivar[c] & VN1_IVAR_VALID)
			dev->route[dev->ivar[c] & VN1_IVAR_MSG_MASK] |= 1u << c;
}

void vn1_irq_reset_locked(struct vn1 *dev)
{
	dev->icr = dev->ims = dev->iam = dev->imode = dev->ims_ever = 0;
	for (unsigned c = 0; c < VN1_NR_CAUSES; c++)
		dev->ivar[c] = 0;
	for (unsigned m = 0; m < VN1_NR_MSGS; m++) {
		dev->itr[m] = 0;
		dev->itr_wait[m] = false;
		dev->sig_seen[m] = false;
	}
	dev->p_prev = 0;
	dev->pba = 0;
	vn1_route_update_locked(dev);
	vn1_irq_update_locked(dev, 0);
}

/* P(m) for every message, as a bitmap. */
static uint32_t vn1_pending_locked(const struct vn1 *dev)
{
	uint32_t live = dev->icr & dev->ims, p = 0;

	if (dev->imode == VN1_IMODE_LINE)
		return 0;
	for (unsigned m = 0; m < VN1_NR_MSGS; m++)
		if (live & dev->route[m])
			p |= 1u << m;
	return p;
}

static uint64_t vn1_itr_ns(const struct vn1 *dev, unsigned m)
{
	return (uint64_t)(dev->itr[m] & 0xFFFF) * 1000;
}

/*
 * Return: true if a signal of @m at @now must wait for ITR[m]; the timer is
 * then armed for the end of the interval and itr_wait[m] set.
 */
static bool vn1_itr_hold_locked(struct vn1 *dev, unsigned m, uint64_t now)
{
	uint64_t due = dev->last_sig_ns[m] + vn1_itr_ns(dev, m);

	if (!dev->sig_seen[m] || vn1_itr_ns(dev, m) == 0 || now >= due)
		return false;
	if (!dev->itr_wait[m]) {
		dev->itr_wait[m] = true;
		dev->st.msgs_throttled[m]++;
		ke_host_timer_arm(dev->cfg.machine, &dev->itr_timer[m], due);
	}
	return true;
}

/*
 * Put message @m on the bus: an MSI write of entry m, unless MSI-X is
 * disabled or the function or the entry is masked, in which case the PBA
 * holds it until that clears (delivered once, however often it pended).
 */
void vn1_msix_deliver_locked(struct vn1 *dev, unsigned m)
{
	const struct vn1_msix_entry *e = &dev->msix[m];

	if (!(dev->msix_ctrl & VN1_MSIX_CTRL_ENABLE) || (dev->msix_ctrl & VN1_MSIX_CTRL_FMASK) ||
	    (e->ctrl & VN1_MSIX_ENTRY_MASKED)) {
		dev->pba |= 1u << m;
		dev->st.msgs_pba_pended[m]++;
		return;
	}
	dev->pba &= ~(1u << m);
	dev->st.msgs_sent[m]++;
	if (!dev->sink.ops || !dev->sink.ops->msi_write)
		return;
	if (dev->msi_n < VN1_MSI_OUTBOX) {
		/* On the bus when the lock is dropped (vn1_unlock()). */
		dev->msi_q[dev->msi_n].addr = (uint64_t)e->addr_hi << 32 | e->addr_lo;
		dev->msi_q[dev->msi_n].data = e->data;
		dev->msi_n++;
		return;
	}
	dev->sink.ops->msi_write(dev->sink.ctx, (uint64_t)e->addr_hi << 32 | e->addr_lo, e->data);
}

/**
 * vn1_unlock_post() - vn1_unlock() with MSI-X writes waiting: take them,
 * drop the lock, write them in the order they were signalled, then lower
 * the IRQL (still at HIGH_LEVEL, a vCPU writing them cannot be interrupted
 * between the unlock and its writes).
 * Context: device lock held, at HIGH_LEVEL.
 */
void vn1_unlock_post(struct vn1 *dev, ke_irql_t old)
{
	struct vn1_msi_write q[VN1_MSI_OUTBOX];
	unsigned n = dev->msi_n;
	struct hw_irq_sink sink = dev->sink;

	memcpy(q, dev->msi_q, n * sizeof(q[0]));
	dev->msi_n = 0;
	ke_spin_release_raw(&dev->lock);
	for (unsigned i = 0; i < n; i++)
		sink.ops->msi_write(sink.ctx, q[i].addr, q[i].data);
	ke_irql_lower(old);
}

/* The moment message @m is signalled: auto-clear, auto-mask, then the bus. */
static void vn1_msg_signal_locked(struct vn1 *dev, unsigned m, uint64_t now)
{
	uint32_t causes = dev->route[m];

	dev->icr &= ~causes;
	dev->ims &= ~(causes & dev->iam);
	dev->last_sig_ns[m] = now;
	dev->sig_seen[m] = true;
	dev->st.msgs_signaled[m]++;
	if (dev->drop_next[m]) {
		dev->drop_next[m]--;
		dev->st.signals_dropped++;
		return;
	}
	vn1_msix_deliver_locked(dev, m);
}

static void vn1_msgs_update_locked(struct vn1 *dev, uint32_t rearm_causes)
{
	uint32_t p = vn1_pending_locked(dev), rearm = 0, cand;
	uint64_t now = 0;

	for (unsigned m = 0; m < VN1_NR_MSGS; m++)
		if (rearm_causes & dev->route[m])
			rearm |= 1u << m;
	cand = (p & ~dev->p_prev) | (p & rearm);
	if (cand)
		now = vn1_now(dev);
	for (unsigned m = 0; cand; m++, cand >>= 1) {
		if (!(cand & 1) || dev->itr_wait[m] || vn1_itr_hold_locked(dev, m, now))
			continue;
		vn1_msg_signal_locked(dev, m, now);
	}
	dev->p_prev = vn1_pending_locked(dev);
}

static void vn1_line_drive_locked(struct vn1 *dev, bool level)
{
	if (level == dev->line_out)
		return;
	dev->line_out = level;
	if (level)
		dev->st.line_assertions++;
	if (dev->sink.ops && dev->sink.ops->line_set)
		dev->sink.ops->line_set(dev->sink.ctx, level);
}

/*
 * INTx: asserted while (ICR & IMS) in line mode, or (PIO_ISR & PIO_IMR) with
 * the PIO window on. After it deasserts it stays low until ITR[0] µs after
 * its last assertion. A stuck line is high whatever else holds (the fault
 * is electrical); INTx disable gates everything else; removal wins over all.
 */
static void vn1_line_update_locked(struct vn1 *dev)
{
	bool want = vn1_pio_line_want_locked(dev) ||
		    (dev->imode == VN1_IMODE_LINE && (dev->icr & dev->ims));
	uint64_t now;

	dev->line_want = want || dev->stuck;
	if (dev->removed) {
		vn1_line_drive_locked(dev, false);
		return;
	}
	if (dev->stuck) {
		vn1_line_drive_locked(dev, true);
		return;
	}
	if (!want || (dev->pci_command & VN1_PCI_CMD_INTX_DISABLE)) {
		vn1_line_drive_locked(dev, false);
		return;
	}
	if (dev->line_out || dev->itr_wait[0])
		return;
	now = vn1_now(dev);
	if (vn1_itr_hold_locked(dev, 0, now))
		return;
	dev->last_sig_ns[0] = now;
	dev->sig_seen[0] = true;
	vn1_line_drive_locked(dev, true);
}

void vn1_irq_update_locked(struct vn1 *dev, uint32_t rearm_causes)
{
	vn1_line_update_locked(dev);
	if (dev->removed || dev->imode == VN1_IMODE_LINE) {
		dev->p_prev = vn1_pending_locked(dev);
		return;
	}
	vn1_msgs_update_locked(dev, rearm_causes);
}

void vn1_cause_set_locked(struct vn1 *dev, uint32_t causes)
{
	dev->icr |= causes & VN1_CAUSE_ALL;
	vn1_irq_update_locked(dev, 0);
}

/*
 * ITR[m] elapsed for a held-off signal. It is sent only if there is still
 * something to send: P(m) in message modes, the level condition for INTx.
 */
/*
 * vn1_acquire_yielding() - Take the device lock (IRQL already raised) from a
 * host thread that shares the host's cores with the lock's other users (the
 * timer thread, a wire sender): if the holder was switched out by the host,
 * spinning the ke slow path's thousands of rounds before yielding keeps it
 * out longer. Try, and give the core away after a few tries (the same
 * preemption point as the slow path's spin, for the sim engine).
 */
void vn1_acquire_yielding(struct vn1 *dev)
{
	for (unsigned i = 1; !ke_spin_try_raw(&dev->lock); i++) {
		ke_preempt_point(KE_PP_SPIN);
		if (i % 64 == 0)
			ke_yield();
	}
}

static ke_irql_t vn1_lock_from_timer(struct vn1 *dev)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	vn1_acquire_yielding(dev);
	return old;
}

static void vn1_itr_fire(struct ke_host_timer *t, void *ctx)
{
	struct vn1 *dev = ctx;
	unsigned m = (unsigned)(t - dev->itr_timer);
	ke_irql_t old = vn1_lock_from_timer(dev);
	uint64_t now;

	if (!dev->itr_wait[m]) {
		vn1_unlock(dev, old);
		return;
	}
	dev->itr_wait[m] = false;
	if (dev->imode == VN1_IMODE_LINE || dev->removed) {
		if (m == 0)
			vn1_line_update_locked(dev);
	} else if (vn1_pending_locked(dev) & (1u << m)) {
		now = vn1_now(dev);
		if (!vn1_itr_hold_locked(dev, m, now))
			vn1_msg_signal_locked(dev, m, now);
		dev->p_prev = vn1_pending_locked(dev);
	}
	vn1_unlock(dev, old);
}

/* ------------------------------------------------ register interface */

uint32_t vn1_irq_read_locked(struct vn1 *dev, uint32_t off, bool *handled)
{
	uint32_t val;

	*handled = true;
	if (off >= VN1_IVAR0 && off < VN1_IVAR0 + 4 * VN1_NR_CAUSES)
		return dev->ivar[(off - VN1_IVAR0) / 4];
	if (off >= VN1_ITR0 && off < VN1_ITR0 + 4 * VN1_NR_MSGS)
		return dev->itr[(off - VN1_ITR0) / 4];
	switch (off) {
	case VN1_ICR:
		val = dev->icr;
		if (dev->imode == VN1_IMODE_LINE) {
			/* Read-to-clear: the ISR's one read takes every cause. */
			dev->icr = 0;
			vn1_irq_update_locked(dev, 0);
		}
		return val;
	case VN1_IMS:
		return dev->ims;
	case VN1_IAM:
		return dev->iam;
	case VN1_IMODE:
		return dev->imode;
	case VN1_MSGPEND:
		if (dev->imode == VN1_IMODE_LINE)
			return dev->itr_wait[0] && dev->line_want ? 1u : 0u;
		return vn1_pending_locked(dev);
	case VN1_ICS:
	case VN1_IMC:
		return 0; /* write-only */
	}
	*handled = false;
	return 0;
}

static void vn1_imode_write_locked(struct vn1 *dev, uint32_t val)
{
	if (val > VN1_IMODE_MSIX) {
		dev->st.bad_config_writes++;
		return;
	}
	if (val == dev->imode)
		return;
	dev->imode = val;
	/* A new mode starts from a clean slate: pending causes signal afresh. */
	for (unsigned m = 0; m < VN1_NR_MSGS; m++)
		dev->itr_wait[m] = false;
	dev->p_prev = 0;
	vn1_route_update_locked(dev);
	vn1_irq_update_locked(dev, 0);
}

bool vn1_irq_write_locked(struct vn1 *dev, uint32_t off, uint32_t val)
{
	if (off >= VN1_IVAR0 && off < VN1_IVAR0 + 4 * VN1_NR_CAUSES) {
		dev->ivar[(off - VN1_IVAR0) / 4] = val & (VN1_IVAR_VALID | VN1_IVAR_MSG_MASK);
		vn1_route_update_locked(dev);
		vn1_irq_update_locked(dev, 0);
		return true;
	}
	if (off >= VN1_ITR0 && off < VN1_ITR0 + 4 * VN1_NR_MSGS) {
		dev->itr[(off - VN1_ITR0) / 4] = val & 0xFFFF;
		return true;
	}
	switch (off) {
	case VN1_ICR:
		if (dev->imode != VN1_IMODE_LINE) { /* W1C; ignored in line mode */
			dev->icr &= ~val;
			vn1_irq_update_locked(dev, 0);
		}
		return true;
	case VN1_ICS:
		vn1_cause_set_locked(dev, val);
		return true;
	case VN1_IMS:
		dev->ims |= val & VN1_CAUSE_ALL;
		dev->ims_ever |= val & VN1_CAUSE_ALL;
		vn1_irq_update_locked(dev, val & VN1_CAUSE_ALL);
		return true;
	case VN1_IMC:
		dev->ims &= ~val;
		vn1_irq_update_locked(dev, 0);
		return true;
	case VN1_IAM:
		dev->iam = val & VN1_CAUSE_ALL;
		return true;
	case VN1_IMODE:
		vn1_imode_write_locked(dev, val);
		return true;
	case VN1_MSGPEND:
		return true; /* read-only */
	}
	return false;
}

/* ---------------------------------------------------------- MSI-X table */

uint32_t vn1_msix_read_locked(struct vn1 *dev, uint32_t off)
{
	if (off >= VN1_MSIX_TABLE && off < VN1_MSIX_TABLE + 16 * VN1_NR_MSGS) {
		const struct vn1_msix_entry *e = &dev->msix[(off - VN1_MSIX_TABLE) / 16];

		switch (off & 0xC) {
		case 0x0:
			return e->addr_lo;
		case 0x4:
			return e->addr_hi;
		case 0x8:
			return e->data;
		default:
			return e->ctrl;
		}
	}
	if (off == VN1_MSIX_PBA)
		return dev->pba;
	return 0;
}

/* A pending message whose obstacle went away is delivered now, once. */
static void vn1_pba_flush_locked(struct vn1 *dev)
{
	uint32_t pba = dev->pba;

	if (dev->removed)
		return;
	for (unsigned m = 0; pba; m++, pba >>= 1)
		if (pba & 1)
			vn1_msix_deliver_locked(dev, m);
}

int vn1_msix_program(struct vn1 *dev, unsigned msg, uint64_t addr, uint32_t data)
{
	ke_irql_t old;

	if (msg >= VN1_NR_MSGS)
		return -EINVAL;
	old = vn1_lock(dev);
	dev->msix[msg].addr_lo = (uint32_t)addr;
	dev->msix[msg].addr_hi = (uint32_t)(addr >> 32);
	dev->msix[msg].data = data;
	vn1_unlock(dev, old);
	return 0;
}

int vn1_msix_set_masked(struct vn1 *dev, unsigned msg, bool masked)
{
	ke_irql_t old;

	if (msg >= VN1_NR_MSGS)
		return -EINVAL;
	old = vn1_lock(dev);
	if (masked)
		dev->msix[msg].ctrl |= VN1_MSIX_ENTRY_MASKED;
	else
		dev->msix[msg].ctrl &= ~VN1_MSIX_ENTRY_MASKED;
	vn1_pba_flush_locked(dev);
	vn1_unlock(dev, old);
	return 0;
}

void vn1_msix_set_enabled(struct vn1 *dev, bool enabled)
{
	ke_irql_t old = vn1_lock(dev);

	if (enabled) {
		dev->msix_ctrl |= VN1_MSIX_CTRL_ENABLE;
		dev->pci_command |= VN1_PCI_CMD_INTX_DISABLE;
	} else {
		dev->msix_ctrl &= ~VN1_MSIX_CTRL_ENABLE;
		dev->pci_command &= ~VN1_PCI_CMD_INTX_DISABLE;
	}
	vn1_irq_update_locked(dev, 0);
	vn1_pba_flush_locked(dev);
	vn1_unlock(dev, old);
}

void vn1_msix_set_function_mask(struct vn1 *dev, bool masked)
{
	ke_irql_t old = vn1_lock(dev);

	if (masked)
		dev->msix_ctrl |= VN1_MSIX_CTRL_FMASK;
	else
		dev->msix_ctrl &= ~VN1_MSIX_CTRL_FMASK;
	vn1_pba_flush_locked(dev);
	vn1_unlock(dev, old);
}
