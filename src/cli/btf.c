/*
 * btf.c - `nyuki btf dump`: the types of an object's .BTF or of a raw BTF
 * file (such as /sys/kernel/btf/vmlinux), raw like bpftool or as C.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "nyuki/btf.h"

static int do_btf_help(int argc, char **argv)
{
	fprintf(stderr,
		"Usage: %s btf dump [file] FILE [format { raw | c }]\n"
		"       %s btf help\n"
		"\n"
		"       FILE is an ELF object with a .BTF section (clang -g) or a raw BTF file\n"
		"       such as /sys/kernel/btf/vmlinux. The raw format lists every type as\n"
		"       `bpftool btf dump` does (-j: JSON); format c prints C declarations that\n"
		"       compile (a vmlinux.h).\n",
		cli.prog_name, cli.prog_name);
	return EXIT_OK;
}

static const char *anon(const char *s)
{
	return s && *s ? s : "(anon)";
}

static const char *linkage_name(unsigned l)
{
	return l == 0 ? "static" : l == 1 ? "global" : l == 2 ? "extern" : "(unknown)";
}

static void json_kv_u64(const char *key, uint64_t v)
{
	json_key(key);
	json_u64(v);
}

static void json_kv_str(const char *key, const char *v)
{
	json_key(key);
	json_string(v);
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

static void json_members(const struct nyk_btf *btf, const struct nyk_btf_type *t)
{
	json_key("members");
	json_begin_array();
	for (unsigned i = 0; i < nyk_btf_vlen(t); i++) {
		const struct nyk_btf_member *m = &nyk_btf_members(t)[i];
		json_begin_object();
		json_kv_str("name", anon(nyk_btf_str(btf, m->name_off)));
		json_kv_u64("type_id", m->type);
		json_kv_u64("bits_offset", nyk_btf_member_bit_offset(t, i));
		if (nyk_btf_member_bitfield_size(t, i))
			json_kv_u64("bitfield_size", nyk_btf_member_bitfield_size(t, i));
		json_end_object();
	}
	json_end_array();
}

static void json_enum_values(const struct nyk_btf *btf, const struct nyk_btf_type *t)
{
	json_key("values");
	json_begin_array();
	for (unsigned i = 0; i < nyk_btf_vlen(t); i++) {
		int is64 = nyk_btf_kind(t) == NYK_BTF_ENUM64;
		uint64_t v = nyk_btf_enum_value(t, i);
		json_begin_object();
		json_kv_str("name", nyk_btf_str(btf, is64 ? nyk_btf_enums64(t)[i].name_off : nyk_btf_enums(t)[i].name_off));
		json_key("val");
		if (nyk_btf_kflag(t))
			json_i64((int64_t)v);
		else
			json_u64(is64 ? v : (uint32_t)v);
		json_end_object();
	}
	json_end_array();
}

/* One type as bpftool -j prints it. */
static void json_type(const struct nyk_btf *btf, uint32_t id)
{
	const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, id);
	unsigned kind = nyk_btf_kind(t), vlen = nyk_btf_vlen(t);

	json_begin_object();
	json_kv_u64("id", id);
	json_kv_str("kind", nyk_btf_kind_name(kind));
	json_kv_str("name", anon(nyk_btf_str(btf, t->name_off)));
	switch (kind) {
	case NYK_BTF_INT:
		json_kv_u64("size", t->size);
		json_kv_u64("bits_offset", nyk_btf_int_offset(t));
		json_kv_u64("nr_bits", nyk_btf_int_bits(t));
		json_kv_str("encoding", int_encoding(nyk_btf_int_encoding(t)));
		break;
	case NYK_BTF_PTR: case NYK_BTF_CONST: case NYK_BTF_VOLATILE: case NYK_BTF_RESTRICT: case NYK_BTF_TYPEDEF:
	case NYK_BTF_TYPE_TAG:
		json_kv_u64("type_id", t->type);
		break;
	case NYK_BTF_ARRAY:
		json_kv_u64("type_id", nyk_btf_array_info(t)->type);
		json_kv_u64("index_type_id", nyk_btf_array_info(t)->index_type);
		json_kv_u64("nr_elems", nyk_btf_array_info(t)->nelems);
		break;
	case NYK_BTF_STRUCT: case NYK_BTF_UNION:
		json_kv_u64("size", t->size);
		json_kv_u64("vlen", vlen);
		json_members(btf, t);
		break;
	case NYK_BTF_ENUM: case NYK_BTF_ENUM64:
		json_kv_str("encoding", nyk_btf_kflag(t) ? "SIGNED" : "UNSIGNED");
		json_kv_u64("size", t->size);
		json_kv_u64("vlen", vlen);
		json_enum_values(btf, t);
		break;
	case NYK_BTF_FWD:
		json_kv_str("fwd_kind", nyk_btf_kflag(t) ? "union" : "struct");
		break;
	case NYK_BTF_FUNC:
		json_kv_u64("type_id", t->type);
		json_kv_str("linkage", linkage_name(vlen));
		break;
	case NYK_BTF_FUNC_PROTO:
		json_kv_u64("ret_type_id", t->type);
		json_kv_u64("vlen", vlen);
		json_key("params");
		json_begin_array();
		for (unsigned i = 0; i < vlen; i++) {
			json_begin_object();
			json_kv_str("name", anon(nyk_btf_str(btf, nyk_btf_params(t)[i].name_off)));
			json_kv_u64("type_id", nyk_btf_params(t)[i].type);
			json_end_object();
		}
		json_end_array();
		break;
	case NYK_BTF_VAR:
		json_kv_u64("type_id", t->type);
		json_kv_str("linkage", linkage_name(nyk_btf_var_info(t)->linkage));
		break;
	case NYK_BTF_DATASEC:
		json_kv_u64("size", t->size);
		json_kv_u64("vlen", vlen);
		json_key("vars");
		json_begin_array();
		for (unsigned i = 0; i < vlen; i++) {
			const struct nyk_btf_var_secinfo *v = &nyk_btf_secinfos(t)[i];
			json_begin_object();
			json_kv_u64("type_id", v->type);
			json_kv_u64("offset", v->offset);
			json_kv_u64("size", v->size);
			json_end_object();
		}
		json_end_array();
		break;
	case NYK_BTF_FLOAT:
		json_kv_u64("size", t->size);
		break;
	case NYK_BTF_DECL_TAG:
		json_kv_u64("type_id", t->type);
		json_key("component_idx");
		json_i64(nyk_btf_decl_tag_info(t)->component_idx);
		break;
	default:
		break;
	}
	json_end_object();
}

static int do_dump(int argc, char **argv)
{
	const char *file = NULL;
	enum nyk_btf_format format = NYK_BTF_RAW;
	struct nyk_error err;
	struct nyk_btf *btf;
	char *text;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool has_next = i + 1 < argc;
		if (!strcmp(a, "file") && has_next && !file) {
			file = argv[++i];
		} else if ((!strcmp(a, "format") || !strcmp(a, "--format")) && has_next) {
			const char *f = argv[++i];
			if (cli_is_prefix(f, "raw"))
				format = NYK_BTF_RAW;
			else if (!strcmp(f, "c"))
				format = NYK_BTF_C;
			else
				return cli_usage_error("unknown format '%s' (raw or c)", f);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown or incomplete option '%s' for 'btf dump'", a);
		} else if (!file) {
			file = a;
		} else {
			return cli_usage_error("unexpected argument '%s' for 'btf dump'", a);
		}
	}
	if (!file)
		return cli_usage_error("'btf dump' needs a FILE (see '%s btf help')", cli.prog_name);

	nyk_error_clear(&err);
	if (nyk_btf_load_file(file, &btf, &err) < 0)
		return cli_lib_error(&err);
	if (cli.json && format == NYK_BTF_RAW) {
		json_begin_object();
		json_key("types");
		json_begin_array();
		for (uint32_t id = 1; id < nyk_btf_type_count(btf); id++)
			json_type(btf, id);
		json_end_array();
		json_end_object();
		json_finish();
		nyk_btf_free(btf);
		return EXIT_OK;
	}
	text = nyk_btf_dump(btf, format, &err);
	nyk_btf_free(btf);
	if (!text) {
		nyk_error_set_file(&err, file);
		return cli_lib_error(&err);
	}
	fputs(text, stdout);
	free(text);
	return EXIT_OK;
}

int do_btf(int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "dump", do_dump, "print the types of a BTF file or object" },
		{ "help", do_btf_help, "this help" },
		{ NULL, NULL, NULL },
	};
	return cli_dispatch(cmds, argc, argv, "command", do_btf_help);
}
