/* tools_tasks.c - MCP tools over a mailbox's Tasks folder: get_tasks,
 * create_task. Uses ews_* operations only (no XML here).
 *
 * Task dates are days, not instants: a due date given as "2025-12-20" (or
 * any time on that day) is stored as that day's midnight in TIMEZONE, the
 * way Outlook stores the dates it shows without a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ops.h"
#include "tools/args.h"
#include "tools/categories.h"
#include "tools/convert.h"
#include "tools/dates.h"
#include "tools/families.h"
#include "tools/runner.h"

/* ---- get_tasks ---------------------------------------------------------------- */

static const char get_tasks_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"include_completed\":{\"type\":\"boolean\",\"default\":false,\"description\":"
	"\"Also list completed tasks.\"},"
	"\"max_results\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":50},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"additionalProperties\":false}";

static json_t *local_or_null(const json_t *item, const char *key, const cfg *conf)
{
	const char *t = json_string_value(json_object_get(item, key));

	return t ? tools_time_local(t, conf) : json_null();
}

static json_t *task_json(const json_t *item, const cfg *conf)
{
	const char *subject = json_string_value(json_object_get(item, "subject"));
	const char *status = json_string_value(json_object_get(item, "status"));
	const char *importance = json_string_value(json_object_get(item, "importance"));
	double pct = json_number_value(json_object_get(item, "percent_complete"));
	json_t *t = json_object();

	json_object_set(t, "item_id", json_object_get(item, "item_id"));
	json_object_set_new(t, "subject", json_string(subject ? subject : ""));
	json_object_set_new(t, "status", json_string(status ? status : "NotStarted"));
	/* Exchange sends a double; whole percentages read better as integers. */
	if (!(pct >= 0.0 && pct <= 100.0))
		pct = 0.0;
	json_object_set_new(t, "percent_complete", pct == (double)(int)pct
			    ? json_integer((json_int_t)pct) : json_real(pct));
	json_object_set_new(t, "is_complete",
			    json_boolean(json_is_true(json_object_get(item, "is_complete"))));
	json_object_set_new(t, "due_date", local_or_null(item, "due_date", conf));
	json_object_set_new(t, "start_date", local_or_null(item, "start_date", conf));
	if (json_object_get(item, "complete_date"))
		json_object_set_new(t, "complete_date", local_or_null(item, "complete_date", conf));
	json_object_set_new(t, "importance", json_string(importance ? importance : "Normal"));
	json_object_set_new(t, "created", local_or_null(item, "created", conf));
	return t;
}

static int get_tasks_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	static const char *const fields[] = {
		"item:Subject", "task:Status", "task:PercentComplete", "task:IsComplete",
		"task:DueDate", "task:StartDate", "task:CompleteDate", "item:Importance",
		"item:DateTimeCreated",
	};
	soap_restriction open = { .op = SOAP_R_EQ, .field = "task:IsComplete", .value = "false" };
	soap_sort newest = { "item:DateTimeCreated", 1 };
	soap_folder_ref folder = { .distinguished = "tasks" };
	soap_find_item_args fa;
	json_t *found = NULL, *tasks, *item;
	int include_completed, error;
	long max_results;
	char message[64];
	size_t i;

	if (tools_arg_bool(&include_completed, args, "include_completed", 0, err) < 0 ||
	    tools_arg_long(&max_results, args, "max_results", 50, 1, 1000, err) < 0)
		return err->code;
	memset(&fa, 0, sizeof(fa));
	fa.shape.base = "IdOnly";
	fa.shape.fields = fields;
	fa.shape.nfields = sizeof(fields) / sizeof(fields[0]);
	fa.view = SOAP_VIEW_INDEXED;
	fa.max_entries = (int)max_results;
	fa.restriction = include_completed ? NULL : &open;
	fa.sort = &newest;
	fa.nsort = 1;
	fa.folders = &folder;
	fa.nfolders = 1;
	error = ews_find_item(&found, &req->ews, &fa, err);
	if (error < 0)
		return error;

	tasks = json_array();
	json_array_foreach(json_object_get(found, "items"), i, item)
		json_array_append_new(tasks, task_json(item, req->ctx->conf));
	snprintf(message, sizeof(message), "Retrieved %zu tasks", json_array_size(tasks));
	*data = json_pack("{s:s, s:o, s:I, s:b, s:b}", "message", message, "tasks", tasks,
			  "count", (json_int_t)json_array_size(tasks),
			  "include_completed", include_completed, "more_available",
			  !json_is_true(json_object_get(found, "includes_last_item_in_range")));
	json_decref(found);
	return *data ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

static int get_tasks(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, get_tasks_body, err);
}

/* ---- create_task ---------------------------------------------------------------- */

#define DATE_PROP(name, desc) \
	"\"" name "\":{" TOOLS_DATE_TYPE ",\"description\":" \
	"\"" desc " A date (2025-12-20) or date-time; the day in the server's TIMEZONE " \
	"counts.\"}"

static const char create_task_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"subject\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255},"
	"\"body\":{\"type\":\"string\",\"maxLength\":4000000,\"description\":\"Notes (HTML "
	"when it contains tags, else plain text).\"},"
	DATE_PROP("due_date", "Day the task is due.") ","
	DATE_PROP("start_date", "Day work starts (not after due_date).") ","
	"\"importance\":{\"type\":\"string\",\"enum\":[\"Low\",\"Normal\",\"High\"],"
	"\"default\":\"Normal\"},"
	"\"status\":{\"type\":\"string\",\"enum\":[\"NotStarted\",\"InProgress\",\"Completed\","
	"\"WaitingOnOthers\",\"Deferred\"],\"default\":\"NotStarted\"},"
	"\"categories\":{\"type\":\"array\",\"maxItems\":50,\"items\":{\"type\":\"string\","
	"\"minLength\":1,\"maxLength\":255}},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"subject\"],\"additionalProperties\":false}";

/* One of the values allowed, or NULL. */
static const char *one_of(const char *value, const char *const *allowed)
{
	size_t i;

	for (i = 0; value && allowed[i]; i++)
		if (strcmp(value, allowed[i]) == 0)
			return allowed[i];
	return NULL;
}

/* A task date: the local midnight of the day the argument falls on. */
static int task_day(int64_t *out, int *present, const json_t *args, const char *name,
		    const cfg *conf, const tz_zone *zone, errinfo *err)
{
	if (tools_arg_time(out, present, args, name, conf->timezone, 0, 0, err) < 0)
		return err->code;
	if (*present)
		*out = tools_date_midnight(*out, zone, 0);
	return 0;
}

static int create_task_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	static const char *const importances[] = { "Low", "Normal", "High", NULL };
	static const char *const statuses[] = {
		"NotStarted", "InProgress", "Completed", "WaitingOnOthers", "Deferred", NULL
	};
	const cfg *conf = req->ctx->conf;
	const tz_zone *zone;
	const char *subject, *body, *importance, *status, *body_type = NULL, *item_id;
	const char **categories = NULL;
	size_t ncategories = 0;
	char *ews_body = NULL, due_text[32], start_text[32];
	int64_t due = 0, start = 0;
	int has_due, has_start, error;
	soap_task t;
	soap_create_task_args ta;
	json_t *created = NULL;

	if (tools_arg_str(&subject, args, "subject", 1, err) < 0 ||
	    tools_arg_str(&body, args, "body", 0, err) < 0 ||
	    tools_arg_str(&importance, args, "importance", 0, err) < 0 ||
	    tools_arg_str(&status, args, "status", 0, err) < 0 ||
	    tools_date_zone(&zone, conf, err) < 0 ||
	    task_day(&due, &has_due, args, "due_date", conf, zone, err) < 0 ||
	    task_day(&start, &has_start, args, "start_date", conf, zone, err) < 0)
		return err->code;
	if (importance && !one_of(importance, importances))
		return errinfo_set(err, ERR_INVAL, "importance: must be Low, Normal or High");
	if (status && !one_of(status, statuses))
		return errinfo_set(err, ERR_INVAL, "status: must be NotStarted, InProgress, "
				   "Completed, WaitingOnOthers or Deferred");
	if (has_due && has_start && due < start)
		return errinfo_set(err, ERR_INVAL, "due_date: must not be before start_date");
	if (tools_categories(&categories, &ncategories, args, err) < 0)
		return err->code;
	if (body && (error = tools_body(&ews_body, &body_type, body, NULL, err)) < 0) {
		free(categories);
		return error;
	}

	tools_time_utc(due_text, sizeof(due_text), due);
	tools_time_utc(start_text, sizeof(start_text), start);
	memset(&t, 0, sizeof(t));
	t.subject = subject;
	t.body = ews_body;
	t.body_type = ews_body ? body_type : NULL;
	t.categories = categories;
	t.ncategories = ncategories;
	t.importance = importance;
	t.due_date = has_due ? due_text : NULL;
	t.start_date = has_start ? start_text : NULL;
	t.status = status;
	memset(&ta, 0, sizeof(ta));
	ta.task = &t;
	error = ews_create_task(&created, &req->ews, &ta, err);
	free(categories);
	free(ews_body);
	if (error < 0)
		return error;

	item_id = json_string_value(json_object_get(json_array_get(created, 0), "item_id"));
	tools_req_touch(req, item_id);
	*data = json_pack("{s:s, s:s?, s:s, s:o, s:o, s:s, s:s}", "message", "Task created",
			  "item_id", item_id, "subject", subject,
			  "due_date", has_due ? tools_date_local(due, zone) : json_null(),
			  "start_date", has_start ? tools_date_local(start, zone) : json_null(),
			  "importance", importance ? importance : "Normal",
			  "status", status ? status : "NotStarted");
	json_decref(created);
	return *data ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

static int create_task(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, create_task_body, err);
}

static const tool_def task_tools[] = {
	{ "get_tasks", "Get tasks",
	  "List the tasks of a mailbox, newest first (open tasks only unless "
	  "include_completed), with status, progress and due date. Use target_mailbox for "
	  "another user's tasks.",
	  get_tasks_schema, NULL, TOOL_READ_ONLY | TOOL_OPEN_WORLD | TOOL_MAILBOX, get_tasks },
	{ "create_task", "Create task",
	  "Create a task with an optional due date, start date, importance and notes; with "
	  "target_mailbox, in that user's task list.",
	  create_task_schema, NULL, TOOL_OPEN_WORLD | TOOL_MAILBOX, create_task },
};

const toolset tools_tasks = { task_tools, sizeof(task_tools) / sizeof(task_tools[0]) };
