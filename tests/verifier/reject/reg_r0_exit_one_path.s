# type: socket_filter
# expect: reject r0 is not initialised at exit
# r0 set on one path only.
r2 = *(u32 *)(r1 + 0)
if r2 == 0 goto out
r0 = 1
out:
exit
