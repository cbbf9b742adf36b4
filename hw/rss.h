/* SPDX-License-Identifier: MIT */
/*
 * hw/rss.h - receive-side scaling: the Toeplitz hash and the frame parser
 * that feeds it, as Microsoft's RSS specification defines them.
 *
 * Shared by the VN-1 model and the `ndisrt rss` tool, so what the tool
 * prints is what the device computes.
 */
#ifndef NDISRT_HW_RSS_H
#define NDISRT_HW_RSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HW_RSS_KEY_LEN 40
#define HW_RSS_RETA_LEN 128

/* Hash types enabled in MRQC (datasheet bit positions). */
enum {
	HW_RSS_MRQC_ENABLE = 1u << 0,
	HW_RSS_MRQC_IPV4 = 1u << 8,
	HW_RSS_MRQC_TCP_IPV4 = 1u << 9,
	HW_RSS_MRQC_IPV6 = 1u << 10,
	HW_RSS_MRQC_TCP_IPV6 = 1u << 11,
	HW_RSS_MRQC_UDP_IPV4 = 1u << 12,
	HW_RSS_MRQC_UDP_IPV6 = 1u << 13,
	HW_RSS_MRQC_ALL_TYPES = 0x3F00,
};

/* Hash type reported in a receive descriptor (byte 11). */
enum hw_rss_type {
	HW_RSS_NONE = 0,
	HW_RSS_IPV4 = 1,
	HW_RSS_TCP_IPV4 = 2,
	HW_RSS_IPV6 = 3,
	HW_RSS_TCP_IPV6 = 4,
	HW_RSS_UDP_IPV4 = 5,
	HW_RSS_UDP_IPV6 = 6,
};

/* What a frame offers to the hash: addresses and ports in network byte order. */
struct hw_rss_tuple {
	int family;		  /* 4 or 6; 0 when the frame is neither */
	uint8_t l4;		  /* 6 TCP, 17 UDP, 0 none usable (fragment, other protocol) */
	uint8_t src[16], dst[16]; /* IPv4 uses the first 4 bytes */
	uint8_t sport[2], dport[2];
};

/** hw_rss_default_key - the key of Microsoft's verification page. */
extern const uint8_t hw_rss_default_key[HW_RSS_KEY_LEN];

/**
 * hw_toeplitz() - The Toeplitz hash of @len bytes of @in under @key.
 * @key: HW_RSS_KEY_LEN bytes; @len at most HW_RSS_KEY_LEN - 4 (36).
 * Context: any; pure.
 */
uint32_t hw_toeplitz(const uint8_t *key, const uint8_t *in, size_t len);

/*
 * A key prepared for byte-wise hashing: t[i][v] is the hash contribution of
 * input byte value v at input position i, so hashing n bytes costs n table
 * loads instead of 8n conditional XORs. 36 KiB; rebuilt only when the key
 * changes.
 */
struct hw_toeplitz_table {
	bool valid;
	uint8_t key[HW_RSS_KEY_LEN];
	uint32_t t[HW_RSS_KEY_LEN - 4][256];
};

/**
 * hw_toeplitz_prepare() - Build @tbl for @key (HW_RSS_KEY_LEN bytes).
 * Context: any; touches only @tbl (about 9,000 XORs).
 */
void hw_toeplitz_prepare(struct hw_toeplitz_table *tbl, const uint8_t *key);

/**
 * hw_toeplitz_table() - hw_toeplitz() through a table, rebuilding @tbl first
 * when it was prepared for another key (or never). Same result, bit for bit.
 * Context: any; the caller serializes uses of one @tbl.
 */
uint32_t hw_toeplitz_table(struct hw_toeplitz_table *tbl, const uint8_t *key, const uint8_t *in,
			   size_t len);

/**
 * hw_rss_parse() - Find the RSS tuple of an Ethernet frame.
 * Accepts one 802.1Q tag; IPv4 with a valid header (L4 only when not a
 * fragment); IPv6 whose Next Header is TCP or UDP directly (extension headers:
 * addresses only). Truncated headers yield family 0 or l4 0.
 * Context: any; pure.
 */
void hw_rss_parse(const uint8_t *frame, size_t len, struct hw_rss_tuple *t);

/**
 * hw_rss_hash_tuple() - Hash @t with the types enabled in @mrqc.
 * @type: out, enum hw_rss_type (HW_RSS_NONE when nothing matched; hash 0).
 * Context: any; pure.
 */
uint32_t hw_rss_hash_tuple(const uint8_t *key, uint32_t mrqc, const struct hw_rss_tuple *t,
			   enum hw_rss_type *type);

/** hw_rss_hash_frame() - hw_rss_parse() then hw_rss_hash_tuple(). */
uint32_t hw_rss_hash_frame(const uint8_t *key, uint32_t mrqc, const uint8_t *frame, size_t len,
			   enum hw_rss_type *type);

/**
 * hw_rss_hash_frame_table() - hw_rss_hash_frame() hashing through @tbl
 * (see hw_toeplitz_table()): what a device model calls per frame.
 * Context: any; the caller serializes uses of one @tbl.
 */
uint32_t hw_rss_hash_frame_table(struct hw_toeplitz_table *tbl, const uint8_t *key, uint32_t mrqc,
				 const uint8_t *frame, size_t len, enum hw_rss_type *type);

#endif /* NDISRT_HW_RSS_H */
