/*
 * ntddk.h - as in the WDK, wdm.h and what it adds for non-WDM drivers;
 * ndisrt has nothing beyond <wdm.h> for a miniport, so this is <wdm.h>.
 */
#ifndef _NTDDK_
#define _NTDDK_
#include <wdm.h>
#endif /* _NTDDK_ */
