/* SPDX-License-Identifier: MIT */
/*
 * ke/contain.h - containment of what driver code can do to the process:
 * the stacks a thread runs driver code on (an alternate signal stack, so a
 * fault handler still runs when the thread's own stack is exhausted, and
 * the bounds that tell a stack overflow from any other fault), and phase
 * deadlines (ke/watchdog.c): a host call into a vCPU that does not return
 * in time ends in a bug check taken on that vCPU, naming what it runs.
 */
#ifndef NDISRT_KE_CONTAIN_H
#define NDISRT_KE_CONTAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ke/ke.h"

/* Size of the alternate signal stack every contained thread gets. */
#define KE_ALTSTACK_SIZE (256u * 1024u)

/**
 * ke_contain_thread() - Give the calling thread an alternate signal stack
 * (with a guard page below it) and record its stack bounds, so that a fault
 * handler installed with SA_ONSTACK runs even after a stack overflow.
 * Idempotent per thread. Context: any thread, not in a signal handler.
 * Return: 0, or a negative errno.
 */
int ke_contain_thread(void);

/**
 * ke_contain_is_stack_overflow() - Is a fault at @addr (the address the
 * access touched) with stack pointer @sp a stack overflow of the calling
 * thread: @addr in the guard region just below the thread's stack?
 * Context: a fault handler on the faulting thread; async-signal-safe.
 */
bool ke_contain_is_stack_overflow(uintptr_t addr, uintptr_t sp);

/**
 * ke_contain_symbol() - Write "name+0xOFF (module)" for code address @pc
 * into @buf (NUL-terminated, truncated to @len). Context: any;
 * async-signal-safe but for dladdr() (see ke/symbolize.c).
 * Return: true if @pc is inside a loaded module.
 */
bool ke_contain_symbol(const void *pc, char *buf, size_t len);

/* ------------------------------------------------------------ phases */

/*
 * A phase: a host call into a vCPU with a deadline on the engine clock.
 * When it passes, the vCPU the call was posted to is interrupted (a signal
 * that the IRQL does not mask, as an NMI watchdog) and bug-checks there, so
 * the report's call chain is what that vCPU was running: the driver routine
 * of the phase, or the ISR or DPC that kept the vCPU from running it.
 */
struct ke_phase {
	const char *what;    /* the report's "What:" line: names the phase */
	uint32_t code;	     /* bug-check code */
	uintptr_t param[4];  /* its parameters */
	uint64_t timeout_ns; /* 0: no deadline */
};

/**
 * ke_phase_next() - Make the calling host thread's next ke_vcpu_call()
 * (only the next one) a phase with @ph's deadline. @ph must stay valid
 * until that call returns. Context: host thread.
 */
void ke_phase_next(const struct ke_phase *ph);

/**
 * ke_phase_set_default() - The phase of every ke_vcpu_call() not preceded
 * by ke_phase_next() (a process-wide bound: nothing a host waits for on a
 * vCPU hangs); NULL for none. Context: host thread, before the run.
 */
void ke_phase_set_default(const struct ke_phase *ph);

/*
 * ke_phase_wait() - Wait for @w, posted to @v, under the thread's current
 * phase; on expiry, bug-check on @v (never returns then). Used by
 * ke_vcpu_call(). Context: host thread.
 */
void ke_phase_wait(struct ke_machine *m, struct ke_vcpu *v, struct ke_work *w);

#endif /* NDISRT_KE_CONTAIN_H */
