#include "executor_hook.h"
#include <stddef.h>

// Defined by the Swift runtime's concurrency library: a function the runtime calls, when set,
// with each job bound for the global executor (and the original enqueue function).
extern void *swift_task_enqueueGlobal_hook;

bool sesame_install_enqueue_global_hook(void *hook) {
    void *expected = NULL;
    return __atomic_compare_exchange_n(&swift_task_enqueueGlobal_hook, &expected, hook, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

bool sesame_enqueue_global_hook_is_set(void) {
    return __atomic_load_n(&swift_task_enqueueGlobal_hook, __ATOMIC_SEQ_CST) != NULL;
}
