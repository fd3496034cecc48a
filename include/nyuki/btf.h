/*
 * nyuki/btf.h - BPF Type Format: the types of an object (.BTF), its
 * function and line information (.BTF.ext), and CO-RE relocation against a
 * target BTF (usually the running kernel's /sys/kernel/btf/vmlinux).
 *
 *   struct nyk_btf *btf;
 *   nyk_btf_load_file("prog.o", &btf, &err);       // .BTF of an object, or raw BTF
 *   int64_t id = nyk_btf_find(btf, "task_struct", NYK_BTF_STRUCT);
 *   const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, (uint32_t)id);
 *   const struct nyk_btf_member *m = nyk_btf_members(t);   // nyk_btf_vlen(t) of them
 *   char *c = nyk_btf_dump(btf, NYK_BTF_C, &err);  // compilable C declarations
 *   nyk_btf_free(btf);
 *
 * Types are numbered from 1 (0 is void). struct nyk_btf_type mirrors the
 * kernel's struct btf_type; kind-specific data follows it in memory exactly
 * as in the BTF format (members, params, enum values, ...), in host byte
 * order after parsing: use the nyk_btf_members()/... accessors below.
 *
 * Parsing validates everything once (header, every type record inside the
 * type section, every string offset inside the string section and the
 * section NUL-terminated, every referenced type id in range, kind-specific
 * sizes, no loops or chains deeper than 32 through pointers, arrays,
 * typedefs and modifiers), so that code on top can follow ids and names
 * without checks beyond "not NULL". Parsing is linear in the input size.
 */
#ifndef NYUKI_BTF_H
#define NYUKI_BTF_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

enum nyk_btf_kind {
	NYK_BTF_UNKN = 0, NYK_BTF_INT = 1, NYK_BTF_PTR = 2, NYK_BTF_ARRAY = 3, NYK_BTF_STRUCT = 4,
	NYK_BTF_UNION = 5, NYK_BTF_ENUM = 6, NYK_BTF_FWD = 7, NYK_BTF_TYPEDEF = 8, NYK_BTF_VOLATILE = 9,
	NYK_BTF_CONST = 10, NYK_BTF_RESTRICT = 11, NYK_BTF_FUNC = 12, NYK_BTF_FUNC_PROTO = 13,
	NYK_BTF_VAR = 14, NYK_BTF_DATASEC = 15, NYK_BTF_FLOAT = 16, NYK_BTF_DECL_TAG = 17,
	NYK_BTF_TYPE_TAG = 18, NYK_BTF_ENUM64 = 19,
	NYK_BTF_KIND_MAX = 19,
};

/* INT encoding bits (nyk_btf_int_encoding). */
enum { NYK_BTF_INT_SIGNED = 1, NYK_BTF_INT_CHAR = 2, NYK_BTF_INT_BOOL = 4 };
/* VAR linkage (struct nyk_btf_var) and FUNC linkage (nyk_btf_vlen of a FUNC). */
enum { NYK_BTF_VAR_STATIC = 0, NYK_BTF_VAR_GLOBAL = 1, NYK_BTF_VAR_EXTERN = 2 };
enum { NYK_BTF_FUNC_STATIC = 0, NYK_BTF_FUNC_GLOBAL = 1, NYK_BTF_FUNC_EXTERN = 2 };

struct nyk_btf_type {
	uint32_t name_off;
	uint32_t info;          /* vlen (bits 0-15), kind (24-28), kind_flag (31) */
	union {
		uint32_t size;
		uint32_t type;
	};
};

static inline unsigned nyk_btf_kind(const struct nyk_btf_type *t) { return (t->info >> 24) & 0x1f; }
static inline unsigned nyk_btf_vlen(const struct nyk_btf_type *t) { return t->info & 0xffff; }
static inline unsigned nyk_btf_kflag(const struct nyk_btf_type *t) { return t->info >> 31; }

struct nyk_btf_member { uint32_t name_off, type, offset; };       /* offset: bits (or kflag: size<<24|bits) */
struct nyk_btf_param { uint32_t name_off, type; };
struct nyk_btf_enum { uint32_t name_off; int32_t val; };
struct nyk_btf_enum64 { uint32_t name_off, val_lo32, val_hi32; };
struct nyk_btf_array { uint32_t type, index_type, nelems; };
struct nyk_btf_var { uint32_t linkage; };
struct nyk_btf_var_secinfo { uint32_t type, offset, size; };
struct nyk_btf_decl_tag { int32_t component_idx; };

/* Kind-specific data that follows a type (check the kind first). */
static inline uint32_t nyk_btf_int_data(const struct nyk_btf_type *t) { return *(const uint32_t *)(t + 1); }
static inline unsigned nyk_btf_int_encoding(const struct nyk_btf_type *t) { return (nyk_btf_int_data(t) >> 24) & 0x0f; }
static inline unsigned nyk_btf_int_offset(const struct nyk_btf_type *t) { return (nyk_btf_int_data(t) >> 16) & 0xff; }
static inline unsigned nyk_btf_int_bits(const struct nyk_btf_type *t) { return nyk_btf_int_data(t) & 0xff; }
static inline const struct nyk_btf_member *nyk_btf_members(const struct nyk_btf_type *t)
{
	return (const struct nyk_btf_member *)(t + 1);
}
static inline const struct nyk_btf_param *nyk_btf_params(const struct nyk_btf_type *t)
{
	return (const struct nyk_btf_param *)(t + 1);
}
static inline const struct nyk_btf_enum *nyk_btf_enums(const struct nyk_btf_type *t)
{
	return (const struct nyk_btf_enum *)(t + 1);
}
static inline const struct nyk_btf_enum64 *nyk_btf_enums64(const struct nyk_btf_type *t)
{
	return (const struct nyk_btf_enum64 *)(t + 1);
}
static inline const struct nyk_btf_array *nyk_btf_array_info(const struct nyk_btf_type *t)
{
	return (const struct nyk_btf_array *)(t + 1);
}
static inline const struct nyk_btf_var *nyk_btf_var_info(const struct nyk_btf_type *t)
{
	return (const struct nyk_btf_var *)(t + 1);
}
static inline const struct nyk_btf_var_secinfo *nyk_btf_secinfos(const struct nyk_btf_type *t)
{
	return (const struct nyk_btf_var_secinfo *)(t + 1);
}
static inline const struct nyk_btf_decl_tag *nyk_btf_decl_tag_info(const struct nyk_btf_type *t)
{
	return (const struct nyk_btf_decl_tag *)(t + 1);
}
/* Bit offset and bitfield size (0: not a bitfield) of member i of a struct/union. */
static inline uint32_t nyk_btf_member_bit_offset(const struct nyk_btf_type *t, unsigned i)
{
	uint32_t off = nyk_btf_members(t)[i].offset;
	return nyk_btf_kflag(t) ? off & 0xffffff : off;
}
static inline uint32_t nyk_btf_member_bitfield_size(const struct nyk_btf_type *t, unsigned i)
{
	return nyk_btf_kflag(t) ? nyk_btf_members(t)[i].offset >> 24 : 0;
}
/* Value of enumerator i of an ENUM (sign-extended, as libbpf does) or ENUM64. */
static inline uint64_t nyk_btf_enum_value(const struct nyk_btf_type *t, unsigned i)
{
	if (nyk_btf_kind(t) == NYK_BTF_ENUM64)
		return (uint64_t)nyk_btf_enums64(t)[i].val_hi32 << 32 | nyk_btf_enums64(t)[i].val_lo32;
	return (uint64_t)(int64_t)nyk_btf_enums(t)[i].val;
}

/* "INT", "STRUCT", ... as bpftool prints kinds ("UNKN" for 0 and unknown kinds). */
const char *nyk_btf_kind_name(unsigned kind);

struct nyk_btf;

/* Parse a .BTF section or a raw BTF file's bytes (either byte order). The data is copied. */
int nyk_btf_parse(const void *data, size_t len, struct nyk_btf **btf, struct nyk_error *err);
/* The .BTF section of an ELF object in memory, or raw BTF when `data` is not ELF. */
int nyk_btf_load_mem(const void *data, size_t len, struct nyk_btf **btf, struct nyk_error *err);
/* Read a raw BTF file such as /sys/kernel/btf/vmlinux, or the .BTF of an ELF object. */
int nyk_btf_load_file(const char *path, struct nyk_btf **btf, struct nyk_error *err);
void nyk_btf_free(struct nyk_btf *btf);

/* Whether the parsed data was big-endian. */
int nyk_btf_big_endian(const struct nyk_btf *btf);
/* Number of types including void: valid ids are 0 .. count-1. */
uint32_t nyk_btf_type_count(const struct nyk_btf *btf);
/* Type `id` (id 0 gives a void type of kind NYK_BTF_UNKN), NULL when out of range. */
const struct nyk_btf_type *nyk_btf_type_by_id(const struct nyk_btf *btf, uint32_t id);
/* Name at a string offset ("" for 0, NULL if out of range). */
const char *nyk_btf_str(const struct nyk_btf *btf, uint32_t off);
/* Name of type `id` ("" when anonymous, NULL when id is out of range). */
const char *nyk_btf_type_name(const struct nyk_btf *btf, uint32_t id);
/* First (lowest id) type with this name and kind (NYK_BTF_UNKN: any kind), or -ENOENT. */
int64_t nyk_btf_find(const struct nyk_btf *btf, const char *name, unsigned kind);
/* Id after skipping typedefs and cv-qualifiers (const, volatile, restrict, type tags). */
uint32_t nyk_btf_resolve(const struct nyk_btf *btf, uint32_t id);
/* Size in bytes of a type (arrays multiplied out, pointers 8), or negative errno. */
int64_t nyk_btf_size(const struct nyk_btf *btf, uint32_t id);
/* Alignment in bytes of a type as the C compiler lays it out (pointers 8), or negative errno. */
int64_t nyk_btf_align(const struct nyk_btf *btf, uint32_t id);

/*
 * Loader fix-up, as libbpf does it: compilers leave a DATASEC's size and its
 * variables' offsets 0 in objects (clang up to at least 14 does); the loader
 * sets them from the ELF section size and the symbols' values. `offsets`
 * has nyk_btf_vlen(datasec) entries in secinfo order, or is NULL to keep
 * them. Fails with -EINVAL when a variable would not fit in `size`. The
 * secinfos are then sorted by offset.
 */
int nyk_btf_datasec_fixup(struct nyk_btf *btf, uint32_t datasec_id, uint32_t size, const uint32_t *offsets,
			  struct nyk_error *err);

/* Print types: raw like `bpftool btf dump` or as C declarations. Returns a malloc'ed text. */
enum nyk_btf_format { NYK_BTF_RAW, NYK_BTF_C };
char *nyk_btf_dump(const struct nyk_btf *btf, enum nyk_btf_format format, struct nyk_error *err);
/* One type in the raw format, without the trailing newline (members on following lines). */
char *nyk_btf_dump_type(const struct nyk_btf *btf, uint32_t id, struct nyk_error *err);

/* .BTF.ext: func_info, line_info and CO-RE relocations, per section. */
struct nyk_btf_ext;

struct nyk_btf_func_info { uint32_t insn_off; uint32_t type_id; };          /* insn_off in instructions */
struct nyk_btf_line_info { uint32_t insn_off, file_name_off, line_off, line, column; };
struct nyk_btf_core_relo { uint32_t insn_off, type_id, access_str_off, kind; };

/* CO-RE relocation kinds, as in the kernel's enum bpf_core_relo_kind. */
enum nyk_core_relo_kind {
	NYK_CORE_FIELD_BYTE_OFFSET = 0, NYK_CORE_FIELD_BYTE_SIZE = 1, NYK_CORE_FIELD_EXISTS = 2,
	NYK_CORE_FIELD_SIGNED = 3, NYK_CORE_FIELD_LSHIFT_U64 = 4, NYK_CORE_FIELD_RSHIFT_U64 = 5,
	NYK_CORE_TYPE_ID_LOCAL = 6, NYK_CORE_TYPE_ID_TARGET = 7, NYK_CORE_TYPE_EXISTS = 8,
	NYK_CORE_TYPE_SIZE = 9, NYK_CORE_ENUMVAL_EXISTS = 10, NYK_CORE_ENUMVAL_VALUE = 11,
	NYK_CORE_TYPE_MATCHES = 12,
};

/* "byte_off", "field_exists", ... as libbpf names relocation kinds in its messages. */
const char *nyk_core_relo_kind_name(unsigned kind);

/*
 * Parse .BTF.ext against the object's BTF (section names, file names, line
 * text and access strings are offsets into its strings; func_info type ids
 * must be FUNCs, CO-RE type ids in range). Either byte order. Records keep
 * string offsets: resolve them with nyk_btf_str(btf, ...).
 */
int nyk_btf_ext_parse(const void *data, size_t len, const struct nyk_btf *btf, struct nyk_btf_ext **ext,
		      struct nyk_error *err);
void nyk_btf_ext_free(struct nyk_btf_ext *ext);

/* The sections that have records, in the order the file lists them (names copied). */
size_t nyk_btf_ext_section_count(const struct nyk_btf_ext *ext);
const char *nyk_btf_ext_section_name(const struct nyk_btf_ext *ext, size_t i);

/* Records for the section named `sec` (insn_off converted from bytes to instruction index). */
size_t nyk_btf_ext_func_info(const struct nyk_btf_ext *ext, const char *sec, const struct nyk_btf_func_info **out);
size_t nyk_btf_ext_line_info(const struct nyk_btf_ext *ext, const char *sec, const struct nyk_btf_line_info **out);
size_t nyk_btf_ext_core_relos(const struct nyk_btf_ext *ext, const char *sec,
			      const struct nyk_btf_core_relo **out);

/* The helper id libbpf calls in place of an instruction whose relocation failed ("bad relo"). */
#define NYK_CORE_POISON_HELPER 0xbad2310

/*
 * Apply one CO-RE relocation to insns[relo->insn_off] (and the lddw's second
 * slot), with `local` the object's BTF and `target` the target's, with
 * libbpf's semantics: candidates in the target are the types of the same
 * kind whose name equals the local name without its ___flavor suffix;
 * fields match by name (through anonymous structs and unions) with
 * compatible types; every matching candidate must give the same result.
 * The instruction's current value is checked against the local BTF before
 * it is patched (ALU/ALU64 imm, LDX/ST/STX off and, when the field's size
 * changed, the access size, lddw's 64-bit imm).
 *
 * When the target lacks the field or type that the relocation needs (field
 * offset, size, signedness and shifts, enum value), the instruction is
 * poisoned as libbpf does - replaced by `call NYK_CORE_POISON_HELPER` (both
 * slots of an lddw) - and -ESRCH is returned with a message naming the
 * access ("struct task_struct has no field 'foo' in the target BTF"); the
 * caller decides whether that fails the load (libbpf lets the verifier
 * reject it only when the instruction is reachable). Existence, type id and
 * type size relocations resolve to 0 when the target lacks the type, as in
 * libbpf. Other errors (bad access string, ambiguous candidates, an
 * instruction that does not hold the expected value) leave the instruction
 * untouched and return -EINVAL or -ERANGE. err->insn is set to the index.
 *
 * With target == local (the same pointer: no kernel BTF, the object's own
 * is the target) the access is checked and the instruction kept as the
 * compiler wrote it, which is what its own layout gives.
 */
int nyk_core_apply(struct nyk_insn *insns, size_t count, const struct nyk_btf_core_relo *relo,
		   const struct nyk_btf *local, const struct nyk_btf *target, struct nyk_error *err);

#ifdef __cplusplus
}
#endif

#endif
