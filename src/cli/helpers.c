/*
 * helpers.c - the helpers the command gives raw programs and assembly:
 * the library's base set (nyk_helpers_register with no program type):
 * time, random numbers, printing, strings, probe_read, bpf_loop, ...
 * Object programs get their type's helpers from nyk_program_test_run.
 */
#include "cli/helpers.h"
#include "nyuki/helpers.h"

int cli_register_helpers(struct nyk_vm *vm, struct nyk_error *err)
{
	return nyk_helpers_register(vm, NULL, err);
}
