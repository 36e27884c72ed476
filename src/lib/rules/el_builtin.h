/* el_builtin.h - the rule packs compiled into the library (see src/embed_packs.cmake). */
#ifndef EL_BUILTIN_H
#define EL_BUILTIN_H

#include "rules/el_rules.h"

extern const el_builtin_pack el_builtin_packs[];
extern const size_t el_builtin_pack_count;
extern el_ruleset el_builtin_ruleset;

#endif
