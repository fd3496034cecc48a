# type: socket_filter
# expect: reject multiplication of a ctx pointer is not allowed
# The context pointer multiplied.
r1 *= 2
r0 = 0
exit
