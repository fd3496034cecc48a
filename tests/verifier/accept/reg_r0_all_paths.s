# type: socket_filter
# expect: accept
# r0 is set on both paths before exit.
r2 = *(u32 *)(r1 + 0)
if r2 > 100 goto big
r0 = 0
goto out
big:
r0 = -1
out:
exit
