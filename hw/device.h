/* SPDX-License-Identifier: MIT */
/*
 * hw/device.h - the device-model seam: what a simulated PCI device offers
 * the host that runs a driver for it (docs/devices.md).
 *
 * A model (hw/vn1*.c, hw/e1000/, hw/virtio_net/, a test's device) embeds a
 * struct hw_device, fills in a struct hw_device_ops and registers a struct
 * hw_device_model under a short name. Hosting (ndis/) and the tools reach
 * devices only through this header: never through a model's own header.
 *
 * Think of QEMU's MemoryRegionOps plus PCIDeviceClass, or FreeBSD's ifdi
 * method table, cut down to what a miniport host needs:
 *
 *   identity and config space  id, config_read, config_write
 *   resources                  resources (BARs, INTx line, MSI / MSI-X messages)
 *   BAR access                 bar_read, bar_write (widths 1, 2, 4; 8 optional)
 *   MSI-X (host side)          msix_program, msix_mask, msix_enable, msix_function_mask
 *   interrupt output           set_sink (hw/irq_sink.h), line_asserted
 *   network port               wire_attach (hw/wire.h)
 *   life cycle                 reset, destroy
 *   faults                     fault (enum hw_fault; a model refuses what it lacks)
 *   statistics                 stats (name/value pairs)
 *   register attributes        reg_attr (read-to-clear, W1S, W1C; optional)
 *
 * DMA: a model reads and writes the memory a driver gave it only through
 * hw_dma_read() / hw_dma_write() on the struct hw_dma_space of its
 * hw_device_params, never through a host pointer.
 *
 * Two audiences call a device:
 *  - the driver side (hosting on behalf of a miniport): bar_read/bar_write,
 *    config_read/config_write. Always through the hw_dev_*() wrappers below,
 *    which run the access hook.
 *  - the host side (hosting as "the OS", tools, tests): everything else.
 */
#ifndef NDISRT_HW_DEVICE_H
#define NDISRT_HW_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/irq_sink.h"

struct hw_dma_space;
struct hw_device;
struct ke_machine;
struct wire;

#define HW_MAX_BARS 6u
#define HW_PCI_CONFIG_LEN 256u
#define HW_MAX_MSIX 2048u   /* PCI limit on MSI-X table size */
#define HW_BAR_CONFIG 0xFFu /* "bar" of a config-space access in the hook */
#define HW_DEVICE_MAX_HOOKS 4u

/* ------------------------------------------------------------- identity */

struct hw_pci_id {
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_device;
	uint8_t revision;
	uint8_t class_code, subclass, prog_if; /* e.g. 0x02, 0x00, 0x00: Ethernet */
};

/* ------------------------------------------------------------ resources */

enum hw_bar_kind {
	HW_BAR_NONE = 0, /* unimplemented BAR */
	HW_BAR_MEM = 1,	 /* memory space: @base is a bus address */
	HW_BAR_PORT = 2, /* I/O space: @base is a port number (< 0x10000) */
};

struct hw_bar {
	enum hw_bar_kind kind;
	uint64_t base;
	uint32_t len; /* bytes (memory) or ports */
};

enum hw_irq_kind {
	HW_IRQ_LINE = 0, /* INTx: level-sensitive, shareable */
	HW_IRQ_MSI = 1,	 /* MSI: message_count messages (1 in practice) */
	HW_IRQ_MSIX = 2, /* MSI-X: message_count entries in the MSI-X table */
};

/*
 * What the device asks the host for, in BAR order; the host builds the
 * driver's resource list from it (memory and port ranges in BAR order, then
 * the interrupt).
 */
struct hw_resources {
	struct hw_bar bar[HW_MAX_BARS];
	enum hw_irq_kind irq_kind; /* the interrupt this device instance offers */
	bool has_line;		   /* an INTx pin (Interrupt Pin != 0) */
	uint8_t line_vector;	   /* PCI Interrupt Line: the INTx vector */
	unsigned message_count;	   /* HW_IRQ_MSI / HW_IRQ_MSIX: messages; else 0 */
	/* Bus-master address width: 32 for a device whose DMA address registers
	 * are 32 bits wide (hosting then gives its driver shared memory below
	 * 4 GiB, hw_dma_alloc32()); 0 or 64: any logical address. */
	uint8_t dma_address_bits;
};

/* ---------------------------------------------------------------- faults */

/*
 * Host-injected faults and events (datasheet-style "host controls"). Every
 * model accepts the enum; one that does not implement a fault returns
 * -EOPNOTSUPP from ->fault, and the caller reports that, never pretends.
 * An argument no fault takes (UINT64_MAX) is a probe: -EINVAL, before any
 * effect, from a model that has the fault; -EOPNOTSUPP from one that lacks it.
 */
enum hw_fault {
	HW_FAULT_LINK = 0,	   /* @arg 1: link up, 0: link down (a link-change event) */
	HW_FAULT_SPURIOUS_IRQ = 1, /* one interrupt with no cause; @arg: message (line: 0) */
	HW_FAULT_STUCK_LINE = 2,   /* @arg 1: INTx held asserted regardless of causes; 0: release */
	HW_FAULT_DROP_MSG = 3,	   /* lose the next signal of message @arg */
	/* delay the receive write-back (and its interrupt) by @arg ns (<= 1 s; 0: off) */
	HW_FAULT_DMA_WRITEBACK_DELAY = 4,
	HW_FAULT_DMA_ERROR = 5, /* the next descriptor fetch, rx or tx, faults (@arg 0) */
	HW_FAULT_SURPRISE_REMOVE =
	    6, /* gone: reads all-ones, writes ignored, pin floats (@arg 0) */
	HW_FAULT_COUNT
};

/* ------------------------------------------------------------ statistics */

struct hw_stat {
	const char *name; /* static storage; snake_case, array elements as "msgs_sent.3" */
	uint64_t value;
};

/* --------------------------------------------------- register attributes */

/*
 * What ->reg_attr says of a register (the verifier's ISR-shared register
 * check, docs/verifier.md): a read that changes device state, and writes
 * that act on the 1 bits only. The answer may depend on the device's mode
 * (VN-1's ICR is read-to-clear on the line only); it is asked after the
 * access, from the access hook, and must be async-signal-safe and lock-free.
 */
#define HW_REG_READ_CLEARS 0x1u /* reading consumes state (read-to-clear) */
#define HW_REG_W1S 0x2u		/* write 1s to set; 0 bits are ignored */
#define HW_REG_W1C 0x4u		/* write 1s to clear; 0 bits are ignored */

/* ------------------------------------------------------------------ hook */

/*
 * Register/port/config access hook (the verifier learns which registers an
 * ISR shares with other paths): called by the hw_dev_*() driver-side
 * wrappers after the access, outside any device lock, with the access as the
 * driver made it. @bar is 0..5, or HW_BAR_CONFIG for config space (then
 * @width is the byte count and @value 0). Context: the caller's (any IRQL,
 * possibly a signal handler): a hook is async-signal-safe and never blocks.
 */
typedef void hw_access_hook_fn(void *ctx, struct hw_device *dev, unsigned bar, uint32_t off,
			       unsigned width, uint64_t value, bool write);

struct hw_access_hook {
	hw_access_hook_fn *fn;
	void *ctx;
};

/* ------------------------------------------------------------- irq hook */

/*
 * Interrupt-output hook (the tracer draws a device's interrupts from it):
 * what the device signals into its sink, and what the OS side programs and
 * masks. One per device. Called on the signalling thread (a device's host
 * thread, a vCPU, possibly in a signal handler, possibly with the model's
 * own lock held at HIGH_LEVEL), before the signal is passed on: the hook is
 * async-signal-safe, lock-free, never blocks and never calls the device.
 */
enum hw_irq_event {
	HW_IRQ_EV_LINE,		 /* INTx level changed: @a 1 asserted, 0 deasserted */
	HW_IRQ_EV_PULSE,	 /* INTx pulsed (one request, no level change) */
	HW_IRQ_EV_MSI,		 /* message signalled: @a address, @b data */
	HW_IRQ_EV_PROGRAM,	 /* msix_program of message @msg: @a address, @b data */
	HW_IRQ_EV_MASK,		 /* msix_mask of message @msg: @a 1 masked, 0 unmasked */
	HW_IRQ_EV_FUNCTION_MASK, /* msix_function_mask: @a 1 masked, 0 unmasked */
	HW_IRQ_EV_ENABLE,	 /* msix_enable: @a 1 enabled, 0 disabled */
};

typedef void hw_irq_hook_fn(void *ctx, struct hw_device *dev, enum hw_irq_event ev, unsigned msg,
			    uint64_t a, uint64_t b);

/* ------------------------------------------------------------------- ops */

/*
 * Obligations of a model (every member required unless marked optional):
 *  - bar_read / bar_write / config_read / config_write: callable from any
 *    thread at any IRQL, including an ISR in a signal handler that
 *    interrupted a thread already inside the device: async-signal-safe,
 *    no allocation, no printing, no blocking (a ke spin lock at HIGH_LEVEL
 *    is the model's own business). Each is a preemption point
 *    (ke_preempt_point(KE_PP_REG_ACCESS)) for the sim engine.
 *  - bar_read / bar_write: @bar names a BAR the resources report; @width is
 *    1, 2 or 4 (8 only if the model says so: it returns ~0 / ignores
 *    otherwise). An access outside the BAR or misaligned reads 0 (or what the
 *    datasheet says) and is ignored on write; counted in the model's stats,
 *    never fatal. After HW_FAULT_SURPRISE_REMOVE every read returns all-ones
 *    of @width and writes are ignored.
 *  - config_read / config_write: the 256-byte PCI configuration space as
 *    NdisMGetBusData/NdisMSetBusData see it; Return: bytes transferred
 *    (clipped to the space). Vendor/device/subsystem/revision/class match ->id.
 *    The MSI-X capability's Message Control (enable, function mask, table
 *    size - 1) reflects msix_enable/msix_function_mask. After surprise
 *    removal a read gives all-ones.
 *  - resources: constant for the device's life. A device that cannot
 *    address all 64 bits says so in dma_address_bits.
 *  - msix_program / msix_mask / msix_enable / msix_function_mask: the OS's
 *    side of MSI-X (what a PCI bus driver does when it connects message
 *    interrupts). A message signalled while its entry or the function is
 *    masked, or while MSI-X is disabled, sets its PBA bit and is sent once
 *    when unmasked. msix_enable(true) sets Command.INTxDisable while enabled.
 *    Return: 0, or -EINVAL for a message number past the table. A model
 *    offering HW_IRQ_MSI is programmed through the same ops (message 0 is
 *    its one MSI message, msix_enable its MSI enable): hosting programs
 *    every message kind alike. A model with neither may leave them NULL.
 *  - set_sink: replace where the device signals (hw/irq_sink.h; {0}: nowhere).
 *    The device re-drives its current line level into the new sink.
 *    Context: host thread, the device quiet (no driver access in flight).
 *  - line_asserted: the INTx pin's level now (after Command.INTxDisable).
 *  - wire_attach: plug the port into end @end of @w (NULL: unplug). Context:
 *    host thread, quiet device and wire. A model without a port: NULL.
 *  - reset: function-level reset: every register to its power-on default;
 *    what the host owns (MAC assignment, MSI-X table and enable, PCI Command,
 *    sink, wire, injected faults, statistics) survives. Context: host thread.
 *  - fault: enum hw_fault; Return: 0, -EINVAL (bad @arg), -EOPNOTSUPP.
 *  - stats: fill up to @cap entries of @out with a consistent snapshot;
 *    Return: the number of statistics the model has (call with @cap 0 to
 *    size). Names and order are constant for the model. A network model
 *    names at least (the tools' frame conservation reads them):
 *      rx_offered   frames the wire brought to the port
 *      rx_accepted  ...of which the device took (the rest it dropped, counted)
 *      tx_sent      frames handed to the wire
 *      tx_dropped   transmits completed to the driver but not put on the wire
 *    and, if a transmit DMA fault reaches the driver as an error (an error
 *    status, or no write-back past the device's head), also
 *      tx_dma_fault transmits consumed unsent on a DMA fault (not in tx_dropped)
 *    and, optionally, a snapshot the verifier asks for (rule I13):
 *      irq_masked_pending  causes pending that the driver enabled at some
 *                   time since reset and that are masked now (0 after
 *                   surprise removal); a model without it is not watched
 *      irq_unmasked the causes the device may signal now (its interrupt
 *                   mask); the I8 check of ndis/sync.c
 *  - destroy: power off: unplug the wire, stop timers, release the pin
 *    (deassert into the sink), free. Context: host thread, nobody calls the
 *    device any more.
 */
struct hw_device_ops {
	uint64_t (*bar_read)(struct hw_device *dev, unsigned bar, uint32_t off, unsigned width);
	void (*bar_write)(struct hw_device *dev, unsigned bar, uint32_t off, unsigned width,
			  uint64_t value);
	size_t (*config_read)(struct hw_device *dev, uint32_t off, void *buf, size_t len);
	size_t (*config_write)(struct hw_device *dev, uint32_t off, const void *buf, size_t len);
	void (*resources)(struct hw_device *dev, struct hw_resources *out);

	int (*msix_program)(struct hw_device *dev, unsigned msg, uint64_t addr, uint32_t data);
	int (*msix_mask)(struct hw_device *dev, unsigned msg, bool masked);
	void (*msix_enable)(struct hw_device *dev, bool enabled);
	void (*msix_function_mask)(struct hw_device *dev, bool masked);

	void (*set_sink)(struct hw_device *dev, struct hw_irq_sink sink);
	bool (*line_asserted)(struct hw_device *dev);
	void (*wire_attach)(struct hw_device *dev, struct wire *w, unsigned end);
	void (*reset)(struct hw_device *dev);
	int (*fault)(struct hw_device *dev, enum hw_fault f, uint64_t arg);
	size_t (*stats)(struct hw_device *dev, struct hw_stat *out, size_t cap);
	void (*destroy)(struct hw_device *dev);
	/* optional: what an access does to the register(s) at @off..@off+@width
	 * of @bar beyond a plain read or write, as HW_REG_* bits; NULL: nothing */
	unsigned (*reg_attr)(struct hw_device *dev, unsigned bar, uint32_t off, unsigned width);
};

/*
 * The base object a model embeds (anywhere; models use container_of-style
 * casts). Lock key: (c) constant after create, hooks installed only while
 * the device is quiet.
 */
struct hw_device {
	const struct hw_device_ops *ops;		  /* (c) */
	const struct hw_device_model *model;		  /* (c) set by hw_device_create() */
	struct hw_pci_id id;				  /* (c) */
	unsigned nr_hooks;				  /* (c) */
	struct hw_access_hook hooks[HW_DEVICE_MAX_HOOKS]; /* (c) */
	struct hw_irq_sink sink; /* (c) the sink now: kept by hw_dev_set_sink()
						 * and hw_device_create() */
	/* (c) hw_device_irq_hook_set(): the hook, and the sink the model
	 * signals while it is set (forwarding to @sink). */
	hw_irq_hook_fn *irq_hook;
	void *irq_hook_ctx;
	struct hw_irq_sink irq_tap;
};

/** hw_device_init() - Set up the base of a new model instance. Context: host thread. */
void hw_device_init(struct hw_device *dev, const struct hw_device_ops *ops,
		    const struct hw_pci_id *id);

/* ------------------------------------------------------------ creation */

/*
 * Common creation parameters. Zero means "the model's default" wherever
 * that makes sense.
 */
struct hw_device_params {
	struct ke_machine *machine; /* engine clock, timers; required */
	struct hw_dma_space *dma;   /* bus-master address space; required */
	struct hw_irq_sink sink;    /* initial interrupt sink; ops NULL: nowhere */
	uint8_t mac[6];		    /* station address (network devices) */
	uint64_t mem_base;	    /* bus address of the first memory BAR */
	uint16_t port_base;	    /* port base of the first I/O BAR */
	uint8_t line_vector;	    /* INTx vector reported as Interrupt Line */
	enum hw_irq_kind irq_kind;  /* what the device offers the driver */
	unsigned nr_msgs;	    /* MSI-X messages offered; 0: model default */
	unsigned nr_queues;	    /* queue pairs; 0: model default */
	bool link_down;		    /* start with the link down */
	const char *options;	    /* model-specific "key=value,key=value"; NULL: none */
};

/*
 * A model, registered by name. @create validates @p (one line into @err on
 * failure: "vn1: nr_msgs 17 out of range 1..16") and powers the device on
 * with every register at its reset default.
 */
struct hw_device_model {
	const char *name;    /* "vn1": what --device takes */
	const char *summary; /* one line for --help */
	struct hw_device *(*create)(const struct hw_device_params *p, char *err, size_t errlen);
	/* The sample miniport `ndisrt run --device NAME` loads when no --driver
	 * is given (a built-in sample's name, drivers/NAME.so); NULL: none. */
	const char *sample_driver;
};

/**
 * hw_device_model_find() - The model called @name (built in or registered).
 * Context: any thread. Return: the model, or NULL.
 */
const struct hw_device_model *hw_device_model_find(const char *name);

/** hw_device_model_at() - The @i-th model, for listing (NULL past the end). */
const struct hw_device_model *hw_device_model_at(size_t i);

/**
 * hw_device_model_register() - Add a model (a test's device, a plugin).
 * Context: host thread, before any lookup races with it.
 * Return: 0, -EEXIST (name taken), -ENOSPC, -EINVAL.
 */
int hw_device_model_register(const struct hw_device_model *m);

/**
 * hw_device_create() - Create a device of the model called @name.
 * Return: the device, or NULL with one line in @err (unknown model, bad params).
 */
struct hw_device *hw_device_create(const char *name, const struct hw_device_params *p, char *err,
				   size_t errlen);

/** hw_device_free() - ->destroy, NULL-safe. Context: host thread, device unused. */
void hw_device_free(struct hw_device *dev);

/**
 * hw_device_hook_add() / hw_device_hook_remove() - Subscribe to driver-side
 * accesses. Context: host thread, device quiet. Return: 0, -ENOSPC, -ENOENT.
 */
int hw_device_hook_add(struct hw_device *dev, hw_access_hook_fn *fn, void *ctx);
int hw_device_hook_remove(struct hw_device *dev, hw_access_hook_fn *fn, void *ctx);

/**
 * hw_device_irq_hook_set() - Install (@fn) or remove (NULL) the device's
 * interrupt-output hook. While set, the model signals a tap that reports each
 * signal to @fn and passes it on to hw_dev_sink(); the seam's view of the sink
 * does not change. Context: host thread, device quiet (as ->set_sink).
 * Return: 0, or -EBUSY if another hook is set.
 */
int hw_device_irq_hook_set(struct hw_device *dev, hw_irq_hook_fn *fn, void *ctx);

/**
 * hw_device_stat() - The value of statistic @name (0 if the model has none).
 * @found: out, whether it exists (may be NULL). Context: host thread.
 */
uint64_t hw_device_stat(struct hw_device *dev, const char *name, bool *found);

/* --------------------------------------------- driver-side access wrappers */

void hw_device_run_hooks(struct hw_device *dev, unsigned bar, uint32_t off, unsigned width,
			 uint64_t value, bool write);

/*
 * What hosting calls for a driver's register, port and config access. The
 * hook costs one predictable branch when nobody subscribed.
 */
static inline uint64_t hw_dev_bar_read(struct hw_device *dev, unsigned bar, uint32_t off,
				       unsigned width)
{
	uint64_t v = dev->ops->bar_read(dev, bar, off, width);

	if (__builtin_expect(dev->nr_hooks != 0, 0))
		hw_device_run_hooks(dev, bar, off, width, v, false);
	return v;
}

static inline void hw_dev_bar_write(struct hw_device *dev, unsigned bar, uint32_t off,
				    unsigned width, uint64_t value)
{
	dev->ops->bar_write(dev, bar, off, width, value);
	if (__builtin_expect(dev->nr_hooks != 0, 0))
		hw_device_run_hooks(dev, bar, off, width, value, true);
}

static inline size_t hw_dev_config_read(struct hw_device *dev, uint32_t off, void *buf, size_t len)
{
	size_t n = dev->ops->config_read(dev, off, buf, len);

	if (__builtin_expect(dev->nr_hooks != 0, 0))
		hw_device_run_hooks(dev, HW_BAR_CONFIG, off, (unsigned)n, 0, false);
	return n;
}

static inline size_t hw_dev_config_write(struct hw_device *dev, uint32_t off, const void *buf,
					 size_t len)
{
	size_t n = dev->ops->config_write(dev, off, buf, len);

	if (__builtin_expect(dev->nr_hooks != 0, 0))
		hw_device_run_hooks(dev, HW_BAR_CONFIG, off, (unsigned)n, 0, true);
	return n;
}

/* ------------------------------------------------ host-side conveniences */

static inline void hw_dev_resources(struct hw_device *dev, struct hw_resources *out)
{
	dev->ops->resources(dev, out);
}

/*
 * hw_dev_set_sink() / hw_dev_sink() - Replace / read the device's interrupt
 * sink. Hosting saves hw_dev_sink() when it takes the pin and gives it back
 * at halt. Context: host thread, device quiet.
 */
/** hw_dev_reg_attr() - ->reg_attr, or 0 when the model has none. Context: any (async-signal-safe). */
static inline unsigned hw_dev_reg_attr(struct hw_device *dev, unsigned bar, uint32_t off,
				       unsigned width)
{
	return dev->ops->reg_attr ? dev->ops->reg_attr(dev, bar, off, width) : 0;
}

static inline void hw_dev_set_sink(struct hw_device *dev, struct hw_irq_sink sink)
{
	dev->sink = sink;
	dev->ops->set_sink(dev, dev->irq_hook ? dev->irq_tap : sink);
	dev->sink = sink; /* a model may have stored the tap there */
}

static inline struct hw_irq_sink hw_dev_sink(const struct hw_device *dev)
{
	return dev->sink;
}

static inline int hw_dev_fault(struct hw_device *dev, enum hw_fault f, uint64_t arg)
{
	return dev->ops->fault(dev, f, arg);
}

/** hw_dev_wire_attach() - ->wire_attach; Return: 0, or -EOPNOTSUPP (no port). */
int hw_dev_wire_attach(struct hw_device *dev, struct wire *w, unsigned end);

/* MSI-X host side; Return: 0, -EINVAL, -EOPNOTSUPP (the model has no MSI-X). */
int hw_dev_msix_program(struct hw_device *dev, unsigned msg, uint64_t addr, uint32_t data);
int hw_dev_msix_mask(struct hw_device *dev, unsigned msg, bool masked);
int hw_dev_msix_enable(struct hw_device *dev, bool enabled);
int hw_dev_msix_function_mask(struct hw_device *dev, bool masked);

/** hw_fault_name() - "link", "spurious-irq", ... (NULL for an unknown value). */
const char *hw_fault_name(enum hw_fault f);

/* ------------------------------------------------- helpers for models */

/*
 * What a model accepts of struct hw_device_params, for hw_params_check():
 * the seam glue every model's create() would otherwise repeat.
 */
struct hw_param_limits {
	const char *model;   /* "vn1": the prefix of every message */
	const char *part;    /* "the VN-1": names the device in messages */
	bool msi, msix;	     /* message interrupts offered beside INTx */
	unsigned max_msgs;   /* MSI-X messages; also the default for nr_msgs 0 */
	unsigned max_queues; /* queue pairs (nr_queues 0: the model's default) */
};

/**
 * hw_params_check() - Check @p's interrupt kind, MSI-X message count and
 * queue count against @l. @nr_msgs: out (may be NULL), the messages the
 * instance offers: for MSI-X nr_msgs, or max_msgs if 0; otherwise 1.
 * Context: host thread. Return: 0, or -1 with one line in @err
 * ("e1000: the 82540EM signals on INTA# only (no MSI or MSI-X)").
 */
int hw_params_check(const struct hw_device_params *p, const struct hw_param_limits *l,
		    unsigned *nr_msgs, char *err, size_t errlen);

/* One "key=value" item of a model's options; Return: 0, or non-zero: bad. */
typedef int hw_option_fn(void *ctx, const char *item);

/**
 * hw_options_parse() - Split @opts ("key=value,key=value"; NULL or "":
 * none) at commas and hand each item, NUL-terminated, to @fn (NULL: the
 * model takes no option). Context: host thread. Return: 0, or -1 with
 * "MODEL: bad option 'ITEM' (known: KNOWN)" in @err for the first item @fn
 * refuses or that is longer than 63 characters.
 */
int hw_options_parse(const char *opts, const char *model, const char *known, hw_option_fn *fn,
		     void *ctx, char *err, size_t errlen);

/**
 * hw_stats_fill() - The body of a model's ->stats: the first @cap of the
 * @n pairs (@names[i], @values[i]) into @out. Return: @n.
 */
size_t hw_stats_fill(struct hw_stat *out, size_t cap, const char *const *names,
		     const uint64_t *values, size_t n);

#endif /* NDISRT_HW_DEVICE_H */
