/*
 * el_manifest.h - internals of the manifest module (src/lib/manifest/): media types, the
 * grammars of descriptors, classification, schema-1 payloads and the BatchGetImage
 * translation table. Nothing here reports findings: these are pure helpers, unit-tested
 * directly (tests/unit/test_manifest.c). The checks that report live in manifest.c and
 * mf_*.c and share the mf_check context below.
 *
 * Sources, cited in the module by document and section:
 *   OCI image spec: https://github.com/opencontainers/image-spec (manifest.md, image-index.md,
 *     descriptor.md, media-types.md, considerations.md, schema/)
 *   Docker schema 2 and manifest list (manifest-v2-2.md):
 *     https://distribution.github.io/distribution/spec/manifest-v2-2/
 *   Docker schema 1 (manifest-v2-1.md):
 *     https://github.com/distribution/distribution/blob/v2.8.3/docs/spec/manifest-v2-1.md
 *   distribution, the reference registry: https://github.com/distribution/distribution
 *   containers/image, the library of podman, skopeo and buildah:
 *     https://github.com/containers/image
 *   Amazon ECR API reference (PutImage, BatchGetImage):
 *     https://docs.aws.amazon.com/AmazonECR/latest/APIReference/
 *   Amazon ECR user guide, "Container image manifest format support" (its conversion table):
 *     https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-manifest-formats.html
 * Where ECR's behaviour is known only from what users observed, the comment says so.
 */
#ifndef EL_MANIFEST_H
#define EL_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "check/el_ctx.h"
#include "util/el_buf.h"

/* ---- media types (OCI media-types.md; Docker manifest-v2-2.md and manifest-v2-1.md) ------- */

#define EL_MT_S1 "application/vnd.docker.distribution.manifest.v1+json"
#define EL_MT_S1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define EL_MT_V2S2 "application/vnd.docker.distribution.manifest.v2+json"
#define EL_MT_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define EL_MT_OCI "application/vnd.oci.image.manifest.v1+json"
#define EL_MT_INDEX "application/vnd.oci.image.index.v1+json"
#define EL_MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define EL_MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define EL_MT_PLUGIN_CONFIG "application/vnd.docker.plugin.v1+json"
#define EL_MT_EMPTY "application/vnd.oci.empty.v1+json"
#define EL_MT_DOCKER_FOREIGN_GZIP "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"

/* The largest manifest registries take: ECR's PutImage imageManifest is at most 4194304
 * characters (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html),
 * distribution's maxManifestBodySize 4 MiB (registry/handlers/manifests.go). */
#define EL_MANIFEST_MAX 4194304

/* The manifest formats. EL_MF_NONE: not classified. */
typedef enum el_mf_type {
    EL_MF_NONE = 0,
    EL_MF_S1,        /* Docker v2 schema 1, unsigned */
    EL_MF_S1_SIGNED, /* Docker v2 schema 1, JWS-signed */
    EL_MF_V2S2,      /* Docker v2 schema 2 */
    EL_MF_LIST,      /* Docker manifest list */
    EL_MF_OCI,       /* OCI image manifest (artifacts included) */
    EL_MF_INDEX      /* OCI image index */
} el_mf_type;

/* The media type of `t` (static string), NULL for EL_MF_NONE. */
const char *el_mf_type_name(el_mf_type t);
/* The type whose media type is exactly `mt` (no parameters); EL_MF_NONE otherwise or for NULL. */
el_mf_type el_mf_type_of(const char *mt);
/* Schema 1 in either form. */
bool el_mf_is_s1(el_mf_type t);

/*
 * Normalises a declared media type: copies `declared` without its ";params" and surrounding
 * white space into out[0..outsize) (truncated; always NUL-terminated) and returns the type it
 * names: one of the six, `application/json` meaning signed schema 1 (distribution v2.8.3
 * registers its schema-1 parser for it, manifest/schema1/manifest.go; containers/image's
 * NormalizedMIMEType, internal/manifest/manifest.go, maps it so), otherwise EL_MF_NONE.
 */
el_mf_type el_mf_declared_type(const char *declared, char *out, size_t outsize);

/*
 * containers/image GuessMIMEType (internal/manifest/manifest.go) over a parsed body, with its
 * Go quirks where jansson sees the same thing: a non-integer schemaVersion gives EL_MF_NONE.
 * Two deliberate differences, both reported by the checks as ambiguity: a body with
 * `manifests` and no `config` is an index even when the array is empty (as distribution's read
 * path has it, registry/storage/manifeststore.go Get), and the FIXME branch (config and
 * manifests together) answers by config.mediaType (OCI unless Docker).
 * `*go_differs` is set when containers/image would answer differently.
 */
el_mf_type el_mf_guess(const json_t *root, bool *go_differs);

/* ---- grammars (OCI descriptor.md, schema/defs-descriptor.json) ---------------------------- */

/* Validators take the text and its length in bytes: JSON strings may hold NUL bytes, which
 * make a value invalid. */

/* RFC 6838 type "/" subtype with no parameters, as the OCI descriptor regex has it. */
bool el_mf_media_type_valid(const char *s, size_t n);
/* True when s is "<valid type> [;...]": a valid media type followed by parameters, which the
 * OCI schema's regex excludes and ECR refuses (observed behaviour of ECR, not documented:
 * https://github.com/aws/containers-roadmap/issues/2306). */
bool el_mf_media_type_has_params(const char *s, size_t n);

/* Outcome of el_mf_digest_check. */
typedef enum el_mf_digest {
    EL_MF_DIGEST_OK = 0,  /* sha256/sha384/sha512/blake3 with the right encoding */
    EL_MF_DIGEST_OTHER,   /* grammatical, but an algorithm registries do not support */
    EL_MF_DIGEST_GRAMMAR, /* not algorithm ":" encoded */
    EL_MF_DIGEST_ENCODING /* a registered algorithm whose hex is wrong (length, case) */
} el_mf_digest;

/* Checks a digest string (OCI descriptor.md grammar plus the per-algorithm encodings). On
 * EL_MF_DIGEST_ENCODING, *hex_len (when non-NULL) is set to the length expected. */
el_mf_digest el_mf_digest_check(const char *s, size_t len, size_t *hex_len);

/* An absolute http or https URL without fragment (what distribution accepts for layer urls,
 * registry/storage/ocimanifesthandler.go). */
bool el_mf_url_ok(const char *s, size_t n);
/* An RFC 3986 URI: scheme ":" then only characters RFC 3986 allows (percent-escapes valid). */
bool el_mf_uri_valid(const char *s, size_t n);

/*
 * Decodes standard base64 with padding (RFC 4648 section 4, strict: no white space, canonical
 * padding). Returns a new buffer (el_malloc; caller frees with el_free) and its length in
 * *out_len; NULL with *nomem false when the text is not base64, NULL with *nomem true when
 * memory ran out. An empty text decodes to an empty (non-NULL) buffer.
 */
unsigned char *el_mf_base64_decode(const char *s, size_t n, size_t *out_len, bool *nomem);
/* The same for base64url without padding (JWS, RFC 7515 section 2). */
unsigned char *el_mf_base64url_decode(const char *s, size_t n, size_t *out_len, bool *nomem);

/* ---- schema 1 (manifest-v2-1.md) ---------------------------------------------------------- */

/* Why a signed schema-1 payload could not be rebuilt. */
typedef enum el_mf_jws {
    EL_MF_JWS_OK = 0,
    EL_MF_JWS_NOMEM,
    EL_MF_JWS_NO_SIGNATURES, /* signatures is not a non-empty array of objects */
    EL_MF_JWS_PROTECTED,     /* a protected header is missing, not base64url or not JSON */
    EL_MF_JWS_FORMAT,        /* formatLength/formatTail missing, wrong type or out of range */
    EL_MF_JWS_DISAGREE       /* the signatures disagree on formatLength/formatTail */
} el_mf_jws;

/*
 * Rebuilds the payload of a signed schema-1 manifest: bytes[0..formatLength) + the decoded
 * formatTail of the protected headers (libtrust's "pretty" JWS, ParsePrettySignature in
 * https://github.com/docker/libtrust/blob/master/jsonsign.go). On EL_MF_JWS_OK *payload is a
 * new buffer (el_free) of *payload_len bytes. *bad_index is the signature at fault otherwise.
 */
el_mf_jws el_mf_s1_payload(const json_t *root, const char *bytes, size_t len,
                           unsigned char **payload, size_t *payload_len, size_t *bad_index);

/* ---- BatchGetImage acceptedMediaTypes (API_BatchGetImage.html; the conversion table) ------ */

/* What ECR would return for a manifest stored as `stored` when the client accepts `accept`
 * (NULL-terminated): the media type by tag and by digest (NULL: not returned) and whether the
 * tag answer is a translation. `*undocumented` is set for lists and indexes whose type is not
 * accepted (what ECR does then is not documented). */
typedef struct el_mf_accept_answer {
    const char *by_tag;
    bool by_tag_translated;
    const char *by_digest;
    bool undocumented;
} el_mf_accept_answer;

void el_mf_accept(el_mf_type stored, const char *const *accept, el_mf_accept_answer *out);

/* ---- the check context shared by manifest.c and mf_*.c ---------------------------------- */

/*
 * Errors: the checks return nothing. The first failure (memory ran out, or what el_report
 * returned) is kept in `st`; from then on mf_report reports nothing, the loops over arrays
 * stop, and el_manifest_check returns it. mf_nomem, mf_ptr, mf_ptr_index and mf_extra_set set
 * it too.
 */
typedef struct mf_check {
    el_ctx *cx;
    ecrlint_status st; /* the first failure, ECRLINT_OK until one */
    bool spec_broken;  /* a MUST of the manifest's own specification is broken */
    el_mf_type type;
    const json_t *root;
    el_buf ptr;    /* scratch for a JSON pointer that is reported at once */
    json_t *extra; /* the result's manifest object, being built */
} mf_check;

/*
 * Reports rule `id` at `pointer`, with the template variables `vars` (terminated by
 * {NULL, NULL}; NULL when none). Whether the rule breaks the manifest's own specification (for
 * "conforms") is the rule's "breaksSpec" in its pack, whether or not the rule is enabled.
 */
void mf_report(mf_check *m, const char *id, const char *pointer, el_locate_what what,
               const el_var *vars);
/* JSON pointers (RFC 6901), built in `out` (replacing what it held): base + "/" + the escaped
 * token, and base + "/" + index. They return out's text, valid until `out` changes, or "" when
 * memory ran out. `base` must not be out's own text: a pointer that is the base of others is
 * kept in an el_buf of its own (on the stack with el_buf_init_in), m->ptr takes the last one. */
const char *mf_ptr(mf_check *m, el_buf *out, const char *base, const char *token);
const char *mf_ptr_index(mf_check *m, el_buf *out, const char *base, size_t index);
/* Marks memory exhaustion. */
void mf_nomem(mf_check *m);
/* Sets extra[key] = value (stolen), marking memory exhaustion on failure. */
void mf_extra_set(mf_check *m, const char *key, json_t *value);

/* mf_schema1.c: the schema-1 checks (manifest-v2-1.md) and the payload digest. */
void mf_check_schema1(mf_check *m, const char *bytes, size_t len);

/* ---- the module's entry points (manifest.c) ------------------------------------------ */

/*
 * Returns true when `root` (a JSON object) looks like an image manifest or index, for
 * automatic detection: a known mediaType, or schemaVersion with manifest members.
 */
bool el_manifest_sniff(const json_t *root);

/*
 * Classifies and checks the manifest bytes[0..len) whose parsed form is `root` (NULL when the
 * bytes are not JSON). `declared` is a declared media type or NULL. Reports findings through
 * el_report() and sets the result's extra object. `accept`, when non-NULL, lists accepted media
 * types (NULL-terminated) for the BatchGetImage translation check.
 */
ecrlint_status el_manifest_check(el_ctx *cx, const char *bytes, size_t len, const json_t *root,
                                 const char *declared, const char *const *accept);

#endif /* EL_MANIFEST_H */
