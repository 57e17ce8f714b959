// The part of a sandbox launch that runs between clone() and execve().
//
// The daemon is multi-threaded, so after clone() only async-signal-safe code may run: no malloc, no locks,
// no logging, nothing from the Swift runtime. Swift prepares a complete plan as flat C data before the
// clone; the child only executes it, step by step, and reports the first failing step as {stage, errno}.
#ifndef BRIG_LAUNCH_H
#define BRIG_LAUNCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One filesystem step, executed in order inside the new mount namespace before pivot_root.
/// Paths are absolute host paths under `brig_launch_plan.root` (Swift joins them ahead of time).
enum brig_mount_kind {
    BRIG_MOUNT_DIR = 1,      ///< mkdir(target, mode)
    BRIG_MOUNT_FILE = 2,     ///< create target with mode and `data_len` bytes of `data` (may be empty)
    BRIG_MOUNT_SYMLINK = 3,  ///< symlink(source, target)
    BRIG_MOUNT_BIND = 4,     ///< bind source onto target, then remount it with `flags` (plus its locked flags)
    BRIG_MOUNT_TMPFS = 5,    ///< tmpfs at target with `flags` and options `data`
    BRIG_MOUNT_PROC = 6,     ///< a fresh procfs at target with `flags`
    BRIG_MOUNT_READ_ONLY = 7,  ///< remount the mount at target read-only, with `flags` (once it is populated)
};

struct brig_mount_op {
    int32_t kind;
    uint32_t mode;
    unsigned long flags;
    const char *source;
    const char *target;
    const char *data;
    size_t data_len;
};

struct brig_rlimit {
    int32_t resource;
    uint64_t soft;
    uint64_t hard;
};

/// Where a launch failed; the parent turns it into an `internal_error` that names the stage.
enum brig_stage {
    BRIG_STAGE_NONE = 0,
    BRIG_STAGE_CLONE,
    BRIG_STAGE_WAIT_GO,
    BRIG_STAGE_FDS,
    BRIG_STAGE_SIGNALS,
    BRIG_STAGE_SETGROUPS,
    BRIG_STAGE_SETGID,
    BRIG_STAGE_SETUID,
    BRIG_STAGE_CAPS_RAISE,
    BRIG_STAGE_CGROUP_NS,
    BRIG_STAGE_MOUNT_PRIVATE,
    BRIG_STAGE_MOUNT_ROOT,
    BRIG_STAGE_MOUNT_OP,
    BRIG_STAGE_PIVOT_ROOT,
    BRIG_STAGE_REMOUNT_ROOT,
    BRIG_STAGE_HOSTNAME,
    BRIG_STAGE_LOOPBACK,
    BRIG_STAGE_CAPS_DROP,
    BRIG_STAGE_NO_NEW_PRIVS,
    BRIG_STAGE_FORK,
    BRIG_STAGE_SETSID,
    BRIG_STAGE_RLIMIT,
    BRIG_STAGE_CHDIR,
    BRIG_STAGE_STDIO,
    BRIG_STAGE_SECCOMP,
    BRIG_STAGE_SECCOMP_LISTENER,
    BRIG_STAGE_EXECVE,
    BRIG_STAGE_REQUEST,
    BRIG_STAGE_COUNT
};

/// A stable, lowercase name for a stage ("mount_op", "execve", ...).
const char *brig_stage_name(int32_t stage);

/// What the child tells the parent over the report pipe. Fixed size, written atomically (< PIPE_BUF).
enum brig_report_kind {
    BRIG_REPORT_FAILED = 1,   ///< stage, err (errno), detail (e.g. the mount op's index)
    BRIG_REPORT_SPAWNED = 2,  ///< setup done, the program is being exec'd; detail = its pid in the sandbox
    BRIG_REPORT_EXITED = 3,   ///< the program ended; detail = its wait status (warm: nothing else is left)
    BRIG_REPORT_READY = 4,    ///< warm: the program is set up (seccomp loaded) and waits for its request
};

/// A warm sandbox's request, written by the parent to `brig_launch.request_fd`: this header, then
/// `length` bytes of NUL-terminated strings — the working directory, `argc` arguments, `envc` variables.
/// The program reads it into a static buffer (nothing is allocated after the clone), so it is bounded.
struct brig_request_header {
    uint32_t length;
    uint32_t argc;
    uint32_t envc;
    uint32_t reserved;
};

enum {
    BRIG_REQUEST_MAX_BYTES = 1 << 20,   ///< the strings, NULs included
    BRIG_REQUEST_MAX_STRINGS = 16384,   ///< argc + envc
};

struct brig_report {
    int32_t kind;
    int32_t stage;
    int32_t err;
    int32_t detail;
};

struct brig_launch_plan {
    // What to run. `file` is searched in the PATH of `envp` when it has no slash. Unused when `warm`.
    const char *file;
    char *const *argv;
    char *const *envp;
    const char *cwd;

    // Who runs it, as seen inside the user namespace. The parent maps these to the slot's host ids.
    uint32_t uid;
    uint32_t gid;

    // Namespaces (CLONE_NEW* flags; CLONE_NEWCGROUP is applied after the parent placed the child).
    uint64_t clone_flags;
    int32_t cgroup_fd;        ///< a cgroup v2 directory for CLONE_INTO_CGROUP, or -1
    const char *hostname;     ///< NULL keeps the host's (only without CLONE_NEWUTS)
    int32_t loopback_up;

    // Filesystem: `root` is an existing empty host directory; the new root is a tmpfs mounted there.
    const char *root;
    const char *root_options;
    const struct brig_mount_op *mounts;
    size_t mount_count;

    // Process limits and capabilities.
    const struct brig_rlimit *rlimits;
    size_t rlimit_count;
    int32_t last_cap;         ///< /proc/sys/kernel/cap_last_cap, read once by the parent

    // seccomp: a BPF program compiled ahead of time (struct sock_filter[]), loaded last with a listener.
    const void *filter;
    uint16_t filter_len;

    // The program's standard streams (the child's ends; each is dup'ed onto 0, 1 and 2).
    int32_t stdin_fd;
    int32_t stdout_fd;
    int32_t stderr_fd;

    // Warm: everything is done ahead of demand, the program's fork and its seccomp filter included; the
    // program then waits on the request pipe for what to run (see `brig_request_header`) and execs it.
    int32_t warm;
};

/// The parent's handles on a started launch.
struct brig_launch {
    pid_t pid;            ///< the sandbox's init, in the parent's pid namespace
    int32_t pidfd;        ///< polls readable when init exits
    int32_t go_fd;        ///< write one byte when ids and cgroups are in place; close to abort
    int32_t report_fd;    ///< struct brig_report messages; EOF when the sandbox is gone
    int32_t listener_fd;  ///< a unix socket that receives the seccomp listener fd (SCM_RIGHTS)
    int32_t request_fd;   ///< warm: where the request goes (blocking); -1 otherwise
};

/// pipe2(fds, O_CLOEXEC), which Swift's Glibc module does not show. Returns 0 or -errno.
int brig_pipe(int fds[2]);

/// eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK). Returns the fd or -errno.
int brig_eventfd(void);

/// The namespaces every sandbox gets: user, mount, pid, net, uts, ipc and cgroup.
uint64_t brig_sandbox_namespaces(void);

/// Clones the sandbox's init with the plan's namespaces. Returns 0, or -errno (nothing is left open then).
/// The child waits for the go byte before it does anything.
int brig_launch_start(const struct brig_launch_plan *plan, struct brig_launch *out);

/// Receives the seccomp listener fd sent by the sandbox over `socket_fd`. Returns the fd or -errno.
int brig_receive_fd(int socket_fd);

/// Waits for a seccomp user notification on `listener_fd` and answers it with EPERM.
/// Returns 0 and stores the syscall number and audit arch, or -errno (-ENOENT: the caller already died).
int brig_seccomp_notification(int listener_fd, int32_t *syscall_nr, uint32_t *arch);

/// openat2(dirfd, path, flags | O_CLOEXEC, mode) resolved beneath `dirfd` and refusing every symlink, so a
/// path inside a workspace can never lead outside it. Returns the fd or -errno.
int brig_open_beneath(int dirfd, const char *path, int flags, unsigned int mode);

#ifdef __cplusplus
}
#endif

#endif
