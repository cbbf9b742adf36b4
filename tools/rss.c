/* SPDX-License-Identifier: MIT */
/*
 * tools/rss.c - `ndisrt rss`: the Toeplitz hash a VN-1 computes for a flow,
 * and the RETA entry and queue it lands on.
 *
 *   ndisrt rss [--key HEX80] --src ADDR[:PORT] --dst ADDR[:PORT] [--tcp|--udp]
 *              [--reta FILE]
 *
 * The hash comes from hw_toeplitz(), the function the device model uses.
 * RETA file format (docs/vn1.md): queue numbers 0..255, decimal, separated
 * by whitespace; '#' starts a comment that runs to the end of the line; the
 * number of entries must be a power of two from 1 to 128. Entry index =
 * hash mod entries (the device's 128-entry RETA is the case entries = 128).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/rss.h"

#define EX_OK 0
#define EX_USAGE 64

int ndisrt_cmd_rss(int argc, char **argv);

struct rss_endpoint {
	int family; /* 4 or 6 */
	uint8_t addr[16];
	bool has_port;
	uint16_t port;
};

struct rss_args {
	uint8_t key[HW_RSS_KEY_LEN];
	struct rss_endpoint src, dst;
	bool have_src, have_dst;
	uint8_t l4; /* 0, 6 or 17 */
	const char *reta_path;
};

static void rss_usage(FILE *f)
{
	fprintf(f,
		"usage: ndisrt rss [--key HEX] --src ADDR[:PORT] --dst ADDR[:PORT] [--tcp|--udp]\n"
		"                  [--reta FILE]\n"
		"\n"
		"Print the RSS Toeplitz hash (0x%%08x) of a flow as a VN-1 computes it:\n"
		"source address, destination address, then with --tcp or --udp source and\n"
		"destination port, all in network byte order.\n"
		"\n"
		"  --key HEX     40-byte key as 80 hex digits (default: the key of Microsoft's\n"
		"                \"Verifying the RSS Hash Calculation\" page)\n"
		"  --src, --dst  IPv4 a.b.c.d[:port], IPv6 addr or [addr]:port\n"
		"  --tcp, --udp  hash the 4-tuple (both endpoints need a port)\n"
		"  --reta FILE   also print the indirection entry (hash mod N) and its queue;\n"
		"                FILE holds N decimal queue numbers separated by whitespace,\n"
		"                N a power of two from 1 to 128, '#' starts a comment\n"
		"  --help        this text\n");
}

static int rss_bad(const char *what, const char *detail)
{
	fprintf(stderr, "ndisrt rss: %s: %s (see ndisrt rss --help)\n", what, detail);
	return EX_USAGE;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int rss_parse_key(const char *s, uint8_t *key)
{
	if (strlen(s) != 2 * HW_RSS_KEY_LEN)
		return -1;
	for (int i = 0; i < HW_RSS_KEY_LEN; i++) {
		int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int rss_parse_port(const char *s, struct rss_endpoint *ep)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535)
		return -1;
	ep->has_port = true;
	ep->port = (uint16_t)v;
	return 0;
}

/* a.b.c.d[:port], [v6]:port, [v6] or bare v6. Return: 0 or -1. */
static int rss_parse_endpoint(const char *s, struct rss_endpoint *ep)
{
	char buf[128];
	const char *colon;

	memset(ep, 0, sizeof(*ep));
	if (strlen(s) >= sizeof(buf))
		return -1;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (size_t)(close - s - 1) >= sizeof(buf))
			return -1;
		memcpy(buf, s + 1, (size_t)(close - s - 1));
		buf[close - s - 1] = '\0';
		if (inet_pton(AF_INET6, buf, ep->addr) != 1)
			return -1;
		ep->family = 6;
		if (close[1] == '\0')
			return 0;
		return close[1] == ':' ? rss_parse_port(close + 2, ep) : -1;
	}
	if (inet_pton(AF_INET6, s, ep->addr) == 1) {
		ep->family = 6;
		return 0;
	}
	colon = strchr(s, ':');
	snprintf(buf, sizeof(buf), "%.*s", colon ? (int)(colon - s) : (int)strlen(s), s);
	if (inet_pton(AF_INET, buf, ep->addr) != 1)
		return -1;
	ep->family = 4;
	return colon ? rss_parse_port(colon + 1, ep) : 0;
}

/* The value of option @argv[*i] ("--opt VALUE" or "--opt=VALUE"), or NULL. */
static const char *rss_optval(int argc, char **argv, int *i, const char *eq)
{
	if (eq)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int rss_parse_args(int argc, char **argv, struct rss_args *a, bool *help)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '=');
		size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
		const char *v;

#define IS(opt) (n == strlen(opt) && !strncmp(arg, opt, n))
		if (IS("--help") || IS("-h")) {
			*help = true;
			return EX_OK;
		}
		if ((IS("--tcp") || IS("--udp")) && !eq) {
			if (a->l4)
				return rss_bad(arg, "give only one of --tcp and --udp");
			a->l4 = IS("--tcp") ? 6 : 17;
			continue;
		}
		if (!IS("--key") && !IS("--src") && !IS("--dst") && !IS("--reta"))
			return rss_bad(arg, "unknown option");
		v = rss_optval(argc, argv, &i, eq);
		if (!v)
			return rss_bad(arg, "needs a value");
		if (IS("--key") && rss_parse_key(v, a->key))
			return rss_bad("--key", "expected 80 hex digits (40 bytes)");
		if (IS("--src") && rss_parse_endpoint(v, &a->src))
			return rss_bad("--src", "expected a.b.c.d[:port], IPv6 or [IPv6]:port");
		if (IS("--dst") && rss_parse_endpoint(v, &a->dst))
			return rss_bad("--dst", "expected a.b.c.d[:port], IPv6 or [IPv6]:port");
		a->have_src |= IS("--src");
		a->have_dst |= IS("--dst");
		if (IS("--reta"))
			a->reta_path = v;
#undef IS
	}
	return EX_OK;
}

static int rss_check_args(const struct rss_args *a)
{
	if (!a->have_src)
		return rss_bad("--src", "missing");
	if (!a->have_dst)
		return rss_bad("--dst", "missing");
	if (a->src.family != a->dst.family)
		return rss_bad("--dst", "address family differs from --src");
	if (a->l4 && (!a->src.has_port || !a->dst.has_port))
		return rss_bad(a->src.has_port ? "--dst" : "--src",
			       a->l4 == 6 ? "--tcp needs a port" : "--udp needs a port");
	if (!a->l4 && (a->src.has_port || a->dst.has_port))
		return rss_bad(a->src.has_port ? "--src" : "--dst",
			       "a port is hashed only with --tcp or --udp");
	return EX_OK;
}

/* Read a decimal number starting with @*c. Return: 0, or -1 if it is not one in 0..255. */
static int rss_read_number(FILE *f, int *c, unsigned long *v)
{
	int digits = 0;

	*v = 0;
	for (; *c != EOF && isdigit(*c); *c = fgetc(f), digits++)
		if (*v <= 255)
			*v = *v * 10 + (unsigned long)(*c - '0');
	if (!digits || (*c != EOF && !isspace(*c) && *c != '#') || *v > 255)
		return -1;
	return 0;
}

/* Read a RETA file. Return: entries (power of two <= 128), or -1 with @why set. */
static int rss_read_reta(const char *path, uint8_t *reta, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((c = fgetc(f)) != EOF) {
		unsigned long v;

		if (isspace(c))
			continue;
		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (rss_read_number(f, &c, &v)) {
			snprintf(why, whylen, "%s: entry %d: expected a queue number 0..255", path,
				 n);
			fclose(f);
			return -1;
		}
		if (n == HW_RSS_RETA_LEN) {
			snprintf(why, whylen, "%s: more than %d entries", path, HW_RSS_RETA_LEN);
			fclose(f);
			return -1;
		}
		reta[n++] = (uint8_t)v;
		if (c == '#')
			ungetc(c, f);
	}
	fclose(f);
	if (n == 0 || (n & (n - 1))) {
		snprintf(why, whylen, "%s: %d entries; need a power of two from 1 to %d", path, n,
			 HW_RSS_RETA_LEN);
		return -1;
	}
	return n;
}

int ndisrt_cmd_rss(int argc, char **argv)
{
	struct rss_args a = {0};
	struct hw_rss_tuple t = {0};
	uint8_t reta[HW_RSS_RETA_LEN];
	enum hw_rss_type type;
	bool help = false;
	char why[512];
	uint32_t hash;
	int ret, n = 0;

	memcpy(a.key, hw_rss_default_key, sizeof(a.key));
	ret = rss_parse_args(argc, argv, &a, &help);
	if (ret != EX_OK)
		return ret;
	if (help) {
		rss_usage(stdout);
		return EX_OK;
	}
	ret = rss_check_args(&a);
	if (ret != EX_OK)
		return ret;
	if (a.reta_path && (n = rss_read_reta(a.reta_path, reta, why, sizeof(why))) < 0)
		return rss_bad("--reta", why);
	t.family = a.src.family;
	t.l4 = a.l4;
	memcpy(t.src, a.src.addr, 16);
	memcpy(t.dst, a.dst.addr, 16);
	t.sport[0] = (uint8_t)(a.src.port >> 8);
	t.sport[1] = (uint8_t)a.src.port;
	t.dport[0] = (uint8_t)(a.dst.port >> 8);
	t.dport[1] = (uint8_t)a.dst.port;
	hash = hw_rss_hash_tuple(a.key, HW_RSS_MRQC_ALL_TYPES, &t, &type);
	printf("0x%08x\n", hash);
	if (n > 0)
		printf("entry %u queue %u\n", hash % (unsigned)n, reta[hash % (unsigned)n]);
	return EX_OK;
}
