/* test_ui_keys.c - the dashboard key table: names, no conflicts, reachability, remapping, help. */
#include <criterion/criterion.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "../../ui/keys.h"

Test(ui_keys, key_names_roundtrip)
{
	const char *names[] = {"s",    "?",   "/",      "Space", "Enter",  "Tab",
	                       "Esc",  "F1",  "F12",    "C-l",   "PgUp",   "PgDn",
	                       "Home", "End", "Delete", "Up",    "BackTab"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char back[16];
		int k = ui_key_parse(names[i]);
		cr_assert_geq(k, 0, "%s parses", names[i]);
		ui_key_name(k, back, sizeof back);
		cr_assert_str_eq(back, names[i]);
	}
	cr_assert_eq(ui_key_parse("F13"), -1);
	cr_assert_eq(ui_key_parse("Ctrl"), -1);
	cr_assert_eq(ui_key_parse(""), -1);
	cr_assert_eq(ui_key_parse("C-1"), -1);
}

Test(ui_keys, defaults_have_no_conflicts)
{
	struct ui_keymap km;
	struct ctr_err err;
	ui_keymap_defaults(&km, false);
	cr_assert_eq(ui_keymap_check(&km, &err), 0, "%s", err.msg);
}

Test(ui_keys, every_action_is_reachable)
{
	struct ui_keymap km;
	ui_keymap_defaults(&km, false);
	for (int a = 1; a < A__COUNT; a++) {
		const struct ui_action_def *d = ui_action_def((enum ui_action)a);
		cr_assert_eq((int)d->id, a, "table row %d is in enum order", a);
		cr_assert(d->name && *d->name && d->help && *d->help, "action %d documented", a);
		bool found = false;
		for (size_t i = 0; i < km.n && !found; i++) {
			if ((int)km.b[i].action != a)
				continue;
			/* The key must resolve to this action in each of its contexts. */
			for (unsigned c = 1; c <= UI_CTX_VOLUMES; c <<= 1)
				if (d->ctx & c)
					found |= ui_keymap_lookup(&km, c | UI_CTX_GLOBAL,
					                          km.b[i].key) == (enum ui_action)a;
		}
		cr_assert(found, "action %s has a working key", d->name);
		cr_assert_eq((int)ui_action_by_name(d->name), a);
	}
}

Test(ui_keys, context_beats_global_and_read_only_hides)
{
	struct ui_keymap km;
	ui_keymap_defaults(&km, false);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_LIST | UI_CTX_CONTAINERS, '/'),
	             A_FILTER);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_DETAIL | UI_CTX_LOGS, '/'),
	             A_SEARCH);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_LIST | UI_CTX_CONTAINERS, 's'),
	             A_STOP);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_PAGER, 's'), A_NONE);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_PAGER, 'q'), A_QUIT);
	ui_keymap_defaults(&km, true);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_LIST | UI_CTX_CONTAINERS, 's'),
	             A_NONE);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_LIST | UI_CTX_CONTAINERS, 'l'),
	             A_LOGS);
}

Test(ui_keys, remap_replaces_defaults_and_detects_conflicts)
{
	struct ui_keymap km;
	struct ctr_err err;
	char keys[64];
	ui_keymap_defaults(&km, false);
	cr_assert_eq(ui_keymap_set(&km, "stop", "x, F8", &err), 0);
	ui_keymap_keys_of(&km, A_STOP, keys, sizeof keys);
	cr_assert_str_eq(keys, "x F8");
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_CONTAINERS, 's'), A_NONE);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_CONTAINERS, 'x'), A_STOP);
	cr_assert_eq(ui_keymap_check(&km, &err), 0);
	cr_assert_eq(ui_keymap_set(&km, "kill", "q", &err), 0); /* q is the global quit */
	cr_assert_eq(ui_keymap_check(&km, &err), -1);
	cr_assert(strstr(err.msg, "kill") && strstr(err.msg, "quit"), "%s", err.msg);
	cr_assert_eq(ui_keymap_set(&km, "explode", "z", &err), -1);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert_eq(ui_keymap_set(&km, "stop", "Hyper-x", &err), -1);
}

Test(ui_keys, help_is_generated_from_the_table)
{
	struct ui_keymap km;
	char *text = NULL;
	size_t len = 0;
	ui_keymap_defaults(&km, false);
	ui_keymap_set(&km, "stop", "x", NULL);
	FILE *f = open_memstream(&text, &len);
	ui_keymap_help(&km, f);
	fclose(f);
	for (int a = 1; a < A__COUNT; a++)
		cr_assert(strstr(text, ui_action_def((enum ui_action)a)->name), "help lists %s",
		          ui_action_def((enum ui_action)a)->name);
	cr_assert(strstr(text, "x                stop"), "remapped key shown");
	cr_assert(strstr(text, "[containr stop]"), "CLI equivalent shown");
	free(text);
	/* Read-only help leaves out actions that change things. */
	ui_keymap_defaults(&km, true);
	f = open_memstream(&text, &len);
	ui_keymap_help(&km, f);
	fclose(f);
	cr_assert_null(strstr(text, "[containr stop]"));
	cr_assert(strstr(text, "Read-only"));
	free(text);
}

/* ui_cli_read_only_ok is in actions.c: the ':' prompt's filter for --read-only. */
#include "../../ui/ui.h"

Test(ui_keys, read_only_prompt_allows_only_reading_commands)
{
	cr_assert(ui_cli_read_only_ok("ps -a"));
	cr_assert(ui_cli_read_only_ok("version"));
	cr_assert(ui_cli_read_only_ok("logs --tail 5 web; inspect web"));
	cr_assert(ui_cli_read_only_ok("volume ls"));
	cr_assert(ui_cli_read_only_ok("image inspect busybox"));
	cr_assert_not(ui_cli_read_only_ok("stop web"));
	cr_assert_not(ui_cli_read_only_ok("ps; rm -f web"));
	cr_assert_not(ui_cli_read_only_ok("volume rm data"));
	cr_assert_not(ui_cli_read_only_ok("run -d busybox"));
	cr_assert_not(ui_cli_read_only_ok("exec web sh"));
}
