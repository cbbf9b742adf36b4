/* SPDX-License-Identifier: MIT */
/*
 * The DMA space (§5): logical addresses unrelated to host pointers, bounds,
 * freeing, and frees that wait for a device access in flight.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "hw/dma.h"

Test(hw_dma, s5_logical_addresses_are_not_host_pointers)
{
	struct hw_dma_space *s = hw_dma_space_create();
	uint64_t la1, la2;
	uint8_t *a = hw_dma_alloc(s, 100, &la1), *b = hw_dma_alloc(s, 4096, &la2);
	uint8_t buf[100];
	struct hw_dma_stats st;

	cr_assert(a && b);
	cr_expect_geq(la1, HW_DMA_BASE);
	cr_expect_neq(la1, (uint64_t)(uintptr_t)a);
	cr_expect_eq(la1 % 4096, 0);
	cr_expect_eq(hw_dma_translate(s, la1 + 10, 90), a + 10);
	cr_expect_null(hw_dma_translate(s, la1 + 10, 91), "past the end");
	cr_expect_null(hw_dma_translate(s, (uint64_t)(uintptr_t)a, 1), "a host pointer");
	cr_expect_null(hw_dma_translate(s, 0, 1));
	memset(buf, 7, sizeof(buf));
	cr_expect_eq(hw_dma_write(s, la2 + 4000, buf, 96), 0);
	cr_expect_eq(b[4095], 7);
	cr_expect_eq(hw_dma_write(s, la2 + 4000, buf, 97), -EFAULT);
	cr_expect_eq(hw_dma_read(s, la1, buf, 100), 0);
	hw_dma_get_stats(s, &st);
	cr_expect_eq(st.regions, 2);
	cr_expect_eq(st.bytes, 4196);
	cr_expect_eq(st.faults, 1);
	cr_expect_eq(hw_dma_free(s, a), 0);
	cr_expect_null(hw_dma_translate(s, la1, 1), "freed");
	cr_expect_eq(hw_dma_free(s, a), -ENOENT);
	cr_expect_null(hw_dma_alloc(s, 0, &la1));
	hw_dma_space_free(s);
}

Test(hw_dma, s5_register_caller_memory)
{
	struct hw_dma_space *s = hw_dma_space_create();
	static uint8_t mem[256];
	uint64_t la;

	cr_assert_eq(hw_dma_register(s, mem, sizeof(mem), &la), 0);
	cr_expect_eq(hw_dma_translate(s, la + 255, 1), mem + 255);
	cr_expect_eq(hw_dma_free(s, mem), 0, "unregister, not free()");
	cr_expect_eq(hw_dma_register(s, NULL, 1, &la), -EINVAL);
	hw_dma_space_free(s);
}

struct hammer {
	struct hw_dma_space *s;
	atomic_uint_fast64_t la;
	atomic_bool stop;
	atomic_ulong ok, faults;
};

static void *hammer_main(void *arg)
{
	struct hammer *hm = arg;
	uint8_t buf[512];

	memset(buf, 0x5A, sizeof(buf));
	while (!atomic_load(&hm->stop)) {
		if (hw_dma_write(hm->s, atomic_load(&hm->la), buf, sizeof(buf)) == 0)
			atomic_fetch_add(&hm->ok, 1);
		else
			atomic_fetch_add(&hm->faults, 1);
	}
	return NULL;
}

/* A device writing while the driver frees and reallocates: never a wild write (ASan). */
Test(hw_dma, s5_free_waits_for_accesses_in_flight)
{
	struct hammer hm = {.s = hw_dma_space_create()};
	pthread_t t;
	uint64_t la;
	void *va = hw_dma_alloc(hm.s, 512, &la);

	atomic_store(&hm.la, la);
	pthread_create(&t, NULL, hammer_main, &hm);
	/* Bounded wait until the "device" is writing, so the frees race with it. */
	for (long spins = 0; atomic_load(&hm.ok) == 0; spins++) {
		cr_assert_lt(spins, 100000000L, "the writer thread never ran");
		sched_yield();
	}
	for (int i = 0; i < 2000; i++) {
		cr_assert_eq(hw_dma_free(hm.s, va), 0);
		va = hw_dma_alloc(hm.s, 512, &la);
		cr_assert_not_null(va);
		atomic_store(&hm.la, la);
	}
	atomic_store(&hm.stop, true);
	pthread_join(t, NULL);
	cr_expect_gt(atomic_load(&hm.ok) + atomic_load(&hm.faults), 0);
	hw_dma_space_free(hm.s);
}

/* hw_dma_alloc32(): a 32-bit bus master's memory, in the window below 4 GiB. */
Test(hw_dma, s5_alloc32_is_in_the_32_bit_window)
{
	struct hw_dma_space *s = hw_dma_space_create();
	uint64_t la, la64, first;
	uint8_t *p, *q, v = 0x42;
	static uint8_t *held[HW_DMA_W32_REGIONS];

	/* A 64-bit allocation first: the window does not depend on the cursor. */
	cr_assert_not_null(hw_dma_alloc(s, 64, &la64));
	p = hw_dma_alloc32(s, 1000, &la);
	cr_assert_not_null(p);
	cr_expect_geq(la, HW_DMA_W32_BASE);
	cr_expect_lt(la + 1000, 0x100000000ull, "below 4 GiB");
	cr_expect_eq(hw_dma_translate(s, la + 999, 1), p + 999);
	cr_expect_eq(hw_dma_write(s, la + 5, &v, 1), 0);
	cr_expect_eq(p[5], 0x42);
	cr_expect_eq(hw_dma_read(s, la + 1000, &v, 1), -EFAULT, "past the end");
	errno = 0;
	cr_expect_null(hw_dma_alloc32(s, HW_DMA_W32_SPAN + 1, &first), "larger than a slot");
	cr_expect_eq(errno, EINVAL);
	cr_expect_eq(hw_dma_free(s, p), 0);
	cr_expect_null(hw_dma_translate(s, la, 1), "freed");

	/* Every window slot, then one more: ENOSPC (the slot of the 64-bit
	 * allocation is one of them). */
	unsigned n = 0;

	while (n < HW_DMA_W32_REGIONS && (held[n] = hw_dma_alloc32(s, 16, &first))) {
		cr_assert_lt(first, 0x100000000ull);
		n++;
	}
	cr_expect_eq(n, HW_DMA_W32_REGIONS - 1);
	errno = 0;
	q = hw_dma_alloc32(s, 16, &first);
	cr_expect_null(q);
	cr_expect_eq(errno, ENOSPC);
	hw_dma_space_free(s);
}
