/* SPDX-License-Identifier: MIT */
/*
 * hw/wire.h - what a VN-1's port is plugged into.
 *
 * A wire has two ends. Whatever is plugged into an end registers a receive
 * function there; wire_send() from one end carries a frame to the other.
 * Kinds:
 *  - pair: two devices back to back;
 *  - generator: a host thread sends synthetic Ethernet/IPv4|IPv6/TCP|UDP
 *    frames into end 0 (paced on the engine clock); frames sent into it
 *    from end 0 are absorbed and counted;
 *  - replay: like the generator, with the frames of a pcap file;
 *  - any wire can carry a capture tap that writes every frame crossing it
 *    (both directions) to a pcap file from its own host thread.
 *
 * Conservation: for each direction, offered == delivered + dropped, at every
 * moment no send is in progress. A receiver's refusal (a device dropping the
 * frame) counts as dropped here and is counted by the device by reason.
 */
#ifndef NDISRT_HW_WIRE_H
#define NDISRT_HW_WIRE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ke/ke.h"

#define WIRE_MAX_FRAME 16384u
#define WIRE_MIN_FRAME 14u

struct wire;
struct wire_capture;

/* Return: 0 if the receiver took the frame, negative if it dropped it. */
typedef int wire_rx_fn(void *ctx, const void *frame, size_t len);

/*
 * Obligations of an implementation:
 *  - send: callable from any thread at any IRQL, including a signal handler,
 *    with no lock held by the caller that a receiver could need; accounts
 *    the frame as exactly one of delivered or dropped; never blocks.
 *  - close: host thread; stops the wire's threads, flushes its tap, frees.
 */
struct wire_ops {
	int (*send)(struct wire *w, unsigned end, const void *frame, size_t len);
	void (*close)(struct wire *w);
};

struct wire_dir_stats {
	uint64_t offered;   /* frames sent from this end */
	uint64_t delivered; /* taken by the far end's receiver */
	uint64_t dropped;   /* no receiver, or it refused */
};

/* Lock key: (c) constant while frames flow  (a) atomic */
struct wire {
	const struct wire_ops *ops; /* (c) */
	struct ke_machine *m;	    /* (c) clock for capture timestamps; may be NULL */
	struct {
		wire_rx_fn *rx; /* (c) */
		void *ctx;	/* (c) */
	} ep[2];
	struct wire_capture *tap;			   /* (c) */
	atomic_ulong offered[2], delivered[2], dropped[2]; /* (a) by sending end */
};

/** wire_attach() - Register @rx at end @end (NULL: unplug). Context: host thread, quiet wire. */
void wire_attach(struct wire *w, unsigned end, wire_rx_fn *rx, void *ctx);

/** wire_send() - Send a frame from end @end. Return: 0 delivered, negative dropped. */
int wire_send(struct wire *w, unsigned end, const void *frame, size_t len);

/** wire_close() - Stop and free any kind of wire (NULL: nothing). Context: host thread. */
void wire_close(struct wire *w);

void wire_get_stats(struct wire *w, unsigned end, struct wire_dir_stats *out);

/** wire_tap() - Copy every frame crossing @w into @cap (NULL: none). Context: quiet wire. */
void wire_tap(struct wire *w, struct wire_capture *cap);

/* ---------------------------------------------------------------- pair */

/** wire_pair_create() - A back-to-back cable. @m: clock for a tap (may be NULL). */
struct wire *wire_pair_create(struct ke_machine *m);

/* ---------------------------------------------------- generator, replay */

struct wire_gen_config {
	uint64_t frames;    /* how many to send: 1.. (bounded by design) */
	uint64_t rate_pps;  /* frames per second on the engine clock; 0: back to back */
	unsigned size;	    /* frame length in bytes, headers included (clamped to fit) */
	unsigned flows;	    /* distinct flows, sent round-robin (0 means 1) */
	int family;	    /* 4 or 6 */
	uint8_t l4;	    /* 6 (TCP) or 17 (UDP) */
	uint8_t dst_mac[6]; /* all zero: broadcast */
	uint8_t src_mac[6]; /* all zero: 02:00:00:00:00:01 */
};

/*
 * wire_gen_frame() - Build frame @i of @cfg into @buf: Ethernet, IPv4 or
 * IPv6 with correct lengths and checksums, TCP or UDP with a correct
 * checksum, payload starting with @i (big-endian, 8 bytes).
 * Flow f = @i mod flows has source address 10.0.f/16 style (IPv4
 * 10.(f>>8).(f&255).1 -> 192.0.2.1; IPv6 2001:db8::f:1 -> 2001:db8:ffff::1),
 * source port 1024 + f, destination port 80 (TCP) / 4791 (UDP).
 * Return: the frame length, or 0 if @cfg is invalid or @cap too small.
 */
size_t wire_gen_frame(const struct wire_gen_config *cfg, uint64_t i, uint8_t *buf, size_t cap);

/**
 * wire_gen_create() - A generator wire (not started).
 * Context: host thread. Return: NULL with errno EINVAL for a bad config.
 */
struct wire *wire_gen_create(struct ke_machine *m, const struct wire_gen_config *cfg);

struct wire_replay_config {
	uint64_t rate_pps;   /* 0 with !use_timestamps: back to back */
	bool use_timestamps; /* pace by the capture's own timestamps */
	unsigned loops;	     /* times through the file (0 means 1) */
};

/*
 * Frames of a pcap file, loaded and validated before anything is sent.
 * Each frame is WIRE_MIN_FRAME..WIRE_MAX_FRAME bytes and complete
 * (captured length == original length); the link type is Ethernet.
 */
struct wire_pcap_frame {
	uint64_t ts_ns;
	uint32_t len;
	uint8_t *data;
};

struct wire_pcap_frames {
	size_t n;
	struct wire_pcap_frame *f;
};

/**
 * wire_pcap_load() - Read every record of @path.
 * @err: on failure, one line naming the file and the record number (1-based;
 *	0 for the file header), e.g. "x.pcap: record 3: truncated ...".
 * Context: host thread. Return: 0, or -1 with @err filled in.
 */
int wire_pcap_load(const char *path, struct wire_pcap_frames *out, char *err, size_t errlen);
/* The same from an open stream (taken over and closed); @name is used in errors. */
int wire_pcap_load_fp(FILE *fp, const char *name, struct wire_pcap_frames *out, char *err,
		      size_t errlen);
void wire_pcap_frames_free(struct wire_pcap_frames *fr);

/**
 * wire_replay_create() - A wire that replays @path into end 0.
 * Return: NULL with @err filled in (file, record number, what is wrong).
 */
struct wire *wire_replay_create(struct ke_machine *m, const char *path,
				const struct wire_replay_config *cfg, char *err, size_t errlen);

/*
 * Generator and replay wires: a host thread sends into end 0. Start it,
 * wait for it with a bound, or stop it early; close joins it.
 */
int wire_source_start(struct wire *w);
/* Return: 0 when every frame was sent; -ETIMEDOUT after @timeout_ms (0: 60 s). */
int wire_source_wait(struct wire *w, unsigned timeout_ms);
void wire_source_stop(struct wire *w);
uint64_t wire_source_sent(struct wire *w);

/* -------------------------------------------------------------- capture */

struct wire_capture_stats {
	uint64_t queued;  /* frames handed to the capture */
	uint64_t written; /* records written to the file */
	uint64_t dropped; /* refused: the queue stayed full for the producer's whole wait */
};

/**
 * wire_capture_open() - Start writing a pcap file (Ethernet, nanosecond
 * timestamps): wall-clock time, as capture tools expect, taken when the
 * file is opened and advanced by the engine clock of @m (not at all if @m
 * is NULL), so that the gaps between frames are the engine's.
 * Context: host thread. Starts the writer thread.
 * Return: NULL with @err filled in.
 */
struct wire_capture *wire_capture_open(struct ke_machine *m, const char *path, char *err,
				       size_t errlen);

/**
 * wire_capture_frame() - Queue a frame for the file.
 * Context: any thread, any IRQL, signal handlers included: copies into a
 * preallocated queue under a spin lock at HIGH_LEVEL and wakes the writer
 * thread with an eventfd write; the file is written only on that thread.
 * Return: 0, or -ENOBUFS if the queue is full (counted) or -EINVAL.
 */
int wire_capture_frame(struct wire_capture *c, const void *frame, size_t len);

/**
 * wire_capture_close() - Write what is queued, flush and sync it, close the file.
 * Return: 0, the negative errno of the first write, flush or sync that failed,
 * or -ENOBUFS if frames were dropped (the writer fell behind by more than a
 * producer's bounded wait for a free slot): the file is complete only on 0.
 */
int wire_capture_close(struct wire_capture *c);
void wire_capture_get_stats(struct wire_capture *c, struct wire_capture_stats *out);

#endif /* NDISRT_HW_WIRE_H */
