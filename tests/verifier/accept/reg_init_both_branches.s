# type: socket_filter
# expect: accept
# r3 initialised on both paths, read after the join.
r2 = *(u32 *)(r1 + 0)
if r2 == 0 goto zero
r3 = 1
goto join
zero:
r3 = 2
join:
r0 = r3
exit
