// Network namespaces made apart from the clone: a session's steps all join the one its session holds, so a
// server started by one step is reachable over loopback from the next, and from no other session; and `brig
// run` has its one made while it reads its profile, instead of within the clone.
#ifndef BRIG_NETNS_H
#define BRIG_NETNS_H

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Creates a network namespace with only `lo`, up, owned by the initial user namespace (so nothing inside a
/// sandbox has CAP_NET_ADMIN over it). The work runs on a short-lived thread of its own, so no thread of the
/// caller ever changes namespace. Returns an fd on the namespace (O_CLOEXEC) or -errno.
int brig_netns_create(void);

/// brig_netns_create in two halves, for a caller with other work to do meanwhile: start makes the thread
/// (0 or -errno; on failure there is nothing to finish), finish waits for it and returns what
/// brig_netns_create would have. `pending` must stay where it is until finish returns.
struct brig_netns_pending {
    pthread_t thread;
    int result;
};
int brig_netns_create_start(struct brig_netns_pending *pending);
int brig_netns_create_finish(struct brig_netns_pending *pending);

/// An fd on the calling thread's network namespace (O_CLOEXEC), or -errno.
int brig_netns_current(void);

/// setns(fd, CLONE_NEWNET) for the calling thread only. Returns 0 or -errno.
int brig_netns_enter(int fd);

#ifdef __cplusplus
}
#endif

#endif
