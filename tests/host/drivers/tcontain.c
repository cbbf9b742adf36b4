/*
 * A driver whose DriverEntry escapes (docs/reliability.md), one variant per
 * build: -DTCONTAIN_EXIT calls exit(0) (rule H5), -DTCONTAIN_LOOP never
 * returns (rule H6), -DTCONTAIN_CTOR_EXIT exits from an ELF constructor
 * while it loads, -DTCONTAIN_SLEEP_RAISED sleeps at DISPATCH_LEVEL and
 * -DTCONTAIN_SLEEP_PASSIVE at PASSIVE_LEVEL (rule K7).
 */
#include <ndis.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

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
#elif defined(TCONTAIN_SLEEP_RAISED)
	{
		KIRQL old;

		NDIS_RAISE_IRQL_TO_DISPATCH(&old);
		usleep(1000);
		NDIS_LOWER_IRQL(old, DISPATCH_LEVEL);
	}
#elif defined(TCONTAIN_SLEEP_PASSIVE)
	{
		struct timespec ts = {0, 1000000};

		usleep(1000);
		nanosleep(&ts, NULL);
		return STATUS_NOT_SUPPORTED; /* it got here: the sleeps returned */
	}
#elif defined(TCONTAIN_LOOP)
	for (;;)
		TcontainSpin++;
#endif
	return STATUS_UNSUCCESSFUL;
}
