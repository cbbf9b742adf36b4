/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/e1000_pcap_test.c - frames an 82540EM transmits (SDM 3.3), captured
 * on its wire, open with libpcap and are exactly the frames sent, in order.
 */
#include "e1000_harness.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <unistd.h>

static int drop_rx(void *ctx, const void *frame, size_t len)
{
	(void)ctx, (void)frame, (void)len;
	return 0;
}

Test(e1000_pcap, s3_3_transmitted_frames_open_with_libpcap)
{
	struct ex x;
	struct ex_ring t;
	struct wire *w;
	struct wire_capture *cap;
	char path[] = "/tmp/ndisrt-e1000-XXXXXX", err[256], perr[PCAP_ERRBUF_SIZE];
	uint8_t f[40][200];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *p;
	int fd, rc;
	unsigned n = 0;

	ex_init(&x);
	wr(&x, E1000_CTRL, E1000_CTRL_SLU);
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	w = wire_pair_create(x.m);
	cap = wire_capture_open(x.m, path, err, sizeof(err));
	cr_assert_not_null(cap, "%s", err);
	wire_tap(w, cap);
	e1000_wire_attach(x.dev, w, 0);
	wire_attach(w, 1, drop_rx, NULL);
	ex_tx_ring(&x, &t, 16, 2048);
	for (unsigned i = 0; i < 40; i++) {
		ex_tx_put(&t, f[i], (unsigned)ex_frame(f[i], ex_mac, 60 + 3 * i, (uint8_t)i),
			  E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS);
		wr(&x, E1000_TDT, t.tail);
		cr_assert_eq(rd(&x, E1000_TDH), t.tail);
	}
	e1000_wire_attach(x.dev, NULL, 0);
	wire_tap(w, NULL);
	cr_assert_eq(wire_capture_close(cap), 0);
	wire_close(w);

	p = pcap_open_offline(path, perr);
	cr_assert_not_null(p, "libpcap: %s", perr);
	cr_expect_eq(pcap_datalink(p), DLT_EN10MB);
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		cr_assert_lt(n, 40u);
		cr_expect_eq(hdr->caplen, 60 + 3 * n);
		cr_expect_eq(hdr->len, hdr->caplen);
		cr_expect_eq(memcmp(data, f[n], hdr->caplen), 0, "record %u", n);
		n++;
	}
	cr_expect_eq(rc, PCAP_ERROR_BREAK, "clean end of file");
	cr_expect_eq(n, 40, "every frame sent is in the capture");
	pcap_close(p);
	unlink(path);
	ex_fini(&x);
}
