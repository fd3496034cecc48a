# type: sched_cls
# expect: accept
# A byte of __sk_buff.hash other than the first (narrow load at off 71).
r0 = *(u8 *)(r1 + 71)
r0 = 0
exit
