# type: tracepoint
# expect: reject r1 is not initialised
# bpf_get_current_comm (16) with r1 never set (it was clobbered by a previous call).
call 5
r2 = 16
call 16
r0 = 0
exit
