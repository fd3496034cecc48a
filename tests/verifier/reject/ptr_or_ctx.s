# type: socket_filter
# expect: reject of a ctx pointer is not allowed
# The context pointer or-ed with 1.
r1 |= 1
r0 = 0
exit
