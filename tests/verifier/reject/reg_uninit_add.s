# type: socket_filter
# expect: reject r3 is not initialised
# An ALU source never set.
r0 = 1
r0 += r3
exit
