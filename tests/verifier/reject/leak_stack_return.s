# type: socket_filter
# expect: reject r0 leaks a fp pointer as the return value
# kernel: skip root may return pointers (allow_ptr_leaks): the kernel accepts it as root
# A stack pointer returned.
r0 = r10
r0 += -8
exit
