/*
 * test_rt.c - a minimal ELF64 EM_BPF writer for the runtime's tests (see
 * test_rt.h). Layout: header, section contents, section headers.
 * Sections: null, .shstrtab, .strtab, .symtab, per program its code and
 * .rel section, then maps, .data and license.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "test_rt.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static size_t put(struct buf *b, const void *data, size_t n)
{
	size_t at = b->len;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
	}
	if (data)
		memcpy(b->p + b->len, data, n);
	else
		memset(b->p + b->len, 0, n);
	b->len += n;
	return at;
}

static void align(struct buf *b, size_t a)
{
	while (b->len % a)
		put(b, NULL, 1);
}

static size_t str(struct buf *b, const char *s)
{
	return put(b, s, strlen(s) + 1);
}

struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

struct sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

enum { SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_REL = 9 };
enum { SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXEC = 4, SHF_INFO_LINK = 0x40 };

int tobj_write(const struct tobj *o, void **elf, size_t *len)
{
	struct buf file = { 0 }, shstr = { 0 }, strtab = { 0 }, syms = { 0 };
	struct shdr sh[24];
	size_t nsh = 4, code_sec[4], maps_sec = 0, data_sec = 0, lic_sec, map_sym0 = 0, data_sym = 0;
	struct sym s;
	uint8_t ehdr[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	struct nyk_insn *codes[4] = { 0 };
	size_t counts[4] = { 0 };

	memset(sh, 0, sizeof(sh));
	str(&shstr, "");
	str(&strtab, "");
	put(&syms, NULL, sizeof(struct sym));   /* the null symbol */
	put(&file, ehdr, sizeof(ehdr));

	/* Code sections (each with a relocation section after it). */
	for (size_t i = 0; i < o->nprogs; i++) {
		const struct tobj_prog *p = &o->progs[i];
		if (p->text) {
			struct nyk_error err;
			char msg[300];
			nyk_error_clear(&err);
			if (nyk_asm(p->text, strlen(p->text), p->name, &codes[i], &counts[i], &err) < 0) {
				fprintf(stderr, "tobj: %s\n", nyk_error_format(&err, msg, sizeof(msg)));
				return -1;
			}
		} else {
			codes[i] = malloc(p->count * 8 + 8);
			memcpy(codes[i], p->insns, p->count * 8);
			counts[i] = p->count;
		}
		code_sec[i] = nsh;
		sh[nsh].name = (uint32_t)str(&shstr, p->section);
		sh[nsh].type = SHT_PROGBITS;
		sh[nsh].flags = SHF_ALLOC | SHF_EXEC;
		sh[nsh].addralign = 8;
		nsh += 2;
	}
	if (o->nmaps) {
		maps_sec = nsh++;
		sh[maps_sec].name = (uint32_t)str(&shstr, "maps");
		sh[maps_sec].type = SHT_PROGBITS;
		sh[maps_sec].flags = SHF_ALLOC | SHF_WRITE;
		sh[maps_sec].addralign = 4;
	}
	if (o->data) {
		data_sec = nsh++;
		sh[data_sec].name = (uint32_t)str(&shstr, ".data");
		sh[data_sec].type = SHT_PROGBITS;
		sh[data_sec].flags = SHF_ALLOC | SHF_WRITE;
		sh[data_sec].addralign = 8;
	}
	lic_sec = nsh++;
	sh[lic_sec].name = (uint32_t)str(&shstr, "license");
	sh[lic_sec].type = SHT_PROGBITS;
	sh[lic_sec].flags = SHF_ALLOC | SHF_WRITE;
	sh[lic_sec].addralign = 1;

	/* Symbols: all global. */
	for (size_t i = 0; i < o->nprogs; i++) {
		memset(&s, 0, sizeof(s));
		s.name = (uint32_t)str(&strtab, o->progs[i].name);
		s.info = 0x12;   /* GLOBAL FUNC */
		s.shndx = (uint16_t)code_sec[i];
		s.size = counts[i] * 8;
		put(&syms, &s, sizeof(s));
	}
	map_sym0 = syms.len / sizeof(struct sym);
	for (size_t i = 0; i < o->nmaps; i++) {
		memset(&s, 0, sizeof(s));
		s.name = (uint32_t)str(&strtab, o->maps[i].name);
		s.info = 0x11;   /* GLOBAL OBJECT */
		s.shndx = (uint16_t)maps_sec;
		s.value = 20 * i;
		s.size = 20;
		put(&syms, &s, sizeof(s));
	}
	if (o->data) {
		data_sym = syms.len / sizeof(struct sym);
		memset(&s, 0, sizeof(s));
		s.name = (uint32_t)str(&strtab, "gdata");
		s.info = 0x11;
		s.shndx = (uint16_t)data_sec;
		s.size = o->data_len;
		put(&syms, &s, sizeof(s));
	}

	/* Contents. */
	for (size_t i = 0; i < o->nprogs; i++) {
		struct nyk_insn *code = codes[i];
		size_t count = counts[i];
		align(&file, 8);
		sh[code_sec[i]].offset = file.len;
		put(&file, NULL, count * 8);
		sh[code_sec[i]].size = count * 8;
		{
			struct shdr *r = &sh[code_sec[i] + 1];
			char name[64];
			snprintf(name, sizeof(name), ".rel%s", o->progs[i].section);
			r->name = (uint32_t)str(&shstr, name);
			r->type = SHT_REL;
			r->flags = SHF_INFO_LINK;
			r->link = 3;
			r->info = (uint32_t)code_sec[i];
			r->addralign = 8;
			r->entsize = 16;
			align(&file, 8);
			r->offset = file.len;
			for (size_t k = 0; k + 1 < count; k++) {
				uint32_t mark = (uint32_t)code[k].imm;
				uint64_t off = k * 8, info, symi;
				if (code[k].opcode != 0x18 || code[k + 1].imm || (mark & 0xffff0000u) != 0x5eed0000u)
					continue;
				symi = mark == TOBJ_DATA ? data_sym : map_sym0 + (mark & 0xffff);
				code[k].imm = 0;
				info = symi << 32 | 1;   /* R_BPF_64_64 */
				put(&file, &off, 8);
				put(&file, &info, 8);
			}
			r->size = file.len - r->offset;
		}
		memcpy(file.p + sh[code_sec[i]].offset, code, count * 8);
	}
	if (o->nmaps) {
		align(&file, 4);
		sh[maps_sec].offset = file.len;
		for (size_t i = 0; i < o->nmaps; i++) {
			const struct tobj_map *m = &o->maps[i];
			uint32_t def[5] = { m->type, m->key_size, m->value_size, m->max_entries, m->flags };
			put(&file, def, sizeof(def));
		}
		sh[maps_sec].size = 20 * o->nmaps;
	}
	if (o->data) {
		align(&file, 8);
		sh[data_sec].offset = put(&file, o->data, o->data_len);
		sh[data_sec].size = o->data_len;
	}
	sh[lic_sec].offset = put(&file, "GPL", 4);
	sh[lic_sec].size = 4;

	sh[1].name = (uint32_t)str(&shstr, ".shstrtab");
	sh[2].name = (uint32_t)str(&shstr, ".strtab");
	sh[3].name = (uint32_t)str(&shstr, ".symtab");
	sh[1].type = SHT_STRTAB;
	sh[1].offset = put(&file, shstr.p, shstr.len);
	sh[1].size = shstr.len;
	sh[1].addralign = 1;
	sh[2].type = SHT_STRTAB;
	sh[2].offset = put(&file, strtab.p, strtab.len);
	sh[2].size = strtab.len;
	sh[2].addralign = 1;
	align(&file, 8);
	sh[3].type = SHT_SYMTAB;
	sh[3].offset = put(&file, syms.p, syms.len);
	sh[3].size = syms.len;
	sh[3].link = 2;
	sh[3].info = 1;
	sh[3].addralign = 8;
	sh[3].entsize = sizeof(struct sym);

	align(&file, 8);
	{
		uint64_t shoff = file.len;
		uint16_t v16;
		uint32_t v32;
		for (size_t i = 0; i < nsh; i++)
			put(&file, &sh[i], sizeof(sh[i]));
		v16 = 1;                                   /* ET_REL */
		memcpy(file.p + 16, &v16, 2);
		v16 = 247;                                 /* EM_BPF */
		memcpy(file.p + 18, &v16, 2);
		v32 = 1;
		memcpy(file.p + 20, &v32, 4);
		memcpy(file.p + 40, &shoff, 8);
		v16 = 64;
		memcpy(file.p + 52, &v16, 2);              /* e_ehsize */
		v16 = (uint16_t)sizeof(struct shdr);
		memcpy(file.p + 58, &v16, 2);              /* e_shentsize */
		v16 = (uint16_t)nsh;
		memcpy(file.p + 60, &v16, 2);
		v16 = 1;
		memcpy(file.p + 62, &v16, 2);              /* e_shstrndx */
	}
	for (size_t i = 0; i < o->nprogs; i++)
		free(codes[i]);
	free(shstr.p);
	free(strtab.p);
	free(syms.p);
	*elf = file.p;
	*len = file.len;
	return 0;
}

struct nyk_object *tobj_load(const struct tobj *o)
{
	struct nyk_object *obj = NULL;
	struct nyk_error err;
	char msg[512];
	void *elf;
	size_t len;

	nyk_error_clear(&err);
	if (tobj_write(o, &elf, &len) < 0)
		return NULL;
	if (nyk_object_open_mem(elf, len, "test.o", NULL, &obj, &err) < 0 || nyk_object_load(obj, &err) < 0) {
		fprintf(stderr, "tobj_load: %s\n", nyk_error_format(&err, msg, sizeof(msg)));
		nyk_object_close(obj);
		obj = NULL;
	}
	free(elf);
	return obj;
}

struct nyk_object *tobj_load1(const char *section, const struct nyk_insn *insns, size_t count)
{
	struct tobj o;

	memset(&o, 0, sizeof(o));
	o.progs[0].section = section;
	o.progs[0].name = "prog";
	o.progs[0].insns = insns;
	o.progs[0].count = count;
	o.nprogs = 1;
	return tobj_load(&o);
}

struct nyk_object *tobj_load_asm(const char *section, const char *text)
{
	struct tobj o;

	memset(&o, 0, sizeof(o));
	o.progs[0].section = section;
	o.progs[0].name = "prog";
	o.progs[0].text = text;
	o.nprogs = 1;
	return tobj_load(&o);
}

int tobj_run1(const char *section, const struct nyk_insn *insns, size_t count, struct nyk_test_run *run,
	      struct nyk_error *err)
{
	struct nyk_object *obj = tobj_load1(section, insns, count);
	int rc;

	if (!obj)
		return -100000;
	rc = nyk_program_test_run(nyk_object_program(obj, 0), run, err);
	nyk_object_close(obj);
	return rc;
}
