/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_oid.c - NDIS 6 OID requests (MiniportOidRequest, waited for
 * when pended; NdisMOidRequestComplete), the RSS parameters and packet
 * filter the host sets through them, and status indications
 * (NdisMIndicateStatusEx, which also tracks the link state).
 */
#include "ndis/host_internal.h"
#include "ndis/routine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------- status indication */

/**
 * NdisMIndicateStatusEx() - Pass a status indication up (to the NIC's
 * status sink). NDIS_STATUS_LINK_STATE also updates the NIC's link state.
 * Context: IRQL <= DISPATCH_LEVEL. Bug check 0xC4: BAD_PARAMETER (NULL,
 * bad header, a size without a buffer), SOURCE_HANDLE.
 */
VOID NdisMIndicateStatusEx(NDIS_HANDLE MiniportAdapterHandle,
			   PNDIS_STATUS_INDICATION StatusIndication)
{
	PNDIS_STATUS_INDICATION s = StatusIndication;
	struct ndisrt_nic *n;
	ndisrt_status_fn *fn;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_DDI_INDICATE_STATUS, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_INDICATE_STATUS);
	if (!s || s->Header.Type != NDIS_OBJECT_TYPE_STATUS_INDICATION ||
	    s->Header.Revision < NDIS_STATUS_INDICATION_REVISION_1 ||
	    s->Header.Size < NDIS_SIZEOF_STATUS_INDICATION_REVISION_1 ||
	    (s->StatusBufferSize && !s->StatusBuffer))
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)s, s ? s->Header.Type : 0,
		    NDISRT_DDI_INDICATE_STATUS,
		    "NdisMIndicateStatusEx: NULL, a bad NDIS_STATUS_INDICATION header, or "
		    "a StatusBufferSize without a StatusBuffer");
	if (s->SourceHandle != MiniportAdapterHandle)
		ndisrt_violation(
		    NDISRT_VIOLATION_SOURCE_HANDLE, (uintptr_t)s->SourceHandle,
		    (uintptr_t)MiniportAdapterHandle, NDISRT_DDI_INDICATE_STATUS,
		    "NdisMIndicateStatusEx: SourceHandle must be the MiniportAdapterHandle");
	if ((uint32_t)s->StatusCode == (uint32_t)NDIS_STATUS_LINK_STATE &&
	    s->StatusBufferSize >= NDIS_SIZEOF_LINK_STATE_REVISION_1) {
		const NDIS_LINK_STATE *ls = s->StatusBuffer;

		atomic_store(&n->link_speed, ls->RcvLinkSpeed);
		atomic_store(&n->link_connect, ls->MediaConnectState);
	}
	atomic_fetch_add(&n->status_indications, 1);
	fn = atomic_load(&n->status_fn);
	if (fn)
		fn(atomic_load(&n->status_ctx), n, (uint32_t)s->StatusCode, s->StatusBuffer,
		   s->StatusBufferSize);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ----------------------------------------------------------------- OIDs */

struct oid_call {
	struct ndisrt_nic *n;
	PNDIS_OID_REQUEST req;
	NDIS_STATUS status;
};

static void run_oid(void *arg)
{
	struct oid_call *c = arg;
	struct ndis_routine r;

	ndis_routine_enter(&r, "MiniportOidRequest",
			   (const void *)c->n->d->chars.OidRequestHandler);
	c->status = c->n->d->chars.OidRequestHandler(c->n->context, c->req);
	ndis_routine_exit(&r);
}

uint32_t host_ndis6_oid(struct ndisrt_nic *n, bool set, uint32_t oid, void *buf, uint32_t len,
			uint32_t *bytes, uint32_t *needed)
{
	static atomic_ulong request_ids;
	NDIS_OID_REQUEST req;
	struct oid_call c = {.n = n, .req = &req};
	enum host_nic_state st = host_nic_state(n);

	if (st == HOST_NIC_HALTED || st == HOST_NIC_HALTING || st == HOST_NIC_INITIALIZING)
		return (uint32_t)NDIS_STATUS_FAILURE;
	memset(&req, 0, sizeof(req));
	req.Header.Type = NDIS_OBJECT_TYPE_OID_REQUEST;
	req.Header.Revision = NDIS_OID_REQUEST_REVISION_1;
	req.Header.Size = NDIS_SIZEOF_OID_REQUEST_REVISION_1;
	req.RequestType = set ? NdisRequestSetInformation : NdisRequestQueryInformation;
	req.PortNumber = NDIS_DEFAULT_PORT_NUMBER;
	req.RequestId = (PVOID)(uintptr_t)(atomic_fetch_add(&request_ids, 1) + 1);
	req.RequestHandle = n;
	if (set) {
		req.DATA.SET_INFORMATION.Oid = oid;
		req.DATA.SET_INFORMATION.InformationBuffer = buf;
		req.DATA.SET_INFORMATION.InformationBufferLength = len;
	} else {
		req.DATA.QUERY_INFORMATION.Oid = oid;
		req.DATA.QUERY_INFORMATION.InformationBuffer = buf;
		req.DATA.QUERY_INFORMATION.InformationBufferLength = len;
	}
	pthread_mutex_lock(&n->oid_lock);
	atomic_store(&n->oid_completes, 0);
	atomic_store(&n->oid_pending, &req);
	host_phase_next(NDISRT_PHASE_OID, oid);
	ke_vcpu_call(ke_machine_vcpu(n->h->m, 0), run_oid, &c);
	if (c.status == NDIS_STATUS_PENDING) {
		if (!host_wait_flag(n, &n->oid_completes))
			ndisrt_violation(
			    NDISRT_VIOLATION_COMPLETION_TIMEOUT, (uintptr_t)n->handle, oid,
			    NDISRT_DDI_OID_COMPLETE,
			    "MiniportOidRequest returned NDIS_STATUS_PENDING and "
			    "NdisMOidRequestComplete was not called within 30 s (parameter "
			    "3: the OID)");
		c.status = atomic_load(&n->oid_status);
	} else if (atomic_load(&n->oid_completes)) {
		ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE, (uintptr_t)n->handle, 3,
				 NDISRT_DDI_OID_COMPLETE,
				 "MiniportOidRequest returned a final status after calling "
				 "NdisMOidRequestComplete");
	}
	atomic_store(&n->oid_pending, NULL);
	pthread_mutex_unlock(&n->oid_lock);
	if (bytes)
		*bytes = set ? req.DATA.SET_INFORMATION.BytesRead
			     : req.DATA.QUERY_INFORMATION.BytesWritten;
	if (needed)
		*needed = set ? req.DATA.SET_INFORMATION.BytesNeeded
			      : req.DATA.QUERY_INFORMATION.BytesNeeded;
	return (uint32_t)c.status;
}

/**
 * NdisMOidRequestComplete() - Complete the OID request MiniportOidRequest pended.
 * Context: IRQL <= DISPATCH_LEVEL; @OidRequest is the pending request
 * (0xC4 UNEXPECTED_COMPLETE otherwise).
 */
VOID NdisMOidRequestComplete(NDIS_HANDLE MiniportAdapterHandle, PNDIS_OID_REQUEST OidRequest,
			     NDIS_STATUS Status)
{
	struct ndisrt_nic *n;
	PNDIS_OID_REQUEST expected = OidRequest;
	ke_irql_t old;

	ndis_ddi_enter(NDISRT_DDI_OID_COMPLETE, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	old = ndis_enter_dispatch();
	n = host_nic_lookup(MiniportAdapterHandle, NDISRT_DDI_OID_COMPLETE);
	if (!OidRequest || !atomic_compare_exchange_strong(&n->oid_pending, &expected, NULL))
		ndisrt_violation(NDISRT_VIOLATION_UNEXPECTED_COMPLETE,
				 (uintptr_t)MiniportAdapterHandle, (uintptr_t)OidRequest,
				 NDISRT_DDI_OID_COMPLETE,
				 "NdisMOidRequestComplete for a request that is not pending");
	atomic_store(&n->oid_status, Status);
	atomic_fetch_add(&n->oid_completes, 1);
	ndis_leave_dispatch(old);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

uint32_t ndisrt_nic_set_rss(struct ndisrt_nic *n, const uint8_t key[40], uint32_t hash_types,
			    const unsigned *table, unsigned entries)
{
	size_t off_table = (sizeof(NDIS_RECEIVE_SCALE_PARAMETERS) + 7) & ~(size_t)7;
	size_t off_key = off_table + (size_t)entries * sizeof(PROCESSOR_NUMBER);
	size_t off_masks = (off_key + 40 + 7) & ~(size_t)7;
	size_t total = off_masks + sizeof(GROUP_AFFINITY);
	PNDIS_RECEIVE_SCALE_PARAMETERS p;
	PPROCESSOR_NUMBER pn;
	GROUP_AFFINITY *mask;
	uint8_t *buf;
	uint32_t status;

	if (entries > 0xFFFF / sizeof(PROCESSOR_NUMBER))
		return (uint32_t)NDIS_STATUS_INVALID_PARAMETER;
	buf = calloc(1, total);
	if (!buf)
		return (uint32_t)NDIS_STATUS_RESOURCES;
	p = (PNDIS_RECEIVE_SCALE_PARAMETERS)buf;
	pn = (PPROCESSOR_NUMBER)(buf + off_table);
	mask = (GROUP_AFFINITY *)(buf + off_masks);
	p->Header.Type = NDIS_OBJECT_TYPE_RSS_PARAMETERS;
	p->Header.Revision = NDIS_RECEIVE_SCALE_PARAMETERS_REVISION_2;
	p->Header.Size = NDIS_SIZEOF_RECEIVE_SCALE_PARAMETERS_REVISION_2;
	p->Flags = (entries == 0 || hash_types == 0) ? NDIS_RSS_PARAM_FLAG_DISABLE_RSS : 0;
	p->BaseCpuNumber = 0;
	p->HashInformation =
	    hash_types ? NDIS_RSS_HASH_INFO_FROM_TYPE_AND_FUNC(hash_types, NdisHashFunctionToeplitz)
		       : 0;
	p->IndirectionTableSize = (USHORT)(entries * sizeof(PROCESSOR_NUMBER));
	p->IndirectionTableOffset = (ULONG)off_table;
	p->HashSecretKeySize = 40;
	p->HashSecretKeyOffset = (ULONG)off_key;
	p->ProcessorMasksOffset = (ULONG)off_masks;
	p->NumberOfProcessorMasks = 1;
	p->ProcessorMasksEntrySize = sizeof(GROUP_AFFINITY);
	for (unsigned i = 0; i < entries; i++) {
		pn[i].Group = 0;
		pn[i].Number = (UCHAR)table[i];
		mask->Mask |= (KAFFINITY)1 << (table[i] % 64);
	}
	if (key)
		memcpy(buf + off_key, key, 40);
	status = ndisrt_nic_oid(n, true, OID_GEN_RECEIVE_SCALE_PARAMETERS, buf, (uint32_t)total,
				NULL, NULL);
	free(buf);
	return status;
}

uint32_t ndisrt_nic_set_packet_filter(struct ndisrt_nic *n, uint32_t filter)
{
	ULONG f = filter;

	return ndisrt_nic_oid(n, true, OID_GEN_CURRENT_PACKET_FILTER, &f, sizeof(f), NULL, NULL);
}
