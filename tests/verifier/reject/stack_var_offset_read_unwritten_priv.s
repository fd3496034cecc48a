# type: xdp
# expect: reject stack read off=[-64,-8] size=8 of uninitialised bytes
# flags: privileged
# kernel: skip the kernel lets root read uninitialised stack (allow_uninit_stack); nyuki refuses reads of bytes never written
# Privileged, a variable-offset read of bytes no store wrote is still refused.
r2 = *(u32 *)(r1 + 12)
r2 &= 7
r2 <<= 3
r3 = r10
r3 += -64
r3 += r2
r0 = *(u64 *)(r3 + 0)
r0 = 2
exit
