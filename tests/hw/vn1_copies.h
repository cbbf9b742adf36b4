/* SPDX-License-Identifier: MIT */
/*
 * tests/hw/vn1_copies.h - one fact of the VN-1 register map as a hand
 * copy states it: a key naming the fact the way test_vn1_copies.c names it
 * for hw/vn1.h, and the copy's value. Each copy is read in its own
 * translation unit, because the copies reuse hw/vn1.h's macro names.
 */
#ifndef NDISRT_TESTS_HW_VN1_COPIES_H
#define NDISRT_TESTS_HW_VN1_COPIES_H

#include <stdint.h>

struct vn1_fact {
	const char *key;
	uint64_t value;
};

#define VN1_FACT(key, expr)           \
	{                             \
		key, (uint64_t)(expr) \
	}

/* Queue-indexed facts: F(q) for q = 0..7. */
#define VN1_EACH_QUEUE(F) F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7)

extern const struct vn1_fact vn1_copy_driver[]; /* drivers/vn1/hardware.h */
extern const unsigned vn1_copy_driver_len;
extern const struct vn1_fact vn1_copy_pio[]; /* drivers/vn1pio/hardware.h */
extern const unsigned vn1_copy_pio_len;
extern const struct vn1_fact vn1_copy_line[]; /* drivers/external/vn1_line.c */
extern const unsigned vn1_copy_line_len;

#endif
