# type: socket_filter
# expect: reject multiplication of a ctx pointer is not allowed
# flags: privileged
# Even privileged, multiplying a pointer is refused (the kernel does so as root).
r1 *= 2
r0 = 0
exit
