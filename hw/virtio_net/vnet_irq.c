/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/vnet_irq.c - the ISR status byte and INTx, MSI-X vectors,
 * table and PBA (virtio: PCI Device Layout / ISR status capability;
 * PCI-specific Initialization And Device Operation / Used Buffer
 * Notifications, Notification of Device Configuration Changes).
 *
 * With MSI-X disabled, an event sets its bit in the ISR status byte and the
 * INTx pin follows "ISR status != 0"; a driver read of the byte returns it,
 * clears it and so deasserts the pin. With MSI-X enabled, a queue event is
 * the message of its queue_msix_vector and a configuration change the
 * message of config_msix_vector; NO_VECTOR means no interrupt at all. The
 * configuration bit of ISR status is set in both modes.
 */
#define NDISRT_HW_VNET_INTERNAL
#include "hw/virtio_net/vnet_internal.h"

#include <errno.h>

static void vnet_line_drive_locked(struct vnet *dev, bool level)
{
	if (level == dev->line_out)
		return;
	dev->line_out = level;
	if (level)
		dev->st.line_assertions++;
	if (dev->sink.ops && dev->sink.ops->line_set)
		dev->sink.ops->line_set(dev->sink.ctx, level);
}

/* INTx level: removal wins, a stuck line is high, else ISR != 0 unless MSI-X or INTx disable. */
void vnet_irq_update_locked(struct vnet *dev)
{
	bool want;

	if (dev->removed) {
		vnet_line_drive_locked(dev, false);
		return;
	}
	want = dev->stuck ||
	       (dev->isr && !vnet_msix_on(dev) && !(dev->pci_command & VNET_PCI_CMD_INTX_DISABLE));
	vnet_line_drive_locked(dev, want);
}

/*
 * A vector's message on the bus, or its PBA bit when MSI-X is off, the
 * function is masked or the entry is masked (delivered once when that clears).
 */
static void vnet_msix_deliver_locked(struct vnet *dev, unsigned v)
{
	const struct vnet_msix_entry *e = &dev->msix[v];

	if (!vnet_msix_on(dev) || (dev->msix_ctrl & VNET_MSIX_CTRL_FMASK) || e->masked) {
		dev->pba |= 1u << v;
		dev->st.msgs_pba_pended[v]++;
		return;
	}
	dev->pba &= ~(1u << v);
	dev->st.msgs_sent[v]++;
	if (dev->sink.ops && dev->sink.ops->msi_write)
		dev->sink.ops->msi_write(dev->sink.ctx, e->addr, e->data);
}

static void vnet_signal_vector_locked(struct vnet *dev, uint16_t v)
{
	if (v == VIRTIO_MSI_NO_VECTOR || v >= VNET_NR_VECTORS) {
		dev->st.msgs_no_vector++;
		return;
	}
	if (dev->drop_next[v]) {
		dev->drop_next[v]--;
		dev->st.signals_dropped++;
		return;
	}
	vnet_msix_deliver_locked(dev, v);
}

void vnet_notify_queue_locked(struct vnet *dev, unsigned q)
{
	if (dev->removed)
		return;
	dev->st.used_notifies[q]++;
	if (vnet_msix_on(dev)) {
		vnet_signal_vector_locked(dev, dev->vq[q].vector);
		return;
	}
	dev->isr |= VIRTIO_ISR_QUEUE;
	vnet_irq_update_locked(dev);
}

void vnet_notify_config_locked(struct vnet *dev)
{
	if (dev->removed)
		return;
	dev->isr |= VIRTIO_ISR_CONFIG;
	if (vnet_msix_on(dev))
		vnet_signal_vector_locked(dev, dev->config_vector);
	else
		vnet_irq_update_locked(dev);
}

/* "The device MUST reset ISR status to 0 on driver read." */
uint8_t vnet_isr_read_locked(struct vnet *dev)
{
	uint8_t v = dev->isr;

	dev->isr = 0;
	dev->st.isr_reads++;
	vnet_irq_update_locked(dev);
	return v;
}

/*
 * A vector the driver maps an event to: valid table entries map, anything
 * else reads back as NO_VECTOR (virtio: MSI-X Vector Configuration, "Devices
 * MUST report mapping failures by returning the NO_VECTOR value").
 */
uint16_t vnet_vector_filter(const struct vnet *dev, uint16_t v)
{
	(void)dev;
	return v < VNET_NR_VECTORS ? v : VIRTIO_MSI_NO_VECTOR;
}

uint32_t vnet_msix_read_locked(struct vnet *dev, uint32_t off)
{
	if (off >= VNET_BAR1_MSIX_TABLE && off < VNET_BAR1_MSIX_TABLE + 16 * VNET_NR_VECTORS) {
		const struct vnet_msix_entry *e = &dev->msix[(off - VNET_BAR1_MSIX_TABLE) / 16];

		switch (off & 0xC) {
		case 0x0:
			return (uint32_t)e->addr;
		case 0x4:
			return (uint32_t)(e->addr >> 32);
		case 0x8:
			return e->data;
		default:
			return e->masked ? 1u : 0u;
		}
	}
	if (off == VNET_BAR1_MSIX_PBA)
		return dev->pba;
	return 0;
}

static void vnet_pba_flush_locked(struct vnet *dev)
{
	uint32_t pba = dev->pba;

	if (dev->removed)
		return;
	for (unsigned v = 0; pba; v++, pba >>= 1)
		if (pba & 1)
			vnet_msix_deliver_locked(dev, v);
}

int vnet_msix_program(struct vnet *dev, unsigned vec, uint64_t addr, uint32_t data)
{
	ke_irql_t old;

	if (vec >= VNET_NR_VECTORS)
		return -EINVAL;
	old = vnet_lock(dev);
	dev->msix[vec].addr = addr;
	dev->msix[vec].data = data;
	vnet_unlock(dev, old);
	return 0;
}

int vnet_msix_set_masked(struct vnet *dev, unsigned vec, bool masked)
{
	ke_irql_t old;

	if (vec >= VNET_NR_VECTORS)
		return -EINVAL;
	old = vnet_lock(dev);
	dev->msix[vec].masked = masked;
	vnet_pba_flush_locked(dev);
	vnet_unlock(dev, old);
	return 0;
}

void vnet_msix_set_enabled(struct vnet *dev, bool enabled)
{
	ke_irql_t old = vnet_lock(dev);

	/* As an OS does: Command.INTxDisable set while MSI-X is on. */
	if (enabled) {
		dev->msix_ctrl |= VNET_MSIX_CTRL_ENABLE;
		dev->pci_command |= VNET_PCI_CMD_INTX_DISABLE;
	} else {
		dev->msix_ctrl &= (uint16_t)~VNET_MSIX_CTRL_ENABLE;
		dev->pci_command &= (uint16_t)~VNET_PCI_CMD_INTX_DISABLE;
	}
	vnet_irq_update_locked(dev);
	vnet_pba_flush_locked(dev);
	vnet_unlock(dev, old);
}

void vnet_msix_set_function_mask(struct vnet *dev, bool masked)
{
	ke_irql_t old = vnet_lock(dev);

	if (masked)
		dev->msix_ctrl |= VNET_MSIX_CTRL_FMASK;
	else
		dev->msix_ctrl &= (uint16_t)~VNET_MSIX_CTRL_FMASK;
	vnet_pba_flush_locked(dev);
	vnet_unlock(dev, old);
}

/* ---------------------------------------------------------- fault knobs */

/*
 * A spurious interrupt carries no event: ISR status does not change. With
 * MSI-X on, vector @vec is sent; otherwise INTx is pulsed.
 */
int vnet_host_inject_spurious(struct vnet *dev, unsigned vec)
{
	ke_irql_t old;

	if (vec >= VNET_NR_VECTORS)
		return -EINVAL;
	old = vnet_lock(dev);
	dev->st.inj_spurious++;
	if (!dev->removed && dev->sink.ops) {
		if (vnet_msix_on(dev))
			vnet_msix_deliver_locked(dev, vec);
		else if (dev->sink.ops->line_pulse)
			dev->sink.ops->line_pulse(dev->sink.ctx);
		else if (!dev->line_out) {
			dev->sink.ops->line_set(dev->sink.ctx, true);
			dev->sink.ops->line_set(dev->sink.ctx, false);
		}
	}
	vnet_unlock(dev, old);
	return 0;
}

void vnet_host_set_stuck_line(struct vnet *dev, bool stuck)
{
	ke_irql_t old = vnet_lock(dev);

	if (stuck && !dev->stuck)
		dev->st.inj_stuck_line++;
	dev->stuck = stuck;
	vnet_irq_update_locked(dev);
	vnet_unlock(dev, old);
}

int vnet_host_drop_next_signal(struct vnet *dev, unsigned vec)
{
	ke_irql_t old;

	if (vec >= VNET_NR_VECTORS)
		return -EINVAL;
	old = vnet_lock(dev);
	dev->drop_next[vec]++;
	dev->st.inj_drop_signal++;
	vnet_unlock(dev, old);
	return 0;
}

bool vnet_line_asserted(struct vnet *dev)
{
	ke_irql_t old = vnet_lock(dev);
	bool v = dev->line_out;

	vnet_unlock(dev, old);
	return v;
}
