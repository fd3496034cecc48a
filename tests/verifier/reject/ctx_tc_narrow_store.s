# type: sched_cls
# expect: reject context access off=8 size=1
# Stores to __sk_buff.mark must be 4 bytes.
r2 = 1
*(u8 *)(r1 + 8) = r2
r0 = 0
exit
