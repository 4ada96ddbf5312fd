/*
 * tab_internals.c - the detail panel's Internals tab, the teaching view:
 * what the kernel says about a running container (its init's
 * /proc/<pid>/status and ns/ links, its cgroup membership and limit files read
 * through the engine, capabilities, seccomp, the overlay layers and mounts).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "containr/cgroup.h"
#include "detail.h"
#include "procinfo.h"

static void section(struct strv *t, const char *title)
{
	if (t->n)
		strv_push(t, "");
	strv_push_owned(t, xasprintf("## %s", title));
}

static void wrap_words(struct strv *t, const char *label, const char *words, int w)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_printf(&sb, "  %-8s ", label);
	const char *p = words;
	while (*p) {
		size_t len = strcspn(p, " ");
		if (sb.len + len + 1 > (size_t)w && sb.len > 11) {
			strv_push(t, sb.buf);
			strbuf_reset(&sb);
			strbuf_puts(&sb, "           ");
		}
		strbuf_add(&sb, p, len);
		strbuf_putc(&sb, ' ');
		p += len;
		while (*p == ' ')
			p++;
	}
	strv_push(t, sb.buf);
	strbuf_release(&sb);
}

static void internals_refresh(struct detail *d, struct ui *ui, struct ui_ctr *c)
{
	struct strv *t = &d->text;
	struct ctr_err err;
	struct ui_ns ns[UI_NS_COUNT];
	struct ui_procstatus ps;
	struct strbuf sb;
	int w = d->w > 20 ? d->w - 2 : 78;

	strv_release(t);
	strv_init(t);
	if (!ui_ctr_running(c) || c->pid <= 0) {
		strv_push(t, "(not running: the kernel objects exist only while it runs)");
		return;
	}
	pid_t pid = c->pid;
	section(t, "Process");
	if (ui_proc_status(pid, &ps, &err) == 0) {
		strbuf_init(&sb);
		for (int i = 0; i < ps.nnspid; i++)
			strbuf_printf(&sb, "%s%d", i ? " -> " : "", (int)ps.nspid[i]);
		strv_push_owned(t, xasprintf("  init: %s, state %s", ps.name, ps.state));
		strv_push_owned(t, xasprintf("  PID on the host %d, inside the container %d   "
		                             "(NSpid: %s, /proc/%d/status)",
		                             (int)pid,
		                             ps.nnspid ? (int)ps.nspid[ps.nnspid - 1] : (int)pid,
		                             sb.buf, (int)pid));
		strv_push_owned(t, xasprintf("  uid %u (effective %u)", ps.uid[0], ps.uid[1]));
		strbuf_release(&sb);
	}
	section(t, "Namespaces   (/proc/<pid>/ns/* compared with /proc/1/ns/*)");
	if (ui_proc_namespaces(pid, ns, &err) == 0)
		for (int i = 0; i < UI_NS_COUNT; i++) {
			if (!ns[i].inode)
				continue;
			char label[64];
			snprintf(label, sizeof label, "%s:[%lu]", ns[i].type, ns[i].inode);
			strv_push_owned(t, xasprintf("  %-7s %-20s %s", ns[i].type, label,
			                             ns[i].shared ? "SHARED with the host"
			                                          : "own namespace (isolated)"));
		}
	if (ns[0].host_is_self)
		strv_push(t,
		          "  (/proc/1/ns is not readable here: compared with the dashboard's own)");
	section(t, "Cgroup   (/proc/<pid>/cgroup and the limit files)");
	struct strv lines;
	strv_init(&lines);
	if (ui_proc_cgroups(pid, &lines, &err) == 0)
		for (size_t i = 0; i < lines.n; i++)
			strv_push_owned(t, xasprintf("  %s", lines.v[i]));
	strv_release(&lines);
	if (c->cg) {
		struct ctr_cgroup_file files[CTR_CGROUP_FILES_MAX];
		size_t nf = ctr_cgroup_limit_files(c->cg, files);
		for (size_t i = 0; i < nf; i++)
			strv_push_owned(t, xasprintf("  %-28s %s", files[i].name, files[i].value));
		ctr_cgroup_files_release(files, nf);
	}
	section(t, "Security   (/proc/<pid>/status)");
	if (ui_proc_status(pid, &ps, &err) == 0) {
		static const struct {
			const char *n;
			size_t off;
		} sets[] = {
		    {"CapEff", offsetof(struct ui_procstatus, cap_eff)},
		    {"CapPrm", offsetof(struct ui_procstatus, cap_prm)},
		    {"CapBnd", offsetof(struct ui_procstatus, cap_bnd)},
		    {"CapInh", offsetof(struct ui_procstatus, cap_inh)},
		    {"CapAmb", offsetof(struct ui_procstatus, cap_amb)},
		};
		for (size_t i = 0; i < CTR_ARRAY_SIZE(sets); i++) {
			uint64_t v = *(const uint64_t *)((const char *)&ps + sets[i].off);
			strbuf_init(&sb);
			strbuf_printf(&sb, "%016llx = ", (unsigned long long)v);
			ui_caps_names(v, &sb);
			wrap_words(t, sets[i].n, sb.buf, w);
			strbuf_release(&sb);
		}
		strv_push_owned(t,
		                xasprintf("  Seccomp  %d = %s  (%d filter%s attached)", ps.seccomp,
		                          ui_seccomp_mode(ps.seccomp), ps.seccomp_filters,
		                          ps.seccomp_filters == 1 ? "" : "s"));
		strv_push_owned(t, xasprintf("  NoNewPrivs %d  (%s)", ps.no_new_privs,
		                             ps.no_new_privs == 1
		                                 ? "setuid binaries cannot gain privileges"
		                                 : "privileges can be gained by exec"));
	}
	struct ui_mount *m = NULL;
	size_t nm = 0;
	if (ui_proc_mounts(pid, &m, &nm, &err) == 0) {
		struct strv lower;
		cleanup_free char *upper = NULL;
		strv_init(&lower);
		ui_overlay_layers(m, nm, &lower, &upper);
		section(t, "Root filesystem   (overlay layers from mountinfo, top first)");
		if (lower.n || upper) {
			strv_push_owned(t,
			                xasprintf("  upper (writable)  %s", upper ? upper : "-"));
			for (size_t i = 0; i < lower.n; i++)
				strv_push_owned(
				    t, xasprintf("  lower %-2zu (ro)     %s", i + 1, lower.v[i]));
		} else {
			strv_push(t, "  (not an overlay: a plain directory root)");
		}
		strv_release(&lower);
		section(t, "Mounts   (/proc/<pid>/mountinfo)");
		strv_push_owned(
		    t, xasprintf("  %-28s %-10s %-14s %s", "TARGET", "TYPE", "SOURCE", "OPTIONS"));
		for (size_t i = 0; i < nm; i++)
			strv_push_owned(t, xasprintf("  %-28s %-10s %-14s %s", m[i].target,
			                             m[i].fstype, m[i].source, m[i].options));
		ui_mounts_free(m, nm);
	}
}

static void internals_draw(struct detail *d, struct ui *ui, struct ui_ctr *c, int y, int x, int h,
                           int w)
{
	(void)c;
	detail_draw_text(d, ui, y, x, h, w, false);
}

static int internals_handle(struct detail *d, struct ui *ui, enum ui_action a)
{
	(void)ui;
	return detail_scroll_text(d, a);
}

const struct detail_tab detail_tab_internals = {
    .name = "Internals",
    .refresh = internals_refresh,
    .draw = internals_draw,
    .handle = internals_handle,
};
