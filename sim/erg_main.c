/* erg_main.c — the `erg` command line: dispatches to the subcommands (cli_*.c), which parse
 * options, call the library, print results and choose the exit status (0 ok, 1 mismatch or
 * failed check, 2 bad input or usage). */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "cli.h"
#include "sc_platform.h"

/* ---- dispatch ---- */

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static const command COMMANDS[] = {
    {"info", cmd_info, "print a network's layers, shapes, MACs and parameters"},
    {"run", cmd_run, "run a network on images or a labelled data set"},
    {"verify", cmd_verify, "check a chip's RTL against its C model and the golden kernels"},
    {"check", cmd_check, "validate net, chip and tech configs"},
    {"characterize", cmd_characterize,
     "error metrics, RTL check, cost and switching energy of 8x8 multipliers"},
    {"sweep", cmd_sweep,
     "design-space sweep over chip parameters x networks (shardable, resumable)"},
    {"estimate", cmd_estimate,
     "analytic energy of a network on a generic platform (no simulation)"},
    {"gen", cmd_gen, "hardware generators: fixed-weight front-end Verilog (gen fwfe)"},
};
#define N_COMMANDS (int)(sizeof COMMANDS / sizeof COMMANDS[0])

static void main_help(FILE *f) {
    fprintf(f, "erg — accelerator co-design environment\n\nusage: erg <command> [options]\n\n"
               "commands:\n");
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-12s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(f, "\n`erg <command> --help` shows a command's options with an example.\n"
               "Exit status: 0 ok, 1 mismatch or failed check, 2 bad input or usage.\n");
}

int main(int argc, char **argv) {
    erg_systemc_install(); /* --backend systemc */
    if (argc < 2) {
        main_help(stderr);
        return EXIT_BAD_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        main_help(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("erg 0.1.0\n");
        return 0;
    }
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(cmd, COMMANDS[i].name) == 0) return COMMANDS[i].fn(argc, argv);
    const char *names[N_COMMANDS];
    for (int i = 0; i < N_COMMANDS; i++) names[i] = COMMANDS[i].name;
    const char *near = erg_nearest(cmd, names, N_COMMANDS);
    fprintf(stderr, "erg: unknown command '%s'", cmd);
    if (near) fprintf(stderr, " (did you mean '%s'?)", near);
    fprintf(stderr, "\n");
    main_help(stderr);
    return EXIT_BAD_INPUT;
}
