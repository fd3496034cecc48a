# type: xdp
# expect: accept
# flags: privileged
# A privileged store at a variable stack offset (fp-64 + 8 * (ifindex & 7)) makes every byte it may
# write readable, as the kernel's allow_uninit_stack does.
r2 = *(u32 *)(r1 + 12)
r2 &= 7
r2 <<= 3
r3 = r10
r3 += -64
r3 += r2
r4 = 0
*(u64 *)(r3 + 0) = r4
r0 = *(u64 *)(r10 - 64)
r0 = *(u64 *)(r10 - 8)
r0 = 2
exit
