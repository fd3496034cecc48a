// expect: accept
// bpf_get_current_comm writes a 16-byte stack buffer, then it is hashed.
#include "../include/vt.h"

VT_HASH(by_comm, __u64, __u64, 64);

SEC("tracepoint/syscalls/sys_enter_nanosleep")
int helper_comm(void *ctx)
{
	char comm[16];
	__u64 key, one = 1;

	bpf_get_current_comm(comm, sizeof(comm));
	key = *(__u64 *)comm ^ *(__u64 *)(comm + 8);
	bpf_map_update_elem(&by_comm, &key, &one, BPF_ANY);
	return 0;
}
