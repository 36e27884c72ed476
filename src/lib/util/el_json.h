/* el_json.h - jansson helpers: parsing with out-of-memory told apart, iteration, type names. */
#ifndef EL_UTIL_EL_JSON_H
#define EL_UTIL_EL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* json_object_foreach without its two key-to-iterator lookups a member: for the objects every
 * check walks. `it` is declared by the loop. */
#define EL_OBJECT_EACH(obj, it, key, value)                                                        \
    for (void *it = json_object_iter((json_t *)(obj));                                             \
         it && ((key) = json_object_iter_key(it), (value) = json_object_iter_value(it), true);     \
         it = json_object_iter_next((json_t *)(obj), it))

/* json_loadb, and whether it failed for lack of memory (*oom), which jansson does not always
 * say itself. */
json_t *el_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *err, bool *oom);
/* Valid JSON that jansson cannot hold (RFC 8259 lets a parser limit these), rewritten at the same
 * length so that every offset stays: a number beyond int64 (an integer) or beyond a double (a
 * real) becomes +-1e308, a real as far out of every range of the model; an unpaired surrogate
 * escape becomes \uFFFD; a container nested deeper than max_depth becomes an empty one. */
typedef enum el_json_relax_kind {
    EL_RELAX_NUMBER,
    EL_RELAX_DEPTH,
    EL_RELAX_SURROGATE,
    EL_RELAX_KINDS
} el_json_relax_kind;
typedef struct el_json_relax_notes {
    size_t count[EL_RELAX_KINDS]; /* rewrites of each kind */
    size_t first[EL_RELAX_KINDS]; /* the offset of the first */
} el_json_relax_notes;
/* A NUL-terminated copy of text[0..len) with the rewrites (el_free it), or NULL without memory. */
char *el_json_relax(const char *text, size_t len, size_t max_depth, el_json_relax_notes *notes);
/* The offset of the first '[' or '{' of text[0..len) (outside strings) that opens a container
 * nested deeper than `limit` levels (the outermost container is level 1), or len when none
 * does: where a reader with that nesting limit stops. */
size_t el_json_depth_past(const char *text, size_t len, size_t limit);

/* The top-level members of a text that is not JSON, as far as they go before byte `stop` (where
 * the parser gave up): an object of each member whose name was read in full, its value a
 * string, an integer or true/false/null when that was read in full, an empty object or array
 * when one began (complete or not), null otherwise. Comments are not skipped: the scan ends at
 * the first byte JSON does not allow. NULL when the text does not start an object, or without
 * memory (*oom set then). Recognition looks at it: ECR members before a syntax error say the
 * text was meant for ECR. */
json_t *el_json_prefix_members(const char *text, size_t len, size_t stop, bool *oom);

/* JSON with comments (JSONC: tsconfig.json, editor and devcontainer settings): a NUL-terminated
 * copy of text[0..len) with every comment and trailing comma outside strings blanked, so that
 * offsets and lines stay; *found says which there were (EL_JSONC_*). el_free it; NULL without
 * memory. */
enum { EL_JSONC_COMMENT = 1, EL_JSONC_TRAILING_COMMA = 2 };
char *el_json_strip_jsonc(const char *text, size_t len, unsigned *found);

/* "object", "array", "string", "number", "true", "false" or "null": the JSON type as the AWS
 * JSON protocol's messages and ecrlint's findings name it. */
const char *el_json_type_name(const json_t *v);

#endif
