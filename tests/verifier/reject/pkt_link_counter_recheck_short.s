# type: xdp
# expect: reject size=1 is beyond the checked range [0,0)
# As accept/pkt_link_counter_recheck.s, but the check covers data + i only (r5 += 1): no byte from it.
r2 = *(u32 *)(r1 + 4)
r1 = *(u32 *)(r1 + 0)
r3 = r1
r3 += 1
if r3 > r2 goto out
r4 = 0
r0 = 0
loop:
r5 = r1
r5 += r4
r6 = *(u8 *)(r5 + 0)
r0 += r6
r4 += 1
if r4 > 15 goto out
r5 += 1
if r5 > r2 goto out
goto loop
out:
r0 = 2
exit
