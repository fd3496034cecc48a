# type: kprobe
# expect: accept
# kprobe return values are not checked.
r0 = 12345
exit
