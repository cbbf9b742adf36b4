/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_layout_ndis6f.c - x64 sizes and offsets of the structures
 * the NDIS 6 support DDIs of ndis/nbl6.c and ndis/ndis6_more.c take
 * (NET_BUFFER pool parameters, media-specific information, the RW lock
 * state), derived from their documented members in documented order with
 * the x64 alignment rules (MEMORY_ALLOCATION_ALIGNMENT 16).
 */
#define NDIS_WRAPPER 1
#include <ndis.h>

#include <criterion/criterion.h>
#include <stddef.h>

#define OFF(t, f, v) _Static_assert(offsetof(t, f) == (v), #t "." #f " offset")
#define SIZE(t, v) _Static_assert(sizeof(t) == (v), "sizeof " #t)

SIZE(NET_BUFFER_POOL_PARAMETERS, 12);
OFF(NET_BUFFER_POOL_PARAMETERS, PoolTag, 4);
OFF(NET_BUFFER_POOL_PARAMETERS, DataSize, 8);

/* NextEntry, Tag, then Data aligned to MEMORY_ALLOCATION_ALIGNMENT. */
SIZE(NDIS_NBL_MEDIA_SPECIFIC_INFORMATION, 32);
OFF(NDIS_NBL_MEDIA_SPECIFIC_INFORMATION, Tag, 8);
OFF(NDIS_NBL_MEDIA_SPECIFIC_INFORMATION, Data, 16);

Test(ndis6_layout, nb_pool_parameters_revision_1_size_is_through_data_size)
{
	cr_assert_eq(NDIS_SIZEOF_NET_BUFFER_POOL_PARAMETERS_REVISION_1, 12);
	cr_assert_eq(NET_BUFFER_POOL_PARAMETERS_REVISION_1, 1);
}

/* KIRQL OldIrql, UCHAR LockState, UCHAR Flags. */
SIZE(LOCK_STATE_EX, 3);
OFF(LOCK_STATE_EX, LockState, 1);
OFF(LOCK_STATE_EX, Flags, 2);
