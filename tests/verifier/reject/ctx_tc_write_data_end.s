# type: sched_cls
# expect: reject field data_end is read-only
# A pointer field written.
r2 = 0
*(u32 *)(r1 + 80) = r2
r0 = 0
exit
