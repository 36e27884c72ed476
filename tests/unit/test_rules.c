/* test_rules.c - rule-pack loading: built-in packs, replacement, and errors that name the pack
 * and the key path. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"
#include "rules/el_rules.h"

static ecrlint_engine *engine(void)
{
    ecrlint_error err = {0};
    ecrlint_engine *e = ecrlint_engine_new(&err);
    ck_assert_msg(e != NULL, "%s: %s", err.source, err.text);
    return e;
}

/* Loads `pack` into a fresh engine and returns the error (code and text). */
static ecrlint_error load(const char *pack)
{
    ecrlint_engine *e = engine();
    ecrlint_error err = {0};
    ecrlint_status st = ecrlint_engine_load_rules_buffer(e, "user.json", pack, strlen(pack), &err);
    ck_assert_int_eq(st, err.code);
    ecrlint_engine_free(e);
    return err;
}

START_TEST(builtin_packs_load)
{
    ecrlint_engine *e = engine();
    ck_assert_uint_gt(ecrlint_engine_rule_count(e), 40);
    const ecrlint_rule_info *r = ecrlint_engine_find_rule(e, "ECR1012");
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->severity, ECRLINT_SEVERITY_ERROR);
    ck_assert_str_eq(r->exception, "InvalidParameterException");
    ck_assert_ptr_nonnull(strstr(r->source, "docs.aws.amazon.com"));
    r = ecrlint_engine_find_rule(e, "ECR2011");
    ck_assert_str_eq(r->failure, "InvalidImageDigest");
    ck_assert_ptr_null(r->exception);
    /* rules come out in id order */
    for (size_t i = 1; i < ecrlint_engine_rule_count(e); i++)
        ck_assert_int_lt(strcmp(ecrlint_engine_rule(e, i - 1)->id, ecrlint_engine_rule(e, i)->id), 0);
    ck_assert_ptr_null(ecrlint_engine_rule(e, ecrlint_engine_rule_count(e)));
    ck_assert_str_eq(ecrlint_engine_rules_version(e), "2026.04.29");
    ecrlint_engine_free(e);
}
END_TEST

START_TEST(errors_name_key_paths)
{
    struct {
        const char *pack, *text;
    } cases[] = {
        {"{\"format\": 1, \"name\": \"x\", \"rulez\": []}", "rulez: unknown key"},
        {"{\"format\": 2, \"name\": \"x\"}", "format: must be 1"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"fatal\", "
         "\"title\": \"t\", \"source\": \"s\"}]}",
         "rules[0].severity: must be"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"bad id\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\"}]}",
         "rules[0].id: 'bad id' is not a valid rule id"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"string\", \"checks\": "
         "[{\"pattern\": \"(a\", \"rule\": \"ECR1001\"}]}}}",
         "shapes.S.checks[0].pattern: invalid pattern at offset 2"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"string\", \"checks\": "
         "[{\"minItems\": 1, \"rule\": \"ECR1001\"}]}}}",
         "shapes.S.checks[0].minItems: 'minItems' does not apply to a string"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"string\", \"checks\": "
         "[{\"pattern\": \"a\", \"rule\": \"NOPE1\"}]}}}",
         "shapes.S.checks[0]: rule 'NOPE1' is not declared in any pack"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"L\": {\"type\": \"list\", \"member\": "
         "\"Missing\"}}}",
         "shapes.L: shape 'Missing' is not defined in any pack"},
        {"{\"format\": 1, \"name\": \"x\", \"operations\": [{\"name\": \"Op\", \"kind\": \"query\", "
         "\"input\": \"RepositoryName\"}]}",
         "operations[0].kind: must be \"request\" or \"response\""},
        {"{\"format\": 1, \"name\": \"x\", \"operations\": [{\"name\": \"Op\", \"kind\": \"request\", "
         "\"input\": \"RepositoryName\"}]}",
         "operations.Op: input shape 'RepositoryName' must be a structure"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ecrlint_error err = load(cases[i].pack);
        ck_assert_int_eq(err.code, ECRLINT_ERR_RULES);
        ck_assert_msg(strstr(err.text, cases[i].text) != NULL, "case %zu: got '%s'", i, err.text);
    }
    ecrlint_error err = load("{\"format\": 1, \"name\": \"x\",}");
    ck_assert_int_eq(err.code, ECRLINT_ERR_RULES);
    ck_assert_str_eq(err.source, "user.json");
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.column, 27);
}
END_TEST

START_TEST(user_pack_replaces_rule_and_engine_survives_failure)
{
    ecrlint_engine *e = engine();
    size_t before = ecrlint_engine_rule_count(e);
    const char *pack =
        "{\"format\": 1, \"name\": \"team\", \"rules\": [{\"id\": \"ECR1022\", \"severity\": \"error\", "
        "\"title\": \"Duplicates are forbidden here\", \"source\": \"https://example.com\"}]}";
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_engine_load_rules_buffer(e, "team.json", pack, strlen(pack), &err),
                     ECRLINT_OK);
    ck_assert_uint_eq(ecrlint_engine_rule_count(e), before);
    ck_assert_int_eq(ecrlint_engine_find_rule(e, "ECR1022")->severity, ECRLINT_SEVERITY_ERROR);
    /* A broken pack leaves the engine as it was. */
    const char *broken = "{\"format\": 1, \"name\": \"team\", \"rules\": [{}]}";
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(ecrlint_engine_load_rules_buffer(e, "b.json", broken, strlen(broken), &err),
                     ECRLINT_ERR_RULES);
    ck_assert_str_eq(ecrlint_engine_find_rule(e, "ECR1022")->title, "Duplicates are forbidden here");
    /* The changed severity reaches findings. */
    const char *req = "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"a\"}, "
                      "{\"imageTag\": \"a\"}]}";
    ecrlint_check_options o = {.operation = "BatchGetImage"};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(e, &o, "r.json", req, strlen(req), &r, NULL), ECRLINT_OK);
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 1);
    ck_assert_str_eq(ecrlint_result_diag(r, 0)->rule, "ECR1022");
    ck_assert_int_eq(ecrlint_result_diag(r, 0)->severity, ECRLINT_SEVERITY_ERROR);
    ecrlint_result_free(r);
    ecrlint_engine_free(e);
}
END_TEST

START_TEST(rules_dir_errors)
{
    ecrlint_engine *e = engine();
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_engine_load_rules_dir(e, "/nonexistent-ecrlint-dir", &err),
                     ECRLINT_ERR_IO);
    ck_assert_str_eq(err.source, "/nonexistent-ecrlint-dir");
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(ecrlint_engine_load_rules_dir(e, TESTDATA_DIR "/rules/bad-pattern", &err),
                     ECRLINT_ERR_RULES);
    ck_assert_ptr_nonnull(strstr(err.source, "bad-pattern/team.json"));
    ck_assert_ptr_nonnull(strstr(err.text, "shapes.TeamRepositoryName.checks[0].pattern"));
    ecrlint_engine_free(e);
}
END_TEST

/* Built-in patterns ship serialized (packgen); one that does not decode is compiled instead. */
START_TEST(serialized_patterns)
{
    static const char *const src = "[a-z]+[0-9]{2}";
    el_regex a = {.source = (char *)src};
    pthread_mutex_init(&a.lock, NULL);
    ck_assert_int_eq(el_regex_compile(&a), 0);
    size_t n = 0;
    unsigned char *z = el_regex_serialize(&a, &n);
    ck_assert_ptr_nonnull(z);
    ck_assert_uint_gt(n, 0);

    unsigned char junk[256];
    memset(junk, 0x5a, sizeof junk);
    char build[EL_PCRE2_BUILD_MAX];
    el_regex_pcre2_build(build);
    ck_assert_ptr_nonnull(strstr(build, "/link "));
    el_regex decoded = {.source = (char *)src, .serialized = z, .serialized_by = build};
    el_regex fallback = {.source = (char *)src, .serialized = junk, .serialized_by = build};
    el_regex other = {.source = (char *)src, .serialized = z, .serialized_by = "9.99/link 4/unicode 1"};
    el_regex *each[] = {&decoded, &fallback, &other};
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    for (size_t i = 0; i < 3; i++) {
        pthread_mutex_init(&each[i]->lock, NULL);
        ck_assert_int_eq(el_regex_match(each[i], "abc12", 5, md, NULL), 1);
        ck_assert_int_eq(el_regex_match(each[i], "abc1", 4, md, NULL), 0);
        ck_assert_int_eq(el_regex_match(each[i], "abc123", 6, md, NULL), 0); /* anchored */
        el_regex_release(each[i]);
        pthread_mutex_destroy(&each[i]->lock);
    }
    pcre2_match_data_free(md);
    pcre2_serialize_free(z);
    el_regex_release(&a);
    pthread_mutex_destroy(&a.lock);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, builtin_packs_load);
    tcase_add_test(tc, errors_name_key_paths);
    tcase_add_test(tc, user_pack_replaces_rule_and_engine_survives_failure);
    tcase_add_test(tc, rules_dir_errors);
    tcase_add_test(tc, serialized_patterns);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
