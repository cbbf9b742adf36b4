/* SPDX-License-Identifier: MIT */
/*
 * ke/engine_threads.c - the threads engine: one pinned host thread per vCPU.
 *
 * Notification works like posted interrupts. A requester sets the vCPU's
 * pending bit and, only if the level is unmasked there and no notification is
 * outstanding, either sends the vCPU thread a real-time signal (it is
 * running) or wakes it from its futex (it is idle). The signal handler runs
 * on the vCPU's own stack, consults the lazy IRQL, and either dispatches at
 * the pending level or leaves the bit for ke_irql_lower() to find.
 *
 * Signal safety (docs/signal-safety.md): the handler may interrupt any code
 * running on a vCPU below the interrupt's level. Everything it can reach -
 * ISRs, DPCs, and the ke functions they call - uses only atomics, ke spin
 * locks taken at raised IRQL, futex and tgkill. The runtime calls
 * non-reentrant libc (malloc, stdio, pthread locks) only at IRQL >=
 * DISPATCH_LEVEL, where no DPC can run, and ISRs never call it; so no handler
 * ever enters libc on top of an interrupted libc call.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"
#include "ke/contain.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct threads_engine {
	pthread_t timer_thread;
	unsigned host_cpus;
	atomic_uint started;
};

static int ke_notify_signal(void)
{
	return SIGRTMIN + 1;
}

static void ke_signal_handler(int sig, siginfo_t *si, void *uc)
{
	struct ke_vcpu *v = ke_self;
	int saved_errno = errno;

	(void)sig;
	(void)si;
	(void)uc;
	if (!v)
		return;
	/* Cleared before scanning: a request after this point notifies again. */
	atomic_store_explicit(&v->notify, 0, memory_order_seq_cst);
	if (ke_vcpu_highest_pending(v, ke_vcpu_irql(v)) >= 0) {
		atomic_fetch_add_explicit(&v->st_signals, 1, memory_order_relaxed);
		ke_vcpu_deliver(v);
	} else {
		atomic_fetch_add_explicit(&v->st_spurious, 1, memory_order_relaxed);
	}
	errno = saved_errno;
}

static int install_handler(void)
{
	static atomic_int installed;
	struct sigaction sa;

	if (atomic_load(&installed))
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = ke_signal_handler;
	/* NODEFER: a higher-level interrupt must be able to preempt an ISR
	 * that runs inside this handler. Nesting depth is bounded by IRQL. */
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(ke_notify_signal(), &sa, NULL) != 0)
		return -errno;
	atomic_store(&installed, 1);
	return 0;
}

void ke_contain_thread_exit(void);

static void *vcpu_thread(void *arg)
{
	struct ke_vcpu *v = arg;
	struct threads_engine *te = v->m->engine_data;
	sigset_t set;

	if (!v->m->no_pin && te->host_cpus > 0) {
		cpu_set_t cpus;

		CPU_ZERO(&cpus);
		CPU_SET(v->number % te->host_cpus, &cpus);
		pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	}
	/* Driver code runs here: a fault handler must run even after this
	 * thread's stack overflows (ke/containment.c). */
	ke_contain_thread();
	ke_self = v;
	ke_tls_irql = &v->st;
	ke_tls_lock_id = v->number + 1;
	atomic_store(&v->tid, (int)syscall(SYS_gettid));
	sigemptyset(&set);
	sigaddset(&set, ke_notify_signal());
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	atomic_fetch_add(&te->started, 1);
	ke_futex_wake_all(&te->started);
	ke_vcpu_loop(v);
	ke_contain_thread_exit();
	return NULL;
}

static void *timer_thread(void *arg)
{
	struct ke_machine *m = arg;

	while (!atomic_load(&m->stopping)) {
		unsigned seq = atomic_load(&m->timer_seq);
		uint64_t next = ke_timers_next_deadline(m);
		uint64_t now = ke_clock_ns(m);

		if (next <= now) {
			ke_timers_run(m);
			continue;
		}
		/* Bounded wait so a stop is noticed even without a kick. */
		ke_futex_wait(&m->timer_seq, seq, next == UINT64_MAX ? 100000000 : next - now);
	}
	return NULL;
}

static int threads_start(struct ke_machine *m)
{
	struct threads_engine *te = calloc(1, sizeof(*te));
	sigset_t block, old;
	unsigned i;
	int err;

	if (!te)
		return -ENOMEM;
	err = install_handler();
	if (err)
		goto err_free_engine;
	te->host_cpus = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	m->engine_data = te;
	/* New threads inherit the mask: block the signal until ke_self is set. */
	sigemptyset(&block);
	sigaddset(&block, ke_notify_signal());
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < m->nr_vcpus; i++) {
		err = -pthread_create(&m->vcpus[i]->thread, NULL, vcpu_thread, m->vcpus[i]);
		if (err)
			goto err_stop_vcpus;
	}
	err = -pthread_create(&te->timer_thread, NULL, timer_thread, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		goto err_stop_vcpus;
	for (unsigned s; (s = atomic_load(&te->started)) < m->nr_vcpus;)
		ke_futex_wait(&te->started, s, 0);
	return 0;

err_stop_vcpus:
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	atomic_store(&m->stopping, true);
	for (unsigned j = 0; j < i; j++) {
		m->engine->wake(m, m->vcpus[j]);
		pthread_join(m->vcpus[j]->thread, NULL);
	}
err_free_engine:
	free(te);
	m->engine_data = NULL;
	return err;
}

static void threads_stop(struct ke_machine *m)
{
	struct threads_engine *te = m->engine_data;

	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		m->engine->wake(m, m->vcpus[i]);
		pthread_join(m->vcpus[i]->thread, NULL);
	}
	m->engine->timer_kick(m);
	pthread_join(te->timer_thread, NULL);
	free(te);
}

static uint64_t threads_clock_ns(struct ke_machine *m)
{
	struct timespec ts;

	(void)m;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void threads_wake(struct ke_machine *m, struct ke_vcpu *v)
{
	(void)m;
	atomic_fetch_add_explicit(&v->wake_seq, 1, memory_order_seq_cst);
	ke_futex_wake(&v->wake_seq, 1);
}

static void threads_notify(struct ke_machine *m, struct ke_vcpu *v)
{
	/* seq_cst: pairs with the idle loop's state store before its last scan. */
	if (atomic_load_explicit(&v->state, memory_order_seq_cst) == KE_VCPU_IDLE) {
		threads_wake(m, v);
		return;
	}
	atomic_fetch_add_explicit(&v->st_signals_sent, 1, memory_order_relaxed);
	syscall(SYS_tgkill, getpid(), atomic_load(&v->tid), ke_notify_signal());
}

static void threads_idle(struct ke_machine *m, struct ke_vcpu *v, unsigned seen_seq)
{
	(void)m;
	ke_futex_wait(&v->wake_seq, seen_seq, 0);
	atomic_fetch_add_explicit(&v->st_wakeups, 1, memory_order_relaxed);
}

static void threads_timer_kick(struct ke_machine *m)
{
	atomic_fetch_add_explicit(&m->timer_seq, 1, memory_order_seq_cst);
	ke_futex_wake(&m->timer_seq, 1);
}

const struct ke_engine_ops ke_threads_engine = {
    .name = "threads",
    .start = threads_start,
    .stop = threads_stop,
    .clock_ns = threads_clock_ns,
    .preempt_point = NULL,
    .notify = threads_notify,
    .wake = threads_wake,
    .idle = threads_idle,
    .timer_kick = threads_timer_kick,
    .posts_in_runtime = true,
};
