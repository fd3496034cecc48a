#ifndef NYUKI_CLI_HELPERS_H
#define NYUKI_CLI_HELPERS_H

#include "nyuki/vm.h"

/* Register the library's base helpers (nyk_helpers_base()) for a raw program. */
int cli_register_helpers(struct nyk_vm *vm, struct nyk_error *err);

#endif
