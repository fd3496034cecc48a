# type: xdp
# expect: reject is beyond the checked range
# Found by verify-sound's packet programs: narrowing dropped the entry of a block an earlier checking pass had marked to run again, and the verifier crashed on it; the read at r5 + 4 lies past what the check of r5 proved.
r6 = r1
r2 = *(u32 *)(r6 + 0)
r3 = *(u32 *)(r6 + 4)
r5 = r2
r5 += 29
if r5 > r3 goto out
r9 = 8
H0:
r5 = r2
r5 += r9
r5 += 6
if r5 > r3 goto X0
r5 = *(u8 *)(r5 +4)
if r5 > 17 goto out
r9 += 3
if r9 < 38 goto H0
X0:
out:
exit
