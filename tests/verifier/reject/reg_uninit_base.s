# type: socket_filter
# expect: reject r6 is not initialised
# Loading through a never-set register.
r0 = *(u64 *)(r6 + 0)
exit
