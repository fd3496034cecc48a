# layout.awk - turn `nyuki btf dump` raw output into C assertions of the
# sizes of named structs and unions and of their members' offsets, to
# append to the `format c` output of the same BTF: compiling the result
# checks that the C declarations lay everything out as the BTF says.
# Names that occur more than once are left out (the C output renames
# them ___2, ...), as are bitfields and names listed in the variable
# `skip` (comma-separated: types whose C spelling cannot keep the size,
# such as va_list members).
# Usage: awk -v skip=a,b -f layout.awk dump.txt dump.txt
BEGIN { n = split(skip, s, ","); for (i = 1; i <= n; i++) skipped[s[i]] = 1 }
NR == FNR {
	if ($0 ~ /^\[[0-9]+\] (STRUCT|UNION|ENUM|ENUM64|FWD|TYPEDEF) /) {
		n = $3; gsub(/'/, "", n); seen[n]++
	}
	next
}
/^\[[0-9]+\] / {
	ok = 0
	if ($2 == "STRUCT" || $2 == "UNION") {
		name = $3; gsub(/'/, "", name)
		if (name != "(anon)" && seen[name] == 1 && !(name in skipped)) {
			ok = 1; kind = tolower($2); size = $4; sub(/size=/, "", size)
			printf "_Static_assert(sizeof(%s %s) == %s, \"sizeof %s\");\n", kind, name, size, name
		}
	}
	next
}
ok && /^\t'/ {
	m = $1; gsub(/'/, "", m)
	if (m == "(anon)" || $0 ~ /bitfield_size/) next
	off = $3; sub(/bits_offset=/, "", off)
	if (off % 8) next
	printf "_Static_assert(__builtin_offsetof(%s %s, %s) == %d, \"%s.%s\");\n", kind, name, m, off / 8, name, m
}
