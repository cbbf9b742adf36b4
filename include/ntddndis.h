/*
 * ntddndis.h - the NDIS definitions shared with user mode (media, OIDs,
 * their structures). In ndisrt they are part of <ndis.h> (<ndis/oid.h>),
 * which this header includes: a driver that includes <ntddndis.h> before
 * or after <ndis.h> gets the same declarations.
 */
#ifndef _NTDDNDIS_
#define _NTDDNDIS_
#include <ndis.h>
#endif /* _NTDDNDIS_ */
