/* SPDX-License-Identifier: MIT */
/*
 * `ndisrt rss`: Microsoft's vectors through the command line, RETA files,
 * and a one-line error with exit status 64 for every bad option or value.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int ndisrt_cmd_rss(int argc, char **argv);

#define RUN(...)                                                                             \
	({                                                                                   \
		char *argv_[] = {"rss", __VA_ARGS__, NULL};                                  \
		int r_ = ndisrt_cmd_rss((int)(sizeof(argv_) / sizeof(argv_[0])) - 1, argv_); \
		fflush(stdout);                                                              \
		fflush(stderr);                                                              \
		r_;                                                                          \
	})

static void redirect(void)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
}

Test(rss_tool, s5_ipv4_tcp_vector, .init = redirect)
{
	cr_assert_eq(RUN("--src", "66.9.149.187:2794", "--dst", "161.142.100.80:1766", "--tcp"), 0);
	cr_assert_stdout_eq_str("0x51ccc178\n");
}

Test(rss_tool, s5_ipv4_address_only_vector, .init = redirect)
{
	cr_assert_eq(RUN("--src=199.92.111.2", "--dst=65.69.140.83"), 0);
	cr_assert_stdout_eq_str("0xd718262a\n");
}

Test(rss_tool, s5_ipv6_tcp_vector_explicit_key, .init = redirect)
{
	cr_assert_eq(RUN("--key",
			 "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c"
			 "6a42b73bbeac01fa",
			 "--src", "[3ffe:1900:4545:3:200:f8ff:fe21:67cf]:44251", "--dst",
			 "[fe80::200:f8ff:fe21:67cf]:38024", "--udp"),
		     0);
	cr_assert_stdout_eq_str("0x02d1feef\n");
}

Test(rss_tool, s5_ipv6_address_only_vector, .init = redirect)
{
	cr_assert_eq(RUN("--src", "3ffe:501:8::260:97ff:fe40:efab", "--dst", "ff02::1"), 0);
	cr_assert_stdout_eq_str("0x0f0c461c\n");
}

static char reta_path[64];

static void write_reta(const char *text)
{
	FILE *f;
	int fd;

	snprintf(reta_path, sizeof(reta_path), "/tmp/ndisrt-reta-XXXXXX");
	fd = mkstemp(reta_path);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

/* 0x51ccc178 mod 8 = 0; mod 4 = 0. 0xc626b0ea mod 8 = 2. */
Test(rss_tool, s5_reta_file_entry_and_queue, .init = redirect)
{
	write_reta("# queues\n5 1 7 3\n2 2 2 2 # tail\n");
	cr_assert_eq(RUN("--src", "199.92.111.2:14230", "--dst", "65.69.140.83:4739", "--tcp",
			 "--reta", reta_path),
		     0);
	unlink(reta_path);
	cr_assert_stdout_eq_str("0xc626b0ea\nentry 2 queue 7\n");
}

Test(rss_tool, help_exits_zero, .init = redirect)
{
	cr_assert_eq(RUN("--help"), 0);
}

struct bad_case {
	const char *argv[8];
	const char *names; /* the option the error line must name */
};

static const struct bad_case bad[] = {
    {{"--bogus"}, "--bogus"},
    {{"--src"}, "--src"},
    {{"--src", "1.2.3.4", "--dst", "5.6.7"}, "--dst"},
    {{"--src", "1.2.3.4:99999", "--dst", "5.6.7.8"}, "--src"},
    {{"--key", "abc", "--src", "1.2.3.4", "--dst", "5.6.7.8"}, "--key"},
    {{"--src", "1.2.3.4", "--dst", "::1"}, "--dst"},
    {{"--src", "1.2.3.4", "--dst", "5.6.7.8", "--tcp"}, "--src"},
    {{"--src", "1.2.3.4:1", "--dst", "5.6.7.8:2"}, "--src"},
    {{"--dst", "5.6.7.8"}, "--src"},
    {{"--src", "1.2.3.4"}, "--dst"},
    {{"--src", "1.2.3.4", "--dst", "5.6.7.8", "--reta", "/nonexistent/reta"}, "--reta"},
    {{"--tcp", "--udp"}, "--udp"},
    {{"--src", "[::1", "--dst", "::2"}, "--src"},
};

Test(rss_tool, every_bad_option_is_usage_64)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[10] = {"rss"};
		int argc = 1;
		char err[512] = "";
		FILE *tmp = tmpfile();
		int saved = dup(2);

		for (int k = 0; bad[i].argv[k]; k++)
			argv[argc++] = (char *)(uintptr_t)bad[i].argv[k];
		fflush(stderr);
		dup2(fileno(tmp), 2);
		int r = ndisrt_cmd_rss(argc, argv);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		rewind(tmp);
		size_t n = fread(err, 1, sizeof(err) - 1, tmp);
		fclose(tmp);
		err[n] = '\0';
		cr_expect_eq(r, 64, "case %zu exit %d", i, r);
		cr_expect_not_null(strstr(err, bad[i].names), "case %zu: '%s' lacks %s", i, err,
				   bad[i].names);
		cr_expect_eq(strchr(err, '\n'), err + n - 1, "case %zu: not one line: '%s'", i,
			     err);
	}
}

Test(rss_tool, bad_reta_contents_name_the_entry)
{
	static const char *const files[] = {"1 2 3\n", "1 x 3 4\n", "300\n", ""};

	for (size_t i = 0; i < 4; i++) {
		char *argv[] = {"rss",	   "--src",  "1.2.3.4", "--dst",
				"5.6.7.8", "--reta", reta_path, NULL};
		int saved = dup(2), devnull = open("/dev/null", 1);

		write_reta(files[i]);
		dup2(devnull, 2);
		cr_expect_eq(ndisrt_cmd_rss(7, argv), 64, "file %zu", i);
		dup2(saved, 2);
		close(saved);
		close(devnull);
		unlink(reta_path);
	}
}
