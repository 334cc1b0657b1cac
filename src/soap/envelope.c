/* envelope.c - SOAP 1.1 envelope and EWS SOAP headers (see envelope.h).
 *
 * Header order follows what Exchange and exchangelib send; the envelope
 * wrapper schema accepts any order of EWS header elements, Exchange
 * processes each by name. */
#include "soap/envelope.h"

#include <string.h>

#include "soap/escape.h"
#include "soap/internal.h"

/* Only versions Exchange accepts as RequestServerVersion from a client
 * that targets 2010 SP2 or later (ews-protocol.md section 2). */
static const char *const supported_versions[] = {
	"Exchange2016", "Exchange2013_SP1", "Exchange2010_SP2", NULL
};

static const char *const precisions[] = { "Seconds", "Milliseconds", NULL };

int soap_version_is_supported(const char *version)
{
	size_t i;

	if (!version)
		return 0;
	for (i = 0; supported_versions[i]; i++)
		if (strcmp(version, supported_versions[i]) == 0)
			return 1;
	return 0;
}

static int check_version(const char *v, errinfo *err)
{
	if (soap_version_is_supported(v))
		return 0;
	if (v && strcmp(v, "Exchange2019") == 0)
		return errinfo_set(err, ERR_INVAL,
			"server_version: 'Exchange2019' is not a valid RequestServerVersion (Exchange 2019 rejects it); use Exchange2016");
	if (v && v[0] == 'V' && v[1] == '2')
		return errinfo_set(err, ERR_INVAL,
			"server_version: '%.32s' is a version the server reports, not one a client may request; use Exchange2016",
			soap_text_is_valid(v, strlen(v)) ? v : "?");
	return soap__enum(v, supported_versions, "server_version", err);
}

int soap_envelope_begin(buf *out, const soap_header *h, errinfo *err)
{
	static const soap_header defaults = SOAP_HEADER_INIT;
	size_t mark = out->len;
	const char *version;
	int error = 0;

	if (!h)
		h = &defaults;
	version = h->server_version ? h->server_version : "Exchange2016";
	if ((error = check_version(version, err)) < 0)
		goto cleanup;
	if (h->impersonate && !*h->impersonate) {
		error = errinfo_set(err, ERR_INVAL,
			"impersonation: the ConnectingSID address is empty (Exchange rejects an empty ExchangeImpersonation header)");
		goto cleanup;
	}
	if (h->timezone_id && !*h->timezone_id) {
		error = errinfo_set(err, ERR_INVAL,
			"timezone: the TimeZoneContext id is empty");
		goto cleanup;
	}
	if (h->datetime_precision &&
	    (error = soap__enum(h->datetime_precision, precisions,
				"datetime_precision", err)) < 0)
		goto cleanup;
	if (h->mailbox_culture && !*h->mailbox_culture) {
		error = errinfo_set(err, ERR_INVAL, "mailbox_culture: must not be empty");
		goto cleanup;
	}

	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		 "<soap:Envelope xmlns:soap=\"" SOAP_NS_ENVELOPE "\""
		 " xmlns:t=\"" SOAP_NS_TYPES "\""
		 " xmlns:m=\"" SOAP_NS_MESSAGES "\">"
		 "<soap:Header>");
	buf_printf(out, "<t:RequestServerVersion Version=\"%s\"/>", version);
	if ((error = soap__elem(out, "t:MailboxCulture", h->mailbox_culture,
				"mailbox_culture", err)) < 0)
		goto cleanup;
	if (h->impersonate) {
		buf_puts(out, "<t:ExchangeImpersonation><t:ConnectingSID>");
		if ((error = soap__elem(out, "t:PrimarySmtpAddress", h->impersonate,
					"impersonation", err)) < 0)
			goto cleanup;
		buf_puts(out, "</t:ConnectingSID></t:ExchangeImpersonation>");
	}
	if (h->timezone_id) {
		buf_puts(out, "<t:TimeZoneContext><t:TimeZoneDefinition");
		if ((error = soap__attr(out, "Id", h->timezone_id, "timezone", err)) < 0)
			goto cleanup;
		buf_puts(out, "/></t:TimeZoneContext>");
	}
	if (h->datetime_precision)
		buf_printf(out, "<t:DateTimePrecision>%s</t:DateTimePrecision>",
			   h->datetime_precision);
	buf_puts(out, "</soap:Header><soap:Body>");
	if (buf_failed(out))
		error = errinfo_set(err, ERR_NOMEM, "SOAP envelope: request buffer cap reached");
cleanup:
	if (error < 0 && !buf_failed(out))
		buf_truncate(out, mark);
	return error;
}

int soap_envelope_end(buf *out, errinfo *err)
{
	buf_puts(out, "</soap:Body></soap:Envelope>");
	if (buf_failed(out))
		return errinfo_set(err, ERR_NOMEM,
			"SOAP request is larger than its buffer cap (%zu bytes)", out->cap);
	return 0;
}
