/*
 * cmds_general.c - commands about containr itself: version, info, help,
 * completion, and the hidden __complete / __man used by the bash, zsh and
 * fish completion scripts and `make man`.
 */
#include "cli/cli.h"
#include "cli/format.h"
#include "cli/inspect.h"
#include "lib/json.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <seccomp.h>
#include <time.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/container.h"
#include "containr/image.h"
#include "containr/log.h"
#include "containr/registry.h"

/* ---- version ----------------------------------------------------------- */

/*
 * The Docker Engine API version whose object shapes (inspect, version, info,
 * ps/images rows) containr's JSON follows.  There is no API socket: this is
 * what a script reading `ApiVersion` should expect of the output.
 */
#define DOCKER_API_VERSION "1.45"
#ifdef __clang__
#define COMPILER_VERSION "clang " __clang_version__
#else
#define COMPILER_VERSION "gcc " __VERSION__
#endif

/* version and info take the same --format flag. */
static const struct cli_flag format_flags[] = {
    {.name = "format",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Output format: text, json, or a Go template (docs/TEMPLATES.md)",
     .complete = COMP_CHOICES,
     .choices = "text|json"},
    {0},
};

/* The build time from __DATE__ ("Dec  6 2026") and __TIME__, as UTC. */
static time_t build_time(void)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *d = __DATE__, *t = __TIME__;
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_mon = (int)((strstr(months, (char[]){d[0], d[1], d[2], 0}) - months) / 3);
	tm.tm_mday = atoi(d + 4);
	tm.tm_year = atoi(d + 7) - 1900;
	tm.tm_hour = atoi(t);
	tm.tm_min = atoi(t + 3);
	tm.tm_sec = atoi(t + 6);
	return timegm(&tm);
}

/*
 * Print `j` for --format: json = {{json .}} on one line (Docker), else a
 * template over `j` plus the `omitted` keys as null (docs/INSPECT.md).
 */
static int print_format(struct cli_ctx *ctx, const char *fmt, cJSON *j, const char *const *omitted,
                        struct ctr_err *err)
{
	if (strcmp(fmt, "json") == 0) {
		struct strbuf sb;
		strbuf_init(&sb);
		ctr_tmpl_json(j, &sb);
		fprintf(ctx->out, "%s\n", sb.buf);
		strbuf_release(&sb);
		return 0;
	}
	cli_add_omitted(j, omitted);
	if (cli_format_inspect(ctx, fmt, j, err) < 0)
		return ctr_err_exit_status(err->code);
	return 0;
}

static cJSON *version_json(void)
{
	struct utsname u;
	const struct scmp_version *sv = seccomp_version();
	struct ctr_platform p;
	time_t bt = build_time();
	struct tm tm;
	char ansic[64], rfc[64], seccomp[32];
	cJSON *j = cJSON_CreateObject(), *c, *s, *comps, *eng, *d, *sc;

	uname(&u);
	ctr_platform_host(&p);
	gmtime_r(&bt, &tm);
	strftime(ansic, sizeof ansic, "%a %b %e %H:%M:%S %Y", &tm);
	strftime(rfc, sizeof rfc, "%Y-%m-%dT%H:%M:%S.000000000+00:00", &tm);
	snprintf(seccomp, sizeof seccomp, "%u.%u.%u", sv ? sv->major : 0, sv ? sv->minor : 0,
	         sv ? sv->micro : 0);

	c = cJSON_AddObjectToObject(j, "Client");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "Platform"), "Name", "containr");
	cJSON_AddStringToObject(c, "Version", CONTAINR_VERSION);
	cJSON_AddStringToObject(c, "ApiVersion", DOCKER_API_VERSION);
	cJSON_AddStringToObject(c, "DefaultAPIVersion", DOCKER_API_VERSION);
	cJSON_AddStringToObject(c, "GitCommit", CONTAINR_COMMIT);
	cJSON_AddStringToObject(c, "GoVersion", COMPILER_VERSION);
	cJSON_AddStringToObject(c, "Os", p.os);
	cJSON_AddStringToObject(c, "Arch", p.arch);
	cJSON_AddStringToObject(c, "BuildTime", ansic);
	cJSON_AddStringToObject(c, "Context", "default");

	/* Daemonless: the server is the engine linked into this binary. */
	s = cJSON_AddObjectToObject(j, "Server");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "Platform"), "Name", "containr");
	comps = cJSON_AddArrayToObject(s, "Components");
	eng = cJSON_CreateObject();
	cJSON_AddItemToArray(comps, eng);
	cJSON_AddStringToObject(eng, "Name", "Engine");
	cJSON_AddStringToObject(eng, "Version", CONTAINR_VERSION);
	d = cJSON_AddObjectToObject(eng, "Details");
	cJSON_AddStringToObject(d, "ApiVersion", DOCKER_API_VERSION);
	cJSON_AddStringToObject(d, "Arch", p.arch);
	cJSON_AddStringToObject(d, "BuildTime", rfc);
	cJSON_AddStringToObject(d, "Experimental", "false");
	cJSON_AddStringToObject(d, "GitCommit", CONTAINR_COMMIT);
	cJSON_AddStringToObject(d, "GoVersion", COMPILER_VERSION);
	cJSON_AddStringToObject(d, "KernelVersion", u.release);
	cJSON_AddStringToObject(d, "MinAPIVersion", DOCKER_API_VERSION);
	cJSON_AddStringToObject(d, "Os", p.os);
	sc = cJSON_CreateObject();
	cJSON_AddItemToArray(comps, sc);
	cJSON_AddStringToObject(sc, "Name", "libseccomp");
	cJSON_AddStringToObject(sc, "Version", seccomp);
	cJSON_AddObjectToObject(sc, "Details");
	cJSON_AddStringToObject(s, "Version", CONTAINR_VERSION);
	cJSON_AddStringToObject(s, "ApiVersion", DOCKER_API_VERSION);
	cJSON_AddStringToObject(s, "MinAPIVersion", DOCKER_API_VERSION);
	cJSON_AddStringToObject(s, "GitCommit", CONTAINR_COMMIT);
	cJSON_AddStringToObject(s, "GoVersion", COMPILER_VERSION);
	cJSON_AddStringToObject(s, "Os", p.os);
	cJSON_AddStringToObject(s, "Arch", p.arch);
	cJSON_AddStringToObject(s, "KernelVersion", u.release);
	cJSON_AddStringToObject(s, "BuildTime", rfc);
	return j;
}

static int cmd_version(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const char *fmt = cli_str(a, "format");
	cJSON *j = version_json();
	const cJSON *c = cJSON_GetObjectItem(j, "Client"), *s = cJSON_GetObjectItem(j, "Server");
	int rc = 0;

	if (fmt && strcmp(fmt, "text") != 0) {
		static const char *const omitted[] = {"Server.Experimental", NULL};
		rc = print_format(ctx, fmt, j, omitted, err);
		cJSON_Delete(j);
		return rc;
	}
	/* Docker's Client:/Server: blocks; the compiler stands where Go's version is. */
	fprintf(ctx->out,
	        "Client: containr\n"
	        " Version:           %s\n"
	        " API version:       %s\n"
	        " Compiler:          %s\n"
	        " Git commit:        %s\n"
	        " Built:             %s\n"
	        " OS/Arch:           %s/%s\n"
	        " Context:           default\n"
	        "\n"
	        "Server: containr (daemonless: the engine runs in each containr process)\n"
	        " Engine:\n"
	        "  Version:          %s\n"
	        "  API version:      %s (minimum version %s)\n"
	        "  Compiler:         %s\n"
	        "  Git commit:       %s\n"
	        "  Built:            %s\n"
	        "  OS/Arch:          %s/%s\n"
	        "  Kernel:           %s\n"
	        "  Experimental:     false\n"
	        " libseccomp:\n"
	        "  Version:          %s\n",
	        ctr_json_str_or(c, "Version", ""), ctr_json_str_or(c, "ApiVersion", ""),
	        ctr_json_str_or(c, "GoVersion", ""), ctr_json_str_or(c, "GitCommit", ""),
	        ctr_json_str_or(c, "BuildTime", ""), ctr_json_str_or(c, "Os", ""),
	        ctr_json_str_or(c, "Arch", ""), ctr_json_str_or(s, "Version", ""),
	        ctr_json_str_or(s, "ApiVersion", ""), ctr_json_str_or(s, "MinAPIVersion", ""),
	        ctr_json_str_or(s, "GoVersion", ""), ctr_json_str_or(s, "GitCommit", ""),
	        ctr_json_str_or(s, "BuildTime", ""), ctr_json_str_or(s, "Os", ""),
	        ctr_json_str_or(s, "Arch", ""), ctr_json_str_or(s, "KernelVersion", ""),
	        ctr_json_str_or(cJSON_GetArrayItem(cJSON_GetObjectItem(s, "Components"), 1),
	                        "Version", ""));
	cJSON_Delete(j);
	return 0;
}

static const struct cli_command cmd_version_def = {
    .name = "version",
    .summary = "Show the containr version information",
    .usage = "[OPTIONS]",
    .group = "General",
    .flags = format_flags,
    .max_args = 0,
    .opts = CLI_NO_STORE,
    .handler = cmd_version,
    .description = "The JSON and template keys are Docker's (Client, Server{Components…}); "
                   "daemonless, so Server describes the engine in this binary.",
};

/* ---- info -------------------------------------------------------------- */

static bool file_contains(const char *path, const char *needle)
{
	cleanup_free char *data = NULL;
	struct ctr_err e;

	if (ctr_read_file(path, &data, NULL, &e) < 0)
		return false;
	return strstr(data, needle) != NULL;
}

/* The first line of a file, trimmed; "" if unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	cleanup_free char *data = NULL;
	struct ctr_err e;

	buf[0] = '\0';
	if (ctr_read_file(path, &data, NULL, &e) < 0)
		return;
	snprintf(buf, len, "%.*s", (int)strcspn(data, "\n"), data);
}

static long count_images(const struct ctr_store *st)
{
	cJSON *idx = NULL;
	struct ctr_err e;
	long n;

	if (ctr_image_index_load(st, &idx, &e) < 0)
		return 0;
	n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(idx, "images"));
	cJSON_Delete(idx);
	return n;
}

static long count_volumes(const struct ctr_store *st)
{
	struct strv ids;
	struct ctr_err e;
	long n;

	if (ctr_store_list(st, CTR_KIND_VOLUME, &ids, &e) < 0)
		return 0;
	n = (long)ids.n;
	strv_release(&ids);
	return n;
}

/*
 * The engine's ID (Docker's `ID`): a UUID made once per state root and kept
 * in <root>/engine-id (link() so that two first runs agree).  "" if the root
 * is read-only.
 */
static void engine_id(const struct ctr_store *st, char out[37])
{
	cleanup_free char *path = ctr_path_join(st->root, "engine-id");
	cleanup_free char *tmp = xasprintf("%s.%d", path, (int)getpid());
	char hex[65];
	struct ctr_err e;

	read_line(path, out, 37);
	if (strlen(out) == 36 || ctr_random_id(hex, &e) < 0)
		return;
	snprintf(out, 37, "%.8s-%.4s-4%.3s-a%.3s-%.12s", hex, hex + 8, hex + 12, hex + 15,
	         hex + 18);
	if (ctr_write_file_atomic(tmp, out, 36, 0644, &e) == 0) {
		if (link(tmp, path) < 0 && errno != EEXIST)
			out[0] = '\0';
		unlink(tmp);
	}
	read_line(path, out, 37);
}

/* statfs type -> Docker's "Backing Filesystem" word. */
static const char *fs_name(const char *path)
{
	struct statfs sf;

	if (statfs(path, &sf) < 0)
		return "";
	switch ((unsigned long)sf.f_type) {
	case 0xEF53UL:
		return "extfs";
	case 0x58465342UL:
		return "xfs";
	case 0x9123683EUL:
		return "btrfs";
	case 0x01021994UL:
		return "tmpfs";
	case 0x794c7630UL:
		return "overlayfs";
	case 0x2FC12FC1UL:
		return "zfs";
	default:
		return "unknown";
	}
}

static void os_release(char *pretty, size_t plen, char *version, size_t vlen)
{
	cleanup_free char *data = NULL;
	struct ctr_err e;

	snprintf(pretty, plen, "Linux");
	version[0] = '\0';
	if (ctr_read_file("/etc/os-release", &data, NULL, &e) < 0 &&
	    ctr_read_file("/usr/lib/os-release", &data, NULL, &e) < 0)
		return;
	for (char *line = data, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *v = strchr(line, '=');
		if (!v)
			continue;
		*v++ = '\0';
		size_t n = strlen(v);
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v[n - 1] = '\0';
			v++;
		}
		if (!strcmp(line, "PRETTY_NAME"))
			snprintf(pretty, plen, "%s", v);
		else if (!strcmp(line, "VERSION_ID"))
			snprintf(version, vlen, "%s", v);
	}
}

static long count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	long n = 0;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n > 0 ? n - 1 : 0; /* minus the one opendir holds */
}

static void add_env(cJSON *j, const char *key, const char *up, const char *low)
{
	const char *v = getenv(up);
	cJSON_AddStringToObject(j, key, v ? v : getenv(low) ? getenv(low) : "");
}

static cJSON *commit_json(void)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "ID", "");
	cJSON_AddStringToObject(o, "Expected", "");
	return o;
}

static cJSON *strs_json(const char *const *v)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static void info_counts(const struct ctr_store *st, cJSON *j)
{
	struct ctr_container *v = NULL;
	size_t n = 0, running = 0, paused = 0;
	struct ctr_err e;

	if (ctr_container_list(st, true, &v, &n, &e) < 0)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].state.status == CTR_STATUS_RUNNING)
			running++;
		else if (v[i].state.status == CTR_STATUS_PAUSED)
			paused++;
	}
	ctr_container_list_free(v, n);
	cJSON_AddNumberToObject(j, "Containers", (double)n);
	cJSON_AddNumberToObject(j, "ContainersRunning", (double)running);
	cJSON_AddNumberToObject(j, "ContainersPaused", (double)paused);
	cJSON_AddNumberToObject(j, "ContainersStopped", (double)(n - running - paused));
	cJSON_AddNumberToObject(j, "Images", (double)count_images(st));
}

static cJSON *registry_config_json(void)
{
	cJSON *rc = cJSON_CreateObject(), *ic, *hub, *cidrs;

	cJSON_AddNullToObject(rc, "AllowNondistributableArtifactsCIDRs");
	cJSON_AddNullToObject(rc, "AllowNondistributableArtifactsHostnames");
	cidrs = cJSON_AddArrayToObject(rc, "InsecureRegistryCIDRs");
	cJSON_AddItemToArray(cidrs, cJSON_CreateString("127.0.0.0/8")); /* loopback: plain HTTP */
	ic = cJSON_AddObjectToObject(rc, "IndexConfigs");
	hub = cJSON_AddObjectToObject(ic, "docker.io");
	cJSON_AddStringToObject(hub, "Name", "docker.io");
	cJSON_AddArrayToObject(hub, "Mirrors");
	cJSON_AddTrueToObject(hub, "Secure");
	cJSON_AddTrueToObject(hub, "Official");
	cJSON_AddNullToObject(rc, "Mirrors");
	return rc;
}

/* Docker's `docker info` object (system.Info), with real values; see docs/INSPECT.md. */
static cJSON *info_json(const struct ctr_store *st)
{
	static const char *const ns_names[] = {"mnt", "pid",    "uts",  "ipc",
	                                       "net", "cgroup", "user", "time"};
	static const char *const net_plugins[] = {"host", "none", NULL};
	static const char *const log_plugins[] = {"json-file", NULL};
	static const char *const vol_plugins[] = {"local", NULL};
	struct utsname u;
	struct ctr_cgroup_features cf;
	enum ctr_cgroup_mode mode = ctr_cgroup_detect();
	char id[37], pretty[256], osver[64], line[64], now[64], exe[4096];
	cJSON *j = cJSON_CreateObject(), *ds, *row, *pl, *sec, *warn, *rt, *sw, *nsarr, *ci;
	bool seccomp_ok = file_contains("/proc/self/status", "Seccomp:");
	bool overlay_ok = file_contains("/proc/filesystems", "overlay");
	ssize_t el;

	uname(&u);
	ctr_cgroup_features(&cf);
	os_release(pretty, sizeof pretty, osver, sizeof osver);
	engine_id(st, id);
	cJSON_AddStringToObject(j, "ID", id);
	info_counts(st, j);
	cJSON_AddStringToObject(j, "Driver", "overlay2");
	ds = cJSON_AddArrayToObject(j, "DriverStatus");
	row = cJSON_CreateArray();
	cJSON_AddItemToArray(row, cJSON_CreateString("Backing Filesystem"));
	cJSON_AddItemToArray(row, cJSON_CreateString(fs_name(st->root)));
	cJSON_AddItemToArray(ds, row);
	pl = cJSON_AddObjectToObject(j, "Plugins");
	cJSON_AddItemToObject(pl, "Volume", strs_json(vol_plugins));
	cJSON_AddItemToObject(pl, "Network", strs_json(net_plugins));
	cJSON_AddNullToObject(pl, "Authorization");
	cJSON_AddItemToObject(pl, "Log", strs_json(log_plugins));
	cJSON_AddBoolToObject(j, "MemoryLimit", cf.memory);
	cJSON_AddBoolToObject(j, "SwapLimit", cf.swap);
	cJSON_AddBoolToObject(j, "CpuCfsPeriod", cf.cpu_cfs);
	cJSON_AddBoolToObject(j, "CpuCfsQuota", cf.cpu_cfs);
	cJSON_AddBoolToObject(j, "CPUShares", cf.cpu_shares);
	cJSON_AddBoolToObject(j, "CPUSet", false); /* no --cpuset-cpus */
	cJSON_AddBoolToObject(j, "PidsLimit", cf.pids);
	read_line("/proc/sys/net/ipv4/ip_forward", line, sizeof line);
	cJSON_AddBoolToObject(j, "IPv4Forwarding", !strcmp(line, "1"));
	read_line("/proc/sys/net/bridge/bridge-nf-call-iptables", line, sizeof line);
	cJSON_AddBoolToObject(j, "BridgeNfIptables", !strcmp(line, "1"));
	read_line("/proc/sys/net/bridge/bridge-nf-call-ip6tables", line, sizeof line);
	cJSON_AddBoolToObject(j, "BridgeNfIp6tables", !strcmp(line, "1"));
	cJSON_AddBoolToObject(j, "Debug", ctr_log_get_level() == CTR_LOG_DEBUG);
	cJSON_AddNumberToObject(j, "NFd", (double)count_fds());
	cJSON_AddBoolToObject(j, "OomKillDisable", cf.oom_kill_disable);
	cJSON_AddNumberToObject(j, "NGoroutines", 1); /* one thread: no daemon */
	ctr_format_rfc3339(now, sizeof now, ctr_now_ns());
	cJSON_AddStringToObject(j, "SystemTime", now);
	cJSON_AddStringToObject(j, "LoggingDriver", "json-file");
	cJSON_AddStringToObject(j, "CgroupDriver", mode == CTR_CGROUP_NONE ? "none" : "cgroupfs");
	cJSON_AddStringToObject(j, "CgroupVersion",
	                        mode == CTR_CGROUP_V2     ? "2"
	                        : mode == CTR_CGROUP_NONE ? ""
	                                                  : "1");
	cJSON_AddNumberToObject(j, "NEventsListener", 0);
	cJSON_AddStringToObject(j, "KernelVersion", u.release);
	cJSON_AddStringToObject(j, "OperatingSystem", pretty);
	cJSON_AddStringToObject(j, "OSVersion", osver);
	cJSON_AddStringToObject(j, "OSType", "linux");
	cJSON_AddStringToObject(j, "Architecture", u.machine);
	cJSON_AddStringToObject(j, "IndexServerAddress", "https://index.docker.io/v1/");
	cJSON_AddItemToObject(j, "RegistryConfig", registry_config_json());
	cJSON_AddNumberToObject(j, "NCPU", (double)sysconf(_SC_NPROCESSORS_ONLN));
	cJSON_AddNumberToObject(j, "MemTotal",
	                        (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE));
	cJSON_AddNullToObject(j, "GenericResources");
	cJSON_AddStringToObject(j, "DockerRootDir", st->root);
	add_env(j, "HttpProxy", "HTTP_PROXY", "http_proxy");
	add_env(j, "HttpsProxy", "HTTPS_PROXY", "https_proxy");
	add_env(j, "NoProxy", "NO_PROXY", "no_proxy");
	cJSON_AddStringToObject(j, "Name", u.nodename);
	cJSON_AddArrayToObject(j, "Labels");
	cJSON_AddBoolToObject(j, "ExperimentalBuild", false);
	cJSON_AddStringToObject(j, "ServerVersion", CONTAINR_VERSION);
	rt = cJSON_AddObjectToObject(cJSON_AddObjectToObject(j, "Runtimes"), "containr");
	el = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[el > 0 ? el : 0] = '\0';
	cJSON_AddStringToObject(rt, "path", exe);
	cJSON_AddStringToObject(j, "DefaultRuntime", "containr");
	sw = cJSON_AddObjectToObject(j, "Swarm");
	cJSON_AddStringToObject(sw, "NodeID", "");
	cJSON_AddStringToObject(sw, "NodeAddr", "");
	cJSON_AddStringToObject(sw, "LocalNodeState", "inactive");
	cJSON_AddBoolToObject(sw, "ControlAvailable", false);
	cJSON_AddStringToObject(sw, "Error", "");
	cJSON_AddNullToObject(sw, "RemoteManagers");
	/* each container has its own monitor: containers outlive every containr process */
	cJSON_AddBoolToObject(j, "LiveRestoreEnabled", true);
	cJSON_AddStringToObject(j, "Isolation", "");
	cJSON_AddStringToObject(j, "InitBinary", ""); /* --init is built in */
	cJSON_AddItemToObject(j, "ContainerdCommit", commit_json());
	cJSON_AddItemToObject(j, "RuncCommit", commit_json());
	cJSON_AddItemToObject(j, "InitCommit", commit_json());
	sec = cJSON_AddArrayToObject(j, "SecurityOptions");
	if (access("/sys/kernel/security/apparmor", F_OK) == 0)
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=apparmor"));
	if (seccomp_ok)
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=seccomp,profile=builtin"));
	if (access("/sys/fs/selinux/enforce", F_OK) == 0)
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=selinux"));
	cJSON_AddItemToArray(sec, cJSON_CreateString("name=cgroupns"));
	cJSON_AddItemToArray(sec, cJSON_CreateString("name=no-new-privileges"));
	cJSON_AddArrayToObject(j, "CDISpecDirs");
	warn = cJSON_CreateArray();
	if (!cf.memory)
		cJSON_AddItemToArray(warn, cJSON_CreateString("WARNING: No memory limit support"));
	if (cf.memory && !cf.swap)
		cJSON_AddItemToArray(warn, cJSON_CreateString("WARNING: No swap limit support"));
	if (!cf.cpu_cfs)
		cJSON_AddItemToArray(warn, cJSON_CreateString("WARNING: No cpu cfs quota support"));
	if (!cf.cpu_shares)
		cJSON_AddItemToArray(warn, cJSON_CreateString("WARNING: No cpu shares support"));
	if (!cf.pids)
		cJSON_AddItemToArray(warn, cJSON_CreateString("WARNING: No pids limit support"));
	if (!overlay_ok)
		cJSON_AddItemToArray(
		    warn, cJSON_CreateString("WARNING: overlay filesystem not available"));
	if (cJSON_GetArraySize(warn))
		cJSON_AddItemToObject(j, "Warnings", warn);
	else {
		cJSON_Delete(warn);
		cJSON_AddNullToObject(j, "Warnings");
	}
	ci = cJSON_AddObjectToObject(j, "ClientInfo");
	cJSON_AddBoolToObject(ci, "Debug", ctr_log_get_level() == CTR_LOG_DEBUG);
	cJSON_AddStringToObject(ci, "Version", CONTAINR_VERSION);
	cJSON_AddStringToObject(ci, "GitCommit", CONTAINR_COMMIT);
	cJSON_AddStringToObject(ci, "Context", "default");
	cJSON_AddArrayToObject(ci, "Plugins");
	cJSON_AddNullToObject(ci, "Warnings");

	/* containr's own keys */
	cJSON_AddStringToObject(j, "RootDir", st->root);
	cJSON_AddNumberToObject(j, "Volumes", (double)count_volumes(st));
	cJSON_AddStringToObject(j, "CgroupMode", ctr_cgroup_mode_name(mode));
	nsarr = cJSON_AddArrayToObject(j, "Namespaces");
	for (size_t i = 0; i < CTR_ARRAY_SIZE(ns_names); i++) {
		cleanup_free char *p = xasprintf("/proc/self/ns/%s", ns_names[i]);
		if (access(p, F_OK) == 0)
			cJSON_AddItemToArray(nsarr, cJSON_CreateString(ns_names[i]));
	}
	cJSON_AddBoolToObject(j, "Seccomp", seccomp_ok);
	cJSON_AddBoolToObject(j, "Overlayfs", overlay_ok);
	return j;
}

static int cmd_info(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const char *fmt = cli_str(a, "format");
	struct ctr_store *st;
	cJSON *j;
	const cJSON *e;
	FILE *o = ctx->out;
	char mem[32];

	if (cli_store(ctx, &st, err) < 0)
		return ctr_err_exit_status(err->code);
	j = info_json(st);
	if (fmt && strcmp(fmt, "text") != 0) {
		static const char *const omitted[] = {"SystemStatus", "ProductLicense",
		                                      "DefaultAddressPools", NULL};
		int rc = print_format(ctx, fmt, j, omitted, err);
		cJSON_Delete(j);
		return rc;
	}
	/* Docker's Server: section, in its words */
	fprintf(o, "Containers: %d\n", (int)ctr_json_int(j, "Containers", 0));
	fprintf(o, " Running: %d\n", (int)ctr_json_int(j, "ContainersRunning", 0));
	fprintf(o, " Paused: %d\n", (int)ctr_json_int(j, "ContainersPaused", 0));
	fprintf(o, " Stopped: %d\n", (int)ctr_json_int(j, "ContainersStopped", 0));
	fprintf(o, "Images: %d\n", (int)ctr_json_int(j, "Images", 0));
	fprintf(o, "Volumes: %d\n", (int)ctr_json_int(j, "Volumes", 0));
	fprintf(o, "Server Version: %s\n", CONTAINR_VERSION);
	fprintf(o, "Storage Driver: overlay2 (overlayfs %s)\n",
	        ctr_json_bool(j, "Overlayfs") ? "available" : "NOT available");
	cJSON_ArrayForEach (e, cJSON_GetObjectItem(j, "DriverStatus"))
		fprintf(o, " %s: %s\n", cJSON_GetArrayItem(e, 0)->valuestring,
		        cJSON_GetArrayItem(e, 1)->valuestring);
	fprintf(o, "Logging Driver: json-file\n");
	fprintf(o, "Cgroup Driver: %s\n", ctr_json_str_or(j, "CgroupDriver", ""));
	fprintf(o, "Cgroup Version: %s (mode: %s)\n",
	        ctr_json_str_or(j, "CgroupVersion", "")[0] ? ctr_json_str_or(j, "CgroupVersion", "")
	                                                   : "none",
	        ctr_json_str_or(j, "CgroupMode", ""));
	fprintf(o, "Runtimes: containr\nDefault Runtime: containr\n");
	fprintf(o, "Namespaces:");
	cJSON_ArrayForEach (e, cJSON_GetObjectItem(j, "Namespaces"))
		fprintf(o, " %s", e->valuestring);
	fprintf(o, "\nSecurity Options:\n");
	cJSON_ArrayForEach (e, cJSON_GetObjectItem(j, "SecurityOptions"))
		fprintf(o, " %s\n", e->valuestring);
	if (!ctr_json_bool(j, "Seccomp"))
		fprintf(o, " (seccomp not supported by this kernel)\n");
	fprintf(o, "Kernel Version: %s\n", ctr_json_str_or(j, "KernelVersion", ""));
	fprintf(o, "Operating System: %s\n", ctr_json_str_or(j, "OperatingSystem", ""));
	fprintf(o, "OSType: linux\n");
	fprintf(o, "Architecture: %s\n", ctr_json_str_or(j, "Architecture", ""));
	fprintf(o, "CPUs: %d\n", (int)ctr_json_int(j, "NCPU", 0));
	ctr_format_bytes(mem, sizeof mem, cJSON_GetNumberValue(cJSON_GetObjectItem(j, "MemTotal")),
	                 true);
	fprintf(o, "Total Memory: %s\n", mem);
	fprintf(o, "Name: %s\n", ctr_json_str_or(j, "Name", ""));
	fprintf(o, "ID: %s\n", ctr_json_str_or(j, "ID", ""));
	fprintf(o, "Root Dir: %s\n", st->root);
	fprintf(o, "Debug Mode: %s\n", ctr_json_bool(j, "Debug") ? "true" : "false");
	fprintf(o, "Live Restore Enabled: true\n");
	cJSON_ArrayForEach (e, cJSON_GetObjectItem(j, "Warnings"))
		fprintf(stderr, "%s\n", e->valuestring);
	cJSON_Delete(j);
	return 0;
}

static const struct cli_command cmd_info_def = {
    .name = "info",
    .summary = "Display system-wide information",
    .usage = "[OPTIONS]",
    .group = "General",
    .flags = format_flags,
    .max_args = 0,
    .handler = cmd_info,
    .description = "The JSON and template keys are Docker's `docker info` keys "
                   "(docs/INSPECT.md), plus containr's RootDir, Volumes, CgroupMode, "
                   "Namespaces, Seccomp and Overlayfs.",
};

/* ---- help, completion, man ---------------------------------------------- */

static int cmd_help(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const struct cli_command *cmd;
	struct strbuf path;

	if (a->argc == 0) {
		cli_help_overview(ctx->out);
		return 0;
	}
	cmd = cli_find(NULL, a->argv[0]);
	if (!cmd) {
		ctr_fail(err, E_USAGE, "unknown command \"%s\"", a->argv[0]);
		ctr_hint(err, "see 'containr help' for the list of commands");
		return 2;
	}
	strbuf_init(&path);
	strbuf_puts(&path, cmd->name);
	for (int i = 1; i < a->argc && cmd->subcommands; i++) {
		const struct cli_command *sub = cli_find(cmd->subcommands, a->argv[i]);
		if (!sub)
			break;
		cmd = sub;
		strbuf_printf(&path, " %s", sub->name);
	}
	cli_help_command(ctx->out, cmd, path.buf);
	strbuf_release(&path);
	return 0;
}

static const struct cli_command cmd_help_def = {
    .name = "help",
    .summary = "Show help for containr or one of its commands",
    .usage = "[COMMAND [SUBCOMMAND]]",
    .group = "General",
    .max_args = -1,
    .opts = CLI_NO_STORE,
    .complete = COMP_COMMAND,
    .handler = cmd_help,
};

static int cmd_completion(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	static const struct {
		const char *shell;
		void (*print)(FILE *f);
	} shells[] = {
	    {"bash", cli_print_bash_completion},
	    {"zsh", cli_print_zsh_completion},
	    {"fish", cli_print_fish_completion},
	};

	for (size_t i = 0; i < CTR_ARRAY_SIZE(shells); i++) {
		if (strcmp(a->argv[0], shells[i].shell) == 0) {
			shells[i].print(ctx->out);
			return 0;
		}
	}
	ctr_fail(err, E_INVALID_ARG, "unsupported shell \"%s\"", a->argv[0]);
	ctr_hint(err, "use bash, zsh or fish: containr completion bash");
	return 2;
}

static const struct cli_command cmd_completion_def = {
    .name = "completion",
    .summary = "Print a shell completion script",
    .usage = "bash|zsh|fish",
    .group = "General",
    .description = "Load it with: source <(containr completion bash) (zsh: the same, after "
                   "compinit); fish: containr completion fish | source",
    .min_args = 1,
    .max_args = 1,
    .opts = CLI_NO_STORE,
    .handler = cmd_completion,
};

/*
 * __complete CWORD containr [WORDS...]: used by the shell completion
 * scripts.  Global options before the command (--root DIR etc., from the
 * table in globals.c) are skipped, or completed when the cursor is on one
 * or its value; --root is honoured so completion lists that root's
 * containers.
 */
static int cmd_complete(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	int cword = 0; /* not a number: complete as if on the command word */
	(void)ctr_parse_int(a->argv[0], INT_MIN, INT_MAX, &cword);
	int n = a->argc - 1; /* words incl. "containr" */
	char **w = a->argv + 1;
	int start = 1;
	struct strv out;

	if (n < 1 || cword < 1)
		return 0;
	strv_init(&out);
	while (start < n && start < cword && w[start][0] == '-') {
		const char *val = NULL;
		const struct cli_global_opt *o = cli_global_opt_find(w[start], &val);
		if (o && o->metavar && !val) {
			if (start + 1 == cword) { /* the cursor is on its value */
				cli_complete_kind(ctx, o->complete, o->choices,
				                  cword < n ? w[cword] : "", &out);
				goto print;
			}
			if (start + 1 < n)
				val = w[++start];
		}
		if (o && val && o->name && !strcmp(o->name, "root"))
			ctx->root = val;
		start++;
	}
	if (cword < start)
		goto print;
	if (cword == start && cword < n && w[cword][0] == '-') { /* a global option */
		for (const struct cli_global_opt *o = cli_global_opts; o->help; o++) {
			cleanup_free char *l =
			    o->name ? xasprintf("--%s", o->name) : xasprintf("-%c", o->shortname);
			if (str_startswith(l, w[cword]))
				strv_push(&out, l);
		}
		strv_sort(&out);
		goto print;
	}
	/* words from the command on; pad the cursor word if the line ends there */
	int nw = n - start;
	char **words = xcalloc((size_t)nw + 2, sizeof(char *));
	for (int i = 0; i < nw; i++)
		words[i] = w[start + i];
	if (cword - start >= nw)
		words[nw++] = "";
	cli_complete(ctx, nw, words, cword - start, &out);
	free(words);
print:
	for (size_t i = 0; i < out.n; i++)
		fprintf(ctx->out, "%s\n", out.v[i]);
	strv_release(&out);
	return 0;
}

static const struct cli_command cmd_complete_def = {
    .name = "__complete",
    .summary = "Print completion candidates (used by the shell completion scripts)",
    .usage = "CWORD WORDS...",
    .group = "General",
    .min_args = 1,
    .max_args = -1,
    .opts = CLI_HIDDEN_CMD | CLI_TRAILING,
    .handler = cmd_complete,
};

static int cmd_man(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	cli_print_man(ctx->out);
	return 0;
}

static const struct cli_command cmd_man_def = {
    .name = "__man",
    .summary = "Print the man page (roff) generated from the command table",
    .usage = "",
    .group = "General",
    .max_args = 0,
    .opts = CLI_HIDDEN_CMD | CLI_NO_STORE,
    .handler = cmd_man,
};

const struct cli_command *const cli_cmds_general[] = {
    &cmd_info_def,     &cmd_version_def, &cmd_help_def, &cmd_completion_def,
    &cmd_complete_def, &cmd_man_def,     NULL,
};
