/* SPDX-License-Identifier: MIT */
/*
 * ke/bugcheck.c - KeBugCheckEx: stop the machine with a report a Windows
 * developer can read: code, four parameters, vCPU, IRQL and call chain.
 *
 * A bug check can happen in an ISR, i.e. inside a signal handler, so
 * everything here is async-signal-safe: no stdio, no malloc; numbers are
 * formatted by hand, and the call chain is named by ke_symbolize() from
 * each module's symbol table, static functions included (backtrace()
 * itself is warmed up when a machine is created).
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"

#include <execinfo.h>
#include <string.h>

static ke_bugcheck_handler *bc_handler;
static void *bc_ctx;
static atomic_int bc_in_progress;

void ke_bugcheck_set_handler(ke_bugcheck_handler *fn, void *ctx)
{
	bc_handler = fn;
	bc_ctx = ctx;
}

const char *ke_bugcheck_name(uint32_t code)
{
	switch (code) {
#define BUGCHECK(name, code)     \
	case KE_BUGCHECK_##name: \
		return #name;
#include "ke/bugcheck.def"
#undef BUGCHECK
	default:
		return "UNKNOWN_BUGCHECK";
	}
}

static const char *irql_name(ke_irql_t irql)
{
	static const char *const names[] = {"PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL"};

	if (irql <= KE_DISPATCH_LEVEL)
		return names[irql];
	if (irql <= KE_DIRQL_MAX)
		return "DIRQL";
	return irql == KE_HIGH_LEVEL ? "HIGH_LEVEL" : "CLOCK/IPI_LEVEL";
}

/* A tiny async-signal-safe line builder. */
struct line {
	char buf[512];
	size_t len;
};

static void put_str(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

static void put_hex(struct line *l, uint64_t v, int digits)
{
	char tmp[17];

	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		tmp[i] = "0123456789ABCDEF"[v & 15];
	tmp[digits] = 0;
	put_str(l, "0x");
	put_str(l, tmp);
}

static void put_dec(struct line *l, uint64_t v)
{
	char tmp[21];
	int i = 20;

	tmp[i] = 0;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_str(l, tmp + i);
}

static void flush(int fd, struct line *l)
{
	size_t off = 0;

	put_str(l, "\n");
	while (off < l->len) {
		ssize_t n = write(fd, l->buf + off, l->len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	l->len = 0;
}

struct frame_line {
	int fd;
	int index;
};

/* "  #3  TdrvInitializeEx+0x13b  (./tdrv.so)", one line per frame. */
static void emit_frame(void *ctx, const char *module, const char *name, uint64_t off)
{
	struct frame_line *fl = ctx;
	struct line l = {.len = 0};
	uint64_t digits = 1;

	put_str(&l, "  #");
	put_dec(&l, (uint64_t)fl->index);
	put_str(&l, fl->index < 10 ? "   " : "  ");
	for (uint64_t v = off >> 4; v; v >>= 4)
		digits++;
	if (name) {
		put_str(&l, name);
		put_str(&l, "+");
	} else {
		put_str(&l, "?+");
	}
	put_hex(&l, off, (int)digits);
	put_str(&l, "  (");
	put_str(&l, module);
	put_str(&l, ")");
	flush(fl->fd, &l);
}

void ke_bugcheck_print(int fd, const struct ke_bugcheck_report *r)
{
	struct line l = {.len = 0};

	put_str(&l, "*** STOP: ");
	put_hex(&l, r->code, 8);
	put_str(&l, " (");
	for (int i = 0; i < 4; i++) {
		put_hex(&l, r->param[i], 16);
		put_str(&l, i < 3 ? "," : ")");
	}
	flush(fd, &l);
	put_str(&l, "*** ");
	put_str(&l, ke_bugcheck_name(r->code));
	flush(fd, &l);
	if (r->vcpu >= 0) {
		put_str(&l, "vCPU ");
		put_dec(&l, (uint64_t)r->vcpu);
	} else {
		put_str(&l, "host thread");
	}
	put_str(&l, " at IRQL ");
	put_dec(&l, r->irql);
	put_str(&l, " (");
	put_str(&l, irql_name(r->irql));
	put_str(&l, ")");
	flush(fd, &l);
	if (r->what) {
		put_str(&l, "What: ");
		put_str(&l, r->what);
		flush(fd, &l);
	}
	put_str(&l, "Call chain:");
	flush(fd, &l);
	for (int i = 0; i < r->nr_frames; i++) {
		struct frame_line fl = {.fd = fd, .index = i};

		ke_symbolize(r->frames[i], emit_frame, &fl);
	}
}

void ke_print_chain(int fd, const char *title, void *const *frames, int n)
{
	struct line l = {.len = 0};

	put_str(&l, title);
	flush(fd, &l);
	for (int i = 0; i < n; i++) {
		struct frame_line fl = {.fd = fd, .index = i};

		ke_symbolize(frames[i], emit_frame, &fl);
	}
}

_Noreturn void ke_bugcheck(uint32_t code, uintptr_t p1, uintptr_t p2, uintptr_t p3, uintptr_t p4,
			   const char *what)
{
	struct ke_vcpu *v = ke_self;
	struct ke_bugcheck_report r;

	memset(&r, 0, sizeof(r));
	r.code = code;
	r.param[0] = p1;
	r.param[1] = p2;
	r.param[2] = p3;
	r.param[3] = p4;
	r.vcpu = v ? (int)v->number : -1;
	r.irql = ke_irql_current();
	r.what = what;
	r.nr_frames = backtrace(r.frames, KE_BUGCHECK_MAX_FRAMES);
	/* Mask every interrupt on this vCPU: nothing runs here any more. */
	if (v)
		ke_irql_set_raw(v, KE_HIGH_LEVEL);
	/* The first bug check wins; any other processor just stops. */
	if (atomic_exchange(&bc_in_progress, 1))
		for (;;)
			pause();
	if (bc_handler)
		bc_handler(&r, bc_ctx);
	ke_bugcheck_print(2, &r);
	_exit(KE_BUGCHECK_EXIT_STATUS);
}
