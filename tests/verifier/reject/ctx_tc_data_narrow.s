# type: sched_cls
# expect: reject context access off=76 size=2
# __sk_buff.data must be read whole.
r0 = *(u16 *)(r1 + 76)
r0 = 0
exit
