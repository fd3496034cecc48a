# type: sched_cls
# expect: accept
# A register store into __sk_buff.mark.
r2 = 1
*(u32 *)(r1 + 8) = r2
r0 = 0
exit
