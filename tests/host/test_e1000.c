/* SPDX-License-Identifier: MIT */
/*
 * tests/host/test_e1000.c - the 82540EM sample miniport (drivers/e1000,
 * NDIS 5.1) loaded from its .so and hosted on two "e1000" device models
 * cabled back to back: traffic both ways, the MAC from the EEPROM, ITR and
 * IMS as the driver programs them, link changes reported through LSC, and
 * a halt after surprise removal.
 */
#include "tests/host/thost.h"

#define E1000_SO NDISRT_DRIVER_DIR "/e1000.so"

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

/*
 * What the test reads back, from the 82540EM manual (the model itself is
 * reached only through hw/device.h): register offsets in BAR 0 (SDM 13.3) and
 * their bits.
 */
#define E1000_IO_LEN 0x40u /* I/O BAR length */
#define E1000_STATUS 0x0008u
#define E1000_STATUS_LU (1u << 1)
#define E1000_ITR 0x00C4u
#define E1000_IMS 0x00D0u
#define E1000_RAH0 0x5404u
#define E1000_RAH_AV (1u << 31)
#define E1000_ICR_TXDW (1u << 0)
#define E1000_ICR_LSC (1u << 2)
#define E1000_ICR_RXDMT0 (1u << 4)
#define E1000_ICR_RXO (1u << 6)
#define E1000_ICR_RXT0 (1u << 7)

/* Two e1000 models on a pair wire, each on an INTx line of its own (or both on
 * line 0: @shared), NICs started. */
static void e1000_pair_on(struct th *th, bool shared)
{
	th->w = wire_pair_create(ndisrt_host_machine(th->h));
	cr_assert_not_null(th->w);
	for (unsigned i = 0; i < 2; i++) {
		struct hw_device_params p = {
		    .machine = ndisrt_host_machine(th->h),
		    .dma = ndisrt_host_dma(th->h),
		    .mem_base = 0xF0000000ULL + 0x100000ULL * i,
		    .port_base = (uint16_t)(0xE000 + E1000_IO_LEN * i),
		    .irq_kind = HW_IRQ_LINE,
		};

		unsigned nv = ke_machine_vcpu_count(ndisrt_host_machine(th->h));

		/* Any vCPU may take the interrupt. */
		if (!shared || i == 0) {
			th->line[i] =
			    intc_line_create(ndisrt_host_intc(th->h), 5, ~0ull >> (64 - nv));
			cr_assert_not_null(th->line[i]);
		}
		p.line_vector = (uint8_t)intc_line_vector(th->line[shared ? 0 : i]);
		memcpy(p.mac, th_mac[i], 6);
		th->dev[i] = hw_device_create("e1000", &p, th->err, sizeof(th->err));
		cr_assert_not_null(th->dev[i], "%s", th->err);
		cr_assert_eq(hw_dev_wire_attach(th->dev[i], th->w, i), 0);
	}
	for (unsigned i = 0; i < 2; i++)
		th_nic(th, i, NDISRT_IRQ_LINE, 0, 0);
}

static void e1000_pair(struct th *th)
{
	e1000_pair_on(th, false);
}

static uint32_t reg(struct th *th, unsigned i, uint32_t off)
{
	return (uint32_t)hw_dev_bar_read(th->dev[i], 0, off, 4);
}

/* Every frame sent either way arrives once and intact; the rings wrap many times. */
static void both_ways(unsigned vcpus, bool shared)
{
	struct th th;
	struct wire_gen_config g = th_gen(300, 4);
	const unsigned n = 2000;

	th_init(&th, vcpus);
	th_load(&th, E1000_SO);
	e1000_pair_on(&th, shared);
	th_send(&th, 0, 0, &g, 0, n, 32);
	th_send(&th, 1, vcpus - 1, &g, 0, n, 32);
	WAIT_UNTIL(atomic_load(&th.rx[0].frames) == n && atomic_load(&th.rx[1].frames) == n);
	for (unsigned s = 0; s < 2; s++) {
		cr_expect_eq(atomic_load(&th.rx[s].bad), 0, "NIC %u: corrupted frames", s);
		for (unsigned i = 0; i < n; i++)
			cr_assert_eq(atomic_load(&th.rx[s].seen[i]), 1,
				     "NIC %u frame %u seen %u times", s, i,
				     atomic_load(&th.rx[s].seen[i]));
		cr_expect_eq(hw_device_stat(th.dev[s], "rx_accepted", NULL), n);
		cr_expect_eq(hw_device_stat(th.dev[s], "tx_sent", NULL), n);
	}
	th_fini(&th);
}

Test(host_e1000, traffic_both_ways_each_frame_once_1_vcpu, .timeout = 120)
{
	both_ways(1, false);
}

Test(host_e1000, traffic_both_ways_each_frame_once_4_vcpus, .timeout = 120)
{
	both_ways(4, false);
}

/*
 * Both NICs on one INTx line: each ISR reads its own ICR and claims only
 * its own interrupts (INT_ASSERTED / ICR & IMS), so nothing is lost or
 * indicated twice.
 */
Test(host_e1000, shared_line_each_isr_claims_its_own_2_vcpus, .timeout = 120)
{
	both_ways(2, true);
}

/* The driver took the MAC from the EEPROM and programmed ITR, IMS and RA[0]. */
Test(host_e1000, mac_from_eeprom_itr_and_mask_programmed, .init = host_2cpu, .fini = host_end)
{
	struct ndisrt_nic_attributes a;

	th_load(&t, E1000_SO);
	e1000_pair(&t);
	for (unsigned i = 0; i < 2; i++) {
		ndisrt_nic_get_attributes(t.nic[i], &a);
		cr_expect_eq(memcmp(a.permanent_mac, th_mac[i], 6), 0, "NIC %u: EEPROM MAC", i);
		cr_expect_eq(memcmp(a.current_mac, th_mac[i], 6), 0);
		cr_expect_eq(reg(&t, i, E1000_ITR), 488, "~8000 interrupts/s in 256 ns units");
		cr_expect_eq(reg(&t, i, E1000_IMS), E1000_ICR_RXT0 | E1000_ICR_RXO |
							E1000_ICR_RXDMT0 | E1000_ICR_TXDW |
							E1000_ICR_LSC);
		cr_expect_eq(reg(&t, i, E1000_RAH0),
			     (th_mac[i][4] | th_mac[i][5] << 8) | E1000_RAH_AV);
		cr_expect(reg(&t, i, E1000_STATUS) & E1000_STATUS_LU, "the driver set SLU");
		cr_expect(hw_device_stat(t.dev[i], "eeprom_reads", NULL) >= 64, "checksum read");
	}
}

/* Cable out, cable in: LSC interrupts, and NdisMIndicateStatus reports both. */
Test(host_e1000, link_change_indicated_through_lsc, .init = host_2cpu, .fini = host_end)
{
	unsigned long before;

	th_load(&t, E1000_SO);
	e1000_pair(&t);
	cr_assert(ndisrt_nic_link_up(t.nic[1], NULL));
	before = atomic_load(&t.st[1].count);
	cr_assert_eq(hw_dev_fault(t.dev[1], HW_FAULT_LINK, 0), 0);
	WAIT_UNTIL(atomic_load(&t.st[1].count) == before + 1);
	cr_expect_not(ndisrt_nic_link_up(t.nic[1], NULL), "NDIS_STATUS_MEDIA_DISCONNECT");
	cr_assert_eq(hw_dev_fault(t.dev[1], HW_FAULT_LINK, 1), 0);
	WAIT_UNTIL(atomic_load(&t.st[1].count) == before + 2);
	cr_expect(ndisrt_nic_link_up(t.nic[1], NULL), "NDIS_STATUS_MEDIA_CONNECT");
	cr_expect_eq(atomic_load(&t.st[0].count), 0, "the other NIC saw nothing");
}

/*
 * The device vanishes with sends in flight: reads are all ones, nothing
 * completes on the ring; MiniportHalt still gives every packet back and
 * frees what it allocated (no bug check).
 */
Test(host_e1000, halt_after_surprise_removal_returns_every_packet, .init = host_2cpu,
     .fini = host_end)
{
	struct wire_gen_config g = th_gen(100, 1);
	static uint8_t bufs[8][2048];
	const void *frames[8];
	size_t lens[8];
	struct ndisrt_nic_stats s;

	th_load(&t, E1000_SO);
	e1000_pair(&t);
	cr_assert_eq(hw_dev_fault(t.dev[0], HW_FAULT_SURPRISE_REMOVE, 0), 0);
	for (unsigned j = 0; j < 8; j++) {
		lens[j] = th_frame(&g, j, bufs[j]);
		frames[j] = bufs[j];
	}
	cr_assert_eq(ndisrt_nic_send(t.nic[0], 0, frames, lens, 8), 8);
	ndisrt_nic_get_stats(t.nic[0], &s);
	cr_expect_eq(s.send_completed, 0, "nothing completes on a removed device");
	ndisrt_nic_halt(t.nic[0]);
	t.nic[0] = NULL;
}
