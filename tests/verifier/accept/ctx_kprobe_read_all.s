# type: kprobe
# expect: accept
# Every 8-byte slot of pt_regs (21 of them) may be read by a kprobe.
r0 = *(u64 *)(r1 + 0)
r2 = *(u64 *)(r1 + 80)
r3 = *(u64 *)(r1 + 112)
r4 = *(u64 *)(r1 + 128)
r5 = *(u64 *)(r1 + 160)
r0 = 0
exit
