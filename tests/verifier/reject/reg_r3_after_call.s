# type: socket_filter
# expect: reject r3 is not initialised
# r3 after bpf_get_prandom_u32.
r3 = 4
call 7
r0 += r3
exit
