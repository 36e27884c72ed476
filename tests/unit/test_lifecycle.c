/* test_lifecycle.c - lifecycle policies: ECR's answers word for word (the schema validator's
 * messages and the sentences of the rules between rules), the typed view of a policy, what a
 * rule selects, recognition, and bad input in bounded time. */
#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"
#include "lifecycle/el_lifecycle.h"
#include "suite_run.h"

static ecrlint_engine *eng;

static void setup(void)
{
    eng = ecrlint_engine_new(NULL);
    ck_assert_ptr_nonnull(eng);
}

static void teardown(void)
{
    ecrlint_engine_free(eng);
}

static ecrlint_result *check_policy(const char *text, size_t len)
{
    ecrlint_check_options o = {.operation = "lifecycle-policy"};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "policy.json", text, len, &r, NULL), ECRLINT_OK);
    ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_LIFECYCLE_POLICY);
    return r;
}

static bool has_rule(const ecrlint_result *r, const char *rule)
{
    for (size_t i = 0; i < ecrlint_result_diag_count(r); i++)
        if (strcmp(ecrlint_result_diag(r, i)->rule, rule) == 0)
            return true;
    return false;
}

#define PREFIX                                                                                     \
    "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy "  \
    "validation failure: "
#define SEL_ANY                                                                                    \
    "\"selection\": {\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", "              \
    "\"countNumber\": 10}"
#define SEL_UNT                                                                                    \
    "\"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", "           \
    "\"countUnit\": \"days\", \"countNumber\": 14}"
#define EXPIRE "\"action\": {\"type\": \"expire\"}"

/* Each message of the validator that ECR's schema can reach, and the sentences, exactly. */
static const struct {
    const char *policy;
    const char *detail; /* after the prefix, up to the closing quote */
} answers[] = {
    /* reported by users: countUnit null; targetStorageClass null on expire; two null lists */
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"countType\": "
     "\"imageCountMoreThan\", \"countUnit\": null, \"countNumber\": 10}, " EXPIRE "}]}",
     "instance failed to match exactly one schema (matched 0 out of 2)\n"},
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"tagged\", "
     "\"tagPatternList\": [\"latest\"], \"countType\": \"imageCountMoreThan\", \"countNumber\": "
     "10, \"storageClass\": \"standard\"}, \"action\": {\"type\": \"expire\", "
     "\"targetStorageClass\": null}}]}",
     "instance failed to match exactly one schema (matched 0 out of 2)\n"},
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"tagged\", "
     "\"tagPatternList\": null, \"tagPrefixList\": null, \"countType\": \"imageCountMoreThan\", "
     "\"countNumber\": 10}, " EXPIRE "}]}",
     "instance type (null) does not match any allowed primitive type (allowed: [\"array\"])\n"
     "instance type (null) does not match any allowed primitive type (allowed: [\"array\"])\n"},
    /* type */
    {"{\"rules\": [{\"rulePriority\": \"1\", " SEL_ANY ", " EXPIRE "}]}",
     "instance type (string) does not match any allowed primitive type (allowed: "
     "[\"integer\"])\n"},
    {"{\"rules\": [{\"rulePriority\": 1.0, " SEL_ANY ", " EXPIRE "}]}",
     "instance type (number) does not match any allowed primitive type (allowed: "
     "[\"integer\"])\n"},
    {"{\"rules\": [7, {\"rulePriority\": 1, " SEL_ANY ", " EXPIRE "}]}",
     "instance type (integer) does not match any allowed primitive type (allowed: "
     "[\"object\"])\n"},
    /* enum: the value as JSON, the values in the schema's order */
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"ANY\", \"countType\": "
     "\"imageCountMoreThan\", \"countNumber\": 10}, " EXPIRE "}]}",
     "instance value (\"ANY\") not found in enum (possible values: "
     "[\"tagged\",\"untagged\",\"any\"])\n"},
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"storageClass\": "
     "7, \"countType\": \"imageCountMoreThan\", \"countNumber\": 10}, " EXPIRE "}]}",
     "instance value (7) not found in enum (possible values: [\"standard\",\"archive\"])\n"},
    /* required: names sorted */
    {"{\"rules\": [{\"description\": \"a rule that says what it is for and nothing else, which is "
     "not enough\"}]}",
     "object has missing required properties ([\"action\",\"rulePriority\",\"selection\"])\n"},
    /* additionalProperties: Java's order, upper case first, by UTF-16 code units */
    {"{\"rules\": [{\"rulePriority\": 1, " SEL_ANY ", " EXPIRE ", \"zed\": 1, \"Zed\": 2, "
     "\"\xEF\xBD\x9E\": 3, \"\xF0\x9F\x98\x80\": 4}]}",
     "object instance has properties which are not allowed by the schema: "
     "[\"Zed\",\"zed\",\"\xF0\x9F\x98\x80\",\"\xEF\xBD\x9E\"]\n"},
    /* minimum */
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"countType\": "
     "\"imageCountMoreThan\", \"countNumber\": 0}, " EXPIRE "}]}",
     "numeric instance is lower than the required minimum (minimum: 1, found: 0)\n"},
    {"{\"rules\": [{\"rulePriority\": -3, " SEL_ANY ", " EXPIRE "}]}",
     "numeric instance is lower than the required minimum (minimum: 1, found: -3)\n"},
    /* oneOf: a count type unknown, countUnit with a count of images, a transition without its
     * target, an action type unknown */
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"countType\": "
     "\"foo\", \"countNumber\": 10}, " EXPIRE "}]}",
     "instance failed to match exactly one schema (matched 0 out of 2)\n"},
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"countType\": "
     "\"imageCountMoreThan\", \"countUnit\": \"days\", \"countNumber\": 10}, " EXPIRE "}]}",
     "instance failed to match exactly one schema (matched 0 out of 2)\n"},
    {"{\"rules\": [{\"rulePriority\": 1, " SEL_UNT ", \"action\": {\"type\": \"transition\"}}]}",
     "instance failed to match exactly one schema (matched 0 out of 2)\n"},
    {"{\"rules\": [{\"rulePriority\": 1, " SEL_UNT ", \"action\": {\"type\": \"delete\"}}]}",
     "instance failed to match exactly one schema (matched 0 out of 2)\n"},
    /* the walk: a failure stops the descent; nodes already queued still run their own
     * keywords (rules[1] reports its unknown member, not its bad countNumber) */
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"countType\": "
     "\"imageCountMoreThan\", \"countNumber\": 0}, " EXPIRE "}, {\"rulePriority\": 2, "
     "\"selection\": {\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", "
     "\"countNumber\": 0}, " EXPIRE ", \"x\": 1}]}",
     "numeric instance is lower than the required minimum (minimum: 1, found: 0)\n"
     "object instance has properties which are not allowed by the schema: [\"x\"]\n"},
    /* members in name order: action before rulePriority before selection */
    {"{\"rules\": [{\"selection\": {\"tagStatus\": null, \"countType\": \"imageCountMoreThan\", "
     "\"countNumber\": 1}, \"rulePriority\": 0, \"action\": {\"type\": 5}}]}",
     "instance failed to match exactly one schema (matched 0 out of 2)\n"
     "numeric instance is lower than the required minimum (minimum: 1, found: 0)\n"},
    /* the rules between rules: one sentence, the first that applies */
    {"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"tagged\", \"countType\": "
     "\"imageCountMoreThan\", \"countNumber\": 1}, " EXPIRE "}]}",
     "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED."},
    {"{\"rules\": [{\"rulePriority\": 1, " SEL_UNT ", " EXPIRE "}, {\"rulePriority\": 2, " SEL_UNT
     ", " EXPIRE "}]}",
     "Only one rule can select Untagged images per storage class."},
    {"{\"rules\": [{\"rulePriority\": 1, " SEL_ANY ", " EXPIRE "}, {\"rulePriority\": 2, " SEL_UNT
     ", " EXPIRE "}]}",
     "Rule for tagStatus=ANY must have the lowest priority per storage class"},
};

START_TEST(ecr_answers_word_for_word)
{
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        ecrlint_result *r = check_policy(answers[i].policy, strlen(answers[i].policy));
        const char *got = ecrlint_result_exception_message(r);
        char want[2048];
        snprintf(want, sizeof want, "%s%s'", PREFIX, answers[i].detail);
        ck_assert_msg(got && strcmp(got, want) == 0, "case %zu:\n got  %s\n want %s", i,
                      got ? got : "(none)", want);
        ck_assert_str_eq(ecrlint_result_exception_code(r), "InvalidParameterException");
        ecrlint_result_free(r);
    }
}
END_TEST

/* A null in an optional member is an error, said in plain words with the fix. */
START_TEST(null_in_plain_words)
{
    const char *p = "{\"rules\": [{\"rulePriority\": 1, \"description\": null, \"selection\": "
                    "{\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", "
                    "\"countUnit\": null, \"countNumber\": 14}, " EXPIRE "}]}";
    ecrlint_result *r = check_policy(p, strlen(p));
    bool unit = false, desc = false;
    for (size_t i = 0; i < ecrlint_result_diag_count(r); i++) {
        const ecrlint_diag *d = ecrlint_result_diag(r, i);
        ck_assert_str_eq(d->rule, "ECR8311");
        if (strcmp(d->pointer, "/rules/0/selection/countUnit") == 0) {
            ck_assert_str_eq(d->message, "rules[0].selection.countUnit is null; set \"days\" "
                                         "(sinceImagePushed counts days)");
            unit = true;
        } else {
            ck_assert_str_eq(d->pointer, "/rules/0/description");
            ck_assert_str_eq(d->message, "rules[0].description is null; remove it or set a string");
            desc = true;
        }
    }
    ck_assert(unit && desc);
    ecrlint_result_free(r);
}
END_TEST

START_TEST(recognised_by_content)
{
    const char *yes[] = {
        "{\"rules\": [{\"rulePriority\": 1}]}",
        "{\"rules\": [7, {\"selection\": {}, \"action\": {}}]}",
    };
    const char *no[] = {
        "{\"rules\": {\"no-unused-vars\": \"error\"}}",
        "{\"Rules\": [{\"ID\": \"x\", \"Status\": \"Enabled\"}]}",
        "{\"rules\": [{\"name\": \"x\"}]}",
        "{\"rules\": []}",
        "[{\"rulePriority\": 1}]",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        json_t *j = json_loads(yes[i], 0, NULL);
        ck_assert_msg(el_lifecycle_sniff(j), "%s", yes[i]);
        json_decref(j);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        json_t *j = json_loads(no[i], 0, NULL);
        ck_assert_msg(!el_lifecycle_sniff(j), "%s", no[i]);
        json_decref(j);
    }
}
END_TEST

START_TEST(glob)
{
    static const struct {
        const char *pattern, *tag;
        bool match;
    } g[] = {
        {"prod*", "prod", true},
        {"prod*", "prod-1", true},
        {"prod*", "xprod", false},
        {"*prod", "repo-prod", true},
        {"*prod*", "aprodb", true},
        {"prod*repo", "prodrepo", true},
        {"prod*repo", "prod-x-repo", true},
        {"prod*repo", "prod-repox", false},
        {"latest", "latest", true},
        {"latest", "latest1", false},
        {"*", "", true},
        {"a*b*c*d*", "abcd", true},
        {"a*a*a*b", "aaaaaaaaaac", false},
        {"Prod*", "prod", false},
    };
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
        ck_assert_msg(el_lc_glob_match(g[i].pattern, g[i].tag) == g[i].match, "%s ~ %s",
                      g[i].pattern, g[i].tag);
}
END_TEST

/* The typed view of the user guide's "all images" example (LPE-ALL-B), and what each rule
 * selects: the match sets of the worked example. */
START_TEST(typed_view_and_selection)
{
    const char *p =
        "{\"rules\": [{\"rulePriority\": 3, \"selection\": {\"tagStatus\": \"any\", \"countType\": "
        "\"imageCountMoreThan\", \"countNumber\": 1}, " EXPIRE "},"
        "{\"rulePriority\": 1, \"description\": \"Rule 1\", \"selection\": {\"tagStatus\": "
        "\"tagged\", \"tagPatternList\": [\"alpha*\"], \"countType\": \"imageCountMoreThan\", "
        "\"countNumber\": 1}, " EXPIRE "},"
        "{\"rulePriority\": 2, \"selection\": {\"tagStatus\": \"untagged\", \"countType\": "
        "\"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 1}, " EXPIRE "},"
        "{\"rulePriority\": 9, \"selection\": {\"tagStatus\": \"bogus\"}, " EXPIRE "},"
        "{\"rulePriority\": 4, \"selection\": {\"tagStatus\": \"any\", \"storageClass\": "
        "\"archive\", \"countType\": \"sinceImageTransitioned\", \"countUnit\": \"days\", "
        "\"countNumber\": 365}, \"action\": {\"type\": \"expire\"}},"
        "{\"rulePriority\": 5, \"selection\": {\"tagStatus\": \"tagged\", \"tagPrefixList\": "
        "[\"alpha\", \"beta\"], \"countType\": \"sinceImagePulled\", \"countUnit\": \"days\", "
        "\"countNumber\": 90}, \"action\": {\"type\": \"transition\", \"targetStorageClass\": "
        "\"archive\"}}]}";
    json_t *j = json_loads(p, 0, NULL);
    ck_assert_ptr_nonnull(j);
    el_lc_policy pol;
    ck_assert_int_eq(el_lc_policy_read(j, &pol), ECRLINT_OK);
    ck_assert_uint_eq(pol.nrules, 5); /* the bogus one has not the schema's form */
    long long want_order[] = {1, 2, 3, 4, 5};
    for (size_t i = 0; i < pol.nrules; i++)
        ck_assert_int_eq(pol.rules[pol.by_priority[i]].priority, want_order[i]);
    const el_lc_rule *any = &pol.rules[0], *alpha = &pol.rules[1], *untagged = &pol.rules[2];
    const el_lc_rule *archive = &pol.rules[3], *pulled = &pol.rules[4];
    ck_assert_uint_eq(alpha->index, 1);
    ck_assert_str_eq(alpha->description, "Rule 1");
    ck_assert_int_eq(alpha->tag_status, EL_LC_TAGGED);
    ck_assert_uint_eq(alpha->ntag_patterns, 1);
    ck_assert_ptr_null(alpha->tag_prefixes);
    ck_assert_int_eq(untagged->count_type, EL_LC_SINCE_IMAGE_PUSHED);
    ck_assert_int_eq(archive->storage_class, EL_LC_ARCHIVE);
    ck_assert_int_eq(archive->count_type, EL_LC_SINCE_IMAGE_TRANSITIONED);
    ck_assert_int_eq(archive->count_number, 365);
    ck_assert_uint_eq(archive->index, 4);
    ck_assert_int_eq(pulled->action, EL_LC_TRANSITION);
    ck_assert_int_eq(pulled->target_storage_class, EL_LC_ARCHIVE);
    ck_assert_uint_eq(pulled->ntag_prefixes, 2);

    const char *a[] = {"alpha-1", "beta-1"}, *c[] = {"alpha-2"}, *d[] = {"githash"};
    ck_assert(el_lc_rule_selects(alpha, a, 2, EL_LC_STANDARD));
    ck_assert(el_lc_rule_selects(alpha, c, 1, EL_LC_STANDARD));
    ck_assert(!el_lc_rule_selects(alpha, d, 1, EL_LC_STANDARD));
    ck_assert(!el_lc_rule_selects(alpha, NULL, 0, EL_LC_STANDARD));
    ck_assert(el_lc_rule_selects(untagged, NULL, 0, EL_LC_STANDARD));
    ck_assert(!el_lc_rule_selects(untagged, d, 1, EL_LC_STANDARD));
    ck_assert(el_lc_rule_selects(any, d, 1, EL_LC_STANDARD));
    ck_assert(!el_lc_rule_selects(any, d, 1, EL_LC_ARCHIVE));
    ck_assert(el_lc_rule_selects(archive, NULL, 0, EL_LC_ARCHIVE));
    /* a prefix list: every entry matches some tag */
    ck_assert(el_lc_rule_selects(pulled, a, 2, EL_LC_STANDARD));
    ck_assert(!el_lc_rule_selects(pulled, c, 1, EL_LC_STANDARD));
    el_lc_policy_free(&pol);
    json_decref(j);
}
END_TEST

static char *repeat_rules(size_t n, size_t *len)
{
#define ONE_RULE                                                                                   \
    "{\"rulePriority\": %zu, \"selection\": {\"tagStatus\": \"tagged\", \"tagPrefixList\": "       \
    "[\"p%zu\"], "                                                                                 \
    "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1}, \"action\": {\"type\": "          \
    "\"expire\"}}"
    size_t cap = n * 200 + 64, at = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    at += (size_t)snprintf(s + at, cap - at, "{\"rules\": [");
    for (size_t i = 0; i < n; i++) {
        if (i)
            s[at++] = ',';
        at += (size_t)snprintf(s + at, cap - at, ONE_RULE, i % 7 == 3 ? (size_t)1 : i + 1, i);
    }
    at += (size_t)snprintf(s + at, cap - at, "]}");
    *len = at;
    return s;
}

/* Bad input: 100,000 rules (too many, and priorities repeated), a deep nest, a 10 MB text:
 * a clear finding and ECR's answer, findings capped, the check done. */
START_TEST(bad_input_bounded)
{
    size_t len;
    char *s = repeat_rules(100000, &len);
    ecrlint_result *r = check_policy(s, len);
    ck_assert(has_rule(r, "ECR8303")); /* over 30,720 characters: ECR's answer */
    ck_assert(has_rule(r, "ECR8111"));
    ck_assert(has_rule(r, "ECR8105"));
    ck_assert_uint_le(ecrlint_result_diag_count(r), ECRLINT_DEFAULT_MAX_DIAGNOSTICS);
    ck_assert(strstr(ecrlint_result_exception_message(r), "less than or equal to 30720"));
    ecrlint_result_free(r);
    free(s);

    size_t depth = 10000;
    s = malloc(depth * 2 + 64);
    ck_assert_ptr_nonnull(s);
    len = (size_t)sprintf(s, "{\"rules\": ");
    for (size_t i = 0; i < depth; i++)
        s[len++] = '[';
    for (size_t i = 0; i < depth; i++)
        s[len++] = ']';
    s[len++] = '}';
    r = check_policy(s, len);
    ck_assert(has_rule(r, "ECR8301") || has_rule(r, "ECR0007"));
    ecrlint_result_free(r);
    free(s);

    len = 10u << 20;
    s = malloc(len);
    ck_assert_ptr_nonnull(s);
    const char *head = "{\"rules\": [{\"rulePriority\": 1, \"description\": \"";
    memcpy(s, head, strlen(head));
    memset(s + strlen(head), 'x', len - strlen(head));
    const char *tail = "\", " SEL_ANY ", " EXPIRE "}]}";
    memcpy(s + len - strlen(tail), tail, strlen(tail));
    r = check_policy(s, len);
    ck_assert(has_rule(r, "ECR8303"));
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 1);
    ecrlint_result_free(r);
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, ecr_answers_word_for_word);
    tcase_add_test(tc, null_in_plain_words);
    tcase_add_test(tc, recognised_by_content);
    tcase_add_test(tc, glob);
    tcase_add_test(tc, typed_view_and_selection);
    tcase_add_test(tc, bad_input_bounded);
    suite_add_tcase(s, tc);
    return suite_run(s);
}
