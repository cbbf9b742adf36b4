/* SPDX-License-Identifier: MIT */
/*
 * hw/wire_gen.c - source wires (a host thread sending paced frames) and the
 * traffic generator.
 *
 * Pacing uses the engine clock only: when the next frame is not yet due the
 * thread arms a ke host timer for its due time and blocks on a semaphore the
 * timer posts. Nothing here sleeps on the host clock.
 *
 * On a deterministic engine (sim) there is no thread: the pacing timer's
 * callback itself sends every frame that is due and re-arms for the next,
 * so the traffic is a sequence of events on the virtual clock, run by the
 * engine's scheduler on the machine's own host thread.
 */
#include "hw/wire.h"
#include "hw/wire_internal.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Lock key: (c) constant after start  (a) atomic  (M) @mu  (t) source thread */
struct wire_source {
	struct wire w;			     /* first: a struct wire * is a struct wire_source * */
	const struct wire_source_kind *kind; /* (c) */
	void *priv;			     /* (c) */
	uint64_t total;			     /* (c) */
	pthread_t thread;		     /* (c) */
	bool started;			     /* (c) */
	atomic_bool stop;		     /* (a) */
	atomic_ulong sent;		     /* (a) */
	atomic_ulong absorbed;		     /* (a) frames sent into the source by end 0 */
	sem_t wake;			     /* posted by the pacing timer and by stop */
	struct ke_host_timer timer;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done; /* (M) the thread has sent its last frame */
	/* Deterministic engine: the timer pumps (the scheduler's thread only). */
	bool pump;	     /* (c) */
	uint64_t t0, next;   /* first frame's time; next frame index */
	const uint8_t *held; /* a frame fetched, not yet due */
	size_t held_len;
	uint64_t held_due;
};

static int wire_source_absorb(void *ctx, const void *frame, size_t len)
{
	struct wire_source *s = ctx;

	(void)frame;
	(void)len;
	atomic_fetch_add_explicit(&s->absorbed, 1, memory_order_relaxed);
	return 0;
}

static void wire_source_tick(struct ke_host_timer *t, void *ctx)
{
	struct wire_source *s = ctx;

	(void)t;
	sem_post(&s->wake);
}

/* Wait on the engine clock until @due. Return: false if stopped meanwhile. */
static bool wire_source_wait_until(struct wire_source *s, uint64_t due)
{
	while (!atomic_load(&s->stop) && ke_clock_ns(s->w.m) < due) {
		ke_host_timer_arm(s->w.m, &s->timer, due);
		while (sem_wait(&s->wake) != 0 && errno == EINTR)
			;
	}
	return !atomic_load(&s->stop);
}

static void wire_source_finish(struct wire_source *s)
{
	pthread_mutex_lock(&s->mu);
	s->done = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* Deterministic engine: send what is due, then wait for the next frame's time. */
static void wire_source_pump(struct ke_host_timer *t, void *ctx)
{
	struct wire_source *s = ctx;

	(void)t;
	while (!atomic_load(&s->stop)) {
		if (!s->held) {
			if (s->next >= s->total)
				break;
			s->held_due = 0;
			s->held_len = 0;
			s->held = s->kind->frame(s, s->next, &s->held_len, &s->held_due);
		}
		if (s->held_due && s->t0 + s->held_due > ke_clock_ns(s->w.m)) {
			ke_host_timer_arm(s->w.m, &s->timer, s->t0 + s->held_due);
			return;
		}
		wire_deliver(&s->w, 1, s->held, s->held_len);
		atomic_fetch_add_explicit(&s->sent, 1, memory_order_release);
		s->held = NULL;
		s->next++;
	}
	wire_source_finish(s);
}

static void *wire_source_main(void *arg)
{
	struct wire_source *s = arg;
	uint64_t t0 = s->w.m ? ke_clock_ns(s->w.m) : 0;

	for (uint64_t i = 0; i < s->total && !atomic_load(&s->stop); i++) {
		uint64_t due = 0;
		size_t len = 0;
		const uint8_t *f = s->kind->frame(s, i, &len, &due);

		if (due && s->w.m && !wire_source_wait_until(s, t0 + due))
			break;
		wire_deliver(&s->w, 1, f, len);
		atomic_fetch_add_explicit(&s->sent, 1, memory_order_release);
	}
	wire_source_finish(s);
	return NULL;
}

static int wire_source_send(struct wire *w, unsigned end, const void *frame, size_t len)
{
	return wire_deliver(w, end, frame, len);
}

static void wire_source_close(struct wire *w)
{
	struct wire_source *s = (struct wire_source *)w;

	wire_source_stop(w);
	if (s->w.m)
		ke_host_timer_cancel(s->w.m, &s->timer);
	if (s->kind->destroy)
		s->kind->destroy(s);
	sem_destroy(&s->wake);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

static const struct wire_ops wire_source_ops = {
    .send = wire_source_send,
    .close = wire_source_close,
};

struct wire_source *wire_source_create(struct ke_machine *m, const struct wire_source_kind *kind,
				       uint64_t total, void *priv)
{
	struct wire_source *s = calloc(1, sizeof(*s));
	pthread_condattr_t ca;

	if (!s)
		return NULL;
	wire_init(&s->w, &wire_source_ops, m);
	s->kind = kind;
	s->priv = priv;
	s->total = total;
	sem_init(&s->wake, 0, 0);
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	ke_host_timer_init(&s->timer, wire_source_tick, s);
	wire_attach(&s->w, 1, wire_source_absorb, s);
	return s;
}

void *wire_source_priv(struct wire_source *s)
{
	return s->priv;
}

struct wire *wire_source_wire(struct wire_source *s)
{
	return &s->w;
}

int wire_source_start(struct wire *w)
{
	struct wire_source *s = (struct wire_source *)w;
	int err;

	if (w->ops != &wire_source_ops || s->started)
		return -EINVAL;
	if (s->w.m && ke_machine_deterministic(s->w.m)) {
		s->pump = true;
		s->t0 = ke_clock_ns(s->w.m);
		ke_host_timer_init(&s->timer, wire_source_pump, s);
		ke_host_timer_arm(s->w.m, &s->timer, s->t0);
		s->started = true;
		return 0;
	}
	err = pthread_create(&s->thread, NULL, wire_source_main, s);
	if (err)
		return -err;
	s->started = true;
	return 0;
}

int wire_source_wait(struct wire *w, unsigned timeout_ms)
{
	struct wire_source *s = (struct wire_source *)w;
	struct timespec until;
	int err = 0;

	if (w->ops != &wire_source_ops || !s->started)
		return -EINVAL;
	if (s->pump) {
		/* The timeout is on the engine clock; each yield runs the machine. */
		uint64_t end =
		    ke_clock_ns(s->w.m) + (uint64_t)(timeout_ms ? timeout_ms : 60000) * 1000000ull;

		while (!s->done && ke_clock_ns(s->w.m) < end)
			ke_yield();
		return s->done ? 0 : -ETIMEDOUT;
	}
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (timeout_ms ? timeout_ms : 60000) / 1000;
	until.tv_nsec += (long)((timeout_ms ? timeout_ms : 60000) % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->mu);
	while (!s->done && err == 0)
		err = pthread_cond_timedwait(&s->cv, &s->mu, &until);
	err = s->done ? 0 : -ETIMEDOUT;
	pthread_mutex_unlock(&s->mu);
	return err;
}

void wire_source_stop(struct wire *w)
{
	struct wire_source *s = (struct wire_source *)w;

	if (w->ops != &wire_source_ops || !s->started)
		return;
	atomic_store(&s->stop, true);
	if (s->pump) {
		ke_host_timer_cancel(s->w.m, &s->timer);
		s->started = false;
		return;
	}
	sem_post(&s->wake);
	pthread_join(s->thread, NULL);
	s->started = false;
}

uint64_t wire_source_sent(struct wire *w)
{
	struct wire_source *s = (struct wire_source *)w;

	return w->ops == &wire_source_ops ? atomic_load(&s->sent) : 0;
}

/* ------------------------------------------------------------ generator */

struct wire_gen {
	struct wire_gen_config cfg;
	uint64_t interval_ns;
	uint8_t buf[WIRE_MAX_FRAME]; /* (t) */
};

static void put16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071 one's-complement sum, folded to 16 bits by the caller. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t gen_header_len(const struct wire_gen_config *c)
{
	return 14 + (c->family == 6 ? 40 : 20) + (c->l4 == 6 ? 20 : 8);
}

static void gen_addrs(const struct wire_gen_config *c, unsigned f, uint8_t *src, uint8_t *dst)
{
	if (c->family == 4) {
		const uint8_t s4[4] = {10, (uint8_t)(f >> 8), (uint8_t)f, 1},
			      d4[4] = {192, 0, 2, 1};

		memcpy(src, s4, 4);
		memcpy(dst, d4, 4);
		return;
	}
	const uint8_t s6[16] = {
	    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, (uint8_t)(f >> 8), (uint8_t)f, 0, 1};
	const uint8_t d6[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

	memcpy(src, s6, 16);
	memcpy(dst, d6, 16);
}

/* The IP header at @ip for an L4 segment of @l4len bytes; returns its pseudo-header sum. */
static uint32_t gen_ip(const struct wire_gen_config *c, unsigned f, uint8_t *ip, size_t l4len)
{
	uint8_t pseudo[4] = {0, c->l4, (uint8_t)(l4len >> 8), (uint8_t)l4len};
	size_t alen = c->family == 4 ? 4 : 16;

	if (c->family == 4) {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16be(ip + 2, (uint16_t)(20 + l4len));
		ip[6] = 0x40; /* DF */
		ip[8] = 64;
		ip[9] = c->l4;
		gen_addrs(c, f, ip + 12, ip + 16);
		put16be(ip + 10, csum_fold(csum_add(0, ip, 20)));
		return csum_add(csum_add(0, ip + 12, 2 * alen), pseudo, 4);
	}
	memset(ip, 0, 40);
	ip[0] = 0x60;
	put16be(ip + 4, (uint16_t)l4len);
	ip[6] = c->l4;
	ip[7] = 64;
	gen_addrs(c, f, ip + 8, ip + 24);
	return csum_add(csum_add(0, ip + 8, 2 * alen), pseudo, 4);
}

static bool gen_config_ok(const struct wire_gen_config *c)
{
	return (c->family == 4 || c->family == 6) && (c->l4 == 6 || c->l4 == 17) && c->frames > 0;
}

/* The TCP or UDP header at @l4 (payload already in place), checksum last. */
static void gen_l4(const struct wire_gen_config *c, unsigned f, uint64_t i, uint8_t *l4,
		   size_t l4len, uint32_t pseudo_sum)
{
	uint16_t ck;

	memset(l4, 0, c->l4 == 6 ? 20 : 8);
	put16be(l4, (uint16_t)(1024 + f));
	put16be(l4 + 2, c->l4 == 6 ? 80 : 4791);
	if (c->l4 == 6) {
		put16be(l4 + 4, (uint16_t)(i >> 16));
		put16be(l4 + 6, (uint16_t)i);
		l4[12] = 5 << 4; /* data offset: 20 bytes */
		l4[13] = 0x18;	 /* PSH, ACK */
		put16be(l4 + 14, 65535);
		put16be(l4 + 16, csum_fold(csum_add(pseudo_sum, l4, l4len)));
		return;
	}
	put16be(l4 + 4, (uint16_t)l4len);
	ck = csum_fold(csum_add(pseudo_sum, l4, l4len));
	put16be(l4 + 6, ck ? ck : 0xFFFF); /* 0 means "no checksum" in UDP */
}

size_t wire_gen_frame(const struct wire_gen_config *c, uint64_t i, uint8_t *buf, size_t cap)
{
	static const uint8_t zero[6], bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t dflt_src[6] = {0x02, 0, 0, 0, 0, 0x01};
	size_t hl, len, l4len, iplen;
	unsigned f;
	uint8_t *ip, *l4;
	uint32_t sum;

	if (!gen_config_ok(c))
		return 0;
	hl = gen_header_len(c);
	len = c->size < hl + 8 ? hl + 8 : c->size;
	len = len > WIRE_MAX_FRAME ? WIRE_MAX_FRAME : len;
	if (cap < len)
		return 0;
	f = (unsigned)(i % (c->flows ? c->flows : 1));
	memcpy(buf, memcmp(c->dst_mac, zero, 6) ? c->dst_mac : bcast, 6);
	memcpy(buf + 6, memcmp(c->src_mac, zero, 6) ? c->src_mac : dflt_src, 6);
	put16be(buf + 12, c->family == 4 ? 0x0800 : 0x86DD);
	iplen = c->family == 4 ? 20 : 40;
	ip = buf + 14;
	l4 = ip + iplen;
	l4len = len - 14 - iplen;
	/* Payload: the frame index, then a pattern that depends on it. */
	for (size_t k = hl; k < len; k++)
		buf[k] = (uint8_t)(i + k);
	for (int k = 0; k < 8; k++)
		buf[hl + k] = (uint8_t)(i >> (56 - 8 * k));
	sum = gen_ip(c, f, ip, l4len);
	gen_l4(c, f, i, l4, l4len, sum);
	return len;
}

static const uint8_t *wire_gen_next(struct wire_source *s, uint64_t i, size_t *len,
				    uint64_t *due_ns)
{
	struct wire_gen *g = wire_source_priv(s);

	*len = wire_gen_frame(&g->cfg, i, g->buf, sizeof(g->buf));
	*due_ns = g->interval_ns * i;
	return g->buf;
}

static void wire_gen_destroy(struct wire_source *s)
{
	free(wire_source_priv(s));
}

static const struct wire_source_kind wire_gen_kind = {
    .frame = wire_gen_next,
    .destroy = wire_gen_destroy,
};

struct wire *wire_gen_create(struct ke_machine *m, const struct wire_gen_config *cfg)
{
	struct wire_source *s;
	struct wire_gen *g;

	if (!cfg || !gen_config_ok(cfg) || (cfg->rate_pps && !m)) {
		errno = EINVAL;
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->cfg = *cfg;
	g->interval_ns = cfg->rate_pps ? 1000000000ULL / cfg->rate_pps : 0;
	s = wire_source_create(m, &wire_gen_kind, cfg->frames, g);
	if (!s) {
		free(g);
		return NULL;
	}
	return wire_source_wire(s);
}
