/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: what a driver answers to the OID queries the host
 * makes (ndis/oid_answer.c). The input is one answer: the OID the host
 * asked (byte 0 picks one the host queries), the status (byte 1 picks a
 * documented status or takes bytes 12..15 as is), InformationBufferLength
 * (bytes 2..3), BytesWritten and BytesNeeded (bytes 4..7 and 8..11) and
 * the buffer's contents (the rest, copied into a buffer of exactly
 * InformationBufferLength bytes so that AddressSanitizer sees any read
 * past it). Whatever the driver said, a decoder returns a verdict, takes a
 * value only when the status is success and BytesWritten covers it inside
 * the buffer, and otherwise leaves its output alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ndis/oid_answer.h"

static const uint32_t oids[] = {
    0x00010102u, /* OID_GEN_HARDWARE_STATUS */
    0x00010101u, /* OID_GEN_SUPPORTED_LIST */
    0x00010106u, /* OID_GEN_MAXIMUM_FRAME_SIZE */
    0x00010105u, /* OID_GEN_MAXIMUM_LOOKAHEAD */
    0x00010107u, /* OID_GEN_LINK_SPEED */
    0x00010114u, /* OID_GEN_MEDIA_CONNECT_STATUS */
    0x01010101u, /* OID_802_3_PERMANENT_ADDRESS */
    0x01010102u, /* OID_802_3_CURRENT_ADDRESS */
    0x01010104u, /* OID_802_3_MAXIMUM_LIST_SIZE */
};

static const uint32_t statuses[] = {
    0x00000000u, /* NDIS_STATUS_SUCCESS */
    0x00000103u, /* NDIS_STATUS_PENDING (never final; a decoder must refuse it) */
    0xC0000001u, /* NDIS_STATUS_FAILURE */
    0xC0010014u, /* NDIS_STATUS_INVALID_LENGTH */
    0xC0010016u, /* NDIS_STATUS_BUFFER_TOO_SHORT */
    0xC00000BBu, /* NDIS_STATUS_NOT_SUPPORTED */
    0xC0010017u, /* NDIS_STATUS_INVALID_OID */
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void check(int v, const struct ndisrt_oid_answer *a, uint32_t size, int changed)
{
	if (v < NDISRT_OID_OK || v > NDISRT_OID_RAGGED || !ndisrt_oid_verdict_name(v))
		abort();
	if (v == NDISRT_OID_OK) {
		if (a->status != 0 || a->written > a->buf_len || a->written < size)
			abort();
	} else if (changed) {
		abort(); /* a refused answer left something behind */
	}
}

/* libFuzzer calls it; declared here for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ndisrt_oid_answer a;
	uint8_t mac[6], sentinel_mac[6];
	uint32_t ul = 0xA5A5A5A5u, count = 0xA5A5A5A5u;
	uint8_t *buf;
	size_t have;
	int v;

	if (size < 16)
		return 0;
	memset(&a, 0, sizeof(a));
	a.oid = oids[data[0] % (sizeof(oids) / sizeof(oids[0]))];
	a.status =
	    data[1] < sizeof(statuses) / sizeof(statuses[0]) ? statuses[data[1]] : le32(data + 12);
	a.buf_len = (uint32_t)data[2] | (uint32_t)data[3] << 8;
	a.written = le32(data + 4);
	a.needed = le32(data + 8);
	buf = malloc(a.buf_len ? a.buf_len : 1);
	if (!buf)
		return 0;
	have = size - 16 < a.buf_len ? size - 16 : a.buf_len;
	memset(buf, 0xEE, a.buf_len);
	memcpy(buf, data + 16, have);
	a.buf = a.buf_len ? buf : NULL;

	v = ndisrt_oid_answer_ulong(&a, &ul);
	check(v, &a, 4, ul != 0xA5A5A5A5u);
	if (v == NDISRT_OID_OK && memcmp(&ul, buf, 4))
		abort();

	memset(mac, 0x5A, sizeof(mac));
	memcpy(sentinel_mac, mac, sizeof(mac));
	v = ndisrt_oid_answer_mac(&a, mac);
	check(v, &a, 6, memcmp(mac, sentinel_mac, 6) != 0);
	if (v == NDISRT_OID_OK && memcmp(mac, buf, 6))
		abort();

	v = ndisrt_oid_answer_oid_list(&a, &count);
	check(v, &a, 0, count != 0xA5A5A5A5u);
	if (v == NDISRT_OID_OK &&
	    ((uint64_t)count * 4 != a.written || (uint64_t)count * 4 > a.buf_len))
		abort();
	free(buf);
	return 0;
}
