/* SPDX-License-Identifier: MIT */
/*
 * ndis/host_driver.c - loading a miniport: dlopen, DriverEntry,
 * NdisMRegisterMiniportDriver / NdisMDeregisterMiniportDriver, unloading,
 * and the fault handler that turns a crash in driver code into a bug check.
 *
 * A driver is an ELF shared object whose NDIS imports resolve against the
 * program that loads it (built with exported symbols): dlopen with
 * RTLD_NOW reports an import ndisrt lacks before any driver code runs.
 */
#include "ndis/host_internal.h"
#include "ndis/routine.h"
#include "ndis/ndis5/host.h"
#include "ke/contain.h"
#include "verifier/poison.h"
#include "verifier/vfy.h"

#include <dlfcn.h>
#include <limits.h>
#include <setjmp.h>
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

/* Every loaded driver; a slot is NULL when free. Lock-free readers. */
static _Atomic(struct ndisrt_driver *) host_drivers[HOST_MAX_DRIVERS];

/* Serializes load/unload bookkeeping (host threads only). */
static pthread_mutex_t driver_lock = PTHREAD_MUTEX_INITIALIZER;

struct ndisrt_driver *host_driver_from_handle(NDIS_HANDLE h)
{
	if (!h)
		return NULL;
	for (unsigned i = 0; i < HOST_MAX_DRIVERS; i++) {
		struct ndisrt_driver *d = atomic_load(&host_drivers[i]);

		if (d == h && d->magic == HOST_DRIVER_MAGIC)
			return d;
	}
	return NULL;
}

static struct ndisrt_driver *driver_of_object(PDRIVER_OBJECT o)
{
	if (!o)
		return NULL;
	for (unsigned i = 0; i < HOST_MAX_DRIVERS; i++) {
		struct ndisrt_driver *d = atomic_load(&host_drivers[i]);

		if (d && &d->obj == o && o->magic == HOST_DRVOBJ_MAGIC)
			return d;
	}
	return NULL;
}

/* ------------------------------------------------------------ statuses */

const char *host_status_name(uint32_t status)
{
	switch (status) {
	case 0x00000000:
		return "NDIS_STATUS_SUCCESS";
	case 0x00000103:
		return "NDIS_STATUS_PENDING";
	case 0x40010017:
		return "NDIS_STATUS_LINK_STATE";
	case 0xC0000001:
		return "NDIS_STATUS_FAILURE";
	case 0xC000000D:
		return "NDIS_STATUS_INVALID_PARAMETER";
	case 0xC000009A:
		return "NDIS_STATUS_RESOURCES";
	case 0xC00000BB:
		return "NDIS_STATUS_NOT_SUPPORTED";
	case 0xC0010004:
		return "NDIS_STATUS_BAD_VERSION";
	case 0xC0010005:
		return "NDIS_STATUS_BAD_CHARACTERISTICS";
	case 0xC0010006:
		return "NDIS_STATUS_ADAPTER_NOT_FOUND";
	case 0xC0010009:
		return "NDIS_STATUS_MULTICAST_FULL";
	case 0xC0010014:
		return "NDIS_STATUS_INVALID_LENGTH";
	case 0xC0010015:
		return "NDIS_STATUS_INVALID_DATA";
	case 0xC0010016:
		return "NDIS_STATUS_BUFFER_TOO_SHORT";
	case 0xC0010017:
		return "NDIS_STATUS_INVALID_OID";
	case 0xC001001E:
		return "NDIS_STATUS_RESOURCE_CONFLICT";
	case 0xC023002A:
		return "NDIS_STATUS_PAUSED";
	default:
		return NULL;
	}
}

/* "NAME (0x...)" or "status 0x..." into @buf. */
const char *host_status_text(uint32_t status, char *buf, size_t len)
{
	const char *name = host_status_name(status);

	if (name)
		snprintf(buf, len, "%s (0x%08X)", name, status);
	else
		snprintf(buf, len, "status 0x%08X", status);
	return buf;
}

/* ------------------------------------------------------ fault handler */

/*
 * Faults while driver code runs. A SIGSEGV, SIGBUS, SIGILL or SIGFPE on a
 * vCPU (wherever the faulting address: in the driver, in ndisrt or libc on
 * the driver's behalf, or nowhere, after a jump through a bad pointer), or
 * whose instruction is in a loaded driver image, or whose address is in the
 * I/O arena (a dereferenced register mapping), is reported as bug check
 * 0x1E KMODE_EXCEPTION_NOT_HANDLED: parameter 1 the NTSTATUS exception
 * code, 2 the faulting instruction, 3 0/1 read/write, 4 the address
 * accessed. A fault just below the faulting thread's stack is a stack
 * overflow: bug check 0x7F UNEXPECTED_KERNEL_MODE_TRAP with parameter 1 = 8
 * (EXCEPTION_DOUBLE_FAULT), as Windows reports a kernel stack overflow.
 * The handler runs on the thread's alternate signal stack (ke/containment.c),
 * so it runs after an overflow too. A fault while a driver is being loaded
 * (its ELF constructors) fails the load (host_load_*, below). Anything else
 * goes to the handler that was installed before (a sanitizer's, or the
 * default action).
 */
struct fault_image {
	_Atomic(uintptr_t) lo, hi;
};

static struct fault_image fault_images[HOST_MAX_DRIVERS];
static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
#define NR_FAULT_SIGNALS (sizeof(fault_signals) / sizeof(fault_signals[0]))
static struct sigaction fault_old[NR_FAULT_SIGNALS];
static unsigned fault_users; /* (driver_lock) */

static bool pc_in_driver(uintptr_t pc)
{
	for (unsigned i = 0; i < HOST_MAX_DRIVERS; i++) {
		uintptr_t lo = atomic_load_explicit(&fault_images[i].lo, memory_order_relaxed);
		uintptr_t hi = atomic_load_explicit(&fault_images[i].hi, memory_order_relaxed);

		if (lo && pc >= lo && pc < hi)
			return true;
	}
	return false;
}

bool host_pc_in_driver(uintptr_t pc)
{
	return pc_in_driver(pc);
}

/* ------------------------------------------------------------ loading
 *
 * dlopen runs the driver's ELF constructors on the loading thread. While it
 * does, that thread is "loading": a fault there, or a call to exit() and its
 * friends from the driver (ndis/host_contain.c), jumps back to
 * ndisrt_driver_load(), which reports a load error. The dynamic loader's
 * lock stays taken by this thread after such a jump (it is recursive, so
 * this thread can still use dl*), and the half-initialized object is never
 * closed: after a failed constructor the process only reports and exits.
 */
struct host_load_ctx {
	sigjmp_buf env;
	const char *full; /* the name given to dlopen */
	char why[256];	  /* what the constructor did */
};

static __thread struct host_load_ctx *tls_load;

static void str_append(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	while (*s && n + 1 < len)
		buf[n++] = *s++;
	buf[n] = 0;
}

static void dec_append(char *buf, size_t len, long long v)
{
	char tmp[24];
	int i = 23;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	tmp[i] = 0;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	str_append(buf, len, tmp + i);
}

/* Is @pc code of the object being loaded on this thread? */
bool host_pc_in_loading(uintptr_t pc)
{
	Dl_info info;

	return tls_load && dladdr((void *)pc, &info) && info.dli_fname &&
	       !strcmp(info.dli_fname, tls_load->full);
}

bool host_load_in_progress(void)
{
	return tls_load != NULL;
}

_Noreturn void host_load_abandon(const char *what, long long status, uintptr_t caller)
{
	struct host_load_ctx *c = tls_load;
	char where[160];

	c->why[0] = 0;
	str_append(c->why, sizeof(c->why), "its ELF constructor called ");
	str_append(c->why, sizeof(c->why), what);
	if (status != LLONG_MIN) {
		str_append(c->why, sizeof(c->why), "(");
		dec_append(c->why, sizeof(c->why), status);
		str_append(c->why, sizeof(c->why), ")");
	}
	/* @caller is a return address: name the call instruction before it. */
	if (caller && ke_contain_symbol((void *)(caller - 1), where, sizeof(where))) {
		str_append(c->why, sizeof(c->why), " from ");
		str_append(c->why, sizeof(c->why), where);
	}
	siglongjmp(c->env, 1);
}

static const char *signal_text(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV (invalid memory access)";
	case SIGBUS:
		return "SIGBUS (bus error)";
	case SIGILL:
		return "SIGILL (illegal instruction)";
	default:
		return "SIGFPE (arithmetic exception)";
	}
}

static uint32_t exception_code(int sig, int si_code)
{
	switch (sig) {
	case SIGSEGV:
		return 0xC0000005; /* STATUS_ACCESS_VIOLATION */
	case SIGBUS:
		return si_code == BUS_ADRALN ? 0x80000002  /* STATUS_DATATYPE_MISALIGNMENT */
					     : 0xC0000006; /* STATUS_IN_PAGE_ERROR */
	case SIGILL:
		return 0xC000001D; /* STATUS_ILLEGAL_INSTRUCTION */
	default:
		return si_code == FPE_INTDIV ? 0xC0000094  /* STATUS_INTEGER_DIVIDE_BY_ZERO */
					     : 0xC0000095; /* STATUS_INTEGER_OVERFLOW */
	}
}

static void fault_chain(int sig, siginfo_t *si, void *uc)
{
	for (unsigned i = 0; i < NR_FAULT_SIGNALS; i++) {
		const struct sigaction *old = &fault_old[i];

		if (fault_signals[i] != sig)
			continue;
		if (old->sa_flags & SA_SIGINFO) {
			old->sa_sigaction(sig, si, uc);
		} else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
			old->sa_handler(sig);
		} else {
			/* Re-executing the instruction faults again, with the old disposition. */
			sigaction(sig, old, NULL);
		}
		return;
	}
}

/* The report's "What:" line, built in the handler (first bug check wins). */
static char fault_what[512];

static const char *what_with(const char *head, uintptr_t pc)
{
	char where[200];

	fault_what[0] = 0;
	str_append(fault_what, sizeof(fault_what), head);
	if (ke_contain_symbol((void *)pc, where, sizeof(where))) {
		str_append(fault_what, sizeof(fault_what), " (at ");
		str_append(fault_what, sizeof(fault_what), where);
		str_append(fault_what, sizeof(fault_what), ")");
	}
	return fault_what;
}

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t pc = 0, sp = 0, write = 0, addr = (uintptr_t)si->si_addr;
	bool mmio, in_driver, nowhere = false;
	Dl_info info;

#if defined(__x86_64__)
	pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	if (sig == SIGSEGV)
		write = (uc->uc_mcontext.gregs[REG_ERR] & 2) ? 1 : 0;
#else
	(void)uc;
#endif
	if (tls_load) {
		struct host_load_ctx *c = tls_load;

		c->why[0] = 0;
		str_append(c->why, sizeof(c->why), "its ELF constructor crashed: ");
		str_append(c->why, sizeof(c->why),
			   ke_contain_is_stack_overflow(addr, sp) ? "stack overflow, " : "");
		str_append(c->why, sizeof(c->why), signal_text(sig));
		if (ke_contain_symbol((void *)pc, fault_what, sizeof(fault_what))) {
			str_append(c->why, sizeof(c->why), " at ");
			str_append(c->why, sizeof(c->why), fault_what);
		}
		siglongjmp(c->env, 1);
	}
	mmio = sig == SIGSEGV && host_io_in_arena(addr);
	in_driver = pc_in_driver(pc);
	if (!mmio && !in_driver && !ke_current()) {
		fault_chain(sig, si, ucv);
		return;
	}
	if (sig == SIGSEGV && ke_contain_is_stack_overflow(addr, sp))
		ke_bugcheck(KE_BUGCHECK_UNEXPECTED_KERNEL_MODE_TRAP, 8 /* EXCEPTION_DOUBLE_FAULT */,
			    0, 0, 0,
			    what_with("a stack overflow (double fault): the routine at the top of "
				      "the call chain ran off the end of its vCPU's stack",
				      pc));
#if defined(__x86_64__)
	/*
	 * A jump or call through a bad pointer: the instruction pointer is in
	 * no module, so nothing can unwind from it. The call pushed its return
	 * address: resume the unwinding there, so that the call chain starts
	 * at the driver routine that made the call (parameter 2 keeps the bad
	 * target).
	 */
	if (pc == addr && !dladdr((void *)pc, &info)) {
		uintptr_t ret = *(const uintptr_t *)sp;

		if (dladdr((void *)ret, &info)) {
			uc->uc_mcontext.gregs[REG_RIP] = (greg_t)ret;
			uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(sp + 8);
			nowhere = true;
		}
	}
#endif
	ke_bugcheck(
	    HOST_BUGCHECK_KMODE_EXCEPTION_NOT_HANDLED, exception_code(sig, si->si_code), pc, write,
	    addr,
	    mmio ? "driver code dereferenced an NdisMMapIoSpace / NdisMRegisterIoPortRange "
		   "mapping: it is not memory; use NdisReadRegisterXxx / "
		   "NdisWriteRegisterXxx (NdisRawXxxPortXxx for ports)"
	    : sig == SIGSEGV && vfy_active && vfy_poison_quarantined((const void *)addr)
		? what_with("rule H7: an access to memory the driver already freed "
			    "(NdisFreeMemory or NdisMFreeSharedMemory; parameter 4 is the "
			    "address, poisoned and quarantined by the verifier): stop every "
			    "DPC, timer and ISR that uses it before freeing it",
			    pc)
	    : nowhere	? what_with("a jump or call through a bad pointer: parameter 2 is the "
				      "target, outside any module; the call was made",
				    (uintptr_t)uc->uc_mcontext.gregs[REG_RIP] - 1)
	    : in_driver ? what_with("an exception in driver code (parameter 2 is the "
				    "faulting instruction, 4 the address it accessed)",
				    pc)
			: what_with("an exception on a vCPU outside driver code (in ndisrt or "
				    "libc, most likely on behalf of a driver: see the call "
				    "chain)",
				    pc));
}

/* Context: holding driver_lock. */
static void fault_install(void)
{
	struct sigaction sa;

	if (fault_users++)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < NR_FAULT_SIGNALS; i++)
		sigaction(fault_signals[i], &sa, &fault_old[i]);
}

/* Context: holding driver_lock. */
static void fault_uninstall(void)
{
	if (--fault_users)
		return;
	for (unsigned i = 0; i < NR_FAULT_SIGNALS; i++)
		sigaction(fault_signals[i], &fault_old[i], NULL);
}

struct image_search {
	uintptr_t base;
	uintptr_t lo, hi;
};

static int image_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct image_search *s = arg;

	(void)size;
	if (info->dlpi_addr != s->base)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;

		if (ph->p_type != PT_LOAD)
			continue;
		if (!s->lo || lo < s->lo)
			s->lo = lo;
		if (hi > s->hi)
			s->hi = hi;
	}
	return 1;
}

void host_fault_track(struct ndisrt_driver *d)
{
	for (unsigned i = 0; i < HOST_MAX_DRIVERS; i++) {
		if (atomic_load(&host_drivers[i]) != d)
			continue;
		atomic_store(&fault_images[i].hi, d->image_hi);
		atomic_store(&fault_images[i].lo, d->image_lo);
	}
}

void host_fault_untrack(struct ndisrt_driver *d)
{
	for (unsigned i = 0; i < HOST_MAX_DRIVERS; i++) {
		if (atomic_load(&host_drivers[i]) != d)
			continue;
		atomic_store(&fault_images[i].lo, 0);
		atomic_store(&fault_images[i].hi, 0);
	}
}

/* ---------------------------------------------------------- loading */

static void set_regpath(struct ndisrt_driver *d)
{
	static const char prefix[] = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";
	const char *base = strrchr(d->path, '/');
	size_t n = 0, max = sizeof(d->regbuf) / sizeof(d->regbuf[0]) - 1;

	base = base ? base + 1 : d->path;
	for (const char *p = prefix; *p && n < max; p++)
		d->regbuf[n++] = (WCHAR)(unsigned char)*p;
	for (const char *p = base; *p && *p != '.' && n < max; p++)
		d->regbuf[n++] = (WCHAR)(unsigned char)*p;
	d->regbuf[n] = 0;
	d->regpath.Buffer = d->regbuf;
	d->regpath.Length = (USHORT)(n * sizeof(WCHAR));
	d->regpath.MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
}

static bool registry_add(struct ndisrt_driver *d)
{
	for (unsigned i = 0; i < HOST_MAX_DRIVERS; i++) {
		struct ndisrt_driver *expected = NULL;

		if (atomic_compare_exchange_strong(&host_drivers[i], &expected, d))
			return true;
	}
	return false;
}

static void registry_remove(struct ndisrt_driver *d)
{
	for (unsigned i = 0; i < HOST_MAX_DRIVERS; i++) {
		struct ndisrt_driver *expected = d;

		atomic_compare_exchange_strong(&host_drivers[i], &expected, NULL);
	}
}

struct entry_call {
	struct ndisrt_driver *d;
	PDRIVER_INITIALIZE entry;
	NTSTATUS status;
};

static void run_entry(void *arg)
{
	struct entry_call *c = arg;

	atomic_store(&c->d->entry_vcpu, ke_current_number());
	atomic_store(&c->d->in_entry, true);
	c->status = c->entry(&c->d->obj, &c->d->regpath);
	atomic_store(&c->d->in_entry, false);
}

/*
 * What dlopen would only say as "cannot open shared object file" (or, for a
 * FIFO, by blocking): the file must be a regular file holding an x86-64 ELF
 * shared object whose program headers and loadable segments lie inside it.
 */
static int check_file(const char *path, char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	struct stat st;
	ssize_t got;
	int fd;

	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen,
			 "%s: not a regular file (%s): a driver is a shared object file", path,
			 S_ISDIR(st.st_mode)	? "a directory"
			 : S_ISFIFO(st.st_mode) ? "a FIFO"
			 : S_ISCHR(st.st_mode)	? "a character device"
			 : S_ISSOCK(st.st_mode) ? "a socket"
						: "not a file");
		return -1;
	}
	/* O_NONBLOCK: a file that became a FIFO since stat() must not block. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	got = pread(fd, &eh, sizeof(eh), 0);
	if (got < 4 || memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		close(fd);
		snprintf(err, errlen, "%s: not a shared object (no ELF header)", path);
		return -1;
	}
	if (got != (ssize_t)sizeof(eh) || eh.e_ident[EI_CLASS] != ELFCLASS64) {
		close(fd);
		snprintf(err, errlen, "%s: not an x86-64 ELF shared object (%s)", path,
			 got != (ssize_t)sizeof(eh) ? "truncated ELF header" : "32-bit ELF");
		return -1;
	}
	if (eh.e_machine != EM_X86_64 || eh.e_type != ET_DYN) {
		char what[64];

		close(fd);
		if (eh.e_machine != EM_X86_64)
			snprintf(what, sizeof(what), "built for %s",
				 eh.e_machine == EM_AARCH64 ? "aarch64"
				 : eh.e_machine == EM_386   ? "i386"
				 : eh.e_machine == EM_RISCV ? "riscv"
				 : eh.e_machine == EM_ARM   ? "arm"
							    : "another machine");
		else
			snprintf(what, sizeof(what), "%s",
				 eh.e_type == ET_EXEC  ? "an executable"
				 : eh.e_type == ET_REL ? "an object file (link it with -shared)"
						       : "not a shared object");
		snprintf(err, errlen, "%s: not an x86-64 ELF shared object (%s)", path, what);
		return -1;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum ||
	    eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > (uint64_t)st.st_size) {
		close(fd);
		snprintf(err, errlen, "%s: not an x86-64 ELF shared object (truncated: %lld bytes)",
			 path, (long long)st.st_size);
		return -1;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
			(ssize_t)sizeof(ph) ||
		    (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > (uint64_t)st.st_size)) {
			close(fd);
			snprintf(err, errlen,
				 "%s: not an x86-64 ELF shared object (truncated: %lld bytes, a "
				 "segment ends past the end of the file)",
				 path, (long long)st.st_size);
			return -1;
		}
	}
	close(fd);
	return 0;
}

static void dl_error(const char *path, char *err, size_t errlen)
{
	const char *e = dlerror();
	const char *u = e ? strstr(e, "undefined symbol: ") : NULL;

	if (u) {
		char sym[128];
		size_t n = 0;

		u += strlen("undefined symbol: ");
		while (u[n] && u[n] != ' ' && u[n] != ',' && u[n] != '(' && n < sizeof(sym) - 1) {
			sym[n] = u[n];
			n++;
		}
		sym[n] = 0;
		snprintf(err, errlen, "%s: driver needs %s, which ndisrt does not implement", path,
			 sym);
	} else {
		snprintf(err, errlen, "%s: not a loadable shared object: %s", path,
			 e ? e : "dlopen failed");
	}
}

static void driver_destroy(struct ndisrt_driver *d)
{
	/* Wrappers a failed NDIS 5 DriverEntry left (NdisMInitializeWrapper). */
	ndisrt_ndis5_driver_forget(&d->obj);
	pthread_mutex_lock(&driver_lock);
	host_fault_untrack(d);
	registry_remove(d);
	fault_uninstall();
	pthread_mutex_unlock(&driver_lock);
	if (d->dl)
		dlclose(d->dl);
	d->magic = 0;
	free(d);
}

/*
 * dlopen @full with the loading thread marked (see host_load_ctx): a
 * constructor that faults or exits fails the load with what it did.
 */
static int load_contained(struct ndisrt_driver *d, const char *full, char *err, size_t errlen)
{
	struct host_load_ctx storage;
	struct host_load_ctx *volatile ctx = &storage;

	memset(ctx, 0, sizeof(*ctx));
	ctx->full = full;
	if (sigsetjmp(ctx->env, 1)) {
		tls_load = NULL;
		snprintf(err, errlen, "%s: cannot be loaded: %s", d->path, ctx->why);
		return -1;
	}
	dlerror();
	tls_load = ctx;
	d->dl = dlopen(full, RTLD_NOW | RTLD_LOCAL);
	tls_load = NULL;
	if (!d->dl) {
		dl_error(d->path, err, errlen);
		return -1;
	}
	return 0;
}

int ndisrt_driver_load(struct ndisrt_host *h, const char *path, struct ndisrt_driver **out,
		       char *err, size_t errlen)
{
	struct image_search img = {0};
	struct entry_call call = {0};
	struct ndisrt_driver *d;
	struct link_map *lm = NULL;
	char full[sizeof(d->path) + 2];
	char st[64];
	Dl_info info;
	void *entry;

	*out = NULL;
	(void)ndisrt_link_ddi_symbols(); /* links every DDI into the loading program */
	(void)host_contain_link();	 /* and exit() & co. for drivers */
	if (!h || !path || !*path) {
		snprintf(err, errlen, "%s: no host or no path", path ? path : "(null)");
		return -1;
	}
	if (strlen(path) >= sizeof(d->path)) {
		snprintf(err, errlen, "%.64s...: path too long", path);
		return -1;
	}
	if (check_file(path, err, errlen))
		return -1;
	/* A name without a slash would be searched for in the library path. */
	snprintf(full, sizeof(full), "%s%s", strchr(path, '/') ? "" : "./", path);
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	d->magic = HOST_DRIVER_MAGIC;
	d->h = h;
	d->obj.magic = HOST_DRVOBJ_MAGIC;
	d->obj.d = d;
	snprintf(d->path, sizeof(d->path), "%s", path);
	set_regpath(d);

	/* The constructors run inside dlopen: contained like driver code. */
	ke_contain_thread();
	pthread_mutex_lock(&driver_lock);
	fault_install();
	pthread_mutex_unlock(&driver_lock);
	if (load_contained(d, full, err, errlen)) {
		pthread_mutex_lock(&driver_lock);
		fault_uninstall();
		pthread_mutex_unlock(&driver_lock);
		free(d);
		return -1;
	}
	entry = dlsym(d->dl, "DriverEntry");
	/* Only the driver's own DriverEntry counts, not one found elsewhere. */
	if (entry && (dlinfo(d->dl, RTLD_DI_LINKMAP, &lm) || !dladdr(entry, &info) || !lm ||
		      (uintptr_t)info.dli_fbase != (uintptr_t)lm->l_addr))
		entry = NULL;
	if (!entry) {
		snprintf(err, errlen,
			 "%s: no DriverEntry (a miniport exports DRIVER_INITIALIZE DriverEntry)",
			 path);
		dlclose(d->dl);
		pthread_mutex_lock(&driver_lock);
		fault_uninstall();
		pthread_mutex_unlock(&driver_lock);
		free(d);
		return -1;
	}
	img.base = lm->l_addr;
	dl_iterate_phdr(image_cb, &img);
	d->image_lo = img.lo;
	d->image_hi = img.hi;

	pthread_mutex_lock(&driver_lock);
	if (!registry_add(d)) {
		pthread_mutex_unlock(&driver_lock);
		fault_uninstall();
		snprintf(err, errlen, "%s: too many drivers loaded (%u)", path, HOST_MAX_DRIVERS);
		dlclose(d->dl);
		free(d);
		return -1;
	}
	host_fault_track(d);
	pthread_mutex_unlock(&driver_lock);

	call.d = d;
	call.entry = (PDRIVER_INITIALIZE)entry;
	host_phase_next(NDISRT_PHASE_ENTRY, 0);
	ke_vcpu_call(ke_machine_vcpu(h->m, 0), run_entry, &call);
	if (!NT_SUCCESS(call.status)) {
		snprintf(err, errlen, "%s: DriverEntry failed with %s", path,
			 host_status_text((uint32_t)call.status, st, sizeof(st)));
		driver_destroy(d);
		return -1;
	}
	/* NDIS 5: NdisMInitializeWrapper + NdisMRegisterMiniport (ndis5/nic.c). */
	if (!atomic_load(&d->registered) && !host_ndis5_attach(d)) {
		snprintf(err, errlen,
			 "%s: DriverEntry returned %s without calling NdisMRegisterMiniportDriver",
			 path, host_status_text((uint32_t)call.status, st, sizeof(st)));
		driver_destroy(d);
		return -1;
	}
	d->kind = d->ndis5 ? &host_nic_ndis5 : &host_nic_ndis6;
	atomic_fetch_add(&h->drivers, 1);
	*out = d;
	return 0;
}

void ndisrt_driver_version(const struct ndisrt_driver *d, unsigned *major, unsigned *minor)
{
	d->kind->driver_version(d, major, minor);
}

static void run_unload(void *arg)
{
	struct ndisrt_driver *d = arg;

	d->chars.UnloadHandler(&d->obj);
}

void ndisrt_driver_unload(struct ndisrt_driver *d)
{
	if (!d)
		return;
	if (d->kind->driver_unload)
		d->kind->driver_unload(d); /* NDIS 5: its NICs halted, its wrapper freed */
	/* Every NIC of the driver is halted first. */
	for (unsigned i = 0; i < HOST_MAX_NICS; i++) {
		struct ndisrt_nic *n = atomic_load(&host_nics[i]);

		if (n && n->d == d)
			ndisrt_nic_halt(n);
	}
	if (atomic_load(&d->registered)) {
		host_phase_next(NDISRT_PHASE_UNLOAD, 0);
		ke_vcpu_call(ke_machine_vcpu(d->h->m, 0), run_unload, d);
	}
	if (atomic_load(&d->mem.allocs))
		ndisrt_violation(NDISRT_VIOLATION_RESOURCE_LEAK, (uintptr_t)d,
				 (uintptr_t)atomic_load(&d->mem.allocs), 1,
				 "the driver was unloaded with memory still allocated with its "
				 "driver handle (parameter 3: allocations; NdisFreeMemory them in "
				 "MiniportDriverUnload)");
	atomic_fetch_sub(&d->h->drivers, 1);
	driver_destroy(d);
}

/* ------------------------------------------------ driver registration */

static bool characteristics_valid(const NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	if (c->Header.Type != NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS)
		return false;
	if (c->Header.Revision < NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 ||
	    c->Header.Size < NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1)
		return false;
	if (c->Header.Revision >= NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 &&
	    c->Header.Size < NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2)
		return false;
	/* The handlers NDIS 6 requires; CheckForHang, Reset, SetOptions are optional. */
	return c->InitializeHandlerEx && c->HaltHandlerEx && c->UnloadHandler && c->PauseHandler &&
	       c->RestartHandler && c->OidRequestHandler && c->SendNetBufferListsHandler &&
	       c->ReturnNetBufferListsHandler && c->CancelSendHandler &&
	       c->DevicePnPEventNotifyHandler && c->ShutdownHandlerEx && c->CancelOidRequestHandler;
}

/**
 * NdisMRegisterMiniportDriver() - Register a miniport's entry points.
 * @DriverObject, @RegistryPath: what DriverEntry received.
 * @MiniportDriverContext: given back to MiniportInitializeEx.
 * @MiniportDriverCharacteristics: header (REVISION_1 or _2), NDIS 6.x
 *	version, handlers (copied: the caller's storage may go away).
 * @NdisMiniportDriverHandle: receives the driver handle.
 *
 * Context: PASSIVE_LEVEL, from DriverEntry (0xC4 WRONG_CONTEXT otherwise;
 * BAD_OBJECT for a DriverObject ndisrt did not pass; BAD_PARAMETER for
 * NULL pointers).
 * Return: NDIS_STATUS_SUCCESS; NDIS_STATUS_BAD_CHARACTERISTICS;
 * NDIS_STATUS_BAD_VERSION (not NDIS 6); NDIS_STATUS_FAILURE (already registered).
 */
NDIS_STATUS
NdisMRegisterMiniportDriver(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath,
			    NDIS_HANDLE MiniportDriverContext,
			    PNDIS_MINIPORT_DRIVER_CHARACTERISTICS MiniportDriverCharacteristics,
			    PNDIS_HANDLE NdisMiniportDriverHandle)
{
	PNDIS_MINIPORT_DRIVER_CHARACTERISTICS c = MiniportDriverCharacteristics;
	struct ndisrt_driver *d;
	NDIS_STATUS status = NDIS_STATUS_SUCCESS;
	size_t copy;

	(void)RegistryPath;
	ndis_ddi_enter(NDISRT_DDI_REGISTER_MINIPORT_DRIVER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	d = driver_of_object(DriverObject);
	if (!d)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)DriverObject, 0,
		    NDISRT_DDI_REGISTER_MINIPORT_DRIVER,
		    "NdisMRegisterMiniportDriver: DriverObject is not the one DriverEntry "
		    "received");
	if (!atomic_load(&d->in_entry) || atomic_load(&d->entry_vcpu) != ke_current_number())
		ndisrt_violation(NDISRT_VIOLATION_WRONG_CONTEXT, (uintptr_t)DriverObject, 0,
				 NDISRT_DDI_REGISTER_MINIPORT_DRIVER,
				 "NdisMRegisterMiniportDriver called outside DriverEntry");
	if (!c || !NdisMiniportDriverHandle)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)c,
		    (uintptr_t)NdisMiniportDriverHandle, NDISRT_DDI_REGISTER_MINIPORT_DRIVER,
		    "NdisMRegisterMiniportDriver: NULL characteristics or handle pointer");
	if (atomic_load(&d->registered)) {
		status = NDIS_STATUS_FAILURE;
	} else if (!characteristics_valid(c)) {
		status = NDIS_STATUS_BAD_CHARACTERISTICS;
	} else if (c->MajorNdisVersion != 6) {
		status = NDIS_STATUS_BAD_VERSION;
	} else {
		copy = c->Header.Size < sizeof(d->chars) ? c->Header.Size : sizeof(d->chars);
		memset(&d->chars, 0, sizeof(d->chars));
		memcpy(&d->chars, c, copy);
		d->context = MiniportDriverContext;
		atomic_store(&d->registered, true);
		*NdisMiniportDriverHandle = d;
		/*
		 * MiniportSetOptions runs inside this call, at PASSIVE_LEVEL, where
		 * NdisSetOptionalHandlers is valid; its failure fails the registration.
		 */
		if (d->chars.SetOptionsHandler) {
			struct ndis_routine r;

			atomic_store(&d->in_set_options, true);
			ndis_routine_enter(&r, "MiniportSetOptions",
					   (const void *)d->chars.SetOptionsHandler);
			status = d->chars.SetOptionsHandler(d, MiniportDriverContext);
			ndis_routine_exit(&r);
			atomic_store(&d->in_set_options, false);
			if (status != NDIS_STATUS_SUCCESS) {
				atomic_store(&d->registered, false);
				*NdisMiniportDriverHandle = NULL;
			}
		}
	}
	ke_preempt_point(KE_PP_DDI_EXIT);
	return status;
}

/**
 * NdisMDeregisterMiniportDriver() - Undo NdisMRegisterMiniportDriver.
 * Context: PASSIVE_LEVEL; every adapter halted (0xC4 WRONG_CONTEXT
 * otherwise); the handle registration returned (0xC4 BAD_OBJECT).
 */
VOID NdisMDeregisterMiniportDriver(NDIS_HANDLE NdisMiniportDriverHandle)
{
	struct ndisrt_driver *d;

	ndis_ddi_enter(NDISRT_DDI_DEREGISTER_MINIPORT_DRIVER, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	d = host_driver_from_handle(NdisMiniportDriverHandle);
	if (!d || !atomic_load(&d->registered))
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)NdisMiniportDriverHandle,
				 0, NDISRT_DDI_DEREGISTER_MINIPORT_DRIVER,
				 "NdisMDeregisterMiniportDriver: not a registered driver handle");
	if (atomic_load(&d->nics))
		ndisrt_violation(NDISRT_VIOLATION_WRONG_CONTEXT,
				 (uintptr_t)NdisMiniportDriverHandle, atomic_load(&d->nics),
				 NDISRT_DDI_DEREGISTER_MINIPORT_DRIVER,
				 "NdisMDeregisterMiniportDriver while adapters of the driver are "
				 "still initialized");
	atomic_store(&d->registered, false);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
