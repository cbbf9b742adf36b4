/* SPDX-License-Identifier: MIT */
/*
 * ndisrt/host.h - miniport hosting: load a driver .so, give it NICs (any
 * device model of hw/device.h), play the protocol above it. This is what `ndisrt run` and the end-to-end
 * tests are built on.
 *
 * Every function here is called from a host thread (not a vCPU) unless it
 * says otherwise; driver code is always run on a vCPU at the IRQL the NDIS
 * contract names.
 */
#ifndef NDISRT_HOST_H
#define NDISRT_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "verifier/violation.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ke_machine;
struct intc;
struct intc_line;
struct hw_dma_space;
struct hw_device;
struct ndisrt_adapter;

/* ------------------------------------------------------------------ host */

/* A virtual machine: ke machine, interrupt controller, DMA space. */
struct ndisrt_host;

struct ke_engine_ops;

struct ndisrt_host_config {
	unsigned nr_vcpus;
	const struct ke_engine_ops *engine; /* NULL: threads; ke_sim_engine(): sim */
};

struct ndisrt_host *ndisrt_host_create(const struct ndisrt_host_config *cfg);
void ndisrt_host_free(struct ndisrt_host *h);
struct ke_machine *ndisrt_host_machine(struct ndisrt_host *h);
struct intc *ndisrt_host_intc(struct ndisrt_host *h);
struct hw_dma_space *ndisrt_host_dma(struct ndisrt_host *h);

/* ---------------------------------------------------------------- driver */

struct ndisrt_driver;

/**
 * ndisrt_driver_load() - Load a miniport .so and run its DriverEntry.
 * Resolves the driver's NDIS imports against the runtime (an import the
 * runtime does not implement is an error naming the symbol). DriverEntry
 * runs at PASSIVE_LEVEL on vCPU 0 and must call NdisMRegisterMiniportDriver
 * (NDIS 6) or NdisMInitializeWrapper + NdisMRegisterMiniport (NDIS 5).
 * Return: 0; or -1 with a one-line message in @err naming the file and what
 * is wrong (not a shared object, no DriverEntry, DriverEntry failed with
 * 0x..., did not register).
 */
int ndisrt_driver_load(struct ndisrt_host *h, const char *path, struct ndisrt_driver **out,
		       char *err, size_t errlen);

/** ndisrt_driver_unload() - MiniportDriverUnload, then dlclose. Every NIC halted first. */
void ndisrt_driver_unload(struct ndisrt_driver *d);

/** "NDIS 6.20" etc., from the characteristics the driver registered. */
void ndisrt_driver_version(const struct ndisrt_driver *d, unsigned *major, unsigned *minor);

/* ------------------------------------------------------------------- NIC */

/* One device with a miniport adapter of the driver on it. */
struct ndisrt_nic;

enum ndisrt_irq_mode {
	NDISRT_IRQ_LINE = 0,
	NDISRT_IRQ_MSI = 1,
	NDISRT_IRQ_MSIX = 2,
};

struct ndisrt_nic_config {
	struct hw_device *dev; /* created by the caller (hw_device_create), on its wire */
	enum ndisrt_irq_mode irq;
	unsigned msix_messages; /* MSI-X: messages granted (1..16); 0 = 16 */
	struct intc_line *line; /* line mode: the INTx line (may be shared) */
	int message_vcpu[16];	/* per message target vCPU; -1: message % vCPUs */
	uint32_t max_nbls;	/* MaxNblsToIndicate; 0xFFFFFFFF = all */
	int param_nic;		/* the NIC's per-NIC parameters (<ndisrt/params.h>);
				 * -1 (the default): only those for every NIC */
};

void ndisrt_nic_config_init(struct ndisrt_nic_config *cfg, struct hw_device *dev);

/**
 * ndisrt_nic_start() - Create the adapter, run MiniportInitializeEx at
 * PASSIVE_LEVEL on vCPU 0 with the device's resources in AllocatedResources,
 * program the device's MSI-X table from the granted message table (as an OS
 * does), then MiniportRestart. The NIC then runs (interrupts, DPCs).
 * Hosting owns the device's interrupt sink from here to the halt, which
 * gives back the sink the device had before (hw_dev_sink()).
 * Return: 0; or -1 with one line in @err (e.g. "MiniportInitializeEx failed
 * with NDIS_STATUS_ADAPTER_NOT_FOUND (0xC0000001)").
 */
int ndisrt_nic_start(struct ndisrt_driver *d, const struct ndisrt_nic_config *cfg,
		     struct ndisrt_nic **out, char *err, size_t errlen);

/**
 * ndisrt_nic_halt() - MiniportPause (waiting for its completion), then
 * MiniportHaltEx at PASSIVE_LEVEL. A driver that halts with its interrupt
 * still registered gets bug check 0x7C/0x08. Frees the NIC.
 */
void ndisrt_nic_halt(struct ndisrt_nic *n);

struct ndisrt_adapter *ndisrt_nic_adapter(struct ndisrt_nic *n);
struct hw_device *ndisrt_nic_device(struct ndisrt_nic *n);

/* ------------------------------------------------------- protocol side */

struct ndisrt_rx_info {
	unsigned vcpu;	     /* where NdisMIndicateReceiveNetBufferLists was called */
	uint32_t hash_value; /* NET_BUFFER_LIST_INFO(NetBufferListHashValue) */
	uint32_t hash_info;  /* NET_BUFFER_LIST_INFO(NetBufferListHashInfo) */
	uint32_t receive_flags;
	unsigned nbls_in_call; /* NBLs in this indication */
};

/*
 * Called for every frame indicated, at DISPATCH_LEVEL (or the indication's
 * IRQL), on the indicating vCPU. Must be async-signal-safe and quick: count,
 * check, copy into a lock-free ring. The runtime returns the NBLs to the
 * driver (MiniportReturnNetBufferLists) afterwards, unless the indication
 * carried NDIS_RECEIVE_FLAGS_RESOURCES.
 */
typedef void ndisrt_rx_fn(void *ctx, struct ndisrt_nic *n, const struct ndisrt_rx_info *info,
			  const void *frame, size_t len);

void ndisrt_nic_set_rx_sink(struct ndisrt_nic *n, ndisrt_rx_fn *fn, void *ctx);

/* Called for every NdisMIndicateStatusEx (link state: up, speed). */
typedef void ndisrt_status_fn(void *ctx, struct ndisrt_nic *n, uint32_t status_code,
			      const void *buf, size_t len);

void ndisrt_nic_set_status_sink(struct ndisrt_nic *n, ndisrt_status_fn *fn, void *ctx);

/**
 * ndisrt_nic_set_rss() - OID_GEN_RECEIVE_SCALE_PARAMETERS through
 * MiniportOidRequest: Toeplitz @key (40 bytes), @hash_types (NDIS_HASH_*),
 * and an indirection table of @entries processor numbers (group 0).
 * Return: the NDIS_STATUS the driver completed the request with.
 */
uint32_t ndisrt_nic_set_rss(struct ndisrt_nic *n, const uint8_t key[40], uint32_t hash_types,
			    const unsigned *table, unsigned entries);

/** OID_GEN_CURRENT_PACKET_FILTER. Return: the NDIS_STATUS. */
uint32_t ndisrt_nic_set_packet_filter(struct ndisrt_nic *n, uint32_t filter);

/**
 * ndisrt_nic_send() - Send @count frames through MiniportSendNetBufferLists
 * (one NBL each, in one call), on vCPU @vcpu at PASSIVE_LEVEL. Returns once
 * the call returned, not when the sends complete.
 * Return: frames handed to the driver; NBLs it completed with a failure
 * status are counted in the stats.
 */
unsigned ndisrt_nic_send(struct ndisrt_nic *n, unsigned vcpu, const void *const *frames,
			 const size_t *lens, unsigned count);

struct ndisrt_nic_stats {
	uint64_t sent;		   /* frames handed to MiniportSendNetBufferLists */
	uint64_t send_completed;   /* NBLs completed with NDIS_STATUS_SUCCESS */
	uint64_t send_failed;	   /* NBLs completed with another status */
	uint64_t indicated;	   /* NBLs indicated */
	uint64_t indications;	   /* NdisMIndicateReceiveNetBufferLists calls */
	uint64_t returned;	   /* NBLs returned to the driver */
	uint64_t resources_flag;   /* NBLs indicated with NDIS_RECEIVE_FLAGS_RESOURCES */
	uint64_t max_nbls_one_dpc; /* most NBLs indicated within one interrupt DPC call */
	uint64_t status_indications;
	/* additions (after the lead's fields) */
	uint64_t
	    throttle_exceeded;	/* interrupt DPC calls that indicated more than MaxNblsToIndicate */
	uint64_t rx_bytes;	/* bytes of the NBLs indicated */
	uint64_t pauses_pended; /* MiniportPause calls that returned NDIS_STATUS_PENDING */
	/* interrupt DPC calls that set MoreNblsPending yet indicated nothing */
	uint64_t more_pending_idle;
};

void ndisrt_nic_get_stats(struct ndisrt_nic *n, struct ndisrt_nic_stats *out);

/** NBLs indicated and not yet returned (0 after a clean pause). */
uint64_t ndisrt_nic_outstanding(struct ndisrt_nic *n);

/* ------------------------------------------------ additions to the API */

/**
 * ndisrt_nic_oid() - One OID request through MiniportOidRequest, on vCPU 0
 * at PASSIVE_LEVEL; a request the driver pends is waited for (bounded: a
 * driver that never calls NdisMOidRequestComplete gets bug check 0xC4,
 * NDISRT_VIOLATION_COMPLETION_TIMEOUT). Requests to one NIC are serialized.
 * @set: SET_INFORMATION (true) or QUERY_INFORMATION (false).
 * @bytes: out (may be NULL): BytesRead / BytesWritten.
 * @needed: out (may be NULL): BytesNeeded.
 * Return: the NDIS_STATUS the request completed with.
 */
uint32_t ndisrt_nic_oid(struct ndisrt_nic *n, bool set, uint32_t oid, void *buf, uint32_t len,
			uint32_t *bytes, uint32_t *needed);

/**
 * ndisrt_nic_pause() / ndisrt_nic_restart() - MiniportPause (waiting for
 * NdisMPauseComplete when it pends) / MiniportRestart, at PASSIVE_LEVEL on
 * vCPU 0, as NDIS does when a protocol unbinds and binds again. Pausing a
 * paused NIC or restarting a running one does nothing.
 * Return: NDIS_STATUS_SUCCESS, or the failure MiniportRestart reported.
 */
uint32_t ndisrt_nic_pause(struct ndisrt_nic *n);
uint32_t ndisrt_nic_restart(struct ndisrt_nic *n);

/**
 * ndisrt_nic_hold_returns() - While @hold, indicated NBLs stay with the
 * protocol side (outstanding) instead of going back to the driver; turning
 * it off returns everything held. (A pause waits for the held NBLs, so
 * releasing them is what completes it; ndisrt_nic_halt releases them.)
 * Context: host thread.
 */
void ndisrt_nic_hold_returns(struct ndisrt_nic *n, bool hold);

/* What the driver reported in NdisMSetMiniportAttributes and status indications. */
struct ndisrt_nic_attributes {
	uint8_t permanent_mac[6];
	uint8_t current_mac[6];
	uint32_t mtu;
	uint32_t lookahead;
	uint32_t media_type;	    /* NDIS_MEDIUM */
	uint32_t supported_filters; /* NDIS_PACKET_TYPE_* */
	uint32_t max_multicast;
	uint64_t max_link_speed;
	uint32_t media_connect_state; /* initial, from the general attributes */
	uint32_t rss_flags;	      /* NDIS_RSS_CAPS_*; 0 without RSS capabilities */
	uint32_t rss_messages;	      /* NumberOfInterruptMessages */
	uint32_t rss_queues;	      /* NumberOfReceiveQueues */
	uint32_t supported_oids;      /* entries in SupportedOidList */
	bool pm_capabilities;	      /* PowerManagementCapabilitiesEx given */
	uint32_t attribute_flags;     /* NDIS_MINIPORT_ATTRIBUTES_* */
};

/** ndisrt_nic_get_attributes() - Context: any thread, after ndisrt_nic_start(). */
void ndisrt_nic_get_attributes(struct ndisrt_nic *n, struct ndisrt_nic_attributes *out);

/** The last NDIS_LINK_STATE indicated (or the general attributes'): connected, speed. */
bool ndisrt_nic_link_up(struct ndisrt_nic *n, uint64_t *speed);

/**
 * ndisrt_link_ddi_symbols() - Referenced by a program that loads drivers so
 * that every DDI of the static library is linked (and exported) whether or
 * not the program calls it. Return: the number of DDIs ndisrt implements.
 */
unsigned ndisrt_link_ddi_symbols(void);

/* ------------------------------------------------------- bug checks */

/*
 * The hosting and data-path violations (0xC4, 0x21xx) are lines of the one
 * table, verifier/violations.def (enum ndisrt_violation). Faults in driver
 * code are KMODE_EXCEPTION_NOT_HANDLED (0x1E); a register or port address
 * outside every mapping is PAGE_FAULT_IN_NONPAGED_AREA (0x50).
 */

/* Which DDI raised a hosting violation (parameter 4 unless docs/hosting.md says otherwise). */
enum ndisrt_host_ddi {
	NDISRT_DDI_REGISTER_MINIPORT_DRIVER = 0x101,
	NDISRT_DDI_DEREGISTER_MINIPORT_DRIVER,
	NDISRT_DDI_MAP_IO_SPACE,
	NDISRT_DDI_UNMAP_IO_SPACE,
	NDISRT_DDI_GET_BUS_DATA,
	NDISRT_DDI_REGISTER_SG_DMA,
	NDISRT_DDI_DEREGISTER_SG_DMA,
	NDISRT_DDI_ALLOCATE_SHARED_MEMORY,
	NDISRT_DDI_FREE_SHARED_MEMORY,
	NDISRT_DDI_ALLOCATE_MEMORY,
	NDISRT_DDI_FREE_MEMORY,
	NDISRT_DDI_SPIN_LOCK,
	NDISRT_DDI_ALLOCATE_NBL_POOL,
	NDISRT_DDI_FREE_NBL_POOL,
	NDISRT_DDI_ALLOCATE_NBL,
	NDISRT_DDI_FREE_NBL,
	NDISRT_DDI_ALLOCATE_MDL,
	NDISRT_DDI_FREE_MDL,
	NDISRT_DDI_GET_DATA_BUFFER,
	NDISRT_DDI_INDICATE_RECEIVE,
	NDISRT_DDI_SEND_COMPLETE,
	NDISRT_DDI_INDICATE_STATUS,
	NDISRT_DDI_PAUSE_COMPLETE,
	NDISRT_DDI_RESTART_COMPLETE,
	NDISRT_DDI_OID_COMPLETE,
	NDISRT_DDI_SET_GENERAL_ATTRIBUTES,
	NDISRT_DDI_PROCESSOR_INDEX,
	NDISRT_DDI_STALL,
	NDISRT_DDI_HOST,	    /* the runtime itself, checking a driver's routine */
	NDISRT_DDI_PROCESSOR,	    /* KeGetCurrentProcessorNumber, NdisSystemProcessorCount */
	NDISRT_DDI_PORT_RANGE,	    /* NdisM[De]RegisterIoPortRange */
	NDISRT_DDI_PORT_ACCESS,	    /* NdisRawXxxPortXxx */
	NDISRT_DDI_REGISTER_ACCESS, /* NdisRead/WriteRegisterXxx */
	NDISRT_DDI_PCI_SLOT,	    /* NdisRead/WritePciSlotInformation */
};

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_HOST_H */
