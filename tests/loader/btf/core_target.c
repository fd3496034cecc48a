/*
 * core_target.c - the "kernel" the CO-RE tests relocate against: the types
 * of core.c laid out differently, one field and one enumerator missing.
 * Compiled with -g by run.sh; only its .BTF is used.
 */
struct nyk_task {
	long long start;
	int pid;
};

enum nyk_state { NYK_RUNNING = 5 };

struct nyk_task task_for_btf;
enum nyk_state state_for_btf;
