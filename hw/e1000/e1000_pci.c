/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_pci.c - PCI configuration space (SDM 4.1).
 *
 * Assembled on every read from the device's state. Writable by the driver:
 * Command bits 0, 1, 2 and 10 only; the BARs were assigned by the host (no
 * sizing protocol) and everything else is read-only.
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

#include <string.h>

#define E1000_PCI_CMD_WRITABLE \
	(E1000_PCI_CMD_IO | E1000_PCI_CMD_MEM | E1000_PCI_CMD_MASTER | E1000_PCI_CMD_INTX_DISABLE)

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

static void e1000_pci_image_locked(const struct e1000 *dev, uint8_t *cs)
{
	memset(cs, 0, E1000_PCI_CONFIG_LEN);
	put16(cs + 0x00, E1000_PCI_VENDOR);
	put16(cs + 0x02, E1000_PCI_DEVICE);
	put16(cs + E1000_PCI_COMMAND, dev->pci_command);
	put16(cs + E1000_PCI_STATUS,
	      (uint16_t)(E1000_PCI_STATUS_CAPS | 0x0200u /* DEVSEL medium */ |
			 (dev->line_want ? E1000_PCI_STATUS_INTX : 0)));
	cs[0x08] = E1000_PCI_REVISION;
	cs[0x0B] = 0x02; /* network controller, Ethernet */
	put32(cs + E1000_PCI_BAR0, (uint32_t)dev->cfg.bar0_addr & ~0xFu);
	put32(cs + E1000_PCI_BAR2, (uint32_t)(dev->cfg.io_port & ~0x3u) | 1u);
	put16(cs + E1000_PCI_SUBSYS_VENDOR, dev->ee.word[0x0C]);
	put16(cs + E1000_PCI_SUBSYS_ID, dev->ee.word[0x0B]);
	cs[E1000_PCI_CAP_PTR] = E1000_PCI_PM_CAP;
	cs[E1000_PCI_INT_LINE] = dev->cfg.intx_vector;
	cs[E1000_PCI_INT_PIN] = 1;		  /* INTA# */
	cs[0x3E] = 0xFF;			  /* Min_Gnt */
	cs[E1000_PCI_PM_CAP] = 0x01;		  /* power management capability */
	cs[E1000_PCI_PM_CAP + 1] = 0x00;	  /* last in the list */
	put16(cs + E1000_PCI_PM_CAP + 2, 0x0002); /* PMC: version 1.1 */
}

size_t e1000_pci_config_read(struct e1000 *dev, uint32_t off, void *buf, size_t len)
{
	uint8_t cs[E1000_PCI_CONFIG_LEN];
	ke_irql_t old;

	if (off >= E1000_PCI_CONFIG_LEN)
		return 0;
	if (len > E1000_PCI_CONFIG_LEN - off)
		len = E1000_PCI_CONFIG_LEN - off;
	ke_preempt_point(KE_PP_REG_ACCESS);
	old = e1000_lock(dev);
	if (dev->removed)
		memset(cs, 0xFF, sizeof(cs));
	else
		e1000_pci_image_locked(dev, cs);
	e1000_unlock(dev, old);
	memcpy(buf, cs + off, len);
	return len;
}

size_t e1000_pci_config_write(struct e1000 *dev, uint32_t off, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	ke_irql_t old;

	if (off >= E1000_PCI_CONFIG_LEN)
		return 0;
	if (len > E1000_PCI_CONFIG_LEN - off)
		len = E1000_PCI_CONFIG_LEN - off;
	ke_preempt_point(KE_PP_REG_ACCESS);
	old = e1000_lock(dev);
	for (size_t i = 0; i < len && !dev->removed; i++) {
		uint32_t at = off + (uint32_t)i;
		uint16_t shift, mask;

		if (at != E1000_PCI_COMMAND && at != E1000_PCI_COMMAND + 1)
			continue;
		shift = (uint16_t)(8 * (at - E1000_PCI_COMMAND));
		mask = (uint16_t)(E1000_PCI_CMD_WRITABLE & (0xFFu << shift));
		dev->pci_command =
		    (uint16_t)((dev->pci_command & ~mask) | (((uint16_t)b[i] << shift) & mask));
	}
	e1000_irq_update_locked(dev); /* INTx disable may have changed */
	e1000_unlock(dev, old);
	return len;
}
