# type: xdp
# expect: reject of uninitialised bytes
# flags: privileged
# kernel: skip root may read uninitialised stack (allow_uninit_stack)
# A variable offset reaching fp-16, of which only fp-8 is initialised.
r2 = *(u32 *)(r1 + 12)
r2 &= 8
r3 = r10
r3 += -16
r3 += r2
r4 = 0
*(u64 *)(r10 - 8) = r4
r0 = *(u64 *)(r3 + 0)
r0 = 2
exit
