/* SPDX-License-Identifier: MIT */
/*
 * tests/explore/test_race_volatile.c - what a volatile access means to the
 * race detector (docs/sim.md "Volatile"). The message-passing idiom MSVC's
 * /volatile:ms makes correct: vCPU 0 writes data, then a volatile flag;
 * vCPU 1 spins on the flag, then reads data. The calls are what a driver
 * compiled with -fsanitize=thread --param tsan-distinguish-volatile=1
 * makes. Under ms the flag orders the two: no race. Under plain it does
 * not: the detector reports.
 */
#include "tests/harness.h"

#include <criterion/criterion.h>

#include "ke/ke.h"
#include "ke/sim/sim.h"
#include "verifier/race.h"
#include "verifier/vfy.h"

/* The entry points an instrumented driver calls (verifier/race.c). */
void __tsan_read4(void *a);
void __tsan_write4(void *a);
void __tsan_volatile_read4(void *a);
void __tsan_volatile_write4(void *a);

static struct {
	int data;
	volatile int flag;
	int seen;
	unsigned spins;
} mp;

static void writer(void *arg)
{
	(void)arg;
	__tsan_write4(&mp.data);
	mp.data = 42;
	__tsan_volatile_write4((void *)(uintptr_t)&mp.flag);
	mp.flag = 1;
}

static void reader(void *arg)
{
	(void)arg;
	for (;;) {
		__tsan_volatile_read4((void *)(uintptr_t)&mp.flag);
		if (mp.flag)
			break;
		mp.spins++;
	}
	__tsan_read4(&mp.data);
	mp.seen = mp.data;
}

static uint64_t run_message_passing(enum vfy_race_volatile sem)
{
	struct ke_machine_config mc = {.nr_vcpus = 2, .engine = ke_sim_engine()};
	struct ke_sim_config c;
	struct ke_machine *m;
	struct ke_work w0, w1;
	uint64_t reports;

	cr_assert_eq(vfy_set_mode(VFY_WARN), 0);
	ke_sim_config_init(&c);
	cr_assert_eq(ke_sim_configure(&c), 0);
	m = ke_machine_create(&mc);
	cr_assert_not_null(m);
	memset(&mp, 0, sizeof(mp));
	vfy_race_set_volatile(sem);
	cr_assert_eq(vfy_race_enable(m), 0);
	/* The reader first: it spins until the writer's turn comes. */
	ke_work_init(&w1, reader, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 1), &w1);
	ke_work_init(&w0, writer, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &w0);
	ke_work_wait(&w0);
	ke_work_wait(&w1);
	cr_assert_eq(mp.seen, 42);
	cr_assert_gt(vfy_race_accesses(), 3);
	reports = vfy_race_reports();
	vfy_race_disable();
	vfy_race_set_volatile(VFY_RACE_VOLATILE_MS);
	harness_end(m);
	vfy_set_mode(VFY_OFF);
	return reports;
}

Test(race_volatile, I1_volatile_ms_flag_orders_the_data_no_race)
{
	cr_assert_eq(run_message_passing(VFY_RACE_VOLATILE_MS), 0,
		     "a /volatile:ms flag handoff was reported as a race");
}

Test(race_volatile, I1_volatile_plain_flag_does_not_order_the_data_race_reported)
{
	cr_assert_geq(run_message_passing(VFY_RACE_VOLATILE_PLAIN), 1,
		      "plain volatile semantics: the unordered handoff was not reported");
}
