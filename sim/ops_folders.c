/* ops_folders.c - FindFolder (Shallow/Deep, IndexedPageFolderView),
 * GetFolder, CreateFolder, UpdateFolder, MoveFolder and DeleteFolder.
 * Folder element types follow the folder class (CalendarFolder,
 * ContactsFolder, TasksFolder, Folder). */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/ids.h"
#include "soap/escape.h"

static const char *folder_elem(const char *cls)
{
	if (strncmp(cls, "IPF.Appointment", 15) == 0)
		return "CalendarFolder";
	if (strncmp(cls, "IPF.Contact", 11) == 0)
		return "ContactsFolder";
	if (strncmp(cls, "IPF.Task", 8) == 0)
		return "TasksFolder";
	return "Folder";
}

/* Writes a folder for a shape (IdOnly: id only; Default: name, counts;
 * AllProperties adds class, parent; AdditionalProperties by FieldURI). */
static void write_folder(sim_req *r, const sim_folder *f, const sim_shape *sh)
{
	const char *el = folder_elem(f->folder_class);
	int all = sh->base == SIM_SHAPE_ALL, def = sh->base != SIM_SHAPE_IDONLY;
	int64_t total = 0, unread = 0, children = 0;
	char pid[SIM_ID_MAX];
	buf *b = r->out;

	sim_store_folder_counts(&total, &unread, &children, r->ctx->store, f->id,
				NULL);
	buf_printf(b, "<t:%s>", el);
	sim_write_folder_id(b, f);
	if ((all || sim_shape_wants_uri(sh, "folder:ParentFolderId")) && f->parent) {
		sim_id_encode(pid, SIM_ID_FOLDER, f->mailbox, f->parent);
		buf_printf(b, "<t:ParentFolderId Id=\"%s\"/>", pid);
	}
	if ((all || sim_shape_wants_uri(sh, "folder:FolderClass")) && f->folder_class[0]) {
		buf_puts(b, "<t:FolderClass>");
		soap_put_text(b, f->folder_class);
		buf_puts(b, "</t:FolderClass>");
	}
	if (def || sim_shape_wants_uri(sh, "folder:DisplayName")) {
		buf_puts(b, "<t:DisplayName>");
		soap_put_text(b, f->name);
		buf_puts(b, "</t:DisplayName>");
	}
	if (def || sim_shape_wants_uri(sh, "folder:TotalCount"))
		buf_printf(b, "<t:TotalCount>%lld</t:TotalCount>", (long long)total);
	if (def || sim_shape_wants_uri(sh, "folder:ChildFolderCount"))
		buf_printf(b, "<t:ChildFolderCount>%lld</t:ChildFolderCount>",
			   (long long)children);
	if ((all || sim_shape_wants_uri(sh, "folder:DistinguishedFolderId")) &&
	    f->dist[0])
		buf_printf(b, "<t:DistinguishedFolderId>%s</t:DistinguishedFolderId>",
			   f->dist);
	if (strcmp(el, "Folder") == 0 || strcmp(el, "TasksFolder") == 0) {
		if (def || sim_shape_wants_uri(sh, "folder:UnreadCount"))
			buf_printf(b, "<t:UnreadCount>%lld</t:UnreadCount>",
				   (long long)unread);
	}
	buf_printf(b, "</t:%s>", el);
}

static void folder_error(sim_req *r, const char *msg, const sim_status *st,
			 int with_folders)
{
	sim_rm_open(r->out, msg, st);
	if (with_folders)
		buf_puts(r->out, "<m:Folders/>");
	sim_rm_close(r->out, msg);
}

int sim_op_get_folder(sim_req *r, const xmlNode *op)
{
	sim_shape sh;
	sim_status st = { 0 };
	xmlNode *ids = sim_x_child(op, "FolderIds"), *c;

	buf_puts(r->out, "<m:GetFolderResponse><m:ResponseMessages>");
	if (sim_shape_parse(&sh, sim_x_child(op, "FolderShape"), 0, &st) < 0) {
		folder_error(r, "GetFolderResponseMessage", &st, 0);
		goto done;
	}
	for (c = sim_x_child(ids, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status fst = { 0 };
		sim_folder f;

		if (sim_folder_resolve(&f, r, c, SIM_ACT_READ, &fst) < 0) {
			folder_error(r, "GetFolderResponseMessage", &fst, 0);
			continue;
		}
		sim_rm_open(r->out, "GetFolderResponseMessage", NULL);
		buf_puts(r->out, "<m:Folders>");
		write_folder(r, &f, &sh);
		buf_puts(r->out, "</m:Folders>");
		sim_rm_close(r->out, "GetFolderResponseMessage");
		sim_folder_dispose(&f);
	}
done:
	buf_puts(r->out, "</m:ResponseMessages></m:GetFolderResponse>");
	sim_shape_dispose(&sh);
	return 0;
}

int sim_op_find_folder(sim_req *r, const xmlNode *op)
{
	sim_shape sh;
	sim_status st = { 0 };
	char *trav = sim_x_attr(op, "Traversal");
	int deep = trav && strcmp(trav, "Deep") == 0;
	int soft = trav && strcmp(trav, "SoftDeleted") == 0;
	xmlNode *view = sim_x_child(op, "IndexedPageFolderView");
	xmlNode *parents = sim_x_child(op, "ParentFolderIds"), *c;
	long max = -1, offset = 0;
	char *v;

	free(trav);
	buf_puts(r->out, "<m:FindFolderResponse><m:ResponseMessages>");
	if (sim_shape_parse(&sh, sim_x_child(op, "FolderShape"), 0, &st) < 0) {
		folder_error(r, "FindFolderResponseMessage", &st, 0);
		goto done;
	}
	if (view) {
		if ((v = sim_x_attr(view, "MaxEntriesReturned"))) {
			max = strtol(v, NULL, 10);
			free(v);
		}
		if ((v = sim_x_attr(view, "Offset"))) {
			offset = strtol(v, NULL, 10);
			free(v);
		}
		if (max == 0 || offset < 0) {
			sim_fail(&st, max == 0 ? "ErrorInvalidPagingMaxRows"
				 : "ErrorInvalidIndexedPagingParameters");
			folder_error(r, "FindFolderResponseMessage", &st, 0);
			goto done;
		}
	}
	for (c = sim_x_child(parents, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status fst = { 0 };
		sim_folder f, *kids = NULL;
		size_t n = 0, i, shown = 0, visible = 0;

		if (sim_folder_resolve(&f, r, c, SIM_ACT_READ, &fst) < 0) {
			folder_error(r, "FindFolderResponseMessage", &fst, 0);
			continue;
		}
		if (!soft)
			sim_store_folder_children(&kids, &n, r->ctx->store, f.id, deep,
						  NULL);
		/* count what the actor may see, then page over it */
		for (i = 0; i < n; i++) {
			sim_status tmp = { 0 };

			if (sim_folder_check(r, &kids[i], SIM_ACT_READ, &tmp) == 0)
				visible++;
			else
				kids[i].id = -kids[i].id;
		}
		sim_rm_open(r->out, "FindFolderResponseMessage", NULL);
		buf_puts(r->out, "<m:RootFolder");
		{
			size_t idx = 0;
			buf tmp = BUF_INIT(SIM_REPLY_MAX);
			buf *save = r->out;

			r->out = &tmp;
			for (i = 0; i < n; i++) {
				if (kids[i].id < 0)
					continue;
				if ((long)idx++ < offset)
					continue;
				if (max >= 0 && (long)shown >= max)
					break;
				write_folder(r, &kids[i], &sh);
				shown++;
			}
			r->out = save;
			buf_printf(r->out, " IndexedPagingOffset=\"%zu\" TotalItemsInView=\"%zu\""
				   " IncludesLastItemInRange=\"%s\"><t:Folders>",
				   (size_t)offset + shown, visible,
				   (size_t)offset + shown >= visible ? "true" : "false");
			buf_put(r->out, tmp.ptr ? tmp.ptr : "", tmp.len);
			buf_dispose(&tmp);
		}
		buf_puts(r->out, "</t:Folders></m:RootFolder>");
		sim_rm_close(r->out, "FindFolderResponseMessage");
		for (i = 0; i < n; i++)
			if (kids[i].id < 0)
				kids[i].id = -kids[i].id;
		sim_folder_list_free(kids, n);
		sim_folder_dispose(&f);
	}
done:
	buf_puts(r->out, "</m:ResponseMessages></m:FindFolderResponse>");
	sim_shape_dispose(&sh);
	return 0;
}

int sim_op_create_folder(sim_req *r, const xmlNode *op)
{
	sim_status pst = { 0 };
	sim_folder parent;
	xmlNode *folders = sim_x_child(op, "Folders"), *c;
	int have_parent;
	sim_shape idonly;

	memset(&idonly, 0, sizeof(idonly));
	buf_puts(r->out, "<m:CreateFolderResponse><m:ResponseMessages>");
	have_parent = sim_folder_resolve(&parent, r,
					 sim_folder_id_child(sim_x_child(op, "ParentFolderId")),
					 SIM_ACT_CREATE, &pst) == 0;
	for (c = sim_x_child(folders, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		char *name = sim_x_child_text(c, "DisplayName");
		char *cls = sim_x_child_text(c, "FolderClass");
		sim_folder nf;
		int64_t id;

		if (!have_parent) {
			folder_error(r, "CreateFolderResponseMessage", &pst, 0);
		} else if (!name || !*name) {
			sim_failf(&st, "ErrorInvalidValueForProperty",
				  "The folder DisplayName is required and must not be empty.");
			folder_error(r, "CreateFolderResponseMessage", &st, 0);
		} else if (sim_store_folder_name_exists(r->ctx->store, parent.id, name,
							NULL) > 0) {
			sim_fail(&st, "ErrorFolderExists");
			folder_error(r, "CreateFolderResponseMessage", &st, 0);
		} else {
			const char *fc = cls && *cls ? cls
				: sim_x_is(c, "CalendarFolder") ? "IPF.Appointment"
				: sim_x_is(c, "ContactsFolder") ? "IPF.Contact"
				: sim_x_is(c, "TasksFolder") ? "IPF.Task" : "IPF.Note";

			if (sim_store_folder_create(&id, r->ctx->store, parent.mailbox,
						    parent.id, NULL, name, fc, NULL) < 0 ||
			    sim_store_folder_get(&nf, r->ctx->store, id, NULL) < 0) {
				sim_fail(&st, "ErrorInternalServerError");
				folder_error(r, "CreateFolderResponseMessage", &st, 0);
			} else {
				sim_rm_open(r->out, "CreateFolderResponseMessage", NULL);
				buf_printf(r->out, "<m:Folders><t:%s>", folder_elem(fc));
				sim_write_folder_id(r->out, &nf);
				buf_printf(r->out, "</t:%s></m:Folders>", folder_elem(fc));
				sim_rm_close(r->out, "CreateFolderResponseMessage");
				sim_folder_dispose(&nf);
			}
		}
		free(name);
		free(cls);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:CreateFolderResponse>");
	if (have_parent)
		sim_folder_dispose(&parent);
	return 0;
}

int sim_op_update_folder(sim_req *r, const xmlNode *op)
{
	xmlNode *changes = sim_x_child(op, "FolderChanges"), *ch, *u;

	buf_puts(r->out, "<m:UpdateFolderResponse><m:ResponseMessages>");
	for (ch = sim_x_child(changes, "FolderChange"); ch;
	     ch = sim_x_next(ch, "FolderChange")) {
		sim_status st = { 0 };
		sim_folder f;
		int rc = 0;

		if (sim_folder_resolve(&f, r, sim_folder_id_child(ch), SIM_ACT_MODIFY,
				       &st) < 0) {
			folder_error(r, "UpdateFolderResponseMessage", &st, 0);
			continue;
		}
		for (u = sim_x_child(sim_x_child(ch, "Updates"), NULL); u && rc == 0;
		     u = sim_x_next(u, NULL)) {
			xmlNode *path = sim_x_child(u, "FieldURI");
			char *uri = sim_x_attr(path, "FieldURI");
			xmlNode *wrap, *val;

			for (wrap = sim_x_child(u, NULL); wrap && sim_x_is(wrap, "FieldURI");)
				wrap = sim_x_next(wrap, NULL);
			if (uri && strcmp(uri, "folder:DisplayName") == 0 &&
			    sim_x_is(u, "SetFolderField") &&
			    (val = sim_x_child(wrap, "DisplayName"))) {
				char *name = sim_x_text(val);

				if (!name || !*name)
					rc = sim_failf(&st, "ErrorInvalidValueForProperty",
						       "DisplayName must not be empty.");
				else if (f.dist[0])
					rc = sim_failf(&st, "ErrorInvalidOperation",
						       "Distinguished folders cannot be renamed.");
				else if (sim_store_folder_name_exists(r->ctx->store, f.parent,
								      name, NULL) > 0)
					rc = sim_fail(&st, "ErrorFolderExists");
				else {
					free(f.name);
					f.name = name;
					name = NULL;
				}
				free(name);
			} else {
				rc = sim_failf(&st, "ErrorInvalidPropertyRequest",
					       "ews-sim can update folder:DisplayName only (got %s).",
					       uri ? uri : "no FieldURI");
			}
			free(uri);
		}
		if (rc == 0 && sim_store_folder_update(r->ctx->store, &f, NULL) < 0)
			rc = sim_fail(&st, "ErrorInternalServerError");
		if (rc < 0) {
			folder_error(r, "UpdateFolderResponseMessage", &st, 0);
		} else {
			sim_rm_open(r->out, "UpdateFolderResponseMessage", NULL);
			buf_printf(r->out, "<m:Folders><t:%s>", folder_elem(f.folder_class));
			sim_write_folder_id(r->out, &f);
			buf_printf(r->out, "</t:%s></m:Folders>", folder_elem(f.folder_class));
			sim_rm_close(r->out, "UpdateFolderResponseMessage");
		}
		sim_folder_dispose(&f);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:UpdateFolderResponse>");
	return 0;
}

/* 1 if folder id is anc or below it. */
static int is_within(sim_req *r, int64_t id, int64_t anc)
{
	sim_folder f;
	int depth = 0;

	while (id && depth++ < 64) {
		if (id == anc)
			return 1;
		if (sim_store_folder_get(&f, r->ctx->store, id, NULL) < 0)
			return 0;
		id = f.parent;
		sim_folder_dispose(&f);
	}
	return 0;
}

int sim_op_move_folder(sim_req *r, const xmlNode *op)
{
	sim_status tst = { 0 };
	sim_folder to;
	xmlNode *ids = sim_x_child(op, "FolderIds"), *c;
	int have_to = sim_folder_resolve(&to, r,
					 sim_folder_id_child(sim_x_child(op, "ToFolderId")),
					 SIM_ACT_CREATE, &tst) == 0;

	buf_puts(r->out, "<m:MoveFolderResponse><m:ResponseMessages>");
	for (c = sim_x_child(ids, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		sim_folder f;

		if (!have_to) {
			folder_error(r, "MoveFolderResponseMessage", &tst, 0);
			continue;
		}
		if (sim_folder_resolve(&f, r, c, SIM_ACT_DELETE, &st) < 0) {
			folder_error(r, "MoveFolderResponseMessage", &st, 0);
			continue;
		}
		if (f.dist[0])
			sim_fail(&st, "ErrorMoveDistinguishedFolder");
		else if (f.mailbox != to.mailbox || is_within(r, to.id, f.id))
			sim_failf(&st, "ErrorInvalidOperation",
				  "A folder cannot be moved into itself, below itself or to another mailbox.");
		else if (sim_store_folder_name_exists(r->ctx->store, to.id, f.name, NULL) > 0)
			sim_fail(&st, "ErrorFolderExists");
		else {
			f.parent = to.id;
			if (sim_store_folder_update(r->ctx->store, &f, NULL) < 0)
				sim_fail(&st, "ErrorInternalServerError");
		}
		if (st.code) {
			folder_error(r, "MoveFolderResponseMessage", &st, 0);
		} else {
			sim_rm_open(r->out, "MoveFolderResponseMessage", NULL);
			buf_printf(r->out, "<m:Folders><t:%s>", folder_elem(f.folder_class));
			sim_write_folder_id(r->out, &f);
			buf_printf(r->out, "</t:%s></m:Folders>", folder_elem(f.folder_class));
			sim_rm_close(r->out, "MoveFolderResponseMessage");
		}
		sim_folder_dispose(&f);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:MoveFolderResponse>");
	if (have_to)
		sim_folder_dispose(&to);
	return 0;
}

int sim_op_delete_folder(sim_req *r, const xmlNode *op)
{
	char *type = sim_x_attr(op, "DeleteType");
	xmlNode *ids = sim_x_child(op, "FolderIds"), *c;

	buf_puts(r->out, "<m:DeleteFolderResponse><m:ResponseMessages>");
	for (c = sim_x_child(ids, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		sim_folder f, dest;

		if (sim_folder_resolve(&f, r, c, SIM_ACT_DELETE, &st) < 0) {
			folder_error(r, "DeleteFolderResponseMessage", &st, 0);
			continue;
		}
		if (f.dist[0]) {
			sim_fail(&st, "ErrorDeleteDistinguishedFolder");
		} else if (type && strcmp(type, "MoveToDeletedItems") == 0 &&
			   sim_store_folder_dist(&dest, r->ctx->store, f.mailbox,
						 "deleteditems", NULL) == 0) {
			if (is_within(r, f.id, dest.id) || f.parent == dest.id) {
				if (sim_store_folder_delete(r->ctx->store, f.id, NULL) < 0)
					sim_fail(&st, "ErrorInternalServerError");
			} else {
				f.parent = dest.id;
				if (sim_store_folder_name_exists(r->ctx->store, dest.id, f.name,
								 NULL) > 0) {
					char *nn = malloc(strlen(f.name) + 32);

					if (nn) {
						sprintf(nn, "%s (%lld)", f.name, (long long)f.id);
						free(f.name);
						f.name = nn;
					}
				}
				if (sim_store_folder_update(r->ctx->store, &f, NULL) < 0)
					sim_fail(&st, "ErrorInternalServerError");
			}
			sim_folder_dispose(&dest);
		} else if (sim_store_folder_delete(r->ctx->store, f.id, NULL) < 0) {
			sim_fail(&st, "ErrorInternalServerError");
		}
		sim_rm_open(r->out, "DeleteFolderResponseMessage", st.code ? &st : NULL);
		sim_rm_close(r->out, "DeleteFolderResponseMessage");
		sim_folder_dispose(&f);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:DeleteFolderResponse>");
	free(type);
	return 0;
}
