/* fuzz_http.c - raw HTTP request framing, then the body's check. */
#include <stdint.h>

#include "ecrlint/ecrlint.h"

static ecrlint_engine *engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine)
        engine = ecrlint_engine_new(NULL);
    if (!engine)
        return 0;
    ecrlint_check_options o = {.input = ECRLINT_INPUT_HTTP};
    ecrlint_result *r = NULL;
    ecrlint_check_buffer(engine, &o, "req.http", (const char *)data, size, &r, NULL);
    ecrlint_result_free(r);
    return 0;
}
