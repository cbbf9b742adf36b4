/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_phy.c - MDIC (SDM 13.4.7) and the internal copper PHY behind
 * it (SDM 13.5, registers 0-15 per IEEE 802.3 clause 22, 16-17 the PHY's own).
 *
 * The PHY answers at MDIO address 1 only. Auto-negotiation completes at
 * once against a link partner with the configured speed, full duplex.
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

void e1000_phy_reset_locked(struct e1000 *dev)
{
	for (unsigned i = 0; i < E1000_NR_PHY_REGS; i++)
		dev->phy[i] = 0;
	dev->phy[E1000_PHY_CTRL] =
	    E1000_PHY_CTRL_ANE | E1000_PHY_CTRL_FD | E1000_PHY_CTRL_SPEED_MSB;
	dev->phy[E1000_PHY_AUTONEG_ADV] = 0x01E1; /* 10/100 half and full, selector 802.3 */
	dev->phy[E1000_PHY_1000T_CTRL] = 0x0300;  /* 1000BASE-T half and full */
	dev->phy[E1000_PHY_SPEC_CTRL] = 0x0068;
}

/* STATUS.SPEED / PHY speed encoding: 0 = 10, 1 = 100, 2 = 1000 Mb/s. */
uint16_t e1000_phy_speed_bits(const struct e1000 *dev)
{
	return dev->cfg.speed_mbps == 1000 ? 2 : dev->cfg.speed_mbps == 100 ? 1 : 0;
}

static bool e1000_phy_link(const struct e1000 *dev)
{
	return dev->cable && !(dev->phy[E1000_PHY_CTRL] & E1000_PHY_CTRL_POWER_DOWN);
}

static uint16_t e1000_phy_read_locked(struct e1000 *dev, unsigned reg)
{
	bool link = e1000_phy_link(dev);
	uint16_t v, speed = e1000_phy_speed_bits(dev);

	switch (reg) {
	case E1000_PHY_STATUS:
		/* 100/10 full/half, extended status, preamble suppression,
		 * AN ability, extended capability; link latches low until read. */
		v = 0x7949;
		if (link && !dev->phy_link_latched_low)
			v |= E1000_PHY_STATUS_LINK;
		if (link && (dev->phy[E1000_PHY_CTRL] & E1000_PHY_CTRL_ANE))
			v |= E1000_PHY_STATUS_AN_DONE;
		dev->phy_link_latched_low = false;
		return v;
	case E1000_PHY_ID1:
		return E1000_PHY_ID1_VALUE;
	case E1000_PHY_ID2:
		return E1000_PHY_ID2_VALUE;
	case E1000_PHY_LP_ABILITY:
		if (!link)
			return 0;
		return speed == 0 ? 0x4061 : 0x41E1; /* ACK, the partner's abilities */
	case E1000_PHY_AUTONEG_EXP:
		return link ? 0x0001 : 0;
	case E1000_PHY_1000T_STATUS:
		if (!link)
			return 0;
		return speed == 2 ? 0x3C00 : 0x3000;
	case E1000_PHY_EXT_STATUS:
		return 0x3000; /* 1000BASE-T full and half */
	case E1000_PHY_SPEC_STATUS:
		if (!link)
			return 0;
		return (uint16_t)(speed << E1000_PHY_SSTAT_SPEED_SHIFT | E1000_PHY_SSTAT_FD |
				  E1000_PHY_SSTAT_RESOLVED | E1000_PHY_SSTAT_LINK);
	default:
		return dev->phy[reg];
	}
}

static void e1000_phy_write_locked(struct e1000 *dev, unsigned reg, uint16_t val)
{
	switch (reg) {
	case E1000_PHY_CTRL:
		if (val & E1000_PHY_CTRL_RESET) {
			e1000_phy_reset_locked(dev);
			break;
		}
		/* RESTART_AN self-clears: negotiation is immediate. */
		dev->phy[reg] = val & (uint16_t)~E1000_PHY_CTRL_RESTART_AN;
		break;
	case E1000_PHY_STATUS:
	case E1000_PHY_ID1:
	case E1000_PHY_ID2:
	case E1000_PHY_LP_ABILITY:
	case E1000_PHY_AUTONEG_EXP:
	case E1000_PHY_1000T_STATUS:
	case E1000_PHY_EXT_STATUS:
	case E1000_PHY_SPEC_STATUS:
		return; /* read-only */
	default:
		dev->phy[reg] = val;
		return;
	}
	e1000_link_update_locked(dev); /* power down / up changes the link */
}

/*
 * MDIC write with OP read or write: the management frame completes within
 * the write; READY is set, ERROR too if no PHY answers at PHYADD (a read
 * then returns 0xFFFF, the idle MDIO level), and MDAC is raised if the
 * Interrupt Enable bit was set.
 */
void e1000_mdic_write_locked(struct e1000 *dev, uint32_t val)
{
	uint32_t op = val & E1000_MDIC_OP_MASK;
	unsigned phy = (val >> E1000_MDIC_PHY_SHIFT) & 0x1F;
	unsigned reg = (val >> E1000_MDIC_REG_SHIFT) & 0x1F;
	uint32_t data = val & E1000_MDIC_DATA_MASK, out;

	out = val & ~(E1000_MDIC_DATA_MASK | E1000_MDIC_READY | E1000_MDIC_ERROR);
	if (op != E1000_MDIC_OP_READ && op != E1000_MDIC_OP_WRITE) {
		*e1000_r(dev, E1000_MDIC) = out | data | E1000_MDIC_READY | E1000_MDIC_ERROR;
		return;
	}
	dev->st.mdic_ops++;
	if (phy != E1000_PHY_ADDR) {
		out |= E1000_MDIC_ERROR | (op == E1000_MDIC_OP_READ ? 0xFFFFu : data);
	} else if (op == E1000_MDIC_OP_READ) {
		out |= e1000_phy_read_locked(dev, reg);
	} else {
		e1000_phy_write_locked(dev, reg, (uint16_t)data);
		out |= data;
	}
	*e1000_r(dev, E1000_MDIC) = out | E1000_MDIC_READY;
	if (val & E1000_MDIC_INT)
		e1000_cause_set_locked(dev, E1000_ICR_MDAC);
}
