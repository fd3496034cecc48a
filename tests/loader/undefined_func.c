/* A call of a function defined in another file: BPF objects are not linked with others. */
#include "loader.h"

int defined_elsewhere(int x);

SEC("xdp") int caller(struct xdp_md *ctx)
{
	return defined_elsewhere(ctx->data);
}

char LICENSE[] SEC("license") = "GPL";

// GCC: yes
// NOBTF: yes
// ERROR: program 'caller' in section 'xdp':
// ERROR: calls undefined function 'defined_elsewhere' (insn
// ERROR: a BPF object must define every function it calls
