/* CO-RE against the object's own BTF: every relocation keeps its local value. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct nyk_task {
	int pad;
	int pid;
	long long start;
	int gone;
} __attribute__((preserve_access_index));

SEC("kprobe/nyk_task") int core(struct nyk_task *t)
{
	int r = t->pid;

	if (bpf_core_field_exists(t->gone))
		r += 1000 + t->gone;
	return r + bpf_core_type_size(struct nyk_task) * 100;
}

char LICENSE[] SEC("license") = "GPL";

// MCPU: v3
// ARGS: --target-btf @OBJ@
// CHECK: r1 + 4)
// CHECK: r1 + 16)
// CHECK-NOT: core-failure
// 0 + 1000 + 0 + 24 * 100
// RUN-ARGS: --run core
// RUN-CHECK: run core retval=3400
