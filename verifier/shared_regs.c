/* SPDX-License-Identifier: MIT */
/*
 * verifier/shared_regs.c - ISR-shared registers (verifier/shared_regs.h,
 * rule S5). Everything is preallocated per watched device and lock-free:
 * the hook runs in ISRs, inside signal handlers.
 *
 * Lock key: (a) atomic  (v) written only by its own vCPU (an ISR nesting on
 * that vCPU writes nothing there)  (c) constant while watched.
 */
#include "verifier/shared_regs.h"

#include <errno.h>
#include <execinfo.h>
#include <stdlib.h>
#include <string.h>

#include "hw/device.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"

#define REGS_SHARED 256u /* ISR-shared registers per device (open addressing) */
#define REGS_PENDING 64u /* below-DIRQL candidates waiting for the ISR */
#define REGS_RECENT 4u	 /* reads per vCPU remembered for read-modify-write */
#define REGS_CHAIN 12	 /* frames kept of a pending access */
#define REGS_DEVICES 32u /* devices watched at once */
#define REGS_SAID 64u	 /* (register, kind) pairs reported, per device: once each */
#define REGS_EMPTY 0ull	 /* key of an empty slot: keys are (bar << 32 | off) + 1 */

enum regs_kind {
	REGS_READ_CLEAR = 1,
	REGS_RMW = 2,
};

struct regs_pending {
	uint64_t key;	   /* (a) REGS_EMPTY, or claimed; readable once @ready */
	unsigned ready;	   /* (a) the fields below are written */
	unsigned reported; /* (a) */
	enum regs_kind kind;
	ke_irql_t irql;
	int nr_frames;
	void *frames[REGS_CHAIN];
};

struct regs_recent {
	uint64_t key; /* REGS_EMPTY: none */
	ke_irql_t irql;
};

struct regs_vcpu {
	struct regs_recent r[REGS_RECENT];
	unsigned next;
};

struct vfy_regs {
	struct hw_device *dev;			   /* (c) NULL: a test's watcher */
	bool live;				   /* (a) */
	uint64_t shared[REGS_SHARED];		   /* (a) */
	struct regs_pending pending[REGS_PENDING]; /* (a) */
	struct regs_vcpu recent[KE_MAX_VCPUS];	   /* (v) */
	uint64_t said[REGS_SAID];		   /* (a) (key << 2 | kind) reported already */
};

static struct vfy_regs *watched[REGS_DEVICES]; /* (c) changed on the host thread only */
static uint64_t w1_writes;		       /* (a) */

static uint64_t reg_key(unsigned bar, uint32_t off)
{
	return ((uint64_t)bar << 32 | off) + 1;
}

static unsigned key_slot(uint64_t key)
{
	return (unsigned)((key * 0x9E3779B97F4A7C15ull) >> 40) % REGS_SHARED;
}

static bool shared_find(const struct vfy_regs *r, uint64_t key)
{
	unsigned i = key_slot(key);

	for (unsigned n = 0; n < REGS_SHARED; n++, i = (i + 1) % REGS_SHARED) {
		uint64_t cur = __atomic_load_n(&r->shared[i], __ATOMIC_ACQUIRE);

		if (cur == key)
			return true;
		if (cur == REGS_EMPTY)
			return false;
	}
	return false;
}

/* Return: true if @key is new (this call added it). A full table adds nothing. */
static bool shared_add(struct vfy_regs *r, uint64_t key)
{
	unsigned i = key_slot(key);

	for (unsigned n = 0; n < REGS_SHARED; n++, i = (i + 1) % REGS_SHARED) {
		uint64_t cur = __atomic_load_n(&r->shared[i], __ATOMIC_ACQUIRE);

		if (cur == key)
			return false;
		if (cur == REGS_EMPTY) {
			if (__atomic_compare_exchange_n(&r->shared[i], &cur, key, false,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				return true;
			if (cur == key)
				return false;
		}
	}
	return false;
}

bool vfy_regs_is_shared(const struct vfy_regs *r, unsigned bar, uint32_t off)
{
	return shared_find(r, reg_key(bar, off));
}

/* ------------------------------------------------------------ reports */

static char *put_str(char *p, const char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

static char *put_hex(char *p, const char *end, uint64_t v)
{
	char tmp[18];
	int n = 0;

	do {
		tmp[n++] = "0123456789ABCDEF"[v & 0xF];
		v >>= 4;
	} while (v && n < 16);
	p = put_str(p, end, "0x");
	while (n && p < end)
		*p++ = tmp[--n];
	return p;
}

static void report(enum regs_kind kind, uint64_t key, ke_irql_t irql, bool late,
		   void *const *frames, int nr_frames)
{
	char buf[320], *p = buf, *end = buf + sizeof(buf) - 1;
	unsigned bar = (unsigned)((key - 1) >> 32);
	uint32_t off = (uint32_t)(key - 1);

	p = put_str(p, end, "register BAR ");
	p = put_hex(p, end, bar);
	p = put_str(p, end, " + ");
	p = put_hex(p, end, off);
	p = put_str(p, end, ", which the ISR (or a routine under the interrupt lock) touches, ");
	p = put_str(p, end,
		    kind == REGS_READ_CLEAR
			? "was read - a read that clears it - "
			: "was read and then written back - a read-modify-write - ");
	p = put_str(p, end, "at IRQL ");
	p = put_hex(p, end, irql);
	p = put_str(p, end, " outside NdisMSynchronizeWithInterruptEx");
	if (late)
		p = put_str(p, end,
			    " (before the ISR first touched it: the chain is that access's)");
	p = put_str(p, end,
		    " (parameter 2 = BAR << 24 | offset, 3 = the IRQL, 4 = 1 if judged late)");
	*p = 0;
	vfy_report(kind == REGS_READ_CLEAR ? NDISRT_VIOLATION_ISR_SHARED_READ_CLEAR
					   : NDISRT_VIOLATION_ISR_SHARED_RMW,
		   (uintptr_t)bar << 24 | off, irql, late, buf, frames, nr_frames);
}

/* The chain of the access: backtrace() minus this file's frames. */
static int capture(void **out, int cap)
{
	void *buf[REGS_CHAIN + 6];
	int n = backtrace(buf, REGS_CHAIN + 6);
	int skip = n > 3 ? 3 : 0; /* capture, judge, vfy_regs_access */

	n -= skip;
	if (n > cap)
		n = cap;
	memcpy(out, buf + skip, (size_t)n * sizeof(void *));
	return n;
}

/*
 * Whether (@key, @kind) is reported for the first time: in warn mode a DPC
 * that polls a register would otherwise say so on every run. A full table
 * reports nothing more (the first 64 pairs of a device are enough).
 */
static bool first_report(struct vfy_regs *r, uint64_t key, enum regs_kind kind)
{
	uint64_t said = key << 2 | (uint64_t)kind;

	for (unsigned i = 0; i < REGS_SAID; i++) {
		uint64_t cur = __atomic_load_n(&r->said[i], __ATOMIC_ACQUIRE);

		if (cur == said)
			return false;
		if (cur == 0 && __atomic_compare_exchange_n(&r->said[i], &cur, said, false,
							    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return true;
		if (cur == said)
			return false;
	}
	return false;
}

/* An error now if @key is ISR-shared, else kept until it becomes so. */
static void judge(struct vfy_regs *r, enum regs_kind kind, uint64_t key, ke_irql_t irql)
{
	void *frames[REGS_CHAIN];
	int n;

	if (shared_find(r, key)) {
		if (!first_report(r, key, kind))
			return;
		n = capture(frames, REGS_CHAIN);
		report(kind, key, irql, false, frames, n);
		return;
	}
	for (unsigned i = 0; i < REGS_PENDING; i++) {
		struct regs_pending *pe = &r->pending[i];
		uint64_t cur = __atomic_load_n(&pe->key, __ATOMIC_ACQUIRE);

		if (cur == key && __atomic_load_n(&pe->ready, __ATOMIC_ACQUIRE) && pe->kind == kind)
			return; /* one candidate per register and kind is enough */
		if (cur != REGS_EMPTY ||
		    !__atomic_compare_exchange_n(&pe->key, &cur, key, false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		pe->kind = kind;
		pe->irql = irql;
		pe->nr_frames = capture(pe->frames, REGS_CHAIN);
		__atomic_store_n(&pe->ready, 1, __ATOMIC_RELEASE);
		/* It may have become shared meanwhile: judge it now then. */
		if (shared_find(r, key) &&
		    !__atomic_exchange_n(&pe->reported, 1, __ATOMIC_ACQ_REL) &&
		    first_report(r, key, kind))
			report(kind, key, irql, true, pe->frames, pe->nr_frames);
		return;
	}
	/* Full: later candidates are not kept (docs/verifier.md). */
}

/* @key has just become ISR-shared: the candidates kept for it are errors. */
static void judge_pending(struct vfy_regs *r, uint64_t key)
{
	for (unsigned i = 0; i < REGS_PENDING; i++) {
		struct regs_pending *pe = &r->pending[i];

		if (__atomic_load_n(&pe->key, __ATOMIC_ACQUIRE) != key ||
		    !__atomic_load_n(&pe->ready, __ATOMIC_ACQUIRE))
			continue;
		if (!__atomic_exchange_n(&pe->reported, 1, __ATOMIC_ACQ_REL) &&
		    first_report(r, key, pe->kind))
			report(pe->kind, key, pe->irql, true, pe->frames, pe->nr_frames);
	}
}

void vfy_regs_access(struct vfy_regs *r, unsigned vcpu, ke_irql_t irql, unsigned bar, uint32_t off,
		     bool write, unsigned attr)
{
	uint64_t key = reg_key(bar, off);
	struct regs_vcpu *rc;

	if (irql >= KE_DIRQL_MIN) {
		/* The ISR, or a routine holding its lock: learn. The interrupted
		 * code's recent reads stay: an ISR between its read and its
		 * write is exactly the race. */
		if (shared_add(r, key))
			judge_pending(r, key);
		return;
	}
	if (vcpu >= KE_MAX_VCPUS || !__atomic_load_n(&r->live, __ATOMIC_ACQUIRE))
		return;
	rc = &r->recent[vcpu];
	if (!write) {
		if (attr & HW_REG_READ_CLEARS)
			judge(r, REGS_READ_CLEAR, key, irql);
		rc->r[rc->next % REGS_RECENT] = (struct regs_recent){.key = key, .irql = irql};
		rc->next++;
		return;
	}
	for (unsigned i = 0; i < REGS_RECENT; i++) {
		if (rc->r[i].key != key || rc->r[i].irql != irql)
			continue;
		rc->r[i].key = REGS_EMPTY;
		judge(r, REGS_RMW, key, irql);
		return;
	}
	if ((attr & (HW_REG_W1S | HW_REG_W1C)) && shared_find(r, key))
		__atomic_fetch_add(&w1_writes, 1, __ATOMIC_RELAXED);
}

uint64_t vfy_regs_w1_writes(void)
{
	return __atomic_load_n(&w1_writes, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------- the hw hook */

static void regs_hook(void *ctx, struct hw_device *dev, unsigned bar, uint32_t off, unsigned width,
		      uint64_t value, bool write)
{
	struct vfy_regs *r = ctx;
	struct ke_vcpu *v;
	ke_irql_t irql;
	unsigned attr = 0;

	(void)value;
	if (bar == HW_BAR_CONFIG || !(v = ke_current()))
		return;
	irql = ke_irql_current();
	if (irql < KE_DIRQL_MIN)
		attr = hw_dev_reg_attr(dev, bar, off, width);
	vfy_regs_access(r, ke_vcpu_number(v), irql, bar, off, write, attr);
}

struct vfy_regs *vfy_regs_create(void)
{
	struct vfy_regs *r = calloc(1, sizeof(*r));

	if (r)
		r->live = true;
	return r;
}

void vfy_regs_free(struct vfy_regs *r)
{
	free(r);
}

static struct vfy_regs **watched_slot(const struct hw_device *dev)
{
	for (unsigned i = 0; i < REGS_DEVICES; i++)
		if (watched[i] && watched[i]->dev == dev)
			return &watched[i];
	return NULL;
}

int vfy_regs_attach(struct hw_device *dev)
{
	struct vfy_regs *r;

	if (vfy_mode() == VFY_OFF || watched_slot(dev))
		return 0;
	for (unsigned i = 0; i < REGS_DEVICES; i++) {
		if (watched[i])
			continue;
		r = vfy_regs_create();
		if (!r)
			return -ENOMEM;
		r->dev = dev;
		r->live = false;
		if (hw_device_hook_add(dev, regs_hook, r)) {
			free(r);
			return -ENOSPC;
		}
		watched[i] = r;
		return 0;
	}
	return -ENOSPC;
}

void vfy_regs_detach(struct hw_device *dev)
{
	struct vfy_regs **slot = watched_slot(dev);

	if (!slot)
		return;
	hw_device_hook_remove(dev, regs_hook, *slot);
	free(*slot);
	*slot = NULL;
}

void vfy_regs_set_live(struct hw_device *dev, bool live)
{
	struct vfy_regs **slot = watched_slot(dev);

	if (slot)
		__atomic_store_n(&(*slot)->live, live, __ATOMIC_RELEASE);
}
