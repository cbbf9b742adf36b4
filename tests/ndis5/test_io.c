/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_io.c - port ranges and raw port access, register
 * access, PCI slot information (spec §16, §17), on a VN-1's PIO window.
 * The access macros must take what real drivers pass: integers, PUCHAR
 * arithmetic and typed pointers.
 */
#include "tests/ndis5/tndis5.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

/* The environment every test below starts from (Criterion fixtures). */
static struct t5env e;

static void env_1cpu(void)
{
	t5env_init(&e, 1, 0);
}

static void env_end(void)
{
	t5env_end(&e);
}

struct io_env {
	struct t5env e;
	struct t5 t;
	struct vn1 *dev;
	struct vn1_resources res;
};

static void io_start(struct io_env *x)
{
	t5env_init(&x->e, 1, 0);
	t5_init(&x->t, 0);
	x->t.skip_register = true;
	x->t.register_ports = true;
	x->dev = t5env_vn1(&x->e, &x->t.src);
	x->t.dev = x->dev;
	vn1_resources(x->dev, &x->res);
	/* t5_start re-initializes the pin on the same line: harmless. */
	t5_start(&x->e, &x->t, 0);
	cr_assert_eq((uintptr_t)x->t.port_offset, x->res.bar1_port, "PortOffset is the port");
}

static void io_end(struct io_env *x)
{
	t5_stop(&x->t);
	t5_assert_good(&x->t);
	t5env_end(&x->e);
}

struct io_result {
	ULONG_PTR base;
	UCHAR mac[6];
	UCHAR cmd;
	USHORT imr, imr16_ptr, rxlen;
	ULONG imr32;
	USHORT frame[8];
	KIRQL irql;
};

/* Every width and every argument shape a driver uses. */
static void port_access(void *arg)
{
	struct io_result *r = arg;
	ULONG_PTR base = r->base;
	PUCHAR pbase = (PUCHAR)base;
	PUSHORT imr_ptr = (PUSHORT)(pbase + VN1_PIO_IMR);
	UINT ibase = (UINT)base;

	r->irql = NDIS_CURRENT_IRQL();
	NdisRawWritePortUchar(pbase + VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	NdisRawReadPortUchar(ibase + VN1_PIO_CMD, &r->cmd);
	for (int i = 0; i < 6; i++)
		NdisRawReadPortUchar(base + VN1_PIO_MAC + i, &r->mac[i]);
	NdisRawWritePortUshort(imr_ptr, 0x4); /* LSC: nothing pending, the line stays low */
	NdisRawReadPortUshort(imr_ptr, &r->imr16_ptr);
	NdisRawReadPortUshort(base + VN1_PIO_IMR, &r->imr);
	/* ULONG at ISR covers ISR (low half) and IMR (high half). */
	NdisRawReadPortUlong(base + VN1_PIO_ISR, &r->imr32);
	NdisRawWritePortUlong(base + VN1_PIO_ISR, 0); /* ISR read-only; IMR = 0 */
	NdisRawReadPortUshort(base + VN1_PIO_RXLEN, &r->rxlen);
	NdisRawReadPortBufferUshort(pbase + VN1_PIO_DATA, r->frame, 8);
	NdisRawWritePortUchar(base + VN1_PIO_CMD, VN1_PIO_CMD_ENABLE | VN1_PIO_CMD_RX_NEXT);
}

static void port_access_dispatch(void *arg)
{
	KIRQL old;

	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	port_access(arg);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

static BOOLEAN port_access_sync(PVOID arg)
{
	port_access(arg);
	return TRUE;
}

/* 16 bytes to a multicast address (the PIO window takes own MAC, broadcast, multicast). */
static void make_frame(uint8_t frame[16])
{
	for (int i = 0; i < 16; i++)
		frame[i] = (uint8_t)(i + 0x10);
	frame[0] = 0x11;
}

static void check_result(struct io_result *r)
{
	uint8_t frame[16];

	make_frame(frame);
	cr_assert_eq(r->cmd, VN1_PIO_CMD_ENABLE);
	cr_assert_arr_eq(r->mac, ((uint8_t[6]){0x02, 0x00, 0x4e, 0x35, 0x00, 0x01}), 6);
	cr_assert_eq(r->imr16_ptr, 0x4);
	cr_assert_eq(r->imr, 0x4);
	cr_assert_eq(r->imr32 >> 16, 0x4);
	cr_assert_eq(r->rxlen, 16);
	cr_assert_arr_eq(r->frame, frame, 16, "NdisRawReadPortBufferUshort: 8 reads of PIO_DATA");
}

static void offer_frame(struct io_env *x)
{
	uint8_t frame[16];

	make_frame(frame);
	cr_assert_eq(vn1_receive(x->dev, frame, 16), VN1_RX_OK);
}

Test(ndis5_io, S16_raw_port_access_every_width_and_argument_shape_at_passive)
{
	struct io_env x;
	struct io_result r = {0};

	io_start(&x);
	t5_on_vcpu(&x.e, 0, port_access, &(struct io_result){.base = x.res.bar1_port});
	offer_frame(&x);
	r.base = x.res.bar1_port;
	t5_on_vcpu(&x.e, 0, port_access, &r);
	cr_assert_eq(r.irql, PASSIVE_LEVEL);
	check_result(&r);
	io_end(&x);
}

Test(ndis5_io, S16_raw_port_access_at_dispatch)
{
	struct io_env x;
	struct io_result r = {.base = 0};

	io_start(&x);
	t5_on_vcpu(&x.e, 0, port_access, &(struct io_result){.base = x.res.bar1_port});
	offer_frame(&x);
	r.base = x.res.bar1_port;
	t5_on_vcpu(&x.e, 0, port_access_dispatch, &r);
	cr_assert_eq(r.irql, DISPATCH_LEVEL);
	check_result(&r);
	io_end(&x);
}

struct sync_io {
	struct io_env *x;
	struct io_result r;
};

static void sync_port_access(void *arg)
{
	struct sync_io *s = arg;

	NdisMSynchronizeWithInterrupt(&s->x->t.intr, (PVOID)port_access_sync, &s->r);
}

Test(ndis5_io, S16_raw_port_access_at_dirql_in_a_synchronize_routine)
{
	struct io_env x;
	struct sync_io s = {0};

	io_start(&x);
	/* This NIC registers no interrupt: use a second one that does. */
	t5_stop(&x.t);
	t5_init(&x.t, 0);
	x.t.register_ports = true;
	x.t.dev = x.dev;
	x.t.request_isr = TRUE;
	t5_start(&x.e, &x.t, 0);
	t5_on_vcpu(&x.e, 0, port_access, &(struct io_result){.base = x.res.bar1_port});
	offer_frame(&x);
	s.x = &x;
	s.r.base = x.res.bar1_port;
	t5_on_vcpu(&x.e, 0, sync_port_access, &s);
	cr_assert_eq(s.r.irql, T5_LINE_IRQL);
	check_result(&s.r);
	io_end(&x);
}

static void write_buffers(void *arg)
{
	ULONG_PTR base = *(ULONG_PTR *)arg;
	static const UCHAR bytes[4] = {1, 2, 3, 4};
	static const USHORT words[2] = {0x0605, 0x0807};
	static const ULONG dwords[1] = {0x0C0B0A09};
	USHORT txlen;

	NdisRawWritePortUchar(base + VN1_PIO_CMD, VN1_PIO_CMD_ENABLE);
	NdisRawWritePortBufferUchar(base + VN1_PIO_DATA, bytes, 4);
	NdisRawWritePortBufferUshort(base + VN1_PIO_DATA, words, 2);
	/* A ULONG at PIO_DATA covers DATA and TXLEN (trimming refused): 2 bytes appended. */
	NdisRawWritePortBufferUlong(base + VN1_PIO_DATA, dwords, 1);
	NdisRawReadPortUshort(base + VN1_PIO_TXLEN, &txlen);
	*(ULONG_PTR *)arg = txlen;
}

Test(ndis5_io, S16_raw_port_write_buffers_append_one_element_at_a_time)
{
	struct io_env x;
	ULONG_PTR arg;

	io_start(&x);
	arg = x.res.bar1_port;
	t5_on_vcpu(&x.e, 0, write_buffers, &arg);
	cr_assert_eq(arg, 4 + 4 + 2);
	io_end(&x);
}

static void read_unmapped(void *arg)
{
	USHORT v;

	NdisRawReadPortUshort(*(ULONG_PTR *)arg, &v);
}

Test(ndis5_io, S16_port_outside_a_registered_range_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct io_env x;
	ULONG_PTR port;

	io_start(&x);
	port = x.res.bar1_port + VN1_BAR1_LEN - 1; /* a USHORT there crosses the end */
	/* PAGE_FAULT_IN_NONPAGED_AREA: the port, a read, (caller), a port. */
	expect_bugcheck(0x50, 0xB, port, 0, 0, 1);
	t5_on_vcpu(&x.e, 0, read_unmapped, &port);
}

static void port_register_outside_init(void *arg)
{
	struct t5 *t = arg;
	PVOID off;

	NdisMRegisterIoPortRange(&off, t->handle, 0xC000, 0x20);
}

Test(ndis5_io, H2_register_port_range_outside_initialize_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct io_env x;

	io_start(&x);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_WRONG_CONTEXT, 0, 0, NDISRT_DDI_PORT_RANGE);
	t5_on_vcpu(&x.e, 0, port_register_outside_init, &x.t);
}

static void claim_outside_resource(struct t5 *t)
{
	PVOID off = (PVOID)1;

	t5check(t,
		NdisMRegisterIoPortRange(&off, t->handle, 0x1000, 0x20) ==
		    NDIS_STATUS_RESOURCE_CONFLICT,
		"ports outside BAR1 must conflict");
	t5check(t, off == NULL, "PortOffset NULL on failure");
}

Test(ndis5_io, S17_register_port_range_outside_the_resource_conflicts, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.skip_register = true;
	t.dev = t5env_vn1(&e, &t.src);
	t.in_init = claim_outside_resource;
	t5_start(&e, &t, 0);
	t5_stop(&t);
	t5_assert_good(&t);
}

/* ---------------------------------------------------------- registers */

static PVOID regs;

static void map_bar0(struct t5 *t)
{
	struct vn1_resources res;
	NDIS_PHYSICAL_ADDRESS pa;

	vn1_resources(t->dev, &res);
	pa.QuadPart = (LONGLONG)res.bar0_addr;
	t5check(t, NdisMMapIoSpace(&regs, t->handle, pa, res.bar0_len) == NDIS_STATUS_SUCCESS,
		"NdisMMapIoSpace");
}

static void unmap_bar0(struct t5 *t)
{
	NdisMUnmapIoSpace(t->handle, regs, VN1_BAR0_LEN);
}

struct reg_result {
	ULONG status, mac_lo, imask;
	USHORT mac_lo16;
	UCHAR mac_lo8;
};

static void register_access(void *arg)
{
	struct reg_result *r = arg;
	PUCHAR base = regs;

	NdisReadRegisterUlong((PULONG)(base + VN1_STATUS), &r->status);
	NdisReadRegisterUlong(base + VN1_MAC_LO, &r->mac_lo);
	NdisReadRegisterUshort((ULONG_PTR)base + VN1_MAC_LO, &r->mac_lo16);
	NdisReadRegisterUchar(base + VN1_MAC_LO + 3, &r->mac_lo8);
	NdisWriteRegisterUlong((PULONG)(base + VN1_IMS), 0x3);
	NdisWriteRegisterUshort(base + VN1_IMC, 0x1);
	NdisWriteRegisterUchar(base + VN1_RXFILTER, 0x4);
	NdisReadRegisterUlong(base + VN1_IMS, &r->imask);
}

Test(ndis5_io, S16_register_access_every_width_through_ndismmapiospace, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;
	struct reg_result r = {0};

	t5_init(&t, 0);
	t.skip_register = true;
	t.dev = t5env_vn1(&e, &t.src);
	t.in_init = map_bar0;
	t.in_halt = unmap_bar0;
	t5_start(&e, &t, 0);
	t5_on_vcpu(&e, 0, register_access, &r);
	cr_assert_eq(r.status & VN1_STATUS_LU, VN1_STATUS_LU);
	cr_assert_eq(r.mac_lo, 0x354e0002u);
	cr_assert_eq(r.mac_lo16, 0x0002);
	cr_assert_eq(r.mac_lo8, 0x35);
	cr_assert_eq(r.imask, 0x2, "IMS 0x3 then IMC 0x1");
	cr_assert_eq(vn1_mmio_read32(e.devs[0], VN1_RXFILTER), 0x4);
	t5_stop(&t);
	t5_assert_good(&t);
}

static void read_unmapped_register(void *arg)
{
	ULONG v;

	(void)arg;
	NdisReadRegisterUlong((PULONG)0x1000, &v);
}

Test(ndis5_io, S16_register_outside_a_mapping_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct ke_machine *m = harness_machine(1);

	/* PAGE_FAULT_IN_NONPAGED_AREA: the address, a read, (caller), a register. */
	expect_bugcheck(0x50, 0xB, 0x1000, 0, 0, 0);
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), read_unmapped_register, NULL), 0);
}

/* ----------------------------------------------------------- PCI config */

static void read_pci(struct t5 *t)
{
	USHORT ids[2];
	ULONG bar1;
	UCHAR line;

	t5check(t, NdisReadPciSlotInformation(t->handle, 0, 0, ids, 4) == 4, "4 bytes");
	t5check(t, ids[0] == 0x1D6E && ids[1] == 0x0001, "IDs %x %x", ids[0], ids[1]);
	NdisReadPciSlotInformation(t->handle, 0, 0x14, &bar1, 4);
	t5check(t, bar1 == (0xC000u | 1), "BAR1 %x", bar1);
	NdisReadPciSlotInformation(t->handle, 0, 0x3C, &line, 1);
	t5check(t, line == intc_line_vector(t->src.line), "interrupt line");
}

Test(ndis5_io, S17_pci_slot_information_gives_ids_bar1_and_line, .init = env_1cpu, .fini = env_end)
{
	struct t5 t;

	t5_init(&t, 0);
	t.skip_register = true;
	t.dev = t5env_vn1(&e, &t.src);
	t.in_init = read_pci;
	t5_start(&e, &t, 0);
	t5_stop(&t);
	t5_assert_good(&t);
}

/* ------------------------------------------------- port range rules (§17) */

static void register_ports_at_dispatch(struct t5 *t)
{
	struct vn1_resources res;
	PVOID off;
	KIRQL old;

	vn1_resources(t->dev, &res);
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisMRegisterIoPortRange(&off, t->handle, res.bar1_port, res.bar1_len);
}

Test(ndis5_io, S17_register_port_range_at_dispatch_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = env_1cpu)
{
	struct t5 t;

	t5_init(&t, 0);
	t.skip_register = true;
	t.dev = t5env_vn1(&e, &t.src);
	t.in_init = register_ports_at_dispatch;
	expect_bugcheck(C4, 0xB, NDISRT_VIOLATION_IRQL, DISPATCH_LEVEL, 0, NDISRT_DDI_PORT_RANGE);
	t5_start(&e, &t, 0);
}

Test(ndis5_io, H2_register_port_range_before_the_attributes_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct t5env env;
	struct t5 t;

	t5env_init(&env, 1, 0);
	t5_init(&t, 0);
	t.skip_register = true;
	t.skip_attributes = true;
	t.register_ports = true;
	t.dev = t5env_vn1(&env, &t.src);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_NO_ATTRIBUTES, 0, 0, NDISRT_DDI_PORT_RANGE);
	t5_start(&env, &t, 0);
}

static void claim_twice(struct t5 *t)
{
	struct vn1_resources res;
	PVOID off = (PVOID)1;

	vn1_resources(t->dev, &res);
	t5check(t,
		NdisMRegisterIoPortRange(&off, t->handle, res.bar1_port + 4, 2) ==
		    NDIS_STATUS_RESOURCE_CONFLICT,
		"ports already claimed must conflict");
	t5check(t, off == NULL, "PortOffset NULL on failure");
	t5check(t,
		NdisMRegisterIoPortRange(&off, t->handle, res.bar1_port, 0) == NDIS_STATUS_FAILURE,
		"no ports");
}

Test(ndis5_io, S17_ports_claimed_twice_conflict)
{
	struct io_env x;

	t5env_init(&x.e, 1, 0);
	t5_init(&x.t, 0);
	x.t.skip_register = true;
	x.t.register_ports = true;
	x.dev = x.t.dev = t5env_vn1(&x.e, &x.t.src);
	x.t.in_init = claim_twice;
	t5_start(&x.e, &x.t, 0);
	io_end(&x);
}

static void deregister_a_sub_range(struct t5 *t)
{
	struct vn1_resources res;

	vn1_resources(t->dev, &res);
	NdisMDeregisterIoPortRange(t->handle, res.bar1_port + 2, res.bar1_len - 2,
				   (PVOID)(ULONG_PTR)(res.bar1_port + 2));
}

Test(ndis5_io, S17_deregister_not_the_registered_range_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct io_env x;

	io_start(&x);
	x.t.in_halt = deregister_a_sub_range;
	expect_bugcheck(C4, 0xB, NDISRT_VIOLATION_BAD_PARAMETER, x.res.bar1_port + 2, 0,
			NDISRT_DDI_PORT_RANGE);
	t5_stop(&x.t);
}

/* MiniportHalt releases the ports itself, then touches one. */
static void release_then_touch(struct t5 *t)
{
	struct vn1_resources res;
	UCHAR v;

	vn1_resources(t->dev, &res);
	NdisMDeregisterIoPortRange(t->handle, res.bar1_port, res.bar1_len, t->port_offset);
	t->port_offset = NULL;
	NdisRawReadPortUchar(res.bar1_port + VN1_PIO_STATUS, &v);
}

Test(ndis5_io, S17_port_access_after_deregister_bugchecks_0x50,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct io_env x;

	io_start(&x);
	x.t.in_halt = release_then_touch;
	expect_bugcheck(0x50, 0xB, x.res.bar1_port + VN1_PIO_STATUS, 0, 0, 1);
	t5_stop(&x.t);
}

static void forget_ports(struct t5 *t)
{
	t->port_offset = NULL; /* t5_halt would deregister them */
}

Test(ndis5_io, H3_halt_keeping_its_ports_bugchecks_resource_leak,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct io_env x;

	io_start(&x);
	x.t.in_halt = forget_ports;
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_RESOURCE_LEAK, 0, 1, 1);
	t5_stop(&x.t);
}

Test(ndis5_io, S16_port_access_from_a_host_thread_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	struct io_env x;
	USHORT v;

	io_start(&x);
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_NOT_ON_VCPU, 0, 0, NDISRT_DDI_PORT_ACCESS);
	NdisRawReadPortUshort(x.res.bar1_port + VN1_PIO_IMR, &v);
}

static BOOLEAN register_access_sync(PVOID arg)
{
	struct reg_result *r = arg;
	PUCHAR base = regs;

	NdisReadRegisterUlong(base + VN1_STATUS, &r->status);
	return TRUE;
}

static void register_access_at_dirql(void *arg)
{
	struct t5 *t = arg;

	NdisMSynchronizeWithInterrupt(&t->intr, (PVOID)register_access_sync, t->user);
}

Test(ndis5_io, S16_register_access_at_dirql_in_a_synchronize_routine, .init = env_1cpu,
     .fini = env_end)
{
	struct t5 t;
	struct reg_result r = {0};

	t5_init(&t, 0);
	t.dev = t5env_vn1(&e, &t.src);
	t.in_init = map_bar0;
	t.in_halt = unmap_bar0;
	t.user = &r;
	t5_start(&e, &t, 0);
	t5_on_vcpu(&e, 0, register_access_at_dirql, &t);
	cr_assert_eq(r.status & VN1_STATUS_LU, VN1_STATUS_LU);
	t5_stop(&t);
	t5_assert_good(&t);
}
