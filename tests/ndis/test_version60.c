/* SPDX-License-Identifier: MIT */
/* tests/ndis/test_version60.c - <ndis.h> as an NDIS 6.0 miniport sees it. */
#define NDIS_MINIPORT_DRIVER
#define NDIS60_MINIPORT
#include <ndis.h>

_Static_assert(NDIS_MINIPORT_MAJOR_VERSION == 6 && NDIS_MINIPORT_MINOR_VERSION == 0, "");
_Static_assert(NDIS_SUPPORT_NDIS6 && !NDIS_SUPPORT_NDIS61 && !NDIS_SUPPORT_NDIS620, "");
_Static_assert(NDIS_SUPPORT_60_COMPATIBLE_API, "");

/* §24 C-2/C-3: before 6.20 the throttle slot is a reserved PULONG. */
static VOID dpc60(NDIS_HANDLE ctx, PVOID dpc_ctx, PULONG reserved1, PULONG reserved2)
{
	(void)ctx, (void)dpc_ctx, (void)reserved1, (void)reserved2;
}

int tversion60_dpc_reserved_is_pulong(void); /* called from test_layout.c */

int tversion60_dpc_reserved_is_pulong(void)
{
	MINIPORT_INTERRUPT_DPC_HANDLER h = dpc60;
	ULONG (*q)(NDIS_HANDLE, ULONG, ULONG, PVOID) = NdisMQueueDpc;

	return h != NULL && q != NULL;
}
