/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/pool.c - NDIS 5 packet and buffer pools: NdisAllocatePacketPool[Ex],
 * NdisFreePacketPool, NdisPacketPoolUsage, NdisAllocatePacket,
 * NdisDprAllocatePacket, NdisFreePacket, NdisDprFreePacket,
 * NdisAllocateBufferPool, NdisFreeBufferPool, NdisAllocateBuffer,
 * NdisFreeBuffer, NdisUnchainBufferAtFront/Back (<ndis/ndis5.h>).
 *
 * A pool is one allocation of NumberOfDescriptors (+ overflow) slots made
 * when it is created, so allocating a descriptor never calls the allocator
 * and works at DISPATCH_LEVEL. A slot is a header (magic, pool, in use)
 * followed by the descriptor: the NDIS_PACKET (with ProtocolReservedLength
 * bytes of ProtocolReserved) and its out-of-band block, or an NDIS_BUFFER
 * (an MDL). Lock key: (P) the pool's raw ke spin lock, taken at
 * DISPATCH_LEVEL: the free list and the in-use count.
 */
#include "ndis/wdk.h"

#include <string.h>

#define PACKET_POOL_MAGIC 0x4E44504B504F4F4Cull /* 'NDPKPOOL' */
#define BUFFER_POOL_MAGIC 0x4E4442465042F4F4ull
#define SLOT_MAGIC 0x4E44534Cu /* 'NDSL' */
#define POOL_FREED 0x4E4446524545444Eull

struct slot {
	uint32_t magic;	   /* SLOT_MAGIC */
	uint32_t in_use;   /* (P) */
	struct pool *pool; /* (c) */
	struct slot *next; /* (P) free list */
	uint64_t pad;	   /* keeps the descriptor 16-byte aligned */
			   /* the descriptor follows */
};

struct pool {
	uint64_t magic;
	struct ke_spinlock lock;
	unsigned nr, in_use;  /* (P) */
	size_t slot_size;     /* header + descriptor */
	unsigned oob_offset;  /* packets: from the packet to its NDIS_PACKET_OOB_DATA */
	struct slot *free;    /* (P) */
	unsigned char *slots; /* (c) nr * slot_size */
};

_Static_assert(sizeof(struct slot) % 16 == 0, "descriptors stay 16-byte aligned");

static void *slot_desc(struct slot *s)
{
	return s + 1;
}

static struct slot *desc_slot(const void *d)
{
	return (struct slot *)(uintptr_t)d - 1; /* the descriptor's own slot header */
}

static ke_irql_t pool_take(struct pool *p)
{
	ke_irql_t old = ke_irql_current();

	if (old < KE_DISPATCH_LEVEL)
		ke_irql_raise(KE_DISPATCH_LEVEL);
	ke_spin_acquire_raw(&p->lock);
	return old;
}

static void pool_drop(struct pool *p, ke_irql_t old)
{
	ke_spin_release_raw(&p->lock);
	if (old < KE_DISPATCH_LEVEL)
		ke_irql_lower(old);
}

static struct pool *pool_create(uint64_t magic, unsigned nr, size_t desc_size)
{
	struct pool *p;

	if (nr == 0 || nr > 1u << 20)
		return NULL;
	p = ndis_zalloc(sizeof(*p));
	if (!p)
		return NULL;
	p->slot_size = (sizeof(struct slot) + desc_size + 15) & ~(size_t)15;
	p->slots = ndis_zalloc(p->slot_size * nr);
	if (!p->slots) {
		ndis_free(p);
		return NULL;
	}
	p->magic = magic;
	p->nr = nr;
	ke_spin_init(&p->lock);
	for (unsigned i = nr; i-- > 0;) {
		struct slot *s = (struct slot *)(p->slots + i * p->slot_size);

		s->magic = SLOT_MAGIC;
		s->pool = p;
		s->next = p->free;
		p->free = s;
	}
	return p;
}

static struct pool *pool_of(NDIS_HANDLE h, uint64_t magic, const char *what)
{
	struct pool *p = h;

	if (!p || p->magic != magic)
		ndisrt_violation(p && p->magic == POOL_FREED ? NDISRT_VIOLATION_DOUBLE_FREE
							     : NDISRT_VIOLATION_BAD_OBJECT,
				 (uintptr_t)h, 0, NDIS_WDK_DDI_POOL, what);
	return p;
}

static void *pool_get(struct pool *p)
{
	struct slot *s;
	ke_irql_t old = pool_take(p);

	s = p->free;
	if (s) {
		p->free = s->next;
		s->in_use = 1;
		p->in_use++;
	}
	pool_drop(p, old);
	if (!s)
		return NULL;
	memset(slot_desc(s), 0, p->slot_size - sizeof(*s));
	return slot_desc(s);
}

static void pool_put(void *d, uint64_t magic, const char *what)
{
	struct slot *s;
	struct pool *p;
	ke_irql_t old;

	if (!d)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, 0, 0, NDIS_WDK_DDI_POOL, what);
	s = desc_slot(d);
	if (s->magic != SLOT_MAGIC || !s->pool || s->pool->magic != magic)
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)d, 0, NDIS_WDK_DDI_POOL,
				 what);
	p = s->pool;
	old = pool_take(p);
	if (!s->in_use) {
		pool_drop(p, old);
		ndisrt_violation(NDISRT_VIOLATION_DOUBLE_FREE, (uintptr_t)d, 0, NDIS_WDK_DDI_POOL,
				 what);
	}
	s->in_use = 0;
	s->next = p->free;
	p->free = s;
	p->in_use--;
	pool_drop(p, old);
}

static struct pool *freed_pools[1024];
static unsigned freed_count;
static struct ke_spinlock freed_lock = KE_SPINLOCK_INIT;

static void pool_destroy(struct pool *p, const char *what)
{
	ke_irql_t old = pool_take(p);
	unsigned in_use = p->in_use;

	pool_drop(p, old);
	if (in_use)
		ndisrt_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)p, in_use,
				 NDIS_WDK_DDI_POOL, what);
	p->magic = POOL_FREED;
	ndis_free(p->slots);
	/* The header is kept (reachable, never reused) so a second free is recognized. */
	old = ke_irql_raise(KE_HIGH_LEVEL);
	ke_spin_acquire_raw(&freed_lock);
	if (freed_count < sizeof(freed_pools) / sizeof(freed_pools[0]))
		freed_pools[freed_count++] = p;
	ke_spin_release_raw(&freed_lock);
	ke_irql_lower(old);
}

/* ------------------------------------------------------------ packets */

static void packet_pool_alloc(PNDIS_STATUS Status, PNDIS_HANDLE PoolHandle, UINT n,
			      UINT ProtocolReservedLength)
{
	size_t pkt = offsetof(NDIS_PACKET, ProtocolReserved) + ProtocolReservedLength;
	size_t oob = (pkt + 15) & ~(size_t)15;
	struct pool *p;

	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!Status || !PoolHandle)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status,
				 (uintptr_t)PoolHandle, NDIS_WDK_DDI_POOL,
				 "NdisAllocatePacketPool: Status or PoolHandle is NULL");
	p = ProtocolReservedLength > 0x10000
		? NULL
		: pool_create(PACKET_POOL_MAGIC, n,
			      oob + sizeof(NDIS_PACKET_OOB_DATA) + sizeof(NDIS_PACKET_EXTENSION));
	if (p)
		p->oob_offset = (unsigned)oob;
	*PoolHandle = p;
	*Status = p ? NDIS_STATUS_SUCCESS : NDIS_STATUS_RESOURCES;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisAllocatePacketPool(PNDIS_STATUS Status, PNDIS_HANDLE PoolHandle, UINT NumberOfDescriptors,
			    UINT ProtocolReservedLength)
{
	packet_pool_alloc(Status, PoolHandle, NumberOfDescriptors, ProtocolReservedLength);
}

VOID NdisAllocatePacketPoolEx(PNDIS_STATUS Status, PNDIS_HANDLE PoolHandle,
			      UINT NumberOfDescriptors, UINT NumberOfOverflowDescriptors,
			      UINT ProtocolReservedLength)
{
	UINT n = NumberOfDescriptors + NumberOfOverflowDescriptors;

	packet_pool_alloc(Status, PoolHandle, n < NumberOfDescriptors ? 0 : n,
			  ProtocolReservedLength);
}

VOID NdisFreePacketPool(NDIS_HANDLE PoolHandle)
{
	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	pool_destroy(pool_of(PoolHandle, PACKET_POOL_MAGIC,
			     "NdisFreePacketPool: not a packet pool (or freed twice)"),
		     "NdisFreePacketPool: packets of the pool are still allocated");
	ke_preempt_point(KE_PP_DDI_EXIT);
}

UINT NdisPacketPoolUsage(NDIS_HANDLE PoolHandle)
{
	struct pool *p;
	ke_irql_t old;
	UINT n;

	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	p = pool_of(PoolHandle, PACKET_POOL_MAGIC, "NdisPacketPoolUsage: not a packet pool");
	old = pool_take(p);
	n = p->in_use;
	pool_drop(p, old);
	return n;
}

static void packet_alloc(PNDIS_STATUS Status, PNDIS_PACKET *Packet, NDIS_HANDLE PoolHandle)
{
	struct pool *p = pool_of(PoolHandle, PACKET_POOL_MAGIC,
				 "NdisAllocatePacket: not a packet pool (or freed)");
	PNDIS_PACKET pkt = pool_get(p);

	*Packet = pkt;
	if (!pkt) {
		*Status = NDIS_STATUS_RESOURCES;
		return;
	}
	pkt->Private.Pool = p;
	pkt->Private.NdisPacketOobOffset = (USHORT)p->oob_offset;
	NDIS_SET_PACKET_STATUS(pkt, NDIS_STATUS_SUCCESS);
	*Status = NDIS_STATUS_SUCCESS;
}

VOID NdisAllocatePacket(PNDIS_STATUS Status, PNDIS_PACKET *Packet, NDIS_HANDLE PoolHandle)
{
	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	packet_alloc(Status, Packet, PoolHandle);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisDprAllocatePacket(PNDIS_STATUS Status, PNDIS_PACKET *Packet, NDIS_HANDLE PoolHandle)
{
	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	packet_alloc(Status, Packet, PoolHandle);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisFreePacket(PNDIS_PACKET Packet)
{
	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	pool_put(Packet, PACKET_POOL_MAGIC,
		 "NdisFreePacket: not a packet of a packet pool, or freed twice");
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisDprFreePacket(PNDIS_PACKET Packet)
{
	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	pool_put(Packet, PACKET_POOL_MAGIC,
		 "NdisDprFreePacket: not a packet of a packet pool, or freed twice");
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ------------------------------------------------------------ buffers */

VOID NdisAllocateBufferPool(PNDIS_STATUS Status, PNDIS_HANDLE PoolHandle, UINT NumberOfDescriptors)
{
	struct pool *p;

	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	if (!Status || !PoolHandle)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status,
				 (uintptr_t)PoolHandle, NDIS_WDK_DDI_POOL,
				 "NdisAllocateBufferPool: Status or PoolHandle is NULL");
	p = pool_create(BUFFER_POOL_MAGIC, NumberOfDescriptors, sizeof(NDIS_BUFFER));
	*PoolHandle = p;
	*Status = p ? NDIS_STATUS_SUCCESS : NDIS_STATUS_RESOURCES;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisFreeBufferPool(NDIS_HANDLE PoolHandle)
{
	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	pool_destroy(pool_of(PoolHandle, BUFFER_POOL_MAGIC,
			     "NdisFreeBufferPool: not a buffer pool (or freed twice)"),
		     "NdisFreeBufferPool: buffers of the pool are still allocated");
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisAllocateBuffer(PNDIS_STATUS Status, PNDIS_BUFFER *Buffer, NDIS_HANDLE PoolHandle,
			PVOID VirtualAddress, UINT Length)
{
	struct pool *p;
	PNDIS_BUFFER b;

	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	p = pool_of(PoolHandle, BUFFER_POOL_MAGIC, "NdisAllocateBuffer: not a buffer pool");
	b = pool_get(p);
	*Buffer = b;
	if (!b) {
		*Status = NDIS_STATUS_RESOURCES;
		goto out;
	}
	b->Size = (CSHORT)sizeof(MDL);
	b->MdlFlags = MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL;
	b->MappedSystemVa = VirtualAddress;
	b->StartVa = (PVOID)((uintptr_t)VirtualAddress & ~(uintptr_t)0xFFF);
	b->ByteOffset = (ULONG)((uintptr_t)VirtualAddress & 0xFFF);
	b->ByteCount = Length;
	*Status = NDIS_STATUS_SUCCESS;
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
}

VOID NdisFreeBuffer(PNDIS_BUFFER Buffer)
{
	ndis_ddi_enter(NDIS_WDK_DDI_POOL, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	pool_put(Buffer, BUFFER_POOL_MAGIC,
		 "NdisFreeBuffer: not a buffer of a buffer pool, or freed twice");
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ------------------------------------------------------------ chains */

VOID NdisUnchainBufferAtFront(PNDIS_PACKET Packet, PNDIS_BUFFER *Buffer)
{
	PNDIS_BUFFER b = Packet->Private.Head;

	*Buffer = b;
	if (b) {
		Packet->Private.Head = b->Next;
		if (!b->Next)
			Packet->Private.Tail = NULL;
		b->Next = NULL;
		Packet->Private.ValidCounts = FALSE;
	}
}

VOID NdisUnchainBufferAtBack(PNDIS_PACKET Packet, PNDIS_BUFFER *Buffer)
{
	PNDIS_BUFFER b = Packet->Private.Tail, prev = NULL;

	*Buffer = b;
	if (!b)
		return;
	if (Packet->Private.Head == b) {
		Packet->Private.Head = Packet->Private.Tail = NULL;
	} else {
		for (prev = Packet->Private.Head; prev->Next != b; prev = prev->Next)
			;
		prev->Next = NULL;
		Packet->Private.Tail = prev;
	}
	Packet->Private.ValidCounts = FALSE;
}
