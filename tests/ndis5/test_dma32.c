/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_dma32.c - shared memory for 32-bit bus masters
 * (docs/devices.md, "DMA"): NdisMInitializeScatterGatherDma with
 * Dma64BitAddresses FALSE, or a device whose resources say its address
 * registers are 32 bits wide (hw_resources.dma_address_bits, the RTL8139),
 * gets NdisMAllocateSharedMemory addresses below 4 GiB that the device
 * reaches; a 64-bit driver on a 64-bit device keeps addresses above.
 */
#include "tests/ndis5/tndis5.h"

#include "hw/device.h"

struct dma32_env {
	struct t5env e;
	struct t5 t;
	struct hw_device *dev;
	BOOLEAN dma64;
	NDIS_STATUS status;
	PVOID va;
	NDIS_PHYSICAL_ADDRESS pa;
};

static struct dma32_env x;

static void setup_and_allocate(struct t5 *t)
{
	NdisMSetAttributesEx(t->handle, t, 0, NDIS_ATTRIBUTE_BUS_MASTER, NdisInterfacePci);
	x.status = NdisMInitializeScatterGatherDma(t->handle, x.dma64, 1514);
	if (x.status == NDIS_STATUS_SUCCESS)
		NdisMAllocateSharedMemory(t->handle, 40000, FALSE, &x.va, &x.pa);
}

static void free_shared(struct t5 *t)
{
	if (x.va)
		NdisMFreeSharedMemory(t->handle, 40000, FALSE, x.va, x.pa);
}

/* An adapter for a device of @model (NULL: none), DMA declared @dma64. */
static void dma32_start(const char *model, BOOLEAN dma64)
{
	struct ndisrt_ndis5_nic_config cfg;
	char err[256];

	memset(&x, 0, sizeof(x));
	t5env_init(&x.e, 1, 0);
	x.e.dma = hw_dma_space_create();
	cr_assert_not_null(x.e.dma);
	if (model) {
		struct hw_device_params p = {.machine = x.e.m,
					     .dma = x.e.dma,
					     .mac = {0x02, 0, 0, 0, 0, 1},
					     .mem_base = 0xF0000000,
					     .port_base = 0xC000,
					     .line_vector = 0x30};

		x.dev = hw_device_create(model, &p, err, sizeof(err));
		cr_assert_not_null(x.dev, "%s", err);
	}
	t5_init(&x.t, 0);
	x.dma64 = dma64;
	x.t.skip_attributes = true;
	x.t.skip_register = true;
	x.t.in_init = setup_and_allocate;
	x.t.in_halt = free_shared;
	cfg = (struct ndisrt_ndis5_nic_config){.m = x.e.m, .dma = x.e.dma, .dev = x.dev};
	t5_next = &x.t;
	cr_assert_eq(ndisrt_ndis5_nic_start(x.e.drv, &cfg, &x.t.nic, err, sizeof(err)), 0, "%s",
		     err);
	t5_assert_good(&x.t);
	cr_assert_eq(x.status, NDIS_STATUS_SUCCESS);
	cr_assert_not_null(x.va);
}

static void dma32_end(void)
{
	uint64_t pa = (uint64_t)x.pa.QuadPart;

	t5_stop(&x.t);
	cr_expect_null(hw_dma_translate(x.e.dma, pa, 1), "freed");
	hw_device_free(x.dev);
	t5env_end(&x.e);
}

static void expect_reachable_below_4g(void)
{
	uint64_t pa = (uint64_t)x.pa.QuadPart;
	uint8_t b = 0x5A;

	cr_expect_lt(pa, 0x100000000ull, "below 4 GiB: 0x%llx", (unsigned long long)pa);
	cr_expect_eq(x.pa.HighPart, 0);
	cr_expect_eq(hw_dma_translate(x.e.dma, pa, 40000), x.va,
		     "the device reaches the memory at that address");
	cr_expect_eq(hw_dma_write(x.e.dma, pa + 39999, &b, 1), 0);
	cr_expect_eq(((uint8_t *)x.va)[39999], 0x5A);
}

Test(ndis5_dma32, dma64_false_gives_addresses_below_4g)
{
	dma32_start(NULL, FALSE);
	expect_reachable_below_4g();
	dma32_end();
}

Test(ndis5_dma32, a_32_bit_device_gets_addresses_below_4g_whatever_the_driver_said)
{
	dma32_start("rtl8139", TRUE);
	expect_reachable_below_4g();
	dma32_end();
}

Test(ndis5_dma32, a_64_bit_driver_on_a_64_bit_device_keeps_addresses_above_4g)
{
	dma32_start("e1000", TRUE);
	cr_expect_geq((uint64_t)x.pa.QuadPart, 0x100000000ull);
	cr_expect_eq(hw_dma_translate(x.e.dma, (uint64_t)x.pa.QuadPart, 40000), x.va);
	dma32_end();
}
