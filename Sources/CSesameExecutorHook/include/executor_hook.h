#ifndef SESAME_EXECUTOR_HOOK_H
#define SESAME_EXECUTOR_HOOK_H

#include <stdbool.h>

/// Sets the Swift runtime's global-executor hook (`swift_task_enqueueGlobal_hook`) to `hook`,
/// if no hook is set yet; returns whether it was set. The hook is named directly, so the static
/// linker resolves it: NIO looks it up with dlsym, which cannot find it in a binary that links the
/// Swift runtime statically (swiftc's -static-stdlib makes the runtime's symbols local).
bool sesame_install_enqueue_global_hook(void *hook);

/// Whether a global-executor hook is set (by Sesame, NIO or anyone else).
bool sesame_enqueue_global_hook_is_set(void);

#endif
