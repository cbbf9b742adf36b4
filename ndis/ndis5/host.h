/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/host.h - host API of the NDIS 5 layer: register an NDIS 5
 * miniport driver (its DriverEntry calls NdisMInitializeWrapper and
 * NdisMRegisterMiniport), start adapters of it on an INTx line and,
 * optionally, a device's registers and ports, drive sends, queries and sets, receive
 * what it indicates, halt.
 *
 * No WDK names here (statuses are int / uint32_t, handles void *), as in
 * <ndisrt/ndis.h>. The miniport hosting of <ndisrt/host.h> calls these for
 * a driver that registered with NdisMRegisterMiniport. See docs/ndis5.md.
 */
#ifndef NDISRT_NDIS_NDIS5_HOST_H
#define NDISRT_NDIS_NDIS5_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/violation.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ke_machine;
struct hw_dma_space;
struct intc_line;
struct intc_source;
struct hw_device;
struct ndisrt_adapter;

struct ndisrt_ndis5_driver;
struct ndisrt_ndis5_nic;

/* DriverEntry(PDRIVER_OBJECT, PUNICODE_STRING) -> NTSTATUS, as the host sees it. */
typedef int32_t ndisrt_ndis5_entry_fn(void *driver_object, void *registry_path);

/**
 * ndisrt_ndis5_driver_entry() - Run @entry at PASSIVE_LEVEL on vCPU 0 of @m
 * with @driver_object (any unique address the host owns), and return the
 * NDIS 5 miniport it registered.
 * Context: host thread.
 * Return: 0; or -1 with one line in @err (DriverEntry failed with 0x...,
 * did not call NdisMRegisterMiniport).
 */
int ndisrt_ndis5_driver_entry(struct ke_machine *m, ndisrt_ndis5_entry_fn *entry,
			      void *driver_object, struct ndisrt_ndis5_driver **out, char *err,
			      size_t errlen);

/**
 * ndisrt_ndis5_driver_find() - The NDIS 5 miniport registered through
 * NdisMInitializeWrapper(..., @driver_object, ...) + NdisMRegisterMiniport,
 * or NULL (not an NDIS 5 driver, or registration failed).
 * Context: any thread.
 */
struct ndisrt_ndis5_driver *ndisrt_ndis5_driver_find(const void *driver_object);

/** ndisrt_ndis5_driver_version() - MajorNdisVersion / MinorNdisVersion it registered with. */
void ndisrt_ndis5_driver_version(const struct ndisrt_ndis5_driver *d, unsigned *major,
				 unsigned *minor);

/** ndisrt_ndis5_driver_free() - Forget the driver. Context: host thread; every NIC halted. */
void ndisrt_ndis5_driver_free(struct ndisrt_ndis5_driver *d);

/**
 * ndisrt_ndis5_driver_forget() - Free every wrapper NdisMInitializeWrapper
 * made for @driver_object, registered or not (after a DriverEntry that
 * failed, or at unload). Context: host thread; every NIC halted.
 */
void ndisrt_ndis5_driver_forget(const void *driver_object);

/* ------------------------------------------------------------------ NICs */

struct ndisrt_ndis5_nic_config {
	struct ke_machine *m;	  /* required */
	struct intc_line *line;	  /* the INTx line (may be shared); NULL: no interrupt */
	struct hw_device *dev;	  /* PCI config space, BARs; NULL: none */
	unsigned vcpu;		  /* where MiniportInitialize/MiniportHalt run */
	struct hw_dma_space *dma; /* shared memory (NdisMAllocateSharedMemory); NULL: none */
	int param_nic;		  /* per-NIC parameters (<ndisrt/params.h>); -1: none */
	/* The device's INTx pin on @line, for the verifier's false-claim and
	 * storm checks of MiniportISR (I11, I12); NULL: not watched. */
	struct intc_source *pin;
};

/**
 * ndisrt_ndis5_nic_start() - Create an adapter and run MiniportInitialize
 * at PASSIVE_LEVEL on cfg->vcpu, offering the medium array
 * {NdisMedium802_3} (the driver must select index 0).
 * Return: 0; or -1 with one line in @err naming the status.
 */
int ndisrt_ndis5_nic_start(struct ndisrt_ndis5_driver *d, const struct ndisrt_ndis5_nic_config *cfg,
			   struct ndisrt_ndis5_nic **out, char *err, size_t errlen);

/**
 * ndisrt_ndis5_nic_halt() - Run MiniportHalt at PASSIVE_LEVEL (no
 * MiniportHandleInterrupt queued or running meanwhile, spec L4) and free
 * the NIC. An interrupt still registered afterwards is bug check 0x7C/0x08.
 * Context: host thread; no send, query or set in progress.
 */
void ndisrt_ndis5_nic_halt(struct ndisrt_ndis5_nic *n);

struct ndisrt_adapter *ndisrt_ndis5_nic_adapter(struct ndisrt_ndis5_nic *n);
/** The MiniportAdapterContext given to NdisMSetAttributes[Ex]. */
void *ndisrt_ndis5_nic_context(struct ndisrt_ndis5_nic *n);
struct hw_device *ndisrt_ndis5_nic_device(struct ndisrt_ndis5_nic *n);

/*
 * Every frame indicated with NdisMEthIndicateReceive, at DISPATCH_LEVEL on
 * the indicating vCPU. Must be async-signal-safe and quick.
 */
typedef void ndisrt_ndis5_rx_fn(void *ctx, struct ndisrt_ndis5_nic *n, unsigned vcpu,
				const void *frame, size_t len);
void ndisrt_ndis5_nic_set_rx_sink(struct ndisrt_ndis5_nic *n, ndisrt_ndis5_rx_fn *fn, void *ctx);

/* Every NdisMIndicateStatus. Same context as the rx sink. */
typedef void ndisrt_ndis5_status_fn(void *ctx, struct ndisrt_ndis5_nic *n, uint32_t status,
				    const void *buf, size_t len);
void ndisrt_ndis5_nic_set_status_sink(struct ndisrt_ndis5_nic *n, ndisrt_ndis5_status_fn *fn,
				      void *ctx);

/**
 * ndisrt_ndis5_nic_send() - Hand @count frames to MiniportSendPackets (if
 * the driver has one) or MiniportSend, one NDIS_PACKET each, at
 * DISPATCH_LEVEL on vCPU @vcpu (holding the miniport lock for a serialized
 * miniport). Returns once the calls returned.
 * Return: frames handed to the driver.
 */
unsigned ndisrt_ndis5_nic_send(struct ndisrt_ndis5_nic *n, unsigned vcpu, const void *const *frames,
			       const size_t *lens, unsigned count);

/**
 * ndisrt_ndis5_nic_query() / ndisrt_ndis5_nic_set() - MiniportQueryInformation /
 * MiniportSetInformation at DISPATCH_LEVEL on vCPU 0, waiting for a pended
 * request's completion.
 * Return: the NDIS_STATUS; *@done gets BytesWritten / BytesRead.
 */
uint32_t ndisrt_ndis5_nic_query(struct ndisrt_ndis5_nic *n, uint32_t oid, void *buf, uint32_t len,
				uint32_t *done);
uint32_t ndisrt_ndis5_nic_set(struct ndisrt_ndis5_nic *n, uint32_t oid, const void *buf,
			      uint32_t len, uint32_t *done);

struct ndisrt_ndis5_stats {
	/* interrupt path */
	uint64_t interrupts;	    /* times the NIC's interrupt object was called */
	uint64_t isrs;		    /* MiniportISR calls */
	uint64_t isrs_recognized;   /* ...that set *InterruptRecognized */
	uint64_t disables;	    /* MiniportDisableInterrupt calls (instead of the ISR) */
	uint64_t dpc_requests;	    /* HandleInterrupt requests (ISR outputs, disable path) */
	uint64_t dpc_coalesced;	    /* ...that found it already queued (spec L6) */
	uint64_t dpc_suppressed;    /* ...refused: initialize or halt running (spec L4) */
	uint64_t handle_interrupts; /* MiniportHandleInterrupt calls */
	uint64_t enables;	    /* MiniportEnableInterrupt calls */
	uint64_t syncs;		    /* NdisMSynchronizeWithInterrupt calls */
	/* data path */
	uint64_t sent;		     /* packets handed to the driver */
	uint64_t send_completed;     /* completed with NDIS_STATUS_SUCCESS */
	uint64_t send_failed;	     /* completed with another status (RESOURCES included) */
	uint64_t indicated;	     /* frames delivered to the rx sink */
	uint64_t indicate_completes; /* NdisMEthIndicateReceiveComplete calls */
	uint64_t rx_truncated;	     /* indications whose lookahead missed data (not delivered) */
	uint64_t status_indications;
	uint64_t rx_bytes; /* bytes of the frames delivered */
	/* NdisMIndicateReceivePacket */
	uint64_t packets_indicated; /* packets indicated (each delivered to the rx sink too) */
	uint64_t packets_returned;  /* ...given back through MiniportReturnPacket */
	/* MiniportCheckForHang and MiniportReset */
	uint64_t hang_checks;	    /* MiniportCheckForHang calls */
	uint64_t hangs;		    /* ...that returned TRUE */
	uint64_t resets;	    /* MiniportReset calls */
	uint64_t reset_completes;   /* resets completed (at once, or NdisMResetComplete) */
	uint64_t addressing_resets; /* ...with AddressingReset TRUE */
	int32_t last_reset_status;  /* status of the last completed reset */
};

void ndisrt_ndis5_nic_get_stats(struct ndisrt_ndis5_nic *n, struct ndisrt_ndis5_stats *out);

/** Packets handed to the driver and not completed yet. */
uint64_t ndisrt_ndis5_nic_sends_outstanding(struct ndisrt_ndis5_nic *n);

/**
 * ndisrt_ndis5_nic_reset() - Call MiniportReset now (at DISPATCH_LEVEL on
 * the lifecycle vCPU, holding the miniport lock if serialized), as NDIS
 * does when a send or request times out, and wait for the reset to
 * complete (NdisMResetComplete for a pended one, within 30 s, else bug
 * check 0xC4 COMPLETION_TIMEOUT). Context: host thread.
 * Return: the reset's status.
 */
uint32_t ndisrt_ndis5_nic_reset(struct ndisrt_ndis5_nic *n);

/**
 * ndisrt_ndis5_nic_shutdown() - The machine shuts down: call the handler
 * NdisMRegisterAdapterShutdownHandler gave, at PASSIVE_LEVEL on the
 * lifecycle vCPU. Context: host thread. Return: 1 if there was one, else 0.
 */
int ndisrt_ndis5_nic_shutdown(struct ndisrt_ndis5_nic *n);

/* ---------------------------------------------------------- bug checks */

/*
 * The violations only NDIS 5 has (0x22xx) are lines of the one table,
 * verifier/violations.def (NDISRT_VIOLATION_WRAPPER, _SEND_COMPLETE,
 * _NOT_NDIS5).
 */

/** ndisrt_remove_requests() - NdisMRemoveMiniport calls so far (every adapter). Context: any. */
unsigned long ndisrt_remove_requests(void);

/* Which NDIS 5 DDI raised it (parameter 4 unless the rule says otherwise). */
enum ndisrt_ndis5_ddi {
	NDISRT_NDIS5_DDI_REGISTER_INTERRUPT = 0x201,
	NDISRT_NDIS5_DDI_DEREGISTER_INTERRUPT = 0x202,
	NDISRT_NDIS5_DDI_SYNCHRONIZE = 0x203,
	NDISRT_NDIS5_DDI_ISR = 0x204,
	NDISRT_NDIS5_DDI_SET_ATTRIBUTES = 0x205,
	NDISRT_NDIS5_DDI_REGISTER_MINIPORT = 0x206,
	NDISRT_NDIS5_DDI_RECEIVE = 0x207,
	NDISRT_NDIS5_DDI_SEND = 0x208,
	NDISRT_NDIS5_DDI_STATUS = 0x209,
	NDISRT_NDIS5_DDI_HANDLER = 0x20A,	 /* the runtime's trampolines checking a handler */
	NDISRT_NDIS5_DDI_RESET = 0x20B,		 /* NdisMResetComplete, check-for-hang and reset */
	NDISRT_NDIS5_DDI_RECEIVE_PACKET = 0x20C, /* NdisMIndicateReceivePacket */
	NDISRT_NDIS5_DDI_DEVICE = 0x20D,	 /* NdisMGetDeviceProperty & co. */
};

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_NDIS_NDIS5_HOST_H */
