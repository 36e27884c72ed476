/* test_manifest.c - manifest classification, digests and ECR's acceptance: the pure helpers of
 * src/lib/manifest/el_manifest.h directly, the rules through the public API. */
#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"
#include "manifest/el_manifest.h"
#include "suite_run.h"
#include "util/el_alloc.h"
#include "util/el_digest.h"

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

static int discard(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    return 0;
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
        {"valid/docker-list.json", "application/vnd.docker.distribution.manifest.list.v2+json", 1,
         NULL},
        {"valid/docker-s1-unsigned.json", "application/vnd.docker.distribution.manifest.v1+json", 1,
         NULL},
        {"valid/docker-s1-signed.json", "application/vnd.docker.distribution.manifest.v1+prettyjws",
         1, NULL},
        {"valid/oci-artifact-helm.json", "application/vnd.oci.image.manifest.v1+json", 1,
         "application/vnd.cncf.helm.config.v1+json"},
        {"valid/oci-artifact-empty-config.json", "application/vnd.oci.image.manifest.v1+json", 1,
         "application/vnd.example.sbom.v1+json"},
        {"invalid/ambiguous-index-with-layers.json", "application/vnd.oci.image.index.v1+json", 0,
         NULL},
        {"invalid/v2s2-without-mediatype.json",
         "application/vnd.docker.distribution.manifest.v2+json", 0, NULL},
        {"ecr/empty-layers.json", "application/vnd.oci.image.manifest.v1+json", 1, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *buf = slurp(cases[i].file, &len);
        ecrlint_result *r = check_buf(buf, len, NULL);
        json_t *m = facts(r);
        ck_assert_msg(strcmp(json_string_value(json_object_get(m, "mediaType")), cases[i].type) ==
                          0,
                      "%s: %s", cases[i].file, json_string_value(json_object_get(m, "mediaType")));
        ck_assert_msg(json_is_true(json_object_get(m, "conforms")) == cases[i].conforms,
                      "%s conforms", cases[i].file);
        if (cases[i].artifact)
            ck_assert_str_eq(json_string_value(json_object_get(m, "artifactType")),
                             cases[i].artifact);
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
    /* PutImage's imageManifest limit (4194304), plus one byte. The bytes are a valid manifest
     * padded with white space. */
    size_t len;
    char *small = slurp("valid/oci-manifest.json", &len);
    size_t big = 4194305;
    char *buf = malloc(big);
    memcpy(buf, small, len);
    memset(buf + len, ' ', big - len);
    ecrlint_result *r = check_buf(buf, big, NULL);
    ck_assert(has_rule(r, "ECR5001"));
    ck_assert_str_eq(
        ecrlint_result_exception_message(r),
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

/* ---- pure helpers ------------------------------------------------------------------------ */

static bool mt_ok(const char *s)
{
    return el_mf_media_type_valid(s, strlen(s));
}

START_TEST(media_type_grammar)
{
    /* the vectors of the OCI image spec's schema/descriptor_test.go */
    ck_assert(mt_ok("application/vnd.oci.image.manifest.v1+json"));
    ck_assert(!mt_ok("invalid"));
    ck_assert(!mt_ok(""));
    ck_assert(!mt_ok("foo/.bar"));
    ck_assert(!mt_ok("application/vnd.dev.sigstore.bundle+json;version=0.2"));
    ck_assert(
        el_mf_media_type_has_params("application/vnd.dev.sigstore.bundle+json;version=0.2", 53));
    ck_assert(el_mf_media_type_has_params("text/plain ; charset=utf-8", 26));
    ck_assert(!el_mf_media_type_has_params("tar+gzip;x=1", 12));
    ck_assert(!mt_ok("a/b/c"));
    ck_assert(!mt_ok("a:b/c"));
    char buf[300];
    memset(buf, 'a', 127);
    buf[127] = '/';
    memset(buf + 128, 'b', 127);
    buf[255] = '\0';
    ck_assert(mt_ok(buf)); /* 127 + 127 characters */
    buf[127] = 'a';
    buf[128] = '/';
    ck_assert(!mt_ok(buf)); /* 128 before the slash */
    /* an embedded NUL makes the value invalid */
    ck_assert(!el_mf_media_type_valid("text/plain\0x", 12));
}
END_TEST

static el_mf_digest dg(const char *s)
{
    return el_mf_digest_check(s, strlen(s), NULL);
}

START_TEST(digest_grammar)
{
    const char *h64 = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";
    ck_assert_int_eq(dg(h64), EL_MF_DIGEST_OK);
    ck_assert_int_eq(dg("sha256:5F70BF18A086007016E948B04AED3B82103A36BEA41755B6CDDFAF10ACE3C6EF"),
                     EL_MF_DIGEST_ENCODING);
    size_t want = 0;
    ck_assert_int_eq(el_mf_digest_check("sha512:abc", 10, &want), EL_MF_DIGEST_ENCODING);
    ck_assert_uint_eq(want, 128);
    ck_assert_int_eq(dg("sha256+b64:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"),
                     EL_MF_DIGEST_OTHER);
    ck_assert_int_eq(dg("sha256.foo-bar:abc"), EL_MF_DIGEST_OTHER);
    ck_assert_int_eq(dg("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"),
                     EL_MF_DIGEST_OTHER);
    ck_assert_int_eq(dg("sha256+foo+-b:abc"), EL_MF_DIGEST_GRAMMAR);
    ck_assert_int_eq(dg("SHA256:abc"), EL_MF_DIGEST_GRAMMAR);
    ck_assert_int_eq(dg("sha256:"), EL_MF_DIGEST_GRAMMAR);
    ck_assert_int_eq(dg(":abc"), EL_MF_DIGEST_GRAMMAR);
    ck_assert_int_eq(dg("not-a-digest"), EL_MF_DIGEST_GRAMMAR);
    ck_assert_int_eq(dg("sha256:abc def"), EL_MF_DIGEST_GRAMMAR);
    char buf[EL_DIGEST_BUF];
    ck_assert(el_digest_of("sha256", "{}", 2, buf));
    ck_assert_str_eq(buf,
                     "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    ck_assert(el_digest_of("sha512", "", 0, buf));
    ck_assert_int_eq(dg(buf), EL_MF_DIGEST_OK);
    ck_assert(!el_digest_of("md5", "", 0, buf));
}
END_TEST

START_TEST(base64_and_urls)
{
    size_t n;
    bool nomem;
    unsigned char *d = el_mf_base64_decode("e30=", 4, &n, &nomem);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(n, 2);
    ck_assert(memcmp(d, "{}", 2) == 0);
    el_free(d);
    ck_assert_ptr_null(el_mf_base64_decode("e30", 3, &n, &nomem)); /* padding required */
    ck_assert(!nomem);
    ck_assert_ptr_null(el_mf_base64_decode("e3 =", 4, &n, &nomem));
    ck_assert_ptr_null(el_mf_base64_decode("e31=", 4, &n, &nomem)); /* non-canonical bits */
    d = el_mf_base64_decode("", 0, &n, &nomem);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(n, 0);
    el_free(d);
    d = el_mf_base64url_decode("Cn0", 3, &n, &nomem); /* formatTail "\n}" */
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(n, 2);
    ck_assert(memcmp(d, "\n}", 2) == 0);
    el_free(d);
    ck_assert_ptr_null(el_mf_base64url_decode("Cn0=", 4, &n, &nomem));

    const char *good[] = {"https://example.com/blob", "http://example.com:8080/a?b=c",
                          "HTTPS://example.com/x"};
    const char *bad[] = {
        "file:///etc/passwd",  "https://example.com/blob#frag", "", "value", "https://",
        "ftp://example.com/x", "https://exa mple.com/"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert_msg(el_mf_url_ok(good[i], strlen(good[i])), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!el_mf_url_ok(bad[i], strlen(bad[i])), "%s", bad[i]);
    ck_assert(el_mf_uri_valid("urn:example:x", 13));
    ck_assert(!el_mf_uri_valid("1abc:x", 6));
    ck_assert(!el_mf_uri_valid("x:%4", 4));
}
END_TEST

/* containers/image GuessMIMEType's answers (internal/manifest/manifest.go and its tests), with
 * ecrlint's two deliberate differences (el_manifest.h), as jansson parses the bodies. */
START_TEST(guess_mime_type)
{
    struct {
        const char *json;
        el_mf_type want;
        bool differs;
    } rows[] = {
        {"{\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}", EL_MF_INDEX, false},
        {"{\"schemaVersion\":\"2\",\"config\":{}}", EL_MF_NONE, false},
        {"{\"schemaVersion\":2.0,\"config\":{}}", EL_MF_NONE, false},
        {"{\"schemaVersion\":1,\"signatures\":null}", EL_MF_S1, false},
        {"{\"schemaVersion\":1,\"signatures\":1}", EL_MF_S1_SIGNED, false},
        {"{\"schemaVersion\":2,\"manifests\":[]}", EL_MF_INDEX, true},
        {"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/"
         "vnd.cncf.helm.config.v1+json\"},"
         "\"manifests\":[{}]}",
         EL_MF_OCI, true},
        {"{\"schemaVersion\":2,\"manifests\":[{\"size\":\"1\"}]}", EL_MF_NONE, false},
        {"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\","
         "\"blobs\":[]}",
         EL_MF_OCI, false},
        {"{\"schemaVersion\":2,\"mediaType\":\"application/"
         "vnd.docker.distribution.manifest.v1+json\","
         "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\"}}",
         EL_MF_OCI, false},
        {"{\"schemaVersion\":2,\"config\":{\"mediaType\":"
         "\"application/vnd.docker.container.image.v1+json\"},\"layers\":[]}",
         EL_MF_V2S2, false},
        {"{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x/y\"}]}", EL_MF_INDEX, false},
        {"{\"schemaVersion\":99999}", EL_MF_NONE, false},
        {"{\"architecture\":\"amd64\",\"os\":\"linux\"}", EL_MF_NONE, false},
        {"[]", EL_MF_NONE, false},
        {"null", EL_MF_NONE, false},
        {"{\"schemaVersion\":2,\"config\":\"x\"}", EL_MF_NONE, false},
        {"{\"schemaVersion\":2,\"config\":{\"mediaType\":5}}", EL_MF_NONE, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        json_t *root = json_loads(rows[i].json, JSON_DECODE_ANY, NULL);
        ck_assert_ptr_nonnull(root);
        bool differs = false;
        el_mf_type t = el_mf_guess(root, &differs);
        ck_assert_msg(t == rows[i].want, "row %zu: %d", i, (int)t);
        ck_assert_msg(differs == rows[i].differs, "row %zu differs", i);
        json_decref(root);
    }
}
END_TEST

START_TEST(declared_and_sniff)
{
    char out[128];
    ck_assert_int_eq(
        el_mf_declared_type(" application/vnd.oci.image.manifest.v1+json ; charset=utf-8", out,
                            sizeof out),
        EL_MF_OCI);
    ck_assert_str_eq(out, "application/vnd.oci.image.manifest.v1+json");
    ck_assert_int_eq(el_mf_declared_type("application/json", out, sizeof out), EL_MF_S1_SIGNED);
    ck_assert_int_eq(el_mf_declared_type("application/vnd.example+json", out, sizeof out),
                     EL_MF_NONE);
    ck_assert_str_eq(out, "application/vnd.example+json");
    ck_assert_int_eq(el_mf_declared_type(NULL, out, sizeof out), EL_MF_NONE);
    ck_assert_str_eq(out, "");

    const char *yes[] = {
        "{\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\"}",
        "{\"schemaVersion\":2,\"config\":{},\"layers\":[]}",
        "{\"schemaVersion\":2,\"manifests\":[]}", "{\"schemaVersion\":1,\"fsLayers\":[]}"};
    const char *no[] = {
        "{\"name\":\"web\",\"version\":\"1.0.0\",\"dependencies\":{}}",
        "{\"compilerOptions\":{\"strict\":true},\"include\":[\"src\"]}",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"spec\":{\"template\":{}}}",
        "{\"repositoryName\":\"web\",\"imageIds\":[{\"imageTag\":\"v1\"}]}",
        "{\"images\":[{\"imageManifest\":\"{}\"}],\"failures\":[]}",
        "{\"schemaVersion\":2}",
        "{\"schemaVersion\":2,\"config\":\"x\"}",
        "{\"schemaVersion\":3,\"layers\":[]}",
        "[1,2]"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        json_t *r = json_loads(yes[i], JSON_DECODE_ANY, NULL);
        ck_assert_msg(el_manifest_sniff(r), "%s", yes[i]);
        json_decref(r);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        json_t *r = json_loads(no[i], JSON_DECODE_ANY, NULL);
        ck_assert_msg(!el_manifest_sniff(r), "%s", no[i]);
        json_decref(r);
    }
    ck_assert(!el_manifest_sniff(NULL));
}
END_TEST

/* By digest never translated; by tag, the conversion table of the ECR user guide,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-manifest-formats.html */
START_TEST(accept_table)
{
    const char *oci[] = {EL_MT_OCI, NULL};
    const char *v2[] = {EL_MT_V2S2, NULL};
    const char *s1[] = {EL_MT_S1, NULL};
    const char *s1signed[] = {EL_MT_S1_SIGNED, NULL};
    const char *lists[] = {EL_MT_LIST, EL_MT_INDEX, NULL};
    el_mf_accept_answer a;
    el_mf_accept(EL_MF_V2S2, v2, &a);
    ck_assert_str_eq(a.by_tag, EL_MT_V2S2);
    ck_assert_str_eq(a.by_digest, EL_MT_V2S2);
    ck_assert(!a.by_tag_translated);
    el_mf_accept(EL_MF_V2S2, oci, &a);
    ck_assert_str_eq(a.by_tag, EL_MT_OCI);
    ck_assert(a.by_tag_translated);
    ck_assert_ptr_null(a.by_digest);
    el_mf_accept(EL_MF_V2S2, s1, &a);
    ck_assert_str_eq(a.by_tag, EL_MT_S1);
    el_mf_accept(EL_MF_OCI, v2, &a);
    ck_assert_str_eq(a.by_tag, EL_MT_V2S2);
    el_mf_accept(EL_MF_OCI, s1, &a); /* "no translation available" in the current guide */
    ck_assert_ptr_null(a.by_tag);
    el_mf_accept(EL_MF_S1_SIGNED, v2, &a); /* no translation from schema 1 */
    ck_assert_ptr_null(a.by_tag);
    ck_assert_ptr_null(a.by_digest);
    el_mf_accept(EL_MF_S1_SIGNED, s1, &a); /* either schema-1 name */
    ck_assert_str_eq(a.by_digest, EL_MT_S1_SIGNED);
    el_mf_accept(EL_MF_S1, s1signed, &a);
    ck_assert_str_eq(a.by_digest, EL_MT_S1);
    el_mf_accept(EL_MF_INDEX, oci, &a);
    ck_assert(a.undocumented);
    ck_assert_ptr_null(a.by_tag);
    el_mf_accept(EL_MF_INDEX, lists, &a);
    ck_assert_str_eq(a.by_digest, EL_MT_INDEX);
    const char *with_params[] = {"application/vnd.oci.image.manifest.v1+json; q=0.5", NULL};
    el_mf_accept(EL_MF_OCI, with_params, &a);
    ck_assert_str_eq(a.by_digest, EL_MT_OCI);
}
END_TEST

START_TEST(s1_payload_errors)
{
    /* two signatures that disagree on formatLength */
    const char *doc = "{\"schemaVersion\":1,\"signatures\":["
                      "{\"protected\":\"eyJmb3JtYXRMZW5ndGgiOjEsImZvcm1hdFRhaWwiOiJDbjAifQ\"},"
                      "{\"protected\":\"eyJmb3JtYXRMZW5ndGgiOjIsImZvcm1hdFRhaWwiOiJDbjAifQ\"}]}";
    json_t *root = json_loads(doc, 0, NULL);
    unsigned char *p;
    size_t n, bad;
    ck_assert_int_eq(el_mf_s1_payload(root, doc, strlen(doc), &p, &n, &bad), EL_MF_JWS_DISAGREE);
    ck_assert_uint_eq(bad, 1);
    json_decref(root);
    /* the first one alone: payload "{" + "\n}" */
    const char *one = "{\"schemaVersion\":1,\"signatures\":["
                      "{\"protected\":\"eyJmb3JtYXRMZW5ndGgiOjEsImZvcm1hdFRhaWwiOiJDbjAifQ\"}]}";
    root = json_loads(one, 0, NULL);
    ck_assert_int_eq(el_mf_s1_payload(root, one, strlen(one), &p, &n, &bad), EL_MF_JWS_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert(memcmp(p, "{\n}", 3) == 0);
    el_free(p);
    json_decref(root);
    const char *none = "{\"schemaVersion\":1,\"signatures\":[]}";
    root = json_loads(none, 0, NULL);
    ck_assert_int_eq(el_mf_s1_payload(root, none, strlen(none), &p, &n, &bad),
                     EL_MF_JWS_NO_SIGNATURES);
    json_decref(root);
    const char *past = "{\"schemaVersion\":1,\"signatures\":[{\"protected\":"
                       "\"eyJmb3JtYXRMZW5ndGgiOjk5OTksImZvcm1hdFRhaWwiOiJDbjAifQ\"}]}";
    root = json_loads(past, 0, NULL);
    ck_assert_int_eq(el_mf_s1_payload(root, past, strlen(past), &p, &n, &bad), EL_MF_JWS_FORMAT);
    json_decref(root);
}
END_TEST

/* ---- rules through the API ------------------------------------------------------------------ */

static size_t count_rule(const ecrlint_result *r, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < ecrlint_result_diag_count(r); i++)
        if (strcmp(ecrlint_result_diag(r, i)->rule, rule) == 0)
            n++;
    return n;
}

START_TEST(rules_per_fixture)
{
    struct {
        const char *file;
        const char *rules; /* space-separated, each expected at least once */
        int conforms;
    } cases[] = {
        {"invalid/index-empty-without-mediatype.json", "ECR5007 ECR5011 ECR5800", 1},
        {"invalid/config-and-manifests.json", "ECR5010 ECR5011 ECR5200", 0},
        {"invalid/case-variant-keys.json", "ECR5014", 1},
        {"invalid/descriptor-more.json",
         "ECR5108 ECR5109 ECR5807 ECR5106 ECR5104 ECR5102 ECR5100 ECR5101 ECR5105 ECR5107 ECR5808",
         0},
        {"invalid/index-platforms.json", "ECR5301 ECR5302 ECR5804", 0},
        {"invalid/list-entries.json", "ECR5804 ECR5502 ECR5403", 1},
        {"invalid/s1-repeated-id.json", "ECR5600 ECR5606 ECR5609 ECR5603 ECR5608", 0},
        {"invalid/s1-bad-signature.json", "ECR5607", 0},
        {"invalid/schema-version-string.json", "ECR5005", 0},
        {"invalid/ambiguous-index-with-layers.json", "ECR5010", 0},
        {"invalid/descriptor-grammar.json",
         "ECR5102 ECR5103 ECR5104 ECR5105 ECR5106 ECR5107 ECR5108", 0},
        {"invalid/empty-config-without-artifact-type.json", "ECR5201", 0},
        {"invalid/list-without-platform.json", "ECR5500 ECR5301", 0},
        {"invalid/not-a-manifest.json", "ECR5005", 0},
        {"invalid/s1-broken-chain.json", "ECR5602 ECR5604 ECR5605", 0},
        {"invalid/schema-version.json", "ECR5008", 0},
        {"invalid/v2s2-bad-layers.json", "ECR5401 ECR5402 ECR5404 ECR5804 ECR5805", 0},
        {"invalid/v2s2-without-mediatype.json", "ECR5006 ECR5800", 0},
        {"ecr/config-annotations.json", "ECR5806", 1},
        {"ecr/empty-layers.json", "ECR5202 ECR5803", 1},
        {"ecr/media-type-parameters.json", "ECR5801 ECR5808", 0},
        {"ecr/mixed-docker-config-in-oci.json", "ECR5804", 1},
        {"ecr/mixed-oci-layer-in-v2s2.json", "ECR5804", 1},
        {"ecr/no-media-type.json", "ECR5800 ECR5007", 1},
        {"ecr/nondistributable-layer.json", "ECR5805", 1},
        {"ecr/referrer-subject.json", "ECR5808", 1},
        {"ecr/sha512-layer.json", "ECR5807", 1},
        {"ecr/zero-size-config.json", "ECR5802", 1},
        {"ecr/foreign-layer-v2s2.json", "ECR5805", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *buf = slurp(cases[i].file, &len);
        ecrlint_result *r = check_buf(buf, len, NULL);
        char rules[512];
        snprintf(rules, sizeof rules, "%s", cases[i].rules);
        for (char *tok = strtok(rules, " "); tok; tok = strtok(NULL, " "))
            ck_assert_msg(count_rule(r, tok) > 0, "%s: no %s", cases[i].file, tok);
        json_t *m = facts(r);
        ck_assert_msg(json_is_true(json_object_get(m, "conforms")) == cases[i].conforms,
                      "%s: conforms", cases[i].file);
        json_decref(m);
        ecrlint_result_free(r);
        free(buf);
    }
}
END_TEST

/* A layer media type a letter or two from a known one is a misspelling (ECR5809, with what was
 * meant); artifacts' own layer types, further away, are left alone. In Docker schema 2, and
 * for a type of the other format, the rule that reports the value says what was meant. */
START_TEST(misspelt_layer_types)
{
    static const char oci[] =
        "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", "
        "\"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": "
        "\"sha256:c5b1d63604f273462ef36fadac3182d43ae6a6138731cf594b314835cf1c034f\", \"size\": "
        "1469}, \"layers\": [{\"mediaType\": \"";
    static const char docker[] =
        "{\"schemaVersion\": 2, \"mediaType\": "
        "\"application/vnd.docker.distribution.manifest.v2+json\", \"config\": {\"mediaType\": "
        "\"application/vnd.docker.container.image.v1+json\", \"digest\": "
        "\"sha256:c5b1d63604f273462ef36fadac3182d43ae6a6138731cf594b314835cf1c034f\", \"size\": "
        "1469}, \"layers\": [{\"mediaType\": \"";
    static const char tail[] =
        "\", \"digest\": "
        "\"sha256:f191e625176e7514249870c60bc24622131b04927a418001d1969c9cecd260f1\", \"size\": "
        "3623807}]}";
    struct {
        const char *head, *type;
        const char *rule;  /* the finding about the type, or NULL: none */
        const char *meant; /* the did-you-mean it carries, or NULL */
    } cases[] = {
        {oci, "application/vnd.oci.image.layer.v1.tar+gzp", "ECR5809",
         "application/vnd.oci.image.layer.v1.tar+gzip"},
        {oci, "application/vnd.oci.image.layer.v1.tar.gzip", "ECR5809",
         "application/vnd.oci.image.layer.v1.tar+gzip"},
        {oci, "application/vnd.oci.image.layer.v1.tar+zst", "ECR5809",
         "application/vnd.oci.image.layer.v1.tar+zstd"},
        {oci, "application/vnd.oci.image.layers.v1.tar", "ECR5809",
         "application/vnd.oci.image.layer.v1.tar"},
        {oci, "APPLICATION/VND.OCI.IMAGE.LAYER.V1.TAR+GZIP", "ECR5809",
         "application/vnd.oci.image.layer.v1.tar+gzip"},
        {oci, "application/vnd.oci.image.layer.v1.tar+gzip+encryptd", "ECR5809",
         "application/vnd.oci.image.layer.v1.tar+gzip+encrypted"},
        /* known types, and artifacts' own */
        {oci, "application/vnd.oci.image.layer.v1.tar+zstd", NULL, NULL},
        {oci, "application/vnd.oci.image.layer.v1.tar+gzip+encrypted", NULL, NULL},
        {oci, "application/vnd.cncf.helm.chart.content.v1.tar+gzip", NULL, NULL},
        {oci, "application/vnd.dev.cosign.simplesigning.v1+json", NULL, NULL},
        {oci, "application/vnd.in-toto+json", NULL, NULL},
        {oci, "application/vnd.oci.image.layer.v1.tar+xz", NULL, NULL}, /* three edits: a choice */
        /* the rule of the value carries it */
        {oci, "application/vnd.docker.image.rootfs.diff.tar.gz", "ECR5804",
         "application/vnd.docker.image.rootfs.diff.tar.gzip"},
        {docker, "application/vnd.docker.image.rootfs.diff.tar.gz", "ECR5401",
         "application/vnd.docker.image.rootfs.diff.tar.gzip"},
        {docker, "application/vnd.docker.image.rootfs.foreign.diff.tar.gzp", "ECR5401",
         "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"},
        {docker, "application/vnd.docker.image.rootfs.diff.tar.zstd", "ECR5401", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[1024];
        int n = snprintf(buf, sizeof buf, "%s%s%s", cases[i].head, cases[i].type, tail);
        ck_assert(n > 0 && (size_t)n < sizeof buf);
        ecrlint_result *r = check_buf(buf, (size_t)n, NULL);
        const ecrlint_diag *found = NULL;
        for (size_t k = 0; k < ecrlint_result_diag_count(r); k++) {
            const ecrlint_diag *d = ecrlint_result_diag(r, k);
            ck_assert_msg(strcmp(d->rule, "ECR5809") != 0 || cases[i].rule, "%s: %s", cases[i].type,
                          d->message);
            if (strcmp(d->pointer, "/layers/0/mediaType") == 0 && cases[i].rule &&
                strcmp(d->rule, cases[i].rule) == 0)
                found = d;
        }
        if (cases[i].rule) {
            ck_assert_msg(found != NULL, "%s: no %s", cases[i].type, cases[i].rule);
            char meant[160] = "";
            if (cases[i].meant)
                snprintf(meant, sizeof meant, "did you mean '%s'?", cases[i].meant);
            ck_assert_msg(cases[i].meant ? strstr(found->message, meant) != NULL
                                         : strstr(found->message, "did you mean") == NULL,
                          "%s: %s", cases[i].type, found->message);
        }
        /* a lint: ECR's answer is not predicted */
        if (cases[i].rule && strcmp(cases[i].rule, "ECR5809") == 0)
            ck_assert_ptr_null(ecrlint_result_exception_code(r));
        ecrlint_result_free(r);
    }
}
END_TEST

START_TEST(valid_fixtures_are_clean)
{
    /* No error-severity finding of the manifest's own specification on the valid fixtures
     * (schema 1 and documents without mediaType still get ECR's profile findings). */
    const char *files[] = {"valid/docker-list.json",       "valid/docker-v2s2.json",
                           "valid/oci-index.json",         "valid/oci-manifest.json",
                           "valid/oci-artifact-helm.json", "valid/oci-embedded-data.json",
                           "real/umoci-layered.json",      "real/skopeo-layered-v2s2.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        char *buf = slurp(files[i], &len);
        ecrlint_result *r = check_buf(buf, len, "application/vnd.oci.image.manifest.v1+json");
        ecrlint_result_free(r);
        r = check_buf(buf, len, NULL);
        for (size_t k = 0; k < ecrlint_result_diag_count(r); k++) {
            const ecrlint_diag *d = ecrlint_result_diag(r, k);
            ck_assert_msg(d->severity != ECRLINT_SEVERITY_ERROR || strcmp(d->rule, "ECR5800") == 0,
                          "%s: %s %s", files[i], d->rule, d->message);
        }
        json_t *m = facts(r);
        ck_assert_msg(json_is_true(json_object_get(m, "conforms")), "%s", files[i]);
        json_decref(m);
        ecrlint_result_free(r);
        free(buf);
    }
}
END_TEST

START_TEST(real_tool_digests_second_set)
{
    /* Made here with umoci 0.4.7 and skopeo 1.9.3 (testdata/manifests/real/README.md); the
     * digests are those lay/index.json, `skopeo inspect oci:lay:layered` and `skopeo inspect
     * dir:d2` reported. */
    struct {
        const char *file, *type, *digest;
        json_int_t layers;
    } cases[] = {
        {"real/umoci-base.json", EL_MT_OCI,
         "sha256:84f43bffe118e4b7293fd10f80d0f7a7851cac3e69e6b1536140aa47056963ff", 0},
        {"real/umoci-layered.json", EL_MT_OCI,
         "sha256:03a236d676910d8f47bfe68f38efa92c885e4be776f9a99fac136370fa34ba52", 1},
        {"real/skopeo-layered-v2s2.json", EL_MT_V2S2,
         "sha256:f6eb6c13fdc53d6e221148becb5451f509483456e5fac9143cc61b2b08112a89", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *buf = slurp(cases[i].file, &len);
        ecrlint_result *r = check_buf(buf, len, NULL);
        json_t *m = facts(r);
        ck_assert_str_eq(json_string_value(json_object_get(m, "mediaType")), cases[i].type);
        ck_assert_str_eq(json_string_value(json_object_get(m, "digest")), cases[i].digest);
        ck_assert_int_eq(json_integer_value(json_object_get(m, "layers")), cases[i].layers);
        json_decref(m);
        ecrlint_result_free(r);
        free(buf);
    }
    /* The layout's index.json lists the three manifests with their digests. */
    size_t len;
    char *buf = slurp("real/umoci-layout-index.json", &len);
    ecrlint_result *r = check_buf(buf, len, NULL);
    json_t *m = facts(r);
    ck_assert_str_eq(json_string_value(json_object_get(m, "mediaType")), EL_MT_INDEX);
    json_t *ms = json_object_get(m, "manifests");
    ck_assert_uint_eq(json_array_size(ms), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ms, 2), "digest")),
                     "sha256:03a236d676910d8f47bfe68f38efa92c885e4be776f9a99fac136370fa34ba52");
    json_decref(m);
    ecrlint_result_free(r);
    free(buf);
}
END_TEST

static ecrlint_result *check_accept(const char *buf, size_t len, const char *const *accept)
{
    ecrlint_check_options o = {.operation = "manifest", .accept = accept};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "m.json", buf, len, &r, NULL), ECRLINT_OK);
    return r;
}

START_TEST(accept_findings)
{
    size_t len;
    char *buf = slurp("valid/docker-s1-signed.json", &len);
    const char *v2[] = {EL_MT_V2S2, NULL};
    ecrlint_result *r = check_accept(buf, len, v2);
    ck_assert_uint_eq(count_rule(r, "ECR5901"), 1);
    json_t *m = facts(r);
    json_t *acc = json_object_get(m, "accepted");
    ck_assert(json_is_null(json_object_get(acc, "byTag")));
    ck_assert(json_is_null(json_object_get(acc, "byDigest")));
    json_decref(m);
    ecrlint_result_free(r);
    free(buf);

    buf = slurp("valid/docker-v2s2.json", &len);
    const char *oci[] = {EL_MT_OCI, NULL};
    r = check_accept(buf, len, oci);
    ck_assert_uint_eq(count_rule(r, "ECR5900"), 1);
    ck_assert_uint_eq(count_rule(r, "ECR5902"), 1);
    ck_assert_uint_eq(count_rule(r, "ECR5901"), 0);
    m = facts(r);
    acc = json_object_get(m, "accepted");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(acc, "byTag"), "mediaType")),
                     EL_MT_OCI);
    ck_assert(json_is_true(json_object_get(json_object_get(acc, "byTag"), "translated")));
    json_decref(m);
    ecrlint_result_free(r);
    free(buf);

    buf = slurp("ecr/list-stored.json", &len);
    r = check_accept(buf, len, v2);
    ck_assert_uint_eq(count_rule(r, "ECR5903"), 1);
    ecrlint_result_free(r);
    free(buf);
}
END_TEST

/* PutImage carries the manifest as a string: errors the input layer reports for files are the
 * manifest module's to report there. */
static ecrlint_result *put_image(const char *manifest_json_string)
{
    char body[4096];
    snprintf(body, sizeof body, "{\"repositoryName\": \"team/web\", \"imageManifest\": %s}",
             manifest_json_string);
    ecrlint_check_options o = {.operation = "PutImage"};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "p.json", body, strlen(body), &r, NULL),
                     ECRLINT_OK);
    return r;
}

START_TEST(embedded_manifests)
{
    ecrlint_result *r = put_image("\"{not json\"");
    ck_assert_uint_eq(count_rule(r, "ECR5002"), 1);
    ck_assert_str_eq(ecrlint_result_exception_code(r), "InvalidParameterException");
    ck_assert_str_eq(ecrlint_result_exception_message(r),
                     "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid "
                     "JSON syntax'");
    ck_assert_str_eq(ecrlint_result_diag(r, 0)->pointer, "/imageManifest");
    ecrlint_result_free(r);

    r = put_image("\"\\ufeff{\\\"schemaVersion\\\":2,\\\"mediaType\\\":\\\"application/"
                  "vnd.oci.image.index.v1+json\\\",\\\"manifests\\\":[]}\"");
    ck_assert_uint_eq(count_rule(r, "ECR5013"), 1);
    ecrlint_result_free(r);

    r = put_image("\"{\\\"schemaVersion\\\":2,\\\"mediaType\\\":\\\"application/"
                  "vnd.oci.image.index.v1+json\\\",\\\"manifests\\\":[],\\\"manifests\\\":[]}\"");
    ck_assert_uint_eq(count_rule(r, "ECR5012"), 1);
    ecrlint_result_free(r);

    r = put_image("\"[1, 2]\"");
    ck_assert_uint_eq(count_rule(r, "ECR5002"), 1);
    ecrlint_result_free(r);
}
END_TEST

static int all_but_5102(const char *id, void *ud)
{
    (void)ud;
    return strcmp(id, "ECR5102") != 0;
}

START_TEST(conforms_ignores_rule_filter)
{
    size_t len;
    char *buf = slurp("invalid/descriptor-grammar.json", &len);
    ecrlint_check_options o = {.operation = "manifest", .rule_enabled = all_but_5102};
    ecrlint_result *r = NULL;
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "m.json", buf, len, &r, NULL), ECRLINT_OK);
    ck_assert_uint_eq(count_rule(r, "ECR5102"), 0);
    json_t *m = facts(r);
    ck_assert(json_is_false(json_object_get(m, "conforms")));
    json_decref(m);
    ecrlint_result_free(r);
    free(buf);
}
END_TEST

/* no_facts: no facts are gathered, the findings stay the same; writers say whether they
 * print facts. */
START_TEST(no_facts_same_findings)
{
    const char *files[] = {"valid/oci-index.json", "valid/docker-list.json",
                           "invalid/descriptor-grammar.json", "valid/docker-s1-signed.json"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        char *buf = slurp(files[f], &len);
        ecrlint_check_options with = {.operation = "manifest"};
        ecrlint_check_options without = {.operation = "manifest", .no_facts = 1};
        ecrlint_result *a = NULL, *b = NULL;
        ck_assert_int_eq(ecrlint_check_buffer(eng, &with, "m.json", buf, len, &a, NULL),
                         ECRLINT_OK);
        ck_assert_int_eq(ecrlint_check_buffer(eng, &without, "m.json", buf, len, &b, NULL),
                         ECRLINT_OK);
        ck_assert_ptr_nonnull(ecrlint_result_extra_json(a));
        ck_assert_ptr_null(ecrlint_result_extra_json(b));
        ck_assert_uint_eq(ecrlint_result_diag_count(a), ecrlint_result_diag_count(b));
        for (size_t i = 0; i < ecrlint_result_diag_count(a); i++) {
            const ecrlint_diag *x = ecrlint_result_diag(a, i), *y = ecrlint_result_diag(b, i);
            ck_assert_str_eq(x->rule, y->rule);
            ck_assert_str_eq(x->pointer, y->pointer);
            ck_assert_str_eq(x->message, y->message);
            ck_assert_int_eq(x->line, y->line);
        }
        ecrlint_result_free(a);
        ecrlint_result_free(b);
        free(buf);
    }
    struct {
        const char *format;
        int quiet, wants;
    } w[] = {{"json", 0, 1}, {"json", 1, 1},  {"text", 0, 1},   {"text", 1, 0},
             {"gcc", 0, 0},  {"sarif", 0, 0}, {"github", 0, 0}, {"junit", 0, 0}};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        ecrlint_format_options fo = {.quiet = w[i].quiet};
        ecrlint_writer *wr = ecrlint_writer_new(eng, w[i].format, &fo, discard, NULL, NULL);
        ck_assert_ptr_nonnull(wr);
        ck_assert_msg(ecrlint_writer_wants_facts(wr) == w[i].wants, "%s quiet %d", w[i].format,
                      w[i].quiet);
        ecrlint_writer_free(wr);
    }
    ck_assert(!ecrlint_writer_wants_facts(NULL));
}
END_TEST

/* Wrong JSON types in every member, and byte-level mutations of real manifests: no crash, no
 * leak, always a result. */
START_TEST(hostile_inputs)
{
    const char *docs[] = {
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        "\"config\":[],\"layers\":[1,\"x\",null,{},[],{\"mediaType\":{},\"digest\":[],\"size\":-1,"
        "\"urls\":[1,null],\"annotations\":[],\"data\":5,\"artifactType\":null}],"
        "\"subject\":\"x\",\"artifactType\":[],\"annotations\":null}",
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        "\"manifests\":[null,1,{\"platform\":[]},{\"platform\":{\"os\":1}}],\"subject\":{}}",
        "{\"schemaVersion\":2,\"mediaType\":\"application/"
        "vnd.docker.distribution.manifest.list.v2+json\","
        "\"manifests\":{}}",
        "{\"schemaVersion\":1,\"fsLayers\":{},\"history\":[1,{\"v1Compatibility\":5},"
        "{\"v1Compatibility\":\"[]\"},{\"v1Compatibility\":\"{\\\"id\\\":7}\"}],"
        "\"signatures\":[1,{\"protected\":5}]}",
        "{\"schemaVersion\":1,\"signatures\":{\"protected\":\"x\"},\"history\":null}",
        "{\"mediaType\":1,\"schemaVersion\":null}",
        "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        ecrlint_result *r = check_buf(docs[i], strlen(docs[i]), NULL);
        ck_assert_ptr_nonnull(ecrlint_result_extra_json(r));
        ecrlint_result_free(r);
    }
    const char *files[] = {"valid/oci-index.json", "valid/docker-s1-signed.json",
                           "invalid/descriptor-grammar.json", "valid/docker-list.json"};
    unsigned long seed = 12345;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        char *orig = slurp(files[f], &len);
        char *buf = malloc(len);
        for (int iter = 0; iter < 300; iter++) {
            memcpy(buf, orig, len);
            for (int k = 0; k < 3; k++) {
                seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                size_t pos = (size_t)(seed >> 33) % len;
                static const char repl[] = "{}[]\":,0-9ax\\ ";
                buf[pos] = repl[(seed >> 20) % (sizeof repl - 1)];
            }
            ecrlint_result *r = check_buf(buf, len, iter % 2 ? NULL : EL_MT_INDEX);
            ecrlint_result_free(r);
        }
        free(buf);
        free(orig);
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
    tcase_add_test(tc, media_type_grammar);
    tcase_add_test(tc, digest_grammar);
    tcase_add_test(tc, base64_and_urls);
    tcase_add_test(tc, guess_mime_type);
    tcase_add_test(tc, declared_and_sniff);
    tcase_add_test(tc, accept_table);
    tcase_add_test(tc, s1_payload_errors);
    tcase_add_test(tc, rules_per_fixture);
    tcase_add_test(tc, misspelt_layer_types);
    tcase_add_test(tc, valid_fixtures_are_clean);
    tcase_add_test(tc, real_tool_digests_second_set);
    tcase_add_test(tc, accept_findings);
    tcase_add_test(tc, embedded_manifests);
    tcase_add_test(tc, conforms_ignores_rule_filter);
    tcase_add_test(tc, no_facts_same_findings);
    tcase_add_test(tc, hostile_inputs);
    suite_add_tcase(s, tc);
    return suite_run(s);
}
