/* SPDX-License-Identifier: MIT */
/*
 * RSS (§5): the Toeplitz hash against Microsoft's published verification
 * vectors and against an independent bit-by-bit computation, and the frame
 * parser that feeds it.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "hw/rss.h"
#include "hw/wire.h"

/* The definition, read literally: bit j of the key is bit 7 - j%8 of byte j/8. */
static uint32_t ref_toeplitz(const uint8_t *key, const uint8_t *in, size_t len)
{
	uint32_t r = 0;

	for (size_t i = 0; i < 8 * len; i++) {
		uint32_t k = 0;

		if (!((in[i / 8] >> (7 - i % 8)) & 1))
			continue;
		for (size_t j = 0; j < 32; j++)
			k = k << 1 | ((key[(i + j) / 8] >> (7 - (i + j) % 8)) & 1);
		r ^= k;
	}
	return r;
}

struct ms_vec {
	const char *dst, *src;
	uint16_t dport, sport;
	uint32_t ip, tcp;
};

/* Microsoft, "Verifying the RSS Hash Calculation": IPv4 table. */
static const struct ms_vec ms_v4[] = {
    {"161.142.100.80", "66.9.149.187", 1766, 2794, 0x323e8fc2, 0x51ccc178},
    {"65.69.140.83", "199.92.111.2", 4739, 14230, 0xd718262a, 0xc626b0ea},
    {"12.22.207.184", "24.19.198.95", 38024, 12898, 0xd2d0a5de, 0x5c2b394a},
    {"209.142.163.6", "38.27.205.30", 2217, 48228, 0x82989176, 0xafc7327f},
    {"202.188.127.2", "153.39.163.191", 1303, 44251, 0x5d1809c5, 0x10e828a2},
};

/* The same page's IPv6 table. */
static const struct ms_vec ms_v6[] = {
    {"3ffe:2501:200:3::1", "3ffe:2501:200:1fff::7", 1766, 2794, 0x2cc18cd5, 0x40207d3d},
    {"ff02::1", "3ffe:501:8::260:97ff:fe40:efab", 4739, 14230, 0x0f0c461c, 0xdde51bbf},
    {"fe80::200:f8ff:fe21:67cf", "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 38024, 44251, 0x4b61e985,
     0x02d1feef},
};

static void tuple_of(const struct ms_vec *v, int family, uint8_t l4, struct hw_rss_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->family = family;
	t->l4 = l4;
	cr_assert_eq(inet_pton(family == 4 ? AF_INET : AF_INET6, v->src, t->src), 1);
	cr_assert_eq(inet_pton(family == 4 ? AF_INET : AF_INET6, v->dst, t->dst), 1);
	t->sport[0] = (uint8_t)(v->sport >> 8);
	t->sport[1] = (uint8_t)v->sport;
	t->dport[0] = (uint8_t)(v->dport >> 8);
	t->dport[1] = (uint8_t)v->dport;
}

Test(rss, s5_microsoft_vectors_ipv4)
{
	for (size_t i = 0; i < sizeof(ms_v4) / sizeof(ms_v4[0]); i++) {
		struct hw_rss_tuple t;
		enum hw_rss_type ty;

		tuple_of(&ms_v4[i], 4, 6, &t);
		cr_expect_eq(hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_ALL_TYPES, &t, &ty),
			     ms_v4[i].tcp, "vector %zu TCP", i);
		cr_expect_eq(ty, HW_RSS_TCP_IPV4);
		cr_expect_eq(hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_IPV4, &t, &ty),
			     ms_v4[i].ip, "vector %zu IPv4 only", i);
		cr_expect_eq(ty, HW_RSS_IPV4);
	}
}

Test(rss, s5_microsoft_vectors_ipv6)
{
	for (size_t i = 0; i < sizeof(ms_v6) / sizeof(ms_v6[0]); i++) {
		struct hw_rss_tuple t;
		enum hw_rss_type ty;

		tuple_of(&ms_v6[i], 6, 6, &t);
		cr_expect_eq(hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_ALL_TYPES, &t, &ty),
			     ms_v6[i].tcp, "vector %zu TCP", i);
		cr_expect_eq(ty, HW_RSS_TCP_IPV6);
		cr_expect_eq(hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_IPV6, &t, &ty),
			     ms_v6[i].ip, "vector %zu IPv6 only", i);
		cr_expect_eq(ty, HW_RSS_IPV6);
	}
}

/* UDP hashes the same fields as TCP (the spec's UDP types reuse the 4-tuple). */
Test(rss, s5_udp_hashes_the_four_tuple)
{
	struct hw_rss_tuple t;
	enum hw_rss_type ty;

	tuple_of(&ms_v4[0], 4, 17, &t);
	cr_expect_eq(hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_ALL_TYPES, &t, &ty),
		     ms_v4[0].tcp);
	cr_expect_eq(ty, HW_RSS_UDP_IPV4);
	tuple_of(&ms_v6[1], 6, 17, &t);
	cr_expect_eq(hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_ALL_TYPES, &t, &ty),
		     ms_v6[1].tcp);
	cr_expect_eq(ty, HW_RSS_UDP_IPV6);
	/* UDP type disabled, IPv6 enabled: the 2-tuple. */
	cr_expect_eq(
	    hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_IPV6 | HW_RSS_MRQC_TCP_IPV6, &t, &ty),
	    ms_v6[1].ip);
	cr_expect_eq(ty, HW_RSS_IPV6);
	cr_expect_eq(hw_rss_hash_tuple(hw_rss_default_key, HW_RSS_MRQC_IPV4, &t, &ty), 0);
	cr_expect_eq(ty, HW_RSS_NONE);
}

Test(rss, s5_matches_bitwise_reference)
{
	uint8_t key[40], in[36];

	srand(12345);
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(rand() % 37);

		for (int i = 0; i < 40; i++)
			key[i] = (uint8_t)rand();
		for (size_t i = 0; i < len; i++)
			in[i] = (uint8_t)rand();
		cr_assert_eq(hw_toeplitz(key, in, len), ref_toeplitz(key, in, len), "round %d",
			     round);
	}
}

/* The table-driven hash equals the bit-wise reference; a key change rebuilds the table. */
Test(rss, s5_table_matches_bitwise_reference)
{
	static struct hw_toeplitz_table tbl;
	uint8_t key[40], in[36];

	srand(54321);
	for (int round = 0; round < 500; round++) {
		size_t len = (size_t)(rand() % 37);

		if (round % 5 == 0)
			for (int i = 0; i < 40; i++)
				key[i] = (uint8_t)rand();
		for (size_t i = 0; i < len; i++)
			in[i] = (uint8_t)rand();
		cr_assert_eq(hw_toeplitz_table(&tbl, key, in, len), ref_toeplitz(key, in, len),
			     "round %d", round);
	}
	cr_assert(tbl.valid);
	cr_assert_eq(memcmp(tbl.key, key, sizeof(key)), 0, "the table follows the last key");
}

/* Generated frames parse back into the tuple they were built from. */
Test(rss, s5_parse_generated_frames)
{
	static const int fam[] = {4, 4, 6, 6};
	static const uint8_t l4[] = {6, 17, 6, 17};
	uint8_t f[2048];

	for (int k = 0; k < 4; k++) {
		struct wire_gen_config c = {
		    .frames = 1, .size = 128, .flows = 1000, .family = fam[k], .l4 = l4[k]};
		struct hw_rss_tuple t;
		size_t len = wire_gen_frame(&c, 777, f, sizeof(f));
		size_t ipoff = 14, alen = fam[k] == 4 ? 4 : 16;
		uint8_t in[36];

		cr_assert_eq(len, 128);
		hw_rss_parse(f, len, &t);
		cr_expect_eq(t.family, fam[k]);
		cr_expect_eq(t.l4, l4[k]);
		cr_expect_eq((t.sport[0] << 8 | t.sport[1]), 1024 + 777);
		/* Independent: pull the fields by offset and hash with the reference. */
		memcpy(in, f + ipoff + (fam[k] == 4 ? 12 : 8), 2 * alen);
		memcpy(in + 2 * alen, f + ipoff + (fam[k] == 4 ? 20 : 40), 4);
		enum hw_rss_type ty;
		cr_expect_eq(
		    hw_rss_hash_frame(hw_rss_default_key, HW_RSS_MRQC_ALL_TYPES, f, len, &ty),
		    ref_toeplitz(hw_rss_default_key, in, 2 * alen + 4));
	}
}

Test(rss, s5_parse_fragments_vlan_truncation)
{
	struct wire_gen_config c = {.frames = 1, .size = 100, .flows = 1, .family = 4, .l4 = 6};
	struct hw_rss_tuple t;
	uint8_t f[256], v[260];
	size_t len = wire_gen_frame(&c, 0, f, sizeof(f));

	/* A fragment (MF set): addresses only. */
	f[14 + 6] = 0x20;
	hw_rss_parse(f, len, &t);
	cr_expect_eq(t.family, 4);
	cr_expect_eq(t.l4, 0);
	f[14 + 6] = 0x40;
	/* One 802.1Q tag is looked through. */
	memcpy(v, f, 12);
	v[12] = 0x81, v[13] = 0x00, v[14] = 0x00, v[15] = 0x05;
	memcpy(v + 16, f + 12, len - 12);
	hw_rss_parse(v, len + 4, &t);
	cr_expect_eq(t.family, 4);
	cr_expect_eq(t.l4, 6);
	/* Truncated inside the IP header: nothing to hash. */
	hw_rss_parse(f, 14 + 10, &t);
	cr_expect_eq(t.family, 0);
	/* Truncated inside the ports: addresses only. */
	hw_rss_parse(f, 14 + 20 + 2, &t);
	cr_expect_eq(t.family, 4);
	cr_expect_eq(t.l4, 0);
	/* Not IP. */
	f[12] = 0x08, f[13] = 0x06;
	hw_rss_parse(f, len, &t);
	cr_expect_eq(t.family, 0);
}
