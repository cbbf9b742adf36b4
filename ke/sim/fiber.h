/* SPDX-License-Identifier: MIT */
/*
 * ke/sim/fiber.h - private to ke/sim: coroutines on hand-made stacks, with a
 * hand-written x86-64 context switch (no system call per switch) and the
 * sanitizer fiber annotations ASan and TSan need to follow it.
 */
#ifndef NDISRT_KE_SIM_FIBER_H
#define NDISRT_KE_SIM_FIBER_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define SIM_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SIM_ASAN)
#define SIM_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(SIM_TSAN)
#define SIM_TSAN 1
#endif

/*
 * Lock key: (h) the host thread that runs the sim machine; nothing else
 * touches a fiber.
 */
struct sim_fiber {
	void *sp;	    /* (h) saved stack pointer while switched out */
	void *stack;	    /* (h) mapping, guard page at its low end; NULL: host */
	size_t stack_size;  /* (h) */
	const void *bottom; /* (h) usable stack bottom (ASan) */
	size_t usable;	    /* (h) usable stack size (ASan) */
	void *fake_stack;   /* (h) ASan fake-stack save slot */
	void *tsan;	    /* (h) TSan fiber */
};

/* Make @f a fiber that starts in @entry (which must never return). */
int sim_fiber_create(struct sim_fiber *f, size_t stack_size, void (*entry)(void));

/* Describe the calling thread's own stack as a fiber to switch back to. */
void sim_fiber_host(struct sim_fiber *f);

void sim_fiber_destroy(struct sim_fiber *f);

/*
 * Switch from @from (the running fiber) to @to. Returns when something
 * switches back to @from. @from_exits: @from never runs again (its ASan fake
 * stack is released).
 */
void sim_fiber_switch(struct sim_fiber *from, struct sim_fiber *to, bool from_exits);

/* First thing a new fiber's entry calls, with the fiber that switched to it
 * (completes the sanitizer switch; learns the host stack's bounds). */
void sim_fiber_started(struct sim_fiber *prev);

#endif /* NDISRT_KE_SIM_FIBER_H */
