/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_layout_ddi.c - x64 sizes and offsets of the NDIS 5.1
 * structures <ndis.h> declares beyond test_layout_wdk.c: per-packet
 * information, NDIS 5 task offload, NDIS_TIMER, map-register address
 * units, wake-up patterns and the reader/writer lock.
 *
 * Microsoft documents the member lists of these structures, not their
 * sizes: each size below is derived from the documented members in their
 * documented order with the x64 alignment rules (ULONG 4, pointers and
 * LARGE_INTEGER 8, KTIMER and KDPC 64 bytes as in test_layout_wdk.c;
 * MAXIMUM_PROCESSORS 64 on x64).
 */
#define NDIS_WRAPPER 1
#include <ndis.h>

#include <criterion/criterion.h>
#include <stddef.h>

#define OFF(t, f, v) _Static_assert(offsetof(t, f) == (v), #t "." #f " offset")
#define SIZE(t, v) _Static_assert(sizeof(t) == (v), "sizeof " #t)

/* 12 pointers: TcpIpChecksumPacketInfo .. ShortPacketPaddingInfo. */
SIZE(NDIS_PACKET_EXTENSION, 96);
_Static_assert(ScatterGatherListPacketInfo == 5 && OriginalPacketInfo == 7 && PacketCancelId == 8 &&
		   MaxPerPacketInfo == 12,
	       "NDIS_PER_PACKET_INFO order");
SIZE(NDIS_ENCAPSULATION_FORMAT, 12);
OFF(NDIS_ENCAPSULATION_FORMAT, Flags, 4);
OFF(NDIS_ENCAPSULATION_FORMAT, EncapsulationHeaderSize, 8);
SIZE(NDIS_TASK_OFFLOAD_HEADER, 28);
OFF(NDIS_TASK_OFFLOAD_HEADER, OffsetFirstTask, 12);
OFF(NDIS_TASK_OFFLOAD_HEADER, EncapsulationFormat, 16);
SIZE(NDIS_TASK_OFFLOAD, 24);
OFF(NDIS_TASK_OFFLOAD, Task, 8);
OFF(NDIS_TASK_OFFLOAD, TaskBufferLength, 16);
OFF(NDIS_TASK_OFFLOAD, TaskBuffer, 20);
SIZE(NDIS_TASK_TCP_IP_CHECKSUM, 16);
OFF(NDIS_TASK_TCP_IP_CHECKSUM, V4Receive, 4);
OFF(NDIS_TASK_TCP_IP_CHECKSUM, V6Receive, 12);
SIZE(NDIS_TASK_TCP_LARGE_SEND, 16);
OFF(NDIS_TASK_TCP_LARGE_SEND, TcpOptions, 12);
OFF(NDIS_TASK_TCP_LARGE_SEND, IpOptions, 13);
SIZE(NDIS_TIMER, 128);
OFF(NDIS_TIMER, Dpc, 64);
SIZE(NDIS_PHYSICAL_ADDRESS_UNIT, 16);
OFF(NDIS_PHYSICAL_ADDRESS_UNIT, Length, 8);
SIZE(NDIS_PM_PACKET_PATTERN, 24);
OFF(NDIS_PM_PACKET_PATTERN, PatternFlags, 20);
SIZE(NDIS_RW_LOCK_REFCOUNT, 16);
SIZE(NDIS_RW_LOCK, 16 + 16 * 64);
OFF(NDIS_RW_LOCK, Context, 8);
OFF(NDIS_RW_LOCK, RefCount, 16);
OFF(NDIS_RW_LOCK, SharedRefCount, 24);
OFF(NDIS_RW_LOCK, WriterWaiting, 28);
SIZE(LOCK_STATE, 4);
OFF(LOCK_STATE, OldIrql, 2);
_Static_assert(NDIS_STATUS_BUFFER_OVERFLOW == (NDIS_STATUS)0x80000005L, "");
_Static_assert(NDIS_STATUS_TAPI_INDICATION == (NDIS_STATUS)0x40010080L, "");
_Static_assert(NDIS_STATUS_WW_INDICATION == (NDIS_STATUS)0x40010012L, "");

Test(ndis_layout_wdk, S1_ndis51_structures_have_their_x64_sizes)
{
	/* The checks above are compile-time; this records that they were compiled. */
	cr_assert_eq(sizeof(NDIS_RW_LOCK), 1040);
}
