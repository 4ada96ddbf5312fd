/*
 * cgroup_files.c - the container's limit files as the kernel shows them
 * (ctr_cgroup_limit_files), for views that teach what the flags became:
 * the dashboard's Internals tab prints them next to /proc/<pid>/cgroup.
 *
 * The directories come from the open cgroup (struct ctr_cgroup), so what
 * works for `run` and `stats` (v1, v2, hybrid, a --cgroup-parent, a test
 * tree) works here too.
 */
#include "cgroup/cgroup_internal.h"

#include <stdlib.h>
#include <string.h>

#include "containr/util.h"

static const struct {
	enum cg_ctrl ctrl;
	const char *file;
} v1_files[] = {
    {CG_MEMORY, "memory.limit_in_bytes"},
    {CG_MEMORY, "memory.memsw.limit_in_bytes"},
    {CG_MEMORY, "memory.usage_in_bytes"},
    {CG_CPU, "cpu.cfs_quota_us"},
    {CG_CPU, "cpu.cfs_period_us"},
    {CG_CPU, "cpu.shares"},
    {CG_PIDS, "pids.max"},
    {CG_PIDS, "pids.current"},
};

static const char *const v2_files[] = {"memory.max", "memory.swap.max", "cpu.max",
                                       "cpu.weight", "pids.max",        "pids.current"};

/* Append dir/file's first line to out[*n] if the file can be read. */
static void add(const char *dir, const char *file, struct ctr_cgroup_file *out, size_t *n)
{
	char *text = NULL;

	if (!dir || *n >= CTR_CGROUP_FILES_MAX || cg_read(dir, file, &text, NULL) < 0)
		return;
	text[strcspn(text, "\n")] = '\0';
	out[*n].name = file;
	out[*n].value = text;
	(*n)++;
}

size_t ctr_cgroup_limit_files(const struct ctr_cgroup *cg,
                              struct ctr_cgroup_file out[CTR_CGROUP_FILES_MAX])
{
	size_t n = 0;

	if (cg->v2) {
		for (size_t i = 0; i < CTR_ARRAY_SIZE(v2_files); i++)
			add(cg->dir[0], v2_files[i], out, &n);
		return n;
	}
	for (size_t i = 0; i < CTR_ARRAY_SIZE(v1_files); i++)
		add(cg->dir[v1_files[i].ctrl], v1_files[i].file, out, &n);
	return n;
}

void ctr_cgroup_files_release(struct ctr_cgroup_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].value);
		f[i].value = NULL;
	}
}
