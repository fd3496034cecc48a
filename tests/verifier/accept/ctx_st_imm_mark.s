# type: sched_cls
# expect: accept
# A store of an immediate (BPF_ST) into __sk_buff.mark (the kernel accepts it since 6.x).
*(u32 *)(r1 + 8) = 1
r0 = 0
exit
