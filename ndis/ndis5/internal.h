/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/internal.h - private to the files of ndis/ndis5/:
 * the NDIS 5 driver, miniport (adapter) and interrupt objects.
 *
 * Shared machinery, separate rules: an NDIS 5 adapter is an ndisrt_adapter
 * (ndis/internal.h: handle table, lifecycle state, grace period) plus the
 * NDIS 5 miniport block below; the NDIS 5 interrupt is a ke interrupt
 * object chained on the INTx line's vector, like an NDIS 6 line interrupt,
 * with the NDIS 5 trampoline of interrupt.c.
 *
 * Lock order (after ke's): miniport lock (DISPATCH) -> handle-interrupt lock
 * (DISPATCH) -> interrupt lock (DIRQL) -> vCPU DPC lock. The ISR takes only
 * the interrupt lock (ke) and, through ke_dpc_queue(), a DPC lock.
 */
#ifndef NDISRT_NDIS_NDIS5_INTERNAL_H
#define NDISRT_NDIS_NDIS5_INTERNAL_H

#ifndef NDISRT_NDIS_INTERNAL
#define NDISRT_NDIS_INTERNAL
#endif
#include "ndis/internal.h"

#include "hw/device.h"
#include "ndis/ndis5/host.h"
#include "ndisrt/host.h"

/* A MiniportSynchronizeISR, as NdisMSynchronizeWithInterrupt calls it. */
typedef BOOLEAN ndis5_sync_fn(PVOID SynchronizeContext);

/* Handle types beyond ndis/internal.h's (the table encodes 4 bits of type). */
#define NDIS5_HT_INTERRUPT ((enum ndis_handle_type)3)
#define NDIS5_HT_WRAPPER ((enum ndis_handle_type)4)

#define NDIS5_MAX_DRIVERS 16
#define NDIS5_MAX_MINIPORTS 64
#define NDIS5_MAX_FRAME 16384u /* largest frame a device moves (as HOST_SCRATCH) */

/* ------------------------------------------------------------- driver */

/* Lock key: (c) constant after NdisMRegisterMiniport  (a) atomic */
struct ndisrt_ndis5_driver {
	const void *driver_object;	       /* (c) */
	NDIS_HANDLE wrapper;		       /* (c) NdisWrapperHandle */
	atomic_bool registered;		       /* (a) NdisMRegisterMiniport succeeded */
	NDIS51_MINIPORT_CHARACTERISTICS chars; /* (c) copied; the 5.1 tail zero for 4.0/5.0 */
	unsigned major, minor;		       /* (c) */
	struct ke_machine *m;		       /* (c) where DriverEntry ran */
	_Atomic(PDRIVER_UNLOAD) unload;	       /* (a) NdisMRegisterUnloadHandler */
};

/* --------------------------------------------------------- interrupt */

enum ndis5_intr_state {
	NDIS5_INTR_LIVE = 1,
	NDIS5_INTR_DEREGISTERING = 2,
};

/*
 * The NDIS 5 interrupt (what NDIS_MINIPORT_INTERRUPT.Reserved names).
 * Lock key: (c) constant after register  (a) atomic
 */
struct ndis5_interrupt {
	NDIS_HANDLE handle;		  /* (c) */
	struct ndisrt_ndis5_nic *mp;	  /* (c) */
	PNDIS_MINIPORT_INTERRUPT storage; /* (c) the driver's storage */
	struct ke_interrupt ki;		  /* ke object chained on the line's vector */
	struct ke_dpc dpc;		  /* MiniportHandleInterrupt, target: current vCPU */
	bool request_isr;		  /* (c) */
	bool shared;			  /* (c) */
	NDIS_INTERRUPT_MODE mode;	  /* (c) */
	atomic_uint state;		  /* (a) enum ndis5_intr_state */
	/*
	 * HandleInterrupt requests in flight (queued or running). A requester
	 * counts first and then looks at the lifecycle state; the halt path
	 * sets the state and then waits for zero (both seq_cst), so no DPC
	 * can start after MiniportHalt began (spec L4).
	 */
	atomic_uint active_dpcs; /* (a) */
	/* An interrupt taken by MiniportDisableInterrupt during initialize (no ISR). */
	atomic_bool deferred;	      /* (a) */
	struct ndis_line_watch watch; /* under ki's lock: MiniportISR's returns (I11, I12) */
};

struct ndis5_packet;

/* ---------------------------------------------------------- miniport */

/* Counters: (a) atomic, relaxed. */
struct ndis5_counters {
	atomic_ulong interrupts, isrs, isrs_recognized, disables, dpc_requests, dpc_coalesced,
	    dpc_suppressed, handle_interrupts, enables, syncs;
	atomic_ulong sent, send_completed, send_failed, indicated, indicate_completes, rx_truncated,
	    status_indications, rx_bytes;
	atomic_ulong packets_indicated, packets_returned, hang_checks, hangs, resets,
	    reset_completes, addressing_resets;
};

/*
 * One NDIS 5 adapter: the NDIS_MINIPORT_BLOCK. MiniportAdapterHandle is the
 * ndisrt_adapter's handle.
 * Lock key: (c) constant after start  (a) atomic
 *           (o) written by the lifecycle owner during MiniportInitialize
 *           (M) the miniport lock  (P) pkt_lock
 */
struct ndisrt_ndis5_nic {
	struct ndisrt_adapter *a;		/* (c) */
	struct ndisrt_ndis5_driver *drv;	/* (c) */
	struct ke_machine *m;			/* (c) */
	NDIS_HANDLE handle;			/* (c) MiniportAdapterHandle */
	struct intc_line *line;			/* (c) */
	struct hw_device *dev;			/* (c) */
	struct intc_source *pin;		/* (c) the device's INTx pin; NULL: unknown */
	struct hw_dma_space *dma;		/* (c) shared memory; NULL: none (dma.c) */
	unsigned vcpu;				/* (c) lifecycle vCPU */
	_Atomic(NDIS_HANDLE) context;		/* (a) MiniportAdapterContext */
	atomic_bool attributes_set;		/* (a) */
	atomic_bool deserialized;		/* (a) NDIS_ATTRIBUTE_DESERIALIZE */
	ULONG attribute_flags;			/* (o) */
	UINT check_for_hang;			/* (o) */
	struct ke_spinlock lock;		/* serialized miniport's lock (spec L7) */
	struct ke_spinlock dpc_lock;		/* HandleInterrupt with itself (L7) */
	_Atomic(struct ndis5_interrupt *) intr; /* (a) */
	atomic_int io_maps;			/* (a) register and port mappings (host_io.c) */
	/* host side */
	_Atomic(ndisrt_ndis5_rx_fn *) rx_fn; /* (a) */
	_Atomic(void *) rx_ctx;		     /* (a) */
	_Atomic(ndisrt_ndis5_status_fn *) status_fn;
	_Atomic(void *) status_ctx;
	atomic_uint request_pending;	/* (a) 1 while a query/set is pended */
	atomic_int request_status;	/* (a) its completion status */
	atomic_ulong sends_outstanding; /* (a) */
	struct ke_spinlock pkt_lock;	/* the packet list (DISPATCH) */
	struct ndis5_packet *pkts;	/* (P) packets the driver owns */
	struct ndis5_packet *pool;	/* (P) completed packets, for reuse */
	/*
	 * Received packets (NdisMIndicateReceivePacket) the host kept, to
	 * give back to MiniportReturnPacket from return_dpc. Linked through
	 * the packet's WrapperReserved (NDIS's part of the descriptor).
	 */
	struct ke_spinlock return_lock; /* (R), DISPATCH */
	PNDIS_PACKET returns;		/* (R) */
	atomic_ulong returns_outstanding;
	struct ke_dpc return_dpc; /* targets the lifecycle vCPU */
	/* MiniportCheckForHang / MiniportReset (reset.c) */
	struct ke_host_timer hang_timer;
	struct ke_dpc hang_dpc;	      /* targets the lifecycle vCPU */
	uint64_t hang_period_ns;      /* (c) after initialize */
	uint64_t hang_deadline_ns;    /* the hang DPC (one at a time) */
	atomic_bool hang_live;	      /* (a) the check-for-hang timer runs */
	atomic_uint hang_in_flight;   /* (a) hang DPC queued or running */
	atomic_uint reset_pending;    /* (a) MiniportReset returned NDIS_STATUS_PENDING */
	atomic_int last_reset_status; /* (a) */
	/* misc51.c */
	_Atomic(ADAPTER_SHUTDOWN_HANDLER) shutdown_fn; /* (a) */
	_Atomic(PVOID) shutdown_ctx;		       /* (a) */
	struct ndis5_map *maps;			       /* (o) map registers */
	ULONG nr_maps, map_len;			       /* (o) */
	_Atomic(PCM_RESOURCE_LIST) dev_res;	       /* (a) NdisMGetDeviceProperty's list */
	int param_nic;				       /* (c) the NIC's index, or -1 */
	struct ndis5_counters c;
};

/**
 * ndis5_nic_lookup() - The NDIS 5 adapter @h names; bug check 0xC4
 * (BAD_HANDLE / STALE_HANDLE for garbage, NOT_NDIS5 for an NDIS 6 adapter).
 * Context: any IRQL, on a vCPU. Valid while the adapter is not freed (the
 * host frees an adapter only after its driver stopped running on it).
 */
struct ndisrt_ndis5_nic *ndis5_nic_lookup(NDIS_HANDLE h, unsigned ddi);

/** ndis5_nic_at() - Slot @i of the NDIS 5 adapter table (NULL if free). Context: any. */
struct ndisrt_ndis5_nic *ndis5_nic_at(unsigned i);

/** ndis5_nic_of_adapter() - The NDIS 5 block of @a, or NULL. Context: any. */
struct ndisrt_ndis5_nic *ndis5_nic_of_adapter(const struct ndisrt_adapter *a);

/** ndis5_in_initialize() - Called from @n's MiniportInitialize (on its vCPU)? */
static inline bool ndis5_in_initialize(struct ndisrt_ndis5_nic *n)
{
	return ndis_adapter_in_initialize(n->a);
}

/** ndis5_in_halt() - Called from @n's MiniportHalt (on its vCPU)? */
static inline bool ndis5_in_halt(struct ndisrt_ndis5_nic *n)
{
	return atomic_load(&n->a->state) == NDIS_ADAPTER_HALTING &&
	       atomic_load(&n->a->owner_vcpu) == ke_current_number();
}

/** Is MiniportInitialize or MiniportHalt running (on any vCPU)? */
static inline bool ndis5_lifecycle_running(struct ndisrt_ndis5_nic *n)
{
	unsigned s = atomic_load_explicit(&n->a->state, memory_order_seq_cst);

	return s == NDIS_ADAPTER_INITIALIZING || s == NDIS_ADAPTER_HALTING;
}

static inline void ndis5_count(atomic_ulong *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

/* ------------------------------------------------ cross-file helpers */

/* interrupt.c: wait until no HandleInterrupt is queued or running (L4). */
void ndis5_interrupt_quiesce(struct ndisrt_ndis5_nic *n);
/* interrupt.c: after a successful initialize, run what initialize deferred. */
void ndis5_interrupt_after_initialize(struct ndisrt_ndis5_nic *n);
/* interrupt.c: 0x7C checks at the end of initialize (failed) and halt (spec D3). */
void ndis5_check_deregistered(struct ndisrt_ndis5_nic *n, uint32_t subcode, const char *what);

/* packet.c */
void ndis5_packet_free_all(struct ndisrt_ndis5_nic *n);
/* packet.c: set up the receive-packet return path (at start). */
void ndis5_receive_init(struct ndisrt_ndis5_nic *n);
/* packet.c: give every kept received packet back now (the lifecycle vCPU, before MiniportHalt). */
void ndis5_receive_return_all(struct ndisrt_ndis5_nic *n);

/* misc51.c: MiniportHalt returned: map registers and the shutdown handler are released. */
void ndis5_misc_release(struct ndisrt_ndis5_nic *n, const char *when);
/* misc51.c: the NDIS 5 adapter whose WrapperConfigurationContext is @ctx (0xC4 otherwise). */
struct ndisrt_ndis5_nic *ndis5_nic_of_wrapper_context(NDIS_HANDLE ctx, unsigned ddi);

/* reset.c: MiniportCheckForHang every CheckForHangTimeInSeconds (2 by default). */
void ndis5_hang_init(struct ndisrt_ndis5_nic *n);
void ndis5_hang_start(struct ndisrt_ndis5_nic *n);
/* reset.c: host thread, before MiniportHalt: stop checking, wait for a pended reset. */
void ndis5_hang_stop(struct ndisrt_ndis5_nic *n);

/* A driver handler returned at an IRQL other than the one it was called at. */
static inline void ndis5_check_irql_after(ke_irql_t want, uintptr_t handler, const char *what)
{
	ke_irql_t after = ke_irql_current();

	if (__builtin_expect(after != want, 0))
		ke_bugcheck(KE_BUGCHECK_IRQL_UNEXPECTED_VALUE, after, want, handler, 0, what);
}

/*
 * dma.c: NDIS releases an NDIS 5 miniport's DMA set-up when MiniportHalt
 * returns or MiniportInitialize fails (bug check 0xC4 RESOURCE_LEAK if
 * shared memory is still allocated). Context: the lifecycle vCPU.
 */
void ndis5_sg_dma_release(struct ndisrt_ndis5_nic *n, const char *when);
/* dma.c: did the miniport set up SG DMA (sends then carry SG lists)? Any context. */
bool ndis5_sg_active(const struct ndisrt_ndis5_nic *n);
/* dma.c: device-visible memory as the miniport's DMA width allows (below 4 GiB for a 32-bit master). DISPATCH_LEVEL. */
void *ndis5_dma_alloc(struct ndisrt_ndis5_nic *n, size_t len, uint64_t *logical);

#endif /* NDISRT_NDIS_NDIS5_INTERNAL_H */
