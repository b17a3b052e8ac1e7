/* cli.h — what the `erg` subcommands share: options with one meaning everywhere
 * (DESIGN.md "CLI conventions"), usage errors with suggestions, exit statuses. */
#ifndef ERG_CLI_H
#define ERG_CLI_H

#include "erg_error.h"

#define EXIT_MISMATCH 1
#define EXIT_BAD_INPUT 2

typedef struct opts {
    const char *net, *chip, *tech, *backend, *input, *images, *labels, *format, *out, *trace, *area;
    const char *mul, *layer, *dataflow, *work, *plot, *ports, *save_tables; /* characterize */
    long long jobs;                                                         /* 0 = not given */
    const char *op_point;                /* run: --op-point NAME */
    const char *concurrent;              /* run: --concurrent NET2.cfg */
    const char *platform, *sweep;        /* estimate: --platform FILE, --sweep CSV */
    const char *qnn, *net_out, *targets; /* estimate: --qnn SPEC, --net-out FILE, --targets */
    const char *shard, *objectives;      /* sweep: --shard I/N, --objectives A,B */
    int no_synth;
    long long limit, seed, random; /* random: -1 = not given */
    double volt, freq_hz;          /* 0 = not given */
    int quiet, have_seed, peak;
    const char *positional[8];
    int n_positional;
} opts;

/* Prints "erg CMD: message" and a pointer to --help; returns EXIT_BAD_INPUT. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "erg: message"; returns EXIT_BAD_INPUT. */
int bad_input(const erg_error *e);
/* Parses argv[first..] into o; `allowed` lists the options this command takes, each followed
 * by a space ("--net --out "). Unknown options get the nearest allowed one suggested. */
int parse_opts(const char *cmd, int argc, char **argv, int first, const char *allowed, opts *o);
struct erg_chip;
/* --area MM2 or --area FILE.csv (scripts/synth.sh's table, priced with the chip's tech or
 * --tech): sets the chip's area for leakage and says where it came from. */
int apply_area(const opts *o, struct erg_chip *chip, erg_error *e);
int wants_help(int argc, char **argv);

struct erg_net;
struct erg_array;
/* The images a command runs: --dataset IMAGES LABELS, --input FILE.npy, or one random image
 * drawn from --seed; *n of them after --limit. lab stays empty without --dataset. */
int load_images(const opts *o, const struct erg_net *net, struct erg_array *img,
                struct erg_array *lab, long long *n, erg_error *e);

/* The progress line of a long run on stderr (a terminal only, 200 images and more): images
 * done, and the accuracy so far when the set is labelled. */
void erg_run_progress(int quiet, long long done, long long total, long long correct, int labelled);

struct erg_chip;
struct erg_weights;
struct erg_outfile;
/* erg run --concurrent (cli_run_concurrent.c): net a and net b at once on two units of the
 * chip, on the SystemC platform (backend systemc or systemc-ideal), n frames each. */
int run_concurrent(const opts *o, const char *backend, const struct erg_chip *chip,
                   const struct erg_net *na, const struct erg_weights *wa, const struct erg_net *nb,
                   const struct erg_weights *wb, const struct erg_array *img,
                   const struct erg_array *lab, long long n, struct erg_outfile *of, erg_error *e);

/* erg run on a chip with a fwfe unit (cli_run_fixynn.c, docs/fwfe.md "Hybrid system"): the
 * fixed front-end and the amac back-end on n frames at op point op, the per-layer report with
 * each stage, then the comparison with the all-programmable chip of the same area. */
int run_fixynn(const opts *o, const char *backend, const struct erg_chip *chip,
               const struct erg_net *net, int op, const struct erg_weights *wt,
               const struct erg_array *img, const struct erg_array *lab, long long n,
               struct erg_outfile *of, erg_error *e);

int cmd_info(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_characterize(int argc, char **argv);
int cmd_estimate(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_gen(int argc, char **argv);

#endif
