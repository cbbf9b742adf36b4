/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/virtio_net.h - a virtio network device on PCI, after the
 * OASIS "Virtual I/O Device (VIRTIO)" specification, version 1.x
 * (docs/devices/virtio-net.md).
 *
 * References in this tree cite the specification by its section titles
 * ("virtio: Split Virtqueues / Used Buffer Notification Suppression"), which
 * are stable across its versions where the numbers are not.
 *
 * One transitional device (1AF4:1000, revision 0) or, with @modern_only, a
 * non-transitional one (1AF4:1041, revision 1):
 *  - BAR0, I/O: the legacy (0.9.5) register block (transitional only);
 *  - BAR1, memory: the modern structures the vendor capabilities point at
 *    (common, ISR, device, notify) and the MSI-X table and PBA.
 *
 * Every entry point may be called from any thread at any IRQL, including an
 * ISR running in a signal handler: the state is guarded by one ke spin lock
 * taken at HIGH_LEVEL, and nothing under it allocates, prints or blocks.
 */
#ifndef NDISRT_HW_VIRTIO_NET_H
#define NDISRT_HW_VIRTIO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ke/ke.h"
#include "hw/irq_sink.h"

struct hw_dma_space;
struct wire;
struct vnet;

/* ------------------------------------------------- the specification */

#define VIRTIO_PCI_VENDOR 0x1AF4u
#define VIRTIO_PCI_DEVICE_NET_TRANSITIONAL 0x1000u
#define VIRTIO_PCI_DEVICE_NET_MODERN 0x1041u /* 0x1040 + device ID 1 */
#define VIRTIO_ID_NET 1u

/* Device status (virtio: Device Status Field) */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED 128u

/* Feature bits (virtio: Reserved Feature Bits; Network Device / Feature bits) */
#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_F_CTRL_VQ 17
#define VIRTIO_NET_F_MQ 22
#define VIRTIO_NET_F_HASH_REPORT 57
#define VIRTIO_NET_F_RSS 60
#define VIRTIO_F_ANY_LAYOUT 27
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_RING_RESET 40
#define VIRTIO_BIT(b) (1ULL << (b))

/* What this model implements; a device offers this set or a subset of it. */
#define VNET_FEATURES_SUPPORTED                                                   \
	(VIRTIO_BIT(VIRTIO_NET_F_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_MAC) |           \
	 VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |   \
	 VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ) | VIRTIO_BIT(VIRTIO_NET_F_MQ) |         \
	 VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) |   \
	 VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(VIRTIO_F_VERSION_1) |        \
	 VIRTIO_BIT(VIRTIO_F_RING_RESET) | VIRTIO_BIT(VIRTIO_NET_F_HASH_REPORT) | \
	 VIRTIO_BIT(VIRTIO_NET_F_RSS))

/* Split virtqueue (virtio: Split Virtqueues) */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_DESC_F_INDIRECT 4u
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u
#define VIRTQ_USED_F_NO_NOTIFY 1u
#define VIRTIO_MSI_NO_VECTOR 0xFFFFu
#define VIRTIO_LEGACY_QUEUE_ALIGN 4096u

/* ISR status bits (virtio: PCI Device Layout / ISR status capability) */
#define VIRTIO_ISR_QUEUE 1u
#define VIRTIO_ISR_CONFIG 2u

/* Vendor capabilities (virtio: Virtio Structure PCI Capabilities) */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* struct virtio_pci_common_cfg offsets */
enum virtio_common_reg {
	VIRTIO_COMMON_DFSELECT = 0x00,
	VIRTIO_COMMON_DF = 0x04,
	VIRTIO_COMMON_GFSELECT = 0x08,
	VIRTIO_COMMON_GF = 0x0C,
	VIRTIO_COMMON_MSIX = 0x10,
	VIRTIO_COMMON_NUMQ = 0x12,
	VIRTIO_COMMON_STATUS = 0x14,
	VIRTIO_COMMON_CFGGENERATION = 0x15,
	VIRTIO_COMMON_Q_SELECT = 0x16,
	VIRTIO_COMMON_Q_SIZE = 0x18,
	VIRTIO_COMMON_Q_MSIX = 0x1A,
	VIRTIO_COMMON_Q_ENABLE = 0x1C,
	VIRTIO_COMMON_Q_NOFF = 0x1E,
	VIRTIO_COMMON_Q_DESCLO = 0x20,
	VIRTIO_COMMON_Q_DESCHI = 0x24,
	VIRTIO_COMMON_Q_AVAILLO = 0x28,
	VIRTIO_COMMON_Q_AVAILHI = 0x2C,
	VIRTIO_COMMON_Q_USEDLO = 0x30,
	VIRTIO_COMMON_Q_USEDHI = 0x34,
	VIRTIO_COMMON_Q_NDATA = 0x38,
	VIRTIO_COMMON_Q_RESET = 0x3A,
	VIRTIO_COMMON_LEN = 0x3C,
};

/* Legacy I/O register block (virtio: Legacy Interfaces: A Note on PCI Device Layout) */
enum virtio_legacy_reg {
	VIRTIO_LEGACY_HOST_FEATURES = 0x00,
	VIRTIO_LEGACY_GUEST_FEATURES = 0x04,
	VIRTIO_LEGACY_QUEUE_PFN = 0x08,
	VIRTIO_LEGACY_QUEUE_NUM = 0x0C,
	VIRTIO_LEGACY_QUEUE_SEL = 0x0E,
	VIRTIO_LEGACY_QUEUE_NOTIFY = 0x10,
	VIRTIO_LEGACY_STATUS = 0x12,
	VIRTIO_LEGACY_ISR = 0x13,
	VIRTIO_LEGACY_CONFIG_VECTOR = 0x14, /* MSI-X enabled only */
	VIRTIO_LEGACY_QUEUE_VECTOR = 0x16,  /* MSI-X enabled only */
};
#define VIRTIO_LEGACY_CONFIG_OFF(msix) ((msix) ? 0x18u : 0x14u)

/* struct virtio_net_config (virtio: Network Device / Device configuration layout) */
enum virtio_net_cfg {
	VIRTIO_NET_CFG_MAC = 0,
	VIRTIO_NET_CFG_STATUS = 6,
	VIRTIO_NET_CFG_MAX_PAIRS = 8,
	VIRTIO_NET_CFG_MTU = 10,
	VIRTIO_NET_CFG_SPEED = 12,
	VIRTIO_NET_CFG_DUPLEX = 16,
	VIRTIO_NET_CFG_RSS_MAX_KEY = 17,
	VIRTIO_NET_CFG_RSS_MAX_TABLE = 18,
	VIRTIO_NET_CFG_HASH_TYPES = 20,
	VIRTIO_NET_CFG_LEN = 24, /* through supported_hash_types */
};
#define VIRTIO_NET_S_LINK_UP 1u

/* struct virtio_net_hdr (virtio: Network Device / Device Operation) */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1u
#define VIRTIO_NET_HDR_GSO_NONE 0u
#define VIRTIO_NET_HDR_LEN 12u	      /* VERSION_1 or MRG_RXBUF */
#define VIRTIO_NET_HDR_LEN_LEGACY 10u /* legacy interface without MRG_RXBUF */
#define VIRTIO_NET_HDR_LEN_HASH 20u   /* + hash_value, hash_report, padding */

/* Control virtqueue (virtio: Network Device / Control Virtqueue) */
#define VIRTIO_NET_OK 0u
#define VIRTIO_NET_ERR 1u
#define VIRTIO_NET_CTRL_MQ 4u
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET 0u
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN 1u
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX 0x8000u
#define VIRTIO_NET_CTRL_MQ_RSS_CONFIG 1u
#define VIRTIO_NET_CTRL_MQ_HASH_CONFIG 2u

/* Hash types and reports (virtio: Hash calculation for incoming packets) */
#define VIRTIO_NET_HASH_TYPE_IPv4 (1u << 0)
#define VIRTIO_NET_HASH_TYPE_TCPv4 (1u << 1)
#define VIRTIO_NET_HASH_TYPE_UDPv4 (1u << 2)
#define VIRTIO_NET_HASH_TYPE_IPv6 (1u << 3)
#define VIRTIO_NET_HASH_TYPE_TCPv6 (1u << 4)
#define VIRTIO_NET_HASH_TYPE_UDPv6 (1u << 5)
#define VIRTIO_NET_HASH_REPORT_NONE 0u
#define VIRTIO_NET_HASH_REPORT_IPv4 1u
#define VIRTIO_NET_HASH_REPORT_TCPv4 2u
#define VIRTIO_NET_HASH_REPORT_UDPv4 3u
#define VIRTIO_NET_HASH_REPORT_IPv6 4u
#define VIRTIO_NET_HASH_REPORT_TCPv6 5u
#define VIRTIO_NET_HASH_REPORT_UDPv6 6u

/* ------------------------------------------------------- this device */

#define VNET_MAX_PAIRS 4u
#define VNET_MAX_QUEUES (2u * VNET_MAX_PAIRS + 1u) /* + the control queue */
#define VNET_QUEUE_SIZE_MAX 256u
#define VNET_NR_VECTORS 16u /* MSI-X Table Size + 1 */
#define VNET_MAX_FRAME 16384u
#define VNET_MIN_FRAME 14u
#define VNET_RSS_KEY_MAX 40u	/* rss_max_key_size */
#define VNET_RSS_TABLE_MAX 128u /* rss_max_indirection_table_length */
#define VNET_HASH_TYPES 0x3Fu	/* supported_hash_types: IPv4/IPv6, with TCP and UDP */

#define VNET_BAR0_LEN 0x40u   /* legacy I/O block: header + device config */
#define VNET_BAR1_LEN 0x8000u /* modern structures, MSI-X table and PBA */
#define VNET_BAR1_COMMON 0x0000u
#define VNET_BAR1_ISR 0x1000u
#define VNET_BAR1_DEVICE 0x2000u
#define VNET_BAR1_NOTIFY 0x3000u
#define VNET_NOTIFY_MULTIPLIER 4u
#define VNET_BAR1_MSIX_TABLE 0x6000u
#define VNET_BAR1_MSIX_PBA 0x7000u
#define VNET_PCI_CONFIG_LEN 256u

/* PCI configuration space: where this device puts its capabilities */
#define VNET_PCI_CAP_MSIX 0x40u
#define VNET_PCI_CAP_COMMON 0x50u
#define VNET_PCI_CAP_NOTIFY 0x60u
#define VNET_PCI_CAP_ISR 0x74u
#define VNET_PCI_CAP_DEVICE 0x84u
#define VNET_PCI_CAP_PCICFG 0x94u
#define VNET_PCI_COMMAND 0x04u
#define VNET_PCI_CMD_IO (1u << 0)
#define VNET_PCI_CMD_MEM (1u << 1)
#define VNET_PCI_CMD_MASTER (1u << 2)
#define VNET_PCI_CMD_INTX_DISABLE (1u << 10)
#define VNET_PCI_STATUS_INTX (1u << 3)
#define VNET_PCI_STATUS_CAPS (1u << 4)
#define VNET_MSIX_CTRL_ENABLE (1u << 15)
#define VNET_MSIX_CTRL_FMASK (1u << 14)

/* ------------------------------------------------------------ creation */

enum vnet_irq_kind {
	VNET_IRQ_LINE = 0, /* INTx through the ISR status byte */
	VNET_IRQ_MSI = 1,  /* one MSI-X message granted: everything on vector 0 */
	VNET_IRQ_MSIX = 2, /* up to VNET_NR_VECTORS messages */
};

struct vnet_config {
	struct ke_machine *machine; /* required */
	struct hw_dma_space *dma;   /* where rings and buffers live; required */
	struct hw_irq_sink sink;    /* ops NULL: nowhere */
	uint8_t mac[6];
	uint16_t bar0_port; /* legacy I/O block (transitional) */
	uint64_t bar1_addr; /* modern memory BAR */
	uint8_t intx_vector;
	enum vnet_irq_kind irq_kind;
	unsigned nr_msgs;    /* MSI-X: messages offered, 1..16 */
	bool modern_only;    /* 1AF4:1041, no legacy I/O BAR */
	unsigned max_pairs;  /* 1..VNET_MAX_PAIRS (0: VNET_MAX_PAIRS) */
	unsigned queue_size; /* power of two 2..256 (0: 256) */
	uint64_t features;   /* offered subset of VNET_FEATURES_SUPPORTED (0: all) */
	bool link_down;
};

/** vnet_create() - Power on. Return: NULL with errno EINVAL / ENOMEM. Context: host thread. */
struct vnet *vnet_create(const struct vnet_config *cfg);
/** vnet_free() - Power off: unplug the wire, release the pin, free. Context: host thread. */
void vnet_free(struct vnet *dev);

/* ------------------------------------------------------- driver side */

/* Resource list, in BAR order: BAR0 (I/O, 0 length when modern-only), BAR1, interrupt. */
struct vnet_resources {
	uint16_t bar0_port;
	uint16_t bar0_len;
	uint64_t bar1_addr;
	uint32_t bar1_len;
	enum vnet_irq_kind irq_kind;
	uint8_t line_vector;
	unsigned nr_msgs;
};
void vnet_resources(const struct vnet *dev, struct vnet_resources *out);

/*
 * BAR1 (memory) and BAR0 (I/O) accesses, offsets relative to the BAR.
 * Fields are accessed at their natural width (64-bit ones as two 32-bit
 * halves); a read of another width returns the addressed bytes of the
 * structure (side effects of the containing field included), a write of
 * another width or outside any structure is ignored and counted.
 * Context: any thread, any IRQL. Preemption point (sim engine).
 */
uint8_t vnet_mmio_read8(struct vnet *dev, uint32_t off);
uint16_t vnet_mmio_read16(struct vnet *dev, uint32_t off);
uint32_t vnet_mmio_read32(struct vnet *dev, uint32_t off);
void vnet_mmio_write8(struct vnet *dev, uint32_t off, uint8_t val);
void vnet_mmio_write16(struct vnet *dev, uint32_t off, uint16_t val);
void vnet_mmio_write32(struct vnet *dev, uint32_t off, uint32_t val);
uint8_t vnet_pio_read8(struct vnet *dev, uint32_t port);
uint16_t vnet_pio_read16(struct vnet *dev, uint32_t port);
uint32_t vnet_pio_read32(struct vnet *dev, uint32_t port);
void vnet_pio_write8(struct vnet *dev, uint32_t port, uint8_t val);
void vnet_pio_write16(struct vnet *dev, uint32_t port, uint16_t val);
void vnet_pio_write32(struct vnet *dev, uint32_t port, uint32_t val);

/*
 * PCI configuration space. Writable by the driver: Command bits 0, 1, 2, 10
 * and the VIRTIO_PCI_CAP_PCI_CFG window (bar, offset, length, data).
 * Return: bytes transferred. Context: any thread, any IRQL.
 */
size_t vnet_pci_config_read(struct vnet *dev, uint32_t off, void *buf, size_t len);
size_t vnet_pci_config_write(struct vnet *dev, uint32_t off, const void *buf, size_t len);

/* ------------------------------------------------------------- host side */

/* MSI-X table and capability: the host's (as with VN-1). Return: 0 or -EINVAL. */
int vnet_msix_program(struct vnet *dev, unsigned vec, uint64_t addr, uint32_t data);
int vnet_msix_set_masked(struct vnet *dev, unsigned vec, bool masked);
void vnet_msix_set_enabled(struct vnet *dev, bool enabled);
void vnet_msix_set_function_mask(struct vnet *dev, bool masked);

void vnet_set_sink(struct vnet *dev, struct hw_irq_sink sink);
void vnet_wire_attach(struct vnet *dev, struct wire *w, unsigned end);

enum vnet_rx_result {
	VNET_RX_OK = 0,
	VNET_RX_REMOVED = -1,
	VNET_RX_NOT_READY = -2, /* not DRIVER_OK, or NEEDS_RESET */
	VNET_RX_LINK_DOWN = -3,
	VNET_RX_BAD_LENGTH = -4,
	VNET_RX_NO_BUFFER = -5,	   /* queue off or no (large enough) buffer */
	VNET_RX_DEVICE_ERROR = -6, /* malformed ring or DMA fault: NEEDS_RESET */
};

/** vnet_receive() - A frame arrives at the port. Return: 0 or a negative enum vnet_rx_result. */
int vnet_receive(struct vnet *dev, const void *frame, size_t len);

/* Host controls and fault knobs. Each is counted in struct vnet_stats. */
void vnet_host_set_link(struct vnet *dev, bool up);
int vnet_host_inject_spurious(struct vnet *dev, unsigned vec);
void vnet_host_set_stuck_line(struct vnet *dev, bool stuck);
int vnet_host_drop_next_signal(struct vnet *dev, unsigned vec);
void vnet_host_surprise_remove(struct vnet *dev);
/* The next descriptor fetch faults (a device error: NEEDS_RESET). */
void vnet_host_dma_fault_next(struct vnet *dev);
/* Delay each receive queue's used idx write-back (and so its used buffer
 * notification) by @ns of engine time (0: at once again, landing what
 * waits). Return: 0, -EINVAL (> 1 s). */
int vnet_host_wb_delay(struct vnet *dev, uint64_t ns);
/* Function-level reset, as a status write of 0 does. */
void vnet_reset(struct vnet *dev);

/* The device seam: this device as a struct hw_device, and back (NULL if not a vnet). */
struct hw_device;
struct hw_device *vnet_device(struct vnet *dev);
struct vnet *vnet_from_device(struct hw_device *d);

struct vnet_stats {
	uint64_t rx_offered, rx_accepted;
	uint64_t rx_removed, rx_not_ready, rx_link_down, rx_bad_length, rx_no_buffer,
	    rx_device_error;
	uint64_t rx_queue[VNET_MAX_PAIRS];		    /* frames placed, by receive queue */
	uint64_t tx_chains;				    /* transmit chains consumed */
	uint64_t tx_sent, tx_link_down, tx_no_wire, tx_bad; /* bad: too long/short */
	uint64_t tx_dropped; /* completed but not put on the wire: the sum of the three */
	uint64_t tx_csum;    /* checksums completed (NEEDS_CSUM) */
	uint64_t ctrl_cmds, ctrl_errs;
	uint64_t rx_rss_hashed, rx_rss_unclassified; /* RSS: placed by hash / unclassified */
	uint64_t driver_notifies[VNET_MAX_QUEUES];   /* available buffer notifications */
	uint64_t used_notifies[VNET_MAX_QUEUES];     /* used buffer notifications sent */
	uint64_t used_suppressed[VNET_MAX_QUEUES];   /* suppressed by flags / event index */
	uint64_t device_errors;			     /* NEEDS_RESET entered */
	uint64_t features_refused;		     /* FEATURES_OK not accepted */
	uint64_t resets, queue_resets;
	uint64_t line_assertions, isr_reads;
	uint64_t msgs_sent[VNET_NR_VECTORS], msgs_pba_pended[VNET_NR_VECTORS];
	uint64_t msgs_no_vector; /* events on NO_VECTOR with MSI-X on: not delivered */
	uint64_t inj_link_changes, inj_spurious, inj_stuck_line, inj_drop_signal, signals_dropped,
	    inj_surprise_removal, inj_dma_fault, dma_faults_injected;
	uint64_t inj_wb_delay, wb_delayed; /* delays set / used idx writes landed late */
	uint64_t bad_accesses, msix_table_writes;
};
void vnet_get_stats(struct vnet *dev, struct vnet_stats *out);
bool vnet_line_asserted(struct vnet *dev);
/* The driver-visible state for tests and reports. */
uint8_t vnet_device_status(struct vnet *dev);
uint64_t vnet_driver_features(struct vnet *dev);
unsigned vnet_active_pairs(struct vnet *dev);

#endif /* NDISRT_HW_VIRTIO_NET_H */
