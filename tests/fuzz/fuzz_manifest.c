/* fuzz_manifest.c - manifest classification and validation, with and without a declared
 * type (the first byte picks one) and acceptedMediaTypes. */
#include <stdint.h>

#include "ecrlint/ecrlint.h"

static ecrlint_engine *engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {NULL,
                                        "application/vnd.oci.image.manifest.v1+json",
                                        "application/vnd.oci.image.index.v1+json",
                                        "application/vnd.docker.distribution.manifest.v2+json",
                                        "application/vnd.docker.distribution.manifest.list.v2+json",
                                        "application/vnd.docker.distribution.manifest.v1+prettyjws",
                                        "application/json; charset=utf-8",
                                        "text/plain"};
    static const char *const accept[] = {"application/vnd.docker.distribution.manifest.v2+json",
                                         "application/vnd.docker.distribution.manifest.v1+json",
                                         NULL};
    if (!engine)
        engine = ecrlint_engine_new(NULL);
    if (!engine || size < 1)
        return 0;
    ecrlint_check_options o = {.operation = "manifest",
                               .media_type = types[data[0] % 8],
                               .accept = (data[0] & 0x80) ? accept : NULL};
    ecrlint_result *r = NULL;
    ecrlint_check_buffer(engine, &o, "m.json", (const char *)data + 1, size - 1, &r, NULL);
    ecrlint_result_free(r);
    return 0;
}
