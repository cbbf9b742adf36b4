/* SPDX-License-Identifier: MIT */
/*
 * tools/sarif.c - the SARIF writer process (`ndisrt __sarif-writer FD
 * DRIVER`, started by findings_open()): reads finding records on standard
 * input until the run closes it, names each frame from its module's
 * symbols and DWARF line table (libdw), and writes one SARIF 2.1.0 log to
 * file descriptor FD.
 *
 * Each result's location is the innermost frame inside the driver under
 * test that has a source line (a driver built with -g); without one, the
 * innermost driver frame by name; its whole call chain is the result's
 * stack. Exit status 0 only when the whole log was written and closed.
 */
#include "tools/findings.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SARIF_MAX_FRAMES 64

struct sframe {
	uint64_t pc, base;
	char *module;
	const char *function; /* from the symbol table; may be NULL */
	const char *file;     /* from DWARF; may be NULL */
	int line;
};

struct sresult {
	unsigned level;
	char *rule, *message, *hint;
	uint64_t code, param[4], vcpu, irql;
	unsigned nr_frames;
	struct sframe frames[SARIF_MAX_FRAMES];
};

/* ------------------------------------------------------------ modules */

struct smodule {
	char *path;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	struct smodule *next;
};

static struct smodule *modules;

static const Dwfl_Callbacks offline_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
};

/* The module at @path, reported at address 0 so module-relative addresses work. */
static struct smodule *module_get(const char *path)
{
	struct smodule *m;

	for (m = modules; m; m = m->next)
		if (!strcmp(m->path, path))
			return m;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->path = strdup(path);
	m->dwfl = dwfl_begin(&offline_callbacks);
	if (m->dwfl) {
		dwfl_report_begin(m->dwfl);
		m->mod = dwfl_report_elf(m->dwfl, path, path, -1, 0, false);
		dwfl_report_end(m->dwfl, NULL, NULL);
	}
	m->next = modules;
	modules = m;
	return m;
}

/*
 * A line table names files as the compiler was given them; a relative name
 * is relative to the compilation directory (DW_AT_comp_dir). Return the
 * file's canonical path when it exists here, else the name as recorded.
 */
static const char *source_path(Dwfl_Module *mod, GElf_Addr addr, const char *file)
{
	char joined[PATH_MAX], real[PATH_MAX];
	Dwarf_Addr bias;
	Dwarf_Die *cu;
	Dwarf_Attribute at;
	const char *dir = NULL;

	if (file[0] != '/') {
		cu = dwfl_module_addrdie(mod, addr, &bias);
		if (cu)
			dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &at));
		if (!dir)
			return file;
		snprintf(joined, sizeof(joined), "%s/%s", dir, file);
		file = joined;
	}
	if (!realpath(file, real))
		return file == joined ? strdup(joined) : file;
	return strdup(real);
}

static void frame_resolve(struct sframe *f)
{
	struct smodule *m = module_get(f->module);
	GElf_Addr addr;
	Dwfl_Line *line;
	int lineno = 0;

	if (!m || !m->mod || f->pc < f->base)
		return;
	/* A return address: look up the call instruction just before it. */
	addr = f->pc - f->base - 1;
	if (dwfl_module_relocations(m->mod) > 0) {
		Dwarf_Addr lo;

		dwfl_module_info(m->mod, NULL, &lo, NULL, NULL, NULL, NULL, NULL);
		addr += lo;
	}
	f->function = dwfl_module_addrname(m->mod, addr);
	line = dwfl_module_getsrc(m->mod, addr);
	if (line) {
		const char *file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);

		if (file && lineno > 0) {
			f->file = source_path(m->mod, addr, file);
			f->line = lineno;
		}
	}
}

/* ------------------------------------------------------------- records */

/* Split @s at tabs in place, unescaping each field. Return: the field count. */
static unsigned split_fields(char *s, char **field, unsigned max)
{
	unsigned n = 0;
	char *w = s;

	field[n++] = w;
	for (char *r = s; *r && *r != '\n'; r++) {
		if (*r == '\t') {
			*w++ = '\0';
			if (n == max)
				return n;
			field[n++] = w;
		} else if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return n;
}

static uint64_t hex(const char *s)
{
	return strtoull(s, NULL, 16);
}

static bool parse_record(char *buf, struct sresult *r)
{
	char *f[12 + 3 * SARIF_MAX_FRAMES];
	unsigned n = split_fields(buf, f, 12 + 3 * SARIF_MAX_FRAMES), nf;

	if (n < 12)
		return false;
	memset(r, 0, sizeof(*r));
	r->level = (unsigned)hex(f[0]);
	r->rule = strdup(f[1]);
	r->code = hex(f[2]);
	for (int i = 0; i < 4; i++)
		r->param[i] = hex(f[3 + i]);
	r->vcpu = hex(f[7]);
	r->irql = hex(f[8]);
	r->message = strdup(f[9]);
	r->hint = strdup(f[10]);
	nf = (unsigned)hex(f[11]);
	if (nf > SARIF_MAX_FRAMES || 12 + 3 * nf > n)
		nf = (n - 12) / 3;
	for (unsigned i = 0; i < nf; i++) {
		struct sframe *fr = &r->frames[i];

		fr->pc = hex(f[12 + 3 * i]);
		fr->base = hex(f[13 + 3 * i]);
		fr->module = strdup(f[14 + 3 * i]);
		frame_resolve(fr);
	}
	r->nr_frames = nf;
	return true;
}

/* ---------------------------------------------------------------- JSON */

/* A JSON string of @prefix (verbatim) followed by @s (escaped). */
static void json_str_p(FILE *o, const char *prefix, const char *s)
{
	fputc('"', o);
	fputs(prefix, o);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(o, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", o);
		else if (c == '\t')
			fputs("\\t", o);
		else if (c < 0x20)
			fprintf(o, "\\u%04x", c);
		else
			fputc(c, o);
	}
	fputc('"', o);
}

static void json_str(FILE *o, const char *s)
{
	json_str_p(o, "", s);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static char srcroot[PATH_MAX];

/* A physical location: relative to the source root (where ndisrt ran) when under it. */
static void json_location(FILE *o, const struct sframe *f)
{
	size_t rl = strlen(srcroot);

	fputs("{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", o);
	if (f->file && f->file[0] == '/' && rl && !strncmp(f->file, srcroot, rl) &&
	    f->file[rl] == '/') {
		json_str(o, f->file + rl + 1);
		fputs(",\"uriBaseId\":\"SRCROOT\"}", o);
	} else if (f->file) {
		json_str_p(o, "file://", f->file);
		fputs("}", o);
	} else {
		json_str(o, f->module);
		fputs("}", o);
	}
	if (f->file)
		fprintf(o, ",\"region\":{\"startLine\":%d}", f->line);
	else
		fprintf(o, ",\"address\":{\"relativeAddress\":%llu}",
			(unsigned long long)(f->pc - f->base));
	fputs("}", o);
	if (f->function) {
		fputs(",\"logicalLocations\":[{\"name\":", o);
		json_str(o, f->function);
		fputs(",\"kind\":\"function\"}]", o);
	}
	fputs("}", o);
}

/* The frame a result points at: the driver's innermost frame, by line if it can. */
static const struct sframe *result_anchor(const struct sresult *r, const char *driver)
{
	const struct sframe *named = NULL;

	for (unsigned i = 0; i < r->nr_frames; i++) {
		const struct sframe *f = &r->frames[i];
		bool in_driver =
		    driver ? !strcmp(base_name(f->module), base_name(driver)) : f->file != NULL;

		if (!in_driver)
			continue;
		if (f->file)
			return f;
		if (!named)
			named = f;
	}
	return named;
}

static void json_result(FILE *o, const struct sresult *r, const char *driver)
{
	const struct sframe *at = result_anchor(r, driver);

	fputs("{\"ruleId\":", o);
	json_str(o, r->rule);
	fprintf(o, ",\"level\":\"%s\",\"message\":{\"text\":",
		r->level == FINDINGS_ERROR ? "error" : "warning");
	json_str(o, r->message);
	fputs("}", o);
	if (at) {
		fputs(",\"locations\":[", o);
		json_location(o, at);
		fputs("]", o);
	}
	fputs(",\"stacks\":[{\"message\":{\"text\":\"call chain\"},\"frames\":[", o);
	for (unsigned i = 0; i < r->nr_frames; i++) {
		fputs(i ? ",{\"location\":" : "{\"location\":", o);
		json_location(o, &r->frames[i]);
		fputs(",\"module\":", o);
		json_str(o, r->frames[i].module);
		fputs("}", o);
	}
	fprintf(o,
		"]}],\"properties\":{\"bugCheckCode\":\"0x%08llX\",\"parameters\":[\"0x%llX\","
		"\"0x%llX\",\"0x%llX\",\"0x%llX\"],\"vcpu\":%lld,\"irql\":%llu",
		(unsigned long long)r->code, (unsigned long long)r->param[0],
		(unsigned long long)r->param[1], (unsigned long long)r->param[2],
		(unsigned long long)r->param[3], (long long)r->vcpu - 1,
		(unsigned long long)r->irql);
	if (r->hint && *r->hint) {
		fputs(",\"fix\":", o);
		json_str(o, r->hint);
	}
	fputs("}}", o);
}

static void json_log(FILE *o, const struct sresult *res, unsigned n, const char *driver)
{
	fputs(
	    "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
	    "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"ndisrt\",\"version\":\"0.1.0\","
	    "\"rules\":[",
	    o);
	for (unsigned i = 0, first = 1; i < n; i++) {
		bool seen = false;

		for (unsigned j = 0; j < i; j++)
			seen |= !strcmp(res[j].rule, res[i].rule);
		if (seen)
			continue;
		fputs(first ? "{\"id\":" : ",{\"id\":", o);
		first = 0;
		json_str(o, res[i].rule);
		fputs(",\"shortDescription\":{\"text\":", o);
		json_str(o, res[i].message);
		fputs("}", o);
		if (res[i].hint && *res[i].hint) {
			fputs(",\"help\":{\"text\":", o);
			json_str(o, res[i].hint);
			fputs("}", o);
		}
		fputs("}", o);
	}
	fputs("]}}", o);
	if (srcroot[0]) {
		fputs(",\"originalUriBaseIds\":{\"SRCROOT\":{\"uri\":", o);
		char root[PATH_MAX + 2];

		snprintf(root, sizeof(root), "%s/", srcroot);
		json_str_p(o, "file://", root);
		fputs("}}", o);
	}
	fputs(",\"results\":[", o);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			fputc(',', o);
		json_result(o, &res[i], driver);
	}
	fputs("]}]}\n", o);
}

int ndisrt_cmd_sarif_writer(int argc, char **argv)
{
	static char buf[1 << 16];
	struct sresult *res = NULL;
	unsigned n = 0;
	const char *driver;
	FILE *o;
	int fd;

	if (argc != 3) {
		fprintf(stderr,
			"usage: ndisrt __sarif-writer FD DRIVER (started by run --sarif)\n");
		return 64;
	}
	fd = atoi(argv[1]);
	driver = strcmp(argv[2], "-") ? argv[2] : NULL;
	if (!getcwd(srcroot, sizeof(srcroot)))
		srcroot[0] = '\0';
	for (;;) {
		ssize_t len = recv(0, buf, sizeof(buf) - 1, 0);
		struct sresult *grown;

		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0)
			break;
		buf[len] = '\0';
		grown = realloc(res, (n + 1) * sizeof(*res));
		if (!grown)
			break;
		res = grown;
		if (parse_record(buf, &res[n]))
			n++;
	}
	o = fdopen(fd, "w");
	if (!o) {
		perror("ndisrt: --sarif");
		return 1;
	}
	json_log(o, res, n, driver);
	if (fflush(o) != 0 || ferror(o) || (fsync(fd) < 0 && errno != EINVAL)) {
		fprintf(stderr, "ndisrt: --sarif: writing the log failed: %s\n", strerror(errno));
		fclose(o);
		return 1;
	}
	if (fclose(o) != 0) {
		fprintf(stderr, "ndisrt: --sarif: closing the log failed: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
