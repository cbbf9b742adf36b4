/* SPDX-License-Identifier: MIT */
/*
 * The device seam (hw/device.h) with the VN-1 behind it: the registry,
 * identity and config space, BAR access of each width, resources, MSI-X
 * through the host ops, faults, statistics by name, and the access hook.
 */
#include "harness.h"
#include "hw/device.h"

static struct hx h;
static struct hw_device *d;
static struct rec_sink rec;

static struct hw_device *create(enum hw_irq_kind kind, const char *options, char *err,
				size_t errlen)
{
	struct hw_device_params p = {
	    .machine = h.m,
	    .dma = h.dma,
	    .sink = rec_sink(&rec),
	    .mac = {0x02, 0x56, 0x4e, 0x31, 0x00, 0x07},
	    .mem_base = 0xF1000000ull,
	    .port_base = 0xD000,
	    .line_vector = 0x51,
	    .irq_kind = kind,
	    .options = options,
	};

	return hw_device_create("vn1", &p, err, errlen);
}

static void setup(void)
{
	char err[128] = "";

	hx_init(&h, 2, 0);
	rec.m = h.m;
	d = create(HW_IRQ_MSIX, NULL, err, sizeof(err));
	cr_assert_not_null(d, "%s", err);
}

static void teardown(void)
{
	hw_device_free(d);
	hx_fini(&h);
}

TestSuite(hw_device, .init = setup, .fini = teardown);

Test(hw_device, registry_finds_vn1_by_name_and_lists_it)
{
	bool listed = false;
	const struct hw_device_model *m;
	char err[128] = "";
	struct hw_device_params p = {.machine = h.m, .dma = h.dma};

	cr_expect_not_null(hw_device_model_find("vn1"));
	cr_expect_null(hw_device_model_find("no-such-nic"));
	for (size_t i = 0; (m = hw_device_model_at(i)) != NULL; i++)
		listed |= strcmp(m->name, "vn1") == 0 && m->summary && m->summary[0];
	cr_expect(listed);
	cr_expect_null(hw_device_create("no-such-nic", &p, err, sizeof(err)));
	cr_expect(strstr(err, "no-such-nic") != NULL, "%s", err);
	cr_expect_eq(d->model, hw_device_model_find("vn1"));
	cr_expect_not_null(vn1_from_device(d));
	cr_expect_eq(vn1_device(vn1_from_device(d)), d);
}

Test(hw_device, bad_parameters_give_one_line)
{
	char err[128] = "";

	cr_expect_null(create(HW_IRQ_MSIX, "speed=9", err, sizeof(err)));
	cr_expect(strstr(err, "speed") != NULL, "%s", err);
	cr_expect_null(create(HW_IRQ_MSIX, "colour=blue", err, sizeof(err)));
	cr_expect(strstr(err, "colour=blue") != NULL, "%s", err);
}

Test(hw_device, option_reaches_the_model)
{
	char err[128] = "";
	struct hw_device *d2 = create(HW_IRQ_LINE, "speed=1", err, sizeof(err));

	cr_assert_not_null(d2, "%s", err);
	cr_expect_eq((hw_dev_bar_read(d2, 0, VN1_STATUS, 4) >> VN1_STATUS_SPEED_SHIFT) & 3, 1);
	hw_device_free(d2);
}

Test(hw_device, identity_and_config_space_agree)
{
	uint8_t cs[HW_PCI_CONFIG_LEN];

	cr_assert_eq(hw_dev_config_read(d, 0, cs, sizeof(cs)), sizeof(cs));
	cr_expect_eq(cs[0] | cs[1] << 8, d->id.vendor);
	cr_expect_eq(cs[2] | cs[3] << 8, d->id.device);
	cr_expect_eq(cs[8], d->id.revision);
	cr_expect_eq(cs[0x0B], d->id.class_code);
	cr_expect_eq(cs[0x0A], d->id.subclass);
	cr_expect_eq(cs[0x2C] | cs[0x2D] << 8, d->id.subsys_vendor);
	cr_expect_eq(cs[0x2E] | cs[0x2F] << 8, d->id.subsys_device);
	cr_expect_eq(cs[0x3C], 0x51);
	cr_expect_eq(hw_dev_config_read(d, 250, cs, 16), 6, "clipped to the space");
}

Test(hw_device, resources_describe_the_bars_and_interrupt)
{
	struct hw_resources r;

	hw_dev_resources(d, &r);
	cr_expect_eq(r.bar[0].kind, HW_BAR_MEM);
	cr_expect_eq(r.bar[0].base, 0xF1000000ull);
	cr_expect_eq(r.bar[0].len, VN1_BAR0_LEN);
	cr_expect_eq(r.bar[1].kind, HW_BAR_PORT);
	cr_expect_eq(r.bar[1].base, 0xD000);
	cr_expect_eq(r.bar[1].len, VN1_BAR1_LEN);
	cr_expect_eq(r.bar[2].kind, HW_BAR_NONE);
	cr_expect_eq(r.irq_kind, HW_IRQ_MSIX);
	cr_expect_eq(r.message_count, VN1_NR_MSGS);
	cr_expect(r.has_line);
}

Test(hw_device, bar_access_of_each_width)
{
	hw_dev_bar_write(d, 0, VN1_RXFILTER, 4, VN1_RXFILTER_BCAST);
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_RXFILTER, 4), VN1_RXFILTER_BCAST);
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_MAC_LO, 1), 0x02);
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_MAC_LO, 2), 0x5602);
	hw_dev_bar_write(d, 0, VN1_RXFILTER, 1, VN1_RXFILTER_UCAST);
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_RXFILTER, 4), VN1_RXFILTER_UCAST);
	hw_dev_bar_write(d, 1, VN1_PIO_IMR, 2, VN1_PIO_ISR_RX);
	cr_expect_eq(hw_dev_bar_read(d, 1, VN1_PIO_IMR, 2), VN1_PIO_ISR_RX);
	cr_expect_eq(hw_dev_bar_read(d, 1, VN1_PIO_MAC, 1), 0x02);
	cr_expect_eq(hw_dev_bar_read(d, 5, 0, 4), ~0ull, "no BAR 5");
}

Test(hw_device, msix_through_the_host_ops_delivers)
{
	cr_assert_eq(hw_dev_msix_program(d, 2, 0xFEE00000u, 42), 0);
	cr_assert_eq(hw_dev_msix_mask(d, 2, false), 0);
	cr_assert_eq(hw_dev_msix_enable(d, true), 0);
	cr_expect_eq(hw_dev_msix_program(d, 16, 0xFEE00000u, 1), -EINVAL);
	hw_dev_bar_write(d, 0, VN1_IMODE, 4, VN1_IMODE_MSIX);
	hw_dev_bar_write(d, 0, VN1_IVAR0 + 4 * VN1_CAUSE_LSC_BIT, 4, VN1_IVAR_VALID | 2);
	hw_dev_bar_write(d, 0, VN1_IMS, 4, VN1_CAUSE_LSC);
	hw_dev_bar_write(d, 0, VN1_ICS, 4, VN1_CAUSE_LSC);
	cr_expect_eq(rec_count_msg(&rec, 42), 1);
	cr_expect_eq(hw_device_stat(d, "msgs_sent.2", NULL), 1);
	/* Masked: pends, and is sent once on unmask. */
	hw_dev_bar_write(d, 0, VN1_ICR, 4, VN1_CAUSE_ALL);
	cr_assert_eq(hw_dev_msix_mask(d, 2, true), 0);
	hw_dev_bar_write(d, 0, VN1_IMS, 4, VN1_CAUSE_LSC);
	hw_dev_bar_write(d, 0, VN1_ICS, 4, VN1_CAUSE_LSC);
	cr_expect_eq(rec_count_msg(&rec, 42), 1);
	cr_assert_eq(hw_dev_msix_mask(d, 2, false), 0);
	cr_expect_eq(rec_count_msg(&rec, 42), 2);
}

Test(hw_device, faults_work_or_are_refused)
{
	bool found = false;

	cr_expect_eq(hw_dev_fault(d, HW_FAULT_DMA_WRITEBACK_DELAY, 1000), 0);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_DMA_WRITEBACK_DELAY, UINT64_MAX), -EINVAL);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_DMA_WRITEBACK_DELAY, 0), 0);
	/* An argument no fault takes: -EINVAL from every one the model has. */
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_DMA_ERROR, UINT64_MAX), -EINVAL);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_SURPRISE_REMOVE, UINT64_MAX), -EINVAL);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_SPURIOUS_IRQ, UINT64_MAX), -EINVAL);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_STUCK_LINE, UINT64_MAX), -EINVAL);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_LINK, UINT64_MAX), -EINVAL);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_DROP_MSG, 99), -EINVAL);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_LINK, 0), 0);
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_STATUS, 4) & VN1_STATUS_LU, 0);
	cr_expect_eq(hw_device_stat(d, "inj_link_changes", &found), 1);
	cr_expect(found);
	cr_expect_eq(hw_dev_fault(d, HW_FAULT_SURPRISE_REMOVE, 0), 0);
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_CTRL, 4), 0xFFFFFFFFull, "all-ones");
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_CTRL, 2), 0xFFFFull);
	uint8_t cs[4];
	hw_dev_config_read(d, 0, cs, 4);
	cr_expect_eq(cs[0] & cs[1] & cs[2] & cs[3], 0xFF);
	cr_expect_str_eq(hw_fault_name(HW_FAULT_SURPRISE_REMOVE), "surprise-remove");
	cr_expect_null(hw_fault_name(HW_FAULT_COUNT));
}

Test(hw_device, statistics_are_named_and_stable)
{
	struct hw_stat st[256];
	size_t n = d->ops->stats(d, NULL, 0);
	bool found;

	cr_assert(n > 0 && n <= 256);
	cr_expect_eq(d->ops->stats(d, st, n), n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			cr_expect(strcmp(st[i].name, st[j].name) != 0, "%s twice", st[i].name);
	(void)hw_device_stat(d, "no_such_stat", &found);
	cr_expect(!found);
	hw_dev_bar_write(d, 0, 0x3, 4, 0); /* misaligned */
	cr_expect_eq(hw_device_stat(d, "bad_accesses", NULL), 1);
}

Test(hw_device, reset_restores_register_defaults)
{
	hw_dev_bar_write(d, 0, VN1_RXFILTER, 4, VN1_RXFILTER_BCAST);
	d->ops->reset(d);
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_RXFILTER, 4), 0);
	cr_expect_eq(hw_dev_bar_read(d, 0, VN1_MAC_LO, 1), 0x02, "MAC assignment survives");
}

struct hook_log {
	unsigned n, bar;
	uint32_t off;
	unsigned width;
	uint64_t value;
	bool write;
};

static void hook(void *ctx, struct hw_device *dev, unsigned bar, uint32_t off, unsigned width,
		 uint64_t value, bool write)
{
	struct hook_log *l = ctx;

	cr_expect_eq(dev, d);
	l->n++;
	l->bar = bar;
	l->off = off;
	l->width = width;
	l->value = value;
	l->write = write;
}

Test(hw_device, access_hook_sees_driver_accesses_until_removed)
{
	struct hook_log a = {0}, b = {0};
	uint8_t cs[2];

	cr_assert_eq(hw_device_hook_add(d, hook, &a), 0);
	cr_assert_eq(hw_device_hook_add(d, hook, &b), 0);
	hw_dev_bar_write(d, 0, VN1_IMS, 4, VN1_CAUSE_LSC);
	cr_expect(a.write && a.bar == 0 && a.off == VN1_IMS && a.width == 4 &&
		  a.value == VN1_CAUSE_LSC);
	(void)hw_dev_bar_read(d, 1, VN1_PIO_MAC, 1);
	cr_expect(!a.write && a.bar == 1 && a.off == VN1_PIO_MAC && a.width == 1 && a.value == 2);
	hw_dev_config_read(d, 0, cs, 2);
	cr_expect(a.bar == HW_BAR_CONFIG && a.width == 2 && !a.write);
	cr_expect_eq(a.n, 3);
	cr_expect_eq(b.n, 3, "every subscriber");
	cr_assert_eq(hw_device_hook_remove(d, hook, &a), 0);
	cr_expect_eq(hw_device_hook_remove(d, hook, &a), -ENOENT);
	(void)hw_dev_bar_read(d, 0, VN1_CTRL, 4);
	cr_expect_eq(a.n, 3, "removed");
	cr_expect_eq(b.n, 4);
	hw_device_hook_remove(d, hook, &b);
}
