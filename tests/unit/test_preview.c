/* test_preview.c - the lifecycle preview: the worked examples of the ECR user guide ("Examples
 * of lifecycle policies", each with tagPatternList and with tagPrefixList), the images reader,
 * the evaluation's corner cases, and properties over generated policies and images (fixed
 * seed), among them agreement with a naive evaluation written here from the documentation. */
#include <check.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"
#include "lifecycle/el_lifecycle.h"
#include "preview/el_preview.h"
#include "suite_run.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_text.h"

#define NOW 1764806400LL /* 2025-12-04T00:00:00Z */
#define US 1000000LL

static ecrlint_engine *engine(void)
{
    static ecrlint_engine *eng;
    if (!eng) {
        ecrlint_error err;
        eng = ecrlint_engine_new(&err);
        ck_assert_msg(eng != NULL, "engine: %s", err.text);
    }
    return eng;
}

/* ---- building inputs ---------------------------------------------------------------------- */

typedef struct img {
    const char *name; /* one letter: the digest is made from it */
    const char *tags; /* comma-separated; "" untagged */
    double hours;     /* pushed this long before NOW */
} img;

static void digest_of(const char *name, char out[72])
{
    snprintf(out, 72, "sha256:%064x", (unsigned)name[0]);
}

static char *page(const img *im, size_t n)
{
    el_buf b;
    el_buf_init(&b);
    el_buf_puts(&b, "{\"imageDetails\": [\n");
    for (size_t i = 0; i < n; i++) {
        char d[72];
        digest_of(im[i].name, d);
        el_buf_printf(&b,
                      "%s  {\"registryId\": \"123456789012\", \"repositoryName\": \"web\", "
                      "\"imageDigest\": \"%s\", \"imagePushedAt\": %.3f",
                      i ? ",\n" : "", d, (double)NOW - im[i].hours * 3600);
        if (*im[i].tags) {
            el_buf_puts(&b, ", \"imageTags\": [");
            const char *t = im[i].tags;
            for (bool first = true; *t; first = false) {
                size_t len = strcspn(t, ",");
                el_buf_printf(&b, "%s\"%.*s\"", first ? "" : ", ", (int)len, t);
                t += len + (t[len] == ',');
            }
            el_buf_putc(&b, ']');
        }
        el_buf_putc(&b, '}');
    }
    el_buf_puts(&b, "\n]}\n");
    ck_assert(!b.failed);
    return el_buf_take(&b);
}

/* The prefix-list twin of a policy whose patterns are all "prefix*". */
static char *as_prefixes(const char *policy)
{
    el_buf b;
    el_buf_init(&b);
    for (const char *p = policy; *p;) {
        if (strncmp(p, "tagPatternList", 14) == 0) {
            el_buf_puts(&b, "tagPrefixList");
            p += 14;
        } else if (*p == '*') {
            p++;
        } else {
            el_buf_putc(&b, *p++);
        }
    }
    return el_buf_take(&b);
}

static ecrlint_preview *run(const char *policy, const char *images, ecrlint_error *err)
{
    ecrlint_preview *p = ecrlint_preview_new(engine(), "policy.json", policy, strlen(policy), err);
    ck_assert_msg(p != NULL, "policy: %s", err->text);
    ck_assert_msg(!ecrlint_preview_add_images(p, "images.json", images, strlen(images), err),
                  "images: %s", err->text);
    ck_assert_msg(!ecrlint_preview_run(p, NOW * US, err), "run: %s", err->text);
    return p;
}

/* The names of the images the policy acts on with `action`, in name order: "A,B". */
static void acted(const ecrlint_preview *p, const img *im, size_t n, ecrlint_preview_action action,
                  char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        char d[72];
        digest_of(im[k].name, d);
        for (size_t i = 0; i < ecrlint_preview_image_count(p); i++) {
            const ecrlint_preview_image *x = ecrlint_preview_image_at(p, i);
            if (strcmp(x->digest, d) == 0 && x->action == action) {
                size_t len = strlen(out);
                snprintf(out + len, cap - len, "%s%s", len ? "," : "", im[k].name);
            }
        }
    }
}

/* Runs the policy (and its prefix twin) and compares the expired images with `want`. */
static void expect(const char *policy, const img *im, size_t n, const char *want)
{
    char *images = page(im, n);
    char *prefixes = as_prefixes(policy);
    const char *variants[] = {policy, prefixes};
    for (size_t v = 0; v < 2; v++) {
        ecrlint_error err;
        ecrlint_preview *p = run(variants[v], images, &err);
        char got[256];
        acted(p, im, n, ECRLINT_PREVIEW_EXPIRE, got, sizeof got);
        ck_assert_msg(strcmp(got, want) == 0, "%s: expired %s, want %s",
                      v ? "tagPrefixList" : "tagPatternList", got, want);
        ecrlint_preview_free(p);
    }
    el_free(prefixes);
    el_free(images);
}

#define RULE(prio, sel, action)                                                                    \
    "{\"rulePriority\": " #prio ", \"selection\": {" sel "}, \"action\": {\"type\": \"" action     \
    "\"}}"
#define POLICY(...) "{\"rules\": [" __VA_ARGS__ "]}"

/* ---- the worked examples of the user guide ------------------------------------------------ */

static const img MULTI[] = {
    {"A", "beta-1,prod-1", 240}, {"B", "beta-2,prod-2", 216}, {"C", "beta-3", 192}};

START_TEST(example_multiple_rules_a)
{
    expect(POLICY(RULE(
               1,
               "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"prod*\"], "
               "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1",
               "expire") "," RULE(2,
                                  "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"beta*\"], "
                                  "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1",
                                  "expire")),
           MULTI, 3, "A");
}
END_TEST

START_TEST(example_multiple_rules_b)
{
    expect(POLICY(RULE(
               1,
               "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"beta*\"], "
               "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1",
               "expire") "," RULE(2,
                                  "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"prod*\"], "
                                  "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1",
                                  "expire")),
           MULTI, 3, "A,B");
}
END_TEST

START_TEST(example_several_tags_age)
{
    static const img im[] = {{"A", "alpha-1", 288},        {"B", "beta-1", 264},
                             {"C", "alpha-2,beta-2", 240}, {"D", "alpha-3", 96},
                             {"E", "beta-3", 72},          {"F", "alpha-4,beta-4", 48}};
    expect(POLICY(RULE(1,
                       "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"alpha*\", \"beta*\"], "
                       "\"countType\": \"sinceImagePushed\", \"countUnit\": \"days\", "
                       "\"countNumber\": 5",
                       "expire")),
           im, 6, "C");
}
END_TEST

START_TEST(example_several_tags_count)
{
    static const img im[] = {{"A", "alpha-1,beta-1,gamma-1", 240},
                             {"B", "alpha-2,beta-2", 216},
                             {"C", "alpha-3,beta-3,gamma-2", 192}};
    expect(POLICY(RULE(1,
                       "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"alpha*\", \"beta*\"], "
                       "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1",
                       "expire")),
           im, 3, "A,B");
}
END_TEST

START_TEST(example_all_images_a)
{
    static const img im[] = {
        {"A", "alpha-1", 96}, {"B", "beta-1", 72}, {"C", "", 48}, {"D", "alpha-2", 24}};
    expect(POLICY(RULE(1,
                       "\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", "
                       "\"countNumber\": 1",
                       "expire")),
           im, 4, "A,B,C");
}
END_TEST

START_TEST(example_all_images_b)
{
    static const img im[] = {{"A", "alpha-1,beta-1", 96},
                             {"B", "", 72},
                             {"C", "alpha-2", 48},
                             {"D", "git-hash", 24},
                             {"E", "", 20}};
    expect(
        POLICY(RULE(
            1,
            "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"alpha*\"], "
            "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1",
            "expire") "," RULE(2,
                               "\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", "
                               "\"countUnit\": \"days\", \"countNumber\": 1",
                               "expire") "," RULE(3,
                                                  "\"tagStatus\": \"any\", \"countType\": "
                                                  "\"imageCountMoreThan\", "
                                                  "\"countNumber\": 1",
                                                  "expire")),
        im, 5, "A,B,D");
}
END_TEST

/* The archive combination: standard images older than 30 days move to archive, archived
 * ones transitioned more than 365 days ago expire. */
START_TEST(example_archive_combination)
{
    const char *policy = POLICY(RULE(
        1,
        "\"tagStatus\": \"any\", \"countType\": \"sinceImagePushed\", "
        "\"countUnit\": \"days\", \"countNumber\": 30",
        "transition\", \"targetStorageClass\": \"archive") "," RULE(2,
                                                                    "\"tagStatus\": \"any\", "
                                                                    "\"storageClass\": "
                                                                    "\"archive\", \"countType\": "
                                                                    "\"sinceImageTransitioned\", "
                                                                    "\"countUnit\": \"days\", "
                                                                    "\"countNumber\": 365",
                                                                    "expire"));
    const char *images =
        "{\"imageDetails\": ["
        "{\"imageDigest\": \"sha256:"
        "0000000000000000000000000000000000000000000000000000000000000001\", "
        "\"imagePushedAt\": \"2025-10-01T00:00:00Z\", \"imageStatus\": \"ACTIVE\"},"
        "{\"imageDigest\": \"sha256:"
        "0000000000000000000000000000000000000000000000000000000000000002\", "
        "\"imagePushedAt\": \"2025-11-20T00:00:00Z\", \"imageStatus\": \"ACTIVE\"},"
        "{\"imageDigest\": \"sha256:"
        "0000000000000000000000000000000000000000000000000000000000000003\", "
        "\"imagePushedAt\": 1600000000, \"imageStatus\": \"ARCHIVED\", "
        "\"lastArchivedAt\": \"2024-06-01T00:00:00.5+02:00\"},"
        "{\"imageDigest\": \"sha256:"
        "0000000000000000000000000000000000000000000000000000000000000004\", "
        "\"imagePushedAt\": 1600000000, \"imageStatus\": \"ARCHIVED\", "
        "\"lastArchivedAt\": 1760000000.25}]}";
    ecrlint_error err;
    ecrlint_preview *p = run(policy, images, &err);
    ecrlint_preview_summary s;
    ecrlint_preview_get_summary(p, &s);
    ck_assert_uint_eq(s.images, 4);
    ck_assert_uint_eq(s.transition, 1);
    ck_assert_uint_eq(s.expire, 1);
    ck_assert_uint_eq(s.kept, 2);
    const ecrlint_preview_image *first = ecrlint_preview_image_at(p, 0);
    ck_assert_int_eq(first->action, ECRLINT_PREVIEW_TRANSITION);
    ck_assert(strstr(first->digest, "0001") != NULL);
    ck_assert_str_eq(first->storage_class, "STANDARD");
    const ecrlint_preview_image *second = ecrlint_preview_image_at(p, 1);
    ck_assert_int_eq(second->action, ECRLINT_PREVIEW_EXPIRE);
    ck_assert(strstr(second->digest, "0003") != NULL);
    ck_assert_str_eq(second->storage_class, "ARCHIVE");
    ecrlint_preview_free(p);
}
END_TEST

/* ---- the reader and the evaluation's corners ---------------------------------------------- */

START_TEST(times_parse)
{
    long long t;
    ck_assert(ecrlint_time_parse("1733280000", &t) && t == 1733280000LL * US);
    ck_assert(ecrlint_time_parse("1733280000.25", &t) && t == 1733280000LL * US + 250000);
    ck_assert(ecrlint_time_parse("2024-12-04T02:40:00Z", &t) && t == 1733280000LL * US);
    ck_assert(ecrlint_time_parse("2024-12-04T03:40:00+01:00", &t) && t == 1733280000LL * US);
    ck_assert(ecrlint_time_parse("2024-12-04T02:40:00.123456-00:00", &t) &&
              t == 1733280000LL * US + 123456);
    ck_assert(ecrlint_time_parse("2024-12-04", &t) && t == 1733270400LL * US);
    ck_assert(!ecrlint_time_parse("2024-02-30", &t));
    ck_assert(!ecrlint_time_parse("2024-12-04T25:00:00Z", &t));
    ck_assert(!ecrlint_time_parse("yesterday", &t));
    ck_assert(!ecrlint_time_parse("99999999999999", &t));
    char out[40];
    ck_assert_str_eq(el_pv_time_format(1733280000LL * US + 500000, out), "2024-12-04T02:40:00.5Z");
    ck_assert_str_eq(el_pv_time_epoch(1733280000LL * US + 120000, out), "1733280000.12");
    ck_assert_str_eq(el_pv_time_epoch(-1, out), "-0.000001");
}
END_TEST

START_TEST(glob_patterns)
{
    ck_assert(el_lc_glob_match("prod*", "prod-1"));
    ck_assert(el_lc_glob_match("*prod*", "x-prod-1"));
    ck_assert(el_lc_glob_match("*test*1*2*3", "atestb1c2d3"));
    ck_assert(!el_lc_glob_match("*test*1*2*3", "atestb1c2d3e"));
    ck_assert(el_lc_glob_match("latest", "latest"));
    ck_assert(!el_lc_glob_match("latest", "latest-1"));
    ck_assert(!el_lc_glob_match("Prod*", "prod"));
    ck_assert(!el_lc_glob_match("v?", "v1")); /* '?' is itself in a tag pattern */
    ck_assert(el_lc_glob_match("v?", "v?"));
    ck_assert(el_glob_match("v?", "v1", true)); /* and any one character in --protect */
    ck_assert(el_lc_glob_match("*", ""));
}
END_TEST

/* Every pattern up to 6 characters over {a, b, *} (several stars, a star at both ends, none)
 * against every tag up to 5 characters over {a, b}, the empty one too: the lifecycle's
 * matcher, the lifecycle's typed selection (el_lc_rule_selects) and the preview's
 * (el_pv_selects) all give POSIX fnmatch's answer, which for these characters is the
 * documented meaning of a tag pattern ('*' any run of characters, the rest itself, over the
 * whole tag). With '?' among them, --protect's matcher gives fnmatch's answer too. */
static size_t spell(char *out, size_t index, size_t len, const char *alphabet, size_t nalpha)
{
    for (size_t i = 0; i < len; i++, index /= nalpha)
        out[i] = alphabet[index % nalpha];
    out[len] = '\0';
    return len;
}

START_TEST(tag_patterns_agree)
{
    char pat[8], tag[8];
    size_t checked = 0, matched = 0;
    for (int question = 0; question <= 1; question++) {
        const char *palpha = question ? "ab*?" : "ab*";
        size_t np = strlen(palpha), maxp = question ? 5 : 6;
        for (size_t pl = 0, count = 1; pl <= maxp; pl++, count *= np) {
            for (size_t pi = 0; pi < count; pi++) {
                spell(pat, pi, pl, palpha, np);
                for (size_t tl = 0, tcount = 1; tl <= 5; tl++, tcount *= 2) {
                    for (size_t ti = 0; ti < tcount; ti++) {
                        spell(tag, ti, tl, "ab", 2);
                        bool want = fnmatch(pat, tag, 0) == 0;
                        checked++;
                        matched += want;
                        if (question) {
                            ck_assert_msg(el_glob_match(pat, tag, true) == want,
                                          "--protect '%s' ~ '%s': fnmatch says %d", pat, tag, want);
                            continue;
                        }
                        ck_assert_msg(el_lc_glob_match(pat, tag) == want,
                                      "'%s' ~ '%s': fnmatch says %d", pat, tag, want);
                        const char *list[] = {pat};
                        const char *tags[] = {tag};
                        el_lc_rule lr = {.tag_status = EL_LC_TAGGED,
                                         .tag_patterns = list,
                                         .ntag_patterns = 1,
                                         .storage_class = EL_LC_STANDARD};
                        ck_assert_msg(el_lc_rule_selects(&lr, tags, 1, EL_LC_STANDARD) == want,
                                      "lifecycle selection '%s' ~ '%s'", pat, tag);
                        el_pv_rule pr = {.tag_status = EL_PV_TAGGED,
                                         .patterns = true,
                                         .tags = list,
                                         .ntags = 1,
                                         .storage = EL_PV_STANDARD};
                        el_pv_image im = {.tags = tags, .ntags = 1, .status = EL_PV_ACTIVE};
                        ck_assert_msg(el_pv_selects(&pr, &im) == want,
                                      "preview selection '%s' ~ '%s'", pat, tag);
                    }
                }
            }
        }
    }
    /* both answers occur often: the loop is not vacuous */
    ck_assert_uint_gt(matched, checked / 20);
    ck_assert_uint_lt(matched, checked - checked / 20);
}
END_TEST

static void expect_error(const char *policy, const char *images, const char *text, int line)
{
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    ecrlint_preview *p = ecrlint_preview_new(engine(), "policy.json", policy, strlen(policy), &err);
    ck_assert(p != NULL);
    ecrlint_status st = ecrlint_preview_add_images(p, "images.json", images, strlen(images), &err);
    if (!st)
        st = ecrlint_preview_run(p, NOW * US, &err);
    ck_assert_int_eq(st, ECRLINT_ERR_USAGE);
    ck_assert_msg(strstr(err.text, text) != NULL, "'%s' lacks '%s'", err.text, text);
    ck_assert_str_eq(err.source, "images.json");
    ck_assert_int_eq(err.line, line);
    ecrlint_preview_free(p);
}

START_TEST(reader_errors)
{
    const char *pulled =
        POLICY(RULE(1,
                    "\"tagStatus\": \"any\", \"countType\": \"sinceImagePushed\", \"countUnit\": "
                    "\"days\", \"countNumber\": 3",
                    "expire"));
    /* a rule needs imagePushedAt: the error names the image and its line */
    expect_error(pulled,
                 "{\"imageDetails\": [\n  {\"imageDigest\": \"sha256:a\", \"imagePushedAt\": 1},\n"
                 "  {\"imageDigest\": \"sha256:b\"}\n]}",
                 "image sha256:b has no imagePushedAt, which rule 1", 3);
    expect_error(pulled,
                 "{\"imageDigest\": \"sha256:a\", \"imagePushedAt\": 1}\n"
                 "{\"imageDigest\": \"sha256:b\", \"imagePushedAt\": \"soon\"}\n",
                 "image sha256:b: imagePushedAt is not a time", 2);
    expect_error(pulled,
                 "{\"imageDigest\": \"sha256:a\", \"imagePushedAt\": 1}\n"
                 "{\"imageDigest\": \"sha256:a\", \"imagePushedAt\": 2}\n",
                 "image sha256:a appears twice (first at images.json:1:1)", 2);
    expect_error(pulled, "{\"imageDetails\": [{\"imagePushedAt\": 1}]}", "no imageDigest", 1);
    expect_error(pulled,
                 "{\"imageDetails\": [{\"imageDigest\": \"sha256:a\", \"imageStatus\": "
                 "\"GONE\"}]}",
                 "imageStatus is not ACTIVE", 1);
    expect_error(pulled, "{\"repositories\": []}", "neither a DescribeImages response", 0);
    expect_error(pulled, "{\"imageDetails\": [}", "not JSON", 1);
    /* an image no rule needs a time of is fine without it */
    const char *untagged = POLICY(RULE(1,
                                       "\"tagStatus\": \"untagged\", \"countType\": "
                                       "\"sinceImagePushed\", \"countUnit\": \"days\", "
                                       "\"countNumber\": 3",
                                       "expire"));
    ecrlint_error err;
    ecrlint_preview *p = run(untagged,
                             "{\"imageDetails\": [{\"imageDigest\": \"sha256:a\", "
                             "\"imageTags\": [\"v1\"]}]}",
                             &err);
    ecrlint_preview_free(p);
}
END_TEST

START_TEST(policy_sources)
{
    const char *policy = POLICY(RULE(1,
                                     "\"tagStatus\": \"any\", \"countType\": "
                                     "\"imageCountMoreThan\", \"countNumber\": 1",
                                     "expire"));
    char *request = NULL;
    json_t *doc = json_pack("{s:s, s:s}", "repositoryName", "web", "lifecyclePolicyText", policy);
    request = json_dumps(doc, 0);
    json_decref(doc);
    doc = json_pack("{s:s, s:s}", "prefix", "web", "lifecyclePolicy", policy);
    char *tmpl = json_dumps(doc, 0);
    json_decref(doc);
    const char *images =
        "{\"imageDetails\": [{\"imageDigest\": \"sha256:a\", \"imagePushedAt\": 1},"
        "{\"imageDigest\": \"sha256:b\", \"imagePushedAt\": 2}]}";
    const char *texts[] = {policy, request, tmpl};
    for (size_t k = 0; k < 3; k++) {
        ecrlint_error err;
        ecrlint_preview *p = run(texts[k], images, &err);
        ecrlint_preview_summary s;
        ecrlint_preview_get_summary(p, &s);
        ck_assert_uint_eq(s.expire, 1);
        ck_assert_str_eq(ecrlint_preview_image_at(p, 0)->digest, "sha256:a");
        ecrlint_preview_free(p);
    }
    free(request);
    free(tmpl);
    /* what the checker reads with a warning, the preview reads too: a byte-order mark, a
       duplicate name (the last one counts, as in the check), a NUL escape */
    const char *lenient[] = {
        "\xEF\xBB\xBF{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", "
        "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1}, \"action\": {\"type\": "
        "\"expire\"}}]}",
        "{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", "
        "\"countType\": \"imageCountMoreThan\", \"countNumber\": 9, \"countNumber\": 1}, "
        "\"action\": {\"type\": \"expire\"}}]}",
        "{\"rules\": [{\"rulePriority\": 1, \"description\": \"a\\u0000b\", \"selection\": "
        "{\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 1}, "
        "\"action\": {\"type\": \"expire\"}}]}"};
    for (size_t k = 0; k < 3; k++) {
        ecrlint_result *res = NULL;
        ck_assert_int_eq(ecrlint_check_buffer(engine(), NULL, "p.json", lenient[k],
                                              strlen(lenient[k]), &res, NULL),
                         ECRLINT_OK);
        ck_assert_int_eq(ecrlint_result_kind(res), ECRLINT_KIND_LIFECYCLE_POLICY);
        ck_assert(ecrlint_result_exception_code(res) == NULL);
        ecrlint_result_free(res);
        ecrlint_error err;
        ecrlint_preview *p = run(lenient[k], images, &err);
        ecrlint_preview_summary s;
        ecrlint_preview_get_summary(p, &s);
        ck_assert_uint_eq(s.expire, 1);
        ecrlint_preview_free(p);
    }
    /* what cannot be read as a rule is refused, naming the member */
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    const char *bad = "{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": "
                      "\"any\", \"countType\": \"imageCountMoreThan\"}, \"action\": "
                      "{\"type\": \"expire\"}}]}";
    ck_assert(ecrlint_preview_new(engine(), "p.json", bad, strlen(bad), &err) == NULL);
    ck_assert_int_eq(err.code, ECRLINT_ERR_USAGE);
    ck_assert(strstr(err.text, "rules[0].selection.countNumber") != NULL);
}
END_TEST

/* An index's children stay while the index stays; they go when it goes. */
START_TEST(index_children_guarded)
{
    const char *policy =
        POLICY(RULE(1,
                    "\"tagStatus\": \"untagged\", \"countType\": "
                    "\"sinceImagePushed\", \"countUnit\": \"days\", "
                    "\"countNumber\": 1",
                    "expire") "," RULE(2,
                                       "\"tagStatus\": \"any\", \"countType\": "
                                       "\"imageCountMoreThan\", \"countNumber\": 1",
                                       "expire"));
    /* index I (tagged v1, old) with children c1 c2; index J (tagged v2, newest) with c3 */
    const char *images =
        "{\"imageDetails\": ["
        "{\"imageDigest\": \"sha256:i\", \"imageTags\": [\"v1\"], \"imagePushedAt\": 1000},"
        "{\"imageDigest\": \"sha256:c1\", \"imagePushedAt\": 1000},"
        "{\"imageDigest\": \"sha256:c2\", \"imagePushedAt\": 1000},"
        "{\"imageDigest\": \"sha256:j\", \"imageTags\": [\"v2\"], \"imagePushedAt\": 3000},"
        "{\"imageDigest\": \"sha256:c3\", \"imagePushedAt\": 2000}]}";
    const char *manifests =
        "{\"images\": ["
        "{\"imageId\": {\"imageDigest\": \"sha256:i\"}, \"imageManifest\": \"{\\\"manifests\\\": "
        "[{\\\"digest\\\": \\\"sha256:c1\\\"}, {\\\"digest\\\": \\\"sha256:c2\\\"}]}\"},"
        "{\"imageId\": {\"imageDigest\": \"sha256:j\"}, \"imageManifest\": \"{\\\"manifests\\\": "
        "[{\\\"digest\\\": \\\"sha256:c3\\\"}]}\"}], \"failures\": []}";
    ecrlint_error err;
    ecrlint_preview *p = ecrlint_preview_new(engine(), "p.json", policy, strlen(policy), &err);
    ck_assert(p);
    ck_assert(!ecrlint_preview_add_images(p, "d.json", images, strlen(images), &err));
    ck_assert(!ecrlint_preview_add_images(p, "m.json", manifests, strlen(manifests), &err));
    ck_assert_msg(!ecrlint_preview_run(p, NOW * US, &err), "%s", err.text);
    ecrlint_preview_summary s;
    ecrlint_preview_get_summary(p, &s);
    /* rule 1 would expire the three children; rule 2 keeps J, the newest, and expires I: the
       children of I go with it, c3 is held by J, which stays */
    ck_assert_uint_eq(s.expire, 3);
    ck_assert_uint_eq(s.held, 1);
    for (size_t i = 0; i < ecrlint_preview_image_count(p); i++) {
        const ecrlint_preview_image *x = ecrlint_preview_image_at(p, i);
        if (strcmp(x->digest, "sha256:c3") == 0) {
            ck_assert_int_eq(x->action, ECRLINT_PREVIEW_KEEP);
            ck_assert_str_eq(x->held_by, "sha256:j");
        } else if (strcmp(x->digest, "sha256:j") == 0) {
            ck_assert_int_eq(x->action, ECRLINT_PREVIEW_KEEP);
        } else {
            ck_assert_int_eq(x->action, ECRLINT_PREVIEW_EXPIRE);
        }
    }
    ecrlint_preview_free(p);
}
END_TEST

/* Restored images count from their restore; pulls refresh sinceImagePulled. */
START_TEST(pull_and_restore_times)
{
    const char *policy = POLICY(RULE(1,
                                     "\"tagStatus\": \"any\", \"countType\": "
                                     "\"sinceImagePulled\", \"countUnit\": \"days\", "
                                     "\"countNumber\": 10",
                                     "transition\", \"targetStorageClass\": \"archive"));
    char images[1024];
    snprintf(images, sizeof images,
             "{\"imageDetails\": ["
             "{\"imageDigest\": \"sha256:a\", \"imagePushedAt\": %lld},"
             "{\"imageDigest\": \"sha256:b\", \"imagePushedAt\": %lld, "
             "\"lastRecordedPullTime\": %lld},"
             "{\"imageDigest\": \"sha256:c\", \"imagePushedAt\": %lld, "
             "\"lastActivatedAt\": %lld},"
             "{\"imageDigest\": \"sha256:d\", \"imagePushedAt\": %lld, "
             "\"lastRecordedPullTime\": %lld, \"imageStatus\": \"ACTIVATING\"}]}",
             NOW - 20 * 86400, NOW - 20 * 86400, NOW - 2 * 86400, NOW - 20 * 86400, NOW - 3 * 86400,
             NOW - 20 * 86400, NOW - 20 * 86400);
    ecrlint_error err;
    ecrlint_preview *p = run(policy, images, &err);
    ecrlint_preview_summary s;
    ecrlint_preview_get_summary(p, &s);
    ck_assert_uint_eq(s.transition, 1);
    ck_assert_str_eq(ecrlint_preview_image_at(p, 0)->digest, "sha256:a");
    ecrlint_preview_free(p);
    /* exactly N days ago is not older than N days */
    snprintf(images, sizeof images,
             "{\"imageDetails\": [{\"imageDigest\": \"sha256:a\", \"imagePushedAt\": %lld}]}",
             NOW - 10 * 86400);
    p = run(policy, images, &err);
    ecrlint_preview_get_summary(p, &s);
    ck_assert_uint_eq(s.transition, 0);
    ecrlint_preview_free(p);
}
END_TEST

/* Images pushed at the same time: the smaller digest counts as the newer. */
START_TEST(count_ties_by_digest)
{
    const char *policy = POLICY(RULE(1,
                                     "\"tagStatus\": \"any\", \"countType\": "
                                     "\"imageCountMoreThan\", \"countNumber\": 1",
                                     "expire"));
    const char *images = "{\"imageDetails\": ["
                         "{\"imageDigest\": \"sha256:b\", \"imagePushedAt\": 5},"
                         "{\"imageDigest\": \"sha256:a\", \"imagePushedAt\": 5}]}";
    ecrlint_error err;
    ecrlint_preview *p = run(policy, images, &err);
    ck_assert_str_eq(ecrlint_preview_image_at(p, 0)->digest, "sha256:b");
    ck_assert_int_eq(ecrlint_preview_image_at(p, 0)->action, ECRLINT_PREVIEW_EXPIRE);
    ecrlint_preview_free(p);
}
END_TEST

/* ---- --protect, the JSON response and its check ----------------------------------------- */

static int collect(const char *data, size_t len, void *ud)
{
    return el_buf_append(ud, data, len) ? 0 : 1;
}

static char *json_of(const ecrlint_preview *p)
{
    el_buf b;
    el_buf_init(&b);
    ecrlint_error err;
    ck_assert(!ecrlint_preview_write_json(p, collect, &b, &err));
    ck_assert(el_buf_putc(&b, '\0'));
    return el_buf_take(&b);
}

/* The output is a GetLifecyclePolicyPreview response that ecrlint's own check accepts. */
static void check_response(const char *json)
{
    ecrlint_check_options o;
    memset(&o, 0, sizeof o);
    o.operation = "GetLifecyclePolicyPreviewResponse";
    ecrlint_result *r = NULL;
    ecrlint_error err;
    ck_assert(!ecrlint_check_buffer(engine(), &o, "preview.json", json, strlen(json), &r, &err));
    ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_RESPONSE);
    for (size_t i = 0; i < ecrlint_result_diag_count(r); i++)
        ck_assert_msg(0, "%s: %s", ecrlint_result_diag(r, i)->rule,
                      ecrlint_result_diag(r, i)->message);
    ecrlint_result_free(r);
}

START_TEST(protect_and_response)
{
    const char *policy = POLICY(
        RULE(1,
             "\"tagStatus\": \"tagged\", \"tagPatternList\": "
             "[\"release-*\"], \"countType\": \"imageCountMoreThan\", "
             "\"countNumber\": 5",
             "transition\", \"targetStorageClass\": \"archive") "," RULE(2,
                                                                         "\"tagStatus\": \"any\", "
                                                                         "\"countType\": "
                                                                         "\"imageCountMoreThan\", "
                                                                         "\"countNumber\": 1",
                                                                         "expire"));
    static const img im[] = {{"A", "v1,stable", 100},
                             {"B", "v2", 90},
                             {"C", "", 80},
                             {"D", "release-1", 70},
                             {"E", "v3", 60}};
    char *images = page(im, 5);
    ecrlint_error err;
    ecrlint_preview *p = ecrlint_preview_new(engine(), "policy.json", policy, strlen(policy), &err);
    ck_assert(!ecrlint_preview_protect(p, "stab?e", &err));
    ck_assert(!ecrlint_preview_protect(p, "release-*", &err));
    ck_assert(!ecrlint_preview_add_images(p, "images.json", images, strlen(images), &err));
    ck_assert(!ecrlint_preview_run(p, NOW * US, &err));
    ecrlint_preview_summary s;
    ecrlint_preview_get_summary(p, &s);
    ck_assert_uint_eq(s.expire, 3); /* A, B, C; D is release-* (kept by rule 1), E newest */
    ck_assert_uint_eq(s.protected_expired, 1);
    const ecrlint_preview_image *a = ecrlint_preview_image_at(p, 0);
    ck_assert_str_eq(a->protected_tag, "stable");
    ck_assert_str_eq(a->protected_pattern, "stab?e");
    ck_assert_int_eq(a->line, 2);
    ck_assert_int_eq(a->column, 3);

    ecrlint_result *r = NULL;
    ck_assert_uint_eq(ecrlint_preview_source_count(p), 1);
    ck_assert(!ecrlint_preview_findings(p, 0, &r, &err));
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 1);
    const ecrlint_diag *d = ecrlint_result_diag(r, 0);
    ck_assert_str_eq(d->rule, "ECR9001");
    ck_assert_int_eq(d->severity, ECRLINT_SEVERITY_ERROR);
    ck_assert_str_eq(d->pointer, "/imageDetails/0/imageTags/1");
    ck_assert_int_eq(d->line, 2);
    ck_assert(strstr(d->message, "rule 2") && strstr(d->message, "'stable'"));
    ecrlint_result_free(r);

    char *json = json_of(p);
    json_error_t jerr;
    json_t *doc = json_loads(json, 0, &jerr);
    ck_assert_msg(doc != NULL, "%s", jerr.text);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "status")), "COMPLETE");
    ck_assert_str_eq(json_string_value(json_object_get(doc, "repositoryName")), "web");
    ck_assert_str_eq(json_string_value(json_object_get(doc, "lifecyclePolicyText")), policy);
    json_t *results = json_object_get(doc, "previewResults");
    ck_assert_uint_eq(json_array_size(results), 3);
    json_t *first = json_array_get(results, 0);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(first, "action"), "type")),
                     "EXPIRE");
    ck_assert_int_eq(json_integer_value(json_object_get(first, "appliedRulePriority")), 2);
    ck_assert(json_number_value(json_object_get(first, "imagePushedAt")) == (double)NOW - 360000);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "summary"),
                                                        "expiringImageTotalCount")),
                     3);
    json_decref(doc);
    check_response(json);
    el_free(json);
    ecrlint_preview_free(p);
    el_free(images);
}
END_TEST

/* ---- properties over generated inputs ----------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t next(uint32_t bound)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % bound);
}

static const char *const VOCAB[] = {"prod-1", "prod-2", "beta-1", "beta-2", "latest",
                                    "v1.0",   "v1.1",   "v2.0",   "rel-a",  "rel-b"};
static const char *const PATTERNS[] = {"prod*", "beta*", "v1*", "*-1", "latest", "rel-*", "*"};
static const char *const PREFIXES[] = {"prod", "beta", "v1", "v", "rel-", "latest"};

#define NIMG 160
#define MAXR 5

typedef struct gen {
    el_pv_rule rules[MAXR];
    const char *lists[MAXR][2];
    size_t nrules;
    el_pv_image images[NIMG];
    const char *tags[NIMG][4];
} gen;

static void generate(gen *g)
{
    memset(g, 0, sizeof *g);
    g->nrules = 1 + next(MAXR);
    for (size_t k = 0; k < g->nrules; k++) {
        el_pv_rule *r = &g->rules[k];
        r->priority = (int64_t)(k * 3 + 1 + next(3));
        r->tag_status = (el_pv_tag_status)next(3);
        r->patterns = next(2);
        if (r->tag_status == EL_PV_TAGGED) {
            r->ntags = 1 + next(2);
            for (size_t e = 0; e < r->ntags; e++)
                g->lists[k][e] = r->patterns ? PATTERNS[next(7)] : PREFIXES[next(6)];
            r->tags = g->lists[k];
        }
        r->storage = next(4) == 0 ? EL_PV_ARCHIVE : EL_PV_STANDARD;
        r->count_type =
            r->storage == EL_PV_ARCHIVE ? EL_PV_SINCE_TRANSITIONED : (el_pv_count_type)next(3);
        r->count_number = 1 + next(r->count_type == EL_PV_COUNT_MORE_THAN ? 20 : 60);
        r->action =
            r->count_type == EL_PV_SINCE_PULLED || next(3) == 0 ? EL_PV_TRANSITION : EL_PV_EXPIRE;
        if (r->storage == EL_PV_ARCHIVE)
            r->action = EL_PV_EXPIRE;
    }
    /* shuffle the rules: the engine orders them by priority */
    for (size_t k = g->nrules; k > 1; k--) {
        size_t j = next((uint32_t)k);
        el_pv_rule t = g->rules[k - 1];
        g->rules[k - 1] = g->rules[j];
        g->rules[j] = t;
        const char *l0 = g->lists[k - 1][0], *l1 = g->lists[k - 1][1];
        g->lists[k - 1][0] = g->lists[j][0];
        g->lists[k - 1][1] = g->lists[j][1];
        g->lists[j][0] = l0;
        g->lists[j][1] = l1;
    }
    for (size_t k = 0; k < g->nrules; k++)
        if (g->rules[k].ntags)
            g->rules[k].tags = g->lists[k];
    static char digests[NIMG][16];
    for (size_t i = 0; i < NIMG; i++) {
        el_pv_image *im = &g->images[i];
        snprintf(digests[i], sizeof digests[i], "sha256:%04zx", i);
        im->digest = digests[i];
        im->ntags = next(4);
        for (uint32_t t = 0; t < im->ntags; t++)
            g->tags[i][t] = VOCAB[next(10)];
        im->tags = g->tags[i];
        im->status = next(5) == 0 ? EL_PV_ARCHIVED : EL_PV_ACTIVE;
        /* coarse times, so that ties happen */
        im->pushed = (NOW - (int64_t)next(90) * 86400) * US;
        im->pulled = next(2) ? im->pushed + (int64_t)next(30) * 86400 * US : EL_PV_NO_TIME;
        im->archived = im->status == EL_PV_ARCHIVED ? im->pushed + 86400 * US : EL_PV_NO_TIME;
        im->activated = EL_PV_NO_TIME;
        im->index = -1;
    }
}

/* The naive evaluation, from the documentation's words alone: quadratic, independent of the
 * engine's order and sort. */
static bool naive_entry(const el_pv_rule *r, const char *e, const el_pv_image *im)
{
    for (uint32_t t = 0; t < im->ntags; t++) {
        if (r->patterns ? fnmatch(e, im->tags[t], 0) == 0 /* PATTERNS have no '?' or '[' */
                        : strncmp(im->tags[t], e, strlen(e)) == 0)
            return true;
    }
    return false;
}

static bool naive_selects(const el_pv_rule *r, const el_pv_image *im)
{
    if ((im->status == EL_PV_ARCHIVED) != (r->storage == EL_PV_ARCHIVE))
        return false;
    if (r->tag_status == EL_PV_ANY)
        return true;
    if (r->tag_status == EL_PV_UNTAGGED)
        return im->ntags == 0;
    if (!im->ntags)
        return false;
    for (size_t e = 0; e < r->ntags; e++)
        if (!naive_entry(r, r->tags[e], im))
            return false;
    return true;
}

static el_pv_action naive(const gen *g, size_t i)
{
    const el_pv_image *im = &g->images[i];
    const el_pv_rule *best = NULL;
    for (size_t k = 0; k < g->nrules; k++)
        if (naive_selects(&g->rules[k], im) && (!best || g->rules[k].priority < best->priority))
            best = &g->rules[k];
    if (!best)
        return EL_PV_KEEP;
    int64_t limit = NOW * US - best->count_number * EL_PV_DAY;
    switch (best->count_type) {
    case EL_PV_COUNT_MORE_THAN: {
        int64_t newer = 0;
        for (size_t j = 0; j < NIMG; j++) {
            const el_pv_image *o = &g->images[j];
            if (j != i && naive_selects(best, o) &&
                (o->pushed > im->pushed ||
                 (o->pushed == im->pushed && strcmp(o->digest, im->digest) < 0)))
                newer++;
        }
        return newer >= best->count_number ? best->action : EL_PV_KEEP;
    }
    case EL_PV_SINCE_PUSHED:
        return im->pushed < limit ? best->action : EL_PV_KEEP;
    case EL_PV_SINCE_PULLED:
        return (im->pulled != EL_PV_NO_TIME ? im->pulled : im->pushed) < limit ? best->action
                                                                               : EL_PV_KEEP;
    case EL_PV_SINCE_TRANSITIONED:
        return im->archived < limit ? best->action : EL_PV_KEEP;
    }
    return EL_PV_KEEP;
}

static void evaluate(gen *g)
{
    el_pv_missing m;
    ck_assert_int_eq(el_pv_evaluate(g->rules, g->nrules, g->images, NIMG, NULL, 0, NOW * US, &m),
                     ECRLINT_OK);
}

static int64_t rule_priority(const gen *g, const el_pv_image *im)
{
    return im->rule >= 0 ? g->rules[im->rule].priority : INT64_MAX;
}

START_TEST(property_agrees_with_naive)
{
    static gen g;
    for (int round = 0; round < 200; round++) {
        generate(&g);
        evaluate(&g);
        for (size_t i = 0; i < NIMG; i++) {
            const el_pv_image *im = &g.images[i];
            /* at most one rule acts on it: the one that decides it, the first by priority
               whose selection holds it; no other rule's action is taken */
            if (im->action != EL_PV_KEEP) {
                ck_assert(im->rule >= 0 && g.rules[im->rule].action == im->action);
                ck_assert(naive_selects(&g.rules[im->rule], im));
                for (size_t k = 0; k < g.nrules; k++)
                    ck_assert(k == (size_t)im->rule || !naive_selects(&g.rules[k], im) ||
                              g.rules[k].priority > g.rules[im->rule].priority);
            }
            ck_assert_msg(im->action == naive(&g, i), "round %d image %zu: %d, naive %d", round, i,
                          im->action, naive(&g, i));
        }
    }
}
END_TEST

START_TEST(property_more_count_never_expires_more)
{
    static gen g;
    static el_pv_action before[NIMG];
    for (int round = 0; round < 200; round++) {
        generate(&g);
        evaluate(&g);
        for (size_t i = 0; i < NIMG; i++)
            before[i] = g.images[i].action;
        size_t k = next((uint32_t)g.nrules);
        g.rules[k].count_number += 1 + next(10);
        evaluate(&g);
        for (size_t i = 0; i < NIMG; i++)
            if (g.images[i].action != EL_PV_KEEP)
                ck_assert_msg(before[i] == g.images[i].action,
                              "round %d: raising rule %zu's count acted on image %zu", round, k, i);
    }
}
END_TEST

/* Once an image is given tags that a rule's list matches (added to the tags it has), no rule of
 * lower priority than that rule acts on it: the rule decides it, keeping or acting on it. */
START_TEST(property_higher_rule_claims_image)
{
    static gen g;
    static char extra[NIMG][32];
    for (int round = 0; round < 200; round++) {
        generate(&g);
        size_t k = next((uint32_t)g.nrules);
        el_pv_rule *r = &g.rules[k];
        if (r->tag_status != EL_PV_TAGGED || r->storage != EL_PV_STANDARD)
            continue;
        size_t i = next(NIMG);
        el_pv_image *im = &g.images[i];
        im->status = EL_PV_ACTIVE;
        /* tags that make every entry of r's list match, added to (at most two of) its own */
        if (im->ntags > 2)
            im->ntags = 2;
        for (size_t e = 0; e < r->ntags; e++) {
            char *t = extra[(i + e) % NIMG];
            size_t n = 0;
            for (const char *c = r->tags[e]; *c && n < sizeof extra[0] - 2; c++)
                t[n++] = *c == '*' ? 'x' : *c;
            t[n] = '\0';
            g.tags[i][im->ntags++] = t;
        }
        evaluate(&g);
        ck_assert(im->rule >= 0);
        ck_assert_msg(rule_priority(&g, im) <= r->priority,
                      "round %d: image decided by a rule below %lld", round,
                      (long long)r->priority);
    }
}
END_TEST

/* Generated policies and images through the public API: the JSON output is a response ecrlint
 * accepts, and lists each image at most once. */
START_TEST(property_response_accepted)
{
    static gen g;
    for (int round = 0; round < 20; round++) {
        generate(&g);
        json_t *rules = json_array();
        for (size_t k = 0; k < g.nrules; k++) {
            const el_pv_rule *r = &g.rules[k];
            static const char *const ts[] = {"tagged", "untagged", "any"};
            static const char *const ct[] = {"imageCountMoreThan", "sinceImagePushed",
                                             "sinceImagePulled", "sinceImageTransitioned"};
            json_t *sel = json_pack("{s:s, s:s, s:I}", "tagStatus", ts[r->tag_status], "countType",
                                    ct[r->count_type], "countNumber", (json_int_t)r->count_number);
            if (r->count_type != EL_PV_COUNT_MORE_THAN)
                json_object_set_new(sel, "countUnit", json_string("days"));
            if (r->ntags) {
                json_t *l = json_array();
                for (size_t e = 0; e < r->ntags; e++)
                    json_array_append_new(l, json_string(r->tags[e]));
                json_object_set_new(sel, r->patterns ? "tagPatternList" : "tagPrefixList", l);
            }
            if (r->storage == EL_PV_ARCHIVE)
                json_object_set_new(sel, "storageClass", json_string("archive"));
            json_t *act = r->action == EL_PV_EXPIRE ? json_pack("{s:s}", "type", "expire")
                                                    : json_pack("{s:s, s:s}", "type", "transition",
                                                                "targetStorageClass", "archive");
            json_array_append_new(rules, json_pack("{s:I, s:o, s:o}", "rulePriority",
                                                   (json_int_t)r->priority, "selection", sel,
                                                   "action", act));
        }
        json_t *pol = json_pack("{s:o}", "rules", rules);
        char *policy = json_dumps(pol, JSON_INDENT(2));
        json_decref(pol);
        json_t *details = json_array();
        for (size_t i = 0; i < NIMG; i++) {
            const el_pv_image *im = &g.images[i];
            char d[80];
            snprintf(d, sizeof d, "sha256:%064zx", i);
            json_t *e = json_pack("{s:s, s:s, s:s, s:f, s:s}", "registryId", "123456789012",
                                  "repositoryName", "team/web", "imageDigest", d, "imagePushedAt",
                                  (double)im->pushed / US, "imageStatus",
                                  im->status == EL_PV_ARCHIVED ? "ARCHIVED" : "ACTIVE");
            if (im->ntags) {
                json_t *t = json_array();
                for (uint32_t k = 0; k < im->ntags; k++)
                    json_array_append_new(t, json_string(im->tags[k]));
                json_object_set_new(e, "imageTags", t);
            }
            if (im->pulled != EL_PV_NO_TIME)
                json_object_set_new(e, "lastRecordedPullTime", json_integer(im->pulled / US));
            if (im->archived != EL_PV_NO_TIME)
                json_object_set_new(e, "lastArchivedAt", json_integer(im->archived / US));
            json_array_append_new(details, e);
        }
        json_t *pg = json_pack("{s:o}", "imageDetails", details);
        char *images = json_dumps(pg, 0);
        json_decref(pg);
        ecrlint_error err;
        ecrlint_preview *p = run(policy, images, &err);
        char *json = json_of(p);
        check_response(json);
        json_t *doc = json_loads(json, 0, NULL);
        json_t *res = json_object_get(doc, "previewResults");
        ecrlint_preview_summary s;
        ecrlint_preview_get_summary(p, &s);
        ck_assert_uint_eq(json_array_size(res), s.expire + s.transition);
        for (size_t a = 1; a < json_array_size(res); a++)
            for (size_t b = 0; b < a; b++)
                ck_assert_str_ne(
                    json_string_value(json_object_get(json_array_get(res, a), "imageDigest")),
                    json_string_value(json_object_get(json_array_get(res, b), "imageDigest")));
        json_decref(doc);
        el_free(json);
        ecrlint_preview_free(p);
        free(images);
        free(policy);
    }
}
END_TEST

/* Every allocation of a preview may fail: each failure is ECRLINT_ERR_NOMEM, never a crash. */
START_TEST(allocation_failures)
{
    const char *policy = POLICY(RULE(1,
                                     "\"tagStatus\": \"tagged\", \"tagPatternList\": "
                                     "[\"v*\"], \"countType\": \"imageCountMoreThan\", "
                                     "\"countNumber\": 1",
                                     "expire"));
    static const img im[] = {{"A", "v1", 10}, {"B", "v2", 5}, {"C", "", 1}};
    char *images = page(im, 3);
    (void)engine(); /* made once, before allocations fail */
    for (long n = 1; n < 400; n++) {
        ecrlint_error err;
        memset(&err, 0, sizeof err);
        el_alloc_fail_after(n);
        ecrlint_preview *p =
            ecrlint_preview_new(engine(), "policy.json", policy, strlen(policy), &err);
        ecrlint_status st = p ? ECRLINT_OK : err.code;
        if (!st)
            st = ecrlint_preview_protect(p, "v1", &err);
        if (!st)
            st = ecrlint_preview_add_images(p, "images.json", images, strlen(images), &err);
        if (!st)
            st = ecrlint_preview_run(p, NOW * US, &err);
        ecrlint_result *r = NULL;
        if (!st)
            st = ecrlint_preview_findings(p, 0, &r, &err);
        el_alloc_fail_after(0);
        ck_assert_msg(st == ECRLINT_OK || st == ECRLINT_ERR_NOMEM, "failure %ld: %d %s", n, st,
                      err.text);
        ecrlint_result_free(r);
        ecrlint_preview_free(p);
        if (!st)
            break;
    }
    el_free(images);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("preview");
    TCase *tc = tcase_create("examples");
    tcase_add_test(tc, example_multiple_rules_a);
    tcase_add_test(tc, example_multiple_rules_b);
    tcase_add_test(tc, example_several_tags_age);
    tcase_add_test(tc, example_several_tags_count);
    tcase_add_test(tc, example_all_images_a);
    tcase_add_test(tc, example_all_images_b);
    tcase_add_test(tc, example_archive_combination);
    suite_add_tcase(s, tc);
    tc = tcase_create("reading");
    tcase_add_test(tc, times_parse);
    tcase_add_test(tc, glob_patterns);
    tcase_add_test(tc, tag_patterns_agree);
    tcase_add_test(tc, reader_errors);
    tcase_add_test(tc, policy_sources);
    tcase_add_test(tc, index_children_guarded);
    tcase_add_test(tc, pull_and_restore_times);
    tcase_add_test(tc, count_ties_by_digest);
    tcase_add_test(tc, protect_and_response);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    tc = tcase_create("properties");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, property_agrees_with_naive);
    tcase_add_test(tc, property_more_count_never_expires_more);
    tcase_add_test(tc, property_higher_rule_claims_image);
    tcase_add_test(tc, property_response_accepted);
    suite_add_tcase(s, tc);
    return suite_run(s);
}
