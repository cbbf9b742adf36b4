/* SPDX-License-Identifier: MIT */
/*
 * tools/trace.c - the tracer behind `--trace FILE` (docs/trace.md).
 *
 * Recording. Each hook member reads the engine clock, takes the next index of
 * its thread's ring with one atomic add (a vCPU's ring lives on lines only
 * that vCPU writes; host threads share one ring), fills the slot and
 * publishes it by storing index + 1 in the slot's sequence word. A nested
 * signal handler of the same vCPU simply takes the next index. Nothing
 * allocates, locks or prints: the hooks' obligations (ke/ke.h) hold.
 *
 * Writing. After the run the rings are walked twice in index order: once to
 * learn which flow ids have both ends in the kept window, once to write. A
 * vCPU's begin/end events are matched on a stack into complete ("X") slices,
 * its timestamps clamped to be monotonic (an event taken in a signal handler
 * between an outer event's clock read and its index keeps the nesting); an
 * end whose begin fell out of the ring is dropped, a begin whose end never
 * came (a bug check) is closed at the ring's last timestamp. The IRQL
 * counter is replayed from the same walk: an ISR runs at its sync IRQL, a DPC
 * at DISPATCH_LEVEL, and each returns to the level before it.
 *
 * Lock key: (c) constant after trace_create/trace_start, (r) ring protocol
 * above, (w) trace_write() only.
 */
#include "tools/trace.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/device.h"
#include "ke/ke.h"

enum ev_kind {
	EV_ISR_B = 1,
	EV_ISR_E,
	EV_DPC_B,
	EV_DPC_E,
	EV_SYNC_B,
	EV_SYNC_E,
	EV_SPIN_B,
	EV_SPIN_E,
	EV_IRQL, /* @a: the new IRQL, @x: the old one */
	EV_REQ,	 /* @a: vector, @vcpu: target, @x: coalesced, @id: flow */
	EV_DPCQ, /* @id: flow (queued from an ISR) */
	EV_DEV,	 /* @vcpu: NIC, @x: enum hw_irq_event, @y: message, @a, @id: values */
};

struct ev {
	atomic_ullong seq; /* (r) index + 1 once the slot is complete */
	uint64_t ts;	   /* engine clock, ns */
	uint64_t id;	   /* flow id (0: none), or a value */
	uint32_t a;	   /* vector, IRQL, value: by kind */
	uint8_t kind, vcpu, x, y;
};

struct ring {
	_Alignas(64) atomic_ullong head; /* (r) next index */
	unsigned cap;			 /* (c) */
	struct ev *ev;			 /* (c) */
};

#define DPC_SLOTS 4096u
#define MAX_DEVS 16u
#define STACK_MAX 32u
#define REQ_TID 1000u
#define DEV_TID 2000u
#define MSG_LINE 0xFFFFu

struct trace_dev {
	struct trace *t;
	struct hw_device *dev;
	unsigned nic;
	bool hooked; /* its irq hook is installed */
	char model[24];
};

struct frame {
	uint64_t ts, id;
	uint32_t a;
	uint8_t kind, x;
	int irql_before;
};

struct trace {
	struct ke_machine *m; /* (c) */
	int fd;		      /* (c) */
	unsigned nr_vcpus;    /* (c) */
	unsigned nr_rings;    /* (c) vCPUs + the host ring */
	bool started;
	struct ke_hooks hooks;		    /* (c) */
	struct ring ring[KE_MAX_VCPUS + 1]; /* (c) each ring (r) */
	atomic_ullong next_flow;
	atomic_ullong (*pending)[KE_NR_VECTORS]; /* [vcpu][vector]: request's flow */
	atomic_uint isr_depth[KE_MAX_VCPUS];	 /* per vCPU: ISRs running */
	_Atomic(uintptr_t) dpc_key[DPC_SLOTS];	 /* DPC object -> its flow */
	atomic_ullong dpc_flow[DPC_SLOTS];
	atomic_uint vec_nic[KE_NR_VECTORS]; /* NIC + 1, 0: unnamed */
	atomic_uint vec_msg[KE_NR_VECTORS];
	struct trace_dev dev[MAX_DEVS];
	unsigned nr_devs;
	/* (w) */
	uint64_t *fs, *ff; /* flow ids with a start / a finish, sorted */
	size_t nfs, nff, cap_flows;
	struct frame stack[STACK_MAX];
	char buf[65536];
	size_t pos;
	uint64_t bytes, kept;
	int err;
	bool first;
};

/* -------------------------------------------------------------- recording */

static unsigned vcpu_of(struct trace *t, struct ke_vcpu **out)
{
	struct ke_vcpu *v = ke_current();
	unsigned n;

	*out = NULL;
	if (!v)
		return t->nr_vcpus;
	n = ke_vcpu_number(v);
	if (n >= t->nr_vcpus || ke_machine_vcpu(t->m, n) != v)
		return t->nr_vcpus; /* another machine's vCPU: host side for us */
	*out = v;
	return n;
}

static void put(struct trace *t, unsigned ring, uint8_t kind, uint32_t a, uint64_t id, uint8_t vcpu,
		uint8_t x, uint8_t y)
{
	struct ring *r = &t->ring[ring];
	uint64_t ts = ke_clock_ns(t->m);
	uint64_t i = atomic_fetch_add_explicit(&r->head, 1, memory_order_relaxed);
	struct ev *e = &r->ev[i % r->cap];

	atomic_store_explicit(&e->seq, 0, memory_order_relaxed);
	atomic_signal_fence(memory_order_seq_cst);
	e->ts = ts;
	e->id = id;
	e->a = a;
	e->kind = kind;
	e->vcpu = vcpu;
	e->x = x;
	e->y = y;
	atomic_store_explicit(&e->seq, i + 1, memory_order_release);
}

static atomic_ullong *dpc_slot(struct trace *t, const struct ke_dpc *dpc, bool create)
{
	uintptr_t key = (uintptr_t)dpc;
	unsigned h = (unsigned)(((uint64_t)key >> 4) * 0x9E3779B97F4A7C15ull >> 52) % DPC_SLOTS;

	for (unsigned probe = 0; probe < 64; probe++, h = (h + 1) % DPC_SLOTS) {
		uintptr_t k = atomic_load_explicit(&t->dpc_key[h], memory_order_acquire);

		if (k == key)
			return &t->dpc_flow[h];
		if (k)
			continue;
		if (!create)
			return NULL;
		if (atomic_compare_exchange_strong(&t->dpc_key[h], &k, key) || k == key)
			return &t->dpc_flow[h];
	}
	return NULL;
}

static void h_isr_enter(void *ctx, struct ke_interrupt *intr)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);
	uint64_t id;

	if (!v)
		return;
	atomic_fetch_add_explicit(&t->isr_depth[n], 1, memory_order_relaxed);
	id = atomic_exchange_explicit(&t->pending[n][intr->vector], 0, memory_order_acq_rel);
	put(t, n, EV_ISR_B, intr->vector, id, (uint8_t)n, intr->sync_irql, 0);
}

static void h_isr_exit(void *ctx, struct ke_interrupt *intr, bool claimed)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);

	if (!v)
		return;
	put(t, n, EV_ISR_E, intr->vector, 0, (uint8_t)n, claimed, 0);
	atomic_fetch_sub_explicit(&t->isr_depth[n], 1, memory_order_relaxed);
}

static void h_dpc_enter(void *ctx, struct ke_dpc *dpc)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);
	struct ke_interrupt *from = atomic_load_explicit(&dpc->origin, memory_order_relaxed);
	atomic_ullong *slot = dpc_slot(t, dpc, false);
	uint64_t id = slot ? atomic_exchange_explicit(slot, 0, memory_order_acq_rel) : 0;

	if (!v)
		return;
	put(t, n, EV_DPC_B, from ? from->vector : 0, id, (uint8_t)n, 0, 0);
}

static void h_dpc_exit(void *ctx, struct ke_dpc *dpc)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);

	(void)dpc;
	if (v)
		put(t, n, EV_DPC_E, 0, 0, (uint8_t)n, 0, 0);
}

/*
 * A lower that undoes the raise just before it, less than TRACE_FOLD_NS
 * earlier with no event between (a short spin-lock hold, a DDI's own raise),
 * takes the raise back instead of adding an event: such spikes would flood
 * the ring and show as nothing at any zoom a human uses. The index is taken
 * back with a compare-and-swap, so an event a nested signal handler added in
 * between keeps both.
 */
#define TRACE_FOLD_NS 1000u

static void h_irql(void *ctx, ke_irql_t old_irql, ke_irql_t new_irql)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);

	if (!v)
		return;
	if (new_irql < old_irql) {
		struct ring *r = &t->ring[n];
		unsigned long long head = atomic_load_explicit(&r->head, memory_order_relaxed);
		const struct ev *e = head ? &r->ev[(head - 1) % r->cap] : NULL;

		if (e && atomic_load_explicit(&e->seq, memory_order_relaxed) == head &&
		    e->kind == EV_IRQL && e->a == old_irql && e->x == new_irql &&
		    ke_clock_ns(t->m) - e->ts < TRACE_FOLD_NS &&
		    atomic_compare_exchange_strong_explicit(
			&r->head, &head, head - 1, memory_order_relaxed, memory_order_relaxed))
			return;
	}
	put(t, n, EV_IRQL, new_irql, 0, (uint8_t)n, old_irql, 0);
}

static void h_spin_begin(void *ctx, struct ke_spinlock *l, unsigned owner)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);

	(void)l;
	if (v)
		put(t, n, EV_SPIN_B, 0, owner, (uint8_t)n, 0, 0);
}

static void h_spin_end(void *ctx, struct ke_spinlock *l)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);

	(void)l;
	if (v)
		put(t, n, EV_SPIN_E, 0, 0, (uint8_t)n, 0, 0);
}

static void h_request(void *ctx, unsigned vector, unsigned vcpu, bool coalesced)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned ring = vcpu_of(t, &v);
	uint64_t id = 0;

	if (vcpu >= t->nr_vcpus || vector >= KE_NR_VECTORS)
		return;
	if (!coalesced) {
		id = atomic_fetch_add_explicit(&t->next_flow, 1, memory_order_relaxed);
		atomic_store_explicit(&t->pending[vcpu][vector], id, memory_order_release);
	}
	put(t, ring, EV_REQ, vector, id, (uint8_t)vcpu, coalesced, 0);
}

static void h_sync_enter(void *ctx, struct ke_interrupt *intr)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);

	if (v)
		put(t, n, EV_SYNC_B, intr->vector, 0, (uint8_t)n, 0, 0);
}

static void h_sync_exit(void *ctx, struct ke_interrupt *intr)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);

	if (v)
		put(t, n, EV_SYNC_E, intr->vector, 0, (uint8_t)n, 0, 0);
}

static void h_dpc_queue(void *ctx, struct ke_dpc *dpc, unsigned vcpu, bool inserted)
{
	struct trace *t = ctx;
	struct ke_vcpu *v;
	unsigned n = vcpu_of(t, &v);
	atomic_ullong *slot;
	uint64_t id;

	(void)vcpu;
	/* An arrow from the ISR that queued it: only from an ISR, only a new one. */
	if (!v || !inserted || !atomic_load_explicit(&t->isr_depth[n], memory_order_relaxed))
		return;
	slot = dpc_slot(t, dpc, true);
	if (!slot)
		return;
	id = atomic_fetch_add_explicit(&t->next_flow, 1, memory_order_relaxed);
	atomic_store_explicit(slot, id, memory_order_release);
	put(t, n, EV_DPCQ, 0, id, (uint8_t)n, 0, 0);
}

static void h_device(void *ctx, struct hw_device *dev, enum hw_irq_event what, unsigned msg,
		     uint64_t a, uint64_t b)
{
	struct trace_dev *td = ctx;
	struct trace *t = td->t;
	struct ke_vcpu *v;
	unsigned ring = vcpu_of(t, &v);
	uint32_t val = (uint32_t)a;
	uint64_t id = 0;

	(void)dev;
	if (what == HW_IRQ_EV_PROGRAM && (b & 0xFF) < KE_NR_VECTORS) {
		atomic_store_explicit(&t->vec_msg[b & 0xFF], msg, memory_order_relaxed);
		atomic_store_explicit(&t->vec_nic[b & 0xFF], td->nic + 1, memory_order_relaxed);
	}
	if (what == HW_IRQ_EV_MSI || what == HW_IRQ_EV_PROGRAM) {
		val = (uint32_t)b; /* data: the vector */
		id = a;		   /* address: the destination */
	}
	put(t, ring, EV_DEV, val, id, (uint8_t)td->nic, (uint8_t)what, (uint8_t)msg);
}

/* ------------------------------------------------------------------- set-up */

struct trace *trace_create(struct ke_machine *m, unsigned events, int fd)
{
	struct trace *t = calloc(1, sizeof(*t));
	unsigned per;

	if (!t)
		return NULL;
	t->m = m;
	t->fd = fd;
	t->nr_vcpus = ke_machine_vcpu_count(m);
	t->nr_rings = t->nr_vcpus + 1;
	per = events / t->nr_rings;
	if (per < 16)
		per = 16;
	atomic_init(&t->next_flow, 1);
	t->pending = calloc(t->nr_vcpus, sizeof(*t->pending));
	t->cap_flows = (size_t)per * t->nr_rings;
	t->fs = calloc(t->cap_flows, sizeof(uint64_t));
	t->ff = calloc(t->cap_flows, sizeof(uint64_t));
	if (!t->pending || !t->fs || !t->ff)
		goto fail;
	for (unsigned i = 0; i < t->nr_rings; i++) {
		t->ring[i].cap = per;
		t->ring[i].ev = calloc(per, sizeof(struct ev));
		if (!t->ring[i].ev)
			goto fail;
	}
	t->hooks = (struct ke_hooks){
	    .ctx = t,
	    .isr_enter = h_isr_enter,
	    .isr_exit = h_isr_exit,
	    .dpc_enter = h_dpc_enter,
	    .dpc_exit = h_dpc_exit,
	    .irql_change = h_irql,
	    .spin_wait_begin = h_spin_begin,
	    .spin_wait_end = h_spin_end,
	    .interrupt_request = h_request,
	    .sync_enter = h_sync_enter,
	    .sync_exit = h_sync_exit,
	    .dpc_queue = h_dpc_queue,
	};
	return t;
fail:
	trace_free(t);
	return NULL;
}

int trace_add_device(struct trace *t, struct hw_device *dev, unsigned nic, const char *model)
{
	struct trace_dev *td;
	int rc;

	if (t->nr_devs == MAX_DEVS)
		return -ENOSPC;
	td = &t->dev[t->nr_devs];
	td->t = t;
	td->dev = dev;
	td->nic = nic;
	snprintf(td->model, sizeof(td->model), "%s", model ? model : "device");
	for (char *p = td->model; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			*p = '?';
	rc = hw_device_irq_hook_set(dev, h_device, td);
	if (rc)
		return rc;
	td->hooked = true;
	t->nr_devs++;
	return 0;
}

void trace_name_vector(struct trace *t, unsigned vector, unsigned nic, unsigned msg)
{
	if (vector >= KE_NR_VECTORS)
		return;
	atomic_store(&t->vec_msg[vector], msg);
	atomic_store(&t->vec_nic[vector], nic + 1);
}

int trace_start(struct trace *t)
{
	int rc = ke_hooks_add(t->m, &t->hooks);

	if (!rc)
		t->started = true;
	return rc;
}

void trace_stop(struct trace *t)
{
	if (t->started)
		ke_hooks_remove(t->m, &t->hooks);
	t->started = false;
	for (unsigned i = 0; i < t->nr_devs; i++)
		if (t->dev[i].hooked)
			hw_device_irq_hook_set(t->dev[i].dev, NULL, NULL);
	for (unsigned i = 0; i < t->nr_devs; i++)
		t->dev[i].hooked = false;
}

void trace_free(struct trace *t)
{
	if (!t)
		return;
	trace_stop(t);
	for (unsigned i = 0; i < t->nr_rings; i++)
		free(t->ring[i].ev);
	free(t->pending);
	free(t->fs);
	free(t->ff);
	free(t);
}

uint64_t trace_bytes(const struct trace *t)
{
	return t->bytes;
}

uint64_t trace_kept(const struct trace *t)
{
	return t->kept;
}

/* ------------------------------------------------------------------ output */

static void out_flush(struct trace *t)
{
	size_t done = 0;

	while (done < t->pos && !t->err) {
		ssize_t w = write(t->fd, t->buf + done, t->pos - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			t->err = w < 0 ? -errno : -EIO;
		else
			done += (size_t)w;
	}
	t->bytes += done;
	t->pos = 0;
}

static void out_s(struct trace *t, const char *s)
{
	size_t n = strlen(s);

	if (t->pos + n > sizeof(t->buf))
		out_flush(t);
	memcpy(t->buf + t->pos, s, n);
	t->pos += n;
}

static void out_u(struct trace *t, uint64_t v)
{
	char d[24];
	int i = (int)sizeof(d) - 1;

	d[i] = 0;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_s(t, d + i);
}

/* Nanoseconds as microseconds with three decimals (the format's unit). */
static void out_us(struct trace *t, uint64_t ns)
{
	char d[4] = {(char)('0' + ns % 1000 / 100), (char)('0' + ns % 100 / 10),
		     (char)('0' + ns % 10), 0};

	out_u(t, ns / 1000);
	out_s(t, ".");
	out_s(t, d);
}

static void out_hex2(struct trace *t, unsigned v)
{
	static const char hex[] = "0123456789abcdef";
	char d[5] = {'0', 'x', hex[(v >> 4) & 15], hex[v & 15], 0};

	out_s(t, d);
}

/* Start one event object: ",\n{"ph":"X","pid":1,"tid":T,"ts":TS */
static void ev_head(struct trace *t, const char *ph, unsigned tid, uint64_t ts)
{
	out_s(t, t->first ? "\n{\"ph\":\"" : ",\n{\"ph\":\"");
	t->first = false;
	out_s(t, ph);
	out_s(t, "\",\"pid\":1,\"tid\":");
	out_u(t, tid);
	out_s(t, ",\"ts\":");
	out_us(t, ts);
}

/* "NIC 0 msg 1", "NIC 0 line" or "vector 0x51" */
static void out_vector_name(struct trace *t, unsigned vector)
{
	unsigned nic = vector < KE_NR_VECTORS ? atomic_load(&t->vec_nic[vector]) : 0;
	unsigned msg = nic ? atomic_load(&t->vec_msg[vector]) : 0;

	if (!nic) {
		out_s(t, "vector ");
		out_hex2(t, vector);
		return;
	}
	out_s(t, "NIC ");
	out_u(t, nic - 1);
	if (msg == MSG_LINE) {
		out_s(t, " line");
	} else {
		out_s(t, " msg ");
		out_u(t, msg);
	}
}

static void out_meta(struct trace *t, const char *what, unsigned tid, const char *name, unsigned n,
		     const char *tail)
{
	out_s(t, t->first ? "\n{\"ph\":\"M\",\"pid\":1,\"tid\":"
			  : ",\n{\"ph\":\"M\",\"pid\":1,\"tid\":");
	t->first = false;
	out_u(t, tid);
	out_s(t, ",\"name\":\"");
	out_s(t, what);
	out_s(t, "\",\"args\":{");
	if (name) {
		out_s(t, "\"name\":\"");
		out_s(t, name);
		if (tail) {
			out_u(t, n);
			out_s(t, tail);
		}
		out_s(t, "\"}}");
	} else {
		out_s(t, "\"sort_index\":");
		out_u(t, n);
		out_s(t, "}}");
	}
}

static bool has(const uint64_t *a, size_t n, uint64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] < id)
			lo = mid + 1;
		else if (a[mid] > id)
			hi = mid;
		else
			return true;
	}
	return false;
}

static bool flow_ok(const struct trace *t, uint64_t id)
{
	return id && has(t->fs, t->nfs, id) && has(t->ff, t->nff, id);
}

/* Heap sort: no allocation, so it also serves at a bug check. */
static void sift(uint64_t *a, size_t start, size_t end)
{
	size_t root = start;

	while (2 * root + 1 < end) {
		size_t child = 2 * root + 1;
		uint64_t tmp;

		if (child + 1 < end && a[child] < a[child + 1])
			child++;
		if (a[root] >= a[child])
			return;
		tmp = a[root];
		a[root] = a[child];
		a[child] = tmp;
		root = child;
	}
}

static void sort_ids(uint64_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(a, i, n);
	for (size_t end = n; end > 1; end--) {
		uint64_t tmp = a[0];

		a[0] = a[end - 1];
		a[end - 1] = tmp;
		sift(a, 0, end - 1);
	}
}

static void add_id(uint64_t *a, size_t *n, size_t cap, uint64_t id)
{
	if (id && *n < cap)
		a[(*n)++] = id;
}

static void out_flow(struct trace *t, bool start, const char *name, unsigned tid, uint64_t ts,
		     uint64_t id)
{
	ev_head(t, start ? "s" : "f", tid, ts);
	out_s(t, ",\"name\":\"");
	out_s(t, name);
	out_s(t, "\",\"cat\":\"");
	out_s(t, name);
	out_s(t, "\",\"id\":");
	out_u(t, id);
	out_s(t, start ? "}" : ",\"bp\":\"e\"}");
}

static void out_irql(struct trace *t, unsigned vcpu, uint64_t ts, int irql)
{
	if (irql < 0)
		return;
	ev_head(t, "C", vcpu, ts);
	out_s(t, ",\"name\":\"IRQL vCPU ");
	out_u(t, vcpu);
	out_s(t, "\",\"args\":{\"irql\":");
	out_u(t, (unsigned)irql);
	out_s(t, "}}");
}

static const char *const dev_event_name[] = {
    [HW_IRQ_EV_LINE] = "line",
    [HW_IRQ_EV_PULSE] = "line pulse",
    [HW_IRQ_EV_MSI] = "message",
    [HW_IRQ_EV_PROGRAM] = "program message",
    [HW_IRQ_EV_MASK] = "mask message",
    [HW_IRQ_EV_FUNCTION_MASK] = "function mask",
    [HW_IRQ_EV_ENABLE] = "enable messages",
};

static void out_device(struct trace *t, const struct ev *e, uint64_t ts)
{
	const char *what =
	    e->x < sizeof(dev_event_name) / sizeof(dev_event_name[0]) ? dev_event_name[e->x] : NULL;

	ev_head(t, "i", DEV_TID + e->vcpu, ts);
	out_s(t, ",\"s\":\"t\",\"cat\":\"device\",\"name\":\"");
	switch (e->x) {
	case HW_IRQ_EV_LINE:
		out_s(t, e->a ? "line asserted" : "line deasserted");
		break;
	case HW_IRQ_EV_MASK:
		out_s(t, e->a ? "mask msg " : "unmask msg ");
		out_u(t, e->y);
		break;
	case HW_IRQ_EV_FUNCTION_MASK:
		out_s(t, e->a ? "function masked" : "function unmasked");
		break;
	case HW_IRQ_EV_ENABLE:
		out_s(t, e->a ? "messages enabled" : "messages disabled");
		break;
	case HW_IRQ_EV_MSI:
		out_s(t, "message ");
		out_vector_name(t, e->a & 0xFF);
		break;
	default:
		out_s(t, what ? what : "event");
		break;
	}
	out_s(t, "\",\"args\":{\"value\":");
	out_u(t, e->a);
	if (e->x == HW_IRQ_EV_MASK || e->x == HW_IRQ_EV_PROGRAM) {
		out_s(t, ",\"msg\":");
		out_u(t, e->y);
	}
	if (e->x == HW_IRQ_EV_MSI || e->x == HW_IRQ_EV_PROGRAM) {
		out_s(t, ",\"address\":");
		out_u(t, e->id);
	}
	out_s(t, "}}");
}

static void out_slice(struct trace *t, unsigned vcpu, const struct frame *f, uint64_t end,
		      uint8_t x_end, bool truncated)
{
	static const char *const cat[] = {
	    [EV_ISR_B] = "isr", [EV_DPC_B] = "dpc", [EV_SYNC_B] = "sync", [EV_SPIN_B] = "spin"};

	ev_head(t, "X", vcpu, f->ts);
	out_s(t, ",\"dur\":");
	out_us(t, end - f->ts);
	out_s(t, ",\"cat\":\"");
	out_s(t, cat[f->kind]);
	out_s(t, "\",\"name\":\"");
	switch (f->kind) {
	case EV_ISR_B:
		out_s(t, "ISR ");
		out_vector_name(t, f->a);
		out_s(t, "\",\"args\":{\"vector\":");
		out_u(t, f->a);
		out_s(t, ",\"irql\":");
		out_u(t, f->x);
		out_s(t, truncated ? "" : x_end ? ",\"claimed\":true" : ",\"claimed\":false");
		break;
	case EV_DPC_B:
		out_s(t, "DPC");
		if (f->a) {
			out_s(t, " ");
			out_vector_name(t, f->a);
		}
		out_s(t, "\",\"args\":{\"queued_by_vector\":");
		out_u(t, f->a);
		break;
	case EV_SYNC_B:
		out_s(t, "sync ");
		out_vector_name(t, f->a);
		out_s(t, "\",\"args\":{\"vector\":");
		out_u(t, f->a);
		break;
	default:
		out_s(t, "spin-wait\",\"args\":{\"owner\":");
		out_u(t, f->id);
		break;
	}
	out_s(t, truncated ? ",\"truncated\":true}}" : "}}");
	/* The arrow's head inside the slice (after it in the file, 1 ns in). */
	if ((f->kind == EV_ISR_B || f->kind == EV_DPC_B) && flow_ok(t, f->id))
		out_flow(t, false, f->kind == EV_ISR_B ? "irq" : "dpc", vcpu,
			 end - f->ts >= 2 ? f->ts + 1 : f->ts, f->id);
}

/*
 * Walk ring @ri in index order. @emit false: only collect the flow ids whose
 * ends would be written; true: write (flows only with both ends kept).
 */
static void walk(struct trace *t, unsigned ri, bool emit)
{
	struct ring *r = &t->ring[ri];
	uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	uint64_t from = head > r->cap ? head - r->cap : 0;
	uint64_t last = 0, req_end = 0;
	unsigned depth = 0, isrs = 0, skipped = 0;
	int irql = -1;
	bool vcpu_ring = ri < t->nr_vcpus;

	for (uint64_t i = from; i < head; i++) {
		const struct ev *e = &r->ev[i % r->cap];
		uint64_t ts;

		if (atomic_load_explicit(&e->seq, memory_order_acquire) != i + 1)
			continue; /* overwritten or still being written (a bug check) */
		ts = e->ts > last ? e->ts : last;
		last = ts;
		if (emit)
			t->kept++;
		switch (e->kind) {
		case EV_ISR_B:
		case EV_DPC_B:
		case EV_SYNC_B:
		case EV_SPIN_B: {
			struct frame *f;

			if (!vcpu_ring)
				break;
			if (depth == STACK_MAX) {
				skipped++;
				break;
			}
			f = &t->stack[depth++];
			*f = (struct frame){.ts = ts,
					    .id = e->id,
					    .a = e->a,
					    .kind = e->kind,
					    .x = e->x,
					    .irql_before = irql};
			if (e->kind == EV_ISR_B) {
				isrs++;
				irql = e->x;
			} else if (e->kind == EV_DPC_B) {
				irql = KE_DISPATCH_LEVEL;
			} else {
				break;
			}
			if (!emit)
				add_id(t->ff, &t->nff, t->cap_flows, e->id);
			else
				out_irql(t, ri, ts, irql);
			break;
		}
		case EV_ISR_E:
		case EV_DPC_E:
		case EV_SYNC_E:
		case EV_SPIN_E: {
			const struct frame *f;

			if (!vcpu_ring)
				break;
			if (skipped) {
				skipped--;
				break;
			}
			/* An end whose begin fell out of the ring: nothing to close. */
			if (!depth || t->stack[depth - 1].kind != e->kind - 1)
				break;
			f = &t->stack[--depth];
			if (f->kind == EV_ISR_B)
				isrs--;
			if (emit)
				out_slice(t, ri, f, ts, e->x, false);
			if (f->kind == EV_ISR_B || f->kind == EV_DPC_B) {
				irql = f->irql_before;
				if (emit)
					out_irql(t, ri, ts, irql);
			}
			break;
		}
		case EV_IRQL:
			irql = (int)e->a;
			if (emit && vcpu_ring)
				out_irql(t, ri, ts, irql);
			break;
		case EV_REQ: {
			/* On the requesting thread's track, one after another. */
			uint64_t at = ts > req_end ? ts : req_end;

			req_end = at + 2;
			if (!emit) {
				add_id(t->fs, &t->nfs, t->cap_flows, e->id);
				break;
			}
			ev_head(t, "X", REQ_TID + ri, at);
			out_s(t, ",\"dur\":0.002,\"cat\":\"irq\",\"name\":\"request ");
			out_vector_name(t, e->a);
			out_s(t, " to vCPU ");
			out_u(t, e->vcpu);
			out_s(t, e->x ? " (coalesced)" : "");
			out_s(t, "\",\"args\":{\"vector\":");
			out_u(t, e->a);
			out_s(t, ",\"vcpu\":");
			out_u(t, e->vcpu);
			out_s(t, "}}");
			if (flow_ok(t, e->id))
				out_flow(t, true, "irq", REQ_TID + ri, at + 1, e->id);
			break;
		}
		case EV_DPCQ:
			/* From inside an ISR slice of this vCPU, or not at all. */
			if (!vcpu_ring || !isrs)
				break;
			if (!emit)
				add_id(t->fs, &t->nfs, t->cap_flows, e->id);
			else if (flow_ok(t, e->id))
				out_flow(t, true, "dpc", ri, ts, e->id);
			break;
		case EV_DEV:
			if (emit)
				out_device(t, e, e->ts);
			break;
		default:
			break;
		}
	}
	/* Slices still open (a bug check stopped the machine): close at the end. */
	while (depth) {
		const struct frame *f = &t->stack[--depth];

		if (emit)
			out_slice(t, ri, f, last, 0, true);
	}
}

int trace_write(struct trace *t)
{
	t->first = true;
	t->pos = 0;
	t->bytes = 0;
	t->kept = 0;
	t->err = 0;
	t->nfs = t->nff = 0;
	for (unsigned i = 0; i < t->nr_rings; i++)
		walk(t, i, false);
	sort_ids(t->fs, t->nfs);
	sort_ids(t->ff, t->nff);

	out_s(t, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"ndisrt\","
		 "\"clock\":\"engine\"},\"traceEvents\":[");
	out_meta(t, "process_name", 0, "ndisrt machine (", t->nr_vcpus, " vCPUs)");
	for (unsigned v = 0; v < t->nr_vcpus; v++) {
		out_meta(t, "thread_name", v, "vCPU ", v, "");
		out_meta(t, "thread_sort_index", v, NULL, 2 * v, NULL);
		out_meta(t, "thread_name", REQ_TID + v, "interrupt requests made on vCPU ", v, "");
		out_meta(t, "thread_sort_index", REQ_TID + v, NULL, 2 * v + 1, NULL);
	}
	out_meta(t, "thread_name", REQ_TID + t->nr_vcpus, "interrupt requests from host threads", 0,
		 NULL);
	out_meta(t, "thread_sort_index", REQ_TID + t->nr_vcpus, NULL, 2 * t->nr_vcpus, NULL);
	for (unsigned i = 0; i < t->nr_devs; i++) {
		const struct trace_dev *td = &t->dev[i];

		out_s(t, ",\n{\"ph\":\"M\",\"pid\":1,\"tid\":");
		out_u(t, DEV_TID + td->nic);
		out_s(t, ",\"name\":\"thread_name\",\"args\":{\"name\":\"NIC ");
		out_u(t, td->nic);
		out_s(t, " (");
		out_s(t, td->model);
		out_s(t, ") interrupt output\"}}");
		out_meta(t, "thread_sort_index", DEV_TID + td->nic, NULL, 1000 + td->nic, NULL);
	}
	for (unsigned i = 0; i < t->nr_rings; i++)
		walk(t, i, true);
	out_s(t, "\n]}\n");
	out_flush(t);
	return t->err;
}
