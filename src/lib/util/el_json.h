/* el_json.h - jansson helpers: parsing with out-of-memory told apart, iteration, type names. */
#ifndef EL_UTIL_EL_JSON_H
#define EL_UTIL_EL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* json_object_foreach without its two key-to-iterator lookups a member: for the objects every
 * check walks. `it` is declared by the loop. */
#define EL_OBJECT_EACH(obj, it, key, value)                                                      \
    for (void *it = json_object_iter((json_t *)(obj));                                          \
         it && ((key) = json_object_iter_key(it), (value) = json_object_iter_value(it), true);   \
         it = json_object_iter_next((json_t *)(obj), it))

/* json_loadb, and whether it failed for lack of memory (*oom), which jansson does not always
 * say itself. */
json_t *el_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *err, bool *oom);
/* "object", "array", "string", "number", "true", "false" or "null": the JSON type as the AWS
 * JSON protocol's messages and ecrlint's findings name it. */
const char *el_json_type_name(const json_t *v);

#endif
