/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/test_e1000_dev.c - the 82540EM behind the device seam
 * (hw/device.h): model "e1000" in the registry, its parameters and options,
 * resources as the PCI function shows them (SDM 4.1), faults, statistics.
 */
#include "e1000_harness.h"

#include "hw/device.h"

#include <errno.h>

static struct ke_machine *m;
static struct hw_dma_space *dma;

static void setup(void)
{
	m = harness_machine(1);
	dma = hw_dma_space_create();
	cr_assert_not_null(dma);
}

static void teardown(void)
{
	ke_machine_free(m);
	hw_dma_space_free(dma);
}

TestSuite(e1000_dev, .init = setup, .fini = teardown);

static struct hw_device *make(enum hw_irq_kind kind, const char *options, char *err, size_t len)
{
	struct hw_device_params p = {
	    .machine = m,
	    .dma = dma,
	    .mem_base = 0xFEBC0000u,
	    .port_base = 0xC040,
	    .line_vector = 0x52,
	    .irq_kind = kind,
	    .options = options,
	    .mac = {0x02, 1, 2, 3, 4, 5},
	};

	return hw_device_create("e1000", &p, err, len);
}

Test(e1000_dev, s4_1_model_resources_and_identity)
{
	char err[200];
	struct hw_device *d = make(HW_IRQ_LINE, NULL, err, sizeof(err));
	struct hw_resources r;
	uint16_t id[2];

	cr_assert_not_null(d, "%s", err);
	cr_expect_str_eq(d->model->name, "e1000");
	cr_expect_eq(d->id.vendor, 0x8086);
	cr_expect_eq(d->id.device, 0x100E);
	hw_dev_resources(d, &r);
	cr_expect_eq(r.bar[0].kind, HW_BAR_MEM);
	cr_expect_eq(r.bar[0].base, 0xFEBC0000u);
	cr_expect_eq(r.bar[0].len, 0x20000u);
	cr_expect_eq(r.bar[1].kind, HW_BAR_NONE, "no flash");
	cr_expect_eq(r.bar[2].kind, HW_BAR_PORT);
	cr_expect_eq(r.bar[2].base, 0xC040);
	cr_expect(r.has_line);
	cr_expect_eq(r.irq_kind, HW_IRQ_LINE);
	cr_expect_eq(r.line_vector, 0x52);
	cr_expect_eq(hw_dev_config_read(d, 0, id, 4), 4);
	cr_expect_eq(id[0], d->id.vendor, "config space agrees with the id");
	cr_expect_eq(id[1], d->id.device);
	/* BAR 2 is the I/O window: IOADDR/IODATA reach STATUS */
	hw_dev_bar_write(d, 2, E1000_IOADDR, 4, E1000_STATUS);
	cr_expect_eq(hw_dev_bar_read(d, 2, E1000_IODATA, 4),
		     hw_dev_bar_read(d, 0, E1000_STATUS, 4));
	cr_expect_eq(hw_dev_msix_enable(d, true), -EOPNOTSUPP, "no MSI-X");
	cr_expect_not_null(e1000_from_device(d));
	hw_device_free(d);
}

Test(e1000_dev, model_refuses_message_interrupts_and_bad_options)
{
	char err[200] = "";

	cr_expect_null(make(HW_IRQ_MSIX, NULL, err, sizeof(err)));
	cr_expect(strstr(err, "INTA#") != NULL, "%s", err);
	cr_expect_null(make(HW_IRQ_MSI, NULL, err, sizeof(err)));
	cr_expect_null(make(HW_IRQ_LINE, "speed=42", err, sizeof(err)));
	cr_expect(strstr(err, "speed=10|100|1000") != NULL, "%s", err);
}

Test(e1000_dev, option_speed_sets_status_speed)
{
	char err[200];
	struct hw_device *d = make(HW_IRQ_LINE, "speed=10", err, sizeof(err));

	cr_assert_not_null(d, "%s", err);
	hw_dev_bar_write(d, 0, E1000_CTRL, 4, E1000_CTRL_SLU);
	cr_expect_eq(hw_dev_bar_read(d, 0, E1000_STATUS, 4) &
			 (E1000_STATUS_SPEED_MASK | E1000_STATUS_LU),
		     E1000_STATUS_SPEED_10 | E1000_STATUS_LU);
	hw_device_free(d);
}

Test(e1000_dev, faults_and_statistics_through_the_seam)
{
	char err[200];
	struct hw_device *d = make(HW_IRQ_LINE, NULL, err, sizeof(err));
	bool found;

	cr_assert_not_null(d, "%s", err);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_DROP_MSG, 0), -EOPNOTSUPP);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_DMA_WRITEBACK_DELAY, UINT64_MAX), -EINVAL,
		     "the probe: the model has the fault");
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_SPURIOUS_IRQ, 1), -EINVAL, "one line: message 0");
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_LINK, 2), -EINVAL);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_SPURIOUS_IRQ, 0), 0);
	cr_expect_eq(hw_device_stat(d, "inj_spurious", &found), 1);
	cr_expect(found);
	(void)hw_device_stat(d, "tx_dropped", &found);
	cr_expect(found, "the seam's conservation statistics are named");
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_SURPRISE_REMOVE, 0), 0);
	cr_expect_eq(hw_dev_bar_read(d, 0, E1000_STATUS, 4), 0xFFFFFFFFu);
	cr_expect_eq(hw_dev_bar_read(d, 2, E1000_IODATA, 4), 0xFFFFFFFFu);
	hw_device_free(d);
}
