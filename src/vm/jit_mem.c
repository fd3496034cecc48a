/*
 * jit_mem.c - executable memory for compiled programs: mapped read-write,
 * filled, then sealed read-only and executable. Code memory is never
 * writable and executable at once (W^X). Freed mappings are kept (with no
 * access at all) for the next compile.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "vm/jit_internal.h"

#if defined(_WIN32)
#include <windows.h>

void *vm_jit_mem_alloc(size_t size, size_t *mapped)
{
	SYSTEM_INFO si;
	size_t page, n;
	void *p;

	GetSystemInfo(&si);
	page = si.dwPageSize ? si.dwPageSize : 4096;
	n = (size + page - 1) / page * page;
	p = VirtualAlloc(NULL, n, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	if (!p)
		return NULL;
	*mapped = n;
	return p;
}

int vm_jit_mem_seal(void *mem, size_t mapped)
{
	DWORD old;

	if (!VirtualProtect(mem, mapped, PAGE_EXECUTE_READ, &old))
		return -EACCES;
	FlushInstructionCache(GetCurrentProcess(), mem, mapped);
	return 0;
}

void vm_jit_mem_free(void *mem, size_t mapped)
{
	(void)mapped;
	if (mem)
		VirtualFree(mem, 0, MEM_RELEASE);
}

#else
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

/*
 * Where to ask for code memory: just below the library's own code. x86
 * CPUs (AMD's at least) predict calls and returns between code far apart
 * in the address space (a PIE near 0x55.., mmap near 0x7f..) worse: a
 * call from the host into compiled code cost 1 ns more per call when the
 * code was mapped where mmap puts it by default. A hint only: when the
 * range is taken, the kernel chooses as usual. Each mapping moves the
 * hint down by its size so that programs pack together.
 */
static uintptr_t code_hint_next;   /* the last mapping placed by the hint; 0 before the first */

static uintptr_t code_hint(size_t n)
{
	uintptr_t text = (uintptr_t)&vm_jit_mem_alloc & ~(uintptr_t)0xfffff;
	uintptr_t at;

	if (text < ((uintptr_t)1 << 30))
		return 0;   /* low (non-PIE) image: leave the kernel its choice */
#if VM_HAVE_ATOMIC_BUILTINS
	at = __atomic_load_n(&code_hint_next, __ATOMIC_RELAXED);
#else
	at = code_hint_next;
#endif
	if (!at || at > text || text - at > ((uintptr_t)1 << 30))
		at = text - ((uintptr_t)64 << 20);
	return at - n;
}

static void code_hint_taken(uintptr_t hint, void *got)
{
	if ((uintptr_t)got == hint) {
#if VM_HAVE_ATOMIC_BUILTINS
		__atomic_store_n(&code_hint_next, hint, __ATOMIC_RELAXED);
#else
		code_hint_next = hint;
#endif
	}
}

/*
 * Freed code memory kept for the next compile (made inaccessible while it
 * waits): making a kept mapping writable again is one mprotect, where a
 * new mapping costs the kernel zeroing and mapping every page, and an
 * munmap at free (most of the fixed cost of compiling a small program).
 * A few mappings of moderate size only; a spin lock, as the critical
 * sections are a few loads and stores.
 */
#if VM_HAVE_ATOMIC_BUILTINS
#define CODE_CACHE_SLOTS 8
#define CODE_CACHE_MAX ((size_t)1 << 20)

static struct {
	void *mem;
	size_t size;
} code_cache[CODE_CACHE_SLOTS];
static int code_cache_busy;

static void cache_lock(void)
{
	while (__atomic_exchange_n(&code_cache_busy, 1, __ATOMIC_ACQUIRE))
		;
}

static void cache_unlock(void)
{
	__atomic_store_n(&code_cache_busy, 0, __ATOMIC_RELEASE);
}

/* A kept mapping of at least n bytes (and not much more), writable; NULL when there is none. */
static void *cache_take(size_t n, size_t *mapped)
{
	void *mem = NULL;
	size_t size = 0;
	int best = -1;

	cache_lock();
	for (int i = 0; i < CODE_CACHE_SLOTS; i++)
		if (code_cache[i].mem && code_cache[i].size >= n && code_cache[i].size <= 4 * n &&
		    (best < 0 || code_cache[i].size < code_cache[best].size))
			best = i;
	if (best >= 0) {
		mem = code_cache[best].mem;
		size = code_cache[best].size;
		code_cache[best].mem = NULL;
	}
	cache_unlock();
	if (!mem)
		return NULL;
	if (mprotect(mem, size, PROT_READ | PROT_WRITE) != 0) {
		munmap(mem, size);
		return NULL;
	}
	*mapped = size;
	return mem;
}

/* Keep a mapping that is no longer used; 0 when there is no room. */
static int cache_put(void *mem, size_t size)
{
	int kept = 0;

	if (size > CODE_CACHE_MAX || mprotect(mem, size, PROT_NONE) != 0)
		return 0;
	cache_lock();
	for (int i = 0; i < CODE_CACHE_SLOTS && !kept; i++) {
		if (!code_cache[i].mem) {
			code_cache[i].mem = mem;
			code_cache[i].size = size;
			kept = 1;
		}
	}
	cache_unlock();
	return kept;
}
#else
static void *cache_take(size_t n, size_t *mapped)
{
	(void)n;
	(void)mapped;
	return NULL;
}

static int cache_put(void *mem, size_t size)
{
	(void)mem;
	(void)size;
	return 0;
}
#endif

void *vm_jit_mem_alloc(size_t size, size_t *mapped)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t hint;
	size_t n;
	void *p;

	if (page <= 0)
		page = 4096;
	n = (size + (size_t)page - 1) / (size_t)page * (size_t)page;
	if ((p = cache_take(n, mapped)) != NULL)
		return p;
	hint = code_hint(n);
#ifdef MAP_POPULATE
	/* Filled at once: fault the pages in with the mapping rather than one by one. */
	p = mmap((void *)hint, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
#else
	p = mmap((void *)hint, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#endif
	if (p == MAP_FAILED)
		return NULL;
	code_hint_taken(hint, p);
	*mapped = n;
	return p;
}

int vm_jit_mem_seal(void *mem, size_t mapped)
{
	if (mprotect(mem, mapped, PROT_READ | PROT_EXEC) != 0)
		return -errno;
#if defined(__GNUC__) || defined(__clang__)
	/* A no-op on x86; keeps other back ends honest. */
	__builtin___clear_cache((char *)mem, (char *)mem + mapped);
#endif
	return 0;
}

void vm_jit_mem_free(void *mem, size_t mapped)
{
	if (mem && !cache_put(mem, mapped))
		munmap(mem, mapped);
}
#endif
