/* SPDX-License-Identifier: MIT */
/*
 * tests/ke/test_stress.c - 10^6 interrupts raised by a host thread at 2 and
 * 4 vCPUs while the vCPUs are busy at PASSIVE_LEVEL, idle, or repeatedly
 * masking: every interrupt is counted at its source and at its ISR, and the
 * two counts must agree exactly (none lost, none duplicated).
 *
 * Each (vCPU, vector) pair is a "source" with a one-bit cause register:
 * the host raises a source only while its cause is clear, and the ISR
 * acknowledges by clearing it. An ISR that finds its cause clear is a
 * duplicate delivery; a cause never cleared is a lost interrupt.
 */
#include "tests/harness.h"

#include <pthread.h>

#define TOTAL_INTERRUPTS 1000000u
#define NR_LEVELS 4

static const ke_irql_t levels[NR_LEVELS] = {3, 5, 8, 12};

static struct {
	struct ke_machine *m;
	unsigned nr_vcpus;
	unsigned vector[NR_LEVELS];
	struct ke_interrupt intr[NR_LEVELS];
	atomic_uint cause[KE_MAX_VCPUS][NR_LEVELS];
	atomic_ulong raised[KE_MAX_VCPUS][NR_LEVELS];
	atomic_ulong handled[KE_MAX_VCPUS][NR_LEVELS];
	atomic_ulong duplicates, wrong_irql;
	atomic_bool stop;
	atomic_ulong mask_cycles, busy_loops;
} st;

static bool stress_isr(struct ke_interrupt *intr, void *ctx)
{
	unsigned l = (unsigned)(uintptr_t)ctx;
	unsigned n = ke_current_number();

	if (ke_irql_current() != intr->irql)
		atomic_fetch_add(&st.wrong_irql, 1);
	if (atomic_exchange(&st.cause[n][l], 0) == 1)
		atomic_fetch_add_explicit(&st.handled[n][l], 1, memory_order_relaxed);
	else
		atomic_fetch_add(&st.duplicates, 1);
	return true;
}

/* Busy: spins at PASSIVE_LEVEL; interrupts must preempt it. */
static void busy_work(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&st.stop, memory_order_relaxed))
		atomic_fetch_add_explicit(&st.busy_loops, 1, memory_order_relaxed);
}

/* Masked: keeps raising above the two lowest levels and lowering again, so
 * those interrupts are left pending and replayed at each lower. */
static void masking_work(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&st.stop, memory_order_relaxed)) {
		ke_irql_t old = ke_irql_raise(7);

		for (volatile int i = 0; i < 2000; i++)
			;
		ke_irql_lower(old);
		atomic_fetch_add_explicit(&st.mask_cycles, 1, memory_order_relaxed);
	}
}

static void run_stress(unsigned nr_vcpus)
{
	struct ke_machine *m = harness_machine(nr_vcpus);
	struct ke_work busy, masking;
	unsigned long raised_total = 0, handled_total = 0;
	unsigned slot = 0, slots = nr_vcpus * NR_LEVELS;

	memset(&st, 0, sizeof(st));
	st.m = m;
	st.nr_vcpus = nr_vcpus;
	for (unsigned l = 0; l < NR_LEVELS; l++) {
		st.vector[l] = (unsigned)ke_vector_alloc(m, levels[l]);
		ke_interrupt_init(&st.intr[l], stress_isr, (void *)(uintptr_t)l, st.vector[l], NULL,
				  levels[l], ~0ull);
		ke_interrupt_connect(m, &st.intr[l]);
	}
	/* vCPU 0 busy, vCPU 1 masking, the rest idle. */
	ke_work_init(&busy, busy_work, NULL);
	ke_work_init(&masking, masking_work, NULL);
	ke_vcpu_post(ke_machine_vcpu(m, 0), &busy);
	ke_vcpu_post(ke_machine_vcpu(m, 1), &masking);

	uint64_t deadline = harness_now_ns() + 10 * HARNESS_WAIT_NS;

	while (raised_total < TOTAL_INTERRUPTS) {
		unsigned n = slot % nr_vcpus, l = (slot / nr_vcpus) % NR_LEVELS;

		slot = (slot + 1) % slots;
		if (atomic_load_explicit(&st.cause[n][l], memory_order_acquire))
			continue; /* still pending: the device would not raise again */
		atomic_store_explicit(&st.cause[n][l], 1, memory_order_release);
		atomic_fetch_add_explicit(&st.raised[n][l], 1, memory_order_relaxed);
		ke_interrupt_request(m, n, st.vector[l]);
		raised_total++;
		if ((raised_total & 0xffff) == 0)
			cr_assert_lt(harness_now_ns(), deadline, "stress made no progress");
	}
	/* Every raised cause must be acknowledged. */
	for (unsigned n = 0; n < nr_vcpus; n++)
		for (unsigned l = 0; l < NR_LEVELS; l++)
			WAIT_UNTIL(atomic_load(&st.cause[n][l]) == 0);
	atomic_store(&st.stop, true);
	ke_work_wait(&busy);
	ke_work_wait(&masking);
	for (unsigned n = 0; n < nr_vcpus; n++) {
		for (unsigned l = 0; l < NR_LEVELS; l++) {
			cr_assert_eq(atomic_load(&st.raised[n][l]), atomic_load(&st.handled[n][l]),
				     "vCPU %u level %u: raised %lu handled %lu", n, levels[l],
				     atomic_load(&st.raised[n][l]), atomic_load(&st.handled[n][l]));
			handled_total += atomic_load(&st.handled[n][l]);
		}
	}
	cr_assert_eq(handled_total, TOTAL_INTERRUPTS);
	cr_assert_eq(atomic_load(&st.duplicates), 0, "%lu duplicate deliveries",
		     atomic_load(&st.duplicates));
	cr_assert_eq(atomic_load(&st.wrong_irql), 0);
	cr_assert_gt(atomic_load(&st.mask_cycles), 0);
	cr_log_info("%u vCPUs: %lu interrupts, %lu mask cycles, %lu busy loops", nr_vcpus,
		    handled_total, atomic_load(&st.mask_cycles), atomic_load(&st.busy_loops));
	for (unsigned l = 0; l < NR_LEVELS; l++)
		ke_interrupt_disconnect(m, &st.intr[l]);
	harness_end(m);
}

Test(ke_stress, million_interrupts_2_vcpus_busy_masked_none_lost_none_duplicated, .timeout = 600)
{
	run_stress(2);
}

Test(ke_stress, million_interrupts_4_vcpus_busy_masked_idle_none_lost_none_duplicated,
     .timeout = 600)
{
	run_stress(4);
}

/*
 * A host thread requesting two vectors as fast as it can, on two vCPUs with
 * nothing else to do: requests coalesce into pending ones, vCPUs go idle
 * and are woken constantly. After the flood stops, every vCPU must end idle
 * with nothing pending. A regression test for a lost notification: a vCPU
 * that went to sleep with its notify flag still set ignored every later
 * request (ke_vcpu_loop() now clears the flag after reading wake_seq).
 */
#define FLOOD_ROUNDS 30
#define FLOOD_PER_ROUND 20000ul

static struct {
	struct ke_machine *m;
	unsigned vector[2];
	struct ke_interrupt intr[2];
	atomic_bool stop;
} fl;

static bool flood_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	return true;
}

static void *flood_device(void *arg)
{
	(void)arg;
	while (!atomic_load(&fl.stop))
		for (unsigned i = 0; i < 2; i++)
			ke_interrupt_request(fl.m, i, fl.vector[i]);
	return NULL;
}

Test(ke_stress, flooded_idle_vcpus_never_sleep_with_a_vector_pending, .timeout = 600)
{
	memset(&fl, 0, sizeof(fl));
	fl.m = harness_machine(2);
	for (unsigned i = 0; i < 2; i++) {
		fl.vector[i] = (unsigned)ke_vector_alloc(fl.m, 8);
		ke_interrupt_init(&fl.intr[i], flood_isr, NULL, fl.vector[i], NULL, 8, 1ull << i);
		ke_interrupt_connect(fl.m, &fl.intr[i]);
	}
	for (unsigned round = 0; round < FLOOD_ROUNDS; round++) {
		unsigned long c0 = atomic_load(&fl.intr[0].count);
		unsigned long c1 = atomic_load(&fl.intr[1].count);
		pthread_t dev;

		atomic_store(&fl.stop, false);
		cr_assert_eq(pthread_create(&dev, NULL, flood_device, NULL), 0);
		WAIT_UNTIL(atomic_load(&fl.intr[0].count) >= c0 + FLOOD_PER_ROUND &&
			   atomic_load(&fl.intr[1].count) >= c1 + FLOOD_PER_ROUND);
		atomic_store(&fl.stop, true);
		pthread_join(dev, NULL);
		cr_assert_eq(ke_machine_quiesce(fl.m, 20000), 0,
			     "round %u: a vCPU is idle with a vector pending (lost notification)",
			     round);
	}
	for (unsigned i = 0; i < 2; i++)
		ke_interrupt_disconnect(fl.m, &fl.intr[i]);
	harness_end(fl.m);
}
