/*
 * fuzz_object.c - the object loader (nyk_object_open_mem, nyk_object_load)
 * and the ELF, BTF and BTF.ext readers under it on arbitrary bytes.
 * Whatever the input, opening and loading end in an object or a message;
 * a loaded object's programs validate and their accessors stay in bounds.
 * Maps are private (no shared memory); CO-RE uses the object's own BTF.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/object.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_fail_clearly(const struct nyk_error *err)
{
	if (err->code >= 0 || !err->message[0])
		abort();
}

static void walk_programs(struct nyk_object *obj)
{
	for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
		struct nyk_program *p = nyk_object_program(obj, i);
		const struct nyk_core_failure *fails;
		struct nyk_line_info li;
		struct nyk_error err;
		size_t n, nf;
		const struct nyk_insn *in = nyk_program_insns(p, &n);

		if (!nyk_program_name(p) || !nyk_program_section(p) || (n && !in))
			abort();
		if (nyk_object_loaded(obj) && nyk_validate(in, n, NULL) != 0)
			abort();
		for (size_t k = 0; k < n; k++) {
			if (nyk_program_line_info(p, k, &li) == 0 && !li.file)
				abort();
			nyk_program_func_name(p, k);
		}
		nf = nyk_program_core_failures(p, &fails);
		for (size_t k = 0; k < nf; k++)
			if (fails[k].insn >= n || !fails[k].message)
				abort();
		nyk_error_clear(&err);
		if (nyk_program_runnable(p, &err))
			must_fail_clearly(&err);
	}
}

static void walk_vars(struct nyk_object *obj)
{
	uint8_t buf[64];

	for (size_t i = 0; i < nyk_object_var_count(obj); i++) {
		struct nyk_var_info vi;
		struct nyk_error err;
		if (nyk_object_var(obj, i, &vi) || vi.size == 0)
			abort();
		if (vi.size > sizeof(buf))
			continue;
		nyk_error_clear(&err);
		if (nyk_object_get_var(obj, vi.name, buf, vi.size, &err) == 0)
			nyk_object_set_var(obj, vi.name, buf, vi.size, &err);
	}
	for (size_t i = 0; i < nyk_object_map_count(obj); i++)
		if (!nyk_object_map_name(obj, i) || !nyk_object_map_def(obj, i))
			abort();
}

/*
 * Maps the object asks for may be huge (max_entries 2^31): nyk_map_create
 * would allocate them, which tests the allocator, not the loader. Such
 * objects are opened but not loaded.
 */
static int maps_are_small(struct nyk_object *obj)
{
	uint64_t total = 0;

	for (size_t i = 0; i < nyk_object_map_count(obj); i++) {
		const struct nyk_map_def *d = nyk_object_map_def(obj, i);
		total += ((uint64_t)d->key_size + d->value_size + 64) * ((uint64_t)d->max_entries + 1);
		if (d->inner)
			total += ((uint64_t)d->inner->key_size + d->inner->value_size + 64) *
				 ((uint64_t)d->inner->max_entries + 1);
	}
	return total < (64u << 20);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nyk_object_opts opts = { .size = sizeof(opts), .target_btf_path = "", .default_type = "xdp",
					.kconfig = "CONFIG_HZ=100\nLINUX_KERNEL_VERSION=394240\n" };
	struct nyk_object *obj;
	struct nyk_error err;

	nyk_error_clear(&err);
	if (nyk_object_open_mem(data, size, "fuzz.o", &opts, &obj, &err)) {
		must_fail_clearly(&err);
		return 0;
	}
	walk_programs(obj);
	walk_vars(obj);
	nyk_error_clear(&err);
	if (!maps_are_small(obj))
		;
	else if (nyk_object_load(obj, &err))
		must_fail_clearly(&err);
	else {
		walk_programs(obj);
		walk_vars(obj);
	}
	nyk_object_close(obj);
	return 0;
}
