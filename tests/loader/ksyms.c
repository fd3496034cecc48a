/* .ksyms externs: kernel variables and kfuncs cannot be resolved in user space; weak ones become 0. */
#include "loader.h"

extern const int bpf_prog_active __ksym __weak;
extern int bpf_nyuki_kfunc(int x) __ksym __weak;

SEC("xdp") int ksym(struct xdp_md *ctx)
{
	if (&bpf_prog_active)
		return 1;
	if (bpf_nyuki_kfunc)
		return bpf_nyuki_kfunc(2);
	return 7;
}

char LICENSE[] SEC("license") = "GPL";

// MCPU: v2 v3
// CHECK: loaded
// CHECK: core-failure ksym insn
// CHECK: weak kfunc 'bpf_nyuki_kfunc' is not available in user space
// RUN-ARGS: --run ksym
// RUN-CHECK: run ksym retval=7
