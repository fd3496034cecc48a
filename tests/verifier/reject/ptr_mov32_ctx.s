# type: socket_filter
# expect: reject 32-bit move of a ctx pointer is not allowed
# kernel: skip root may copy the low half of a pointer (allow_ptr_leaks)
# The low 32 bits of the context pointer copied.
w2 = w1
r0 = r2
exit
