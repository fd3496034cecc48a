# type: xdp
# expect: reject packet access off=[0,7] size=1 is beyond the checked range [0,0)
# r7 learns that data + r7 + 8 is within the packet (linked to the checked r8), but
# bpf_xdp_adjust_head moves the packet: the fact is gone with it.
r6 = r1
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 16
if r4 > r3 goto out
r7 = *(u8 *)(r2 + 0)
r7 &= 7
r8 = r2
r8 += r7
r8 += 8
if r8 > r3 goto out
r1 = r6
r2 = 8
call 44
r2 = *(u32 *)(r6 + 0)
r2 += r7
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
