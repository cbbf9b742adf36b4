/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_sim.c - `ndisrt bench sim`: the deterministic engine's speed.
 *
 *  - scheduler decisions per second on a small scenario (2 vCPUs, each
 *    running a loop of preemption points under the random strategy), against
 *    the goal of 1 M/s;
 *  - the main job (`ndisrt run --frames N`) on the sim engine against the
 *    same job on the threads engine, wall time of the whole process, median
 *    of several runs (goal: within 3x).
 */
#include "bench/bench.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ke/ke.h"
#include "ke/sim/sim.h"

#define POINTS_PER_VCPU 500000u

static void points_loop(void *arg)
{
	unsigned n = *(unsigned *)arg;

	for (unsigned i = 0; i < n; i++)
		ke_preempt_point(KE_PP_DDI_ENTER);
}

/* Decisions per second of one run of the scenario. Return: < 0 on error. */
static double decisions_per_second(unsigned points)
{
	struct ke_machine_config mc = {.nr_vcpus = 2, .engine = ke_sim_engine()};
	struct ke_sim_config c;
	struct ke_sim_stats before, after;
	struct ke_machine *m;
	struct ke_work w[2];
	uint64_t t0, t1;

	ke_sim_config_init(&c);
	c.strategy = KE_SIM_STRATEGY_RANDOM;
	c.seed = 1;
	if (ke_sim_configure(&c))
		return -1;
	m = ke_machine_create(&mc);
	if (!m)
		return -1;
	ke_sim_stats_get(&before);
	t0 = bench_now_ns();
	for (unsigned i = 0; i < 2; i++) {
		ke_work_init(&w[i], points_loop, &points);
		ke_vcpu_post(ke_machine_vcpu(m, i), &w[i]);
	}
	for (unsigned i = 0; i < 2; i++)
		ke_work_wait(&w[i]);
	t1 = bench_now_ns();
	ke_sim_stats_get(&after);
	ke_machine_free(m);
	return (double)(after.decisions - before.decisions) / ((double)(t1 - t0) / 1e9);
}

/* Wall time (ms) of `ndisrt run --frames F --quiet [--engine sim --seed 1]`. */
static double main_job_ms(const char *self, const char *frames, bool sim)
{
	char *argv[] = {"ndisrt",   "run",
			"--frames", (char *)(uintptr_t)frames,
			"--quiet",  sim ? "--engine" : NULL,
			"sim",	    "--seed",
			"1",	    NULL};
	uint64_t t0 = bench_now_ns();
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(self, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return (double)(bench_now_ns() - t0) / 1e6;
}

int ndisrt_bench_sim(int argc, char **argv)
{
	struct bench_out o = {.f = stdout};
	bool quick = false;
	char self[PATH_MAX];
	double dps[5], sim[5], thr[5];
	unsigned reps;
	ssize_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--quick")) {
			quick = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: ndisrt bench sim [--json] [--quick]\n");
			return 0;
		} else {
			fprintf(stderr, "ndisrt bench sim: unknown option '%s' (try --help)\n",
				argv[i]);
			return 64;
		}
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		fprintf(stderr, "ndisrt bench sim: cannot find this program: %s\n",
			strerror(errno));
		return 70;
	}
	self[n] = 0;
	reps = quick ? 1 : 5;
	bench_begin(&o, "ndisrt bench sim: the deterministic engine");
	for (unsigned r = 0; r < reps; r++) {
		dps[r] = decisions_per_second(quick ? POINTS_PER_VCPU / 10 : POINTS_PER_VCPU);
		if (dps[r] < 0) {
			fprintf(stderr, "ndisrt bench sim: cannot run the sim engine\n");
			return 70;
		}
	}
	bench_row(&o, "sim decisions per second (baseline: goal)", bench_quantile(dps, reps, 0.5),
		  1e6, "decisions/s", ">= 1.00x");
	for (unsigned r = 0; r < reps; r++) {
		const char *frames = quick ? "5000" : "50000";

		thr[r] = main_job_ms(self, frames, false);
		sim[r] = main_job_ms(self, frames, true);
		if (thr[r] < 0 || sim[r] < 0) {
			fprintf(stderr, "ndisrt bench sim: a main job run failed\n");
			return 70;
		}
	}
	bench_row(&o, "main job wall time, sim (baseline: threads)", bench_quantile(sim, reps, 0.5),
		  bench_quantile(thr, reps, 0.5), "ms", "<= 3.00x");
	return 0;
}
