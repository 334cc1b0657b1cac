/* folders.c - well-known folder names and display-name paths (see
 * folders.h for the resolution strategy and why). */
#include "ews/folders.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ews/internal.h"
#include "ews/ops.h"
#include "soap/ids.h"

#define PATH_MAX_LEN 1024
#define PAGE 200
#define MAX_PAGES 25   /* 5000 sibling folders: beyond that, give up */

static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "sent", "sentitems" },
	{ "sent items", "sentitems" },
	{ "deleted", "deleteditems" },
	{ "deleted items", "deleteditems" },
	{ "trash", "deleteditems" },
	{ "junk", "junkemail" },
	{ "junk email", "junkemail" },
	{ "spam", "junkemail" },
	{ "archive", "archivemsgfolderroot" },
	{ "outbox", "outbox" },
};

const char *ews_folder_distinguished_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(name, aliases[i].alias) == 0)
			return aliases[i].name;
	/* The schema's own names, any case ("Inbox", "SentItems"). The
	 * returned pointer must outlive the call, so look the lower-cased
	 * form up in a fixed list rather than returning a buffer. */
	{
		static const char *const names[] = {
			"inbox", "sentitems", "drafts", "deleteditems",
			"junkemail", "calendar", "contacts", "tasks", "notes",
			"journal", "outbox", "root", "msgfolderroot",
			"archivemsgfolderroot", "archiveroot",
			"archivedeleteditems", "archiveinbox",
			"recoverableitemsroot", "recoverableitemsdeletions",
			"searchfolders", "voicemail", "conversationhistory",
			"quickcontacts", "todosearch", "publicfoldersroot",
		};

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcasecmp(name, names[i]) == 0)
				return names[i];
	}
	return NULL;
}

soap_folder_ref ews_folder_ref(const ews_folder *f)
{
	soap_folder_ref r = { 0 };

	if (f->id[0]) {
		r.id = f->id;
		r.change_key = f->change_key[0] ? f->change_key : NULL;
	} else {
		r.distinguished = f->distinguished;
		r.mailbox = f->mailbox[0] ? f->mailbox : NULL;
	}
	return r;
}

int ews_folder_from_id(ews_folder *out, const char *id, const char *ck,
		       errinfo *err)
{
	memset(out, 0, sizeof(*out));
	if (!id || !*id)
		return errinfo_set(err, ERR_INVAL, "folder_id: empty");
	if (strlen(id) >= sizeof(out->id))
		return errinfo_set(err, ERR_INVAL,
				   "folder_id: longer than %zu characters",
				   sizeof(out->id) - 1);
	if (ck && strlen(ck) >= sizeof(out->change_key))
		return errinfo_set(err, ERR_INVAL, "change_key: too long");
	snprintf(out->id, sizeof(out->id), "%s", id);
	if (ck)
		snprintf(out->change_key, sizeof(out->change_key), "%s", ck);
	return 0;
}

/* Appends "/<segment lower-cased>" to path. */
static int path_add(char *path, size_t cap, const char *seg, size_t len)
{
	size_t n = strlen(path), i;

	if (n + 1 + len + 1 > cap)
		return -1;
	path[n++] = '/';
	for (i = 0; i < len; i++)
		path[n++] = (char)tolower((unsigned char)seg[i]);
	path[n] = '\0';
	return 0;
}

/* Lists the children of parent and caches each under prefix/<name>. */
static int load_children(const ews_ctx *ctx, const soap_folder_ref *parent,
			 const char *prefix, errinfo *err)
{
	static const char *const fields[] = { "folder:DisplayName" };
	int offset = 0, page;

	for (page = 0; page < MAX_PAGES; page++) {
		soap_find_folder_args a = { 0 };
		json_t *res = NULL, *list, *f;
		size_t i;
		int error, last;

		a.traversal = "Shallow";
		a.shape.base = "IdOnly";
		a.shape.fields = fields;
		a.shape.nfields = 1;
		a.max_entries = PAGE;
		a.offset = offset;
		a.parents = parent;
		a.nparents = 1;
		error = ews_find_folder(&res, ctx, &a, err);
		if (error < 0)
			return error;
		list = json_object_get(res, "folders");
		json_array_foreach(list, i, f) {
			const char *name = json_string_value(
				json_object_get(f, "display_name"));
			const char *id = json_string_value(
				json_object_get(f, "folder_id"));
			char path[PATH_MAX_LEN];

			if (!name || !id)
				continue;
			snprintf(path, sizeof(path), "%s", prefix);
			if (path_add(path, sizeof(path), name, strlen(name)) == 0)
				ews_mailbox__folder_put(ctx->mailbox, path, id,
					json_string_value(json_object_get(
						f, "change_key")));
		}
		last = json_is_true(json_object_get(res,
					"includes_last_item_in_range")) ||
		       json_array_size(list) == 0;
		offset += (int)json_array_size(list);
		json_decref(res);
		if (last)
			return 0;
	}
	return 0;
}

int ews_folder_resolve(ews_folder *out, const ews_ctx *ctx, const char *spec,
		       errinfo *err)
{
	const char *segs[64];
	size_t lens[64], nsegs = 0, i, start = 0;
	char path[PATH_MAX_LEN];
	const char *p, *root;

	memset(out, 0, sizeof(*out));
	snprintf(out->mailbox, sizeof(out->mailbox), "%s",
		 ews_mailbox_address(ctx->mailbox));
	if (!spec)
		spec = "";
	/* Split into trimmed segments. */
	for (p = spec;;) {
		const char *s = p, *e;

		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strcspn(s, "/");
		p = *e ? e + 1 : e;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == s)
			return errinfo_set(err, ERR_INVAL,
					   "folder '%.200s': %s", spec,
					   nsegs == 0 && !*p
					   ? "is empty"
					   : "has an empty segment between '/'");
		if (nsegs == sizeof(segs) / sizeof(segs[0]))
			return errinfo_set(err, ERR_INVAL,
					   "folder '%.200s': more than 64 levels",
					   spec);
		segs[nsegs] = s;
		lens[nsegs++] = (size_t)(e - s);
		if (!*p && p[-1] != '/')
			break;
		if (!*p)
			return errinfo_set(err, ERR_INVAL,
					   "folder '%.200s': ends with '/'", spec);
	}
	{
		char first[64];

		snprintf(first, sizeof(first), "%.*s",
			 (int)(lens[0] < 63 ? lens[0] : 63), segs[0]);
		root = lens[0] < 63 ? ews_folder_distinguished_name(first) : NULL;
	}
	if (root)
		start = 1;
	else
		root = "msgfolderroot";
	snprintf(out->distinguished, sizeof(out->distinguished), "%s", root);
	if (start == nsegs)
		return 0;

	snprintf(path, sizeof(path), "%s", root);
	for (i = start; i < nsegs; i++) {
		char prefix[PATH_MAX_LEN];
		int error;

		snprintf(prefix, sizeof(prefix), "%s", path);
		if (path_add(path, sizeof(path), segs[i], lens[i]) < 0)
			return errinfo_set(err, ERR_INVAL,
					   "folder '%.200s': path too long", spec);
		if (ews_mailbox__folder_get(ctx->mailbox, path, out->id,
					    sizeof(out->id), out->change_key,
					    sizeof(out->change_key)) == 0)
			continue;
		{
			soap_folder_ref parent = { 0 };
			char pid[EWS_FOLDER_ID_MAX], pck[256];

			if (i == start) {
				parent.distinguished = root;
				parent.mailbox = out->mailbox;
			} else if (ews_mailbox__folder_get(ctx->mailbox, prefix,
					pid, sizeof(pid), pck, sizeof(pck)) == 0) {
				parent.id = pid;
			} else {
				return errinfo_set(err, ERR_NOTFOUND,
						   "folder '%.200s': '%.200s' "
						   "vanished while resolving", spec,
						   prefix);
			}
			error = load_children(ctx, &parent, prefix, err);
			if (error < 0)
				return error;
		}
		if (ews_mailbox__folder_get(ctx->mailbox, path, out->id,
					    sizeof(out->id), out->change_key,
					    sizeof(out->change_key)) != 0) {
			memset(out->id, 0, sizeof(out->id));
			return errinfo_set(err, ERR_NOTFOUND,
					   "folder '%.200s': no folder '%.*s' in "
					   "'%s'", spec, (int)lens[i], segs[i],
					   i == start && !start ? "the mailbox root"
					   : i == start ? root : segs[i - 1]);
		}
	}
	out->distinguished[0] = '\0';
	return 0;
}

int ews_folder_spec_is_id(const char *spec)
{
	static const char *const markers[] = { "AAMk", "AQMk", "AAE" };
	size_t i, n = spec ? strlen(spec) : 0;
	int marked = 0;

	if (n < 20)
		return 0;
	for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (strncmp(spec, markers[i], strlen(markers[i])) == 0)
			marked = 1;
	return marked &&
	       strspn(spec, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789+/=-_") == n;
}
