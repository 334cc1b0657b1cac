/* categories.h - the "categories" argument of the create tools
 * (create_appointment, create_contact, create_task): Outlook's colour
 * categories, a list of names.
 */
#ifndef INCLUDE_tools_categories_h__
#define INCLUDE_tools_categories_h__

#include <jansson.h>
#include <stddef.h>

#include "core/errinfo.h"

/* Longest category name and most categories one item may carry. */
#define TOOLS_CATEGORY_MAX 255
#define TOOLS_CATEGORIES_MAX 50

/* Reads args.categories (absent = none) into *out, a new array of
 * pointers borrowed from args (free() the array), *n entries. Every entry
 * must be a non-blank string of at most TOOLS_CATEGORY_MAX characters;
 * repeats (ignoring case) are dropped. 0, or ERR_INVAL naming the entry
 * ("categories[2]: ..."). */
int tools_categories(const char ***out, size_t *n, const json_t *args, errinfo *err);

#endif
