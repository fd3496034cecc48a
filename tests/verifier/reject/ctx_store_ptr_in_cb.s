# type: sched_cls
# expect: reject leaks a ctx pointer into the context
# kernel: skip root may store pointers anywhere (allow_ptr_leaks): the kernel accepts it as root
# The context pointer stored into cb[0].
*(u32 *)(r1 + 48) = r1
r0 = 0
exit
