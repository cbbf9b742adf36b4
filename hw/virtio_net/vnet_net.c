/* SPDX-License-Identifier: MIT */
/*
 * hw/virtio_net/vnet_net.c - the network device proper: receive into the
 * receive queues, transmit from the transmit queues, the control queue
 * (virtio: Network Device / Device Operation).
 *
 * Transmit runs like VN-1's: one runner per queue (vq.busy), which takes a
 * chain under the lock, copies its frame into the queue's staging buffer,
 * drops the lock to hand the frame to the wire, then retakes it to put the
 * chain in the used ring. Receive happens entirely under the lock.
 */
#define NDISRT_HW_VNET_INTERNAL
#include "hw/virtio_net/vnet_internal.h"

#include <string.h>

#include "hw/rss.h"

static bool vnet_running(const struct vnet *dev)
{
	return !dev->removed && (dev->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(dev->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
}

/*
 * A flow key that is the same in both directions (addresses and ports
 * combined with XOR), so a reply is steered where its request left.
 * Return: false for a frame that is not IPv4/IPv6.
 */
static bool vnet_flow_key(const uint8_t *f, size_t len, uint32_t *key)
{
	uint32_t k = 0;
	size_t l4 = 0;
	uint8_t proto;

	if (len < 14)
		return false;
	if (f[12] == 0x08 && f[13] == 0x00 && len >= 34) {
		proto = f[23];
		for (int i = 0; i < 4; i++)
			k ^= (uint32_t)(f[26 + i] ^ f[30 + i]) << (8 * i);
		l4 = 14 + (size_t)(f[14] & 0xF) * 4;
	} else if (f[12] == 0x86 && f[13] == 0xDD && len >= 54) {
		proto = f[20];
		for (int i = 0; i < 16; i++)
			k ^= (uint32_t)(f[22 + i] ^ f[38 + i]) << (8 * (i & 3));
		l4 = 54;
	} else {
		return false;
	}
	if ((proto == 6 || proto == 17) && len >= l4 + 4)
		k ^= (uint32_t)((f[l4] << 8 | f[l4 + 1]) ^ (f[l4 + 2] << 8 | f[l4 + 3])) * 0x9E37u;
	k ^= proto;
	*key = k * 0x9E3779B1u;
	return true;
}

/*
 * Automatic receive steering (virtio: Automatic receive steering in
 * multiqueue mode): a flow goes to the receive queue of the pair it was last
 * transmitted on; an unknown flow to a queue of its own hash. A queue that
 * is not enabled (being reset) is passed over; none enabled: drop.
 * Return: the receive queue index, or -1.
 */
/*
 * The packet hash (virtio: Hash calculation for incoming packets) with the
 * enabled hash types and key: TCP, else UDP, else addresses only, else
 * none. Return: the VIRTIO_NET_HASH_REPORT_* type, *@hash the value.
 */
static unsigned vnet_hash_locked(const struct vnet *dev, const uint8_t *frame, size_t len,
				 uint32_t *hash)
{
	static const struct {
		uint32_t type, mrqc;
	} map[] = {
	    {VIRTIO_NET_HASH_TYPE_IPv4, HW_RSS_MRQC_IPV4},
	    {VIRTIO_NET_HASH_TYPE_TCPv4, HW_RSS_MRQC_TCP_IPV4},
	    {VIRTIO_NET_HASH_TYPE_UDPv4, HW_RSS_MRQC_UDP_IPV4},
	    {VIRTIO_NET_HASH_TYPE_IPv6, HW_RSS_MRQC_IPV6},
	    {VIRTIO_NET_HASH_TYPE_TCPv6, HW_RSS_MRQC_TCP_IPV6},
	    {VIRTIO_NET_HASH_TYPE_UDPv6, HW_RSS_MRQC_UDP_IPV6},
	};
	static const unsigned report[] = {
	    [HW_RSS_NONE] = VIRTIO_NET_HASH_REPORT_NONE,
	    [HW_RSS_IPV4] = VIRTIO_NET_HASH_REPORT_IPv4,
	    [HW_RSS_TCP_IPV4] = VIRTIO_NET_HASH_REPORT_TCPv4,
	    [HW_RSS_UDP_IPV4] = VIRTIO_NET_HASH_REPORT_UDPv4,
	    [HW_RSS_IPV6] = VIRTIO_NET_HASH_REPORT_IPv6,
	    [HW_RSS_TCP_IPV6] = VIRTIO_NET_HASH_REPORT_TCPv6,
	    [HW_RSS_UDP_IPV6] = VIRTIO_NET_HASH_REPORT_UDPv6,
	};
	uint32_t mrqc = HW_RSS_MRQC_ENABLE;
	enum hw_rss_type type;

	*hash = 0;
	if (!dev->hash_types)
		return VIRTIO_NET_HASH_REPORT_NONE;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (dev->hash_types & map[i].type)
			mrqc |= map[i].mrqc;
	*hash = hw_rss_hash_frame(dev->hash_key, mrqc, frame, len, &type);
	return report[type];
}

static int vnet_rx_pick_locked(struct vnet *dev, const uint8_t *frame, size_t len, uint32_t *hash,
			       unsigned *report)
{
	unsigned pairs = dev->pairs, p = 0;
	uint32_t key;

	*report = VIRTIO_NET_HASH_REPORT_NONE;
	*hash = 0;
	if (dev->rss_on || vnet_has(dev, VIRTIO_NET_F_HASH_REPORT))
		*report = vnet_hash_locked(dev, frame, len, hash);
	if (dev->rss_on) {
		/* virtio: RSS processing. A destination being reset: drop. */
		unsigned q = *report == VIRTIO_NET_HASH_REPORT_NONE
				 ? dev->rss_unclassified
				 : dev->rss_table[*hash & dev->rss_mask];

		if (*report == VIRTIO_NET_HASH_REPORT_NONE)
			dev->st.rx_rss_unclassified++;
		else
			dev->st.rx_rss_hashed++;
		q *= 2;
		return dev->vq[q].enabled && dev->vq[q].size ? (int)q : -1;
	}

	if (pairs > 1 && vnet_flow_key(frame, len, &key)) {
		uint8_t seen = dev->flow_pair[key >> 26];

		p = seen && seen <= pairs ? seen - 1u : (key >> 8) % pairs;
	}
	for (unsigned i = 0; i < pairs; i++) {
		unsigned q = 2 * ((p + i) % pairs);

		if (dev->vq[q].enabled && dev->vq[q].size)
			return (int)q;
	}
	return -1;
}

/* Copy @src into the writable segments dev->segs[0..n) from byte @skip on. */
static int vnet_write_segs(struct vnet *dev, int n, size_t skip, const uint8_t *src, size_t len,
			   size_t *done)
{
	size_t pos = 0;

	*done = 0;
	for (int i = 0; i < n && *done < len; i++) {
		const struct vnet_seg *s = &dev->segs[i];
		size_t take, off;

		if (!s->write)
			continue;
		if (pos + s->len <= skip) {
			pos += s->len;
			continue;
		}
		off = skip > pos ? skip - pos : 0;
		take = s->len - off;
		if (take > len - *done)
			take = len - *done;
		if (hw_dma_write(dev->cfg.dma, s->addr + off, src + *done, take))
			return -1;
		*done += take;
		pos += s->len;
		skip = pos;
	}
	return 0;
}

static size_t vnet_write_capacity(const struct vnet *dev, int n)
{
	size_t cap = 0;

	for (int i = 0; i < n; i++)
		if (dev->segs[i].write)
			cap += dev->segs[i].len;
	return cap;
}

/* Bus address of byte @at of the writable part of the chain in dev->segs. */
static uint64_t vnet_seg_addr(const struct vnet *dev, int n, size_t at)
{
	for (int i = 0; i < n; i++) {
		if (!dev->segs[i].write)
			continue;
		if (at < dev->segs[i].len)
			return dev->segs[i].addr + at;
		at -= dev->segs[i].len;
	}
	return 0;
}

/*
 * Place one frame in receive queue @q (virtio: Setting Up Receive Buffers;
 * Processing of Incoming Packets): the header then the frame. Without
 * MRG_RXBUF the frame must fit one chain; with it, it spreads over as many
 * chains as it needs and num_buffers says how many.
 */
static int vnet_rx_place_locked(struct vnet *dev, unsigned q, const uint8_t *frame, size_t len,
				uint32_t hash, unsigned report)
{
	struct vnet_vq *vq = &dev->vq[q];
	uint8_t hdr[VIRTIO_NET_HDR_LEN_HASH] = {0};
	size_t hl = vnet_hdr_len(dev), total = hl + len, put = 0;
	bool mrg = vnet_has(dev, VIRTIO_NET_F_MRG_RXBUF);
	uint16_t save = vq->last_avail, old_used = vq->used_idx, head;
	uint64_t nb_addr[2] = {0, 0};
	unsigned nbuf = 0;

	hdr[0] = 0; /* flags */
	hdr[1] = VIRTIO_NET_HDR_GSO_NONE;
	if (hl >= VIRTIO_NET_HDR_LEN)
		hdr[10] = 1; /* num_buffers, patched below */
	if (hl == VIRTIO_NET_HDR_LEN_HASH) {
		for (int i = 0; i < 4; i++)
			hdr[12 + i] = (uint8_t)(hash >> (8 * i)); /* hash_value */
		hdr[16] = (uint8_t)report;			  /* hash_report */
	}
	while (put < total) {
		int r = vnet_vq_pop_locked(dev, q, &head), n;
		size_t cap, done, chunk, at = 0;

		if (r < 0)
			goto error;
		if (r == 0 || nbuf >= VNET_QUEUE_SIZE_MAX)
			goto no_buffer;
		n = vnet_vq_walk_locked(dev, q, head);
		if (n < 0)
			goto error;
		cap = vnet_write_capacity(dev, n);
		if (!mrg && cap < total)
			goto no_buffer;
		/* "each buffer MUST be at least the size of the struct virtio_net_hdr" */
		if (cap == 0 || (put == 0 && cap < hl))
			goto error;
		if (put == 0) {
			chunk = hl < cap ? hl : cap;
			if (vnet_write_segs(dev, n, 0, hdr, chunk, &done))
				goto error;
			if (hl >= VIRTIO_NET_HDR_LEN) {
				nb_addr[0] = vnet_seg_addr(dev, n, 10);
				nb_addr[1] = vnet_seg_addr(dev, n, 11);
			}
			at = chunk;
			put = chunk;
		}
		if (at < cap && put < total) {
			size_t from = put - hl;

			chunk = cap - at < total - put ? cap - at : total - put;
			if (vnet_write_segs(dev, n, at, frame + from, chunk, &done))
				goto error;
			at += chunk;
			put += chunk;
		}
		dev->rx_heads[nbuf] = head;
		dev->rx_lens[nbuf] = (uint32_t)at;
		nbuf++;
	}
	if (nbuf > 1) {
		uint8_t b[2] = {(uint8_t)nbuf, (uint8_t)(nbuf >> 8)};

		if (!nb_addr[0] || !nb_addr[1] ||
		    hw_dma_write(dev->cfg.dma, nb_addr[0], &b[0], 1) ||
		    hw_dma_write(dev->cfg.dma, nb_addr[1], &b[1], 1))
			goto error;
	}
	for (unsigned i = 0; i < nbuf; i++)
		if (vnet_vq_push_locked(dev, q, dev->rx_heads[i], dev->rx_lens[i]))
			goto error;
	if (hw_wbq_active(&dev->wbq)) {
		/* The used elements are written; idx (and so the notification)
		 * waits. Cookie: the queue, idx before, the queue's generation. */
		uint8_t b[2] = {(uint8_t)vq->used_idx, (uint8_t)(vq->used_idx >> 8)};

		hw_wbq_push_locked(&dev->wbq, vq->used + 2, b, 2,
				   (uint64_t)vq->gen << 32 | (uint64_t)old_used << 16 | q);
	} else {
		vnet_vq_publish_locked(dev, q, old_used);
	}
	dev->st.rx_accepted++;
	dev->st.rx_queue[q / 2]++;
	return VNET_RX_OK;
no_buffer:
	vq->last_avail = save; /* the chains stay the driver's, untouched as far as it knows */
	dev->st.rx_no_buffer++;
	return VNET_RX_NO_BUFFER;
error:
	vnet_device_error_locked(dev);
	dev->st.rx_device_error++;
	return VNET_RX_DEVICE_ERROR;
}

/* ------------------------------------------- delayed write-back (host fault) */

/* A delayed used idx lands: published, and notified as it would have been. */
static void vnet_rx_wb_land(void *ctx, const struct hw_wb *w)
{
	struct vnet *dev = ctx;
	unsigned q = (unsigned)(w->cookie & 0xFF);
	uint16_t old_used = (uint16_t)(w->cookie >> 16),
		 idx = (uint16_t)(w->data[0] | w->data[1] << 8);

	/* A queue reset since (its generation moved) voided the write-back. */
	if (q >= VNET_MAX_QUEUES || dev->vq[q].gen != (uint32_t)(w->cookie >> 32) || dev->removed)
		return;
	vnet_vq_publish_idx_locked(dev, q, idx, old_used);
}

static void vnet_rx_wb_fire(struct ke_host_timer *t, void *ctx)
{
	struct vnet *dev = ctx;
	ke_irql_t old = vnet_lock(dev);

	(void)t;
	hw_wbq_flush_locked(&dev->wbq, false);
	vnet_unlock(dev, old);
}

void vnet_rx_wb_init(struct vnet *dev)
{
	hw_wbq_init(&dev->wbq, dev->cfg.machine, vnet_rx_wb_land, dev, vnet_rx_wb_fire, dev);
}

int vnet_host_wb_delay(struct vnet *dev, uint64_t ns)
{
	ke_irql_t old = vnet_lock(dev);
	int rc = hw_wbq_set_delay_locked(&dev->wbq, ns);

	if (rc == 0 && ns)
		dev->st.inj_wb_delay++;
	vnet_unlock(dev, old);
	return rc;
}

int vnet_receive(struct vnet *dev, const void *frame, size_t len)
{
	ke_irql_t old = vnet_lock(dev);
	uint32_t hash;
	unsigned report;
	int r, q;

	dev->st.rx_offered++;
	if (dev->removed) {
		dev->st.rx_removed++;
		r = VNET_RX_REMOVED;
	} else if (!vnet_running(dev)) {
		dev->st.rx_not_ready++;
		r = VNET_RX_NOT_READY;
	} else if (!dev->link_up) {
		dev->st.rx_link_down++;
		r = VNET_RX_LINK_DOWN;
	} else if (len < VNET_MIN_FRAME || len > VNET_MAX_FRAME) {
		dev->st.rx_bad_length++;
		r = VNET_RX_BAD_LENGTH;
	} else if ((q = vnet_rx_pick_locked(dev, frame, len, &hash, &report)) < 0) {
		dev->st.rx_no_buffer++;
		r = VNET_RX_NO_BUFFER;
	} else {
		r = vnet_rx_place_locked(dev, (unsigned)q, frame, len, hash, report);
	}
	vnet_unlock(dev, old);
	return r;
}

/* ------------------------------------------------------------ transmit */

/*
 * VIRTIO_NET_HDR_F_NEEDS_CSUM (virtio: Packet Transmission, point 1): the
 * one's-complement sum from csum_start to the end, stored at csum_start +
 * csum_offset. Return: false if the offsets do not fit the frame.
 */
static bool vnet_tx_csum(uint8_t *f, size_t len, unsigned start, unsigned off)
{
	uint32_t sum = 0;

	if ((size_t)start + off + 2 > len)
		return false;
	for (size_t i = start; i < len; i += 2)
		sum += (uint32_t)f[i] << 8 | (i + 1 < len ? f[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	sum = ~sum & 0xFFFF;
	f[start + off] = (uint8_t)(sum >> 8);
	f[start + off + 1] = (uint8_t)sum;
	return true;
}

static void vnet_deliver(struct vnet *dev, const void *frame, size_t len)
{
	ke_irql_t old = vnet_lock(dev);
	bool up = dev->link_up && !dev->removed;
	struct wire *w = dev->wire;

	if (!up) {
		dev->st.tx_link_down++;
		dev->st.tx_dropped++;
	} else if (!w) {
		dev->st.tx_no_wire++;
		dev->st.tx_dropped++;
	} else {
		dev->st.tx_sent++;
	}
	vnet_unlock(dev, old);
	if (up && w)
		wire_send(w, dev->wire_end, frame, len);
}

/* Gather the readable part of the chain into the staging buffer. Return: its length. */
static size_t vnet_tx_gather_locked(struct vnet *dev, int n, uint8_t *stage, size_t cap, bool *ok)
{
	size_t got = 0;

	*ok = true;
	for (int i = 0; i < n; i++) {
		const struct vnet_seg *s = &dev->segs[i];

		if (s->write)
			continue;
		if (got + s->len > cap) {
			*ok = false; /* too long to be a frame */
			return got;
		}
		if (hw_dma_read(dev->cfg.dma, s->addr, stage + got, s->len)) {
			*ok = false;
			return SIZE_MAX;
		}
		got += s->len;
	}
	return got;
}

static void vnet_tx_run(struct vnet *dev, unsigned q)
{
	struct vnet_vq *vq = &dev->vq[q];
	uint8_t *stage = dev->tx_stage[q / 2];
	ke_irql_t old = vnet_lock(dev);

	if (vq->busy) {
		vnet_unlock(dev, old);
		return; /* the runner will find the new chains */
	}
	vq->busy = true;
	while (vnet_running(dev) && vq->enabled && vq->size) {
		uint32_t gen = vq->gen, rgen = dev->reset_gen, key;
		size_t hl = vnet_hdr_len(dev), got, flen = 0;
		bool ok, send = false;
		uint16_t head, old_used;
		int r = vnet_vq_pop_locked(dev, q, &head), n;

		if (r == 0)
			break;
		n = r < 0 ? -1 : vnet_vq_walk_locked(dev, q, head);
		if (n < 0) {
			vnet_device_error_locked(dev);
			break;
		}
		got = vnet_tx_gather_locked(dev, n, stage, VNET_MAX_FRAME + hl, &ok);
		if (got == SIZE_MAX) {
			vnet_device_error_locked(dev);
			break;
		}
		dev->st.tx_chains++;
		if (ok && got >= hl + VNET_MIN_FRAME) {
			flen = got - hl;
			send = true;
			if ((stage[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
			    vnet_has(dev, VIRTIO_NET_F_CSUM)) {
				unsigned cs = (unsigned)(stage[6] | stage[7] << 8);
				unsigned co = (unsigned)(stage[8] | stage[9] << 8);

				if (vnet_tx_csum(stage + hl, flen, cs, co))
					dev->st.tx_csum++;
				else
					send = false;
			}
		}
		if (!send) {
			dev->st.tx_bad++;
			dev->st.tx_dropped++;
		}
		if (send && dev->pairs > 1 && vnet_flow_key(stage + hl, flen, &key))
			dev->flow_pair[key >> 26] = (uint8_t)(q / 2 + 1);
		vnet_unlock(dev, old);
		if (send)
			vnet_deliver(dev, stage + hl, flen);
		old = vnet_lock(dev);
		/*
		 * A reset while the frame travelled voids the chain. The runner
		 * carries on with whatever the queue is now: a notification that
		 * found it busy after a re-enable relies on it.
		 */
		if (gen != vq->gen || rgen != dev->reset_gen)
			continue;
		old_used = vq->used_idx;
		if (vnet_vq_push_locked(dev, q, head, 0)) {
			vnet_device_error_locked(dev);
			break;
		}
		vnet_vq_publish_locked(dev, q, old_used);
	}
	vq->busy = false;
	vnet_unlock(dev, old);
}

/* --------------------------------------------------------- control queue */

static unsigned get16(const uint8_t *p)
{
	return (unsigned)(p[0] | p[1] << 8);
}

/*
 * VIRTIO_NET_CTRL_MQ_RSS_CONFIG / _HASH_CONFIG (virtio: Receive-side scaling
 * (RSS) / Setting RSS parameters; Automatic receive steering / Hash
 * calculation): struct virtio_net_rss_config, whose hash_config form has
 * four reserved words where the table parameters are. Validated whole
 * before anything changes: hash types the device supports, a power-of-two
 * table no longer than rss_max_indirection_table_length, receive queues
 * that exist, a key no longer than rss_max_key_size.
 */
static uint8_t vnet_ctrl_hash_locked(struct vnet *dev, const uint8_t *d, size_t len, bool rss)
{
	unsigned types, mask = 0, entries = 0, unclassified = 0, at, keylen;

	if (len < 8)
		return VIRTIO_NET_ERR;
	types = (unsigned)(get16(d) | get16(d + 2) << 16);
	if (types & ~VNET_HASH_TYPES)
		return VIRTIO_NET_ERR;
	if (rss) {
		mask = get16(d + 4);
		entries = mask + 1;
		unclassified = get16(d + 6) & 0x7FFF;
		if ((entries & (entries - 1)) || entries > VNET_RSS_TABLE_MAX ||
		    unclassified >= dev->cfg.max_pairs || len < 8 + 2 * (size_t)entries + 3)
			return VIRTIO_NET_ERR;
		for (unsigned i = 0; i < entries; i++)
			if ((get16(d + 8 + 2 * i) & 0x7FFF) >= dev->cfg.max_pairs)
				return VIRTIO_NET_ERR;
		at = 8 + 2 * entries + 2; /* past max_tx_vq */
	} else {
		at = 12; /* hash_types, reserved[4] */
		if (len < at + 1)
			return VIRTIO_NET_ERR;
	}
	keylen = d[at];
	if (keylen > VNET_RSS_KEY_MAX || len < at + 1 + (size_t)keylen)
		return VIRTIO_NET_ERR;
	dev->hash_types = types;
	memset(dev->hash_key, 0, sizeof(dev->hash_key));
	memcpy(dev->hash_key, d + at + 1, keylen);
	if (rss) {
		dev->rss_on = true;
		dev->rss_mask = (uint16_t)mask;
		dev->rss_unclassified = (uint8_t)unclassified;
		for (unsigned i = 0; i < entries; i++)
			dev->rss_table[i] = (uint8_t)(get16(d + 8 + 2 * i) & 0x7FFF);
	}
	return VIRTIO_NET_OK;
}

/* Return: the ack. The last of VQ_PAIRS_SET and RSS_CONFIG decides the steering mode. */
static uint8_t vnet_ctrl_exec_locked(struct vnet *dev, const uint8_t *c, size_t len)
{
	if (len < 2 || c[0] != VIRTIO_NET_CTRL_MQ)
		return VIRTIO_NET_ERR;
	if (c[1] == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET && vnet_has(dev, VIRTIO_NET_F_MQ) && len >= 4) {
		unsigned pairs = get16(c + 2);

		if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || pairs > dev->cfg.max_pairs)
			return VIRTIO_NET_ERR;
		dev->pairs = pairs;
		dev->rss_on = false;
		return VIRTIO_NET_OK;
	}
	if (c[1] == VIRTIO_NET_CTRL_MQ_RSS_CONFIG && vnet_has(dev, VIRTIO_NET_F_RSS))
		return vnet_ctrl_hash_locked(dev, c + 2, len - 2, true);
	if (c[1] == VIRTIO_NET_CTRL_MQ_HASH_CONFIG && vnet_has(dev, VIRTIO_NET_F_HASH_REPORT))
		return vnet_ctrl_hash_locked(dev, c + 2, len - 2, false);
	return VIRTIO_NET_ERR;
}

static void vnet_ctrl_run(struct vnet *dev, unsigned q)
{
	struct vnet_vq *vq = &dev->vq[q];
	ke_irql_t old = vnet_lock(dev);
	uint16_t old_used = vq->used_idx;

	while (vnet_running(dev) && vq->enabled && vq->size) {
		uint8_t *cmd = dev->ctrl_buf, ack;
		size_t got = 0;
		uint64_t ack_at = 0;
		uint16_t head;
		int r = vnet_vq_pop_locked(dev, q, &head), n;

		if (r == 0)
			break;
		n = r < 0 ? -1 : vnet_vq_walk_locked(dev, q, head);
		for (int i = 0; i < n; i++) {
			const struct vnet_seg *s = &dev->segs[i];

			if (s->write) {
				if (!ack_at)
					ack_at = s->addr;
				continue;
			}
			size_t room = sizeof(dev->ctrl_buf) - got;
			size_t take = s->len < room ? s->len : room;

			if (take && hw_dma_read(dev->cfg.dma, s->addr, cmd + got, take)) {
				n = -1;
				break;
			}
			got += take;
		}
		if (n < 0 || !ack_at) {
			vnet_device_error_locked(dev);
			break;
		}
		ack = vnet_ctrl_exec_locked(dev, cmd, got);
		dev->st.ctrl_cmds++;
		if (ack != VIRTIO_NET_OK)
			dev->st.ctrl_errs++;
		if (hw_dma_write(dev->cfg.dma, ack_at, &ack, 1) ||
		    vnet_vq_push_locked(dev, q, head, 1)) {
			vnet_device_error_locked(dev);
			break;
		}
	}
	vnet_vq_publish_locked(dev, q, old_used);
	vnet_unlock(dev, old);
}

/*
 * An available buffer notification for queue @q. Transmit and control
 * queues are processed now; a receive queue needs nothing (its buffers are
 * taken when frames arrive). Context: no device lock held.
 */
void vnet_queue_kick(struct vnet *dev, unsigned q)
{
	ke_irql_t old = vnet_lock(dev);
	unsigned ctrl = vnet_ctrl_queue(dev);

	vnet_unlock(dev, old);
	if (q == ctrl)
		vnet_ctrl_run(dev, q);
	else if ((q & 1) && q < 2 * dev->cfg.max_pairs)
		vnet_tx_run(dev, q);
}
