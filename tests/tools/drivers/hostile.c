/*
 * A hostile miniport: the sample drivers/external/vn1_line.c with
 * one escape compiled in (-DHOSTILE_<KIND>), at the place a real bug would
 * put it. ndisrt must end every one of them with a report and a non-zero
 * exit status, never a signal death, a hang or a pass (docs/reliability.md).
 *
 *   DPC_OVERFLOW, ISR_OVERFLOW   unbounded recursion in the DPC / the ISR
 *   BAD_JUMP                     the DPC calls through a bad function pointer
 *   ABORT, EXIT_DPC              the DPC calls abort() / exit(0)
 *   ASSERT                       an assert() in the DPC fails
 *   CTOR_EXIT, CTOR_CRASH        an ELF constructor calls exit(0) / faults
 *   LOOP_ENTRY, LOOP_INIT, LOOP_OID, LOOP_PAUSE, LOOP_RESTART, LOOP_HALT,
 *   LOOP_UNLOAD                  that routine never returns
 *   STORM                        the ISR claims the interrupt and never
 *                                dismisses it (a level line stays asserted)
 *   STALL_DPC                    the DPC busy-waits 10 s in 50 us steps
 */
#include <assert.h>
#include <stdlib.h>

#define DriverEntry MmDriverEntry
#define NdisMRegisterMiniportDriver HostileRegisterMiniportDriver
#define NdisMRegisterInterruptEx HostileRegisterInterruptEx
#include "../../../drivers/external/vn1_line.c"
#undef DriverEntry
#undef NdisMRegisterMiniportDriver
#undef NdisMRegisterInterruptEx

NDIS_STATUS NdisMRegisterMiniportDriver(PDRIVER_OBJECT, PUNICODE_STRING, NDIS_HANDLE,
					PNDIS_MINIPORT_DRIVER_CHARACTERISTICS, PNDIS_HANDLE);
NDIS_STATUS NdisMRegisterInterruptEx(NDIS_HANDLE, NDIS_HANDLE,
				     PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, PNDIS_HANDLE);

static volatile unsigned long HostileSpin;

/* Never returns, and the compiler cannot prove it (volatile). */
__attribute__((unused)) static void HostileLoop(void)
{
	for (;;)
		HostileSpin++;
}

/* Unbounded recursion, 1 KiB a frame; not a tail call. */
__attribute__((noinline, unused)) static int HostileRecurse(volatile char *up, int depth)
{
	volatile char frame[1024];

	if (depth < 0) /* never: the stack ends long before */
		return 0;
	frame[0] = (char)depth;
	frame[1] = up ? up[0] : 0;
	return HostileRecurse(frame, depth + 1) + frame[1];
}

#if defined(HOSTILE_CTOR_EXIT)
__attribute__((constructor)) static void HostileConstructor(void)
{
	exit(0);
}
#elif defined(HOSTILE_CTOR_CRASH)
__attribute__((constructor)) static void HostileConstructor(void)
{
	*(volatile int *)16 = 1;
}
#endif

static MINIPORT_INITIALIZE_HANDLER RealInitialize;
static MINIPORT_OID_REQUEST_HANDLER RealOidRequest;
static MINIPORT_PAUSE_HANDLER RealPause;
static MINIPORT_RESTART_HANDLER RealRestart;
static MINIPORT_HALT_HANDLER RealHalt;
static MINIPORT_DRIVER_UNLOAD RealUnload;
static MINIPORT_ISR_HANDLER RealIsr;
static MINIPORT_INTERRUPT_DPC_HANDLER RealDpc;

static NDIS_STATUS HostileInitialize(NDIS_HANDLE h, NDIS_HANDLE ctx,
				     PNDIS_MINIPORT_INIT_PARAMETERS p)
{
#if defined(HOSTILE_LOOP_INIT)
	HostileLoop();
#endif
	return RealInitialize(h, ctx, p);
}

static NDIS_STATUS HostileOidRequest(NDIS_HANDLE ctx, PNDIS_OID_REQUEST req)
{
#if defined(HOSTILE_LOOP_OID)
	HostileLoop();
#endif
	return RealOidRequest(ctx, req);
}

static NDIS_STATUS HostilePause(NDIS_HANDLE ctx, PNDIS_MINIPORT_PAUSE_PARAMETERS p)
{
#if defined(HOSTILE_LOOP_PAUSE)
	HostileLoop();
#endif
	return RealPause(ctx, p);
}

static NDIS_STATUS HostileRestart(NDIS_HANDLE ctx, PNDIS_MINIPORT_RESTART_PARAMETERS p)
{
#if defined(HOSTILE_LOOP_RESTART)
	HostileLoop();
#endif
	return RealRestart(ctx, p);
}

static VOID HostileHalt(NDIS_HANDLE ctx, NDIS_HALT_ACTION action)
{
#if defined(HOSTILE_LOOP_HALT)
	HostileLoop();
#endif
	RealHalt(ctx, action);
}

static VOID HostileUnload(PDRIVER_OBJECT obj)
{
#if defined(HOSTILE_LOOP_UNLOAD)
	HostileLoop();
#endif
	RealUnload(obj);
}

static BOOLEAN HostileIsr(NDIS_HANDLE ctx, PBOOLEAN queue_dpc, PULONG target)
{
#if defined(HOSTILE_ISR_OVERFLOW)
	HostileRecurse(NULL, 0);
#elif defined(HOSTILE_STORM)
	/* Claimed, never dismissed: the device keeps its line asserted. */
	*queue_dpc = FALSE;
	*target = 0;
	return TRUE;
#endif
	return RealIsr(ctx, queue_dpc, target);
}

static VOID HostileDpc(NDIS_HANDLE ctx, PVOID dpc_ctx, PVOID throttle, PVOID reserved)
{
#if defined(HOSTILE_DPC_OVERFLOW)
	HostileRecurse(NULL, 0);
#elif defined(HOSTILE_BAD_JUMP)
	void (*volatile fn)(void) = (void (*)(void))(ULONG_PTR)0xdead0000ull;

	fn();
#elif defined(HOSTILE_ABORT)
	abort();
#elif defined(HOSTILE_EXIT_DPC)
	exit(0);
#elif defined(HOSTILE_ASSERT)
	assert(HostileSpin == 12345);
#elif defined(HOSTILE_STALL_DPC)
	for (int i = 0; i < 200000; i++)
		NdisStallExecution(50);
#endif
	RealDpc(ctx, dpc_ctx, throttle, reserved);
}

NDIS_STATUS HostileRegisterInterruptEx(NDIS_HANDLE adapter, NDIS_HANDLE ctx,
				       PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS chars,
				       PNDIS_HANDLE out)
{
	RealIsr = chars->InterruptHandler;
	RealDpc = chars->InterruptDpcHandler;
	chars->InterruptHandler = HostileIsr;
	chars->InterruptDpcHandler = HostileDpc;
	return NdisMRegisterInterruptEx(adapter, ctx, chars, out);
}

NDIS_STATUS HostileRegisterMiniportDriver(PDRIVER_OBJECT obj, PUNICODE_STRING path, NDIS_HANDLE ctx,
					  PNDIS_MINIPORT_DRIVER_CHARACTERISTICS chars,
					  PNDIS_HANDLE out)
{
	RealInitialize = chars->InitializeHandlerEx;
	RealOidRequest = chars->OidRequestHandler;
	RealPause = chars->PauseHandler;
	RealRestart = chars->RestartHandler;
	RealHalt = chars->HaltHandlerEx;
	RealUnload = chars->UnloadHandler;
	chars->InitializeHandlerEx = HostileInitialize;
	chars->OidRequestHandler = HostileOidRequest;
	chars->PauseHandler = HostilePause;
	chars->RestartHandler = HostileRestart;
	chars->HaltHandlerEx = HostileHalt;
	chars->UnloadHandler = HostileUnload;
	return NdisMRegisterMiniportDriver(obj, path, ctx, chars, out);
}

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT obj, PUNICODE_STRING path)
{
#if defined(HOSTILE_LOOP_ENTRY)
	HostileLoop();
#endif
	return MmDriverEntry(obj, path);
}
