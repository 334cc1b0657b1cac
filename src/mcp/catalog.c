/* catalog.c - resources, templates, prompts and completions (catalog.h). */
#include "mcp/session_int.h"

#include <stdio.h>
#include <string.h>

#include "mcp/jsonrpc.h"

int mcp_uri_template_match(json_t **vars, const char *tmpl, const char *uri)
{
	json_t *out = json_object();
	const char *t = tmpl, *u = uri;

	while (*t) {
		if (*t == '{') {
			const char *close = strchr(t, '}');
			char name[64];
			size_t n, v;

			if (!close || (size_t)(close - t - 1) >= sizeof(name))
				goto nomatch;
			n = (size_t)(close - t - 1);
			memcpy(name, t + 1, n);
			name[n] = '\0';
			v = strcspn(u, "/?#");
			/* The value ends where the template's next literal starts. */
			if (close[1] && close[1] != '/') {
				const char *next = strchr(u, close[1]);

				if (!next)
					goto nomatch;
				v = (size_t)(next - u);
			}
			if (v == 0)
				goto nomatch;
			json_object_set_new(out, name, json_stringn(u, v));
			u += v;
			t = close + 1;
		} else if (*t++ != *u++) {
			goto nomatch;
		}
	}
	if (*u)
		goto nomatch;
	*vars = out;
	return 0;
nomatch:
	json_decref(out);
	return -1;
}

static json_t *resource_entry(const char *uri_key, const char *uri, const char *name,
			      const char *title, const char *description,
			      const char *mime)
{
	json_t *e = json_pack("{s:s, s:s}", uri_key, uri, "name", name);

	if (title)
		json_object_set_new(e, "title", json_string(title));
	if (description)
		json_object_set_new(e, "description", json_string(description));
	if (mime)
		json_object_set_new(e, "mimeType", json_string(mime));
	return e;
}

static int read_resource(const mcp_catalog *cat, void *app, const char *uri,
			 json_t **result, int *code, char *msg, size_t cap)
{
	errinfo err = ERRINFO_INIT;
	json_t *vars = NULL;
	size_t i;

	for (i = 0; i < cat->nresources; i++) {
		if (strcmp(cat->resources[i].uri, uri) != 0)
			continue;
		vars = json_object();
		if (cat->resources[i].read(result, uri, vars, app, &err) < 0)
			goto failed;
		json_decref(vars);
		return 0;
	}
	for (i = 0; i < cat->ntemplates; i++) {
		if (mcp_uri_template_match(&vars, cat->templates[i].uri_template, uri) < 0)
			continue;
		if (cat->templates[i].read(result, uri, vars, app, &err) < 0)
			goto failed;
		json_decref(vars);
		return 0;
	}
	*code = MCP_RESOURCE_NOT_FOUND;
	snprintf(msg, cap, "Resource not found: %s", uri);
	return -1;
failed:
	json_decref(vars);
	*code = err.code == ERR_NOTFOUND ? MCP_RESOURCE_NOT_FOUND : MCP_INTERNAL_ERROR;
	snprintf(msg, cap, "%s", err.msg);
	return -1;
}

static int get_prompt(const mcp_catalog *cat, void *app, const json_t *params,
		      json_t **result, int *code, char *msg, size_t cap)
{
	const json_t *name = json_object_get(params, "name");
	const json_t *args = json_object_get(params, "arguments");
	errinfo err = ERRINFO_INIT;
	const mcp_prompt *p = NULL;
	json_t *empty = NULL;
	size_t i;
	int rc;

	for (i = 0; json_is_string(name) && i < cat->nprompts; i++)
		if (strcmp(cat->prompts[i].name, json_string_value(name)) == 0)
			p = &cat->prompts[i];
	if (!p) {
		*code = MCP_INVALID_PARAMS;
		snprintf(msg, cap, "Unknown prompt: %s",
			 json_is_string(name) ? json_string_value(name) : "(no name)");
		return -1;
	}
	if (args && !json_is_object(args)) {
		*code = MCP_INVALID_PARAMS;
		snprintf(msg, cap, "prompts/get: params.arguments must be an object");
		return -1;
	}
	for (i = 0; i < p->nargs; i++)
		if (p->args[i].required && !json_is_string(json_object_get(args, p->args[i].name))) {
			*code = MCP_INVALID_PARAMS;
			snprintf(msg, cap, "prompts/get %s: argument %s is required",
				 p->name, p->args[i].name);
			return -1;
		}
	if (!args)
		args = empty = json_object();
	rc = p->get(result, args, app, &err);
	json_decref(empty);
	if (rc < 0) {
		*code = MCP_INTERNAL_ERROR;
		snprintf(msg, cap, "%s", err.msg);
		return -1;
	}
	if (p->description && !json_object_get(*result, "description"))
		json_object_set_new(*result, "description", json_string(p->description));
	return 0;
}

static json_t *list_prompts(const mcp_catalog *cat)
{
	json_t *list = json_array();
	size_t i, j;

	for (i = 0; i < cat->nprompts; i++) {
		const mcp_prompt *p = &cat->prompts[i];
		json_t *e = json_pack("{s:s}", "name", p->name), *args = json_array();

		if (p->title)
			json_object_set_new(e, "title", json_string(p->title));
		if (p->description)
			json_object_set_new(e, "description", json_string(p->description));
		for (j = 0; j < p->nargs; j++) {
			json_t *a = json_pack("{s:s, s:b}", "name", p->args[j].name,
					      "required", p->args[j].required);

			if (p->args[j].description)
				json_object_set_new(a, "description",
						    json_string(p->args[j].description));
			json_array_append_new(args, a);
		}
		json_object_set_new(e, "arguments", args);
		json_array_append_new(list, e);
	}
	return json_pack("{s:o}", "prompts", list);
}

static int complete(const mcp_catalog *cat, void *app, const json_t *params,
		    json_t **result, int *code, char *msg, size_t cap)
{
	const json_t *ref = json_object_get(params, "ref");
	const json_t *arg = json_object_get(params, "argument");
	errinfo err = ERRINFO_INIT;
	json_t *values = NULL;
	size_t total;

	if (!json_is_object(ref) || !json_is_object(arg) ||
	    !json_is_string(json_object_get(arg, "name"))) {
		*code = MCP_INVALID_PARAMS;
		snprintf(msg, cap, "completion/complete: params.ref and params.argument.name are required");
		return -1;
	}
	if (cat->complete(&values, ref, json_string_value(json_object_get(arg, "name")),
			  json_string_value(json_object_get(arg, "value")), app, &err) < 0) {
		*code = MCP_INVALID_PARAMS;
		snprintf(msg, cap, "%s", err.msg);
		return -1;
	}
	/* The specification caps a completion answer at 100 values. */
	total = json_array_size(values);
	while (json_array_size(values) > 100)
		json_array_remove(values, 100);
	*result = json_pack("{s:{s:o, s:I, s:b}}", "completion", "values", values,
			    "total", (json_int_t)total, "hasMore", total > 100);
	return 0;
}

int catalog_handle(mcp_session *s, const char *method, const json_t *params,
		   json_t **result, int *rpc_code, char *msg, size_t msgcap)
{
	const mcp_catalog *cat = s->server->opts.catalog;
	void *app = s->server->opts.app;
	const json_t *uri = json_object_get(params, "uri");
	size_t i;

	*result = NULL;
	if (!cat) {
		*rpc_code = MCP_METHOD_NOT_FOUND;
		snprintf(msg, msgcap, "Method not found: %s", method);
		return -1;
	}
	if (strcmp(method, "resources/list") == 0) {
		json_t *list = json_array();

		for (i = 0; i < cat->nresources; i++) {
			const mcp_resource *r = &cat->resources[i];

			json_array_append_new(list, resource_entry("uri", r->uri, r->name, r->title,
								   r->description, r->mime_type));
		}
		*result = json_pack("{s:o}", "resources", list);
		return 0;
	}
	if (strcmp(method, "resources/templates/list") == 0) {
		json_t *list = json_array();

		for (i = 0; i < cat->ntemplates; i++) {
			const mcp_resource_template *t = &cat->templates[i];

			json_array_append_new(list, resource_entry("uriTemplate", t->uri_template,
								   t->name, t->title,
								   t->description, t->mime_type));
		}
		*result = json_pack("{s:o}", "resourceTemplates", list);
		return 0;
	}
	if (strcmp(method, "resources/read") == 0 || strcmp(method, "resources/subscribe") == 0 ||
	    strcmp(method, "resources/unsubscribe") == 0) {
		if (!json_is_string(uri)) {
			*rpc_code = MCP_INVALID_PARAMS;
			snprintf(msg, msgcap, "%s: params.uri must be a string", method);
			return -1;
		}
		if (strcmp(method, "resources/read") == 0)
			return read_resource(cat, app, json_string_value(uri), result,
					     rpc_code, msg, msgcap);
		pthread_mutex_lock(&s->lock);
		if (strcmp(method, "resources/subscribe") == 0)
			json_object_set_new(s->subscriptions, json_string_value(uri), json_true());
		else
			json_object_del(s->subscriptions, json_string_value(uri));
		pthread_mutex_unlock(&s->lock);
		*result = json_object();
		return 0;
	}
	if (strcmp(method, "prompts/list") == 0) {
		*result = list_prompts(cat);
		return 0;
	}
	if (strcmp(method, "prompts/get") == 0)
		return get_prompt(cat, app, params, result, rpc_code, msg, msgcap);
	if (strcmp(method, "completion/complete") == 0 && cat->complete)
		return complete(cat, app, params, result, rpc_code, msg, msgcap);
	*rpc_code = MCP_METHOD_NOT_FOUND;
	snprintf(msg, msgcap, "Method not found: %s", method);
	return -1;
}
