/* fuzz_policy.c - the policy checker: a standalone repository, registry or IAM policy, or the
 * same text as the policyText of SetRepositoryPolicy or PutRegistryPolicy, or a creation
 * template's repositoryPolicy (a JSON string, so every escape is exercised). The first byte
 * picks one of the six. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"

static ecrlint_engine *engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const standalone[] = {"repository-policy", "registry-policy", "iam-policy"};
    static const char *const embedded[][2] = {
        {"SetRepositoryPolicy", "policyText"},
        {"PutRegistryPolicy", "policyText"},
        {"CreateRepositoryCreationTemplate", "repositoryPolicy"}};
    if (!engine)
        engine = ecrlint_engine_new(NULL);
    if (!engine || size < 1)
        return 0;
    unsigned mode = data[0] % 6;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    ecrlint_result *r = NULL;
    if (mode < 3) {
        ecrlint_check_options o = {.operation = standalone[mode]};
        ecrlint_check_buffer(engine, &o, "policy.json", text, len, &r, NULL);
        ecrlint_result_free(r);
        return 0;
    }
    /* The text as a member of a request: jansson escapes it (invalid UTF-8 is refused). */
    json_t *s = json_stringn(text, len);
    if (!s)
        return 0;
    json_t *req = json_pack("{s:s, s:s, s:[s]}", "repositoryName", "web", "prefix", "prod",
                            "appliedFor", "REPLICATION");
    if (!req || json_object_set_new(req, embedded[mode - 3][1], s) != 0) {
        if (!req)
            json_decref(s);
        json_decref(req);
        return 0;
    }
    if (mode == 4) { /* PutRegistryPolicy has no other member */
        json_object_del(req, "repositoryName");
        json_object_del(req, "prefix");
        json_object_del(req, "appliedFor");
    }
    char *body = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    if (!body)
        return 0;
    ecrlint_check_options o = {.operation = embedded[mode - 3][0]};
    ecrlint_check_buffer(engine, &o, "request.json", body, strlen(body), &r, NULL);
    ecrlint_result_free(r);
    free(body);
    return 0;
}
