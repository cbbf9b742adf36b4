/* SPDX-License-Identifier: MIT */
/*
 * ndis/ndis.h - the NDIS layer's public header for the layers above it
 * (tools/, explore/).
 *
 * Drivers never include this: they see only <ndis.h>. The layers above
 * ndis/ use the host API, <ndisrt/ndis.h>, and nothing else of this layer.
 */
#ifndef NDISRT_NDIS_NDIS_H
#define NDISRT_NDIS_NDIS_H

#include "ndisrt/ndis.h"

#endif /* NDISRT_NDIS_NDIS_H */
