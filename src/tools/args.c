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

static int add_address(json_t *list, const char *text, size_t len,
		       const char *field, errinfo *err)
{
	char raw[EWS_ADDRESS_MAX + 2], canon[EWS_ADDRESS_MAX + 1];
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
				   field, EWS_ADDRESS_MAX);
	memcpy(raw, text, len);
	raw[len] = '\0';
	if (ews_address_canonical(canon, sizeof(canon), raw, field, err) < 0 ||
	    ews_address_check(canon, field, err) < 0)
		return err->code;
	json_array_foreach(list, i, v)
		if (strcasecmp(json_string_value(v), canon) == 0)
			return 0;
	json_array_append_new(list, json_string(canon));
	return 0;
}

static int split_addresses(json_t *list, const char *s, const char *field, errinfo *err)
{
	while (*s) {
		size_t n = strcspn(s, ",;");

		if (add_address(list, s, n, field, err) < 0)
			return err->code;
		s += n;
		if (*s)
			s++;
	}
	return 0;
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

int tools_arg_time(int64_t *out, int *present, const json_t *args,
		   const char *name, const char *timezone, int end_of_day,
		   int required, errinfo *err)
{
	const tz_zone *zone = NULL;
	const char *text;
	tz_datetime dt;

	*out = 0;
	*present = 0;
	if (tools_arg_str(&text, args, name, required, err) < 0)
		return err->code;
	if (!text)
		return 0;
	if (tz_iso_parse(&dt, text, name, err) < 0)
		return err->code;
	if (tz_zone_get(&zone, timezone ? timezone : "UTC", err) < 0)
		return errinfo_set(err, ERR_CONFIG, "TIMEZONE: unknown time zone '%s'", timezone);
	*out = tz_datetime_to_utc(&dt, zone);
	if (end_of_day && dt.form == TZ_ISO_DATE)
		*out += 24 * 3600;
	*present = 1;
	return 0;
}
