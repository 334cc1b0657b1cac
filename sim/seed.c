/* seed.c - creates every user's mailbox and loads the org file's
 * "content" section: nested folders, messages (HTML bodies, attachments),
 * calendar items with attendees (also placed, accepted, in the attendees'
 * calendars), contacts, tasks and OOF settings. Errors name the JSON path.
 * Runs once at start (and on POST /sim/reset) inside one transaction. */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/b64.h"

static int bad(errinfo *err, const char *path, const char *what)
{
	return errinfo_set(err, ERR_INVAL, "org: %s: %s", path, what);
}

static const char *str_at(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int check_keys(const json_t *o, const char *path,
		      const char *const *keys, errinfo *err)
{
	const char *k;
	json_t *v;
	size_t i;

	if (!json_is_object(o))
		return bad(err, path, "must be an object");
	json_object_foreach((json_t *)o, k, v) {
		for (i = 0; keys[i] && strcmp(keys[i], k) != 0; i++)
			;
		if (!keys[i])
			return errinfo_set(err, ERR_INVAL, "org: %s.%s: unknown key", path, k);
		if (!json_is_string(v) && !json_is_array(v) && !json_is_boolean(v) &&
		    !json_is_object(v) && !json_is_number(v))
			return errinfo_set(err, ERR_INVAL, "org: %s.%s: unsupported value",
					   path, k);
	}
	return 0;
}

static int time_at(int64_t *out, const json_t *o, const char *key,
		   int64_t def, const char *path, errinfo *err)
{
	const char *s = str_at(o, key);
	char p[300];

	*out = def;
	if (!json_object_get(o, key))
		return 0;
	if (!s || sim_time_parse(s, out) < 0) {
		snprintf(p, sizeof(p), "%s.%s", path, key);
		return bad(err, p, "must be an ISO 8601 date-time, e.g. 2026-03-02T09:00:00Z");
	}
	return 0;
}

/* The folder for a path like "Inbox/Projects/2026", created as needed.
 * The first component may name a distinguished folder by display name. */
static int folder_path(int64_t *out, sim_ctx *ctx, int mbx, const char *path,
		       const char *cls, errinfo *err)
{
	sim_folder root, *kids = NULL;
	char *copy = strdup(path), *part, *save = NULL;
	int64_t cur;
	size_t n, i;

	if (!copy || sim_store_folder_dist(&root, ctx->store, mbx, "msgfolderroot",
					   err) < 0) {
		free(copy);
		return errinfo_set(err, ERR_IO, "seed: mailbox %d has no root", mbx);
	}
	cur = root.id;
	sim_folder_dispose(&root);
	for (part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		int64_t found = 0;

		sim_store_folder_children(&kids, &n, ctx->store, cur, 0, NULL);
		for (i = 0; i < n; i++)
			if (strcasecmp(kids[i].name, part) == 0 ||
			    strcasecmp(kids[i].dist, part) == 0)
				found = kids[i].id;
		sim_folder_list_free(kids, n);
		if (!found && sim_store_folder_create(&found, ctx->store, mbx, cur, NULL,
						      part, cls, err) < 0) {
			free(copy);
			return err->code;
		}
		cur = found;
	}
	free(copy);
	*out = cur;
	return 0;
}

static json_t *addr_list(sim_ctx *ctx, const json_t *arr)
{
	json_t *l = json_array(), *a;
	size_t i;

	json_array_foreach(arr, i, a) {
		const char *e = json_string_value(a);
		int u = e ? sim_org_find_smtp(ctx->org, e, NULL) : -1;
		int g = e ? sim_org_find_group(ctx->org, e) : -1;

		json_array_append_new(l, sim_mbx_new(u >= 0 ? ctx->org->users[u].name
						     : g >= 0 ? ctx->org->groups[g].name : NULL,
						     u >= 0 ? ctx->org->users[u].smtp : e));
	}
	return l;
}

static int insert(sim_ctx *ctx, sim_item *it, errinfo *err)
{
	int rc = sim_store_item_insert(ctx->store, it, err);

	sim_item_dispose(it);
	return rc;
}

static int seed_messages(sim_ctx *ctx, int u, const json_t *arr, errinfo *err)
{
	static const char *const keys[] = { "subject", "body", "body_type", "from",
		"to", "cc", "received", "is_read", "folder", "importance",
		"categories", "attachments", NULL };
	char path[160];
	size_t i, j;
	json_t *m, *a;

	json_array_foreach(arr, i, m) {
		sim_item it;
		int64_t when, folder;
		const char *from = str_at(m, "from");
		int fu;

		snprintf(path, sizeof(path), "content.%s.messages[%zu]",
			 ctx->org->users[u].smtp, i);
		if (check_keys(m, path, keys, err) < 0 ||
		    time_at(&when, m, "received", sim_now() - 3600 * (int64_t)(i + 1),
			    path, err) < 0 ||
		    folder_path(&folder, ctx, SIM_MBX(u),
				str_at(m, "folder") ? str_at(m, "folder") : "Inbox",
				"IPF.Note", err) < 0)
			return ERR_INVAL;
		fu = from ? sim_org_find_smtp(ctx->org, from, NULL) : -1;
		memset(&it, 0, sizeof(it));
		snprintf(it.kind, sizeof(it.kind), "Message");
		it.mailbox = SIM_MBX(u);
		it.folder = folder;
		it.props = json_pack("{s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:I, s:I, s:I, s:b, s:b, s:s}",
				     "Subject", str_at(m, "subject") ? str_at(m, "subject") : "",
				     "Body", "type", str_at(m, "body_type") ? str_at(m, "body_type") : "HTML",
				     "text", str_at(m, "body") ? str_at(m, "body") : "",
				     "From", sim_mbx_new(fu >= 0 ? ctx->org->users[fu].name : NULL,
							 from ? from : ctx->org->users[u].smtp),
				     "ToRecipients", json_object_get(m, "to")
					? addr_list(ctx, json_object_get(m, "to"))
					: json_pack("[o]", sim_mbx_new(ctx->org->users[u].name,
								       ctx->org->users[u].smtp)),
				     "CcRecipients", addr_list(ctx, json_object_get(m, "cc")),
				     "DateTimeReceived", (json_int_t)when,
				     "DateTimeSent", (json_int_t)(when - 30),
				     "DateTimeCreated", (json_int_t)when,
				     "IsRead", json_is_true(json_object_get(m, "is_read")),
				     "HasAttachments", json_array_size(json_object_get(m, "attachments")) > 0,
				     "Importance", str_at(m, "importance") ? str_at(m, "importance") : "Normal");
		if (!it.props)
			return bad(err, path, "invalid values");
		if (json_object_get(m, "categories"))
			json_object_set(it.props, "Categories", json_object_get(m, "categories"));
		{
			char mid[200];

			snprintf(mid, sizeof(mid), "<seed.%d.%zu@%s>", u, i, ctx->org->domain);
			json_object_set_new(it.props, "InternetMessageId", json_string(mid));
		}
		if (sim_store_item_insert(ctx->store, &it, err) < 0) {
			sim_item_dispose(&it);
			return err->code;
		}
		json_array_foreach(json_object_get(m, "attachments"), j, a) {
			sim_attachment att;
			buf raw = BUF_INIT(16u * 1024 * 1024);
			const char *b64 = str_at(a, "base64"), *txt = str_at(a, "content");

			memset(&att, 0, sizeof(att));
			if (b64 && b64_decode(&raw, b64, strlen(b64), B64_IGNORE_SPACE, NULL) < 0) {
				buf_dispose(&raw);
				sim_item_dispose(&it);
				return bad(err, path, "attachments: base64 is not valid");
			}
			if (!b64 && txt)
				buf_puts(&raw, txt);
			att.item = it.id;
			att.name = strdup(str_at(a, "name") ? str_at(a, "name") : "attachment.bin");
			att.content_type = strdup(str_at(a, "content_type") ? str_at(a, "content_type")
						  : "application/octet-stream");
			att.size = raw.len;
			att.data = raw.len ? buf_detach(&raw) : strdup("");
			buf_dispose(&raw);
			sim_store_att_insert(ctx->store, &att, err);
			sim_attachment_dispose(&att);
		}
		sim_item_dispose(&it);
	}
	return 0;
}

static int seed_calendar(sim_ctx *ctx, int u, const json_t *arr, errinfo *err)
{
	static const char *const keys[] = { "subject", "start", "end", "location",
		"body", "attendees", "optional", "free_busy", "all_day", NULL };
	char path[160], uid[96];
	size_t i, j;
	json_t *c, *a;

	json_array_foreach(arr, i, c) {
		sim_item it;
		sim_folder cal;
		int64_t start, end;
		json_t *req, *opt;

		snprintf(path, sizeof(path), "content.%s.calendar[%zu]",
			 ctx->org->users[u].smtp, i);
		if (check_keys(c, path, keys, err) < 0 ||
		    time_at(&start, c, "start", sim_now() + 86400 * (int64_t)(i + 1), path, err) < 0 ||
		    time_at(&end, c, "end", start + 3600, path, err) < 0)
			return ERR_INVAL;
		if (end < start)
			return bad(err, path, "end is before start");
		snprintf(uid, sizeof(uid), "040000008200E00074C5B7101A82E008SEED%04d%04zu", u, i);
		req = addr_list(ctx, json_object_get(c, "attendees"));
		opt = addr_list(ctx, json_object_get(c, "optional"));
		json_array_foreach(req, j, a)
			json_object_set_new(a, "response", json_string("Accept"));
		json_array_foreach(opt, j, a)
			json_object_set_new(a, "response", json_string("Tentative"));
		memset(&it, 0, sizeof(it));
		snprintf(it.kind, sizeof(it.kind), "CalendarItem");
		it.props = json_pack("{s:s, s:I, s:I, s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:s, s:b, s:s, s:s, s:b, s:b, s:I, s:b}",
				     "Subject", str_at(c, "subject") ? str_at(c, "subject") : "",
				     "Start", (json_int_t)start, "End", (json_int_t)end,
				     "Location", str_at(c, "location") ? str_at(c, "location") : "",
				     "Body", "type", "HTML", "text", str_at(c, "body") ? str_at(c, "body") : "",
				     "Organizer", sim_mbx_new(ctx->org->users[u].name, ctx->org->users[u].smtp),
				     "RequiredAttendees", req, "OptionalAttendees", opt,
				     "LegacyFreeBusyStatus", str_at(c, "free_busy") ? str_at(c, "free_busy") : "Busy",
				     "IsAllDayEvent", json_is_true(json_object_get(c, "all_day")),
				     "UID", uid, "CalendarItemType", "Single",
				     "IsMeeting", json_array_size(json_object_get(c, "attendees")) +
						  json_array_size(json_object_get(c, "optional")) > 0,
				     "IsCancelled", 0, "DateTimeCreated", (json_int_t)(start - 7 * 86400),
				     "IsRecurring", 0);
		if (!it.props)
			return bad(err, path, "invalid values");
		json_object_set_new(it.props, "MyResponseType", json_string("Organizer"));
		/* the organizer's copy, then each org attendee's accepted copy */
		for (j = 0; j <= ctx->org->nusers; j++) {
			int target = j == 0 ? u : (int)j - 1;
			sim_item copy;

			if (j > 0) {
				size_t k;
				int listed = 0;

				if (target == u)
					continue;
				json_array_foreach(json_object_get(it.props, "RequiredAttendees"), k, a)
					if (strcasecmp(json_string_value(json_object_get(a, "email")),
						       ctx->org->users[target].smtp) == 0)
						listed = 1;
				json_array_foreach(json_object_get(it.props, "OptionalAttendees"), k, a)
					if (strcasecmp(json_string_value(json_object_get(a, "email")),
						       ctx->org->users[target].smtp) == 0)
						listed = 2;
				if (!listed)
					continue;
			}
			if (sim_store_folder_dist(&cal, ctx->store, SIM_MBX(target), "calendar",
						  err) < 0) {
				sim_item_dispose(&it);
				return err->code;
			}
			copy = it;
			copy.props = json_deep_copy(it.props);
			copy.mailbox = SIM_MBX(target);
			copy.folder = cal.id;
			sim_folder_dispose(&cal);
			if (j > 0)
				json_object_set_new(copy.props, "MyResponseType", json_string("Accept"));
			if (insert(ctx, &copy, err) < 0) {
				sim_item_dispose(&it);
				return err->code;
			}
		}
		sim_item_dispose(&it);
	}
	return 0;
}

static int seed_simple(sim_ctx *ctx, int u, const json_t *arr, const char *what,
		       errinfo *err)
{
	static const char *const ckeys[] = { "given", "surname", "display", "email",
		"company", "phone", "mobile", "job_title", "department", NULL };
	static const char *const tkeys[] = { "subject", "due", "start", "status",
		"importance", "body", NULL };
	int contacts = strcmp(what, "contacts") == 0;
	char path[160];
	size_t i;
	json_t *c;

	json_array_foreach(arr, i, c) {
		sim_item it;
		sim_folder f;

		snprintf(path, sizeof(path), "content.%s.%s[%zu]", ctx->org->users[u].smtp,
			 what, i);
		if (check_keys(c, path, contacts ? ckeys : tkeys, err) < 0)
			return ERR_INVAL;
		if (sim_store_folder_dist(&f, ctx->store, SIM_MBX(u), what, err) < 0)
			return err->code;
		memset(&it, 0, sizeof(it));
		it.mailbox = SIM_MBX(u);
		it.folder = f.id;
		sim_folder_dispose(&f);
		it.props = json_object();
		json_object_set_new(it.props, "DateTimeCreated",
				    json_integer(sim_now() - 86400 * (int64_t)(i + 10)));
		if (contacts) {
			const char *g = str_at(c, "given"), *s = str_at(c, "surname");
			char name[400];

			snprintf(it.kind, sizeof(it.kind), "Contact");
			snprintf(name, sizeof(name), "%s%s%s", g ? g : "", g && s ? " " : "", s ? s : "");
			if (str_at(c, "display"))
				snprintf(name, sizeof(name), "%s", str_at(c, "display"));
			json_object_set_new(it.props, "DisplayName", json_string(name));
			json_object_set_new(it.props, "Subject", json_string(name));
			json_object_set_new(it.props, "FileAs", json_string(name));
			if (g)
				json_object_set_new(it.props, "GivenName", json_string(g));
			if (s)
				json_object_set_new(it.props, "Surname", json_string(s));
			if (str_at(c, "company"))
				json_object_set(it.props, "CompanyName", json_object_get(c, "company"));
			if (str_at(c, "job_title"))
				json_object_set(it.props, "JobTitle", json_object_get(c, "job_title"));
			if (str_at(c, "department"))
				json_object_set(it.props, "Department", json_object_get(c, "department"));
			if (str_at(c, "email"))
				json_object_set_new(it.props, "EmailAddresses",
						    json_pack("{s:O}", "EmailAddress1",
							      json_object_get(c, "email")));
			if (str_at(c, "phone") || str_at(c, "mobile")) {
				json_t *p = json_object();

				if (str_at(c, "phone"))
					json_object_set(p, "BusinessPhone", json_object_get(c, "phone"));
				if (str_at(c, "mobile"))
					json_object_set(p, "MobilePhone", json_object_get(c, "mobile"));
				json_object_set_new(it.props, "PhoneNumbers", p);
			}
		} else {
			int64_t due, start;
			const char *status = str_at(c, "status") ? str_at(c, "status") : "NotStarted";

			snprintf(it.kind, sizeof(it.kind), "Task");
			if (time_at(&due, c, "due", 0, path, err) < 0 ||
			    time_at(&start, c, "start", 0, path, err) < 0) {
				sim_item_dispose(&it);
				return ERR_INVAL;
			}
			json_object_set_new(it.props, "Subject",
					    json_string(str_at(c, "subject") ? str_at(c, "subject") : ""));
			if (due)
				json_object_set_new(it.props, "DueDate", json_integer(due));
			if (start)
				json_object_set_new(it.props, "StartDate", json_integer(start));
			json_object_set_new(it.props, "Status", json_string(status));
			json_object_set_new(it.props, "IsComplete",
					    json_boolean(strcmp(status, "Completed") == 0));
			json_object_set_new(it.props, "PercentComplete",
					    json_real(strcmp(status, "Completed") == 0 ? 100 : 0));
			json_object_set_new(it.props, "Importance", json_string(
				str_at(c, "importance") ? str_at(c, "importance") : "Normal"));
			if (str_at(c, "body"))
				json_object_set_new(it.props, "Body", json_pack("{s:s, s:O}",
					"type", "Text", "text", json_object_get(c, "body")));
		}
		if (insert(ctx, &it, err) < 0)
			return err->code;
	}
	return 0;
}

static int seed_oof(sim_ctx *ctx, int u, const json_t *o, errinfo *err)
{
	static const char *const keys[] = { "state", "external_audience", "start",
		"end", "internal_reply", "external_reply", NULL };
	char path[160];
	int64_t start, end;
	json_t *doc;
	char *dump;
	int rc;

	snprintf(path, sizeof(path), "content.%s.oof", ctx->org->users[u].smtp);
	if (check_keys(o, path, keys, err) < 0 ||
	    time_at(&start, o, "start", 0, path, err) < 0 ||
	    time_at(&end, o, "end", 0, path, err) < 0)
		return ERR_INVAL;
	if (str_at(o, "state") && strcmp(str_at(o, "state"), "Disabled") != 0 &&
	    strcmp(str_at(o, "state"), "Enabled") != 0 &&
	    strcmp(str_at(o, "state"), "Scheduled") != 0)
		return bad(err, path, "state must be Disabled, Enabled or Scheduled");
	if (str_at(o, "state") && strcmp(str_at(o, "state"), "Scheduled") == 0 &&
	    end <= start)
		return bad(err, path, "a Scheduled state needs start before end");
	doc = json_pack("{s:s, s:s, s:s, s:s}",
			"state", str_at(o, "state") ? str_at(o, "state") : "Disabled",
			"audience", str_at(o, "external_audience") ? str_at(o, "external_audience") : "All",
			"internal", str_at(o, "internal_reply") ? str_at(o, "internal_reply") : "",
			"external", str_at(o, "external_reply") ? str_at(o, "external_reply") : "");
	if (doc && (start || end)) {
		json_object_set_new(doc, "start", json_integer(start));
		json_object_set_new(doc, "end", json_integer(end));
	}
	dump = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	rc = dump ? sim_store_mailbox_set(ctx->store, SIM_MBX(u), "oof", dump, err)
		  : errinfo_set(err, ERR_NOMEM, "seed: out of memory");
	free(dump);
	json_decref(doc);
	return rc;
}

static int seed_user(sim_ctx *ctx, int u, const json_t *c, errinfo *err)
{
	static const char *const keys[] = { "messages", "calendar", "contacts",
		"tasks", "folders", "oof", NULL };
	char path[160];
	size_t i;
	json_t *f;
	int64_t id;

	snprintf(path, sizeof(path), "content.%s", ctx->org->users[u].smtp);
	if (check_keys(c, path, keys, err) < 0)
		return ERR_INVAL;
	json_array_foreach(json_object_get(c, "folders"), i, f) {
		if (!json_is_string(f))
			return bad(err, path, "folders: must be an array of paths like \"Inbox/Projects/2026\"");
		if (folder_path(&id, ctx, SIM_MBX(u), json_string_value(f), "IPF.Note", err) < 0)
			return err->code;
	}
	if (seed_messages(ctx, u, json_object_get(c, "messages"), err) < 0 ||
	    seed_calendar(ctx, u, json_object_get(c, "calendar"), err) < 0 ||
	    seed_simple(ctx, u, json_object_get(c, "contacts"), "contacts", err) < 0 ||
	    seed_simple(ctx, u, json_object_get(c, "tasks"), "tasks", err) < 0)
		return err->code ? err->code : ERR_INVAL;
	if (json_object_get(c, "oof"))
		return seed_oof(ctx, u, json_object_get(c, "oof"), err);
	return 0;
}

int sim_seed_org(sim_ctx *ctx, errinfo *err)
{
	sim_folder probe;
	size_t u;
	int rc = 0, existing;

	/* a store file from an earlier run keeps its content */
	existing = sim_store_folder_dist(&probe, ctx->store, SIM_MBX(0), "inbox",
					 NULL) == 0;
	sim_folder_dispose(&probe);
	if (sim_store_begin(ctx->store, err) < 0)
		return err->code;
	for (u = 0; u < ctx->org->nusers && rc == 0; u++)
		rc = sim_store_mailbox_ensure(ctx->store, SIM_MBX((int)u),
					      ctx->org->users[u].smtp, err);
	for (u = 0; !existing && u < ctx->org->nusers && rc == 0; u++) {
		const json_t *c = json_object_get(ctx->org->content, ctx->org->users[u].smtp);

		if (c)
			rc = seed_user(ctx, (int)u, c, err);
	}
	if (rc < 0) {
		sim_store_rollback(ctx->store);
		return rc;
	}
	return sim_store_commit(ctx->store, err);
}
