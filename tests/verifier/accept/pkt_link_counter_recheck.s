# type: xdp
# expect: accept
# The loop checks data + i + 1 <= data_end through one pointer (r5, advanced by 2 after i += 1) and
# reads through a new one (data + i) at the next trip: the check is linked to i, which then knows
# that one byte from data + i is in the packet (switch_vm's loop).
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
r5 += 2
if r5 > r2 goto out
goto loop
out:
r0 = 2
exit
