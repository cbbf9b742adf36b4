/* SPDX-License-Identifier: MIT */
/*
 * ndisrt/ndis.h - host API of the NDIS layer: miniport adapters as the host
 * (a test, the hosting code, the CLI) sees them.
 *
 * The host creates an adapter with its interrupt resources (an INTx line of
 * the machine's interrupt controller, possibly shared with other adapters,
 * or N message-signalled interrupts), hands the adapter's handle to the
 * driver as MiniportAdapterHandle, and brackets the driver's
 * MiniportInitializeEx and MiniportHaltEx with the lifecycle calls below so
 * that the DDI can check where it is called from (spec R1, R5, D3).
 *
 * No WDK names here: a host sees handles as void * and statuses as int.
 * See docs/ndis-interrupts.md.
 */
#ifndef NDISRT_NDISRT_NDIS_H
#define NDISRT_NDISRT_NDIS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "verifier/violation.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ke_machine;
struct ke_interrupt;
struct intc;
struct intc_line;
struct ndisrt_adapter;

#define NDISRT_MAX_MESSAGES 16		     /* MSI-X messages per adapter */
#define NDISRT_DEFAULT_MAX_NBLS 64	     /* MaxNblsToIndicate unless configured */
#define NDISRT_INDICATE_ALL_NBLS 0xFFFFFFFFu /* = NDIS_INDICATE_ALL_NBLS */
#define NDISRT_DEFAULT_MSI_IRQL 8	     /* DIRQL of a message unless configured */
#define NDISRT_ALL (~0u)		     /* "every message" / "every vCPU" in queries */

/*
 * The interrupt resources and settings of one adapter. Fill it with
 * ndisrt_adapter_config_init() and override what the test needs.
 */
struct ndisrt_adapter_config {
	/* The machine's interrupt controller; required for message interrupts. */
	struct intc *ic;
	/*
	 * Line-based resource: an INTx line (it may be shared by several
	 * adapters). Exclusive with @nr_messages.
	 */
	struct intc_line *line;
	/* Message resources: 0 none, 1 MSI, 2..16 MSI-X. Exclusive with @line. */
	unsigned nr_messages;
	/* Target vCPU of each message; -1 (the default) means message % nr_vcpus. */
	int message_vcpu[NDISRT_MAX_MESSAGES];
	/*
	 * DIRQL of each message (3..12); 0 (the default) means
	 * NDISRT_DEFAULT_MSI_IRQL, or the nearest level with a free vector.
	 */
	uint8_t message_irql[NDISRT_MAX_MESSAGES];
	/* MaxNblsToIndicate given to every interrupt DPC; NDISRT_INDICATE_ALL_NBLS allowed. */
	uint32_t max_nbls_to_indicate;
};

/** ndisrt_adapter_config_init() - Defaults: no resources, messages on m % n, 64 NBLs. */
void ndisrt_adapter_config_init(struct ndisrt_adapter_config *cfg, struct intc *ic);

/**
 * ndisrt_adapter_create() - Create an adapter on @m with the resources of @cfg.
 * Context: host thread, or a vCPU at IRQL <= DISPATCH_LEVEL.
 * Return: the adapter (halted: not initialized), or NULL with errno
 * (EINVAL: a bad configuration; ENOMEM; ENOSPC: handle table full).
 */
struct ndisrt_adapter *ndisrt_adapter_create(struct ke_machine *m,
					     const struct ndisrt_adapter_config *cfg);

/**
 * ndisrt_adapter_free() - Free a halted adapter.
 * Context: host thread; the adapter is halted (or was never initialized).
 * Return: 0, or -EBUSY if it is initialized or still has an interrupt.
 */
int ndisrt_adapter_free(struct ndisrt_adapter *a);

/** ndisrt_adapter_handle() - The MiniportAdapterHandle the driver is given. */
void *ndisrt_adapter_handle(const struct ndisrt_adapter *a);

/**
 * ndisrt_adapter_msi_refused() - Did NdisMRegisterInterruptEx fail because the
 * adapter was given message-signalled interrupts and the driver registered
 * MsiSupported = FALSE (a line-only driver)? For the host's error message.
 */
bool ndisrt_adapter_msi_refused(const struct ndisrt_adapter *a);

/** ndisrt_adapter_context() - MiniportAdapterContext from the registration attributes, or NULL. */
void *ndisrt_adapter_context(const struct ndisrt_adapter *a);

/** ndisrt_adapter_machine() - The machine the adapter belongs to. */
struct ke_machine *ndisrt_adapter_machine(const struct ndisrt_adapter *a);

/* ---------------------------------------------------------- lifecycle */

/*
 * The host calls these on the vCPU that runs the driver's routine, at
 * PASSIVE_LEVEL, immediately before and after it. Calling them out of order
 * is a host bug (an ndisrt assertion), not a driver bug.
 */

/** ndisrt_adapter_initialize_begin() - MiniportInitializeEx is about to run here. */
void ndisrt_adapter_initialize_begin(struct ndisrt_adapter *a);

/**
 * ndisrt_adapter_initialize_end() - MiniportInitializeEx returned @status.
 * A failure with the interrupt still registered is bug check 0x7C, 0x0B
 * (NDIS_BUGCHECK_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER). Spec D3, R5.
 */
void ndisrt_adapter_initialize_end(struct ndisrt_adapter *a, int status);

/**
 * ndisrt_adapter_halt_begin() - MiniportHaltEx is about to run here.
 * @from_init: NDIS halts the adapter from its initialize path, after
 *	MiniportInitializeEx returned success (subcode 0x0D applies).
 */
void ndisrt_adapter_halt_begin(struct ndisrt_adapter *a, bool from_init);

/**
 * ndisrt_adapter_halt_end() - MiniportHaltEx returned.
 * With the interrupt still registered: bug check 0x7C, 0x08
 * (NDIS_BUGCHECK_HALT_WITHOUT_INTERRUPT_DEREGISTER), or 0x0D after a halt
 * from init. Spec D3, R5.
 */
void ndisrt_adapter_halt_end(struct ndisrt_adapter *a);

/* A driver routine run by the convenience wrappers below. */
typedef int ndisrt_initialize_fn(void *adapter_handle, void *ctx);
typedef void ndisrt_halt_fn(void *adapter_handle, void *ctx);

/**
 * ndisrt_adapter_initialize() - Run @fn as MiniportInitializeEx on vCPU @vcpu.
 * Context: host thread. Brackets @fn with initialize_begin/end.
 * Return: what @fn returned (an NDIS_STATUS).
 */
int ndisrt_adapter_initialize(struct ndisrt_adapter *a, unsigned vcpu, ndisrt_initialize_fn *fn,
			      void *ctx);

/** ndisrt_adapter_halt() - Run @fn as MiniportHaltEx on vCPU @vcpu. Context: host thread. */
void ndisrt_adapter_halt(struct ndisrt_adapter *a, unsigned vcpu, ndisrt_halt_fn *fn, void *ctx,
			 bool from_init);

/* ------------------------------------------------------------ settings */

/** ndisrt_adapter_set_max_nbls() - MaxNblsToIndicate for the DPCs that start from now on. */
int ndisrt_adapter_set_max_nbls(struct ndisrt_adapter *a, uint32_t max_nbls);

/* ------------------------------------------------ the granted interrupt */

enum ndisrt_interrupt_kind {
	NDISRT_INTERRUPT_NONE = 0,
	NDISRT_INTERRUPT_LINE = 1,    /* = NDIS_CONNECT_LINE_BASED */
	NDISRT_INTERRUPT_MESSAGE = 2, /* = NDIS_CONNECT_MESSAGE_BASED */
};

/** ndisrt_adapter_interrupt_kind() - What the registered interrupt is, if any. */
enum ndisrt_interrupt_kind ndisrt_adapter_interrupt_kind(const struct ndisrt_adapter *a);

/**
 * ndisrt_adapter_message_address() - The MSI address/data pair of message
 * @msg: what the platform programs into the device's MSI-X table. A device
 * model (or a test) delivers the message with intc_msi_write().
 * Context: host thread or vCPU; the interrupt must stay registered meanwhile.
 * Return: 0, -ENOENT (no message interrupt registered), -EINVAL (@msg).
 */
int ndisrt_adapter_message_address(const struct ndisrt_adapter *a, unsigned msg, uint64_t *addr,
				   uint32_t *data);

/**
 * ndisrt_adapter_ke_interrupt() - The ke interrupt object message @msg (0
 * for a line) runs its ISR on: its lock is the one the ISR and
 * NdisMSynchronizeWithInterruptEx hold. For tests and diagnostics.
 * Return: the object, or NULL if none is registered.
 */
struct ke_interrupt *ndisrt_adapter_ke_interrupt(const struct ndisrt_adapter *a, unsigned msg);

/**
 * ndisrt_adapter_disable_interrupt() / ndisrt_adapter_enable_interrupt() -
 * Call MiniportDisableInterruptEx / MiniportEnableInterruptEx (or the
 * message variants for @msg) at DIRQL holding the interrupt lock, as NDIS
 * does for diagnostics. Never called by the runtime itself (spec I10).
 * Context: host thread (runs on vCPU 0), or a vCPU at IRQL <= the
 * interrupt's DIRQL.
 * Return: 0, -ENOENT (no interrupt registered, or it is being deregistered),
 * -EINVAL (@msg out of range for a message interrupt).
 */
int ndisrt_adapter_disable_interrupt(struct ndisrt_adapter *a, unsigned msg);
int ndisrt_adapter_enable_interrupt(struct ndisrt_adapter *a, unsigned msg);

/* ------------------------------------------------------------ counters */

/*
 * Per (message, vCPU) counters, cumulative over the adapter's life. A line
 * interrupt counts as message 0.
 */
struct ndisrt_interrupt_counters {
	uint64_t isrs;	       /* ISR calls on this vCPU */
	uint64_t isrs_claimed; /* of which returned TRUE */
	uint64_t dpcs;	       /* DPC routine calls on this vCPU, re-runs included */
	uint64_t dpc_reruns;   /* DPCs re-queued because MoreNblsPending was TRUE */
	uint64_t syncs;	       /* NdisMSynchronizeWithInterruptEx calls made on this vCPU */
	uint64_t dpc_requests; /* DPC requests for this vCPU (ISR outputs and NdisMQueueDpc[Ex]) */
	uint64_t dpc_already_queued; /* of which found the DPC already queued (spec I5) */
	uint64_t dpc_refused;	     /* of which refused: deregistration had begun */
};

/**
 * ndisrt_adapter_counters() - Counters of message @msg on vCPU @vcpu;
 * NDISRT_ALL for either sums over it.
 * Context: any. Return: 0, or -EINVAL.
 */
int ndisrt_adapter_counters(const struct ndisrt_adapter *a, unsigned msg, unsigned vcpu,
			    struct ndisrt_interrupt_counters *out);

/**
 * ndisrt_adapter_dump() - One line for the adapter, one per active (message, vCPU) pair.
 * Context: host thread.
 */
void ndisrt_adapter_dump(const struct ndisrt_adapter *a, FILE *f);

/* ---------------------------------------------------------- bug checks */

/*
 * What this layer raises when a driver breaks a rule - 0x7C
 * BUGCODE_NDIS_DRIVER with a subcode, 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION
 * with ndisrt's rule number - is enum ndisrt_violation, one line each in
 * verifier/violations.def (parameters 2..4, message, fix and the rule it
 * enforces).
 */

/* Which DDI raised a violation (a parameter of the bug check). */
enum ndisrt_ndis_ddi {
	NDISRT_DDI_REGISTER_INTERRUPT = 1,
	NDISRT_DDI_DEREGISTER_INTERRUPT = 2,
	NDISRT_DDI_SYNCHRONIZE = 3,
	NDISRT_DDI_QUEUE_DPC = 4,
	NDISRT_DDI_QUEUE_DPC_EX = 5,
	NDISRT_DDI_SET_ATTRIBUTES = 6,
	NDISRT_DDI_CURRENT_PROCESSOR_INDEX = 7,
	NDISRT_DDI_CURRENT_GROUP_AND_PROCESSOR = 8,
	NDISRT_DDI_KE_GET_CURRENT_IRQL = 9,
	NDISRT_DDI_ISR = 10, /* the runtime's ISR trampoline, checking the ISR's outputs */
};

/* The IRQL range a DDI allows, as parameter 3 of NDISRT_VIOLATION_IRQL. */
#define NDISRT_IRQL_RANGE(min, max) ((((unsigned)(min)) << 8) | (unsigned)(max))

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_NDISRT_NDIS_H */
