/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_nbl6.c - the NDIS 6 buffer DDIs of ndis/nbl6.c: NET_BUFFER
 * pools, NdisAllocateNetBufferList, contexts, retreat/advance of the data
 * start, copies, clones, fragments and reassembled NBLs, the accessor and
 * media-specific-information macros; each with its documented failures.
 *
 * Driver-side code runs on a vCPU (ke_vcpu_call) and records what it saw in
 * a struct; the test's main thread asserts afterwards.
 */
#define NDIS_WRAPPER 1
#include <ndis.h>

#include "tests/harness.h"

#include <string.h>

#include "ndisrt/host.h"
#include "ndisrt/ndis.h"

#define C4 KE_BUGCHECK_DRIVER_VERIFIER_DETECTED_VIOLATION
#define DDI_NB_POOL 0x501
#define DDI_NB 0x502
#define DDI_NBL 0x503
#define DDI_NBL_CONTEXT 0x504

static struct ke_machine *m;

static void machine_1cpu(void)
{
	m = harness_machine(1);
}

static void machine_end(void)
{
	harness_end(m);
}

static void on_vcpu(void (*fn)(void *), void *arg)
{
	cr_assert_eq(ke_vcpu_call(ke_machine_vcpu(m, 0), fn, arg), 0);
}

static NDIS_HANDLE nb_pool(ULONG data_size)
{
	NET_BUFFER_POOL_PARAMETERS p = {0};

	p.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	p.Header.Revision = NET_BUFFER_POOL_PARAMETERS_REVISION_1;
	p.Header.Size = NDIS_SIZEOF_NET_BUFFER_POOL_PARAMETERS_REVISION_1;
	p.PoolTag = 0x74736554;
	p.DataSize = data_size;
	return NdisAllocateNetBufferPool(NULL, &p);
}

static NDIS_HANDLE nbl_pool(UCHAR protocol, BOOLEAN with_nb, ULONG data_size)
{
	NET_BUFFER_LIST_POOL_PARAMETERS p = {0};

	p.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	p.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	p.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	p.ProtocolId = protocol;
	p.fAllocateNetBuffer = with_nb;
	p.DataSize = data_size;
	return NdisAllocateNetBufferListPool(NULL, &p);
}

/* An MDL over @len bytes at @va, as a driver's own buffer would have. */
static void mdl_over(PMDL mdl, void *va, ULONG len, PMDL next)
{
	memset(mdl, 0, sizeof(*mdl));
	mdl->Next = next;
	mdl->Size = (CSHORT)sizeof(MDL);
	mdl->MdlFlags = MDL_SOURCE_IS_NONPAGED_POOL;
	mdl->MappedSystemVa = va;
	mdl->ByteCount = len;
}

/* The NET_BUFFER's used data, gathered (at most @cap bytes). */
static ULONG nb_bytes(PNET_BUFFER nb, UCHAR *out, ULONG cap)
{
	PMDL mdl = NET_BUFFER_CURRENT_MDL(nb);
	ULONG off = NET_BUFFER_CURRENT_MDL_OFFSET(nb), left = NET_BUFFER_DATA_LENGTH(nb), n = 0;

	for (; mdl && left && n < cap; mdl = mdl->Next, off = 0) {
		ULONG chunk = mdl->ByteCount - off;

		if (chunk > left)
			chunk = left;
		if (chunk > cap - n)
			chunk = cap - n;
		memcpy(out + n, (UCHAR *)mdl->MappedSystemVa + off, chunk);
		n += chunk;
		left -= chunk;
	}
	return n;
}

/* ------------------------------------------------- NET_BUFFER pools */

struct pool_run {
	bool pool_ok, bad_header_null, no_data_null, mdl_data_ok, caller_mdl_ok, pool_back;
	ULONG len, offset, cur_off;
	bool cur_is_second;
};

static void pool_on_vcpu(void *arg)
{
	struct pool_run *r = arg;
	NET_BUFFER_POOL_PARAMETERS bad = {0};
	NDIS_HANDLE p = nb_pool(256), p0 = nb_pool(0);
	static UCHAR a[10], b[20];
	static MDL m1, m2;
	PNET_BUFFER nb;

	r->pool_ok = p && p0;
	bad.Header.Type = NDIS_OBJECT_TYPE_DEFAULT; /* revision 0, size 0 */
	r->bad_header_null = NdisAllocateNetBufferPool(NULL, &bad) == NULL;
	r->no_data_null = NdisAllocateNetBufferMdlAndData(p0) == NULL;

	nb = NdisAllocateNetBufferMdlAndData(p);
	r->mdl_data_ok = nb && NET_BUFFER_DATA_LENGTH(nb) == 256 && NET_BUFFER_FIRST_MDL(nb) &&
			 NET_BUFFER_FIRST_MDL(nb)->ByteCount == 256 &&
			 NET_BUFFER_CURRENT_MDL(nb) == NET_BUFFER_FIRST_MDL(nb);
	if (nb) {
		memset(NET_BUFFER_FIRST_MDL(nb)->MappedSystemVa, 0xAB, 256); /* writable */
		r->pool_back = NdisGetPoolFromNetBuffer(nb) == p;
		NdisFreeNetBuffer(nb);
	}

	mdl_over(&m2, b, sizeof(b), NULL);
	mdl_over(&m1, a, sizeof(a), &m2);
	nb = NdisAllocateNetBuffer(p0, &m1, 14, 12);
	r->caller_mdl_ok = nb && NET_BUFFER_FIRST_MDL(nb) == &m1;
	if (nb) {
		r->len = NET_BUFFER_DATA_LENGTH(nb);
		r->offset = NET_BUFFER_DATA_OFFSET(nb);
		r->cur_is_second = NET_BUFFER_CURRENT_MDL(nb) == &m2;
		r->cur_off = NET_BUFFER_CURRENT_MDL_OFFSET(nb);
		NdisFreeNetBuffer(nb);
	}
	NdisFreeNetBufferPool(p);
	NdisFreeNetBufferPool(p0);
}

Test(ndis6_nbl, nb_pool_gives_mdl_and_data_or_the_callers_mdls_and_checks_its_header,
     .init = machine_1cpu, .fini = machine_end)
{
	static struct pool_run r;

	on_vcpu(pool_on_vcpu, &r);
	cr_assert(r.pool_ok);
	cr_assert(r.bad_header_null, "a header without revision/size is refused (NULL)");
	cr_assert(r.no_data_null, "NdisAllocateNetBufferMdlAndData needs a pool DataSize");
	cr_assert(r.mdl_data_ok, "one MDL with DataSize bytes, DataLength = DataSize");
	cr_assert(r.pool_back, "NdisGetPoolFromNetBuffer names the pool");
	cr_assert(r.caller_mdl_ok);
	cr_assert_eq(r.len, 12);
	cr_assert_eq(r.offset, 14);
	cr_assert(r.cur_is_second, "DataOffset 14 lies in the second MDL (10 + 20 bytes)");
	cr_assert_eq(r.cur_off, 4);
}

static void pool_freed_with_nb_out(void *arg)
{
	NDIS_HANDLE p = nb_pool(64);

	(void)arg;
	(void)NdisAllocateNetBufferMdlAndData(p);
	NdisFreeNetBufferPool(p);
}

Test(ndis6_nbl, nb_pool_freed_with_a_net_buffer_out_bugchecks_resource_leak,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_RESOURCE_LEAK, 0, 1, DDI_NB_POOL);
	on_vcpu(pool_freed_with_nb_out, NULL);
	cr_assert_fail("no bug check");
}

static void nb_freed_twice(void *arg)
{
	NDIS_HANDLE p = nb_pool(64);
	PNET_BUFFER nb = NdisAllocateNetBufferMdlAndData(p);

	(void)arg;
	NdisFreeNetBuffer(nb);
	NdisFreeNetBuffer(nb);
}

Test(ndis6_nbl, net_buffer_freed_twice_bugchecks_double_free, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_DOUBLE_FREE, 0, 0, DDI_NB);
	on_vcpu(nb_freed_twice, NULL);
	cr_assert_fail("no bug check");
}

static void pool_at_dirql(void *arg)
{
	(void)arg;
	ke_irql_raise(KE_DISPATCH_LEVEL + 1);
	(void)nb_pool(0);
}

Test(ndis6_nbl, nb_pool_above_dispatch_level_bugchecks_irql, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xF, NDISRT_VIOLATION_IRQL, KE_DISPATCH_LEVEL + 1,
			NDISRT_IRQL_RANGE(0, 2), DDI_NB_POOL);
	on_vcpu(pool_at_dirql, NULL);
	cr_assert_fail("no bug check");
}

/* ------------------------------------------- NBLs, protocol id, contexts */

struct nbl_run {
	bool bare_ok, with_nb_ok, pool_back;
	UCHAR proto_from_pool, proto_set, proto_with_nb;
	USHORT size0, off0, off_after_fit, off_after_grow, size_grown;
	bool grew_new_block, chained_old, popped_back, start_moves;
	NDIS_STATUS fit_st, grow_st;
};

static void nbl_on_vcpu(void *arg)
{
	struct nbl_run *r = arg;
	NDIS_HANDLE lp = nbl_pool(NDIS_PROTOCOL_ID_TCP_IP, FALSE, 0);
	NDIS_HANDLE lpn = nbl_pool(NDIS_PROTOCOL_ID_NBF, TRUE, 128);
	PNET_BUFFER_LIST nbl, nbl2;
	PNET_BUFFER_LIST_CONTEXT first;
	PUCHAR start0;

	nbl = NdisAllocateNetBufferList(lp, 32, 16);
	r->bare_ok = nbl && NET_BUFFER_LIST_FIRST_NB(nbl) == NULL && nbl->Context;
	r->pool_back = nbl && NdisGetPoolFromNetBufferList(nbl) == lp;
	r->proto_from_pool = NdisGetNetBufferListProtocolId(nbl);
	NdisSetNetBufferListProtocolId(nbl, NDIS_PROTOCOL_ID_IPX);
	r->proto_set = NdisGetNetBufferListProtocolId(nbl);

	first = nbl->Context;
	r->size0 = first->Size;
	r->off0 = first->Offset;
	start0 = NET_BUFFER_LIST_CONTEXT_DATA_START(nbl);
	/* 16 bytes fit in the back-fill: only Offset moves */
	r->fit_st = NdisAllocateNetBufferListContext(nbl, 16, 0, 0x74736554);
	r->off_after_fit = nbl->Context->Offset;
	r->start_moves = NET_BUFFER_LIST_CONTEXT_DATA_START(nbl) == start0 - 16;
	/* 32 more do not: a new block of 32 + 48 in front */
	r->grow_st = NdisAllocateNetBufferListContext(nbl, 32, 48, 0x74736554);
	r->grew_new_block = nbl->Context != first;
	r->chained_old = nbl->Context->Next == first;
	r->size_grown = nbl->Context->Size;
	r->off_after_grow = nbl->Context->Offset;
	NdisFreeNetBufferListContext(nbl, 32);
	r->popped_back = nbl->Context == first;
	NdisFreeNetBufferListContext(nbl, 16);
	NdisFreeNetBufferList(nbl);

	nbl2 = NdisAllocateNetBufferList(lpn, 0, 0);
	r->with_nb_ok = nbl2 && NET_BUFFER_LIST_FIRST_NB(nbl2) &&
			NET_BUFFER_DATA_LENGTH(NET_BUFFER_LIST_FIRST_NB(nbl2)) == 128;
	r->proto_with_nb = nbl2 ? NdisGetNetBufferListProtocolId(nbl2) : 0;
	if (nbl2)
		NdisFreeNetBufferList(nbl2);
	NdisFreeNetBufferListPool(lp);
	NdisFreeNetBufferListPool(lpn);
}

Test(ndis6_nbl, nbl_allocation_protocol_id_and_contexts_grow_and_shrink, .init = machine_1cpu,
     .fini = machine_end)
{
	static struct nbl_run r;

	on_vcpu(nbl_on_vcpu, &r);
	cr_assert(r.bare_ok, "a pool without fAllocateNetBuffer gives an NBL without NET_BUFFER");
	cr_assert(r.with_nb_ok, "fAllocateNetBuffer: NBL, NET_BUFFER, MDL and data");
	cr_assert_eq(r.proto_with_nb, NDIS_PROTOCOL_ID_NBF, "its pool's ProtocolId too");
	cr_assert(r.pool_back);
	cr_assert_eq(r.proto_from_pool, NDIS_PROTOCOL_ID_TCP_IP, "the pool's ProtocolId");
	cr_assert_eq(r.proto_set, NDIS_PROTOCOL_ID_IPX);
	cr_assert_eq(r.size0, 48);
	cr_assert_eq(r.off0, 16);
	cr_assert_eq(r.fit_st, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.off_after_fit, 0);
	cr_assert(r.start_moves, "NET_BUFFER_LIST_CONTEXT_DATA_START moves back 16 bytes");
	cr_assert_eq(r.grow_st, NDIS_STATUS_SUCCESS);
	cr_assert(r.grew_new_block && r.chained_old);
	cr_assert_eq(r.size_grown, 80);
	cr_assert_eq(r.off_after_grow, 48);
	cr_assert(r.popped_back, "the block freed once empty, the first one current again");
}

static void context_overfreed(void *arg)
{
	NDIS_HANDLE lp = nbl_pool(0, FALSE, 0);
	PNET_BUFFER_LIST nbl = NdisAllocateNetBufferList(lp, 16, 0);

	(void)arg;
	NdisFreeNetBufferListContext(nbl, 32);
}

Test(ndis6_nbl, context_freed_beyond_what_was_allocated_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_BAD_PARAMETER, 0, 32, DDI_NBL_CONTEXT);
	on_vcpu(context_overfreed, NULL);
	cr_assert_fail("no bug check");
}

/* ------------------------------------------------- retreat / advance */

static atomic_int driver_allocs, driver_frees;
static UCHAR driver_buf[64];
static MDL driver_mdl;

static PMDL my_alloc(PULONG size)
{
	atomic_fetch_add(&driver_allocs, 1);
	if (*size > sizeof(driver_buf))
		return NULL;
	mdl_over(&driver_mdl, driver_buf, *size, NULL);
	return &driver_mdl;
}

static VOID my_free(PMDL mdl)
{
	if (mdl == &driver_mdl)
		atomic_fetch_add(&driver_frees, 1);
}

struct retreat_run {
	NDIS_STATUS st_fit, st_grow, st_handler, st_too_big;
	ULONG off_fit, len_fit, off_grow, len_grow, new_mdl_len;
	bool grew_in_front, back_to_original, kept_without_free, handler_used, handler_back;
	UCHAR header[4];
	NDIS_STATUS adjust_st;
	bool adjust_ok;
};

static void retreat_on_vcpu(void *arg)
{
	struct retreat_run *r = arg;
	NDIS_HANDLE p = nb_pool(0);
	static UCHAR data[100];
	static MDL md;
	PNET_BUFFER nb;

	for (int i = 0; i < 100; i++)
		data[i] = (UCHAR)i;
	mdl_over(&md, data, sizeof(data), NULL);
	nb = NdisAllocateNetBuffer(p, &md, 20, 80);

	r->st_fit = NdisRetreatNetBufferDataStart(nb, 14, 0, NULL);
	r->off_fit = NET_BUFFER_DATA_OFFSET(nb);
	r->len_fit = NET_BUFFER_DATA_LENGTH(nb);
	NdisAdvanceNetBufferDataStart(nb, 14, TRUE, NULL);

	/* 30 bytes in front of DataOffset 20: 10 missing, + 6 back-fill = 16 new */
	r->st_grow = NdisRetreatNetBufferDataStart(nb, 30, 6, NULL);
	r->grew_in_front = NET_BUFFER_FIRST_MDL(nb) != &md && NET_BUFFER_FIRST_MDL(nb)->Next == &md;
	r->new_mdl_len = NET_BUFFER_FIRST_MDL(nb)->ByteCount;
	r->off_grow = NET_BUFFER_DATA_OFFSET(nb);
	r->len_grow = NET_BUFFER_DATA_LENGTH(nb);
	memcpy(NdisGetDataBuffer(nb, 4, NULL, 1, 0), "HDR!", 4);
	nb_bytes(nb, r->header, 4);
	NdisAdvanceNetBufferDataStart(nb, 30, FALSE, NULL);
	r->kept_without_free = NET_BUFFER_FIRST_MDL(nb) != &md;
	NdisRetreatNetBufferDataStart(nb, 30, 0, NULL); /* reuses the kept space */
	NdisAdvanceNetBufferDataStart(nb, 30, TRUE, NULL);
	r->back_to_original = NET_BUFFER_FIRST_MDL(nb) == &md && NET_BUFFER_DATA_OFFSET(nb) == 20 &&
			      NET_BUFFER_DATA_LENGTH(nb) == 80 &&
			      NET_BUFFER_CURRENT_MDL(nb) == &md &&
			      NET_BUFFER_CURRENT_MDL_OFFSET(nb) == 20;

	r->st_handler = NdisRetreatNetBufferDataStart(nb, 40, 0, my_alloc);
	r->handler_used = NET_BUFFER_FIRST_MDL(nb) == &driver_mdl;
	NdisAdvanceNetBufferDataStart(nb, 40, TRUE, my_free);
	r->handler_back = NET_BUFFER_FIRST_MDL(nb) == &md;
	r->st_too_big = NdisRetreatNetBufferDataStart(nb, 200, 0, my_alloc);

	NET_BUFFER_DATA_OFFSET(nb) = 50;
	r->adjust_st = NdisAdjustNetBufferCurrentMdl(nb);
	r->adjust_ok = NET_BUFFER_CURRENT_MDL_OFFSET(nb) == 50;
	NdisFreeNetBuffer(nb);
	NdisFreeNetBufferPool(p);
}

Test(ndis6_nbl, retreat_uses_unused_space_else_chains_an_mdl_that_advance_frees,
     .init = machine_1cpu, .fini = machine_end)
{
	static struct retreat_run r;

	on_vcpu(retreat_on_vcpu, &r);
	cr_assert_eq(r.st_fit, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.off_fit, 6);
	cr_assert_eq(r.len_fit, 94);
	cr_assert_eq(r.st_grow, NDIS_STATUS_SUCCESS);
	cr_assert(r.grew_in_front);
	cr_assert_eq(r.new_mdl_len, 16, "the 10 missing bytes + 6 of back-fill");
	cr_assert_eq(r.off_grow, 6);
	cr_assert_eq(r.len_grow, 110);
	cr_assert_eq(memcmp(r.header, "HDR!", 4), 0, "the new space is the data start");
	cr_assert(r.kept_without_free, "FreeMdl FALSE keeps the MDL for later retreats");
	cr_assert(r.back_to_original, "FreeMdl TRUE restores the original chain and offsets");
	cr_assert_eq(r.st_handler, NDIS_STATUS_SUCCESS);
	cr_assert(r.handler_used, "AllocateMdlHandler supplied the MDL");
	cr_assert(r.handler_back);
	cr_assert_eq(atomic_load(&driver_frees), 1, "FreeMdlHandler freed the driver's MDL");
	cr_assert_eq(r.st_too_big, NDIS_STATUS_RESOURCES, "the handler had no MDL");
	cr_assert_eq(r.adjust_st, NDIS_STATUS_SUCCESS);
	cr_assert(r.adjust_ok);
}

static void advance_too_far(void *arg)
{
	NDIS_HANDLE p = nb_pool(32);
	PNET_BUFFER nb = NdisAllocateNetBufferMdlAndData(p);

	(void)arg;
	NdisAdvanceNetBufferDataStart(nb, 33, FALSE, NULL);
}

Test(ndis6_nbl, advance_beyond_the_data_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_BAD_PARAMETER, 0, 33, 0x505);
	on_vcpu(advance_too_far, NULL);
	cr_assert_fail("no bug check");
}

/* ----------------------------------------------------------- copies */

struct copy_run {
	NDIS_STATUS st;
	ULONG copied, copied_short;
	UCHAR dst[12];
	bool send_ok, receive_ok;
};

static void copy_on_vcpu(void *arg)
{
	struct copy_run *r = arg;
	NDIS_HANDLE p = nb_pool(0), lp = nbl_pool(0, FALSE, 0);
	static UCHAR s1[5] = "abcde", s2[7] = "fghijkl", d1[3], d2[9];
	static MDL ms1, ms2, md1, md2;
	PNET_BUFFER src, dst;
	PNET_BUFFER_LIST a, b;

	mdl_over(&ms2, s2, 7, NULL);
	mdl_over(&ms1, s1, 5, &ms2);
	mdl_over(&md2, d2, 9, NULL);
	mdl_over(&md1, d1, 3, &md2);
	src = NdisAllocateNetBuffer(p, &ms1, 1, 11); /* "bcdefghijkl" */
	dst = NdisAllocateNetBuffer(p, &md1, 0, 0);
	/* 8 bytes from "cdefghij" (source offset 1) to destination offset 2 */
	r->st = NdisCopyFromNetBufferToNetBuffer(dst, 2, 8, src, 1, &r->copied);
	memcpy(r->dst, d1, 3);
	memcpy(r->dst + 3, d2, 9);
	/* the source's data ends after 10 more bytes from offset 1 */
	NdisCopyFromNetBufferToNetBuffer(dst, 0, 50, src, 1, &r->copied_short);
	NdisFreeNetBuffer(src);
	NdisFreeNetBuffer(dst);

	a = NdisAllocateNetBufferList(lp, 0, 0);
	b = NdisAllocateNetBufferList(lp, 0, 0);
	for (int i = 0; i < MaxNetBufferListInfo; i++)
		NET_BUFFER_LIST_INFO(a, i) = (PVOID)(uintptr_t)(i + 1);
	NdisCopySendNetBufferListInfo(b, a);
	r->send_ok = NET_BUFFER_LIST_INFO(b, TcpLargeSendNetBufferListInfo) ==
			 (PVOID)(uintptr_t)(TcpLargeSendNetBufferListInfo + 1) &&
		     NET_BUFFER_LIST_INFO(b, Ieee8021QNetBufferListInfo) ==
			 (PVOID)(uintptr_t)(Ieee8021QNetBufferListInfo + 1) &&
		     NET_BUFFER_LIST_INFO(b, NetBufferListHashValue) == NULL;
	memset(b->NetBufferListInfo, 0, sizeof(b->NetBufferListInfo));
	NdisCopyReceiveNetBufferListInfo(b, a);
	r->receive_ok = NET_BUFFER_LIST_INFO(b, NetBufferListHashValue) ==
			    (PVOID)(uintptr_t)(NetBufferListHashValue + 1) &&
			NET_BUFFER_LIST_INFO(b, NetBufferListCancelId) == NULL;
	NdisFreeNetBufferList(a);
	NdisFreeNetBufferList(b);
	NdisFreeNetBufferPool(p);
	NdisFreeNetBufferListPool(lp);
}

Test(ndis6_nbl, copies_cross_mdl_boundaries_stop_at_the_source_data_and_pick_info_slots,
     .init = machine_1cpu, .fini = machine_end)
{
	static struct copy_run r;

	on_vcpu(copy_on_vcpu, &r);
	cr_assert_eq(r.st, NDIS_STATUS_SUCCESS);
	cr_assert_eq(r.copied, 8);
	cr_assert_eq(memcmp(r.dst + 2, "cdefghij", 8), 0);
	cr_assert_eq(r.copied_short, 10, "the source's DataLength bounds the copy");
	cr_assert(r.send_ok, "send slots copied, the RSS hash not");
	cr_assert(r.receive_ok, "receive slots copied, the cancel id not");
}

/* --------------------------------------- clones, fragments, reassembly */

struct clone_run {
	bool clone_ok, same_data, orig_mdls_shared, parent_set, frag_ok, reasm_ok;
	ULONG frag_count, frag_len[4], frag_off[4];
	UCHAR frag_data[3][40], reasm_data[128];
	ULONG reasm_len;
	bool frag_retreat_writable;
};

static void clone_on_vcpu(void *arg)
{
	struct clone_run *r = arg;
	NDIS_HANDLE lp = nbl_pool(0, FALSE, 0), p = nb_pool(0);
	static UCHAR data[120];
	static MDL m1, m2;
	PNET_BUFFER_LIST orig, clone, frag, reasm;
	PNET_BUFFER nb;
	UCHAR buf[128];
	int i = 0;

	for (int k = 0; k < 120; k++)
		data[k] = (UCHAR)(k + 1);
	mdl_over(&m2, data + 60, 60, NULL);
	mdl_over(&m1, data, 60, &m2);
	orig = NdisAllocateNetBufferList(lp, 0, 0);
	NET_BUFFER_LIST_FIRST_NB(orig) = NdisAllocateNetBuffer(p, &m1, 10, 100); /* 11..110 */

	clone = NdisAllocateCloneNetBufferList(orig, NULL, NULL, 0);
	r->clone_ok = clone && NET_BUFFER_LIST_FIRST_NB(clone) &&
		      NET_BUFFER_DATA_LENGTH(NET_BUFFER_LIST_FIRST_NB(clone)) == 100;
	r->same_data = clone && nb_bytes(NET_BUFFER_LIST_FIRST_NB(clone), buf, 128) == 100 &&
		       memcmp(buf, data + 10, 100) == 0 &&
		       NET_BUFFER_FIRST_MDL(NET_BUFFER_LIST_FIRST_NB(clone)) != &m1;
	r->parent_set = clone && clone->ParentNetBufferList == orig;
	NdisFreeCloneNetBufferList(clone, 0);
	clone = NdisAllocateCloneNetBufferList(orig, lp, p, NDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS);
	r->orig_mdls_shared = clone && NET_BUFFER_FIRST_MDL(NET_BUFFER_LIST_FIRST_NB(clone)) == &m1;
	NdisFreeCloneNetBufferList(clone, 0);

	/* skip 4, pieces of <= 40, 14 bytes of header room in front of each */
	frag = NdisAllocateFragmentNetBufferList(orig, NULL, NULL, 4, 40, 14, 2, 0);
	r->frag_ok = frag != NULL && frag->ParentNetBufferList == orig;
	for (nb = frag ? NET_BUFFER_LIST_FIRST_NB(frag) : NULL; nb && i < 4; nb = nb->Next, i++) {
		r->frag_len[i] = NET_BUFFER_DATA_LENGTH(nb);
		r->frag_off[i] = NET_BUFFER_DATA_OFFSET(nb);
		if (i < 3)
			nb_bytes(nb, r->frag_data[i], 40);
		memset(NdisGetDataBuffer(nb, 14, NULL, 1, 0), 0xEE, 14);
	}
	r->frag_count = (ULONG)i;
	r->frag_retreat_writable = true;

	/* the fragments after their 14-byte headers, back to back */
	reasm = NdisAllocateReassembledNetBufferList(frag, NULL, 14, 0, 0, 0);
	r->reasm_ok = reasm && NET_BUFFER_LIST_FIRST_NB(reasm) &&
		      !NET_BUFFER_NEXT_NB(NET_BUFFER_LIST_FIRST_NB(reasm));
	if (r->reasm_ok)
		r->reasm_len = nb_bytes(NET_BUFFER_LIST_FIRST_NB(reasm), r->reasm_data, 128);
	NdisFreeReassembledNetBufferList(reasm, 0, 0);
	NdisFreeFragmentNetBufferList(frag, 14, 0);

	NdisFreeNetBuffer(NET_BUFFER_LIST_FIRST_NB(orig));
	NET_BUFFER_LIST_FIRST_NB(orig) = NULL;
	NdisFreeNetBufferList(orig);
	NdisFreeNetBufferPool(p);
	NdisFreeNetBufferListPool(lp); /* every NBL, internal ones too, was freed */
}

Test(ndis6_nbl, clone_fragment_and_reassembly_describe_the_same_bytes, .init = machine_1cpu,
     .fini = machine_end)
{
	static struct clone_run r;
	static UCHAR want[120];

	for (int k = 0; k < 120; k++)
		want[k] = (UCHAR)(k + 1);
	on_vcpu(clone_on_vcpu, &r);
	cr_assert(r.clone_ok && r.same_data, "new MDLs over the original bytes");
	cr_assert(r.parent_set);
	cr_assert(r.orig_mdls_shared, "NDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS");
	cr_assert(r.frag_ok);
	cr_assert_eq(r.frag_count, 3, "96 bytes in pieces of 40: 40, 40, 16");
	cr_assert_eq(r.frag_len[0], 54);
	cr_assert_eq(r.frag_len[1], 54);
	cr_assert_eq(r.frag_len[2], 30);
	cr_assert_eq(r.frag_off[0], 2, "the back-fill stays unused in front");
	cr_assert_eq(memcmp(r.frag_data[0] + 14, want + 14, 26), 0);
	cr_assert_eq(memcmp(r.frag_data[1] + 14, want + 54, 26), 0);
	cr_assert_eq(memcmp(r.frag_data[2] + 14, want + 94, 16), 0);
	cr_assert(r.reasm_ok, "one NET_BUFFER");
	cr_assert_eq(r.reasm_len, 96);
	cr_assert_eq(memcmp(r.reasm_data, want + 14, 96), 0);
}

static void free_clone_as_plain_nbl(void *arg)
{
	NDIS_HANDLE lp = nbl_pool(0, FALSE, 0);
	PNET_BUFFER_LIST orig = NdisAllocateNetBufferList(lp, 0, 0);
	PNET_BUFFER_LIST clone = NdisAllocateCloneNetBufferList(orig, NULL, NULL, 0);

	(void)arg;
	NdisFreeNetBufferList(clone);
}

Test(ndis6_nbl, clone_freed_with_ndis_free_net_buffer_list_bugchecks,
     .exit_code = KE_BUGCHECK_EXIT_STATUS, .init = machine_1cpu)
{
	expect_bugcheck(C4, 0xD, NDISRT_VIOLATION_BAD_OBJECT, 0, 2, NDISRT_DDI_FREE_NBL);
	on_vcpu(free_clone_as_plain_nbl, NULL);
	cr_assert_fail("no bug check");
}

static void free_plain_as_clone(void *arg)
{
	NDIS_HANDLE lp = nbl_pool(0, FALSE, 0);

	(void)arg;
	NdisFreeCloneNetBufferList(NdisAllocateNetBufferList(lp, 0, 0), 0);
}

Test(ndis6_nbl, plain_nbl_freed_as_a_clone_bugchecks, .exit_code = KE_BUGCHECK_EXIT_STATUS,
     .init = machine_1cpu)
{
	expect_bugcheck(C4, 0x9, NDISRT_VIOLATION_BAD_OBJECT, 0, 0, DDI_NBL);
	on_vcpu(free_plain_as_clone, NULL);
	cr_assert_fail("no bug check");
}

/* ------------------------------------------------------------ macros */

Test(ndis6_nbl, accessor_cancel_id_and_media_specific_info_macros)
{
	static NET_BUFFER_LIST nbl;
	static NET_BUFFER nb;
	static NDIS_NBL_MEDIA_SPECIFIC_INFORMATION a, b;
	PNDIS_NBL_MEDIA_SPECIFIC_INFORMATION got;

	nb.ChecksumBias = 7;
	nb.DataPhysicalAddress.QuadPart = 0x1000;
	cr_assert_eq(NET_BUFFER_CHECKSUM_BIAS(&nb), 7);
	cr_assert_eq(NET_BUFFER_DATA_PHYSICAL_ADDRESS(&nb).QuadPart, 0x1000);
	cr_assert_eq((void *)NET_BUFFER_PROTOCOL_RESERVED(&nb), (void *)nb.ProtocolReserved);
	cr_assert_eq((void *)NET_BUFFER_LIST_PROTOCOL_RESERVED(&nbl), (void *)nbl.ProtocolReserved);

	NDIS_SET_NET_BUFFER_LIST_CANCEL_ID(&nbl, (PVOID)0x55);
	cr_assert_eq(NDIS_GET_NET_BUFFER_LIST_CANCEL_ID(&nbl), (PVOID)0x55);

	a.Tag = 1;
	b.Tag = 2;
	NDIS_NBL_ADD_MEDIA_SPECIFIC_INFO(&nbl, &a);
	NDIS_NBL_ADD_MEDIA_SPECIFIC_INFO(&nbl, &b);
	cr_assert_eq(NET_BUFFER_LIST_INFO(&nbl, MediaSpecificInformation), &b, "added in front");
	NDIS_NBL_GET_MEDIA_SPECIFIC_INFO(&nbl, 1, got);
	cr_assert_eq(got, &a);
	NDIS_NBL_REMOVE_MEDIA_SPECIFIC_INFO(&nbl, &b);
	NDIS_NBL_GET_MEDIA_SPECIFIC_INFO(&nbl, 2, got);
	cr_assert_null(got);
	cr_assert_eq(NET_BUFFER_LIST_INFO(&nbl, MediaSpecificInformation), &a);
}
