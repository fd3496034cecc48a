# type: socket_filter
# expect: reject r0 leaks a ctx pointer as the return value
# kernel: skip root may return pointers (allow_ptr_leaks)
# ctx + 8 is still a pointer; returning it leaks the address.
r0 = r1
r0 += 8
exit
