/* SPDX-License-Identifier: MIT */
/*
 * ke/sim/sim.h - the deterministic engine ("sim"): every vCPU is a coroutine
 * on the host thread that created the machine, time is virtual, and every
 * preemption point asks a seeded scheduler what happens next.
 *
 * Use: fill a struct ke_sim_config, ke_sim_configure() it, then create the
 * machine with .engine = ke_sim_engine(). One sim machine at a time per
 * process. docs/sim.md describes the design and the determinism guarantee.
 */
#ifndef NDISRT_KE_SIM_H
#define NDISRT_KE_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "ke/ke.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the scheduler departs from its default (round-robin, fixed slice) policy. */
enum ke_sim_strategy {
	KE_SIM_STRATEGY_DEFAULT = 0, /* no departure: the seed is unused */
	KE_SIM_STRATEGY_RANDOM,	     /* random walk drawn from the seed */
	KE_SIM_STRATEGY_SWEEP,	/* injections at eligible point @sweep_point (and @sweep_more) */
	KE_SIM_STRATEGY_PCT,	/* PCT with @pct_depth, change points from the seed */
	KE_SIM_STRATEGY_REPLAY, /* exactly the deviations in @replay */
};

/* At most this many injection points in one sweep:K1,K2,... schedule. */
#define KE_SIM_MAX_SWEEP 4

/* The kinds of decision, and their values. */
enum ke_sim_kind {
	KE_SIM_KIND_POINT = 0, /* at a preemption point of a running vCPU */
	KE_SIM_KIND_PICK = 1,  /* in the scheduler: which vCPU runs next */
};

enum {
	KE_SIM_CONTINUE = 0, /* POINT: keep running this vCPU */
	KE_SIM_SWITCH = 1,   /* POINT: give the host thread back to the scheduler */
	KE_SIM_INJECT = 2,   /* POINT: fire the next device event now, then continue */
	KE_SIM_POINT_CHOICES = 3,
};

/*
 * One decision that differs from the default policy: decision number @index
 * of the run took @value. A replay finds the decision by its anchor, which
 * survives the removal of other deviations better than @index: a POINT is
 * the @local-th point decision of vCPU @vcpu, a PICK the @local-th pick. A
 * schedule is the default policy plus a list of these, sorted by index.
 */
struct ke_sim_deviation {
	uint64_t index;
	uint32_t kind; /* enum ke_sim_kind */
	uint32_t value;
	uint32_t vcpu;	/* POINT: the vCPU; PICK: 0 */
	uint32_t zero;	/* always 0: no hidden padding, so two logs compare byte for byte */
	uint64_t local; /* POINT: the vCPU's point decisions before it; PICK: picks before it */
};

struct ke_sim_config {
	uint64_t seed;
	enum ke_sim_strategy strategy;
	uint64_t sweep_point; /* SWEEP: the eligible point (0-based) that injects */
	/* SWEEP: further injection points, each above the one before (exhaustive) */
	uint64_t sweep_more[KE_SIM_MAX_SWEEP - 1];
	unsigned nr_sweep_more;
	unsigned pct_depth;		       /* PCT: d >= 1 */
	uint64_t pct_horizon;		       /* PCT: decisions the change points are drawn from */
	const struct ke_sim_deviation *replay; /* REPLAY: sorted by index */
	size_t nr_replay;
	int log_fd; /* >= 0: write each deviation here as it is taken */
};

void ke_sim_config_init(struct ke_sim_config *c);

/**
 * ke_sim_configure() - Set the schedule of the next sim machine created.
 * Context: host thread, no sim machine running. The replay array is copied.
 * Return: 0, or -EINVAL (bad strategy parameters), -ENOMEM.
 */
int ke_sim_configure(const struct ke_sim_config *c);

/** ke_sim_engine() - The engine ops to put in ke_machine_config.engine. */
const struct ke_engine_ops *ke_sim_engine(void);

/* What a run did; identical for identical (build, config, inputs). */
struct ke_sim_stats {
	uint64_t decisions;  /* decisions taken (POINT and PICK) */
	uint64_t deviations; /* of which departed from the default policy */
	uint64_t digest;     /* hash of every decision and forced event, in order */
	uint64_t points;     /* preemption points reached on vCPUs */
	uint64_t eligible;   /* of which below DIRQL (sweep's injection sites) */
	uint64_t switches;   /* coroutine switches */
	uint64_t injections; /* device events fired early by INJECT */
	uint64_t timers;     /* host-timer callbacks run */
	uint64_t clock_ns;   /* virtual time at the end */
};

/** ke_sim_stats_get() - Statistics of the running or the last sim machine. */
void ke_sim_stats_get(struct ke_sim_stats *out);

/**
 * ke_sim_deviations() - The deviations the running or last sim run took.
 * Return: the number; *@out points to an array owned by ke/sim valid until the
 * next machine is created.
 */
size_t ke_sim_deviations(const struct ke_sim_deviation **out);

/**
 * ke_sim_vcpu_stack() - The stack of vCPU @vcpu's coroutine in the running
 * sim machine: [*@lo, *@lo + *@size). The race detector leaves these alone
 * (an ISR and a DPC reuse the stack of the code they interrupt).
 * Context: the sim machine's host thread. Return: 0, or -ENOENT.
 */
int ke_sim_vcpu_stack(unsigned vcpu, const void **lo, size_t *size);

/** ke_sim_strategy_name() - "default", "random", "sweep", "pct", "replay". */
const char *ke_sim_strategy_name(enum ke_sim_strategy s);

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_KE_SIM_H */
