/*
 * fuzz_btf.c - BTF, BTF.ext, the dumps and CO-RE on arbitrary bytes.
 *
 * Input: a little-endian 32-bit length n, then n bytes of .BTF, then the
 * .BTF.ext (the seeds are clang objects' sections laid out so). Whatever
 * the bytes, parsing ends in a BTF or a message; a parsed BTF survives
 * every accessor, both dumps, and every CO-RE relocation of the .BTF.ext
 * applied against itself on a scratch program.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/btf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_types(const struct nyk_btf *btf)
{
	uint32_t n = nyk_btf_type_count(btf);

	for (uint32_t id = 0; id < n; id++) {
		const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, id);
		const char *name = nyk_btf_type_name(btf, id);
		if (!t || !name)
			abort();   /* every id below the count is a type with a name */
		(void)nyk_btf_size(btf, id);
		(void)nyk_btf_align(btf, id);
		if (nyk_btf_resolve(btf, id) >= n)
			abort();
		if (*name && nyk_btf_find(btf, name, nyk_btf_kind(t)) < 0)
			abort();   /* a named type can be found */
	}
	if (nyk_btf_type_by_id(btf, n))
		abort();
}

static void apply_relos(const struct nyk_btf *btf, const struct nyk_btf_ext *ext)
{
	enum { SLOTS = 64 };
	struct nyk_insn insns[SLOTS];

	for (size_t s = 0; s < nyk_btf_ext_section_count(ext); s++) {
		const char *sec = nyk_btf_ext_section_name(ext, s);
		const struct nyk_btf_core_relo *relos;
		const struct nyk_btf_line_info *lines;
		const struct nyk_btf_func_info *funcs;
		size_t n = nyk_btf_ext_core_relos(ext, sec, &relos);

		for (size_t i = 0, nl = nyk_btf_ext_line_info(ext, sec, &lines); i < nl; i++)
			if (!nyk_btf_str(btf, lines[i].file_name_off) || !nyk_btf_str(btf, lines[i].line_off))
				abort();
		for (size_t i = 0, nf = nyk_btf_ext_func_info(ext, sec, &funcs); i < nf; i++)
			if (!nyk_btf_type_by_id(btf, funcs[i].type_id))
				abort();
		for (size_t i = 0; i < n && i < 256; i++) {
			struct nyk_btf_core_relo r = relos[i];
			struct nyk_error err;
			/* Every class of instruction at the relocated slot, in turn. */
			static const uint8_t ops[] = { 0xb7, 0x61, 0x69, 0x79, 0x63, 0x18, 0x0f };
			memset(insns, 0, sizeof(insns));
			r.insn_off %= SLOTS;
			insns[r.insn_off].opcode = ops[i % sizeof(ops)];
			nyk_error_clear(&err);
			if (nyk_core_apply(insns, SLOTS, &r, btf, btf, &err) < 0 && !err.message[0])
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nyk_btf *btf;
	struct nyk_btf_ext *ext;
	struct nyk_error err;
	size_t n;

	if (size < 4)
		return 0;
	n = (size_t)(data[0] | data[1] << 8 | data[2] << 16 | (uint32_t)data[3] << 24) % (size - 3);
	data += 4;
	size -= 4;
	nyk_error_clear(&err);
	if (nyk_btf_parse(data, n, &btf, &err) < 0) {
		if (!err.message[0] || err.code >= 0)
			abort();   /* every failure says why */
		return 0;
	}
	walk_types(btf);
	for (int f = NYK_BTF_RAW; f <= NYK_BTF_C; f++) {
		char *text = nyk_btf_dump(btf, (enum nyk_btf_format)f, &err);
		free(text);
	}
	nyk_error_clear(&err);
	if (nyk_btf_ext_parse(data + n, size - n, btf, &ext, &err) == 0) {
		apply_relos(btf, ext);
		nyk_btf_ext_free(ext);
	} else if (!err.message[0] || err.code >= 0) {
		abort();
	}
	nyk_btf_free(btf);
	return 0;
}
