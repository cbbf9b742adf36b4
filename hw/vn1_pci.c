/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_pci.c - PCI configuration space (§9).
 *
 * The space is assembled on every read from the device's state, so dynamic
 * fields (Command, Status.INTx, MSI-X Message Control) are always current.
 * Writable by the driver: Command bits 0, 1, 2 and 10 only. Everything else
 * is read-only to the driver, including the MSI-X Message Control (the host
 * owns MSI-X: vn1_msix_set_enabled() / vn1_msix_set_function_mask()), the
 * BARs (no sizing protocol: the host assigned them) and Interrupt Line.
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"

#include <string.h>

#define VN1_PCI_CMD_WRITABLE \
	(VN1_PCI_CMD_IO | VN1_PCI_CMD_MEM | VN1_PCI_CMD_MASTER | VN1_PCI_CMD_INTX_DISABLE)

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void vn1_pci_image_locked(const struct vn1 *dev, uint8_t cs[VN1_PCI_CONFIG_LEN])
{
	memset(cs, 0, VN1_PCI_CONFIG_LEN);
	put16(cs + 0x00, VN1_PCI_VENDOR);
	put16(cs + 0x02, VN1_PCI_DEVICE);
	put16(cs + 0x04, dev->pci_command);
	put16(cs + 0x06,
	      (uint16_t)(VN1_PCI_STATUS_CAPS | (dev->line_want ? VN1_PCI_STATUS_INTX : 0)));
	cs[0x08] = 0x01; /* revision */
	cs[0x09] = 0x00; /* prog-if */
	cs[0x0A] = 0x00; /* subclass: Ethernet */
	cs[0x0B] = 0x02; /* class: network */
	put32(cs + 0x10, (uint32_t)dev->cfg.bar0_addr & ~0xFu);
	put32(cs + 0x14, (uint32_t)(dev->cfg.bar1_port & ~0x3u) | 1u);
	put16(cs + 0x2C, VN1_PCI_VENDOR);
	put16(cs + 0x2E, VN1_PCI_DEVICE);
	cs[0x34] = VN1_PCI_MSIX_CAP;
	cs[0x3C] = dev->cfg.intx_vector;
	cs[0x3D] = 1;	 /* INTA# */
	cs[0x40] = 0x11; /* MSI-X capability ID */
	cs[0x41] = 0x00; /* last capability */
	put16(cs + 0x42, (uint16_t)((VN1_NR_MSGS - 1) | dev->msix_ctrl));
	put32(cs + 0x44, VN1_MSIX_TABLE); /* BIR 0 in bits 2:0 */
	put32(cs + 0x48, VN1_MSIX_PBA);	  /* BIR 0 */
}

size_t vn1_pci_config_read(struct vn1 *dev, uint32_t off, void *buf, size_t len)
{
	uint8_t cs[VN1_PCI_CONFIG_LEN];
	ke_irql_t old;

	if (off >= VN1_PCI_CONFIG_LEN)
		return 0;
	if (len > VN1_PCI_CONFIG_LEN - off)
		len = VN1_PCI_CONFIG_LEN - off;
	ke_preempt_point(KE_PP_REG_ACCESS);
	old = vn1_lock(dev);
	if (dev->removed)
		memset(cs, 0xFF, sizeof(cs));
	else
		vn1_pci_image_locked(dev, cs);
	vn1_unlock(dev, old);
	memcpy(buf, cs + off, len);
	if (__builtin_expect(dev->hooks.access != NULL, 0))
		dev->hooks.access(dev->hooks.ctx, dev, VN1_SPACE_CONFIG, off, (unsigned)len, 0,
				  false);
	return len;
}

size_t vn1_pci_config_write(struct vn1 *dev, uint32_t off, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	ke_irql_t old;

	if (off >= VN1_PCI_CONFIG_LEN)
		return 0;
	if (len > VN1_PCI_CONFIG_LEN - off)
		len = VN1_PCI_CONFIG_LEN - off;
	ke_preempt_point(KE_PP_REG_ACCESS);
	old = vn1_lock(dev);
	for (size_t i = 0; i < len && !dev->removed; i++) {
		uint32_t at = off + (uint32_t)i;

		if (at != VN1_PCI_COMMAND && at != VN1_PCI_COMMAND + 1)
			continue;
		uint16_t shift = (uint16_t)(8 * (at - VN1_PCI_COMMAND));
		uint16_t mask = (uint16_t)(VN1_PCI_CMD_WRITABLE & (0xFFu << shift));

		dev->pci_command =
		    (uint16_t)((dev->pci_command & ~mask) | (((uint16_t)b[i] << shift) & mask));
	}
	vn1_irq_update_locked(dev, 0); /* INTx disable may have changed */
	vn1_unlock(dev, old);
	if (__builtin_expect(dev->hooks.access != NULL, 0))
		dev->hooks.access(dev->hooks.ctx, dev, VN1_SPACE_CONFIG, off, (unsigned)len, 0,
				  true);
	return len;
}
