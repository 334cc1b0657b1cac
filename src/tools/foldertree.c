/* foldertree.c - building a folder tree from a flat folder list (foldertree.h). */
#include "tools/foldertree.h"

#include <string.h>
#include <strings.h>

int tools_foldertree_hidden(const json_t *folder)
{
	static const char *const classes[] = {
		"", "IPF.Note", "IPF.Appointment", "IPF.Contact", "IPF.Task",
	};
	/* Folders Exchange creates for its own use that carry a user class. */
	static const char *const system_names[] = {
		"Sync Issues", "Yammer Root", "ExternalContacts", "PersonMetadata",
		"Social Activity Notifications", "Recoverable Items",
	};
	const char *cls = json_string_value(json_object_get(folder, "folder_class"));
	const char *name = json_string_value(json_object_get(folder, "display_name"));
	size_t i;
	int known = 0;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcmp(cls ? cls : "", classes[i]) == 0)
			known = 1;
	if (!known)
		return 1;
	if (!name)
		return 0;
	if (name[0] == '{')
		return 1;
	for (i = 0; i < sizeof(system_names) / sizeof(system_names[0]); i++)
		if (strncasecmp(name, system_names[i], strlen(system_names[i])) == 0)
			return 1;
	return 0;
}

typedef struct tree_build {
	const json_t *folders;
	json_t *children;        /* parent id -> [indices into folders] */
	json_t *top;             /* [indices]: children of the root */
	const tools_foldertree_opts *opts;
	size_t count;
} tree_build;

static json_t *make_node(const json_t *f, const tools_foldertree_opts *o)
{
	const char *cls = json_string_value(json_object_get(f, "folder_class"));
	const char *name = json_string_value(json_object_get(f, "display_name"));
	const char *id = json_string_value(json_object_get(f, "folder_id"));
	json_t *node = json_object();

	if (!node)
		return NULL;
	json_object_set_new(node, "folder_id", id ? json_string(id) : json_null());
	json_object_set_new(node, "name", json_string(name ? name : ""));
	json_object_set_new(node, "folder_class", json_string(cls ? cls : ""));
	json_object_set_new(node, "child_folder_count",
			    json_integer(json_integer_value(json_object_get(f, "child_folder_count"))));
	if (o->include_counts) {
		json_object_set_new(node, "total_count",
				    json_integer(json_integer_value(json_object_get(f, "total_count"))));
		json_object_set_new(node, "unread_count",
				    json_integer(json_integer_value(json_object_get(f, "unread_count"))));
	}
	return node;
}

/* Appends the visible folders of list (indices) to into, each with its
 * own children while level <= depth. */
static int add_children(tree_build *t, json_t *into, const json_t *list, int level)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		const json_t *f = json_array_get(t->folders, (size_t)json_integer_value(v));
		const char *id = json_string_value(json_object_get(f, "folder_id"));
		json_t *node, *kids;

		if (!t->opts->include_hidden && tools_foldertree_hidden(f))
			continue;
		node = make_node(f, t->opts);
		if (!node)
			return -1;
		/* jansson's _new calls take the reference even when they fail. */
		if (json_object_set_new(node, "children", json_array()) < 0) {
			json_decref(node);
			return -1;
		}
		kids = json_object_get(node, "children");
		if (json_array_append_new(into, node) < 0)
			return -1;
		t->count++;
		if (level < t->opts->depth && id &&
		    add_children(t, kids, json_object_get(t->children, id), level + 1) < 0)
			return -1;
	}
	return 0;
}

/* Sorts every folder into t->top or t->children[parent]. */
static int index_folders(tree_build *t, const char *root_id)
{
	json_t *present = json_object(), *f;
	size_t i;
	int rc = -1;

	if (!present)
		return -1;
	json_array_foreach(t->folders, i, f) {
		const char *id = json_string_value(json_object_get(f, "folder_id"));

		if (id && json_object_set_new(present, id, json_true()) < 0)
			goto done;
	}
	json_array_foreach(t->folders, i, f) {
		const char *parent = json_string_value(json_object_get(f, "parent_folder_id"));
		json_t *list = t->top;

		if (parent && json_object_get(present, parent) &&
		    !(root_id && strcmp(parent, root_id) == 0)) {
			list = json_object_get(t->children, parent);
			if (!list) {
				list = json_array();
				if (json_object_set_new(t->children, parent, list) < 0)
					goto done;
			}
		}
		if (json_array_append_new(list, json_integer((json_int_t)i)) < 0)
			goto done;
	}
	rc = 0;
done:
	json_decref(present);
	return rc;
}

int tools_foldertree_build(json_t **out, size_t *count, const json_t *root,
			   const json_t *folders, const tools_foldertree_opts *opts)
{
	tree_build t;
	json_t *node = NULL, *kids;
	int rc = -1;

	*out = NULL;
	*count = 0;
	memset(&t, 0, sizeof(t));
	t.folders = folders;
	t.opts = opts;
	t.children = json_object();
	t.top = json_array();
	node = make_node(root, opts);
	if (!t.children || !t.top || !node ||
	    json_object_set_new(node, "children", json_array()) < 0)
		goto done;
	kids = json_object_get(node, "children");
	if (index_folders(&t, json_string_value(json_object_get(root, "folder_id"))) < 0 ||
	    add_children(&t, kids, t.top, 1) < 0)
		goto done;
	*out = node;
	*count = t.count;
	node = NULL;
	rc = 0;
done:
	json_decref(node);
	json_decref(t.children);
	json_decref(t.top);
	return rc;
}
