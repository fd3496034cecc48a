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

/*
 * Programs that look up maps: BENCH_MAPS(name) gives NAME_xdp only (section
 * "xdp"), which bench_jit runs through the object loader
 * (nyk_program_test_run: maps, helpers) and the kernel's JIT, and the native
 * twin native_NAME. Declare maps with MAP_ARRAY(name, entries) and
 * MAP_HASH(name, entries) (u32 keys, u64 values; legacy "maps" section, no
 * BTF needed) and look up with LOOKUP(map, key), a u64 * or NULL. Natively
 * the maps are plain C tables of the same shape (an array; an open
 * addressing hash table), looked up by an out-of-line function as the
 * helper is called. Every executor's maps hold the same elements:
 * array maps every index, hash maps the keys 7 * j for j < entries / 2,
 * each with the value MAP_VALUE(key) (bench_jit fills nyuki's and the
 * kernel's maps; the native twin fills its own on first use).
 */
#define MAP_TYPE_HASH 1
#define MAP_TYPE_ARRAY 2
#define MAP_HASH_KEY(j) ((u32)(j) * 7u)
#define MAP_VALUE(key) ((u64)(key) * 0x9e3779b97f4a7c15ull ^ 0x5bd1e995ull)

#if defined(__bpf__)
struct bench_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

#define MAP_ARRAY(name, entries) \
	__attribute__((section("maps"), used)) struct bench_map_def name = { MAP_TYPE_ARRAY, 4, 8, entries, 0 };
#define MAP_HASH(name, entries) \
	__attribute__((section("maps"), used)) struct bench_map_def name = { MAP_TYPE_HASH, 4, 8, entries, 0 };

static void *(*const bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
#define LOOKUP(map, key) ((u64 *)bpf_map_lookup_elem(&(map), &(key)))

#define BENCH_MAPS(name)                                                                     \
	static ALWAYS_INLINE u64 name##_body(const u8 *data, const u8 *end);                 \
	__attribute__((section("xdp"), used)) int name##_xdp(struct xdp_md *ctx)            \
	{                                                                                    \
		return (int)name##_body((const u8 *)(long)ctx->data, (const u8 *)(long)ctx->data_end); \
	}                                                                                    \
	static ALWAYS_INLINE u64 name##_body(const u8 *data, const u8 *end)
#else
struct native_map {
	u32 type, entries, filled;
	u32 *keys;     /* hash: 2 * entries slots */
	u64 *values;   /* array: entries; hash: 2 * entries slots */
	u8 *used;
};

#define MAP_ARRAY(name, entries)                                                             \
	static u64 name##_values[entries];                                                   \
	static struct native_map name = { MAP_TYPE_ARRAY, entries, 0, 0, name##_values, 0 };
#define MAP_HASH(name, entries)                                                              \
	static u32 name##_keys[2 * (entries)];                                               \
	static u64 name##_values[2 * (entries)];                                             \
	static u8 name##_used[2 * (entries)];                                                \
	static struct native_map name = { MAP_TYPE_HASH, entries, 0, name##_keys, name##_values, name##_used };

static inline u32 native_slot(const struct native_map *m, u32 key)
{
	return (u32)(((u64)(key * 2654435761u) * (2 * m->entries)) >> 32);
}

static __attribute__((unused)) void native_fill(struct native_map *m)
{
	if (m->type == MAP_TYPE_ARRAY) {
		for (u32 k = 0; k < m->entries; k++)
			m->values[k] = MAP_VALUE(k);
	} else {
		for (u32 j = 0; j < m->entries / 2; j++) {
			u32 key = MAP_HASH_KEY(j), at = native_slot(m, key);
			while (m->used[at])
				at = at + 1 == 2 * m->entries ? 0 : at + 1;
			m->used[at] = 1;
			m->keys[at] = key;
			m->values[at] = MAP_VALUE(key);
		}
	}
	m->filled = 1;
}

static NOINLINE __attribute__((unused)) u64 *native_lookup(struct native_map *m, u32 key)
{
	u32 at;

	if (m->type == MAP_TYPE_ARRAY)
		return key < m->entries ? &m->values[key] : 0;
	for (at = native_slot(m, key); m->used[at]; at = at + 1 == 2 * m->entries ? 0 : at + 1)
		if (m->keys[at] == key)
			return &m->values[at];
	return 0;
}

#define LOOKUP(map, key) native_lookup(&(map), (key))

/* The twin fills its maps on first use (outside what a run costs after that). */
#define BENCH_MAPS_FILL(...)                                                                 \
	do {                                                                                 \
		struct native_map *maps_[] = { __VA_ARGS__ };                                \
		for (unsigned m_ = 0; m_ < sizeof(maps_) / sizeof(maps_[0]); m_++)            \
			if (!maps_[m_]->filled)                                               \
				native_fill(maps_[m_]);                                       \
	} while (0)

#define BENCH_MAPS(name) BENCH(name)
#endif

#if defined(__bpf__)
#define BENCH_MAPS_FILL(...) do { } while (0)
#endif

static ALWAYS_INLINE u32 load32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

#endif
