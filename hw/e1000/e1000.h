/* SPDX-License-Identifier: MIT */
/*
 * hw/e1000/e1000.h - the Intel 82540EM gigabit Ethernet controller ("e1000")
 * as Intel's "PCI/PCI-X Family of Gigabit Ethernet Controllers Software
 * Developer's Manual" describes it (docs/devices/e1000.md lists what is
 * modelled and what is not; section numbers below are the manual's).
 *
 * Audiences, as for VN-1 (hw/vn1.h):
 *  - the driver side: memory BAR (BAR0, 128 KiB), I/O BAR (IOADDR/IODATA),
 *    PCI configuration space, the resource list;
 *  - the host: creation, wire, link, fault injection, statistics;
 *  - wires: e1000_receive() for frames arriving at the port.
 *
 * Every entry point may be called from any thread at any IRQL, including an
 * ISR running in a signal handler that interrupted a thread already inside
 * the device: the state is guarded by one ke spin lock taken at HIGH_LEVEL,
 * and nothing under it allocates, prints or blocks.
 */
#ifndef NDISRT_HW_E1000_H
#define NDISRT_HW_E1000_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ke/ke.h"
#include "hw/irq_sink.h"

struct hw_dma_space;
struct wire;
struct e1000;

/* ---------------------------------------------------------------- identity */

#define E1000_PCI_VENDOR 0x8086u
#define E1000_PCI_DEVICE 0x100Eu /* 82540EM (desktop) */
#define E1000_PCI_SUBSYS 0x001Eu
#define E1000_PCI_REVISION 0x02u
#define E1000_PCI_CONFIG_LEN 256u
#define E1000_BAR0_LEN 0x20000u	 /* 128 KiB of registers */
#define E1000_IO_LEN 0x40u	 /* IOADDR, IODATA, reserved */
#define E1000_EEPROM_WORDS 64u	 /* 93C46-class Microwire part (EECD.EE_SIZE 0) */
#define E1000_EEPROM_SUM 0xBABAu /* words 0x00..0x3F add up to this (SDM 5.6) */
#define E1000_PHY_ADDR 1u	 /* the internal PHY's MDIO address */
#define E1000_MAX_FRAME 16384u	 /* largest frame with RCTL.LPE (no CRC) */
#define E1000_MIN_FRAME 14u
#define E1000_STD_FRAME 1518u /* without LPE: 1514 + an 802.1Q tag */
#define E1000_NR_RA 16u	      /* receive address registers */

/* PCI configuration space offsets (SDM 4.1) */
#define E1000_PCI_COMMAND 0x04
#define E1000_PCI_STATUS 0x06
#define E1000_PCI_BAR0 0x10 /* memory, 32-bit, non-prefetchable */
#define E1000_PCI_BAR1 0x14 /* flash memory: none fitted, reads 0 */
#define E1000_PCI_BAR2 0x18 /* I/O */
#define E1000_PCI_SUBSYS_VENDOR 0x2C
#define E1000_PCI_SUBSYS_ID 0x2E
#define E1000_PCI_CAP_PTR 0x34
#define E1000_PCI_INT_LINE 0x3C
#define E1000_PCI_INT_PIN 0x3D
#define E1000_PCI_PM_CAP 0xDC
#define E1000_PCI_CMD_IO (1u << 0)
#define E1000_PCI_CMD_MEM (1u << 1)
#define E1000_PCI_CMD_MASTER (1u << 2)
#define E1000_PCI_CMD_INTX_DISABLE (1u << 10)
#define E1000_PCI_STATUS_INTX (1u << 3)
#define E1000_PCI_STATUS_CAPS (1u << 4)

/* I/O BAR (SDM 13.2): indirect access to every memory-BAR register. */
#define E1000_IOADDR 0x00
#define E1000_IODATA 0x04

/* ------------------------------------------------------------- registers */

enum e1000_reg {
	E1000_CTRL = 0x00000,
	E1000_STATUS = 0x00008,
	E1000_EECD = 0x00010,
	E1000_EERD = 0x00014,
	E1000_CTRL_EXT = 0x00018,
	E1000_MDIC = 0x00020,
	E1000_FCAL = 0x00028,
	E1000_FCAH = 0x0002C,
	E1000_FCT = 0x00030,
	E1000_VET = 0x00038,
	E1000_ICR = 0x000C0,
	E1000_ITR = 0x000C4,
	E1000_ICS = 0x000C8,
	E1000_IMS = 0x000D0,
	E1000_IMC = 0x000D8,
	E1000_RCTL = 0x00100,
	E1000_FCTTV = 0x00170,
	E1000_TXCW = 0x00178,
	E1000_RXCW = 0x00180,
	E1000_TCTL = 0x00400,
	E1000_TIPG = 0x00410,
	E1000_LEDCTL = 0x00E00,
	E1000_PBA = 0x01000,
	E1000_FCRTL = 0x02160,
	E1000_FCRTH = 0x02168,
	E1000_RDBAL = 0x02800,
	E1000_RDBAH = 0x02804,
	E1000_RDLEN = 0x02808,
	E1000_RDH = 0x02810,
	E1000_RDT = 0x02818,
	E1000_RDTR = 0x02820,
	E1000_RXDCTL = 0x02828,
	E1000_RADV = 0x0282C,
	E1000_RSRPD = 0x02C00,
	E1000_TDBAL = 0x03800,
	E1000_TDBAH = 0x03804,
	E1000_TDLEN = 0x03808,
	E1000_TDH = 0x03810,
	E1000_TDT = 0x03818,
	E1000_TIDV = 0x03820,
	E1000_TXDCTL = 0x03828,
	E1000_TADV = 0x0382C,
	E1000_STATS = 0x04000, /* 0x04000..0x040FC: statistics (SDM 13.7) */
	E1000_STATS_END = 0x04100,
	E1000_RXCSUM = 0x05000,
	E1000_MTA = 0x05200,  /* 128 dwords: multicast table array */
	E1000_RAL0 = 0x05400, /* + 8 * n */
	E1000_RAH0 = 0x05404,
	E1000_VFTA = 0x05600, /* 128 dwords: VLAN filter table */
	E1000_WUC = 0x05800,
};

/* Statistics (SDM 13.7): every one clears when read; 64-bit pairs when their
 * high dword is read. */
enum e1000_stat_reg {
	E1000_CRCERRS = 0x04000,
	E1000_MPC = 0x04010,
	E1000_COLC = 0x04028,
	E1000_RLEC = 0x04040,
	E1000_PRC64 = 0x0405C,
	E1000_PRC127 = 0x04060,
	E1000_PRC255 = 0x04064,
	E1000_PRC511 = 0x04068,
	E1000_PRC1023 = 0x0406C,
	E1000_PRC1522 = 0x04070,
	E1000_GPRC = 0x04074,
	E1000_BPRC = 0x04078,
	E1000_MPRC = 0x0407C,
	E1000_GPTC = 0x04080,
	E1000_GORCL = 0x04088,
	E1000_GORCH = 0x0408C,
	E1000_GOTCL = 0x04090,
	E1000_GOTCH = 0x04094,
	E1000_RNBC = 0x040A0,
	E1000_RUC = 0x040A4,
	E1000_ROC = 0x040AC,
	E1000_TORL = 0x040C0,
	E1000_TORH = 0x040C4,
	E1000_TOTL = 0x040C8,
	E1000_TOTH = 0x040CC,
	E1000_TPR = 0x040D0,
	E1000_TPT = 0x040D4,
	E1000_PTC64 = 0x040D8,
	E1000_PTC127 = 0x040DC,
	E1000_PTC255 = 0x040E0,
	E1000_PTC511 = 0x040E4,
	E1000_PTC1023 = 0x040E8,
	E1000_PTC1522 = 0x040EC,
	E1000_MPTC = 0x040F0,
	E1000_BPTC = 0x040F4,
};

/* CTRL (SDM 13.4.1) */
#define E1000_CTRL_FD (1u << 0)
#define E1000_CTRL_LRST (1u << 3)
#define E1000_CTRL_ASDE (1u << 5)
#define E1000_CTRL_SLU (1u << 6)
#define E1000_CTRL_ILOS (1u << 7)
#define E1000_CTRL_SPEED_SHIFT 8
#define E1000_CTRL_FRCSPD (1u << 11)
#define E1000_CTRL_FRCDPLX (1u << 12)
#define E1000_CTRL_RST (1u << 26)
#define E1000_CTRL_RFCE (1u << 27)
#define E1000_CTRL_TFCE (1u << 28)
#define E1000_CTRL_VME (1u << 30)
#define E1000_CTRL_PHY_RST (1u << 31)

/* STATUS (SDM 13.4.2) */
#define E1000_STATUS_FD (1u << 0)
#define E1000_STATUS_LU (1u << 1)
#define E1000_STATUS_TXOFF (1u << 4)
#define E1000_STATUS_SPEED_SHIFT 6
#define E1000_STATUS_SPEED_MASK (3u << 6)
#define E1000_STATUS_SPEED_10 (0u << 6)
#define E1000_STATUS_SPEED_100 (1u << 6)
#define E1000_STATUS_SPEED_1000 (2u << 6)

/* EECD (SDM 13.4.3) */
#define E1000_EECD_SK (1u << 0)
#define E1000_EECD_CS (1u << 1)
#define E1000_EECD_DI (1u << 2)
#define E1000_EECD_DO (1u << 3)
#define E1000_EECD_FWE_SHIFT 4
#define E1000_EECD_FWE_MASK (3u << 4)
#define E1000_EECD_REQ (1u << 6)
#define E1000_EECD_GNT (1u << 7)
#define E1000_EECD_PRES (1u << 8)
#define E1000_EECD_SIZE (1u << 9)

/* Microwire opcodes (start bit excluded), SDM 5.3 */
#define E1000_EEPROM_OP_READ 0x2u

/* EERD (SDM 13.4.4), 82540EP/EM layout */
#define E1000_EERD_START (1u << 0)
#define E1000_EERD_DONE (1u << 4)
#define E1000_EERD_ADDR_SHIFT 8
#define E1000_EERD_DATA_SHIFT 16

/* MDIC (SDM 13.4.7) */
#define E1000_MDIC_DATA_MASK 0xFFFFu
#define E1000_MDIC_REG_SHIFT 16
#define E1000_MDIC_PHY_SHIFT 21
#define E1000_MDIC_OP_WRITE (1u << 26)
#define E1000_MDIC_OP_READ (2u << 26)
#define E1000_MDIC_OP_MASK (3u << 26)
#define E1000_MDIC_READY (1u << 28)
#define E1000_MDIC_INT (1u << 29)
#define E1000_MDIC_ERROR (1u << 30)

/* PHY registers (SDM 13.5, IEEE 802.3 clause 22 and the PHY's own) */
#define E1000_PHY_CTRL 0
#define E1000_PHY_STATUS 1
#define E1000_PHY_ID1 2
#define E1000_PHY_ID2 3
#define E1000_PHY_AUTONEG_ADV 4
#define E1000_PHY_LP_ABILITY 5
#define E1000_PHY_AUTONEG_EXP 6
#define E1000_PHY_1000T_CTRL 9
#define E1000_PHY_1000T_STATUS 10
#define E1000_PHY_EXT_STATUS 15
#define E1000_PHY_SPEC_CTRL 16
#define E1000_PHY_SPEC_STATUS 17
#define E1000_PHY_ID1_VALUE 0x0141u
#define E1000_PHY_ID2_VALUE 0x0C20u
#define E1000_PHY_CTRL_RESET (1u << 15)
#define E1000_PHY_CTRL_LOOPBACK (1u << 14)
#define E1000_PHY_CTRL_SPEED_LSB (1u << 13)
#define E1000_PHY_CTRL_ANE (1u << 12)
#define E1000_PHY_CTRL_POWER_DOWN (1u << 11)
#define E1000_PHY_CTRL_RESTART_AN (1u << 9)
#define E1000_PHY_CTRL_FD (1u << 8)
#define E1000_PHY_CTRL_SPEED_MSB (1u << 6)
#define E1000_PHY_STATUS_LINK (1u << 2)
#define E1000_PHY_STATUS_AN_DONE (1u << 5)
#define E1000_PHY_SSTAT_LINK (1u << 10)
#define E1000_PHY_SSTAT_RESOLVED (1u << 11)
#define E1000_PHY_SSTAT_FD (1u << 13)
#define E1000_PHY_SSTAT_SPEED_SHIFT 14

/* Interrupt causes: ICR/ICS/IMS/IMC (SDM 13.4.17 - SDM 13.4.21) */
#define E1000_ICR_TXDW (1u << 0)
#define E1000_ICR_TXQE (1u << 1)
#define E1000_ICR_LSC (1u << 2)
#define E1000_ICR_RXSEQ (1u << 3)
#define E1000_ICR_RXDMT0 (1u << 4)
#define E1000_ICR_RXO (1u << 6)
#define E1000_ICR_RXT0 (1u << 7)
#define E1000_ICR_MDAC (1u << 9)
#define E1000_ICR_RXCFG (1u << 10)
#define E1000_ICR_PHYINT (1u << 12)
#define E1000_ICR_GPI_SDP6 (1u << 13)
#define E1000_ICR_GPI_SDP7 (1u << 14)
#define E1000_ICR_TXD_LOW (1u << 15)
#define E1000_ICR_SRPD (1u << 16)
#define E1000_ICR_CAUSES 0x1FFFFu /* bits 16:0 */
#define E1000_ICR_INT_ASSERTED (1u << 31)

/* RCTL (SDM 13.4.22) */
#define E1000_RCTL_EN (1u << 1)
#define E1000_RCTL_SBP (1u << 2)
#define E1000_RCTL_UPE (1u << 3)
#define E1000_RCTL_MPE (1u << 4)
#define E1000_RCTL_LPE (1u << 5)
#define E1000_RCTL_LBM_SHIFT 6
#define E1000_RCTL_LBM_MASK (3u << 6)
#define E1000_RCTL_LBM_MAC (1u << 6)
#define E1000_RCTL_RDMTS_SHIFT 8
#define E1000_RCTL_RDMTS_MASK (3u << 8)
#define E1000_RCTL_MO_SHIFT 12
#define E1000_RCTL_MO_MASK (3u << 12)
#define E1000_RCTL_BAM (1u << 15)
#define E1000_RCTL_BSIZE_SHIFT 16
#define E1000_RCTL_BSIZE_MASK (3u << 16)
#define E1000_RCTL_VFE (1u << 18)
#define E1000_RCTL_BSEX (1u << 25)
#define E1000_RCTL_SECRC (1u << 26)

#define E1000_RAH_AV (1u << 31)
#define E1000_RDTR_FPD (1u << 31)

/* TCTL (SDM 13.4.33) */
#define E1000_TCTL_EN (1u << 1)
#define E1000_TCTL_PSP (1u << 3)

/* Legacy receive descriptor (SDM 3.2.3): status and errors bytes */
#define E1000_RXD_STAT_DD (1u << 0)
#define E1000_RXD_STAT_EOP (1u << 1)
#define E1000_RXD_STAT_IXSM (1u << 2)

/* Legacy transmit descriptor (SDM 3.3.3): CMD and STA */
#define E1000_TXD_CMD_EOP (1u << 0)
#define E1000_TXD_CMD_IFCS (1u << 1)
#define E1000_TXD_CMD_IC (1u << 2)
#define E1000_TXD_CMD_RS (1u << 3)
#define E1000_TXD_CMD_RPS (1u << 4)
#define E1000_TXD_CMD_DEXT (1u << 5)
#define E1000_TXD_CMD_VLE (1u << 6)
#define E1000_TXD_CMD_IDE (1u << 7)
#define E1000_TXD_STAT_DD (1u << 0)

/* ------------------------------------------------------------- creation */

struct e1000_config {
	struct ke_machine *machine; /* engine clock and timers; required */
	struct hw_dma_space *dma;   /* where rings and buffers live; required */
	struct hw_irq_sink sink;    /* INTx; ops NULL: nowhere */
	uint8_t mac[6];		    /* written into the EEPROM image */
	uint64_t bar0_addr;	    /* bus address of the memory BAR */
	uint16_t io_port;	    /* base of the I/O BAR */
	uint8_t intx_vector;	    /* PCI Interrupt Line */
	bool link_down;		    /* start with no cable (default: link partner present) */
	unsigned speed_mbps;	    /* 10, 100 or 1000 (0: 1000) */
};

/**
 * e1000_create() - Power on an 82540EM: the EEPROM image is built from @cfg
 * (MAC, IDs, checksum) and loaded as the hardware does after power-on.
 * Context: host thread. Return: NULL with errno EINVAL / ENOMEM.
 */
struct e1000 *e1000_create(const struct e1000_config *cfg);

/** e1000_free() - Detach the wire, stop the timers, free. Context: host thread, quiet. */
void e1000_free(struct e1000 *dev);

/* ------------------------------------------------------- driver side */

struct e1000_resources {
	uint64_t bar0_addr;
	uint32_t bar0_len; /* E1000_BAR0_LEN */
	uint16_t io_port;
	uint16_t io_len;     /* E1000_IO_LEN */
	uint8_t line_vector; /* INTx only: the 82540EM has no MSI */
};

void e1000_resources(const struct e1000 *dev, struct e1000_resources *out);

/*
 * Memory BAR. A misaligned or out-of-range access reads 0 and ignores the
 * write (counted). A sub-dword read is a full read of the register (side
 * effects included); a sub-dword write merges into the register's current
 * value except for ICR, ICS, IMS and IMC, where unwritten bytes are 0.
 * Context: any thread, any IRQL. Preemption point (sim engine).
 */
uint32_t e1000_mmio_read32(struct e1000 *dev, uint32_t off);
void e1000_mmio_write32(struct e1000 *dev, uint32_t off, uint32_t val);
uint16_t e1000_mmio_read16(struct e1000 *dev, uint32_t off);
uint8_t e1000_mmio_read8(struct e1000 *dev, uint32_t off);
void e1000_mmio_write16(struct e1000 *dev, uint32_t off, uint16_t val);
void e1000_mmio_write8(struct e1000 *dev, uint32_t off, uint8_t val);

/*
 * I/O BAR: IOADDR selects a memory-BAR register, IODATA reads or writes it
 * (with its side effects). Dword accesses only (SDM 13.2); another width or a
 * reserved port reads 0 / is ignored and counted.
 */
uint32_t e1000_io_read32(struct e1000 *dev, uint32_t port);
void e1000_io_write32(struct e1000 *dev, uint32_t port, uint32_t val);
uint16_t e1000_io_read16(struct e1000 *dev, uint32_t port);
uint8_t e1000_io_read8(struct e1000 *dev, uint32_t port);
void e1000_io_write16(struct e1000 *dev, uint32_t port, uint16_t val);
void e1000_io_write8(struct e1000 *dev, uint32_t port, uint8_t val);

/* PCI configuration space. Return: bytes transferred. */
size_t e1000_pci_config_read(struct e1000 *dev, uint32_t off, void *buf, size_t len);
size_t e1000_pci_config_write(struct e1000 *dev, uint32_t off, const void *buf, size_t len);

/* ------------------------------------------------------------- host side */

/** e1000_set_sink() - Replace the interrupt sink. Context: host thread, device quiet. */
void e1000_set_sink(struct e1000 *dev, struct hw_irq_sink sink);
/** e1000_wire_attach() - Plug the port into end @end of @w (NULL: unplug). */
void e1000_wire_attach(struct e1000 *dev, struct wire *w, unsigned end);

enum e1000_rx_result {
	E1000_RX_OK = 0,
	E1000_RX_REMOVED = -1,
	E1000_RX_DISABLED = -2,	  /* RCTL.EN clear */
	E1000_RX_LINK_DOWN = -3,  /* STATUS.LU clear */
	E1000_RX_FILTERED = -4,	  /* address filters rejected it */
	E1000_RX_BAD_LENGTH = -5, /* runt, or too long for RCTL.LPE: RUC / ROC */
	E1000_RX_MISSED = -6,	  /* no descriptors: MPC, RNBC, RXO */
	E1000_RX_DMA_FAULT = -7,  /* descriptor or buffer not in DMA space */
};

/**
 * e1000_receive() - A frame (without FCS) arrives at the port.
 * Context: any thread, any IRQL, no other device's lock held.
 * Return: 0, or a negative enum e1000_rx_result (every drop is counted).
 */
int e1000_receive(struct e1000 *dev, const void *frame, size_t len);

/* Host controls, counted in struct e1000_stats. */
void e1000_host_set_link(struct e1000 *dev, bool up);
void e1000_host_inject_spurious(struct e1000 *dev);
void e1000_host_set_stuck_line(struct e1000 *dev, bool stuck);
void e1000_host_surprise_remove(struct e1000 *dev);
void e1000_host_dma_fault_next(struct e1000 *dev);
/* Delay each receive descriptor's status write-back (DD) and its cause by
 * @ns of engine time (0: at once again). Return: 0, -EINVAL (> 1 s). */
int e1000_host_wb_delay(struct e1000 *dev, uint64_t ns);

struct e1000_stats {
	uint64_t rx_offered, rx_accepted;
	uint64_t rx_removed, rx_disabled, rx_link_down, rx_filtered, rx_bad_length;
	uint64_t rx_missed, rx_dma_fault;
	uint64_t tx_sent, tx_link_down, tx_no_wire, tx_bad_desc, tx_dma_fault;
	uint64_t line_assertions, itr_throttled;
	uint64_t inj_link_changes, inj_spurious, inj_stuck_line, inj_surprise_removal;
	uint64_t inj_dma_fault, dma_faults_injected;
	uint64_t inj_wb_delay, wb_delayed; /* delays set / receive write-backs landed late */
	uint64_t bad_accesses, eeprom_reads, mdic_ops, resets;
};

void e1000_get_stats(struct e1000 *dev, struct e1000_stats *out);
bool e1000_line_asserted(struct e1000 *dev);
/** e1000_eeprom_word() - Word @i of the EEPROM image (host view, no side effect). */
uint16_t e1000_eeprom_word(struct e1000 *dev, unsigned i);

/** e1000_reset() - Function-level reset, as CTRL.RST (host side). Context: host thread. */
void e1000_reset(struct e1000 *dev);

/* The device behind the seam (hw/device.h): model "e1000". */
struct hw_device;
struct hw_device *e1000_device(struct e1000 *dev);
/* Return: the 82540EM behind @d, or NULL if @d is another model. */
struct e1000 *e1000_from_device(struct hw_device *d);

#endif /* NDISRT_HW_E1000_H */
