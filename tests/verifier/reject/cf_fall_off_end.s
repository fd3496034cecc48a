# type: socket_filter
# expect: reject falls through off the end of the program
# The last instruction is not an exit or jump.
r0 = 0
exit
r0 = 1
