/* errinfo.c - the first-message-wins error record (see errinfo.h). */
#include "core/errinfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

int errinfo_set(errinfo *err, int code, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	if (!err || err->msg[0])
		return code;
	err->code = code;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(err->msg))
		/* cut short: never in the middle of a character */
		err->msg[utf8_boundary(err->msg, strlen(err->msg))] = '\0';
	for (p = err->msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return code;
}

void errinfo_set_ews_code(errinfo *err, const char *ews_code)
{
	if (err && !err->ews_code[0] && ews_code)
		snprintf(err->ews_code, sizeof(err->ews_code), "%s", ews_code);
}

void errinfo_clear(errinfo *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

static const struct {
	int code;
	const char *name;
} names[] = {
	{ ERR_OK, "ok" },
	{ ERR_GENERIC, "error" },
	{ ERR_NOMEM, "out_of_memory" },
	{ ERR_INVAL, "invalid_input" },
	{ ERR_NOTFOUND, "not_found" },
	{ ERR_ACCESS, "access_denied" },
	{ ERR_AUTH, "authentication_failed" },
	{ ERR_CONFIG, "configuration_error" },
	{ ERR_THROTTLED, "throttled" },
	{ ERR_TRANSIENT, "transient_error" },
	{ ERR_PARSE, "parse_error" },
	{ ERR_IO, "io_error" },
	{ ERR_TIMEOUT, "timeout" },
	{ ERR_OUTCOME_UNKNOWN, "outcome_unknown" },
	{ ERR_CANCELLED, "cancelled" },
	{ ERR_LIMIT, "limit_exceeded" },
	{ ERR_PROTOCOL, "protocol_error" },
	{ ERR_CONFLICT, "conflict" },
};

const char *errinfo_code_name(int code)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == code)
			return names[i].name;
	return "error";
}
