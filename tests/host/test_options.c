/* SPDX-License-Identifier: MIT */
/*
 * tests/host/test_options.c - MiniportSetOptions and NdisSetOptionalHandlers
 * (NDIS 6.0), and NDIS 6 DDIs a driver calls on a real adapter
 * (NdisMSetBusData, NdisMGetDmaAlignment, the SR-IOV refusals): the
 * tdrv "options" variants report what they saw through the error log.
 */
#include "tests/host/thost.h"

#include "ndisrt/params.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

static struct th t;

static void host_2cpu(void)
{
	th_init(&t, 2);
}

static void host_end(void)
{
	th_fini(&t);
}

/* The values of the error-log entry @code NIC @n's driver wrote. */
static bool logged(struct ndisrt_nic *n, unsigned code, unsigned v[8])
{
	void *h = ndisrt_adapter_handle(ndisrt_nic_adapter(n));
	struct ndisrt_error_log_entry e;

	for (unsigned i = 0; ndisrt_error_log_get(i, &e) == 0; i++)
		if (e.adapter == h && e.code == code) {
			memcpy(v, e.values, sizeof(e.values));
			return true;
		}
	return false;
}

Test(host_options, set_options_runs_inside_registration_at_passive_and_refuses_pnp,
     .init = host_2cpu, .fini = host_end)
{
	unsigned v[8], r[8];

	th_load(&t, TDRV("options"));
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
	cr_assert(logged(t.nic[0], 0xC0DE0601, v), "the driver logged what it saw");
	cr_assert_eq(v[0], 1, "MiniportSetOptions ran once");
	cr_assert_eq(v[1], KE_PASSIVE_LEVEL);
	cr_assert_eq(v[2], 1,
		     "with the MiniportDriverContext given to NdisMRegisterMiniportDriver");
	cr_assert_eq(v[3], 0xC00000BBu /* NDIS_STATUS_NOT_SUPPORTED */,
		     "PnP characteristics: ndisrt has no PnP manager to call them");
	cr_assert_eq(v[4], 0xC000000Du /* NDIS_STATUS_INVALID_PARAMETER */,
		     "a header of no optional service");
	cr_assert_eq(v[5], 2, "NdisMSetBusData wrote the 2 bytes of the command register");
	cr_assert_eq(v[6], 1, "and the device took the bus-master bit");
	cr_assert_eq(v[7], 64, "NdisMGetDmaAlignment: the cache line");
	cr_assert(logged(t.nic[0], 0xC0DE0602, r));
	cr_assert_eq(r[0], 0xC00000BBu /* NDIS_STATUS_NOT_SUPPORTED */, "no SR-IOV");
	cr_assert_eq(r[1], 0, "no virtual function's configuration space");
}

Test(host_options, set_options_failure_fails_the_registration, .init = host_2cpu, .fini = host_end)
{
	struct ndisrt_driver *d = (struct ndisrt_driver *)1;

	cr_assert_eq(ndisrt_driver_load(t.h, TDRV("options_fail"), &d, t.err, sizeof(t.err)), -1);
	cr_assert_null(d);
	cr_assert_not_null(strstr(t.err, "NDIS_STATUS_RESOURCES"), "%s", t.err);
}

Test(host_options, set_optional_handlers_outside_set_options_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = host_2cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_WRONG_CONTEXT, 0, 0, 0x50B);
	ndisrt_driver_load(t.h, TDRV("options_outside"), &t.drv, t.err, sizeof(t.err));
	cr_assert_fail("no bug check: %s", t.err);
}

Test(host_options, shared_memory_async_ex_completes_at_passive_with_device_memory,
     .init = host_2cpu, .fini = host_end)
{
	struct ndisrt_nic_config cfg;
	unsigned st[8], v[8];

	th_load(&t, TDRV("sg_async"));
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	ndisrt_nic_config_init(&cfg, t.dev[0]);
	cfg.irq = NDISRT_IRQ_LINE;
	cfg.line = t.line[0];
	cr_assert_eq(ndisrt_nic_start(t.drv, &cfg, &t.nic[0], t.err, sizeof(t.err)), 0, "%s",
		     t.err);
	cr_assert(logged(t.nic[0], 0xC0DE0004, st));
	cr_assert_eq(st[0], 0x103u /* NDIS_STATUS_PENDING */);
	WAIT_UNTIL(logged(t.nic[0], 0xC0DE0003, v)); /* the completion ran */
	cr_assert_eq(v[0], KE_PASSIVE_LEVEL,
		     "MiniportSharedMemoryAllocateComplete at PASSIVE_LEVEL");
	cr_assert_eq(v[1], 1, "with the driver's context");
	cr_assert_eq(v[2], 1, "memory");
	cr_assert_eq(v[3], 1, "and its device address");
	cr_assert_eq(v[4], 256);
}
