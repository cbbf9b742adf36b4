/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1_regs.c - BAR0 decoding (§3) and the driver-side access functions.
 *
 * Each access takes the device lock at HIGH_LEVEL, so an ISR that interrupts
 * a thread in the middle of a register access (same thread, signal handler)
 * cannot arrive while the lock is held: it stays pending until the access
 * has lowered IRQL again.
 */
#define NDISRT_HW_VN1_INTERNAL
#include "hw/vn1_internal.h"

static uint32_t vn1_status_locked(const struct vn1 *dev)
{
	return (dev->link_up ? VN1_STATUS_LU : 0) |
	       ((uint32_t)dev->cfg.speed << VN1_STATUS_SPEED_SHIFT) | VN1_STATUS_FD;
}

static uint32_t vn1_rss_read_locked(const struct vn1 *dev, uint32_t off)
{
	const uint8_t *b;

	if (off >= VN1_RSSRK0 && off < VN1_RSSRK0 + HW_RSS_KEY_LEN)
		b = &dev->rss_key[off - VN1_RSSRK0];
	else
		b = &dev->reta[off - VN1_RETA0];
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void vn1_rss_write_locked(struct vn1 *dev, uint32_t off, uint32_t val)
{
	uint8_t *b;

	if (off >= VN1_RSSRK0 && off < VN1_RSSRK0 + HW_RSS_KEY_LEN)
		b = &dev->rss_key[off - VN1_RSSRK0];
	else
		b = &dev->reta[off - VN1_RETA0];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(val >> (8 * i));
}

static bool vn1_is_rss(uint32_t off)
{
	return (off >= VN1_RSSRK0 && off < VN1_RSSRK0 + HW_RSS_KEY_LEN) ||
	       (off >= VN1_RETA0 && off < VN1_RETA0 + HW_RSS_RETA_LEN);
}

/* The value a register holds, without any read side effect. */
uint32_t vn1_reg_peek_locked(struct vn1 *dev, uint32_t off)
{
	bool handled;

	if (off == VN1_ICR)
		return dev->icr;
	if (off >= VN1_RXQ0 && off < VN1_RXQ0 + 0x40 * VN1_NR_QUEUES)
		return vn1_rxq_read_locked(dev, (off - VN1_RXQ0) / 0x40, off & 0x3F);
	if (off >= VN1_TXQ0 && off < VN1_TXQ0 + 0x40 * VN1_NR_QUEUES)
		return vn1_txq_read_locked(dev, (off - VN1_TXQ0) / 0x40, off & 0x3F);
	if (vn1_is_rss(off))
		return vn1_rss_read_locked(dev, off);
	switch (off) {
	case VN1_CTRL:
		return dev->ctrl;
	case VN1_STATUS:
		return vn1_status_locked(dev);
	case VN1_MAC_LO:
		return dev->mac_lo;
	case VN1_MAC_HI:
		return dev->mac_hi;
	case VN1_RXFILTER:
		return dev->rxfilter;
	case VN1_MRQC:
		return dev->mrqc;
	case VN1_GPRC:
		return dev->gprc;
	case VN1_GPTC:
		return dev->gptc;
	case VN1_MPC:
		return dev->mpc;
	case VN1_SPURIOUS:
		return dev->spurious;
	}
	if (off >= VN1_MSIX_TABLE)
		return vn1_msix_read_locked(dev, off);
	return vn1_irq_read_locked(dev, off, &handled);
}

uint32_t vn1_reg_read_locked(struct vn1 *dev, uint32_t off)
{
	bool handled;
	uint32_t val;

	/* Only ICR has a read side effect; every other register is its peek. */
	if (off == VN1_ICR) {
		val = vn1_irq_read_locked(dev, off, &handled);
		return val;
	}
	return vn1_reg_peek_locked(dev, off);
}

/* CTRL: RST resets everything and reads back 0; enabling TX starts queues. */
static uint32_t vn1_ctrl_write_locked(struct vn1 *dev, uint32_t val)
{
	uint32_t was = dev->ctrl;

	if (val & VN1_CTRL_RST) {
		vn1_reset_locked(dev);
		return 0;
	}
	dev->ctrl = val & (VN1_CTRL_RXEN | VN1_CTRL_TXEN | VN1_CTRL_LPBK);
	if ((dev->ctrl & VN1_CTRL_TXEN) && !(was & VN1_CTRL_TXEN))
		return vn1_tx_claim_locked(dev, 0xFF);
	return 0;
}

uint32_t vn1_reg_write_locked(struct vn1 *dev, uint32_t off, uint32_t val)
{
	if (off >= VN1_RXQ0 && off < VN1_RXQ0 + 0x40 * VN1_NR_QUEUES) {
		vn1_rxq_write_locked(dev, (off - VN1_RXQ0) / 0x40, off & 0x3F, val);
		return 0;
	}
	if (off >= VN1_TXQ0 && off < VN1_TXQ0 + 0x40 * VN1_NR_QUEUES) {
		unsigned q = (off - VN1_TXQ0) / 0x40;

		return vn1_txq_write_locked(dev, q, off & 0x3F, val) ? 1u << q : 0;
	}
	if (vn1_is_rss(off)) {
		vn1_rss_write_locked(dev, off, val);
		return 0;
	}
	if (off >= VN1_MSIX_TABLE) {
		/* The table and PBA are the host's: a driver write is a bug. */
		dev->st.msix_table_writes++;
		return 0;
	}
	switch (off) {
	case VN1_CTRL:
		return vn1_ctrl_write_locked(dev, val);
	case VN1_MAC_LO:
		dev->mac_lo = val;
		return 0;
	case VN1_MAC_HI:
		dev->mac_hi = val & 0xFFFF;
		return 0;
	case VN1_RXFILTER:
		dev->rxfilter = val & 0xF;
		return 0;
	case VN1_MRQC:
		dev->mrqc = val & (HW_RSS_MRQC_ENABLE | HW_RSS_MRQC_ALL_TYPES);
		return 0;
	}
	vn1_irq_write_locked(dev, off, val); /* unlisted offsets ignore writes */
	return 0;
}

/* Register offsets whose write is an action: unwritten bytes must be zero. */
static bool vn1_is_action(uint32_t off)
{
	return off == VN1_ICR || off == VN1_ICS || off == VN1_IMS || off == VN1_IMC;
}

static bool vn1_access_ok(struct vn1 *dev, uint32_t off, unsigned size)
{
	if ((off & (size - 1)) == 0 && off < VN1_BAR0_LEN)
		return true;
	ke_irql_t old = vn1_lock(dev);

	dev->st.bad_accesses++;
	vn1_unlock(dev, old);
	return false;
}

static void vn1_hook(struct vn1 *dev, enum vn1_space sp, uint32_t off, unsigned size, uint32_t val,
		     bool write)
{
	if (__builtin_expect(dev->hooks.access != NULL, 0))
		dev->hooks.access(dev->hooks.ctx, dev, sp, off, size, val, write);
}

/* Surprise removal: reads return all ones, writes vanish. */
static uint32_t vn1_mmio_read(struct vn1 *dev, uint32_t off, unsigned size)
{
	uint32_t shift = (off & 3) * 8, mask = size == 4 ? ~0u : (1u << (8 * size)) - 1;
	uint32_t val;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	if (!vn1_access_ok(dev, off, size))
		return 0;
	old = vn1_lock(dev);
	if (dev->removed)
		val = ~0u;
	else
		val = (vn1_reg_read_locked(dev, off & ~3u) >> shift) & mask;
	vn1_unlock(dev, old);
	vn1_hook(dev, VN1_SPACE_MMIO, off, size, val & mask, false);
	return val & mask;
}

static void vn1_mmio_write(struct vn1 *dev, uint32_t off, unsigned size, uint32_t val)
{
	uint32_t shift = (off & 3) * 8, mask = size == 4 ? ~0u : (1u << (8 * size)) - 1;
	uint32_t reg = off & ~3u, full, kick = 0;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	if (!vn1_access_ok(dev, off, size))
		return;
	old = vn1_lock(dev);
	if (!dev->removed) {
		full = (val & mask) << shift;
		if (size < 4 && !vn1_is_action(reg))
			full |= vn1_reg_peek_locked(dev, reg) & ~(mask << shift);
		kick = vn1_reg_write_locked(dev, reg, full);
	}
	vn1_unlock(dev, old);
	vn1_tx_kick(dev, kick);
	vn1_hook(dev, VN1_SPACE_MMIO, off, size, val & mask, true);
}

uint32_t vn1_mmio_read32(struct vn1 *dev, uint32_t off)
{
	return vn1_mmio_read(dev, off, 4);
}

uint16_t vn1_mmio_read16(struct vn1 *dev, uint32_t off)
{
	return (uint16_t)vn1_mmio_read(dev, off, 2);
}

uint8_t vn1_mmio_read8(struct vn1 *dev, uint32_t off)
{
	return (uint8_t)vn1_mmio_read(dev, off, 1);
}

void vn1_mmio_write32(struct vn1 *dev, uint32_t off, uint32_t val)
{
	vn1_mmio_write(dev, off, 4, val);
}

void vn1_mmio_write16(struct vn1 *dev, uint32_t off, uint16_t val)
{
	vn1_mmio_write(dev, off, 2, val);
}

void vn1_mmio_write8(struct vn1 *dev, uint32_t off, uint8_t val)
{
	vn1_mmio_write(dev, off, 1, val);
}
