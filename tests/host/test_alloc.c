/* SPDX-License-Identifier: MIT */
/*
 * tests/host/test_alloc.c - the data path allocates nothing per frame.
 *
 * This binary links the runtime with -Wl,--wrap for malloc, calloc,
 * realloc, aligned_alloc and posix_memalign (tests/host/CMakeLists.txt):
 * every allocation the runtime, the device models, the wire and (through
 * NdisAllocateMemoryWithTagPriority and the NBL pools) the sample driver make
 * goes through the counting wrappers below. A pair of VN-1s with the vn1
 * sample moves frames from NIC 0 to NIC 1 - the host's send path
 * (MiniportSendNetBufferLists, NdisMSendNetBufferListsComplete), the model's
 * transmit, the wire, the model's receive DMA, MSI-X, ISR, DPC,
 * NdisMIndicateReceiveNetBufferLists and the protocol's return. After a
 * warm-up, the allocations counted over N frames and over 4N frames must be
 * the same: the count does not grow with the frames (counts, not timings).
 */
#include "tests/host/thost.h"

#include <stdatomic.h>
#include <sched.h>
#include <stdlib.h>

static atomic_ulong allocs; /* calls to the allocators, from any thread */
static atomic_bool counting;

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
int __real_posix_memalign(void **p, size_t align, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
int __wrap_posix_memalign(void **p, size_t align, size_t size);

static void count_one(void)
{
	if (atomic_load_explicit(&counting, memory_order_relaxed))
		atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
}

void *__wrap_malloc(size_t size)
{
	count_one();
	return __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	count_one();
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	count_one();
	return __real_realloc(p, size);
}

void *__wrap_aligned_alloc(size_t align, size_t size)
{
	count_one();
	return __real_aligned_alloc(align, size);
}

int __wrap_posix_memalign(void **p, size_t align, size_t size)
{
	count_one();
	return __real_posix_memalign(p, align, size);
}

static struct th t;

/* Frames built before counting: the test's own work allocates nothing. */
#define BATCH 32u
static uint8_t bufs[BATCH][2048];
static const void *frames[BATCH];
static size_t lens[BATCH];

/*
 * Send @count frames 0 -> 1 in batches, each batch completed and received
 * before the next (so no frame is dropped for want of a descriptor).
 * Returns false if a batch did not go through; no Criterion call inside,
 * the window being counted is only the data path's.
 */
static bool move_frames(unsigned count)
{
	struct ndisrt_nic_stats s;
	uint64_t done_tx, done_rx;

	ndisrt_nic_get_stats(t.nic[0], &s);
	done_tx = s.send_completed + s.send_failed;
	done_rx = atomic_load(&t.rx[1].frames);
	for (unsigned i = 0; i < count; i += BATCH) {
		uint64_t deadline;

		if (ndisrt_nic_send(t.nic[0], 0, frames, lens, BATCH) != BATCH)
			return false;
		done_tx += BATCH;
		done_rx += BATCH;
		deadline = ke_clock_ns(ndisrt_host_machine(t.h)) + 30ull * 1000000000ull;
		for (;;) {
			ndisrt_nic_get_stats(t.nic[0], &s);
			if (s.send_completed + s.send_failed >= done_tx &&
			    atomic_load(&t.rx[1].frames) >= done_rx &&
			    ndisrt_nic_outstanding(t.nic[1]) == 0)
				break;
			if (ke_clock_ns(ndisrt_host_machine(t.h)) > deadline)
				return false;
			sched_yield();
		}
	}
	return true;
}

static unsigned long allocs_while_moving(unsigned count)
{
	bool ok;

	atomic_store(&allocs, 0);
	atomic_store(&counting, true);
	ok = move_frames(count);
	atomic_store(&counting, false);
	cr_assert(ok, "%u frames did not all go through within 30 s", count);
	return atomic_load(&allocs);
}

static void check_no_per_frame_allocation(unsigned size)
{
	struct wire_gen_config g = th_gen(size, 8);
	unsigned long n1, n4;
	struct ndisrt_nic_stats s0;

	th_init(&t, 2);
	th_load(&t, VN1_SO);
	th_pair(&t, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 3, 0, false);
	t.rx[1].expect_len = size;
	for (unsigned j = 0; j < BATCH; j++) {
		lens[j] = th_frame(&g, j, bufs[j]);
		frames[j] = bufs[j];
	}
	/* Warm-up: pools and rings reach their working size. */
	cr_assert(move_frames(1024), "warm-up frames did not go through");
	n1 = allocs_while_moving(1024);
	n4 = allocs_while_moving(4096);
	cr_assert_eq(n4, n1,
		     "allocations grow with the frames: %lu for 1024 frames, %lu for 4096 (%u B)",
		     n1, n4, size);
	cr_assert_leq(n4, 8, "%lu allocations while moving frames (%u B)", n4, size);
	/* The frames did move: counted where they were sent and received. */
	ndisrt_nic_get_stats(t.nic[0], &s0);
	cr_assert_eq(s0.send_completed, 1024 + 1024 + 4096);
	cr_assert_eq(atomic_load(&t.rx[1].frames), 1024 + 1024 + 4096);
	cr_assert_eq(atomic_load(&t.rx[1].bad), 0);
	th_fini(&t);
}

Test(host_alloc, send_and_receive_allocate_nothing_per_frame_64)
{
	check_no_per_frame_allocation(64);
}

Test(host_alloc, send_and_receive_allocate_nothing_per_frame_1514)
{
	check_no_per_frame_allocation(1514);
}

/*
 * The guard the test above depends on: the wrappers do count the runtime's
 * allocations (a test that counted nothing would pass whatever the data
 * path did). A jumbo frame is the one send the host does not pool: one
 * block per frame, which this must see.
 */
Test(host_alloc, counter_sees_the_per_frame_block_of_a_jumbo_send)
{
	static uint8_t jumbo[4000];
	const void *f[1] = {jumbo};
	size_t l[1] = {sizeof(jumbo)};
	struct ndisrt_nic_stats s;
	uint64_t deadline;

	th_init(&t, 2);
	th_load(&t, VN1_SO);
	th_pair(&t, HW_IRQ_MSIX, NDISRT_IRQ_MSIX, 3, 0, false);
	memcpy(jumbo, th_mac[1], 6);
	memcpy(jumbo + 6, th_mac[0], 6);
	atomic_store(&allocs, 0);
	atomic_store(&counting, true);
	for (unsigned i = 0; i < 16; i++)
		ndisrt_nic_send(t.nic[0], 0, f, l, 1);
	atomic_store(&counting, false);
	cr_assert_geq(atomic_load(&allocs), 16, "a jumbo send allocates its block: %lu counted",
		      atomic_load(&allocs));
	deadline = ke_clock_ns(ndisrt_host_machine(t.h)) + 30ull * 1000000000ull;
	do {
		ndisrt_nic_get_stats(t.nic[0], &s);
		cr_assert_lt(ke_clock_ns(ndisrt_host_machine(t.h)), deadline);
		sched_yield();
	} while (s.send_completed + s.send_failed < 16);
	th_fini(&t);
}
