/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_ndis.c - `ndisrt bench ndis`: the NDIS interrupt DDI's hot
 * paths against what they are built from, measured in the same run.
 *
 *  sync_ddi_uncontended_vs_ke_spinlock_pair
 *      NdisMSynchronizeWithInterruptEx (handle lookup, DIRQL, interrupt
 *      lock, routine, restore)          vs a bare ke spin-lock acquire+release
 *  isr_return_to_dpc_start_vs_ke_isr_dpc_p50/p99
 *      the miniport's ISR returns (QueueDefaultInterruptDpc = TRUE) -> its
 *      MiniportMessageInterruptDPC starts, same vCPU
 *                                       vs a ke ISR that queues a ke DPC on
 *                                         its vCPU -> the DPC starts (no NDIS)
 *
 * The benchmark is a miniport too: it registers a message interrupt on an
 * adapter of its own and drives it through the DDI.
 */
#include "bench/bench.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "hw/intc.h"
#include "ke/ke.h"
#include "ndisrt/ndis.h"

#define NDIS_MINIPORT_DRIVER
#define NDIS630_MINIPORT
#include <ndis.h>

#define BENCH_IRQL 8

int ndisrt_bench_ndis(int argc, char **argv);

struct ndis_params {
	unsigned batches; /* ns/op: batches of each kind, interleaved */
	unsigned batch_ops;
	unsigned rounds;  /* latency: alternating NDIS / ke rounds */
	unsigned samples; /* per round */
};

static inline void relax(void)
{
	__builtin_ia32_pause();
}

static void pin_self(unsigned cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % (unsigned)sysconf(_SC_NPROCESSORS_ONLN), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* ------------------------------------------------------ the miniport */

static struct {
	NDIS_HANDLE intr;
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS chars;
	atomic_ulong isr_end, dpc_start; /* ns stamps of the latency samples */
} mp;

static BOOLEAN bench_isr(NDIS_HANDLE ctx, ULONG msg, PBOOLEAN queue_default, PULONG targets)
{
	(void)ctx, (void)msg;
	*queue_default = TRUE;
	*targets = 0;
	/* The last thing the ISR does: its return starts the measured interval. */
	atomic_store_explicit(&mp.isr_end, bench_now_ns(), memory_order_release);
	return TRUE;
}

static void bench_dpc(NDIS_HANDLE ctx, ULONG msg, PVOID dpc_ctx, PVOID throttle, PVOID reserved)
{
	(void)ctx, (void)msg, (void)dpc_ctx, (void)throttle, (void)reserved;
	atomic_store_explicit(&mp.dpc_start, bench_now_ns(), memory_order_release);
}

static BOOLEAN bench_line_isr(NDIS_HANDLE ctx, PBOOLEAN queue_default, PULONG targets)
{
	(void)ctx;
	*queue_default = FALSE;
	*targets = 0;
	return FALSE;
}

static void bench_line_dpc(NDIS_HANDLE ctx, PVOID dpc_ctx, PVOID throttle, PVOID reserved)
{
	(void)ctx, (void)dpc_ctx, (void)throttle, (void)reserved;
}

static void bench_endis(NDIS_HANDLE ctx)
{
	(void)ctx;
}

static void bench_msg_endis(NDIS_HANDLE ctx, ULONG msg)
{
	(void)ctx, (void)msg;
}

static BOOLEAN trivial_sync(NDIS_HANDLE ctx)
{
	(void)ctx;
	return TRUE;
}

static int bench_initialize(void *handle, void *ctx)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES r;
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c = &mp.chars;
	NDIS_STATUS status;

	(void)ctx;
	memset(&r, 0, sizeof(r));
	r.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.MiniportAdapterContext = &mp;
	status = NdisMSetMiniportAttributes(handle, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&r);
	if (status != NDIS_STATUS_SUCCESS)
		return status;
	memset(c, 0, sizeof(*c));
	c->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	c->Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	c->Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	c->InterruptHandler = bench_line_isr;
	c->InterruptDpcHandler = bench_line_dpc;
	c->DisableInterruptHandler = bench_endis;
	c->EnableInterruptHandler = bench_endis;
	c->MsiSupported = TRUE;
	c->MessageInterruptHandler = bench_isr;
	c->MessageInterruptDpcHandler = bench_dpc;
	c->DisableMessageInterruptHandler = bench_msg_endis;
	c->EnableMessageInterruptHandler = bench_msg_endis;
	return NdisMRegisterInterruptEx(handle, &mp, c, &mp.intr);
}

static void bench_halt(void *handle, void *ctx)
{
	(void)handle, (void)ctx;
	NdisMDeregisterInterruptEx(mp.intr);
}

/* ---------------------------------------------------- ns per operation */

static struct {
	const struct ndis_params *p;
	struct ke_spinlock lock;
	double bare[64], sync[64];
} ops;

static double batch_bare(unsigned n)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned i = 0; i < n; i++) {
		ke_irql_t old = ke_spin_acquire(&ops.lock);

		ke_spin_release(&ops.lock, old);
	}
	return (double)(bench_now_ns() - t0) / n;
}

static double batch_sync(unsigned n)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned i = 0; i < n; i++)
		NdisMSynchronizeWithInterruptEx(mp.intr, 0, trivial_sync, NULL);
	return (double)(bench_now_ns() - t0) / n;
}

/* On vCPU 0 at PASSIVE_LEVEL; the message targets vCPU 1, so nothing interferes. */
static void measure_ops(void *arg)
{
	(void)arg;
	batch_bare(ops.p->batch_ops); /* warm-up */
	batch_sync(ops.p->batch_ops);
	for (unsigned b = 0; b < ops.p->batches; b++) {
		ops.bare[b] = batch_bare(ops.p->batch_ops);
		ops.sync[b] = batch_sync(ops.p->batch_ops);
	}
}

static void bench_ops(struct bench_out *o, struct ke_machine *m, const struct ndis_params *p)
{
	ops.p = p;
	ke_spin_init(&ops.lock);
	ke_vcpu_call(ke_machine_vcpu(m, 0), measure_ops, NULL);
	bench_row(o, "sync_ddi_uncontended_vs_ke_spinlock_pair",
		  bench_quantile(ops.sync, p->batches, 0.5),
		  bench_quantile(ops.bare, p->batches, 0.5), "ns", "<= 1.5x");
}

/* ------------------------------------------ ISR return -> DPC start */

static struct {
	struct ke_dpc dpc;
	struct ke_machine *m;
	atomic_ulong isr_end, dpc_start;
} kb;

static void ke_baseline_dpc(struct ke_dpc *dpc, void *ctx, void *a1, void *a2)
{
	(void)dpc, (void)ctx, (void)a1, (void)a2;
	atomic_store_explicit(&kb.dpc_start, bench_now_ns(), memory_order_release);
}

/*
 * The baseline ISR stamps before it queues its DPC, so both intervals
 * include queueing: in the NDIS path the runtime queues after the miniport's
 * ISR has returned.
 */
static bool ke_baseline_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr, (void)ctx;
	atomic_store_explicit(&kb.isr_end, bench_now_ns(), memory_order_release);
	ke_dpc_queue(kb.m, &kb.dpc, NULL, NULL);
	return true;
}

/* One sample: deliver, wait for the DPC's stamp, return DPC start - ISR end. */
static double sample(struct intc *ic, uint64_t addr, uint32_t data, atomic_ulong *isr_end,
		     atomic_ulong *dpc_start)
{
	uint64_t deadline = bench_now_ns() + 1000000000ull;
	uint64_t t1;

	atomic_store(isr_end, 0);
	atomic_store(dpc_start, 0);
	intc_msi_write(ic, addr, data);
	while ((t1 = atomic_load_explicit(dpc_start, memory_order_acquire)) == 0) {
		relax();
		if (bench_now_ns() > deadline)
			return -1;
	}
	return (double)t1 - (double)atomic_load_explicit(isr_end, memory_order_acquire);
}

static void report(struct bench_out *o, const char *name, double *v, size_t nv, double *b,
		   size_t nb)
{
	char buf[96];

	if (!nv || !nb)
		return;
	snprintf(buf, sizeof(buf), "%s_p50", name);
	bench_row(o, buf, bench_quantile(v, nv, 0.5), bench_quantile(b, nb, 0.5), "ns", NULL);
	snprintf(buf, sizeof(buf), "%s_p99", name);
	bench_row(o, buf, bench_quantile(v, nv, 0.99), bench_quantile(b, nb, 0.99), "ns", NULL);
}

static void bench_latency(struct bench_out *o, struct ke_machine *m, struct intc *ic,
			  struct ndisrt_adapter *a, const struct ndis_params *p)
{
	size_t cap = (size_t)p->rounds * p->samples, nn = 0, nk = 0;
	double *nd = calloc(cap, sizeof(double)), *kd = calloc(cap, sizeof(double));
	struct ke_interrupt ki;
	int vec = ke_vector_alloc(m, BENCH_IRQL);
	uint64_t naddr, kaddr;
	uint32_t ndata, kdata;

	if (!nd || !kd || vec < 0 || ndisrt_adapter_message_address(a, 0, &naddr, &ndata) ||
	    intc_msi_compose(ic, (unsigned)vec, 1, &kaddr, &kdata)) {
		fprintf(stderr, "ndisrt bench ndis: cannot set up the latency measurement\n");
		goto out;
	}
	kb.m = m;
	ke_dpc_init(&kb.dpc, ke_baseline_dpc, NULL);
	ke_interrupt_init(&ki, ke_baseline_isr, NULL, (unsigned)vec, NULL, BENCH_IRQL, 1ull << 1);
	ke_interrupt_connect(m, &ki);
	for (unsigned r = 0; r < p->rounds; r++) {
		for (unsigned s = 0; s < p->samples; s++) {
			double v = sample(ic, naddr, ndata, &mp.isr_end, &mp.dpc_start);

			if (v >= 0)
				nd[nn++] = v;
		}
		for (unsigned s = 0; s < p->samples; s++) {
			double v = sample(ic, kaddr, kdata, &kb.isr_end, &kb.dpc_start);

			if (v >= 0)
				kd[nk++] = v;
		}
	}
	ke_machine_quiesce(m, 0);
	ke_interrupt_disconnect(m, &ki);
	report(o, "isr_return_to_dpc_start_vs_ke_isr_dpc", nd, nn, kd, nk);
out:
	if (vec >= 0)
		ke_vector_free(m, (unsigned)vec);
	free(nd);
	free(kd);
}

/* ---------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f, "usage: ndisrt bench ndis [--json] [--quick]\n"
		   "  Measures the NDIS interrupt DDI against the ke primitives under it, in\n"
		   "  the same run.\n"
		   "  --json   one JSON object per line: name, value, baseline, ratio, unit\n"
		   "  --quick  fewer samples (a smoke run; figures are noisier)\n");
}

int ndisrt_bench_ndis(int argc, char **argv)
{
	struct ndis_params p = {.batches = 15, .batch_ops = 200000, .rounds = 5, .samples = 2000};
	struct bench_out o = {.f = stdout};
	struct ke_machine_config cfg = {.nr_vcpus = 2};
	struct ndisrt_adapter_config acfg;
	struct ndisrt_adapter *a = NULL;
	struct ke_machine *m;
	struct intc *ic;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--quick")) {
			p = (struct ndis_params){
			    .batches = 5, .batch_ops = 20000, .rounds = 2, .samples = 200};
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "ndisrt bench ndis: unknown option '%s' (try --help)\n",
				argv[i]);
			return 64;
		}
	}
	pin_self(0);
	m = ke_machine_create(&cfg);
	if (!m) {
		fprintf(stderr, "ndisrt bench ndis: cannot create a machine: %s\n",
			strerror(errno));
		return 70;
	}
	ic = intc_create(m);
	ndisrt_adapter_config_init(&acfg, ic);
	acfg.nr_messages = 1;
	acfg.message_vcpu[0] = 1;
	acfg.message_irql[0] = BENCH_IRQL;
	if (ic)
		a = ndisrt_adapter_create(m, &acfg);
	if (!a || ndisrt_adapter_initialize(a, 0, bench_initialize, NULL) != NDIS_STATUS_SUCCESS) {
		fprintf(stderr, "ndisrt bench ndis: cannot register the benchmark's interrupt\n");
		rc = 70;
		goto out;
	}
	bench_begin(&o, "ndisrt bench ndis (2 vCPUs; baseline measured in the same run)");
	bench_ops(&o, m, &p);
	bench_latency(&o, m, ic, a, &p);
	ndisrt_adapter_halt(a, 0, bench_halt, NULL, false);
out:
	ndisrt_adapter_free(a);
	intc_free(ic);
	ke_machine_free(m);
	return rc;
}
