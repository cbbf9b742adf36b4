/* SPDX-License-Identifier: MIT */
/*
 * P8 (drivers/racy, issue 11): interrupts enabled before the rings the DPC
 * services are set up. The bug needs an interrupt inside initialize, after
 * the unmask and before the rings exist, which no workload produces on its
 * own (docs/verifier.md). Here the test makes one arrive exactly there: a
 * hook on the device sees the driver unmask the link-change cause (IMS) and
 * changes the link at once, so the interrupt is taken as soon as the
 * unmasking synchronize routine returns, on the initializing vCPU. The
 * planted bug's DPC then takes the spin lock of a receive or transmit queue
 * not yet allocated: bug check 0xC4 SPIN_NOT_ALLOCATED (rule K1), naming the
 * DPC. The fixed twin unmasks last; the same link change then runs its DPC
 * on rings that exist, and the NIC passes traffic.
 */
#include <criterion/criterion.h>

#include "tests/host/thost.h"
#include "verifier/vfy.h"
#include "verifier/violation.h"

#define RACY_P8_SO NDISRT_DRIVER_DIR "/racy_p8.so"
#define RACY_P8_FIXED_SO NDISRT_DRIVER_DIR "/racy_p8_fixed.so"

#define VN1_IMS 0x00D0u		    /* docs/vn1.md: interrupt mask set */
#define VN1_LSC (UINT32_C(1) << 16) /* the link-change cause */

static atomic_uint link_changes; /* 1 once the hook changed the link */

/* On the first write that unmasks LSC: take the link down and up again (two LSC causes). */
static void unmask_hook(void *ctx, struct hw_device *dev, unsigned bar, uint32_t off,
			unsigned width, uint64_t value, bool write)
{
	(void)ctx, (void)width;
	if (!write || bar != 0 || off != VN1_IMS || !(value & VN1_LSC))
		return;
	if (atomic_exchange(&link_changes, 1) != 0)
		return;
	(void)hw_dev_fault(dev, HW_FAULT_LINK, 0);
	(void)hw_dev_fault(dev, HW_FAULT_LINK, 1);
}

Test(p8, K1_interrupt_before_the_rings_exist_is_reported_from_the_dpc,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	static struct th t;

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	th_init(&t, 2);
	th_load(&t, RACY_P8_SO);
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	cr_assert_eq(hw_device_hook_add(t.dev[0], unmask_hook, NULL), 0);
	/* Parameter 4: the DDI (an NDIS spin lock function). */
	expect_bugcheck(KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION, 0x9,
			NDISRT_VIOLATION_SPIN_NOT_ALLOCATED, 0, 0, NDISRT_DDI_SPIN_LOCK);
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
	cr_assert_fail("the planted P8 initialized without a report (%u link changes)",
		       atomic_load(&link_changes));
}

Test(p8, K1_fixed_twin_takes_the_same_interrupt_cleanly)
{
	static struct th t;
	struct wire_gen_config g = th_gen(128, 4);

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	th_init(&t, 2);
	th_load(&t, RACY_P8_FIXED_SO);
	t.w = wire_pair_create(ndisrt_host_machine(t.h));
	cr_assert_not_null(t.w);
	for (unsigned i = 0; i < 2; i++) {
		th_dev(&t, i, HW_IRQ_LINE, 0, false);
		cr_assert_eq(hw_dev_wire_attach(t.dev[i], t.w, i), 0);
	}
	cr_assert_eq(hw_device_hook_add(t.dev[0], unmask_hook, NULL), 0);
	for (unsigned i = 0; i < 2; i++)
		th_nic(&t, i, NDISRT_IRQ_LINE, 0, 0);
	cr_assert_eq(atomic_load(&link_changes), 1, "the link changed as the driver unmasked");
	th_send(&t, 0, 0, &g, 0, 200, 16);
	th_send(&t, 1, 1, &g, 0, 200, 16);
	th_fini(&t);
	cr_assert_eq(vfy_set_mode(VFY_OFF), 0);
}
