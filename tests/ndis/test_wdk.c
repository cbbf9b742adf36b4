/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_wdk.c - runs the WDK-style sample miniport of wdk/ (built
 * with -I include only, against <ndis.h>) on an emulated machine, playing
 * its device.
 */
#include "tests/harness.h"

#include <pthread.h>

#include "hw/intc.h"
#include "ndisrt/ndis.h"
#include "tests/ndis/wdk/sample.h"

#define ROUNDS 50
#define FRAMES 20 /* per round and queue; at 8 per DPC: 3 DPC runs */

static SAMPLE_REGISTERS regs;
static SAMPLE_ADAPTER adapter;
static BOOLEAN use_msi;

static int sample_initialize(void *handle, void *ctx)
{
	return SampleSetAttributesAndRegisterInterrupt(handle, ctx, use_msi);
}

static void sample_halt(void *handle, void *ctx)
{
	(void)handle;
	SampleDeregisterInterrupt(ctx);
}

static struct ndisrt_adapter *start(struct ke_machine *m, struct intc *ic, struct intc_line *line,
				    unsigned nr_messages)
{
	struct ndisrt_adapter_config cfg;
	struct ndisrt_adapter *a;

	ndisrt_adapter_config_init(&cfg, ic);
	cfg.line = line;
	cfg.nr_messages = nr_messages;
	cfg.max_nbls_to_indicate = 8;
	a = ndisrt_adapter_create(m, &cfg);
	cr_assert_not_null(a);
	memset(&adapter, 0, sizeof(adapter));
	memset(&regs, 0, sizeof(regs));
	adapter.Registers = &regs;
	use_msi = nr_messages != 0;
	cr_assert_eq(ndisrt_adapter_initialize(a, 0, sample_initialize, &adapter),
		     NDIS_STATUS_SUCCESS);
	return a;
}

Test(ndis_wdk, sample_miniport_message_path_runs)
{
	struct ke_machine *m = harness_machine(2);
	struct intc *ic = intc_create(m);
	struct ndisrt_adapter *a = start(m, ic, NULL, 2);

	cr_assert_eq(adapter.InterruptType, NDIS_CONNECT_MESSAGE_BASED);
	cr_assert_eq(adapter.MessageInfo->MessageCount, 2);
	for (unsigned r = 0; r < ROUNDS; r++) {
		for (unsigned q = 0; q < 2; q++) {
			uint64_t addr;
			uint32_t data;

			/* The device: a new batch once the last one was consumed and
			 * the message is unmasked again. */
			WAIT_UNTIL(
			    !(__atomic_load_n(&regs.MessageMask, __ATOMIC_SEQ_CST) & (1u << q)) &&
			    __atomic_load_n(&regs.RxPending[q], __ATOMIC_SEQ_CST) == 0 &&
			    __atomic_load_n(&regs.Cause[q], __ATOMIC_SEQ_CST) == 0);
			__atomic_store_n(&regs.RxPending[q], FRAMES, __ATOMIC_SEQ_CST);
			__atomic_store_n(&regs.Cause[q], SAMPLE_CAUSE_RX, __ATOMIC_SEQ_CST);
			cr_assert_eq(ndisrt_adapter_message_address(a, q, &addr, &data), 0);
			cr_assert_eq(intc_msi_write(ic, addr, data), 0);
		}
	}
	WAIT_UNTIL(__atomic_load_n(&adapter.Indicated[0], __ATOMIC_SEQ_CST) +
		       __atomic_load_n(&adapter.Indicated[1], __ATOMIC_SEQ_CST) ==
		   2 * ROUNDS * FRAMES);
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	for (unsigned q = 0; q < 2; q++) {
		cr_assert_eq(adapter.Indicated[q], ROUNDS * FRAMES);
		cr_assert_eq(adapter.DpcCount[q], ROUNDS * 3);
	}
	cr_assert_leq(adapter.MaxIndicatedPerDpc, 8);
	cr_assert_eq(regs.MessageMask, 0, "the last DPC of each batch unmasks its message");
	/* NDIS's diagnostic call reaches the driver's handler. */
	cr_assert_eq(ndisrt_adapter_disable_interrupt(a, 1), 0);
	cr_assert_eq(regs.MessageMask, 0x2);
	cr_assert_eq(adapter.DiagnosticCalls, 1);
	ndisrt_adapter_halt(a, 0, sample_halt, &adapter, false);
	cr_assert_eq(ndisrt_adapter_free(a), 0);
	intc_free(ic);
	harness_end(m);
}

/*
 * The line path: a level-triggered INTx line. The device drops the line once
 * the ISR cleared its cause register (a device model would do that on the
 * register write; here a thread watches the register). Until it does, the
 * line is taken again and the ISR, seeing no cause, says "not mine".
 */
static struct intc_source src;
static atomic_bool device_stop;

static void *line_device(void *arg)
{
	(void)arg;
	while (!atomic_load(&device_stop)) {
		if (atomic_load(&src.asserted) &&
		    __atomic_load_n(&regs.Cause[0], __ATOMIC_SEQ_CST) == 0)
			intc_source_set(&src, false);
		sched_yield();
	}
	return NULL;
}

Test(ndis_wdk, sample_miniport_line_path_runs)
{
	struct ke_machine *m = harness_machine(2);
	struct intc *ic = intc_create(m);
	struct intc_line *line = intc_line_create(ic, 6, 2);
	struct ndisrt_adapter *a;
	pthread_t dev;

	intc_source_init(&src, ic, line);
	a = start(m, ic, line, 0);
	cr_assert_eq(adapter.InterruptType, NDIS_CONNECT_LINE_BASED);
	cr_assert_null(adapter.MessageInfo);
	cr_assert_eq(pthread_create(&dev, NULL, line_device, NULL), 0);
	for (unsigned r = 0; r < ROUNDS; r++) {
		WAIT_UNTIL(__atomic_load_n(&regs.LineMask, __ATOMIC_SEQ_CST) == 0 &&
			   __atomic_load_n(&regs.RxPending[0], __ATOMIC_SEQ_CST) == 0 &&
			   !atomic_load(&src.asserted));
		__atomic_store_n(&regs.RxPending[0], FRAMES, __ATOMIC_SEQ_CST);
		__atomic_store_n(&regs.Cause[0], SAMPLE_CAUSE_RX, __ATOMIC_SEQ_CST);
		intc_source_set(&src, true);
	}
	WAIT_UNTIL(__atomic_load_n(&adapter.Indicated[0], __ATOMIC_SEQ_CST) == ROUNDS * FRAMES);
	atomic_store(&device_stop, true);
	pthread_join(dev, NULL);
	cr_assert_eq(ke_machine_quiesce(m, 30000), 0);
	cr_assert_eq(adapter.DpcCount[0], ROUNDS * 3);
	cr_assert_leq(adapter.MaxIndicatedPerDpc, 8);
	ndisrt_adapter_halt(a, 1, sample_halt, &adapter, false);
	cr_assert_eq(ndisrt_adapter_free(a), 0);
	intc_line_free(line);
	intc_free(ic);
	harness_end(m);
}
