/* SPDX-License-Identifier: MIT */
/*
 * ke/internal.h - private to ke/: the vCPU and machine structures and the
 * engine seam.
 */
#ifndef NDISRT_KE_INTERNAL
#error "ke/internal.h is private to ke/: include ke/ke.h instead"
#endif
#ifndef NDISRT_KE_INTERNAL_H
#define NDISRT_KE_INTERNAL_H

#include "ke/ke.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/*
 * Lock order (outermost first). The verifier's lock-order check uses the same
 * list.
 *   1. interrupt locks (ke_interrupt.lock), taken at the interrupt's sync IRQL
 *   2. m->vector_lock, m->timer_lock  (at HIGH_LEVEL)
 *   3. vcpu->dpc_lock                  (at HIGH_LEVEL)
 * Device-model locks (hw/) are leaves taken at HIGH_LEVEL; nothing is called
 * with one held except ke_interrupt_request(), which takes no lock.
 */

/*
 * The engine seam. Obligations of an implementation:
 *  - start: every vCPU runs ke_vcpu_loop() in its own context before start returns.
 *  - notify: the vCPU will run ke_vcpu_deliver() "soon" (preempting what it runs
 *    below the pending level). Called at most once per outstanding notification.
 *  - idle: block the vCPU until notify or a wake; may return spuriously.
 *  - clock_ns: monotonic, shared by every vCPU and host timer.
 *  - preempt_point: only called when ke_engine_wants_preempt_points is set.
 *  - timer_kick: the earliest host-timer deadline may have moved.
 *  - deterministic: every vCPU and host timer runs on the host thread that
 *    created the machine (sim); devices then start no threads of their own.
 *  - host_yield (NULL for threads): a host thread waits for the machine; let
 *    it make progress (run vCPUs, fire timers, advance virtual time). Host
 *    waits in ke/ (ke_work_wait, ke_machine_quiesce) call it instead of
 *    sleeping.
 */
struct ke_engine_ops {
	const char *name;
	bool wants_preempt_points; /* sets KE_SLOW_PREEMPT while it runs */
	bool deterministic;	   /* single host thread, virtual time */
	int (*start)(struct ke_machine *m);
	void (*stop)(struct ke_machine *m);
	uint64_t (*clock_ns)(struct ke_machine *m);
	void (*preempt_point)(struct ke_machine *m, enum ke_preempt_reason why);
	void (*notify)(struct ke_machine *m, struct ke_vcpu *v);
	void (*wake)(struct ke_machine *m, struct ke_vcpu *v);
	void (*idle)(struct ke_machine *m, struct ke_vcpu *v, unsigned seen_seq);
	void (*timer_kick)(struct ke_machine *m);
	void (*host_yield)(struct ke_machine *m);
	/* The vCPU takes requests it finds at its runtime checkpoints (in_rt):
	 * ke_vcpu_request() may skip @notify while in_rt is set. */
	bool posts_in_runtime;
};

extern const struct ke_engine_ops ke_threads_engine;

enum { KE_VCPU_RUNNING = 0, KE_VCPU_IDLE = 1 };

/* A histogram its one writer (a vCPU, nested in its signal handler) adds to
 * with one relaxed atomic add; readers copy it (ke_vcpu_get_hist). */
struct ke_hist_live {
	atomic_ullong max;
	atomic_ullong bucket[KE_HIST_BUCKETS];
};

static inline void ke_hist_live_add(struct ke_hist_live *h, uint64_t ns)
{
	unsigned long long max = atomic_load_explicit(&h->max, memory_order_relaxed);

	atomic_fetch_add_explicit(&h->bucket[ke_hist_bucket(ns)], 1, memory_order_relaxed);
	/* A nested handler of the same thread may raise max between our load
	 * and store: compare-and-swap, which on one writer almost never fails. */
	while (ns > max && !atomic_compare_exchange_weak_explicit(
			       &h->max, &max, ns, memory_order_relaxed, memory_order_relaxed))
		;
}

/* The subscribers of a machine, in order; published whole (see hooks.c). */
struct ke_hook_set {
	unsigned n;
	const struct ke_hooks *h[KE_HOOKS_MAX];
};

/*
 * Lock key: (c) constant after create  (v) owning vCPU only  (a) atomic
 *           (Q) dpc_lock at HIGH_LEVEL
 */
struct ke_vcpu {
	struct ke_machine *m; /* (c) */
	unsigned number;      /* (c) */
	pthread_t thread;     /* (c) */
	atomic_int tid;	      /* (c) once started */
	/*
	 * The IRQL is local: only the owner and its signal handler read it,
	 * with relaxed accesses ordered by signal fences. Remote requesters
	 * read @pub_irql instead, which ke_vcpu_deliver() raises while it runs
	 * an ISR or drains DPCs and restores with a seq_cst store before it
	 * rescans: a requester that sees the raised value may skip notifying,
	 * because that rescan is then sure to see its bit (store->load pairing
	 * with the seq_cst bit set in ke_vcpu_request()). A thread-context raise
	 * is never published, so a remote request during it is notified; the
	 * handler leaves the bit pending and the owner's own lower finds it.
	 */
	struct ke_irql_state st;    /* (v) irql; (a) pending */
	_Atomic ke_irql_t pub_irql; /* (v) written, (a) read */
	atomic_uint notify;	    /* (a) 1 while a notification is outstanding */
	/*
	 * 1 while the vCPU runs runtime code that checks for pending work
	 * before it returns to driver code (the vCPU loop between work items,
	 * a DDI between ke_runtime_enter/exit): a remote requester then only
	 * posts its bit. The owner clears it (seq_cst) and then rescans before
	 * driver code runs; a requester sets its bit (seq_cst) and then reads
	 * it. Whoever comes second sees the other (store->load pairing).
	 */
	atomic_uint in_rt;		       /* (v) written, (a) read */
	atomic_uint state;		       /* (a) KE_VCPU_RUNNING / KE_VCPU_IDLE */
	atomic_uint wake_seq;		       /* (a) futex word for idle waits */
	_Atomic(struct ke_work *) work_in;     /* (a) LIFO of posted work */
	struct ke_work *work_head, *work_tail; /* (v) FIFO being run */
	atomic_bool busy;		       /* (a) running a work item */
	struct ke_spinlock dpc_lock;
	struct ke_dpc *dpc_head, *dpc_tail; /* (Q) */
	atomic_uint dpc_depth;		    /* (Q) written, (a) read */
	struct ke_dpc *current_dpc;	    /* (v) */
	/* Engine-clock time each device vector was requested (first of a burst). */
	atomic_ullong req_ns[KE_NR_VECTORS]; /* (a) */
	uint64_t cur_latency_ns;	     /* (v) of the vector being delivered */
	unsigned nesting;		     /* (v) interrupt nesting depth */
	/* Statistics: written by the owner, read by anyone (relaxed). */
	atomic_ulong st_interrupts, st_isr_calls, st_isr_claimed, st_dpcs;
	atomic_ulong st_signals, st_wakeups, st_spurious;
	atomic_ulong st_signals_sent, st_posted;    /* (a) written by requesters */
	struct ke_hist_live hist[KE_NR_VCPU_HISTS]; /* (v) written, (a) read */
	struct ke_us_hist us[2];		    /* (v) written, (a) read: ISR, DPC */
	struct ke_interrupt *cur_isr;		    /* (v) the ISR running (nests) */
	/* Hook calls in progress on this thread (nested in its signal handler
	 * too); ke_hooks_add/remove wait for 0 before reusing a set. */
	atomic_uint hook_readers; /* (v) written, (a) read */
};

/*
 * Lock key: (c) constant after create  (L) vector_lock  (T) timer_lock  (a) atomic
 */
struct ke_machine {
	unsigned nr_vcpus;		     /* (c) */
	const struct ke_engine_ops *engine;  /* (c) */
	void *engine_data;		     /* (c) owned by the engine */
	bool no_pin;			     /* (c) */
	struct ke_vcpu *vcpus[KE_MAX_VCPUS]; /* (c) */
	atomic_bool stopping;		     /* (a) */
	struct ke_spinlock vector_lock;
	uint64_t vector_used[KE_NR_VECTORS / 64];	       /* (L) */
	_Atomic(struct ke_interrupt *) vectors[KE_NR_VECTORS]; /* (L) written, (a) read */
	atomic_uint vector_active[KE_NR_VECTORS];	       /* (a) vCPUs walking the chain */
	ke_eoi_fn *eoi_fn[KE_NR_VECTORS];		       /* (L) */
	void *eoi_ctx[KE_NR_VECTORS];			       /* (L) */
	/* Hooks: @hooks points at one of @hook_sets, the other is free once
	 * every reader left it (hooks.c). (H) hook_mutex, host side only. */
	_Atomic(const struct ke_hook_set *) hooks; /* (H) written, (a) read */
	struct ke_hook_set hook_sets[2];	   /* (H) */
	pthread_mutex_t hook_mutex;
	atomic_uint hook_host_readers; /* (a) hook calls on non-vCPU threads */
	atomic_bool time_dpcs;	       /* (a) ke_machine_time_dpcs() */
	atomic_bool time_isrs;	       /* (a) ke_machine_time_routines() */
	struct ke_spinlock timer_lock;
	struct ke_host_timer *timers;		       /* (T) sorted by deadline */
	_Atomic(struct ke_host_timer *) timer_running; /* (a) callback in progress */
	atomic_uint timer_seq;			       /* (a) futex word of the timer thread */
};

/* The vCPU this thread is (NULL on host threads). */
extern __thread struct ke_vcpu *ke_self __attribute__((tls_model("initial-exec")));

void ke_vcpu_loop(struct ke_vcpu *v);
void ke_vcpu_runtime_exit(struct ke_vcpu *v);
void ke_vcpu_deliver(struct ke_vcpu *v);
bool ke_vcpu_request(struct ke_vcpu *v, unsigned vector);
bool ke_vcpu_has_work(struct ke_vcpu *v);
int ke_vcpu_highest_pending(struct ke_vcpu *v, ke_irql_t above);
void ke_dispatch_vector(struct ke_vcpu *v, unsigned vector);
void ke_dpc_drain(struct ke_vcpu *v);
void ke_timers_run(struct ke_machine *m);
/* The machine of a deterministic engine, if one exists (at most one). */
struct ke_machine *ke_deterministic_machine(void);
uint64_t ke_timers_next_deadline(struct ke_machine *m);

/* Set the owner's IRQL without checks or delivery (ke/ internal use). */
static inline void ke_irql_set_raw(struct ke_vcpu *v, ke_irql_t irql)
{
	atomic_store_explicit(&v->st.irql, irql, memory_order_relaxed);
	if (irql < KE_DISPATCH_LEVEL)
		ke_irql_note_below_dispatch(&v->st);
	atomic_signal_fence(memory_order_seq_cst);
}

/* Is any subscriber installed on any machine? One load, predictable branch. */
static inline bool ke_hooks_on(void)
{
	return __builtin_expect(
	    atomic_load_explicit(&ke_slow_flags, memory_order_relaxed) & KE_HOOK_EVENTS, 0);
}

/*
 * ke/hooks.c: offer one event to every subscriber of @m, in order. Call only
 * when ke_hooks_on(). @v is the current vCPU (NULL: a host thread).
 */
void ke_hook_isr_enter(struct ke_vcpu *v, struct ke_interrupt *intr);
void ke_hook_isr_exit(struct ke_vcpu *v, struct ke_interrupt *intr, bool claimed);
void ke_hook_dpc_enter(struct ke_vcpu *v, struct ke_dpc *dpc);
void ke_hook_dpc_exit(struct ke_vcpu *v, struct ke_dpc *dpc);
void ke_hook_irql_change(struct ke_vcpu *v, ke_irql_t old_irql, ke_irql_t new_irql);
void ke_hook_lock(struct ke_vcpu *v, struct ke_spinlock *l, bool acquire);
void ke_hook_spin_wait(struct ke_vcpu *v, struct ke_spinlock *l, unsigned owner, bool begin);
void ke_hook_dpc_queue(struct ke_vcpu *v, struct ke_machine *m, struct ke_dpc *dpc, unsigned vcpu,
		       bool inserted);
void ke_hook_interrupt_request(struct ke_machine *m, unsigned vector, unsigned vcpu,
			       bool coalesced);
void ke_hook_stall(struct ke_vcpu *v, uint64_t cpu_ns);
void ke_hooks_init(struct ke_machine *m);
void ke_hooks_fini(struct ke_machine *m);

/*
 * ke/watchdog.c: a deterministic machine's vCPU stalled (see ke_hooks.stall):
 * bug-check the host phase being waited for if its deadline has passed.
 * Context: the stalled vCPU, in the engine's stall signal handler.
 */
void ke_phase_stall_check(struct ke_machine *m);

static inline ke_irql_t ke_vcpu_irql(struct ke_vcpu *v)
{
	return atomic_load_explicit(&v->st.irql, memory_order_relaxed);
}

/* futex(2) on a 32-bit atomic word; async-signal-safe. @timeout_ns 0: none. */
static inline void ke_futex_wait(atomic_uint *addr, unsigned val, uint64_t timeout_ns)
{
	struct timespec ts = {(time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u)};

	/* The kernel sees the word, not C11's _Atomic: strip the qualifier through an integer. */
	syscall(SYS_futex, (unsigned *)(uintptr_t)addr, FUTEX_WAIT_PRIVATE, val,
		timeout_ns ? &ts : NULL, NULL, 0);
}

static inline void ke_futex_wake(atomic_uint *addr, int n)
{
	syscall(SYS_futex, (unsigned *)(uintptr_t)addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

static inline void ke_futex_wake_all(atomic_uint *addr)
{
	ke_futex_wake(addr, 0x7fffffff);
}

#define KE_CALLER() ((uintptr_t)__builtin_return_address(0))

/* ke/symbolize.c: name a code address (async-signal-safe but for dladdr). */
void ke_symbolize(const void *pc,
		  void (*emit)(void *ctx, const char *module, const char *name, uint64_t off),
		  void *ctx);

#endif /* NDISRT_KE_INTERNAL_H */
