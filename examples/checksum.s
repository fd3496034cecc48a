# The Internet checksum (RFC 1071) of the bytes in r1 (length r2),
# written in the conformance dialect. An IPv4 header with its checksum
# field zeroed gives the value that belongs in that field.
# Run it: make demo
	mov %r0, 0              # sum
	mov %r3, 0              # offset
loop:
	mov %r4, %r2
	sub %r4, 1
	jsge %r3, %r4, tail     # fewer than 2 bytes left (offset >= length - 1)
	mov %r5, %r1
	add %r5, %r3
	ldxh %r6, [%r5+0]
	be16 %r6                # network byte order
	add %r0, %r6
	add %r3, 2
	ja loop
tail:
	jge %r3, %r2, fold
	mov %r5, %r1
	add %r5, %r3
	ldxb %r6, [%r5+0]
	lsh %r6, 8
	add %r0, %r6
fold:                           # two folds carry any sum of up to 64 KiB into 16 bits
	mov %r4, %r0
	rsh %r4, 16
	and %r0, 0xffff
	add %r0, %r4
	mov %r4, %r0
	rsh %r4, 16
	and %r0, 0xffff
	add %r0, %r4
	xor %r0, 0xffff
	exit
