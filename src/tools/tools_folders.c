/* tools_folders.c - MCP tools over a mailbox's folder hierarchy:
 * list_folders, create_folder. Uses ews_* operations only (no XML here).
 *
 * list_folders costs two requests whatever the depth: a GetFolder for the
 * parent (its id, name and counts; also a clear "not found" for a bad
 * parent) and one FindFolder of everything below it, from which
 * foldertree.c builds the tree. Walking level by level would cost one
 * request per folder.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ews/folders.h"
#include "ews/ops.h"
#include "tools/args.h"
#include "tools/families.h"
#include "tools/foldertree.h"
#include "tools/runner.h"

/* Exchange returns at most 1000 folders per FindFolder page. */
#define FOLDER_PAGE_MAX 1000

#define PARENT_DESC \
	"root (top of the mailbox), inbox, sent, drafts, deleted, junk, archive, calendar, " \
	"contacts, tasks, a path such as Inbox/Projects, or a folder id."

/* Moves the error in local to err; a folder that is not there (or an id
 * Exchange cannot read) is reported against field, while refusals of the
 * mailbox itself keep the seed's text. Returns the error code. */
static int blame_field(errinfo *err, const errinfo *local, const char *field)
{
	if ((local->code == ERR_NOTFOUND || local->code == ERR_INVAL) &&
	    strncmp(local->msg, "Failed to access mailbox ", 25) != 0) {
		errinfo_set(err, local->code, "%s: %s", field, local->msg);
		if (local->ews_code[0])
			errinfo_set_ews_code(err, local->ews_code);
	} else if (!err->msg[0]) {
		*err = *local;
	}
	return local->code;
}

/* The folder a parent argument (field) names. "root" is the top of the
 * part of the mailbox users see (msgfolderroot), or the real root with
 * real_root (where Exchange keeps its system folders). */
static int resolve_parent(ews_folder *f, tools_req *req, const char *spec, int real_root,
			  const char *field, errinfo *err)
{
	errinfo local = ERRINFO_INIT;
	int error;

	if (strcasecmp(spec, "root") == 0)
		error = ews_folder_resolve(f, &req->ews, real_root ? "root" : "msgfolderroot",
					   &local);
	else if (ews_folder_spec_is_id(spec))
		error = ews_folder_from_id(f, spec, NULL, &local);
	else
		error = ews_folder_resolve(f, &req->ews, spec, &local);
	return error < 0 ? blame_field(err, &local, field) : 0;
}

/* ---- list_folders ------------------------------------------------------------ */

static const char list_folders_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"parent_folder\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1024,"
	"\"default\":\"root\",\"description\":\"Folder to list from: " PARENT_DESC "\"},"
	"\"parent_folder_id\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":512,"
	"\"description\":\"Folder id to list from (instead of parent_folder).\"},"
	"\"depth\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10,\"default\":2,"
	"\"description\":\"Levels of subfolders to include.\"},"
	"\"include_hidden\":{\"type\":\"boolean\",\"default\":false,\"description\":"
	"\"Also show system folders and folders that are not mail, calendar, contacts or "
	"tasks; root then means the mailbox's real root.\"},"
	"\"include_counts\":{\"type\":\"boolean\",\"default\":true,\"description\":"
	"\"Include item and unread counts.\"},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"additionalProperties\":false}";

/* GetFolder of the parent (named by field): its own node in the tree. */
static int get_parent(json_t **out, tools_req *req, const soap_folder_ref *ref,
		      const char *const *fields, size_t nfields, const char *field,
		      errinfo *err)
{
	soap_get_folder_args ga;
	errinfo local = ERRINFO_INIT;
	json_t *got = NULL;
	int error;

	memset(&ga, 0, sizeof(ga));
	ga.shape.base = "IdOnly";
	ga.shape.fields = fields;
	ga.shape.nfields = nfields;
	ga.folders = ref;
	ga.nfolders = 1;
	error = ews_get_folder(&got, &req->ews, &ga, &local);
	if (error < 0)
		return blame_field(err, &local, field);
	*out = json_incref(json_array_get(got, 0));
	json_decref(got);
	return *out ? 0 : errinfo_set(err, ERR_PROTOCOL, "GetFolder: Exchange sent no folder");
}

static int list_folders_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	static const char *const fields[] = {
		"folder:DisplayName", "folder:FolderClass", "folder:ChildFolderCount",
		"folder:ParentFolderId", "folder:TotalCount", "folder:UnreadCount",
	};
	const size_t nfields = sizeof(fields) / sizeof(fields[0]);
	const char *spec, *id;
	long depth;
	int hidden, counts, error;
	ews_folder parent;
	soap_folder_ref ref;
	soap_find_folder_args fa;
	tools_foldertree_opts opts;
	json_t *root = NULL, *found = NULL, *tree = NULL;
	size_t placed;
	char message[64];

	if (tools_arg_str(&spec, args, "parent_folder", 0, err) < 0 ||
	    tools_arg_str(&id, args, "parent_folder_id", 0, err) < 0 ||
	    tools_arg_long(&depth, args, "depth", 2, 1, 10, err) < 0 ||
	    tools_arg_bool(&hidden, args, "include_hidden", 0, err) < 0 ||
	    tools_arg_bool(&counts, args, "include_counts", 1, err) < 0)
		return err->code;
	if (!spec)
		spec = "root";
	error = id ? ews_folder_from_id(&parent, id, NULL, err)
		   : resolve_parent(&parent, req, spec, hidden, "parent_folder", err);
	if (error < 0)
		return error;
	ref = ews_folder_ref(&parent);
	/* Counts cost Exchange a look into every folder: ask only when wanted. */
	error = get_parent(&root, req, &ref, fields, counts ? nfields : nfields - 2,
			   id ? "parent_folder_id" : "parent_folder", err);
	if (error < 0)
		return error;

	memset(&fa, 0, sizeof(fa));
	fa.traversal = depth == 1 ? "Shallow" : "Deep";
	fa.shape.base = "IdOnly";
	fa.shape.fields = fields;
	fa.shape.nfields = counts ? nfields : nfields - 2;
	fa.max_entries = FOLDER_PAGE_MAX;
	fa.parents = &ref;
	fa.nparents = 1;
	error = ews_find_folder(&found, &req->ews, &fa, err);
	if (error < 0)
		goto done;

	opts.depth = (int)depth;
	opts.include_hidden = hidden;
	opts.include_counts = counts;
	if (tools_foldertree_build(&tree, &placed, root, json_object_get(found, "folders"),
				   &opts) < 0) {
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
		goto done;
	}
	snprintf(message, sizeof(message), "Found %zu folders", placed);
	*data = json_pack("{s:s, s:o, s:I, s:s, s:I, s:b}", "message", message,
			  "folder_tree", tree, "total_folders", (json_int_t)placed,
			  "parent_folder", id ? id : spec, "depth", (json_int_t)depth,
			  "truncated",
			  !json_is_true(json_object_get(found, "includes_last_item_in_range")));
	tree = NULL;
	if (!*data)
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
done:
	json_decref(root);
	json_decref(found);
	json_decref(tree);
	return error < 0 ? error : 0;
}

static int list_folders(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, list_folders_body, err);
}

/* ---- create_folder ---------------------------------------------------------------- */

static const char create_folder_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"folder_name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255,"
	"\"description\":\"Name of the new folder (required, or give it as name).\"},"
	"\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255,"
	"\"description\":\"Same as folder_name.\"},"
	"\"parent_folder\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1024,"
	"\"default\":\"inbox\",\"description\":\"Where to create it: " PARENT_DESC "\"},"
	"\"folder_class\":{\"type\":\"string\",\"enum\":[\"IPF.Note\",\"IPF.Appointment\","
	"\"IPF.Contact\",\"IPF.Task\"],\"default\":\"IPF.Note\",\"description\":\"Kind of "
	"folder: mail (IPF.Note), calendar, contacts or tasks.\"},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"additionalProperties\":false}";

static int folder_name_arg(const char **out, const json_t *args, errinfo *err)
{
	const char *a, *b;
	size_t chars = 0;
	const char *p;

	if (tools_arg_str(&a, args, "folder_name", 0, err) < 0 ||
	    tools_arg_str(&b, args, "name", 0, err) < 0)
		return err->code;
	if (a && b && strcmp(a, b) != 0)
		return errinfo_set(err, ERR_INVAL, "folder_name: given twice with different "
				   "values (folder_name and name); give one");
	*out = a ? a : b;
	if (!*out)
		return errinfo_set(err, ERR_INVAL, "folder_name: is required and must not be empty");
	for (p = *out; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			chars++;
	if (chars > 255)
		return errinfo_set(err, ERR_INVAL, "folder_name: at most 255 characters");
	return 0;
}

static int create_folder_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	static const char *const classes[] = {
		"IPF.Note", "IPF.Appointment", "IPF.Contact", "IPF.Task",
	};
	const char *name = NULL, *spec = NULL, *cls = NULL, *folder_id = NULL;
	char message[2048];
	soap_create_folder_args ca;
	ews_folder parent;
	errinfo local = ERRINFO_INIT;
	json_t *created = NULL;
	size_t i;
	int known = 0, error;

	if (folder_name_arg(&name, args, err) < 0 ||
	    tools_arg_str(&spec, args, "parent_folder", 0, err) < 0 ||
	    tools_arg_str(&cls, args, "folder_class", 0, err) < 0)
		return err->code;
	if (!spec)
		spec = "inbox";
	if (!cls)
		cls = "IPF.Note";
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		known |= strcmp(cls, classes[i]) == 0;
	if (!known)
		return errinfo_set(err, ERR_INVAL, "folder_class: must be IPF.Note, "
				   "IPF.Appointment, IPF.Contact or IPF.Task");
	error = resolve_parent(&parent, req, spec, 0, "parent_folder", err);
	if (error < 0)
		return error;

	memset(&ca, 0, sizeof(ca));
	ca.parent = ews_folder_ref(&parent);
	ca.display_name = name;
	ca.folder_class = cls;
	error = ews_create_folder(&created, &req->ews, &ca, &local);
	if (error < 0) {
		/* Exchange's own text ("A folder with the specified name already
		 * exists.") names neither the folder nor the parent. */
		if (strcmp(local.ews_code, "ErrorFolderExists") == 0) {
			errinfo_set(err, ERR_CONFLICT, "folder_name: a folder named '%s' already "
				    "exists in '%s'", name, spec);
			errinfo_set_ews_code(err, local.ews_code);
			return ERR_CONFLICT;
		}
		if (!err->msg[0])
			*err = local;
		return error;
	}
	folder_id = json_string_value(json_object_get(json_array_get(created, 0), "folder_id"));
	tools_req_touch(req, folder_id);
	/* Never cut the names: a cut could split a UTF-8 sequence. */
	if ((size_t)snprintf(message, sizeof(message), "Folder '%s' created in %s", name, spec) >=
	    sizeof(message))
		snprintf(message, sizeof(message), "Folder created");
	*data = json_pack("{s:s, s:s?, s:s, s:s, s:s}", "message", message,
			  "folder_id", folder_id, "folder_name", name, "parent_folder", spec,
			  "folder_class", cls);
	json_decref(created);
	return *data ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

static int create_folder(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, create_folder_body, err);
}

static const tool_def folder_tools[] = {
	{ "list_folders", "List folders",
	  "Show a mailbox's folders as a tree with item and unread counts, from the top or "
	  "from a given folder. Use target_mailbox for another user's mailbox.",
	  list_folders_schema, NULL, TOOL_READ_ONLY | TOOL_OPEN_WORLD | TOOL_MAILBOX,
	  list_folders },
	{ "create_folder", "Create folder",
	  "Create a mail, calendar, contacts or tasks folder under a parent folder (Inbox "
	  "by default); with target_mailbox, in that user's mailbox.",
	  create_folder_schema, NULL, TOOL_OPEN_WORLD | TOOL_MAILBOX, create_folder },
};

const toolset tools_folders = { folder_tools, sizeof(folder_tools) / sizeof(folder_tools[0]) };
