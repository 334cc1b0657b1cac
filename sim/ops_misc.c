/* ops_misc.c - GetServerTimeZones (a fixed table of common Windows zones
 * with their standard and daylight offsets) and ConvertId between the
 * sim's EwsId and its EntryId/HexEntryId forms (the same binary id). */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/b64.h"
#include "sim/ids.h"
#include "soap/escape.h"

static const struct {
	const char *id;
	const char *name;
	const char *std_bias;   /* xs:duration, west-positive like EWS */
	const char *dst_bias;   /* NULL: no daylight time */
} zones[] = {
	{ "UTC", "(UTC) Coordinated Universal Time", "PT0M", NULL },
	{ "GMT Standard Time", "(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "PT0M", "-PT1H" },
	{ "W. Europe Standard Time", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "-PT1H", "-PT2H" },
	{ "Romance Standard Time", "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "-PT1H", "-PT2H" },
	{ "Central Europe Standard Time", "(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague", "-PT1H", "-PT2H" },
	{ "FLE Standard Time", "(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius", "-PT2H", "-PT3H" },
	{ "Eastern Standard Time", "(UTC-05:00) Eastern Time (US & Canada)", "PT5H", "PT4H" },
	{ "Central Standard Time", "(UTC-06:00) Central Time (US & Canada)", "PT6H", "PT5H" },
	{ "Mountain Standard Time", "(UTC-07:00) Mountain Time (US & Canada)", "PT7H", "PT6H" },
	{ "Pacific Standard Time", "(UTC-08:00) Pacific Time (US & Canada)", "PT8H", "PT7H" },
	{ "India Standard Time", "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "-PT5H30M", NULL },
	{ "China Standard Time", "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi", "-PT8H", NULL },
	{ "Tokyo Standard Time", "(UTC+09:00) Osaka, Sapporo, Tokyo", "-PT9H", NULL },
	{ "AUS Eastern Standard Time", "(UTC+10:00) Canberra, Melbourne, Sydney", "-PT10H", "-PT11H" },
	{ NULL, NULL, NULL, NULL }
};

static void write_zone(buf *b, size_t i)
{
	buf_puts(b, "<t:TimeZoneDefinition Id=\"");
	soap_put_attr(b, zones[i].id);
	buf_puts(b, "\" Name=\"");
	soap_put_attr(b, zones[i].name);
	buf_printf(b, "\"><t:Periods><t:Period Bias=\"%s\" Name=\"Standard\" "
		   "Id=\"trule:Microsoft/Registry/", zones[i].std_bias);
	soap_put_attr(b, zones[i].id);
	buf_puts(b, "/2006-Standard\"/>");
	if (zones[i].dst_bias) {
		buf_printf(b, "<t:Period Bias=\"%s\" Name=\"Daylight\" "
			   "Id=\"trule:Microsoft/Registry/", zones[i].dst_bias);
		soap_put_attr(b, zones[i].id);
		buf_puts(b, "/2006-Daylight\"/>");
	}
	buf_puts(b, "</t:Periods></t:TimeZoneDefinition>");
}

int sim_op_get_server_time_zones(sim_req *r, const xmlNode *op)
{
	xmlNode *ids = sim_x_child(op, "Ids"), *c;
	size_t i;

	buf_puts(r->out, "<m:GetServerTimeZonesResponse><m:ResponseMessages>");
	sim_rm_open(r->out, "GetServerTimeZonesResponseMessage", NULL);
	buf_puts(r->out, "<m:TimeZoneDefinitions>");
	for (i = 0; zones[i].id; i++) {
		int want = !ids;

		for (c = sim_x_child(ids, "Id"); c && !want; c = sim_x_next(c, "Id")) {
			char *t = sim_x_text(c);

			want = t && strcmp(t, zones[i].id) == 0;
			free(t);
		}
		if (want)
			write_zone(r->out, i);
	}
	buf_puts(r->out, "</m:TimeZoneDefinitions>");
	sim_rm_close(r->out, "GetServerTimeZonesResponseMessage");
	buf_puts(r->out, "</m:ResponseMessages></m:GetServerTimeZonesResponse>");
	return 0;
}

/* Decodes an id in format fmt to the binary form; 0 or -1. */
static int to_raw(buf *raw, const char *fmt, const char *id)
{
	size_t i, n;

	if (strcmp(fmt, "HexEntryId") == 0) {
		n = strlen(id);
		if (n % 2)
			return -1;
		for (i = 0; i < n; i += 2) {
			unsigned v;

			if (sscanf(id + i, "%2x", &v) != 1)
				return -1;
			buf_putc(raw, (char)v);
		}
		return buf_failed(raw) ? -1 : 0;
	}
	return b64_decode(raw, id, strlen(id), B64_STRICT, NULL) < 0 ? -1 : 0;
}

int sim_op_convert_id(sim_req *r, const xmlNode *op)
{
	char *dest = sim_x_attr(op, "DestinationFormat");
	xmlNode *src = sim_x_child(op, "SourceIds"), *c;

	buf_puts(r->out, "<m:ConvertIdResponse><m:ResponseMessages>");
	for (c = sim_x_child(src, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		char *fmt = sim_x_attr(c, "Format"), *id = sim_x_attr(c, "Id");
		char *mbx = sim_x_attr(c, "Mailbox");
		buf raw = BUF_INIT(256), out = BUF_INIT(1024), idtext = BUF_INIT(256);
		sim_id sid;
		size_t i;

		if (!fmt || !id || !dest || to_raw(&raw, fmt, id) < 0 ||
		    b64_encode(&idtext, raw.ptr ? raw.ptr : "", raw.len, NULL) < 0 ||
		    sim_id_decode(&sid, buf_cstr(&idtext)) < 0) {
			sim_fail(&st, "ErrorInvalidIdMalformed");
		} else if (sid.mailbox - 1 >= (int)r->ctx->org->nusers) {
			sim_fail(&st, "ErrorItemNotFound");
		} else if (strcmp(dest, "HexEntryId") == 0) {
			for (i = 0; i < raw.len; i++)
				buf_printf(&out, "%02X", (unsigned char)raw.ptr[i]);
		} else if (strcmp(dest, "EwsId") == 0 || strcmp(dest, "EntryId") == 0 ||
			   strcmp(dest, "EwsLegacyId") == 0 || strcmp(dest, "OwaId") == 0) {
			buf_puts(&out, buf_cstr(&idtext));
		} else {
			sim_failf(&st, "ErrorInvalidRequest",
				  "DestinationFormat %s is not supported by ews-sim.", dest);
		}
		sim_rm_open(r->out, "ConvertIdResponseMessage", st.code ? &st : NULL);
		if (!st.code) {
			buf_printf(r->out, "<m:AlternateId xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
				   "xsi:type=\"t:AlternateIdType\" Format=\"%s\" Id=\"", dest);
			soap_put_attr(r->out, buf_cstr(&out));
			buf_puts(r->out, "\" Mailbox=\"");
			soap_put_attr(r->out, mbx && *mbx ? mbx
				      : r->ctx->org->users[SIM_USER(sid.mailbox)].smtp);
			buf_puts(r->out, "\"/>");
		}
		sim_rm_close(r->out, "ConvertIdResponseMessage");
		free(fmt);
		free(id);
		free(mbx);
		buf_dispose(&raw);
		buf_dispose(&out);
		buf_dispose(&idtext);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:ConvertIdResponse>");
	free(dest);
	return 0;
}
