/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/vnet_pci.c - PCI configuration space (virtio: PCI Device
 * Discovery; Virtio Structure PCI Capabilities).
 *
 * Assembled on every read from the device state. Capabilities: MSI-X (0x40),
 * then the vendor-specific virtio structures: common (0x50), notify (0x60),
 * ISR (0x74), device (0x84) and the PCI configuration access window (0x94),
 * all pointing into BAR1. Writable by the driver: Command bits 0, 1, 2, 10,
 * and the window's bar, offset, length and data fields.
 */
#define NDISRT_HW_VNET_INTERNAL
#include "hw/virtio_net/vnet_internal.h"

#include <string.h>

#define VNET_PCI_CMD_WRITABLE \
	(VNET_PCI_CMD_IO | VNET_PCI_CMD_MEM | VNET_PCI_CMD_MASTER | VNET_PCI_CMD_INTX_DISABLE)
#define PCICFG_BAR (VNET_PCI_CAP_PCICFG + 4)
#define PCICFG_OFFSET (VNET_PCI_CAP_PCICFG + 8)
#define PCICFG_LENGTH (VNET_PCI_CAP_PCICFG + 12)
#define PCICFG_DATA (VNET_PCI_CAP_PCICFG + 16)

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void vcap(uint8_t *cs, unsigned at, unsigned next, unsigned len, unsigned type,
		 uint32_t offset, uint32_t length)
{
	cs[at] = 0x09; /* PCI_CAP_ID_VNDR */
	cs[at + 1] = (uint8_t)next;
	cs[at + 2] = (uint8_t)len;
	cs[at + 3] = (uint8_t)type;
	cs[at + 4] = 1; /* BAR1 */
	put32(cs + at + 8, offset);
	put32(cs + at + 12, length);
}

static void vnet_pci_image_locked(const struct vnet *dev, uint8_t cs[VNET_PCI_CONFIG_LEN])
{
	bool modern = dev->cfg.modern_only;
	bool intx = dev->isr && !vnet_msix_on(dev);

	memset(cs, 0, VNET_PCI_CONFIG_LEN);
	put16(cs + 0x00, VIRTIO_PCI_VENDOR);
	put16(cs + 0x02,
	      modern ? VIRTIO_PCI_DEVICE_NET_MODERN : VIRTIO_PCI_DEVICE_NET_TRANSITIONAL);
	put16(cs + 0x04, dev->pci_command);
	put16(cs + 0x06, VNET_PCI_STATUS_CAPS | (intx || dev->stuck ? VNET_PCI_STATUS_INTX : 0));
	cs[0x08] = modern ? 1 : 0; /* transitional devices MUST have revision 0 */
	cs[0x0A] = 0x00;	   /* Ethernet */
	cs[0x0B] = 0x02;	   /* network */
	if (!modern)
		put32(cs + 0x10, (uint32_t)(dev->cfg.bar0_port & ~0x3u) | 1u);
	put32(cs + 0x14, (uint32_t)dev->cfg.bar1_addr & ~0xFu);
	put16(cs + 0x2C, VIRTIO_PCI_VENDOR);
	/* Transitional: the virtio device ID; modern: 0x40 or above. */
	put16(cs + 0x2E, modern ? 0x0040u : VIRTIO_ID_NET);
	cs[0x34] = VNET_PCI_CAP_MSIX;
	cs[0x3C] = dev->cfg.intx_vector;
	cs[0x3D] = 1; /* INTA# */
	cs[VNET_PCI_CAP_MSIX] = 0x11;
	cs[VNET_PCI_CAP_MSIX + 1] = VNET_PCI_CAP_COMMON;
	put16(cs + VNET_PCI_CAP_MSIX + 2, (VNET_NR_VECTORS - 1) | dev->msix_ctrl);
	put32(cs + VNET_PCI_CAP_MSIX + 4, VNET_BAR1_MSIX_TABLE | 1u); /* BIR 1 */
	put32(cs + VNET_PCI_CAP_MSIX + 8, VNET_BAR1_MSIX_PBA | 1u);
	vcap(cs, VNET_PCI_CAP_COMMON, VNET_PCI_CAP_NOTIFY, 16, VIRTIO_PCI_CAP_COMMON_CFG,
	     VNET_BAR1_COMMON, VIRTIO_COMMON_LEN);
	vcap(cs, VNET_PCI_CAP_NOTIFY, VNET_PCI_CAP_ISR, 20, VIRTIO_PCI_CAP_NOTIFY_CFG,
	     VNET_BAR1_NOTIFY, VNET_NOTIFY_MULTIPLIER * dev->nq);
	put32(cs + VNET_PCI_CAP_NOTIFY + 16, VNET_NOTIFY_MULTIPLIER);
	vcap(cs, VNET_PCI_CAP_ISR, VNET_PCI_CAP_DEVICE, 16, VIRTIO_PCI_CAP_ISR_CFG, VNET_BAR1_ISR,
	     1);
	vcap(cs, VNET_PCI_CAP_DEVICE, VNET_PCI_CAP_PCICFG, 16, VIRTIO_PCI_CAP_DEVICE_CFG,
	     VNET_BAR1_DEVICE, VIRTIO_NET_CFG_LEN);
	vcap(cs, VNET_PCI_CAP_PCICFG, 0, 20, VIRTIO_PCI_CAP_PCI_CFG, dev->pcicfg.offset,
	     dev->pcicfg.length);
	cs[PCICFG_BAR] = dev->pcicfg.bar;
	memcpy(cs + PCICFG_DATA, dev->pcicfg.data, 4);
}

static bool overlaps(uint32_t off, size_t len, uint32_t at, uint32_t n)
{
	return off < at + n && at < off + len;
}

/*
 * The access window (virtio: PCI configuration access capability): an
 * access of cap.length (1, 2 or 4) bytes at cap.offset of BAR cap.bar,
 * aligned, inside the BAR. Return: false if the window is not set up so.
 */
static bool vnet_window(struct vnet *dev, uint8_t *bar, uint32_t *off, unsigned *len)
{
	ke_irql_t old = vnet_lock(dev);

	*bar = dev->pcicfg.bar;
	*off = dev->pcicfg.offset;
	*len = dev->pcicfg.length;
	vnet_unlock(dev, old);
	if ((*len != 1 && *len != 2 && *len != 4) || (*off & (*len - 1)))
		return false;
	return *bar == 1 || (*bar == 0 && !dev->cfg.modern_only);
}

static uint32_t vnet_bar_read(struct vnet *dev, uint8_t bar, uint32_t off, unsigned len)
{
	if (bar == 0)
		return len == 1	  ? vnet_pio_read8(dev, off)
		       : len == 2 ? vnet_pio_read16(dev, off)
				  : vnet_pio_read32(dev, off);
	return len == 1	  ? vnet_mmio_read8(dev, off)
	       : len == 2 ? vnet_mmio_read16(dev, off)
			  : vnet_mmio_read32(dev, off);
}

static void vnet_bar_write(struct vnet *dev, uint8_t bar, uint32_t off, unsigned len, uint32_t v)
{
	if (bar == 0) {
		if (len == 1)
			vnet_pio_write8(dev, off, (uint8_t)v);
		else if (len == 2)
			vnet_pio_write16(dev, off, (uint16_t)v);
		else
			vnet_pio_write32(dev, off, v);
	} else if (len == 1) {
		vnet_mmio_write8(dev, off, (uint8_t)v);
	} else if (len == 2) {
		vnet_mmio_write16(dev, off, (uint16_t)v);
	} else {
		vnet_mmio_write32(dev, off, v);
	}
}

size_t vnet_pci_config_read(struct vnet *dev, uint32_t off, void *buf, size_t len)
{
	uint8_t cs[VNET_PCI_CONFIG_LEN], bar;
	uint32_t woff;
	unsigned wlen;
	ke_irql_t old;

	if (off >= VNET_PCI_CONFIG_LEN)
		return 0;
	if (len > VNET_PCI_CONFIG_LEN - off)
		len = VNET_PCI_CONFIG_LEN - off;
	ke_preempt_point(KE_PP_REG_ACCESS);
	/* Reading pci_cfg_data performs the window's read first. */
	if (overlaps(off, len, PCICFG_DATA, 4) && vnet_window(dev, &bar, &woff, &wlen)) {
		uint32_t v = vnet_bar_read(dev, bar, woff, wlen);

		old = vnet_lock(dev);
		put32(dev->pcicfg.data, v);
		vnet_unlock(dev, old);
	}
	old = vnet_lock(dev);
	if (dev->removed)
		memset(cs, 0xFF, sizeof(cs));
	else
		vnet_pci_image_locked(dev, cs);
	vnet_unlock(dev, old);
	memcpy(buf, cs + off, len);
	return len;
}

size_t vnet_pci_config_write(struct vnet *dev, uint32_t off, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	bool data_written = false;
	uint8_t bar;
	uint32_t woff;
	unsigned wlen;
	ke_irql_t old;

	if (off >= VNET_PCI_CONFIG_LEN)
		return 0;
	if (len > VNET_PCI_CONFIG_LEN - off)
		len = VNET_PCI_CONFIG_LEN - off;
	ke_preempt_point(KE_PP_REG_ACCESS);
	old = vnet_lock(dev);
	for (size_t i = 0; i < len && !dev->removed; i++) {
		uint32_t at = off + (uint32_t)i;

		if (at == VNET_PCI_COMMAND || at == VNET_PCI_COMMAND + 1) {
			unsigned shift = 8 * (at - VNET_PCI_COMMAND);
			uint16_t mask = (uint16_t)(VNET_PCI_CMD_WRITABLE & (0xFFu << shift));

			dev->pci_command = (uint16_t)((dev->pci_command & ~mask) |
						      (((unsigned)b[i] << shift) & mask));
		} else if (at == PCICFG_BAR) {
			dev->pcicfg.bar = b[i];
		} else if (at >= PCICFG_OFFSET && at < PCICFG_OFFSET + 4) {
			unsigned sh = 8 * (at - PCICFG_OFFSET);

			dev->pcicfg.offset = (dev->pcicfg.offset & ~(0xFFu << sh)) | (uint32_t)b[i]
											 << sh;
		} else if (at >= PCICFG_LENGTH && at < PCICFG_LENGTH + 4) {
			unsigned sh = 8 * (at - PCICFG_LENGTH);

			dev->pcicfg.length = (dev->pcicfg.length & ~(0xFFu << sh)) | (uint32_t)b[i]
											 << sh;
		} else if (at >= PCICFG_DATA && at < PCICFG_DATA + 4) {
			dev->pcicfg.data[at - PCICFG_DATA] = b[i];
			data_written = true;
		}
	}
	vnet_irq_update_locked(dev); /* INTx disable may have changed */
	vnet_unlock(dev, old);
	/* Writing pci_cfg_data performs the window's write with its first bytes. */
	if (data_written && vnet_window(dev, &bar, &woff, &wlen)) {
		uint8_t d[4];
		uint32_t v;

		old = vnet_lock(dev);
		memcpy(d, dev->pcicfg.data, 4);
		vnet_unlock(dev, old);
		v = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
		    (uint32_t)d[3] << 24;
		vnet_bar_write(dev, bar, woff, wlen, v);
	}
	return len;
}
