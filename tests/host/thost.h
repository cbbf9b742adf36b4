/* SPDX-License-Identifier: MIT */
/*
 * tests/host/thost.h - a host with devices (made by model name through
 * hw/device.h, "vn1" unless a test says otherwise) and NICs of a loaded driver, and
 * the protocol-side sinks that record what the NICs indicate.
 *
 * The sinks run on vCPUs at DISPATCH_LEVEL inside the data path: they only
 * store into atomics and preallocated arrays. The test's main thread
 * asserts on those afterwards (tests/harness.h's rule).
 */
#ifndef NDISRT_TESTS_HOST_THOST_H
#define NDISRT_TESTS_HOST_THOST_H

#include "tests/harness.h"

#include <stdatomic.h>
#include <string.h>

#include "hw/dma.h"
#include "hw/intc.h"
#include "hw/rss.h"
#include "hw/device.h"
#include "hw/wire.h"
#include "ndisrt/host.h"
#include "ndisrt/ndis.h"

#ifndef NDISRT_DRIVER_DIR
#error "NDISRT_DRIVER_DIR: the build directory of drivers/ (vn1.so, vn1_line.so)"
#endif
#ifndef NDISRT_TDRV_DIR
#error "NDISRT_TDRV_DIR: the build directory of tests/host/drivers"
#endif

#define VN1_SO NDISRT_DRIVER_DIR "/vn1.so"
#define VN1_LINE_SO NDISRT_DRIVER_DIR "/vn1_line.so"
#define TDRV(name) NDISRT_TDRV_DIR "/tdrv_" name ".so"

#define REC_FRAMES 4096u     /* frames a test may index */
#define GEN_PAYLOAD_TCP4 54u /* wire_gen_frame: Ethernet + IPv4 + TCP headers */

/* What a NIC's rx sink saw. (a): atomics written on vCPUs. */
struct rxrec {
	atomic_ulong frames;		     /* (a) frames seen */
	atomic_ulong bad;		     /* (a) frames that failed a check */
	atomic_ulong max_in_call;	     /* (a) most NBLs in one indication */
	atomic_ulong per_vcpu[KE_MAX_VCPUS]; /* (a) */
	atomic_uint seen[REC_FRAMES];	     /* (a) times frame i arrived */
	atomic_uint vcpu[REC_FRAMES];	     /* (a) where frame i was indicated */
	atomic_uint hash[REC_FRAMES];	     /* (a) its NetBufferListHashValue */
	atomic_uint hinfo[REC_FRAMES];	     /* (a) its NetBufferListHashInfo */
	uint32_t expect_len;		     /* frames must have this length (0: any) */
};

/* What a NIC's status sink saw. */
struct strec {
	atomic_ulong count;
	atomic_ulong link_states; /* NDIS_STATUS_LINK_STATE indications */
	atomic_int last_connect;  /* its MediaConnectState */
	atomic_ullong last_speed;
};

struct th {
	struct ndisrt_host *h;
	struct ndisrt_driver *drv;
	struct hw_device *dev[2];
	struct intc_line *line[2];
	struct ndisrt_nic *nic[2];
	struct wire *w;
	struct rxrec rx[2];
	struct strec st[2];
	char err[256];
};

static const uint8_t th_mac[2][6] = {
    {0x02, 0x4e, 0x44, 0x00, 0x00, 0x01},
    {0x02, 0x4e, 0x44, 0x00, 0x00, 0x02},
};

static inline uint64_t th_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void th_rx_sink(void *ctx, struct ndisrt_nic *n, const struct ndisrt_rx_info *info,
		       const void *frame, size_t len)
{
	struct rxrec *r = ctx;
	const uint8_t *f = frame;
	unsigned long m = atomic_load(&r->max_in_call);

	(void)n;
	atomic_fetch_add(&r->frames, 1);
	if (info->vcpu < KE_MAX_VCPUS)
		atomic_fetch_add(&r->per_vcpu[info->vcpu], 1);
	while (info->nbls_in_call > m &&
	       !atomic_compare_exchange_weak(&r->max_in_call, &m, info->nbls_in_call))
		;
	if ((r->expect_len && len != r->expect_len) || len < GEN_PAYLOAD_TCP4 + 8) {
		atomic_fetch_add(&r->bad, 1);
		return;
	}
	uint64_t i = th_be64(f + GEN_PAYLOAD_TCP4);
	/* The rest of the payload is the generator's pattern: check the copy. */
	for (size_t k = GEN_PAYLOAD_TCP4 + 8; k < len; k++)
		if (f[k] != (uint8_t)(i + k)) {
			atomic_fetch_add(&r->bad, 1);
			return;
		}
	if (i >= REC_FRAMES)
		return; /* intact, beyond what a test indexes */
	atomic_store(&r->vcpu[i], info->vcpu);
	atomic_store(&r->hash[i], info->hash_value);
	atomic_store(&r->hinfo[i], info->hash_info);
	atomic_fetch_add(&r->seen[i], 1);
}

static void th_status_sink(void *ctx, struct ndisrt_nic *n, uint32_t code, const void *buf,
			   size_t len)
{
	struct strec *s = ctx;

	(void)n;
	atomic_fetch_add(&s->count, 1);
	if (code == 0x40010017u && len >= 24) { /* NDIS_STATUS_LINK_STATE, NDIS_LINK_STATE */
		const uint8_t *p = buf;
		int connect;
		uint64_t speed;

		memcpy(&connect, p + 4, sizeof(connect)); /* MediaConnectState */
		memcpy(&speed, p + 16, sizeof(speed));	  /* RcvLinkSpeed */
		atomic_store(&s->last_connect, connect);
		atomic_store(&s->last_speed, speed);
		atomic_fetch_add(&s->link_states, 1);
	}
}

static inline void th_init(struct th *t, unsigned vcpus)
{
	struct ndisrt_host_config hc = {.nr_vcpus = vcpus};

	memset(t, 0, sizeof(*t));
	t->h = ndisrt_host_create(&hc);
	cr_assert_not_null(t->h, "ndisrt_host_create");
}

static inline void th_load(struct th *t, const char *path)
{
	int rc = ndisrt_driver_load(t->h, path, &t->drv, t->err, sizeof(t->err));

	cr_assert_eq(rc, 0, "ndisrt_driver_load(%s): %s", path, t->err);
}

/*
 * Device @i of model @model with interrupts of @kind (@nr_msgs for MSI-X);
 * line mode gets a line of its own, or line 0 when @share_line.
 */
static inline struct hw_device *th_dev_model(struct th *t, const char *model, unsigned i,
					     enum hw_irq_kind kind, unsigned nr_msgs,
					     bool share_line)
{
	struct hw_device_params cfg = {
	    .machine = ndisrt_host_machine(t->h),
	    .dma = ndisrt_host_dma(t->h),
	    .mem_base = 0xF0000000ULL + 0x100000ULL * i,
	    .port_base = (uint16_t)(0xE000 + 0x20 * i),
	    .irq_kind = kind,
	    .nr_msgs = kind == HW_IRQ_MSIX ? nr_msgs : 1,
	};

	if (kind == HW_IRQ_LINE) {
		if (share_line && i > 0) {
			t->line[i] = NULL;
		} else {
			t->line[i] = intc_line_create(ndisrt_host_intc(t->h), 5, 0x1);
			cr_assert_not_null(t->line[i], "intc_line_create");
		}
		cfg.line_vector = (uint8_t)intc_line_vector(t->line[i] ? t->line[i] : t->line[0]);
	}
	memcpy(cfg.mac, th_mac[i], 6);
	t->dev[i] = hw_device_create(model, &cfg, t->err, sizeof(t->err));
	cr_assert_not_null(t->dev[i], "hw_device_create(%s): %s", model, t->err);
	return t->dev[i];
}

/* A VN-1 (the model the sample drivers are written for). */
static inline struct hw_device *th_dev(struct th *t, unsigned i, enum hw_irq_kind kind,
				       unsigned nr_msgs, bool share_line)
{
	return th_dev_model(t, "vn1", i, kind, nr_msgs, share_line);
}

/* Start NIC @i on dev @i with @irq, @msgs (MSI-X) and @max_nbls (0: default). */
static inline struct ndisrt_nic *th_nic(struct th *t, unsigned i, enum ndisrt_irq_mode irq,
					unsigned msgs, uint32_t max_nbls)
{
	struct ndisrt_nic_config cfg;
	int rc;

	ndisrt_nic_config_init(&cfg, t->dev[i]);
	cfg.irq = irq;
	cfg.msix_messages = msgs;
	cfg.line = t->line[i] ? t->line[i] : t->line[0];
	if (max_nbls)
		cfg.max_nbls = max_nbls;
	rc = ndisrt_nic_start(t->drv, &cfg, &t->nic[i], t->err, sizeof(t->err));
	cr_assert_eq(rc, 0, "ndisrt_nic_start: %s", t->err);
	ndisrt_nic_set_rx_sink(t->nic[i], th_rx_sink, &t->rx[i]);
	ndisrt_nic_set_status_sink(t->nic[i], th_status_sink, &t->st[i]);
	return t->nic[i];
}

/* Two VN-1s back to back, both with NICs of the loaded driver. */
static inline void th_pair(struct th *t, enum hw_irq_kind kind, enum ndisrt_irq_mode irq,
			   unsigned msgs, uint32_t max_nbls, bool share_line)
{
	t->w = wire_pair_create(ndisrt_host_machine(t->h));
	cr_assert_not_null(t->w);
	for (unsigned i = 0; i < 2; i++) {
		th_dev(t, i, kind, kind == HW_IRQ_MSIX ? 16 : 0, share_line);
		cr_assert_eq(hw_dev_wire_attach(t->dev[i], t->w, i), 0);
	}
	for (unsigned i = 0; i < 2; i++)
		th_nic(t, i, irq, msgs, max_nbls);
}

/* Frames of a TCP/IPv4 generator config: frame i carries i in its payload. */
static inline size_t th_frame(const struct wire_gen_config *g, uint64_t i, uint8_t *buf)
{
	size_t len = wire_gen_frame(g, i, buf, 2048);

	cr_assert_gt(len, 0, "wire_gen_frame");
	return len;
}

static inline struct wire_gen_config th_gen(unsigned size, unsigned flows)
{
	struct wire_gen_config g = {
	    .frames = 1, .size = size, .flows = flows, .family = 4, .l4 = 6};

	return g;
}

/* Drops of every kind a device counted on receive. */
static inline uint64_t th_rx_drops(struct hw_device *dev)
{
	return hw_device_stat(dev, "rx_offered", NULL) - hw_device_stat(dev, "rx_accepted", NULL);
}

/*
 * Send frames [first, first + count) from NIC @from (on vCPU @vcpu) in
 * batches of @batch, waiting for each batch's sends to complete.
 */
static inline void th_send(struct th *t, unsigned from, unsigned vcpu,
			   const struct wire_gen_config *g, unsigned first, unsigned count,
			   unsigned batch)
{
	static uint8_t bufs[64][2048];
	const void *frames[64];
	size_t lens[64];
	struct ndisrt_nic_stats s;
	uint64_t target;

	cr_assert_leq(batch, 64);
	ndisrt_nic_get_stats(t->nic[from], &s);
	target = s.send_completed + s.send_failed;
	for (unsigned done = 0; done < count;) {
		unsigned k = count - done < batch ? count - done : batch;

		for (unsigned j = 0; j < k; j++) {
			lens[j] = th_frame(g, first + done + j, bufs[j]);
			frames[j] = bufs[j];
		}
		cr_assert_eq(ndisrt_nic_send(t->nic[from], vcpu, frames, lens, k), k,
			     "ndisrt_nic_send handed fewer frames than asked");
		target += k;
		WAIT_UNTIL((ndisrt_nic_get_stats(t->nic[from], &s),
			    s.send_completed + s.send_failed >= target));
		done += k;
	}
}

/* Halt NICs, unload, free devices, wire and lines, and check the machine is quiet. */
static inline void th_fini(struct th *t)
{
	for (unsigned i = 0; i < 2; i++)
		if (t->nic[i])
			ndisrt_nic_halt(t->nic[i]);
	if (t->drv)
		ndisrt_driver_unload(t->drv);
	for (unsigned i = 0; i < 2; i++)
		hw_device_free(t->dev[i]);
	wire_close(t->w);
	for (unsigned i = 0; i < 2; i++)
		if (t->line[i])
			intc_line_free(t->line[i]);
	cr_assert_eq(ke_machine_quiesce(ndisrt_host_machine(t->h), 30000), 0,
		     "machine did not go quiet");
	ndisrt_host_free(t->h);
}

#endif /* NDISRT_TESTS_HOST_THOST_H */
