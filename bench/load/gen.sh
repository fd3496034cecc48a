#!/bin/sh
# gen.sh FUNCS PROGS - print a BPF C program for the load benchmark: FUNCS
# subprograms that each read a global, look up a map and call the two
# before them, and PROGS programs that each call a few of them, so that
# linking appends a different set of subprograms to every program.
funcs=${1:-200}
progs=${2:-20}
cat <<'HEAD'
typedef unsigned int __u32;
typedef unsigned long long __u64;
#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
struct { __uint(type, 2); __uint(max_entries, 64); __type(key, __u32); __type(value, __u64); } table SEC(".maps");
volatile __u64 counter;
const volatile __u32 scale = 3;
HEAD
i=0
while [ "$i" -lt "$funcs" ]; do
	echo "__attribute__((noinline)) __u64 f$i(__u64 x)"
	echo "{"
	echo "	__u32 k = x & 63;"
	echo "	__u64 *v = bpf_map_lookup_elem(&table, &k);"
	echo "	x = x * scale + counter + $i;"
	echo "	if (v)"
	echo "		x += *v;"
	[ "$i" -ge 1 ] && echo "	if (x & 1) x += f$((i - 1))(x >> 1);"
	[ "$i" -ge 2 ] && echo "	if (x & 2) x ^= f$((i - 2))(x >> 2);"
	echo "	return x;"
	echo "}"
	i=$((i + 1))
done
p=0
while [ "$p" -lt "$progs" ]; do
	a=$(( (p * 7) % funcs )); b=$(( (p * 13 + 5) % funcs ))
	echo "SEC(\"xdp\") int prog$p(void *ctx) { counter++; return f$a(counter) + f$b($p); }"
	p=$((p + 1))
done
echo 'char LICENSE[] SEC("license") = "GPL";'
