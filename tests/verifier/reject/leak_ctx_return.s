# type: socket_filter
# expect: reject r0 leaks a ctx pointer as the return value
# kernel: skip root may return pointers (allow_ptr_leaks): the kernel accepts it as root
# The context pointer returned.
r0 = r1
exit
