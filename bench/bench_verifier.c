/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_verifier.c - `ndisrt bench verifier`: what the verifier costs
 * the main job, as a ratio measured in one run.
 *
 *  run_vn1_<irq>_verifier_fatal_vs_off
 *      wall time of `ndisrt run --driver vn1 --frames N --irq IRQ` with the
 *      verifier on (fatal: lock order, watchdogs, guidance counts; their ke
 *      hooks) vs the same run with --verifier off
 *
 * The verifier is one per process, so each run is a child process of this
 * one (this very executable); on and off alternate, and each figure is the
 * median of its runs. Goal: <= 2x.
 */
#include "bench/bench.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int ndisrt_bench_verifier(int argc, char **argv);

/* One `ndisrt run` child: its wall time in ms, or a negative value if it failed. */
static double one_run(const char *self, const char *irq, const char *frames, const char *mode)
{
	static char a_self[4096], a_irq[16], a_frames[24], a_mode[16];
	char *const args[] = {a_self, "run",	  "--quiet", "--driver",   "vn1",  "--irq",
			      a_irq,  "--frames", a_frames,  "--verifier", a_mode, NULL};
	uint64_t t0;
	int status;
	pid_t pid;

	snprintf(a_self, sizeof(a_self), "%s", self);
	snprintf(a_irq, sizeof(a_irq), "%s", irq);
	snprintf(a_frames, sizeof(a_frames), "%s", frames);
	snprintf(a_mode, sizeof(a_mode), "%s", mode);
	t0 = bench_now_ns();
	pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(self, args);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return (double)(bench_now_ns() - t0) / 1e6;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ndisrt bench verifier [--json] [--quick]\n"
		   "  the main job (ndisrt run, sample vn1, msix and line) with the verifier on\n"
		   "  vs off, as a ratio of wall times measured in this run\n");
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
		double on[5], off[5];
		char name[96];

		for (unsigned r = 0; r < rounds; r++) {
			off[r] = one_run(self, irqs[k], frames, "off");
			on[r] = one_run(self, irqs[k], frames, "fatal");
			if (off[r] < 0 || on[r] < 0) {
				fprintf(stderr,
					"ndisrt bench verifier: `ndisrt run --irq %s --frames %s` "
					"failed\n",
					irqs[k], frames);
				return 1;
			}
		}
		snprintf(name, sizeof(name), "run_vn1_%s_verifier_fatal_vs_off", irqs[k]);
		bench_row(&o, name, bench_quantile(on, rounds, 0.5),
			  bench_quantile(off, rounds, 0.5), "ms", "<= 2x");
	}
	return 0;
}
