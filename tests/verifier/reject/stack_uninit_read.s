# type: socket_filter
# expect: reject stack read off=-8 size=8 of uninitialised bytes
# kernel: skip root may read uninitialised stack (allow_uninit_stack)
# Nothing was written at fp-8.
r0 = *(u64 *)(r10 - 8)
exit
