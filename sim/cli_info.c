/* cli_info.c — `erg info`: a network's layers, shapes, MACs and parameters; the multipliers
 * of its int8 layers and its operating points. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "net.h"
#include "outfile.h"

/* ---- erg info ---- */

static const char INFO_HELP[] =
    "usage: erg info NET.cfg [--format table|csv|json] [--out FILE]\n"
    "\n"
    "Validates a network config and prints its layers: type, input and output shape, kernel,\n"
    "stride and padding, weight and activation bits, MACs and parameters, and the totals; for\n"
    "int8 layers their multiplier, and the net's operating points (op_points) with the\n"
    "multiplier of every int8 layer and the share of multiplications done approximately.\n"
    "\n"
    "example:\n"
    "  erg info configs/nets/binareye_cifar10_f64.cfg\n";

/* 1 if some layer multiplies int8 values (and so has a multiplier). */
static int has_int8(const erg_net *net) {
    for (int i = 0; i < net->n_layers; i++)
        if (net->layers[i].mul >= 0) return 1;
    return 0;
}

static int64_t int8_macs(const erg_net *net) {
    int64_t n = 0;
    for (int i = 0; i < net->n_layers; i++)
        if (net->layers[i].mul >= 0) n += net->layers[i].macs;
    return n;
}

/* The op points as a matrix: a row per point, a column per int8 layer. */
static void op_points_table(FILE *f, const erg_net *net) {
    int w = 10;
    for (int i = 0; i < net->n_layers; i++) {
        const char *m = erg_net_layer_mul_name(net, 0, i);
        if (!m) continue;
        if ((int)strlen(net->layers[i].name) + 1 > w) w = (int)strlen(net->layers[i].name) + 1;
        for (int k = 0; k < net->n_ops; k++) {
            int len = (int)strlen(erg_net_layer_mul_name(net, k, i));
            if (len + 1 > w) w = len + 1;
        }
    }
    int wp = 10;
    for (int k = 0; k < net->n_ops; k++)
        if ((int)strlen(net->ops[k].name) + 1 > wp) wp = (int)strlen(net->ops[k].name) + 1;
    fprintf(f,
            "\n%d op points (erg run --op-point NAME; the first is the default): the multiplier "
            "of each\nint8 layer; approx. = share of the %lld int8 multiplications per frame done "
            "approximately\n",
            net->n_ops, (long long)int8_macs(net));
    fprintf(f, "%-*s", wp, "op point");
    for (int i = 0; i < net->n_layers; i++)
        if (net->layers[i].mul >= 0) fprintf(f, " %-*s", w, net->layers[i].name);
    fprintf(f, " %8s\n", "approx.");
    for (int k = 0; k < net->n_ops; k++) {
        fprintf(f, "%-*s", wp, net->ops[k].name);
        for (int i = 0; i < net->n_layers; i++)
            if (net->layers[i].mul >= 0) fprintf(f, " %-*s", w, erg_net_layer_mul_name(net, k, i));
        fprintf(f, " %6.1f %%\n", 100.0 * erg_net_op_approx_share(net, k));
    }
}

static void info_table(FILE *f, const erg_net *net) {
    char a[32], b[32];
    fprintf(f, "net %s (%s)\n", net->name, net->path);
    fprintf(f, "input %dx%dx%d uint8", net->input.h, net->input.w, net->input.c);
    if (net->encode == ERG_ENC_THERMOMETER)
        fprintf(f, ", thermometer-coded into %d binary planes", net->first.c);
    if (net->random_weights)
        fprintf(f, "; weights random (seed %llu)\n", (unsigned long long)net->seed);
    else
        fprintf(f, "; weights %s\n", net->weights_dir);
    int int8 = has_int8(net);
    fprintf(f, "\n%-10s %-9s %-12s %-12s %-7s %-6s %-5s %-5s %-8s %14s %10s%s\n", "layer", "type",
            "input", "output", "kernel", "stride", "pad", "w/a", "act", "MACs", "params",
            int8 ? "  multiplier" : "");
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        char k[16] = "-", s[8] = "-", p[8] = "-", wa[8] = "-", act[12] = "-";
        if (l->type == ERG_L_CONV2D || l->type == ERG_L_DEPTHWISE) {
            snprintf(k, sizeof k, "%dx%d", l->conv.k_h, l->conv.k_w);
            snprintf(s, sizeof s, "%d", l->conv.stride);
            snprintf(p, sizeof p, "%s",
                     l->conv.pad_top + l->conv.pad_bottom + l->conv.pad_left + l->conv.pad_right
                         ? "same"
                         : "valid");
        } else if (l->type == ERG_L_MAXPOOL || l->type == ERG_L_AVGPOOL) {
            snprintf(k, sizeof k, "%dx%d", l->pool.size, l->pool.size);
            snprintf(s, sizeof s, "%d", l->pool.stride);
        }
        if (l->type == ERG_L_CONV2D || l->type == ERG_L_DEPTHWISE || l->type == ERG_L_DENSE) {
            snprintf(wa, sizeof wa, "%d/%d", l->weight_bits, l->act_bits);
            snprintf(act, sizeof act, "%s", erg_act_name(l->act));
        }
        const char *m = erg_net_layer_mul_name(net, 0, i);
        fprintf(f, "%-10s %-9s %-12s %-12s %-7s %-6s %-5s %-5s %-8s %14lld %10lld%s%s\n", l->name,
                erg_layer_type_name(l->type), erg_shape_str(l->in, a, sizeof a),
                erg_shape_str(l->out, b, sizeof b), k, s, p, wa, act, (long long)l->macs,
                (long long)l->params, int8 ? "  " : "", int8 ? (m ? m : "-") : "");
    }
    fprintf(f, "%-10s %-9s %-12s %-12s %-7s %-6s %-5s %-5s %-8s %14lld %10lld\n", "total", "", "",
            "", "", "", "", "", "", (long long)net->macs, (long long)net->params);
    fprintf(f, "\n%.4g G MAC/frame (%.4g G ops, ops = 2 x MACs), %.4g M parameters\n",
            (double)net->macs / 1e9, 2.0 * (double)net->macs / 1e9, (double)net->params / 1e6);
    if (net->has_op_points) op_points_table(f, net);
}

static void info_csv(FILE *f, const erg_net *net) {
    fprintf(f, "name,type,in_h,in_w,in_c,out_h,out_w,out_c,weight_bits,act_bits,activation,"
               "macs,params,multiplier\n");
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        int has_w = l->type == ERG_L_CONV2D || l->type == ERG_L_DEPTHWISE || l->type == ERG_L_DENSE;
        const char *m = erg_net_layer_mul_name(net, 0, i);
        fprintf(f, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%s,%lld,%lld,%s\n", l->name,
                erg_layer_type_name(l->type), l->in.h, l->in.w, l->in.c, l->out.h, l->out.w,
                l->out.c, l->weight_bits, l->act_bits, has_w ? erg_act_name(l->act) : "",
                (long long)l->macs, (long long)l->params, m ? m : "");
    }
    fprintf(f, "total,,,,,,,,,,,%lld,%lld,\n", (long long)net->macs, (long long)net->params);
}

static void info_json(FILE *f, const erg_net *net) {
    fprintf(f, "{\"schema_version\": 1, \"net\": ");
    erg_json_str(f, net->name);
    fprintf(f, ", \"input\": [%d, %d, %d], \"layers\": [", net->input.h, net->input.w,
            net->input.c);
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        erg_json_str(f, l->name);
        fprintf(f,
                ", \"type\": \"%s\", \"input\": [%d, %d, %d], \"output\": [%d, %d, %d], "
                "\"weight_bits\": %d, \"act_bits\": %d, \"macs\": %lld, \"params\": %lld",
                erg_layer_type_name(l->type), l->in.h, l->in.w, l->in.c, l->out.h, l->out.w,
                l->out.c, l->weight_bits, l->act_bits, (long long)l->macs, (long long)l->params);
        const char *m = erg_net_layer_mul_name(net, 0, i);
        if (m) {
            fprintf(f, ", \"multiplier\": ");
            erg_json_str(f, m);
        }
        fprintf(f, "}");
    }
    fprintf(f, "],\n \"op_points\": [");
    for (int k = 0; k < net->n_ops; k++) {
        fprintf(f, "%s\n  {\"name\": ", k ? "," : "");
        erg_json_str(f, net->ops[k].name);
        fprintf(f, ", \"approx_share\": %.6f, \"multipliers\": {", erg_net_op_approx_share(net, k));
        int first = 1;
        for (int i = 0; i < net->n_layers; i++) {
            const char *m = erg_net_layer_mul_name(net, k, i);
            if (!m) continue;
            fprintf(f, "%s", first ? "" : ", ");
            erg_json_str(f, net->layers[i].name);
            fprintf(f, ": ");
            erg_json_str(f, m);
            first = 0;
        }
        fprintf(f, "}}");
    }
    fprintf(f, "],\n \"total\": {\"macs\": %lld, \"ops\": %lld, \"params\": %lld}}\n",
            (long long)net->macs, 2 * (long long)net->macs, (long long)net->params);
}

int cmd_info(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(INFO_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("info", argc, argv, 2, "--net --format --out --help ", &o);
    if (rc) return rc;
    const char *path = o.net;
    if (o.n_positional > 1 || (o.n_positional == 1 && o.net))
        return usage_error("info", "expected one network config");
    if (o.n_positional == 1) path = o.positional[0];
    if (!path) return usage_error("info", "expected a network config: erg info NET.cfg");
    erg_net net;
    erg_error e;
    if (erg_net_load(&net, path, &e)) return bad_input(&e);
    erg_outfile of;
    if (erg_outfile_open(&of, o.out, &e)) {
        erg_net_free(&net);
        return bad_input(&e);
    }
    if (o.format && strcmp(o.format, "csv") == 0)
        info_csv(of.f, &net);
    else if (o.format && strcmp(o.format, "json") == 0)
        info_json(of.f, &net);
    else
        info_table(of.f, &net);
    erg_net_free(&net);
    if (erg_outfile_commit(&of, &e)) return bad_input(&e);
    return 0;
}
