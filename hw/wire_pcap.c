/* SPDX-License-Identifier: MIT */
/*
 * hw/wire_pcap.c - pcap files through libpcap: capture (a tap's writer
 * thread) and replay (frames loaded and validated up front, then sent by a
 * source wire).
 *
 * Capture producers can be anywhere, an ISR in a signal handler included,
 * so they only copy into a preallocated queue under a ke spin lock at
 * HIGH_LEVEL and kick an eventfd; libpcap and stdio run on the writer thread.
 */
#include "hw/wire.h"
#include "hw/wire_internal.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CAPTURE_SLOTS 256u

struct capture_slot {
	uint64_t ts_ns;
	uint32_t len;
	uint8_t data[WIRE_MAX_FRAME];
};

/*
 * Lock key: (S) @lock at HIGH_LEVEL  (c) constant after open  (a) atomic
 *           (w) writer thread. Slot @head is the writer's while @count > 0:
 * producers fill only slots outside [head, head + count).
 */
struct wire_capture {
	struct ke_spinlock lock;
	struct ke_machine *m;		       /* (c) */
	pcap_t *pd;			       /* (w) */
	pcap_dumper_t *dumper;		       /* (w) */
	int efd;			       /* (c) eventfd */
	pthread_t thread;		       /* (c) */
	unsigned head, count;		       /* (S) */
	bool closing;			       /* (S) */
	bool io_error;			       /* (w) */
	int io_errno;			       /* (w) the first write error */
	int64_t wall_offset_ns;		       /* (c) wall clock - engine clock at open */
	atomic_ulong queued, written, dropped; /* (a) */
	struct capture_slot slot[CAPTURE_SLOTS];
};

static void errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * How long a producer waits for the writer to free a slot before the frame
 * is dropped (counted; wire_capture_close() then fails): a capture is an
 * output, and an output loses nothing while its writer makes progress.
 */
#define CAPTURE_FULL_WAIT_NS (10ull * 1000000000ull)

static uint64_t capture_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* async-signal-safe */
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int wire_capture_frame(struct wire_capture *c, const void *frame, size_t len)
{
	/* Wall-clock time, as capture tools expect, advancing with the engine clock. */
	uint64_t one = 1, ts = (c->m ? ke_clock_ns(c->m) : 0) + (uint64_t)c->wall_offset_ns;
	uint64_t deadline = 0;
	ke_irql_t old;
	unsigned s;

	if (len == 0 || len > WIRE_MAX_FRAME)
		return -EINVAL;
	for (;;) {
		old = ke_irql_raise(KE_HIGH_LEVEL);
		ke_spin_acquire_raw(&c->lock);
		if (c->count < CAPTURE_SLOTS && !c->closing)
			break;
		ke_spin_release_raw(&c->lock);
		ke_irql_lower(old);
		/*
		 * Full: the writer thread (a host thread, never a vCPU) is behind.
		 * Wait for it, bounded; the raw syscall keeps ke/sim's yield
		 * interposition out of it.
		 */
		if (!c->closing) {
			uint64_t now = capture_now_ns();

			if (!deadline)
				deadline = now + CAPTURE_FULL_WAIT_NS;
			if (now < deadline) {
				sched_yield();
				continue;
			}
		}
		atomic_fetch_add_explicit(&c->dropped, 1, memory_order_relaxed);
		return -ENOBUFS;
	}
	s = (c->head + c->count) % CAPTURE_SLOTS;
	c->slot[s].ts_ns = ts;
	c->slot[s].len = (uint32_t)len;
	memcpy(c->slot[s].data, frame, len);
	c->count++;
	ke_spin_release_raw(&c->lock);
	ke_irql_lower(old);
	atomic_fetch_add_explicit(&c->queued, 1, memory_order_relaxed);
	/* write(2) is async-signal-safe; a full counter cannot happen here. */
	if (write(c->efd, &one, sizeof(one)) < 0)
		return 0;
	return 0;
}

/* Take the head slot if any. Return: it (the writer's until capture_pop()), or NULL. */
static struct capture_slot *capture_peek(struct wire_capture *c, bool *closing)
{
	struct capture_slot *s = NULL;
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&c->lock);
	if (c->count)
		s = &c->slot[c->head];
	*closing = c->closing;
	ke_spin_release_raw(&c->lock);
	ke_irql_lower(old);
	return s;
}

static void capture_pop(struct wire_capture *c)
{
	ke_irql_t old = ke_irql_raise(KE_HIGH_LEVEL);

	ke_spin_acquire_raw(&c->lock);
	c->head = (c->head + 1) % CAPTURE_SLOTS;
	c->count--;
	ke_spin_release_raw(&c->lock);
	ke_irql_lower(old);
}

static void *capture_main(void *arg)
{
	struct wire_capture *c = arg;
	uint64_t n;

	for (;;) {
		struct capture_slot *s;
		bool closing;

		while ((s = capture_peek(c, &closing)) != NULL) {
			struct pcap_pkthdr h = {
			    .ts = {.tv_sec = (time_t)(s->ts_ns / 1000000000ULL),
				   /* nanosecond pcap: the "usec" field holds ns */
				   .tv_usec = (suseconds_t)(s->ts_ns % 1000000000ULL)},
			    .caplen = s->len,
			    .len = s->len,
			};

			pcap_dump((u_char *)c->dumper, &h, s->data);
			/* A buffered write reports its failure through the stream. */
			if (!c->io_error && ferror(pcap_dump_file(c->dumper))) {
				c->io_error = true;
				c->io_errno = errno ? errno : EIO;
			}
			if (!c->io_error)
				atomic_fetch_add_explicit(&c->written, 1, memory_order_relaxed);
			capture_pop(c);
		}
		if (closing)
			break;
		if (read(c->efd, &n, sizeof(n)) < 0 && errno != EINTR)
			break;
	}
	/* What is buffered must reach the file: flush and sync, both checked
	 * (pcap_dump_close() reports nothing). A device or pipe cannot be
	 * synced (EINVAL, EROFS): its flush is the last word. */
	if (pcap_dump_flush(c->dumper) != 0 && !c->io_error) {
		c->io_error = true;
		c->io_errno = errno ? errno : EIO;
	}
	if (!c->io_error && fsync(fileno(pcap_dump_file(c->dumper))) != 0 && errno != EINVAL &&
	    errno != EROFS) {
		c->io_error = true;
		c->io_errno = errno;
	}
	return NULL;
}

struct wire_capture *wire_capture_open(struct ke_machine *m, const char *path, char *err,
				       size_t errlen)
{
	struct wire_capture *c = calloc(1, sizeof(*c));

	if (!c) {
		errf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	ke_spin_init(&c->lock);
	c->m = m;
	{
		struct timespec wall;

		clock_gettime(CLOCK_REALTIME, &wall);
		c->wall_offset_ns = (int64_t)wall.tv_sec * 1000000000LL + wall.tv_nsec -
				    (int64_t)(m ? ke_clock_ns(m) : 0);
	}
	c->pd = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	if (!c->pd) {
		errf(err, errlen, "%s: libpcap cannot create a capture handle", path);
		goto err_free;
	}
	c->dumper = pcap_dump_open(c->pd, path);
	if (!c->dumper) {
		errf(err, errlen, "%s: %s", path, pcap_geterr(c->pd));
		goto err_close_pd;
	}
	c->efd = eventfd(0, EFD_CLOEXEC);
	if (c->efd < 0) {
		errf(err, errlen, "%s: eventfd: %s", path, strerror(errno));
		goto err_close_dumper;
	}
	if (pthread_create(&c->thread, NULL, capture_main, c) != 0) {
		errf(err, errlen, "%s: cannot start the writer thread", path);
		goto err_close_efd;
	}
	return c;

err_close_efd:
	close(c->efd);
err_close_dumper:
	pcap_dump_close(c->dumper);
err_close_pd:
	pcap_close(c->pd);
err_free:
	free(c);
	return NULL;
}

int wire_capture_close(struct wire_capture *c)
{
	uint64_t one = 1;
	ke_irql_t old;
	int ret;

	if (!c)
		return 0;
	old = ke_irql_raise(KE_HIGH_LEVEL);
	ke_spin_acquire_raw(&c->lock);
	c->closing = true;
	ke_spin_release_raw(&c->lock);
	ke_irql_lower(old);
	if (write(c->efd, &one, sizeof(one)) < 0)
		c->io_error = true;
	pthread_join(c->thread, NULL);
	ret = c->io_error ? -(c->io_errno ? c->io_errno : EIO) : 0;
	if (!ret && atomic_load(&c->dropped))
		ret = -ENOBUFS;
	pcap_dump_close(c->dumper);
	pcap_close(c->pd);
	close(c->efd);
	free(c);
	return ret;
}

void wire_capture_get_stats(struct wire_capture *c, struct wire_capture_stats *out)
{
	out->queued = atomic_load(&c->queued);
	out->written = atomic_load(&c->written);
	out->dropped = atomic_load(&c->dropped);
}

/* ------------------------------------------------------------- loading */

void wire_pcap_frames_free(struct wire_pcap_frames *fr)
{
	for (size_t i = 0; fr->f && i < fr->n; i++)
		free(fr->f[i].data);
	free(fr->f);
	fr->f = NULL;
	fr->n = 0;
}

static int pcap_check_record(const struct pcap_pkthdr *h, const char *name, size_t rec, char *err,
			     size_t errlen)
{
	if (h->caplen != h->len) {
		errf(err, errlen,
		     "%s: record %zu: frame truncated by the capture (%u of %u bytes captured)",
		     name, rec, h->caplen, h->len);
		return -1;
	}
	if (h->len < WIRE_MIN_FRAME || h->len > WIRE_MAX_FRAME) {
		errf(err, errlen, "%s: record %zu: frame length %u outside %u..%u bytes", name, rec,
		     h->len, WIRE_MIN_FRAME, WIRE_MAX_FRAME);
		return -1;
	}
	return 0;
}

static int pcap_append(struct wire_pcap_frames *out, size_t *cap, const struct pcap_pkthdr *h,
		       const u_char *data)
{
	struct wire_pcap_frame *f;

	if (out->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct wire_pcap_frame *nf = realloc(out->f, ncap * sizeof(*nf));

		if (!nf)
			return -1;
		out->f = nf;
		*cap = ncap;
	}
	f = &out->f[out->n];
	f->data = malloc(h->caplen);
	if (!f->data)
		return -1;
	memcpy(f->data, data, h->caplen);
	f->len = h->caplen;
	f->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ULL + (uint64_t)h->ts.tv_usec;
	out->n++;
	return 0;
}

static int pcap_read_all(pcap_t *pd, const char *name, struct wire_pcap_frames *out, char *err,
			 size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t cap = 0, rec;
	int r;

	if (pcap_datalink(pd) != DLT_EN10MB) {
		errf(err, errlen, "%s: record 0 (file header): link type %d is not Ethernet", name,
		     pcap_datalink(pd));
		return -1;
	}
	for (rec = 1;; rec++) {
		r = pcap_next_ex(pd, &h, &data);
		if (r == PCAP_ERROR_BREAK)
			return 0;
		if (r != 1) {
			errf(err, errlen, "%s: record %zu: %s", name, rec, pcap_geterr(pd));
			return -1;
		}
		if (pcap_check_record(h, name, rec, err, errlen))
			return -1;
		if (pcap_append(out, &cap, h, data)) {
			errf(err, errlen, "%s: record %zu: out of memory", name, rec);
			return -1;
		}
	}
}

static int pcap_load_handle(pcap_t *pd, const char *name, const char *ebuf,
			    struct wire_pcap_frames *out, char *err, size_t errlen)
{
	int ret;

	out->n = 0;
	out->f = NULL;
	if (!pd) {
		errf(err, errlen, "%s: record 0 (file header): %s", name, ebuf);
		return -1;
	}
	ret = pcap_read_all(pd, name, out, err, errlen);
	pcap_close(pd);
	if (ret)
		wire_pcap_frames_free(out);
	return ret;
}

int wire_pcap_load(const char *path, struct wire_pcap_frames *out, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pd =
	    pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);

	return pcap_load_handle(pd, path, ebuf, out, err, errlen);
}

int wire_pcap_load_fp(FILE *fp, const char *name, struct wire_pcap_frames *out, char *err,
		      size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pd = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);

	/* On failure libpcap leaves the stream to us; on success pcap_close closes it. */
	if (!pd)
		fclose(fp);
	return pcap_load_handle(pd, name, ebuf, out, err, errlen);
}

/* -------------------------------------------------------------- replay */

struct wire_replay {
	struct wire_pcap_frames fr;
	struct wire_replay_config cfg;
	uint64_t interval_ns, span_ns;
};

static const uint8_t *wire_replay_next(struct wire_source *s, uint64_t i, size_t *len,
				       uint64_t *due_ns)
{
	struct wire_replay *r = wire_source_priv(s);
	uint64_t loop = i / r->fr.n;
	const struct wire_pcap_frame *f = &r->fr.f[i % r->fr.n];

	*len = f->len;
	if (r->cfg.use_timestamps)
		*due_ns = loop * r->span_ns + (f->ts_ns - r->fr.f[0].ts_ns);
	else
		*due_ns = r->interval_ns * i;
	return f->data;
}

static void wire_replay_destroy(struct wire_source *s)
{
	struct wire_replay *r = wire_source_priv(s);

	wire_pcap_frames_free(&r->fr);
	free(r);
}

static const struct wire_source_kind wire_replay_kind = {
    .frame = wire_replay_next,
    .destroy = wire_replay_destroy,
};

/* Timestamps must not go backwards for paced replay: checked with the file. */
static int replay_check_order(const struct wire_pcap_frames *fr, const char *path, char *err,
			      size_t errlen)
{
	for (size_t i = 1; i < fr->n; i++)
		if (fr->f[i].ts_ns < fr->f[0].ts_ns) {
			errf(err, errlen, "%s: record %zu: timestamp earlier than record 1", path,
			     i + 1);
			return -1;
		}
	return 0;
}

struct wire *wire_replay_create(struct ke_machine *m, const char *path,
				const struct wire_replay_config *cfg, char *err, size_t errlen)
{
	struct wire_replay_config dflt = {0};
	struct wire_source *s;
	struct wire_replay *r = calloc(1, sizeof(*r));

	if (!r) {
		errf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->cfg = cfg ? *cfg : dflt;
	if ((r->cfg.rate_pps || r->cfg.use_timestamps) && !m) {
		errf(err, errlen, "%s: paced replay needs a machine clock", path);
		goto err_free;
	}
	if (wire_pcap_load(path, &r->fr, err, errlen))
		goto err_free;
	if (r->fr.n == 0) {
		errf(err, errlen, "%s: record 1: the capture holds no frame", path);
		goto err_frames;
	}
	if (r->cfg.use_timestamps && replay_check_order(&r->fr, path, err, errlen))
		goto err_frames;
	r->interval_ns = r->cfg.rate_pps ? 1000000000ULL / r->cfg.rate_pps : 0;
	for (size_t i = 0; i < r->fr.n; i++)
		if (r->fr.f[i].ts_ns - r->fr.f[0].ts_ns > r->span_ns)
			r->span_ns = r->fr.f[i].ts_ns - r->fr.f[0].ts_ns;
	r->span_ns += 1000; /* the next loop starts 1 µs after the last frame */
	s = wire_source_create(m, &wire_replay_kind,
			       (uint64_t)r->fr.n * (r->cfg.loops ? r->cfg.loops : 1), r);
	if (!s) {
		errf(err, errlen, "%s: out of memory", path);
		goto err_frames;
	}
	return wire_source_wire(s);

err_frames:
	wire_pcap_frames_free(&r->fr);
err_free:
	free(r);
	return NULL;
}
