/*
 * btf_internal.h - the parsed BTF shared by btf.c (parsing, validation,
 * look-ups), btf_ext.c, btf_dump.c and core.c.
 *
 * After nyk_btf_parse the type section is an array of 32-bit words in host
 * byte order (every field of every BTF record is a 32-bit word, so a
 * big-endian section is converted word by word), `offs[id]` is the word
 * index of type `id`, and every id, string offset and record has been
 * checked. A sorted hash of "essential" names (the name without a ___flavor
 * suffix, as CO-RE compares them) finds types by name without a scan.
 */
#ifndef NYUKI_BTF_INTERNAL_H
#define NYUKI_BTF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/btf.h"

/* Longest chain of pointers, arrays, typedefs and modifiers (the kernel's MAX_RESOLVE_DEPTH). */
#define BTF_MAX_CHAIN 32

struct nyk_btf {
	uint32_t *words;        /* the type section, host order */
	size_t nwords;
	char *strs;             /* the string section, NUL-terminated at both ends */
	uint32_t strs_len;
	uint32_t count;         /* types including void */
	uint32_t *offs;         /* offs[id]: word index of type id (offs[0] unused) */
	uint32_t *index_hash;   /* essential-name hashes of the named types, ascending */
	uint32_t *index_id;     /* their ids (ascending among equal hashes) */
	uint32_t nindex;
	int big_endian;
	void *owned;            /* the file read by nyk_btf_load_file, when words and strs point into it */
};

static inline const struct nyk_btf_type *btf_type(const struct nyk_btf *btf, uint32_t id)
{
	return (const struct nyk_btf_type *)(btf->words + btf->offs[id]);
}

static inline const char *btf_name(const struct nyk_btf *btf, uint32_t off)
{
	return off < btf->strs_len ? btf->strs + off : NULL;
}

/* Length of a name without its ___flavor suffix (libbpf's "essential" name). */
size_t btf_essential_len(const char *name);

/*
 * The types whose essential name may be name[0..len): index_id[*begin ..
 * *end), ascending ids; hashes collide, so check each.
 */
void btf_index_range(const struct nyk_btf *btf, const char *name, size_t len, uint32_t *begin, uint32_t *end);

/* Skip typedefs and modifiers; *out_id (if not NULL) receives the id reached. */
const struct nyk_btf_type *btf_skip_mods_typedefs(const struct nyk_btf *btf, uint32_t id, uint32_t *out_id);

static inline int btf_is_composite(const struct nyk_btf_type *t)
{
	unsigned k = nyk_btf_kind(t);
	return k == NYK_BTF_STRUCT || k == NYK_BTF_UNION;
}

static inline int btf_is_any_enum(const struct nyk_btf_type *t)
{
	unsigned k = nyk_btf_kind(t);
	return k == NYK_BTF_ENUM || k == NYK_BTF_ENUM64;
}

static inline int btf_is_modifier(unsigned kind)
{
	return kind == NYK_BTF_VOLATILE || kind == NYK_BTF_CONST || kind == NYK_BTF_RESTRICT ||
	       kind == NYK_BTF_TYPE_TAG;
}

#endif
