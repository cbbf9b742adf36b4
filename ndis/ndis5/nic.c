/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis5/nic.c - the NDIS 5 NIC kind (struct host_nic_kind): <ndisrt/host.h>
 * for NDIS 5 miniports, on top of the NDIS 5 layer's own host functions
 * (ndis/ndis5/host.h), so that one ndisrt_driver_load() / ndisrt_nic_*()
 * sequence runs an NDIS 5 or an NDIS 6 driver (docs/ndis5.md).
 *
 * A driver is NDIS 5 when its DriverEntry registered through
 * NdisMInitializeWrapper + NdisMRegisterMiniport (with the DriverObject
 * ndisrt passed it) instead of NdisMRegisterMiniportDriver. Its NICs are
 * struct ndisrt_nic shells: the host.h functions reach this file through
 * the shell's kind (host_nic_ndis5), and only the fields the shell sets (magic, d, h, a, handle,
 * dev, res, cfg, nr_vcpus, src, the sinks, the link state, attrs) mean
 * anything. The shells are not in host_nics[] (nothing of the NDIS 6 data
 * path may find them); this file keeps its own list for unloading.
 *
 * What an NDIS 5 NIC does not have: message interrupts (NdisMRegisterInterrupt
 * takes a line: a start with --irq msi/msix fails with a one-line error),
 * RSS, pause/restart (NDIS 5 has neither: both succeed doing nothing),
 * NBLs (frames are copied at indication; nothing is outstanding).
 */
#include "ndis/host_internal.h"
#include "ndis/ndis5/internal.h"
#include "ndis/oid_answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void host_ndis5_nic_halt(struct ndisrt_nic *n);

/* The NDIS 5 NIC shells of every loaded driver (a slot is NULL when free). */
static _Atomic(struct ndisrt_nic *) ndis5_nics[HOST_MAX_NICS];

/**
 * host_ndis5_attach() - After DriverEntry: did it register an NDIS 5
 * miniport (with @d's DriverObject)? Then @d runs it.
 * Context: host thread. Return: true if @d is now an NDIS 5 driver.
 */
bool host_ndis5_attach(struct ndisrt_driver *d)
{
	d->ndis5 = ndisrt_ndis5_driver_find(&d->obj);
	return d->ndis5 != NULL;
}

/**
 * host_ndis5_driver_unload() - Halt @d's NICs still started, then free its
 * wrapper (NDIS 5 has no unload handler to call). Context: host thread.
 */
static void host_ndis5_driver_unload(struct ndisrt_driver *d)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *n = atomic_load(&ndis5_nics[i]);

		if (n && n->d == d)
			host_ndis5_nic_halt(n);
	}
	ndisrt_ndis5_driver_forget(&d->obj);
	d->ndis5 = NULL;
}

/* ------------------------------------------------------------- sinks */

/* Every frame NdisMEthIndicateReceive delivers: to the host's rx sink, one frame per call. */
static void rx_bridge(void *ctx, struct ndisrt_ndis5_nic *l, unsigned vcpu, const void *frame,
		      size_t len)
{
	struct ndisrt_nic *n = ctx;
	ndisrt_rx_fn *fn = atomic_load(&n->rx_fn);
	struct ndisrt_rx_info info = {.vcpu = vcpu, .nbls_in_call = 1};

	(void)l;
	if (fn)
		fn(atomic_load(&n->rx_ctx), n, &info, frame, len);
}

/* NdisMIndicateStatus: link changes update the NIC's link state, then the host's sink. */
static void status_bridge(void *ctx, struct ndisrt_ndis5_nic *l, uint32_t status, const void *buf,
			  size_t len)
{
	struct ndisrt_nic *n = ctx;
	ndisrt_status_fn *fn = atomic_load(&n->status_fn);

	(void)l;
	if (status == (uint32_t)NDIS_STATUS_MEDIA_CONNECT)
		atomic_store(&n->link_connect, MediaConnectStateConnected);
	else if (status == (uint32_t)NDIS_STATUS_MEDIA_DISCONNECT)
		atomic_store(&n->link_connect, MediaConnectStateDisconnected);
	if (fn)
		fn(atomic_load(&n->status_ctx), n, status, buf, len);
}

/** host_ndis5_set_rx_sink() - ndisrt_nic_set_rx_sink(): where rx_bridge() delivers. */
static void host_ndis5_set_rx_sink(struct ndisrt_nic *n, ndisrt_rx_fn *fn, void *ctx)
{
	/* Context first: an indication that sees @fn sees its context. */
	atomic_store(&n->rx_ctx, ctx);
	atomic_store(&n->rx_fn, fn);
}

/** host_ndis5_set_status_sink() - ndisrt_nic_set_status_sink() for status_bridge(). */
static void host_ndis5_set_status_sink(struct ndisrt_nic *n, ndisrt_status_fn *fn, void *ctx)
{
	atomic_store(&n->status_ctx, ctx);
	atomic_store(&n->status_fn, fn);
}

/* ------------------------------------------------------------ start */

/*
 * Ask @oid into @buf and decode the answer (ndis/oid_answer.h): nothing the
 * driver says about BytesWritten is trusted beyond the buffer.
 */
static struct ndisrt_oid_answer query(struct ndisrt_nic *n, uint32_t oid, void *buf, uint32_t len)
{
	struct ndisrt_oid_answer a = {.oid = oid, .buf = buf, .buf_len = len};

	a.status = ndisrt_ndis5_nic_query(n->ndis5, oid, buf, len, &a.written);
	return a;
}

static ULONG query_ulong(struct ndisrt_nic *n, uint32_t oid, ULONG dflt)
{
	ULONG v = 0;
	uint32_t out;
	struct ndisrt_oid_answer a = query(n, oid, &v, sizeof(v));

	return ndisrt_oid_answer_ulong(&a, &out) == NDISRT_OID_OK ? out : dflt;
}

static void query_mac(struct ndisrt_nic *n, uint32_t oid, uint8_t mac[6])
{
	uint8_t buf[6] = {0};
	struct ndisrt_oid_answer a = query(n, oid, buf, sizeof(buf));

	if (ndisrt_oid_answer_mac(&a, mac) != NDISRT_OID_OK)
		memset(mac, 0, 6);
}

/*
 * What NDIS 6 reports in the general attributes, asked of the NDIS 5
 * miniport with the OIDs NDIS 5 had. Context: host thread, after start.
 */
static void read_attributes(struct ndisrt_nic *n)
{
	struct ndisrt_nic_attributes *at = &n->attrs;
	const struct ndisrt_ndis5_nic *l = n->ndis5;
	uint8_t oids[1024];
	struct ndisrt_oid_answer a;
	uint32_t count;
	ULONG state;

	memset(at, 0, sizeof(*at));
	query_mac(n, OID_802_3_PERMANENT_ADDRESS, at->permanent_mac);
	query_mac(n, OID_802_3_CURRENT_ADDRESS, at->current_mac);
	at->mtu = query_ulong(n, OID_GEN_MAXIMUM_FRAME_SIZE, 0);
	at->lookahead = query_ulong(n, OID_GEN_MAXIMUM_LOOKAHEAD, 0);
	at->media_type = NdisMedium802_3;
	at->max_multicast = query_ulong(n, OID_802_3_MAXIMUM_LIST_SIZE, 0);
	/* OID_GEN_LINK_SPEED counts units of 100 bps. */
	at->max_link_speed = (uint64_t)query_ulong(n, OID_GEN_LINK_SPEED, 0) * 100u;
	state = query_ulong(n, OID_GEN_MEDIA_CONNECT_STATUS, NdisMediaStateDisconnected);
	at->media_connect_state = state == NdisMediaStateConnected ? MediaConnectStateConnected
								   : MediaConnectStateDisconnected;
	a = query(n, OID_GEN_SUPPORTED_LIST, oids, sizeof(oids));
	if (ndisrt_oid_answer_oid_list(&a, &count) == NDISRT_OID_OK)
		at->supported_oids = count;
	at->attribute_flags =
	    NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE |
	    ((l->attribute_flags & NDIS_ATTRIBUTE_BUS_MASTER) ? NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER
							      : 0);
	atomic_store(&n->link_connect, at->media_connect_state);
	atomic_store(&n->link_speed, at->max_link_speed);
}

/* Undo the shell: the device's pin released, off the list, freed. */
static void shell_free(struct ndisrt_nic *n)
{
	hw_dev_set_sink(n->dev, n->caller_sink);
	intc_source_set(&n->src, false);
	vfy_regs_detach(n->dev);
	host_nic_slot_remove(ndis5_nics, n);
	pthread_mutex_destroy(&n->oid_lock);
	n->magic = 0;
	free(n);
}

/**
 * host_ndis5_nic_start() - ndisrt_nic_start() for an NDIS 5 driver: the
 * device's INTx pin on @cfg->line, then MiniportInitialize at PASSIVE_LEVEL
 * on vCPU 0 (medium array {NdisMedium802_3}), then the attributes read
 * back with OID queries.
 * Context: host thread.
 * Return: 0; or -1 with one line in @err naming the driver and the cause
 * (message interrupts asked for, no line, initialize failed with ...).
 */
static int host_ndis5_nic_start(struct ndisrt_driver *d, const struct ndisrt_nic_config *cfg,
				struct ndisrt_nic **out, char *err, size_t errlen)
{
	struct ndisrt_ndis5_nic_config lc = {0};
	struct ndisrt_nic *n;
	char why[200];

	*out = NULL;
	if (cfg->irq != NDISRT_IRQ_LINE || !cfg->line) {
		snprintf(err, errlen,
			 "%s: an NDIS 5 miniport takes a line-based interrupt only "
			 "(NdisMRegisterInterrupt), and the NIC was configured for %s",
			 d->path,
			 cfg->irq == NDISRT_IRQ_LINE  ? "a line but given none"
			 : cfg->irq == NDISRT_IRQ_MSI ? "MSI"
						      : "MSI-X");
		return -1;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		snprintf(err, errlen, "%s: out of memory", d->path);
		return -1;
	}
	n->magic = HOST_NIC_MAGIC;
	n->kind = &host_nic_ndis5;
	n->d = d;
	n->h = d->h;
	n->dev = cfg->dev;
	n->cfg = *cfg;
	n->nr_vcpus = d->h->nr_vcpus;
	pthread_mutex_init(&n->oid_lock, NULL);
	hw_dev_resources(cfg->dev, &n->res);
	if (n->res.irq_kind != HW_IRQ_LINE) {
		snprintf(err, errlen,
			 "%s: the %s offers message interrupts, an NDIS 5 miniport "
			 "needs its INTx line",
			 d->path, host_device_name(cfg->dev));
		pthread_mutex_destroy(&n->oid_lock);
		free(n);
		return -1;
	}
	if (!host_nic_slot_add(ndis5_nics, n)) {
		snprintf(err, errlen, "%s: too many NICs (%u)", d->path, HOST_MAX_NICS);
		pthread_mutex_destroy(&n->oid_lock);
		free(n);
		return -1;
	}
	intc_source_init(&n->src, d->h->ic, cfg->line);
	n->caller_sink = hw_dev_sink(cfg->dev);
	hw_dev_set_sink(cfg->dev, intc_source_sink(&n->src));
	/* ISR-shared registers (S5): learnt from now on, judged after initialize. */
	(void)vfy_regs_attach(cfg->dev);
	lc.m = d->h->m;
	lc.line = cfg->line;
	lc.dev = cfg->dev;
	lc.dma = d->h->dma;
	lc.vcpu = 0;
	lc.param_nic = cfg->param_nic;
	lc.pin = &n->src;
	if (ndisrt_ndis5_nic_start(d->ndis5, &lc, &n->ndis5, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", d->path, why);
		shell_free(n);
		return -1;
	}
	n->a = ndisrt_ndis5_nic_adapter(n->ndis5);
	n->handle = ndisrt_adapter_handle(n->a);
	n->context = ndisrt_ndis5_nic_context(n->ndis5);
	ndisrt_ndis5_nic_set_rx_sink(n->ndis5, rx_bridge, n);
	ndisrt_ndis5_nic_set_status_sink(n->ndis5, status_bridge, n);
	read_attributes(n);
	atomic_fetch_add(&d->nics, 1);
	vfy_regs_set_live(n->dev, true);
	*out = n;
	return 0;
}

/** host_ndis5_nic_halt() - MiniportHalt (ndisrt_ndis5_nic_halt), then free the shell. */
static void host_ndis5_nic_halt(struct ndisrt_nic *n)
{
	vfy_regs_set_live(n->dev, false); /* halt may touch registers freely (S5) */
	ndisrt_ndis5_nic_halt(n->ndis5);
	n->ndis5 = NULL;
	atomic_fetch_sub(&n->d->nics, 1);
	shell_free(n);
}

/* ------------------------------------------------------------ traffic */

/**
 * host_ndis5_send() - ndisrt_nic_send(): MiniportSend[Packets] at
 * DISPATCH_LEVEL on vCPU @vcpu, one NDIS_PACKET per frame.
 * Return: frames handed to the miniport (0 for a vCPU that does not exist).
 */
static unsigned host_ndis5_send(struct ndisrt_nic *n, unsigned vcpu, const void *const *frames,
				const size_t *lens, unsigned count)
{
	if (!count || vcpu >= n->nr_vcpus)
		return 0;
	return ndisrt_ndis5_nic_send(n->ndis5, vcpu, frames, lens, count);
}

/*
 * The NDIS 6 statistics from the NDIS 5 ones: each NdisMEthIndicateReceive
 * is one indication of one frame, copied by the host at once, so "returned"
 * equals "indicated" and nothing is outstanding.
 */
static void host_ndis5_get_stats(struct ndisrt_nic *n, struct ndisrt_nic_stats *out)
{
	struct ndisrt_ndis5_stats s;

	ndisrt_ndis5_nic_get_stats(n->ndis5, &s);
	memset(out, 0, sizeof(*out));
	out->sent = s.sent;
	out->send_completed = s.send_completed;
	out->send_failed = s.send_failed;
	out->indicated = s.indicated;
	out->indications = s.indicated;
	out->returned = s.indicated;
	out->max_nbls_one_dpc = s.indicated ? 1 : 0;
	out->status_indications = s.status_indications;
	out->rx_bytes = s.rx_bytes;
}

/** host_ndis5_outstanding() - Always 0: indicated frames are copied, never held. */
static uint64_t host_ndis5_outstanding(struct ndisrt_nic *n)
{
	(void)n;
	return 0;
}

/**
 * host_ndis5_oid() - ndisrt_nic_oid() for an NDIS 5 NIC:
 * MiniportSetInformation / MiniportQueryInformation at DISPATCH_LEVEL on
 * vCPU 0 (holding the miniport lock when serialized), a pended request
 * waited for (30 s bound, then bug check 0xC4 COMPLETION_TIMEOUT).
 * BytesNeeded is not reported (*@needed = 0).
 */
static uint32_t host_ndis5_oid(struct ndisrt_nic *n, bool set, uint32_t oid, void *buf,
			       uint32_t len, uint32_t *bytes, uint32_t *needed)
{
	uint32_t status, done = 0;

	pthread_mutex_lock(&n->oid_lock);
	status = set ? ndisrt_ndis5_nic_set(n->ndis5, oid, buf, len, &done)
		     : ndisrt_ndis5_nic_query(n->ndis5, oid, buf, len, &done);
	pthread_mutex_unlock(&n->oid_lock);
	if (bytes)
		*bytes = done;
	if (needed)
		*needed = 0;
	return status;
}

/** host_ndis5_get_attributes() - What read_attributes() learnt at start. */
static void host_ndis5_get_attributes(struct ndisrt_nic *n, struct ndisrt_nic_attributes *out)
{
	*out = n->attrs;
}

/**
 * host_ndis5_link_up() - The link as OID_GEN_MEDIA_CONNECT_STATUS said at
 * start and NDIS_STATUS_MEDIA_(DIS)CONNECT indications said since.
 */
static bool host_ndis5_link_up(struct ndisrt_nic *n, uint64_t *speed)
{
	if (speed)
		*speed = atomic_load(&n->link_speed);
	return atomic_load(&n->link_connect) == MediaConnectStateConnected;
}

/* NDIS 5 has no pause and no restart: both succeed doing nothing. */
static uint32_t host_ndis5_pause_restart(struct ndisrt_nic *n)
{
	(void)n;
	return NDIS_STATUS_SUCCESS;
}

/* NDIS 5 frames are copied at indication: nothing to hold. */
static void host_ndis5_hold_returns(struct ndisrt_nic *n, bool hold)
{
	(void)n;
	(void)hold;
}

static void host_ndis5_driver_version(const struct ndisrt_driver *d, unsigned *major,
				      unsigned *minor)
{
	ndisrt_ndis5_driver_version(d->ndis5, major, minor);
}

const struct host_nic_kind host_nic_ndis5 = {
    .name = "NDIS 5",
    .start = host_ndis5_nic_start,
    .halt = host_ndis5_nic_halt,
    .pause = host_ndis5_pause_restart,
    .restart = host_ndis5_pause_restart,
    .set_rx_sink = host_ndis5_set_rx_sink,
    .set_status_sink = host_ndis5_set_status_sink,
    .send = host_ndis5_send,
    .oid = host_ndis5_oid,
    .get_stats = host_ndis5_get_stats,
    .outstanding = host_ndis5_outstanding,
    .hold_returns = host_ndis5_hold_returns,
    .get_attributes = host_ndis5_get_attributes,
    .link_up = host_ndis5_link_up,
    .driver_version = host_ndis5_driver_version,
    .driver_unload = host_ndis5_driver_unload,
};
