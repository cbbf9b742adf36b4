/* SPDX-License-Identifier: MIT */
/*
 * tools/run_sim.c - `ndisrt run --engine sim`: turn --seed, --sim-strategy
 * and --sim-log into the deterministic engine's schedule (docs/sim.md).
 *
 * A schedule file (what --sim-log writes and replay:FILE reads) has one line
 * per deviation from the default policy, "dev INDEX KIND VALUE VCPU LOCAL"
 * (struct ke_sim_deviation), and, when
 * the run ended normally, a last line "end decisions=N deviations=N
 * eligible=N digest=HEX clock_ns=N". Lines starting with '#' are comments.
 */
#include "tools/run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ke/sim/sim.h"
#include "verifier/race.h"

static int log_fd = -1;

/* Read the deviations of a schedule file. Return: 0, or -1 with @err set. */
static int read_schedule(const char *path, struct ke_sim_deviation **out, size_t *nr, char *err,
			 size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct ke_sim_deviation *d = NULL;
	size_t n = 0, cap = 0;
	char line[256];
	unsigned lineno = 0;

	if (!f) {
		snprintf(err, errlen, "--sim-strategy replay:%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long idx, local;
		unsigned kind, value, vcpu;

		lineno++;
		if (line[0] == '#' || line[0] == '\n' || !strncmp(line, "end ", 4))
			continue;
		if (sscanf(line, "dev %llu %u %u %u %llu", &idx, &kind, &value, &vcpu, &local) !=
			5 ||
		    kind > 1 || vcpu >= KE_MAX_VCPUS || (n && idx <= d[n - 1].index)) {
			snprintf(
			    err, errlen,
			    "--sim-strategy replay:%s: line %u is not 'dev INDEX KIND VALUE VCPU "
			    "LOCAL' with increasing INDEX, KIND 0 or 1 and VCPU below %d",
			    path, lineno, KE_MAX_VCPUS);
			free(d);
			fclose(f);
			return -1;
		}
		if (n == cap) {
			struct ke_sim_deviation *nd;

			cap = cap ? cap * 2 : 64;
			nd = realloc(d, cap * sizeof(*nd));
			if (!nd) {
				snprintf(err, errlen, "out of memory reading %s", path);
				free(d);
				fclose(f);
				return -1;
			}
			d = nd;
		}
		d[n].index = idx;
		d[n].kind = kind;
		d[n].value = value;
		d[n].vcpu = vcpu;
		d[n].local = local;
		n++;
	}
	fclose(f);
	*out = d;
	*nr = n;
	return 0;
}

/* "N" as a whole number; 0 on success. */
static int whole(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int run_sim_configure(const struct run_options *o, char *err, size_t errlen)
{
	const char *st = o->sim_strategy ? o->sim_strategy : "random";
	struct ke_sim_deviation *replay = NULL;
	struct ke_sim_config c;
	uint64_t a, b;
	int rc;

	ke_sim_config_init(&c);
	c.seed = o->seed;
	if (!strcmp(st, "random")) {
		c.strategy = KE_SIM_STRATEGY_RANDOM;
	} else if (!strcmp(st, "default")) {
		c.strategy = KE_SIM_STRATEGY_DEFAULT;
	} else if (!strncmp(st, "sweep:", 6)) {
		/* sweep:K or sweep:K1,K2,... (increasing): an injection at each. */
		char buf[128], *tok, *save = NULL;
		unsigned n = 0;

		snprintf(buf, sizeof(buf), "%s", st + 6);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (whole(tok, &a) || n >= KE_SIM_MAX_SWEEP ||
			    (n && a <= (n == 1 ? c.sweep_point : c.sweep_more[n - 2])))
				break;
			if (n == 0)
				c.sweep_point = a;
			else
				c.sweep_more[n - 1] = a;
			n++;
		}
		if (!n || tok) {
			snprintf(err, errlen,
				 "--sim-strategy %s: use sweep:K or sweep:K1,K2,... with up to %d "
				 "increasing preemption point numbers",
				 st, KE_SIM_MAX_SWEEP);
			return -1;
		}
		c.strategy = KE_SIM_STRATEGY_SWEEP;
		c.nr_sweep_more = n - 1;
	} else if (!strncmp(st, "pct:", 4)) {
		char buf[64], *colon;

		snprintf(buf, sizeof(buf), "%s", st + 4);
		colon = strchr(buf, ':');
		if (colon)
			*colon = 0;
		if (whole(buf, &a) || a < 1 || a > 16 || (colon && (whole(colon + 1, &b) || !b))) {
			snprintf(
			    err, errlen,
			    "--sim-strategy %s: use pct:D or pct:D:H with depth D from 1 to 16 "
			    "and a horizon H of at least 1 decision",
			    st);
			return -1;
		}
		c.strategy = KE_SIM_STRATEGY_PCT;
		c.pct_depth = (unsigned)a;
		if (colon)
			c.pct_horizon = b;
	} else if (!strncmp(st, "replay:", 7) && st[7]) {
		c.strategy = KE_SIM_STRATEGY_REPLAY;
		if (read_schedule(st + 7, &replay, &c.nr_replay, err, errlen))
			return -1;
		c.replay = replay;
	} else {
		snprintf(err, errlen,
			 "--sim-strategy '%s' is not valid: use random, default, sweep:K, "
			 "pct:D[:H] or replay:FILE",
			 st);
		return -1;
	}
	if (o->sim_log) {
		log_fd = open(o->sim_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (log_fd < 0) {
			snprintf(err, errlen, "--sim-log %s: %s", o->sim_log, strerror(errno));
			free(replay);
			return -1;
		}
		dprintf(log_fd, "# ndisrt sim schedule: seed %" PRIu64 ", strategy %s\n", o->seed,
			st);
		c.log_fd = log_fd;
	}
	rc = ke_sim_configure(&c);
	free(replay); /* copied by ke_sim_configure */
	if (rc) {
		snprintf(err, errlen, "--sim-strategy %s: %s", st, strerror(-rc));
		return -1;
	}
	return 0;
}

/* After the machine is gone: the run's summary line closes the schedule file. */
void run_sim_finish(const struct run_options *o)
{
	struct ke_sim_stats s;

	if (!o->sim)
		return;
	ke_sim_stats_get(&s);
	if (log_fd >= 0) {
		dprintf(log_fd,
			"end decisions=%" PRIu64 " deviations=%" PRIu64 " eligible=%" PRIu64
			" digest=%016" PRIx64 " clock_ns=%" PRIu64 "\n",
			s.decisions, s.deviations, s.eligible, s.digest, s.clock_ns);
		close(log_fd);
		log_fd = -1;
	}
	if (!o->quiet)
		fprintf(stderr,
			"[ndisrt run] sim: seed %" PRIu64 ", %" PRIu64 " decisions (%" PRIu64
			" deviations), digest %016" PRIx64 ", %.3f s virtual\n",
			o->seed, s.decisions, s.deviations, s.digest, (double)s.clock_ns / 1e9);
	if (!o->quiet && vfy_race_ran())
		fprintf(stderr,
			"[ndisrt run] race detector: %" PRIu64 " driver accesses checked, %" PRIu64
			" race(s) reported\n",
			vfy_race_accesses(), vfy_race_reports());
}
