/* test_util.c - errors, sizes, durations, formatting, strbuf/strv. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "containr/error.h"
#include "containr/util.h"

Test(error, fail_sets_code_message_hint)
{
	struct ctr_err err;

	ctr_err_clear(&err);
	cr_assert_eq(ctr_fail(&err, E_NOT_FOUND, "no such container: %s", "web"), -1);
	cr_assert_eq(ctr_hint(&err, "try %s", "ps -a"), -1);
	cr_assert_eq(err.code, E_NOT_FOUND);
	cr_assert_str_eq(err.msg, "no such container: web");
	cr_assert_str_eq(err.hint, "try ps -a");
	cr_assert_str_eq(ctr_err_name(err.code), "E_NOT_FOUND");
	ctr_err_wrap(&err, "start %s", "web");
	cr_assert_str_eq(err.msg, "start web: no such container: web");
}

Test(error, errno_maps_codes)
{
	struct ctr_err err;

	ctr_fail_errno(&err, E_IO, ENOENT, "open %s", "/x");
	cr_assert_eq(err.code, E_NOT_FOUND);
	cr_assert(strstr(err.msg, "No such file"));
	ctr_fail_errno(&err, E_IO, EACCES, "open");
	cr_assert_eq(err.code, E_PERMISSION);
	ctr_fail_errno(&err, E_IO, EIO, "read");
	cr_assert_eq(err.code, E_IO);
	cr_assert_eq(err.sys_errno, EIO);
}

Test(error, exit_statuses)
{
	cr_assert_eq(ctr_err_exit_status(E_OK), 0);
	cr_assert_eq(ctr_err_exit_status(E_USAGE), 125);
	cr_assert_eq(ctr_err_exit_status(E_INVALID_ARG), 1);
	cr_assert_eq(ctr_err_exit_status(E_NOT_FOUND), 1);
	cr_assert_eq(ctr_err_exit_status(E_RUNTIME), 1);
	cr_assert_str_eq(ctr_err_name((enum ctr_errcode)999), "E_UNKNOWN");
}

Test(util, parse_integers_strict)
{
	int64_t i = 42;
	uint64_t u = 42;
	int n = 42;

	errno = 0;
	cr_assert_eq(ctr_parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &i), 0);
	cr_assert_eq(i, INT64_MIN);
	cr_assert_eq(ctr_parse_i64("9223372036854775807", INT64_MIN, INT64_MAX, &i), 0);
	cr_assert_eq(i, INT64_MAX);
	cr_assert_eq(ctr_parse_i64("+17", 0, 100, &i), 0);
	cr_assert_eq(i, 17);
	cr_assert_eq(ctr_parse_i64("007", 0, 100, &i), 0);
	cr_assert_eq(i, 7);
	i = 42;
	/* the whole string, base 10, in range: or -1 and *out untouched */
	const char *bad[] = {"",
	                     " 1",
	                     "1 ",
	                     "1x",
	                     "0x10",
	                     "+",
	                     "-",
	                     "--1",
	                     "1e3",
	                     "9223372036854775808",
	                     "-9223372036854775809",
	                     "99999999999999999999999"};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
		cr_assert_eq(ctr_parse_i64(bad[k], INT64_MIN, INT64_MAX, &i), -1, "%s", bad[k]);
	cr_assert_eq(ctr_parse_i64(NULL, 0, 1, &i), -1);
	cr_assert_eq(ctr_parse_i64("101", 0, 100, &i), -1);
	cr_assert_eq(ctr_parse_i64("-1", 0, 100, &i), -1);
	cr_assert_eq(i, 42);

	cr_assert_eq(ctr_parse_u64("18446744073709551615", UINT64_MAX, &u), 0);
	cr_assert_eq(u, UINT64_MAX);
	u = 42;
	cr_assert_eq(ctr_parse_u64("18446744073709551616", UINT64_MAX, &u), -1);
	cr_assert_eq(ctr_parse_u64("-1", UINT64_MAX, &u), -1);
	cr_assert_eq(ctr_parse_u64("+1", UINT64_MAX, &u), -1);
	cr_assert_eq(ctr_parse_u64("4294967296", UINT32_MAX, &u), -1);
	cr_assert_eq(u, 42);

	cr_assert_eq(ctr_parse_int("-5", -10, 10, &n), 0);
	cr_assert_eq(n, -5);
	cr_assert_eq(ctr_parse_int("2147483648", INT32_MIN, INT32_MAX, &n), -1);
	cr_assert_eq(n, -5);
	cr_assert_eq(errno, 0, "the parsers leave errno alone");
}

Test(util, parse_size)
{
	struct ctr_err err;
	int64_t v;

	cr_assert_eq(ctr_parse_size("512", &v, &err), 0);
	cr_assert_eq(v, 512);
	cr_assert_eq(ctr_parse_size("64k", &v, &err), 0);
	cr_assert_eq(v, 65536);
	cr_assert_eq(ctr_parse_size("512m", &v, &err), 0);
	cr_assert_eq(v, 512LL << 20);
	cr_assert_eq(ctr_parse_size("1.5G", &v, &err), 0);
	cr_assert_eq(v, 3LL << 29);
	cr_assert_eq(ctr_parse_size("100MB", &v, &err), 0);
	cr_assert_eq(v, 100LL << 20);
	cr_assert_eq(ctr_parse_size("2MiB", &v, &err), 0);
	cr_assert_eq(v, 2LL << 20);
	cr_assert_eq(ctr_parse_size("10b", &v, &err), 0);
	cr_assert_eq(v, 10);
	cr_assert_eq(ctr_parse_size("12q", &v, &err), -1);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert(err.hint[0]);
	cr_assert_eq(ctr_parse_size("-5m", &v, &err), -1);
	cr_assert_eq(ctr_parse_size("", &v, &err), -1);
	cr_assert_eq(ctr_parse_size("m", &v, &err), -1);
}

Test(util, parse_duration)
{
	struct ctr_err err;
	int64_t v;

	cr_assert_eq(ctr_parse_duration("10", &v, &err), 0);
	cr_assert_eq(v, 10000000000LL);
	cr_assert_eq(ctr_parse_duration("300ms", &v, &err), 0);
	cr_assert_eq(v, 300000000LL);
	cr_assert_eq(ctr_parse_duration("1h30m", &v, &err), 0);
	cr_assert_eq(v, 5400LL * 1000000000LL);
	cr_assert_eq(ctr_parse_duration("1.5s", &v, &err), 0);
	cr_assert_eq(v, 1500000000LL);
	cr_assert_eq(ctr_parse_duration("5x", &v, &err), -1);
	cr_assert_eq(ctr_parse_duration("", &v, &err), -1);
}

Test(util, format_bytes_like_docker)
{
	char b[32];

	ctr_format_bytes(b, sizeof b, 0, true);
	cr_assert_str_eq(b, "0B");
	ctr_format_bytes(b, sizeof b, 1536, true);
	cr_assert_str_eq(b, "1.5KiB");
	ctr_format_bytes(b, sizeof b, 5.0 * 1000 * 1000, false);
	cr_assert_str_eq(b, "5MB");
	ctr_format_bytes(b, sizeof b, 123456789, false);
	cr_assert_str_eq(b, "123MB");
}

Test(util, format_duration_like_docker)
{
	char b[32];

	ctr_format_duration(b, sizeof b, 0);
	cr_assert_str_eq(b, "Less than a second");
	ctr_format_duration(b, sizeof b, 5);
	cr_assert_str_eq(b, "5 seconds");
	ctr_format_duration(b, sizeof b, 90);
	cr_assert_str_eq(b, "About a minute");
	ctr_format_duration(b, sizeof b, 600);
	cr_assert_str_eq(b, "10 minutes");
	ctr_format_duration(b, sizeof b, 3 * 3600);
	cr_assert_str_eq(b, "3 hours");
}

Test(util, rfc3339_round_trip)
{
	char b[64];
	int64_t ns = 1700000000123456789LL, back;

	ctr_format_rfc3339(b, sizeof b, ns);
	cr_assert_str_eq(b, "2023-11-14T22:13:20.123456789Z");
	cr_assert_eq(ctr_parse_rfc3339(b, &back), 0);
	cr_assert_eq(back, ns);
	cr_assert_eq(ctr_parse_rfc3339("2023-11-14T23:13:20+01:00", &back), 0);
	cr_assert_eq(back, 1700000000LL * 1000000000LL);
	cr_assert_eq(ctr_parse_rfc3339("yesterday", &back), -1);
	/* Go's zero time is "never", not an overflow */
	ctr_format_rfc3339(b, sizeof b, 0);
	cr_assert_eq(ctr_parse_rfc3339(b, &back), 0);
	cr_assert_eq(back, 0);
}

Test(util, strbuf_and_strv)
{
	struct strbuf sb;
	struct strv sv;

	strbuf_init(&sb);
	cr_assert_str_eq(sb.buf, "");
	for (int i = 0; i < 1000; i++)
		strbuf_printf(&sb, "%d,", i);
	cr_assert(str_startswith(sb.buf, "0,1,2,"));
	cr_assert(str_endswith(sb.buf, "999,"));
	char *s = strbuf_detach(&sb);
	cr_assert_str_eq(sb.buf, "");
	free(s);
	strv_init(&sv);
	strv_push(&sv, "b");
	strv_push(&sv, "a");
	strv_sort(&sv);
	cr_assert_str_eq(sv.v[0], "a");
	cr_assert_null(sv.v[2]);
	cr_assert(strv_contains(&sv, "b"));
	strv_release(&sv);
	cr_assert_eq(str_distance("version", "verison"), 2);
	cr_assert_eq(str_distance("ps", "ps"), 0);
}

Test(util, path_join_and_rm_rf_does_not_follow_symlinks)
{
	struct ctr_err err;
	char dir[] = "/tmp/containr-unit-rm.XXXXXX";
	char *p = ctr_path_join("/a/", "/b");

	cr_assert_str_eq(p, "/a/b");
	free(p);
	cr_assert_not_null(mkdtemp(dir));
	char *victim = ctr_path_join(dir, "victim");
	char *tree = ctr_path_join(dir, "tree/sub");
	cr_assert_eq(ctr_mkdir_p(victim, 0755, &err), 0);
	cr_assert_eq(ctr_mkdir_p(tree, 0755, &err), 0);
	char *keep = ctr_path_join(victim, "keep");
	cr_assert_eq(ctr_write_file_atomic(keep, "x", 1, 0600, &err), 0);
	char *link = ctr_path_join(dir, "tree/sub/link");
	cr_assert_eq(symlink(victim, link), 0);
	char *t = ctr_path_join(dir, "tree");
	cr_assert_eq(ctr_rm_rf(t, &err), 0, "%s", err.msg);
	cr_assert_eq(access(t, F_OK), -1);
	cr_assert_eq(access(keep, F_OK), 0, "rm -rf followed a symlink");
	ctr_rm_rf(dir, &err);
	free(victim);
	free(tree);
	free(keep);
	free(link);
	free(t);
}

Test(util, dir_size_counts_files_once_and_never_follows_symlinks)
{
	struct ctr_err err;
	char dir[] = "/tmp/containr-unit-du.XXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	cleanup_free char *sub = ctr_path_join(dir, "a/b");
	cleanup_free char *f1 = ctr_path_join(dir, "a/one");
	cleanup_free char *f2 = ctr_path_join(dir, "a/b/two");
	cleanup_free char *hl = ctr_path_join(dir, "a/b/two-again");
	cleanup_free char *ln = ctr_path_join(dir, "a/to-outside");
	cr_assert_eq(ctr_mkdir_p(sub, 0755, &err), 0);
	cr_assert_eq(ctr_write_file_atomic(f1, "12345", 5, 0600, &err), 0);
	cr_assert_eq(ctr_write_file_atomic(f2, "1234567890", 10, 0600, &err), 0);
	cr_assert_eq(link(f2, hl), 0);
	cr_assert_eq(symlink("/usr", ln), 0); /* a symlink counts its own length, not /usr */
	cr_assert_eq(ctr_dir_size(dir), 5 + 10 + 4, "got %lld", (long long)ctr_dir_size(dir));
	cr_assert_eq(ctr_dir_size("/nonexistent/x"), 0);
	ctr_rm_rf(dir, &err);
}

Test(util, parse_time_arg_docker_formats)
{
	const int64_t now = 1764944479123456789LL; /* 2025-12-05T14:21:19.123456789Z */
	int64_t t;
	setenv("TZ", "UTC", 1);
	tzset();
	cr_assert_eq(ctr_parse_time_arg("2025-12-05T14:21:19Z", now, &t), 0);
	cr_assert_eq(t, 1764944479000000000LL);
	cr_assert_eq(ctr_parse_time_arg("2025-12-05T15:21:19.123456789+01:00", now, &t), 0);
	cr_assert_eq(t, now);
	cr_assert_eq(ctr_parse_time_arg("2025-12-05T14:21:19.5", now, &t), 0, "no zone: local");
	cr_assert_eq(t, 1764944479500000000LL);
	cr_assert_eq(ctr_parse_time_arg("2025-12-05T14:21", now, &t), 0);
	cr_assert_eq(t, 1764944460000000000LL);
	cr_assert_eq(ctr_parse_time_arg("2025-12-05", now, &t), 0);
	cr_assert_eq(t, 1764892800000000000LL);
	cr_assert_eq(ctr_parse_time_arg("1764944479.123456789", now, &t), 0, "unix, exact");
	cr_assert_eq(t, now);
	cr_assert_eq(ctr_parse_time_arg("1764944479", now, &t), 0, "a bare number is unix time");
	cr_assert_eq(t, 1764944479000000000LL);
	cr_assert_eq(ctr_parse_time_arg("10m", now, &t), 0);
	cr_assert_eq(t, now - 600000000000LL);
	cr_assert_eq(ctr_parse_time_arg("1h30m", now, &t), 0);
	cr_assert_eq(t, now - 5400000000000LL);
	cr_assert_eq(ctr_parse_time_arg("yesterday", now, &t), -1);
	cr_assert_eq(ctr_parse_time_arg("2025-13-45", now, &t), -1);
	cr_assert_eq(ctr_parse_time_arg("", now, &t), -1);
	unsetenv("TZ");
	tzset();
}
