/* SPDX-License-Identifier: MIT */
/*
 * ndis/oid_answer.h - decoding what a driver answered to an OID query the
 * host made: the status, and the InformationBuffer as far as BytesWritten
 * says, checked against InformationBufferLength before a byte is used.
 *
 * A query's InformationBuffer belongs to the host; the driver fills it and
 * says how much in BytesWritten (or, when it is too short, how much it
 * needs in BytesNeeded). Nothing the driver says is trusted: a value is
 * taken only when the status is success and BytesWritten covers it and
 * lies inside the buffer. Pure functions, no allocation, any context.
 */
#ifndef NDISRT_NDIS_OID_ANSWER_H
#define NDISRT_NDIS_OID_ANSWER_H

#include <stdint.h>

/* One answer, as the host saw it after the request completed. */
struct ndisrt_oid_answer {
	uint32_t oid;
	uint32_t status;  /* NDIS_STATUS the request completed with */
	const void *buf;  /* the InformationBuffer the host passed */
	uint32_t buf_len; /* its InformationBufferLength */
	uint32_t written; /* BytesWritten */
	uint32_t needed;  /* BytesNeeded */
};

enum ndisrt_oid_verdict {
	NDISRT_OID_OK = 0,
	NDISRT_OID_FAILED,  /* the status is not NDIS_STATUS_SUCCESS */
	NDISRT_OID_OVERRUN, /* BytesWritten > InformationBufferLength */
	NDISRT_OID_SHORT,   /* BytesWritten less than the value's size */
	NDISRT_OID_RAGGED,  /* a list whose BytesWritten is not whole entries */
};

/**
 * ndisrt_oid_answer_ulong() - A ULONG OID (OID_GEN_LINK_SPEED, ...):
 * exactly the first four bytes (a driver may write a larger value into a
 * larger buffer; only the ULONG is read).
 * Return: an enum ndisrt_oid_verdict; *@out written only with NDISRT_OID_OK.
 */
int ndisrt_oid_answer_ulong(const struct ndisrt_oid_answer *a, uint32_t *out);

/** ndisrt_oid_answer_mac() - A 6-byte address (OID_802_3_*_ADDRESS). As above. */
int ndisrt_oid_answer_mac(const struct ndisrt_oid_answer *a, uint8_t out[6]);

/**
 * ndisrt_oid_answer_oid_list() - OID_GEN_SUPPORTED_LIST: *@count whole
 * NDIS_OID entries, every one inside the buffer. As above.
 */
int ndisrt_oid_answer_oid_list(const struct ndisrt_oid_answer *a, uint32_t *count);

/** ndisrt_oid_verdict_name() - "ok", "failed", "overrun", "short", "ragged". */
const char *ndisrt_oid_verdict_name(int verdict);

#endif /* NDISRT_NDIS_OID_ANSWER_H */
