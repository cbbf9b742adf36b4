/* SPDX-License-Identifier: MIT */
/*
 * ke/watchdog.c - phase deadlines: a host call into a vCPU that does not
 * return in time ends in a bug check on that vCPU.
 *
 * The host posts work to a vCPU (ke_vcpu_call()) and waits for it. If the
 * driver routine the work runs never returns, or the vCPU never gets to run
 * it (an ISR storm, a DPC that spins), the host would wait for ever. Under a
 * phase it waits until the phase's deadline on the engine clock, then sends
 * the vCPU's thread the watchdog signal. Like an NMI, that signal is not
 * masked by the IRQL: its handler runs on top of whatever the vCPU runs and
 * bug-checks there, so the call chain of the report is that code's. If the
 * vCPU does not answer within a second (it cannot be signalled, or another
 * engine runs it), the host thread bug-checks itself with the same code.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"
#include "ke/contain.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <time.h>

static __thread const struct ke_phase *tls_next_phase;

/* The phase a host waits for on a deterministic machine, and its deadline in
 * that thread's CPU time (the host thread's own; read by its stall handler). */
static const struct ke_phase *sim_phase;
static uint64_t sim_cpu_deadline;

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static _Atomic(const struct ke_phase *) default_phase;

/* The expired phase and the vCPU it was posted to (set before signalling). */
static _Atomic(const struct ke_phase *) expired_phase;
static _Atomic(struct ke_vcpu *) expired_vcpu;
static atomic_int handler_installed;

static int watchdog_signal(void)
{
	return SIGRTMIN + 2;
}

/* Outstanding NMIs (ke_vcpu_nmi()), one per vCPU number: the vCPU it is for claims it. */
static struct {
	atomic_int busy; /* claimed by ke_vcpu_nmi(), until the handler took it */
	_Atomic(struct ke_vcpu *) v;
	_Atomic(ke_nmi_fn *) fn;
	void *_Atomic ctx;
} nmi[KE_MAX_VCPUS];

static void watchdog_handler(int sig, siginfo_t *si, void *uc)
{
	const struct ke_phase *ph = atomic_load(&expired_phase);
	struct ke_vcpu *self = ke_self;

	(void)sig, (void)si, (void)uc;
	if (self && atomic_load(&nmi[self->number].v) == self) {
		ke_nmi_fn *fn = atomic_exchange(&nmi[self->number].fn, NULL);
		void *ctx = atomic_load(&nmi[self->number].ctx);

		atomic_store(&nmi[self->number].v, NULL);
		atomic_store(&nmi[self->number].busy, 0);
		if (fn)
			fn(ctx);
	}
	if (!ph || atomic_load(&expired_vcpu) != self)
		return;
	ke_bugcheck(ph->code, ph->param[0], ph->param[1], ph->param[2], ph->param[3], ph->what);
}

static void install_handler(void)
{
	struct sigaction sa;

	if (atomic_exchange(&handler_installed, 1))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = watchdog_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(watchdog_signal(), &sa, NULL);
}

void ke_phase_next(const struct ke_phase *ph)
{
	if (ph && ph->timeout_ns)
		install_handler();
	tls_next_phase = ph;
}

void ke_phase_set_default(const struct ke_phase *ph)
{
	if (ph && ph->timeout_ns)
		install_handler();
	atomic_store(&default_phase, ph);
}

static _Noreturn void expire(struct ke_machine *m, struct ke_vcpu *v, const struct ke_phase *ph)
{
	int tid = atomic_load(&v->tid);

	atomic_store(&expired_vcpu, v);
	atomic_store(&expired_phase, ph);
	if (tid > 0 && m->engine == &ke_threads_engine) {
		struct timespec ts = {.tv_sec = 0, .tv_nsec = 10000000};

		syscall(SYS_tgkill, getpid(), tid, watchdog_signal());
		/* The vCPU's bug check ends the process; give it a second. */
		for (int i = 0; i < 100; i++)
			nanosleep(&ts, NULL);
	}
	ke_bugcheck(ph->code, ph->param[0], ph->param[1], ph->param[2], ph->param[3], ph->what);
}

void ke_phase_wait(struct ke_machine *m, struct ke_vcpu *v, struct ke_work *w)
{
	const struct ke_phase *ph = tls_next_phase ? tls_next_phase : atomic_load(&default_phase);
	uint64_t deadline;

	tls_next_phase = NULL;
	if (!ph || !ph->timeout_ns) {
		ke_work_wait(w);
		return;
	}
	deadline = ke_clock_ns(m) + ph->timeout_ns;
	/*
	 * The deterministic engine runs the vCPUs on this very thread, one
	 * scheduler step per yield: a futex wait here would stop it. Its
	 * virtual clock runs at the schedule's pace (a send can wait through
	 * seconds of device timers while the vCPUs take turns), so its deadline
	 * counts this thread's CPU time instead - the whole machine's - checked
	 * between steps; code that never reaches a preemption point is caught by
	 * the engine's stall backstop, which calls ke_phase_stall_check() on top
	 * of it. Only a run that is already stuck can reach it: healthy runs
	 * stay deterministic.
	 */
	if (ke_deterministic_machine() && !ke_self) {
		sim_phase = ph;
		sim_cpu_deadline = thread_cpu_ns() + ph->timeout_ns;
		for (unsigned i = 0; !atomic_load_explicit(&w->done, memory_order_acquire); i++) {
			if (!(i & 255) && thread_cpu_ns() >= sim_cpu_deadline)
				ke_bugcheck(ph->code, ph->param[0], ph->param[1], ph->param[2],
					    ph->param[3], ph->what);
			sched_yield();
		}
		sim_phase = NULL;
		return;
	}
	while (!atomic_load_explicit(&w->done, memory_order_acquire)) {
		uint64_t now = ke_clock_ns(m), slice;

		if (now >= deadline)
			expire(m, v, ph);
		/* Re-read the engine clock at least every 100 ms. */
		slice = deadline - now < 100000000u ? deadline - now : 100000000u;
		ke_futex_wait(&w->done, 0, slice);
	}
}

void ke_phase_stall_check(struct ke_machine *m)
{
	const struct ke_phase *ph = sim_phase;

	(void)m;
	if (ph && thread_cpu_ns() >= sim_cpu_deadline)
		ke_bugcheck(ph->code, ph->param[0], ph->param[1], ph->param[2], ph->param[3],
			    ph->what);
}

int ke_vcpu_nmi(struct ke_vcpu *v, ke_nmi_fn *fn, void *ctx)
{
	int tid = atomic_load(&v->tid);
	int idle = 0;

	if (tid <= 0 || v->m->engine != &ke_threads_engine || v == ke_self)
		return -EOPNOTSUPP;
	install_handler();
	if (!atomic_compare_exchange_strong(&nmi[v->number].busy, &idle, 1))
		return -EBUSY;
	atomic_store(&nmi[v->number].ctx, ctx);
	atomic_store(&nmi[v->number].fn, fn);
	atomic_store(&nmi[v->number].v, v);
	if (syscall(SYS_tgkill, getpid(), tid, watchdog_signal())) {
		atomic_store(&nmi[v->number].v, NULL);
		atomic_store(&nmi[v->number].fn, NULL);
		atomic_store(&nmi[v->number].busy, 0);
		return -EOPNOTSUPP;
	}
	return 0;
}
