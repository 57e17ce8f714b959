// The launch zygote (see brig_zygote.h). Its side runs in a fork of a multi-threaded process: raw system calls
// and static memory only, as below brig_launch_start's clone.
#define _GNU_SOURCE
#include "brig_zygote.h"
#include "brig_launch_with.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// A request: the plan (its fds the daemon's numbers, replaced by the received ones), then `length` bytes of
// its block. The fds follow as SCM_RIGHTS: stdin, stdout, stderr and, when the plan has one, the cgroup.
struct zygote_request {
    struct brig_launch_plan plan;
    uint64_t block;
    uint64_t length;
};

// A reply: the launch's status and init's pid; on success its fds as SCM_RIGHTS: pidfd, go, report,
// listener and, for a warm launch, request.
struct zygote_reply {
    int32_t status;
    int32_t pid;
};

enum {
    ZYGOTE_FD = 3,
    PLAN_FDS_MAX = 4,
    LAUNCH_FDS_MAX = 5,
};

// The zygote's copy of the request being served. Static, as everything after the fork: the init it clones
// reads its plan here and in the block, in its own copy of this memory.
static struct zygote_request request;
static unsigned char staging[BRIG_ZYGOTE_BLOCK_SIZE];

static ssize_t receive(int fd, struct iovec *iov, int iov_count, int *fds, int fds_max, int *fd_count) {
    union {
        char buffer[CMSG_SPACE(LAUNCH_FDS_MAX * sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr message = {
        .msg_iov = iov, .msg_iovlen = iov_count, .msg_control = control.buffer,
        .msg_controllen = CMSG_SPACE(fds_max * sizeof(int))};
    ssize_t got;
    do {
        got = recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
    } while (got < 0 && errno == EINTR);
    *fd_count = 0;
    if (got < 0) return -errno;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header != NULL; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        int count = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < count && *fd_count < fds_max; i++) memcpy(&fds[(*fd_count)++], CMSG_DATA(header) + i * sizeof(int), sizeof(int));
    }
    if (message.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) return -EPROTO;
    return got;
}

static ssize_t send_with_fds(int fd, struct iovec *iov, int iov_count, const int *fds, int fd_count) {
    union {
        char buffer[CMSG_SPACE(LAUNCH_FDS_MAX * sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = iov, .msg_iovlen = iov_count};
    if (fd_count > 0) {
        message.msg_control = control.buffer;
        message.msg_controllen = CMSG_SPACE(fd_count * sizeof(int));
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(fd_count * sizeof(int));
        memcpy(CMSG_DATA(header), fds, fd_count * sizeof(int));
    }
    ssize_t sent;
    do {
        sent = sendmsg(fd, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent < 0 ? -errno : sent;
}

static void close_all(const int *fds, int count) {
    for (int i = 0; i < count; i++) close(fds[i]);
}

// Serves one request: checks it, puts the block in place, clones the init as the daemon's child.
static struct zygote_reply serve(ssize_t got, const int *fds, int fd_count, uintptr_t arena, size_t arena_size,
                                 struct brig_launch *launch) {
    struct zygote_reply reply = {.status = -EPROTO, .pid = 0};
    if (got < (ssize_t)sizeof request) return reply;
    size_t length = (size_t)got - sizeof request;
    int expected_fds = request.plan.cgroup_fd >= 0 ? 4 : 3;
    if (request.length != length || length > BRIG_ZYGOTE_BLOCK_SIZE || fd_count != expected_fds ||
        request.block < arena || request.block - arena > arena_size - BRIG_ZYGOTE_BLOCK_SIZE) {
        return reply;
    }
    void *block = (void *)(uintptr_t)request.block;
    memcpy(block, staging, length);
    request.plan.stdin_fd = fds[0];
    request.plan.stdout_fd = fds[1];
    request.plan.stderr_fd = fds[2];
    if (fd_count == 4) request.plan.cgroup_fd = fds[3];
    // CLONE_PARENT: the init is the daemon's child (its exit signal is the zygote's own, SIGCHLD).
    reply.status = brig_launch_start_with(&request.plan, launch, CLONE_PARENT);
    reply.pid = reply.status == 0 ? launch->pid : 0;
    // The init has its copy: nothing of one plan stays for the next init to inherit.
    memset(block, 0, length);
    memset(staging, 0, length);
    return reply;
}

__attribute__((noreturn)) static void zygote_main(int socket_fd, pid_t parent, uintptr_t arena, size_t arena_size) {
    // Dies with the thread that started it; it may already be gone.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent) _exit(0);
    (void)prctl(PR_SET_NAME, BRIG_ZYGOTE_NAME, 0, 0, 0);
    // No handler of the daemon's may run here (they are Swift); each init resets what it inherits.
    sigset_t all;
    sigfillset(&all);
    (void)sigprocmask(SIG_SETMASK, &all, NULL);
    // Nothing of the daemon's stays open here (its listening socket, its database, other sandboxes' pipes).
    if (socket_fd != ZYGOTE_FD && dup3(socket_fd, ZYGOTE_FD, O_CLOEXEC) < 0) _exit(1);
    if (syscall(SYS_close_range, ZYGOTE_FD + 1, ~0U, 0) < 0) _exit(1);
    while (1) {
        struct iovec iov[2] = {
            {.iov_base = &request, .iov_len = sizeof request}, {.iov_base = staging, .iov_len = sizeof staging}};
        int fds[PLAN_FDS_MAX];
        int fd_count = 0;
        ssize_t got = receive(ZYGOTE_FD, iov, 2, fds, PLAN_FDS_MAX, &fd_count);
        if (got == 0 || (got < 0 && got != -EPROTO)) _exit(0);  // the daemon closed its end
        struct brig_launch launch = {.pid = 0};
        struct zygote_reply reply = {.status = (int32_t)got, .pid = 0};
        if (got > 0) reply = serve(got, fds, fd_count, arena, arena_size, &launch);
        close_all(fds, fd_count);
        int launch_fds[LAUNCH_FDS_MAX] = {launch.pidfd, launch.go_fd, launch.report_fd, launch.listener_fd, launch.request_fd};
        int launch_fd_count = reply.status == 0 ? (launch.request_fd >= 0 ? 5 : 4) : 0;
        struct iovec answer = {.iov_base = &reply, .iov_len = sizeof reply};
        ssize_t sent = send_with_fds(ZYGOTE_FD, &answer, 1, launch_fds, launch_fd_count);
        close_all(launch_fds, launch_fd_count);
        // An init nobody will start reads EOF on its go pipe and exits.
        if (sent < 0) _exit(0);
    }
}

int brig_zygote_start(void *arena, size_t arena_size, pid_t *pid) {
    if (arena_size < BRIG_ZYGOTE_BLOCK_SIZE) return -EINVAL;
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) return -errno;
    pid_t parent = getpid();
    // A raw clone: fork() would run atfork handlers that take malloc's locks.
    long child = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (child < 0) {
        int error = errno;
        close(pair[0]);
        close(pair[1]);
        return -error;
    }
    if (child == 0) zygote_main(pair[1], parent, (uintptr_t)arena, arena_size);
    close(pair[1]);
    *pid = (pid_t)child;
    return pair[0];
}

int brig_zygote_launch(int socket_fd, const struct brig_launch_plan *plan, const void *block, size_t length,
                       struct brig_launch *out) {
    struct zygote_request message = {.plan = *plan, .block = (uint64_t)(uintptr_t)block, .length = length};
    int plan_fds[PLAN_FDS_MAX] = {plan->stdin_fd, plan->stdout_fd, plan->stderr_fd, plan->cgroup_fd};
    struct iovec iov[2] = {
        {.iov_base = &message, .iov_len = sizeof message}, {.iov_base = (void *)block, .iov_len = length}};
    ssize_t sent = send_with_fds(socket_fd, iov, 2, plan_fds, plan->cgroup_fd >= 0 ? 4 : 3);
    if (sent < 0) return (int)sent;
    if ((size_t)sent != sizeof message + length) return -EPROTO;

    struct zygote_reply reply;
    struct iovec answer = {.iov_base = &reply, .iov_len = sizeof reply};
    int fds[LAUNCH_FDS_MAX];
    int fd_count = 0;
    ssize_t got = receive(socket_fd, &answer, 1, fds, LAUNCH_FDS_MAX, &fd_count);
    if (got == 0) got = -ECONNRESET;
    if (got != (ssize_t)sizeof reply || reply.status < 0 || fd_count != (plan->warm ? 5 : 4)) {
        close_all(fds, fd_count);
        if (got < 0) return (int)got;
        if (got == (ssize_t)sizeof reply && reply.status < 0) return reply.status;
        // An init that was cloned all the same is this process's child: end it and wait for it here.
        if (got == (ssize_t)sizeof reply && reply.pid > 0) {
            kill(reply.pid, SIGKILL);
            while (waitpid(reply.pid, NULL, 0) < 0 && errno == EINTR) {}
        }
        return -EPROTO;
    }
    out->pid = reply.pid;
    out->pidfd = fds[0];
    out->go_fd = fds[1];
    out->report_fd = fds[2];
    out->listener_fd = fds[3];
    out->request_fd = plan->warm ? fds[4] : -1;
    return 0;
}
