/* SPDX-License-Identifier: MIT */
/*
 * hw/device.c - the device-model registry and the generic parts of the
 * device seam (hw/device.h).
 */
#include "hw/device.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * Built-in models. A new model adds its descriptor here (one line each);
 * tests add theirs at run time with hw_device_model_register().
 */
extern const struct hw_device_model hw_model_vn1;
extern const struct hw_device_model hw_model_e1000;
extern const struct hw_device_model hw_model_virtio_net;
extern const struct hw_device_model hw_model_rtl8139;

static const struct hw_device_model *const builtin_models[] = {
    &hw_model_vn1,
    &hw_model_e1000,
    &hw_model_virtio_net,
    &hw_model_rtl8139,
};

#define NR_BUILTIN (sizeof(builtin_models) / sizeof(builtin_models[0]))
#define MAX_REGISTERED 8u

/* Lock key: host thread only (registration happens before lookups race). */
static const struct hw_device_model *registered[MAX_REGISTERED];
static size_t nr_registered;

void hw_device_init(struct hw_device *dev, const struct hw_device_ops *ops,
		    const struct hw_pci_id *id)
{
	memset(dev, 0, sizeof(*dev));
	dev->ops = ops;
	if (id)
		dev->id = *id;
}

const struct hw_device_model *hw_device_model_at(size_t i)
{
	if (i < NR_BUILTIN)
		return builtin_models[i];
	i -= NR_BUILTIN;
	return i < nr_registered ? registered[i] : NULL;
}

const struct hw_device_model *hw_device_model_find(const char *name)
{
	const struct hw_device_model *m;

	if (!name)
		return NULL;
	for (size_t i = 0; (m = hw_device_model_at(i)) != NULL; i++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

int hw_device_model_register(const struct hw_device_model *m)
{
	if (!m || !m->name || !m->name[0] || !m->create)
		return -EINVAL;
	if (hw_device_model_find(m->name))
		return -EEXIST;
	if (nr_registered == MAX_REGISTERED)
		return -ENOSPC;
	registered[nr_registered++] = m;
	return 0;
}

struct hw_device *hw_device_create(const char *name, const struct hw_device_params *p, char *err,
				   size_t errlen)
{
	const struct hw_device_model *m = hw_device_model_find(name);
	struct hw_device *dev;

	if (!m) {
		snprintf(err, errlen, "unknown device model '%s'", name ? name : "(null)");
		return NULL;
	}
	if (!p || !p->machine || !p->dma) {
		snprintf(err, errlen, "%s: no machine or DMA space given", m->name);
		return NULL;
	}
	dev = m->create(p, err, errlen);
	if (dev) {
		dev->model = m;
		dev->sink = p->sink;
	}
	return dev;
}

void hw_device_free(struct hw_device *dev)
{
	if (dev)
		dev->ops->destroy(dev);
}

int hw_device_hook_add(struct hw_device *dev, hw_access_hook_fn *fn, void *ctx)
{
	if (!fn)
		return -EINVAL;
	if (dev->nr_hooks == HW_DEVICE_MAX_HOOKS)
		return -ENOSPC;
	dev->hooks[dev->nr_hooks].fn = fn;
	dev->hooks[dev->nr_hooks].ctx = ctx;
	dev->nr_hooks++;
	return 0;
}

int hw_device_hook_remove(struct hw_device *dev, hw_access_hook_fn *fn, void *ctx)
{
	for (unsigned i = 0; i < dev->nr_hooks; i++) {
		if (dev->hooks[i].fn != fn || dev->hooks[i].ctx != ctx)
			continue;
		memmove(&dev->hooks[i], &dev->hooks[i + 1],
			(dev->nr_hooks - i - 1) * sizeof(dev->hooks[0]));
		dev->nr_hooks--;
		return 0;
	}
	return -ENOENT;
}

void hw_device_run_hooks(struct hw_device *dev, unsigned bar, uint32_t off, unsigned width,
			 uint64_t value, bool write)
{
	for (unsigned i = 0; i < dev->nr_hooks; i++)
		dev->hooks[i].fn(dev->hooks[i].ctx, dev, bar, off, width, value, write);
}

uint64_t hw_device_stat(struct hw_device *dev, const char *name, bool *found)
{
	struct hw_stat buf[256];
	size_t n = dev->ops->stats(dev, buf, sizeof(buf) / sizeof(buf[0]));

	if (n > sizeof(buf) / sizeof(buf[0]))
		n = sizeof(buf) / sizeof(buf[0]);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(buf[i].name, name) == 0) {
			if (found)
				*found = true;
			return buf[i].value;
		}
	}
	if (found)
		*found = false;
	return 0;
}

int hw_dev_wire_attach(struct hw_device *dev, struct wire *w, unsigned end)
{
	if (!dev->ops->wire_attach)
		return -EOPNOTSUPP;
	dev->ops->wire_attach(dev, w, end);
	return 0;
}

int hw_dev_msix_program(struct hw_device *dev, unsigned msg, uint64_t addr, uint32_t data)
{
	return dev->ops->msix_program ? dev->ops->msix_program(dev, msg, addr, data) : -EOPNOTSUPP;
}

int hw_dev_msix_mask(struct hw_device *dev, unsigned msg, bool masked)
{
	return dev->ops->msix_mask ? dev->ops->msix_mask(dev, msg, masked) : -EOPNOTSUPP;
}

int hw_dev_msix_enable(struct hw_device *dev, bool enabled)
{
	if (!dev->ops->msix_enable)
		return -EOPNOTSUPP;
	dev->ops->msix_enable(dev, enabled);
	return 0;
}

int hw_dev_msix_function_mask(struct hw_device *dev, bool masked)
{
	if (!dev->ops->msix_function_mask)
		return -EOPNOTSUPP;
	dev->ops->msix_function_mask(dev, masked);
	return 0;
}

const char *hw_fault_name(enum hw_fault f)
{
	static const char *const names[HW_FAULT_COUNT] = {
	    [HW_FAULT_LINK] = "link",
	    [HW_FAULT_SPURIOUS_IRQ] = "spurious-irq",
	    [HW_FAULT_STUCK_LINE] = "stuck-line",
	    [HW_FAULT_DROP_MSG] = "drop-msg",
	    [HW_FAULT_DMA_WRITEBACK_DELAY] = "dma-writeback-delay",
	    [HW_FAULT_DMA_ERROR] = "dma-error",
	    [HW_FAULT_SURPRISE_REMOVE] = "surprise-remove",
	};

	return (unsigned)f < HW_FAULT_COUNT ? names[f] : NULL;
}

/* ------------------------------------------------- helpers for models */

int hw_params_check(const struct hw_device_params *p, const struct hw_param_limits *l,
		    unsigned *nr_msgs, char *err, size_t errlen)
{
	unsigned n = 1;

	if (p->irq_kind > HW_IRQ_MSIX) {
		snprintf(err, errlen, "%s: unknown interrupt kind %d", l->model, (int)p->irq_kind);
		return -1;
	}
	if ((p->irq_kind == HW_IRQ_MSI && !l->msi) || (p->irq_kind == HW_IRQ_MSIX && !l->msix)) {
		if (!l->msi && !l->msix)
			snprintf(err, errlen, "%s: %s signals on INTA# only (no MSI or MSI-X)",
				 l->model, l->part);
		else
			snprintf(err, errlen, "%s: %s offers no %s", l->model, l->part,
				 p->irq_kind == HW_IRQ_MSI ? "MSI" : "MSI-X");
		return -1;
	}
	if (p->irq_kind == HW_IRQ_MSIX) {
		n = p->nr_msgs ? p->nr_msgs : l->max_msgs;
		if (n < 1 || n > l->max_msgs) {
			snprintf(err, errlen, "%s: %u MSI-X messages asked for, %s has 1..%u",
				 l->model, n, l->part, l->max_msgs);
			return -1;
		}
	}
	if (p->nr_queues > l->max_queues) {
		if (l->max_queues == 1)
			snprintf(err, errlen, "%s: %u queues asked for, %s has 1", l->model,
				 p->nr_queues, l->part);
		else
			snprintf(err, errlen, "%s: %u queues asked for, %s has 1..%u", l->model,
				 p->nr_queues, l->part, l->max_queues);
		return -1;
	}
	if (nr_msgs)
		*nr_msgs = n;
	return 0;
}

int hw_options_parse(const char *opts, const char *model, const char *known, hw_option_fn *fn,
		     void *ctx, char *err, size_t errlen)
{
	const char *p = opts;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		char item[64];

		if (!fn || n >= sizeof(item)) {
			snprintf(err, errlen, "%s: bad option '%.*s' (known: %s)", model, (int)n, p,
				 known);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = 0;
		if (fn(ctx, item)) {
			snprintf(err, errlen, "%s: bad option '%s' (known: %s)", model, item,
				 known);
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

size_t hw_stats_fill(struct hw_stat *out, size_t cap, const char *const *names,
		     const uint64_t *values, size_t n)
{
	for (size_t i = 0; i < n && i < cap; i++)
		out[i] = (struct hw_stat){names[i], values[i]};
	return n;
}
