/* check.c - value checks and small writers shared by the request builders
 * (see internal.h). Values the schema would reject are refused here with a
 * message naming the field, instead of being sent for Exchange to answer
 * with ErrorSchemaValidation. */
#include "soap/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "soap/escape.h"

const char *const soap__body_types[] = { "HTML", "Text", NULL };
const char *const soap__importances[] = { "Low", "Normal", "High", NULL };
const char *const soap__dispositions[] = { "SaveOnly", "SendOnly",
					   "SendAndSaveCopy", NULL };
const char *const soap__delete_types[] = { "HardDelete", "SoftDelete",
					   "MoveToDeletedItems", NULL };
const char *const soap__invitations[] = { "SendToNone", "SendOnlyToAll",
					  "SendToAllAndSaveCopy", NULL };

/* Finds the first byte position where text stops being valid, to say
 * whether it is a forbidden character or broken UTF-8. */
int soap__text_error(errinfo *err, const char *field, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i, n = text ? strlen(text) : 0;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return errinfo_set(err, ERR_INVAL,
				"%s: contains a control character XML cannot carry (byte 0x%02x at offset %zu)",
				field, s[i], i);
	}
	if (!soap_text_is_valid(text, n))
		return errinfo_set(err, ERR_INVAL,
			"%s: is not valid UTF-8 or contains a character XML cannot carry",
			field);
	return errinfo_set(err, ERR_INVAL, "%s: text is too large for the request", field);
}

int soap__put_text(buf *b, const char *text, const char *field, errinfo *err)
{
	if (soap_put_text(b, text) < 0) {
		if (buf_failed(b))
			return errinfo_set(err, ERR_NOMEM, "%s: request too large", field);
		return soap__text_error(err, field, text);
	}
	return 0;
}

int soap__elem(buf *b, const char *elem, const char *text, const char *field,
	       errinfo *err)
{
	int error;

	if (!text)
		return 0;
	buf_printf(b, "<%s>", elem);
	error = soap__put_text(b, text, field, err);
	buf_printf(b, "</%s>", elem);
	return error;
}

int soap__elem_req(buf *b, const char *elem, const char *text,
		   const char *field, errinfo *err)
{
	int error = soap__required(text, field, err);

	if (error < 0)
		return error;
	return soap__elem(b, elem, text, field, err);
}

int soap__attr(buf *b, const char *name, const char *value, const char *field,
	       errinfo *err)
{
	buf_printf(b, " %s=\"", name);
	if (soap_put_attr(b, value) < 0) {
		if (buf_failed(b))
			return errinfo_set(err, ERR_NOMEM, "%s: request too large", field);
		return soap__text_error(err, field, value);
	}
	buf_putc(b, '"');
	return 0;
}

void soap__bool(buf *b, const char *elem, soap_tristate v)
{
	if (v == SOAP_UNSET)
		return;
	buf_printf(b, "<%s>%s</%s>", elem, v == SOAP_TRUE ? "true" : "false", elem);
}

int soap__enum(const char *value, const char *const *allowed,
	       const char *field, errinfo *err)
{
	char list[512];
	size_t i, used = 0;

	if (value) {
		for (i = 0; allowed[i]; i++)
			if (strcmp(value, allowed[i]) == 0)
				return 0;
	}
	list[0] = '\0';
	for (i = 0; allowed[i] && used < sizeof(list); i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s",
				 i ? ", " : "", allowed[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (!value)
		return errinfo_set(err, ERR_INVAL, "%s: is required (one of %s)",
				   field, list);
	/* The value is user text: keep it out of the message if it is odd. */
	if (strlen(value) > 64 || !soap_text_is_valid(value, strlen(value)))
		return errinfo_set(err, ERR_INVAL, "%s: invalid value, expected one of %s",
				   field, list);
	return errinfo_set(err, ERR_INVAL, "%s: '%s' is not one of %s",
			   field, value, list);
}

int soap__required(const char *value, const char *field, errinfo *err)
{
	if (!value)
		return errinfo_set(err, ERR_INVAL, "%s: is required", field);
	if (!*value)
		return errinfo_set(err, ERR_INVAL, "%s: must not be empty", field);
	return 0;
}

static int digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * civil-days algorithm, restated). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int soap__datetime(const char *v, const char *field, long long *epoch,
		   errinfo *err)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int Y, M, D, h, m, s, oh = 0, om = 0, sign = 0;
	const char *p;

	if (!v || !*v)
		return errinfo_set(err, ERR_INVAL, "%s: a date-time is required", field);
	if (strlen(v) < 19 || digits(v, 4, &Y) < 0 || v[4] != '-' ||
	    digits(v + 5, 2, &M) < 0 || v[7] != '-' || digits(v + 8, 2, &D) < 0 ||
	    v[10] != 'T' || digits(v + 11, 2, &h) < 0 || v[13] != ':' ||
	    digits(v + 14, 2, &m) < 0 || v[16] != ':' || digits(v + 17, 2, &s) < 0)
		goto bad;
	if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 || s > 59)
		goto bad;
	if (M == 2 && D == 29 && !(Y % 4 == 0 && (Y % 100 != 0 || Y % 400 == 0)))
		goto bad;
	p = v + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			goto bad;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (digits(p + 1, 2, &oh) < 0 || p[3] != ':' || digits(p + 4, 2, &om) < 0 ||
		    oh > 14 || om > 59)
			goto bad;
		p += 6;
	}
	if (*p)
		goto bad;
	if (epoch)
		*epoch = days_from_civil(Y, M, D) * 86400LL + h * 3600 + m * 60 + s -
			 sign * (oh * 3600 + om * 60);
	return 0;
bad:
	if (strlen(v) <= 40 && soap_text_is_valid(v, strlen(v)))
		return errinfo_set(err, ERR_INVAL,
			"%s: '%s' is not an ISO 8601 date-time like 2024-05-02T08:00:00Z",
			field, v);
	return errinfo_set(err, ERR_INVAL,
		"%s: is not an ISO 8601 date-time like 2024-05-02T08:00:00Z", field);
}

int soap__time_range(const char *start, const char *end, const char *field,
		     errinfo *err)
{
	long long a, b;
	int error;

	if (!start || !end)
		return 0;
	if ((error = soap__datetime(start, field, &a, err)) < 0 ||
	    (error = soap__datetime(end, field, &b, err)) < 0)
		return error;
	if (b < a)
		return errinfo_set(err, ERR_INVAL, "%s: end (%s) is before start (%s)",
				   field, end, start);
	return 0;
}

int soap__count(size_t n, size_t max, const char *field, errinfo *err)
{
	if (n == 0)
		return errinfo_set(err, ERR_INVAL, "%s: at least one entry is required",
				   field);
	if (n > max)
		return errinfo_set(err, ERR_INVAL, "%s: at most %zu entries per request, got %zu",
				   field, max, n);
	return 0;
}

void soap__fmt(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(dst, n, fmt, ap);
	va_end(ap);
	if (k < 0 && n)
		dst[0] = '\0';
}

const char *soap__field_idx(char *dst, size_t n, const char *base, size_t i)
{
	soap__fmt(dst, n, "%s[%zu]", base, i);
	return dst;
}

int soap__request_begin(buf *out, size_t *mark, const soap_header *h,
			errinfo *err)
{
	*mark = out->len;
	return soap_envelope_begin(out, h, err);
}

int soap__request_finish(buf *out, size_t mark, int error, const char *op,
			 errinfo *err)
{
	if (error >= 0)
		error = soap_envelope_end(out, err);
	if (error >= 0)
		return 0;
	if (mark == 0)
		buf_clear(out);
	else
		buf_truncate(out, mark);
	/* Every failure has set err by now; this only names the operation
	 * when nothing did (defensive, first message wins). */
	return errinfo_set(err, error, "%s: request could not be built", op);
}
