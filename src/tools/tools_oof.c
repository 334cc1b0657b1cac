/* tools_oof.c - MCP tools for automatic replies (out of office):
 * get_oof_settings, set_oof_settings. Uses ews_* operations only.
 *
 * Exchange replaces the whole setting on SetUserOofSettings, so setting
 * reads the current one first and sends it back with only what the caller
 * gave changed: switching OOF on does not wipe the replies or the window
 * a user wrote in Outlook. Windows are sent in UTC (a naive local time
 * sent as is would be read in the server's zone, the Python server's
 * issue #121).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ews/ops.h"
#include "tools/args.h"
#include "tools/convert.h"
#include "tools/dates.h"
#include "tools/families.h"
#include "tools/runner.h"

/* The UTC seconds of oof's window bound key ("start" or "end"); 0, or -1
 * when there is none. */
static int window_bound(int64_t *out, const json_t *oof, const char *key)
{
	return tools_date_from_exchange(out, json_string_value(json_object_get(oof, key)));
}

/* The settings object both tools return: {state, external_audience,
 * internal_reply, external_reply, start_time?, end_time?,
 * currently_active, allow_external_oof?} with the window in local time. */
static json_t *settings_json(const json_t *oof, const tz_zone *zone, int64_t now)
{
	const char *state = json_string_value(json_object_get(oof, "state"));
	const char *audience = json_string_value(json_object_get(oof, "external_audience"));
	const char *in = json_string_value(json_object_get(oof, "internal_reply"));
	const char *ex = json_string_value(json_object_get(oof, "external_reply"));
	int64_t start, end;
	int has_window, active;
	json_t *s;

	has_window = window_bound(&start, oof, "start") == 0 && window_bound(&end, oof, "end") == 0;
	state = state ? state : "Disabled";
	active = strcmp(state, "Enabled") == 0 ||
		 (strcmp(state, "Scheduled") == 0 && has_window && start <= now && now < end);
	s = json_pack("{s:s, s:s, s:s, s:s, s:b}", "state", state,
		      "external_audience", audience ? audience : "None",
		      "internal_reply", in ? in : "", "external_reply", ex ? ex : "",
		      "currently_active", active);
	if (s && has_window) {
		json_object_set_new(s, "start_time", tools_date_local(start, zone));
		json_object_set_new(s, "end_time", tools_date_local(end, zone));
	}
	if (s && json_object_get(oof, "allow_external_oof"))
		json_object_set(s, "allow_external_oof", json_object_get(oof, "allow_external_oof"));
	return s;
}

/* ---- get_oof_settings ------------------------------------------------------------ */

static const char get_oof_settings_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"additionalProperties\":false}";

static int get_oof_settings_body(json_t **data, tools_req *req, const json_t *args,
				 errinfo *err)
{
	const tz_zone *zone;
	json_t *oof = NULL, *settings;
	char message[64];
	int error;

	(void)args;
	if (tools_date_zone(&zone, req->ctx->conf, err) < 0)
		return err->code;
	error = ews_get_user_oof_settings(&oof, &req->ews, err);
	if (error < 0)
		return error;
	settings = settings_json(oof, zone, (int64_t)time(NULL));
	json_decref(oof);
	if (!settings)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	snprintf(message, sizeof(message), "Out-of-office is %s%s",
		 json_string_value(json_object_get(settings, "state")),
		 json_is_true(json_object_get(settings, "currently_active")) ? " (active now)" : "");
	*data = json_pack("{s:s, s:o}", "message", message, "settings", settings);
	return *data ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

static int get_oof_settings(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, get_oof_settings_body, err);
}

/* ---- set_oof_settings ---------------------------------------------------------------- */

#define REPLY_MAX "100000"

static const char set_oof_settings_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"state\":{\"type\":\"string\",\"enum\":[\"Enabled\",\"Scheduled\",\"Disabled\"],"
	"\"description\":\"Enabled (now, until switched off), Scheduled (between start_time "
	"and end_time) or Disabled.\"},"
	"\"internal_reply\":{\"type\":\"string\",\"maxLength\":" REPLY_MAX ",\"description\":"
	"\"Reply to people in the organisation (HTML allowed). Unchanged when omitted.\"},"
	"\"external_reply\":{\"type\":\"string\",\"maxLength\":" REPLY_MAX ",\"description\":"
	"\"Reply to people outside it. Unchanged when omitted.\"},"
	"\"start_time\":{" TOOLS_DATE_TYPE ",\"description\":"
	"\"Start of a Scheduled period, ISO 8601 (without Z or an offset: the server's "
	"TIMEZONE). Unchanged when omitted.\"},"
	"\"end_time\":{" TOOLS_DATE_TYPE ",\"description\":"
	"\"End of a Scheduled period; a date alone includes that whole day. Unchanged when "
	"omitted.\"},"
	"\"external_audience\":{\"type\":\"string\",\"enum\":[\"None\",\"Known\",\"All\"],"
	"\"description\":\"Who outside the organisation gets the external reply: nobody, "
	"senders in the contacts, or everyone. Unchanged when omitted.\"},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"state\"],\"additionalProperties\":false}";

static int enum_arg(const char **out, const json_t *args, const char *name,
		    const char *const *allowed, const char *expected, int required, errinfo *err)
{
	size_t i;

	if (tools_arg_str(out, args, name, required, err) < 0)
		return err->code;
	if (!*out)
		return 0;
	for (i = 0; allowed[i]; i++)
		if (strcmp(*out, allowed[i]) == 0)
			return 0;
	return errinfo_set(err, ERR_INVAL, "%s: must be %s", name, expected);
}

/* A reply argument: NULL when absent; "" is a real value (no reply). */
static int reply_arg(const char **out, const json_t *args, const char *name, errinfo *err)
{
	const json_t *v = json_object_get(args, name);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return errinfo_set(err, ERR_INVAL, "%s: expected a string", name);
	*out = json_string_value(v);
	return 0;
}

static int set_oof_settings_body(json_t **data, tools_req *req, const json_t *args,
				 errinfo *err)
{
	static const char *const states[] = { "Enabled", "Scheduled", "Disabled", NULL };
	static const char *const audiences[] = { "None", "Known", "All", NULL };
	const cfg *conf = req->ctx->conf;
	const tz_zone *zone;
	const char *state, *audience, *internal, *external;
	int64_t start = 0, end = 0, cur_start, cur_end;
	int has_start, has_end, given_window, error;
	char start_text[32], end_text[32];
	soap_set_oof_args sa;
	json_t *current = NULL, *answer = NULL, *now = NULL, *settings;
	errinfo reread = ERRINFO_INIT;

	if (enum_arg(&state, args, "state", states, "Enabled, Scheduled or Disabled", 1, err) < 0 ||
	    enum_arg(&audience, args, "external_audience", audiences, "None, Known or All", 0,
		     err) < 0 ||
	    reply_arg(&internal, args, "internal_reply", err) < 0 ||
	    reply_arg(&external, args, "external_reply", err) < 0 ||
	    tools_arg_time(&start, &has_start, args, "start_time", conf->timezone, 0, 0, err) < 0 ||
	    tools_arg_time(&end, &has_end, args, "end_time", conf->timezone, 1, 0, err) < 0 ||
	    tools_date_zone(&zone, conf, err) < 0)
		return err->code;
	if (has_start && has_end && end <= start)
		return errinfo_set(err, ERR_INVAL, "end_time: must be after start_time");
	given_window = has_start || has_end;

	error = ews_get_user_oof_settings(&current, &req->ews, err);
	if (error < 0)
		return error;
	/* Keep what the caller did not give. */
	if (!has_start && window_bound(&cur_start, current, "start") == 0) {
		start = cur_start;
		has_start = 1;
	}
	if (!has_end && window_bound(&cur_end, current, "end") == 0) {
		end = cur_end;
		has_end = 1;
	}
	if (!internal)
		internal = json_string_value(json_object_get(current, "internal_reply"));
	if (!external)
		external = json_string_value(json_object_get(current, "external_reply"));
	if (!audience)
		audience = json_string_value(json_object_get(current, "external_audience"));

	if (strcmp(state, "Scheduled") == 0 && (!has_start || !has_end)) {
		error = errinfo_set(err, ERR_INVAL, "%s: a Scheduled out-of-office needs "
				    "start_time and end_time", has_start ? "end_time" : "start_time");
		goto done;
	}
	if (given_window && (!has_start || !has_end)) {
		error = errinfo_set(err, ERR_INVAL, "%s: give start_time and end_time together "
				    "(the mailbox has no current period to keep)",
				    has_start ? "end_time" : "start_time");
		goto done;
	}
	/* A window half given and half kept must still make sense; a stale
	 * window nobody asked for is simply not sent back. */
	if ((strcmp(state, "Scheduled") == 0 || given_window) && has_start && has_end &&
	    end <= start) {
		error = errinfo_set(err, ERR_INVAL, "end_time: must be after start_time "
				    "(the current window is kept for what you omit)");
		goto done;
	}
	memset(&sa, 0, sizeof(sa));
	sa.state = state;
	sa.external_audience = audience;
	sa.internal_reply = internal;
	sa.external_reply = external;
	if (has_start && has_end && end > start) {
		tools_time_utc(start_text, sizeof(start_text), start);
		tools_time_utc(end_text, sizeof(end_text), end);
		sa.start = start_text;
		sa.end = end_text;
	}
	error = ews_set_user_oof_settings(&answer, &req->ews, &sa, err);
	if (error < 0)
		goto done;

	/* Report what Exchange now holds (it may rewrite the replies as HTML);
	 * if reading back fails, what was sent is what holds. */
	if (ews_get_user_oof_settings(&now, &req->ews, &reread) < 0) {
		now = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "state", state,
				"external_audience", audience, "internal_reply", internal,
				"external_reply", external, "start", sa.start, "end", sa.end);
	}
	settings = now ? settings_json(now, zone, (int64_t)time(NULL)) : NULL;
	*data = settings ? json_pack("{s:s, s:o}", "message", "Out-of-office settings updated",
				     "settings", settings) : NULL;
	if (!*data)
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
done:
	json_decref(current);
	json_decref(answer);
	json_decref(now);
	return error < 0 ? error : 0;
}

static int set_oof_settings(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, set_oof_settings_body, err);
}

static const tool_def oof_tools[] = {
	{ "get_oof_settings", "Get out-of-office settings",
	  "Read a mailbox's automatic replies (out of office): state, scheduled period, "
	  "internal and external reply texts, and whether they are active now. Use "
	  "target_mailbox for another user.",
	  get_oof_settings_schema, NULL, TOOL_READ_ONLY | TOOL_OPEN_WORLD | TOOL_MAILBOX,
	  get_oof_settings },
	{ "set_oof_settings", "Set out-of-office settings",
	  "Turn automatic replies (out of office) on, off or on for a scheduled period, "
	  "and set their texts; anything not given stays as it is. Use target_mailbox for "
	  "another user.",
	  set_oof_settings_schema, NULL, TOOL_OPEN_WORLD | TOOL_IDEMPOTENT | TOOL_MAILBOX,
	  set_oof_settings },
};

const toolset tools_oof = { oof_tools, sizeof(oof_tools) / sizeof(oof_tools[0]) };
