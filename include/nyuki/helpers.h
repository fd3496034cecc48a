/*
 * nyuki/helpers.h - the kernel's helper functions, in user space.
 *
 * nyuki implements the helpers that make sense outside the kernel with the
 * kernel's ids and semantics (return values, error codes, what happens on
 * bad input): maps, time, random numbers, printing, strings, checksums,
 * packet adjustment, tail calls, bpf_loop, ring buffers, ... The list is
 * nyk_helper_available(); every other kernel helper is refused at load
 * with its id and kernel name.
 *
 * nyk_program_test_run (object.h) registers the helpers a program's type
 * allows. An embedder running programs on a vm of its own registers them
 * with nyk_helpers_register; helpers that need a run's state (the context,
 * the packet, the object's maps, tail calls) work only inside runs started
 * by nyk_program_test_run and otherwise return the kernel's error for a
 * bad argument.
 *
 * Checked runs (the default) check every pointer a helper receives against
 * the memory the run may access; unchecked runs trust the program, except
 * that the probe_read helpers always read fault-safely.
 *
 * bpf_trace_printk, bpf_trace_vprintk: the library prints nothing of its
 * own, but printing is these helpers' semantics. Their output goes to the
 * trace sink: by default stderr, one line per message (a newline is added
 * when the message has none), as /sys/kernel/tracing/trace_pipe shows
 * them; nyk_set_print_file or nyk_set_print_fn redirect it.
 */
#ifndef NYUKI_HELPERS_H
#define NYUKI_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nyuki/error.h"
#include "nyuki/progtype.h"
#include "nyuki/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether nyuki implements helper `id` in user space. */
int nyk_helper_available(uint32_t id);
/* The user-space implementation of helper `id`, or NULL. */
nyk_helper_fn nyk_helper_fn_of(uint32_t id);

/*
 * The helpers that need no program type (maps, time, random numbers,
 * printing, strings, probe_read, bpf_loop, ...): what a type with
 * helpers == NULL allows. Sets *count.
 */
const uint32_t *nyk_helpers_base(size_t *count);

/*
 * Register on `vm` every helper `type` allows that is available (and the
 * type's extra helpers); type NULL: the base set.
 */
int nyk_helpers_register(struct nyk_vm *vm, const struct nyk_progtype *type, struct nyk_error *err);

/*
 * Where bpf_trace_printk output goes: one call per message, as formatted
 * (a trailing newline kept if the program wrote one).
 */
typedef void (*nyk_print_fn)(void *user, const char *msg, size_t len);
/* Send trace output to `fn` (NULL: back to stderr). Process-wide; set before runs start. */
void nyk_set_print_fn(nyk_print_fn fn, void *user);
/* Send trace output to `file`, one line per message (NULL: back to stderr). */
void nyk_set_print_file(FILE *file);

#ifdef __cplusplus
}
#endif

#endif
