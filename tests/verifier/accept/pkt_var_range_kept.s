# type: xdp
# expect: accept
# kernel: skip the kernel resets the range to 0 when a variable is added (it refuses this); nyuki keeps 64 - 15
# Adding x in [0,15] to a pointer with 64 bytes checked leaves 49 bytes proven from the new pointer.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 64
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 15
r2 += r5
r0 = *(u8 *)(r2 + 0)
r0 = *(u8 *)(r2 + 48)
out:
r0 = 2
exit
