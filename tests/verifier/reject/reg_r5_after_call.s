# type: socket_filter
# expect: reject r5 is not initialised
# r5 set before a helper call is unreadable after it.
r5 = 1
call 5
r0 = r5
exit
