/* SPDX-License-Identifier: MIT */
/*
 * verifier/shared_regs.h - ISR-shared registers (rule S5, docs/verifier.md).
 *
 * Subscribed to a device's access hook (hw/device.h), the check learns which
 * registers (BAR, offset) the ISR - or anything else running at DIRQL under
 * the interrupt lock: the synchronize, enable and disable routines - touches:
 * those are ISR-shared. Below DIRQL, on a register that is ISR-shared:
 *  - a read of a read-to-clear register (->reg_attr says HW_REG_READ_CLEARS)
 *    consumes causes the ISR must see: error ISR_SHARED_READ_CLEAR;
 *  - a read followed by a write of the same register by the same vCPU at the
 *    same IRQL (a read-modify-write outside the lock) loses whatever the ISR
 *    wrote in between: error ISR_SHARED_RMW;
 *  - a lone write to a W1S/W1C register is atomic in the device: counted as
 *    information (vfy_regs_w1_writes()).
 * Order does not matter: a below-DIRQL access that would be an error on a
 * register not (yet) known ISR-shared is kept on a pending list with its call
 * chain and reported when an ISR first touches the register.
 *
 * Accesses are judged only while the device is "live" (vfy_regs_set_live():
 * hosting sets it from the end of a successful initialize to the start of
 * halt); learning goes on all the time.
 */
#ifndef NDISRT_VERIFIER_SHARED_REGS_H
#define NDISRT_VERIFIER_SHARED_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "ke/ke.h"

struct hw_device;
struct vfy_regs;

/**
 * vfy_regs_attach() - Watch @dev's driver-side register accesses. Does
 * nothing while the verifier is off, or for a device watched already.
 * Context: host thread, the device quiet (no driver access in flight).
 * Return: 0, -ENOSPC (too many devices, or the device's hooks are full).
 */
int vfy_regs_attach(struct hw_device *dev);

/** vfy_regs_detach() - Stop watching @dev (no-op if not watched). Context: as attach. */
void vfy_regs_detach(struct hw_device *dev);

/**
 * vfy_regs_set_live() - Judge (@live) or only learn from @dev's accesses.
 * Context: any thread; lock-free.
 */
void vfy_regs_set_live(struct hw_device *dev, bool live);

/** vfy_regs_w1_writes() - Lone W1S/W1C writes of ISR-shared registers below DIRQL, all devices. */
uint64_t vfy_regs_w1_writes(void);

/* --------------------------------------------- the core, for unit tests */

/** vfy_regs_create() / vfy_regs_free() - A watcher not tied to a device (live). */
struct vfy_regs *vfy_regs_create(void);
void vfy_regs_free(struct vfy_regs *r);

/**
 * vfy_regs_access() - Judge one access made by vCPU @vcpu at @irql: @attr
 * is what ->reg_attr says of the register. Findings go through the
 * verifier's mode (fatal: bug check; warn: a warning).
 * Context: any; async-signal-safe, lock-free.
 */
void vfy_regs_access(struct vfy_regs *r, unsigned vcpu, ke_irql_t irql, unsigned bar, uint32_t off,
		     bool write, unsigned attr);

/** vfy_regs_is_shared() - Whether (@bar, @off) is known ISR-shared. */
bool vfy_regs_is_shared(const struct vfy_regs *r, unsigned bar, uint32_t off);

#endif /* NDISRT_VERIFIER_SHARED_REGS_H */
