/*
 * jit_mem.c - executable memory for compiled programs: mapped read-write,
 * filled, then sealed read-only and executable. Code memory is never
 * writable and executable at once (W^X).
 */
#include <errno.h>
#include <stddef.h>

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

void *vm_jit_mem_alloc(size_t size, size_t *mapped)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t n;
	void *p;

	if (page <= 0)
		page = 4096;
	n = (size + (size_t)page - 1) / (size_t)page * (size_t)page;
#ifdef MAP_POPULATE
	/* Filled at once: fault the pages in with the mapping rather than one by one. */
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
#else
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#endif
	if (p == MAP_FAILED)
		return NULL;
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
	if (mem)
		munmap(mem, mapped);
}
#endif
