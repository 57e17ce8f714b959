// Inside CSandbox only: the launch with extra clone flags, for the zygote (CLONE_PARENT).
#ifndef BRIG_LAUNCH_WITH_H
#define BRIG_LAUNCH_WITH_H

#include "brig_launch.h"

int brig_launch_start_with(const struct brig_launch_plan *plan, struct brig_launch *out, uint64_t extra_flags);

#endif
