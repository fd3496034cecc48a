# type: xdp
# expect: reject reading part of a spilled pointer at off=-8
# A spilled context pointer read back with a 4-byte load.
*(u64 *)(r10 - 8) = r1
r0 = *(u32 *)(r10 - 8)
r0 = 2
exit
