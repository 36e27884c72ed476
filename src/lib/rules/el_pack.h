/*
 * el_pack.h - the steps of building a ruleset, shared inside src/lib/rules/.
 *
 *   pack_load.c      one pack document -> rules, shapes, operations, type errors appended to a
 *                    ruleset, names not yet resolved (the reference for rules/README.md)
 *   template.c       message templates: splitting, and the variables they use
 *   ruleset_build.c  all packs -> a ruleset: merging (later packs win), resolving names, lookups
 *   ruleset_index.c  the numbered index of the operations' top-level member names
 *
 * They follow the module's error convention (el_rules.h).
 */
#ifndef EL_RULES_EL_PACK_H
#define EL_RULES_EL_PACK_H

#include "rules/el_rules.h"

/* The room allocated in a ruleset's arrays while packs are appended to it. */
typedef struct el_pack_room {
    size_t rules, shapes, ops, type_errors;
} el_pack_room;

/* Reads `pack` and appends what it declares to rs (a later pack's version replaces rs's). On
 * failure err names pack->source and the key path; what was appended stays in rs, for
 * el_ruleset_free. compile_patterns: compile each pattern now, so that a bad one is an error
 * of this pack. */
ecrlint_status el_pack_load(el_ruleset *rs, el_pack_room *room, const el_pack_doc *pack,
                            bool compile_patterns, ecrlint_error *err);

/* Frees what a rule, shape or operation owns (el_shape_free: the shape too). */
void el_rule_clear(el_rule *r);
void el_shape_free(el_shape *s);
void el_operation_clear(el_operation *op);
void el_string_list_free(char **list, size_t n);

/* Whether `name` (n bytes) is a template variable's name: letters, digits and '_', not
 * starting with a digit. */
bool el_tpl_var_name(const char *name, size_t n);
/* Whether t has the placeholder {name}. */
bool el_tpl_uses(const el_tpl *t, const char *name);

/* Numbers the operations' top-level member names into rs->top and fills the operations'
 * member_ids and detect ids (after the names are resolved). ECRLINT_ERR_NOMEM when memory ran
 * out (err is not filled: the caller says which pack set it is). */
ecrlint_status el_name_index_build(el_ruleset *rs);

#endif
