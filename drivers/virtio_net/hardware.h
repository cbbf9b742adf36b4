/*++

Copyright (c) ndisrt contributors. MIT License.

Module Name:

    hardware.h

Abstract:

    The parts of the OASIS "Virtual I/O Device (VIRTIO)" specification,
    version 1.x, that this miniport uses, as C: PCI identity, the vendor
    capabilities, the common configuration structure, the network device's
    configuration, feature and status bits, the split virtqueue and the
    virtio-net header.

    All multi-byte fields are little-endian, which is also the byte order
    of the processors this sample runs on.

--*/

#ifndef _VIRTIO_NET_HARDWARE_H_
#define _VIRTIO_NET_HARDWARE_H_

//
// PCI identity ("PCI Device Discovery").
//
#define VIRTIO_PCI_VENDOR_ID                0x1AF4
#define VIRTIO_PCI_DEVICE_ID_NET_TRANS      0x1000  // transitional network device
#define VIRTIO_PCI_DEVICE_ID_NET            0x1041  // 0x1040 + virtio device ID 1

#define VIRTIO_PCI_CFG_VENDOR_ID            0x00
#define VIRTIO_PCI_CFG_DEVICE_ID            0x02
#define VIRTIO_PCI_CFG_STATUS               0x06
#define VIRTIO_PCI_CFG_BAR0                 0x10
#define VIRTIO_PCI_CFG_CAP_PTR              0x34
#define VIRTIO_PCI_CFG_LENGTH               256
#define VIRTIO_PCI_STATUS_CAP_LIST          0x0010

//
// Vendor-specific capabilities ("Virtio Structure PCI Capabilities").
// struct virtio_pci_cap: cap_vndr, cap_next, cap_len, cfg_type, bar, id,
// padding[2], offset, length; the notify capability adds
// notify_off_multiplier.
//
#define PCI_CAPABILITY_ID_VENDOR_SPECIFIC   0x09
#define VIRTIO_PCI_CAP_COMMON_CFG           1
#define VIRTIO_PCI_CAP_NOTIFY_CFG           2
#define VIRTIO_PCI_CAP_ISR_CFG              3
#define VIRTIO_PCI_CAP_DEVICE_CFG           4

#define VIRTIO_PCI_CAP_OFF_CFG_TYPE         3
#define VIRTIO_PCI_CAP_OFF_BAR              4
#define VIRTIO_PCI_CAP_OFF_OFFSET           8
#define VIRTIO_PCI_CAP_OFF_LENGTH           12
#define VIRTIO_PCI_CAP_OFF_NOTIFY_MULT      16

//
// struct virtio_pci_common_cfg.
//
#define VIRTIO_COMMON_DEVICE_FEATURE_SELECT 0x00
#define VIRTIO_COMMON_DEVICE_FEATURE        0x04
#define VIRTIO_COMMON_DRIVER_FEATURE_SELECT 0x08
#define VIRTIO_COMMON_DRIVER_FEATURE        0x0C
#define VIRTIO_COMMON_CONFIG_MSIX_VECTOR    0x10
#define VIRTIO_COMMON_NUM_QUEUES            0x12
#define VIRTIO_COMMON_DEVICE_STATUS         0x14
#define VIRTIO_COMMON_CONFIG_GENERATION     0x15
#define VIRTIO_COMMON_QUEUE_SELECT          0x16
#define VIRTIO_COMMON_QUEUE_SIZE            0x18
#define VIRTIO_COMMON_QUEUE_MSIX_VECTOR     0x1A
#define VIRTIO_COMMON_QUEUE_ENABLE          0x1C
#define VIRTIO_COMMON_QUEUE_NOTIFY_OFF      0x1E
#define VIRTIO_COMMON_QUEUE_DESC            0x20    // 64 bits: low, then high half
#define VIRTIO_COMMON_QUEUE_DRIVER          0x28
#define VIRTIO_COMMON_QUEUE_DEVICE          0x30

#define VIRTIO_MSI_NO_VECTOR                0xFFFF

//
// Device status ("Device Status Field").
//
#define VIRTIO_STATUS_ACKNOWLEDGE           0x01
#define VIRTIO_STATUS_DRIVER                0x02
#define VIRTIO_STATUS_DRIVER_OK             0x04
#define VIRTIO_STATUS_FEATURES_OK           0x08
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET    0x40
#define VIRTIO_STATUS_FAILED                0x80

//
// ISR status ("ISR status capability"): reading clears it.
//
#define VIRTIO_ISR_QUEUE                    0x01
#define VIRTIO_ISR_CONFIG                   0x02

//
// Feature bits.
//
#define VIRTIO_NET_F_CSUM                   0
#define VIRTIO_NET_F_MAC                    5
#define VIRTIO_NET_F_MRG_RXBUF              15
#define VIRTIO_NET_F_STATUS                 16
#define VIRTIO_NET_F_CTRL_VQ                17
#define VIRTIO_NET_F_MQ                     22
#define VIRTIO_NET_F_HASH_REPORT            57
#define VIRTIO_NET_F_RSS                    60
#define VIRTIO_F_INDIRECT_DESC              28
#define VIRTIO_F_EVENT_IDX                  29
#define VIRTIO_F_VERSION_1                  32
#define VIRTIO_FEATURE(bit)                 (1ULL << (bit))

//
// struct virtio_net_config ("Network Device / Device configuration layout").
//
#define VIRTIO_NET_CONFIG_MAC               0
#define VIRTIO_NET_CONFIG_STATUS            6
#define VIRTIO_NET_CONFIG_MAX_PAIRS         8
#define VIRTIO_NET_CONFIG_RSS_MAX_KEY       17
#define VIRTIO_NET_CONFIG_RSS_MAX_TABLE     18
#define VIRTIO_NET_CONFIG_HASH_TYPES        20
#define VIRTIO_NET_S_LINK_UP                0x0001

//
// Split virtqueue ("Split Virtqueues").
//
#define VIRTQ_DESC_F_NEXT                   0x0001
#define VIRTQ_DESC_F_WRITE                  0x0002
#define VIRTQ_DESC_F_INDIRECT               0x0004
#define VIRTQ_AVAIL_F_NO_INTERRUPT          0x0001
#define VIRTQ_USED_F_NO_NOTIFY              0x0001

//
// Every structure below is naturally aligned: no packing is needed.
//
typedef struct _VIRTQ_DESC {
    ULONGLONG   Address;
    ULONG       Length;
    USHORT      Flags;
    USHORT      Next;
} VIRTQ_DESC, *PVIRTQ_DESC;

typedef struct _VIRTQ_USED_ELEM {
    ULONG       Id;
    ULONG       Length;
} VIRTQ_USED_ELEM, *PVIRTQ_USED_ELEM;

//
// struct virtio_net_hdr with num_buffers: the 12-byte header of VERSION_1.
//
typedef struct _VIRTIO_NET_HDR {
    UCHAR       Flags;
    UCHAR       GsoType;
    USHORT      HdrLen;
    USHORT      GsoSize;
    USHORT      CsumStart;
    USHORT      CsumOffset;
    USHORT      NumBuffers;
} VIRTIO_NET_HDR, *PVIRTIO_NET_HDR;

//
// With VIRTIO_NET_F_HASH_REPORT the header grows by the hash.
//
typedef struct _VIRTIO_NET_HDR_HASH {
    VIRTIO_NET_HDR  Hdr;
    ULONG           HashValue;
    USHORT          HashReport;
    USHORT          Padding;
} VIRTIO_NET_HDR_HASH, *PVIRTIO_NET_HDR_HASH;

C_ASSERT(sizeof(VIRTQ_DESC) == 16);
C_ASSERT(sizeof(VIRTQ_USED_ELEM) == 8);
C_ASSERT(sizeof(VIRTIO_NET_HDR) == 12);
C_ASSERT(sizeof(VIRTIO_NET_HDR_HASH) == 20);

//
// Driver area (available ring) and device area (used ring) of a queue of
// N entries: flags, idx, ring[N], then the event field.
//
#define VIRTQ_AVAIL_FLAGS(avail)            ((volatile USHORT *)(avail))
#define VIRTQ_AVAIL_IDX(avail)              ((volatile USHORT *)(avail) + 1)
#define VIRTQ_AVAIL_RING(avail, i)          ((volatile USHORT *)(avail) + 2 + (i))
#define VIRTQ_USED_EVENT(avail, n)          ((volatile USHORT *)(avail) + 2 + (n))
#define VIRTQ_AVAIL_BYTES(n)                (6 + 2 * (n))

#define VIRTQ_USED_FLAGS(used)              ((volatile USHORT *)(used))
#define VIRTQ_USED_IDX(used)                ((volatile USHORT *)(used) + 1)
#define VIRTQ_USED_RING(used, i)            ((volatile VIRTQ_USED_ELEM *)((PUCHAR)(used) + 4) + (i))
#define VIRTQ_AVAIL_EVENT(used, n)          ((volatile USHORT *)((PUCHAR)(used) + 4 + 8 * (n)))
#define VIRTQ_USED_BYTES(n)                 (6 + 8 * (n))

//
// Control virtqueue ("Control Virtqueue").
//
#define VIRTIO_NET_CTRL_MQ                  4
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET     0
#define VIRTIO_NET_CTRL_MQ_RSS_CONFIG       1
#define VIRTIO_NET_OK                       0

//
// Hash types and reports ("Hash calculation for incoming packets").
//
#define VIRTIO_NET_HASH_TYPE_IPv4           0x01
#define VIRTIO_NET_HASH_TYPE_TCPv4          0x02
#define VIRTIO_NET_HASH_TYPE_IPv6           0x08
#define VIRTIO_NET_HASH_TYPE_TCPv6          0x10
#define VIRTIO_NET_HASH_REPORT_IPv4         1
#define VIRTIO_NET_HASH_REPORT_TCPv4        2
#define VIRTIO_NET_HASH_REPORT_IPv6         4
#define VIRTIO_NET_HASH_REPORT_TCPv6        5

#endif // _VIRTIO_NET_HARDWARE_H_
