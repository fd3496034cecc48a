/*
 * elf_internal.h - bounds-checked reading of ELF64 objects (elf_read.c),
 * shared by the minimal reader (elf_min.c) and the object loader.
 *
 * elf_open() checks the file header and every section header once: each
 * section's bytes lie inside the file, each section name is a
 * NUL-terminated string inside the section-name table. After that the
 * accessors below hand out host-order copies of headers, symbols and
 * relocations, checking every index and offset they are given, so code
 * on top never touches raw bytes. Both byte orders (ELFDATA2LSB and
 * ELFDATA2MSB) are read; elf_read_insns() converts big-endian code.
 *
 * Errors name the section by index and name, the way readelf lists them:
 * "section 3 (.text) extends past end of file (offset 0x..., size 0x...)".
 */
#ifndef NYUKI_ELF_INTERNAL_H
#define NYUKI_ELF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"

/* The constants of the ELF specification this code uses. */
enum {
	ELF_EHDR_SIZE = 64, ELF_SHDR_SIZE = 64, ELF_SYM_SIZE = 24, ELF_REL_SIZE = 16, ELF_RELA_SIZE = 24,
	ELF_CLASS32 = 1, ELF_CLASS64 = 2, ELF_DATA_LSB = 1, ELF_DATA_MSB = 2,
	ELF_ET_REL = 1, ELF_EM_BPF = 247,
	ELF_SHT_NULL = 0, ELF_SHT_PROGBITS = 1, ELF_SHT_SYMTAB = 2, ELF_SHT_STRTAB = 3, ELF_SHT_RELA = 4,
	ELF_SHT_NOBITS = 8, ELF_SHT_REL = 9,
	ELF_SHF_WRITE = 0x1, ELF_SHF_ALLOC = 0x2, ELF_SHF_EXECINSTR = 0x4, ELF_SHF_INFO_LINK = 0x40,
	ELF_SHN_UNDEF = 0, ELF_SHN_LORESERVE = 0xff00, ELF_SHN_ABS = 0xfff1, ELF_SHN_XINDEX = 0xffff,
	ELF_STB_LOCAL = 0, ELF_STB_GLOBAL = 1, ELF_STB_WEAK = 2,
	ELF_STT_NOTYPE = 0, ELF_STT_OBJECT = 1, ELF_STT_FUNC = 2, ELF_STT_SECTION = 3,
};

/* A section header in host byte order, with its name resolved. */
struct elf_section {
	const char *name;     /* points into the file's section-name table */
	uint32_t name_offset; /* sh_name */
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;        /* 0 for SHT_NOBITS as far as file bytes go */
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
};

/* An opened object. The bytes stay owned by the caller. */
struct elf_file {
	const uint8_t *data;
	size_t len;
	int big_endian;
	uint16_t type;        /* e_type */
	size_t shnum;
	size_t shstrndx;
	struct elf_section *sections;   /* shnum entries, malloc'ed */
};

/* A symbol in host byte order. */
struct elf_symbol {
	const char *name;     /* "" for unnamed; points into the file */
	uint8_t bind;         /* ELF_STB_* */
	uint8_t type;         /* ELF_STT_* */
	uint16_t shndx;
	uint64_t value;
	uint64_t size;
};

/* A relocation (SHT_REL or SHT_RELA) in host byte order. */
struct elf_reloc {
	uint64_t offset;
	uint32_t sym;
	uint32_t type;
	int64_t addend;       /* 0 for SHT_REL */
};

/* Check the header and section headers; fills `ef`. Free with elf_close. */
int elf_open(struct elf_file *ef, const void *data, size_t len, struct nyk_error *err);
void elf_close(struct elf_file *ef);

/* Name of section `idx` for messages ("?" when out of range). */
const char *elf_section_name(const struct elf_file *ef, size_t idx);

/* The file bytes of section `idx` (NULL and size 0 for SHT_NOBITS). */
const uint8_t *elf_section_data(const struct elf_file *ef, size_t idx, uint64_t *size);

/* Index of the first section with `type`, or 0 when there is none. */
size_t elf_find_section_type(const struct elf_file *ef, uint32_t type);

/* Index of the section named `name`, or 0 when there is none. */
size_t elf_find_section(const struct elf_file *ef, const char *name);

/*
 * The NUL-terminated string at `offset` of string-table section `strtab`.
 * `what` says what the string names in errors ("symbol 4 name").
 */
int elf_string(const struct elf_file *ef, size_t strtab, uint64_t offset, const char *what, const char **out,
	       struct nyk_error *err);

/*
 * Check that `symtab` is a usable symbol table (entry size, size, sh_link to
 * a string table) and give its number of entries.
 */
int elf_symtab_check(const struct elf_file *ef, size_t symtab, size_t *count, struct nyk_error *err);

/* Symbol `i` of a checked symbol table, its name resolved and checked. */
int elf_symbol(const struct elf_file *ef, size_t symtab, size_t i, struct elf_symbol *sym, struct nyk_error *err);

/* Check a SHT_REL/SHT_RELA section and give its number of entries. */
int elf_relocs_check(const struct elf_file *ef, size_t relsec, size_t *count, struct nyk_error *err);

/* Relocation `i` of a checked relocation section. */
void elf_reloc(const struct elf_file *ef, size_t relsec, size_t i, struct elf_reloc *rel);

/*
 * Copy `count` instruction slots from `bytes` to `out`, converting from the
 * object's byte order: big-endian objects have off and imm big-endian and
 * dst in the high nibble of the registers byte.
 */
void elf_read_insns(const struct elf_file *ef, const uint8_t *bytes, size_t count, struct nyk_insn *out);

/* Byte-order aware reads of `p`, which the caller has bounds-checked. */
uint16_t elf_u16(const struct elf_file *ef, const uint8_t *p);
uint32_t elf_u32(const struct elf_file *ef, const uint8_t *p);
uint64_t elf_u64(const struct elf_file *ef, const uint8_t *p);

#endif
