/*
 * progtype.c - finding program types (by name, by section name as libbpf
 * does), registering an embedder's types, and reading a type's tables:
 * context fields, pointer slots, helpers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/helpers_internal.h"
#include "nyuki/btf.h"
#include "nyuki/helpers.h"
#include "progtypes/progtype_internal.h"

/* ---- the registry ------------------------------------------------------------ */

/* Types registered by the embedder (owned copies of their descriptors). */
static struct nyk_progtype **registered;
static size_t nregistered, registered_cap;

size_t nyk_progtype_count(void)
{
	return progtype_nbuiltin + nregistered;
}

const struct nyk_progtype *nyk_progtype_at(size_t i)
{
	if (i < progtype_nbuiltin)
		return &progtype_builtin[i];
	i -= progtype_nbuiltin;
	return i < nregistered ? registered[i] : NULL;
}

static const struct nyk_progtype *by_exact_name(const char *name)
{
	for (size_t i = 0, n = nyk_progtype_count(); i < n; i++) {
		const struct nyk_progtype *t = nyk_progtype_at(i);
		if (strcmp(t->d.name, name) == 0)
			return t;
	}
	return NULL;
}

static int in_list(const char *const *list, const char *name)
{
	for (; list && *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

const struct nyk_progtype *nyk_progtype_by_name(const char *name)
{
	const struct nyk_progtype *t;

	if (!name || !*name)
		return NULL;
	if ((t = by_exact_name(name)))
		return t;
	for (size_t i = 0, n = nyk_progtype_count(); i < n; i++) {
		t = nyk_progtype_at(i);
		if (in_list(t->d.aliases, name))
			return t;
	}
	return nyk_progtype_for_section(name);
}

/* "xdp" matches exactly; "kprobe+" matches "kprobe" and "kprobe/...". */
static int section_matches(const char *pattern, const char *section)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '+') {
		n--;
		return strncmp(pattern, section, n) == 0 && (section[n] == '\0' || section[n] == '/');
	}
	return strcmp(pattern, section) == 0;
}

/*
 * Names libbpf before 1.0 matched by prefix ("xdp_prog", "socket1",
 * "classifier_ingress"), tried when no exact rule matches.
 */
static const struct {
	const char *prefix;
	const char *type;
} legacy_prefixes[] = {
	{ "xdp", "xdp" },
	{ "socket", "socket_filter" },
	{ "classifier", "sched_cls" },
	{ "action", "sched_act" },
	{ "perf_event", "perf_event" },
	{ "cgroup/skb", "cgroup_skb" },
	{ "cgroup_skb/", "cgroup_skb" },
	{ "kprobe", "kprobe" },
	{ "kretprobe", "kprobe" },
	{ "uprobe", "kprobe" },
	{ "uretprobe", "kprobe" },
	{ "tracepoint", "tracepoint" },
	{ "raw_tracepoint", "raw_tracepoint" },
};

const struct nyk_progtype *nyk_progtype_for_section(const char *section)
{
	const char *best = NULL;
	size_t best_len = 0;

	if (!section || !*section)
		return NULL;
	for (size_t i = 0, n = nyk_progtype_count(); i < n; i++) {
		const struct nyk_progtype *t = nyk_progtype_at(i);
		for (const char *const *p = t->d.sections; p && *p; p++)
			if (section_matches(*p, section))
				return t;
	}
	for (size_t i = 0; i < sizeof(legacy_prefixes) / sizeof(legacy_prefixes[0]); i++) {
		size_t n = strlen(legacy_prefixes[i].prefix);
		if (n > best_len && strncmp(section, legacy_prefixes[i].prefix, n) == 0) {
			best = legacy_prefixes[i].type;
			best_len = n;
		}
	}
	return best ? by_exact_name(best) : NULL;
}

const char *nyk_progtype_name(const struct nyk_progtype *type)
{
	return type ? type->d.name : NULL;
}

uint32_t nyk_progtype_kernel_type(const struct nyk_progtype *type)
{
	return type ? type->d.kernel_type : 0;
}

const struct nyk_progtype_desc *nyk_progtype_desc(const struct nyk_progtype *type)
{
	return type ? &type->d : NULL;
}

/* ---- registration ---------------------------------------------------------------- */

static int check_desc(const struct nyk_progtype_desc *d, struct nyk_error *err)
{
	uint32_t end = 0;

	if (!d->name || !*d->name)
		return nyk_error_set(err, -EINVAL, "program type: no name");
	if (d->run_model > NYK_MODEL_PACKET)
		return nyk_error_set(err, -EINVAL, "program type %s: unknown run model %u", d->name, d->run_model);
	if (d->nfields && !d->fields)
		return nyk_error_set(err, -EINVAL, "program type %s: %zu fields but no field table", d->name,
				     d->nfields);
	if (d->nhelpers && !d->helpers)
		return nyk_error_set(err, -EINVAL, "program type %s: %zu helpers but no helper list", d->name,
				     d->nhelpers);
	if (d->nextra_helpers && !d->extra_helpers)
		return nyk_error_set(err, -EINVAL, "program type %s: %zu extra helpers but no list", d->name,
				     d->nextra_helpers);
	for (size_t i = 0; i < d->nextra_helpers; i++)
		if (!d->extra_helpers[i].fn)
			return nyk_error_set(err, -EINVAL, "program type %s: extra helper %u has no function",
					     d->name, d->extra_helpers[i].id);
	for (size_t i = 0; i < d->nfields; i++) {
		const struct nyk_ctx_field *f = &d->fields[i];
		const char *fname = f->name ? f->name : "?";
		if (f->offset < end)
			return nyk_error_set(err, -EINVAL, "program type %s: field %s overlaps the one before or is "
					     "out of order", d->name, fname);
		if (!f->elem || !f->size || f->size % f->elem || (f->elem & (f->elem - 1)) || f->elem > 8)
			return nyk_error_set(err, -EINVAL, "program type %s: field %s: size %u, element %u", d->name,
					     fname, f->size, f->elem);
		if (f->kind > NYK_CTX_PKT_META)
			return nyk_error_set(err, -EINVAL, "program type %s: field %s: unknown kind %u", d->name,
					     fname, f->kind);
		if (f->kind != NYK_CTX_SCALAR && (f->size != 4 || (f->access & NYK_CTX_WRITE)))
			return nyk_error_set(err, -EINVAL, "program type %s: pointer field %s must be a read-only "
					     "__u32", d->name, fname);
		end = (uint32_t)f->offset + f->size;
	}
	if (end > d->ctx_size)
		return nyk_error_set(err, -EINVAL, "program type %s: fields end at %u, after the context's %u bytes",
				     d->name, end, d->ctx_size);
	if (d->run_model != NYK_MODEL_BYTES && (d->flags & NYK_PT_CTX_BYTES))
		return nyk_error_set(err, -EINVAL, "program type %s: a bytes context runs with NYK_MODEL_BYTES",
				     d->name);
	if (d->ret_min > d->ret_max)
		return nyk_error_set(err, -EINVAL, "program type %s: return range is empty", d->name);
	return 0;
}

int nyk_progtype_register(const struct nyk_progtype_desc *desc, struct nyk_error *err)
{
	const size_t known = sizeof(struct nyk_progtype_desc);
	struct nyk_progtype *t;
	int rc;

	if (!desc || desc->size < offsetof(struct nyk_progtype_desc, ret_max) + sizeof(desc->ret_max))
		return nyk_error_set(err, -EINVAL, "program type: descriptor missing or too small (set its size)");
	for (size_t i = known; i < desc->size; i++)
		if (((const unsigned char *)desc)[i])
			return nyk_error_set(err, -EINVAL, "program type: descriptor has fields this library does not "
					     "know");
	if ((rc = check_desc(desc, err)))
		return rc;
	if (by_exact_name(desc->name))
		return nyk_error_set(err, -EEXIST, "program type %s exists already", desc->name);
	if (nregistered == registered_cap) {
		size_t cap = registered_cap ? registered_cap * 2 : 8;
		struct nyk_progtype **n = realloc(registered, cap * sizeof(*n));
		if (!n)
			return nyk_error_set(err, -ENOMEM, "out of memory registering a program type");
		registered = n;
		registered_cap = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return nyk_error_set(err, -ENOMEM, "out of memory registering a program type");
	memcpy(&t->d, desc, known < desc->size ? known : desc->size);
	t->d.size = known;
	registered[nregistered++] = t;
	return 0;
}

int nyk_progtype_unregister(const char *name)
{
	for (size_t i = 0; name && i < nregistered; i++)
		if (strcmp(registered[i]->d.name, name) == 0) {
			free(registered[i]);
			memmove(&registered[i], &registered[i + 1], (nregistered - i - 1) * sizeof(*registered));
			nregistered--;
			return 0;
		}
	return -ENOENT;
}

/* ---- the context --------------------------------------------------------------------- */

const struct nyk_ctx_field *nyk_progtype_field_at(const struct nyk_progtype *type, uint32_t offset)
{
	const struct nyk_ctx_field *f = type->d.fields;

	for (size_t lo = 0, hi = type->d.nfields; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (offset < f[mid].offset)
			hi = mid;
		else if (offset >= (uint32_t)f[mid].offset + f[mid].size)
			lo = mid + 1;
		else
			return &f[mid];
	}
	return NULL;
}

size_t progtype_nslots(const struct nyk_progtype *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->d.nfields; i++)
		n += t->d.fields[i].kind != NYK_CTX_SCALAR;
	return n;
}

size_t nyk_progtype_runtime_ctx_size(const struct nyk_progtype *type, size_t visible)
{
	return progtype_slots_base(visible) + 8 * progtype_nslots(type);
}

long nyk_progtype_slot_offset(const struct nyk_progtype *type, size_t field)
{
	size_t slot = 0;

	if (field >= type->d.nfields || type->d.fields[field].kind == NYK_CTX_SCALAR)
		return -1;
	for (size_t i = 0; i < field; i++)
		slot += type->d.fields[i].kind != NYK_CTX_SCALAR;
	return (long)(progtype_slots_base(type->d.ctx_size) + 8 * slot);
}

long progtype_slot_of_kind(const struct nyk_progtype *t, unsigned kind)
{
	for (size_t i = 0; i < t->d.nfields; i++)
		if (t->d.fields[i].kind == kind)
			return nyk_progtype_slot_offset(t, i);
	return -1;
}

const struct nyk_ctx_field *progtype_check_access(const struct nyk_progtype *t, int64_t off, unsigned size,
						  int store, char *why, size_t why_size)
{
	const char *ctx = t->d.ctx_name ? t->d.ctx_name : "context";
	const struct nyk_ctx_field *f;
	int64_t in;

	if (off < 0 || off > UINT16_MAX || !(f = nyk_progtype_field_at(t, (uint32_t)off))) {
		snprintf(why, why_size, "no field of %s at offset %lld (%u bytes)", ctx, (long long)off, size);
		return NULL;
	}
	if (off % size) {
		snprintf(why, why_size, "misaligned %u-byte access to %s at offset %lld", size, f->name, (long long)off);
		return NULL;
	}
	if (!(f->access & (store ? NYK_CTX_WRITE : NYK_CTX_READ))) {
		snprintf(why, why_size, "%s %s.%s is not allowed in %s programs", store ? "writing" : "reading", ctx,
			 f->name, t->d.name);
		return NULL;
	}
	in = off - f->offset;
	if (off + size <= (int64_t)f->offset + f->size &&
	    (size == f->elem || (!store && (f->access & NYK_CTX_NARROW) && size < f->elem) ||
	     ((f->access & NYK_CTX_WIDE) && size == 8 && in % 8 == 0)))
		return f;
	snprintf(why, why_size, "%u-byte %s of %s.%s (%u-byte elements)", size, store ? "store" : "load", ctx, f->name,
		 f->elem);
	return NULL;
}

/* ---- helpers ------------------------------------------------------------------------- */

int nyk_progtype_helper_allowed(const struct nyk_progtype *type, uint32_t id)
{
	const uint32_t *ids = type->d.helpers;
	size_t n = type->d.nhelpers;

	for (size_t i = 0; i < type->d.nextra_helpers; i++)
		if (type->d.extra_helpers[i].id == id)
			return 1;
	if (!ids)
		ids = progtype_base_helpers(&n);
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static int extra_helper(const struct nyk_progtype *type, uint32_t id)
{
	for (size_t i = 0; i < type->d.nextra_helpers; i++)
		if (type->d.extra_helpers[i].id == id)
			return 1;
	return 0;
}

int nyk_progtype_check_helpers(const struct nyk_progtype *type, const struct nyk_insn *insns, size_t count,
			       struct nyk_error *err)
{
	for (size_t pc = 0; pc < count; pc++) {
		const struct nyk_insn *in = &insns[pc];
		uint32_t id;
		const char *name;

		if (in->opcode == (NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW)) {
			pc++;
			continue;
		}
		if (in->opcode != (NYK_CLASS_JMP | NYK_JMP_CALL) || nyk_insn_src(in) != NYK_CALL_HELPER)
			continue;
		id = (uint32_t)in->imm;
		if (id == NYK_CORE_POISON_HELPER)
			continue;   /* a failed CO-RE relocation: an error when it runs */
		name = nyk_helper_name(id);
		if (!nyk_progtype_helper_allowed(type, id)) {
			if (err)
				err->insn = (long)pc;
			if (!name)
				return nyk_error_set(err, -EINVAL, "call of unknown helper %u", id);
			return nyk_error_set(err, -EINVAL, "helper %u (%s) is not allowed in %s programs", id, name,
					     type->d.name);
		}
		if (!extra_helper(type, id) && !nyk_helper_available(id)) {
			if (err)
				err->insn = (long)pc;
			return nyk_error_set(err, -ENOTSUP, "helper %u (%s) is not available in user space", id,
					     name ? name : "unknown");
		}
	}
	return 0;
}
