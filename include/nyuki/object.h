/*
 * nyuki/object.h - eBPF objects (ELF files from clang and gcc) as a
 * program author knows them from libbpf: programs, maps, global data, BTF.
 *
 *   struct nyk_object *obj;
 *   nyk_object_open("prog.o", NULL, &obj, &err);        // parse: programs, maps, BTF
 *   nyk_object_set_var(obj, "cfg_port", &port, 2, &err); // as a skeleton would
 *   nyk_object_load(obj, &err);      // create maps, relocate, link, CO-RE
 *   struct nyk_program *p = nyk_object_find_program(obj, "xdp_prog");
 *   nyk_program_test_run(p, &run, &err);                 // like BPF_PROG_TEST_RUN
 *   nyk_object_close(obj);
 *
 * Handles are opaque; use the accessors. Strings and arrays returned by
 * accessors belong to the object and live until nyk_object_close.
 *
 * After nyk_object_load, a program's instructions are self-contained: its
 * subprograms are appended and calls point at them, CO-RE relocations are
 * applied, and every lddw that refers to a map is src 5 (NYK_PSEUDO_MAP_IDX,
 * imm = map index) or src 6 (NYK_PSEUDO_MAP_IDX_VALUE, imm = map index,
 * second imm = offset into the value), as libbpf does with an fd array.
 * Global data sections (.data, .rodata, .bss, .data.*, .rodata.*, ...) are
 * single-entry array maps named after their section, as in libbpf.
 *
 * Maps are numbered in this order: legacy `maps` definitions, BTF `.maps`
 * definitions (each in section order), global data sections in section
 * order, then `.kconfig` (the resolved kconfig externs, read-only).
 * Initial `values` of a prog_array are written at load as u32 program
 * indices of the object (nyk_object_program), which bpf_tail_call follows;
 * those of array_of_maps/hash_of_maps as u32 map ids (nyk_map_id), as
 * map.h defines map-in-map values.
 *
 * A CO-RE relocation that cannot be resolved against the target BTF does
 * not fail the load: as libbpf does, its instruction (both slots of an
 * lddw) becomes `call NYK_CORE_POISON_HELPER` (nyuki/btf.h), and the failure is listed by
 * nyk_program_core_failures. Executors fail a run that reaches such a call
 * with the message of the failure at that instruction.
 *
 * Errors name the file (err->file), the instruction (err->insn) and, in
 * the message, the section, the program and the source line from BTF
 * line_info when there is one:
 *   "prog.o: insn 12: program 'xdp_prog' in section 'xdp': prog.c:42: ..."
 */
#ifndef NYUKI_OBJECT_H
#define NYUKI_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/btf.h"
#include "nyuki/error.h"
#include "nyuki/isa.h"
#include "nyuki/map.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nyk_object;
struct nyk_program;
struct nyk_progtype;
struct nyk_btf;

struct nyk_object_opts {
	size_t size;                 /* sizeof(struct nyk_object_opts) */
	const char *target_btf_path; /* CO-RE target (raw BTF or an ELF object's .BTF); NULL: the running
					kernel's /sys/kernel/btf/vmlinux when present, else the object's own
					BTF; "": the object's own BTF */
	const char *default_type;    /* program type for sections no table knows ("xdp", ...) */
	const char *shm_dir;         /* create maps as shared files in this directory (NULL: private) */
	unsigned nr_cpus;            /* per-CPU map copies (0 = 1) */
	/*
	 * Values for .kconfig externs, one "CONFIG_X=y" per line, as in
	 * libbpf's kconfig option; they override what the running kernel says
	 * (uname for LINUX_KERNEL_VERSION, /boot/config-RELEASE or
	 * /proc/config.gz for CONFIG_*). NULL: only the running kernel.
	 */
	const char *kconfig;
};


int nyk_object_open(const char *path, const struct nyk_object_opts *opts, struct nyk_object **obj,
		    struct nyk_error *err);
int nyk_object_open_mem(const void *data, size_t len, const char *name, const struct nyk_object_opts *opts,
			struct nyk_object **obj, struct nyk_error *err);
/*
 * Create maps, apply relocations (maps, global data, calls, CO-RE), link
 * subprograms, validate every program (nyk_validate). Once per object:
 * -EALREADY after a successful load.
 */
int nyk_object_load(struct nyk_object *obj, struct nyk_error *err);
int nyk_object_loaded(const struct nyk_object *obj);
void nyk_object_close(struct nyk_object *obj);

const char *nyk_object_name(const struct nyk_object *obj);
const char *nyk_object_license(const struct nyk_object *obj);
uint32_t nyk_object_kversion(const struct nyk_object *obj);
const struct nyk_btf *nyk_object_btf(const struct nyk_object *obj);   /* NULL without .BTF */
/*
 * .BTF and .BTF.ext are optional (as in libbpf): when one cannot be read the
 * object opens without it, unless something needs it (.maps, externs).
 * Why it could not be read, or NULL.
 */
const char *nyk_object_btf_error(const struct nyk_object *obj);

size_t nyk_object_program_count(const struct nyk_object *obj);
struct nyk_program *nyk_object_program(struct nyk_object *obj, size_t i);
/* By function name, or by section name when that is unique. */
struct nyk_program *nyk_object_find_program(struct nyk_object *obj, const char *name);

size_t nyk_object_map_count(const struct nyk_object *obj);
/* Map i of the object (NULL before nyk_object_load for maps not yet created). */
struct nyk_map *nyk_object_map(struct nyk_object *obj, size_t i);
const char *nyk_object_map_name(const struct nyk_object *obj, size_t i);
/* Its definition as read from the object (before and after load), NULL when i is out of range. */
const struct nyk_map_def *nyk_object_map_def(const struct nyk_object *obj, size_t i);
/* Section the map comes from: "maps", ".maps", ".data", ".kconfig", ... */
const char *nyk_object_map_section(const struct nyk_object *obj, size_t i);
struct nyk_map *nyk_object_find_map(struct nyk_object *obj, const char *name);
/* Index of the map named `name`, or -ENOENT. */
long nyk_object_find_map_index(const struct nyk_object *obj, const char *name);

/*
 * Global variables in .data/.rodata/.bss (and their .* variants), found by
 * symbol (STT_OBJECT) or BTF (DATASEC). Before load they change the
 * section's initial image; after load the map's value, except .rodata
 * (and .rodata.*), which is frozen after load (-EPERM). `size` must be
 * the variable's size (-EINVAL otherwise, naming it).
 */
int nyk_object_set_var(struct nyk_object *obj, const char *name, const void *value, size_t size,
		       struct nyk_error *err);
int nyk_object_get_var(struct nyk_object *obj, const char *name, void *value, size_t size, struct nyk_error *err);

struct nyk_var_info {
	const char *name;
	const char *section;    /* ".data", ".rodata", ".bss", ... */
	size_t map;             /* index of the section's map */
	uint32_t offset;        /* in the section */
	uint32_t size;
	uint32_t btf_type;      /* the VAR's type in nyk_object_btf, 0 without BTF */
	int read_only;          /* .rodata*: settable before load only */
};
size_t nyk_object_var_count(const struct nyk_object *obj);
int nyk_object_var(const struct nyk_object *obj, size_t i, struct nyk_var_info *info);
int nyk_object_find_var(const struct nyk_object *obj, const char *name, struct nyk_var_info *info);

/* Programs. */
struct nyk_object *nyk_program_object(const struct nyk_program *prog);
const char *nyk_program_name(const struct nyk_program *prog);
const char *nyk_program_section(const struct nyk_program *prog);
const struct nyk_progtype *nyk_program_type(const struct nyk_program *prog);
int nyk_program_set_type(struct nyk_program *prog, const char *type_name, struct nyk_error *err);
/* Instructions: before load as in the file, after load relocated and linked. */
const struct nyk_insn *nyk_program_insns(const struct nyk_program *prog, size_t *count);
/*
 * 0 when the program can run: the object is loaded and the program has a
 * type. Otherwise a negative errno and a message such as "program 'x' in
 * section '2/7' has no known type; give one (type TYPE)".
 */
int nyk_program_runnable(const struct nyk_program *prog, struct nyk_error *err);
/* Name of the function (the program or a subprogram) that starts at `insn`, or NULL. */
const char *nyk_program_func_name(const struct nyk_program *prog, size_t insn);

/* CO-RE relocations that failed in this program (after load), by instruction. */
struct nyk_core_failure {
	size_t insn;            /* in the linked program */
	const char *message;    /* e.g. "CO-RE relocation #3 (field byte offset of task_struct.pid): ..." */
};
size_t nyk_program_core_failures(const struct nyk_program *prog, const struct nyk_core_failure **out);

/* Source position of an instruction from BTF.ext line_info (after load: of the linked program). */
struct nyk_line_info {
	const char *file;
	const char *line_text;  /* the source line, may be NULL */
	uint32_t line;
	uint32_t column;
};
/* 0 and *li for the closest line record at or before `insn` in its function; -ENOENT without one. */
int nyk_program_line_info(const struct nyk_program *prog, size_t insn, struct nyk_line_info *li);

/*
 * Run a program once or `repeat` times, as BPF_PROG_TEST_RUN does: the
 * context is built from data_in/ctx_in by the program type's rules
 * (progtype.h, docs/runtime.md), the helpers are those the type allows,
 * and the context and packet are not reset between repeats. data_out and
 * ctx_out are filled as the kernel fills them: truncated to their size,
 * with the full size reported and -ENOSPC when it did not fit (retval and
 * duration_ns are set all the same). The program's vm is built on the
 * first run and kept until the object closes. One test run at a time per
 * object.
 */
struct nyk_test_run {
	size_t size;                /* sizeof(struct nyk_test_run) */
	const void *data_in;        /* packet (xdp, tc, socket filter) or memory */
	size_t data_size_in;
	void *data_out;             /* receives the packet after the run (may be NULL) */
	size_t data_size_out;       /* in: capacity; out: bytes of the packet after the run */
	const void *ctx_in;         /* context bytes (kprobe, tracepoint, ... or struct overrides) */
	size_t ctx_size_in;
	void *ctx_out;
	size_t ctx_size_out;
	uint64_t repeat;            /* 0 = 1 */
	unsigned flags;             /* NYK_RUN_* */
	uint64_t retval;            /* out: r0 of the last run (64 bits; the kernel reports the low 32) */
	uint64_t duration_ns;       /* out: average ns per run */
};

enum {
	NYK_RUN_UNCHECKED = 1u << 0,   /* trust the program: no bounds checks, no instruction budget */
	NYK_RUN_JIT = 1u << 1,         /* run on the JIT (the default where this build has one) */
	NYK_RUN_INTERP = 1u << 2,      /* run in the interpreter */
};

int nyk_program_test_run(struct nyk_program *prog, struct nyk_test_run *run, struct nyk_error *err);

#ifdef __cplusplus
}
#endif

#endif
