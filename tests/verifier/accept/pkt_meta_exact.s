# type: xdp
# expect: accept
# data_meta + 8 <= data proves 8 bytes: an 8-byte metadata load.
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 0)
r4 = r2
r4 += 8
if r4 > r3 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
