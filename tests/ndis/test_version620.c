/* SPDX-License-Identifier: MIT */
/* tests/ndis/test_version620.c - <ndis.h> as an NDIS 6.20-only miniport sees it. */
#define NDIS_MINIPORT_DRIVER
#define NDIS620_MINIPORT
#include <ndis.h>

_Static_assert(NDIS_SUPPORT_NDIS620 && !NDIS_SUPPORT_NDIS630, "");
_Static_assert(!NDIS_SUPPORT_60_COMPATIBLE_API, "NdisMQueueDpc is obsolete for 6.20");

/* A function of this name must not collide with a declaration in <ndis.h>. */
static int NdisMQueueDpc(void)
{
	return 1;
}

int tversion620_has_no_queue_dpc(void); /* called from test_layout.c */

int tversion620_has_no_queue_dpc(void)
{
	KAFFINITY (*q)(NDIS_HANDLE, ULONG, PGROUP_AFFINITY, PVOID) = NdisMQueueDpcEx;

	return NdisMQueueDpc() && q != NULL;
}
