/*
 * storage.c - the memory block a map lives in.
 *
 * A private map's block comes from calloc: zeroed memory the system commits
 * as it is touched, so a large map costs what its entries use. A shared
 * map's block is a file mapped MAP_SHARED: it is created under a temporary
 * name next to the path, sized with ftruncate (sparse, zeroed), filled, and
 * renamed into place, so a process opening the path sees a complete map or
 * none. POSIX only; elsewhere -ENOTSUP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map_internal.h"

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define MAP_HAVE_SHM 1
#else
#define MAP_HAVE_SHM 0
#endif

#if MAP_HAVE_SHM
static char *tmp_name(const char *path)
{
	size_t n = strlen(path) + 32;
	char *t = malloc(n);

	if (t)
		snprintf(t, n, "%s.%ld.tmp", path, (long)getpid());
	return t;
}

static int map_file(struct nyk_map *map, int fd, size_t size, struct nyk_error *err, const char *path)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return nyk_error_set(err, -errno, "%s: cannot map %zu bytes: %s", path, size, strerror(errno));
	map->block = p;
	map->block_size = size;
	map->hdr = p;
	map->shared = 1;
	return 0;
}
#endif

int map_block_open(struct nyk_map *map, const char *path, struct nyk_error *err)
{
#if MAP_HAVE_SHM
	struct stat st;
	int fd = open(path, O_RDWR | O_CLOEXEC), r;

	if (fd < 0)
		return nyk_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		r = nyk_error_set(err, -errno, "%s: %s", path, strerror(errno));
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < MAP_TYPE_OFF || (uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return nyk_error_set(err, -EINVAL, "%s: not a nyuki map file (%lld bytes)", path,
				     (long long)st.st_size);
	}
	r = map_file(map, fd, (size_t)st.st_size, err, path);
	close(fd);
	if (r < 0)
		return r;
	if (memcmp(map->hdr->magic, MAP_MAGIC, 8) != 0 || map->hdr->type_off != MAP_TYPE_OFF) {
		map_block_free(map);
		return nyk_error_set(err, -EINVAL, "%s: not a nyuki map file", path);
	}
	if (map->hdr->version != MAP_LAYOUT_VERSION) {
		uint32_t v = map->hdr->version;
		map_block_free(map);
		return nyk_error_set(err, -EINVAL, "%s: map file layout version %u, this nyuki reads %u", path, v,
				     MAP_LAYOUT_VERSION);
	}
	if (map->hdr->block_size != map->block_size) {
		map_block_free(map);
		return nyk_error_set(err, -EINVAL, "%s: map file is truncated or has grown", path);
	}
	return 0;
#else
	(void)map;
	return nyk_error_set(err, -ENOTSUP, "%s: shared-memory maps need a POSIX system", path);
#endif
}

int map_block_create(struct nyk_map *map, const char *path, unsigned flags, bool *reused, struct nyk_error *err)
{
	*reused = false;
	if (!path) {
		map->block = calloc(1, map->block_size);
		if (!map->block)
			return nyk_error_set(err, -ENOMEM, "map '%s': cannot allocate %zu bytes", map->name,
					     map->block_size);
		map->hdr = (struct map_block_hdr *)map->block;
		return 0;
	}
#if MAP_HAVE_SHM
	if (flags & NYK_MAP_SHM_REUSE) {
		struct nyk_error e2;
		nyk_error_clear(&e2);
		if (access(path, F_OK) == 0) {
			int r = map_block_open(map, path, &e2);
			if (r < 0)
				return nyk_error_set(err, r, "map '%s': cannot reuse %s: %s", map->name, path,
						     e2.message);
			*reused = true;
			map->path = strdup(path);
			if (!map->path) {
				map_block_free(map);
				return nyk_error_set(err, -ENOMEM, "out of memory");
			}
			return 0;
		}
	}
	char *tmp = tmp_name(path);
	if (!tmp || !(map->path = strdup(path))) {
		free(tmp);
		return nyk_error_set(err, -ENOMEM, "out of memory");
	}
	unlink(tmp);
	int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600), r;
	if (fd < 0) {
		r = nyk_error_set(err, -errno, "map '%s': cannot create %s: %s", map->name, tmp, strerror(errno));
		free(tmp);
		return r;
	}
	if ((uint64_t)map->block_size > (uint64_t)INT64_MAX || ftruncate(fd, (off_t)map->block_size) < 0) {
		int e = (uint64_t)map->block_size > (uint64_t)INT64_MAX ? E2BIG : errno;
		r = nyk_error_set(err, -e, "map '%s': cannot size %s to %zu bytes: %s", map->name, tmp,
				  map->block_size, strerror(e));
		close(fd);
		unlink(tmp);
		free(tmp);
		return r;
	}
	r = map_file(map, fd, map->block_size, err, tmp);
	close(fd);
	if (r < 0) {
		unlink(tmp);
		free(tmp);
		return r;
	}
	map->local_tmp = tmp;
	return 0;
#else
	(void)flags;
	return nyk_error_set(err, -ENOTSUP, "map '%s': shared-memory maps (%s) need a POSIX system", map->name,
			     path);
#endif
}

int map_block_publish(struct nyk_map *map, struct nyk_error *err)
{
#if MAP_HAVE_SHM
	if (!map->local_tmp)
		return 0;
	if (rename(map->local_tmp, map->path) < 0) {
		int r = nyk_error_set(err, -errno, "map '%s': cannot rename %s to %s: %s", map->name, map->local_tmp,
				      map->path, strerror(errno));
		unlink(map->local_tmp);
		return r;
	}
	free(map->local_tmp);
	map->local_tmp = NULL;
#else
	(void)map;
	(void)err;
#endif
	return 0;
}

void map_block_free(struct nyk_map *map)
{
	if (!map->block)
		return;
#if MAP_HAVE_SHM
	if (map->shared) {
		munmap(map->block, map->block_size);
		if (map->local_tmp) {
			unlink(map->local_tmp);
			free(map->local_tmp);
			map->local_tmp = NULL;
		}
	} else
#endif
		free(map->block);
	map->block = NULL;
	map->hdr = NULL;
	map->shared = 0;
}
