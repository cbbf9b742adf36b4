/* SPDX-License-Identifier: MIT */
/*
 * The interrupt controller on a real ke machine: shared level-triggered INTx
 * lines with VN-1s on them, re-assertion at EOI, MSI composition, decoding
 * and delivery to the target vCPU, and rejected writes.
 */
#include "harness.h"

#include <errno.h>

/* Objects an ISR may still touch after a failed assertion are static. */
static struct hx h;
static struct intc *ic;

static void setup(void)
{
	hx_init(&h, 2, 0);
	ic = intc_create(h.m);
	cr_assert_not_null(ic);
}

static void teardown(void)
{
	for (unsigned i = 0; i < 4; i++) {
		vn1_free(h.dev[i]);
		h.dev[i] = NULL;
	}
	cr_expect_eq(ke_machine_quiesce(h.m, 0), 0);
	hx_fini(&h);
}

TestSuite(intc, .init = setup, .fini = teardown);

struct isr_ctx {
	struct vn1 *dev;
	atomic_uint calls, claims;
	atomic_uint lazy; /* calls that claim without reading ICR (line stays up) */
	atomic_int vcpu;
	uint32_t causes;
};

static bool line_isr(struct ke_interrupt *intr, void *ctx)
{
	struct isr_ctx *c = ctx;
	uint32_t icr;

	(void)intr;
	atomic_fetch_add(&c->calls, 1);
	atomic_store(&c->vcpu, (int)ke_current_number());
	if (atomic_load(&c->lazy)) {
		atomic_fetch_sub(&c->lazy, 1);
		return true;
	}
	icr = vn1_mmio_read32(c->dev, VN1_ICR); /* read-to-clear */
	if (!icr)
		return false;
	c->causes |= icr;
	atomic_fetch_add(&c->claims, 1);
	return true;
}

Test(intc, s4_shared_line_two_vn1_either_asserts)
{
	struct intc_line *line = intc_line_create(ic, 5, 0x2);
	static struct intc_source src[2];
	static struct ke_interrupt intr[2];
	static struct isr_ctx ctx[2];
	struct intc_line_stats ls;
	struct vn1_resources r0, r1;

	cr_assert_not_null(line);
	cr_expect_eq(ke_vector_irql(intc_line_vector(line)), 5);
	for (int i = 0; i < 2; i++) {
		intc_source_init(&src[i], ic, line);
		ctx[i].dev =
		    hx_dev_create(&h, (unsigned)i, intc_source_sink(&src[i]), VN1_IRQ_LINE);
		cr_assert_eq(ke_interrupt_init(&intr[i], line_isr, &ctx[i], intc_line_vector(line),
					       NULL, 5, 0x2),
			     0);
		cr_assert_eq(ke_interrupt_connect(h.m, &intr[i]), 0);
		vn1_mmio_write32(ctx[i].dev, VN1_IMS, VN1_CAUSE_LSC | VN1_CAUSE_ERR);
	}
	vn1_resources(ctx[0].dev, &r0);
	vn1_resources(ctx[1].dev, &r1);
	cr_expect_eq(r0.line_vector, r1.line_vector, "shared: same vector");
	vn1_mmio_write32(ctx[1].dev, VN1_ICS, VN1_CAUSE_LSC);
	WAIT_UNTIL_MS(atomic_load(&ctx[1].claims) == 1, 10000);
	cr_expect_eq(ctx[1].causes, VN1_CAUSE_LSC);
	cr_expect_eq(atomic_load(&ctx[1].vcpu), 1, "delivered to the line's target");
	vn1_mmio_write32(ctx[0].dev, VN1_ICS, VN1_CAUSE_ERR);
	WAIT_UNTIL_MS(atomic_load(&ctx[0].claims) == 1, 10000);
	cr_expect_eq(ctx[0].causes, VN1_CAUSE_ERR);
	cr_expect_eq(ke_machine_quiesce(h.m, 0), 0);
	cr_expect_not(intc_line_asserted(line));
	intc_line_get_stats(line, &ls);
	cr_expect_eq(ls.assertions, 2);
	cr_expect_eq(ls.reassertions, 0);
	/* Device 1's ISR now claims twice without clearing: the shared line is
	 * still asserted at EOI, so it is taken again, until the cause is read. */
	atomic_store(&ctx[1].lazy, 2);
	vn1_mmio_write32(ctx[1].dev, VN1_ICS, VN1_CAUSE_ERR);
	WAIT_UNTIL_MS(atomic_load(&ctx[1].claims) == 2, 10000);
	cr_expect_eq(ke_machine_quiesce(h.m, 0), 0);
	intc_line_get_stats(line, &ls);
	cr_expect_eq(ls.assertions, 3);
	cr_expect_eq(ls.reassertions, 2);
	cr_expect_eq(ctx[1].causes, VN1_CAUSE_LSC | VN1_CAUSE_ERR);
	cr_expect_not(intc_line_asserted(line));
	for (int i = 0; i < 2; i++)
		ke_interrupt_disconnect(h.m, &intr[i]);
	for (int i = 0; i < 2; i++) {
		vn1_free(h.dev[i]);
		h.dev[i] = NULL;
	}
	intc_line_free(line);
}

/* An ISR that claims without clearing its cause: EOI takes the line again. */
Test(intc, s4_line_still_asserted_after_eoi_is_reasserted)
{
	struct intc_line *line = intc_line_create(ic, 7, 0x1);
	static struct intc_source src;
	static struct ke_interrupt intr;
	static struct isr_ctx ctx;
	struct intc_line_stats ls;

	cr_assert_not_null(line);
	intc_source_init(&src, ic, line);
	ctx.dev = hx_dev_create(&h, 0, intc_source_sink(&src), VN1_IRQ_LINE);
	atomic_store(&ctx.lazy, 3);
	cr_assert_eq(ke_interrupt_init(&intr, line_isr, &ctx, intc_line_vector(line), NULL, 7, 1),
		     0);
	cr_assert_eq(ke_interrupt_connect(h.m, &intr), 0);
	vn1_mmio_write32(ctx.dev, VN1_IMS, VN1_CAUSE_RXQ(0));
	vn1_mmio_write32(ctx.dev, VN1_ICS, VN1_CAUSE_RXQ(0));
	WAIT_UNTIL_MS(atomic_load(&ctx.claims) == 1, 10000);
	cr_expect_eq(ke_machine_quiesce(h.m, 0), 0);
	intc_line_get_stats(line, &ls);
	cr_expect_eq(atomic_load(&ctx.calls), 4, "three lazy ISR runs, then the real one");
	cr_expect_eq(ls.assertions, 1);
	cr_expect_eq(ls.reassertions, 3, "one per EOI that found the line still asserted");
	cr_expect_eq(atomic_load(&ctx.vcpu), 0);
	ke_interrupt_disconnect(h.m, &intr);
	vn1_free(h.dev[0]);
	h.dev[0] = NULL;
	intc_line_free(line);
}

/*
 * Level-triggered delivery is one interrupt per assertion, even when the
 * assertion lands between an ISR's dismissal and that ISR's EOI: the rising
 * edge and the EOI must not both request (an I/O APIC's remote IRR). The
 * test makes that window certain: the first ISR dismisses the line and holds
 * its EOI back until the host has asserted it again; a request the host's
 * edge would make is held (in the interrupt_request hook) until the EOI's
 * request has been delivered. A second request would then run the ISR a
 * third time with the line low, claiming nothing.
 */
static struct intc_line *race_line;
static struct intc_source race_src;
static atomic_uint race_calls, race_claims, race_edge_requests;

static bool race_isr(struct ke_interrupt *intr, void *ctx)
{
	(void)intr;
	(void)ctx;
	atomic_fetch_add(&race_calls, 1);
	if (!atomic_load(&race_src.asserted))
		return false;
	intc_source_set(&race_src, false);
	if (atomic_fetch_add(&race_claims, 1) == 0)
		(void)SPIN_FOR(intc_line_asserted(race_line), HARNESS_WAIT_NS);
	return true;
}

static void race_request(void *ctx, unsigned vector, unsigned vcpu, bool coalesced)
{
	(void)ctx;
	(void)vector;
	(void)vcpu;
	(void)coalesced;
	if (ke_current() || atomic_load(&race_claims) != 1)
		return; /* the EOI's own request, or the first edge */
	atomic_fetch_add(&race_edge_requests, 1);
	(void)SPIN_FOR(atomic_load(&race_claims) == 2, HARNESS_WAIT_NS);
}

Test(intc, s4_one_delivery_per_assertion_even_racing_the_eoi)
{
	static struct ke_interrupt intr;
	static const struct ke_hooks hooks = {.interrupt_request = race_request};
	struct intc_line_stats ls;

	race_line = intc_line_create(ic, 6, 0x2);
	cr_assert_not_null(race_line);
	intc_source_init(&race_src, ic, race_line);
	cr_assert_eq(
	    ke_interrupt_init(&intr, race_isr, NULL, intc_line_vector(race_line), NULL, 6, 2), 0);
	cr_assert_eq(ke_interrupt_connect(h.m, &intr), 0);
	cr_assert_eq(ke_hooks_add(h.m, &hooks), 0);
	intc_source_set(&race_src, true);
	WAIT_UNTIL(atomic_load(&race_claims) == 1 && !atomic_load(&race_src.asserted));
	intc_source_set(&race_src, true); /* while the first ISR holds its EOI */
	WAIT_UNTIL(atomic_load(&race_claims) == 2);
	cr_expect_eq(ke_machine_quiesce(h.m, 10000), 0);
	cr_assert_eq(ke_hooks_remove(h.m, &hooks), 0);
	intc_line_get_stats(race_line, &ls);
	cr_expect_eq(atomic_load(&race_calls), 2,
		     "%u ISR calls for 2 assertions: the second was requested by its edge and "
		     "by the EOI (%u edge request(s))",
		     atomic_load(&race_calls), atomic_load(&race_edge_requests));
	cr_expect_eq(ls.assertions, 2);
	cr_expect_eq(ls.reassertions, 1, "the EOI found the line high and requested it");
	ke_interrupt_disconnect(h.m, &intr);
	intc_line_free(race_line);
}

/* A stuck line storms, visibly, until the host clears it. */
Test(intc, s8_stuck_line_storm_is_visible)
{
	struct intc_line *line = intc_line_create(ic, 4, 0x2);
	static struct intc_source src;
	static struct ke_interrupt intr;
	static struct isr_ctx ctx;
	struct intc_line_stats ls;

	cr_assert_not_null(line);
	intc_source_init(&src, ic, line);
	ctx.dev = hx_dev_create(&h, 0, intc_source_sink(&src), VN1_IRQ_LINE);
	cr_assert_eq(ke_interrupt_init(&intr, line_isr, &ctx, intc_line_vector(line), NULL, 4, 2),
		     0);
	cr_assert_eq(ke_interrupt_connect(h.m, &intr), 0);
	vn1_host_set_stuck_line(ctx.dev, true);
	WAIT_UNTIL_MS(atomic_load(&ctx.calls) >= 200, 20000);
	vn1_host_set_stuck_line(ctx.dev, false);
	cr_expect_eq(ke_machine_quiesce(h.m, 0), 0);
	intc_line_get_stats(line, &ls);
	cr_expect_geq(ls.reassertions, 199);
	cr_expect_eq(atomic_load(&ctx.calls), ls.assertions + ls.reassertions);
	cr_expect_eq(atomic_load(&ctx.claims), 0, "nothing to claim: every call was spurious");
	ke_interrupt_disconnect(h.m, &intr);
	vn1_free(h.dev[0]);
	h.dev[0] = NULL;
	intc_line_free(line);
}

static bool msg_isr(struct ke_interrupt *intr, void *ctx)
{
	struct isr_ctx *c = ctx;

	(void)intr;
	atomic_store(&c->vcpu, (int)ke_current_number());
	/* Message mode: the message says whose it is; ICR was auto-cleared. */
	atomic_fetch_add(&c->calls, 1);
	return true;
}

Test(intc, s9_msix_message_reaches_its_vcpu)
{
	static struct intc_source src;
	static struct ke_interrupt intr[2];
	static struct isr_ctx ctx[2];
	struct intc_stats st;
	struct vn1 *dev;

	intc_source_init(&src, ic, NULL);
	dev = hx_dev_create(&h, 0, intc_source_sink(&src), VN1_IRQ_MSIX);
	for (unsigned m = 0; m < 2; m++) {
		int vec = ke_vector_alloc(h.m, (ke_irql_t)(6 + m));
		uint64_t addr;
		uint32_t data;

		cr_assert_geq(vec, 0);
		ctx[m].dev = dev;
		cr_assert_eq(intc_msi_compose(ic, (unsigned)vec, 1 - m, &addr, &data), 0);
		cr_expect_eq(addr, 0xFEE00000u | ((1 - m) << 12));
		cr_expect_eq(data, (uint32_t)vec);
		cr_assert_eq(ke_interrupt_init(&intr[m], msg_isr, &ctx[m], (unsigned)vec, NULL,
					       (ke_irql_t)(6 + m), 3),
			     0);
		cr_assert_eq(ke_interrupt_connect(h.m, &intr[m]), 0);
		vn1_msix_program(dev, m, addr, data);
		vn1_msix_set_masked(dev, m, false);
	}
	vn1_msix_set_enabled(dev, true);
	vn1_mmio_write32(dev, VN1_IMODE, VN1_IMODE_MSIX);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 0, VN1_IVAR_VALID | 0);
	vn1_mmio_write32(dev, VN1_IVAR0 + 4 * 8, VN1_IVAR_VALID | 1);
	vn1_mmio_write32(dev, VN1_IMS, VN1_CAUSE_RXQ(0) | VN1_CAUSE_TXQ(0));
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_RXQ(0));
	WAIT_UNTIL_MS(atomic_load(&ctx[0].calls) == 1, 10000);
	cr_expect_eq(atomic_load(&ctx[0].vcpu), 1);
	vn1_mmio_write32(dev, VN1_ICS, VN1_CAUSE_TXQ(0));
	WAIT_UNTIL_MS(atomic_load(&ctx[1].calls) == 1, 10000);
	cr_expect_eq(atomic_load(&ctx[1].vcpu), 0);
	cr_expect_eq(ke_machine_quiesce(h.m, 0), 0);
	intc_get_stats(ic, &st);
	cr_expect_eq(st.msi_delivered, 2);
	cr_expect_eq(st.msi_rejected, 0);
	/* An unprogrammed (address 0) entry decodes to nothing: counted. */
	vn1_msix_set_masked(dev, 5, false);
	vn1_host_inject_spurious(dev, 5);
	intc_get_stats(ic, &st);
	cr_expect_eq(st.msi_rejected, 1);
	for (unsigned m = 0; m < 2; m++) {
		ke_interrupt_disconnect(h.m, &intr[m]);
		ke_vector_free(h.m, intr[m].vector);
	}
}

Test(intc, s9_bad_msi_writes_rejected_and_counted)
{
	struct intc_stats st;
	uint64_t a;
	uint32_t d;
	int vec = ke_vector_alloc(h.m, 5);

	cr_assert_geq(vec, 0);
	cr_expect_eq(intc_msi_compose(ic, (unsigned)vec, 2, &a, &d), -EINVAL, "no vCPU 2");
	cr_expect_eq(intc_msi_compose(ic, 0x2F, 0, &a, &d), -EINVAL, "DISPATCH-level vector");
	cr_expect_eq(intc_msi_compose(ic, 0xD0, 0, &a, &d), -EINVAL, "CLOCK-level vector");
	cr_expect_eq(intc_msi_write(ic, 0xFED00000u, (uint32_t)vec), -EINVAL, "wrong window");
	cr_expect_eq(intc_msi_write(ic, 0x1FEE00000ULL, (uint32_t)vec), -EINVAL, "above 4G");
	cr_expect_eq(intc_msi_write(ic, 0xFEE05000u, (uint32_t)vec), -EINVAL, "vCPU 5");
	cr_expect_eq(intc_msi_write(ic, 0xFEE00000u, 0x10), -EINVAL, "level 1");
	cr_expect_eq(intc_msi_write(ic, 0xFEE00000u, 0x100 | (uint32_t)vec), -EINVAL,
		     "delivery mode bits");
	intc_get_stats(ic, &st);
	cr_expect_eq(st.msi_rejected, 5);
	cr_expect_eq(st.msi_delivered, 0);
	ke_vector_free(h.m, (unsigned)vec);
	cr_expect_null(intc_line_create(ic, 2, 1), "not a device level");
	cr_expect_null(intc_line_create(ic, 5, 0x4), "no vCPU 2");
}
