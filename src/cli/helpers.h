#ifndef NYUKI_CLI_HELPERS_H
#define NYUKI_CLI_HELPERS_H

#include "nyuki/vm.h"

/* Register ktime_get_ns (5), get_prandom_u32 (7), get_smp_processor_id (8). */
int cli_register_helpers(struct nyk_vm *vm, struct nyk_error *err);

#endif
