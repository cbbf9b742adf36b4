/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_isr.c - the NDIS 5 interrupt model, rules L1-L10 of
 * spec §20 (each test is named after the rule it would catch broken).
 */
#include "tests/ndis5/tndis5.h"

#include <pthread.h>

#include "verifier/vfy.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

/* The environment every test below starts from (Criterion fixtures). */
static struct t5env e;

static void env_1cpu(void)
{
	t5env_init(&e, 1, 0);
}

static void env_2cpu_irq_on_1(void)
{
	t5env_init(&e, 2, 0x2);
}

static void env_end(void)
{
	t5env_end(&e);
}

/* --------------------------------------------------------------- L1 */

static void register_again(struct t5 *t)
{
	NDIS_MINIPORT_INTERRUPT other;
	UINT v = intc_line_vector(t->src.line);

	NdisMRegisterInterrupt(&other, t->handle, v, v, TRUE, TRUE, NdisInterruptLevelSensitive);
}

Test(ndis5_isr, L1_register_outside_initialize_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t.in_halt = register_again;
	t5_start(&e, &t, 0);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_NOT_IN_INITIALIZE, 0, 0,
			NDISRT_NDIS5_DDI_REGISTER_INTERRUPT);
	t5_stop(&t);
}

Test(ndis5_isr, L1_register_before_set_attributes_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t.skip_attributes = true;
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_NO_ATTRIBUTES, 0, 0,
			NDISRT_NDIS5_DDI_REGISTER_INTERRUPT);
	t5_start(&e, &t, 0);
}

static void raise_then_register(struct t5 *t)
{
	KIRQL old;

	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	register_again(t);
}

Test(ndis5_isr, L1_register_at_dispatch_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t.skip_register = true;
	t.in_init = raise_then_register;
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_IRQL, 0, 0, NDISRT_NDIS5_DDI_REGISTER_INTERRUPT);
	t5_start(&e, &t, 0);
}

Test(ndis5_isr, L1_register_fills_the_interrupt_object_drivers_see, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t5_start(&e, &t, 0);
	cr_assert_eq(t.register_status, NDIS_STATUS_SUCCESS);
	cr_assert_not_null(t.intr.InterruptObject, "InterruptObject is set on success");
	cr_assert_eq(t.intr.SharedInterrupt, TRUE);
	cr_assert_eq(t.intr.IsrRequested, TRUE);
	/* A driver may clear InterruptObject; the runtime does not depend on it. */
	t.intr.InterruptObject = NULL;
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.dpc_calls) == 1);
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L1_shared_or_request_isr_without_isr_handler_fails)
{
	struct t5env env;
	struct t5 t;

	t5_opts.no_isr = true;
	t5env_init(&env, 1, 0);
	t5_init(&t, 0);
	t.request_isr = FALSE; /* shared alone needs the ISR */
	cr_assert_neq(t5_try_start(&env, &t, 0), 0);
	cr_assert_eq(t.register_status, NDIS_STATUS_FAILURE);
	t5env_end(&env);
}

Test(ndis5_isr, L1_exclusive_claim_conflicts_with_any_other_registration, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 a, b, c, d;

	t5_init(&a, 0);
	a.shared = FALSE;
	t5_start(&e, &a, 0);
	t5_init(&b, 1);
	cr_assert_neq(t5_try_start(&e, &b, 0), 0);
	cr_assert_eq(b.register_status, NDIS_STATUS_RESOURCE_CONFLICT, "shared after exclusive");
	t5_stop(&a);
	/* Shared + shared is fine; exclusive after shared conflicts. */
	t5_init(&c, 2);
	t5_start(&e, &c, 0);
	t5_init(&d, 3);
	d.shared = FALSE;
	cr_assert_neq(t5_try_start(&e, &d, 0), 0);
	cr_assert_eq(d.register_status, NDIS_STATUS_RESOURCE_CONFLICT, "exclusive after shared");
	t5_stop(&c);
}

Test(ndis5_isr, L1_wrong_vector_or_latched_mode_fails, .init = env_1cpu, .fini = env_end)
{
	struct t5 t, u;

	t5_init(&t, 0);
	t.vector_override = intc_line_vector(e.line) + 1;
	cr_assert_neq(t5_try_start(&e, &t, 0), 0);
	cr_assert_eq(t.register_status, NDIS_STATUS_FAILURE);
	t5_init(&u, 1);
	u.mode = NdisInterruptLatched;
	cr_assert_neq(t5_try_start(&e, &u, 0), 0);
	cr_assert_eq(u.register_status, NDIS_STATUS_FAILURE, "VN-1's INTx is level-sensitive");
}

/* --------------------------------------------------------------- L2 */

Test(ndis5_isr, L2_request_isr_calls_isr_not_disable, .init = env_1cpu, .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.shared = FALSE;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.dpc_calls) == 1);
	cr_assert_eq(atomic_load(&t.isr_calls), 1);
	cr_assert_eq(atomic_load(&t.disable_calls), 0);
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L2_without_request_isr_calls_disable_instead_of_isr, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.request_isr = FALSE;
	t.shared = FALSE;
	t5_start(&e, &t, 0);
	for (int i = 0; i < 3; i++) {
		t5_fire(&t);
		WAIT_UNTIL(atomic_load(&t.enable_calls) == (unsigned long)i + 1);
	}
	cr_assert_eq(atomic_load(&t.isr_calls), 0, "MiniportISR called with RequestIsr FALSE");
	cr_assert_eq(atomic_load(&t.disable_calls), 3);
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L2_shared_line_calls_isr_even_without_request_isr, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.request_isr = FALSE;
	t.shared = TRUE;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.dpc_calls) == 1);
	cr_assert_eq(atomic_load(&t.isr_calls), 1);
	cr_assert_eq(atomic_load(&t.disable_calls), 0);
	t5_stop(&t);
	t5_assert_good(&t);
}

static void fire_and_wait_isr(struct t5 *t)
{
	unsigned long before = atomic_load(&t->isr_calls);

	t5_fire(t);
	t5check(t, SPIN_UNTIL(atomic_load(&t->isr_calls) > before), "no ISR in init/halt");
}

Test(ndis5_isr, L2_interrupt_during_initialize_and_halt_calls_isr_regardless_of_request_isr,
     .init = env_2cpu_irq_on_1, .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.request_isr = FALSE;
	t.shared = FALSE;
	t.in_init = fire_and_wait_isr;
	t.in_halt = fire_and_wait_isr;
	t5_start(&e, &t, 0);
	cr_assert_eq(atomic_load(&t.isr_calls), 1);
	cr_assert_eq(atomic_load(&t.disable_calls), 0);
	t5_stop(&t);
	cr_assert_eq(atomic_load(&t.isr_calls), 2);
	cr_assert_eq(atomic_load(&t.disable_calls), 0);
	t5_assert_good(&t);
}

/* --------------------------------------------------------------- L3 */

static void isr_recognize_no_queue(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	intc_source_set(&t->src, false);
	*recognized = TRUE;
	*queue = FALSE;
}

static void isr_not_mine_but_queue(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	intc_source_set(&t->src, false);
	*recognized = FALSE;
	*queue = TRUE;
}

Test(ndis5_isr, L3_recognized_and_queue_runs_handle_interrupt, .init = env_1cpu, .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.dpc_calls) == 1);
	cr_assert_lt(t5_find(EV_ISR, 0, 0), t5_find(EV_DPC_START, 0, 0));
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L3_recognized_without_queue_runs_nothing, .init = env_1cpu, .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.isr = isr_recognize_no_queue;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.isr_calls) == 1);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&t.dpc_calls), 0);
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L3_not_recognized_runs_nothing_whatever_queue_says, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.isr = isr_not_mine_but_queue;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.isr_calls) == 1);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&t.dpc_calls), 0, "C-18: queue iff recognized and asked for");
	cr_assert_eq(t5_stats(&t).dpc_requests, 0);
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L3_disable_path_always_queues_handle_interrupt_after_disable, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;
	int dis, dpc, en;

	t5_init(&t, 0);
	t.request_isr = FALSE;
	t.shared = FALSE;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.enable_calls) == 1);
	dis = t5_find(EV_DISABLE, 0, 0);
	dpc = t5_find(EV_DPC_START, 0, 0);
	en = t5_find(EV_ENABLE, 0, 0);
	cr_assert(dis >= 0 && dis < dpc && dpc < en, "order disable %d, dpc %d, enable %d", dis,
		  dpc, en);
	cr_assert_eq(atomic_load(&t.dpc_calls), 1);
	t5_stop(&t);
	t5_assert_good(&t);
}

/* An ISR that writes only *InterruptRecognized. */
static void isr_half(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	(void)queue;
	intc_source_set(&t->src, false);
	*recognized = TRUE;
}

Test(ndis5_isr, L3_isr_leaving_an_output_unset_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t.isr = isr_half;
	t5_start(&e, &t, 0);
	expect_bugcheck(C4, 0x5, NDISRT_VIOLATION_ISR_OUTPUT, 0, 2, 0);
	t5_fire(&t);
	WAIT_UNTIL(false);
}

/* --------------------------------------------------------------- L4 */

Test(ndis5_isr, L4_no_handle_interrupt_while_initialize_runs, .init = env_1cpu, .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.in_init = fire_and_wait_isr;
	t5_start(&e, &t, 0);
	cr_assert_eq(atomic_load(&t.isr_calls), 1);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	/* Windows drops it rather than queueing it after initialize (docs/ndis5.md). */
	cr_assert_eq(atomic_load(&t.dpc_calls), 0);
	cr_assert_eq(t5_stats(&t).dpc_suppressed, 1);
	t5_stop(&t);
	t5_assert_good(&t); /* HandleInterrupt never saw in_init */
}

static atomic_uint l4_release;

static void dpc_wait_release(struct t5 *t)
{
	(void)t;
	while (!atomic_load(&l4_release))
		__builtin_ia32_pause();
}

static void *halt_thread(void *arg)
{
	t5_stop(arg);
	return NULL;
}

Test(ndis5_isr, L4_halt_waits_for_a_running_handle_interrupt_and_queues_none,
     .init = env_2cpu_irq_on_1, .fini = env_end)
{
	struct t5 t;
	pthread_t th;

	/* interrupts on vCPU 1, halt on vCPU 0 */
	t5_init(&t, 0);
	t.dpc = dpc_wait_release;
	t.in_halt = fire_and_wait_isr;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.in_dpc) == 1);
	cr_assert_eq(pthread_create(&th, NULL, halt_thread, &t), 0);
	/* MiniportHalt must not start while HandleInterrupt runs. */
	cr_assert_not(SPIN_FOR(atomic_load(&t.running_halt) != 0, T5_WINDOW_NS));
	atomic_store(&l4_release, 1);
	pthread_join(th, NULL);
	cr_assert_eq(atomic_load(&t.dpc_calls), 1, "the interrupt during halt queued nothing");
	cr_assert_eq(atomic_load(&t.isr_calls), 2);
	t5_assert_good(&t);
}

/* --------------------------------------------------------------- L5 */

Test(ndis5_isr, L5_enable_interrupt_after_handle_interrupt_at_dispatch_same_vcpu,
     .init = env_2cpu_irq_on_1, .fini = env_end)
{
	struct t5 t;
	int end, en;

	t5_init(&t, 0);
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.enable_calls) == 1);
	end = t5_find(EV_DPC_END, 0, 0);
	en = t5_find(EV_ENABLE, 0, 0);
	cr_assert(end >= 0 && en > end, "enable %d after handle-interrupt end %d", en, end);
	cr_assert_eq(t5_evs[en].irql, DISPATCH_LEVEL);
	cr_assert_eq(t5_evs[en].vcpu, t5_evs[end].vcpu);
	t5_stop(&t);
	t5_assert_good(&t);
}

static atomic_uint l5_once;

/* In MiniportEnableInterrupt: a new interrupt must be able to preempt it. */
static void enable_fires(struct t5 *t)
{
	unsigned long before;

	if (atomic_exchange(&l5_once, 1))
		return;
	before = atomic_load(&t->isr_calls);
	t5_fire(t);
	t5check(t, SPIN_UNTIL(atomic_load(&t->isr_calls) > before),
		"MiniportISR could not preempt MiniportEnableInterrupt");
}

Test(ndis5_isr, L5_enable_interrupt_is_preemptible_by_the_isr, .init = env_1cpu, .fini = env_end)
{
	struct t5 t;

	/* same vCPU: only preemption lets the ISR in */
	t5_init(&t, 0);
	t.enable = enable_fires;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.enable_calls) == 2);
	cr_assert_eq(atomic_load(&t.isr_calls), 2);
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L5_no_enable_handler_no_call)
{
	struct t5env env;
	struct t5 t;

	t5_opts.no_enable = true;
	t5env_init(&env, 1, 0);
	t5_init(&t, 0);
	t5_start(&env, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.dpc_calls) == 1);
	cr_assert_eq(ke_machine_quiesce(env.m, 30000), 0);
	cr_assert_eq(t5_stats(&t).enables, 0);
	t5_stop(&t);
	t5_assert_good(&t);
	t5env_end(&env);
}

/* --------------------------------------------------------------- L6 */

static atomic_uint l6_release;
static atomic_uint l6_isr_during_dpc;

static void dpc_wait_l6(struct t5 *t)
{
	(void)t;
	while (!atomic_load(&l6_release))
		__builtin_ia32_pause();
}

static void isr_note_dpc(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	if (atomic_load(&t->in_dpc))
		atomic_fetch_add(&l6_isr_during_dpc, 1);
	t5_default_isr(t, recognized, queue);
}

/*
 * The ISR dismisses the line and the test asserts it again at once, so an
 * assertion often lands between an ISR's dismissal and its EOI: the line's
 * remote IRR (hw/intc.c) makes that one interrupt, not two (a second, empty
 * ISR call would break the counts below).
 */
Test(ndis5_isr, L6_one_handle_interrupt_covers_several_interrupts_and_isr_runs_during_it,
     .init = env_2cpu_irq_on_1, .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.dpc = dpc_wait_l6;
	t.isr = isr_note_dpc;
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.in_dpc) == 1);
	for (unsigned long i = 2; i <= 4; i++) {
		t5_fire(&t);
		/*
		 * The ISR counts itself before it dismisses the line: wait for
		 * both, or the next fire could find the line still high and
		 * merge into this interrupt (a lost edge, not an NDIS bug).
		 */
		WAIT_UNTIL(atomic_load(&t.isr_calls) == i && !atomic_load(&t.src.asserted));
	}
	atomic_store(&l6_release, 1);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&t.isr_calls), 4);
	/* The three interrupts during the first DPC share one more DPC. */
	cr_assert_eq(atomic_load(&t.dpc_calls), 2,
		     "one HandleInterrupt per interrupt is not NDIS 5");
	cr_assert_eq(t5_stats(&t).dpc_coalesced, 2);
	cr_assert_eq(atomic_load(&l6_isr_during_dpc), 3, "ISR preempts HandleInterrupt (SMP)");
	t5_stop(&t);
	t5_assert_good(&t);
}

/* --------------------------------------------------------------- L7 */

static void send_fires_and_waits(struct t5 *t)
{
	t5_fire(t);
	t5check(t, SPIN_UNTIL(atomic_load(&t->isr_calls) == 1), "no ISR during send");
	if (t->deserialize)
		t5check(t, SPIN_UNTIL(atomic_load(&t->dpc_calls) == 1),
			"deserialized: HandleInterrupt did not run during MiniportSend");
	else
		t5check(t, !SPIN_FOR(atomic_load(&t->dpc_calls) != 0, T5_WINDOW_NS),
			"serialized: HandleInterrupt ran during MiniportSend");
}

static void run_send(struct t5env *env, struct t5 *t)
{
	static const uint8_t frame[64] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const void *frames[1] = {frame};
	size_t lens[1] = {sizeof(frame)};

	(void)env;
	cr_assert_eq(ndisrt_ndis5_nic_send(t->nic, 0, frames, lens, 1), 1);
}

Test(ndis5_isr, L7_serialized_miniport_handle_interrupt_never_overlaps_send,
     .init = env_2cpu_irq_on_1, .fini = env_end)
{
	struct t5 t;

	/* send on vCPU 0, interrupt and DPC on vCPU 1 */
	t5_init(&t, 0);
	t.send = send_fires_and_waits;
	t5_start(&e, &t, 0);
	run_send(&e, &t);
	WAIT_UNTIL(atomic_load(&t.dpc_calls) == 1);
	cr_assert_eq(t5_stats(&t).send_completed, 1);
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L7_deserialized_miniport_handle_interrupt_may_run_during_send,
     .init = env_2cpu_irq_on_1, .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.deserialize = true;
	t.send = send_fires_and_waits;
	t5_start(&e, &t, 0);
	run_send(&e, &t);
	WAIT_UNTIL(atomic_load(&t.dpc_calls) == 1);
	t5_stop(&t);
	t5_assert_good(&t);
}

/* --------------------------------------------------------------- L8 */

struct l8_call {
	struct t5 *t;
	bool result_wanted;
	BOOLEAN result;
	KIRQL irql_in;
	bool isr_got_in;
};

static BOOLEAN l8_sync(PVOID ctx)
{
	struct l8_call *c = ctx;
	struct t5 *t = c->t;
	unsigned long before = atomic_load(&t->isr_calls) + atomic_load(&t->disable_calls);

	c->irql_in = ke_irql_current();
	atomic_store(&t->in_sync, 1);
	t5_fire(t);
	/* The ISR (or MiniportDisableInterrupt) is now pending on vCPU 1: it must wait. */
	c->isr_got_in = SPIN_FOR(
	    atomic_load(&t->isr_calls) + atomic_load(&t->disable_calls) != before, T5_WINDOW_NS);
	atomic_store(&t->in_sync, 0);
	return c->result_wanted;
}

static void l8_call_sync(void *arg)
{
	struct l8_call *c = arg;

	c->result = NdisMSynchronizeWithInterrupt(&c->t->intr, (PVOID)l8_sync, c);
}

static void l8_check_not_in_sync(struct t5 *t)
{
	t5check(t, !atomic_load(&t->in_sync), "DIRQL routine ran inside MiniportSynchronizeISR");
}

static void l8_isr(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	l8_check_not_in_sync(t);
	t5_default_isr(t, recognized, queue);
}

static void l8_run(bool request_isr)
{
	struct t5env env;
	struct t5 t;
	struct l8_call c;

	t5env_init(&env, 2, 0x2);
	t5_init(&t, 0);
	t.request_isr = request_isr;
	t.shared = FALSE;
	t.isr = l8_isr;
	t.disable = l8_check_not_in_sync;
	t5_start(&env, &t, 0);
	for (int r = 0; r < 2; r++) {
		c = (struct l8_call){.t = &t, .result_wanted = r == 0};
		t5_on_vcpu(&env, 0, l8_call_sync, &c);
		cr_assert_not(c.isr_got_in, "the interrupt's routine ran during the sync routine");
		cr_assert_eq(c.result, r == 0 ? TRUE : FALSE, "the routine's BOOLEAN is returned");
		cr_assert_eq(c.irql_in, T5_LINE_IRQL, "MiniportSynchronizeISR runs at DIRQL");
		WAIT_UNTIL(atomic_load(&t.dpc_calls) == (unsigned long)r + 1);
	}
	cr_assert_eq(request_isr ? atomic_load(&t.isr_calls) : atomic_load(&t.disable_calls), 2);
	cr_assert_eq(t5_stats(&t).syncs, 2);
	t5_stop(&t);
	t5_assert_good(&t);
	t5env_end(&env);
}

Test(ndis5_isr, L8_synchronize_excludes_isr_and_returns_the_routines_boolean)
{
	l8_run(true);
}

Test(ndis5_isr, L8_synchronize_excludes_disable_interrupt)
{
	l8_run(false);
}

static BOOLEAN l8_nop(PVOID ctx)
{
	(void)ctx;
	return TRUE;
}

static void l8_sync_at_high(void *arg)
{
	struct t5 *t = arg;

	ke_irql_raise(KE_HIGH_LEVEL);
	NdisMSynchronizeWithInterrupt(&t->intr, (PVOID)l8_nop, NULL);
}

Test(ndis5_isr, L8_synchronize_above_dirql_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t5_start(&e, &t, 0);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_IRQL, 0, 0, NDISRT_NDIS5_DDI_SYNCHRONIZE);
	t5_on_vcpu(&e, 0, l8_sync_at_high, &t);
}

/* --------------------------------------------------------------- L9 */

static void deregister_now(void *arg)
{
	struct t5 *t = arg;

	NdisMDeregisterInterrupt(&t->intr);
}

Test(ndis5_isr, L9_deregister_outside_initialize_and_halt_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct t5 t;

	t5env_init(&env, 1, 0);
	t5_init(&t, 0);
	t5_start(&env, &t, 0);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_DEREGISTER_CONTEXT, 0, 0,
			NDISRT_NDIS5_DDI_DEREGISTER_INTERRUPT);
	t5_on_vcpu(&env, 0, deregister_now, &t);
}

static void raise_and_deregister(struct t5 *t)
{
	KIRQL old;

	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisMDeregisterInterrupt(&t->intr);
}

Test(ndis5_isr, L9_deregister_above_passive_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t.in_halt = raise_and_deregister;
	t5_start(&e, &t, 0);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_IRQL, 0, 0,
			NDISRT_NDIS5_DDI_DEREGISTER_INTERRUPT);
	t5_stop(&t);
}

static void sync_after_dereg(struct t5 *t)
{
	NdisMSynchronizeWithInterrupt(&t->intr, (PVOID)l8_nop, NULL);
}

Test(ndis5_isr, L9_synchronize_after_deregister_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t.after_dereg = sync_after_dereg;
	t5_start(&e, &t, 0);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_STALE_HANDLE, 0, 0, NDISRT_NDIS5_DDI_SYNCHRONIZE);
	t5_stop(&t);
}

static void deregister_twice(struct t5 *t)
{
	NdisMDeregisterInterrupt(&t->intr);
}

Test(ndis5_isr, L9_deregister_twice_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t.after_dereg = deregister_twice;
	t5_start(&e, &t, 0);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_STALE_HANDLE, 0, 0,
			NDISRT_NDIS5_DDI_DEREGISTER_INTERRUPT);
	t5_stop(&t);
}

static void fire_after_dereg(struct t5 *t)
{
	t5_fire(t);
	t5check(t, !SPIN_FOR(atomic_load(&t->isr_calls) != 0, T5_WINDOW_NS),
		"MiniportISR called after NdisMDeregisterInterrupt");
	intc_source_set(&t->src, false);
}

Test(ndis5_isr, L9_nothing_of_the_interrupt_runs_after_deregister, .init = env_2cpu_irq_on_1,
     .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.after_dereg = fire_after_dereg;
	t5_start(&e, &t, 0);
	t5_stop(&t);
	cr_assert_eq(atomic_load(&t.isr_calls), 0);
	cr_assert_eq(atomic_load(&t.dpc_calls), 0);
	t5_assert_good(&t);
}

Test(ndis5_isr, L9_deregister_from_a_failing_initialize_is_allowed, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.fail_init = true;
	t.deregister_on_failure = true;
	cr_assert_neq(t5_try_start(&e, &t, 0), 0);
	t5_assert_good(&t);
}

Test(ndis5_isr, L9_initialize_failing_without_deregister_bugchecks_0x7c_0x0b,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct t5 t;

	t5env_init(&env, 1, 0);
	t5_init(&t, 0);
	t.fail_init = true;
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0x5,
			NDISRT_VIOLATION_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER, 0,
			(uintptr_t)&t.intr, 0);
	t5_try_start(&env, &t, 0);
}

Test(ndis5_isr, L9_halt_without_deregister_bugchecks_0x7c_0x08,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct t5 t;

	t5env_init(&env, 1, 0);
	t5_init(&t, 0);
	t.skip_deregister = true;
	t5_start(&env, &t, 0);
	expect_bugcheck(KE_BUGCHECK_BUGCODE_NDIS_DRIVER, 0x5,
			NDISRT_VIOLATION_HALT_WITHOUT_INTERRUPT_DEREGISTER, 0, (uintptr_t)&t.intr,
			0);
	t5_stop(&t);
}

/* -------------------------------------------------------------- L10 */

static atomic_uint l10_left;

/* Recognizes every call but dismisses the device only when l10_left reaches 0. */
static void isr_late_dismiss(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	if (atomic_fetch_sub(&l10_left, 1) == 1)
		intc_source_set(&t->src, false);
	*recognized = TRUE;
	*queue = TRUE;
}

Test(ndis5_isr, L10_level_interrupt_not_dismissed_is_taken_again, .init = env_1cpu, .fini = env_end)
{
	struct t5 t;
	struct intc_line_stats ls;

	t5_init(&t, 0);
	t.isr = isr_late_dismiss;
	atomic_store(&l10_left, 4);
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.isr_calls) == 4);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&t.isr_calls), 4, "one assertion, four ISR calls");
	intc_line_get_stats(e.line, &ls);
	cr_assert_eq(ls.assertions, 1);
	cr_assert_eq(ls.reassertions, 3, "re-requested at EOI while still asserted");
	t5_stop(&t);
	t5_assert_good(&t);
}

Test(ndis5_isr, L10_shared_line_each_isr_claims_only_its_own, .init = env_1cpu, .fini = env_end)
{
	struct t5 a, b;

	t5_init(&a, 0);
	t5_init(&b, 1);
	t5_start(&e, &a, 0);
	t5_start(&e, &b, 0);
	for (int i = 0; i < 50; i++) {
		t5_fire(i % 2 ? &a : &b);
		WAIT_UNTIL(atomic_load(&a.dpc_calls) + atomic_load(&b.dpc_calls) ==
			   (unsigned long)i + 1);
	}
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(atomic_load(&a.dpc_calls), 25);
	cr_assert_eq(atomic_load(&b.dpc_calls), 25);
	cr_assert_eq(t5_stats(&a).isrs_recognized, 25);
	cr_assert_eq(t5_stats(&b).isrs_recognized, 25);
	t5_stop(&a);
	t5_stop(&b);
	t5_assert_good(&a);
	t5_assert_good(&b);
}

/* ------------------------------------------------- I11, I12 on NDIS 5 */

/* MiniportISR that says "mine" whatever its device's pin says, and dismisses nothing. */
static void isr_claims_everything(struct t5 *t, PBOOLEAN recognized, PBOOLEAN queue)
{
	(void)t;
	*recognized = TRUE;
	*queue = FALSE;
}

/*
 * Another device on the shared line (one without a driver here) asserts it;
 * the NIC's MiniportISR claims every one of those interrupts with its own
 * pin low throughout: the verifier names the ISR (I11).
 */
Test(ndis5_isr, I11_miniport_isr_claiming_interrupts_its_device_did_not_raise_is_reported,
     .init = env_1cpu, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct t5 t;
	static struct intc_source other;

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	t5_init(&t, 0);
	t.isr = isr_claims_everything;
	t5_start(&e, &t, 0);
	intc_source_init(&other, e.ic, e.line);
	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_ISR_FALSE_CLAIM, (uintptr_t)&t.intr, 0, 0);
	intc_source_set(&other, true);
	WAIT_UNTIL(false);
}

/* Guard: two NICs on one line, each MiniportISR claiming only its own, verifier fatal. */
Test(ndis5_isr, I11_miniport_isrs_claiming_only_their_own_on_a_shared_line_run_clean,
     .init = env_1cpu, .fini = env_end)
{
	struct t5 a, b;

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	t5_init(&a, 0);
	t5_init(&b, 1);
	t5_start(&e, &a, 0);
	t5_start(&e, &b, 0);
	for (int i = 0; i < 300; i++) {
		t5_fire(i % 2 ? &a : &b);
		WAIT_UNTIL(atomic_load(&a.dpc_calls) + atomic_load(&b.dpc_calls) ==
			   (unsigned long)i + 1);
	}
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(t5_stats(&a).isrs_recognized, 150);
	cr_assert_eq(t5_stats(&b).isrs_recognized, 150);
	cr_assert_eq(vfy_warnings(), 0);
	t5_stop(&a);
	t5_stop(&b);
	t5_assert_good(&a);
	t5_assert_good(&b);
	cr_assert_eq(vfy_set_mode(VFY_OFF), 0);
}

/* The level line stays asserted through every return: an interrupt storm (I12). */
Test(ndis5_isr, I12_miniport_isr_that_never_dismisses_is_an_interrupt_storm, .init = env_1cpu,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct t5 t;

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	t5_init(&t, 0);
	t.isr = isr_claims_everything; /* claims its device's interrupt, never dismisses it */
	t5_start(&e, &t, 0);
	/* Parameter 4: the last return claimed it. */
	expect_bugcheck(C4, 0xB, NDISRT_VIOLATION_INTERRUPT_STORM, (uintptr_t)&t.intr, 0, 1);
	t5_fire(&t);
	WAIT_UNTIL(false);
}

/* Guard: an ISR that dismisses late (a few re-assertions, L10) is no storm. */
Test(ndis5_isr, I12_a_few_reassertions_before_the_dismiss_are_no_storm, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	t5_init(&t, 0);
	t.isr = isr_late_dismiss;
	atomic_store(&l10_left, 16);
	t5_start(&e, &t, 0);
	t5_fire(&t);
	WAIT_UNTIL(atomic_load(&t.isr_calls) == 16);
	cr_assert_eq(ke_machine_quiesce(e.m, 30000), 0);
	cr_assert_eq(vfy_warnings(), 0);
	t5_stop(&t);
	t5_assert_good(&t);
	cr_assert_eq(vfy_set_mode(VFY_OFF), 0);
}
