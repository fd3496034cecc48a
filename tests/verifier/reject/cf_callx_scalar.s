# type: socket_filter
# expect: reject callx target r2 is not a known function
# callx through a plain number.
r2 = 16
callx r2
exit
