# type: socket_filter
# expect: reject is outside the program
# A jump before the first instruction.
r0 = 0
goto -3
exit
