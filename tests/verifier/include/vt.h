/*
 * vt.h - shared definitions for the verifier corpus (tests/verifier/{accept,reject}/ *.c).
 * Each corpus program includes it as "../include/vt.h", so no -I flag is needed.
 */
#ifndef VT_H
#define VT_H

#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

/* Map definitions in the BTF style libbpf reads. */
#define VT_MAP(name, kind, K, V, n)                                                                \
	struct {                                                                                   \
		__uint(type, kind);                                                                \
		__uint(max_entries, n);                                                            \
		__type(key, K);                                                                    \
		__type(value, V);                                                                  \
	} name SEC(".maps")
#define VT_ARRAY(name, V, n) VT_MAP(name, BPF_MAP_TYPE_ARRAY, __u32, V, n)
#define VT_HASH(name, K, V, n) VT_MAP(name, BPF_MAP_TYPE_HASH, K, V, n)
#define VT_RINGBUF(name, bytes)                                                                    \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                                                \
		__uint(max_entries, bytes);                                                        \
	} name SEC(".maps")
#define VT_PROG_ARRAY(name, n)                                                                     \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_PROG_ARRAY);                                             \
		__uint(max_entries, n);                                                            \
		__type(key, __u32);                                                                \
		__type(value, __u32);                                                              \
	} name SEC(".maps")

/* Keep the compiler from folding a value it can see (the verifier then has to track it). */
#define VT_OPAQUE(x) asm volatile("" : "+r"(x))

#define PKT_BEGIN(ctx) ((void *)(long)(ctx)->data)
#define PKT_END(ctx) ((void *)(long)(ctx)->data_end)

#endif
