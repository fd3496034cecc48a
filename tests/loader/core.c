/*
 * CO-RE against a target BTF whose struct has another layout: field
 * offsets move, a missing field's existence is 0 and reading it poisons
 * the instruction (listed as a failure; the load succeeds), type sizes and
 * enum values come from the target.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct nyk_task {
	int pad;
	int pid;
	long long start;
	int gone;
} __attribute__((preserve_access_index));

enum nyk_state { NYK_SLEEPING = 1, NYK_RUNNING = 2 };

SEC("kprobe/nyk_task") int core(struct nyk_task *t)
{
	int r = t->pid; /* pid-read */

	if (bpf_core_field_exists(t->gone))
		r += 1000 + t->gone; /* gone-read */
	r += bpf_core_type_size(struct nyk_task) * 100;
	if (bpf_core_enum_value_exists(enum nyk_state, NYK_RUNNING))
		r += bpf_core_enum_value(enum nyk_state, NYK_RUNNING) * 10;
	if (bpf_core_enum_value_exists(enum nyk_state, NYK_SLEEPING))
		r += 1;
	return r;
}

char LICENSE[] SEC("license") = "GPL";

// MCPU: v3
// ARGS: --target-btf @OUT@/core_target.o
// CHECK: program core section=kprobe/nyk_task type=kprobe
// CHECK: r1 + 8)
// CHECK: core-failure core insn
// CHECK: gone
// CHECK-NOT: r1 + 4)
// pid 0 (the context is zero) + 16 * 100 + 5 * 10
// RUN-ARGS: --run core
// RUN-CHECK: run core retval=1650
