/* util.c - XML, time and status helpers of the sim (see util.h). */
#include "sim/util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int sim_x_is(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       (!local || strcmp((const char *)n->name, local) == 0);
}

xmlNode *sim_x_child(const xmlNode *parent, const char *local)
{
	xmlNode *c;

	if (!parent)
		return NULL;
	for (c = parent->children; c; c = c->next)
		if (sim_x_is(c, local))
			return c;
	return NULL;
}

xmlNode *sim_x_next(const xmlNode *n, const char *local)
{
	xmlNode *c;

	if (!n)
		return NULL;
	for (c = n->next; c; c = c->next)
		if (sim_x_is(c, local))
			return c;
	return NULL;
}

static char *trim_dup(const char *s)
{
	const char *e;
	char *d;

	if (!s)
		s = "";
	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	d = malloc((size_t)(e - s) + 1);
	if (!d)
		return NULL;
	memcpy(d, s, (size_t)(e - s));
	d[e - s] = '\0';
	return d;
}

char *sim_x_text(const xmlNode *n)
{
	xmlChar *c = n ? xmlNodeGetContent(n) : NULL;
	char *d = trim_dup((const char *)c);

	xmlFree(c);
	return d;
}

char *sim_x_attr(const xmlNode *n, const char *name)
{
	xmlChar *v;
	char *d;

	if (!n)
		return NULL;
	v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	d = trim_dup((const char *)v);
	xmlFree(v);
	return d;
}

char *sim_x_child_text(const xmlNode *parent, const char *local)
{
	xmlNode *c = sim_x_child(parent, local);

	return c ? sim_x_text(c) : NULL;
}

int sim_parse_bool(const char *s, int *out)
{
	char w[8];
	size_t n = 0;

	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	while (*s && !isspace((unsigned char)*s) && n < sizeof(w) - 1)
		w[n++] = *s++;
	w[n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return -1;
	if (strcmp(w, "true") == 0 || strcmp(w, "1") == 0)
		*out = 1;
	else if (strcmp(w, "false") == 0 || strcmp(w, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Parses the date-time; *has_zone says whether a zone was given. */
static int parse_dt(const char *s, int64_t *out, int *has_zone)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, se = 0, zh, zm;
	int64_t t;

	memset(&tm, 0, sizeof(tm));
	*has_zone = 0;
	while (s && isspace((unsigned char)*s))
		s++;
	if (!s || digits(&s, 4, &y) < 0 || *s++ != '-' ||
	    digits(&s, 2, &mo) < 0 || *s++ != '-' || digits(&s, 2, &d) < 0)
		return -1;
	if (*s == 'T') {
		s++;
		if (digits(&s, 2, &h) < 0 || *s++ != ':' ||
		    digits(&s, 2, &mi) < 0 || *s++ != ':' ||
		    digits(&s, 2, &se) < 0)
			return -1;
		if (*s == '.') {
			s++;
			while (isdigit((unsigned char)*s))
				s++;
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = (int64_t)timegm(&tm);
	if (*s == 'Z') {
		*has_zone = 1;
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s == '+' ? 1 : -1;

		s++;
		if (digits(&s, 2, &zh) < 0 || *s++ != ':' || digits(&s, 2, &zm) < 0)
			return -1;
		t -= sign * (zh * 3600 + zm * 60);
		*has_zone = 1;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return -1;
	*out = t;
	return 0;
}

int sim_time_parse(const char *s, int64_t *out)
{
	int z;

	return parse_dt(s, out, &z);
}

int sim_time_parse_ex(const char *s, int64_t *out, int *has_zone)
{
	return parse_dt(s, out, has_zone);
}

int sim_time_parse_in(const char *s, const tz_zone *zone, int64_t *out)
{
	int z;

	if (parse_dt(s, out, &z) < 0)
		return -1;
	if (!z && zone)
		*out = tz_local_to_utc(zone, *out);
	return 0;
}

void sim_time_format(char *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t sim_now(void)
{
	return (int64_t)time(NULL);
}

const char *sim_strcasestr(const char *hay, const char *needle)
{
	size_t n;

	if (!hay || !needle)
		return NULL;
	n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return n == 0 ? hay : NULL;
}

/* Exchange's MessageText for the codes the sim answers with. */
static const struct {
	const char *code;
	const char *text;
} texts[] = {
	{ "ErrorAccessDenied", "Access is denied. Check credentials and try again." },
	{ "ErrorItemNotFound", "The specified object was not found in the store." },
	{ "ErrorFolderNotFound", "The specified folder could not be found in the store." },
	{ "ErrorInvalidIdMalformed", "Id is malformed." },
	{ "ErrorInvalidIdEmpty", "Id is empty." },
	{ "ErrorInvalidChangeKey", "ChangeKey is invalid." },
	{ "ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item." },
	{ "ErrorChangeKeyRequiredForWriteOperations", "When making a write operation on an item, the change key must be passed in as part of the ItemId." },
	{ "ErrorSendAsDenied", "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account." },
	{ "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it." },
	{ "ErrorImpersonateUserDenied", "The account does not have permission to impersonate the requested user." },
	{ "ErrorInvalidExchangeImpersonationHeaderData", "The impersonation header data is invalid: ConnectingSID must contain exactly one of PrincipalName, SID, PrimarySmtpAddress or SmtpAddress, and it must not be empty." },
	{ "ErrorNonPrimarySmtpAddress", "The SMTP address format is invalid: it is not the primary SMTP address of the mailbox." },
	{ "ErrorInvalidRequest", "The request is invalid." },
	{ "ErrorInvalidSmtpAddress", "The SMTP address format is invalid." },
	{ "ErrorInvalidUserPrincipalName", "The user principal name is invalid." },
	{ "ErrorInvalidUserSid", "The SID is invalid." },
	{ "ErrorServerBusy", "The server cannot service this request right now. Try again later." },
	{ "ErrorFolderExists", "A folder with the specified name already exists." },
	{ "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted." },
	{ "ErrorMoveDistinguishedFolder", "Cannot move distinguished folder." },
	{ "ErrorNameResolutionNoResults", "No results were found." },
	{ "ErrorNameResolutionMultipleResults", "Multiple results were found." },
	{ "ErrorMailRecipientNotFound", "Unable to resolve e-mail address to an Active Directory object." },
	{ "ErrorInvalidScheduledOofDuration", "The specified duration end time must be greater than the start time and in the future." },
	{ "ErrorInvalidPagingMaxRows", "The maximum row count for paging must be greater than zero." },
	{ "ErrorInvalidIndexedPagingParameters", "The paging offset and maximum entries values must not be negative." },
	{ "ErrorCalendarViewRangeTooBig", "The time span specified by StartDate and EndDate is too large. It must be two years or less." },
	{ "ErrorCalendarEndDateIsEarlierThanStartDate", "EndDate is earlier than StartDate." },
	{ "ErrorInvalidOperation", "The operation is not valid for this object." },
	{ "ErrorInvalidValueForProperty", "The value is invalid for the property." },
	{ "ErrorInvalidPropertyRequest", "The property request is invalid." },
	{ "ErrorInvalidRecipients", "At least one recipient is required, but none were found." },
	{ "ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid." },
	{ "ErrorInvalidSubscription", "The subscription is invalid." },
	{ "ErrorSchemaValidation", "The request failed schema validation." },
	{ "ErrorInternalServerError", "An internal server error occurred. The operation failed." },
	{ "ErrorMissingEmailAddress", "When making a request as an account that does not have a mailbox, you must specify the mailbox primary SMTP address for any distinguished folder Ids." },
	{ "ErrorDistributionListMemberNotExist", "The distribution list member does not exist." },
	{ "ErrorNoFreeBusyAccess", "No free/busy access for this calendar." },
	{ "ErrorMessageDispositionRequired", "MessageDisposition attribute is required." },
	{ "ErrorSendMeetingInvitationsRequired", "SendMeetingInvitations attribute is required for calendar items." },
	{ "ErrorItemSave", "The item could not be saved." },
	{ "ErrorInvalidIdNotAnItemAttachmentId", "The Id is not an item attachment id." },
	{ "ErrorInvalidFolderId", "The folder id is invalid." },
	{ "ErrorTimeZone", "The specified time zone isn't valid." },
	{ NULL, NULL }
};

const char *sim_code_text(const char *code)
{
	size_t i;

	for (i = 0; code && texts[i].code; i++)
		if (strcmp(texts[i].code, code) == 0)
			return texts[i].text;
	return "";
}

int sim_fail(sim_status *st, const char *code)
{
	if (st && !st->code) {
		st->code = code;
		snprintf(st->text, sizeof(st->text), "%s", sim_code_text(code));
	}
	return -1;
}

int sim_failf(sim_status *st, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (st && !st->code) {
		st->code = code;
		va_start(ap, fmt);
		vsnprintf(st->text, sizeof(st->text), fmt, ap);
		va_end(ap);
	}
	return -1;
}
