/* SPDX-License-Identifier: MIT */
/*
 * hw/rss.c - Toeplitz hashing and the RSS input parser.
 */
#include "hw/rss.h"

#include <string.h>

const uint8_t hw_rss_default_key[HW_RSS_KEY_LEN] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
    0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
    0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/*
 * For every set bit of the input, most significant first, XOR in the 32 key
 * bits that start at that bit position. @window holds key bits [i, i + 32)
 * and slides left one bit per input bit; the next key byte is fed in after
 * each input byte, so the key is read exactly once.
 */
uint32_t hw_toeplitz(const uint8_t *key, const uint8_t *in, size_t len)
{
	uint32_t window =
	    (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 | (uint32_t)key[2] << 8 | key[3];
	uint32_t hash = 0;

	if (len > HW_RSS_KEY_LEN - 4)
		len = HW_RSS_KEY_LEN - 4;
	for (size_t i = 0; i < len; i++) {
		uint8_t next = key[i + 4];

		for (int b = 7; b >= 0; b--) {
			if (in[i] & (1u << b))
				hash ^= window;
			window = window << 1 | ((next >> b) & 1);
		}
	}
	return hash;
}

/*
 * Column j of the Toeplitz matrix is key bits [j, j + 32). Input bit b of
 * byte i (b = 7 most significant) selects column 8i + 7 - b, so t[i][v] is
 * the XOR of the columns selected by v's set bits. Each entry extends an
 * entry with one bit fewer (v with its lowest bit cleared), one XOR apiece.
 */
void hw_toeplitz_prepare(struct hw_toeplitz_table *tbl, const uint8_t *key)
{
	for (size_t i = 0; i < HW_RSS_KEY_LEN - 4; i++) {
		uint32_t col[8];
		uint64_t w = (uint64_t)key[i] << 32 | (uint64_t)key[i + 1] << 24 |
			     (uint64_t)key[i + 2] << 16 | (uint64_t)key[i + 3] << 8 | key[i + 4];

		/* col[b]: the column input bit b of byte i selects, key bits [8i + 7 - b, +32). */
		for (int b = 0; b < 8; b++)
			col[b] = (uint32_t)(w >> (b + 1));
		tbl->t[i][0] = 0;
		for (unsigned v = 1; v < 256; v++)
			tbl->t[i][v] = tbl->t[i][v & (v - 1)] ^ col[__builtin_ctz(v)];
	}
	memcpy(tbl->key, key, HW_RSS_KEY_LEN);
	tbl->valid = true;
}

uint32_t hw_toeplitz_table(struct hw_toeplitz_table *tbl, const uint8_t *key, const uint8_t *in,
			   size_t len)
{
	uint32_t hash = 0;

	if (!tbl->valid || memcmp(tbl->key, key, HW_RSS_KEY_LEN) != 0)
		hw_toeplitz_prepare(tbl, key);
	if (len > HW_RSS_KEY_LEN - 4)
		len = HW_RSS_KEY_LEN - 4;
	for (size_t i = 0; i < len; i++)
		hash ^= tbl->t[i][in[i]];
	return hash;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void rss_parse_l4(const uint8_t *p, size_t left, uint8_t proto, struct hw_rss_tuple *t)
{
	if ((proto != 6 && proto != 17) || left < 4)
		return;
	t->l4 = proto;
	memcpy(t->sport, p, 2);
	memcpy(t->dport, p + 2, 2);
}

static void rss_parse_ipv4(const uint8_t *p, size_t left, struct hw_rss_tuple *t)
{
	size_t ihl, total;

	if (left < 20 || (p[0] >> 4) != 4)
		return;
	ihl = (size_t)(p[0] & 0xF) * 4;
	total = rd16(p + 2);
	if (ihl < 20 || left < ihl || total < ihl)
		return;
	t->family = 4;
	memcpy(t->src, p + 12, 4);
	memcpy(t->dst, p + 16, 4);
	/* A fragment's ports are not in every piece: hash addresses only. */
	if (rd16(p + 6) & 0x3FFF)
		return;
	if (total < left)
		left = total;
	rss_parse_l4(p + ihl, left - ihl, p[9], t);
}

static void rss_parse_ipv6(const uint8_t *p, size_t left, struct hw_rss_tuple *t)
{
	if (left < 40 || (p[0] >> 4) != 6)
		return;
	t->family = 6;
	memcpy(t->src, p + 8, 16);
	memcpy(t->dst, p + 24, 16);
	rss_parse_l4(p + 40, left - 40, p[6], t);
}

void hw_rss_parse(const uint8_t *frame, size_t len, struct hw_rss_tuple *t)
{
	size_t off = 12;
	uint16_t ethertype;

	memset(t, 0, sizeof(*t));
	if (len < 14)
		return;
	ethertype = rd16(frame + off);
	if (ethertype == 0x8100) {
		if (len < 18)
			return;
		off += 4;
		ethertype = rd16(frame + off);
	}
	off += 2;
	if (ethertype == 0x0800)
		rss_parse_ipv4(frame + off, len - off, t);
	else if (ethertype == 0x86DD)
		rss_parse_ipv6(frame + off, len - off, t);
}

/*
 * Pick the most specific enabled type, as the RSS specification orders them:
 * the 4-tuple type for the frame's L4 protocol if enabled, else the 2-tuple
 * type of its IP version if enabled, else no hash.
 */
static enum hw_rss_type rss_pick_type(uint32_t mrqc, const struct hw_rss_tuple *t)
{
	if (t->family == 4) {
		if (t->l4 == 6 && (mrqc & HW_RSS_MRQC_TCP_IPV4))
			return HW_RSS_TCP_IPV4;
		if (t->l4 == 17 && (mrqc & HW_RSS_MRQC_UDP_IPV4))
			return HW_RSS_UDP_IPV4;
		if (mrqc & HW_RSS_MRQC_IPV4)
			return HW_RSS_IPV4;
	} else if (t->family == 6) {
		if (t->l4 == 6 && (mrqc & HW_RSS_MRQC_TCP_IPV6))
			return HW_RSS_TCP_IPV6;
		if (t->l4 == 17 && (mrqc & HW_RSS_MRQC_UDP_IPV6))
			return HW_RSS_UDP_IPV6;
		if (mrqc & HW_RSS_MRQC_IPV6)
			return HW_RSS_IPV6;
	}
	return HW_RSS_NONE;
}

/* The hash input of @t for type @ty, in @in (36 bytes); returns its length. */
static size_t rss_input(const struct hw_rss_tuple *t, enum hw_rss_type ty, uint8_t *in)
{
	size_t alen = t->family == 6 ? 16 : 4, n;

	memcpy(in, t->src, alen);
	memcpy(in + alen, t->dst, alen);
	n = 2 * alen;
	if (ty != HW_RSS_IPV4 && ty != HW_RSS_IPV6) {
		memcpy(in + n, t->sport, 2);
		memcpy(in + n + 2, t->dport, 2);
		n += 4;
	}
	return n;
}

uint32_t hw_rss_hash_tuple(const uint8_t *key, uint32_t mrqc, const struct hw_rss_tuple *t,
			   enum hw_rss_type *type)
{
	uint8_t in[36];
	enum hw_rss_type ty = rss_pick_type(mrqc, t);

	*type = ty;
	if (ty == HW_RSS_NONE)
		return 0;
	return hw_toeplitz(key, in, rss_input(t, ty, in));
}

uint32_t hw_rss_hash_frame(const uint8_t *key, uint32_t mrqc, const uint8_t *frame, size_t len,
			   enum hw_rss_type *type)
{
	struct hw_rss_tuple t;

	hw_rss_parse(frame, len, &t);
	return hw_rss_hash_tuple(key, mrqc, &t, type);
}

uint32_t hw_rss_hash_frame_table(struct hw_toeplitz_table *tbl, const uint8_t *key, uint32_t mrqc,
				 const uint8_t *frame, size_t len, enum hw_rss_type *type)
{
	struct hw_rss_tuple t;
	uint8_t in[36];
	enum hw_rss_type ty;

	hw_rss_parse(frame, len, &t);
	ty = rss_pick_type(mrqc, &t);
	*type = ty;
	if (ty == HW_RSS_NONE)
		return 0;
	return hw_toeplitz_table(tbl, key, in, rss_input(&t, ty, in));
}
