# type: socket_filter
# expect: reject unknown helper 9999
# No helper has id 9999.
call 9999
exit
