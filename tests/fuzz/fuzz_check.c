/* fuzz_check.c - request, response and manifest checking in every mode. The first byte picks
 * the operation, framing and limits; the rest is the input. Every format is written, so escaping is
 * fuzzed too. */
#include <stdint.h>
#include <string.h>

#include "ecrlint/ecrlint.h"

static ecrlint_engine *engine;

static int discard(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ops[] = {NULL,
                                      "BatchGetImage",
                                      "DescribeImages",
                                      "PutImage",
                                      "manifest",
                                      "BatchGetImageResponse",
                                      NULL,
                                      "DescribeImagesResponse"};
    static const char *const accept[] = {"application/vnd.oci.image.manifest.v1+json", NULL};
    if (!engine)
        engine = ecrlint_engine_new(NULL);
    if (!engine || size < 1)
        return 0;
    /* bits 0-2: operation (auto twice); bits 3-4: framing; bit 5: small limits; bit 7: accept */
    ecrlint_check_options o = {.operation = ops[data[0] & 7],
                               .input = (ecrlint_input_mode)(((unsigned)data[0] >> 3) % 3),
                               .accept = (data[0] & 0x80) ? accept : NULL};
    if (data[0] & 0x20)
        o.limits = (ecrlint_limits){.max_depth = 8, .max_diagnostics = 3};
    ecrlint_result *r = NULL;
    if (ecrlint_check_buffer(engine, &o, "fuzz.json", (const char *)data + 1, size - 1, &r, NULL) !=
        ECRLINT_OK)
        return 0;
    ecrlint_report *rep = ecrlint_report_new(engine);
    if (!rep || ecrlint_report_add(rep, r) != ECRLINT_OK) {
        ecrlint_report_free(rep);
        return 0;
    }
    static const char *const formats[] = {"text", "json", "gcc", "sarif", "github", "junit"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        ecrlint_format_options fo = {.min_severity = ECRLINT_SEVERITY_INFO, .color = 1};
        ecrlint_report_write(rep, formats[i], &fo, discard, NULL, NULL);
    }
    ecrlint_report_free(rep);
    return 0;
}
