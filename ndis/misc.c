/* SPDX-License-Identifier: MIT */
/*
 * ndis/misc.c - time and delays (NdisGetCurrentSystemTime,
 * NdisGetSystemUpTime[Ex], NdisMSleep), debug output (DbgPrint[Ex]),
 * DbgBreakPoint, KeBugCheckEx and the error log (NdisWriteErrorLogEntry);
 * <ndis/support.h>.
 *
 * Time is the engine clock: system time is a fixed origin (2026-01-01
 * 00:00 UTC) plus the clock, so a run's times do not depend on the host's
 * date. The error log keeps its first 64 entries (lock-free: a slot is
 * claimed with one atomic increment) for the host's report.
 */
#include "ndis/wdk.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ndisrt/params.h"

/* 2026-01-01 00:00:00 UTC in 100 ns units since 1601-01-01. */
#define SYSTEM_TIME_ORIGIN 134116992000000000ll

void wdk_sleep_until(struct ke_machine *m, uint64_t deadline_ns)
{
	/*
	 * The deterministic engine runs every vCPU on one host thread in
	 * virtual time: a host sleep would stop the clock it waits for. Yield
	 * to the schedule instead; each yield moves the clock on.
	 */
	if (ke_machine_deterministic(m)) {
		while (ke_clock_ns(m) < deadline_ns)
			ke_preempt_point(KE_PP_SPIN);
		return;
	}
	for (;;) {
		uint64_t now = ke_clock_ns(m);
		struct timespec ts;

		if (now >= deadline_ns)
			return;
		ts.tv_sec = (time_t)((deadline_ns - now) / 1000000000ull);
		ts.tv_nsec = (long)((deadline_ns - now) % 1000000000ull);
		/* An interrupt for this vCPU ends the sleep early (EINTR): loop. */
		nanosleep(&ts, NULL);
	}
}

/* NdisGetCurrentSystemTime() - Any IRQL. */
VOID NdisGetCurrentSystemTime(PLARGE_INTEGER pSystemTime)
{
	pSystemTime->QuadPart = SYSTEM_TIME_ORIGIN + (LONGLONG)(wdk_clock_ns() / 100);
}

/* NdisGetSystemUpTime() - Any IRQL: milliseconds on the engine clock. */
VOID NdisGetSystemUpTime(PULONG pSystemUpTime)
{
	*pSystemUpTime = (ULONG)(wdk_clock_ns() / 1000000);
}

/* NdisGetSystemUpTimeEx() - Any IRQL. Return: NDIS_STATUS_SUCCESS. */
ULONG NdisGetSystemUpTimeEx(PLARGE_INTEGER pSystemUpTime)
{
	pSystemUpTime->QuadPart = (LONGLONG)(wdk_clock_ns() / 1000000);
	return NDIS_STATUS_SUCCESS;
}

/*
 * NdisMSleep() - Sleep at least @MicrosecondsToSleep on the engine clock.
 * Context: on a vCPU at IRQL < DISPATCH_LEVEL (0xC4 IRQL / NOT_ON_VCPU).
 */
VOID NdisMSleep(ULONG MicrosecondsToSleep)
{
	struct ke_machine *m;

	ndis_ddi_enter(NDIS_WDK_DDI_SLEEP, KE_PASSIVE_LEVEL, KE_APC_LEVEL);
	m = ke_current_machine();
	wdk_sleep_until(m, ke_clock_ns(m) + (uint64_t)MicrosecondsToSleep * 1000);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* ------------------------------------------------------------ debug */

static ULONG dbg_vprint(const char *fmt, va_list ap)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "DbgPrint[vcpu %u]: ", ke_current_number());
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);

	if (m < 0)
		return (ULONG)STATUS_INVALID_PARAMETER;
	n = n + m >= (int)sizeof(line) ? (int)sizeof(line) - 1 : n + m;
	(void)!write(2, line, (size_t)n);
	return STATUS_SUCCESS;
}

/* DbgPrint() - Any IRQL: one write to standard error. */
ULONG DbgPrint(PCSTR Format, ...)
{
	va_list ap;
	ULONG r;

	va_start(ap, Format);
	r = dbg_vprint(Format, ap);
	va_end(ap);
	return r;
}

/* DbgPrintEx() - As DbgPrint; every component and level is printed. */
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
	va_list ap;
	ULONG r;

	(void)ComponentId;
	(void)Level;
	va_start(ap, Format);
	r = dbg_vprint(Format, ap);
	va_end(ap);
	return r;
}

#define STATUS_BREAKPOINT_CODE 0x80000003u

/*
 * DbgBreakPoint() - No kernel debugger is attached: the breakpoint is an
 * unhandled kernel-mode exception, bug check 0x1E with P1 STATUS_BREAKPOINT
 * and P2 the address of the caller.
 */
VOID DbgBreakPoint(VOID)
{
	ke_bugcheck(KE_BUGCHECK_KMODE_EXCEPTION_NOT_HANDLED, STATUS_BREAKPOINT_CODE,
		    (uintptr_t)__builtin_return_address(0), 0, 0,
		    "DbgBreakPoint with no kernel debugger attached (an unhandled breakpoint "
		    "exception): remove the breakpoint or make it conditional on a debug build");
}

/* KeBugCheckEx() - Any IRQL: the driver stops the machine with its own code. */
VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1, ULONG_PTR BugCheckParameter2,
		  ULONG_PTR BugCheckParameter3, ULONG_PTR BugCheckParameter4)
{
	ke_bugcheck(BugCheckCode, BugCheckParameter1, BugCheckParameter2, BugCheckParameter3,
		    BugCheckParameter4, "the driver called KeBugCheckEx");
}

/* -------------------------------------------------------- error log */

#define ERROR_LOG_KEPT 64u

static struct ndisrt_error_log_entry error_log[ERROR_LOG_KEPT];
static atomic_uint error_log_next;		    /* slots claimed */
static atomic_uint error_log_ready[ERROR_LOG_KEPT]; /* 1 once the slot is written */

/*
 * NdisWriteErrorLogEntry() - Record @ErrorCode and its values.
 * Context: IRQL <= DISPATCH_LEVEL (0xC4 IRQL otherwise).
 */
VOID NdisWriteErrorLogEntry(NDIS_HANDLE NdisAdapterHandle, NDIS_ERROR_CODE ErrorCode,
			    ULONG NumberOfErrorValues, ...)
{
	unsigned slot, kept = NumberOfErrorValues < NDISRT_ERROR_LOG_VALUES
				  ? NumberOfErrorValues
				  : NDISRT_ERROR_LOG_VALUES;
	struct ndisrt_error_log_entry e = {0};
	char line[256];
	va_list ap;
	int n;

	ndis_ddi_enter(NDIS_WDK_DDI_ERROR_LOG, KE_PASSIVE_LEVEL, KE_DISPATCH_LEVEL);
	e.time_ns = wdk_clock_ns();
	e.adapter = NdisAdapterHandle;
	e.code = ErrorCode;
	e.nr_values = kept;
	va_start(ap, NumberOfErrorValues);
	for (unsigned i = 0; i < kept; i++)
		e.values[i] = va_arg(ap, ULONG);
	va_end(ap);
	slot = atomic_fetch_add(&error_log_next, 1);
	if (slot < ERROR_LOG_KEPT) {
		error_log[slot] = e;
		atomic_store_explicit(&error_log_ready[slot], 1, memory_order_release);
	}
	n = snprintf(line, sizeof(line), "ndisrt: error log: adapter %p code 0x%08X (%u value%s",
		     NdisAdapterHandle, (unsigned)ErrorCode, (unsigned)NumberOfErrorValues,
		     NumberOfErrorValues == 1 ? "" : "s");
	for (unsigned i = 0; i < kept && n > 0 && (size_t)n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s0x%X", i ? " " : ": ",
			      e.values[i]);
	if (n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, ")\n");
	if (n > 0)
		(void)!write(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	ke_preempt_point(KE_PP_DDI_EXIT);
}

unsigned ndisrt_error_log_count(void)
{
	return atomic_load(&error_log_next);
}

int ndisrt_error_log_get(unsigned i, struct ndisrt_error_log_entry *out)
{
	if (i >= ERROR_LOG_KEPT || i >= atomic_load(&error_log_next) ||
	    !atomic_load_explicit(&error_log_ready[i], memory_order_acquire))
		return -ENOENT;
	*out = error_log[i];
	return 0;
}

/* ------------------------------------------------------ processor groups */

USHORT NdisActiveGroupCount(VOID)
{
	return 1;
}

USHORT NdisMaxGroupCount(VOID)
{
	return 1;
}

/* NdisGroupActiveProcessorMask() - Any IRQL; one processor on a host thread. */
KAFFINITY NdisGroupActiveProcessorMask(USHORT Group)
{
	struct ke_machine *m = ke_current_machine();
	unsigned n = m ? ke_machine_vcpu_count(m) : 1;

	if (Group != 0)
		return 0;
	return n >= 64 ? ~(KAFFINITY)0 : (((KAFFINITY)1 << n) - 1);
}

/* ----------------------------------------------------------- NET_BUFFER */

/* NdisQueryNetBufferPhysicalCount() - Any IRQL: pages the data spans, MDL by MDL. */
ULONG NdisQueryNetBufferPhysicalCount(PNET_BUFFER NetBuffer)
{
	ULONG left = NET_BUFFER_DATA_LENGTH(NetBuffer), pages = 0;
	ULONG off = NET_BUFFER_CURRENT_MDL_OFFSET(NetBuffer);

	for (PMDL m = NET_BUFFER_CURRENT_MDL(NetBuffer); m && left; m = m->Next, off = 0) {
		uintptr_t va = (uintptr_t)MmGetMdlVirtualAddress(m) + off;
		ULONG len = m->ByteCount > off ? m->ByteCount - off : 0;

		if (len > left)
			len = left;
		if (len)
			pages += (ULONG)((((va & 0xFFF) + len + 0xFFF)) >> 12);
		left -= len;
	}
	return pages;
}
