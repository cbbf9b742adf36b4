/* SPDX-License-Identifier: MIT */
/*
 * hw/dma.c - the DMA address space: a two-level table of regions.
 *
 * Devices access memory from any context, including a signal handler that
 * interrupted the thread now inside hw_dma_free(); drivers register and free
 * memory from host threads or low IRQL. So the access path takes no lock:
 * each slot has a count of accesses in flight, and freeing retires a slot in
 * two steps (mark DYING, wait for the count to drain) before the memory goes.
 *
 * The interleaving this defends against: a device translates an address,
 * the driver frees the region, the device copies into freed memory. With
 * seq_cst on both sides, an accessor increments @users then loads @state,
 * and hw_dma_free() stores DYING then loads @users: either the accessor sees
 * DYING and backs off, or the freer sees the access and waits for it.
 */
#include "hw/dma.h"
#include "ke/ke.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/*
 * Under ThreadSanitizer (make test-tsan): a device's DMA is not a CPU
 * thread. It reads and writes host memory behind the driver's back, and the
 * driver orders its side with volatile accesses and barriers, as with real
 * hardware (docs/vn1.md); none of that is C11-atomic, and TSan would report
 * every descriptor poll as a race. The device's copies are therefore not
 * shown to TSan (docs/reliability.md); the CPU side stays fully checked.
 */
#if defined(__SANITIZE_THREAD__)
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
#define DMA_COPY(dst, src, len)                                \
	do {                                                   \
		AnnotateIgnoreReadsBegin(__FILE__, __LINE__);  \
		AnnotateIgnoreWritesBegin(__FILE__, __LINE__); \
		memcpy(dst, src, len);                         \
		AnnotateIgnoreWritesEnd(__FILE__, __LINE__);   \
		AnnotateIgnoreReadsEnd(__FILE__, __LINE__);    \
	} while (0)
#else
#define DMA_COPY(dst, src, len) memcpy(dst, src, len)
#endif

#define DMA_CHUNK_SLOTS 256u
#define DMA_NR_CHUNKS (HW_DMA_MAX_REGIONS / DMA_CHUNK_SLOTS)

enum { SLOT_FREE = 0, SLOT_LIVE = 1, SLOT_DYING = 2 };

/* Lock key: (M) space mutex  (a) atomic; @va/@size published by the LIVE store */
struct dma_slot {
	atomic_uint state; /* (a) SLOT_* */
	atomic_uint users; /* (a) accesses in flight */
	void *va;	   /* (M) valid while LIVE */
	size_t size;	   /* (M) valid while LIVE */
	bool owned;	   /* (M) allocated by hw_dma_alloc() */
};

struct dma_chunk {
	struct dma_slot slot[DMA_CHUNK_SLOTS];
};

/* Lock key: (M) @lock  (a) atomic */
struct hw_dma_space {
	pthread_mutex_t lock;
	_Atomic(struct dma_chunk *) chunk[DMA_NR_CHUNKS]; /* (a) set once, freed with the space */
	unsigned cursor;     /* (M) next slot to try: FIFO-ish reuse delays stale hits */
	unsigned cursor32;   /* (M) the same, among the 32-bit window's slots */
	uint64_t regions;    /* (M) */
	uint64_t bytes;	     /* (M) */
	atomic_ulong faults; /* (a) */
};

struct hw_dma_space *hw_dma_space_create(void)
{
	struct hw_dma_space *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void hw_dma_space_free(struct hw_dma_space *s)
{
	if (!s)
		return;
	for (unsigned c = 0; c < DMA_NR_CHUNKS; c++) {
		struct dma_chunk *ch = atomic_load(&s->chunk[c]);

		if (!ch)
			continue;
		for (unsigned i = 0; i < DMA_CHUNK_SLOTS; i++)
			if (atomic_load(&ch->slot[i].state) != SLOT_FREE && ch->slot[i].owned)
				free(ch->slot[i].va);
		free(ch);
	}
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static struct dma_slot *dma_slot(struct hw_dma_space *s, unsigned r)
{
	struct dma_chunk *ch =
	    atomic_load_explicit(&s->chunk[r / DMA_CHUNK_SLOTS], memory_order_acquire);

	return ch ? &ch->slot[r % DMA_CHUNK_SLOTS] : NULL;
}

/*
 * Find a free slot among the first @nr (all of them, or the 32-bit window's),
 * creating its chunk if needed, starting at *@cursor. Context: holding s->lock.
 */
static int dma_slot_reserve(struct hw_dma_space *s, unsigned nr, unsigned *cursor)
{
	for (unsigned n = 0; n < nr; n++) {
		unsigned r = (*cursor + n) % nr;
		struct dma_slot *slot = dma_slot(s, r);

		if (!slot) {
			struct dma_chunk *ch = calloc(1, sizeof(*ch));

			if (!ch)
				return -ENOMEM;
			atomic_store_explicit(&s->chunk[r / DMA_CHUNK_SLOTS], ch,
					      memory_order_release);
			slot = &ch->slot[r % DMA_CHUNK_SLOTS];
		}
		if (atomic_load(&slot->state) == SLOT_FREE) {
			*cursor = (r + 1) % nr;
			return (int)r;
		}
	}
	return -ENOSPC;
}

/* @w32: in the 32-bit window (*@logical is then the window's alias). */
static int dma_insert(struct hw_dma_space *s, void *va, size_t len, bool owned, bool w32,
		      uint64_t *logical)
{
	struct dma_slot *slot;
	int r;

	if (!va || len == 0 || len > (w32 ? HW_DMA_W32_SPAN : HW_DMA_MAX_REGION_SIZE))
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	r = w32 ? dma_slot_reserve(s, HW_DMA_W32_REGIONS, &s->cursor32)
		: dma_slot_reserve(s, HW_DMA_MAX_REGIONS, &s->cursor);
	if (r < 0) {
		pthread_mutex_unlock(&s->lock);
		return r;
	}
	slot = dma_slot(s, (unsigned)r);
	slot->va = va;
	slot->size = len;
	slot->owned = owned;
	/* Publishes @va and @size to accessors that load LIVE. */
	atomic_store_explicit(&slot->state, SLOT_LIVE, memory_order_seq_cst);
	s->regions++;
	s->bytes += len;
	pthread_mutex_unlock(&s->lock);
	*logical = w32 ? HW_DMA_W32_BASE + (uint64_t)r * HW_DMA_W32_SPAN : ((uint64_t)r + 1) << 32;
	return 0;
}

static void *dma_alloc(struct hw_dma_space *s, size_t len, bool w32, uint64_t *logical)
{
	void *va;
	int err;

	if (len == 0 || len > (w32 ? HW_DMA_W32_SPAN : HW_DMA_MAX_REGION_SIZE)) {
		errno = EINVAL;
		return NULL;
	}
	va = calloc(1, len);
	if (!va)
		return NULL;
	err = dma_insert(s, va, len, true, w32, logical);
	if (err) {
		free(va);
		errno = -err;
		return NULL;
	}
	return va;
}

void *hw_dma_alloc(struct hw_dma_space *s, size_t len, uint64_t *logical)
{
	return dma_alloc(s, len, false, logical);
}

void *hw_dma_alloc32(struct hw_dma_space *s, size_t len, uint64_t *logical)
{
	return dma_alloc(s, len, true, logical);
}

int hw_dma_register(struct hw_dma_space *s, void *va, size_t len, uint64_t *logical)
{
	return dma_insert(s, va, len, false, false, logical);
}

/* Context: holding s->lock. Return: the live slot starting at @va, or NULL. */
static struct dma_slot *dma_find_va(struct hw_dma_space *s, void *va)
{
	for (unsigned c = 0; c < DMA_NR_CHUNKS; c++) {
		struct dma_chunk *ch = atomic_load(&s->chunk[c]);

		if (!ch)
			continue;
		for (unsigned i = 0; i < DMA_CHUNK_SLOTS; i++)
			if (atomic_load(&ch->slot[i].state) == SLOT_LIVE && ch->slot[i].va == va)
				return &ch->slot[i];
	}
	return NULL;
}

int hw_dma_free(struct hw_dma_space *s, void *va)
{
	struct dma_slot *slot;

	pthread_mutex_lock(&s->lock);
	slot = dma_find_va(s, va);
	if (!slot) {
		pthread_mutex_unlock(&s->lock);
		return -ENOENT;
	}
	atomic_store_explicit(&slot->state, SLOT_DYING, memory_order_seq_cst);
	/* Accesses are a bounded copy each; new ones see DYING and back off. */
	while (atomic_load_explicit(&slot->users, memory_order_seq_cst) != 0)
		ke_yield();
	if (slot->owned)
		free(slot->va);
	s->regions--;
	s->bytes -= slot->size;
	slot->va = NULL;
	slot->size = 0;
	atomic_store_explicit(&slot->state, SLOT_FREE, memory_order_release);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

/*
 * Pin the region holding [@logical, @logical + @len) against hw_dma_free().
 * Return: the slot (caller must dma_unpin() it) with *@p the host address,
 * or NULL if the range is not inside one live region.
 */
static struct dma_slot *dma_pin(struct hw_dma_space *s, uint64_t logical, size_t len, uint8_t **p)
{
	uint64_t hi = logical >> 32, off = logical & 0xFFFFFFFFULL;
	struct dma_slot *slot;

	if (hi == 0 && logical >= HW_DMA_W32_BASE) { /* the 32-bit window */
		hi = (logical - HW_DMA_W32_BASE) / HW_DMA_W32_SPAN + 1;
		off = (logical - HW_DMA_W32_BASE) % HW_DMA_W32_SPAN;
	}
	if (hi == 0 || hi > HW_DMA_MAX_REGIONS || len == 0)
		return NULL;
	slot = dma_slot(s, (unsigned)(hi - 1));
	if (!slot)
		return NULL;
	atomic_fetch_add_explicit(&slot->users, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&slot->state, memory_order_seq_cst) != SLOT_LIVE ||
	    off > slot->size || len > slot->size - off) {
		atomic_fetch_sub_explicit(&slot->users, 1, memory_order_release);
		return NULL;
	}
	*p = (uint8_t *)slot->va + off;
	return slot;
}

static void dma_unpin(struct dma_slot *slot)
{
	/* Release: our copy happens-before the freer's observation of zero. */
	atomic_fetch_sub_explicit(&slot->users, 1, memory_order_release);
}

void *hw_dma_translate(struct hw_dma_space *s, uint64_t logical, size_t len)
{
	struct dma_slot *slot;
	uint8_t *p;

	slot = dma_pin(s, logical, len, &p);
	if (!slot)
		return NULL;
	dma_unpin(slot);
	return p;
}

int hw_dma_read(struct hw_dma_space *s, uint64_t logical, void *buf, size_t len)
{
	struct dma_slot *slot;
	uint8_t *p;

	slot = dma_pin(s, logical, len, &p);
	if (!slot) {
		atomic_fetch_add_explicit(&s->faults, 1, memory_order_relaxed);
		return -EFAULT;
	}
	DMA_COPY(buf, p, len);
	dma_unpin(slot);
	return 0;
}

int hw_dma_write(struct hw_dma_space *s, uint64_t logical, const void *buf, size_t len)
{
	struct dma_slot *slot;
	uint8_t *p;

	slot = dma_pin(s, logical, len, &p);
	if (!slot) {
		atomic_fetch_add_explicit(&s->faults, 1, memory_order_relaxed);
		return -EFAULT;
	}
	DMA_COPY(p, buf, len);
	dma_unpin(slot);
	return 0;
}

int hw_dma_addr32(struct hw_dma_space *s, uint64_t logical, uint32_t *out)
{
	uint64_t r = (logical >> 32) - 1, off = logical & 0xFFFFFFFFULL;
	struct dma_slot *slot;
	int err = -ERANGE;

	if ((logical >> 32) == 0 || r >= HW_DMA_W32_REGIONS)
		return -ERANGE;
	slot = dma_slot(s, (unsigned)r);
	if (!slot)
		return -ERANGE;
	pthread_mutex_lock(&s->lock);
	if (atomic_load(&slot->state) == SLOT_LIVE && slot->size <= HW_DMA_W32_SPAN &&
	    off < slot->size) {
		*out = (uint32_t)(HW_DMA_W32_BASE + r * HW_DMA_W32_SPAN + off);
		err = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return err;
}

void hw_dma_get_stats(struct hw_dma_space *s, struct hw_dma_stats *out)
{
	pthread_mutex_lock(&s->lock);
	out->regions = s->regions;
	out->bytes = s->bytes;
	pthread_mutex_unlock(&s->lock);
	out->faults = atomic_load(&s->faults);
}
