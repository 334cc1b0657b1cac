/* args.c - argument helpers that name the field in every error (args.h). */
#include "tools/args.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/tz.h"
#include "ews/address.h"

int tools_arg_str(const char **out, const json_t *args, const char *name,
		  int required, errinfo *err)
{
	const json_t *v = json_object_get(args, name);
	const char *s;

	*out = NULL;
	if (v && !json_is_null(v) && !json_is_string(v))
		return errinfo_set(err, ERR_INVAL, "%s: expected a string", name);
	s = json_string_value(v);
	if (s && s[strspn(s, " \t\r\n")] == '\0')
		s = NULL;
	if (!s && required)
		return errinfo_set(err, ERR_INVAL, "%s: is required and must not be empty", name);
	*out = s;
	return 0;
}

int tools_arg_long(long *out, const json_t *args, const char *name, long def,
		   long min, long max, errinfo *err)
{
	const json_t *v = json_object_get(args, name);
	json_int_t n;

	*out = def;
	if (!v || json_is_null(v))
		return 0;
	/* 5.0 is the integer 5, as JSON Schema 2020-12 and the schema check
	 * before us say; only a fraction makes a number not an integer. */
	if (json_is_real(v) && floor(json_real_value(v)) == json_real_value(v)) {
		double d = json_real_value(v);

		if (d < (double)min || d > (double)max)
			return errinfo_set(err, ERR_INVAL, "%s: must be between %ld and %ld, got %g",
					   name, min, max, d);
		*out = (long)d;
		return 0;
	}
	if (!json_is_integer(v))
		return errinfo_set(err, ERR_INVAL, "%s: expected an integer", name);
	n = json_integer_value(v);
	if (n < min || n > max)
		return errinfo_set(err, ERR_INVAL, "%s: must be between %ld and %ld, got %lld",
				   name, min, max, (long long)n);
	*out = (long)n;
	return 0;
}

int tools_arg_bool(int *out, const json_t *args, const char *name, int def,
		   errinfo *err)
{
	const json_t *v = json_object_get(args, name);

	*out = def;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return errinfo_set(err, ERR_INVAL, "%s: expected true or false", name);
	*out = json_is_true(v);
	return 0;
}

/* The display name before "<address>": empty, a quoted string ("Brennan,
 * Bob", with \" and \\ escapes) or plain words without quotes or angle
 * brackets. NULL if acceptable, else what is wrong with it. */
static const char *display_name_problem(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return NULL;
	if (name[0] == '"') {
		if (len < 2 || name[len - 1] != '"')
			return "the display name's quotes are not closed";
		for (i = 1; i < len - 1; i++) {
			if (name[i] == '\\' && i + 1 < len - 1)
				i++;
			else if (name[i] == '\\' || name[i] == '"')
				return "a quote inside the display name's quotes must be "
				       "written \\\"";
		}
		return NULL;
	}
	for (i = 0; i < len; i++)
		if (strchr("\"<>", name[i]))
			return "put a display name with quotes or angle brackets in "
			       "double quotes";
	return NULL;
}

static int not_an_address(const char *field, const char *text, const char *why,
			  errinfo *err)
{
	char shown[128];

	ews_address_show(shown, sizeof(shown), text);
	return errinfo_set(err, ERR_INVAL, "%s '%s': is not a valid SMTP address (%s)",
			   field, shown, why);
}

int tools_address(char *out, size_t cap, const char *text, const char *field,
		  errinfo *err)
{
	const char *p, *lt = NULL, *addr = text;
	char inner[TOOLS_ADDRESS_TEXT_MAX + 1];
	size_t len, n;
	int quoted = 0;

	/* A line break anywhere, display name included, could end a mail
	 * header: refused before anything is taken apart. */
	for (p = text; *p; p++) {
		if (*p == '\r' || *p == '\n')
			return not_an_address(field, text, "contains a line break", err);
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			return not_an_address(field, text, "contains a control character", err);
	}
	while (*text == ' ' || *text == '\t')
		text++;
	len = strlen(text);
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (len > TOOLS_ADDRESS_TEXT_MAX)
		return errinfo_set(err, ERR_INVAL, "%s: longer than %d characters", field,
				   TOOLS_ADDRESS_TEXT_MAX);
	/* "Name <address>": the '<' is the first one outside quotes. */
	for (p = text; p < text + len && !lt; p++) {
		if (quoted && *p == '\\' && p + 1 < text + len)
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '<')
			lt = p;
	}
	if (lt || (len && text[len - 1] == '>')) {
		const char *gt = text + len - 1; /* must be the closing '>' */
		const char *why;

		memcpy(inner, text, len);
		inner[len] = '\0';
		if (!lt || *gt != '>' || memchr(lt + 1, '<', (size_t)(gt - lt - 1)))
			return not_an_address(field, inner, "write a display name and address as "
					      "Name <user@contoso.com>", err);
		n = (size_t)(lt - text);
		while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
			n--;
		why = display_name_problem(text, n);
		if (why)
			return not_an_address(field, inner, why, err);
		n = (size_t)(gt - lt - 1);
		memcpy(inner, lt + 1, n);
		inner[n] = '\0';
		addr = inner;
	} else {
		memcpy(inner, text, len);
		inner[len] = '\0';
		addr = inner;
	}
	if (ews_address_canonical(out, cap, addr, field, err) < 0 ||
	    ews_address_check(out, field, err) < 0)
		return err->code;
	return 0;
}

static int add_address(json_t *list, const char *text, size_t len,
		       const char *field, errinfo *err)
{
	char raw[TOOLS_ADDRESS_TEXT_MAX + 2], canon[EWS_ADDRESS_MAX + 1];
	size_t i;
	json_t *v;

	while (len && strchr(" \t", *text)) {
		text++;
		len--;
	}
	while (len && strchr(" \t", text[len - 1]))
		len--;
	if (!len)
		return 0;
	if (len >= sizeof(raw))
		return errinfo_set(err, ERR_INVAL, "%s: an address is longer than %d characters",
				   field, TOOLS_ADDRESS_TEXT_MAX);
	memcpy(raw, text, len);
	raw[len] = '\0';
	if (tools_address(canon, sizeof(canon), raw, field, err) < 0)
		return err->code;
	json_array_foreach(list, i, v)
		if (strcasecmp(json_string_value(v), canon) == 0)
			return 0;
	json_array_append_new(list, json_string(canon));
	return 0;
}

/* Splits at commas and semicolons outside quotes and angle brackets, so
 * "\"Brennan, Bob\" <bob@contoso.com>; carol@contoso.com" is two. */
static int split_addresses(json_t *list, const char *s, const char *field, errinfo *err)
{
	const char *start = s, *p;
	int quoted = 0, angle = 0;

	for (p = s;; p++) {
		if (!*p || (!quoted && !angle && (*p == ',' || *p == ';'))) {
			if (add_address(list, start, (size_t)(p - start), field, err) < 0)
				return err->code;
			if (!*p)
				return 0;
			start = p + 1;
		} else if (quoted && *p == '\\' && p[1]) {
			p++;
		} else if (*p == '"' && !angle) {
			quoted = !quoted;
		} else if (!quoted && *p == '<') {
			angle = 1;
		} else if (!quoted && *p == '>') {
			angle = 0;
		}
	}
}

int tools_arg_addresses(json_t **out, const json_t *args, const char *name,
			int required, errinfo *err)
{
	const json_t *v = json_object_get(args, name);
	json_t *list = json_array(), *item;
	char field[128];
	size_t i;

	*out = NULL;
	if (json_is_string(v)) {
		if (split_addresses(list, json_string_value(v), name, err) < 0)
			goto fail;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			snprintf(field, sizeof(field), "%s[%zu]", name, i);
			if (!json_is_string(item)) {
				errinfo_set(err, ERR_INVAL, "%s: expected an email address", field);
				goto fail;
			}
			if (split_addresses(list, json_string_value(item), field, err) < 0)
				goto fail;
		}
	} else if (v && !json_is_null(v)) {
		errinfo_set(err, ERR_INVAL, "%s: expected a list of email addresses", name);
		goto fail;
	}
	if (required && json_array_size(list) == 0) {
		errinfo_set(err, ERR_INVAL, "%s: at least one email address is required", name);
		goto fail;
	}
	*out = list;
	return 0;
fail:
	json_decref(list);
	return err->code ? err->code : ERR_INVAL;
}

/* The refusal of a date argument, whatever was wrong with it: the problem,
 * then every accepted form, naming the zone naive times are read in. */
static int bad_time(errinfo *err, const char *name, const char *timezone,
		    const char *problem)
{
	return errinfo_set(err, ERR_INVAL,
			   "%s: %s; accepted forms: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local "
			   "time in %s, the server's TIMEZONE), or YYYY-MM-DDTHH:MM[:SS] with Z "
			   "or +HH:MM (e.g. 2025-12-15, 2025-12-15T10:00, 2025-12-15T10:00:00+01:00)",
			   name, problem, timezone);
}

int tools_arg_time(int64_t *out, int *present, const json_t *args,
		   const char *name, const char *timezone, int end_of_day,
		   int required, errinfo *err)
{
	const json_t *v = json_object_get(args, name);
	const char *zone_name = timezone && timezone[0] ? timezone : "UTC";
	const tz_zone *zone = NULL;
	errinfo parse = ERRINFO_INIT;
	const char *text, *why, *cut;
	char problem[ERRINFO_MSG_MAX];
	tz_datetime dt;
	size_t n;

	*out = 0;
	*present = 0;
	if (!v || json_is_null(v)) {
		if (required)
			return bad_time(err, name, zone_name, "is required");
		return 0;
	}
	if (!json_is_string(v))
		return bad_time(err, name, zone_name, "expected a string");
	text = json_string_value(v);
	if (text[strspn(text, " \t\r\n")] == '\0')
		return bad_time(err, name, zone_name, "is empty");
	if (tz_iso_parse(&dt, text, name, &parse) < 0) {
		/* "name: 'x' is not ... (examples: ...)": keep the middle. */
		why = parse.msg;
		n = strlen(name);
		if (strncmp(why, name, n) == 0 && strncmp(why + n, ": ", 2) == 0)
			why += n + 2;
		snprintf(problem, sizeof(problem), "%s", why);
		cut = strstr(problem, " (examples:");
		if (cut)
			problem[cut - problem] = '\0';
		return bad_time(err, name, zone_name, problem);
	}
	errinfo_clear(&parse);
	if (tz_zone_get(&zone, zone_name, &parse) < 0)
		return errinfo_set(err, ERR_CONFIG, "TIMEZONE: cannot use time zone '%s': %s",
				   zone_name, parse.msg);
	*out = tz_datetime_to_utc(&dt, zone);
	if (end_of_day && dt.form == TZ_ISO_DATE)
		*out += 24 * 3600;
	*present = 1;
	return 0;
}
