/* SPDX-License-Identifier: MIT */
/*
 * tests/harness.h - what every ndisrt test needs: a machine in one call,
 * bounded waits on conditions (never sleeps), and bug-check expectations.
 *
 * Assertions run on the test's main thread only: code that runs on a vCPU
 * records what it saw in variables, and the test asserts on them afterwards.
 */
#ifndef NDISRT_TESTS_HARNESS_H
#define NDISRT_TESTS_HARNESS_H

#include <criterion/criterion.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "ke/ke.h"

/* Generous bound for any wait: fails loudly instead of hanging. */
#define HARNESS_WAIT_NS (30ull * 1000000000ull)

static inline uint64_t harness_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Wait (yielding) until @cond holds; fail the test if it does not within @ms. */
#define WAIT_UNTIL_MS(cond, ms)                                                         \
	do {                                                                            \
		uint64_t wait_deadline_ = harness_now_ns() + (uint64_t)(ms)*1000000ull; \
		while (!(cond)) {                                                       \
			if (harness_now_ns() > wait_deadline_)                          \
				cr_assert_fail("timed out after %u ms waiting for: %s", \
					       (unsigned)(ms), #cond);                  \
			ke_yield();                                                     \
		}                                                                       \
	} while (0)

/* Wait (yielding) until @cond holds; fail the test if it does not within 30 s. */
#define WAIT_UNTIL(cond) WAIT_UNTIL_MS(cond, HARNESS_WAIT_NS / 1000000ull)

/* The same for code running on a vCPU: returns false on timeout. */
#define SPIN_UNTIL(cond)                                                      \
	({                                                                    \
		uint64_t spin_deadline_ = harness_now_ns() + HARNESS_WAIT_NS; \
		bool spin_ok_ = true;                                         \
		while (!(cond)) {                                             \
			if (harness_now_ns() > spin_deadline_) {              \
				spin_ok_ = false;                             \
				break;                                        \
			}                                                     \
			__builtin_ia32_pause();                               \
		}                                                             \
		spin_ok_;                                                     \
	})

/*
 * Spin until @cond holds or @ns pass: for windows in which something must
 * NOT happen (a correct runtime makes the spin run out). True if @cond held.
 */
#define SPIN_FOR(cond, ns)                                                           \
	({                                                                           \
		uint64_t spin_for_end_ = harness_now_ns() + (ns);                    \
		bool spin_for_ok_;                                                   \
		while (!(spin_for_ok_ = (cond)) && harness_now_ns() < spin_for_end_) \
			__builtin_ia32_pause();                                      \
		spin_for_ok_;                                                        \
	})

static inline struct ke_machine *harness_machine(unsigned nr_vcpus)
{
	struct ke_machine_config cfg = {.nr_vcpus = nr_vcpus};
	struct ke_machine *m = ke_machine_create(&cfg);

	cr_assert_not_null(m, "ke_machine_create(%u vCPUs) failed", nr_vcpus);
	return m;
}

/* Every test ends here: nothing queued, nothing running, then free. */
static inline void harness_end(struct ke_machine *m)
{
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0, "machine did not go quiet");
	ke_machine_free(m);
}

/*
 * Expect a bug check: the test is declared with
 * .exit_code = KE_BUGCHECK_EXIT_STATUS and passes only if the bug check that
 * ends it has @code and, for each i with (mask & (1 << i)), param[i] == p[i].
 */
struct harness_bugcheck_expect {
	uint32_t code;
	unsigned mask;
	uintptr_t p[4];
};

static struct harness_bugcheck_expect harness_expect;

static inline void harness_bugcheck_handler(const struct ke_bugcheck_report *r, void *ctx)
{
	const struct harness_bugcheck_expect *e = ctx;
	bool ok = r->code == e->code;

	for (int i = 0; i < 4; i++)
		if (e->mask & (1u << i))
			ok = ok && r->param[i] == e->p[i];
	ke_bugcheck_print(2, r);
	if (!ok) {
		static const char msg[] = "harness: unexpected bug check (see report above)\n";

		(void)!write(2, msg, sizeof(msg) - 1);
		_exit(99);
	}
	_exit(KE_BUGCHECK_EXIT_STATUS);
}

static inline void expect_bugcheck(uint32_t code, unsigned mask, uintptr_t p0, uintptr_t p1,
				   uintptr_t p2, uintptr_t p3)
{
	harness_expect = (struct harness_bugcheck_expect){code, mask, {p0, p1, p2, p3}};
	ke_bugcheck_set_handler(harness_bugcheck_handler, &harness_expect);
}

#endif /* NDISRT_TESTS_HARNESS_H */
