/*
 * common.h - what the benchmark harnesses share (bench/jit, bench/interp):
 * the clock, pinning to one CPU, and timing a subject as the median and the
 * best of several short trials. Header only; every function is static.
 *
 * A subject is a function that runs the thing measured n times. A trial
 * runs it often enough to last about `trial_ns`; short trials dodge the
 * other processes of a shared machine, and the best trial is the closer
 * to the uncontended speed.
 */
#ifndef NYUKI_BENCH_COMMON_H
#define NYUKI_BENCH_COMMON_H

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bench_timing {
	double median, best;   /* ns per run */
};

/* Runs the measured thing n times. */
typedef void (*bench_run_fn)(void *subject, long n);

static inline double bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Pin the process to CPU 0 when the OS allows it (figures are steadier). */
static inline void bench_pin_cpu0(void)
{
#ifdef __linux__
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		fprintf(stderr, "bench: cannot pin to CPU 0 (%s); figures may be noisier\n", strerror(errno));
#endif
}

/* ns per run over `trials` (at most 64) trials of about trial_ns each. */
static inline struct bench_timing bench_time(bench_run_fn run, void *subject, int trials, double trial_ns)
{
	double t[64], start, per;
	long n = 1;

	if (trials < 1 || trials > 64)
		trials = 21;
	/* Grow the run count until one batch takes a measurable time. */
	for (;;) {
		start = bench_now_ns();
		run(subject, n);
		if (bench_now_ns() - start > trial_ns / 20 || n > (1L << 30))
			break;
		n *= 4;
	}
	start = bench_now_ns();
	run(subject, n);
	per = (bench_now_ns() - start) / (double)n;
	n = (long)(trial_ns / (per > 0.1 ? per : 0.1));
	if (n < 1)
		n = 1;
	for (int i = 0; i < trials; i++) {
		start = bench_now_ns();
		run(subject, n);
		t[i] = (bench_now_ns() - start) / (double)n;
	}
	qsort(t, (size_t)trials, sizeof(t[0]), bench_cmp_double);
	return (struct bench_timing){ t[trials / 2], t[0] };
}

#endif
