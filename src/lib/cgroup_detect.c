/*
 * cgroup_detect.c - which cgroup layout the host has (v1, v2, hybrid).
 * Read from /proc/self/mountinfo: cgroup2 at /sys/fs/cgroup is v2; v1
 * hierarchies with or without an extra cgroup2 mount are v1 or hybrid.
 */
#include "containr/cgroup.h"

#include <stdio.h>
#include <string.h>

enum ctr_cgroup_mode ctr_cgroup_detect(void)
{
	static int cached = -1;
	char line[4096];
	bool v1 = false, v2 = false, v2_root = false;
	FILE *f;

	if (cached >= 0)
		return (enum ctr_cgroup_mode)cached;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return CTR_CGROUP_NONE;
	while (fgets(line, sizeof line, f)) {
		char mnt[1024], fstype[64];
		const char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %1023s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s", fstype) != 1)
			continue;
		if (strcmp(fstype, "cgroup2") == 0) {
			v2 = true;
			if (strcmp(mnt, "/sys/fs/cgroup") == 0)
				v2_root = true;
		} else if (strcmp(fstype, "cgroup") == 0) {
			v1 = true;
		}
	}
	fclose(f);
	if (v2_root)
		cached = CTR_CGROUP_V2;
	else if (v1 && v2)
		cached = CTR_CGROUP_HYBRID;
	else if (v1)
		cached = CTR_CGROUP_V1;
	else
		cached = CTR_CGROUP_NONE;
	return (enum ctr_cgroup_mode)cached;
}

const char *ctr_cgroup_mode_name(enum ctr_cgroup_mode m)
{
	switch (m) {
	case CTR_CGROUP_V1:
		return "v1";
	case CTR_CGROUP_V2:
		return "v2";
	case CTR_CGROUP_HYBRID:
		return "hybrid";
	default:
		return "none";
	}
}
