# type: tracepoint
# expect: reject bpf_get_current_comm (helper 16) argument
# bpf_get_current_comm writing 24 bytes at fp-16.
r1 = r10
r1 += -16
r2 = 24
call 16
r0 = 0
exit
