/*
 * format.h - text formatting for the dashboard: sizes, percentages,
 * uptimes, sparklines and display-width aware fitting of UTF-8 text.
 *
 * Pure functions (no curses), so they are unit-tested directly.  Every
 * function writes into a caller buffer and always NUL-terminates it.
 */
#ifndef CONTAINR_UI_FORMAT_H
#define CONTAINR_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "0B", "1.5KiB", "12.3MiB": binary units, 3 significant digits. */
void ui_fmt_size(char *buf, size_t len, uint64_t bytes);
/* "0.0%", "12.3%", "105%" (one decimal under 100, none above). */
void ui_fmt_percent(char *buf, size_t len, double pct);
/*
 * Docker's STATUS text: "Up 3 minutes", "Up 3 minutes (Paused)",
 * "Exited (0) 2 hours ago", "Created".  `state` is "running", "paused",
 * "exited", "created"...; times are in seconds since the epoch (0 = unknown).
 */
void ui_fmt_status(char *buf, size_t len, const char *state, int exit_code, int64_t started_s,
                   int64_t finished_s, int64_t now_s);
/* Compact uptime for the UPTIME column: "42s", "3m12s", "5h03m", "2d04h"; "-" for <0. */
void ui_fmt_uptime(char *buf, size_t len, int64_t seconds);

/*
 * Sparkline of the last `width` values of `v[0..n)` (oldest first) scaled
 * to `max` (values above are clipped; max <= 0 = autoscale to the largest).
 * UTF-8 uses the eight block characters ▁▂▃▄▅▆▇█; ASCII uses " .:-=+*#".
 * Missing history (n < width) is padded on the left with spaces.  `buf`
 * needs 3*width+1 bytes for UTF-8.
 */
void ui_sparkline(char *buf, size_t len, const double *v, size_t n, size_t width, double max,
                  bool ascii);

/* Display columns of a UTF-8 string (wcwidth per code point; bad bytes = 1). */
size_t ui_strwidth(const char *s);
/*
 * Copy `s` into buf so that it takes exactly `width` columns: truncated
 * (with "…" or "~" in ASCII mode when `ellipsis`) or padded with spaces on
 * the right (left when `right_align`).
 */
void ui_fit(char *buf, size_t len, const char *s, size_t width, bool right_align, bool ellipsis,
            bool ascii);

/* Case-insensitive substring test; an empty needle matches everything. */
bool ui_contains_ci(const char *hay, const char *needle);

#endif
