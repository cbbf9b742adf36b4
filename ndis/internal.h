/* SPDX-License-Identifier: MIT */
/*
 * ndis/internal.h - private to ndis/: the adapter and interrupt objects, the
 * handle table, and the checks every DDI opens with.
 *
 * Compiled with NDIS_WRAPPER, so <ndis.h> exposes every NDIS version's
 * shapes (the runtime calls the 6.20 forms of the DPC callbacks, which have
 * the same ABI as the 6.0 forms).
 */
#ifndef NDISRT_NDIS_INTERNAL
#error "ndis/internal.h is private to ndis/: include ndis/ndis.h instead"
#endif
#ifndef NDISRT_NDIS_INTERNAL_H
#define NDISRT_NDIS_INTERNAL_H

#include <ndis.h>

#include "hw/intc.h"
#include "ke/ke.h"
#include "ndis/ndis.h"

/*
 * Locks. ndis/ owns no lock of its own: adapter and interrupt state,
 * the handle table and the counters are atomics. It takes ke's interrupt
 * locks (in NdisMSynchronizeWithInterruptEx and the diagnostic
 * enable/disable calls, at the interrupt's sync IRQL) and, through
 * ke_dpc_queue(), a vCPU's DPC lock; with an interrupt lock held it calls
 * only ke_dpc_queue(). That is ke's order (interrupt locks, then DPC locks),
 * so the verifier's lock-order list needs nothing new for this layer.
 *
 * Lifetime. An interrupt object is freed only after a grace period
 * (ndis_grace_period()): every DDI that looks a handle up runs at IRQL >=
 * DISPATCH_LEVEL from the lookup to its return, and the grace period runs a
 * DPC on every vCPU, which cannot start on a vCPU until that vCPU's IRQL
 * has dropped below DISPATCH_LEVEL, i.e. until any such DDI there returned.
 * This is RCU-sched with DPCs for quiescent states.
 */

/* ----------------------------------------------------------- handles */

enum ndis_handle_type {
	NDIS_HT_ADAPTER = 1,
	NDIS_HT_INTERRUPT = 2,
};

/* Result of a lookup that failed. */
enum ndis_lookup_error {
	NDIS_LOOKUP_BAD = 1,   /* never a handle of this type */
	NDIS_LOOKUP_STALE = 2, /* was one; its object is gone */
};

/**
 * ndis_handle_alloc() - A new handle naming @obj.
 * Context: any IRQL; lock-free. Return: the handle, or NULL if the table is full.
 */
NDIS_HANDLE ndis_handle_alloc(enum ndis_handle_type type, void *obj);

/** ndis_handle_retire() - From now on @h looks up as stale. Context: any. */
void ndis_handle_retire(NDIS_HANDLE h);

/** ndis_handle_release() - Make @h's slot reusable (after a grace period). Context: any. */
void ndis_handle_release(NDIS_HANDLE h);

/**
 * ndis_handle_lookup() - The object @h names, or NULL with *@err set.
 * Context: any IRQL; lock-free, async-signal-safe. The object stays valid
 * while the caller stays at IRQL >= DISPATCH_LEVEL (see Lifetime above).
 */
void *ndis_handle_lookup(NDIS_HANDLE h, enum ndis_handle_type type, enum ndis_lookup_error *err);

/*
 * The handle table, for the inline fast path below (ndis/handle.c owns it).
 * A handle is ('ND' << 48) | type << 44 | slot << 32 | generation.
 * Lock key: (a) atomic; a slot is taken by CAS on @busy, and @gen moves on
 * when its object is retired, so old handles mismatch forever after.
 */
#define NDIS_HANDLE_TAG 0x4E44ull
#define NDIS_MAX_HANDLES 1024u

struct ndis_handle_slot {
	_Atomic(void *) obj; /* (a) NULL once retired */
	atomic_uint gen;     /* (a) */
	atomic_uint type;    /* (a) */
	atomic_uint busy;    /* (a) 1 from alloc to release */
};

extern struct ndis_handle_slot ndis_slots[NDIS_MAX_HANDLES];

/* The object a live handle of @type names, or NULL (then ndis_handle_lookup() says why). */
static inline void *ndis_handle_peek(NDIS_HANDLE h, enum ndis_handle_type type)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	unsigned index = (unsigned)(v >> 32) & 0xFFF;
	struct ndis_handle_slot *s;
	void *obj;

	if (__builtin_expect(
		(v >> 44) != ((NDIS_HANDLE_TAG << 4) | type) || index >= NDIS_MAX_HANDLES, 0))
		return NULL;
	s = &ndis_slots[index];
	/* Acquire pairs with the release in ndis_handle_alloc(). */
	obj = atomic_load_explicit(&s->obj, memory_order_acquire);
	if (__builtin_expect(
		!obj || atomic_load_explicit(&s->gen, memory_order_acquire) != (uint32_t)v ||
		    atomic_load_explicit(&s->type, memory_order_relaxed) != type,
		0))
		return NULL;
	return obj;
}

/*
 * The current vCPU's number, on a vCPU (ISRs included: they run on their
 * vCPU's thread). ke's lock identity is the vCPU number + 1 there (ke.h),
 * and it is a plain thread-local load.
 */
static inline unsigned ndis_current_vcpu(void)
{
	return ke_lock_id() - 1;
}

/* ----------------------------------------------------------- adapter */

enum ndis_adapter_state {
	NDIS_ADAPTER_HALTED = 0,       /* not initialized (or halted, or init failed) */
	NDIS_ADAPTER_INITIALIZING = 1, /* MiniportInitializeEx is running */
	NDIS_ADAPTER_RUNNING = 2,      /* initialized */
	NDIS_ADAPTER_HALTING = 3,      /* MiniportHaltEx is running */
};

/*
 * Counters of one (message, vCPU) pair. (v): written only by that vCPU
 * (load + store, no read-modify-write: nothing on the vCPU that could
 * nest updates the same field; see ndis_count_local()). (a): any vCPU.
 */
struct ndis_counters {
	atomic_ulong isrs;		 /* (v) at DIRQL */
	atomic_ulong isrs_claimed;	 /* (v) at DIRQL */
	atomic_ulong dpcs;		 /* (v) at DISPATCH_LEVEL */
	atomic_ulong dpc_reruns;	 /* (v) at DISPATCH_LEVEL */
	atomic_ulong syncs;		 /* (v) at the sync IRQL, lock held */
	atomic_ulong dpc_requests;	 /* (a) */
	atomic_ulong dpc_already_queued; /* (a) */
	atomic_ulong dpc_refused;	 /* (a) */
};

struct ndis_interrupt;

/*
 * Lock key: (c) constant after create  (a) atomic
 *           (o) written by the lifecycle owner (the vCPU running the driver's
 *               initialize or halt), before it publishes with @state
 *           (g) used only by the one deregistration in progress
 */
struct ndisrt_adapter {
	struct ke_machine *m;			    /* (c) */
	unsigned nr_vcpus;			    /* (c) */
	NDIS_HANDLE handle;			    /* (c) MiniportAdapterHandle */
	struct ndisrt_adapter_config cfg;	    /* (c) */
	atomic_uint state;			    /* (a) enum ndis_adapter_state */
	atomic_uint owner_vcpu;			    /* (a) vCPU running initialize or halt */
	atomic_bool halt_from_init;		    /* (a) */
	atomic_bool attributes_set;		    /* (a) registration attributes given */
	_Atomic(NDIS_HANDLE) adapter_context;	    /* (a) MiniportAdapterContext */
	ULONG attribute_flags;			    /* (o) */
	UINT check_for_hang_seconds;		    /* (o) */
	NDIS_INTERFACE_TYPE interface_type;	    /* (o) */
	atomic_uint max_nbls;			    /* (a) MaxNblsToIndicate */
	_Atomic(struct ndis_interrupt *) interrupt; /* (a) the registered interrupt */
	atomic_uint kind;			    /* (a) enum ndisrt_interrupt_kind */
	atomic_bool msi_refused;		    /* (a) messages given, MsiSupported FALSE */
	uint64_t msi_addr[NDISRT_MAX_MESSAGES];	    /* (o) set before the interrupt is published */
	uint32_t msi_data[NDISRT_MAX_MESSAGES];	    /* (o) */
	struct ndis_counters *counters;		    /* (c) [NDISRT_MAX_MESSAGES][nr_vcpus] */
	struct ke_dpc flush[KE_MAX_VCPUS];	    /* (g) grace-period DPCs */
	atomic_uint flush_pending;		    /* (a) */
	const struct ndis_host_ops *host;	    /* (c) hosting's upcalls; NULL: not hosted */
};

static inline struct ndis_counters *ndis_counters_of(struct ndisrt_adapter *a, unsigned msg,
						     unsigned vcpu)
{
	return &a->counters[(size_t)msg * a->nr_vcpus + vcpu];
}

/* A (v) counter update: see struct ndis_counters. */
static inline void ndis_count_local(atomic_ulong *c)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

/**
 * ndis_adapter_lookup() - The adapter @h names; bug check 0xC4 if none.
 * Context: any IRQL, on a vCPU.
 */
struct ndisrt_adapter *ndis_adapter_lookup(NDIS_HANDLE h, unsigned ddi);

/** ndis_adapter_in_initialize() - Called from the adapter's MiniportInitializeEx (R1)? */
bool ndis_adapter_in_initialize(struct ndisrt_adapter *a);

/**
 * ndis_grace_period() - Wait until every vCPU has been below
 * DISPATCH_LEVEL since the call began (and ke is done with every DPC
 * object that ran before it). One caller per adapter at a time.
 * Context: PASSIVE_LEVEL on a vCPU.
 */
void ndis_grace_period(struct ndisrt_adapter *a);

/* --------------------------------------------------------- interrupt */

enum ndis_interrupt_state {
	NDIS_INTR_LIVE = 1,	     /* connected; DPC requests accepted */
	NDIS_INTR_DEREGISTERING = 2, /* DPC requests refused; waiting for the rest */
};

/* One message (a line interrupt has one, id 0). Lock key: (c) constant after register. */
struct ndis_message {
	struct ke_interrupt ki;	     /* the ke object its ISR runs on */
	struct ndis_interrupt *intr; /* (c) */
	ULONG id;		     /* (c) MessageId */
	unsigned vector;	     /* (c) */
	ke_irql_t irql;		     /* (c) DIRQL of the vector */
	unsigned vcpu;		     /* (c) MSI destination; line: first target */
	bool own_vector;	     /* (c) allocated at registration (messages) */
	bool connected;		     /* (c) for unwinding */
	struct ndis_counters *ctr;   /* (c) this message's counters, indexed by vCPU */
};

/* The DPC of one (message, vCPU) pair (spec I5). Lock key: (c) constant after register. */
struct ndis_dpc {
	struct ke_dpc kd;	     /* ke's DPC; arg1 = MiniportDpcContext */
	struct ndis_interrupt *intr; /* (c) */
	struct ndis_counters *ctr;   /* (c) */
	ULONG msg;		     /* (c) */
};

/*
 * A registered interrupt: what NdisInterruptHandle names.
 * Lock key: (c) constant after register  (a) atomic
 */
struct ndis_interrupt {
	NDIS_HANDLE handle;				    /* (c) */
	struct ndisrt_adapter *adapter;			    /* (c) */
	struct ke_machine *m;				    /* (c) */
	NDIS_HANDLE context;				    /* (c) MiniportInterruptContext */
	bool message_based;				    /* (c) */
	ULONG nr_messages;				    /* (c) 1 for a line */
	unsigned nr_vcpus;				    /* (c) */
	MINIPORT_ISR_HANDLER line_isr;			    /* (c) */
	MINIPORT_INTERRUPT_DPC_HANDLER line_dpc;	    /* (c) */
	MINIPORT_DISABLE_INTERRUPT_HANDLER line_disable;    /* (c) */
	MINIPORT_ENABLE_INTERRUPT_HANDLER line_enable;	    /* (c) */
	MINIPORT_MSI_ISR_HANDLER msg_isr;		    /* (c) */
	MINIPORT_MSI_INTERRUPT_DPC_HANDLER msg_dpc;	    /* (c) */
	MINIPORT_DISABLE_MSI_INTERRUPT_HANDLER msg_disable; /* (c) */
	MINIPORT_ENABLE_MSI_INTERRUPT_HANDLER msg_enable;   /* (c) */
	bool sync_all;					    /* (c) MsiSyncWithAllMessages */
	ke_irql_t unified_irql;				    /* (c) */
	struct ke_spinlock unified_lock;		    /* shared by all messages if sync_all */
	atomic_uint state;				    /* (a) enum ndis_interrupt_state */
	/*
	 * DPCs queued or running (re-runs included). Incremented before a
	 * request looks at @state, so deregistration, which sets @state and
	 * then waits for zero, cannot miss one (both seq_cst).
	 */
	atomic_uint active_dpcs;	  /* (a) */
	struct ndis_message *msgs;	  /* (c) [nr_messages] */
	struct ndis_dpc *dpcs;		  /* (c) [nr_messages][nr_vcpus] */
	PIO_INTERRUPT_MESSAGE_INFO table; /* (c) message-based only */
	size_t table_size;		  /* (c) */
	/* Under the line ISR's lock: claims in a row while the device's pin
	 * stayed low (I11); returns in a row with the pin high throughout (I12). */
	unsigned false_claims, storm_returns;
};

static inline struct ndis_dpc *ndis_dpc_of(struct ndis_interrupt *ni, ULONG msg, unsigned vcpu)
{
	return &ni->dpcs[(size_t)msg * ni->nr_vcpus + vcpu];
}

/* Bug check 0xC4 BAD_HANDLE / STALE_HANDLE for an interrupt handle that did not look up. */
_Noreturn void ndis_interrupt_lookup_failed(NDIS_HANDLE h, unsigned ddi);

/**
 * ndis_interrupt_lookup() - The live or deregistering interrupt @h names;
 * bug check 0xC4 (BAD_HANDLE / STALE_HANDLE) otherwise.
 * Context: IRQL >= DISPATCH_LEVEL on a vCPU (keeps the object alive).
 */
static inline struct ndis_interrupt *ndis_interrupt_lookup(NDIS_HANDLE h, unsigned ddi)
{
	struct ndis_interrupt *ni = ndis_handle_peek(h, NDIS_HT_INTERRUPT);

	if (__builtin_expect(ni == NULL, 0))
		ndis_interrupt_lookup_failed(h, ddi);
	return ni;
}

/*
 * The trampolines ke calls; not static, so that bug-check call chains name
 * them between ke's frames and the miniport's.
 */
bool ndis_isr(struct ke_interrupt *ki, void *ctx);
void ndis_isr_queue_dpcs(struct ndis_interrupt *ni, struct ndis_message *msg, unsigned cpu,
			 BOOLEAN queue_default, ULONG targets);
void ndis_dpc_routine(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2);

/** ndis_dpc_init_all() - Prepare the DPC of every (message, vCPU) pair. */
void ndis_dpc_init_all(struct ndis_interrupt *ni);

/**
 * ndis_dpc_request() - Queue the DPC of (@msg, @vcpu) with @ctx (spec I5).
 * Context: any IRQL on a vCPU, the interrupt kept alive by the caller.
 * Return: true if queued; false if it was already queued (it keeps its
 * context) or deregistration has begun.
 */
bool ndis_dpc_request(struct ndis_interrupt *ni, ULONG msg, unsigned vcpu, PVOID ctx);

/**
 * ndis_dpc_request_mask() - ndis_dpc_request() for each bit of @mask.
 * Return: the bits queued.
 */
uint64_t ndis_dpc_request_mask(struct ndis_interrupt *ni, ULONG msg, uint64_t mask, PVOID ctx);

/* ------------------------------------------------------------ checks */

/*
 * A driver broke a rule: ndisrt_violation() of verifier/violation.h (through
 * <ndisrt/ndis.h>), the one violation function, with a line of
 * verifier/violations.def.
 */

/* An ndisrt invariant broke (a host or runtime bug, not a driver's): abort. */
_Noreturn void ndis_assert_fail(const char *expr, const char *file, int line);
#define ndis_assert(cond)                                            \
	do {                                                         \
		if (__builtin_expect(!(cond), 0))                    \
			ndis_assert_fail(#cond, __FILE__, __LINE__); \
	} while (0)

/* The caller is a vCPU (every DDI runs on one: ke_tls_irql is set only there). */
static inline void ndis_require_vcpu(unsigned ddi)
{
	if (__builtin_expect(ke_tls_irql == NULL, 0))
		ndisrt_violation(NDISRT_VIOLATION_NOT_ON_VCPU, 0, 0, ddi,
				 "an NDIS function was called from a host thread: driver code runs "
				 "on vCPUs (call it from the driver's routines)");
}

/* IRQL within [@min, @max], else NDISRT_VIOLATION_IRQL. Return: the current IRQL. */
static inline ke_irql_t ndis_check_irql(ke_irql_t min, ke_irql_t max, unsigned ddi)
{
	ke_irql_t cur = ke_irql_current();

	if (__builtin_expect(cur < min || cur > max, 0))
		ndisrt_violation(
		    NDISRT_VIOLATION_IRQL, cur, NDISRT_IRQL_RANGE(min, max), ddi,
		    "an NDIS function was called at an IRQL its contract forbids "
		    "(parameter 3 = allowed range, min << 8 | max; see the spec's IRQL "
		    "table)");
	return cur;
}

/*
 * The prologue of a DDI: the engine's preemption point, then on a vCPU
 * (NOT_ON_VCPU otherwise) at an IRQL within [@min, @max] (IRQL otherwise).
 * Return: the current IRQL.
 */
static inline ke_irql_t ndis_ddi_enter(unsigned ddi, ke_irql_t min, ke_irql_t max)
{
	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(ddi);
	return ndis_check_irql(min, max, ddi);
}

/*
 * Raise to DISPATCH_LEVEL if below it, for a handle lookup (see Lifetime).
 * Return: the IRQL to give back to ndis_leave_dispatch().
 */
static inline ke_irql_t ndis_enter_dispatch(void)
{
	ke_irql_t cur = ke_irql_current();

	if (cur < KE_DISPATCH_LEVEL)
		ke_irql_raise(KE_DISPATCH_LEVEL);
	return cur;
}

static inline void ndis_leave_dispatch(ke_irql_t old)
{
	if (old < KE_DISPATCH_LEVEL)
		ke_irql_lower(old);
}

/*
 * Memory. The runtime calls malloc and free only at IRQL >= DISPATCH_LEVEL,
 * where no ISR or DPC of this vCPU can interrupt it inside libc (ke's
 * signal-safety rule); these raise around the call.
 * Context: IRQL <= DISPATCH_LEVEL (registration paths, host threads).
 */
void *ndis_zalloc(size_t size);
void ndis_free(void *p);

/*
 * Configuration (config.c): the handle a driver opens its configuration
 * with (NDIS 6: the MiniportAdapterHandle; NDIS 5: the
 * WrapperConfigurationContext) belongs to NIC @nic, whose per-NIC
 * parameters (<ndisrt/params.h>) it reads. Bind before MiniportInitialize
 * runs, unbind after the halt. Return: 0, -EINVAL, -ENOSPC (128 bound).
 * Context: host thread.
 */
int ndis_config_bind(const void *owner, int nic);
void ndis_config_unbind(const void *owner);

/*
 * NDIS spin locks (lock.c). ndis_spin_held(): how many this vCPU holds now.
 * ndis_check_spin_balance(): bug check 0xC4 SPIN_HELD_AT_RETURN if a
 * miniport handler (@handler, parameter 2) returned holding more than the
 * @before it was entered with. Context: the vCPU that ran the handler.
 */
unsigned ndis_spin_held(void);
void ndis_check_spin_balance(unsigned before, uintptr_t handler);

/*
 * Upcalls into hosting (ndis/host_*.c, docs/hosting.md): explicit calls
 * through the table hosting sets on an adapter it hosts (ndis_adapter_set_host);
 * an adapter nobody hosts (the ndis/ tests' adapters) has none.
 *  - set_general_attributes: NdisMSetMiniportAttributes with
 *    NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES (without hosting:
 *    NDIS_STATUS_NOT_SUPPORTED);
 *  - dpc_begin / dpc_end: bracket each miniport interrupt DPC call (the
 *    per-call receive tally, and whether it set MoreNblsPending), at
 *    DISPATCH_LEVEL on the DPC's vCPU.
 */
struct ndis_host_ops {
	NDIS_STATUS(*set_general_attributes)
	(struct ndisrt_adapter *a, const NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES *g);
	void (*dpc_begin)(struct ndisrt_adapter *a, uint32_t max);
	void (*dpc_end)(struct ndisrt_adapter *a, bool more_pending);
	/* optional: the level of the adapter's INTx pin and its rise count
	 * (intc_source_level()); the false-claim check (I11). Lock-free. */
	bool (*line_level)(struct ndisrt_adapter *a, unsigned *rises);
};

/* Context: host thread, before the adapter is initialized. */
static inline void ndis_adapter_set_host(struct ndisrt_adapter *a, const struct ndis_host_ops *ops)
{
	a->host = ops;
}

#endif /* NDISRT_NDIS_INTERNAL_H */
