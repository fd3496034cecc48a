# type: socket_filter
# expect: reject unreachable instruction
# Code after the exit that no jump reaches.
r0 = 0
exit
r0 = 1
exit
