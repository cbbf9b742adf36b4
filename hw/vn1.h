/* SPDX-License-Identifier: MIT */
/*
 * hw/vn1.h - the VN-1 simulated network controller (docs/vn1.md).
 *
 * Three audiences:
 *  - the driver side (ndis/ on behalf of a miniport): register, port and PCI
 *    configuration accesses, and the resource list;
 *  - the host (tests, tools, the machine builder): creation, wires, link,
 *    MSI-X table programming, fault injection, statistics;
 *  - wires: vn1_receive() for frames arriving at the port.
 *
 * Every entry point may be called from any thread at any IRQL, including an
 * ISR running in a signal handler that interrupted a thread already inside
 * the device: the device's state is guarded by one ke spin lock taken at
 * HIGH_LEVEL, and nothing under it allocates, prints or blocks.
 */
#ifndef NDISRT_HW_VN1_H
#define NDISRT_HW_VN1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ke/ke.h"
#include "hw/irq_sink.h"

struct hw_dma_space;
struct wire;
struct vn1;

/* ------------------------------------------------------------ datasheet */

#define VN1_BAR0_LEN 0x8000u
#define VN1_BAR1_LEN 0x20u
#define VN1_PCI_CONFIG_LEN 256u
#define VN1_NR_QUEUES 8u
#define VN1_NR_MSGS 16u
#define VN1_NR_CAUSES 19u
#define VN1_MAX_FRAME 16384u /* largest frame the device moves (RBUFSZ maximum) */
#define VN1_MIN_FRAME 14u    /* an Ethernet header */
#define VN1_PIO_FIFO_FRAMES 16u
#define VN1_PCI_VENDOR 0x1D6Eu
#define VN1_PCI_DEVICE 0x0001u

enum vn1_reg {
	VN1_CTRL = 0x0000,
	VN1_STATUS = 0x0004,
	VN1_MAC_LO = 0x0008,
	VN1_MAC_HI = 0x000C,
	VN1_RXFILTER = 0x0010,
	VN1_ICR = 0x00C0,
	VN1_ICS = 0x00C8,
	VN1_IMS = 0x00D0,
	VN1_IMC = 0x00D8,
	VN1_IAM = 0x00E0,
	VN1_IMODE = 0x00E4,
	VN1_IVAR0 = 0x0100, /* + 4 * cause */
	VN1_ITR0 = 0x0200,  /* + 4 * message */
	VN1_MSGPEND = 0x0300,
	VN1_RXQ0 = 0x1000, /* + 0x40 * queue */
	VN1_TXQ0 = 0x1200, /* + 0x40 * queue */
	VN1_MRQC = 0x2000,
	VN1_RSSRK0 = 0x2040,
	VN1_RETA0 = 0x2100,
	VN1_GPRC = 0x4000,
	VN1_GPTC = 0x4004,
	VN1_MPC = 0x4008,
	VN1_SPURIOUS = 0x400C,
	VN1_MSIX_TABLE = 0x6000,
	VN1_MSIX_PBA = 0x7000,
};

/* Queue register offsets (from VN1_RXQ0/VN1_TXQ0 + 0x40 * q). */
enum vn1_qreg {
	VN1_Q_BAL = 0x00,
	VN1_Q_BAH = 0x04,
	VN1_Q_LEN = 0x08,
	VN1_Q_HEAD = 0x10,
	VN1_Q_TAIL = 0x18,
	VN1_Q_DCTL = 0x20,
	VN1_Q_RBUFSZ = 0x28, /* RX only */
	VN1_Q_CNT = 0x30,
	VN1_Q_DROP = 0x34, /* RX only */
};

#define VN1_CTRL_RST (1u << 0)
#define VN1_CTRL_RXEN (1u << 1)
#define VN1_CTRL_TXEN (1u << 2)
#define VN1_CTRL_LPBK (1u << 3)

#define VN1_STATUS_LU (1u << 0)
#define VN1_STATUS_SPEED_SHIFT 1
#define VN1_STATUS_FD (1u << 3)

#define VN1_RXFILTER_UCAST (1u << 0)
#define VN1_RXFILTER_MCAST (1u << 1)
#define VN1_RXFILTER_BCAST (1u << 2)
#define VN1_RXFILTER_PROMISC (1u << 3)

#define VN1_CAUSE_RXQ(q) (1u << (q))
#define VN1_CAUSE_TXQ(q) (1u << (8 + (q)))
#define VN1_CAUSE_LSC_BIT 16
#define VN1_CAUSE_RXO_BIT 17
#define VN1_CAUSE_ERR_BIT 18
#define VN1_CAUSE_LSC (1u << VN1_CAUSE_LSC_BIT)
#define VN1_CAUSE_RXO (1u << VN1_CAUSE_RXO_BIT)
#define VN1_CAUSE_ERR (1u << VN1_CAUSE_ERR_BIT)
#define VN1_CAUSE_ALL 0x7FFFFu

#define VN1_IMODE_LINE 0u
#define VN1_IMODE_MSI 1u
#define VN1_IMODE_MSIX 2u

#define VN1_IVAR_MSG_MASK 0xFu
#define VN1_IVAR_VALID (1u << 7)

#define VN1_DCTL_ENABLE (1u << 0)

#define VN1_RXD_STAT_DD (1u << 0)
#define VN1_RXD_STAT_EOP (1u << 1)
#define VN1_RXD_STAT_RSSV (1u << 2)
#define VN1_TXD_CMD_EOP (1u << 0)
#define VN1_TXD_CMD_RS (1u << 1)
#define VN1_TXD_STAT_DD (1u << 0)

/* PIO window (BAR1) */
enum vn1_pio_port {
	VN1_PIO_ISR = 0x00,
	VN1_PIO_IMR = 0x02,
	VN1_PIO_CMD = 0x04,
	VN1_PIO_RXLEN = 0x06,
	VN1_PIO_DATA = 0x08,
	VN1_PIO_TXLEN = 0x0A,
	VN1_PIO_STATUS = 0x0C,
	VN1_PIO_MAC = 0x10,
};

#define VN1_PIO_ISR_RX (1u << 0)
#define VN1_PIO_ISR_TX (1u << 1)
#define VN1_PIO_ISR_LSC (1u << 2)
#define VN1_PIO_ISR_RXO (1u << 3)
#define VN1_PIO_CMD_RX_NEXT (1u << 0)
#define VN1_PIO_CMD_TX_GO (1u << 1)
#define VN1_PIO_CMD_ENABLE (1u << 6)
#define VN1_PIO_CMD_RESET (1u << 7)

/* PCI configuration space */
#define VN1_PCI_COMMAND 0x04
#define VN1_PCI_STATUS 0x06
#define VN1_PCI_CMD_IO (1u << 0)
#define VN1_PCI_CMD_MEM (1u << 1)
#define VN1_PCI_CMD_MASTER (1u << 2)
#define VN1_PCI_CMD_INTX_DISABLE (1u << 10)
#define VN1_PCI_STATUS_INTX (1u << 3)
#define VN1_PCI_STATUS_CAPS (1u << 4)
#define VN1_PCI_MSIX_CAP 0x40
#define VN1_PCI_MSIX_CTRL 0x42
#define VN1_MSIX_CTRL_ENABLE (1u << 15)
#define VN1_MSIX_CTRL_FMASK (1u << 14)
#define VN1_MSIX_ENTRY_MASKED (1u << 0)

/* ------------------------------------------------------------ creation */

enum vn1_irq_kind {
	VN1_IRQ_LINE = 0, /* INTx (level-sensitive, shareable) */
	VN1_IRQ_MSI = 1,  /* one message */
	VN1_IRQ_MSIX = 2, /* up to VN1_NR_MSGS messages */
};

struct vn1_config {
	struct ke_machine *machine; /* engine clock and ITR timers; required */
	struct hw_dma_space *dma;   /* where ring and buffer addresses live; required */
	struct hw_irq_sink sink;    /* where the device signals; ops NULL: nowhere */
	uint8_t mac[6];		    /* host-assigned address */
	uint64_t bar0_addr;	    /* bus address of BAR0 (reported in PCI config) */
	uint16_t bar1_port;	    /* port base of BAR1 */
	uint8_t intx_vector;	    /* PCI "interrupt line": the line's vector */
	enum vn1_irq_kind irq_kind; /* what the resource list offers the driver */
	unsigned nr_msgs;	    /* MSI-X: messages offered (1..16); else ignored */
	bool link_down;		    /* start with the link down (default: up) */
	uint8_t speed;		    /* STATUS speed code 0..3 (default 3: 10G) */
	bool speed_set;		    /* use @speed rather than the default */
};

/**
 * vn1_create() - Power on a VN-1 (all registers at their reset defaults).
 * Context: host thread.
 * Return: the device, or NULL with errno (EINVAL for a bad config, ENOMEM).
 */
struct vn1 *vn1_create(const struct vn1_config *cfg);

/**
 * vn1_free() - Power off: detach the wire, stop the ITR timers, free.
 * Context: host thread; no driver or wire may call the device any more.
 */
void vn1_free(struct vn1 *dev);

/**
 * vn1_reset() - Function-level reset, as CTRL.RST: every register to its
 * default; the host's state (MAC, link, MSI-X, PCI Command, faults,
 * statistics) survives. Context: host thread.
 */
void vn1_reset(struct vn1 *dev);

/*
 * The device seam (hw/device.h): the VN-1 as a struct hw_device, model
 * "vn1". vn1_from_device() returns NULL for a device of another model.
 */
struct hw_device;
struct hw_device *vn1_device(struct vn1 *dev);
struct vn1 *vn1_from_device(struct hw_device *d);

/* ------------------------------------------------------- driver side */

/*
 * The resource list of MiniportInitializeEx, in datasheet order: BAR0,
 * BAR1, then the interrupt.
 */
struct vn1_resources {
	uint64_t bar0_addr;
	uint32_t bar0_len; /* VN1_BAR0_LEN */
	uint16_t bar1_port;
	uint16_t bar1_len; /* VN1_BAR1_LEN */
	enum vn1_irq_kind irq_kind;
	uint8_t line_vector; /* VN1_IRQ_LINE: the INTx vector (shared lines: same) */
	unsigned nr_msgs;    /* message kinds: 1 for MSI, N for MSI-X; 0 for a line */
};

void vn1_resources(const struct vn1 *dev, struct vn1_resources *out);

/**
 * vn1_mmio_read32() / vn1_mmio_write32() - BAR0 register access.
 * @off: offset in BAR0. A misaligned offset or one outside BAR0 reads 0 and
 *	ignores writes (counted in stats.bad_accesses).
 * Context: any thread, any IRQL; takes the device lock at HIGH_LEVEL.
 * Preemption point (sim engine).
 */
uint32_t vn1_mmio_read32(struct vn1 *dev, uint32_t off);
void vn1_mmio_write32(struct vn1 *dev, uint32_t off, uint32_t val);

/*
 * Sub-dword access (docs/vn1.md §3): a read is a full read of the containing
 * register (side effects included) returning the addressed bytes; a write
 * merges into the register's current value, except for the action registers
 * ICR, ICS, IMS and IMC, where the bytes not written are zero (they set or
 * clear nothing). A misaligned access is refused as above.
 */
uint8_t vn1_mmio_read8(struct vn1 *dev, uint32_t off);
uint16_t vn1_mmio_read16(struct vn1 *dev, uint32_t off);
void vn1_mmio_write8(struct vn1 *dev, uint32_t off, uint8_t val);
void vn1_mmio_write16(struct vn1 *dev, uint32_t off, uint16_t val);

/*
 * BAR1 port access, @port relative to the port base. Each port has a width
 * (datasheet §7); an access of another width is applied byte by byte to the
 * ports it covers (docs/vn1.md §7).
 */
uint8_t vn1_pio_read8(struct vn1 *dev, uint32_t port);
uint16_t vn1_pio_read16(struct vn1 *dev, uint32_t port);
uint32_t vn1_pio_read32(struct vn1 *dev, uint32_t port);
void vn1_pio_write8(struct vn1 *dev, uint32_t port, uint8_t val);
void vn1_pio_write16(struct vn1 *dev, uint32_t port, uint16_t val);
void vn1_pio_write32(struct vn1 *dev, uint32_t port, uint32_t val);

/**
 * vn1_pci_config_read() / vn1_pci_config_write() - PCI configuration space,
 * as NdisMGetBusData / NdisMSetBusData see it.
 * Return: bytes transferred (@len clipped to the 256-byte space).
 * Context: any thread, any IRQL.
 */
size_t vn1_pci_config_read(struct vn1 *dev, uint32_t off, void *buf, size_t len);
size_t vn1_pci_config_write(struct vn1 *dev, uint32_t off, const void *buf, size_t len);

/* ------------------------------------------------------------- host side */

/*
 * MSI-X table and PBA: the host's. Programming an entry, masking it and the
 * capability's enable / function-mask bits are what an OS does when it
 * connects message interrupts. A message that the device signals while its
 * entry or the function is masked, or while MSI-X is disabled, sets its
 * pending bit and is delivered once when that clears. Return: 0 or -EINVAL.
 * Context: any thread.
 */
int vn1_msix_program(struct vn1 *dev, unsigned msg, uint64_t addr, uint32_t data);
int vn1_msix_set_masked(struct vn1 *dev, unsigned msg, bool masked);
/* Enable MSI-X delivery; also sets PCI Command.INTxDisable while enabled. */
void vn1_msix_set_enabled(struct vn1 *dev, bool enabled);
void vn1_msix_set_function_mask(struct vn1 *dev, bool masked);

/** vn1_set_sink() - Replace the interrupt sink. Context: host thread, device quiet. */
void vn1_set_sink(struct vn1 *dev, struct hw_irq_sink sink);

/**
 * vn1_wire_attach() - Plug the port into end @end of @w (NULL: unplug).
 * Frames the device sends go to the wire; frames the wire carries here
 * arrive through vn1_receive(). Context: host thread.
 */
void vn1_wire_attach(struct vn1 *dev, struct wire *w, unsigned end);

/**
 * vn1_receive() - A frame arrives at the port.
 * Context: any thread, any IRQL, no lock of another device held by a caller
 * that the device could need (the device takes only its own lock).
 * Return: 0 if the device accepted it (ring or PIO FIFO); a negative
 * enum vn1_rx_result if it dropped it (every drop is counted).
 */
int vn1_receive(struct vn1 *dev, const void *frame, size_t len);

enum vn1_rx_result {
	VN1_RX_OK = 0,
	VN1_RX_REMOVED = -1,  /* surprise-removed */
	VN1_RX_DISABLED = -2, /* CTRL.RXEN clear */
	VN1_RX_LINK_DOWN = -3,
	VN1_RX_FILTERED = -4,	/* RXFILTER rejected it */
	VN1_RX_BAD_LENGTH = -5, /* shorter than 14 or longer than 16384 bytes */
	VN1_RX_MISSED = -6,	/* queue disabled, no descriptor, buffer too small: MPC, RXO */
	VN1_RX_DMA_FAULT = -7,	/* descriptor or buffer address not valid: ERR */
	VN1_RX_FIFO_FULL = -8,	/* PIO mode: FIFO full, PIO_ISR.RXO */
};

/* Host controls (datasheet §8). Each is counted in struct vn1_stats. */
void vn1_host_set_link(struct vn1 *dev, bool up);
/* A spurious interrupt: line mode pulses INTx, message modes send @msg. */
int vn1_host_inject_spurious(struct vn1 *dev, unsigned msg);
void vn1_host_set_stuck_line(struct vn1 *dev, bool stuck);
/* Lose the next signal of @msg (counted once per call). */
int vn1_host_drop_next_signal(struct vn1 *dev, unsigned msg);
void vn1_host_surprise_remove(struct vn1 *dev);
/* Delay each receive descriptor's write-back (DD, then the cause) by @ns
 * (0: off, and what waits is written back now). Return: 0, -EINVAL above 1 s. */
int vn1_host_wb_delay(struct vn1 *dev, uint64_t ns);

/* The next descriptor fetch (RX or TX) faults. */
void vn1_host_dma_fault_next(struct vn1 *dev);

struct vn1_stats {
	/* receive, one counter per outcome: rx_offered is the sum of the rest */
	uint64_t rx_offered;
	uint64_t rx_accepted;
	uint64_t rx_removed, rx_disabled, rx_link_down, rx_filtered, rx_bad_length;
	uint64_t rx_missed, rx_dma_fault, rx_fifo_full;
	/* transmit */
	uint64_t tx_sent;      /* handed to the wire (or to ourselves in loopback) */
	uint64_t tx_link_down; /* completed but not delivered */
	uint64_t tx_no_wire;   /* completed, no wire attached */
	uint64_t tx_bad_desc;  /* descriptor refused (no EOP, bad length): ERR */
	uint64_t tx_dma_fault; /* descriptor or buffer not readable: ERR */
	uint64_t tx_pio_busy;  /* PIO TX_GO with every staging slot in flight */
	/* interrupts */
	uint64_t line_assertions;
	uint64_t msgs_signaled[VN1_NR_MSGS];   /* device-side signals (incl. dropped/pending) */
	uint64_t msgs_sent[VN1_NR_MSGS];       /* MSI writes actually made */
	uint64_t msgs_throttled[VN1_NR_MSGS];  /* signals deferred by ITR */
	uint64_t msgs_pba_pended[VN1_NR_MSGS]; /* held in the PBA (masked / disabled) */
	/* injected faults, and what they did */
	uint64_t inj_link_changes;
	uint64_t inj_spurious;
	uint64_t inj_stuck_line;  /* times the line was made stuck */
	uint64_t inj_drop_signal; /* drops armed */
	uint64_t signals_dropped; /* drops that happened */
	uint64_t inj_surprise_removal;
	uint64_t inj_dma_fault;	      /* faults armed */
	uint64_t inj_wb_delay;	      /* delayed write-back turned on */
	uint64_t wb_delayed;	      /* receive write-backs that were delayed */
	uint64_t dma_faults_injected; /* armed faults that fired */
	/* driver mistakes the device tolerated */
	uint64_t bad_accesses;	    /* misaligned / out-of-range register accesses */
	uint64_t bad_config_writes; /* values outside a register's range, ignored */
	uint64_t msix_table_writes; /* driver writes to the host-owned table/PBA, ignored */
	/* a snapshot, not a count: causes pending in ICR that IMS enabled at
	 * some time since reset and masks now (0 once surprise-removed) */
	uint64_t irq_masked_pending;
	uint64_t irq_unmasked; /* a snapshot: IMS, the causes enabled now (0 once removed) */
};

void vn1_get_stats(struct vn1 *dev, struct vn1_stats *out);

/** vn1_line_asserted() - The INTx pin's level now (after INTx disable). */
bool vn1_line_asserted(struct vn1 *dev);

/* ------------------------------------------------------------ hook point */

/*
 * Register-access hook for the verifier: called after every MMIO, port and
 * config access, outside the device lock, with the access as the driver
 * made it. Installing while the device is in use is not supported.
 */
enum vn1_space { VN1_SPACE_MMIO, VN1_SPACE_PIO, VN1_SPACE_CONFIG };

struct vn1_hooks {
	void *ctx;
	void (*access)(void *ctx, struct vn1 *dev, enum vn1_space space, uint32_t off,
		       unsigned size, uint32_t val, bool write);
};

void vn1_hooks_install(struct vn1 *dev, const struct vn1_hooks *h);

#endif /* NDISRT_HW_VN1_H */
