/* SPDX-License-Identifier: MIT */
/*
 * ndis/oid_answer.c - decoding a driver's answer to a host OID query
 * (ndis/oid_answer.h). Fuzzed by tests/fuzz/fuzz_oid.c.
 */
#include "ndis/oid_answer.h"

#include <string.h>

#define OID_STATUS_SUCCESS 0u /* NDIS_STATUS_SUCCESS */

/* The checks every value shares: success, and @size bytes written inside the buffer. */
static int covered(const struct ndisrt_oid_answer *a, uint32_t size)
{
	if (a->status != OID_STATUS_SUCCESS)
		return NDISRT_OID_FAILED;
	if (a->written > a->buf_len || !a->buf)
		return NDISRT_OID_OVERRUN;
	if (a->written < size)
		return NDISRT_OID_SHORT;
	return NDISRT_OID_OK;
}

int ndisrt_oid_answer_ulong(const struct ndisrt_oid_answer *a, uint32_t *out)
{
	int v = covered(a, sizeof(*out));

	if (v == NDISRT_OID_OK)
		memcpy(out, a->buf, sizeof(*out));
	return v;
}

int ndisrt_oid_answer_mac(const struct ndisrt_oid_answer *a, uint8_t out[6])
{
	int v = covered(a, 6);

	if (v == NDISRT_OID_OK)
		memcpy(out, a->buf, 6);
	return v;
}

int ndisrt_oid_answer_oid_list(const struct ndisrt_oid_answer *a, uint32_t *count)
{
	int v = covered(a, 0);

	if (v != NDISRT_OID_OK)
		return v;
	if (a->written % sizeof(uint32_t))
		return NDISRT_OID_RAGGED;
	*count = a->written / (uint32_t)sizeof(uint32_t);
	return NDISRT_OID_OK;
}

const char *ndisrt_oid_verdict_name(int verdict)
{
	static const char *const names[] = {"ok", "failed", "overrun", "short", "ragged"};

	return verdict >= 0 && verdict < (int)(sizeof(names) / sizeof(names[0])) ? names[verdict]
										 : "?";
}
