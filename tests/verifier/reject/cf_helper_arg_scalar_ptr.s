# type: tracepoint
# expect: reject bpf_get_current_comm (helper 16) argument 1
# bpf_get_current_comm given a scalar instead of a buffer.
r1 = 0
r2 = 16
call 16
r0 = 0
exit
