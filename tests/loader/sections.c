/*
 * Section names no table knows ("2/7", "tail-3") load without a type
 * unless the caller gives one; several programs in a section, static
 * programs, and lookups by function or (unique) section name.
 */
#include "loader.h"

SEC("2/7") int numbered(void *ctx) { return 27; }
SEC("tail-3") int dashed(void *ctx) { return 3; }
SEC("xdp") int one(struct xdp_md *ctx) { return 1; }
SEC("xdp") int two(struct xdp_md *ctx) { return 2; }
static __attribute__((section("xdp"), used, noinline)) int hidden(struct xdp_md *ctx) { return 4; }
SEC("kprobe/do_sys_open") int probe(void *ctx) { return 0; }
SEC("tracepoint/syscalls/sys_enter_write") int tp(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";

// GCC: yes
// NOBTF: yes
// ARGS: --type dashed=xdp
// CHECK: program numbered section=2/7 type=none
// CHECK: program dashed section=tail-3 type=xdp
// CHECK: program one section=xdp type=xdp
// CHECK: program two section=xdp type=xdp
// CHECK: program hidden section=xdp type=xdp
// CHECK: program probe section=kprobe/do_sys_open type=kprobe
// CHECK: program tp section=tracepoint/syscalls/sys_enter_write type=tracepoint
// CHECK: not-runnable numbered: program 'numbered' in section '2/7' has no known type; give one (type TYPE)
// CHECK-NOT: not-runnable dashed
// RUN-ARGS: --run 2/7 --run tail-3 --run hidden --run kprobe/do_sys_open
// RUN-CHECK: run 2/7 retval=27
// RUN-CHECK: run tail-3 retval=3
// RUN-CHECK: run hidden retval=4
