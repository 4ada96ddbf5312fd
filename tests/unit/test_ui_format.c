/* test_ui_format.c - dashboard formatting: sizes, percents, status text, uptimes, sparklines,
 * fitting. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "../../ui/format.h"

Test(ui_format, sizes_and_percents)
{
	char b[32];
	ui_fmt_size(b, sizeof b, 0);
	cr_assert_str_eq(b, "0B");
	ui_fmt_size(b, sizeof b, 1536);
	cr_assert_str_eq(b, "1.5KiB");
	ui_fmt_size(b, sizeof b, 512ULL * 1024 * 1024);
	cr_assert_str_eq(b, "512MiB");
	ui_fmt_percent(b, sizeof b, 0);
	cr_assert_str_eq(b, "0.0%");
	ui_fmt_percent(b, sizeof b, 12.34);
	cr_assert_str_eq(b, "12.3%");
	ui_fmt_percent(b, sizeof b, 153.6);
	cr_assert_str_eq(b, "154%");
	ui_fmt_percent(b, sizeof b, -3);
	cr_assert_str_eq(b, "0.0%");
}

Test(ui_format, docker_status_text)
{
	char b[64];
	ui_fmt_status(b, sizeof b, "running", 0, 1000, 0, 1000 + 180);
	cr_assert_str_eq(b, "Up 3 minutes");
	ui_fmt_status(b, sizeof b, "paused", 0, 1000, 0, 1030);
	cr_assert_str_eq(b, "Up 30 seconds (Paused)");
	ui_fmt_status(b, sizeof b, "exited", 137, 1000, 2000, 2000 + 7200);
	cr_assert_str_eq(b, "Exited (137) 2 hours ago");
	ui_fmt_status(b, sizeof b, "created", 0, 0, 0, 5);
	cr_assert_str_eq(b, "Created");
	ui_fmt_status(b, sizeof b, "restarting", 0, 0, 0, 5);
	cr_assert_str_eq(b, "Restarting");
}

Test(ui_format, uptime)
{
	char b[32];
	ui_fmt_uptime(b, sizeof b, 42);
	cr_assert_str_eq(b, "42s");
	ui_fmt_uptime(b, sizeof b, 192);
	cr_assert_str_eq(b, "3m12s");
	ui_fmt_uptime(b, sizeof b, 5 * 3600 + 180);
	cr_assert_str_eq(b, "5h03m");
	ui_fmt_uptime(b, sizeof b, 2 * 86400 + 4 * 3600);
	cr_assert_str_eq(b, "2d04h");
	ui_fmt_uptime(b, sizeof b, -1);
	cr_assert_str_eq(b, "-");
}

Test(ui_format, sparkline_utf8_levels_and_padding)
{
	double v[] = {0, 50, 100};
	char b[64];
	ui_sparkline(b, sizeof b, v, 3, 5, 100, false);
	/* two pad spaces, then lowest, middle, full block */
	cr_assert_str_eq(b, "  \u2581\u2585\u2588");
	/* Only the last `width` values are drawn. */
	ui_sparkline(b, sizeof b, v, 3, 2, 100, false);
	cr_assert_str_eq(b, "\u2585\u2588");
	/* Values above max are clipped. */
	double hi[] = {400};
	ui_sparkline(b, sizeof b, hi, 1, 1, 100, false);
	cr_assert_str_eq(b, "\u2588");
}

Test(ui_format, sparkline_ascii_and_autoscale)
{
	double v[] = {0, 1, 2, 4};
	char b[64];
	ui_sparkline(b, sizeof b, v, 4, 4, 0, true); /* autoscale to 4 */
	cr_assert_eq(strlen(b), 4);
	cr_assert_eq(b[0], ' ');
	cr_assert_eq(b[3], '#');
	for (int i = 0; i < 4; i++)
		cr_assert(b[i] >= 0x20 && b[i] < 0x7f, "ASCII only");
	/* A tiny buffer is never overrun. */
	char small[4];
	ui_sparkline(small, sizeof small, v, 4, 4, 0, false);
	cr_assert(strlen(small) < sizeof small);
}

Test(ui_format, fit_pads_truncates_and_counts_columns)
{
	char b[64];
	setlocale(LC_ALL, "C.UTF-8");
	ui_fit(b, sizeof b, "web", 6, false, true, false);
	cr_assert_str_eq(b, "web   ");
	ui_fit(b, sizeof b, "web", 6, true, true, false);
	cr_assert_str_eq(b, "   web");
	ui_fit(b, sizeof b, "abcdefgh", 5, false, true, true);
	cr_assert_str_eq(b, "abcd~");
	ui_fit(b, sizeof b, "abcdefgh", 5, false, true, false);
	cr_assert_str_eq(b, "abcd\u2026");
	cr_assert_eq(ui_strwidth("\u2581\u2582x"), 3);
	ui_fit(b, sizeof b, "\u2588\u2588\u2588\u2588", 2, false, false, false);
	cr_assert_str_eq(b, "\u2588\u2588");
	cr_assert(ui_contains_ci("Busybox:latest", "BOX"));
	cr_assert(ui_contains_ci("x", ""));
	cr_assert_not(ui_contains_ci("nginx", "box"));
}
