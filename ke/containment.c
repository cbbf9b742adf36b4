/* SPDX-License-Identifier: MIT */
/*
 * ke/containment.c - the stacks driver code runs on.
 *
 * A vCPU thread runs driver code (ISRs and DPCs on top of whatever it was
 * running) on its own stack, which has a guard page below it. A driver that
 * recurses without bound walks into the guard page; the kernel then delivers
 * SIGSEGV, and a handler can run only if it has a stack of its own: each
 * thread that runs driver code gets an alternate signal stack (with a guard
 * page of its own), and the fault handlers are installed with SA_ONSTACK.
 * The thread's stack bounds, recorded here, tell an overflow (a fault just
 * below the stack) from any other fault, so it can be reported as what it
 * is: a double fault (bug check 0x7F, parameter 1 = 8), as Windows reports
 * a kernel stack overflow.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"
#include "ke/contain.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

/* Initial-exec TLS: read by fault handlers, which must not allocate. */
static __thread uintptr_t tls_stack_lo __attribute__((tls_model("initial-exec")));
static __thread uintptr_t tls_stack_hi __attribute__((tls_model("initial-exec")));
static __thread void *tls_altstack __attribute__((tls_model("initial-exec")));

/* How far below the stack a fault still counts as running off its end. */
#define KE_OVERFLOW_SLACK (1u << 20)

int ke_contain_thread(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	pthread_attr_t attr;
	void *addr = NULL;
	size_t size = 0;
	stack_t ss;
	uint8_t *mem;

	if (tls_altstack)
		return 0;
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
			tls_stack_lo = (uintptr_t)addr;
			tls_stack_hi = (uintptr_t)addr + size;
		}
		pthread_attr_destroy(&attr);
	}
	/* A thread that already has an alternate stack (a sanitizer's) keeps it. */
	if (sigaltstack(NULL, &ss) == 0 && !(ss.ss_flags & SS_DISABLE) && ss.ss_size >= 65536) {
		tls_altstack = ss.ss_sp;
		return 0;
	}
	mem = mmap(NULL, KE_ALTSTACK_SIZE + page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	/* Guard page: a handler that overflows the alternate stack faults too. */
	mprotect(mem, page, PROT_NONE);
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = mem + page;
	ss.ss_size = KE_ALTSTACK_SIZE;
	if (sigaltstack(&ss, NULL)) {
		int err = -errno;

		munmap(mem, KE_ALTSTACK_SIZE + page);
		return err;
	}
	tls_altstack = mem;
	return 0;
}

/*
 * Undo ke_contain_thread() on a thread that is about to exit (vCPU threads
 * do, when their machine stops). Not in the header: the threads engine is
 * the only caller.
 */
void ke_contain_thread_exit(void);
void ke_contain_thread_exit(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	stack_t ss, cur;

	if (!tls_altstack)
		return;
	if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == (uint8_t *)tls_altstack + page) {
		memset(&ss, 0, sizeof(ss));
		ss.ss_flags = SS_DISABLE;
		sigaltstack(&ss, NULL);
		munmap(tls_altstack, KE_ALTSTACK_SIZE + page);
	}
	tls_altstack = NULL;
}

bool ke_contain_is_stack_overflow(uintptr_t addr, uintptr_t sp)
{
	uintptr_t lo = tls_stack_lo;

	if (!lo)
		return false;
	if (addr < lo && addr + KE_OVERFLOW_SLACK >= lo)
		return true;
	/* A push that faulted reports the address; a call may report 0 on some
	 * kernels: the stack pointer at the bottom tells as well. */
	return sp < lo + 256 && sp + KE_OVERFLOW_SLACK >= lo && sp < tls_stack_hi;
}

struct sym_buf {
	char *buf;
	size_t len;
	bool found;
};

static void put(struct sym_buf *b, size_t *n, const char *s)
{
	while (*s && *n + 1 < b->len)
		b->buf[(*n)++] = *s++;
	b->buf[*n] = 0;
}

static void sym_emit(void *ctx, const char *module, const char *name, uint64_t off)
{
	struct sym_buf *b = ctx;
	char hex[19] = "0x";
	size_t n = 0;
	int digits = 1;

	for (uint64_t v = off >> 4; v; v >>= 4)
		digits++;
	for (int i = 0; i < digits; i++)
		hex[2 + i] = "0123456789ABCDEF"[(off >> (4 * (digits - 1 - i))) & 15];
	hex[2 + digits] = 0;
	b->found = strcmp(module, "?") != 0;
	put(b, &n, name ? name : "?");
	put(b, &n, "+");
	put(b, &n, hex);
	put(b, &n, " (");
	put(b, &n, module);
	put(b, &n, ")");
}

bool ke_contain_symbol(const void *pc, char *buf, size_t len)
{
	struct sym_buf b = {.buf = buf, .len = len, .found = false};

	if (!len)
		return false;
	buf[0] = 0;
	/* ke_symbolize() looks up pc - 1 (a return address): pass pc + 1. */
	ke_symbolize((const uint8_t *)pc + 1, sym_emit, &b);
	return b.found;
}
