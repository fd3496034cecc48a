# type: socket_filter
# expect: reject unreachable instruction
# A block jumped over unconditionally.
r0 = 0
goto out
r0 = 1
out:
exit
