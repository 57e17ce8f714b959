// The launch zygote: a small single-threaded fork of the daemon that clones the sandboxes' inits for it.
//
// A clone copies the caller's page tables, write-protects its private pages and, when the caller has other
// threads running, shoots their TLB entries down on every CPU; for as long as the init lives, each page the
// daemon writes next faults and is copied. From the zygote (one thread, little memory) none of that happens.
// Its clones take CLONE_PARENT, so each init is the daemon's own child, waited for as before.
//
// A plan's pointers lead into its memory block; the block lies in an arena mapped before the zygote's fork,
// so the same address is valid in both processes: the daemon sends the block's bytes and the zygote puts
// them at that address in its own copy. The plan's fds travel as SCM_RIGHTS; the launch's come back so.
#ifndef BRIG_ZYGOTE_H
#define BRIG_ZYGOTE_H

#include <stddef.h>
#include <sys/types.h>

#include "brig_launch.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The zygote's process name (comm), by which its CPU time can be found and counted with its parent's.
#define BRIG_ZYGOTE_NAME "brig-zygote"

/// How many bytes a plan's block holds at most.
enum { BRIG_ZYGOTE_BLOCK_SIZE = 64 << 10 };

/// Forks the zygote. `arena` (`arena_size` bytes, mapped before this call) is where plans' blocks lie. The calling thread is the parent of every init the zygote clones
/// (their PR_SET_PDEATHSIG follows it): it must outlive them. Returns the daemon's end of the zygote's socket
/// (O_CLOEXEC) and stores the zygote's pid, or -errno.
int brig_zygote_start(void *arena, size_t arena_size, pid_t *pid);

/// `brig_launch_start` done by the zygote on `socket_fd`: `plan`'s pointers lead into `block`, of which the
/// first `length` bytes are used. Not for concurrent use on one socket. Returns 0, or -errno: of the launch,
/// or of the exchange with the zygote (-EPIPE, -ECONNRESET, -EPROTO: it is gone or out of step).
int brig_zygote_launch(int socket_fd, const struct brig_launch_plan *plan, const void *block, size_t length,
                       struct brig_launch *out);

#ifdef __cplusplus
}
#endif

#endif
