# type: socket_filter
# expect: accept
# A signed countdown from 50 while r2 s> 0.
r0 = 0
r2 = 50
head:
r0 += 3
r2 += -1
if r2 s> 0 goto head
exit
