/* catalog.h - resources, resource templates, prompts and completions.
 *
 * ews-mcp itself offers tools only; the conformance fixture server (tests/
 * conformance) offers all of these, and a future ews-mcp resource (a
 * mailbox's folder tree, say) would use the same descriptors. Like tools,
 * each is a const table; the session answers resources/list,
 * resources/templates/list, resources/read, resources/subscribe,
 * prompts/list, prompts/get and completion/complete from it.
 */
#ifndef INCLUDE_catalog_h__
#define INCLUDE_catalog_h__

#include <jansson.h>
#include <stddef.h>

#include "core/errinfo.h"

/* Reads one resource: 0 and {"contents":[...]} in *out, or ERR_*.
 * vars holds the template variables ({"id":"123"}), empty for a plain
 * resource. */
typedef int (*mcp_resource_read_fn)(json_t **out, const char *uri,
				    const json_t *vars, void *app, errinfo *err);

typedef struct mcp_resource {
	const char *uri;
	const char *name;
	const char *title;
	const char *description;
	const char *mime_type;
	mcp_resource_read_fn read;
} mcp_resource;

/* uri_template uses RFC 6570 level-1 variables: "test://template/{id}/data";
 * a variable matches one or more characters other than '/'. */
typedef struct mcp_resource_template {
	const char *uri_template;
	const char *name;
	const char *title;
	const char *description;
	const char *mime_type;
	mcp_resource_read_fn read;
} mcp_resource_template;

typedef struct mcp_prompt_arg {
	const char *name;
	const char *description;
	int required;
} mcp_prompt_arg;

/* Renders a prompt: 0 and {"messages":[...]} (a "description" may be
 * added by the session), or ERR_*. Required arguments are checked before. */
typedef int (*mcp_prompt_get_fn)(json_t **out, const json_t *arguments,
				 void *app, errinfo *err);

typedef struct mcp_prompt {
	const char *name;
	const char *title;
	const char *description;
	const mcp_prompt_arg *args;
	size_t nargs;
	mcp_prompt_get_fn get;
} mcp_prompt;

/* Suggests values for an argument of a prompt or resource template:
 * 0 and a JSON array of strings in *values, or ERR_*. */
typedef int (*mcp_complete_fn)(json_t **values, const json_t *ref,
			       const char *arg_name, const char *arg_value,
			       void *app, errinfo *err);

typedef struct mcp_catalog {
	const mcp_resource *resources;
	size_t nresources;
	const mcp_resource_template *templates;
	size_t ntemplates;
	const mcp_prompt *prompts;
	size_t nprompts;
	mcp_complete_fn complete; /* NULL: no completions capability */
} mcp_catalog;

/* Matches uri against a level-1 template; 0 and the variables in *vars
 * (caller decrefs), or -1 when it does not match. */
int mcp_uri_template_match(json_t **vars, const char *tmpl, const char *uri);

#endif
