# type: sched_cls
# expect: accept
# Narrow loads of __sk_buff.len: its low byte and half.
r2 = *(u8 *)(r1 + 0)
r3 = *(u16 *)(r1 + 0)
r0 = r2
r0 += r3
r0 = 0
exit
