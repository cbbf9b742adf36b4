/* SPDX-License-Identifier: MIT */
/*
 * hw/intc.c - INTx lines and MSI decoding on top of ke's vectors.
 *
 * Nothing here takes a lock on the signalling path: sources change a line's
 * asserted count with atomics and request vectors with
 * ke_interrupt_request(), which is async-signal-safe. A device may therefore
 * signal with its own spin lock held, from a signal handler.
 */
#include "hw/intc.h"

#include <errno.h>
#include <stdlib.h>

/* Lock key: (c) constant after create  (a) atomic */
struct intc {
	struct ke_machine *m;	    /* (c) */
	unsigned nr_vcpus;	    /* (c) */
	atomic_uint nr_lines;	    /* (a) lines alive, for intc_free()'s check */
	atomic_ulong msi_delivered; /* (a) */
	atomic_ulong msi_rejected;  /* (a) */
};

/* Lock key: (c) constant after create  (a) atomic */
struct intc_line {
	struct intc *ic;	   /* (c) */
	unsigned vector;	   /* (c) */
	ke_irql_t irql;		   /* (c) */
	uint64_t targets;	   /* (c) non-zero, only existing vCPUs */
	unsigned first_target;	   /* (c) lowest vCPU in @targets */
	atomic_uint nr_asserted;   /* (a) sources asserting the line */
	atomic_uint remote_irr;	   /* (a) 1: a request is pending or in service (until EOI) */
	atomic_ulong assertions;   /* (a) */
	atomic_ulong reassertions; /* (a) */
	atomic_ulong pulses;	   /* (a) */
};

struct intc *intc_create(struct ke_machine *m)
{
	struct intc *ic;

	if (!m) {
		errno = EINVAL;
		return NULL;
	}
	ic = calloc(1, sizeof(*ic));
	if (!ic)
		return NULL;
	ic->m = m;
	ic->nr_vcpus = ke_machine_vcpu_count(m);
	return ic;
}

void intc_free(struct intc *ic)
{
	if (!ic)
		return;
	/* A line outliving its controller would dangle: a broken invariant. */
	if (atomic_load(&ic->nr_lines) != 0)
		abort();
	free(ic);
}

struct ke_machine *intc_machine(const struct intc *ic)
{
	return ic->m;
}

/*
 * Remote IRR, as an I/O APIC keeps it for a level-triggered pin: set when the
 * line's vector is requested, cleared at EOI. Whoever moves it 0 -> 1 makes
 * the one request; a rising edge that finds it set leaves the interrupt to
 * the EOI, which re-requests while the line is still asserted. Without it, a
 * source asserting between an ISR's dismissal and that ISR's EOI is
 * requested twice (its own edge, then the EOI seeing the line high), and the
 * second delivery runs every ISR on the line for nothing.
 */
static bool intc_line_claim_request(struct intc_line *line)
{
	unsigned idle = 0;

	return atomic_compare_exchange_strong_explicit(&line->remote_irr, &idle, 1,
						       memory_order_seq_cst, memory_order_seq_cst);
}

/*
 * End of interrupt for a line's vector: every ISR on the vector has run on
 * @vcpu. A level-triggered line that is still asserted (no ISR cleared its
 * cause, or a new one arrived, or the line is stuck) is requested again at
 * once: the storm is visible, and is counted. The clear of remote IRR and the
 * load of the count are both seq_cst, against intc_source_set()'s increment
 * and claim: either this EOI sees the assertion, or the source sees remote
 * IRR clear; if both do, the claim lets one of them request.
 */
static void intc_line_eoi(struct ke_machine *m, unsigned vector, unsigned vcpu, void *ctx)
{
	struct intc_line *line = ctx;
	unsigned target = line->first_target;

	atomic_store_explicit(&line->remote_irr, 0, memory_order_seq_cst);
	if (atomic_load_explicit(&line->nr_asserted, memory_order_seq_cst) == 0)
		return;
	if (!intc_line_claim_request(line))
		return;
	if (vcpu < 64 && (line->targets & (1ULL << vcpu)))
		target = vcpu;
	atomic_fetch_add_explicit(&line->reassertions, 1, memory_order_relaxed);
	ke_interrupt_request(m, target, vector);
}

struct intc_line *intc_line_create(struct intc *ic, ke_irql_t irql, uint64_t targets)
{
	uint64_t all = ic->nr_vcpus >= 64 ? ~0ULL : (1ULL << ic->nr_vcpus) - 1;
	struct intc_line *line;
	int vector;

	if (irql < KE_DIRQL_MIN || irql > KE_DIRQL_MAX || (targets & ~all)) {
		errno = EINVAL;
		return NULL;
	}
	if (!targets)
		targets = 1;
	line = calloc(1, sizeof(*line));
	if (!line)
		return NULL;
	vector = ke_vector_alloc(ic->m, irql);
	if (vector < 0) {
		free(line);
		errno = -vector;
		return NULL;
	}
	line->ic = ic;
	line->vector = (unsigned)vector;
	line->irql = irql;
	line->targets = targets;
	line->first_target = (unsigned)__builtin_ctzll(targets);
	ke_vector_set_eoi(ic->m, line->vector, intc_line_eoi, line);
	atomic_fetch_add(&ic->nr_lines, 1);
	return line;
}

void intc_line_free(struct intc_line *line)
{
	if (!line)
		return;
	ke_vector_set_eoi(line->ic->m, line->vector, NULL, NULL);
	ke_vector_free(line->ic->m, line->vector);
	atomic_fetch_sub(&line->ic->nr_lines, 1);
	free(line);
}

unsigned intc_line_vector(const struct intc_line *line)
{
	return line->vector;
}

ke_irql_t intc_line_irql(const struct intc_line *line)
{
	return line->irql;
}

uint64_t intc_line_targets(const struct intc_line *line)
{
	return line->targets;
}

bool intc_line_asserted(const struct intc_line *line)
{
	return atomic_load(&line->nr_asserted) != 0;
}

void intc_line_get_stats(const struct intc_line *line, struct intc_line_stats *out)
{
	out->assertions = atomic_load(&line->assertions);
	out->reassertions = atomic_load(&line->reassertions);
	out->pulses = atomic_load(&line->pulses);
	out->sources_asserted = atomic_load(&line->nr_asserted);
}

void intc_source_init(struct intc_source *src, struct intc *ic, struct intc_line *line)
{
	src->ic = ic;
	src->line = line;
	atomic_init(&src->asserted, false);
	atomic_init(&src->rises, 0);
}

/*
 * Calls for one source are serialised by its device (it drives its pin with
 * its own lock held); different sources race freely.
 * The source's own flag turns repeated calls into no-ops, so the line's count
 * moves once per real change. Only the 0 -> 1 transition of the count
 * requests the vector, and only if no request is outstanding (remote IRR);
 * while the line stays asserted, further interrupts come from the EOI path.
 * seq_cst on the count and the claim pairs with intc_line_eoi(): either the
 * EOI sees the new assertion, or our claim finds remote IRR clear; exactly
 * one of the two requests.
 */
void intc_source_set(struct intc_source *src, bool asserted)
{
	struct intc_line *line = src->line;
	unsigned before;

	if (!line)
		return;
	if (atomic_exchange_explicit(&src->asserted, asserted, memory_order_seq_cst) == asserted)
		return;
	if (!asserted) {
		atomic_fetch_sub_explicit(&line->nr_asserted, 1, memory_order_seq_cst);
		return;
	}
	atomic_fetch_add_explicit(&src->rises, 1, memory_order_seq_cst);
	before = atomic_fetch_add_explicit(&line->nr_asserted, 1, memory_order_seq_cst);
	if (before == 0) {
		atomic_fetch_add_explicit(&line->assertions, 1, memory_order_relaxed);
		if (intc_line_claim_request(line))
			ke_interrupt_request(line->ic->m, line->first_target, line->vector);
	}
}

static void intc_sink_line_set(void *ctx, bool asserted)
{
	intc_source_set(ctx, asserted);
}

/*
 * A pulse is one request with no change of level: a spurious interrupt. It
 * is requested whatever remote IRR says (a glitch is not a level), and marks
 * the line in service so that its EOI is not mistaken for another's.
 */
static void intc_sink_line_pulse(void *ctx)
{
	struct intc_source *src = ctx;

	if (!src->line)
		return;
	atomic_fetch_add_explicit(&src->line->pulses, 1, memory_order_relaxed);
	atomic_store_explicit(&src->line->remote_irr, 1, memory_order_seq_cst);
	ke_interrupt_request(src->ic->m, src->line->first_target, src->line->vector);
}

static void intc_sink_msi_write(void *ctx, uint64_t addr, uint32_t data)
{
	struct intc_source *src = ctx;

	intc_msi_write(src->ic, addr, data);
}

static const struct hw_irq_sink_ops intc_sink_ops = {
    .line_set = intc_sink_line_set,
    .line_pulse = intc_sink_line_pulse,
    .msi_write = intc_sink_msi_write,
};

struct hw_irq_sink intc_source_sink(struct intc_source *src)
{
	return (struct hw_irq_sink){.ops = &intc_sink_ops, .ctx = src};
}

static bool intc_vector_is_device(unsigned vector)
{
	ke_irql_t irql = ke_vector_irql(vector);

	return vector < KE_NR_VECTORS && irql >= KE_DIRQL_MIN && irql <= KE_DIRQL_MAX;
}

int intc_msi_compose(const struct intc *ic, unsigned vector, unsigned vcpu, uint64_t *addr,
		     uint32_t *data)
{
	if (vcpu >= ic->nr_vcpus || vcpu > 0xFF || !intc_vector_is_device(vector))
		return -EINVAL;
	*addr = INTC_MSI_ADDR_BASE | ((uint64_t)vcpu << INTC_MSI_DEST_SHIFT);
	*data = vector;
	return 0;
}

/*
 * Decoding, x86 style: the address must lie in the 0xFEE00000 window (upper
 * 32 bits zero), bits 19:12 name the destination vCPU; the data's bits 7:0
 * are the vector and bits 15:8 (delivery mode, trigger) must be zero (fixed,
 * edge), as the only mode intc_msi_compose() produces.
 */
int intc_msi_write(struct intc *ic, uint64_t addr, uint32_t data)
{
	unsigned dest = (unsigned)(addr >> INTC_MSI_DEST_SHIFT) & 0xFF;
	unsigned vector = data & 0xFF;

	if ((addr & ~(uint64_t)0xFFFFFFFF) ||
	    ((uint32_t)addr & INTC_MSI_ADDR_MASK) != INTC_MSI_ADDR_BASE || (data & ~0xFFu) ||
	    dest >= ic->nr_vcpus || !intc_vector_is_device(vector)) {
		atomic_fetch_add_explicit(&ic->msi_rejected, 1, memory_order_relaxed);
		return -EINVAL;
	}
	atomic_fetch_add_explicit(&ic->msi_delivered, 1, memory_order_relaxed);
	ke_interrupt_request(ic->m, dest, vector);
	return 0;
}

void intc_get_stats(const struct intc *ic, struct intc_stats *out)
{
	out->msi_delivered = atomic_load(&ic->msi_delivered);
	out->msi_rejected = atomic_load(&ic->msi_rejected);
}
