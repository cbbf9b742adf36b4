/* SPDX-License-Identifier: MIT */
/*
 * verifier/lockdep.h - lock-order validation in the manner of Linux's
 * lockdep: every lock belongs to a class (NDIS spin locks by the call site
 * that allocated them, each interrupt's lock per message, ...), every
 * acquisition made while other classes are held adds "held -> acquired"
 * edges to one dependency graph, and the first edge that closes a cycle is
 * reported with the acquisition chains of both directions — before any
 * deadlock happens, from a run in which none did.
 *
 * A second check works on the IRQL at which each class is held: a class held
 * at a device IRQL (by an ISR or a synchronize routine) and also held below
 * that IRQL can deadlock one vCPU against itself — the interrupt arrives
 * while the lower-IRQL holder has the lock, and its ISR spins forever.
 *
 * The graph is pure bookkeeping: it reports what it finds to its caller,
 * which decides what a finding costs (bug check or warning). Everything is
 * preallocated, so it may be called at any IRQL, in a signal handler
 * included; one internal lock, taken at HIGH_LEVEL, serializes the graph.
 */
#ifndef NDISRT_VERIFIER_LOCKDEP_H
#define NDISRT_VERIFIER_LOCKDEP_H

#include <stdbool.h>
#include <stdint.h>

#include "ke/ke.h"

#define VFY_LD_MAX_CLASSES 1024u
#define VFY_LD_MAX_EDGES 8192u
#define VFY_LD_MAX_HELD 24u   /* per held-lock stack (one per vCPU) */
#define VFY_LD_MAX_STACKS 64u /* vCPUs (and host threads) tracked */
#define VFY_LD_CHAIN 16u      /* return addresses kept per acquisition */

/*
 * Where an acquisition happened: return addresses, innermost first. A full
 * chain (backtrace()) is taken only when something new is learned — a new
 * edge, a new IRQL extreme — so the common acquisition, one already seen,
 * costs a hash lookup and a scan of the held stack. A held lock keeps just
 * the address its acquiring DDI returns to (the driver's own frame).
 */
struct vfy_ld_chain {
	void *pc[VFY_LD_CHAIN];
	unsigned n;
};

struct vfy_ld_class {
	uintptr_t key;		      /* what identifies the class (allocation site, object) */
	const char *name;	      /* static string, for reports */
	ke_irql_t min_held, max_held; /* IRQLs it has been held at */
	struct vfy_ld_chain low_chain, high_chain; /* where min_held / max_held were seen */
	uint32_t first_out; /* first edge leaving this class (index + 1; 0: none) */
};

struct vfy_ld_edge {
	uint16_t from, to;	       /* class indices */
	uint32_t next_out;	       /* next edge leaving @from (index + 1; 0: none) */
	void *held_pc;		       /* where @from was taken */
	struct vfy_ld_chain acq_chain; /* where @to was taken while @from was held */
};

enum vfy_ld_finding {
	VFY_LD_OK = 0,
	VFY_LD_CYCLE,	       /* acquiring closes a cycle in the order graph */
	VFY_LD_IRQL_INVERSION, /* a class held both at a DIRQL and below it */
	VFY_LD_RECURSION,      /* the same lock acquired again by its holder */
	VFY_LD_NOT_HELD,       /* release of a lock this stack does not hold */
	VFY_LD_FULL,	       /* a table is full: the check stops (reported once) */
};

/*
 * What a finding names. For VFY_LD_CYCLE: @held is the class held now and
 * @acquired the class being taken; @this_held_pc/@this_acq are where this
 * acquisition's two locks were taken, @other_held_pc/@other_acq those
 * recorded for the first edge of the existing path from @acquired back to
 * @held (the opposite order).
 * For VFY_LD_IRQL_INVERSION: @held is the class, @this_acq where it is taken
 * now, @other_acq where it was held at the other IRQL; @irql_low/@irql_high.
 * For VFY_LD_RECURSION: @held, @this_acq, and @other_held_pc where the lock
 * was first taken.
 */
struct vfy_ld_report {
	enum vfy_ld_finding what;
	const struct vfy_ld_class *held, *acquired;
	void *this_held_pc, *other_held_pc;
	struct vfy_ld_chain this_acq, other_acq;
	ke_irql_t irql_low, irql_high;
	unsigned path_len; /* edges in the existing opposite path */
};

/* One held lock on a stack. */
struct vfy_ld_held {
	uint16_t cls;
	const void *lock; /* the instance */
	ke_irql_t irql;	  /* the IRQL it is held at */
	void *pc;	  /* where it was taken */
};

/*
 * Lock key: (G) the graph lock, taken at HIGH_LEVEL  (s) the stack's owner
 * only (one vCPU or host thread; an interrupt nests on it, never runs beside it)
 */
struct vfy_lockdep {
	struct ke_spinlock lock;
	unsigned nr_classes, nr_edges;			 /* (G) */
	bool full_reported;				 /* (G) */
	bool cycle_reported, inversion_reported;	 /* (G) report each kind once */
	uint16_t hash[2 * VFY_LD_MAX_CLASSES];		 /* (G) key -> class index + 1 */
	struct vfy_ld_class classes[VFY_LD_MAX_CLASSES]; /* (G) */
	struct vfy_ld_edge edges[VFY_LD_MAX_EDGES];	 /* (G) */
	/* (G) breadth-first search scratch: visit generation, edge that reached, queue */
	uint32_t bfs_gen;
	uint32_t bfs_mark[VFY_LD_MAX_CLASSES];
	uint32_t bfs_via[VFY_LD_MAX_CLASSES];
	uint16_t bfs_queue[VFY_LD_MAX_CLASSES];
	struct {
		unsigned depth;				  /* (s) */
		struct vfy_ld_held held[VFY_LD_MAX_HELD]; /* (s) */
	} stacks[VFY_LD_MAX_STACKS];
};

/** vfy_lockdep_init() - Empty graph. Context: host thread, before any use. */
void vfy_lockdep_init(struct vfy_lockdep *ld);

/**
 * vfy_lockdep_acquire() - @stack (a vCPU number) has taken @lock of class
 * @key at @irql.
 * @name: a static string naming the class (first acquisition names it).
 * @pc: the address the acquiring call returns to (the driver's frame).
 * @r: filled with the finding, if any.
 *
 * Context: any IRQL, async-signal-safe; call after the lock is held.
 * Return: the finding (VFY_LD_OK: nothing wrong). A cycle, an inversion and
 * a full table are each reported once per graph; recursion every time.
 */
enum vfy_ld_finding vfy_lockdep_acquire(struct vfy_lockdep *ld, unsigned stack, uintptr_t key,
					const char *name, const void *lock, ke_irql_t irql,
					void *pc, struct vfy_ld_report *r);

/**
 * vfy_lockdep_release() - @stack released @lock (in any order).
 * Return: VFY_LD_NOT_HELD if @stack did not hold it, else VFY_LD_OK.
 */
enum vfy_ld_finding vfy_lockdep_release(struct vfy_lockdep *ld, unsigned stack, const void *lock);

/** vfy_lockdep_depth() - How many locks @stack holds now (for "returned holding a lock"). */
unsigned vfy_lockdep_depth(const struct vfy_lockdep *ld, unsigned stack);

/** vfy_lockdep_held() - The @i-th lock @stack holds, oldest first; NULL past the end. */
const struct vfy_ld_held *vfy_lockdep_held(const struct vfy_lockdep *ld, unsigned stack,
					   unsigned i);

/** vfy_lockdep_class_of() - The class of a held entry. */
const struct vfy_ld_class *vfy_lockdep_class_of(const struct vfy_lockdep *ld,
						const struct vfy_ld_held *h);

#endif /* NDISRT_VERIFIER_LOCKDEP_H */
