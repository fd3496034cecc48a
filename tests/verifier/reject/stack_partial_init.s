# type: socket_filter
# expect: reject stack read off=-8 size=8 of uninitialised bytes
# kernel: skip root may read uninitialised stack (allow_uninit_stack)
# Only the upper 4 bytes of the slot were written.
r2 = 1
*(u32 *)(r10 - 4) = r2
r0 = *(u64 *)(r10 - 8)
exit
