# type: socket_filter
# expect: reject r0 is not initialised
# The callee returns without setting r0.
call f
exit
f:
r1 = 1
exit
