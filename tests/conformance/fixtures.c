/* fixtures.c - conformance fixtures: what each scenario of the official
 * suite expects, implemented on the same tool/catalog tables ews-mcp's own
 * tools use, so a passing run proves our MCP layer, not a special path.
 * Texts and values follow the scenario descriptions in the suite. */
#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A 1x1 red PNG and a 10 ms 8 kHz silent WAV, generated for this project. */
#define PNG_B64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
#define WAV_B64 "UklGRnQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YVAAAACAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgA=="

#define NO_ARGS "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}"

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static json_t *text_result(const char *text)
{
	return json_pack("{s:[{s:s, s:s}]}", "content", "type", "text", "text", text);
}

static int simple_text(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)args; (void)err;
	*out = text_result("This is a simple text response for testing.");
	return 0;
}

static int image_content(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)args; (void)err;
	*out = json_pack("{s:[{s:s, s:s, s:s}]}", "content", "type", "image",
			 "data", PNG_B64, "mimeType", "image/png");
	return 0;
}

static int audio_content(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)args; (void)err;
	*out = json_pack("{s:[{s:s, s:s, s:s}]}", "content", "type", "audio",
			 "data", WAV_B64, "mimeType", "audio/wav");
	return 0;
}

static int embedded_resource(json_t **out, tool_call *call, const json_t *args,
			     errinfo *err)
{
	(void)call; (void)args; (void)err;
	*out = json_pack("{s:[{s:s, s:{s:s, s:s, s:s}}]}", "content", "type", "resource",
			 "resource", "uri", "test://embedded-resource", "mimeType",
			 "text/plain", "text", "This is an embedded resource content.");
	return 0;
}

static int mixed_content(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)args; (void)err;
	*out = json_pack("{s:[{s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:{s:s, s:s, s:s}}]}",
			 "content",
			 "type", "text", "text", "Multiple content types test:",
			 "type", "image", "data", PNG_B64, "mimeType", "image/png",
			 "type", "resource", "resource", "uri", "test://mixed-content-resource",
			 "mimeType", "application/json", "text", "{\"test\":\"data\",\"value\":123}");
	return 0;
}

static int with_logging(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)args; (void)err;
	tool_call_log(call, LOG_LEVEL_INFO, "Tool execution started");
	sleep_ms(50);
	tool_call_log(call, LOG_LEVEL_INFO, "Tool processing data");
	sleep_ms(50);
	tool_call_log(call, LOG_LEVEL_INFO, "Tool execution completed");
	*out = text_result("Tool with logging executed successfully");
	return 0;
}

static int with_progress(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)args; (void)err;
	tool_call_progress(call, 0, 100, NULL);
	sleep_ms(50);
	tool_call_progress(call, 50, 100, NULL);
	sleep_ms(50);
	tool_call_progress(call, 100, 100, NULL);
	*out = text_result("Tool with progress executed successfully");
	return 0;
}

static int error_handling(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)out; (void)call; (void)args;
	return errinfo_set(err, ERR_GENERIC,
			   "This tool intentionally returns an error for testing");
}

static int sampling(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	json_t *result = NULL, *params;
	const char *reply;
	char text[2048];

	params = json_pack("{s:[{s:s, s:{s:s, s:s}}], s:i}", "messages", "role", "user",
			   "content", "type", "text", "text",
			   json_string_value(json_object_get(args, "prompt")), "maxTokens", 100);
	if (tool_call_client_request(call, "sampling/createMessage", params, &result, err) < 0)
		return err->code;
	reply = json_string_value(json_object_get(json_object_get(result, "content"), "text"));
	snprintf(text, sizeof(text), "LLM response: %s", reply ? reply : "");
	json_decref(result);
	*out = text_result(text);
	return 0;
}

static int elicit(json_t **out, tool_call *call, json_t *params, const char *prefix,
		  errinfo *err)
{
	json_t *result = NULL;
	char *content, text[4096];

	if (tool_call_client_request(call, "elicitation/create", params, &result, err) < 0)
		return err->code;
	content = json_dumps(json_object_get(result, "content"), JSON_COMPACT);
	snprintf(text, sizeof(text), "%saction=%s, content=%s", prefix,
		 json_string_value(json_object_get(result, "action")),
		 content ? content : "{}");
	free(content);
	json_decref(result);
	*out = text_result(text);
	return 0;
}

static int elicitation(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	json_t *params = json_pack(
		"{s:s, s:{s:s, s:{s:{s:s, s:s}, s:{s:s, s:s}}, s:[s, s]}}",
		"message", json_string_value(json_object_get(args, "message")),
		"requestedSchema", "type", "object", "properties",
		"username", "type", "string", "description", "User's response",
		"email", "type", "string", "description", "User's email address",
		"required", "username", "email");

	return elicit(out, call, params, "User response: ", err);
}

static int elicitation_defaults(json_t **out, tool_call *call, const json_t *args,
				errinfo *err)
{
	json_t *params = json_pack(
		"{s:s, s:{s:s, s:{s:{s:s, s:s}, s:{s:s, s:i}, s:{s:s, s:f}, "
		"s:{s:s, s:[s, s, s], s:s}, s:{s:s, s:b}}}}",
		"message", "Please review and update the form fields with defaults",
		"requestedSchema", "type", "object", "properties",
		"name", "type", "string", "default", "John Doe",
		"age", "type", "integer", "default", 30,
		"score", "type", "number", "default", 95.5,
		"status", "type", "string", "enum", "active", "inactive", "pending",
		"default", "active",
		"verified", "type", "boolean", "default", 1);

	(void)args;
	return elicit(out, call, params, "Elicitation completed: ", err);
}

static int elicitation_enums(json_t **out, tool_call *call, const json_t *args,
			     errinfo *err)
{
	json_t *params = json_pack(
		"{s:s, s:{s:s, s:{"
		"s:{s:s, s:[s, s, s]},"
		"s:{s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]},"
		"s:{s:s, s:[s, s, s], s:[s, s, s]},"
		"s:{s:s, s:{s:s, s:[s, s, s]}},"
		"s:{s:s, s:{s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}}}}}",
		"message", "Please select options from the enum fields",
		"requestedSchema", "type", "object", "properties",
		"untitledSingle", "type", "string", "enum", "option1", "option2", "option3",
		"titledSingle", "type", "string", "oneOf",
		"const", "value1", "title", "First Option",
		"const", "value2", "title", "Second Option",
		"const", "value3", "title", "Third Option",
		"legacyEnum", "type", "string", "enum", "opt1", "opt2", "opt3",
		"enumNames", "Option One", "Option Two", "Option Three",
		"untitledMulti", "type", "array", "items", "type", "string",
		"enum", "option1", "option2", "option3",
		"titledMulti", "type", "array", "items", "anyOf",
		"const", "value1", "title", "First Choice",
		"const", "value2", "title", "Second Choice",
		"const", "value3", "title", "Third Choice");

	(void)args;
	return elicit(out, call, params, "Elicitation completed: ", err);
}

static int schema_2020(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	char *text = json_dumps(args, JSON_COMPACT);
	char buf[2048];

	(void)call; (void)err;
	snprintf(buf, sizeof(buf), "Received: %s", text ? text : "{}");
	free(text);
	*out = text_result(buf);
	return 0;
}

static const tool_def tools[] = {
	{ "test_simple_text", NULL, "Returns a simple text response", NO_ARGS, NULL,
	  TOOL_READ_ONLY | TOOL_RAW_RESULT, simple_text },
	{ "test_image_content", NULL, "Returns an image", NO_ARGS, NULL,
	  TOOL_READ_ONLY | TOOL_RAW_RESULT, image_content },
	{ "test_audio_content", NULL, "Returns audio", NO_ARGS, NULL,
	  TOOL_READ_ONLY | TOOL_RAW_RESULT, audio_content },
	{ "test_embedded_resource", NULL, "Returns an embedded resource", NO_ARGS, NULL,
	  TOOL_READ_ONLY | TOOL_RAW_RESULT, embedded_resource },
	{ "test_multiple_content_types", NULL, "Returns text, image and resource", NO_ARGS,
	  NULL, TOOL_READ_ONLY | TOOL_RAW_RESULT, mixed_content },
	{ "test_tool_with_logging", NULL, "Sends three log messages while it runs", NO_ARGS,
	  NULL, TOOL_READ_ONLY | TOOL_RAW_RESULT, with_logging },
	{ "test_tool_with_progress", NULL, "Reports progress 0, 50, 100 of 100", NO_ARGS,
	  NULL, TOOL_READ_ONLY | TOOL_RAW_RESULT, with_progress },
	{ "test_error_handling", NULL, "Always fails", NO_ARGS, NULL,
	  TOOL_READ_ONLY | TOOL_RAW_RESULT, error_handling },
	{ "test_sampling", NULL, "Asks the client's LLM for a completion",
	  "{\"type\":\"object\",\"properties\":{\"prompt\":{\"type\":\"string\","
	  "\"description\":\"The prompt to send to the LLM\"}},\"required\":[\"prompt\"]}",
	  NULL, TOOL_RAW_RESULT, sampling },
	{ "test_elicitation", NULL, "Asks the user for input",
	  "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\","
	  "\"description\":\"The message to show the user\"}},\"required\":[\"message\"]}",
	  NULL, TOOL_RAW_RESULT, elicitation },
	{ "test_elicitation_sep1034_defaults", NULL, "Elicits a form with defaults", NO_ARGS,
	  NULL, TOOL_RAW_RESULT, elicitation_defaults },
	{ "test_elicitation_sep1330_enums", NULL, "Elicits the five enum forms", NO_ARGS,
	  NULL, TOOL_RAW_RESULT, elicitation_enums },
	{ "json_schema_2020_12_tool", NULL, "Tool with JSON Schema 2020-12 features",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
	  "\"$defs\":{\"address\":{\"type\":\"object\",\"properties\":{\"street\":"
	  "{\"type\":\"string\"},\"city\":{\"type\":\"string\"}}}},\"properties\":"
	  "{\"name\":{\"type\":\"string\"},\"address\":{\"$ref\":\"#/$defs/address\"}},"
	  "\"additionalProperties\":false}",
	  NULL, TOOL_READ_ONLY | TOOL_RAW_RESULT, schema_2020 },
};

const toolset fixture_tools = { tools, sizeof(tools) / sizeof(tools[0]) };

/* ---- resources ----------------------------------------------------------- */

static int read_text(json_t **out, const char *uri, const json_t *vars, void *app,
		     errinfo *err)
{
	(void)vars; (void)app; (void)err;
	*out = json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri", uri, "mimeType",
			 "text/plain", "text", "This is the content of the static text resource.");
	return 0;
}

static int read_binary(json_t **out, const char *uri, const json_t *vars, void *app,
		       errinfo *err)
{
	(void)vars; (void)app; (void)err;
	*out = json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri", uri, "mimeType",
			 "image/png", "blob", PNG_B64);
	return 0;
}

static int read_watched(json_t **out, const char *uri, const json_t *vars, void *app,
			errinfo *err)
{
	(void)vars; (void)app; (void)err;
	*out = json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri", uri, "mimeType",
			 "text/plain", "text", "Watched resource content");
	return 0;
}

static int read_template(json_t **out, const char *uri, const json_t *vars, void *app,
			 errinfo *err)
{
	const char *id = json_string_value(json_object_get(vars, "id"));
	json_t *data;
	char *text, label[300];

	(void)app; (void)err;
	snprintf(label, sizeof(label), "Data for ID: %s", id);
	data = json_pack("{s:s, s:b, s:s}", "id", id, "templateTest", 1, "data", label);
	text = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	*out = json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri", uri, "mimeType",
			 "application/json", "text", text);
	free(text);
	return 0;
}

static const mcp_resource resources[] = {
	{ "test://static-text", "static-text", NULL, "A static text resource",
	  "text/plain", read_text },
	{ "test://static-binary", "static-binary", NULL, "A static binary resource (PNG)",
	  "image/png", read_binary },
	{ "test://watched-resource", "watched-resource", NULL,
	  "A resource clients may subscribe to", "text/plain", read_watched },
};

static const mcp_resource_template templates[] = {
	{ "test://template/{id}/data", "template-data", NULL,
	  "Data for an id, substituted into the URI", "application/json", read_template },
};

/* ---- prompts --------------------------------------------------------------- */

static int prompt_simple(json_t **out, const json_t *args, void *app, errinfo *err)
{
	(void)args; (void)app; (void)err;
	*out = json_pack("{s:[{s:s, s:{s:s, s:s}}]}", "messages", "role", "user", "content",
			 "type", "text", "text", "This is a simple prompt for testing.");
	return 0;
}

static int prompt_args(json_t **out, const json_t *args, void *app, errinfo *err)
{
	char text[1024];

	(void)app; (void)err;
	snprintf(text, sizeof(text), "Prompt with arguments: arg1='%s', arg2='%s'",
		 json_string_value(json_object_get(args, "arg1")),
		 json_string_value(json_object_get(args, "arg2")));
	*out = json_pack("{s:[{s:s, s:{s:s, s:s}}]}", "messages", "role", "user", "content",
			 "type", "text", "text", text);
	return 0;
}

static int prompt_resource(json_t **out, const json_t *args, void *app, errinfo *err)
{
	(void)app; (void)err;
	*out = json_pack("{s:[{s:s, s:{s:s, s:{s:s, s:s, s:s}}}, {s:s, s:{s:s, s:s}}]}",
			 "messages",
			 "role", "user", "content", "type", "resource", "resource",
			 "uri", json_string_value(json_object_get(args, "resourceUri")),
			 "mimeType", "text/plain", "text", "Embedded resource content for testing.",
			 "role", "user", "content", "type", "text",
			 "text", "Please process the embedded resource above.");
	return 0;
}

static int prompt_image(json_t **out, const json_t *args, void *app, errinfo *err)
{
	(void)args; (void)app; (void)err;
	*out = json_pack("{s:[{s:s, s:{s:s, s:s, s:s}}, {s:s, s:{s:s, s:s}}]}", "messages",
			 "role", "user", "content", "type", "image", "data", PNG_B64,
			 "mimeType", "image/png",
			 "role", "user", "content", "type", "text",
			 "text", "Please analyze the image above.");
	return 0;
}

static const mcp_prompt_arg two_args[] = {
	{ "arg1", "First test argument", 1 },
	{ "arg2", "Second test argument", 1 },
};
static const mcp_prompt_arg resource_arg[] = {
	{ "resourceUri", "URI of the resource to embed", 1 },
};

static const mcp_prompt prompts[] = {
	{ "test_simple_prompt", NULL, "A simple prompt without arguments", NULL, 0,
	  prompt_simple },
	{ "test_prompt_with_arguments", NULL, "A prompt with two required arguments",
	  two_args, 2, prompt_args },
	{ "test_prompt_with_embedded_resource", NULL, "A prompt that embeds a resource",
	  resource_arg, 1, prompt_resource },
	{ "test_prompt_with_image", NULL, "A prompt with an image", NULL, 0, prompt_image },
};

/* Offers the values that start with what the user typed so far. */
static int complete(json_t **values, const json_t *ref, const char *arg_name,
		    const char *arg_value, void *app, errinfo *err)
{
	static const char *const words[] = { "test", "testing", "tested", "example" };
	size_t i, n = arg_value ? strlen(arg_value) : 0;

	(void)ref; (void)arg_name; (void)app; (void)err;
	*values = json_array();
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(words[i], arg_value ? arg_value : "", n) == 0)
			json_array_append_new(*values, json_string(words[i]));
	return 0;
}

const mcp_catalog fixture_catalog = {
	resources, sizeof(resources) / sizeof(resources[0]),
	templates, sizeof(templates) / sizeof(templates[0]),
	prompts, sizeof(prompts) / sizeof(prompts[0]),
	complete,
};
