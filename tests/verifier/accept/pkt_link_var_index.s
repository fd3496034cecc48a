# type: xdp
# expect: accept
# kernel: skip the kernel resets the range when the variable is added again (it refuses this)
# The check of data + x + 8 (r8) is linked to x (r7): data + x, computed afresh, has 8 bytes.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 1
if r4 > r3 goto out
r7 = *(u8 *)(r2 + 0)
r7 &= 63
r8 = r2
r8 += r7
r8 += 8
if r8 > r3 goto out
r2 += r7
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
