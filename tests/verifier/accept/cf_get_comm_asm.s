# type: tracepoint
# expect: accept
# bpf_get_current_comm into 16 bytes at fp-16.
r1 = r10
r1 += -16
r2 = 16
call 16
r0 = *(u64 *)(r10 - 16)
r0 = 0
exit
