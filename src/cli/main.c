/*
 * main.c - the nyuki command: global options and the object table.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct cli cli;

static int do_help(int argc, char **argv);

static int do_version(int argc, char **argv)
{
	if (cli.json) {
		json_begin_object();
		json_key("version");
		json_string(NYK_VERSION);
		json_end_object();
		json_finish();
	} else {
		printf("nyuki %s\n", NYK_VERSION);
	}
	return EXIT_OK;
}

static const struct cli_cmd objects[] = {
	{ "prog", do_prog, "run and inspect programs" },
	{ "map", do_map, "maps of objects and in shared memory" },
	{ "btf", do_btf, "print BTF type information (raw or as C)" },
	{ "asm", do_asm, "assemble a program" },
	{ "disasm", do_disasm, "disassemble a program" },
	{ "test", do_test, "run test suites (conformance)" },
	{ "version", do_version, "print the version" },
	{ "help", do_help, "this help" },
	{ NULL, NULL, NULL },
};

static int do_help(int argc, char **argv)
{
	fprintf(stderr,
		"Usage: %s [OPTIONS] OBJECT { COMMAND | help }\n"
		"       %s version\n"
		"\n"
		"       OBJECT := { prog | map | btf | asm | disasm | test }\n"
		"       OPTIONS := { -j|--json [-p|--pretty] | -q|--quiet | -h|--help | -V|--version }\n"
		"\n",
		cli.prog_name, cli.prog_name);
	for (const struct cli_cmd *c = objects; c->name; c++)
		fprintf(stderr, "       %-8s %s\n", c->name, c->summary);
	fprintf(stderr, "\nSee '%s OBJECT help' for the commands of an object.\n", cli.prog_name);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	cli.prog_name = "nyuki";
	/* "+": stop at the first non-option so commands keep their own options. */
	while ((opt = getopt_long(argc, argv, "+jpqhV", options, NULL)) != -1) {
		switch (opt) {
		case 'j': cli.json = true; break;
		case 'p': cli.json = true; cli.pretty = true; break;
		case 'q': cli.quiet = true; break;
		case 'h': return do_help(0, NULL);
		case 'V': return do_version(0, NULL);
		default:
			do_help(0, NULL);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		do_help(0, NULL);
		return EXIT_USAGE;
	}
	return cli_dispatch(objects, argc, argv, "object", do_help);
}
