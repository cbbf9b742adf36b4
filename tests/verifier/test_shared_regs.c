/* SPDX-License-Identifier: MIT */
/*
 * ISR-shared registers (verifier/shared_regs.h, rule S5): what the ISR
 * touches is learnt; a read-to-clear read or a read-modify-write of it below
 * DIRQL is reported, in whatever order the ISR and the offending access
 * come; what runs under the interrupt lock, lone W1S/W1C writes and
 * registers the ISR never touches stay silent. Accesses are fed to the core
 * with explicit (vCPU, IRQL); the verifier runs in warn mode and every
 * finding is collected.
 */
#include <criterion/criterion.h>

#include "hw/device.h"
#include "verifier/shared_regs.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"

#define DIRQL ((ke_irql_t)(KE_DIRQL_MIN + 3))
#define ICR 0xC0u
#define IMS 0xD0u
#define CTRL 0x00u

static struct vfy_regs *r;
static unsigned nr_found;
static struct vfy_finding found[8];

static void collect(const struct vfy_finding *f, void *ctx)
{
	(void)ctx;
	if (nr_found < 8)
		found[nr_found] = *f;
	nr_found++;
}

static void setup(void)
{
	cr_assert_eq(vfy_set_mode(VFY_WARN), 0);
	vfy_set_reporter(collect, NULL);
	nr_found = 0;
	r = vfy_regs_create();
	cr_assert_not_null(r);
}

static void teardown(void)
{
	vfy_regs_free(r);
	vfy_set_reporter(NULL, NULL);
	vfy_set_mode(VFY_OFF);
}

TestSuite(shared_regs, .init = setup, .fini = teardown);

/* The ISR at DIRQL: reads ICR (clearing it), masks with a write. */
static void isr(unsigned vcpu)
{
	vfy_regs_access(r, vcpu, DIRQL, 0, ICR, false, HW_REG_READ_CLEARS);
	vfy_regs_access(r, vcpu, DIRQL, 0, IMS, true, HW_REG_W1S);
}

Test(shared_regs, S5_read_to_clear_read_of_an_isr_register_below_dirql_is_reported)
{
	isr(0);
	cr_assert(vfy_regs_is_shared(r, 0, ICR));
	vfy_regs_access(r, 1, KE_DISPATCH_LEVEL, 0, ICR, false, HW_REG_READ_CLEARS);
	cr_assert_eq(nr_found, 1);
	cr_assert_eq(found[0].violation, NDISRT_VIOLATION_ISR_SHARED_READ_CLEAR);
	cr_assert_eq(found[0].param[0], ICR, "BAR 0 << 24 | offset");
	cr_assert_eq(found[0].param[1], KE_DISPATCH_LEVEL);
	cr_assert_eq(found[0].param[2], 0, "judged at once");
	cr_assert_str_eq(ndisrt_violation_info(found[0].violation)->rule, "S5");
	/* A DPC that polls says so once, not on every run (warn mode). */
	vfy_regs_access(r, 1, KE_DISPATCH_LEVEL, 0, ICR, false, HW_REG_READ_CLEARS);
	cr_assert_eq(nr_found, 1);
}

Test(shared_regs, S5_read_modify_write_of_an_isr_register_below_dirql_is_reported)
{
	isr(1);
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, IMS, false, HW_REG_W1S);
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, CTRL, false, 0); /* in between */
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, IMS, true, HW_REG_W1S);
	cr_assert_eq(nr_found, 1);
	cr_assert_eq(found[0].violation, NDISRT_VIOLATION_ISR_SHARED_RMW);
	cr_assert_eq(found[0].param[0], IMS);
}

Test(shared_regs, S5_access_before_the_isr_first_touched_the_register_is_judged_then)
{
	/* The DPC's read-to-clear read and read-modify-write come first... */
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, ICR, false, HW_REG_READ_CLEARS);
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, IMS, false, HW_REG_W1S);
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, IMS, true, HW_REG_W1S);
	cr_assert_eq(nr_found, 0, "nothing known ISR-shared yet");
	/* ...and are errors once the ISR shows the registers are its own. */
	isr(1);
	cr_assert_eq(nr_found, 2);
	cr_assert_eq(found[0].violation, NDISRT_VIOLATION_ISR_SHARED_READ_CLEAR);
	cr_assert_eq(found[0].param[2], 1, "judged late");
	cr_assert_eq(found[1].violation, NDISRT_VIOLATION_ISR_SHARED_RMW);
	cr_assert_eq(found[1].param[2], 1);
	isr(1);
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, ICR, false, HW_REG_READ_CLEARS);
	cr_assert_eq(nr_found, 2, "each register and kind is reported once");
}

Test(shared_regs, S5_lone_w1s_write_below_dirql_is_counted_not_reported)
{
	uint64_t before = vfy_regs_w1_writes();

	isr(0);
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, IMS, true, HW_REG_W1S);
	cr_assert_eq(nr_found, 0);
	cr_assert_eq(vfy_regs_w1_writes(), before + 1);
}

Test(shared_regs, S5_under_the_interrupt_lock_and_on_other_registers_is_clean)
{
	isr(0);
	/* The synchronize routine (DIRQL): read-to-clear and read-modify-write alike. */
	vfy_regs_access(r, 1, DIRQL, 0, ICR, false, HW_REG_READ_CLEARS);
	vfy_regs_access(r, 1, DIRQL, 0, IMS, false, HW_REG_W1S);
	vfy_regs_access(r, 1, DIRQL, 0, IMS, true, HW_REG_W1S);
	/* A register the ISR never touches, read-modify-written below DIRQL. */
	vfy_regs_access(r, 0, KE_PASSIVE_LEVEL, 0, CTRL, false, 0);
	vfy_regs_access(r, 0, KE_PASSIVE_LEVEL, 0, CTRL, true, 0);
	/* A read on one vCPU, a write on another: no read-modify-write. */
	vfy_regs_access(r, 0, KE_DISPATCH_LEVEL, 0, IMS, false, HW_REG_W1S);
	vfy_regs_access(r, 1, KE_DISPATCH_LEVEL, 0, IMS, true, HW_REG_W1S);
	/* The same register on another BAR is another register. */
	vfy_regs_access(r, 1, KE_DISPATCH_LEVEL, 1, ICR, false, HW_REG_READ_CLEARS);
	cr_assert_eq(nr_found, 0);
	cr_assert_not(vfy_regs_is_shared(r, 0, CTRL));
}
