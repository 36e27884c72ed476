/* fuzz_lifecycle.c - the lifecycle policy checker: a standalone policy file (named by
 * --operation, or recognised by its content), or the same text as the lifecyclePolicyText of
 * PutLifecyclePolicy or StartLifecyclePolicyPreview, or a repository creation template's
 * lifecyclePolicy (a JSON string, so every escape is exercised). The first byte picks one of
 * the five. A standalone policy that ECR would accept (no predicted exception) is then read by
 * the preview and evaluated over a few images: a policy the checker accepts must be one the
 * preview can read. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"

static ecrlint_engine *engine;

static const char images[] =
    "{\"imageDetails\": ["
    "{\"registryId\": \"123456789012\", \"repositoryName\": \"web\", \"imageDigest\": "
    "\"sha256:1111111111111111111111111111111111111111111111111111111111111111\", "
    "\"imageTags\": [\"prod-1\", \"v1.0\"], \"imagePushedAt\": 1700000000, "
    "\"lastRecordedPullTime\": 1710000000, \"imageStatus\": \"ACTIVE\"},"
    "{\"registryId\": \"123456789012\", \"repositoryName\": \"web\", \"imageDigest\": "
    "\"sha256:2222222222222222222222222222222222222222222222222222222222222222\", "
    "\"imagePushedAt\": 1600000000, \"lastRecordedPullTime\": 1600000000, "
    "\"imageStatus\": \"ACTIVE\"},"
    "{\"registryId\": \"123456789012\", \"repositoryName\": \"web\", \"imageDigest\": "
    "\"sha256:3333333333333333333333333333333333333333333333333333333333333333\", "
    "\"imageTags\": [\"beta-2\"], \"imagePushedAt\": 1500000000, \"imageStatus\": \"ARCHIVED\", "
    "\"lastArchivedAt\": 1550000000, \"lastRecordedPullTime\": 1500000000}]}";

static int discard(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    return 0;
}

/* The preview of a policy the checker found acceptable. */
static void preview(const char *text, size_t len)
{
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    ecrlint_preview *p = ecrlint_preview_new(engine, "policy.json", text, len, &err);
    if (!p) {
        if (err.code == ECRLINT_ERR_NOMEM)
            return;
        abort(); /* accepted by the checker, refused by the preview */
    }
    ecrlint_status st = ecrlint_preview_add_images(p, "images.json", images, strlen(images), &err);
    if (!st)
        st = ecrlint_preview_run(p, 1764806400000000LL, &err);
    if (!st)
        st = ecrlint_preview_write_json(p, discard, NULL, &err);
    if (st != ECRLINT_OK && st != ECRLINT_ERR_NOMEM)
        abort(); /* every rule's reference time is known for these images */
    ecrlint_preview_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const embedded[][2] = {
        {"PutLifecyclePolicy", "lifecyclePolicyText"},
        {"StartLifecyclePolicyPreview", "lifecyclePolicyText"},
        {"CreateRepositoryCreationTemplate", "lifecyclePolicy"}};
    if (!engine) {
        ecrlint_global_init();
        engine = ecrlint_engine_new(NULL);
        if (!engine)
            abort();
    }
    if (size < 1)
        return 0;
    unsigned mode = data[0] % 5;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    ecrlint_result *r = NULL;
    if (mode < 2) {
        ecrlint_check_options o = {.operation = mode == 0 ? "lifecycle-policy" : NULL};
        ecrlint_status st =
            ecrlint_check_buffer(engine, &o, "lifecycle-policy.json", text, len, &r, NULL);
        bool accepted = st == ECRLINT_OK && r &&
                        ecrlint_result_kind(r) == ECRLINT_KIND_LIFECYCLE_POLICY &&
                        !ecrlint_result_exception_code(r);
        ecrlint_result_free(r);
        if (accepted)
            preview(text, len);
        return 0;
    }
    /* The text as a member of a request: jansson escapes it (invalid UTF-8 is refused). */
    json_t *s = json_stringn(text, len);
    if (!s)
        return 0;
    json_t *req =
        mode == 4 ? json_pack("{s:s, s:[s]}", "prefix", "prod", "appliedFor", "PULL_THROUGH_CACHE")
                  : json_pack("{s:s, s:s}", "registryId", "123456789012", "repositoryName", "web");
    if (!req || json_object_set_new(req, embedded[mode - 2][1], s) != 0) {
        if (!req)
            json_decref(s);
        json_decref(req);
        return 0;
    }
    char *body = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    if (!body)
        return 0;
    ecrlint_check_options o = {.operation = embedded[mode - 2][0]};
    ecrlint_check_buffer(engine, &o, "request.json", body, strlen(body), &r, NULL);
    ecrlint_result_free(r);
    free(body);
    return 0;
}
