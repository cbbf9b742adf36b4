/* SPDX-License-Identifier: MIT */
/*
 * tools/run_fault.c - `ndisrt run --fault KIND[:N]`: host faults injected
 * into the NICs while the traffic runs, counted, and what they destroyed.
 *
 * An injector watches the interrupts the vCPUs have taken and, every N of
 * them, injects one fault of each kind through the device seam
 * (hw_dev_fault). The NIC (and message) each fault hits comes from a
 * generator per kind seeded with --seed, so the same seed gives the same
 * sequence of targets. Faults that hold a state (a stuck line, a link down,
 * a write-back delay) are released after a short, fixed time, so that the
 * next one starts N interrupts after the release.
 *
 * Under the threads engine the injector is a thread of its own (a device's
 * host controls are not a CPU: no vCPU and no host thread of the run is
 * ever blocked by it), looking every 100 µs of host time; when a fault
 * lands relative to the driver is up to the engine. Under --engine sim it
 * is a host timer on the virtual clock, every 100 µs of virtual time: the
 * engine runs it on its one host thread at a point its schedule fixes, so a
 * seed gives the same faults at the same moments, and the same run.
 *
 * Lock key: (i) the injector only while it runs, host thread after
 * run_faults_stop()  (a) atomic
 */
#include "tools/run.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#define HOLD_STUCK_NS 200000ull /* a stuck line: 200 µs of interrupt storm */
#define HOLD_LINK_NS 2000000ull /* a link flap: 2 ms down */
#define HOLD_WB_NS 5000000ull	/* delayed write-back: for 5 ms ... */
#define WB_DELAY_NS 200000ull	/* ... each receive write-back 200 µs late */
#define POLL_NS 100000		/* the injector looks every 100 µs */
#define PROBE_ARG UINT64_MAX	/* no fault takes it: -EINVAL, or -EOPNOTSUPP */

struct fault_state {
	uint64_t next_at;    /* (i) interrupts taken when the next one is due */
	uint64_t release_ns; /* (i) a held fault: when to release it; 0: none held */
	unsigned held_nic;   /* (i) which NIC holds it */
	bool done;	     /* (i) surprise-remove: fired */
	uint64_t rng;	     /* (i) xorshift64*, from --seed and the kind */
};

static struct {
	pthread_t thread;
	bool started;
	bool timer; /* --engine sim: the host timer, not the thread */
	atomic_bool stop;
	struct ke_host_timer tick;
	struct fault_state st[RUN_MAX_FAULTS];
} inj;

/* The injector's clock: the host's, or the deterministic engine's virtual one. */
static uint64_t inj_now(const struct run_state *r)
{
	struct timespec ts;

	if (r->o.sim)
		return ke_clock_ns(r->m);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One generator per --fault: each kind's targets follow from the seed alone. */
static uint64_t rnd(struct fault_state *st)
{
	st->rng ^= st->rng >> 12;
	st->rng ^= st->rng << 25;
	st->rng ^= st->rng >> 27;
	return st->rng * 0x2545F4914F6CDD1Dull;
}

/* Messages a NIC's driver was given: MSI-X N, else one (line: none but 0). */
static unsigned nic_messages(const struct run_state *r)
{
	return r->o.irq == RUN_IRQ_MSIX ? r->msix_messages : 1;
}

/* The NIC surprise removal takes: the receiver of the first pair, or NIC 0. */
static unsigned removal_nic(const struct run_state *r)
{
	return r->o.wire == RUN_WIRE_PAIR && r->o.nics > 1 ? r->nic[0].peer : 0;
}

/* @nic, or the NIC it sends to (a delayed write-back is a receive fault). */
static unsigned receiver(const struct run_state *r, unsigned nic)
{
	return r->o.wire == RUN_WIRE_PAIR && r->nic[nic].sender ? r->nic[nic].peer : nic;
}

/* Why a model has no @kind, for the one-line error. */
static const char *lacks(int kind)
{
	switch (kind) {
	case HW_FAULT_DROP_MSG:
		return "it signals no message interrupts (no MSI or MSI-X)";
	case HW_FAULT_DMA_WRITEBACK_DELAY:
		return "the model writes its descriptors back at once";
	default:
		return "the model does not implement it";
	}
}

int run_faults_check(struct run_state *r, char *err, size_t errlen)
{
	for (unsigned f = 0; f < r->o.nr_faults; f++) {
		int kind = r->o.fault[f].kind;
		const char *name = hw_fault_name((enum hw_fault)kind);

		for (unsigned i = 0; i < r->o.nics; i++) {
			/* An argument no fault takes: -EINVAL before any effect, or
			 * -EOPNOTSUPP from a model that lacks the fault (hw/device.h). */
			if (hw_dev_fault(r->nic[i].dev, (enum hw_fault)kind, PROBE_ARG) ==
			    -EOPNOTSUPP) {
				snprintf(err, errlen,
					 "--fault %s: the %s device model cannot inject it (%s)",
					 name, r->nic[i].model, lacks(kind));
				return 64;
			}
		}
		if (kind == HW_FAULT_STUCK_LINE && r->o.irq != RUN_IRQ_LINE) {
			snprintf(err, errlen,
				 "--fault %s: the NICs signal messages, and message interrupts "
				 "disable INTx (PCI Command.InterruptDisable); use --irq line",
				 name);
			return 64;
		}
		if (kind == HW_FAULT_DROP_MSG && r->o.irq == RUN_IRQ_LINE) {
			snprintf(err, errlen,
				 "--fault %s: the NICs use a line-based interrupt%s; use --irq msi "
				 "or msix",
				 name, r->drv_major < 6 ? " (an NDIS 5 miniport)" : "");
			return 64;
		}
	}
	return 0;
}

static void count(struct run_state *r, unsigned f, unsigned nic, int rc)
{
	(void)nic;
	if (rc == 0)
		r->fault[f].injected++;
	else
		r->fault[f].refused++;
}

/* Freeze what the removed NIC had received, then remove it. */
static void remove_nic(struct run_state *r, unsigned f)
{
	unsigned i = removal_nic(r);
	struct run_nic *rn = &r->nic[i];
	int rc;

	run_dev_stats(rn->dev, &rn->at_removal);
	rn->at_removal_taken = run_interrupts_taken(r);
	rc = hw_dev_fault(rn->dev, HW_FAULT_SURPRISE_REMOVE, 0);
	if (rc == 0)
		atomic_store(&rn->removed, true);
	count(r, f, i, rc);
}

static void inject(struct run_state *r, unsigned f, uint64_t now)
{
	struct fault_state *st = &inj.st[f];
	int kind = r->o.fault[f].kind;
	unsigned nic = (unsigned)(rnd(st) % r->o.nics);
	struct hw_device *dev;

	/*
	 * A DMA error goes to any NIC: on a receiver the next receive
	 * descriptor's fetch faults (not consumed: the frame is dropped and
	 * counted); on a sender the next transmit descriptor's, which the
	 * device consumes unsent and the driver must fail. Not to a
	 * virtio-net sender: there a faulting descriptor read is a device
	 * error (DEVICE_NEEDS_RESET) that the virtio_net sample does not
	 * recover from by resetting the device (docs/reliability.md).
	 */
	if (kind == HW_FAULT_DMA_ERROR && !strcmp(r->nic[nic].model, "virtio-net"))
		nic = receiver(r, nic);
	dev = r->nic[nic].dev;

	if (atomic_load(&r->nic[nic].removed))
		return; /* a removed NIC takes nothing more */
	switch (kind) {
	case HW_FAULT_SPURIOUS_IRQ:
	case HW_FAULT_DROP_MSG:
		count(r, f, nic,
		      hw_dev_fault(dev, (enum hw_fault)kind,
				   r->o.irq == RUN_IRQ_LINE ? 0 : rnd(st) % nic_messages(r)));
		break;
	case HW_FAULT_DMA_ERROR:
		count(r, f, nic, hw_dev_fault(dev, HW_FAULT_DMA_ERROR, 0));
		break;
	case HW_FAULT_STUCK_LINE:
	case HW_FAULT_LINK:
	case HW_FAULT_DMA_WRITEBACK_DELAY: {
		/* Stuck: 1; link: down (0); write-back: the delay. */
		uint64_t arg = kind == HW_FAULT_STUCK_LINE	      ? 1
			       : kind == HW_FAULT_DMA_WRITEBACK_DELAY ? WB_DELAY_NS
								      : 0;
		int rc;

		if (kind == HW_FAULT_DMA_WRITEBACK_DELAY)
			nic = receiver(r, nic);
		rc = hw_dev_fault(r->nic[nic].dev, (enum hw_fault)kind, arg);
		count(r, f, nic, rc);
		if (rc == 0) {
			st->held_nic = nic;
			st->release_ns = now + (kind == HW_FAULT_STUCK_LINE ? HOLD_STUCK_NS
						: kind == HW_FAULT_LINK	    ? HOLD_LINK_NS
									    : HOLD_WB_NS);
		}
		break;
	}
	case HW_FAULT_SURPRISE_REMOVE:
		remove_nic(r, f);
		st->done = true;
		break;
	default:
		count(r, f, nic, -EOPNOTSUPP);
		break;
	}
}

static void release(struct run_state *r, unsigned f)
{
	struct fault_state *st = &inj.st[f];
	int kind = r->o.fault[f].kind;

	if (!st->release_ns)
		return;
	/* Stuck: let go (0). Link: up again (1). Write-back: at once again (0). */
	(void)hw_dev_fault(r->nic[st->held_nic].dev, (enum hw_fault)kind, kind == HW_FAULT_LINK);
	st->release_ns = 0;
}

/* One look: release what is due, inject what is due. */
static void injector_step(struct run_state *r)
{
	uint64_t taken = run_interrupts_taken(r), now = inj_now(r);

	for (unsigned f = 0; f < r->o.nr_faults; f++) {
		struct fault_state *st = &inj.st[f];

		if (st->release_ns) {
			if (now >= st->release_ns) {
				release(r, f);
				st->next_at = run_interrupts_taken(r) + r->o.fault[f].every;
			}
			continue;
		}
		if (st->done || taken < st->next_at)
			continue;
		inject(r, f, now);
		st->next_at = taken + r->o.fault[f].every;
	}
}

static void *injector(void *arg)
{
	struct run_state *r = arg;
	const struct timespec poll = {0, POLL_NS};

	while (!atomic_load(&inj.stop)) {
		injector_step(r);
		nanosleep(&poll, NULL);
	}
	return NULL;
}

/* --engine sim: the injector as a host timer on the virtual clock. */
static void injector_tick(struct ke_host_timer *t, void *ctx)
{
	struct run_state *r = ctx;

	if (atomic_load(&inj.stop))
		return;
	injector_step(r);
	ke_host_timer_arm(r->m, t, ke_clock_ns(r->m) + POLL_NS);
}

void run_faults_start(struct run_state *r)
{
	if (!r->o.nr_faults)
		return;
	memset(&inj.st, 0, sizeof(inj.st));
	atomic_store(&inj.stop, false);
	for (unsigned f = 0; f < r->o.nr_faults; f++) {
		inj.st[f].next_at = r->o.fault[f].every;
		inj.st[f].rng =
		    (r->o.seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(r->o.fault[f].kind + 1))) | 1;
	}
	if (r->o.sim) {
		inj.timer = inj.started = true;
		ke_host_timer_init(&inj.tick, injector_tick, r);
		ke_host_timer_arm(r->m, &inj.tick, ke_clock_ns(r->m) + POLL_NS);
		return;
	}
	inj.timer = false;
	errno = pthread_create(&inj.thread, NULL, injector, r);
	inj.started = errno == 0;
	if (!inj.started) {
		fprintf(stderr, "ndisrt run: --fault: cannot start the injector thread: %s\n",
			strerror(errno));
		r->faults_not_started = true;
	}
}

void run_faults_stop(struct run_state *r)
{
	if (!inj.started)
		return;
	atomic_store(&inj.stop, true);
	if (inj.timer)
		ke_host_timer_cancel(r->m, &inj.tick);
	else
		pthread_join(inj.thread, NULL);
	inj.started = false;
	for (unsigned f = 0; f < r->o.nr_faults; f++)
		release(r, f);
}

void run_faults_collect(struct run_state *r)
{
	/* What the devices say they did (hw/device.h statistics). */
	r->signals_dropped = r->dma_faults_fired = r->wb_delayed = 0;
	for (unsigned i = 0; i < r->o.nics; i++) {
		r->signals_dropped += hw_device_stat(r->nic[i].dev, "signals_dropped", NULL);
		r->dma_faults_fired += hw_device_stat(r->nic[i].dev, "dma_faults_injected", NULL);
		r->wb_delayed += hw_device_stat(r->nic[i].dev, "wb_delayed", NULL);
	}
}
