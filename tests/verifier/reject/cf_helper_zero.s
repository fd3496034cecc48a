# type: socket_filter
# expect: reject unknown helper 0
# Helper id 0 (bpf_unspec) does not exist.
call 0
exit
