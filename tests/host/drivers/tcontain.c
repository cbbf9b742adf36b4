/*
 * A driver whose DriverEntry escapes (docs/reliability.md), one variant per
 * build: -DTCONTAIN_EXIT calls exit(0) (rule H5), -DTCONTAIN_LOOP never
 * returns (rule H6), -DTCONTAIN_CTOR_EXIT exits from an ELF constructor
 * while it loads.
 */
#include <ndis.h>
#include <stdlib.h>

__attribute__((unused)) static volatile unsigned long TcontainSpin;

#if defined(TCONTAIN_CTOR_EXIT)
__attribute__((constructor)) static void TcontainConstructor(void)
{
	exit(3);
}
#endif

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
#if defined(TCONTAIN_EXIT)
	exit(0);
#elif defined(TCONTAIN_LOOP)
	for (;;)
		TcontainSpin++;
#endif
	return STATUS_UNSUCCESSFUL;
}
