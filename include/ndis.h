/*
 * ndis.h - the NDIS DDI as ndisrt implements it.
 *
 * Source-compatible with the WDK's ndis.h for everything it declares: the
 * same names, types, parameter order, constants and function role types, so
 * a miniport written from Microsoft's documentation compiles against it
 * unchanged. It declares only what ndisrt implements. Targets x64 (LP64 on
 * Linux: ULONG and LONG are 32 bits, pointers 64).
 *
 * SAL annotations are accepted and ignored.
 */
#ifndef _NDIS_
#define _NDIS_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ SAL (no-op) */

#define _In_
#define _In_opt_
#define _Out_
#define _Out_opt_
#define _Inout_
#define _Inout_opt_
#define _In_reads_(s)
#define _In_reads_bytes_(s)
#define _Out_writes_(s)
#define _Out_writes_bytes_(s)
#define _Out_writes_bytes_to_(s, c)
#define _Inout_updates_(s)
#define _Inout_updates_bytes_(s)
#define _Outptr_
#define _Outptr_result_maybenull_
#define _Outptr_result_bytebuffer_(s)
#define _Must_inspect_result_
#define _Use_decl_annotations_
#define _Check_return_
#define _Success_(e)
#define _When_(c, a)
#define _At_(t, a)
#define _Pre_notnull_
#define _Post_invalid_
#define _Field_size_(s)
#define _Field_size_bytes_(s)
#define _IRQL_requires_(i)
#define _IRQL_requires_max_(i)
#define _IRQL_requires_min_(i)
#define _IRQL_requires_same_
#define _IRQL_raises_(i)
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_saves_global_(k, p)
#define _IRQL_restores_global_(k, p)
#define _IRQL_always_function_min_(i)
#define _IRQL_always_function_max_(i)
#define _Requires_lock_held_(l)
#define _Requires_lock_not_held_(l)
#define _Acquires_lock_(l)
#define _Releases_lock_(l)
#define _Function_class_(c)
#define _Kernel_float_used_
#define __drv_aliasesMem
#define __drv_allocatesMem(k)
#define __drv_freesMem(k)
#define __drv_maxIRQL(i)
#define __drv_minIRQL(i)
#define __drv_setsIRQL(i)
#define __drv_savesIRQL
#define __drv_restoresIRQL
#define __drv_requiresIRQL(i)
#define __drv_functionClass(c)
#define __drv_sameIRQL

#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

#define NTAPI
#define NDIS_API
#define FASTCALL
#define NTKERNELAPI
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))

/* --------------------------------------------------------------- base types */

#ifndef VOID
#define VOID void
#endif
typedef char CHAR;
typedef short SHORT;

typedef unsigned char UCHAR, *PUCHAR;
typedef unsigned short USHORT, *PUSHORT;
typedef unsigned int ULONG, *PULONG; /* 32 bits, as on Windows (LLP64) */
typedef int LONG, *PLONG;
typedef unsigned int UINT, *PUINT;
typedef int INT, *PINT;
typedef signed char CCHAR;
typedef short CSHORT;
typedef unsigned short WORD;
typedef unsigned int DWORD;
typedef uint64_t ULONG64, *PULONG64, ULONGLONG, *PULONGLONG;
typedef int64_t LONG64, *PLONG64, LONGLONG, *PLONGLONG;
typedef uintptr_t ULONG_PTR, *PULONG_PTR, SIZE_T, *PSIZE_T;
typedef intptr_t LONG_PTR, *PLONG_PTR;
typedef void *PVOID, **PPVOID;
typedef CHAR *PCHAR;
typedef UCHAR BOOLEAN, *PBOOLEAN;
typedef LONG NTSTATUS;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif

typedef union _LARGE_INTEGER {
	struct {
		ULONG LowPart;
		LONG HighPart;
	};
	struct {
		ULONG LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

typedef PVOID NDIS_HANDLE, *PNDIS_HANDLE;
typedef int NDIS_STATUS, *PNDIS_STATUS;

/* ------------------------------------------------------------------- IRQL */

typedef UCHAR KIRQL, *PKIRQL;

#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define CMCI_LEVEL 5
#define CLOCK_LEVEL 13
#define IPI_LEVEL 14
#define DRS_LEVEL 14
#define POWER_LEVEL 14
#define PROFILE_LEVEL 15
#define HIGH_LEVEL 15

typedef ULONG_PTR KAFFINITY, *PKAFFINITY;

/* --------------------------------------------------------- status codes */

#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)

#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)0x00000000L)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)0x00000103L)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)0xC0000001L)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)0xC000009AL)
#define NDIS_STATUS_NOT_SUPPORTED ((NDIS_STATUS)0xC00000BBL)
#define NDIS_STATUS_INVALID_PARAMETER ((NDIS_STATUS)0xC000000DL)
#define NDIS_STATUS_INVALID_DATA ((NDIS_STATUS)0xC0010015L)
#define NDIS_STATUS_RESOURCE_CONFLICT ((NDIS_STATUS)0xC001001EL)

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

#ifdef __cplusplus
}
#endif

#endif /* _NDIS_ */
