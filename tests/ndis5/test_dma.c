/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_dma.c - bus-master DMA for NDIS 5 miniports
 * (docs/ndis5.md): NdisMInitializeScatterGatherDma, then shared memory the
 * device sees at a logical address; the refusals and bug checks around it.
 */
#include "tests/ndis5/tndis5.h"

#include <signal.h>

#include "verifier/poison.h"
#include "verifier/vfy.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

struct dma_env {
	struct t5env e;
	struct t5 t;
	ULONG attributes; /* NdisMSetAttributesEx flags the test driver gives */
	NDIS_STATUS first, second;
	PVOID va;
	NDIS_PHYSICAL_ADDRESS pa;
	bool free_in_halt;
};

static struct dma_env x;

/* In MiniportInitialize: attributes (bus master or not), then DMA. */
static void attrs_then_dma(struct t5 *t)
{
	NdisMSetAttributesEx(t->handle, t, 0, x.attributes, NdisInterfacePci);
	x.first = NdisMInitializeScatterGatherDma(t->handle, TRUE, 1514);
	x.second = NdisMInitializeScatterGatherDma(t->handle, TRUE, 1514);
	if (x.first == NDIS_STATUS_SUCCESS)
		NdisMAllocateSharedMemory(t->handle, 4096, FALSE, &x.va, &x.pa);
}

static void free_shared(struct t5 *t)
{
	if (x.free_in_halt && x.va)
		NdisMFreeSharedMemory(t->handle, 4096, FALSE, x.va, x.pa);
}

/* An adapter with no interrupt, its DMA space given by the host. */
static void dma_start(ULONG attributes, t5_step_fn *in_init)
{
	struct ndisrt_ndis5_nic_config cfg;
	char err[256];

	memset(&x, 0, sizeof(x));
	t5env_init(&x.e, 1, 0);
	x.e.dma = hw_dma_space_create();
	cr_assert_not_null(x.e.dma);
	t5_init(&x.t, 0);
	x.attributes = attributes;
	x.free_in_halt = true;
	x.t.skip_attributes = true;
	x.t.skip_register = true;
	x.t.in_init = in_init;
	x.t.in_halt = free_shared;
	cfg = (struct ndisrt_ndis5_nic_config){.m = x.e.m, .dma = x.e.dma};
	t5_next = &x.t;
	cr_assert_eq(ndisrt_ndis5_nic_start(x.e.drv, &cfg, &x.t.nic, err, sizeof(err)), 0, "%s",
		     err);
}

Test(ndis5_dma, bus_master_sets_up_dma_once_and_shares_memory)
{
	dma_start(NDIS_ATTRIBUTE_BUS_MASTER, attrs_then_dma);
	t5_assert_good(&x.t);
	cr_expect_eq(x.first, NDIS_STATUS_SUCCESS);
	cr_expect_eq(x.second, NDIS_STATUS_FAILURE, "set up already");
	cr_assert_not_null(x.va);
	cr_expect_neq((uint64_t)x.pa.QuadPart, (uint64_t)(uintptr_t)x.va,
		      "a logical address, not the virtual one");
	cr_expect_eq(hw_dma_translate(x.e.dma, (uint64_t)x.pa.QuadPart, 4096), x.va,
		     "the device reaches the memory at the logical address");
	cr_expect_eq(((uint8_t *)x.va)[4095], 0, "zeroed");
	t5_stop(&x.t);
	cr_expect_null(hw_dma_translate(x.e.dma, (uint64_t)x.pa.QuadPart, 1), "freed");
	t5env_end(&x.e);
}

Test(ndis5_dma, not_a_bus_master_is_not_supported)
{
	dma_start(0, attrs_then_dma);
	t5_assert_good(&x.t);
	cr_expect_eq(x.first, NDIS_STATUS_NOT_SUPPORTED);
	cr_expect_null(x.va);
	t5_stop(&x.t);
	t5env_end(&x.e);
}

static void shared_without_dma(struct t5 *t)
{
	NdisMSetAttributesEx(t->handle, t, 0, NDIS_ATTRIBUTE_BUS_MASTER, NdisInterfacePci);
	NdisMAllocateSharedMemory(t->handle, 4096, FALSE, &x.va, &x.pa);
}

Test(ndis5_dma, shared_memory_before_dma_setup_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_NO_DMA, 0, 0, NDISRT_DDI_ALLOCATE_SHARED_MEMORY);
	dma_start(NDIS_ATTRIBUTE_BUS_MASTER, shared_without_dma);
}

Test(ndis5_dma, halt_with_shared_memory_allocated_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	dma_start(NDIS_ATTRIBUTE_BUS_MASTER, attrs_then_dma);
	cr_assert_not_null(x.va);
	x.free_in_halt = false;
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_RESOURCE_LEAK, 0, 1, 2);
	t5_stop(&x.t);
}

static void dma_outside_init(void *arg)
{
	struct t5 *t = arg;

	NdisMInitializeScatterGatherDma(t->handle, TRUE, 1514);
}

Test(ndis5_dma, setup_outside_initialize_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	dma_start(NDIS_ATTRIBUTE_BUS_MASTER, attrs_then_dma);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_WRONG_CONTEXT, 0, 0, NDISRT_DDI_REGISTER_SG_DMA);
	t5_on_vcpu(&x.e, 0, dma_outside_init, &x.t);
}

static void free_twice(struct t5 *t)
{
	NdisMFreeSharedMemory(t->handle, 4096, FALSE, x.va, x.pa);
	NdisMFreeSharedMemory(t->handle, 4096, FALSE, x.va, x.pa);
}

Test(ndis5_dma, freeing_shared_memory_twice_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	dma_start(NDIS_ATTRIBUTE_BUS_MASTER, attrs_then_dma);
	x.free_in_halt = false;
	x.t.in_halt = free_twice;
	expect_bugcheck(C4, 0x1, NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, 0);
	t5_stop(&x.t);
}

/* ------------------------------------- H7: freed shared memory (verifier on) */

/*
 * NdisMFreeSharedMemory takes the memory out of the DMA space and then
 * poisons and quarantines its CPU view: a DPC or ISR still reading the
 * freed ring faults (the test passes on SIGSEGV only).
 */
Test(ndis5_dma, H7_freed_shared_memory_is_poisoned_and_faults_when_touched, .signal = SIGSEGV)
{
	volatile uint8_t *v;

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	dma_start(NDIS_ATTRIBUTE_BUS_MASTER, attrs_then_dma);
	cr_assert_not_null(x.va);
	v = x.va;
	v[0] = 0x11;
	v[4095] = 0x22;
	cr_assert_not(vfy_poison_quarantined(x.va));
	t5_stop(&x.t); /* MiniportHalt frees it */
	cr_assert_null(hw_dma_translate(x.e.dma, (uint64_t)x.pa.QuadPart, 1),
		       "the device reaches it no more");
	cr_assert(vfy_poison_quarantined((const uint8_t *)x.va + 4095));
	(void)v[0];
	cr_assert_fail("freed shared memory was readable");
}

/* Guard: with the verifier on, live shared memory is ordinary memory both sides reach. */
Test(ndis5_dma, H7_live_shared_memory_is_ordinary_with_the_verifier_on)
{
	uint8_t b = 0;

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	dma_start(NDIS_ATTRIBUTE_BUS_MASTER, attrs_then_dma);
	cr_assert_not_null(x.va);
	cr_assert_eq(((uint8_t *)x.va)[4095], 0, "zeroed");
	((uint8_t *)x.va)[17] = 0x5A;
	cr_assert_eq(hw_dma_read(x.e.dma, (uint64_t)x.pa.QuadPart + 17, &b, 1), 0);
	cr_assert_eq(b, 0x5A, "the device sees what the CPU wrote");
	b = 0xA5;
	cr_assert_eq(hw_dma_write(x.e.dma, (uint64_t)x.pa.QuadPart + 18, &b, 1), 0);
	cr_assert_eq(((uint8_t *)x.va)[18], 0xA5, "the CPU sees what the device wrote");
	cr_assert_not(vfy_poison_quarantined(x.va));
	t5_stop(&x.t);
	t5_assert_good(&x.t);
	t5env_end(&x.e);
	cr_assert_eq(vfy_set_mode(VFY_OFF), 0);
}

/* Guard: with the verifier off, freed shared memory is not quarantined (ordinary heap). */
Test(ndis5_dma, H7_shared_memory_is_ordinary_while_the_verifier_is_off)
{
	cr_assert_eq(vfy_set_mode(VFY_OFF), 0);
	dma_start(NDIS_ATTRIBUTE_BUS_MASTER, attrs_then_dma);
	cr_assert_not_null(x.va);
	t5_stop(&x.t);
	cr_assert_not(vfy_poison_quarantined(x.va));
	t5env_end(&x.e);
}
