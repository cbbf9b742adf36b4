/* SPDX-License-Identifier: MIT */
/*
 * ke/sim/engine.c - the deterministic engine behind the engine seam.
 *
 * Every vCPU is a coroutine (ke/sim/fiber.c) on the host thread that created
 * the machine; that thread's own stack is the scheduler. Nothing runs
 * concurrently: a vCPU runs until it reaches a preemption point whose
 * decision says to switch, blocks in idle, or spins; then the scheduler fires
 * the host timers that are due on the virtual clock, picks the next vCPU and
 * resumes it. Host code that waits for the machine (ke_work_wait,
 * ke_machine_quiesce, any sched_yield() polling loop on the owning thread)
 * runs one scheduler step per wait.
 *
 * Interrupts are delivered synchronously: a vCPU that resumes with a vector
 * pending above its IRQL takes it before anything else (exactly what the
 * threads engine's signal handler does, at the same kind of place), and a
 * vector a vCPU requests for itself is taken at once by ke/irql.c. A raised,
 * unmasked interrupt is therefore never held back past the next instruction
 * boundary of its target: every schedule explored is one hardware can
 * produce.
 *
 * Decisions. At a preemption point (below HIGH_LEVEL, not a spin) the
 * strategy chooses CONTINUE, SWITCH or INJECT (fire the next device event
 * now, then continue: its interrupt lands exactly here). In the scheduler,
 * when two or more vCPUs could run (or one could and a timer is armed), it
 * chooses which (or to fire the timer early). A decision equal to the
 * default policy's (round robin, SIM_SLICE points per turn, timers when due)
 * is not a deviation; the others are logged, and a run is reproduced from
 * its list of deviations alone (KE_SIM_STRATEGY_REPLAY).
 *
 * Lock key: everything in struct sim is (h): touched only by the owning host
 * thread, in the scheduler or in a coroutine it resumed.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"
#include "ke/sim/fiber.h"
#include "ke/sim/sim.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef SIM_ASAN
#define SIM_STACK_SIZE (1024u * 1024u)
#else
#define SIM_STACK_SIZE (512u * 1024u)
#endif
#define SIM_POINT_NS 50ull     /* virtual time one preemption point costs */
#define SIM_IDLE_NS 1000000ull /* nothing can run and no timer armed: jump 1 ms */
#define SIM_SLICE 1024u	       /* default policy: points per turn */
#define SIM_MAX_DEPTH 16u      /* PCT depth bound */
/* Host CPU time a vCPU may run without a preemption point before the stall
 * backstop charges it to the virtual clock (see "the stall backstop"). */
#define SIM_STALL_CPU_NS 250000000ull
#define SIM_STALL_POLL_NS 50000000ull

enum sim_yield {
	SIM_Y_POINT,  /* a decision said SWITCH */
	SIM_Y_FORCED, /* a spin or a yield: someone else must run */
	SIM_Y_IDLE,   /* nothing to do */
	SIM_Y_INJECT, /* fire the next device event, then resume me */
	SIM_Y_EXIT,   /* ke_vcpu_loop returned */
};

/* Forced events mixed into the digest (decision kinds are 0 and 1). */
enum { SIM_EV_FORCED = 8, SIM_EV_IDLE, SIM_EV_TIMER, SIM_EV_ADVANCE, SIM_EV_INJECT };

struct sim_vcpu {
	struct sim_fiber f;
	bool started, finished, idle;
	unsigned idle_seq;
	unsigned slice; /* points since this turn began */
	unsigned prio;	/* PCT priority (higher runs first) */
	bool isr_only;	/* injected interrupt: give the CPU back below DIRQL */
};

struct sim {
	struct ke_machine *m;
	pthread_t owner;
	unsigned host_lock_id;
	struct sim_fiber host;
	struct sim_vcpu cpu[KE_MAX_VCPUS];
	struct ke_vcpu *cur;	     /* running vCPU; NULL in the scheduler */
	enum sim_yield why;	     /* why cur gave the thread back */
	struct ke_vcpu *last_forced; /* not picked next if another can run */
	unsigned rr;		     /* round-robin cursor */
	bool in_sched;		     /* a scheduler step is on the stack */
	atomic_ullong clock;	     /* virtual ns; read by any thread */
	struct ke_sim_config cfg;
	uint64_t rng[4];
	uint64_t pct_change[SIM_MAX_DEPTH];
	unsigned pct_next, nr_pct_change;
	unsigned sweep_next;		    /* SWEEP: injection points passed */
	size_t replay_pos[2][KE_MAX_VCPUS]; /* per anchor: next candidate */
	uint64_t local[2][KE_MAX_VCPUS];    /* decisions so far, per anchor */
	struct ke_sim_stats st;
	/* The stall backstop: (a) shared with its thread. */
	atomic_ullong progress;	   /* (a) bumped at every point and switch */
	atomic_bool running;	   /* (a) a vCPU coroutine has the owner thread */
	atomic_ullong stalled;	   /* (a) CPU ns to charge, set before the signal */
	atomic_bool backstop_stop; /* (a) */
	clockid_t owner_cpu;	   /* (c) the owner thread's CPU-time clock */
	pthread_t backstop;
	bool backstop_on;
};

/* The configuration for the next machine, and the results of the last one. */
static struct ke_sim_config next_cfg = {.log_fd = -1};
static struct ke_sim_deviation *replay_copy;
static struct ke_sim_deviation *devs;
static size_t nr_devs, cap_devs;
static struct ke_sim_stats last_stats;
static struct sim *sim_now;

/* ------------------------------------------------------------------ PRNG */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static inline uint64_t rng_next(struct sim *s)
{
	uint64_t *r = s->rng, out = rotl(r[1] * 5, 7) * 9, t = r[1] << 17;

	r[2] ^= r[0];
	r[3] ^= r[1];
	r[1] ^= r[2];
	r[0] ^= r[3];
	r[2] ^= t;
	r[3] = rotl(r[3], 45);
	return out;
}

/* Uniform in [0, n) (n > 0); the bias of a 64-bit modulo is negligible. */
static inline uint32_t rng_below(struct sim *s, uint32_t n)
{
	return (uint32_t)(rng_next(s) % n);
}

/* ----------------------------------------------------------- the record */

static inline void mix(struct sim *s, uint64_t a, uint64_t b)
{
	uint64_t h = s->st.digest;

	h = (h ^ a) * 0x100000001B3ull;
	h = (h ^ b) * 0x100000001B3ull;
	s->st.digest = h;
}

static void log_deviation(struct sim *s, const struct ke_sim_deviation *d)
{
	char line[80];
	int n;

	if (s->cfg.log_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "dev %llu %u %u %u %llu\n", (unsigned long long)d->index,
		     d->kind, d->value, d->vcpu, (unsigned long long)d->local);
	/* Written as taken: the log is complete even if a bug check ends the process. */
	if (write(s->cfg.log_fd, line, (size_t)n) != n)
		s->cfg.log_fd = -1;
}

/* Record decision @value of @kind by @vcpu (default @dflt). Return: @value. */
static uint32_t record(struct sim *s, uint32_t kind, unsigned vcpu, uint32_t dflt, uint32_t value)
{
	uint64_t i = s->st.decisions++, local = s->local[kind][vcpu]++;

	mix(s, i ^ ((uint64_t)kind << 60), value);
	if (value != dflt) {
		struct ke_sim_deviation d = {
		    .index = i, .kind = kind, .value = value, .vcpu = vcpu, .local = local};

		s->st.deviations++;
		if (nr_devs == cap_devs) {
			size_t cap = cap_devs ? cap_devs * 2 : 256;
			struct ke_sim_deviation *n = realloc(devs, cap * sizeof(*n));

			if (n) {
				devs = n;
				cap_devs = cap;
			}
		}
		if (nr_devs < cap_devs)
			devs[nr_devs++] = d;
		log_deviation(s, &d);
	}
	return value;
}

/*
 * REPLAY: the recorded value of the decision about to be taken by @vcpu
 * (its anchor: kind, vCPU, count so far), or @dflt.
 */
static uint32_t replayed(struct sim *s, uint32_t kind, unsigned vcpu, uint32_t dflt,
			 uint32_t nchoices)
{
	uint64_t local = s->local[kind][vcpu];
	size_t *pos = &s->replay_pos[kind][vcpu];

	for (; *pos < s->cfg.nr_replay; ++*pos) {
		const struct ke_sim_deviation *d = &s->cfg.replay[*pos];

		if (d->kind != kind || d->vcpu != vcpu || d->local < local)
			continue;
		if (d->local > local)
			break;
		++*pos;
		/* A deviation that no longer fits (fewer choices) falls back. */
		return d->value < nchoices ? d->value : dflt;
	}
	return dflt;
}

/* ------------------------------------------------------------- vCPUs */

static inline struct sim *sim_of(struct ke_machine *m)
{
	return m->engine_data;
}

static bool runnable(struct sim *s, struct ke_vcpu *v)
{
	struct sim_vcpu *c = &s->cpu[v->number];

	if (c->finished)
		return false;
	if (!c->started || !c->idle)
		return true;
	return atomic_load_explicit(&v->wake_seq, memory_order_relaxed) != c->idle_seq ||
	       ke_vcpu_has_work(v) || ke_vcpu_highest_pending(v, KE_PASSIVE_LEVEL) >= 0 ||
	       atomic_load_explicit(&s->m->stopping, memory_order_relaxed);
}

static uint64_t next_deadline(struct sim *s)
{
	return ke_timers_next_deadline(s->m);
}

static inline void clock_set(struct sim *s, uint64_t t)
{
	atomic_store_explicit(&s->clock, t, memory_order_relaxed);
}

static inline uint64_t clock_get(struct sim *s)
{
	return atomic_load_explicit(&s->clock, memory_order_relaxed);
}

/* Fire every host timer that is due. Context: the scheduler. */
static void run_due(struct sim *s)
{
	while (next_deadline(s) <= clock_get(s)) {
		mix(s, SIM_EV_TIMER, clock_get(s));
		s->st.timers++;
		ke_timers_run(s->m);
	}
}

/* Move the clock to the earliest armed timer (if later) and fire it. */
static bool fire_next(struct sim *s)
{
	uint64_t d = next_deadline(s);

	if (d == UINT64_MAX)
		return false;
	if (d > clock_get(s))
		clock_set(s, d);
	run_due(s);
	return true;
}

/* Give the thread back to the scheduler. Context: @v's coroutine. */
static void yield_to_sched(struct sim *s, struct ke_vcpu *v, enum sim_yield why)
{
	s->why = why;
	sim_fiber_switch(&s->cpu[v->number].f, &s->host, why == SIM_Y_EXIT);
}

/*
 * Back on @v after a switch: take what became pending meanwhile, as the
 * threads engine's notification handler does. Context: @v's coroutine.
 */
static void take_interrupts(struct ke_vcpu *v)
{
	atomic_store_explicit(&v->notify, 0, memory_order_relaxed);
	if (ke_vcpu_highest_pending(v, ke_vcpu_irql(v)) >= 0) {
		atomic_fetch_add_explicit(&v->st_signals, 1, memory_order_relaxed);
		ke_vcpu_deliver(v);
	}
}

static void sim_entry(void)
{
	struct sim *s = sim_now;
	struct ke_vcpu *v = s->cur;

	sim_fiber_started(&s->host);
	s->cpu[v->number].started = true;
	ke_vcpu_loop(v);
	s->cpu[v->number].finished = true;
	yield_to_sched(s, v, SIM_Y_EXIT);
	abort(); /* a finished coroutine is never resumed */
}

static void resume(struct sim *s, struct ke_vcpu *v);

/*
 * After an injection on @v: every other vCPU the event interrupted takes its
 * interrupt now, before @v goes on, and gives the CPU back at its first
 * point below DIRQL (its ISRs done, its DPC not begun): the interrupt lands
 * at @v's point on every processor, and nothing else moves. Context: the
 * scheduler.
 */
static void run_interrupted(struct sim *s, struct ke_vcpu *v)
{
	for (unsigned i = 0; i < s->m->nr_vcpus; i++) {
		struct ke_vcpu *w = s->m->vcpus[i];

		if (w == v || s->cpu[i].finished || !s->cpu[i].started)
			continue;
		if (ke_vcpu_highest_pending(w, s->cpu[i].idle ? KE_PASSIVE_LEVEL
							      : ke_vcpu_irql(w)) >= 0) {
			s->cpu[i].isr_only = true;
			resume(s, w);
			s->cpu[i].isr_only = false;
		}
	}
}

/* Run @v until it gives the thread back. Context: the scheduler. */
static void resume(struct sim *s, struct ke_vcpu *v)
{
	struct sim_vcpu *c = &s->cpu[v->number];

	for (;;) {
		s->cur = v;
		c->slice = 0;
		ke_self = v;
		ke_tls_irql = &v->st;
		ke_tls_lock_id = v->number + 1;
		s->st.switches++;
		atomic_fetch_add_explicit(&s->progress, 1, memory_order_relaxed);
		atomic_store_explicit(&s->running, true, memory_order_relaxed);
		sim_fiber_switch(&s->host, &c->f, false);
		atomic_store_explicit(&s->running, false, memory_order_relaxed);
		ke_self = NULL;
		ke_tls_irql = NULL;
		ke_tls_lock_id = s->host_lock_id;
		s->cur = NULL;
		if (s->why != SIM_Y_INJECT)
			break;
		/* INJECT: the device event happens now; the vCPUs it
		 * interrupted take it, then @v goes on. */
		s->st.injections++;
		mix(s, SIM_EV_INJECT, v->number);
		fire_next(s);
		run_interrupted(s, v);
	}
	s->last_forced = s->why == SIM_Y_FORCED ? v : NULL;
}

/* ------------------------------------------------------------ strategy */

static bool higher_prio_runnable(struct sim *s, struct ke_vcpu *me)
{
	unsigned p = s->cpu[me->number].prio;

	for (unsigned i = 0; i < s->m->nr_vcpus; i++)
		if (s->cpu[i].prio > p && runnable(s, s->m->vcpus[i]))
			return true;
	return false;
}

/* The decision at a preemption point of the running vCPU @v. */
static uint32_t point_decision(struct sim *s, struct ke_vcpu *v, bool eligible)
{
	uint32_t dflt = s->cpu[v->number].slice >= SIM_SLICE ? KE_SIM_SWITCH : KE_SIM_CONTINUE;
	uint32_t value = dflt;

	switch (s->cfg.strategy) {
	case KE_SIM_STRATEGY_DEFAULT:
		break;
	case KE_SIM_STRATEGY_RANDOM: {
		uint32_t u = (uint32_t)(rng_next(s) & 1023);

		if (u < 64)
			value = KE_SIM_SWITCH;
		else if (u < 80 && eligible)
			value = KE_SIM_INJECT;
		else
			value = KE_SIM_CONTINUE;
		break;
	}
	case KE_SIM_STRATEGY_SWEEP:
		/* The points in increasing order: sweep_point, then sweep_more[]. */
		if (eligible && s->sweep_next <= s->cfg.nr_sweep_more &&
		    s->st.eligible - 1 == (s->sweep_next ? s->cfg.sweep_more[s->sweep_next - 1]
							 : s->cfg.sweep_point)) {
			value = KE_SIM_INJECT;
			s->sweep_next++;
		}
		break;
	case KE_SIM_STRATEGY_PCT:
		if (s->pct_next < s->nr_pct_change &&
		    s->st.decisions >= s->pct_change[s->pct_next]) {
			/* Change point k: this vCPU drops below every initial
			 * priority; below DIRQL the next device event lands here. */
			s->cpu[v->number].prio = s->nr_pct_change - s->pct_next;
			s->pct_next++;
			value = eligible ? KE_SIM_INJECT : KE_SIM_SWITCH;
		} else {
			value = higher_prio_runnable(s, v) ? KE_SIM_SWITCH : KE_SIM_CONTINUE;
		}
		break;
	case KE_SIM_STRATEGY_REPLAY:
		value = replayed(s, KE_SIM_KIND_POINT, v->number, dflt, KE_SIM_POINT_CHOICES);
		break;
	}
	return record(s, KE_SIM_KIND_POINT, v->number, dflt, value);
}

/* The scheduler's pick among @n runnable vCPUs @r[] (+1: fire the timer early). */
static uint32_t pick_decision(struct sim *s, struct ke_vcpu **r, unsigned n, bool timer)
{
	unsigned choices = n + (timer ? 1 : 0), dflt = 0;
	uint32_t value;

	/* Round robin: the first runnable vCPU after the last one picked. */
	for (unsigned i = 0; i < n; i++) {
		if (r[i]->number > s->rr) {
			dflt = i;
			break;
		}
	}
	if (choices < 2)
		return dflt;
	value = dflt;
	switch (s->cfg.strategy) {
	case KE_SIM_STRATEGY_DEFAULT:
	case KE_SIM_STRATEGY_SWEEP:
		break;
	case KE_SIM_STRATEGY_RANDOM:
		if ((rng_next(s) & 3) == 0)
			value = rng_below(s, choices);
		break;
	case KE_SIM_STRATEGY_PCT:
		value = 0;
		for (unsigned i = 1; i < n; i++)
			if (s->cpu[r[i]->number].prio > s->cpu[r[value]->number].prio)
				value = i;
		break;
	case KE_SIM_STRATEGY_REPLAY:
		value = replayed(s, KE_SIM_KIND_PICK, 0, dflt, choices);
		break;
	}
	return record(s, KE_SIM_KIND_PICK, 0, dflt, value);
}

/* -------------------------------------------------------- the scheduler */

/* One step: fire what is due, then run one vCPU's turn (or move time). */
static void sched_step(struct sim *s)
{
	struct ke_vcpu *r[KE_MAX_VCPUS];
	unsigned n = 0;
	bool timer;
	uint32_t pick;

	run_due(s);
	for (unsigned i = 0; i < s->m->nr_vcpus; i++)
		if (runnable(s, s->m->vcpus[i]))
			r[n++] = s->m->vcpus[i];
	/* A vCPU that just spun must let another run (its lock holder). */
	if (n > 1 && s->last_forced) {
		unsigned k = 0;

		for (unsigned i = 0; i < n; i++)
			if (r[i] != s->last_forced)
				r[k++] = r[i];
		n = k;
	}
	timer = next_deadline(s) != UINT64_MAX;
	if (n == 0) {
		s->last_forced = NULL;
		if (!fire_next(s)) {
			clock_set(s, clock_get(s) + SIM_IDLE_NS);
			mix(s, SIM_EV_ADVANCE, clock_get(s));
		}
		return;
	}
	pick = pick_decision(s, r, n, timer);
	if (pick == n) {
		s->st.injections++;
		mix(s, SIM_EV_INJECT, ~0ull);
		fire_next(s);
		return;
	}
	s->rr = r[pick]->number;
	resume(s, r[pick]);
}

/* ---------------------------------------------------- the stall backstop */

/*
 * Code that reaches no preemption point - a driver loop over plain memory,
 * in a driver not built with -fsanitize=thread - never gives the thread back,
 * so virtual time stops and no timer of the schedule (the verifier's
 * watchdog, a phase deadline) can end it: the run would hang. A host thread
 * outside the schedule reads the count of points and switches; when a vCPU
 * has used SIM_STALL_CPU_NS of the owner thread's CPU time (CPU time, so a
 * loaded host that deschedules the thread does not count) without one, it
 * signals the owner thread. The handler runs on top of the stalled code: it
 * charges that CPU time to the virtual clock (code without preemption points
 * runs in real time), offers the vCPU's hook subscribers a stall event (the
 * verifier's watchdog reports an ISR or DPC over its allotment there, with
 * the stuck code's call chain) and checks the deadline of the host phase
 * being waited for. Only a vCPU that is already stuck is touched: a run that
 * keeps reaching points stays deterministic.
 */
static int stall_signal(void)
{
	return SIGRTMIN + 3;
}

static void stall_handler(int sig, siginfo_t *si, void *uc)
{
	struct sim *s = sim_now;
	struct ke_vcpu *v = ke_self;
	uint64_t ns;

	(void)sig, (void)si, (void)uc;
	if (!s || !v || s->cur != v || !pthread_equal(pthread_self(), s->owner))
		return;
	ns = atomic_exchange_explicit(&s->stalled, 0, memory_order_relaxed);
	if (!ns)
		return;
	clock_set(s, clock_get(s) + ns);
	if (ke_hooks_on())
		ke_hook_stall(v, ns);
	ke_phase_stall_check(s->m);
}

static uint64_t cpu_now(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *backstop_main(void *arg)
{
	struct sim *s = arg;
	struct timespec poll = {0, (long)SIM_STALL_POLL_NS};
	uint64_t seen = atomic_load(&s->progress), since = cpu_now(s->owner_cpu);

	while (!atomic_load(&s->backstop_stop)) {
		uint64_t p, now;

		nanosleep(&poll, NULL);
		p = atomic_load(&s->progress);
		now = cpu_now(s->owner_cpu);
		if (p != seen || !atomic_load(&s->running)) {
			seen = p;
			since = now;
			continue;
		}
		if (now - since < SIM_STALL_CPU_NS)
			continue;
		atomic_store(&s->stalled, now - since);
		since = now;
		pthread_kill(s->owner, stall_signal());
	}
	return NULL;
}

static void backstop_start(struct sim *s)
{
	static atomic_int installed;
	struct sigaction sa;

	if (pthread_getcpuclockid(s->owner, &s->owner_cpu))
		return;
	if (!atomic_exchange(&installed, 1)) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = stall_handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		sigaction(stall_signal(), &sa, NULL);
	}
	atomic_store(&s->backstop_stop, false);
	s->backstop_on = pthread_create(&s->backstop, NULL, backstop_main, s) == 0;
}

static void backstop_stop(struct sim *s)
{
	if (!s->backstop_on)
		return;
	atomic_store(&s->backstop_stop, true);
	pthread_join(s->backstop, NULL);
	s->backstop_on = false;
}

/* --------------------------------------------------------- engine ops */

static int sim_start(struct ke_machine *m)
{
	struct sim *s;
	int err;

	if (sim_now)
		return -EBUSY;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->m = m;
	s->cfg = next_cfg;
	s->owner = pthread_self();
	s->host_lock_id = ke_lock_id();
	sim_fiber_host(&s->host);
	{
		uint64_t x = s->cfg.seed;

		for (int i = 0; i < 4; i++)
			s->rng[i] = splitmix64(&x);
	}
	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		err = sim_fiber_create(&s->cpu[i].f, SIM_STACK_SIZE, sim_entry);
		if (err)
			goto err_free;
		s->cpu[i].prio = 0;
	}
	if (s->cfg.strategy == KE_SIM_STRATEGY_PCT) {
		/* Distinct random initial priorities above every change-point
		 * priority, and d-1 change points in the horizon, sorted. */
		unsigned d = s->cfg.pct_depth, n = m->nr_vcpus, perm[KE_MAX_VCPUS];

		for (unsigned i = 0; i < n; i++)
			perm[i] = i;
		for (unsigned i = n; i > 1; i--) {
			unsigned j = rng_below(s, i), t = perm[i - 1];

			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		for (unsigned i = 0; i < n; i++)
			s->cpu[i].prio = d + perm[i];
		s->nr_pct_change = d - 1;
		for (unsigned k = 0; k < s->nr_pct_change; k++)
			s->pct_change[k] =
			    rng_next(s) % (s->cfg.pct_horizon ? s->cfg.pct_horizon : 1);
		for (unsigned a = 1; a < s->nr_pct_change; a++)
			for (unsigned b = a; b > 0 && s->pct_change[b - 1] > s->pct_change[b];
			     b--) {
				uint64_t t = s->pct_change[b];

				s->pct_change[b] = s->pct_change[b - 1];
				s->pct_change[b - 1] = t;
			}
	}
	nr_devs = 0;
	memset(&last_stats, 0, sizeof(last_stats));
	s->st.digest = 0xCBF29CE484222325ull;
	m->engine_data = s;
	sim_now = s;
	backstop_start(s);
	/* Every vCPU enters ke_vcpu_loop() before start returns. */
	s->in_sched = true;
	for (;;) {
		bool all = true;

		for (unsigned i = 0; i < m->nr_vcpus; i++)
			all = all && s->cpu[i].started;
		if (all)
			break;
		sched_step(s);
	}
	s->in_sched = false;
	return 0;

err_free:
	for (unsigned i = 0; i < m->nr_vcpus; i++)
		sim_fiber_destroy(&s->cpu[i].f);
	free(s);
	return err;
}

static void sim_stop(struct ke_machine *m)
{
	struct sim *s = sim_of(m);

	s->in_sched = true;
	for (;;) {
		bool all = true;

		for (unsigned i = 0; i < m->nr_vcpus; i++)
			all = all && s->cpu[i].finished;
		if (all)
			break;
		sched_step(s);
	}
	backstop_stop(s);
	s->st.clock_ns = clock_get(s);
	last_stats = s->st;
	for (unsigned i = 0; i < m->nr_vcpus; i++)
		sim_fiber_destroy(&s->cpu[i].f);
	sim_now = NULL;
	m->engine_data = NULL;
	free(s);
}

static uint64_t sim_clock_ns(struct ke_machine *m)
{
	return clock_get(sim_of(m));
}

static void sim_preempt_point(struct ke_machine *m, enum ke_preempt_reason why)
{
	struct sim *s = sim_of(m);
	struct ke_vcpu *v = ke_self;
	ke_irql_t irql;
	bool eligible;

	if (!s || !v || s->cur != v)
		return;
	atomic_fetch_add_explicit(&s->progress, 1, memory_order_relaxed);
	clock_set(s, clock_get(s) + SIM_POINT_NS);
	s->st.points++;
	s->cpu[v->number].slice++;
	if (why == KE_PP_SPIN) {
		mix(s, SIM_EV_FORCED, v->number);
		yield_to_sched(s, v, SIM_Y_FORCED);
		take_interrupts(v);
		return;
	}
	/* HIGH_LEVEL is ke's and the device models' own critical sections
	 * (their locks are leaves the scheduler's timers take too): no switch. */
	irql = ke_vcpu_irql(v);
	if (irql >= KE_HIGH_LEVEL)
		return;
	eligible = irql < KE_DIRQL_MIN;
	if (eligible && s->cpu[v->number].isr_only) {
		/* Took the injected interrupt: back to the injecting vCPU. */
		s->cpu[v->number].isr_only = false;
		mix(s, SIM_EV_FORCED, v->number);
		yield_to_sched(s, v, SIM_Y_POINT);
		take_interrupts(v);
		return;
	}
	if (eligible)
		s->st.eligible++;
	switch (point_decision(s, v, eligible)) {
	case KE_SIM_CONTINUE:
		return;
	case KE_SIM_SWITCH:
		yield_to_sched(s, v, SIM_Y_POINT);
		break;
	default:
		yield_to_sched(s, v, SIM_Y_INJECT);
		break;
	}
	take_interrupts(v);
}

static void sim_notify(struct ke_machine *m, struct ke_vcpu *v)
{
	/* Nothing to send: the scheduler sees the pending bit, and @v takes
	 * it the moment it next runs (take_interrupts, ke_vcpu_loop). */
	(void)m, (void)v;
}

static void sim_wake(struct ke_machine *m, struct ke_vcpu *v)
{
	(void)m;
	atomic_fetch_add_explicit(&v->wake_seq, 1, memory_order_relaxed);
}

static void sim_idle(struct ke_machine *m, struct ke_vcpu *v, unsigned seen_seq)
{
	struct sim *s = sim_of(m);
	struct sim_vcpu *c = &s->cpu[v->number];

	c->idle = true;
	c->idle_seq = seen_seq;
	c->isr_only = false;
	mix(s, SIM_EV_IDLE, v->number);
	yield_to_sched(s, v, SIM_Y_IDLE);
	c->idle = false;
	atomic_fetch_add_explicit(&v->st_wakeups, 1, memory_order_relaxed);
}

static void sim_timer_kick(struct ke_machine *m)
{
	(void)m; /* the scheduler reads the timer list at every step */
}

/* A spinning or yielding vCPU: another must run. Context: @v's coroutine. */
static void vcpu_relax(struct sim *s, struct ke_vcpu *v)
{
	clock_set(s, clock_get(s) + SIM_POINT_NS);
	mix(s, SIM_EV_FORCED, v->number);
	yield_to_sched(s, v, SIM_Y_FORCED);
	take_interrupts(v);
}

static void sim_host_yield(struct ke_machine *m)
{
	struct sim *s = sim_of(m);

	if (!s)
		return;
	if (ke_self) {
		if (s->cur == ke_self)
			vcpu_relax(s, ke_self);
		return;
	}
	/* A host timer callback waiting for the machine cannot make it run. */
	if (s->in_sched)
		return;
	s->in_sched = true;
	sched_step(s);
	s->in_sched = false;
}

static const struct ke_engine_ops sim_engine_ops = {
    .name = "sim",
    .wants_preempt_points = true,
    .deterministic = true,
    .start = sim_start,
    .stop = sim_stop,
    .clock_ns = sim_clock_ns,
    .preempt_point = sim_preempt_point,
    .notify = sim_notify,
    .wake = sim_wake,
    .idle = sim_idle,
    .timer_kick = sim_timer_kick,
    .host_yield = sim_host_yield,
};

const struct ke_engine_ops *ke_sim_engine(void)
{
	return &sim_engine_ops;
}

/*
 * sched_yield() - Every polling loop of the runtime waits with sched_yield()
 * (a vCPU waiting for another's DPCs, a host waiting for a completion). On
 * the thread that owns a sim machine, that wait must let the machine run:
 * a vCPU gives its turn up, the host runs a scheduler step. Anywhere else,
 * the system call. This definition is linked only into programs that use
 * the sim engine.
 */
int sched_yield(void)
{
	struct ke_machine *dm = ke_deterministic_machine();
	struct sim *s;

	if (dm && dm->engine == &sim_engine_ops && (s = sim_of(dm)) != NULL &&
	    pthread_equal(pthread_self(), s->owner)) {
		sim_host_yield(dm);
		return 0;
	}
	return (int)syscall(SYS_sched_yield);
}

/* ---------------------------------------------------------- configuration */

int ke_sim_vcpu_stack(unsigned vcpu, const void **lo, size_t *size)
{
	struct sim *s = sim_now;

	if (!s || vcpu >= KE_MAX_VCPUS || !s->cpu[vcpu].f.stack)
		return -ENOENT;
	*lo = s->cpu[vcpu].f.stack;
	*size = s->cpu[vcpu].f.stack_size + (size_t)sysconf(_SC_PAGESIZE);
	return 0;
}

void ke_sim_config_init(struct ke_sim_config *c)
{
	memset(c, 0, sizeof(*c));
	c->strategy = KE_SIM_STRATEGY_DEFAULT;
	c->pct_depth = 2;
	c->pct_horizon = 100000;
	c->log_fd = -1;
}

int ke_sim_configure(const struct ke_sim_config *c)
{
	struct ke_sim_deviation *copy = NULL;

	if (sim_now)
		return -EBUSY;
	if (c->nr_sweep_more >= KE_SIM_MAX_SWEEP)
		return -EINVAL;
	for (unsigned i = 0; i < c->nr_sweep_more; i++)
		if (c->sweep_more[i] <= (i ? c->sweep_more[i - 1] : c->sweep_point))
			return -EINVAL;
	if (c->strategy > KE_SIM_STRATEGY_REPLAY ||
	    (c->strategy == KE_SIM_STRATEGY_PCT &&
	     (c->pct_depth < 1 || c->pct_depth > SIM_MAX_DEPTH || c->pct_horizon == 0)))
		return -EINVAL;
	if (c->strategy == KE_SIM_STRATEGY_REPLAY && c->nr_replay) {
		copy = malloc(c->nr_replay * sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		memcpy(copy, c->replay, c->nr_replay * sizeof(*copy));
		for (size_t i = 1; i < c->nr_replay; i++)
			if (copy[i].index <= copy[i - 1].index) {
				free(copy);
				return -EINVAL;
			}
	}
	free(replay_copy);
	replay_copy = copy;
	next_cfg = *c;
	next_cfg.replay = copy;
	if (!copy)
		next_cfg.nr_replay = 0;
	return 0;
}

void ke_sim_stats_get(struct ke_sim_stats *out)
{
	if (sim_now) {
		*out = sim_now->st;
		out->clock_ns = clock_get(sim_now);
	} else {
		*out = last_stats;
	}
}

size_t ke_sim_deviations(const struct ke_sim_deviation **out)
{
	*out = devs;
	return nr_devs;
}

const char *ke_sim_strategy_name(enum ke_sim_strategy s)
{
	static const char *const names[] = {"default", "random", "sweep", "pct", "replay"};

	return s <= KE_SIM_STRATEGY_REPLAY ? names[s] : "?";
}
