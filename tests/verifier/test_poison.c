/* SPDX-License-Identifier: MIT */
/*
 * Driver memory poisoned and quarantined on free (verifier/poison.h, rule
 * H7): freed memory faults when touched, a double free and a spin lock in
 * freed memory are bug checks that never read the freed bytes, and the
 * quarantine keeps only the latest frees.
 */
#include <ndis.h>

#include "tests/harness.h"

#include <criterion/criterion.h>
#include <signal.h>

#include "ndisrt/host.h"
#include "verifier/poison.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"

Test(poison, H7_freed_memory_is_quarantined_and_faults_when_touched, .signal = SIGSEGV)
{
	size_t n = 0;
	unsigned char *p = vfy_poison_alloc(100, &n);
	volatile unsigned char *v = p;

	cr_assert_not_null(p);
	cr_assert_geq(n, 100);
	v[0] = 1;
	v[99] = 2;
	cr_assert_not(vfy_poison_quarantined(p));
	vfy_poison_free(p, n);
	cr_assert(vfy_poison_quarantined(p + 99));
	(void)v[0]; /* the fault: the test passes on SIGSEGV only */
	cr_assert_fail("freed memory was readable");
}

Test(poison, H7_quarantine_keeps_only_the_latest_frees)
{
	static void *p[VFY_POISON_QUARANTINE + 8];
	size_t n[VFY_POISON_QUARANTINE + 8];
	unsigned total = VFY_POISON_QUARANTINE + 8;

	for (unsigned i = 0; i < total; i++) {
		p[i] = vfy_poison_alloc(64, &n[i]);
		cr_assert_not_null(p[i]);
	}
	for (unsigned i = 0; i < total; i++)
		vfy_poison_free(p[i], n[i]);
	/* The first 8 were unmapped to make room (an address may be reused since). */
	for (unsigned i = 8; i < total; i++)
		cr_assert(vfy_poison_quarantined(p[i]), "free %u is quarantined", i);
}

static struct ndisrt_host *host;

static void on_vcpu(void (*fn)(void *), void *arg)
{
	struct ndisrt_host_config hc = {.nr_vcpus = 1};

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	host = ndisrt_host_create(&hc);
	cr_assert_not_null(host);
	ke_vcpu_call(ke_machine_vcpu(ndisrt_host_machine(host), 0), fn, arg);
}

static void free_twice(void *arg)
{
	PVOID p = NULL;

	(void)arg;
	cr_assert_eq(NdisAllocateMemoryWithTag(&p, 200, 0x54657374u), NDIS_STATUS_SUCCESS);
	cr_assert(((uintptr_t)p % MEMORY_ALLOCATION_ALIGNMENT) == 0);
	NdisFreeMemory(p, 0, 0);
	cr_assert(vfy_poison_quarantined(p));
	NdisFreeMemory(p, 0, 0);
}

Test(poison, H7_double_free_of_poisoned_memory_bugchecks_without_reading_it,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1,
			NDISRT_VIOLATION_DOUBLE_FREE, 0, 0, 0);
	on_vcpu(free_twice, NULL);
	cr_assert_fail("the second free returned");
}

static void lock_in_freed_memory(void *arg)
{
	PNDIS_SPIN_LOCK l = NULL;

	(void)arg;
	cr_assert_eq(NdisAllocateMemoryWithTag((PVOID *)&l, sizeof(*l), 0x54657374u),
		     NDIS_STATUS_SUCCESS);
	NdisAllocateSpinLock(l);
	NdisAcquireSpinLock(l);
	NdisReleaseSpinLock(l);
	NdisFreeMemory(l, 0, 0); /* without NdisFreeSpinLock: the lock's bytes say "allocated" */
	NdisAcquireSpinLock(l);
}

Test(poison, H7_spin_lock_in_freed_memory_bugchecks_without_reading_it,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1,
			NDISRT_VIOLATION_USE_AFTER_FREE, 0, 0, 0);
	on_vcpu(lock_in_freed_memory, NULL);
	cr_assert_fail("the acquisition returned");
}

static atomic_int off_quarantined = -1;

static void off_alloc(void *arg)
{
	PVOID p = NULL;

	(void)arg;
	if (NdisAllocateMemoryWithTag(&p, 200, 0x54657374u) != NDIS_STATUS_SUCCESS)
		return;
	NdisFreeMemory(p, 0, 0);
	atomic_store(&off_quarantined, vfy_poison_quarantined(p));
}

Test(poison, H7_memory_is_ordinary_while_the_verifier_is_off)
{
	struct ndisrt_host_config hc = {.nr_vcpus = 1};

	cr_assert_eq(vfy_set_mode(VFY_OFF), 0);
	host = ndisrt_host_create(&hc);
	cr_assert_not_null(host);
	ke_vcpu_call(ke_machine_vcpu(ndisrt_host_machine(host), 0), off_alloc, NULL);
	cr_assert_eq(atomic_load(&off_quarantined), 0, "freed and not quarantined");
	ndisrt_host_free(host);
}
