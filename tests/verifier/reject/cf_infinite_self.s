# type: socket_filter
# expect: reject may not terminate
# A jump to itself.
r0 = 0
l:
goto l
