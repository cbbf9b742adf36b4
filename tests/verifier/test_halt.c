/* SPDX-License-Identifier: MIT */
/*
 * Halting with traffic flowing, verifier fatal (rule H1, 0x7C 0x27
 * LEAKED_NBL; ndis/ndis5/driver.c check_sends_completed()): the samples -
 * NDIS 6 (VN-1) and NDIS 5 (e1000, RTL8139) - are halted right after a burst
 * of sends, without waiting for their completions, and give every send back
 * (NDIS 6 through the pause, NDIS 5 inside MiniportHalt): no report. The
 * report itself is tests/ndis5/test_driver.c's H1_halt_returning_with_*.
 */
#include <criterion/criterion.h>

#include "tests/host/thost.h"
#include "verifier/vfy.h"

/* Two NICs of @model back to back, @so driving both; a burst, then the halt at once. */
static void burst_then_halt(const char *model, const char *so)
{
	static struct th t;
	static uint8_t buf[2048];
	struct wire_gen_config g = th_gen(256, 4);
	struct ndisrt_nic_stats s[2];
	const void *f[1] = {buf};
	uint64_t sent = 0, done = 0;
	size_t len;

	cr_assert_eq(vfy_set_mode(VFY_FATAL), 0);
	th_init(&t, 2);
	th_load(&t, so);
	t.w = wire_pair_create(ndisrt_host_machine(t.h));
	cr_assert_not_null(t.w);
	for (unsigned i = 0; i < 2; i++) {
		/* As th_dev_model(), with I/O ports far enough apart for every model. */
		struct hw_device_params cfg = {
		    .machine = ndisrt_host_machine(t.h),
		    .dma = ndisrt_host_dma(t.h),
		    .mem_base = 0xF0000000ULL + 0x100000ULL * i,
		    .port_base = (uint16_t)(0xC000 + 0x1000 * i),
		    .irq_kind = HW_IRQ_LINE,
		    .nr_msgs = 1,
		};

		t.line[i] = intc_line_create(ndisrt_host_intc(t.h), 5, 0x1);
		cr_assert_not_null(t.line[i]);
		cfg.line_vector = (uint8_t)intc_line_vector(t.line[i]);
		memcpy(cfg.mac, th_mac[i], 6);
		t.dev[i] = hw_device_create(model, &cfg, t.err, sizeof(t.err));
		cr_assert_not_null(t.dev[i], "hw_device_create(%s): %s", model, t.err);
		cr_assert_eq(hw_dev_wire_attach(t.dev[i], t.w, i), 0);
	}
	for (unsigned i = 0; i < 2; i++)
		th_nic(&t, i, NDISRT_IRQ_LINE, 0, 0);
	for (unsigned i = 0; i < 4000; i++) {
		len = th_frame(&g, i, buf);
		(void)ndisrt_nic_send(t.nic[i % 2], i % 2, f, &len, 1);
	}
	for (unsigned i = 0; i < 2; i++) {
		ndisrt_nic_get_stats(t.nic[i], &s[i]);
		sent += s[i].sent;
		done += s[i].send_completed + s[i].send_failed;
	}
	cr_assert_gt(sent, 0, "frames were handed to the driver");
	cr_log_info("%s: %llu sent, %llu completed when the halt began", model,
		    (unsigned long long)sent, (unsigned long long)done);
	th_fini(&t); /* halts both NICs: a leaked send would stop the machine here */
	cr_assert_eq(vfy_set_mode(VFY_OFF), 0);
}

Test(halt_traffic, H1_ndis6_sample_halted_with_traffic_flowing_runs_clean)
{
	burst_then_halt("vn1", VN1_SO);
}

Test(halt_traffic, H1_ndis5_e1000_halted_with_traffic_flowing_runs_clean)
{
	burst_then_halt("e1000", NDISRT_DRIVER_DIR "/e1000.so");
}

Test(halt_traffic, H1_ndis5_rtl8139_halted_with_traffic_flowing_runs_clean)
{
	burst_then_halt("rtl8139", NDISRT_DRIVER_DIR "/rtl8139.so");
}
