/* test_manifest.c - manifest classification, digests and ECR's acceptance, through the API. */
#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"

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

static char *slurp(const char *rel, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/manifests/%s", TESTDATA_DIR, rel);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static ecrlint_result *check_buf(const char *buf, size_t len, const char *declared)
{
    ecrlint_check_options o = {.operation = "manifest", .media_type = declared};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "m.json", buf, len, &r, NULL), ECRLINT_OK);
    ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_MANIFEST);
    return r;
}

/* The result's "manifest" object; the caller decrefs it. */
static json_t *facts(const ecrlint_result *r)
{
    json_t *m = json_loads(ecrlint_result_extra_json(r), 0, NULL);
    ck_assert_ptr_nonnull(m);
    return m;
}

static bool has_rule(const ecrlint_result *r, const char *rule)
{
    for (size_t i = 0; i < ecrlint_result_diag_count(r); i++)
        if (strcmp(ecrlint_result_diag(r, i)->rule, rule) == 0)
            return true;
    return false;
}

START_TEST(real_tool_digests)
{
    /* Digests as umoci 0.4.7 and skopeo 1.9.3 reported them (testdata/manifests/real/README.md). */
    struct {
        const char *file, *type, *digest;
    } cases[] = {
        {"real/umoci-empty.json", "application/vnd.oci.image.manifest.v1+json",
         "sha256:4c58091924a2482dc42ded12b8282c60d69c517653b19776124d02ee5cf8f2f2"},
        {"real/umoci-withlayer.json", "application/vnd.oci.image.manifest.v1+json",
         "sha256:f86f8d039ed2abc323346b810fba62ac0326d7c0ad3960181fdafbb68fab5abc"},
        {"real/skopeo-v2s2.json", "application/vnd.docker.distribution.manifest.v2+json",
         "sha256:10f10ba7cb6c6447e77175d705d5b8b2c71ea82b4ad24532b968c10ffec4b48e"},
        {"real/umoci-index.json", "application/vnd.oci.image.index.v1+json", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *buf = slurp(cases[i].file, &len);
        ecrlint_result *r = check_buf(buf, len, NULL);
        json_t *m = facts(r);
        ck_assert_str_eq(json_string_value(json_object_get(m, "mediaType")), cases[i].type);
        if (cases[i].digest)
            ck_assert_str_eq(json_string_value(json_object_get(m, "digest")), cases[i].digest);
        ck_assert_int_eq(json_integer_value(json_object_get(m, "size")), (json_int_t)len);
        json_decref(m);
        ecrlint_result_free(r);
        free(buf);
    }
}
END_TEST

START_TEST(classification)
{
    struct {
        const char *file, *type;
        int conforms;
        const char *artifact;
    } cases[] = {
        {"valid/oci-manifest.json", "application/vnd.oci.image.manifest.v1+json", 1, NULL},
        {"valid/oci-index.json", "application/vnd.oci.image.index.v1+json", 1, NULL},
        {"valid/docker-v2s2.json", "application/vnd.docker.distribution.manifest.v2+json", 1, NULL},
        {"valid/docker-list.json", "application/vnd.docker.distribution.manifest.list.v2+json", 1, NULL},
        {"valid/docker-s1-unsigned.json", "application/vnd.docker.distribution.manifest.v1+json", 1, NULL},
        {"valid/docker-s1-signed.json", "application/vnd.docker.distribution.manifest.v1+prettyjws", 1, NULL},
        {"valid/oci-artifact-helm.json", "application/vnd.oci.image.manifest.v1+json", 1,
         "application/vnd.cncf.helm.config.v1+json"},
        {"valid/oci-artifact-empty-config.json", "application/vnd.oci.image.manifest.v1+json", 1,
         "application/vnd.example.sbom.v1+json"},
        {"invalid/ambiguous-index-with-layers.json", "application/vnd.oci.image.index.v1+json", 0, NULL},
        {"invalid/v2s2-without-mediatype.json", "application/vnd.docker.distribution.manifest.v2+json", 0, NULL},
        {"ecr/empty-layers.json", "application/vnd.oci.image.manifest.v1+json", 1, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *buf = slurp(cases[i].file, &len);
        ecrlint_result *r = check_buf(buf, len, NULL);
        json_t *m = facts(r);
        ck_assert_msg(strcmp(json_string_value(json_object_get(m, "mediaType")), cases[i].type) == 0,
                      "%s: %s", cases[i].file, json_string_value(json_object_get(m, "mediaType")));
        ck_assert_msg(json_is_true(json_object_get(m, "conforms")) == cases[i].conforms, "%s conforms",
                      cases[i].file);
        if (cases[i].artifact)
            ck_assert_str_eq(json_string_value(json_object_get(m, "artifactType")), cases[i].artifact);
        json_decref(m);
        ecrlint_result_free(r);
        free(buf);
    }
}
END_TEST

START_TEST(signed_schema1_payload_digest)
{
    size_t len, dlen;
    char *buf = slurp("valid/docker-s1-signed.json", &len);
    char *want = slurp("valid/docker-s1-signed.payload-digest", &dlen);
    want[strcspn(want, "\n")] = '\0';
    ecrlint_result *r = check_buf(buf, len, NULL);
    json_t *m = facts(r);
    ck_assert_str_eq(json_string_value(json_object_get(m, "payloadDigest")), want);
    ck_assert(json_is_true(json_object_get(m, "signed")));
    /* the digest of the whole file is a different one */
    ck_assert_str_ne(json_string_value(json_object_get(m, "digest")), want);
    json_decref(m);
    ecrlint_result_free(r);
    free(buf);
    free(want);
}
END_TEST

START_TEST(declared_type)
{
    size_t len;
    char *buf = slurp("ecr/no-media-type.json", &len);
    /* Without a type ECR refuses the push; a declared type (parameters stripped) fixes that. */
    ecrlint_result *r = check_buf(buf, len, NULL);
    ck_assert(has_rule(r, "ECR5800"));
    ck_assert_str_eq(ecrlint_result_exception_message(r),
                     "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid "
                     "JSON syntax'");
    ecrlint_result_free(r);
    r = check_buf(buf, len, "application/vnd.oci.image.manifest.v1+json; charset=utf-8");
    ck_assert(!has_rule(r, "ECR5800"));
    ck_assert(!has_rule(r, "ECR5003"));
    ck_assert_ptr_null(ecrlint_result_exception_code(r));
    ecrlint_result_free(r);
    r = check_buf(buf, len, "application/vnd.docker.distribution.manifest.list.v2+json");
    json_t *m = facts(r);
    ck_assert_str_eq(json_string_value(json_object_get(m, "mediaType")),
                     "application/vnd.docker.distribution.manifest.list.v2+json");
    ck_assert(has_rule(r, "ECR5006")); /* a list must carry its mediaType */
    ck_assert(has_rule(r, "ECR5010")); /* and has no config or layers */
    json_decref(m);
    ecrlint_result_free(r);
    free(buf);
}
END_TEST

START_TEST(size_limit)
{
    /* E2: one byte over 4 MiB. The bytes are a valid manifest padded with white space. */
    size_t len;
    char *small = slurp("valid/oci-manifest.json", &len);
    size_t big = 4194305;
    char *buf = malloc(big);
    memcpy(buf, small, len);
    memset(buf + len, ' ', big - len);
    ecrlint_result *r = check_buf(buf, big, NULL);
    ck_assert(has_rule(r, "ECR5001"));
    ck_assert_str_eq(ecrlint_result_exception_message(r),
                     "Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must "
                     "have length less than or equal to 4194304'");
    ecrlint_result_free(r);
    r = check_buf(buf, big - 1, NULL);
    ck_assert(!has_rule(r, "ECR5001"));
    ecrlint_result_free(r);
    free(buf);
    free(small);
}
END_TEST

START_TEST(sniffing_leaves_other_json_alone)
{
    const char *not_manifests[] = {
        "{\"name\": \"web\", \"version\": \"1.0.0\"}",
        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {\"containers\": []}}",
        "{\"schemaVersion\": 2}",
        "{\"architecture\": \"amd64\", \"os\": \"linux\", \"rootfs\": {\"type\": \"layers\"}}",
    };
    for (size_t i = 0; i < sizeof not_manifests / sizeof not_manifests[0]; i++) {
        ecrlint_result *r = NULL;
        ck_assert_int_eq(ecrlint_check_buffer(eng, NULL, "x.json", not_manifests[i],
                                              strlen(not_manifests[i]), &r, NULL),
                         ECRLINT_OK);
        ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_SKIPPED);
        ecrlint_result_free(r);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("manifest");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, real_tool_digests);
    tcase_add_test(tc, classification);
    tcase_add_test(tc, signed_schema1_payload_digest);
    tcase_add_test(tc, declared_type);
    tcase_add_test(tc, size_limit);
    tcase_add_test(tc, sniffing_leaves_other_json_alone);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
