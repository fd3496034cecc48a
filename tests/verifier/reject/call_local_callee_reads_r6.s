# type: socket_filter
# expect: reject r6 is not initialised
# r6 of the caller is not visible in the callee (each frame has its own r6-r9).
r6 = 1
call f
exit
f:
r0 = r6
exit
