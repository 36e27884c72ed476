/* fuzz_preview.c - the lifecycle preview's images reader, evaluation and outputs on arbitrary
 * images files. The first byte picks a policy (count rules, age and pull rules with transitions,
 * archive rules), the rest is the images file: a DescribeImages response, JSON Lines of
 * imageDetails entries or a BatchGetImage response. It is read twice (two files of one preview,
 * so that duplicates and index children across files are met), evaluated, and written as the
 * GetLifecyclePolicyPreview response and as --protect findings. Nothing may crash, leak or
 * read out of bounds; an error must be ECRLINT_ERR_USAGE or ECRLINT_ERR_NOMEM. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"

static const char *const policies[] = {
    "{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"tagged\", "
    "\"tagPatternList\": [\"v*\", \"*-1\"], \"countType\": \"imageCountMoreThan\", "
    "\"countNumber\": 1}, \"action\": {\"type\": \"expire\"}}, {\"rulePriority\": 2, "
    "\"selection\": {\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", "
    "\"countNumber\": 2}, \"action\": {\"type\": \"expire\"}}]}",
    "{\"rules\": [{\"rulePriority\": 3, \"selection\": {\"tagStatus\": \"tagged\", "
    "\"tagPrefixList\": [\"p\"], \"countType\": \"sinceImagePulled\", \"countUnit\": \"days\", "
    "\"countNumber\": 1}, \"action\": {\"type\": \"transition\", \"targetStorageClass\": "
    "\"archive\"}}, {\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"untagged\", "
    "\"countType\": \"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 1}, "
    "\"action\": {\"type\": \"expire\"}}]}",
    "{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", "
    "\"storageClass\": \"archive\", \"countType\": \"sinceImageTransitioned\", \"countUnit\": "
    "\"days\", \"countNumber\": 90}, \"action\": {\"type\": \"expire\"}}, {\"rulePriority\": 2, "
    "\"selection\": {\"tagStatus\": \"any\", \"countType\": \"sinceImagePushed\", \"countUnit\": "
    "\"days\", \"countNumber\": 30}, \"action\": {\"type\": \"transition\", "
    "\"targetStorageClass\": \"archive\"}}]}"};

static ecrlint_engine *engine;

static int discard(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    return 0;
}

static void ok_or_input_error(ecrlint_status st)
{
    if (st != ECRLINT_OK && st != ECRLINT_ERR_USAGE && st != ECRLINT_ERR_NOMEM)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) {
        ecrlint_global_init();
        engine = ecrlint_engine_new(NULL);
        if (!engine)
            abort();
    }
    if (size < 1)
        return 0;
    const char *policy = policies[data[0] % 3];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    ecrlint_preview *p = ecrlint_preview_new(engine, "policy.json", policy, strlen(policy), &err);
    if (!p)
        abort(); /* the policies are valid */
    ecrlint_status st = ecrlint_preview_protect(p, "v?*", &err);
    if (!st)
        st = ecrlint_preview_add_images(p, "a.json", text, len, &err);
    if (!st && (data[0] & 4))
        st = ecrlint_preview_add_images(p, "b.json", text, len, &err);
    if (!st)
        st = ecrlint_preview_run(p, 1764806400000000LL, &err);
    ok_or_input_error(st);
    if (!st) {
        ok_or_input_error(ecrlint_preview_write_json(p, discard, NULL, &err));
        for (size_t i = 0; i < ecrlint_preview_source_count(p); i++) {
            ecrlint_result *r = NULL;
            ok_or_input_error(ecrlint_preview_findings(p, i, &r, &err));
            ecrlint_result_free(r);
        }
        for (size_t i = 0; i < ecrlint_preview_image_count(p); i++)
            if (!ecrlint_preview_image_at(p, i)->digest)
                abort();
    }
    ecrlint_preview_free(p);
    return 0;
}
