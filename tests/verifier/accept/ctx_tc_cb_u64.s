# type: sched_cls
# expect: accept
# cb[0..1] read as one aligned 8-byte load.
r0 = *(u64 *)(r1 + 48)
r0 = 0
exit
