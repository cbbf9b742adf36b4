/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_io.c - the adapter's hardware as a miniport reaches it, for
 * NDIS 5 and NDIS 6 miniports alike: NdisMMapIoSpace and the register
 * DDIs, NdisMRegisterIoPortRange and the port DDIs, PCI configuration
 * space (NdisMGetBusData, NdisRead/WritePciSlotInformation); and the
 * routing core. (Scatter/gather DMA registration and shared memory:
 * host_dma.c.)
 *
 * Register mappings live in one arena of address space reserved PROT_NONE
 * at startup: HOST_IO_SLOTS slots of HOST_IO_SLOT_SIZE bytes, one per
 * mapping. A mapping is not memory, so a driver that dereferences it
 * faults (the fault handler reports bug check 0x1E naming the mapping);
 * the DDIs turn an address into (slot, offset) arithmetically and call the
 * device model. Port ranges use the same slots, found through a table of
 * the 16-bit port space (the address of a port is its number: x86 I/O
 * space is direct, so PortOffset is InitialPort). Translation is lock-free
 * and async-signal-safe: register and port access happen in ISRs, at
 * DIRQL, inside a signal handler.
 *
 * The routing core (host_io_map, host_io_unmap, host_io_resolve,
 * host_io_release_owner; ndis/host_internal.h) knows nothing of NDIS
 * adapters: it maps for an opaque owner. The DDIs reach the owner, device
 * and lifecycle of an adapter through struct host_io_target, whichever
 * NDIS version runs it (io_target()).
 */
#include "ndis/host_internal.h"

#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>

enum io_state {
	IO_FREE = 0,
	IO_BUSY = 1, /* being set up or torn down */
	IO_MMIO = 2, /* HOST_IO_REGISTERS */
	IO_PORT = 3, /* HOST_IO_PORTS */
};

/* Lock key: (a) atomic; the other fields are published by the store of @state. */
struct host_io_slot {
	atomic_uint state; /* (a) enum io_state */
	struct hw_device *dev;
	const void *owner; /* who mapped it (an NDIS 6 NIC, an NDIS 5 adapter...) */
	unsigned bar;	   /* the device's BAR the mapping lies in */
	uint32_t dev_off;  /* offset in that BAR (bytes or ports) */
	uint32_t len;	   /* bytes (MMIO) or ports */
	uint64_t bus;	   /* the PhysicalAddress or InitialPort mapped */
};

#define IO_PORT_SPACE 0x10000u /* x86 I/O space: 16-bit port numbers */

static uint8_t *io_arena;
static struct host_io_slot io_slots[HOST_IO_SLOTS];
static atomic_uint io_cursor;
static pthread_once_t io_once = PTHREAD_ONCE_INIT;
static int io_once_err;

/*
 * The claimed ports: slot index + 1 per port, 0 if unclaimed. A claim sets
 * its entries by CAS from 0 (two claims of one port cannot both succeed)
 * after the slot is published; a release clears them before the slot is
 * freed. Lock key: (a) atomic.
 */
static _Atomic(uint16_t) io_ports[IO_PORT_SPACE];

_Static_assert(HOST_IO_SLOTS < 0xFFFF, "slot index + 1 fits io_ports[]");

static void io_arena_reserve(void)
{
	void *p = mmap(NULL, (size_t)HOST_IO_SLOTS * HOST_IO_SLOT_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		io_once_err = -ENOMEM;
		return;
	}
	io_arena = p;
}

int host_io_arena_init(void)
{
	pthread_once(&io_once, io_arena_reserve);
	return io_once_err;
}

bool host_io_in_arena(uintptr_t addr)
{
	uintptr_t base = (uintptr_t)io_arena;

	return io_arena && addr >= base &&
	       addr - base < (uintptr_t)HOST_IO_SLOTS * HOST_IO_SLOT_SIZE;
}

/* ------------------------------------------------------------- slots */

/* Context: PASSIVE_LEVEL (mapping DDIs). Return: the slot index, or -1 if all are used. */
static int io_slot_alloc(const void *owner, struct hw_device *dev, unsigned bar, enum io_state kind,
			 uint32_t dev_off, uint32_t len, uint64_t bus)
{
	/* FIFO-ish reuse: a stale pointer into an unmapped slot keeps faulting for a while. */
	unsigned start = atomic_fetch_add(&io_cursor, 1);

	for (unsigned i = 0; i < HOST_IO_SLOTS; i++) {
		unsigned idx = (start + i) % HOST_IO_SLOTS;
		struct host_io_slot *s = &io_slots[idx];
		unsigned expected = IO_FREE;

		if (!atomic_compare_exchange_strong(&s->state, &expected, IO_BUSY))
			continue;
		s->dev = dev;
		s->owner = owner;
		s->bar = bar;
		s->dev_off = dev_off;
		s->len = len;
		s->bus = bus;
		/* Release: a translation that sees @kind sees the fields. */
		atomic_store_explicit(&s->state, kind, memory_order_release);
		return (int)idx;
	}
	return -1;
}

/* Clear the port-table entries of port slot @idx (those that name it). */
static void io_ports_clear(unsigned idx, uint64_t first, uint32_t count)
{
	for (uint64_t p = first; p < first + count && p < IO_PORT_SPACE; p++) {
		uint16_t expected = (uint16_t)(idx + 1);

		atomic_compare_exchange_strong(&io_ports[p], &expected, 0);
	}
}

static void io_slot_free(struct host_io_slot *s)
{
	if (atomic_exchange_explicit(&s->state, IO_BUSY, memory_order_seq_cst) == IO_PORT)
		io_ports_clear((unsigned)(s - io_slots), s->bus, s->len);
	s->dev = NULL;
	s->owner = NULL;
	s->len = 0;
	atomic_store_explicit(&s->state, IO_FREE, memory_order_release);
}

static void *io_slot_base(unsigned idx)
{
	return io_arena + (size_t)idx * HOST_IO_SLOT_SIZE;
}

/* The slot @va is the base of, if it is a live mapping of @kind held by @owner. */
static struct host_io_slot *io_slot_of_base(const void *owner, const void *va, enum io_state kind)
{
	uintptr_t a = (uintptr_t)va, base = (uintptr_t)io_arena;
	struct host_io_slot *s;

	if (kind == IO_PORT) {
		uint16_t idx = a < IO_PORT_SPACE ? atomic_load(&io_ports[a]) : 0;

		s = idx ? &io_slots[idx - 1] : NULL;
		if (!s || s->bus != a)
			return NULL;
	} else {
		if (!host_io_in_arena(a) || (a - base) % HOST_IO_SLOT_SIZE)
			return NULL;
		s = &io_slots[(a - base) / HOST_IO_SLOT_SIZE];
	}
	if (atomic_load(&s->state) != kind || s->owner != owner)
		return NULL;
	return s;
}

unsigned host_io_release_owner(const void *owner)
{
	unsigned released = 0;

	for (unsigned i = 0; i < HOST_IO_SLOTS; i++) {
		struct host_io_slot *s = &io_slots[i];
		unsigned st = atomic_load(&s->state);

		if ((st == IO_MMIO || st == IO_PORT) && s->owner == owner) {
			io_slot_free(s);
			released++;
		}
	}
	return released;
}

/* ------------------------------------------------------- translation */

/*
 * The device and offset behind @size bytes at @addr of a mapping of @kind.
 * Context: any; lock-free, async-signal-safe.
 */
static struct hw_device *io_resolve(uintptr_t addr, unsigned size, enum io_state kind,
				    unsigned *bar, uint32_t *off)
{
	uintptr_t base = (uintptr_t)io_arena, o;
	struct host_io_slot *s;

	if (kind == IO_PORT) {
		/* Acquire pairs with the CAS that published the entry after the slot. */
		uint16_t idx = addr < IO_PORT_SPACE
				   ? atomic_load_explicit(&io_ports[addr], memory_order_acquire)
				   : 0;

		if (!idx)
			return NULL;
		s = &io_slots[idx - 1];
		o = addr - (uintptr_t)s->bus;
	} else {
		if (!host_io_in_arena(addr))
			return NULL;
		s = &io_slots[(addr - base) / HOST_IO_SLOT_SIZE];
		o = (addr - base) % HOST_IO_SLOT_SIZE;
	}
	if (atomic_load_explicit(&s->state, memory_order_acquire) != kind || o + size > s->len)
		return NULL;
	*off = s->dev_off + (uint32_t)o;
	*bar = s->bar;
	return s->dev;
}

static enum io_state io_kind(enum host_io_kind kind)
{
	return kind == HOST_IO_PORTS ? IO_PORT : IO_MMIO;
}

/* Claim ports [@first, +@count) for slot @idx; on a conflict undo and fail. */
static bool io_ports_claim(unsigned idx, uint64_t first, uint32_t count)
{
	for (uint64_t p = first; p < first + count; p++) {
		uint16_t expected = 0;

		if (p >= IO_PORT_SPACE ||
		    !atomic_compare_exchange_strong(&io_ports[p], &expected, (uint16_t)(idx + 1))) {
			io_ports_clear(idx, first, (uint32_t)(p - first));
			return false;
		}
	}
	return true;
}

void *host_io_map(const void *owner, struct hw_device *dev, unsigned bar, enum host_io_kind kind,
		  uint32_t dev_off, uint32_t len, uint64_t bus)
{
	int idx;

	if (!len || len > HOST_IO_SLOT_SIZE)
		return NULL;
	if (kind == HOST_IO_PORTS && (bus >= IO_PORT_SPACE || len > IO_PORT_SPACE - bus))
		return NULL;
	idx = io_slot_alloc(owner, dev, bar, io_kind(kind), dev_off, len, bus);
	if (idx < 0)
		return NULL;
	if (kind == HOST_IO_REGISTERS)
		return io_slot_base((unsigned)idx);
	if (!io_ports_claim((unsigned)idx, bus, len)) {
		/* Not yet in the port table: a plain free. */
		atomic_store(&io_slots[idx].state, IO_BUSY);
		io_slots[idx].owner = NULL;
		atomic_store_explicit(&io_slots[idx].state, IO_FREE, memory_order_release);
		return NULL;
	}
	return (void *)(uintptr_t)bus;
}

int host_io_unmap(const void *owner, void *va, enum host_io_kind kind, uint32_t len, uint64_t bus)
{
	struct host_io_slot *s = io_slot_of_base(owner, va, io_kind(kind));

	if (!s || s->len != len || (kind == HOST_IO_PORTS && s->bus != bus))
		return -1;
	io_slot_free(s);
	return 0;
}

struct hw_device *host_io_resolve(uintptr_t addr, unsigned size, enum host_io_kind kind,
				  unsigned *bar, uint32_t *off)
{
	return io_resolve(addr, size, io_kind(kind), bar, off);
}

/*
 * An access outside every mapping: what the processor would do with an
 * address nothing maps, bug check 0x50 PAGE_FAULT_IN_NONPAGED_AREA.
 * Parameters: the address (or port), 0 read / 1 write, the caller, 0
 * register / 1 port.
 */
static _Noreturn void io_fault(uintptr_t addr, bool write, void *caller, bool port)
{
	ke_bugcheck(
	    HOST_BUGCHECK_PAGE_FAULT_IN_NONPAGED_AREA, addr, write, (uintptr_t)caller, port,
	    port ? "NdisRawXxxPortXxx on a port outside every range NdisMRegisterIoPortRange "
		   "registered (or after NdisMDeregisterIoPortRange, or past its end)"
		 : "NdisRead/WriteRegisterXxx on an address outside every NdisMMapIoSpace "
		   "mapping (or after NdisMUnmapIoSpace, or past the mapped length)");
}

/* The device behind a register or port access; bug check 0x50 if unmapped. */
static struct hw_device *access_resolve(uintptr_t addr, unsigned size, bool write, void *caller,
					enum io_state kind, unsigned *bar, uint32_t *off)
{
	struct hw_device *dev;

	ke_preempt_point(KE_PP_REG_ACCESS);
	ndis_require_vcpu(kind == IO_PORT ? NDISRT_DDI_PORT_ACCESS : NDISRT_DDI_REGISTER_ACCESS);
	dev = io_resolve(addr, size, kind, bar, off);
	if (__builtin_expect(!dev, 0))
		io_fault(addr, write, caller, kind == IO_PORT);
	return dev;
}

#define REG(addr, size, write, off) \
	access_resolve((addr), (size), (write), __builtin_return_address(0), IO_MMIO, &bar, (off))
#define PORT(addr, size, write, off) \
	access_resolve((addr), (size), (write), __builtin_return_address(0), IO_PORT, &bar, (off))

/* --------------------------------------------------- register access */

/**
 * ndis_read_register_uchar() and the five others - The runtime halves of
 * the NdisRead/WriteRegisterXxx macros: one access of the device model at
 * the mapped offset (side effects such as ICR's read-to-clear included).
 * Context: any IRQL on a vCPU (0xC4 NOT_ON_VCPU), ISRs included.
 * Preemption point (KE_PP_REG_ACCESS). Bug check 0x50 for an address
 * outside every NdisMMapIoSpace mapping.
 * Spec: §16.
 */
UCHAR ndis_read_register_uchar(ULONG_PTR Register)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = REG(Register, 1, false, &off);

	return (UCHAR)hw_dev_bar_read(dev, bar, off, 1);
}

USHORT ndis_read_register_ushort(ULONG_PTR Register)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = REG(Register, 2, false, &off);

	return (USHORT)hw_dev_bar_read(dev, bar, off, 2);
}

ULONG ndis_read_register_ulong(ULONG_PTR Register)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = REG(Register, 4, false, &off);

	return (ULONG)hw_dev_bar_read(dev, bar, off, 4);
}

VOID ndis_write_register_uchar(ULONG_PTR Register, UCHAR Data)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = REG(Register, 1, true, &off);

	hw_dev_bar_write(dev, bar, off, 1, Data);
}

VOID ndis_write_register_ushort(ULONG_PTR Register, USHORT Data)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = REG(Register, 2, true, &off);

	hw_dev_bar_write(dev, bar, off, 2, Data);
}

VOID ndis_write_register_ulong(ULONG_PTR Register, ULONG Data)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = REG(Register, 4, true, &off);

	hw_dev_bar_write(dev, bar, off, 4, Data);
}

/* ------------------------------------------------------- port access */

/**
 * ndis_raw_read_port_uchar() and the eleven others - The runtime halves of
 * the NdisRawRead/WritePort[Buffer]Xxx macros: accesses of the device's
 * port BAR at the port's offset in it. The Buffer
 * forms move @Length elements, each from or to the same port.
 * Context: any IRQL on a vCPU (0xC4 NOT_ON_VCPU), ISRs included.
 * Preemption point (KE_PP_REG_ACCESS). Bug check 0x50 (parameter 4 = 1)
 * for a port outside every NdisMRegisterIoPortRange range.
 * Spec: §16.
 */
UCHAR ndis_raw_read_port_uchar(ULONG_PTR Port)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 1, false, &off);

	return (UCHAR)hw_dev_bar_read(dev, bar, off, 1);
}

USHORT ndis_raw_read_port_ushort(ULONG_PTR Port)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 2, false, &off);

	return (USHORT)hw_dev_bar_read(dev, bar, off, 2);
}

ULONG ndis_raw_read_port_ulong(ULONG_PTR Port)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 4, false, &off);

	return (ULONG)hw_dev_bar_read(dev, bar, off, 4);
}

VOID ndis_raw_write_port_uchar(ULONG_PTR Port, UCHAR Data)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 1, true, &off);

	hw_dev_bar_write(dev, bar, off, 1, Data);
}

VOID ndis_raw_write_port_ushort(ULONG_PTR Port, USHORT Data)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 2, true, &off);

	hw_dev_bar_write(dev, bar, off, 2, Data);
}

VOID ndis_raw_write_port_ulong(ULONG_PTR Port, ULONG Data)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 4, true, &off);

	hw_dev_bar_write(dev, bar, off, 4, Data);
}

VOID ndis_raw_read_port_buffer_uchar(ULONG_PTR Port, PUCHAR Buffer, ULONG Length)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 1, false, &off);

	for (ULONG i = 0; i < Length; i++)
		Buffer[i] = (UCHAR)hw_dev_bar_read(dev, bar, off, 1);
}

VOID ndis_raw_read_port_buffer_ushort(ULONG_PTR Port, PUSHORT Buffer, ULONG Length)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 2, false, &off);

	for (ULONG i = 0; i < Length; i++)
		Buffer[i] = (USHORT)hw_dev_bar_read(dev, bar, off, 2);
}

VOID ndis_raw_read_port_buffer_ulong(ULONG_PTR Port, PULONG Buffer, ULONG Length)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 4, false, &off);

	for (ULONG i = 0; i < Length; i++)
		Buffer[i] = (ULONG)hw_dev_bar_read(dev, bar, off, 4);
}

VOID ndis_raw_write_port_buffer_uchar(ULONG_PTR Port, const UCHAR *Buffer, ULONG Length)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 1, true, &off);

	for (ULONG i = 0; i < Length; i++)
		hw_dev_bar_write(dev, bar, off, 1, Buffer[i]);
}

VOID ndis_raw_write_port_buffer_ushort(ULONG_PTR Port, const USHORT *Buffer, ULONG Length)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 2, true, &off);

	for (ULONG i = 0; i < Length; i++)
		hw_dev_bar_write(dev, bar, off, 2, Buffer[i]);
}

VOID ndis_raw_write_port_buffer_ulong(ULONG_PTR Port, const ULONG *Buffer, ULONG Length)
{
	uint32_t off;
	unsigned bar;
	struct hw_device *dev = PORT(Port, 4, true, &off);

	for (ULONG i = 0; i < Length; i++)
		hw_dev_bar_write(dev, bar, off, 4, Buffer[i]);
}

/* ------------------------------------------------------ mapping DDIs */

/* The BAR of @kind that holds [@first, @first + @len) whole, if any. */
static bool io_bar_of(const struct hw_resources *r, enum hw_bar_kind kind, uint64_t first,
		      uint64_t len, unsigned *bar)
{
	for (unsigned b = 0; b < HW_MAX_BARS; b++) {
		const struct hw_bar *x = &r->bar[b];

		if (x->kind == kind && first >= x->base && first - x->base <= x->len &&
		    len <= x->len - (first - x->base)) {
			*bar = b;
			return true;
		}
	}
	return false;
}

/*
 * The hardware behind MiniportAdapterHandle @h, whichever NDIS version
 * runs the adapter. Bug check 0xC4 BAD_HANDLE / STALE_HANDLE if @h names no
 * adapter, NOT_HOSTED if neither an NDIS 6 NIC nor an NDIS 5 adapter.
 * Context: any IRQL on a vCPU.
 */
static void io_target(NDIS_HANDLE h, unsigned ddi, struct host_io_target *t)
{
	struct ndisrt_adapter *a = ndis_adapter_lookup(h, ddi);
	struct ndisrt_nic *n = host_nic_of_adapter(a);

	if (n) {
		*t = (struct host_io_target){
		    .owner = n, .a = a, .dev = n->dev, .res = n->res, .maps = &n->io_maps};
		return;
	}
	if (!ndis5_io_target(a, t))
		ndisrt_violation(NDISRT_VIOLATION_NOT_HOSTED, (uintptr_t)h, 0, ddi,
				 "a hardware-access function was called for an adapter that no NIC "
				 "hosts (ndisrt_nic_start creates them)");
}

void host_require_out(const void *p, unsigned ddi, const char *what)
{
	if (!p)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, 0, ddi, what);
}

/* From the adapter's MiniportInitialize[Ex], on its vCPU; else 0xC4 WRONG_CONTEXT. */
void host_require_initialize(struct ndisrt_adapter *a, unsigned ddi, const char *what)
{
	if (!ndis_adapter_in_initialize(a))
		ndisrt_violation(NDISRT_VIOLATION_WRONG_CONTEXT, (uintptr_t)a->handle,
				 atomic_load(&a->state), ddi, what);
}

/* From its MiniportInitialize[Ex] or MiniportHalt[Ex]; else 0xC4 WRONG_CONTEXT. */
void host_require_init_or_halt(struct ndisrt_adapter *a, unsigned ddi, const char *what)
{
	unsigned st = atomic_load(&a->state);

	if (!((st == NDIS_ADAPTER_INITIALIZING || st == NDIS_ADAPTER_HALTING) &&
	      atomic_load(&a->owner_vcpu) == ke_current_number()))
		ndisrt_violation(NDISRT_VIOLATION_WRONG_CONTEXT, (uintptr_t)a->handle, st, ddi,
				 what);
}

/**
 * NdisMMapIoSpace() - Map registers of the adapter's memory resource.
 * @VirtualAddress: receives the mapping (NULL on failure).
 * @MiniportAdapterHandle: the adapter (NDIS 5 or NDIS 6).
 * @PhysicalAddress: inside the memory BAR the resource list gave.
 * @Length: bytes, within that BAR.
 *
 * Context: PASSIVE_LEVEL, from MiniportInitialize[Ex] (bug check 0xC4:
 * IRQL, WRONG_CONTEXT; BAD_PARAMETER for a NULL @VirtualAddress).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_FAILURE (range not inside the
 * adapter's memory resource, no device, or @Length 0);
 * NDIS_STATUS_RESOURCES (no slot, or @Length above HOST_IO_SLOT_SIZE).
 * Spec: §17.
 */
NDIS_STATUS NdisMMapIoSpace(PVOID *VirtualAddress, NDIS_HANDLE MiniportAdapterHandle,
			    NDIS_PHYSICAL_ADDRESS PhysicalAddress, UINT Length)
{
	struct host_io_target t;
	uint64_t pa = (uint64_t)PhysicalAddress.QuadPart;
	NDIS_STATUS status = NDIS_STATUS_SUCCESS;
	unsigned bar;

	ndis_ddi_enter(NDISRT_DDI_MAP_IO_SPACE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	io_target(MiniportAdapterHandle, NDISRT_DDI_MAP_IO_SPACE, &t);
	host_require_out(VirtualAddress, NDISRT_DDI_MAP_IO_SPACE,
			 "NdisMMapIoSpace: VirtualAddress is NULL");
	host_require_initialize(
	    t.a, NDISRT_DDI_MAP_IO_SPACE,
	    "NdisMMapIoSpace called outside the adapter's MiniportInitialize[Ex]");
	*VirtualAddress = NULL;
	if (!t.dev || Length == 0 || !io_bar_of(&t.res, HW_BAR_MEM, pa, Length, &bar)) {
		status = NDIS_STATUS_FAILURE;
	} else {
		void *va = host_io_arena_init()
			       ? NULL
			       : host_io_map(t.owner, t.dev, bar, HOST_IO_REGISTERS,
					     (uint32_t)(pa - t.res.bar[bar].base), Length, pa);

		if (!va) {
			status = NDIS_STATUS_RESOURCES;
		} else {
			atomic_fetch_add(t.maps, 1);
			*VirtualAddress = va;
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return status;
}

/**
 * NdisMUnmapIoSpace() - Undo NdisMMapIoSpace.
 * Context: PASSIVE_LEVEL, from MiniportInitialize[Ex] or MiniportHalt[Ex];
 * @VirtualAddress and @Length exactly as mapped (bug check 0xC4
 * BAD_PARAMETER otherwise: p2 = address, p3 = length).
 */
VOID NdisMUnmapIoSpace(NDIS_HANDLE MiniportAdapterHandle, PVOID VirtualAddress, UINT Length)
{
	struct host_io_target t;

	ndis_ddi_enter(NDISRT_DDI_UNMAP_IO_SPACE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	io_target(MiniportAdapterHandle, NDISRT_DDI_UNMAP_IO_SPACE, &t);
	host_require_init_or_halt(
	    t.a, NDISRT_DDI_UNMAP_IO_SPACE,
	    "NdisMUnmapIoSpace called outside MiniportInitialize[Ex] and MiniportHalt[Ex]");
	if (host_io_unmap(t.owner, VirtualAddress, HOST_IO_REGISTERS, Length, 0))
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)VirtualAddress, Length,
		    NDISRT_DDI_UNMAP_IO_SPACE,
		    "NdisMUnmapIoSpace: not an address NdisMMapIoSpace returned to this "
		    "adapter, or not the length it mapped");
	atomic_fetch_sub(t.maps, 1);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/**
 * NdisMRegisterIoPortRange() - Claim @NumberOfPorts ports from @InitialPort.
 * @PortOffset: receives the base to add port offsets to: @InitialPort
 *	itself (x86 I/O space is direct); NULL on failure.
 * @MiniportAdapterHandle: the adapter (NDIS 5 or NDIS 6).
 *
 * Context: PASSIVE_LEVEL, from MiniportInitialize[Ex] (0xC4 IRQL,
 * WRONG_CONTEXT), after the attributes (0xC4 NO_ATTRIBUTES: SDV rule
 * NdisMRegisterIoPortRange); BAD_PARAMETER for a NULL @PortOffset.
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_RESOURCE_CONFLICT (not inside
 * the adapter's port resource, or a port of it already claimed);
 * NDIS_STATUS_FAILURE (@NumberOfPorts 0); NDIS_STATUS_RESOURCES (no slot).
 * Spec: §17.
 */
NDIS_STATUS NdisMRegisterIoPortRange(PVOID *PortOffset, NDIS_HANDLE MiniportAdapterHandle,
				     UINT InitialPort, UINT NumberOfPorts)
{
	struct host_io_target t;
	NDIS_STATUS status = NDIS_STATUS_SUCCESS;
	uint64_t first = InitialPort;
	unsigned bar;

	ndis_ddi_enter(NDISRT_DDI_PORT_RANGE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	io_target(MiniportAdapterHandle, NDISRT_DDI_PORT_RANGE, &t);
	host_require_out(PortOffset, NDISRT_DDI_PORT_RANGE,
			 "NdisMRegisterIoPortRange: PortOffset is NULL");
	host_require_initialize(t.a, NDISRT_DDI_PORT_RANGE,
				"NdisMRegisterIoPortRange called outside the adapter's "
				"MiniportInitialize[Ex]");
	if (!atomic_load(&t.a->attributes_set))
		ndisrt_violation(NDISRT_VIOLATION_NO_ATTRIBUTES, (uintptr_t)MiniportAdapterHandle,
				 0, NDISRT_DDI_PORT_RANGE,
				 "NdisMRegisterIoPortRange called before the adapter's attributes "
				 "(NdisMSetAttributes[Ex] / NdisMSetMiniportAttributes; SDV rule "
				 "NdisMRegisterIoPortRange)");
	*PortOffset = NULL;
	if (NumberOfPorts == 0) {
		status = NDIS_STATUS_FAILURE;
	} else if (!t.dev || !io_bar_of(&t.res, HW_BAR_PORT, first, NumberOfPorts, &bar)) {
		status = NDIS_STATUS_RESOURCE_CONFLICT;
	} else if (!host_io_map(t.owner, t.dev, bar, HOST_IO_PORTS,
				(uint32_t)(first - t.res.bar[bar].base), NumberOfPorts, first)) {
		/* Our own range: a port already claimed (by this adapter) or no slot. */
		status = NDIS_STATUS_RESOURCE_CONFLICT;
	} else {
		atomic_fetch_add(t.maps, 1);
		*PortOffset = (PVOID)(uintptr_t)first;
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return status;
}

/**
 * NdisMDeregisterIoPortRange() - Release a range NdisMRegisterIoPortRange claimed.
 * Context: PASSIVE_LEVEL, from MiniportInitialize[Ex] or MiniportHalt[Ex]
 * (0xC4 WRONG_CONTEXT); the same @InitialPort, @NumberOfPorts and
 * @PortOffset, no sub-range (0xC4 BAD_PARAMETER: p2 = InitialPort, p3 =
 * NumberOfPorts). Afterwards an access to the range is bug check 0x50.
 * Spec: §17.
 */
VOID NdisMDeregisterIoPortRange(NDIS_HANDLE MiniportAdapterHandle, UINT InitialPort,
				UINT NumberOfPorts, PVOID PortOffset)
{
	struct host_io_target t;

	ndis_ddi_enter(NDISRT_DDI_PORT_RANGE, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	io_target(MiniportAdapterHandle, NDISRT_DDI_PORT_RANGE, &t);
	host_require_init_or_halt(
	    t.a, NDISRT_DDI_PORT_RANGE,
	    "NdisMDeregisterIoPortRange called outside MiniportInitialize[Ex] and "
	    "MiniportHalt[Ex]");
	if ((uintptr_t)PortOffset != InitialPort ||
	    host_io_unmap(t.owner, PortOffset, HOST_IO_PORTS, NumberOfPorts, InitialPort))
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, InitialPort, NumberOfPorts,
				 NDISRT_DDI_PORT_RANGE,
				 "NdisMDeregisterIoPortRange: not a range NdisMRegisterIoPortRange "
				 "claimed for this adapter (same InitialPort, NumberOfPorts and "
				 "PortOffset; no sub-ranges), or released already");
	atomic_fetch_sub(t.maps, 1);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ---------------------------------------------------------- bus data */

/* @Length bytes of the adapter's PCI configuration space at @Offset; bytes moved. */
static ULONG bus_data(NDIS_HANDLE h, unsigned ddi, ULONG Offset, PVOID Buffer, ULONG Length,
		      bool write)
{
	struct host_io_target t;

	io_target(h, ddi, &t);
	if (Length && !Buffer)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, 0, Length, ddi,
				 "PCI configuration access with a NULL Buffer");
	if (!t.dev || !Length)
		return 0;
	return (ULONG)(write ? hw_dev_config_write(t.dev, Offset, Buffer, Length)
			     : hw_dev_config_read(t.dev, Offset, Buffer, Length));
}

/**
 * NdisMGetBusData() - Read the adapter's PCI configuration space.
 * Context: any IRQL. BAD_PARAMETER bug check for a NULL @Buffer.
 * Return: bytes read (0 for a space other than PCI_WHICHSPACE_CONFIG;
 * clipped at the 256-byte space).
 */
ULONG NdisMGetBusData(NDIS_HANDLE NdisMiniportHandle, ULONG WhichSpace, ULONG Offset, PVOID Buffer,
		      ULONG Length)
{
	ULONG done = 0;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDISRT_DDI_GET_BUS_DATA);
	if (WhichSpace == PCI_WHICHSPACE_CONFIG)
		done = bus_data(NdisMiniportHandle, NDISRT_DDI_GET_BUS_DATA, Offset, Buffer, Length,
				false);
	else
		io_target(NdisMiniportHandle, NDISRT_DDI_GET_BUS_DATA, &(struct host_io_target){0});
	ke_preempt_point(KE_PP_DDI_EXIT);
	return done;
}

/**
 * NdisMSetBusData() - Write the adapter's PCI configuration space.
 * Context: any IRQL. BAD_PARAMETER bug check for a NULL @Buffer.
 * Return: bytes written (0 for a space other than PCI_WHICHSPACE_CONFIG;
 * clipped at the 256-byte space).
 */
ULONG NdisMSetBusData(NDIS_HANDLE NdisMiniportHandle, ULONG WhichSpace, ULONG Offset, PVOID Buffer,
		      ULONG Length)
{
	ULONG done = 0;

	ke_preempt_point(KE_PP_DDI_ENTER);
	ndis_require_vcpu(NDISRT_DDI_GET_BUS_DATA);
	if (WhichSpace == PCI_WHICHSPACE_CONFIG)
		done = bus_data(NdisMiniportHandle, NDISRT_DDI_GET_BUS_DATA, Offset, Buffer, Length,
				true);
	else
		io_target(NdisMiniportHandle, NDISRT_DDI_GET_BUS_DATA, &(struct host_io_target){0});
	ke_preempt_point(KE_PP_DDI_EXIT);
	return done;
}

/**
 * NdisReadPciSlotInformation() - The NDIS 5 form: read the adapter's PCI
 * configuration space. @SlotNumber is ignored (the adapter has one function).
 * Context: PASSIVE_LEVEL (0xC4 IRQL). Return: bytes read (clipped at 256).
 */
ULONG NdisReadPciSlotInformation(NDIS_HANDLE NdisAdapterHandle, ULONG SlotNumber, ULONG Offset,
				 PVOID Buffer, ULONG Length)
{
	ULONG done;

	(void)SlotNumber;
	ndis_ddi_enter(NDISRT_DDI_PCI_SLOT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	done = bus_data(NdisAdapterHandle, NDISRT_DDI_PCI_SLOT, Offset, Buffer, Length, false);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return done;
}

/**
 * NdisWritePciSlotInformation() - The write counterpart (read-only fields
 * ignore the write, as the device does).
 * Context: PASSIVE_LEVEL (0xC4 IRQL). Return: bytes written.
 */
ULONG NdisWritePciSlotInformation(NDIS_HANDLE NdisAdapterHandle, ULONG SlotNumber, ULONG Offset,
				  PVOID Buffer, ULONG Length)
{
	ULONG done;

	(void)SlotNumber;
	ndis_ddi_enter(NDISRT_DDI_PCI_SLOT, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	done = bus_data(NdisAdapterHandle, NDISRT_DDI_PCI_SLOT, Offset, Buffer, Length, true);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return done;
}
