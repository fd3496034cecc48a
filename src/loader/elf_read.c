/*
 * elf_read.c - bounds-checked reading of ELF64 objects in either byte order
 * (elf_internal.h): the file and section headers, string tables, symbols,
 * relocations and instructions. The minimal reader (elf_min.c) and the
 * object loader (object.c and the files beside it) build on these.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf_internal.h"

/* ---- byte order ------------------------------------------------------- */

uint16_t elf_u16(const struct elf_file *ef, const uint8_t *p)
{
	return ef->big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

uint32_t elf_u32(const struct elf_file *ef, const uint8_t *p)
{
	if (ef->big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

uint64_t elf_u64(const struct elf_file *ef, const uint8_t *p)
{
	uint64_t a = elf_u32(ef, p), b = elf_u32(ef, p + 4);
	return ef->big_endian ? a << 32 | b : b << 32 | a;
}

/* ---- file and section headers ------------------------------------------ */

static const char *machine_name(unsigned m)
{
	switch (m) {
	case 0: return "no machine";
	case 3: return "i386";
	case 8: return "MIPS";
	case 20: return "PowerPC";
	case 21: return "PowerPC64";
	case 22: return "s390";
	case 40: return "ARM";
	case 62: return "x86-64";
	case 183: return "AArch64";
	case 243: return "RISC-V";
	default: return "unknown machine";
	}
}

/* Whether [offset, offset + size) lies inside a file of `len` bytes. */
static int in_file(uint64_t offset, uint64_t size, size_t len)
{
	return offset <= len && size <= len - offset;
}

static int has_file_bytes(const struct elf_section *s)
{
	return s->type != ELF_SHT_NULL && s->type != ELF_SHT_NOBITS;
}

const char *elf_section_name(const struct elf_file *ef, size_t idx)
{
	if (idx >= ef->shnum || !ef->sections[idx].name)
		return "?";
	return ef->sections[idx].name;
}

static void read_section_header(const struct elf_file *ef, const uint8_t *p, struct elf_section *s)
{
	s->name = NULL;
	s->name_offset = elf_u32(ef, p);
	s->type = elf_u32(ef, p + 4);
	s->flags = elf_u64(ef, p + 8);
	s->addr = elf_u64(ef, p + 16);
	s->offset = elf_u64(ef, p + 24);
	s->size = elf_u64(ef, p + 32);
	s->link = elf_u32(ef, p + 40);
	s->info = elf_u32(ef, p + 44);
	s->addralign = elf_u64(ef, p + 48);
	s->entsize = elf_u64(ef, p + 56);
}

static int check_ident(struct elf_file *ef, const uint8_t *d, size_t len, struct nyk_error *err)
{
	if (len < 4 || memcmp(d, "\177ELF", 4) != 0)
		return nyk_error_set(err, -EINVAL, "not an ELF object (no \\x7fELF magic)");
	if (len < ELF_EHDR_SIZE)
		return nyk_error_set(err, -EINVAL, "truncated ELF header: the file has %zu bytes, the header needs %d",
				     len, ELF_EHDR_SIZE);
	if (d[4] == ELF_CLASS32)
		return nyk_error_set(err, -EINVAL, "32-bit ELF (ELFCLASS32) is not supported: eBPF objects are ELF64");
	if (d[4] != ELF_CLASS64)
		return nyk_error_set(err, -EINVAL, "unknown ELF class %u (ELFCLASS64 is 2)", d[4]);
	if (d[5] != ELF_DATA_LSB && d[5] != ELF_DATA_MSB)
		return nyk_error_set(err, -EINVAL, "unknown ELF data encoding %u (neither little- nor big-endian)", d[5]);
	ef->big_endian = d[5] == ELF_DATA_MSB;
	return 0;
}

/* Read e_shnum/e_shstrndx, following the extended numbering of section 0. */
static int read_section_count(struct elf_file *ef, const uint8_t *d, size_t len, uint64_t shoff,
			      struct nyk_error *err)
{
	uint64_t shnum = elf_u16(ef, d + 60);
	uint64_t shstrndx = elf_u16(ef, d + 62);

	if (shnum == 0 || shstrndx == ELF_SHN_XINDEX) {
		if (!in_file(shoff, ELF_SHDR_SIZE, len))
			return nyk_error_set(err, -EINVAL,
					     "section header 0 extends past end of file (offset 0x%" PRIx64 ")", shoff);
		if (shnum == 0)
			shnum = elf_u64(ef, d + shoff + 32);
		if (shstrndx == ELF_SHN_XINDEX)
			shstrndx = elf_u32(ef, d + shoff + 40);
	}
	if (shnum == 0)
		return nyk_error_set(err, -EINVAL, "object has no section headers");
	if (shnum > (len - shoff) / ELF_SHDR_SIZE)
		return nyk_error_set(err, -EINVAL,
				     "section headers extend past end of file (offset 0x%" PRIx64 ", %" PRIu64
				     " headers of %d bytes, file size 0x%zx)",
				     shoff, shnum, ELF_SHDR_SIZE, len);
	if (shstrndx >= shnum)
		return nyk_error_set(err, -EINVAL, "section-name table index %" PRIu64 " is out of range (%" PRIu64
				     " sections)", shstrndx, shnum);
	ef->shnum = (size_t)shnum;
	ef->shstrndx = (size_t)shstrndx;
	return 0;
}


/* Give every section its name from the section-name table. */
static int resolve_section_names(struct elf_file *ef, struct nyk_error *err)
{
	const struct elf_section *names = &ef->sections[ef->shstrndx];
	const char *table;

	if (ef->shstrndx == 0) {   /* SHN_UNDEF: the object names no section */
		for (size_t i = 0; i < ef->shnum; i++)
			ef->sections[i].name = "";
		return 0;
	}
	if (names->type != ELF_SHT_STRTAB)
		return nyk_error_set(err, -EINVAL, "section-name table (section %zu) has type %" PRIu32
				     ", not SHT_STRTAB (3)", ef->shstrndx, names->type);
	if (!in_file(names->offset, names->size, ef->len))
		return nyk_error_set(err, -EINVAL,
				     "section-name table (section %zu) extends past end of file (offset 0x%" PRIx64
				     ", size 0x%" PRIx64 ")", ef->shstrndx, names->offset, names->size);
	table = (const char *)ef->data + names->offset;
	for (size_t i = 0; i < ef->shnum; i++) {
		uint32_t off = ef->sections[i].name_offset;
		if (i == 0 && off == 0) {
			ef->sections[i].name = "";
			continue;
		}
		if (off >= names->size)
			return nyk_error_set(err, -EINVAL,
					     "section %zu: name offset 0x%" PRIx32
					     " is outside the section-name table (size 0x%" PRIx64 ")",
					     i, off, names->size);
		if (!memchr(table + off, '\0', (size_t)(names->size - off)))
			return nyk_error_set(err, -EINVAL,
					     "section %zu: name at offset 0x%" PRIx32
					     " of the section-name table is not NUL-terminated", i, off);
		ef->sections[i].name = table + off;
	}
	return 0;
}

int elf_open(struct elf_file *ef, const void *data, size_t len, struct nyk_error *err)
{
	const uint8_t *d = data;
	uint64_t shoff;
	int rc;

	memset(ef, 0, sizeof(*ef));
	if (!d)
		len = 0;
	ef->data = d;
	ef->len = len;
	if ((rc = check_ident(ef, d, len, err)))
		return rc;
	ef->type = elf_u16(ef, d + 16);
	if (elf_u16(ef, d + 18) != ELF_EM_BPF)
		return nyk_error_set(err, -EINVAL, "ELF machine is %u (%s), not EM_BPF (247)", elf_u16(ef, d + 18),
				     machine_name(elf_u16(ef, d + 18)));
	shoff = elf_u64(ef, d + 40);
	if (shoff == 0)
		return nyk_error_set(err, -EINVAL, "object has no section headers");
	if (elf_u16(ef, d + 58) != ELF_SHDR_SIZE)
		return nyk_error_set(err, -EINVAL, "section header size is %u, not %d", elf_u16(ef, d + 58),
				     ELF_SHDR_SIZE);
	if (shoff > len)
		return nyk_error_set(err, -EINVAL,
				     "section headers start past end of file (offset 0x%" PRIx64 ", file size 0x%zx)",
				     shoff, len);
	if ((rc = read_section_count(ef, d, len, shoff, err)))
		return rc;

	ef->sections = calloc(ef->shnum, sizeof(*ef->sections));
	if (!ef->sections)
		return nyk_error_set(err, -ENOMEM, "out of memory for %zu section headers", ef->shnum);
	for (size_t i = 0; i < ef->shnum; i++)
		read_section_header(ef, d + shoff + i * ELF_SHDR_SIZE, &ef->sections[i]);
	if ((rc = resolve_section_names(ef, err)))
		goto fail;
	for (size_t i = 1; i < ef->shnum; i++) {
		const struct elf_section *s = &ef->sections[i];
		if (has_file_bytes(s) && !in_file(s->offset, s->size, len)) {
			rc = nyk_error_set(err, -EINVAL,
					   "section %zu (%s) extends past end of file (offset 0x%" PRIx64
					   ", size 0x%" PRIx64 ", file size 0x%zx)",
					   i, s->name, s->offset, s->size, len);
			goto fail;
		}
	}
	return 0;
fail:
	elf_close(ef);
	return rc;
}

void elf_close(struct elf_file *ef)
{
	free(ef->sections);
	ef->sections = NULL;
	ef->shnum = 0;
}

const uint8_t *elf_section_data(const struct elf_file *ef, size_t idx, uint64_t *size)
{
	const struct elf_section *s;

	*size = 0;
	if (idx >= ef->shnum)
		return NULL;
	s = &ef->sections[idx];
	if (!has_file_bytes(s))
		return NULL;
	*size = s->size;
	return ef->data + s->offset;
}

size_t elf_find_section_type(const struct elf_file *ef, uint32_t type)
{
	for (size_t i = 1; i < ef->shnum; i++)
		if (ef->sections[i].type == type)
			return i;
	return 0;
}

size_t elf_find_section(const struct elf_file *ef, const char *name)
{
	for (size_t i = 1; i < ef->shnum; i++)
		if (strcmp(ef->sections[i].name, name) == 0)
			return i;
	return 0;
}

/* ---- strings, symbols, relocations ----------------------------------------- */

int elf_string(const struct elf_file *ef, size_t strtab, uint64_t offset, const char *what, const char **out,
	       struct nyk_error *err)
{
	const struct elf_section *s;
	const char *table;

	if (strtab == 0 || strtab >= ef->shnum || ef->sections[strtab].type != ELF_SHT_STRTAB)
		return nyk_error_set(err, -EINVAL, "%s: section %zu is not a string table", what, strtab);
	s = &ef->sections[strtab];
	if (offset >= s->size)
		return nyk_error_set(err, -EINVAL,
				     "%s: offset 0x%" PRIx64 " is outside string table section %zu (%s) (size 0x%" PRIx64
				     ")", what, offset, strtab, s->name, s->size);
	table = (const char *)ef->data + s->offset;
	if (!memchr(table + offset, '\0', (size_t)(s->size - offset)))
		return nyk_error_set(err, -EINVAL,
				     "%s: string at offset 0x%" PRIx64 " of section %zu (%s) is not NUL-terminated",
				     what, offset, strtab, s->name);
	*out = table + offset;
	return 0;
}

int elf_symtab_check(const struct elf_file *ef, size_t symtab, size_t *count, struct nyk_error *err)
{
	const struct elf_section *s = &ef->sections[symtab];
	const struct elf_section *link;

	if (s->entsize != ELF_SYM_SIZE && s->entsize != 0)
		return nyk_error_set(err, -EINVAL,
				     "symbol table (section %zu, %s) has entry size %" PRIu64 ", not %d",
				     symtab, s->name, s->entsize, ELF_SYM_SIZE);
	if (s->size % ELF_SYM_SIZE)
		return nyk_error_set(err, -EINVAL,
				     "symbol table (section %zu, %s) has size 0x%" PRIx64 ", not a multiple of %d",
				     symtab, s->name, s->size, ELF_SYM_SIZE);
	if (s->link == 0 || s->link >= ef->shnum)
		return nyk_error_set(err, -EINVAL,
				     "symbol table (section %zu, %s) links to section %" PRIu32 ", which does not exist",
				     symtab, s->name, s->link);
	link = &ef->sections[s->link];
	if (link->type != ELF_SHT_STRTAB)
		return nyk_error_set(err, -EINVAL,
				     "symbol table (section %zu, %s) links to section %" PRIu32
				     " (%s), which is not a string table", symtab, s->name, s->link, link->name);
	*count = (size_t)(s->size / ELF_SYM_SIZE);
	return 0;
}

int elf_symbol(const struct elf_file *ef, size_t symtab, size_t i, struct elf_symbol *sym, struct nyk_error *err)
{
	const struct elf_section *s = &ef->sections[symtab];
	const uint8_t *p = ef->data + s->offset + i * ELF_SYM_SIZE;
	uint32_t name = elf_u32(ef, p);

	sym->bind = p[4] >> 4;
	sym->type = p[4] & 0x0f;
	sym->shndx = elf_u16(ef, p + 6);
	sym->value = elf_u64(ef, p + 8);
	sym->size = elf_u64(ef, p + 16);
	sym->name = "";
	if (name) {
		/* The common case without formatting a description; redo with one for the message. */
		const struct elf_section *str = s->link < ef->shnum ? &ef->sections[s->link] : NULL;
		char what[48];

		if (str && str->type == ELF_SHT_STRTAB && name < str->size &&
		    memchr(ef->data + str->offset + name, '\0', (size_t)(str->size - name))) {
			sym->name = (const char *)ef->data + str->offset + name;
			return 0;
		}
		snprintf(what, sizeof(what), "symbol %zu name", i);
		return elf_string(ef, s->link, name, what, &sym->name, err);
	}
	return 0;
}

int elf_relocs_check(const struct elf_file *ef, size_t relsec, size_t *count, struct nyk_error *err)
{
	const struct elf_section *s = &ef->sections[relsec];
	unsigned want = s->type == ELF_SHT_RELA ? ELF_RELA_SIZE : ELF_REL_SIZE;

	if (s->entsize != want && s->entsize != 0)
		return nyk_error_set(err, -EINVAL,
				     "relocation section %zu (%s) has entry size %" PRIu64 ", not %u",
				     relsec, s->name, s->entsize, want);
	if (s->size % want)
		return nyk_error_set(err, -EINVAL,
				     "relocation section %zu (%s) has size 0x%" PRIx64 ", not a multiple of %u",
				     relsec, s->name, s->size, want);
	*count = (size_t)(s->size / want);
	return 0;
}

void elf_reloc(const struct elf_file *ef, size_t relsec, size_t i, struct elf_reloc *rel)
{
	const struct elf_section *s = &ef->sections[relsec];
	int rela = s->type == ELF_SHT_RELA;
	const uint8_t *p = ef->data + s->offset + i * (rela ? ELF_RELA_SIZE : ELF_REL_SIZE);
	uint64_t info = elf_u64(ef, p + 8);

	rel->offset = elf_u64(ef, p);
	rel->sym = (uint32_t)(info >> 32);
	rel->type = (uint32_t)info;
	rel->addend = rela ? (int64_t)elf_u64(ef, p + 16) : 0;
}

/* ---- instructions ------------------------------------------------------------ */

void elf_read_insns(const struct elf_file *ef, const uint8_t *bytes, size_t count, struct nyk_insn *out)
{
	for (size_t i = 0; i < count; i++, bytes += 8) {
		uint8_t regs = bytes[1];
		out[i].opcode = bytes[0];
		/* Big-endian encodings keep dst in the high nibble, src in the low. */
		out[i].regs = ef->big_endian ? (uint8_t)(regs >> 4 | regs << 4) : regs;
		out[i].off = (int16_t)elf_u16(ef, bytes + 2);
		out[i].imm = (int32_t)elf_u32(ef, bytes + 4);
	}
}
