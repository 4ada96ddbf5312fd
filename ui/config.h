/*
 * config.h - ~/.config/containr/dashboard.conf: defaults for the dashboard
 * and key remapping.
 *
 * Format (one setting per line, '#' comments, blanks ignored):
 *   theme     = dark            # a theme name or a path to a .theme file
 *   interval  = 2s              # refresh interval: 1, 500ms, 2s
 *   ascii     = yes|no          # ASCII instead of UTF-8 drawing
 *   mouse     = yes|no
 *   read-only = yes|no
 *   show-all  = yes|no          # list stopped containers too
 *   key.stop  = s               # bind action "stop" to s (replaces defaults)
 *   key.kill  = K, F9           # several keys
 * Command-line flags override the file.
 */
#ifndef CONTAINR_UI_CONFIG_H
#define CONTAINR_UI_CONFIG_H

#include "containr/error.h"
#include "keys.h"
#include "ui.h"

/* $XDG_CONFIG_HOME/containr/dashboard.conf or ~/.config/...; heap. */
char *ui_config_default_path(void);
/*
 * Apply config text to opts and km.  Errors name the file and line
 * (E_INVALID_ARG).  Leaves opts/km untouched on error.
 */
int ui_config_parse(const char *text, const char *name, struct ui_opts *opts, struct ui_keymap *km,
                    struct ctr_err *err);
/* Load `path`; a missing file is not an error unless `must_exist`. */
int ui_config_load(const char *path, bool must_exist, struct ui_opts *opts, struct ui_keymap *km,
                   struct ctr_err *err);

#endif
