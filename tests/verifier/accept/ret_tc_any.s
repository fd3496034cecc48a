# type: sched_cls
# expect: accept
# tc returns any value (TC_ACT_* and unknown values).
r0 = *(u32 *)(r1 + 0)
exit
