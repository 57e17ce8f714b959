// The sandbox's first moments: clone, then the plan, step by step, then execve.
//
// Rules for everything below `brig_launch_start`'s clone: raw system calls only. glibc's set*id() and
// setgroups() broadcast to the threads they believe exist (the daemon's, which the child does not have)
// and can deadlock; fork() runs atfork handlers that take malloc's locks. So ids, capabilities, clone and
// seccomp go through syscall(2), and nothing allocates.
#define _GNU_SOURCE
#include "brig_launch.h"
#include "brig_launch_with.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// Not every libc header set has these yet; the kernel ABI is fixed.
#define BRIG_CLONE_PIDFD 0x00001000ULL
#define BRIG_CLONE_NEWCGROUP 0x02000000ULL
#define BRIG_CLONE_INTO_CGROUP 0x200000000ULL

struct brig_clone_args {
    uint64_t flags;
    uint64_t pidfd;
    uint64_t child_tid;
    uint64_t parent_tid;
    uint64_t exit_signal;
    uint64_t stack;
    uint64_t stack_size;
    uint64_t tls;
    uint64_t set_tid;
    uint64_t set_tid_size;
    uint64_t cgroup;
};

// The child's fds after `compact_fds`: fixed numbers, so nothing of the daemon's survives beside them.
enum {
    FD_GO = 3,
    FD_REPORT = 4,
    FD_LISTENER = 5,
    FD_STDIN = 6,
    FD_STDOUT = 7,
    FD_STDERR = 8,
    FD_REQUEST = 9,  // warm launches only
    FD_KEPT = 7,  // how many, starting at FD_GO
};

static const char *const stage_names[BRIG_STAGE_COUNT] = {
    [BRIG_STAGE_NONE] = "none",
    [BRIG_STAGE_CLONE] = "clone",
    [BRIG_STAGE_WAIT_GO] = "wait_go",
    [BRIG_STAGE_FDS] = "fds",
    [BRIG_STAGE_SIGNALS] = "signals",
    [BRIG_STAGE_SETGROUPS] = "setgroups",
    [BRIG_STAGE_SETGID] = "setgid",
    [BRIG_STAGE_SETUID] = "setuid",
    [BRIG_STAGE_CAPS_RAISE] = "caps_raise",
    [BRIG_STAGE_CGROUP_NS] = "cgroup_ns",
    [BRIG_STAGE_MOUNT_PRIVATE] = "mount_private",
    [BRIG_STAGE_MOUNT_ROOT] = "mount_root",
    [BRIG_STAGE_MOUNT_OP] = "mount_op",
    [BRIG_STAGE_PIVOT_ROOT] = "pivot_root",
    [BRIG_STAGE_REMOUNT_ROOT] = "remount_root",
    [BRIG_STAGE_HOSTNAME] = "hostname",
    [BRIG_STAGE_LOOPBACK] = "loopback",
    [BRIG_STAGE_CAPS_DROP] = "caps_drop",
    [BRIG_STAGE_NO_NEW_PRIVS] = "no_new_privs",
    [BRIG_STAGE_FORK] = "fork",
    [BRIG_STAGE_SETSID] = "setsid",
    [BRIG_STAGE_RLIMIT] = "rlimit",
    [BRIG_STAGE_CHDIR] = "chdir",
    [BRIG_STAGE_STDIO] = "stdio",
    [BRIG_STAGE_SECCOMP] = "seccomp",
    [BRIG_STAGE_SECCOMP_LISTENER] = "seccomp_listener",
    [BRIG_STAGE_EXECVE] = "execve",
    [BRIG_STAGE_REQUEST] = "request",
};

const char *brig_stage_name(int32_t stage) {
    if (stage < 0 || stage >= BRIG_STAGE_COUNT || stage_names[stage] == NULL) return "unknown";
    return stage_names[stage];
}

static void report(int report_fd, int32_t kind, int32_t stage, int32_t err, int32_t detail) {
    struct brig_report message = {.kind = kind, .stage = stage, .err = err, .detail = detail};
    ssize_t written;
    do {
        written = write(report_fd, &message, sizeof message);
    } while (written < 0 && errno == EINTR);
}

__attribute__((noreturn)) static void fail(int32_t stage, int32_t detail) {
    report(FD_REPORT, BRIG_REPORT_FAILED, stage, errno, detail);
    _exit(127);
}

// Moves the fds the child needs to FD_GO.. and closes every other fd inherited from the daemon (its
// sockets, other sandboxes' pipes: an init holding those would keep another job's stdout from ending).
static void compact_fds(const int fds[FD_KEPT], int report_fd) {
    int high[FD_KEPT];
    for (int i = 0; i < FD_KEPT; i++) {
        high[i] = -1;
        if (fds[i] < 0) continue;  // not used by this launch (the request pipe of a cold one)
        high[i] = fcntl(fds[i], F_DUPFD, FD_GO + FD_KEPT);
        if (high[i] < 0) {
            report(report_fd, BRIG_REPORT_FAILED, BRIG_STAGE_FDS, errno, i);
            _exit(127);
        }
    }
    for (int i = 0; i < FD_KEPT; i++) {
        if (high[i] < 0) continue;
        if (dup2(high[i], FD_GO + i) < 0) {
            report(report_fd, BRIG_REPORT_FAILED, BRIG_STAGE_FDS, errno, i);
            _exit(127);
        }
    }
    if (syscall(SYS_close_range, FD_GO + FD_KEPT, ~0U, 0) < 0) fail(BRIG_STAGE_FDS, -1);
    for (int fd = FD_GO; fd < FD_GO + FD_KEPT; fd++) {
        if (fds[fd - FD_GO] < 0) continue;
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) fail(BRIG_STAGE_FDS, fd);
    }
}

// Dispositions and masks survive execve when ignored or blocked: a daemon that ignores SIGPIPE must not
// hand that to `yes | head`.
static void reset_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    for (int signal_number = 1; signal_number < _NSIG; signal_number++) {
        if (signal_number == SIGKILL || signal_number == SIGSTOP) continue;
        (void)sigaction(signal_number, &action, NULL);  // glibc's own real-time signals answer EINVAL
    }
    sigset_t empty;
    sigemptyset(&empty);
    if (sigprocmask(SIG_SETMASK, &empty, NULL) < 0) fail(BRIG_STAGE_SIGNALS, 0);
}

static int capabilities_set(int effective_from_permitted) {
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (effective_from_permitted) {
        if (syscall(SYS_capget, &header, data) < 0) return -1;
        data[0].effective = data[0].permitted;
        data[1].effective = data[1].permitted;
    }
    return (int)syscall(SYS_capset, &header, data);
}

// Becomes the sandbox user while keeping this user namespace's capabilities, so that the files the setup
// creates belong to a mapped id (creating them as an unmapped id fails with EOVERFLOW).
static void become_sandbox_user(const struct brig_launch_plan *plan) {
    if (syscall(SYS_setgroups, 0, NULL) < 0) fail(BRIG_STAGE_SETGROUPS, 0);
    if (syscall(SYS_setresgid, plan->gid, plan->gid, plan->gid) < 0) fail(BRIG_STAGE_SETGID, 0);
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail(BRIG_STAGE_SETUID, 0);
    if (syscall(SYS_setresuid, plan->uid, plan->uid, plan->uid) < 0) fail(BRIG_STAGE_SETUID, 0);
    if (capabilities_set(1) < 0) fail(BRIG_STAGE_CAPS_RAISE, 0);
}

// A bind mount in a user namespace keeps the flags its source was locked with (nosuid, noexec, atime);
// a remount that would clear them is refused, so they are carried over.
static unsigned long locked_flags(const char *path) {
    struct statfs info;
    if (statfs(path, &info) < 0) return 0;
    return (unsigned long)info.f_flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
                                          MS_NODIRATIME | MS_RELATIME);
}

static int write_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, data, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        data += written;
        length -= (size_t)written;
    }
    return 0;
}

static int run_mount_op(const struct brig_mount_op *op) {
    switch (op->kind) {
        case BRIG_MOUNT_DIR:
            if (mkdir(op->target, op->mode) < 0 && errno != EEXIST) return -1;
            return 0;
        case BRIG_MOUNT_FILE: {
            int fd = open(op->target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, op->mode);
            if (fd < 0) return -1;
            int result = write_all(fd, op->data, op->data_len);
            int saved = errno;
            close(fd);
            errno = saved;
            return result;
        }
        case BRIG_MOUNT_SYMLINK:
            return symlink(op->source, op->target);
        case BRIG_MOUNT_BIND:
            if (mount(op->source, op->target, NULL, MS_BIND, NULL) < 0) return -1;
            return mount(NULL, op->target, NULL,
                         MS_BIND | MS_REMOUNT | op->flags | locked_flags(op->target), NULL);
        case BRIG_MOUNT_TMPFS:
            return mount("tmpfs", op->target, "tmpfs", op->flags, op->data);
        case BRIG_MOUNT_PROC:
            return mount("proc", op->target, "proc", op->flags, NULL);
        case BRIG_MOUNT_READ_ONLY:
            return mount(NULL, op->target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | op->flags, NULL);
        default:
            errno = EINVAL;
            return -1;
    }
}

static void build_root(const struct brig_launch_plan *plan) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail(BRIG_STAGE_MOUNT_PRIVATE, 0);
    if (mount("tmpfs", plan->root, "tmpfs", MS_NOSUID | MS_NODEV, plan->root_options) < 0) {
        fail(BRIG_STAGE_MOUNT_ROOT, 0);
    }
    for (size_t i = 0; i < plan->mount_count; i++) {
        if (run_mount_op(&plan->mounts[i]) < 0) fail(BRIG_STAGE_MOUNT_OP, (int32_t)i);
    }
    // pivot_root(".", ".") stacks the old root on the new one; detaching it leaves only the new root.
    if (chdir(plan->root) < 0) fail(BRIG_STAGE_PIVOT_ROOT, 0);
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail(BRIG_STAGE_PIVOT_ROOT, 1);
    if (umount2(".", MNT_DETACH) < 0) fail(BRIG_STAGE_PIVOT_ROOT, 2);
    if (chdir("/") < 0) fail(BRIG_STAGE_PIVOT_ROOT, 3);
    // The root tmpfs (mount points, generated /etc files) belongs to the sandbox user: freeze it.
    if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0) {
        fail(BRIG_STAGE_REMOUNT_ROOT, 0);
    }
}

static void bring_loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail(BRIG_STAGE_LOOPBACK, 0);
    struct ifreq request;
    memset(&request, 0, sizeof request);
    memcpy(request.ifr_name, "lo", 3);
    if (ioctl(fd, SIOCGIFFLAGS, &request) < 0) fail(BRIG_STAGE_LOOPBACK, 1);
    request.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &request) < 0) fail(BRIG_STAGE_LOOPBACK, 2);
    close(fd);
}

static void drop_privileges(int32_t last_cap) {
    for (int cap = 0; cap <= last_cap; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) fail(BRIG_STAGE_CAPS_DROP, cap);
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) fail(BRIG_STAGE_CAPS_DROP, -1);
    if (capabilities_set(0) < 0) fail(BRIG_STAGE_CAPS_DROP, -2);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) fail(BRIG_STAGE_CAPS_DROP, -3);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(BRIG_STAGE_NO_NEW_PRIVS, 0);
    // The program runs as the same uid as init: without this it could open /proc/1/mem.
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) fail(BRIG_STAGE_NO_NEW_PRIVS, 1);
}

static int send_fd(int socket_fd, int fd) {
    char byte = 0;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer};
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof(int));
    ssize_t sent;
    do {
        sent = sendmsg(socket_fd, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent < 0 ? -1 : 0;
}

static const char *environment_path(char *const *envp) {
    for (char *const *entry = envp; entry != NULL && *entry != NULL; entry++) {
        if (strncmp(*entry, "PATH=", 5) == 0) return *entry + 5;
    }
    return "/usr/local/bin:/usr/bin:/bin";
}

// execvpe(3) is not async-signal-safe everywhere; this is the same search on a stack buffer.
__attribute__((noreturn)) static void exec_program(const char *file, char *const *argv, char *const *envp) {
    if (strchr(file, '/') != NULL) {
        execve(file, argv, envp);
        fail(BRIG_STAGE_EXECVE, 0);
    }
    size_t file_length = strlen(file);
    int saved_errno = ENOENT;
    const char *cursor = environment_path(envp);
    char candidate[4096];
    while (1) {
        const char *end = strchrnul(cursor, ':');
        size_t dir_length = (size_t)(end - cursor);
        if (dir_length == 0) {
            dir_length = 1;
            cursor = ".";
        }
        if (dir_length + 1 + file_length + 1 <= sizeof candidate) {
            memcpy(candidate, cursor, dir_length);
            candidate[dir_length] = '/';
            memcpy(candidate + dir_length + 1, file, file_length + 1);
            execve(candidate, argv, envp);
            if (errno == EACCES) {
                saved_errno = EACCES;
            } else if (errno != ENOENT && errno != ENOTDIR) {
                saved_errno = errno;
                break;
            }
        }
        if (*end == '\0') break;
        cursor = end + 1;
    }
    errno = saved_errno;
    fail(BRIG_STAGE_EXECVE, 0);
}

// The program: pid 2 of the sandbox. Everything here happens after the sandbox user dropped privileges.
// Its setup (session, limits, streams, seccomp) depends on the sandbox's shape only, not on what it runs.
static void program_setup(const struct brig_launch_plan *plan) {
    if (setsid() < 0) fail(BRIG_STAGE_SETSID, 0);  // no controlling terminal, so no TIOCSTI into ours
    for (size_t i = 0; i < plan->rlimit_count; i++) {
        struct rlimit limit = {.rlim_cur = plan->rlimits[i].soft, .rlim_max = plan->rlimits[i].hard};
        if (setrlimit(plan->rlimits[i].resource, &limit) < 0) fail(BRIG_STAGE_RLIMIT, plan->rlimits[i].resource);
    }
    umask(022);
    if (dup2(FD_STDIN, 0) < 0 || dup2(FD_STDOUT, 1) < 0 || dup2(FD_STDERR, 2) < 0) fail(BRIG_STAGE_STDIO, 0);
    if (syscall(SYS_close_range, FD_STDIN, FD_STDERR, 0) < 0) fail(BRIG_STAGE_STDIO, 1);
    if (plan->filter_len > 0) {
        // Loaded last: from here on every system call, ours included, goes through the filter.
        struct sock_fprog program = {.len = plan->filter_len, .filter = (struct sock_filter *)plan->filter};
        long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
        if (listener < 0) fail(BRIG_STAGE_SECCOMP, 0);
        if (send_fd(FD_LISTENER, (int)listener) < 0) fail(BRIG_STAGE_SECCOMP_LISTENER, 0);
        close((int)listener);
    }
    close(FD_LISTENER);
}

__attribute__((noreturn)) static void program_main(const struct brig_launch_plan *plan) {
    program_setup(plan);
    if (chdir(plan->cwd) < 0) fail(BRIG_STAGE_CHDIR, 0);
    exec_program(plan->file, plan->argv, plan->envp);  // FD_REPORT is close-on-exec: success is silence
}

// A warm program's request, read after its setup: static, because nothing may be allocated after the clone
// (the daemon's other threads may hold malloc's locks). Untouched pages of it cost nothing.
static char request_strings[BRIG_REQUEST_MAX_BYTES];
static char *request_pointers[BRIG_REQUEST_MAX_STRINGS + 2];

static int read_exactly(int fd, void *buffer, size_t length) {
    char *cursor = buffer;
    while (length > 0) {
        ssize_t got = read(fd, cursor, length);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return got == 0 ? 0 : -1;
        cursor += got;
        length -= (size_t)got;
    }
    return 1;
}

__attribute__((noreturn)) static void warm_program_main(const struct brig_launch_plan *plan) {
    program_setup(plan);
    report(FD_REPORT, BRIG_REPORT_READY, BRIG_STAGE_NONE, 0, 0);
    struct brig_request_header header;
    int got = read_exactly(FD_REQUEST, &header, sizeof header);
    if (got == 0) _exit(0);  // the sandbox was discarded unused
    if (got < 0) fail(BRIG_STAGE_REQUEST, 0);
    errno = E2BIG;
    if (header.length == 0 || header.length > BRIG_REQUEST_MAX_BYTES || header.argc == 0 ||
        header.argc > BRIG_REQUEST_MAX_STRINGS || header.envc > BRIG_REQUEST_MAX_STRINGS - header.argc) {
        fail(BRIG_STAGE_REQUEST, 1);
    }
    if (read_exactly(FD_REQUEST, request_strings, header.length) != 1) fail(BRIG_STAGE_REQUEST, 2);
    close(FD_REQUEST);
    errno = EINVAL;
    if (request_strings[header.length - 1] != '\0') fail(BRIG_STAGE_REQUEST, 3);
    // cwd, then argc arguments (NULL-terminated), then envc variables (NULL-terminated).
    size_t strings = 1 + header.argc + header.envc, offset = 0;
    char *cwd = NULL;
    char **argv = request_pointers;
    char **envp = request_pointers + header.argc + 1;
    for (size_t index = 0; index < strings; index++) {
        if (offset >= header.length) fail(BRIG_STAGE_REQUEST, 4);
        char *string = request_strings + offset;
        offset += strlen(string) + 1;
        if (index == 0) {
            cwd = string;
        } else if (index <= header.argc) {
            argv[index - 1] = string;
        } else {
            envp[index - 1 - header.argc] = string;
        }
    }
    argv[header.argc] = NULL;
    envp[header.envc] = NULL;
    if (chdir(cwd) < 0) fail(BRIG_STAGE_CHDIR, 0);
    exec_program(argv[0], argv, envp);
}

// The program's stack while it shares init's memory. Static: nothing may be allocated after the clone. Each
// init has its own (copy-on-write) copy of it, as of everything else of the daemon's.
static char program_stack[64 << 10] __attribute__((aligned(16)));

static int program_entry(void *argument) {
    const struct brig_launch_plan *plan = argument;
    if (plan->warm) warm_program_main(plan);
    close(FD_REQUEST);
    program_main(plan);
}

// `fd` moved (close-on-exec) above the fixed numbers, where the program's own closes of them cannot reach it.
static int above_fixed_fds(int fd) {
    if (fd >= FD_GO + FD_KEPT) return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, FD_GO + FD_KEPT);
    close(fd);
    return high;
}

// The sandbox's init: pid 1 of its pid namespace. It builds the sandbox, starts the program, reaps every
// orphan, and reports the program's wait status. Its exit tears the whole pid namespace down.
__attribute__((noreturn)) static void init_main(const struct brig_launch_plan *plan, const int fds[FD_KEPT]) {
    compact_fds(fds, fds[FD_REPORT - FD_GO]);
    (void)prctl(PR_SET_NAME, "brig-init", 0, 0, 0);  // not its cloner's thread's name in ps and top
    reset_signals();
    char go;
    ssize_t got;
    do {
        got = read(FD_GO, &go, 1);
    } while (got < 0 && errno == EINTR);
    if (got != 1) _exit(0);  // the parent gave up before the start
    close(FD_GO);

    umask(0);
    become_sandbox_user(plan);
    // Dies with its parent thread: the one that launched it (which waits for it to the end), or for a
    // zygote's clone (CLONE_PARENT) the one that started the zygote: a killed launcher leaves nothing. Set
    // after the id change, which clears it.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) fail(BRIG_STAGE_SIGNALS, 1);
    if ((plan->clone_flags & BRIG_CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) fail(BRIG_STAGE_CGROUP_NS, 0);
    build_root(plan);
    if (plan->hostname != NULL && sethostname(plan->hostname, strlen(plan->hostname)) < 0) {
        fail(BRIG_STAGE_HOSTNAME, 0);
    }
    if (plan->loopback_up) bring_loopback_up();
    drop_privileges(plan->last_cap);

    // The program shares init's memory until its execve (CLONE_VM), as posix_spawn does: no page tables are
    // copied, and the execve leaves an address space that init still holds instead of tearing down a copy of
    // the daemon's — on a warm sandbox's hot path that teardown was most of what a launch cost over a bare
    // spawn. Init's own copy goes when init exits, after the report. Only our code runs in the shared memory:
    // untrusted code starts after the execve, in a new one.
    // Init touches nothing meanwhile. It does not wait as vfork does (CLONE_VFORK): that wait is uninterruptible,
    // so it counts in the load average for as long as a warm program waits for its request (an idle daemon's
    // two spares made a load of 2.0 on an idle machine). It reads a pipe whose close-on-exec write end only the
    // program holds, which ends once the program has exec'd or died.
    int exec_wait[2];
    if (pipe2(exec_wait, O_CLOEXEC) < 0) fail(BRIG_STAGE_FORK, 1);
    exec_wait[0] = above_fixed_fds(exec_wait[0]);
    exec_wait[1] = above_fixed_fds(exec_wait[1]);
    if (exec_wait[0] < 0 || exec_wait[1] < 0) fail(BRIG_STAGE_FORK, 2);
    long program = clone(program_entry, program_stack + sizeof program_stack, CLONE_VM | SIGCHLD, (void *)plan);
    if (program < 0) fail(BRIG_STAGE_FORK, 0);
    close(exec_wait[1]);
    char ignored;
    while (read(exec_wait[0], &ignored, 1) < 0 && errno == EINTR) {}
    close(exec_wait[0]);

    if (plan->warm) close(FD_REQUEST);  // the program's alone: a program that died makes the parent's write fail
    close(FD_STDIN);
    close(FD_STDOUT);
    close(FD_STDERR);
    close(FD_LISTENER);
    report(FD_REPORT, BRIG_REPORT_SPAWNED, BRIG_STAGE_NONE, 0, (int32_t)program);
    while (1) {
        int status = 0;
        pid_t ended = waitpid(-1, &status, 0);
        if (ended == (pid_t)program) {
            if (plan->warm) {
                // Empty the sandbox before saying so: the parent then takes the run as over without waiting
                // for this exit (whose teardown of mounts and memory takes milliseconds).
                (void)kill(-1, SIGKILL);
                while (waitpid(-1, NULL, 0) >= 0 || errno == EINTR) {}
            }
            report(FD_REPORT, BRIG_REPORT_EXITED, BRIG_STAGE_NONE, 0, status);
            _exit(0);
        }
        if (ended < 0 && errno == ECHILD) _exit(0);
    }
}

int brig_pipe(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) < 0 ? -errno : 0;
}

int brig_eventfd(void) {
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

uint64_t brig_sandbox_namespaces(void) {
    return CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;
}

int brig_launch_start(const struct brig_launch_plan *plan, struct brig_launch *out) {
    return brig_launch_start_with(plan, out, 0);
}

int brig_launch_start_with(const struct brig_launch_plan *plan, struct brig_launch *out, uint64_t extra_flags) {
    int go[2] = {-1, -1}, reports[2] = {-1, -1}, listener[2] = {-1, -1}, request[2] = {-1, -1};
    int result = 0;
    if (pipe2(go, O_CLOEXEC) < 0 || pipe2(reports, O_CLOEXEC) < 0 ||
        socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, listener) < 0 ||
        (plan->warm && pipe2(request, O_CLOEXEC) < 0)) {
        result = -errno;
        goto fail;
    }
    int pidfd = -1;
    struct brig_clone_args args;
    memset(&args, 0, sizeof args);
    // The cgroup namespace is entered by init after the parent placed it (see init_main).
    args.flags = (plan->clone_flags & ~BRIG_CLONE_NEWCGROUP) | BRIG_CLONE_PIDFD | extra_flags;
    args.pidfd = (uint64_t)(uintptr_t)&pidfd;
    // With CLONE_PARENT clone3 takes no exit signal: the child gets its creator's own (the zygote's, SIGCHLD).
    args.exit_signal = (extra_flags & CLONE_PARENT) ? 0 : SIGCHLD;
    if (plan->cgroup_fd >= 0) {
        args.flags |= BRIG_CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)plan->cgroup_fd;
    }
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0) {
        result = -errno;
        goto fail;
    }
    if (pid == 0) {
        const int fds[FD_KEPT] = {
            go[0], reports[1], listener[1], plan->stdin_fd, plan->stdout_fd, plan->stderr_fd, request[0]};
        init_main(plan, fds);
    }
    close(go[0]);
    close(reports[1]);
    close(listener[1]);
    if (request[0] >= 0) close(request[0]);
    out->pid = (pid_t)pid;
    out->pidfd = pidfd;
    out->go_fd = go[1];
    out->report_fd = reports[0];
    out->listener_fd = listener[0];
    out->request_fd = request[1];
    return 0;

fail:
    for (int i = 0; i < 2; i++) {
        if (go[i] >= 0) close(go[i]);
        if (reports[i] >= 0) close(reports[i]);
        if (listener[i] >= 0) close(listener[i]);
        if (request[i] >= 0) close(request[i]);
    }
    return result;
}

int brig_receive_fd(int socket_fd) {
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr message = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer};
    ssize_t got;
    do {
        got = recvmsg(socket_fd, &message, MSG_CMSG_CLOEXEC);
    } while (got < 0 && errno == EINTR);
    if (got < 0) return -errno;
    if (got == 0) return -ENODATA;
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (header == NULL || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) return -EBADMSG;
    int fd;
    memcpy(&fd, CMSG_DATA(header), sizeof(int));
    return fd;
}

int brig_seccomp_notification(int listener_fd, int32_t *syscall_nr, uint32_t *arch) {
    struct seccomp_notif request;
    memset(&request, 0, sizeof request);  // the kernel insists on a zeroed buffer
    if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_RECV, &request) < 0) return -errno;
    *syscall_nr = request.data.nr;
    *arch = request.data.arch;
    // No answer: the caller kills the sandbox, which ends the waiting system call with it.
    return 0;
}

int brig_open_beneath(int dirfd, const char *path, int flags, unsigned int mode) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC);
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    long fd;
    do {
        fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    return fd < 0 ? -errno : (int)fd;
}
