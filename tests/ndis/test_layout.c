/* SPDX-License-Identifier: MIT */
/*
 * tests/ndis/test_layout.c - <ndis.h> layouts, constants and version
 * macros (x64, spec §1, §3, §10, §11), and the host API's argument checks.
 */
#include "tests/ndis/tndis.h"

#include <stddef.h>

#define OFF(t, f, v) _Static_assert(offsetof(t, f) == (v), #t "." #f " offset")
#define SIZE(t, v) _Static_assert(sizeof(t) == (v), "sizeof " #t)

/* Base types as on Windows x64 (LLP64). */
SIZE(ULONG, 4);
SIZE(KAFFINITY, 8);
SIZE(NDIS_HANDLE, 8);
SIZE(BOOLEAN, 1);
SIZE(PHYSICAL_ADDRESS, 8);

/* §1 */
SIZE(NDIS_OBJECT_HEADER, 4);
OFF(NDIS_OBJECT_HEADER, Revision, 1);
OFF(NDIS_OBJECT_HEADER, Size, 2);
SIZE(GROUP_AFFINITY, 16);
OFF(GROUP_AFFINITY, Group, 8);
OFF(GROUP_AFFINITY, Reserved, 10);
SIZE(PROCESSOR_NUMBER, 4);
OFF(PROCESSOR_NUMBER, Number, 2);
OFF(PROCESSOR_NUMBER, Reserved, 3);

/* §3: NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, 0x60 bytes. */
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, Header, 0x00);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, InterruptHandler, 0x08);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, InterruptDpcHandler, 0x10);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, DisableInterruptHandler, 0x18);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, EnableInterruptHandler, 0x20);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MsiSupported, 0x28);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MsiSyncWithAllMessages, 0x29);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInterruptHandler, 0x30);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInterruptDpcHandler, 0x38);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, DisableMessageInterruptHandler, 0x40);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, EnableMessageInterruptHandler, 0x48);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, InterruptType, 0x50);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInfoTable, 0x58);
SIZE(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, 0x60);
_Static_assert(NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1 == 0x60, "rev 1 size");

/* §10: IO_INTERRUPT_MESSAGE_INFO(_ENTRY). */
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, MessageAddress, 0);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, TargetProcessorSet, 8);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, InterruptObject, 16);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, MessageData, 24);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, Vector, 28);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, Irql, 32);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, Mode, 36);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, Polarity, 40);
SIZE(IO_INTERRUPT_MESSAGE_INFO_ENTRY, 48);
OFF(IO_INTERRUPT_MESSAGE_INFO, UnifiedIrql, 0);
OFF(IO_INTERRUPT_MESSAGE_INFO, MessageCount, 4);
OFF(IO_INTERRUPT_MESSAGE_INFO, MessageInfo, 8);
SIZE(IO_INTERRUPT_MESSAGE_INFO, 56);

/* §11 */
SIZE(NDIS_RECEIVE_THROTTLE_PARAMETERS, 8);
OFF(NDIS_RECEIVE_THROTTLE_PARAMETERS, MaxNblsToIndicate, 0);

/* Registration attributes. */
OFF(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, MiniportAdapterContext, 8);
OFF(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, AttributeFlags, 16);
OFF(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, CheckForHangTimeInSeconds, 20);
OFF(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, InterfaceType, 24);
_Static_assert(NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 == 28, "rev 1");

/* Constants. */
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT == 0x84, "C-22");
_Static_assert(NDIS_MINIPORT_INTERRUPT_REVISION_1 == 1, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES == 0x9E, "");
_Static_assert(NDIS_CONNECT_LINE_BASED == 1 && NDIS_CONNECT_MESSAGE_BASED == 2, "C-19");
_Static_assert(LevelSensitive == 0 && Latched == 1, "");
_Static_assert(InterruptPolarityUnknown == 0 && InterruptActiveHigh == 1 &&
		   InterruptRisingEdge == 1 && InterruptActiveLow == 2 &&
		   InterruptFallingEdge == 2 && InterruptActiveBoth == 3 &&
		   InterruptActiveBothTriggerLow == 3 && InterruptActiveBothTriggerHigh == 4,
	       "");
_Static_assert(NDIS_INDICATE_ALL_NBLS == 0xFFFFFFFFu, "");
_Static_assert(sizeof(NDIS_INDICATE_ALL_NBLS) == sizeof(ULONG), "compares with a ULONG");
_Static_assert(NDISRT_INDICATE_ALL_NBLS == NDIS_INDICATE_ALL_NBLS, "host API value");
_Static_assert(PASSIVE_LEVEL == 0 && APC_LEVEL == 1 && DISPATCH_LEVEL == 2 && HIGH_LEVEL == 15, "");
_Static_assert(NDIS_STATUS_BAD_VERSION == (NDIS_STATUS)0xC0010004L, "");

/* Versions: this file is an NDIS 6.30 miniport that also defines NDIS60_MINIPORT. */
_Static_assert(NDIS_MINIPORT_MAJOR_VERSION == 6 && NDIS_MINIPORT_MINOR_VERSION == 30, "");
_Static_assert(
    NDIS_SUPPORT_NDIS6 &&NDIS_SUPPORT_NDIS61 &&NDIS_SUPPORT_NDIS620 &&NDIS_SUPPORT_NDIS630, "");
_Static_assert(!NDIS_SUPPORT_NDIS640 && !NDIS_SUPPORT_NDIS689, "");
_Static_assert(NDIS_SUPPORT_60_COMPATIBLE_API, "NDIS60_MINIPORT keeps NdisMQueueDpc");

/* The role types are the handler pointer types' targets (as the WDK's). */
_Static_assert(__builtin_types_compatible_p(MINIPORT_ISR *, MINIPORT_ISR_HANDLER), "");
_Static_assert(__builtin_types_compatible_p(MINIPORT_MESSAGE_INTERRUPT *, MINIPORT_MSI_ISR_HANDLER),
	       "");
_Static_assert(__builtin_types_compatible_p(MINIPORT_MESSAGE_INTERRUPT_DPC *,
					    MINIPORT_MSI_INTERRUPT_DPC_HANDLER),
	       "");
_Static_assert(__builtin_types_compatible_p(MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT *,
					    MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER),
	       "a message sync routine is passed where a sync handler is expected");

/* Checks of the NDIS 6.0 and 6.20 shapes: test_version60.c, test_version620.c. */
int tversion60_dpc_reserved_is_pulong(void);
int tversion620_has_no_queue_dpc(void);

Test(ndis_layout, structure_sizes_and_offsets_match_x64_windows)
{
	/* Everything above is checked at compile time; this records it ran. */
	cr_assert_eq(sizeof(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS), 0x60);
	cr_assert_eq(sizeof(IO_INTERRUPT_MESSAGE_INFO_ENTRY), 48);
	cr_assert_eq(offsetof(IO_INTERRUPT_MESSAGE_INFO, MessageInfo), 8);
}

Test(ndis_layout, version_macros_follow_the_wdk_scheme)
{
	cr_assert(tversion60_dpc_reserved_is_pulong(),
		  "NDIS 6.0 build: DPC slots 3 and 4 must be PULONG NdisReserved1/2");
	cr_assert(tversion620_has_no_queue_dpc(),
		  "NDIS 6.20-only build: NdisMQueueDpc must be hidden");
}

/* ---------------------------------------------------- host API checks */

Test(ndis_layout, host_api_rejects_bad_configurations)
{
	struct ke_machine *m = harness_machine(2);
	struct intc *ic = intc_create(m);
	struct intc_line *line = intc_line_create(ic, 6, 1);
	struct ndisrt_adapter_config cfg;
	struct ndisrt_adapter *a;
	struct ndisrt_interrupt_counters c;

	ndisrt_adapter_config_init(&cfg, ic);
	cfg.line = line;
	cfg.nr_messages = 1;
	cr_assert_null(ndisrt_adapter_create(m, &cfg), "line and messages at once");
	cr_assert_eq(errno, EINVAL);
	ndisrt_adapter_config_init(&cfg, ic);
	cfg.nr_messages = NDISRT_MAX_MESSAGES + 1;
	cr_assert_null(ndisrt_adapter_create(m, &cfg), "17 messages");
	ndisrt_adapter_config_init(&cfg, ic);
	cfg.nr_messages = 2;
	cfg.message_vcpu[1] = 2;
	cr_assert_null(ndisrt_adapter_create(m, &cfg), "a message on a missing vCPU");
	ndisrt_adapter_config_init(&cfg, ic);
	cfg.nr_messages = 1;
	cfg.message_irql[0] = DISPATCH_LEVEL;
	cr_assert_null(ndisrt_adapter_create(m, &cfg), "a message below DIRQL");
	cfg.message_irql[0] = CLOCK_LEVEL;
	cr_assert_null(ndisrt_adapter_create(m, &cfg), "a message above DIRQL");
	ndisrt_adapter_config_init(&cfg, NULL);
	cfg.nr_messages = 1;
	cr_assert_null(ndisrt_adapter_create(m, &cfg), "messages without a controller");
	ndisrt_adapter_config_init(&cfg, ic);
	cfg.max_nbls_to_indicate = 0;
	cr_assert_null(ndisrt_adapter_create(m, &cfg), "MaxNblsToIndicate 0");
	ndisrt_adapter_config_init(&cfg, ic);
	cfg.line = line;
	a = ndisrt_adapter_create(m, &cfg);
	cr_assert_not_null(a);
	cr_assert_eq(ndisrt_adapter_set_max_nbls(a, 0), -EINVAL);
	cr_assert_eq(ndisrt_adapter_counters(a, NDISRT_MAX_MESSAGES, 0, &c), -EINVAL);
	cr_assert_eq(ndisrt_adapter_counters(a, 0, 2, &c), -EINVAL);
	cr_assert_eq(ndisrt_adapter_interrupt_kind(a), NDISRT_INTERRUPT_NONE);
	cr_assert_null(ndisrt_adapter_ke_interrupt(a, 0));
	cr_assert_eq(ndisrt_adapter_disable_interrupt(a, 0), -ENOENT);
	cr_assert_eq(ndisrt_adapter_free(a), 0);
	intc_line_free(line);
	intc_free(ic);
	harness_end(m);
}
