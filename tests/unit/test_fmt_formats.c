/* test_fmt_formats.c - the sarif, github and junit formats through the public API: escaping,
 * URIs, positions in every format, baseline suppression and junit's fail-on split; and the
 * streaming writer, which must write what ecrlint_report_write writes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"
#include "suite_run.h"

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

/* The request checker's findings, with no client: ECR0020 stays a warning and botocore's answer
 * (ECR0021) is left out; client_refusal_in_every_format checks that one. */
static ecrlint_result *check(const char *path, const char *text)
{
    ecrlint_check_options o = {.operation = "DescribeImages", .client = ECRLINT_CLIENT_NONE};
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
    ck_assert_ptr_null(strstr(out, "\xef\xbf\xbf")); /* U+FFFF dropped */
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
    /* An unknown member is a warning (ECR0020) without a client; the range error an error. */
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
    ck_assert_str_eq(json_string_value(json_object_get(driver, "informationUri")),
                     ECRLINT_HOMEPAGE);
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
    json_t *region = json_object_get(
        json_object_get(json_array_get(json_object_get(first, "locations"), 0), "physicalLocation"),
        "region");
    ck_assert_int_eq(json_integer_value(json_object_get(region, "startLine")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(region, "startColumn")), 21);
    ck_assert_int_eq(json_integer_value(json_object_get(region, "endLine")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(region, "endColumn")), 26);
    /* ECR1012's source is an https URL: helpUri; fullDescription and help are present. */
    json_t *rule =
        json_array_get(rules, (size_t)json_integer_value(json_object_get(first, "ruleIndex")));
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(rule, "helpUri")), "https://"));
    ck_assert_ptr_nonnull(json_object_get(json_object_get(rule, "fullDescription"), "text"));
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(rule, "defaultConfiguration"), "level")),
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
    ck_assert_ptr_nonnull(strstr(
        json_string_value(json_object_get(json_object_get(rule, "help"), "text")), "README.md"));
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

static const char *const all_formats[] = {"text", "json", "gcc", "sarif", "github", "junit"};

static ecrlint_result *check_with(const char *path, const char *text, const char *op,
                                  int first_line)
{
    ecrlint_check_options o = {.operation = op, .first_line = first_line};
    ecrlint_result *r = NULL;
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, path, text, strlen(text), &r, &err), ECRLINT_OK);
    return r;
}

static const char *oci_manifest =
    "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", "
    "\"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": "
    "\"sha256:0000000000000000000000000000000000000000000000000000000000000000\", \"size\": 2}, "
    "\"layers\": []}";

/* A report with a bit of everything: findings of every severity, a suppressed one, JSON Lines
 * records sharing a path (one junit test case), a skipped input, an unreadable one, a
 * manifest, a clean request; `copies` times over so that the output passes the writer's
 * flush threshold. */
static ecrlint_report *mixed_report(int copies)
{
    ecrlint_report *rep = ecrlint_report_new(eng);
    for (int c = 0; c < copies; c++) {
        char path[64];
        snprintf(path, sizeof path, "dir/r%d.json", c);
        ecrlint_result *r = check(path, bad);
        ecrlint_result_set_suppressed(r, 0, 1);
        ck_assert_int_eq(ecrlint_report_add(rep, r), ECRLINT_OK);
        snprintf(path, sizeof path, "lines%d.jsonl", c);
        ecrlint_report_add(rep, check_with(path, "{\"repositoryName\": \"web\", \"imageID\": 1}",
                                           "DescribeImages", 1));
        ecrlint_report_add(rep,
                           check_with(path, "{\"repositoryName\": \"web\"}", "DescribeImages", 2));
        ecrlint_report_add(rep, check_with(path, "{\"maxResults\": 0}", "DescribeImages", 3));
        ecrlint_report_add(rep, ecrlint_result_new_skipped("package.json", "not an ECR document"));
        ecrlint_report_add(rep, ecrlint_result_new_skipped("package.json", NULL));
        ecrlint_report_add(rep, ecrlint_result_new_error("gone.json", "ECR0000", "no such file"));
        ecrlint_report_add(rep, check_with("m.json", oci_manifest, "manifest", 0));
        ecrlint_report_add(rep, check("ok.json", "{\"repositoryName\": \"web\"}"));
    }
    return rep;
}

/* Writes the results of `rep` one at a time through a writer; the caller frees the text. */
static char *stream(const ecrlint_report *rep, const char *format, const ecrlint_format_options *fo,
                    ecrlint_summary *summary)
{
    sink s = {NULL, 0};
    ecrlint_error err = {0};
    ecrlint_writer *w = ecrlint_writer_new(eng, format, fo, to_sink, &s, &err);
    ck_assert_msg(w != NULL, "%s", err.text);
    ck_assert_ptr_null(s.data); /* nothing is written before the first result */
    for (size_t i = 0; i < ecrlint_report_count(rep); i++)
        ck_assert_int_eq(ecrlint_writer_add(w, ecrlint_report_result(rep, i), &err), ECRLINT_OK);
    ck_assert_int_eq(ecrlint_writer_finish(w, &err), ECRLINT_OK);
    ecrlint_writer_summary(w, summary);
    ecrlint_writer_free(w);
    return s.data ? s.data : strdup("");
}

START_TEST(writer_matches_report_write)
{
    ecrlint_format_options variants[] = {
        {.min_severity = ECRLINT_SEVERITY_INFO, .fail_on = ECRLINT_SEVERITY_ERROR},
        {.min_severity = ECRLINT_SEVERITY_WARNING,
         .quiet = 1,
         .fail_on = ECRLINT_SEVERITY_INFO,
         .tool_version = "9.9.9"},
        {.min_severity = ECRLINT_SEVERITY_ERROR, .color = 1, .fail_on = 3},
    };
    int sizes[] = {0, 1, 400}; /* 400 copies: several flushes in every format */
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        ecrlint_report *rep = mixed_report(sizes[z]);
        for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
            for (size_t f = 0; f < sizeof all_formats / sizeof all_formats[0]; f++) {
                char *whole = render(rep, all_formats[f], &variants[v]);
                ecrlint_summary got, want;
                char *streamed = stream(rep, all_formats[f], &variants[v], &got);
                ck_assert_msg(strcmp(whole, streamed) == 0, "%s (%d copies, variant %zu) differs",
                              all_formats[f], sizes[z], v);
                if (sizes[z] == 400)
                    ck_assert_uint_gt(strlen(whole), 65536 * 2);
                ecrlint_report_summary(rep, variants[v].min_severity, &want);
                ck_assert_int_eq(memcmp(&got, &want, sizeof got), 0);
                free(whole);
                free(streamed);
            }
        }
        ecrlint_report_free(rep);
    }
}
END_TEST

START_TEST(writer_keeps_no_pointer_into_results)
{
    for (size_t f = 0; f < sizeof all_formats / sizeof all_formats[0]; f++) {
        /* The same results, each freed right after it is added (ASan catches a late read), and
           kept in a report. Two records of one JSON Lines file: one junit test case whose state
           outlives the first. */
        sink s = {NULL, 0};
        ecrlint_error err = {0};
        ecrlint_writer *w = ecrlint_writer_new(eng, all_formats[f], NULL, to_sink, &s, &err);
        ck_assert_ptr_nonnull(w);
        ecrlint_result *r = check_with("l.jsonl", "{\"repositoryName\": \"Web\"}", NULL, 1);
        ck_assert_int_eq(ecrlint_writer_add(w, r, &err), ECRLINT_OK);
        ecrlint_result_free(r);
        r = check_with("l.jsonl", "{\"repositoryName\": \"web\", \"maxResults\": 0}", NULL, 2);
        ck_assert_int_eq(ecrlint_writer_add(w, r, &err), ECRLINT_OK);
        ecrlint_result_free(r);
        r = ecrlint_result_new_skipped("x.json", "not an ECR document");
        ck_assert_int_eq(ecrlint_writer_add(w, r, &err), ECRLINT_OK);
        ecrlint_result_free(r);
        ck_assert_int_eq(ecrlint_writer_finish(w, &err), ECRLINT_OK);
        ecrlint_writer_free(w);

        ecrlint_report *rep = ecrlint_report_new(eng);
        ecrlint_report_add(rep, check_with("l.jsonl", "{\"repositoryName\": \"Web\"}", NULL, 1));
        ecrlint_report_add(rep, check_with("l.jsonl",
                                           "{\"repositoryName\": \"web\", "
                                           "\"maxResults\": 0}",
                                           NULL, 2));
        ecrlint_report_add(rep, ecrlint_result_new_skipped("x.json", "not an ECR document"));
        char *want = render(rep, all_formats[f], NULL);
        ck_assert_msg(s.data && strcmp(s.data, want) == 0, "%s:\n%s\n---\n%s", all_formats[f],
                      s.data ? s.data : "(nothing)", want);
        if (strcmp(all_formats[f], "junit") == 0) {
            ck_assert_ptr_nonnull(strstr(want, "tests=\"2\" failures=\"1\""));
            ck_assert_ptr_nonnull(strstr(want, "<failure type=\"ECR1012\""));
            ck_assert_ptr_nonnull(strstr(want, "<failure type=\"ECR3001\""));
        }
        free(want);
        free(s.data);
        ecrlint_report_free(rep);
    }
}
END_TEST

/* Lines of `text` that contain `needle`. */
static size_t lines_with(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++) {
        n++;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl;
    }
    return n;
}

/* A request only the client refuses: null is "not set" for ECR, a value of the wrong type for
 * botocore. Its refusal is ECR0021, one error finding in every format (one line in text and
 * GitHub's), its message botocore's with the lines joined; with no client there is none. */
START_TEST(client_refusal_in_every_format)
{
    static const char *body = "{\"repositoryName\": \"web\", \"registryId\": null, "
                              "\"filter\": null}";
    ecrlint_check_options o = {.operation = "DescribeImages"};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "r.json", body, strlen(body), &r, NULL),
                     ECRLINT_OK);
    ck_assert_str_eq(ecrlint_result_client_name(r), "botocore");
    /* botocore's text: a first line, then one line per problem (two here) */
    const char *exact = ecrlint_result_client_error(r);
    ck_assert_ptr_nonnull(exact);
    const char *nl = strchr(exact, '\n');
    ck_assert_ptr_nonnull(nl);
    ck_assert_ptr_nonnull(strchr(nl + 1, '\n'));
    ck_assert_ptr_null(strchr(strchr(nl + 1, '\n') + 1, '\n'));
    /* the finding's message: the first line, a space, the problems joined with "; " */
    char one[1024];
    size_t n =
        (size_t)snprintf(one, sizeof one, "aws CLI / boto3 would refuse it before sending: ");
    for (const char *p = exact; *p && n + 3 < sizeof one; p++) {
        if (*p != '\n')
            one[n++] = *p;
        else if (p == nl)
            one[n++] = ' ';
        else
            n += (size_t)snprintf(one + n, sizeof one - n, "; ");
    }
    one[n] = '\0';
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 1);
    const ecrlint_diag *d = ecrlint_result_diag(r, 0);
    ck_assert_str_eq(d->rule, "ECR0021");
    ck_assert_int_eq(d->severity, ECRLINT_SEVERITY_ERROR);
    ck_assert_int_eq(d->line, 1);
    ck_assert_str_eq(d->message, one);

    ecrlint_report *rep = ecrlint_report_new(eng);
    ecrlint_report_add(rep, r);
    char *out = render(rep, "text", NULL);
    char want[1280];
    snprintf(want, sizeof want, "r.json:1:1: error: %s [ECR0021]\n", one);
    ck_assert_ptr_nonnull(strstr(out, want));
    ck_assert_uint_eq(lines_with(out, "would refuse"), 1);
    ck_assert_ptr_nonnull(strstr(out, "1 error, 0 warnings"));
    free(out);
    out = render(rep, "gcc", NULL);
    ck_assert_ptr_nonnull(strstr(out, want));
    free(out);
    out = render(rep, "github", NULL);
    ck_assert_uint_eq(lines_with(out, "would refuse"), 1);
    ck_assert_ptr_nonnull(strstr(out, "::error file=r.json,line=1,col=1,title=ECR0021%3A aws CLI / "
                                      "boto3 would refuse it before sending::aws CLI / boto3"));
    free(out);
    out = render(rep, "junit", NULL);
    ck_assert_ptr_nonnull(strstr(out, "<failure type=\"ECR0021\""));
    ck_assert_ptr_nonnull(strstr(out, "tests=\"1\" failures=\"1\""));
    free(out);
    json_t *doc = sarif(rep);
    json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
    json_t *res = json_array_get(json_object_get(run, "results"), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(run, "results")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(res, "ruleId")), "ECR0021");
    ck_assert_str_eq(json_string_value(json_object_get(res, "level")), "error");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(res, "message"), "text")),
                     one);
    json_decref(doc);
    out = render(rep, "json", NULL);
    doc = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(doc);
    json_t *file = json_array_get(json_object_get(doc, "files"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_object_get(file, "client"), "error"), "message")),
                     exact);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(file, "diagnostics"), 0), "rule")),
                     "ECR0021");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "summary"), "errors")),
                     1);
    json_decref(doc);
    free(out);
    ecrlint_report_free(rep);

    o.client = ECRLINT_CLIENT_NONE;
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "r.json", body, strlen(body), &r, NULL),
                     ECRLINT_OK);
    ck_assert_ptr_null(ecrlint_result_client_name(r));
    ck_assert_ptr_null(ecrlint_result_client_error(r));
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 0);
    ecrlint_result_free(r);
}
END_TEST

static int refuse(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    ++*(int *)ud;
    return 1;
}

START_TEST(writer_errors_stick)
{
    ecrlint_error err = {0};
    ck_assert_ptr_null(ecrlint_writer_new(eng, "xml", NULL, to_sink, NULL, &err));
    ck_assert_int_eq(err.code, ECRLINT_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.text, "unknown format 'xml'"));

    /* A sink that refuses: the error comes at finish (small output is buffered), then sticks
       and nothing more is written. */
    for (size_t f = 0; f < sizeof all_formats / sizeof all_formats[0]; f++) {
        int calls = 0;
        memset(&err, 0, sizeof err);
        ecrlint_writer *w = ecrlint_writer_new(eng, all_formats[f], NULL, refuse, &calls, &err);
        ck_assert_ptr_nonnull(w);
        ecrlint_result *r = check("r.json", bad);
        ck_assert_int_eq(ecrlint_writer_add(w, r, &err), ECRLINT_OK);
        ck_assert_int_eq(ecrlint_writer_finish(w, &err), ECRLINT_ERR_IO);
        ck_assert_int_eq(err.code, ECRLINT_ERR_IO);
        ck_assert_int_eq(calls, 1);
        ecrlint_error again = {0};
        ck_assert_int_eq(ecrlint_writer_add(w, r, &again), ECRLINT_ERR_IO);
        ck_assert_int_eq(again.code, ECRLINT_ERR_IO);
        ck_assert_int_eq(ecrlint_writer_finish(w, NULL), ECRLINT_ERR_IO);
        ck_assert_int_eq(calls, 1);
        ecrlint_summary s;
        ecrlint_writer_summary(w, &s);
        ck_assert_uint_eq(s.files, 1);
        ck_assert_uint_eq(s.errors, 2);
        ecrlint_result_free(r);
        ecrlint_writer_free(w);
    }

    /* Finished is finished. */
    sink s = {NULL, 0};
    ecrlint_writer *w = ecrlint_writer_new(eng, "json", NULL, to_sink, &s, NULL);
    ck_assert_int_eq(ecrlint_writer_finish(w, NULL), ECRLINT_OK);
    ck_assert_int_eq(ecrlint_writer_finish(w, NULL), ECRLINT_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(s.data, "\"files\":[],"));
    ecrlint_writer_free(w);
    ecrlint_writer_free(NULL);
    free(s.data);
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
    tcase_add_test(tc, writer_matches_report_write);
    tcase_add_test(tc, writer_keeps_no_pointer_into_results);
    tcase_add_test(tc, writer_errors_stick);
    tcase_add_test(tc, client_refusal_in_every_format);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return suite_run(suite());
}
