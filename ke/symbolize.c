/* SPDX-License-Identifier: MIT */
/*
 * ke/symbolize.c - name the frames of a bug check's call chain.
 *
 * backtrace_symbols_fd() names only the symbols a module exports; a static
 * function (most of a driver, and ke's own helpers) comes out as "+0x13e17".
 * Here each frame is named from its module's ELF symbol table (.symtab,
 * which holds static functions too unless the file was stripped), falling
 * back to the dynamic symbol dladdr() finds.
 *
 * This runs on the bug-check path, which may be a signal handler: no
 * malloc, no stdio. The module file is read with open/mmap/munmap/close,
 * which are async-signal-safe; dladdr() is the one call that is not
 * documented as such, and backtrace_symbols_fd() relies on it as well.
 */
#define NDISRT_KE_INTERNAL
#include "ke/internal.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/stat.h>

struct elf_view {
	const uint8_t *base;
	size_t size;
};

static bool in_file(const struct elf_view *f, uint64_t off, uint64_t len)
{
	return off <= f->size && len <= f->size - off;
}

/*
 * The function of @f's .symtab that contains the module-relative address
 * @rel: its name (pointing into the mapping) and @rel's offset in it.
 */
static const char *symtab_lookup(const struct elf_view *f, uint64_t rel, uint64_t *off)
{
	const Elf64_Ehdr *eh = (const void *)f->base;
	const Elf64_Shdr *sh;

	if (!in_file(f, 0, sizeof(*eh)) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(f, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		return NULL;
	sh = (const void *)(f->base + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *strs;
		const Elf64_Sym *sym;
		uint64_t n;

		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_entsize != sizeof(Elf64_Sym) ||
		    sh[i].sh_link >= eh->e_shnum || !in_file(f, sh[i].sh_offset, sh[i].sh_size))
			continue;
		strs = &sh[sh[i].sh_link];
		if (!in_file(f, strs->sh_offset, strs->sh_size))
			continue;
		sym = (const void *)(f->base + sh[i].sh_offset);
		n = sh[i].sh_size / sizeof(Elf64_Sym);
		for (uint64_t k = 0; k < n; k++) {
			const char *name;

			if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || !sym[k].st_value ||
			    rel < sym[k].st_value || rel - sym[k].st_value >= sym[k].st_size ||
			    sym[k].st_name >= strs->sh_size)
				continue;
			name = (const char *)f->base + strs->sh_offset + sym[k].st_name;
			/* The string must end inside its table. */
			if (!memchr(name, 0, strs->sh_size - sym[k].st_name))
				continue;
			*off = rel - sym[k].st_value;
			return name;
		}
	}
	return NULL;
}

/*
 * The load address of the main program. dladdr() names it by argv[0], which
 * may be relative or changed (Criterion re-executes tests as
 * "boxfort-worker"): its file is opened as /proc/self/exe instead.
 */
static uintptr_t main_program_base(void)
{
	const Elf64_Phdr *ph = (const void *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);

	for (unsigned long i = 0; ph && i < n; i++)
		if (ph[i].p_type == PT_PHDR)
			return (uintptr_t)ph - (uintptr_t)ph[i].p_vaddr;
	return 0; /* not a PIE: no PT_PHDR needed, and dli_fbase is 0 too */
}

/**
 * ke_symbolize() - Name the code address @pc.
 * @pc: a return address from backtrace().
 * @emit: called once with the module path, the function's name (or NULL)
 *	and the offset of @pc in it (or in the module when the name is NULL).
 *	The strings live only during the call.
 * Context: any, including a signal handler (see above).
 */
void ke_symbolize(const void *pc,
		  void (*emit)(void *ctx, const char *module, const char *name, uint64_t off),
		  void *ctx)
{
	Dl_info info;
	struct elf_view f = {0};
	struct stat st;
	const char *name = NULL;
	uint64_t rel, off = 0;
	int fd;

	if (!dladdr(pc, &info) || !info.dli_fname) {
		emit(ctx, "?", NULL, (uint64_t)(uintptr_t)pc);
		return;
	}
	/* backtrace() gives return addresses: look up the call instruction. */
	rel = (uint64_t)((uintptr_t)pc - 1 - (uintptr_t)info.dli_fbase);
	fd = open((uintptr_t)info.dli_fbase == main_program_base() ? "/proc/self/exe"
								   : info.dli_fname,
		  O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (!fstat(fd, &st) && st.st_size > 0) {
			f.size = (size_t)st.st_size;
			f.base = mmap(NULL, f.size, PROT_READ, MAP_PRIVATE, fd, 0);
			if (f.base == MAP_FAILED)
				f.base = NULL;
		}
		close(fd);
	}
	if (f.base) {
		const Elf64_Ehdr *eh = (const void *)f.base;

		/* A non-PIE executable's symbols hold absolute addresses. */
		if (f.size >= sizeof(*eh) && eh->e_type == ET_EXEC)
			rel = (uint64_t)(uintptr_t)pc - 1;
		name = symtab_lookup(&f, rel, &off);
		if (name) {
			emit(ctx, info.dli_fname, name, off + 1);
			munmap((void *)(uintptr_t)f.base, f.size);
			return;
		}
		munmap((void *)(uintptr_t)f.base, f.size);
	}
	if (info.dli_sname && info.dli_saddr) {
		emit(ctx, info.dli_fname, info.dli_sname,
		     (uint64_t)((uintptr_t)pc - (uintptr_t)info.dli_saddr));
		return;
	}
	emit(ctx, info.dli_fname, NULL, (uint64_t)((uintptr_t)pc - (uintptr_t)info.dli_fbase));
}
