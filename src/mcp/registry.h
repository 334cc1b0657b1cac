/* registry.h - the tools a server offers: listing, lookup, argument checks.
 *
 * Built once at start-up from the tool families' const tables; each tool's
 * schema text is parsed and checked then, so a broken schema stops the
 * server at start rather than confusing a client later. Read-only after
 * creation, so it is shared by all threads and sessions without locks.
 */
#ifndef INCLUDE_registry_h__
#define INCLUDE_registry_h__

#include <jansson.h>

#include "core/errinfo.h"
#include "tools/tool.h"

typedef struct mcp_registry mcp_registry;

/* 0 and a registry in *out, or ERR_INVAL naming the tool whose schema or
 * name is broken, or a duplicate name. */
int mcp_registry_new(mcp_registry **out, const toolset *const *sets,
		     size_t nsets, errinfo *err);
void mcp_registry_free(mcp_registry *reg);

size_t mcp_registry_count(const mcp_registry *reg);

/* A new JSON array of every tool name (caller decrefs). */
json_t *mcp_registry_names(const mcp_registry *reg);

/* The tool of this name, or NULL. Borrowed. */
const tool_def *mcp_registry_find(const mcp_registry *reg, const char *name);

/* The listing entry for one tool: {name,title,description,inputSchema,
 * outputSchema?,annotations}. Borrowed from the registry. */
const json_t *mcp_registry_entry(const mcp_registry *reg, const tool_def *tool);

/* A tools/list result page: {"tools":[...], "nextCursor"?}. cursor is
 * NULL for the first page. 0, or ERR_INVAL for a cursor we did not issue. */
int mcp_registry_list(json_t **out, const mcp_registry *reg,
		      const char *cursor, size_t page_size, errinfo *err);

/* Validates arguments (NULL = {}) against the tool's input schema. */
int mcp_registry_check_args(const mcp_registry *reg, const tool_def *tool,
			    const json_t *args, errinfo *err);

#endif
