/* SPDX-License-Identifier: MIT */
/*
 * explore/explore.c - `ndisrt explore`, `ndisrt explore --merge` and
 * `ndisrt replay` (docs/sim.md).
 *
 * Each run of a campaign is `ndisrt run --engine sim` in a child process
 * with one schedule: a seed (random, pct), or one injection point (sweep),
 * or a list of deviations (replay, shrinking). The child writes its
 * schedule file (--sim-log); its exit status says how it went (0 passed,
 * 1 a bug check or a failed run). Failures are told apart by a signature
 * (bug-check code, first parameter for the NDIS and verifier codes, and the
 * first frame in the driver, or else the frame that reported it); the first
 * run of each signature becomes a bundle: the schedule, the report, the
 * seed, the build id and the command that replays it. Shrinking replays
 * ever smaller subsets of the deviations (delta debugging by chunks) and
 * keeps a subset while the run still fails with the same signature.
 */
#include "explore/explore.h"
#include "ke/sim/sim.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EX_USAGE 64
#define EX_NOINPUT 66
#define EX_SOFTWARE 70
#define XP_MAX_ARGS 128
#define XP_MAX_SIGS 64
#define XP_SIG_LEN 200

enum xp_strategy { XP_RANDOM, XP_SWEEP, XP_PCT, XP_EXHAUSTIVE };

/* exhaustive: at most this many schedules (sum of C(M, i), i = 1..K). */
#define XP_MAX_EXHAUSTIVE 1000000ull

struct xp_opts {
	char *run_args[XP_MAX_ARGS]; /* passed to `ndisrt run` as they are */
	int nr_run_args;
	uint64_t runs;	/* 0: until --seconds */
	double seconds; /* 0: until --runs */
	enum xp_strategy strategy;
	unsigned depth;	 /* pct:D; exhaustive:K (injections per schedule) */
	uint64_t points; /* exhaustive:K:M (the first M preemption points below DIRQL) */
	uint64_t seed;
	unsigned shard, shards;
	const char *out;
	double shrink_seconds;
	double timeout; /* wall-clock bound of one run */
	bool quiet;
	unsigned cpus;	  /* for PCT's bound */
	char *abs_driver; /* realpath of --driver (freed at the end) */
};

struct xp_sig {
	char sig[XP_SIG_LEN];
	char what[XP_SIG_LEN];
	uint64_t count;
	uint64_t first_run;
	uint64_t first_seed;
	char bundle[PATH_MAX];
	long critical;	 /* deviations after shrinking; -1: not shrunk */
	long found_with; /* deviations in the failing schedule */
	bool replays;	 /* its replay failed the same way */
};

struct xp_result {
	enum { XP_PASS, XP_FAIL, XP_ERROR } kind;
	char sig[XP_SIG_LEN];
	char what[XP_SIG_LEN];
};

static char self_exe[PATH_MAX];

/* ------------------------------------------------------------- helpers */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int whole(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int positive(const char *s, double *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return errno || *end || !(*out >= 0) || *out > 1e7 ? -1 : 0;
}

static int find_self(void)
{
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	if (n < 0)
		return -1;
	self_exe[n] = 0;
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

/* The GNU build id of this program, in hex ("none" without one). */
static int build_id_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	char *out = arg;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const unsigned char *desc =
			    (const unsigned char *)p + sizeof(*nh) + ((nh->n_namesz + 3) & ~3u);

			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    !memcmp(p + sizeof(*nh), "GNU", 4)) {
				for (unsigned k = 0; k < nh->n_descsz && k < 32; k++)
					sprintf(out + 2 * k, "%02x", desc[k]);
				return 1;
			}
			p += sizeof(*nh) + ((nh->n_namesz + 3) & ~3u) + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 1; /* the first object is the program itself */
}

static const char *build_id(void)
{
	static char id[80] = "none";
	static bool done;

	if (!done) {
		dl_iterate_phdr(build_id_cb, id);
		done = true;
	}
	return id;
}

/* ----------------------------------------------------------- one run */

/*
 * Run `ndisrt run RUN_ARGS --engine sim --quiet --seed SEED --sim-strategy
 * STRATEGY --sim-log LOG`, output to @out_path. Kill it after @timeout s.
 * Return: the wait status, or -1 (could not start), -2 (killed: hang).
 */
static int spawn_run(const struct xp_opts *o, uint64_t seed, const char *strategy, const char *log,
		     const char *out_path)
{
	char seedbuf[32], stbuf[PATH_MAX + 32];
	char *argv[XP_MAX_ARGS + 16];
	int argc = 0, status;
	double deadline;
	pid_t pid;

	snprintf(seedbuf, sizeof(seedbuf), "%" PRIu64, seed);
	snprintf(stbuf, sizeof(stbuf), "%s", strategy);
	argv[argc++] = "ndisrt";
	argv[argc++] = "run";
	for (int i = 0; i < o->nr_run_args; i++)
		argv[argc++] = o->run_args[i];
	argv[argc++] = "--engine";
	argv[argc++] = "sim";
	argv[argc++] = "--quiet";
	argv[argc++] = "--seed";
	argv[argc++] = seedbuf;
	argv[argc++] = "--sim-strategy";
	argv[argc++] = stbuf;
	argv[argc++] = "--sim-log";
	argv[argc++] = (char *)(uintptr_t)log; /* execv's argv is not const; nothing writes it */
	argv[argc] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		execv(self_exe, argv);
		_exit(127);
	}
	deadline = now_s() + o->timeout;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
		if (now_s() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -2;
		}
		nanosleep(&(struct timespec){.tv_nsec = 500000}, NULL);
	}
}

/* Keep letters and punctuation of @s, turning each run of digits into "N". */
static void no_numbers(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r >= '0' && *r <= '9') {
			if (w == s || w[-1] != 'N')
				*w++ = 'N';
			continue;
		}
		*w++ = *r;
	}
	*w = 0;
}

/* The signature of a failed run, from its output. */
static void signature(const char *out_path, struct xp_result *r)
{
	FILE *f = fopen(out_path, "r");
	char line[1024], at[128] = "", in_driver[128] = "", result[256] = "";
	unsigned code = 0;
	unsigned long long p1 = 0;
	bool stop = false, chain = false, after_report = false;

	r->what[0] = 0;
	if (!f) {
		snprintf(r->sig, sizeof(r->sig), "no output");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[128], module[512];

		line[strcspn(line, "\n")] = 0;
		if (!stop && sscanf(line, "*** STOP: 0x%x (0x%llx", &code, &p1) == 2) {
			stop = true;
		} else if (stop && !r->what[0] && !strncmp(line, "What: ", 6)) {
			snprintf(r->what, sizeof(r->what), "%.199s", line + 6);
		} else if (stop && !strcmp(line, "Call chain:")) {
			chain = true;
		} else if (chain &&
			   sscanf(line, " #%*d %127[^+ ]+0x%*x (%511[^)])", name, module) == 2) {
			size_t ml = strlen(module);

			if (!in_driver[0] && ml > 3 && !strcmp(module + ml - 3, ".so") &&
			    strncmp(module, "/lib", 4) && strncmp(module, "/usr/lib", 8))
				snprintf(in_driver, sizeof(in_driver), "%s", name);
			/* The first frame after those that report a violation. */
			bool reporter = strstr(name, "bugcheck") || strstr(name, "violation") ||
					strstr(name, "assert");

			if (after_report && !reporter && !at[0])
				snprintf(at, sizeof(at), "%s", name);
			after_report = after_report || reporter;
		} else if (chain && line[0] != ' ') {
			chain = false;
		} else if (!strncmp(line, "Result: FAILED - ", 17)) {
			snprintf(result, sizeof(result), "%.255s", line + 17);
		}
	}
	fclose(f);
	if (stop) {
		/* 0xC4 and 0x7C: P1 names the rule; elsewhere it may be an address. */
		if (code == 0xC4 || code == 0x7C)
			snprintf(r->sig, sizeof(r->sig), "STOP 0x%X/0x%llX %s %s", code, p1,
				 in_driver[0] ? "in" : "at", in_driver[0] ? in_driver : at);
		else
			snprintf(r->sig, sizeof(r->sig), "STOP 0x%X %s %s", code,
				 in_driver[0] ? "in" : "at", in_driver[0] ? in_driver : at);
		return;
	}
	if (result[0]) {
		snprintf(r->what, sizeof(r->what), "%.*s", (int)sizeof(r->what) - 1, result);
		no_numbers(result);
		snprintf(r->sig, sizeof(r->sig), "FAILED: %.180s", result);
		return;
	}
	snprintf(r->sig, sizeof(r->sig), "exit 1 without a report");
}

static void classify(int status, const char *out_path, struct xp_result *r)
{
	memset(r, 0, sizeof(*r));
	if (status == -2) {
		r->kind = XP_FAIL;
		snprintf(r->sig, sizeof(r->sig), "HANG (killed at the run's wall-clock bound)");
		return;
	}
	if (status == -1) {
		r->kind = XP_ERROR;
		snprintf(r->sig, sizeof(r->sig), "could not start a run: %s", strerror(errno));
		return;
	}
	if (WIFSIGNALED(status)) {
		r->kind = XP_FAIL;
		snprintf(r->sig, sizeof(r->sig), "CRASH: signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
		return;
	}
	switch (WEXITSTATUS(status)) {
	case 0:
		r->kind = XP_PASS;
		return;
	case 1:
		r->kind = XP_FAIL;
		signature(out_path, r);
		return;
	default: {
		FILE *f = fopen(out_path, "r");
		char line[400] = "";

		if (f) {
			if (!fgets(line, sizeof(line), f))
				line[0] = 0;
			fclose(f);
		}
		line[strcspn(line, "\n")] = 0;
		r->kind = XP_ERROR;
		snprintf(r->sig, sizeof(r->sig), "ndisrt run exited %d: %.150s",
			 WEXITSTATUS(status), line);
		return;
	}
	}
}

/* The "end" line's field @key (e.g. "eligible=") of a schedule file. */
static int log_end_field(const char *log, const char *key, uint64_t *out)
{
	FILE *f = fopen(log, "r");
	char line[512];
	int rc = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if (strncmp(line, "end ", 4) || !(p = strstr(line, key)))
			continue;
		*out = strtoull(p + strlen(key), NULL, 10);
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* ------------------------------------------------------------ shrinking */

/* A deviation as a schedule file has it (ke/sim/sim.h, struct ke_sim_deviation). */
struct xp_dev {
	unsigned long long index;
	unsigned kind, value, vcpu;
	unsigned long long local;
};

static long read_devs(const char *log, struct xp_dev **out)
{
	FILE *f = fopen(log, "r");
	struct xp_dev *d = NULL;
	size_t n = 0, cap = 0;
	char line[256];

	*out = NULL;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct xp_dev x;

		if (sscanf(line, "dev %llu %u %u %u %llu", &x.index, &x.kind, &x.value, &x.vcpu,
			   &x.local) != 5)
			continue;
		if (n == cap) {
			struct xp_dev *nd;

			cap = cap ? cap * 2 : 256;
			nd = realloc(d, cap * sizeof(*nd));
			if (!nd) {
				free(d);
				fclose(f);
				return -1;
			}
			d = nd;
		}
		d[n++] = x;
	}
	fclose(f);
	*out = d;
	return (long)n;
}

static int write_devs(const char *path, const struct xp_dev *d, long n, const char *comment)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "# %s\n", comment);
	for (long i = 0; i < n; i++)
		fprintf(f, "dev %llu %u %u %u %llu\n", d[i].index, d[i].kind, d[i].value, d[i].vcpu,
			d[i].local);
	return fclose(f);
}

/* Does the schedule @sched fail with signature @sig? Its actual log -> @log. */
static bool replay_fails_as(const struct xp_opts *o, const char *sched, const char *log,
			    const char *out, const char *sig)
{
	char st[PATH_MAX + 16];
	struct xp_result r;

	if (snprintf(st, sizeof(st), "replay:%s", sched) >= (int)sizeof(st))
		return false; /* a path too long to name: cannot replay it */
	classify(spawn_run(o, 0, st, log, out), out, &r);
	return r.kind == XP_FAIL && !strcmp(r.sig, sig);
}

/*
 * Shrink the failing schedule of bundle @s (delta debugging by chunks).
 * Writes schedule.min in the bundle. Return: critical decisions left.
 */
static long shrink(const struct xp_opts *o, struct xp_sig *s)
{
	char sched[PATH_MAX + 32], tryf[PATH_MAX + 32], trylog[PATH_MAX + 32], out[PATH_MAX + 32],
	    best[PATH_MAX + 32];
	struct xp_dev *cur = NULL, *cand;
	long n, chunk;
	double end = now_s() + o->shrink_seconds;

	snprintf(sched, sizeof(sched), "%s/schedule", s->bundle);
	snprintf(tryf, sizeof(tryf), "%s/shrink.try", s->bundle);
	snprintf(trylog, sizeof(trylog), "%s/shrink.log", s->bundle);
	snprintf(out, sizeof(out), "%s/shrink.out", s->bundle);
	snprintf(best, sizeof(best), "%s/schedule.min", s->bundle);
	n = read_devs(sched, &cur);
	if (n < 0)
		return -1;
	s->found_with = n;
	cand = malloc(((size_t)n + 1) * sizeof(*cand));
	if (!cand) {
		free(cur);
		return -1;
	}
	chunk = n > 1 ? n / 2 : 1;
	while (n > 0 && chunk >= 1 && now_s() < end) {
		bool removed = false;

		for (long start = 0; start < n && now_s() < end;) {
			long k = 0, len = start + chunk > n ? n - start : chunk;

			for (long i = 0; i < n; i++)
				if (i < start || i >= start + len)
					cand[k++] = cur[i];
			write_devs(tryf, cand, k, "shrinking");
			if (replay_fails_as(o, tryf, trylog, out, s->sig)) {
				/* Keep what the run really took (a moved deviation
				 * may have fallen back to the default). */
				struct xp_dev *taken = NULL;
				long t = read_devs(trylog, &taken);

				if (t >= 0 && t <= k) {
					if (t)
						memcpy(cur, taken, (size_t)t * sizeof(*cur));
					n = t;
				} else {
					if (k)
						memcpy(cur, cand, (size_t)k * sizeof(*cur));
					n = k;
				}
				free(taken);
				removed = true;
				continue; /* the same start now covers the next chunk */
			}
			start += len;
		}
		if (!removed) {
			if (chunk == 1)
				break;
			chunk /= 2;
		} else if (chunk > n / 2 && n > 1) {
			chunk = n / 2;
		}
	}
	/*
	 * Removing a deviation renumbers the decisions after it, so chunks can
	 * leave a few that only work together in their original places. Try
	 * every single one and every pair of them on their own.
	 */
	for (long i = 0; n > 2 && i < n && now_s() < end; i++) {
		for (long j = i; j < n && now_s() < end; j++) {
			long k = 0;

			cand[k++] = cur[i];
			if (j != i)
				cand[k++] = cur[j];
			write_devs(tryf, cand, k, "shrinking: pairs");
			if (replay_fails_as(o, tryf, trylog, out, s->sig)) {
				memcpy(cur, cand, (size_t)k * sizeof(*cur));
				n = k;
				break;
			}
		}
	}
	write_devs(best, cur, n, "shrunk schedule: replay it with ndisrt replay BUNDLE");
	unlink(tryf);
	unlink(trylog);
	unlink(out);
	free(cur);
	free(cand);
	return n;
}

/* ------------------------------------------------------------- bundles */

static int write_bundle(const struct xp_opts *o, struct xp_sig *s, const char *strategy,
			const char *log, const char *out)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/schedule", s->bundle);
	if (mkdir(s->bundle, 0755) && errno != EEXIST)
		return -1;
	if (copy_file(log, path))
		return -1;
	snprintf(path, sizeof(path), "%s/report.txt", s->bundle);
	if (copy_file(out, path))
		return -1;
	snprintf(path, sizeof(path), "%s/bundle.txt", s->bundle);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "# ndisrt failure bundle: ndisrt replay %s\n", s->bundle);
	fprintf(f, "signature %s\n", s->sig);
	fprintf(f, "what %s\n", s->what);
	fprintf(f, "seed %" PRIu64 "\n", s->first_seed);
	fprintf(f, "strategy %s\n", strategy);
	fprintf(f, "run %" PRIu64 "\n", s->first_run);
	fprintf(f, "build-id %s\n", build_id());
	for (int i = 0; i < o->nr_run_args; i++)
		fprintf(f, "arg %s\n", o->run_args[i]);
	return fclose(f);
}

static void record_summary(const struct xp_opts *o, const struct xp_sig *sigs, unsigned nr,
			   uint64_t runs)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/summary.tsv", o->out);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "runs\t%" PRIu64 "\n", runs);
	for (unsigned i = 0; i < nr; i++)
		fprintf(f, "failure\t%" PRIu64 "\t%ld\t%s\t%s\t%s\n", sigs[i].count,
			sigs[i].critical, sigs[i].bundle, sigs[i].sig, sigs[i].what);
	fclose(f);
}

/* ------------------------------------------------------------- options */

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: ndisrt explore [options] [run options]\n"
	    "       ndisrt explore --merge DIR...\n"
	    "       ndisrt replay BUNDLE\n"
	    "\n"
	    "Run a miniport many times on the deterministic engine, each time with another\n"
	    "schedule (which vCPU runs, when a device interrupt lands), and report every\n"
	    "distinct failure with the command that replays it (docs/sim.md).\n"
	    "\n"
	    "  --runs N            runs in this campaign (default 100; with --seconds, at most N)\n"
	    "  --seconds S         stop after S seconds of wall time\n"
	    "  --strategy ST       random (default) | sweep (one interrupt injected at each\n"
	    "                      preemption point below DIRQL of a baseline run, in turn)\n"
	    "                      | pct:D (PCT with D-1 priority change points)\n"
	    "                      | exhaustive[:K[:M]] (every schedule with 1..K injected\n"
	    "                      interrupts among the first M preemption points below DIRQL\n"
	    "                      of the baseline; default K 2, M 48; --runs caps it)\n"
	    "  --seed S            first seed (default 1); run k uses seed S+k\n"
	    "  --shard i/N         run only the runs k with k %% N == i (0 <= i < N)\n"
	    "  --out DIR           bundles and summary.tsv here (default explore-out)\n"
	    "  --shrink-seconds S  time to shrink each new failure (default 60; 0: no shrinking)\n"
	    "  --timeout S         a run taking longer is a hang (default 120)\n"
	    "  --quiet             no progress line\n"
	    "  --merge DIR...      join the summaries of sharded campaigns\n"
	    "\n"
	    "Run options (--driver, --cpus, --nics, --irq, --wire, --frames, --size, --flows,\n"
	    "--max-nbls) go to each `ndisrt run`; --frames defaults to 256 here.\n"
	    "\n"
	    "Exit status: 0 nothing found; 1 failures found; 64 bad options; 70 a run could\n"
	    "not be started or ended unexpectedly.\n");
}

static int bad(const char *opt, const char *v, const char *want)
{
	fprintf(stderr, "ndisrt explore: %s %s%s%s: %s\n", opt, v ? "'" : "", v ? v : "",
		v ? "' is not valid" : "needs a value", want);
	return EX_USAGE;
}

static int parse(int argc, char **argv, struct xp_opts *o)
{
	static char frames_opt[] = "--frames", frames_val[] = "256";
	bool frames = false;

	memset(o, 0, sizeof(*o));
	o->runs = 100;
	o->seed = 1;
	o->shards = 1;
	o->out = "explore-out";
	o->shrink_seconds = 60;
	o->timeout = 120;
	o->cpus = 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
		} else if (!strcmp(a, "--quiet")) {
			o->quiet = true;
			continue;
		} else if (!strcmp(a, "--runs")) {
			if (whole(v, &n) || !n)
				return bad(a, v, "a whole number of runs, at least 1");
			o->runs = n;
		} else if (!strcmp(a, "--seconds")) {
			if (positive(v, &o->seconds) || o->seconds <= 0)
				return bad(a, v, "a number of seconds above 0");
		} else if (!strcmp(a, "--strategy")) {
			if (v && !strcmp(v, "random")) {
				o->strategy = XP_RANDOM;
			} else if (v && !strcmp(v, "sweep")) {
				o->strategy = XP_SWEEP;
			} else if (v && !strncmp(v, "pct:", 4) && !whole(v + 4, &n) && n >= 1 &&
				   n <= 16) {
				o->strategy = XP_PCT;
				o->depth = (unsigned)n;
			} else if (v && !strncmp(v, "exhaustive", 10) &&
				   (v[10] == 0 || v[10] == ':')) {
				unsigned long k = 2, m = 48;
				char c;
				int got = v[10] ? sscanf(v + 11, "%lu:%lu%c", &k, &m, &c) : 2;

				if (got < 1 || got > 2 || k < 1 || k > 4 || m < 1 || m > 100000)
					return bad(
					    a, v,
					    "exhaustive, exhaustive:K or exhaustive:K:M with K "
					    "from 1 to 4 and M from 1 to 100000");
				o->strategy = XP_EXHAUSTIVE;
				o->depth = (unsigned)k;
				o->points = m;
			} else {
				return bad(a, v,
					   "random, sweep, pct:D with D from 1 to 16, or "
					   "exhaustive[:K[:M]]");
			}
		} else if (!strcmp(a, "--seed")) {
			if (whole(v, &o->seed))
				return bad(a, v, "a whole number");
		} else if (!strcmp(a, "--shard")) {
			unsigned si, sn;
			char c;

			if (!v || sscanf(v, "%u/%u%c", &si, &sn, &c) != 2 || sn == 0 || si >= sn)
				return bad(a, v, "i/N with 0 <= i < N, e.g. 0/4");
			o->shard = si;
			o->shards = sn;
		} else if (!strcmp(a, "--out")) {
			if (!v || !*v)
				return bad(a, v, "a directory");
			o->out = v;
		} else if (!strcmp(a, "--shrink-seconds")) {
			if (positive(v, &o->shrink_seconds))
				return bad(a, v, "a number of seconds, 0 for no shrinking");
		} else if (!strcmp(a, "--timeout")) {
			if (positive(v, &o->timeout) || o->timeout <= 0)
				return bad(a, v, "a number of seconds above 0");
		} else if (!strcmp(a, "--engine") || !strcmp(a, "--sim-strategy") ||
			   !strcmp(a, "--sim-log") || !strcmp(a, "--json") ||
			   !strcmp(a, "--capture")) {
			fprintf(stderr,
				"ndisrt explore: %s is chosen by explore itself; leave it out\n",
				a);
			return EX_USAGE;
		} else if (!strncmp(a, "--", 2)) {
			/* A run option, with its value when it has one. */
			/* Room for this option, its value and the default --frames. */
			if (o->nr_run_args + 4 > XP_MAX_ARGS)
				return bad(a, NULL, "too many run options");
			frames = frames || !strcmp(a, "--frames");
			if (!strcmp(a, "--cpus") && v)
				o->cpus = (unsigned)atoi(v);
			o->run_args[o->nr_run_args++] = argv[i];
			if (v && strncmp(v, "--", 2)) {
				char *abs = NULL;

				/* A driver path must still resolve when a bundle is
				 * replayed from another directory. */
				if (!strcmp(a, "--driver") &&
				    (strchr(v, '/') || strstr(v, ".so"))) {
					free(o->abs_driver);
					abs = o->abs_driver = realpath(v, NULL);
				}
				o->run_args[o->nr_run_args++] = abs ? abs : argv[i + 1];
				i++;
			}
			continue;
		} else {
			fprintf(stderr, "ndisrt explore: unexpected argument '%s' (try --help)\n",
				a);
			return EX_USAGE;
		}
		i++;
	}
	if (!frames) {
		o->run_args[o->nr_run_args++] = frames_opt;
		o->run_args[o->nr_run_args++] = frames_val;
	}
	return 0;
}

/* ------------------------------------------------------------ progress */

static void progress(const struct xp_opts *o, uint64_t done, uint64_t total, unsigned fails,
		     unsigned distinct, double t0, bool last)
{
	static double next;
	double t = now_s();
	bool tty = isatty(2);

	if (o->quiet || (!last && t < next))
		return;
	next = t + (tty ? 0.2 : 5.0);
	if (total)
		fprintf(stderr,
			"%s[explore] %6" PRIu64 "/%" PRIu64 " runs  %u failed (%u distinct)"
			"  %.1f s%s",
			tty ? "\r" : "", done, total, fails, distinct, t - t0,
			tty && !last ? "" : "\n");
	else
		fprintf(stderr, "%s[explore] %6" PRIu64 " runs  %u failed (%u distinct)  %.1f s%s",
			tty ? "\r" : "", done, fails, distinct, t - t0, tty && !last ? "" : "\n");
}

/* -------------------------------------------------------------- merge */

static int merge(int argc, char **argv)
{
	struct xp_sig sigs[XP_MAX_SIGS];
	unsigned nr = 0;
	uint64_t runs = 0;

	if (argc < 3) {
		fprintf(stderr, "ndisrt explore: --merge needs at least one DIR\n");
		return EX_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		char path[PATH_MAX + 32], line[2048];
		FILE *f;

		snprintf(path, sizeof(path), "%s/summary.tsv", argv[i]);
		f = fopen(path, "r");
		if (!f) {
			fprintf(stderr, "ndisrt explore: --merge %s: %s\n", path, strerror(errno));
			return EX_NOINPUT;
		}
		while (fgets(line, sizeof(line), f)) {
			char *field[6], *save = NULL, *p = line;
			unsigned nf = 0, k;

			line[strcspn(line, "\n")] = 0;
			while (nf < 6 && (field[nf] = strtok_r(p, "\t", &save)) != NULL) {
				nf++;
				p = NULL;
			}
			if (nf == 2 && !strcmp(field[0], "runs")) {
				runs += strtoull(field[1], NULL, 10);
				continue;
			}
			if (nf < 5 || strcmp(field[0], "failure"))
				continue;
			for (k = 0; k < nr && strcmp(sigs[k].sig, field[4]); k++)
				;
			if (k == nr) {
				if (nr == XP_MAX_SIGS)
					continue;
				memset(&sigs[nr], 0, sizeof(sigs[nr]));
				snprintf(sigs[nr].sig, XP_SIG_LEN, "%s", field[4]);
				snprintf(sigs[nr].what, XP_SIG_LEN, "%s", nf > 5 ? field[5] : "");
				snprintf(sigs[nr].bundle, PATH_MAX, "%s", field[3]);
				sigs[nr].critical = strtol(field[2], NULL, 10);
				nr++;
			}
			sigs[k].count += strtoull(field[1], NULL, 10);
		}
		fclose(f);
	}
	printf("ndisrt explore --merge: %d campaigns, %" PRIu64 " runs, %u distinct failure%s\n",
	       argc - 2, runs, nr, nr == 1 ? "" : "s");
	for (unsigned i = 0; i < nr; i++)
		printf("  [%u] %s  (%" PRIu64 " runs)\n      %s\n      replay: ndisrt replay %s\n",
		       i + 1, sigs[i].sig, sigs[i].count, sigs[i].what, sigs[i].bundle);
	return nr ? 1 : 0;
}

/* ----------------------------------------------------------- campaign */

static const char *strategy_name(const struct xp_opts *o)
{
	static char buf[32];

	if (o->strategy == XP_SWEEP)
		return "sweep";
	if (o->strategy == XP_EXHAUSTIVE) {
		snprintf(buf, sizeof(buf), "exhaustive:%u:%" PRIu64, o->depth, o->points);
		return buf;
	}
	if (o->strategy == XP_PCT) {
		snprintf(buf, sizeof(buf), "pct:%u", o->depth);
		return buf;
	}
	return "random";
}

static int campaign(struct xp_opts *o);

int explore_main(int argc, char **argv)
{
	struct xp_opts o;
	int rc;

	if (argc >= 2 && !strcmp(argv[1], "--merge"))
		return merge(argc, argv);
	rc = parse(argc, argv, &o);
	if (!rc)
		rc = campaign(&o);
	else if (rc == 1)
		rc = 0;
	free(o.abs_driver);
	return rc;
}

/*
 * The @k-th schedule of exhaustive:K:M (0-based): all 1-subsets of the M
 * points in lexicographic order, then all 2-subsets, ... up to K. Written
 * as the sim strategy "sweep:P1,P2,...".
 */
static void exhaustive_schedule(uint64_t k, uint64_t m, unsigned kmax, char *st, size_t len)
{
	uint64_t c = 1, pts[KE_SIM_MAX_SWEEP];
	unsigned size = 1;
	size_t off;

	for (; size <= kmax; size++) {
		c = c * (m - size + 1) / size; /* C(m, size) */
		if (k < c)
			break;
		k -= c;
	}
	/* Unrank k among the size-subsets of [0, m), lexicographically. */
	for (unsigned i = 0, next = 0; i < size; i++) {
		for (uint64_t p = next;; p++) {
			uint64_t n = m - p - 1, r = size - i - 1, rest = 1; /* C(n, r) */

			if (p >= m || n < r)
				rest = 0;
			for (uint64_t j = 1; rest && j <= r; j++)
				rest = rest * (n - r + j) / j;
			if (k < rest || p + 1 >= m) {
				pts[i] = p;
				next = (unsigned)p + 1;
				break;
			}
			k -= rest;
		}
	}
	off = (size_t)snprintf(st, len, "sweep:");
	for (unsigned i = 0; i < size && off < len; i++)
		off += (size_t)snprintf(st + off, len - off, "%s%" PRIu64, i ? "," : "", pts[i]);
}

static int campaign(struct xp_opts *op)
{
	struct xp_opts o = *op;
	struct xp_sig *sigs;
	char tmpdir[PATH_MAX], log[PATH_MAX + 32], out[PATH_MAX + 32], st[64];
	uint64_t total = 0, horizon = 0, done = 0, k;
	unsigned nr = 0, fails = 0;
	double t0 = now_s();

	if (find_self()) {
		fprintf(stderr, "ndisrt explore: cannot find this program: %s\n", strerror(errno));
		return EX_SOFTWARE;
	}
	if (mkdir(o.out, 0755) && errno != EEXIST) {
		fprintf(stderr, "ndisrt explore: --out %s: %s\n", o.out, strerror(errno));
		return EX_USAGE;
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s", o.out);
	snprintf(log, sizeof(log), "%s/run.log", tmpdir);
	snprintf(out, sizeof(out), "%s/run.out", tmpdir);
	sigs = calloc(XP_MAX_SIGS, sizeof(*sigs));
	if (!sigs)
		return EX_SOFTWARE;

	/* Sweep and PCT measure a baseline run first (the default schedule). */
	if (o.strategy != XP_RANDOM) {
		struct xp_result r;
		uint64_t eligible = 0;

		classify(spawn_run(&o, 0, "default", log, out), out, &r);
		if (r.kind == XP_ERROR) {
			fprintf(stderr, "ndisrt explore: baseline run: %s\n", r.sig);
			free(sigs);
			return EX_SOFTWARE;
		}
		if (log_end_field(log, "eligible=", &eligible) ||
		    log_end_field(log, "decisions=", &horizon)) {
			/* A failing baseline has no end line: the default schedule fails. */
			eligible = 0;
			horizon = 1;
		}
		if (o.strategy == XP_EXHAUSTIVE) {
			uint64_t c = 1;

			if (o.points > eligible)
				o.points = eligible;
			total = 0;
			for (unsigned i = 1; i <= o.depth && i <= o.points; i++) {
				c = c * (o.points - i + 1) / i; /* C(M, i), exact */
				total += c;
				if (total > XP_MAX_EXHAUSTIVE)
					break;
			}
			if (total > XP_MAX_EXHAUSTIVE) {
				fprintf(stderr,
					"ndisrt explore: exhaustive:%u:%" PRIu64
					" means more than %llu schedules: lower K or M\n",
					o.depth, o.points, XP_MAX_EXHAUSTIVE);
				free(sigs);
				return EX_USAGE;
			}
			if (!o.quiet)
				fprintf(stderr,
					"[explore] exhaustive: %" PRIu64
					" schedules, every set of 1..%u injected interrupts among "
					"the first %" PRIu64 " of the baseline's %" PRIu64
					" preemption points below DIRQL\n",
					total, o.depth, o.points, eligible);
		} else if (o.strategy == XP_SWEEP) {
			total = eligible;
			if (!o.quiet)
				fprintf(stderr,
					"[explore] sweep: the baseline run has %" PRIu64
					" preemption points below DIRQL: one run injects an "
					"interrupt at each (any bug of depth one among them is "
					"found)\n",
					eligible);
		} else {
			double n = o.cpus + 1, bound = 1.0 / n;

			for (unsigned d = 1; d < o.depth; d++)
				bound /= (double)horizon;
			if (!o.quiet)
				fprintf(stderr,
					"[explore] pct:%u over %" PRIu64
					" decisions, %u vCPUs + device "
					"events: each run finds a given bug of depth %u with "
					"probability "
					">= 1/(n k^(d-1)) = %.3g\n",
					o.depth, horizon, o.cpus, o.depth, bound);
		}
		if (r.kind == XP_FAIL) {
			/* The default schedule itself fails: that is finding 0. */
			fails++;
			snprintf(sigs[0].sig, XP_SIG_LEN, "%s", r.sig);
			snprintf(sigs[0].what, XP_SIG_LEN, "%s", r.what);
			sigs[0].count = 1;
			sigs[0].critical = 0;
			snprintf(sigs[0].bundle, PATH_MAX, "%s/failure-1", o.out);
			write_bundle(&o, &sigs[0], "default", log, out);
			sigs[0].replays = true;
			nr = 1;
		}
	}
	if (o.strategy == XP_RANDOM || o.strategy == XP_PCT)
		total = o.runs;
	else if (o.runs < total)
		total = o.runs;

	for (k = o.shard; k < total; k += o.shards) {
		struct xp_result r;
		uint64_t seed = o.seed + k;
		unsigned s;

		if (o.seconds > 0 && now_s() - t0 > o.seconds)
			break;
		if (o.strategy == XP_SWEEP)
			snprintf(st, sizeof(st), "sweep:%" PRIu64, k);
		else if (o.strategy == XP_EXHAUSTIVE)
			exhaustive_schedule(k, o.points, o.depth, st, sizeof(st));
		else if (o.strategy == XP_PCT)
			snprintf(st, sizeof(st), "pct:%u:%" PRIu64, o.depth, horizon ? horizon : 1);
		else
			snprintf(st, sizeof(st), "random");
		classify(spawn_run(&o, seed, st, log, out), out, &r);
		done++;
		if (r.kind == XP_ERROR) {
			progress(&o, done, (total + o.shards - 1) / o.shards, fails, nr, t0, true);
			fprintf(stderr, "ndisrt explore: run %" PRIu64 ": %s\n", k, r.sig);
			free(sigs);
			return EX_SOFTWARE;
		}
		if (r.kind == XP_FAIL) {
			fails++;
			for (s = 0; s < nr && strcmp(sigs[s].sig, r.sig); s++)
				;
			if (s < nr) {
				sigs[s].count++;
			} else if (nr < XP_MAX_SIGS) {
				struct xp_sig *g = &sigs[nr++];
				char sched[PATH_MAX + 32], rlog[PATH_MAX + 32], rout[PATH_MAX + 32];

				snprintf(g->sig, XP_SIG_LEN, "%s", r.sig);
				snprintf(g->what, XP_SIG_LEN, "%s", r.what);
				g->count = 1;
				g->first_run = k;
				g->first_seed = seed;
				g->critical = -1;
				snprintf(g->bundle, PATH_MAX, "%s/failure-%u", o.out, nr);
				if (write_bundle(&o, g, st, log, out)) {
					fprintf(stderr, "ndisrt explore: cannot write %s: %s\n",
						g->bundle, strerror(errno));
					free(sigs);
					return EX_SOFTWARE;
				}
				/* The bundle's schedule must fail the same way on replay. */
				snprintf(sched, sizeof(sched), "%s/schedule", g->bundle);
				snprintf(rlog, sizeof(rlog), "%s/replay.log", g->bundle);
				snprintf(rout, sizeof(rout), "%s/replay.out", g->bundle);
				g->replays = replay_fails_as(&o, sched, rlog, rout, g->sig);
				unlink(rlog);
				unlink(rout);
				if (g->replays && o.shrink_seconds > 0)
					g->critical = shrink(&o, g);
			}
		}
		progress(&o, done, (total + o.shards - 1) / o.shards, fails, nr, t0, false);
	}
	progress(&o, done, (total + o.shards - 1) / o.shards, fails, nr, t0, true);
	unlink(log);
	unlink(out);
	record_summary(&o, sigs, nr, done);

	printf("ndisrt explore: %" PRIu64 " runs in %.1f s (%s, seed %" PRIu64 ", shard %u/%u, "
	       "build %s): %u failed, %u distinct\n",
	       done, now_s() - t0, strategy_name(&o), o.seed, o.shard, o.shards, build_id(), fails,
	       nr);
	for (unsigned s = 0; s < nr; s++) {
		printf("  [%u] %s  (%" PRIu64 " run%s; first: run %" PRIu64 ", seed %" PRIu64 ")\n",
		       s + 1, sigs[s].sig, sigs[s].count, sigs[s].count == 1 ? "" : "s",
		       sigs[s].first_run, sigs[s].first_seed);
		if (sigs[s].what[0])
			printf("      %s\n", sigs[s].what);
		if (!sigs[s].replays)
			printf("      the replay of its schedule did NOT fail the same way\n");
		else if (sigs[s].critical >= 0)
			printf("      shrunk to %ld critical decision%s (from %ld)\n",
			       sigs[s].critical, sigs[s].critical == 1 ? "" : "s",
			       sigs[s].found_with);
		printf("      replay: ndisrt replay %s\n", sigs[s].bundle);
	}
	free(sigs);
	return nr ? 1 : 0;
}

/* -------------------------------------------------------------- replay */

int explore_replay_main(int argc, char **argv)
{
	char path[PATH_MAX + 32], sched[PATH_MAX + 64], st[PATH_MAX + 80], line[1024];
	char sig[XP_SIG_LEN] = "", bid[80] = "";
	char *args[XP_MAX_ARGS + 16];
	int n = 0;
	FILE *f;

	bool help = argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));

	/* After BUNDLE: only the options that observe the run (--trace ...). */
	for (int i = 2; i < argc && argc <= 6; i += 2)
		if (i + 1 >= argc ||
		    (strcmp(argv[i], "--trace") && strcmp(argv[i], "--trace-events"))) {
			fprintf(stderr,
				"ndisrt replay: '%s' after BUNDLE: only --trace FILE and "
				"--trace-events N may follow it\n",
				argv[i]);
			return EX_USAGE;
		}
	if (argc < 2 || help || argc > 6) {
		fprintf(
		    help ? stdout : stderr,
		    "usage: ndisrt replay BUNDLE [--trace FILE [--trace-events N]]\n"
		    "Run a failure bundle's schedule again (the shrunk one if there is one), in\n"
		    "this process on one host thread: under gdb, `gdb --args ndisrt replay B`.\n"
		    "--trace FILE writes the replayed run's timeline (docs/trace.md).\n");
		return help ? 0 : EX_USAGE;
	}
	snprintf(path, sizeof(path), "%s/bundle.txt", argv[1]);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "ndisrt replay: %s: %s\n", path, strerror(errno));
		return EX_NOINPUT;
	}
	args[n++] = "ndisrt";
	args[n++] = "run";
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "arg ", 4) && n < XP_MAX_ARGS)
			args[n++] = strdup(line + 4);
		else if (!strncmp(line, "signature ", 10))
			snprintf(sig, sizeof(sig), "%.199s", line + 10);
		else if (!strncmp(line, "build-id ", 9))
			snprintf(bid, sizeof(bid), "%.79s", line + 9);
	}
	fclose(f);
	if (bid[0] && strcmp(bid, build_id()))
		fprintf(stderr,
			"ndisrt replay: warning: the bundle was made by build %s, this is %s; "
			"the same schedule may take another path\n",
			bid, build_id());
	snprintf(sched, sizeof(sched), "%s/schedule.min", argv[1]);
	if (access(sched, R_OK))
		snprintf(sched, sizeof(sched), "%s/schedule", argv[1]);
	snprintf(st, sizeof(st), "replay:%s", sched);
	args[n++] = "--engine";
	args[n++] = "sim";
	args[n++] = "--quiet";
	args[n++] = "--sim-strategy";
	args[n++] = st;
	for (int i = 2; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	fprintf(stderr, "ndisrt replay: %s, expecting: %s\n", sched, sig);
	if (find_self()) {
		fprintf(stderr, "ndisrt replay: cannot find this program\n");
		return EX_NOINPUT;
	}
	fflush(NULL);
	execv(self_exe, args);
	fprintf(stderr, "ndisrt replay: exec %s: %s\n", self_exe, strerror(errno));
	return EX_NOINPUT;
}
