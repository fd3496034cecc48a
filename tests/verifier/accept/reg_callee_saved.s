# type: xdp
# expect: accept
# r6-r9 survive a helper call.
r6 = 7
r7 = r1
r8 = 1
r9 = 2
call 5
r0 = r6
r0 += r8
r0 += r9
r2 = *(u32 *)(r7 + 12)
r0 &= 3
exit
