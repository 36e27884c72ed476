/* cli_runner.h - checking the inputs, in parallel with -j, and passing their results on in
 * input order, as one thread would (cli_runner.c). */
#ifndef CLI_RUNNER_H
#define CLI_RUNNER_H

#include "cli.h"

typedef enum cli_emit_status {
    CLI_EMIT_OK = 0,
    CLI_EMIT_NOMEM, /* out of memory: the run stops, and says so */
    CLI_EMIT_FAILED /* the result could not be passed on: the run stops; the emitter says why */
} cli_emit_status;

/* Takes one result (it is the emitter's from then on). Called for every result in input order,
 * one call at a time, from whichever thread. */
typedef cli_emit_status (*cli_emit_fn)(ecrlint_result *r, void *userdata);

typedef struct cli_runner {
    const cli_options *o; /* -j, the size limit, rule selection, directories to search */
    const ecrlint_engine *engine;
    const cli_inputs *in;
    ecrlint_check_options copt; /* for every check; first_line and rule_enabled are set per check */
    cli_emit_fn emit;
    void *emit_data;
} cli_runner;

/* Checks every input and emits every result. False when the run stopped: out of memory or an
 * option the library refused, said on err; or, with *emit_failed set and nothing said, an emit
 * that returned CLI_EMIT_FAILED (the emitter knows why). */
bool cli_run_inputs(const cli_runner *r, bool *emit_failed, FILE *err);

#endif
