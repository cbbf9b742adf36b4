/* SPDX-License-Identifier: MIT */
/*
 * tools/findings.c - the run's side of the SARIF log (tools/findings.h):
 * start the writer, send it one record per finding, wait for it.
 *
 * A record is one SOCK_SEQPACKET message, so records from several vCPUs
 * never interleave, and send(MSG_NOSIGNAL) turns a dead writer into an
 * error rather than SIGPIPE. The record is text, tab-separated:
 *
 *   level rule code p1 p2 p3 p4 vcpu irql message hint nframes {pc base module}...
 *
 * numbers in hex, strings with \t \n \\ escaped; formatted by hand into a
 * stack buffer, because this runs in signal handlers.
 */
#include "tools/findings.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FINDINGS_RECORD_MAX 8192u

static int findings_sock = -1;
static pid_t findings_pid = -1;

int findings_open(const char *sarif_path, const char *driver_path, char *err, size_t errlen)
{
	int out, sv[2];
	pid_t pid;

	out = open(sarif_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		snprintf(err, errlen, "cannot write --sarif %s: %s", sarif_path, strerror(errno));
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "--sarif: socketpair: %s", strerror(errno));
		close(out);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "--sarif: cannot start the writer: %s", strerror(errno));
		close(out), close(sv[0]), close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exec. */
		if (dup2(sv[1], 0) < 0)
			_exit(127);
		/* dup2() clears close-on-exec on the copy; on fd 3 itself, clear it by hand. */
		if (out == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(out, 3) < 0)
			_exit(127);
		execl("/proc/self/exe", "ndisrt", "__sarif-writer", "3",
		      driver_path ? driver_path : "-", (char *)NULL);
		_exit(127);
	}
	close(out);
	close(sv[1]);
	findings_sock = sv[0];
	findings_pid = pid;
	return 0;
}

struct rec {
	char buf[FINDINGS_RECORD_MAX];
	size_t len;
	bool full;
};

static void put_c(struct rec *r, char c)
{
	if (r->len < sizeof(r->buf))
		r->buf[r->len++] = c;
	else
		r->full = true;
}

static void put_s(struct rec *r, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\t':
			put_c(r, '\\'), put_c(r, 't');
			break;
		case '\n':
			put_c(r, '\\'), put_c(r, 'n');
			break;
		case '\\':
			put_c(r, '\\'), put_c(r, '\\');
			break;
		default:
			put_c(r, *s);
		}
	}
}

static void put_x(struct rec *r, uint64_t v)
{
	char d[16];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v & 0xF];
		v >>= 4;
	} while (v);
	while (n)
		put_c(r, d[--n]);
}

static void put_tab(struct rec *r)
{
	put_c(r, '\t');
}

void findings_report(const struct findings_item *f)
{
	struct rec r;
	size_t keep;
	int nf = 0;

	if (findings_sock < 0)
		return;
	r.len = 0;
	r.full = false;
	put_x(&r, f->level);
	put_tab(&r);
	put_s(&r, f->rule ? f->rule : "bugcheck");
	put_tab(&r);
	put_x(&r, f->code);
	for (int i = 0; i < 4; i++) {
		put_tab(&r);
		put_x(&r, f->param[i]);
	}
	put_tab(&r);
	put_x(&r, (uint64_t)(f->vcpu + 1)); /* 0: a host thread */
	put_tab(&r);
	put_x(&r, f->irql);
	put_tab(&r);
	put_s(&r, f->message);
	put_tab(&r);
	put_s(&r, f->hint);
	put_tab(&r);
	keep = r.len;
	/* The frame count goes last-but-frames: count only frames that fit whole. */
	struct rec fr = {.len = 0, .full = false};

	for (int i = 0; i < f->nr_frames; i++) {
		Dl_info info;
		size_t before = fr.len;

		if (!dladdr(f->frames[i], &info) || !info.dli_fname)
			info.dli_fname = "?", info.dli_fbase = NULL;
		put_tab(&fr);
		put_x(&fr, (uintptr_t)f->frames[i]);
		put_tab(&fr);
		put_x(&fr, (uintptr_t)info.dli_fbase);
		put_tab(&fr);
		put_s(&fr, info.dli_fname);
		if (fr.full || keep + 20 + fr.len > sizeof(r.buf)) {
			fr.len = before;
			break;
		}
		nf++;
	}
	put_x(&r, (uint64_t)nf);
	if (r.len + fr.len + 1 > sizeof(r.buf))
		fr.len = 0;
	memcpy(r.buf + r.len, fr.buf, fr.len);
	r.len += fr.len;
	r.buf[r.len++] = '\n';
	/* A dead writer is reported by findings_close(); never SIGPIPE here. */
	(void)send(findings_sock, r.buf, r.len, MSG_NOSIGNAL);
}

/* How long the writer may take to name the frames and write the log. */
#define FINDINGS_WRITER_WAIT_MS 30000

int findings_close(void)
{
	static const char late[] = "ndisrt: --sarif: the log writer did not finish within 30 s; "
				   "it was stopped and the log is incomplete\n";
	struct timespec tick = {0, 10 * 1000 * 1000};
	int st = 0;

	if (findings_sock < 0)
		return 0;
	close(findings_sock);
	findings_sock = -1;
	/* Bounded: poll (async-signal-safe calls only), then stop the writer. */
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(findings_pid, &st, WNOHANG);

		if (r == findings_pid)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
		if (waited >= FINDINGS_WRITER_WAIT_MS) {
			(void)!write(2, late, sizeof(late) - 1);
			kill(findings_pid, SIGKILL);
			(void)waitpid(findings_pid, &st, 0);
			findings_pid = -1;
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	findings_pid = -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}
