# type: socket_filter
# expect: accept
# A counting loop in assembly: r2 from 0 to 1000 by 1.
r0 = 0
r2 = 0
head:
r0 += r2
r2 += 1
if r2 < 1000 goto head
exit
