/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_verifier.c - `ndisrt bench verifier`: what the verifier costs
 * the main job, as a ratio measured in one run.
 *
 *  run_vn1_<irq>_verifier_fatal_vs_off
 *      wall time of `ndisrt run --driver vn1 --frames N --irq IRQ` with its
 *      defaults (verifier fatal: lock order, watchdogs, guidance counts) vs
 *      the same run with --verifier off
 *  run_vn1_<irq>_verifier_fatal_vs_off_cpu
 *      the same, as the children's CPU time (user + system), which a shared
 *      machine's load disturbs less than wall time
 *  run_vn1_<irq>_hold_timing_vs_off_cpu
 *      CPU time with `--watchdog hold-us=25` (every lock hold timed: ke's lock
 *      and IRQL events on) vs --verifier off: what the opt-in costs
 *
 * The verifier is one per process, so each run is a child process of this
 * one (this very executable); on and off alternate, and each figure is the
 * median of its runs. Goal: <= 2x.
 */
#include "bench/bench.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int ndisrt_bench_verifier(int argc, char **argv);

struct run_cost {
	double wall_ms, cpu_ms; /* cpu: the child's user + system time */
};

/* One `ndisrt run` child with @mode's options; false if it failed. */
static bool one_run(const char *self, const char *irq, const char *frames, const char *mode,
		    struct run_cost *out)
{
	static char a_self[4096], a_irq[16], a_frames[24];
	char *args[16] = {a_self,  "run", "--quiet",  "--driver", "vn1",
			  "--irq", a_irq, "--frames", a_frames};
	unsigned n = 9;
	struct rusage ru;
	uint64_t t0;
	int status;
	pid_t pid;

	snprintf(a_self, sizeof(a_self), "%s", self);
	snprintf(a_irq, sizeof(a_irq), "%s", irq);
	snprintf(a_frames, sizeof(a_frames), "%s", frames);
	if (!strcmp(mode, "off")) {
		args[n++] = "--verifier";
		args[n++] = "off";
	} else if (!strcmp(mode, "hold")) {
		args[n++] = "--watchdog";
		args[n++] = "hold-us=25";
	} /* "default": ndisrt run's own defaults (verifier fatal, watchdog on) */
	args[n] = NULL;
	t0 = bench_now_ns();
	pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(self, args);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return false;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return false;
	out->wall_ms = (double)(bench_now_ns() - t0) / 1e6;
	out->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return true;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ndisrt bench verifier [--json] [--quick]\n"
		   "  the main job (ndisrt run, sample vn1, msix and line) with the verifier on\n"
		   "  vs off, as ratios of wall and CPU times measured in this run, and the\n"
		   "  CPU cost of timing lock holds (--watchdog hold-us)\n");
}

int ndisrt_bench_verifier(int argc, char **argv)
{
	static const char *const irqs[] = {"msix", "line"};
	struct bench_out o = {.f = stdout};
	bool quick = false;
	unsigned rounds;
	const char *frames;
	char self[4096];
	ssize_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--quick")) {
			quick = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "ndisrt bench verifier: unknown option '%s' (try --help)\n",
				argv[i]);
			return 64;
		}
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		fprintf(stderr, "ndisrt bench verifier: cannot find this executable: %s\n",
			strerror(errno));
		return 70;
	}
	self[n] = 0;
	rounds = quick ? 2 : 5;
	frames = quick ? "5000" : "40000";
	bench_begin(&o, "ndisrt bench verifier: the main job, verifier on vs off (ms per run)");
	for (size_t k = 0; k < sizeof(irqs) / sizeof(irqs[0]); k++) {
		double on[5], off[5], on_cpu[5], off_cpu[5], hold_cpu[5];
		char name[96];

		for (unsigned r = 0; r < rounds; r++) {
			struct run_cost c_off, c_on, c_hold;

			if (!one_run(self, irqs[k], frames, "off", &c_off) ||
			    !one_run(self, irqs[k], frames, "default", &c_on) ||
			    !one_run(self, irqs[k], frames, "hold", &c_hold)) {
				fprintf(stderr,
					"ndisrt bench verifier: `ndisrt run --irq %s --frames %s` "
					"failed\n",
					irqs[k], frames);
				return 1;
			}
			off[r] = c_off.wall_ms;
			on[r] = c_on.wall_ms;
			off_cpu[r] = c_off.cpu_ms;
			on_cpu[r] = c_on.cpu_ms;
			hold_cpu[r] = c_hold.cpu_ms;
		}
		snprintf(name, sizeof(name), "run_vn1_%s_verifier_fatal_vs_off", irqs[k]);
		bench_row(&o, name, bench_quantile(on, rounds, 0.5),
			  bench_quantile(off, rounds, 0.5), "ms", "<= 2x");
		snprintf(name, sizeof(name), "run_vn1_%s_verifier_fatal_vs_off_cpu", irqs[k]);
		bench_row(&o, name, bench_quantile(on_cpu, rounds, 0.5),
			  bench_quantile(off_cpu, rounds, 0.5), "ms", "<= 2x");
		snprintf(name, sizeof(name), "run_vn1_%s_hold_timing_vs_off_cpu", irqs[k]);
		bench_row(&o, name, bench_quantile(hold_cpu, rounds, 0.5),
			  bench_quantile(off_cpu, rounds, 0.5), "ms", "opt-in");
	}
	return 0;
}
