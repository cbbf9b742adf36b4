/* SPDX-License-Identifier: MIT */
/*
 * pcap through libpcap: a round trip (generator frames -> VN-1 -> pair ->
 * VN-1, captured by a tap, read back by libpcap itself), replay into a VN-1,
 * and malformed or truncated files rejected with the file and record named.
 */
#include "harness.h"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static struct hx h;
static char path[64];

static void setup(void)
{
	int fd;

	hx_init(&h, 2, 2);
	snprintf(path, sizeof(path), "/tmp/ndisrt-pcap-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(path);
	hx_fini(&h);
}

TestSuite(pcap, .init = setup, .fini = teardown);

#define NFRAMES 120

static size_t gen(uint8_t *f, unsigned i)
{
	struct wire_gen_config c = {.frames = NFRAMES,
				    .size = 60 + (i * 37) % 1400,
				    .flows = 9,
				    .family = i % 2 ? 6 : 4,
				    .l4 = i % 3 ? 17 : 6};

	memcpy(c.dst_mac, hx_mac[1], 6);
	return wire_gen_frame(&c, i, f, VN1_MAX_FRAME);
}

Test(pcap, round_trip_generator_pair_capture)
{
	struct vn1 *a = h.dev[0], *b = h.dev[1];
	struct wire *w = wire_pair_create(h.m);
	char err[256], ebuf[PCAP_ERRBUF_SIZE];
	struct wire_capture *cap = wire_capture_open(h.m, path, err, sizeof(err));
	struct wire_capture_stats cs;
	struct wire_dir_stats ws;
	struct hx_ring tx, rx;
	static uint8_t f[VN1_MAX_FRAME], got[VN1_MAX_FRAME];
	unsigned len;
	pcap_t *pd;

	cr_assert_not_null(cap, "%s", err);
	wire_tap(w, cap);
	vn1_wire_attach(a, w, 0);
	vn1_wire_attach(b, w, 1);
	hx_tx_ring(&tx, a, h.dma, 2, 16);
	hx_rx_ring(&rx, b, h.dma, 0, 16, 2048);
	vn1_mmio_write32(a, VN1_CTRL, VN1_CTRL_TXEN);
	vn1_mmio_write32(b, VN1_RXFILTER, VN1_RXFILTER_UCAST);
	vn1_mmio_write32(b, VN1_CTRL, VN1_CTRL_RXEN);
	for (unsigned i = 0; i < NFRAMES; i++) {
		size_t n = gen(f, i);

		hx_tx_put(&tx, f, (unsigned)n, true);
		hx_tx_kick(&tx);
		cr_assert(hx_rx_take(&rx, got, &len, NULL, NULL, NULL), "frame %u", i);
		cr_assert_eq(len, n);
		cr_assert_arr_eq(got, f, n);
		hx_rx_refill(&rx);
	}
	wire_get_stats(w, 0, &ws);
	cr_expect_eq(ws.offered, NFRAMES);
	cr_expect_eq(ws.delivered, NFRAMES);
	cr_expect_eq(ws.offered, ws.delivered + ws.dropped);
	vn1_wire_attach(a, NULL, 0);
	vn1_wire_attach(b, NULL, 0);
	wire_get_stats(w, 0, &ws);
	wire_capture_get_stats(cap, &cs);
	cr_expect_eq(cs.queued + cs.dropped, ws.offered, "the tap saw every frame");
	cr_assert_eq(wire_capture_close(cap), 0);
	wire_close(w);

	/* Read it back with libpcap itself, not with our loader. */
	pd = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	cr_assert_not_null(pd, "%s", ebuf);
	cr_expect_eq(pcap_datalink(pd), DLT_EN10MB);
	uint64_t last_ts = 0;
	for (unsigned i = 0; i < NFRAMES; i++) {
		struct pcap_pkthdr *ph;
		const u_char *data;
		size_t n = gen(f, i);

		cr_assert_eq(pcap_next_ex(pd, &ph, &data), 1, "record %u", i + 1);
		cr_expect_eq(ph->caplen, n);
		cr_expect_eq(ph->len, n);
		cr_expect_arr_eq(data, f, n, "record %u", i + 1);
		uint64_t ts = (uint64_t)ph->ts.tv_sec * 1000000000ULL + (uint64_t)ph->ts.tv_usec;
		cr_expect_geq(ts, last_ts, "engine-clock timestamps do not go back");
		last_ts = ts;
	}
	struct pcap_pkthdr *ph;
	const u_char *data;
	cr_expect_eq(pcap_next_ex(pd, &ph, &data), PCAP_ERROR_BREAK, "no extra record");
	pcap_close(pd);
	hx_ring_free(&tx);
	hx_ring_free(&rx);
}

/* Write @n generated frames with libpcap directly. */
static void write_capture(unsigned n)
{
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(pd, path);
	static uint8_t f[VN1_MAX_FRAME];

	cr_assert_not_null(d);
	for (unsigned i = 0; i < n; i++) {
		size_t len = gen(f, i);
		struct pcap_pkthdr ph = {.ts = {.tv_sec = 1, .tv_usec = (suseconds_t)(i * 10)},
					 .caplen = (bpf_u_int32)len,
					 .len = (bpf_u_int32)len};

		pcap_dump((u_char *)d, &ph, f);
	}
	pcap_dump_close(d);
	pcap_close(pd);
}

Test(pcap, replay_into_vn1_conserved)
{
	struct vn1 *b = h.dev[1];
	struct wire_replay_config rc = {.use_timestamps = true, .loops = 2};
	struct hx_ring rx;
	struct wire_dir_stats ws;
	struct vn1_stats st;
	static uint8_t f[VN1_MAX_FRAME], got[VN1_MAX_FRAME];
	char err[256];
	unsigned len, n = 0;
	struct wire *w;

	write_capture(50);
	w = wire_replay_create(h.m, path, &rc, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	hx_rx_ring(&rx, b, h.dma, 0, 256, 2048);
	vn1_mmio_write32(b, VN1_RXFILTER, VN1_RXFILTER_UCAST);
	vn1_mmio_write32(b, VN1_CTRL, VN1_CTRL_RXEN);
	vn1_wire_attach(b, w, 0);
	cr_assert_eq(wire_source_start(w), 0);
	cr_assert_eq(wire_source_wait(w, 60000), 0);
	while (hx_rx_take(&rx, got, &len, NULL, NULL, NULL)) {
		size_t want = gen(f, n % 50);

		cr_expect_eq(len, want);
		cr_expect_arr_eq(got, f, want, "frame %u", n);
		n++;
	}
	wire_get_stats(w, 1, &ws);
	vn1_get_stats(b, &st);
	cr_expect_eq(ws.offered, 100);
	cr_expect_eq(ws.offered, ws.delivered + ws.dropped);
	cr_expect_eq(st.rx_offered, ws.offered);
	cr_expect_eq(st.rx_accepted, ws.delivered);
	cr_expect_eq(n, ws.delivered);
	cr_expect_eq(n, 100, "a 256-descriptor ring holds both loops");
	vn1_wire_attach(b, NULL, 0);
	wire_close(w);
	hx_ring_free(&rx);
}

static void write_bytes(const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	if (n)
		cr_assert_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

struct rec_hdr {
	uint32_t sec, usec, caplen, len;
};

static size_t file_header(uint8_t *b, uint32_t linktype)
{
	const uint32_t h32[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, linktype};

	memcpy(b, h32, sizeof(h32));
	return sizeof(h32);
}

static size_t record(uint8_t *b, uint32_t caplen, uint32_t len, size_t data)
{
	struct rec_hdr r = {1, 0, caplen, len};

	memcpy(b, &r, sizeof(r));
	memset(b + sizeof(r), 0xAB, data);
	return sizeof(r) + data;
}

static void expect_load_error(const char *what, const char *needle)
{
	struct wire_pcap_frames fr;
	char err[512] = "";

	cr_expect_eq(wire_pcap_load(path, &fr, err, sizeof(err)), -1, "%s: accepted", what);
	cr_expect_not_null(strstr(err, path), "%s: '%s' does not name the file", what, err);
	cr_expect_not_null(strstr(err, needle), "%s: '%s' lacks '%s'", what, err, needle);
	cr_expect_null(wire_replay_create(h.m, path, NULL, err, sizeof(err)), "%s: replay", what);
}

Test(pcap, malformed_and_truncated_files_name_file_and_record)
{
	static uint8_t b[4096];
	size_t n;

	write_bytes(NULL, 0);
	expect_load_error("empty file", "record 0");
	write_bytes("this is not a capture file at all", 33);
	expect_load_error("bad magic", "record 0");
	n = file_header(b, DLT_EN10MB);
	write_bytes(b, n - 3);
	expect_load_error("short file header", "record 0");
	n = file_header(b, 105);
	n += record(b + n, 64, 64, 64);
	write_bytes(b, n);
	expect_load_error("not Ethernet", "not Ethernet");
	n = file_header(b, DLT_EN10MB);
	n += record(b + n, 64, 64, 64);
	write_bytes(b, n + 7);
	expect_load_error("truncated record header", "record 2");
	n = file_header(b, DLT_EN10MB);
	n += record(b + n, 64, 64, 64);
	n += record(b + n, 100, 100, 100);
	write_bytes(b, n - 40);
	expect_load_error("truncated record data", "record 2");
	n = file_header(b, DLT_EN10MB);
	n += record(b + n, 60, 1500, 60);
	write_bytes(b, n);
	expect_load_error("snapped frame", "record 1: frame truncated");
	n = file_header(b, DLT_EN10MB);
	n += record(b + n, 64, 64, 64);
	n += record(b + n, 64, 64, 64);
	n += record(b + n, 5, 5, 5);
	write_bytes(b, n);
	expect_load_error("runt", "record 3: frame length 5");
	n = file_header(b, DLT_EN10MB);
	n += record(b + n, 0xFFFFFF, 0xFFFFFF, 16);
	write_bytes(b, n);
	expect_load_error("absurd caplen", "record 1");
	n = file_header(b, DLT_EN10MB);
	write_bytes(b, n);
	{
		struct wire_pcap_frames fr;
		char err[512] = "";

		cr_expect_eq(wire_pcap_load(path, &fr, err, sizeof(err)), 0, "empty is valid");
		cr_expect_eq(fr.n, 0);
		wire_pcap_frames_free(&fr);
		cr_expect_null(wire_replay_create(h.m, path, NULL, err, sizeof(err)));
		cr_expect_not_null(strstr(err, "record 1: the capture holds no frame"), "%s", err);
	}
	unlink(path);
	expect_load_error("missing file", "record 0");
}

Test(pcap, capture_open_error_names_the_file)
{
	char err[256] = "";

	cr_expect_null(wire_capture_open(h.m, "/nonexistent-dir/x.pcap", err, sizeof(err)));
	cr_expect_not_null(strstr(err, "/nonexistent-dir/x.pcap"), "%s", err);
}

/*
 * A capture is an output and loses nothing while its writer makes progress:
 * producers that find the queue full wait for the writer (bounded) instead
 * of dropping frames. The file here is a FIFO whose reader starts reading
 * only once the queue has filled, so the writer is certain to fall behind.
 */
enum { SLOW_FRAMES = 1000, SLOW_LEN = 1514 };
static char fifo_path[80];
static atomic_bool fifo_drain;
static atomic_ulong fifo_bytes;
static struct wire_capture *slow_cap;

static void *fifo_reader(void *arg)
{
	static char buf[65536];
	int fd = open(fifo_path, O_RDONLY);
	ssize_t n;

	(void)arg;
	if (fd < 0)
		return NULL;
	while (!atomic_load(&fifo_drain))
		sched_yield();
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		atomic_fetch_add(&fifo_bytes, (unsigned long)n);
	close(fd);
	return NULL;
}

/* Let the reader go once the queue has filled (or after 30 s, failing the count). */
static void *fifo_release(void *arg)
{
	uint64_t end = harness_now_ns() + HARNESS_WAIT_NS;
	struct wire_capture_stats s;

	(void)arg;
	do {
		wire_capture_get_stats(slow_cap, &s);
		sched_yield();
	} while (s.queued < 256 && harness_now_ns() < end);
	atomic_store(&fifo_drain, true);
	return NULL;
}

Test(pcap, a_full_capture_queue_waits_for_the_writer_and_drops_nothing)
{
	static uint8_t frame[SLOW_LEN];
	struct wire_capture_stats s;
	pthread_t reader, release;
	char err[256] = "";

	snprintf(fifo_path, sizeof(fifo_path), "%s.fifo", path);
	cr_assert_eq(mkfifo(fifo_path, 0600), 0);
	cr_assert_eq(pthread_create(&reader, NULL, fifo_reader, NULL), 0);
	slow_cap = wire_capture_open(NULL, fifo_path, err, sizeof(err));
	cr_assert_not_null(slow_cap, "%s", err);
	cr_assert_eq(pthread_create(&release, NULL, fifo_release, NULL), 0);
	memset(frame, 0xA5, sizeof(frame));
	for (unsigned i = 0; i < SLOW_FRAMES; i++)
		cr_assert_eq(wire_capture_frame(slow_cap, frame, sizeof(frame)), 0,
			     "frame %u refused: the queue was full and the producer did not wait",
			     i);
	pthread_join(release, NULL);
	wire_capture_get_stats(slow_cap, &s);
	cr_expect_eq(s.dropped, 0);
	cr_expect_eq(wire_capture_close(slow_cap), 0);
	pthread_join(reader, NULL);
	unlink(fifo_path);
	/* pcap file header, then a 16-byte record header per frame */
	cr_expect_eq(atomic_load(&fifo_bytes), 24 + SLOW_FRAMES * (16ul + SLOW_LEN));
}
