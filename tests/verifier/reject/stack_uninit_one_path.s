# type: socket_filter
# expect: reject of uninitialised bytes
# kernel: skip root may read uninitialised stack (allow_uninit_stack)
# The slot is written on one path only.
r2 = *(u32 *)(r1 + 0)
if r2 == 0 goto skip
*(u64 *)(r10 - 8) = r2
skip:
r0 = *(u64 *)(r10 - 8)
exit
