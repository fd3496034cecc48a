# type: socket_filter
# expect: reject r7 is not initialised
# A comparison with a never-set register.
r0 = 0
if r7 > 3 goto out
r0 = 1
out:
exit
