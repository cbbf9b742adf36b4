/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_internal.h - private to ndis/: miniport hosting (drivers, NICs)
 * and the NDIS 6 data path (NBLs, receive, send), on top of the adapter and
 * interrupt objects of ndis/internal.h.
 *
 * Locks. Like the rest of ndis/, the hosting code owns no lock that a vCPU
 * takes: NIC, driver and pool state are atomics, each per-vCPU structure is
 * touched only by its vCPU at DISPATCH_LEVEL, and the host-side OID mutex
 * is taken only on host threads. Driver spin locks (NDIS_SPIN_LOCK) are ke
 * spin locks. The device's own lock (hw/) is taken inside device-model calls only.
 *
 * Memory. The signal-safety rule of docs/signal-safety.md: malloc and free
 * only at IRQL >= DISPATCH_LEVEL (raising around them when called lower),
 * never at DIRQL; nothing on the interrupt path allocates.
 */
#ifndef NDISRT_NDIS_HOST_INTERNAL_H
#define NDISRT_NDIS_HOST_INTERNAL_H

#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"
#include "ndisrt/phase.h"

#include <pthread.h>

#include "hw/dma.h"
#include "verifier/shared_regs.h"
#include "hw/intc.h"
#include "hw/device.h"
#include "ndisrt/host.h"

struct host_dma;
struct ndisrt_ndis5_driver;
struct ndisrt_ndis5_nic;

/* ------------------------------------------------------------- magics */

#define HOST_DRIVER_MAGIC 0x4E44525644524956ull /* 'NDRVDRIV' */
#define HOST_DRVOBJ_MAGIC 0x4E4452564F424A31ull /* 'NDRVOBJ1' */
#define HOST_NIC_MAGIC 0x4E4452564E494331ull	/* 'NDRVNIC1' */
#define HOST_POOL_MAGIC 0x4E445256504F4F4Cull	/* 'NDRVPOOL' */
#define HOST_NBL_MAGIC 0x4E4452564E424C31ull	/* 'NDRVNBL1' */
#define HOST_NBL_FREED 0x4E4452564E424C30ull	/* 'NDRVNBL0' */
#define HOST_MDL_MAGIC 0x4E447256444C3131ull	/* MDL live */
#define HOST_MDL_FREED 0x4E447256444C3130ull	/* MDL freed */
#define HOST_DMA_MAGIC 0x4E447256444D4131ull	/* SG DMA registration */
#define HOST_MEM_MAGIC 0x4D454D31u		/* 'MEM1' */
#define HOST_MEM_FREED 0x4D454D30u		/* 'MEM0' */

/* NBL ownership marks in NdisReserved[0] (NDIS's own slots). */
#define HOST_NBL_WITH_NDIS ((PVOID)(uintptr_t)0x4E44495352435631ull)	 /* indicated */
#define HOST_NBL_WITH_MINIPORT ((PVOID)(uintptr_t)0x4E44495353454E44ull) /* sent */

/* Windows bug check codes the hosting layer raises besides ke's. */
#define HOST_BUGCHECK_KMODE_EXCEPTION_NOT_HANDLED KE_BUGCHECK_KMODE_EXCEPTION_NOT_HANDLED
#define HOST_BUGCHECK_PAGE_FAULT_IN_NONPAGED_AREA KE_BUGCHECK_PAGE_FAULT_IN_NONPAGED_AREA

/* -------------------------------------------------------------- limits */

#define HOST_MAX_DRIVERS 64u
#define HOST_MAX_NICS 64u
#define HOST_IO_SLOTS 256u
#define HOST_IO_SLOT_SIZE (1u << 20)	     /* bytes of address space per mapping */
#define HOST_SCRATCH 16384u		     /* per-vCPU frame copy buffer (largest frame) */
#define HOST_WAIT_NS (30ull * 1000000000ull) /* bound on a pending completion */

/* ---------------------------------------------------------------- host */

/* Lock key: (c) constant after create  (a) atomic */
struct ndisrt_host {
	struct ke_machine *m;	  /* (c) */
	struct intc *ic;	  /* (c) */
	struct hw_dma_space *dma; /* (c) */
	unsigned nr_vcpus;	  /* (c) */
	atomic_uint drivers;	  /* (a) loaded drivers */
	atomic_uint next_ifindex; /* (a) */
};

/* Memory charged to a driver or a NIC (NdisAllocateMemoryWithTagPriority). */
struct host_owner {
	atomic_long allocs; /* (a) live allocations */
	atomic_long bytes;  /* (a) */
};

/* -------------------------------------------------------------- driver */

/* What DriverEntry's DriverObject points to: opaque to the miniport. */
struct _DRIVER_OBJECT {
	uint64_t magic; /* HOST_DRVOBJ_MAGIC */
	struct ndisrt_driver *d;
};

/* Lock key: (c) constant after load  (a) atomic  (e) written in DriverEntry only */
struct ndisrt_driver {
	uint64_t magic;				    /* (c) HOST_DRIVER_MAGIC */
	struct ndisrt_host *h;			    /* (c) */
	struct _DRIVER_OBJECT obj;		    /* (c) */
	UNICODE_STRING regpath;			    /* (c) */
	WCHAR regbuf[160];			    /* (c) */
	char path[512];				    /* (c) */
	void *dl;				    /* (c) dlopen handle */
	uintptr_t image_lo, image_hi;		    /* (c) loaded segments, for faults */
	atomic_bool in_entry;			    /* (a) DriverEntry running */
	atomic_bool registered;			    /* (a) */
	atomic_bool in_set_options;		    /* (a) MiniportSetOptions running */
	atomic_uint entry_vcpu;			    /* (a) */
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS chars; /* (e) */
	NDIS_HANDLE context;			    /* (e) MiniportDriverContext */
	atomic_uint nics;			    /* (a) started NICs */
	struct host_owner mem;			    /* driver-handle allocations */
	const struct host_nic_kind *kind;	    /* (c) NDIS 6 or NDIS 5: how its NICs run */
	struct ndisrt_ndis5_driver *ndis5;	    /* (c) NDIS 5 miniport (ndis5/nic.c), or NULL */
};

/* The driver whose handle is @h, or NULL. Context: any; lock-free. */
struct ndisrt_driver *host_driver_from_handle(NDIS_HANDLE h);

/* Register / unregister the fault handler's view of a loaded driver image. */
void host_fault_track(struct ndisrt_driver *d);
void host_fault_untrack(struct ndisrt_driver *d);

/* "NDIS_STATUS_ADAPTER_NOT_FOUND" etc.; NULL if ndisrt has no name for it. */
const char *host_status_name(uint32_t status);
/* "NAME (0x...)" or "status 0x..." in @buf. */
const char *host_status_text(uint32_t status, char *buf, size_t len);

/* ----------------------------------------------------------------- NIC */

enum host_nic_state {
	HOST_NIC_HALTED = 0,	   /* not initialized, or halted */
	HOST_NIC_INITIALIZING = 1, /* MiniportInitializeEx running */
	HOST_NIC_PAUSED = 2,	   /* initialized, data path stopped */
	HOST_NIC_RESTARTING = 3,   /* MiniportRestart running or pending */
	HOST_NIC_RUNNING = 4,
	HOST_NIC_PAUSING = 5, /* MiniportPause running or pending */
	HOST_NIC_HALTING = 6, /* MiniportHaltEx running */
};

/*
 * NBLs indicated on one vCPU and not yet returned; the vCPU's return DPC
 * hands them back. Lock key: (v) only that vCPU, at DISPATCH_LEVEL.
 */
struct host_return_q {
	PNET_BUFFER_LIST head, tail; /* (v) */
	uint32_t count;		     /* (v) */
	struct ke_dpc dpc;	     /* target: this vCPU */
	struct ndisrt_nic *n;	     /* (c) */
};

/* Receive-throttle tally of the interrupt DPC running on one vCPU. (v) */
struct host_tally {
	bool active;
	uint32_t max; /* MaxNblsToIndicate of this call */
	uint32_t count;
};

/*
 * Lock key: (c) constant while started  (a) atomic  (v) per vCPU, see above
 *           (H) host thread running start/halt/pause/OID (serialized by the API)
 *           (i) written by the driver's MiniportInitializeEx (its vCPU)
 */
struct ndisrt_nic {
	uint64_t magic;			  /* (c) HOST_NIC_MAGIC */
	const struct host_nic_kind *kind; /* (c) the driver's kind */
	struct ndisrt_driver *d;	  /* (c) */
	struct ndisrt_host *h;		  /* (c) */
	struct ndisrt_adapter *a;	  /* (c) */
	NDIS_HANDLE handle;		  /* (c) MiniportAdapterHandle */
	NDIS_HANDLE context;		  /* (c) MiniportAdapterContext, after init */
	struct hw_device *dev;		  /* (c) */
	struct hw_resources res;	  /* (c) */
	struct hw_irq_sink caller_sink;	  /* (c) the device's sink before start: restored at halt */
	struct ndisrt_nic_config cfg;	  /* (c) */
	unsigned nr_vcpus;		  /* (c) */
	struct intc_source src;		  /* (c) the device's irq connection */
	PCM_PARTIAL_RESOURCE_LIST resources; /* (H) AllocatedResources */
	NDIS_MINIPORT_INIT_PARAMETERS init;  /* (H) */
	atomic_uint state;		     /* (a) enum host_nic_state */

	/* attributes (i) */
	atomic_bool general_set;
	struct ndisrt_nic_attributes attrs;

	/* resources the driver holds (a) */
	atomic_int io_maps;		/* NdisMMapIoSpace + port ranges */
	atomic_int shared_allocs;	/* NdisMAllocateSharedMemory */
	atomic_int pools;		/* NBL pools allocated with this handle */
	_Atomic(struct host_dma *) dma; /* NdisMRegisterScatterGatherDma */
	struct host_owner mem;

	/* protocol side (a) */
	_Atomic(ndisrt_rx_fn *) rx_fn;
	_Atomic(void *) rx_ctx;
	_Atomic(ndisrt_status_fn *) status_fn;
	_Atomic(void *) status_ctx;

	/* data path (a) */
	atomic_ulong sent, send_completed, send_failed;
	atomic_ulong indicated, indications, returned, resources_flag;
	atomic_ulong max_nbls_one_dpc, throttle_exceeded, status_indications;
	atomic_ulong rx_bytes, pauses_pended, more_pending_idle;
	atomic_long outstanding_rx; /* indicated, not returned */
	atomic_long outstanding_tx; /* sent, not completed */
	atomic_bool hold_returns;
	atomic_uint returns_active; /* return DPCs queued or running */
	struct host_return_q *rq;   /* (v) [nr_vcpus] */
	struct host_tally *tally;   /* (v) [nr_vcpus] */
	uint8_t *scratch;	    /* (v) [nr_vcpus][HOST_SCRATCH] */
	/* NBLs the host sends, recycled (ndis/nbl.c): (P) send_pool_lock */
	struct ke_spinlock send_pool_lock;
	struct host_send_nbl *send_free; /* (P) free blocks */
	struct ke_dpc *flush;		 /* (H) [nr_vcpus] */
	atomic_uint flush_pending;

	/* completions (a) */
	atomic_uint pause_completes; /* NdisMPauseComplete calls */
	atomic_uint restart_completes;
	atomic_int restart_status;
	_Atomic(PNDIS_OID_REQUEST) oid_pending;
	atomic_uint oid_completes;
	atomic_int oid_status;
	pthread_mutex_t oid_lock; /* host threads only */

	/* last link state indicated (a) */
	atomic_int link_connect; /* NDIS_MEDIA_CONNECT_STATE */
	atomic_ullong link_speed;

	/* (c) an NDIS 5 driver's NIC: ndis5/nic.c runs it, the data-path fields are unused */
	struct ndisrt_ndis5_nic *ndis5;
};

/* Every started NIC (a slot is NULL when free). Lock-free readers. */
extern _Atomic(struct ndisrt_nic *) host_nics[HOST_MAX_NICS];

/* Put @n in a free slot of @slots (HOST_MAX_NICS of them); false if full. */
bool host_nic_slot_add(_Atomic(struct ndisrt_nic *) *slots, struct ndisrt_nic *n);
/* Take @n out of @slots. */
void host_nic_slot_remove(_Atomic(struct ndisrt_nic *) *slots, struct ndisrt_nic *n);

/* The NIC whose adapter is @a / whose MiniportAdapterHandle is @h, or NULL. */
struct ndisrt_nic *host_nic_of_adapter(struct ndisrt_adapter *a);
struct ndisrt_nic *host_nic_of_handle(NDIS_HANDLE h);

/*
 * host_nic_lookup() - The NIC of MiniportAdapterHandle @h, for a DDI.
 * Bug check 0xC4 BAD_HANDLE/STALE_HANDLE if @h names no adapter, and
 * NDISRT_VIOLATION_NOT_HOSTED if the adapter is not one ndisrt_nic_start made.
 * Context: any IRQL on a vCPU.
 */
struct ndisrt_nic *host_nic_lookup(NDIS_HANDLE h, unsigned ddi);

/* From inside the adapter's MiniportInitializeEx / MiniportHaltEx (on that vCPU)? */
bool host_in_initialize(struct ndisrt_nic *n);
bool host_in_init_or_halt(struct ndisrt_nic *n);

/* The state now, and whether a receive indication is allowed in it (D4). */
static inline enum host_nic_state host_nic_state(struct ndisrt_nic *n)
{
	return (enum host_nic_state)atomic_load_explicit(&n->state, memory_order_acquire);
}

/* ------------------------------------------------------ data path hooks */

/*
 * host_rx_dpc_begin() / host_rx_dpc_end() - An interrupt DPC of @a
 * starts / ended on this vCPU, with @max as MaxNblsToIndicate. Called by the
 * DPC trampoline (ndis/dpc.c, through host_ndis6_ops) around the miniport's
 * DPC routine; they keep the per-call receive tally
 * (ndisrt_nic_stats.max_nbls_one_dpc).
 * Context: DISPATCH_LEVEL on a vCPU. No-ops for an adapter no NIC hosts.
 */
void host_rx_dpc_begin(struct ndisrt_adapter *a, uint32_t max);
void host_rx_dpc_end(struct ndisrt_adapter *a, bool more_pending);

/* The upcalls hosting sets on every NDIS 6 adapter it hosts (ndis/internal.h). */
extern const struct ndis_host_ops host_ndis6_ops;

/* Set up / tear down the NIC's per-vCPU receive structures (nbl.c). Host thread. */
int host_rx_init(struct ndisrt_nic *n);
void host_rx_fini(struct ndisrt_nic *n);
/* Queue the return DPC of every vCPU that holds NBLs (after a hold). Any context. */
void host_rx_kick_returns(struct ndisrt_nic *n);

/* Host-side sends (nbl.c): build one NBL per frame. Context: vCPU, <= DISPATCH. */
PNET_BUFFER_LIST host_send_nbl_alloc(struct ndisrt_nic *n, const void *frame, size_t len);
/* Free the recycled send blocks of @n. Context: host thread, the NIC quiet. */
void host_send_pool_fini(struct ndisrt_nic *n);

/* ------------------------------------------------------------- I/O space */

/* Reserve the I/O address arena (once, host thread). Return: 0 or -ENOMEM. */
int host_io_arena_init(void);
/* Is @addr inside the arena? (async-signal-safe) */
bool host_io_in_arena(uintptr_t addr);
/*
 * The register/port routing core (NDIS 5 and NDIS 6 both use it). A
 * register mapping is HOST_IO_SLOT_SIZE bytes of PROT_NONE address space
 * standing for @len bytes of BAR @bar of @dev from @dev_off; a port mapping claims the
 * ports [@bus, @bus + @len) of the machine-wide 16-bit port space (its
 * address is the port number itself, x86 I/O space being direct) for @dev
 * from port offset @dev_off. @owner is opaque (it only matches unmaps and
 * release_owner).
 *   host_io_map: PASSIVE_LEVEL; NULL when @len is 0 or too big, no slot,
 *	or (ports) one of the ports is already claimed or above 0xFFFF.
 *   host_io_unmap: the address host_io_map returned, the same @owner,
 *	@kind, @len (and @bus for ports); -1 if it is not such a mapping.
 *   host_io_resolve: any context, lock-free, async-signal-safe: the device
 *	and device offset of @size bytes at @addr, NULL if unmapped.
 *   host_io_release_owner: drop every mapping of @owner; how many.
 */
enum host_io_kind { HOST_IO_REGISTERS = 0, HOST_IO_PORTS = 1 };
void *host_io_map(const void *owner, struct hw_device *dev, unsigned bar, enum host_io_kind kind,
		  uint32_t dev_off, uint32_t len, uint64_t bus);
int host_io_unmap(const void *owner, void *va, enum host_io_kind kind, uint32_t len, uint64_t bus);
struct hw_device *host_io_resolve(uintptr_t addr, unsigned size, enum host_io_kind kind,
				  unsigned *bar, uint32_t *off);
unsigned host_io_release_owner(const void *owner);

/*
 * The hardware behind a MiniportAdapterHandle, whichever NDIS version runs
 * the adapter: what the shared hardware-access DDIs of host_io.c need.
 * Lock key: as the NIC it comes from (constant while the adapter exists).
 */
struct host_io_target {
	const void *owner;	  /* the mappings' owner: the NIC */
	struct ndisrt_adapter *a; /* its adapter (lifecycle state) */
	struct hw_device *dev;	  /* NULL: an adapter without a device (ndis/ tests) */
	struct hw_resources res;  /* the device's resources, if @dev */
	atomic_int *maps;	  /* register and port mappings held (halt leak check) */
};

/*
 * ndis5_io_target() - Fill @t for @a if an NDIS 5 driver runs it
 * (ndis5/driver.c). Context: any. Return: false if @a is not NDIS 5's.
 */
bool ndis5_io_target(struct ndisrt_adapter *a, struct host_io_target *t);

/*
 * ndis5_shared_memory_alloc() / ndis5_shared_memory_free() - The NDIS 5
 * side of NdisMAllocateSharedMemory / NdisMFreeSharedMemory (ndis5/dma.c),
 * called after the DDI's entry checks. Return: false if @h is not an NDIS 5
 * adapter (the NDIS 6 path goes on); true when handled (or bug check).
 */
bool ndis5_shared_memory_alloc(NDIS_HANDLE h, ULONG len, PVOID *va, PNDIS_PHYSICAL_ADDRESS pa);
bool ndis5_shared_memory_free(NDIS_HANDLE h, ULONG len, PVOID va, NDIS_PHYSICAL_ADDRESS pa);

/*
 * host_shared_memory_alloc() - Shared memory for a bus master, in @dma at an
 * address the device reaches: below 4 GiB (hw_dma_alloc32()) when the driver
 * set up 32-bit DMA (@driver64 false: NDIS 5 Dma64BitAddresses FALSE, NDIS 6
 * no NDIS_SG_DMA_64_BIT_ADDRESS) or the device says its address registers
 * are 32 bits wide (hw_resources.dma_address_bits), else anywhere. Both NDIS
 * versions allocate through it (host_dma.c). Context: DISPATCH_LEVEL.
 * Return: the host address and *@logical, or NULL.
 */
void *host_shared_memory_alloc(struct hw_dma_space *dma, struct hw_device *dev, bool driver64,
			       size_t len, uint64_t *logical);

/*
 * host_driver_shared_alloc() / host_driver_shared_free() - What
 * NdisMAllocateSharedMemory / NdisMFreeSharedMemory (NDIS 5 and 6) use: as
 * host_shared_memory_alloc() and hw_dma_free(), but with the verifier on the
 * CPU view is poisoned memory (verifier/poison.h), poisoned and quarantined
 * once the free has removed it from the DMA space (H7). Memory in the 32-bit
 * window is ordinary. Context: IRQL <= DISPATCH_LEVEL; the free may yield.
 */
void *host_driver_shared_alloc(struct hw_dma_space *dma, struct hw_device *dev, bool driver64,
			       size_t len, uint64_t *logical);
int host_driver_shared_free(struct hw_dma_space *dma, void *va);

/* ----------------------------------------------------------- NIC kinds */

/*
 * A NIC kind: what one NDIS version does behind <ndisrt/host.h>. The
 * driver's kind is chosen at load by how its DriverEntry registered
 * (NdisMRegisterMiniportDriver: NDIS 6; NdisMInitializeWrapper +
 * NdisMRegisterMiniport: NDIS 5); its NICs take it, and every ndisrt_nic_*
 * call is one call through it (host.c). Each member has the contract of
 * the host.h function of the same name; Context: host thread unless that
 * function says otherwise. driver_unload may be NULL.
 */
struct host_nic_kind {
	const char *name; /* "NDIS 6", "NDIS 5" */
	int (*start)(struct ndisrt_driver *d, const struct ndisrt_nic_config *cfg,
		     struct ndisrt_nic **out, char *err, size_t errlen);
	void (*halt)(struct ndisrt_nic *n);
	uint32_t (*pause)(struct ndisrt_nic *n);
	uint32_t (*restart)(struct ndisrt_nic *n);
	void (*set_rx_sink)(struct ndisrt_nic *n, ndisrt_rx_fn *fn, void *ctx);
	void (*set_status_sink)(struct ndisrt_nic *n, ndisrt_status_fn *fn, void *ctx);
	unsigned (*send)(struct ndisrt_nic *n, unsigned vcpu, const void *const *frames,
			 const size_t *lens, unsigned count);
	uint32_t (*oid)(struct ndisrt_nic *n, bool set, uint32_t oid, void *buf, uint32_t len,
			uint32_t *bytes, uint32_t *needed);
	void (*get_stats)(struct ndisrt_nic *n, struct ndisrt_nic_stats *out);
	uint64_t (*outstanding)(struct ndisrt_nic *n);
	void (*hold_returns)(struct ndisrt_nic *n, bool hold);
	void (*get_attributes)(struct ndisrt_nic *n, struct ndisrt_nic_attributes *out);
	bool (*link_up)(struct ndisrt_nic *n, uint64_t *speed);
	void (*driver_version)(const struct ndisrt_driver *d, unsigned *major, unsigned *minor);
	/* Before the generic unload: halt what only the kind knows of, free its state. */
	void (*driver_unload)(struct ndisrt_driver *d);
};

extern const struct host_nic_kind host_nic_ndis6; /* host_nic.c */
extern const struct host_nic_kind host_nic_ndis5; /* ndis5/nic.c */

/* NDIS 6 members that live outside host_nic.c. */
uint32_t host_ndis6_oid(struct ndisrt_nic *n, bool set, uint32_t oid, void *buf, uint32_t len,
			uint32_t *bytes, uint32_t *needed); /* host_oid.c */
unsigned host_ndis6_send(struct ndisrt_nic *n, unsigned vcpu, const void *const *frames,
			 const size_t *lens, unsigned count); /* host_send.c */

/*
 * host_ndis5_attach() - After DriverEntry: did it register an NDIS 5
 * miniport (with @d's DriverObject)? Then @d is NDIS 5 (d->ndis5 set).
 * Context: host thread.
 */
bool host_ndis5_attach(struct ndisrt_driver *d);

/* Wait (30 s bound) for *@flag to become non-zero. Return: false on timeout. Host thread. */
bool host_wait_flag(struct ndisrt_nic *n, atomic_uint *flag);

/* Checks shared by the hardware-access and DMA DDIs (host_io.c): 0xC4 if not met. */
void host_require_out(const void *p, unsigned ddi, const char *what);
void host_require_initialize(struct ndisrt_adapter *a, unsigned ddi, const char *what);
void host_require_init_or_halt(struct ndisrt_adapter *a, unsigned ddi, const char *what);

/* An MDL nbl.c made (NdisAllocateMdl or a host send NBL)? */
bool host_mdl_is_ours(PMDL m);

/* NdisMSetMiniportAttributes for general attributes (host_nic.c; adapter.c calls it
 * through host_ndis6_ops). */
NDIS_STATUS host_set_general_attributes(struct ndisrt_adapter *a,
					const NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES *g);

/* ----------------------------------------------------------- violations */

/* Containment (host_driver.c, host_contain.c; docs/reliability.md). */
bool host_pc_in_driver(uintptr_t pc);
bool host_pc_in_loading(uintptr_t pc);
bool host_load_in_progress(void);
/* Fail the load in progress on this thread: @what (@status) called from @caller. */
_Noreturn void host_load_abandon(const char *what, long long status, uintptr_t caller);
int host_contain_link(void); /* host_contain.c (which declares the above weak) */

/* A driver broke a hosting rule: ndisrt_violation() under its old name here. */
#define host_violation ndisrt_violation

/* The device's model name for messages (or "device" for one not made by name). */
static inline const char *host_device_name(const struct hw_device *dev)
{
	return dev->model ? dev->model->name : "device";
}

/* Memory for runtime objects: raises to DISPATCH_LEVEL around malloc/free when needed. */
static inline void *host_zalloc(size_t size)
{
	return ndis_zalloc(size);
}

static inline void host_free(void *p)
{
	ndis_free(p);
}

#endif /* NDISRT_NDIS_HOST_INTERNAL_H */
