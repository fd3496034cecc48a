# type: xdp
# expect: accept
# r6-r9 of the caller survive a bpf-to-bpf call.
r6 = r1
call f
r0 = *(u32 *)(r6 + 12)
r0 = 2
exit
f:
r6 = 0
r0 = 0
exit
