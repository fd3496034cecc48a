/*
 * object_internal.h - the object loader's model of an ELF object, shared by
 * the files of src/loader that build it:
 *
 *   object.c    open: sections, symbols, functions, programs; accessors
 *   reloc.c     relocations of code sections, read at open, applied at link
 *   maps_elf.c  map definitions (legacy `maps`, BTF `.maps`), global data
 *               sections, .kconfig/.ksyms externs; map creation at load
 *   kconfig.c   values of .kconfig externs (options, uname, kernel config)
 *   link.c      nyk_object_load: CO-RE, per-program linking, line info,
 *               validation
 *   vars.c      global variables by name (set/get before and after load)
 *
 * An executable section (`struct obj_code`) holds functions (`struct
 * obj_func`, from STT_FUNC symbols, or the whole section without any).
 * Programs are functions outside `.text` (or in `.text` when it is the only
 * code); every other function is a subprogram, appended to each program
 * that calls it when the program is linked.
 */
#ifndef NYUKI_OBJECT_INTERNAL_H
#define NYUKI_OBJECT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "loader/elf_internal.h"
#include "nyuki/btf.h"
#include "nyuki/map.h"
#include "nyuki/object.h"

/* BPF relocation types (LLVM's numbering, documented in the kernel's llvm_reloc.rst). */
enum {
	R_BPF_NONE = 0, R_BPF_64_64 = 1, R_BPF_64_ABS64 = 2, R_BPF_64_ABS32 = 3, R_BPF_64_NODYLD32 = 4,
	R_BPF_64_32 = 10,
	/* gcc-bpf 12 with binutils' older numbering: 64-bit data, the slot already holds S + A. */
	R_BPF_GCC_DATA_64 = 12,
};

enum { ELF_SHN_COMMON = 0xfff2 };

struct obj_link;

/* Opcodes the loader looks at. */
enum {
	OBJ_OP_LDDW = NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW,
	OBJ_OP_CALL = NYK_CLASS_JMP | NYK_JMP_CALL,
};

/* A relocation of a code section. */
struct obj_reloc {
	uint32_t insn;        /* instruction index in the section */
	uint32_t type;        /* R_BPF_* */
	uint32_t sym;         /* symbol table index */
	int has_addend;       /* SHT_RELA: `addend` replaces the addend held by the instruction */
	int64_t addend;
};

/* A line_info record with its strings resolved. */
struct obj_line {
	uint32_t insn;
	uint32_t line;
	uint32_t column;
	const char *file;
	const char *text;
};

/* A CO-RE relocation that failed (the instruction is poisoned). */
struct obj_core_fail {
	uint32_t insn;        /* in the section */
	char *message;
};

/* An executable section. */
struct obj_code {
	size_t shndx;
	const char *name;
	struct nyk_insn *insns;         /* host order, as in the file */
	struct nyk_insn *core_insns;    /* load: a copy with CO-RE applied, NULL without CO-RE relocations */
	size_t count;
	struct obj_reloc *relocs;       /* sorted by insn */
	size_t nrelocs;
	uint32_t *reloc_at;             /* per insn: 1 + index into relocs, or 0; NULL without relocations */
	size_t func0, nfuncs;           /* its functions: obj->funcs[func0 .. func0 + nfuncs), by start */
	struct obj_line *lines;         /* from .BTF.ext, sorted by insn */
	size_t nlines;
	struct obj_core_fail *fails;    /* load: CO-RE failures, by insn */
	size_t nfails;
};

/* A function of an executable section, or a whole section without function symbols. */
struct obj_func {
	const char *name;
	size_t code;          /* index into obj->codes */
	size_t start, count;  /* instructions in the section */
	size_t prog;          /* 1 + program index, 0 for a subprogram */
	size_t stamp;         /* linking: the program that placed it last ... */
	size_t pos;           /* ... and where */
};

enum obj_map_kind { OBJ_MAP_LEGACY, OBJ_MAP_BTF, OBJ_MAP_DATA, OBJ_MAP_KCONFIG };

/* An initial value of a prog_array (a program) or of a map-in-map (a map). */
struct obj_map_init {
	uint32_t slot;
	uint32_t target;      /* program index or map index */
};

struct obj_map {
	char *name;
	enum obj_map_kind kind;
	size_t shndx;                 /* its section (0 for .kconfig) */
	const char *section;
	uint64_t sec_off;             /* its definition in the section (maps, .maps) */
	uint64_t sec_size;
	struct nyk_map_def def;       /* def.name = name; def.inner = &inner when has_inner */
	struct nyk_map_def inner;
	char *inner_name;
	int has_inner;
	uint32_t values_off;          /* BTF map: byte offset of `values` in the definition */
	uint32_t legacy_id, legacy_inner_id, legacy_inner_idx;   /* iproute2's bpf_elf_map */
	uint8_t *image;               /* data and .kconfig: the initial value */
	int read_only;                /* .rodata*, .kconfig: frozen after load */
	struct obj_map_init *inits;
	size_t ninits;
	struct nyk_map *map;          /* after load */
};

/* A global variable. */
struct obj_var {
	const char *name;
	size_t map;
	uint32_t offset, size;
	uint32_t btf_type;
};

/* An undefined symbol that relocations may refer to: a .kconfig or .ksyms extern. */
enum obj_extern_kind { OBJ_EXT_NONE, OBJ_EXT_KCONFIG, OBJ_EXT_KSYM };

struct obj_extern {
	const char *name;
	enum obj_extern_kind kind;
	int weak;
	int is_func;
	uint32_t btf_type;    /* the VAR's (or FUNC's) type id, 0 without BTF */
	uint32_t size;        /* kconfig: bytes */
	uint32_t offset;      /* kconfig: offset in the .kconfig map */
};

/* A function placed in a linked program; its line records stay its section's. */
struct obj_fname {
	size_t insn;
	const char *name;
	size_t func;          /* index into obj->funcs */
};

struct nyk_program {
	struct nyk_object *obj;
	size_t index;
	size_t func;                  /* index into obj->funcs */
	const char *name;
	const char *section;
	const struct nyk_progtype *type;
	struct nyk_insn *insns;       /* after load: linked, owned */
	size_t count;
	struct obj_fname *fnames;     /* after load: the functions placed in it, by start */
	size_t nfnames;
	struct nyk_core_failure *fails;
	size_t nfails;
	void *runtime;                /* object_runtime.h */
	void (*runtime_free)(void *rt);
};

struct nyk_object {
	char *name;
	uint8_t *data;
	size_t len;
	struct elf_file ef;
	struct nyk_object_opts opts;  /* strings duplicated below */
	char *target_btf_path, *default_type, *shm_dir, *kconfig;

	size_t symtab;
	struct elf_symbol *syms;
	size_t nsyms;

	struct obj_code *codes;
	size_t ncodes;
	struct obj_func *funcs;
	size_t nfuncs;
	struct nyk_program *progs;
	size_t nprogs;

	struct obj_map *maps;
	size_t nmaps;
	size_t *map_of_sec;           /* per section: 1 + map index of its data map or 0 */
	size_t legacy_maps_shndx, btf_maps_shndx;
	struct obj_var *vars;
	size_t nvars;
	struct obj_extern *externs;   /* per symbol index, NULL until needed */
	size_t kconfig_map;           /* 1 + map index, 0 without .kconfig */
	uint32_t kconfig_size;

	struct nyk_btf *btf;
	struct nyk_btf_ext *ext;
	char btf_error[NYK_ERROR_MSG_MAX + 32]; /* why .BTF or .BTF.ext is missing, "" when read */
	char license[128];
	uint32_t kversion;
	int gcc;                      /* produced by GCC: its relocation addends hold the symbol value */
	int loaded;
	size_t stamp;                 /* linking: the program being linked */
	size_t linked_insns;          /* linking: instructions of the programs linked so far */
};

/* ---- object.c ---------------------------------------------------------------- */

/*
 * Fill `err` with code and a message about the object, placed at `insn`
 * (-1: none) of program `prog` (NULL: none) or of section `sec` (NULL:
 * none), with the source position of `line` (NULL: none). Returns code.
 */
int obj_error(const struct nyk_object *obj, struct nyk_error *err, int code, const struct nyk_program *prog,
	      const char *sec, long insn, const struct obj_line *line, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 8, 9)))
#endif
	;
/* The line record of code `c` that covers instruction `insn`, or NULL. */
const struct obj_line *obj_code_line(const struct obj_code *c, size_t insn);
/* The line record of a program that covers instruction `insn`, or NULL. */
const struct obj_line *obj_prog_line(const struct nyk_program *prog, size_t insn);

int obj_is_data_section(const struct elf_section *s);
int obj_is_rodata_section(const char *name);
/* The function of code `c` that contains instruction `insn`, or NULL. */
struct obj_func *obj_func_at(struct nyk_object *obj, const struct obj_code *c, size_t insn);
/* Index into obj->codes of section `shndx`, or -1. */
long obj_code_of_section(const struct nyk_object *obj, size_t shndx);
/* A symbol's name for messages: its name, or its section's name for section symbols. */
const char *obj_sym_name(const struct nyk_object *obj, const struct elf_symbol *sym);

/* ---- reloc.c -------------------------------------------------------------------- */

/* Read the relocations of every code section. */
int obj_read_relocs(struct nyk_object *obj, struct nyk_error *err);
/* Whether instruction `insn` of a code section needs obj_relocate_insn when linked. */
int obj_insn_needs_reloc(const struct obj_code *c, size_t insn, const struct nyk_insn *i);
/*
 * Resolve the instruction copied from insn `sec_insn` of code `c` to
 * linked position `pos`: its relocation (map, global data, extern,
 * function address, call) or its local call; placing called functions.
 */
int obj_relocate_insn(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos,
		      struct nyk_error *err);

/* ---- maps_elf.c ------------------------------------------------------------------- */

/* Map definitions, data sections, variables, externs. */
int obj_read_maps(struct nyk_object *obj, struct nyk_error *err);
/* The map (legacy or BTF) whose definition starts at `off` of section `shndx`, or -1. */
long obj_map_at(const struct nyk_object *obj, size_t shndx, uint64_t off);
/* The extern a symbol names, or NULL when the symbol is not a known extern. */
const struct obj_extern *obj_extern_of(const struct nyk_object *obj, size_t sym);
/* Create every map, write initial data; on failure destroy those created. */
int obj_create_maps(struct nyk_object *obj, struct nyk_error *err);
/* Write prog_array and map-in-map initial values (after programs are linked). */
int obj_init_map_values(struct nyk_object *obj, struct nyk_error *err);
void obj_destroy_maps(struct nyk_object *obj);
void obj_free_maps(struct nyk_object *obj);

/* ---- kconfig.c --------------------------------------------------------------------- */

/* Fill the .kconfig map's image from the options and the running kernel. */
int obj_resolve_kconfig(struct nyk_object *obj, struct nyk_error *err);

/* ---- inflate.c ------------------------------------------------------------------------ */

/* Decompress gzip data (at most `max` bytes out); *out is malloc'ed. -EINVAL, -E2BIG, -ENOMEM. */
int obj_gunzip(const uint8_t *in, size_t len, size_t max, uint8_t **out, size_t *out_len);

/* ---- link.c ----------------------------------------------------------------------- */

/* A program being linked: its instructions and the functions placed in it. */
struct obj_placed {
	size_t func;
	size_t pos;
};

struct obj_link {
	struct nyk_object *obj;
	struct nyk_program *prog;
	struct nyk_insn *buf;
	size_t n, cap;
	struct obj_placed *placed;
	size_t nplaced, capplaced;
	struct obj_core_fail *fails;   /* failures found while linking (weak kfuncs), insn = linked position */
	size_t nfails, capfails;
};

/* Position of function `f` in the program being linked, appending it the first time. */
long obj_link_place(struct obj_link *lk, struct obj_func *f, struct nyk_error *err);
/* Record that the instruction at linked position `pos` was poisoned, with a message. */
int obj_link_poison(struct obj_link *lk, size_t pos, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
void obj_unload(struct nyk_object *obj);

/* ---- vars.c ----------------------------------------------------------------------- */

int obj_read_vars(struct nyk_object *obj, struct nyk_error *err);

#endif
