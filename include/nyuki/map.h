/*
 * nyuki/map.h - eBPF maps in user space, with the kernel's semantics.
 *
 * One interface (struct nyk_map and the nyk_map_* calls) over one
 * implementation file per map type in src/maps. Errors are negative errno
 * values as the kernel returns them: -ENOENT for a missing key, -EEXIST for
 * BPF_NOEXIST on a present key, -E2BIG when a map is full (-ENOSPC for a
 * full LPM trie), -EINVAL for bad flags or sizes, -EPERM for writes to a
 * frozen or read-only map, -ENOTSUP for an operation the type does not
 * have (the kernel's ENOTSUPP, 524, is not a user-space errno).
 *
 *   struct nyk_map_def def = { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 8,
 *                              .max_entries = 1024, .name = "counts" };
 *   struct nyk_map *m;
 *   if (nyk_map_create(&def, NULL, &m, &err) < 0) ...
 *   nyk_map_update(m, &key, &value, NYK_ANY);
 *   nyk_map_destroy(m);
 *
 * Two views of a map, as in the kernel:
 *  - syscall-style calls (nyk_map_lookup, nyk_map_update, nyk_map_delete,
 *    nyk_map_get_next_key, nyk_map_lookup_and_delete), the bpf(2)
 *    BPF_MAP_* commands: values are copied; per-CPU maps read and write all
 *    `nr_cpus` copies at once, each rounded up to 8 bytes
 *    (nyk_map_value_size_user()); they honour nyk_map_freeze() and the
 *    NYK_F_RDONLY/NYK_F_WRONLY flags.
 *  - program-side calls, what the helpers use (nyk_map_lookup_elem_ptr,
 *    nyk_map_update_elem, nyk_map_delete_elem, push/pop/peek, the ring
 *    buffer and perf calls): a lookup returns a pointer to the value in
 *    place; per-CPU maps act on the copy of the CPU given; frozen maps stay
 *    writable, NYK_F_RDONLY_PROG maps are not (-EPERM).
 *
 * Per-CPU maps hold `nr_cpus` copies of each value (from the options,
 * default 1). A `cpu` argument is taken modulo nr_cpus.
 *
 * Pointers and memory. A map's values live in a few contiguous areas
 * allocated once at creation (nyk_map_for_each_region lists them), so a
 * pointer returned by nyk_map_lookup_elem_ptr always points into the map's
 * memory until nyk_map_destroy. As in the kernel, it stays the value of its
 * key until that element is updated (hash and LRU maps replace the element;
 * per-CPU and BPF_F_LOCK updates write in place), deleted, or evicted from
 * an LRU map (by any thread's insert); after that the slot may be reused
 * for another key, freed slots oldest first (the kernel's preallocated hash
 * maps behave the same). Array values are contiguous: element i is at
 * i * round_up(value_size, 8) from element 0.
 *
 * Threads. Every call may run on several threads at once (programs on
 * several threads, the host updating):
 *  - lookups (program-side and syscall-style) take no lock: hash, LRU and
 *    LPM lookups walk the structure with atomic loads and see either the
 *    element before or after a concurrent update; a sequence number per
 *    element makes sure a lookup never takes a slot being refilled for
 *    another key, and a syscall-style copy never mixes two keys' values;
 *  - structure changes (hash/LRU/LPM insert, replace, delete, eviction,
 *    queue/stack push and pop, ring buffer reservations) take one lock per
 *    map (a spinlock in the map's memory, so it works across processes);
 *  - values themselves are not locked: a program writing a value while
 *    another reads it sees what the hardware gives, as in the kernel. Use
 *    atomics in the program, or a struct bpf_spin_lock in the value with
 *    BPF_F_LOCK updates and lookups (copied under that lock).
 *
 * Shared memory. With `opts.path` (e.g. a file under /dev/shm) the whole
 * map - a header with its definition, then its data, addressed by offsets -
 * lives in one file mapped MAP_SHARED. Another process opens it with
 * nyk_map_open_shared and reads, updates, iterates or consumes it live;
 * the locks are in the file. Types: array, percpu_array, hash,
 * percpu_hash, lru_hash, lru_percpu_hash, lpm_trie, queue, stack, ringbuf
 * and perf_event_array. prog_array, array_of_maps and hash_of_maps hold
 * process-local references and refuse a path (-ENOTSUP). The file format
 * is for processes of the same machine (byte order and word size).
 * Shared maps need POSIX (open/ftruncate/mmap); elsewhere -ENOTSUP.
 * Destroying a shared map unmaps it; the file stays until removed.
 *
 * Map-in-map. Every map has a process-wide id (nyk_map_id, from 1). The
 * syscall-style values of array_of_maps and hash_of_maps are u32 map ids,
 * as the kernel's are fds on update and ids on lookup; the inner map must
 * match the outer map's `inner` definition (type, key and value size,
 * flags, nr_cpus; max_entries too for arrays without NYK_F_INNER_MAP). The
 * outer map holds a reference on its inner maps. From programs,
 * nyk_map_lookup_elem_ptr returns the inner struct nyk_map itself (NULL
 * when the slot is empty), which the program passes to further map calls.
 * Replacing or deleting an inner map drops the outer map's reference at
 * once: keep your own reference (do not nyk_map_destroy it) while programs
 * that may use it run.
 */
#ifndef NYUKI_MAP_H
#define NYUKI_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Map types, numbered as in the kernel's enum bpf_map_type. */
enum nyk_map_type {
	NYK_MAP_HASH = 1,
	NYK_MAP_ARRAY = 2,
	NYK_MAP_PROG_ARRAY = 3,
	NYK_MAP_PERF_EVENT_ARRAY = 4,
	NYK_MAP_PERCPU_HASH = 5,
	NYK_MAP_PERCPU_ARRAY = 6,
	NYK_MAP_LRU_HASH = 9,
	NYK_MAP_LRU_PERCPU_HASH = 10,
	NYK_MAP_LPM_TRIE = 11,
	NYK_MAP_ARRAY_OF_MAPS = 12,
	NYK_MAP_HASH_OF_MAPS = 13,
	NYK_MAP_QUEUE = 22,
	NYK_MAP_STACK = 23,
	NYK_MAP_RINGBUF = 27,
};

/* Update and lookup flags (BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK). */
enum { NYK_ANY = 0, NYK_NOEXIST = 1, NYK_EXIST = 2, NYK_F_LOCK = 4 };

/* Creation flags (map_flags), as in the kernel. */
enum {
	NYK_F_NO_PREALLOC = 1u << 0,
	NYK_F_NO_COMMON_LRU = 1u << 1,
	NYK_F_NUMA_NODE = 1u << 2,
	NYK_F_RDONLY = 1u << 3,         /* syscall-style writes refused */
	NYK_F_WRONLY = 1u << 4,         /* syscall-style reads refused */
	NYK_F_ZERO_SEED = 1u << 6,      /* hash maps: hash seed 0 (reproducible order) */
	NYK_F_RDONLY_PROG = 1u << 7,    /* programs may read only */
	NYK_F_WRONLY_PROG = 1u << 8,    /* programs may write only */
	NYK_F_MMAPABLE = 1u << 10,
	NYK_F_PRESERVE_ELEMS = 1u << 11,
	NYK_F_INNER_MAP = 1u << 12,
};

/* Ring buffer flags and bpf_ringbuf_query() selectors, as in the kernel. */
enum { NYK_RB_NO_WAKEUP = 1, NYK_RB_FORCE_WAKEUP = 2 };
enum { NYK_RB_AVAIL_DATA = 0, NYK_RB_RING_SIZE = 1, NYK_RB_CONS_POS = 2, NYK_RB_PROD_POS = 3 };

/* Ring buffer record header, as in the kernel: 8 bytes before each record. */
#define NYK_RINGBUF_BUSY_BIT (1u << 31)
#define NYK_RINGBUF_DISCARD_BIT (1u << 30)
#define NYK_RINGBUF_HDR_SZ 8

/* bpf_perf_event_output(): index in the low 32 bits of flags, or this value for the current CPU. */
#define NYK_F_INDEX_MASK 0xffffffffull
#define NYK_F_CURRENT_CPU NYK_F_INDEX_MASK

#define NYK_MAP_NAME_MAX 64   /* longer names are cut */

struct nyk_map_def {
	uint32_t type;          /* enum nyk_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;   /* ringbuf: data bytes; perf_event_array: 0 = nr_cpus */
	uint32_t map_flags;     /* NYK_F_* */
	uint32_t numa_node;     /* accepted, ignored */
	uint32_t pinning;       /* 0 none, 1 by name (LIBBPF_PIN_BY_NAME); kept for the loader */
	const char *name;       /* copied */
	const struct nyk_map_def *inner;   /* map-in-map: definition of the inner maps (copied) */
	/* The value holds a struct bpf_spin_lock (from BTF) at spin_lock_off: hash and array only. */
	int has_spin_lock;
	uint32_t spin_lock_off;
};

enum {
	/*
	 * With opts.path: when the file already holds a map with the same
	 * definition, use it and keep its contents (as libbpf reuses a pinned
	 * map). Without this flag an existing file is replaced.
	 */
	NYK_MAP_SHM_REUSE = 1u << 0,
};

struct nyk_map_opts {
	size_t size;            /* sizeof(struct nyk_map_opts) */
	unsigned nr_cpus;       /* per-CPU copies (0 = 1) */
	const char *path;       /* create in shared memory at this file (NULL = private) */
	unsigned flags;         /* NYK_MAP_SHM_* */
	size_t perf_buf_size;   /* perf_event_array: bytes per CPU buffer, power of 2 >= 4096 (0 = 64 KiB) */
};

struct nyk_map;

/* Create a map; checks the definition as the kernel does and says why in `err`. */
int nyk_map_create(const struct nyk_map_def *def, const struct nyk_map_opts *opts, struct nyk_map **map,
		   struct nyk_error *err);
/* Open a map another process created with opts.path. */
int nyk_map_open_shared(const char *path, struct nyk_map **map, struct nyk_error *err);
/* Drop the caller's reference; the map goes when no outer map holds it either. NULL is fine. */
void nyk_map_destroy(struct nyk_map *map);

const struct nyk_map_def *nyk_map_get_def(const struct nyk_map *map);
const char *nyk_map_name(const struct nyk_map *map);
unsigned nyk_map_nr_cpus(const struct nyk_map *map);
const char *nyk_map_shm_path(const struct nyk_map *map);   /* NULL for a private map */
/* "hash", "array", ... (every kernel map type is named), or NULL. */
const char *nyk_map_type_name(uint32_t type);
/* Type by name ("hash", "lru_percpu_hash", ...; an optional "BPF_MAP_TYPE_" prefix in any case), or -ENOENT. */
int nyk_map_type_by_name(const char *name);
/* Bytes of one value as the syscall-style calls see it (per-CPU: rounded x nr_cpus). */
size_t nyk_map_value_size_user(const struct nyk_map *map);
/* Process-wide id (from 1, never reused while the process lives) and the live map with that id. */
uint32_t nyk_map_id(const struct nyk_map *map);
struct nyk_map *nyk_map_by_id(uint32_t id);

/* BPF_MAP_FREEZE: syscall-style writes are refused from now on (-EPERM); programs still write. */
int nyk_map_freeze(struct nyk_map *map);

/*
 * Syscall-style access (as bpf(2) BPF_MAP_* commands). Queue and stack
 * take a NULL key (another key is -EINVAL): update pushes, lookup peeks,
 * lookup_and_delete pops. LPM tries: lookup is a longest-prefix match,
 * update/delete exact.
 */
int nyk_map_lookup(struct nyk_map *map, const void *key, void *value);
/* flags: 0 or NYK_F_LOCK (copy under the value's bpf_spin_lock). */
int nyk_map_lookup_flags(struct nyk_map *map, const void *key, void *value, uint64_t flags);
int nyk_map_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags);
int nyk_map_delete(struct nyk_map *map, const void *key);
/* Hash types, queue and stack (flags: 0 or NYK_F_LOCK). */
int nyk_map_lookup_and_delete(struct nyk_map *map, const void *key, void *value, uint64_t flags);
/*
 * key NULL, or a key no longer in the map: the first key. Returns -ENOENT
 * after the last key. Order: arrays by index, hash maps by bucket, LPM
 * tries in post-order (more specific prefixes before the prefix that
 * contains them), as in the kernel.
 */
int nyk_map_get_next_key(struct nyk_map *map, const void *key, void *next_key);

/*
 * Program-side access, for helpers.
 *
 * nyk_map_lookup_elem_ptr: pointer to the value in place (the copy of
 * `cpu` for per-CPU maps), or NULL. LRU maps mark the element used. For
 * array_of_maps/hash_of_maps it returns the inner struct nyk_map *.
 * Types programs cannot look up (queue, stack, ringbuf, prog_array,
 * perf_event_array) give NULL.
 */
void *nyk_map_lookup_elem_ptr(struct nyk_map *map, const void *key, unsigned cpu);
/*
 * bpf_map_update_elem from a program: per-CPU maps take value_size bytes
 * for `cpu` (a new element's other copies are zeroed).
 */
int nyk_map_update_elem(struct nyk_map *map, const void *key, const void *value, uint64_t flags, unsigned cpu);
int nyk_map_delete_elem(struct nyk_map *map, const void *key);
/* Queue/stack (bpf_map_push_elem/pop/peek): -ENOENT when empty, -E2BIG when full without NYK_EXIST. */
int nyk_map_push(struct nyk_map *map, const void *value, uint64_t flags);
int nyk_map_pop(struct nyk_map *map, void *value);
int nyk_map_peek(struct nyk_map *map, void *value);
/*
 * bpf_for_each_map_elem (array, percpu_array and the hash types): calls
 * fn(ctx, key, value) for each element, value the copy of `cpu`, until fn
 * returns non-zero. `key` is valid during the call only. fn may update or
 * delete elements of the map. Returns the number of calls, or -EINVAL for
 * another type.
 */
long nyk_map_for_each_elem(struct nyk_map *map, unsigned cpu, int (*fn)(void *ctx, const void *key, void *value),
			   void *ctx);
/* Tail calls: the u32 stored at `index` of a prog_array (-ENOENT empty, -E2BIG out of range). */
int nyk_map_prog_array_get(struct nyk_map *map, uint32_t index, uint32_t *prog);

/* bpf_spin_lock/bpf_spin_unlock on a struct bpf_spin_lock (a u32) in a map value. */
void nyk_map_spin_lock(void *lock);
void nyk_map_spin_unlock(void *lock);

/*
 * Ring buffer (BPF_MAP_TYPE_RINGBUF). max_entries is the data size: a power
 * of 2 and a multiple of 4096. Records are 8-byte aligned and start with
 * the kernel's 8-byte header (u32 length with NYK_RINGBUF_BUSY_BIT while
 * reserved and NYK_RINGBUF_DISCARD_BIT when discarded, u32 offset); a
 * record that would cross the end of the ring is preceded by a discarded
 * padding record, so every record is contiguous in memory.
 *
 * reserve: pointer into the ring data, or NULL (no space, size too big,
 * flags not 0). submit/discard take the pointer reserve gave; `map` may be
 * NULL (bpf_ringbuf_submit does not name it), else the pointer is checked
 * to be a reserved record of that map (-EINVAL). Wakeup flags are
 * accepted; consumers poll. output: reserve, copy, submit (-EAGAIN when
 * full). query: NYK_RB_* values, 0 for an unknown selector.
 *
 * consume: hands each submitted record to fn in order, skipping discarded
 * ones, until the ring is empty, a record is still reserved, or fn returns
 * non-zero (that record counts as consumed). Returns the number of records
 * handed to fn, or -EINVAL when the ring is corrupt. One consumer at a time.
 */
void *nyk_ringbuf_reserve(struct nyk_map *map, uint64_t size, uint64_t flags);
int nyk_ringbuf_submit(struct nyk_map *map, void *data, uint64_t flags);
int nyk_ringbuf_discard(struct nyk_map *map, void *data, uint64_t flags);
int nyk_ringbuf_output(struct nyk_map *map, const void *data, uint64_t size, uint64_t flags);
uint64_t nyk_ringbuf_query(struct nyk_map *map, uint64_t flags);
int nyk_ringbuf_consume(struct nyk_map *map, int (*fn)(void *ctx, const void *data, size_t size), void *ctx);

/*
 * perf_event_array: one buffer per index (max_entries, usually nr_cpus),
 * each opts.perf_buf_size bytes, in the ring buffer's record format.
 * output (bpf_perf_event_output): `flags` is the index or
 * NYK_F_CURRENT_CPU (then `cpu`, modulo nr_cpus); other bits -EINVAL.
 * The record is `data` followed by `extra` (the context bytes the helper
 * appends for BPF_F_CTXLEN_MASK; may be NULL). Index out of range -E2BIG;
 * buffer full -ENOSPC and the record counts as lost.
 * consume: records of every buffer in order of index (lost counts first,
 * when `lost` is given); returns the number of records, as ringbuf does.
 */
int nyk_perf_event_output(struct nyk_map *map, uint64_t flags, unsigned cpu, const void *data, uint64_t size,
			  const void *extra, uint64_t extra_size);
int nyk_perf_event_consume(struct nyk_map *map, int (*fn)(void *ctx, unsigned cpu, const void *data, size_t size),
			   void (*lost)(void *ctx, unsigned cpu, uint64_t count), void *ctx);

/*
 * Memory regions of a map that programs may touch: the value area (array,
 * hash and LPM values, per-CPU copies included) or the ring data; for
 * map-in-map the regions of the inner maps present now. flags are
 * NYK_MEM_READ | NYK_MEM_WRITE of nyuki/vm.h (read-only for
 * NYK_F_RDONLY_PROG maps, write-only for NYK_F_WRONLY_PROG). Regions are
 * fixed from creation to destruction. Stops at and returns fn's first
 * non-zero result; 0 otherwise.
 */
int nyk_map_for_each_region(struct nyk_map *map, int (*fn)(void *ctx, void *addr, size_t len, unsigned flags),
			    void *ctx);

#ifdef __cplusplus
}
#endif

#endif
