/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_core.c - `ndisrt bench core`: the processor model's hot paths
 * against the raw primitives they are built from, measured in one run.
 *
 *  irql_raise_lower_pair      KeRaiseIrql+KeLowerIrql  vs a bare TAS spin-lock pair
 *  spin_acquire_release_pair  KeAcquireSpinLock+KeReleaseSpinLock
 *                                                      vs a bare TAS spin-lock pair
 *  sync_execution_uncontended KeSynchronizeExecution   vs a bare TAS spin-lock pair
 *  *_counting_vs_none         the same pairs with the main job's statistics on
 *                             (ke_machine_time_dpcs)   vs with nothing on
 *  *_subscribed_vs_none       the same pairs with one hook subscriber (ISR and
 *                             DPC members only)        vs with none
 *  interrupt_to_busy_vcpu     request -> ISR entry on a vCPU spinning at PASSIVE
 *                                                      vs tgkill -> signal handler
 *  interrupt_to_idle_vcpu     request -> ISR entry on an idle vCPU
 *                                                      vs futex wake -> waiter running
 */
#include "bench/bench.h"
#include "ke/ke.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct core_params {
	unsigned batches; /* for the ns/op measurements */
	unsigned batch_ops;
	unsigned latency_rounds;  /* alternating ke/raw rounds */
	unsigned latency_samples; /* per round */
};

static inline void relax(void)
{
	__builtin_ia32_pause();
}

static void pin_self(unsigned cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % (unsigned)sysconf(_SC_NPROCESSORS_ONLN), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* ------------------------------------------------------- ns/op measurements */

static atomic_uint bare_word;

static inline void bare_lock(void)
{
	while (atomic_exchange_explicit(&bare_word, 1, memory_order_acquire))
		relax();
}

static inline void bare_unlock(void)
{
	atomic_store_explicit(&bare_word, 0, memory_order_release);
}

enum op_kind { OP_BARE, OP_IRQL, OP_SPIN, OP_SYNC };

/* What is switched on while a batch runs. */
enum op_mode { MODE_NONE, MODE_COUNTING, MODE_SUBSCRIBED, NR_MODES };

static struct {
	const struct core_params *p;
	struct ke_machine *m;
	struct ke_interrupt intr;
	struct ke_spinlock lock;
	double bare[64], sync[64];
	double irql[NR_MODES][64], spin[NR_MODES][64];
} ops;

/* A subscriber shaped like the statistics hook the main job used to install:
 * ISR and DPC members only. Installed, it still sends every IRQL change and
 * spin-lock operation down the slow path (that is what the row shows). */
static void noop_isr_enter(void *ctx, struct ke_interrupt *intr)
{
	(void)ctx, (void)intr;
}

static void noop_dpc(void *ctx, struct ke_dpc *dpc)
{
	(void)ctx, (void)dpc;
}

static const struct ke_hooks stats_shaped_subscriber = {
    .isr_enter = noop_isr_enter,
    .dpc_enter = noop_dpc,
    .dpc_exit = noop_dpc,
};

static void set_mode(enum op_mode mode, bool on)
{
	if (mode == MODE_COUNTING)
		ke_machine_time_dpcs(ops.m, on);
	else if (mode == MODE_SUBSCRIBED && on)
		ke_hooks_add(ops.m, &stats_shaped_subscriber);
	else if (mode == MODE_SUBSCRIBED)
		ke_hooks_remove(ops.m, &stats_shaped_subscriber);
}

static bool trivial_routine(void *ctx)
{
	(void)ctx;
	return true;
}

static double run_batch(enum op_kind k, unsigned n)
{
	uint64_t t0 = bench_now_ns();

	switch (k) {
	case OP_BARE:
		for (unsigned i = 0; i < n; i++) {
			bare_lock();
			bare_unlock();
		}
		break;
	case OP_IRQL:
		for (unsigned i = 0; i < n; i++)
			ke_irql_lower(ke_irql_raise(KE_DISPATCH_LEVEL));
		break;
	case OP_SPIN:
		for (unsigned i = 0; i < n; i++)
			ke_spin_release(&ops.lock, ke_spin_acquire(&ops.lock));
		break;
	case OP_SYNC:
		for (unsigned i = 0; i < n; i++)
			ke_synchronize_execution(&ops.intr, trivial_routine, NULL);
		break;
	}
	return (double)(bench_now_ns() - t0) / n;
}

/* Runs on vCPU 0 at PASSIVE_LEVEL: batches interleaved to share any drift. */
static void measure_ops(void *arg)
{
	unsigned b = ops.p->batches, n = ops.p->batch_ops;

	(void)arg;
	run_batch(OP_BARE, n); /* warm-up */
	run_batch(OP_IRQL, n);
	run_batch(OP_SPIN, n);
	run_batch(OP_SYNC, n);
	for (unsigned i = 0; i < b; i++) {
		ops.bare[i] = run_batch(OP_BARE, n);
		ops.sync[i] = run_batch(OP_SYNC, n);
		for (enum op_mode mode = MODE_NONE; mode < NR_MODES; mode++) {
			set_mode(mode, true);
			ops.irql[mode][i] = run_batch(OP_IRQL, n);
			ops.spin[mode][i] = run_batch(OP_SPIN, n);
			set_mode(mode, false);
		}
	}
}

static bool noop_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	return true;
}

static void bench_ops(struct bench_out *o, struct ke_machine *m, const struct core_params *p)
{
	int vec = ke_vector_alloc(m, 5);
	unsigned b = p->batches;

	ops.p = p;
	ops.m = m;
	ke_spin_init(&ops.lock);
	ke_interrupt_init(&ops.intr, noop_isr, NULL, (unsigned)vec, NULL, 5, 1);
	ke_interrupt_connect(m, &ops.intr);
	ke_vcpu_call(ke_machine_vcpu(m, 0), measure_ops, NULL);
	ke_interrupt_disconnect(m, &ops.intr);
	ke_vector_free(m, (unsigned)vec);
	double bare = bench_quantile(ops.bare, b, 0.5);
	double irql[NR_MODES], spin[NR_MODES];

	for (enum op_mode mode = MODE_NONE; mode < NR_MODES; mode++) {
		irql[mode] = bench_quantile(ops.irql[mode], b, 0.5);
		spin[mode] = bench_quantile(ops.spin[mode], b, 0.5);
	}
	bench_row(o, "irql_raise_lower_pair", irql[MODE_NONE], bare, "ns", "<= 1x");
	bench_row(o, "spin_acquire_release_pair", spin[MODE_NONE], bare, "ns", NULL);
	bench_row(o, "sync_execution_uncontended", bench_quantile(ops.sync, b, 0.5), bare, "ns",
		  "<= 1.5x");
	/* The main job's statistics must leave the fast paths alone. */
	bench_row(o, "irql_raise_lower_counting_vs_none", irql[MODE_COUNTING], irql[MODE_NONE],
		  "ns", "= 1x (no slow path)");
	bench_row(o, "spin_acquire_release_counting_vs_none", spin[MODE_COUNTING], spin[MODE_NONE],
		  "ns", "= 1x (no slow path)");
	/* What any subscriber (verifier, tracer) costs them: the slow path. */
	bench_row(o, "irql_raise_lower_subscribed_vs_none", irql[MODE_SUBSCRIBED], irql[MODE_NONE],
		  "ns", NULL);
	bench_row(o, "spin_acquire_release_subscribed_vs_none", spin[MODE_SUBSCRIBED],
		  spin[MODE_NONE], "ns", NULL);
}

/* ------------------------------------------------- interrupt delivery latency */

static struct {
	atomic_ulong t1; /* time the ISR / handler / waiter started */
	atomic_bool stop;
	atomic_uint futex_word;
	atomic_int raw_tid;
	atomic_bool raw_ready;
} lat;

static bool stamp_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	atomic_store_explicit(&lat.t1, bench_now_ns(), memory_order_release);
	return true;
}

static void busy_until_stop(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&lat.stop, memory_order_relaxed))
		relax();
}

static void raw_handler(int sig)
{
	(void)sig;
	atomic_store_explicit(&lat.t1, bench_now_ns(), memory_order_release);
}

static void *raw_busy_thread(void *arg)
{
	(void)arg;
	pin_self(1);
	atomic_store(&lat.raw_tid, (int)syscall(SYS_gettid));
	atomic_store(&lat.raw_ready, true);
	while (!atomic_load_explicit(&lat.stop, memory_order_relaxed))
		relax();
	return NULL;
}

static void *raw_futex_thread(void *arg)
{
	(void)arg;
	pin_self(1);
	atomic_store(&lat.raw_ready, true);
	while (!atomic_load(&lat.stop)) {
		unsigned w = atomic_load(&lat.futex_word);

		syscall(SYS_futex, &lat.futex_word, FUTEX_WAIT_PRIVATE, w, NULL, NULL, 0);
		if (atomic_load(&lat.futex_word) != w)
			atomic_store_explicit(&lat.t1, bench_now_ns(), memory_order_release);
	}
	return NULL;
}

/* One latency sample: @kick starts the event, the target stamps lat.t1. */
static double sample(void (*kick)(void *), void *arg)
{
	uint64_t t0, t1, deadline;

	atomic_store(&lat.t1, 0);
	t0 = bench_now_ns();
	kick(arg);
	deadline = t0 + 1000000000ull;
	while ((t1 = atomic_load_explicit(&lat.t1, memory_order_acquire)) == 0) {
		relax();
		if (bench_now_ns() > deadline)
			return -1;
	}
	return (double)(t1 - t0);
}

struct ke_kick {
	struct ke_machine *m;
	unsigned vector;
};

static void kick_ke(void *arg)
{
	struct ke_kick *k = arg;

	ke_interrupt_request(k->m, 1, k->vector);
}

static void kick_tgkill(void *arg)
{
	(void)arg;
	syscall(SYS_tgkill, getpid(), atomic_load(&lat.raw_tid), SIGRTMIN + 2);
}

static void kick_futex(void *arg)
{
	(void)arg;
	atomic_fetch_add(&lat.futex_word, 1);
	syscall(SYS_futex, &lat.futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Wait until the idle target is really asleep again (not merely done). */
static void settle(void)
{
	uint64_t until = bench_now_ns() + 20000;

	while (bench_now_ns() < until)
		relax();
}

static void collect(double *out, size_t *n, void (*kick)(void *), void *arg, unsigned count,
		    bool let_sleep)
{
	for (unsigned i = 0; i < count; i++) {
		double s = sample(kick, arg);

		if (s >= 0)
			out[(*n)++] = s;
		if (let_sleep)
			settle();
	}
}

static void report_latency(struct bench_out *o, const char *name, double *ke, size_t nk,
			   double *raw, size_t nr, const char *goal50, const char *goal99)
{
	char buf[96];
	double k50 = bench_quantile(ke, nk, 0.5), k99 = bench_quantile(ke, nk, 0.99);
	double r50 = bench_quantile(raw, nr, 0.5), r99 = bench_quantile(raw, nr, 0.99);

	snprintf(buf, sizeof(buf), "%s_p50", name);
	bench_row(o, buf, k50, r50, "ns", goal50);
	if (goal99) {
		snprintf(buf, sizeof(buf), "%s_p99", name);
		bench_row(o, buf, k99, r99, "ns", goal99);
	}
}

static void bench_busy(struct bench_out *o, struct ke_machine *m, const struct core_params *p)
{
	size_t cap = (size_t)p->latency_rounds * p->latency_samples, nk = 0, nr = 0;
	double *ke = calloc(cap, sizeof(double)), *raw = calloc(cap, sizeof(double));
	struct ke_interrupt intr;
	struct ke_kick k = {m, (unsigned)ke_vector_alloc(m, 5)};
	struct ke_work busy;
	pthread_t th;

	ke_interrupt_init(&intr, stamp_isr, NULL, k.vector, NULL, 5, 2);
	ke_interrupt_connect(m, &intr);
	signal(SIGRTMIN + 2, raw_handler);
	for (unsigned r = 0; r < p->latency_rounds; r++) {
		/* ndisrt: vCPU 1 spins at PASSIVE_LEVEL. */
		atomic_store(&lat.stop, false);
		ke_work_init(&busy, busy_until_stop, NULL);
		ke_vcpu_post(ke_machine_vcpu(m, 1), &busy);
		collect(ke, &nk, kick_ke, &k, p->latency_samples, false);
		atomic_store(&lat.stop, true);
		ke_work_wait(&busy);
		/* raw: a plain thread spins on the same core. */
		atomic_store(&lat.stop, false);
		atomic_store(&lat.raw_ready, false);
		pthread_create(&th, NULL, raw_busy_thread, NULL);
		while (!atomic_load(&lat.raw_ready))
			relax();
		collect(raw, &nr, kick_tgkill, NULL, p->latency_samples, false);
		atomic_store(&lat.stop, true);
		pthread_join(th, NULL);
	}
	ke_interrupt_disconnect(m, &intr);
	ke_vector_free(m, k.vector);
	report_latency(o, "interrupt_to_busy_vcpu", ke, nk, raw, nr, "<= 1.25x", "<= 1.5x");
	free(ke);
	free(raw);
}

static void bench_idle(struct bench_out *o, struct ke_machine *m, const struct core_params *p)
{
	size_t cap = (size_t)p->latency_rounds * p->latency_samples, nk = 0, nr = 0;
	double *ke = calloc(cap, sizeof(double)), *raw = calloc(cap, sizeof(double));
	struct ke_interrupt intr;
	struct ke_kick k = {m, (unsigned)ke_vector_alloc(m, 5)};
	pthread_t th;

	ke_interrupt_init(&intr, stamp_isr, NULL, k.vector, NULL, 5, 2);
	ke_interrupt_connect(m, &intr);
	for (unsigned r = 0; r < p->latency_rounds; r++) {
		ke_machine_quiesce(m, 0);
		collect(ke, &nk, kick_ke, &k, p->latency_samples, true);
		atomic_store(&lat.stop, false);
		atomic_store(&lat.raw_ready, false);
		pthread_create(&th, NULL, raw_futex_thread, NULL);
		while (!atomic_load(&lat.raw_ready))
			relax();
		settle();
		collect(raw, &nr, kick_futex, NULL, p->latency_samples, true);
		atomic_store(&lat.stop, true);
		kick_futex(NULL);
		pthread_join(th, NULL);
	}
	ke_interrupt_disconnect(m, &intr);
	ke_vector_free(m, k.vector);
	report_latency(o, "interrupt_to_idle_vcpu", ke, nk, raw, nr, "<= 1.25x", NULL);
	free(ke);
	free(raw);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ndisrt bench core [--json] [--quick]\n"
		   "  Measures the processor model against raw primitives in the same run.\n"
		   "  --json   one JSON object per line: name, value, baseline, ratio, unit\n"
		   "  --quick  fewer samples (a smoke run; figures are noisier)\n");
}

int ndisrt_bench_core(int argc, char **argv)
{
	struct core_params p = {
	    .batches = 15, .batch_ops = 200000, .latency_rounds = 5, .latency_samples = 2000};
	struct bench_out o = {.f = stdout};
	struct ke_machine_config cfg = {.nr_vcpus = 2};
	struct ke_machine *m;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--quick")) {
			p = (struct core_params){.batches = 5,
						 .batch_ops = 20000,
						 .latency_rounds = 2,
						 .latency_samples = 200};
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "ndisrt bench core: unknown option '%s' (try --help)\n",
				argv[i]);
			return 64;
		}
	}
	pin_self(0);
	m = ke_machine_create(&cfg);
	if (!m) {
		fprintf(stderr, "ndisrt bench core: cannot create a machine: %s\n",
			strerror(errno));
		return 70;
	}
	bench_begin(&o, "ndisrt bench core (2 vCPUs; baseline measured in the same run)");
	bench_ops(&o, m, &p);
	bench_busy(&o, m, &p);
	bench_idle(&o, m, &p);
	ke_machine_free(m);
	return 0;
}
