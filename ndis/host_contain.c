/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_contain.c - what a driver may not do to the process: end it.
 *
 * A miniport runs in the kernel, where there is no exit(): it fails
 * DriverEntry or MiniportInitializeEx, or it bug-checks (KeBugCheckEx).
 * Built for ndisrt, it is a Linux shared object whose imports the dynamic
 * loader resolves, and the loading program comes first in the lookup. So
 * the program defines exit(), _exit(), _Exit(), quick_exit(), abort(),
 * pthread_exit(), thrd_exit() and __assert_fail() (what assert() calls):
 * every reference of a driver binds to these. Called from a driver image,
 * each is a contract violation, bug check 0xC4 with parameter 1
 * NDISRT_VIOLATION_PROCESS_EXIT (verifier/violations.def; 2: which call, 3: its status, 4: the
 * driver's call site); called from the driver's ELF constructors while it
 * loads, each fails the load (exit 66 from `ndisrt run`). Called from
 * anywhere else (ndisrt itself, libc, a test framework) each goes on to the
 * C library's own (the next definition in lookup order).
 *
 * The same binding catches a driver that sleeps where it may not wait: the
 * sleep family at DISPATCH_LEVEL or above (rule K7, below).
 */
#include <stdbool.h>
#include <stdint.h>

#include "ke/ke.h"
#include "verifier/violation.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/*
 * Weak: this file is pulled out of the static library by any program that
 * calls exit() or abort(), and must not drag the host (and its hooks into
 * ndis/adapter.c) in with it. Where the loader is linked, these resolve.
 */
extern bool host_pc_in_driver(uintptr_t pc) __attribute__((weak));
extern bool host_pc_in_loading(uintptr_t pc) __attribute__((weak));
extern bool host_load_in_progress(void) __attribute__((weak));
extern _Noreturn void host_load_abandon(const char *what, long long status, uintptr_t caller)
    __attribute__((weak));

enum exit_kind {
	EXIT_EXIT = 1,
	EXIT__EXIT,
	EXIT__EXIT_C99,
	EXIT_QUICK,
	EXIT_ABORT,
	EXIT_PTHREAD,
	EXIT_THRD,
	EXIT_ASSERT,
};

static const char *const exit_names[] = {
    [EXIT_EXIT] = "exit",	 [EXIT__EXIT] = "_exit",  [EXIT__EXIT_C99] = "_Exit",
    [EXIT_QUICK] = "quick_exit", [EXIT_ABORT] = "abort",  [EXIT_PTHREAD] = "pthread_exit",
    [EXIT_THRD] = "thrd_exit",	 [EXIT_ASSERT] = "assert"};

static const char *const exit_what[] = {
    [EXIT_EXIT] = "the driver called exit(): a miniport never ends the process; it fails "
		  "DriverEntry or MiniportInitializeEx with an NDIS_STATUS (parameter 3: the "
		  "status it passed, 4: the call site)",
    [EXIT__EXIT] = "the driver called _exit(): a miniport never ends the process; it fails "
		   "DriverEntry or MiniportInitializeEx with an NDIS_STATUS (parameter 3: the "
		   "status it passed, 4: the call site)",
    [EXIT__EXIT_C99] = "the driver called _Exit(): a miniport never ends the process; it "
		       "fails DriverEntry or MiniportInitializeEx with an NDIS_STATUS "
		       "(parameter 3: the status it passed, 4: the call site)",
    [EXIT_QUICK] = "the driver called quick_exit(): a miniport never ends the process "
		   "(parameter 3: the status it passed, 4: the call site)",
    [EXIT_ABORT] = "the driver called abort(): a miniport that must stop the machine calls "
		   "KeBugCheckEx (parameter 4: the call site)",
    [EXIT_PTHREAD] = "the driver called pthread_exit() on a processor it does not own "
		     "(parameter 4: the call site)",
    [EXIT_THRD] = "the driver called thrd_exit() on a processor it does not own "
		  "(parameter 4: the call site)",
    [EXIT_ASSERT] = "an assert() in the driver failed (parameter 3: its line, 4: the call "
		    "site); use ASSERT / NT_ASSERT, or fail the request",
};

/* The C library's own, resolved once; what ndisrt's own callers get. */
static void *next_fn(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

/* Does the call from @caller belong to a driver? Then it does not return. */
static void driver_check(enum exit_kind kind, long long status, uintptr_t caller)
{
	if (!host_pc_in_driver) /* no loader linked in: no driver either */
		return;
	if (host_load_in_progress() && host_pc_in_loading(caller))
		host_load_abandon(exit_names[kind], kind == EXIT_ABORT ? LLONG_MIN : status,
				  caller);
	if (host_pc_in_driver(caller))
		ke_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION,
			    NDISRT_VIOLATION_PROCESS_EXIT, kind, (uintptr_t)status, caller,
			    exit_what[kind]);
}

#define CALLER() ((uintptr_t)__builtin_return_address(0))

void exit(int status)
{
	static void (*real)(int);

	driver_check(EXIT_EXIT, status, CALLER());
	if (!real)
		real = (void (*)(int))next_fn("exit");
	real(status);
	__builtin_unreachable();
}

/*
 * _exit() ends every bug check, inside a signal handler: the next
 * definition (the C library's, or a sanitizer's interceptor) is looked up
 * once at start-up, not there.
 */
static void (*next__exit)(int);
static void (*next__Exit)(int);

__attribute__((constructor)) static void resolve_exits(void)
{
	next__exit = (void (*)(int))next_fn("_exit");
	next__Exit = (void (*)(int))next_fn("_Exit");
}

void _exit(int status)
{
	driver_check(EXIT__EXIT, status, CALLER());
	if (next__exit)
		next__exit(status);
	for (;;)
		syscall(SYS_exit_group, status);
}

void _Exit(int status)
{
	driver_check(EXIT__EXIT_C99, status, CALLER());
	if (next__Exit)
		next__Exit(status);
	for (;;)
		syscall(SYS_exit_group, status);
}

void quick_exit(int status)
{
	static void (*real)(int);

	driver_check(EXIT_QUICK, status, CALLER());
	if (!real)
		real = (void (*)(int))next_fn("quick_exit");
	real(status);
	__builtin_unreachable();
}

void abort(void)
{
	static void (*real)(void);

	driver_check(EXIT_ABORT, 0, CALLER());
	if (!real)
		real = (void (*)(void))next_fn("abort");
	real();
	__builtin_unreachable();
}

void pthread_exit(void *retval)
{
	static void (*real)(void *);

	driver_check(EXIT_PTHREAD, 0, CALLER());
	if (!real)
		real = (void (*)(void *))next_fn("pthread_exit");
	real(retval);
	__builtin_unreachable();
}

void thrd_exit(int res)
{
	static void (*real)(int);

	driver_check(EXIT_THRD, res, CALLER());
	if (!real)
		real = (void (*)(int))next_fn("thrd_exit");
	real(res);
	__builtin_unreachable();
}

/* What assert() calls (declared by <assert.h> only without NDEBUG). */
_Noreturn void __assert_fail(const char *assertion, const char *file, unsigned int line,
			     const char *function);
void __assert_fail(const char *assertion, const char *file, unsigned int line, const char *function)
{
	static void (*real)(const char *, const char *, unsigned int, const char *);

	driver_check(EXIT_ASSERT, line, CALLER());
	if (!real)
		real = (void (*)(const char *, const char *, unsigned int, const char *))next_fn(
		    "__assert_fail");
	real(assertion, file, line, function);
	__builtin_unreachable();
}

/*
 * Waits (rule K7): a DPC, an ISR, or code holding a spin lock runs at
 * DISPATCH_LEVEL or above, where nothing may wait. The sleep family called
 * from a driver image there is bug check 0xC4 NDISRT_VIOLATION_WAIT_AT_DISPATCH
 * (2: which call, 3: the IRQL, 4: the call site); at PASSIVE_LEVEL, and from
 * anywhere else, the call goes on to the C library's own.
 */
enum wait_kind {
	WAIT_SLEEP = 1,
	WAIT_USLEEP,
	WAIT_NANOSLEEP,
	WAIT_CLOCK_NANOSLEEP,
	WAIT_THRD_SLEEP,
};

static void wait_check(enum wait_kind kind, uintptr_t caller)
{
	ke_irql_t irql;

	if (!host_pc_in_driver || !ke_current())
		return;
	irql = ke_irql_current();
	if (irql >= KE_DISPATCH_LEVEL && host_pc_in_driver(caller))
		ke_bugcheck(
		    KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION,
		    NDISRT_VIOLATION_WAIT_AT_DISPATCH, kind, irql, caller,
		    "the driver waited (sleep, usleep, nanosleep, clock_nanosleep or "
		    "thrd_sleep) at DISPATCH_LEVEL or above: a DPC, an ISR or code holding a "
		    "spin lock must not wait (parameter 2: which call, 3: the IRQL, 4: the "
		    "call site); stall at most 50 us with NdisStallExecution, or wait at "
		    "PASSIVE_LEVEL in a work item");
}

static int (*next_nanosleep)(const struct timespec *, struct timespec *);
static int (*next_clock_nanosleep)(clockid_t, int, const struct timespec *, struct timespec *);

__attribute__((constructor)) static void resolve_waits(void)
{
	next_nanosleep = (int (*)(const struct timespec *, struct timespec *))next_fn("nanosleep");
	next_clock_nanosleep = (int (*)(clockid_t, int, const struct timespec *,
					struct timespec *))next_fn("clock_nanosleep");
}

static int do_nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (next_nanosleep)
		return next_nanosleep(req, rem);
	return (int)syscall(SYS_nanosleep, req, rem);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	wait_check(WAIT_NANOSLEEP, CALLER());
	return do_nanosleep(req, rem);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem)
{
	wait_check(WAIT_CLOCK_NANOSLEEP, CALLER());
	if (next_clock_nanosleep)
		return next_clock_nanosleep(clock, flags, req, rem);
	return (int)syscall(SYS_clock_nanosleep, clock, flags, req, rem);
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec req = {.tv_sec = seconds, .tv_nsec = 0}, rem = {0, 0};

	wait_check(WAIT_SLEEP, CALLER());
	if (do_nanosleep(&req, &rem))
		return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec req = {.tv_sec = usec / 1000000, .tv_nsec = (long)(usec % 1000000) * 1000};

	wait_check(WAIT_USLEEP, CALLER());
	return do_nanosleep(&req, NULL);
}

int thrd_sleep(const struct timespec *duration, struct timespec *remaining)
{
	int rc;

	wait_check(WAIT_THRD_SLEEP, CALLER());
	rc = do_nanosleep(duration, remaining);
	return rc == 0 ? 0 : errno == EINTR ? -1 : -2;
}

/* Referenced by the loader, so that a program that loads drivers links this file. */
int host_contain_link(void); /* ndis/host_internal.h */
int host_contain_link(void)
{
	return 1;
}
