# type: socket_filter
# expect: reject r2 is not initialised
# The callee reads r2, which the caller never set.
r1 = 1
call f
exit
f:
r0 = r1
r0 += r2
exit
