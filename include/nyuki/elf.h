/*
 * nyuki/elf.h - the smallest useful ELF support: write a relocatable
 * ELF64 EM_BPF object holding one program, and read the code of one
 * function back from such an object. The full object loader (maps, BTF,
 * relocations, CO-RE) builds on this in src/loader.
 */
#ifndef NYUKI_ELF_H
#define NYUKI_ELF_H

#include <stddef.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether `data` starts with the ELF magic. */
int nyk_elf_is_elf(const void *data, size_t len);

/*
 * Write an ELF64 little-endian EM_BPF ET_REL object with the program in
 * section `section` (e.g. "xdp" or ".text") and a global STT_FUNC symbol
 * `func` covering it. *out is malloc'ed; the caller frees it.
 */
int nyk_elf_write(const struct nyk_insn *insns, size_t count, const char *section, const char *func, void **out,
		  size_t *out_len, struct nyk_error *err);

/*
 * Read the code of function `func` from an ELF64 EM_BPF object (little- or
 * big-endian; big-endian code is converted). With func NULL: the function
 * "main" if there is one, else the first global function symbol in an
 * executable section (clang lists static subprograms first), else any
 * function symbol, else the first executable section. A .symtab whose sh_link
 * points at .shstrtab (no .strtab) is accepted. *insns is malloc'ed.
 */
int nyk_elf_read_code(const void *data, size_t len, const char *func, struct nyk_insn **insns, size_t *count,
		      struct nyk_error *err);

#ifdef __cplusplus
}
#endif

#endif
