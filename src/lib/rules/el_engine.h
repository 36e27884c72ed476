/* el_engine.h - the engine: the loaded rule packs and the ruleset built from them. */
#ifndef EL_RULES_EL_ENGINE_H
#define EL_RULES_EL_ENGINE_H

#include "rules/el_rules.h"

struct ecrlint_engine {
    el_pack_doc *packs; /* in load order; the ruleset is built from them */
    size_t npacks;
    el_ruleset *rs;
};

#endif
