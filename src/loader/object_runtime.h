/*
 * object_runtime.h - a slot in each program of an object for what the
 * runtime (nyk_program_test_run, src/progtypes) keeps between runs. The
 * loader owns the slot: it calls `free_fn` when the object is closed.
 */
#ifndef NYUKI_OBJECT_RUNTIME_H
#define NYUKI_OBJECT_RUNTIME_H

struct nyk_program;

/* The runtime state stored for a program, or NULL. */
void *obj_program_runtime(const struct nyk_program *prog);
/* Store it (replacing and freeing any earlier one) with the function that frees it. */
void obj_program_set_runtime(struct nyk_program *prog, void *rt, void (*free_fn)(void *rt));

#endif
