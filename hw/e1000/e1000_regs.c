/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_regs.c - memory BAR decoding (SDM 13.3, Table 13-2), the I/O
 * BAR's indirect window (SDM 13.2) and the driver-side access functions.
 *
 * Each access takes the device lock at HIGH_LEVEL, so an ISR interrupting a
 * thread in the middle of a register access stays pending until the access
 * has lowered IRQL again.
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

static uint32_t e1000_status_locked(struct e1000 *dev)
{
	uint32_t v = E1000_STATUS_FD;

	if (dev->lu)
		v |= E1000_STATUS_LU | (uint32_t)e1000_phy_speed_bits(dev)
					   << E1000_STATUS_SPEED_SHIFT;
	return v;
}

static bool e1000_is_stat(uint32_t off)
{
	return off >= E1000_STATS && off < E1000_STATS_END;
}

/* The 64-bit statistics pairs: their counter, or NULL. */
static uint64_t *e1000_stat64(struct e1000 *dev, uint32_t off)
{
	switch (off & ~4u) {
	case E1000_GORCL:
		return &dev->gorc;
	case E1000_GOTCL:
		return &dev->gotc;
	case E1000_TORL:
		return &dev->tor;
	case E1000_TOTL:
		return &dev->tot;
	}
	return NULL;
}

/* The value a register holds, without any read side effect. */
uint32_t e1000_reg_peek_locked(struct e1000 *dev, uint32_t off)
{
	uint64_t *s64;

	switch (off) {
	case E1000_STATUS:
		return e1000_status_locked(dev);
	case E1000_EECD:
		return e1000_eecd_read_locked(dev);
	case E1000_ICS:
	case E1000_IMC:
		return 0; /* write-only */
	}
	if (e1000_is_stat(off) && (s64 = e1000_stat64(dev, off)) != NULL)
		return (off & 4) ? (uint32_t)(*s64 >> 32) : (uint32_t)*s64;
	return *e1000_r(dev, off);
}

uint32_t e1000_reg_read_locked(struct e1000 *dev, uint32_t off)
{
	uint64_t *s64;
	uint32_t val;

	if (off == E1000_ICR)
		return e1000_icr_read_locked(dev);
	if (!e1000_is_stat(off))
		return e1000_reg_peek_locked(dev, off);
	/* SDM 13.7: statistics clear when read; a 64-bit pair when its high
	 * dword is read. */
	val = e1000_reg_peek_locked(dev, off);
	s64 = e1000_stat64(dev, off);
	if (!s64)
		*e1000_r(dev, off) = 0;
	else if (off & 4)
		*s64 = 0;
	return val;
}

/* CTRL (SDM 13.4.1): RST resets the controller and self-clears; PHY_RST holds
 * the PHY in reset while set. */
static void e1000_ctrl_write_locked(struct e1000 *dev, uint32_t val)
{
	if (val & E1000_CTRL_RST) {
		e1000_reset_locked(dev);
		return;
	}
	*e1000_r(dev, E1000_CTRL) = val;
	if (val & E1000_CTRL_PHY_RST)
		e1000_phy_reset_locked(dev);
	e1000_link_update_locked(dev);
}

bool e1000_reg_write_locked(struct e1000 *dev, uint32_t off, uint32_t val)
{
	if (e1000_is_stat(off))
		return false; /* read-only */
	switch (off) {
	case E1000_CTRL:
		e1000_ctrl_write_locked(dev, val);
		return false;
	case E1000_STATUS:
		return false;
	case E1000_EECD:
		e1000_eecd_write_locked(dev, val);
		return false;
	case E1000_EERD:
		e1000_eerd_write_locked(dev, val);
		return false;
	case E1000_MDIC:
		e1000_mdic_write_locked(dev, val);
		return false;
	case E1000_ICR: /* writing 1b clears the bit */
		*e1000_r(dev, E1000_ICR) &= ~val;
		e1000_irq_update_locked(dev);
		return false;
	case E1000_ICS:
		e1000_cause_set_locked(dev, val);
		return false;
	case E1000_IMS:
		*e1000_r(dev, E1000_IMS) |= val & E1000_ICR_CAUSES;
		e1000_irq_update_locked(dev);
		return false;
	case E1000_IMC:
		*e1000_r(dev, E1000_IMS) &= ~val;
		e1000_irq_update_locked(dev);
		return false;
	case E1000_ITR:
	case E1000_RADV:
	case E1000_TIDV:
	case E1000_TADV:
	case E1000_RDH:
	case E1000_RDT:
	case E1000_TDH:
		*e1000_r(dev, off) = val & 0xFFFF;
		return false;
	case E1000_RDTR:
		*e1000_r(dev, off) = val & 0xFFFF; /* FPD self-clears */
		if (val & E1000_RDTR_FPD)
			e1000_rx_flush_locked(dev);
		return false;
	case E1000_RDBAL:
	case E1000_TDBAL:
		*e1000_r(dev, off) = val & ~0xFu;
		return false;
	case E1000_RDLEN:
	case E1000_TDLEN:
		*e1000_r(dev, off) = val & 0xFFF80u; /* a multiple of 128 bytes */
		return false;
	case E1000_TDT:
		*e1000_r(dev, off) = val & 0xFFFF;
		return e1000_tx_claim_locked(dev);
	case E1000_TCTL:
		*e1000_r(dev, off) = val;
		return e1000_tx_claim_locked(dev);
	}
	if (off >= E1000_RAL0 && off < E1000_RAL0 + 8 * E1000_NR_RA && (off & 4)) {
		*e1000_r(dev, off) = val & (E1000_RAH_AV | 0x3FFFFu);
		return false;
	}
	*e1000_r(dev, off) = val; /* plain storage */
	return false;
}

/* Registers whose write is an action: unwritten bytes must be zero. */
static bool e1000_is_action(uint32_t off)
{
	return off == E1000_ICR || off == E1000_ICS || off == E1000_IMS || off == E1000_IMC;
}

static void e1000_bad_access(struct e1000 *dev)
{
	ke_irql_t old = e1000_lock(dev);

	dev->st.bad_accesses++;
	e1000_unlock(dev, old);
}

static uint32_t e1000_mmio_read(struct e1000 *dev, uint32_t off, unsigned size)
{
	uint32_t shift = (off & 3) * 8, mask = size == 4 ? ~0u : (1u << (8 * size)) - 1, val;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	if ((off & (size - 1)) || off >= E1000_BAR0_LEN) {
		e1000_bad_access(dev);
		return 0;
	}
	old = e1000_lock(dev);
	if (dev->removed)
		val = ~0u;
	else
		val = e1000_reg_read_locked(dev, off & ~3u) >> shift;
	e1000_unlock(dev, old);
	return val & mask;
}

static void e1000_mmio_write(struct e1000 *dev, uint32_t off, unsigned size, uint32_t val)
{
	uint32_t shift = (off & 3) * 8, mask = size == 4 ? ~0u : (1u << (8 * size)) - 1;
	uint32_t reg = off & ~3u, full;
	bool kick = false;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	if ((off & (size - 1)) || off >= E1000_BAR0_LEN) {
		e1000_bad_access(dev);
		return;
	}
	old = e1000_lock(dev);
	if (!dev->removed) {
		full = (val & mask) << shift;
		if (size < 4 && !e1000_is_action(reg))
			full |= e1000_reg_peek_locked(dev, reg) & ~(mask << shift);
		kick = e1000_reg_write_locked(dev, reg, full);
	}
	e1000_unlock(dev, old);
	if (kick)
		e1000_tx_run(dev);
}

uint32_t e1000_mmio_read32(struct e1000 *dev, uint32_t off)
{
	return e1000_mmio_read(dev, off, 4);
}

uint16_t e1000_mmio_read16(struct e1000 *dev, uint32_t off)
{
	return (uint16_t)e1000_mmio_read(dev, off, 2);
}

uint8_t e1000_mmio_read8(struct e1000 *dev, uint32_t off)
{
	return (uint8_t)e1000_mmio_read(dev, off, 1);
}

void e1000_mmio_write32(struct e1000 *dev, uint32_t off, uint32_t val)
{
	e1000_mmio_write(dev, off, 4, val);
}

void e1000_mmio_write16(struct e1000 *dev, uint32_t off, uint16_t val)
{
	e1000_mmio_write(dev, off, 2, val);
}

void e1000_mmio_write8(struct e1000 *dev, uint32_t off, uint8_t val)
{
	e1000_mmio_write(dev, off, 1, val);
}

/* ------------------------------------------------------------ I/O BAR */

/*
 * IOADDR (port 0) holds a memory-BAR offset; IODATA (port 4) is the
 * register at that offset, with its side effects. Dword accesses only.
 */
static uint32_t e1000_io_read(struct e1000 *dev, uint32_t port, unsigned size)
{
	uint32_t val = 0;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	if (size != 4 || (port != E1000_IOADDR && port != E1000_IODATA)) {
		if (port >= E1000_IO_LEN || size != 4)
			e1000_bad_access(dev);
		return 0;
	}
	old = e1000_lock(dev);
	if (dev->removed)
		val = ~0u;
	else if (port == E1000_IOADDR)
		val = dev->ioaddr;
	else if (dev->ioaddr < E1000_BAR0_LEN)
		val = e1000_reg_read_locked(dev, dev->ioaddr & ~3u);
	e1000_unlock(dev, old);
	return val;
}

static void e1000_io_write(struct e1000 *dev, uint32_t port, unsigned size, uint32_t val)
{
	bool kick = false;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	if (size != 4 || (port != E1000_IOADDR && port != E1000_IODATA)) {
		if (port >= E1000_IO_LEN || size != 4)
			e1000_bad_access(dev);
		return;
	}
	old = e1000_lock(dev);
	if (!dev->removed) {
		if (port == E1000_IOADDR)
			dev->ioaddr = val & (E1000_BAR0_LEN - 1);
		else
			kick = e1000_reg_write_locked(dev, dev->ioaddr & ~3u, val);
	}
	e1000_unlock(dev, old);
	if (kick)
		e1000_tx_run(dev);
}

uint32_t e1000_io_read32(struct e1000 *dev, uint32_t port)
{
	return e1000_io_read(dev, port, 4);
}

uint16_t e1000_io_read16(struct e1000 *dev, uint32_t port)
{
	return (uint16_t)e1000_io_read(dev, port, 2);
}

uint8_t e1000_io_read8(struct e1000 *dev, uint32_t port)
{
	return (uint8_t)e1000_io_read(dev, port, 1);
}

void e1000_io_write32(struct e1000 *dev, uint32_t port, uint32_t val)
{
	e1000_io_write(dev, port, 4, val);
}

void e1000_io_write16(struct e1000 *dev, uint32_t port, uint16_t val)
{
	e1000_io_write(dev, port, 2, val);
}

void e1000_io_write8(struct e1000 *dev, uint32_t port, uint8_t val)
{
	e1000_io_write(dev, port, 1, val);
}
