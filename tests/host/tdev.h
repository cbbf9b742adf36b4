/* SPDX-License-Identifier: MIT */
/*
 * tests/host/tdev.h - "tdev", a test device model written only against the
 * device seam (hw/device.h), to prove hosting needs nothing else of a model.
 *
 * PCI 1D6E:7E57, class 0xFF. BAR 0: 0x1000 bytes of memory.
 *   0x00 ID        RO  TDEV_ID
 *   0x04 CAUSE     RO  bit m: message m was raised and not acknowledged;
 *                  W1C a written 1 acknowledges (counted in isr_acks.m)
 *   0x08 DPC_DONE  WO  the driver's DPC for message m writes m (dpcs.m)
 *   0x0C NR_MSGS   RO  MSI-X table size
 * Interrupts: MSI-X with up to TDEV_MAX_MSGS messages (message m for cause
 * bit m), or INTx asserted while CAUSE != 0 (and MSI-X disabled).
 * State is atomics only: every op is async-signal-safe and lock-free.
 * Host controls (tdev_raise, MSI-X programming) are not concurrent with
 * each other.
 */
#ifndef NDISRT_TESTS_HOST_TDEV_H
#define NDISRT_TESTS_HOST_TDEV_H

#include "hw/device.h"

#define TDEV_VENDOR 0x1D6Eu
#define TDEV_DEVICE 0x7E57u
#define TDEV_ID 0x7E570001u
#define TDEV_BAR0_LEN 0x1000u
#define TDEV_MAX_MSGS 8u

#define TDEV_REG_ID 0x00u
#define TDEV_REG_CAUSE 0x04u
#define TDEV_REG_DPC_DONE 0x08u
#define TDEV_REG_NR_MSGS 0x0Cu

extern const struct hw_device_model tdev_model;

/* Raise cause @m: set CAUSE bit @m and signal message @m (or the line). Host thread. */
void tdev_raise(struct hw_device *dev, unsigned m);

#endif /* NDISRT_TESTS_HOST_TDEV_H */
