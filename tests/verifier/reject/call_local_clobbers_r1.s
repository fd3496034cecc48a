# type: xdp
# expect: reject r1 is not initialised
# r1-r5 are clobbered by a bpf-to-bpf call too.
r6 = r1
call f
r0 = *(u32 *)(r1 + 12)
r0 = 2
exit
f:
r0 = 0
exit
