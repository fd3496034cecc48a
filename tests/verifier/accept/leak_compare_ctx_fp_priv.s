# type: socket_filter
# expect: accept
# flags: privileged
# Privileged: pointer comparisons of different kinds are allowed.
r0 = 0
if r1 > r10 goto out
r0 = 1
out:
exit
