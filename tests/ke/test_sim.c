/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_sim.c - the deterministic engine (ke/sim): the engine seam's
 * obligations on one host thread, synchronous interrupt delivery, virtual
 * time, and determinism (the same seed gives the same decision log).
 */
#include "ke/sim/sim.h"
#include "tests/harness.h"

#include <errno.h>
#include <pthread.h>

static struct ke_machine *sim_machine(unsigned nr, enum ke_sim_strategy st, uint64_t seed)
{
	struct ke_sim_config c;
	struct ke_machine_config mc = {.nr_vcpus = nr, .engine = ke_sim_engine()};
	struct ke_machine *m;

	ke_sim_config_init(&c);
	c.strategy = st;
	c.seed = seed;
	cr_assert_eq(ke_sim_configure(&c), 0);
	m = ke_machine_create(&mc);
	cr_assert_not_null(m, "sim machine of %u vCPUs", nr);
	return m;
}

/* --- work items run on their vCPU, on this very host thread ------------- */

static struct {
	int vcpu[4];
	int irql[4];
	pthread_t thread[4];
} where;

static void record_where(void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;

	where.vcpu[i] = (int)ke_current_number();
	where.irql[i] = ke_irql_current();
	where.thread[i] = pthread_self();
}

Test(ke_sim, seam_work_runs_on_its_vcpu_on_the_host_thread)
{
	struct ke_machine *m = sim_machine(4, KE_SIM_STRATEGY_DEFAULT, 0);

	cr_assert(ke_machine_deterministic(m));
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(
		    ke_vcpu_call(ke_machine_vcpu(m, i), record_where, (void *)(uintptr_t)i), 0);
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(where.vcpu[i], (int)i);
		cr_assert_eq(where.irql[i], KE_PASSIVE_LEVEL);
		cr_assert(pthread_equal(where.thread[i], pthread_self()),
			  "vCPU %u ran on another host thread", i);
	}
	cr_assert_null(ke_current(), "the host's TLS was not restored after the switch");
	harness_end(m);
}

Test(ke_sim, seam_one_sim_machine_at_a_time)
{
	struct ke_machine *m = sim_machine(1, KE_SIM_STRATEGY_DEFAULT, 0);
	struct ke_machine_config mc = {.nr_vcpus = 1, .engine = ke_sim_engine()};

	cr_assert_null(ke_machine_create(&mc));
	cr_assert_eq(errno, EBUSY);
	harness_end(m);
}

/* --- interrupts: taken at once, and never held back ---------------------- */

static struct {
	struct ke_machine *m;
	struct ke_interrupt intr;
	unsigned vector;
	volatile unsigned progress0; /* vCPU 0's loop counter */
	unsigned seen_at_request;    /* progress0 when vCPU 1 requested */
	unsigned seen_in_isr;	     /* progress0 when the ISR ran */
	unsigned isrs;
	int isr_vcpu, isr_irql;
	bool requested;
	bool done0;
} hb;

static bool hb_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	hb.seen_in_isr = hb.progress0;
	hb.isr_vcpu = (int)ke_current_number();
	hb.isr_irql = ke_irql_current();
	hb.isrs++;
	return true;
}

static void hb_loop0(void *arg)
{
	(void)arg;
	for (unsigned i = 1; i <= 2000 && !hb.isrs; i++) {
		hb.progress0 = i;
		ke_preempt_point(KE_PP_DDI_ENTER);
	}
	hb.done0 = true;
}

static void hb_requester1(void *arg)
{
	(void)arg;
	/* Let vCPU 0 get going, then interrupt it from here. */
	while (hb.progress0 < 100 && !hb.done0)
		ke_preempt_point(KE_PP_REG_ACCESS);
	hb.seen_at_request = hb.progress0;
	hb.requested = true;
	ke_interrupt_request(hb.m, 0, hb.vector);
}

/*
 * An interrupt requested by vCPU 1 for vCPU 0 is taken by vCPU 0 before it
 * executes anything else: vCPU 0's loop counter is the same in the ISR as at
 * the request, whatever the interleaving the seed chose.
 */
Test(ke_sim, I_interrupt_is_taken_before_the_target_runs_on)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct ke_machine *m = sim_machine(2, KE_SIM_STRATEGY_RANDOM, seed);
		struct ke_work w0, w1;
		int vec;

		memset(&hb, 0, sizeof(hb));
		hb.m = m;
		vec = ke_vector_alloc(m, 5);
		cr_assert_geq(vec, 0);
		hb.vector = (unsigned)vec;
		cr_assert_eq(ke_interrupt_init(&hb.intr, hb_isr, NULL, hb.vector, NULL, 5, 1), 0);
		cr_assert_eq(ke_interrupt_connect(m, &hb.intr), 0);
		ke_work_init(&w0, hb_loop0, NULL);
		ke_work_init(&w1, hb_requester1, NULL);
		ke_vcpu_post(ke_machine_vcpu(m, 0), &w0);
		ke_vcpu_post(ke_machine_vcpu(m, 1), &w1);
		ke_work_wait(&w0);
		ke_work_wait(&w1);
		cr_assert(hb.requested);
		cr_assert_eq(hb.isrs, 1, "seed %llu: ISR ran %u times", (unsigned long long)seed,
			     hb.isrs);
		cr_assert_eq(hb.isr_vcpu, 0);
		cr_assert_eq(hb.isr_irql, 5);
		cr_assert_eq(hb.seen_in_isr, hb.seen_at_request,
			     "seed %llu: vCPU 0 ran on from %u to %u with the interrupt pending",
			     (unsigned long long)seed, hb.seen_at_request, hb.seen_in_isr);
		ke_interrupt_disconnect(m, &hb.intr);
		ke_vector_free(m, hb.vector);
		harness_end(m);
	}
}

/* A raised IRQL masks it; the lower that unmasks it delivers it there. */
static void hb_masked(void *arg)
{
	ke_irql_t old = ke_irql_raise(6);

	(void)arg;
	ke_interrupt_request(hb.m, 0, hb.vector);
	for (int i = 0; i < 100; i++)
		ke_preempt_point(KE_PP_DDI_ENTER);
	hb.seen_at_request = hb.isrs; /* still 0: masked */
	ke_irql_lower(old);
	hb.seen_in_isr = hb.isrs; /* 1: delivered by the lower */
}

Test(ke_sim, I_masked_interrupt_waits_for_the_lower)
{
	struct ke_machine *m = sim_machine(1, KE_SIM_STRATEGY_RANDOM, 3);
	int vec;

	memset(&hb, 0, sizeof(hb));
	hb.m = m;
	vec = ke_vector_alloc(m, 5);
	hb.vector = (unsigned)vec;
	cr_assert_eq(ke_interrupt_init(&hb.intr, hb_isr, NULL, hb.vector, NULL, 5, 1), 0);
	ke_interrupt_connect(m, &hb.intr);
	ke_vcpu_call(ke_machine_vcpu(m, 0), hb_masked, NULL);
	cr_assert_eq(hb.seen_at_request, 0);
	cr_assert_eq(hb.seen_in_isr, 1);
	ke_interrupt_disconnect(m, &hb.intr);
	harness_end(m);
}

/* --- virtual time and host timers ---------------------------------------- */

static struct {
	uint64_t fired_at;
	unsigned fired;
} tm;

static void tm_fire(struct ke_host_timer *t, void *ctx)
{
	struct ke_machine *m = ctx;

	(void)t;
	tm.fired_at = ke_clock_ns(m);
	tm.fired++;
}

Test(ke_sim, timers_fire_in_virtual_time)
{
	struct ke_machine *m = sim_machine(1, KE_SIM_STRATEGY_DEFAULT, 0);
	struct ke_host_timer t;
	uint64_t t0 = ke_clock_ns(m), wall0 = harness_now_ns();

	memset(&tm, 0, sizeof(tm));
	ke_host_timer_init(&t, tm_fire, m);
	/* An hour of virtual time passes in no wall time worth mentioning. */
	ke_host_timer_arm(m, &t, t0 + 3600ull * 1000000000ull);
	WAIT_UNTIL(tm.fired == 1);
	cr_assert_eq(tm.fired_at, t0 + 3600ull * 1000000000ull,
		     "the clock jumped to the deadline, not past it");
	cr_assert_lt(harness_now_ns() - wall0, 30ull * 1000000000ull);
	harness_end(m);
}

/* --- spin locks across vCPUs: the holder gets to run --------------------- */

static struct {
	struct ke_spinlock lock;
	unsigned counter;
} sp;

static void sp_add(void *arg)
{
	(void)arg;
	for (int i = 0; i < 500; i++) {
		ke_irql_t old = ke_spin_acquire(&sp.lock);
		unsigned c = sp.counter;

		ke_preempt_point(KE_PP_REG_ACCESS); /* a switch inside the critical section */
		sp.counter = c + 1;
		ke_spin_release(&sp.lock, old);
	}
}

Test(ke_sim, spin_lock_contention_makes_progress_and_excludes)
{
	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct ke_machine *m = sim_machine(3, KE_SIM_STRATEGY_RANDOM, seed);
		struct ke_work w[3];

		memset(&sp, 0, sizeof(sp));
		ke_spin_init(&sp.lock);
		for (unsigned i = 0; i < 3; i++) {
			ke_work_init(&w[i], sp_add, NULL);
			ke_vcpu_post(ke_machine_vcpu(m, i), &w[i]);
		}
		for (unsigned i = 0; i < 3; i++)
			ke_work_wait(&w[i]);
		cr_assert_eq(sp.counter, 1500, "seed %llu: lost updates under the lock",
			     (unsigned long long)seed);
		harness_end(m);
	}
}

/* --- determinism ---------------------------------------------------------- */

static struct {
	struct ke_machine *m;
	struct ke_dpc dpc[3];
	struct ke_interrupt intr;
	unsigned vector;
	unsigned trace[4096];
	unsigned n;
	struct ke_spinlock lock;
} dt;

static void dt_note(unsigned what)
{
	if (dt.n < 4096)
		dt.trace[dt.n++] = what * 64 + ke_current_number();
}

static void dt_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)a1, (void)a2;
	dt_note(100 + (unsigned)(uintptr_t)ctx);
}

static bool dt_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	dt_note(200);
	ke_dpc_queue(dt.m, &dt.dpc[ke_current_number() % 3], NULL, NULL);
	return true;
}

static void dt_work(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;

	for (unsigned i = 0; i < 200; i++) {
		ke_irql_t old = ke_spin_acquire(&dt.lock);

		dt_note(me);
		ke_spin_release(&dt.lock, old);
		if (i % 17 == 0)
			ke_interrupt_request(dt.m, (me + 1) % ke_machine_vcpu_count(dt.m),
					     dt.vector);
	}
}

static void dt_run(enum ke_sim_strategy st, uint64_t seed, struct ke_sim_stats *out)
{
	struct ke_machine *m = sim_machine(3, st, seed);
	struct ke_work w[3];
	int vec;

	memset(&dt, 0, sizeof(dt));
	dt.m = m;
	ke_spin_init(&dt.lock);
	vec = ke_vector_alloc(m, 4);
	dt.vector = (unsigned)vec;
	cr_assert_eq(ke_interrupt_init(&dt.intr, dt_isr, NULL, dt.vector, NULL, 4, 7), 0);
	ke_interrupt_connect(m, &dt.intr);
	for (unsigned i = 0; i < 3; i++) {
		ke_dpc_init(&dt.dpc[i], dt_dpc, (void *)(uintptr_t)i);
		ke_dpc_set_target(&dt.dpc[i], (int)i);
		ke_work_init(&w[i], dt_work, (void *)(uintptr_t)i);
		ke_vcpu_post(ke_machine_vcpu(m, i), &w[i]);
	}
	for (unsigned i = 0; i < 3; i++)
		ke_work_wait(&w[i]);
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	ke_interrupt_disconnect(m, &dt.intr);
	ke_machine_free(m);
	ke_sim_stats_get(out);
}

/*
 * The self-check of the determinism guarantee: the same seed twice gives the
 * same decision log (digest, counts, deviations) and the same observable
 * trace; another seed gives another schedule.
 */
Test(ke_sim, determinism_same_seed_same_decision_log)
{
	static unsigned trace1[4096];
	struct ke_sim_stats a, b, c;
	const struct ke_sim_deviation *d;
	struct ke_sim_deviation devs1[4096];
	size_t n1, n2;
	unsigned len1;

	dt_run(KE_SIM_STRATEGY_RANDOM, 42, &a);
	memcpy(trace1, dt.trace, sizeof(trace1));
	len1 = dt.n;
	n1 = ke_sim_deviations(&d);
	cr_assert_gt(n1, 0, "a random walk departed from the default policy somewhere");
	cr_assert_leq(n1, 4096);
	memcpy(devs1, d, n1 * sizeof(*d));
	dt_run(KE_SIM_STRATEGY_RANDOM, 42, &b);
	n2 = ke_sim_deviations(&d);
	cr_assert_gt(a.decisions, 1000);
	cr_assert_eq(a.decisions, b.decisions);
	cr_assert_eq(a.digest, b.digest, "same seed, different decision log");
	cr_assert_eq(a.clock_ns, b.clock_ns);
	cr_assert_eq(n1, n2);
	cr_assert_eq(memcmp(devs1, d, n1 * sizeof(*d)), 0);
	cr_assert_eq(len1, dt.n);
	cr_assert_eq(memcmp(trace1, dt.trace, len1 * sizeof(unsigned)), 0);
	dt_run(KE_SIM_STRATEGY_RANDOM, 43, &c);
	cr_assert_neq(a.digest, c.digest, "seeds 42 and 43 gave the same schedule");
}

/* Replaying the deviations of a random run reproduces it exactly. */
Test(ke_sim, replay_of_the_deviations_reproduces_the_run)
{
	static struct ke_sim_deviation devs1[8192];
	static unsigned trace1[4096];
	struct ke_sim_stats a, b;
	struct ke_sim_config c;
	struct ke_machine_config mc = {.nr_vcpus = 3, .engine = ke_sim_engine()};
	const struct ke_sim_deviation *d;
	size_t n1 = 0;
	unsigned len1;

	dt_run(KE_SIM_STRATEGY_RANDOM, 7, &a);
	n1 = ke_sim_deviations(&d);
	cr_assert_leq(n1, 8192);
	memcpy(devs1, d, n1 * sizeof(*d));
	memcpy(trace1, dt.trace, sizeof(trace1));
	len1 = dt.n;
	ke_sim_config_init(&c);
	c.strategy = KE_SIM_STRATEGY_REPLAY;
	c.replay = devs1;
	c.nr_replay = n1;
	cr_assert_eq(ke_sim_configure(&c), 0);
	(void)mc;
	/* dt_run configures too: do it by hand with the replay config kept. */
	{
		struct ke_machine *m = ke_machine_create(&mc);
		struct ke_work w[3];

		cr_assert_not_null(m);
		memset(&dt, 0, sizeof(dt));
		dt.m = m;
		ke_spin_init(&dt.lock);
		dt.vector = (unsigned)ke_vector_alloc(m, 4);
		ke_interrupt_init(&dt.intr, dt_isr, NULL, dt.vector, NULL, 4, 7);
		ke_interrupt_connect(m, &dt.intr);
		for (unsigned i = 0; i < 3; i++) {
			ke_dpc_init(&dt.dpc[i], dt_dpc, (void *)(uintptr_t)i);
			ke_dpc_set_target(&dt.dpc[i], (int)i);
			ke_work_init(&w[i], dt_work, (void *)(uintptr_t)i);
			ke_vcpu_post(ke_machine_vcpu(m, i), &w[i]);
		}
		for (unsigned i = 0; i < 3; i++)
			ke_work_wait(&w[i]);
		cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
		ke_interrupt_disconnect(m, &dt.intr);
		ke_machine_free(m);
		ke_sim_stats_get(&b);
	}
	cr_assert_eq(a.digest, b.digest, "the replay took another path");
	cr_assert_eq(a.decisions, b.decisions);
	cr_assert_eq(len1, dt.n);
	cr_assert_eq(memcmp(trace1, dt.trace, len1 * sizeof(unsigned)), 0);
}

/* --- sweep: exactly one injection, at the chosen eligible point ---------- */

Test(ke_sim, sweep_injects_once_at_its_point)
{
	struct ke_sim_stats base, one;
	struct ke_sim_config c;
	struct ke_machine_config mc = {.nr_vcpus = 1, .engine = ke_sim_engine()};
	struct ke_machine *m;
	struct ke_host_timer t;

	/* Baseline: count the eligible points of a work item with a timer armed. */
	for (int pass = 0; pass < 2; pass++) {
		ke_sim_config_init(&c);
		c.strategy = pass ? KE_SIM_STRATEGY_SWEEP : KE_SIM_STRATEGY_DEFAULT;
		c.sweep_point = 10;
		cr_assert_eq(ke_sim_configure(&c), 0);
		m = ke_machine_create(&mc);
		cr_assert_not_null(m);
		memset(&tm, 0, sizeof(tm));
		ke_host_timer_init(&t, tm_fire, m);
		/* 800 us: after the loop (2000 points, 100 us), within an
		 * injection's 1 ms horizon. */
		ke_host_timer_arm(m, &t, ke_clock_ns(m) + 800000ull);
		memset(&hb, 0, sizeof(hb));
		ke_vcpu_call(ke_machine_vcpu(m, 0), hb_loop0, NULL);
		/* The timer fired early (inside the loop) only in the sweep. */
		cr_assert_eq(tm.fired, pass ? 1u : 0u);
		ke_host_timer_cancel(m, &t);
		harness_end(m);
		ke_sim_stats_get(pass ? &one : &base);
	}
	cr_assert_gt(base.eligible, 10);
	cr_assert_eq(base.injections, 0);
	cr_assert_eq(one.injections, 1);
}

/* --- an injected interrupt lands on every vCPU it targets, right there --- */

static struct {
	struct ke_machine *m;
	struct ke_interrupt intr;
	unsigned vector;
	unsigned at_event; /* vCPU 0's progress when the device event fired */
	unsigned in_isr;   /* vCPU 0's progress when vCPU 1's ISR ran */
	int isr_vcpu;
	unsigned fired;
} inj;

static bool inj_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	inj.in_isr = hb.progress0;
	inj.isr_vcpu = (int)ke_current_number();
	return true;
}

static void inj_event(struct ke_host_timer *t, void *ctx)
{
	(void)t, (void)ctx;
	inj.at_event = hb.progress0;
	inj.fired++;
	ke_interrupt_request(inj.m, 1, inj.vector);
}

/*
 * Sweep point 100 (on vCPU 0's loop) injects the next device event: an
 * interrupt for vCPU 1. vCPU 1 runs its ISR before vCPU 0 takes another
 * step, so the ISR sees vCPU 0 exactly where the event happened.
 */
Test(ke_sim, I_injected_interrupt_lands_on_its_target_vcpu_at_the_point)
{
	struct ke_machine_config mc = {.nr_vcpus = 2, .engine = ke_sim_engine()};
	struct ke_sim_config c;
	struct ke_host_timer t;
	struct ke_machine *m;

	ke_sim_config_init(&c);
	c.strategy = KE_SIM_STRATEGY_SWEEP;
	c.sweep_point = 100;
	cr_assert_eq(ke_sim_configure(&c), 0);
	m = ke_machine_create(&mc);
	cr_assert_not_null(m);
	memset(&inj, 0, sizeof(inj));
	memset(&hb, 0, sizeof(hb));
	hb.isrs = 0;
	inj.m = m;
	inj.vector = (unsigned)ke_vector_alloc(m, 5);
	cr_assert_eq(ke_interrupt_init(&inj.intr, inj_isr, NULL, inj.vector, NULL, 5, 2), 0);
	ke_interrupt_connect(m, &inj.intr);
	ke_host_timer_init(&t, inj_event, NULL);
	ke_host_timer_arm(m, &t, ke_clock_ns(m) + 800000ull);
	ke_vcpu_call(ke_machine_vcpu(m, 0), hb_loop0, NULL);
	cr_assert_eq(inj.fired, 1, "the event was not injected inside the loop");
	cr_assert_gt(inj.at_event, 0);
	cr_assert_lt(inj.at_event, 2000);
	cr_assert_eq(inj.isr_vcpu, 1);
	cr_assert_eq(inj.in_isr, inj.at_event,
		     "vCPU 0 ran on from %u to %u before vCPU 1 took the injected interrupt",
		     inj.at_event, inj.in_isr);
	ke_interrupt_disconnect(m, &inj.intr);
	harness_end(m);
}

/* --- an injection runs the device on to its next interrupt (moderation) -- */

static struct {
	struct ke_machine *m;
	struct ke_host_timer release;
	unsigned vector;
	unsigned frames, released, in_isr;
	uint64_t release_delay;
} thr;

static bool thr_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	thr.in_isr = hb.progress0;
	return true;
}

static void thr_release(struct ke_host_timer *t, void *ctx)
{
	(void)t, (void)ctx;
	thr.released = hb.progress0;
	ke_interrupt_request(thr.m, 1, thr.vector);
}

/* A frame arrives; the throttle holds its interrupt back for release_delay. */
static void thr_frame(struct ke_host_timer *t, void *ctx)
{
	(void)t, (void)ctx;
	thr.frames++;
	ke_host_timer_arm(thr.m, &thr.release, ke_clock_ns(thr.m) + thr.release_delay);
}

static void thr_run(uint64_t frame_at, uint64_t release_delay)
{
	struct ke_machine_config mc = {.nr_vcpus = 2, .engine = ke_sim_engine()};
	struct ke_interrupt intr;
	struct ke_sim_config c;
	struct ke_host_timer frame;

	ke_sim_config_init(&c);
	c.strategy = KE_SIM_STRATEGY_SWEEP;
	c.sweep_point = 100;
	cr_assert_eq(ke_sim_configure(&c), 0);
	thr.m = ke_machine_create(&mc);
	cr_assert_not_null(thr.m);
	memset(&hb, 0, sizeof(hb));
	thr.frames = thr.released = thr.in_isr = 0;
	thr.release_delay = release_delay;
	thr.vector = (unsigned)ke_vector_alloc(thr.m, 5);
	cr_assert_eq(ke_interrupt_init(&intr, thr_isr, NULL, thr.vector, NULL, 5, 2), 0);
	ke_interrupt_connect(thr.m, &intr);
	ke_host_timer_init(&thr.release, thr_release, NULL);
	ke_host_timer_init(&frame, thr_frame, NULL);
	ke_host_timer_arm(thr.m, &frame, ke_clock_ns(thr.m) + frame_at);
	ke_vcpu_call(ke_machine_vcpu(thr.m, 0), hb_loop0, NULL);
	ke_host_timer_cancel(thr.m, &frame);
	ke_host_timer_cancel(thr.m, &thr.release);
	ke_interrupt_disconnect(thr.m, &intr);
	harness_end(thr.m);
}

/*
 * The next device event (a frame) raises no interrupt by itself: a throttle
 * releases it 50 us later. One injection at point 100 runs the device on to
 * that interrupt, which vCPU 1 takes while vCPU 0 is still at the point.
 */
Test(ke_sim, I_injection_runs_the_device_on_to_its_next_interrupt)
{
	thr_run(400000ull, 50000ull);
	cr_assert_eq(thr.frames, 1);
	/* Released at the injection point (about loop step 100), not when the
	 * loop next gives the CPU back (step 1024 or later). */
	cr_assert_gt(thr.released, 0, "the throttled interrupt was not released in the loop");
	cr_assert_lt(thr.released, 200, "released at loop step %u, not at the injection",
		     thr.released);
	cr_assert_eq(thr.in_isr, thr.released,
		     "vCPU 0 ran on from %u to %u before vCPU 1 took the interrupt", thr.released,
		     thr.in_isr);
}

/*
 * An injection moves time at most 1 ms: a device event 2 ms away is not
 * pulled under the running loop (the verifier's watchdog tick is a host
 * timer too, and firing it early would charge a DPC for time it never ran).
 */
Test(ke_sim, injection_does_not_fire_timers_beyond_its_horizon)
{
	thr_run(2000000ull, 50000ull);
	cr_assert_eq(thr.frames, 0, "a timer 2 ms away fired inside a 100 us loop");
	cr_assert_eq(thr.in_isr, 0);
}
