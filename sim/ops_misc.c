/* ops_misc.c - GetServerTimeZones (every Windows zone the sim knows,
 * described from tzdata by tzdef.c) and ConvertId between the sim's EwsId
 * and its EntryId/HexEntryId forms (the same binary id). */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/b64.h"
#include "sim/ids.h"
#include "sim/tzdef.h"
#include "soap/escape.h"

/* Full definitions describe the rules of last year, this year and next
 * year: enough for any meeting a client is likely to schedule or read. */
#define TZ_YEARS 3

/* 1 if the Ids filter (NULL: none) names this zone; ids are compared
 * ignoring case, as the sim's table is. */
static int wanted(const xmlNode *ids, const char *id)
{
	xmlNode *c;
	int want = 0;

	if (!ids)
		return 1;
	for (c = sim_x_child(ids, "Id"); c && !want; c = sim_x_next(c, "Id")) {
		char *t = sim_x_text(c);

		want = t && sim_tzdef_id(t) == id;
		free(t);
	}
	return want;
}

/* GetServerTimeZones: every zone of the Windows <-> IANA table (or those
 * the Ids filter names, in table order; ids the server does not know are
 * left out), with Periods and transitions unless ReturnFullTimeZoneData
 * is false (it defaults to true, per the GetServerTimeZones element's
 * reference page). A zone whose tzdata cannot be loaded is left out. */
int sim_op_get_server_time_zones(sim_req *r, const xmlNode *op)
{
	xmlNode *ids = sim_x_child(op, "Ids");
	char *full_s = sim_x_attr(op, "ReturnFullTimeZoneData");
	const char *id, *iana;
	int full = 1, y, m, d;
	size_t i;

	if (full_s && sim_parse_bool(full_s, &full) < 0) {
		sim_failf(&r->fault, "ErrorSchemaValidation",
			  "The request failed schema validation: ReturnFullTimeZoneData "
			  "must be true or false, not \"%.64s\".", full_s);
		free(full_s);
		return -1;
	}
	free(full_s);
	tz_civil_from_days(&y, &m, &d, sim_now() / 86400);
	buf_puts(r->out, "<m:GetServerTimeZonesResponse><m:ResponseMessages>");
	sim_rm_open(r->out, "GetServerTimeZonesResponseMessage", NULL);
	buf_puts(r->out, "<m:TimeZoneDefinitions>");
	for (i = 0; tz_windows_entry(&id, &iana, i) == 0; i++)
		if (wanted(ids, id))
			sim_tzdef_write(r->out, "TimeZoneDefinition", id, full, y - 1,
					TZ_YEARS);
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
