/*
 * Calls of functions the object does not define: memcpy (what clang emits
 * for copies it does not inline; -fno-builtin forces it here) and a
 * function from another file.
 */
#include "loader.h"

void *memcpy(void *dst, const void *src, unsigned long n);

SEC("xdp") int copier(struct xdp_md *ctx)
{
	char a[64], b[64];
	a[0] = ctx->data;
	memcpy(b, a, ctx->data_end & 63); /* memcpy-call */
	return b[0];
}


char LICENSE[] SEC("license") = "GPL";

// CFLAGS: -fno-builtin
// GCC: yes
// NOBTF: yes
// CHECK: program copier section=xdp type=xdp
// ERROR: error: load:
// ERROR: program 'copier' in section 'xdp':
// ERROR: calls undefined function 'memcpy' (insn
// ERROR: BPF has no libc: use __builtin_memcpy with a constant size
// CLANG-CHECK: undefined.c:@LINE(memcpy-call)@: calls undefined
