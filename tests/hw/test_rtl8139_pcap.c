/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/test_rtl8139_pcap.c - frames an RTL8139 transmits through its
 * descriptors (DS "Transmit Status Register") are captured on the wire's tap
 * and read back with libpcap, byte for byte.
 */
#include "rtl8139_harness.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <unistd.h>

static int sink_rx(void *ctx, const void *frame, size_t len)
{
	(void)ctx;
	(void)frame;
	(void)len;
	return 0;
}

Test(rtl8139_pcap, transmitted_frames_open_with_libpcap)
{
	struct rx t;
	char path[] = "/tmp/ndisrt-rtl8139-XXXXXX", err[160] = "", ebuf[PCAP_ERRBUF_SIZE];
	int fd = mkstemp(path);
	struct wire_capture *cap;
	struct wire *w;
	uint8_t *buf[4];
	uint64_t la;
	uint32_t bus;
	pcap_t *pd;
	struct pcap_pkthdr *ph;
	const u_char *data;

	cr_assert_geq(fd, 0);
	close(fd);
	rx_init(&t);
	cap = wire_capture_open(t.h.m, path, err, sizeof(err));
	cr_assert_not_null(cap, "%s", err);
	w = wire_pair_create(t.h.m);
	wire_tap(w, cap);
	hw_dev_wire_attach(t.dev, w, 0);
	wire_attach(w, 1, sink_rx, NULL);
	wr8(&t, RTL_CR, RTL_CR_TE);
	for (unsigned i = 0; i < 4; i++) {
		buf[i] = hw_dma_alloc(t.h.dma, 2048, &la);
		cr_assert_not_null(buf[i]);
		for (unsigned b = 0; b < 2048; b++)
			buf[i][b] = (uint8_t)(b * 7 + i);
		cr_assert_eq(hw_dma_addr32(t.h.dma, la, &bus), 0);
		wr32(&t, RTL_TSAD0 + 4 * i, bus);
		wr32(&t, RTL_TSD0 + 4 * i, 60 + 100 * i);
		cr_assert_neq(rd32(&t, RTL_TSD0 + 4 * i) & RTL_TSD_TOK, 0);
	}
	hw_dev_wire_attach(t.dev, NULL, 0);
	wire_close(w);
	cr_assert_eq(wire_capture_close(cap), 0);
	pd = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	cr_assert_not_null(pd, "%s", ebuf);
	cr_assert_eq(pcap_datalink(pd), DLT_EN10MB);
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(pcap_next_ex(pd, &ph, &data), 1, "record %u", i + 1);
		cr_assert_eq(ph->caplen, 60 + 100 * i);
		cr_assert_eq(memcmp(data, buf[i], ph->caplen), 0, "frame %u bytes", i);
	}
	cr_expect_eq(pcap_next_ex(pd, &ph, &data), PCAP_ERROR_BREAK, "no extra record");
	pcap_close(pd);
	unlink(path);
	rx_fini(&t);
}
