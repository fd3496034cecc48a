# type: xdp
# expect: accept
# xdp_md.rx_queue_index with a 4-byte load.
r0 = *(u32 *)(r1 + 16)
r0 &= 3
exit
