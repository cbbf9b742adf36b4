/* SPDX-License-Identifier: MIT */
/*
 * ke/sim/fiber.c - the context switch of the sim engine.
 *
 * A switch saves the callee-saved registers of the System V x86-64 ABI
 * (rbx, rbp, r12-r15) on the running stack, stores the stack pointer, loads
 * the other fiber's stack pointer and pops its registers: a dozen
 * instructions and no system call (swapcontext saves and restores the signal
 * mask with a sigprocmask call each time). The floating-point control words
 * (MXCSR, x87 CW) are not switched: nothing in ndisrt or a miniport changes
 * them.
 */
#include "ke/sim/fiber.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef SIM_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef SIM_TSAN
#include <sanitizer/tsan_interface.h>
#endif

#if !defined(__x86_64__)
#error "the sim engine's context switch is written for x86-64"
#endif

/* void sim_switch_stacks(void **save_sp, void *load_sp) */
__asm__(".text\n"
	".p2align 4\n"
	".globl sim_switch_stacks\n"
	".hidden sim_switch_stacks\n"
	".type sim_switch_stacks, @function\n"
	"sim_switch_stacks:\n"
	"	.cfi_startproc\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size sim_switch_stacks, .-sim_switch_stacks\n");

void sim_switch_stacks(void **save_sp, void *load_sp);

int sim_fiber_create(struct sim_fiber *f, size_t stack_size, void (*entry)(void))
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t *sp;
	void *mem;

	memset(f, 0, sizeof(*f));
	stack_size = (stack_size + page - 1) & ~(page - 1);
	mem = mmap(NULL, stack_size + page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	/* Guard page: a stack overflow faults instead of corrupting memory. */
	if (mprotect(mem, page, PROT_NONE)) {
		int err = -errno;

		munmap(mem, stack_size + page);
		return err;
	}
	f->stack = mem;
	f->stack_size = stack_size + page;
	f->bottom = (char *)mem + page;
	f->usable = stack_size;
	/*
	 * Initial frame, from the (16-byte aligned) top down: a zero return
	 * address (ends every backtrace), @entry for the switch's `ret`, and
	 * six zero callee-saved registers. After the pops and the ret, rsp is
	 * top - 8, as at the entry of a called function.
	 */
	sp = (uintptr_t *)((uintptr_t)((char *)mem + f->stack_size) & ~(uintptr_t)15);
	*--sp = 0;
	*--sp = (uintptr_t)entry;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	f->sp = sp;
#ifdef SIM_TSAN
	f->tsan = __tsan_create_fiber(0);
#endif
	return 0;
}

void sim_fiber_host(struct sim_fiber *f)
{
	memset(f, 0, sizeof(*f));
#ifdef SIM_TSAN
	f->tsan = __tsan_get_current_fiber();
#endif
}

void sim_fiber_destroy(struct sim_fiber *f)
{
#ifdef SIM_TSAN
	if (f->stack && f->tsan)
		__tsan_destroy_fiber(f->tsan);
#endif
	if (f->stack)
		munmap(f->stack, f->stack_size);
	memset(f, 0, sizeof(*f));
}

void sim_fiber_switch(struct sim_fiber *from, struct sim_fiber *to, bool from_exits)
{
#ifdef SIM_ASAN
	__sanitizer_start_switch_fiber(from_exits ? NULL : &from->fake_stack, to->bottom,
				       to->usable);
#else
	(void)from_exits;
#endif
#ifdef SIM_TSAN
	__tsan_switch_to_fiber(to->tsan, 0);
#endif
	sim_switch_stacks(&from->sp, to->sp);
#ifdef SIM_ASAN
	/* Back in @from; learn the bounds of the host stack on the way. */
	{
		const void *b;
		size_t s;

		__sanitizer_finish_switch_fiber(from->fake_stack, &b, &s);
		(void)b, (void)s;
	}
#endif
}

void sim_fiber_started(struct sim_fiber *prev)
{
#ifdef SIM_ASAN
	/* The first switch into a fiber comes from the host: learn its stack. */
	const void *b;
	size_t s;

	__sanitizer_finish_switch_fiber(NULL, &b, &s);
	if (!prev->stack) {
		prev->bottom = b;
		prev->usable = s;
	}
#else
	(void)prev;
#endif
}
