# type: socket_filter
# expect: reject may not terminate
# A loop whose counter is reset every turn.
r0 = 0
head:
r2 = 0
r2 += 1
if r2 < 10 goto head
exit
