# type: socket_filter
# expect: reject of uninitialised bytes
# kernel: skip root may read uninitialised stack (allow_uninit_stack)
# An atomic add on a slot never written (it reads the old value).
r2 = 1
lock *(u64 *)(r10 - 8) += r2
r0 = 0
exit
