# type: sched_cls
# expect: reject context
# An atomic add into __sk_buff.mark.
r2 = 1
lock *(u32 *)(r1 + 8) += r2
r0 = 0
exit
