/*
 * mount_opts.c - the one table of mount options the volume module knows:
 * bind propagation modes and tmpfs flag options, each with its mount(2)
 * bits.  mount_spec.c validates user text against it, mount_apply.c maps
 * the stored text to flags with it, so a name cannot be accepted on one
 * side and unknown on the other.
 */
#include <string.h>
#include <sys/mount.h>

#include "containr/util.h"
#include "volume/internal.h"

static const struct volume_mount_opt propagations[] = {
    {"rprivate", MS_PRIVATE | MS_REC, 0}, {"private", MS_PRIVATE, 0},
    {"rshared", MS_SHARED | MS_REC, 0},   {"shared", MS_SHARED, 0},
    {"rslave", MS_SLAVE | MS_REC, 0},     {"slave", MS_SLAVE, 0},
};

/* The flag options of tmpfs (and their opposites, which clear the bit). */
static const struct volume_mount_opt tmpfs_flags[] = {
    {"noexec", MS_NOEXEC, 0}, {"exec", 0, MS_NOEXEC}, {"nosuid", MS_NOSUID, 0},
    {"suid", 0, MS_NOSUID},   {"nodev", MS_NODEV, 0}, {"dev", 0, MS_NODEV},
    {"ro", MS_RDONLY, 0},     {"rw", 0, MS_RDONLY},
};

static const struct volume_mount_opt *find(const struct volume_mount_opt *t, size_t n,
                                           const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

const struct volume_mount_opt *volume_propagation_find(const char *name)
{
	return find(propagations, CTR_ARRAY_SIZE(propagations), name);
}

const struct volume_mount_opt *volume_tmpfs_flag_find(const char *name)
{
	return find(tmpfs_flags, CTR_ARRAY_SIZE(tmpfs_flags), name);
}

unsigned long volume_propagation_flags(const char *name)
{
	const struct volume_mount_opt *o;

	if (!name || !*name)
		return MS_PRIVATE | MS_REC; /* Docker's default: rprivate */
	o = volume_propagation_find(name);
	/* stored names were validated at create; an unknown one keeps the old
	 * fallback of this function (slave) */
	return o ? o->set : MS_SLAVE;
}
