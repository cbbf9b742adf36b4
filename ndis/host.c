/* SPDX-License-Identifier: MIT */
/*
 * ndis/host.c - the host (machine, interrupt controller, DMA space), the
 * registry of started NICs, and the one host NIC API of <ndisrt/host.h>:
 * every ndisrt_nic_* call goes through the NIC's kind (struct
 * host_nic_kind: NDIS 6 in host_nic.c, NDIS 5 in ndis5/nic.c), chosen when
 * the driver was loaded by how its DriverEntry registered.
 */
#include "ndis/host_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Atomic(struct ndisrt_nic *) host_nics[HOST_MAX_NICS];

/* ---------------------------------------------------------------- host */

struct ndisrt_host *ndisrt_host_create(const struct ndisrt_host_config *cfg)
{
	struct ke_machine_config mc = {0};
	struct ndisrt_host *h;

	if (!cfg || cfg->nr_vcpus == 0 || cfg->nr_vcpus > KE_MAX_VCPUS) {
		errno = EINVAL;
		return NULL;
	}
	if (host_io_arena_init()) {
		errno = ENOMEM;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	mc.nr_vcpus = cfg->nr_vcpus;
	mc.engine = cfg->engine;
	h->nr_vcpus = cfg->nr_vcpus;
	h->m = ke_machine_create(&mc);
	if (!h->m)
		goto err_free_host;
	h->ic = intc_create(h->m);
	if (!h->ic)
		goto err_free_machine;
	h->dma = hw_dma_space_create();
	if (!h->dma)
		goto err_free_intc;
	return h;

err_free_intc:
	intc_free(h->ic);
err_free_machine:
	ke_machine_free(h->m);
err_free_host:
	free(h);
	return NULL;
}

void ndisrt_host_free(struct ndisrt_host *h)
{
	if (!h)
		return;
	/* Drivers are unloaded and devices freed by the caller first. */
	intc_free(h->ic);
	ke_machine_free(h->m);
	hw_dma_space_free(h->dma);
	free(h);
}

struct ke_machine *ndisrt_host_machine(struct ndisrt_host *h)
{
	return h->m;
}

struct intc *ndisrt_host_intc(struct ndisrt_host *h)
{
	return h->ic;
}

struct hw_dma_space *ndisrt_host_dma(struct ndisrt_host *h)
{
	return h->dma;
}

/* ------------------------------------------------------------ registry */

struct ndisrt_nic *host_nic_of_adapter(struct ndisrt_adapter *a)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *n = atomic_load_explicit(&host_nics[i], memory_order_acquire);

		if (n && n->a == a)
			return n;
	}
	return NULL;
}

struct ndisrt_nic *host_nic_of_handle(NDIS_HANDLE h)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *n = atomic_load_explicit(&host_nics[i], memory_order_acquire);

		if (n && n->handle == h)
			return n;
	}
	return NULL;
}

struct ndisrt_nic *host_nic_lookup(NDIS_HANDLE h, unsigned ddi)
{
	struct ndisrt_adapter *a = ndis_adapter_lookup(h, ddi);
	struct ndisrt_nic *n = host_nic_of_adapter(a);

	if (!n)
		ndisrt_violation(NDISRT_VIOLATION_NOT_HOSTED, (uintptr_t)h, 0, ddi,
				 "an NDIS data-path or hardware function was called for an adapter "
				 "that no NIC hosts (ndisrt_nic_start creates them)");
	return n;
}

bool host_nic_slot_add(_Atomic(struct ndisrt_nic *) *slots, struct ndisrt_nic *n)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *expected = NULL;

		if (atomic_compare_exchange_strong(&slots[i], &expected, n))
			return true;
	}
	return false;
}

void host_nic_slot_remove(_Atomic(struct ndisrt_nic *) *slots, struct ndisrt_nic *n)
{
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *expected = n;

		atomic_compare_exchange_strong(&slots[i], &expected, NULL);
	}
}

bool host_in_initialize(struct ndisrt_nic *n)
{
	return ndis_adapter_in_initialize(n->a);
}

bool host_in_init_or_halt(struct ndisrt_nic *n)
{
	unsigned st = atomic_load(&n->a->state);

	return (st == NDIS_ADAPTER_INITIALIZING || st == NDIS_ADAPTER_HALTING) &&
	       atomic_load(&n->a->owner_vcpu) == ke_current_number();
}

/* -------------------------------------------------------- the NIC API */

void ndisrt_nic_config_init(struct ndisrt_nic_config *cfg, struct hw_device *dev)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->dev = dev;
	for (unsigned i = 0; i < 16; i++)
		cfg->message_vcpu[i] = -1;
	cfg->max_nbls = NDISRT_DEFAULT_MAX_NBLS;
	cfg->param_nic = -1;
}

int ndisrt_nic_start(struct ndisrt_driver *d, const struct ndisrt_nic_config *cfg,
		     struct ndisrt_nic **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!d || d->magic != HOST_DRIVER_MAGIC || !cfg || !cfg->dev) {
		snprintf(err, errlen, "ndisrt_nic_start: no driver or no device");
		return -1;
	}
	return d->kind->start(d, cfg, out, err, errlen);
}

void ndisrt_nic_halt(struct ndisrt_nic *n)
{
	if (n)
		n->kind->halt(n);
}

uint32_t ndisrt_nic_pause(struct ndisrt_nic *n)
{
	return n->kind->pause(n);
}

uint32_t ndisrt_nic_restart(struct ndisrt_nic *n)
{
	return n->kind->restart(n);
}

struct ndisrt_adapter *ndisrt_nic_adapter(struct ndisrt_nic *n)
{
	return n->a;
}

struct hw_device *ndisrt_nic_device(struct ndisrt_nic *n)
{
	return n->dev;
}

void ndisrt_nic_set_rx_sink(struct ndisrt_nic *n, ndisrt_rx_fn *fn, void *ctx)
{
	n->kind->set_rx_sink(n, fn, ctx);
}

void ndisrt_nic_set_status_sink(struct ndisrt_nic *n, ndisrt_status_fn *fn, void *ctx)
{
	n->kind->set_status_sink(n, fn, ctx);
}

unsigned ndisrt_nic_send(struct ndisrt_nic *n, unsigned vcpu, const void *const *frames,
			 const size_t *lens, unsigned count)
{
	return n->kind->send(n, vcpu, frames, lens, count);
}

uint32_t ndisrt_nic_oid(struct ndisrt_nic *n, bool set, uint32_t oid, void *buf, uint32_t len,
			uint32_t *bytes, uint32_t *needed)
{
	return n->kind->oid(n, set, oid, buf, len, bytes, needed);
}

void ndisrt_nic_get_stats(struct ndisrt_nic *n, struct ndisrt_nic_stats *out)
{
	n->kind->get_stats(n, out);
}

uint64_t ndisrt_nic_outstanding(struct ndisrt_nic *n)
{
	return n->kind->outstanding(n);
}

void ndisrt_nic_hold_returns(struct ndisrt_nic *n, bool hold)
{
	n->kind->hold_returns(n, hold);
}

void ndisrt_nic_get_attributes(struct ndisrt_nic *n, struct ndisrt_nic_attributes *out)
{
	n->kind->get_attributes(n, out);
}

bool ndisrt_nic_link_up(struct ndisrt_nic *n, uint64_t *speed)
{
	return n->kind->link_up(n, speed);
}
