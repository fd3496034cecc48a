# An XDP program that passes IPv4 packets and drops the rest: it reads the
# EtherType at bytes 12..13, after proving with data_end that they exist.
# nyuki prog verify examples/xdp_ethertype.s type xdp
	r2 = *(u32 *)(r1 + 0)      # data
	r3 = *(u32 *)(r1 + 4)      # data_end
	r0 = 1                     # XDP_DROP
	r4 = r2
	r4 += 14
	if r4 > r3 goto out        # fewer than 14 bytes: drop
	r5 = *(u16 *)(r2 + 12)     # the EtherType, in network order
	if r5 != 0x8 goto out      # not 0x0800 (IPv4) as a little-endian u16
	r0 = 2                     # XDP_PASS
out:
	exit
