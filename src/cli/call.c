/* call.c - `ews-mcp call TOOL JSON` and `ews-mcp tools` (see cli.h). */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/local_client.h"

/* Tool calls may wait on Exchange retries; well above REQUEST_TIMEOUT. */
#define CALL_TIMEOUT_MS (15L * 60 * 1000)

static void print_json(const json_t *v)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (text)
		printf("%s\n", text);
	free(text);
}

int cli_call(const cfg *conf, const char *tool, const char *args_json)
{
	errinfo err = ERRINFO_INIT;
	json_error_t jerr;
	json_t *args = NULL, *params = NULL, *result = NULL;
	local_client *lc = NULL;
	cli_app app;
	int rc = 1;

	args = json_loads(args_json ? args_json : "{}", 0, &jerr);
	if (!json_is_object(args)) {
		fprintf(stderr, "ews-mcp call: arguments must be a JSON object%s%s\n",
			args ? "" : ": ", args ? "" : jerr.text);
		json_decref(args);
		return 1;
	}
	if (cli_app_open(&app, conf, &err) < 0) {
		fprintf(stderr, "ews-mcp: %s\n", err.msg);
		json_decref(args);
		return 1;
	}
	params = json_pack("{s:s, s:O}", "name", tool, "arguments", args);
	if (local_client_new(&lc, app.server, &err) < 0 ||
	    local_client_request(lc, "tools/call", params, &result, CALL_TIMEOUT_MS, &err) < 0) {
		fprintf(stderr, "ews-mcp call: %s\n", err.msg);
		goto done;
	}
	/* The structured result is the JSON the tool made; raw results (none
	 * of ours) would only have content blocks. */
	print_json(json_object_get(result, "structuredContent")
		   ? json_object_get(result, "structuredContent") : result);
	rc = json_is_true(json_object_get(result, "isError")) ? 1 : 0;
done:
	json_decref(result);
	json_decref(params);
	json_decref(args);
	local_client_free(lc);
	cli_app_close(&app);
	return rc;
}

int cli_tools(const cfg *conf)
{
	errinfo err = ERRINFO_INIT;
	json_t *page = NULL;
	const toolset *sets[16];
	mcp_registry *reg = NULL;
	size_t nsets;

	nsets = tools_enabled(sets, sizeof(sets) / sizeof(sets[0]), conf);
	if (mcp_registry_new(&reg, sets, nsets, &err) < 0 ||
	    mcp_registry_list(&page, reg, NULL, 0, &err) < 0) {
		fprintf(stderr, "ews-mcp tools: %s\n", err.msg);
		mcp_registry_free(reg);
		return 1;
	}
	print_json(json_object_get(page, "tools"));
	json_decref(page);
	mcp_registry_free(reg);
	return 0;
}
