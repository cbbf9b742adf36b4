/*
 * ntdef.h - the WDK's base definitions as ndisrt provides them: SAL and
 * driver-specs annotations (accepted, empty), calling-convention and
 * declspec spellings, the base types of 64-bit Windows (LLP64: LONG and
 * ULONG are 32 bits, pointers 64), NTSTATUS, LARGE_INTEGER, strings, GUID,
 * doubly and singly linked list entries, and the ntdef.h helper macros
 * (FIELD_OFFSET, CONTAINING_RECORD, ARRAYSIZE, C_ASSERT, ...).
 *
 * <ndis.h> includes it (through <wdm.h>); a miniport may also include it
 * first, as WDK sources do. Build drivers with the flags
 * `pkg-config --cflags ndisrt` gives (README.md): -fshort-wchar makes L"..."
 * 16-bit like WCHAR, -fms-extensions accepts MSVC's unnamed members of a
 * named structure type.
 */
#ifndef _NTDEF_
#define _NTDEF_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------ SAL 2 (all empty) */

#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(s)
#define _In_reads_opt_(s)
#define _In_reads_bytes_(s)
#define _In_reads_bytes_opt_(s)
#define _In_reads_z_(s)
#define _In_range_(l, h)
#define _Out_
#define _Out_opt_
#define _Out_writes_(s)
#define _Out_writes_opt_(s)
#define _Out_writes_bytes_(s)
#define _Out_writes_bytes_opt_(s)
#define _Out_writes_to_(s, c)
#define _Out_writes_bytes_to_(s, c)
#define _Out_writes_bytes_all_(s)
#define _Out_writes_z_(s)
#define _Out_range_(l, h)
#define _Inout_
#define _Inout_opt_
#define _Inout_z_
#define _Inout_updates_(s)
#define _Inout_updates_opt_(s)
#define _Inout_updates_bytes_(s)
#define _Inout_updates_bytes_opt_(s)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_opt_result_maybenull_
#define _Outptr_result_buffer_(s)
#define _Outptr_result_bytebuffer_(s)
#define _Outptr_result_bytebuffer_maybenull_(s)
#define _Deref_out_range_(l, h)
#define _Ret_
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_range_(l, h)
#define _Result_nullonfailure_
#define _Result_zeroonfailure_
#define _Must_inspect_result_
#define _Check_return_
#define _Use_decl_annotations_
#define _Success_(e)
#define _Return_type_success_(e)
#define _When_(c, a)
#define _At_(t, a)
#define _At_buffer_(t, i, c, a)
#define _Pre_
#define _Post_
#define _Pre_notnull_
#define _Pre_maybenull_
#define _Pre_null_
#define _Pre_satisfies_(e)
#define _Post_satisfies_(e)
#define _Post_invalid_
#define _Post_ptr_invalid_
#define _Post_writable_byte_size_(s)
#define _Post_maybenull_
#define _Notnull_
#define _Maybenull_
#define _Null_terminated_
#define _NullNull_terminated_
#define _Field_size_(s)
#define _Field_size_opt_(s)
#define _Field_size_bytes_(s)
#define _Field_size_bytes_opt_(s)
#define _Field_size_part_(s, c)
#define _Field_size_bytes_part_(s, c)
#define _Field_range_(l, h)
#define _Field_z_
#define _Struct_size_bytes_(s)
#define _Analysis_assume_(e)
#define _Analysis_mode_(m)
#define _Literal_
#define _Printf_format_string_
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Reserved_
#define _Writable_bytes_(s)
#define _Readable_bytes_(s)
#define _Interlocked_operand_
#define _Points_to_data_
#define _Dispatch_type_(t)
#define _Strict_type_match_

/* ------------------------------------------- driver-specs (all empty) */

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
#define _IRQL_uses_cancel_
#define _IRQL_is_cancel_
#define _IRQL_lowers_to_(i)
#define _Requires_lock_held_(l)
#define _Requires_lock_not_held_(l)
#define _Requires_exclusive_lock_held_(l)
#define _Requires_shared_lock_held_(l)
#define _Requires_no_locks_held_
#define _Acquires_lock_(l)
#define _Acquires_exclusive_lock_(l)
#define _Acquires_shared_lock_(l)
#define _Releases_lock_(l)
#define _Releases_exclusive_lock_(l)
#define _Releases_shared_lock_(l)
#define _Guarded_by_(l)
#define _Has_lock_kind_(k)
#define _Function_class_(c)
#define _Kernel_float_used_
#define _Kernel_float_saved_
#define _Kernel_float_restored_
#define _Kernel_requires_resource_held_(r)
#define _Kernel_requires_resource_not_held_(r)
#define _Kernel_acquires_resource_(r)
#define _Kernel_releases_resource_(r)
#define _Kernel_clear_do_init_(y)
#define _Kernel_IoGetDmaAdapter_
#define _When_kernel_
#define _Must_inspect_irql_
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
#define __drv_dispatchType(t)
#define __drv_inTry
#define __drv_notInTry
#define __drv_when(c, a)
#define __drv_arg(e, a)
#define __drv_in(a)
#define __drv_out(a)
#define __drv_valueIs(e)
#define __drv_strictType(t, m)
#define __drv_strictTypeMatch(m)
#define __drv_acquiresResource(k)
#define __drv_releasesResource(k)
#define __drv_mustHold(k)
#define __drv_neverHold(k)
#define __drv_preferredFunction(f, r)
#define __drv_reportError(e)
#define __drv_isObjectPointer
#define __drv_floatUsed
#define __drv_useCancelIRQL
#define __drv_interlocked
/* SAL 1 spellings older sources still use. */
#define __in
#define __in_opt
#define __out
#define __out_opt
#define __inout
#define __inout_opt
#define __deref_out
#define __in_bcount(s)
#define __out_bcount(s)
#define __in_ecount(s)
#define __out_ecount(s)
#define __checkReturn

#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif
#ifndef CONST
#define CONST const
#endif

/* ---------------------------------- calling conventions and declspecs */

/* x64 has one calling convention: these are all empty, as on Windows x64. */
#define NTAPI
#define NTAPI_INLINE
#define NDIS_API
#define FASTCALL
#define NTKERNELAPI
#define NTSYSAPI
#define NTSYSCALLAPI
#define WINAPI
#define STDCALL
#define CALLBACK
#define __stdcall
#define __cdecl
#define __fastcall

/*
 * FORCEINLINE has no storage class: drivers write "static FORCEINLINE" and
 * "FORCEINLINE" alone; as in C99, a FORCEINLINE function without static is
 * an inline definition, so such a driver must also be built with the
 * definition available (the WDK's are all static or in headers).
 */
#define FORCEINLINE __inline__ __attribute__((__always_inline__))
#define __forceinline FORCEINLINE
#define __inline __inline__
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))
#define DECLSPEC_NOINLINE __attribute__((noinline))
#define DECLSPEC_NORETURN __attribute__((noreturn))
#define DECLSPEC_NOTHROW __attribute__((nothrow))
#define DECLSPEC_SELECTANY __attribute__((weak))
#define DECLSPEC_CACHEALIGN DECLSPEC_ALIGN(64)
#define DECLSPEC_IMPORT
#define DECLSPEC_EXPORT __attribute__((visibility("default")))
#define DECLSPEC_DEPRECATED
#define DECLSPEC_DEPRECATED_DDK
#define DECLSPEC_NOVTABLE
#define DECLSPEC_UUID(x)
#define DECLSPEC_GUARDNOCF
#define DECLSPEC_ADDRSAFE
#define DECLSPEC_RESTRICT
#define DECLSPEC_NOSANITIZE_ADDRESS __attribute__((no_sanitize_address))
/* __declspec(x) as MSVC spells it: align(n), noinline, noreturn, selectany, ... */
#define __declspec(x) NDISRT_DECLSPEC__##x
#define NDISRT_DECLSPEC__align(x) DECLSPEC_ALIGN(x)
#define NDISRT_DECLSPEC__noinline DECLSPEC_NOINLINE
#define NDISRT_DECLSPEC__noreturn DECLSPEC_NORETURN
#define NDISRT_DECLSPEC__nothrow DECLSPEC_NOTHROW
#define NDISRT_DECLSPEC__selectany DECLSPEC_SELECTANY
#define NDISRT_DECLSPEC__dllimport
#define NDISRT_DECLSPEC__dllexport DECLSPEC_EXPORT
#define NDISRT_DECLSPEC__deprecated
#define NDISRT_DECLSPEC__restrict
#define NDISRT_DECLSPEC__novtable
#define __int8 char
#define __int16 short
#define __int32 int
#define __int64 long long
#define __unaligned
#define __ptr64
#define __ptr32
#define UNALIGNED
#define POINTER_64
#define POINTER_32

/* ------------------------------------------------------- base types */

#ifndef VOID
#define VOID void
#endif
typedef char CHAR, *PCHAR, *PSTR, *LPSTR;
typedef const char *PCSTR, *LPCSTR;
typedef short SHORT, *PSHORT;
typedef unsigned char UCHAR, *PUCHAR;
typedef unsigned short USHORT, *PUSHORT;
typedef unsigned int ULONG, *PULONG; /* 32 bits, as on Windows (LLP64) */
typedef const ULONG *PCULONG;
typedef int LONG, *PLONG;
typedef unsigned int UINT, *PUINT;
typedef int INT, *PINT;
typedef signed char CCHAR, *PCCHAR;
typedef short CSHORT, *PCSHORT;
typedef unsigned char BYTE, *PBYTE;
typedef unsigned short WORD, *PWORD;
typedef unsigned int DWORD, *PDWORD;
typedef signed char INT8, *PINT8;
typedef short INT16, *PINT16;
typedef int INT32, *PINT32;
typedef int64_t INT64, *PINT64;
typedef unsigned char UINT8, *PUINT8;
typedef unsigned short UINT16, *PUINT16;
typedef unsigned int UINT32, *PUINT32;
typedef uint64_t UINT64, *PUINT64;
typedef int LONG32, *PLONG32;
typedef unsigned int ULONG32, *PULONG32, DWORD32, *PDWORD32;
typedef uint64_t ULONG64, *PULONG64, ULONGLONG, *PULONGLONG, DWORD64, *PDWORD64, QWORD;
typedef int64_t LONG64, *PLONG64, LONGLONG, *PLONGLONG;
typedef uintptr_t ULONG_PTR, *PULONG_PTR, SIZE_T, *PSIZE_T, UINT_PTR, *PUINT_PTR, DWORD_PTR,
    *PDWORD_PTR;
typedef intptr_t LONG_PTR, *PLONG_PTR, SSIZE_T, *PSSIZE_T, INT_PTR, *PINT_PTR;
typedef void *PVOID, **PPVOID, *LPVOID;
typedef const void *PCVOID, *LPCVOID;
typedef UCHAR BOOLEAN, *PBOOLEAN;
typedef int BOOL, *PBOOL;
typedef LONG NTSTATUS, *PNTSTATUS;
typedef PVOID HANDLE, *PHANDLE;
typedef LONG KPRIORITY;
typedef ULONG LOGICAL, *PLOGICAL;
typedef CCHAR KPROCESSOR_MODE;
typedef ULONG ACCESS_MASK, *PACCESS_MASK;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif

#define MAXUCHAR 0xff
#define MAXUSHORT 0xffff
#define MAXULONG 0xffffffffu
#define MAXLONG 0x7fffffff
#define MINLONG ((LONG)0x80000000)
#define MAXLONGLONG (0x7fffffffffffffffLL)
#define MAXULONG_PTR (~(ULONG_PTR)0)

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

typedef union _ULARGE_INTEGER {
	struct {
		ULONG LowPart;
		ULONG HighPart;
	};
	struct {
		ULONG LowPart;
		ULONG HighPart;
	} u;
	ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

/* ------------------------------------------------------ NTSTATUS */

#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_PENDING ((NTSTATUS)0x00000103L)
#define STATUS_TIMEOUT ((NTSTATUS)0x00000102L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017L)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)

/* ------------------------------------------------------ helper macros */

#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define UFIELD_OFFSET(type, field) ((ULONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field) \
	(FIELD_OFFSET(type, field) + RTL_FIELD_SIZE(type, field))
#define RTL_CONTAINS_FIELD(Struct, Size, Field) \
	((((PCHAR)(&(Struct)->Field)) + sizeof((Struct)->Field)) <= (((PCHAR)(Struct)) + (Size)))
#define RTL_NUMBER_OF(A) (sizeof(A) / sizeof((A)[0]))
#define RTL_NUMBER_OF_V1(A) RTL_NUMBER_OF(A)
#define RTL_NUMBER_OF_V2(A) RTL_NUMBER_OF(A)
#define ARRAYSIZE(A) RTL_NUMBER_OF(A)
#define _ARRAYSIZE(A) RTL_NUMBER_OF(A)
#define CONTAINING_RECORD(address, type, field) \
	((type *)((PCHAR)(address) - (ULONG_PTR)(&((type *)0)->field)))
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
/* Repeatable at file scope (C11 _Static_assert). */
#define C_ASSERT(e) _Static_assert((e), #e)
#define ALIGN_DOWN_BY(length, alignment) ((ULONG_PTR)(length) & ~((ULONG_PTR)(alignment)-1))
#define ALIGN_UP_BY(length, alignment) \
	(ALIGN_DOWN_BY(((ULONG_PTR)(length) + (alignment)-1), alignment))
#define ALIGN_DOWN_POINTER_BY(address, alignment) ((PVOID)ALIGN_DOWN_BY(address, alignment))
#define ALIGN_UP_POINTER_BY(address, alignment) ((PVOID)ALIGN_UP_BY(address, alignment))
#define MAKELONG(a, b) ((LONG)(((USHORT)(a)) | ((ULONG)((USHORT)(b))) << 16))
#define LOWORD(l) ((USHORT)((ULONG_PTR)(l)&0xffff))
#define HIWORD(l) ((USHORT)(((ULONG_PTR)(l) >> 16) & 0xffff))
#define LOBYTE(w) ((UCHAR)((ULONG_PTR)(w)&0xff))
#define HIBYTE(w) ((UCHAR)(((ULONG_PTR)(w) >> 8) & 0xff))
/* Not for the runtime itself (NDIS_WRAPPER) nor with NOMINMAX, as in the WDK. */
#if !defined(NOMINMAX) && !defined(NDIS_WRAPPER) && !defined(__cplusplus)
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif

/* basetsd.h */
#define UlongToPtr(ul) ((PVOID)(ULONG_PTR)(ULONG)(ul))
#define PtrToUlong(p) ((ULONG)(ULONG_PTR)(p))
#define PtrToLong(p) ((LONG)(LONG_PTR)(p))
#define PtrToUint(p) ((UINT)(UINT_PTR)(p))
#define ULongToPtr(ul) UlongToPtr(ul)
#define LongToPtr(l) ((PVOID)(LONG_PTR)(LONG)(l))

/* x64 pool and structure alignment. */
#define MEMORY_ALLOCATION_ALIGNMENT 16

/* ----------------------------------------------------------- strings */

/*
 * Windows' WCHAR is 16 bits (UTF-16). With -fshort-wchar (pkg-config
 * --cflags ndisrt) L"..." literals have that type too, as with MSVC.
 */
typedef unsigned short WCHAR, *PWCHAR, *PWSTR, *LPWSTR;
typedef const WCHAR *PCWSTR, *LPCWSTR, *PCWCH;

typedef struct _UNICODE_STRING {
	USHORT Length;	      /* bytes, without a terminator */
	USHORT MaximumLength; /* bytes */
	PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
	USHORT Length;
	USHORT MaximumLength;
	PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING;

/* A counted string from a literal, e.g. RTL_CONSTANT_STRING(L"Speed"). */
#define RTL_CONSTANT_STRING(s)                                                      \
	{                                                                           \
		(USHORT)(sizeof(s) - sizeof((s)[0])), (USHORT)sizeof(s), (PVOID)(s) \
	}

typedef struct _GUID {
	ULONG Data1;
	USHORT Data2;
	USHORT Data3;
	UCHAR Data4[8];
} GUID, *PGUID, *LPGUID;
typedef const GUID *LPCGUID, *PCGUID;

/* --------------------------------------------------------- list entries */

typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY, *PRLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
	struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

#ifdef __cplusplus
}
#endif

#endif /* _NTDEF_ */
