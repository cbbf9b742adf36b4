/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/packet.c - the NDIS 5 data path: NDIS_PACKET / NDIS_BUFFER,
 * MiniportSend[Packets] and NdisMSendComplete, NdisMEthIndicateReceive.
 *
 * The host plays the protocol: each frame it sends is one NDIS_PACKET with
 * one NDIS_BUFFER holding a copy of the frame. A packet is on its NIC's list
 * from the send until its completion, so a double completion or the
 * completion of a packet the driver was never given is a named bug check,
 * and packets a driver never completed are freed when its NIC is. Completed
 * packets go to the NIC's pool, not back to the heap (they are reused for
 * later sends and freed with the NIC): a late second completion then finds
 * a packet it does not own, not freed memory.
 */
#include "ndis/ndis5/internal.h"
#include "ndisrt/phase.h"

#include <string.h>

#include "hw/dma.h"

#define NDIS5_PACKET_MAGIC 0x4E504B54u /* 'NPKT' */

/* Lock key: (c) constant while owned by the driver  (P) the NIC's pkt_lock  (a) atomic */
struct ndis5_packet {
	NDIS_PACKET pkt;			    /* first: PNDIS_PACKET is this */
	UCHAR protocol_reserved[4 * sizeof(PVOID)]; /* room for ProtocolReserved */
	NDIS_PACKET_OOB_DATA oob;		    /* at Private.NdisPacketOobOffset */
	NDIS_PACKET_EXTENSION ext;		    /* right after it (NDIS_PER_PACKET_INFO) */
	/* Bus masters (NdisMInitializeScatterGatherDma): the frame's copy in DMA space. */
	_Alignas(8) unsigned char sg[sizeof(SCATTER_GATHER_LIST) + sizeof(SCATTER_GATHER_ELEMENT)];
	void *sg_va;			  /* (c) the copy, or NULL */
	NDIS_BUFFER buf;		  /* (c) */
	struct ndisrt_ndis5_nic *nic;	  /* (c) */
	uint32_t magic;			  /* (c) */
	atomic_uint owned;		  /* (a) 1 while the driver owns it */
	atomic_uint refs;		  /* (a) the driver's + the send call's */
	struct ndis5_packet *next, *prev; /* (P) the NIC's list or pool */
	size_t cap;			  /* (c) bytes of @data */
	uint8_t data[];			  /* (c) the frame */
};

#define NDIS5_PACKET_MIN_CAP 1536u /* an Ethernet frame: pooled packets fit most sends */

/* A packet of the NIC's pool that holds @len bytes, or a new one. Context: <= DISPATCH_LEVEL. */
static struct ndis5_packet *packet_get(struct ndisrt_ndis5_nic *n, size_t len)
{
	struct ndis5_packet *p;
	ke_irql_t old = ke_spin_acquire(&n->pkt_lock);
	size_t cap;

	p = n->pool;
	if (p && p->cap >= len)
		n->pool = p->next;
	else
		p = NULL;
	ke_spin_release(&n->pkt_lock, old);
	if (p) {
		cap = p->cap;
		memset(p, 0, sizeof(*p));
		p->cap = cap;
		return p;
	}
	cap = len < NDIS5_PACKET_MIN_CAP ? NDIS5_PACKET_MIN_CAP : len;
	p = ndis_zalloc(sizeof(*p) + cap);
	if (p)
		p->cap = cap;
	return p;
}

/* Free @p's copy in DMA space, if it has one. Context: <= DISPATCH_LEVEL. */
static void sg_release(struct ndisrt_ndis5_nic *n, struct ndis5_packet *p)
{
	ke_irql_t old;

	if (!p->sg_va)
		return;
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	hw_dma_free(n->dma, p->sg_va);
	ke_irql_lower(old);
	p->sg_va = NULL;
}

/* A packet that never reached the driver, back to the pool. */
static void packet_put_free(struct ndisrt_ndis5_nic *n, struct ndis5_packet *p)
{
	ke_irql_t old = ke_spin_acquire(&n->pkt_lock);

	p->next = n->pool;
	n->pool = p;
	ke_spin_release(&n->pkt_lock, old);
}

static struct ndis5_packet *packet_alloc(struct ndisrt_ndis5_nic *n, const void *frame, size_t len)
{
	struct ndis5_packet *p = packet_get(n, len);

	if (!p)
		return NULL;
	memcpy(p->data, frame, len);
	/* NDIS_BUFFER is an MDL: mapped, nonpaged, describing the copy. */
	p->buf.Next = NULL;
	p->buf.Size = (CSHORT)sizeof(MDL);
	p->buf.MdlFlags = MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL;
	p->buf.MappedSystemVa = p->data;
	p->buf.StartVa = (PVOID)((uintptr_t)p->data & ~(uintptr_t)0xFFF);
	p->buf.ByteOffset = (ULONG)((uintptr_t)p->data & 0xFFF);
	p->buf.ByteCount = (ULONG)len;
	p->pkt.Private.PhysicalCount = 1;
	p->pkt.Private.TotalLength = (UINT)len;
	p->pkt.Private.Head = p->pkt.Private.Tail = &p->buf;
	p->pkt.Private.Count = 1;
	p->pkt.Private.ValidCounts = TRUE;
	p->pkt.Private.NdisPacketOobOffset = (USHORT)offsetof(struct ndis5_packet, oob);
	p->oob.HeaderSize = 14;
	p->oob.Status = NDIS_STATUS_SUCCESS;
	if (ndis5_sg_active(n)) {
		PSCATTER_GATHER_LIST l = (PSCATTER_GATHER_LIST)(void *)p->sg;
		uint64_t la;
		ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

		p->sg_va = ndis5_dma_alloc(n, len, &la);
		ke_irql_lower(old);
		if (!p->sg_va) {
			packet_put_free(n, p);
			return NULL;
		}
		memcpy(p->sg_va, frame, len);
		l->NumberOfElements = 1;
		l->Elements[0].Address.QuadPart = (LONGLONG)la;
		l->Elements[0].Length = (ULONG)len;
		p->ext.NdisPacketInfo[ScatterGatherListPacketInfo] = l;
	}
	p->nic = n;
	p->magic = NDIS5_PACKET_MAGIC;
	atomic_init(&p->refs, 2);
	return p;
}

/*
 * Drop a reference; the last one puts the packet in its NIC's pool. The
 * send call holds one until the miniport's handler returned, so a packet
 * completed inside MiniportSend (or completed twice) is still there to be
 * checked. Context: <= DISPATCH_LEVEL.
 */
static void packet_put(struct ndis5_packet *p)
{
	struct ndisrt_ndis5_nic *n = p->nic;
	ke_irql_t old;

	if (atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1)
		return;
	sg_release(n, p);
	old = ke_spin_acquire(&n->pkt_lock);
	p->next = n->pool;
	n->pool = p;
	ke_spin_release(&n->pkt_lock, old);
}

static void packet_link(struct ndis5_packet *p)
{
	struct ndisrt_ndis5_nic *n = p->nic;
	ke_irql_t old = ke_spin_acquire(&n->pkt_lock);

	p->next = n->pkts;
	p->prev = NULL;
	if (n->pkts)
		n->pkts->prev = p;
	n->pkts = p;
	atomic_store(&p->owned, 1);
	ke_spin_release(&n->pkt_lock, old);
}

static void packet_unlink(struct ndis5_packet *p)
{
	struct ndisrt_ndis5_nic *n = p->nic;
	ke_irql_t old = ke_spin_acquire(&n->pkt_lock);

	if (p->prev)
		p->prev->next = p->next;
	else
		n->pkts = p->next;
	if (p->next)
		p->next->prev = p->prev;
	ke_spin_release(&n->pkt_lock, old);
}

/* The driver gives @p back with @status. Context: <= DISPATCH_LEVEL. */
static void packet_complete(struct ndis5_packet *p, NDIS_STATUS status)
{
	struct ndisrt_ndis5_nic *n = p->nic;
	unsigned expected = 1;

	if (!atomic_compare_exchange_strong(&p->owned, &expected, 0))
		ndisrt_violation(
		    NDISRT_VIOLATION_SEND_COMPLETE, (uintptr_t)p, status, NDISRT_NDIS5_DDI_SEND,
		    "NdisMSendComplete for a packet the miniport does not own (completed "
		    "twice, or MiniportSend already returned its status)");
	ndis5_count(status == NDIS_STATUS_SUCCESS ? &n->c.send_completed : &n->c.send_failed);
	atomic_fetch_sub(&n->sends_outstanding, 1);
	packet_unlink(p);
	packet_put(p);
}

void ndis5_packet_free_all(struct ndisrt_ndis5_nic *n)
{
	while (n->pkts) {
		struct ndis5_packet *p = n->pkts;

		n->pkts = p->next;
		sg_release(n, p);
		ndis_free(p);
	}
	while (n->pool) {
		struct ndis5_packet *p = n->pool;

		n->pool = p->next;
		ndis_free(p);
	}
}

/**
 * NdisMSendComplete() - The miniport is done with a packet it pended.
 * Context: IRQL <= DISPATCH_LEVEL (0xC4 IRQL); a packet it owns (0xC4 SEND_COMPLETE).
 */
VOID NdisMSendComplete(NDIS_HANDLE MiniportAdapterHandle, PNDIS_PACKET Packet, NDIS_STATUS Status)
{
	struct ndis5_packet *p = (struct ndis5_packet *)Packet;
	struct ndisrt_ndis5_nic *n;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_SEND, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_SEND);
	if (!p || p->magic != NDIS5_PACKET_MAGIC || p->nic != n)
		ndisrt_violation(NDISRT_VIOLATION_SEND_COMPLETE, (uintptr_t)Packet, Status,
				 NDISRT_NDIS5_DDI_SEND,
				 "NdisMSendComplete with a packet this adapter was not sent");
	packet_complete(p, Status);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/** NdisMSendResourcesAvailable() - Accepted; the host does not queue sends. */
VOID NdisMSendResourcesAvailable(NDIS_HANDLE MiniportAdapterHandle)
{
	ndis_require_vcpu(NDISRT_NDIS5_DDI_SEND);
	ndis_check_irql(KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL, NDISRT_NDIS5_DDI_SEND);
	(void)ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_SEND);
}

VOID ndis_query_packet(PNDIS_PACKET Packet, PUINT PhysicalBufferCount, PUINT BufferCount,
		       PNDIS_BUFFER *FirstBuffer, PUINT TotalPacketLength)
{
	UINT count = 0, total = 0;

	for (PNDIS_BUFFER b = Packet->Private.Head; b; b = b->Next) {
		count++;
		total += b->ByteCount;
	}
	if (PhysicalBufferCount)
		*PhysicalBufferCount = count;
	if (BufferCount)
		*BufferCount = count;
	if (FirstBuffer)
		*FirstBuffer = Packet->Private.Head;
	if (TotalPacketLength)
		*TotalPacketLength = total;
}

/* ------------------------------------------------------------------ send */

struct send_call {
	struct ndisrt_ndis5_nic *n;
	struct ndis5_packet **pkts;
	unsigned count;
};

/* Statuses a serialized miniport's MiniportSend[Packets] completes with at once. */
static void send_result(struct ndis5_packet *p, NDIS_STATUS status)
{
	if (status != NDIS_STATUS_PENDING)
		packet_complete(p, status);
}

/* On a vCPU: the driver's send at DISPATCH_LEVEL, holding the miniport lock if serialized (L7). */
static void run_send(void *arg)
{
	struct send_call *c = arg;
	struct ndisrt_ndis5_nic *n = c->n;
	const NDIS51_MINIPORT_CHARACTERISTICS *ch = &n->drv->chars;
	bool serialized = !atomic_load(&n->deserialized);
	NDIS_HANDLE ac = atomic_load(&n->context);
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);
	unsigned held;

	if (serialized)
		ke_spin_acquire_at_dpc(&n->lock);
	held = ndis_spin_held();
	for (unsigned i = 0; i < c->count; i++) {
		packet_link(c->pkts[i]);
		atomic_fetch_add(&n->sends_outstanding, 1);
		ndis5_count(&n->c.sent);
	}
	if (ch->SendPacketsHandler) {
		PNDIS_PACKET arr[64];

		for (unsigned i = 0; i < c->count; i++) {
			arr[i] = &c->pkts[i]->pkt;
			NDIS_SET_PACKET_STATUS(arr[i], NDIS_STATUS_PENDING);
		}
		ch->SendPacketsHandler(ac, arr, c->count);
		/* A deserialized miniport completes every packet with NdisMSendComplete. */
		for (unsigned i = 0; serialized && i < c->count; i++)
			send_result(c->pkts[i], NDIS_GET_PACKET_STATUS(arr[i]));
	} else {
		for (unsigned i = 0; i < c->count; i++) {
			NDIS_STATUS s = ch->SendHandler(ac, &c->pkts[i]->pkt, 0);

			send_result(c->pkts[i], s);
		}
	}
	ndis5_check_irql_after(
	    KE_DISPATCH_LEVEL,
	    ch->SendPacketsHandler ? (uintptr_t)ch->SendPacketsHandler : (uintptr_t)ch->SendHandler,
	    "MiniportSend[Packets] returned at an IRQL other than DISPATCH_LEVEL");
	ndis_check_spin_balance(held, (uintptr_t)ch->SendHandler);
	if (serialized)
		ke_spin_release_at_dpc(&n->lock);
	ke_irql_lower(old);
	for (unsigned i = 0; i < c->count; i++)
		packet_put(c->pkts[i]);
}

unsigned ndisrt_ndis5_nic_send(struct ndisrt_ndis5_nic *n, unsigned vcpu, const void *const *frames,
			       const size_t *lens, unsigned count)
{
	struct ndis5_packet *pkts[64];
	struct send_call c = {.n = n, .pkts = pkts};
	unsigned done = 0;

	while (done < count) {
		unsigned k = count - done < 64 ? count - done : 64;

		for (c.count = 0; c.count < k; c.count++) {
			pkts[c.count] =
			    packet_alloc(n, frames[done + c.count], lens[done + c.count]);
			if (!pkts[c.count])
				break;
		}
		if (!c.count)
			break;
		host_phase_next(NDISRT_PHASE_SEND, 0);
		ke_vcpu_call(ke_machine_vcpu(n->m, vcpu), run_send, &c);
		done += c.count;
		if (c.count < k)
			break;
	}
	return done;
}

uint64_t ndisrt_ndis5_nic_sends_outstanding(struct ndisrt_ndis5_nic *n)
{
	return atomic_load(&n->sends_outstanding);
}

/* --------------------------------------------------------------- receive */

static __thread uint8_t rx_scratch[NDIS5_MAX_FRAME + 64];

/**
 * NdisMEthIndicateReceive() - A received Ethernet frame, to the host's rx sink.
 * @MiniportReceiveContext: for MiniportTransferData (not called: see below).
 * @HeaderBuffer, @HeaderBufferSize: the Ethernet header.
 * @LookaheadBuffer, @LookaheadBufferSize: data after the header.
 * @PacketSize: bytes after the header in the whole frame.
 *
 * A frame whose lookahead does not hold all @PacketSize bytes is counted
 * (rx_truncated) and not delivered: ndisrt does not call MiniportTransferData.
 * Context: DISPATCH_LEVEL, on a vCPU (0xC4 IRQL otherwise).
 */
VOID NdisMEthIndicateReceive(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportReceiveContext,
			     PVOID HeaderBuffer, UINT HeaderBufferSize, PVOID LookaheadBuffer,
			     UINT LookaheadBufferSize, UINT PacketSize)
{
	struct ndisrt_ndis5_nic *n;
	ndisrt_ndis5_rx_fn *fn;
	const uint8_t *frame = HeaderBuffer;
	size_t len = (size_t)HeaderBufferSize + PacketSize;

	(void)MiniportReceiveContext;
	ndis_ddi_enter(NDISRT_NDIS5_DDI_RECEIVE, KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_RECEIVE);
	if (LookaheadBufferSize < PacketSize || len > sizeof(rx_scratch)) {
		ndis5_count(&n->c.rx_truncated);
		return;
	}
	if ((const uint8_t *)LookaheadBuffer != frame + HeaderBufferSize) {
		memcpy(rx_scratch, HeaderBuffer, HeaderBufferSize);
		memcpy(rx_scratch + HeaderBufferSize, LookaheadBuffer, PacketSize);
		frame = rx_scratch;
	}
	ndis5_count(&n->c.indicated);
	atomic_fetch_add_explicit(&n->c.rx_bytes, len, memory_order_relaxed);
	fn = atomic_load(&n->rx_fn);
	if (fn)
		fn(atomic_load(&n->rx_ctx), n, ke_current_number(), frame, len);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/** NdisMEthIndicateReceiveComplete() - End of a batch of indications. DISPATCH_LEVEL. */
VOID NdisMEthIndicateReceiveComplete(NDIS_HANDLE MiniportAdapterHandle)
{
	struct ndisrt_ndis5_nic *n;

	ndis_require_vcpu(NDISRT_NDIS5_DDI_RECEIVE);
	ndis_check_irql(KE_DISPATCH_LEVEL, KE_DISPATCH_LEVEL, NDISRT_NDIS5_DDI_RECEIVE);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_RECEIVE);
	ndis5_count(&n->c.indicate_completes);
}

/* --------------------------------------------------- receive packets */

/*
 * NdisMIndicateReceivePacket plays a protocol that keeps every packet the
 * miniport indicated with NDIS_STATUS_SUCCESS: it copies the frame to the
 * host's rx sink, sets the packet's status to NDIS_STATUS_PENDING (what a
 * serialized miniport reads on return: the packet comes back through
 * MiniportReturnPacket) and gives it back from return_dpc, at
 * DISPATCH_LEVEL on the lifecycle vCPU. A packet indicated with
 * NDIS_STATUS_RESOURCES is copied and stays the miniport's when the call
 * returns (no MiniportReturnPacket), as NDIS documents.
 */

/* The kept-packet list is linked through WrapperReserved (NDIS's part of a packet). */
static PNDIS_PACKET *return_link(PNDIS_PACKET p)
{
	return (PNDIS_PACKET *)(void *)p->WrapperReserved;
}

/* Give @p back to MiniportReturnPacket. DISPATCH_LEVEL; serialized: the miniport lock. */
static void return_one(struct ndisrt_ndis5_nic *n, PNDIS_PACKET p)
{
	W_RETURN_PACKET_HANDLER ret = n->drv->chars.ReturnPacketHandler;
	unsigned held = ndis_spin_held();

	*return_link(p) = NULL;
	ret(atomic_load(&n->context), p);
	ndis5_check_irql_after(
	    KE_DISPATCH_LEVEL, (uintptr_t)ret,
	    "MiniportReturnPacket returned at an IRQL other than DISPATCH_LEVEL");
	ndis_check_spin_balance(held, (uintptr_t)ret);
	ndis5_count(&n->c.packets_returned);
	atomic_fetch_sub(&n->returns_outstanding, 1);
}

/* Every kept packet, oldest first. DISPATCH_LEVEL. */
static void return_kept(struct ndisrt_ndis5_nic *n)
{
	bool serialized = !atomic_load(&n->deserialized);

	for (;;) {
		PNDIS_PACKET p, *pp;

		ke_spin_acquire_at_dpc(&n->return_lock);
		p = n->returns;
		if (p) /* the list is newest first: take the last */
			for (pp = &n->returns; *return_link(p); p = *return_link(p))
				pp = return_link(p);
		if (p)
			*pp = NULL;
		ke_spin_release_at_dpc(&n->return_lock);
		if (!p)
			return;
		if (serialized)
			ke_spin_acquire_at_dpc(&n->lock);
		return_one(n, p);
		if (serialized)
			ke_spin_release_at_dpc(&n->lock);
	}
}

static void return_dpc(struct ke_dpc *kd, void *ctx, void *arg1, void *arg2)
{
	(void)kd, (void)arg1, (void)arg2;
	return_kept(ctx);
}

void ndis5_receive_init(struct ndisrt_ndis5_nic *n)
{
	ke_spin_init(&n->return_lock);
	ke_dpc_init(&n->return_dpc, return_dpc, n);
	ke_dpc_set_target(&n->return_dpc, (int)n->vcpu);
}

void ndis5_receive_return_all(struct ndisrt_ndis5_nic *n)
{
	ke_irql_t old = ke_irql_raise(KE_DISPATCH_LEVEL);

	/* This is the DPC's vCPU: dequeued, it cannot be running meanwhile. */
	ke_dpc_remove(n->m, &n->return_dpc);
	return_kept(n);
	ke_irql_lower(old);
}

/* The frame @p describes, into @buf (at most @cap bytes). Return: its length, or 0 if too long. */
static size_t packet_gather(PNDIS_PACKET p, uint8_t *buf, size_t cap)
{
	size_t len = 0;

	for (PNDIS_BUFFER b = p->Private.Head; b; b = b->Next) {
		if (b->ByteCount > cap - len)
			return 0;
		if (b->ByteCount)
			memcpy(buf + len, b->MappedSystemVa, b->ByteCount);
		len += b->ByteCount;
	}
	return len;
}

/**
 * NdisMIndicateReceivePacket() - Received frames, one NDIS_PACKET each.
 * @PacketArray: @NumberOfPackets packets; each one's out-of-band Status says
 * who owns it after the call: NDIS_STATUS_SUCCESS gives it to NDIS until
 * MiniportReturnPacket, NDIS_STATUS_RESOURCES keeps it the miniport's.
 * The miniport keeps the array.
 *
 * Context: IRQL <= DISPATCH_LEVEL, on a vCPU (0xC4 IRQL otherwise). A packet
 * given with NDIS_STATUS_SUCCESS by a miniport with no MiniportReturnPacket
 * is 0xC4 BAD_PARAMETER; a packet with no buffers or longer than 16 KiB is
 * counted (rx_truncated), not delivered, and treated as the status says.
 */
VOID NdisMIndicateReceivePacket(NDIS_HANDLE MiniportAdapterHandle, PPNDIS_PACKET PacketArray,
				UINT NumberOfPackets)
{
	struct ndisrt_ndis5_nic *n;
	ndisrt_ndis5_rx_fn *fn;
	ke_irql_t old;
	bool kept = false;

	ndis_ddi_enter(NDISRT_NDIS5_DDI_RECEIVE_PACKET, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	n = ndis5_nic_lookup(MiniportAdapterHandle, NDISRT_NDIS5_DDI_RECEIVE_PACKET);
	if (NumberOfPackets && !PacketArray)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)MiniportAdapterHandle,
				 0, NDISRT_NDIS5_DDI_RECEIVE_PACKET,
				 "NdisMIndicateReceivePacket: PacketArray is NULL");
	old = ke_irql_raise(KE_DISPATCH_LEVEL);
	fn = atomic_load(&n->rx_fn);
	for (UINT i = 0; i < NumberOfPackets; i++) {
		PNDIS_PACKET p = PacketArray[i];
		NDIS_STATUS st;
		size_t len;

		if (!p)
			ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER,
					 (uintptr_t)MiniportAdapterHandle, i,
					 NDISRT_NDIS5_DDI_RECEIVE_PACKET,
					 "NdisMIndicateReceivePacket: a NULL packet in the array "
					 "(parameter 3: its index)");
		st = NDIS_GET_PACKET_STATUS(p);
		if (st != NDIS_STATUS_RESOURCES && !n->drv->chars.ReturnPacketHandler)
			ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER,
					 (uintptr_t)MiniportAdapterHandle, (uintptr_t)p,
					 NDISRT_NDIS5_DDI_RECEIVE_PACKET,
					 "NdisMIndicateReceivePacket of a packet NDIS must keep "
					 "(status not NDIS_STATUS_RESOURCES) by a miniport without "
					 "MiniportReturnPacket");
		ndis5_count(&n->c.packets_indicated);
		len = packet_gather(p, rx_scratch, sizeof(rx_scratch));
		if (!len) {
			ndis5_count(&n->c.rx_truncated);
		} else {
			ndis5_count(&n->c.indicated);
			atomic_fetch_add_explicit(&n->c.rx_bytes, len, memory_order_relaxed);
			if (fn)
				fn(atomic_load(&n->rx_ctx), n, ke_current_number(), rx_scratch,
				   len);
		}
		if (st == NDIS_STATUS_RESOURCES)
			continue;
		NDIS_SET_PACKET_STATUS(p, NDIS_STATUS_PENDING);
		atomic_fetch_add(&n->returns_outstanding, 1);
		ke_spin_acquire_at_dpc(&n->return_lock);
		*return_link(p) = n->returns;
		n->returns = p;
		ke_spin_release_at_dpc(&n->return_lock);
		kept = true;
	}
	if (kept)
		ke_dpc_queue(n->m, &n->return_dpc, NULL, NULL);
	ke_irql_lower(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
