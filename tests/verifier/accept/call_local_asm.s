# type: socket_filter
# expect: accept
# A bpf-to-bpf call in assembly: the callee gets r1-r5, r6-r9 survive.
r6 = 5
r1 = 7
r2 = 3
call add
r0 += r6
exit
add:
r0 = r1
r0 += r2
exit
