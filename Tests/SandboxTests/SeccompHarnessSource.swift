/// The C program the kernel tests run: it loads a BPF program from a file the way the sandbox does (after
/// no_new_privs, with a listener), makes one named attempt (or, for `exec COMMAND...`, runs a program under
/// the filter), and prints what happened, one line each:
///   `notified nr=N arch=A`  the filter reported the call (the harness then kills the child, as brig does)
///   `result ret=R errno=E pid=P`  the call returned
///   `exited status=S` or `signaled signal=S`  how the child ended
enum SeccompHarnessSource {
    static let text = #"""
    #define _GNU_SOURCE
    #include <errno.h>
    #include <fcntl.h>
    #include <linux/filter.h>
    #include <linux/seccomp.h>
    #include <poll.h>
    #include <pthread.h>
    #include <sched.h>
    #include <signal.h>
    #include <stdint.h>
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    #include <sys/ioctl.h>
    #include <sys/mount.h>
    #include <sys/prctl.h>
    #include <sys/ptrace.h>
    #include <sys/socket.h>
    #include <sys/stat.h>
    #include <sys/syscall.h>
    #include <sys/wait.h>
    #include <termios.h>
    #include <unistd.h>

    struct harness_clone_args {
        uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    };

    static long reap(long pid) {
        if (pid == 0) _exit(0);
        if (pid > 0) waitpid((pid_t)pid, NULL, 0);
        return pid;
    }

    static void *thread_main(void *argument) { return argument; }

    static long attempt(const char *name, char **command) {
        char byte = 'x';
        if (!strcmp(name, "exec") && command[0] != NULL) return execvp(command[0], command);
        if (!strcmp(name, "getpid")) return syscall(SYS_getpid);
        if (!strcmp(name, "ptrace")) return ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        if (!strcmp(name, "mount")) return mount("none", "/nonexistent-brig-harness", "tmpfs", 0, NULL);
        if (!strcmp(name, "unshare")) return unshare(CLONE_NEWUSER);
        if (!strcmp(name, "keyctl")) return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0);
        if (!strcmp(name, "bpf")) return syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, NULL, 0);
        if (!strcmp(name, "clone_newuser")) return reap(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
        if (!strcmp(name, "clone3")) {
            struct harness_clone_args args = {.exit_signal = SIGCHLD};
            return reap(syscall(SYS_clone3, &args, sizeof args));
        }
        if (!strcmp(name, "fork")) return reap(fork());
        if (!strcmp(name, "thread")) {
            pthread_t thread;
            int failed = pthread_create(&thread, NULL, thread_main, NULL);
            if (failed) { errno = failed; return -1; }
            return pthread_join(thread, NULL);
        }
        if (!strcmp(name, "tiocsti")) return ioctl(0, TIOCSTI, &byte);
        if (!strcmp(name, "tiocsti_high")) return syscall(SYS_ioctl, 0, 0xFFFFFFFF00000000UL | TIOCSTI, &byte);
        if (!strcmp(name, "tioclinux")) return ioctl(0, TIOCLINUX, &byte);
        if (!strcmp(name, "tcgets")) {
            int terminal = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (terminal < 0) return -1;
            struct termios settings;
            return ioctl(terminal, TCGETS, &settings);
        }
        if (!strcmp(name, "read_hostname")) {
            char buffer[256];
            int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
            return fd < 0 ? -1 : read(fd, buffer, sizeof buffer);
        }
        if (!strcmp(name, "i386_getpid")) {
            long result;
            __asm__ volatile("int $0x80" : "=a"(result) : "a"(20L) : "memory");
            return result;
        }
        if (!strcmp(name, "x32_getpid")) {
            long result;
            __asm__ volatile("syscall" : "=a"(result) : "a"(0x40000000L | 39) : "rcx", "r11", "memory");
            return result;
        }
        fprintf(stderr, "unknown attempt %s\n", name);
        _exit(2);
    }

    static int send_fd(int socket_fd, int fd) {
        char byte = 0;
        struct iovec iov = {.iov_base = &byte, .iov_len = 1};
        union { char buffer[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
        struct msghdr message = {.msg_iov = &iov, .msg_iovlen = 1,
                                 .msg_control = control.buffer, .msg_controllen = sizeof control.buffer};
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(header), &fd, sizeof(int));
        return sendmsg(socket_fd, &message, 0) < 0 ? -1 : 0;
    }

    static int receive_fd(int socket_fd) {
        char byte;
        struct iovec iov = {.iov_base = &byte, .iov_len = 1};
        union { char buffer[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
        struct msghdr message = {.msg_iov = &iov, .msg_iovlen = 1,
                                 .msg_control = control.buffer, .msg_controllen = sizeof control.buffer};
        if (recvmsg(socket_fd, &message, 0) <= 0) return -1;
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        if (header == NULL || header->cmsg_type != SCM_RIGHTS) return -1;
        int fd;
        memcpy(&fd, CMSG_DATA(header), sizeof(int));
        return fd;
    }

    int main(int argc, char **argv) {
        if (argc < 3) {
            fprintf(stderr, "usage: %s PROGRAM.bpf ATTEMPT [COMMAND...]\n", argv[0]);
            return 2;
        }
        setvbuf(stdout, NULL, _IONBF, 0);
        // TIOCSTI must never reach a real terminal, even when the filter is wrong.
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd < 0 || dup2(null_fd, 0) < 0) { perror("stdin"); return 2; }

        int program_fd = open(argv[1], O_RDONLY);
        struct stat info;
        if (program_fd < 0 || fstat(program_fd, &info) < 0) { perror(argv[1]); return 2; }
        struct sock_filter *filter = malloc((size_t)info.st_size);
        if (filter == NULL || read(program_fd, filter, (size_t)info.st_size) != info.st_size) {
            perror("read");
            return 2;
        }
        struct sock_fprog program = {.len = (unsigned short)(info.st_size / 8), .filter = filter};

        int channel[2], alive[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, channel) < 0 || pipe(alive) < 0) { perror("pipes"); return 2; }
        pid_t child = fork();
        if (child < 0) { perror("fork"); return 2; }
        if (child == 0) {
            close(channel[0]);
            close(alive[0]);
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) { printf("setup_failed errno=%d\n", errno); _exit(3); }
            long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
            if (listener < 0) { printf("setup_failed errno=%d\n", errno); _exit(3); }
            if (send_fd(channel[1], (int)listener) < 0) _exit(3);
            close((int)listener);
            close(channel[1]);
            errno = 0;
            long result = attempt(argv[2], argv + 3);
            int error = errno;
            printf("result ret=%ld errno=%d pid=%d\n", result, error, (int)getpid());
            _exit(0);
        }
        close(channel[1]);
        close(alive[1]);
        int listener = receive_fd(channel[0]);
        if (listener >= 0) {
            struct pollfd fds[2] = {{.fd = listener, .events = POLLIN}, {.fd = alive[0], .events = POLLIN}};
            while (1) {
                int ready = poll(fds, 2, 10000);
                if (ready < 0 && errno == EINTR) continue;
                if (ready <= 0) {
                    printf("timeout\n");
                    kill(child, SIGKILL);
                    break;
                }
                if (fds[0].revents & POLLIN) {
                    struct seccomp_notif request;
                    memset(&request, 0, sizeof request);
                    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) == 0) {
                        printf("notified nr=%d arch=%u\n", request.data.nr, request.data.arch);
                    }
                    kill(child, SIGKILL);  // what brig does: the sandbox dies, the call never returns
                    break;
                }
                if (fds[1].revents || (fds[0].revents & ~POLLIN)) break;
            }
        }
        int status;
        if (waitpid(child, &status, 0) < 0) { perror("waitpid"); return 2; }
        if (WIFEXITED(status)) printf("exited status=%d\n", WEXITSTATUS(status));
        else if (WIFSIGNALED(status)) printf("signaled signal=%d\n", WTERMSIG(status));
        return 0;
    }
    """#
}
