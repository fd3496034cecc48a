# type: socket_filter
# expect: accept
# The helper's return value is a scalar in r0.
call 7
exit
