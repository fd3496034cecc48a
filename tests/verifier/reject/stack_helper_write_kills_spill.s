# type: kprobe
# expect: reject is a scalar, not a pointer
# A spilled context pointer overwritten by bpf_probe_read_kernel (helper 113) into its slot.
r6 = r1
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 8
r3 = *(u64 *)(r6 + 0)
call 113
r7 = *(u64 *)(r10 - 8)
r0 = *(u64 *)(r7 + 0)
r0 = 0
exit
