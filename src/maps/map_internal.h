/*
 * map_internal.h - what the map types share: the map object, the table of
 * operations each type fills in (struct map_ops), the memory block a map
 * lives in, and its lock.
 *
 * Every map, private or shared, lives in one block of memory: a header
 * (struct map_block_hdr, the definition) at offset 0, the type's own
 * header at MAP_TYPE_OFF, then the type's arrays. Everything inside the
 * block refers to the rest by index or offset, never by pointer, so a file
 * mapped at different addresses by several processes is one map. Private
 * maps get the block from calloc, shared maps from a file (storage.c).
 *
 * A type's ops:
 *   check   the kernel's checks of the definition (errors as it gives them)
 *   layout  sets map->type_size (its part of the block) and the map fields
 *           it derives from the definition; called for create and open
 *   init    fills a fresh, zeroed block (creator only)
 *   attach  sets the process-local pointers into the block
 *   release frees what attach or the type allocated (inner map references)
 * and the operations; a NULL operation is "not supported by this type".
 * Internal functions of this module start with map_.
 */
#ifndef NYUKI_MAP_INTERNAL_H
#define NYUKI_MAP_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nyuki/map.h"

#define MAP_MAGIC "NYKMAP\0\1"
#define MAP_LAYOUT_VERSION 1u
#define MAP_TYPE_OFF 512u        /* the type's header starts here */
#define MAP_CACHELINE 64u
#define MAP_PAGE_SIZE 4096u      /* ring buffer sizes are multiples of this */

/* Kernel limits the checks mirror. */
#define MAP_MAX_BPF_STACK 512u               /* keys built on the stack */
#define MAP_KMALLOC_MAX (4u << 20)           /* x86-64 KMALLOC_MAX_SIZE */
#define MAP_PCPU_MIN_UNIT 32768u             /* per-CPU value limit */

/* The kernel's BPF_F_ACCESS_MASK. */
#define MAP_F_ACCESS_MASK (NYK_F_RDONLY | NYK_F_WRONLY | NYK_F_RDONLY_PROG | NYK_F_WRONLY_PROG)

/* The start of every block (and of every shared map file). */
struct map_block_hdr {
	char magic[8];
	uint32_t version;
	uint32_t type_off;          /* MAP_TYPE_OFF */
	uint64_t block_size;
	uint32_t type, key_size, value_size, max_entries, map_flags, numa_node, pinning, nr_cpus;
	uint32_t has_spin_lock, spin_lock_off;
	uint64_t perf_buf_size;
	_Atomic uint32_t frozen;
	uint32_t reserved;
	char name[NYK_MAP_NAME_MAX];
};

_Static_assert(sizeof(struct map_block_hdr) <= MAP_TYPE_OFF, "the block header fits before the type's");

struct map_ops;

struct nyk_map {
	const struct map_ops *ops;
	struct nyk_map_def def;       /* .name -> name, .inner -> &inner_def */
	char name[NYK_MAP_NAME_MAX];
	struct nyk_map_def inner_def;
	char inner_name[NYK_MAP_NAME_MAX];
	unsigned nr_cpus;
	uint32_t id;
	_Atomic uint32_t refs;

	/* The block. */
	uint8_t *block;
	size_t block_size;
	struct map_block_hdr *hdr;
	void *tstate;                 /* the type's header: block + MAP_TYPE_OFF */
	size_t type_size;             /* bytes from MAP_TYPE_OFF (layout) */
	char *path;                   /* shared map file, or NULL */
	char *local_tmp;              /* its temporary name until published */
	int shared;
	size_t perf_buf_size;

	/* Derived by layout/attach; which ones a type uses is up to it. */
	size_t vstride;               /* round_up(value_size, 8): bytes per value copy */
	size_t vsize;                 /* bytes of one stored value (value_size, or 8 for map pointers) */
	uint8_t *values;              /* value area (a region) */
	size_t values_len;
	size_t cpu_stride;            /* bytes between the CPUs' copies of one value */
	uint8_t *elems;               /* hash elements, LPM nodes, queue slots */
	size_t elem_size;
	uint32_t nslots;
	_Atomic uint32_t *buckets;
	uint32_t bucket_mask;
	uint64_t seed;                /* hash seed (copied from the block) */
	size_t offs[4];               /* offsets of the type's arrays in the block (layout) */
	bool percpu, lru;
	void *local;                  /* process-local data of the type */
	/* A value leaves the map (replaced, deleted, evicted, destroyed): map-in-map drops its reference. */
	void (*value_freed)(struct nyk_map *map, uint8_t *value);
};

struct map_ops {
	const char *name;
	bool shareable;               /* may live in a shared file */
	bool percpu;                  /* syscall values are per-CPU arrays */
	int (*check)(const struct nyk_map_def *def, struct nyk_error *err);
	int (*layout)(struct nyk_map *map, struct nyk_error *err);
	int (*init)(struct nyk_map *map, struct nyk_error *err);
	int (*attach)(struct nyk_map *map, struct nyk_error *err);
	void (*release)(struct nyk_map *map);

	/* Program side. */
	void *(*lookup_ptr)(struct nyk_map *map, const void *key, unsigned cpu);
	int (*update_elem)(struct nyk_map *map, const void *key, const void *value, uint64_t flags, unsigned cpu);
	int (*delete_elem)(struct nyk_map *map, const void *key);
	/* Syscall side (permissions already checked). */
	int (*lookup)(struct nyk_map *map, const void *key, void *value, uint64_t flags);
	int (*update)(struct nyk_map *map, const void *key, const void *value, uint64_t flags);
	int (*lookup_and_delete)(struct nyk_map *map, const void *key, void *value, uint64_t flags);
	int (*get_next_key)(struct nyk_map *map, const void *key, void *next_key);
	/* Queue and stack. */
	int (*push)(struct nyk_map *map, const void *value, uint64_t flags);
	int (*pop)(struct nyk_map *map, void *value, bool remove);
	long (*for_each)(struct nyk_map *map, unsigned cpu, int (*fn)(void *, const void *, void *), void *ctx);
	int (*for_each_region)(struct nyk_map *map, int (*fn)(void *, void *, size_t, unsigned), void *ctx);
};

extern const struct map_ops map_array_ops, map_percpu_array_ops, map_prog_array_ops, map_hash_ops,
	map_percpu_hash_ops, map_lru_hash_ops, map_lru_percpu_hash_ops, map_lpm_trie_ops, map_array_of_maps_ops,
	map_hash_of_maps_ops, map_queue_ops, map_stack_ops, map_ringbuf_ops, map_perf_event_array_ops;

/* ---- helpers shared by the types (map.c) -------------------------------- */

static inline size_t map_round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static inline size_t map_round_up(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

/* a + b and a * b, or SIZE_MAX on overflow (which every later check refuses). */
static inline size_t map_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static inline size_t map_mul(size_t a, size_t b)
{
	return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

/* map_flags within `allowed` and the access bits consistent; else -EINVAL. */
int map_check_flags(const struct nyk_map_def *def, uint32_t allowed, struct nyk_error *err);
/* The bpf_spin_lock rules: only for types that allow one, inside the value. */
int map_check_spin_lock(const struct nyk_map_def *def, bool allowed, struct nyk_error *err);

/* Copy a value skipping its bpf_spin_lock word (kernel copy_map_value). */
void map_copy_value(const struct nyk_map *map, void *dst, const void *src);
/* Copy under the value's bpf_spin_lock (kernel copy_map_value_locked); `to_map` says which side is in the map. */
void map_copy_value_locked(const struct nyk_map *map, void *dst, const void *src, bool to_map);
/* Zero the spin lock word of a value copied out to the user. */
void map_clear_special(const struct nyk_map *map, void *value);
/* A fresh value in the map: copy it and zero the lock word. */
void map_init_value(const struct nyk_map *map, void *dst, const void *src);

/* Per-CPU values: all copies from/to the syscall layout (each round_up(value_size, 8)). */
void map_percpu_copy_out(const struct nyk_map *map, void *dst, const uint8_t *first);
void map_percpu_copy_in(const struct nyk_map *map, uint8_t *first, const void *src);
/* A new per-CPU element from a program: `cpu` gets the value, the others zero. */
void map_percpu_init_one(const struct nyk_map *map, uint8_t *first, const void *src, unsigned cpu);

static inline unsigned map_cpu(const struct nyk_map *map, unsigned cpu)
{
	return cpu < map->nr_cpus ? cpu : cpu % map->nr_cpus;
}

/* Region flags for the value area from NYK_F_RDONLY_PROG/WRONLY_PROG. */
unsigned map_region_flags(const struct nyk_map *map);

/* Map-in-map: hold and release references; find by id taking a reference. */
void map_get(struct nyk_map *map);
void map_put(struct nyk_map *map);
struct nyk_map *map_get_by_id(uint32_t id);
/* Is `inner` acceptable as an inner map of `outer`? -EINVAL when not. */
int map_inner_compatible(const struct nyk_map *outer, const struct nyk_map *inner);

/* Array checks (the kernel's array_map_alloc_check) and key order, shared by the fd arrays (array.c). */
int map_array_check_common(const struct nyk_map_def *def, uint32_t extra_flags, struct nyk_error *err);
int map_array_get_next_key(struct nyk_map *map, const void *key, void *next_key);
/* The fd arrays' extra rules: value_size 4, no BPF_F_RDONLY_PROG/WRONLY_PROG. */
int map_fd_array_check(const struct nyk_map_def *def, uint32_t extra_flags, struct nyk_error *err);

/* ---- locks (lock.c) ------------------------------------------------------ */

/*
 * The map lock: a spinlock on a u32 in the block holding the owner's
 * process id, so that a lock left by a process that died is taken over
 * (shared maps). Spins, then yields.
 */
void map_lock(_Atomic uint32_t *lock);
void map_unlock(_Atomic uint32_t *lock);
/* The program's bpf_spin_lock: 0 free, 1 held. */
void map_spin_lock(_Atomic uint32_t *lock);
void map_spin_unlock(_Atomic uint32_t *lock);

/* ---- the block (storage.c) ----------------------------------------------- */

/* Allocate map->block_size bytes: zeroed memory, or a new shared file at `path`. */
int map_block_create(struct nyk_map *map, const char *path, unsigned flags, bool *reused, struct nyk_error *err);
/* Map an existing shared file; sets block, block_size, hdr. */
int map_block_open(struct nyk_map *map, const char *path, struct nyk_error *err);
/* After a fresh block is initialised: publish it (rename the shared file into place). */
int map_block_publish(struct nyk_map *map, struct nyk_error *err);
void map_block_free(struct nyk_map *map);

/* ---- hashing (htab.c) ----------------------------------------------------- */

uint32_t map_hash_bytes(const void *key, size_t len, uint64_t seed);
uint64_t map_random_seed(void);

/* ---- rings, shared by ringbuf and perf_event_array (ringbuf.c) ------------- */

struct map_ring {
	_Atomic uint32_t lock;
	uint32_t pad0;
	uint64_t mask;                   /* data size - 1 */
	_Atomic uint64_t lost;           /* perf: records dropped */
	uint8_t pad1[MAP_CACHELINE - 24];
	_Atomic uint64_t consumer_pos;   /* own cache line */
	uint8_t pad2[MAP_CACHELINE - 8];
	_Atomic uint64_t producer_pos;   /* own cache line */
	uint8_t pad3[MAP_CACHELINE - 8];
};

void map_ring_init(struct map_ring *ring, uint64_t size);
void *map_ring_reserve(struct map_ring *ring, uint8_t *data, uint64_t size);
void map_ring_commit(void *sample, bool discard);
/* Is `sample` a reserved record of this ring? */
bool map_ring_owns(const struct map_ring *ring, const uint8_t *data, const void *sample);
int map_ring_consume(struct map_ring *ring, uint8_t *data, int (*fn)(void *, const void *, size_t), void *ctx);

#endif
