# type: socket_filter
# expect: reject r3 is not initialised
# r3 set on one path, read after the join.
r2 = *(u32 *)(r1 + 0)
if r2 == 0 goto join
r3 = 1
join:
r0 = r3
exit
