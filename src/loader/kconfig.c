/*
 * kconfig.c - values of .kconfig externs, as libbpf gives them:
 *
 *   LINUX_KERNEL_VERSION        KERNEL_VERSION(a, b, c) of uname's release
 *   LINUX_HAS_SYSCALL_WRAPPER   1 (every kernel nyuki targets has them)
 *   LINUX_HAS_BPF_COOKIE        1
 *   CONFIG_*                    the option's kconfig text, else the running
 *                               kernel's config (/boot/config-RELEASE, else
 *                               /proc/config.gz)
 *
 * Values are written by the extern's BTF type: bool (y/n), libbpf's enum
 * libbpf_tristate (y/n/m), char ('y', 'n', 'm'), integers (numbers) and
 * char arrays (quoted strings). A weak extern that has no value is 0; any
 * other is an error naming it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/utsname.h>
#define HAVE_UNAME 1
#endif

#include "loader/object_internal.h"

#define CONFIG_MAX (64u << 20)

struct kconfig_src {
	char *system;          /* the running kernel's config, read on first need */
	int system_read;
	char system_name[208]; /* where it came from, for messages */
	char release[128];
};

static void read_release(struct kconfig_src *ks)
{
#ifdef HAVE_UNAME
	struct utsname u;
	if (uname(&u) == 0)
		snprintf(ks->release, sizeof(ks->release), "%s", u.release);
#endif
}

static char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > max || !(nb = realloc(buf, cap + 1))) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void read_system_config(struct kconfig_src *ks)
{
	char path[200];
	size_t len;

	if (ks->system_read)
		return;
	ks->system_read = 1;
	if (ks->release[0]) {
		snprintf(path, sizeof(path), "/boot/config-%s", ks->release);
		if ((ks->system = read_file(path, CONFIG_MAX, &len))) {
			snprintf(ks->system_name, sizeof(ks->system_name), "%s", path);
			return;
		}
	}
	char *gz = read_file("/proc/config.gz", CONFIG_MAX, &len);
	if (gz) {
		uint8_t *text;
		size_t n;
		if (obj_gunzip((const uint8_t *)gz, len, CONFIG_MAX, &text, &n) == 0) {
			char *t = realloc(text, n + 1);
			if (t) {
				t[n] = '\0';
				ks->system = t;
				snprintf(ks->system_name, sizeof(ks->system_name), "/proc/config.gz");
			} else {
				free(text);
			}
		}
		free(gz);
	}
}

/*
 * The value of `name` in a config text ("NAME=value" lines; "# NAME is not
 * set" means n). Copies it to `val`; returns 1 when found.
 */
static int lookup(const char *text, const char *name, char *val, size_t size)
{
	size_t nlen = strlen(name);

	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		while (len && (*line == ' ' || *line == '\t')) {
			line++;
			len--;
		}
		if (len > nlen && strncmp(line, name, nlen) == 0 && line[nlen] == '=') {
			size_t vlen = len - nlen - 1;
			while (vlen && (line[nlen + 1 + vlen - 1] == '\r' || line[nlen + 1 + vlen - 1] == ' '))
				vlen--;
			if (vlen >= size)
				vlen = size - 1;
			memcpy(val, line + nlen + 1, vlen);
			val[vlen] = '\0';
			return 1;
		}
		if (len > nlen + 2 && strncmp(line, "# ", 2) == 0 && strncmp(line + 2, name, nlen) == 0 &&
		    strncmp(line + 2 + nlen, " is not set", 11) == 0) {
			snprintf(val, size, "n");
			return 1;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

static uint32_t kernel_version_of(const char *release)
{
	unsigned a = 0, b = 0, c = 0;

	if (sscanf(release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

/* The text value of extern `name`; returns 1 when there is one. */
static int value_of(struct nyk_object *obj, struct kconfig_src *ks, const char *name, char *val, size_t size,
		    const char **from)
{
	*from = "the options";
	if (obj->kconfig && lookup(obj->kconfig, name, val, size))
		return 1;
	if (strcmp(name, "LINUX_KERNEL_VERSION") == 0) {
		*from = "uname";
		if (!ks->release[0])
			return 0;
		snprintf(val, size, "%" PRIu32, kernel_version_of(ks->release));
		return 1;
	}
	if (strcmp(name, "LINUX_HAS_SYSCALL_WRAPPER") == 0 || strcmp(name, "LINUX_HAS_BPF_COOKIE") == 0) {
		snprintf(val, size, "1");
		return 1;
	}
	if (strncmp(name, "CONFIG_", 7) != 0)
		return 0;
	read_system_config(ks);
	*from = ks->system_name;
	return ks->system && lookup(ks->system, name, val, size);
}

/* Store `u` in `size` bytes, host order. */
static int store(uint8_t *p, size_t size, uint64_t u)
{
	switch (size) {
	case 1: { uint8_t x = (uint8_t)u; memcpy(p, &x, 1); return 0; }
	case 2: { uint16_t x = (uint16_t)u; memcpy(p, &x, 2); return 0; }
	case 4: { uint32_t x = (uint32_t)u; memcpy(p, &x, 4); return 0; }
	case 8: memcpy(p, &u, 8); return 0;
	default: return -EINVAL;
	}
}

/* y/n/m: a bool (1/0), libbpf's tristate enum (1/0/2) or a char ('y'/'n'/'m'). */
static int set_tristate(uint8_t *p, size_t size, const char *v, int is_bool, int is_enum)
{
	int n = v[0] == 'y' ? 1 : v[0] == 'n' ? 0 : v[0] == 'm' ? 2 : -1;

	if (n < 0 || v[1] || (is_bool && n == 2))
		return -EINVAL;
	if (!is_bool && !is_enum)
		return store(p, size, (uint8_t)v[0]);
	return store(p, size, (uint64_t)n);
}

static int set_number(uint8_t *p, size_t size, int is_signed, const char *v)
{
	char *end;
	uint64_t u;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	errno = 0;
	if (is_signed) {
		long long s = strtoll(v, &end, 0);
		if (size < 8 && (s < -(1LL << (size * 8 - 1)) || s >= (1LL << (size * 8 - 1))))
			return -ERANGE;
		u = (uint64_t)s;
	} else {
		if (v[0] == '-')
			return -ERANGE;
		u = strtoull(v, &end, 0);
		if (size < 8 && u >> (size * 8))
			return -ERANGE;
	}
	if (errno || end == v || *end)
		return -EINVAL;
	return store(p, size, u);
}

static int set_string(uint8_t *p, size_t size, const char *v)
{
	size_t n = strlen(v);

	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return -EINVAL;
	n -= 2;
	if (n > size - 1)
		n = size - 1;   /* truncated, as libbpf does */
	memset(p, 0, size);
	memcpy(p, v + 1, n);
	return 0;
}

/* Write text value `v` into the extern's bytes, by its type. */
static int set_value(const struct nyk_object *obj, const struct obj_extern *e, uint8_t *p, const char *v)
{
	const struct nyk_btf *btf = obj->btf;
	uint32_t id = nyk_btf_resolve(btf, e->btf_type);
	const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, id);

	switch (nyk_btf_kind(t)) {
	case NYK_BTF_INT: {
		unsigned enc = nyk_btf_int_encoding(t);
		if (enc & NYK_BTF_INT_BOOL)
			return set_tristate(p, e->size, v, 1, 0);
		if (e->size == 1 && (v[0] == 'y' || v[0] == 'n' || v[0] == 'm') && !v[1])
			return set_tristate(p, 1, v, 0, 0);
		return set_number(p, e->size, (enc & NYK_BTF_INT_SIGNED) != 0, v);
	}
	case NYK_BTF_ENUM: {
		const char *name = nyk_btf_type_name(btf, id);
		if (name && strcmp(name, "libbpf_tristate") == 0)
			return set_tristate(p, e->size, v, 0, 1);
		return set_number(p, e->size, 1, v);
	}
	case NYK_BTF_ARRAY: {
		const struct nyk_btf_type *elem = nyk_btf_type_by_id(btf, nyk_btf_resolve(btf, nyk_btf_array_info(t)->type));
		if (nyk_btf_kind(elem) == NYK_BTF_INT && elem->size == 1)
			return set_string(p, e->size, v);
		return -ENOTSUP;
	}
	default:
		return -ENOTSUP;
	}
}

int obj_resolve_kconfig(struct nyk_object *obj, struct nyk_error *err)
{
	struct kconfig_src ks = { 0 };
	struct obj_map *m;
	int rc = 0;

	if (!obj->kconfig_map)
		return 0;
	m = &obj->maps[obj->kconfig_map - 1];
	memset(m->image, 0, m->def.value_size);
	read_release(&ks);
	for (size_t i = 0; i < obj->nsyms && !rc; i++) {
		const struct obj_extern *e = obj_extern_of(obj, i);
		char val[512];
		const char *from;

		if (!e || e->kind != OBJ_EXT_KCONFIG)
			continue;
		if (!value_of(obj, &ks, e->name, val, sizeof(val), &from)) {
			if (e->weak)
				continue;   /* stays 0 */
			if (strncmp(e->name, "CONFIG_", 7) == 0)
				rc = obj_error(obj, err, -ESRCH, NULL, ".kconfig", -1, NULL,
					       "extern '%s' in .kconfig cannot be resolved: neither the options' kconfig "
					       "nor %s sets it (declare it __weak to default to 0)", e->name,
					       ks.system_name[0] ? ks.system_name : "a kernel config (no /boot/config-RELEASE "
					       "or /proc/config.gz readable)");
			else
				rc = obj_error(obj, err, -ESRCH, NULL, ".kconfig", -1, NULL,
					       "extern '%s' in .kconfig cannot be resolved (nyuki knows LINUX_KERNEL_VERSION, "
					       "LINUX_HAS_SYSCALL_WRAPPER, LINUX_HAS_BPF_COOKIE and CONFIG_*)", e->name);
			break;
		}
		if (set_value(obj, e, m->image + e->offset, val))
			rc = obj_error(obj, err, -EINVAL, NULL, ".kconfig", -1, NULL,
				       "extern '%s': value '%s' from %s does not fit its type", e->name, val, from);
	}
	free(ks.system);
	return rc;
}
