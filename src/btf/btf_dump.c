/*
 * btf_dump.c - BTF as text: the raw listing of `bpftool btf dump` (one
 * line per type, members indented below it) and C declarations that a C
 * compiler accepts (what `bpftool btf dump ... format c` gives, e.g. a
 * vmlinux.h).
 *
 * The C printer emits each named type once, after what it needs:
 *   - a struct or union embedded by value needs the full definition of its
 *     members' types first; one reached only through a pointer (or in a
 *     function prototype) needs just a forward declaration `struct x;`;
 *   - a typedef needs its target declared (completed when the typedef is
 *     itself used by value); enums have no dependencies;
 *   - anonymous structs, unions and enums are printed inline where used;
 *     anonymous enums nothing refers to are printed on their own, for their
 *     constants.
 * Layouts are kept: padding is spelled with anonymous bitfields (`long: 64;`)
 * and structs whose members sit off their natural alignment get
 * __attribute__((packed)). Distinct types (and enumerators) sharing a name
 * get a ___N suffix from the second one on, as bpftool does; CO-RE ignores
 * such suffixes when matching.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_internal.h"

/* ---- a growing string -------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

static int sb_reserve(struct sbuf *b, size_t more)
{
	if (b->oom)
		return -1;
	if (b->len + more + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *ns;
		while (cap < b->len + more + 1)
			cap *= 2;
		ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = 1;
			return -1;
		}
		b->s = ns;
		b->cap = cap;
	}
	return 0;
}

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (sb_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void sb_prepend(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (sb_reserve(b, n))
		return;
	memmove(b->s + n, b->s, b->len + 1);
	memcpy(b->s, s, n);
	b->len += n;
}

static void sb_indent(struct sbuf *b, int level)
{
	for (int i = 0; i < level; i++)
		sb_add(b, "\t", 1);
}

/* ---- raw --------------------------------------------------------------- */

static const char *anon(const char *s)
{
	return s && *s ? s : "(anon)";
}

static const char *int_encoding(unsigned enc)
{
	switch (enc) {
	case 0: return "(none)";
	case NYK_BTF_INT_SIGNED: return "SIGNED";
	case NYK_BTF_INT_CHAR: return "CHAR";
	case NYK_BTF_INT_BOOL: return "BOOL";
	default: return "UNKN";
	}
}

static const char *linkage(unsigned l)
{
	switch (l) {
	case 0: return "static";
	case 1: return "global";
	case 2: return "extern";
	default: return "(unknown)";
	}
}

static void raw_type(const struct nyk_btf *btf, uint32_t id, struct sbuf *b)
{
	const struct nyk_btf_type *t = btf_type(btf, id);
	unsigned kind = nyk_btf_kind(t), vlen = nyk_btf_vlen(t);
	const char *name = anon(btf_name(btf, t->name_off));

	sb_printf(b, "[%" PRIu32 "] %s '%s'", id, nyk_btf_kind_name(kind), name);
	switch (kind) {
	case NYK_BTF_INT:
		sb_printf(b, " size=%" PRIu32 " bits_offset=%u nr_bits=%u encoding=%s", t->size, nyk_btf_int_offset(t),
			  nyk_btf_int_bits(t), int_encoding(nyk_btf_int_encoding(t)));
		break;
	case NYK_BTF_PTR: case NYK_BTF_CONST: case NYK_BTF_VOLATILE: case NYK_BTF_RESTRICT: case NYK_BTF_TYPEDEF:
	case NYK_BTF_TYPE_TAG:
		sb_printf(b, " type_id=%" PRIu32, t->type);
		break;
	case NYK_BTF_ARRAY: {
		const struct nyk_btf_array *a = nyk_btf_array_info(t);
		sb_printf(b, " type_id=%" PRIu32 " index_type_id=%" PRIu32 " nr_elems=%" PRIu32, a->type,
			  a->index_type, a->nelems);
		break;
	}
	case NYK_BTF_STRUCT: case NYK_BTF_UNION:
		sb_printf(b, " size=%" PRIu32 " vlen=%u", t->size, vlen);
		for (unsigned i = 0; i < vlen; i++) {
			const struct nyk_btf_member *m = &nyk_btf_members(t)[i];
			sb_printf(b, "\n\t'%s' type_id=%" PRIu32 " bits_offset=%" PRIu32, anon(btf_name(btf, m->name_off)),
				  m->type, nyk_btf_member_bit_offset(t, i));
			if (nyk_btf_member_bitfield_size(t, i))
				sb_printf(b, " bitfield_size=%" PRIu32, nyk_btf_member_bitfield_size(t, i));
		}
		break;
	case NYK_BTF_ENUM: case NYK_BTF_ENUM64:
		sb_printf(b, " encoding=%s size=%" PRIu32 " vlen=%u", nyk_btf_kflag(t) ? "SIGNED" : "UNSIGNED", t->size,
			  vlen);
		for (unsigned i = 0; i < vlen; i++) {
			uint64_t v = nyk_btf_enum_value(t, i);
			uint32_t off = kind == NYK_BTF_ENUM ? nyk_btf_enums(t)[i].name_off : nyk_btf_enums64(t)[i].name_off;
			if (kind == NYK_BTF_ENUM && !nyk_btf_kflag(t))
				v = (uint32_t)v;
			/* bpftool marks 64-bit values with a C suffix. */
			if (nyk_btf_kflag(t))
				sb_printf(b, "\n\t'%s' val=%" PRId64 "%s", btf_name(btf, off), (int64_t)v,
					  kind == NYK_BTF_ENUM64 ? "LL" : "");
			else
				sb_printf(b, "\n\t'%s' val=%" PRIu64 "%s", btf_name(btf, off), v,
					  kind == NYK_BTF_ENUM64 ? "ULL" : "");
		}
		break;
	case NYK_BTF_FWD:
		sb_printf(b, " fwd_kind=%s", nyk_btf_kflag(t) ? "union" : "struct");
		break;
	case NYK_BTF_FUNC:
		sb_printf(b, " type_id=%" PRIu32 " linkage=%s", t->type, linkage(vlen));
		break;
	case NYK_BTF_FUNC_PROTO:
		sb_printf(b, " ret_type_id=%" PRIu32 " vlen=%u", t->type, vlen);
		for (unsigned i = 0; i < vlen; i++) {
			const struct nyk_btf_param *p = &nyk_btf_params(t)[i];
			sb_printf(b, "\n\t'%s' type_id=%" PRIu32, anon(btf_name(btf, p->name_off)), p->type);
		}
		break;
	case NYK_BTF_VAR:
		sb_printf(b, " type_id=%" PRIu32 ", linkage=%s", t->type, linkage(nyk_btf_var_info(t)->linkage));
		break;
	case NYK_BTF_DATASEC:
		sb_printf(b, " size=%" PRIu32 " vlen=%u", t->size, vlen);
		for (unsigned i = 0; i < vlen; i++) {
			const struct nyk_btf_var_secinfo *v = &nyk_btf_secinfos(t)[i];
			const struct nyk_btf_type *vt = btf_type(btf, v->type);
			sb_printf(b, "\n\ttype_id=%" PRIu32 " offset=%" PRIu32 " size=%" PRIu32 " (%s '%s')", v->type,
				  v->offset, v->size, nyk_btf_kind_name(nyk_btf_kind(vt)), anon(btf_name(btf, vt->name_off)));
		}
		break;
	case NYK_BTF_FLOAT:
		sb_printf(b, " size=%" PRIu32, t->size);
		break;
	case NYK_BTF_DECL_TAG:
		sb_printf(b, " type_id=%" PRIu32 " component_idx=%" PRId32, t->type,
			  nyk_btf_decl_tag_info(t)->component_idx);
		break;
	default:
		break;
	}
}

char *nyk_btf_dump_type(const struct nyk_btf *btf, uint32_t id, struct nyk_error *err)
{
	struct sbuf b = { 0 };

	if (id == 0 || id >= btf->count) {
		nyk_error_set(err, -EINVAL, "BTF: no type %" PRIu32 " (%" PRIu32 " types)", id, btf->count - 1);
		return NULL;
	}
	raw_type(btf, id, &b);
	if (b.oom || !b.s) {
		free(b.s);
		nyk_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return b.s;
}

/* ---- C: names ---------------------------------------------------------- */

/* How many times each name has been given out, per C name space. */
struct name_counts {
	struct name_count { char *name; uint32_t count; } *slots;
	size_t cap, used;
};

static uint32_t bump_name(struct name_counts *nc, const char *name, int *oom)
{
	uint32_t h = 2166136261u;
	size_t i;

	if (nc->used * 2 >= nc->cap) {
		size_t cap = nc->cap ? nc->cap * 2 : 256;
		struct name_count *ns = calloc(cap, sizeof(*ns));
		if (!ns) {
			*oom = 1;
			return 1;
		}
		for (size_t j = 0; j < nc->cap; j++) {
			if (!nc->slots[j].name)
				continue;
			uint32_t hh = 2166136261u;
			for (const char *p = nc->slots[j].name; *p; p++)
				hh = (hh ^ (uint8_t)*p) * 16777619u;
			for (i = hh & (cap - 1); ns[i].name; i = (i + 1) & (cap - 1))
				;
			ns[i] = nc->slots[j];
		}
		free(nc->slots);
		nc->slots = ns;
		nc->cap = cap;
	}
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (i = h & (nc->cap - 1); nc->slots[i].name; i = (i + 1) & (nc->cap - 1))
		if (strcmp(nc->slots[i].name, name) == 0)
			return ++nc->slots[i].count;
	nc->slots[i].name = strdup(name);
	if (!nc->slots[i].name) {
		*oom = 1;
		return 1;
	}
	nc->slots[i].count = 1;
	nc->used++;
	return 1;
}

static void free_names(struct name_counts *nc)
{
	for (size_t i = 0; i < nc->cap; i++)
		free(nc->slots[i].name);
	free(nc->slots);
}

/* ---- C: state ---------------------------------------------------------- */

enum { ST_NONE, ST_BUSY, ST_DONE };
enum { MAX_NESTING = 128 };

struct cdump {
	const struct nyk_btf *btf;
	struct sbuf out;
	uint8_t *state;       /* per id: ST_* of its declaration */
	uint8_t *fwd_done;    /* per id: forward declaration printed */
	uint8_t *referenced;  /* per id: used by another type we print */
	char **names;         /* per id: the name given, once given */
	struct name_counts tags, idents;
	int depth;
	int in_proto;         /* inside a function prototype's parameters */
	uint32_t owner;       /* the struct or typedef whose declaration needs what is being emitted */
	int err;
};

static const struct nyk_btf_type *ctype(const struct cdump *d, uint32_t id)
{
	return nyk_btf_type_by_id(d->btf, id);
}

static char *give_name(struct cdump *d, const char *orig, struct name_counts *ns)
{
	int oom = 0;
	uint32_t n = bump_name(ns, orig, &oom);
	char *s;

	if (oom) {
		d->err = -ENOMEM;
		return NULL;
	}
	if (n == 1) {
		s = strdup(orig);
	} else {
		size_t len = strlen(orig) + 16;
		s = malloc(len);
		if (s)
			snprintf(s, len, "%s___%" PRIu32, orig, n);
	}
	if (!s)
		d->err = -ENOMEM;
	return s;
}

/* The C name of a named type: its own, or with ___N when another type took it first. */
static const char *type_cname(struct cdump *d, uint32_t id)
{
	const struct nyk_btf_type *t = ctype(d, id);
	unsigned k = nyk_btf_kind(t);
	const char *orig = btf_name(d->btf, t->name_off);

	if (d->names[id])
		return d->names[id];
	if (k == NYK_BTF_FWD) {
		/* A forward declaration names the struct or union of that name, if there is one. */
		int64_t full = nyk_btf_find(d->btf, orig, nyk_btf_kflag(t) ? NYK_BTF_UNION : NYK_BTF_STRUCT);
		if (full > 0)
			return type_cname(d, (uint32_t)full);
	}
	d->names[id] = give_name(d, orig, k == NYK_BTF_TYPEDEF ? &d->idents : &d->tags);
	return d->names[id] ? d->names[id] : "__nyk_oom";
}

/* ---- C: ordering ------------------------------------------------------- */

static void emit(struct cdump *d, uint32_t id, int by_value);
static void print_struct(struct cdump *d, uint32_t id, int indent);
static void print_enum(struct cdump *d, uint32_t id, int indent);
static void print_decl(struct cdump *d, uint32_t id, const char *name, int indent);

static void print_fwd(struct cdump *d, uint32_t id)
{
	const struct nyk_btf_type *t = ctype(d, id);
	unsigned k = nyk_btf_kind(t);
	int is_union = k == NYK_BTF_UNION || (k == NYK_BTF_FWD && nyk_btf_kflag(t));

	if (d->fwd_done[id])
		return;
	d->fwd_done[id] = 1;
	sb_printf(&d->out, "%s %s;\n\n", is_union ? "union" : "struct", type_cname(d, id));
}

static void emit_members(struct cdump *d, const struct nyk_btf_type *t)
{
	for (unsigned i = 0; i < nyk_btf_vlen(t); i++)
		emit(d, nyk_btf_members(t)[i].type, 1);
}

static void emit_composite(struct cdump *d, uint32_t id, const struct nyk_btf_type *t, int by_value)
{
	if (!t->name_off || !*btf_name(d->btf, t->name_off)) {
		/* Anonymous: printed inline by its user; its members' types come first. */
		if (d->state[id] != ST_NONE)
			return;
		d->state[id] = ST_BUSY;
		emit_members(d, t);
		d->state[id] = ST_DONE;
		return;
	}
	if (d->state[id] == ST_DONE)
		return;
	if (d->state[id] == ST_BUSY) {
		/*
		 * Being defined: its tag is declared by the time its own
		 * members print, and a pointer to it elsewhere declares it at
		 * file scope; only a function prototype in a declaration
		 * printed before it needs `struct x;` (prototype scope), or a
		 * struct that contains itself (broken BTF).
		 */
		if (by_value || (d->in_proto && d->owner != id))
			print_fwd(d, id);
		return;
	}
	if (!by_value) {
		print_fwd(d, id);
		return;
	}
	d->state[id] = ST_BUSY;
	{
		uint32_t owner = d->owner;
		int in_proto = d->in_proto;
		d->owner = id;
		d->in_proto = 0;
		emit_members(d, t);
		d->owner = owner;
		d->in_proto = in_proto;
	}
	print_struct(d, id, 0);
	sb_puts(&d->out, ";\n\n");
	d->state[id] = ST_DONE;
}

static void print_typedef(struct cdump *d, uint32_t id, const struct nyk_btf_type *t)
{
	sb_puts(&d->out, "typedef ");
	print_decl(d, t->type, type_cname(d, id), 0);
	sb_puts(&d->out, ";\n\n");
	d->state[id] = ST_DONE;
}

static void emit_typedef(struct cdump *d, uint32_t id, const struct nyk_btf_type *t, int by_value)
{
	if (d->state[id] == ST_DONE) {
		if (by_value)
			emit(d, t->type, 1);   /* declared, but its target must now be complete */
		return;
	}
	if (d->state[id] == ST_BUSY) {
		/*
		 * Needed while its target is being completed, as in
		 * `typedef struct s s_t; struct s { s_t *next; };`: the typedef
		 * only needs the target declared, so it goes first.
		 */
		emit(d, t->type, 0);
		if (d->state[id] == ST_BUSY)
			print_typedef(d, id, t);
		return;
	}
	d->state[id] = ST_BUSY;
	{
		uint32_t owner = d->owner;
		int in_proto = d->in_proto;
		d->owner = id;
		d->in_proto = 0;
		emit(d, t->type, by_value);
		d->owner = owner;
		d->in_proto = in_proto;
	}
	if (d->state[id] == ST_BUSY)
		print_typedef(d, id, t);
}

/* Make type `id` usable from here on: completely (by_value) or at least declared. */
static void emit(struct cdump *d, uint32_t id, int by_value)
{
	const struct nyk_btf_type *t = ctype(d, id);

	if (!t || d->err)
		return;
	if (++d->depth > MAX_NESTING) {
		d->err = -ELOOP;
		d->depth--;
		return;
	}
	switch (nyk_btf_kind(t)) {
	case NYK_BTF_PTR:
		emit(d, t->type, 0);
		break;
	case NYK_BTF_CONST: case NYK_BTF_VOLATILE: case NYK_BTF_RESTRICT: case NYK_BTF_TYPE_TAG:
		emit(d, t->type, by_value);
		break;
	case NYK_BTF_ARRAY:
		emit(d, nyk_btf_array_info(t)->type, by_value);
		break;
	case NYK_BTF_FUNC_PROTO:
		emit(d, t->type, 0);
		d->in_proto++;
		for (unsigned i = 0; i < nyk_btf_vlen(t); i++)
			emit(d, nyk_btf_params(t)[i].type, 0);
		d->in_proto--;
		break;
	case NYK_BTF_STRUCT: case NYK_BTF_UNION:
		emit_composite(d, id, t, by_value);
		break;
	case NYK_BTF_ENUM: case NYK_BTF_ENUM64:
		if (t->name_off && *btf_name(d->btf, t->name_off) && d->state[id] == ST_NONE) {
			d->state[id] = ST_DONE;
			print_enum(d, id, 0);
			sb_puts(&d->out, ";\n\n");
		}
		break;
	case NYK_BTF_FWD:
		if (d->state[id] == ST_NONE) {
			int64_t full = nyk_btf_find(d->btf, btf_name(d->btf, t->name_off),
						    nyk_btf_kflag(t) ? NYK_BTF_UNION : NYK_BTF_STRUCT);
			d->state[id] = ST_DONE;
			if (full > 0)
				emit(d, (uint32_t)full, 0);
			else
				print_fwd(d, id);
		}
		break;
	case NYK_BTF_TYPEDEF:
		/* The compiler's own (__builtin_va_list) must not be redefined. */
		if (strncmp(btf_name(d->btf, t->name_off), "__builtin_", 10) != 0)
			emit_typedef(d, id, t, by_value);
		break;
	default:
		break;   /* void, INT, FLOAT are built in; FUNC, VAR, DATASEC, DECL_TAG are not printed */
	}
	d->depth--;
}

/* ---- C: declarations --------------------------------------------------- */

static int is_qualifier(unsigned k)
{
	return k == NYK_BTF_CONST || k == NYK_BTF_VOLATILE || k == NYK_BTF_RESTRICT;
}

static const char *qualifier_word(unsigned k)
{
	return k == NYK_BTF_CONST ? "const" : k == NYK_BTF_VOLATILE ? "volatile" : "restrict";
}

/* Whether the qualifiers starting at `id` apply to a pointer (skipping other qualifiers and tags). */
static int qualifies_pointer(struct cdump *d, uint32_t id)
{
	for (int i = 0; i <= BTF_MAX_CHAIN; i++) {
		const struct nyk_btf_type *t = ctype(d, id);
		unsigned k = nyk_btf_kind(t);
		if (k == NYK_BTF_PTR)
			return 1;
		if (!is_qualifier(k) && k != NYK_BTF_TYPE_TAG)
			return 0;
		id = t->type;
	}
	return 0;
}

static void print_params(struct cdump *d, const struct nyk_btf_type *fp, struct sbuf *decl)
{
	unsigned n = nyk_btf_vlen(fp);
	struct sbuf saved = d->out;

	/* Parameters print into their own buffer, then join the declarator. */
	d->out = (struct sbuf){ 0 };
	sb_puts(&d->out, "(");
	if (n == 0)
		sb_puts(&d->out, "void");
	for (unsigned i = 0; i < n; i++) {
		const struct nyk_btf_param *p = &nyk_btf_params(fp)[i];
		if (i)
			sb_puts(&d->out, ", ");
		if (p->type == 0 && i + 1 == n) {
			sb_puts(&d->out, "...");
			break;
		}
		print_decl(d, p->type, btf_name(d->btf, p->name_off), 0);
	}
	sb_puts(&d->out, ")");
	if (d->out.oom)
		d->err = -ENOMEM;
	else if (d->out.s)
		sb_puts(decl, d->out.s);
	free(d->out.s);
	d->out = saved;
}

/* Print the type of a member's bitfield or a typedef's target as an anonymous inline definition, or by name. */
static void print_base(struct cdump *d, uint32_t id, const char *quals, int indent)
{
	const struct nyk_btf_type *t = ctype(d, id);
	unsigned k = nyk_btf_kind(t);
	const char *name = btf_name(d->btf, t->name_off);

	sb_puts(&d->out, quals);
	switch (k) {
	case NYK_BTF_UNKN:
		sb_puts(&d->out, "void");
		break;
	case NYK_BTF_INT: case NYK_BTF_FLOAT:
		sb_puts(&d->out, name);
		break;
	case NYK_BTF_STRUCT: case NYK_BTF_UNION:
		if (*name)
			sb_printf(&d->out, "%s %s", k == NYK_BTF_UNION ? "union" : "struct", type_cname(d, id));
		else
			print_struct(d, id, indent);
		break;
	case NYK_BTF_ENUM: case NYK_BTF_ENUM64:
		if (*name)
			sb_printf(&d->out, "enum %s", type_cname(d, id));
		else
			print_enum(d, id, indent);
		break;
	case NYK_BTF_FWD:
		sb_printf(&d->out, "%s %s", nyk_btf_kflag(t) ? "union" : "struct", type_cname(d, id));
		break;
	case NYK_BTF_TYPEDEF:
		sb_puts(&d->out, type_cname(d, id));
		break;
	default:
		sb_printf(&d->out, "void /* %s */", nyk_btf_kind_name(k));
		break;
	}
}

/*
 * Print "<type> <name>" in C declarator syntax. The declarator is built
 * inside out: pointers prepend '*', arrays and functions append, with
 * parentheses when they apply to a pointer; qualifiers of a pointer go in
 * the declarator, other qualifiers before the base type.
 */
static void print_decl(struct cdump *d, uint32_t id, const char *name, int indent)
{
	struct sbuf decl = { 0 }, quals = { 0 };
	unsigned qual_bits = 0;
	int ptr_last = 0;

	if (++d->depth > MAX_NESTING) {
		d->err = -ELOOP;
		d->depth--;
		return;
	}
	sb_puts(&decl, name ? name : "");
	sb_puts(&quals, "");
	for (int steps = 0;; steps++) {
		const struct nyk_btf_type *t = ctype(d, id);
		unsigned k = nyk_btf_kind(t);

		if (steps > 4 * BTF_MAX_CHAIN || d->err) {
			d->err = d->err ? d->err : -ELOOP;
			break;
		}
		if (k == NYK_BTF_PTR) {
			sb_prepend(&decl, "*");
			ptr_last = 1;
			id = t->type;
		} else if (is_qualifier(k)) {
			if (qualifies_pointer(d, t->type)) {
				sb_prepend(&decl, decl.len ? " " : "");
				sb_prepend(&decl, qualifier_word(k));
			} else if (!(qual_bits & (1u << k))) {
				qual_bits |= 1u << k;   /* const const int is said once */
				sb_puts(&quals, qualifier_word(k));
				sb_puts(&quals, " ");
			}
			id = t->type;
		} else if (k == NYK_BTF_TYPE_TAG) {
			/* Tags of the pointee, as clang writes them: int __attribute__((btf_type_tag("user"))) *p. */
			if (!nyk_btf_kflag(t)) {
				char tag[NYK_ERROR_MSG_MAX];
				snprintf(tag, sizeof(tag), "__attribute__((btf_type_tag(\"%.180s\")))%s",
					 btf_name(d->btf, t->name_off), decl.len ? " " : "");
				sb_prepend(&decl, tag);
			}
			id = t->type;
		} else if (k == NYK_BTF_ARRAY) {
			if (ptr_last) {
				sb_prepend(&decl, "(");
				sb_puts(&decl, ")");
			}
			sb_printf(&decl, "[%" PRIu32 "]", nyk_btf_array_info(t)->nelems);
			ptr_last = 0;
			id = nyk_btf_array_info(t)->type;
		} else if (k == NYK_BTF_FUNC_PROTO) {
			if (ptr_last) {
				sb_prepend(&decl, "(");
				sb_puts(&decl, ")");
			}
			print_params(d, t, &decl);
			ptr_last = 0;
			id = t->type;
		} else {
			break;
		}
	}
	if (decl.oom || quals.oom)
		d->err = -ENOMEM;
	if (!d->err) {
		print_base(d, id, quals.s, indent);
		if (decl.len)
			sb_printf(&d->out, " %s", decl.s);
	}
	free(decl.s);
	free(quals.s);
	d->depth--;
}

/* ---- C: structs, unions, enums ----------------------------------------- */

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

/*
 * Anonymous bitfields that move the position from `from` to `to` bits; a
 * long gap gets one char array after the first byte boundary.
 */
static void print_padding(struct cdump *d, uint64_t from, uint64_t to, int indent)
{
	if (to - from > 8 * 64) {
		uint64_t byte = round_up(from, 8);
		if (byte > from) {
			sb_indent(&d->out, indent);
			sb_printf(&d->out, "long: %" PRIu64 ";\n", byte - from);
		}
		sb_indent(&d->out, indent);
		sb_printf(&d->out, "char __pad_%" PRIu64 "[%" PRIu64 "];\n", byte / 8, (to - byte) / 8);
		from = byte + (to - byte) / 8 * 8;
	}
	while (from < to) {
		uint64_t room = 64 - from % 64, chunk = to - from < room ? to - from : room;
		sb_indent(&d->out, indent);
		sb_printf(&d->out, "long: %" PRIu64 ";\n", chunk);
		from += chunk;
	}
}

/* Bits of member i of struct t, and whether it is a bitfield. */
static uint64_t member_bits(struct cdump *d, const struct nyk_btf_type *t, unsigned i, int *bitfield)
{
	const struct nyk_btf_member *m = &nyk_btf_members(t)[i];
	const struct nyk_btf_type *mt = btf_skip_mods_typedefs(d->btf, m->type, NULL);
	int64_t size;

	*bitfield = 0;
	if (nyk_btf_member_bitfield_size(t, i)) {
		*bitfield = 1;
		return nyk_btf_member_bitfield_size(t, i);
	}
	if (mt && nyk_btf_kind(mt) == NYK_BTF_INT && nyk_btf_int_bits(mt) != mt->size * 8) {
		*bitfield = 1;   /* old-style bitfield (kind_flag 0): the INT carries the width */
		return nyk_btf_int_bits(mt);
	}
	size = nyk_btf_size(d->btf, m->type);
	return size > 0 ? (uint64_t)size * 8 : 0;
}

static void print_struct(struct cdump *d, uint32_t id, int indent)
{
	const struct nyk_btf_type *t = ctype(d, id);
	int is_union = nyk_btf_kind(t) == NYK_BTF_UNION;
	const char *name = btf_name(d->btf, t->name_off);
	int64_t max_align = 1, align = nyk_btf_align(d->btf, id);
	int packed;
	uint64_t pos = 0;

	for (unsigned i = 0; i < nyk_btf_vlen(t); i++) {
		int64_t a = nyk_btf_align(d->btf, nyk_btf_members(t)[i].type);
		if (a > max_align)
			max_align = a;
	}
	packed = !is_union && align == 1 && max_align > 1;
	sb_printf(&d->out, "%s%s%s {\n", is_union ? "union" : "struct", *name ? " " : "",
		  *name ? type_cname(d, id) : "");
	for (unsigned i = 0; i < nyk_btf_vlen(t) && !d->err; i++) {
		const struct nyk_btf_member *m = &nyk_btf_members(t)[i];
		uint64_t off = nyk_btf_member_bit_offset(t, i);
		int bitfield;
		uint64_t bits = member_bits(d, t, i, &bitfield);
		int64_t a = nyk_btf_align(d->btf, m->type);

		if (!is_union) {
			uint64_t unit = (uint64_t)(a > 0 ? a : 1) * 8, natural;
			if (bitfield)
				natural = packed || bits == 0 || pos / unit == (pos + bits - 1) / unit ? pos : round_up(pos, unit);
			else
				natural = round_up(pos, packed ? 8 : unit);
			if (off > natural)
				print_padding(d, pos, off, indent + 1);
		}
		sb_indent(&d->out, indent + 1);
		if (d->depth + 1 > MAX_NESTING) {
			d->err = -ELOOP;
			break;
		}
		d->depth++;
		print_decl(d, m->type, btf_name(d->btf, m->name_off), indent + 1);
		d->depth--;
		if (bitfield)
			sb_printf(&d->out, ": %" PRIu64, bits);
		sb_puts(&d->out, ";\n");
		if (!is_union && off + bits > pos)
			pos = off + bits;
	}
	if (!is_union) {
		uint64_t end = round_up(pos, packed ? 8 : (uint64_t)max_align * 8);
		if ((uint64_t)t->size * 8 > end)
			print_padding(d, pos, (uint64_t)t->size * 8, indent + 1);
	}
	sb_indent(&d->out, indent);
	sb_puts(&d->out, packed ? "} __attribute__((packed))" : "}");
}

static void print_enum(struct cdump *d, uint32_t id, int indent)
{
	const struct nyk_btf_type *t = ctype(d, id);
	const char *name = btf_name(d->btf, t->name_off);
	unsigned kind = nyk_btf_kind(t);

	sb_printf(&d->out, "enum%s%s {\n", *name ? " " : "", *name ? type_cname(d, id) : "");
	for (unsigned i = 0; i < nyk_btf_vlen(t) && !d->err; i++) {
		uint32_t off = kind == NYK_BTF_ENUM ? nyk_btf_enums(t)[i].name_off : nyk_btf_enums64(t)[i].name_off;
		uint64_t v = nyk_btf_enum_value(t, i);
		char *ename = give_name(d, btf_name(d->btf, off), &d->idents);
		if (!ename)
			return;
		sb_indent(&d->out, indent + 1);
		if (kind == NYK_BTF_ENUM && !nyk_btf_kflag(t))
			v = (uint32_t)v;
		/* Values beyond 32 bits carry a suffix so that C reads them as 64-bit. */
		if (nyk_btf_kflag(t))
			sb_printf(&d->out, "%s = %" PRId64 "%s,\n", ename, (int64_t)v,
				  (int64_t)v < INT32_MIN || (int64_t)v > INT32_MAX ? "LL" : "");
		else
			sb_printf(&d->out, "%s = %" PRIu64 "%s,\n", ename, v, v > UINT32_MAX ? "ULL" : "");
		free(ename);
	}
	sb_indent(&d->out, indent);
	sb_puts(&d->out, t->size < 4 ? "} __attribute__((packed))" : "}");
}

/* ---- C: the whole ------------------------------------------------------ */

static void mark_referenced(struct cdump *d)
{
	for (uint32_t id = 1; id < d->btf->count; id++) {
		const struct nyk_btf_type *t = btf_type(d->btf, id);
		switch (nyk_btf_kind(t)) {
		case NYK_BTF_PTR: case NYK_BTF_CONST: case NYK_BTF_VOLATILE: case NYK_BTF_RESTRICT:
		case NYK_BTF_TYPEDEF: case NYK_BTF_TYPE_TAG:
			d->referenced[t->type] = 1;
			break;
		case NYK_BTF_ARRAY:
			d->referenced[nyk_btf_array_info(t)->type] = 1;
			break;
		case NYK_BTF_STRUCT: case NYK_BTF_UNION:
			for (unsigned i = 0; i < nyk_btf_vlen(t); i++)
				d->referenced[nyk_btf_members(t)[i].type] = 1;
			break;
		case NYK_BTF_FUNC_PROTO:
			d->referenced[t->type] = 1;
			for (unsigned i = 0; i < nyk_btf_vlen(t); i++)
				d->referenced[nyk_btf_params(t)[i].type] = 1;
			break;
		default:
			break;
		}
	}
}

static char *dump_c(const struct nyk_btf *btf, struct nyk_error *err)
{
	struct cdump d = { .btf = btf };
	size_t n = btf->count;

	d.state = calloc(n, 1);
	d.fwd_done = calloc(n, 1);
	d.referenced = calloc(n, 1);
	d.names = calloc(n, sizeof(*d.names));
	if (!d.state || !d.fwd_done || !d.referenced || !d.names)
		d.err = -ENOMEM;
	if (!d.err) {
		mark_referenced(&d);
		sb_puts(&d.out, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n"
			"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
			"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
			"#endif\n\n");
	}
	for (uint32_t id = 1; id < n && !d.err; id++) {
		const struct nyk_btf_type *t = btf_type(btf, id);
		unsigned k = nyk_btf_kind(t);
		int named = *btf_name(btf, t->name_off) != 0;

		if (((k == NYK_BTF_STRUCT || k == NYK_BTF_UNION || k == NYK_BTF_TYPEDEF || k == NYK_BTF_FWD) && named) ||
		    ((k == NYK_BTF_ENUM || k == NYK_BTF_ENUM64) && named))
			emit(&d, id, 1);
		else if ((k == NYK_BTF_ENUM || k == NYK_BTF_ENUM64) && !d.referenced[id]) {
			print_enum(&d, id, 0);
			sb_puts(&d.out, ";\n\n");
		}
	}
	if (!d.err)
		sb_puts(&d.out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
			"#endif /* __VMLINUX_H__ */\n");
	if (d.out.oom && !d.err)
		d.err = -ENOMEM;
	free(d.state);
	free(d.fwd_done);
	free(d.referenced);
	if (d.names)
		for (size_t i = 0; i < n; i++)
			free(d.names[i]);
	free(d.names);
	free_names(&d.tags);
	free_names(&d.idents);
	if (d.err) {
		free(d.out.s);
		nyk_error_set(err, d.err, d.err == -ENOMEM ? "out of memory" :
			      "BTF: types nested too deeply (or containing themselves) to print as C");
		return NULL;
	}
	return d.out.s;
}

char *nyk_btf_dump(const struct nyk_btf *btf, enum nyk_btf_format format, struct nyk_error *err)
{
	struct sbuf b = { 0 };

	if (format == NYK_BTF_C)
		return dump_c(btf, err);
	if (format != NYK_BTF_RAW) {
		nyk_error_set(err, -EINVAL, "unknown BTF dump format %d", (int)format);
		return NULL;
	}
	sb_puts(&b, "");
	for (uint32_t id = 1; id < btf->count && !b.oom; id++) {
		raw_type(btf, id, &b);
		sb_puts(&b, "\n");
	}
	if (b.oom) {
		free(b.s);
		nyk_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return b.s;
}
