# type: socket_filter
# expect: reject stack read off=-4 size=4 of uninitialised bytes
# kernel: skip root may read uninitialised stack (allow_uninit_stack)
# Three of four bytes written; the u32 load needs the fourth.
*(u8 *)(r10 - 4) = 1
*(u8 *)(r10 - 3) = 1
*(u8 *)(r10 - 1) = 1
r0 = *(u32 *)(r10 - 4)
exit
