#define _GNU_SOURCE
#include "brig_netns.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int brig_netns_current(void) {
    int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int brig_netns_enter(int fd) {
    return setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

static int loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct ifreq request;
    memset(&request, 0, sizeof request);
    memcpy(request.ifr_name, "lo", 3);
    int result = 0;
    if (ioctl(fd, SIOCGIFFLAGS, &request) < 0) {
        result = -errno;
    } else {
        request.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(fd, SIOCSIFFLAGS, &request) < 0) result = -errno;
    }
    close(fd);
    return result;
}

// unshare(CLONE_NEWNET) changes only the calling thread: this thread, which ends right after.
static void *create_on_thread(void *out) {
    int *result = out;
    if (unshare(CLONE_NEWNET) < 0) {
        *result = -errno;
        return NULL;
    }
    int up = loopback_up();
    if (up < 0) {
        *result = up;
        return NULL;
    }
    *result = brig_netns_current();
    return NULL;
}

int brig_netns_create_start(struct brig_netns_pending *pending) {
    pending->result = -EINVAL;
    int started = pthread_create(&pending->thread, NULL, create_on_thread, &pending->result);
    return started == 0 ? 0 : -started;
}

int brig_netns_create_finish(struct brig_netns_pending *pending) {
    pthread_join(pending->thread, NULL);
    return pending->result;
}

int brig_netns_create(void) {
    struct brig_netns_pending pending;
    int started = brig_netns_create_start(&pending);
    return started < 0 ? started : brig_netns_create_finish(&pending);
}
