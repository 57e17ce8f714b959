// Network namespaces that outlive one sandbox: a session's steps all join the one its session holds, so a
// server started by one step is reachable over loopback from the next, and from no other session.
#ifndef BRIG_NETNS_H
#define BRIG_NETNS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Creates a network namespace with only `lo`, up, owned by the initial user namespace (so nothing inside a
/// sandbox has CAP_NET_ADMIN over it). The work runs on a short-lived thread of its own, so no thread of the
/// caller ever changes namespace. Returns an fd on the namespace (O_CLOEXEC) or -errno.
int brig_netns_create(void);

/// An fd on the calling thread's network namespace (O_CLOEXEC), or -errno.
int brig_netns_current(void);

/// setns(fd, CLONE_NEWNET) for the calling thread only. Returns 0 or -errno.
int brig_netns_enter(int fd);

#ifdef __cplusplus
}
#endif

#endif
