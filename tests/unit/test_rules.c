/* test_rules.c - rule-pack loading: built-in packs, replacement, and errors that name the pack
 * and the key path. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"
#include "rules/el_builtin.h"
#include "rules/el_engine.h"
#include "rules/el_rules.h"
#include "suite_run.h"

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
        ck_assert_int_lt(strcmp(ecrlint_engine_rule(e, i - 1)->id, ecrlint_engine_rule(e, i)->id),
                         0);
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
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"bad id\", \"severity\": "
         "\"error\", "
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
        {"{\"format\": 1, \"name\": \"x\", \"operations\": [{\"name\": \"Op\", \"kind\": "
         "\"query\", "
         "\"input\": \"RepositoryName\"}]}",
         "operations[0].kind: must be \"request\" or \"response\""},
        {"{\"format\": 1, \"name\": \"x\", \"operations\": [{\"name\": \"Op\", \"kind\": "
         "\"request\", "
         "\"input\": \"RepositoryName\"}]}",
         "operations.Op: input shape 'RepositoryName' must be a structure"},
        /* "vars" declares exactly the variables the templates use */
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"vars\": [\"member\"], "
         "\"exception\": {\"code\": \"E\", \"message\": \"at {member}: {membr} {12} {}\"}}]}",
         "rules[0].exception.message: uses {membr}, which \"vars\" does not declare"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"failure\": {\"code\": \"F\", \"reason\": "
         "\"{value}\"}}]}",
         "rules[0].failure.reason: uses {value}, which \"vars\" does not declare"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"vars\": [\"value\", \"limit\"], "
         "\"message\": \"'{value}'\"}]}",
         "rules[0].vars[1]: 'limit' is used by no template"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"vars\": [\"value\", \"value\"], "
         "\"message\": \"'{value}'\"}]}",
         "rules[0].vars[1]: 'value' is declared twice"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"vars\": [\"1x\"], \"message\": \"{1x}\"}]}",
         "rules[0].vars[0]: '1x' is not a variable name"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"vars\": \"value\", \"message\": \"{value}\"}]}",
         "rules[0].vars: must be an array of strings"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"breaksSpec\": 1}]}",
         "rules[0].breaksSpec: Expected true or false, got integer"},
        /* each object is unpacked whole: errors name the key inside it */
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": 3, \"source\": \"s\"}]}",
         "rules[0].title: Expected string, got integer"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"exception\": {\"code\": \"E\", \"mesage\": "
         "\"m\"}}]}",
         "rules[0].exception.mesage: unknown key (known: code, message, itemMessage)"},
        {"{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": \"error\", "
         "\"title\": \"t\", \"source\": \"s\", \"failure\": {\"code\": \"F\"}}]}",
         "rules[0].failure.reason: required string is missing"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"structure\", "
         "\"members\": [{\"name\": \"a\", \"shape\": \"S\", \"required\": false}]}}}",
         "shapes.S.members[0].required: Expected string, got false"},
        {"{\"format\": 1, \"name\": \"x\", \"operations\": [{\"name\": \"Op\", \"kind\": "
         "\"request\", "
         "\"input\": \"X\", \"detect\": [{\"any\": [\"a\"], \"priority\": \"high\"}]}]}",
         "operations[0].detect[0].priority: Expected integer, got string"},
        {"{\"format\": 1, \"name\": \"x\", \"typeErrors\": [{\"expected\": \"string\", "
         "\"actual\": \"*\"}]}",
         "typeErrors[0].message: required string is missing"},
        /* member groups that apply "when" a member holds some values; "amend" shapes */
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"structure\", "
         "\"members\": [], \"anyOf\": [{\"members\": [\"a\"], \"rule\": \"ECR1044\", "
         "\"when\": {\"member\": \"b\", \"in\": [\"X\"], \"notIn\": [\"Y\"]}}]}}}",
         "shapes.S.anyOf[0].when: give one of \"in\" and \"notIn\""},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"structure\", "
         "\"amend\": true, \"members\": []}}}",
         "shapes.S: an \"amend\" shape is a structure that only adds member groups"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"structure\", "
         "\"amend\": true, \"capitalize\": true, \"anyOf\": [{\"members\": [\"a\"], \"rule\": "
         "\"ECR1044\"}]}}}",
         "shapes.S: an \"amend\" shape is a structure that only adds member groups"},
        /* a shape's "confidence" only lowers its checks' rules' */
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"string\", "
         "\"confidence\": \"high\", \"checks\": [{\"minLength\": 2, \"rule\": \"ECR1010\"}]}}}",
         "shapes.S.confidence: must be \"medium\" or \"low\""},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": {\"type\": \"string\", "
         "\"confidence\": \"low\"}}}",
         "shapes.S.confidence: only on a shape with checks"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"NoSuchShape\": {\"type\": "
         "\"structure\", \"amend\": true, \"anyOf\": [{\"members\": [\"a\"], \"rule\": "
         "\"ECR1044\"}]}}}",
         "shapes.NoSuchShape: \"amend\" needs an earlier structure of that name"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": [1]}",
         "shapes: must be an object mapping shape names to shapes"},
        {"{\"format\": 1, \"name\": \"x\", \"shapes\": {\"S\": [1]}}",
         "shapes.S: Expected object, got array"},
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
        "{\"format\": 1, \"name\": \"team\", \"rules\": [{\"id\": \"ECR1022\", \"severity\": "
        "\"error\", "
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
    ck_assert_str_eq(ecrlint_engine_find_rule(e, "ECR1022")->title,
                     "Duplicates are forbidden here");
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

/* "capitalize": ECR's answers name the member capitalised ({member}, {path}), the finding's
 * pointer keeps the member's own name, and a member of another shape is not touched. */
START_TEST(capitalized_member_in_answers)
{
    ecrlint_engine *e = engine();
    const char *pack =
        "{\"format\": 1, \"name\": \"cap\", \"rules\": [{\"id\": \"T1\", \"severity\": "
        "\"error\", \"title\": \"t\", \"source\": \"s\", \"vars\": [\"member\", \"path\"], "
        "\"exception\": {\"code\": \"E\", \"message\": \"{member} at {path}\"}}], "
        "\"shapes\": {\"T:Text\": {\"type\": \"string\", \"capitalize\": true, \"checks\": "
        "[{\"minLength\": 3, \"rule\": \"T1\"}]}, \"T:Plain\": {\"type\": \"string\", "
        "\"checks\": [{\"minLength\": 3, \"rule\": \"T1\"}]}, \"T:Req\": {\"type\": "
        "\"structure\", \"members\": [{\"name\": \"policyText\", \"shape\": \"T:Text\"}, "
        "{\"name\": \"other\", \"shape\": \"T:Plain\"}]}}, \"operations\": [{\"name\": "
        "\"T:Op\", \"kind\": \"request\", \"input\": \"T:Req\"}]}";
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_engine_load_rules_buffer(e, "cap.json", pack, strlen(pack), &err),
                     ECRLINT_OK);
    const char *req = "{\"policyText\": \"ab\", \"other\": \"ab\"}";
    ecrlint_check_options o = {.operation = "T:Op"};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(e, &o, "r.json", req, strlen(req), &r, NULL), ECRLINT_OK);
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 2);
    ck_assert_str_eq(ecrlint_result_diag(r, 0)->message, "E: PolicyText at PolicyText");
    ck_assert_str_eq(ecrlint_result_diag(r, 0)->pointer, "/policyText");
    ck_assert_str_eq(ecrlint_result_diag(r, 1)->message, "E: other at other");
    ecrlint_result_free(r);
    ecrlint_engine_free(e);
}
END_TEST

/* A shape's "confidence": ECR's answers to its checks are inferred there. The findings that
 * predict an answer, and the answer, say the shape's confidence; a lint keeps its rule's; the
 * same rules on another shape keep theirs. */
START_TEST(shape_confidence_lowers_answers)
{
    ecrlint_engine *e = engine();
    const char *pack =
        "{\"format\": 1, \"name\": \"conf\", \"rules\": [{\"id\": \"T1\", \"severity\": "
        "\"error\", \"title\": \"t\", \"source\": \"s\", \"vars\": [\"member\"], "
        "\"exception\": {\"code\": \"E\", \"message\": \"{member} too short\"}}, {\"id\": "
        "\"T2\", \"severity\": \"warning\", \"title\": \"lint\", \"source\": \"s\"}], "
        "\"shapes\": {\"T:Guess\": {\"type\": \"string\", \"confidence\": \"low\", \"checks\": "
        "[{\"minLength\": 3, \"rule\": \"T1\"}, {\"maxLength\": 1, \"rule\": \"T2\"}]}, "
        "\"T:Known\": {\"type\": \"string\", \"checks\": [{\"minLength\": 3, \"rule\": "
        "\"T1\"}]}, \"T:Req\": {\"type\": \"structure\", \"members\": [{\"name\": "
        "\"guess\", \"shape\": \"T:Guess\"}, {\"name\": \"known\", \"shape\": \"T:Known\"}]}}, "
        "\"operations\": [{\"name\": \"T:Op\", \"kind\": \"request\", \"input\": \"T:Req\"}]}";
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_engine_load_rules_buffer(e, "conf.json", pack, strlen(pack), &err),
                     ECRLINT_OK);
    struct {
        const char *req, *answer, *diags;
    } cases[] = {
        /* the answer comes from the shape that says it is inferred */
        {"{\"guess\": \"ab\", \"known\": \"ab\"}", "\"confidence\":\"low\"}",
         "T1 low,T2 high,T1 high,"},
        /* the same rule on a shape that says nothing: the rule's confidence */
        {"{\"guess\": \"abc\", \"known\": \"ab\"}", "\"confidence\":\"high\"}", "T2 high,T1 high,"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ecrlint_check_options o = {.operation = "T:Op", .client = ECRLINT_CLIENT_NONE};
        ecrlint_result *r = NULL;
        ck_assert_int_eq(
            ecrlint_check_buffer(e, &o, "r.json", cases[i].req, strlen(cases[i].req), &r, NULL),
            ECRLINT_OK);
        ck_assert_ptr_nonnull(r);
        ecrlint_report *rep = ecrlint_report_new(e);
        ck_assert_int_eq(ecrlint_report_add(rep, r), ECRLINT_OK);
        char *json = NULL;
        ck_assert_int_eq(ecrlint_report_write(rep, "json", NULL, suite_text_sink, &json, NULL),
                         ECRLINT_OK);
        ck_assert_ptr_nonnull(json);
        ck_assert_msg(strstr(json, cases[i].answer) != NULL, "case %zu: %s", i, json);
        /* each finding's rule and confidence, in order */
        char seen[128] = "";
        for (const char *p = json; (p = strstr(p, "{\"rule\":\"")) != NULL; p++) {
            const char *rule = p + 9, *conf = strstr(p, "\"confidence\":\"");
            ck_assert_ptr_nonnull(conf);
            conf += 14;
            snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%.*s %.*s,",
                     (int)(strchr(rule, '"') - rule), rule, (int)(strchr(conf, '"') - conf), conf);
        }
        ck_assert_str_eq(seen, cases[i].diags);
        free(json);
        ecrlint_report_free(rep);
    }
    ecrlint_engine_free(e);
}
END_TEST

/* The operations the built-in packs describe: every request of ECR and ECR Public, with its
 * X-Amz-Target, and a response for each. */
START_TEST(operations_listed)
{
    ecrlint_engine *e = engine();
    size_t n = ecrlint_engine_operation_count(e), requests[2] = {0, 0}, responses = 0;
    bool public_describe = false;
    for (size_t i = 0; i < n; i++) {
        ecrlint_operation_info op = ecrlint_engine_operation(e, i);
        ck_assert_ptr_nonnull(op.name);
        if (op.kind == ECRLINT_KIND_RESPONSE) {
            responses++;
            ck_assert_ptr_null(op.target);
            continue;
        }
        ck_assert_int_eq(op.kind, ECRLINT_KIND_REQUEST);
        ck_assert_ptr_nonnull(op.target);
        requests[strncmp(op.name, "ecr-public:", 11) == 0]++;
        if (strcmp(op.name, "ecr-public:DescribeImages") == 0) {
            ck_assert_str_eq(op.target, "SpencerFrontendService.DescribeImages");
            public_describe = true;
        }
    }
    ck_assert_uint_eq(requests[0], 58);
    ck_assert_uint_eq(requests[1], 23);
    ck_assert_uint_eq(responses, 81);
    ck_assert(public_describe);
    ck_assert_ptr_null(ecrlint_engine_operation(e, n).name);
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
    ck_assert_int_eq(el_regex_compile(&a), ECRLINT_OK);
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
    el_regex other = {
        .source = (char *)src, .serialized = z, .serialized_by = "9.99/link 4/unicode 1"};
    el_regex *each[] = {&decoded, &fallback, &other};
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    for (size_t i = 0; i < 3; i++) {
        pthread_mutex_init(&each[i]->lock, NULL);
        ck_assert_int_eq(el_regex_match(each[i], "abc12", 5, md, NULL), EL_MATCH_YES);
        ck_assert_int_eq(el_regex_match(each[i], "abc1", 4, md, NULL), EL_MATCH_NO);
        ck_assert_int_eq(el_regex_match(each[i], "abc123", 6, md, NULL),
                         EL_MATCH_NO); /* anchored */
        el_regex_release(each[i]);
        pthread_mutex_destroy(&each[i]->lock);
    }
    pcre2_match_data_free(md);
    pcre2_serialize_free(z);
    el_regex_release(&a);
    pthread_mutex_destroy(&a.lock);
}
END_TEST

/* ---- "covers": a value the covering pattern matches must match every covered one ---------- */

static unsigned long long rng = 0x2545F4914F6CDD1DULL;
static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}

/* Values near valid ones (each seed mutated: a byte replaced, inserted or removed, drawn from
 * printable ASCII and a two-byte UTF-8 letter) and random strings over the patterns' alphabets.
 * Returns how many of them `cover` matched while `covered` did not. */
static size_t counterexamples(el_regex *cover, el_regex *covered, pcre2_match_data *md,
                              size_t *matched)
{
    static const char *const seeds[] = {
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "sha512:0123456789abcdef",
        "latest",
        "v1.2.3",
        "_x",
        "A-b.c_d",
        "a",
        "my-repo/ns__x/a--b",
        "a.b_c-d/e",
        "platform4.ci49-tools77/nginx60",
        "x__y",
        "1"};
    static const char alphabet[] = "abcdefxyzABCDEFXYZ0123456789-_.:/+~ @#";
    char buf[192];
    size_t bad = 0;
    for (size_t round = 0; round < 40000; round++) {
        size_t n;
        if (round % 4 == 3) { /* random over the alphabet */
            n = 1 + next_rand() % 140;
            for (size_t i = 0; i < n; i++)
                buf[i] = alphabet[next_rand() % (sizeof alphabet - 1)];
        } else {
            const char *seed = seeds[next_rand() % (sizeof seeds / sizeof seeds[0])];
            n = strlen(seed);
            memcpy(buf, seed, n);
            for (unsigned edits = next_rand() % 4; edits > 0; edits--) { /* 0: the seed itself */
                size_t at = n ? next_rand() % n : 0;
                unsigned what = next_rand() % 3;
                char c = (char)(32 + next_rand() % 95);
                if (what == 0 && n) {
                    buf[at] = c;
                } else if (what == 1 && n + 2 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, n - at);
                    buf[at] = c;
                    n++;
                } else if (n > 1) {
                    memmove(buf + at, buf + at + 1, n - at - 1);
                    n--;
                }
            }
            if (next_rand() % 50 == 0 && n + 2 < sizeof buf) { /* U+00E9 */
                buf[n++] = (char)0xc3;
                buf[n++] = (char)0xa9;
            }
        }
        if (el_regex_match(cover, buf, n, md, NULL) == EL_MATCH_YES) {
            ++*matched;
            if (el_regex_match(covered, buf, n, md, NULL) != EL_MATCH_YES)
                bad++;
        }
    }
    return bad;
}

START_TEST(covers_hold)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    size_t claims = 0;
    const el_ruleset *rs = &el_builtin_ruleset;
    for (size_t si = 0; si < rs->nshapes; si++) {
        const el_shape *sh = rs->shapes[si];
        for (size_t i = 0; i < sh->nchecks; i++) {
            if (!sh->checks[i].covers)
                continue;
            for (size_t k = 0; k < sh->nchecks; k++) {
                if (!(sh->checks[i].covers >> k & 1))
                    continue;
                claims++;
                size_t matched = 0;
                size_t bad =
                    counterexamples(sh->checks[i].regex, sh->checks[k].regex, md, &matched);
                ck_assert_msg(bad == 0, "shape %s: %s matched %zu values that %s does not",
                              sh->name, sh->checks[i].rule_id, bad, sh->checks[k].rule_id);
                ck_assert_msg(matched > 100, "shape %s: %s matched only %zu samples", sh->name,
                              sh->checks[i].rule_id, matched);
            }
        }
    }
    ck_assert_uint_ge(claims, 4); /* digest (two), tag, repository name */

    /* The sampler finds a false claim: [a-z0-9.-]+ does not imply the old repository-name
       pattern ("a..b"). */
    el_regex wide = {.source = (char *)"[a-z0-9.-]+"};
    el_regex old = {.source =
                        (char *)"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"};
    pthread_mutex_init(&wide.lock, NULL);
    pthread_mutex_init(&old.lock, NULL);
    size_t matched = 0;
    ck_assert_uint_gt(counterexamples(&wide, &old, md, &matched), 0);
    el_regex_release(&wide);
    el_regex_release(&old);
    pthread_mutex_destroy(&wide.lock);
    pthread_mutex_destroy(&old.lock);
    pcre2_match_data_free(md);
}
END_TEST

/* A covering check must name pattern checks of its own shape. */
START_TEST(covers_errors)
{
    static const char *const head =
        "{\"format\": 1, \"name\": \"x\", \"rules\": [{\"id\": \"X1\", \"severity\": "
        "\"error\", \"scope\": \"request\", \"title\": \"t\", \"source\": \"s\", \"message\": "
        "\"m\"}], \"shapes\": "
        "{\"S\": {\"type\": \"string\", \"checks\": [{\"pattern\": \"a+\", \"rule\": \"X1\"}, ";
    struct {
        const char *check, *text;
    } cases[] = {
        {"{\"pattern\": \"a\", \"rule\": \"X1\", \"covers\": [\"X9\"]}",
         "'X9' is not the rule of another pattern check"},
        {"{\"maxLength\": 3, \"rule\": \"X1\", \"covers\": [\"X1\"]}",
         "only a pattern check covers others"},
        {"{\"pattern\": \"a\", \"rule\": \"X1\", \"covers\": []}", "must be a non-empty array"},
        {"{\"pattern\": \"a\", \"rule\": \"X1\", \"covers\": [3]}", "must be a rule ID"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char pack[1024];
        snprintf(pack, sizeof pack, "%s%s]}}}", head, cases[i].check);
        ecrlint_error err = load(pack);
        ck_assert_int_ne(err.code, ECRLINT_OK);
        ck_assert_msg(strstr(err.text, cases[i].text) != NULL, "case %zu: %s", i, err.text);
        ck_assert_msg(strstr(err.text, "covers") != NULL, "case %zu names the key: %s", i,
                      err.text);
    }
    /* a claim that names its own rule's other check loads */
    char pack[1024];
    snprintf(pack, sizeof pack, "%s%s]}}}", head,
             "{\"pattern\": \"a\", \"rule\": \"X1\", \"covers\": [\"X1\"]}");
    ck_assert_int_eq(load(pack).code, ECRLINT_OK);
}
END_TEST

/* An enum compares a string only with values of its length (a bit per length modulo 64):
 * lengths 64 apart, a value followed by a NUL and the empty string are told apart all the same. */
START_TEST(enum_values_by_length)
{
    ecrlint_engine *e = engine();
    char a65[66], c1[2] = "c";
    memset(a65, 'a', 65);
    a65[65] = '\0';
    char pack[512];
    snprintf(
        pack, sizeof pack,
        "{\"format\": 1, \"name\": \"t\", \"rules\": [{\"id\": \"T1\", \"severity\": \"error\", "
        "\"title\": \"t\", \"source\": \"s\"}], \"shapes\": {\"RepositoryName\": {\"type\": "
        "\"string\", \"checks\": [{\"enum\": [\"%s\", \"b\", \"\"], \"rule\": "
        "\"T1\"}]}}}",
        a65);
    ecrlint_error err = {0};
    ck_assert_msg(ecrlint_engine_load_rules_buffer(e, "t.json", pack, strlen(pack), &err) ==
                      ECRLINT_OK,
                  "%s", err.text);
    struct {
        const char *json_value;
        bool in;
    } cases[] = {
        {a65, true},         {"b", true}, {"", true}, {c1, false}, /* the length of a65 modulo 64 */
        {"b\\u0000", false}, /* "b" and a NUL: as long as "bb" */
        {"bb", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char req[256];
        snprintf(req, sizeof req, "{\"repositoryName\": \"%s\"}", cases[i].json_value);
        ecrlint_check_options o = {.operation = "DescribeImages"};
        ecrlint_result *r = NULL;
        ck_assert_int_eq(ecrlint_check_buffer(e, &o, "r.json", req, strlen(req), &r, NULL),
                         ECRLINT_OK);
        bool flagged = false;
        for (size_t k = 0; k < ecrlint_result_diag_count(r); k++)
            flagged |= strcmp(ecrlint_result_diag(r, k)->rule, "T1") == 0;
        ck_assert_msg(flagged == !cases[i].in, "case %zu (%s): flagged %d", i, cases[i].json_value,
                      flagged);
        ecrlint_result_free(r);
    }
    ecrlint_engine_free(e);
}
END_TEST

/* Templates are split once, where their pack is loaded; the joined message is what expanding the
 * text would give: known placeholders replaced, a declared one the finding lacks, "{}" and an
 * unclosed '{' kept as written, a placeholder ending at the first '}' after its '{'. */
START_TEST(templates_split_at_load)
{
    struct {
        const char *tpl;
        size_t nparts;
    } split[] = {
        {NULL, 0},    {"", 0},   {"plain", 1}, {"{a}", 1}, {"{a}{b}", 2},
        {"x{a}y", 3}, {"x{", 1}, {"{a}x{", 2}, {"}{", 1},  {"{{a}}", 2},
    };
    for (size_t i = 0; i < sizeof split / sizeof split[0]; i++) {
        el_tpl t;
        ck_assert_int_eq(el_tpl_compile(split[i].tpl, &t), ECRLINT_OK);
        ck_assert_msg(t.n == split[i].nparts, "%s: %zu parts", split[i].tpl, t.n);
        size_t total = 0;
        for (size_t k = 0; k < t.n; k++)
            total += t.parts[k].len;
        ck_assert_uint_eq(total, split[i].tpl ? strlen(split[i].tpl) : 0); /* nothing lost */
        el_tpl_free(&t);
    }

    ecrlint_engine *e = engine();
    const char *pack =
        "{\"format\": 1, \"name\": \"t\", \"rules\": [{\"id\": \"T1\", \"severity\": \"error\", "
        "\"title\": \"t\", \"source\": \"s\", \"vars\": [\"member\", \"unknown\", \"value\"], "
        "\"message\": "
        "\"a{member}b{}c{unknown}d{x{member}e{ f }g'{value}'{\"}], \"shapes\": "
        "{\"RepositoryName\": "
        "{\"type\": \"string\", \"checks\": [{\"enum\": [\"b\"], \"rule\": \"T1\"}]}}}";
    ecrlint_error err = {0};
    ck_assert_msg(ecrlint_engine_load_rules_buffer(e, "t.json", pack, strlen(pack), &err) ==
                      ECRLINT_OK,
                  "%s", err.text);
    const char *req = "{\"repositoryName\": \"zz\"}";
    ecrlint_check_options o = {.operation = "DescribeImages"};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(e, &o, "r.json", req, strlen(req), &r, NULL), ECRLINT_OK);
    const char *msg = NULL;
    for (size_t k = 0; k < ecrlint_result_diag_count(r); k++)
        if (strcmp(ecrlint_result_diag(r, k)->rule, "T1") == 0)
            msg = ecrlint_result_diag(r, k)->message;
    ck_assert_ptr_nonnull(msg);
    ck_assert_str_eq(msg, "arepositoryNameb{}c{unknown}d{x{member}e{ f }g'zz'{");
    ecrlint_result_free(r);
    ecrlint_engine_free(e);
}
END_TEST

/* The manifest's "conforms" fact follows the rules' "breaksSpec" in their packs: a pack that
 * redeclares the only spec-breaking rule that fires without it makes the manifest conform, and
 * one that marks another firing rule makes it not conform again. */
static bool conforms_with(const char *pack)
{
    ecrlint_engine *e = engine();
    ecrlint_error err = {0};
    if (pack)
        ck_assert_msg(ecrlint_engine_load_rules_buffer(e, "p.json", pack, strlen(pack), &err) ==
                          ECRLINT_OK,
                      "%s", err.text);
    const char *mf =
        "{\"schemaVersion\": 2, \"mediaType\": 5, \"config\": {\"mediaType\": "
        "\"application/vnd.oci.image.config.v1+json\", \"digest\": \"sha256:"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"size\": 2}, "
        "\"layers\": []}";
    ecrlint_check_options o = {.operation = "manifest"};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(e, &o, "m.json", mf, strlen(mf), &r, NULL), ECRLINT_OK);
    bool fired = false;
    for (size_t k = 0; k < ecrlint_result_diag_count(r); k++)
        fired |= strcmp(ecrlint_result_diag(r, k)->rule, "ECR5004") == 0;
    ck_assert(fired);
    json_t *m = json_loads(ecrlint_result_extra_json(r), 0, NULL);
    ck_assert_ptr_nonnull(m);
    const json_t *c = json_object_get(m, "conforms");
    ck_assert(json_is_boolean(c));
    bool conforms = json_is_true(c);
    json_decref(m);
    ecrlint_result_free(r);
    ecrlint_engine_free(e);
    return conforms;
}

START_TEST(breaks_spec_from_pack)
{
    ck_assert(el_ruleset_find(&el_builtin_ruleset, "ECR5004")->breaks_spec);
    ck_assert(!el_ruleset_find(&el_builtin_ruleset, "ECR5803")->breaks_spec);
    ck_assert(!conforms_with(NULL));
    const char *r5004 = "{\"id\": \"ECR5004\", \"severity\": \"error\", \"title\": \"t\", "
                        "\"source\": \"s\"}";
    const char *r5803 = "{\"id\": \"ECR5803\", \"severity\": \"error\", \"title\": \"t\", "
                        "\"source\": \"s\", \"breaksSpec\": true}";
    char pack[512];
    snprintf(pack, sizeof pack, "{\"format\": 1, \"name\": \"p\", \"rules\": [%s]}", r5004);
    ck_assert(conforms_with(pack));
    snprintf(pack, sizeof pack, "{\"format\": 1, \"name\": \"p\", \"rules\": [%s, %s]}", r5004,
             r5803);
    ck_assert(!conforms_with(pack));
}
END_TEST

/* The operations' top-level names are numbered when a ruleset is built: the built-in
 * ruleset's static data (written by packgen) holds the numbers a build at run time makes, every
 * number looks its name up, and a pack with more names than detection's 64-bit masks hold is
 * detected by number. */
START_TEST(name_index)
{
    const el_ruleset *st = &el_builtin_ruleset;
    el_pack_doc *docs = calloc(el_builtin_pack_count, sizeof *docs);
    for (size_t i = 0; i < el_builtin_pack_count; i++) {
        docs[i].name = (char *)el_builtin_packs[i].name;
        docs[i].source = (char *)el_builtin_packs[i].name;
        docs[i].doc = json_loadb(el_builtin_packs[i].text, el_builtin_packs[i].len, 0, NULL);
        ck_assert_ptr_nonnull(docs[i].doc);
    }
    ecrlint_error err = {0};
    el_ruleset *rt = el_ruleset_build(docs, el_builtin_pack_count, false, &err);
    ck_assert_msg(rt != NULL, "%s", err.text);
    ck_assert_uint_gt(st->top.n, 4);
    ck_assert_uint_eq(rt->top.n, st->top.n);
    ck_assert_uint_eq(rt->top.nslots, st->top.nslots);
    ck_assert_uint_gt(st->top.nslots, 2 * st->top.n);
    for (size_t i = 0; i < st->top.n; i++) {
        ck_assert_str_eq(rt->top.names[i], st->top.names[i]);
        ck_assert_int_eq(el_name_lookup(&st->top, st->top.names[i]), (long)i);
    }
    ck_assert_int_eq(el_name_lookup(&st->top, "repositoryNam"), -1);
    ck_assert_int_eq(el_name_lookup(&st->top, ""), -1);
    ck_assert_uint_eq(rt->nops, st->nops);
    for (size_t i = 0; i < st->nops; i++) {
        const el_operation *a = &st->ops[i], *b = &rt->ops[i];
        for (size_t k = 0; k < a->input->nmembers; k++) {
            ck_assert_uint_eq(a->member_ids[k], b->member_ids[k]);
            ck_assert_str_eq(st->top.names[a->member_ids[k]], a->input->members[k].name);
        }
        for (size_t j = 0; j < a->ndetects; j++) {
            ck_assert(a->detects[j].narrow);
            ck_assert(b->detects[j].narrow);
            ck_assert_uint_eq(a->detects[j].mask, b->detects[j].mask);
            for (size_t k = 0; k < a->detects[j].nmembers; k++)
                ck_assert_str_eq(st->top.names[a->detects[j].ids[k]], a->detects[j].members[k]);
        }
    }
    /* the shapes' key positions and group indexes, likewise */
    ck_assert_uint_eq(rt->nshapes, st->nshapes);
    size_t with_pos = 0;
    for (size_t i = 0; i < st->nshapes; i++) {
        const el_shape *a = st->shapes[i], *b = rt->shapes[i];
        ck_assert_str_eq(a->name, b->name);
        ck_assert_uint_eq(a->key_pos, b->key_pos);
        if (a->type == EL_T_STRUCTURE && a->nmembers)
            with_pos += a->key_pos != EL_NO_KEY_POS;
        for (size_t k = 0; a->key_pos != EL_NO_KEY_POS && k < a->nmembers; k++) {
            ck_assert_uint_eq(a->members[k].key_char, b->members[k].key_char);
            ck_assert_uint_eq(a->members[k].key_char,
                              (unsigned char)a->members[k].name[a->key_pos]);
            for (size_t j = 0; j < k; j++)
                ck_assert_uint_ne(a->members[j].key_char, a->members[k].key_char);
        }
        for (size_t g = 0; g < a->ngroups; g++) {
            ck_assert_int_eq(a->groups[g].with_idx, b->groups[g].with_idx);
            for (size_t k = 0; k < a->groups[g].nmembers; k++) {
                int at = a->groups[g].member_idx[k];
                ck_assert_int_eq(at, b->groups[g].member_idx[k]);
                ck_assert(at >= 0); /* the built-in groups name members of their shape */
                ck_assert_str_eq(a->members[at].name, a->groups[g].members[k]);
            }
        }
    }
    ck_assert_uint_gt(with_pos, 3);
    el_ruleset_free(rt);
    for (size_t i = 0; i < el_builtin_pack_count; i++)
        json_decref(docs[i].doc);
    free(docs);

    /* A structure whose names differ at no single position ("aa", "ab", "ba", "bb") is matched
     * name by name; one with a position is matched by it, keys shorter than it included. */
    const char *grid =
        "{\"format\": 1, \"name\": \"grid\", \"shapes\": {\"GridInput\": {\"type\": \"structure\", "
        "\"members\": [{\"name\": \"aa\", \"shape\": \"RepositoryName\"}, {\"name\": \"ab\", "
        "\"shape\": \"RepositoryName\"}, {\"name\": \"ba\", \"shape\": \"RepositoryName\"}, "
        "{\"name\": \"bb\", \"shape\": \"RepositoryName\"}], "
        "\"allOf\": [{\"members\": [\"ab\", \"bb\"], "
        "\"rule\": \"ECR1043\"}]}}, \"operations\": [{\"name\": \"Grid\", \"kind\": \"request\", "
        "\"input\": \"GridInput\"}]}";
    ecrlint_engine *g = engine();
    ck_assert_msg(ecrlint_engine_load_rules_buffer(g, "grid.json", grid, strlen(grid), &err) ==
                      ECRLINT_OK,
                  "%s", err.text);
    ck_assert_uint_eq(el_ruleset_shape(g->rs, "GridInput")->key_pos, EL_NO_KEY_POS);
    ck_assert_uint_eq(el_ruleset_shape(g->rs, "BatchGetImageRequest")->key_pos, 2);
    struct {
        const char *op, *body, *rules;
    } grid_cases[] = {
        /* a bad value under each name, one unknown name, both members of the group */
        {"Grid", "{\"aa\": \"A\", \"ab\": \"B\", \"ba\": \"ok\", \"bb\": \"C\", \"b\": 1}",
         "ECR1043 ECR1010 ECR1012 ECR1010 ECR1012 ECR1010 ECR1012 ECR0020"},
        /* keys shorter than the key position, and one equal to a name but for its last byte */
        {"BatchGetImage", "{\"re\": 1, \"\": 2, \"repositoryNamf\": \"x\", \"imageIds\": []}",
         "ECR1000 ECR0020 ECR0020 ECR0020 ECR1020"},
    };
    for (size_t i = 0; i < sizeof grid_cases / sizeof grid_cases[0]; i++) {
        /* the request checker's findings alone, without botocore's answer (ECR0021) */
        ecrlint_check_options o = {.operation = grid_cases[i].op, .client = ECRLINT_CLIENT_NONE};
        ecrlint_result *r = NULL;
        ck_assert_int_eq(ecrlint_check_buffer(g, &o, "g.json", grid_cases[i].body,
                                              strlen(grid_cases[i].body), &r, NULL),
                         ECRLINT_OK);
        char got[256] = "";
        for (size_t k = 0; k < ecrlint_result_diag_count(r); k++) {
            const char *id = ecrlint_result_diag(r, k)->rule;
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", got[0] ? " " : "", id);
        }
        ck_assert_str_eq(got, grid_cases[i].rules);
        ecrlint_result_free(r);
    }
    ecrlint_engine_free(g);

    /* 80 more names: the detect sets below use numbers past 63 */
    char pack[8192];
    int n = snprintf(pack, sizeof pack,
                     "{\"format\": 1, \"name\": \"wide\", \"shapes\": {\"WideInput\": {\"type\": "
                     "\"structure\", \"members\": [");
    for (int k = 0; k < 80; k++)
        n +=
            snprintf(pack + n, sizeof pack - (size_t)n,
                     "%s{\"name\": \"wide%02d\", \"shape\": \"RepositoryName\"}", k ? ", " : "", k);
    n += snprintf(pack + n, sizeof pack - (size_t)n,
                  "]}}, \"operations\": [{\"name\": \"Wide\", \"kind\": \"request\", \"input\": "
                  "\"WideInput\", \"detect\": [{\"all\": [\"wide70\", \"wide79\"], \"priority\": "
                  "50}, {\"any\": [\"wide75\"], \"priority\": 40}]}]}");
    ck_assert_int_lt(n, (int)sizeof pack);
    ecrlint_engine *e = engine();
    ck_assert_msg(ecrlint_engine_load_rules_buffer(e, "wide.json", pack, strlen(pack), &err) ==
                      ECRLINT_OK,
                  "%s", err.text);
    struct {
        const char *body, *op;
    } cases[] = {
        {"{\"wide70\": \"a\", \"wide79\": \"b\"}", "Wide"}, /* all of the first set */
        {"{\"wide75\": \"a\"}", "Wide"},                    /* any of the second */
        {"{\"wide70\": \"a\", \"wide71\": \"b\"}", NULL},   /* neither: skipped */
        {"{\"repositoryName\": \"web\", \"imageIds\": []}", "BatchGetImage"}, /* built-in, narrow */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ecrlint_check_options o = {0};
        ecrlint_result *r = NULL;
        ck_assert_int_eq(
            ecrlint_check_buffer(e, &o, "x.json", cases[i].body, strlen(cases[i].body), &r, NULL),
            ECRLINT_OK);
        if (cases[i].op) {
            ck_assert_ptr_nonnull(ecrlint_result_operation(r));
            ck_assert_str_eq(ecrlint_result_operation(r), cases[i].op);
        } else {
            ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_SKIPPED);
        }
        ecrlint_result_free(r);
    }
    ecrlint_engine_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, builtin_packs_load);
    tcase_add_test(tc, errors_name_key_paths);
    tcase_add_test(tc, user_pack_replaces_rule_and_engine_survives_failure);
    tcase_add_test(tc, capitalized_member_in_answers);
    tcase_add_test(tc, shape_confidence_lowers_answers);
    tcase_add_test(tc, operations_listed);
    tcase_add_test(tc, rules_dir_errors);
    tcase_add_test(tc, serialized_patterns);
    tcase_add_test(tc, covers_hold);
    tcase_add_test(tc, covers_errors);
    tcase_add_test(tc, enum_values_by_length);
    tcase_add_test(tc, templates_split_at_load);
    tcase_add_test(tc, name_index);
    tcase_add_test(tc, breaks_spec_from_pack);
    suite_add_tcase(s, tc);
    return suite_run(s);
}
