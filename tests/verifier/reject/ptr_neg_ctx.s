# type: socket_filter
# expect: reject of a ctx pointer is not allowed
# kernel: skip root may negate a pointer (allow_ptr_leaks turns it into an unknown scalar)
# The context pointer negated.
r1 = -r1
r0 = 0
exit
