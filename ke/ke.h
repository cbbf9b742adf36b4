/* SPDX-License-Identifier: MIT */
/*
 * ke.h - the processor model: vCPUs, IRQL, spin locks, interrupt objects,
 * DPCs, the engine clock and bug checks.
 *
 * This is ke/'s public header. Everything above ke/ (hw/, verifier/, ndis/,
 * tools/) uses only what is declared here; the engine behind it (threads or,
 * later, sim) is invisible above this line.
 *
 * IRQL follows Windows on x64: PASSIVE 0, APC 1, DISPATCH 2, device levels
 * (DIRQL) 3..12, CLOCK 13, IPI 14, HIGH 15. An interrupt vector's level is
 * vector >> 4, exactly as on x64, so "highest pending vector" is also
 * "highest pending IRQL".
 */
#ifndef NDISRT_KE_H
#define NDISRT_KE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint8_t ke_irql_t;

enum {
	KE_PASSIVE_LEVEL = 0,
	KE_APC_LEVEL = 1,
	KE_DISPATCH_LEVEL = 2,
	KE_DIRQL_MIN = 3,
	KE_DIRQL_MAX = 12,
	KE_CLOCK_LEVEL = 13,
	KE_IPI_LEVEL = 14,
	KE_HIGH_LEVEL = 15,
};

#define KE_MAX_VCPUS 64
#define KE_NR_VECTORS 256
/* Vector whose pending bit means "this vCPU's DPC queue is not empty". */
#define KE_DPC_VECTOR ((KE_DISPATCH_LEVEL << 4) | 0xF)

static inline ke_irql_t ke_vector_irql(unsigned vector)
{
	return (ke_irql_t)(vector >> 4);
}

/* Bug check codes the runtime raises (values as Windows defines them). */
enum {
#define BUGCHECK(name, code) KE_BUGCHECK_##name = code,
#include "ke/bugcheck.def"
#undef BUGCHECK
};

struct ke_machine;
struct ke_vcpu;
struct ke_engine_ops;

/* ---------------------------------------------------------------- machine */

struct ke_machine_config {
	unsigned nr_vcpus;		    /* 1..KE_MAX_VCPUS; may exceed host cores */
	const struct ke_engine_ops *engine; /* NULL: the threads engine */
	bool no_pin;			    /* do not pin vCPU threads to host cores */
};

/**
 * ke_machine_create() - Allocate a machine and start its vCPUs.
 * Context: host thread (not a vCPU). Starts one thread per vCPU (threads engine).
 * Return: the machine, or NULL with errno set (EINVAL for a bad config).
 */
struct ke_machine *ke_machine_create(const struct ke_machine_config *cfg);

/**
 * ke_machine_free() - Stop every vCPU and free the machine.
 * Context: host thread. Waits for each vCPU to finish its current work item.
 */
void ke_machine_free(struct ke_machine *m);

unsigned ke_machine_vcpu_count(const struct ke_machine *m);

/**
 * ke_machine_deterministic() - Does @m run on a deterministic engine (sim)?
 * Then every vCPU and host timer runs on the host thread that created it, in
 * virtual time: a device model must start no thread of its own and must do
 * its host-side work in host-timer callbacks.
 */
bool ke_machine_deterministic(const struct ke_machine *m);
struct ke_vcpu *ke_machine_vcpu(struct ke_machine *m, unsigned n);
unsigned ke_vcpu_number(const struct ke_vcpu *v);
struct ke_machine *ke_vcpu_machine(const struct ke_vcpu *v);

/**
 * ke_vcpu_irql_sample() - @v's IRQL now, and in @below_dispatch how many
 * times it has been set below DISPATCH_LEVEL so far (wrapping). Two samples
 * with the IRQL at DISPATCH_LEVEL or above and the same count mean @v did
 * not go below DISPATCH_LEVEL in between.
 * Context: any thread; a snapshot, racy by nature.
 */
unsigned ke_vcpu_irql_sample(const struct ke_vcpu *v, unsigned *below_dispatch);

/**
 * ke_machine_quiesce() - Wait until every vCPU is idle with no work pending.
 * @timeout_ms: generous bound; 0 means 60 s.
 * Context: host thread.
 * Return: 0 when quiet; -ETIMEDOUT (with a dump on stderr) otherwise.
 */
int ke_machine_quiesce(struct ke_machine *m, unsigned timeout_ms);

/* ------------------------------------------------------------- vCPU work */

typedef void ke_work_fn(void *arg);

/*
 * A work item: a function a vCPU runs at PASSIVE_LEVEL, in submission order.
 * Caller-owned, so posting never allocates (posting is async-signal-safe).
 */
struct ke_work {
	ke_work_fn *fn;
	void *arg;
	atomic_uint done;     /* futex word: 1 once @fn returned */
	struct ke_work *next; /* vCPU work list */
};

static inline void ke_work_init(struct ke_work *w, ke_work_fn *fn, void *arg)
{
	w->fn = fn;
	w->arg = arg;
	atomic_init(&w->done, 0);
	w->next = NULL;
}

/** ke_vcpu_post() - Queue @w on @v. Context: any thread; async-signal-safe. */
void ke_vcpu_post(struct ke_vcpu *v, struct ke_work *w);

/** ke_work_wait() - Wait until @w has run. Context: host thread. */
void ke_work_wait(struct ke_work *w);

/**
 * ke_vcpu_call() - Run @fn(@arg) at PASSIVE_LEVEL on @v and wait for it.
 * Context: host thread. Return: 0, or -EINVAL if called from a vCPU.
 */
int ke_vcpu_call(struct ke_vcpu *v, ke_work_fn *fn, void *arg);

/* --------------------------------------------------------- current context */

/** ke_current() - The vCPU this thread is, or NULL on a host thread. */
struct ke_vcpu *ke_current(void);

/** ke_current_machine() - The machine of the current vCPU, or NULL. */
struct ke_machine *ke_current_machine(void);

/** ke_current_number() - The current vCPU's number (0 on a host thread). */
unsigned ke_current_number(void);

/* ------------------------------------------------------------------- IRQL */

/*
 * The IRQL state of one processor context, as the inline fast paths below see
 * it. Each vCPU embeds one; the IRQL is local to the vCPU's thread (its owner
 * and the owner's notification signal handler), the pending bitmap is set by
 * anyone and cleared by the owner.
 */
struct ke_irql_state {
	_Atomic ke_irql_t irql;
	/*
	 * Bit L: some vector of level L may be pending. Set by a requester
	 * after the vector's bit; cleared by the owner before it rescans that
	 * level, so it can be a false positive, never a false negative.
	 */
	atomic_uint levels;
	atomic_uint_least64_t pending[KE_NR_VECTORS / 64];
	/*
	 * Bumped (owner only, plain increment) each time the IRQL is set below
	 * DISPATCH_LEVEL, so an observer that samples it twice knows whether the
	 * vCPU went below DISPATCH_LEVEL in between (the cumulative watchdog).
	 */
	atomic_uint below_dispatch;
};

static inline void ke_irql_note_below_dispatch(struct ke_irql_state *s)
{
	atomic_store_explicit(&s->below_dispatch,
			      atomic_load_explicit(&s->below_dispatch, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

/* The current vCPU's state; NULL on a host thread (slow paths handle those). */
extern __thread struct ke_irql_state *ke_tls_irql __attribute__((tls_model("initial-exec")));

/*
 * Slow-path switch. KE_SLOW_HOOKS: some machine has a hook subscriber that
 * wants the events of the fast paths (irql_change, lock_acquire,
 * lock_release), so every IRQL change and spin-lock operation goes out of
 * line. KE_SLOW_PREEMPT: an engine wants preemption points. KE_HOOK_EVENTS:
 * some machine has any subscriber, so the hook sites off the fast paths (ISR,
 * DPC, contended spins, requests, queueing, synchronize routines) report; it
 * leaves the inline fast paths alone. With none set, each hook and
 * preemption site costs this one load and a predictable branch.
 */
#define KE_SLOW_HOOKS 0x1u
#define KE_SLOW_PREEMPT 0x2u
#define KE_HOOK_EVENTS 0x4u
#define KE_SLOW_FAST_PATHS (KE_SLOW_HOOKS | KE_SLOW_PREEMPT)
extern atomic_uint ke_slow_flags;

ke_irql_t ke_irql_raise_slow(ke_irql_t new_irql);
void ke_irql_lower_slow(ke_irql_t new_irql);
void ke_irql_deliver_pending(void);

/** ke_pending_above() - Is a vector above level @irql pending in @s? */
static inline bool ke_pending_above(struct ke_irql_state *s, ke_irql_t irql)
{
	return (atomic_load_explicit(&s->levels, memory_order_relaxed) >> (irql + 1)) != 0;
}

/**
 * ke_irql_current() - The current vCPU's IRQL.
 * Context: any. A host thread has an IRQL of its own that nothing interrupts.
 */
ke_irql_t ke_irql_current_slow(void);

static inline ke_irql_t ke_irql_current(void)
{
	struct ke_irql_state *s = ke_tls_irql;

	if (__builtin_expect(s == NULL, 0))
		return ke_irql_current_slow();
	return atomic_load_explicit(&s->irql, memory_order_relaxed);
}

/**
 * ke_irql_raise() - Raise the current IRQL to @new_irql.
 * Context: any IRQL <= @new_irql. A store to the vCPU's own IRQL (lazy
 * masking): no system call, no atomic read-modify-write, no fence.
 * Return: the previous IRQL.
 * Bug check 0x9 IRQL_NOT_GREATER_OR_EQUAL if @new_irql is below the current IRQL.
 */
static inline ke_irql_t ke_irql_raise(ke_irql_t new_irql)
{
	struct ke_irql_state *s = ke_tls_irql;
	ke_irql_t old;

	if (__builtin_expect(!s || (atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) &
				    KE_SLOW_FAST_PATHS),
			     0))
		return ke_irql_raise_slow(new_irql);
	old = atomic_load_explicit(&s->irql, memory_order_relaxed);
	if (__builtin_expect(new_irql < old || new_irql > KE_HIGH_LEVEL, 0))
		return ke_irql_raise_slow(new_irql);
	atomic_store_explicit(&s->irql, new_irql, memory_order_relaxed);
	/* Ordered against this thread's signal handler, which reads it. */
	atomic_signal_fence(memory_order_seq_cst);
	return old;
}

/**
 * ke_irql_lower() - Lower the current IRQL to @new_irql and deliver what it unmasks.
 * Context: any IRQL >= @new_irql. Pending interrupts above @new_irql run first
 * (highest first), then, when @new_irql < DISPATCH_LEVEL, the DPC queue.
 * Preemption point.
 * Bug check 0xA IRQL_NOT_LESS_OR_EQUAL if @new_irql is above the current IRQL.
 */
static inline void ke_irql_lower(ke_irql_t new_irql)
{
	struct ke_irql_state *s = ke_tls_irql;

	if (__builtin_expect(!s || (atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) &
				    KE_SLOW_FAST_PATHS),
			     0)) {
		ke_irql_lower_slow(new_irql);
		return;
	}
	if (__builtin_expect(new_irql > atomic_load_explicit(&s->irql, memory_order_relaxed), 0)) {
		ke_irql_lower_slow(new_irql);
		return;
	}
	atomic_store_explicit(&s->irql, new_irql, memory_order_relaxed);
	if (new_irql < KE_DISPATCH_LEVEL)
		ke_irql_note_below_dispatch(s);
	atomic_signal_fence(memory_order_seq_cst);
	if (__builtin_expect(ke_pending_above(s, new_irql), 0))
		ke_irql_deliver_pending();
}

/* -------------------------------------------------------------- spin locks */

/*
 * A spin lock. @owner is the vCPU number + 1 of the holder (0: free), so a
 * recursive acquire and a release by a non-owner are detected.
 */
struct ke_spinlock {
	atomic_uint owner;
};

#define KE_SPINLOCK_INIT \
	{                \
		0        \
	}

static inline void ke_spin_init(struct ke_spinlock *l)
{
	atomic_init(&l->owner, 0);
}

/**
 * ke_spin_acquire() - Raise to DISPATCH_LEVEL and take @l.
 * Context: IRQL <= DISPATCH_LEVEL (else bug check 0x9). Spins are preemption points.
 * Return: the IRQL to hand back to ke_spin_release().
 */
ke_irql_t ke_spin_acquire(struct ke_spinlock *l);

/** ke_spin_release() - Release @l and lower to @old. Context: DISPATCH_LEVEL, holding @l. */
void ke_spin_release(struct ke_spinlock *l, ke_irql_t old_irql);

/** ke_spin_acquire_at_dpc() - Take @l without changing IRQL. Context: DISPATCH_LEVEL exactly (else 0x8). */
void ke_spin_acquire_at_dpc(struct ke_spinlock *l);
void ke_spin_release_at_dpc(struct ke_spinlock *l);

/*
 * Lock identity of this thread: vCPU number + 1 on a vCPU, a number above
 * every vCPU's on a host thread (assigned on first use).
 */
extern __thread unsigned ke_tls_lock_id __attribute__((tls_model("initial-exec")));
unsigned ke_lock_id_slow(void);
void ke_spin_acquire_raw_slow(struct ke_spinlock *l, unsigned me);
void ke_spin_release_raw_slow(struct ke_spinlock *l, unsigned me);
bool ke_spin_try_raw(struct ke_spinlock *l);

static inline unsigned ke_lock_id(void)
{
	unsigned id = ke_tls_lock_id;

	return __builtin_expect(id != 0, 1) ? id : ke_lock_id_slow();
}

/**
 * ke_spin_acquire_raw() / ke_spin_release_raw() - Take or release @l at the
 * current IRQL.
 * Context: the caller has already raised to the lock's IRQL (interrupt locks
 * at DIRQL). The uncontended path is one compare-and-swap; contention,
 * recursion (bug check 0xF), a release by a non-owner (bug check 0x10) and
 * hook subscribers take the out-of-line path.
 */
static inline void ke_spin_acquire_raw(struct ke_spinlock *l)
{
	unsigned me = ke_lock_id(), expected = 0;

	if (__builtin_expect(!(atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) &
			       KE_SLOW_FAST_PATHS) &&
				 atomic_compare_exchange_strong_explicit(&l->owner, &expected, me,
									 memory_order_acquire,
									 memory_order_relaxed),
			     1))
		return;
	ke_spin_acquire_raw_slow(l, me);
}

static inline void ke_spin_release_raw(struct ke_spinlock *l)
{
	unsigned me = ke_lock_id();

	if (__builtin_expect(!(atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) &
			       KE_SLOW_FAST_PATHS) &&
				 atomic_load_explicit(&l->owner, memory_order_relaxed) == me,
			     1)) {
		atomic_store_explicit(&l->owner, 0, memory_order_release);
		return;
	}
	ke_spin_release_raw_slow(l, me);
}

static inline bool ke_spin_is_held(const struct ke_spinlock *l)
{
	return atomic_load_explicit(&l->owner, memory_order_relaxed) != 0;
}

/* ------------------------------------------------------- interrupt objects */

struct ke_interrupt;

/*
 * An interrupt service routine: runs at the object's IRQL holding its lock.
 * Return: true if it claimed the interrupt (a shared vector stops there).
 */
typedef bool ke_isr_fn(struct ke_interrupt *intr, void *ctx);

/*
 * Called by ke after every service routine of @vector has run on a vCPU, at
 * the vector's IRQL, with no interrupt lock held: the interrupt controller's
 * end-of-interrupt (a level-triggered line still asserted is requested again).
 */
typedef void ke_eoi_fn(struct ke_machine *m, unsigned vector, unsigned vcpu, void *ctx);

/*
 * Lock key: (c) constant while connected  (a) atomic  (L) the machine's vector lock
 */
/*
 * Duration histogram in the buckets of xperf's DPC/ISR report: bucket 0 holds
 * [0, 1) µs, bucket b >= 1 holds [2^(b-1), 2^b) µs, the last everything above.
 * Written with relaxed atomic adds (any vCPU), read with relaxed loads.
 */
#define KE_US_BUCKETS 24

struct ke_us_hist {
	atomic_ulong bucket[KE_US_BUCKETS];
};

/** ke_us_bucket() - The bucket of a duration of @ns nanoseconds. */
static inline unsigned ke_us_bucket(uint64_t ns)
{
	uint64_t us = ns / 1000;
	unsigned b = us ? 64u - (unsigned)__builtin_clzll(us) : 0;

	return b < KE_US_BUCKETS ? b : KE_US_BUCKETS - 1;
}

static inline void ke_us_hist_add(struct ke_us_hist *h, uint64_t ns)
{
	atomic_fetch_add_explicit(&h->bucket[ke_us_bucket(ns)], 1, memory_order_relaxed);
}

/** ke_us_hist_read() - Copy @h's counts into @out[KE_US_BUCKETS]; Return: their sum. */
uint64_t ke_us_hist_read(const struct ke_us_hist *h, uint64_t *out);

struct ke_interrupt {
	ke_isr_fn *isr;		  /* (c) */
	void *ctx;		  /* (c) */
	uint8_t vector;		  /* (c) level = vector >> 4 */
	ke_irql_t irql;		  /* (c) DIRQL the ISR runs at */
	ke_irql_t sync_irql;	  /* (c) IRQL the lock is taken at (>= irql) */
	struct ke_spinlock *lock; /* (c) own_lock or a lock shared with others */
	struct ke_spinlock own_lock;
	uint64_t affinity;	   /* (c) vCPUs it may be delivered to */
	atomic_uint in_service;	   /* (a) ISRs running now, all vCPUs */
	atomic_bool connected;	   /* (a) */
	atomic_ulong count;	   /* (a) times its ISR was called */
	atomic_ulong claimed;	   /* (a) times its ISR returned true */
	struct ke_interrupt *next; /* (L) chain of objects sharing the vector */
	/* While ke_machine_time_routines() is on: how long this object's ISR ran,
	 * and the DPCs it queued (a DPC queued from this ISR is charged here). */
	struct ke_us_hist isr_us, dpc_us; /* (a) */
};

/**
 * ke_interrupt_init() - Prepare @intr for @vector with its own lock.
 * @shared_lock: NULL for a private lock, else a lock shared with other objects
 *	(then @sync_irql must be the highest IRQL of all of them).
 * Return: 0, or -EINVAL if @vector is not a device vector (levels 3..12).
 */
int ke_interrupt_init(struct ke_interrupt *intr, ke_isr_fn *isr, void *ctx, unsigned vector,
		      struct ke_spinlock *shared_lock, ke_irql_t sync_irql, uint64_t affinity);

/**
 * ke_interrupt_connect() - Chain @intr on its vector; its ISR may run at once.
 * Context: host thread or PASSIVE_LEVEL.
 */
int ke_interrupt_connect(struct ke_machine *m, struct ke_interrupt *intr);

/**
 * ke_interrupt_disconnect() - Unchain @intr and wait until no vCPU runs its ISR.
 * Context: host thread or PASSIVE_LEVEL. After return the ISR is never called again.
 */
void ke_interrupt_disconnect(struct ke_machine *m, struct ke_interrupt *intr);

/**
 * ke_vector_alloc() - Reserve a free vector at @irql. Return: vector, or -ENOSPC.
 * ke_vector_free() releases it.
 */
int ke_vector_alloc(struct ke_machine *m, ke_irql_t irql);
void ke_vector_free(struct ke_machine *m, unsigned vector);

/** ke_vector_set_eoi() - Install the end-of-interrupt callback of @vector (NULL: none). */
void ke_vector_set_eoi(struct ke_machine *m, unsigned vector, ke_eoi_fn *fn, void *ctx);

/**
 * ke_interrupt_request() - Request @vector on vCPU @n: the hardware side.
 * Context: any thread, any IRQL; async-signal-safe. Sets the vCPU's pending
 * bit; notifies it (signal or futex wake) only if the vector's level is above
 * its IRQL and no notification is outstanding. Several requests while pending
 * are one interrupt (edge semantics, like a posted interrupt).
 * Return: true if @vector was already pending: this request merged into it.
 */
bool ke_interrupt_request(struct ke_machine *m, unsigned n, unsigned vector);

/**
 * ke_interrupt_latency_ns() - In an ISR (or its isr_enter hook): engine-clock
 * time from the request of the interrupt being serviced to its delivery here.
 * For a burst of requests that coalesced, measured from the first.
 * Context: DIRQL, on the vCPU servicing the interrupt.
 */
uint64_t ke_interrupt_latency_ns(void);

/**
 * ke_synchronize_execution() - KeSynchronizeExecution: run @fn(@ctx) at the
 * interrupt's sync IRQL holding its lock, then restore the caller's IRQL.
 * Context: IRQL <= @intr->sync_irql (else bug check 0x9).
 * Return: what @fn returned, unchanged.
 */
bool ke_synchronize_execution(struct ke_interrupt *intr, bool (*fn)(void *ctx), void *ctx);

/* -------------------------------------------------------------------- DPCs */

struct ke_dpc;
typedef void ke_dpc_fn(struct ke_dpc *dpc, void *ctx, void *arg1, void *arg2);

enum ke_dpc_importance {
	KE_DPC_LOW = 0,
	KE_DPC_MEDIUM = 1,
	KE_DPC_HIGH = 2,
	KE_DPC_MEDIUM_HIGH = 3,
};

#define KE_DPC_TARGET_CURRENT (-1)

/*
 * Lock key: (c) constant while queued  (Q) target vCPU's DPC lock  (a) atomic
 */
struct ke_dpc {
	ke_dpc_fn *routine;	    /* (c) */
	void *ctx;		    /* (c) */
	void *arg1, *arg2;	    /* (Q) set at queue time */
	int target;		    /* (c) vCPU number or KE_DPC_TARGET_CURRENT */
	uint8_t importance;	    /* (c) enum ke_dpc_importance */
	atomic_int queued_on;	    /* (a) vCPU number + 1 while queued, 0 otherwise */
	struct ke_dpc *next, *prev; /* (Q) */
	/* (a) the interrupt whose ISR queued it last (NULL: never from an ISR) */
	_Atomic(struct ke_interrupt *) origin;
};

void ke_dpc_init(struct ke_dpc *dpc, ke_dpc_fn *routine, void *ctx);
void ke_dpc_set_target(struct ke_dpc *dpc, int vcpu);
void ke_dpc_set_importance(struct ke_dpc *dpc, enum ke_dpc_importance imp);

/**
 * ke_dpc_queue() - Queue @dpc on its target vCPU (KeInsertQueueDpc).
 * Context: any thread, any IRQL. From a host thread a CURRENT target means vCPU 0.
 * Return: true if queued; false if it was already queued (nothing changes).
 */
bool ke_dpc_queue(struct ke_machine *m, struct ke_dpc *dpc, void *arg1, void *arg2);

/** ke_dpc_remove() - Dequeue @dpc if queued (KeRemoveQueueDpc). Return: true if it was queued. */
bool ke_dpc_remove(struct ke_machine *m, struct ke_dpc *dpc);

static inline bool ke_dpc_is_queued(const struct ke_dpc *dpc)
{
	return atomic_load_explicit(&dpc->queued_on, memory_order_acquire) != 0;
}

/* ------------------------------------------------------------------- clock */

/** ke_clock_ns() - The engine clock in nanoseconds. Context: any. */
uint64_t ke_clock_ns(struct ke_machine *m);

/*
 * Host timers: device-side events at a time on the engine clock (ITR
 * throttling, link timers, paced traffic). The callback runs on the machine's
 * timer thread (a host thread, not a vCPU), never concurrently with itself.
 * The sim engine will fire them in virtual time; code above ke/ never sleeps
 * on the host clock.
 */
struct ke_host_timer;
typedef void ke_host_timer_fn(struct ke_host_timer *t, void *ctx);

struct ke_host_timer {
	ke_host_timer_fn *fn;	    /* (c) */
	void *ctx;		    /* (c) */
	uint64_t deadline;	    /* (T) machine timer lock */
	bool armed;		    /* (T) */
	struct ke_host_timer *next; /* (T) */
};

void ke_host_timer_init(struct ke_host_timer *t, ke_host_timer_fn *fn, void *ctx);

/**
 * ke_host_timer_arm() - Fire @t at @deadline_ns (engine clock); re-arming moves it.
 * Context: any thread; async-signal-safe.
 */
void ke_host_timer_arm(struct ke_machine *m, struct ke_host_timer *t, uint64_t deadline_ns);

/**
 * ke_host_timer_cancel() - Disarm @t. Return: true if it was armed.
 * After return its callback is not running and will not run (unless re-armed).
 * Context: any thread except the timer callback of @t itself.
 */
bool ke_host_timer_cancel(struct ke_machine *m, struct ke_host_timer *t);

/* --------------------------------------------------------------- bug check */

#define KE_BUGCHECK_MAX_FRAMES 32

struct ke_bugcheck_report {
	uint32_t code;
	uintptr_t param[4];
	int vcpu; /* -1: a host thread */
	ke_irql_t irql;
	const char *what; /* one line: what went wrong and what to do */
	void *frames[KE_BUGCHECK_MAX_FRAMES];
	int nr_frames;
};

/*
 * Called once, on the thread that bug-checked, after the report is filled in.
 * It must not return to the caller of ke_bugcheck(): the default handler
 * prints the report and ends the process with KE_BUGCHECK_EXIT_STATUS.
 */
typedef void ke_bugcheck_handler(const struct ke_bugcheck_report *r, void *ctx);

#define KE_BUGCHECK_EXIT_STATUS 3

/**
 * ke_bugcheck() - Stop the machine: a rule was broken (KeBugCheckEx).
 * Context: any thread, any IRQL, async-signal-safe.
 */
_Noreturn void ke_bugcheck(uint32_t code, uintptr_t p1, uintptr_t p2, uintptr_t p3, uintptr_t p4,
			   const char *what);

void ke_bugcheck_set_handler(ke_bugcheck_handler *fn, void *ctx);

/** ke_bugcheck_print() - Write @r in the Windows form to @fd (async-signal-safe). */
void ke_bugcheck_print(int fd, const struct ke_bugcheck_report *r);

/**
 * ke_print_chain() - Write @title, then @n return addresses named as a bug
 * check names its call chain (one "  #i  function+0xoff  (module)" line each).
 * Context: any; async-signal-safe. For reports that show more than one chain.
 */
void ke_print_chain(int fd, const char *title, void *const *frames, int n);

/*
 * A non-maskable interrupt: @fn(@ctx) runs on a vCPU on top of whatever it
 * runs, whatever its IRQL (a signal the IRQL does not mask), so that a
 * watchdog can bug-check a stuck vCPU with that vCPU's own call chain, or
 * have it print its chain. @fn must be async-signal-safe.
 */
typedef void ke_nmi_fn(void *ctx);

/**
 * ke_vcpu_nmi() - Run @fn(@ctx) on @v as a non-maskable interrupt.
 * Context: any thread but @v's own; async-signal-safe.
 * Return: 0 once delivery is under way; -EBUSY if an NMI for @v is still
 * outstanding; -EOPNOTSUPP on an engine that cannot interrupt a vCPU
 * (the deterministic engine) or before @v's thread started.
 */
int ke_vcpu_nmi(struct ke_vcpu *v, ke_nmi_fn *fn, void *ctx);

const char *ke_bugcheck_name(uint32_t code);

/* ------------------------------------------------------------ engine seam */

enum ke_preempt_reason {
	KE_PP_DDI_ENTER,
	KE_PP_DDI_EXIT,
	KE_PP_REG_ACCESS,
	KE_PP_SPIN,
	KE_PP_IRQL_CHANGE,
	KE_PP_MEM_ACCESS, /* a load, store or atomic of an instrumented driver (verifier/race.h) */
};

/**
 * ke_preempt_point() - A place where the deterministic engine may switch.
 * Context: any. Costs one predictable branch on the threads engine.
 */
void ke_preempt_point_slow(struct ke_machine *m, enum ke_preempt_reason why);

static inline void ke_preempt_point(enum ke_preempt_reason why)
{
	if (__builtin_expect(
		atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) & KE_SLOW_PREEMPT, 0))
		ke_preempt_point_slow(ke_current_machine(), why);
}

/* -------------------------------------------------------------------- hooks */

/*
 * Hook subscribers: the verifier, the tracer, a test. A machine holds up to
 * KE_HOOKS_MAX of them; every event is offered to each in the order they were
 * added, and a NULL member is skipped. While no machine has a subscriber the
 * slow-path switch (KE_SLOW_HOOKS in ke_slow_flags) is clear, and every hook
 * site costs the one load and predictable branch the inline fast paths of
 * raise, lower and the raw lock operations already pay: nothing leaves the
 * fast path. While any machine has one, every IRQL change and spin-lock
 * operation of every machine takes the out-of-line path.
 *
 * Obligations of a subscriber (docs/ke.md, "Hooks"):
 *  - Each member is called on the thread where the event happens: the vCPU
 *    for everything but interrupt_request, which is called on the requester
 *    (usually a device model's host thread; ke_current() is then NULL).
 *  - Members may run in the vCPU's notification signal handler, at DIRQL or
 *    HIGH_LEVEL, on top of any code of the same thread - a driver, ndisrt, or
 *    another member of this subscriber. They must be async-signal-safe
 *    (atomics, per-vCPU data, no malloc, stdio, mutex or other lock that the
 *    interrupted code may hold), must not block or sleep, and must not take
 *    ke spin locks, raise or lower the IRQL, or request interrupts.
 *  - IRQL changes ke makes itself around an ISR or a DPC drain are not
 *    reported as irql_change: isr_enter/exit and dpc_enter/exit carry them.
 *  - A subscriber added while the machine runs sees events from some moment
 *    on, so it may see an exit without its enter or a release of a lock taken
 *    before; add before the devices start for complete pairs.
 */
struct ke_hooks {
	void *ctx;
	/* vCPU, at @intr->sync_irql, before its lock is taken and its ISR runs. */
	void (*isr_enter)(void *ctx, struct ke_interrupt *intr);
	/* vCPU, at @intr->sync_irql, after the ISR returned and its lock was released. */
	void (*isr_exit)(void *ctx, struct ke_interrupt *intr, bool claimed);
	/* vCPU, at DISPATCH_LEVEL, around each DPC routine. */
	void (*dpc_enter)(void *ctx, struct ke_dpc *dpc);
	void (*dpc_exit)(void *ctx, struct ke_dpc *dpc);
	/* vCPU, after a raise or lower took effect, before what it unmasks runs. */
	void (*irql_change)(void *ctx, ke_irql_t old_irql, ke_irql_t new_irql);
	/* vCPU, once @l is held / just before it is released. */
	void (*lock_acquire)(void *ctx, struct ke_spinlock *l);
	void (*lock_release)(void *ctx, struct ke_spinlock *l);
	/*
	 * vCPU: @l was found held by @owner (its lock identity: vCPU number + 1,
	 * or a host thread's number above KE_MAX_VCPUS) and this vCPU starts
	 * spinning; spin_wait_end once it has the lock, before lock_acquire.
	 * Watchdogs time contended spins between the two.
	 */
	void (*spin_wait_begin)(void *ctx, struct ke_spinlock *l, unsigned owner);
	void (*spin_wait_end)(void *ctx, struct ke_spinlock *l);
	/*
	 * Requester's thread, before @vector becomes pending on vCPU @vcpu (so
	 * before that vCPU's isr_enter). @coalesced: it was already pending, so
	 * this request merges into that interrupt (edge semantics).
	 */
	void (*interrupt_request)(void *ctx, unsigned vector, unsigned vcpu, bool coalesced);
	/*
	 * vCPU, at @intr->sync_irql holding @intr->lock: a synchronize routine
	 * (KeSynchronizeExecution, NdisMSynchronizeWithInterruptEx) is about to
	 * run / has returned. After lock_acquire of the lock, before its release.
	 */
	void (*sync_enter)(void *ctx, struct ke_interrupt *intr);
	void (*sync_exit)(void *ctx, struct ke_interrupt *intr);
	/*
	 * Queuer's thread (a vCPU, or a host thread), after @dpc was put on vCPU
	 * @vcpu's queue (@inserted) or found already queued (!@inserted). Called
	 * at HIGH_LEVEL holding that queue's lock: record, nothing more.
	 */
	void (*dpc_queue)(void *ctx, struct ke_dpc *dpc, unsigned vcpu, bool inserted);
	/*
	 * vCPU, deterministic engine only: the code this vCPU runs has used
	 * @cpu_ns of host CPU time without reaching a preemption point (a loop
	 * over plain memory), so the engine charged that time to the virtual
	 * clock. Called from a signal handler on top of that code: a time-based
	 * check (a watchdog) looks now, since no timer of the schedule can run.
	 */
	void (*stall)(void *ctx, uint64_t cpu_ns);
};

#define KE_HOOKS_MAX 4

/**
 * ke_hooks_add() - Subscribe @h to @m's events, after every subscriber already there.
 * Context: host thread, or PASSIVE_LEVEL on a vCPU; never from a hook. The
 * machine may be running. @h must stay valid until ke_hooks_remove() returns.
 * Return: 0; -EINVAL (NULL), -EEXIST (already subscribed), -ENOSPC (KE_HOOKS_MAX reached).
 */
int ke_hooks_add(struct ke_machine *m, const struct ke_hooks *h);

/**
 * ke_hooks_remove() - Unsubscribe @h; the others keep their order.
 * Context: as ke_hooks_add(). Waits until no thread is still inside one of
 * @m's hook calls, so after return no member of @h runs again.
 * Return: 0, or -ENOENT if @h was not subscribed.
 */
int ke_hooks_remove(struct ke_machine *m, const struct ke_hooks *h);

/** ke_hooks_count() - How many subscribers @m has now. Context: any. */
unsigned ke_hooks_count(struct ke_machine *m);

void ke_sync_routine_hook(struct ke_interrupt *intr, bool enter);

/**
 * ke_sync_routine_enter() / ke_sync_routine_exit() - Report a synchronize
 * routine to the subscribers (sync_enter / sync_exit). ke_synchronize_execution()
 * does it itself; a layer that inlines the same sequence calls these around
 * the routine. One load and a predictable branch with no subscriber.
 * Context: a vCPU, at @intr->sync_irql holding @intr->lock (host threads are
 * not reported).
 */
static inline void ke_sync_routine_enter(struct ke_interrupt *intr)
{
	if (__builtin_expect(
		atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) & KE_HOOK_EVENTS, 0))
		ke_sync_routine_hook(intr, true);
}

static inline void ke_sync_routine_exit(struct ke_interrupt *intr)
{
	if (__builtin_expect(
		atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) & KE_HOOK_EVENTS, 0))
		ke_sync_routine_hook(intr, false);
}

/* --------------------------------------------------------------- statistics */

/*
 * Per-vCPU statistics. Each is written only by its vCPU (thread and signal
 * handler) with relaxed atomic adds on the vCPU's own cache lines, at points
 * that run anyway (delivery, dispatch, the DPC drain); none of them needs a
 * hook or touches the IRQL or spin-lock fast paths. Read them from anywhere;
 * values read while the machine runs are each exact but not a snapshot.
 */
struct ke_vcpu_stats {
	uint64_t interrupts;   /* ISR chains run (one per delivered vector) */
	uint64_t isr_calls;    /* service routines called (several per shared vector) */
	uint64_t isr_claimed;  /* of those, the ones that returned true */
	uint64_t dpcs;	       /* DPC routines run */
	uint64_t signals;      /* notifications taken by signal */
	uint64_t wakeups;      /* notifications taken by futex wake */
	uint64_t spurious;     /* notifications that found nothing to do */
	uint64_t signals_sent; /* notifications sent as a signal (tgkill) */
	uint64_t posted;       /* requests left for the runtime to take, no notification */
};

void ke_vcpu_get_stats(const struct ke_vcpu *v, struct ke_vcpu_stats *out);

/**
 * ke_runtime_enter() - The current vCPU leaves driver code for the runtime.
 *
 * Until the matching ke_runtime_exit(), an interrupt requested for this vCPU
 * is posted without a signal: the runtime takes it at ke_runtime_exit(),
 * before the driver code it returns to runs again (docs/ke.md, "Delivery
 * without a signal"). For DDIs that run long stretches of runtime code (a
 * receive indication); a driver callback made from inside must be bracketed
 * by ke_runtime_exit()/ke_runtime_enter() again.
 * Context: any thread, any IRQL; a no-op on host threads.
 * Return: the previous state, for ke_runtime_exit().
 */
unsigned ke_runtime_enter(void);

/**
 * ke_runtime_exit() - Return to driver code (@prev from ke_runtime_enter()).
 * Takes every interrupt posted meanwhile that the current IRQL unmasks.
 * Context: the thread that called ke_runtime_enter().
 */
void ke_runtime_exit(unsigned prev);

/*
 * Log-linear histogram of nanoseconds: exact below 8 ns, then 8 buckets per
 * power of two (at most 12.5 % wide), up to 2^64 - 1.
 */
#define KE_HIST_BUCKETS 496

struct ke_hist {
	uint64_t n;   /* samples */
	uint64_t max; /* largest sample */
	uint64_t bucket[KE_HIST_BUCKETS];
};

enum ke_vcpu_hist {
	/*
	 * Engine-clock time from ke_interrupt_request() to the moment the
	 * vCPU's delivery loop takes the interrupt (before the ISR's lock):
	 * one sample per delivered device interrupt that has an ISR connected
	 * (docs/performance.md says what it includes). Always on: delivery
	 * reads the clock anyway.
	 */
	KE_HIST_INTERRUPT_LATENCY,
	/* Time each DPC routine ran, only while ke_machine_time_dpcs() is on. */
	KE_HIST_DPC_DURATION,
	/* Time each ISR ran (lock to lock), only while ke_machine_time_routines() is on. */
	KE_HIST_ISR_DURATION,
	KE_NR_VCPU_HISTS,
};

/** ke_vcpu_get_hist() - Copy one of @v's histograms into @out. Context: any. */
void ke_vcpu_get_hist(const struct ke_vcpu *v, enum ke_vcpu_hist which, struct ke_hist *out);

/**
 * ke_machine_time_dpcs() - Time every DPC routine into KE_HIST_DPC_DURATION
 * (two engine-clock reads per DPC, in the out-of-line DPC drain). Off by default.
 * Context: any.
 */
void ke_machine_time_dpcs(struct ke_machine *m, bool on);

/**
 * ke_machine_time_routines() - Time every ISR and DPC routine: as
 * ke_machine_time_dpcs(), and also each ISR (two engine-clock reads around
 * it) into KE_HIST_ISR_DURATION, both into the xperf-style histograms of the
 * vCPU (ke_vcpu_get_us_hist) and of the interrupt object (isr_us, dpc_us).
 * Off by default. Context: any.
 */
void ke_machine_time_routines(struct ke_machine *m, bool on);

enum ke_routine_kind { KE_ROUTINE_ISR, KE_ROUTINE_DPC };

/** ke_vcpu_get_us_hist() - @v's xperf-style histogram of @kind into @out[KE_US_BUCKETS]. */
uint64_t ke_vcpu_get_us_hist(const struct ke_vcpu *v, enum ke_routine_kind kind, uint64_t *out);

/** ke_hist_bucket() - The bucket of @ns. ke_hist_bucket_upper(): largest value it holds. */
static inline unsigned ke_hist_bucket(uint64_t ns)
{
	unsigned log;

	if (ns < 8)
		return (unsigned)ns;
	log = 63u - (unsigned)__builtin_clzll(ns);
	return (log - 2) * 8 + ((unsigned)(ns >> (log - 3)) & 7u);
}

uint64_t ke_hist_bucket_upper(unsigned b);

/** ke_hist_add() - Add one sample to a plain (single-writer) histogram. */
void ke_hist_add(struct ke_hist *h, uint64_t ns);

/** ke_hist_merge() - Add every sample of @from to @into. */
void ke_hist_merge(struct ke_hist *into, const struct ke_hist *from);

/**
 * ke_hist_quantile() - Upper bound of the bucket holding quantile @q (0..1),
 * never above the maximum; 0 when empty.
 */
uint64_t ke_hist_quantile(const struct ke_hist *h, double q);

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_KE_H */
