/* SPDX-License-Identifier: MIT */
/*
 * hw/rtl8139/rtl8139.c - RTL8139C life cycle, the register file (DS §5,
 * "Register Descriptions"), INTA#, the 93C46 EEPROM, PCI configuration
 * space, host faults and statistics. Receive and transmit are in
 * rtl8139_rxtx.c.
 *
 * The register file is byte storage; registers with behaviour are decoded
 * here. A multi-byte access is split into the registers it covers; a
 * partial write merges into the register's value, except ISR where bytes
 * not written are 0 (write-1-to-clear).
 */
#define NDISRT_HW_RTL8139_INTERNAL
#include "hw/rtl8139/rtl8139_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RTL_PCI_CMD_IO (1u << 0)
#define RTL_PCI_CMD_MEM (1u << 1)
#define RTL_PCI_CMD_MASTER (1u << 2)
#define RTL_PCI_CMD_INTX_DISABLE (1u << 10)
#define RTL_PCI_CMD_WRITABLE \
	(RTL_PCI_CMD_IO | RTL_PCI_CMD_MEM | RTL_PCI_CMD_MASTER | RTL_PCI_CMD_INTX_DISABLE)

/* ------------------------------------------------------------- interrupt */

/*
 * INTA# (DS: ISR/IMR): asserted while ISR & IMR is non-zero, level
 * sensitive; PCI Command.InterruptDisable and surprise removal silence it,
 * a stuck-line fault holds it.
 */
void rtl8139_irq_update_locked(struct rtl8139 *d)
{
	bool want = (rtl_get(d, RTL_ISR, 2) & rtl_get(d, RTL_IMR, 2) & RTL_INT_ALL) != 0;
	bool level;

	if (d->removed)
		level = false;
	else if (d->stuck)
		level = true;
	else
		level = want && !(d->pci_command & RTL_PCI_CMD_INTX_DISABLE);
	if (level == d->line_out)
		return;
	d->line_out = level;
	if (level)
		d->st.line_assertions++;
	if (d->sink.ops && d->sink.ops->line_set)
		d->sink.ops->line_set(d->sink.ctx, level);
}

static void rtl_cause_locked(struct rtl8139 *d, uint16_t bits)
{
	rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | bits);
	rtl8139_irq_update_locked(d);
}

/* ---------------------------------------------------------------- timer */

/*
 * TCTR / TimerInt (DS §5): TCTR counts up at a fixed rate (here the 33 MHz
 * PCI clock, on the engine clock) and restarts from 0 on any write; when
 * TimerInt is non-zero, ISR.TimeOut is set as TCTR reaches it.
 */
static uint32_t rtl_tctr_locked(struct rtl8139 *d)
{
	uint64_t ns = ke_clock_ns(d->machine) - d->tctr_epoch;

	return (uint32_t)(ns * (RTL_TCTR_HZ / 1000000) / 1000); /* 33 ticks a microsecond */
}

static void rtl_timer_arm_locked(struct rtl8139 *d)
{
	uint64_t tint = rtl_get(d, RTL_TIMERINT, 4);

	d->timer_due = 0;
	if (!tint)
		return; /* a pending callback finds nothing due */
	d->timer_due = d->tctr_epoch + (tint * 1000000000ull + RTL_TCTR_HZ - 1) / RTL_TCTR_HZ;
	if (!d->timer_due)
		d->timer_due = 1;
	ke_host_timer_arm(d->machine, &d->timer, d->timer_due);
}

static void rtl_timer_fire(struct ke_host_timer *t, void *ctx)
{
	struct rtl8139 *d = ctx;
	ke_irql_t old = rtl_lock(d);

	(void)t;
	if (d->timer_due && ke_clock_ns(d->machine) >= d->timer_due) {
		d->timer_due = 0;
		rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) | RTL_INT_TIMEOUT);
		rtl8139_irq_update_locked(d);
	} else if (d->timer_due) {
		ke_host_timer_arm(d->machine, &d->timer, d->timer_due);
	}
	rtl_unlock(d, old);
}

/* --------------------------------------------------------------- EEPROM */

static void rtl_eeprom_build(struct rtl8139 *d, const uint8_t mac[6])
{
	uint16_t *w = d->eeprom;

	memset(w, 0xFF, sizeof(d->eeprom));
	w[0] = RTL_EEPROM_SIG;
	w[1] = RTL8139_PCI_VENDOR;
	w[2] = RTL8139_PCI_DEVICE;
	w[3] = RTL8139_PCI_VENDOR; /* subsystem vendor */
	w[4] = RTL8139_PCI_DEVICE; /* subsystem */
	for (unsigned i = 0; i < 3; i++)
		w[RTL_EEPROM_MAC_WORD + i] = (uint16_t)(mac[2 * i] | mac[2 * i + 1] << 8);
}

/* Auto-load (power-on, 9346CR EEM=01): the station address from the EEPROM. */
static void rtl_eeprom_autoload_locked(struct rtl8139 *d)
{
	for (unsigned i = 0; i < 3; i++)
		rtl_put(d, RTL_IDR0 + 2 * i, 2, d->eeprom[RTL_EEPROM_MAC_WORD + i]);
}

/*
 * 9346CR in programming mode (EEM=10): EECS, EESK, EEDI drive the 93C46's
 * pins and EEDO reads its DO. The part samples DI on each rising edge of SK:
 * start bit 1, opcode (2 bits, READ = 10), address (6 bits); then DO gives a
 * dummy 0 and, on each following rising edge, the word MSB first, moving on
 * to the next word (sequential read) until CS drops.
 */
static void rtl_eeprom_pins_locked(struct rtl8139 *d, uint8_t v)
{
	bool cs = v & RTL_9346_EECS, sk = v & RTL_9346_EESK, di = v & RTL_9346_EEDI;
	bool rise = sk && !d->ee_sk;

	d->ee_sk = sk;
	if (!cs) {
		d->ee_state = RTL_EE_IDLE;
		d->ee_dout = false;
		return;
	}
	if (!rise)
		return;
	switch (d->ee_state) {
	case RTL_EE_IDLE:
		if (di) {
			d->ee_state = RTL_EE_OPCODE;
			d->ee_bits = 0;
			d->ee_shift = 0;
		}
		break;
	case RTL_EE_OPCODE:
		d->ee_shift = d->ee_shift << 1 | di;
		if (++d->ee_bits == 2) {
			d->ee_op = d->ee_shift;
			d->ee_state = d->ee_op == RTL_EEPROM_OP_READ ? RTL_EE_ADDR : RTL_EE_IGNORE;
			d->ee_bits = 0;
			d->ee_shift = 0;
		}
		break;
	case RTL_EE_ADDR:
		d->ee_shift = d->ee_shift << 1 | di;
		if (++d->ee_bits == 6) {
			d->ee_addr = d->ee_shift & (RTL_EEPROM_WORDS - 1);
			d->ee_state = RTL_EE_DATA;
			d->ee_bits = 0;
			d->ee_dout = false; /* the dummy zero */
			d->st.eeprom_reads++;
		}
		break;
	case RTL_EE_DATA:
		d->ee_dout = (d->eeprom[d->ee_addr] >> (15 - d->ee_bits)) & 1;
		if (++d->ee_bits == 16) {
			d->ee_bits = 0;
			d->ee_addr = (d->ee_addr + 1) & (RTL_EEPROM_WORDS - 1);
		}
		break;
	case RTL_EE_IGNORE:
		break;
	}
}

/* ---------------------------------------------------------------- reset */

/* CR.RST (DS: Command Register): transmitter and receiver off, the buffer
 * pointers to their initial values (Tx at TSD0, Rx buffer empty); IDR and
 * MAR keep their values. */
static void rtl_soft_reset_locked(struct rtl8139 *d)
{
	for (unsigned i = 0; i < 4; i++)
		rtl_put(d, RTL_TSD0 + 4 * i, 4, RTL_TSD_OWN);
	d->tx_next = 0;
	d->tx_armed = 0;
	d->rx_wr = 0;
	hw_wbq_drop_locked(&d->wbq); /* the headers it would write are stale */
	rtl_put(d, RTL_CAPR, 2, 0x10000u - RTL_CAPR_BIAS);
	d->reg[RTL_CR] = 0;
}

/* Power-on / function-level reset: every register to its default, the
 * station address auto-loaded from the EEPROM. */
void rtl8139_power_reset_locked(struct rtl8139 *d)
{
	memset(d->reg, 0, sizeof(d->reg));
	rtl_soft_reset_locked(d);
	rtl_eeprom_autoload_locked(d);
	rtl_put(d, RTL_TCR, 4, RTL_TCR_HWVER_8139C);
	rtl_put(d, RTL_BMCR, 2, RTL_BMCR_SPD100 | RTL_BMCR_ANE | RTL_BMCR_DUPLEX);
	rtl_put(d, RTL_ANAR, 2, 0x01E1);
	d->reg[RTL_RERID] = RTL8139_PCI_REVISION;
	d->tctr_epoch = ke_clock_ns(d->machine);
	d->timer_due = 0;
	d->ee_state = RTL_EE_IDLE;
	d->ee_dout = d->ee_sk = false;
	d->st.resets++;
	rtl8139_irq_update_locked(d);
}

/* ------------------------------------------------------------ registers */

/* The register containing byte @off: its start and size. */
static void rtl_span(uint32_t off, uint32_t *start, unsigned *size)
{
	if ((off >= RTL_TSD0 && off < RTL_ERBCR) || (off >= RTL_TCR && off < RTL_9346CR) ||
	    (off >= RTL_TIMERINT && off < RTL_MSR)) {
		*start = off & ~3u;
		*size = 4;
	} else if ((off >= RTL_ERBCR && off < RTL_ERSR) || (off >= RTL_CAPR && off < RTL_TCR) ||
		   (off >= RTL_MULINT && off < RTL_RERID) || (off >= RTL_TSAD && off < 0x6C)) {
		*start = off & ~1u;
		*size = 2;
	} else {
		*start = off;
		*size = 1;
	}
}

static bool rtl_rx_empty_locked(const struct rtl8139 *d)
{
	uint32_t size =
	    8192u << ((rtl_get(d, RTL_RCR, 4) & RTL_RCR_RBLEN_MASK) >> RTL_RCR_RBLEN_SHIFT);
	uint32_t rd = ((rtl_get(d, RTL_CAPR, 2) + RTL_CAPR_BIAS) & 0xFFFF) % size;

	return rd == d->rx_wr;
}

/* Bring the registers whose value is computed up to date before a read. */
static void rtl_refresh_locked(struct rtl8139 *d)
{
	uint16_t tsad = 0, bmsr = RTL_BMSR_BASE;

	d->reg[RTL_CR] = (uint8_t)((d->reg[RTL_CR] & (RTL_CR_RE | RTL_CR_TE)) |
				   (rtl_rx_empty_locked(d) ? RTL_CR_BUFE : 0));
	rtl_put(d, RTL_CBR, 2, d->rx_wr);
	for (unsigned i = 0; i < 4; i++) {
		uint32_t tsd = rtl_get(d, RTL_TSD0 + 4 * i, 4);

		tsad |= (uint16_t)(((tsd & RTL_TSD_TOK) ? 1u << (12 + i) : 0) |
				   ((tsd & RTL_TSD_TUN) ? 1u << (8 + i) : 0) |
				   ((tsd & RTL_TSD_TABT) ? 1u << (4 + i) : 0) |
				   ((tsd & RTL_TSD_OWN) ? 1u << i : 0));
	}
	rtl_put(d, RTL_TSAD, 2, tsad);
	rtl_put(d, RTL_TCTR, 4, rtl_tctr_locked(d));
	d->reg[RTL_MSR] = (uint8_t)((d->reg[RTL_MSR] & ~(RTL_MSR_LINKB | RTL_MSR_SPEED_10)) |
				    (d->cable ? 0 : RTL_MSR_LINKB));
	if (d->cable)
		bmsr |= RTL_BMSR_LINK | RTL_BMSR_AN_DONE;
	rtl_put(d, RTL_BMSR, 2, bmsr);
	d->reg[RTL_9346CR] =
	    (uint8_t)((d->reg[RTL_9346CR] & ~RTL_9346_EEDO) | (d->ee_dout ? RTL_9346_EEDO : 0));
}

static bool rtl_access_ok(uint32_t off, unsigned width)
{
	return (width == 1 || width == 2 || width == 4) && off < RTL8139_REGS_LEN &&
	       width <= RTL8139_REGS_LEN - off && (off & (width - 1)) == 0;
}

uint32_t rtl8139_reg_read(struct rtl8139 *d, uint32_t off, unsigned width)
{
	ke_irql_t old;
	uint32_t v;

	ke_preempt_point(KE_PP_REG_ACCESS);
	old = rtl_lock(d);
	if (d->removed) {
		v = width >= 4 ? 0xFFFFFFFFu : (1u << (8 * width)) - 1;
	} else if (!rtl_access_ok(off, width)) {
		d->st.bad_accesses++;
		v = 0;
	} else {
		rtl_refresh_locked(d);
		v = rtl_get(d, off, width);
	}
	rtl_unlock(d, old);
	return v;
}

/* One whole register at @start of @size bytes gets @v (already merged). */
static bool rtl_write_reg_locked(struct rtl8139 *d, uint32_t start, unsigned size, uint32_t v)
{
	bool run_tx = false;

	switch (start) {
	case RTL_TSD0:
	case RTL_TSD0 + 4:
	case RTL_TSD0 + 8:
	case RTL_TSD0 + 12: {
		unsigned n = (start - RTL_TSD0) / 4;

		/* SIZE, OWN and the early threshold are the driver's; the
		 * status bits are the device's and start over. */
		v &= RTL_TSD_SIZE_MASK | RTL_TSD_OWN | (0x3Fu << RTL_TSD_ERTXTH_SHIFT);
		rtl_put(d, start, 4, v);
		if (v & RTL_TSD_OWN) {
			d->tx_armed &= (uint8_t) ~(1u << n);
		} else {
			d->tx_armed |= (uint8_t)(1u << n);
			run_tx = true;
		}
		break;
	}
	case RTL_CR:
		if (v & RTL_CR_RST) {
			rtl_soft_reset_locked(d);
			break;
		}
		d->reg[RTL_CR] = (uint8_t)(v & (RTL_CR_RE | RTL_CR_TE));
		run_tx = (v & RTL_CR_TE) != 0;
		break;
	case RTL_CBR:
	case RTL_TSAD:
	case RTL_BMSR:
	case RTL_MSR:
	case RTL_RERID:
	case RTL_ANLPAR:
	case RTL_ANER:
		break; /* read-only */
	case RTL_TCTR:
		d->tctr_epoch = ke_clock_ns(d->machine); /* any write restarts it */
		rtl_timer_arm_locked(d);
		break;
	case RTL_TIMERINT:
		rtl_put(d, RTL_TIMERINT, 4, v);
		rtl_timer_arm_locked(d);
		break;
	case RTL_ISR:
		rtl_put(d, RTL_ISR, 2, rtl_get(d, RTL_ISR, 2) & ~v);
		rtl8139_irq_update_locked(d);
		break;
	case RTL_IMR:
		rtl_put(d, RTL_IMR, 2, v & RTL_INT_ALL);
		rtl8139_irq_update_locked(d);
		break;
	case RTL_TCR:
		rtl_put(d, RTL_TCR, 4, (v & ~0x7CC00000u) | RTL_TCR_HWVER_8139C);
		break;
	case RTL_MPC:
		rtl_put(d, RTL_MPC, 4, 0); /* any write clears the counter */
		break;
	case RTL_9346CR: {
		uint8_t eem = (uint8_t)(v & RTL_9346_EEM_MASK);

		if (eem == RTL_9346_EEM_AUTOLOAD) {
			rtl_eeprom_autoload_locked(d);
			d->reg[RTL_9346CR] = RTL_9346_EEM_NORMAL; /* done at once */
			break;
		}
		d->reg[RTL_9346CR] = (uint8_t)(v & ~RTL_9346_EEDO);
		if (eem == RTL_9346_EEM_PROGRAM)
			rtl_eeprom_pins_locked(d, (uint8_t)v);
		else
			d->ee_state = RTL_EE_IDLE;
		break;
	}
	case RTL_CONFIG0:
		break; /* read-only in this model */
	case RTL_CONFIG1:
	case RTL_CONFIG3:
	case RTL_CONFIG4:
	case RTL_CONFIG5:
		if ((d->reg[RTL_9346CR] & RTL_9346_EEM_MASK) == RTL_9346_EEM_CFGWE)
			d->reg[start] = (uint8_t)v;
		break;
	case RTL_BMCR:
		/* reset and restart-autonegotiation complete at once */
		rtl_put(d, RTL_BMCR, 2, v & ~(RTL_BMCR_RESET | RTL_BMCR_RESTART_AN));
		break;
	default:
		rtl_put(d, start, size, v);
		break;
	}
	return run_tx;
}

void rtl8139_reg_write(struct rtl8139 *d, uint32_t off, unsigned width, uint32_t v)
{
	uint8_t frame[RTL_TX_MAX];
	bool run_tx = false;
	size_t n;
	ke_irql_t old;

	ke_preempt_point(KE_PP_REG_ACCESS);
	old = rtl_lock(d);
	if (d->removed) {
		rtl_unlock(d, old);
		return;
	}
	if (!rtl_access_ok(off, width)) {
		d->st.bad_accesses++;
		rtl_unlock(d, old);
		return;
	}
	while (width) {
		uint32_t start, cur;
		unsigned size, lo, take;

		rtl_span(off, &start, &size);
		lo = off - start;
		take = size - lo < width ? size - lo : width;
		cur = start == RTL_ISR ? 0 : rtl_get(d, start, size);
		for (unsigned i = 0; i < take; i++) {
			cur &= ~(0xFFu << (8 * (lo + i)));
			cur |= ((v >> (8 * i)) & 0xFFu) << (8 * (lo + i));
		}
		run_tx |= rtl_write_reg_locked(d, start, size, cur);
		off += take;
		width -= take;
		v = take < 4 ? v >> (8 * take) : 0;
	}
	rtl_unlock(d, old);
	while (run_tx) {
		old = rtl_lock(d);
		n = rtl8139_tx_step_locked(d, frame);
		rtl_unlock(d, old);
		if (n == (size_t)-1)
			break;
		if (n)
			rtl8139_tx_send(d, frame, n);
	}
}

/* --------------------------------------------------------- PCI config */

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

/* DS §7, PCI Configuration Space: BAR0 IOAR (I/O), BAR1 MEMAR (memory),
 * INTA#. No capability list in this model. */
static void rtl_pci_image_locked(const struct rtl8139 *d, uint8_t *cs)
{
	memset(cs, 0, HW_PCI_CONFIG_LEN);
	put16(cs + 0x00, RTL8139_PCI_VENDOR);
	put16(cs + 0x02, RTL8139_PCI_DEVICE);
	put16(cs + 0x04, d->pci_command);
	put16(cs + 0x06, (uint16_t)(0x0200u | (d->line_out ? 1u << 3 : 0)));
	cs[0x08] = RTL8139_PCI_REVISION;
	cs[0x0B] = 0x02; /* network controller, Ethernet */
	put32(cs + 0x10, (uint32_t)(d->port_base & ~0xFFu) | 1u);
	put32(cs + 0x14, (uint32_t)d->mem_base & ~0xFFu);
	put16(cs + 0x2C, d->eeprom[3]);
	put16(cs + 0x2E, d->eeprom[4]);
	cs[0x3C] = d->line_vector;
	cs[0x3D] = 1; /* INTA# */
	cs[0x3E] = 0x20;
	cs[0x3F] = 0x40;
}

size_t rtl8139_config_read(struct rtl8139 *d, uint32_t off, void *buf, size_t len)
{
	uint8_t cs[HW_PCI_CONFIG_LEN];
	ke_irql_t old;

	if (off >= HW_PCI_CONFIG_LEN)
		return 0;
	if (len > HW_PCI_CONFIG_LEN - off)
		len = HW_PCI_CONFIG_LEN - off;
	ke_preempt_point(KE_PP_REG_ACCESS);
	old = rtl_lock(d);
	if (d->removed)
		memset(cs, 0xFF, sizeof(cs));
	else
		rtl_pci_image_locked(d, cs);
	rtl_unlock(d, old);
	memcpy(buf, cs + off, len);
	return len;
}

size_t rtl8139_config_write(struct rtl8139 *d, uint32_t off, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	ke_irql_t old;

	if (off >= HW_PCI_CONFIG_LEN)
		return 0;
	if (len > HW_PCI_CONFIG_LEN - off)
		len = HW_PCI_CONFIG_LEN - off;
	ke_preempt_point(KE_PP_REG_ACCESS);
	old = rtl_lock(d);
	for (size_t i = 0; i < len && !d->removed; i++) {
		uint32_t at = off + (uint32_t)i;
		uint16_t shift, mask;

		if (at != 0x04 && at != 0x05)
			continue;
		shift = (uint16_t)(8 * (at - 0x04));
		mask = (uint16_t)(RTL_PCI_CMD_WRITABLE & (0xFFu << shift));
		d->pci_command =
		    (uint16_t)((d->pci_command & ~mask) | (((uint16_t)b[i] << shift) & mask));
	}
	rtl8139_irq_update_locked(d);
	rtl_unlock(d, old);
	return len;
}

/* ------------------------------------------------------------ life cycle */

struct rtl8139 *rtl8139_create(const struct hw_device_params *p, char *err, size_t errlen)
{
	static const struct hw_param_limits lim = {
	    .model = "rtl8139",
	    .part = "the RTL8139C",
	    .max_queues = 1,
	};
	struct rtl8139 *d;

	if (hw_params_check(p, &lim, NULL, err, errlen) ||
	    hw_options_parse(p->options, "rtl8139", "none", NULL, NULL, err, errlen))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "rtl8139: cannot create the device: %s", strerror(ENOMEM));
		return NULL;
	}
	ke_spin_init(&d->lock);
	ke_host_timer_init(&d->timer, rtl_timer_fire, d);
	d->machine = p->machine;
	d->dma = p->dma;
	d->sink = p->sink;
	d->mem_base = p->mem_base;
	d->port_base = p->port_base;
	d->line_vector = p->line_vector;
	d->cable = !p->link_down;
	d->pci_command = RTL_PCI_CMD_IO | RTL_PCI_CMD_MEM | RTL_PCI_CMD_MASTER;
	rtl8139_rx_wb_init(d);
	rtl_eeprom_build(d, p->mac);
	rtl8139_power_reset_locked(d); /* not shared yet */
	d->st.resets = 0;
	return d;
}

void rtl8139_free(struct rtl8139 *d)
{
	if (!d)
		return;
	if (d->wire)
		wire_attach(d->wire, d->wire_end, NULL, NULL);
	ke_host_timer_cancel(d->machine, &d->timer);
	hw_wbq_stop(&d->wbq);
	if (d->sink.ops && d->line_out)
		d->sink.ops->line_set(d->sink.ctx, false);
	free(d);
}

void rtl8139_set_sink(struct rtl8139 *d, struct hw_irq_sink sink)
{
	ke_irql_t old = rtl_lock(d);

	d->sink = sink;
	d->line_out = false;
	rtl8139_irq_update_locked(d);
	rtl_unlock(d, old);
}

bool rtl8139_line_asserted(struct rtl8139 *d)
{
	ke_irql_t old = rtl_lock(d);
	bool v = d->line_out;

	rtl_unlock(d, old);
	return v;
}

void rtl8139_wire_attach(struct rtl8139 *d, struct wire *w, unsigned end)
{
	if (d->wire)
		wire_attach(d->wire, d->wire_end, NULL, NULL);
	d->wire = w;
	d->wire_end = end & 1;
	if (w)
		wire_attach(w, d->wire_end, rtl8139_receive, d);
}

void rtl8139_get_stats(struct rtl8139 *d, struct rtl8139_stats *out)
{
	ke_irql_t old = rtl_lock(d);

	*out = d->st;
	out->wb_delayed = d->wbq.delayed;
	rtl_unlock(d, old);
}

/* ---------------------------------------------------------- host faults */

int rtl8139_fault(struct rtl8139 *d, enum hw_fault f, uint64_t arg)
{
	ke_irql_t old;

	switch (f) {
	case HW_FAULT_LINK:
	case HW_FAULT_SPURIOUS_IRQ:
	case HW_FAULT_STUCK_LINE:
		if (arg > 1 || (f == HW_FAULT_SPURIOUS_IRQ && arg))
			return -EINVAL;
		break;
	case HW_FAULT_DMA_ERROR:
	case HW_FAULT_SURPRISE_REMOVE:
		if (arg)
			return -EINVAL; /* takes no argument */
		break;
	case HW_FAULT_DMA_WRITEBACK_DELAY:
		if (arg > HW_WBQ_MAX_NS)
			return -EINVAL;
		break;
	default:
		return -EOPNOTSUPP; /* no message interrupts */
	}
	old = rtl_lock(d);
	switch (f) {
	case HW_FAULT_LINK:
		/* DS ISR bit 5 PUN/LinkChg; MSR.LINKB and BMSR follow the cable */
		d->st.inj_link_changes++;
		if (d->cable != (arg != 0)) {
			d->cable = arg != 0;
			if (!d->removed)
				rtl_cause_locked(d, RTL_INT_PUN);
		}
		break;
	case HW_FAULT_SPURIOUS_IRQ:
		d->st.inj_spurious++;
		if (!d->removed && d->sink.ops) {
			if (d->sink.ops->line_pulse) {
				d->sink.ops->line_pulse(d->sink.ctx);
			} else if (!d->line_out) {
				d->sink.ops->line_set(d->sink.ctx, true);
				d->sink.ops->line_set(d->sink.ctx, false);
			}
		}
		break;
	case HW_FAULT_STUCK_LINE:
		if (arg && !d->stuck)
			d->st.inj_stuck_line++;
		d->stuck = arg != 0;
		rtl8139_irq_update_locked(d);
		break;
	case HW_FAULT_DMA_ERROR:
		d->st.inj_dma_fault++;
		d->dma_fault_next++;
		break;
	case HW_FAULT_DMA_WRITEBACK_DELAY:
		if (arg)
			d->st.inj_wb_delay++;
		(void)hw_wbq_set_delay_locked(&d->wbq, arg);
		break;
	case HW_FAULT_SURPRISE_REMOVE:
		if (!d->removed)
			d->st.inj_surprise_removal++;
		d->removed = true;
		hw_wbq_drop_locked(&d->wbq); /* a removed device writes nothing more */
		rtl8139_irq_update_locked(d);
		break;
	default:
		break;
	}
	rtl_unlock(d, old);
	return 0;
}
