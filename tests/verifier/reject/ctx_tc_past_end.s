# type: sched_cls
# expect: reject context access off=192 size=4
# __sk_buff is 192 bytes.
r0 = *(u32 *)(r1 + 192)
r0 = 0
exit
