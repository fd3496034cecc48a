/*
 * bench_prog.h - what every benchmark program includes. One source gives
 * three functions:
 *
 *   NAME(mem, len)       clang -target bpf: run by nyuki (r1 = mem, r2 = len)
 *   NAME_xdp(ctx)        clang -target bpf, section "xdp": the same body over
 *                        the XDP packet, for the kernel's JIT (BPF_PROG_TEST_RUN)
 *   native_NAME(mem, len)  clang -O2 for the host: the native twin
 *
 * A body sees `data` and `end` (one past its last byte) and returns a u64.
 * It must pass the kernel's verifier: every access is checked against
 * `end` (CHECK), loops have constant bounds. The checks cost the same in
 * all three, since all three run the same source.
 */
#ifndef NYUKI_BENCH_PROG_H
#define NYUKI_BENCH_PROG_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int s32;
typedef signed long long s64;

#define ALWAYS_INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))

/* Leave the body with `ret` unless [p, p + n) lies inside the data. */
#define CHECK(p, n, ret)                                    \
	do {                                                \
		if ((const u8 *)(p) + (n) > end)            \
			return (ret);                       \
	} while (0)

#if defined(__bpf__)
struct xdp_md {
	u32 data;
	u32 data_end;
	u32 data_meta;
	u32 ingress_ifindex;
	u32 rx_queue_index;
	u32 egress_ifindex;
};

#define BENCH(name)                                                                          \
	static ALWAYS_INLINE u64 name##_body(const u8 *data, const u8 *end);                 \
	__attribute__((section("nyuki"), used)) u64 name(u8 *mem, u64 len)                   \
	{                                                                                    \
		return name##_body(mem, mem + len);                                          \
	}                                                                                    \
	__attribute__((section("xdp"), used)) int name##_xdp(struct xdp_md *ctx)            \
	{                                                                                    \
		return (int)name##_body((const u8 *)(long)ctx->data, (const u8 *)(long)ctx->data_end); \
	}                                                                                    \
	static ALWAYS_INLINE u64 name##_body(const u8 *data, const u8 *end)

char _license[] __attribute__((section("license"), used)) = "GPL";
#else
#define BENCH(name)                                                                          \
	static ALWAYS_INLINE u64 name##_body(const u8 *data, const u8 *end);                 \
	u64 native_##name(u8 *mem, u64 len);                                                 \
	u64 native_##name(u8 *mem, u64 len)                                                  \
	{                                                                                    \
		return name##_body(mem, mem + len);                                          \
	}                                                                                    \
	static ALWAYS_INLINE u64 name##_body(const u8 *data, const u8 *end)
#endif

static ALWAYS_INLINE u32 load32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

#endif
