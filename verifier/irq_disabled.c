/* SPDX-License-Identifier: MIT */
/*
 * verifier/irq_disabled.c - rule I13, interrupts left disabled
 * (verifier/irq_disabled.h, docs/verifier.md).
 *
 * A host timer on the engine clock looks at every watched interrupt a few
 * times per allotment: the device's "irq_masked_pending" statistic (causes
 * pending that the driver enabled once and masks now) and the interrupt's
 * count of DPCs queued or running. Both non-zero-and-zero, continuously,
 * from one look to a look more than the allotment later, is the report. A
 * look that sees a DPC active, or nothing stalled, starts over; so a batch
 * that is merely long, or a device masked for a moment between the ISR and
 * its DPC, never counts.
 *
 * Lock key: (W) irqoff.lock  (c) constant while started
 */
#include "verifier/irq_disabled.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "hw/device.h"
#include "ke/ke.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"

#define IRQOFF_SLOTS 64 /* interrupts watched at once (8 NICs in ndisrt run) */

static struct {
	pthread_mutex_t lock;
	struct ke_machine *_Atomic m; /* (c) while started; NULL: stopped */
	uint64_t after_ns;	      /* (c) */
	uint64_t period_ns;	      /* (c) */
	struct ke_host_timer timer;
	struct vfy_irqoff w[IRQOFF_SLOTS]; /* (W) used; the rest see the header */
	bool fired;			   /* (W) */
	_Atomic uint64_t checks;	   /* looks at every watched interrupt so far */
} irqoff = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The DPC handler's name, from the dynamic symbols of its module. */
static void routine_name(const void *routine, char *buf, size_t len)
{
	Dl_info info;
	const char *base;

	if (!dladdr(routine, &info) || !info.dli_fname) {
		snprintf(buf, len, "%p", routine);
		return;
	}
	base = strrchr(info.dli_fname, '/');
	base = base ? base + 1 : info.dli_fname;
	if (info.dli_sname && info.dli_saddr == routine)
		snprintf(buf, len, "%s (%s)", info.dli_sname, base);
	else
		snprintf(buf, len, "%s+%#lx", base,
			 (unsigned long)((uintptr_t)routine - (uintptr_t)info.dli_fbase));
}

/* Report @w (a copy): stalled causes @causes for @age_ns. Called without (W). */
static void fire(const struct vfy_irqoff *w, uint64_t causes, uint64_t age_ns, uint64_t now)
{
	char routine[160], last[256], what[640];
	unsigned vcpu = atomic_load(&w->last_vcpu);
	void *frames[1];

	routine_name(w->dpc_routine, routine, sizeof(routine));
	if (vcpu)
		snprintf(last, sizeof(last),
			 "the last DPC that ran was %s on vCPU %u (message %u), %llu ms ago",
			 routine, vcpu - 1, atomic_load(&w->last_msg),
			 (unsigned long long)((now - atomic_load(&w->last_ns)) / 1000000u));
	else
		snprintf(last, sizeof(last), "no DPC of the interrupt (%s) ever ran", routine);
	snprintf(what, sizeof(what),
		 "interrupts left disabled: the device (%s) has held causes %#llx pending "
		 "with every one masked for %llu ms, and no DPC of its interrupt is queued "
		 "or running; %s (parameter 2 = the pending causes, 3 = ms, 4 = the DPC "
		 "handler)",
		 w->dev->model ? w->dev->model->name : "?", (unsigned long long)causes,
		 (unsigned long long)(age_ns / 1000000u), last);
	frames[0] = (char *)(uintptr_t)w->dpc_routine + 1;
	vfy_report(NDISRT_VIOLATION_INTERRUPTS_LEFT_DISABLED, (uintptr_t)causes,
		   (uintptr_t)(age_ns / 1000000u), (uintptr_t)w->dpc_routine, what, frames, 1);
}

static void check(struct ke_host_timer *t, void *ctx)
{
	struct ke_machine *m = atomic_load(&irqoff.m);
	uint64_t now, causes = 0, age = 0;
	struct vfy_irqoff copy;
	bool found = false;

	(void)ctx;
	if (!m)
		return;
	now = ke_clock_ns(m);
	pthread_mutex_lock(&irqoff.lock);
	for (unsigned i = 0; i < IRQOFF_SLOTS && !irqoff.fired; i++) {
		struct vfy_irqoff *w = &irqoff.w[i];

		if (!w->used)
			continue;
		causes = hw_device_stat(w->dev, "irq_masked_pending", NULL);
		if (!causes || atomic_load(w->active) != 0) {
			w->since = 0;
			continue;
		}
		if (!w->since) {
			w->since = now;
			continue;
		}
		if (now - w->since > irqoff.after_ns) {
			irqoff.fired = true; /* once (warn mode goes on) */
			age = now - w->since;
			copy.dev = w->dev;
			copy.dpc_routine = w->dpc_routine;
			atomic_init(&copy.last_vcpu, atomic_load(&w->last_vcpu));
			atomic_init(&copy.last_msg, atomic_load(&w->last_msg));
			atomic_init(&copy.last_ns, atomic_load(&w->last_ns));
			found = true;
		}
	}
	pthread_mutex_unlock(&irqoff.lock);
	atomic_fetch_add(&irqoff.checks, 1);
	if (found)
		fire(&copy, causes, age, now);
	ke_host_timer_arm(m, t, now + irqoff.period_ns);
}

int vfy_irqoff_start(struct ke_machine *m, unsigned after_ms)
{
	if (atomic_load(&irqoff.m))
		return -EBUSY;
	irqoff.after_ns = (uint64_t)(after_ms ? after_ms : VFY_IRQOFF_DEFAULT_MS) * 1000000u;
	/* Look 8 times per allotment, between every 1 ms and every second. */
	irqoff.period_ns = irqoff.after_ns / 8;
	if (irqoff.period_ns < 1000000u)
		irqoff.period_ns = 1000000u;
	if (irqoff.period_ns > 1000000000u)
		irqoff.period_ns = 1000000000u;
	irqoff.fired = false;
	memset(irqoff.w, 0, sizeof(irqoff.w));
	atomic_store(&irqoff.m, m);
	ke_host_timer_init(&irqoff.timer, check, NULL);
	ke_host_timer_arm(m, &irqoff.timer, ke_clock_ns(m) + irqoff.period_ns);
	return 0;
}

void vfy_irqoff_stop(struct ke_machine *m)
{
	if (!m || atomic_load(&irqoff.m) != m)
		return;
	ke_host_timer_cancel(m, &irqoff.timer);
	pthread_mutex_lock(&irqoff.lock);
	for (unsigned i = 0; i < IRQOFF_SLOTS; i++)
		irqoff.w[i].used = false;
	atomic_store(&irqoff.m, NULL);
	pthread_mutex_unlock(&irqoff.lock);
}

struct vfy_irqoff *vfy_irqoff_watch(struct hw_device *dev, const atomic_uint *active,
				    const void *dpc_routine)
{
	struct vfy_irqoff *w = NULL;
	bool has = false;

	if (!atomic_load(&irqoff.m) || !dev || !active)
		return NULL;
	(void)hw_device_stat(dev, "irq_masked_pending", &has);
	if (!has)
		return NULL;
	pthread_mutex_lock(&irqoff.lock);
	for (unsigned i = 0; i < IRQOFF_SLOTS; i++) {
		if (irqoff.w[i].used)
			continue;
		w = &irqoff.w[i];
		w->dev = dev;
		w->active = active;
		w->dpc_routine = dpc_routine;
		atomic_store(&w->last_vcpu, 0);
		atomic_store(&w->last_msg, 0);
		atomic_store(&w->last_ns, 0);
		atomic_store(&w->dpcs, 0);
		w->since = 0;
		w->used = true;
		break;
	}
	pthread_mutex_unlock(&irqoff.lock);
	return w;
}

void vfy_irqoff_unwatch(struct vfy_irqoff *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&irqoff.lock);
	w->used = false;
	w->since = 0;
	pthread_mutex_unlock(&irqoff.lock);
}

uint64_t vfy_irqoff_checks(void)
{
	return atomic_load(&irqoff.checks);
}

void vfy_irqoff_dpc_done(struct vfy_irqoff *w, unsigned vcpu, unsigned msg)
{
	struct ke_machine *m = atomic_load_explicit(&irqoff.m, memory_order_acquire);

	if (!w || !m)
		return;
	atomic_store_explicit(&w->last_msg, msg, memory_order_relaxed);
	atomic_store_explicit(&w->last_ns, ke_clock_ns(m), memory_order_relaxed);
	atomic_store_explicit(&w->last_vcpu, vcpu + 1, memory_order_release);
	atomic_fetch_add_explicit(&w->dpcs, 1, memory_order_relaxed);
}
