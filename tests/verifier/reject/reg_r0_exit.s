# type: socket_filter
# expect: reject r0 is not initialised at exit
# A program that exits at once.
exit
