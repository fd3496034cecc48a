# Sections without function symbols are one program each, named after the
# section; a call inside such a section needs no relocation; a legacy map
# is found by its symbol.
	.section "socket1","ax",@progbits
	r1 = mymap ll
	r1 = 5
	call add_one
	exit
add_one:
	r0 = r1
	r0 += 1
	exit

	.section "2/7","ax",@progbits
	r0 = 27
	exit

	.section "maps","aw",@progbits
	.globl mymap
	.type mymap,@object
	.size mymap, 20
mymap:
	.long 2
	.long 4
	.long 4
	.long 1
	.long 0

	.section "license","aw",@progbits
	.asciz "GPL"

# CHECK: program socket1 section=socket1 type=socket_filter insns=8
# CHECK: program 2/7 section=2/7 type=none insns=2
# CHECK: map 0 mymap section=maps type=2 key=4 value=4 max=1
# CHECK: reloc socket1 insn 0: map mymap
# CHECK: not-runnable 2/7: program '2/7' in section '2/7' has no known type; give one (type TYPE)
# RUN-CHECK: run socket1 retval=6
# RUN-ARGS: --run socket1
