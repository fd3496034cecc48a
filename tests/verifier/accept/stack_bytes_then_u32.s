# type: socket_filter
# expect: accept
# Four 1-byte stores initialise the 4 bytes a u32 load reads.
r2 = 1
*(u8 *)(r10 - 4) = r2
*(u8 *)(r10 - 3) = r2
*(u8 *)(r10 - 2) = r2
*(u8 *)(r10 - 1) = r2
r0 = *(u32 *)(r10 - 4)
exit
