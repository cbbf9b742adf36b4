/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000_eeprom.c - the serial EEPROM (SDM 5): its image, the EERD
 * read register (SDM 13.4.4) and the bit-banged Microwire interface behind
 * EECD (SDM 13.4.3, SDM 5.3).
 *
 * Image (SDM 5.6, Table 5-2): words 0-2 the Ethernet address (byte 0 in the
 * low byte of word 0), 0x0A initialization control word 1, 0x0B subsystem
 * ID, 0x0C subsystem vendor ID, 0x0D device ID, 0x0E vendor ID, 0x0F
 * initialization control word 2, 0x3F the checksum word chosen so that
 * words 0x00..0x3F add up to 0xBABA.
 */
#define NDISRT_HW_E1000_INTERNAL
#include "hw/e1000/e1000_internal.h"

void e1000_eeprom_build(struct e1000 *dev)
{
	uint16_t *w = dev->ee.word, sum = 0;
	const uint8_t *mac = dev->cfg.mac;

	for (unsigned i = 0; i < E1000_EEPROM_WORDS; i++)
		w[i] = 0;
	for (unsigned i = 0; i < 3; i++)
		w[i] = (uint16_t)(mac[2 * i] | mac[2 * i + 1] << 8);
	w[0x0A] = 0x4408; /* ICW1: valid signature 01b in bits 15:14 (not interpreted) */
	w[0x0B] = E1000_PCI_SUBSYS;
	w[0x0C] = E1000_PCI_VENDOR;
	w[0x0D] = E1000_PCI_DEVICE;
	w[0x0E] = E1000_PCI_VENDOR;
	w[0x0F] = 0x3000; /* ICW2 (not interpreted) */
	for (unsigned i = 0; i < E1000_EEPROM_WORDS - 1; i++)
		sum = (uint16_t)(sum + w[i]);
	w[E1000_EEPROM_WORDS - 1] = (uint16_t)(E1000_EEPROM_SUM - sum);
}

/*
 * EERD: writing START with an address reads that word. The read completes
 * within the write (DONE is set when software next looks), and the address
 * wraps at the part's 64 words as the part ignores the address bits it does
 * not have.
 */
void e1000_eerd_write_locked(struct e1000 *dev, uint32_t val)
{
	uint32_t addr = (val >> E1000_EERD_ADDR_SHIFT) & 0xFF;

	if (!(val & E1000_EERD_START)) {
		*e1000_r(dev, E1000_EERD) = addr << E1000_EERD_ADDR_SHIFT;
		return;
	}
	dev->st.eeprom_reads++;
	*e1000_r(dev, E1000_EERD) = (uint32_t)dev->ee.word[addr % E1000_EEPROM_WORDS]
					<< E1000_EERD_DATA_SHIFT |
				    addr << E1000_EERD_ADDR_SHIFT | E1000_EERD_DONE;
}

uint32_t e1000_eecd_read_locked(struct e1000 *dev)
{
	uint32_t v = *e1000_r(dev, E1000_EECD) & (E1000_EECD_SK | E1000_EECD_CS | E1000_EECD_DI |
						  E1000_EECD_FWE_MASK | E1000_EECD_REQ);

	if (v & E1000_EECD_REQ)
		v |= E1000_EECD_GNT; /* nothing else uses the EEPROM: granted at once */
	if (dev->ee.dout)
		v |= E1000_EECD_DO;
	return v | E1000_EECD_PRES; /* EE_SIZE 0: 64 words, 6 address bits */
}

/* One rising edge of SK with CS high: the part samples DI (SDM 5.3.1). */
static void e1000_ee_clock(struct e1000 *dev, bool di)
{
	struct e1000_eeprom *ee = &dev->ee;

	switch (ee->state) {
	case EE_IDLE:
		if (di) { /* the start bit */
			ee->state = EE_OPCODE;
			ee->bits = 0;
			ee->shift = 0;
		}
		return;
	case EE_OPCODE:
		ee->shift = ee->shift << 1 | di;
		if (++ee->bits == 2) {
			ee->op = ee->shift;
			ee->state = EE_ADDR;
			ee->bits = 0;
			ee->shift = 0;
		}
		return;
	case EE_ADDR:
		ee->shift = ee->shift << 1 | di;
		if (++ee->bits == 6) {
			ee->addr = ee->shift;
			ee->bits = 0;
			/* READ: a dummy 0 marks the end of the address, then data. */
			ee->state = ee->op == E1000_EEPROM_OP_READ ? EE_DATA : EE_IGNORE;
			ee->dout = false;
			if (ee->op == E1000_EEPROM_OP_READ)
				dev->st.eeprom_reads++;
		}
		return;
	case EE_DATA:
		/* Each further clock presents the next bit, MSB first; after 16 the
		 * part goes on with the next word (sequential read). */
		ee->dout = (ee->word[ee->addr] >> (15 - ee->bits)) & 1;
		if (++ee->bits == 16) {
			ee->bits = 0;
			ee->addr = (ee->addr + 1) % E1000_EEPROM_WORDS;
		}
		return;
	case EE_IGNORE:
		return;
	}
}

/*
 * EECD write: software owns SK, CS and DI once EE_REQ is granted. CS low
 * ends any command; a rising SK with CS high clocks one bit.
 */
void e1000_eecd_write_locked(struct e1000 *dev, uint32_t val)
{
	uint32_t was = *e1000_r(dev, E1000_EECD);
	uint32_t keep =
	    E1000_EECD_SK | E1000_EECD_CS | E1000_EECD_DI | E1000_EECD_REQ | E1000_EECD_FWE_MASK;

	*e1000_r(dev, E1000_EECD) = val & keep;
	if (!(val & E1000_EECD_REQ) || !(val & E1000_EECD_CS)) {
		dev->ee.state = EE_IDLE;
		dev->ee.dout = false;
		return;
	}
	if ((val & E1000_EECD_SK) && !(was & E1000_EECD_SK))
		e1000_ee_clock(dev, (val & E1000_EECD_DI) != 0);
}
