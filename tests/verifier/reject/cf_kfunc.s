# type: socket_filter
# expect: reject kfunc calls are not supported
# A kfunc call.
call kfunc 1234
r0 = 0
exit
