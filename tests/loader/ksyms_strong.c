/* A kfunc that is not weak: refused at load, by name. */
#include "loader.h"

extern int bpf_nyuki_kfunc(int x) __ksym;

SEC("xdp") int ksym(struct xdp_md *ctx)
{
	return bpf_nyuki_kfunc(2);
}

char LICENSE[] SEC("license") = "GPL";

// ERROR: calls kernel function 'bpf_nyuki_kfunc' (a .ksyms kfunc, insn
// ERROR: which user space cannot resolve
