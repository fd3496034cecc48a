/*
 * core_target.c - the target BTF of the CO-RE tests (built with
 * -DTARGET_LAYOUT): its .BTF plays the running kernel's vmlinux.
 */
#include "core_types.h"

struct core_task *target_task;
enum core_state target_state;
