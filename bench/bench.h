/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.h - shared helpers of the benchmarks: timing, statistics and
 * the output format.
 *
 * Every figure is a ratio against a baseline measured in the same process
 * and the same run, because the machine is shared and absolute times drift.
 * With --json each result is one line:
 *   {"name": ..., "value": ..., "baseline": ..., "ratio": ..., "unit": ...}
 */
#ifndef NDISRT_BENCH_H
#define NDISRT_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct bench_out {
	bool json;
	FILE *f;
	unsigned rows;
};

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The @q quantile (0..1) of @n samples; sorts @v in place. */
static inline double bench_quantile(double *v, size_t n, double q)
{
	size_t i;

	qsort(v, n, sizeof(*v), bench_cmp_double);
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static inline void bench_begin(struct bench_out *o, const char *title)
{
	if (o->json)
		return;
	fprintf(o->f, "%s\n", title);
	fprintf(o->f, "  %-44s %12s %12s %8s  %s\n", "measurement", "value", "baseline", "ratio",
		"unit");
}

static inline void bench_row(struct bench_out *o, const char *name, double value, double baseline,
			     const char *unit, const char *goal)
{
	double ratio = baseline > 0 ? value / baseline : 0;

	o->rows++;
	/* Small values (a rate per event) keep their digits. */
	if (o->json) {
		fprintf(o->f,
			value < 10 ? "{\"name\": \"%s\", \"value\": %.4f, \"baseline\": %.1f, "
				     "\"ratio\": %.3f, \"unit\": \"%s\"}\n"
				   : "{\"name\": \"%s\", \"value\": %.1f, \"baseline\": %.1f, "
				     "\"ratio\": %.3f, \"unit\": \"%s\"}\n",
			name, value, baseline, ratio, unit);
	} else {
		fprintf(o->f,
			value < 10 ? "  %-44s %12.4f %12.1f %7.2fx  %s%s%s\n"
				   : "  %-44s %12.1f %12.1f %7.2fx  %s%s%s\n",
			name, value, baseline, ratio, unit, goal ? "   goal " : "",
			goal ? goal : "");
	}
	fflush(o->f);
}

int ndisrt_bench_core(int argc, char **argv);
int ndisrt_bench_sim(int argc, char **argv);

#endif /* NDISRT_BENCH_H */
