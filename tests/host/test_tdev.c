/* SPDX-License-Identifier: MIT */
/*
 * tests/host/test_tdev.c - hosting through the device seam alone: the
 * "tdev" test model (tests/host/tdev.c, hw/device.h only), created by name
 * from the registry, hosted for tdevdrv.so (an NDIS 6.20 test miniport),
 * raises interrupts that must travel device -> MSI-X (or INTx) -> ke ISR ->
 * DPC; the device counts each ISR acknowledge and each DPC.
 */
#include "tests/host/thost.h"
#include "tests/host/tdev.h"

#include <errno.h>

#define TDEVDRV_SO NDISRT_TDRV_DIR "/tdevdrv.so"
#define ROUNDS 50u

/* The environment every test below starts from (Criterion fixtures). */
static struct th t;

static void host_2cpu(void)
{
	th_init(&t, 2);
}

static void host_end(void)
{
	th_fini(&t);
}

static void setup(void)
{
	int rc = hw_device_model_register(&tdev_model);

	cr_assert(rc == 0 || rc == -EEXIST, "hw_device_model_register: %d", rc);
}

TestSuite(host_tdev, .init = setup);

static uint64_t stat(struct hw_device *d, const char *what, unsigned m)
{
	char name[32];
	bool found = false;
	uint64_t v;

	snprintf(name, sizeof(name), "%s.%u", what, m);
	v = hw_device_stat(d, name, &found);
	cr_assert(found, "tdev has no statistic %s", name);
	return v;
}

/* Cause reads the access hook saw (from ISRs, in signal handlers: atomics only). */
static atomic_ulong cause_reads;

static void count_cause_reads(void *ctx, struct hw_device *dev, unsigned bar, uint32_t off,
			      unsigned width, uint64_t value, bool write)
{
	(void)ctx;
	(void)dev;
	(void)value;
	if (bar == 0 && off == TDEV_REG_CAUSE && width == 4 && !write)
		atomic_fetch_add(&cause_reads, 1);
}

/* Raise cause m ROUNDS times for each message, one at a time, and see every ISR and DPC. */
static void raise_and_expect(struct hw_device *d, unsigned nr_msgs)
{
	for (unsigned r = 0; r < ROUNDS; r++) {
		for (unsigned m = 0; m < nr_msgs; m++) {
			tdev_raise(d, m);
			WAIT_UNTIL(stat(d, "dpcs", m) == r + 1);
		}
	}
	for (unsigned m = 0; m < nr_msgs; m++) {
		cr_expect_eq(stat(d, "raised", m), ROUNDS);
		cr_expect_eq(stat(d, "isr_acks", m), ROUNDS, "message %u: every ISR acknowledged",
			     m);
		cr_expect_eq(stat(d, "dpcs", m), ROUNDS, "message %u: every DPC ran", m);
	}
}

Test(host_tdev, msix_interrupts_travel_device_to_isr_to_dpc, .init = host_2cpu, .fini = host_end)
{
	th_load(&t, TDEVDRV_SO);
	th_dev_model(&t, "tdev", 0, HW_IRQ_MSIX, 4, false);
	cr_assert_eq(hw_device_hook_add(t.dev[0], count_cause_reads, NULL), 0);
	th_nic(&t, 0, NDISRT_IRQ_MSIX, 4, 0);
	raise_and_expect(t.dev[0], 4);
	for (unsigned m = 0; m < 4; m++) {
		cr_expect_eq(stat(t.dev[0], "msgs_sent", m), ROUNDS, "sent as MSI-X messages");
		cr_expect_eq(stat(t.dev[0], "msgs_pended", m), 0);
	}
	cr_expect_geq(atomic_load(&cause_reads), 4 * ROUNDS, "the access hook saw the ISRs' reads");
}

Test(host_tdev, line_interrupts_travel_device_to_isr_to_dpc, .init = host_2cpu, .fini = host_end)
{
	th_load(&t, TDEVDRV_SO);
	th_dev_model(&t, "tdev", 0, HW_IRQ_LINE, 0, false);
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
	raise_and_expect(t.dev[0], 1);
	cr_expect_eq(hw_device_stat(t.dev[0], "line_assertions", NULL), ROUNDS);
}

/* A dropped message is lost; the next one carries both causes' worth of work. */
Test(host_tdev, dropped_message_fault_knob_loses_one_signal, .init = host_2cpu, .fini = host_end)
{
	th_load(&t, TDEVDRV_SO);
	th_dev_model(&t, "tdev", 0, HW_IRQ_MSIX, 2, false);
	th_nic(&t, 0, NDISRT_IRQ_MSIX, 2, 0);
	cr_assert_eq(hw_dev_fault(t.dev[0], HW_FAULT_DROP_MSG, 1), 0);
	tdev_raise(t.dev[0], 1);
	cr_expect_eq(hw_device_stat(t.dev[0], "dropped", NULL), 1);
	tdev_raise(t.dev[0], 1);
	WAIT_UNTIL(stat(t.dev[0], "dpcs", 1) == 1);
	cr_expect_eq(stat(t.dev[0], "isr_acks", 1), 1, "one ISR took the cause");
	cr_expect_eq(hw_dev_fault(t.dev[0], HW_FAULT_LINK, 0), -EOPNOTSUPP, "tdev has no link");
}

/* A recording sink: what the device signals when hosting does not own it. */
struct rec {
	atomic_uint msi, rises;
};

static void rec_line_set(void *ctx, bool asserted)
{
	if (asserted)
		atomic_fetch_add(&((struct rec *)ctx)->rises, 1);
}

static void rec_msi_write(void *ctx, uint64_t addr, uint32_t data)
{
	(void)addr;
	(void)data;
	atomic_fetch_add(&((struct rec *)ctx)->msi, 1);
}

static const struct hw_irq_sink_ops rec_ops = {.line_set = rec_line_set,
					       .msi_write = rec_msi_write};

/* Hosting owns the pin from start to halt; the halt gives back what the caller attached. */
Test(host_tdev, halt_gives_back_the_callers_interrupt_sink, .init = host_2cpu, .fini = host_end)
{
	struct rec rec = {0};

	th_load(&t, TDEVDRV_SO);
	th_dev_model(&t, "tdev", 0, HW_IRQ_LINE, 0, false);
	hw_dev_set_sink(t.dev[0], (struct hw_irq_sink){.ops = &rec_ops, .ctx = &rec});
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
	cr_expect_neq(hw_dev_sink(t.dev[0]).ctx, &rec, "hosting took the pin");
	tdev_raise(t.dev[0], 0);
	WAIT_UNTIL(stat(t.dev[0], "dpcs", 0) == 1);
	cr_expect_eq(atomic_load(&rec.rises), 0, "the caller's sink saw nothing while hosted");
	ndisrt_nic_halt(t.nic[0]);
	t.nic[0] = NULL;
	cr_expect_eq(hw_dev_sink(t.dev[0]).ctx, &rec, "the halt gave the pin back");
	cr_expect_eq(hw_dev_sink(t.dev[0]).ops, &rec_ops);
	tdev_raise(t.dev[0], 0);
	cr_expect_eq(atomic_load(&rec.rises), 1, "the caller's sink hears the device again");
}
