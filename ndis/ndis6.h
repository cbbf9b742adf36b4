/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis6.h - private to the NDIS 6.0-6.30 support DDIs of ndis/nbl6.c
 * and ndis/ndis6_more.c: the numbers that name them in bug-check parameter 4.
 */
#ifndef NDISRT_NDIS_NDIS6_H
#define NDISRT_NDIS_NDIS6_H

/* Which NDIS 6 support DDI raised a violation (bug check 0xC4 parameter 4). */
enum ndis6_ddi {
	NDIS6_DDI_NB_POOL = 0x501, /* NdisAllocate/FreeNetBufferPool */
	NDIS6_DDI_NB,		   /* NdisAllocateNetBuffer[MdlAndData], NdisFreeNetBuffer */
	NDIS6_DDI_NBL,		   /* NdisAllocateNetBufferList, clone/fragment/reassembled */
	NDIS6_DDI_NBL_CONTEXT,	   /* NdisAllocate/FreeNetBufferListContext */
	NDIS6_DDI_DATA_START,	   /* NdisRetreat/Advance...DataStart, AdjustCurrentMdl */
	NDIS6_DDI_COPY,		   /* NdisCopyFromNetBufferToNetBuffer, NdisCopy*Info */
	NDIS6_DDI_RW_LOCK,	   /* NdisAllocateRWLock & co. (0x507) */
	NDIS6_DDI_MEMORY,	   /* NdisFreeMemoryWithTag[Priority], shared memory */
	NDIS6_DDI_PROCESSOR,	   /* NdisGetProcessorInformation[Ex], RSS processors */
	NDIS6_DDI_STRING,	   /* NdisInitializeString & co. */
	NDIS6_DDI_MISC,		   /* the rest */
};

#endif /* NDISRT_NDIS_NDIS6_H */
