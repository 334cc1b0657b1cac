/* tools_contacts.c - MCP tools over a mailbox's Contacts folder:
 * search_contacts, create_contact. Uses ews_* operations only (no XML
 * here).
 *
 * search_contacts lets Exchange do the matching (one FindItem with a
 * Contains restriction over the name, company and e-mail fields) instead
 * of downloading every contact and matching here, as the Python server
 * did: one round trip whatever the size of the address book.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ews/address.h"
#include "ews/ops.h"
#include "tools/args.h"
#include "tools/categories.h"
#include "tools/families.h"
#include "tools/runner.h"

/* ---- search_contacts ------------------------------------------------------- */

static const char search_contacts_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255,\"description\":"
	"\"Text to find in a contact's name, company or e-mail address (case ignored).\"},"
	"\"max_results\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":50},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"query\"],\"additionalProperties\":false}";

/* An address as Exchange keeps it on a contact, without the "SMTP:"
 * routing prefix some clients store. */
static const char *plain_address(const char *s)
{
	if (s && strncasecmp(s, "smtp:", 5) == 0)
		return s + 5;
	return s;
}

static json_t *contact_json(const json_t *item)
{
	static const struct { const char *from, *to; } names[] = {
		{ "display_name", "display_name" }, { "given_name", "given_name" },
		{ "surname", "surname" }, { "company_name", "company" },
		{ "job_title", "job_title" }, { "department", "department" },
	};
	json_t *c = json_object(), *emails = json_array(), *phones = json_array(), *v;
	size_t i;

	json_object_set(c, "item_id", json_object_get(item, "item_id"));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *s = json_string_value(json_object_get(item, names[i].from));

		json_object_set_new(c, names[i].to, json_string(s ? s : ""));
	}
	json_array_foreach(json_object_get(item, "email_addresses"), i, v) {
		const char *e = plain_address(json_string_value(json_object_get(v, "email")));

		if (e && e[0])
			json_array_append_new(emails, json_string(e));
	}
	json_object_set_new(c, "email", json_array_size(emails)
			    ? json_incref(json_array_get(emails, 0)) : json_string(""));
	json_object_set_new(c, "emails", emails);
	json_array_foreach(json_object_get(item, "phone_numbers"), i, v) {
		const char *number = json_string_value(json_object_get(v, "number"));

		if (number && number[0])
			json_array_append_new(phones, json_pack("{s:O, s:s}", "type",
					      json_object_get(v, "key"), "number", number));
	}
	if (json_array_size(phones))
		json_object_set_new(c, "phone_numbers", phones);
	else
		json_decref(phones);
	return c;
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* A text argument of at most 255 characters (what Exchange keeps in
 * these contact fields). */
static int short_text(const char **out, const json_t *args, const char *name, int required,
		      errinfo *err)
{
	if (tools_arg_str(out, args, name, required, err) < 0)
		return err->code;
	if (*out && utf8_chars(*out) > 255)
		return errinfo_set(err, ERR_INVAL, "%s: at most 255 characters", name);
	return 0;
}

static int search_contacts_body(json_t **data, tools_req *req, const json_t *args,
				errinfo *err)
{
	static const char *const fields[] = {
		"contacts:DisplayName", "contacts:GivenName", "contacts:Surname",
		"contacts:CompanyName", "contacts:JobTitle", "contacts:Department",
		"contacts:EmailAddresses", "contacts:PhoneNumbers",
	};
	static const struct { const char *field, *index; } searched[] = {
		{ "contacts:DisplayName", NULL }, { "contacts:GivenName", NULL },
		{ "contacts:Surname", NULL }, { "contacts:CompanyName", NULL },
		{ "contacts:EmailAddress", "EmailAddress1" },
		{ "contacts:EmailAddress", "EmailAddress2" },
		{ "contacts:EmailAddress", "EmailAddress3" },
	};
	enum { NSEARCHED = sizeof(searched) / sizeof(searched[0]) };
	soap_restriction leaves[NSEARCHED], any;
	soap_sort by_name = { "contacts:DisplayName", 0 };
	soap_folder_ref folder = { .distinguished = "contacts" };
	soap_find_item_args fa;
	const char *query;
	json_t *found = NULL, *contacts, *item;
	char message[64];
	long max_results;
	size_t i;
	int error;

	if (short_text(&query, args, "query", 1, err) < 0 ||
	    tools_arg_long(&max_results, args, "max_results", 50, 1, 1000, err) < 0)
		return err->code;
	memset(leaves, 0, sizeof(leaves));
	for (i = 0; i < NSEARCHED; i++) {
		leaves[i].op = SOAP_R_CONTAINS;
		leaves[i].field = searched[i].field;
		leaves[i].field_index = searched[i].index;
		leaves[i].value = query;
		leaves[i].containment_mode = "Substring";
		leaves[i].containment_comparison = "IgnoreCase";
	}
	memset(&any, 0, sizeof(any));
	any.op = SOAP_R_OR;
	any.children = leaves;
	any.nchildren = NSEARCHED;

	memset(&fa, 0, sizeof(fa));
	fa.shape.base = "IdOnly";
	fa.shape.fields = fields;
	fa.shape.nfields = sizeof(fields) / sizeof(fields[0]);
	fa.view = SOAP_VIEW_INDEXED;
	fa.max_entries = (int)max_results;
	fa.restriction = &any;
	fa.sort = &by_name;
	fa.nsort = 1;
	fa.folders = &folder;
	fa.nfolders = 1;
	error = ews_find_item(&found, &req->ews, &fa, err);
	if (error < 0)
		return error;

	contacts = json_array();
	json_array_foreach(json_object_get(found, "items"), i, item)
		json_array_append_new(contacts, contact_json(item));
	snprintf(message, sizeof(message), "Found %zu contacts", json_array_size(contacts));
	*data = json_pack("{s:s, s:o, s:I, s:s, s:b}", "message", message,
			  "contacts", contacts, "count", (json_int_t)json_array_size(contacts),
			  "query", query, "more_available",
			  !json_is_true(json_object_get(found, "includes_last_item_in_range")));
	json_decref(found);
	return *data ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

static int search_contacts(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, search_contacts_body, err);
}

/* ---- create_contact ------------------------------------------------------- */

#define NAME_PROP(name, desc) \
	"\"" name "\":{\"type\":\"string\",\"maxLength\":255,\"description\":\"" desc "\"}"

static const char create_contact_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	NAME_PROP("given_name", "First name.") ","
	NAME_PROP("surname", "Last name.") ","
	"\"email_address\":{\"type\":\"string\",\"maxLength\":1000},"
	NAME_PROP("phone_number", "Business phone number.") ","
	NAME_PROP("company", "Company name.") ","
	NAME_PROP("job_title", "Job title.") ","
	NAME_PROP("department", "Department.") ","
	NAME_PROP("full_name", "Name shown for the contact (default: given name and "
		  "surname).") ","
	"\"categories\":{\"type\":\"array\",\"maxItems\":50,\"items\":{\"type\":\"string\","
	"\"minLength\":1,\"maxLength\":255}},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"given_name\",\"surname\",\"email_address\"],"
	"\"additionalProperties\":false}";

static int create_contact_body(json_t **data, tools_req *req, const json_t *args,
			       errinfo *err)
{
	const char *given, *surname, *email_arg, *phone, *company, *job, *dept, *full;
	const char **categories = NULL;
	size_t ncategories = 0;
	/* Each name is at most 255 characters of up to 4 bytes: never cut. */
	char email[EWS_ADDRESS_MAX + 1], display[2100], file_as[2100];
	const char *emails[1];
	soap_phone business = { "BusinessPhone", NULL };
	soap_contact c;
	soap_create_contact_args ca;
	json_t *created = NULL;
	const char *item_id;
	int error;

	if ((error = short_text(&given, args, "given_name", 1, err)) < 0 ||
	    (error = short_text(&surname, args, "surname", 1, err)) < 0 ||
	    (error = tools_arg_str(&email_arg, args, "email_address", 1, err)) < 0 ||
	    (error = short_text(&phone, args, "phone_number", 0, err)) < 0 ||
	    (error = short_text(&company, args, "company", 0, err)) < 0 ||
	    (error = short_text(&job, args, "job_title", 0, err)) < 0 ||
	    (error = short_text(&dept, args, "department", 0, err)) < 0 ||
	    (error = short_text(&full, args, "full_name", 0, err)) < 0)
		return error;
	if (tools_address(email, sizeof(email), email_arg, "email_address", err) < 0)
		return err->code;
	if (tools_categories(&categories, &ncategories, args, err) < 0)
		return err->code;

	if (full)
		snprintf(display, sizeof(display), "%s", full);
	else
		snprintf(display, sizeof(display), "%s %s", given, surname);
	/* Outlook's default "File as": "Surname, Given". */
	snprintf(file_as, sizeof(file_as), "%s, %s", surname, given);
	emails[0] = email;
	business.number = phone;
	memset(&c, 0, sizeof(c));
	c.categories = categories;
	c.ncategories = ncategories;
	c.file_as = file_as;
	c.display_name = display;
	c.given_name = given;
	c.surname = surname;
	c.company_name = company;
	c.emails = emails;
	c.nemails = 1;
	c.phones = phone ? &business : NULL;
	c.nphones = phone ? 1 : 0;
	c.department = dept;
	c.job_title = job;
	memset(&ca, 0, sizeof(ca));
	ca.contact = &c;
	error = ews_create_contact(&created, &req->ews, &ca, err);
	free(categories);
	if (error < 0)
		return error;

	item_id = json_string_value(json_object_get(json_array_get(created, 0), "item_id"));
	tools_req_touch(req, item_id);
	*data = json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s}", "message", "Contact created",
			  "item_id", item_id, "display_name", display, "email", email,
			  "given_name", given, "surname", surname);
	json_decref(created);
	return *data ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

static int create_contact(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, create_contact_body, err);
}

static const tool_def contact_tools[] = {
	{ "search_contacts", "Search contacts",
	  "Find contacts in a mailbox's Contacts folder whose name, company or e-mail "
	  "address contains the query. Use target_mailbox for another user's contacts.",
	  search_contacts_schema, NULL, TOOL_READ_ONLY | TOOL_OPEN_WORLD | TOOL_MAILBOX,
	  search_contacts },
	{ "create_contact", "Create contact",
	  "Add a contact (name, e-mail, phone, company) to a mailbox's Contacts folder; "
	  "with target_mailbox, to that user's contacts.",
	  create_contact_schema, NULL, TOOL_OPEN_WORLD | TOOL_MAILBOX, create_contact },
};

const toolset tools_contacts = { contact_tools,
				 sizeof(contact_tools) / sizeof(contact_tools[0]) };
