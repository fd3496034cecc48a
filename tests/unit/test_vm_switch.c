/*
 * test_vm_switch.c - the execution loop instantiated with switch dispatch
 * (NYK_NO_COMPUTED_GOTO), so every test also runs the portable flavour.
 */
#define NYK_NO_COMPUTED_GOTO 1

#include "vm/interp_ops.h"
#include "vm/vm_internal.h"
#include "test_vm.h"

_Static_assert(!VM_COMPUTED_GOTO, "this file tests the switch dispatch");

#define INTERP_NAME tv_switch_fast
#define INTERP_CHECKED 0
#define INTERP_SLOW 0
#include "vm/interp_loop.h"
#undef INTERP_NAME
#undef INTERP_CHECKED
#undef INTERP_SLOW

#define INTERP_NAME tv_switch_checked
#define INTERP_CHECKED 1
#define INTERP_SLOW 0
#include "vm/interp_loop.h"
#undef INTERP_NAME
#undef INTERP_CHECKED
#undef INTERP_SLOW

#define INTERP_NAME tv_switch_slow
#define INTERP_CHECKED (run->checked)
#define INTERP_SLOW 1
#include "vm/interp_loop.h"
#undef INTERP_NAME
#undef INTERP_CHECKED
#undef INTERP_SLOW
