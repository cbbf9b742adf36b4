/* SPDX-License-Identifier: MIT */
/*
 * hw/rtl8139/rtl8139.h - the Realtek RTL8139C(L) fast Ethernet controller as
 * Realtek's public datasheet describes it (docs/devices/rtl8139.md lists what
 * is modelled and what is not; "DS §n" below names the datasheet's section).
 *
 * The model is reached through the device seam (hw/device.h, model
 * "rtl8139"); this header gives the register map for tests and the
 * model's own files. The same 256-byte register block answers on BAR0
 * (I/O ports) and BAR1 (memory).
 *
 * Every entry point may be called from any thread at any IRQL, including an
 * ISR running in a signal handler that interrupted a thread already inside
 * the device: the state is guarded by one ke spin lock taken at HIGH_LEVEL,
 * and nothing under it allocates, prints or blocks.
 */
#ifndef NDISRT_HW_RTL8139_H
#define NDISRT_HW_RTL8139_H

#include <stdint.h>

/* ---------------------------------------------------------------- identity */

#define RTL8139_PCI_VENDOR 0x10ECu
#define RTL8139_PCI_DEVICE 0x8139u
#define RTL8139_PCI_REVISION 0x10u /* RTL8139C */
#define RTL8139_REGS_LEN 0x100u	   /* BAR0: 256 ports, BAR1: 256 bytes */
#define RTL8139_BAR_IO 0u
#define RTL8139_BAR_MEM 1u

/* ------------------------------------------- operational registers (DS §5) */

enum rtl8139_reg {
	RTL_IDR0 = 0x00,    /* IDR0-5: station address (byte/dword access) */
	RTL_MAR0 = 0x08,    /* MAR0-7: multicast hash filter */
	RTL_TSD0 = 0x10,    /* TSD0-3: transmit status of descriptor 0..3 (+4 n) */
	RTL_TSAD0 = 0x20,   /* TSAD0-3: transmit start address of descriptor 0..3 */
	RTL_RBSTART = 0x30, /* receive (ring) buffer start address */
	RTL_ERBCR = 0x34,   /* early receive byte count (2) */
	RTL_ERSR = 0x36,    /* early receive status (1) */
	RTL_CR = 0x37,	    /* command (1) */
	RTL_CAPR = 0x38,    /* current address of packet read (2) */
	RTL_CBR = 0x3A,	    /* current buffer address (2), read-only */
	RTL_IMR = 0x3C,	    /* interrupt mask (2) */
	RTL_ISR = 0x3E,	    /* interrupt status (2), write 1 to clear */
	RTL_TCR = 0x40,	    /* transmit configuration (4) */
	RTL_RCR = 0x44,	    /* receive configuration (4) */
	RTL_TCTR = 0x48,    /* timer count (4) */
	RTL_MPC = 0x4C,	    /* missed packet counter (4, 24 bits) */
	RTL_9346CR = 0x50,  /* 93C46 command (1) */
	RTL_CONFIG0 = 0x51,
	RTL_CONFIG1 = 0x52,
	RTL_TIMERINT = 0x54, /* timer interrupt (4) */
	RTL_MSR = 0x58,	     /* media status (1) */
	RTL_CONFIG3 = 0x59,
	RTL_CONFIG4 = 0x5A,
	RTL_MULINT = 0x5C, /* multiple interrupt select (2) */
	RTL_RERID = 0x5E,  /* PCI revision ID (1) */
	RTL_TSAD = 0x60,   /* transmit status of all descriptors (2), read-only */
	RTL_BMCR = 0x62,   /* basic mode control (2) */
	RTL_BMSR = 0x64,   /* basic mode status (2) */
	RTL_ANAR = 0x66,
	RTL_ANLPAR = 0x68,
	RTL_ANER = 0x6A,
	RTL_CONFIG5 = 0xD8,
};

/* CR (DS: Command Register) */
#define RTL_CR_BUFE (1u << 0) /* receive buffer empty (read-only) */
#define RTL_CR_TE (1u << 2)
#define RTL_CR_RE (1u << 3)
#define RTL_CR_RST (1u << 4)

/* IMR / ISR (DS: Interrupt Mask / Status Register) */
#define RTL_INT_ROK (1u << 0)
#define RTL_INT_RER (1u << 1)
#define RTL_INT_TOK (1u << 2)
#define RTL_INT_TER (1u << 3)
#define RTL_INT_RXOVW (1u << 4)	  /* receive buffer overflow */
#define RTL_INT_PUN (1u << 5)	  /* packet underrun / link change */
#define RTL_INT_FOVW (1u << 6)	  /* receive FIFO overflow */
#define RTL_INT_LENCHG (1u << 13) /* cable length change */
#define RTL_INT_TIMEOUT (1u << 14)
#define RTL_INT_SERR (1u << 15)
#define RTL_INT_ALL 0xE07Fu

/* TSD0-3 (DS: Transmit Status Register) */
#define RTL_TSD_SIZE_MASK 0x1FFFu /* bits 12:0, at most 1792 bytes */
#define RTL_TSD_OWN (1u << 13)	  /* 1: DMA of the buffer to the FIFO done */
#define RTL_TSD_TUN (1u << 14)
#define RTL_TSD_TOK (1u << 15)
#define RTL_TSD_ERTXTH_SHIFT 16 /* bits 21:16 */
#define RTL_TSD_TABT (1u << 30)
#define RTL_TSD_CRS (1u << 31)
#define RTL_TX_MAX 1792u

/* TCR (DS: Transmit Configuration Register) */
#define RTL_TCR_CLRABT (1u << 0)
#define RTL_TCR_LBK_MASK (3u << 17)
#define RTL_TCR_IFG_STD (3u << 24)
#define RTL_TCR_HWVER_8139C 0x74000000u /* HWVERID_A 11101, HWVERID_B 00 */

/* RCR (DS: Receive Configuration Register) */
#define RTL_RCR_AAP (1u << 0) /* accept all packets with a physical destination */
#define RTL_RCR_APM (1u << 1) /* accept physical match */
#define RTL_RCR_AM (1u << 2)  /* accept multicast (MAR hash) */
#define RTL_RCR_AB (1u << 3)  /* accept broadcast */
#define RTL_RCR_AR (1u << 4)  /* accept runt */
#define RTL_RCR_AER (1u << 5) /* accept error packets */
#define RTL_RCR_WRAP (1u << 7)
#define RTL_RCR_RBLEN_SHIFT 11 /* bits 12:11: 8K, 16K, 32K, 64K (+16) */
#define RTL_RCR_RBLEN_MASK (3u << 11)

/* Receive packet header, first word in the ring (DS: Receive Status Register in Rx packet header) */
#define RTL_RXH_ROK (1u << 0)
#define RTL_RXH_FAE (1u << 1)
#define RTL_RXH_CRC (1u << 2)
#define RTL_RXH_LONG (1u << 3)
#define RTL_RXH_RUNT (1u << 4)
#define RTL_RXH_ISE (1u << 5)
#define RTL_RXH_BAR (1u << 13) /* broadcast */
#define RTL_RXH_PAM (1u << 14) /* physical address matched */
#define RTL_RXH_MAR (1u << 15) /* multicast */
#define RTL_RX_HDR 4u
#define RTL_CAPR_BIAS 16u /* CAPR holds the read offset minus 16 */

/* 9346CR (DS: 93C46 Command Register) */
#define RTL_9346_EEDO (1u << 0)
#define RTL_9346_EEDI (1u << 1)
#define RTL_9346_EESK (1u << 2)
#define RTL_9346_EECS (1u << 3)
#define RTL_9346_EEM_SHIFT 6
#define RTL_9346_EEM_MASK (3u << 6)
#define RTL_9346_EEM_NORMAL (0u << 6)
#define RTL_9346_EEM_AUTOLOAD (1u << 6)
#define RTL_9346_EEM_PROGRAM (2u << 6)
#define RTL_9346_EEM_CFGWE (3u << 6) /* config register write enable */

/* 93C46 contents (DS: EEPROM contents): 64 words */
#define RTL_EEPROM_WORDS 64u
#define RTL_EEPROM_SIG 0x8129u /* word 0 */
#define RTL_EEPROM_MAC_WORD 7u /* byte 0x0E: Ethernet ID, words 7..9 */
#define RTL_EEPROM_OP_READ 0x2u

/* MSR (DS: Media Status Register) */
#define RTL_MSR_LINKB (1u << 2) /* 1: link FAIL */
#define RTL_MSR_SPEED_10 (1u << 3)

/* BMCR / BMSR (DS: Basic Mode Control / Status) */
#define RTL_BMCR_RESET (1u << 15)
#define RTL_BMCR_SPD100 (1u << 13)
#define RTL_BMCR_ANE (1u << 12)
#define RTL_BMCR_RESTART_AN (1u << 9)
#define RTL_BMCR_DUPLEX (1u << 8)
#define RTL_BMSR_LINK (1u << 2)
#define RTL_BMSR_AN_DONE (1u << 5)
#define RTL_BMSR_BASE 0x7809u /* 100/10 FD/HD capable, AN able, extended */

#endif /* NDISRT_HW_RTL8139_H */
