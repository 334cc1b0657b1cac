/* props.c - property tables in schema order, and reading/writing item
 * properties between request XML, JSON and response XML (see props.h).
 * Every value is written through soap_put_text/soap_put_attr. */
#include "sim/props.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/b64.h"
#include "sim/ids.h"
#include "sim/tzdef.h"
#include "soap/escape.h"

#define D P_DEFAULT
#define NF P_NOFIND
#define RO P_RO

/* t:ItemType, in xs:sequence order (the properties the sim models). */
static const sim_prop item_props[] = {
	{ "MimeContent", "item:MimeContent", PT_SPECIAL, NF | RO, NULL },
	{ "ItemId", "item:ItemId", PT_SPECIAL, RO, NULL },
	{ "ParentFolderId", "item:ParentFolderId", PT_SPECIAL, RO, NULL },
	{ "ItemClass", "item:ItemClass", PT_STR, 0, NULL },
	{ "Subject", "item:Subject", PT_STR, D, NULL },
	{ "Sensitivity", "item:Sensitivity", PT_STR, 0, NULL },
	{ "Body", "item:Body", PT_BODY, D | NF, NULL },
	{ "Attachments", "item:Attachments", PT_SPECIAL, D | NF | RO, NULL },
	{ "DateTimeReceived", "item:DateTimeReceived", PT_DATE, D | RO, NULL },
	{ "Size", "item:Size", PT_SPECIAL, D | RO, NULL },
	{ "Categories", "item:Categories", PT_STRS, 0, NULL },
	{ "Importance", "item:Importance", PT_STR, D, NULL },
	{ "InReplyTo", "item:InReplyTo", PT_STR, 0, NULL },
	{ "IsSubmitted", "item:IsSubmitted", PT_BOOL, RO, NULL },
	{ "IsDraft", "item:IsDraft", PT_BOOL, RO, NULL },
	{ "IsFromMe", "item:IsFromMe", PT_BOOL, RO, NULL },
	{ "DateTimeSent", "item:DateTimeSent", PT_DATE, D | RO, NULL },
	{ "DateTimeCreated", "item:DateTimeCreated", PT_DATE, D | RO, NULL },
	{ "ReminderDueBy", "item:ReminderDueBy", PT_DATE, 0, NULL },
	{ "ReminderIsSet", "item:ReminderIsSet", PT_BOOL, 0, NULL },
	{ "ReminderMinutesBeforeStart", "item:ReminderMinutesBeforeStart", PT_INT, 0, NULL },
	{ "DisplayCc", "item:DisplayCc", PT_SPECIAL, D | RO, NULL },
	{ "DisplayTo", "item:DisplayTo", PT_SPECIAL, D | RO, NULL },
	{ "HasAttachments", "item:HasAttachments", PT_SPECIAL, D | RO, NULL },
	{ "Culture", "item:Culture", PT_STR, 0, NULL },
	{ "LastModifiedTime", "item:LastModifiedTime", PT_DATE, RO, NULL },
	{ "ConversationId", "item:ConversationId", PT_IDREF, RO, NULL },
	{ "Preview", "item:Preview", PT_SPECIAL, RO, NULL },
	{ NULL, NULL, PT_STR, 0, NULL }
};

/* t:MessageType. */
static const sim_prop message_props[] = {
	{ "Sender", "message:Sender", PT_MBX, D | RO, NULL },
	{ "ToRecipients", "message:ToRecipients", PT_MBXS, D | NF, NULL },
	{ "CcRecipients", "message:CcRecipients", PT_MBXS, D | NF, NULL },
	{ "BccRecipients", "message:BccRecipients", PT_MBXS, D | NF, NULL },
	{ "IsReadReceiptRequested", "message:IsReadReceiptRequested", PT_BOOL, D, NULL },
	{ "IsDeliveryReceiptRequested", "message:IsDeliveryReceiptRequested", PT_BOOL, D, NULL },
	{ "ConversationTopic", "message:ConversationTopic", PT_STR, 0, NULL },
	{ "From", "message:From", PT_MBX, D, NULL },
	{ "InternetMessageId", "message:InternetMessageId", PT_STR, 0, NULL },
	{ "IsRead", "message:IsRead", PT_BOOL, D, NULL },
	{ "IsResponseRequested", "message:IsResponseRequested", PT_BOOL, 0, NULL },
	{ "References", "message:References", PT_STR, 0, NULL },
	{ "ReplyTo", "message:ReplyTo", PT_MBXS, NF, NULL },
	{ NULL, NULL, PT_STR, 0, NULL }
};

/* t:MeetingMessageType. */
static const sim_prop meeting_msg_props[] = {
	{ "AssociatedCalendarItemId", "meeting:AssociatedCalendarItemId", PT_IDREF, D | RO, NULL },
	{ "IsDelegated", "meeting:IsDelegated", PT_BOOL, RO, NULL },
	{ "IsOutOfDate", "meeting:IsOutOfDate", PT_BOOL, RO, NULL },
	{ "HasBeenProcessed", "meeting:HasBeenProcessed", PT_BOOL, RO, NULL },
	{ "ResponseType", "meeting:ResponseType", PT_STR, D | RO, NULL },
	{ "UID", "calendar:UID", PT_STR, RO, NULL },
	{ NULL, NULL, PT_STR, 0, NULL }
};

/* t:MeetingRequestMessageType. */
static const sim_prop meeting_req_props[] = {
	{ "MeetingRequestType", "meetingRequest:MeetingRequestType", PT_STR, D | RO, NULL },
	{ "IntendedFreeBusyStatus", "meetingRequest:IntendedFreeBusyStatus", PT_STR, D | RO, NULL },
	{ "Start", "calendar:Start", PT_DATE, D, NULL },
	{ "End", "calendar:End", PT_DATE, D, NULL },
	{ "IsAllDayEvent", "calendar:IsAllDayEvent", PT_BOOL, 0, NULL },
	{ "LegacyFreeBusyStatus", "calendar:LegacyFreeBusyStatus", PT_STR, 0, NULL },
	{ "Location", "calendar:Location", PT_STR, D, NULL },
	{ "IsMeeting", "calendar:IsMeeting", PT_BOOL, RO, NULL },
	{ "Organizer", "calendar:Organizer", PT_MBX, D | RO, NULL },
	{ "RequiredAttendees", "calendar:RequiredAttendees", PT_ATTENDEES, NF, NULL },
	{ "OptionalAttendees", "calendar:OptionalAttendees", PT_ATTENDEES, NF, NULL },
	{ NULL, NULL, PT_STR, 0, NULL }
};

/* t:CalendarItemType. */
static const sim_prop calendar_props[] = {
	{ "UID", "calendar:UID", PT_STR, 0, NULL },
	{ "Start", "calendar:Start", PT_DATE, D, NULL },
	{ "End", "calendar:End", PT_DATE, D, NULL },
	{ "IsAllDayEvent", "calendar:IsAllDayEvent", PT_BOOL, D, NULL },
	{ "LegacyFreeBusyStatus", "calendar:LegacyFreeBusyStatus", PT_STR, D, NULL },
	{ "Location", "calendar:Location", PT_STR, D, NULL },
	{ "IsMeeting", "calendar:IsMeeting", PT_BOOL, D | RO, NULL },
	{ "IsCancelled", "calendar:IsCancelled", PT_BOOL, D | RO, NULL },
	{ "IsRecurring", "calendar:IsRecurring", PT_BOOL, D | RO, NULL },
	{ "MeetingRequestWasSent", "calendar:MeetingRequestWasSent", PT_BOOL, RO, NULL },
	{ "IsResponseRequested", "calendar:IsResponseRequested", PT_BOOL, 0, NULL },
	{ "CalendarItemType", "calendar:CalendarItemType", PT_STR, D | RO, NULL },
	{ "MyResponseType", "calendar:MyResponseType", PT_STR, D | RO, NULL },
	{ "Organizer", "calendar:Organizer", PT_MBX, D | RO, NULL },
	{ "RequiredAttendees", "calendar:RequiredAttendees", PT_ATTENDEES, D | NF, NULL },
	{ "OptionalAttendees", "calendar:OptionalAttendees", PT_ATTENDEES, D | NF, NULL },
	{ "Resources", "calendar:Resources", PT_ATTENDEES, D | NF, NULL },
	{ "Duration", "calendar:Duration", PT_SPECIAL, RO, NULL },
	{ "AppointmentSequenceNumber", "calendar:AppointmentSequenceNumber", PT_INT, RO, NULL },
	{ "StartTimeZone", "calendar:StartTimeZone", PT_TZ, 0, NULL },
	{ "EndTimeZone", "calendar:EndTimeZone", PT_TZ, 0, NULL },
	{ "IsOnlineMeeting", "calendar:IsOnlineMeeting", PT_BOOL, 0, NULL },
	{ NULL, NULL, PT_STR, 0, NULL }
};

/* t:ContactItemType. */
static const sim_prop contact_props[] = {
	{ "FileAs", "contacts:FileAs", PT_STR, D, NULL },
	{ "DisplayName", "contacts:DisplayName", PT_STR, D, NULL },
	{ "GivenName", "contacts:GivenName", PT_STR, D, NULL },
	{ "Initials", "contacts:Initials", PT_STR, 0, NULL },
	{ "MiddleName", "contacts:MiddleName", PT_STR, 0, NULL },
	{ "Nickname", "contacts:Nickname", PT_STR, 0, NULL },
	{ "CompanyName", "contacts:CompanyName", PT_STR, D, NULL },
	{ "EmailAddresses", "contacts:EmailAddresses", PT_DICT, D, "contacts:EmailAddress" },
	{ "PhysicalAddresses", "contacts:PhysicalAddresses", PT_ADDRS, D, "contacts:PhysicalAddress" },
	{ "PhoneNumbers", "contacts:PhoneNumbers", PT_DICT, D, "contacts:PhoneNumber" },
	{ "AssistantName", "contacts:AssistantName", PT_STR, 0, NULL },
	{ "Birthday", "contacts:Birthday", PT_DATE, 0, NULL },
	{ "BusinessHomePage", "contacts:BusinessHomePage", PT_STR, 0, NULL },
	{ "Department", "contacts:Department", PT_STR, D, NULL },
	{ "JobTitle", "contacts:JobTitle", PT_STR, D, NULL },
	{ "Manager", "contacts:Manager", PT_STR, 0, NULL },
	{ "OfficeLocation", "contacts:OfficeLocation", PT_STR, 0, NULL },
	{ "Surname", "contacts:Surname", PT_STR, D, NULL },
	{ NULL, NULL, PT_STR, 0, NULL }
};

/* t:TaskType. */
static const sim_prop task_props[] = {
	{ "ActualWork", "task:ActualWork", PT_INT, 0, NULL },
	{ "BillingInformation", "task:BillingInformation", PT_STR, 0, NULL },
	{ "ChangeCount", "task:ChangeCount", PT_INT, RO, NULL },
	{ "Companies", "task:Companies", PT_STRS, 0, NULL },
	{ "CompleteDate", "task:CompleteDate", PT_DATE, 0, NULL },
	{ "Contacts", "task:Contacts", PT_STRS, 0, NULL },
	{ "DueDate", "task:DueDate", PT_DATE, D, NULL },
	{ "IsComplete", "task:IsComplete", PT_BOOL, D | RO, NULL },
	{ "IsRecurring", "task:IsRecurring", PT_BOOL, RO, NULL },
	{ "Mileage", "task:Mileage", PT_STR, 0, NULL },
	{ "Owner", "task:Owner", PT_STR, 0, NULL },
	{ "PercentComplete", "task:PercentComplete", PT_DOUBLE, D, NULL },
	{ "StartDate", "task:StartDate", PT_DATE, D, NULL },
	{ "Status", "task:Status", PT_STR, D, NULL },
	{ "StatusDescription", "task:StatusDescription", PT_STR, RO, NULL },
	{ "TotalWork", "task:TotalWork", PT_INT, 0, NULL },
	{ NULL, NULL, PT_STR, 0, NULL }
};

#undef D
#undef NF
#undef RO

typedef struct kind_def {
	const char *kind;
	const sim_prop *sections[5];
} kind_def;

static const kind_def kinds[] = {
	{ "Message", { item_props, message_props, NULL } },
	{ "CalendarItem", { item_props, calendar_props, NULL } },
	{ "Contact", { item_props, contact_props, NULL } },
	{ "Task", { item_props, task_props, NULL } },
	{ "MeetingRequest", { item_props, message_props, meeting_msg_props,
			      meeting_req_props, NULL } },
	{ "MeetingResponse", { item_props, message_props, meeting_msg_props,
			       NULL } },
	{ "MeetingCancellation", { item_props, message_props,
				   meeting_msg_props, NULL } },
	{ "Item", { item_props, NULL } },
	{ NULL, { NULL } }
};

static const kind_def *find_kind(const char *kind)
{
	size_t i;

	for (i = 0; kind && kinds[i].kind; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

int sim_kind_valid(const char *kind)
{
	return find_kind(kind) != NULL;
}

const sim_prop *sim_prop_by_elem(const char *kind, const char *elem)
{
	const kind_def *k = find_kind(kind);
	size_t s, i;

	for (s = 0; k && k->sections[s]; s++)
		for (i = 0; k->sections[s][i].elem; i++)
			if (strcmp(k->sections[s][i].elem, elem) == 0)
				return &k->sections[s][i];
	return NULL;
}

static int uri_matches(const sim_prop *p, const char *uri)
{
	return strcmp(p->uri, uri) == 0 || (p->iuri && strcmp(p->iuri, uri) == 0);
}

const sim_prop *sim_prop_by_uri(const char *kind, const char *uri)
{
	const kind_def *k = find_kind(kind);
	size_t s, i;

	if (!uri) /* a path element without its FieldURI attribute */
		return NULL;
	for (s = 0; k && k->sections[s]; s++)
		for (i = 0; k->sections[s][i].elem; i++)
			if (uri_matches(&k->sections[s][i], uri))
				return &k->sections[s][i];
	return NULL;
}

const sim_prop *sim_prop_any_uri(const char *uri)
{
	size_t k;
	const sim_prop *p;

	for (k = 0; kinds[k].kind; k++)
		if ((p = sim_prop_by_uri(kinds[k].kind, uri)))
			return p;
	return NULL;
}

/* ---- shapes ---- */

int sim_shape_parse(sim_shape *out, const xmlNode *shape, int for_find,
		    sim_status *st)
{
	xmlNode *c, *props;
	char *v;
	int b;

	memset(out, 0, sizeof(*out));
	out->for_find = for_find;
	if (!shape)
		return 0;
	v = sim_x_child_text(shape, "BaseShape");
	if (v) {
		if (strcmp(v, "IdOnly") == 0)
			out->base = SIM_SHAPE_IDONLY;
		else if (strcmp(v, "Default") == 0)
			out->base = SIM_SHAPE_DEFAULT;
		else if (strcmp(v, "AllProperties") == 0)
			out->base = SIM_SHAPE_ALL;
		else {
			sim_failf(st, "ErrorInvalidRequest",
				  "BaseShape \"%s\" is not supported (IdOnly, Default, AllProperties).",
				  v);
			free(v);
			return -1;
		}
		free(v);
	}
	v = sim_x_child_text(shape, "IncludeMimeContent");
	if (v) {
		if (sim_parse_bool(v, &b) < 0) {
			free(v);
			return sim_failf(st, "ErrorInvalidRequest",
					 "IncludeMimeContent must be true or false.");
		}
		out->mime = b;
		free(v);
	}
	v = sim_x_child_text(shape, "BodyType");
	if (v) {
		out->body = strcmp(v, "HTML") == 0 ? SIM_BODY_HTML
			    : strcmp(v, "Text") == 0 ? SIM_BODY_TEXT : SIM_BODY_BEST;
		free(v);
	}
	props = sim_x_child(shape, "AdditionalProperties");
	for (c = props ? props->children : NULL; c; c = c->next) {
		if (!sim_x_is(c, "FieldURI") && !sim_x_is(c, "IndexedFieldURI"))
			continue;
		if (out->nextra == SIM_SHAPE_EXTRA_MAX)
			break;
		v = sim_x_attr(c, "FieldURI");
		if (v)
			out->extra[out->nextra++] = v;
	}
	return 0;
}

void sim_shape_dispose(sim_shape *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nextra; i++)
		free(s->extra[i]);
	s->nextra = 0;
}

int sim_shape_wants_uri(const sim_shape *s, const char *uri)
{
	size_t i;

	for (i = 0; i < s->nextra; i++)
		if (strcmp(s->extra[i], uri) == 0)
			return 1;
	return 0;
}

static int shape_wants(const sim_shape *s, const sim_prop *p)
{
	size_t i;

	for (i = 0; i < s->nextra; i++)
		if (uri_matches(p, s->extra[i]))
			return 1;
	if (s->for_find && (p->flags & P_NOFIND))
		return 0;
	if (s->base == SIM_SHAPE_ALL)
		return strcmp(p->elem, "MimeContent") != 0;
	if (s->base == SIM_SHAPE_DEFAULT)
		return (p->flags & P_DEFAULT) != 0;
	return 0;
}

/* ---- reading XML into JSON ---- */

json_t *sim_mbx_new(const char *name, const char *email)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (name && *name)
		json_object_set_new(o, "name", json_string(name));
	if (email && *email)
		json_object_set_new(o, "email", json_string(email));
	return o;
}

/* A t:Mailbox element (EmailAddressType) into {"name","email"}. */
static json_t *read_mailbox(const xmlNode *mbx)
{
	char *name = sim_x_child_text(mbx, "Name");
	char *email = sim_x_child_text(mbx, "EmailAddress");
	json_t *o = sim_mbx_new(name, email);

	free(name);
	free(email);
	return o;
}

static json_t *read_value(const sim_prop *p, const xmlNode *el,
			  const tz_zone *zone, sim_status *st)
{
	json_t *v = NULL;
	xmlNode *c;
	char *t = NULL, *k;
	int64_t ts;
	int b;

	switch (p->type) {
	case PT_STR:
		t = sim_x_text(el);
		v = t ? json_string(t) : NULL;
		if (t && !v)
			sim_failf(st, "ErrorInvalidValueForProperty",
				  "%s is not valid UTF-8.", p->elem);
		break;
	case PT_BOOL:
		t = sim_x_text(el);
		if (sim_parse_bool(t, &b) < 0)
			sim_failf(st, "ErrorInvalidValueForProperty",
				  "%s must be true, false, 1 or 0.", p->elem);
		else
			v = json_boolean(b);
		break;
	case PT_INT:
		t = sim_x_text(el);
		if (t && *t && strspn(t, "-0123456789") == strlen(t))
			v = json_integer(strtoll(t, NULL, 10));
		else
			sim_failf(st, "ErrorInvalidValueForProperty",
				  "%s must be an integer.", p->elem);
		break;
	case PT_DOUBLE:
		t = sim_x_text(el);
		if (t && *t) {
			char *end;
			double d = strtod(t, &end);

			if (*end == '\0')
				v = json_real(d);
		}
		if (!v)
			sim_failf(st, "ErrorInvalidValueForProperty",
				  "%s must be a number.", p->elem);
		break;
	case PT_DATE:
		t = sim_x_text(el);
		if (sim_time_parse_in(t, zone, &ts) < 0)
			sim_failf(st, "ErrorInvalidValueForProperty",
				  "%s must be an xs:dateTime.", p->elem);
		else
			v = json_integer(ts);
		break;
	case PT_BODY:
		t = sim_x_text(el);
		k = sim_x_attr(el, "BodyType");
		v = json_pack("{s:s, s:s}", "type",
			      k && strcmp(k, "HTML") == 0 ? "HTML" : "Text",
			      "text", t ? t : "");
		free(k);
		break;
	case PT_MBX:
		c = sim_x_child(el, "Mailbox");
		v = c ? read_mailbox(c) : json_object();
		break;
	case PT_MBXS:
		v = json_array();
		for (c = sim_x_child(el, "Mailbox"); c && v; c = sim_x_next(c, "Mailbox"))
			json_array_append_new(v, read_mailbox(c));
		break;
	case PT_ATTENDEES:
		v = json_array();
		for (c = sim_x_child(el, "Attendee"); c && v; c = sim_x_next(c, "Attendee")) {
			json_t *a = read_mailbox(sim_x_child(c, "Mailbox"));
			char *r = sim_x_child_text(c, "ResponseType");

			if (a)
				json_object_set_new(a, "response",
						    json_string(r ? r : "Unknown"));
			free(r);
			json_array_append_new(v, a);
		}
		break;
	case PT_STRS:
		v = json_array();
		for (c = sim_x_child(el, "String"); c && v; c = sim_x_next(c, "String")) {
			char *s = sim_x_text(c);

			json_array_append_new(v, json_string(s ? s : ""));
			free(s);
		}
		break;
	case PT_DICT:
	case PT_ADDRS:
		v = json_object();
		for (c = sim_x_child(el, "Entry"); c && v; c = sim_x_next(c, "Entry")) {
			k = sim_x_attr(c, "Key");
			if (!k)
				continue;
			if (p->type == PT_DICT) {
				char *s = sim_x_text(c);

				json_object_set_new(v, k, json_string(s ? s : ""));
				free(s);
			} else {
				static const char *const parts[] = { "Street",
					"City", "State", "CountryOrRegion",
					"PostalCode", NULL };
				json_t *a = json_object();
				int i;

				for (i = 0; parts[i] && a; i++) {
					char *s = sim_x_child_text(c, parts[i]);

					if (s)
						json_object_set_new(a, parts[i],
								    json_string(s));
					free(s);
				}
				json_object_set_new(v, k, a);
			}
			free(k);
		}
		break;
	case PT_TZ: {
		const char *id;

		t = sim_x_attr(el, "Id");
		id = sim_tzdef_id(t);
		if (!id)
			sim_failf(st, "ErrorTimeZone",
				  "The specified time zone isn't valid. %s Id \"%.128s\" is not a "
				  "time zone this server knows (GetServerTimeZones lists them).",
				  p->elem, t ? t : "");
		else
			v = json_string(id);
		break;
	}
	case PT_IDREF:
	case PT_SPECIAL:
		break;
	}
	free(t);
	if (!v && !st->code)
		sim_fail(st, "ErrorInternalServerError");
	return v;
}

int sim_prop_read_value(json_t *props, const sim_prop *p, const xmlNode *el,
			const tz_zone *zone, sim_status *st)
{
	json_t *v;

	if (p->flags & P_RO)
		return 0;
	v = read_value(p, el, zone, st);
	if (!v)
		return -1;
	json_object_set_new(props, p->elem, v);
	return 0;
}

/* The zone of a StartTimeZone/EndTimeZone element of the item being read
 * (left as it is when the element is absent). 0 or -1 with st set. */
static int item_zone(const tz_zone **zone, const xmlNode *item, const char *elem,
		     sim_status *st)
{
	xmlNode *el = sim_x_child(item, elem);
	char *id;
	int rc = 0;

	if (!el)
		return 0;
	id = sim_x_attr(el, "Id");
	if (sim_tzdef_zone(zone, sim_tzdef_id(id)) < 0)
		rc = sim_failf(st, "ErrorTimeZone",
			       "The specified time zone isn't valid. %s Id \"%.128s\" is not a "
			       "time zone this server knows (GetServerTimeZones lists them).",
			       elem, id ? id : "");
	free(id);
	return rc;
}

int sim_props_read(json_t *props, const char *kind, const xmlNode *item,
		   const tz_zone *zone, sim_status *st)
{
	const tz_zone *start_zone = zone, *end_zone = zone;
	const sim_prop *p;
	xmlNode *c;

	/* Start and ReminderDueBy in StartTimeZone, End in EndTimeZone, when
	 * the calendar item names them ("Time zones and EWS in Exchange",
	 * table 2); everything else in the request's context zone. */
	if (strcmp(kind, "CalendarItem") == 0 &&
	    (item_zone(&start_zone, item, "StartTimeZone", st) < 0 ||
	     item_zone(&end_zone, item, "EndTimeZone", st) < 0))
		return -1;
	for (c = item->children; c; c = c->next) {
		const tz_zone *z = zone;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		p = sim_prop_by_elem(kind, (const char *)c->name);
		if (!p || (p->flags & P_RO))
			continue;
		if (strcmp(p->elem, "Start") == 0 || strcmp(p->elem, "ReminderDueBy") == 0)
			z = start_zone;
		else if (strcmp(p->elem, "End") == 0)
			z = end_zone;
		if (sim_prop_read_value(props, p, c, z, st) < 0)
			return -1;
	}
	return 0;
}

/* ---- writing JSON as XML ---- */

static const char *mailbox_type(const sim_org *org, const char *email)
{
	if (!org || !email)
		return "OneOff";
	if (sim_org_find_smtp(org, email, NULL) >= 0)
		return "Mailbox";
	if (sim_org_find_group(org, email) >= 0)
		return "PublicDL";
	return "OneOff";
}

void sim_write_mailbox(buf *b, const sim_org *org, const char *elem,
		       const json_t *mbx)
{
	const char *name = json_string_value(json_object_get(mbx, "name"));
	const char *email = json_string_value(json_object_get(mbx, "email"));

	buf_printf(b, "<t:%s>", elem);
	if (name) {
		buf_puts(b, "<t:Name>");
		soap_put_text(b, name);
		buf_puts(b, "</t:Name>");
	}
	if (email) {
		buf_puts(b, "<t:EmailAddress>");
		soap_put_text(b, email);
		buf_puts(b, "</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType>");
		buf_printf(b, "<t:MailboxType>%s</t:MailboxType>",
			   mailbox_type(org, email));
	}
	buf_printf(b, "</t:%s>", elem);
}

/* Removes HTML tags and decodes the common entities; collapses runs of
 * whitespace created by markup. Heap. */
static char *html_to_text(const char *html)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&nbsp;", ' ' },
	};
	size_t n = strlen(html), o = 0, i;
	char *out = malloc(n + 1);
	const char *p = html;
	int in_tag = 0, skip = 0;

	if (!out)
		return NULL;
	while (*p) {
		if (in_tag) {
			if (*p == '>')
				in_tag = 0;
			p++;
			continue;
		}
		if (*p == '<') {
			if (strncasecmp(p, "<br", 3) == 0 || strncasecmp(p, "<p", 2) == 0 ||
			    strncasecmp(p, "</p", 3) == 0 || strncasecmp(p, "<div", 4) == 0 ||
			    strncasecmp(p, "</div", 5) == 0 || strncasecmp(p, "<li", 3) == 0 ||
			    strncasecmp(p, "</tr", 4) == 0) {
				if (o > 0 && out[o - 1] != '\n')
					out[o++] = '\n';
			}
			skip = strncasecmp(p, "<style", 6) == 0 ||
			       strncasecmp(p, "<script", 7) == 0 ||
			       strncasecmp(p, "<head", 5) == 0 ? 1 : skip;
			if (strncasecmp(p, "</style", 7) == 0 ||
			    strncasecmp(p, "</script", 8) == 0 ||
			    strncasecmp(p, "</head", 6) == 0)
				skip = 0;
			in_tag = 1;
			p++;
			continue;
		}
		if (skip) {
			p++;
			continue;
		}
		if (*p == '&') {
			for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
				if (strncmp(p, ents[i].ent, strlen(ents[i].ent)) == 0)
					break;
			if (i < sizeof(ents) / sizeof(ents[0])) {
				out[o++] = ents[i].c;
				p += strlen(ents[i].ent);
				continue;
			}
		}
		if ((*p == '\r' || *p == '\n') && o > 0 && out[o - 1] == '\n') {
			p++;
			continue;
		}
		out[o++] = *p++;
	}
	while (o > 0 && isspace((unsigned char)out[o - 1]))
		o--;
	out[o] = '\0';
	i = 0;
	while (out[i] && isspace((unsigned char)out[i]))
		i++;
	memmove(out, out + i, o - i + 1);
	return out;
}

char *sim_body_text(const json_t *props)
{
	const json_t *body = json_object_get(props, "Body");
	const char *text = json_string_value(json_object_get(body, "text"));
	const char *type = json_string_value(json_object_get(body, "type"));

	if (!text)
		return strdup("");
	if (type && strcmp(type, "HTML") == 0)
		return html_to_text(text);
	return strdup(text);
}

/* Text body as HTML: escaped, line breaks as <br>. */
static void text_to_html(buf *html, const char *text)
{
	const char *p;

	buf_puts(html, "<html><body><div>");
	for (p = text; *p; p++) {
		switch (*p) {
		case '<': buf_puts(html, "&lt;"); break;
		case '>': buf_puts(html, "&gt;"); break;
		case '&': buf_puts(html, "&amp;"); break;
		case '\n': buf_puts(html, "<br>"); break;
		case '\r': break;
		default: buf_putc(html, *p);
		}
	}
	buf_puts(html, "</div></body></html>");
}

static int write_body(buf *b, const char *elem, const json_t *body,
		      sim_body_type want)
{
	const char *text = json_string_value(json_object_get(body, "text"));
	const char *type = json_string_value(json_object_get(body, "type"));
	int is_html = type && strcmp(type, "HTML") == 0;
	int rc;

	if (!text)
		text = "";
	if (want == SIM_BODY_TEXT && is_html) {
		char *t = html_to_text(text);

		buf_printf(b, "<t:%s BodyType=\"Text\" IsTruncated=\"false\">", elem);
		rc = soap_put_text(b, t ? t : "");
		free(t);
	} else if (want == SIM_BODY_HTML && !is_html) {
		buf h = BUF_INIT(16 * 1024 * 1024);

		text_to_html(&h, text);
		buf_printf(b, "<t:%s BodyType=\"HTML\" IsTruncated=\"false\">", elem);
		rc = soap_put_text(b, buf_cstr(&h));
		buf_dispose(&h);
	} else {
		buf_printf(b, "<t:%s BodyType=\"%s\" IsTruncated=\"false\">", elem,
			   is_html ? "HTML" : "Text");
		rc = soap_put_text(b, text);
	}
	buf_printf(b, "</t:%s>", elem);
	return rc;
}

static void write_names(buf *b, const char *elem, const json_t *list)
{
	size_t i;
	json_t *m;

	buf_printf(b, "<t:%s>", elem);
	json_array_foreach(list, i, m) {
		const char *n = json_string_value(json_object_get(m, "name"));

		if (!n)
			n = json_string_value(json_object_get(m, "email"));
		if (i)
			buf_puts(b, "; ");
		soap_put_text(b, n ? n : "");
	}
	buf_printf(b, "</t:%s>", elem);
}

/* RFC 5322 rendering of a message for MimeContent. */
static void write_mime(buf *b, const sim_item *it)
{
	buf m = BUF_INIT(32 * 1024 * 1024);
	const json_t *pr = it->props;
	const json_t *from = json_object_get(pr, "From");
	const json_t *body = json_object_get(pr, "Body");
	const char *subj = json_string_value(json_object_get(pr, "Subject"));
	const char *type = json_string_value(json_object_get(body, "type"));
	const char *text = json_string_value(json_object_get(body, "text"));
	const char *mid = json_string_value(json_object_get(pr, "InternetMessageId"));
	const char *hdr[] = { "ToRecipients", "To", "CcRecipients", "Cc", NULL };
	char date[64];
	time_t t = (time_t)it->received;
	struct tm tm;
	size_t i, j;
	json_t *r;

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	if (from)
		buf_printf(&m, "From: %s <%s>\r\n",
			   json_string_value(json_object_get(from, "name")) ?: "",
			   json_string_value(json_object_get(from, "email")) ?: "");
	for (i = 0; hdr[i]; i += 2) {
		const json_t *list = json_object_get(pr, hdr[i]);

		if (!json_array_size(list))
			continue;
		buf_printf(&m, "%s: ", hdr[i + 1]);
		json_array_foreach(list, j, r)
			buf_printf(&m, "%s<%s>", j ? ", " : "",
				   json_string_value(json_object_get(r, "email")) ?: "");
		buf_puts(&m, "\r\n");
	}
	buf_printf(&m, "Subject: %s\r\nDate: %s\r\n", subj ? subj : "", date);
	if (mid)
		buf_printf(&m, "Message-ID: %s\r\n", mid);
	buf_printf(&m, "MIME-Version: 1.0\r\nContent-Type: text/%s; charset=\"utf-8\"\r\n"
		   "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		   type && strcmp(type, "HTML") == 0 ? "html" : "plain",
		   text ? text : "");
	buf_puts(b, "<t:MimeContent CharacterSet=\"UTF-8\">");
	b64_encode(b, m.ptr ? m.ptr : "", m.len, NULL);
	buf_puts(b, "</t:MimeContent>");
	buf_dispose(&m);
}

static void write_attachment_summary(buf *b, const sim_item *it,
				     const sim_attachment *a)
{
	char id[SIM_ID_MAX], root[SIM_ID_MAX], ck[SIM_ID_MAX];
	const char *el = a->item_props ? "ItemAttachment" : "FileAttachment";

	sim_id_encode(id, SIM_ID_ATTACHMENT, it->mailbox, a->id);
	sim_id_encode(root, SIM_ID_ITEM, it->mailbox, it->id);
	sim_ck_encode(ck, it->ck);
	buf_printf(b, "<t:%s><t:AttachmentId Id=\"%s\" RootItemId=\"%s\" "
		   "RootItemChangeKey=\"%s\"/><t:Name>", el, id, root, ck);
	soap_put_text(b, a->name ? a->name : "");
	buf_puts(b, "</t:Name>");
	if (a->content_type) {
		buf_puts(b, "<t:ContentType>");
		soap_put_text(b, a->content_type);
		buf_puts(b, "</t:ContentType>");
	}
	if (a->content_id) {
		buf_puts(b, "<t:ContentId>");
		soap_put_text(b, a->content_id);
		buf_puts(b, "</t:ContentId>");
	}
	buf_printf(b, "<t:Size>%zu</t:Size><t:IsInline>%s</t:IsInline></t:%s>",
		   a->size, a->is_inline ? "true" : "false", el);
}

static void write_preview(buf *b, const json_t *props)
{
	char *t = sim_body_text(props);
	char pv[256 * 4 + 1];
	size_t i, o = 0, chars = 0;
	int sp = 0;

	for (i = 0; t && t[i] && chars < 255 && o < sizeof(pv) - 5; i++) {
		unsigned char c = (unsigned char)t[i];

		if (isspace(c)) {
			sp = o > 0;
			continue;
		}
		if (sp) {
			pv[o++] = ' ';
			chars++;
			sp = 0;
		}
		pv[o++] = (char)c;
		if ((c & 0xC0) != 0x80)
			chars++;
	}
	/* never cut a UTF-8 sequence */
	while (o > 0 && ((unsigned char)pv[o - 1] & 0xC0) == 0x80 &&
	       !soap_text_is_valid(pv, o))
		o--;
	if (o > 0 && !soap_text_is_valid(pv, o))
		o--;
	pv[o] = '\0';
	buf_puts(b, "<t:Preview>");
	soap_put_text(b, pv);
	buf_puts(b, "</t:Preview>");
	free(t);
}

static int write_special(buf *b, const sim_item *it, const sim_prop *p,
			 const sim_wctx *wc)
{
	const json_t *pr = it->props;
	char id[SIM_ID_MAX], ck[SIM_ID_MAX];
	size_t i;

	if (strcmp(p->elem, "ParentFolderId") == 0) {
		sim_id_encode(id, SIM_ID_FOLDER, it->mailbox, it->folder);
		buf_printf(b, "<t:ParentFolderId Id=\"%s\"/>", id);
	} else if (strcmp(p->elem, "Attachments") == 0) {
		if (wc->natts == 0)
			return 0;
		buf_puts(b, "<t:Attachments>");
		for (i = 0; i < wc->natts; i++)
			write_attachment_summary(b, it, &wc->atts[i]);
		buf_puts(b, "</t:Attachments>");
	} else if (strcmp(p->elem, "Size") == 0) {
		char *t = json_dumps(pr, JSON_COMPACT);

		buf_printf(b, "<t:Size>%zu</t:Size>", t ? strlen(t) + 512 : 512);
		free(t);
	} else if (strcmp(p->elem, "DisplayTo") == 0 ||
		   strcmp(p->elem, "DisplayCc") == 0) {
		const json_t *l = json_object_get(pr, p->elem[7] == 'T'
						  ? "ToRecipients" : "CcRecipients");

		if (json_is_array(l) && (strcmp(it->kind, "Message") == 0 ||
					 strncmp(it->kind, "Meeting", 7) == 0))
			write_names(b, p->elem, l);
		else if (strcmp(it->kind, "Message") == 0)
			buf_printf(b, "<t:%s/>", p->elem);
	} else if (strcmp(p->elem, "HasAttachments") == 0) {
		buf_printf(b, "<t:HasAttachments>%s</t:HasAttachments>",
			   json_is_true(json_object_get(pr, "HasAttachments")) ?
			   "true" : "false");
	} else if (strcmp(p->elem, "Preview") == 0) {
		write_preview(b, pr);
	} else if (strcmp(p->elem, "Duration") == 0 && it->end > it->start) {
		long m = (long)((it->end - it->start) / 60);

		buf_printf(b, "<t:Duration>PT%ldH%ldM</t:Duration>", m / 60, m % 60);
	} else if (strcmp(p->elem, "MimeContent") == 0) {
		write_mime(b, it);
	}
	(void)ck;
	return 0;
}

static int write_prop(buf *b, const sim_item *it, const sim_prop *p,
		      const json_t *v, const sim_wctx *wc)
{
	char ts[32];
	const char *key;
	json_t *e;
	size_t i;
	int rc = 0;

	switch (p->type) {
	case PT_STR:
		if (!json_is_string(v))
			return 0;
		buf_printf(b, "<t:%s>", p->elem);
		rc = soap_put_text(b, json_string_value(v));
		buf_printf(b, "</t:%s>", p->elem);
		break;
	case PT_BOOL:
		if (json_is_boolean(v))
			buf_printf(b, "<t:%s>%s</t:%s>", p->elem,
				   json_is_true(v) ? "true" : "false", p->elem);
		break;
	case PT_INT:
		if (json_is_integer(v))
			buf_printf(b, "<t:%s>%lld</t:%s>", p->elem,
				   (long long)json_integer_value(v), p->elem);
		break;
	case PT_DOUBLE:
		if (json_is_number(v))
			buf_printf(b, "<t:%s>%g</t:%s>", p->elem,
				   json_number_value(v), p->elem);
		break;
	case PT_DATE:
		if (json_is_integer(v)) {
			sim_time_format(ts, json_integer_value(v));
			buf_printf(b, "<t:%s>%s</t:%s>", p->elem, ts, p->elem);
		}
		break;
	case PT_BODY:
		if (json_is_object(v))
			rc = write_body(b, p->elem, v, wc->shape->body);
		break;
	case PT_MBX:
		if (json_is_object(v) && json_object_size(v)) {
			buf_printf(b, "<t:%s>", p->elem);
			sim_write_mailbox(b, wc->org, "Mailbox", v);
			buf_printf(b, "</t:%s>", p->elem);
		}
		break;
	case PT_MBXS:
		if (json_array_size(v)) {
			buf_printf(b, "<t:%s>", p->elem);
			json_array_foreach(v, i, e)
				sim_write_mailbox(b, wc->org, "Mailbox", e);
			buf_printf(b, "</t:%s>", p->elem);
		}
		break;
	case PT_ATTENDEES:
		if (json_array_size(v)) {
			buf_printf(b, "<t:%s>", p->elem);
			json_array_foreach(v, i, e) {
				const char *r = json_string_value(json_object_get(e, "response"));

				buf_puts(b, "<t:Attendee>");
				sim_write_mailbox(b, wc->org, "Mailbox", e);
				buf_puts(b, "<t:ResponseType>");
				soap_put_text(b, r ? r : "Unknown");
				buf_puts(b, "</t:ResponseType></t:Attendee>");
			}
			buf_printf(b, "</t:%s>", p->elem);
		}
		break;
	case PT_STRS:
		if (json_array_size(v)) {
			buf_printf(b, "<t:%s>", p->elem);
			json_array_foreach(v, i, e) {
				buf_puts(b, "<t:String>");
				soap_put_text(b, json_string_value(e) ?: "");
				buf_puts(b, "</t:String>");
			}
			buf_printf(b, "</t:%s>", p->elem);
		}
		break;
	case PT_DICT:
		if (json_object_size(v)) {
			buf_printf(b, "<t:%s>", p->elem);
			json_object_foreach((json_t *)v, key, e) {
				buf_puts(b, "<t:Entry Key=\"");
				soap_put_attr(b, key);
				buf_puts(b, "\">");
				soap_put_text(b, json_string_value(e) ?: "");
				buf_puts(b, "</t:Entry>");
			}
			buf_printf(b, "</t:%s>", p->elem);
		}
		break;
	case PT_ADDRS:
		if (json_object_size(v)) {
			static const char *const parts[] = { "Street", "City",
				"State", "CountryOrRegion", "PostalCode", NULL };

			buf_printf(b, "<t:%s>", p->elem);
			json_object_foreach((json_t *)v, key, e) {
				buf_puts(b, "<t:Entry Key=\"");
				soap_put_attr(b, key);
				buf_puts(b, "\">");
				for (i = 0; parts[i]; i++) {
					const char *s = json_string_value(json_object_get(e, parts[i]));

					if (!s)
						continue;
					buf_printf(b, "<t:%s>", parts[i]);
					soap_put_text(b, s);
					buf_printf(b, "</t:%s>", parts[i]);
				}
				buf_puts(b, "</t:Entry>");
			}
			buf_printf(b, "</t:%s>", p->elem);
		}
		break;
	case PT_TZ:
		if (json_is_string(v)) {
			int y, m, d;

			/* the full definition, as Exchange returns it, with the
			 * rules around the item's own start */
			tz_civil_from_days(&y, &m, &d, (it->start ? it->start : sim_now()) / 86400);
			if (sim_tzdef_write(b, p->elem, json_string_value(v), 1, y - 1, 3) < 0) {
				buf_printf(b, "<t:%s Id=\"", p->elem);
				soap_put_attr(b, json_string_value(v));
				buf_puts(b, "\"/>");
			}
		}
		break;
	case PT_IDREF:
		if (json_is_object(v)) {
			json_int_t row = json_integer_value(json_object_get(v, "row"));
			json_int_t mbx = json_integer_value(json_object_get(v, "mailbox"));
			char id[SIM_ID_MAX];

			if (row > 0 && mbx > 0) {
				sim_id_encode(id, SIM_ID_ITEM, (int)mbx, row);
				buf_printf(b, "<t:%s Id=\"%s\"/>", p->elem, id);
			}
		}
		break;
	case PT_SPECIAL:
		return write_special(b, it, p, wc);
	}
	return rc;
}

int sim_item_write(buf *b, const sim_item *it, const sim_wctx *wc)
{
	const kind_def *k = find_kind(it->kind);
	char id[SIM_ID_MAX], ck[SIM_ID_MAX];
	size_t s, i;
	int rc = 0;

	if (!k)
		k = find_kind("Item");
	buf_printf(b, "<t:%s>", k->kind);
	for (s = 0; k->sections[s]; s++) {
		for (i = 0; k->sections[s][i].elem; i++) {
			const sim_prop *p = &k->sections[s][i];

			if (strcmp(p->elem, "ItemId") == 0) {
				sim_id_encode(id, SIM_ID_ITEM, it->mailbox, it->id);
				sim_ck_encode(ck, it->ck);
				buf_printf(b, "<t:ItemId Id=\"%s\" ChangeKey=\"%s\"/>",
					   id, ck);
				continue;
			}
			if (strcmp(p->elem, "MimeContent") == 0) {
				if (wc->shape->mime)
					write_mime(b, it);
				continue;
			}
			if (!shape_wants(wc->shape, p))
				continue;
			if (strcmp(p->elem, "ParentFolderId") == 0 &&
			    !wc->with_parent)
				continue;
			if (write_prop(b, it, p, json_object_get(it->props, p->elem),
				       wc) < 0)
				rc = -1;
		}
	}
	buf_printf(b, "</t:%s>", k->kind);
	return rc;
}
