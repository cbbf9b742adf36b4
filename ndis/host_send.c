/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_send.c - NDIS 6 sends from the protocol side: one NBL per frame
 * (nbl.c builds them) handed to MiniportSendNetBufferLists on a vCPU; their
 * completion is NdisMSendNetBufferListsComplete (nbl.c).
 */
#include "ndis/host_internal.h"
#include "ndis/routine.h"
#include "verifier/race.h"

#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------- send */

struct send_call {
	struct ndisrt_nic *n;
	const void *const *frames;
	const size_t *lens;
	unsigned count;
	unsigned handed;
};

static void run_send(void *arg)
{
	struct send_call *c = arg;
	struct ndisrt_nic *n = c->n;
	PNET_BUFFER_LIST head = NULL, *link = &head;
	unsigned k = 0;
	struct ndis_routine r;

	for (unsigned i = 0; i < c->count; i++) {
		PNET_BUFFER_LIST nbl = host_send_nbl_alloc(n, c->frames[i], c->lens[i]);

		if (!nbl)
			break;
		*link = nbl;
		link = &nbl->Next;
		vfy_race_acquire(nbl); /* its last owner's work happens before (race detector) */
		k++;
	}
	c->handed = k;
	if (!k)
		return;
	atomic_fetch_add(&n->outstanding_tx, k);
	atomic_fetch_add(&n->sent, k);
	ndis_routine_enter(&r, "MiniportSendNetBufferLists",
			   (const void *)n->d->chars.SendNetBufferListsHandler);
	n->d->chars.SendNetBufferListsHandler(n->context, head, NDIS_DEFAULT_PORT_NUMBER, 0);
	ndis_routine_exit(&r);
}

unsigned host_ndis6_send(struct ndisrt_nic *n, unsigned vcpu, const void *const *frames,
			 const size_t *lens, unsigned count)
{
	struct send_call c = {.n = n, .frames = frames, .lens = lens, .count = count};
	struct ke_vcpu *v = ke_machine_vcpu(n->h->m, vcpu);

	/* NDIS sends nothing to a miniport that is not Running. */
	if (!count || !v || host_nic_state(n) != HOST_NIC_RUNNING)
		return 0;
	host_phase_next(NDISRT_PHASE_SEND, 0);
	ke_vcpu_call(v, run_send, &c);
	return c.handed;
}
