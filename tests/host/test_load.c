/* SPDX-License-Identifier: MIT */
/*
 * tests/host/test_load.c - loading drivers and starting NICs, and every
 * way that can go wrong: a one-line error naming the file and the cause,
 * or the bug check a Windows developer would get.
 */
#include "tests/host/thost.h"

#include <stdio.h>
#include <stdlib.h>

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

static void expect_load_error(const char *path, const char *want)
{
	struct th th;
	struct ndisrt_driver *d = (struct ndisrt_driver *)1;

	th_init(&th, 2);
	cr_assert_eq(ndisrt_driver_load(th.h, path, &d, th.err, sizeof(th.err)), -1,
		     "loading %s should fail", path);
	cr_assert_null(d);
	cr_assert_not_null(strstr(th.err, path), "the error names the file: %s", th.err);
	cr_assert_not_null(strstr(th.err, want), "'%s' in: %s", want, th.err);
	cr_assert_null(strchr(th.err, '\n'), "one line: %s", th.err);
	th_fini(&th);
}

Test(host_load, loads_both_sample_drivers, .init = host_2cpu, .fini = host_end)
{
	struct ndisrt_driver *d2;
	unsigned major, minor;

	th_load(&t, VN1_SO);
	ndisrt_driver_version(t.drv, &major, &minor);
	cr_assert_eq(major, 6);
	cr_assert_eq(minor, 20);
	cr_assert_eq(ndisrt_driver_load(t.h, VN1_LINE_SO, &d2, t.err, sizeof(t.err)), 0, "%s",
		     t.err);
	ndisrt_driver_version(d2, &major, &minor);
	cr_assert_eq(major * 100 + minor, 620);
	cr_assert_geq(ndisrt_link_ddi_symbols(), 45, "the DDI table");
	ndisrt_driver_unload(d2);
}

Test(host_load, not_a_shared_object)
{
	char path[] = "/tmp/ndisrt-host-XXXXXX";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "this is not an ELF file\n", 24), 24);
	close(fd);
	expect_load_error(path, "not a shared object");
	unlink(path);
}

Test(host_load, missing_file)
{
	expect_load_error("/nonexistent/ndisrt/driver.so", "cannot open");
}

Test(host_load, no_driver_entry)
{
	expect_load_error(TDRV("no_entry"), "no DriverEntry");
}

Test(host_load, undefined_import_is_named)
{
	expect_load_error(TDRV("bad_import"),
			  "driver needs NdisFooBar, which ndisrt does not implement");
}

Test(host_load, driver_entry_failure_is_reported)
{
	expect_load_error(TDRV("entry_fails"),
			  "DriverEntry failed with NDIS_STATUS_RESOURCES (0xC000009A)");
}

Test(host_load, driver_entry_must_register)
{
	expect_load_error(TDRV("no_register"), "without calling NdisMRegisterMiniportDriver");
}

Test(host_load, bad_characteristics_are_refused)
{
	/* No SendNetBufferListsHandler: registration fails and DriverEntry returns it. */
	expect_load_error(TDRV("bad_chars"),
			  "DriverEntry failed with NDIS_STATUS_BAD_CHARACTERISTICS (0xC0010005)");
}

Test(host_load, test_driver_starts_and_halts, .init = host_2cpu, .fini = host_end)
{
	struct ndisrt_nic_attributes at;

	th_load(&t, TDRV("ok"));
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
	ndisrt_nic_get_attributes(t.nic[0], &at);
	cr_assert_eq(memcmp(at.permanent_mac, th_mac[0], 6), 0, "MAC read through the registers");
	cr_assert_eq(at.mtu, 1500);
	cr_assert(at.pm_capabilities);
	cr_assert_eq(at.supported_oids, 1);
}

Test(host_load, initialize_failure_is_reported, .init = host_2cpu, .fini = host_end)
{
	struct ndisrt_nic_config cfg;
	struct ndisrt_nic *n = (struct ndisrt_nic *)1;

	th_load(&t, TDRV("init_fails"));
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	ndisrt_nic_config_init(&cfg, t.dev[0]);
	cfg.irq = NDISRT_IRQ_LINE;
	cfg.line = t.line[0];
	cr_assert_eq(ndisrt_nic_start(t.drv, &cfg, &n, t.err, sizeof(t.err)), -1);
	cr_assert_null(n);
	cr_assert_not_null(strstr(t.err, "MiniportInitializeEx failed with "
					 "NDIS_STATUS_ADAPTER_NOT_FOUND (0xC0010006)"),
			   "%s", t.err);
	cr_assert_null(strchr(t.err, '\n'));
	/* The same device starts fine with a working driver afterwards. */
	ndisrt_driver_unload(t.drv);
	th_load(&t, TDRV("ok"));
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
}

/*
 * Shared memory of an NDIS 6 bus master whose NdisMRegisterScatterGatherDma
 * lacks NDIS_SG_DMA_64_BIT_ADDRESS lies below 4 GiB; with the flag, on a
 * 64-bit device, above (docs/hosting.md, "DMA"). Each driver fails its
 * initialize unless it got what it declared.
 */
Test(host_load, dma_without_the_64_bit_flag_gets_addresses_below_4g, .init = host_2cpu,
     .fini = host_end)
{
	th_load(&t, TDRV("dma32"));
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
}

Test(host_load, dma_with_the_64_bit_flag_keeps_addresses_above_4g, .init = host_2cpu,
     .fini = host_end)
{
	th_load(&t, TDRV("dma64"));
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	th_nic(&t, 0, NDISRT_IRQ_LINE, 0, 0);
}

Test(host_load, irq_mode_must_match_the_device, .init = host_2cpu, .fini = host_end)
{
	struct ndisrt_nic_config cfg;
	struct ndisrt_nic *n;

	th_load(&t, VN1_SO);
	th_dev(&t, 0, HW_IRQ_LINE, 0, false);
	ndisrt_nic_config_init(&cfg, t.dev[0]);
	cfg.irq = NDISRT_IRQ_MSIX;
	cr_assert_eq(ndisrt_nic_start(t.drv, &cfg, &n, t.err, sizeof(t.err)), -1);
	cr_assert_not_null(strstr(t.err, "MSI-X"), "%s", t.err);
}

/* --------------------------------------------------- driver faults */

static void start_faulting(const char *variant)
{
	struct th th;

	th_init(&th, 2);
	th_load(&th, variant);
	th_dev(&th, 0, HW_IRQ_LINE, 0, false);
	th_nic(&th, 0, NDISRT_IRQ_LINE, 0, 0);
	cr_assert_fail("the driver's fault was not reported");
}

Test(host_load, dereferenced_register_mapping_is_bug_check_0x1E,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	expect_bugcheck(0x1E, 1u << 0, 0xC0000005, 0, 0, 0);
	start_faulting(TDRV("touch_mmio"));
}

Test(host_load, null_dereference_in_driver_is_bug_check_0x1E, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	expect_bugcheck(0x1E, 1u << 0, 0xC0000005, 0, 0, 0);
	start_faulting(TDRV("null_deref"));
}

Test(host_load, register_outside_mappings_is_bug_check_0x50, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	expect_bugcheck(0x50, (1u << 0) | (1u << 1), 0x1000, 0, 0, 0);
	start_faulting(TDRV("bad_register"));
}

Test(host_load, D4_indication_while_paused_is_a_violation, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	/* D4: during MiniportInitializeEx the adapter is not Running yet. */
	expect_bugcheck(0xC4, (1u << 0) | (1u << 2), NDISRT_VIOLATION_INDICATE_PAUSED, 0, 1, 0);
	start_faulting(TDRV("indicate_paused"));
}

Test(host_load, H3_halt_that_leaks_a_mapping_is_a_violation, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct th th;

	expect_bugcheck(0xC4, (1u << 0) | (1u << 3), NDISRT_VIOLATION_RESOURCE_LEAK, 0, 0, 1);
	th_init(&th, 2);
	th_load(&th, TDRV("leak"));
	th_dev(&th, 0, HW_IRQ_LINE, 0, false);
	th_nic(&th, 0, NDISRT_IRQ_LINE, 0, 0);
	ndisrt_nic_halt(th.nic[0]);
	cr_assert_fail("the leaked mapping was not reported");
}
