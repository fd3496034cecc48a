# type: socket_filter
# expect: reject comparison of ctx with fp is not allowed
# kernel: skip root may compare pointers of different kinds (allow_ptr_leaks)
# Comparing the context pointer with the frame pointer.
r0 = 0
if r1 > r10 goto out
r0 = 1
out:
exit
