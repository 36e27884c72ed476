/* fuzz_rules.c - rule-pack loading: a hostile pack must end in a clear error, never a crash. A
 * pack that loads is then used on a small request, so its patterns are matched too. */
#include <stdint.h>
#include <string.h>

#include "ecrlint/ecrlint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ecrlint_engine *e = ecrlint_engine_new(NULL);
    if (!e)
        return 0;
    ecrlint_error err = {0};
    if (ecrlint_engine_load_rules_buffer(e, "fuzz.json", (const char *)data, size, &err) ==
        ECRLINT_OK) {
        static const char req[] =
            "{\"repositoryName\": \"a__b\", \"imageIds\": [{\"imageTag\": \"v1\"}, {}], "
            "\"maxResults\": 5, \"filter\": {\"tagStatus\": \"x\"}}";
        ecrlint_result *r = NULL;
        ecrlint_check_buffer(e, NULL, "r.json", req, sizeof req - 1, &r, NULL);
        ecrlint_result_free(r);
    }
    ecrlint_engine_free(e);
    return 0;
}
