/*
 * lock.c - the two locks of the map module.
 *
 * map_lock guards a map's structure (hash chains, LRU list, trie, queue
 * indexes, ring producer). Its word lives in the map's block, so threads
 * and processes sharing the block share the lock. The word holds the
 * owner's process id: a waiter that has waited a while (some 65000
 * yields) checks whether that process still exists and, if it died
 * holding the lock, takes the lock over (the structure it left may be
 * half-changed; the map code bounds every walk so that costs entries, not
 * a crash or a hang).
 * A process that died is gone once its parent has reaped it (a zombie
 * still counts as alive).
 *
 * map_spin_lock is bpf_spin_lock: a u32 in a map value, 0 free, 1 held.
 */
#include <stdint.h>

#include "maps/map_internal.h"

#if defined(__unix__) || defined(__APPLE__)
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>
#define MAP_HAVE_POSIX 1
#else
#define MAP_HAVE_POSIX 0
#endif

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static void yield_cpu(void)
{
#if MAP_HAVE_POSIX
	sched_yield();
#endif
}

#if MAP_HAVE_POSIX
static _Atomic uint32_t cached_pid;

/* A forked child is another process: it must not lock in its parent's name. */
static void forget_pid(void)
{
	atomic_store_explicit(&cached_pid, 0, memory_order_relaxed);
}
#endif

/* Our process id, without a system call each time. */
static uint32_t my_id(void)
{
#if MAP_HAVE_POSIX
	static atomic_flag registered = ATOMIC_FLAG_INIT;
	uint32_t p = atomic_load_explicit(&cached_pid, memory_order_relaxed);

	if (p)
		return p;
	if (!atomic_flag_test_and_set(&registered))
		pthread_atfork(NULL, NULL, forget_pid);
	p = (uint32_t)getpid();
	if (!p)
		p = 1;
	atomic_store_explicit(&cached_pid, p, memory_order_relaxed);
	return p;
#else
	return 1;
#endif
}

/* Has the process that holds the lock gone? */
static bool owner_dead(uint32_t owner)
{
#if MAP_HAVE_POSIX
	if (owner == my_id() || owner > (uint32_t)INT32_MAX)
		return false;
	return kill((pid_t)owner, 0) < 0 && errno == ESRCH;
#else
	(void)owner;
	return false;
#endif
}

void map_lock(_Atomic uint32_t *lock)
{
	uint32_t me = my_id(), seen = 0;
	unsigned long spins = 0;

	for (;;) {
		uint32_t expect = 0;
		if (atomic_compare_exchange_weak_explicit(lock, &expect, me, memory_order_acquire,
							  memory_order_relaxed))
			return;
		while ((expect = atomic_load_explicit(lock, memory_order_relaxed)) != 0) {
			if (++spins < 128) {
				cpu_relax();
				continue;
			}
			yield_cpu();
			/* A long wait on the same owner (a fraction of a second): is it alive? */
			if (expect != seen) {
				seen = expect;
				spins = 128;
			} else if (spins > (1ul << 16)) {
				spins = 128;
				if (owner_dead(expect) &&
				    atomic_compare_exchange_strong_explicit(lock, &expect, me, memory_order_acquire,
									    memory_order_relaxed))
					return;
			}
		}
	}
}

void map_unlock(_Atomic uint32_t *lock)
{
	atomic_store_explicit(lock, 0, memory_order_release);
}

void map_spin_lock(_Atomic uint32_t *lock)
{
	unsigned spins = 0;

	for (;;) {
		if (!atomic_exchange_explicit(lock, 1, memory_order_acquire))
			return;
		while (atomic_load_explicit(lock, memory_order_relaxed)) {
			if (++spins < 128)
				cpu_relax();
			else
				yield_cpu();
		}
	}
}

void map_spin_unlock(_Atomic uint32_t *lock)
{
	atomic_store_explicit(lock, 0, memory_order_release);
}

void nyk_map_spin_lock(void *lock)
{
	map_spin_lock((_Atomic uint32_t *)lock);
}

void nyk_map_spin_unlock(void *lock)
{
	map_spin_unlock((_Atomic uint32_t *)lock);
}
