/* SPDX-License-Identifier: MIT */
/*
 * verifier/irq_disabled.h - rule I13, "interrupts left disabled"
 * (docs/verifier.md): a NIC whose device holds causes the driver once
 * enabled, every one of them masked now, while no DPC of its interrupt is
 * queued or running - the batch is over and nobody will unmask - for longer
 * than an allotment T on the engine clock (22 s by default, as Windows'
 * NdisTimedDataHang rule) is reported as 0xC4/0x9200F, naming the last DPC
 * of the interrupt that ran.
 *
 * The device is asked through the device seam only: the statistic
 * "irq_masked_pending" (hw/device.h; a model without it is not watched).
 * ndis/ watches each NDIS 6 interrupt from its registration to its
 * deregistration and tells the checker when one of its DPCs returns.
 *
 * Lock key: (c) constant while watched  (a) atomic  (W) the checker's mutex
 */
#ifndef NDISRT_VERIFIER_IRQ_DISABLED_H
#define NDISRT_VERIFIER_IRQ_DISABLED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct ke_machine;
struct hw_device;

#define VFY_IRQOFF_DEFAULT_MS 22000u /* NdisTimedDataHang's 22 seconds */

/* One watched interrupt. */
struct vfy_irqoff {
	struct hw_device *dev;	   /* (c) */
	const atomic_uint *active; /* (c) DPCs of the interrupt queued or running */
	const void *dpc_routine;   /* (c) the miniport's interrupt DPC handler */
	atomic_uint last_vcpu;	   /* (a) 1 + vCPU of the last DPC that returned; 0: none yet */
	atomic_uint last_msg;	   /* (a) its message */
	_Atomic uint64_t last_ns;  /* (a) engine clock when it returned */
	_Atomic uint64_t dpcs;	   /* (a) DPC runs seen */
	uint64_t since;		   /* (W) engine clock the stall was first seen; 0: none */
	bool used;		   /* (W) */
};

/**
 * vfy_irqoff_start() - Start the checker on @m's engine clock with the
 * allotment @after_ms (0: VFY_IRQOFF_DEFAULT_MS).
 * Context: host thread, before NICs start. Return: 0, -EBUSY, -ENOMEM.
 */
int vfy_irqoff_start(struct ke_machine *m, unsigned after_ms);

/** vfy_irqoff_stop() - Stop it (every watch must be gone). Context: host thread. */
void vfy_irqoff_stop(struct ke_machine *m);

/**
 * vfy_irqoff_watch() - Watch the interrupt of @dev. @active counts its DPCs
 * queued or running; @dpc_routine is named in the report.
 * Return: the watch, or NULL (checker off, the model has no
 * "irq_masked_pending", or every slot taken).
 * Context: PASSIVE_LEVEL or host thread.
 */
struct vfy_irqoff *vfy_irqoff_watch(struct hw_device *dev, const atomic_uint *active,
				    const void *dpc_routine);

/**
 * vfy_irqoff_unwatch() - Stop watching; when it returns the checker no
 * longer looks at @w (the interrupt may be freed). NULL is ignored.
 * Context: PASSIVE_LEVEL or host thread.
 */
void vfy_irqoff_unwatch(struct vfy_irqoff *w);

/** vfy_irqoff_checks() - How many times the checker has looked so far (tests). */
uint64_t vfy_irqoff_checks(void);

/**
 * vfy_irqoff_dpc_done() - A DPC of @w's interrupt (message @msg) returned on
 * vCPU @vcpu. NULL is ignored. Context: DISPATCH_LEVEL, lock-free.
 */
void vfy_irqoff_dpc_done(struct vfy_irqoff *w, unsigned vcpu, unsigned msg);

#endif /* NDISRT_VERIFIER_IRQ_DISABLED_H */
