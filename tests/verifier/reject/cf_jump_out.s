# type: socket_filter
# expect: reject is outside the program
# A jump past the last instruction.
r0 = 0
if r0 == 0 goto +5
exit
