/* SPDX-License-Identifier: MIT */
/*
 * ndis/irql.c - the IRQL and processor queries a miniport's interrupt code
 * needs: KeGetCurrentIrql (NDIS_CURRENT_IRQL), NdisCurrentProcessorIndex and
 * NdisCurrentGroupAndProcessor.
 *
 * The "current processor" queries require IRQL >= DISPATCH_LEVEL, where
 * the answer cannot change under the caller (spec §24 C-20 resolution).
 */
#define NDISRT_NDIS_INTERNAL
#include "ndis/internal.h"

/**
 * KeGetCurrentIrql() - The current vCPU's IRQL.
 * Context: any IRQL (a host thread gets its own IRQL).
 */
KIRQL KeGetCurrentIrql(VOID)
{
	KIRQL irql;

	ke_preempt_point(KE_PP_DDI_ENTER);
	irql = ke_irql_current();
	ke_preempt_point(KE_PP_DDI_EXIT);
	return irql;
}

/**
 * NdisCurrentProcessorIndex() - System-wide index of the current vCPU.
 * Context: IRQL >= DISPATCH_LEVEL on a vCPU (bug check 0xC4 IRQL otherwise).
 */
ULONG NdisCurrentProcessorIndex(VOID)
{
	ULONG n;

	ndis_ddi_enter(NDISRT_DDI_CURRENT_PROCESSOR_INDEX, KE_DISPATCH_LEVEL, KE_HIGH_LEVEL);
	n = ke_current_number();
	ke_preempt_point(KE_PP_DDI_EXIT);
	return n;
}

/**
 * NdisCurrentGroupAndProcessor() - Group (always 0) and number of the current vCPU.
 * Context: IRQL >= DISPATCH_LEVEL on a vCPU (bug check 0xC4 IRQL otherwise).
 */
PROCESSOR_NUMBER NdisCurrentGroupAndProcessor(VOID)
{
	PROCESSOR_NUMBER pn = {0, 0, 0};

	ndis_ddi_enter(NDISRT_DDI_CURRENT_GROUP_AND_PROCESSOR, KE_DISPATCH_LEVEL, KE_HIGH_LEVEL);
	pn.Number = (UCHAR)ke_current_number();
	ke_preempt_point(KE_PP_DDI_EXIT);
	return pn;
}
