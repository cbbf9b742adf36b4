/* SPDX-License-Identifier: MIT */
/*
 * verifier/poison.c - poisoned, quarantined driver memory (verifier/poison.h).
 *
 * The quarantine is a ring of the last VFY_POISON_QUARANTINE frees plus a
 * set of their pages (open addressing, lock-free lookups). Frees are
 * serialised by a small spin lock (callers run at <= DISPATCH_LEVEL, never
 * in an ISR); lookups only load.
 *
 * Live poisoned shared memory (vfy_poison_shared_alloc) is a small table
 * of its own, under s_lock.
 *
 * Lock key: (Q) q_lock  (S) s_lock  (a) atomic, written under (Q).
 */
#include "verifier/poison.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define Q_PAGES 16384u		 /* page set slots (a power of two) */
#define Q_MAX_PAGES 4096u	 /* pages quarantined at once, at most */
#define Q_EMPTY ((uintptr_t)0)	 /* a slot never used */
#define Q_REMOVED ((uintptr_t)1) /* a slot whose page left the quarantine */

struct q_entry {
	uintptr_t base;
	size_t len;
};

static atomic_flag q_lock = ATOMIC_FLAG_INIT;
static struct q_entry q_ring[VFY_POISON_QUARANTINE]; /* (Q) */
static unsigned q_next;				     /* (Q) */
static size_t q_nr_pages;			     /* (Q) */
static uintptr_t q_pages[Q_PAGES];		     /* (a) */

static uintptr_t page_size(void)
{
	static uintptr_t ps;

	if (!ps)
		ps = (uintptr_t)sysconf(_SC_PAGESIZE);
	return ps;
}

static unsigned page_slot(uintptr_t page)
{
	return (unsigned)(((uint64_t)page * 0x9E3779B97F4A7C15ull) >> 40) & (Q_PAGES - 1);
}

void *vfy_poison_alloc(size_t len, size_t *maplen)
{
	uintptr_t ps = page_size();
	size_t n = (len + ps - 1) & ~(ps - 1);
	void *p;

	if (!len || n < len)
		return NULL;
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	*maplen = n;
	return p;
}

/* (Q) */
static void pages_add(uintptr_t page)
{
	unsigned i = page_slot(page);

	for (unsigned probes = 0; probes < Q_PAGES; probes++, i = (i + 1) & (Q_PAGES - 1)) {
		uintptr_t cur = __atomic_load_n(&q_pages[i], __ATOMIC_ACQUIRE);

		if (cur == Q_EMPTY || cur == Q_REMOVED) {
			__atomic_store_n(&q_pages[i], page, __ATOMIC_RELEASE);
			return;
		}
	}
}

/* (Q) */
static void pages_remove(uintptr_t page)
{
	unsigned i = page_slot(page);

	for (unsigned probes = 0; probes < Q_PAGES; probes++, i = (i + 1) & (Q_PAGES - 1)) {
		uintptr_t cur = __atomic_load_n(&q_pages[i], __ATOMIC_ACQUIRE);

		if (cur == Q_EMPTY)
			return;
		if (cur == page) {
			__atomic_store_n(&q_pages[i], Q_REMOVED, __ATOMIC_RELEASE);
			return;
		}
	}
}

bool vfy_poison_quarantined(const void *p)
{
	uintptr_t page = (uintptr_t)p & ~(page_size() - 1);
	unsigned i = page_slot(page);

	if (page <= Q_REMOVED)
		return false;
	for (unsigned probes = 0; probes < Q_PAGES; probes++, i = (i + 1) & (Q_PAGES - 1)) {
		uintptr_t cur = __atomic_load_n(&q_pages[i], __ATOMIC_ACQUIRE);

		if (cur == Q_EMPTY)
			return false;
		if (cur == page)
			return true;
	}
	return false;
}

/* (Q) Unmap the oldest entry. */
static void evict(struct q_entry *e)
{
	uintptr_t ps = page_size();

	if (!e->base)
		return;
	for (uintptr_t pg = e->base; pg < e->base + e->len; pg += ps)
		pages_remove(pg);
	q_nr_pages -= e->len / ps;
	munmap((void *)e->base, e->len);
	e->base = 0;
	e->len = 0;
}

void vfy_poison_free(void *p, size_t maplen)
{
	uintptr_t ps = page_size(), base = (uintptr_t)p;
	size_t pages = maplen / ps;

	memset(p, VFY_POISON_FREE, maplen);
	if (pages > Q_MAX_PAGES) {
		munmap(p, maplen); /* too big to keep: unmapped at once (still faults) */
		return;
	}
	mprotect(p, maplen, PROT_NONE);
	while (atomic_flag_test_and_set_explicit(&q_lock, memory_order_acquire))
		;
	/* Room in the ring and under the page cap: the oldest (at q_next) go first. */
	evict(&q_ring[q_next]);
	for (unsigned i = 1; i < VFY_POISON_QUARANTINE && q_nr_pages + pages > Q_MAX_PAGES; i++)
		evict(&q_ring[(q_next + i) % VFY_POISON_QUARANTINE]);
	q_ring[q_next] = (struct q_entry){.base = base, .len = maplen};
	q_next = (q_next + 1) % VFY_POISON_QUARANTINE;
	q_nr_pages += pages;
	for (uintptr_t pg = base; pg < base + maplen; pg += ps)
		pages_add(pg);
	atomic_flag_clear_explicit(&q_lock, memory_order_release);
}

/* ------------------------------------------------------ shared memory */

/* Live poisoned shared memory: (S) s_lock. A free slot has base 0. */
static atomic_flag s_lock = ATOMIC_FLAG_INIT;
static struct q_entry s_live[VFY_POISON_SHARED_LIVE]; /* (S) */

static void s_lock_take(void)
{
	while (atomic_flag_test_and_set_explicit(&s_lock, memory_order_acquire))
		;
}

static void s_lock_drop(void)
{
	atomic_flag_clear_explicit(&s_lock, memory_order_release);
}

void *vfy_poison_shared_alloc(size_t len)
{
	size_t maplen = 0;
	void *p = vfy_poison_alloc(len, &maplen);
	unsigned i;

	if (!p)
		return NULL;
	s_lock_take();
	for (i = 0; i < VFY_POISON_SHARED_LIVE && s_live[i].base; i++)
		;
	if (i < VFY_POISON_SHARED_LIVE)
		s_live[i] = (struct q_entry){.base = (uintptr_t)p, .len = maplen};
	s_lock_drop();
	if (i == VFY_POISON_SHARED_LIVE) {
		munmap(p, maplen); /* the table is full: the caller's ordinary memory instead */
		return NULL;
	}
	return p;
}

bool vfy_poison_shared_free(void *p)
{
	size_t maplen = 0;

	if (!p)
		return false;
	s_lock_take();
	for (unsigned i = 0; i < VFY_POISON_SHARED_LIVE; i++) {
		if (s_live[i].base == (uintptr_t)p) {
			maplen = s_live[i].len;
			s_live[i] = (struct q_entry){0};
			break;
		}
	}
	s_lock_drop();
	if (!maplen)
		return false;
	vfy_poison_free(p, maplen);
	return true;
}
