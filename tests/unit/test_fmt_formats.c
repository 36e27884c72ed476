/* test_fmt_formats.c - the sarif, github and junit formats through the public API: escaping,
 * URIs, positions in every format, baseline suppression and junit's fail-on split. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"

static ecrlint_engine *eng;

static void setup(void)
{
    ecrlint_error err = {0};
    eng = ecrlint_engine_new(&err);
    ck_assert_msg(eng != NULL, "%s", err.text);
}

static void teardown(void)
{
    ecrlint_engine_free(eng);
}

typedef struct sink {
    char *data;
    size_t len;
} sink;

static int to_sink(const char *data, size_t len, void *ud)
{
    sink *s = ud;
    char *p = realloc(s->data, s->len + len + 1);
    ck_assert_ptr_nonnull(p);
    memcpy(p + s->len, data, len);
    s->len += len;
    p[s->len] = '\0';
    s->data = p;
    return 0;
}

/* Writes `rep` in `format`; the caller frees the text. */
static char *render(const ecrlint_report *rep, const char *format, const ecrlint_format_options *fo)
{
    sink s = {NULL, 0};
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_report_write(rep, format, fo, to_sink, &s, &err), ECRLINT_OK);
    return s.data ? s.data : strdup("");
}

static ecrlint_result *check(const char *path, const char *text)
{
    ecrlint_check_options o = {.operation = "DescribeImages"};
    ecrlint_result *r = NULL;
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, path, text, strlen(text), &r, &err), ECRLINT_OK);
    return r;
}

/* {"repositoryName": "Web", "maxResults": 0}: ECR1012 at 2:21-26 and ECR3001 at 3:17-18. */
static const char *bad = "{\n  \"repositoryName\": \"Web\",\n  \"maxResults\": 0\n}\n";

START_TEST(github_escaping)
{
    ecrlint_report *rep = ecrlint_report_new(eng);
    ck_assert_int_eq(ecrlint_report_add(rep, ecrlint_result_new_error("a,b:c%.json", "ECR0000",
                                                                      "one\ntwo\r100%, x:y")),
                     ECRLINT_OK);
    char *out = render(rep, "github", NULL);
    ck_assert_str_eq(out, "::error file=a%2Cb%3Ac%25.json,title=ECR0000%3A Input cannot be read"
                          "::one%0Atwo%0D100%25, x:y\n");
    free(out);
    ecrlint_report_free(rep);
}
END_TEST

START_TEST(github_positions_and_levels)
{
    ecrlint_report *rep = ecrlint_report_new(eng);
    ecrlint_report_add(rep, check("./r.json", bad));
    char *out = render(rep, "github", NULL);
    ck_assert_ptr_nonnull(strstr(out, "::error file=r.json,line=2,col=21,endLine=2,endColumn=26,"
                                      "title=ECR1012%3A "));
    ck_assert_ptr_nonnull(strstr(out, "::error file=r.json,line=3,col=17,endLine=3,endColumn=18,"
                                      "title=ECR3001%3A maxResults below 1::"));
    free(out);
    ecrlint_report_free(rep);
}
END_TEST

START_TEST(junit_escaping_and_forbidden_characters)
{
    ecrlint_report *rep = ecrlint_report_new(eng);
    ecrlint_report_add(rep, ecrlint_result_new_error("d/<&>\"\x01\xff.json", "ECR0000",
                                                     "bad \x02]]> \xef\xbf\xbf end\ttab"));
    char *out = render(rep, "junit", NULL);
    for (const unsigned char *p = (const unsigned char *)out; *p; p++)
        ck_assert_msg(*p >= 0x20 || *p == '\n' || *p == '\t', "control byte 0x%02x", *p);
    ck_assert_ptr_null(strstr(out, "\xef\xbf\xbf"));   /* U+FFFF dropped */
    ck_assert_ptr_null(strstr(out, "]]>"));
    ck_assert_ptr_nonnull(strstr(out, "name=\"d/&lt;&amp;&gt;&quot;\xef\xbf\xbd.json\""));
    ck_assert_ptr_nonnull(strstr(out, "message=\"bad ]]&gt;  end&#9;tab\""));
    ck_assert_ptr_nonnull(strstr(out, "<error type=\"ECR0000\""));
    ck_assert_ptr_nonnull(strstr(out, "tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\""));
    free(out);
    ecrlint_report_free(rep);
}
END_TEST

START_TEST(junit_fail_on_split)
{
    /* An unknown member is a warning (ECR0020); the range error an error. */
    ecrlint_report *rep = ecrlint_report_new(eng);
    ecrlint_report_add(rep, check("r.json", "{\"repositoryName\": \"web\", \"maxResults\": 0, "
                                            "\"imageID\": []}"));
    ecrlint_report_add(rep, check("ok.json", "{\"repositoryName\": \"web\"}"));
    ecrlint_report_add(rep, ecrlint_result_new_skipped("package.json", "not an ECR document"));
    ecrlint_format_options fo = {.fail_on = ECRLINT_SEVERITY_ERROR};
    char *out = render(rep, "junit", &fo);
    ck_assert_ptr_nonnull(strstr(out, "<failure type=\"ECR3001\""));
    ck_assert_ptr_null(strstr(out, "<failure type=\"ECR0020\""));
    ck_assert_ptr_nonnull(strstr(out, "<system-out>r.json:1:"));
    ck_assert_ptr_nonnull(strstr(out, "[ECR0020]\n</system-out>"));
    ck_assert_ptr_nonnull(strstr(out, "name=\"ok.json\" file=\"ok.json\" time=\"0\"/>"));
    ck_assert_ptr_nonnull(strstr(out, "<skipped message=\"not an ECR document\"/>"));
    ck_assert_ptr_nonnull(strstr(out, "tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""));
    free(out);
    fo.fail_on = 3; /* none */
    out = render(rep, "junit", &fo);
    ck_assert_ptr_null(strstr(out, "<failure"));
    free(out);
    ecrlint_report_free(rep);
}
END_TEST

static json_t *sarif(const ecrlint_report *rep)
{
    char *out = render(rep, "sarif", NULL);
    json_error_t jerr;
    json_t *doc = json_loads(out, JSON_REJECT_DUPLICATES, &jerr);
    ck_assert_msg(doc != NULL, "SARIF is not JSON: %s", jerr.text);
    free(out);
    return doc;
}

static const char *uri_of(json_t *result)
{
    return json_string_value(json_object_get(
        json_object_get(json_object_get(json_array_get(json_object_get(result, "locations"), 0),
                                        "physicalLocation"),
                        "artifactLocation"),
        "uri"));
}

START_TEST(sarif_structure_and_positions)
{
    ecrlint_report *rep = ecrlint_report_new(eng);
    ecrlint_report_add(rep, check("./dir/a b#\xc3\xa9.json", bad));
    json_t *doc = sarif(rep);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "version")), "2.1.0");
    json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(run, "columnKind")), "unicodeCodePoints");
    json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
    ck_assert_str_eq(json_string_value(json_object_get(driver, "name")), "ecrlint");
#ifdef ECRLINT_HOMEPAGE
    ck_assert_str_eq(json_string_value(json_object_get(driver, "informationUri")), ECRLINT_HOMEPAGE);
#else
    ck_assert_ptr_null(json_object_get(driver, "informationUri"));
#endif
    json_t *rules = json_object_get(driver, "rules");
    json_t *results = json_object_get(run, "results");
    ck_assert_int_eq(json_array_size(results), 2);
    size_t i;
    json_t *res;
    json_array_foreach(results, i, res)
    {
        json_int_t idx = json_integer_value(json_object_get(res, "ruleIndex"));
        json_t *rule = json_array_get(rules, (size_t)idx);
        ck_assert_str_eq(json_string_value(json_object_get(rule, "id")),
                         json_string_value(json_object_get(res, "ruleId")));
        ck_assert_str_eq(json_string_value(json_object_get(res, "level")), "error");
        ck_assert_str_eq(uri_of(res), "dir/a%20b%23%C3%A9.json");
        ck_assert_ptr_null(json_object_get(res, "suppressions"));
    }
    json_t *first = json_array_get(results, 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "ruleId")), "ECR1012");
    json_t *region = json_object_get(json_object_get(json_array_get(json_object_get(first,
                                                                                    "locations"),
                                                                    0),
                                                     "physicalLocation"),
                                     "region");
    ck_assert_int_eq(json_integer_value(json_object_get(region, "startLine")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(region, "startColumn")), 21);
    ck_assert_int_eq(json_integer_value(json_object_get(region, "endLine")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(region, "endColumn")), 26);
    /* ECR1012's source is an https URL: helpUri; fullDescription and help are present. */
    json_t *rule = json_array_get(rules, (size_t)json_integer_value(json_object_get(first,
                                                                                    "ruleIndex")));
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(rule, "helpUri")), "https://"));
    ck_assert_ptr_nonnull(json_object_get(json_object_get(rule, "fullDescription"), "text"));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(rule,
                                                                       "defaultConfiguration"),
                                                       "level")),
                     "error");
    json_decref(doc);
    ecrlint_report_free(rep);
}
END_TEST

START_TEST(sarif_relative_help_and_absolute_paths)
{
    /* ECR0000's source is "README.md#...": no helpUri, the reference goes into help.text. */
    ecrlint_report *rep = ecrlint_report_new(eng);
    ecrlint_report_add(rep, ecrlint_result_new_error("/abs/x y.json", "ECR0000", "gone"));
    json_t *doc = sarif(rep);
    json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
    json_t *rule = json_array_get(
        json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules"), 0);
    ck_assert_ptr_null(json_object_get(rule, "helpUri"));
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_object_get(rule, "help"),
                                                                   "text")),
                                 "README.md"));
    json_t *res = json_array_get(json_object_get(run, "results"), 0);
    ck_assert_str_eq(uri_of(res), "file:///abs/x%20y.json");
    json_decref(doc);
    ecrlint_report_free(rep);
}
END_TEST

START_TEST(suppressed_findings)
{
    ecrlint_result *r = check("r.json", bad);
    ck_assert_int_eq(ecrlint_result_diag_count(r), 2);
    ck_assert_int_eq(ecrlint_result_set_suppressed(r, 0, 1), ECRLINT_OK);
    ck_assert_int_eq(ecrlint_result_set_suppressed(r, 9, 1), ECRLINT_ERR_USAGE);
    ck_assert_int_eq(ecrlint_result_diag_suppressed(r, 0), 1);
    ck_assert_int_eq(ecrlint_result_diag_suppressed(r, 1), 0);
    ecrlint_report *rep = ecrlint_report_new(eng);
    ecrlint_report_add(rep, r);

    /* Left out of every format but sarif, and of the counts. */
    const char *formats[] = {"text", "gcc", "json", "github", "junit"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char *out = render(rep, formats[i], NULL);
        ck_assert_msg(strstr(out, "ECR1012") == NULL, "%s shows a suppressed finding", formats[i]);
        ck_assert_msg(strstr(out, "ECR3001") != NULL, "%s lost a finding", formats[i]);
        free(out);
    }
    ecrlint_summary s;
    ecrlint_report_summary(rep, ECRLINT_SEVERITY_INFO, &s);
    ck_assert_uint_eq(s.errors, 1);

    json_t *doc = sarif(rep);
    json_t *results = json_object_get(json_array_get(json_object_get(doc, "runs"), 0), "results");
    ck_assert_int_eq(json_array_size(results), 2);
    json_t *sup = json_object_get(json_array_get(results, 0), "suppressions");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(sup, 0), "kind")),
                     "external");
    ck_assert_ptr_null(json_object_get(json_array_get(results, 1), "suppressions"));
    json_decref(doc);
    ecrlint_report_free(rep);
}
END_TEST

START_TEST(every_format_carries_positions)
{
    ecrlint_report *rep = ecrlint_report_new(eng);
    ecrlint_report_add(rep, check("r.json", bad));
    struct {
        const char *format, *needle;
    } want[] = {
        {"text", "r.json:3:17: error"},
        {"gcc", "r.json:3:17: error"},
        {"json", "\"line\":3,\"column\":17,\"endLine\":3,\"endColumn\":18"},
        {"sarif", "\"startLine\":3,\"startColumn\":17,\"endLine\":3,\"endColumn\":18"},
        {"github", "line=3,col=17,endLine=3,endColumn=18"},
        {"junit", "r.json:3:17: error"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *out = render(rep, want[i].format, NULL);
        ck_assert_msg(strstr(out, want[i].needle) != NULL, "%s lacks %s:\n%s", want[i].format,
                      want[i].needle, out);
        free(out);
    }
    ecrlint_report_free(rep);
}
END_TEST

START_TEST(format_names)
{
    const char *names[] = {"text", "json", "gcc", "sarif", "github", "junit"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ck_assert_int_eq(ecrlint_format_known(names[i]), 1);
        ck_assert_ptr_nonnull(strstr(ecrlint_format_names(), names[i]));
    }
    ck_assert_int_eq(ecrlint_format_known("xml"), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("formats");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, github_escaping);
    tcase_add_test(tc, github_positions_and_levels);
    tcase_add_test(tc, junit_escaping_and_forbidden_characters);
    tcase_add_test(tc, junit_fail_on_split);
    tcase_add_test(tc, sarif_structure_and_positions);
    tcase_add_test(tc, sarif_relative_help_and_absolute_paths);
    tcase_add_test(tc, suppressed_findings);
    tcase_add_test(tc, every_format_carries_positions);
    tcase_add_test(tc, format_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
