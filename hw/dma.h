/* SPDX-License-Identifier: MIT */
/*
 * hw/dma.h - the DMA address space devices see.
 *
 * Driver shared memory is registered here under a logical (bus) address
 * that is deliberately unrelated to its host virtual address, so a driver
 * that hands a device a pointer instead of the logical address from
 * NdisMAllocateSharedMemory is caught as a DMA fault, not silently obeyed.
 *
 * Address layout: region r (r = 0..HW_DMA_MAX_REGIONS-1) occupies logical
 * addresses ((r + 1) << 32) .. ((r + 1) << 32) + size - 1, so every region
 * starts at a 4 GiB-aligned address at or above 0x1_0000_0000, any alignment
 * a device asks for holds, and a translation is one table lookup.
 */
#ifndef NDISRT_HW_DMA_H
#define NDISRT_HW_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HW_DMA_BASE 0x100000000ULL
#define HW_DMA_MAX_REGIONS 65536u
#define HW_DMA_MAX_REGION_SIZE 0xFFFFFFFFULL

struct hw_dma_space;

struct hw_dma_stats {
	uint64_t regions; /* registered now */
	uint64_t bytes;	  /* registered now */
	uint64_t faults;  /* accesses refused (address not inside one live region) */
};

/** hw_dma_space_create() - An empty DMA space. Context: host thread. Return: NULL on ENOMEM. */
struct hw_dma_space *hw_dma_space_create(void);

/**
 * hw_dma_space_free() - Free the space and the memory hw_dma_alloc() gave out.
 * Context: host thread; no device may access the space any more.
 */
void hw_dma_space_free(struct hw_dma_space *s);

/**
 * hw_dma_alloc() - Allocate @len zeroed bytes of device-visible memory.
 * @logical: out, the address to give a device.
 * Context: host thread or IRQL <= DISPATCH_LEVEL (calls malloc).
 * Return: the host virtual address, or NULL (errno EINVAL for @len 0 or over
 * 4 GiB - 1, ENOSPC when every region slot is used, ENOMEM).
 */
void *hw_dma_alloc(struct hw_dma_space *s, size_t len, uint64_t *logical);

/**
 * hw_dma_alloc32() - As hw_dma_alloc(), for a bus master with 32-bit address
 * registers: the region takes one of the 32-bit window's slots (below) and
 * *@logical is its window address (below 4 GiB; hw_dma_free() and the
 * accessors take it like any logical address).
 * Return: the host virtual address, or NULL (errno EINVAL for @len 0 or over
 * HW_DMA_W32_SPAN, ENOSPC when the window's HW_DMA_W32_REGIONS slots are
 * used, ENOMEM).
 */
void *hw_dma_alloc32(struct hw_dma_space *s, size_t len, uint64_t *logical);

/**
 * hw_dma_register() - Make caller-owned memory [@va, @va + @len) device-visible.
 * Context: as hw_dma_alloc(). The caller keeps ownership of the memory.
 * Return: 0 and *@logical, or -EINVAL / -ENOSPC.
 */
int hw_dma_register(struct hw_dma_space *s, void *va, size_t len, uint64_t *logical);

/**
 * hw_dma_free() - Remove the region that starts at host address @va (and
 * free it if hw_dma_alloc() allocated it). Waits until no device access to
 * the region is in flight, so a device never touches freed memory.
 * Context: host thread or PASSIVE_LEVEL (may yield).
 * Return: 0, or -ENOENT if @va starts no region.
 */
int hw_dma_free(struct hw_dma_space *s, void *va);

/**
 * hw_dma_translate() - Host address of [@logical, @logical + @len), or NULL.
 * Context: any; async-signal-safe. The pointer stays valid only while the
 * driver keeps the region; devices use hw_dma_read()/hw_dma_write(), which
 * hold the region across the copy.
 */
void *hw_dma_translate(struct hw_dma_space *s, uint64_t logical, size_t len);

/**
 * hw_dma_read() / hw_dma_write() - A device's bus-master access.
 * Context: any thread, any IRQL; async-signal-safe, lock-free.
 * Return: 0, or -EFAULT (counted) if the range is not inside one live region.
 */
int hw_dma_read(struct hw_dma_space *s, uint64_t logical, void *buf, size_t len);
int hw_dma_write(struct hw_dma_space *s, uint64_t logical, const void *buf, size_t len);

void hw_dma_get_stats(struct hw_dma_space *s, struct hw_dma_stats *out);

/*
 * The 32-bit window, for bus masters with 32-bit address registers (the
 * RTL8139's RBSTART and TSAD0-3): region r < HW_DMA_W32_REGIONS of at most
 * HW_DMA_W32_SPAN bytes also answers at HW_DMA_W32_BASE + r * HW_DMA_W32_SPAN.
 * Everything below 4 GiB outside the window still faults.
 */
#define HW_DMA_W32_BASE 0x80000000ULL
#define HW_DMA_W32_SPAN 0x100000ULL /* 1 MiB */
#define HW_DMA_W32_REGIONS 2048u

/**
 * hw_dma_addr32() - The 32-bit window alias of @logical (from hw_dma_alloc()
 * or hw_dma_register()). Context: as hw_dma_alloc() (takes the space's mutex). Return: 0 and *@out, or -ERANGE (the
 * region is past the window or larger than HW_DMA_W32_SPAN).
 */
int hw_dma_addr32(struct hw_dma_space *s, uint64_t logical, uint32_t *out);

#endif /* NDISRT_HW_DMA_H */
