# type: xdp
# expect: reject is beyond the checked range
# data_meta compared with data_end (not data) proves nothing for the metadata.
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
