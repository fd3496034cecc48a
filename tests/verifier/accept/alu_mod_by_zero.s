# type: socket_filter
# expect: accept
# Modulo by 0 leaves the dividend: 1 % 0 = 1.
r0 = 1
r2 = 0
r0 %= r2
exit
