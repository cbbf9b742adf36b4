/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis5/test_misc51.c - the rest of the NDIS 5.1 miniport DDI
 * (docs/ndis5.md): NdisMQueryAdapterResources, map registers, SG lists on
 * sends, NdisMAllocateSharedMemoryAsync, shutdown and unload handlers,
 * miniport logs, the reader/writer lock, NDIS_TIMER, packet copies,
 * files, the version and routine lookup - each with its documented IRQL
 * and failure behaviour.
 */
#include "tests/ndis5/tndis5.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION

/* What the driver saw. (a) written on vCPUs, read by the test. */
static struct {
	NDIS_HANDLE adapter;
	NDIS_STATUS small_status, res_status, maps_status, sg_status;
	UINT need, count;
	ULONG irq_vector;
	UCHAR irq_type;
	atomic_uint shutdowns, shutdown_irql, unloads, unload_irql;
	atomic_uint sends, sg_ok, alloc_done, alloc_irql;
	PVOID alloc_va;
	NDIS_PHYSICAL_ADDRESS alloc_pa;
	bool keep_maps; /* halt does not free the map registers */
} d;

static struct hw_dma_space *dma;

static VOID shutdown(PVOID ctx)
{
	atomic_store(&d.shutdown_irql, NDIS_CURRENT_IRQL());
	atomic_fetch_add(&d.shutdowns, (unsigned)(uintptr_t)ctx);
}

static VOID unload(PDRIVER_OBJECT o)
{
	(void)o;
	atomic_store(&d.unload_irql, NDIS_CURRENT_IRQL());
	atomic_fetch_add(&d.unloads, 1);
}

static NDIS_STATUS initialize(PNDIS_STATUS open_error, PUINT medium, PNDIS_MEDIUM media,
			      UINT nmedia, NDIS_HANDLE handle, NDIS_HANDLE config)
{
	struct t5 *t = t5_next;
	union {
		NDIS_RESOURCE_LIST l;
		UCHAR b[512];
	} res;
	UINT size = 4;

	d.adapter = handle;
	NdisMSetAttributesEx(handle, t, 30, NDIS_ATTRIBUTE_DESERIALIZE | NDIS_ATTRIBUTE_BUS_MASTER,
			     NdisInterfacePci);
	t->skip_attributes = true;
	NdisMQueryAdapterResources(&d.small_status, config, &res.l, &size);
	d.need = size;
	size = sizeof(res);
	NdisMQueryAdapterResources(&d.res_status, config, &res.l, &size);
	d.count = res.l.Count;
	if (res.l.Count) {
		d.irq_type = res.l.PartialDescriptors[res.l.Count - 1].Type;
		d.irq_vector = res.l.PartialDescriptors[res.l.Count - 1].u.Interrupt.Vector;
	}
	d.sg_status = NdisMInitializeScatterGatherDma(handle, TRUE, 4096);
	d.maps_status = NdisMAllocateMapRegisters(handle, 0, NDIS_DMA_64BITS, 2, 2048);
	NdisMRegisterAdapterShutdownHandler(handle, (PVOID)(uintptr_t)7, shutdown);
	return t5_initialize(open_error, medium, media, nmedia, handle, config);
}

static VOID halt(NDIS_HANDLE ctx)
{
	if (!d.keep_maps)
		NdisMFreeMapRegisters(d.adapter);
	NdisMDeregisterAdapterShutdownHandler(d.adapter);
	if (d.alloc_va)
		NdisMFreeSharedMemory(d.adapter, 4096, FALSE, d.alloc_va, d.alloc_pa);
	t5_halt(ctx);
}

/* Each sent packet carries its SG list: one element, the frame in DMA space. */
static NDIS_STATUS send(NDIS_HANDLE ctx, PNDIS_PACKET p, UINT flags)
{
	PSCATTER_GATHER_LIST l = NDIS_PER_PACKET_INFO_FROM_PACKET(p, ScatterGatherListPacketInfo);
	UINT len = 0;

	(void)ctx, (void)flags;
	NdisQueryPacketLength(p, &len);
	atomic_fetch_add(&d.sends, 1);
	if (l && l->NumberOfElements == 1 && l->Elements[0].Length == len) {
		const UCHAR *dev =
		    hw_dma_translate(dma, (uint64_t)l->Elements[0].Address.QuadPart, len);

		if (dev && memcmp(dev, p->Private.Head->MappedSystemVa, len) == 0)
			atomic_fetch_add(&d.sg_ok, 1);
	}
	return NDIS_STATUS_SUCCESS;
}

static VOID allocate_complete(NDIS_HANDLE ctx, PVOID va, PNDIS_PHYSICAL_ADDRESS pa, ULONG len,
			      PVOID context)
{
	(void)ctx, (void)len;
	d.alloc_va = va;
	d.alloc_pa = *pa;
	atomic_store(&d.alloc_irql, NDIS_CURRENT_IRQL());
	atomic_store(&d.alloc_done, (unsigned)(uintptr_t)context);
}

static NTSTATUS entry(PVOID driver_object, PVOID registry_path)
{
	NDIS_MINIPORT_CHARACTERISTICS c;
	NDIS_HANDLE w;

	NdisMInitializeWrapper(&w, driver_object, registry_path, NULL);
	memset(&c, 0, sizeof(c));
	c.MajorNdisVersion = 5;
	c.MinorNdisVersion = 1;
	c.InitializeHandler = initialize;
	c.HaltHandler = halt;
	c.ISRHandler = t5_isr;
	c.HandleInterruptHandler = t5_handle_interrupt;
	c.QueryInformationHandler = t5_query;
	c.SetInformationHandler = t5_set;
	c.ResetHandler = t5_reset;
	c.SendHandler = send;
	c.AllocateCompleteHandler = allocate_complete;
	NdisMRegisterUnloadHandler(w, unload);
	return NdisMRegisterMiniport(w, &c, sizeof(c));
}

static struct {
	struct t5env e;
	struct t5 t;
	struct ndisrt_ndis5_driver *drv;
} x;

static void start(void)
{
	struct ndisrt_ndis5_nic_config cfg;
	static int object;
	char err[256];

	memset(&d, 0, sizeof(d));
	t5env_init(&x.e, 2, 0);
	dma = x.e.dma = hw_dma_space_create();
	cr_assert_not_null(dma);
	cr_assert_eq(ndisrt_ndis5_driver_entry(x.e.m, entry, &object, &x.drv, err, sizeof(err)), 0,
		     "%s", err);
	t5_init(&x.t, 0);
	intc_source_init(&x.t.src, x.e.ic, x.e.line);
	cfg = (struct ndisrt_ndis5_nic_config){.m = x.e.m, .line = x.e.line, .dma = dma};
	t5_next = &x.t;
	cr_assert_eq(ndisrt_ndis5_nic_start(x.drv, &cfg, &x.t.nic, err, sizeof(err)), 0, "%s", err);
}

static void stop(void)
{
	t5_stop(&x.t);
	ndisrt_ndis5_driver_free(x.drv);
	t5_assert_good(&x.t);
	t5env_end(&x.e);
}

Test(ndis5_misc51, S14_query_adapter_resources_sizes_then_lists_the_interrupt)
{
	start();
	cr_assert_eq(d.small_status, NDIS_STATUS_RESOURCES, "a short buffer: RESOURCES");
	cr_assert_eq(d.need, sizeof(NDIS_RESOURCE_LIST) + sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR),
		     "the size needed: the list and one descriptor (no BARs, one line)");
	cr_assert_eq(d.res_status, NDIS_STATUS_SUCCESS);
	cr_assert_eq(d.count, 1);
	cr_assert_eq(d.irq_type, CmResourceTypeInterrupt);
	cr_assert_eq(d.irq_vector, intc_line_vector(x.e.line));
	stop();
}

/* ------------------------------------------------------ map registers */

static UCHAR host_data[100];
static struct {
	PHYSICAL_ADDRESS to_dev, from_dev;
	UINT n1, n2;
} mr;

static void map_on_vcpu(void *arg)
{
	NDIS_PHYSICAL_ADDRESS_UNIT u[1];
	NDIS_HANDLE pool;
	PNDIS_BUFFER b;
	NDIS_STATUS st;
	KIRQL old;

	(void)arg;
	NdisAllocateBufferPool(&st, &pool, 1);
	NdisAllocateBuffer(&st, &b, pool, host_data, sizeof(host_data));
	memset(host_data, 0x5A, sizeof(host_data));
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisMStartBufferPhysicalMapping(d.adapter, b, 0, TRUE, u, &mr.n1);
	mr.to_dev = u[0].PhysicalAddress;
	NdisMCompleteBufferPhysicalMapping(d.adapter, b, 0);
	NdisMStartBufferPhysicalMapping(d.adapter, b, 1, FALSE, u, &mr.n2);
	mr.from_dev = u[0].PhysicalAddress;
	/* The device writes through map register 1. */
	memset(hw_dma_translate(dma, (uint64_t)mr.from_dev.QuadPart, sizeof(host_data)), 0xC3,
	       sizeof(host_data));
	NdisMCompleteBufferPhysicalMapping(d.adapter, b, 1);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
	NdisFreeBuffer(b);
	NdisFreeBufferPool(pool);
}

Test(ndis5_misc51, S14_map_registers_copy_to_and_from_the_device)
{
	const UCHAR *dev;

	start();
	cr_assert_eq(d.maps_status, NDIS_STATUS_SUCCESS);
	t5_on_vcpu(&x.e, 1, map_on_vcpu, NULL);
	cr_assert_eq(mr.n1, 1);
	dev = hw_dma_translate(dma, (uint64_t)mr.to_dev.QuadPart, sizeof(host_data));
	cr_assert_not_null(dev, "the address is in the DMA space");
	cr_assert_eq(dev[0], 0x5A, "WriteToDevice: the bytes are there for the device");
	cr_assert_eq(dev[99], 0x5A);
	cr_assert_neq(mr.to_dev.QuadPart, mr.from_dev.QuadPart, "one bounce buffer per register");
	cr_assert_eq(host_data[0], 0xC3, "a device write lands in the buffer at completion");
	cr_assert_eq(host_data[99], 0xC3);
	stop();
}

Test(ndis5_misc51, H3_halt_with_map_registers_allocated_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	start();
	d.keep_maps = true;
	expect_bugcheck(C4, 0xB, NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)d.adapter, 0, 5);
	t5_stop(&x.t);
	cr_assert_fail("no bug check");
}

/* ---------------------------------------------- SG lists, async memory */

Test(ndis5_misc51, S14_sends_carry_a_scatter_gather_list_once_sg_dma_is_set_up)
{
	static UCHAR frame[120];
	const void *frames[3] = {frame, frame, frame};
	size_t lens[3] = {60, 90, 120};

	start();
	cr_assert_eq(d.sg_status, NDIS_STATUS_SUCCESS);
	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (UCHAR)i;
	cr_assert_eq(ndisrt_ndis5_nic_send(x.t.nic, 1, frames, lens, 3), 3);
	cr_assert_eq(atomic_load(&d.sends), 3);
	cr_assert_eq(atomic_load(&d.sg_ok), 3, "ScatterGatherListPacketInfo: the frame's copy");
	stop();
}

static void alloc_async(void *arg)
{
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	d.sg_status = NdisMAllocateSharedMemoryAsync(d.adapter, 4096, FALSE, (PVOID)(uintptr_t)9);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis5_misc51, S14_shared_memory_async_completes_at_dispatch_level)
{
	start();
	t5_on_vcpu(&x.e, 1, alloc_async, NULL);
	cr_assert_eq(d.sg_status, NDIS_STATUS_PENDING);
	WAIT_UNTIL(atomic_load(&d.alloc_done) == 9);
	cr_assert_not_null(d.alloc_va);
	cr_assert_eq(hw_dma_translate(dma, (uint64_t)d.alloc_pa.QuadPart, 4096), d.alloc_va);
	cr_assert_eq(atomic_load(&d.alloc_irql), DISPATCH_LEVEL);
	stop(); /* halt frees it: no RESOURCE_LEAK */
}

/* -------------------------------------------------- shutdown, unload */

Test(ndis5_misc51, S14_shutdown_and_unload_handlers_run_at_passive_level)
{
	start();
	cr_assert_eq(ndisrt_ndis5_nic_shutdown(x.t.nic), 1);
	cr_assert_eq(atomic_load(&d.shutdowns), 7, "once, with its context");
	cr_assert_eq(atomic_load(&d.shutdown_irql), PASSIVE_LEVEL);
	t5_stop(&x.t);
	cr_assert_eq(atomic_load(&d.unloads), 0);
	ndisrt_ndis5_driver_free(x.drv);
	cr_assert_eq(atomic_load(&d.unloads), 1, "NdisMRegisterUnloadHandler's handler");
	cr_assert_eq(atomic_load(&d.unload_irql), PASSIVE_LEVEL);
	t5_assert_good(&x.t);
	t5env_end(&x.e);
}

/* ------------------------------------- logs, RW lock, timers, copies */

static struct {
	NDIS_STATUS create, w1, w2, w3;
	KIRQL held_irql, after_irql;
	UINT copied;
	UCHAR dst[16];
	NDIS_STATUS file;
	NDIS_HANDLE file_handle;
	PVOID routine, libc, sub;
	NDIS_STATUS sub_status;
	BOOLEAN cancelled;
} r;
static atomic_uint timer_fired, timer_irql;
static NDIS_TIMER timer;

static VOID timer_fn(PVOID s1, PVOID ctx, PVOID s2, PVOID s3)
{
	(void)s1, (void)s2, (void)s3;
	atomic_store(&timer_irql, NDIS_CURRENT_IRQL());
	atomic_fetch_add(&timer_fired, (unsigned)(uintptr_t)ctx);
}

static const WCHAR w_version[] = {'N', 'd', 'i', 's', 'G', 'e', 't', 'V',
				  'e', 'r', 's', 'i', 'o', 'n', 0};
static const WCHAR w_malloc[] = {'m', 'a', 'l', 'l', 'o', 'c', 0};

static void misc_on_vcpu(void *arg)
{
	NDIS_HANDLE log, pool, bpool, cfg;
	NDIS_RW_LOCK lock;
	LOCK_STATE s1, s2;
	PNDIS_PACKET src, dst;
	PNDIS_BUFFER b[3];
	NDIS_STATUS st;
	NDIS_STRING name;
	static UCHAR a[5] = {1, 2, 3, 4, 5}, bb[5] = {6, 7, 8, 9, 10};
	BOOLEAN cancelled;
	UINT file_len;

	(void)arg;
	r.create = NdisMCreateLog(d.adapter, 8, &log);
	r.w1 = NdisMWriteLogData(log, a, 5);
	r.w2 = NdisMWriteLogData(log, a, 5); /* 10 > 8 */
	NdisMFlushLog(log);
	r.w3 = NdisMWriteLogData(log, a, 5);
	NdisMCloseLog(log);

	NdisInitializeReadWriteLock(&lock);
	NdisAcquireReadWriteLock(&lock, FALSE, &s1);
	NdisAcquireReadWriteLock(&lock, FALSE, &s2); /* a reader may read again */
	r.held_irql = NDIS_CURRENT_IRQL();
	NdisReleaseReadWriteLock(&lock, &s2);
	NdisReleaseReadWriteLock(&lock, &s1);
	NdisAcquireReadWriteLock(&lock, TRUE, &s1);
	NdisReleaseReadWriteLock(&lock, &s1);
	r.after_irql = NDIS_CURRENT_IRQL();

	/* source: [1 2 3 4 5][6 7 8 9 10]; destination: one 16-byte buffer */
	NdisAllocatePacketPool(&st, &pool, 2, 0);
	NdisAllocateBufferPool(&st, &bpool, 3);
	NdisAllocatePacket(&st, &src, pool);
	NdisAllocatePacket(&st, &dst, pool);
	NdisAllocateBuffer(&st, &b[0], bpool, a, 5);
	NdisAllocateBuffer(&st, &b[1], bpool, bb, 5);
	NdisAllocateBuffer(&st, &b[2], bpool, r.dst, sizeof(r.dst));
	NdisChainBufferAtBack(src, b[0]);
	NdisChainBufferAtBack(src, b[1]);
	NdisChainBufferAtBack(dst, b[2]);
	NdisCopyFromPacketToPacket(dst, 2, 100, src, 3, &r.copied); /* 7 bytes: 4 5 6 7 8 9 10 */
	for (unsigned i = 0; i < 3; i++)
		NdisFreeBuffer(b[i]);
	NdisReinitializePacket(src);
	NdisReinitializePacket(dst);
	NdisFreePacket(src);
	NdisFreePacket(dst);
	NdisFreeBufferPool(bpool);
	NdisFreePacketPool(pool);

	NdisInitUnicodeString(&name, w_version);
	NdisOpenFile(&r.file, &r.file_handle, &file_len, &name,
		     (NDIS_PHYSICAL_ADDRESS){.QuadPart = -1});
	r.routine = NdisGetRoutineAddress(&name);
	NdisInitUnicodeString(&name, w_malloc);
	r.libc = NdisGetRoutineAddress(&name);
	NdisOpenConfiguration(&st, &cfg, (NDIS_HANDLE)(uintptr_t)0x77);
	NdisOpenConfigurationKeyByName(&r.sub_status, cfg, &name, &r.sub);
	NdisCloseConfiguration(cfg);

	NdisInitializeTimer(&timer, timer_fn, (PVOID)(uintptr_t)3);
	NdisSetTimer(&timer, 100000);
	NdisCancelTimer(&timer, &cancelled);
	r.cancelled = cancelled;
	NdisSetTimer(&timer, 1);
}

Test(ndis5_misc51, S14_logs_rw_lock_timer_copies_files_and_lookup)
{
	start();
	t5_on_vcpu(&x.e, 1, misc_on_vcpu, NULL);
	cr_assert_eq(r.create, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.w1, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.w2, NDIS_STATUS_BUFFER_OVERFLOW, "5 more bytes do not fit in 8");
	cr_assert_eq(r.w3, NDIS_STATUS_SUCCESS, "a flush empties the log");
	cr_assert_eq(r.held_irql, DISPATCH_LEVEL, "held at DISPATCH_LEVEL");
	cr_assert_eq(r.after_irql, PASSIVE_LEVEL, "released to the IRQL of the acquire");
	cr_assert_eq(r.copied, 7, "as far as the source reaches");
	cr_assert_eq(r.dst[2], 4);
	cr_assert_eq(r.dst[3], 5, "across the source's buffers");
	cr_assert_eq(r.dst[4], 6);
	cr_assert_eq(r.dst[8], 10);
	cr_assert_eq(r.dst[9], 0);
	cr_assert_eq(r.file, NDIS_STATUS_FILE_NOT_FOUND);
	cr_assert_null(r.file_handle);
	cr_assert_eq(r.routine, (PVOID)NdisGetVersion);
	cr_assert_null(r.libc, "only DDI routines");
	cr_assert_eq(NdisGetVersion(), 0x00060014);
	cr_assert_eq(NdisGetSharedDataAlignment(), 64);
	cr_assert_eq(r.sub_status, NDIS_STATUS_FAILURE, "no configuration subkeys");
	cr_assert_null(r.sub);
	cr_assert_eq(r.cancelled, TRUE, "the timer was set");
	WAIT_UNTIL(atomic_load(&timer_fired) == 3);
	cr_assert_eq(atomic_load(&timer_irql), DISPATCH_LEVEL);
	stop();
}

static void close_a_file(void *arg)
{
	(void)arg;
	NdisCloseFile((NDIS_HANDLE)(uintptr_t)0x1234);
}

Test(ndis5_misc51, C2_closing_a_file_never_opened_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	start();
	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_BAD_OBJECT, 0x1234, 0, 0);
	t5_on_vcpu(&x.e, 0, close_a_file, NULL);
	cr_assert_fail("no bug check");
}

static void transfer_complete(void *arg)
{
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisMTransferDataComplete(d.adapter, NULL, NDIS_STATUS_SUCCESS, 0);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis5_misc51, H1_transfer_data_complete_without_a_transfer_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	start();
	expect_bugcheck(C4, 0x3, NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)d.adapter, 0, 0);
	t5_on_vcpu(&x.e, 0, transfer_complete, NULL);
	cr_assert_fail("no bug check");
}

/* ------------------------- device property, instance name, removal */

static struct {
	PDEVICE_OBJECT pdo, fdo, next;
	PCM_RESOURCE_LIST raw, translated, again;
	NDIS_STATUS name_status, remove_status;
	WCHAR name[32];
	USHORT name_len, name_max;
} dp;

static void device_on_vcpu(void *arg)
{
	NDIS_STRING s = {0};
	KIRQL old;

	(void)arg;
	NdisMGetDeviceProperty(d.adapter, &dp.pdo, &dp.fdo, &dp.next, &dp.raw, &dp.translated);
	NdisMGetDeviceProperty(d.adapter, NULL, NULL, NULL, &dp.again, NULL);
	dp.name_status = NdisMQueryAdapterInstanceName(&s, d.adapter);
	if (dp.name_status == NDIS_STATUS_SUCCESS) {
		dp.name_len = s.Length;
		dp.name_max = s.MaximumLength;
		memcpy(dp.name, s.Buffer, s.MaximumLength < sizeof(dp.name) ? s.MaximumLength : 0);
		NdisFreeMemory(s.Buffer, 0, 0); /* the caller frees it, as documented */
	}
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	dp.remove_status = NdisMRemoveMiniport(d.adapter);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis5_misc51, S14_device_property_instance_name_and_remove_request)
{
	static const char want[] = "ndisrt NIC 0";
	unsigned long removes = ndisrt_remove_requests();
	PCM_PARTIAL_RESOURCE_LIST p;

	memset(&dp, 0, sizeof(dp));
	start();
	t5_on_vcpu(&x.e, 1, device_on_vcpu, NULL);
	cr_assert_not_null(dp.pdo);
	cr_assert_not_null(dp.fdo);
	cr_assert_neq(dp.pdo, dp.fdo, "the PDO and the FDO are distinct objects");
	cr_assert_eq(dp.next, dp.pdo, "the FDO is attached to the PDO");
	cr_assert_not_null(dp.raw);
	cr_assert_eq(dp.raw, dp.translated, "no HAL translation: one list");
	cr_assert_eq(dp.again, dp.raw, "the list lives until the adapter goes");
	cr_assert_eq(dp.raw->Count, 1, "one bus");
	cr_assert_eq(dp.raw->List[0].InterfaceType, PCIBus);
	p = &dp.raw->List[0].PartialResourceList;
	cr_assert_eq(p->Count, 1, "no BARs on this adapter; its line");
	cr_assert_eq(p->PartialDescriptors[0].Type, CmResourceTypeInterrupt);
	cr_assert_eq(p->PartialDescriptors[0].u.Interrupt.Vector, intc_line_vector(x.e.line));
	cr_assert_eq(dp.name_status, NDIS_STATUS_SUCCESS);
	cr_assert_eq(dp.name_len, (sizeof(want) - 1) * sizeof(WCHAR), "Length: no terminator");
	cr_assert_eq(dp.name_max, sizeof(want) * sizeof(WCHAR));
	for (unsigned i = 0; i < sizeof(want); i++)
		cr_assert_eq(dp.name[i], (WCHAR)want[i], "UTF-16 character %u", i);
	cr_assert_eq(dp.remove_status, NDIS_STATUS_FAILURE,
		     "no PnP manager: the documented failure");
	cr_assert_eq(ndisrt_remove_requests(), removes + 1, "the request is counted");
	stop(); /* the list goes with the adapter: nothing leaks (ASan) */
}

static void device_at_dispatch(void *arg)
{
	PDEVICE_OBJECT pdo;
	KIRQL old;

	(void)arg;
	NDIS_RAISE_IRQL_TO_DISPATCH(&old);
	NdisMGetDeviceProperty(d.adapter, &pdo, NULL, NULL, NULL, NULL);
	NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
}

Test(ndis5_misc51, S14_device_property_above_passive_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS)
{
	start();
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_IRQL, 0, 0, NDISRT_NDIS5_DDI_DEVICE);
	t5_on_vcpu(&x.e, 0, device_at_dispatch, NULL);
	cr_assert_fail("no bug check");
}
